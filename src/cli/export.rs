//! `polytm export`: the TM (or part of it) as TMX 1.4b, TSV or CSV.
//!
//! ```text
//! polytm export -o tm.tmx                         # everything, TMX 1.4b
//! polytm export --langs en,ru -o en-ru.tsv        # format from the extension
//! polytm export --doc sco-2018.tmx --since 2024-01-01 --format tmx > new.tmx
//! ```
//!
//! With `-o` the file is written under a temporary name and renamed when
//! complete, so a failed export never leaves half a file.

use std::io::BufWriter;
use std::path::{Path, PathBuf};

use clap::Args as ClapArgs;

use super::Ctx;
use super::output::stdout;
use crate::progress::Bars;
use polytm_core::Progress;
use polytm_core::error::{Error, Result, display_path};
use polytm_engine::exchange::export::{
    ExportFormat, ExportOptions, ExportReport, export, parse_since,
};
use polytm_store::Reader;
use polytm_text::lang;

/// The formats `--format` names.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormatArg {
    Tmx,
    Tsv,
    Csv,
}

impl From<FormatArg> for ExportFormat {
    fn from(f: FormatArg) -> ExportFormat {
        match f {
            FormatArg::Tmx => ExportFormat::Tmx,
            FormatArg::Tsv => ExportFormat::Tsv,
            FormatArg::Csv => ExportFormat::Csv,
        }
    }
}

#[derive(ClapArgs, Debug)]
#[command(
    about = "Export the translation memory as TMX 1.4b, TSV or CSV",
    long_about = "Export the translation memory as TMX 1.4b (valid against the TMX 1.4b DTD; \
        props, notes and inline tags as imported, plus x-polytm-document, x-polytm-origin and \
        x-polytm-confidence), TSV (a header of language tags, text verbatim) or CSV (RFC 4180).\n\n\
        Units with fewer than two of the languages are left out (the count is reported on \
        standard error).",
    after_help = "Examples:\n  polytm export -o tm.tmx\n  polytm export --langs en,ru,zh -o sco.tmx\n  \
        polytm export --langs en,zh --format tsv > en-zh.tsv\n  polytm export --doc sco-2018.tmx --since 2024-05-01 -o new.tmx"
)]
pub struct Args {
    /// Output format [default: from the extension of -o, else tmx].
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,

    /// Languages to export, comma-separated, in column/variant order (en,ru,zh) [default: all].
    #[arg(long, value_name = "LANGS")]
    pub langs: Option<String>,

    /// Only units of this document (repeatable; see `polytm docs list`).
    #[arg(long = "doc", value_name = "NAME")]
    pub docs: Vec<String>,

    /// Only units created or changed on or after this date (2024-05-01, or 2024-05-01T10:00:00Z).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,

    /// Write to this file (replaced when complete) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    let format = match (args.format, &args.output) {
        (Some(f), _) => f.into(),
        (None, Some(p)) => format_of(p),
        (None, None) => ExportFormat::Tmx,
    };
    let langs = match &args.langs {
        Some(s) => Some(lang::parse_list(s).map_err(|m| Error::usage(format!("--langs: {m}")))?),
        None => None,
    };
    if let Some(l) = &langs
        && l.len() < 2
    {
        return Err(Error::usage(
            "--langs needs at least two languages (a unit is a translation)",
        ));
    }
    let since = match &args.since {
        Some(s) => Some(parse_since(s).ok_or_else(|| {
            Error::usage(format!(
                "--since: '{s}' is not a date (write 2024-05-01 or 2024-05-01T10:00:00Z)"
            ))
        })?),
        None => None,
    };
    let db = ctx.open()?;
    let rd = db.reader()?;
    let opts = ExportOptions {
        format,
        langs,
        documents: args.docs.clone(),
        since,
    };
    let bar = Bars::new();
    let (report, target) = match args.output.as_deref() {
        Some(p) if p.as_os_str() != "-" => (to_file(rd.as_ref(), &opts, p, &bar)?, display_path(p)),
        _ => {
            let mut out = stdout();
            let r = export(rd.as_ref(), &opts, &mut out, None, &bar)?;
            out.flush()?;
            (r, "standard output".to_string())
        }
    };
    bar.finish();
    summary(&report, &opts, &target);
    Ok(())
}

fn format_of(p: &Path) -> ExportFormat {
    match p
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("tsv" | "tab" | "txt") => ExportFormat::Tsv,
        Some("csv") => ExportFormat::Csv,
        _ => ExportFormat::Tmx,
    }
}

/// Write to a temporary file beside `path`, then rename it into place.
fn to_file(
    rd: &dyn Reader,
    opts: &ExportOptions,
    path: &Path,
    bar: &dyn Progress,
) -> Result<ExportReport> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if path.is_dir() {
        return Err(Error::Io {
            file: display_path(path),
            msg: "is a folder, not a file".into(),
        });
    }
    let tmp = tempfile::Builder::new()
        .prefix(".polytm-export-")
        .tempfile_in(dir)
        .map_err(|e| Error::io(path, e))?;
    let mut out = BufWriter::with_capacity(1 << 16, tmp);
    let report = export(rd, opts, &mut out, Some(path), bar)?;
    let tmp = out
        .into_inner()
        .map_err(|e| Error::io(path, e.into_error()))?;
    tmp.as_file().sync_all().map_err(|e| Error::io(path, e))?;
    // A temporary file is private (0600): give the export the permissions
    // of the file it replaces, or the usual ones.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode());
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(mode))
            .map_err(|e| Error::io(path, e))?;
    }
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(report)
}

fn summary(r: &ExportReport, opts: &ExportOptions, target: &str) {
    let what = match opts.format {
        ExportFormat::Tmx => format!("TMX, srclang {}", r.header),
        ExportFormat::Tsv | ExportFormat::Csv => {
            format!("columns {}", r.header.replace('\t', ","))
        }
    };
    eprintln!("polytm: exported {} units to {target} ({what})", r.units);
    if r.left_out > 0 {
        let langs = match &opts.langs {
            Some(l) => format!(
                " of {}",
                l.iter()
                    .map(|t| t.tag.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            None => String::new(),
        };
        eprintln!(
            "polytm: {} units left out: they have fewer than two{langs} languages",
            r.left_out
        );
    }
    if r.markup_flattened > 0 {
        eprintln!(
            "polytm: {} segments had inline tags; the table holds them with the original codes put back (TMX keeps the tags)",
            r.markup_flattened
        );
    }
}

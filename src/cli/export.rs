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

use std::path::{Path, PathBuf};

use clap::Args as ClapArgs;

use super::Ctx;
use crate::progress::Bars;
use polytm_core::Progress;
use polytm_core::error::{Error, Result, display_path};
use polytm_core::output::Output;
use polytm_engine::exchange::export::{
    ExportFormat, ExportOptions, ExportReport, export, parse_since,
};
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

    /// TSV/CSV to open in a spreadsheet: a cell starting with = + - @ is
    /// written with ' before it, so the spreadsheet does not run it as a
    /// formula (the file then differs from the TM's text).
    #[arg(long)]
    pub spreadsheet_safe: bool,

    /// TMX: write each segment's context, the segments before and after
    /// it in its document, as memoQ's x-context-pre / x-context-post props
    /// on every <tuv> (what in-context matching of another tool, or of
    /// polytm after an import, compares).
    #[arg(long)]
    pub context: bool,
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
    let target = args.output.clone().unwrap_or_else(|| PathBuf::from("-"));
    // refused before the database is even opened
    let mut out = Output::create(&target, &ctx.protected())?;
    let db = ctx.open()?;
    let rd = db.reader()?;
    let opts = ExportOptions {
        format,
        langs,
        documents: args.docs.clone(),
        since,
        spreadsheet_safe: args.spreadsheet_safe,
        context: args.context,
    };
    let bar = Bars::new();
    let file = (!out.is_stdout()).then_some(target.as_path());
    let report = export(rd.as_ref(), &opts, &mut out, file, &bar)?;
    out.finish()?;
    let target = match file {
        Some(p) => display_path(p),
        None => "standard output".to_string(),
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

//! `polytm import FILE...`: translation memories into the TM.
//!
//! ```text
//! polytm import old-tm.tmx                 # TMX 1.1-1.4b, UTF-8 or UTF-16
//! polytm import glossary-pairs.tsv         # header: en<TAB>ru[<TAB>zh][<TAB>note]
//! polytm import --doc "MFA 2019" a.tmx     # name the document
//! polytm import --on-duplicate overwrite updated.tmx
//! ```
//!
//! Each file is its own document and its own batch (undo one with
//! `polytm batches remove ID`), written in one transaction: a file that
//! fails imports nothing, the others still do, and the exit code is not 0.

use std::path::PathBuf;

use clap::Args as ClapArgs;
use serde::Serialize;

use super::Ctx;
use super::OnDuplicate;
use super::output::{print_json, stdout};
use crate::progress::Bars;
use polytm_core::error::{Error, Result};
use polytm_engine::exchange::import::{ImportOptions, ImportReport, import_file};
use polytm_formats::registry::Kind;

/// The formats `--format` names.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormatArg {
    Tmx,
    Tsv,
    Csv,
}

impl From<FormatArg> for Kind {
    fn from(f: FormatArg) -> Kind {
        match f {
            FormatArg::Tmx => Kind::Tmx,
            FormatArg::Tsv => Kind::Tsv,
            FormatArg::Csv => Kind::Csv,
        }
    }
}

#[derive(ClapArgs, Debug)]
#[command(
    about = "Import translation memories: TMX, or TSV/CSV with a header row of language codes",
    long_about = "Import translation memories: TMX 1.1-1.4b (UTF-8 or UTF-16; props, notes and \
        inline tags kept), or TSV/CSV with a header row of language codes (en, ru, zh-CN ...; the \
        first language column is the source; columns named id, note, domain ... are kept too).\n\n\
        Each file becomes one document (named after the file) and one batch; a file that fails \
        imports nothing, the others are still imported.",
    after_help = "Examples:\n  polytm import memoq-export.tmx\n  polytm import --doc \"SCO 2018\" pairs.tsv\n  \
        polytm import --on-duplicate overwrite corrected.tmx\n  zcat tm.tmx.gz | polytm import --format tmx -"
)]
pub struct Args {
    /// Files to import (.tmx, .tsv, .csv; - reads standard input, with --format).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// A unit already in the TM: skip it (the same text in the same languages), overwrite
    /// the other languages of the unit with the same source text, or keep both.
    #[arg(long, value_enum, default_value_t = OnDuplicate::Skip, value_name = "POLICY")]
    pub on_duplicate: OnDuplicate,

    /// Name of the document the units go into [default: the file name]. One file only.
    #[arg(long, value_name = "NAME")]
    pub doc: Option<String>,

    /// The file format, when the extension does not tell it.
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,

    /// Print a JSON report instead of lines.
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Outcome {
    Ok(ImportReport),
    Failed { file: String, error: String },
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    if args.doc.is_some() && args.files.len() > 1 {
        return Err(Error::usage(
            "--doc names one document: give one file (each file is its own document)",
        ));
    }
    let db = ctx.open()?;
    let opts = ImportOptions {
        on_duplicate: args.on_duplicate.into(),
        doc: args.doc.clone(),
        format: args.format.map(Kind::from),
    };
    let mut outcomes = Vec::new();
    let mut failed: Vec<(String, Error)> = Vec::new();
    for path in &args.files {
        let name = polytm_core::error::display_path(path);
        match import_file(db.as_ref(), path, &opts, &Bars::new()) {
            Ok(r) => {
                if !args.json {
                    print_report(&r)?;
                }
                outcomes.push(Outcome::Ok(r));
            }
            Err(e) => {
                let e = ctx.name_db(e);
                if args.files.len() > 1 || args.json {
                    eprintln!("polytm: {e}");
                }
                outcomes.push(Outcome::Failed {
                    file: name.clone(),
                    error: e.to_string(),
                });
                failed.push((name, e));
            }
        }
    }
    if args.json {
        print_json(&outcomes)?;
    }
    let names: Vec<String> = failed.iter().map(|(n, _)| n.clone()).collect();
    let Some((_, first)) = failed.into_iter().next() else {
        return Ok(());
    };
    let total = args.files.len();
    if total == 1 {
        return Err(if args.json { quiet(first) } else { first });
    }
    let rest = match total - names.len() {
        0 => "none was imported".to_string(),
        1 => "the other was imported".to_string(),
        n => format!("the other {n} were imported"),
    };
    let msg = format!(
        "{} of {total} files failed and imported nothing ({}); {rest}",
        names.len(),
        names.join(", "),
    );
    Err(same_kind(first, msg))
}

/// One line per file on standard output; warnings on standard error.
fn print_report(r: &ImportReport) -> Result<()> {
    for w in &r.warnings {
        eprintln!("polytm: warning: {w}");
    }
    if r.more_warnings > 0 {
        eprintln!(
            "polytm: warning: {}: {} more warnings like these",
            r.file, r.more_warnings
        );
    }
    let mut parts = Vec::new();
    let s = &r.stats;
    parts.push(format!("{} units added", s.added));
    if s.skipped > 0 {
        parts.push(format!("{} duplicates skipped", s.skipped));
    }
    if s.overwritten > 0 {
        parts.push(format!("{} overwritten", s.overwritten));
    }
    if r.left_out > 0 {
        parts.push(format!(
            "{} left out (fewer than two languages with text)",
            r.left_out
        ));
    }
    let mut out = stdout();
    let enc = if r.encoding == "UTF-8" {
        String::new()
    } else {
        format!(" [{}]", r.encoding)
    };
    match r.batch {
        Some(b) => writeln!(
            out,
            "{}{enc}: {}; document '{}'{} ({}), batch {b}",
            r.file,
            parts.join(", "),
            r.document,
            if r.existing_document {
                " (added to)"
            } else {
                ""
            },
            r.langs.join(", "),
        )?,
        None if r.read == 0 => writeln!(
            out,
            "{}{enc}: no translation units in it; nothing imported",
            r.file
        )?,
        None => writeln!(
            out,
            "{}{enc}: nothing new ({}); nothing written",
            r.file,
            parts[1..].join(", ")
        )?,
    }
    out.flush()?;
    Ok(())
}

/// An error of the same kind (so the same exit code) with another message.
fn same_kind(e: Error, msg: String) -> Error {
    match e {
        Error::Input { .. } => Error::Input {
            file: "import".into(),
            pos: None,
            msg,
        },
        Error::Io { .. } => Error::Io {
            file: "import".into(),
            msg,
        },
        Error::Db { file, .. } => Error::Db { file, msg },
        Error::Usage(_) => Error::Usage(msg),
        _ => Error::Other(msg),
    }
}

/// With --json the failure is in the report; keep the exit code only.
fn quiet(e: Error) -> Error {
    let msg = "the file was not imported (see the JSON report)".to_string();
    same_kind(e, msg)
}

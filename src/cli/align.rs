//! `polytm align`: align two or three versions of a document into
//! translation units.
//!
//! ```text
//! polytm align --langs A,B[,C] FA FB [FC] [--presplit] [--format summary|beads|tsv|json]
//!              [--no-store] [--doc NAME] [--replace] [--min-confidence X] [--review FILE.html]
//! polytm align apply --doc NAME SHEET.tsv
//! ```
//!
//! Files are text, or `.docx`, `.odt`, `.html` (their paragraphs, headings,
//! list items and table cells; page furniture left out). Review: `--format
//! tsv` is a sheet to correct in a spreadsheet, `--review` a side-by-side
//! page; `align apply` replaces a document's units with a corrected sheet,
//! marked as reviewed.
//!
//! Without `--presplit` each file is cut into sentences by `polytm segment`
//! (blank lines separate paragraphs); with it, every non-blank line is one
//! sentence and blank lines are paragraph breaks. Sentences are numbered
//! from 0 in the output, blank lines not counted: with `--presplit` the
//! non-blank lines, else the sentences as `polytm segment` prints them.
//! The units go into the TM in one transaction unless
//! `--no-store`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use clap::{Args as ClapArgs, Subcommand, ValueEnum};
use serde::Serialize;

use super::output::{Table, print_json, stdout};
use super::{Ctx, OnDuplicate};
use crate::progress::Bars;
use polytm_align::{Bead, Options};
use polytm_core::Progress;
use polytm_core::error::{Error, Result, display_path};
use polytm_engine::align::{
    Input, Stored, check_document, default_doc_name, read_input, store_units, unit_text,
};
use polytm_text::lang::parse_list;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Counts of units per shape and the units the aligner is least sure of.
    Summary,
    /// One unit a line: "[0,1]:[0]" (0-based sentence numbers per file).
    Beads,
    /// Tab-separated: a header of language codes and "confidence", one unit a line.
    Tsv,
    /// JSON: sentence numbers, texts and confidence of every unit.
    Json,
}

#[derive(ClapArgs, Debug)]
#[command(
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true,
    about = "Align two or three versions of a document into translation units",
    long_about = "Align two or three versions of a document (EN/RU/ZH or any languages) \
        sentence by sentence and store the units in the TM.\n\n\
        With three files the first is the pivot: both others are aligned to it and the \
        units are three-way (every group of pivot sentences with its counterparts in both \
        other languages). Evidence: sentence lengths (ratio measured on the documents), \
        numbers, names, punctuation, glossary terms, the lexicon (`polytm lexicon import`) \
        and word pairs learnt from the documents in a first pass.",
    after_help = "Examples:\n  \
        polytm align --langs en,ru,zh release.en.txt release.ru.txt release.zh.txt\n  \
        polytm align --langs zh,en --presplit --format beads --no-store ch1.zh ch1.en\n  \
        polytm align --langs en,ru a.en a.ru --format tsv --doc 'SCO 2018-05-17' > units.tsv\n  \
        polytm align --langs en,ru guide.en.docx guide.ru.docx --review review.html\n  \
        polytm align apply --doc guide corrected.tsv"
)]
pub struct Args {
    #[command(subcommand)]
    pub action: Option<Action>,

    /// Languages of the files, in order: en,ru or en,ru,zh.
    #[arg(long, value_name = "A,B[,C]", required = true)]
    pub langs: Option<String>,

    /// Two or three files (the same document in each language): text,
    /// .docx, .odt or .html.
    #[arg(value_name = "FILE", num_args = 1.., required = true)]
    pub files: Vec<PathBuf>,

    /// Also write a side-by-side review page (HTML): one column per
    /// language, each unit's shape and confidence, unsure units flagged.
    #[arg(long, value_name = "FILE.html")]
    pub review: Option<PathBuf>,

    /// The files hold one sentence per line (blank lines: paragraph breaks).
    #[arg(long)]
    pub presplit: bool,

    /// What to print.
    #[arg(long, value_enum, default_value = "summary")]
    pub format: Format,

    /// Do not store the units in the TM.
    #[arg(long)]
    pub no_store: bool,

    /// Name of the document in the TM [default: the first file's name without
    /// its extensions and language suffix].
    #[arg(long, value_name = "NAME")]
    pub doc: Option<String>,

    /// Replace the units of a document of the same name already in the TM.
    #[arg(long)]
    pub replace: bool,

    /// Store only units at least this sure (0..1); all are printed.
    #[arg(long, value_name = "X", default_value_t = 0.0)]
    pub min_confidence: f64,

    /// What to do with a unit whose texts are already in the TM.
    #[arg(long, value_enum, default_value = "skip")]
    pub on_duplicate: OnDuplicate,

    /// Search the whole grid (no band): slow, for comparisons.
    #[arg(long, hide = true)]
    pub full_grid: bool,

    /// One pass only (no learning from a first pass): for comparisons.
    #[arg(long, hide = true)]
    pub one_pass: bool,
}

#[derive(Subcommand, Debug)]
pub enum Action {
    /// Replace a document's units with a corrected review sheet (the TSV of
    /// `align --format tsv`, rows joined, split, moved or deleted), in one
    /// transaction; the units are marked as reviewed.
    Apply(ApplyArgs),
}

#[derive(ClapArgs, Debug)]
pub struct ApplyArgs {
    /// The document in the TM whose units the sheet replaces.
    #[arg(long, value_name = "NAME")]
    pub doc: String,

    /// The sheet: a header of language codes (and `confidence`, ignored),
    /// one unit a row.
    #[arg(value_name = "SHEET.tsv")]
    pub sheet: PathBuf,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    if let Some(Action::Apply(a)) = &args.action {
        return apply(a, ctx);
    }
    let langs = args.langs.as_deref().unwrap_or_default();
    let tags = parse_list(langs).map_err(|e| Error::usage(format!("--langs: {e}")))?;
    if !(2..=3).contains(&tags.len()) {
        return Err(Error::usage(format!(
            "--langs: give two or three languages (got {})",
            tags.len()
        )));
    }
    if tags.len() != args.files.len() {
        return Err(Error::usage(format!(
            "--langs names {} languages but {} file{} given; give one file per language, in the same order",
            tags.len(),
            args.files.len(),
            if args.files.len() == 1 {
                " was"
            } else {
                "s were"
            }
        )));
    }
    if !(0.0..=1.0).contains(&args.min_confidence) {
        return Err(Error::usage("--min-confidence: give a number from 0 to 1"));
    }
    if args.files.iter().filter(|p| p.as_os_str() == "-").count() > 1 {
        return Err(Error::usage(
            "only one of the files can be standard input (-)",
        ));
    }
    // read everything before touching the database
    let progress = Bars::new();
    progress.step("reading the documents", None, polytm_core::Count::Items);
    let mut inputs = Vec::new();
    for (tag, path) in tags.iter().zip(&args.files) {
        let input = read_input(tag, path, args.presplit)?;
        super::segment::warn_if_wrong_script(path, &input.sentences.join(" "), &tag.lang);
        inputs.push(input);
    }
    let doc_name = match &args.doc {
        Some(d) if d.trim().is_empty() => return Err(Error::usage("--doc: the name is empty")),
        Some(d) => d.clone(),
        None => default_doc_name(&args.files[0], &tags[0]),
    };

    // the TM: lexicon (and glossary) to read, units to write
    let db = if args.no_store && !ctx.db_exists() {
        None
    } else {
        Some(ctx.open()?)
    };
    if let Some(db) = &db
        && !args.no_store
    {
        check_document(db.reader()?.as_ref(), &doc_name, args.replace)?;
    }
    // the review page may replace neither the database nor a document
    let protected = ctx
        .protected()
        .inputs(inputs.iter().map(|i| i.path.as_path()));
    if let Some(page) = &args.review {
        protected.check(page)?;
    }
    let opts = Options {
        second_pass: !args.one_pass,
        full_grid: args.full_grid,
    };
    let beads = polytm_engine::align::align(db.as_deref(), &inputs, opts, &progress)?;
    progress.step("storing the units", None, polytm_core::Count::Items);
    let mut stored = None;
    if !args.no_store
        && let Some(db) = &db
    {
        stored = Some(store_units(
            db.as_ref(),
            &doc_name,
            &inputs,
            &beads,
            args.on_duplicate.into(),
            args.min_confidence,
        )?);
    }
    progress.finish();
    warn_unmatched(&inputs, &beads);
    if let Some(page) = &args.review {
        write_review(page, &doc_name, &inputs, &beads, &protected)?;
    }
    match args.format {
        Format::Beads => print_beads(&beads),
        Format::Tsv => print_tsv(&inputs, &beads),
        Format::Json => print_json_units(&inputs, &beads),
        Format::Summary => print_summary(&inputs, &beads, &doc_name, stored),
    }
}

/// `align apply`: a corrected sheet replaces a document's units.
fn apply(a: &ApplyArgs, ctx: &Ctx) -> Result<()> {
    let db = ctx.open()?;
    let done = polytm_engine::review::apply_sheet(db.as_ref(), &a.doc, &a.sheet)?;
    let mut out = stdout();
    write!(
        out,
        "document: {}\nreviewed units stored: {} (replacing {})",
        a.doc, done.units, done.removed
    )?;
    if done.dropped > 0 {
        write!(
            out,
            "; {} rows with text in fewer than two languages left out",
            done.dropped
        )?;
    }
    writeln!(out)?;
    out.flush()?;
    Ok(())
}

/// Write the side-by-side review page of an alignment.
fn write_review(
    page: &std::path::Path,
    name: &str,
    inputs: &[Input],
    beads: &[Bead],
    protected: &polytm_core::output::Protected,
) -> Result<()> {
    let langs: Vec<String> = inputs.iter().map(|i| i.tag.tag.clone()).collect();
    let units: Vec<polytm_engine::review::ReviewUnit> = beads
        .iter()
        .map(|b| polytm_engine::review::ReviewUnit {
            shape: b.shape(),
            confidence: b.confidence,
            texts: inputs
                .iter()
                .zip(&b.sides)
                .map(|(i, &r)| unit_text(i, r))
                .collect(),
        })
        .collect();
    let html = polytm_engine::review::page(name, &langs, &units, &polytm_store::now());
    polytm_engine::pretranslate::output::write_all(
        &[polytm_engine::pretranslate::output::Pending {
            path: Some(page.to_path_buf()),
            content: html.into_bytes(),
            summary: "review page".into(),
        }],
        protected,
    )
}

/// Say so when much of one document has no counterpart in the others.
fn warn_unmatched(inputs: &[Input], beads: &[Bead]) {
    for (d, input) in inputs.iter().enumerate() {
        let n = input.sentences.len();
        let alone: usize = beads
            .iter()
            .filter(|b| {
                b.sides
                    .iter()
                    .enumerate()
                    .all(|(e, (s, t))| (e == d) == (t > s))
            })
            .map(|b| b.sides[d].1 - b.sides[d].0)
            .sum();
        if n >= 4 && alone * 4 > n {
            eprintln!(
                "polytm: warning: {}: {} of its {} sentences have no counterpart in the other file{} (are they versions of the same document?)",
                display_path(&input.path),
                alone,
                n,
                if inputs.len() > 2 { "s" } else { "" }
            );
        }
    }
}

fn fmt_side((s, e): (usize, usize)) -> String {
    let ids: Vec<String> = (s..e).map(|i| i.to_string()).collect();
    format!("[{}]", ids.join(","))
}

/// "[0,1]:[0]": the numbers of the sentences of each file.
fn bead_line(b: &Bead) -> String {
    b.sides
        .iter()
        .map(|&s| fmt_side(s))
        .collect::<Vec<_>>()
        .join(":")
}

fn print_beads(beads: &[Bead]) -> Result<()> {
    let mut out = stdout();
    for b in beads {
        writeln!(out, "{}", bead_line(b))?;
    }
    out.flush()?;
    Ok(())
}

fn print_tsv(inputs: &[Input], beads: &[Bead]) -> Result<()> {
    let mut out = stdout();
    let head: Vec<&str> = inputs.iter().map(|i| i.tag.tag.as_str()).collect();
    writeln!(out, "{}\tconfidence", head.join("\t"))?;
    for b in beads {
        let cells: Vec<String> = inputs
            .iter()
            .zip(&b.sides)
            .map(|(i, &r)| unit_text(i, r).replace(['\t', '\n', '\r'], " "))
            .collect();
        writeln!(out, "{}\t{:.3}", cells.join("\t"), b.confidence)?;
    }
    out.flush()?;
    Ok(())
}

#[derive(Serialize)]
struct JsonUnit {
    position: usize,
    shape: String,
    confidence: f64,
    sentences: BTreeMap<String, Vec<usize>>,
    text: BTreeMap<String, String>,
}

fn print_json_units(inputs: &[Input], beads: &[Bead]) -> Result<()> {
    let units: Vec<JsonUnit> = beads
        .iter()
        .enumerate()
        .map(|(k, b)| JsonUnit {
            position: k,
            shape: b.shape(),
            confidence: (b.confidence * 1000.0).round() / 1000.0,
            sentences: inputs
                .iter()
                .zip(&b.sides)
                .map(|(i, &(s, e))| (i.tag.tag.clone(), (s..e).collect::<Vec<usize>>()))
                .collect(),
            text: inputs
                .iter()
                .zip(&b.sides)
                .map(|(i, &r)| (i.tag.tag.clone(), unit_text(i, r)))
                .collect(),
        })
        .collect();
    print_json(&units)
}

/// Units below this confidence are listed in the summary.
const LOW: f64 = 0.5;

fn print_summary(
    inputs: &[Input],
    beads: &[Bead],
    name: &str,
    stored: Option<Stored>,
) -> Result<()> {
    let mut shapes: BTreeMap<String, usize> = BTreeMap::new();
    for b in beads {
        *shapes.entry(b.shape()).or_default() += 1;
    }
    let mut shapes: Vec<(String, usize)> = shapes.into_iter().collect();
    shapes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let langs: Vec<&str> = inputs.iter().map(|i| i.tag.tag.as_str()).collect();
    let mut out = stdout();
    writeln!(out, "document: {name}")?;
    for i in inputs {
        writeln!(
            out,
            "{}: {} sentences ({})",
            i.tag.tag,
            i.sentences.len(),
            display_path(&i.path)
        )?;
    }
    writeln!(out, "units: {}", beads.len())?;
    let mut t = Table::new([
        format!("shape ({})", langs.join("-")),
        "units".to_string(),
        "share".to_string(),
    ]);
    for (s, n) in &shapes {
        t.row([
            s.clone(),
            n.to_string(),
            format!("{:.1}%", 100.0 * *n as f64 / beads.len().max(1) as f64),
        ]);
    }
    write!(out, "{}", t.render())?;
    match stored {
        Some(s) => {
            write!(out, "stored: {} units added", s.added)?;
            if s.skipped > 0 {
                write!(out, ", {} already in the TM", s.skipped)?;
            }
            if s.overwritten > 0 {
                write!(out, ", {} overwritten", s.overwritten)?;
            }
            if s.low > 0 {
                write!(out, ", {} below --min-confidence left out", s.low)?;
            }
            if s.replaced > 0 {
                write!(out, " (replacing {} units of the old version)", s.replaced)?;
            }
            writeln!(out)?;
        }
        None => writeln!(out, "stored: nothing (--no-store)")?,
    }
    let low: Vec<(usize, &Bead)> = beads
        .iter()
        .enumerate()
        .filter(|(_, b)| b.confidence < LOW)
        .collect();
    if low.is_empty() {
        writeln!(out, "low-confidence units (< {LOW}): none")?;
    } else {
        writeln!(out, "low-confidence units (< {LOW}): {}", low.len())?;
        let mut head = vec![
            "unit".to_string(),
            "sentences".to_string(),
            "conf".to_string(),
        ];
        head.extend(langs.iter().map(|l| l.to_string()));
        let mut t = Table::new(head).max_width(40);
        for (k, b) in low {
            let mut row = vec![k.to_string(), bead_line(b), format!("{:.2}", b.confidence)];
            row.extend(inputs.iter().zip(&b.sides).map(|(i, &r)| unit_text(i, r)));
            t.row(row);
        }
        write!(out, "{}", t.render())?;
    }
    out.flush()?;
    Ok(())
}

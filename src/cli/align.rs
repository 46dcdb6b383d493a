//! `polytm align`: align two or three versions of a document into
//! translation units.
//!
//! ```text
//! polytm align --langs A,B[,C] FA FB [FC] [--presplit] [--format summary|beads|tsv|json]
//!              [--no-store] [--doc NAME] [--replace] [--min-confidence X]
//! ```
//!
//! Without `--presplit` each file is cut into sentences by `polytm segment`
//! (blank lines separate paragraphs); with it, every non-blank line is one
//! sentence and blank lines are paragraph breaks. Sentence numbers in the
//! output are 0-based: input line numbers with `--presplit` (a blank line
//! is in no unit), else the numbers of the sentences as `polytm segment`
//! prints them (blank lines not counted). The units go into the TM in one transaction unless
//! `--no-store`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args as ClapArgs, ValueEnum};
use serde::Serialize;

use super::Ctx;
use super::output::{Table, print_json, stdout};
use crate::align::{self, Anchors, Bead, Lexicon, Options, PairEvidence, Tokenized};
use crate::error::{Error, Result, display_path};
use crate::formats::input::{Utf16, read_text, require_text};
use crate::lang::{LangTag, parse_list};
use crate::store::units::{NewUnit, NewVariant, OnDuplicate, Origin, UnitWriter};
use crate::store::{Store, new_batch};
use crate::text::segment::{Segmenter, one_line};

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
        polytm align --langs en,ru a.en a.ru --format tsv --doc 'SCO 2018-05-17' > units.tsv"
)]
pub struct Args {
    /// Languages of the files, in order: en,ru or en,ru,zh.
    #[arg(long, value_name = "A,B[,C]")]
    pub langs: String,

    /// Two or three files (the same document in each language).
    #[arg(value_name = "FILE", num_args = 1..)]
    pub files: Vec<PathBuf>,

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

/// One input document: its sentences as stored and printed.
struct Input {
    tag: LangTag,
    path: PathBuf,
    sentences: Vec<String>,
    /// Paragraph of each sentence.
    paragraph: Vec<u32>,
    /// The number each sentence is printed with: its 0-based line in the
    /// file with --presplit (blank lines are paragraph breaks, in no
    /// unit), else its index.
    number: Vec<usize>,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    let tags = parse_list(&args.langs).map_err(|e| Error::usage(format!("--langs: {e}")))?;
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
    let progress = crate::progress::spinner("reading the documents");
    let mut inputs = Vec::new();
    for (tag, path) in tags.iter().zip(&args.files) {
        inputs.push(read_input(tag, path, args.presplit)?);
    }
    progress.set_message("loading the lexicon and glossary");
    let doc_name = match &args.doc {
        Some(d) if d.trim().is_empty() => return Err(Error::usage("--doc: the name is empty")),
        Some(d) => d.clone(),
        None => default_doc_name(&args.files[0], &tags[0]),
    };

    // the TM: lexicon (and glossary) to read, units to write
    let mut store = if args.no_store && !ctx.db_path.exists() {
        None
    } else {
        Some(ctx.open()?)
    };
    if let Some(s) = &store
        && !args.no_store
    {
        check_document(s, &doc_name, args.replace)?;
    }
    let toks: Vec<Tokenized> = inputs
        .iter()
        .map(|i| {
            let s: Vec<&str> = i.sentences.iter().map(String::as_str).collect();
            Tokenized::new(&i.tag.lang, &s).with_paragraphs(&i.paragraph)
        })
        .collect();
    let mut lexicons = Vec::new();
    for (k, t) in tags.iter().enumerate().skip(1) {
        let lex = match &store {
            Some(s) => Lexicon::load(
                &s.conn,
                &tags[0].lang,
                &t.lang,
                0.0,
                Some(&toks[0].vocab),
                Some(&toks[k].vocab),
            )?,
            None => Lexicon::new(),
        };
        lexicons.push(lex);
    }
    let concepts = match &store {
        Some(s) => glossary_anchors(s, &inputs)?,
        None => vec![Vec::new(); inputs.len()],
    };
    let evidence: Vec<PairEvidence> = lexicons
        .iter()
        .enumerate()
        .map(|(k, l)| PairEvidence {
            lexicons: vec![l],
            anchors: Anchors {
                a: concepts[0].clone(),
                b: concepts[k + 1].clone(),
            },
        })
        .collect();
    let opts = Options {
        second_pass: !args.one_pass,
        full_grid: args.full_grid,
    };
    let sizes: Vec<String> = inputs
        .iter()
        .map(|i| i.sentences.len().to_string())
        .collect();
    progress.set_message(format!("aligning {} sentences", sizes.join(" × ")));
    let beads = align::align_tokenized(&toks, &evidence, opts);
    progress.set_message("storing the units");
    let mut stored = None;
    if !args.no_store
        && let Some(s) = store.as_mut()
    {
        stored = Some(store_units(s, &args, &doc_name, &inputs, &beads)?);
    }
    progress.finish_and_clear();
    warn_unmatched(&inputs, &beads);
    match args.format {
        Format::Beads => print_beads(&inputs, &beads),
        Format::Tsv => print_tsv(&inputs, &beads),
        Format::Json => print_json_units(&inputs, &beads),
        Format::Summary => print_summary(&inputs, &beads, &doc_name, stored),
    }
}

fn read_input(tag: &LangTag, path: &Path, presplit: bool) -> Result<Input> {
    let text = read_text(path, Utf16::Decode)?;
    require_text(path, &text)?;
    super::segment::warn_if_wrong_script(path, &text, &tag.lang);
    let mut sentences = Vec::new();
    let mut paragraph = Vec::new();
    let mut number = Vec::new();
    if presplit {
        let mut para = 0u32;
        let mut blank = false;
        for (n, line) in text.split('\n').enumerate() {
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.trim().is_empty() {
                blank = true;
                continue;
            }
            if blank && !sentences.is_empty() {
                para += 1;
            }
            blank = false;
            sentences.push(line.to_string());
            paragraph.push(para);
            number.push(n);
        }
    } else {
        let chars: Vec<char> = text.chars().collect();
        for (k, p) in Segmenter::new(&tag.lang)
            .segment_chars(&chars)
            .iter()
            .enumerate()
        {
            for s in &p.sentences {
                number.push(sentences.len());
                sentences.push(one_line(&chars, *s));
                paragraph.push(k as u32);
            }
        }
    }
    Ok(Input {
        tag: tag.clone(),
        path: path.to_path_buf(),
        sentences,
        paragraph,
        number,
    })
}

/// The glossary concepts recognised in each sentence of each document,
/// numbered densely (the same concept has the same number everywhere).
fn glossary_anchors(store: &Store, inputs: &[Input]) -> Result<Vec<Vec<Vec<u32>>>> {
    let glossary = crate::glossary::Glossary::load(&store.conn)?;
    if glossary.is_empty() {
        return Ok(vec![Vec::new(); inputs.len()]);
    }
    let mut ids: std::collections::HashMap<i64, u32> = std::collections::HashMap::new();
    let mut out = Vec::new();
    for input in inputs {
        let rec = glossary.recognizer(&input.tag.lang);
        let per_sentence: Vec<Vec<u32>> = input
            .sentences
            .iter()
            .map(|s| {
                let mut v: Vec<u32> = rec
                    .scan(s)
                    .into_iter()
                    .map(|h| {
                        let n = ids.len() as u32;
                        *ids.entry(h.concept_id).or_insert(n)
                    })
                    .collect();
                v.truncate(64);
                v
            })
            .collect();
        out.push(per_sentence);
    }
    Ok(out)
}

/// "release.en.txt" with language en → "release".
fn default_doc_name(path: &Path, tag: &LangTag) -> String {
    if path.as_os_str() == "-" {
        return format!("stdin {}", crate::store::now());
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| display_path(path));
    let mut parts: Vec<&str> = name.split('.').collect();
    while parts.len() > 1 {
        let last = parts[parts.len() - 1];
        let is_ext = matches!(
            last.to_ascii_lowercase().as_str(),
            "txt" | "text" | "md" | "tsv" | "para" | "sent" | "sentences"
        );
        let is_lang = LangTag::parse(last).is_ok_and(|t| t.lang == tag.lang);
        if is_ext || is_lang {
            parts.pop();
        } else {
            break;
        }
    }
    parts.join(".")
}

/// A document of that name must not be in the TM already (unless it is
/// to be replaced).
fn check_document(store: &Store, name: &str, replace: bool) -> Result<()> {
    let found: Option<String> = store
        .conn
        .query_row(
            "SELECT created_at FROM documents WHERE name = ?1",
            [name],
            |r| r.get(0),
        )
        .ok();
    if let Some(when) = found
        && !replace
    {
        return Err(Error::other(format!(
            "document '{name}' is already in the TM (stored {when}); give another name with --doc, or --replace it"
        )));
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, Serialize)]
struct Stored {
    added: usize,
    skipped: usize,
    overwritten: usize,
    low: usize,
    replaced: usize,
}

fn unit_text(input: &Input, (s, e): (usize, usize)) -> String {
    let sep = if input.tag.lang.is_unspaced() {
        ""
    } else {
        " "
    };
    input.sentences[s..e].join(sep)
}

fn store_units(
    store: &mut Store,
    args: &Args,
    name: &str,
    inputs: &[Input],
    beads: &[Bead],
) -> Result<Stored> {
    let source = inputs
        .iter()
        .map(|i| display_path(&i.path))
        .collect::<Vec<_>>()
        .join(" ");
    let langs = inputs
        .iter()
        .map(|i| i.tag.tag.clone())
        .collect::<Vec<_>>()
        .join(",");
    let tx = store.transaction()?;
    let mut replaced = 0;
    let old: Option<i64> = tx
        .query_row("SELECT id FROM documents WHERE name = ?1", [name], |r| {
            r.get(0)
        })
        .ok();
    if let Some(id) = old {
        let ids = crate::store::units::units_of_document(&tx, id)?;
        replaced = crate::store::units::delete_units(&tx, &ids)?;
        tx.execute("DELETE FROM documents WHERE id = ?1", [id])?;
    }
    let batch = new_batch(&tx, "align", &source)?;
    tx.execute(
        "INSERT INTO documents(name, langs, origin, batch_id, created_at) VALUES (?1, ?2, 'aligned', ?3, ?4)",
        rusqlite::params![name, langs, batch, crate::store::now()],
    )?;
    let doc_id = tx.last_insert_rowid();
    let mut w = UnitWriter::new(&tx, batch, args.on_duplicate);
    let mut low = 0;
    for (k, b) in beads.iter().enumerate() {
        let variants: Vec<NewVariant> = inputs
            .iter()
            .zip(&b.sides)
            .filter(|(_, (s, e))| e > s)
            .map(|(i, &r)| NewVariant::new(i.tag.clone(), unit_text(i, r)))
            .collect();
        if variants.len() < 2 {
            continue; // an omission: nothing to translate it with
        }
        if b.confidence < args.min_confidence {
            low += 1;
            continue;
        }
        let mut u = NewUnit::new(Origin::Aligned, variants);
        u.document_id = Some(doc_id);
        u.confidence = Some((b.confidence * 1000.0).round() / 1000.0);
        u.position = Some(k as i64);
        u.src_lang = Some(inputs[0].tag.lang.clone());
        w.add(&u)?;
    }
    let stats = w.finish()?;
    tx.commit()?;
    Ok(Stored {
        added: stats.added,
        skipped: stats.skipped,
        overwritten: stats.overwritten,
        low,
        replaced,
    })
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

fn fmt_side(input: &Input, (s, e): (usize, usize)) -> String {
    let ids: Vec<String> = input.number[s..e].iter().map(|i| i.to_string()).collect();
    format!("[{}]", ids.join(","))
}

/// "[0,1]:[0]": the numbers of the sentences of each file.
fn bead_line(inputs: &[Input], b: &Bead) -> String {
    inputs
        .iter()
        .zip(&b.sides)
        .map(|(i, &s)| fmt_side(i, s))
        .collect::<Vec<_>>()
        .join(":")
}

fn print_beads(inputs: &[Input], beads: &[Bead]) -> Result<()> {
    let mut out = stdout();
    for b in beads {
        writeln!(out, "{}", bead_line(inputs, b))?;
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
                .map(|(i, &(s, e))| (i.tag.tag.clone(), i.number[s..e].to_vec()))
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
            let mut row = vec![
                k.to_string(),
                bead_line(inputs, b),
                format!("{:.2}", b.confidence),
            ];
            row.extend(inputs.iter().zip(&b.sides).map(|(i, &r)| unit_text(i, r)));
            t.row(row);
        }
        write!(out, "{}", t.render())?;
    }
    out.flush()?;
    Ok(())
}

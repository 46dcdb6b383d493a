//! `polytm lexicon`: the bilingual word list the aligner uses as evidence.
//!
//! ```text
//! polytm lexicon import --langs A,B FILE     CC-CEDICT (plain or .gz), or TSV "a<TAB>b[<TAB>weight]"
//! polytm lexicon learn --langs A,B           word pairs learnt from the units in the TM
//! polytm lexicon stats [--json]              entries per language pair and source
//! polytm lexicon lookup WORD [--json]        entries with this word on either side
//! ```
//!
//! An import is one transaction: a file with an error adds nothing.
//! Entries already present are not added twice (their weight is raised
//! when the new one is higher). Remove an import with its batch.

use std::path::PathBuf;

use clap::{Args as ClapArgs, Subcommand};
use serde::Serialize;

use super::Ctx;
use super::output::{Table, print_json, print_line};
use crate::progress::Bars;
use polytm_core::error::{Error, Result, display_path};
use polytm_engine::lexicon as el;
use polytm_text::lang::{LangTag, parse_list};

#[derive(ClapArgs, Debug)]
#[command(
    about = "Import, learn and look up the bilingual lexicon the aligner uses",
    after_help = "Examples:\n  polytm lexicon import --langs zh,en cedict_ts.u8.gz\n  \
        polytm lexicon import --langs en,ru words.tsv\n  polytm lexicon learn --langs en,ru\n  \
        polytm lexicon lookup 研究"
)]
pub struct Args {
    #[command(subcommand)]
    pub command: LexiconCommand,
}

#[derive(Subcommand, Debug)]
pub enum LexiconCommand {
    /// Import CC-CEDICT (text or .gz) or a TSV word list "a<TAB>b[<TAB>weight]".
    #[command(
        long_about = "Import a bilingual word list into the TM, as evidence for the aligner.\n\n\
            CC-CEDICT (`traditional simplified [pin1 yin1] /gloss/gloss/`, plain or gzip-compressed) \
            is recognised by its lines; --langs must then be zh,en. Simplified headwords are \
            stored for zh, traditional ones (where they differ) for zh-Hant, the English glosses \
            as words and short phrases (words of long glosses weigh less), and the readings of \
            single characters (pinyin, for names).\n\n\
            Anything else is a TSV file: one pair a line, `A<TAB>B` or `A<TAB>B<TAB>weight` \
            (weight 0..1, default 1); a first line naming the two languages is a header."
    )]
    Import(ImportArgs),
    /// Learn word pairs from the units of the TM (IBM Model 1 both ways).
    Learn(LearnArgs),
    /// Entries per language pair and source.
    Stats(StatsArgs),
    /// Entries with this word (folded) on either side.
    Lookup(LookupArgs),
}

#[derive(ClapArgs, Debug)]
pub struct ImportArgs {
    /// The two languages of the file, in column order: zh,en or en,ru.
    #[arg(long, value_name = "A,B")]
    pub langs: String,
    /// The file (`-`: standard input).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

#[derive(ClapArgs, Debug)]
pub struct LearnArgs {
    /// The language pair: en,ru.
    #[arg(long, value_name = "A,B")]
    pub langs: String,
    /// Learn from at most this many units (the most recent).
    #[arg(long, default_value_t = 20_000)]
    pub max_units: usize,
    /// Keep pairs seen together in at least this many units.
    #[arg(long, default_value_t = 3)]
    pub min_count: u32,
}

#[derive(ClapArgs, Debug)]
pub struct StatsArgs {
    #[arg(long)]
    pub json: bool,
}

#[derive(ClapArgs, Debug)]
pub struct LookupArgs {
    pub word: String,
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    match args.command {
        LexiconCommand::Import(a) => import(a, ctx),
        LexiconCommand::Learn(a) => learn_from_tm(a, ctx),
        LexiconCommand::Stats(a) => stats(a, ctx),
        LexiconCommand::Lookup(a) => lookup_word(a, ctx),
    }
}

fn two_langs(s: &str) -> Result<(LangTag, LangTag)> {
    let tags = parse_list(s).map_err(|e| Error::usage(format!("--langs: {e}")))?;
    match <[LangTag; 2]>::try_from(tags) {
        Ok([a, b]) => Ok((a, b)),
        Err(v) => Err(Error::usage(format!(
            "--langs: give exactly two languages (got {})",
            v.len()
        ))),
    }
}

fn import(args: ImportArgs, ctx: &Ctx) -> Result<()> {
    let (la, lb) = two_langs(&args.langs)?;
    let name = display_path(&args.file);
    let file = el::read_file(&args.file, &la, &lb)?;
    let db = ctx.open()?;
    let t = std::time::Instant::now();
    let stats = el::store_rows(db.as_ref(), &file.rows, &name, &Bars::new())?;
    print_line(format_args!(
        "{name}: {} read; {} lexicon entries added, {} already there ({:.1} s)",
        file.what,
        stats.added,
        stats.existing,
        t.elapsed().as_secs_f64()
    ))?;
    Ok(())
}

fn learn_from_tm(args: LearnArgs, ctx: &Ctx) -> Result<()> {
    let (la, lb) = two_langs(&args.langs)?;
    let db = ctx.open()?;
    let l = el::learn_from_tm(
        db.as_ref(),
        &la.lang,
        &lb.lang,
        args.max_units,
        args.min_count,
    )?;
    print_line(format_args!(
        "learned {} word pairs from {} {}–{} units: {} lexicon entries added, {} already there",
        l.pairs, l.units, la.lang, lb.lang, l.stats.added, l.stats.existing
    ))?;
    Ok(())
}

#[derive(Serialize)]
struct CountRow {
    lang_a: String,
    lang_b: String,
    source: String,
    entries: i64,
}

fn stats(args: StatsArgs, ctx: &Ctx) -> Result<()> {
    let rows: Vec<CountRow> = ctx
        .open()?
        .reader()?
        .lexicon_counts()?
        .into_iter()
        .map(|c| CountRow {
            lang_a: c.lang_a,
            lang_b: c.lang_b,
            source: c.source,
            entries: c.count,
        })
        .collect();
    if args.json {
        return print_json(&rows);
    }
    let mut t = Table::new(["languages", "source", "entries"]);
    for r in &rows {
        t.row([
            format!("{}→{}", r.lang_a, r.lang_b),
            r.source.clone(),
            r.entries.to_string(),
        ]);
    }
    t.print()
}

#[derive(Serialize)]
struct LookupRow {
    lang_a: String,
    lang_b: String,
    a: String,
    b: String,
    weight: f64,
}

fn lookup_word(args: LookupArgs, ctx: &Ctx) -> Result<()> {
    let rows: Vec<LookupRow> = ctx
        .open()?
        .reader()?
        .lexicon_lookup(&polytm_text::fold(&args.word), args.limit)?
        .into_iter()
        .map(|e| LookupRow {
            lang_a: e.lang_a,
            lang_b: e.lang_b,
            a: e.a,
            b: e.b,
            weight: e.weight,
        })
        .collect();
    if args.json {
        return print_json(&rows);
    }
    let mut t = Table::new(["languages", "a", "b", "weight"]);
    for r in &rows {
        t.row([
            format!("{}→{}", r.lang_a, r.lang_b),
            r.a.clone(),
            r.b.clone(),
            format!("{:.2}", r.weight),
        ]);
    }
    t.print()
}

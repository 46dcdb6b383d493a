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

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use clap::{Args as ClapArgs, Subcommand};
use serde::Serialize;

use super::Ctx;
use super::output::{Table, print_json};
use crate::align::lexicon::PINYIN;
use crate::align::{Tokenized, learn};
use crate::error::{Error, Pos, Result, display_path};
use crate::formats::cedict;
use crate::formats::input::{Utf16, decode, read_bytes, require_text};
use crate::lang::{Family, LangTag, parse_list};
use crate::store::lexicon::{LexiconStats, LexiconWriter, counts, lookup};
use crate::store::new_batch;

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

/// One row to store.
type Row = (String, String, String, String, f64);

fn import(args: ImportArgs, ctx: &Ctx) -> Result<()> {
    let (la, lb) = two_langs(&args.langs)?;
    let name = display_path(&args.file);
    let text = read_maybe_gzip(&args.file)?;
    require_text(&args.file, &text)?;
    let (rows, what) = if cedict::looks_like(&text) {
        let zh_en = |x: &LangTag, y: &LangTag| {
            x.lang.family() == Family::Chinese && y.lang.primary() == "en"
        };
        if !(zh_en(&la, &lb) || zh_en(&lb, &la)) {
            return Err(Error::usage(format!(
                "{name} is CC-CEDICT (Chinese–English): use --langs zh,en"
            )));
        }
        let (rows, n) = cedict_rows(&text, &name)?;
        (rows, format!("{n} CC-CEDICT entries"))
    } else {
        let (rows, n) = tsv_rows(&text, &name, &la, &lb)?;
        (rows, format!("{n} word pairs"))
    };
    let mut store = ctx.open()?;
    let t = std::time::Instant::now();
    let tx = store.transaction()?;
    let batch = new_batch(&tx, "lexicon", &name)?;
    let mut w = LexiconWriter::new(&tx, batch, &name);
    let pb = crate::progress::bar(Some(rows.len() as u64), "importing");
    for (k, (a_lang, b_lang, a, b, weight)) in rows.iter().enumerate() {
        w.add(a_lang, b_lang, a, b, *weight)?;
        if k % 4096 == 0 {
            pb.set_position(k as u64);
        }
    }
    pb.finish_and_clear();
    let stats: LexiconStats = w.stats;
    tx.commit()?;
    println!(
        "{name}: {what} read; {} lexicon entries added, {} already there ({:.1} s)",
        stats.added,
        stats.existing,
        t.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Read a file, decompressing gzip (by its magic bytes).
fn read_maybe_gzip(path: &Path) -> Result<String> {
    let bytes = read_bytes(path)?;
    let name = display_path(path);
    let bytes = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(&bytes[..])
            .read_to_end(&mut out)
            .map_err(|e| Error::input(&name, None, format!("broken gzip data: {e}")))?;
        out
    } else {
        bytes
    };
    decode(&bytes, Utf16::Decode).map_err(|(pos, msg)| Error::input(&name, pos, msg))
}

/// Rows of a CC-CEDICT file: (zh, en) from simplified headwords,
/// (zh-Hant, en) from traditional ones that differ, single-character
/// readings under `zh-Latn-pinyin`. Returns the rows and the entries read.
fn cedict_rows(text: &str, name: &str) -> Result<(Vec<Row>, usize)> {
    let mut best: HashMap<(&'static str, &'static str, String, String), f64> = HashMap::new();
    let mut entries = 0;
    let mut put = |la: &'static str, lb: &'static str, a: &str, b: &str, w: f64| {
        let e = best
            .entry((la, lb, crate::text::fold(a), crate::text::fold(b)))
            .or_insert(w);
        if w > *e {
            *e = w;
        }
    };
    for (n, line) in text.lines().enumerate() {
        let e = match cedict::parse_line(line) {
            Ok(Some(e)) => e,
            Ok(None) => continue,
            Err(msg) => return Err(Error::at_line(name, n + 1, msg)),
        };
        entries += 1;
        let trad = (e.traditional != e.simplified).then_some(e.traditional.as_str());
        for g in &e.glosses {
            for (term, w) in cedict::gloss_terms(g) {
                put("zh", "en", &e.simplified, &term, w);
                if let Some(t) = trad {
                    put("zh-Hant", "en", t, &term, w);
                }
            }
        }
        if e.simplified.chars().count() == 1 {
            let syl = cedict::syllables(&e.pinyin);
            if let [s] = syl.as_slice() {
                // readings of names first (Chen2: surname)
                let w = if e.pinyin.starts_with(|c: char| c.is_ascii_uppercase()) {
                    1.0
                } else {
                    0.8
                };
                put("zh", PINYIN, &e.simplified, s, w);
                if let Some(t) = trad {
                    put("zh-Hant", PINYIN, t, s, w);
                }
            }
        }
    }
    if entries == 0 {
        return Err(Error::input(name, None, "no CC-CEDICT entries"));
    }
    let mut rows: Vec<Row> = best
        .into_iter()
        .map(|((la, lb, a, b), w)| (la.to_string(), lb.to_string(), a, b, w))
        .collect();
    rows.sort_by(|x, y| (&x.0, &x.1, &x.2, &x.3).cmp(&(&y.0, &y.1, &y.2, &y.3)));
    Ok((rows, entries))
}

/// Rows of a TSV word list `a<TAB>b[<TAB>weight]`.
fn tsv_rows(text: &str, name: &str, la: &LangTag, lb: &LangTag) -> Result<(Vec<Row>, usize)> {
    let mut rows = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        let cells: Vec<&str> = line.split('\t').collect();
        if n == 0
            && cells.len() >= 2
            && LangTag::parse(cells[0]).is_ok_and(|t| t.lang == la.lang)
            && LangTag::parse(cells[1]).is_ok_and(|t| t.lang == lb.lang)
        {
            continue; // header
        }
        let pos = |col: usize| Some(Pos::LineCol(n + 1, col));
        if cells.len() < 2 || cells.len() > 3 {
            return Err(Error::input(
                name,
                Some(Pos::Line(n + 1)),
                format!(
                    "{} column{}; a word list has two ({}<TAB>{}) or three (with a weight)",
                    cells.len(),
                    if cells.len() == 1 { "" } else { "s" },
                    la.tag,
                    lb.tag
                ),
            ));
        }
        let weight = match cells.get(2) {
            None => 1.0,
            Some(w) => match w.trim().parse::<f64>() {
                Ok(x) if x > 0.0 && x <= 1.0 => x,
                _ => {
                    let col = cells[0].chars().count() + cells[1].chars().count() + 3;
                    return Err(Error::input(
                        name,
                        pos(col),
                        format!("weight '{w}' is not a number from 0 to 1"),
                    ));
                }
            },
        };
        let (a, b) = (cells[0].trim(), cells[1].trim());
        if a.is_empty() || b.is_empty() {
            return Err(Error::input(name, Some(Pos::Line(n + 1)), "an empty word"));
        }
        rows.push((
            la.lang.as_str().to_string(),
            lb.lang.as_str().to_string(),
            a.to_string(),
            b.to_string(),
            weight,
        ));
    }
    if rows.is_empty() {
        return Err(Error::input(name, None, "no word pairs"));
    }
    let n = rows.len();
    Ok((rows, n))
}

fn learn_from_tm(args: LearnArgs, ctx: &Ctx) -> Result<()> {
    let (la, lb) = two_langs(&args.langs)?;
    let mut store = ctx.open()?;
    let mut texts_a = Vec::new();
    let mut texts_b = Vec::new();
    {
        let mut st = store.conn.prepare(
            "SELECT a.text, b.text FROM variants a JOIN variants b ON a.unit_id = b.unit_id
             WHERE a.lang = ?1 AND b.lang = ?2 ORDER BY a.unit_id DESC LIMIT ?3",
        )?;
        let rows = st.query_map(
            rusqlite::params![la.lang.as_str(), lb.lang.as_str(), args.max_units as i64],
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
        )?;
        for r in rows {
            let (a, b) = r?;
            texts_a.push(a);
            texts_b.push(b);
        }
    }
    if texts_a.len() < 10 {
        return Err(Error::other(format!(
            "the TM holds {} {}–{} units; learning needs at least 10",
            texts_a.len(),
            la.lang,
            lb.lang
        )));
    }
    let ra: Vec<&str> = texts_a.iter().map(String::as_str).collect();
    let rb: Vec<&str> = texts_b.iter().map(String::as_str).collect();
    let ta = Tokenized::new(&la.lang, &ra);
    let tb = Tokenized::new(&lb.lang, &rb);
    let groups: Vec<(Vec<usize>, Vec<usize>)> = (0..ra.len()).map(|i| (vec![i], vec![i])).collect();
    let pairs = learn::word_pairs(&ta, &tb, &groups, args.min_count, 0.3);
    let tx = store.transaction()?;
    let source = format!("learned from {} TM units", ra.len());
    let batch = new_batch(&tx, "lexicon", &source)?;
    let mut w = LexiconWriter::new(&tx, batch, &source);
    for (x, y, weight) in &pairs {
        w.add(
            la.lang.as_str(),
            lb.lang.as_str(),
            &ta.types[*x as usize].surface,
            &tb.types[*y as usize].surface,
            *weight as f64,
        )?;
    }
    let stats = w.stats;
    tx.commit()?;
    println!(
        "learned {} word pairs from {} {}–{} units: {} lexicon entries added, {} already there",
        pairs.len(),
        ra.len(),
        la.lang,
        lb.lang,
        stats.added,
        stats.existing
    );
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
    let store = ctx.open()?;
    let rows: Vec<CountRow> = counts(&store.conn)?
        .into_iter()
        .map(|(lang_a, lang_b, source, entries)| CountRow {
            lang_a,
            lang_b,
            source,
            entries,
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
    let store = ctx.open()?;
    let rows: Vec<LookupRow> = lookup(&store.conn, &args.word, args.limit)?
        .into_iter()
        .map(|(lang_a, lang_b, a, b, weight)| LookupRow {
            lang_a,
            lang_b,
            a,
            b,
            weight,
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

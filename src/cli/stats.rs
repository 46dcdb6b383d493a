//! `polytm stats`: what the translation memory holds.
//!
//! Units per language pair, documents, glossary concepts and terms per
//! language, lexicon entries, and the size of the file.

use clap::Args as ClapArgs;
use serde::Serialize;

use super::Ctx;
use super::output::{Table, print_json};
use crate::error::Result;

#[derive(ClapArgs, Debug)]
#[command(about = "Show what the translation memory holds")]
pub struct Args {
    /// Print JSON instead of tables.
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct Stats {
    database: String,
    bytes: u64,
    schema_version: i64,
    units: i64,
    documents: i64,
    batches: i64,
    pairs: Vec<PairCount>,
    languages: Vec<LangCount>,
    concepts: i64,
    terms: Vec<LangCount>,
    lexicon: Vec<PairCount>,
}

#[derive(Serialize)]
struct PairCount {
    a: String,
    b: String,
    count: i64,
}

#[derive(Serialize)]
struct LangCount {
    lang: String,
    count: i64,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    let store = ctx.open()?;
    let c = &store.conn;
    let one = |sql: &str| -> Result<i64> { Ok(c.query_row(sql, [], |r| r.get(0))?) };
    let pairs = |sql: &str| -> Result<Vec<PairCount>> {
        let mut st = c.prepare(sql)?;
        let rows = st.query_map([], |r| {
            Ok(PairCount {
                a: r.get(0)?,
                b: r.get(1)?,
                count: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    };
    let langs = |sql: &str| -> Result<Vec<LangCount>> {
        let mut st = c.prepare(sql)?;
        let rows = st.query_map([], |r| {
            Ok(LangCount {
                lang: r.get(0)?,
                count: r.get(1)?,
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    };
    let stats = Stats {
        database: store.path.display().to_string(),
        bytes: store.file_size(),
        schema_version: store.schema_version()?,
        units: one("SELECT count(*) FROM units")?,
        documents: one("SELECT count(*) FROM documents")?,
        batches: one("SELECT count(*) FROM batches")?,
        pairs: pairs(
            "SELECT a.lang, b.lang, count(*) FROM variants a JOIN variants b
               ON a.unit_id = b.unit_id AND a.lang < b.lang
             GROUP BY a.lang, b.lang ORDER BY count(*) DESC",
        )?,
        languages: langs(
            "SELECT lang, count(*) FROM variants GROUP BY lang ORDER BY count(*) DESC",
        )?,
        concepts: one("SELECT count(*) FROM concepts")?,
        terms: langs("SELECT lang, count(*) FROM terms GROUP BY lang ORDER BY lang")?,
        lexicon: pairs(
            "SELECT lang_a, lang_b, count(*) FROM lexicon GROUP BY lang_a, lang_b ORDER BY lang_a, lang_b",
        )?,
    };
    if args.json {
        return print_json(&stats);
    }
    let mut t = Table::new(["", "count"]);
    t.row(["database".to_string(), stats.database.clone()]);
    t.row(["size".to_string(), human_bytes(stats.bytes)]);
    t.row(["units".to_string(), stats.units.to_string()]);
    for p in &stats.pairs {
        t.row([format!("  {}-{}", p.a, p.b), p.count.to_string()]);
    }
    t.row(["documents".to_string(), stats.documents.to_string()]);
    t.row(["import/align runs".to_string(), stats.batches.to_string()]);
    t.row(["glossary concepts".to_string(), stats.concepts.to_string()]);
    for l in &stats.terms {
        t.row([format!("  {} terms", l.lang), l.count.to_string()]);
    }
    for p in &stats.lexicon {
        t.row([format!("lexicon {}-{}", p.a, p.b), p.count.to_string()]);
    }
    t.print()
}

/// 1536 → "1.5 KiB".
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["bytes", "KiB", "MiB", "GiB", "TiB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u + 1 < UNITS.len() {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} bytes")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

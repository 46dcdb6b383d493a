//! `polytm stats`: what the translation memory holds.
//!
//! Units per language pair, documents, glossary concepts and terms per
//! language, lexicon entries, and the size of the file.

use clap::Args as ClapArgs;

use super::Ctx;
use super::output::{Table, print_json};
use polytm_core::error::Result;

#[derive(ClapArgs, Debug)]
#[command(about = "Show what the translation memory holds")]
pub struct Args {
    /// Print JSON instead of tables.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    let stats = ctx.open()?.reader()?.stats()?;
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

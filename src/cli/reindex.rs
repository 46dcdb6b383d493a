//! `polytm reindex`: rebuild the fuzzy index from the units.
//!
//! The index is kept current by every command that writes units; this is
//! for a database whose index was damaged, or written by a tool other than
//! polytm.

use clap::Args as ClapArgs;

use super::Ctx;
use super::output::Table;
use polytm_core::error::Result;

#[derive(ClapArgs, Debug)]
#[command(
    about = "Rebuild the fuzzy-match index from the units (rarely needed)",
    long_about = "Rebuild the fuzzy-match index from the units. Every import, alignment, edit and \
        deletion keeps the index current; rebuild it only when polytm says it is damaged, or \
        after changing the database with another tool."
)]
pub struct Args {}

pub fn run(_args: Args, ctx: &Ctx) -> Result<()> {
    let db = ctx.open()?;
    let mut tx = db.writer()?;
    tx.rebuild_index()?;
    tx.commit()?;
    let langs: Vec<polytm_text::lang::Lang> = db
        .reader()?
        .index_sizes()?
        .into_iter()
        .map(|s| polytm_text::lang::Lang::from_key(&s.lang))
        .collect();
    polytm_engine::index::refresh(db.as_ref(), &langs, &crate::progress::Bars::new())?;
    let mut t = Table::new(["language", "segments indexed", "index size"]);
    for s in db.reader()?.index_sizes()? {
        t.row([
            s.lang,
            s.entries.to_string(),
            super::stats::human_bytes(s.bytes.max(0) as u64),
        ]);
    }
    t.print()
}

//! `polytm batches list | remove`: every import, alignment or glossary
//! import is a batch; removing one undoes it.
//!
//! ```text
//! polytm batches list
//! polytm batches remove 7          # the units, documents, glossary concepts and
//!                                  # lexicon entries batch 7 wrote
//! ```
//!
//! Units a later import overwrote (`--on-duplicate overwrite`) belong to
//! that later batch: removing it removes them (their earlier text is not
//! kept). A document that a later import added units to stays, with those
//! units.

use clap::{Args as ClapArgs, Subcommand};
use serde::Serialize;

use super::Ctx;
use super::output::{Table, print_json, print_line};
use polytm_core::error::{Error, Result};

#[derive(Subcommand, Debug)]
pub enum Cmd {
    /// List batches: what ran, on what, when, and what it wrote.
    List(ListArgs),
    /// Undo batches: remove what they wrote.
    Remove(RemoveArgs),
}

#[derive(ClapArgs, Debug)]
pub struct ListArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(ClapArgs, Debug)]
#[command(after_help = "Example:\n  polytm batches list\n  polytm batches remove 7")]
pub struct RemoveArgs {
    /// Batch ids, as `polytm batches list` shows them.
    #[arg(required = true, value_name = "ID")]
    pub ids: Vec<i64>,
}

#[derive(Serialize)]
pub struct BatchRow {
    pub id: i64,
    pub kind: String,
    pub source: String,
    pub created_at: String,
    pub units: i64,
    pub documents: i64,
    pub concepts: i64,
    pub lexicon: i64,
}

pub fn run(cmd: Cmd, ctx: &Ctx) -> Result<()> {
    match cmd {
        Cmd::List(a) => list(a, ctx),
        Cmd::Remove(a) => remove(a, ctx),
    }
}

fn list(args: ListArgs, ctx: &Ctx) -> Result<()> {
    let db = ctx.open()?;
    let rows: Vec<BatchRow> = db
        .reader()?
        .batches()?
        .into_iter()
        .map(|b| BatchRow {
            id: b.id,
            kind: b.kind,
            source: b.source,
            created_at: b.created_at,
            units: b.units,
            documents: b.documents,
            concepts: b.concepts,
            lexicon: b.lexicon,
        })
        .collect();
    if args.json {
        return print_json(&rows);
    }
    let mut t = Table::new([
        "id", "kind", "source", "created", "units", "docs", "concepts", "lexicon",
    ]);
    for b in &rows {
        t.row([
            b.id.to_string(),
            b.kind.clone(),
            b.source.clone(),
            b.created_at.clone(),
            b.units.to_string(),
            b.documents.to_string(),
            b.concepts.to_string(),
            b.lexicon.to_string(),
        ]);
    }
    t.print()
}

fn remove(args: RemoveArgs, ctx: &Ctx) -> Result<()> {
    let db = ctx.open()?;
    let mut tx = db.writer()?;
    let mut done = Vec::new();
    for &id in &args.ids {
        match tx.remove_batch(id)? {
            Some(r) => done.push((id, r)),
            None => {
                return Err(Error::other(format!(
                    "no batch {id} (see `polytm batches list`); nothing removed"
                )));
            }
        }
    }
    tx.commit()?;
    for (id, r) in done {
        let mut parts = vec![format!("{} units", r.units)];
        if r.documents > 0 {
            parts.push(format!("{} documents", r.documents));
        }
        if r.concepts > 0 {
            parts.push(format!("{} glossary concepts", r.concepts));
        }
        if r.lexicon > 0 {
            parts.push(format!("{} lexicon entries", r.lexicon));
        }
        print_line(format_args!("removed batch {id}: {}", parts.join(", ")))?;
    }
    Ok(())
}

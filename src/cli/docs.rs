//! `polytm docs list | remove`: the documents units came from.
//!
//! ```text
//! polytm docs list                  # name, languages, origin, units, batch, date
//! polytm docs list --json
//! polytm docs remove old-tm.tmx     # the document and all its units
//! ```

use clap::{Args as ClapArgs, Subcommand};
use rusqlite::OptionalExtension;
use serde::Serialize;

use super::Ctx;
use super::output::{Table, print_json};
use crate::error::{Error, Result};
use crate::store::units::{delete_units, units_of_document};

#[derive(Subcommand, Debug)]
pub enum Cmd {
    /// List documents: name, languages, origin, units, batch, date.
    List(ListArgs),
    /// Remove documents and all their units.
    Remove(RemoveArgs),
}

#[derive(ClapArgs, Debug)]
pub struct ListArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(ClapArgs, Debug)]
#[command(after_help = "Example:\n  polytm docs remove old-tm.tmx")]
pub struct RemoveArgs {
    /// Document names, as `polytm docs list` shows them.
    #[arg(required = true, value_name = "NAME")]
    pub names: Vec<String>,
}

#[derive(Serialize)]
pub struct DocRow {
    pub id: i64,
    pub name: String,
    pub langs: Vec<String>,
    pub origin: String,
    pub units: i64,
    pub batch: Option<i64>,
    pub created_at: String,
}

pub fn run(cmd: Cmd, ctx: &Ctx) -> Result<()> {
    match cmd {
        Cmd::List(a) => list(a, ctx),
        Cmd::Remove(a) => remove(a, ctx),
    }
}

fn list(args: ListArgs, ctx: &Ctx) -> Result<()> {
    let store = ctx.open()?;
    let mut st = store.conn.prepare(
        "SELECT d.id, d.name, d.langs, d.origin, d.batch_id, d.created_at,
                (SELECT count(*) FROM units u WHERE u.document_id = d.id)
         FROM documents d ORDER BY d.id",
    )?;
    let rows: Vec<DocRow> = st
        .query_map([], |r| {
            Ok(DocRow {
                id: r.get(0)?,
                name: r.get(1)?,
                langs: r
                    .get::<_, String>(2)?
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect(),
                origin: r.get(3)?,
                batch: r.get(4)?,
                created_at: r.get(5)?,
                units: r.get(6)?,
            })
        })?
        .collect::<std::result::Result<_, _>>()?;
    if args.json {
        return print_json(&rows);
    }
    let mut t = Table::new(["name", "languages", "origin", "units", "batch", "created"]);
    for d in &rows {
        t.row([
            d.name.clone(),
            d.langs.join(","),
            d.origin.clone(),
            d.units.to_string(),
            d.batch.map(|b| b.to_string()).unwrap_or_default(),
            d.created_at.clone(),
        ]);
    }
    t.print()
}

fn remove(args: RemoveArgs, ctx: &Ctx) -> Result<()> {
    let mut store = ctx.open()?;
    let tx = store.transaction()?;
    let mut done = Vec::new();
    for name in &args.names {
        let id: Option<i64> = tx
            .query_row("SELECT id FROM documents WHERE name = ?1", [name], |r| {
                r.get(0)
            })
            .optional()?;
        let Some(id) = id else {
            return Err(Error::other(format!(
                "no document named '{name}' (see `polytm docs list`); nothing removed"
            )));
        };
        let units = units_of_document(&tx, id)?;
        let n = delete_units(&tx, &units)?;
        tx.execute("DELETE FROM documents WHERE id = ?1", [id])?;
        done.push((name, n));
    }
    tx.commit()?;
    for (name, n) in done {
        println!("removed document '{name}' and its {n} units");
    }
    Ok(())
}

//! `polytm docs list | remove`: the documents units came from.
//!
//! ```text
//! polytm docs list                  # name, languages, origin, units, batch, date
//! polytm docs list --json
//! polytm docs remove old-tm.tmx     # the document and all its units
//! ```

use clap::{Args as ClapArgs, Subcommand};

use super::Ctx;
use super::output::{Table, print_json, print_line};
use polytm_core::error::{Error, Result};

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

pub fn run(cmd: Cmd, ctx: &Ctx) -> Result<()> {
    match cmd {
        Cmd::List(a) => list(a, ctx),
        Cmd::Remove(a) => remove(a, ctx),
    }
}

fn list(args: ListArgs, ctx: &Ctx) -> Result<()> {
    let db = ctx.open()?;
    let rows = crate::json::documents(db.reader()?.documents()?);
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
    let db = ctx.open()?;
    let mut tx = db.writer()?;
    let mut done = Vec::new();
    for name in &args.names {
        let Some(d) = tx.document(name)? else {
            return Err(Error::other(format!(
                "no document named '{name}' (see `polytm docs list`); nothing removed"
            )));
        };
        let n = tx.remove_document(d.id)?;
        done.push((name, n));
    }
    tx.commit()?;
    for (name, n) in done {
        print_line(format_args!("removed document '{name}' and its {n} units"))?;
    }
    Ok(())
}

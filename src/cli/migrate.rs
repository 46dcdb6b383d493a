//! `polytm migrate --to URL_OR_FILE`: copy the whole translation memory
//! (units with their variants and ids, documents, batches, glossary
//! concepts and terms, lexicon) from `--db` into another, empty database,
//! in one transaction: a file into PostgreSQL, PostgreSQL into a file, or
//! a file into a file. It reads and writes through the store interface
//! only, so any backend can be either end.

use std::collections::HashMap;
use std::path::PathBuf;

use clap::Args as ClapArgs;

use super::Ctx;
use polytm_core::error::{Error, Result};
use polytm_store::{
    Database, LexiconEntry, NewDocument, NewUnit, NewVariant, OnDuplicate, Origin, Unit, Writer,
};
use polytm_text::lang::{Lang, LangTag};

#[derive(ClapArgs, Debug)]
#[command(
    about = "Copy the whole translation memory into another (empty) database",
    long_about = "Copy the whole translation memory of --db (units with their ids, documents, \
        import/align runs, glossary, lexicon) into another database: a file, or a PostgreSQL \
        database given as postgres://USER[:PASSWORD]@HOST:PORT/DB. The target must be empty; \
        the copy is one transaction (all or nothing). Dates of runs, documents and concepts are \
        those of the copy; units keep theirs."
)]
pub struct Args {
    /// The database to copy into: a file or a postgres:// URL.
    #[arg(long, value_name = "PATH|URL")]
    pub to: PathBuf,
}

/// Units copied through one sink at a time.
const CHUNK: usize = 20_000;

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    if args.to == ctx.db_path {
        return Err(Error::usage("--to names the database being copied"));
    }
    let to = Ctx {
        db_path: args.to.clone(),
    };
    let src = ctx.open()?;
    let dst = to.open().map_err(|e| to.name_db(e))?;
    let copied = copy(src.as_ref(), dst.as_ref()).map_err(|e| to.name_db(e))?;
    println!(
        "{}: {} units, {} documents, {} glossary concepts, {} lexicon entries, {} import/align runs copied",
        to.db_name(),
        copied.units,
        copied.documents,
        copied.concepts,
        copied.lexicon,
        copied.batches,
    );
    Ok(())
}

#[derive(Default)]
struct Copied {
    units: usize,
    documents: usize,
    concepts: usize,
    lexicon: usize,
    batches: usize,
}

fn copy(src: &dyn Database, dst: &dyn Database) -> Result<Copied> {
    {
        let rd = dst.reader()?;
        let s = rd.summary()?;
        if s.units > 0
            || s.concepts > 0
            || !rd.batches()?.is_empty()
            || !rd.documents()?.is_empty()
            || !rd.lexicon_counts()?.is_empty()
        {
            return Err(Error::Db {
                file: String::new(),
                msg: "is not empty: migrate copies into an empty translation memory".into(),
            });
        }
    }
    let rd = src.reader()?;
    let mut tx = dst.writer()?;
    let mut n = Copied::default();

    let mut batches: HashMap<i64, i64> = HashMap::new();
    for b in rd.batches()? {
        batches.insert(b.id, tx.new_batch(&b.kind, &b.source)?);
        n.batches += 1;
    }
    // what has no batch (none should) goes into one made for the copy
    let mut loose: Option<i64> = None;
    let mut batch_of = |tx: &mut Box<dyn Writer + '_>, b: Option<i64>| -> Result<i64> {
        if let Some(id) = b.and_then(|b| batches.get(&b)) {
            return Ok(*id);
        }
        match loose {
            Some(id) => Ok(id),
            None => {
                let id = tx.new_batch("migrate", src.name())?;
                loose = Some(id);
                Ok(id)
            }
        }
    };

    let mut documents: HashMap<i64, i64> = HashMap::new();
    for d in rd.documents()? {
        let batch = match d.batch {
            Some(b) => Some(batch_of(&mut tx, Some(b))?),
            None => None,
        };
        let id = tx.add_document(&NewDocument {
            name: d.name.clone(),
            langs: d.langs.clone(),
            origin: d.origin.clone(),
            batch,
        })?;
        documents.insert(d.id, id);
        n.documents += 1;
    }

    // units, a chunk of one batch at a time
    let mut chunk: Vec<NewUnit> = Vec::with_capacity(CHUNK);
    let mut chunk_batch: Option<i64> = None;
    let write =
        |tx: &mut Box<dyn Writer + '_>, batch: i64, units: &mut Vec<NewUnit>| -> Result<()> {
            if units.is_empty() {
                return Ok(());
            }
            let mut sink = tx.units(batch, OnDuplicate::Keep)?;
            for u in units.iter() {
                sink.add(u)?;
            }
            sink.finish()?;
            units.clear();
            Ok(())
        };
    rd.for_each_unit(&mut |u: &Unit| {
        let batch = batch_of(&mut tx, u.batch)?;
        if chunk_batch != Some(batch) || chunk.len() >= CHUNK {
            if let Some(b) = chunk_batch {
                write(&mut tx, b, &mut chunk)?;
            }
            chunk_batch = Some(batch);
        }
        chunk.push(new_unit(u, &documents)?);
        n.units += 1;
        Ok(())
    })?;
    if let Some(b) = chunk_batch {
        write(&mut tx, b, &mut chunk)?;
    }

    // the glossary
    let concept_batch: HashMap<i64, i64> = rd.concept_batches()?.into_iter().collect();
    for c in rd.concepts()? {
        let batch = match concept_batch.get(&c.id) {
            Some(b) => Some(batch_of(&mut tx, Some(*b))?),
            None => None,
        };
        let id = tx.insert_concept(
            c.domain.as_deref(),
            c.note.as_deref(),
            c.source.as_deref(),
            batch,
        )?;
        for t in &c.terms {
            let term = polytm_glossary::NewTerm {
                tag: LangTag {
                    lang: t.lang.clone(),
                    tag: t.tag.clone(),
                },
                text: t.text.clone(),
                status: t.status,
                note: t.note.clone(),
                source: t.source.clone(),
            };
            tx.insert_term(id, &term, t.status, t.position)?;
        }
        n.concepts += 1;
    }

    // the lexicon
    let mut entries: Vec<(LexiconEntry, Option<String>, Option<i64>)> = Vec::new();
    rd.for_each_lexicon_entry(&mut |e, source, batch| {
        entries.push((e.clone(), source.map(String::from), batch));
        if entries.len() >= CHUNK {
            for (e, source, batch) in entries.drain(..) {
                let b = batch_of(&mut tx, batch)?;
                tx.add_lexicon_entry(b, source.as_deref().unwrap_or(""), &e)?;
                n.lexicon += 1;
            }
        }
        Ok(())
    })?;
    for (e, source, batch) in entries.drain(..) {
        let b = batch_of(&mut tx, batch)?;
        tx.add_lexicon_entry(b, source.as_deref().unwrap_or(""), &e)?;
        n.lexicon += 1;
    }
    drop(rd);
    tx.commit()?;
    Ok(n)
}

/// A stored unit as one to write, with its id.
fn new_unit(u: &Unit, documents: &HashMap<i64, i64>) -> Result<NewUnit> {
    let origin = Origin::parse(&u.origin)
        .ok_or_else(|| Error::other(format!("unit {}: unknown origin {:?}", u.id, u.origin)))?;
    let variants = u
        .variants
        .iter()
        .map(|v| NewVariant {
            tag: LangTag {
                lang: v.lang.clone(),
                tag: v.tag.clone(),
            },
            text: v.text.clone(),
            plain: v.plain.clone(),
        })
        .collect();
    let mut n = NewUnit::new(origin, variants);
    n.id = Some(u.id);
    n.document_id = u.document_id.and_then(|d| documents.get(&d).copied());
    n.confidence = u.confidence;
    n.position = u.position;
    n.src_lang = u.src_lang.as_deref().map(Lang::from_key);
    n.tuid = u.tuid.clone();
    n.props = u.props.clone();
    n.created_at = Some(u.created_at.clone());
    n.changed_at = u.changed_at.clone();
    n.reviewed = u.reviewed;
    Ok(n)
}

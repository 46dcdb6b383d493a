//! Batches: one import, alignment, glossary import or pre-translation run,
//! the unit of "undo".

use rusqlite::{Connection, OptionalExtension};

use polytm_store::{Batch, Removed};

use crate::error::Result;
use crate::units::{delete_units, units_of_batch};

/// Record a batch and return its id.
pub fn new_batch(tx: &Connection, kind: &str, source: &str) -> Result<i64> {
    tx.prepare_cached("INSERT INTO batches(kind, source, created_at) VALUES (?1, ?2, ?3)")?
        .execute((kind, source, polytm_store::now()))?;
    Ok(tx.last_insert_rowid())
}

/// Every batch with what it wrote.
pub fn list(conn: &Connection) -> Result<Vec<Batch>> {
    let mut st = conn.prepare(
        "SELECT b.id, b.kind, b.source, b.created_at,
                (SELECT count(*) FROM units u WHERE u.batch_id = b.id),
                (SELECT count(*) FROM documents d WHERE d.batch_id = b.id),
                (SELECT count(*) FROM concepts c WHERE c.batch_id = b.id),
                (SELECT count(*) FROM lexicon l WHERE l.batch_id = b.id)
         FROM batches b ORDER BY b.id",
    )?;
    let rows = st
        .query_map([], |r| {
            Ok(Batch {
                id: r.get(0)?,
                kind: r.get(1)?,
                source: r.get(2)?,
                created_at: r.get(3)?,
                units: r.get(4)?,
                documents: r.get(5)?,
                concepts: r.get(6)?,
                lexicon: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Remove what a batch wrote, and the batch. `None` when there is no such batch.
pub fn remove_batch(tx: &Connection, id: i64) -> Result<Option<Removed>> {
    let exists: Option<i64> = tx
        .query_row("SELECT id FROM batches WHERE id = ?1", [id], |r| r.get(0))
        .optional()?;
    if exists.is_none() {
        return Ok(None);
    }
    let mut removed = Removed::default();
    let units = units_of_batch(tx, id)?;
    removed.units = delete_units(tx, &units)?;
    // Documents of the batch: removed when empty now; otherwise they hold
    // units of later batches, and pass to the earliest of those (so the
    // cascade from `batches` cannot take those units with it).
    let docs: Vec<i64> = {
        let mut st = tx.prepare("SELECT id FROM documents WHERE batch_id = ?1")?;
        st.query_map([id], |r| r.get(0))?
            .collect::<std::result::Result<_, _>>()?
    };
    for d in docs {
        let next: Option<Option<i64>> = tx
            .query_row(
                "SELECT batch_id FROM units WHERE document_id = ?1 ORDER BY position, id LIMIT 1",
                [d],
                |r| r.get(0),
            )
            .optional()?;
        match next {
            None => {
                tx.execute("DELETE FROM documents WHERE id = ?1", [d])?;
                removed.documents += 1;
            }
            Some(b) => {
                tx.execute("UPDATE documents SET batch_id = ?2 WHERE id = ?1", (d, b))?;
            }
        }
    }
    removed.concepts = tx.execute("DELETE FROM concepts WHERE batch_id = ?1", [id])?;
    removed.lexicon = tx.execute("DELETE FROM lexicon WHERE batch_id = ?1", [id])?;
    tx.execute("DELETE FROM batches WHERE id = ?1", [id])?;
    Ok(Some(removed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::UnitWriter;
    use crate::{Store, new_batch};
    use polytm_store::{NewUnit, NewVariant, OnDuplicate, Origin};
    use polytm_text::lang::LangTag;

    fn add(tx: &Connection, batch: i64, doc: i64, text: &str) {
        let mut w = UnitWriter::new(tx, batch, OnDuplicate::Keep);
        let mut u = NewUnit::new(
            Origin::Imported,
            vec![
                NewVariant::new(LangTag::parse("en").unwrap(), text),
                NewVariant::new(LangTag::parse("ru").unwrap(), text),
            ],
        );
        u.document_id = Some(doc);
        w.add(&u).unwrap();
        w.finish().unwrap();
    }

    #[test]
    fn removing_a_batch_keeps_later_units_of_its_document() {
        let mut s = Store::in_memory().unwrap();
        let tx = s.transaction().unwrap();
        let b1 = new_batch(&tx, "import", "a.tmx").unwrap();
        tx.execute(
            "INSERT INTO documents(name, langs, origin, batch_id, created_at) VALUES ('a.tmx', 'en,ru', 'imported', ?1, 'now')",
            [b1],
        )
        .unwrap();
        add(&tx, b1, 1, "one");
        let b2 = new_batch(&tx, "import", "a.tmx").unwrap();
        add(&tx, b2, 1, "two");
        let r = remove_batch(&tx, b1).unwrap().unwrap();
        assert_eq!((r.units, r.documents), (1, 0));
        let (units, doc_batch): (i64, i64) = tx
            .query_row(
                "SELECT (SELECT count(*) FROM units), (SELECT batch_id FROM documents)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((units, doc_batch), (1, b2));
        let r = remove_batch(&tx, b2).unwrap().unwrap();
        assert_eq!((r.units, r.documents), (1, 1));
        assert!(remove_batch(&tx, 99).unwrap().is_none());
    }
}

//! Documents: the texts aligned and the files imported that units came from.

use rusqlite::{Connection, OptionalExtension, params};

use polytm_store::{Document, NewDocument};

use crate::error::Result;
use crate::units::{delete_units, units_of_document};

const SELECT: &str = "SELECT d.id, d.name, d.langs, d.origin, d.batch_id, d.created_at,
        (SELECT count(*) FROM units u WHERE u.document_id = d.id),
        (SELECT max(position) FROM units u WHERE u.document_id = d.id)
    FROM documents d";

fn from_row(r: &rusqlite::Row) -> rusqlite::Result<Document> {
    Ok(Document {
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
        last_position: r.get(7)?,
    })
}

/// Every document, in id order.
pub fn list(conn: &Connection) -> Result<Vec<Document>> {
    let mut st = conn.prepare(&format!("{SELECT} ORDER BY d.id"))?;
    let rows = st
        .query_map([], from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The document of that name.
pub fn by_name(conn: &Connection, name: &str) -> Result<Option<Document>> {
    Ok(conn
        .prepare_cached(&format!("{SELECT} WHERE d.name = ?1"))?
        .query_row([name], from_row)
        .optional()?)
}

/// Record a document; its id.
pub fn add(tx: &Connection, d: &NewDocument) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO documents(name, langs, origin, batch_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        d.name,
        d.langs.join(","),
        d.origin,
        d.batch,
        polytm_store::now()
    ])?;
    Ok(tx.last_insert_rowid())
}

/// Remove a document and its units; how many units went.
pub fn remove(tx: &Connection, id: i64) -> Result<usize> {
    let units = units_of_document(tx, id)?;
    let n = delete_units(tx, &units)?;
    tx.prepare_cached("DELETE FROM documents WHERE id = ?1")?
        .execute([id])?;
    Ok(n)
}

/// Set the language tags a document is written in.
pub fn set_langs(tx: &Connection, id: i64, langs: &[String]) -> Result<()> {
    tx.prepare_cached("UPDATE documents SET langs = ?2 WHERE id = ?1")?
        .execute(params![id, langs.join(",")])?;
    Ok(())
}

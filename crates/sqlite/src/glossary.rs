//! SQL for glossary concepts and terms: reading them, and the primitive
//! writes that the merge rules (`polytm_glossary::merge`) are carried out
//! with.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};

use crate::error::Result;
use polytm_glossary::model::{Concept, NewTerm, Term, TermStatus, lang_order};
use polytm_store::ConceptFields;
use polytm_text::lang::Lang;

/// Every concept with its terms, ordered by id; terms by language (en, ru,
/// zh first) and position.
pub fn load_concepts(conn: &Connection) -> Result<Vec<Concept>> {
    let mut concepts: Vec<Concept> = Vec::new();
    let mut index: HashMap<i64, usize> = HashMap::new();
    {
        let mut st = conn.prepare("SELECT id, domain, note, source FROM concepts ORDER BY id")?;
        let rows = st.query_map([], |r| {
            Ok(Concept {
                id: r.get(0)?,
                domain: r.get(1)?,
                note: r.get(2)?,
                source: r.get(3)?,
                terms: Vec::new(),
            })
        })?;
        for c in rows {
            let c = c?;
            index.insert(c.id, concepts.len());
            concepts.push(c);
        }
    }
    let mut st = conn.prepare(
        "SELECT id, concept_id, lang, tag, text, key, status, note, source, position
         FROM terms ORDER BY concept_id, lang, position, id",
    )?;
    let rows = st.query_map([], term_from_row)?;
    for t in rows {
        let t = t?;
        if let Some(&i) = index.get(&t.concept_id) {
            concepts[i].terms.push(t);
        }
    }
    for c in &mut concepts {
        c.terms.sort_by_key(|t| (lang_order(&t.lang), t.position));
    }
    Ok(concepts)
}

fn term_from_row(r: &rusqlite::Row) -> rusqlite::Result<Term> {
    let status: String = r.get(6)?;
    Ok(Term {
        id: r.get(0)?,
        concept_id: r.get(1)?,
        lang: Lang::from_key(&r.get::<_, String>(2)?),
        tag: r.get(3)?,
        text: r.get(4)?,
        key: r.get(5)?,
        // the schema's CHECK admits only the four statuses parse knows
        status: TermStatus::parse(&status).unwrap_or(TermStatus::Variant),
        note: r.get(7)?,
        source: r.get(8)?,
        position: r.get(9)?,
    })
}

/// One concept with its terms, or `None`.
pub fn load_concept(conn: &Connection, id: i64) -> Result<Option<Concept>> {
    let c = conn
        .query_row(
            "SELECT id, domain, note, source FROM concepts WHERE id = ?1",
            [id],
            |r| {
                Ok(Concept {
                    id: r.get(0)?,
                    domain: r.get(1)?,
                    note: r.get(2)?,
                    source: r.get(3)?,
                    terms: Vec::new(),
                })
            },
        )
        .optional()?;
    let Some(mut c) = c else {
        return Ok(None);
    };
    let mut st = conn.prepare(
        "SELECT id, concept_id, lang, tag, text, key, status, note, source, position
         FROM terms WHERE concept_id = ?1 ORDER BY lang, position, id",
    )?;
    c.terms = st
        .query_map([id], term_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    c.terms.sort_by_key(|t| (lang_order(&t.lang), t.position));
    Ok(Some(c))
}

/// The batch of each concept that has one: (concept, batch).
pub fn concept_batches(conn: &Connection) -> Result<Vec<(i64, i64)>> {
    let mut st =
        conn.prepare("SELECT id, batch_id FROM concepts WHERE batch_id IS NOT NULL ORDER BY id")?;
    let rows = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Record that the glossary changed (servers reload it).
pub fn changed(tx: &Connection) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO meta VALUES ('glossary_version', '1') \
         ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
    )?
    .execute([])?;
    Ok(())
}

/// A new concept without terms; its id.
pub fn insert_concept(
    tx: &Connection,
    domain: Option<&str>,
    note: Option<&str>,
    source: Option<&str>,
    batch: Option<i64>,
) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO concepts(domain, note, source, batch_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![domain, note, source, batch, polytm_store::now()])?;
    Ok(tx.last_insert_rowid())
}

/// A new term; its id.
pub fn insert_term(
    tx: &Connection,
    concept: i64,
    t: &NewTerm,
    status: TermStatus,
    position: i64,
) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO terms(concept_id, lang, tag, text, key, status, note, source, position)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        concept,
        t.tag.lang.as_str(),
        t.tag.tag,
        t.text,
        t.key(),
        status.as_str(),
        t.note,
        t.source,
        position
    ])?;
    Ok(tx.last_insert_rowid())
}

/// Set a term's status and position.
pub fn update_term(tx: &Connection, term: i64, status: TermStatus, position: i64) -> Result<()> {
    tx.prepare_cached("UPDATE terms SET status = ?2, position = ?3 WHERE id = ?1")?
        .execute(params![term, status.as_str(), position])?;
    Ok(())
}

/// Remove one term. Returns whether it existed.
pub fn delete_term(tx: &Connection, term: i64) -> Result<bool> {
    Ok(tx
        .prepare_cached("DELETE FROM terms WHERE id = ?1")?
        .execute([term])?
        > 0)
}

/// Change a concept's domain, note or source, and record that it changed now.
pub fn update_concept(tx: &Connection, id: i64, f: &ConceptFields) -> Result<()> {
    for (col, v) in [
        ("domain", &f.domain),
        ("note", &f.note),
        ("source", &f.source),
    ] {
        if let Some(v) = v {
            tx.execute(
                &format!("UPDATE concepts SET {col} = ?2 WHERE id = ?1"),
                params![id, v],
            )?;
        }
    }
    tx.prepare_cached("UPDATE concepts SET changed_at = ?2 WHERE id = ?1")?
        .execute(params![id, polytm_store::now()])?;
    Ok(())
}

/// Delete concepts (their terms go with them). Returns how many existed.
pub fn delete_concepts(tx: &Connection, ids: &[i64]) -> Result<usize> {
    let mut st = tx.prepare_cached("DELETE FROM concepts WHERE id = ?1")?;
    let mut n = 0;
    for id in ids {
        n += st.execute([id])?;
    }
    Ok(n)
}

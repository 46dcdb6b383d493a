//! The SQL of the store on PostgreSQL: the same queries as the SQLite
//! backend's, written for PostgreSQL. Every function works on the
//! connection of a reader or of the writer (inside its transaction).

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

use postgres::types::ToSql;
use postgres::{Client, Row};

use polytm_core::{Error, Result};
use polytm_glossary::model::{Concept, NewTerm, Term, TermStatus, lang_order};
use polytm_store::hash::{content_hash, unit_source_hash};
use polytm_store::{
    Batch, ConceptFields, Document, ExportUnit, ExportVariant, IndexSize, IndexState, LangCount,
    LexiconCount, LexiconEntry, Neighbours, NewDocument, NewVariant, Overview, OverviewCounter,
    PairCount, Removed, Segment, Selection, Stats, Summary, Unit, UnitPair, Variant,
};
use polytm_text::lang::{Lang, LangTag};

use crate::pg_error;

pub(crate) type Conn = RefCell<Client>;
pub(crate) type Params<'a> = [&'a (dyn ToSql + Sync)];

/// Rows fetched from a cursor at a time.
const FETCH: usize = 4096;

pub(crate) fn query(c: &Conn, sql: &str, params: &Params) -> Result<Vec<Row>> {
    c.borrow_mut().query(sql, params).map_err(pg_error)
}

pub(crate) fn query_opt(c: &Conn, sql: &str, params: &Params) -> Result<Option<Row>> {
    c.borrow_mut().query_opt(sql, params).map_err(pg_error)
}

pub(crate) fn query_one(c: &Conn, sql: &str, params: &Params) -> Result<Row> {
    c.borrow_mut().query_one(sql, params).map_err(pg_error)
}

pub(crate) fn execute(c: &Conn, sql: &str, params: &Params) -> Result<u64> {
    c.borrow_mut().execute(sql, params).map_err(pg_error)
}

pub(crate) fn batch(c: &Conn, sql: &str) -> Result<()> {
    c.borrow_mut().batch_execute(sql).map_err(pg_error)
}

fn count(c: &Conn, sql: &str) -> Result<i64> {
    Ok(query_one(c, sql, &[])?.get(0))
}

/// Call `f` for every row of `sql`, read through a cursor a few thousand
/// rows at a time; the connection is free while `f` runs (it may read
/// more). Only inside a transaction (every reader and the writer are).
pub(crate) fn stream(
    c: &Conn,
    sql: &str,
    params: &Params,
    f: &mut dyn FnMut(&Row) -> Result<()>,
) -> Result<()> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let name = format!("polytm_c{}", NEXT.fetch_add(1, Ordering::Relaxed));
    execute(
        c,
        &format!("DECLARE {name} NO SCROLL CURSOR FOR {sql}"),
        params,
    )?;
    let fetch = format!("FETCH {FETCH} FROM {name}");
    loop {
        let rows = query(c, &fetch, &[])?;
        for r in &rows {
            f(r)?;
        }
        if rows.len() < FETCH {
            break;
        }
    }
    batch(c, &format!("CLOSE {name}"))
}

/// The next id of a table: ids are the highest plus one, as SQLite gives
/// them out (writers take turns, so two cannot take the same).
fn next_id(c: &Conn, table: &str) -> Result<i64> {
    count(c, &format!("SELECT coalesce(max(id), 0) + 1 FROM {table}"))
}

// --- batches -----------------------------------------------------------

pub fn new_batch(c: &Conn, kind: &str, source: &str) -> Result<i64> {
    let id = next_id(c, "batches")?;
    execute(
        c,
        "INSERT INTO batches(id, kind, source, created_at) VALUES ($1, $2, $3, $4)",
        &[&id, &kind, &source, &polytm_store::now()],
    )?;
    Ok(id)
}

pub fn batches(c: &Conn) -> Result<Vec<Batch>> {
    Ok(query(
        c,
        "SELECT b.id, b.kind, b.source, b.created_at,
                (SELECT count(*) FROM units u WHERE u.batch_id = b.id),
                (SELECT count(*) FROM documents d WHERE d.batch_id = b.id),
                (SELECT count(*) FROM concepts c WHERE c.batch_id = b.id),
                (SELECT count(*) FROM lexicon l WHERE l.batch_id = b.id)
         FROM batches b ORDER BY b.id",
        &[],
    )?
    .iter()
    .map(|r| Batch {
        id: r.get(0),
        kind: r.get(1),
        source: r.get(2),
        created_at: r.get(3),
        units: r.get(4),
        documents: r.get(5),
        concepts: r.get(6),
        lexicon: r.get(7),
    })
    .collect())
}

pub fn remove_batch(c: &Conn, id: i64) -> Result<Option<Removed>> {
    if query_opt(c, "SELECT id FROM batches WHERE id = $1", &[&id])?.is_none() {
        return Ok(None);
    }
    let mut removed = Removed::default();
    let units = ids(
        c,
        "SELECT id FROM units WHERE batch_id = $1 ORDER BY id",
        id,
    )?;
    removed.units = delete_units(c, &units)?;
    let docs = ids(
        c,
        "SELECT id FROM documents WHERE batch_id = $1 ORDER BY id",
        id,
    )?;
    for d in docs {
        let next = query_opt(
            c,
            "SELECT batch_id FROM units WHERE document_id = $1 ORDER BY position NULLS FIRST, id LIMIT 1",
            &[&d],
        )?;
        match next {
            None => {
                execute(c, "DELETE FROM documents WHERE id = $1", &[&d])?;
                removed.documents += 1;
            }
            Some(r) => {
                let b: Option<i64> = r.get(0);
                execute(
                    c,
                    "UPDATE documents SET batch_id = $2 WHERE id = $1",
                    &[&d, &b],
                )?;
            }
        }
    }
    removed.concepts = execute(c, "DELETE FROM concepts WHERE batch_id = $1", &[&id])? as usize;
    removed.lexicon = execute(c, "DELETE FROM lexicon WHERE batch_id = $1", &[&id])? as usize;
    execute(c, "DELETE FROM batches WHERE id = $1", &[&id])?;
    Ok(Some(removed))
}

fn ids(c: &Conn, sql: &str, key: i64) -> Result<Vec<i64>> {
    Ok(query(c, sql, &[&key])?.iter().map(|r| r.get(0)).collect())
}

// --- documents -----------------------------------------------------------

const DOCUMENTS: &str = "SELECT d.id, d.name, d.langs, d.origin, d.batch_id, d.created_at,
        (SELECT count(*) FROM units u WHERE u.document_id = d.id),
        (SELECT max(position) FROM units u WHERE u.document_id = d.id)
    FROM documents d";

fn document(r: &Row) -> Document {
    Document {
        id: r.get(0),
        name: r.get(1),
        langs: r
            .get::<_, &str>(2)
            .split(',')
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect(),
        origin: r.get(3),
        batch: r.get(4),
        created_at: r.get(5),
        units: r.get(6),
        last_position: r.get(7),
    }
}

pub fn documents(c: &Conn) -> Result<Vec<Document>> {
    Ok(query(c, &format!("{DOCUMENTS} ORDER BY d.id"), &[])?
        .iter()
        .map(document)
        .collect())
}

pub fn document_by_name(c: &Conn, name: &str) -> Result<Option<Document>> {
    Ok(query_opt(c, &format!("{DOCUMENTS} WHERE d.name = $1"), &[&name])?.map(|r| document(&r)))
}

pub fn add_document(c: &Conn, d: &NewDocument) -> Result<i64> {
    let id = next_id(c, "documents")?;
    execute(
        c,
        "INSERT INTO documents(id, name, langs, origin, batch_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        &[
            &id,
            &d.name,
            &d.langs.join(","),
            &d.origin,
            &d.batch,
            &polytm_store::now(),
        ],
    )?;
    Ok(id)
}

pub fn remove_document(c: &Conn, id: i64) -> Result<usize> {
    let units = units_of_document(c, id)?;
    let n = delete_units(c, &units)?;
    execute(c, "DELETE FROM documents WHERE id = $1", &[&id])?;
    Ok(n)
}

pub fn set_document_langs(c: &Conn, id: i64, langs: &[String]) -> Result<()> {
    execute(
        c,
        "UPDATE documents SET langs = $2 WHERE id = $1",
        &[&id, &langs.join(",")],
    )?;
    Ok(())
}

// --- units -----------------------------------------------------------------

pub fn units_of_document(c: &Conn, document: i64) -> Result<Vec<i64>> {
    ids(
        c,
        "SELECT id FROM units WHERE document_id = $1 ORDER BY id",
        document,
    )
}

pub fn units_of_batch(c: &Conn, batch: i64) -> Result<Vec<i64>> {
    ids(
        c,
        "SELECT id FROM units WHERE batch_id = $1 ORDER BY id",
        batch,
    )
}

pub fn delete_units(c: &Conn, ids: &[i64]) -> Result<usize> {
    let mut n = 0;
    for chunk in ids.chunks(10_000) {
        let chunk = chunk.to_vec();
        n += execute(c, "DELETE FROM units WHERE id = ANY($1)", &[&chunk])? as usize;
    }
    Ok(n)
}

fn unit_exists(c: &Conn, id: i64) -> Result<bool> {
    Ok(query_opt(c, "SELECT 1 FROM units WHERE id = $1", &[&id])?.is_some())
}

pub fn set_variant(c: &Conn, id: i64, v: &NewVariant) -> Result<bool> {
    if !unit_exists(c, id)? {
        return Ok(false);
    }
    execute(
        c,
        "INSERT INTO variants(unit_id, lang, tag, text, plain) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (unit_id, lang) DO UPDATE
           SET tag = excluded.tag, text = excluded.text, plain = excluded.plain",
        &[&id, &v.tag.lang.as_str(), &v.tag.tag, &v.text, &v.plain],
    )?;
    rehash(c, id)?;
    Ok(true)
}

pub fn remove_variant(c: &Conn, id: i64, lang: &Lang) -> Result<bool> {
    let n = execute(
        c,
        "DELETE FROM variants WHERE unit_id = $1 AND lang = $2",
        &[&id, &lang.as_str()],
    )?;
    if n == 0 {
        return Ok(false);
    }
    rehash(c, id)?;
    Ok(true)
}

/// Recompute a unit's content and source hashes; mark it changed now.
fn rehash(c: &Conn, id: i64) -> Result<()> {
    let src: Option<String> =
        query_one(c, "SELECT src_lang FROM units WHERE id = $1", &[&id])?.get(0);
    let variants: Vec<NewVariant> = query(
        c,
        "SELECT lang, tag, text FROM variants WHERE unit_id = $1",
        &[&id],
    )?
    .iter()
    .map(|r| {
        let tag = LangTag {
            lang: Lang::from_key(r.get::<_, &str>(0)),
            tag: r.get(1),
        };
        NewVariant::new(tag, r.get::<_, String>(2))
    })
    .collect();
    let hash = content_hash(&variants);
    let src_hash = unit_source_hash(src.map(|s| Lang::from_key(&s)).as_ref(), &variants);
    execute(
        c,
        "UPDATE units SET content_hash = $2, src_hash = $3, changed_at = $4 WHERE id = $1",
        &[&id, &hash, &src_hash, &polytm_store::now()],
    )?;
    Ok(())
}

const UNIT_HEAD: &str = "SELECT u.id, d.name, u.document_id, u.batch_id, u.origin, u.confidence,
        u.position, u.src_lang, u.tuid, u.created_at, u.changed_at, u.props, u.reviewed
     FROM units u LEFT JOIN documents d ON d.id = u.document_id";

fn unit_head(r: &Row) -> Unit {
    Unit {
        id: r.get(0),
        document: r.get(1),
        document_id: r.get(2),
        batch: r.get(3),
        origin: r.get(4),
        confidence: r.get(5),
        position: r.get(6),
        src_lang: r.get(7),
        tuid: r.get(8),
        created_at: r.get(9),
        changed_at: r.get(10),
        props: r.get(11),
        reviewed: r.get(12),
        variants: Vec::new(),
    }
}

fn variant(r: &Row, at: usize) -> Variant {
    Variant {
        lang: Lang::from_key(r.get::<_, &str>(at)),
        tag: r.get(at + 1),
        text: r.get(at + 2),
        plain: r.get(at + 3),
    }
}

/// The source language first, then by language key.
fn order_variants(u: &mut Unit) {
    let src = u.src_lang.clone().unwrap_or_default();
    u.variants.sort_by(|a, b| {
        (a.lang.as_str() != src, a.lang.as_str()).cmp(&(b.lang.as_str() != src, b.lang.as_str()))
    });
}

pub fn unit(c: &Conn, id: i64) -> Result<Option<Unit>> {
    let Some(r) = query_opt(c, &format!("{UNIT_HEAD} WHERE u.id = $1"), &[&id])? else {
        return Ok(None);
    };
    let mut u = unit_head(&r);
    u.variants = query(
        c,
        "SELECT lang, tag, text, plain FROM variants WHERE unit_id = $1",
        &[&id],
    )?
    .iter()
    .map(|r| variant(r, 0))
    .collect();
    order_variants(&mut u);
    Ok(Some(u))
}

/// Every unit with its variants, in id order (what `migrate` copies).
pub fn for_each_unit(c: &Conn, f: &mut dyn FnMut(&Unit) -> Result<()>) -> Result<()> {
    let mut cur: Option<Unit> = None;
    stream(
        c,
        "SELECT u.id, d.name, u.document_id, u.batch_id, u.origin, u.confidence,
                u.position, u.src_lang, u.tuid, u.created_at, u.changed_at, u.props, u.reviewed,
                v.lang, v.tag, v.text, v.plain
         FROM units u LEFT JOIN documents d ON d.id = u.document_id
              LEFT JOIN variants v ON v.unit_id = u.id
         ORDER BY u.id, v.lang",
        &[],
        &mut |r| {
            let id: i64 = r.get(0);
            if cur.as_ref().is_some_and(|u| u.id != id)
                && let Some(mut done) = cur.take()
            {
                order_variants(&mut done);
                f(&done)?;
            }
            let u = cur.get_or_insert_with(|| unit_head(r));
            if r.get::<_, Option<&str>>(13).is_some() {
                u.variants.push(variant(r, 13));
            }
            Ok(())
        },
    )?;
    if let Some(mut done) = cur.take() {
        order_variants(&mut done);
        f(&done)?;
    }
    Ok(())
}

/// The texts in `lang` of the units just before and after unit `id` in its
/// document, by position (see [`polytm_store::Reader::neighbours`]).
pub fn neighbours(c: &Conn, id: i64, lang: &Lang) -> Result<Option<Neighbours>> {
    let Some(head) = query_opt(
        c,
        "SELECT document_id, position FROM units WHERE id = $1",
        &[&id],
    )?
    else {
        return Ok(None);
    };
    let (Some(doc), Some(pos)): (Option<i64>, Option<i64>) = (head.get(0), head.get(1)) else {
        return Ok(None);
    };
    let side = |sql: &str| -> Result<Option<String>> {
        Ok(query_opt(c, sql, &[&doc, &pos, &lang.as_str()])?.map(|r| r.get(0)))
    };
    let prev = side(
        "SELECT coalesce(v.plain, v.text) FROM units u
         JOIN variants v ON v.unit_id = u.id AND v.lang = $3
         WHERE u.document_id = $1 AND u.position < $2
         ORDER BY u.position DESC LIMIT 1",
    )?;
    let next = side(
        "SELECT coalesce(v.plain, v.text) FROM units u
         JOIN variants v ON v.unit_id = u.id AND v.lang = $3
         WHERE u.document_id = $1 AND u.position > $2
         ORDER BY u.position LIMIT 1",
    )?;
    Ok(Some(Neighbours { prev, next }))
}

pub fn unit_pair(c: &Conn, id: i64, from: &Lang, to: &Lang) -> Result<Option<UnitPair>> {
    Ok(query_opt(
        c,
        "SELECT coalesce(s.plain, s.text), coalesce(t.plain, t.text), d.name,
                coalesce(u.changed_at, u.created_at), CASE WHEN t.plain IS NULL THEN NULL ELSE t.text END,
                u.reviewed, u.origin, s.plain IS NOT NULL
         FROM units u
         JOIN variants s ON s.unit_id = u.id AND s.lang = $2
         JOIN variants t ON t.unit_id = u.id AND t.lang = $3
         LEFT JOIN documents d ON d.id = u.document_id
         WHERE u.id = $1",
        &[&id, &from.as_str(), &to.as_str()],
    )?
    .map(|r| UnitPair {
        source: r.get(0),
        target: r.get(1),
        target_markup: r.get(4),
        document: r.get(2),
        date: r.get(3),
        reviewed: r.get(5),
        origin: r.get(6),
        source_markup: r.get(7),
    }))
}

pub fn for_each_variant(
    c: &Conn,
    lang: &Lang,
    f: &mut dyn FnMut(i64, i64, &str) -> Result<()>,
) -> Result<()> {
    stream(
        c,
        "SELECT v.unit_id, u.created_at, u.changed_at, coalesce(v.plain, v.text)
         FROM variants v JOIN units u ON u.id = v.unit_id WHERE v.lang = $1 ORDER BY v.unit_id",
        &[&lang.as_str()],
        &mut |r| {
            let created: &str = r.get(1);
            let changed: Option<&str> = r.get(2);
            f(r.get(0), polytm_store::recency(created, changed), r.get(3))
        },
    )
}

pub fn variants_of(
    c: &Conn,
    lang: &Lang,
    units: &[i64],
    f: &mut dyn FnMut(i64, i64, &str) -> Result<()>,
) -> Result<()> {
    for chunk in units.chunks(10_000) {
        let chunk = chunk.to_vec();
        let rows = query(
            c,
            "SELECT v.unit_id, u.created_at, u.changed_at, coalesce(v.plain, v.text)
             FROM variants v JOIN units u ON u.id = v.unit_id
             WHERE v.unit_id = ANY($1) AND v.lang = $2",
            &[&chunk, &lang.as_str()],
        )?;
        let mut by_unit: HashMap<i64, &Row> = HashMap::new();
        for r in &rows {
            by_unit.insert(r.get(0), r);
        }
        // in the order asked
        for u in &chunk {
            if let Some(r) = by_unit.get(u) {
                let created: &str = r.get(1);
                let changed: Option<&str> = r.get(2);
                f(*u, polytm_store::recency(created, changed), r.get(3))?;
            }
        }
    }
    Ok(())
}

pub fn pair_texts(c: &Conn, a: &Lang, b: &Lang, limit: usize) -> Result<Vec<(String, String)>> {
    Ok(query(
        c,
        "SELECT a.text, b.text FROM variants a JOIN variants b ON a.unit_id = b.unit_id
         WHERE a.lang = $1 AND b.lang = $2 ORDER BY a.unit_id DESC LIMIT $3",
        &[
            &a.as_str(),
            &b.as_str(),
            &(limit.min(i64::MAX as usize) as i64),
        ],
    )?
    .iter()
    .map(|r| (r.get(0), r.get(1)))
    .collect())
}

// --- export -----------------------------------------------------------------

/// The WHERE clause of a selection over `units u` and `variants v`, with
/// its values (numbered from `$1`).
fn clause(sel: &Selection, with_variants: bool) -> (String, Vec<Box<dyn ToSql + Sync>>) {
    let mut parts = Vec::new();
    let mut values: Vec<Box<dyn ToSql + Sync>> = Vec::new();
    if let Some(docs) = &sel.documents {
        values.push(Box::new(docs.clone()));
        parts.push(format!("u.document_id = ANY(${})", values.len()));
    }
    if let Some(since) = &sel.since {
        values.push(Box::new(since.clone()));
        let n = values.len();
        parts.push(format!(
            "(u.created_at >= ${n} OR coalesce(u.changed_at, '') >= ${n})"
        ));
    }
    if with_variants && let Some(langs) = &sel.langs {
        let langs: Vec<String> = langs.iter().map(|l| l.as_str().to_string()).collect();
        values.push(Box::new(langs));
        parts.push(format!("v.lang = ANY(${})", values.len()));
    }
    if parts.is_empty() {
        (String::new(), values)
    } else {
        (format!("WHERE {}", parts.join(" AND ")), values)
    }
}

fn refs(v: &[Box<dyn ToSql + Sync>]) -> Vec<&(dyn ToSql + Sync)> {
    v.iter().map(|b| b.as_ref()).collect()
}

pub fn export_overview(c: &Conn, sel: &Selection) -> Result<Overview> {
    let (w_units, v_units) = clause(sel, false);
    let units: i64 = query_one(
        c,
        &format!("SELECT count(*) FROM units u {w_units}"),
        &refs(&v_units),
    )?
    .get(0);
    let (w, v) = clause(sel, true);
    let mut count = OverviewCounter::new(units);
    stream(
        c,
        &format!(
            "SELECT u.id, u.src_lang, v.lang, v.tag FROM units u JOIN variants v ON v.unit_id = u.id
             {w} ORDER BY u.id"
        ),
        &refs(&v),
        &mut |r| {
            count.row(r.get(0), r.get(1), r.get(2), r.get(3));
            Ok(())
        },
    )?;
    Ok(count.finish())
}

pub fn for_each_export_unit(
    c: &Conn,
    sel: &Selection,
    f: &mut dyn FnMut(&ExportUnit) -> Result<()>,
) -> Result<usize> {
    let (w, v) = clause(sel, true);
    let mut cur: Option<ExportUnit> = None;
    let mut n = 0;
    let mut emit = |u: ExportUnit, n: &mut usize| -> Result<()> {
        if u.variants.len() >= 2 {
            *n += 1;
            f(&u)?;
        }
        Ok(())
    };
    stream(
        c,
        &format!(
            "SELECT u.id, u.tuid, d.name, u.origin, u.confidence, u.src_lang, u.props,
                    u.created_at, u.changed_at, v.lang, v.tag, v.text, v.plain, u.reviewed
             FROM units u JOIN variants v ON v.unit_id = u.id
                  LEFT JOIN documents d ON d.id = u.document_id
             {w} ORDER BY u.id, v.lang"
        ),
        &refs(&v),
        &mut |r| {
            let id: i64 = r.get(0);
            if cur.as_ref().is_some_and(|u| u.id != id)
                && let Some(done) = cur.take()
            {
                emit(done, &mut n)?;
            }
            let unit = cur.get_or_insert_with(|| ExportUnit {
                id,
                tuid: r.get(1),
                document: r.get(2),
                origin: r.get(3),
                confidence: r.get(4),
                src_lang: r.get::<_, Option<&str>>(5).map(Lang::from_key),
                props: r.get(6),
                created_at: r.get(7),
                changed_at: r.get(8),
                reviewed: r.get(13),
                variants: Vec::with_capacity(3),
            });
            unit.variants.push(ExportVariant {
                lang: Lang::from_key(r.get::<_, &str>(9)),
                tag: r.get(10),
                text: r.get(11),
                plain: r.get(12),
            });
            Ok(())
        },
    )?;
    if let Some(done) = cur.take() {
        emit(done, &mut n)?;
    }
    Ok(n)
}

// --- glossary -----------------------------------------------------------------

fn concept_head(r: &Row) -> Concept {
    Concept {
        id: r.get(0),
        domain: r.get(1),
        note: r.get(2),
        source: r.get(3),
        terms: Vec::new(),
    }
}

const TERMS: &str =
    "SELECT id, concept_id, lang, tag, text, key, status, note, source, position FROM terms";

fn term(r: &Row) -> Term {
    Term {
        id: r.get(0),
        concept_id: r.get(1),
        lang: Lang::from_key(r.get::<_, &str>(2)),
        tag: r.get(3),
        text: r.get(4),
        key: r.get(5),
        status: TermStatus::parse(r.get::<_, &str>(6)).unwrap_or(TermStatus::Variant),
        note: r.get(7),
        source: r.get(8),
        position: r.get(9),
    }
}

pub fn concepts(c: &Conn) -> Result<Vec<Concept>> {
    let mut concepts: Vec<Concept> = query(
        c,
        "SELECT id, domain, note, source FROM concepts ORDER BY id",
        &[],
    )?
    .iter()
    .map(concept_head)
    .collect();
    let index: HashMap<i64, usize> = concepts
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id, i))
        .collect();
    for r in query(
        c,
        &format!("{TERMS} ORDER BY concept_id, lang, position, id"),
        &[],
    )? {
        let t = term(&r);
        if let Some(&i) = index.get(&t.concept_id) {
            concepts[i].terms.push(t);
        }
    }
    for c in &mut concepts {
        c.terms.sort_by_key(|t| (lang_order(&t.lang), t.position));
    }
    Ok(concepts)
}

pub fn concept(c: &Conn, id: i64) -> Result<Option<Concept>> {
    let Some(r) = query_opt(
        c,
        "SELECT id, domain, note, source FROM concepts WHERE id = $1",
        &[&id],
    )?
    else {
        return Ok(None);
    };
    let mut concept = concept_head(&r);
    concept.terms = query(
        c,
        &format!("{TERMS} WHERE concept_id = $1 ORDER BY lang, position, id"),
        &[&id],
    )?
    .iter()
    .map(term)
    .collect();
    concept
        .terms
        .sort_by_key(|t| (lang_order(&t.lang), t.position));
    Ok(Some(concept))
}

/// The batch of each concept that has one: (concept, batch).
pub fn concept_batches(c: &Conn) -> Result<Vec<(i64, i64)>> {
    Ok(query(
        c,
        "SELECT id, batch_id FROM concepts WHERE batch_id IS NOT NULL ORDER BY id",
        &[],
    )?
    .iter()
    .map(|r| (r.get(0), r.get(1)))
    .collect())
}

pub fn glossary_changed(c: &Conn) -> Result<()> {
    execute(
        c,
        "UPDATE meta SET value = (value::bigint + 1)::text WHERE key = 'glossary_version'",
        &[],
    )?;
    Ok(())
}

pub fn insert_concept(
    c: &Conn,
    domain: Option<&str>,
    note: Option<&str>,
    source: Option<&str>,
    batch: Option<i64>,
) -> Result<i64> {
    let id = next_id(c, "concepts")?;
    execute(
        c,
        "INSERT INTO concepts(id, domain, note, source, batch_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        &[&id, &domain, &note, &source, &batch, &polytm_store::now()],
    )?;
    Ok(id)
}

pub fn update_concept(c: &Conn, id: i64, f: &ConceptFields) -> Result<()> {
    for (col, v) in [
        ("domain", &f.domain),
        ("note", &f.note),
        ("source", &f.source),
    ] {
        if let Some(v) = v {
            execute(
                c,
                &format!("UPDATE concepts SET {col} = $2 WHERE id = $1"),
                &[&id, v],
            )?;
        }
    }
    execute(
        c,
        "UPDATE concepts SET changed_at = $2 WHERE id = $1",
        &[&id, &polytm_store::now()],
    )?;
    Ok(())
}

pub fn delete_concepts(c: &Conn, ids: &[i64]) -> Result<usize> {
    let ids = ids.to_vec();
    Ok(execute(c, "DELETE FROM concepts WHERE id = ANY($1)", &[&ids])? as usize)
}

pub fn insert_term(
    c: &Conn,
    concept: i64,
    t: &NewTerm,
    status: TermStatus,
    position: i64,
) -> Result<i64> {
    let id = next_id(c, "terms")?;
    execute(
        c,
        "INSERT INTO terms(id, concept_id, lang, tag, text, key, status, note, source, position)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        &[
            &id,
            &concept,
            &t.tag.lang.as_str(),
            &t.tag.tag,
            &t.text,
            &t.key(),
            &status.as_str(),
            &t.note,
            &t.source,
            &position,
        ],
    )?;
    Ok(id)
}

pub fn update_term(c: &Conn, term: i64, status: TermStatus, position: i64) -> Result<()> {
    execute(
        c,
        "UPDATE terms SET status = $2, position = $3 WHERE id = $1",
        &[&term, &status.as_str(), &position],
    )?;
    Ok(())
}

pub fn delete_term(c: &Conn, term: i64) -> Result<bool> {
    Ok(execute(c, "DELETE FROM terms WHERE id = $1", &[&term])? > 0)
}

// --- lexicon ----------------------------------------------------------------------

pub fn add_lexicon_entry(c: &Conn, batch: i64, source: &str, e: &LexiconEntry) -> Result<bool> {
    let n = execute(
        c,
        "INSERT INTO lexicon(lang_a, lang_b, a, b, weight, source, batch_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
        &[&e.lang_a, &e.lang_b, &e.a, &e.b, &e.weight, &source, &batch],
    )?;
    if n == 1 {
        return Ok(true);
    }
    execute(
        c,
        "UPDATE lexicon SET weight = $5
         WHERE lang_a = $1 AND lang_b = $2 AND a = $3 AND b = $4 AND weight < $5",
        &[&e.lang_a, &e.lang_b, &e.a, &e.b, &e.weight],
    )?;
    Ok(false)
}

pub fn for_each_lexicon(
    c: &Conn,
    lang_a: &str,
    lang_b: &str,
    min_weight: f64,
    f: &mut dyn FnMut(&str, &str, f64),
) -> Result<()> {
    stream(
        c,
        "SELECT a, b, weight FROM lexicon WHERE lang_a = $1 AND lang_b = $2 AND weight >= $3",
        &[&lang_a, &lang_b, &min_weight],
        &mut |r| {
            f(r.get(0), r.get(1), r.get(2));
            Ok(())
        },
    )
}

pub fn for_each_lexicon_of(
    c: &Conn,
    lang_a: &str,
    lang_b: &str,
    a: &str,
    min_weight: f64,
    f: &mut dyn FnMut(&str, f64),
) -> Result<()> {
    for r in query(
        c,
        "SELECT b, weight FROM lexicon WHERE lang_a = $1 AND lang_b = $2 AND a = $3 AND weight >= $4",
        &[&lang_a, &lang_b, &a, &min_weight],
    )? {
        f(r.get(0), r.get(1));
    }
    Ok(())
}

/// Every entry with its source and batch (what `migrate` copies).
pub fn for_each_lexicon_entry(c: &Conn, f: &mut polytm_store::LexiconRows<'_>) -> Result<()> {
    stream(
        c,
        "SELECT lang_a, lang_b, a, b, weight, source, batch_id FROM lexicon
         ORDER BY lang_a, lang_b, a, b",
        &[],
        &mut |r| {
            let e = LexiconEntry {
                lang_a: r.get(0),
                lang_b: r.get(1),
                a: r.get(2),
                b: r.get(3),
                weight: r.get(4),
            };
            f(&e, r.get(5), r.get(6))
        },
    )
}

pub fn lexicon_counts(c: &Conn) -> Result<Vec<LexiconCount>> {
    Ok(query(
        c,
        "SELECT lang_a, lang_b, coalesce(source, ''), count(*) FROM lexicon
         GROUP BY lang_a, lang_b, source ORDER BY lang_a, lang_b, coalesce(source, '')",
        &[],
    )?
    .iter()
    .map(|r| LexiconCount {
        lang_a: r.get(0),
        lang_b: r.get(1),
        source: r.get(2),
        count: r.get(3),
    })
    .collect())
}

pub fn lexicon_lookup(c: &Conn, key: &str, limit: usize) -> Result<Vec<LexiconEntry>> {
    Ok(query(
        c,
        "SELECT lang_a, lang_b, a, b, weight FROM lexicon WHERE a = $1 OR b = $1
         ORDER BY weight DESC, lang_a, lang_b, a, b LIMIT $2",
        &[&key, &(limit.min(i64::MAX as usize) as i64)],
    )?
    .iter()
    .map(|r| LexiconEntry {
        lang_a: r.get(0),
        lang_b: r.get(1),
        a: r.get(2),
        b: r.get(3),
        weight: r.get(4),
    })
    .collect())
}

// --- the fuzzy index (built in memory from the texts) --------------------------

/// The index of a language, as segments made from the current texts.
pub fn index_segments(
    c: &Conn,
    lang: &Lang,
    after: i64,
    f: &mut dyn FnMut(&Segment, &mut dyn Iterator<Item = usize>),
) -> Result<()> {
    use polytm_fuzzy::segment::{SEGMENT_CAP, SEGMENT_TOKEN_CAP, SegmentBuilder, push_text};
    let mut b = SegmentBuilder::new();
    let mut emit = |b: SegmentBuilder| {
        let seg = b.finish();
        f(&seg, &mut (0..seg.len()));
    };
    stream(
        c,
        "SELECT v.unit_id, u.created_at, u.changed_at, coalesce(v.plain, v.text)
         FROM variants v JOIN units u ON u.id = v.unit_id
         WHERE v.lang = $1 AND v.unit_id > $2 ORDER BY v.unit_id",
        &[&lang.as_str(), &after],
        &mut |r| {
            let created: &str = r.get(1);
            let changed: Option<&str> = r.get(2);
            push_text(
                &mut b,
                r.get(0),
                lang,
                polytm_store::recency(created, changed),
                r.get(3),
            );
            if b.len() >= SEGMENT_CAP || b.tokens() >= SEGMENT_TOKEN_CAP {
                emit(std::mem::take(&mut b));
            }
            Ok(())
        },
    )?;
    if !b.is_empty() {
        emit(b);
    }
    Ok(())
}

pub fn index_state(c: &Conn) -> Result<IndexState> {
    let r = query_one(
        c,
        "SELECT (SELECT value FROM meta WHERE key = 'identity'),
                (SELECT value FROM meta WHERE key = 'index_epoch'),
                (SELECT value FROM meta WHERE key = 'glossary_version'),
                (SELECT coalesce(max(id), 0) FROM units),
                (SELECT coalesce(max(seq), 0) FROM fuzzy_log)",
        &[],
    )?;
    let hex: String = r.get::<_, Option<String>>(0).unwrap_or_default();
    let mut identity = [0u8; 16];
    for (i, b) in identity.iter_mut().enumerate() {
        *b = hex
            .get(2 * i..2 * i + 2)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .unwrap_or(0);
    }
    let num = |i: usize| -> i64 {
        r.get::<_, Option<String>>(i)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0)
    };
    Ok(IndexState {
        identity,
        epoch: num(1),
        max_unit: r.get(3),
        log_seq: r.get(4),
        glossary: num(2),
    })
}

pub fn changed_units(c: &Conn, seq: i64) -> Result<Vec<i64>> {
    ids(
        c,
        "SELECT DISTINCT unit_id FROM fuzzy_log WHERE seq > $1 ORDER BY unit_id",
        seq,
    )
}

/// Entries per language (the index is in memory: no bytes on disk).
pub fn index_sizes(c: &Conn) -> Result<Vec<IndexSize>> {
    Ok(query(
        c,
        "SELECT lang, count(*) FROM variants GROUP BY lang ORDER BY lang",
        &[],
    )?
    .iter()
    .map(|r| IndexSize {
        lang: r.get(0),
        entries: r.get(1),
        bytes: 0,
    })
    .collect())
}

/// A new epoch and an empty change log (`reindex`).
pub fn new_epoch(c: &Conn) -> Result<()> {
    batch(
        c,
        "UPDATE meta SET value = (value::bigint + 1)::text WHERE key = 'index_epoch';
         DELETE FROM fuzzy_log;",
    )
}

// --- counts -------------------------------------------------------------------------

fn lang_counts(c: &Conn, sql: &str) -> Result<Vec<LangCount>> {
    Ok(query(c, sql, &[])?
        .iter()
        .map(|r| LangCount {
            lang: r.get(0),
            count: r.get(1),
        })
        .collect())
}

const LANGUAGES: &str =
    "SELECT lang, count(*) AS n FROM variants GROUP BY lang ORDER BY n DESC, lang";

pub fn summary(c: &Conn) -> Result<Summary> {
    Ok(Summary {
        units: count(c, "SELECT count(*) FROM units")?,
        concepts: count(c, "SELECT count(*) FROM concepts")?,
        languages: lang_counts(c, LANGUAGES)?,
    })
}

pub fn stats(c: &Conn, database: String) -> Result<Stats> {
    let pairs = |sql: &str| -> Result<Vec<PairCount>> {
        Ok(query(c, sql, &[])?
            .iter()
            .map(|r| PairCount {
                a: r.get(0),
                b: r.get(1),
                count: r.get(2),
            })
            .collect())
    };
    Ok(Stats {
        database,
        bytes: count(c, "SELECT pg_database_size(current_database())")?.max(0) as u64,
        schema_version: count(
            c,
            "SELECT coalesce(max(version), 0)::bigint FROM polytm_schema",
        )?,
        units: count(c, "SELECT count(*) FROM units")?,
        documents: count(c, "SELECT count(*) FROM documents")?,
        batches: count(c, "SELECT count(*) FROM batches")?,
        pairs: pairs(
            "SELECT a.lang, b.lang, count(*) AS n FROM variants a JOIN variants b
               ON a.unit_id = b.unit_id AND a.lang < b.lang
             GROUP BY a.lang, b.lang ORDER BY n DESC, a.lang, b.lang",
        )?,
        languages: lang_counts(c, LANGUAGES)?,
        concepts: count(c, "SELECT count(*) FROM concepts")?,
        terms: lang_counts(
            c,
            "SELECT lang, count(*) FROM terms GROUP BY lang ORDER BY lang",
        )?,
        lexicon: pairs(
            "SELECT lang_a, lang_b, count(*) FROM lexicon GROUP BY lang_a, lang_b ORDER BY lang_a, lang_b",
        )?,
    })
}

/// An error of polytm's own about the database.
pub(crate) fn db_error(msg: impl Into<String>) -> Error {
    Error::Db {
        file: String::new(),
        msg: msg.into(),
    }
}

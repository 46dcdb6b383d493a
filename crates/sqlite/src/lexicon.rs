//! The bilingual lexicon table: entries (lang_a, lang_b, a, b, weight)
//! from CC-CEDICT, word lists or learning, as evidence for the aligner.
//! Forms are stored folded (see [`polytm_text::fold`]; the caller folds),
//! not stemmed: the aligner stems them when it loads them.

use rusqlite::{Connection, params};

use polytm_store::{LexiconCount, LexiconEntry};

use crate::error::Result;

/// Add an entry (already folded), or raise the weight of the one there.
/// True when it was new.
pub fn add_entry(tx: &Connection, batch: i64, source: &str, e: &LexiconEntry) -> Result<bool> {
    let n = tx
        .prepare_cached(
            "INSERT OR IGNORE INTO lexicon(lang_a, lang_b, a, b, weight, source, batch_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![
            e.lang_a, e.lang_b, e.a, e.b, e.weight, source, batch
        ])?;
    if n == 1 {
        return Ok(true);
    }
    tx.prepare_cached(
        "UPDATE lexicon SET weight = ?5
         WHERE lang_a = ?1 AND lang_b = ?2 AND a = ?3 AND b = ?4 AND weight < ?5",
    )?
    .execute(params![e.lang_a, e.lang_b, e.a, e.b, e.weight])?;
    Ok(false)
}

/// Call `f(a, b, weight)` for every entry from `lang_a` to `lang_b` with
/// at least `min_weight`.
pub fn for_each(
    conn: &Connection,
    lang_a: &str,
    lang_b: &str,
    min_weight: f64,
    f: &mut dyn FnMut(&str, &str, f64),
) -> Result<()> {
    let mut st = conn.prepare_cached(
        "SELECT a, b, weight FROM lexicon WHERE lang_a = ?1 AND lang_b = ?2 AND weight >= ?3",
    )?;
    let mut rows = st.query(params![lang_a, lang_b, min_weight])?;
    while let Some(r) = rows.next()? {
        let a = r.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
        let b = r.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
        f(a, b, r.get(2)?);
    }
    Ok(())
}

/// Call `f(b, weight)` for every entry from `lang_a` to `lang_b` whose
/// `a` is `a` (an index lookup).
pub fn for_each_of(
    conn: &Connection,
    lang_a: &str,
    lang_b: &str,
    a: &str,
    min_weight: f64,
    f: &mut dyn FnMut(&str, f64),
) -> Result<()> {
    let mut st = conn.prepare_cached(
        "SELECT b, weight FROM lexicon WHERE lang_a = ?1 AND lang_b = ?2 AND a = ?3 AND weight >= ?4",
    )?;
    let mut rows = st.query(params![lang_a, lang_b, a, min_weight])?;
    while let Some(r) = rows.next()? {
        let b = r.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
        f(b, r.get(1)?);
    }
    Ok(())
}

/// Every entry with its source and batch: `f(entry, source, batch)`.
pub fn for_each_entry(conn: &Connection, f: &mut polytm_store::LexiconRows<'_>) -> Result<()> {
    let mut st = conn.prepare(
        "SELECT lang_a, lang_b, a, b, weight, source, batch_id FROM lexicon
         ORDER BY lang_a, lang_b, a, b",
    )?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        let e = LexiconEntry {
            lang_a: r.get(0)?,
            lang_b: r.get(1)?,
            a: r.get(2)?,
            b: r.get(3)?,
            weight: r.get(4)?,
        };
        let source: Option<String> = r.get(5)?;
        f(&e, source.as_deref(), r.get(6)?)?;
    }
    Ok(())
}

/// Entries per language pair and source.
pub fn counts(conn: &Connection) -> Result<Vec<LexiconCount>> {
    let mut st = conn.prepare(
        "SELECT lang_a, lang_b, COALESCE(source, ''), count(*) FROM lexicon
         GROUP BY lang_a, lang_b, source ORDER BY lang_a, lang_b, source",
    )?;
    let rows = st
        .query_map([], |r| {
            Ok(LexiconCount {
                lang_a: r.get(0)?,
                lang_b: r.get(1)?,
                source: r.get(2)?,
                count: r.get(3)?,
            })
        })?
        .collect::<std::result::Result<_, _>>()?;
    Ok(rows)
}

/// Entries whose `a` or `b` is `key` (folded), heaviest first.
pub fn lookup(conn: &Connection, key: &str, limit: usize) -> Result<Vec<LexiconEntry>> {
    let mut st = conn.prepare(
        "SELECT lang_a, lang_b, a, b, weight FROM lexicon WHERE a = ?1 OR b = ?1
         ORDER BY weight DESC, lang_a, lang_b, a, b LIMIT ?2",
    )?;
    let rows = st
        .query_map(params![key, limit as i64], |r| {
            Ok(LexiconEntry {
                lang_a: r.get(0)?,
                lang_b: r.get(1)?,
                a: r.get(2)?,
                b: r.get(3)?,
                weight: r.get(4)?,
            })
        })?
        .collect::<std::result::Result<_, _>>()?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Store, new_batch};

    fn entry(a: &str, b: &str, weight: f64) -> LexiconEntry {
        LexiconEntry {
            lang_a: "zh".into(),
            lang_b: "en".into(),
            a: a.into(),
            b: b.into(),
            weight,
        }
    }

    #[test]
    fn writes_dedupes_and_reads() {
        let mut s = Store::in_memory().unwrap();
        let tx = s.transaction().unwrap();
        let b = new_batch(&tx, "lexicon", "x.tsv").unwrap();
        assert!(add_entry(&tx, b, "x.tsv", &entry("研究", "research", 0.5)).unwrap());
        assert!(!add_entry(&tx, b, "x.tsv", &entry("研究", "research", 1.0)).unwrap());
        assert!(add_entry(&tx, b, "x.tsv", &entry("研究", "to study", 1.0)).unwrap());
        tx.commit().unwrap();
        let weight: f64 = s
            .conn
            .query_row("SELECT weight FROM lexicon WHERE b = 'research'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(weight, 1.0);
        let mut n = 0;
        for_each(&s.conn, "zh", "en", 0.9, &mut |a, _, _| {
            assert_eq!(a, "研究");
            n += 1;
        })
        .unwrap();
        assert_eq!(n, 2);
        assert_eq!(lookup(&s.conn, "research", 5).unwrap().len(), 1);
        assert_eq!(counts(&s.conn).unwrap()[0].count, 2);
    }
}

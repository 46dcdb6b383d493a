//! The bilingual lexicon table: entries (lang_a, lang_b, a, b, weight)
//! from CC-CEDICT, word lists or learning, as evidence for the aligner.
//! Forms are stored folded (see [`crate::text::fold`]), not stemmed: the
//! aligner stems them when it loads them.

use rusqlite::{Connection, Transaction, params};
use serde::Serialize;

use crate::error::Result;

/// Counts of a lexicon import.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct LexiconStats {
    /// New entries.
    pub added: usize,
    /// Entries already there (their weight raised when the new one was higher).
    pub existing: usize,
}

/// Writes lexicon entries inside the import's transaction.
pub struct LexiconWriter<'t> {
    tx: &'t Transaction<'t>,
    batch_id: i64,
    source: String,
    pub stats: LexiconStats,
}

impl<'t> LexiconWriter<'t> {
    pub fn new(tx: &'t Transaction<'t>, batch_id: i64, source: &str) -> LexiconWriter<'t> {
        LexiconWriter {
            tx,
            batch_id,
            source: source.to_string(),
            stats: LexiconStats::default(),
        }
    }

    /// Add (or strengthen) one entry. `a` and `b` are folded here.
    pub fn add(&mut self, lang_a: &str, lang_b: &str, a: &str, b: &str, weight: f64) -> Result<()> {
        let a = crate::text::fold(a);
        let b = crate::text::fold(b);
        if a.is_empty() || b.is_empty() {
            return Ok(());
        }
        let n = self
            .tx
            .prepare_cached(
                "INSERT OR IGNORE INTO lexicon(lang_a, lang_b, a, b, weight, source, batch_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                lang_a,
                lang_b,
                a,
                b,
                weight,
                self.source,
                self.batch_id
            ])?;
        if n == 1 {
            self.stats.added += 1;
        } else {
            self.stats.existing += 1;
            self.tx
                .prepare_cached(
                    "UPDATE lexicon SET weight = ?5
                     WHERE lang_a = ?1 AND lang_b = ?2 AND a = ?3 AND b = ?4 AND weight < ?5",
                )?
                .execute(params![lang_a, lang_b, a, b, weight])?;
        }
        Ok(())
    }
}

/// Call `f(a, b, weight)` for every entry from `lang_a` to `lang_b` with
/// at least `min_weight`.
pub fn for_each(
    conn: &Connection,
    lang_a: &str,
    lang_b: &str,
    min_weight: f64,
    mut f: impl FnMut(&str, &str, f64),
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
    mut f: impl FnMut(&str, f64),
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

/// Entries per language pair (and source).
pub fn counts(conn: &Connection) -> Result<Vec<(String, String, String, i64)>> {
    let mut st = conn.prepare(
        "SELECT lang_a, lang_b, COALESCE(source, ''), count(*) FROM lexicon
         GROUP BY lang_a, lang_b, source ORDER BY lang_a, lang_b, source",
    )?;
    let rows = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<std::result::Result<_, _>>()?;
    Ok(rows)
}

/// An entry: (lang_a, lang_b, a, b, weight).
pub type Entry = (String, String, String, String, f64);

/// Look words up: entries whose `a` or `b` is `word` (folded).
pub fn lookup(conn: &Connection, word: &str, limit: usize) -> Result<Vec<Entry>> {
    let key = crate::text::fold(word);
    let mut st = conn.prepare(
        "SELECT lang_a, lang_b, a, b, weight FROM lexicon WHERE a = ?1 OR b = ?1
         ORDER BY weight DESC, lang_a, lang_b LIMIT ?2",
    )?;
    let rows = st
        .query_map(params![key, limit as i64], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<std::result::Result<_, _>>()?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::lexicon::PINYIN;
    use crate::store::{Store, new_batch};

    #[test]
    fn writes_dedupes_and_loads_both_ways() {
        let mut s = Store::in_memory().unwrap();
        let tx = s.transaction().unwrap();
        let b = new_batch(&tx, "lexicon", "x.tsv").unwrap();
        let mut w = LexiconWriter::new(&tx, b, "x.tsv");
        w.add("zh", "en", "研究", "research", 0.5).unwrap();
        w.add("zh", "en", "研究", "Research", 1.0).unwrap();
        w.add("zh", "en", "研究", "to study", 1.0).unwrap();
        w.add("zh", PINYIN, "研", "yan", 1.0).unwrap();
        assert_eq!(
            w.stats,
            LexiconStats {
                added: 3,
                existing: 1
            }
        );
        tx.commit().unwrap();
        let weight: f64 = s
            .conn
            .query_row("SELECT weight FROM lexicon WHERE b = 'research'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(weight, 1.0);
        let mut n = 0;
        for_each(&s.conn, "zh", "en", 0.9, |a, _, _| {
            assert_eq!(a, "研究");
            n += 1;
        })
        .unwrap();
        assert_eq!(n, 2);
    }
}

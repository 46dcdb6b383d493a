//! Counts of everything, for `polytm stats`.

use rusqlite::Connection;

use polytm_store::{LangCount, PairCount, Stats, Summary};

use crate::error::Result;

fn lang_counts(c: &Connection, sql: &str) -> Result<Vec<LangCount>> {
    let mut st = c.prepare(sql)?;
    let rows = st.query_map([], |r| {
        Ok(LangCount {
            lang: r.get(0)?,
            count: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

const LANGUAGES: &str =
    "SELECT lang, count(*) AS n FROM variants GROUP BY lang ORDER BY n DESC, lang";

/// Units, concepts and languages.
pub fn summary(c: &Connection) -> Result<Summary> {
    let one = |sql: &str| -> Result<i64> { Ok(c.query_row(sql, [], |r| r.get(0))?) };
    Ok(Summary {
        units: one("SELECT count(*) FROM units")?,
        concepts: one("SELECT count(*) FROM concepts")?,
        languages: lang_counts(c, LANGUAGES)?,
    })
}

/// Everything but the database's name and size, which the caller knows.
pub fn stats(c: &Connection, database: String, bytes: u64) -> Result<Stats> {
    let one = |sql: &str| -> Result<i64> { Ok(c.query_row(sql, [], |r| r.get(0))?) };
    let pairs = |sql: &str| -> Result<Vec<PairCount>> {
        let mut st = c.prepare(sql)?;
        let rows = st.query_map([], |r| {
            Ok(PairCount {
                a: r.get(0)?,
                b: r.get(1)?,
                count: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    };
    let langs = |sql: &str| lang_counts(c, sql);
    Ok(Stats {
        database,
        bytes,
        schema_version: one("PRAGMA user_version")?,
        units: one("SELECT count(*) FROM units")?,
        documents: one("SELECT count(*) FROM documents")?,
        batches: one("SELECT count(*) FROM batches")?,
        // Ties in a count are broken by the languages' codes, so the order
        // does not depend on the database.
        pairs: pairs(
            "SELECT a.lang, b.lang, count(*) AS n FROM variants a JOIN variants b
               ON a.unit_id = b.unit_id AND a.lang < b.lang
             GROUP BY a.lang, b.lang ORDER BY n DESC, a.lang, b.lang",
        )?,
        languages: langs(LANGUAGES)?,
        concepts: one("SELECT count(*) FROM concepts")?,
        terms: langs("SELECT lang, count(*) FROM terms GROUP BY lang ORDER BY lang")?,
        lexicon: pairs(
            "SELECT lang_a, lang_b, count(*) FROM lexicon GROUP BY lang_a, lang_b ORDER BY lang_a, lang_b",
        )?,
    })
}

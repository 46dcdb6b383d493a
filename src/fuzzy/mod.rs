//! Fuzzy matching: candidate retrieval from the index ([`index`]), exact
//! scoring ([`score`]), repair of numbers and glossary terms ([`repair`]),
//! word-level differences for people ([`diff`]) and the [`Matcher`] that
//! puts them together for `match`, `pretranslate` and anything else that
//! needs proposals.
//!
//! ```no_run
//! use polytm::fuzzy::{Matcher, Options};
//! use polytm::lang::Lang;
//! use polytm::store::Store;
//! # fn main() -> polytm::Result<()> {
//! let store = Store::open(std::path::Path::new("tm.db"))?;
//! let m = Matcher::open(store, &Lang::en(), &Lang::ru(), Options::default())?;
//! for p in m.best("Delete the file.", 75, 5)? {
//!     println!("{} {}", p.score, p.target);
//! }
//! # Ok(()) }
//! ```

pub mod diff;
pub mod index;
pub mod repair;
pub mod score;

use std::collections::HashMap;
use std::sync::Mutex;

use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::store::Store;
use index::{Hit, LangIndex, SearchStats};
pub use repair::Repair;

/// How a [`Matcher`] works.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Score every unit instead of asking the index (slow; for checking).
    pub exhaustive: bool,
    /// Substitute changed numbers (and glossary terms) into targets.
    pub repair: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            exhaustive: false,
            repair: true,
        }
    }
}

/// One proposal: a TM unit whose source resembles the query.
#[derive(Debug, Clone, Serialize)]
pub struct Proposal {
    /// Similarity of the query and `source`, 0–100 (see [`score`]). Not
    /// changed by a repair.
    pub score: u8,
    /// The TM source text, as stored.
    pub source: String,
    /// The proposed translation: the TM target, with the repairs applied.
    pub target: String,
    /// The TM unit.
    pub unit: i64,
    /// The document the unit came from.
    pub document: Option<String>,
    /// Which TM: `main` for the database, else the name given to
    /// [`Matcher::add_tm`].
    pub tm: String,
    /// When the unit was created or last changed (ISO 8601).
    pub date: String,
    /// What was substituted into the target, if anything.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repaired: Option<Repair>,
}

impl Proposal {
    /// The TM target before any repair.
    pub fn original_target(&self) -> &str {
        match &self.repaired {
            Some(r) => &r.original_target,
            None => &self.target,
        }
    }
}

/// Source, target and metadata of a unit, fetched when it becomes a hit.
#[derive(Debug, Clone)]
struct Detail {
    source: String,
    target: String,
    document: Option<String>,
    date: String,
}

struct Tm {
    name: String,
    index: LangIndex,
    db: Mutex<Connection>,
}

impl Tm {
    fn detail(&self, unit: i64, from: &Lang, to: &Lang) -> Result<Option<Detail>> {
        let db = self
            .db
            .lock()
            .map_err(|_| Error::other("the database connection was poisoned"))?;
        let mut st = db.prepare_cached(
            "SELECT s.text, t.text, d.name, coalesce(u.changed_at, u.created_at)
             FROM units u
             JOIN variants s ON s.unit_id = u.id AND s.lang = ?2
             JOIN variants t ON t.unit_id = u.id AND t.lang = ?3
             LEFT JOIN documents d ON d.id = u.document_id
             WHERE u.id = ?1",
        )?;
        Ok(st
            .query_row((unit, from.as_str(), to.as_str()), |r| {
                Ok(Detail {
                    source: r.get(0)?,
                    target: r.get(1)?,
                    document: r.get(2)?,
                    date: r.get(3)?,
                })
            })
            .optional()?)
    }
}

/// Proposals for queries in one language from units that have a target in
/// another. Loads the source language's index once (`open`); `best` is
/// then cheap and can be called from many threads at once.
pub struct Matcher {
    from: Lang,
    to: Lang,
    opts: Options,
    tms: Vec<Tm>,
}

impl Matcher {
    /// A matcher over the units of `store`.
    pub fn open(store: Store, from: &Lang, to: &Lang, opts: Options) -> Result<Matcher> {
        let mut m = Matcher {
            from: from.clone(),
            to: to.clone(),
            opts,
            tms: Vec::new(),
        };
        m.add_tm(store, "main")?;
        Ok(m)
    }

    /// Query another TM alongside (pre-translation's `--tm FILE`: an
    /// in-memory store filled from a file). Its hits are merged with the
    /// others' by score, then recency.
    pub fn add_tm(&mut self, store: Store, name: &str) -> Result<()> {
        let index = if self.opts.exhaustive {
            load_from_variants(&store.conn, &self.from)?
        } else {
            LangIndex::load(&store.conn, &self.from)?
        };
        self.tms.push(Tm {
            name: name.to_string(),
            index,
            db: Mutex::new(store.conn),
        });
        Ok(())
    }

    pub fn from(&self) -> &Lang {
        &self.from
    }

    pub fn to(&self) -> &Lang {
        &self.to
    }

    /// Number of source-language segments the matcher searches.
    pub fn segments(&self) -> usize {
        self.tms.iter().map(|t| t.index.len()).sum()
    }

    /// The best `limit` proposals scoring at least `min` (1..=100), best
    /// first (score, then the most recently changed unit).
    pub fn best(&self, query: &str, min: u8, limit: usize) -> Result<Vec<Proposal>> {
        self.best_with_stats(query, min, limit, &mut SearchStats::default())
    }

    /// [`Matcher::best`], counting the work done.
    pub fn best_with_stats(
        &self,
        query: &str,
        min: u8,
        limit: usize,
        stats: &mut SearchStats,
    ) -> Result<Vec<Proposal>> {
        if !(1..=100).contains(&min) {
            return Err(Error::usage(format!(
                "--min must be between 1 and 100, not {min}"
            )));
        }
        let mut found: Vec<(Hit, usize, Detail)> = Vec::new();
        for (k, tm) in self.tms.iter().enumerate() {
            let q = tm.index.prepare(query);
            let mut details: HashMap<i64, Detail> = HashMap::new();
            let mut err = None;
            let mut accept = |unit: i64| match tm.detail(unit, &self.from, &self.to) {
                Ok(Some(d)) => {
                    details.insert(unit, d);
                    true
                }
                Ok(None) => false,
                Err(e) => {
                    err.get_or_insert(e);
                    false
                }
            };
            let hits = if self.opts.exhaustive {
                tm.index.scan_all(&q, min, limit, &mut accept)
            } else {
                tm.index.search(&q, min, limit, &mut accept, stats)
            };
            if let Some(e) = err {
                return Err(e);
            }
            for h in hits {
                if let Some(d) = details.remove(&h.unit) {
                    found.push((h, k, d));
                }
            }
        }
        // best first; on equal rank the TM given first wins
        found.sort_by(|a, b| b.0.rank_key().cmp(&a.0.rank_key()).then(a.1.cmp(&b.1)));
        found.truncate(limit);
        let out = found
            .into_iter()
            .map(|(h, k, d)| {
                let repaired = if self.opts.repair && h.score < 100 {
                    repair::repair(query, &d.source, &d.target, &self.from, &self.to)
                } else {
                    None
                };
                Proposal {
                    score: h.score,
                    target: repaired
                        .as_ref()
                        .map_or_else(|| d.target.clone(), |r| r.target.clone()),
                    source: d.source,
                    unit: h.unit,
                    document: d.document,
                    tm: self.tms[k].name.clone(),
                    date: d.date,
                    repaired,
                }
            })
            .collect();
        Ok(out)
    }
}

/// An index built straight from `variants`, bypassing the stored index:
/// what `--exhaustive` scans, so that it checks the index too.
pub fn load_from_variants(conn: &Connection, lang: &Lang) -> Result<LangIndex> {
    let mut st = conn.prepare(
        "SELECT v.unit_id, u.created_at, u.changed_at, coalesce(v.plain, v.text)
         FROM variants v JOIN units u ON u.id = v.unit_id WHERE v.lang = ?1 ORDER BY v.unit_id",
    )?;
    let rows: Vec<(i64, i64, String)> = st
        .query_map([lang.as_str()], |r| {
            let created: String = r.get(1)?;
            let changed: Option<String> = r.get(2)?;
            Ok((
                r.get(0)?,
                crate::store::index::recency(&created, changed.as_deref()),
                r.get(3)?,
            ))
        })?
        .collect::<std::result::Result<_, _>>()?;
    Ok(LangIndex::from_entries(
        lang,
        rows.iter().map(|(u, r, t)| (*u, *r, t.as_str())),
    ))
}

/// Does `text` look written in another script than `lang`'s? True when it
/// has at least three letters and fewer than half of them are in the
/// script English, Russian or Chinese is written in (other languages: never).
pub fn wrong_script(text: &str, lang: &Lang) -> bool {
    use crate::lang::Family;
    let (mut letters, mut hits) = (0usize, 0usize);
    for c in text.chars().filter(|c| c.is_alphabetic()).take(2000) {
        letters += 1;
        hits += usize::from(match lang.family() {
            Family::Chinese => crate::text::is_han(c),
            Family::Russian => ('\u{0400}'..='\u{04FF}').contains(&c),
            Family::English => c.is_ascii_alphabetic(),
            Family::Other => return false,
        });
    }
    letters >= 3 && hits * 2 < letters
}

//! SQL for glossary concepts and terms.
//!
//! **Identity.** An incoming concept is the same as a stored one when they
//! share a term: same language key and same folded text (case, width, `ё`,
//! spacing folded), where neither term is an abbreviation (`МВД`, `SCO` are
//! shared by many concepts and identify nothing). An entry made only of
//! abbreviations is the stored concept that has all of them. The new terms
//! of a matching entry are merged into the stored concept; its existing
//! terms, statuses and notes are left as they are (a note or source is
//! filled in only when the stored concept has none). So importing the same
//! file twice adds nothing the second time. When an entry shares terms
//! with several stored concepts it is merged into the one it shares most
//! with (the lowest id on a tie) and the others are reported.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;

use crate::error::Result;
use crate::glossary::model::{Concept, NewConcept, NewTerm, Term, TermStatus, lang_order};
use crate::lang::Lang;

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

/// Number of concepts and of terms.
pub fn counts(conn: &Connection) -> Result<(i64, i64)> {
    let c = conn.query_row("SELECT count(*) FROM concepts", [], |r| r.get(0))?;
    let t = conn.query_row("SELECT count(*) FROM terms", [], |r| r.get(0))?;
    Ok((c, t))
}

/// What happened to one incoming concept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Merged {
    /// A new concept.
    Added(i64),
    /// New terms (or a note) added to a stored concept.
    Merged { id: i64, new_terms: usize },
    /// Everything was there already.
    Unchanged(i64),
}

impl Merged {
    /// For messages: "added concept #3" ...
    pub fn describe(&self) -> String {
        match self {
            Merged::Added(id) => format!("added concept #{id}"),
            Merged::Merged { id, new_terms } => {
                format!("added {new_terms} terms to concept #{id}")
            }
            Merged::Unchanged(id) => format!("concept #{id} already has these terms"),
        }
    }

    pub fn id(&self) -> i64 {
        match self {
            Merged::Added(id) | Merged::Unchanged(id) => *id,
            Merged::Merged { id, .. } => *id,
        }
    }
}

/// Counts of a write run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct MergeStats {
    pub added: usize,
    pub merged: usize,
    pub unchanged: usize,
    pub terms_added: usize,
    /// Entries that matched several stored concepts.
    pub ambiguous: usize,
}

/// Writes concepts inside one transaction, merging by identity.
pub struct ConceptWriter<'t> {
    tx: &'t Transaction<'t>,
    batch_id: Option<i64>,
    now: String,
    pub stats: MergeStats,
}

impl<'t> ConceptWriter<'t> {
    pub fn new(tx: &'t Transaction<'t>, batch_id: Option<i64>) -> ConceptWriter<'t> {
        ConceptWriter {
            tx,
            batch_id,
            now: super::now(),
            stats: MergeStats::default(),
        }
    }

    /// Stored concepts this entry is (see the module documentation), most
    /// shared terms first.
    pub fn identify(&self, c: &NewConcept) -> Result<Vec<i64>> {
        let mut q = self
            .tx
            .prepare_cached("SELECT concept_id, status FROM terms WHERE lang = ?1 AND key = ?2")?;
        let mut shared: HashMap<i64, usize> = HashMap::new();
        let full: Vec<&NewTerm> = c
            .terms
            .iter()
            .filter(|t| t.status != TermStatus::Abbreviation)
            .collect();
        if !full.is_empty() {
            for t in full {
                let rows = q.query_map(params![t.tag.lang.as_str(), t.key()], |r| {
                    Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
                })?;
                let mut ids: Vec<i64> = Vec::new();
                for row in rows {
                    let (id, st) = row?;
                    if st != TermStatus::Abbreviation.as_str() && !ids.contains(&id) {
                        ids.push(id);
                    }
                }
                for id in ids {
                    *shared.entry(id).or_default() += 1;
                }
            }
        } else {
            // Only abbreviations: the concepts that have every one of them.
            let mut common: Option<Vec<i64>> = None;
            for t in &c.terms {
                let rows = q.query_map(params![t.tag.lang.as_str(), t.key()], |r| {
                    r.get::<_, i64>(0)
                })?;
                let ids: Vec<i64> = rows.collect::<rusqlite::Result<_>>()?;
                common = Some(match common {
                    None => ids,
                    Some(prev) => prev.into_iter().filter(|i| ids.contains(i)).collect(),
                });
            }
            for id in common.unwrap_or_default() {
                shared.insert(id, c.terms.len());
            }
        }
        let mut v: Vec<(i64, usize)> = shared.into_iter().collect();
        v.sort_by_key(|&(id, n)| (std::cmp::Reverse(n), id));
        Ok(v.into_iter().map(|(id, _)| id).collect())
    }

    /// Add or merge one concept. Returns what happened and the other stored
    /// concepts it also matched (normally none).
    pub fn add(&mut self, c: &NewConcept) -> Result<(Merged, Vec<i64>)> {
        let mut c = c.clone();
        c.dedup();
        let ids = self.identify(&c)?;
        let Some((&target, others)) = ids.split_first() else {
            let id = self.insert_concept(&c)?;
            self.stats.added += 1;
            self.stats.terms_added += c.terms.len();
            return Ok((Merged::Added(id), Vec::new()));
        };
        if !others.is_empty() {
            self.stats.ambiguous += 1;
        }
        let new_terms = add_terms(self.tx, target, &c.terms)?;
        let filled = self.fill_fields(target, &c)?;
        if new_terms > 0 || filled {
            self.tx
                .prepare_cached("UPDATE concepts SET changed_at = ?2 WHERE id = ?1")?
                .execute(params![target, self.now])?;
            self.stats.merged += 1;
            self.stats.terms_added += new_terms;
            Ok((
                Merged::Merged {
                    id: target,
                    new_terms,
                },
                others.to_vec(),
            ))
        } else {
            self.stats.unchanged += 1;
            Ok((Merged::Unchanged(target), others.to_vec()))
        }
    }

    fn insert_concept(&self, c: &NewConcept) -> Result<i64> {
        self.tx
            .prepare_cached(
                "INSERT INTO concepts(domain, note, source, batch_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![c.domain, c.note, c.source, self.batch_id, self.now])?;
        let id = self.tx.last_insert_rowid();
        add_terms(self.tx, id, &c.terms)?;
        Ok(id)
    }

    /// Fill in a note, source or domain the stored concept lacks.
    fn fill_fields(&self, id: i64, c: &NewConcept) -> Result<bool> {
        let n = self
            .tx
            .prepare_cached(
                "UPDATE concepts SET
                   note = CASE WHEN note IS NULL OR note = '' THEN ?2 ELSE note END,
                   source = CASE WHEN source IS NULL OR source = '' THEN ?3 ELSE source END,
                   domain = CASE WHEN domain IS NULL OR domain = '' THEN ?4 ELSE domain END
                 WHERE id = ?1 AND (
                   ((note IS NULL OR note = '') AND ?2 IS NOT NULL AND ?2 != '') OR
                   ((source IS NULL OR source = '') AND ?3 IS NOT NULL AND ?3 != '') OR
                   ((domain IS NULL OR domain = '') AND ?4 IS NOT NULL AND ?4 != ''))",
            )?
            .execute(params![id, c.note, c.source, c.domain])?;
        Ok(n > 0)
    }

    pub fn finish(self) -> MergeStats {
        self.stats
    }
}

/// Add the terms a concept does not have yet (by language and key), after
/// its existing ones. A term marked preferred becomes a variant when the
/// concept already has a preferred term in that language. Returns how many
/// were added.
pub fn add_terms(tx: &Transaction, concept_id: i64, terms: &[NewTerm]) -> Result<usize> {
    let mut exists =
        tx.prepare_cached("SELECT 1 FROM terms WHERE concept_id = ?1 AND lang = ?2 AND key = ?3")?;
    let mut has_pref = tx.prepare_cached(
        "SELECT 1 FROM terms WHERE concept_id = ?1 AND lang = ?2 AND status = 'preferred'",
    )?;
    let mut next_pos = tx.prepare_cached(
        "SELECT coalesce(max(position) + 1, 0) FROM terms WHERE concept_id = ?1 AND lang = ?2",
    )?;
    let mut ins = tx.prepare_cached(
        "INSERT INTO terms(concept_id, lang, tag, text, key, status, note, source, position)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    let mut n = 0;
    for t in terms {
        let key = t.key();
        if key.is_empty() {
            continue;
        }
        let lang = t.tag.lang.as_str();
        if exists.exists(params![concept_id, lang, key])? {
            continue;
        }
        let mut status = t.status;
        if status == TermStatus::Preferred && has_pref.exists(params![concept_id, lang])? {
            status = TermStatus::Variant;
        }
        let pos: i64 = next_pos.query_row(params![concept_id, lang], |r| r.get(0))?;
        ins.execute(params![
            concept_id,
            lang,
            t.tag.tag,
            t.text,
            key,
            status.as_str(),
            t.note,
            t.source,
            pos
        ])?;
        n += 1;
    }
    Ok(n)
}

/// The term of a concept with this language and folded key.
pub fn find_term(tx: &Connection, concept_id: i64, lang: &Lang, key: &str) -> Result<Option<i64>> {
    Ok(tx
        .query_row(
            "SELECT id FROM terms WHERE concept_id = ?1 AND lang = ?2 AND key = ?3",
            params![concept_id, lang.as_str(), key],
            |r| r.get(0),
        )
        .optional()?)
}

/// Remove one term. Returns whether it existed.
pub fn remove_term(tx: &Transaction, term_id: i64) -> Result<bool> {
    Ok(tx.execute("DELETE FROM terms WHERE id = ?1", [term_id])? > 0)
}

/// Make a term the preferred one of its language: it moves to the first
/// place, and the language's other preferred terms become variants.
pub fn prefer_term(tx: &Transaction, term_id: i64) -> Result<()> {
    let (concept_id, lang): (i64, String) = tx.query_row(
        "SELECT concept_id, lang FROM terms WHERE id = ?1",
        [term_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    tx.execute(
        "UPDATE terms SET status = 'variant'
         WHERE concept_id = ?1 AND lang = ?2 AND status = 'preferred' AND id != ?3",
        params![concept_id, lang, term_id],
    )?;
    tx.execute(
        "UPDATE terms SET status = 'preferred' WHERE id = ?1",
        [term_id],
    )?;
    // Renumber: the preferred term first, the others in their order.
    let mut st = tx.prepare(
        "SELECT id FROM terms WHERE concept_id = ?1 AND lang = ?2
         ORDER BY (id != ?3), position, id",
    )?;
    let ids: Vec<i64> = st
        .query_map(params![concept_id, lang, term_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut up = tx.prepare("UPDATE terms SET position = ?2 WHERE id = ?1")?;
    for (pos, id) in ids.iter().enumerate() {
        up.execute(params![id, pos as i64])?;
    }
    Ok(())
}

/// Set a term's status.
pub fn set_term_status(tx: &Transaction, term_id: i64, status: TermStatus) -> Result<()> {
    if status == TermStatus::Preferred {
        return prefer_term(tx, term_id);
    }
    tx.execute(
        "UPDATE terms SET status = ?2 WHERE id = ?1",
        params![term_id, status.as_str()],
    )?;
    Ok(())
}

/// Which concept fields to change: `Some(None)` clears, `Some(Some(x))` sets.
#[derive(Debug, Clone, Default)]
pub struct ConceptFields {
    pub domain: Option<Option<String>>,
    pub note: Option<Option<String>>,
    pub source: Option<Option<String>>,
}

/// Change a concept's domain, note or source.
pub fn update_concept(tx: &Transaction, id: i64, f: &ConceptFields) -> Result<()> {
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
    touch(tx, id)
}

/// Record that a concept changed now.
pub fn touch(tx: &Transaction, id: i64) -> Result<()> {
    tx.execute(
        "UPDATE concepts SET changed_at = ?2 WHERE id = ?1",
        params![id, super::now()],
    )?;
    Ok(())
}

/// Whether a concept exists.
pub fn concept_exists(conn: &Connection, id: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM concepts WHERE id = ?1")?
        .exists([id])?)
}

/// Delete concepts (their terms go with them). Returns how many existed.
pub fn delete_concepts(tx: &Transaction, ids: &[i64]) -> Result<usize> {
    let mut st = tx.prepare_cached("DELETE FROM concepts WHERE id = ?1")?;
    let mut n = 0;
    for id in ids {
        n += st.execute([id])?;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::LangTag;
    use crate::store::Store;

    fn t(lang: &str, text: &str, st: TermStatus) -> NewTerm {
        NewTerm::new(LangTag::parse(lang).unwrap(), text, st)
    }

    fn concept(terms: Vec<NewTerm>) -> NewConcept {
        NewConcept {
            terms,
            ..Default::default()
        }
    }

    #[test]
    fn identity_merges_and_reimport_adds_nothing() {
        let mut s = Store::in_memory().unwrap();
        let sco = concept(vec![
            t(
                "en",
                "Shanghai Cooperation Organisation",
                TermStatus::Preferred,
            ),
            t("en", "SCO", TermStatus::Abbreviation),
            t("ru", "ШОС", TermStatus::Abbreviation),
        ]);
        let mia = concept(vec![
            t("ru", "МВД", TermStatus::Abbreviation),
            t("en", "Ministry of Internal Affairs", TermStatus::Preferred),
        ]);
        {
            let tx = s.transaction().unwrap();
            let mut w = ConceptWriter::new(&tx, None);
            assert!(matches!(w.add(&sco).unwrap().0, Merged::Added(_)));
            assert!(matches!(w.add(&mia).unwrap().0, Merged::Added(_)));
            // again: nothing new
            assert!(matches!(w.add(&sco).unwrap().0, Merged::Unchanged(_)));
            // a new spelling merges by the shared full term
            let more = concept(vec![
                t(
                    "en-GB",
                    "shanghai cooperation organisation",
                    TermStatus::Preferred,
                ),
                t(
                    "en",
                    "Shanghai Cooperation Organization",
                    TermStatus::Variant,
                ),
                t("zh-CN", "上海合作组织", TermStatus::Preferred),
            ]);
            let (m, others) = w.add(&more).unwrap();
            assert_eq!(
                m,
                Merged::Merged {
                    id: 1,
                    new_terms: 2
                }
            );
            assert!(others.is_empty());
            // sharing only an abbreviation is not identity
            let other = concept(vec![
                t("ru", "МВД", TermStatus::Abbreviation),
                t("en", "Interior Ministry of Russia", TermStatus::Preferred),
            ]);
            assert!(matches!(w.add(&other).unwrap().0, Merged::Added(3)));
            // an entry of abbreviations only: the concept having all of them
            let abbr = concept(vec![
                t("en", "SCO", TermStatus::Abbreviation),
                t("ru", "ШОС", TermStatus::Abbreviation),
            ]);
            assert_eq!(w.add(&abbr).unwrap().0, Merged::Unchanged(1));
            tx.commit().unwrap();
        }
        let cs = load_concepts(&s.conn).unwrap();
        assert_eq!(cs.len(), 3);
        let c = &cs[0];
        assert_eq!(c.terms.len(), 5);
        assert_eq!(
            c.preferred(&Lang::en()).unwrap().text,
            "Shanghai Cooperation Organisation"
        );
        assert_eq!(c.preferred(&Lang::zh()).unwrap().text, "上海合作组织");
        assert_eq!(c.terms(&Lang::en()).count(), 3);
    }

    #[test]
    fn prefer_reorders() {
        let mut s = Store::in_memory().unwrap();
        let tx = s.transaction().unwrap();
        let mut w = ConceptWriter::new(&tx, None);
        w.add(&concept(vec![
            t("en", "A", TermStatus::Preferred),
            t("en", "B", TermStatus::Variant),
        ]))
        .unwrap();
        let b = find_term(&tx, 1, &Lang::en(), "b").unwrap().unwrap();
        prefer_term(&tx, b).unwrap();
        tx.commit().unwrap();
        let c = load_concept(&s.conn, 1).unwrap().unwrap();
        assert_eq!(c.terms[0].text, "B");
        assert_eq!(c.terms[0].status, TermStatus::Preferred);
        assert_eq!(c.terms[1].status, TermStatus::Variant);
    }
}

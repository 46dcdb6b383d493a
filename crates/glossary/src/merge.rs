//! How an incoming concept joins a glossary: the rules, as decisions that
//! any store (or an in-memory glossary) carries out with a few primitive
//! writes. One place for them, whatever the backend.
//!
//! **Identity.** An incoming concept is the same as a stored one when they
//! share a term: same language key and same folded text (case, width, `ё`,
//! spacing folded), where neither term is an abbreviation (`МВД`, `SCO` are
//! shared by many concepts and identify nothing). An entry made only of
//! abbreviations is the stored concept that has all of them. The new terms
//! of a matching entry are merged into the stored concept; its existing
//! terms, statuses and notes are left as they are (a note, source or
//! domain is filled in only when the stored concept has none). So
//! importing the same file twice adds nothing the second time. When an
//! entry shares terms with several stored concepts it is merged into the
//! one it shares most with (the lowest id on a tie) and the others are
//! reported.
//!
//! **Terms added** to a concept keep their order after its existing ones.
//! A term marked preferred becomes a variant when the concept already has
//! a preferred term in that language.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use polytm_core::Result;
use polytm_text::lang::Lang;

use crate::model::{Concept, NewConcept, NewTerm, TermStatus};

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

/// Counts of a merge run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct MergeStats {
    pub added: usize,
    pub merged: usize,
    pub unchanged: usize,
    pub terms_added: usize,
    /// Entries that matched several stored concepts.
    pub ambiguous: usize,
}

/// A term to write, with the status and position the rules gave it.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedTerm {
    pub term: NewTerm,
    pub status: TermStatus,
    pub position: i64,
}

/// What to write for one incoming concept.
#[derive(Debug, Clone, PartialEq)]
pub enum Plan {
    /// A new concept with these fields and terms.
    Add {
        domain: Option<String>,
        note: Option<String>,
        source: Option<String>,
        terms: Vec<PlannedTerm>,
    },
    /// Add terms to a stored concept, and fill in the fields it lacks
    /// (`Some` = set it); `touched`: something changes.
    Merge {
        id: i64,
        terms: Vec<PlannedTerm>,
        domain: Option<String>,
        note: Option<String>,
        source: Option<String>,
    },
    /// Nothing to write.
    Unchanged { id: i64 },
}

impl Plan {
    /// Does carrying out the plan change anything?
    pub fn changes(&self) -> bool {
        match self {
            Plan::Add { .. } => true,
            Plan::Merge {
                terms,
                domain,
                note,
                source,
                ..
            } => !terms.is_empty() || domain.is_some() || note.is_some() || source.is_some(),
            Plan::Unchanged { .. } => false,
        }
    }
}

/// What the rules need to know of one stored concept.
#[derive(Debug, Clone, Default)]
struct Known {
    keys: HashSet<(Lang, String)>,
    preferred: HashSet<Lang>,
    next_position: HashMap<Lang, i64>,
    has_domain: bool,
    has_note: bool,
    has_source: bool,
}

/// The glossary's terms by key, kept current as concepts are merged in.
#[derive(Debug, Clone, Default)]
pub struct Merger {
    by_key: HashMap<(Lang, String), Vec<(i64, TermStatus)>>,
    known: HashMap<i64, Known>,
    pub stats: MergeStats,
}

fn filled(s: &Option<String>) -> bool {
    s.as_deref().is_some_and(|s| !s.is_empty())
}

impl Merger {
    /// Rules over the concepts already stored.
    pub fn new(concepts: &[Concept]) -> Merger {
        let mut m = Merger::default();
        for c in concepts {
            let k = m.known.entry(c.id).or_default();
            k.has_domain = filled(&c.domain);
            k.has_note = filled(&c.note);
            k.has_source = filled(&c.source);
            for t in &c.terms {
                m.note_term(c.id, &t.lang, &t.key, t.status, t.position);
            }
        }
        m
    }

    fn note_term(&mut self, concept: i64, lang: &Lang, key: &str, status: TermStatus, pos: i64) {
        let k = self.known.entry(concept).or_default();
        k.keys.insert((lang.clone(), key.to_string()));
        if status == TermStatus::Preferred {
            k.preferred.insert(lang.clone());
        }
        let next = k.next_position.entry(lang.clone()).or_insert(0);
        *next = (*next).max(pos + 1);
        self.by_key
            .entry((lang.clone(), key.to_string()))
            .or_default()
            .push((concept, status));
    }

    /// Stored concepts this entry is (see the module documentation), most
    /// shared terms first.
    pub fn identify(&self, c: &NewConcept) -> Vec<i64> {
        let mut shared: HashMap<i64, usize> = HashMap::new();
        let full: Vec<&NewTerm> = c
            .terms
            .iter()
            .filter(|t| t.status != TermStatus::Abbreviation)
            .collect();
        if !full.is_empty() {
            for t in full {
                let mut ids: Vec<i64> = Vec::new();
                for &(id, st) in self.holders(t) {
                    if st != TermStatus::Abbreviation && !ids.contains(&id) {
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
                let ids: Vec<i64> = self.holders(t).iter().map(|&(id, _)| id).collect();
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
        v.into_iter().map(|(id, _)| id).collect()
    }

    fn holders(&self, t: &NewTerm) -> &[(i64, TermStatus)] {
        self.by_key
            .get(&(t.tag.lang.clone(), t.key()))
            .map_or(&[], Vec::as_slice)
    }

    /// The terms of `c` a concept does not have yet, with their statuses
    /// and positions (`known` is `None` for a new concept).
    fn plan_terms(known: Option<&Known>, c: &NewConcept) -> Vec<PlannedTerm> {
        let mut keys: HashSet<(Lang, String)> = known.map(|k| k.keys.clone()).unwrap_or_default();
        let mut preferred: HashSet<Lang> = known.map(|k| k.preferred.clone()).unwrap_or_default();
        let mut next: HashMap<Lang, i64> =
            known.map(|k| k.next_position.clone()).unwrap_or_default();
        let mut out = Vec::new();
        for t in &c.terms {
            let key = t.key();
            if key.is_empty() || !keys.insert((t.tag.lang.clone(), key)) {
                continue;
            }
            let lang = &t.tag.lang;
            let mut status = t.status;
            if status == TermStatus::Preferred && !preferred.insert(lang.clone()) {
                status = TermStatus::Variant;
            }
            let pos = next.entry(lang.clone()).or_insert(0);
            out.push(PlannedTerm {
                term: t.clone(),
                status,
                position: *pos,
            });
            *pos += 1;
        }
        out
    }

    /// Decide what to write for `c`, and the other stored concepts it also
    /// matched (normally none).
    pub fn plan(&self, c: &NewConcept) -> (Plan, Vec<i64>) {
        let mut c = c.clone();
        c.dedup();
        let ids = self.identify(&c);
        let Some((&target, others)) = ids.split_first() else {
            let terms = Merger::plan_terms(None, &c);
            return (
                Plan::Add {
                    domain: c.domain,
                    note: c.note,
                    source: c.source,
                    terms,
                },
                Vec::new(),
            );
        };
        let known = self.known.get(&target);
        let terms = Merger::plan_terms(known, &c);
        let lacks = |has: fn(&Known) -> bool| known.is_none_or(|k| !has(k));
        let fill = |v: &Option<String>, has: fn(&Known) -> bool| {
            (filled(v) && lacks(has)).then(|| v.clone()).flatten()
        };
        let plan = Plan::Merge {
            id: target,
            domain: fill(&c.domain, |k| k.has_domain),
            note: fill(&c.note, |k| k.has_note),
            source: fill(&c.source, |k| k.has_source),
            terms,
        };
        let plan = if plan.changes() {
            plan
        } else {
            Plan::Unchanged { id: target }
        };
        (plan, others.to_vec())
    }

    /// Merge one concept: decide, let `apply` write the plan (it returns
    /// the id of a concept it added, else the plan's id), and remember what
    /// was written for the entries that follow.
    pub fn add(
        &mut self,
        c: &NewConcept,
        apply: impl FnOnce(&Plan) -> Result<i64>,
    ) -> Result<(Merged, Vec<i64>)> {
        let (plan, others) = self.plan(c);
        if !others.is_empty() {
            self.stats.ambiguous += 1;
        }
        let id = apply(&plan)?;
        let merged = match &plan {
            Plan::Add { terms, .. } => {
                self.stats.added += 1;
                self.stats.terms_added += terms.len();
                Merged::Added(id)
            }
            Plan::Merge { terms, .. } => {
                self.stats.merged += 1;
                self.stats.terms_added += terms.len();
                Merged::Merged {
                    id,
                    new_terms: terms.len(),
                }
            }
            Plan::Unchanged { .. } => {
                self.stats.unchanged += 1;
                Merged::Unchanged(id)
            }
        };
        self.record(id, &plan);
        Ok((merged, others))
    }

    fn record(&mut self, id: i64, plan: &Plan) {
        let (terms, domain, note, source) = match plan {
            Plan::Add {
                terms,
                domain,
                note,
                source,
            }
            | Plan::Merge {
                terms,
                domain,
                note,
                source,
                ..
            } => (terms, domain, note, source),
            Plan::Unchanged { .. } => return,
        };
        {
            let k = self.known.entry(id).or_default();
            k.has_domain |= filled(domain);
            k.has_note |= filled(note);
            k.has_source |= filled(source);
        }
        for t in terms {
            self.note_term(id, &t.term.tag.lang, &t.term.key(), t.status, t.position);
        }
    }
}

/// The terms of `terms` that `concept` lacks, with the statuses and
/// positions the rules give them (adding terms to a stored concept by hand).
pub fn new_terms(concept: &Concept, terms: &[NewTerm]) -> Vec<PlannedTerm> {
    let m = Merger::new(std::slice::from_ref(concept));
    let c = NewConcept {
        terms: terms.to_vec(),
        ..Default::default()
    };
    Merger::plan_terms(m.known.get(&concept.id), &c)
}

/// The status and position of every term of `term`'s language in its
/// concept once `term` is made the preferred one: it moves to the first
/// place, the language's other preferred terms become variants, the rest
/// keep their order. (term id, status, position) for each.
pub fn prefer(concept: &Concept, term: i64) -> Vec<(i64, TermStatus, i64)> {
    let Some(lang) = concept.terms.iter().find(|t| t.id == term).map(|t| &t.lang) else {
        return Vec::new();
    };
    let mut same: Vec<&crate::model::Term> =
        concept.terms.iter().filter(|t| &t.lang == lang).collect();
    same.sort_by_key(|t| (t.id != term, t.position, t.id));
    same.iter()
        .enumerate()
        .map(|(pos, t)| {
            let status = if t.id == term {
                TermStatus::Preferred
            } else if t.status == TermStatus::Preferred {
                TermStatus::Variant
            } else {
                t.status
            };
            (t.id, status, pos as i64)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Glossary;
    use polytm_text::lang::LangTag;

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
        let mut g = Glossary::default();
        assert!(matches!(g.merge(&sco).0, Merged::Added(1)));
        assert!(matches!(g.merge(&mia).0, Merged::Added(2)));
        // again: nothing new
        assert!(matches!(g.merge(&sco).0, Merged::Unchanged(1)));
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
        let (m, others) = g.merge(&more);
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
        assert!(matches!(g.merge(&other).0, Merged::Added(3)));
        // an entry of abbreviations only: the concept having all of them
        let abbr = concept(vec![
            t("en", "SCO", TermStatus::Abbreviation),
            t("ru", "ШОС", TermStatus::Abbreviation),
        ]);
        assert_eq!(g.merge(&abbr).0, Merged::Unchanged(1));
        assert_eq!(g.len(), 3);
        let c = g.concept(1).unwrap();
        assert_eq!(c.terms.len(), 5);
        assert_eq!(
            c.preferred(&Lang::en()).unwrap().text,
            "Shanghai Cooperation Organisation"
        );
        assert_eq!(c.preferred(&Lang::zh()).unwrap().text, "上海合作组织");
        assert_eq!(c.terms(&Lang::en()).count(), 3);
        // the second English "preferred" term became a variant
        assert_eq!(
            c.terms(&Lang::en()).map(|t| t.status).collect::<Vec<_>>(),
            [
                TermStatus::Preferred,
                TermStatus::Abbreviation,
                TermStatus::Variant
            ]
        );
    }

    #[test]
    fn fields_are_filled_only_when_missing() {
        let mut g = Glossary::default();
        let mut a = concept(vec![t("en", "A", TermStatus::Preferred)]);
        a.note = Some("first".into());
        g.merge(&a);
        let mut b = concept(vec![t("en", "A", TermStatus::Preferred)]);
        b.note = Some("second".into());
        assert_eq!(g.merge(&b).0, Merged::Unchanged(1));
        b.source = Some("a book".into());
        assert_eq!(
            g.merge(&b).0,
            Merged::Merged {
                id: 1,
                new_terms: 0
            }
        );
        let c = g.concept(1).unwrap();
        assert_eq!(c.note.as_deref(), Some("first"));
        assert_eq!(c.source.as_deref(), Some("a book"));
    }

    #[test]
    fn prefer_reorders() {
        let mut g = Glossary::default();
        g.merge(&concept(vec![
            t("en", "A", TermStatus::Preferred),
            t("en", "B", TermStatus::Variant),
            t("ru", "Б", TermStatus::Preferred),
        ]));
        let c = g.concept(1).unwrap();
        let b = c.terms.iter().find(|t| t.text == "B").unwrap().id;
        let a = c.terms.iter().find(|t| t.text == "A").unwrap().id;
        assert_eq!(
            prefer(c, b),
            vec![(b, TermStatus::Preferred, 0), (a, TermStatus::Variant, 1)]
        );
    }
}

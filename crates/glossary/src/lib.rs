//! Agency-name glossaries: concepts with terms in every language, looked
//! up by any form and recognised in running text.
//!
//! The library API other modules use:
//!
//! ```
//! # fn main() -> polytm_core::Result<()> {
//! use polytm_glossary::Glossary;
//! use polytm_text::lang::Lang;
//!
//! let glossary = Glossary::from_tsv_str(
//!     "en\tru\tzh\nMinistry of Internal Affairs of the Republic of Kazakhstan\t\
//!      Министерство внутренних дел Республики Казахстан\t哈萨克斯坦共和国内务部\n",
//! )?;                                               // or from a store's concepts
//! let ru = glossary.recognizer(&Lang::ru());        // build once, Send + Sync
//! for hit in ru.scan("делегации Министерства внутренних дел Республики Казахстан") {
//!     let concept = glossary.concept(hit.concept_id).unwrap();
//!     let zh = concept.preferred(&Lang::zh());      // the term to use in Chinese
//!     println!("{}..{} {:?} -> {:?}", hit.start, hit.end, hit.text, zh.map(|t| &t.text));
//! }
//! # Ok(()) }
//! ```
//!
//! - [`model`]: [`Concept`], [`Term`], [`TermStatus`], the cell syntax.
//! - [`merge`]: how an incoming concept joins a glossary ([`merge::Merger`]).
//! - [`recognize`]: [`Recognizer`] and [`Hit`] (offsets in characters).
//! - [`lookup`]: `polytm term QUERY` ([`Glossary::lookup`]).
//! - [`inflect`]: a concept's name in place of another's, in the case the
//!   text used ([`Glossary::replace_concept`], [`Glossary::repair_terms`]).

pub mod inflect;
pub mod lookup;
pub mod merge;
pub mod model;
pub mod recognize;
mod words;

use std::collections::HashMap;

pub use inflect::inflect_like;
pub use lookup::{Found, MatchKind};
pub use merge::{MergeStats, Merged, Merger, Plan};
pub use model::{Concept, NewConcept, NewTerm, Term, TermStatus};
pub use recognize::{Hit, Pattern, Recognizer};

use polytm_core::error::Result;
use polytm_text::lang::Lang;

/// At most this many forms of a term with a nested name replaced.
pub const MAX_NESTED: usize = 32;

/// All concepts of a glossary, in memory.
#[derive(Debug, Clone, Default)]
pub struct Glossary {
    concepts: Vec<Concept>,
    by_id: HashMap<i64, usize>,
    by_term: HashMap<i64, (usize, usize)>,
    /// The merge rules' view, made on the first [`Glossary::merge`].
    merger: Option<Merger>,
}

/// A text with one concept's name put in place of another's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replacement {
    pub text: String,
    /// Character ranges of the new names in `text`.
    pub spans: Vec<(usize, usize)>,
    /// The terms put in, in order.
    pub term_ids: Vec<i64>,
    /// What was replaced by what (one entry per occurrence).
    pub changes: Vec<TermChange>,
}

/// One name replaced in a target.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TermChange {
    /// The concept named before, and the one named now.
    pub from: i64,
    pub to: i64,
    /// How the TM source and the query name them (empty when unknown, as
    /// from [`Glossary::replace_concept`]).
    pub source: String,
    pub query: String,
    /// The occurrence in the target before, and what replaced it.
    pub was: String,
    pub now: String,
}

/// The outcome of [`Glossary::repair_terms`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TermRepair {
    /// The query and the TM source name the same concepts.
    Unchanged,
    /// Concepts differ and every occurrence in the target was replaced.
    Repaired(Replacement),
    /// Concepts differ but the target could not be repaired safely.
    Failed,
}

impl Glossary {
    pub fn from_concepts(concepts: Vec<Concept>) -> Glossary {
        let mut by_id = HashMap::with_capacity(concepts.len());
        let mut by_term = HashMap::new();
        for (i, c) in concepts.iter().enumerate() {
            by_id.insert(c.id, i);
            for (j, t) in c.terms.iter().enumerate() {
                by_term.insert(t.id, (i, j));
            }
        }
        Glossary {
            concepts,
            by_id,
            by_term,
            merger: None,
        }
    }

    /// A glossary from a TSV table (header of language codes, ` | ` between
    /// terms), merged by the same rules as `glossary import` ([`merge`]).
    /// Handy for tests and tools that need no database.
    pub fn from_tsv_str(text: &str) -> Result<Glossary> {
        let reader = polytm_formats::glossary_table::GlossaryTableReader::from_text(
            text,
            "<glossary>",
            polytm_formats::table::Delim::Tab,
        )?;
        let mut g = Glossary::default();
        for row in reader {
            let (_, c) = row?;
            if !c.terms.is_empty() {
                g.merge(&c);
            }
        }
        Ok(g)
    }

    /// Merge a concept into this in-memory glossary by the rules of
    /// [`merge`] (new concepts and terms get the next free ids).
    pub fn merge(&mut self, c: &NewConcept) -> (Merged, Vec<i64>) {
        let mut merger = self
            .merger
            .take()
            .unwrap_or_else(|| Merger::new(&self.concepts));
        let out = merger.add(c, |plan| Ok(self.apply(plan)));
        self.merger = Some(merger);
        out.expect("an in-memory merge does not fail")
    }

    /// Carry out a merge plan in memory; the concept's id.
    fn apply(&mut self, plan: &Plan) -> i64 {
        let next_term = self
            .concepts
            .iter()
            .flat_map(|c| c.terms.iter().map(|t| t.id))
            .max()
            .unwrap_or(0)
            + 1;
        let (id, terms) = match plan {
            Plan::Unchanged { id } => return *id,
            Plan::Add {
                domain,
                note,
                source,
                terms,
            } => {
                let id = self.concepts.iter().map(|c| c.id).max().unwrap_or(0) + 1;
                self.concepts.push(Concept {
                    id,
                    domain: domain.clone(),
                    note: note.clone(),
                    source: source.clone(),
                    terms: Vec::new(),
                });
                (id, terms)
            }
            Plan::Merge {
                id,
                terms,
                domain,
                note,
                source,
            } => {
                if let Some(c) = self.concepts.iter_mut().find(|c| c.id == *id) {
                    for (field, v) in [
                        (&mut c.domain, domain),
                        (&mut c.note, note),
                        (&mut c.source, source),
                    ] {
                        if v.is_some() {
                            *field = v.clone();
                        }
                    }
                }
                (*id, terms)
            }
        };
        if let Some(c) = self.concepts.iter_mut().find(|c| c.id == id) {
            for (k, p) in terms.iter().enumerate() {
                c.terms.push(Term {
                    id: next_term + k as i64,
                    concept_id: id,
                    lang: p.term.tag.lang.clone(),
                    tag: p.term.tag.tag.clone(),
                    text: p.term.text.clone(),
                    key: p.term.key(),
                    status: p.status,
                    note: p.term.note.clone(),
                    source: p.term.source.clone(),
                    position: p.position,
                });
            }
            c.terms
                .sort_by_key(|t| (model::lang_order(&t.lang), t.position));
        }
        let merger = self.merger.take();
        *self = Glossary::from_concepts(std::mem::take(&mut self.concepts));
        self.merger = merger;
        id
    }

    pub fn concepts(&self) -> &[Concept] {
        &self.concepts
    }

    pub fn concept(&self, id: i64) -> Option<&Concept> {
        self.by_id.get(&id).map(|&i| &self.concepts[i])
    }

    pub fn term(&self, id: i64) -> Option<&Term> {
        self.by_term
            .get(&id)
            .map(|&(i, j)| &self.concepts[i].terms[j])
    }

    pub fn len(&self) -> usize {
        self.concepts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.concepts.is_empty()
    }

    /// Languages that have terms, en/ru/zh first.
    pub fn langs(&self) -> Vec<Lang> {
        let mut v: Vec<Lang> = Vec::new();
        for c in &self.concepts {
            for t in &c.terms {
                if !v.contains(&t.lang) {
                    v.push(t.lang.clone());
                }
            }
        }
        v.sort_by_key(model::lang_order);
        v
    }

    /// A recogniser for the terms of one language (deprecated terms
    /// included: they are found, and flagged by their status).
    ///
    /// A term that contains the name of another concept is also looked for
    /// with that concept's other names in its place: "SCO Secretariat" with
    /// "Shanghai Cooperation Organisation Secretariat", "Kyrgyzstan's
    /// Interior Ministry" with "Kyrgyz Republic's Interior Ministry",
    /// "上合组织地区反恐怖机构执委会" with "上海合作组织…" (at most
    /// [`MAX_NESTED`] such forms a term, one level deep).
    pub fn recognizer(&self, lang: &Lang) -> Recognizer {
        let base: Vec<Pattern> = self
            .concepts
            .iter()
            .flat_map(|c| {
                c.terms(lang).map(|t| Pattern {
                    concept_id: c.id,
                    term_id: t.id,
                    status: t.status,
                    text: t.text.clone(),
                })
            })
            .collect();
        let plain = Recognizer::new(lang, base.clone());
        let mut seen: std::collections::HashSet<(i64, String)> = base
            .iter()
            .map(|p| (p.concept_id, polytm_text::fold(&p.text)))
            .collect();
        let mut patterns = base.clone();
        for p in &base {
            let n = polytm_text::char_len(&p.text);
            let mut added = 0;
            for h in plain.scan_excluding(&p.text, p.concept_id) {
                if h.start == 0 && h.end == n {
                    continue;
                }
                let Some(sub) = self.concept(h.concept_id) else {
                    continue;
                };
                let before = polytm_text::char_slice(&p.text, 0, h.start);
                let after = polytm_text::char_slice(&p.text, h.end, n);
                for v in sub.terms(lang) {
                    if v.status == TermStatus::Deprecated
                        || v.id == h.term_id
                        || added >= MAX_NESTED
                    {
                        continue;
                    }
                    let text = format!("{before}{}{after}", v.text);
                    if seen.insert((p.concept_id, polytm_text::fold(&text))) {
                        patterns.push(Pattern { text, ..p.clone() });
                        added += 1;
                    }
                }
            }
        }
        Recognizer::new(lang, patterns)
    }

    /// The term of concept `to` that best corresponds to `old` (a term of
    /// another concept, same language): the one sharing most words with it,
    /// then of the same status, then of the nearest length; never a
    /// deprecated term.
    pub fn counterpart<'a>(&'a self, old: &Term, to: &'a Concept) -> Option<&'a Term> {
        let words = |s: &str| -> Vec<String> {
            polytm_text::fold(s)
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(String::from)
                .collect()
        };
        let ow = words(&old.text);
        let old_abbr = old.status == TermStatus::Abbreviation;
        // Words shared with the old form first (МВД Казахстана → МВД
        // Кыргызстана); then an abbreviation for an abbreviation; then the
        // preferred term over variants (a variant in the TM is no reason to
        // write another concept's variant); then the closest length.
        to.terms(&old.lang)
            .filter(|t| t.status != TermStatus::Deprecated)
            .max_by_key(|t| {
                let tw = words(&t.text);
                let shared = tw.iter().filter(|w| ow.contains(w)).count();
                let len_diff = (tw.len() as i64 - ow.len() as i64).abs();
                (
                    shared,
                    (t.status == TermStatus::Abbreviation) == old_abbr,
                    -(t.status.rank() as i64),
                    -len_diff,
                    -t.position,
                )
            })
    }

    /// Replace every occurrence of concept `from` in `text` (in the language
    /// of `rec`) by the corresponding term of concept `to`, inflected like
    /// the occurrence (see [`inflect`]). `None` when `from` does not occur,
    /// `to` has no term in that language, or an occurrence cannot be
    /// inflected safely.
    pub fn replace_concept(
        &self,
        rec: &Recognizer,
        text: &str,
        from: i64,
        to: i64,
    ) -> Option<Replacement> {
        let to_c = self.concept(to)?;
        let hits: Vec<Hit> = rec
            .scan(text)
            .into_iter()
            .filter(|h| h.concept_id == from)
            .collect();
        if hits.is_empty() {
            return None;
        }
        let chars: Vec<char> = text.chars().collect();
        let mut out = String::with_capacity(text.len() + 16);
        let mut out_len = 0usize;
        let mut spans = Vec::new();
        let mut term_ids = Vec::new();
        let mut changes = Vec::new();
        let mut last = 0usize;
        for h in &hits {
            let old = self.term(h.term_id)?;
            let new = self.counterpart(old, to_c)?;
            let before = word_before(&chars, h.start);
            let form = inflect_like(rec.lang(), &h.text, &old.text, &new.text, before.as_deref())?;
            let gap: String = chars.get(last..h.start)?.iter().collect();
            out_len += gap.chars().count();
            out.push_str(&gap);
            let n = form.chars().count();
            spans.push((out_len, out_len + n));
            out_len += n;
            out.push_str(&form);
            term_ids.push(new.id);
            changes.push(TermChange {
                from,
                to,
                source: String::new(),
                query: String::new(),
                was: h.text.clone(),
                now: form,
            });
            last = h.end;
        }
        out.extend(chars.get(last..)?.iter());
        Some(Replacement {
            text: out,
            spans,
            term_ids,
            changes,
        })
    }

    /// Repair a translation-memory target whose source names other
    /// concepts than the query: the concepts of `query` and `tm_source`
    /// (scanned with `src`) are paired in order of appearance, and each
    /// changed one is replaced in `tm_target` (scanned with `tgt`).
    pub fn repair_terms(
        &self,
        src: &Recognizer,
        tgt: &Recognizer,
        query: &str,
        tm_source: &str,
        tm_target: &str,
    ) -> TermRepair {
        let q_hits = src.scan(query);
        let s_hits = src.scan(tm_source);
        let pairs = match changed_concepts(&q_hits, &s_hits) {
            Some(p) if p.is_empty() => return TermRepair::Unchanged,
            Some(p) => p,
            None => return TermRepair::Failed,
        };
        let text_of = |hits: &[Hit], c: i64| -> String {
            hits.iter()
                .find(|h| h.concept_id == c)
                .map(|h| h.text.clone())
                .unwrap_or_default()
        };
        let mut text = tm_target.to_string();
        let mut placed: Vec<((usize, usize), i64)> = Vec::new();
        let mut changes = Vec::new();
        for (old, new) in pairs {
            let Some(r) = self.replace_concept(tgt, &text, old, new) else {
                return TermRepair::Failed;
            };
            // Earlier spans move with the text before them.
            placed = shift_spans(&placed, &text, &r.text);
            placed.extend(r.spans.iter().copied().zip(r.term_ids.iter().copied()));
            changes.extend(r.changes.into_iter().map(|c| TermChange {
                source: text_of(&s_hits, old),
                query: text_of(&q_hits, new),
                ..c
            }));
            text = r.text;
        }
        placed.sort();
        TermRepair::Repaired(Replacement {
            text,
            spans: placed.iter().map(|p| p.0).collect(),
            term_ids: placed.iter().map(|p| p.1).collect(),
            changes,
        })
    }
}

/// Pair the concepts that differ between two scans of texts in the same
/// language: `(concept in b, concept in a)` for each occurrence in `b` with
/// no counterpart in `a`, matched in order of appearance. `None` when the
/// numbers of unmatched occurrences differ (no pairing can be trusted).
///
/// Each occurrence in `b`, in order, is the counterpart of the first
/// occurrence of its concept in `a` not yet taken: of a concept found `m`
/// times in `a` and `n` times in `b`, the first `min(m, n)` occurrences on
/// each side have counterparts. Counted by concept, in time linear in the
/// hits (a text naming one agency 30,000 times is no quadratic search).
pub fn changed_concepts(a: &[Hit], b: &[Hit]) -> Option<Vec<(i64, i64)>> {
    let count = |hits: &[Hit]| {
        let mut n: HashMap<i64, usize> = HashMap::new();
        for h in hits {
            *n.entry(h.concept_id).or_default() += 1;
        }
        n
    };
    let (in_a, in_b) = (count(a), count(b));
    // the occurrences beyond the first min(m, n) of their concept
    let unmatched = |hits: &[Hit], other: &HashMap<i64, usize>| -> Vec<i64> {
        let mut seen: HashMap<i64, usize> = HashMap::new();
        hits.iter()
            .map(|h| h.concept_id)
            .filter(|c| {
                let k = seen.entry(*c).or_default();
                *k += 1;
                *k > other.get(c).copied().unwrap_or(0)
            })
            .collect()
    };
    let a_left = unmatched(a, &in_b);
    let b_only = unmatched(b, &in_a);
    if a_left.len() != b_only.len() {
        return None;
    }
    let mut seen = std::collections::HashSet::new();
    Some(
        b_only
            .into_iter()
            .zip(a_left)
            .filter(|p| seen.insert(*p))
            .collect(),
    )
}

/// Spans of `before` moved to where the same characters are in `after`
/// (text changed elsewhere): found by common prefix/suffix lengths.
fn shift_spans(
    spans: &[((usize, usize), i64)],
    before: &str,
    after: &str,
) -> Vec<((usize, usize), i64)> {
    let b: Vec<char> = before.chars().collect();
    let a: Vec<char> = after.chars().collect();
    let prefix = b.iter().zip(&a).take_while(|(x, y)| x == y).count();
    let delta = a.len() as i64 - b.len() as i64;
    spans
        .iter()
        .map(|&((s, e), id)| {
            if e <= prefix {
                ((s, e), id)
            } else {
                (
                    ((s as i64 + delta) as usize, (e as i64 + delta) as usize),
                    id,
                )
            }
        })
        .collect()
}

/// The word just before character `at` (across spaces), lower-cased, if
/// the previous non-space character is a letter.
fn word_before(chars: &[char], at: usize) -> Option<String> {
    let mut i = at.min(chars.len());
    while i > 0 && chars[i - 1].is_whitespace() {
        i -= 1;
    }
    let end = i;
    while i > 0 && (chars[i - 1].is_alphabetic() || chars[i - 1] == '-') {
        i -= 1;
    }
    (i < end).then(|| chars[i..end].iter().collect::<String>().to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g() -> Glossary {
        Glossary::from_tsv_str(
            "en\tru\tzh\n\
             Ministry of Internal Affairs of the Republic of Kazakhstan | Interior Ministry of the Republic of Kazakhstan\tМинистерство внутренних дел Республики Казахстан | МВД Казахстана\t哈萨克斯坦内务部\n\
             Ministry of Internal Affairs of the Kyrgyz Republic | Interior Ministry of the Kyrgyz Republic\tМинистерство внутренних дел Кыргызской Республики | МВД Кыргызстана | МВД КР\t吉尔吉斯共和国内务部\n\
             Kazakhstan\tКазахстан\t哈萨克斯坦\n\
             Kyrgyzstan\tКыргызстан\t吉尔吉斯斯坦\n",
        )
        .unwrap()
    }

    #[test]
    fn replace_in_genitive() {
        let g = g();
        let ru = g.recognizer(&Lang::ru());
        let r = g
            .replace_concept(
                &ru,
                "Делегация Министерства внутренних дел Республики Казахстан прибыла.",
                1,
                2,
            )
            .unwrap();
        assert_eq!(
            r.text,
            "Делегация Министерства внутренних дел Кыргызской Республики прибыла."
        );
        let chars: Vec<char> = r.text.chars().collect();
        let (s, e) = r.spans[0];
        assert_eq!(
            chars[s..e].iter().collect::<String>(),
            "Министерства внутренних дел Кыргызской Республики"
        );
        // a short form picks the short form
        let r = g
            .replace_concept(&ru, "Представители МВД Казахстана", 1, 2)
            .unwrap();
        assert_eq!(r.text, "Представители МВД Кыргызстана");
        assert_eq!(g.replace_concept(&ru, "Нет упоминаний", 1, 2), None);
    }

    #[test]
    fn a_variant_in_the_text_is_replaced_by_the_preferred_term() {
        let g = Glossary::from_tsv_str(
            "en\tzh\n\
             Interior Ministry of Russia\t俄罗斯内务部 | 俄罗斯联邦内务部\n\
             Drug Control Agency of Tajikistan\t塔吉克斯坦共和国总统直属禁毒署 | 塔吉克斯坦总统直属禁毒署\n",
        )
        .unwrap();
        let zh = g.recognizer(&Lang::zh());
        let r = g
            .replace_concept(&zh, "会议由俄罗斯联邦内务部承办。", 1, 2)
            .unwrap();
        assert_eq!(r.text, "会议由塔吉克斯坦共和国总统直属禁毒署承办。");
    }

    #[test]
    fn repair_english_to_russian_and_chinese() {
        let g = g();
        let en = g.recognizer(&Lang::en());
        let ru = g.recognizer(&Lang::ru());
        let zh = g.recognizer(&Lang::zh());
        let r = g.repair_terms(
            &en,
            &ru,
            "Kyrgyzstan's Interior Ministry of the Kyrgyz Republic",
            "Kazakhstan's Interior Ministry of the Republic of Kazakhstan",
            "МВД Казахстана (Казахстан)",
        );
        let TermRepair::Repaired(r) = r else {
            panic!("not repaired: {r:?}")
        };
        assert_eq!(r.text, "МВД Кыргызстана (Кыргызстан)");
        assert_eq!(r.spans, vec![(0, 15), (17, 27)]);
        assert_eq!(
            r.term_ids,
            vec![
                g.concept(2).unwrap().terms[3].id,
                g.concept(4).unwrap().terms[1].id
            ]
        );
        assert_eq!(
            r.changes[1],
            TermChange {
                from: 1,
                to: 2,
                source: "Interior Ministry of the Republic of Kazakhstan".into(),
                query: "Interior Ministry of the Kyrgyz Republic".into(),
                was: "МВД Казахстана".into(),
                now: "МВД Кыргызстана".into(),
            }
        );
        let r = g.repair_terms(
            &en,
            &zh,
            "the Interior Ministry of the Kyrgyz Republic",
            "the Interior Ministry of the Republic of Kazakhstan",
            "哈萨克斯坦内务部代表",
        );
        assert!(matches!(r, TermRepair::Repaired(ref x) if x.text == "吉尔吉斯共和国内务部代表"));
        assert_eq!(
            g.repair_terms(&en, &zh, "Kazakhstan", "Kazakhstan", "哈萨克斯坦"),
            TermRepair::Unchanged
        );
        assert_eq!(
            g.repair_terms(&en, &zh, "Kyrgyzstan", "Kazakhstan", "没有"),
            TermRepair::Failed
        );
    }

    #[test]
    fn changed_pairs() {
        let h = |c: i64| Hit {
            start: 0,
            end: 1,
            text: "x".into(),
            concept_id: c,
            term_id: 0,
            status: TermStatus::Preferred,
        };
        assert_eq!(
            changed_concepts(&[h(1), h(2)], &[h(1), h(3)]),
            Some(vec![(3, 2)])
        );
        assert_eq!(changed_concepts(&[h(1)], &[h(1)]), Some(vec![]));
        assert_eq!(changed_concepts(&[h(1), h(2)], &[h(1)]), None);
        // pairs in order of appearance, each once
        assert_eq!(
            changed_concepts(
                &[h(1), h(2), h(4), h(2), h(5)],
                &[h(3), h(1), h(6), h(3), h(2)]
            ),
            Some(vec![(3, 4), (6, 2), (3, 5)])
        );
        // one concept named 30,000 times on each side, one changed
        let mut a: Vec<Hit> = (0..30_000).map(|_| h(1)).collect();
        let b = a.clone();
        a[17_000] = h(2);
        assert_eq!(changed_concepts(&a, &b), Some(vec![(1, 2)]));
    }
}

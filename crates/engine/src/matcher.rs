//! The [`Matcher`]: proposals for new sentences from one or more
//! translation memories, putting together the fuzzy index
//! ([`polytm_fuzzy::index`]), scoring, repairs (glossary terms,
//! placeables, numbers and months: [`polytm_fuzzy::repair`]) and the
//! store's texts; for `match`, `pretranslate`, the server and
//! anything else that needs proposals.
//!
//! ```no_run
//! use std::sync::Arc;
//! use polytm_engine::matcher::{Matcher, Options};
//! use polytm_text::lang::Lang;
//! # fn demo(db: Arc<dyn polytm_store::Database>) -> polytm_core::Result<()> {
//! let m = Matcher::open(db, &Lang::en(), &Lang::ru(), Options::default())?;
//! for p in m.best("Delete the file.", 75, 5)? {
//!     println!("{} {}", p.score, p.target);
//! }
//! # Ok(()) }
//! ```

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;

use crate::penalty::{Penalties, Penalty};
use polytm_core::error::{Error, Result};
use polytm_fuzzy::index::{Hit, LangIndex, SearchStats, TmIndex};
use polytm_fuzzy::repair;
pub use polytm_fuzzy::repair::Repair;
use polytm_glossary::{Glossary, Recognizer, TermRepair, TermStatus};
use polytm_store::{Database, Neighbours, Reader, UnitPair};
use polytm_text::lang::Lang;

/// How a [`Matcher`] works.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Score every unit instead of asking the index (slow; for checking).
    pub exhaustive: bool,
    /// Substitute changed glossary terms, placeables, numbers and months
    /// into targets.
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

/// A glossary term found in a query, with its term in the target language.
#[derive(Debug, Clone, Serialize)]
pub struct QueryTerm {
    /// Characters `start..end` of the query.
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub concept: i64,
    /// The concept's term to use in the target language, if it has one.
    pub target: Option<String>,
    /// Other (non-deprecated) target-language terms of the concept.
    pub alternatives: Vec<String>,
    /// The query used a deprecated term.
    pub deprecated: bool,
}

/// The glossary, ready to recognise terms on both sides (shared: a server
/// keeps them between requests).
#[derive(Clone)]
pub struct Terms {
    pub glossary: Arc<Glossary>,
    pub src: Arc<Recognizer>,
    pub tgt: Arc<Recognizer>,
}

impl Terms {
    /// `glossary` recognised in `from` and `to`; `None` when it is empty.
    pub fn new(glossary: Glossary, from: &Lang, to: &Lang) -> Option<Terms> {
        (!glossary.is_empty()).then(|| Terms {
            src: Arc::new(glossary.recognizer(from)),
            tgt: Arc::new(glossary.recognizer(to)),
            glossary: Arc::new(glossary),
        })
    }
}

/// One proposal: a TM unit whose source resembles the query.
#[derive(Debug, Clone, Serialize)]
pub struct Proposal {
    /// Similarity of the query and `source`, 0–100 (see [`score`]). Not
    /// changed by a repair.
    pub score: u8,
    /// The TM source text (without inline markup when it has some).
    pub source: String,
    /// The proposed translation: the TM target (without inline markup),
    /// with the repairs applied.
    pub target: String,
    /// When the TM target has inline markup (TMX `bpt/ept/ph/it/hi`): the
    /// target as TMX inline XML, repaired too when every repair could be
    /// placed outside the markup (else the stored markup, unrepaired).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_markup: Option<String>,
    /// The TM unit.
    pub unit: i64,
    /// The document the unit came from.
    pub document: Option<String>,
    /// Which TM: `main` for the database, else the name given to
    /// [`Matcher::add_tm`].
    pub tm: String,
    /// When the unit was created or last changed (ISO 8601).
    pub date: String,
    /// The unit came through review (`polytm align apply`).
    pub reviewed: bool,
    /// What was substituted into the target, if anything.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repaired: Option<Repair>,
    /// The penalties taken off `score` (see [`crate::penalty`]); empty
    /// when none applies.
    pub penalties: Vec<Penalty>,
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

struct Tm {
    name: String,
    index: Arc<TmIndex>,
    db: Arc<dyn Database>,
}

/// Proposals for queries in one language from units that have a target in
/// another. Loads the source language's index once (`open`); `best` is
/// then cheap and can be called from many threads at once.
pub struct Matcher {
    from: Lang,
    to: Lang,
    opts: Options,
    tms: Vec<Tm>,
    terms: Option<Terms>,
    penalties: Penalties,
}

impl Matcher {
    /// A matcher over the units of `db`.
    pub fn open(db: Arc<dyn Database>, from: &Lang, to: &Lang, opts: Options) -> Result<Matcher> {
        // the database's glossary: changed terms are repaired, the query's
        // terms listed (see `set_glossary`, `clear_glossary`)
        let glossary = Glossary::from_concepts(db.reader()?.concepts()?);
        let terms = Terms::new(glossary, from, to);
        let mut m = Matcher {
            from: from.clone(),
            to: to.clone(),
            opts,
            tms: Vec::new(),
            terms,
            penalties: Penalties::default(),
        };
        m.add_tm(db, "main")?;
        Ok(m)
    }

    /// A matcher over `db` with its index and glossary already loaded
    /// (kept by a server between requests: see [`crate::service`]).
    pub fn with(
        db: Arc<dyn Database>,
        index: Arc<TmIndex>,
        to: &Lang,
        opts: Options,
        terms: Option<Terms>,
    ) -> Matcher {
        Matcher {
            from: index.lang().clone(),
            to: to.clone(),
            opts,
            tms: vec![Tm {
                name: "main".into(),
                index,
                db,
            }],
            terms,
            penalties: Penalties::default(),
        }
    }

    /// Take these penalties off the scores of proposals.
    pub fn set_penalties(&mut self, penalties: Penalties) {
        self.penalties = penalties;
    }

    /// Work without a glossary (no term repairs, no query terms).
    pub fn clear_glossary(&mut self) {
        self.terms = None;
    }

    /// Use this glossary instead of the database's: for pre-translation
    /// with a glossary file.
    pub fn set_glossary(&mut self, glossary: Glossary) {
        self.terms = Terms::new(glossary, &self.from, &self.to);
    }

    /// The glossary terms found in a query, with the target-language term
    /// of each (empty without a glossary).
    pub fn query_terms(&self, query: &str) -> Vec<QueryTerm> {
        let Some(t) = &self.terms else {
            return Vec::new();
        };
        t.src
            .scan(query)
            .into_iter()
            .map(|h| {
                let c = t.glossary.concept(h.concept_id);
                let target = c
                    .and_then(|c| c.preferred(&self.to))
                    .map(|x| x.text.clone());
                let alternatives = c
                    .map(|c| {
                        c.terms(&self.to)
                            .filter(|x| x.status != TermStatus::Deprecated)
                            .map(|x| x.text.clone())
                            .filter(|x| Some(x) != target.as_ref())
                            .collect()
                    })
                    .unwrap_or_default();
                QueryTerm {
                    start: h.start,
                    end: h.end,
                    text: h.text,
                    concept: h.concept_id,
                    target,
                    alternatives,
                    deprecated: h.status == TermStatus::Deprecated,
                }
            })
            .collect()
    }

    /// Query another TM alongside (pre-translation's `--tm FILE`: an
    /// in-memory store filled from a file). Its hits are merged with the
    /// others' by score, then recency.
    pub fn add_tm(&mut self, db: Arc<dyn Database>, name: &str) -> Result<()> {
        let index = if self.opts.exhaustive {
            TmIndex::whole(load_from_variants(db.reader()?.as_ref(), &self.from)?)
        } else {
            crate::index::open(db.as_ref(), &self.from)?
        };
        self.tms.push(Tm {
            name: name.to_string(),
            index: Arc::new(index),
            db,
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

    /// [`Matcher::best`] for a query that had inline tags or formatting
    /// (a segment of a document or of an XLIFF file): the `tags` penalty
    /// then applies to TM sources without any, not to those with some.
    pub fn best_tagged(
        &self,
        query: &str,
        query_tags: bool,
        min: u8,
        limit: usize,
    ) -> Result<Vec<Proposal>> {
        self.search(query, query_tags, min, limit, &mut SearchStats::default())
    }

    /// [`Matcher::best`], counting the work done.
    pub fn best_with_stats(
        &self,
        query: &str,
        min: u8,
        limit: usize,
        stats: &mut SearchStats,
    ) -> Result<Vec<Proposal>> {
        self.search(query, false, min, limit, stats)
    }

    fn search(
        &self,
        query: &str,
        query_tags: bool,
        min: u8,
        limit: usize,
        stats: &mut SearchStats,
    ) -> Result<Vec<Proposal>> {
        if !(1..=100).contains(&min) {
            return Err(Error::usage(format!(
                "--min must be between 1 and 100, not {min}"
            )));
        }
        // Penalties only lower scores: ask for enough candidates that none
        // left out could rank among the best `limit` once penalised.
        let extra = if self.penalties.is_off() { 0 } else { 16 };
        let mut fetch = limit.saturating_add(extra);
        let mut found: Vec<Found>;
        loop {
            found = Vec::new();
            // the lowest score of a TM that may hold more
            let mut unseen: Option<u8> = None;
            for (k, tm) in self.tms.iter().enumerate() {
                let rd = tm.db.reader()?;
                let mut details: HashMap<i64, UnitPair> = HashMap::new();
                let mut err = None;
                let mut accept = |unit: i64| match rd.unit_pair(unit, &self.from, &self.to) {
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
                let hits =
                    tm.index
                        .best(query, min, fetch, self.opts.exhaustive, &mut accept, stats);
                if let Some(e) = err {
                    return Err(e);
                }
                if hits.len() >= fetch
                    && let Some(low) = hits.iter().map(|h| h.score).min()
                {
                    unseen = Some(unseen.map_or(low, |u: u8| u.max(low)));
                }
                for h in hits {
                    if let Some(d) = details.remove(&h.unit) {
                        found.push((h, k, d, Vec::new(), 0));
                    }
                }
            }
            if self.penalties.is_off() {
                for f in &mut found {
                    f.4 = f.0.score;
                }
                break;
            }
            self.penalise(&mut found, query_tags);
            found.retain(|f| f.4 >= min);
            found.sort_by(best_first);
            let complete = match unseen {
                None => true,
                Some(u) => limit == 0 || (found.len() >= limit && found[limit - 1].4 > u),
            };
            if complete || fetch >= 100_000 {
                break;
            }
            fetch = fetch.saturating_mul(4);
        }
        found.sort_by(best_first);
        found.truncate(limit);
        let out = found
            .into_iter()
            .map(|(h, k, d, penalties, score)| {
                let repaired = if self.opts.repair && h.score < 100 {
                    self.repair(query, &d.source, &d.target)
                } else {
                    None
                };
                let target_markup = d.target_markup.map(|m| match &repaired {
                    Some(r) => repair::apply_to_markup(&m, &d.target, &r.changes).unwrap_or(m),
                    None => m,
                });
                Proposal {
                    score,
                    target: repaired
                        .as_ref()
                        .map_or_else(|| d.target.clone(), |r| r.target.clone()),
                    target_markup,
                    source: d.source,
                    unit: h.unit,
                    document: d.document,
                    tm: self.tms[k].name.clone(),
                    date: d.date,
                    reviewed: d.reviewed,
                    repaired,
                    penalties,
                }
            })
            .collect();
        Ok(out)
    }

    /// The source segments before and after a proposal's unit in its TM
    /// document, for in-context matching: the context props the unit was
    /// imported with (memoQ's `x-context-pre`/`x-context-post`, OmegaT's
    /// `prev`/`next`, see [`crate::exchange::PROP_CONTEXT_PRE`]) where it
    /// has them, else its neighbours by position in its document. `None`
    /// when neither is known (a unit without a document position).
    pub fn context(&self, p: &Proposal) -> Result<Option<Neighbours>> {
        let Some(tm) = self.tms.iter().find(|t| t.name == p.tm) else {
            return Ok(None);
        };
        let rd = tm.db.reader()?;
        let props = rd.unit(p.unit)?.and_then(|u| u.props);
        let (pre, post) =
            crate::exchange::UnitProps::from_json(props.as_deref()).context(self.from.as_str());
        let near = if pre.is_some() && post.is_some() {
            None
        } else {
            rd.neighbours(p.unit, &self.from)?
        };
        if pre.is_none() && post.is_none() && near.is_none() {
            return Ok(None);
        }
        let near = near.unwrap_or_default();
        Ok(Some(Neighbours {
            prev: pre.unwrap_or(near.prev),
            next: post.unwrap_or(near.next),
        }))
    }

    /// The penalties of each candidate and its penalised score.
    fn penalise(&self, found: &mut [Found], query_tags: bool) {
        // the targets of each source text among the candidates
        let key = |s: &str| crate::pretranslate::repetition_key(s);
        let mut targets: HashMap<String, std::collections::HashSet<String>> = HashMap::new();
        for f in found.iter() {
            targets
                .entry(key(&f.2.source))
                .or_default()
                .insert(key(&f.2.target));
        }
        for f in found.iter_mut() {
            let multiple = targets.get(&key(&f.2.source)).is_some_and(|t| t.len() > 1);
            f.3 = self.penalties.of(&f.2, multiple, query_tags);
            let lost: u32 = f.3.iter().map(|p| u32::from(p.points)).sum();
            f.4 = u32::from(f.0.score).saturating_sub(lost) as u8;
        }
    }

    /// Glossary terms first (a concept named in the TM source but another
    /// in the query: the target gets the other's name, inflected alike),
    /// then placeables, numbers and months in the text that gives.
    fn repair(&self, query: &str, source: &str, target: &str) -> Option<Repair> {
        let mut text = target.to_string();
        let mut changes = Vec::new();
        if let Some(t) = &self.terms
            && let TermRepair::Repaired(r) = t
                .glossary
                .repair_terms(&t.src, &t.tgt, query, source, target)
        {
            changes.extend(term_changes(t, query, source, target, &r));
            text = r.text;
        }
        if let Some(r) = repair::repair(query, source, &text, &self.from, &self.to) {
            changes.extend(r.changes);
            text = r.target;
        }
        (!changes.is_empty() && text != target).then(|| Repair {
            original_target: target.to_string(),
            target: text,
            changes,
        })
    }
}

/// A found unit: its hit, the TM it is in (its place in the list), its
/// texts, its penalties and its score after them.
type Found = (Hit, usize, UnitPair, Vec<Penalty>, u8);

/// Best first (the score after penalties, then the hit's rank); on equal
/// rank the TM given first wins.
fn best_first(a: &Found, b: &Found) -> std::cmp::Ordering {
    b.4.cmp(&a.4)
        .then(b.0.rank_key().cmp(&a.0.rank_key()))
        .then(a.1.cmp(&b.1))
}

/// What a glossary repair changed, for the report.
fn term_changes(
    t: &Terms,
    query: &str,
    source: &str,
    target: &str,
    r: &polytm_glossary::Replacement,
) -> Vec<repair::Change> {
    let Some(pairs) = polytm_glossary::changed_concepts(&t.src.scan(query), &t.src.scan(source))
    else {
        return Vec::new();
    };
    let first = |hits: &[polytm_glossary::Hit], c: i64| {
        hits.iter()
            .find(|h| h.concept_id == c)
            .map(|h| h.text.clone())
    };
    let (sq, ss, st) = (t.src.scan(query), t.src.scan(source), t.tgt.scan(target));
    pairs
        .into_iter()
        .filter_map(|(old, new)| {
            let now = r
                .spans
                .iter()
                .zip(&r.term_ids)
                .find(|(_, id)| t.glossary.term(**id).is_some_and(|x| x.concept_id == new))
                .map(|(&(a, b), _)| polytm_text::char_slice(&r.text, a, b).to_string())?;
            Some(repair::Change {
                kind: "term",
                source: first(&ss, old)?,
                query: first(&sq, new)?,
                was: first(&st, old)?,
                now,
            })
        })
        .collect()
}

/// An index built straight from the units' texts, bypassing the stored
/// index: what `--exhaustive` scans, so that it checks the index too.
pub fn load_from_variants(rd: &dyn Reader, lang: &Lang) -> Result<LangIndex> {
    let mut rows: Vec<(i64, i64, String)> = Vec::new();
    rd.for_each_variant(lang, &mut |unit, recency, text| {
        rows.push((unit, recency, text.to_string()));
        Ok(())
    })?;
    Ok(LangIndex::from_entries(
        lang,
        rows.iter().map(|(u, r, t)| (*u, *r, t.as_str())),
    ))
}

/// Does `text` look written in another script than `lang`'s? True when it
/// has at least three letters and fewer than half of them are in the
/// script of the language (only for languages whose profile checks it).
pub fn wrong_script(text: &str, lang: &Lang) -> bool {
    match lang.profile().script_letters(text, 2000) {
        Some((letters, hits)) => letters >= 3 && hits * 2 < letters,
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{memory_tm, write_units};
    use polytm_store::{NewUnit, NewVariant, Origin};
    use polytm_text::lang::LangTag;

    fn store(rows: &[(&str, &str)]) -> Arc<dyn Database> {
        memory_tm(rows)
    }

    #[test]
    fn inline_markup_stays_out_of_source_and_target_and_is_repaired_in_target_markup() {
        let s = memory_tm(&[]);
        let mut en = NewVariant::new(
            LangTag::parse("en").unwrap(),
            "Click <bpt i=\"1\">&lt;b&gt;</bpt>OK<ept i=\"1\">&lt;/b&gt;</ept> within 5 minutes.",
        );
        en.plain = Some("Click OK within 5 minutes.".into());
        let mut ru = NewVariant::new(
            LangTag::parse("ru").unwrap(),
            "Нажмите <bpt i=\"1\">&lt;b size=\"5\"&gt;</bpt>OK<ept i=\"1\">&lt;/b&gt;</ept> в течение 5 минут.",
        );
        ru.plain = Some("Нажмите OK в течение 5 минут.".into());
        write_units(
            s.as_ref(),
            vec![NewUnit::new(Origin::Imported, vec![en, ru])],
        );
        let m = Matcher::open(s, &Lang::en(), &Lang::ru(), Options::default()).unwrap();
        let p = m.best("Click OK within 5 minutes.", 50, 1).unwrap();
        assert_eq!(p[0].score, 100);
        assert_eq!(p[0].source, "Click OK within 5 minutes.");
        assert_eq!(p[0].target, "Нажмите OK в течение 5 минут.");
        let p = m.best("Click OK within 10 minutes.", 50, 1).unwrap();
        assert_eq!(p[0].target, "Нажмите OK в течение 10 минут.");
        assert_eq!(
            p[0].target_markup.as_deref(),
            Some(
                "Нажмите <bpt i=\"1\">&lt;b size=\"5\"&gt;</bpt>OK<ept i=\"1\">&lt;/b&gt;</ept> в течение 10 минут."
            )
        );
    }

    #[test]
    fn placeables_and_number_words_are_repaired_and_reported() {
        let rows = [(
            "Press F6 to open the eighth panel in Firefox.",
            "Нажмите F6, чтобы открыть восьмую панель в Firefox.",
        )];
        let query = "Press F9 to open the ninth panel in Chromium.";
        let m = Matcher::open(store(&rows), &Lang::en(), &Lang::ru(), Options::default()).unwrap();
        let p = &m.best(query, 50, 1).unwrap()[0];
        assert_eq!(
            p.target,
            "Нажмите F9, чтобы открыть девятую панель в Chromium."
        );
        let r = p.repaired.as_ref().unwrap();
        let seen: Vec<(&str, &str, &str)> = r
            .changes
            .iter()
            .map(|c| (c.kind, c.was.as_str(), c.now.as_str()))
            .collect();
        assert_eq!(
            seen,
            [
                ("placeable", "F6", "F9"),
                ("number", "восьмую", "девятую"),
                ("placeable", "Firefox", "Chromium")
            ]
        );
        // a repair never changes the score
        let plain = Options {
            repair: false,
            ..Options::default()
        };
        let m = Matcher::open(store(&rows), &Lang::en(), &Lang::ru(), plain).unwrap();
        let q = &m.best(query, 50, 1).unwrap()[0];
        assert_eq!((q.score, q.repaired.is_none()), (p.score, true));
    }

    #[test]
    fn a_matcher_is_shared_between_threads() {
        fn shareable<T: Send + Sync>() {}
        shareable::<Matcher>();
    }

    #[test]
    fn extra_tms_are_queried_alongside() {
        let main = store(&[("Open the file.", "Откройте файл.")]);
        let extra = store(&[("Open the files.", "Откройте файлы.")]);
        let mut m = Matcher::open(main, &Lang::en(), &Lang::ru(), Options::default()).unwrap();
        m.add_tm(extra, "extra.tmx").unwrap();
        assert_eq!(m.segments(), 2);
        let p = m.best("Open the files.", 50, 5).unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!((p[0].score, p[0].tm.as_str()), (100, "extra.tmx"));
        assert_eq!((p[1].score, p[1].tm.as_str()), (75, "main"));
        // from many threads at once
        use rayon::prelude::*;
        let all: Vec<usize> = (0..64)
            .into_par_iter()
            .map(|_| m.best("Open the file.", 50, 5).unwrap().len())
            .collect();
        assert!(all.iter().all(|&n| n == 2));
        assert!(m.best("Open", 0, 5).is_err());
    }
}

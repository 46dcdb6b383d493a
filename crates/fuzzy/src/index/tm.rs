//! The index of one language of a TM as a search sees it: usually a large
//! part opened from a file plus a small part built in memory from the
//! units added or changed since the file was written, with those changed
//! units left out of the large part. A search asks every part and merges
//! their hits; each unit is in exactly one part, so the result is the
//! same as one index over everything.

use std::sync::Arc;

use rustc_hash::FxHashSet;

use super::file::Stamp;
use super::{Hit, LangIndex, SearchStats};
use polytm_text::lang::Lang;

/// One part and the units it must not answer with.
#[derive(Debug)]
struct Part {
    index: Arc<LangIndex>,
    /// Units changed or deleted since this part was built (their current
    /// text, if any, is in a later part).
    stale: FxHashSet<i64>,
}

/// The index of one language, in parts.
#[derive(Debug)]
pub struct TmIndex {
    lang: Lang,
    parts: Vec<Part>,
    /// When the first part is an index file: what it reflects.
    stamp: Option<Stamp>,
}

impl TmIndex {
    /// One index, whole.
    pub fn whole(index: LangIndex) -> TmIndex {
        TmIndex {
            lang: index.lang.clone(),
            parts: vec![Part {
                index: Arc::new(index),
                stale: FxHashSet::default(),
            }],
            stamp: None,
        }
    }

    /// An index file's index (`stamp`: what it reflects), with the units
    /// `stale` left out, and the index of the units added or changed since.
    pub fn layered(
        base: Arc<LangIndex>,
        stamp: Stamp,
        stale: FxHashSet<i64>,
        delta: LangIndex,
    ) -> TmIndex {
        TmIndex {
            lang: base.lang.clone(),
            parts: vec![
                Part { index: base, stale },
                Part {
                    index: Arc::new(delta),
                    stale: FxHashSet::default(),
                },
            ],
            stamp: Some(stamp),
        }
    }

    /// The index file's part and what it reflects, when there is one: a
    /// newer layering can share it.
    pub fn file_base(&self) -> Option<(&Arc<LangIndex>, &Stamp)> {
        self.stamp.as_ref().map(|s| (&self.parts[0].index, s))
    }

    pub fn lang(&self) -> &Lang {
        &self.lang
    }

    /// Entries searched (stale ones aside).
    pub fn len(&self) -> usize {
        self.parts
            .iter()
            .map(|p| p.index.len().saturating_sub(p.stale.len()))
            .sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Entries of the part built in memory (0 for a whole index): what a
    /// rebuild of the file would take in.
    pub fn delta_len(&self) -> usize {
        if self.parts.len() > 1 {
            self.parts[1..].iter().map(|p| p.index.len()).sum()
        } else {
            0
        }
    }

    /// The parts, with the units to leave out of each.
    pub fn parts(&self) -> impl Iterator<Item = (&LangIndex, &FxHashSet<i64>)> {
        self.parts.iter().map(|p| (&*p.index, &p.stale))
    }

    /// The best `limit` units scoring at least `min` against `query`, best
    /// first; `accept(unit)` may refuse a unit. `exhaustive`: score every
    /// entry instead of asking the index.
    pub fn best(
        &self,
        query: &str,
        min: u8,
        limit: usize,
        exhaustive: bool,
        accept: &mut dyn FnMut(i64) -> bool,
        stats: &mut SearchStats,
    ) -> Vec<Hit> {
        let mut all: Vec<Hit> = Vec::new();
        for p in &self.parts {
            let q = p.index.prepare(query);
            let mut take = |unit: i64| !p.stale.contains(&unit) && accept(unit);
            let hits = if exhaustive {
                p.index.scan_all(&q, min, limit, &mut take)
            } else {
                p.index.search(&q, min, limit, &mut take, stats)
            };
            all.extend(hits);
        }
        if self.parts.len() > 1 {
            all.sort_by_key(|h| std::cmp::Reverse(h.rank_key()));
            all.truncate(limit);
        }
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_answer_like_one_index() {
        let en = Lang::en();
        let texts = [
            (1, 10, "Open the file."),
            (2, 11, "Open the old file."),
            (3, 12, "Close the file."),
            (4, 13, "Open a file now."),
        ];
        // unit 2 changed (at time 20) after the base was built: its new
        // text is in the delta
        let now: Vec<(i64, i64, &str)> = texts
            .iter()
            .map(|&(u, r, t)| if u == 2 { (u, 20, t) } else { (u, r, t) })
            .collect();
        let whole = LangIndex::from_entries(&en, now);
        let base = LangIndex::from_entries(&en, texts[..3].iter().copied());
        let delta = LangIndex::from_entries(
            &en,
            [(2, 20, "Open the old file."), (4, 13, "Open a file now.")],
        );
        let layered = TmIndex::layered(
            Arc::new(base),
            Stamp::default(),
            [2].into_iter().collect(),
            delta,
        );
        let whole = TmIndex::whole(whole);
        assert_eq!(layered.len(), 4);
        for q in [
            "Open the file.",
            "Open the new file",
            "file",
            "Close a file now.",
        ] {
            for k in [1, 2, 5] {
                let mut st = SearchStats::default();
                let a = layered.best(q, 1, k, false, &mut |_| true, &mut st);
                let b = whole.best(q, 1, k, true, &mut |_| true, &mut st);
                let strip = |v: &[Hit]| v.iter().map(|h| (h.score, h.unit)).collect::<Vec<_>>();
                assert_eq!(strip(&a), strip(&b), "{q} {k}");
            }
        }
    }
}

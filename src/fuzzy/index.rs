//! Candidate retrieval: the in-memory inverted index of one language, built
//! from the persisted segments (`store::index`) once per process, and the
//! top-K search over it that never misses a unit scoring at or above the
//! threshold.
//!
//! ## Why nothing above the threshold is missed
//!
//! For a query of `n` tokens and a threshold `t` (≤ 97), a segment of `L`
//! tokens can score ≥ `t` only if (see [`super::score`]):
//!
//! 1. **length**: `L` lies in [`length_window`]`(n, t)` (edit distance ≥ |n − L|);
//! 2. **count**: it shares at least [`min_overlap`]`(n, t)` = ⌈t·n/100⌉ tokens
//!    (with multiplicity) with the query (edit distance ≥ max(n, L) − shared);
//! 3. **prefix**: hence it contains at least one of the query's
//!    `n − ⌈t·n/100⌉ + 1` rarest tokens (if it contained none of them it
//!    would share at most `⌈t·n/100⌉ − 1`).
//!
//! So the union of the posting lists of those rare tokens, restricted to
//! the length window, holds every unit that can reach `t`; the common
//! tokens' long lists are never read. Each candidate gets an upper bound
//! from its exact token overlap (`max(n, L) − shared` ≤ distance), and
//! candidates are verified best bound first with the banded edit distance.
//!
//! The search runs in stages of falling thresholds (97, 90, 80 ... down to
//! the user's minimum), each widening the length window and the prefix: as
//! soon as K results at or above a stage's threshold are known, no unit
//! outside the candidates can displace them and the search stops. A query
//! with good matches thus reads only the postings of its rarest tokens.
//!
//! Scores 98–100 (same words, different punctuation) may come from a
//! segment outside the length window; every such segment contains all the
//! query's words, so the full posting list of the query's rarest word is
//! checked for them once.

use rustc_hash::FxHashMap;

use super::score::{self, Seg, is_punct_key, length_window, min_overlap};
use crate::error::Result;
use crate::lang::Lang;
use crate::store::index::{Segment, read_lang};

/// The in-memory index of one language of one TM.
#[derive(Debug)]
pub struct LangIndex {
    pub lang: Lang,
    vocab: FxHashMap<Box<str>, u32>,
    keys: Vec<Box<str>>,
    punct: Vec<bool>,
    /// Entries (variants), ordered by token count, then as read.
    units: Vec<i64>,
    recency: Vec<i64>,
    hashes: Vec<u64>,
    offsets: Vec<u32>,
    toks: Vec<u32>,
    /// `len_start[L]` = first entry with at least `L` tokens.
    len_start: Vec<u32>,
    /// Posting lists: entries (ascending) holding each token.
    post_off: Vec<u32>,
    post: Vec<u32>,
}

/// One hit of a search: an entry of the index and its score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub score: u8,
    pub recency: i64,
    pub unit: i64,
}

impl Hit {
    /// Best first: score, then the more recent, then the newer unit.
    pub fn rank_key(&self) -> (u8, i64, i64) {
        (self.score, self.recency, self.unit)
    }
}

/// A query prepared against one index.
#[derive(Debug, Clone)]
pub struct Query {
    pub seg: Seg,
    /// Tokens that are not punctuation.
    pub words: Vec<u32>,
    /// Token keys of the query, in order.
    pub keys: Vec<String>,
}

/// Counters of the last search (for the benchmark and `--explain`).
#[derive(Debug, Clone, Copy, Default)]
pub struct SearchStats {
    pub postings: usize,
    pub candidates: usize,
    pub verified: usize,
    pub stages: usize,
}

impl LangIndex {
    /// Load the index of `lang` from the database.
    pub fn load(conn: &rusqlite::Connection, lang: &Lang) -> Result<LangIndex> {
        let mut ix = LangIndex::empty(lang);
        let mut raw_units = Vec::new();
        let mut raw_rec = Vec::new();
        let mut raw_hash = Vec::new();
        let mut raw_off: Vec<u32> = vec![0];
        let mut raw_toks: Vec<u32> = Vec::new();
        let mut map: Vec<u32> = Vec::new();
        read_lang(conn, lang, |seg: &Segment, entries| {
            map.clear();
            map.extend(seg.keys.iter().map(|k| ix.intern(k)));
            for i in entries {
                raw_units.push(seg.units[i]);
                raw_rec.push(seg.recency[i]);
                raw_hash.push(seg.hashes[i]);
                raw_toks.extend(seg.tokens(i).iter().map(|&t| map[t as usize]));
                raw_off.push(raw_toks.len() as u32);
            }
        })?;
        ix.build(raw_units, raw_rec, raw_hash, raw_off, raw_toks);
        Ok(ix)
    }

    /// An index over segments given directly (tests, in-memory TMs).
    pub fn from_entries<'a>(
        lang: &Lang,
        entries: impl IntoIterator<Item = (i64, i64, &'a str)>,
    ) -> LangIndex {
        let mut ix = LangIndex::empty(lang);
        let (mut u, mut r, mut h, mut o, mut t) = (vec![], vec![], vec![], vec![0u32], vec![]);
        for (unit, rec, text) in entries {
            let toks = crate::text::tokenize(text, lang);
            if toks.is_empty() {
                continue;
            }
            u.push(unit);
            r.push(rec);
            h.push(score::text_hash(text));
            for tk in &toks {
                let id = ix.intern(&tk.key);
                t.push(id);
            }
            o.push(t.len() as u32);
        }
        ix.build(u, r, h, o, t);
        ix
    }

    fn empty(lang: &Lang) -> LangIndex {
        LangIndex {
            lang: lang.clone(),
            vocab: FxHashMap::default(),
            keys: Vec::new(),
            punct: Vec::new(),
            units: Vec::new(),
            recency: Vec::new(),
            hashes: Vec::new(),
            offsets: vec![0],
            toks: Vec::new(),
            len_start: vec![0],
            post_off: vec![0],
            post: Vec::new(),
        }
    }

    fn intern(&mut self, key: &str) -> u32 {
        if let Some(&id) = self.vocab.get(key) {
            return id;
        }
        let id = self.keys.len() as u32;
        self.keys.push(key.into());
        self.vocab.insert(key.into(), id);
        self.punct.push(is_punct_key(key));
        id
    }

    /// Order entries by length and build the posting lists.
    fn build(
        &mut self,
        units: Vec<i64>,
        rec: Vec<i64>,
        hashes: Vec<u64>,
        off: Vec<u32>,
        toks: Vec<u32>,
    ) {
        let n = units.len();
        let len = |i: usize| (off[i + 1] - off[i]) as usize;
        let maxlen = (0..n).map(len).max().unwrap_or(0);
        // counting sort by length (stable)
        let mut start = vec![0u32; maxlen + 2];
        for i in 0..n {
            start[len(i) + 1] += 1;
        }
        for l in 1..start.len() {
            start[l] += start[l - 1];
        }
        self.len_start = start.clone();
        let mut order = vec![0u32; n];
        {
            let mut next = start;
            for i in 0..n {
                let l = len(i);
                order[next[l] as usize] = i as u32;
                next[l] += 1;
            }
        }
        self.units = order.iter().map(|&i| units[i as usize]).collect();
        self.recency = order.iter().map(|&i| rec[i as usize]).collect();
        self.hashes = order.iter().map(|&i| hashes[i as usize]).collect();
        self.offsets = Vec::with_capacity(n + 1);
        self.offsets.push(0);
        self.toks = Vec::with_capacity(toks.len());
        for &i in &order {
            let i = i as usize;
            self.toks
                .extend_from_slice(&toks[off[i] as usize..off[i + 1] as usize]);
            self.offsets.push(self.toks.len() as u32);
        }
        drop(toks);
        // postings: each entry once per distinct token, entries ascending
        let v = self.keys.len();
        let mut last = vec![u32::MAX; v];
        let mut count = vec![0u32; v + 1];
        for e in 0..n {
            for &t in self.entry(e) {
                if last[t as usize] != e as u32 {
                    last[t as usize] = e as u32;
                    count[t as usize + 1] += 1;
                }
            }
        }
        for t in 1..=v {
            count[t] += count[t - 1];
        }
        self.post_off = count.clone();
        self.post = vec![0u32; count[v] as usize];
        last.iter_mut().for_each(|x| *x = u32::MAX);
        let mut next = count;
        for e in 0..n {
            let (a, b) = (self.offsets[e] as usize, self.offsets[e + 1] as usize);
            for k in a..b {
                let t = self.toks[k] as usize;
                if last[t] != e as u32 {
                    last[t] = e as u32;
                    self.post[next[t] as usize] = e as u32;
                    next[t] += 1;
                }
            }
        }
    }

    /// Number of entries (variants indexed).
    pub fn len(&self) -> usize {
        self.units.len()
    }

    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    /// Number of distinct tokens.
    pub fn vocabulary(&self) -> usize {
        self.keys.len()
    }

    /// Approximate memory held, in bytes.
    pub fn memory(&self) -> usize {
        self.units.len() * 8 * 3
            + (self.offsets.len() + self.toks.len() + self.post.len() + self.post_off.len()) * 4
            + self.keys.iter().map(|k| k.len() + 40).sum::<usize>()
    }

    fn entry(&self, e: usize) -> &[u32] {
        &self.toks[self.offsets[e] as usize..self.offsets[e + 1] as usize]
    }

    fn postings(&self, t: u32) -> &[u32] {
        &self.post[self.post_off[t as usize] as usize..self.post_off[t as usize + 1] as usize]
    }

    fn df(&self, t: u32) -> usize {
        (self.post_off[t as usize + 1] - self.post_off[t as usize]) as usize
    }

    fn is_punct(&self, t: u32) -> bool {
        self.punct.get(t as usize).copied().unwrap_or(false)
    }

    /// Every entry as (unit, recency, token keys joined by spaces), sorted:
    /// for tests that compare two indexes.
    pub fn dump(&self) -> Vec<(i64, i64, String)> {
        let mut v: Vec<_> = (0..self.len())
            .map(|e| {
                let keys: Vec<&str> = self
                    .entry(e)
                    .iter()
                    .map(|&t| &*self.keys[t as usize])
                    .collect();
                (self.units[e], self.recency[e], keys.join(" "))
            })
            .collect();
        v.sort();
        v
    }

    /// Token id of a key, if the index knows it.
    pub fn token_id(&self, key: &str) -> Option<u32> {
        self.vocab.get(key).copied()
    }

    /// Prepare a query: tokens the index does not know get ids of their
    /// own (distinct keys, distinct ids) that match nothing.
    pub fn prepare(&self, text: &str) -> Query {
        let toks = crate::text::tokenize(text, &self.lang);
        let mut unknown: FxHashMap<&str, u32> = FxHashMap::default();
        let base = self.keys.len() as u32;
        let mut ids = Vec::with_capacity(toks.len());
        let mut words = Vec::new();
        for t in &toks {
            let id = match self.vocab.get(t.key.as_str()) {
                Some(&id) => id,
                None => {
                    let n = unknown.len() as u32;
                    *unknown.entry(t.key.as_str()).or_insert(base + n)
                }
            };
            ids.push(id);
            if !is_punct_key(&t.key) {
                words.push(id);
            }
        }
        Query {
            seg: Seg {
                toks: ids,
                text_hash: score::text_hash(text),
            },
            words,
            keys: toks.into_iter().map(|t| t.key).collect(),
        }
    }

    fn punct_of(&self, q: &Query) -> impl Fn(u32) -> bool + '_ {
        let base = self.keys.len() as u32;
        let unknown_punct: Vec<u32> = q
            .seg
            .toks
            .iter()
            .zip(&q.keys)
            .filter(|(id, k)| **id >= base && is_punct_key(k))
            .map(|(id, _)| *id)
            .collect();
        move |t: u32| {
            if t < base {
                self.punct[t as usize]
            } else {
                unknown_punct.contains(&t)
            }
        }
    }

    /// Score every entry (the `--exhaustive` scan over this index's data):
    /// the best `limit` at or above `min`, best first. `accept(unit)` may
    /// refuse a unit (no target variant).
    pub fn scan_all(
        &self,
        q: &Query,
        min: u8,
        limit: usize,
        accept: &mut dyn FnMut(i64) -> bool,
    ) -> Vec<Hit> {
        let punct = self.punct_of(q);
        let mut row = Vec::new();
        let mut top = TopK::new(limit);
        for e in 0..self.len() {
            let need = top.need(min);
            if let Some(s) = score::score(
                &q.seg,
                &q.words,
                self.entry(e),
                self.hashes[e],
                need,
                &punct,
                &mut row,
            ) {
                let hit = Hit {
                    score: s,
                    recency: self.recency[e],
                    unit: self.units[e],
                };
                if top.would_take(&hit) && accept(hit.unit) {
                    top.push(hit);
                }
            }
        }
        top.into_sorted()
    }

    /// The best `limit` entries scoring at least `min` (1..=100), best
    /// first; `accept(unit)` may refuse a unit (no target variant).
    pub fn search(
        &self,
        q: &Query,
        min: u8,
        limit: usize,
        accept: &mut dyn FnMut(i64) -> bool,
        stats: &mut SearchStats,
    ) -> Vec<Hit> {
        SCRATCH.with(|s| {
            let mut s = s.borrow_mut();
            self.search_with(q, min, limit, accept, stats, &mut s)
        })
    }

    fn search_with(
        &self,
        q: &Query,
        min: u8,
        limit: usize,
        accept: &mut dyn FnMut(i64) -> bool,
        stats: &mut SearchStats,
        sc: &mut Scratch,
    ) -> Vec<Hit> {
        let n = q.seg.toks.len();
        let mut top = TopK::new(limit);
        if n == 0 || limit == 0 || self.is_empty() {
            return top.into_sorted();
        }
        let min = min.max(1);
        let punct = self.punct_of(q);
        let base = self.keys.len() as u32;
        sc.begin(self.len(), base as usize);

        // Distinct known query tokens with their multiplicity, rarest first.
        let mut distinct: Vec<(u32, u32)> = Vec::new(); // (token, count)
        let mut unknown = 0usize;
        for &t in &q.seg.toks {
            if t >= base {
                unknown += 1;
                continue;
            }
            if sc.qcnt[t as usize] == 0 {
                distinct.push((t, 0));
                sc.qmask_set(t);
            }
            sc.qcnt[t as usize] += 1;
        }
        for d in distinct.iter_mut() {
            d.1 = sc.qcnt[d.0 as usize];
        }
        distinct.sort_by_key(|&(t, _)| (self.df(t), t));
        let q_words = q.words.len();
        let rarest_word = distinct.iter().position(|&(t, _)| !self.is_punct(t));

        // Upper bound of an entry's score from its exact token overlap.
        let bound = |e: usize, sc: &mut Scratch| -> u8 {
            let toks = self.entry(e);
            let l = toks.len();
            let (mut o, mut ow, mut sw) = (0usize, 0usize, 0usize);
            for &t in toks {
                let p = self.punct[t as usize];
                sw += usize::from(!p);
                if sc.qmask_has(t) && sc.qcnt[t as usize] > 0 {
                    sc.qcnt[t as usize] -= 1;
                    sc.undo.push(t);
                    o += 1;
                    ow += usize::from(!p);
                }
            }
            for &t in &sc.undo {
                sc.qcnt[t as usize] += 1;
            }
            sc.undo.clear();
            if q_words > 0 && ow == q_words && sw == q_words {
                return 100; // same words: 98..100 possible
            }
            let m = n.max(l);
            score::edit_score(m - o, m)
        };

        // Scores 98..100 outside the length window: all of the query's
        // words are in such a segment, so its rarest word's list has them.
        let probe_min = min.min(score::MAX_FUZZY);
        let mut stages: Vec<u8> = [97u8, 90, 80, 70, 60, 50, 40, 30, 20, 10]
            .into_iter()
            .filter(|&t| t > probe_min)
            .collect();
        stages.push(probe_min);
        if let Some(w) = rarest_word {
            let (lo, hi) = self.entry_range(length_window(n, stages[0]));
            let plist = self.postings(distinct[w].0);
            for &e in plist {
                let e = e as usize;
                if (lo..hi).contains(&e) {
                    continue; // the first stage reads these
                }
                stats.postings += 1;
                if !sc.seen(e) {
                    stats.candidates += 1;
                    let ub = bound(e, sc);
                    if ub >= probe_min {
                        sc.buckets[ub as usize].push(e as u32);
                    }
                }
            }
        }

        // Stages of falling thresholds.
        let mut probed = 0usize; // distinct tokens probed so far
        let mut covered = unknown; // query positions covered (unknown tokens never match)
        let mut scanned: Vec<(usize, usize)> = Vec::new(); // per probed token: scanned postings range
        let mut row = std::mem::take(&mut sc.row);
        for &t in &stages {
            stats.stages += 1;
            let (lo, hi) = self.entry_range(length_window(n, t));
            let need_cover = n - min_overlap(n, t) + 1;
            while probed < distinct.len()
                && (covered < need_cover || rarest_word.is_some_and(|w| probed <= w))
            {
                covered += distinct[probed].1 as usize;
                let pl = self.postings(distinct[probed].0);
                // start with an empty range placed at the window
                let at = pl.partition_point(|&e| (e as usize) < lo);
                scanned.push((at, at));
                probed += 1;
            }
            for (k, range) in scanned.iter_mut().enumerate() {
                let pl = self.postings(distinct[k].0);
                let a = pl.partition_point(|&e| (e as usize) < lo);
                let b = pl.partition_point(|&e| (e as usize) < hi);
                for part in [(a, range.0.max(a).min(b)), (range.1.max(a).min(b), b)] {
                    for &e in &pl[part.0..part.1] {
                        let e = e as usize;
                        stats.postings += 1;
                        if sc.seen(e) {
                            continue;
                        }
                        stats.candidates += 1;
                        let ub = bound(e, sc);
                        if ub >= probe_min {
                            sc.buckets[ub as usize].push(e as u32);
                        }
                    }
                }
                *range = (range.0.min(a), range.1.max(b));
            }
            // verify the best bounds first
            let mut b = 100usize;
            while b >= t as usize {
                if top.is_full() && (b as u8) < top.worst().score {
                    break;
                }
                while let Some(e) = sc.buckets[b].pop() {
                    let e = e as usize;
                    let need = top.need(min);
                    if (b as u8) < need {
                        sc.buckets[b].push(e as u32);
                        break;
                    }
                    stats.verified += 1;
                    if let Some(s) = score::score(
                        &q.seg,
                        &q.words,
                        self.entry(e),
                        self.hashes[e],
                        need,
                        &punct,
                        &mut row,
                    ) {
                        let hit = Hit {
                            score: s,
                            recency: self.recency[e],
                            unit: self.units[e],
                        };
                        if top.would_take(&hit) && accept(hit.unit) {
                            top.push(hit);
                        }
                    }
                }
                if b == 0 {
                    break;
                }
                b -= 1;
            }
            if top.is_full() && top.worst().score >= t {
                break;
            }
        }
        sc.row = row;
        for &(t, _) in &distinct {
            sc.qcnt[t as usize] = 0;
            sc.qmask_clear(t);
        }
        for b in sc.buckets.iter_mut() {
            b.clear();
        }
        top.into_sorted()
    }

    /// Entries whose length is within `(lo, hi)`, as an index range.
    fn entry_range(&self, (lo, hi): (usize, usize)) -> (usize, usize) {
        let max = self.len_start.len() - 1;
        let a = self.len_start[lo.min(max)] as usize;
        let b = self.len_start[hi.saturating_add(1).min(max)] as usize;
        (a, b)
    }
}

/// The best K hits so far.
struct TopK {
    k: usize,
    hits: Vec<Hit>, // sorted best first
}

impl TopK {
    fn new(k: usize) -> TopK {
        TopK {
            k,
            hits: Vec::with_capacity(k + 1),
        }
    }

    fn is_full(&self) -> bool {
        self.hits.len() >= self.k
    }

    fn worst(&self) -> Hit {
        self.hits[self.hits.len() - 1]
    }

    /// The score a new hit needs to be considered.
    fn need(&self, min: u8) -> u8 {
        if self.is_full() {
            self.worst().score.max(min)
        } else {
            min
        }
    }

    fn would_take(&self, h: &Hit) -> bool {
        !self.is_full() || h.rank_key() > self.worst().rank_key()
    }

    fn push(&mut self, h: Hit) {
        let at = self.hits.partition_point(|x| x.rank_key() > h.rank_key());
        self.hits.insert(at, h);
        self.hits.truncate(self.k);
    }

    fn into_sorted(self) -> Vec<Hit> {
        self.hits
    }
}

/// Per-thread working memory of searches.
#[derive(Default)]
struct Scratch {
    /// `mark[e] == epoch`: entry `e` already considered in this search.
    mark: Vec<u32>,
    epoch: u32,
    /// Query token counts, by token id (zero outside a search).
    qcnt: Vec<u32>,
    /// Bit set of the query's tokens (small: stays in cache).
    qmask: Vec<u64>,
    undo: Vec<u32>,
    buckets: Vec<Vec<u32>>,
    row: Vec<u32>,
}

impl Scratch {
    fn begin(&mut self, entries: usize, vocab: usize) {
        if self.mark.len() < entries {
            self.mark.resize(entries, 0);
        }
        if self.qcnt.len() < vocab {
            self.qcnt.resize(vocab, 0);
        }
        if self.qmask.len() < vocab / 64 + 1 {
            self.qmask.resize(vocab / 64 + 1, 0);
        }
        if self.buckets.len() < 101 {
            self.buckets.resize_with(101, Vec::new);
        }
        self.epoch = self.epoch.wrapping_add(1);
        if self.epoch == 0 {
            self.mark.iter_mut().for_each(|m| *m = 0);
            self.epoch = 1;
        }
    }

    /// Mark `e` seen; true if it was seen before.
    fn seen(&mut self, e: usize) -> bool {
        if self.mark[e] == self.epoch {
            true
        } else {
            self.mark[e] = self.epoch;
            false
        }
    }

    fn qmask_set(&mut self, t: u32) {
        self.qmask[(t / 64) as usize] |= 1 << (t % 64);
    }

    fn qmask_clear(&mut self, t: u32) {
        self.qmask[(t / 64) as usize] &= !(1 << (t % 64));
    }

    fn qmask_has(&self, t: u32) -> bool {
        self.qmask[(t / 64) as usize] & (1 << (t % 64)) != 0
    }
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ix(lang: &str, texts: &[&str]) -> LangIndex {
        let lang = Lang::parse(lang).unwrap();
        LangIndex::from_entries(
            &lang,
            texts
                .iter()
                .enumerate()
                .map(|(i, t)| (i as i64 + 1, i as i64, *t)),
        )
    }

    fn both(ix: &LangIndex, q: &str, min: u8, k: usize) -> (Vec<Hit>, Vec<Hit>) {
        let q = ix.prepare(q);
        let mut st = SearchStats::default();
        let a = ix.search(&q, min, k, &mut |_| true, &mut st);
        let b = ix.scan_all(&q, min, k, &mut |_| true);
        (a, b)
    }

    #[test]
    fn finds_what_the_scan_finds() {
        let tm = [
            "Delete the file.",
            "Delete the old file.",
            "Delete all files.",
            "Open the file.",
            "The file was deleted.",
            "delete the file",
            "Delete, the file!",
            "Delete the file , , , , , , , , , .",
            "Something else entirely, with many more words than the others.",
        ];
        let x = ix("en", &tm);
        for q in [
            "Delete the file.",
            "Delete the new file.",
            "Open file",
            "the",
            "Delete the file",
        ] {
            for min in [1u8, 30, 50, 75, 90, 98, 99, 100] {
                for k in [1usize, 3, 10] {
                    let (a, b) = both(&x, q, min, k);
                    assert_eq!(a, b, "q={q} min={min} k={k}");
                }
            }
        }
        let (a, _) = both(&x, "Delete the file.", 50, 10);
        assert_eq!(a[0].score, 100);
        assert_eq!(a[0].unit, 1);
        // punctuation-only difference far outside the length window
        assert!(a.iter().any(|h| h.unit == 8 && h.score == 98), "{a:?}");
    }

    #[test]
    fn ties_go_to_the_most_recent() {
        let x = ix("en", &["Open the file.", "Open the file.", "Open a file."]);
        let (a, _) = both(&x, "Open the file.", 50, 3);
        assert_eq!(a[0].unit, 2); // same score, newer
        assert_eq!(a[1].unit, 1);
    }

    #[test]
    fn accept_can_refuse_units() {
        let x = ix("en", &["Open the file.", "Open the file now."]);
        let q = x.prepare("Open the file.");
        let mut st = SearchStats::default();
        let a = x.search(&q, 50, 5, &mut |u| u != 1, &mut st);
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].unit, 2);
    }

    #[test]
    fn random_fixtures_agree_with_the_scan() {
        let words = [
            "the", "file", "open", "close", "save", "a", "document", ",", ".", "new", "old",
            "2018", "of", "and", "to", "menu", "click", "select", "table", "cell",
        ];
        let mut x: u64 = 0xDEAD_BEEF_1234_5678;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut texts = Vec::new();
        for _ in 0..400 {
            let n = 1 + next() % 14;
            let t: Vec<&str> = (0..n)
                .map(|_| words[(next() % words.len() as u64) as usize])
                .collect();
            texts.push(t.join(" "));
        }
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let index = ix("en", &refs);
        for i in 0..150 {
            let q = if i % 3 == 0 {
                texts[(next() % texts.len() as u64) as usize].clone()
            } else {
                let n = 1 + next() % 14;
                (0..n)
                    .map(|_| words[(next() % words.len() as u64) as usize])
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            for min in [1u8, 40, 50, 66, 80, 97, 98] {
                for k in [1usize, 5] {
                    let (a, b) = both(&index, &q, min, k);
                    assert_eq!(a, b, "q={q} min={min} k={k}");
                }
            }
        }
    }

    #[test]
    fn chinese_by_character() {
        let x = ix("zh", &["上海合作组织秘书处", "上海合作组织", "北京"]);
        let (a, b) = both(&x, "上海合作组织成员国", 50, 5);
        assert_eq!(a, b);
        assert_eq!(a.len(), 2);
    }

    #[test]
    fn empty_and_unknown_queries() {
        let x = ix("en", &["Open the file."]);
        let (a, _) = both(&x, "", 50, 5);
        assert!(a.is_empty());
        let (a, _) = both(&x, "zzz qqq", 1, 5);
        assert!(a.is_empty());
        let empty = ix("en", &[]);
        let (a, _) = both(&empty, "Open", 50, 5);
        assert!(a.is_empty());
    }
}

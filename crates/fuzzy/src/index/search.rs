//! The search: the best K entries at or above a threshold, with nothing
//! missed (see the module documentation of [`super`] for why), and the
//! exhaustive scan it must agree with.

use super::{
    Hit, LangIndex, PREFETCH, PREFIX_MIN, Query, SIG_BITS, SIG_WORDS, SearchStats, prefetch,
    sig_bit,
};
use crate::score::{self, length_window, min_overlap};

impl LangIndex {
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
        if self.lookup_only {
            return self.scan_all(q, min, limit, accept);
        }
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
        let base = self.vocabulary() as u32;
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
        // Signature weights: query tokens per signature bit.
        let mut weight = [0u32; SIG_BITS];
        let mut qsig = [0u64; SIG_WORDS];
        for &(t, c) in &distinct {
            let b = sig_bit(t);
            weight[b] += c;
            qsig[b / 64] |= 1 << (b % 64);
        }
        // Query positions rarest first: token k of `distinct` starts at
        // position first_pos[k] (unknown tokens, shared by nothing, first).
        let mut first_pos = Vec::with_capacity(distinct.len());
        let mut p = unknown;
        for &(_, c) in &distinct {
            first_pos.push(p);
            p += c as usize;
        }
        let probe_min = min.min(score::MAX_FUZZY);
        let score_of = |shared: usize, l: usize| -> u8 {
            let m = n.max(l);
            score::edit_score(m - shared.min(m), m)
        };

        // Exact bound of an entry's score from its token overlap (100 when
        // it may have the query's words with other punctuation: 98..100).
        let exact = |e: usize, sc: &mut Scratch| -> u8 {
            let toks = self.entry(e);
            let mut o = 0usize;
            for &t in toks {
                if sc.qmask_has(t) && sc.qcnt[t as usize] > 0 {
                    sc.qcnt[t as usize] -= 1;
                    sc.undo.push(t);
                    o += 1;
                }
            }
            let mut same_words = false;
            if q_words > 0 && o >= q_words {
                let ow = sc
                    .undo
                    .iter()
                    .filter(|&&t| self.punct[t as usize] == 0)
                    .count();
                let sw = toks
                    .iter()
                    .filter(|&&t| self.punct[t as usize] == 0)
                    .count();
                same_words = ow == q_words && sw == q_words;
            }
            for &t in &sc.undo {
                sc.qcnt[t as usize] += 1;
            }
            sc.undo.clear();
            if same_words {
                100
            } else {
                score_of(o, toks.len())
            }
        };
        // Signature bound: the query tokens whose bit the entry (of `l`
        // tokens) has.
        let signature = |e: usize, l: usize| -> u8 {
            let sig = &self.sigs[e];
            let mut shared = 0u32;
            for w in 0..SIG_WORDS {
                let mut bits = sig[w] & qsig[w];
                while bits != 0 {
                    let b = bits.trailing_zeros() as usize;
                    shared += weight[w * 64 + b];
                    bits &= bits - 1;
                }
            }
            score_of(shared as usize, l)
        };

        let mut stages: Vec<u8> = [97u8, 93, 89, 85, 80, 75, 70, 65, 60, 55, 50, 40, 30, 20, 10]
            .into_iter()
            .filter(|&t| t > probe_min)
            .collect();
        stages.push(probe_min);

        // Candidates wait in buckets by their best known bound; the bound is
        // refined (positional → signature → exact overlap) only when the
        // candidate's bucket is reached, then it is verified.
        let push = |sc: &mut Scratch, e: usize, ub: u8, level: u8| {
            if ub >= probe_min {
                sc.buckets[ub as usize].push((e as u32, level));
            }
        };

        // Same words, other punctuation (98..100) escapes the overlap
        // filters (and may lie outside the length window): look the
        // query's words up by hash.
        if q_words > 0 && q.words.iter().all(|&t| t < base) {
            let mut buf = Vec::with_capacity(q_words * 4);
            for &t in &q.words {
                buf.extend_from_slice(&t.to_le_bytes());
            }
            let h = xxhash_rust::xxh3::xxh3_64(&buf);
            let from = self.wh_hash.partition_point(|&x| x < h);
            for (&x, &e) in self.wh_hash[from..].iter().zip(&self.wh_entry[from..]) {
                if x != h {
                    break;
                }
                if !sc.seen(e as usize) {
                    stats.candidates += 1;
                    push(sc, e as usize, 100, LEVEL_SIG);
                }
            }
        }
        let use_prefix = probe_min >= PREFIX_MIN;

        let mut scanned: Vec<(usize, usize)> = Vec::new(); // per scanned token: postings range read
        let mut covered = unknown; // query positions scanned (unknown tokens match nothing)
        let mut row = std::mem::take(&mut sc.row);
        for &t in &stages {
            stats.stages += 1;
            let (lo, hi) = self.entry_range(length_window(n, t));
            // Lossless prefix: enough rare tokens that a segment holding none
            // of them cannot share min_overlap tokens with the query.
            let need_cover = n - min_overlap(n, t) + 1;
            while scanned.len() < distinct.len() && covered < need_cover {
                covered += distinct[scanned.len()].1 as usize;
                scanned.push((usize::MAX, usize::MAX));
            }
            for (k, range) in scanned.iter_mut().enumerate() {
                let tok = distinct[k].0;
                let (pl, ranks) = if use_prefix {
                    self.prefix(tok)
                } else {
                    (self.postings(tok), &[][..])
                };
                // the window only widens: gallop out from the range read
                let (a, b) = if range.0 == usize::MAX {
                    (
                        pl.partition_point(|&e| (e as usize) < lo),
                        pl.partition_point(|&e| (e as usize) < hi),
                    )
                } else {
                    (
                        gallop_back(pl, range.0, lo),
                        gallop_forward(pl, range.1, hi),
                    )
                };
                let parts = if range.0 == usize::MAX {
                    [(a, b), (b, b)]
                } else {
                    [(a, range.0.max(a).min(b)), (range.1.max(a).min(b), b)]
                };
                let rest = n - first_pos[k];
                for (x, y) in parts {
                    if x >= y {
                        continue;
                    }
                    stats.postings += y - x;
                    // entries ascend, so their length only grows
                    let mut l = self.len_of(pl[x] as usize);
                    let mut l_end = self.len_start[l + 1] as usize;
                    let mut need = min_overlap(n.max(l), probe_min);
                    for (i, &e) in pl.iter().enumerate().take(y).skip(x) {
                        let e = e as usize;
                        while e >= l_end {
                            l += 1;
                            l_end = self.len_start[l + 1] as usize;
                            need = min_overlap(n.max(l), probe_min);
                        }
                        // Positional filter (PPJoin): this is the rarest
                        // token the entry shares with the query, so neither
                        // the entry's rarer tokens nor the query's rarer
                        // positions are shared.
                        let most = match ranks.get(i) {
                            Some(&r) => rest.min(l - r as usize),
                            None => rest.min(l),
                        };
                        if most < need || sc.seen(e) {
                            // too few left to share, or seen via a rarer token
                            continue;
                        }
                        sc.cand.push((e as u32, most as u32, l as u32));
                    }
                }
                // The signature bound costs one memory access per
                // candidate: take them all now, fetching ahead.
                stats.candidates += sc.cand.len();
                stats.signed += sc.cand.len();
                let cand = std::mem::take(&mut sc.cand);
                for (j, &(e, most, l)) in cand.iter().enumerate() {
                    if let Some(&(ahead, _, _)) = cand.get(j + PREFETCH) {
                        prefetch(&self.sigs[ahead as usize]);
                    }
                    let (e, l) = (e as usize, l as usize);
                    let ub = score_of(most as usize, l).min(signature(e, l));
                    push(sc, e, ub, LEVEL_SIG);
                }
                sc.cand = cand;
                sc.cand.clear();
                *range = if range.0 == usize::MAX {
                    (a, b)
                } else {
                    (range.0.min(a), range.1.max(b))
                };
            }
            // Refine and verify, best bound first.
            let mut b = 100usize;
            while b >= t as usize {
                if top.is_full() && (b as u8) < top.worst().score {
                    break;
                }
                loop {
                    // fetch ahead what the exact bounds will read: the
                    // offsets of entries further down the bucket, then
                    // their tokens
                    let bl = &sc.buckets[b];
                    let Some(&(e32, level)) = bl.last() else {
                        break;
                    };
                    if bl.len() > PREFETCH {
                        let (ahead, lv) = bl[bl.len() - 1 - PREFETCH];
                        if lv == LEVEL_SIG {
                            prefetch(&self.offsets[ahead as usize]);
                        }
                        let (near, lv) = bl[bl.len() - 1 - PREFETCH / 2];
                        if lv == LEVEL_SIG {
                            prefetch(&self.toks[self.offsets[near as usize] as usize]);
                        }
                    }
                    sc.buckets[b].pop();
                    let e = e32 as usize;
                    let need = top.need(min);
                    if (b as u8) < need {
                        sc.buckets[b].push((e32, level));
                        break;
                    }
                    if level == LEVEL_POS {
                        stats.signed += 1;
                        let ub = signature(e, self.len_of(e)).min(b as u8);
                        if (ub as usize) < b {
                            push(sc, e, ub, LEVEL_SIG);
                            continue;
                        }
                    }
                    if level <= LEVEL_SIG {
                        stats.bounded += 1;
                        let ub = exact(e, sc);
                        let ub = if ub == 100 { 100 } else { ub.min(b as u8) };
                        if (ub as usize) < b {
                            push(sc, e, ub, LEVEL_EXACT);
                            continue;
                        }
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
        // leave the scratch clean for the next search
        for &(t, _) in &distinct {
            sc.qcnt[t as usize] = 0;
            sc.qmask_clear(t);
        }
        for b in sc.buckets.iter_mut() {
            b.clear();
        }
        top.into_sorted()
    }

    /// Token count of entry `e` (entries are ordered by it).
    fn len_of(&self, e: usize) -> usize {
        self.len_start.partition_point(|&s| s as usize <= e) - 1
    }

    /// Entries whose length is within `(lo, hi)`, as an index range.
    fn entry_range(&self, (lo, hi): (usize, usize)) -> (usize, usize) {
        let max = self.len_start.len() - 1;
        let a = self.len_start[lo.min(max)] as usize;
        let b = self.len_start[hi.saturating_add(1).min(max)] as usize;
        (a, b)
    }
}

/// First index of `pl` (ascending) holding an entry >= `bound`, knowing
/// it is at most `from`: an exponential search backwards.
pub(super) fn gallop_back(pl: &[u32], from: usize, bound: usize) -> usize {
    let mut right = from.min(pl.len());
    let mut step = 1;
    loop {
        let left = right.saturating_sub(step);
        if left == 0 || (pl[left] as usize) < bound {
            return left + pl[left..right].partition_point(|&e| (e as usize) < bound);
        }
        right = left;
        step *= 2;
    }
}

/// First index of `pl` (ascending) holding an entry >= `bound`, knowing it
/// is at least `from`: an exponential search forwards.
pub(super) fn gallop_forward(pl: &[u32], from: usize, bound: usize) -> usize {
    let mut left = from.min(pl.len());
    let mut step = 1;
    loop {
        let right = (left + step).min(pl.len());
        if right == pl.len() || (pl[right] as usize) >= bound {
            return left + pl[left..right].partition_point(|&e| (e as usize) < bound);
        }
        left = right;
        step *= 2;
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
    /// Bit set of the entries seen in this search.
    seen: Vec<u64>,
    /// Query token counts, by token id (zero outside a search).
    qcnt: Vec<u32>,
    /// Bit set of the query's tokens (small: stays in cache).
    qmask: Vec<u64>,
    undo: Vec<u32>,
    /// Candidates of one posting list: (entry, positional bound, length).
    cand: Vec<(u32, u32, u32)>,
    /// Candidates by score bound: (entry, how refined the bound is).
    buckets: Vec<Vec<(u32, u8)>>,
    row: Vec<u32>,
}

/// Bound from the positional filter only.
const LEVEL_POS: u8 = 0;
/// Bound from the signature (or none needed beyond it).
const LEVEL_SIG: u8 = 1;
/// Bound from the exact token overlap.
const LEVEL_EXACT: u8 = 2;

impl Scratch {
    fn begin(&mut self, entries: usize, vocab: usize) {
        let words = entries / 64 + 1;
        if self.seen.len() < words {
            self.seen.resize(words, 0);
        }
        self.seen[..words].iter_mut().for_each(|w| *w = 0);
        if self.qcnt.len() < vocab {
            self.qcnt.resize(vocab, 0);
        }
        if self.qmask.len() < vocab / 64 + 1 {
            self.qmask.resize(vocab / 64 + 1, 0);
        }
        if self.buckets.len() < 101 {
            self.buckets.resize_with(101, Vec::new);
        }
    }

    /// Mark `e` seen; true if it was seen before.
    fn seen(&mut self, e: usize) -> bool {
        let (w, b) = (e / 64, 1u64 << (e % 64));
        let was = self.seen[w] & b != 0;
        self.seen[w] |= b;
        was
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

//! The search: the best K entries at or above a threshold, with nothing
//! missed (see the module documentation of [`super`] for why), and the
//! exhaustive scan it must agree with.

use super::{
    ELL, Hit, LangIndex, PREFETCH, PREFIX_MIN, Query, SIG_BITS, SIG_WORDS, SearchStats, prefetch,
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
        if q.seg.toks.is_empty() || limit == 0 || self.is_empty() {
            return Vec::new();
        }
        let punct = self.punct_of(q);
        let mut s = Search::new(self, q, min, limit, &punct, sc);
        s.same_words(sc, stats);
        let mut scanned = Scanned::new(s.unknown);
        let mut row = std::mem::take(&mut sc.row);
        for t in s.stages() {
            // once K hits are known, nothing below the worst of them can
            // enter: the filters work to that score from now on
            s.raise_floor();
            let t = t.max(s.probe_min);
            stats.stages += 1;
            let t0 = std::time::Instant::now();
            s.scan(t, &mut scanned, sc, stats);
            let t1 = std::time::Instant::now();
            s.verify(t, sc, stats, &mut row, accept);
            stats.scan_time += t1 - t0;
            stats.verify_time += t1.elapsed();
            if s.top.is_full() && s.top.worst().score >= t {
                break;
            }
        }
        sc.row = row;
        s.finish(sc)
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

/// The state of one search (see [`LangIndex::search`]): the query's
/// tokens rarest first, its signature, the best hits so far.
struct Search<'a, P: Fn(u32) -> bool> {
    ix: &'a LangIndex,
    q: &'a Query,
    punct: &'a P,
    /// Query tokens.
    n: usize,
    /// The user's minimum, and the lowest threshold the filters work to
    /// (raised to the worst of the best K once K are known).
    min: u8,
    probe_min: u8,
    /// Whether the prefix lists are read (fixed for the whole search: the
    /// ranges read are positions in one kind of list).
    use_prefix: bool,
    /// Words (not punctuation) of the query.
    q_words: usize,
    /// Distinct known query tokens with their multiplicity, rarest first.
    distinct: Vec<(u32, u32)>,
    /// Query tokens the index does not know (they match nothing).
    unknown: usize,
    /// Token k of `distinct` starts at query position first_pos[k] (the
    /// positions ordered rarest first, unknown tokens first of all).
    first_pos: Vec<usize>,
    /// Query tokens per signature bit, and the query's signature.
    weight: [u32; SIG_BITS],
    qsig: [u64; SIG_WORDS],
    top: TopK,
}

/// The posting ranges read so far, per scanned query token, and how many
/// query positions they cover.
struct Scanned {
    ranges: Vec<(usize, usize)>,
    covered: usize,
    /// Lists a segment must be met in to be a candidate.
    ell: u16,
}

impl Scanned {
    fn new(unknown: usize) -> Scanned {
        Scanned {
            ranges: Vec::new(),
            covered: unknown,
            ell: ELL,
        }
    }
}

impl<'a, P: Fn(u32) -> bool> Search<'a, P> {
    fn new(
        ix: &'a LangIndex,
        q: &'a Query,
        min: u8,
        limit: usize,
        punct: &'a P,
        sc: &mut Scratch,
    ) -> Search<'a, P> {
        let base = ix.vocabulary() as u32;
        sc.begin(ix.len(), base as usize);
        let mut distinct: Vec<(u32, u32)> = Vec::new();
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
        distinct.sort_by_key(|&(t, _)| (ix.df(t), t));
        let mut weight = [0u32; SIG_BITS];
        let mut qsig = [0u64; SIG_WORDS];
        for &(t, c) in &distinct {
            let b = sig_bit(t);
            weight[b] += c;
            qsig[b / 64] |= 1 << (b % 64);
        }
        let mut first_pos = Vec::with_capacity(distinct.len());
        let mut p = unknown;
        for &(_, c) in &distinct {
            first_pos.push(p);
            p += c as usize;
        }
        let min = min.max(1);
        let probe_min = min.min(score::MAX_FUZZY);
        Search {
            ix,
            q,
            punct,
            n: q.seg.toks.len(),
            min,
            probe_min,
            use_prefix: probe_min >= PREFIX_MIN,
            q_words: q.words.len(),
            distinct,
            unknown,
            first_pos,
            weight,
            qsig,
            top: TopK::new(limit),
        }
    }

    /// With K hits known, a unit scoring below the worst of them cannot
    /// enter (a tie can, being more recent): raise the threshold the
    /// filters work to up to that score. Lossless: whatever a filter ruled
    /// out at a lower threshold is out at a higher one too.
    fn raise_floor(&mut self) {
        if self.top.is_full() {
            let w = self.top.worst().score.min(score::MAX_FUZZY);
            self.probe_min = self.probe_min.max(w);
        }
    }

    /// Thresholds of the stages, highest first, down to the minimum.
    fn stages(&self) -> Vec<u8> {
        let mut stages: Vec<u8> = [97u8, 93, 89, 85, 80, 75, 70, 65, 60, 55, 50, 40, 30, 20, 10]
            .into_iter()
            .filter(|&t| t > self.probe_min)
            .collect();
        stages.push(self.probe_min);
        stages
    }

    /// The score of an entry of `l` tokens sharing `shared` with the query,
    /// at best.
    fn score_of(&self, shared: usize, l: usize) -> u8 {
        let m = self.n.max(l);
        score::edit_score(m - shared.min(m), m)
    }

    /// Exact bound of an entry's score from its token overlap (100 when it
    /// may have the query's words with other punctuation: 98..100).
    fn exact_bound(&self, e: usize, sc: &mut Scratch) -> u8 {
        let ix = self.ix;
        let toks = ix.entry(e);
        let mut o = 0usize;
        for &t in toks {
            if sc.qmask_has(t) && sc.qcnt[t as usize] > 0 {
                sc.qcnt[t as usize] -= 1;
                sc.undo.push(t);
                o += 1;
            }
        }
        let mut same_words = false;
        if self.q_words > 0 && o >= self.q_words {
            let ow = sc
                .undo
                .iter()
                .filter(|&&t| ix.punct[t as usize] == 0)
                .count();
            let sw = toks.iter().filter(|&&t| ix.punct[t as usize] == 0).count();
            same_words = ow == self.q_words && sw == self.q_words;
        }
        for &t in &sc.undo {
            sc.qcnt[t as usize] += 1;
        }
        sc.undo.clear();
        if same_words {
            100
        } else {
            self.score_of(o, toks.len())
        }
    }

    /// Signature bound: the query tokens whose bit the entry (of `l`
    /// tokens) has.
    fn signature_bound(&self, e: usize, l: usize) -> u8 {
        let sig = &self.ix.sigs[e];
        let mut shared = 0u32;
        for (w, &word) in sig.iter().enumerate() {
            let mut bits = word & self.qsig[w];
            while bits != 0 {
                let b = bits.trailing_zeros() as usize;
                shared += self.weight[w * 64 + b];
                bits &= bits - 1;
            }
        }
        self.score_of(shared as usize, l)
    }

    /// Candidates wait in buckets by their best known bound; the bound is
    /// refined (positional → signature → exact overlap) only when the
    /// candidate's bucket is reached, then it is verified.
    fn push(&self, sc: &mut Scratch, e: usize, ub: u8, level: u8) {
        if ub >= self.probe_min {
            sc.buckets[ub as usize].push((e as u32, level));
        }
    }

    /// Same words, other punctuation (98..100) escapes the overlap filters
    /// (and may lie outside the length window): look the query's words up
    /// by hash.
    fn same_words(&self, sc: &mut Scratch, stats: &mut SearchStats) {
        let base = self.ix.vocabulary() as u32;
        if self.q_words == 0 || self.q.words.iter().any(|&t| t >= base) {
            return;
        }
        let mut buf = Vec::with_capacity(self.q_words * 4);
        for &t in &self.q.words {
            buf.extend_from_slice(&t.to_le_bytes());
        }
        let h = xxhash_rust::xxh3::xxh3_64(&buf);
        let ix = self.ix;
        let from = ix.wh_hash.partition_point(|&x| x < h);
        for (&x, &e) in ix.wh_hash[from..].iter().zip(&ix.wh_entry[from..]) {
            if x != h {
                break;
            }
            let st = sc.get(e as usize);
            if !st.is_candidate() {
                if st.is_untouched() {
                    sc.touched.push(e);
                }
                stats.candidates += 1;
                // may score 98..100 whatever its overlap: never ruled out
                sc.set(e as usize, st.with(St::CANDIDATE | St::SAME_WORDS));
                self.push(sc, e as usize, 100, LEVEL_SIG);
            }
        }
    }

    /// Read the posting lists stage `t` needs (more rare tokens, a wider
    /// length window than the stage before) and bucket what they hold.
    fn scan(&self, t: u8, scanned: &mut Scanned, sc: &mut Scratch, stats: &mut SearchStats) {
        let ix = self.ix;
        let n = self.n;
        let use_prefix = self.use_prefix;
        let window = length_window(n, t);
        let (lo, hi) = ix.entry_range(window);
        // Lossless prefixes (PPJoin, and the l-prefix scheme of AdaptJoin):
        // a segment sharing alpha = min_overlap tokens or more with the
        // query shares at least `ell` of the query's n - alpha + ell rarest
        // tokens and of its own l - alpha' + ell rarest (alpha' <= alpha
        // for any partner; the prefix lists are made for ell = ELL). So
        // with the query's rarest n - alpha + ell scanned, only segments met
        // in `ell` of their lists can reach t (ell <= alpha).
        let alpha = min_overlap(n, t);
        let ell: u16 = (alpha as u16).clamp(1, ELL);
        let need_cover = n - alpha + ell as usize;
        while scanned.ranges.len() < self.distinct.len() && scanned.covered < need_cover {
            scanned.covered += self.distinct[scanned.ranges.len()].1 as usize;
            scanned.ranges.push((usize::MAX, usize::MAX));
        }
        if ell < scanned.ell {
            // a lower threshold needs fewer shared tokens: the segments met
            // that often so far become candidates
            let touched = std::mem::take(&mut sc.touched);
            for &e in &touched {
                let e = e as usize;
                let st = sc.get(e);
                if !st.is_dead() && !st.is_candidate() && st.acc() >= ell {
                    sc.set(e, st.with(St::CANDIDATE));
                    let l = ix.len_of(e);
                    sc.cand.push((e as u32, l.min(self.n) as u32, l as u32));
                }
            }
            sc.touched = touched;
            self.bound_candidates(sc, stats);
        }
        scanned.ell = ell;
        for (k, range) in scanned.ranges.iter_mut().enumerate() {
            let tok = self.distinct[k].0;
            let (pl, ranks) = if use_prefix {
                ix.prefix(tok)
            } else {
                (ix.postings(tok), &[][..])
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
            let rest = n - self.first_pos[k];
            for (x, y) in parts {
                if x < y {
                    stats.postings += y - x;
                    let count = self.distinct[k].1;
                    let ell = scanned.ell;
                    stats.skipped += self.filter_postings(
                        &pl[x..y],
                        ranks.get(x..y),
                        window.0,
                        rest,
                        count,
                        ell,
                        sc,
                    );
                }
            }
            self.bound_candidates(sc, stats);
            *range = if range.0 == usize::MAX {
                (a, b)
            } else {
                (range.0.min(a), range.1.max(b))
            };
        }
    }

    /// The positional filter (PPJoin) over part of the posting list of
    /// the query's k-th rarest token, which `count` query positions hold,
    /// the first `rest` positions from the end: an entry meeting it has
    /// matched `acc` query positions before (in the lists of rarer tokens),
    /// and can share at most the tokens from here on in both, the query's
    /// (`rest`) and its own (after its `r` rarer ones). When that cannot
    /// reach the overlap its length needs, it is out for good; the first
    /// time an entry is met it becomes a candidate (`sc.cand`).
    #[allow(clippy::too_many_arguments)]
    fn filter_postings(
        &self,
        pl: &[u32],
        ranks: Option<&[u8]>,
        shortest: usize,
        rest: usize,
        count: u32,
        ell: u16,
        sc: &mut Scratch,
    ) -> usize {
        let ix = self.ix;
        // An entry met first in this list can share `rest` tokens at most:
        // longer entries, which need more, matter only if met before (a bit
        // set small enough to stay in cache says which).
        let longest = self.longest_new(rest).min(ix.len_start.len() - 1);
        let split = ix.len_start[longest] as usize;
        let cut = pl.partition_point(|&e| (e as usize) < split);
        self.meet(pl, ranks, 0..cut, shortest, rest, count, ell, sc);
        if cut == pl.len() {
            return 0;
        }
        // The long part: most of its entries were never met. Keep the
        // positions of those that were, without a branch per posting, then
        // look only at them.
        let old = &pl[cut..];
        // (the buffer only grows: no clearing, every slot read is written)
        let mut kept = std::mem::take(&mut sc.kept);
        if kept.len() < old.len() {
            kept.resize(old.len(), 0);
        }
        let mut k = 0usize;
        for (j, &e) in old.iter().enumerate() {
            kept[k] = (cut + j) as u32;
            k += sc.is_met(e as usize) as usize;
        }
        let at = kept[..k].iter().map(|&i| i as usize);
        self.meet(pl, ranks, at, shortest.max(longest), rest, count, ell, sc);
        sc.kept = kept;
        old.len() - k
    }

    /// The positional filter over the postings `at` of `pl` (ascending),
    /// whose entries have `shortest` tokens or more.
    #[allow(clippy::too_many_arguments)]
    fn meet(
        &self,
        pl: &[u32],
        ranks: Option<&[u8]>,
        at: impl IntoIterator<Item = usize>,
        shortest: usize,
        rest: usize,
        count: u32,
        ell: u16,
        sc: &mut Scratch,
    ) {
        let ix = self.ix;
        // entries ascend, so their length only grows (from `shortest`, a
        // few steps at most: the length window is narrow)
        let mut l = shortest.min(ix.len_start.len() - 2);
        let mut l_end = ix.len_start[l + 1] as usize;
        let mut need = min_overlap(self.n.max(l), self.probe_min);
        for i in at {
            let e = pl[i] as usize;
            while e >= l_end {
                l += 1;
                l_end = ix.len_start[l + 1] as usize;
                need = min_overlap(self.n.max(l), self.probe_min);
            }
            let st = sc.get(e);
            if st.is_dead() || st.is_same_words() {
                continue;
            }
            let own = match ranks {
                Some(r) => l - r[i] as usize,
                None => l,
            };
            if st.is_untouched() {
                sc.touched.push(e as u32);
            }
            let before = st.acc() as usize;
            let most = before + rest.min(own);
            if most < need && before < St::ACC_MAX as usize {
                // (a saturated count could be more: nothing is ruled out)
                sc.set(e, st.with(St::DEAD));
                sc.unmet(e);
                continue;
            }
            let mut st = st.met(count);
            sc.mark_met(e);
            if st.acc() >= ell && !st.is_candidate() {
                st = st.with(St::CANDIDATE);
                sc.cand.push((e as u32, most as u32, l as u32));
            }
            sc.set(e, st);
        }
    }

    /// The longest entry that can reach the minimum sharing at most `rest`
    /// tokens with the query (plus one: a length bound for `len_start`).
    fn longest_new(&self, rest: usize) -> usize {
        let need = |l: usize| min_overlap(self.n.max(l), self.probe_min);
        if need(0) > rest {
            return 0;
        }
        // need(l) grows with l: the first length needing more than `rest`
        let (mut lo, mut hi) = (0usize, self.ix.len_start.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if need(mid) <= rest {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// The signature bound costs one memory access per candidate: take the
    /// candidates of a list all at once, fetching ahead.
    fn bound_candidates(&self, sc: &mut Scratch, stats: &mut SearchStats) {
        stats.candidates += sc.cand.len();
        stats.signed += sc.cand.len();
        let cand = std::mem::take(&mut sc.cand);
        for (j, &(e, most, l)) in cand.iter().enumerate() {
            if let Some(&(ahead, _, _)) = cand.get(j + PREFETCH) {
                prefetch(&self.ix.sigs[ahead as usize]);
            }
            let (e, l) = (e as usize, l as usize);
            let ub = self
                .score_of(most as usize, l)
                .min(self.signature_bound(e, l));
            self.push(sc, e, ub, LEVEL_SIG);
        }
        sc.cand = cand;
        sc.cand.clear();
    }

    /// Refine and verify the buckets down to `t`, best bound first.
    fn verify(
        &mut self,
        t: u8,
        sc: &mut Scratch,
        stats: &mut SearchStats,
        row: &mut Vec<u32>,
        accept: &mut dyn FnMut(i64) -> bool,
    ) {
        let ix = self.ix;
        let mut b = 100usize;
        while b >= t as usize {
            if self.top.is_full() && (b as u8) < self.top.worst().score {
                break;
            }
            loop {
                // fetch ahead what the exact bounds will read: the offsets
                // of entries further down the bucket, then their tokens
                let bl = &sc.buckets[b];
                let Some(&(e32, level)) = bl.last() else {
                    break;
                };
                if bl.len() > PREFETCH {
                    let (ahead, lv) = bl[bl.len() - 1 - PREFETCH];
                    if lv == LEVEL_SIG {
                        prefetch(&ix.offsets[ahead as usize]);
                    }
                    let (near, lv) = bl[bl.len() - 1 - PREFETCH / 2];
                    if lv == LEVEL_SIG {
                        prefetch(&ix.toks[ix.offsets[near as usize] as usize]);
                    }
                }
                sc.buckets[b].pop();
                let e = e32 as usize;
                let st = sc.get(e);
                if st.is_dead() {
                    continue;
                }
                let need = self.top.need(self.min);
                if (b as u8) < need {
                    sc.buckets[b].push((e32, level));
                    break;
                }

                if level == LEVEL_POS {
                    stats.signed += 1;
                    let ub = self.signature_bound(e, ix.len_of(e)).min(b as u8);
                    if (ub as usize) < b {
                        self.push(sc, e, ub, LEVEL_SIG);
                        continue;
                    }
                }
                if level <= LEVEL_SIG {
                    stats.bounded += 1;
                    let ub = self.exact_bound(e, sc);
                    let ub = if ub == 100 { 100 } else { ub.min(b as u8) };
                    if (ub as usize) < b {
                        self.push(sc, e, ub, LEVEL_EXACT);
                        continue;
                    }
                }
                stats.verified += 1;
                if let Some(s) = score::score(
                    &self.q.seg,
                    &self.q.words,
                    ix.entry(e),
                    ix.hashes[e],
                    need,
                    self.punct,
                    row,
                ) {
                    let hit = Hit {
                        score: s,
                        recency: ix.recency[e],
                        unit: ix.units[e],
                    };
                    if self.top.would_take(&hit) {
                        let t0 = std::time::Instant::now();
                        let take = accept(hit.unit);
                        stats.accept_time += t0.elapsed();
                        if take {
                            self.top.push(hit);
                        }
                    }
                }
            }
            if b == 0 {
                break;
            }
            b -= 1;
        }
    }

    /// The hits, best first; the scratch left clean for the next search.
    fn finish(self, sc: &mut Scratch) -> Vec<Hit> {
        for &e in &sc.touched {
            sc.state[e as usize] = St::default();
            // (a met entry is a touched one: this clears the bit set)
            sc.met[e as usize / 64] = 0;
        }
        sc.touched.clear();
        for &(t, _) in &self.distinct {
            sc.qcnt[t as usize] = 0;
            sc.qmask_clear(t);
        }
        for b in sc.buckets.iter_mut() {
            b.clear();
        }
        self.top.into_sorted()
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
    /// What this search knows of each entry (all zero between searches:
    /// the entries met are reset through `touched`).
    state: Vec<St>,
    touched: Vec<u32>,
    /// Bit set of the entries met and not ruled out (128 KiB a million;
    /// zero between searches).
    met: Vec<u64>,
    /// Query token counts, by token id (zero outside a search).
    qcnt: Vec<u32>,
    /// Bit set of the query's tokens (small: stays in cache).
    qmask: Vec<u64>,
    undo: Vec<u32>,
    /// Candidates of one posting list: (entry, positional bound, length).
    cand: Vec<(u32, u32, u32)>,
    /// Positions in a posting list of the entries met before.
    kept: Vec<u32>,
    /// Candidates by score bound: (entry, how refined the bound is).
    buckets: Vec<Vec<(u32, u8)>>,
    row: Vec<u32>,
}

/// What a search knows of one entry, in a byte (one access per posting;
/// a million entries fit in a megabyte): the query positions it matched in
/// the lists read so far (5 bits, saturating: a saturated count rules
/// nothing out), and whether it is ruled out, a candidate already, or
/// found with the query's words by hash.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct St(u8);

impl St {
    const ACC_MAX: u8 = 0x1F;
    const DEAD: u8 = 1 << 5;
    const CANDIDATE: u8 = 1 << 6;
    const SAME_WORDS: u8 = 1 << 7;

    fn acc(self) -> u16 {
        (self.0 & Self::ACC_MAX) as u16
    }

    fn is_untouched(self) -> bool {
        self.0 == 0
    }

    fn is_dead(self) -> bool {
        self.0 & Self::DEAD != 0
    }

    fn is_candidate(self) -> bool {
        self.0 & Self::CANDIDATE != 0
    }

    fn is_same_words(self) -> bool {
        self.0 & Self::SAME_WORDS != 0
    }

    fn with(self, flag: u8) -> St {
        St(self.0 | flag)
    }

    /// Met again: `count` more positions matched.
    fn met(self, count: u32) -> St {
        let acc = ((self.0 & Self::ACC_MAX) as u32 + count).min(Self::ACC_MAX as u32) as u8;
        St((self.0 & !Self::ACC_MAX) | acc)
    }
}

/// Bound from the positional filter only.
const LEVEL_POS: u8 = 0;
/// Bound from the signature (or none needed beyond it).
const LEVEL_SIG: u8 = 1;
/// Bound from the exact token overlap.
const LEVEL_EXACT: u8 = 2;

impl Scratch {
    fn begin(&mut self, entries: usize, vocab: usize) {
        if self.state.len() < entries {
            self.state.resize(entries, St::default());
        }
        // zero between searches, like `state` (cleared through `touched`)
        let words = entries / 64 + 1;
        if self.met.len() < words {
            self.met.resize(words, 0);
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
    }

    fn is_met(&self, e: usize) -> bool {
        self.met[e / 64] & (1u64 << (e % 64)) != 0
    }

    fn mark_met(&mut self, e: usize) {
        self.met[e / 64] |= 1u64 << (e % 64);
    }

    fn unmet(&mut self, e: usize) {
        self.met[e / 64] &= !(1u64 << (e % 64));
    }

    fn get(&self, e: usize) -> St {
        self.state[e]
    }

    fn set(&mut self, e: usize, st: St) {
        self.state[e] = st;
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

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
use crate::segment::Segment;
use polytm_core::error::Result;
use polytm_text::lang::Lang;

/// What reads stored segments: called with each segment and the indices
/// of its current entries.
pub type SegmentVisitor<'a> = dyn FnMut(&Segment, &mut dyn Iterator<Item = usize>) + 'a;

/// The in-memory index of one language of one TM.
#[derive(Debug)]
pub struct LangIndex {
    pub lang: Lang,
    vocab: FxHashMap<compact_str::CompactString, u32>,
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
    /// Prefix posting lists (see `build`), and for each posting how many of
    /// the entry's tokens are rarer than this one (capped at 255).
    pre_off: Vec<u32>,
    pre: Vec<u32>,
    pre_rank: Vec<u8>,
    /// (hash of the entry's word ids, entry), sorted.
    word_hash: Vec<(u64, u32)>,
    /// Per entry, a 128-bit signature of its tokens ([`sig_bit`]).
    sigs: Vec<[u64; SIG_WORDS]>,
    /// Built for lookups only (no prefix lists, signatures, word hashes).
    lookup_only: bool,
}

/// The lowest threshold the prefix lists serve; below it the full lists
/// are read.
const PREFIX_MIN: u8 = 50;

const SIG_WORDS: usize = 2;
const SIG_BITS: usize = SIG_WORDS * 64;

/// How many candidates ahead their signature is fetched.
const PREFETCH: usize = 16;

/// Ask the processor to bring `r` into the cache (no effect elsewhere than
/// on x86-64).
#[inline(always)]
fn prefetch<T>(r: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is a hint; it reads nothing and cannot fault, and
    // `r` is a valid reference anyway.
    unsafe {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        _mm_prefetch::<_MM_HINT_T0>(r as *const T as *const i8);
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = r;
}

/// The signature bit of a token.
fn sig_bit(t: u32) -> usize {
    (t.wrapping_mul(0x9E37_79B1) >> 25) as usize % SIG_BITS
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
    /// Candidates whose signature was checked.
    pub signed: usize,
    /// Candidates whose exact overlap was computed.
    pub bounded: usize,
    pub verified: usize,
    pub stages: usize,
}

impl LangIndex {
    /// Build the index of `lang` from stored segments: `read` calls its
    /// argument with each segment and the indices of its current entries
    /// (a store's `for_each_index_segment`).
    pub fn load(
        lang: &Lang,
        read: impl FnOnce(&mut SegmentVisitor) -> Result<()>,
    ) -> Result<LangIndex> {
        LangIndex::load_with(lang, true, read)
    }

    /// Load only what lookups by token need (vocabulary, entries, full
    /// posting lists), not the fuzzy-search structures: for concordance.
    pub fn load_for_lookup(
        lang: &Lang,
        read: impl FnOnce(&mut SegmentVisitor) -> Result<()>,
    ) -> Result<LangIndex> {
        LangIndex::load_with(lang, false, read)
    }

    fn load_with(
        lang: &Lang,
        fuzzy: bool,
        read: impl FnOnce(&mut SegmentVisitor) -> Result<()>,
    ) -> Result<LangIndex> {
        let mut ix = LangIndex::empty(lang);
        ix.lookup_only = !fuzzy;
        let mut raw_units = Vec::new();
        let mut raw_rec = Vec::new();
        let mut raw_hash = Vec::new();
        let mut raw_off: Vec<u32> = vec![0];
        let mut raw_toks: Vec<u32> = Vec::new();
        let mut map: Vec<u32> = Vec::new();
        read(
            &mut |seg: &Segment, entries: &mut dyn Iterator<Item = usize>| {
                map.clear();
                map.extend(seg.keys.iter().map(|k| ix.intern(k)));
                for i in entries {
                    raw_units.push(seg.units[i]);
                    raw_rec.push(seg.recency[i]);
                    raw_hash.push(seg.hashes[i]);
                    raw_toks.extend(seg.tokens(i).iter().map(|&t| map[t as usize]));
                    raw_off.push(raw_toks.len() as u32);
                }
            },
        )?;
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
        let mut scanner = polytm_text::tokenize::KeyScanner::default();
        for (unit, rec, text) in entries {
            let before = t.len();
            scanner.keys(text, lang, |_, key| {
                let id = ix.intern(key);
                t.push(id);
            });
            if t.len() == before {
                continue;
            }
            u.push(unit);
            r.push(rec);
            h.push(score::text_hash(text));
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
            pre_off: vec![0],
            pre: Vec::new(),
            pre_rank: Vec::new(),
            word_hash: Vec::new(),
            sigs: Vec::new(),
            lookup_only: false,
        }
    }

    fn intern(&mut self, key: &str) -> u32 {
        if let Some(&id) = self.vocab.get(key) {
            return id;
        }
        let id = self.keys.len() as u32;
        self.keys.push(key.into());
        self.vocab.insert(compact_str::CompactString::new(key), id);
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
        drop(next);
        if self.lookup_only {
            return;
        }
        // Prefix postings (PPJoin): rank each entry's tokens rarest first
        // (list length, then id) and keep only those that can be the rarest
        // token it shares with a query it scores >= PREFIX_MIN against.
        let df: Vec<u32> = (0..v)
            .map(|t| self.post_off[t + 1] - self.post_off[t])
            .collect();
        // ranks[k]: for the first occurrence of a token within the entry's
        // prefix, its rank; NOT_PREFIX otherwise (entries ranked in parallel)
        const NOT_PREFIX: u8 = u8::MAX;
        let ranks: Vec<u8> = {
            use rayon::prelude::*;
            let chunk = 4096;
            (0..n.div_ceil(chunk))
                .into_par_iter()
                .map(|c| {
                    let (from, to) = (c * chunk, ((c + 1) * chunk).min(n));
                    let base = self.offsets[from] as usize;
                    let mut out = vec![NOT_PREFIX; self.offsets[to] as usize - base];
                    let mut sorted: Vec<u64> = Vec::new();
                    for e in from..to {
                        let (a, b) = (self.offsets[e] as usize, self.offsets[e + 1] as usize);
                        let keep = (b - a) - min_overlap(b - a, PREFIX_MIN);
                        sorted.clear();
                        sorted.extend(
                            (a..b).map(|k| ((df[self.toks[k] as usize] as u64) << 32) | k as u64),
                        );
                        sorted.sort_unstable_by_key(|&x| {
                            (x >> 32, self.toks[(x & 0xFFFF_FFFF) as usize])
                        });
                        let mut prev = u32::MAX;
                        for (rank, &x) in sorted.iter().enumerate().take(keep + 1) {
                            let k = (x & 0xFFFF_FFFF) as usize;
                            let t = self.toks[k];
                            if t != prev {
                                out[k - base] = rank.min(254) as u8;
                                prev = t;
                            }
                        }
                    }
                    out
                })
                .collect::<Vec<_>>()
                .concat()
        };
        let mut pcount = vec![0u32; v + 1];
        for (k, &r) in ranks.iter().enumerate() {
            if r != NOT_PREFIX {
                pcount[self.toks[k] as usize + 1] += 1;
            }
        }
        for t in 1..=v {
            pcount[t] += pcount[t - 1];
        }
        self.pre_off = pcount.clone();
        self.pre = vec![0u32; pcount[v] as usize];
        self.pre_rank = vec![0u8; pcount[v] as usize];
        for e in 0..n {
            let (a, b) = (self.offsets[e] as usize, self.offsets[e + 1] as usize);
            for (k, &r) in ranks.iter().enumerate().take(b).skip(a) {
                if r != NOT_PREFIX {
                    let t = self.toks[k] as usize;
                    let at = pcount[t] as usize;
                    self.pre[at] = e as u32;
                    self.pre_rank[at] = r;
                    pcount[t] += 1;
                }
            }
        }
        drop(ranks);
        self.sigs = (0..n)
            .map(|e| {
                let mut sig = [0u64; SIG_WORDS];
                for &t in self.entry(e) {
                    let b = sig_bit(t);
                    sig[b / 64] |= 1 << (b % 64);
                }
                sig
            })
            .collect();
        // Entries by the hash of their words (punctuation left out): the
        // candidates for 98..100 ("the same words"), found by lookup.
        let mut buf: Vec<u8> = Vec::new();
        let mut wh: Vec<(u64, u32)> = Vec::with_capacity(n);
        for e in 0..n {
            buf.clear();
            for &t in self.entry(e) {
                if !self.punct[t as usize] {
                    buf.extend_from_slice(&t.to_le_bytes());
                }
            }
            if !buf.is_empty() {
                wh.push((xxhash_rust::xxh3::xxh3_64(&buf), e as u32));
            }
        }
        wh.sort_unstable();
        self.word_hash = wh;
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
            + self.pre.len() * 5
            + self.pre_off.len() * 4
            + self.word_hash.len() * 16
            + self.sigs.len() * SIG_WORDS * 8
            + self.keys.iter().map(|k| k.len() + 40).sum::<usize>()
    }

    fn entry(&self, e: usize) -> &[u32] {
        &self.toks[self.offsets[e] as usize..self.offsets[e + 1] as usize]
    }

    fn postings(&self, t: u32) -> &[u32] {
        &self.post[self.post_off[t as usize] as usize..self.post_off[t as usize + 1] as usize]
    }

    /// The prefix list of a token, with ranks.
    fn prefix(&self, t: u32) -> (&[u32], &[u8]) {
        let (a, b) = (
            self.pre_off[t as usize] as usize,
            self.pre_off[t as usize + 1] as usize,
        );
        (&self.pre[a..b], &self.pre_rank[a..b])
    }

    fn df(&self, t: u32) -> usize {
        (self.post_off[t as usize + 1] - self.post_off[t as usize]) as usize
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

    /// Every token of the vocabulary: (id, key).
    pub fn vocab_keys(&self) -> impl Iterator<Item = (u32, &str)> {
        self.keys.iter().enumerate().map(|(i, k)| (i as u32, &**k))
    }

    /// The entries holding token `t` (ascending entry numbers).
    pub fn entries_with(&self, t: u32) -> &[u32] {
        if (t as usize) < self.keys.len() {
            self.postings(t)
        } else {
            &[]
        }
    }

    /// Unit and recency of an entry.
    pub fn entry_unit(&self, e: u32) -> (i64, i64) {
        (self.units[e as usize], self.recency[e as usize])
    }

    /// Token id of a key, if the index knows it.
    pub fn token_id(&self, key: &str) -> Option<u32> {
        self.vocab.get(key).copied()
    }

    /// Prepare a query: tokens the index does not know get ids of their
    /// own (distinct keys, distinct ids) that match nothing.
    pub fn prepare(&self, text: &str) -> Query {
        let toks = polytm_text::tokenize(text, &self.lang);
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
                let ow = sc.undo.iter().filter(|&&t| !self.punct[t as usize]).count();
                let sw = toks.iter().filter(|&&t| !self.punct[t as usize]).count();
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
            let from = self.word_hash.partition_point(|&(x, _)| x < h);
            for &(x, e) in &self.word_hash[from..] {
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
fn gallop_back(pl: &[u32], from: usize, bound: usize) -> usize {
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
fn gallop_forward(pl: &[u32], from: usize, bound: usize) -> usize {
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
    fn zipfian_fixtures_agree_with_the_scan() {
        // 300 words, word i about 1/(i+1) as frequent: a few very common
        // tokens, many rare ones, long and short segments, duplicates
        let vocab: Vec<String> = (0..300)
            .map(|i| match i % 17 {
                0 => ",".to_string(),
                1 => ".".to_string(),
                _ => format!("w{i}"),
            })
            .collect();
        let mut x: u64 = 0x1234_5678_9ABC_DEF1;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let harmonic: f64 = (1..=vocab.len()).map(|i| 1.0 / i as f64).sum();
        let word = |r: u64| -> &str {
            let mut u = (r % 1_000_000) as f64 / 1_000_000.0 * harmonic;
            for (i, w) in vocab.iter().enumerate() {
                u -= 1.0 / (i + 1) as f64;
                if u <= 0.0 {
                    return w;
                }
            }
            &vocab[0]
        };
        let mut texts: Vec<String> = Vec::new();
        for i in 0..500 {
            if i % 7 == 0 && !texts.is_empty() {
                // a near copy of an earlier one
                let j = (next() % texts.len() as u64) as usize;
                let mut t: Vec<String> = texts[j].split(' ').map(String::from).collect();
                let k = (next() % t.len() as u64) as usize;
                t[k] = word(next()).to_string();
                texts.push(t.join(" "));
                continue;
            }
            let n = 1 + next() % 40;
            let t: Vec<&str> = (0..n).map(|_| word(next())).collect();
            texts.push(t.join(" "));
        }
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let index = ix("en", &refs);
        for i in 0..40 {
            let q = if i % 2 == 0 {
                let j = (next() % texts.len() as u64) as usize;
                let mut t: Vec<String> = texts[j].split(' ').map(String::from).collect();
                let k = (next() % t.len() as u64) as usize;
                t[k] = word(next()).to_string();
                if i % 4 == 0 {
                    t.push(",".into());
                }
                t.join(" ")
            } else {
                let n = 1 + next() % 40;
                (0..n).map(|_| word(next())).collect::<Vec<_>>().join(" ")
            };
            for min in [1u8, 50, 75, 98] {
                for k in [1usize, 5] {
                    let (a, b) = both(&index, &q, min, k);
                    assert_eq!(a, b, "q={q} min={min} k={k}");
                }
            }
        }
    }

    #[test]
    fn galloping_finds_the_same_boundaries() {
        let pl: Vec<u32> = (0..200).map(|i| i * 3).collect();
        for bound in 0..650usize {
            let want = pl.partition_point(|&e| (e as usize) < bound);
            for from in want..=pl.len() {
                assert_eq!(gallop_back(&pl, from, bound), want, "back {from} {bound}");
            }
            for from in 0..=want {
                assert_eq!(gallop_forward(&pl, from, bound), want, "fwd {from} {bound}");
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

//! Candidate retrieval: the inverted index of one language and the top-K
//! search over it that never misses a unit scoring at or above the
//! threshold.
//!
//! An index is built in memory ([`build`]: from a store's segments or from
//! texts) or opened from a file written earlier ([`file`]), which is
//! memory-mapped and read in place: opening a million-unit index costs a
//! few page faults, not a rebuild. The search code sees the same slices
//! either way ([`section`]). [`TmIndex`] puts a large index from a file
//! and a small one of the units changed since together.
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
//! tokens' long lists are never read. Three refinements keep the candidates
//! few where a TM holds many near-duplicates:
//!
//! - **l-prefixes** (AdaptJoin): with the query's prefix `ELL − 1` tokens
//!   longer, and prefix lists of segments made `ELL − 1` tokens longer, a
//!   segment that can reach `t` is met in at least `ELL` of the lists read
//!   (when ⌈t·n/100⌉ ≥ `ELL`): segments met in fewer are no candidates.
//! - **positions, accumulated** (PPJoin): a segment met in the list of the
//!   query's k-th rarest token, after matching `a` query positions in the
//!   lists before, can share at most `a` + the tokens after this one in
//!   both; when that is too few it is ruled out for good.
//! - **new only if short**: a segment met first in a list late in the
//!   query's order can share only the query's remaining tokens, too few
//!   for a long segment: the long part of such a list is checked only for
//!   segments met before (a bit per segment, in cache).
//!
//! Each candidate gets an upper bound from its 256-bit token signature,
//! then from its exact token overlap (`max(n, L) − shared` ≤ distance), and
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

mod build;
pub mod file;
mod search;
mod section;
mod tm;

use rustc_hash::FxHashMap;

use crate::score::{self, Seg, is_punct_key};
use crate::segment::Segment;
use polytm_text::lang::Lang;
use section::Section;

pub use tm::TmIndex;

/// What reads stored segments: called with each segment and the indices
/// of its current entries.
pub type SegmentVisitor<'a> = dyn FnMut(&Segment, &mut dyn Iterator<Item = usize>) + 'a;

/// The index of one language of one TM.
#[derive(Debug)]
pub struct LangIndex {
    pub lang: Lang,
    /// Token keys, sorted (a token's id is its place in this order): key
    /// `t` is `key_bytes[key_off[t]..key_off[t + 1]]`.
    key_off: Section<u32>,
    key_bytes: Section<u8>,
    /// 1 for a punctuation token.
    punct: Section<u8>,
    /// Entries (variants), ordered by token count, then as read.
    units: Section<i64>,
    recency: Section<i64>,
    hashes: Section<u64>,
    offsets: Section<u32>,
    toks: Section<u32>,
    /// `len_start[L]` = first entry with at least `L` tokens.
    len_start: Section<u32>,
    /// Posting lists: entries (ascending) holding each token.
    post_off: Section<u32>,
    post: Section<u32>,
    /// Prefix posting lists (see `build`), and for each posting how many of
    /// the entry's tokens are rarer than this one (capped at 255).
    pre_off: Section<u32>,
    pre: Section<u32>,
    pre_rank: Section<u8>,
    /// Hashes of the entries' word ids, sorted, with their entries.
    wh_hash: Section<u64>,
    wh_entry: Section<u32>,
    /// Per entry, a 128-bit signature of its tokens ([`sig_bit`]).
    sigs: Section<[u64; SIG_WORDS]>,
    /// Built for lookups only (no prefix lists, signatures, word hashes).
    lookup_only: bool,
}

/// The lowest threshold the prefix lists serve; below it the full lists
/// are read.
const PREFIX_MIN: u8 = 50;

/// How many tokens of their prefixes a query and a segment that can reach
/// the threshold share at least (AdaptJoin's l-prefix scheme): the prefix
/// lists are made `ELL - 1` tokens longer than the shortest lossless ones.
/// A longer prefix means more postings to read, but most of the added ones
/// are only tested against the bit set of entries met before, and fewer
/// candidates are left to bound: on the 1M TM of joined real-segment pairs
/// 4 reads 99,659 postings a query (63,482 of them a bit test) for 600
/// candidates, against 67,064 for 1,175 with 3, and searches 10–17 %
/// faster (5 is slower again: 143,872 postings for 328 candidates).
const ELL: u16 = 4;

const SIG_WORDS: usize = 4;
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
    // the top bits of a multiplicative hash (SIG_BITS is a power of two)
    (t.wrapping_mul(0x9E37_79B1) >> (32 - SIG_BITS.trailing_zeros())) as usize
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
    /// Postings of entries too long to be met first there, skipped by a
    /// bit test.
    pub skipped: usize,
    pub candidates: usize,
    /// Candidates whose signature was checked.
    pub signed: usize,
    /// Candidates whose exact overlap was computed.
    pub bounded: usize,
    pub verified: usize,
    pub stages: usize,
    /// Time reading posting lists (with the candidates' signatures).
    pub scan_time: std::time::Duration,
    /// Time bounding and verifying candidates, the caller's `accept`
    /// included.
    pub verify_time: std::time::Duration,
    /// Time in the caller's `accept` (for `polytm`: reading the
    /// proposal's unit from the store).
    pub accept_time: std::time::Duration,
}

impl LangIndex {
    /// Number of entries (variants indexed).
    pub fn len(&self) -> usize {
        self.units.len()
    }

    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    /// Number of distinct tokens.
    pub fn vocabulary(&self) -> usize {
        self.key_off.len() - 1
    }

    /// The key of token `t`.
    fn key(&self, t: u32) -> &str {
        let (a, b) = (
            self.key_off[t as usize] as usize,
            self.key_off[t as usize + 1] as usize,
        );
        // Keys are UTF-8 (checked when a file is opened) and cut at their
        // own boundaries.
        std::str::from_utf8(&self.key_bytes[a..b]).unwrap_or("\u{FFFD}")
    }

    /// Bytes of the index's arrays.
    pub fn memory(&self) -> usize {
        self.sections().iter().map(|s| s.len()).sum()
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
                let keys: Vec<&str> = self.entry(e).iter().map(|&t| self.key(t)).collect();
                (self.units[e], self.recency[e], keys.join(" "))
            })
            .collect();
        v.sort();
        v
    }

    /// Every token of the vocabulary: (id, key).
    pub fn vocab_keys(&self) -> impl Iterator<Item = (u32, &str)> {
        (0..self.vocabulary() as u32).map(|t| (t, self.key(t)))
    }

    /// The entries holding token `t` (ascending entry numbers).
    pub fn entries_with(&self, t: u32) -> &[u32] {
        if (t as usize) < self.vocabulary() {
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
        // keys are numbered in sorted order
        let (mut lo, mut hi) = (0u32, self.vocabulary() as u32);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self.key(mid).as_bytes().cmp(key.as_bytes()) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(mid),
            }
        }
        None
    }

    /// Prepare a query: tokens the index does not know get ids of their
    /// own (distinct keys, distinct ids) that match nothing.
    pub fn prepare(&self, text: &str) -> Query {
        let toks = polytm_text::tokenize(text, &self.lang);
        let mut unknown: FxHashMap<&str, u32> = FxHashMap::default();
        let base = self.vocabulary() as u32;
        let mut ids = Vec::with_capacity(toks.len());
        let mut words = Vec::new();
        for t in &toks {
            let id = match self.token_id(&t.key) {
                Some(id) => id,
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
        let base = self.vocabulary() as u32;
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
                self.punct[t as usize] != 0
            } else {
                unknown_punct.contains(&t)
            }
        }
    }

    /// Every array, as bytes (in the order a file holds them).
    fn sections(&self) -> [&[u8]; 17] {
        [
            self.key_off.bytes(),
            self.key_bytes.bytes(),
            self.punct.bytes(),
            self.units.bytes(),
            self.recency.bytes(),
            self.hashes.bytes(),
            self.offsets.bytes(),
            self.toks.bytes(),
            self.len_start.bytes(),
            self.post_off.bytes(),
            self.post.bytes(),
            self.pre_off.bytes(),
            self.pre.bytes(),
            self.pre_rank.bytes(),
            self.wh_hash.bytes(),
            self.wh_entry.bytes(),
            self.sigs.bytes(),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::search::{gallop_back, gallop_forward};
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

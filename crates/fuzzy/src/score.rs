//! Fuzzy-match percentages, comparable with CAT tools.
//!
//! Both segments are tokenised by [`polytm_text::tokenize`] (words, numbers
//! and punctuation marks for English/Russian, one token per Han character
//! plus Latin/digit runs for Chinese, placeholders and inline tags as one
//! token each; keys case- and width-folded). Tokens are interned to `u32`
//! ids, so comparing two tokens is comparing two integers.
//!
//! The score of a TM source `s` for a query `q`:
//!
//! | score | when |
//! |---|---|
//! | 100 | the texts are identical (after Unicode NFC) |
//! | 99  | the same tokens: they differ only in case, width (full-/half-width), spacing or invisible characters |
//! | 98  | the same words, numbers, placeholders and tags in the same order: they differ only in punctuation (and possibly case/spacing) |
//! | ≤ 97 | `floor(100 × (1 − d / max(|q|, |s|)))`, where `d` is the token edit distance (insertions, deletions, substitutions, each costing 1) — capped at 97 so that 98–100 keep their meaning |
//!
//! Percentages are rounded down, never up: a 199-token segment with one
//! token changed scores 97 (99.49 → 99, capped), never 100. Rule 98 needs at
//! least one word in the query (a query of punctuation marks only is
//! scored by edit distance).
//!
//! A threshold `t` (≤ 97) on the edit-distance rule is a bound on the
//! distance: score ≥ t ⇔ d ≤ [`max_distance`]`(max(|q|,|s|), t)`. The
//! matcher computes the distance with [`distance_within`], a banded
//! (Ukkonen) dynamic programme that gives up as soon as the bound is out of
//! reach.

/// The highest score a segment that really differs (in words) can get.
pub const MAX_FUZZY: u8 = 97;
/// Identical tokens, different case/width/spacing.
pub const SCORE_FORMATTING: u8 = 99;
/// Identical words, different punctuation.
pub const SCORE_PUNCTUATION: u8 = 98;

/// Is this (folded) token key a punctuation mark or symbol? One character
/// that is neither a letter, a digit, a Han character nor `_`.
pub fn is_punct_key(key: &str) -> bool {
    let mut it = key.chars();
    match (it.next(), it.next()) {
        (Some(c), None) => !c.is_alphanumeric() && c != '_',
        _ => false,
    }
}

/// The edit-distance score for distance `d` between segments whose longer
/// one has `m` tokens: `min(97, floor(100 × (m − d) / m))`.
pub fn edit_score(d: usize, m: usize) -> u8 {
    if m == 0 {
        return MAX_FUZZY;
    }
    let d = d.min(m);
    let s = (100 * (m - d)) / m;
    (s as u8).min(MAX_FUZZY)
}

/// The largest edit distance that still scores ≥ `t` when the longer
/// segment has `m` tokens: `floor(m × (100 − t) / 100)`. Only meaningful
/// for `t ≤ 97`.
pub fn max_distance(m: usize, t: u8) -> usize {
    m * (100 - t.min(100) as usize) / 100
}

/// Lengths `L` a segment may have to score ≥ `t` (≤ 97) against a query of
/// `n` tokens: `n − max_distance(n, t) ..= floor(100 n / t)`.
pub fn length_window(n: usize, t: u8) -> (usize, usize) {
    let lo = n - max_distance(n, t);
    let hi = if t == 0 {
        usize::MAX
    } else {
        100 * n / t as usize
    };
    (lo, hi)
}

/// The fewest tokens (counted with multiplicity) a segment must share with
/// a query of `n` tokens to score ≥ `t` (≤ 97) under the edit-distance rule:
/// `ceil(t n / 100)`. (Edit distance ≥ max(n, L) − shared.)
pub fn min_overlap(n: usize, t: u8) -> usize {
    (t as usize * n).div_ceil(100)
}

/// Levenshtein distance of `a` and `b` if it is at most `k`, else `None`.
///
/// Ukkonen's band: only cells with `|i − j| ≤ k` are computed, and the run
/// stops as soon as a whole row exceeds `k`. `row` is scratch space, reused
/// between calls.
pub fn distance_within<T: PartialEq>(
    a: &[T],
    b: &[T],
    k: usize,
    row: &mut Vec<u32>,
) -> Option<usize> {
    let (n, m) = (a.len(), b.len());
    if n.abs_diff(m) > k {
        return None;
    }
    if n == 0 || m == 0 {
        return Some(n.max(m));
    }
    // Common prefix and suffix cost nothing and shrink the table.
    let pre = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[pre..], &b[pre..]);
    let suf = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a, b) = (&a[..a.len() - suf], &b[..b.len() - suf]);
    let (n, m) = (a.len(), b.len());
    if n == 0 || m == 0 {
        return Some(n.max(m));
    }
    let inf = (k + 1) as u32;
    let kk = k as u32;
    row.clear();
    // row[j] = D(i, j); outside the band the value is "more than k".
    row.extend((0..=m).map(|j| (j as u32).min(inf)));
    for i in 1..=n {
        let lo = i.saturating_sub(k).max(1);
        let hi = (i + k).min(m);
        // D(i, lo - 1): column 0 is i, or outside the band on the left.
        let mut diag = row[lo - 1]; // D(i-1, lo-1)
        let mut left = if lo == 1 { (i as u32).min(inf) } else { inf };
        row[lo - 1] = left;
        let ai = &a[i - 1];
        let mut best = left;
        for j in lo..=hi {
            let up = row[j]; // D(i-1, j), inf when j = i + k (outside the old band)
            let up = if j + 1 > i + k { inf } else { up };
            let cost = if *ai == b[j - 1] { diag } else { diag + 1 };
            let v = cost.min(up + 1).min(left + 1).min(inf);
            diag = up;
            row[j] = v;
            left = v;
            best = best.min(v);
        }
        if hi < m {
            row[hi + 1] = inf;
        }
        if best > kk {
            return None;
        }
    }
    let d = row[m];
    (d <= kk).then_some(d as usize)
}

/// A segment as the scorer sees it: interned token ids, and the hash of its
/// NFC text (to tell "identical" from "the same tokens").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Seg {
    pub toks: Vec<u32>,
    pub text_hash: u64,
}

/// Hash of a text for the "identical" rule: xxh3 of its NFC form.
pub fn text_hash(text: &str) -> u64 {
    if text.is_ascii() {
        return xxhash_rust::xxh3::xxh3_64(text.as_bytes()); // ASCII is NFC
    }
    xxhash_rust::xxh3::xxh3_64(polytm_text::nfc(text).as_bytes())
}

/// The score of `s` against the query `q`, if it is at least `min`.
///
/// `q_words` are the query's tokens that are not punctuation (precomputed
/// once per query), `punct(id)` tells whether a token id is punctuation.
pub fn score<P: Fn(u32) -> bool>(
    q: &Seg,
    q_words: &[u32],
    s_toks: &[u32],
    s_hash: u64,
    min: u8,
    punct: &P,
    row: &mut Vec<u32>,
) -> Option<u8> {
    if q.toks == s_toks {
        let sc = if q.text_hash == s_hash {
            100
        } else {
            SCORE_FORMATTING
        };
        return (sc >= min).then_some(sc);
    }
    if !q_words.is_empty() && min <= SCORE_PUNCTUATION {
        let mut w = s_toks.iter().filter(|&&t| !punct(t));
        if q_words.iter().all(|x| w.next() == Some(x)) && w.next().is_none() {
            return Some(SCORE_PUNCTUATION);
        }
    }
    if min > MAX_FUZZY {
        return None;
    }
    let m = q.toks.len().max(s_toks.len());
    let k = max_distance(m, min);
    let d = distance_within(&q.toks, s_toks, k, row)?;
    Some(edit_score(d, m))
}

/// The score of two segments with no threshold (for tests and tools).
pub fn score_any<P: Fn(u32) -> bool>(q: &Seg, s: &Seg, punct: &P) -> u8 {
    let words: Vec<u32> = q.toks.iter().copied().filter(|&t| !punct(t)).collect();
    let mut row = Vec::new();
    score(q, &words, &s.toks, s.text_hash, 0, punct, &mut row).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use polytm_text::lang::Lang;
    use std::collections::HashMap;

    /// A tiny interner for tests.
    #[derive(Default)]
    struct Vocab {
        ids: HashMap<String, u32>,
        punct: Vec<bool>,
    }

    impl Vocab {
        fn seg(&mut self, text: &str, lang: &Lang) -> Seg {
            let toks = polytm_text::tokenize(text, lang)
                .into_iter()
                .map(|t| {
                    let n = self.ids.len() as u32;
                    let id = *self.ids.entry(t.key.clone()).or_insert(n);
                    if id == n {
                        self.punct.push(is_punct_key(&t.key));
                    }
                    id
                })
                .collect();
            Seg {
                toks,
                text_hash: text_hash(text),
            }
        }
        fn score(&mut self, q: &str, s: &str, lang: &str) -> u8 {
            let lang = Lang::parse(lang).unwrap();
            let q = self.seg(q, &lang);
            let s = self.seg(s, &lang);
            let p = self.punct.clone();
            score_any(&q, &s, &|t| p[t as usize])
        }
    }

    fn sc(q: &str, s: &str, lang: &str) -> u8 {
        Vocab::default().score(q, s, lang)
    }

    #[test]
    fn identical_only_is_100() {
        assert_eq!(sc("Delete the file.", "Delete the file.", "en"), 100);
        // NFC-equal is identical
        assert_eq!(sc("Мой", "Мои\u{306}", "ru"), 100);
        assert_eq!(sc("delete the file.", "Delete the file.", "en"), 99);
        assert_eq!(sc("Delete  the file.", "Delete the file.", "en"), 99);
        assert_eq!(sc("Delete the file. ", "Delete the file.", "en"), 99);
        assert_eq!(sc("ＳＣＯ ２０１８", "SCO 2018", "en"), 99);
        assert_eq!(sc("Delete the file?", "Delete the file.", "en"), 98);
        assert_eq!(sc("Delete, the file", "Delete the file.", "en"), 98);
        assert_eq!(sc("上海合作组织。", "上海合作组织", "zh"), 98);
        // a query of punctuation only is scored by distance
        assert_eq!(sc("...", "..", "en"), 66);
    }

    #[test]
    fn edit_distance_percentages() {
        // 10 tokens, one substituted: 90
        assert_eq!(
            sc(
                "On 17 May 2018 , Tianjin hosted the 8th Meeting",
                "On 17 May 2019 , Tianjin hosted the 8th Meeting",
                "en"
            ),
            90
        );
        // one inserted into 4: max length 5 → 80
        assert_eq!(sc("Delete the file.", "Delete the old file.", "en"), 80);
        // Chinese: per character
        assert_eq!(sc("上海合作组织秘书处", "上海合作组织", "zh"), 66);
        // long segment with one word changed never reaches 98..100
        let long: Vec<String> = (0..199).map(|i| format!("w{i}")).collect();
        let mut other = long.clone();
        other[5] = "changed".into();
        assert_eq!(sc(&long.join(" "), &other.join(" "), "en"), MAX_FUZZY);
        assert_eq!(sc("a b c d", "e f g h", "en"), 0);
    }

    #[test]
    fn rounding_is_down() {
        // 3 tokens, 1 changed: 66.67 → 66
        assert_eq!(edit_score(1, 3), 66);
        assert_eq!(edit_score(2, 3), 33);
        assert_eq!(edit_score(0, 3), MAX_FUZZY);
        assert_eq!(edit_score(1, 200), MAX_FUZZY);
        assert_eq!(edit_score(7, 7), 0);
    }

    #[test]
    fn threshold_bounds_are_exact() {
        for m in 1..120usize {
            for t in 1..=97u8 {
                let k = max_distance(m, t);
                for d in 0..=m {
                    assert_eq!(edit_score(d, m) >= t, d <= k, "m={m} t={t} d={d}");
                }
            }
        }
        for n in 1..60usize {
            for t in 1..=97u8 {
                let (lo, hi) = length_window(n, t);
                let need = min_overlap(n, t);
                for l in 0..200usize {
                    let m = n.max(l);
                    // the best case: distance = |n - l|
                    let possible = n.abs_diff(l) <= max_distance(m, t);
                    assert_eq!(possible, (lo..=hi).contains(&l), "n={n} t={t} l={l}");
                    if possible {
                        // overlap needed at length l is at least the global minimum
                        assert!(m - max_distance(m, t) >= need, "n={n} t={t} l={l}");
                    }
                }
            }
        }
    }

    #[test]
    fn banded_distance_agrees_with_strsim() {
        // deterministic pseudo-random sequences over a small alphabet
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut row = Vec::new();
        for _ in 0..3000 {
            let n = (next() % 14) as usize;
            let m = (next() % 14) as usize;
            let alpha = 1 + next() % 5;
            let a: Vec<u32> = (0..n).map(|_| (next() % alpha) as u32).collect();
            let b: Vec<u32> = (0..m).map(|_| (next() % alpha) as u32).collect();
            let exact = strsim::generic_levenshtein(&a, &b);
            for k in 0..16 {
                let got = distance_within(&a, &b, k, &mut row);
                let want = (exact <= k).then_some(exact);
                assert_eq!(got, want, "a={a:?} b={b:?} k={k}");
            }
        }
    }

    #[test]
    fn punctuation_keys() {
        assert!(is_punct_key(","));
        assert!(is_punct_key("。"));
        assert!(is_punct_key("%"));
        assert!(!is_punct_key("a"));
        assert!(!is_punct_key("上"));
        assert!(!is_punct_key("8"));
        assert!(!is_punct_key("%s"));
        assert!(!is_punct_key("'s"));
        assert!(!is_punct_key("<b>"));
    }
}

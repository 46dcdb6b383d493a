//! The scoring model: how much a bead (a group of sentences on each side)
//! looks like a translation, as a log-likelihood ratio against two
//! unrelated groups, plus the log prior of its shape.
//!
//! **Lexical evidence.** Every token type gets *keys* in a space shared by
//! both languages: numbers (`N:2018`), punctuation classes (`P:?`),
//! Latin words written the same (`L:kavanaugh`), cognates (`C:expe`,
//! same script) and consonant skeletons of transliterated words
//! (`S:trm` for *Трамп*/*Trump*), pinyin of Chinese names (`Y:qingyang`),
//! glossary concepts (`G:17`) and lexicon translations (`W:studi`, a
//! B-side form: the A-side word carries the keys of its translations, the
//! B-side word its own). A token is *covered* by the other side of a bead
//! when one of its keys occurs there.
//!
//! For a token type x, `p` is the chance that its translation shows up in
//! a true bead (learnt per document from the first pass) and `q(n) = 1 −
//! exp(−f·n)` the chance that one of its keys turns up by accident among
//! `n` tokens (`f`: the share of tokens of the other document that carry
//! one of its keys). Covered in a true bead with probability `1 − (1 −
//! p)(1 − q)`, in an unrelated one with probability `q`, so
//!
//! - covered: `ln(1 − (1−p)(1−q)) − ln q` (large for rare words),
//! - not covered: `ln(1 − p)`.
//!
//! **Length.** Gale and Church's δ = (l_B − c·l_A) / √((c·l_A + l_B)/2)
//! over characters (white space excluded), with the ratio `c` and the
//! variance measured on the document pair; scored against the δ of random
//! sentence pairs.
//!
//! **Shape.** The log prior of the bead type (1-1, 1-2 ... 1-0),
//! re-estimated per document pair.

use std::collections::HashMap;

use super::features::{Kind, Tokenized, skeleton, strip_accents, translit};
use super::lexicon::Lexicon;
use polytm_text::Script;

/// Bead shapes: (sentences of A, sentences of B).
pub const SHAPES: &[(u8, u8)] = &[
    (1, 1),
    (1, 0),
    (0, 1),
    (1, 2),
    (2, 1),
    (2, 2),
    (1, 3),
    (3, 1),
    (2, 3),
    (3, 2),
    (1, 4),
    (4, 1),
    (3, 3),
    (1, 5),
    (5, 1),
    (2, 4),
    (4, 2),
];

/// Initial prior of each shape, from published corpora (Gale & Church;
/// MAC; Text+Berg): mostly 1-1, merges and splits next, a few omissions.
const PRIOR0: &[f64] = &[
    0.80, 0.012, 0.012, 0.06, 0.04, 0.012, 0.015, 0.006, 0.004, 0.003, 0.005, 0.002, 0.001, 0.0015,
    0.0008, 0.0008, 0.0004,
];

pub const MAX_SHAPE: usize = 5;

/// Positions in a sentence that take part in lexical evidence are below
/// this (tokens, then glossary concepts).
pub const POS_CAP: usize = 512;

/// The evidence of one side of a pair.
#[derive(Debug, Clone, Default)]
pub struct SideModel {
    /// Keys of each type (only keys that occur on the other side).
    pub keys: Vec<Vec<u32>>,
    /// Chance that the type's translation is in a true bead.
    pub p: Vec<f32>,
    /// Its prior value (before learning from the document).
    pub p0: Vec<f32>,
    /// Share of the other side's tokens that carry one of its keys.
    pub f: Vec<f32>,
    /// Per sentence: Σ ln(1 − p) over its tokens.
    pub base: Vec<f64>,
    /// Per sentence: tokens that count (all tokens).
    pub n: Vec<u32>,
    /// Per sentence: tokens with keys (positions in the sentence).
    pub active: Vec<Vec<u16>>,
    /// Gain of a covered token per type and bucket of token counts.
    pub gain_tab: Vec<f32>,
}

/// Which kinds of keys a type got (for its prior `p0`).
#[derive(Default, Clone, Copy)]
struct Sources {
    number: bool,
    punct: Option<f32>,
    lexicon: bool,
    latin: bool,
    cognate: bool,
    pinyin: bool,
    glossary: bool,
}

impl Sources {
    fn p0(&self) -> f32 {
        let mut p: f32 = 0.0;
        if self.number {
            p = p.max(0.85);
        }
        if let Some(x) = self.punct {
            p = p.max(x);
        }
        if self.lexicon {
            p = p.max(0.35);
        }
        if self.latin {
            p = p.max(0.5);
        }
        if self.cognate {
            p = p.max(0.2);
        }
        if self.pinyin {
            p = p.max(0.4);
        }
        if self.glossary {
            p = p.max(0.8);
        }
        p
    }
}

/// Extra keys from outside: glossary concepts found in each sentence.
#[derive(Debug, Clone, Default)]
pub struct Anchors {
    /// Per sentence of A (resp. B): concept ids recognised in it.
    pub a: Vec<Vec<u32>>,
    pub b: Vec<Vec<u32>>,
}

/// The model of one document pair.
#[derive(Debug, Clone)]
pub struct Model {
    pub a: SideModel,
    pub b: SideModel,
    /// Characters of B per character of A.
    pub ratio: f64,
    /// Variance of δ in true beads and between random sentences.
    pub s2: f64,
    pub s2_bg: f64,
    pub log_prior: Vec<f64>,
    /// Weight of the lexical evidence (both directions count the same
    /// links: 0.5 would be one full count).
    pub lex_weight: f64,
    pub len_weight: f64,
    /// Sentences as type ids, glossary concepts appended.
    pub anchor_types: (Vec<Vec<u32>>, Vec<Vec<u32>>),
    /// Sentence lengths in characters (white space excluded).
    pub a_chars: Vec<u32>,
    pub b_chars: Vec<u32>,
    /// Paragraph hints, when both sides have paragraphs.
    pub para: Option<Paragraphs>,
    /// The shapes searched (indices into [`SHAPES`]).
    pub shapes: Vec<usize>,
}

/// Paragraph breaks as evidence: a bead that starts a paragraph on one
/// side should start one on the other, and a paragraph break inside a
/// bead is unlikely. How much this counts is learnt per document pair.
#[derive(Debug, Clone)]
pub struct Paragraphs {
    /// Does sentence i start a paragraph?
    pub a_start: Vec<bool>,
    pub b_start: Vec<bool>,
    /// Log-likelihood ratio of (A starts, B starts) at a bead's start.
    pub llr: [[f64; 2]; 2],
    /// Score of a paragraph break inside a bead.
    pub inside: f64,
}

impl Paragraphs {
    fn new(a: &Tokenized, b: &Tokenized) -> Option<Paragraphs> {
        if a.paragraphs() < 2 || b.paragraphs() < 2 {
            return None;
        }
        let starts = |t: &Tokenized| -> Vec<bool> {
            (0..t.len())
                .map(|i| i == 0 || t.para[i] != t.para[i - 1])
                .collect()
        };
        Some(Paragraphs {
            a_start: starts(a),
            b_start: starts(b),
            llr: [[0.0, -1.0], [-1.0, 1.0]],
            inside: -1.5,
        })
    }

    /// The paragraph score of the bead A[i0..i1] × B[j0..j1].
    #[inline]
    pub fn score(&self, i0: usize, i1: usize, j0: usize, j1: usize) -> f64 {
        let sa = self.a_start[i0] as usize;
        let sb = self.b_start[j0] as usize;
        let inside = self.a_start[i0 + 1..i1].iter().filter(|x| **x).count()
            + self.b_start[j0 + 1..j1].iter().filter(|x| **x).count();
        self.llr[sa][sb] + self.inside * inside as f64
    }
}

/// Interned key strings.
#[derive(Default)]
struct KeySpace {
    ids: HashMap<String, u32>,
}

impl KeySpace {
    fn id(&mut self, k: String) -> u32 {
        let n = self.ids.len() as u32;
        *self.ids.entry(k).or_insert(n)
    }
}

fn punct_p(class: &str) -> f32 {
    match class {
        "?" => 0.8,
        "%" => 0.8,
        "!" => 0.5,
        "\"" => 0.5,
        "(" => 0.5,
        ":" => 0.25,
        _ => 0.25,
    }
}

fn script_of(t: &Tokenized) -> Script {
    t.lang.profile().script
}

/// Is the language written in Latin letters (for cognates)?
fn latin_script(t: &Tokenized) -> bool {
    script_of(t) == Script::Latin
}

fn cyrillic_script(t: &Tokenized) -> bool {
    script_of(t) == Script::Cyrillic
}

impl Model {
    /// Build the keys of both sides. Each lexicon translates A forms to B
    /// forms.
    pub fn new(a: &Tokenized, b: &Tokenized, lexicons: &[&Lexicon], anchors: &Anchors) -> Model {
        let mut ks = KeySpace::default();
        let a_latin = latin_script(a);
        let b_latin = latin_script(b);
        let a_cyr = cyrillic_script(a);
        let b_cyr = cyrillic_script(b);
        let same_script = a_latin && b_latin;
        let cross_script = (a_latin && b_cyr) || (a_cyr && b_latin);
        let a_zh = script_of(a) == Script::Han;
        let b_zh = script_of(b) == Script::Han;
        let mut pin = Lexicon::new();
        for l in lexicons {
            if !l.pinyin.is_empty() {
                pin.pinyin
                    .extend(l.pinyin.iter().map(|(c, r)| (*c, r.clone())));
            }
        }
        let pinyin = !pin.pinyin.is_empty() && ((a_zh && b_latin) || (b_zh && a_latin));
        fn translations<'x>(
            lexicons: &'x [&'x Lexicon],
            form: &'x str,
        ) -> impl Iterator<Item = &'x (String, f32)> + 'x {
            lexicons.iter().flat_map(move |l| l.get(form).iter())
        }
        // glossary concepts are extra types after the document's own
        let n_anchor = anchors
            .a
            .iter()
            .chain(anchors.b.iter())
            .flatten()
            .map(|&c| c as usize + 1)
            .max()
            .unwrap_or(0);

        let mut build = |t: &Tokenized, is_a: bool| -> (Vec<Vec<u32>>, Vec<Sources>) {
            let mut keys = Vec::with_capacity(t.types.len() + n_anchor);
            let mut srcs = Vec::with_capacity(t.types.len() + n_anchor);
            let cyr = if is_a { a_cyr } else { b_cyr };
            let zh_side = if is_a { a_zh } else { b_zh };
            for ty in &t.types {
                let mut k: Vec<u32> = Vec::new();
                let mut s = Sources::default();
                match ty.kind {
                    Kind::Number => {
                        k.push(ks.id(format!("N:{}", ty.form)));
                        for v in &ty.values {
                            k.push(ks.id(format!("N:{v}")));
                        }
                        s.number = true;
                    }
                    Kind::Punct => {
                        k.push(ks.id(format!("P:{}", ty.form)));
                        s.punct = Some(punct_p(&ty.form));
                    }
                    Kind::Word | Kind::Han => {
                        if is_a {
                            for (bf, w) in translations(lexicons, &ty.form) {
                                if *w >= 0.15 {
                                    k.push(ks.id(format!("W:{bf}")));
                                    s.lexicon = true;
                                }
                            }
                        } else {
                            k.push(ks.id(format!("W:{}", ty.form)));
                            s.lexicon = true;
                        }
                        if ty.latin && ty.surface.chars().count() >= 2 {
                            k.push(ks.id(format!("L:{}", strip_accents(&ty.surface))));
                            s.latin = true;
                        }
                        let long = ty.surface.chars().count() >= 4;
                        if same_script && ty.latin && long {
                            let pre: String = strip_accents(&ty.surface).chars().take(4).collect();
                            k.push(ks.id(format!("C:{pre}")));
                            s.cognate = true;
                        }
                        if cross_script && long {
                            let lat = if cyr {
                                translit(&ty.surface)
                            } else {
                                ty.surface.clone()
                            };
                            if let Some(sk) = skeleton(&lat) {
                                k.push(ks.id(format!("S:{sk}")));
                                s.cognate = true;
                            }
                        }
                        if pinyin {
                            if zh_side && ty.kind == Kind::Han {
                                let has_lex = translations(lexicons, &ty.form).next().is_some();
                                let n = ty.form.chars().count();
                                if !has_lex && (2..=4).contains(&n) {
                                    for py in pinyin_keys(&ty.form, &pin) {
                                        k.push(ks.id(format!("Y:{py}")));
                                        s.pinyin = true;
                                    }
                                }
                            } else if !zh_side && ty.latin && ty.cap {
                                k.push(ks.id(format!("Y:{}", strip_accents(&ty.surface))));
                                s.pinyin = true;
                            }
                        }
                    }
                }
                k.sort_unstable();
                k.dedup();
                keys.push(k);
                srcs.push(s);
            }
            for c in 0..n_anchor {
                keys.push(vec![ks.id(format!("G:{c}"))]);
                srcs.push(Sources {
                    glossary: true,
                    ..Sources::default()
                });
            }
            (keys, srcs)
        };
        let (mut a_keys, a_src) = build(a, true);
        let (mut b_keys, b_src) = build(b, false);

        // sentences as type lists, glossary concepts appended
        let a_sent = with_anchors(a, &anchors.a);
        let b_sent = with_anchors(b, &anchors.b);
        let n_keys = ks.ids.len();
        // tokens of each side carrying each key
        let count = |keys: &[Vec<u32>], sents: &[Vec<u32>]| -> Vec<u32> {
            let mut c = vec![0u32; n_keys];
            for s in sents {
                for &t in s {
                    for &k in &keys[t as usize] {
                        c[k as usize] += 1;
                    }
                }
            }
            c
        };
        let a_count = count(&a_keys, &a_sent);
        let b_count = count(&b_keys, &b_sent);
        let a_tokens: u64 = a_sent.iter().map(|s| s.len() as u64).sum();
        let b_tokens: u64 = b_sent.iter().map(|s| s.len() as u64).sum();
        let side = |keys: &mut Vec<Vec<u32>>,
                    src: &[Sources],
                    other_count: &[u32],
                    other_tokens: u64,
                    sents: &[Vec<u32>]|
         -> SideModel {
            let nt = keys.len();
            let mut f = vec![0f32; nt];
            let mut p0 = vec![0f32; nt];
            for t in 0..nt {
                keys[t].retain(|&k| other_count[k as usize] > 0);
                if keys[t].is_empty() || other_tokens == 0 {
                    continue;
                }
                let hits: u64 = keys[t]
                    .iter()
                    .map(|&k| other_count[k as usize] as u64)
                    .sum();
                let ot = other_tokens as f64;
                f[t] = (hits as f64 / ot).clamp(0.5 / ot, 0.95) as f32;
                p0[t] = src[t].p0();
            }
            let mut m = SideModel {
                keys: std::mem::take(keys),
                p: p0.clone(),
                p0,
                f,
                base: Vec::new(),
                gain_tab: Vec::new(),
                n: sents.iter().map(|s| s.len() as u32).collect(),
                active: Vec::new(),
            };
            m.active = sents
                .iter()
                .map(|s| {
                    s.iter()
                        .enumerate()
                        .filter(|(_, t)| !m.keys[**t as usize].is_empty())
                        .map(|(i, _)| i as u16)
                        .collect()
                })
                .collect();
            m
        };
        let mut am = side(&mut a_keys, &a_src, &b_count, b_tokens, &a_sent);
        let mut bm = side(&mut b_keys, &b_src, &a_count, a_tokens, &b_sent);
        am.recompute_base(&a_sent);
        bm.recompute_base(&b_sent);

        let ratio = {
            let ta = a.total_chars().max(1) as f64;
            let tb = b.total_chars().max(1) as f64;
            tb / ta
        };
        let mut m = Model {
            a: am,
            b: bm,
            ratio,
            s2: 1.0,
            s2_bg: 1.0,
            log_prior: PRIOR0.iter().map(|p| p.ln()).collect(),
            lex_weight: 0.5,
            len_weight: 1.0,
            anchor_types: (a_sent, b_sent),
            a_chars: a.chars.clone(),
            b_chars: b.chars.clone(),
            para: Paragraphs::new(a, b),
            shapes: (0..SHAPES.len()).collect(),
        };
        m.s2_bg = background_variance(a, b, ratio);
        m.s2 = (m.s2_bg / 8.0).max(0.5);
        m
    }

    /// For coarse units of several sentences: merges are the rule, so the
    /// shape priors are flattened (`p^t`, renormalised), and only the
    /// shapes up to 2-2 are searched.
    pub fn coarse(&mut self, t: f64) {
        self.shapes = (0..6).collect();
        self.temper_prior(t);
    }

    /// Flatten the shape priors (`p^t`, renormalised).
    pub fn temper_prior(&mut self, t: f64) {
        let scaled: Vec<f64> = self.log_prior.iter().map(|l| l * t).collect();
        let z = scaled.iter().map(|l| l.exp()).sum::<f64>().ln();
        self.log_prior = scaled.into_iter().map(|l| l - z).collect();
    }

    /// δ of a group of A characters against a group of B characters.
    pub fn delta(&self, la: f64, lb: f64) -> f64 {
        let mean = ((self.ratio * la + lb) / 2.0).max(1.0);
        (lb - self.ratio * la) / mean.sqrt()
    }

    /// Log-likelihood ratio of the lengths (true bead against random).
    pub fn length_llr(&self, la: f64, lb: f64) -> f64 {
        let d = self.delta(la, lb);
        let d2 = d * d;
        self.len_weight
            * (-d2 / (2.0 * self.s2) + d2 / (2.0 * self.s2_bg) + 0.5 * (self.s2_bg / self.s2).ln())
    }

    /// Sentences as type ids (glossary concepts appended).
    pub fn sentences(&self) -> (&[Vec<u32>], &[Vec<u32>]) {
        (&self.anchor_types.0, &self.anchor_types.1)
    }
}

impl SideModel {
    /// Σ ln(1 − p) per sentence and the gain table, after `p` changed.
    pub fn recompute_base(&mut self, sents: &[Vec<u32>]) {
        self.fill_gains();
        self.base = sents
            .iter()
            .map(|s| {
                s.iter()
                    .map(|&t| {
                        let p = self.p[t as usize] as f64;
                        if p > 0.0 { (1.0 - p).ln() } else { 0.0 }
                    })
                    .sum()
            })
            .collect();
    }

    /// The gain of a covered token of type `t` among `n` tokens (from a
    /// table: `n` in geometric buckets of 5 %).
    #[inline]
    pub fn gain(&self, t: u32, n: u32) -> f64 {
        let b = BUCKETS.of(n);
        self.gain_tab[t as usize * BUCKETS.count + b] as f64
    }

    /// The exact gain (what the table holds).
    pub fn gain_exact(&self, t: usize, n: f64) -> f64 {
        let p = self.p[t] as f64;
        let f = self.f[t] as f64;
        if p <= 0.0 || f <= 0.0 {
            return 0.0;
        }
        let q = -(-f * n).exp_m1();
        let q = q.max(1e-9);
        (p + q - p * q).ln() - q.ln() - (1.0 - p).ln()
    }

    fn fill_gains(&mut self) {
        let nb = BUCKETS.count;
        self.gain_tab = vec![0.0; self.p.len() * nb];
        for t in 0..self.p.len() {
            if self.keys[t].is_empty() || self.p[t] <= 0.0 {
                continue;
            }
            for b in 0..nb {
                self.gain_tab[t * nb + b] = self.gain_exact(t, BUCKETS.mid[b]) as f32;
            }
        }
    }
}

/// Token counts `n` grouped into buckets: exact up to 24, then geometric.
struct Buckets {
    of_n: Vec<u8>,
    mid: Vec<f64>,
    count: usize,
}

impl Buckets {
    #[inline]
    fn of(&self, n: u32) -> usize {
        self.of_n[(n as usize).min(self.of_n.len() - 1)] as usize
    }
}

static BUCKETS: std::sync::LazyLock<Buckets> = std::sync::LazyLock::new(|| {
    let max = 16384usize;
    let mut of_n = vec![0u8; max + 1];
    let mut mid = Vec::new();
    let mut lo = 0usize;
    while lo <= max {
        let hi = if lo < 24 {
            lo
        } else {
            ((lo as f64) * 1.05).floor() as usize
        }
        .min(max);
        let b = mid.len() as u8;
        for x in of_n.iter_mut().take(hi + 1).skip(lo) {
            *x = b;
        }
        mid.push(((lo.max(1) as f64) * (hi.max(1) as f64)).sqrt());
        lo = hi + 1;
    }
    let count = mid.len();
    Buckets { of_n, mid, count }
});

fn with_anchors(t: &Tokenized, anchors: &[Vec<u32>]) -> Vec<Vec<u32>> {
    let base = t.types.len() as u32;
    t.sentences
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut v = s.clone();
            if let Some(a) = anchors.get(i) {
                v.extend(a.iter().map(|&c| base + c));
            }
            v.truncate(POS_CAP);
            v
        })
        .collect()
}

/// Pinyin readings of a Chinese word as keys: the whole word
/// (`陈清扬` → `chenqingyang`) and, for names, surname and given name
/// (`chen`, `qingyang`). Few readings per character are tried.
fn pinyin_keys(word: &str, lex: &Lexicon) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    let readings: Vec<&[String]> = chars
        .iter()
        .map(|c| lex.pinyin.get(c).map_or(&[][..], |v| &v[..v.len().min(3)]))
        .collect();
    if readings.iter().any(|r| r.is_empty()) {
        return Vec::new();
    }
    let join = |rs: &[&[String]]| -> Vec<String> {
        let mut out = vec![String::new()];
        for r in rs {
            let mut next = Vec::new();
            for o in &out {
                for x in r.iter() {
                    next.push(format!("{o}{x}"));
                }
            }
            out = next;
            if out.len() > 27 {
                out.truncate(27);
            }
        }
        out
    };
    let mut keys = join(&readings);
    if chars.len() >= 2 {
        keys.extend(join(&readings[..1]));
        keys.extend(join(&readings[1..]));
    }
    keys.sort();
    keys.dedup();
    keys
}

/// The variance of δ between random sentences of the two documents (a
/// fixed pseudo-random sample).
fn background_variance(a: &Tokenized, b: &Tokenized, ratio: f64) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 25.0;
    }
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut sum = 0.0;
    let n = 4000;
    for _ in 0..n {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let i = (x % a.len() as u64) as usize;
        let j = ((x >> 32) % b.len() as u64) as usize;
        let la = a.chars[i] as f64;
        let lb = b.chars[j] as f64;
        let mean = ((ratio * la + lb) / 2.0).max(1.0);
        let d = (lb - ratio * la) / mean.sqrt();
        sum += d * d;
    }
    (sum / n as f64).max(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use polytm_text::lang::Lang;

    #[test]
    fn rare_words_weigh_more_and_lengths_peak_at_the_ratio() {
        let a: Vec<String> = (0..20)
            .map(|i| format!("Sentence number {i} talks about Kavanaugh and the weather."))
            .collect();
        let b: Vec<String> = (0..20)
            .map(|i| format!("Предложение номер {i} про Каванафа и погоду, и всё."))
            .collect();
        let ra: Vec<&str> = a.iter().map(String::as_str).collect();
        let rb: Vec<&str> = b.iter().map(String::as_str).collect();
        let ta = Tokenized::new(&Lang::en(), &ra);
        let tb = Tokenized::new(&Lang::ru(), &rb);
        let lex = Lexicon::new();
        let m = Model::new(&ta, &tb, &[&lex], &Anchors::default());
        let ty =
            |t: &Tokenized, form: &str| t.types.iter().position(|x| x.form == form).unwrap() as u32;
        // "7" occurs once on each side, "Kavanaugh" in every sentence
        let seven = ty(&ta, "7");
        let kav = ty(&ta, "kavanaugh");
        assert!(
            !m.a.keys[kav as usize].is_empty(),
            "skeleton kvn links the names"
        );
        assert!(m.a.gain(seven, 10) > m.a.gain(kav, 10));
        assert!(m.a.gain(seven, 10) > m.a.gain(seven, 200));
        assert!(m.a.gain(kav, 10) >= 0.0);
        // words without a counterpart have no keys
        assert!(m.a.keys[ty(&ta, "weather") as usize].is_empty());
        let la = 100.0;
        let best = m.length_llr(la, la * m.ratio);
        assert!(best > m.length_llr(la, la * m.ratio * 1.5));
        assert!(best > m.length_llr(la, la * m.ratio * 0.6));
        assert!(best > 0.0);
    }
}

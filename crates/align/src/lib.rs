//! Sentence alignment of two or three versions of a document.
//!
//! The pieces:
//! - [`features`]: what the aligner sees of a sentence (its length; its
//!   words stemmed or cut, numbers, punctuation);
//! - [`model`]: the score of a bead — lexical evidence (numbers, names,
//!   cognates, pinyin, glossary terms, the lexicon and pairs learnt on the
//!   fly) as log-likelihood ratios, a length model calibrated per document
//!   pair, shape priors;
//! - [`search`]: dynamic programming in a band (a coarse path first for
//!   long documents), posteriors by forward-backward;
//! - [`learn`]: a second pass that learns from the first (IBM Model 1 word
//!   pairs, length ratio and variance, shape frequencies, how often each
//!   word's translation is found);
//! - [`three`]: three documents: both non-pivot documents aligned to the
//!   pivot (the first), then joined into three-way units consistent with
//!   both alignments.

pub mod features;
pub mod learn;
pub mod lexicon;
pub mod model;
pub mod search;
pub mod three;

use polytm_text::lang::Lang;

pub use features::Tokenized;
pub use lexicon::Lexicon;
pub use model::Anchors;
pub use search::PathBead;

/// One document to align: its sentences, in order.
#[derive(Debug, Clone)]
pub struct Document<'a> {
    pub lang: Lang,
    pub sentences: Vec<&'a str>,
}

/// A unit of the alignment: for each document, the range of its
/// sentences (`start..end`, possibly empty).
#[derive(Debug, Clone, PartialEq)]
pub struct Bead {
    pub sides: Vec<(usize, usize)>,
    /// Posterior probability that this unit is right (0..1).
    pub confidence: f64,
}

impl Bead {
    /// "1-2", "1-0", "1-1-2".
    pub fn shape(&self) -> String {
        self.sides
            .iter()
            .map(|(s, e)| (e - s).to_string())
            .collect::<Vec<_>>()
            .join("-")
    }

    /// Sentences on every side?
    pub fn is_complete(&self) -> bool {
        self.sides.iter().all(|(s, e)| e > s)
    }
}

/// Evidence for one pair of documents: lexicons oriented from the first
/// language to the second, and glossary concepts found in each sentence.
#[derive(Default)]
pub struct PairEvidence<'l> {
    pub lexicons: Vec<&'l Lexicon>,
    pub anchors: Anchors,
}

/// Knobs of the aligner (the defaults are what the command line uses).
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Learn from a first pass and align again.
    pub second_pass: bool,
    /// Never use the coarse-to-fine band (the benchmark's reference).
    pub full_grid: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            second_pass: true,
            full_grid: false,
        }
    }
}

/// Align two tokenized documents.
pub fn align_pair(a: &Tokenized, b: &Tokenized, ev: &PairEvidence, opts: Options) -> Vec<PathBead> {
    let (na, nb) = (a.len(), b.len());
    if na == 0 || nb == 0 {
        return trivial(na, nb);
    }
    let (band1, path1) = first_pass(a, b, ev, opts);
    if !opts.second_pass {
        return path1;
    }
    let learnt = learn::ibm1(a, b, &path1);
    let mut lexicons = ev.lexicons.clone();
    lexicons.push(&learnt);
    let mut m2 = model::Model::new(a, b, &lexicons, &ev.anchors);
    learn::estimate(&mut m2, &path1);
    let band2 = if band1.cells() == (na + 1) * (nb + 1) {
        band1
    } else {
        search::Band::around(&corners(&path1), na, nb, 12)
    };
    search_widening(&m2, band2, 12).1
}

/// Largest grid searched whole.
const FULL_GRID_CELLS: usize = 300_000;

/// Largest grid of coarse units searched whole.
const COARSE_GRID_CELLS: usize = 60_000;

/// The first pass: the whole grid for documents of up to a few hundred
/// sentences; for longer ones, coarse to fine with the same model: the
/// documents in units of 4^L sentences (so that the grid of units is
/// small) aligned over the whole grid, then units four times smaller
/// searched only near that path, down to sentences. Every level costs
/// time proportional to the length of the documents.
fn first_pass(
    a: &Tokenized,
    b: &Tokenized,
    ev: &PairEvidence,
    opts: Options,
) -> (search::Band, Vec<PathBead>) {
    let (na, nb) = (a.len(), b.len());
    let fits = |k: usize| (na / k + 1) * (nb / k + 1) <= COARSE_GRID_CELLS;
    if opts.full_grid || (na + 1) * (nb + 1) <= FULL_GRID_CELLS {
        let m = model::Model::new(a, b, &ev.lexicons, &ev.anchors);
        return search_widening(&m, search::Band::full(na, nb), 8);
    }
    let mut k = 4;
    while !fits(k) {
        k *= 4;
    }
    let mut corners_s: Option<Vec<(usize, usize)>> = None; // in sentences
    loop {
        let (ua, ub, anchors) = if k == 1 {
            (None, None, None)
        } else {
            (
                Some(a.merged(k)),
                Some(b.merged(k)),
                Some(Anchors {
                    a: merge_anchors(&ev.anchors.a, k),
                    b: merge_anchors(&ev.anchors.b, k),
                }),
            )
        };
        let ta = ua.as_ref().unwrap_or(a);
        let tb = ub.as_ref().unwrap_or(b);
        let mut m = model::Model::new(
            ta,
            tb,
            &ev.lexicons,
            anchors.as_ref().unwrap_or(&ev.anchors),
        );
        if k > 1 {
            m.coarse(0.3);
        }
        let (nua, nub) = (ta.len(), tb.len());
        let band = match &corners_s {
            None => search::Band::full(nua, nub),
            Some(c) => {
                let cu: Vec<(usize, usize)> = c.iter().map(|&(i, j)| (i / k, j / k)).collect();
                search::Band::around(&cu, nua, nub, if k == 1 { 8 } else { 6 })
            }
        };
        let (band, path) = search_widening(&m, band, if k == 1 { 8 } else { 6 });
        if k == 1 {
            return (band, path);
        }
        corners_s = Some(
            corners(&path)
                .into_iter()
                .map(|(i, j)| ((i * k).min(na), (j * k).min(nb)))
                .collect(),
        );
        k /= 4;
    }
}

/// Glossary concepts of units of `k` sentences.
fn merge_anchors(per_sentence: &[Vec<u32>], k: usize) -> Vec<Vec<u32>> {
    per_sentence
        .chunks(k.max(1))
        .map(|c| c.iter().flatten().copied().collect())
        .collect()
}

/// Bead corners of a path, from (0, 0).
fn corners(path: &[PathBead]) -> Vec<(usize, usize)> {
    std::iter::once((0, 0))
        .chain(path.iter().map(|b| (b.a.1, b.b.1)))
        .collect()
}

/// The best path in a band; while it runs along the band's edge, search
/// again in the band joined with one twice as wide around the new path
/// (at most four times): the band follows a path it guessed wrong.
fn search_widening(
    m: &model::Model,
    mut band: search::Band,
    mut w: usize,
) -> (search::Band, Vec<PathBead>) {
    let (na, nb) = (band.na(), band.nb);
    for _ in 0..4 {
        let cov = search::Coverage::build(m, &band);
        let path = search::best_path(m, &cov, &band);
        if band.touched_by(&path).is_empty() {
            return (band, path);
        }
        w *= 2;
        band = band.union(&search::Band::around(&corners(&path), na, nb, w));
    }
    let cov = search::Coverage::build(m, &band);
    let path = search::best_path(m, &cov, &band);
    (band, path)
}

/// Every sentence on its own when one side is empty.
fn trivial(na: usize, nb: usize) -> Vec<PathBead> {
    let a = (0..na).map(|i| PathBead {
        a: (i, i + 1),
        b: (0, 0),
        shape: 1,
        score: 0.0,
        posterior: 1.0,
    });
    let b = (0..nb).map(|j| PathBead {
        a: (na, na),
        b: (j, j + 1),
        shape: 2,
        score: 0.0,
        posterior: 1.0,
    });
    a.chain(b).collect()
}

/// Align two or three documents; the first is the pivot. `evidence[k]`
/// is the evidence for the pair (first document, document k+1).
pub fn align(docs: &[Document], evidence: &[PairEvidence], opts: Options) -> Vec<Bead> {
    let toks: Vec<Tokenized> = docs
        .iter()
        .map(|d| Tokenized::new(&d.lang, &d.sentences))
        .collect();
    align_tokenized(&toks, evidence, opts)
}

/// [`align`] on documents already tokenized.
pub fn align_tokenized(toks: &[Tokenized], evidence: &[PairEvidence], opts: Options) -> Vec<Bead> {
    let empty = PairEvidence::default();
    let pairs: Vec<Vec<PathBead>> = (1..toks.len())
        .map(|k| {
            align_pair(
                &toks[0],
                &toks[k],
                evidence.get(k - 1).unwrap_or(&empty),
                opts,
            )
        })
        .collect();
    let lens: Vec<usize> = toks.iter().map(Tokenized::len).collect();
    three::combine(&lens, &pairs)
}

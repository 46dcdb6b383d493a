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
pub mod numbers;
pub mod search;
pub mod three;

use crate::lang::Lang;

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
    let m1 = model::Model::new(a, b, &ev.lexicons, &ev.anchors);
    let band1 = if opts.full_grid {
        search::Band::full(na, nb)
    } else {
        search::first_band(&m1, na, nb)
    };
    let cov1 = search::Coverage::build(&m1, &band1);
    let path1 = search::best_path(&m1, &cov1, &band1);
    if !opts.second_pass {
        return path1;
    }
    drop(cov1);
    let learnt = learn::ibm1(a, b, &path1);
    let mut lexicons = ev.lexicons.clone();
    lexicons.push(&learnt);
    let mut m2 = model::Model::new(a, b, &lexicons, &ev.anchors);
    learn::estimate(&mut m2, &path1);
    let band2 = if opts.full_grid || band1.cells() == (na + 1) * (nb + 1) {
        band1
    } else {
        let corners: Vec<(usize, usize)> = std::iter::once((0, 0))
            .chain(path1.iter().map(|b| (b.a.1, b.b.1)))
            .collect();
        search::Band::around(&corners, na, nb, 12)
    };
    let cov2 = search::Coverage::build(&m2, &band2);
    search::best_path(&m2, &cov2, &band2)
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

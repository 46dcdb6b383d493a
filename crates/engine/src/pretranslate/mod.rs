//! Batch pre-translation and match analysis.
//!
//! The pipeline:
//! 1. [`input`] reads each file into a [`SourceDoc`]: plain text cut into
//!    sentences (paragraphs and line breaks remembered), one segment a
//!    line (`--presplit`), or the segments of an XLIFF file.
//! 2. [`leverage`] looks every *distinct* segment up once (rayon over
//!    segments, a progress bar on a terminal): a segment seen earlier in
//!    the batch is a repetition and gets the first one's translation.
//! 3. [`report`] counts segments, words and characters per match band.
//! 4. [`output`] writes the draft translation (txt), the proposals (tsv,
//!    tmx) or the filled XLIFF.
//!
//! The translation memory is reached through the [`Leverage`] trait, so
//! this module knows nothing of how matches are found.

pub mod input;
pub mod output;
pub mod report;
pub mod tm;

use std::collections::HashMap;
use std::path::PathBuf;

use rayon::prelude::*;

use polytm_core::Progress;
use polytm_core::error::Result;
use polytm_formats::xliff::{self, MatchKind};
use polytm_text::lang::Lang;
use polytm_text::{TokenKind, tokenize};

pub use report::{Band, Report};

/// The best translation memory match for a segment.
#[derive(Debug, Clone, PartialEq)]
pub struct TmHit {
    /// Similarity 0–100 between the segment and the match's source.
    pub score: u8,
    /// The TM unit's source text, as stored.
    pub source: String,
    /// The proposed translation: the TM target, repaired when the numbers
    /// or glossary terms of the segment differ from the match's.
    pub target: String,
    /// The TM unit's target as stored (the same as `target` unless repaired).
    pub tm_target: String,
    /// What was changed in the TM target, for the translator
    /// (`2021 → 2022; Tajikistan → Uzbekistan`); `None` when nothing was.
    pub repaired: Option<String>,
    /// Where the match comes from: a document name, a `--tm` file.
    pub origin: Option<String>,
    /// The translation of an identical segment already translated in
    /// the XLIFF being filled, not a TM match.
    pub inherited: bool,
    /// For a 100 % match: the TM units holding this very segment, with
    /// the segments around them in their documents; [`leverage`] makes the
    /// hit an in-context match ([`CONTEXT_SCORE`]) for an occurrence
    /// whose neighbours are theirs.
    pub contexts: Vec<ContextMatch>,
}

/// The score of an in-context exact match (memoQ's 101 %).
pub const CONTEXT_SCORE: u8 = 101;

/// A TM unit whose source is the segment, and its neighbours.
#[derive(Debug, Clone, PartialEq)]
pub struct ContextMatch {
    /// The source segments before and after it (`None`: the document
    /// starts or ends there).
    pub prev: Option<String>,
    pub next: Option<String>,
    pub target: String,
    pub origin: Option<String>,
}

impl ContextMatch {
    /// Both neighbours are the occurrence's (compared as repetitions are:
    /// white space runs made one space, NFC); a document start or end
    /// matches only a start or end.
    pub fn fits(&self, prev: Option<&str>, next: Option<&str>) -> bool {
        let same = |a: Option<&String>, b: Option<&str>| match (a, b) {
            (None, None) => true,
            (Some(a), Some(b)) => repetition_key(a) == repetition_key(b),
            _ => false,
        };
        same(self.prev.as_ref(), prev) && same(self.next.as_ref(), next)
    }
}

impl TmHit {
    /// In context (101 %), exact (100 % and not adapted), repaired, or
    /// fuzzy.
    pub fn kind(&self) -> MatchKind {
        if self.score >= CONTEXT_SCORE && !self.inherited {
            MatchKind::Context
        } else if self.inherited && self.score >= 100 {
            MatchKind::Inherited
        } else if self.repaired.is_some() {
            MatchKind::Repaired
        } else if self.score >= 100 {
            MatchKind::Exact
        } else {
            MatchKind::Fuzzy
        }
    }
}

/// Where translations come from: the TM (and the `--tm` files of this run)
/// for one language pair. Implementations must be usable from several
/// threads at once.
pub trait Leverage: Sync {
    /// The best match for `query` scoring at least `min`, if any.
    fn best(&self, query: &str, min: u8) -> Result<Option<TmHit>>;

    /// [`Leverage::best`] for a segment with `tags` inline codes (its
    /// formatting), for the `tags` penalty; the same by default.
    fn best_tagged(&self, query: &str, tags: usize, min: u8) -> Result<Option<TmHit>> {
        let _ = tags;
        self.best(query, min)
    }
}

/// Matches below this are "no match" in the analysis of `pretranslate`.
pub const BAND_FLOOR: u8 = 50;

/// A file to pre-translate or analyse.
#[derive(Debug, Clone)]
pub struct SourceDoc {
    /// As the user gave it.
    pub path: PathBuf,
    /// For messages and reports.
    pub name: String,
    pub layout: Layout,
    pub segments: Vec<SourceSegment>,
}

/// How the segments sit in the file: what the writers need to rebuild it.
#[derive(Debug, Clone)]
pub enum Layout {
    /// Plain text: the whole text, each segment a byte range of it.
    Text { text: String },
    /// An XLIFF document.
    Xliff(Box<xliff::Document>),
    /// A Word, OpenDocument or HTML document.
    Document(Box<polytm_formats::document::Document>),
}

/// One segment to translate.
#[derive(Debug, Clone)]
pub struct SourceSegment {
    /// The text to match: the sentence, or the XLIFF source without its
    /// inline codes.
    pub text: String,
    /// Two segments with the same key are repetitions: the text with runs
    /// of white space made one space (and inline codes as written).
    pub key: String,
    /// Words (Chinese: characters) and characters without spaces.
    pub words: usize,
    pub chars: usize,
    pub place: Place,
}

#[derive(Debug, Clone)]
pub enum Place {
    /// Bytes `range` of [`Layout::Text`].
    Text { range: std::ops::Range<usize> },
    /// Segment `segment` of XLIFF unit `unit`.
    Xliff {
        unit: usize,
        segment: usize,
        /// Inline codes between the words: their place in a translation
        /// is a guess, so a match costs a point each and is never 100 %.
        inner_tags: usize,
        /// The file already holds a translation for it.
        filled: bool,
        /// That translation, when it is done (see
        /// [`xliff::XliffSegment::done_translation`]): its repetitions get it.
        translation: Option<String>,
    },
    /// Bytes `range` of paragraph `paragraph` of [`Layout::Document`].
    Document {
        paragraph: usize,
        range: std::ops::Range<usize>,
        /// Inline codes between the words (runs of other formatting).
        inner_tags: usize,
    },
}

impl SourceSegment {
    pub fn inner_tags(&self) -> usize {
        match self.place {
            Place::Xliff { inner_tags, .. } | Place::Document { inner_tags, .. } => inner_tags,
            Place::Text { .. } => 0,
        }
    }

    pub fn is_filled(&self) -> bool {
        matches!(self.place, Place::Xliff { filled: true, .. })
    }
}

/// The repetition key: white space runs made one space, ends trimmed.
pub fn repetition_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    polytm_text::nfc(&out).into_owned()
}

/// Words and characters of a segment in language `lang`. Words are the
/// word, number and Han tokens of the tokenizer: a Chinese character is
/// one word, as CAT tools count; an English possessive `'s` is no word.
/// Characters are counted without white space.
pub fn count(text: &str, lang: &Lang) -> (usize, usize) {
    let words = tokenize(text, lang)
        .iter()
        .filter(|t| {
            matches!(t.kind, TokenKind::Word | TokenKind::Number | TokenKind::Han)
                && t.key != "'s"
                && t.key != "'"
        })
        .count();
    let chars = text.chars().filter(|c| !c.is_whitespace()).count();
    (words, chars)
}

/// Options of a run.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Fill targets from matches of this score or more.
    pub min: u8,
    /// In the analysis, matches below this are "no match" ([`BAND_FLOOR`]
    /// for pretranslate; `--min` for analyze).
    pub band_floor: u8,
    /// Replace XLIFF targets that are already filled.
    pub overwrite: bool,
}

/// What happened to one segment for one target language.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub band: Band,
    /// The best match found (at or above `min(--min, 50)`), after the
    /// inline-code penalty; a repetition carries its first occurrence's.
    pub hit: Option<TmHit>,
    /// The hit reaches `--min` and the segment is not already translated:
    /// its translation goes into the output.
    pub fill: bool,
    /// The XLIFF already held a translation that was kept.
    pub kept: bool,
}

/// Look up every segment of every document for one target language.
/// Returns one outcome per segment, per document, in order.
pub fn leverage(
    docs: &[SourceDoc],
    lev: &dyn Leverage,
    opts: &Options,
    progress: &dyn Progress,
) -> Result<Vec<Vec<Outcome>>> {
    // Distinct segments, in the order first seen.
    let mut first: HashMap<&str, usize> = HashMap::new();
    let mut distinct: Vec<&SourceSegment> = Vec::new();
    for d in docs {
        for s in &d.segments {
            first.entry(s.key.as_str()).or_insert_with(|| {
                distinct.push(s);
                distinct.len() - 1
            });
        }
    }
    // Translations the XLIFF files already hold: a repetition of a
    // translated segment gets that translation, as CAT tools propagate.
    let mut own: HashMap<&str, TmHit> = HashMap::new();
    if !opts.overwrite {
        for d in docs {
            for s in &d.segments {
                if let Place::Xliff {
                    unit,
                    translation: Some(t),
                    ..
                } = &s.place
                {
                    let uid = match &d.layout {
                        Layout::Xliff(x) => x.units.get(*unit).map(|u| u.id.clone()),
                        Layout::Text { .. } | Layout::Document(_) => None,
                    }
                    .unwrap_or_default();
                    own.entry(s.key.as_str()).or_insert_with(|| {
                        penalise(
                            TmHit {
                                score: 100,
                                source: s.text.clone(),
                                target: t.clone(),
                                tm_target: t.clone(),
                                repaired: None,
                                origin: Some(format!("{}, unit {uid}, already translated", d.name)),
                                inherited: true,
                                contexts: Vec::new(),
                            },
                            s.inner_tags(),
                        )
                    });
                }
            }
        }
    }
    let floor = opts.min.min(opts.band_floor);
    let hits: Vec<Option<TmHit>> = distinct
        .par_iter()
        .map(|s| {
            progress.check()?;
            let h = lev.best_tagged(&s.text, s.inner_tags(), floor)?;
            progress.advance(1);
            Ok(h.map(|h| penalise(h, s.inner_tags())))
        })
        .collect::<Result<_>>()?;
    let mut seen = vec![false; distinct.len()];
    let mut out = Vec::with_capacity(docs.len());
    for d in docs {
        let mut v = Vec::with_capacity(d.segments.len());
        for (j, s) in d.segments.iter().enumerate() {
            let i = first[s.key.as_str()];
            let mut hit = hits[i].clone().filter(|h| h.score >= floor);
            // an exact match whose TM neighbours are this occurrence's
            let prev = j.checked_sub(1).map(|k| d.segments[k].text.as_str());
            let next = d.segments.get(j + 1).map(|n| n.text.as_str());
            let context = hit
                .as_ref()
                .filter(|h| h.score == 100)
                .and_then(|h| h.contexts.iter().find(|c| c.fits(prev, next)))
                .cloned();
            if let (Some(h), Some(c)) = (hit.as_mut(), context.as_ref()) {
                h.score = CONTEXT_SCORE;
                h.target = c.target.clone();
                h.tm_target = c.target.clone();
                h.origin = c.origin.clone();
            }
            let band = if context.is_some() {
                Band::Context
            } else if seen[i] {
                Band::Repetition
            } else {
                Band::of_score(
                    hit.as_ref()
                        .map(|h| h.score)
                        .filter(|&s| s >= opts.band_floor),
                )
            };
            seen[i] = true;
            let kept = s.is_filled() && !opts.overwrite;
            let (band, hit) = match own.get(s.key.as_str()) {
                Some(h) if !kept => (
                    if band == Band::Context {
                        Band::Exact
                    } else {
                        band
                    },
                    Some(h.clone()),
                ),
                _ => (band, hit),
            };
            let fill = !kept && hit.as_ref().is_some_and(|h| h.score >= opts.min);
            v.push(Outcome {
                band,
                hit,
                fill,
                kept,
            });
        }
        out.push(v);
    }
    Ok(out)
}

/// Inline codes whose place polytm must guess cost a point each, and the
/// match can no longer be an exact one.
fn penalise(mut h: TmHit, inner_tags: usize) -> TmHit {
    if inner_tags > 0 {
        h.score = h.score.saturating_sub(inner_tags.min(100) as u8).min(99);
    }
    h
}

/// Number of distinct segments of a batch (the work of [`leverage`]).
pub fn distinct_segments(docs: &[SourceDoc]) -> usize {
    let mut keys: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for d in docs {
        for s in &d.segments {
            keys.insert(&s.key);
        }
    }
    keys.len()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use polytm_text::lang::LangTag;

    /// A tiny in-memory TM for tests: exact lookups, and a word-overlap
    /// score for the rest.
    pub struct TestTm(pub Vec<(String, String)>);

    /// `leverage` of one document at `min` 75, the default band floor, no
    /// overwriting.
    fn leverage_at_75(d: SourceDoc, tm: &dyn Leverage) -> Vec<Vec<Outcome>> {
        let opts = Options {
            min: 75,
            band_floor: BAND_FLOOR,
            overwrite: false,
        };
        leverage(&[d], tm, &opts, &polytm_core::Quiet).unwrap()
    }

    impl Leverage for TestTm {
        fn best(&self, query: &str, min: u8) -> Result<Option<TmHit>> {
            let q: Vec<&str> = query.split_whitespace().collect();
            let mut best: Option<TmHit> = None;
            for (s, t) in &self.0 {
                let w: Vec<&str> = s.split_whitespace().collect();
                let common = q.iter().filter(|x| w.contains(x)).count();
                let score = if s == query {
                    100
                } else {
                    (100 * common / q.len().max(w.len()).max(1)).min(99) as u8
                };
                if score >= min && best.as_ref().is_none_or(|b| b.score < score) {
                    best = Some(TmHit {
                        score,
                        source: s.clone(),
                        target: t.clone(),
                        tm_target: t.clone(),
                        repaired: None,
                        origin: None,
                        inherited: false,
                        contexts: Vec::new(),
                    });
                }
            }
            Ok(best)
        }
    }

    pub fn doc(name: &str, lines: &[&str]) -> SourceDoc {
        let text = lines.join("\n") + "\n";
        let en = LangTag::parse("en").unwrap();
        input::from_text(name, text, &en, &input::lines_of).unwrap()
    }

    #[test]
    fn repetitions_are_looked_up_once_and_banded() {
        let tm = TestTm(vec![
            ("one two three four".into(), "раз два три четыре".into()),
            (
                "alpha beta gamma delta".into(),
                "альфа бета гамма дельта".into(),
            ),
        ]);
        let d = doc(
            "a.txt",
            &[
                "one two three four",
                "alpha beta gamma omega",
                "one  two three four",
                "nothing here",
            ],
        );
        let out = leverage_at_75(d, &tm);
        let o = &out[0];
        assert_eq!(o[0].band, Band::Exact);
        assert!(o[0].fill);
        assert_eq!(o[1].band, Band::Low);
        assert_eq!(o[1].hit.as_ref().unwrap().score, 75);
        assert!(o[1].fill);
        assert_eq!(o[2].band, Band::Repetition);
        assert_eq!(o[2].hit.as_ref().unwrap().target, "раз два три четыре");
        assert_eq!(o[3].band, Band::NoMatch);
        assert!(!o[3].fill);
    }

    #[test]
    fn counts_words_chinese_by_character() {
        assert_eq!(count("The SCO's 8th meeting, 2021.", &Lang::en()), (5, 24));
        assert_eq!(count("上合组织第8次会议", &Lang::zh()), (9, 9));
        assert_eq!(count("Совещание  состоялось.", &Lang::ru()), (2, 20));
    }

    #[test]
    fn inline_codes_cost_a_point_and_forbid_100() {
        let h = TmHit {
            score: 100,
            source: "a".into(),
            target: "b".into(),
            tm_target: "b".into(),
            repaired: None,
            origin: None,
            inherited: false,
            contexts: Vec::new(),
        };
        assert_eq!(penalise(h.clone(), 0).score, 100);
        assert_eq!(penalise(h.clone(), 2).score, 98);
        assert_eq!(penalise(h.clone(), 2).kind(), MatchKind::Fuzzy);
        let mut r = h;
        r.score = 100;
        r.repaired = Some("2021 → 2022".into());
        assert_eq!(r.kind(), MatchKind::Repaired);
    }

    /// Every segment is a 100 % match, in context between `prev` and `next`.
    struct ContextTm {
        prev: Option<String>,
        next: Option<String>,
    }

    impl Leverage for ContextTm {
        fn best(&self, query: &str, _min: u8) -> Result<Option<TmHit>> {
            Ok(Some(TmHit {
                score: 100,
                source: query.into(),
                target: "plain".into(),
                tm_target: "plain".into(),
                repaired: None,
                origin: Some("elsewhere".into()),
                inherited: false,
                contexts: vec![ContextMatch {
                    prev: self.prev.clone(),
                    next: self.next.clone(),
                    target: "in context".into(),
                    origin: Some("the document".into()),
                }],
            }))
        }
    }

    #[test]
    fn an_exact_match_with_the_same_neighbours_is_in_context() {
        let tm = ContextTm {
            prev: Some("one  two".into()),
            next: Some("five six".into()),
        };
        let d = doc(
            "a.txt",
            &["one two", "three four", "five six", "three four"],
        );
        let out = leverage_at_75(d, &tm);
        let o = &out[0];
        assert_eq!(o[1].band, Band::Context);
        let h = o[1].hit.as_ref().unwrap();
        assert_eq!((h.score, h.target.as_str()), (CONTEXT_SCORE, "in context"));
        assert_eq!(h.origin.as_deref(), Some("the document"));
        assert_eq!(h.kind(), MatchKind::Context);
        // the same sentence elsewhere: a repetition, the plain exact match
        assert_eq!(o[3].band, Band::Repetition);
        assert_eq!(o[3].hit.as_ref().unwrap().target, "plain");
        assert_eq!(o[0].band, Band::Exact);
        // a document start matches only a start
        let c = ContextMatch {
            prev: None,
            next: Some("b".into()),
            target: String::new(),
            origin: None,
        };
        assert!(c.fits(None, Some(" b ")));
        assert!(!c.fits(Some("a"), Some("b")));
        assert!(!c.fits(None, None));
    }

    #[test]
    fn repetition_key_ignores_spacing_only() {
        assert_eq!(repetition_key("  A  b\tc "), "A b c");
        assert_ne!(repetition_key("A b"), repetition_key("a b"));
    }
}

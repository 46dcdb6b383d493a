//! XLIFF 1.2 and 2.0, as CAT tools write them: read the translatable
//! segments (with their inline codes), and fill targets while keeping every
//! other byte of the file as it was.
//!
//! Reading makes one pass over the file with quick-xml, checking that it is
//! well-formed (errors name the line and column) and recording the byte
//! spans of the structural elements only (`file`, `group`, `trans-unit`,
//! `unit`, `segment` and their direct children). Writing is splicing: the
//! original text is copied and only the spans that change are replaced
//! (a target inserted or filled, a `state` attribute set, an `alt-trans`
//! or `mtc:match` added). Indentation and line endings of the file are
//! followed; nothing else is re-serialised.
//!
//! Segments:
//! - XLIFF 1.2: one `<trans-unit>` is one segment, unless it has a
//!   `<seg-source>` with `<mrk mtype="seg">` markers (Okapi, Trados): then
//!   each marker is a segment and the target gets the same markers.
//! - XLIFF 2.0: each `<segment>` of a `<unit>` (`<ignorable>` is skipped).
//!
//! Inline codes (`<g>`, `<x/>`, `<bpt>`, `<ph>`, `<pc>`, `<sc/>` ...) are
//! kept as [`Tag`]s; the text between them is what is matched. A target is
//! rendered from a translation by putting the source's leading and trailing
//! codes around it and its inner codes after it (see [`Content::render`]),
//! so a target always carries every code of its source and stays
//! well-formed.
//!
//! # Files
//!
//! - this file: the model (document, files, units, segments, inline
//!   content, what a fill puts in);
//! - [`read`](mod@read): the well-formedness pass and the reading of units and
//!   inline content;
//! - [`fill`]: filling targets by splicing edits into the text as read;
//! - [`write`](mod@write): a new XLIFF 1.2 file written from plain segments.

use std::ops::Range;

use crate::xml::escape_text;
use polytm_core::error::Pos;

pub mod fill;
pub mod read;
pub mod write;

pub use fill::FillOptions;
pub use read::{parse, read};
pub use write::{NewFile, NewUnit, write_new};

pub const NS_V1: &str = "urn:oasis:names:tc:xliff:document:1.2";
pub const NS_V2: &str = "urn:oasis:names:tc:xliff:document:2.0";
pub const NS_MTC: &str = "urn:oasis:names:tc:xliff:matches:2.0";

/// Which XLIFF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// XLIFF 1.0–1.2 (`trans-unit`, `target state`, `alt-trans`).
    V1,
    /// XLIFF 2.x (`unit`/`segment`, segment `state`, `mtc:matches`).
    V2,
}

/// One `<file>` of the document.
#[derive(Debug, Clone)]
pub struct FileInfo {
    /// `source-language` (1.2) or the root's `srcLang` (2.0).
    pub source_lang: Option<String>,
    /// `target-language` (1.2) or the root's `trgLang` (2.0).
    pub target_lang: Option<String>,
    /// `original` (1.2) or `original`/`id` (2.0).
    pub original: Option<String>,
    /// Where the element that declares the languages starts.
    pub pos: Pos,
    node: usize,
}

/// A translation unit: `<trans-unit>` (1.2) or `<unit>` (2.0).
#[derive(Debug, Clone)]
pub struct Unit {
    pub id: String,
    /// Index into [`Document::files`].
    pub file: usize,
    /// `translate="no"` units are kept as they are and not counted.
    pub translate: bool,
    pub segments: Vec<XliffSegment>,
    node: usize,
}

/// One segment: the whole trans-unit, one `<mrk mtype="seg">` of a
/// `<seg-source>`, or one 2.0 `<segment>`.
#[derive(Debug, Clone)]
pub struct XliffSegment {
    /// The marker's `mid` (1.2 seg-source) or the segment's `id` (2.0).
    pub id: Option<String>,
    pub source: Content,
    /// The target as it is in the file, when there is one.
    pub target: Option<Content>,
    /// The target's `state` (1.2) or the segment's `state` (2.0).
    pub state: Option<String>,
    loc: Loc,
}

#[derive(Debug, Clone)]
enum Loc {
    /// 1.2 without seg-source: the trans-unit's `<source>` and `<target>`.
    Whole,
    /// 1.2 seg-source marker and the target's marker with the same mid.
    Mrk { source: Mrk, target: Option<Mrk> },
    /// 2.0 `<segment>` node.
    Segment(usize),
}

impl XliffSegment {
    /// The translation the file holds for this segment, when it is done
    /// (state translated, reviewed, signed-off or final, or no state):
    /// what its repetitions may inherit.
    pub fn done_translation(&self) -> Option<String> {
        if !self.is_filled() {
            return None;
        }
        match self.state.as_deref() {
            None | Some("translated" | "reviewed" | "signed-off" | "final") => {
                self.target.as_ref().map(Content::plain)
            }
            _ => None,
        }
    }

    /// Whether the file already holds a translation for this segment: a
    /// non-empty target that is not a copy of the source waiting for
    /// translation (`state` new / needs-translation / initial).
    pub fn is_filled(&self) -> bool {
        let Some(t) = &self.target else {
            return false;
        };
        if !t.has_text() {
            return false;
        }
        let waiting = matches!(
            self.state.as_deref(),
            Some("new" | "needs-translation" | "initial")
        );
        !(waiting && t.plain() == self.source.plain())
    }
}

/// Inline content: text and inline codes, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Content {
    pub parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Text, with character and entity references resolved.
    Text(String),
    Tag(Tag),
}

/// An inline code, kept exactly as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub kind: TagKind,
    /// Local element name: `g`, `x`, `bpt`, `pc`, `ph` ...
    pub name: String,
    /// The markup as it is in the file (for `bpt`/`ph`/... with their content).
    pub raw: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagKind {
    /// Start of a code that holds translatable text: `<g>`, `<pc>`, `<mrk>`.
    Open,
    /// Its end.
    Close,
    /// A code with no translatable text: `<x/>`, `<ph>…</ph>`, `<bpt>…</bpt>`, `<sc/>`.
    Standalone,
}

impl Content {
    /// The text without inline codes: what is matched and counted.
    pub fn plain(&self) -> String {
        let mut s = String::new();
        for p in &self.parts {
            if let Part::Text(t) = p {
                s.push_str(t);
            }
        }
        s
    }

    /// Whether there is text other than white space.
    pub fn has_text(&self) -> bool {
        self.parts
            .iter()
            .any(|p| matches!(p, Part::Text(t) if !t.trim().is_empty()))
    }

    pub fn has_tags(&self) -> bool {
        self.parts.iter().any(|p| matches!(p, Part::Tag(_)))
    }

    /// The text with the inline codes left in as written: the key that
    /// makes two segments repetitions of each other.
    pub fn raw(&self) -> String {
        let mut s = String::new();
        for p in &self.parts {
            match p {
                Part::Text(t) => s.push_str(t),
                Part::Tag(t) => s.push_str(&t.raw),
            }
        }
        s
    }

    /// Index range of the parts holding text: from the first to the last
    /// text part with something other than white space.
    fn text_span(&self) -> Option<(usize, usize)> {
        let is_text = |p: &Part| matches!(p, Part::Text(t) if !t.trim().is_empty());
        let first = self.parts.iter().position(is_text)?;
        let last = self.parts.iter().rposition(is_text)?;
        Some((first, last))
    }

    /// Inline codes between the first and the last word: those whose
    /// place in a translation polytm cannot know.
    pub fn inner_tags(&self) -> usize {
        match self.text_span() {
            Some((a, b)) => self.parts[a..=b]
                .iter()
                .filter(|p| matches!(p, Part::Tag(_)))
                .count(),
            None => 0,
        }
    }

    /// The target markup for a translation of this content: the codes
    /// before the first word, the translation (escaped here), the inner
    /// codes in their order, the codes after the last word. Every code of
    /// the source appears once and in its order, so the result is
    /// well-formed whenever the source is.
    pub fn render(&self, translation: &str) -> String {
        let mut out = String::new();
        let tag = |p: &Part, out: &mut String| {
            if let Part::Tag(t) = p {
                out.push_str(&t.raw);
            }
        };
        match self.text_span() {
            None => {
                out.push_str(&escape_text(translation));
                for p in &self.parts {
                    tag(p, &mut out);
                }
            }
            Some((a, b)) => {
                for p in &self.parts[..a] {
                    tag(p, &mut out);
                }
                out.push_str(&escape_text(translation));
                for p in &self.parts[a..=b] {
                    tag(p, &mut out);
                }
                for p in &self.parts[b + 1..] {
                    tag(p, &mut out);
                }
            }
        }
        out
    }

    /// The content as XLIFF markup: the text escaped, the codes as written.
    pub fn markup(&self) -> String {
        let mut s = String::new();
        for p in &self.parts {
            match p {
                Part::Text(t) => crate::xml::escape_text_into(&mut s, t),
                Part::Tag(t) => s.push_str(&t.raw),
            }
        }
        s
    }

    fn push_text(&mut self, s: &str) {
        if let Some(Part::Text(t)) = self.parts.last_mut() {
            t.push_str(s);
        } else {
            self.parts.push(Part::Text(s.to_string()));
        }
    }
}

impl From<String> for Content {
    /// Plain text, without codes.
    fn from(s: String) -> Content {
        Content {
            parts: if s.is_empty() {
                Vec::new()
            } else {
                vec![Part::Text(s)]
            },
        }
    }
}

impl From<&str> for Content {
    fn from(s: &str) -> Content {
        Content::from(s.to_string())
    }
}

/// How a target was obtained; sets `state` and `state-qualifier`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchKind {
    /// 100 %: the TM holds this very segment.
    Exact,
    /// 101 %, an in-context exact match: the TM holds this segment with
    /// the same previous and next segments (memoQ's 101 %, Okapi's
    /// `EXACT_LOCAL_CONTEXT`, Trados's context match).
    Context,
    /// A fuzzy match, as the TM has it.
    Fuzzy,
    /// A fuzzy match that polytm adapted (numbers, glossary terms).
    Repaired,
    /// The translation of an identical segment translated in the same
    /// file (a repetition).
    Inherited,
}

impl MatchKind {
    /// XLIFF 1.2 `state` and `state-qualifier`.
    pub fn v1_state(self) -> (&'static str, &'static str) {
        match self {
            MatchKind::Exact | MatchKind::Context => ("translated", "exact-match"),
            MatchKind::Fuzzy => ("needs-review-translation", "fuzzy-match"),
            MatchKind::Repaired => ("needs-review-translation", "leveraged-tm"),
            MatchKind::Inherited => ("translated", "leveraged-inherited"),
        }
    }

    /// Extra attributes of an XLIFF 1.2 `alt-trans` (Okapi's match type,
    /// its namespace declared in place).
    pub fn v1_alt_attrs(self) -> &'static str {
        match self {
            MatchKind::Context => {
                " okp:matchType=\"EXACT_LOCAL_CONTEXT\" xmlns:okp=\"okapi-framework:xliff-extensions\""
            }
            _ => "",
        }
    }

    /// XLIFF 2.0 `mtc:match` similarity (0–100 by the specification: an
    /// in-context match is 100 there) and extra attributes (`subType`).
    pub fn v2_match(self, score: u8) -> (u8, &'static str) {
        match self {
            MatchKind::Context => (score.min(100), " subType=\"polytm:context-match\""),
            _ => (score.min(100), ""),
        }
    }

    /// XLIFF 2.0 `state` and `subState`.
    pub fn v2_state(self) -> (&'static str, &'static str) {
        match self {
            MatchKind::Exact => ("translated", "polytm:exact-match"),
            MatchKind::Context => ("translated", "polytm:context-match"),
            MatchKind::Fuzzy => ("initial", "polytm:fuzzy-match"),
            MatchKind::Repaired => ("initial", "polytm:leveraged-tm"),
            MatchKind::Inherited => ("translated", "polytm:leveraged-inherited"),
        }
    }
}

/// A translation to put in a target, with the match it came from.
#[derive(Debug, Clone)]
pub struct Leveraged {
    /// The translation (plain text; escaped when written).
    pub target: String,
    /// Match quality, 0–100; 101 for an in-context exact match.
    pub score: u8,
    pub kind: MatchKind,
    /// The TM unit's source and target, for `alt-trans` / `mtc:match`.
    pub match_source: String,
    pub match_target: String,
    /// A note for the translator (what was repaired), in the alt-trans.
    pub note: Option<String>,
}

/// Fill segment `segment` of unit `unit`.
#[derive(Debug, Clone)]
pub struct Fill {
    pub unit: usize,
    pub segment: usize,
    pub leveraged: Leveraged,
}

/// A parsed XLIFF document, holding its text for [`Document::fill`].
#[derive(Debug, Clone)]
pub struct Document {
    pub version: Version,
    pub files: Vec<FileInfo>,
    pub units: Vec<Unit>,
    text: String,
    nodes: Vec<Node>,
    /// The file started with a UTF-8 byte-order mark.
    bom: bool,
    /// The file was UTF-16 (written back as UTF-8, declaration adjusted).
    utf16: bool,
    newline: &'static str,
}

/// An element with its spans (byte offsets into the text).
#[derive(Debug, Clone)]
struct Node {
    qname: String,
    local: String,
    attrs: Vec<(String, String)>,
    start: Range<usize>,
    end: Range<usize>,
    empty: bool,
    children: Vec<usize>,
}

impl Node {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn inner(&self) -> Range<usize> {
        if self.empty {
            self.start.end..self.start.end
        } else {
            self.start.end..self.end.start
        }
    }

    fn outer(&self) -> Range<usize> {
        self.start.start..if self.empty {
            self.start.end
        } else {
            self.end.end
        }
    }

    /// `xlf:` for `<xlf:trans-unit>`, empty without a prefix.
    fn prefix(&self) -> &str {
        match self.qname.find(':') {
            Some(i) => &self.qname[..=i],
            None => "",
        }
    }
}

/// A `<mrk mtype="seg">` of a seg-source or of a target.
#[derive(Debug, Clone)]
struct Mrk {
    mid: String,
    start: Range<usize>,
    inner: Range<usize>,
    empty: bool,
}

impl Document {
    /// The document text as read (UTF-8, without byte-order mark).
    pub fn text(&self) -> &str {
        &self.text
    }
}

#[cfg(test)]
mod tests;

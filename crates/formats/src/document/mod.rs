//! Documents as they really come: Word (`.docx`), OpenDocument text
//! (`.odt`) and HTML (`.html`, `.htm`), read into paragraphs and written
//! back with some sentences translated and every other byte as it was.
//!
//! # The model
//!
//! A [`Document`] keeps the text of the parts it read (`word/document.xml`,
//! `word/footnotes.xml`, `content.xml`, the HTML page decoded to UTF-8)
//! and, for each [`Paragraph`] (a heading, a body paragraph, a list item, a
//! table cell, a text box or footnote paragraph), its plain text and the
//! spans that make it up. A span is a stretch of the paragraph's text and
//! where it is in the part:
//!
//! - *verbatim*: the raw bytes are the text (most of any document), so a
//!   sentence boundary inside it maps to a byte of the part;
//! - *atomic*: the raw bytes stand for the text but are not it (`&amp;`,
//!   `&mdash;`, a run of HTML white space shown as one space);
//! - *markup*: an element that shows as text (`<w:tab/>`, `<w:br/>`,
//!   `<text:s/>`, `<br>`), with no text of its own to edit.
//!
//! Each span carries a *style*: the run properties of Word (`<w:rPr>` as
//! written, and the hyperlink or field it is in), the `text:span` styles
//! and links of ODF, the open inline elements of HTML (`<b>`, `<a href>`,
//! `<span class>`). Spans of one style that differ from the sentence's
//! main style become inline codes ([`Document::content`]: `<g>` around
//! them, `<x/>` for markup), as XLIFF carries them to a CAT tool.
//!
//! # Writing back
//!
//! [`Document::write`] edits text in place: for each translated sentence
//! the text of its spans is replaced inside the part (the first span gets
//! the translation, the others are emptied, unless the translation's inline
//! codes say which text goes in which run), and nothing else changes: no
//! element is added, dropped or re-serialised, so styles, tables, images,
//! headers and footers stay byte for byte. Zip entries that were not edited
//! are copied raw; an HTML page is encoded back in its own encoding (with
//! numeric character references for what that encoding lacks) and gets the
//! target language in `<html lang>`.
//!
//! # Files
//!
//! - this file: the model, inline codes and writing back;
//! - [`build`]: the paragraph builder the readers share (white space
//!   collapsing, entities, the size limit);
//! - [`package`]: zip containers (and what a file that is no zip is: an old
//!   binary `.doc`, an encrypted document, an HTML error page);
//! - [`docx`], [`odt`], [`html`]: the readers.

pub mod build;
pub mod docx;
pub mod html;
pub mod odt;
pub mod package;
mod xmlwalk;

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use crate::xliff::{Content, Part, Tag, TagKind};
use polytm_core::error::{Error, Result, display_path};

/// The kinds of documents read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    Docx,
    Odt,
    Html,
}

impl DocKind {
    /// The extension outputs are written with.
    pub fn extension(self) -> &'static str {
        match self {
            DocKind::Docx => "docx",
            DocKind::Odt => "odt",
            DocKind::Html => "html",
        }
    }

    /// The XLIFF `datatype` of a file extracted from this kind.
    pub fn datatype(self) -> &'static str {
        match self {
            DocKind::Docx => "x-docx",
            DocKind::Odt => "x-odt",
            DocKind::Html => "html",
        }
    }
}

/// A document read for translation: its paragraphs, and what writing it
/// back needs.
#[derive(Debug, Clone)]
pub struct Document {
    pub kind: DocKind,
    /// The file's name as given, for messages.
    pub file: String,
    pub paragraphs: Vec<Paragraph>,
    parts: Vec<PartText>,
    container: Container,
}

/// One part of the file that holds paragraphs, as text.
#[derive(Debug, Clone)]
struct PartText {
    /// The zip entry (empty for HTML).
    name: String,
    text: String,
}

#[derive(Debug, Clone)]
enum Container {
    /// The zip file as read: entries not edited are copied from it raw.
    Zip(Vec<u8>),
    /// An HTML page: its encoding and where its `<html>` start tag is.
    Html(html::Page),
}

/// A paragraph: its plain text (soft line breaks as `\n`, tabs as `\t`)
/// and where that text is in the file.
#[derive(Debug, Clone)]
pub struct Paragraph {
    pub text: String,
    part: usize,
    spans: Vec<Span>,
}

/// A stretch of a paragraph's text and where it is in its part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Span {
    /// Bytes of [`Paragraph::text`].
    pub text: Range<usize>,
    /// Bytes of the part's text; `None` for markup that shows as text.
    pub raw: Option<Range<usize>>,
    /// The raw bytes are the text itself.
    pub verbatim: bool,
    /// The formatting (an index into the reader's table; 0 is none).
    pub style: u32,
    /// Word: where ` xml:space="preserve"` goes in the `<w:t>` start tag
    /// when it lacks it (edited text may begin or end with a space).
    pub preserve_at: Option<usize>,
}

/// A sentence to put in the target language: a byte range of a
/// paragraph's text and its translation (plain text, or with the inline
/// codes of [`Document::content`]).
#[derive(Debug, Clone)]
pub struct Replacement {
    pub paragraph: usize,
    pub range: Range<usize>,
    pub target: Content,
}

/// Styles seen by a reader, numbered from 1 in the order first seen
/// (0: no formatting).
#[derive(Debug, Default)]
pub(crate) struct Styles(HashMap<String, u32>);

impl Styles {
    pub fn id(&mut self, key: &str) -> u32 {
        if key.is_empty() {
            return 0;
        }
        let next = self.0.len() as u32 + 1;
        *self.0.entry(key.to_string()).or_insert(next)
    }
}

/// The kind of document a path names by its extension, if any.
pub fn kind_of(path: &Path) -> Option<DocKind> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "docx" | "docm" | "dotx" => Some(DocKind::Docx),
        "odt" | "ott" => Some(DocKind::Odt),
        "html" | "htm" | "xhtml" => Some(DocKind::Html),
        _ => None,
    }
}

/// Read a document of a known kind from a file.
pub fn read(path: &Path, kind: DocKind) -> Result<Document> {
    let bytes = crate::input::read_bytes(path)?;
    parse(bytes, kind, &display_path(path))
}

/// Read a document from its bytes; `file` names it in errors.
pub fn parse(bytes: Vec<u8>, kind: DocKind, file: &str) -> Result<Document> {
    let doc = match kind {
        DocKind::Docx => docx::parse(bytes, file)?,
        DocKind::Odt => odt::parse(bytes, file)?,
        DocKind::Html => html::parse(bytes, file)?,
    };
    if doc.paragraphs.is_empty() {
        let what = match kind {
            DocKind::Html => {
                "has no text outside the page's furniture (navigation, header, footer, scripts)"
            }
            _ => "has no text in its body (page headers and footers are not read)",
        };
        return Err(Error::input(file, None, what));
    }
    Ok(doc)
}

impl Document {
    fn new(kind: DocKind, file: &str, container: Container) -> Document {
        Document {
            kind,
            file: file.to_string(),
            paragraphs: Vec::new(),
            parts: Vec::new(),
            container,
        }
    }

    fn add_part(&mut self, name: &str, text: String) -> usize {
        self.parts.push(PartText {
            name: name.to_string(),
            text,
        });
        self.parts.len() - 1
    }

    /// The text of the document as plain text: paragraphs separated by a
    /// blank line, as the text readers see paragraphs.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for (k, p) in self.paragraphs.iter().enumerate() {
            if k > 0 {
                out.push_str("\n\n");
            }
            out.push_str(&p.text);
        }
        out.push('\n');
        out
    }

    /// The spans of paragraph `para` that overlap bytes `range` of its
    /// text, each with the part of the range it covers.
    fn portions(&self, para: usize, range: &Range<usize>) -> Vec<(&Span, Range<usize>)> {
        let p = &self.paragraphs[para];
        p.spans
            .iter()
            .filter(|s| s.text.start < range.end && s.text.end > range.start)
            .map(|s| (s, s.text.start.max(range.start)..s.text.end.min(range.end)))
            .collect()
    }

    /// Bytes `range` of paragraph `para` with its inline codes: `<g id>`
    /// around stretches whose formatting differs from the sentence's main
    /// one (the formatting of most of its characters), `<x id/>` for
    /// markup inside it (a tab, a line break).
    pub fn content(&self, para: usize, range: Range<usize>) -> Content {
        let text = &self.paragraphs[para].text;
        let plan = Plan::of(self, para, &range);
        let mut c = Content::default();
        let mut gaps = plan.gaps.iter();
        let push_gap = |c: &mut Content, gap: Option<&Vec<usize>>| {
            let mut s = String::new();
            for &i in gap.into_iter().flatten() {
                s.push_str(&text[plan.portions[i].1.clone()]);
            }
            if !s.is_empty() {
                c.parts.push(Part::Text(s));
            }
        };
        push_gap(&mut c, gaps.next());
        for e in &plan.events {
            c.parts.push(Part::Tag(e.tag()));
            push_gap(&mut c, gaps.next());
        }
        c
    }

    /// The document with `replacements` made (and, for HTML, the target
    /// language in `<html lang>`), as the bytes of a file of its kind.
    ///
    /// What is written is read again before it is given back: a document
    /// whose own markup is broken (an attribute never closed, say) could
    /// otherwise come out as a file no reader, polytm's included, takes.
    /// Such a document is refused with an error naming it.
    pub fn write(&self, replacements: &[Replacement], target_lang: &str) -> Result<Vec<u8>> {
        let out = self.write_unchecked(replacements, target_lang)?;
        let refuse = |why: String| {
            Error::input(
                &self.file,
                None,
                format!(
                    "cannot be written back safely: {why}; repair the document's markup (open and save it in an editor), or use --format xliff"
                ),
            )
        };
        let again = parse(out.clone(), self.kind, &self.file).map_err(|e| {
            refuse(format!(
                "the translated document would not read again ({})",
                e.short()
            ))
        })?;
        if let Some(k) = self.changed_by_writing(&again, replacements) {
            return Err(refuse(format!(
                "paragraph {} would not read back as written",
                k + 1
            )));
        }
        Ok(out)
    }

    /// The first paragraph of `again` (this document written and read
    /// back) that is not what writing meant: the same paragraphs, those
    /// not replaced with the same text, each replaced one holding the
    /// words of its translation.
    fn changed_by_writing(&self, again: &Document, replacements: &[Replacement]) -> Option<usize> {
        if again.paragraphs.len() != self.paragraphs.len() {
            return Some(again.paragraphs.len().min(self.paragraphs.len()));
        }
        let replaced: std::collections::HashSet<usize> =
            replacements.iter().map(|r| r.paragraph).collect();
        for (k, (a, b)) in self.paragraphs.iter().zip(&again.paragraphs).enumerate() {
            if !replaced.contains(&k) && a.text != b.text {
                return Some(k);
            }
        }
        for r in replacements {
            let text = &again.paragraphs[r.paragraph].text;
            let words = r.target.parts.iter().filter_map(|p| match p {
                Part::Text(t) => Some(t.split_whitespace()),
                Part::Tag(_) => None,
            });
            if words.flatten().any(|w| !text.contains(w)) {
                return Some(r.paragraph);
            }
        }
        None
    }

    fn write_unchecked(&self, replacements: &[Replacement], target_lang: &str) -> Result<Vec<u8>> {
        let mut edits: Vec<Vec<Edit>> = vec![Vec::new(); self.parts.len()];
        for r in replacements {
            let part = self.paragraphs[r.paragraph].part;
            edits[part].extend(self.edits_for(r));
        }
        if let Container::Html(page) = &self.container
            && let Some(e) = page.lang_edit(&self.parts[0].text, target_lang)
        {
            edits[0].push(e);
        }
        let texts: Vec<Option<String>> = self
            .parts
            .iter()
            .zip(edits)
            .map(|(p, e)| (!e.is_empty()).then(|| splice(&p.text, e)))
            .collect();
        match &self.container {
            Container::Zip(bytes) => {
                let changed: Vec<(&str, &str)> = self
                    .parts
                    .iter()
                    .zip(&texts)
                    .filter_map(|(p, t)| Some((p.name.as_str(), t.as_deref()?)))
                    .collect();
                package::rewrite(bytes, &changed, &self.file)
            }
            Container::Html(page) => {
                Ok(page.encode(texts[0].as_deref().unwrap_or(&self.parts[0].text)))
            }
        }
    }

    /// The edits of the part that put one translation in place.
    fn edits_for(&self, r: &Replacement) -> Vec<Edit> {
        let plan = Plan::of(self, r.paragraph, &r.range);
        let mut texts: Vec<Option<String>> = vec![None; plan.portions.len()];
        match plan.target_gaps(&r.target) {
            Some(gaps) => {
                // each stretch of the translation in the run its code names
                let mut last: Option<usize> = None;
                let mut orphan = String::new();
                for (g, t) in plan.gaps.iter().zip(gaps) {
                    match g.iter().copied().find(|&i| plan.editable(i)) {
                        Some(i) => {
                            let mut s = std::mem::take(&mut orphan);
                            s.push_str(&t);
                            texts[i] = Some(s);
                            last = Some(i);
                        }
                        None => match last {
                            Some(i) => texts[i].get_or_insert_with(String::new).push_str(&t),
                            None => orphan.push_str(&t),
                        },
                    }
                }
                if !orphan.is_empty()
                    && let Some(i) = (0..plan.portions.len()).find(|&i| plan.editable(i))
                {
                    texts[i].get_or_insert_with(String::new).push_str(&orphan);
                }
            }
            None => {
                // the whole translation in the first run
                if let Some(i) = (0..plan.portions.len()).find(|&i| plan.editable(i)) {
                    texts[i] = Some(r.target.plain());
                }
            }
        }
        let mut edits = Vec::new();
        let mut preserve = Vec::new();
        for (i, (span, range)) in plan.portions.iter().enumerate() {
            let Some(raw) = &span.raw else { continue };
            let new = texts[i].take().unwrap_or_default();
            let at = if span.verbatim {
                raw.start + (range.start - span.text.start)
                    ..raw.start + (range.end - span.text.start)
            } else {
                raw.clone()
            };
            edits.push(Edit {
                at,
                text: self.escape(&new),
            });
            // Word drops white space at the ends of a `<w:t>` without
            // xml:space="preserve": add it where the new text may have some
            let ends_change = !new.is_empty()
                && (new.starts_with(char::is_whitespace)
                    || new.ends_with(char::is_whitespace)
                    || range.start > span.text.start
                    || range.end < span.text.end);
            if let Some(p) = span.preserve_at.filter(|_| ends_change)
                && !preserve.contains(&p)
            {
                preserve.push(p);
                edits.push(Edit {
                    at: p..p,
                    text: " xml:space=\"preserve\"".into(),
                });
            }
        }
        edits
    }

    fn escape(&self, s: &str) -> String {
        match self.kind {
            DocKind::Html => html::escape(s),
            _ => crate::xml::escape_text(s),
        }
    }
}

/// How a sentence lies over its spans: the portions, the inline codes
/// between them and the text stretches (gaps) the codes separate.
struct Plan<'a> {
    portions: Vec<(&'a Span, Range<usize>)>,
    events: Vec<Code>,
    /// Indices into `portions` between consecutive events (one more gap
    /// than events).
    gaps: Vec<Vec<usize>>,
}

/// An inline code of a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Code {
    kind: TagKind,
    id: u32,
}

impl Code {
    fn tag(&self) -> Tag {
        let (name, raw) = match self.kind {
            TagKind::Open => ("g", format!("<g id=\"{}\">", self.id)),
            TagKind::Close => ("g", "</g>".to_string()),
            TagKind::Standalone => ("x", format!("<x id=\"{}\"/>", self.id)),
        };
        Tag {
            kind: self.kind,
            name: name.into(),
            raw,
        }
    }
}

impl<'a> Plan<'a> {
    fn of(doc: &'a Document, para: usize, range: &Range<usize>) -> Plan<'a> {
        let portions = doc.portions(para, range);
        // the main style: the one most characters have (the first on a tie)
        let mut weight: Vec<(u32, usize)> = Vec::new();
        for (s, r) in portions.iter().filter(|(s, _)| s.raw.is_some()) {
            match weight.iter_mut().find(|(st, _)| *st == s.style) {
                Some(w) => w.1 += r.len(),
                None => weight.push((s.style, r.len())),
            }
        }
        let main = weight
            .iter()
            .fold(None::<(u32, usize)>, |best, &(st, n)| match best {
                Some((_, m)) if m >= n => best,
                _ => Some((st, n)),
            })
            .map_or(0, |(st, _)| st);
        let mut events = Vec::new();
        let mut gaps = vec![Vec::new()];
        let mut open: Option<u32> = None;
        let mut next_id = 1;
        for (i, (s, r)) in portions.iter().enumerate() {
            if r.is_empty() {
                continue;
            }
            if s.raw.is_none() {
                events.push(Code {
                    kind: TagKind::Standalone,
                    id: next_id,
                });
                next_id += 1;
                gaps.push(Vec::new());
                continue;
            }
            if open.is_some_and(|st| st != s.style) || (open.is_none() && s.style != main) {
                if open.take().is_some() {
                    events.push(Code {
                        kind: TagKind::Close,
                        id: 0,
                    });
                    gaps.push(Vec::new());
                }
                if s.style != main {
                    events.push(Code {
                        kind: TagKind::Open,
                        id: next_id,
                    });
                    next_id += 1;
                    gaps.push(Vec::new());
                    open = Some(s.style);
                }
            }
            gaps.last_mut().expect("one gap at least").push(i);
        }
        if open.is_some() {
            events.push(Code {
                kind: TagKind::Close,
                id: 0,
            });
            gaps.push(Vec::new());
        }
        Plan {
            portions,
            events,
            gaps,
        }
    }

    fn editable(&self, i: usize) -> bool {
        self.portions[i].0.raw.is_some()
    }

    /// The translation's text between its codes, one string per gap, when
    /// its codes are the sentence's codes in the same order; `None` when
    /// they are not (a plain translation of a sentence with codes, codes
    /// moved or dropped).
    fn target_gaps(&self, target: &Content) -> Option<Vec<String>> {
        let mut codes = Vec::new();
        let mut texts = vec![String::new()];
        for p in &target.parts {
            match p {
                Part::Text(t) => texts.last_mut().expect("one at least").push_str(t),
                Part::Tag(t) => {
                    let id = match t.kind {
                        TagKind::Close => 0,
                        _ => attr_id(&t.raw)?,
                    };
                    codes.push(Code { kind: t.kind, id });
                    texts.push(String::new());
                }
            }
        }
        (codes == self.events).then_some(texts)
    }
}

/// The numeric `id` attribute of an inline code as written.
fn attr_id(raw: &str) -> Option<u32> {
    let i = raw.find(" id=")? + 4;
    let rest = &raw[i..];
    let q = rest.chars().next()?;
    let rest = &rest[1..];
    rest[..rest.find(q)?].parse().ok()
}

/// A change to a part's text: bytes `at` replaced by `text`.
#[derive(Debug, Clone)]
pub(crate) struct Edit {
    pub at: Range<usize>,
    pub text: String,
}

/// `text` with the edits made (they must not overlap).
fn splice(text: &str, mut edits: Vec<Edit>) -> String {
    edits.sort_by_key(|e| (e.at.start, e.at.end));
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    for e in edits {
        let start = e.at.start.max(at);
        out.push_str(&text[at..start]);
        out.push_str(&e.text);
        at = e.at.end.max(start);
    }
    out.push_str(&text[at..]);
    out
}

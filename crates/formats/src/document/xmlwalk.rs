//! One pass over the XML of a document part with quick-xml (the XML
//! parser the other readers use), recording where each event is, for the
//! Word and ODF readers: they say which elements are paragraphs, which are
//! skipped and what style text has; the walk does the rest (paragraphs
//! nested in text boxes and notes, text and references, errors with the
//! part's name, line and column).

use std::ops::Range;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::Paragraph;
use super::build::{ParaBuilder, Space};
use crate::xliff::read::{pos_of, qx_message, resolve_ref};
use polytm_core::error::{Error, Result};

/// Where text found now goes: its style, how its white space shows, and
/// (Word) where `xml:space="preserve"` would go in its element's start tag.
#[derive(Debug, Clone, Copy)]
pub struct TextHere {
    pub style: u32,
    pub space: Space,
    pub preserve_at: Option<usize>,
}

/// What a reader does with the elements of its format.
pub trait Handler {
    /// An element starts (`empty`: `<x/>`, it ends at once); `at` is its
    /// start tag in the part.
    fn start(&mut self, w: &mut Walk, e: &BytesStart, at: Range<usize>, empty: bool) -> Result<()>;
    /// An element that was not skipped ends.
    fn end(&mut self, w: &mut Walk, name: &str) -> Result<()>;
    /// Where text read now goes, `None` when it is not content.
    fn text_here(&self) -> Option<TextHere>;
}

/// The state of a walk that handlers act on.
pub struct Walk<'a> {
    pub text: &'a str,
    part: usize,
    file: &'a str,
    part_name: &'a str,
    /// Open paragraphs (a text box or a note opens one inside another).
    frames: Vec<(usize, ParaBuilder)>,
    out: Vec<Option<Paragraph>>,
    /// Set by a handler: skip the element that just started.
    skip_this: bool,
}

impl Walk<'_> {
    /// A paragraph starts here.
    pub fn open_paragraph(&mut self) {
        self.out.push(None);
        self.frames
            .push((self.out.len() - 1, ParaBuilder::new(self.part)));
    }

    /// The innermost paragraph ends here.
    pub fn close_paragraph(&mut self) -> Result<()> {
        let Some((slot, b)) = self.frames.pop() else {
            return Ok(());
        };
        let n = slot + 1;
        let part = self.part_name;
        self.out[slot] = b.finish(self.file, &|| format!("{part}, paragraph {n}"))?;
        Ok(())
    }

    /// Leave out the element that just started, with all it holds.
    pub fn skip(&mut self) {
        self.skip_this = true;
    }

    /// The paragraph being read, if any.
    pub fn paragraph(&mut self) -> Option<&mut ParaBuilder> {
        self.frames.last_mut().map(|(_, b)| b)
    }

    /// An error at byte `at` of the part.
    pub fn error(&self, at: usize, msg: impl std::fmt::Display) -> Error {
        let pos = pos_of(self.text, at);
        Error::input(self.file, None, format!("{}:{pos}: {msg}", self.part_name))
    }
}

/// Walk the XML `text` of part number `part` (named `part_name` in
/// errors); the paragraphs in the order they start.
pub fn walk(
    text: &str,
    part: usize,
    file: &str,
    part_name: &str,
    h: &mut dyn Handler,
) -> Result<Vec<Paragraph>> {
    let mut r = Reader::from_str(text);
    r.config_mut().check_end_names = true;
    let mut w = Walk {
        text,
        part,
        file,
        part_name,
        frames: Vec::new(),
        out: Vec::new(),
        skip_this: false,
    };
    let mut skip = 0usize;
    let mut open: Vec<usize> = Vec::new();
    loop {
        let before = r.buffer_position() as usize;
        let ev = match r.read_event() {
            Ok(ev) => ev,
            Err(e) => {
                let at = r.error_position() as usize;
                return Err(w.error(at, qx_message(&e)));
            }
        };
        let after = r.buffer_position() as usize;
        match ev {
            Event::Start(e) => {
                open.push(before);
                if skip > 0 {
                    skip += 1;
                    continue;
                }
                h.start(&mut w, &e, before..after, false)?;
                if std::mem::take(&mut w.skip_this) {
                    skip = 1;
                }
            }
            Event::Empty(e) if skip == 0 => {
                h.start(&mut w, &e, before..after, true)?;
                w.skip_this = false;
            }
            Event::End(e) => {
                open.pop();
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                h.end(&mut w, e.name().as_ref())?;
            }
            Event::Text(_) if skip == 0 => {
                if let Some(t) = h.text_here()
                    && let Some(b) = w.paragraph()
                    && let Some(span) = b.text(before, &text[before..after], t.style, t.space)
                {
                    span.preserve_at = t.preserve_at;
                }
            }
            Event::GeneralRef(g) if skip == 0 => {
                let shown = resolve_ref(&g).map_err(|m| w.error(before, m))?;
                if let Some(t) = h.text_here()
                    && let Some(b) = w.paragraph()
                {
                    b.reference(before..after, &shown, t.style);
                }
            }
            Event::CData(_) if skip == 0 => {
                // `<![CDATA[` ... `]]>`: the text inside is as written
                if let Some(t) = h.text_here()
                    && let Some(b) = w.paragraph()
                {
                    let inner = before + 9..after - 3;
                    b.text(inner.start, &text[inner], t.style, t.space);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        if w.paragraph()
            .is_some_and(|b| b.len() > crate::limits::MAX_SEGMENT_BYTES)
        {
            w.close_paragraph()?;
        }
    }
    if let Some(&at) = open.last() {
        return Err(w.error(at, "an element is not closed (is the file truncated?)"));
    }
    Ok(w.out.into_iter().flatten().collect())
}

/// The value of attribute `name` of a start tag (references resolved).
pub fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

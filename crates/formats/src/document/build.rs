//! Building a paragraph from what a reader meets: text as it is in the
//! file, text that stands for other text (entities, white space shown as
//! one space), and markup that shows as text (tabs, line breaks).

use std::ops::Range;

use super::{Paragraph, Span};
use crate::limits::MAX_SEGMENT_BYTES;
use polytm_core::error::{Error, Result};

/// How white space in the file's text shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Space {
    /// As written (Word: `<w:t>` holds the text itself).
    Kept,
    /// Runs of spaces, tabs and line breaks show as one space, none at the
    /// start of a paragraph or after a line break (HTML outside `<pre>`,
    /// ODF text).
    Collapsed,
}

/// A paragraph being read.
#[derive(Debug, Clone)]
pub struct ParaBuilder {
    part: usize,
    text: String,
    spans: Vec<Span>,
}

impl ParaBuilder {
    pub fn new(part: usize) -> ParaBuilder {
        ParaBuilder {
            part,
            text: String::new(),
            spans: Vec::new(),
        }
    }

    fn push(
        &mut self,
        s: &str,
        raw: Option<Range<usize>>,
        verbatim: bool,
        style: u32,
    ) -> &mut Span {
        let start = self.text.len();
        self.text.push_str(s);
        self.spans.push(Span {
            text: start..self.text.len(),
            raw,
            verbatim,
            style,
            preserve_at: None,
        });
        self.spans.last_mut().expect("just pushed")
    }

    /// Text `s` found at byte `at` of the part, written as it shows (no
    /// references in it).
    pub(crate) fn text(
        &mut self,
        at: usize,
        s: &str,
        style: u32,
        space: Space,
    ) -> Option<&mut Span> {
        if s.is_empty() {
            return None;
        }
        if space == Space::Kept {
            return Some(self.push(s, Some(at..at + s.len()), true, style));
        }
        let mut last = None;
        let mut rest = s;
        let mut pos = at;
        while !rest.is_empty() {
            let ws = rest.len() - rest.trim_start_matches(is_html_space).len();
            if ws > 0 {
                if !self.text.is_empty() && !self.text.ends_with([' ', '\n']) {
                    last = Some(self.spans.len());
                    self.push(" ", Some(pos..pos + ws), false, style);
                }
                rest = &rest[ws..];
                pos += ws;
                continue;
            }
            let word = rest.find(is_html_space).unwrap_or(rest.len());
            last = Some(self.spans.len());
            self.push(&rest[..word], Some(pos..pos + word), true, style);
            rest = &rest[word..];
            pos += word;
        }
        last.map(|i| &mut self.spans[i])
    }

    /// Text `shown` that the raw bytes `raw` of the part stand for (a
    /// character or entity reference).
    pub fn reference(&mut self, raw: Range<usize>, shown: &str, style: u32) {
        if !shown.is_empty() {
            self.push(shown, Some(raw), false, style);
        }
    }

    /// Markup that shows as `shown` (a tab, a line break, spaces).
    pub fn markup(&mut self, shown: &str, style: u32) {
        if shown == "\n" {
            self.trim_space();
        }
        self.push(shown, None, false, style);
    }

    /// Whether nothing has been read yet.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Drop a collapsed space at the end (it does not show).
    fn trim_space(&mut self) {
        if let Some(s) = self.spans.last()
            && !s.verbatim
            && s.raw.is_some()
            && self.text[s.text.clone()] == *" "
        {
            self.text.truncate(s.text.start);
            self.spans.pop();
        }
    }

    /// The paragraph, unless it holds nothing but white space; an error
    /// naming `file` and `where_` when it is longer than a segment may be.
    pub fn finish(mut self, file: &str, where_: &dyn Fn() -> String) -> Result<Option<Paragraph>> {
        self.trim_space();
        if self.text.trim().is_empty() {
            return Ok(None);
        }
        if self.text.len() > MAX_SEGMENT_BYTES {
            return Err(Error::input(
                file,
                None,
                format!(
                    "{}: a paragraph of {} MiB, longer than polytm reads ({} MiB); is the file damaged?",
                    where_(),
                    self.text.len() >> 20,
                    MAX_SEGMENT_BYTES >> 20
                ),
            ));
        }
        Ok(Some(Paragraph {
            text: self.text,
            part: self.part,
            spans: self.spans,
        }))
    }

    /// Bytes read so far (readers stop a runaway paragraph early).
    pub fn len(&self) -> usize {
        self.text.len()
    }
}

/// White space as HTML and ODF collapse it (not the no-break space).
pub fn is_html_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{C}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapsed_space_keeps_raw_places() {
        let raw = "  The\n   quick  fox ";
        let mut b = ParaBuilder::new(0);
        b.text(10, raw, 0, Space::Collapsed);
        let p = b.finish("f", &|| "x".into()).unwrap().unwrap();
        assert_eq!(p.text, "The quick fox");
        let s = &p.spans;
        assert_eq!(s[0].raw, Some(12..15));
        assert!(s[0].verbatim);
        assert_eq!(s[1].raw, Some(15..19));
        assert!(!s[1].verbatim);
        assert_eq!(s.len(), 5);
    }

    #[test]
    fn blank_paragraphs_are_none_and_long_ones_refused() {
        let mut b = ParaBuilder::new(0);
        b.text(0, " \u{A0} ", 0, Space::Kept);
        assert!(b.finish("f", &|| "x".into()).unwrap().is_none());
        let mut b = ParaBuilder::new(0);
        let big = "a".repeat(MAX_SEGMENT_BYTES + 1);
        b.text(0, &big, 0, Space::Kept);
        let e = b.finish("f.docx", &|| "paragraph 3".into()).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("f.docx: paragraph 3: a paragraph of 16 MiB"),
            "{e}"
        );
    }

    #[test]
    fn line_breaks_drop_the_space_before() {
        let mut b = ParaBuilder::new(0);
        b.text(0, "One. ", 0, Space::Collapsed);
        b.markup("\n", 0);
        b.text(5, " Two.", 0, Space::Collapsed);
        let p = b.finish("f", &|| "x".into()).unwrap().unwrap();
        assert_eq!(p.text, "One.\nTwo.");
    }
}

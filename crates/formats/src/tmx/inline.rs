//! The inline markup of a `<seg>`: `InlineBuilder` makes a segment's
//! views (markup and plain text) while the reader reads it, and
//! [`parse_inline`] reads a stored markup text back.

use super::read::{Ev, Name, TmxReader, attr, forbidden_msg};
use super::{TmxError, TmxSegment};
use crate::xml::{escape_attr_into, escape_text_into, forbidden_char};

/// Builds the views of a segment's content while it is read. Until the
/// first inline element only `all` is kept (plain text is the common case
/// and costs one string); the markup and plain views start at that element.
#[derive(Default)]
pub(super) struct InlineBuilder {
    /// All text, codes included ("native"), unescaped.
    pub(super) all: String,
    /// Once an inline element was seen: the content as TMX inline XML.
    markup: String,
    /// Once an inline element was seen: text outside native codes.
    plain: String,
    has_markup: bool,
    /// Open inline elements: (name, inside a native code).
    stack: Vec<(String, bool)>,
}

/// Elements whose content is a native code, not text of the sentence.
const CODES: &[&str] = &["bpt", "ept", "ph", "it", "ut"];

impl InlineBuilder {
    pub(super) fn text(&mut self, t: &str) {
        if self.has_markup {
            escape_text_into(&mut self.markup, t);
            if !self.hidden() {
                self.plain.push_str(t);
            }
        }
        self.all.push_str(t);
    }

    /// The same, taking the string (no copy for a segment of one text).
    pub(super) fn text_owned(&mut self, t: String) {
        if self.all.is_empty() && !self.has_markup {
            self.all = t;
        } else {
            self.text(&t);
        }
    }

    fn hidden(&self) -> bool {
        self.stack.last().is_some_and(|s| s.1)
    }

    /// Open an inline element; check it is allowed where it is.
    pub(super) fn open(
        &mut self,
        name: &str,
        attrs: Vec<(String, String)>,
        empty: bool,
    ) -> std::result::Result<(), String> {
        let parent = self.stack.last().map_or("seg", |s| s.0.as_str());
        let allowed: &[&str] = match parent {
            "seg" | "hi" | "sub" => &["bpt", "ept", "ph", "it", "hi", "ut"],
            _ => &["sub"],
        };
        if !allowed.contains(&name) {
            return Err(
                if ["bpt", "ept", "ph", "it", "hi", "ut", "sub"].contains(&name) {
                    format!("<{name}> is not allowed inside <{parent}> in TMX 1.4")
                } else {
                    format!(
                        "unknown inline element <{name}> in <{parent}> (TMX allows bpt, ept, ph, it, hi, ut and sub)"
                    )
                },
            );
        }
        let known: &[&str] = match name {
            "bpt" => &["i", "x", "type"],
            "ept" => &["i"],
            "sub" => &["datatype", "type"],
            "it" => &["pos", "x", "type"],
            "ph" => &["x", "assoc", "type"],
            "hi" => &["x", "type"],
            _ => &["x"],
        };
        let required: &[&str] = match name {
            "bpt" | "ept" => &["i"],
            "it" => &["pos"],
            _ => &[],
        };
        for r in required {
            if !attrs.iter().any(|(k, _)| k == r) {
                return Err(format!("<{name}> without its required attribute {r}"));
            }
        }
        if name == "it" && !matches!(attr(&attrs, "pos"), Some("begin" | "end")) {
            return Err("<it> needs pos=\"begin\" or pos=\"end\"".into());
        }
        if let Some(c) = attrs.iter().find_map(|(_, v)| forbidden_char(v)) {
            return Err(forbidden_msg(c, name));
        }
        if !self.has_markup {
            self.has_markup = true;
            escape_text_into(&mut self.markup, &self.all);
            self.plain.push_str(&self.all);
        }
        self.markup.push('<');
        self.markup.push_str(name);
        for (k, v) in attrs.iter().filter(|(k, _)| known.contains(&k.as_str())) {
            self.markup.push(' ');
            self.markup.push_str(k);
            self.markup.push_str("=\"");
            escape_attr_into(&mut self.markup, v);
            self.markup.push('"');
        }
        if empty {
            self.markup.push_str("/>");
        } else {
            self.markup.push('>');
            let hidden = self.hidden() || CODES.contains(&name);
            self.stack.push((name.to_string(), hidden));
        }
        Ok(())
    }

    /// Close the innermost open inline element; false when none is open
    /// (the end tag is `</seg>`).
    pub(super) fn close(&mut self) -> bool {
        match self.stack.pop() {
            Some((name, _)) => {
                self.markup.push_str("</");
                self.markup.push_str(&name);
                self.markup.push('>');
                true
            }
            None => false,
        }
    }

    pub(super) fn segment(self) -> TmxSegment {
        if self.has_markup {
            TmxSegment {
                text: self.markup,
                plain: Some(self.plain),
            }
        } else {
            TmxSegment {
                text: self.all,
                plain: None,
            }
        }
    }
}

/// One piece of a segment's content: text, or an inline element with its
/// content (`<bpt i="1">&lt;b&gt;</bpt>`, `<ph x="2"/>`, `<hi>` or `</hi>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Text, unescaped.
    Text(String),
    /// An inline element as written in the markup: its name and markup.
    Code { name: String, raw: String },
}

/// The content of a markup text as [`TmxSegment::text`] holds it (well
/// formed, as this reader writes it) cut into text and inline elements, in
/// order: what checks compare code by code. A native code (`bpt ept ph it
/// ut`) is one piece with everything inside it; `hi` gives a piece for its
/// start tag and one for its end tag, its text staying text.
pub fn pieces(markup: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut rest = markup;
    while !rest.is_empty() {
        if let Some(tail) = rest.strip_prefix('<') {
            let end = tail.find('>').map_or(rest.len(), |i| i + 2);
            let tag = &rest[..end];
            let closing = tag.starts_with("</");
            let name: String = tag
                .trim_start_matches(['<', '/'])
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            let mut len = end;
            if !closing && !tag.ends_with("/>") && CODES.contains(&name.as_str()) {
                // the element with its content, to its matching end tag
                let (open, close) = (format!("<{name}"), format!("</{name}>"));
                let mut depth = 1;
                let mut at = end;
                while depth > 0 && at < rest.len() {
                    let o = rest[at..].find(&open).map(|i| at + i);
                    let c = rest[at..].find(&close).map(|i| at + i);
                    match (o, c) {
                        (Some(o), Some(c)) if o < c => {
                            depth += 1;
                            at = o + open.len();
                        }
                        (_, Some(c)) => {
                            depth -= 1;
                            at = c + close.len();
                        }
                        _ => at = rest.len(),
                    }
                }
                len = at;
            }
            if !text.is_empty() {
                out.push(Piece::Text(std::mem::take(&mut text)));
            }
            out.push(Piece::Code {
                name,
                raw: rest[..len].to_string(),
            });
            rest = &rest[len..];
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            text.push_str(&crate::xml::unescape(&rest[..end]));
            rest = &rest[end..];
        }
    }
    if !text.is_empty() {
        out.push(Piece::Text(text));
    }
    out
}

/// A stored markup text, read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inline {
    /// The text without the markup (as in [`TmxSegment::plain`]).
    pub plain: String,
    /// All text, the native codes put back: `Click <b>OK</b>` for
    /// `Click <bpt i="1">&lt;b&gt;</bpt>OK<ept i="1">&lt;/b&gt;</ept>`.
    pub native: String,
    /// The markup as this reader writes it (equal to the input when the
    /// input came from this reader).
    pub markup: String,
    /// Whether there is any inline element (else `markup` is only escaped
    /// text and `plain` is the whole text).
    pub has_markup: bool,
}

/// Read the content of a `<seg>` written as TMX inline XML (what
/// [`TmxSegment::text`] holds when `plain` is set). Errors are a message and a
/// character offset into `markup`.
pub fn parse_inline(markup: &str) -> std::result::Result<Inline, (usize, String)> {
    let wrapped = format!("<seg>{markup}</seg>");
    let mut r = TmxReader::new(wrapped.as_bytes());
    let to_char_offset = |byte: u64| {
        let b = (byte as usize).saturating_sub(5).min(markup.len());
        markup.char_indices().take_while(|(i, _)| *i < b).count()
    };
    let err = |e: TmxError| match e {
        TmxError::At { offset, msg } => (to_char_offset(offset), msg),
        TmxError::Io(e) => (0, e.to_string()),
    };
    match r.next().map_err(err)? {
        Ev::Start(Name::Seg, _) => {}
        _ => return Err((0, "not inline markup".into())),
    }
    let mut b = InlineBuilder::default();
    loop {
        match r.next().map_err(err)? {
            Ev::Text(t) | Ev::Char(t) => b.text(&t),
            Ev::Start(n, a) => b
                .open(n.as_str(), a, false)
                .map_err(|m| (to_char_offset(r.pos), m))?,
            Ev::Empty(n, a) => b
                .open(n.as_str(), a, true)
                .map_err(|m| (to_char_offset(r.pos), m))?,
            Ev::End(_) => {
                if !b.close() {
                    break;
                }
            }
            Ev::Eof => return Err((markup.chars().count(), "unclosed element".into())),
            Ev::Other => {}
        }
    }
    match r.next().map_err(err)? {
        Ev::Eof => {}
        _ => return Err((markup.chars().count(), "text after the segment".into())),
    }
    if let Some(c) = forbidden_char(&b.all) {
        return Err((0, forbidden_msg(c, "seg")));
    }
    if !b.has_markup {
        let mut markup = String::with_capacity(b.all.len());
        escape_text_into(&mut markup, &b.all);
        return Ok(Inline {
            has_markup: false,
            plain: b.all.clone(),
            native: b.all,
            markup,
        });
    }
    Ok(Inline {
        has_markup: true,
        plain: b.plain,
        native: b.all,
        markup: b.markup,
    })
}

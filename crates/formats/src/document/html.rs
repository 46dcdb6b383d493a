//! HTML pages (`.html`, `.htm`): the main content, as a browser shows it.
//!
//! The page is tokenised by `lol_html` (Cloudflare's streaming HTML
//! rewriter, the parser behind Workers' HTMLRewriter: HTML5 tokenisation
//! with the tree builder's text modes, so `<script>`, `<style>`, `<title>`
//! and `<textarea>` text is told from content, and it reports the byte
//! place of every tag and text chunk in the source). Those places are what
//! writing back needs: a translated sentence is spliced into the page and
//! every other byte stays as it was, which a DOM parser (html5ever,
//! scraper) cannot give, as it re-serialises the whole tree.
//!
//! What is content: text in the body outside the page's furniture, that
//! is outside `nav`, `header` and `footer` unless they are inside `main` or
//! `article` (an article's own header is content), and outside `script`,
//! `style`, `template`, `svg`, `math`, `select` and `noscript`. Block
//! elements (`p`, `li`, `td`, `h1` ...) end paragraphs; `<br>` is a line
//! break; white space collapses as a browser shows it (kept in `<pre>`);
//! entities are decoded (`&mdash;`, `&#8220;`, through `html-escape`).
//!
//! Encodings: a byte-order mark, else the `<meta charset>` (or
//! `http-equiv`) or XML declaration of the first 4 KB, decoded with
//! `encoding_rs` by WHATWG rules (the label `gb2312` is GBK), else UTF-8.
//! A page whose declaration lies is refused: bytes that are not valid in
//! the declared encoding, or a legacy encoding declared over UTF-8 text
//! (which would decode to mojibake). Output keeps the page's encoding,
//! with numeric character references for characters it lacks.

use std::cell::RefCell;
use std::ops::Range;
use std::rc::Rc;

use encoding_rs::Encoding;
use lol_html::html_content::{Element, TextChunk, TextType};
use lol_html::{HtmlRewriter, Settings, doc_text, element};

use super::build::{ParaBuilder, Space};
use super::{Container, DocKind, Document, Edit, Paragraph, Styles};
use crate::input::{line_col_bytes, not_utf8};
use polytm_core::error::{Error, Pos, Result};

/// How a page was encoded, and where its `<html>` start tag is.
#[derive(Debug, Clone)]
pub struct Page {
    encoding: &'static Encoding,
    bom: bool,
    html_tag: Option<Range<usize>>,
}

/// Escape text for HTML element content or a double-quoted attribute.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// Read an HTML page from its bytes.
pub fn parse(bytes: Vec<u8>, file: &str) -> Result<Document> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::input(file, None, "is empty"));
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(Error::input(
            file,
            None,
            "is not an HTML page: it is an office document (a zip or compound file)",
        ));
    }
    let (text, encoding, bom) = decode(&bytes, file)?;
    let mut doc = Document::new(
        DocKind::Html,
        file,
        Container::Html(Page {
            encoding,
            bom,
            html_tag: None,
        }),
    );
    let part = doc.add_part("", text);
    let (paragraphs, html_tag) = read(&doc.parts[part].text, file)?;
    doc.paragraphs = paragraphs;
    if let Container::Html(p) = &mut doc.container {
        p.html_tag = html_tag;
    }
    Ok(doc)
}

/// The page's text as UTF-8, its encoding and whether it had a
/// byte-order mark.
fn decode(bytes: &[u8], file: &str) -> Result<(String, &'static Encoding, bool)> {
    let bad = |pos: Option<Pos>, msg: String| Error::input(file, pos, msg);
    if let Some((enc, skip)) = Encoding::for_bom(bytes) {
        let (text, malformed) = enc.decode_without_bom_handling(&bytes[skip..]);
        if malformed {
            return Err(bad(
                None,
                format!(
                    "is not valid {} (it starts with its byte-order mark)",
                    enc.name()
                ),
            ));
        }
        return Ok((text.into_owned(), enc, true));
    }
    let declared = declared_encoding(bytes);
    match declared.filter(|&e| e != encoding_rs::UTF_8) {
        None => match std::str::from_utf8(bytes) {
            Ok(s) => Ok((s.to_string(), encoding_rs::UTF_8, false)),
            Err(e) => {
                let at = e.valid_up_to();
                let (l, c) = line_col_bytes(bytes, at);
                let mut msg = not_utf8(bytes, at);
                msg = match declared {
                    Some(_) => {
                        format!("declares UTF-8 but is {msg}, or correct its charset declaration")
                    }
                    None => format!("{msg}, or declare its encoding (<meta charset=...>)"),
                };
                Err(bad(Some(Pos::LineCol(l, c)), msg))
            }
        },
        Some(enc) => {
            let name = enc.name();
            if !bytes.is_ascii() && std::str::from_utf8(bytes).is_ok() {
                return Err(bad(
                    None,
                    format!(
                        "declares the encoding {name} but its text is UTF-8; correct the charset declaration (<meta charset=\"utf-8\">)"
                    ),
                ));
            }
            match enc.decode_without_bom_handling_and_without_replacement(bytes) {
                Some(t) => Ok((t.into_owned(), enc, false)),
                None => Err(bad(
                    None,
                    format!("is not valid {name} as it declares; correct its charset declaration"),
                )),
            }
        }
    }
}

/// The encoding a page declares in its first 4 KB: `<meta charset>`,
/// `<meta http-equiv="Content-Type" content="...; charset=...">`, or an XML
/// declaration. UTF-16 labels mean UTF-8 here (the bytes would have a
/// byte-order mark), as in browsers.
fn declared_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let label_after = |from: usize| -> Option<&'static Encoding> {
        let rest = &lower[from..];
        let rest = &rest[rest.iter().position(|b| !b.is_ascii_whitespace())?..];
        let rest = rest.strip_prefix(b"=")?;
        let rest = &rest[rest.iter().position(|b| !b.is_ascii_whitespace())?..];
        let rest = rest
            .strip_prefix(b"\"")
            .or(rest.strip_prefix(b"'"))
            .unwrap_or(rest);
        let end = rest
            .iter()
            .position(|b| matches!(b, b'"' | b'\'' | b';' | b'>' | b'/') || b.is_ascii_whitespace())
            .unwrap_or(rest.len());
        let enc = Encoding::for_label(&rest[..end])?;
        Some(
            if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
                encoding_rs::UTF_8
            } else {
                enc
            },
        )
    };
    if lower.starts_with(b"<?xml") {
        let end = lower.iter().position(|&b| b == b'>').unwrap_or(lower.len());
        if let Some(i) = find(&lower[..end], b"encoding") {
            return label_after(i + 8);
        }
    }
    let mut from = 0;
    while let Some(i) = find(&lower[from..], b"<meta") {
        let start = from + i;
        let end = lower[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(lower.len(), |e| start + e);
        if let Some(c) = find(&lower[start..end], b"charset")
            && let Some(enc) = label_after(start + c + 7)
        {
            return Some(enc);
        }
        from = end;
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Block elements: each starts and ends a paragraph.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "legend",
    "li",
    "main",
    "menu",
    "nav",
    "ol",
    "optgroup",
    "option",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// Elements whose text is never content.
const SKIPPED: &[&str] = &["template", "svg", "math", "select", "noscript", "object"];

/// Inline elements whose start tags make a stretch's style.
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "big", "cite", "code", "del", "dfn", "em", "font", "i", "ins",
    "kbd", "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "time",
    "tt", "u", "var",
];

/// What the read pass knows at a point of the page.
struct State {
    para: ParaBuilder,
    paragraphs: Vec<Paragraph>,
    /// Open `main`/`article` elements.
    content: usize,
    /// Open furniture (`nav`, `header`, `footer` outside main/article).
    furniture: usize,
    /// Open elements whose text is not content.
    skipped: usize,
    /// Open `pre` elements.
    pre: usize,
    /// Open inline elements: their names and start tags.
    inline: Vec<(String, String)>,
    styles: Styles,
    style: u32,
    html_tag: Option<Range<usize>>,
    error: Option<Error>,
}

impl State {
    fn reading(&self) -> bool {
        self.furniture == 0 && self.skipped == 0
    }

    fn flush(&mut self, file: &str) {
        let b = std::mem::replace(&mut self.para, ParaBuilder::new(0));
        let n = self.paragraphs.len() + 1;
        match b.finish(file, &|| format!("paragraph {n}")) {
            Ok(Some(p)) => self.paragraphs.push(p),
            Ok(None) => {}
            Err(e) => {
                self.error.get_or_insert(e);
            }
        }
    }

    fn restyle(&mut self) {
        let key: String = self.inline.iter().map(|(_, t)| t.as_str()).collect();
        self.style = self.styles.id(&key);
    }

    fn text(&mut self, chunk: &TextChunk, file: &str) {
        if chunk.text_type() != TextType::Data || !self.reading() {
            return;
        }
        let raw = chunk.as_str();
        let at = chunk.source_location().bytes().start;
        let space = if self.pre > 0 {
            Space::Kept
        } else {
            Space::Collapsed
        };
        let mut i = 0;
        let mut plain = 0;
        while let Some(amp) = raw[i..].find('&') {
            let start = i + amp;
            match entity(&raw[start..]) {
                Some((len, shown)) => {
                    self.para
                        .text(at + plain, &raw[plain..start], self.style, space);
                    self.para
                        .reference(at + start..at + start + len, &shown, self.style);
                    i = start + len;
                    plain = i;
                }
                None => i = start + 1,
            }
        }
        self.para.text(at + plain, &raw[plain..], self.style, space);
        if self.para.len() > crate::limits::MAX_SEGMENT_BYTES {
            self.flush(file);
        }
    }
}

/// The character reference at the start of `s` (`&amp;`, `&#8220;`,
/// `&#x2014;`): its length and what it shows.
fn entity(s: &str) -> Option<(usize, String)> {
    let end = s[1..].find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))? + 1;
    if !s[end..].starts_with(';') || end < 2 {
        return None;
    }
    let r = &s[..=end];
    let shown = html_escape::decode_html_entities(r);
    (shown != r).then(|| (r.len(), shown.into_owned()))
}

/// The paragraphs of a page (decoded), and where its `<html>` tag is.
fn read(text: &str, file: &str) -> Result<(Vec<Paragraph>, Option<Range<usize>>)> {
    let state = Rc::new(RefCell::new(State {
        para: ParaBuilder::new(0),
        paragraphs: Vec::new(),
        content: 0,
        furniture: 0,
        skipped: 0,
        pre: 0,
        inline: Vec::new(),
        styles: Styles::default(),
        style: 0,
        html_tag: None,
        error: None,
    }));
    let st_el = state.clone();
    let st_text = state.clone();
    let file_el = file.to_string();
    let file_text = file.to_string();
    let on_element = move |el: &mut Element| {
        start_element(el, &st_el, text, &file_el);
        Ok(())
    };
    let on_text = move |t: &mut TextChunk| {
        st_text.borrow_mut().text(t, &file_text);
        Ok(())
    };
    let settings = Settings::new()
        .append_element_content_handler(element!("*", on_element))
        .append_document_content_handler(doc_text!(on_text))
        .with_strict(false);
    let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
    let fail = |e: lol_html::errors::RewritingError| {
        Error::input(file, None, format!("cannot be read as HTML: {e}"))
    };
    rewriter.write(text.as_bytes()).map_err(fail)?;
    rewriter.end().map_err(fail)?;
    let mut st = state.borrow_mut();
    st.flush(file);
    if let Some(e) = st.error.take() {
        return Err(e);
    }
    Ok((std::mem::take(&mut st.paragraphs), st.html_tag.clone()))
}

/// What an element is to the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Content,
    Furniture,
    Skipped,
    Pre,
    Inline,
    Other,
}

fn start_element(el: &mut Element, state: &Rc<RefCell<State>>, text: &str, file: &str) {
    let name = el.tag_name();
    let loc = el.source_location().bytes();
    let block = BLOCKS.contains(&name.as_str());
    let role = {
        let mut st = state.borrow_mut();
        if name == "html" && st.html_tag.is_none() {
            st.html_tag = Some(loc.clone());
        }
        if name == "br" {
            if st.reading() {
                let style = st.style;
                st.para.markup("\n", style);
            }
            return;
        }
        if block {
            st.flush(file);
        }
        let role = match name.as_str() {
            "main" | "article" => Role::Content,
            "nav" | "header" | "footer" if st.content == 0 => Role::Furniture,
            n if SKIPPED.contains(&n) => Role::Skipped,
            "pre" => Role::Pre,
            n if INLINE.contains(&n) => Role::Inline,
            _ => Role::Other,
        };
        match role {
            Role::Content => st.content += 1,
            Role::Furniture => st.furniture += 1,
            Role::Skipped => st.skipped += 1,
            Role::Pre => st.pre += 1,
            Role::Inline => {
                let tag = text.get(loc.clone()).unwrap_or_default().to_string();
                st.inline.push((name.clone(), tag));
                st.restyle();
            }
            Role::Other => {}
        }
        role
    };
    if role == Role::Other && !block {
        return;
    }
    let Some(handlers) = el.end_tag_handlers() else {
        // a void element: nothing to close
        let mut st = state.borrow_mut();
        match role {
            Role::Content => st.content -= 1,
            Role::Furniture => st.furniture -= 1,
            Role::Skipped => st.skipped -= 1,
            Role::Pre => st.pre -= 1,
            Role::Inline => {
                st.inline.pop();
                st.restyle();
            }
            Role::Other => {}
        }
        return;
    };
    let st = state.clone();
    let file = file.to_string();
    handlers.push(Box::new(move |_end| {
        let mut st = st.borrow_mut();
        match role {
            Role::Content => st.content = st.content.saturating_sub(1),
            Role::Furniture => st.furniture = st.furniture.saturating_sub(1),
            Role::Skipped => st.skipped = st.skipped.saturating_sub(1),
            Role::Pre => st.pre = st.pre.saturating_sub(1),
            Role::Inline => {
                if let Some(i) = st.inline.iter().rposition(|(n, _)| *n == name) {
                    st.inline.truncate(i);
                    st.restyle();
                }
            }
            Role::Other => {}
        }
        if block {
            st.flush(&file);
        }
        Ok(())
    }));
}

impl Page {
    /// The edit that sets the `lang` (and `xml:lang`) of the `<html>`
    /// start tag to `lang`, adding `lang` when it has none.
    pub(crate) fn lang_edit(&self, text: &str, lang: &str) -> Option<Edit> {
        let tag = self.html_tag.clone()?;
        let raw = text.get(tag.clone())?;
        let value = format!("\"{}\"", crate::xml::escape_attr(lang));
        let mut found = None;
        for (name, val) in attributes(raw) {
            if name.eq_ignore_ascii_case("lang") {
                found = Some(val);
            }
        }
        Some(match found {
            Some(v) => Edit {
                at: tag.start + v.start..tag.start + v.end,
                text: value,
            },
            None => {
                let at = tag.start + 5;
                Edit {
                    at: at..at,
                    text: format!(" lang={value}"),
                }
            }
        })
    }

    /// A page's text in its own encoding.
    pub(crate) fn encode(&self, text: &str) -> Vec<u8> {
        let enc = self.encoding;
        if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
            let le = enc == encoding_rs::UTF_16LE;
            let mut out = if le {
                vec![0xFF, 0xFE]
            } else {
                vec![0xFE, 0xFF]
            };
            for u in text.encode_utf16() {
                out.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
            }
            return out;
        }
        let mut out = Vec::with_capacity(text.len() + 3);
        if self.bom {
            out.extend_from_slice(b"\xEF\xBB\xBF");
        }
        if enc == encoding_rs::UTF_8 {
            out.extend_from_slice(text.as_bytes());
        } else {
            out.extend_from_slice(&enc.encode(text).0);
        }
        out
    }
}

/// The attributes of a start tag as written: each name and the byte
/// range of its value (quotes included) in the tag.
fn attributes(tag: &str) -> Vec<(&str, Range<usize>)> {
    let b = tag.as_bytes();
    let mut out = Vec::new();
    // past the element's name
    let mut i = b
        .iter()
        .position(|c| c.is_ascii_whitespace())
        .unwrap_or(b.len());
    while i < b.len() {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() || b[i] == b'>' {
            break;
        }
        let name_start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let name = &tag[name_start..i];
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            let v_start = i;
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                i += 1;
                while i < b.len() && b[i] != q {
                    i += 1;
                }
                i = (i + 1).min(b.len());
            } else {
                while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                    i += 1;
                }
            }
            out.push((name, v_start..i));
        }
    }
    out
}

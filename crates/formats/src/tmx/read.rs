//! The streaming TMX reader: one `<tu>` at a time from any UTF-8
//! [`BufRead`], checked against what TMX 1.1–1.4b allows where (see the
//! module documentation of [`super`]).

use std::collections::BTreeMap;
use std::io::{self, BufRead};

use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};

use super::dates::tmx_date_to_iso;
use super::inline::InlineBuilder;
use super::{
    Header, Meta, MetaKind, Res, SrcLang, TU_ATTRS, TUV_ATTRS, TmxError, TmxSegment, TmxUnit,
    TmxVariant, at,
};
use crate::xml::{forbidden_char, is_xml_char};
use crate::xml_source::fault_of;
use polytm_text::lang::LangTag;

const SEGTYPES: &[&str] = &["block", "paragraph", "sentence", "phrase"];

/// An element name: the ones TMX defines, or another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Name {
    Tmx,
    Header,
    Body,
    Tu,
    Tuv,
    Seg,
    Prop,
    Note,
    Ude,
    Bpt,
    Ept,
    Ph,
    It,
    Hi,
    Ut,
    Sub,
    Other(String),
}

impl Name {
    fn of(s: &str) -> Name {
        match s {
            "tmx" => Name::Tmx,
            "header" => Name::Header,
            "body" => Name::Body,
            "tu" => Name::Tu,
            "tuv" => Name::Tuv,
            "seg" => Name::Seg,
            "prop" => Name::Prop,
            "note" => Name::Note,
            "ude" => Name::Ude,
            "bpt" => Name::Bpt,
            "ept" => Name::Ept,
            "ph" => Name::Ph,
            "it" => Name::It,
            "hi" => Name::Hi,
            "ut" => Name::Ut,
            "sub" => Name::Sub,
            other => Name::Other(other.to_string()),
        }
    }

    pub(super) fn as_str(&self) -> &str {
        match self {
            Name::Tmx => "tmx",
            Name::Header => "header",
            Name::Body => "body",
            Name::Tu => "tu",
            Name::Tuv => "tuv",
            Name::Seg => "seg",
            Name::Prop => "prop",
            Name::Note => "note",
            Name::Ude => "ude",
            Name::Bpt => "bpt",
            Name::Ept => "ept",
            Name::Ph => "ph",
            Name::It => "it",
            Name::Hi => "hi",
            Name::Ut => "ut",
            Name::Sub => "sub",
            Name::Other(s) => s,
        }
    }
}

impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An owned, simplified XML event.
pub(super) enum Ev {
    Start(Name, Vec<(String, String)>),
    Empty(Name, Vec<(String, String)>),
    End(Name),
    Text(String),
    /// An entity or character reference, already resolved.
    Char(String),
    Eof,
    /// Comments, processing instructions, declarations.
    Other,
}

/// Streaming TMX reader.
pub struct TmxReader<R: BufRead> {
    xml: quick_xml::Reader<R>,
    buf: Vec<u8>,
    header: Option<Header>,
    /// The DOCTYPE declared entities (for a clearer message when one is used).
    doctype_entities: bool,
    /// Offset where the last event started.
    pub(super) pos: u64,
    state: State,
    /// Language tags seen, as written, parsed (a file uses a handful).
    tags: Vec<(String, LangTag)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Prolog,
    Body,
    /// `</body>` or an empty `<body/>` was read.
    AfterBody,
    Done,
}

impl<R: BufRead> TmxReader<R> {
    pub fn new(src: R) -> Self {
        let mut xml = quick_xml::Reader::from_reader(src);
        let c = xml.config_mut();
        c.check_end_names = true;
        c.expand_empty_elements = false;
        c.trim_text(false);
        TmxReader {
            xml,
            buf: Vec::with_capacity(4096),
            header: None,
            doctype_entities: false,
            pos: 0,
            state: State::Prolog,
            tags: Vec::new(),
        }
    }

    /// The header (reading up to `<body>` when not done yet).
    pub fn header(&mut self) -> Res<&Header> {
        if self.state == State::Prolog {
            self.read_prolog()?;
        }
        self.header
            .as_ref()
            .ok_or_else(|| at(self.pos, "no <header> before <body>"))
    }

    /// The next `<tu>`, or `None` after `</tmx>`.
    pub fn next_unit(&mut self) -> Res<Option<TmxUnit>> {
        if self.state == State::Prolog {
            self.header()?;
        }
        loop {
            match self.state {
                State::Done => return Ok(None),
                State::AfterBody => {
                    self.finish()?;
                    return Ok(None);
                }
                State::Prolog | State::Body => {}
            }
            match self.next()? {
                Ev::Start(Name::Tu, attrs) => {
                    let start = self.pos;
                    return self.read_tu(start, attrs, false).map(Some);
                }
                Ev::Empty(Name::Tu, attrs) => {
                    let start = self.pos;
                    return self.read_tu(start, attrs, true).map(Some);
                }
                Ev::End(Name::Body) => self.state = State::AfterBody,
                Ev::Start(n, _) | Ev::Empty(n, _) => {
                    return Err(at(
                        self.pos,
                        format!("<{n}> is not allowed in <body> (only <tu>)"),
                    ));
                }
                Ev::End(n) => return Err(at(self.pos, format!("unexpected </{n}>"))),
                Ev::Eof => return Err(self.truncated("</body>")),
                Ev::Text(_) | Ev::Char(_) | Ev::Other => {}
            }
        }
    }

    /// After `</body>`: `</tmx>` and nothing but comments and white space.
    fn finish(&mut self) -> Res<()> {
        let mut closed = false;
        loop {
            match self.next()? {
                Ev::End(Name::Tmx) if !closed => closed = true,
                Ev::Eof if closed => {
                    self.state = State::Done;
                    return Ok(());
                }
                Ev::Eof => return Err(self.truncated("</tmx>")),
                Ev::Text(_) | Ev::Other => {}
                Ev::Start(n, _) | Ev::Empty(n, _) => {
                    return Err(at(
                        self.pos,
                        format!("<{n}> after </body> (a TMX file has one <body>)"),
                    ));
                }
                Ev::End(n) => return Err(at(self.pos, format!("unexpected </{n}>"))),
                Ev::Char(_) => return Err(at(self.pos, "text after </body>")),
            }
        }
    }

    fn truncated(&self, missing: &str) -> TmxError {
        at(
            self.pos,
            format!("the file ends before {missing} (is it truncated?)"),
        )
    }

    /// Read one event into an owned form.
    pub(super) fn next(&mut self) -> Res<Ev> {
        self.buf.clear();
        self.pos = self.xml.buffer_position();
        let ev = match self.xml.read_event_into(&mut self.buf) {
            Ok(ev) => ev,
            Err(e) => {
                let offset = self.xml.error_position();
                return Err(xml_error(e, offset));
            }
        };
        let pos = self.pos;
        Ok(match ev {
            Event::Start(s) => Ev::Start(Name::of(s.name().0), attributes(&s, pos)?),
            Event::Empty(s) => Ev::Empty(Name::of(s.name().0), attributes(&s, pos)?),
            Event::End(e) => Ev::End(Name::of(e.name().0)),
            Event::Text(t) => Ev::Text(t.xml10_content().into_owned()),
            Event::CData(t) => Ev::Text(t.xml10_content().into_owned()),
            Event::GeneralRef(r) => {
                if let Some(c) = r
                    .resolve_char_ref()
                    .map_err(|e| at(pos, format!("bad character reference &{}; ({e})", &*r)))?
                {
                    if !is_xml_char(c) {
                        return Err(at(
                            pos,
                            format!(
                                "&{}; is the character U+{:04X}, which XML 1.0 does not allow",
                                &*r, c as u32
                            ),
                        ));
                    }
                    Ev::Char(c.to_string())
                } else {
                    match predefined(&r) {
                        Some(s) => Ev::Char(s.to_string()),
                        None => {
                            let why = if self.doctype_entities {
                                "it is declared in the DOCTYPE, and polytm expands no declared entities"
                            } else {
                                "it is not one of the five XML entities"
                            };
                            return Err(at(pos, format!("unknown entity &{}; ({why})", &*r)));
                        }
                    }
                }
            }
            Event::DocType(d) => {
                if d.contains("<!ENTITY") {
                    self.doctype_entities = true;
                }
                Ev::Other
            }
            Event::Eof => Ev::Eof,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => Ev::Other,
        })
    }

    fn read_prolog(&mut self) -> Res<()> {
        // Up to <tmx>.
        loop {
            match self.next()? {
                Ev::Start(Name::Tmx, attrs) => {
                    let version = attr(&attrs, "version").unwrap_or("").to_string();
                    if !version.is_empty() && !version.starts_with("1.") {
                        return Err(at(
                            self.pos,
                            format!(
                                "TMX version {version} is not supported (polytm reads TMX 1.1 to 1.4b)"
                            ),
                        ));
                    }
                    self.header = Some(Header {
                        version,
                        srclang: SrcLang::Unknown,
                        attrs: BTreeMap::new(),
                        meta: Vec::new(),
                    });
                    break;
                }
                Ev::Start(n, _) | Ev::Empty(n, _) => {
                    return Err(at(
                        self.pos,
                        format!("not a TMX file: the root element is <{n}>, not <tmx>"),
                    ));
                }
                Ev::Text(t) if t.trim().is_empty() => {}
                Ev::Text(_) | Ev::Char(_) => {
                    return Err(at(
                        self.pos,
                        "not a TMX file: text where the <tmx> element should start",
                    ));
                }
                Ev::Eof => return Err(at(self.pos, "not a TMX file: no <tmx> element")),
                Ev::End(n) => return Err(at(self.pos, format!("unexpected </{n}>"))),
                Ev::Other => {}
            }
        }
        // <header> ... <body>. A file without a header (invalid, but
        // harmless) is read with no source language.
        loop {
            match self.next()? {
                Ev::Start(Name::Header, attrs) => {
                    self.set_header(attrs);
                    loop {
                        match self.next()? {
                            Ev::Start(m @ (Name::Prop | Name::Note), a) => {
                                let meta = self.read_meta(m.as_str(), a, false)?;
                                self.push_header_meta(meta);
                            }
                            Ev::Empty(m @ (Name::Prop | Name::Note), a) => {
                                let meta = self.read_meta(m.as_str(), a, true)?;
                                self.push_header_meta(meta);
                            }
                            Ev::Start(Name::Ude, _) => self.skip_element("ude")?,
                            Ev::Empty(Name::Ude, _) => {}
                            Ev::End(Name::Header) => break,
                            Ev::Start(m, _) | Ev::Empty(m, _) => {
                                return Err(at(
                                    self.pos,
                                    format!("<{m}> is not allowed in <header>"),
                                ));
                            }
                            Ev::Eof => return Err(self.truncated("</header>")),
                            _ => {}
                        }
                    }
                }
                Ev::Empty(Name::Header, attrs) => {
                    self.set_header(attrs);
                }
                Ev::Start(Name::Body, _) => {
                    self.state = State::Body;
                    return Ok(());
                }
                Ev::Empty(Name::Body, _) => {
                    self.state = State::AfterBody;
                    return Ok(());
                }
                Ev::Start(n, _) | Ev::Empty(n, _) => {
                    return Err(at(
                        self.pos,
                        format!("<{n}> is not allowed in <tmx> (only <header> and <body>)"),
                    ));
                }
                Ev::End(Name::Tmx) => {
                    return Err(at(self.pos, "</tmx> without a <body>"));
                }
                Ev::End(n) => return Err(at(self.pos, format!("unexpected </{n}>"))),
                Ev::Eof => return Err(self.truncated("<body>")),
                Ev::Text(_) | Ev::Char(_) | Ev::Other => {}
            }
        }
    }

    fn set_header(&mut self, attrs: Vec<(String, String)>) {
        let srclang = match attr(&attrs, "srclang") {
            Some(s) => src_lang(s),
            None => SrcLang::Unknown,
        };
        if let Some(h) = self.header.as_mut() {
            h.srclang = srclang;
            h.attrs = attrs.into_iter().collect();
        }
    }

    fn push_header_meta(&mut self, meta: Meta) {
        if let Some(h) = self.header.as_mut() {
            h.meta.push(meta);
        }
    }

    /// Skip everything up to the end of an element whose start was read.
    fn skip_element(&mut self, name: &str) -> Res<()> {
        let mut depth = 0usize;
        loop {
            match self.next()? {
                Ev::Start(..) => depth += 1,
                Ev::End(_) if depth == 0 => return Ok(()),
                Ev::End(_) => depth -= 1,
                Ev::Eof => return Err(self.truncated(&format!("</{name}>"))),
                _ => {}
            }
        }
    }

    /// The text content of a `<prop>` or `<note>`.
    fn read_meta(&mut self, kind: &str, attrs: Vec<(String, String)>, empty: bool) -> Res<Meta> {
        let start = self.pos;
        let mut text = String::new();
        if !empty {
            loop {
                match self.next()? {
                    Ev::Text(t) | Ev::Char(t) => text.push_str(&t),
                    Ev::End(_) => break,
                    Ev::Start(n, _) | Ev::Empty(n, _) => {
                        return Err(at(
                            self.pos,
                            format!("<{n}> inside <{kind}> (it holds text only)"),
                        ));
                    }
                    Ev::Eof => return Err(self.truncated(&format!("</{kind}>"))),
                    Ev::Other => {}
                }
            }
        }
        if let Some(c) = forbidden_char(&text) {
            return Err(at(start, forbidden_msg(c, kind)));
        }
        let lang = attr(&attrs, "xml:lang")
            .or_else(|| attr(&attrs, "lang"))
            .map(String::from);
        let o_encoding = attr(&attrs, "o-encoding").map(String::from);
        if kind == "prop" {
            let Some(ty) = attr(&attrs, "type") else {
                return Err(at(start, "<prop> without a type"));
            };
            Ok(Meta {
                kind: MetaKind::Prop,
                ty: Some(ty.to_string()),
                lang,
                o_encoding,
                text,
            })
        } else {
            Ok(Meta {
                kind: MetaKind::Note,
                ty: None,
                lang,
                o_encoding,
                text,
            })
        }
    }

    fn read_tu(&mut self, offset: u64, attrs: Vec<(String, String)>, empty: bool) -> Res<TmxUnit> {
        let header_src = self
            .header
            .as_ref()
            .map(|h| h.srclang.clone())
            .unwrap_or(SrcLang::Unknown);
        let mut unit = TmxUnit {
            offset,
            tuid: None,
            srclang: header_src,
            created: None,
            changed: None,
            attrs: BTreeMap::new(),
            meta: Vec::new(),
            variants: Vec::new(),
        };
        for (k, v) in attrs {
            match k.as_str() {
                "tuid" => unit.tuid = Some(v),
                "srclang" => {
                    let s = src_lang(&v);
                    if s != SrcLang::Unknown {
                        unit.srclang = s;
                    }
                }
                "creationdate" => match tmx_date_to_iso(&v) {
                    Some(d) => unit.created = Some(d),
                    None => {
                        unit.attrs.insert(k, v);
                    }
                },
                "changedate" => match tmx_date_to_iso(&v) {
                    Some(d) => unit.changed = Some(d),
                    None => {
                        unit.attrs.insert(k, v);
                    }
                },
                "segtype" if !SEGTYPES.contains(&v.as_str()) => {}
                _ if TU_ATTRS.contains(&k.as_str()) => {
                    unit.attrs.insert(k, v);
                }
                // Attributes TMX does not define are not kept (an export
                // must stay valid against the DTD).
                _ => {}
            }
        }
        if empty {
            return Ok(unit);
        }
        loop {
            match self.next()? {
                Ev::Start(n @ (Name::Prop | Name::Note), a) => {
                    let m = self.read_meta(n.as_str(), a, false)?;
                    unit.meta.push(m);
                }
                Ev::Empty(n @ (Name::Prop | Name::Note), a) => {
                    let m = self.read_meta(n.as_str(), a, true)?;
                    unit.meta.push(m);
                }
                Ev::Start(Name::Tuv, a) => {
                    let start = self.pos;
                    let v = self.read_tuv(start, a)?;
                    unit.variants.push(v);
                }
                Ev::Empty(Name::Tuv, _) => {
                    return Err(at(self.pos, "<tuv> without <seg>"));
                }
                Ev::End(Name::Tu) => return Ok(unit),
                Ev::Start(n, _) | Ev::Empty(n, _) => {
                    return Err(at(
                        self.pos,
                        format!("<{n}> is not allowed in <tu> (only <prop>, <note> and <tuv>)"),
                    ));
                }
                Ev::End(n) => return Err(at(self.pos, format!("unexpected </{n}>"))),
                Ev::Eof => return Err(self.truncated("</tu>")),
                Ev::Text(_) | Ev::Char(_) | Ev::Other => {}
            }
        }
    }

    fn read_tuv(&mut self, offset: u64, attrs: Vec<(String, String)>) -> Res<TmxVariant> {
        let lang = attr(&attrs, "xml:lang").or_else(|| attr(&attrs, "lang"));
        let Some(lang) = lang else {
            return Err(at(offset, "<tuv> without a language (no xml:lang)"));
        };
        let tag = match self.tags.iter().find(|(raw, _)| raw == lang) {
            Some((_, t)) => t.clone(),
            None => {
                let t = LangTag::parse(lang).map_err(|m| at(offset, format!("<tuv>: {m}")))?;
                if self.tags.len() < 32 {
                    self.tags.push((lang.to_string(), t.clone()));
                }
                t
            }
        };
        let mut keep = BTreeMap::new();
        for (k, v) in attrs {
            if TUV_ATTRS.contains(&k.as_str()) {
                keep.insert(k, v);
            }
        }
        let mut meta = Vec::new();
        let mut seg: Option<TmxSegment> = None;
        loop {
            match self.next()? {
                Ev::Start(n @ (Name::Prop | Name::Note), a) => {
                    meta.push(self.read_meta(n.as_str(), a, false)?)
                }
                Ev::Empty(n @ (Name::Prop | Name::Note), a) => {
                    meta.push(self.read_meta(n.as_str(), a, true)?)
                }
                Ev::Start(Name::Seg, _) | Ev::Empty(Name::Seg, _) if seg.is_some() => {
                    return Err(at(self.pos, "a second <seg> in one <tuv>"));
                }
                Ev::Start(Name::Seg, _) => seg = Some(self.read_seg()?),
                Ev::Empty(Name::Seg, _) => {
                    seg = Some(TmxSegment {
                        text: String::new(),
                        plain: None,
                    })
                }
                Ev::End(Name::Tuv) => break,
                Ev::Start(n, _) | Ev::Empty(n, _) => {
                    return Err(at(
                        self.pos,
                        format!("<{n}> is not allowed in <tuv> (only <prop>, <note> and <seg>)"),
                    ));
                }
                Ev::End(n) => return Err(at(self.pos, format!("unexpected </{n}>"))),
                Ev::Eof => return Err(self.truncated("</tuv>")),
                Ev::Text(_) | Ev::Char(_) | Ev::Other => {}
            }
        }
        let Some(seg) = seg else {
            return Err(at(offset, "<tuv> without <seg>"));
        };
        Ok(TmxVariant {
            offset,
            tag,
            seg,
            attrs: keep,
            meta,
        })
    }

    /// The content of `<seg>` (its start tag was read).
    fn read_seg(&mut self) -> Res<TmxSegment> {
        let start = self.pos;
        let mut b = InlineBuilder::default();
        loop {
            match self.next()? {
                Ev::Text(t) | Ev::Char(t) => b.text_owned(t),
                Ev::Start(n, a) => b.open(n.as_str(), a, false).map_err(|m| at(self.pos, m))?,
                Ev::Empty(n, a) => b.open(n.as_str(), a, true).map_err(|m| at(self.pos, m))?,
                Ev::End(n) => {
                    if b.close() {
                        continue;
                    }
                    debug_assert_eq!(n, Name::Seg);
                    break;
                }
                Ev::Eof => return Err(self.truncated("</seg>")),
                Ev::Other => {}
            }
        }
        if let Some(c) = forbidden_char(&b.all) {
            return Err(at(start, forbidden_msg(c, "seg")));
        }
        Ok(b.segment())
    }
}

fn attributes(s: &BytesStart, pos: u64) -> Res<Vec<(String, String)>> {
    let mut out = Vec::new();
    for a in s.attributes() {
        let a = a.map_err(|e| at(pos, format!("malformed attribute: {e}")))?;
        let key = a.key.0.to_string();
        let value = a
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|e| at(pos, format!("attribute {key}: {}", escape_error(&e))))?;
        if let Some(c) = forbidden_char(&value) {
            return Err(at(pos, forbidden_msg(c, &format!("attribute {key}"))));
        }
        out.push((key, value.into_owned()));
    }
    Ok(out)
}

fn escape_error(e: &quick_xml::Error) -> String {
    match e {
        quick_xml::Error::Escape(quick_xml::escape::EscapeError::UnrecognizedEntity(_, name)) => {
            format!("unknown entity &{name}; (polytm expands no declared entities)")
        }
        e => e.to_string(),
    }
}

fn xml_error(e: quick_xml::Error, offset: u64) -> TmxError {
    match e {
        quick_xml::Error::Io(io) => {
            if let Some(f) = fault_of(&io) {
                return at(f.offset, f.msg.clone());
            }
            match std::sync::Arc::try_unwrap(io) {
                Ok(io) => TmxError::Io(io),
                Err(io) => TmxError::Io(io::Error::new(io.kind(), io.to_string())),
            }
        }
        quick_xml::Error::Syntax(s) => {
            use quick_xml::errors::SyntaxError::*;
            let what = match s {
                UnclosedTag => "a tag is not closed (is the file truncated?)".to_string(),
                UnclosedComment => "a comment is not closed (is the file truncated?)".to_string(),
                UnclosedCData => {
                    "a CDATA section is not closed (is the file truncated?)".to_string()
                }
                UnclosedDoctype => "the DOCTYPE is not closed (is the file truncated?)".to_string(),
                UnclosedPI | UnclosedXmlDecl => {
                    "a processing instruction is not closed (is the file truncated?)".to_string()
                }
                other => format!("malformed XML: {other}"),
            };
            at(offset, what)
        }
        quick_xml::Error::IllFormed(i) => {
            use quick_xml::errors::IllFormedError::*;
            let what = match i {
                MismatchedEndTag { expected, found } => {
                    format!("</{found}> where </{expected}> was expected")
                }
                UnmatchedEndTag(n) => format!("</{n}> closes no open element"),
                MissingEndTag(n) => format!("the file ends before </{n}> (is it truncated?)"),
                UnclosedReference => "a lone '&' (write &amp;)".to_string(),
                other => format!("malformed XML: {other}"),
            };
            at(offset, what)
        }
        e => at(offset, format!("malformed XML: {e}")),
    }
}

pub(super) fn attr<'a>(attrs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn src_lang(s: &str) -> SrcLang {
    if s.trim() == "*all*" {
        SrcLang::All
    } else {
        LangTag::parse(s).map_or(SrcLang::Unknown, SrcLang::Tag)
    }
}

fn predefined(name: &str) -> Option<&'static str> {
    Some(match name {
        "lt" => "<",
        "gt" => ">",
        "amp" => "&",
        "apos" => "'",
        "quot" => "\"",
        _ => return None,
    })
}

pub(super) fn forbidden_msg(c: char, what: &str) -> String {
    format!(
        "the character U+{:04X} in <{what}> is not allowed in XML 1.0",
        c as u32
    )
}

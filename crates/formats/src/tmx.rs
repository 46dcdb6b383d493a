//! TMX: a streaming reader for TMX 1.1–1.4b and a writer of TMX 1.4b.
//!
//! # Reading
//!
//! [`TmxReader`] pulls one `<tu>` at a time from any UTF-8 [`BufRead`] (see
//! [`super::xml_source`] for UTF-16 and legacy encodings), so a file of a
//! million units is read in the memory of one unit. It accepts `xml:lang`
//! and the older `lang`, `srclang="*all*"`, `<prop>`/`<note>` on `<tu>` and
//! `<tuv>`, and the inline elements `bpt ept ph it hi ut sub` in the places
//! the TMX 1.4b DTD allows them. Entities are never expanded: a DOCTYPE is
//! skipped, and a reference to an entity other than the five XML ones is an
//! error (no "billion laughs").
//!
//! # Inline markup
//!
//! A segment is kept as the translator reads it ([`Segment`]):
//! - without inline elements, `text` is its unescaped text and `plain` is
//!   `None`;
//! - with inline elements, `text` is the content of `<seg>` as TMX inline
//!   XML, escaped exactly as it is written back (element names and the
//!   attributes TMX defines for them kept, in order), and `plain` is its text
//!   without the markup: the content of `bpt ept ph it ut` (native codes,
//!   and any `sub` inside them) is dropped, the content of `hi` (highlighted
//!   text that is part of the sentence) is kept.
//!
//! So `plain.is_some()` means "text is TMX markup". [`parse_inline`] reads a
//! stored markup text back (to check it, or to get its "native" text: the
//! original codes put back, for formats that have no inline markup).
//!
//! # Writing
//!
//! [`TmxWriter`] writes TMX 1.4b valid against the DTD: a fixed header,
//! one `<tu>` per call, attributes in DTD order; characters XML 1.0 forbids
//! are refused ([`WriteFault::Forbidden`]) rather than written.

use std::collections::BTreeMap;
use std::io::{self, BufRead, Write};

use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use serde::{Deserialize, Serialize};

use crate::xml::{escape_attr_into, escape_text_into, forbidden_char, is_xml_char};
use crate::xml_source::fault_of;
use polytm_text::lang::LangTag;

/// An error while reading: a message at an offset of the UTF-8 stream.
#[derive(Debug)]
pub enum TmxError {
    At { offset: u64, msg: String },
    Io(io::Error),
}

impl std::fmt::Display for TmxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TmxError::At { offset, msg } => write!(f, "byte {offset}: {msg}"),
            TmxError::Io(e) => write!(f, "{e}"),
        }
    }
}

fn at(offset: u64, msg: impl Into<String>) -> TmxError {
    TmxError::At {
        offset,
        msg: msg.into(),
    }
}

type Res<T> = std::result::Result<T, TmxError>;

/// A `<prop>` or a `<note>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    /// `prop` or `note`.
    pub kind: MetaKind,
    /// The `type` of a prop.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub ty: Option<String>,
    /// `xml:lang` (or the old `lang`), as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    #[serde(
        rename = "o-encoding",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub o_encoding: Option<String>,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MetaKind {
    Prop,
    Note,
}

impl Meta {
    pub fn prop(ty: &str, text: impl Into<String>) -> Meta {
        Meta {
            kind: MetaKind::Prop,
            ty: Some(ty.to_string()),
            lang: None,
            o_encoding: None,
            text: text.into(),
        }
    }

    pub fn note(text: impl Into<String>) -> Meta {
        Meta {
            kind: MetaKind::Note,
            ty: None,
            lang: None,
            o_encoding: None,
            text: text.into(),
        }
    }
}

/// The source language a header or a `<tu>` declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SrcLang {
    /// `*all*`: any language may be the source.
    All,
    Tag(LangTag),
    /// Absent, or a value that is not a language tag.
    Unknown,
}

/// The `<header>` of a TMX file.
#[derive(Debug, Clone)]
pub struct Header {
    /// The `version` of `<tmx>`.
    pub version: String,
    pub srclang: SrcLang,
    /// Every header attribute, as written.
    pub attrs: BTreeMap<String, String>,
    pub meta: Vec<Meta>,
}

/// One `<seg>`: see the module documentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub text: String,
    pub plain: Option<String>,
}

/// One `<tuv>`.
#[derive(Debug, Clone)]
pub struct TmxVariant {
    /// Offset of `<tuv>` in the UTF-8 stream.
    pub offset: u64,
    pub tag: LangTag,
    pub seg: Segment,
    /// Attributes other than the language, as written.
    pub attrs: BTreeMap<String, String>,
    pub meta: Vec<Meta>,
}

/// One `<tu>`.
#[derive(Debug, Clone)]
pub struct TmxUnit {
    /// Offset of `<tu>` in the UTF-8 stream.
    pub offset: u64,
    pub tuid: Option<String>,
    /// The source language: the `<tu>`'s own `srclang`, else the header's.
    pub srclang: SrcLang,
    /// `creationdate` as ISO 8601 (`2018-06-12T10:00:00Z`), when it is a
    /// valid TMX date (an invalid one stays in `attrs`, as written).
    pub created: Option<String>,
    /// `changedate`, likewise.
    pub changed: Option<String>,
    /// Other attributes TMX defines, as written.
    pub attrs: BTreeMap<String, String>,
    pub meta: Vec<Meta>,
    pub variants: Vec<TmxVariant>,
}

/// Attributes of `<tu>` in DTD order (the order they are written in).
pub const TU_ATTRS: &[&str] = &[
    "tuid",
    "o-encoding",
    "datatype",
    "usagecount",
    "lastusagedate",
    "creationtool",
    "creationtoolversion",
    "creationdate",
    "creationid",
    "changedate",
    "segtype",
    "changeid",
    "o-tmf",
    "srclang",
];

/// Attributes of `<tuv>` other than the language, in DTD order.
pub const TUV_ATTRS: &[&str] = &[
    "o-encoding",
    "datatype",
    "usagecount",
    "lastusagedate",
    "creationtool",
    "creationtoolversion",
    "creationdate",
    "creationid",
    "changedate",
    "o-tmf",
    "changeid",
];

const SEGTYPES: &[&str] = &["block", "paragraph", "sentence", "phrase"];

/// An element name: the ones TMX defines, or another.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Name {
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

    fn as_str(&self) -> &str {
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
enum Ev {
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
    pos: u64,
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
    fn next(&mut self) -> Res<Ev> {
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
        let mut seg: Option<Segment> = None;
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
                    seg = Some(Segment {
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
    fn read_seg(&mut self) -> Res<Segment> {
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

/// Builds the views of a segment's content while it is read. Until the
/// first inline element only `all` is kept (plain text is the common case
/// and costs one string); the markup and plain views start at that element.
#[derive(Default)]
struct InlineBuilder {
    /// All text, codes included ("native"), unescaped.
    all: String,
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
    fn text(&mut self, t: &str) {
        if self.has_markup {
            escape_text_into(&mut self.markup, t);
            if !self.hidden() {
                self.plain.push_str(t);
            }
        }
        self.all.push_str(t);
    }

    /// The same, taking the string (no copy for a segment of one text).
    fn text_owned(&mut self, t: String) {
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
    fn open(
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
    fn close(&mut self) -> bool {
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

    fn segment(self) -> Segment {
        if self.has_markup {
            Segment {
                text: self.markup,
                plain: Some(self.plain),
            }
        } else {
            Segment {
                text: self.all,
                plain: None,
            }
        }
    }
}

/// A stored markup text, read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inline {
    /// The text without the markup (as in [`Segment::plain`]).
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
/// [`Segment::text`] holds when `plain` is set). Errors are a message and a
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

fn attr<'a>(attrs: &'a [(String, String)], name: &str) -> Option<&'a str> {
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

fn forbidden_msg(c: char, what: &str) -> String {
    format!(
        "the character U+{:04X} in <{what}> is not allowed in XML 1.0",
        c as u32
    )
}

/// `20180612T101500Z` (or ISO `2018-06-12T10:15:00Z`) → `2018-06-12T10:15:00Z`.
pub fn tmx_date_to_iso(s: &str) -> Option<String> {
    let s = s.trim();
    let digits: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
    let compact = s.len() == 16
        && s.as_bytes().get(8) == Some(&b'T')
        && s.ends_with('Z')
        && digits.len() == 14;
    let iso = s.len() == 20
        && s.ends_with('Z')
        && digits.len() == 14
        && s.as_bytes().get(4) == Some(&b'-')
        && s.as_bytes().get(10) == Some(&b'T');
    if !(compact || iso) {
        return None;
    }
    let n = |a: usize, b: usize| digits[a..b].parse::<u32>().ok();
    let (mo, d, h, mi, se) = (n(4, 6)?, n(6, 8)?, n(8, 10)?, n(10, 12)?, n(12, 14)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 60 {
        return None;
    }
    Some(format!(
        "{}-{}-{}T{}:{}:{}Z",
        &digits[0..4],
        &digits[4..6],
        &digits[6..8],
        &digits[8..10],
        &digits[10..12],
        &digits[12..14]
    ))
}

/// ISO `2018-06-12T10:15:00Z` → TMX `20180612T101500Z`.
pub fn iso_to_tmx_date(s: &str) -> Option<String> {
    let iso = tmx_date_to_iso(s)?;
    let digits: String = iso.chars().filter(|c| c.is_ascii_digit()).collect();
    Some(format!("{}T{}Z", &digits[..8], &digits[8..]))
}

// ---------------------------------------------------------------- writing

/// Why a unit could not be written.
#[derive(Debug)]
pub enum WriteFault {
    Io(io::Error),
    /// A character XML 1.0 does not allow, in the field named.
    Forbidden {
        field: String,
        ch: char,
    },
    /// A markup text that is not valid TMX inline markup.
    BadMarkup {
        field: String,
        msg: String,
    },
}

impl From<io::Error> for WriteFault {
    fn from(e: io::Error) -> Self {
        WriteFault::Io(e)
    }
}

/// What goes into `<header>`.
#[derive(Debug, Clone)]
pub struct HeaderOut {
    pub creationtoolversion: String,
    /// A language tag, or `*all*`.
    pub srclang: String,
    /// Header-level `<note>`s (e.g. where the export came from).
    pub notes: Vec<String>,
}

/// One `<tuv>` to write.
#[derive(Debug, Clone)]
pub struct VariantOut<'a> {
    pub tag: &'a str,
    /// The segment: plain text (escaped on writing) or, when `markup`,
    /// TMX inline XML written as it is (after a check).
    pub text: &'a str,
    pub markup: bool,
    /// Attributes other than `xml:lang`; written in DTD order.
    pub attrs: Option<&'a BTreeMap<String, String>>,
    pub meta: &'a [Meta],
}

/// One `<tu>` to write.
#[derive(Debug, Clone)]
pub struct UnitOut<'a> {
    /// Attributes (`tuid`, `creationdate`, ...): written in DTD order,
    /// unknown names are not written.
    pub attrs: BTreeMap<&'a str, &'a str>,
    pub meta: Vec<&'a Meta>,
    pub variants: Vec<VariantOut<'a>>,
}

/// Writes TMX 1.4b.
pub struct TmxWriter<W: Write> {
    out: W,
    line: String,
}

impl<W: Write> TmxWriter<W> {
    pub fn new(mut out: W, h: &HeaderOut) -> io::Result<Self> {
        let mut s = String::new();
        s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">\n");
        s.push_str("  <header creationtool=\"polytm\" creationtoolversion=\"");
        escape_attr_into(&mut s, &h.creationtoolversion);
        s.push_str("\" segtype=\"sentence\" o-tmf=\"polytm\" adminlang=\"en\" srclang=\"");
        escape_attr_into(&mut s, &h.srclang);
        s.push_str("\" datatype=\"plaintext\"");
        if h.notes.is_empty() {
            s.push_str("/>\n");
        } else {
            s.push_str(">\n");
            for n in &h.notes {
                s.push_str("    <note>");
                escape_text_into(&mut s, n);
                s.push_str("</note>\n");
            }
            s.push_str("  </header>\n");
        }
        s.push_str("  <body>\n");
        out.write_all(s.as_bytes())?;
        Ok(TmxWriter {
            out,
            line: String::with_capacity(1024),
        })
    }

    /// Write one `<tu>`. On a fault nothing of the unit is written.
    pub fn unit(&mut self, u: &UnitOut) -> std::result::Result<(), WriteFault> {
        let s = &mut self.line;
        s.clear();
        s.push_str("    <tu");
        for name in TU_ATTRS {
            if let Some(v) = u.attrs.get(name) {
                check(v, || format!("attribute {name}"))?;
                push_attr(s, name, v);
            }
        }
        s.push_str(">\n");
        for m in &u.meta {
            push_meta(s, m, "      ")?;
        }
        for v in &u.variants {
            s.push_str("      <tuv xml:lang=\"");
            escape_attr_into(s, v.tag);
            s.push('"');
            if let Some(attrs) = v.attrs {
                for name in TUV_ATTRS {
                    if let Some(val) = attrs.get(*name) {
                        check(val, || format!("{} attribute {name}", v.tag))?;
                        push_attr(s, name, val);
                    }
                }
            }
            s.push_str(">\n");
            for m in v.meta {
                push_meta(s, m, "        ")?;
            }
            s.push_str("        <seg>");
            if v.markup {
                let inline = parse_inline(v.text).map_err(|(_, msg)| WriteFault::BadMarkup {
                    field: format!("{} text", v.tag),
                    msg,
                })?;
                s.push_str(&inline.markup);
            } else {
                check(v.text, || format!("{} text", v.tag))?;
                escape_text_into(s, v.text);
            }
            s.push_str("</seg>\n      </tuv>\n");
        }
        s.push_str("    </tu>\n");
        self.out.write_all(s.as_bytes())?;
        Ok(())
    }

    /// Close `<body>` and `<tmx>`; return the output.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.write_all(b"  </body>\n</tmx>\n")?;
        self.out.flush()?;
        Ok(self.out)
    }
}

fn check(s: &str, field: impl FnOnce() -> String) -> std::result::Result<(), WriteFault> {
    match forbidden_char(s) {
        Some(ch) => Err(WriteFault::Forbidden { field: field(), ch }),
        None => Ok(()),
    }
}

fn push_attr(s: &mut String, name: &str, v: &str) {
    s.push(' ');
    s.push_str(name);
    s.push_str("=\"");
    escape_attr_into(s, v);
    s.push('"');
}

fn push_meta(s: &mut String, m: &Meta, indent: &str) -> std::result::Result<(), WriteFault> {
    let name = match m.kind {
        MetaKind::Prop => "prop",
        MetaKind::Note => "note",
    };
    check(&m.text, || name.to_string())?;
    s.push_str(indent);
    s.push('<');
    s.push_str(name);
    if m.kind == MetaKind::Prop {
        push_attr(s, "type", m.ty.as_deref().unwrap_or("x-unknown"));
    }
    if let Some(l) = &m.lang {
        push_attr(s, "xml:lang", l);
    }
    if let Some(e) = &m.o_encoding {
        push_attr(s, "o-encoding", e);
    }
    s.push('>');
    escape_text_into(s, &m.text);
    s.push_str("</");
    s.push_str(name);
    s.push_str(">\n");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(xml: &str) -> Res<Vec<TmxUnit>> {
        let mut r = TmxReader::new(xml.as_bytes());
        let mut v = Vec::new();
        while let Some(u) = r.next_unit()? {
            v.push(u);
        }
        Ok(v)
    }

    fn err(xml: &str) -> String {
        match units(xml) {
            Err(TmxError::At { msg, .. }) => msg,
            Err(e) => panic!("unexpected {e}"),
            Ok(_) => panic!("no error for {xml}"),
        }
    }

    const HEAD: &str = r#"<?xml version="1.0"?><tmx version="1.4"><header srclang="en" creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" datatype="plaintext"/><body>"#;

    fn doc(body: &str) -> String {
        format!("{HEAD}{body}</body></tmx>")
    }

    #[test]
    fn reads_units_props_and_plain_text() {
        let xml = doc(
            r#"<tu tuid="7" creationdate="20180612T101500Z" creationid="ANNA" usagecount="2" bogus="x">
                 <prop type="x-Domain">Law &amp; order</prop><note>checked</note>
                 <tuv xml:lang="en-US" creationid="B"><seg>Fish &amp; chips &lt;3</seg></tuv>
                 <tuv lang="RU"><prop type="x-q">1</prop><seg>Рыба</seg></tuv>
               </tu>"#,
        );
        let u = units(&xml).unwrap();
        assert_eq!(u.len(), 1);
        let u = &u[0];
        assert_eq!(u.tuid.as_deref(), Some("7"));
        assert_eq!(u.created.as_deref(), Some("2018-06-12T10:15:00Z"));
        assert_eq!(u.attrs.get("creationid").map(String::as_str), Some("ANNA"));
        assert_eq!(u.attrs.get("usagecount").map(String::as_str), Some("2"));
        assert!(!u.attrs.contains_key("bogus"));
        assert_eq!(
            u.meta,
            vec![Meta::prop("x-Domain", "Law & order"), Meta::note("checked")]
        );
        assert!(matches!(&u.srclang, SrcLang::Tag(t) if t.tag == "en"));
        assert_eq!(u.variants[0].tag.tag, "en-US");
        assert_eq!(u.variants[0].seg.text, "Fish & chips <3");
        assert_eq!(u.variants[0].seg.plain, None);
        assert_eq!(
            u.variants[0].attrs.get("creationid").map(String::as_str),
            Some("B")
        );
        assert_eq!(u.variants[1].tag.tag, "ru");
        assert_eq!(u.variants[1].meta, vec![Meta::prop("x-q", "1")]);
    }

    #[test]
    fn inline_markup_is_kept_and_plain_derived() {
        let xml = doc(
            r#"<tu><tuv xml:lang="en"><seg>Click <bpt i="1" x="1">&lt;b&gt;</bpt>OK<ept i="1">&lt;/b&gt;</ept> and <ph type='img'>&lt;img alt="<sub>Logo</sub>"/&gt;</ph> <hi type="x">now</hi>&amp;<it pos="begin"/>.</seg></tuv>
                   <tuv xml:lang="zh"><seg>单击<bpt i="1">&lt;b&gt;</bpt>确定<ept i="1">&lt;/b&gt;</ept></seg></tuv></tu>"#,
        );
        let u = &units(&xml).unwrap()[0];
        let s = &u.variants[0].seg;
        assert_eq!(
            s.text,
            r#"Click <bpt i="1" x="1">&lt;b&gt;</bpt>OK<ept i="1">&lt;/b&gt;</ept> and <ph type="img">&lt;img alt="<sub>Logo</sub>"/&gt;</ph> <hi type="x">now</hi>&amp;<it pos="begin"/>."#
        );
        assert_eq!(s.plain.as_deref(), Some("Click OK and  now&."));
        let back = parse_inline(&s.text).unwrap();
        assert_eq!(back.markup, s.text);
        assert_eq!(back.plain, "Click OK and  now&.");
        assert_eq!(back.native, "Click <b>OK</b> and <img alt=\"Logo\"/> now&.");
        assert_eq!(u.variants[1].seg.plain.as_deref(), Some("单击确定"));
    }

    #[test]
    fn eol_and_character_references() {
        let xml = doc(
            "<tu><tuv xml:lang=\"en\"><seg>a\r\nb&#13;c&#x4E0A;<![CDATA[<x>&]]></seg></tuv><tuv xml:lang=\"ru\"><seg>б</seg></tuv></tu>",
        );
        let u = &units(&xml).unwrap()[0];
        assert_eq!(u.variants[0].seg.text, "a\nb\rc上<x>&");
    }

    #[test]
    fn tmx_1_1_srclang_all_and_empty_body() {
        let xml = r#"<tmx version="1.1"><header srclang="*all*"/><body><tu srclang="ru"><tuv lang="en"><seg>a</seg></tuv><tuv lang="ru"><seg>б</seg></tuv></tu><tu><tuv lang="en"><seg>c</seg></tuv></tu></body></tmx>"#;
        let u = units(xml).unwrap();
        assert!(matches!(&u[0].srclang, SrcLang::Tag(t) if t.tag == "ru"));
        assert_eq!(u[1].srclang, SrcLang::All);
        assert!(
            units(r#"<tmx version="1.4"><header srclang="en"/><body/></tmx>"#)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn bad_input_is_refused_with_position() {
        assert!(err(&doc("<tu><tuv><seg>x</seg></tuv></tu>")).contains("without a language"));
        assert!(
            err(&doc(r#"<tu><tuv xml:lang="xx-YY"><seg>x</seg></tuv></tu>"#))
                .contains("unknown language code")
        );
        assert!(
            err(&doc(
                r#"<tu><tuv xml:lang="en"><seg>a <g id="1">b</g></seg></tuv></tu>"#
            ))
            .contains("unknown inline element <g>")
        );
        assert!(
            err(&doc(
                r#"<tu><tuv xml:lang="en"><seg>a <sub>b</sub></seg></tuv></tu>"#
            ))
            .contains("not allowed inside <seg>")
        );
        assert!(
            err(&doc(
                r#"<tu><tuv xml:lang="en"><seg><bpt>b</bpt></seg></tuv></tu>"#
            ))
            .contains("required attribute i")
        );
        assert!(err(&doc(r#"<tu><tuv xml:lang="en"></tuv></tu>"#)).contains("without <seg>"));
        assert!(
            err(&doc(
                "<tu><tuv xml:lang=\"en\"><seg>a\u{1}</seg></tuv></tu>"
            ))
            .contains("U+0001")
        );
        assert!(
            err(&doc("<tu><tuv xml:lang=\"en\"><seg>a&#1;</seg></tuv></tu>")).contains("U+0001")
        );
        assert!(
            err(&doc(
                "<tu><tuv xml:lang=\"en\"><seg>&nbsp;</seg></tuv></tu>"
            ))
            .contains("unknown entity &nbsp;")
        );
        assert!(err(r#"<xliff version="1.2"><file/></xliff>"#).contains("root element is <xliff>"));
        assert!(err("en\tru\nhello\tпривет\n").contains("not a TMX file"));
        assert!(err(r#"<tmx version="2.0"><header/><body/></tmx>"#).contains("version 2.0"));
        // truncated at several points
        let full = doc(
            r#"<tu><tuv xml:lang="en"><seg>Hello</seg></tuv><tuv xml:lang="ru"><seg>Привет</seg></tuv></tu>"#,
        );
        for cut in [
            HEAD.len() - 3,
            HEAD.len() + 10,
            HEAD.len() + 30,
            full.len() - 8,
            full.len() - 1,
        ] {
            let mut end = cut;
            while !full.is_char_boundary(end) {
                end -= 1;
            }
            let m = err(&full[..end]);
            assert!(
                m.contains("truncated") || m.contains("ends before"),
                "cut {cut}: {m}"
            );
        }
    }

    #[test]
    fn doctype_entities_are_not_expanded() {
        let xml = r#"<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>&lol2;</seg></tuv></tu></body></tmx>"#;
        let m = err(xml);
        assert!(m.contains("&lol2;") && m.contains("DOCTYPE"), "{m}");
        // an unused internal subset is ignored
        let ok = r#"<!DOCTYPE tmx [<!ENTITY lol "lol">]><tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>a</seg></tuv><tuv xml:lang="ru"><seg>б</seg></tuv></tu></body></tmx>"#;
        assert_eq!(units(ok).unwrap().len(), 1);
    }

    #[test]
    fn error_offsets_point_at_the_element() {
        let xml = doc(r#"<tu><tuv xml:lang="en"><seg>x</seg></tuv><tuv><seg>y</seg></tuv></tu>"#);
        match units(&xml) {
            Err(TmxError::At { offset, .. }) => {
                assert_eq!(&xml[offset as usize..offset as usize + 5], "<tuv>")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn dates() {
        assert_eq!(
            tmx_date_to_iso("20180612T101500Z").as_deref(),
            Some("2018-06-12T10:15:00Z")
        );
        assert_eq!(
            tmx_date_to_iso("2018-06-12T10:15:00Z").as_deref(),
            Some("2018-06-12T10:15:00Z")
        );
        assert_eq!(tmx_date_to_iso("20181312T101500Z"), None);
        assert_eq!(tmx_date_to_iso("June 12"), None);
        assert_eq!(
            iso_to_tmx_date("2018-06-12T10:15:00Z").as_deref(),
            Some("20180612T101500Z")
        );
    }

    #[test]
    fn writer_escapes_and_round_trips() {
        let meta = [Meta::note("a \"note\" & <more>")];
        let tu_meta = Meta::prop("x-polytm-document", "A&B.tmx");
        let mut attrs = BTreeMap::new();
        attrs.insert("creationdate", "20180612T101500Z");
        attrs.insert("tuid", "u\t1");
        let markup = r#"Click <bpt i="1">&lt;b&gt;</bpt>OK<ept i="1">&lt;/b&gt;</ept>"#;
        let u = UnitOut {
            attrs,
            meta: vec![&tu_meta],
            variants: vec![
                VariantOut {
                    tag: "en-GB",
                    text: " a & b < c > d\r\n ",
                    markup: false,
                    attrs: None,
                    meta: &meta,
                },
                VariantOut {
                    tag: "zh-CN",
                    text: markup,
                    markup: true,
                    attrs: None,
                    meta: &[],
                },
            ],
        };
        let h = HeaderOut {
            creationtoolversion: "0.1.0".into(),
            srclang: "en".into(),
            notes: vec![],
        };
        let mut w = TmxWriter::new(Vec::new(), &h).unwrap();
        w.unit(&u).unwrap();
        let out = String::from_utf8(w.finish().unwrap()).unwrap();
        assert!(
            out.contains(r#"<tu tuid="u&#9;1" creationdate="20180612T101500Z">"#),
            "{out}"
        );
        assert!(
            out.contains("<seg> a &amp; b &lt; c &gt; d&#13;\n </seg>"),
            "{out}"
        );
        let back = units(&out).unwrap();
        assert_eq!(back[0].tuid.as_deref(), Some("u\t1"));
        assert_eq!(back[0].variants[0].seg.text, " a & b < c > d\r\n ");
        assert_eq!(back[0].variants[0].meta, meta);
        assert_eq!(back[0].variants[1].seg.text, markup);
        assert_eq!(back[0].meta, vec![tu_meta.clone()]);
        // a forbidden character is refused, naming the field
        let bad = UnitOut {
            attrs: BTreeMap::new(),
            meta: vec![],
            variants: vec![VariantOut {
                tag: "en",
                text: "a\u{b}",
                markup: false,
                attrs: None,
                meta: &[],
            }],
        };
        let mut w = TmxWriter::new(Vec::new(), &h).unwrap();
        match w.unit(&bad) {
            Err(WriteFault::Forbidden { field, ch }) => {
                assert_eq!((field.as_str(), ch), ("en text", '\u{b}'))
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn every_truncation_and_corruption_is_an_error_not_a_panic() {
        let full = include_str!("../../../tests/fixtures/tmx/sample.tmx");
        assert_eq!(units(full).unwrap().len(), 6);
        let bytes = full.as_bytes();
        for cut in 0..bytes.len() - 1 {
            // whole file except its last bytes: never complete
            let r = crate::xml_source::from_reader(std::io::Cursor::new(bytes[..cut].to_vec()));
            let Ok((src, _)) = r else { continue };
            let mut reader = TmxReader::new(src);
            let mut result = Ok(Some(()));
            while let Ok(Some(())) = result {
                result = reader.next_unit().map(|u| u.map(|_| ()));
            }
            assert!(result.is_err(), "cut at {cut} read as complete");
        }
        // bytes replaced by markup characters: errors or units, never a panic
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..2000 {
            let mut b = bytes.to_vec();
            for _ in 0..3 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let i = (seed % b.len() as u64) as usize;
                b[i] = b"<>&;/\"=x\0"[(seed >> 32) as usize % 9];
            }
            if let Ok((src, _)) = crate::xml_source::from_reader(std::io::Cursor::new(b)) {
                let mut reader = TmxReader::new(src);
                while let Ok(Some(_)) = reader.next_unit() {}
            }
        }
    }
}

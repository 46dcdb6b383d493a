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

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use crate::input::{Utf16, bom, decode, line_col, read_bytes};
use crate::xml::{escape_attr, escape_text};
use polytm_core::error::{Error, Pos, Result, display_path};

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
    pub segments: Vec<Segment>,
    node: usize,
}

/// One segment: the whole trans-unit, one `<mrk mtype="seg">` of a
/// `<seg-source>`, or one 2.0 `<segment>`.
#[derive(Debug, Clone)]
pub struct Segment {
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

impl Segment {
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

    fn push_text(&mut self, s: &str) {
        if let Some(Part::Text(t)) = self.parts.last_mut() {
            t.push_str(s);
        } else {
            self.parts.push(Part::Text(s.to_string()));
        }
    }
}

/// How a target was obtained; sets `state` and `state-qualifier`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchKind {
    /// 100 %: the TM holds this very segment.
    Exact,
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
            MatchKind::Exact => ("translated", "exact-match"),
            MatchKind::Fuzzy => ("needs-review-translation", "fuzzy-match"),
            MatchKind::Repaired => ("needs-review-translation", "leveraged-tm"),
            MatchKind::Inherited => ("translated", "leveraged-inherited"),
        }
    }

    /// XLIFF 2.0 `state` and `subState`.
    pub fn v2_state(self) -> (&'static str, &'static str) {
        match self {
            MatchKind::Exact => ("translated", "polytm:exact-match"),
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
    /// Match quality, 0–100.
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

/// Elements whose children are recorded (the rest are leaves: their
/// content is inline markup or metadata that is copied untouched).
fn is_structural(local: &str) -> bool {
    matches!(
        local,
        "xliff" | "file" | "body" | "group" | "trans-unit" | "unit" | "segment" | "matches"
    )
}

/// Read an XLIFF file (UTF-8, or UTF-16 with a byte-order mark).
pub fn read(path: &Path) -> Result<Document> {
    let name = display_path(path);
    let bytes = read_bytes(path)?;
    let b = bom(&bytes);
    let text = decode(&bytes, Utf16::Decode).map_err(|(pos, msg)| Error::input(&name, pos, msg))?;
    if text.trim().is_empty() {
        return Err(Error::input(&name, None, "is empty"));
    }
    let mut doc = parse(&text, &name)?;
    doc.bom = b == Some("UTF-8");
    doc.utf16 = matches!(b, Some("UTF-16LE" | "UTF-16BE"));
    Ok(doc)
}

/// Parse XLIFF text. `file` names the file in errors.
pub fn parse(text: &str, file: &str) -> Result<Document> {
    if text.trim().is_empty() {
        return Err(Error::input(file, None, "is empty"));
    }
    let nodes = scan(text, file)?;
    let root = &nodes[0];
    let at = |n: &Node| pos_of(text, n.start.start);
    if root.local != "xliff" {
        return Err(Error::input(
            file,
            Some(at(root)),
            format!(
                "not an XLIFF file: the root element is <{}>, not <xliff>",
                root.qname
            ),
        ));
    }
    let version = match root.attr("version") {
        Some(v) if v.starts_with("1.") => Version::V1,
        Some(v) if v.starts_with("2.") => Version::V2,
        Some(v) => {
            return Err(Error::input(
                file,
                Some(at(root)),
                format!("XLIFF version '{v}' is not supported (1.2 and 2.0 are)"),
            ));
        }
        None => {
            let ns = root.attr("xmlns").unwrap_or("");
            if ns.contains(":document:2") {
                Version::V2
            } else {
                Version::V1
            }
        }
    };
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut doc = Document {
        version,
        files: Vec::new(),
        units: Vec::new(),
        text: text.to_string(),
        nodes: Vec::new(),
        bom: false,
        utf16: false,
        newline,
    };
    let files: Vec<usize> = child_nodes(&nodes, 0, "file").collect();
    for f in files {
        let fnode = &nodes[f];
        let info = match version {
            Version::V1 => FileInfo {
                source_lang: fnode.attr("source-language").map(str::to_string),
                target_lang: fnode.attr("target-language").map(str::to_string),
                original: fnode.attr("original").map(str::to_string),
                pos: at(fnode),
                node: f,
            },
            Version::V2 => FileInfo {
                source_lang: root.attr("srcLang").map(str::to_string),
                target_lang: root.attr("trgLang").map(str::to_string),
                original: fnode
                    .attr("original")
                    .or(fnode.attr("id"))
                    .map(str::to_string),
                pos: at(root),
                node: f,
            },
        };
        let fi = doc.files.len();
        doc.files.push(info);
        let mut units = Vec::new();
        match version {
            Version::V1 => {
                for body in child_nodes(&nodes, f, "body") {
                    collect(&nodes, body, "trans-unit", true, &mut units);
                }
            }
            Version::V2 => {
                let translate = nodes[f].attr("translate") != Some("no");
                collect(&nodes, f, "unit", translate, &mut units);
            }
        }
        for (u, translate) in units {
            let mut unit = match version {
                Version::V1 => read_unit_v1(text, file, &nodes, u, fi)?,
                Version::V2 => read_unit_v2(text, file, &nodes, u, fi)?,
            };
            unit.translate = translate;
            doc.units.push(unit);
        }
    }
    doc.nodes = nodes;
    Ok(doc)
}

fn child_nodes<'a>(
    nodes: &'a [Node],
    parent: usize,
    local: &'a str,
) -> impl Iterator<Item = usize> + 'a {
    nodes[parent]
        .children
        .iter()
        .copied()
        .filter(move |&c| nodes[c].local == local)
}

/// Units (`want`) under `parent`, through any depth of `<group>`, with
/// whether they are to be translated: `translate="no"` on a group (or a
/// 2.0 file) holds for everything inside it unless overridden.
fn collect(
    nodes: &[Node],
    parent: usize,
    want: &str,
    translate: bool,
    out: &mut Vec<(usize, bool)>,
) {
    for &c in &nodes[parent].children {
        let n = &nodes[c];
        let here = match n.attr("translate") {
            Some("no") => false,
            Some("yes") => true,
            _ => translate,
        };
        if n.local == want {
            out.push((c, here));
        } else if n.local == "group" {
            collect(nodes, c, want, here, out);
        }
    }
}

fn read_unit_v1(text: &str, file: &str, nodes: &[Node], u: usize, fi: usize) -> Result<Unit> {
    let tu = &nodes[u];
    let id = tu.attr("id").unwrap_or("").to_string();
    let Some(src) = child_nodes(nodes, u, "source").next() else {
        return Err(Error::input(
            file,
            Some(pos_of(text, tu.start.start)),
            format!("<trans-unit id=\"{id}\"> has no <source>"),
        ));
    };
    let target = child_nodes(nodes, u, "target").next();
    let state = target.and_then(|t| nodes[t].attr("state").map(str::to_string));
    let mut segments = Vec::new();
    if let Some(ss) = child_nodes(nodes, u, "seg-source").next() {
        let mrks = seg_mrks(text, nodes[ss].inner(), file)?;
        let tmrks = match target {
            Some(t) => seg_mrks(text, nodes[t].inner(), file)?,
            None => Vec::new(),
        };
        for m in mrks {
            let tm = tmrks.iter().find(|t| t.mid == m.mid).cloned();
            segments.push(Segment {
                id: Some(m.mid.clone()),
                source: parse_inline(text, m.inner.clone(), file)?,
                target: match &tm {
                    Some(t) => Some(parse_inline(text, t.inner.clone(), file)?),
                    None => None,
                },
                state: state.clone(),
                loc: Loc::Mrk {
                    source: m.clone(),
                    target: tm,
                },
            });
        }
    }
    if segments.is_empty() {
        segments.push(Segment {
            id: None,
            source: parse_inline(text, nodes[src].inner(), file)?,
            target: match target {
                Some(t) => Some(parse_inline(text, nodes[t].inner(), file)?),
                None => None,
            },
            state,
            loc: Loc::Whole,
        });
    }
    Ok(Unit {
        id,
        file: fi,
        translate: true,
        segments,
        node: u,
    })
}

fn read_unit_v2(text: &str, file: &str, nodes: &[Node], u: usize, fi: usize) -> Result<Unit> {
    let un = &nodes[u];
    let id = un.attr("id").unwrap_or("").to_string();
    let mut segments = Vec::new();
    for s in child_nodes(nodes, u, "segment") {
        let sn = &nodes[s];
        let Some(src) = child_nodes(nodes, s, "source").next() else {
            return Err(Error::input(
                file,
                Some(pos_of(text, sn.start.start)),
                format!("a <segment> of unit \"{id}\" has no <source>"),
            ));
        };
        let target = child_nodes(nodes, s, "target").next();
        segments.push(Segment {
            id: sn.attr("id").map(str::to_string),
            source: parse_inline(text, nodes[src].inner(), file)?,
            target: match target {
                Some(t) => Some(parse_inline(text, nodes[t].inner(), file)?),
                None => None,
            },
            state: sn.attr("state").map(str::to_string),
            loc: Loc::Segment(s),
        });
    }
    Ok(Unit {
        id,
        file: fi,
        translate: true,
        segments,
        node: u,
    })
}

fn pos_of(text: &str, byte: usize) -> Pos {
    let (l, c) = line_col(text, byte.min(text.len()));
    Pos::LineCol(l, c)
}

fn xml_err(text: &str, file: &str, at: usize, msg: impl Into<String>) -> Error {
    Error::input(file, Some(pos_of(text, at)), msg)
}

/// The next event of a fragment of `text` that starts at byte `base`, an
/// error placed at its line and column in the whole file.
fn fragment_event<'a>(
    reader: &mut Reader<&'a [u8]>,
    text: &str,
    file: &str,
    base: usize,
) -> Result<Event<'a>> {
    reader.read_event().map_err(|e| {
        xml_err(
            text,
            file,
            base + reader.error_position() as usize,
            qx_message(&e),
        )
    })
}

/// A short message for a quick-xml error.
fn qx_message(e: &quick_xml::Error) -> String {
    use quick_xml::Error as E;
    match e {
        E::IllFormed(x) => format!("malformed XML: {x}"),
        E::Syntax(x) => format!("malformed XML: {x}"),
        E::InvalidAttr(x) => format!("malformed XML attribute: {x}"),
        E::Escape(x) => format!("malformed XML reference: {x}"),
        other => format!("malformed XML: {other}"),
    }
}

/// Attributes of a start tag, values with references resolved.
fn attributes(e: &BytesStart, text: &str, file: &str, at: usize) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|x| xml_err(text, file, at, format!("malformed XML attribute: {x}")))?;
        let v = a
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|x| xml_err(text, file, at, qx_message(&x)))?;
        out.push((a.key.as_ref().to_string(), v.into_owned()));
    }
    Ok(out)
}

fn local_of(qname: &str) -> &str {
    qname.rsplit(':').next().unwrap_or(qname)
}

/// Check a general reference (`&amp;`, `&#x41;`): the text it stands for.
fn resolve_ref(r: &quick_xml::events::BytesRef) -> std::result::Result<String, String> {
    if r.is_char_ref() {
        match r.resolve_char_ref() {
            Ok(Some(c)) => Ok(c.to_string()),
            _ => Err(format!("invalid character reference &{};", &**r)),
        }
    } else {
        match quick_xml::escape::resolve_predefined_entity(r) {
            Some(s) => Ok(s.to_string()),
            None => Err(format!("unknown entity &{};", &**r)),
        }
    }
}

/// The well-formedness pass: every event is read; structural elements are
/// recorded with their spans. Node 0 is the root element.
fn scan(text: &str, file: &str) -> Result<Vec<Node>> {
    let mut reader = Reader::from_str(text);
    let mut nodes: Vec<Node> = Vec::new();
    // (qname, recorded node, start offset)
    let mut stack: Vec<(String, Option<usize>, usize)> = Vec::new();
    let mut root_done = false;
    loop {
        let before = reader.buffer_position() as usize;
        let ev = match reader.read_event() {
            Ok(ev) => ev,
            Err(e) => {
                return Err(xml_err(
                    text,
                    file,
                    reader.error_position() as usize,
                    qx_message(&e),
                ));
            }
        };
        let after = reader.buffer_position() as usize;
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(ev, Event::Empty(_));
                if stack.is_empty() && root_done {
                    return Err(xml_err(
                        text,
                        file,
                        before,
                        "malformed XML: a second root element after the first one closed",
                    ));
                }
                let qname = e.name().as_ref().to_string();
                let attrs = attributes(e, text, file, before)?;
                let parent = stack.last().map(|(_, n, _)| *n);
                let record = match parent {
                    None => true,
                    Some(Some(p)) => is_structural(&nodes[p].local),
                    Some(None) => false,
                };
                let idx = if record {
                    let i = nodes.len();
                    let local = local_of(&qname).to_string();
                    nodes.push(Node {
                        qname: qname.clone(),
                        local,
                        attrs,
                        start: before..after,
                        end: after..after,
                        empty,
                        children: Vec::new(),
                    });
                    if let Some(Some(p)) = parent {
                        nodes[p].children.push(i);
                    }
                    Some(i)
                } else {
                    None
                };
                if empty {
                    if stack.is_empty() {
                        root_done = true;
                    }
                } else {
                    stack.push((qname, idx, before));
                }
            }
            Event::End(_) => {
                let Some((_, idx, _)) = stack.pop() else {
                    return Err(xml_err(
                        text,
                        file,
                        before,
                        "malformed XML: unmatched end tag",
                    ));
                };
                if let Some(i) = idx {
                    nodes[i].end = before..after;
                }
                if stack.is_empty() {
                    root_done = true;
                }
            }
            Event::Text(t) => {
                if stack.is_empty() && !t.as_ref().trim().is_empty() {
                    return Err(xml_err(
                        text,
                        file,
                        before,
                        "malformed XML: text outside the root element",
                    ));
                }
            }
            Event::GeneralRef(r) => {
                if stack.is_empty() {
                    return Err(xml_err(
                        text,
                        file,
                        before,
                        "malformed XML: text outside the root element",
                    ));
                }
                resolve_ref(&r).map_err(|m| xml_err(text, file, before, m))?;
            }
            Event::CData(_) => {
                if stack.is_empty() {
                    return Err(xml_err(
                        text,
                        file,
                        before,
                        "malformed XML: CDATA outside the root element",
                    ));
                }
            }
            Event::Eof => {
                if let Some((qname, _, start)) = stack.last() {
                    let (l, c) = line_col(text, *start);
                    return Err(xml_err(
                        text,
                        file,
                        text.len(),
                        format!(
                            "malformed XML: the file ends inside <{qname}> (opened at {l}:{c})"
                        ),
                    ));
                }
                break;
            }
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
        }
    }
    if nodes.is_empty() {
        return Err(Error::input(file, None, "not XML: no element found"));
    }
    Ok(nodes)
}

/// A `<mrk mtype="seg">` of a seg-source or of a target.
#[derive(Debug, Clone)]
struct Mrk {
    mid: String,
    start: Range<usize>,
    inner: Range<usize>,
    empty: bool,
}

/// The segment markers inside `range` (not nested in another marker).
fn seg_mrks(text: &str, range: Range<usize>, file: &str) -> Result<Vec<Mrk>> {
    let base = range.start;
    let frag = &text[range];
    let mut reader = Reader::from_str(frag);
    let mut out = Vec::new();
    let mut depth = 0usize;
    // (depth at which the open marker sits, index into out)
    let mut open: Option<(usize, usize)> = None;
    loop {
        let before = reader.buffer_position() as usize;
        let ev = fragment_event(&mut reader, text, file, base)?;
        let after = reader.buffer_position() as usize;
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(ev, Event::Empty(_));
                let is_seg = local_of(e.name().as_ref()) == "mrk" && open.is_none() && {
                    let attrs = attributes(e, text, file, base + before)?;
                    attrs.iter().any(|(k, v)| k == "mtype" && v == "seg")
                };
                if is_seg {
                    let attrs = attributes(e, text, file, base + before)?;
                    let mid = attrs
                        .iter()
                        .find(|(k, _)| k == "mid")
                        .map(|(_, v)| v.clone())
                        .unwrap_or_default();
                    out.push(Mrk {
                        mid,
                        start: base + before..base + after,
                        inner: base + after..base + after,
                        empty,
                    });
                    if !empty {
                        open = Some((depth, out.len() - 1));
                    }
                }
                if !empty {
                    depth += 1;
                }
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if let Some((d, i)) = open
                    && d == depth
                {
                    out[i].inner = out[i].inner.start..base + before;
                    open = None;
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

/// Parse inline content (`<source>` ... `</source>` inner text).
fn parse_inline(text: &str, range: Range<usize>, file: &str) -> Result<Content> {
    let base = range.start;
    let frag = &text[range];
    let mut reader = Reader::from_str(frag);
    let mut c = Content::default();
    // An element whose content is code (bpt, ph, it ...): skipped whole.
    let mut opaque: Option<(usize, usize, String)> = None; // (depth, start, local)
    let mut containers: Vec<String> = Vec::new();
    loop {
        let before = reader.buffer_position() as usize;
        let ev = fragment_event(&mut reader, text, file, base)?;
        let after = reader.buffer_position() as usize;
        if let Some((depth, start, local)) = &mut opaque {
            match ev {
                Event::Start(_) => *depth += 1,
                Event::End(_) => {
                    *depth -= 1;
                    if *depth == 0 {
                        c.parts.push(Part::Tag(Tag {
                            kind: TagKind::Standalone,
                            name: std::mem::take(local),
                            raw: frag[*start..after].to_string(),
                        }));
                        opaque = None;
                    }
                }
                Event::Eof => break,
                _ => {}
            }
            continue;
        }
        match ev {
            Event::Start(e) => {
                let local = local_of(e.name().as_ref()).to_string();
                if matches!(local.as_str(), "g" | "pc" | "mrk") {
                    c.parts.push(Part::Tag(Tag {
                        kind: TagKind::Open,
                        name: local.clone(),
                        raw: frag[before..after].to_string(),
                    }));
                    containers.push(local);
                } else {
                    opaque = Some((1, before, local));
                }
            }
            Event::End(_) => {
                let name = containers.pop().unwrap_or_default();
                c.parts.push(Part::Tag(Tag {
                    kind: TagKind::Close,
                    name,
                    raw: frag[before..after].to_string(),
                }));
            }
            Event::Empty(e) => {
                c.parts.push(Part::Tag(Tag {
                    kind: TagKind::Standalone,
                    name: local_of(e.name().as_ref()).to_string(),
                    raw: frag[before..after].to_string(),
                }));
            }
            Event::Text(t) => c.push_text(&t.xml10_content()),
            Event::CData(t) => c.push_text(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let s = resolve_ref(&r).map_err(|m| xml_err(text, file, base + before, m))?;
                c.push_text(&s);
            }
            Event::Comment(_) | Event::PI(_) => c.parts.push(Part::Tag(Tag {
                kind: TagKind::Standalone,
                name: String::new(),
                raw: frag[before..after].to_string(),
            })),
            Event::Decl(_) | Event::DocType(_) => {}
            Event::Eof => break,
        }
    }
    Ok(c)
}

/// Set (Some) or remove (None) attributes in a start tag as written,
/// keeping the rest of it byte for byte.
fn set_attrs(tag: &str, updates: &[(&str, Option<&str>)]) -> String {
    // Spans of existing attributes: (name, whole span with the space before, value span).
    let b = tag.as_bytes();
    let mut i = 1;
    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' && b[i] != b'/' {
        i += 1;
    }
    let mut attrs: Vec<(String, Range<usize>, Range<usize>)> = Vec::new();
    loop {
        let ws_start = i;
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= b.len() || b[i] == b'>' || b[i] == b'/' {
            i = ws_start;
            break;
        }
        let name_start = i;
        while i < b.len() && b[i] != b'=' && !b[i].is_ascii_whitespace() {
            i += 1;
        }
        let name = tag[name_start..i].to_string();
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'=') {
            i += 1;
        }
        let Some(&q) = b.get(i) else { break };
        let vstart = i + 1;
        let vend = match tag[vstart..].find(q as char) {
            Some(k) => vstart + k,
            None => break,
        };
        attrs.push((name, ws_start..vend + 1, vstart..vend));
        i = vend + 1;
    }
    let end_of_attrs = i;
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let mut appended = String::new();
    for (name, value) in updates {
        match (attrs.iter().find(|(n, _, _)| n == name), value) {
            (Some((_, _, v)), Some(val)) => edits.push((v.clone(), escape_attr(val))),
            (Some((_, whole, _)), None) => edits.push((whole.clone(), String::new())),
            (None, Some(val)) => {
                appended.push_str(&format!(" {name}=\"{}\"", escape_attr(val)));
            }
            (None, None) => {}
        }
    }
    if !appended.is_empty() {
        edits.push((end_of_attrs..end_of_attrs, appended));
    }
    apply_edits(tag, edits)
}

/// Apply non-overlapping edits (range → replacement), in order of position;
/// insertions at the same place keep their order.
fn apply_edits(text: &str, mut edits: Vec<(Range<usize>, String)>) -> String {
    edits.sort_by_key(|(r, _)| r.start);
    let mut out =
        String::with_capacity(text.len() + edits.iter().map(|e| e.1.len()).sum::<usize>());
    let mut at = 0;
    for (r, s) in edits {
        if r.start < at {
            continue; // overlapping edit: never produced, skipped for safety
        }
        out.push_str(&text[at..r.start]);
        out.push_str(&s);
        at = r.end;
    }
    out.push_str(&text[at..]);
    out
}

/// A start tag written as an empty element (`<target/>`) turned into a
/// start tag (`<target>`).
fn open_form(tag: &str) -> String {
    let t = tag.trim_end_matches('>');
    match t.strip_suffix('/') {
        Some(s) => format!("{}>", s.trim_end()),
        None => tag.to_string(),
    }
}

/// Options for [`Document::fill`].
#[derive(Debug, Clone)]
pub struct FillOptions<'a> {
    /// The target language tag as it should be written (`ru`, `zh-CN`).
    pub target_lang: &'a str,
    /// Replace targets that are already filled.
    pub overwrite: bool,
}

impl Document {
    /// The document text as read (UTF-8, without byte-order mark).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The start of the line holding byte `at`, and whether only white
    /// space precedes `at` on it: the indentation to follow.
    fn indent_at(&self, at: usize) -> Option<&str> {
        let line_start = self.text[..at].rfind('\n').map_or(0, |p| p + 1);
        let ws = &self.text[line_start..at];
        ws.chars().all(|c| c == ' ' || c == '\t').then_some(ws)
    }

    /// What to put before a new element placed at the level of the
    /// element starting at `sibling`: a line break and its indentation,
    /// or nothing when the file keeps these elements on one line.
    fn sep_like(&self, sibling: usize) -> String {
        match self.indent_at(sibling) {
            Some(ws) => format!("{}{ws}", self.newline),
            None => String::new(),
        }
    }

    /// Fill targets and write the whole document. Segments already
    /// translated are left alone unless `overwrite`.
    pub fn fill(&self, fills: &[Fill], opts: &FillOptions) -> String {
        let mut by_unit: HashMap<usize, Vec<&Fill>> = HashMap::new();
        for f in fills {
            if let Some(u) = self.units.get(f.unit)
                && let Some(s) = u.segments.get(f.segment)
                && u.translate
                && (opts.overwrite || !s.is_filled())
            {
                by_unit.entry(f.unit).or_default().push(f);
            }
        }
        let mut edits: Vec<(Range<usize>, String)> = Vec::new();
        let mut units: Vec<usize> = by_unit.keys().copied().collect();
        units.sort_unstable();
        let mut files_touched = Vec::new();
        for ui in units {
            let unit = &self.units[ui];
            let fl = &by_unit[&ui];
            match self.version {
                Version::V1 => self.fill_unit_v1(unit, fl, opts, &mut edits),
                Version::V2 => self.fill_unit_v2(unit, fl, opts, &mut edits),
            }
            files_touched.push(unit.file);
        }
        // Declare the target language where it is missing.
        files_touched.sort_unstable();
        files_touched.dedup();
        match self.version {
            Version::V1 => {
                for fi in files_touched {
                    let f = &self.files[fi];
                    if f.target_lang.is_none() {
                        let n = &self.nodes[f.node];
                        let tag = &self.text[n.start.clone()];
                        edits.push((
                            n.start.clone(),
                            set_attrs(tag, &[("target-language", Some(opts.target_lang))]),
                        ));
                    }
                }
            }
            Version::V2 => {
                let root = &self.nodes[0];
                if !files_touched.is_empty() && root.attr("trgLang").is_none() {
                    let tag = &self.text[root.start.clone()];
                    edits.push((
                        root.start.clone(),
                        set_attrs(tag, &[("trgLang", Some(opts.target_lang))]),
                    ));
                }
            }
        }
        let mut out = String::new();
        if self.bom {
            out.push('\u{FEFF}');
        }
        let body = apply_edits(&self.text, edits);
        if self.utf16 {
            out.push_str(&utf8_declaration(&body));
        } else {
            out.push_str(&body);
        }
        out
    }

    fn fill_unit_v1(
        &self,
        unit: &Unit,
        fills: &[&Fill],
        opts: &FillOptions,
        edits: &mut Vec<(Range<usize>, String)>,
    ) {
        let nodes = &self.nodes;
        let src = child_nodes(nodes, unit.node, "source").next();
        let seg_src = child_nodes(nodes, unit.node, "seg-source").next();
        let target = child_nodes(nodes, unit.node, "target").next();
        let Some(src) = src else { return };
        let p = nodes[src].prefix().to_string();
        let sep = self.sep_like(nodes[src].start.start);
        // the file's own spelling of the target language (ru-RU), else --to's
        let lang_tag = self.files[unit.file]
            .target_lang
            .as_deref()
            .unwrap_or(opts.target_lang);
        let lang = escape_attr(lang_tag);
        let whole = matches!(unit.segments.first().map(|s| &s.loc), Some(Loc::Whole));
        // (state, qualifier) of the target, and where alt-trans go.
        let mut alt = String::new();
        let alt_for = |f: &Fill, mid: Option<&str>| -> String {
            let src_lang = self.files[unit.file]
                .source_lang
                .clone()
                .unwrap_or_default();
            let inner_sep = if sep.is_empty() {
                String::new()
            } else {
                format!("{sep}  ")
            };
            let mut x = format!(
                "{sep}<{p}alt-trans match-quality=\"{}\" origin=\"polytm\"",
                f.leveraged.score
            );
            if let Some(m) = mid {
                x.push_str(&format!(" mid=\"{}\"", escape_attr(m)));
            }
            x.push('>');
            x.push_str(&format!(
                "{inner_sep}<{p}source xml:lang=\"{}\">{}</{p}source>",
                escape_attr(&src_lang),
                escape_text(&f.leveraged.match_source)
            ));
            x.push_str(&format!(
                "{inner_sep}<{p}target xml:lang=\"{lang}\">{}</{p}target>",
                escape_text(&f.leveraged.match_target)
            ));
            if let Some(n) = &f.leveraged.note {
                x.push_str(&format!(
                    "{inner_sep}<{p}note from=\"polytm\">{}</{p}note>",
                    escape_text(n)
                ));
            }
            x.push_str(&format!("{sep}</{p}alt-trans>"));
            x
        };
        let anchor;
        if whole {
            let Some(f) = fills.first() else { return };
            let seg = &unit.segments[0];
            let content = seg.source.render(&f.leveraged.target);
            let (state, qual) = f.leveraged.kind.v1_state();
            match target {
                Some(t) => {
                    let tn = &nodes[t];
                    let tag = &self.text[tn.start.clone()];
                    let mut ups = vec![("state", Some(state)), ("state-qualifier", Some(qual))];
                    if tn.attr("xml:lang").is_none() {
                        ups.push(("xml:lang", Some(lang_tag)));
                    }
                    let start = open_form(&set_attrs(tag, &ups));
                    edits.push((tn.outer(), format!("{start}{content}</{}>", tn.qname)));
                    anchor = tn.outer().end;
                }
                None => {
                    anchor = nodes[seg_src.unwrap_or(src)].outer().end;
                    edits.push((
                        anchor..anchor,
                        format!(
                            "{sep}<{p}target xml:lang=\"{lang}\" state=\"{state}\" state-qualifier=\"{qual}\">{content}</{p}target>"
                        ),
                    ));
                }
            }
            alt.push_str(&alt_for(f, None));
        } else {
            // seg-source: fill markers, one state for the whole target.
            let fill_of = |i: usize| fills.iter().find(|f| f.segment == i);
            let mut any_fuzzy = false;
            let mut any_repaired = false;
            let mut all_done = true;
            for (i, s) in unit.segments.iter().enumerate() {
                match fill_of(i) {
                    Some(f) => {
                        any_fuzzy |=
                            !matches!(f.leveraged.kind, MatchKind::Exact | MatchKind::Inherited);
                        any_repaired |= f.leveraged.kind == MatchKind::Repaired;
                    }
                    None => all_done &= s.is_filled(),
                }
            }
            let (state, qual) = if any_fuzzy {
                (
                    "needs-review-translation",
                    if any_repaired {
                        "leveraged-tm"
                    } else {
                        "fuzzy-match"
                    },
                )
            } else if all_done {
                ("translated", "exact-match")
            } else {
                ("needs-translation", "exact-match")
            };
            match target {
                Some(t) => {
                    let tn = &nodes[t];
                    let tag = &self.text[tn.start.clone()];
                    let mut ups = vec![("state", Some(state)), ("state-qualifier", Some(qual))];
                    if tn.attr("xml:lang").is_none() {
                        ups.push(("xml:lang", Some(lang_tag)));
                    }
                    let mut start = set_attrs(tag, &ups);
                    if tn.empty {
                        start = open_form(&start);
                    }
                    let mut appended = String::new();
                    let mut inner_edits = Vec::new();
                    for (i, s) in unit.segments.iter().enumerate() {
                        let Some(f) = fill_of(i) else { continue };
                        let content = s.source.render(&f.leveraged.target);
                        match &s.loc {
                            Loc::Mrk {
                                target: Some(m), ..
                            } => {
                                if m.empty {
                                    let open = open_form(&self.text[m.start.clone()]);
                                    inner_edits.push((
                                        m.start.clone(),
                                        format!("{open}{content}</{p}mrk>"),
                                    ));
                                } else {
                                    inner_edits.push((m.inner.clone(), content));
                                }
                            }
                            _ => appended.push_str(&format!(
                                "<{p}mrk mtype=\"seg\" mid=\"{}\">{content}</{p}mrk>",
                                escape_attr(s.id.as_deref().unwrap_or(""))
                            )),
                        }
                    }
                    if tn.empty {
                        let inner: String = inner_edits.into_iter().map(|e| e.1).collect();
                        edits.push((
                            tn.outer(),
                            format!("{start}{inner}{appended}</{}>", tn.qname),
                        ));
                    } else {
                        edits.push((tn.start.clone(), start));
                        edits.extend(inner_edits);
                        let end = tn.inner().end;
                        edits.push((end..end, appended));
                    }
                    anchor = tn.outer().end;
                }
                None => {
                    let Some(ss) = seg_src else { return };
                    let ssn = &nodes[ss];
                    let range = ssn.inner();
                    let mut local = Vec::new();
                    for (i, s) in unit.segments.iter().enumerate() {
                        let Loc::Mrk { source: m, .. } = &s.loc else {
                            continue;
                        };
                        let content = fill_of(i)
                            .map(|f| s.source.render(&f.leveraged.target))
                            .unwrap_or_default();
                        if m.empty {
                            let open = open_form(&self.text[m.start.clone()]);
                            local.push((
                                m.start.start - range.start..m.start.end - range.start,
                                format!("{open}{content}</{p}mrk>"),
                            ));
                        } else {
                            local.push((
                                m.inner.start - range.start..m.inner.end - range.start,
                                content,
                            ));
                        }
                    }
                    let body = apply_edits(&self.text[range], local);
                    anchor = ssn.outer().end;
                    edits.push((
                        anchor..anchor,
                        format!(
                            "{sep}<{p}target xml:lang=\"{lang}\" state=\"{state}\" state-qualifier=\"{qual}\">{body}</{p}target>"
                        ),
                    ));
                }
            }
            for f in fills {
                let mid = unit.segments.get(f.segment).and_then(|s| s.id.as_deref());
                alt.push_str(&alt_for(f, mid));
            }
        }
        edits.push((anchor..anchor, alt));
        if opts.overwrite {
            // Proposals of an earlier run are replaced, not piled up.
            for a in child_nodes(nodes, unit.node, "alt-trans") {
                let an = &nodes[a];
                if an.attr("origin") == Some("polytm") {
                    let from = self.line_start_before(an.start.start);
                    edits.push((from..an.outer().end, String::new()));
                }
            }
        }
    }

    fn fill_unit_v2(
        &self,
        unit: &Unit,
        fills: &[&Fill],
        opts: &FillOptions,
        edits: &mut Vec<(Range<usize>, String)>,
    ) {
        let nodes = &self.nodes;
        let un = &nodes[unit.node];
        let existing = child_nodes(nodes, unit.node, "matches").next();
        // A match written into an existing <matches> declares the prefix
        // itself: that element may use another one.
        let ns_decl = match existing {
            Some(m) if !nodes[m].empty => format!(" xmlns:mtc=\"{NS_MTC}\""),
            _ => String::new(),
        };
        let child_sep = un
            .children
            .first()
            .map(|&c| self.sep_like(nodes[c].start.start))
            .unwrap_or_default();
        let (msep, isep) = if child_sep.is_empty() {
            (String::new(), String::new())
        } else {
            (format!("{child_sep}  "), format!("{child_sep}    "))
        };
        let mut used_ids: Vec<String> = unit.segments.iter().filter_map(|s| s.id.clone()).collect();
        let mut matches = String::new();
        for f in fills {
            let Some(seg) = unit.segments.get(f.segment) else {
                continue;
            };
            let Loc::Segment(s) = seg.loc else { continue };
            let sn = &nodes[s];
            let Some(src) = child_nodes(nodes, s, "source").next() else {
                continue;
            };
            let p = nodes[src].prefix().to_string();
            let content = seg.source.render(&f.leveraged.target);
            match child_nodes(nodes, s, "target").next() {
                Some(t) => {
                    let tn = &nodes[t];
                    if tn.empty {
                        let open = open_form(&self.text[tn.start.clone()]);
                        edits.push((tn.outer(), format!("{open}{content}</{}>", tn.qname)));
                    } else {
                        edits.push((tn.inner(), content));
                    }
                }
                None => {
                    let sep = self.sep_like(nodes[src].start.start);
                    let at = nodes[src].outer().end;
                    edits.push((at..at, format!("{sep}<{p}target>{content}</{p}target>")));
                }
            }
            let (state, sub) = f.leveraged.kind.v2_state();
            let id = match &seg.id {
                Some(id) => id.clone(),
                None => {
                    let mut k = f.segment + 1;
                    while used_ids.contains(&format!("polytm{k}")) {
                        k += 1;
                    }
                    let id = format!("polytm{k}");
                    used_ids.push(id.clone());
                    id
                }
            };
            let mut ups = vec![("state", Some(state)), ("subState", Some(sub))];
            if seg.id.is_none() {
                ups.push(("id", Some(id.as_str())));
            }
            edits.push((
                sn.start.clone(),
                set_attrs(&self.text[sn.start.clone()], &ups),
            ));
            matches.push_str(&format!(
                "{msep}<mtc:match ref=\"#{}\" similarity=\"{}\" origin=\"polytm\" type=\"tm\"{ns_decl}>",
                escape_attr(&id),
                f.leveraged.score,
            ));
            matches.push_str(&format!(
                "{isep}<{p}source>{}</{p}source>{isep}<{p}target>{}</{p}target>",
                escape_text(&f.leveraged.match_source),
                escape_text(&f.leveraged.match_target)
            ));
            matches.push_str(&format!("{msep}</mtc:match>"));
        }
        if matches.is_empty() {
            return;
        }
        match existing {
            Some(m) if !nodes[m].empty => {
                let mn = &nodes[m];
                let at = self.line_start_before(mn.inner().end);
                edits.push((at..at, matches));
                if opts.overwrite {
                    for &c in &mn.children {
                        let cn = &nodes[c];
                        if cn.local == "match" && cn.attr("origin") == Some("polytm") {
                            let from = self.line_start_before(cn.start.start);
                            edits.push((from..cn.outer().end, String::new()));
                        }
                    }
                }
            }
            Some(m) => edits.push((
                nodes[m].outer(),
                format!("<mtc:matches xmlns:mtc=\"{NS_MTC}\">{matches}{child_sep}</mtc:matches>"),
            )),
            None => {
                let at = un.start.end;
                edits.push((
                    at..at,
                    format!(
                        "{child_sep}<mtc:matches xmlns:mtc=\"{NS_MTC}\">{matches}{child_sep}</mtc:matches>"
                    ),
                ));
            }
        }
    }

    /// Where the line holding `at` starts, including the line break before
    /// it, when only indentation precedes `at`; else `at`. Removing from
    /// here removes a whole line; inserting here adds one before it.
    fn line_start_before(&self, at: usize) -> usize {
        match self.indent_at(at) {
            Some(ws) => {
                let s = at - ws.len();
                if self.text[..s].ends_with("\r\n") {
                    s - 2
                } else if self.text[..s].ends_with('\n') {
                    s - 1
                } else {
                    s
                }
            }
            None => at,
        }
    }
}

/// Rewrite `encoding="UTF-16"` in the XML declaration to UTF-8.
fn utf8_declaration(text: &str) -> String {
    if let Some(rest) = text.strip_prefix("<?xml")
        && let Some(end) = rest.find("?>")
    {
        let decl = &rest[..end];
        let lower = decl.to_ascii_lowercase();
        if let Some(i) = lower.find("utf-16") {
            return format!("<?xml{}UTF-8{}{}", &decl[..i], &decl[i + 6..], &rest[end..]);
        }
    }
    text.to_string()
}

/// A trans-unit of a new XLIFF 1.2 file written from text.
#[derive(Debug, Clone)]
pub struct NewUnit {
    pub id: String,
    /// Units with the same group are written in one `<group>` (a paragraph).
    pub group: Option<String>,
    pub source: String,
    pub leveraged: Option<Leveraged>,
}

/// Metadata of a new XLIFF 1.2 file.
#[derive(Debug, Clone)]
pub struct NewFile<'a> {
    /// The input's name, for `original`.
    pub original: &'a str,
    pub source_lang: &'a str,
    pub target_lang: &'a str,
}

/// Write a new XLIFF 1.2 document from plain segments: one trans-unit per
/// segment, grouped by paragraph, a target only where there is a match.
pub fn write_new(meta: &NewFile, units: &[NewUnit]) -> String {
    let mut s = String::new();
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str(&format!("<xliff version=\"1.2\" xmlns=\"{NS_V1}\">\n"));
    s.push_str(&format!(
        "  <file original=\"{}\" source-language=\"{}\" target-language=\"{}\" datatype=\"plaintext\">\n",
        escape_attr(meta.original),
        escape_attr(meta.source_lang),
        escape_attr(meta.target_lang)
    ));
    s.push_str(&format!(
        "    <header>\n      <tool tool-id=\"polytm\" tool-name=\"polytm\" tool-version=\"{}\"/>\n    </header>\n",
        env!("CARGO_PKG_VERSION")
    ));
    s.push_str("    <body>\n");
    let mut open_group: Option<&str> = None;
    for u in units {
        if u.group.as_deref() != open_group {
            if open_group.is_some() {
                s.push_str("      </group>\n");
            }
            if let Some(g) = &u.group {
                s.push_str(&format!(
                    "      <group id=\"{}\" restype=\"x-paragraph\">\n",
                    escape_attr(g)
                ));
            }
            open_group = u.group.as_deref();
        }
        let ind = if open_group.is_some() {
            "        "
        } else {
            "      "
        };
        let space = if needs_preserve(&u.source) {
            " xml:space=\"preserve\""
        } else {
            ""
        };
        s.push_str(&format!(
            "{ind}<trans-unit id=\"{}\"{space}>\n",
            escape_attr(&u.id)
        ));
        s.push_str(&format!(
            "{ind}  <source xml:lang=\"{}\">{}</source>\n",
            escape_attr(meta.source_lang),
            escape_text(&u.source)
        ));
        if let Some(l) = &u.leveraged {
            let (state, qual) = l.kind.v1_state();
            s.push_str(&format!(
                "{ind}  <target xml:lang=\"{}\" state=\"{state}\" state-qualifier=\"{qual}\">{}</target>\n",
                escape_attr(meta.target_lang),
                escape_text(&l.target)
            ));
            s.push_str(&format!(
                "{ind}  <alt-trans match-quality=\"{}\" origin=\"polytm\" tool-id=\"polytm\">\n",
                l.score
            ));
            s.push_str(&format!(
                "{ind}    <source xml:lang=\"{}\">{}</source>\n",
                escape_attr(meta.source_lang),
                escape_text(&l.match_source)
            ));
            s.push_str(&format!(
                "{ind}    <target xml:lang=\"{}\">{}</target>\n",
                escape_attr(meta.target_lang),
                escape_text(&l.match_target)
            ));
            if let Some(n) = &l.note {
                s.push_str(&format!(
                    "{ind}    <note from=\"polytm\">{}</note>\n",
                    escape_text(n)
                ));
            }
            s.push_str(&format!("{ind}  </alt-trans>\n"));
        }
        s.push_str(&format!("{ind}</trans-unit>\n"));
    }
    if open_group.is_some() {
        s.push_str("      </group>\n");
    }
    s.push_str("    </body>\n  </file>\n</xliff>\n");
    s
}

/// Leading, trailing or doubled white space, or a line break.
fn needs_preserve(s: &str) -> bool {
    s.starts_with(char::is_whitespace)
        || s.ends_with(char::is_whitespace)
        || s.contains("  ")
        || s.contains(['\n', '\t'])
}

#[cfg(test)]
mod tests {
    use super::*;

    const V1: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="release.docx" source-language="en-US" datatype="x-undefined">
    <header><note>keep me</note></header>
    <body>
      <group id="g1">
        <trans-unit id="1" resname="title">
          <source>The meeting was held in <g id="1">Dushanbe</g>.</source>
          <note>from the client</note>
        </trans-unit>
      </group>
      <trans-unit id="2">
        <source>Already done &amp; dusted.</source>
        <target state="final">Уже сделано.</target>
      </trans-unit>
      <trans-unit id="3" translate="no">
        <source>SCO</source>
      </trans-unit>
      <trans-unit id="4">
        <source><x id="1"/>Next year.</source>
        <target/>
      </trans-unit>
    </body>
  </file>
</xliff>
"#;

    fn lev(target: &str, score: u8, kind: MatchKind) -> Leveraged {
        Leveraged {
            target: target.into(),
            score,
            kind,
            match_source: "TM source".into(),
            match_target: "TM target".into(),
            note: None,
        }
    }

    fn opts(lang: &str) -> FillOptions<'_> {
        FillOptions {
            target_lang: lang,
            overwrite: false,
        }
    }

    #[test]
    fn reads_v1_units_segments_and_inline_codes() {
        let d = parse(V1, "a.xlf").unwrap();
        assert_eq!(d.version, Version::V1);
        assert_eq!(d.files.len(), 1);
        assert_eq!(d.files[0].source_lang.as_deref(), Some("en-US"));
        assert_eq!(d.files[0].target_lang, None);
        assert_eq!(d.units.len(), 4);
        let u = &d.units[0];
        assert_eq!(u.id, "1");
        assert_eq!(
            u.segments[0].source.plain(),
            "The meeting was held in Dushanbe."
        );
        assert_eq!(u.segments[0].source.inner_tags(), 2);
        assert!(!u.segments[0].is_filled());
        assert_eq!(
            d.units[1].segments[0].source.plain(),
            "Already done & dusted."
        );
        assert!(d.units[1].segments[0].is_filled());
        assert!(!d.units[2].translate);
        // <target/> is empty, not filled; the leading <x/> is not an inner code
        assert!(!d.units[3].segments[0].is_filled());
        assert_eq!(d.units[3].segments[0].source.inner_tags(), 0);
    }

    #[test]
    fn translate_no_is_inherited_from_groups() {
        let x = r#"<xliff version="1.2"><file source-language="en" original="x"><body>
<group translate="no"><trans-unit id="1"><source>a</source></trans-unit>
<trans-unit id="2" translate="yes"><source>b</source></trans-unit></group>
<trans-unit id="3"><source>c</source></trans-unit></body></file></xliff>"#;
        let d = parse(x, "g.xlf").unwrap();
        let t: Vec<bool> = d.units.iter().map(|u| u.translate).collect();
        assert_eq!(t, [false, true, true]);
    }

    #[test]
    fn nothing_to_fill_writes_the_file_byte_for_byte() {
        let d = parse(V1, "a.xlf").unwrap();
        assert_eq!(d.fill(&[], &opts("ru")), V1);
    }

    #[test]
    fn fills_v1_targets_with_state_alt_trans_and_codes() {
        let d = parse(V1, "a.xlf").unwrap();
        let fills = vec![
            Fill {
                unit: 0,
                segment: 0,
                leveraged: lev("Совещание прошло в Душанбе.", 87, MatchKind::Fuzzy),
            },
            Fill {
                unit: 1,
                segment: 0,
                leveraged: lev("must not replace a final target", 100, MatchKind::Exact),
            },
            Fill {
                unit: 3,
                segment: 0,
                leveraged: lev("В следующем году.", 100, MatchKind::Exact),
            },
        ];
        let out = d.fill(&fills, &opts("ru"));
        // target-language declared, everything else as it was
        assert!(out.contains(r#"<file original="release.docx" source-language="en-US" datatype="x-undefined" target-language="ru">"#), "{out}");
        assert!(out.contains("<header><note>keep me</note></header>"));
        assert!(out.contains(
            "          <source>The meeting was held in <g id=\"1\">Dushanbe</g>.</source>\n          <target xml:lang=\"ru\" state=\"needs-review-translation\" state-qualifier=\"fuzzy-match\">Совещание прошло в Душанбе.<g id=\"1\"></g></target>\n          <alt-trans match-quality=\"87\" origin=\"polytm\">\n            <source xml:lang=\"en-US\">TM source</source>\n            <target xml:lang=\"ru\">TM target</target>\n          </alt-trans>\n          <note>from the client</note>"
        ), "{out}");
        assert!(out.contains("<target state=\"final\">Уже сделано.</target>"));
        assert!(!out.contains("must not replace"));
        assert!(out.contains(
            "<target state=\"translated\" state-qualifier=\"exact-match\" xml:lang=\"ru\"><x id=\"1\"/>В следующем году.</target>"
        ), "{out}");
        // the result reads back with the same targets
        let back = parse(&out, "b.xlf").unwrap();
        assert_eq!(back.files[0].target_lang.as_deref(), Some("ru"));
        let t = back.units[0].segments[0].target.as_ref().unwrap();
        assert_eq!(t.plain(), "Совещание прошло в Душанбе.");
        assert_eq!(
            back.units[0].segments[0].state.as_deref(),
            Some("needs-review-translation")
        );
        assert_eq!(
            back.units[3].segments[0].state.as_deref(),
            Some("translated")
        );
        assert!(back.units[3].segments[0].is_filled());
    }

    #[test]
    fn overwrite_replaces_target_and_earlier_polytm_proposals() {
        let d = parse(V1, "a.xlf").unwrap();
        let f = |t: &str| Fill {
            unit: 1,
            segment: 0,
            leveraged: lev(t, 90, MatchKind::Repaired),
        };
        let o = FillOptions {
            target_lang: "ru",
            overwrite: true,
        };
        let once = d.fill(&[f("Первый")], &o);
        assert!(once.contains("<target state=\"needs-review-translation\" state-qualifier=\"leveraged-tm\" xml:lang=\"ru\">Первый</target>"), "{once}");
        let d2 = parse(&once, "b.xlf").unwrap();
        let twice = d2.fill(&[f("Второй")], &o);
        assert_eq!(twice.matches("<alt-trans").count(), 1, "{twice}");
        assert!(twice.contains(">Второй</target>"));
        assert!(!twice.contains("Первый"));
    }

    #[test]
    fn seg_source_markers_are_filled_one_by_one() {
        let x = r#"<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file source-language="en" target-language="zh-CN" original="x" datatype="plaintext"><body>
<trans-unit id="p1">
<source>One. Two.</source>
<seg-source><mrk mtype="seg" mid="1">One.</mrk> <mrk mtype="seg" mid="2">Two.</mrk></seg-source>
</trans-unit>
</body></file></xliff>"#;
        let d = parse(x, "s.xlf").unwrap();
        let segs = &d.units[0].segments;
        assert_eq!(segs.len(), 2);
        assert_eq!(segs[1].id.as_deref(), Some("2"));
        assert_eq!(segs[1].source.plain(), "Two.");
        let out = d.fill(
            &[Fill {
                unit: 0,
                segment: 0,
                leveraged: lev("一。", 100, MatchKind::Exact),
            }],
            &opts("zh-CN"),
        );
        assert!(out.contains("<target xml:lang=\"zh-CN\" state=\"needs-translation\" state-qualifier=\"exact-match\"><mrk mtype=\"seg\" mid=\"1\">一。</mrk> <mrk mtype=\"seg\" mid=\"2\"></mrk></target>"), "{out}");
        assert!(out.contains("<alt-trans match-quality=\"100\" origin=\"polytm\" mid=\"1\">"));
        // second run fills the empty marker, keeps the first
        let d2 = parse(&out, "s2.xlf").unwrap();
        assert!(d2.units[0].segments[0].is_filled());
        assert!(!d2.units[0].segments[1].is_filled());
        let out2 = d2.fill(
            &[Fill {
                unit: 0,
                segment: 1,
                leveraged: lev("二。", 80, MatchKind::Fuzzy),
            }],
            &opts("zh-CN"),
        );
        assert!(
            out2.contains(
                "<mrk mtype=\"seg\" mid=\"1\">一。</mrk> <mrk mtype=\"seg\" mid=\"2\">二。</mrk>"
            ),
            "{out2}"
        );
        assert!(out2.contains("state=\"needs-review-translation\""));
        parse(&out2, "s3.xlf").unwrap();
    }

    const V2: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en">
  <file id="f1" original="release.html">
    <unit id="u1">
      <segment id="s1">
        <source>Hello <pc id="1">world</pc>.</source>
      </segment>
      <ignorable>
        <source> </source>
      </ignorable>
      <segment>
        <source>Second <ph id="2"/> sentence.</source>
        <target></target>
      </segment>
    </unit>
  </file>
</xliff>
"#;

    #[test]
    fn reads_and_fills_v2_with_matches_module() {
        let d = parse(V2, "b.xlf").unwrap();
        assert_eq!(d.version, Version::V2);
        assert_eq!(d.files[0].source_lang.as_deref(), Some("en"));
        let u = &d.units[0];
        assert_eq!(u.segments.len(), 2);
        assert_eq!(u.segments[0].source.plain(), "Hello world.");
        assert_eq!(u.segments[1].source.plain(), "Second  sentence.");
        assert_eq!(d.fill(&[], &opts("ru")), V2);
        let out = d.fill(
            &[
                Fill {
                    unit: 0,
                    segment: 0,
                    leveraged: lev("Привет, мир.", 100, MatchKind::Exact),
                },
                Fill {
                    unit: 0,
                    segment: 1,
                    leveraged: lev("Второе предложение.", 76, MatchKind::Fuzzy),
                },
            ],
            &opts("ru"),
        );
        assert!(out.contains("srcLang=\"en\" trgLang=\"ru\">"), "{out}");
        assert!(out.contains("<segment id=\"s1\" state=\"translated\" subState=\"polytm:exact-match\">\n        <source>Hello <pc id=\"1\">world</pc>.</source>\n        <target>Привет, мир.<pc id=\"1\"></pc></target>"), "{out}");
        assert!(
            out.contains(
                "<segment state=\"initial\" subState=\"polytm:fuzzy-match\" id=\"polytm2\">"
            ),
            "{out}"
        );
        assert!(
            out.contains("<target>Второе предложение.<ph id=\"2\"/></target>"),
            "{out}"
        );
        assert!(out.contains("<unit id=\"u1\">\n      <mtc:matches xmlns:mtc=\"urn:oasis:names:tc:xliff:matches:2.0\">\n        <mtc:match ref=\"#s1\" similarity=\"100\" origin=\"polytm\" type=\"tm\">"), "{out}");
        let back = parse(&out, "c.xlf").unwrap();
        assert_eq!(
            back.units[0].segments[1].target.as_ref().unwrap().plain(),
            "Второе предложение."
        );
        assert_eq!(back.units[0].segments[1].id.as_deref(), Some("polytm2"));
    }

    #[test]
    fn malformed_xml_names_line_and_column() {
        let bad = "<xliff version=\"1.2\">\n  <file>\n    <body>\n      <trans-unit id=\"1\"><source>a</target>\n";
        let e = parse(bad, "bad.xlf").unwrap_err().to_string();
        assert!(e.starts_with("bad.xlf:4:"), "{e}");
        assert!(e.contains("malformed XML"), "{e}");
        let e = parse("<xliff version=\"1.2\"><file>", "t.xlf")
            .unwrap_err()
            .to_string();
        assert!(e.contains("ends inside <file>"), "{e}");
        let e = parse("<xliff version=\"1.2\">&nbsp;</xliff>", "n.xlf")
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown entity &nbsp;"), "{e}");
        let e = parse("<html/>", "h.xlf").unwrap_err().to_string();
        assert!(e.contains("not an XLIFF file"), "{e}");
        let e = parse("   ", "e.xlf").unwrap_err().to_string();
        assert_eq!(e, "e.xlf: is empty");
        let e = parse("<xliff a='1' a='2'/>", "d.xlf")
            .unwrap_err()
            .to_string();
        assert!(e.contains("d.xlf:1:1"), "{e}");
        let e = parse("<xliff version=\"1.2\"/><xliff/>", "r.xlf")
            .unwrap_err()
            .to_string();
        assert!(e.contains("second root"), "{e}");
    }

    #[test]
    fn attribute_editing_keeps_the_tag() {
        assert_eq!(
            set_attrs(
                "<target  state='new' x=\"1\">",
                &[("state", Some("translated"))]
            ),
            "<target  state='translated' x=\"1\">"
        );
        assert_eq!(
            set_attrs("<target/>", &[("state", Some("a\"b"))]),
            "<target state=\"a&quot;b\"/>"
        );
        assert_eq!(
            set_attrs("<segment id=\"1\" subState=\"x:y\">", &[("subState", None)]),
            "<segment id=\"1\">"
        );
        assert_eq!(
            open_form("<target xml:lang=\"ru\" />"),
            "<target xml:lang=\"ru\">"
        );
    }

    #[test]
    fn escaping_drops_what_xml_cannot_hold() {
        assert_eq!(escape_text("a<b & c>\u{1}"), "a&lt;b &amp; c&gt;");
        assert_eq!(escape_attr("\"x\"\n"), "&quot;x&quot;&#10;");
    }

    #[test]
    fn new_file_is_valid_and_reads_back() {
        let units = vec![
            NewUnit {
                id: "1".into(),
                group: Some("p1".into()),
                source: "A & B.".into(),
                leveraged: Some(lev("А и Б.", 100, MatchKind::Exact)),
            },
            NewUnit {
                id: "2".into(),
                group: Some("p1".into()),
                source: " Two  spaces.".into(),
                leveraged: None,
            },
            NewUnit {
                id: "3".into(),
                group: Some("p2".into()),
                source: "Third.".into(),
                leveraged: Some(lev("Третье.", 80, MatchKind::Fuzzy)),
            },
        ];
        let x = write_new(
            &NewFile {
                original: "r.en.txt",
                source_lang: "en",
                target_lang: "ru",
            },
            &units,
        );
        let d = parse(&x, "new.xlf").unwrap();
        assert_eq!(d.units.len(), 3);
        assert_eq!(d.units[0].segments[0].source.plain(), "A & B.");
        assert_eq!(d.units[1].segments[0].source.plain(), " Two  spaces.");
        assert!(d.units[1].segments[0].target.is_none());
        assert_eq!(
            d.units[2].segments[0].state.as_deref(),
            Some("needs-review-translation")
        );
        assert!(x.contains("<trans-unit id=\"2\" xml:space=\"preserve\">"));
        assert_eq!(x.matches("<group ").count(), 2);
    }

    #[test]
    fn crlf_files_get_crlf_lines() {
        let x = "<xliff version=\"1.2\">\r\n  <file source-language=\"en\" original=\"x\">\r\n    <body>\r\n      <trans-unit id=\"1\">\r\n        <source>One.</source>\r\n      </trans-unit>\r\n    </body>\r\n  </file>\r\n</xliff>\r\n";
        let d = parse(x, "c.xlf").unwrap();
        let out = d.fill(
            &[Fill {
                unit: 0,
                segment: 0,
                leveraged: lev("Один.", 100, MatchKind::Exact),
            }],
            &opts("ru"),
        );
        assert!(
            out.contains("</source>\r\n        <target xml:lang=\"ru\""),
            "{out:?}"
        );
        assert_eq!(out.matches('\n').count(), out.matches("\r\n").count());
    }

    #[test]
    fn utf16_files_are_read_and_written_as_utf8() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("u.xlf");
        let x = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><xliff version=\"1.2\"><file source-language=\"en\" original=\"x\"><body><trans-unit id=\"1\"><source>Ж</source></trans-unit></body></file></xliff>";
        let mut bytes = vec![0xFF, 0xFE];
        for u in x.encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        std::fs::write(&p, bytes).unwrap();
        let d = read(&p).unwrap();
        assert_eq!(d.units[0].segments[0].source.plain(), "Ж");
        let out = d.fill(&[], &opts("ru"));
        assert!(
            out.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"),
            "{out}"
        );
    }

    #[test]
    fn utf16_declaration_is_rewritten() {
        assert_eq!(
            utf8_declaration("<?xml version=\"1.0\" encoding=\"UTF-16\"?><x/>"),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><x/>"
        );
        assert_eq!(utf8_declaration("<x/>"), "<x/>");
    }
}

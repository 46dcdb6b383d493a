//! Reading XLIFF: one well-formedness pass over the text with quick-xml
//! that records the structural elements and their byte spans, then the
//! units, segments (`<mrk mtype="seg">` markers included) and inline
//! content read from those spans. Errors name the line and column.

use std::ops::Range;
use std::path::Path;

use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use super::{
    Content, Document, FileInfo, Loc, Mrk, Node, Part, Tag, TagKind, Unit, Version, XliffSegment,
};
use crate::input::{Utf16, bom, decode, line_col, read_bytes};
use polytm_core::error::{Error, Pos, Result, display_path};

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
    crate::limits::check_runs(file, text, b"<")?;
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

pub(super) fn child_nodes<'a>(
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
            segments.push(XliffSegment {
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
        segments.push(XliffSegment {
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
        segments.push(XliffSegment {
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

pub(crate) fn pos_of(text: &str, byte: usize) -> Pos {
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
pub(crate) fn qx_message(e: &quick_xml::Error) -> String {
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
pub(crate) fn resolve_ref(r: &quick_xml::events::BytesRef) -> std::result::Result<String, String> {
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

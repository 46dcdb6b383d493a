//! TBX (TermBase eXchange) glossaries, read and written as a stream.
//!
//! Two dialects:
//! - **TBX-Basic 2019** (ISO 30042:2019, DCA style):
//!   `<tbx type="TBX-Basic">` … `<conceptEntry>/<langSec xml:lang>/<termSec>/<term>`;
//! - the older **TBX 2008 `martif`** form that OmegaT and Translate Toolkit
//!   read: `<martif type="TBX">` … `<termEntry>/<langSet xml:lang>/<tig>/<term>`
//!   (or `<ntig>/<termGrp>/<term>`).
//!
//! Statuses come from `termNote type="administrativeStatus"` (or the older
//! `normativeAuthorization`): `preferredTerm-admn-sts` → preferred,
//! `admittedTerm-admn-sts` → variant, `deprecatedTerm-admn-sts` /
//! `supersededTerm-admn-sts` → deprecated; `termNote type="termType"`
//! `abbreviation`/`acronym`/`shortForm`/`initialism` → abbreviation. A
//! language section whose terms carry no status gets the TSV rules: the
//! first term preferred, all-capitals terms abbreviations, the rest
//! variants.
//!
//! Concept level: `descrip type="subjectField"` → domain, `note` and
//! `descrip type="definition"` → note, `admin type="source"` → source.
//! Term level: `note` and `descrip type="context"` → the term's note,
//! `admin type="source"` → its source. Everything else (transactions,
//! cross-references, part of speech …) is read past.
//!
//! Namespaces are ignored (elements are matched by local name), so files
//! with or without `xmlns="urn:iso:std:iso:30042:ed-2"` read alike. UTF-8
//! is streamed; a UTF-16 file (with a byte-order mark) is decoded first.
//! Errors name the file, line and column.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::input;
use crate::termbase::{NewConcept, NewTerm, TermStatus, is_all_caps};
use crate::xml::escape_text;
use polytm_core::error::{Error, Pos, Result, display_path};
use polytm_text::lang::LangTag;

/// Which TBX to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dialect {
    /// TBX-Basic 2019 (`<tbx>`, ISO 30042:2019).
    #[default]
    Tbx,
    /// TBX 2008 (`<martif>`), for OmegaT and Translate Toolkit.
    Martif,
}

/// Where to look when an error position (a byte offset) must become a line
/// and column.
enum PosSource {
    File(PathBuf),
    Bytes(Vec<u8>),
}

#[derive(Default)]
struct TermB {
    text: String,
    admin: Option<String>,
    term_type: Option<String>,
    note: Option<String>,
    source: Option<String>,
}

struct Capture {
    name: String,
    kind: String,
    depth: usize,
    text: String,
}

/// Reads concepts from a TBX file one entry at a time.
pub struct TbxReader {
    xml: Reader<Box<dyn BufRead>>,
    buf: Vec<u8>,
    file: String,
    pos_src: PosSource,
    /// The dialect of the file, once its root element has been read.
    pub dialect: Option<Dialect>,
    stack: Vec<String>,
    concept: Option<NewConcept>,
    entry_at: u64,
    lang: Option<LangTag>,
    lang_terms: Vec<TermB>,
    term: Option<TermB>,
    capture: Option<Capture>,
    /// Things read past that the user may want to know about: (position, message).
    pub warnings: Vec<(Pos, String)>,
}

impl TbxReader {
    /// Open a TBX file (`-`: standard input).
    pub fn open(path: &Path) -> Result<TbxReader> {
        let file = display_path(path);
        if path.as_os_str() == "-" {
            let bytes = input::read_bytes(path)?;
            return TbxReader::from_bytes(bytes, &file);
        }
        if path.is_dir() {
            return Err(Error::Io {
                file,
                msg: "is a folder, not a file".into(),
            });
        }
        let mut f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let mut head = [0u8; 4];
        let n = read_up_to(&mut f, &mut head).map_err(|e| Error::io(path, e))?;
        if n == 0 {
            return Err(Error::input(file, None, "is empty"));
        }
        if matches!(input::bom(&head[..n]), Some("UTF-16LE" | "UTF-16BE")) {
            let bytes = input::read_bytes(path)?;
            return TbxReader::from_bytes(bytes, &file);
        }
        let f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let r: Box<dyn BufRead> = Box::new(BufReader::with_capacity(1 << 16, f));
        Ok(TbxReader::new(r, file, PosSource::File(path.to_path_buf())))
    }

    /// Read TBX held in memory (UTF-8, or UTF-16 with a byte-order mark).
    pub fn from_bytes(bytes: Vec<u8>, file: &str) -> Result<TbxReader> {
        if bytes.is_empty() {
            return Err(Error::input(file, None, "is empty"));
        }
        let text = match input::bom(&bytes) {
            Some("UTF-16LE" | "UTF-16BE") => input::decode(&bytes, input::Utf16::Decode)
                .map_err(|(p, m)| Error::input(file, p, m))?
                .into_bytes(),
            _ => bytes,
        };
        let r: Box<dyn BufRead> = Box::new(std::io::Cursor::new(text.clone()));
        Ok(TbxReader::new(r, file.to_string(), PosSource::Bytes(text)))
    }

    fn new(r: Box<dyn BufRead>, file: String, pos_src: PosSource) -> TbxReader {
        let mut xml = Reader::from_reader(r);
        let cfg = xml.config_mut();
        cfg.check_end_names = true;
        cfg.expand_empty_elements = false;
        TbxReader {
            xml,
            buf: Vec::new(),
            file,
            pos_src,
            dialect: None,
            stack: Vec::new(),
            concept: None,
            entry_at: 0,
            lang: None,
            lang_terms: Vec::new(),
            term: None,
            capture: None,
            warnings: Vec::new(),
        }
    }

    pub fn file(&self) -> &str {
        &self.file
    }

    /// Bytes read so far.
    pub fn position(&self) -> u64 {
        self.xml.buffer_position()
    }

    /// Line and column of a byte offset.
    pub fn pos_at(&self, offset: u64) -> Pos {
        let bytes: Vec<u8> = match &self.pos_src {
            PosSource::Bytes(b) => b[..(offset as usize).min(b.len())].to_vec(),
            PosSource::File(p) => {
                // Only to place an error: if the file cannot be read again,
                // the position is counted in what could be read.
                let mut v = Vec::new();
                if let Ok(f) = std::fs::File::open(p) {
                    let _ = f.take(offset).read_to_end(&mut v);
                }
                v
            }
        };
        let (l, c) = input::line_col_bytes(&bytes, bytes.len());
        Pos::LineCol(l, c)
    }

    fn err_at(&self, offset: u64, msg: impl Into<String>) -> Error {
        Error::input(&self.file, Some(self.pos_at(offset)), msg)
    }

    /// The next concept entry with its position, or `None` at the end.
    pub fn next_concept(&mut self) -> Result<Option<(Pos, NewConcept)>> {
        loop {
            let at = self.xml.buffer_position();
            self.buf.clear();
            let ev = match self.xml.read_event_into(&mut self.buf) {
                Ok(ev) => ev.into_owned(),
                Err(e) => return Err(self.xml_error(e)),
            };
            match ev {
                Event::Start(e) => {
                    let name = local_name(&e);
                    self.start_element(&name, &e, at)?;
                    self.stack.push(name);
                }
                Event::Empty(e) => {
                    let name = local_name(&e);
                    self.start_element(&name, &e, at)?;
                    self.stack.push(name.clone());
                    self.stack.pop();
                    if let Some(c) = self.close(&name, at)? {
                        return Ok(Some(c));
                    }
                }
                Event::End(e) => {
                    let name = e.local_name().into_inner().to_string();
                    self.stack.pop();
                    if let Some(c) = self.close(&name, at)? {
                        return Ok(Some(c));
                    }
                }
                Event::Text(t) => {
                    if let Some(c) = &mut self.capture {
                        c.text.push_str(&t.xml10_content());
                    } else if self.dialect.is_none() && !t.xml10_content().trim().is_empty() {
                        return Err(self.err_at(at, "not a TBX file: text before the root element"));
                    }
                }
                Event::CData(t) => {
                    if let Some(c) = &mut self.capture {
                        c.text.push_str(&t.into_inner());
                    }
                }
                Event::GeneralRef(r) => {
                    let ch: String = match r.resolve_char_ref() {
                        Ok(Some(c)) => c.to_string(),
                        Ok(None) => match &*r {
                            "lt" => "<".into(),
                            "gt" => ">".into(),
                            "amp" => "&".into(),
                            "apos" => "'".into(),
                            "quot" => "\"".into(),
                            other => {
                                return Err(self.err_at(at, format!("unknown entity &{other};")));
                            }
                        },
                        Err(_) => {
                            return Err(
                                self.err_at(at, format!("invalid character reference &{};", &*r))
                            );
                        }
                    };
                    if let Some(c) = &mut self.capture {
                        c.text.push_str(&ch);
                    }
                }
                Event::Eof => {
                    if let Some(open) = self.stack.last() {
                        return Err(
                            self.err_at(at, format!("the file ends inside <{open}> (truncated?)"))
                        );
                    }
                    if self.dialect.is_none() {
                        return Err(Error::input(
                            &self.file,
                            None,
                            "not a TBX file (no <tbx> or <martif> element)",
                        ));
                    }
                    return Ok(None);
                }
                _ => {}
            }
        }
    }

    fn xml_error(&self, e: quick_xml::Error) -> Error {
        use quick_xml::Error as X;
        let at = self.xml.error_position();
        match e {
            X::Encoding(_) => {
                // Let the common decoder name the encoding and the place.
                let bytes = match &self.pos_src {
                    PosSource::Bytes(b) => b.clone(),
                    // (read again only to place the error; unreadable: not placed)
                    PosSource::File(p) => std::fs::read(p).unwrap_or_default(),
                };
                match input::decode(&bytes, input::Utf16::Decode) {
                    Err((pos, msg)) => Error::input(&self.file, pos, msg),
                    Ok(_) => self.err_at(at, "not UTF-8"),
                }
            }
            X::Io(e) => Error::Io {
                file: self.file.clone(),
                msg: e.to_string(),
            },
            other => self.err_at(at, format!("malformed XML: {other}")),
        }
    }

    fn attr(&self, e: &BytesStart, name: &str, at: u64) -> Result<Option<String>> {
        for a in e.attributes() {
            let a = a.map_err(|err| self.err_at(at, format!("malformed attribute: {err}")))?;
            if a.key.into_inner() == name {
                let v = a
                    .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .map_err(|err| self.err_at(at, format!("malformed attribute: {err}")))?;
                return Ok(Some(v.into_owned()));
            }
        }
        Ok(None)
    }

    fn start_element(&mut self, name: &str, e: &BytesStart, at: u64) -> Result<()> {
        if self.dialect.is_none() {
            self.dialect = match name {
                "tbx" => Some(Dialect::Tbx),
                "martif" => Some(Dialect::Martif),
                other => {
                    return Err(self.err_at(
                        at,
                        format!("not a TBX file: the root element is <{other}>, expected <tbx> or <martif>"),
                    ));
                }
            };
            return Ok(());
        }
        match name {
            "conceptEntry" | "termEntry" => {
                self.concept = Some(NewConcept::default());
                self.entry_at = at;
                self.lang = None;
                self.term = None;
            }
            "langSec" | "langSet" if self.concept.is_some() => {
                let lang = self
                    .attr(e, "xml:lang", at)?
                    .or(self.attr(e, "lang", at)?)
                    .ok_or_else(|| self.err_at(at, format!("<{name}> without xml:lang")))?;
                let tag = LangTag::parse(&lang)
                    .map_err(|m| self.err_at(at, format!("<{name} xml:lang=\"{lang}\">: {m}")))?;
                self.lang = Some(tag);
                self.lang_terms.clear();
            }
            "termSec" | "tig" | "ntig" if self.lang.is_some() => {
                self.term = Some(TermB::default());
            }
            "term" | "termNote" | "descrip" | "note" | "admin" if self.capture.is_none() => {
                let kind = self.attr(e, "type", at)?.unwrap_or_default();
                self.capture = Some(Capture {
                    name: name.to_string(),
                    kind,
                    depth: self.stack.len(),
                    text: String::new(),
                });
            }
            _ => {}
        }
        Ok(())
    }

    fn close(&mut self, name: &str, at: u64) -> Result<Option<(Pos, NewConcept)>> {
        if let Some(c) = &self.capture
            && c.depth == self.stack.len()
            && c.name == name
            && let Some(c) = self.capture.take()
        {
            self.field(c);
            return Ok(None);
        }
        match name {
            "termSec" | "tig" | "ntig" => {
                if let Some(t) = self.term.take() {
                    if t.text.trim().is_empty() {
                        let p = self.pos_at(at);
                        self.warnings.push((p, "an empty <term>; skipped".into()));
                    } else {
                        self.lang_terms.push(t);
                    }
                }
            }
            "langSec" | "langSet" => {
                if let (Some(tag), Some(c)) = (self.lang.take(), self.concept.as_mut()) {
                    let terms = std::mem::take(&mut self.lang_terms);
                    resolve_statuses(&tag, terms, c);
                }
            }
            "conceptEntry" | "termEntry" => {
                if let Some(c) = self.concept.take() {
                    let p = self.pos_at(self.entry_at);
                    if c.terms.is_empty() {
                        self.warnings
                            .push((p, "an entry without terms; skipped".into()));
                    } else {
                        return Ok(Some((p, c)));
                    }
                }
            }
            _ => {}
        }
        Ok(None)
    }

    /// A finished `<term>`, `<termNote>`, `<descrip>`, `<note>` or `<admin>`.
    fn field(&mut self, c: Capture) {
        let kind = c.kind.to_ascii_lowercase();
        let text = clean(&c.text);
        if text.is_empty() {
            return;
        }
        if let Some(t) = self.term.as_mut() {
            match c.name.as_str() {
                "term" => t.text = text,
                "termNote" => match kind.as_str() {
                    "administrativestatus" | "normativeauthorization" => t.admin = Some(text),
                    "termtype" => t.term_type = Some(text),
                    _ => {}
                },
                "note" => append(&mut t.note, &text, "\n"),
                "descrip" if kind == "context" => {
                    append(&mut t.note, &format!("context: {text}"), "\n")
                }
                "admin" | "descrip" if is_source(&kind) => append(&mut t.source, &text, "; "),
                _ => {}
            }
            return;
        }
        let lang = self.lang.as_ref().map(|l| l.tag.clone());
        let Some(concept) = self.concept.as_mut() else {
            return;
        };
        let prefixed = |label: &str| match (&lang, label) {
            (Some(l), "") => format!("{l}: {text}"),
            (Some(l), k) => format!("{k} ({l}): {text}"),
            (None, "") => text.clone(),
            (None, k) => format!("{k}: {text}"),
        };
        match c.name.as_str() {
            "note" => concept.add_note(&prefixed("")),
            "descrip" if kind == "subjectfield" && concept.domain.is_none() => {
                concept.domain = Some(text.clone());
            }
            "descrip" if kind == "definition" => concept.add_note(&prefixed("definition")),
            "admin" | "descrip" if is_source(&kind) => append(&mut concept.source, &text, "; "),
            _ => {}
        }
    }

    /// Every concept of the file (small files, tests).
    pub fn read_all(mut self) -> Result<Vec<NewConcept>> {
        let mut v = Vec::new();
        while let Some((_, c)) = self.next_concept()? {
            v.push(c);
        }
        Ok(v)
    }
}

impl Iterator for TbxReader {
    type Item = Result<(Pos, NewConcept)>;
    fn next(&mut self) -> Option<Self::Item> {
        self.next_concept().transpose()
    }
}

fn read_up_to(f: &mut std::fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        let k = f.read(&mut buf[n..])?;
        if k == 0 {
            break;
        }
        n += k;
    }
    Ok(n)
}

fn local_name(e: &BytesStart) -> String {
    e.local_name().into_inner().to_string()
}

fn is_source(kind: &str) -> bool {
    matches!(kind, "source" | "entrysource" | "termsource")
}

fn append(slot: &mut Option<String>, text: &str, sep: &str) {
    match slot {
        Some(s) if !s.is_empty() => {
            s.push_str(sep);
            s.push_str(text);
        }
        _ => *slot = Some(text.to_string()),
    }
}

/// Trim every line, drop empty ones (pretty-printing), keep line breaks
/// between the rest.
fn clean(s: &str) -> String {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Statuses of the terms of one language section (see the module
/// documentation), added to the concept.
fn resolve_statuses(tag: &LangTag, terms: Vec<TermB>, c: &mut NewConcept) {
    let explicit = |t: &TermB| -> Option<TermStatus> {
        let admin = t.admin.as_deref().unwrap_or("").to_ascii_lowercase();
        let ty = t.term_type.as_deref().unwrap_or("").to_ascii_lowercase();
        if [
            "deprecated",
            "superseded",
            "notrecommended",
            "obsolete",
            "forbidden",
        ]
        .iter()
        .any(|k| admin.contains(k))
        {
            return Some(TermStatus::Deprecated);
        }
        if [
            "abbreviation",
            "acronym",
            "shortform",
            "initialism",
            "clippedterm",
        ]
        .contains(&ty.as_str())
        {
            return Some(TermStatus::Abbreviation);
        }
        if admin.contains("preferred") {
            return Some(TermStatus::Preferred);
        }
        if admin.contains("admitted") {
            return Some(TermStatus::Variant);
        }
        None
    };
    let statuses: Vec<Option<TermStatus>> = terms.iter().map(explicit).collect();
    let mut has_pref = statuses.contains(&Some(TermStatus::Preferred));
    for (t, st) in terms.into_iter().zip(statuses) {
        let status = st.unwrap_or_else(|| {
            if !has_pref {
                has_pref = true;
                TermStatus::Preferred
            } else if is_all_caps(&t.text) {
                TermStatus::Abbreviation
            } else {
                TermStatus::Variant
            }
        });
        let mut nt = NewTerm::new(tag.clone(), t.text, status);
        nt.note = t.note;
        nt.source = t.source;
        c.terms.push(nt);
    }
}

// ---------------------------------------------------------------------------
// Writing

/// Write concepts as TBX.
pub fn write_tbx(
    out: &mut dyn Write,
    concepts: &[NewConcept],
    dialect: Dialect,
) -> std::io::Result<()> {
    let main_lang = concepts
        .iter()
        .flat_map(|c| c.terms.first())
        .map(|t| t.tag.tag.clone())
        .next()
        .unwrap_or_else(|| "en".into());
    let version = env!("CARGO_PKG_VERSION");
    let (entry, lang_sec, term_sec) = match dialect {
        Dialect::Tbx => ("conceptEntry", "langSec", "termSec"),
        Dialect::Martif => ("termEntry", "langSet", "tig"),
    };
    let mut w = String::with_capacity(1 << 16);
    w.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    match dialect {
        Dialect::Tbx => {
            w.push_str("<?xml-model href=\"https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/TBXcoreStructV03_TBX-Basic_integrated.rng\" type=\"application/xml\" schematypens=\"http://relaxng.org/ns/structure/1.0\"?>\n");
            w.push_str("<?xml-model href=\"https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/TBX-Basic_DCA.sch\" type=\"application/xml\" schematypens=\"http://purl.oclc.org/dsdl/schematron\"?>\n");
            w.push_str(&format!(
                "<tbx type=\"TBX-Basic\" style=\"dca\" xml:lang=\"{}\" xmlns=\"urn:iso:std:iso:30042:ed-2\">\n",
                escape_text(&main_lang)
            ));
            w.push_str("  <tbxHeader>\n    <fileDesc>\n      <sourceDesc>\n");
            w.push_str(&format!("        <p>Exported by polytm {version}</p>\n"));
            w.push_str("      </sourceDesc>\n    </fileDesc>\n  </tbxHeader>\n");
        }
        Dialect::Martif => {
            w.push_str(&format!(
                "<martif type=\"TBX\" xml:lang=\"{}\">\n",
                escape_text(&main_lang)
            ));
            w.push_str("  <martifHeader>\n    <fileDesc>\n      <sourceDesc>\n");
            w.push_str(&format!("        <p>Exported by polytm {version}</p>\n"));
            w.push_str("      </sourceDesc>\n    </fileDesc>\n  </martifHeader>\n");
        }
    }
    w.push_str("  <text>\n    <body>\n");
    out.write_all(w.as_bytes())?;
    for (k, c) in concepts.iter().enumerate() {
        let mut w = String::with_capacity(1024);
        let id = c.id.unwrap_or(k as i64 + 1);
        w.push_str(&format!("      <{entry} id=\"c{id}\">\n"));
        if let Some(d) = &c.domain {
            w.push_str(&format!(
                "        <descrip type=\"subjectField\">{}</descrip>\n",
                escape_text(d)
            ));
        }
        if let Some(s) = &c.source {
            w.push_str(&format!(
                "        <admin type=\"source\">{}</admin>\n",
                escape_text(s)
            ));
        }
        if let Some(n) = &c.note {
            w.push_str(&format!("        <note>{}</note>\n", escape_text(n)));
        }
        // Consecutive terms with the same tag share a language section.
        let mut i = 0;
        while i < c.terms.len() {
            let tag = &c.terms[i].tag.tag;
            w.push_str(&format!(
                "        <{lang_sec} xml:lang=\"{}\">\n",
                escape_text(tag)
            ));
            while i < c.terms.len() && &c.terms[i].tag.tag == tag {
                let t = &c.terms[i];
                w.push_str(&format!("          <{term_sec}>\n"));
                w.push_str(&format!(
                    "            <term>{}</term>\n",
                    escape_text(&t.text)
                ));
                let (admin, ty) = match t.status {
                    TermStatus::Preferred => ("preferredTerm-admn-sts", None),
                    TermStatus::Variant => ("admittedTerm-admn-sts", None),
                    TermStatus::Abbreviation => ("admittedTerm-admn-sts", Some("abbreviation")),
                    TermStatus::Deprecated => ("deprecatedTerm-admn-sts", None),
                };
                w.push_str(&format!(
                    "            <termNote type=\"administrativeStatus\">{admin}</termNote>\n"
                ));
                if let Some(ty) = ty {
                    w.push_str(&format!(
                        "            <termNote type=\"termType\">{ty}</termNote>\n"
                    ));
                }
                if let Some(s) = &t.source {
                    w.push_str(&format!(
                        "            <admin type=\"source\">{}</admin>\n",
                        escape_text(s)
                    ));
                }
                if let Some(n) = &t.note {
                    w.push_str(&format!("            <note>{}</note>\n", escape_text(n)));
                }
                w.push_str(&format!("          </{term_sec}>\n"));
                i += 1;
            }
            w.push_str(&format!("        </{lang_sec}>\n"));
        }
        w.push_str(&format!("      </{entry}>\n"));
        out.write_all(w.as_bytes())?;
    }
    let root = match dialect {
        Dialect::Tbx => "tbx",
        Dialect::Martif => "martif",
    };
    out.write_all(format!("    </body>\n  </text>\n</{root}>\n").as_bytes())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(s: &str) -> Result<Vec<NewConcept>> {
        TbxReader::from_bytes(s.as_bytes().to_vec(), "g.tbx")?.read_all()
    }

    const BASIC: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
  <tbxHeader><fileDesc><sourceDesc><p>test</p></sourceDesc></fileDesc></tbxHeader>
  <text><body>
    <conceptEntry id="c1">
      <descrip type="subjectField">counter-narcotics</descrip>
      <note>SCO body</note>
      <langSec xml:lang="en">
        <descripGrp><descrip type="definition">An office
            in Vienna</descrip><admin type="source">unodc.org</admin></descripGrp>
        <termSec>
          <term>United Nations Office on Drugs and Crime</term>
          <termNote type="partOfSpeech">noun</termNote>
          <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>
        </termSec>
        <termSec>
          <term>UNODC</term>
          <termNote type="termType">acronym</termNote>
          <note>the usual short form</note>
        </termSec>
        <termSec>
          <term>UNODP</term>
          <termNote type="administrativeStatus">supersededTerm-admn-sts</termNote>
        </termSec>
      </langSec>
      <langSec xml:lang="zh-CN">
        <termSec><term>联合国毒品和犯罪问题办公室</term></termSec>
        <termSec><term>联合国<hi>毒罪办</hi></term></termSec>
      </langSec>
    </conceptEntry>
    <conceptEntry id="c2"><langSec xml:lang="ru"><termSec><term>Вена &amp; &#x41E;&#1054;&#x41D;</term></termSec></langSec></conceptEntry>
  </body></text>
</tbx>"#;

    #[test]
    fn reads_tbx_basic_2019() {
        let cs = read(BASIC).unwrap();
        assert_eq!(cs.len(), 2);
        let c = &cs[0];
        assert_eq!(c.domain.as_deref(), Some("counter-narcotics"));
        assert_eq!(
            c.note.as_deref(),
            Some("SCO body\ndefinition (en): An office\nin Vienna")
        );
        assert_eq!(c.source.as_deref(), Some("unodc.org"));
        let st: Vec<(&str, TermStatus)> = c
            .terms
            .iter()
            .map(|t| (t.text.as_str(), t.status))
            .collect();
        assert_eq!(
            st,
            vec![
                (
                    "United Nations Office on Drugs and Crime",
                    TermStatus::Preferred
                ),
                ("UNODC", TermStatus::Abbreviation),
                ("UNODP", TermStatus::Deprecated),
                ("联合国毒品和犯罪问题办公室", TermStatus::Preferred),
                ("联合国毒罪办", TermStatus::Variant),
            ]
        );
        assert_eq!(c.terms[1].note.as_deref(), Some("the usual short form"));
        assert_eq!(c.terms[3].tag.tag, "zh-CN");
        assert_eq!(cs[1].terms[0].text, "Вена & ООН");
    }

    #[test]
    fn reads_martif_tig_and_ntig() {
        let s = r#"<?xml version="1.0"?>
<!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">
<martif type="TBX" xml:lang="en"><martifHeader/><text><body>
<termEntry id="e1">
 <langSet xml:lang="en"><tig><term>SCO Secretariat</term></tig></langSet>
 <langSet xml:lang="ru"><ntig><termGrp><term>Секретариат ШОС</term>
   <termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></termGrp></ntig>
   <ntig><termGrp><term>Секретариат Шанхайской организации сотрудничества</term>
   <termNote type="normativeAuthorization">preferredTerm</termNote></termGrp></ntig></langSet>
</termEntry>
</body></text></martif>"#;
        let cs = read(s).unwrap();
        assert_eq!(cs.len(), 1);
        let st: Vec<TermStatus> = cs[0].terms.iter().map(|t| t.status).collect();
        assert_eq!(
            st,
            [
                TermStatus::Preferred,
                TermStatus::Variant,
                TermStatus::Preferred
            ]
        );
    }

    #[test]
    fn malformed_files_name_the_position() {
        let e = read("<tbx><text><body>\n<conceptEntry>\n</langSec>").unwrap_err();
        assert!(e.to_string().starts_with("g.tbx:3:"), "{e}");
        assert!(e.to_string().contains("malformed XML"), "{e}");
        let e = read("<tbx><text><body><conceptEntry>").unwrap_err();
        assert!(e.to_string().contains("ends inside <conceptEntry>"), "{e}");
        let e = read("<tmx version=\"1.4\"/>").unwrap_err();
        assert!(e.to_string().contains("root element is <tmx>"), "{e}");
        let e = read("<tbx><text><body><conceptEntry>\n  <langSec xml:lang=\"qq\"><termSec><term>x</term></termSec></langSec></conceptEntry></body></text></tbx>")
            .unwrap_err();
        assert!(
            e.to_string()
                .starts_with("g.tbx:2:3: <langSec xml:lang=\"qq\">: unknown language code 'qq'"),
            "{e}"
        );
        let e = read("").unwrap_err();
        assert_eq!(e.to_string(), "g.tbx: is empty");
        let e = read("just text").unwrap_err();
        assert!(e.to_string().contains("not a TBX file"), "{e}");
        let e = read("<tbx>&bogus;</tbx>").unwrap_err();
        assert!(e.to_string().contains("unknown entity"), "{e}");
    }

    #[test]
    fn utf16_is_decoded() {
        let mut b = vec![0xFF, 0xFE];
        let s = "<martif><text><body><termEntry><langSet xml:lang=\"en\"><tig><term>SCO</term></tig></langSet></termEntry></body></text></martif>";
        for u in s.encode_utf16() {
            b.extend_from_slice(&u.to_le_bytes());
        }
        let cs = TbxReader::from_bytes(b, "u.tbx")
            .unwrap()
            .read_all()
            .unwrap();
        assert_eq!(cs[0].terms[0].text, "SCO");
    }

    #[test]
    fn write_then_read_both_dialects() {
        let concepts: Vec<NewConcept> = crate::glossary_table::GlossaryTableReader::from_text(
            "en\tru\tzh-CN\tnote\tsource\n\
             United Nations Office on Drugs and Crime | UNODC | ~UNODP\tУправление ООН по наркотикам и преступности | УНП ООН\t联合国毒品和犯罪问题办公室 | [abbr] 毒罪办\tA <b> & \"c\"\tsectsco.org\n",
            "g.tsv",
            crate::table::Delim::Tab,
        )
        .unwrap()
        .map(|r| r.unwrap().1)
        .collect();
        for d in [Dialect::Tbx, Dialect::Martif] {
            let mut out = Vec::new();
            write_tbx(&mut out, &concepts, d).unwrap();
            let back = TbxReader::from_bytes(out, "x.tbx")
                .unwrap()
                .read_all()
                .unwrap();
            assert_eq!(back.len(), 1);
            let c = &concepts[0];
            let got: Vec<(String, String, TermStatus)> = back[0]
                .terms
                .iter()
                .map(|t| (t.tag.tag.clone(), t.text.clone(), t.status))
                .collect();
            let want: Vec<(String, String, TermStatus)> = c
                .terms
                .iter()
                .map(|t| (t.tag.tag.clone(), t.text.clone(), t.status))
                .collect();
            assert_eq!(got, want);
            assert_eq!(back[0].note, c.note);
            assert_eq!(back[0].source, c.source);
        }
    }
}

//! What `qa` checks, read into units: XLIFF 1.2/2.0, TMX, bilingual TSV
//! and CSV, a document with its translation (aligned on the fly), or the
//! translation memory itself.
//!
//! The kind of each file is told by the format registry
//! ([`polytm_formats::registry::Purpose::Qa`]): bilingual kinds are read
//! here, each by the project's one reader of that format; documents (any
//! kind the registry reads for [`Purpose::Document`]: text today, Word and
//! HTML when they come) are taken two at a time, the source and its
//! translation, and aligned by [`crate::align`].
//!
//! # Texts and spans
//!
//! A [`Text`] is what a check sees and what spans count in: the text as
//! read, with each inline code of XLIFF (`<g id="1">`, `<x id="2"/>`,
//! `<ph>…</ph>`) or TMX (`<bpt i="1">&lt;b&gt;</bpt>`, `<ph x="1"/>`)
//! written as it stands in the file, character references resolved in
//! the text between them. Where each code stands is kept ([`Code`]), so
//! checks of the words look past them and `tag` compares them.
//!
//! # Unit ids
//!
//! The XLIFF unit id (a unit of several segments gives one unit per segment,
//! with the same id: messages say which segment); the TMX `tuid`, else the
//! unit's 1-based position in the file; the TSV/CSV row (1-based, the
//! header not counted); the TM unit id; for documents, the 1-based number of
//! the aligned pair.

use std::path::Path;

use polytm_core::{Error, Progress, Result, display_path};
use polytm_formats::registry::{self, Kind, Purpose};
use polytm_formats::table::{Column, Delim, TableReader, classify_header};
use polytm_formats::tmx::inline::{Piece, pieces};
use polytm_formats::tmx::{SrcLang, TmxError, TmxReader, TmxSegment};
use polytm_formats::xliff::{self, Content, Part};
use polytm_formats::xml_source;
use polytm_store::{Database, Selection};
use polytm_text::lang::{Lang, LangTag};

/// A text as read, with where its inline codes are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text {
    pub text: String,
    pub codes: Vec<Code>,
}

/// An inline code: its characters in the text, and what identifies it
/// (element name and id: `g#1`, `/g`, `ph#2`, `bpt#1`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code {
    pub start: usize,
    pub end: usize,
    pub id: String,
}

impl Text {
    /// A text without inline codes.
    pub fn plain(s: &str) -> Text {
        Text {
            text: s.to_string(),
            codes: Vec::new(),
        }
    }

    /// Length in characters.
    pub fn len(&self) -> usize {
        self.text.chars().count()
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    fn push_text(&mut self, s: &str) {
        self.text.push_str(s);
    }

    fn push_code(&mut self, raw: &str, id: String) {
        let start = self.len();
        self.text.push_str(raw);
        self.codes.push(Code {
            start,
            end: start + raw.chars().count(),
            id,
        });
    }

    /// An XLIFF segment's content.
    pub fn from_xliff(c: &Content) -> Text {
        let mut t = Text::default();
        for p in &c.parts {
            match p {
                Part::Text(s) => t.push_text(s),
                Part::Tag(tag) => {
                    let id = code_id(&tag.name, &tag.raw);
                    t.push_code(&tag.raw, id);
                }
            }
        }
        t
    }

    /// A TMX segment.
    pub fn from_tmx(seg: &TmxSegment) -> Text {
        if seg.plain.is_none() {
            return Text::plain(&seg.text);
        }
        let mut t = Text::default();
        for p in pieces(&seg.text) {
            match p {
                Piece::Text(s) => t.push_text(&s),
                Piece::Code { name, raw } => {
                    let id = code_id(&name, &raw);
                    t.push_code(&raw, id);
                }
            }
        }
        t
    }
}

/// What identifies an inline code: `/name` for an end tag, else its name
/// and the first of its `id`, `i`, `rid`, `x` attributes (`g#1`, `ph`).
fn code_id(name: &str, raw: &str) -> String {
    if raw.starts_with("</") {
        return format!("/{name}");
    }
    let head = &raw[..raw.find('>').map_or(raw.len(), |i| i + 1)];
    for attr in ["id", "i", "rid", "x"] {
        let pat = format!(" {attr}=\"");
        if let Some(p) = head.find(&pat) {
            let v = &head[p + pat.len()..];
            let v = &v[..v.find('"').unwrap_or(v.len())];
            return format!("{name}#{v}");
        }
    }
    name.to_string()
}

/// One unit to check.
#[derive(Debug, Clone)]
pub struct Unit {
    pub id: String,
    /// The segment's id within its unit, when the unit has several.
    pub segment: Option<String>,
    pub source: Text,
    /// `None`: the unit has no target at all.
    pub target: Option<Text>,
}

/// The units of one file (or pair of documents, or the TM), and the
/// languages they are checked in.
#[derive(Debug, Clone)]
pub struct Batch {
    /// The file as the user named it (the source document for a pair;
    /// `TM` for the translation memory).
    pub file: String,
    pub from: LangTag,
    pub to: LangTag,
    pub units: Vec<Unit>,
}

/// The languages asked for on the command line.
#[derive(Debug, Clone, Default)]
pub struct Wanted {
    pub from: Option<LangTag>,
    pub to: Option<LangTag>,
}

/// Read every file given: bilingual files one by one, documents two at a
/// time (source, translation) aligned with the evidence of `db`.
pub fn read_all(
    paths: &[std::path::PathBuf],
    wanted: &Wanted,
    db: Option<&dyn Database>,
    progress: &dyn Progress,
) -> Result<Vec<Batch>> {
    let mut out = Vec::new();
    let mut pending: Option<&std::path::PathBuf> = None;
    for p in paths {
        let kind = registry::detect(p, None, Purpose::Qa)?;
        if Purpose::bilingual(kind) {
            if let Some(src) = pending {
                return Err(unpaired(src));
            }
            out.push(read_file(p, kind, wanted)?);
        } else if let Some(src) = pending.take() {
            out.push(read_documents(src, p, wanted, db, progress)?);
        } else {
            pending = Some(p);
        }
    }
    match pending {
        Some(src) => Err(unpaired(src)),
        None => Ok(out),
    }
}

fn unpaired(src: &Path) -> Error {
    Error::usage(format!(
        "{} is a document: give it with its translation (qa --from A --to B SOURCE TRANSLATION)",
        display_path(src)
    ))
}

/// Read one bilingual file (XLIFF, TMX, TSV or CSV).
pub fn read_file(path: &Path, kind: Kind, wanted: &Wanted) -> Result<Batch> {
    match kind {
        Kind::Xliff => read_xliff(path, wanted),
        Kind::Tmx => read_tmx(path, wanted),
        Kind::Tsv | Kind::Csv => read_table(path, kind, wanted),
        other => Err(Error::input(
            display_path(path),
            None,
            format!("{} files are not checked", other.name()),
        )),
    }
}

/// The language to check in: the one asked for, which the file must have
/// (`have`), else the file's own.
fn pick(
    file: &str,
    what: &str,
    asked: Option<&LangTag>,
    declared: Option<&LangTag>,
    have: &[LangTag],
) -> Result<LangTag> {
    let list = || {
        have.iter()
            .map(|t| t.tag.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match (asked, declared) {
        (Some(a), _) => have
            .iter()
            .find(|t| t.lang == a.lang)
            .cloned()
            .ok_or_else(|| {
                Error::input(
                    file,
                    None,
                    format!("has no {} text (its languages: {})", a.tag, list()),
                )
            }),
        (None, Some(d)) => Ok(d.clone()),
        (None, None) => Err(Error::input(
            file,
            None,
            format!(
                "does not say its {what} language (its languages: {}); give --from and --to",
                list()
            ),
        )),
    }
}

fn read_xliff(path: &Path, wanted: &Wanted) -> Result<Batch> {
    let file = display_path(path);
    let doc = xliff::read(path)?;
    let tag = |s: &Option<String>| s.as_deref().and_then(|s| LangTag::parse(s).ok());
    let info = doc.files.first();
    let src_decl = info.and_then(|f| tag(&f.source_lang));
    let tgt_decl = info.and_then(|f| tag(&f.target_lang));
    let have: Vec<LangTag> = [src_decl.clone(), tgt_decl.clone()]
        .into_iter()
        .flatten()
        .collect();
    // a file that declares no languages is checked in the ones asked for
    let from = match (&wanted.from, &src_decl) {
        (Some(a), None) => a.clone(),
        _ => pick(
            &file,
            "source",
            wanted.from.as_ref(),
            src_decl.as_ref(),
            &have,
        )?,
    };
    let to = match (&wanted.to, &tgt_decl) {
        (Some(a), None) => a.clone(),
        _ => pick(
            &file,
            "target",
            wanted.to.as_ref(),
            tgt_decl.as_ref(),
            &have,
        )?,
    };
    if src_decl.as_ref().is_some_and(|s| s.lang != from.lang) {
        return Err(Error::input(
            &file,
            info.map(|f| f.pos),
            format!(
                "its source language is {}, not {}",
                src_decl.map(|t| t.tag).unwrap_or_default(),
                from.tag
            ),
        ));
    }
    let mut units = Vec::new();
    for u in doc.units.iter().filter(|u| u.translate) {
        let several = u.segments.len() > 1;
        for (k, s) in u.segments.iter().enumerate() {
            units.push(Unit {
                id: u.id.clone(),
                segment: several.then(|| s.id.clone().unwrap_or_else(|| (k + 1).to_string())),
                source: Text::from_xliff(&s.source),
                target: s.target.as_ref().map(Text::from_xliff),
            });
        }
    }
    Ok(Batch {
        file,
        from,
        to,
        units,
    })
}

fn read_tmx(path: &Path, wanted: &Wanted) -> Result<Batch> {
    let file = display_path(path);
    let fail = |e: TmxError| crate::exchange::import::tmx_fault(path, e);
    let src = xml_source::open(path)?;
    let mut reader = TmxReader::new(src.reader);
    let declared = match &reader.header().map_err(fail)?.srclang {
        SrcLang::Tag(t) => Some(t.clone()),
        _ => None,
    };
    let mut raw = Vec::new();
    let mut have: Vec<LangTag> = Vec::new();
    while let Some(u) = reader.next_unit().map_err(fail)? {
        for v in &u.variants {
            if !have.iter().any(|t| t.lang == v.tag.lang) {
                have.push(v.tag.clone());
            }
        }
        raw.push(u);
    }
    if raw.is_empty() {
        return Err(Error::input(&file, None, "has no translation units"));
    }
    let from = pick(
        &file,
        "source",
        wanted.from.as_ref(),
        declared.as_ref(),
        &have,
    )?;
    let others: Vec<LangTag> = have
        .iter()
        .filter(|t| t.lang != from.lang)
        .cloned()
        .collect();
    let only_other = (others.len() == 1).then(|| others[0].clone());
    let to = pick(
        &file,
        "target",
        wanted.to.as_ref(),
        only_other.as_ref(),
        &have,
    )?;
    let mut units = Vec::new();
    for (k, u) in raw.into_iter().enumerate() {
        let text_in = |l: &Lang| {
            u.variants
                .iter()
                .find(|v| &v.tag.lang == l)
                .map(|v| Text::from_tmx(&v.seg))
        };
        let Some(source) = text_in(&from.lang) else {
            continue;
        };
        units.push(Unit {
            id: u.tuid.clone().unwrap_or_else(|| (k + 1).to_string()),
            segment: None,
            source,
            target: text_in(&to.lang),
        });
    }
    Ok(Batch {
        file,
        from,
        to,
        units,
    })
}

fn read_table(path: &Path, kind: Kind, wanted: &Wanted) -> Result<Batch> {
    let file = display_path(path);
    let mut r = TableReader::open(path, Delim::of(kind))?;
    let cols = classify_header(&r.header, &file)?;
    let langs: Vec<(usize, LangTag)> = cols
        .iter()
        .enumerate()
        .filter_map(|(i, c)| match c {
            Column::Lang(t) => Some((i, t.clone())),
            Column::Named(_) => None,
        })
        .collect();
    let have: Vec<LangTag> = langs.iter().map(|(_, t)| t.clone()).collect();
    if have.len() < 2 {
        return Err(Error::input(
            &file,
            Some(polytm_core::Pos::Line(1)),
            "the header names fewer than two languages; a file to check needs a source and a target column",
        ));
    }
    let from = pick(&file, "source", wanted.from.as_ref(), have.first(), &have)?;
    let second = have.iter().find(|t| t.lang != from.lang).cloned();
    let to = pick(&file, "target", wanted.to.as_ref(), second.as_ref(), &have)?;
    let col = |t: &LangTag| {
        langs
            .iter()
            .find(|(_, l)| l.lang == t.lang)
            .map_or(0, |(i, _)| *i)
    };
    let (cs, ct) = (col(&from), col(&to));
    let mut units = Vec::new();
    let mut n = 0;
    while let Some(row) = r.next_row()? {
        n += 1;
        let cell = |i: usize| row.fields.get(i).map(String::as_str).unwrap_or("");
        units.push(Unit {
            id: n.to_string(),
            segment: None,
            source: Text::plain(cell(cs)),
            target: Some(Text::plain(cell(ct))),
        });
    }
    Ok(Batch {
        file,
        from,
        to,
        units,
    })
}

/// A document and its translation, cut into sentences and aligned: one
/// unit per aligned pair (a sentence left without translation is a unit
/// with an empty target).
pub fn read_documents(
    src: &Path,
    tgt: &Path,
    wanted: &Wanted,
    db: Option<&dyn Database>,
    progress: &dyn Progress,
) -> Result<Batch> {
    let (Some(from), Some(to)) = (&wanted.from, &wanted.to) else {
        return Err(Error::usage(format!(
            "checking a document against its translation ({} {}) needs --from and --to",
            display_path(src),
            display_path(tgt)
        )));
    };
    let inputs = [
        crate::align::read_input(from, src, false)?,
        crate::align::read_input(to, tgt, false)?,
    ];
    let beads = crate::align::align(db, &inputs, polytm_align::Options::default(), progress)?;
    let units = beads
        .iter()
        .enumerate()
        .filter(|(_, b)| b.sides[0].1 > b.sides[0].0)
        .map(|(k, b)| Unit {
            id: (k + 1).to_string(),
            segment: None,
            source: Text::plain(&crate::align::unit_text(&inputs[0], b.sides[0])),
            target: Some(Text::plain(&crate::align::unit_text(
                &inputs[1], b.sides[1],
            ))),
        })
        .collect();
    Ok(Batch {
        file: display_path(src),
        from: from.clone(),
        to: to.clone(),
        units,
    })
}

/// The units of the translation memory that have both languages.
pub fn read_tm(db: &dyn Database, from: &LangTag, to: &LangTag) -> Result<Batch> {
    let rd = db.reader()?;
    let sel = Selection {
        langs: Some(vec![from.lang.clone(), to.lang.clone()]),
        ..Default::default()
    };
    let mut units = Vec::new();
    rd.for_each_export_unit(&sel, &mut |u| {
        let text = |l: &Lang| {
            u.variants
                .iter()
                .find(|v| &v.lang == l)
                .map(|v| match &v.plain {
                    Some(_) => Text::from_tmx(&TmxSegment {
                        text: v.text.clone(),
                        plain: v.plain.clone(),
                    }),
                    None => Text::plain(&v.text),
                })
        };
        if let Some(source) = text(&from.lang) {
            units.push(Unit {
                id: u.id.to_string(),
                segment: None,
                source,
                target: text(&to.lang),
            });
        }
        Ok(())
    })?;
    Ok(Batch {
        file: "TM".into(),
        from: from.clone(),
        to: to.clone(),
        units,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xliff_codes_are_text_with_their_places() {
        let doc = xliff::parse(
            r#"<xliff version="1.2"><file source-language="en" target-language="ru"><body>
<trans-unit id="a"><source>Click <g id="1">OK</g> &amp; go<x id="2"/></source>
<target>Нажмите <g id="1">OK</g></target></trans-unit></body></file></xliff>"#,
            "t.xlf",
        )
        .unwrap();
        let s = &doc.units[0].segments[0];
        let t = Text::from_xliff(&s.source);
        assert_eq!(t.text, "Click <g id=\"1\">OK</g> & go<x id=\"2\"/>");
        let ids: Vec<&str> = t.codes.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["g#1", "/g", "x#2"]);
        let c = &t.codes[0];
        assert_eq!(
            polytm_text::char_slice(&t.text, c.start, c.end),
            "<g id=\"1\">"
        );
    }

    #[test]
    fn tmx_codes() {
        let seg = TmxSegment {
            text: "Click <bpt i=\"1\">&lt;b&gt;</bpt>OK<ept i=\"1\">&lt;/b&gt;</ept> &amp; go"
                .into(),
            plain: Some("Click OK & go".into()),
        };
        let t = Text::from_tmx(&seg);
        assert_eq!(
            t.text,
            "Click <bpt i=\"1\">&lt;b&gt;</bpt>OK<ept i=\"1\">&lt;/b&gt;</ept> & go"
        );
        let ids: Vec<&str> = t.codes.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["bpt#1", "ept#1"]);
    }
}

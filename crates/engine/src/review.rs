//! A person's review of an aligned document: its units side by side, cut
//! into sentences so that a unit can be split, joined or have a sentence
//! moved to its neighbour (the web page's review view), and the reviewed
//! units written back in place of the old ones, in one transaction,
//! marked as reviewed (`x-polytm-reviewed` in TMX, `"reviewed": true` in
//! `match --json`).
//!
//! From the command line: [`page`] is the side-by-side HTML page of an
//! alignment (`align --review`: one column per language, each unit's shape
//! such as 2-1 or 1-0 and its confidence, unsure units flagged;
//! self-contained, every text escaped); the review sheet is `align
//! --format tsv`, and [`apply_sheet`] reads a corrected one and applies it
//! (the `confidence` column, when still there, is ignored).

use std::collections::BTreeMap;

use serde::Serialize;

use std::fmt::Write as _;
use std::path::Path;

use polytm_core::error::{Pos, display_path};
use polytm_core::{Error, Result};
use polytm_formats::document::html::escape;
use polytm_formats::registry::{self, Kind, Purpose};
use polytm_formats::table::Delim;
use polytm_formats::tm_tsv::TmTable;
use polytm_store::{Database, NewUnit, NewVariant, OnDuplicate, Origin};
use polytm_text::lang::{Lang, LangTag, lang_order};
use polytm_text::segment::{Segmenter, one_line};

/// One unit of a document as a reviewer sees it.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub unit: i64,
    /// The aligner's confidence (0–1); none for units a person made.
    pub confidence: Option<f64>,
    /// The sentences of each language (tag as the document wrote it).
    pub sentences: BTreeMap<String, Vec<String>>,
}

/// A document's units in order.
#[derive(Debug, Clone, Serialize)]
pub struct View {
    pub document: String,
    pub origin: String,
    /// The document's languages, source first.
    pub langs: Vec<String>,
    pub units: Vec<Row>,
}

/// The units of document `name`, in order, cut into sentences; `None` when
/// there is no such document.
pub fn read(db: &dyn Database, name: &str) -> Result<Option<View>> {
    let rd = db.reader()?;
    let Some(doc) = rd.document(name)? else {
        return Ok(None);
    };
    let mut units = Vec::new();
    let mut langs: Vec<String> = doc.langs.clone();
    let mut segmenters: BTreeMap<Lang, Segmenter> = BTreeMap::new();
    for id in rd.units_of_document(doc.id)? {
        let Some(u) = rd.unit(id)? else { continue };
        let mut sentences = BTreeMap::new();
        for v in &u.variants {
            let tag = doc
                .langs
                .iter()
                .find(|t| LangTag::parse(t).is_ok_and(|t| t.lang == v.lang))
                .cloned()
                .unwrap_or_else(|| v.tag.clone());
            if !langs.contains(&tag) {
                langs.push(tag.clone());
            }
            let seg = segmenters
                .entry(v.lang.clone())
                .or_insert_with(|| Segmenter::new(&v.lang));
            let text = v.plain();
            let chars: Vec<char> = text.chars().collect();
            let cut: Vec<String> = seg
                .segment_chars(&chars)
                .into_iter()
                .flat_map(|p| p.sentences)
                .map(|s| one_line(&chars, s))
                .collect();
            sentences.insert(
                tag,
                if cut.is_empty() {
                    vec![text.to_string()]
                } else {
                    cut
                },
            );
        }
        units.push(Row {
            unit: u.id,
            confidence: u.confidence,
            sentences,
        });
    }
    Ok(Some(View {
        document: doc.name,
        origin: doc.origin,
        langs,
        units,
    }))
}

/// What writing a review did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Applied {
    /// Units of the document before.
    pub removed: usize,
    /// Units written (with two languages or more).
    pub units: usize,
    /// Rows left with fewer than two languages: not translation units, not
    /// stored.
    pub dropped: usize,
}

/// Replace the units of document `name` by `rows` (each: texts by
/// language tag), in order, in one transaction. A row with text in fewer
/// than two languages is not stored (an omission). The units written are a
/// person's: no aligner confidence.
pub fn apply(db: &dyn Database, name: &str, rows: &[Vec<(String, String)>]) -> Result<Applied> {
    // check everything before writing anything
    let mut units = Vec::with_capacity(rows.len());
    let mut dropped = 0;
    for (k, row) in rows.iter().enumerate() {
        let mut variants: Vec<NewVariant> = Vec::new();
        for (tag, text) in row {
            let tag =
                LangTag::parse(tag).map_err(|e| Error::usage(format!("unit {}: {e}", k + 1)))?;
            let text = text.trim();
            if text.is_empty() {
                continue;
            }
            if let Some(c) = polytm_formats::xml::forbidden_char(text) {
                return Err(Error::usage(format!(
                    "unit {}: the {} text holds the character U+{:04X}, which TMX cannot hold",
                    k + 1,
                    tag.tag,
                    c as u32
                )));
            }
            if variants.iter().any(|v| v.tag.lang == tag.lang) {
                return Err(Error::usage(format!(
                    "unit {}: two {} texts",
                    k + 1,
                    tag.lang
                )));
            }
            variants.push(NewVariant::new(tag, text));
        }
        if variants.len() < 2 {
            dropped += 1;
            continue;
        }
        units.push(variants);
    }
    let mut tx = db.writer()?;
    let doc = tx
        .document(name)?
        .ok_or_else(|| Error::usage(format!("no document named '{name}'")))?;
    let src = doc
        .langs
        .first()
        .and_then(|t| LangTag::parse(t).ok())
        .map(|t| t.lang);
    let old = tx.units_of_document(doc.id)?;
    let removed = tx.delete_units(&old)?;
    let batch = tx.new_batch("review", name)?;
    let mut langs: Vec<String> = doc.langs.clone();
    let written = {
        let mut w = tx.units(batch, OnDuplicate::Keep)?;
        for (k, mut variants) in units.into_iter().enumerate() {
            variants.sort_by_key(|v| (Some(&v.tag.lang) != src.as_ref(), lang_order(&v.tag.lang)));
            for v in &variants {
                if !langs.iter().any(|t| t == &v.tag.tag) {
                    langs.push(v.tag.tag.clone());
                }
            }
            let mut u = NewUnit::new(Origin::Aligned, variants);
            u.document_id = Some(doc.id);
            u.position = Some(k as i64);
            u.src_lang = src.clone();
            // a person's: marked, exported as x-polytm-reviewed, shown by match
            u.reviewed = true;
            w.add(&u)?;
        }
        w.finish()?
    };
    if langs != doc.langs {
        tx.set_document_langs(doc.id, &langs)?;
    }
    tx.commit()?;
    if let Some(l) = src {
        crate::index::refresh(db, &[l], &polytm_core::Quiet)?;
    }
    Ok(Applied {
        removed,
        units: written.added + written.overwritten + written.skipped,
        dropped,
    })
}

/// Units with a confidence below this are flagged on the page (units at
/// or above it were exactly right 92–95 % of the time on the news dev data).
pub const LOW_CONFIDENCE: f64 = 0.9;

/// One unit as the page shows it.
#[derive(Debug, Clone)]
pub struct ReviewUnit {
    /// Sentences per language: `2-1`, `1-0-1`.
    pub shape: String,
    pub confidence: f64,
    /// The text of each language (empty: none).
    pub texts: Vec<String>,
}

/// The side-by-side page of an alignment of document `name` in `langs`.
pub fn page(name: &str, langs: &[String], units: &[ReviewUnit], generated: &str) -> String {
    let low = units
        .iter()
        .filter(|u| u.confidence < LOW_CONFIDENCE)
        .count();
    let uneven = units
        .iter()
        .filter(|u| u.shape.split('-').any(|n| n != "1"))
        .count();
    let mut s = String::new();
    s.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    let _ = writeln!(s, "<title>Alignment review: {}</title>", escape(name));
    s.push_str("<style>\n");
    s.push_str(
        "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans','PingFang SC','Microsoft YaHei',sans-serif;margin:1.5em;color:#222}\n\
         h1{font-size:1.4em;margin:0 0 .3em}.note{color:#555;font-size:.9em;margin:.2em 0}\n\
         table{border-collapse:collapse;width:100%;table-layout:fixed;margin-top:1em}\n\
         th,td{border:1px solid #ddd;padding:.4em .6em;vertical-align:top;text-align:left;overflow-wrap:anywhere}\n\
         th{background:#f3f3f3;position:sticky;top:0}\n\
         col.n{width:3.5em}col.shape{width:6.5em}col.conf{width:4.5em}\n\
         td.n,td.conf{text-align:right;color:#555;font-variant-numeric:tabular-nums}\n\
         .shape span{display:inline-block;white-space:nowrap;padding:0 .35em;border-radius:.3em;background:#eee;font-family:ui-monospace,monospace}\n\
         tr.uneven .shape span{background:#dbe8ff;color:#123c8c}\n\
         tr.low{background:#fff4e5}tr.low td.conf{color:#b45309;font-weight:bold}\n\
         tr.low td.n::before{content:'\\2691 ';color:#d97706}\n\
         td.none{color:#999;font-style:italic;background:#fafafa}\n",
    );
    s.push_str("</style>\n</head>\n<body>\n");
    let _ = writeln!(s, "<h1>Alignment review: {}</h1>", escape(name));
    let _ = writeln!(
        s,
        "<p class=\"note\">{} units in {}; {} not one sentence per language (shape in blue); {} below confidence {LOW_CONFIDENCE} (flagged ⚑, shaded). Generated by polytm {} on {}.</p>",
        units.len(),
        escape(&langs.join(", ")),
        uneven,
        low,
        env!("CARGO_PKG_VERSION"),
        escape(generated)
    );
    s.push_str(
        "<p class=\"note\">To correct it: <code>polytm align --format tsv</code> writes the same units as a sheet; fix it in a spreadsheet (join, split, move or delete rows), then <code>polytm align apply --doc NAME SHEET.tsv</code>.</p>\n",
    );
    s.push_str("<table>\n<colgroup><col class=\"n\"><col class=\"shape\"><col class=\"conf\">");
    for _ in langs {
        s.push_str("<col>");
    }
    s.push_str("</colgroup>\n<thead><tr><th>#</th><th>shape</th><th>conf.</th>");
    for l in langs {
        let _ = write!(s, "<th lang=\"{0}\">{0}</th>", escape(l));
    }
    s.push_str("</tr></thead>\n<tbody>\n");
    for (k, u) in units.iter().enumerate() {
        let mut class = Vec::new();
        if u.confidence < LOW_CONFIDENCE {
            class.push("low");
        }
        if u.shape.split('-').any(|n| n != "1") {
            class.push("uneven");
        }
        let _ = write!(
            s,
            "<tr class=\"{}\"><td class=\"n\">{}</td><td class=\"shape\"><span>{}</span></td><td class=\"conf\">{:.2}</td>",
            class.join(" "),
            k + 1,
            escape(&u.shape),
            u.confidence
        );
        for (l, t) in langs.iter().zip(&u.texts) {
            if t.is_empty() {
                s.push_str("<td class=\"none\">(nothing)</td>");
            } else {
                let _ = write!(s, "<td lang=\"{}\">{}</td>", escape(l), escape(t));
            }
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody>\n</table>\n</body>\n</html>\n");
    s
}

/// One row of a sheet: its line and its (language, text) cells.
type SheetRow = (usize, Vec<(polytm_text::lang::LangTag, String)>);

/// Read a review sheet whole: a malformed one is an error before anything
/// is changed.
fn read_sheet(sheet: &Path) -> Result<(Vec<polytm_text::lang::LangTag>, Vec<SheetRow>)> {
    let file = display_path(sheet);
    let kind = registry::detect(sheet, None, Purpose::Tm)?;
    let delim = match kind {
        Kind::Tsv | Kind::Csv => Delim::of(kind),
        other => {
            return Err(Error::input(
                &file,
                None,
                format!(
                    "a review sheet is TSV or CSV (as `align --format tsv` writes it), not {}",
                    other.name()
                ),
            ));
        }
    };
    let mut t = TmTable::open(sheet, delim)?;
    let langs = t.langs();
    let mut rows = Vec::new();
    while let Some(r) = t.next_unit()? {
        match r {
            Ok(u) => rows.push((u.line, u.variants)),
            Err(p) => return Err(Error::input(&file, Some(p.pos), p.msg)),
        }
    }
    if rows.is_empty() {
        return Err(Error::input(
            &file,
            Some(Pos::Line(1)),
            "has a header but no rows",
        ));
    }
    Ok((langs, rows))
}

/// Replace the units of document `doc` with the rows of the review sheet
/// `sheet`, in one transaction, each row a unit marked as reviewed (rows
/// with text in fewer than two languages are left out). The sheet's
/// languages must be the document's.
pub fn apply_sheet(db: &dyn Database, doc: &str, sheet: &Path) -> Result<Applied> {
    let file = display_path(sheet);
    let (langs, rows) = read_sheet(sheet)?;
    let tx = db.reader()?;
    let Some(d) = tx.document(doc)? else {
        return Err(Error::other(format!(
            "no document named '{doc}' in the TM (see `polytm docs list`)"
        )));
    };
    let known: Vec<polytm_text::lang::LangTag> = d
        .langs
        .iter()
        .filter_map(|t| polytm_text::lang::LangTag::parse(t).ok())
        .collect();
    if let Some(l) = langs
        .iter()
        .find(|l| !known.iter().any(|k| k.lang == l.lang))
    {
        return Err(Error::input(
            &file,
            Some(Pos::Line(1)),
            format!(
                "the sheet has a column {} but the document '{doc}' is in {}",
                l.tag,
                d.langs.join(", ")
            ),
        ));
    }
    drop(tx);
    let rows: Vec<Vec<(String, String)>> = rows
        .into_iter()
        .map(|(_, cells)| cells.into_iter().map(|(t, text)| (t.tag, text)).collect())
        .collect();
    apply(db, doc, &rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use polytm_sqlite::SqliteDb;
    use polytm_store::NewDocument;

    fn tag(t: &str) -> LangTag {
        LangTag::parse(t).unwrap()
    }

    #[test]
    fn a_review_replaces_the_units_of_its_document_in_order() {
        let db = SqliteDb::in_memory().unwrap();
        {
            let mut tx = db.writer().unwrap();
            let b = tx.new_batch("align", "a b").unwrap();
            let d = tx
                .add_document(&NewDocument {
                    name: "doc".into(),
                    langs: vec!["en".into(), "ru".into()],
                    origin: "aligned".into(),
                    batch: Some(b),
                })
                .unwrap();
            let mut w = tx.units(b, OnDuplicate::Keep).unwrap();
            let mut u = NewUnit::new(
                Origin::Aligned,
                vec![
                    NewVariant::new(tag("en"), "One. Two."),
                    NewVariant::new(tag("ru"), "Один."),
                ],
            );
            u.document_id = Some(d);
            u.position = Some(0);
            u.confidence = Some(0.3);
            w.add(&u).unwrap();
            w.finish().unwrap();
            tx.commit().unwrap();
        }
        let v = read(&db, "doc").unwrap().unwrap();
        assert_eq!(v.langs, ["en", "ru"]);
        assert_eq!(v.units[0].sentences["en"], ["One.", "Two."]);
        assert_eq!(v.units[0].confidence, Some(0.3));
        // the reviewer splits the unit and gives "Two." its translation
        let rows = vec![
            vec![("en".into(), "One.".into()), ("ru".into(), "Один.".into())],
            vec![("en".into(), "Two.".into()), ("ru".into(), "Два.".into())],
            vec![("en".into(), "Three.".into()), ("ru".into(), " ".into())],
        ];
        let a = apply(&db, "doc", &rows).unwrap();
        assert_eq!(
            a,
            Applied {
                removed: 1,
                units: 2,
                dropped: 1
            }
        );
        let v = read(&db, "doc").unwrap().unwrap();
        let texts: Vec<_> = v
            .units
            .iter()
            .map(|u| u.sentences["ru"].join(" "))
            .collect();
        assert_eq!(texts, ["Один.", "Два."]);
        assert!(v.units.iter().all(|u| u.confidence.is_none()));
        // a bad row changes nothing
        let bad = vec![vec![
            ("xx-!!".into(), "a".into()),
            ("ru".into(), "б".into()),
        ]];
        assert!(apply(&db, "doc", &bad).is_err());
        assert_eq!(read(&db, "doc").unwrap().unwrap().units.len(), 2);
        assert!(apply(&db, "nope", &rows).is_err());
        assert!(read(&db, "nope").unwrap().is_none());
    }
}

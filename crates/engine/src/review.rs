//! A person's review of an aligned document: its units side by side, cut
//! into sentences so that a unit can be split, joined or have a sentence
//! moved to its neighbour (the web page's review view), and the reviewed
//! units written back in place of the old ones, in one transaction.

use std::collections::BTreeMap;

use serde::Serialize;

use polytm_core::{Error, Result};
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

//! Units written one at a time (a server's `POST /api/units`, a person
//! adding a translation): validated as an import would be, in one
//! transaction, into an optional document.

use polytm_core::{Error, Result};
use polytm_store::{Database, NewDocument, NewUnit, NewVariant, OnDuplicate, Origin, Written};
use polytm_text::lang::LangTag;

/// What adding a unit did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added {
    /// A new unit.
    New(i64),
    /// The same texts were in the TM already, as this unit.
    Existing(i64),
}

impl Added {
    pub fn id(self) -> i64 {
        match self {
            Added::New(id) | Added::Existing(id) => id,
        }
    }
}

/// Add one unit of texts by language (two or more, none empty; the first
/// is the source), into the document `doc` when given (made if need be).
pub fn add_unit(
    db: &dyn Database,
    texts: &[(LangTag, String)],
    doc: Option<&str>,
    source: &str,
) -> Result<Added> {
    let mut variants = Vec::new();
    for (tag, text) in texts {
        if text.trim().is_empty() {
            return Err(Error::usage(format!("the {} text is empty", tag.tag)));
        }
        if let Some(c) = polytm_formats::xml::forbidden_char(text) {
            return Err(Error::usage(format!(
                "the {} text holds the character U+{:04X}, which TMX (XML 1.0) cannot hold",
                tag.tag, c as u32
            )));
        }
        if variants.iter().any(|v: &NewVariant| v.tag.lang == tag.lang) {
            return Err(Error::usage(format!("two {} texts", tag.lang)));
        }
        variants.push(NewVariant::new(tag.clone(), text.clone()));
    }
    if variants.len() < 2 {
        return Err(Error::usage("a unit needs texts in two languages at least"));
    }
    let mut tx = db.writer()?;
    let batch = tx.new_batch("manual", source)?;
    let mut unit = NewUnit::new(Origin::Manual, variants);
    unit.src_lang = Some(texts[0].0.lang.clone());
    if let Some(name) = doc {
        let (id, next) = match tx.document(name)? {
            Some(d) => (d.id, d.last_position.map_or(0, |p| p + 1)),
            None => {
                let langs = texts.iter().map(|(t, _)| t.tag.clone()).collect();
                let id = tx.add_document(&NewDocument {
                    name: name.to_string(),
                    langs,
                    origin: "manual".into(),
                    batch: Some(batch),
                })?;
                (id, 0)
            }
        };
        unit.document_id = Some(id);
        unit.position = Some(next);
    }
    let written = {
        let mut w = tx.units(batch, OnDuplicate::Skip)?;
        let written = w.add(&unit)?;
        w.finish()?;
        written
    };
    let added = match written {
        Written::Added(id) | Written::Overwritten(id) => Added::New(id),
        Written::Skipped(id) => {
            // nothing new: leave no empty batch behind
            drop(tx);
            return Ok(Added::Existing(id));
        }
    };
    tx.commit()?;
    Ok(added)
}

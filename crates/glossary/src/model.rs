//! Concepts and terms: the glossary model shared by the store, the file
//! formats (TSV/CSV, TBX) and the recogniser.
//!
//! A **concept** is one thing in the world (the Interior Ministry of
//! Kazakhstan); it has **terms** in any number of languages, each with a
//! [`TermStatus`]. Terms are kept exactly as written; their `key` (the
//! folded text) is what lookups and identity use.
//!
//! Concepts and terms as they come from files and the command line
//! ([`NewConcept`], [`NewTerm`], [`TermStatus`] and the cell syntax) are
//! defined by the file formats (`polytm_formats::termbase`) and used here.

use std::collections::BTreeMap;

use serde::Serialize;

use polytm_text::lang::Lang;
pub use polytm_text::lang::lang_order;

pub use polytm_formats::termbase::{
    CELL_SEPARATOR, NewConcept, NewTerm, TermStatus, format_cell, implied_status, is_all_caps,
    parse_cell,
};

/// A term as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Term {
    pub id: i64,
    pub concept_id: i64,
    /// Lookup key of the language (`zh` for zh-CN ...).
    pub lang: Lang,
    /// The language tag as the source wrote it (`zh-CN`), for export.
    pub tag: String,
    /// Exactly as written.
    pub text: String,
    /// Folded text (see [`polytm_text::fold`]): identity and lookups.
    pub key: String,
    pub status: TermStatus,
    pub note: Option<String>,
    pub source: Option<String>,
    /// Order within its concept and language, 0 first.
    pub position: i64,
}

/// A concept with all its terms.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Concept {
    pub id: i64,
    pub domain: Option<String>,
    pub note: Option<String>,
    pub source: Option<String>,
    /// Sorted by language (en, ru, zh, then the others) and position.
    pub terms: Vec<Term>,
}

impl Concept {
    /// The terms of one language, in order (preferred first).
    pub fn terms<'a>(&'a self, lang: &Lang) -> impl Iterator<Item = &'a Term> + use<'a> {
        let lang = lang.clone();
        self.terms.iter().filter(move |t| t.lang == lang)
    }

    /// The term to use in `lang`: the first preferred term; failing that the
    /// first variant, then abbreviation; never a deprecated term.
    pub fn preferred(&self, lang: &Lang) -> Option<&Term> {
        self.terms(lang)
            .filter(|t| t.status != TermStatus::Deprecated)
            .min_by_key(|t| (t.status.rank(), t.position))
    }

    /// The languages this concept has terms in, en/ru/zh first.
    pub fn langs(&self) -> Vec<&Lang> {
        let mut v: Vec<&Lang> = Vec::new();
        for t in &self.terms {
            if !v.contains(&&t.lang) {
                v.push(&t.lang);
            }
        }
        v.sort_by_key(|l| lang_order(l));
        v
    }

    /// A short name for people: the preferred English term, else the first
    /// preferred term of any language.
    pub fn label(&self) -> &str {
        self.preferred(&Lang::en())
            .or_else(|| self.langs().first().and_then(|l| self.preferred(l)))
            .map(|t| t.text.as_str())
            .unwrap_or("")
    }

    /// `{"en": [...], "ru": [...], "zh": [...]}`: every term by language,
    /// in order, preferred first (the `concept` object of `glossary scan
    /// --json`).
    pub fn by_lang(&self) -> LangMap {
        let mut m = LangMap::default();
        for l in self.langs() {
            let mut terms: Vec<&Term> = self.terms(l).collect();
            terms.sort_by_key(|t| (t.status == TermStatus::Deprecated, t.position));
            m.0.push((
                l.as_str().to_string(),
                terms.iter().map(|t| t.text.clone()).collect(),
            ));
        }
        m
    }
}

/// Terms by language, serialised as a JSON object in language order
/// (en, ru, zh, then the others).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LangMap(pub Vec<(String, Vec<String>)>);

impl Serialize for LangMap {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// Group concepts' terms by language for display: `lang → [(text, status)]`.
pub fn terms_by_lang(c: &Concept) -> BTreeMap<(u8, String), Vec<(&str, TermStatus)>> {
    let mut m: BTreeMap<(u8, String), Vec<(&str, TermStatus)>> = BTreeMap::new();
    for t in &c.terms {
        m.entry(lang_order(&t.lang))
            .or_default()
            .push((t.text.as_str(), t.status));
    }
    m
}

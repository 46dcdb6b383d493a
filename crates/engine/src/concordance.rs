//! Concordance: every unit whose text in one language contains a phrase
//! (Russian in any inflection, Chinese as a substring), most recent first.
//! Candidates come from the fuzzy index ([`polytm_fuzzy::concordance`]);
//! each is read from the store and checked, so the result is exact.

use serde::Serialize;

use polytm_core::Result;
use polytm_fuzzy::concordance::{Phrase, candidates};
use polytm_fuzzy::index::TmIndex;
use polytm_store::{Database, Reader};
use polytm_text::lang::{Lang, lang_order};

pub use polytm_fuzzy::concordance::guess_lang;

/// One unit containing the phrase.
#[derive(Debug, Clone, Serialize)]
pub struct ConcordanceHit {
    pub unit: i64,
    pub document: Option<String>,
    /// The unit's text in the searched language, as stored.
    pub text: String,
    /// Where the phrase is in `text` (characters, end exclusive).
    pub spans: Vec<(usize, usize)>,
    /// The unit's other languages: (language, text), en/ru/zh first.
    pub others: Vec<(String, String)>,
}

/// What a search found.
#[derive(Debug, Clone, Default)]
pub struct Found {
    pub hits: Vec<ConcordanceHit>,
    /// More units contain the phrase than `limit` let through.
    pub more: bool,
}

/// Units whose `lang` text contains `phrase`; at most `limit`, most recent
/// first. `exact`: no other inflections.
pub fn search(
    db: &dyn Database,
    phrase: &str,
    lang: &Lang,
    exact: bool,
    limit: usize,
) -> Result<Found> {
    let p = Phrase::new(phrase, lang, exact);
    if p.is_empty() {
        return Ok(Found::default());
    }
    let index = crate::index::open(db, lang)?;
    search_in(db.reader()?.as_ref(), &index, &p, limit)
}

/// [`search`] with an index already loaded (a server keeps one).
pub fn search_in(rd: &dyn Reader, index: &TmIndex, p: &Phrase, limit: usize) -> Result<Found> {
    let lang = index.lang();
    let mut found = Found::default();
    for unit in candidates(index, p) {
        let Some(u) = rd.unit(unit)? else { continue };
        let Some(v) = u.variants.iter().find(|v| &v.lang == lang) else {
            continue;
        };
        let spans = p.find(&v.text);
        if spans.is_empty() {
            continue;
        }
        if found.hits.len() >= limit {
            found.more = true;
            break;
        }
        let mut others: Vec<(&Lang, &str)> = u
            .variants
            .iter()
            .filter(|o| &o.lang != lang)
            .map(|o| (&o.lang, o.text.as_str()))
            .collect();
        others.sort_by_key(|(l, _)| lang_order(l));
        found.hits.push(ConcordanceHit {
            unit,
            document: u.document.clone(),
            text: v.text.clone(),
            spans,
            others: others
                .into_iter()
                .map(|(l, t)| (l.as_str().to_string(), t.to_string()))
                .collect(),
        });
    }
    Ok(found)
}

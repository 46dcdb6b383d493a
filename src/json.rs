//! The JSON that programs read, one shape for the command line's `--json`
//! and the server's answers, so that both say the same thing.

use serde::Serialize;

use polytm_engine::concordance::ConcordanceHit;
use polytm_engine::matcher::Proposal;
use polytm_fuzzy::diff;
use polytm_glossary::model::{Concept, LangMap, TermStatus};
use polytm_glossary::{Glossary, Hit, MatchKind};
use polytm_text::lang::Lang;

/// A proposal as `match --json` prints it.
#[derive(Serialize)]
pub struct ProposalOut<'a> {
    pub score: u8,
    pub source: &'a str,
    pub target: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_markup: Option<&'a str>,
    pub unit: i64,
    pub document: Option<&'a str>,
    pub tm: &'a str,
    pub date: &'a str,
    /// The unit came through review (`align apply`, the web page's review).
    pub reviewed: bool,
    pub repaired: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original_target: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changes: Option<&'a [polytm_fuzzy::repair::Change]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
    /// The penalties taken off `score`: `[{"name": "aligned", "points": 1}]`.
    pub penalties: &'a [polytm_engine::penalty::Penalty],
}

impl<'a> ProposalOut<'a> {
    pub fn new(p: &'a Proposal, diff: Option<String>) -> ProposalOut<'a> {
        ProposalOut {
            score: p.score,
            source: &p.source,
            target: &p.target,
            target_markup: p.target_markup.as_deref(),
            unit: p.unit,
            document: p.document.as_deref(),
            tm: &p.tm,
            date: &p.date,
            reviewed: p.reviewed,
            repaired: p.repaired.is_some(),
            original_target: p.repaired.as_ref().map(|r| r.original_target.as_str()),
            changes: p.repaired.as_ref().map(|r| r.changes.as_slice()),
            diff,
            penalties: &p.penalties,
        }
    }
}

/// The proposals for one query, each with the word difference of the query
/// against its source (`match --json` with one query).
pub fn proposals<'a>(query: &str, props: &'a [Proposal], from: &Lang) -> Vec<ProposalOut<'a>> {
    props
        .iter()
        .map(|p| {
            ProposalOut::new(
                p,
                Some(diff::render(&diff::word_diff(query, &p.source, from))),
            )
        })
        .collect()
}

#[derive(Serialize)]
pub struct TermOut<'a> {
    pub id: i64,
    pub lang: &'a str,
    pub tag: &'a str,
    pub text: &'a str,
    pub status: TermStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<&'a str>,
}

/// A concept as `term --json` prints it.
#[derive(Serialize)]
pub struct ConceptOut<'a> {
    pub id: i64,
    #[serde(rename = "match", skip_serializing_if = "Option::is_none")]
    pub matched: Option<MatchKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched_term: Option<&'a str>,
    pub concept: LangMap,
    pub terms: Vec<TermOut<'a>>,
    pub domain: Option<&'a str>,
    pub note: Option<&'a str>,
    pub source: Option<&'a str>,
}

pub fn concept<'a>(
    c: &'a Concept,
    matched: Option<MatchKind>,
    term: Option<&'a str>,
) -> ConceptOut<'a> {
    ConceptOut {
        id: c.id,
        matched,
        matched_term: term,
        concept: c.by_lang(),
        terms: c
            .terms
            .iter()
            .map(|t| TermOut {
                id: t.id,
                lang: t.lang.as_str(),
                tag: &t.tag,
                text: &t.text,
                status: t.status,
                note: t.note.as_deref(),
                source: t.source.as_deref(),
            })
            .collect(),
        domain: c.domain.as_deref(),
        note: c.note.as_deref(),
        source: c.source.as_deref(),
    }
}

/// The concepts a query names (`term --json`).
pub fn lookup<'a>(glossary: &'a Glossary, query: &str, lang: Option<&Lang>) -> Vec<ConceptOut<'a>> {
    glossary
        .lookup(query, lang)
        .iter()
        .filter_map(|f| {
            let c = glossary.concept(f.concept_id)?;
            let term = glossary.term(f.term_id).map(|t| t.text.as_str());
            Some(concept(c, Some(f.kind), term))
        })
        .collect()
}

/// A character range.
#[derive(Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// A unit containing a phrase (`concordance --json`).
#[derive(Serialize)]
pub struct ConcordanceOut<'a> {
    pub unit: i64,
    pub document: Option<&'a str>,
    pub lang: &'a str,
    pub text: &'a str,
    /// Character ranges of the phrase in `text`.
    pub matches: Vec<Span>,
    /// The unit's other languages.
    pub variants: serde_json::Map<String, serde_json::Value>,
}

pub fn concordance<'a>(hits: &'a [ConcordanceHit], lang: &'a Lang) -> Vec<ConcordanceOut<'a>> {
    hits.iter()
        .map(|h| ConcordanceOut {
            unit: h.unit,
            document: h.document.as_deref(),
            lang: lang.as_str(),
            text: &h.text,
            matches: h
                .spans
                .iter()
                .map(|&(start, end)| Span { start, end })
                .collect(),
            variants: h
                .others
                .iter()
                .map(|(l, t)| (l.clone(), serde_json::Value::String(t.clone())))
                .collect(),
        })
        .collect()
}

/// A glossary term found in a text (`glossary scan --json`).
#[derive(Serialize)]
pub struct ScanOut<'a> {
    pub start: usize,
    pub end: usize,
    pub text: &'a str,
    pub concept: LangMap,
    pub concept_id: i64,
    pub term: &'a str,
    pub status: TermStatus,
}

pub fn scan<'a>(glossary: &'a Glossary, hits: &'a [Hit]) -> Vec<ScanOut<'a>> {
    hits.iter()
        .filter_map(|h| {
            let c = glossary.concept(h.concept_id)?;
            Some(ScanOut {
                start: h.start,
                end: h.end,
                text: &h.text,
                concept: c.by_lang(),
                concept_id: c.id,
                term: glossary.term(h.term_id).map_or("", |t| t.text.as_str()),
                status: h.status,
            })
        })
        .collect()
}

/// A document as `docs list --json` prints it.
#[derive(Serialize)]
pub struct DocumentOut {
    pub id: i64,
    pub name: String,
    pub langs: Vec<String>,
    pub origin: String,
    pub units: i64,
    pub batch: Option<i64>,
    pub created_at: String,
}

pub fn documents(docs: Vec<polytm_store::Document>) -> Vec<DocumentOut> {
    docs.into_iter()
        .map(|d| DocumentOut {
            id: d.id,
            name: d.name,
            langs: d.langs,
            origin: d.origin,
            units: d.units,
            batch: d.batch,
            created_at: d.created_at,
        })
        .collect()
}

//! The records a translation memory holds, as the layers above the store
//! see them: units and their variants, documents, batches, lexicon
//! entries, and what a write did. Plain data; every backend reads and
//! writes these.

use serde::Serialize;

use polytm_text::lang::{Lang, LangTag};

/// Where a unit came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    Aligned,
    Imported,
    Pretranslated,
    Manual,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Aligned => "aligned",
            Origin::Imported => "imported",
            Origin::Pretranslated => "pretranslated",
            Origin::Manual => "manual",
        }
    }

    pub fn parse(s: &str) -> Option<Origin> {
        Some(match s {
            "aligned" => Origin::Aligned,
            "imported" => Origin::Imported,
            "pretranslated" => Origin::Pretranslated,
            "manual" => Origin::Manual,
            _ => return None,
        })
    }
}

/// What to do with a unit whose text is already in the TM.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnDuplicate {
    /// The same text in the same languages is one unit: do not add it again.
    #[default]
    Skip,
    /// A unit with the same source text: replace its other languages.
    Overwrite,
    /// Add it anyway.
    Keep,
}

/// One language of a unit to be written.
#[derive(Debug, Clone)]
pub struct NewVariant {
    pub tag: LangTag,
    /// Exactly as read, inline markup included.
    pub text: String,
    /// The text without inline markup, when it differs.
    pub plain: Option<String>,
}

impl NewVariant {
    pub fn new(tag: LangTag, text: impl Into<String>) -> NewVariant {
        NewVariant {
            tag,
            text: text.into(),
            plain: None,
        }
    }

    /// The text matching works on.
    pub fn plain(&self) -> &str {
        self.plain.as_deref().unwrap_or(&self.text)
    }
}

/// A unit to be written.
#[derive(Debug, Clone)]
pub struct NewUnit {
    pub variants: Vec<NewVariant>,
    pub origin: Origin,
    pub document_id: Option<i64>,
    pub confidence: Option<f64>,
    pub position: Option<i64>,
    /// Key of the source language, when the unit has one.
    pub src_lang: Option<Lang>,
    pub tuid: Option<String>,
    /// JSON of TMX properties, notes and attributes kept for export.
    pub props: Option<String>,
    /// ISO 8601; now when `None`.
    pub created_at: Option<String>,
    pub changed_at: Option<String>,
    /// A person checked it (a row of a review sheet).
    pub reviewed: bool,
    /// Keep this id (`polytm migrate` copies units with their ids); the
    /// next free one when `None`.
    pub id: Option<i64>,
}

impl NewUnit {
    pub fn new(origin: Origin, variants: Vec<NewVariant>) -> NewUnit {
        NewUnit {
            variants,
            origin,
            document_id: None,
            confidence: None,
            position: None,
            src_lang: None,
            tuid: None,
            props: None,
            created_at: None,
            changed_at: None,
            reviewed: false,
            id: None,
        }
    }

    /// The variants that are stored: one per language, the last given (a
    /// unit is one text per language).
    pub fn stored_variants(&self) -> impl Iterator<Item = &NewVariant> {
        let variants = &self.variants;
        variants.iter().enumerate().filter_map(move |(i, v)| {
            let later = variants
                .get(i + 1..)
                .is_some_and(|rest| rest.iter().any(|w| w.tag.lang == v.tag.lang));
            (!later).then_some(v)
        })
    }
}

/// What happened to one unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    Added(i64),
    /// Identical to a unit already there.
    Skipped(i64),
    /// Replaced the other languages of this unit.
    Overwritten(i64),
}

/// Counts of a write run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct WriteStats {
    pub added: usize,
    pub skipped: usize,
    pub overwritten: usize,
}

/// A unit read back, with everything stored about it.
#[derive(Debug, Clone, Serialize)]
pub struct Unit {
    pub id: i64,
    pub document: Option<String>,
    pub document_id: Option<i64>,
    pub batch: Option<i64>,
    pub origin: String,
    pub confidence: Option<f64>,
    pub position: Option<i64>,
    pub src_lang: Option<String>,
    pub tuid: Option<String>,
    pub created_at: String,
    pub changed_at: Option<String>,
    /// JSON of TMX properties, notes and attributes kept for export.
    pub props: Option<String>,
    /// A person checked it (a row of a review sheet).
    pub reviewed: bool,
    /// The source language first, then by language key.
    pub variants: Vec<Variant>,
}

/// One language of a stored unit.
#[derive(Debug, Clone, Serialize)]
pub struct Variant {
    pub lang: Lang,
    pub tag: String,
    /// As stored: TMX inline markup when `plain` is set.
    pub text: String,
    /// The text without inline markup, when `text` is markup.
    pub plain: Option<String>,
}

impl Variant {
    /// The text matching works on.
    pub fn plain(&self) -> &str {
        self.plain.as_deref().unwrap_or(&self.text)
    }
}

/// The two sides of a unit a proposal is made from.
#[derive(Debug, Clone)]
pub struct UnitPair {
    /// The source text without inline markup.
    pub source: String,
    /// The target text without inline markup.
    pub target: String,
    /// The target as TMX inline markup, when it has some.
    pub target_markup: Option<String>,
    pub document: Option<String>,
    /// When the unit was created or last changed (ISO 8601).
    pub date: String,
    /// A person checked the unit (see [`NewUnit::reviewed`]).
    pub reviewed: bool,
    /// aligned | imported | pretranslated | manual
    pub origin: String,
    /// The source text has inline markup (tags, formatting).
    pub source_markup: bool,
}

/// The source-language texts around a unit in its document (`None`: the
/// document starts or ends there).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Neighbours {
    pub prev: Option<String>,
    pub next: Option<String>,
}

/// A document: an aligned text, an imported file.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    pub id: i64,
    pub name: String,
    /// The tags as the files wrote them.
    pub langs: Vec<String>,
    pub origin: String,
    pub batch: Option<i64>,
    pub created_at: String,
    pub units: i64,
    /// The highest position of its units (units added later go after it).
    pub last_position: Option<i64>,
}

/// A document to be recorded.
#[derive(Debug, Clone)]
pub struct NewDocument {
    pub name: String,
    /// The tags as the files wrote them.
    pub langs: Vec<String>,
    /// aligned | imported | pretranslated
    pub origin: String,
    pub batch: Option<i64>,
}

/// One import, alignment, glossary import or pre-translation run: the
/// unit of undo.
#[derive(Debug, Clone, Serialize)]
pub struct Batch {
    pub id: i64,
    pub kind: String,
    pub source: String,
    pub created_at: String,
    pub units: i64,
    pub documents: i64,
    pub concepts: i64,
    pub lexicon: i64,
}

/// What removing a batch removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Removed {
    pub units: usize,
    pub documents: usize,
    pub concepts: usize,
    pub lexicon: usize,
}

/// A count per language pair.
#[derive(Debug, Clone, Serialize)]
pub struct PairCount {
    pub a: String,
    pub b: String,
    pub count: i64,
}

/// A count per language.
#[derive(Debug, Clone, Serialize)]
pub struct LangCount {
    pub lang: String,
    pub count: i64,
}

/// What the TM holds, for `polytm stats`.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    pub database: String,
    pub bytes: u64,
    pub schema_version: i64,
    pub units: i64,
    pub documents: i64,
    pub batches: i64,
    /// Units per language pair, most first.
    pub pairs: Vec<PairCount>,
    /// Variants per language, most first.
    pub languages: Vec<LangCount>,
    pub concepts: i64,
    /// Terms per language.
    pub terms: Vec<LangCount>,
    /// Lexicon entries per language pair.
    pub lexicon: Vec<PairCount>,
}

/// What a server's front page shows.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub units: i64,
    pub concepts: i64,
    /// Variants per language, most first.
    pub languages: Vec<LangCount>,
}

/// A lexicon entry: a word or phrase of one language and one of another.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LexiconEntry {
    pub lang_a: String,
    pub lang_b: String,
    pub a: String,
    pub b: String,
    pub weight: f64,
}

/// Lexicon entries per language pair and source.
#[derive(Debug, Clone, Serialize)]
pub struct LexiconCount {
    pub lang_a: String,
    pub lang_b: String,
    pub source: String,
    pub count: i64,
}

/// Counts of a lexicon import.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct LexiconStats {
    /// New entries.
    pub added: usize,
    /// Entries already there (their weight raised when the new one was higher).
    pub existing: usize,
}

/// Which concept fields to change: `Some(None)` clears, `Some(Some(x))` sets.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConceptFields {
    pub domain: Option<Option<String>>,
    pub note: Option<Option<String>>,
    pub source: Option<Option<String>>,
}

/// Index size per language: (language, entries, bytes).
#[derive(Debug, Clone, Serialize)]
pub struct IndexSize {
    pub lang: String,
    pub entries: i64,
    pub bytes: i64,
}

/// The state of a store's fuzzy index: what a cached index file built from
/// it must match, and how far it is behind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct IndexState {
    /// The database's identity (random, made with it).
    pub identity: [u8; 16],
    /// Bumped whenever the index is rebuilt from scratch (`reindex`).
    pub epoch: i64,
    /// The highest unit id.
    pub max_unit: i64,
    /// The position of the change log (units deleted or changed).
    pub log_seq: i64,
    /// Bumped by every change of the glossary (concepts, terms).
    pub glossary: i64,
}

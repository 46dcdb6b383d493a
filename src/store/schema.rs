//! The schema, as a list of migrations keyed on `PRAGMA user_version`.
//! Version N of the database has had migrations 1..=N applied. A migration
//! is never edited once released; a change is a new migration.

use rusqlite::Transaction;

use crate::error::Result;

pub enum Migration {
    Sql(&'static str),
    /// Schema changes that need code (backfilling a new index ...).
    Code(fn(&Transaction) -> Result<()>),
}

/// `PRAGMA application_id`: "poly".
pub const APPLICATION_ID: i64 = 0x706F_6C79;

pub const MIGRATIONS: &[Migration] = &[
    Migration::Sql(V1),
    // 2: the fuzzy index (tables, triggers, backfill of existing units).
    Migration::Code(super::index::migrate),
];

/// The schema version this build writes.
pub fn latest() -> i64 {
    MIGRATIONS.len() as i64
}

const V1: &str = r#"
-- One import, alignment, glossary import or pre-translation run: the unit
-- of "undo" (`polytm batches remove N`).
CREATE TABLE batches (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,          -- import | align | glossary | lexicon | pretranslate | manual
    source      TEXT NOT NULL,          -- the file name(s), as given
    created_at  TEXT NOT NULL           -- ISO 8601 UTC
);

-- A document that units came from: an aligned release, an imported TMX.
CREATE TABLE documents (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    langs       TEXT NOT NULL,          -- the tags, comma-separated, as the files wrote them
    origin      TEXT NOT NULL,          -- aligned | imported | pretranslated
    batch_id    INTEGER REFERENCES batches(id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL
);

-- A translation unit: one TMX <tu>, one variant per language.
CREATE TABLE units (
    id           INTEGER PRIMARY KEY,
    document_id  INTEGER REFERENCES documents(id) ON DELETE CASCADE,
    batch_id     INTEGER REFERENCES batches(id) ON DELETE CASCADE,
    origin       TEXT NOT NULL CHECK (origin IN ('aligned', 'imported', 'pretranslated', 'manual')),
    confidence   REAL,                  -- alignment confidence 0..1
    position     INTEGER,               -- order within its document
    src_lang     TEXT,                  -- key of the source language, when known
    tuid         TEXT,
    props        TEXT,                  -- JSON (exchange::UnitProps): TMX <prop>/<note> and attributes kept for export
    content_hash INTEGER NOT NULL,      -- every (lang, text): duplicate detection
    src_hash     INTEGER,               -- (src_lang, source text): --on-duplicate overwrite
    created_at   TEXT NOT NULL,
    changed_at   TEXT
);
CREATE INDEX units_content ON units(content_hash);
CREATE INDEX units_src ON units(src_hash);
CREATE INDEX units_document ON units(document_id, position);
CREATE INDEX units_batch ON units(batch_id);

-- The text of a unit in one language, exactly as read.
-- Inline markup (formats::tmx): when a segment has no inline tags, `text` is
-- its text and `plain` is NULL. When it has some, `text` is the segment as
-- TMX inline XML (bpt/ept/ph/it/hi/ut/sub, escaped exactly as it is written
-- back) and `plain` is its text without the markup, unescaped (the content
-- of bpt/ept/ph/it/ut dropped, that of hi kept). So `plain IS NOT NULL`
-- means "text is TMX markup"; matching works on coalesce(plain, text) and
-- proposals carry `text`.
CREATE TABLE variants (
    unit_id  INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    lang     TEXT NOT NULL,             -- lookup key: en, ru, zh, zh-Hant ...
    tag      TEXT NOT NULL,             -- the tag as the file wrote it: en-US, zh-CN ...
    text     TEXT NOT NULL,             -- exactly as read; TMX inline XML when plain is set
    plain    TEXT,                      -- text without inline markup; NULL when there is none
    PRIMARY KEY (unit_id, lang)
) WITHOUT ROWID;

-- Glossary: a concept and its terms in every language.
CREATE TABLE concepts (
    id          INTEGER PRIMARY KEY,
    domain      TEXT,
    note        TEXT,
    source      TEXT,
    batch_id    INTEGER REFERENCES batches(id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL,
    changed_at  TEXT
);

CREATE TABLE terms (
    id          INTEGER PRIMARY KEY,
    concept_id  INTEGER NOT NULL REFERENCES concepts(id) ON DELETE CASCADE,
    lang        TEXT NOT NULL,          -- lookup key
    tag         TEXT NOT NULL,          -- as written
    text        TEXT NOT NULL,          -- as written
    key         TEXT NOT NULL,          -- folded, for lookups
    status      TEXT NOT NULL CHECK (status IN ('preferred', 'variant', 'abbreviation', 'deprecated')),
    note        TEXT,
    source      TEXT,
    position    INTEGER NOT NULL,       -- order within the concept and language; 0 = first
    UNIQUE (concept_id, lang, key)
);
CREATE INDEX terms_key ON terms(lang, key);

-- Bilingual lexicon (CC-CEDICT, a TSV word list, or learnt from the TM):
-- evidence for the aligner.
CREATE TABLE lexicon (
    lang_a   TEXT NOT NULL,
    lang_b   TEXT NOT NULL,
    a        TEXT NOT NULL,             -- folded word or phrase
    b        TEXT NOT NULL,
    weight   REAL NOT NULL DEFAULT 1.0,
    source   TEXT,
    batch_id INTEGER REFERENCES batches(id) ON DELETE CASCADE,
    PRIMARY KEY (lang_a, lang_b, a, b)
) WITHOUT ROWID;
"#;

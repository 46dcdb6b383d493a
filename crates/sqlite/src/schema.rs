//! The schema, as a list of migrations keyed on `PRAGMA user_version`.
//! Version N of the database has had migrations 1..=N applied. A migration
//! is never edited once released; a change is a new migration.

use rusqlite::Connection;

use crate::error::Result;

pub enum Migration {
    Sql(&'static str),
    /// Schema changes that need code (backfilling a new index ...).
    Code(fn(&Connection) -> Result<()>),
}

/// `PRAGMA application_id`: "poly".
pub const APPLICATION_ID: i64 = 0x706F_6C79;

pub const MIGRATIONS: &[Migration] = &[
    Migration::Sql(V1),
    // 2: the fuzzy index (tables, triggers, backfill of existing units).
    Migration::Code(super::index::migrate),
    // 3: cheaper unit inserts (see `v3`).
    Migration::Code(v3),
    // 4: the database's identity and the index change log (see `V4`).
    Migration::Sql(V4),
    // 5: units that came through review (`align apply`), see `V5`.
    Migration::Sql(V5),
];

/// Units a person checked: `polytm align apply` stores the rows of a
/// review sheet with `reviewed = 1`; exported as the TMX prop
/// `x-polytm-reviewed`, shown by `match`.
const V5: &str = "ALTER TABLE units ADD COLUMN reviewed INTEGER NOT NULL DEFAULT 0;";

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

/// Migration 4: what index files kept beside the database are checked
/// against (`polytm_fuzzy::index::file`): a random identity of the
/// database, the epoch of its index (bumped by `reindex`), and a log of the
/// units deleted or changed (the same events the triggers of migration 2
/// record in `fuzzy_stale`, which maintenance empties; this log stays), so
/// that a process opening an index file reads only what changed since; and
/// a counter of glossary changes (a server reloads its glossary when it
/// moves).
const V4: &str = r#"
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO meta VALUES ('identity', lower(hex(randomblob(16)))), ('index_epoch', '1'),
    ('glossary_version', '0');

CREATE TABLE fuzzy_log (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id INTEGER NOT NULL
);

DROP TRIGGER fuzzy_unit_deleted;
DROP TRIGGER fuzzy_unit_dated;
DROP TRIGGER fuzzy_variant_deleted;
DROP TRIGGER fuzzy_variant_changed;
CREATE TRIGGER fuzzy_unit_deleted AFTER DELETE ON units BEGIN
    INSERT OR IGNORE INTO fuzzy_stale(unit_id) VALUES (old.id);
    INSERT INTO fuzzy_log(unit_id) VALUES (old.id);
END;
CREATE TRIGGER fuzzy_unit_dated AFTER UPDATE OF created_at, changed_at ON units BEGIN
    INSERT OR IGNORE INTO fuzzy_stale(unit_id) VALUES (old.id);
    INSERT INTO fuzzy_log(unit_id) VALUES (old.id);
END;
CREATE TRIGGER fuzzy_variant_deleted AFTER DELETE ON variants BEGIN
    INSERT OR IGNORE INTO fuzzy_stale(unit_id) VALUES (old.unit_id);
    INSERT INTO fuzzy_log(unit_id) VALUES (old.unit_id);
END;
CREATE TRIGGER fuzzy_variant_changed AFTER UPDATE OF unit_id, lang, text, plain ON variants BEGIN
    INSERT OR IGNORE INTO fuzzy_stale(unit_id) VALUES (old.unit_id);
    INSERT OR IGNORE INTO fuzzy_stale(unit_id) VALUES (new.unit_id);
    INSERT INTO fuzzy_log(unit_id) VALUES (old.unit_id);
    INSERT INTO fuzzy_log(unit_id) VALUES (new.unit_id);
END;
"#;

/// The CHECK on `units.origin` as migration 1 wrote it: SQLite runs an
/// `IN (list)` check with a temporary b-tree built for every inserted row
/// (an eighth of the CPU of a large import), the same check written with
/// `=` and `OR` as plain comparisons.
const ORIGIN_CHECK_V1: &str =
    "CHECK (origin IN ('aligned', 'imported', 'pretranslated', 'manual'))";
const ORIGIN_CHECK: &str = "CHECK (origin = 'aligned' OR origin = 'imported' OR origin = 'pretranslated' OR origin = 'manual')";

/// Migration 3, for import speed, nothing else changes:
/// - the same CHECK on `units.origin`, written so that SQLite checks it
///   without a temporary table per row. The table definition is edited in
///   place, as SQLite documents for constraint changes that leave the
///   stored rows as they are (lang_altertable.html, "otheralter"): no row
///   is rewritten.
/// - no index on `units.src_hash` until it is needed: only `--on-duplicate
///   overwrite` looks units up by source text, and the first such run
///   makes the index (`UnitWriter`); a TM never overwritten into does not
///   keep it up to date, at a random place in a b-tree, for every unit of
///   every import.
pub fn v3(tx: &Connection) -> Result<()> {
    let sql: String = tx.query_row(
        "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'units'",
        [],
        |r| r.get(0),
    )?;
    if sql.contains(ORIGIN_CHECK_V1) {
        let new = sql.replace(ORIGIN_CHECK_V1, ORIGIN_CHECK);
        let version: i64 = tx.query_row("PRAGMA schema_version", [], |r| r.get(0))?;
        tx.execute_batch("PRAGMA writable_schema = ON")?;
        let updated = tx.execute(
            "UPDATE sqlite_schema SET sql = ?1 WHERE type = 'table' AND name = 'units'",
            [&new],
        );
        // Whatever happened, the schema is not left writable.
        let bumped = tx.execute_batch(&format!("PRAGMA schema_version = {}", version + 1));
        tx.execute_batch("PRAGMA writable_schema = OFF")?;
        updated?;
        bumped?;
    }
    tx.execute_batch("DROP INDEX IF EXISTS units_src")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    /// A database as version 2 of the schema left it, with a unit.
    fn version_2(path: &std::path::Path) {
        let mut c = Connection::open(path).unwrap();
        let tx = c.transaction().unwrap();
        let Migration::Sql(v1) = &MIGRATIONS[0] else {
            panic!("migration 1 is SQL")
        };
        tx.execute_batch(v1).unwrap();
        tx.execute_batch(
            "INSERT INTO batches VALUES (1, 'import', 'old.tmx', '2020-01-01T00:00:00Z');
             INSERT INTO units(id, batch_id, origin, content_hash, src_lang, src_hash, created_at)
               VALUES (1, 1, 'imported', 1, 'en', 7, '2020-01-01T00:00:00Z');
             INSERT INTO variants VALUES (1, 'en', 'en-US', 'Open the file.', NULL),
               (1, 'ru', 'ru-RU', 'Откройте файл.', NULL);",
        )
        .unwrap();
        let Migration::Code(v2) = &MIGRATIONS[1] else {
            panic!("migration 2 is code")
        };
        v2(&tx).unwrap();
        tx.pragma_update(None, "user_version", 2).unwrap();
        tx.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
        tx.commit().unwrap();
    }

    #[test]
    fn version_2_upgrades_to_3() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("v2.db");
        version_2(&p);
        let s = crate::Store::open(&p).unwrap();
        assert_eq!(s.schema_version().unwrap(), latest());
        // an existing file keeps its page size (new files get 16 KiB)
        let page: i64 = s
            .conn
            .query_row("PRAGMA page_size", [], |r| r.get(0))
            .unwrap();
        assert_eq!(page, 4096);
        let sql: String = s
            .conn
            .query_row(
                "SELECT sql FROM sqlite_schema WHERE name = 'units'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(
            sql.contains(ORIGIN_CHECK) && !sql.contains(ORIGIN_CHECK_V1),
            "{sql}"
        );
        let indexes: i64 = s
            .conn
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE name = 'units_src'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(indexes, 0);
        // the rows, the index and the check are all still there
        let check: String = s
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok");
        let (origin, text): (String, String) = s
            .conn
            .query_row(
                "SELECT u.origin, v.text FROM units u JOIN variants v ON v.unit_id = u.id AND v.lang = 'ru'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(
            (origin.as_str(), text.as_str()),
            ("imported", "Откройте файл.")
        );
        let bad = s.conn.execute(
            "INSERT INTO units(batch_id, origin, content_hash, created_at) VALUES (1, 'stolen', 2, 'x')",
            [],
        );
        assert!(bad.unwrap_err().to_string().contains("CHECK"));
        for origin in ["aligned", "imported", "pretranslated", "manual"] {
            s.conn
                .execute(
                    "INSERT INTO units(batch_id, origin, content_hash, created_at) VALUES (1, ?1, 3, 'x')",
                    [origin],
                )
                .unwrap();
        }
        let hits = polytm_fuzzy::index::LangIndex::load(&polytm_text::lang::Lang::en(), |visit| {
            Ok(crate::index::read_lang(
                &s.conn,
                &polytm_text::lang::Lang::en(),
                visit,
            )?)
        })
        .unwrap()
        .dump();
        assert_eq!(hits.len(), 1);
        drop(s);
        // and it opens again as it is
        let s = crate::Store::open(&p).unwrap();
        assert_eq!(s.schema_version().unwrap(), latest());
    }

    #[test]
    fn a_new_database_inserts_units_without_a_temporary_table() {
        let s = crate::Store::in_memory().unwrap();
        let mut st = s
            .conn
            .prepare(
                "EXPLAIN INSERT INTO units(batch_id, origin, content_hash, created_at) VALUES (1, ?1, 3, 'x')",
            )
            .unwrap();
        let ops: Vec<String> = st
            .query_map(["imported"], |r| r.get(1))
            .unwrap()
            .collect::<std::result::Result<_, _>>()
            .unwrap();
        assert!(!ops.iter().any(|o| o == "OpenEphemeral"), "{ops:?}");
    }

    #[test]
    fn version_1_is_migrated_and_indexed() {
        use polytm_store::Database;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("old.db");
        {
            let c = Connection::open(&p).unwrap();
            let Migration::Sql(v1) = &MIGRATIONS[0] else {
                panic!("migration 1 is SQL")
            };
            c.execute_batch(v1).unwrap();
            c.pragma_update(None, "user_version", 1).unwrap();
            c.pragma_update(None, "application_id", APPLICATION_ID)
                .unwrap();
            c.execute_batch(
                "INSERT INTO batches VALUES (1, 'import', 'old.tmx', '2020-01-01T00:00:00Z');
                 INSERT INTO units(id, batch_id, origin, content_hash, created_at) VALUES
                   (1, 1, 'imported', 1, '2020-01-01T00:00:00Z');
                 INSERT INTO variants VALUES (1, 'en', 'en-US', 'The 8th meeting was held in 2018.', NULL),
                   (1, 'ru', 'ru-RU', '8-е совещание состоялось в 2018 году.', NULL);",
            )
            .unwrap();
        }
        let db = crate::SqliteDb::open(&p).unwrap();
        let rd = db.reader().unwrap();
        assert_eq!(rd.stats().unwrap().schema_version, latest());
        let mut units = Vec::new();
        rd.for_each_index_segment(&polytm_text::lang::Lang::en(), &mut |seg, entries| {
            units.extend(entries.map(|i| seg.units[i]));
        })
        .unwrap();
        assert_eq!(units, [1]);
    }
}

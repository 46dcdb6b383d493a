//! The schema on PostgreSQL, as a list of migrations keyed on the row of
//! `polytm_schema`. Version N of the database has had migrations 1..=N
//! applied. A migration is never edited once released; a change is a new
//! migration.
//!
//! The tables are those of the SQLite backend, with the same meaning (see
//! `polytm-sqlite`'s schema): ids are given out by polytm as the highest
//! one plus one (under the writer's lock), as SQLite does, so the two
//! backends number everything alike. Texts that are sorted on (language
//! keys, tags, folded keys, dates) are `COLLATE "C"`: no order depends on
//! the database's collation. There is no persisted fuzzy index: the index
//! is built in memory from `variants` when a process opens it.

pub const MIGRATIONS: &[&str] = &[V1];

/// The schema version this build writes.
pub fn latest() -> i64 {
    MIGRATIONS.len() as i64
}

/// The version table, made before any migration runs.
pub const VERSION_TABLE: &str = "CREATE TABLE IF NOT EXISTS polytm_schema (
    version integer NOT NULL
)";

const V1: &str = r#"
CREATE TABLE meta (
    key   text COLLATE "C" PRIMARY KEY,
    value text NOT NULL
);
INSERT INTO meta VALUES ('identity', md5(random()::text || clock_timestamp()::text)),
    ('index_epoch', '1'), ('glossary_version', '0');

CREATE TABLE batches (
    id          bigint PRIMARY KEY,
    kind        text NOT NULL,
    source      text NOT NULL,
    created_at  text COLLATE "C" NOT NULL
);

CREATE TABLE documents (
    id          bigint PRIMARY KEY,
    name        text COLLATE "C" NOT NULL UNIQUE,
    langs       text NOT NULL,
    origin      text NOT NULL,
    batch_id    bigint REFERENCES batches(id) ON DELETE CASCADE,
    created_at  text COLLATE "C" NOT NULL
);
CREATE INDEX documents_batch ON documents(batch_id);

CREATE TABLE units (
    id           bigint PRIMARY KEY,
    document_id  bigint REFERENCES documents(id) ON DELETE CASCADE,
    batch_id     bigint REFERENCES batches(id) ON DELETE CASCADE,
    origin       text NOT NULL CHECK (origin IN ('aligned', 'imported', 'pretranslated', 'manual')),
    confidence   double precision,
    position     bigint,
    src_lang     text COLLATE "C",
    tuid         text,
    props        text,
    content_hash bigint NOT NULL,
    src_hash     bigint,
    created_at   text COLLATE "C" NOT NULL,
    changed_at   text COLLATE "C",
    reviewed     boolean NOT NULL DEFAULT false
);
CREATE INDEX units_content ON units(content_hash);
CREATE INDEX units_document ON units(document_id, position);
CREATE INDEX units_batch ON units(batch_id);

CREATE TABLE variants (
    unit_id  bigint NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    lang     text COLLATE "C" NOT NULL,
    tag      text COLLATE "C" NOT NULL,
    text     text NOT NULL,
    plain    text,
    PRIMARY KEY (unit_id, lang)
);

CREATE TABLE concepts (
    id          bigint PRIMARY KEY,
    domain      text,
    note        text,
    source      text,
    batch_id    bigint REFERENCES batches(id) ON DELETE SET NULL,
    created_at  text COLLATE "C" NOT NULL,
    changed_at  text COLLATE "C"
);
CREATE INDEX concepts_batch ON concepts(batch_id);

CREATE TABLE terms (
    id          bigint PRIMARY KEY,
    concept_id  bigint NOT NULL REFERENCES concepts(id) ON DELETE CASCADE,
    lang        text COLLATE "C" NOT NULL,
    tag         text COLLATE "C" NOT NULL,
    text        text NOT NULL,
    key         text COLLATE "C" NOT NULL,
    status      text NOT NULL CHECK (status IN ('preferred', 'variant', 'abbreviation', 'deprecated')),
    note        text,
    source      text,
    position    bigint NOT NULL,
    UNIQUE (concept_id, lang, key)
);
CREATE INDEX terms_key ON terms(lang, key);

CREATE TABLE lexicon (
    lang_a   text COLLATE "C" NOT NULL,
    lang_b   text COLLATE "C" NOT NULL,
    a        text COLLATE "C" NOT NULL,
    b        text COLLATE "C" NOT NULL,
    weight   double precision NOT NULL DEFAULT 1.0,
    source   text COLLATE "C",
    batch_id bigint REFERENCES batches(id) ON DELETE CASCADE,
    PRIMARY KEY (lang_a, lang_b, a, b)
);
CREATE INDEX lexicon_b ON lexicon(b);
CREATE INDEX lexicon_batch ON lexicon(batch_id);

-- Units deleted or changed (the SQLite backend's `fuzzy_log`): what a
-- server that holds an index in memory reads again.
CREATE TABLE fuzzy_log (
    seq     bigserial PRIMARY KEY,
    unit_id bigint NOT NULL
);
CREATE FUNCTION polytm_log_unit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'units' THEN
        INSERT INTO fuzzy_log(unit_id) VALUES (OLD.id);
    ELSE
        INSERT INTO fuzzy_log(unit_id) VALUES (OLD.unit_id);
        IF TG_OP = 'UPDATE' AND NEW.unit_id <> OLD.unit_id THEN
            INSERT INTO fuzzy_log(unit_id) VALUES (NEW.unit_id);
        END IF;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER fuzzy_unit_deleted AFTER DELETE ON units
    FOR EACH ROW EXECUTE FUNCTION polytm_log_unit();
CREATE TRIGGER fuzzy_unit_dated AFTER UPDATE OF created_at, changed_at ON units
    FOR EACH ROW EXECUTE FUNCTION polytm_log_unit();
CREATE TRIGGER fuzzy_variant_deleted AFTER DELETE ON variants
    FOR EACH ROW EXECUTE FUNCTION polytm_log_unit();
CREATE TRIGGER fuzzy_variant_changed AFTER UPDATE OF unit_id, lang, text, plain ON variants
    FOR EACH ROW EXECUTE FUNCTION polytm_log_unit();
"#;

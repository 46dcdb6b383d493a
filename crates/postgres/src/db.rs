//! [`PgDb`]: the store interface on a PostgreSQL database.

use std::cell::RefCell;
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use postgres::{Client, Config, NoTls};

use polytm_core::{Error, Result};
use polytm_glossary::model::{Concept, NewTerm, TermStatus};
use polytm_store::pool::{Pool, poisoned};
use polytm_store::{
    Batch, ConceptFields, Database, Document, ExportUnit, IndexSize, IndexState, LexiconCount,
    LexiconEntry, Neighbours, NewDocument, NewVariant, OnDuplicate, Overview, Reader, Removed,
    Segment, Selection, Stats, Summary, Unit, UnitPair, UnitSink, Writer,
};
use polytm_text::lang::Lang;

use crate::ops::{self, Conn};
use crate::schema;

/// Most idle reader connections kept open.
const POOL: usize = 8;

/// The key of the advisory lock writers take turns with ("poly").
const WRITER_LOCK: i64 = 0x706F_6C79;

/// A translation memory in a PostgreSQL database.
pub struct PgDb {
    /// The URL without its password.
    name: String,
    config: Config,
    /// `None` only while the database is dropped.
    writer: Mutex<Option<Conn>>,
    readers: Pool<Client>,
    /// Where this process keeps the index files of this database (see
    /// [`Database::cache_dir`]).
    cache: Option<PathBuf>,
}

/// The folder of polytm's index files for databases on servers:
/// `$XDG_CACHE_HOME/polytm`, else `~/.cache/polytm`.
fn cache_root() -> Option<PathBuf> {
    let set = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty());
    set("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| set("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .map(|d| d.join("polytm"))
}

impl PgDb {
    /// Connect to the database at `url` (`postgres://USER[:PASSWORD]@HOST:PORT/DB`),
    /// set up polytm's tables in it when it has none, migrate an older
    /// schema; refuse a database that holds other tables, or polytm's
    /// tables of a newer schema.
    pub fn open(url: &str) -> Result<PgDb> {
        let name = crate::redact(url);
        let named = |e: Error| match e {
            Error::Db { file, msg } if file.is_empty() => Error::Db {
                file: name.clone(),
                msg,
            },
            e => e,
        };
        let mut config: Config = url.parse().map_err(|e: postgres::Error| Error::Db {
            file: name.clone(),
            msg: format!("not a valid PostgreSQL URL: {}", crate::message(&e)),
        })?;
        if config.get_password().is_none()
            && let Some(pw) = std::env::var_os("PGPASSWORD")
        {
            config.password(pw.as_encoded_bytes());
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(10));
        }
        if config.get_application_name().is_none() {
            config.application_name("polytm");
        }
        let client = connect(&config).map_err(named)?;
        let conn = RefCell::new(client);
        migrate(&conn).map_err(named)?;
        let identity: Option<String> =
            ops::query_opt(&conn, "SELECT value FROM meta WHERE key = 'identity'", &[])
                .map_err(named)?
                .map(|r| r.get(0));
        let cache = identity
            .filter(|i| !i.is_empty() && i.chars().all(|c| c.is_ascii_hexdigit()))
            .and_then(|i| Some(cache_root()?.join(format!("pg-{i}"))));
        Ok(PgDb {
            name,
            config,
            writer: Mutex::new(Some(conn)),
            readers: Pool::new(POOL),
            cache,
        })
    }

    fn connection(&self) -> Result<Client> {
        self.readers.take(|| connect(&self.config))
    }

    fn named(&self, e: Error) -> Error {
        match e {
            Error::Db { file, msg } if file.is_empty() => Error::Db {
                file: self.name.clone(),
                msg,
            },
            e => e,
        }
    }
}

impl Drop for PgDb {
    fn drop(&mut self) {
        // Closing a connection blocks on the driver's own runtime, which a
        // thread of another runtime (a server's) may not do: they are
        // closed on a thread of their own.
        let writer = match self.writer.get_mut() {
            Ok(w) => w.take(),
            Err(e) => e.into_inner().take(),
        };
        let readers = self.readers.drain();
        let _ = std::thread::spawn(move || {
            drop(writer);
            drop(readers);
        })
        .join();
    }
}

fn connect(config: &Config) -> Result<Client> {
    config.connect(NoTls).map_err(|e| Error::Db {
        file: String::new(),
        msg: format!("cannot connect: {}", crate::message(&e)),
    })
}

/// Create or upgrade the schema, in one transaction, one process at a time.
fn migrate(c: &Conn) -> Result<()> {
    ops::batch(c, "BEGIN")?;
    let r = (|| -> Result<()> {
        ops::batch(c, &format!("SELECT pg_advisory_xact_lock({WRITER_LOCK})"))?;
        let ours: bool =
            ops::query_one(c, "SELECT to_regclass('polytm_schema') IS NOT NULL", &[])?.get(0);
        if !ours {
            let tables: i64 = ops::query_one(
                c,
                "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema()",
                &[],
            )?
            .get(0);
            if tables > 0 {
                return Err(ops::db_error(
                    "a PostgreSQL database, but not a polytm translation memory (it has other tables)",
                ));
            }
            ops::batch(c, schema::VERSION_TABLE)?;
            ops::batch(c, "INSERT INTO polytm_schema(version) VALUES (0)")?;
        }
        let version: i64 = ops::query_one(
            c,
            "SELECT coalesce(max(version), 0)::bigint FROM polytm_schema",
            &[],
        )?
        .get(0);
        let latest = schema::latest();
        if version > latest {
            return Err(ops::db_error(format!(
                "written by a newer polytm (schema version {version}; this build knows up to {latest}); upgrade polytm"
            )));
        }
        for (i, m) in schema::MIGRATIONS.iter().enumerate().skip(version as usize) {
            ops::batch(c, m)?;
            ops::execute(
                c,
                "UPDATE polytm_schema SET version = $1",
                &[&((i + 1) as i32)],
            )?;
        }
        Ok(())
    })();
    match r {
        Ok(()) => ops::batch(c, "COMMIT"),
        Err(e) => {
            let _ = ops::batch(c, "ROLLBACK");
            Err(e)
        }
    }
}

impl Database for PgDb {
    fn name(&self) -> &str {
        &self.name
    }

    fn reader(&self) -> Result<Box<dyn Reader + '_>> {
        let c = self.connection().map_err(|e| self.named(e))?;
        let conn = RefCell::new(c);
        ops::batch(&conn, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .map_err(|e| self.named(e))?;
        Ok(Box::new(PgReader {
            db: self,
            conn: Some(conn),
        }))
    }

    fn writer(&self) -> Result<Box<dyn Writer + '_>> {
        let guard = self.writer.lock().map_err(poisoned)?;
        let conn = guard.as_ref().ok_or_else(|| poisoned(()))?;
        // a connection lost since (a server restart) is made again
        if conn.borrow().is_closed() {
            *conn.borrow_mut() = connect(&self.config).map_err(|e| self.named(e))?;
        }
        ops::batch(
            conn,
            &format!("BEGIN; SELECT pg_advisory_xact_lock({WRITER_LOCK})"),
        )
        .map_err(|e| self.named(e))?;
        Ok(Box::new(PgWriter {
            db: self,
            guard,
            open: true,
        }))
    }

    fn cache_dir(&self) -> Option<PathBuf> {
        // The index files live on this machine, named by the database's
        // identity; their stamps (identity, epoch, change log) tell the
        // engine what changed on the server since they were written.
        self.cache.clone()
    }
}

struct PgReader<'a> {
    db: &'a PgDb,
    conn: Option<Conn>,
}

impl PgReader<'_> {
    fn conn(&self) -> &Conn {
        self.conn.as_ref().expect("a reader holds its connection")
    }
}

impl Drop for PgReader<'_> {
    fn drop(&mut self) {
        if let Some(c) = self.conn.take() {
            let mut c = c.into_inner();
            if c.batch_execute("COMMIT").is_ok() {
                self.db.readers.give_back(c);
            }
        }
    }
}

struct PgWriter<'a> {
    db: &'a PgDb,
    guard: MutexGuard<'a, Option<Conn>>,
    open: bool,
}

impl PgWriter<'_> {
    fn conn(&self) -> &Conn {
        self.guard
            .as_ref()
            .expect("the writer's connection is there until the database is dropped")
    }

    /// A change to the glossary, after its version goes up (other
    /// processes reload the glossary when it does).
    fn glossary_op<T>(&self, op: impl FnOnce(&Conn) -> Result<T>) -> Result<T> {
        let c = self.conn();
        ops::glossary_changed(c)
            .and_then(|()| op(c))
            .map_err(|e| self.db.named(e))
    }
}

impl Drop for PgWriter<'_> {
    fn drop(&mut self) {
        if self.open {
            // nothing of the transaction is kept; a connection that cannot
            // even roll back is closed by the server's end of it
            if let Some(c) = self.guard.as_ref() {
                let _ = c.borrow_mut().batch_execute("ROLLBACK");
            }
        }
    }
}

macro_rules! impl_reader {
    ($t:ty) => {
        impl Reader for $t {
            fn unit(&self, id: i64) -> Result<Option<Unit>> {
                ops::unit(self.conn(), id).map_err(|e| self.db.named(e))
            }

            fn unit_pair(&self, id: i64, from: &Lang, to: &Lang) -> Result<Option<UnitPair>> {
                ops::unit_pair(self.conn(), id, from, to).map_err(|e| self.db.named(e))
            }

            fn neighbours(&self, id: i64, lang: &Lang) -> Result<Option<Neighbours>> {
                ops::neighbours(self.conn(), id, lang).map_err(|e| self.db.named(e))
            }

            fn for_each_unit(&self, f: &mut dyn FnMut(&Unit) -> Result<()>) -> Result<()> {
                ops::for_each_unit(self.conn(), f).map_err(|e| self.db.named(e))
            }

            fn units_of_document(&self, document: i64) -> Result<Vec<i64>> {
                ops::units_of_document(self.conn(), document).map_err(|e| self.db.named(e))
            }

            fn units_of_batch(&self, batch: i64) -> Result<Vec<i64>> {
                ops::units_of_batch(self.conn(), batch).map_err(|e| self.db.named(e))
            }

            fn for_each_variant(
                &self,
                lang: &Lang,
                f: &mut dyn FnMut(i64, i64, &str) -> Result<()>,
            ) -> Result<()> {
                ops::for_each_variant(self.conn(), lang, f).map_err(|e| self.db.named(e))
            }

            fn pair_texts(
                &self,
                a: &Lang,
                b: &Lang,
                limit: usize,
            ) -> Result<Vec<(String, String)>> {
                ops::pair_texts(self.conn(), a, b, limit).map_err(|e| self.db.named(e))
            }

            fn documents(&self) -> Result<Vec<Document>> {
                ops::documents(self.conn()).map_err(|e| self.db.named(e))
            }

            fn document(&self, name: &str) -> Result<Option<Document>> {
                ops::document_by_name(self.conn(), name).map_err(|e| self.db.named(e))
            }

            fn batches(&self) -> Result<Vec<Batch>> {
                ops::batches(self.conn()).map_err(|e| self.db.named(e))
            }

            fn export_overview(&self, sel: &Selection) -> Result<Overview> {
                ops::export_overview(self.conn(), sel).map_err(|e| self.db.named(e))
            }

            fn for_each_export_unit(
                &self,
                sel: &Selection,
                f: &mut dyn FnMut(&ExportUnit) -> Result<()>,
            ) -> Result<usize> {
                ops::for_each_export_unit(self.conn(), sel, f).map_err(|e| self.db.named(e))
            }

            fn concepts(&self) -> Result<Vec<Concept>> {
                ops::concepts(self.conn()).map_err(|e| self.db.named(e))
            }

            fn concept(&self, id: i64) -> Result<Option<Concept>> {
                ops::concept(self.conn(), id).map_err(|e| self.db.named(e))
            }

            fn concept_batches(&self) -> Result<Vec<(i64, i64)>> {
                ops::concept_batches(self.conn()).map_err(|e| self.db.named(e))
            }

            fn for_each_lexicon_entry(&self, f: &mut polytm_store::LexiconRows<'_>) -> Result<()> {
                ops::for_each_lexicon_entry(self.conn(), f).map_err(|e| self.db.named(e))
            }

            fn for_each_lexicon(
                &self,
                lang_a: &str,
                lang_b: &str,
                min_weight: f64,
                f: &mut dyn FnMut(&str, &str, f64),
            ) -> Result<()> {
                ops::for_each_lexicon(self.conn(), lang_a, lang_b, min_weight, f)
                    .map_err(|e| self.db.named(e))
            }

            fn for_each_lexicon_of(
                &self,
                lang_a: &str,
                lang_b: &str,
                a: &str,
                min_weight: f64,
                f: &mut dyn FnMut(&str, f64),
            ) -> Result<()> {
                ops::for_each_lexicon_of(self.conn(), lang_a, lang_b, a, min_weight, f)
                    .map_err(|e| self.db.named(e))
            }

            fn lexicon_counts(&self) -> Result<Vec<LexiconCount>> {
                ops::lexicon_counts(self.conn()).map_err(|e| self.db.named(e))
            }

            fn lexicon_lookup(&self, key: &str, limit: usize) -> Result<Vec<LexiconEntry>> {
                ops::lexicon_lookup(self.conn(), key, limit).map_err(|e| self.db.named(e))
            }

            fn for_each_index_segment(
                &self,
                lang: &Lang,
                f: &mut dyn FnMut(&Segment, &mut dyn Iterator<Item = usize>),
            ) -> Result<()> {
                ops::index_segments(self.conn(), lang, 0, f).map_err(|e| self.db.named(e))
            }

            fn for_each_index_segment_after(
                &self,
                lang: &Lang,
                after: i64,
                f: &mut dyn FnMut(&Segment, &mut dyn Iterator<Item = usize>),
            ) -> Result<()> {
                ops::index_segments(self.conn(), lang, after, f).map_err(|e| self.db.named(e))
            }

            fn index_state(&self) -> Result<IndexState> {
                ops::index_state(self.conn()).map_err(|e| self.db.named(e))
            }

            fn changed_units(&self, seq: i64) -> Result<Vec<i64>> {
                ops::changed_units(self.conn(), seq).map_err(|e| self.db.named(e))
            }

            fn variants_of(
                &self,
                lang: &Lang,
                units: &[i64],
                f: &mut dyn FnMut(i64, i64, &str) -> Result<()>,
            ) -> Result<()> {
                ops::variants_of(self.conn(), lang, units, f).map_err(|e| self.db.named(e))
            }

            fn index_sizes(&self) -> Result<Vec<IndexSize>> {
                ops::index_sizes(self.conn()).map_err(|e| self.db.named(e))
            }

            fn stats(&self) -> Result<Stats> {
                ops::stats(self.conn(), self.db.name.clone()).map_err(|e| self.db.named(e))
            }

            fn summary(&self) -> Result<Summary> {
                ops::summary(self.conn()).map_err(|e| self.db.named(e))
            }
        }
    };
}

impl_reader!(PgReader<'_>);
impl_reader!(PgWriter<'_>);

impl Writer for PgWriter<'_> {
    fn commit(mut self: Box<Self>) -> Result<()> {
        let r = ops::batch(self.conn(), "COMMIT");
        // a failed COMMIT has ended the transaction too
        self.open = false;
        r.map_err(|e| self.db.named(e))
    }

    fn new_batch(&mut self, kind: &str, source: &str) -> Result<i64> {
        ops::new_batch(self.conn(), kind, source).map_err(|e| self.db.named(e))
    }

    fn remove_batch(&mut self, id: i64) -> Result<Option<Removed>> {
        let removed = ops::remove_batch(self.conn(), id).map_err(|e| self.db.named(e))?;
        if removed.is_some_and(|r| r.concepts > 0) {
            ops::glossary_changed(self.conn()).map_err(|e| self.db.named(e))?;
        }
        Ok(removed)
    }

    fn add_document(&mut self, doc: &NewDocument) -> Result<i64> {
        ops::add_document(self.conn(), doc).map_err(|e| self.db.named(e))
    }

    fn remove_document(&mut self, id: i64) -> Result<usize> {
        ops::remove_document(self.conn(), id).map_err(|e| self.db.named(e))
    }

    fn set_document_langs(&mut self, id: i64, langs: &[String]) -> Result<()> {
        ops::set_document_langs(self.conn(), id, langs).map_err(|e| self.db.named(e))
    }

    fn units(&mut self, batch: i64, policy: OnDuplicate) -> Result<Box<dyn UnitSink + '_>> {
        Ok(Box::new(Named {
            db: self.db,
            sink: crate::sink::PgSink::new(self.conn(), batch, policy),
        }))
    }

    fn delete_units(&mut self, ids: &[i64]) -> Result<usize> {
        ops::delete_units(self.conn(), ids).map_err(|e| self.db.named(e))
    }

    fn set_variant(&mut self, unit: i64, variant: &NewVariant) -> Result<bool> {
        ops::set_variant(self.conn(), unit, variant).map_err(|e| self.db.named(e))
    }

    fn remove_variant(&mut self, unit: i64, lang: &Lang) -> Result<bool> {
        ops::remove_variant(self.conn(), unit, lang).map_err(|e| self.db.named(e))
    }

    fn rebuild_index(&mut self) -> Result<()> {
        ops::new_epoch(self.conn()).map_err(|e| self.db.named(e))
    }

    fn insert_concept(
        &mut self,
        domain: Option<&str>,
        note: Option<&str>,
        source: Option<&str>,
        batch: Option<i64>,
    ) -> Result<i64> {
        self.glossary_op(|c| ops::insert_concept(c, domain, note, source, batch))
    }

    fn update_concept(&mut self, id: i64, fields: &ConceptFields) -> Result<()> {
        self.glossary_op(|c| ops::update_concept(c, id, fields))
    }

    fn delete_concepts(&mut self, ids: &[i64]) -> Result<usize> {
        self.glossary_op(|c| ops::delete_concepts(c, ids))
    }

    fn insert_term(
        &mut self,
        concept: i64,
        term: &NewTerm,
        status: TermStatus,
        position: i64,
    ) -> Result<i64> {
        self.glossary_op(|c| ops::insert_term(c, concept, term, status, position))
    }

    fn update_term(&mut self, term: i64, status: TermStatus, position: i64) -> Result<()> {
        self.glossary_op(|c| ops::update_term(c, term, status, position))
    }

    fn delete_term(&mut self, term: i64) -> Result<bool> {
        self.glossary_op(|c| ops::delete_term(c, term))
    }

    fn add_lexicon_entry(
        &mut self,
        batch: i64,
        source: &str,
        entry: &LexiconEntry,
    ) -> Result<bool> {
        ops::add_lexicon_entry(self.conn(), batch, source, entry).map_err(|e| self.db.named(e))
    }
}

/// The unit sink, naming the database on its errors.
struct Named<'a> {
    db: &'a PgDb,
    sink: crate::sink::PgSink<'a>,
}

impl UnitSink for Named<'_> {
    fn add(&mut self, unit: &polytm_store::NewUnit) -> Result<polytm_store::Written> {
        self.sink.add(unit).map_err(|e| self.db.named(e))
    }

    fn finish(self: Box<Self>) -> Result<polytm_store::WriteStats> {
        let db = self.db;
        Box::new(self.sink).finish().map_err(|e| db.named(e))
    }
}

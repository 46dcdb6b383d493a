//! [`SqliteDb`]: the store interface on one SQLite file (or a private
//! in-memory database): a writer connection whose transaction begins
//! `IMMEDIATE`, and a pool of reader connections.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

use rusqlite::Connection;

use polytm_core::{Error, Result};
use polytm_glossary::model::{Concept, NewTerm, TermStatus};
use polytm_store::pool::{Pool, poisoned};
use polytm_store::{
    Batch, ConceptFields, Database, Document, ExportUnit, IndexSize, IndexState, LexiconCount,
    LexiconEntry, Neighbours, NewDocument, NewUnit, NewVariant, OnDuplicate, Overview, Reader,
    Removed, Segment, Selection, Stats, Summary, Unit, UnitPair, UnitSink, WriteStats, Writer,
    Written,
};
use polytm_text::lang::Lang;

use crate::{Store, batches, documents, export, glossary, index, lexicon, stats, units};

/// Most idle reader connections kept open.
const POOL: usize = 16;

/// A translation memory in SQLite.
pub struct SqliteDb {
    name: String,
    path: PathBuf,
    /// The shared-cache URI of an in-memory database.
    memory: Option<String>,
    writer: Mutex<Store>,
    readers: Pool<Connection>,
}

impl SqliteDb {
    /// Open the database file at `path`, creating it (and its schema) when
    /// it does not exist; migrate an older schema; refuse a file that is
    /// not SQLite, not polytm's, or written by a newer polytm.
    pub fn open(path: &Path) -> Result<SqliteDb> {
        let store = Store::open(path)?;
        Ok(SqliteDb {
            name: polytm_core::display_path(path),
            path: path.to_path_buf(),
            memory: None,
            writer: Mutex::new(store),
            readers: Pool::new(POOL),
        })
    }

    /// A private database in memory, gone when dropped (a `--tm` file read
    /// for one run; tests).
    pub fn in_memory() -> Result<SqliteDb> {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let uri = format!(
            "file:polytm-{}-{}?mode=memory&cache=shared",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let store = Store::memory_uri(&uri, true).map_err(Error::from)?;
        Ok(SqliteDb {
            name: ":memory:".into(),
            path: PathBuf::from(":memory:"),
            memory: Some(uri),
            writer: Mutex::new(store),
            readers: Pool::new(POOL),
        })
    }

    /// The file (`:memory:` for an in-memory database).
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn connection(&self) -> Result<Connection> {
        self.readers.take(|| {
            let store = match &self.memory {
                Some(uri) => Store::memory_uri(uri, false).map_err(Error::from)?,
                None => Store::open_reader(&self.path)?,
            };
            Ok(store.conn)
        })
    }

    fn size(&self) -> u64 {
        match &self.memory {
            Some(_) => 0,
            None => {
                // for `polytm stats` only: the file is open, and no WAL is 0
                let mut n = std::fs::metadata(&self.path).map(|m| m.len()).unwrap_or(0);
                let mut wal = self.path.clone().into_os_string();
                wal.push("-wal");
                n += std::fs::metadata(PathBuf::from(wal))
                    .map(|m| m.len())
                    .unwrap_or(0);
                n
            }
        }
    }
}

impl Database for SqliteDb {
    fn name(&self) -> &str {
        &self.name
    }

    fn reader(&self) -> Result<Box<dyn Reader + '_>> {
        let conn = self.connection()?;
        // one snapshot for everything this reader reads (deferred: it
        // begins with the first read)
        conn.execute_batch("BEGIN")
            .map_err(|e| Error::from(crate::error::SqlError::from(e)))?;
        Ok(Box::new(SqliteReader {
            db: self,
            conn: Some(conn),
        }))
    }

    fn release_memory(&self) {
        // The page cache of each connection (the writer's 64 MiB, full
        // after a large import; a reader's 8 MiB); SQLite only reports an
        // error when a connection is in use, and then nothing is lost but
        // the saving.
        if let Ok(w) = self.writer.lock() {
            let _ = w.conn.execute_batch("PRAGMA shrink_memory");
        }
        self.readers.for_each_idle(|c| {
            let _ = c.execute_batch("PRAGMA shrink_memory");
        });
        // glibc keeps the freed pages (16 KiB each, in its heap) for the
        // process: hand them back, or the index build that follows an
        // import allocates beside them (the 1M-unit import peaked at
        // 323 MB without this, 286 MB with it).
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        // SAFETY: malloc_trim takes no pointer and only returns free heap
        // memory to the system; it may be called at any time.
        unsafe {
            libc::malloc_trim(0);
        }
    }

    fn cache_dir(&self) -> Option<PathBuf> {
        self.memory.is_none().then(|| {
            let mut p = self.path.clone().into_os_string();
            p.push("-fuzzy");
            PathBuf::from(p)
        })
    }

    fn writer(&self) -> Result<Box<dyn Writer + '_>> {
        let guard = self.writer.lock().map_err(poisoned)?;
        guard
            .conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(|e| Error::from(crate::error::SqlError::from(e)))?;
        Ok(Box::new(SqliteWriter {
            db: self,
            guard,
            open: true,
        }))
    }
}

/// A reader: a pooled connection, given back when dropped.
struct SqliteReader<'a> {
    db: &'a SqliteDb,
    conn: Option<Connection>,
}

impl SqliteReader<'_> {
    fn conn(&self) -> &Connection {
        self.conn.as_ref().expect("a reader holds its connection")
    }
}

impl Drop for SqliteReader<'_> {
    fn drop(&mut self) {
        if let Some(c) = self.conn.take()
            // the snapshot ends; a connection that cannot end it is not reused
            && c.execute_batch("COMMIT").is_ok()
        {
            self.db.readers.give_back(c);
        }
    }
}

/// The writer: the writer connection inside `BEGIN IMMEDIATE`; rolled back
/// when dropped without a commit.
struct SqliteWriter<'a> {
    db: &'a SqliteDb,
    guard: MutexGuard<'a, Store>,
    open: bool,
}

impl SqliteWriter<'_> {
    fn conn(&self) -> &Connection {
        &self.guard.conn
    }
}

impl Drop for SqliteWriter<'_> {
    fn drop(&mut self) {
        if self.open {
            // Nothing of the transaction is kept. If even the rollback
            // fails, the next BEGIN fails and says so, and SQLite rolls
            // back when the connection closes.
            let _ = self.guard.conn.execute_batch("ROLLBACK");
        }
    }
}

/// The reading half, the same for a reader and the writer (which reads
/// inside its own transaction).
macro_rules! impl_reader {
    ($t:ty) => {
        impl Reader for $t {
            fn unit(&self, id: i64) -> Result<Option<Unit>> {
                Ok(units::get(self.conn(), id)?)
            }

            fn unit_pair(&self, id: i64, from: &Lang, to: &Lang) -> Result<Option<UnitPair>> {
                Ok(units::pair(self.conn(), id, from, to)?)
            }

            fn neighbours(&self, id: i64, lang: &Lang) -> Result<Option<Neighbours>> {
                Ok(units::neighbours(self.conn(), id, lang)?)
            }

            fn for_each_unit(&self, f: &mut dyn FnMut(&Unit) -> Result<()>) -> Result<()> {
                Ok(units::for_each_unit(self.conn(), f)?)
            }

            fn units_of_document(&self, document: i64) -> Result<Vec<i64>> {
                Ok(units::units_of_document(self.conn(), document)?)
            }

            fn units_of_batch(&self, batch: i64) -> Result<Vec<i64>> {
                Ok(units::units_of_batch(self.conn(), batch)?)
            }

            fn for_each_variant(
                &self,
                lang: &Lang,
                f: &mut dyn FnMut(i64, i64, &str) -> Result<()>,
            ) -> Result<()> {
                Ok(units::for_each_variant(self.conn(), lang, f)?)
            }

            fn pair_texts(
                &self,
                a: &Lang,
                b: &Lang,
                limit: usize,
            ) -> Result<Vec<(String, String)>> {
                Ok(units::pair_texts(self.conn(), a, b, limit)?)
            }

            fn documents(&self) -> Result<Vec<Document>> {
                Ok(documents::list(self.conn())?)
            }

            fn document(&self, name: &str) -> Result<Option<Document>> {
                Ok(documents::by_name(self.conn(), name)?)
            }

            fn batches(&self) -> Result<Vec<Batch>> {
                Ok(batches::list(self.conn())?)
            }

            fn export_overview(&self, sel: &Selection) -> Result<Overview> {
                Ok(export::overview(self.conn(), sel)?)
            }

            fn for_each_export_unit(
                &self,
                sel: &Selection,
                f: &mut dyn FnMut(&ExportUnit) -> Result<()>,
            ) -> Result<usize> {
                Ok(export::for_each_unit(self.conn(), sel, f)?)
            }

            fn concepts(&self) -> Result<Vec<Concept>> {
                Ok(glossary::load_concepts(self.conn())?)
            }

            fn concept(&self, id: i64) -> Result<Option<Concept>> {
                Ok(glossary::load_concept(self.conn(), id)?)
            }

            fn concept_batches(&self) -> Result<Vec<(i64, i64)>> {
                Ok(glossary::concept_batches(self.conn())?)
            }

            fn for_each_lexicon_entry(&self, f: &mut polytm_store::LexiconRows<'_>) -> Result<()> {
                Ok(lexicon::for_each_entry(self.conn(), f)?)
            }

            fn for_each_lexicon(
                &self,
                lang_a: &str,
                lang_b: &str,
                min_weight: f64,
                f: &mut dyn FnMut(&str, &str, f64),
            ) -> Result<()> {
                Ok(lexicon::for_each(
                    self.conn(),
                    lang_a,
                    lang_b,
                    min_weight,
                    f,
                )?)
            }

            fn for_each_lexicon_of(
                &self,
                lang_a: &str,
                lang_b: &str,
                a: &str,
                min_weight: f64,
                f: &mut dyn FnMut(&str, f64),
            ) -> Result<()> {
                Ok(lexicon::for_each_of(
                    self.conn(),
                    lang_a,
                    lang_b,
                    a,
                    min_weight,
                    f,
                )?)
            }

            fn lexicon_counts(&self) -> Result<Vec<LexiconCount>> {
                Ok(lexicon::counts(self.conn())?)
            }

            fn lexicon_lookup(&self, key: &str, limit: usize) -> Result<Vec<LexiconEntry>> {
                Ok(lexicon::lookup(self.conn(), key, limit)?)
            }

            fn for_each_index_segment(
                &self,
                lang: &Lang,
                f: &mut dyn FnMut(&Segment, &mut dyn Iterator<Item = usize>),
            ) -> Result<()> {
                Ok(index::read_lang(self.conn(), lang, f)?)
            }

            fn for_each_index_segment_after(
                &self,
                lang: &Lang,
                after: i64,
                f: &mut dyn FnMut(&Segment, &mut dyn Iterator<Item = usize>),
            ) -> Result<()> {
                Ok(index::read_lang_after(self.conn(), lang, after, f)?)
            }

            fn index_state(&self) -> Result<IndexState> {
                Ok(index::state(self.conn())?)
            }

            fn changed_units(&self, seq: i64) -> Result<Vec<i64>> {
                Ok(index::changed_since(self.conn(), seq)?)
            }

            fn variants_of(
                &self,
                lang: &Lang,
                units: &[i64],
                f: &mut dyn FnMut(i64, i64, &str) -> Result<()>,
            ) -> Result<()> {
                Ok(units::variants_of(self.conn(), lang, units, f)?)
            }

            fn index_sizes(&self) -> Result<Vec<IndexSize>> {
                Ok(index::sizes(self.conn())?)
            }

            fn stats(&self) -> Result<Stats> {
                Ok(stats::stats(
                    self.conn(),
                    self.db.path.display().to_string(),
                    self.db.size(),
                )?)
            }

            fn summary(&self) -> Result<Summary> {
                Ok(stats::summary(self.conn())?)
            }
        }
    };
}

impl_reader!(SqliteReader<'_>);
impl_reader!(SqliteWriter<'_>);

impl Writer for SqliteWriter<'_> {
    fn commit(mut self: Box<Self>) -> Result<()> {
        self.guard
            .conn
            .execute_batch("COMMIT")
            .map_err(|e| Error::from(crate::error::SqlError::from(e)))?;
        self.open = false;
        Ok(())
    }

    fn new_batch(&mut self, kind: &str, source: &str) -> Result<i64> {
        Ok(batches::new_batch(self.conn(), kind, source)?)
    }

    fn remove_batch(&mut self, id: i64) -> Result<Option<Removed>> {
        let removed = batches::remove_batch(self.conn(), id)?;
        if removed.is_some_and(|r| r.concepts > 0) {
            glossary::changed(self.conn())?;
        }
        Ok(removed)
    }

    fn add_document(&mut self, doc: &NewDocument) -> Result<i64> {
        Ok(documents::add(self.conn(), doc)?)
    }

    fn remove_document(&mut self, id: i64) -> Result<usize> {
        Ok(documents::remove(self.conn(), id)?)
    }

    fn set_document_langs(&mut self, id: i64, langs: &[String]) -> Result<()> {
        Ok(documents::set_langs(self.conn(), id, langs)?)
    }

    fn units(&mut self, batch: i64, policy: OnDuplicate) -> Result<Box<dyn UnitSink + '_>> {
        Ok(Box::new(Sink(units::UnitWriter::new(
            self.conn(),
            batch,
            policy,
        ))))
    }

    fn delete_units(&mut self, ids: &[i64]) -> Result<usize> {
        Ok(units::delete_units(self.conn(), ids)?)
    }

    fn set_variant(&mut self, unit: i64, variant: &NewVariant) -> Result<bool> {
        Ok(units::set_variant(self.conn(), unit, variant)?)
    }

    fn remove_variant(&mut self, unit: i64, lang: &Lang) -> Result<bool> {
        Ok(units::remove_variant(self.conn(), unit, lang)?)
    }

    fn rebuild_index(&mut self) -> Result<()> {
        index::rebuild(self.conn())?;
        Ok(index::new_epoch(self.conn())?)
    }

    fn insert_concept(
        &mut self,
        domain: Option<&str>,
        note: Option<&str>,
        source: Option<&str>,
        batch: Option<i64>,
    ) -> Result<i64> {
        glossary::changed(self.conn())?;
        Ok(glossary::insert_concept(
            self.conn(),
            domain,
            note,
            source,
            batch,
        )?)
    }

    fn update_concept(&mut self, id: i64, fields: &ConceptFields) -> Result<()> {
        glossary::changed(self.conn())?;
        Ok(glossary::update_concept(self.conn(), id, fields)?)
    }

    fn delete_concepts(&mut self, ids: &[i64]) -> Result<usize> {
        glossary::changed(self.conn())?;
        Ok(glossary::delete_concepts(self.conn(), ids)?)
    }

    fn insert_term(
        &mut self,
        concept: i64,
        term: &NewTerm,
        status: TermStatus,
        position: i64,
    ) -> Result<i64> {
        glossary::changed(self.conn())?;
        Ok(glossary::insert_term(
            self.conn(),
            concept,
            term,
            status,
            position,
        )?)
    }

    fn update_term(&mut self, term: i64, status: TermStatus, position: i64) -> Result<()> {
        glossary::changed(self.conn())?;
        Ok(glossary::update_term(self.conn(), term, status, position)?)
    }

    fn delete_term(&mut self, term: i64) -> Result<bool> {
        glossary::changed(self.conn())?;
        Ok(glossary::delete_term(self.conn(), term)?)
    }

    fn add_lexicon_entry(
        &mut self,
        batch: i64,
        source: &str,
        entry: &LexiconEntry,
    ) -> Result<bool> {
        Ok(lexicon::add_entry(self.conn(), batch, source, entry)?)
    }
}

/// The unit writer behind the store interface.
struct Sink<'t>(units::UnitWriter<'t>);

impl UnitSink for Sink<'_> {
    fn add(&mut self, unit: &NewUnit) -> Result<Written> {
        Ok(self.0.add(unit)?)
    }

    fn finish(self: Box<Self>) -> Result<WriteStats> {
        Ok(self.0.finish()?)
    }
}

//! The SQLite backend of the store: one file (bundled SQLite, WAL,
//! foreign keys on) holding documents, units and their variants, glossary
//! concepts and terms, a bilingual lexicon and the fuzzy index.
//!
//! [`SqliteDb`] implements [`polytm_store::Database`]; nothing else leaves
//! this crate, and no SQLite type does. One writer connection (its
//! transaction begins `IMMEDIATE`, so a second process waits for the first
//! instead of failing half-way), and a pool of reader connections that WAL
//! lets read while the writer writes.

mod batches;
mod db;
mod documents;
mod error;
mod export;
mod glossary;
mod index;
mod lexicon;
mod schema;
mod stats;
mod units;

use std::io::Read;
use std::path::Path;

#[cfg(test)]
use rusqlite::Transaction;
use rusqlite::{Connection, OpenFlags};

pub use db::SqliteDb;

use crate::error::Result;
use polytm_core::error::{Error, display_path};

/// The page cache of a reader connection, in KiB (the writer's is 64 MiB).
const READER_CACHE_KIB: u32 = 8192;

/// One open connection to a database, configured and migrated.
pub(crate) struct Store {
    pub conn: Connection,
}

impl Store {
    /// Open the database at `path`, creating it (and its schema) when the
    /// file does not exist; migrate an older schema; refuse a file that is
    /// not SQLite, not polytm's, or written by a newer polytm.
    pub fn open(path: &Path) -> polytm_core::Result<Store> {
        let name = display_path(path);
        let db_err = |msg: String| Error::Db {
            file: name.clone(),
            msg,
        };
        check_header(path).map_err(&db_err)?;
        if let Some(dir) = path.parent()
            && !dir.as_os_str().is_empty()
            && !dir.is_dir()
        {
            return Err(db_err(format!("folder {} does not exist", dir.display())));
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| db_err(e.to_string()))?;
        let mut store = Store { conn };
        store.configure().map_err(|e| named(e.into(), &name))?;
        store.migrate().map_err(|e| named(e.into(), &name))?;
        Ok(store)
    }

    /// A further connection to a database [`Store::open`] has opened (and
    /// migrated): for reading.
    pub fn open_reader(path: &Path) -> polytm_core::Result<Store> {
        let name = display_path(path);
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| Error::Db {
            file: name.clone(),
            msg: e.to_string(),
        })?;
        let store = Store { conn };
        store.configure().map_err(|e| named(e.into(), &name))?;
        // Readers look up scattered units (proposals, concordance) or scan
        // (exports, index builds): pages seldom come back, and the system's
        // file cache keeps them anyway. 8 MiB holds the b-trees' upper
        // levels; the 64 MiB of the writer (imports) would cost each pooled
        // reader up to that much: the 1M-unit batch ran 8 % slower with it,
        // the time going to allocating cache pages, and peaked at 271 MB
        // against 220.
        store
            .conn
            .execute_batch(&format!("PRAGMA cache_size = -{READER_CACHE_KIB};"))
            .map_err(|e| named(crate::error::SqlError::from(e).into(), &name))?;
        Ok(store)
    }

    /// An in-memory database with the current schema (tests).
    #[cfg(test)]
    pub fn in_memory() -> Result<Store> {
        let conn = Connection::open_in_memory()?;
        let mut store = Store { conn };
        store.configure()?;
        store.migrate()?;
        Ok(store)
    }

    /// A connection to a shared in-memory database (`uri` names it), with
    /// the schema when `create`.
    fn memory_uri(uri: &str, create: bool) -> Result<Store> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(uri, flags)?;
        let mut store = Store { conn };
        store.configure()?;
        if create {
            store.migrate()?;
        }
        Ok(store)
    }

    fn configure(&self) -> Result<()> {
        self.conn.busy_timeout(std::time::Duration::from_secs(10))?;
        // A new file gets 16 KiB pages (it takes effect only before the
        // first table, and stays for the life of the file): a million-unit
        // import spends a tenth less CPU than with 4 KiB pages (shallower
        // b-trees, fewer WAL frames), and the index's blobs span fewer
        // overflow pages. Older files keep theirs.
        self.conn.execute_batch("PRAGMA page_size = 16384")?;
        // journal_mode returns a row; WAL is refused for :memory: (stays "memory").
        let _: String = self
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        self.conn.execute_batch(
            "PRAGMA foreign_keys = ON;
             PRAGMA synchronous = NORMAL;
             PRAGMA temp_store = MEMORY;
             PRAGMA cache_size = -65536;",
        )?;
        // Plan a statement once, not at every run: without this, SQLite
        // re-prepares a statement whose plan could depend on the value
        // bound to a parameter, at every new binding. The unit lookup of
        // every proposal was re-parsed and re-planned each time (4x its
        // cost: 29 against 6.5 us on a 54k TM); no statement of ours
        // gains from plans per value (no LIKE, no statistics).
        self.conn.set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
            true,
        )?;
        Ok(())
    }

    /// The schema version of the open file.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    fn migrate(&mut self) -> Result<()> {
        let version = self.schema_version()?;
        let app: i64 = self
            .conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))?;
        let tables: i64 = self.conn.query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
            [],
            |r| r.get(0),
        )?;
        if app != schema::APPLICATION_ID && (app != 0 || tables > 0) {
            return Err(
                Error::other("an SQLite database, but not a polytm translation memory").into(),
            );
        }
        let latest = schema::latest();
        if version > latest {
            return Err(Error::other(format!(
                "written by a newer polytm (schema version {version}; this build knows up to {latest}); upgrade polytm"
            ))
            .into());
        }
        if version == latest {
            return Ok(());
        }
        let tx = self.conn.transaction()?;
        for (i, m) in schema::MIGRATIONS.iter().enumerate().skip(version as usize) {
            match m {
                schema::Migration::Sql(sql) => tx.execute_batch(sql)?,
                schema::Migration::Code(f) => f(&tx)?,
            }
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        }
        tx.pragma_update(None, "application_id", schema::APPLICATION_ID)?;
        tx.commit()?;
        Ok(())
    }

    /// A transaction (tests; the backend's writer begins its own).
    #[cfg(test)]
    pub fn transaction(&mut self) -> Result<Transaction<'_>> {
        Ok(self.conn.transaction()?)
    }
}

/// A non-empty file must start with the SQLite magic string.
fn check_header(path: &Path) -> std::result::Result<(), String> {
    let mut f = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(path, e).to_string()),
    };
    if f.metadata().map(|m| m.is_dir()).unwrap_or(false) {
        return Err("is a folder, not a database file".into());
    }
    let mut head = [0u8; 16];
    let n = f.read(&mut head).map_err(|e| e.to_string())?;
    if n == 0 {
        return Ok(());
    }
    if n < 16 || &head != b"SQLite format 3\0" {
        return Err("not a polytm database (not an SQLite file)".into());
    }
    Ok(())
}

/// Name the database file on a database error raised without it.
fn named(e: Error, file: &str) -> Error {
    match e {
        Error::Db { file: f, msg } if f.is_empty() => Error::Db {
            file: file.to_string(),
            msg,
        },
        Error::Other(msg) => Error::Db {
            file: file.to_string(),
            msg,
        },
        e => e,
    }
}

#[cfg(test)]
pub(crate) use batches::new_batch;

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    #[test]
    fn creates_and_reopens() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("tm.db");
        {
            let s = Store::open(&p).unwrap();
            assert_eq!(s.schema_version().unwrap(), schema::latest());
            let fk: i64 = s
                .conn
                .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
                .unwrap();
            assert_eq!(fk, 1);
            let mode: String = s
                .conn
                .query_row("PRAGMA journal_mode", [], |r| r.get(0))
                .unwrap();
            assert_eq!(mode, "wal");
            let page: i64 = s
                .conn
                .query_row("PRAGMA page_size", [], |r| r.get(0))
                .unwrap();
            assert_eq!(page, 16384);
        }
        let s = Store::open(&p).unwrap();
        assert_eq!(s.schema_version().unwrap(), schema::latest());
        // the writer caches 64 MiB (imports), a reader 8 MiB
        let cache = |s: &Store| -> i64 {
            s.conn
                .query_row("PRAGMA cache_size", [], |r| r.get(0))
                .unwrap()
        };
        assert_eq!(cache(&s), -65536);
        assert_eq!(cache(&Store::open_reader(&p).unwrap()), -8192);
    }

    #[test]
    fn refuses_non_sqlite_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("notes.db");
        std::fs::write(&p, "hello, this is not a database at all").unwrap();
        let e = Store::open(&p).err().unwrap();
        assert!(e.to_string().contains("not an SQLite file"), "{e}");
        assert!(e.to_string().contains("notes.db"), "{e}");
        assert_eq!(
            std::fs::read_to_string(&p).unwrap(),
            "hello, this is not a database at all"
        );
    }

    #[test]
    fn refuses_foreign_sqlite_and_newer_schema() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("other.db");
        Connection::open(&p)
            .unwrap()
            .execute_batch("CREATE TABLE t(x)")
            .unwrap();
        let e = Store::open(&p).err().unwrap();
        assert!(e.to_string().contains("not a polytm"), "{e}");

        let p = dir.path().join("newer.db");
        drop(Store::open(&p).unwrap());
        Connection::open(&p)
            .unwrap()
            .pragma_update(None, "user_version", 999)
            .unwrap();
        let e = Store::open(&p).err().unwrap();
        assert!(e.to_string().contains("newer polytm"), "{e}");
        assert_eq!(e.exit_code(), polytm_core::error::exit::DATABASE);
    }

    #[test]
    fn missing_folder_is_an_error() {
        let e = Store::open(Path::new("/nonexistent-dir-polytm/x.db"))
            .err()
            .unwrap();
        assert!(e.to_string().contains("does not exist"), "{e}");
    }

    #[test]
    fn rolled_back_transaction_leaves_nothing() {
        let mut s = Store::in_memory().unwrap();
        {
            let tx = s.transaction().unwrap();
            new_batch(&tx, "import", "x.tmx").unwrap();
            // dropped without commit
        }
        let n: i64 = s
            .conn
            .query_row("SELECT count(*) FROM batches", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0);
    }
}

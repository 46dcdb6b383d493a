//! What every integration test shares: a temporary translation memory that
//! the real binary works on ([`Tm`]), the fixtures, JSON output, and a
//! snapshot of everything a database holds, read through the store
//! interface (`polytm-store` on `polytm-sqlite`, as the engine reads it;
//! no test touches SQLite itself).
//!
//! Each test file is its own crate and uses a part of this module.
#![allow(dead_code)]

pub mod pg;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

use polytm_postgres as pgstore;
use polytm_sqlite::SqliteDb;
use polytm_store::{Database, Reader, Stats, Writer};
use polytm_text::lang::Lang;

/// `polytm --db DB --quiet`, whatever `$POLYTM_DB` says.
pub fn polytm(db: &Path) -> Command {
    Command::from_std(polytm_process(db))
}

/// The same as a plain process, for what the test harness does not offer
/// (pipes closed early, other standard outputs, limits).
pub fn polytm_process(db: &Path) -> std::process::Command {
    let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("polytm"));
    c.arg("--db").arg(db).arg("--quiet").env_remove("POLYTM_DB");
    c
}

/// A file of `tests/fixtures/`, e.g. `fixture("tmx/sample.tmx")`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The glossary polytm ships.
pub fn shipped_glossary() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("glossaries/sco-counter-narcotics.tsv")
}

/// Run, expect success; standard output.
pub fn stdout(c: &mut Command) -> String {
    let out = c.output().unwrap();
    assert!(
        out.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Run, expect a failure: (exit code, stderr).
pub fn fails(c: &mut Command) -> (i32, String) {
    let out = c.output().unwrap();
    assert!(!out.status.success(), "unexpectedly succeeded");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// The (band, segments) rows of a `pretranslate`/`analyze --json` total,
/// in their order; `non_zero` leaves out the empty bands.
pub fn bands(total: &Value, non_zero: bool) -> Vec<(String, u64)> {
    total["bands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["band"].as_str().unwrap().to_string(),
                b["segments"].as_u64().unwrap(),
            )
        })
        .filter(|b| !non_zero || b.1 > 0)
        .collect()
}

/// Run, expect success; standard output as JSON.
pub fn json(c: &mut Command) -> Value {
    let out = stdout(c);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

/// `polytm match --from A --to B --json EXTRA... QUERY`: the proposals.
pub fn matches(db: &Path, from: &str, to: &str, extra: &[&str], query: &str) -> Vec<Value> {
    let v = json(
        polytm(db)
            .args(["match", "--from", from, "--to", to, "--json"])
            .args(extra)
            .arg(query),
    );
    v.as_array().unwrap().clone()
}

/// A translation memory in a temporary folder (created on first use, as
/// the binary creates it), and that folder for other files.
pub struct Tm {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
}

impl Tm {
    pub fn new() -> Tm {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("tm.db");
        Tm { dir, db }
    }

    /// A TM at `db` (a file or a `postgres://` URL), with a temporary
    /// folder for other files.
    pub fn at(db: impl Into<PathBuf>) -> Tm {
        Tm {
            dir: tempfile::tempdir().unwrap(),
            db: db.into(),
        }
    }

    /// `polytm` on this TM.
    pub fn cmd(&self) -> Command {
        Command::from_std(self.process())
    }

    /// `polytm` on this TM, as a plain process (index files of a database
    /// on a server kept in the TM's folder, not the user's cache).
    pub fn process(&self) -> std::process::Command {
        let mut c = polytm_process(&self.db);
        if is_url(&self.db) {
            c.env("XDG_CACHE_HOME", self.dir.path().join("cache"));
        }
        c
    }

    /// A file in the TM's folder.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `polytm VERB --from en --to ru ARGS…` on this TM.
    pub fn en_ru(&self, verb: &str, args: &[&str]) -> Command {
        let mut c = self.cmd();
        c.args([verb, "--from", "en", "--to", "ru"]).args(args);
        c
    }

    /// A file in the TM's folder, written with `text`.
    pub fn file(&self, name: &str, text: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    /// Run; (exit code, stdout, stderr).
    pub fn run(&self, args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
        let mut c = self.cmd();
        c.args(args);
        if let Some(s) = stdin {
            c.write_stdin(s);
        }
        let out = c.output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// Run, expect success; standard output.
    pub fn ok(&self, args: &[&str]) -> String {
        stdout(self.cmd().args(args))
    }

    /// Run (with `stdin`), expect success; standard output as JSON.
    pub fn json(&self, args: &[&str], stdin: Option<&str>) -> Value {
        let mut c = self.cmd();
        c.args(args);
        if let Some(s) = stdin {
            c.write_stdin(s);
        }
        json(&mut c)
    }

    /// `f` on a reader of the database.
    pub fn read<T>(&self, f: impl FnOnce(&dyn Reader) -> T) -> T {
        read(&self.db, f)
    }

    /// Counts of everything (`polytm stats`).
    pub fn stats(&self) -> Stats {
        self.read(|r| r.stats().unwrap())
    }

    /// `f` in a write transaction, committed: a change made behind the
    /// binary's back.
    pub fn write(&self, f: impl FnOnce(&mut dyn Writer)) {
        let db = open(&self.db);
        let mut w = db.writer().unwrap();
        f(w.as_mut());
        w.commit().unwrap();
    }

    /// Everything a failed command must leave alone.
    pub fn snapshot(&self) -> String {
        snapshot(&self.db)
    }
}

/// The database at `db`: a file, or a `postgres://` URL.
pub fn open(db: &Path) -> std::sync::Arc<dyn Database> {
    match db.to_str().filter(|s| pgstore::is_url(s)) {
        Some(url) => std::sync::Arc::new(pgstore::PgDb::open(url).unwrap()),
        None => std::sync::Arc::new(SqliteDb::open(db).unwrap()),
    }
}

fn is_url(db: &Path) -> bool {
    db.to_str().is_some_and(pgstore::is_url)
}

/// `f` on a reader of the database at `db`.
pub fn read<T>(db: &Path, f: impl FnOnce(&dyn Reader) -> T) -> T {
    assert!(is_url(db) || db.exists(), "{}: no database", db.display());
    let db = open(db);
    let r = db.reader().unwrap();
    f(r.as_ref())
}

/// Ids of every unit, through the languages they are written in.
pub fn unit_ids(r: &dyn Reader) -> Vec<i64> {
    let mut ids = BTreeSet::new();
    for l in r.stats().unwrap().languages {
        r.for_each_variant(&Lang::from_key(&l.lang), &mut |unit, _, _| {
            ids.insert(unit);
            Ok(())
        })
        .unwrap();
    }
    ids.into_iter().collect()
}

/// The fuzzy index of a language as the matcher loads it: per segment,
/// the units of its entries and which entries are current (units changed
/// since the segment was written are left out of it and come in a
/// segment of their own at the end).
pub fn index_segments(r: &dyn Reader, lang: &Lang) -> Vec<(Vec<i64>, Vec<usize>)> {
    let mut segs = Vec::new();
    r.for_each_index_segment(lang, &mut |seg, current| {
        segs.push((seg.units.clone(), current.collect()));
    })
    .unwrap();
    segs
}

/// Everything the database at `db` holds, as text: counts, every unit
/// with its variants (texts exactly as stored), documents, batches,
/// glossary concepts with their terms, lexicon entries, and the fuzzy
/// index. Equal snapshots: the TM is exactly as it was.
pub fn snapshot(db: &Path) -> String {
    if !is_url(db) && !db.exists() {
        return "no database".into();
    }
    read(db, |r| {
        let mut s = String::new();
        let stats = r.stats().unwrap();
        // the name and the size of the file are not its content
        let counts = Stats {
            database: String::new(),
            bytes: 0,
            ..stats.clone()
        };
        writeln!(s, "{counts:?}").unwrap();
        for id in unit_ids(r) {
            writeln!(s, "{:?}", r.unit(id).unwrap()).unwrap();
        }
        for d in r.documents().unwrap() {
            writeln!(s, "{d:?}").unwrap();
        }
        for b in r.batches().unwrap() {
            writeln!(s, "{b:?}").unwrap();
        }
        for c in r.concepts().unwrap() {
            writeln!(s, "{c:?}").unwrap();
        }
        let pairs: BTreeSet<(String, String)> = r
            .lexicon_counts()
            .unwrap()
            .into_iter()
            .map(|c| (c.lang_a, c.lang_b))
            .collect();
        for (a, b) in pairs {
            r.for_each_lexicon(&a, &b, f64::NEG_INFINITY, &mut |x, y, w| {
                writeln!(s, "{a}:{x} = {b}:{y} ({w})").unwrap();
            })
            .unwrap();
        }
        writeln!(s, "{:?}", r.index_sizes().unwrap()).unwrap();
        for l in &stats.languages {
            let lang = Lang::from_key(&l.lang);
            writeln!(s, "{lang}: {:?}", index_segments(r, &lang)).unwrap();
        }
        s
    })
}

/// `s` in a URL's query (form encoding: the server reads `+` as a space).
pub fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// A TM of the fuzzy fixtures (en, ru, zh) with their glossary and the
/// shipped one.
pub fn fixture_tm() -> Tm {
    let tm = Tm::new();
    tm.ok(&["import", fixture("fuzzy/tm.tsv").to_str().unwrap()]);
    tm.ok(&[
        "glossary",
        "import",
        fixture("fuzzy/glossary.tsv").to_str().unwrap(),
    ]);
    tm.ok(&["glossary", "import", shipped_glossary().to_str().unwrap()]);
    tm
}

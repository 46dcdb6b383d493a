//! Large imports through the binary: the fuzzy index written while the
//! file is read (full segments stored during the run) stays exact, a failed
//! large import leaves nothing, and overwrites leave no stale entry.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use rusqlite::Connection;
use serde_json::Value;

fn polytm(db: &Path) -> Command {
    let mut c = Command::cargo_bin("polytm").unwrap();
    c.arg("--db").arg(db).arg("--quiet").env_remove("POLYTM_DB");
    c
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/perf")
        .join(name)
}

fn matches(db: &Path, from: &str, to: &str, extra: &[&str], query: &str) -> Vec<Value> {
    let out = polytm(db)
        .args(["match", "--from", from, "--to", to, "--json"])
        .args(extra)
        .arg(query)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice::<Value>(&out)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

/// (score, unit, source) of each proposal.
fn summary(m: &[Value]) -> Vec<(u64, i64, String)> {
    m.iter()
        .map(|p| {
            (
                p["score"].as_u64().unwrap(),
                p["unit"].as_i64().unwrap(),
                p["source"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The indexed answer and the exhaustive scan agree.
fn same_as_exhaustive(db: &Path, from: &str, to: &str, query: &str) -> Vec<(u64, i64, String)> {
    let indexed = summary(&matches(db, from, to, &["--limit", "5"], query));
    let scanned = summary(&matches(
        db,
        from,
        to,
        &["--limit", "5", "--exhaustive"],
        query,
    ));
    assert_eq!(indexed, scanned, "{query}");
    indexed
}

fn count(db: &Path, sql: &str) -> i64 {
    Connection::open(db)
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

/// Everything a failed import must leave as it was.
fn content(db: &Path) -> Vec<i64> {
    [
        "SELECT count(*) FROM units",
        "SELECT count(*) FROM variants",
        "SELECT count(*) FROM documents",
        "SELECT count(*) FROM batches",
        "SELECT count(*) FROM fuzzy_segments",
        "SELECT coalesce(sum(length(data)), 0) FROM fuzzy_segments",
        "SELECT count(*) FROM fuzzy_stale",
    ]
    .iter()
    .map(|q| count(db, q))
    .collect()
}

#[test]
fn overwriting_within_one_file_leaves_no_stale_match() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tm.db");
    let out = polytm(&db)
        .args(["import", "--on-duplicate", "overwrite"])
        .arg(fixture("overwrite.tsv"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains("3 units added, 2 overwritten"), "{out}");
    // The first Russian text was replaced in the same file: a query for it
    // finds the new text at 80, not the old one at 100.
    let m = same_as_exhaustive(&db, "ru", "en", "Откройте старый файл сейчас.");
    assert_eq!(m[0].0, 80);
    assert_eq!(m[0].2, "Откройте файл сейчас.");
    // The unit lost its Russian and got another Chinese text.
    assert!(same_as_exhaustive(&db, "ru", "en", "Закройте окно.").is_empty());
    let m = same_as_exhaustive(&db, "zh", "en", "关闭窗口。");
    assert_eq!((m[0].0, m[0].2.as_str()), (60, "关上窗户。"));
    let m = same_as_exhaustive(&db, "en", "zh", "Close the window.");
    assert_eq!(m[0].0, 100);
    // The overwrite made the index on source texts (new files have none).
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM sqlite_schema WHERE name = 'units_src'"
        ),
        1
    );
}

/// A TSV of `n` distinct en-ru rows (more than one index segment of
/// 65,536 variants per language); returns the English texts.
fn big_tsv(path: &Path, n: usize, broken_at_end: bool) -> Vec<String> {
    const EN: [&str; 12] = [
        "file", "open", "the", "save", "document", "table", "cell", "sheet", "value", "number",
        "format", "page",
    ];
    const RU: [&str; 12] = [
        "файл",
        "открыть",
        "сохранить",
        "документ",
        "таблица",
        "ячейка",
        "лист",
        "значение",
        "число",
        "текст",
        "формат",
        "страница",
    ];
    let mut s = String::from("en\tru\n");
    let mut en = Vec::with_capacity(n);
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for i in 0..n {
        for (k, words) in [EN, RU].iter().enumerate() {
            let start = s.len();
            for _ in 0..7 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                s.push_str(words[(x % 12) as usize]);
                s.push(' ');
            }
            let _ = write!(s, "{i}.");
            if k == 0 {
                en.push(s[start..].to_string());
            }
            s.push(if k == 0 { '\t' } else { '\n' });
        }
    }
    if broken_at_end {
        s.push_str("a line without a tab\n");
    }
    std::fs::write(path, s).unwrap();
    en
}

#[test]
fn a_large_import_stores_the_index_as_it_goes_and_stays_exact() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tm.db");
    polytm(&db)
        .arg("import")
        .arg(fixture("overwrite.tsv"))
        .assert()
        .success();
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM sqlite_schema WHERE name = 'units_src'"
        ),
        0
    );
    let before = content(&db);
    // The last line is broken: segments were stored during the run, and
    // all of it is rolled back.
    let bad = dir.path().join("big-bad.tsv");
    big_tsv(&bad, 70_000, true);
    polytm(&db)
        .arg("import")
        .arg(&bad)
        .assert()
        .code(3)
        .stderr(predicates::str::contains("big-bad.tsv:70002:"));
    assert_eq!(content(&db), before);

    let good = dir.path().join("big.tsv");
    let en = big_tsv(&good, 70_000, false);
    polytm(&db).arg("import").arg(&good).assert().success();
    assert_eq!(
        count(
            &db,
            "SELECT sum(entries) FROM fuzzy_segments WHERE lang = 'en'"
        ),
        70_000 + 5
    );
    assert!(count(&db, "SELECT count(*) FROM fuzzy_segments WHERE lang = 'en'") >= 2);
    assert_eq!(count(&db, "SELECT count(*) FROM fuzzy_stale"), 0);
    // Units from the first segment, the second (written at the end) and
    // the earlier import; exact and changed.
    let m = same_as_exhaustive(&db, "en", "ru", &en[5]);
    assert_eq!((m[0].0, m[0].2.as_str()), (100, en[5].as_str()));
    let changed = en[69_999].replace("69999", "70000");
    let m = same_as_exhaustive(&db, "en", "ru", &changed);
    assert_eq!(m[0].2, en[69_999]);
    assert!((80..100).contains(&m[0].0), "{m:?}");
    let m = same_as_exhaustive(&db, "en", "ru", "Close the window.");
    assert_eq!(m[0].0, 100);
}

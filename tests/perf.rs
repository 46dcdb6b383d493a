//! Large imports through the binary: the fuzzy index written while the
//! file is read (full segments stored during the run) stays exact, a failed
//! large import leaves nothing, and overwrites leave no stale entry.

mod common;

use std::fmt::Write as _;
use std::path::Path;

use serde_json::Value;

use polytm_text::lang::Lang;

use common::{Tm, fixture, index_segments, matches, stdout};

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

#[test]
fn overwriting_within_one_file_leaves_no_stale_match() {
    let tm = Tm::new();
    let out = stdout(
        tm.cmd()
            .args(["import", "--on-duplicate", "overwrite"])
            .arg(fixture("perf/overwrite.tsv")),
    );
    assert!(out.contains("3 units added, 2 overwritten"), "{out}");
    // The first Russian text was replaced in the same file: a query for it
    // finds the new text at 80, not the old one at 100.
    let m = same_as_exhaustive(&tm.db, "ru", "en", "Откройте старый файл сейчас.");
    assert_eq!(m[0].0, 80);
    assert_eq!(m[0].2, "Откройте файл сейчас.");
    // The unit lost its Russian and got another Chinese text.
    assert!(same_as_exhaustive(&tm.db, "ru", "en", "Закройте окно.").is_empty());
    let m = same_as_exhaustive(&tm.db, "zh", "en", "关闭窗口。");
    assert_eq!((m[0].0, m[0].2.as_str()), (60, "关上窗户。"));
    let m = same_as_exhaustive(&tm.db, "en", "zh", "Close the window.");
    assert_eq!(m[0].0, 100);
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
    let tm = Tm::new();
    tm.cmd()
        .arg("import")
        .arg(fixture("perf/overwrite.tsv"))
        .assert()
        .success();
    let before = tm.snapshot();
    // The last line is broken: segments were stored during the run, and
    // all of it is rolled back.
    let bad = tm.path("big-bad.tsv");
    big_tsv(&bad, 70_000, true);
    tm.cmd()
        .arg("import")
        .arg(&bad)
        .assert()
        .code(3)
        .stderr(predicates::str::contains("big-bad.tsv:70002:"));
    assert_eq!(tm.snapshot(), before);

    let good = tm.path("big.tsv");
    let en = big_tsv(&good, 70_000, false);
    tm.cmd().arg("import").arg(&good).assert().success();
    // More than one segment of English, every entry current: nothing was
    // left for later maintenance, and nothing is missing.
    let (sizes, segments) = tm.read(|r| (r.index_sizes().unwrap(), index_segments(r, &Lang::en())));
    let en_size = sizes.iter().find(|s| s.lang == "en").unwrap();
    assert_eq!(en_size.entries, 70_000 + 5);
    assert!(segments.len() >= 2, "{} segments", segments.len());
    let entries: usize = segments.iter().map(|(units, _)| units.len()).sum();
    assert_eq!(
        entries,
        70_000 + 5,
        "no segment of changed units at the end"
    );
    for (units, current) in &segments {
        assert_eq!(current.len(), units.len(), "no entry left out as stale");
    }
    // Units from the first segment, the second (written at the end) and
    // the earlier import; exact and changed.
    let m = same_as_exhaustive(&tm.db, "en", "ru", &en[5]);
    assert_eq!((m[0].0, m[0].2.as_str()), (100, en[5].as_str()));
    let changed = en[69_999].replace("69999", "70000");
    let m = same_as_exhaustive(&tm.db, "en", "ru", &changed);
    assert_eq!(m[0].2, en[69_999]);
    assert!((80..100).contains(&m[0].0), "{m:?}");
    let m = same_as_exhaustive(&tm.db, "en", "ru", "Close the window.");
    assert_eq!(m[0].0, 100);
}

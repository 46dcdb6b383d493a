//! `polytm match` and `polytm concordance` run as a user would, on a small
//! trilingual TM (tests/fixtures/fuzzy/): the JSON contract, scores,
//! repairs, batch mode, the index against the exhaustive scan, the index
//! following deletions and edits, bad input, a damaged index.

mod common;

use predicates::prelude::*;
use serde_json::Value;

use polytm_text::lang::Lang;

use common::{Tm, fixture, json, matches, stdout};

/// A TM with the fixture units (and the glossary when asked).
fn fuzzy_tm(glossary: bool) -> Tm {
    let tm = Tm::new();
    if glossary {
        tm.cmd()
            .args(["glossary", "import"])
            .arg(fixture("fuzzy/glossary.tsv"))
            .assert()
            .success();
    }
    tm.cmd()
        .arg("import")
        .arg(fixture("fuzzy/tm.tsv"))
        .assert()
        .success();
    tm
}

#[test]
fn json_contract_best_first_with_diff() {
    let tm = fuzzy_tm(false);
    let m = matches(&tm.db, "en", "ru", &[], "Delete the selected files.");
    assert!(m.len() >= 2);
    assert_eq!(m[0]["score"], 100);
    assert_eq!(m[0]["source"], "Delete the selected files.");
    assert_eq!(m[0]["target"], "Удалить выбранные файлы.");
    assert_eq!(m[0]["repaired"], false);
    assert!(m[0]["unit"].as_i64().unwrap() > 0);
    assert_eq!(m[0]["document"], "tm.tsv");
    // best first, every score >= 50, integer percentages
    let scores: Vec<u64> = m.iter().map(|p| p["score"].as_u64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    assert!(scores.iter().all(|&s| (50..=100).contains(&s)));
    // "Delete the selected file." differs in one token of five: 80
    let file = m
        .iter()
        .find(|p| p["source"] == "Delete the selected file.")
        .unwrap();
    assert_eq!(file["score"], 80);
    assert_eq!(file["diff"], "Delete the selected [-file-]{+files+}.");
}

#[test]
fn case_spacing_and_punctuation_cost_a_point_or_two() {
    let tm = fuzzy_tm(false);
    let m = matches(
        &tm.db,
        "en",
        "ru",
        &["--limit", "1"],
        "delete  the SELECTED files.",
    );
    assert_eq!(m[0]["score"], 99);
    let m = matches(
        &tm.db,
        "en",
        "ru",
        &["--limit", "1"],
        "Delete the selected files",
    );
    assert_eq!(m[0]["score"], 98);
    assert_eq!(m[0]["target"], "Удалить выбранные файлы.");
}

#[test]
fn numbers_and_months_are_repaired_in_russian_and_chinese() {
    let tm = fuzzy_tm(false);
    let q = "On 20 June 2019, the 9th Meeting of Heads of Competent Authorities of the SCO Member States was held in Tianjin.";
    let ru = matches(&tm.db, "en", "ru", &["--limit", "1"], q);
    assert_eq!(ru[0]["repaired"], true);
    assert_eq!(
        ru[0]["target"],
        "20 июня 2019 года в Тяньцзине состоялось 9-е совещание руководителей компетентных органов государств-членов ШОС."
    );
    assert_eq!(
        ru[0]["original_target"],
        "17 мая 2018 года в Тяньцзине состоялось 8-е совещание руководителей компетентных органов государств-членов ШОС."
    );
    // the score is that of the TM source: 4 of 23 tokens changed
    assert_eq!(ru[0]["score"], 82);
    let kinds: Vec<&str> = ru[0]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"month") && kinds.contains(&"number"),
        "{kinds:?}"
    );
    let zh = matches(&tm.db, "en", "zh", &["--limit", "1"], q);
    assert_eq!(
        zh[0]["target"],
        "2019年6月20日，上合组织成员国主管部门领导人第九次会议在天津举行。"
    );
    // --no-repair gives the TM target as it is
    let plain = matches(&tm.db, "en", "ru", &["--limit", "1", "--no-repair"], q);
    assert_eq!(plain[0]["repaired"], false);
    assert_eq!(plain[0]["target"], ru[0]["original_target"]);
    // grouping and decimals follow the target's conventions
    let m = matches(&tm.db, "en", "ru", &["--limit", "1"], "Total: 2,750 units.");
    assert_eq!(m[0]["target"], "Всего: 2 750 единиц.");
    let m = matches(
        &tm.db,
        "en",
        "ru",
        &["--limit", "1"],
        "The file is 4.25 MB.",
    );
    assert_eq!(m[0]["target"], "Размер файла — 4,25 МБ.");
}

#[test]
fn glossary_terms_are_repaired_and_listed() {
    let tm = fuzzy_tm(true);
    let q = "The delegation of the Ministry of Internal Affairs of the Kyrgyz Republic arrived on 3 June.";
    let ru = matches(&tm.db, "en", "ru", &["--limit", "1"], q);
    assert_eq!(ru[0]["repaired"], true);
    let t = ru[0]["target"].as_str().unwrap();
    assert!(
        t.contains("Министерства внутренних дел Кыргызской Республики"),
        "{t}"
    );
    assert!(!t.contains("Казахстан"), "{t}");
    assert!(
        ru[0]["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["kind"] == "term")
    );
    let zh = matches(&tm.db, "en", "zh", &["--limit", "1"], q);
    let t = zh[0]["target"].as_str().unwrap();
    assert!(t.contains("吉尔吉斯") && !t.contains("哈萨克斯坦"), "{t}");
    // people see the query's glossary terms with their Russian names
    tm.cmd()
        .args(["match", "--from", "en", "--to", "ru", q])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("Glossary terms in the query:").and(predicate::str::contains(
                "Ministry of Internal Affairs of the Kyrgyz Republic → Министерство внутренних дел Кыргызской Республики",
            )),
        );
}

#[test]
fn people_get_a_readable_listing() {
    let tm = fuzzy_tm(false);
    tm.cmd()
        .args([
            "match",
            "--from",
            "en",
            "--to",
            "ru",
            "Delete the selected files now.",
        ])
        .assert()
        .success()
        .stdout(
            predicate::str::contains(" 83%")
                .and(predicate::str::contains(
                    "diff    Delete the selected files {+now+}.",
                ))
                .and(predicate::str::contains("target  Удалить выбранные файлы.")),
        );
    tm.cmd()
        .args([
            "match",
            "--from",
            "en",
            "--to",
            "ru",
            "Completely unrelated words here",
        ])
        .assert()
        .success()
        .stdout("No match at or above 50%.\n");
}

#[test]
fn units_without_the_target_language_are_not_proposed() {
    let tm = fuzzy_tm(false);
    let ru = matches(&tm.db, "en", "ru", &["--limit", "1"], "Remove the filter.");
    assert_eq!(ru[0]["score"], 100);
    let zh = matches(&tm.db, "en", "zh", &["--limit", "1"], "Remove the filter.");
    assert!(
        zh.iter().all(|p| p["source"] != "Remove the filter."),
        "{zh:?}"
    );
    // Russian and Chinese are sources too
    let en = matches(
        &tm.db,
        "ru",
        "en",
        &["--limit", "1"],
        "Удалить выбранные файлы",
    );
    assert_eq!(en[0]["target"], "Delete the selected files.");
    let en = matches(&tm.db, "zh", "en", &["--limit", "1"], "删除所选文件");
    assert_eq!(en[0]["target"], "Delete the selected file.");
}

#[test]
fn batch_mode_tsv_and_json_lines() {
    let tm = fuzzy_tm(false);
    let out = stdout(
        tm.cmd()
            .args(["match", "--from", "en", "--to", "ru", "--file"])
            .arg(fixture("fuzzy/queries.txt")),
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 7);
    assert!(
        lines[0].starts_with("1\t82\t20 июня 2019 года"),
        "{}",
        lines[0]
    );
    assert_eq!(
        lines[1],
        "2\t100\tУдалить выбранные файлы.\tDelete the selected files."
    );
    assert!(lines[2].starts_with("3\t98\t"), "{}", lines[2]);
    assert_eq!(lines[3], "4\t\t\t");
    assert_eq!(lines[5], "6\t\t\t");
    // JSON lines, from standard input
    let out = stdout(
        tm.cmd()
            .args([
                "match", "--from", "en", "--to", "ru", "--json", "--limit", "2", "--file", "-",
            ])
            .write_stdin("Open the file.\nClose all windows!\n"),
    );
    let rows: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["n"], 1);
    assert_eq!(rows[0]["matches"][0]["score"], 100);
    assert_eq!(rows[1]["query"], "Close all windows!");
    assert_eq!(rows[1]["matches"][0]["score"], 98);
}

#[test]
fn the_index_agrees_with_the_exhaustive_scan() {
    let tm = fuzzy_tm(false);
    // every fixture source, cut, extended and changed, in all directions
    let text = std::fs::read_to_string(fixture("fuzzy/tm.tsv")).unwrap();
    let mut queries = Vec::new();
    for (i, line) in text.lines().skip(1).enumerate() {
        for col in line.split('\t').filter(|c| !c.is_empty()) {
            let words: Vec<&str> = col.split(' ').collect();
            queries.push(col.to_string());
            queries.push(words[..words.len().div_ceil(2)].join(" "));
            queries.push(format!("{col} and {i} more"));
            if words.len() > 2 {
                let mut w = words.clone();
                w.swap(0, 1);
                queries.push(w.join(" "));
            }
        }
    }
    let input = queries.join("\n") + "\n";
    for (from, to) in [("en", "ru"), ("ru", "zh"), ("zh", "en")] {
        for min in ["30", "50", "75"] {
            let run = |exhaustive: bool| {
                let mut c = tm.cmd();
                c.args([
                    "match", "--from", from, "--to", to, "--json", "--limit", "3", "--min", min,
                    "--file", "-",
                ]);
                if exhaustive {
                    c.arg("--exhaustive");
                }
                stdout(c.write_stdin(input.clone()))
                    .lines()
                    .map(|l| {
                        let v: Value = serde_json::from_str(l).unwrap();
                        v["matches"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|m| (m["score"].as_u64().unwrap(), m["unit"].as_i64().unwrap()))
                            .collect::<Vec<_>>()
                    })
                    .collect::<Vec<_>>()
            };
            let (a, b) = (run(false), run(true));
            assert_eq!(a.len(), queries.len());
            for (i, (x, y)) in a.iter().zip(&b).enumerate() {
                assert_eq!(x, y, "{from}->{to} --min {min}: {}", queries[i]);
            }
        }
    }
}

#[test]
fn the_index_follows_deletions_and_edits() {
    let tm = fuzzy_tm(false);
    let q = "Print the current page.";
    let m = matches(&tm.db, "en", "ru", &["--limit", "1"], q);
    assert_eq!(m[0]["score"], 100);
    let unit = m[0]["unit"].as_i64().unwrap().to_string();
    // an edit: the new English text is what is matched
    tm.cmd()
        .args([
            "unit",
            "edit",
            &unit,
            "--lang",
            "en",
            "Print the current sheet.",
        ])
        .assert()
        .success();
    let m = matches(&tm.db, "en", "ru", &["--limit", "1"], q);
    assert_eq!(m[0]["score"], 80);
    assert_eq!(m[0]["source"], "Print the current sheet.");
    let m = matches(
        &tm.db,
        "en",
        "ru",
        &["--limit", "1"],
        "Print the current sheet.",
    );
    assert_eq!(m[0]["score"], 100);
    // a deleted unit is never proposed
    tm.cmd().args(["unit", "delete", &unit]).assert().success();
    let m = matches(&tm.db, "en", "ru", &[], "Print the current sheet.");
    assert!(
        m.iter()
            .all(|p| p["unit"].as_i64().unwrap().to_string() != unit)
    );
    // removing the import batch removes everything
    tm.cmd().args(["batches", "remove", "1"]).assert().success();
    let m = matches(&tm.db, "en", "ru", &[], "Delete the selected files.");
    assert!(m.is_empty(), "{m:?}");
    // importing again brings them back
    tm.cmd()
        .arg("import")
        .arg(fixture("fuzzy/tm.tsv"))
        .assert()
        .success();
    let m = matches(
        &tm.db,
        "en",
        "ru",
        &["--limit", "1"],
        "Delete the selected files.",
    );
    assert_eq!(m[0]["score"], 100);
}

#[test]
fn bad_input_gets_a_clear_answer() {
    let tm = fuzzy_tm(false);
    let base = ["match", "--from", "en", "--to", "ru"];
    // empty query
    tm.cmd()
        .args(base)
        .arg("   ")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("the query is empty"));
    // --min outside 1..=100
    for min in ["0", "101"] {
        tm.cmd()
            .args(base)
            .args(["--min", min, "Open the file."])
            .assert()
            .code(2);
    }
    // the same language twice, an unknown language
    tm.cmd()
        .args(["match", "--from", "en", "--to", "en-GB", "x"])
        .assert()
        .code(2);
    tm.cmd()
        .args(["match", "--from", "english", "--to", "ru", "x"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean 'en'"));
    // a 100,000-character query: an answer (examples/fuzzy_bench.rs times it)
    let long = "word ".repeat(20_000);
    let m = matches(&tm.db, "en", "ru", &[], &long);
    assert!(m.is_empty());
    tm.cmd()
        .args(base)
        .args(["--exhaustive", &long])
        .assert()
        .success();
    // the wrong script: a warning, and an answer
    tm.cmd()
        .args(base)
        .arg("Удалить выбранные файлы")
        .assert()
        .success()
        .stderr(predicate::str::contains("does not look like en text"));
    // a language with no units
    tm.cmd()
        .args([
            "match",
            "--from",
            "de",
            "--to",
            "ru",
            "--json",
            "Datei öffnen",
        ])
        .assert()
        .success()
        .stdout("[]\n")
        .stderr(predicate::str::contains("no de text"));
    // a batch file that is not there
    tm.cmd()
        .args(base)
        .args(["--file", "/nonexistent/queries.txt"])
        .assert()
        .code(5);
    // a query and a file
    tm.cmd()
        .args(base)
        .arg("--file")
        .arg(fixture("fuzzy/queries.txt"))
        .arg("text")
        .assert()
        .code(2);
}

#[test]
fn concordance_finds_inflections_and_substrings() {
    let tm = fuzzy_tm(false);
    let hits = json(
        tm.cmd()
            .args(["concordance", "--json", "Министерство внутренних дел"]),
    );
    let hits = hits.as_array().unwrap();
    assert_eq!(hits.len(), 2);
    for h in hits {
        let text = h["text"].as_str().unwrap();
        let (a, b) = (
            h["matches"][0]["start"].as_u64().unwrap() as usize,
            h["matches"][0]["end"].as_u64().unwrap() as usize,
        );
        let found: String = text.chars().skip(a).take(b - a).collect();
        assert!(
            found.starts_with("Министерств") && found.ends_with("внутренних дел"),
            "{found}"
        );
        assert!(
            h["variants"]["en"]
                .as_str()
                .unwrap()
                .contains("Ministry of Internal Affairs")
        );
    }
    // --exact: only that form
    let hits = json(tm.cmd().args([
        "concordance",
        "--json",
        "--exact",
        "Министерство внутренних дел",
    ]));
    assert_eq!(hits.as_array().unwrap().len(), 1);
    // Chinese: substrings, highlighted for people
    tm.cmd()
        .args(["concordance", "内务部"])
        .assert()
        .success()
        .stdout(predicate::str::contains("哈萨克斯坦共和国[[内务部]]代表团"));
    // English, case-insensitive, any inflection, --limit
    let hits = json(tm.cmd().args([
        "concordance",
        "--json",
        "--lang",
        "en",
        "--limit",
        "2",
        "SELECTED FILE",
    ]));
    assert_eq!(hits.as_array().unwrap().len(), 2);
    // nothing: [] and exit 0
    let hits = json(tm.cmd().args(["concordance", "--json", "no such phrase"]));
    assert_eq!(hits, serde_json::json!([]));
    tm.cmd()
        .args(["concordance", "2018"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--lang"));
}

#[test]
fn a_damaged_index_is_reported_and_rebuilt() {
    let tm = fuzzy_tm(false);
    damage_index(&tm, &Lang::en());
    tm.cmd()
        .args(["match", "--from", "en", "--to", "ru", "Open the file."])
        .assert()
        .code(4)
        .stderr(
            predicate::str::contains("damaged").and(predicate::str::contains("polytm reindex")),
        );
    tm.cmd()
        .args(["reindex"])
        .assert()
        .success()
        .stdout(predicate::str::contains("en"));
    let m = matches(&tm.db, "en", "ru", &["--limit", "1"], "Open the file.");
    assert_eq!(m[0]["score"], 100);
}

/// Damage the stored fuzzy index of a language in the file, as a failing
/// disk or another tool would: the first byte (the layout version) of each
/// of its segments overwritten.
fn damage_index(tm: &Tm, lang: &Lang) {
    let blobs: Vec<Vec<u8>> = tm.read(|r| {
        let mut blobs = Vec::new();
        r.for_each_index_segment(lang, &mut |seg, _| blobs.push(seg.encode()))
            .unwrap();
        blobs
    });
    assert!(!blobs.is_empty());
    // Every connection is closed: the pages are in the main file, not in
    // a write-ahead log that SQLite would read instead.
    let wal = std::fs::metadata(format!("{}-wal", tm.db.display()));
    assert!(wal.is_err() || wal.unwrap().len() == 0);
    let mut file = std::fs::read(&tm.db).unwrap();
    for blob in &blobs {
        // (a page SQLite freed may hold an identical copy: damage all)
        let places: Vec<usize> = file
            .windows(blob.len())
            .enumerate()
            .filter(|(_, w)| *w == blob.as_slice())
            .map(|(at, _)| at)
            .collect();
        assert!(!places.is_empty(), "a segment is stored whole in one page");
        for at in places {
            file[at] = 0xFF;
        }
    }
    std::fs::write(&tm.db, file).unwrap();
    // without the index files kept beside the database (derived data), the
    // index is read from the damaged segments
    let mut files = tm.db.clone().into_os_string();
    files.push("-fuzzy");
    std::fs::remove_dir_all(&files).unwrap();
}

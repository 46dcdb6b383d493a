//! `polytm align` and `polytm lexicon` run as a user would: bead output,
//! three-way units, storing, lexicon import, and every kind of bad input
//! (each leaving the database exactly as it was).

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn polytm(db: &Path) -> Command {
    let mut c = Command::cargo_bin("polytm").unwrap();
    c.arg("--db").arg(db);
    c
}

fn fx(name: &str) -> PathBuf {
    PathBuf::from(format!(
        "{}/tests/fixtures/align/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
}

fn stdout(c: &mut Command) -> String {
    let out = c.assert().success().get_output().stdout.clone();
    String::from_utf8(out).unwrap()
}

/// Everything a command could change, as text.
fn snapshot(db: &Path) -> String {
    if !db.exists() {
        return "no database".into();
    }
    let c = rusqlite::Connection::open(db).unwrap();
    let mut s = String::new();
    for q in [
        "SELECT count(*) FROM units",
        "SELECT count(*) FROM variants",
        "SELECT count(*) FROM documents",
        "SELECT count(*) FROM batches",
        "SELECT count(*) FROM lexicon",
        "SELECT count(*) FROM concepts",
        "SELECT count(*) FROM terms",
        "SELECT coalesce(group_concat(lang || ':' || text, '|'), '') FROM variants",
        "SELECT coalesce(group_concat(a || '=' || b || ':' || weight, '|'), '') FROM lexicon",
    ] {
        let v: rusqlite::types::Value = c.query_row(q, [], |r| r.get(0)).unwrap();
        s.push_str(&format!("{v:?}\n"));
    }
    s
}

/// Each side of the beads uses every line 0..n exactly once, in order.
fn check_partition(beads: &str, lens: &[usize]) {
    let mut next = vec![0usize; lens.len()];
    for line in beads.lines() {
        let sides: Vec<&str> = line.split(':').collect();
        assert_eq!(sides.len(), lens.len(), "{line}");
        let mut empty = true;
        for (k, side) in sides.iter().enumerate() {
            let inner = side.strip_prefix('[').unwrap().strip_suffix(']').unwrap();
            for id in inner.split(',').filter(|x| !x.is_empty()) {
                let id: usize = id.parse().unwrap();
                assert_eq!(id, next[k], "{beads}");
                next[k] += 1;
                empty = false;
            }
        }
        assert!(!empty, "a bead with no sentence: {line}");
    }
    assert_eq!(next, lens, "{beads}");
}

#[test]
fn two_way_beads_with_a_merge() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tm.db");
    let out = stdout(
        polytm(&db)
            .args([
                "align",
                "--langs",
                "en,zh",
                "--presplit",
                "--format",
                "beads",
                "--no-store",
            ])
            .arg(fx("meeting.en"))
            .arg(fx("meeting.zh")),
    );
    assert_eq!(
        out,
        "[0,1]:[0]\n[2]:[1]\n[3]:[2]\n[4]:[3]\n[5]:[4]\n[6]:[5]\n"
    );
    // --no-store on a missing database creates nothing
    assert!(!db.exists());
}

#[test]
fn three_way_units_are_consistent() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tm.db");
    let out = stdout(
        polytm(&db)
            .args([
                "align",
                "--langs",
                "en,ru,zh",
                "--presplit",
                "--format",
                "beads",
                "--no-store",
            ])
            .arg(fx("meeting.en"))
            .arg(fx("meeting.ru"))
            .arg(fx("meeting.zh")),
    );
    // Chinese merges EN 0-1, so the unit takes RU 0-1 too; RU omits EN 4
    assert_eq!(
        out,
        "[0,1]:[0,1]:[0]\n[2]:[2]:[1]\n[3]:[3]:[2]\n[4]:[]:[3]\n[5]:[4]:[4]\n[6]:[5]:[5]\n"
    );
    check_partition(&out, &[7, 6, 6]);
}

#[test]
fn segments_running_text_with_paragraphs() {
    let dir = tempfile::tempdir().unwrap();
    let out = stdout(
        polytm(&dir.path().join("tm.db"))
            .args([
                "align",
                "--langs",
                "en,zh",
                "--format",
                "beads",
                "--no-store",
            ])
            .arg(fx("meeting.para.en"))
            .arg(fx("meeting.para.zh")),
    );
    assert_eq!(
        out,
        "[0,1]:[0]\n[2]:[1]\n[3]:[2]\n[4]:[3]\n[5]:[4]\n[6]:[5]\n"
    );
}

#[test]
fn tsv_and_json_carry_texts_and_confidence() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tm.db");
    let tsv = stdout(
        polytm(&db)
            .args([
                "align",
                "--langs",
                "en,ru",
                "--presplit",
                "--format",
                "tsv",
                "--no-store",
            ])
            .arg(fx("meeting.en"))
            .arg(fx("meeting.ru")),
    );
    let lines: Vec<&str> = tsv.lines().collect();
    assert_eq!(lines[0], "en\tru\tconfidence");
    assert!(
        lines[1].starts_with("On 17 May 2018, Tianjin hosted"),
        "{tsv}"
    );
    assert!(lines[1].contains("\t17 мая 2018 года в Тяньцзине"), "{tsv}");
    // the omitted sentence has an empty Russian cell
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("They stressed") && l.contains(".\t\t")),
        "{tsv}"
    );
    let json = stdout(
        polytm(&db)
            .args([
                "align",
                "--langs",
                "en,ru",
                "--presplit",
                "--format",
                "json",
                "--no-store",
            ])
            .arg(fx("meeting.en"))
            .arg(fx("meeting.ru")),
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let units = v.as_array().unwrap();
    assert_eq!(units.len(), 7);
    assert_eq!(units[0]["sentences"]["en"], serde_json::json!([0]));
    assert_eq!(units[4]["shape"], "1-0");
    assert_eq!(units[4]["sentences"]["ru"], serde_json::json!([]));
    for u in units {
        let c = u["confidence"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&c));
    }
}

#[test]
fn stores_units_once_and_replaces_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tm.db");
    let out = stdout(
        polytm(&db)
            .args(["align", "--langs", "en,ru,zh", "--presplit"])
            .arg(fx("meeting.en"))
            .arg(fx("meeting.ru"))
            .arg(fx("meeting.zh")),
    );
    assert!(out.contains("document: meeting"), "{out}");
    assert!(out.contains("1-1-1"), "{out}");
    assert!(out.contains("stored: 6 units added"), "{out}");
    let c = rusqlite::Connection::open(&db).unwrap();
    let (name, langs): (String, String) = c
        .query_row("SELECT name, langs FROM documents", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((name.as_str(), langs.as_str()), ("meeting", "en,ru,zh"));
    let n: i64 = c
        .query_row(
            "SELECT count(*) FROM units WHERE origin = 'aligned' AND confidence BETWEEN 0 AND 1 AND document_id IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 6);
    // the merged unit: two English sentences joined by a space, the Chinese line as read
    let en: String = c
        .query_row(
            "SELECT v.text FROM variants v JOIN units u ON u.id = v.unit_id WHERE u.position = 0 AND v.lang = 'en'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(en.ends_with("Counter-Narcotics Agencies. The Meeting was chaired by China."));
    // the unit without Russian has English and Chinese only
    let langs: String = c
        .query_row(
            "SELECT group_concat(v.lang) FROM variants v JOIN units u ON u.id = v.unit_id WHERE u.position = 3",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(langs, "en,zh");
    drop(c);

    // the same document again: refused, nothing changes
    let before = snapshot(&db);
    polytm(&db)
        .args(["align", "--langs", "en,ru,zh", "--presplit"])
        .arg(fx("meeting.en"))
        .arg(fx("meeting.ru"))
        .arg(fx("meeting.zh"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "document 'meeting' is already in the TM",
        ));
    assert_eq!(snapshot(&db), before);
    // --replace swaps the old units for the new ones
    let out = stdout(
        polytm(&db)
            .args(["align", "--langs", "en,ru", "--presplit", "--replace"])
            .arg(fx("meeting.en"))
            .arg(fx("meeting.ru")),
    );
    assert!(out.contains("replacing 6 units"), "{out}");
    let c = rusqlite::Connection::open(&db).unwrap();
    let n: i64 = c
        .query_row("SELECT count(*) FROM units", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 6);
    let n: i64 = c
        .query_row("SELECT count(*) FROM documents", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
    // another name: the identical units are not stored twice
    let out = stdout(
        polytm(&db)
            .args(["align", "--langs", "en,ru", "--presplit", "--doc", "copy"])
            .arg(fx("meeting.en"))
            .arg(fx("meeting.ru")),
    );
    assert!(
        out.contains("stored: 0 units added, 6 already in the TM"),
        "{out}"
    );
}

#[test]
fn lexicon_import_cedict_plain_and_gzip_dedupes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tm.db");
    let out = stdout(
        polytm(&db)
            .args(["lexicon", "import", "--langs", "zh,en"])
            .arg(fx("cedict-sample.u8.gz")),
    );
    assert!(out.contains("7 CC-CEDICT entries read"), "{out}");
    assert!(out.contains("0 already there"), "{out}");
    let added: usize = out
        .split("; ")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!(added > 20, "{out}");
    // the same dictionary, uncompressed: nothing new
    let out = stdout(
        polytm(&db)
            .args(["lexicon", "import", "--langs", "en,zh"])
            .arg(fx("cedict-sample.u8")),
    );
    assert!(
        out.contains(&format!("0 lexicon entries added, {added} already there")),
        "{out}"
    );
    let look = stdout(polytm(&db).args(["lexicon", "lookup", "会议"]));
    assert!(
        look.contains("meeting") && look.contains("conference"),
        "{look}"
    );
    assert!(!look.contains("CL"), "{look}");
    let look = stdout(polytm(&db).args(["lexicon", "lookup", "刘"]));
    assert!(look.contains("liu"), "{look}");
    // traditional headwords are kept for zh-Hant
    let look = stdout(polytm(&db).args(["lexicon", "lookup", "會議", "--json"]));
    let v: serde_json::Value = serde_json::from_str(&look).unwrap();
    assert!(
        v.as_array()
            .unwrap()
            .iter()
            .any(|e| e["lang_a"] == "zh-Hant")
    );
    let stats = stdout(polytm(&db).args(["lexicon", "stats"]));
    assert!(
        stats.contains("zh→en") && stats.contains("zh→zh-Latn-pinyin"),
        "{stats}"
    );
}

#[test]
fn lexicon_import_tsv_and_its_errors() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tm.db");
    let good = dir.path().join("words.tsv");
    std::fs::write(
        &good,
        "en\tru\nmeeting\tсовещание\nsituation\tситуация\t0.5\n\n",
    )
    .unwrap();
    let out = stdout(
        polytm(&db)
            .args(["lexicon", "import", "--langs", "en,ru"])
            .arg(&good),
    );
    assert!(
        out.contains("2 word pairs read; 2 lexicon entries added"),
        "{out}"
    );
    let before = snapshot(&db);
    let bad = dir.path().join("bad.tsv");
    std::fs::write(&bad, "meeting\tсовещание\nno tab here\n").unwrap();
    polytm(&db)
        .args(["lexicon", "import", "--langs", "en,ru"])
        .arg(&bad)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("bad.tsv:2: 1 column"));
    let bad = dir.path().join("weight.tsv");
    std::fs::write(&bad, "meeting\tсовещание\tmuch\n").unwrap();
    polytm(&db)
        .args(["lexicon", "import", "--langs", "en,ru"])
        .arg(&bad)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("weight.tsv:1:19: weight 'much'"));
    // CC-CEDICT is Chinese-English only
    polytm(&db)
        .args(["lexicon", "import", "--langs", "en,ru"])
        .arg(fx("cedict-sample.u8"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("use --langs zh,en"));
    let broken = dir.path().join("broken.gz");
    std::fs::write(&broken, [0x1f, 0x8b, 8, 0, 1, 2, 3]).unwrap();
    polytm(&db)
        .args(["lexicon", "import", "--langs", "zh,en"])
        .arg(&broken)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("broken.gz: broken gzip data"));
    let empty = dir.path().join("empty.tsv");
    std::fs::write(&empty, "").unwrap();
    polytm(&db)
        .args(["lexicon", "import", "--langs", "zh,en"])
        .arg(&empty)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("empty.tsv: is empty"));
    assert_eq!(snapshot(&db), before);
}

#[test]
fn lexicon_and_glossary_feed_the_aligner() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tm.db");
    polytm(&db)
        .args(["lexicon", "import", "--langs", "zh,en"])
        .arg(fx("cedict-sample.u8"))
        .assert()
        .success();
    polytm(&db)
        .args(["glossary", "import"])
        .arg(format!(
            "{}/glossaries/sco-counter-narcotics.tsv",
            env!("CARGO_MANIFEST_DIR")
        ))
        .assert()
        .success();
    let out = stdout(
        polytm(&db)
            .args([
                "align",
                "--langs",
                "en,zh",
                "--presplit",
                "--format",
                "beads",
                "--no-store",
            ])
            .arg(fx("meeting.en"))
            .arg(fx("meeting.zh")),
    );
    assert_eq!(
        out,
        "[0,1]:[0]\n[2]:[1]\n[3]:[2]\n[4]:[3]\n[5]:[4]\n[6]:[5]\n"
    );
}

#[test]
fn mismatched_languages_and_files_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tm.db");
    polytm(&db)
        .args(["align", "--langs", "en,ru,zh"])
        .arg(fx("meeting.en"))
        .arg(fx("meeting.ru"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--langs names 3 languages but 2 files were given",
        ));
    polytm(&db)
        .args(["align", "--langs", "en"])
        .arg(fx("meeting.en"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("two or three languages"));
    polytm(&db)
        .args(["align", "--langs", "en,en"])
        .arg(fx("meeting.en"))
        .arg(fx("meeting.en"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("given twice"));
    polytm(&db)
        .args(["align", "--langs", "en,xx-klingon"])
        .arg(fx("meeting.en"))
        .arg(fx("meeting.ru"))
        .assert()
        .code(2);
    assert!(!db.exists());
}

#[test]
fn bad_files_store_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tm.db");
    // a TM with something in it
    polytm(&db)
        .args(["align", "--langs", "en,ru", "--presplit", "--doc", "first"])
        .arg(fx("meeting.en"))
        .arg(fx("meeting.ru"))
        .assert()
        .success();
    let before = snapshot(&db);
    // one of three files missing
    polytm(&db)
        .args(["align", "--langs", "en,ru,zh", "--presplit"])
        .arg(fx("meeting.en"))
        .arg(fx("meeting.ru"))
        .arg(dir.path().join("meeting.zh"))
        .assert()
        .code(5)
        .stderr(predicate::str::contains("meeting.zh: no such file"));
    // an empty file
    let empty = dir.path().join("empty.ru");
    std::fs::write(&empty, "\n\n").unwrap();
    polytm(&db)
        .args(["align", "--langs", "en,ru", "--presplit"])
        .arg(fx("meeting.en"))
        .arg(&empty)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("empty.ru: holds only white space"));
    // a binary file
    let bin = dir.path().join("scan.zh");
    std::fs::write(&bin, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR").unwrap();
    polytm(&db)
        .args(["align", "--langs", "en,zh"])
        .arg(fx("meeting.en"))
        .arg(&bin)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("scan.zh:3:1: binary data"));
    // a legacy encoding
    let cp1251 = dir.path().join("old.ru");
    std::fs::write(&cp1251, b"\xcf\xf0\xe8\xe2\xe5\xf2 \xec\xe8\xf0.\n").unwrap();
    polytm(&db)
        .args(["align", "--langs", "en,ru"])
        .arg(fx("meeting.en"))
        .arg(&cp1251)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("Windows-1251"));
    assert_eq!(snapshot(&db), before);
}

#[test]
fn wrong_language_and_very_different_lengths_warn_but_align() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tm.db");
    // the Russian file given as Chinese
    let out = polytm(&db)
        .args([
            "align",
            "--langs",
            "en,zh",
            "--presplit",
            "--format",
            "beads",
            "--no-store",
        ])
        .arg(fx("meeting.en"))
        .arg(fx("meeting.ru"))
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "meeting.ru: only 0% of its letters are Chinese characters",
        ))
        .get_output()
        .stdout
        .clone();
    check_partition(&String::from_utf8(out).unwrap(), &[7, 6]);
    // a long document against the first sentences of its translation
    let long = dir.path().join("long.en");
    let mut text = String::new();
    for _ in 0..6 {
        text.push_str(&std::fs::read_to_string(fx("meeting.en")).unwrap());
    }
    std::fs::write(&long, text).unwrap();
    let out = polytm(&db)
        .args([
            "align",
            "--langs",
            "en,ru",
            "--presplit",
            "--format",
            "beads",
            "--no-store",
        ])
        .arg(&long)
        .arg(fx("meeting.ru"))
        .assert()
        .success()
        .stderr(
            predicate::str::contains("long.en: ").and(predicate::str::contains("no counterpart")),
        )
        .get_output()
        .stdout
        .clone();
    check_partition(&String::from_utf8(out).unwrap(), &[42, 6]);
}

#[test]
fn a_one_megabyte_line_aligns_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tm.db");
    let big = dir.path().join("big.en");
    let mut text = std::fs::read_to_string(fx("meeting.en")).unwrap();
    text.push_str(&"the narcotics situation ".repeat(44_000));
    text.push('\n');
    std::fs::write(&big, &text).unwrap();
    assert!(text.len() > 1_000_000);
    let t = std::time::Instant::now();
    let out = polytm(&db)
        .args([
            "align",
            "--langs",
            "en,ru",
            "--presplit",
            "--format",
            "beads",
        ])
        .arg(&big)
        .arg(fx("meeting.ru"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    check_partition(&String::from_utf8(out).unwrap(), &[8, 6]);
    assert!(t.elapsed().as_secs() < 30);
    // and unsplit: segmented into sentences first
    polytm(&db)
        .args([
            "align",
            "--langs",
            "en,ru",
            "--no-store",
            "--format",
            "beads",
        ])
        .arg(&big)
        .arg(fx("meeting.ru"))
        .assert()
        .success();
}

#[test]
fn lexicon_learns_from_the_tm() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tm.db");
    let tm = dir.path().join("tm.tsv");
    let mut text = String::from("en\tru\n");
    let colours = [
        ("red", "красный"),
        ("green", "зелёный"),
        ("blue", "синий"),
        ("white", "белый"),
    ];
    let things = [("house", "дом"), ("car", "автомобиль"), ("boat", "катер")];
    for (ce, cr) in colours {
        for (te, tr) in things {
            text.push_str(&format!("the {ce} {te}\t{cr} {tr}\n"));
        }
    }
    std::fs::write(&tm, text).unwrap();
    polytm(&db).arg("import").arg(&tm).assert().success();
    let out =
        stdout(polytm(&db).args(["lexicon", "learn", "--langs", "en,ru", "--min-count", "2"]));
    assert!(out.contains("from 12 en–ru units"), "{out}");
    let look = stdout(polytm(&db).args(["lexicon", "lookup", "house", "--json"]));
    let v: serde_json::Value = serde_json::from_str(&look).unwrap();
    let b: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["b"].as_str().unwrap())
        .collect();
    assert_eq!(b, ["дом"], "{look}");
    // too few units to learn from: an error, nothing stored
    let before = snapshot(&db);
    polytm(&db)
        .args(["lexicon", "learn", "--langs", "en,zh"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("needs at least 10"));
    assert_eq!(snapshot(&db), before);
}

#[test]
fn presplit_numbers_are_line_numbers_and_blank_lines_break_paragraphs() {
    let dir = tempfile::tempdir().unwrap();
    let (en, ru) = (dir.path().join("p.en"), dir.path().join("p.ru"));
    std::fs::write(
        &en,
        "On 17 May 2018 it met.\n\nIt met again in 2019.\nThen it ended?\n",
    )
    .unwrap();
    std::fs::write(&ru, "17 мая 2018 года оно собралось.\n\nОно вновь собралось в 2019 году.\nПотом всё закончилось?\n").unwrap();
    let out = stdout(
        polytm(&dir.path().join("tm.db"))
            .args([
                "align",
                "--langs",
                "en,ru",
                "--presplit",
                "--format",
                "beads",
                "--no-store",
            ])
            .arg(&en)
            .arg(&ru),
    );
    assert_eq!(out, "[0]:[0]\n[2]:[2]\n[3]:[3]\n");
}

#[test]
fn tsv_output_imports_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tm.db");
    let tsv = stdout(
        polytm(&db)
            .args([
                "align",
                "--langs",
                "en,ru,zh",
                "--presplit",
                "--format",
                "tsv",
                "--no-store",
            ])
            .arg(fx("meeting.en"))
            .arg(fx("meeting.ru"))
            .arg(fx("meeting.zh")),
    );
    let file = dir.path().join("units.tsv");
    std::fs::write(&file, tsv).unwrap();
    let out = stdout(polytm(&db).arg("import").arg(&file));
    assert!(out.contains("6 units added"), "{out}");
}

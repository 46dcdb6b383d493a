//! `polytm align` and `polytm lexicon` run as a user would: bead output,
//! three-way units, storing, lexicon import, and every kind of bad input
//! (each leaving the database exactly as it was).

mod common;

use predicates::prelude::*;

use common::{Tm, fixture, json, shipped_glossary, stdout, unit_ids};

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
    let tm = Tm::new();
    let out = stdout(
        tm.cmd()
            .args([
                "align",
                "--langs",
                "en,zh",
                "--presplit",
                "--format",
                "beads",
                "--no-store",
            ])
            .arg(fixture("align/meeting.en"))
            .arg(fixture("align/meeting.zh")),
    );
    assert_eq!(
        out,
        "[0,1]:[0]\n[2]:[1]\n[3]:[2]\n[4]:[3]\n[5]:[4]\n[6]:[5]\n"
    );
    // --no-store on a missing database creates nothing
    assert!(!tm.db.exists());
}

#[test]
fn three_way_units_are_consistent() {
    let tm = Tm::new();
    let out = stdout(
        tm.cmd()
            .args([
                "align",
                "--langs",
                "en,ru,zh",
                "--presplit",
                "--format",
                "beads",
                "--no-store",
            ])
            .arg(fixture("align/meeting.en"))
            .arg(fixture("align/meeting.ru"))
            .arg(fixture("align/meeting.zh")),
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
    let tm = Tm::new();
    let out = stdout(
        tm.cmd()
            .args([
                "align",
                "--langs",
                "en,zh",
                "--format",
                "beads",
                "--no-store",
            ])
            .arg(fixture("align/meeting.para.en"))
            .arg(fixture("align/meeting.para.zh")),
    );
    assert_eq!(
        out,
        "[0,1]:[0]\n[2]:[1]\n[3]:[2]\n[4]:[3]\n[5]:[4]\n[6]:[5]\n"
    );
}

#[test]
fn tsv_and_json_carry_texts_and_confidence() {
    let tm = Tm::new();
    let tsv = stdout(
        tm.cmd()
            .args([
                "align",
                "--langs",
                "en,ru",
                "--presplit",
                "--format",
                "tsv",
                "--no-store",
            ])
            .arg(fixture("align/meeting.en"))
            .arg(fixture("align/meeting.ru")),
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
    let v = json(
        tm.cmd()
            .args([
                "align",
                "--langs",
                "en,ru",
                "--presplit",
                "--format",
                "json",
                "--no-store",
            ])
            .arg(fixture("align/meeting.en"))
            .arg(fixture("align/meeting.ru")),
    );
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
    let tm = Tm::new();
    let out = stdout(
        tm.cmd()
            .args(["align", "--langs", "en,ru,zh", "--presplit"])
            .arg(fixture("align/meeting.en"))
            .arg(fixture("align/meeting.ru"))
            .arg(fixture("align/meeting.zh")),
    );
    assert!(out.contains("document: meeting"), "{out}");
    assert!(out.contains("1-1-1"), "{out}");
    assert!(out.contains("stored: 6 units added"), "{out}");
    let units = tm.read(|r| {
        let docs = r.documents().unwrap();
        assert_eq!(docs.len(), 1);
        assert_eq!(
            (docs[0].name.as_str(), docs[0].langs.join(",")),
            ("meeting", "en,ru,zh".to_string())
        );
        let units: Vec<_> = unit_ids(r)
            .into_iter()
            .map(|id| r.unit(id).unwrap().unwrap())
            .collect();
        units
    });
    assert_eq!(units.len(), 6);
    for u in &units {
        assert_eq!(u.origin, "aligned");
        assert!(u.confidence.is_some_and(|c| (0.0..=1.0).contains(&c)));
        assert!(u.document_id.is_some());
    }
    let at = |position: i64| units.iter().find(|u| u.position == Some(position)).unwrap();
    // the merged unit: two English sentences joined by a space, the Chinese line as read
    let en = at(0)
        .variants
        .iter()
        .find(|v| v.lang.as_str() == "en")
        .unwrap();
    assert!(
        en.text
            .ends_with("Counter-Narcotics Agencies. The Meeting was chaired by China.")
    );
    // the unit without Russian has English and Chinese only
    let mut langs: Vec<&str> = at(3).variants.iter().map(|v| v.lang.as_str()).collect();
    langs.sort();
    assert_eq!(langs, ["en", "zh"]);

    // the same document again: refused, nothing changes
    let before = tm.snapshot();
    tm.cmd()
        .args(["align", "--langs", "en,ru,zh", "--presplit"])
        .arg(fixture("align/meeting.en"))
        .arg(fixture("align/meeting.ru"))
        .arg(fixture("align/meeting.zh"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "document 'meeting' is already in the TM",
        ));
    assert_eq!(tm.snapshot(), before);
    // --replace swaps the old units for the new ones
    let out = stdout(
        tm.cmd()
            .args(["align", "--langs", "en,ru", "--presplit", "--replace"])
            .arg(fixture("align/meeting.en"))
            .arg(fixture("align/meeting.ru")),
    );
    assert!(out.contains("replacing 6 units"), "{out}");
    let stats = tm.read(|r| r.stats().unwrap());
    assert_eq!((stats.units, stats.documents), (6, 1));
    // another name: the identical units are not stored twice
    let out = stdout(
        tm.cmd()
            .args(["align", "--langs", "en,ru", "--presplit", "--doc", "copy"])
            .arg(fixture("align/meeting.en"))
            .arg(fixture("align/meeting.ru")),
    );
    assert!(
        out.contains("stored: 0 units added, 6 already in the TM"),
        "{out}"
    );
}

#[test]
fn lexicon_import_cedict_plain_and_gzip_dedupes() {
    let tm = Tm::new();
    let out = stdout(
        tm.cmd()
            .args(["lexicon", "import", "--langs", "zh,en"])
            .arg(fixture("align/cedict-sample.u8.gz")),
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
        tm.cmd()
            .args(["lexicon", "import", "--langs", "en,zh"])
            .arg(fixture("align/cedict-sample.u8")),
    );
    assert!(
        out.contains(&format!("0 lexicon entries added, {added} already there")),
        "{out}"
    );
    let look = stdout(tm.cmd().args(["lexicon", "lookup", "会议"]));
    assert!(
        look.contains("meeting") && look.contains("conference"),
        "{look}"
    );
    assert!(!look.contains("CL"), "{look}");
    let look = stdout(tm.cmd().args(["lexicon", "lookup", "刘"]));
    assert!(look.contains("liu"), "{look}");
    // traditional headwords are kept for zh-Hant
    let v = json(tm.cmd().args(["lexicon", "lookup", "會議", "--json"]));
    assert!(
        v.as_array()
            .unwrap()
            .iter()
            .any(|e| e["lang_a"] == "zh-Hant")
    );
    let stats = stdout(tm.cmd().args(["lexicon", "stats"]));
    assert!(
        stats.contains("zh→en") && stats.contains("zh→zh-Latn-pinyin"),
        "{stats}"
    );
}

#[test]
fn lexicon_import_tsv_and_its_errors() {
    let tm = Tm::new();
    let good = tm.path("words.tsv");
    std::fs::write(
        &good,
        "en\tru\nmeeting\tсовещание\nsituation\tситуация\t0.5\n\n",
    )
    .unwrap();
    let out = stdout(
        tm.cmd()
            .args(["lexicon", "import", "--langs", "en,ru"])
            .arg(&good),
    );
    assert!(
        out.contains("2 word pairs read; 2 lexicon entries added"),
        "{out}"
    );
    let before = tm.snapshot();
    let bad = tm.path("bad.tsv");
    std::fs::write(&bad, "meeting\tсовещание\nno tab here\n").unwrap();
    tm.cmd()
        .args(["lexicon", "import", "--langs", "en,ru"])
        .arg(&bad)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("bad.tsv:2: 1 column"));
    let bad = tm.path("weight.tsv");
    std::fs::write(&bad, "meeting\tсовещание\tmuch\n").unwrap();
    tm.cmd()
        .args(["lexicon", "import", "--langs", "en,ru"])
        .arg(&bad)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("weight.tsv:1:19: weight 'much'"));
    // CC-CEDICT is Chinese-English only
    tm.cmd()
        .args(["lexicon", "import", "--langs", "en,ru"])
        .arg(fixture("align/cedict-sample.u8"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("use --langs zh,en"));
    let broken = tm.path("broken.gz");
    std::fs::write(&broken, [0x1f, 0x8b, 8, 0, 1, 2, 3]).unwrap();
    tm.cmd()
        .args(["lexicon", "import", "--langs", "zh,en"])
        .arg(&broken)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("broken.gz: broken gzip data"));
    let empty = tm.path("empty.tsv");
    std::fs::write(&empty, "").unwrap();
    tm.cmd()
        .args(["lexicon", "import", "--langs", "zh,en"])
        .arg(&empty)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("empty.tsv: is empty"));
    assert_eq!(tm.snapshot(), before);
}

#[test]
fn lexicon_and_glossary_feed_the_aligner() {
    let tm = Tm::new();
    tm.cmd()
        .args(["lexicon", "import", "--langs", "zh,en"])
        .arg(fixture("align/cedict-sample.u8"))
        .assert()
        .success();
    tm.cmd()
        .args(["glossary", "import"])
        .arg(shipped_glossary())
        .assert()
        .success();
    let out = stdout(
        tm.cmd()
            .args([
                "align",
                "--langs",
                "en,zh",
                "--presplit",
                "--format",
                "beads",
                "--no-store",
            ])
            .arg(fixture("align/meeting.en"))
            .arg(fixture("align/meeting.zh")),
    );
    assert_eq!(
        out,
        "[0,1]:[0]\n[2]:[1]\n[3]:[2]\n[4]:[3]\n[5]:[4]\n[6]:[5]\n"
    );
}

#[test]
fn mismatched_languages_and_files_are_usage_errors() {
    let tm = Tm::new();
    tm.cmd()
        .args(["align", "--langs", "en,ru,zh"])
        .arg(fixture("align/meeting.en"))
        .arg(fixture("align/meeting.ru"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--langs names 3 languages but 2 files were given",
        ));
    tm.cmd()
        .args(["align", "--langs", "en"])
        .arg(fixture("align/meeting.en"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("two or three languages"));
    tm.cmd()
        .args(["align", "--langs", "en,en"])
        .arg(fixture("align/meeting.en"))
        .arg(fixture("align/meeting.en"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("given twice"));
    tm.cmd()
        .args(["align", "--langs", "en,xx-klingon"])
        .arg(fixture("align/meeting.en"))
        .arg(fixture("align/meeting.ru"))
        .assert()
        .code(2);
    assert!(!tm.db.exists());
}

#[test]
fn bad_files_store_nothing() {
    let tm = Tm::new();
    // a TM with something in it
    tm.cmd()
        .args(["align", "--langs", "en,ru", "--presplit", "--doc", "first"])
        .arg(fixture("align/meeting.en"))
        .arg(fixture("align/meeting.ru"))
        .assert()
        .success();
    let before = tm.snapshot();
    // one of three files missing
    tm.cmd()
        .args(["align", "--langs", "en,ru,zh", "--presplit"])
        .arg(fixture("align/meeting.en"))
        .arg(fixture("align/meeting.ru"))
        .arg(tm.path("meeting.zh"))
        .assert()
        .code(5)
        .stderr(predicate::str::contains("meeting.zh: no such file"));
    // an empty file
    let empty = tm.path("empty.ru");
    std::fs::write(&empty, "\n\n").unwrap();
    tm.cmd()
        .args(["align", "--langs", "en,ru", "--presplit"])
        .arg(fixture("align/meeting.en"))
        .arg(&empty)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("empty.ru: holds only white space"));
    // a binary file
    let bin = tm.path("scan.zh");
    std::fs::write(&bin, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR").unwrap();
    tm.cmd()
        .args(["align", "--langs", "en,zh"])
        .arg(fixture("align/meeting.en"))
        .arg(&bin)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("scan.zh:3:1: binary data"));
    // a legacy encoding
    let cp1251 = tm.path("old.ru");
    std::fs::write(&cp1251, b"\xcf\xf0\xe8\xe2\xe5\xf2 \xec\xe8\xf0.\n").unwrap();
    tm.cmd()
        .args(["align", "--langs", "en,ru"])
        .arg(fixture("align/meeting.en"))
        .arg(&cp1251)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("Windows-1251"));
    assert_eq!(tm.snapshot(), before);
}

#[test]
fn wrong_language_and_very_different_lengths_warn_but_align() {
    let tm = Tm::new();
    // the Russian file given as Chinese
    let out = tm
        .cmd()
        .args([
            "align",
            "--langs",
            "en,zh",
            "--presplit",
            "--format",
            "beads",
            "--no-store",
        ])
        .arg(fixture("align/meeting.en"))
        .arg(fixture("align/meeting.ru"))
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
    let long = tm.path("long.en");
    let mut text = String::new();
    for _ in 0..6 {
        text.push_str(&std::fs::read_to_string(fixture("align/meeting.en")).unwrap());
    }
    std::fs::write(&long, text).unwrap();
    let out = tm
        .cmd()
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
        .arg(fixture("align/meeting.ru"))
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
fn a_one_megabyte_line_aligns() {
    let tm = Tm::new();
    let big = tm.path("big.en");
    let mut text = std::fs::read_to_string(fixture("align/meeting.en")).unwrap();
    text.push_str(&"the narcotics situation ".repeat(44_000));
    text.push('\n');
    std::fs::write(&big, &text).unwrap();
    assert!(text.len() > 1_000_000);
    let out = stdout(
        tm.cmd()
            .args([
                "align",
                "--langs",
                "en,ru",
                "--presplit",
                "--format",
                "beads",
            ])
            .arg(&big)
            .arg(fixture("align/meeting.ru")),
    );
    check_partition(&out, &[8, 6]);
    // and unsplit: segmented into sentences first
    tm.cmd()
        .args([
            "align",
            "--langs",
            "en,ru",
            "--no-store",
            "--format",
            "beads",
        ])
        .arg(&big)
        .arg(fixture("align/meeting.ru"))
        .assert()
        .success();
}

#[test]
fn lexicon_learns_from_the_tm() {
    let tm = Tm::new();
    let tsv = tm.path("tm.tsv");
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
    std::fs::write(&tsv, text).unwrap();
    tm.cmd().arg("import").arg(&tsv).assert().success();
    let out = stdout(
        tm.cmd()
            .args(["lexicon", "learn", "--langs", "en,ru", "--min-count", "2"]),
    );
    assert!(out.contains("from 12 en–ru units"), "{out}");
    let v = json(tm.cmd().args(["lexicon", "lookup", "house", "--json"]));
    let b: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["b"].as_str().unwrap())
        .collect();
    assert_eq!(b, ["дом"], "{v}");
    // too few units to learn from: an error, nothing stored
    let before = tm.snapshot();
    tm.cmd()
        .args(["lexicon", "learn", "--langs", "en,zh"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("needs at least 10"));
    assert_eq!(tm.snapshot(), before);
}

#[test]
fn presplit_numbers_are_line_numbers_and_blank_lines_break_paragraphs() {
    let tm = Tm::new();
    let (en, ru) = (tm.path("p.en"), tm.path("p.ru"));
    std::fs::write(
        &en,
        "On 17 May 2018 it met.\n\nIt met again in 2019.\nThen it ended?\n",
    )
    .unwrap();
    std::fs::write(&ru, "17 мая 2018 года оно собралось.\n\nОно вновь собралось в 2019 году.\nПотом всё закончилось?\n").unwrap();
    let out = stdout(
        tm.cmd()
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
    let tm = Tm::new();
    let tsv = stdout(
        tm.cmd()
            .args([
                "align",
                "--langs",
                "en,ru,zh",
                "--presplit",
                "--format",
                "tsv",
                "--no-store",
            ])
            .arg(fixture("align/meeting.en"))
            .arg(fixture("align/meeting.ru"))
            .arg(fixture("align/meeting.zh")),
    );
    let file = tm.path("units.tsv");
    std::fs::write(&file, tsv).unwrap();
    let out = stdout(tm.cmd().arg("import").arg(&file));
    assert!(out.contains("6 units added"), "{out}");
}

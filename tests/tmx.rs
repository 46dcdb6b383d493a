//! TMX/TSV import and export, and TM maintenance, through the binary.

mod common;

use std::path::Path;

use predicates::prelude::*;

use polytm_store::NewVariant;
use polytm_text::lang::LangTag;

use common::{Tm, fixture, unit_ids};

/// (tag, text, plain) of one variant.
type Var = (String, String, Option<String>);

impl Tm {
    fn import(&self, file: &Path) {
        self.cmd().arg("import").arg(file).assert().success();
    }

    fn export(&self, args: &[&str], out: &str) -> String {
        let p = self.path(out);
        self.cmd()
            .arg("export")
            .args(args)
            .arg("-o")
            .arg(&p)
            .assert()
            .success();
        std::fs::read_to_string(&p).unwrap()
    }

    /// (tag, text, plain) of every variant, unit by unit, by language.
    fn variants(&self) -> Vec<Vec<Var>> {
        self.read(|r| {
            unit_ids(r)
                .into_iter()
                .map(|id| {
                    let mut v = r.unit(id).unwrap().unwrap().variants;
                    v.sort_by(|a, b| a.lang.cmp(&b.lang));
                    v.into_iter().map(|v| (v.tag, v.text, v.plain)).collect()
                })
                .collect()
        })
    }

    /// The variant of a unit in a language: (text, plain).
    fn variant(&self, unit: i64, lang: &str) -> (String, Option<String>) {
        self.read(|r| {
            let u = r.unit(unit).unwrap().unwrap();
            let v = u.variants.into_iter().find(|v| v.lang.as_str() == lang);
            let v = v.unwrap_or_else(|| panic!("unit {unit} has no {lang}"));
            (v.text, v.plain)
        })
    }
}

fn xmllint_valid(file: &Path) {
    let dtd = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/specs/tmx14.dtd");
    let ok = std::process::Command::new("xmllint")
        .arg("--version")
        .output()
        .is_ok();
    if !ok || !dtd.exists() {
        eprintln!("xmllint or ../shared/specs/tmx14.dtd absent: DTD validation skipped");
        return;
    }
    let out = std::process::Command::new("xmllint")
        .args(["--noout", "--dtdvalid"])
        .arg(&dtd)
        .arg(file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "xmllint: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn tmx_round_trip_is_identical() {
    let a = Tm::new();
    a.cmd()
        .arg("import")
        .arg(fixture("tmx/sample.tmx"))
        .assert()
        .success()
        .stdout(predicate::str::contains("5 units added"))
        .stdout(predicate::str::contains("1 left out"));
    let e1 = a.export(&[], "e1.tmx");
    xmllint_valid(&a.path("e1.tmx"));
    // three-language units: srclang *all*, each tu says its source
    assert!(e1.contains(r#"srclang="*all*""#), "{e1}");
    assert!(e1.contains(r#"<tu tuid="sco-1" usagecount="3" creationdate="20180612T101500Z" creationid="ANNA" changedate="20190101T000000Z" changeid="OLGA" srclang="en-US">"#), "{e1}");
    // escaping, inline tags, props and notes, tuv attributes
    assert!(e1.contains("Tajikistan &amp; the SCO met on 5 &lt;May&gt; 2018."));
    assert!(e1.contains(
        r#"<bpt i="1" x="1" type="bold">&lt;b&gt;</bpt>Save<ept i="1">&lt;/b&gt;</ept>"#
    ));
    assert!(e1.contains(r#"<hi type="x-term">Secretariat</hi>"#));
    assert!(e1.contains(r#"<prop type="x-Domain">Counter-narcotics</prop>"#));
    assert!(e1.contains("<note>Checked against the official Russian text.</note>"));
    assert!(e1.contains(r#"<tuv xml:lang="ru-RU" creationid="OLGA">"#));
    assert!(e1.contains(r#"<prop type="x-Reviewed">yes</prop>"#));
    assert!(e1.contains(r#"<prop type="x-polytm-document">sample.tmx</prop>"#));
    assert!(e1.contains(r#"<prop type="x-polytm-origin">imported</prop>"#));
    assert!(e1.contains(
        "<seg>  Two  spaces, a backslash \\n and \"quotes\" &amp; 'apostrophes'  </seg>"
    ));
    // the unit with one language and the empty Russian segment are left out
    assert!(!e1.contains("Only English here."));
    assert_eq!(e1.matches("<tu ").count(), 5);

    let b = Tm::new();
    b.import(&a.path("e1.tmx"));
    let e2 = b.export(&[], "e2.tmx");
    assert_eq!(e1, e2, "export → import → export must give the same file");
    assert_eq!(
        a.variants(),
        b.variants(),
        "the same units, languages and inline tags"
    );
    // and once more, for good measure
    let c = Tm::new();
    c.import(&b.path("e2.tmx"));
    assert_eq!(c.export(&[], "e3.tmx"), e1);
    // plain text of tagged segments is kept for matching
    let plain: Vec<String> = a.read(|r| {
        unit_ids(r)
            .into_iter()
            .flat_map(|id| r.unit(id).unwrap().unwrap().variants)
            .filter(|v| v.lang.as_str() == "en")
            .filter_map(|v| v.plain)
            .collect()
    });
    assert_eq!(plain, ["Click Save to keep  the Secretariat file."]);
}

#[test]
fn tsv_round_trip_and_columns() {
    let a = Tm::new();
    a.cmd()
        .arg("import")
        .arg(fixture("tmx/pairs.tsv"))
        .assert()
        .success()
        .stdout(predicate::str::contains("3 units added, 1 left out"));
    // the note and domain columns travel to TMX; id becomes the tuid
    let tmx = a.export(&[], "p.tmx");
    assert!(tmx.contains(r#"<tu tuid="t1""#), "{tmx}");
    assert!(tmx.contains("<note>official</note>"));
    assert!(tmx.contains(r#"<prop type="x-domain">SCO</prop>"#));
    // TSV out: verbatim text, tags as written, source first
    let tsv = a.export(&["--langs", "en,ru"], "p.tsv");
    assert_eq!(
        tsv,
        "en\tru\nSecretariat\tСекретариат\n  Regional Anti-Terrorist Structure\tРегиональная антитеррористическая структура\nFile \"%s\" not found\\n\tФайл \"%s\" не найден\\n\n"
    );
    let all = a.export(&["--format", "tsv"], "all.txt");
    assert!(all.starts_with("en\tru\tzh-CN\n"), "{all}");
    let b = Tm::new();
    b.import(&a.path("all.txt"));
    assert_eq!(b.export(&["--format", "tsv"], "again.tsv"), all);
    // CSV with semicolons (Excel)
    let c = Tm::new();
    c.import(&fixture("tmx/pairs.csv"));
    let csv = c.export(&[], "c.csv");
    assert_eq!(
        csv,
        "en,ru\nCouncil of Foreign Ministers,Совет министров иностранных дел\nSemicolon; inside,Точка с запятой; внутри\n"
    );
}

#[test]
fn export_language_selection_and_srclang() {
    let a = Tm::new();
    a.import(&fixture("tmx/sample.tmx"));
    let out = a.export(&["--langs", "en,ru"], "en-ru.tmx");
    xmllint_valid(&a.path("en-ru.tmx"));
    assert!(out.contains(r#"srclang="en-US""#), "{out}");
    assert!(!out.contains("zh-CN"));
    assert_eq!(out.matches("<tu ").count(), 3);
    // the tu does not repeat the header's source language
    assert!(
        out.lines()
            .filter(|l| l.contains("<tu "))
            .all(|l| !l.contains("srclang"))
    );
    // ru first when asked so
    let out = a.export(&["--langs", "ru,en"], "ru-en.tmx");
    assert!(out.contains(r#"srclang="ru-RU""#), "{out}");
    let gb = a.export(&["--langs", "en-GB,ru"], "en-gb.tmx");
    assert!(gb.contains(r#"srclang="en-GB""#), "the tag asked for");
    assert!(
        gb.contains(r#"<tuv xml:lang="en-US">"#),
        "variants keep their own tags"
    );
    let ru = out.find(r#"xml:lang="ru-RU""#).unwrap();
    let en = out.find(r#"xml:lang="en-US""#).unwrap();
    assert!(ru < en);
    a.cmd()
        .args(["export", "--langs", "en,zh", "--format", "tmx"])
        .assert()
        .success()
        .stdout(predicate::str::contains("地区反恐怖机构"))
        .stderr(predicate::str::contains("exported 4 units"))
        .stderr(predicate::str::contains("1 units left out"));
    a.cmd()
        .args(["export", "--langs", "en"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("at least two"));
}

#[test]
fn tmx_1_1_with_old_lang_attribute() {
    let a = Tm::new();
    a.import(&fixture("tmx/tmx11.tmx"));
    let v = a.variants();
    assert_eq!(v.len(), 2);
    assert_eq!(v[0][0].0, "en-US");
    assert_eq!(v[1][1].0, "zh-CN");
    let out = a.export(&[], "x.tmx");
    xmllint_valid(&a.path("x.tmx"));
    assert!(out.contains(r#"creationid="EDITOR""#));
    assert!(out.contains(r#"creationdate="20050317T150106Z""#));
}

#[test]
fn utf16_tmx_with_bom_is_read() {
    let text = std::fs::read_to_string(fixture("tmx/sample.tmx")).unwrap();
    let utf8 = Tm::new();
    utf8.import(&fixture("tmx/sample.tmx"));
    for le in [true, false] {
        let a = Tm::new();
        let mut bytes: Vec<u8> = if le {
            vec![0xFF, 0xFE]
        } else {
            vec![0xFE, 0xFF]
        };
        for u in text
            .replace("encoding=\"UTF-8\"", "encoding=\"UTF-16\"")
            .encode_utf16()
        {
            bytes.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        let p = a.path("utf16.tmx");
        std::fs::write(&p, bytes).unwrap();
        a.cmd()
            .arg("import")
            .arg(&p)
            .assert()
            .success()
            .stdout(predicate::str::contains(if le {
                "[UTF-16LE]"
            } else {
                "[UTF-16BE]"
            }));
        assert_eq!(a.variants(), utf8.variants());
    }
}

#[test]
fn duplicate_policies() {
    let a = Tm::new();
    a.import(&fixture("tmx/pairs.tsv"));
    a.cmd()
        .arg("import")
        .arg(fixture("tmx/pairs.tsv"))
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "nothing new (3 duplicates skipped",
        ));
    assert_eq!(a.stats().batches, 1);
    // overwrite: the same source, a corrected target
    let fixed = a.path("fixed.tsv");
    std::fs::write(&fixed, "en\tru\nSecretariat\tСекретариат ШОС\n").unwrap();
    a.cmd()
        .args(["import", "--on-duplicate", "overwrite"])
        .arg(&fixed)
        .assert()
        .success()
        .stdout(predicate::str::contains("1 overwritten"));
    let t1 = a.read(|r| {
        unit_ids(r)
            .into_iter()
            .find(|&id| r.unit(id).unwrap().unwrap().tuid.as_deref() == Some("t1"))
            .unwrap()
    });
    assert_eq!(a.variant(t1, "ru").0, "Секретариат ШОС");
    a.cmd()
        .args(["import", "--on-duplicate", "keep"])
        .arg(fixture("tmx/pairs.tsv"))
        .assert()
        .success()
        .stdout(predicate::str::contains("3 units added"))
        .stdout(predicate::str::contains("(added to)"));
    assert_eq!(a.stats().units, 6);
}

#[test]
fn several_files_one_failing() {
    let a = Tm::new();
    a.cmd()
        .arg("import")
        .arg(fixture("tmx/pairs.tsv"))
        .arg(fixture("tmx/bad/truncated.tmx"))
        .arg(fixture("tmx/tmx11.tmx"))
        .assert()
        .code(3)
        .stdout(predicate::str::contains("pairs.tsv: 3 units added"))
        .stdout(predicate::str::contains("tmx11.tmx: 2 units added"))
        .stderr(predicate::str::contains(
            "truncated.tmx:16:91: the file ends before </seg>",
        ))
        .stderr(predicate::str::contains(
            "1 of 3 files failed and imported nothing",
        ));
    assert_eq!(a.stats().documents, 2);
    assert_eq!(a.stats().units, 5);
    a.cmd()
        .args(["import", "--doc", "x"])
        .arg(fixture("tmx/pairs.tsv"))
        .arg(fixture("tmx/tmx11.tmx"))
        .assert()
        .code(2);
}

/// Each bad file: a one-line error naming the file and position, a non-zero
/// exit, no panic, and the TM exactly as it was.
#[test]
fn bad_input_changes_nothing() {
    let a = Tm::new();
    a.import(&fixture("tmx/pairs.tsv"));
    let before = a.snapshot();
    let cases: &[(&str, &str)] = &[
        (
            "bad/truncated.tmx",
            "truncated.tmx:16:91: the file ends before </seg> (is it truncated?)",
        ),
        (
            "bad/entities.tmx",
            "entities.tmx:18:29: unknown entity &lol9; (it is declared in the DOCTYPE",
        ),
        ("bad/nolang.tmx", "nolang.tmx:7:3: <tuv> without a language"),
        (
            "bad/unknown-inline.tmx",
            "unknown-inline.tmx:6:35: unknown inline element <g>",
        ),
        (
            "bad/unknown-lang.tmx",
            "unknown-lang.tmx:5:45: <tuv>: unknown language code 'klingon'",
        ),
        (
            "bad/xliff.tmx",
            "xliff.tmx:2:1: not a TMX file: the root element is <xliff>",
        ),
        (
            "bad/cp1251.tmx",
            "cp1251.tmx:5:69: not UTF-8 (invalid byte 0xCF; it looks like Windows-1251",
        ),
        ("bad/cp1251.tsv", "cp1251.tsv:2:7: not UTF-8"),
        ("bad/empty.tmx", "empty.tmx: is empty"),
        ("bad/empty.tsv", "empty.tsv: is empty"),
        (
            "bad/wrong-cols.tsv",
            "wrong-cols.tsv:3: 3 columns, the header has 2",
        ),
        (
            "bad/unknown-lang.tsv",
            "unknown-lang.tsv:1:2: header: unknown language code 'klingon'",
        ),
    ];
    for (file, msg) in cases {
        let out = a
            .cmd()
            .arg("import")
            .arg(fixture(&format!("tmx/{file}")))
            .timeout(std::time::Duration::from_secs(20))
            .assert()
            .code(3)
            .stderr(predicate::str::contains(*msg))
            .get_output()
            .clone();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{file}: one line: {err}");
        assert!(!err.contains("panicked"), "{file}: {err}");
        assert_eq!(a.snapshot(), before, "{file} changed the TM");
    }
    let missing = a
        .cmd()
        .arg("import")
        .arg(fixture("tmx/bad/no-such-file.tmx"))
        .assert()
        .code(5);
    missing.stderr(predicate::str::contains("no-such-file.tmx: no such file"));
    assert_eq!(a.snapshot(), before);
}

#[test]
fn long_lines_stream_or_fail_cleanly() {
    // A whole TMX on one line (20,000 units, ~3 MB): streamed like any other.
    let a = Tm::new();
    let mut s = String::from(
        r#"<?xml version="1.0"?><tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="en" datatype="plaintext"/><body>"#,
    );
    for i in 0..20_000 {
        s.push_str(&format!(
            r#"<tu><tuv xml:lang="en"><seg>Sentence number {i} of a long line.</seg></tuv><tuv xml:lang="ru"><seg>Предложение номер {i} длинной строки.</seg></tuv></tu>"#
        ));
    }
    s.push_str("</body></tmx>");
    let p = a.path("one-line.tmx");
    std::fs::write(&p, &s).unwrap();
    a.cmd()
        .arg("import")
        .arg(&p)
        .assert()
        .success()
        .stdout(predicate::str::contains("20000 units added"));
    // One segment of 17 MB (more than any segment can be): refused at its
    // position without reading it all. (A 200 MB line behaves the same; the
    // limit is 16 MiB of text without markup.)
    let before = a.snapshot();
    let mut big = String::from(
        r#"<tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>"#,
    );
    big.push_str(&"x".repeat(17 << 20));
    big.push_str(r#"</seg></tuv></tu></body></tmx>"#);
    let p = a.path("huge.tmx");
    std::fs::write(&p, &big).unwrap();
    a.cmd()
        .arg("import")
        .arg(&p)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("huge.tmx:1:"))
        .stderr(predicate::str::contains("without markup"));
    assert_eq!(a.snapshot(), before);
}

#[test]
fn export_refuses_what_it_cannot_write() {
    let a = Tm::new();
    a.import(&fixture("tmx/sample.tmx"));
    // a newline cannot go into TSV: refused, naming the unit; CSV is fine
    a.cmd()
        .args(["export", "--format", "tsv", "-o"])
        .arg(a.path("x.tsv"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "unit 4 (en-US) holds a line break",
        ));
    assert!(!a.path("x.tsv").exists(), "no half-written file");
    let csv = a.export(&[], "x.csv");
    assert!(csv.contains("\"Line one\nline two\""));
    // tags become the codes they stand for in a table
    assert!(csv.contains("Click <b>Save</b> to keep <img src=\"\"a.png\"\" alt=\"\"Save icon\"\"/> the Secretariat file."), "{csv}");
    // a character XML 1.0 forbids, put there behind polytm's back
    a.write(|w| {
        let bell = NewVariant::new(LangTag::parse("zh-CN").unwrap(), "bell\u{7}");
        assert!(w.set_variant(3, &bell).unwrap());
    });
    a.cmd()
        .args(["export", "-o"])
        .arg(a.path("bad.tmx"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "unit 3 (zh-CN text): the character U+0007 cannot be written to XML 1.0",
        ));
    assert!(!a.path("bad.tmx").exists());
    // an old export stays as it was when a new one fails
    std::fs::write(a.path("keep.tmx"), "old").unwrap();
    a.cmd()
        .args(["export", "-o"])
        .arg(a.path("keep.tmx"))
        .assert()
        .code(1);
    assert_eq!(std::fs::read_to_string(a.path("keep.tmx")).unwrap(), "old");
}

#[test]
fn export_filters() {
    let a = Tm::new();
    a.import(&fixture("tmx/sample.tmx"));
    a.import(&fixture("tmx/pairs.tsv"));
    let out = a.export(&["--doc", "pairs.tsv"], "d.tmx");
    assert_eq!(out.matches("<tu ").count(), 3);
    assert!(out.contains(r#"<prop type="x-polytm-document">pairs.tsv</prop>"#));
    a.cmd()
        .args(["export", "--doc", "nope.tmx"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no document named 'nope.tmx'"));
    // --since: the sample's dated units are from 2018, the rest from today
    let out = a.export(&["--since", "2020-01-01"], "s.tmx");
    assert!(!out.contains("sco-1"));
    assert!(out.contains("sco-3"));
    // created before, but changed on 2019-01-01: in
    let out = a.export(&["--since", "2018-12-31T23:59:59Z"], "s2.tmx");
    assert!(out.contains(r#"tuid="sco-1""#));
    assert!(!out.contains(r#"tuid="sco-2""#));
    a.cmd()
        .args(["export", "--since", "last week"])
        .assert()
        .code(2);
    // an empty selection is a valid, empty TMX
    let empty = a.export(&["--since", "2999-01-01"], "empty.tmx");
    assert!(empty.contains("<body>\n  </body>"));
    xmllint_valid(&a.path("empty.tmx"));
}

#[test]
fn documents_and_batches_are_maintained() {
    let a = Tm::new();
    a.import(&fixture("tmx/sample.tmx"));
    a.import(&fixture("tmx/pairs.tsv"));
    a.cmd()
        .args(["docs", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "sample.tmx  en-US,ru-RU,zh-CN  imported  5",
        ));
    let json = a.cmd().args(["docs", "list", "--json"]).output().unwrap();
    let docs: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(docs[1]["name"], "pairs.tsv");
    assert_eq!(docs[1]["units"], 3);
    a.cmd()
        .args(["batches", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("import"));
    // undo the second import
    a.cmd()
        .args(["batches", "remove", "2"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "removed batch 2: 3 units, 1 documents",
        ));
    assert_eq!(a.stats().units, 5);
    let before = a.snapshot();
    a.cmd()
        .args(["batches", "remove", "1", "99"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no batch 99"));
    assert_eq!(a.snapshot(), before, "all or nothing");
    a.cmd()
        .args(["docs", "remove", "sample.tmx"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "removed document 'sample.tmx' and its 5 units",
        ));
    assert_eq!(a.stats().units, 0);
    assert_eq!(a.stats().languages.iter().map(|l| l.count).sum::<i64>(), 0);
    a.cmd()
        .args(["docs", "remove", "sample.tmx"])
        .assert()
        .code(1);
}

#[test]
fn units_are_shown_edited_and_deleted() {
    let a = Tm::new();
    a.import(&fixture("tmx/sample.tmx"));
    a.cmd()
        .args(["unit", "show", "1"])
        .assert()
        .success()
        .stdout(predicate::str::contains("unit 1, document 'sample.tmx'"))
        .stdout(predicate::str::contains("prop x-Domain: Counter-narcotics"))
        .stdout(predicate::str::contains("ru creationid: OLGA"));
    let out = a
        .cmd()
        .args(["unit", "show", "2", "--json"])
        .output()
        .unwrap();
    let u: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        u["variants"][0]["plain"],
        "Click Save to keep  the Secretariat file."
    );
    // edit: text exactly as given; the unit's tag is kept
    a.cmd()
        .args(["unit", "edit", "3", "--lang", "ru", "  Два  пробела \\n  "])
        .assert()
        .success()
        .stdout(predicate::str::contains("unit 3: ru-RU added"));
    a.cmd()
        .args(["unit", "edit", "3", "--lang", "zh", "新的译文"])
        .assert()
        .success()
        .stdout(predicate::str::contains("unit 3: zh-CN changed"));
    assert_eq!(a.variant(3, "ru").0, "  Два  пробела \\n  ");
    // markup is checked, and stored as TMX
    a.cmd()
        .args([
            "unit",
            "edit",
            "3",
            "--lang",
            "en",
            "--markup",
            "Press <ph x=\"1\">&lt;br/&gt;</ph> now",
        ])
        .assert()
        .success();
    let (text, plain) = a.variant(3, "en");
    assert_eq!(
        (text.as_str(), plain.as_deref()),
        ("Press <ph x=\"1\">&lt;br/&gt;</ph> now", Some("Press  now"))
    );
    let before = a.snapshot();
    a.cmd()
        .args([
            "unit",
            "edit",
            "3",
            "--lang",
            "en",
            "--markup",
            "Press <g>now</g>",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown inline element <g>"));
    a.cmd()
        .args(["unit", "edit", "3", "--lang", "en", "bell\u{7}"])
        .assert()
        .code(2);
    a.cmd()
        .args(["unit", "edit", "99", "--lang", "en", "x"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no unit 99"));
    assert_eq!(a.snapshot(), before);
    // the edited unit exports as edited, still valid
    let out = a.export(&[], "edited.tmx");
    xmllint_valid(&a.path("edited.tmx"));
    assert!(out.contains("<seg>Press <ph x=\"1\">&lt;br/&gt;</ph> now</seg>"));
    assert!(out.contains("<seg>新的译文</seg>"));
    // remove a language; a unit keeps two at least
    a.cmd()
        .args(["unit", "edit", "3", "--lang", "zh", "--remove"])
        .assert()
        .success();
    a.cmd()
        .args(["unit", "edit", "3", "--lang", "ru", "--remove"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("delete the unit instead"));
    a.cmd()
        .args(["unit", "delete", "3", "4"])
        .assert()
        .success()
        .stdout(predicate::str::contains("deleted 2 units"));
    a.cmd().args(["unit", "delete", "3"]).assert().code(1);
    assert_eq!(a.stats().units, 3);
}

#[test]
fn standard_input_and_format_override() {
    let a = Tm::new();
    a.cmd()
        .args(["import", "--format", "tmx", "-"])
        .write_stdin(std::fs::read(fixture("tmx/tmx11.tmx")).unwrap())
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "2 units added; document '<stdin>'",
        ));
    a.cmd()
        .args(["import", "-"])
        .write_stdin("en\tru\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--format"));
    // errors on standard input are placed by byte offset
    a.cmd()
        .args(["import", "--format", "tmx", "-"])
        .write_stdin(std::fs::read(fixture("tmx/bad/nolang.tmx")).unwrap())
        .assert()
        .code(3)
        .stderr(predicate::str::contains("<stdin>:byte "));
}

#[test]
fn edits_and_removals_reach_fuzzy_matching() {
    let a = Tm::new();
    a.import(&fixture("tmx/pairs.tsv"));
    let best = |q: &str| -> serde_json::Value {
        let out = a
            .cmd()
            .args(["match", "--from", "en", "--to", "ru", "--json", q])
            .output()
            .unwrap();
        assert!(out.status.success());
        serde_json::from_slice(&out.stdout).unwrap()
    };
    assert_eq!(best("Secretariat")[0]["target"], "Секретариат");
    a.cmd()
        .args(["unit", "edit", "1", "--lang", "ru", "Секретариат ШОС"])
        .assert()
        .success();
    assert_eq!(best("Secretariat")[0]["target"], "Секретариат ШОС");
    a.cmd()
        .args(["unit", "edit", "1", "--lang", "en", "General Secretariat"])
        .assert()
        .success();
    assert_eq!(best("General Secretariat")[0]["score"], 100);
    a.cmd().args(["unit", "delete", "1"]).assert().success();
    let after = best("General Secretariat");
    assert!(
        after.as_array().unwrap().iter().all(|m| m["unit"] != 1),
        "{after}"
    );
    a.cmd()
        .args(["docs", "remove", "pairs.tsv"])
        .assert()
        .success();
    assert_eq!(
        best("Regional Anti-Terrorist Structure"),
        serde_json::json!([])
    );
}

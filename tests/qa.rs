//! `polytm qa` run as a user runs it, on the fixtures in tests/fixtures/qa
//! (written for these tests) and the shipped glossary: every check on the
//! files where it must fire and on correct translations where it must not
//! (Russian terms in every case, Chinese names in running text), every
//! input format, the JSON contract, the table, the HTML page, profiles,
//! exit codes and bad input.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/qa")
        .join(name)
}

struct Tm {
    dir: tempfile::TempDir,
    db: PathBuf,
}

impl Tm {
    /// A TM holding the shipped glossary.
    fn new() -> Tm {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("tm.db");
        let tm = Tm { dir, db };
        let glossary =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("glossaries/sco-counter-narcotics.tsv");
        tm.run(&["glossary", "import", glossary.to_str().unwrap()]);
        tm
    }

    /// Run; (exit code, stdout, stderr).
    fn run(&self, args: &[&str]) -> (i32, String, String) {
        let out = Command::cargo_bin("polytm")
            .unwrap()
            .arg("--db")
            .arg(&self.db)
            .arg("--quiet")
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// `qa --json` on fixtures: the findings and the exit code.
    fn qa(&self, args: &[&str]) -> (i32, Vec<Value>) {
        let mut all = vec!["qa".to_string(), "--json".to_string()];
        for a in args {
            if a.ends_with(".xlf")
                || a.ends_with(".tsv")
                || a.ends_with(".csv")
                || a.ends_with(".tmx")
                || a.ends_with(".txt")
                || a.ends_with(".toml")
            {
                all.push(fixture(a).to_string_lossy().into_owned());
            } else {
                all.push(a.to_string());
            }
        }
        let refs: Vec<&str> = all.iter().map(String::as_str).collect();
        let (code, out, err) = self.run(&refs);
        assert!(code == 0 || code == 6, "{args:?}: exit {code}: {err}");
        (
            code,
            serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}")),
        )
    }
}

/// (unit, check) of every finding.
fn pairs(findings: &[Value]) -> BTreeSet<(String, String)> {
    findings
        .iter()
        .map(|f| {
            (
                f["unit"].as_str().unwrap().to_string(),
                f["check"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn of_unit<'a>(findings: &'a [Value], unit: &str) -> Vec<&'a Value> {
    findings.iter().filter(|f| f["unit"] == unit).collect()
}

fn set(items: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    items
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn every_check_fires_where_it_must_and_nowhere_else_russian() {
    let tm = Tm::new();
    let (code, f) = tm.qa(&["faults.en-ru.xlf"]);
    assert_eq!(code, 6, "errors found: exit 6");
    assert_eq!(
        pairs(&f),
        set(&[
            ("number", "number"),
            ("date", "number"),
            ("placeholder", "tag"),
            ("code", "tag"),
            ("empty", "empty"),
            ("missing", "empty"),
            ("untranslated", "untranslated"),
            ("spacing", "spacing"),
            ("brackets", "brackets"),
            ("script", "script"),
            ("repeat", "repeat"),
            ("punctuation", "punctuation"),
            ("same-2", "inconsistent"),
            ("length", "length"),
        ])
    );
    // the JSON contract: every key, unit a string, spans in characters
    for x in &f {
        let keys: BTreeSet<&str> = x.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "check", "file", "message", "severity", "source", "target", "unit"
            ]
            .into()
        );
        assert!(x["file"].as_str().unwrap().ends_with("faults.en-ru.xlf"));
        assert!(["error", "warning"].contains(&x["severity"].as_str().unwrap()));
    }
    let one = |u: &str| of_unit(&f, u)[0].clone();
    let n = one("number");
    assert_eq!(n["message"], "«5» in the source is «3» in the translation");
    assert_eq!(n["source"], serde_json::json!([5, 6]));
    assert_eq!(n["target"], serde_json::json!([10, 11]));
    assert_eq!(n["severity"], "error");
    let s = one("script");
    assert_eq!(
        s["target"],
        serde_json::json!([15, 29]),
        "«иcпользоваться», in characters"
    );
    let sp = of_unit(&f, "spacing");
    assert_eq!(sp.len(), 2);
    assert!(sp.iter().any(|x| x["message"] == "space before «,»" && x["target"] == serde_json::json!([6, 8])));
    assert!(
        sp.iter()
            .any(|x| x["message"] == "doubled space" && x["target"] == serde_json::json!([14, 16]))
    );
    // an inline code dropped: named with its markup, counted as written
    let code = of_unit(&f, "code");
    assert!(code.iter().any(
        |x| x["message"] == "«<g id=\"1\">» of the source is missing"
            && x["source"] == serde_json::json!([6, 16])
    ));
    assert_eq!(one("missing")["target"], Value::Null);
    assert_eq!(one("brackets")["message"], "no partner for (");
    assert_eq!(one("repeat")["message"], "doubled word «для»");
    assert_eq!(one("punctuation")["severity"], "warning");
    assert!(
        one("same-2")["message"]
            .as_str()
            .unwrap()
            .contains("in unit same-1")
    );
}

#[test]
fn every_check_fires_where_it_must_chinese_xliff_2() {
    let tm = Tm::new();
    let (_, f) = tm.qa(&["faults.en-zh.xlf"]);
    assert_eq!(
        pairs(&f),
        set(&[
            ("ordinal", "number"),
            ("halfwidth", "punctuation"),
            ("brackets", "brackets"),
            ("repeat", "repeat"),
            ("spacing", "spacing"),
            ("script", "script"),
            ("final", "punctuation"),
            ("two", "number"),
        ]),
        "the clean unit, 多字符字符串 and 一步一步 give nothing"
    );
    let two = of_unit(&f, "two");
    assert!(
        two[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("segment s2: ")
    );
    assert_eq!(
        of_unit(&f, "halfwidth")[0]["target"],
        serde_json::json!([4, 5])
    );
    assert_eq!(
        of_unit(&f, "repeat")[0]["target"],
        serde_json::json!([0, 4])
    );
}

#[test]
fn terms_in_every_russian_case_and_chinese_running_text_are_not_flagged() {
    let tm = Tm::new();
    for file in ["terms-ok.en-ru.tsv", "terms-ok.en-zh.tsv"] {
        let (code, f) = tm.qa(&[file]);
        assert_eq!(f, Vec::<Value>::new(), "{file}");
        assert_eq!(code, 0);
    }
}

#[test]
fn terminology_faults_name_the_expected_term() {
    let tm = Tm::new();
    let (code, f) = tm.qa(&["terms-bad.en-ru.tsv"]);
    assert_eq!(code, 6);
    assert_eq!(
        pairs(&f),
        set(&[("1", "term"), ("2", "term"), ("3", "term"), ("4", "term")])
    );
    let m = |u: &str| of_unit(&f, u)[0]["message"].as_str().unwrap().to_string();
    assert!(
        m("1").contains("expected «Министерство внутренних дел Республики Казахстан»"),
        "{}",
        m("1")
    );
    assert!(
        m("1").contains("(Ministry of Internal Affairs of the Kyrgyz Republic)"),
        "{}",
        m("1")
    );
    assert!(
        m("2").starts_with(
            "deprecated term «Республике Кыргызстан» for «Kyrgyzstan»; use «Кыргызская Республика»"
        ),
        "{}",
        m("2")
    );
    assert!(m("4").contains("«Iran»"), "Ирак is not Иран: {}", m("4"));
    let (_, f) = tm.qa(&["terms-bad.en-zh.tsv"]);
    assert_eq!(
        pairs(&f),
        set(&[("1", "term"), ("2", "term"), ("3", "term")])
    );
    let m = |u: &str| of_unit(&f, u)[0]["message"].as_str().unwrap().to_string();
    assert!(
        m("1").contains("expected «巴基斯坦禁毒部»"),
        "禁毒部队 is another agency: {}",
        m("1")
    );
    assert!(
        m("2").contains("«Belarus»"),
        "俄罗斯 inside nothing: {}",
        m("2")
    );
    assert!(
        m("3").starts_with("deprecated term «吉尔吉斯坦»"),
        "{}",
        m("3")
    );
}

#[test]
fn tmx_csv_and_a_document_pair() {
    let tm = Tm::new();
    let (_, f) = tm.qa(&["faults.tmx"]);
    assert_eq!(
        pairs(&f),
        set(&[("bold", "tag"), ("3", "number"), ("4", "empty")]),
        "tuid, else position"
    );
    let (_, f) = tm.qa(&["pairs.csv"]);
    assert_eq!(
        pairs(&f),
        set(&[("2", "number")]),
        "rows counted without the header"
    );
    let (_, f) = tm.qa(&[
        "--from",
        "en",
        "--to",
        "ru",
        "release.en.txt",
        "release.ru.txt",
    ]);
    let checks: BTreeSet<&str> = f.iter().map(|x| x["check"].as_str().unwrap()).collect();
    assert!(checks.contains("number"), "2019 became 2020: {f:?}");
    assert!(
        f.iter()
            .any(|x| x["message"].as_str().unwrap().contains("«2019»"))
    );
    assert!(
        f.iter()
            .all(|x| x["file"].as_str().unwrap().ends_with("release.en.txt"))
    );
}

#[test]
fn checks_switched_off_and_a_team_profile() {
    let tm = Tm::new();
    let (_, f) = tm.qa(&["--checks", "number,tag", "faults.en-ru.xlf"]);
    let checks: BTreeSet<&str> = f.iter().map(|x| x["check"].as_str().unwrap()).collect();
    assert_eq!(checks, ["number", "tag"].into());
    let (_, f) = tm.qa(&["--checks", "-length,-spacing", "faults.en-ru.xlf"]);
    assert!(
        f.iter()
            .all(|x| x["check"] != "length" && x["check"] != "spacing")
    );
    assert!(f.iter().any(|x| x["check"] == "number"));
    let (_, f) = tm.qa(&["--profile", "team.toml", "faults.en-ru.xlf"]);
    assert!(f.iter().all(|x| x["check"] != "length"), "switched off");
    assert_eq!(
        of_unit(&f, "punctuation")[0]["severity"],
        "error",
        "severity raised"
    );
    assert!(of_unit(&f, "untranslated").is_empty(), "allowed to stay");
    let term = of_unit(&f, "term");
    assert_eq!(term.len(), 1);
    assert_eq!(
        term[0]["message"],
        "forbidden term «Киргизии»; use «Кыргызстан»"
    );
    let (code, _, err) = tm.run(&[
        "qa",
        "--checks",
        "nope",
        fixture("pairs.csv").to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = tm.run(&[
        "qa",
        "--profile",
        fixture("bad.toml").to_str().unwrap(),
        fixture("pairs.csv").to_str().unwrap(),
    ]);
    assert_eq!(code, 3);
    assert!(err.contains("bad.toml:1:"), "{err}");
}

#[test]
fn the_table_and_the_html_page() {
    let tm = Tm::new();
    let html = tm.dir.path().join("report.html");
    let (code, out, err) = tm.run(&[
        "qa",
        "--html",
        html.to_str().unwrap(),
        fixture("faults.en-ru.xlf").to_str().unwrap(),
    ]);
    assert_eq!(code, 6);
    assert!(err.contains("findings of severity error"), "{err}");
    let first = out.lines().next().unwrap();
    for col in ["file", "unit", "check", "severity", "message", "segment"] {
        assert!(first.contains(col), "{first}");
    }
    assert!(
        out.contains("Подождите ⟦3⟧ минуты"),
        "the span marked: {out}"
    );
    assert!(out.contains("Значение может ⟦иcпользоваться⟧ здесь."));
    assert!(
        out.contains("findings (10 errors, 7 warnings) in 19 units of 1 file")
            || out.contains("in 19 units of 1 file"),
        "{out}"
    );
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(!page.contains("<script"));
    assert!(page.contains("<h2 id=\"number\">number"));
    assert!(page.contains("Подождите <mark>3</mark> минуты"));
    assert!(
        page.contains("&lt;g id=&quot;1&quot;&gt;"),
        "markup of the file shown as text"
    );
    // no errors: exit 0
    let (code, out, _) = tm.run(&["qa", fixture("terms-ok.en-zh.tsv").to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(out.starts_with("0 findings"), "{out}");
}

#[test]
fn the_translation_memory_itself_and_against_the_file() {
    let tm = Tm::new();
    let tsv = tm.dir.path().join("tm.tsv");
    std::fs::write(&tsv, "en\tru\nRemove the selected rows.\tУдалите выбранные строки.\nWait 5 minutes now.\tПодождите 6 минут сейчас.\nRemove the selected rows.\tУдалить выбранные строки.\n").unwrap();
    let (code, _, err) = tm.run(&["import", "--on-duplicate", "keep", tsv.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let (code, f) = tm.qa(&["--tm", "--from", "en", "--to", "ru"]);
    assert_eq!(code, 6);
    let checks: Vec<&str> = f.iter().map(|x| x["check"].as_str().unwrap()).collect();
    assert!(
        checks.contains(&"number") && checks.contains(&"inconsistent"),
        "{f:?}"
    );
    assert!(
        f.iter()
            .all(|x| x["file"] == "TM" && x["unit"].as_str().unwrap().parse::<i64>().is_ok())
    );
    // a file is compared with the TM: same-1 agrees with it, same-2 does not
    let (_, f) = tm.qa(&["--checks", "inconsistent", "faults.en-ru.xlf"]);
    assert!(of_unit(&f, "same-2").iter().any(|x| {
        x["message"]
            .as_str()
            .unwrap()
            .starts_with("the translation memory translates this source")
    }));
}

#[test]
fn bad_input_is_one_line_exit_3_and_files_stay_as_they_were() {
    let tm = Tm::new();
    for (file, want) in [
        ("malformed.xlf", "malformed.xlf:"),
        ("malformed.tmx", "malformed.tmx:"),
        ("empty.tsv", "empty.tsv"),
    ] {
        let path = fixture(file);
        let before = std::fs::read(&path).unwrap();
        let (code, out, err) = tm.run(&["qa", path.to_str().unwrap()]);
        assert_eq!(code, 3, "{file}: {err}");
        assert!(out.is_empty());
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(want), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), before);
    }
    // a language pair the file does not have
    let (code, _, err) = tm.run(&[
        "qa",
        "--to",
        "zh",
        fixture("faults.en-ru.xlf").to_str().unwrap(),
    ]);
    assert_eq!(code, 3);
    assert!(
        err.contains("faults.en-ru.xlf: has no zh text (its languages: en, ru)"),
        "{err}"
    );
    let (code, _, err) = tm.run(&[
        "qa",
        "--from",
        "en",
        "--to",
        "de",
        fixture("pairs.csv").to_str().unwrap(),
    ]);
    assert_eq!(code, 3, "{err}");
    // a document without its translation, --tm without languages
    let (code, _, _) = tm.run(&[
        "qa",
        "--from",
        "en",
        "--to",
        "ru",
        fixture("release.en.txt").to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    let (code, _, _) = tm.run(&["qa", "--tm"]);
    assert_eq!(code, 2);
    // --html naming the database is refused
    let (code, _, err) = tm.run(&[
        "qa",
        "--html",
        tm.db.to_str().unwrap(),
        fixture("pairs.csv").to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(tm.db.metadata().unwrap().len() > 0);
}

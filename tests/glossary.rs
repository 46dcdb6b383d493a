//! Glossary commands run as a user runs them: `glossary import|export|
//! scan|list` and `term QUERY|add|edit|remove`, on the fixtures in
//! tests/fixtures/glossary and on the shipped glossary.

mod common;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use serde_json::Value;

use common::{Tm, fixture, shipped_glossary};

/// A concept as (lang, text, status) terms, note and source.
type ConceptKey = (Vec<(String, String, String)>, String, String);

impl Tm {
    fn import(&self, files: &[&Path]) -> String {
        let mut args = vec!["glossary", "import"];
        let names: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
        args.extend(names.iter().map(String::as_str));
        self.ok(&args)
    }

    /// (concepts, terms) in the database.
    fn counts(&self) -> (i64, i64) {
        if !self.db.exists() {
            return (0, 0);
        }
        let st = self.json(&["stats", "--json"], None);
        let terms = st["terms"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["count"].as_i64().unwrap())
            .sum();
        (st["concepts"].as_i64().unwrap(), terms)
    }

    /// Every concept as a comparable set of (lang, text, status) plus note
    /// and source, independent of ids.
    fn concepts(&self) -> BTreeSet<ConceptKey> {
        let list = self.json(&["glossary", "list", "--json"], None);
        list.as_array()
            .unwrap()
            .iter()
            .map(|c| {
                let terms = c["terms"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|t| {
                        (
                            t["lang"].as_str().unwrap().to_string(),
                            t["text"].as_str().unwrap().to_string(),
                            t["status"].as_str().unwrap().to_string(),
                        )
                    })
                    .collect();
                (
                    terms,
                    c["note"].as_str().unwrap_or_default().to_string(),
                    c["source"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect()
    }
}

// ---------------------------------------------------------------------------
// import / export

#[test]
fn import_tsv_csv_tbx_and_reimport_adds_nothing() {
    let tm = Tm::new();
    let files = [
        fixture("glossary/small.tsv"),
        fixture("glossary/small.csv"),
        fixture("glossary/basic.tbx"),
        fixture("glossary/martif.tbx"),
    ];
    let paths: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let out = tm.import(&paths);
    assert!(out.contains("small.tsv: 5 concepts added"), "{out}");
    assert!(out.contains("basic.tbx: 1 concept added"), "{out}");
    assert!(out.contains("total: 9 concepts added"), "{out}");
    let before = tm.counts();
    assert_eq!(before, (9, 39));
    let out = tm.import(&paths);
    assert!(
        out.contains("total: 0 concepts added, 0 merged, 9 unchanged, 0 terms added"),
        "{out}"
    );
    assert_eq!(tm.counts(), before);

    // statuses from the cell syntax and from TBX
    let list = tm.json(&["glossary", "list", "--json"], None);
    let unodc = &list[3];
    let st: Vec<(&str, &str)> = unodc["terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["text"].as_str().unwrap(), t["status"].as_str().unwrap()))
        .collect();
    assert!(st.contains(&("UNODC", "abbreviation")), "{st:?}");
    assert!(st.contains(&("UNODP", "deprecated")), "{st:?}");
    assert!(st.contains(&("毒罪办", "abbreviation")), "{st:?}");
    let csv = &list[5];
    assert_eq!(csv["note"], "has \"quotes\"; and a semicolon");
    let tbx = &list[7];
    assert_eq!(tbx["domain"], "drug control");
    let akn = tbx["terms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["text"] == "АКН")
        .unwrap();
    assert_eq!(akn["status"], "abbreviation");
}

#[test]
fn merging_a_new_variant_into_a_stored_concept() {
    let tm = Tm::new();
    tm.import(&[&fixture("glossary/small.tsv")]);
    let dir = tm.dir.path();
    let more = dir.join("more.tsv");
    std::fs::write(
        &more,
        "en\tru\n\
         shanghai cooperation organisation | Shanghai Cooperation Organization\tШОС\n",
    )
    .unwrap();
    let out = tm.import(&[&more]);
    assert!(out.contains("0 concepts added, 1 merged"), "{out}");
    assert!(out.contains("1 term added"), "{out}");
    assert_eq!(tm.counts(), (5, 26));
}

#[test]
fn round_trip_tsv_db_tbx_db_gives_the_same_concepts() {
    let tm = Tm::new();
    tm.import(&[
        &fixture("glossary/small.tsv"),
        &fixture("glossary/small.csv"),
        &fixture("glossary/basic.tbx"),
        &fixture("glossary/martif.tbx"),
    ]);
    let original = tm.concepts();
    for (dialect, root) in [("tbx", "<tbx "), ("martif", "<martif ")] {
        let file = tm.dir.path().join(format!("out-{dialect}.tbx"));
        tm.ok(&[
            "glossary",
            "export",
            "--format",
            "tbx",
            "--tbx-dialect",
            dialect,
            "-o",
            file.to_str().unwrap(),
        ]);
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.contains(root), "{dialect}");
        let again = Tm::new();
        again.import(&[&file]);
        assert_eq!(again.concepts(), original, "{dialect}");
    }
    // and through TSV
    let tsv = tm.dir.path().join("out.tsv");
    tm.ok(&["glossary", "export", "-o", tsv.to_str().unwrap()]);
    let again = Tm::new();
    again.import(&[&tsv]);
    assert_eq!(again.concepts(), original);
}

#[test]
fn shipped_glossary_round_trips_through_tbx() {
    let tm = Tm::new();
    tm.import(&[&shipped_glossary()]);
    let original = tm.concepts();
    assert!(original.len() >= 50);
    let file = tm.dir.path().join("sco.tbx");
    tm.ok(&["glossary", "export", "-o", file.to_str().unwrap()]);
    let again = Tm::new();
    again.import(&[&file]);
    assert_eq!(again.concepts(), original);
}

#[test]
fn export_to_stdout_and_language_subset() {
    let tm = Tm::new();
    tm.import(&[&fixture("glossary/small.tsv")]);
    let out = tm.ok(&["glossary", "export", "--format", "tsv", "--langs", "en,zh"]);
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("en\tzh-CN\tnote\tsource"));
    assert_eq!(
        lines.next(),
        Some(
            "Shanghai Cooperation Organisation | SCO\t上海合作组织 | [abbr] 上合组织\t\tsectsco.org"
        )
    );
    let (code, _, err) = tm.run(&["glossary", "export", "--langs", "xx"], None);
    assert_eq!(code, 2, "{err}");
}

// ---------------------------------------------------------------------------
// bad input

/// Import a bad file: non-zero exit, one line naming the file (and line),
/// nothing written.
fn refused(tm: &Tm, file: &Path, code: i32, expect: &str) {
    let before = tm.counts();
    let (c, out, err) = tm.run(&["glossary", "import", file.to_str().unwrap()], None);
    assert_eq!(c, code, "{file:?}: {err}");
    assert!(out.is_empty(), "{out}");
    let err = err.trim_end();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains(expect), "{err} should contain {expect}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(tm.counts(), before, "{file:?} changed the database");
}

#[test]
fn bad_input_is_refused_with_file_and_line_and_nothing_written() {
    let tm = Tm::new();
    tm.import(&[&fixture("glossary/small.tsv")]);
    let dir = tm.dir.path();
    refused(
        &tm,
        &fixture("glossary/bad-columns.tsv"),
        3,
        "bad-columns.tsv:3: 2 columns, the header has 3",
    );
    refused(
        &tm,
        &fixture("glossary/bad-header.tsv"),
        3,
        "bad-header.tsv:1:2: header: unknown language code 'Russian' (did you mean 'ru'?)",
    );
    refused(
        &tm,
        &fixture("glossary/empty.tsv"),
        3,
        "empty.tsv: is empty",
    );
    refused(
        &tm,
        &dir.join("missing.tsv"),
        5,
        "missing.tsv: no such file",
    );
    refused(
        &tm,
        &fixture("glossary/malformed.tbx"),
        3,
        "malformed.tbx:6:5: malformed XML",
    );
    // UTF-16 with a byte-order mark (Excel's "Unicode text")
    let utf16 = dir.join("utf16.tsv");
    let mut b = vec![0xFF, 0xFE];
    for u in "en\tru\nSCO\tШОС\n".encode_utf16() {
        b.extend_from_slice(&u.to_le_bytes());
    }
    std::fs::write(&utf16, b).unwrap();
    refused(&tm, &utf16, 3, "utf16.tsv: is UTF-16LE");
    // Windows-1251
    let cp1251 = dir.join("cp1251.tsv");
    std::fs::write(&cp1251, b"en\tru\nSCO\t\xD8\xCE\xD1\n").unwrap();
    refused(&tm, &cp1251, 3, "cp1251.tsv:2:5: not UTF-8");
    // A TBX with an unknown language
    let tbx = dir.join("lang.tbx");
    std::fs::write(
        &tbx,
        "<martif><text><body>\n<termEntry><langSet xml:lang=\"english\"><tig><term>x</term></tig></langSet></termEntry>\n</body></text></martif>",
    )
    .unwrap();
    refused(
        &tm,
        &tbx,
        3,
        "lang.tbx:2:12: <langSet xml:lang=\"english\">",
    );
    // Not a TBX at all
    let tmx = dir.join("memory.tbx");
    std::fs::write(&tmx, "<tmx version=\"1.4\"><body/></tmx>").unwrap();
    refused(&tm, &tmx, 3, "root element is <tmx>");
}

#[test]
fn a_bad_second_file_leaves_the_first_unimported() {
    let tm = Tm::new();
    let (code, out, err) = tm.run(
        &[
            "glossary",
            "import",
            fixture("glossary/small.tsv").to_str().unwrap(),
            fixture("glossary/bad-columns.tsv").to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code, 3, "{err}");
    assert!(out.is_empty());
    assert_eq!(tm.counts(), (0, 0));
}

#[test]
fn database_that_is_not_sqlite_is_refused() {
    let tm = Tm::new();
    std::fs::write(&tm.db, "not a database").unwrap();
    let (code, _, err) = tm.run(
        &[
            "glossary",
            "import",
            fixture("glossary/small.tsv").to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("not an SQLite file"), "{err}");
    assert_eq!(std::fs::read_to_string(&tm.db).unwrap(), "not a database");
}

#[test]
fn dry_run_writes_nothing() {
    let tm = Tm::new();
    let out = tm.ok(&[
        "glossary",
        "import",
        "--dry-run",
        fixture("glossary/small.tsv").to_str().unwrap(),
    ]);
    assert!(out.contains("would be: 5 concepts added"), "{out}");
    assert_eq!(tm.counts(), (0, 0));
}

// ---------------------------------------------------------------------------
// term QUERY

fn ids_and_kinds(v: &Value) -> Vec<(String, String)> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["concept"]["en"][0].as_str().unwrap_or("").to_string(),
                c["match"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn term_lookup_inflected_prefix_chinese_and_english_variants() {
    let tm = Tm::new();
    tm.import(&[&fixture("glossary/small.tsv")]);
    let kz = "Ministry of Internal Affairs of the Republic of Kazakhstan".to_string();
    let kg = "Ministry of Internal Affairs of the Kyrgyz Republic".to_string();
    let v = tm.json(&["term", "министерства внутренних дел", "--json"], None);
    assert_eq!(
        ids_and_kinds(&v),
        vec![(kz.clone(), "prefix".into()), (kg.clone(), "prefix".into())]
    );
    // every concept comes with all its languages
    assert_eq!(v[0]["concept"]["zh"][0], "哈萨克斯坦内务部");
    assert_eq!(v[0]["concept"]["ru"][1], "МВД РК");
    let v = tm.json(
        &[
            "term",
            "Министерством внутренних дел Республики Казахстан",
            "--json",
        ],
        None,
    );
    assert_eq!(ids_and_kinds(&v), vec![(kz.clone(), "inflected".into())]);
    let v = tm.json(&["term", "内务部", "--json"], None);
    assert_eq!(
        ids_and_kinds(&v),
        vec![
            (kz.clone(), "contains".into()),
            (kg.clone(), "contains".into())
        ]
    );
    let v = tm.json(
        &["term", "Shanghai Cooperation Organization", "--json"],
        None,
    );
    assert_eq!(
        ids_and_kinds(&v),
        vec![(
            "Shanghai Cooperation Organisation".into(),
            "inflected".into()
        )]
    );
    let v = tm.json(&["term", "ШОС", "--json", "--lang", "ru"], None);
    assert_eq!(ids_and_kinds(&v)[0].1, "exact");
    // Министр is not Министерство
    let v = tm.json(&["term", "Министр", "--json"], None);
    assert_eq!(v, Value::Array(vec![]));
    // nothing found: empty output, exit 0
    let (code, out, _) = tm.run(&["term", "no such thing"], None);
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), 2, "{out}");
    // a table for people
    let out = tm.ok(&["term", "МВД РК"]);
    assert!(out.contains("#2"), "{out}");
    assert!(out.contains("哈萨克斯坦内务部"), "{out}");
}

// ---------------------------------------------------------------------------
// term add / edit / remove

#[test]
fn term_add_edit_remove() {
    let tm = Tm::new();
    tm.import(&[&fixture("glossary/small.tsv")]);
    let v = tm.json(
        &[
            "term",
            "add",
            "--en",
            "Anti-Narcotics Force | ANF",
            "--ru",
            "Силы по борьбе с наркотиками Пакистана",
            "--term",
            "zh-CN=巴基斯坦禁毒部队",
            "--note",
            "Pakistan",
            "--json",
        ],
        None,
    );
    assert_eq!(v["id"], 6);
    assert_eq!(
        v["concept"]["en"],
        serde_json::json!(["Anti-Narcotics Force", "ANF"])
    );
    assert_eq!(v["terms"][1]["status"], "abbreviation");
    assert_eq!(v["terms"][3]["tag"], "zh-CN");
    assert_eq!(tm.counts(), (6, 29));
    // adding a known term merges into its concept
    let (code, _, err) = tm.run(
        &[
            "term",
            "add",
            "--en",
            "SCO | Shanghai Cooperation Organisation",
            "--ru",
            "Шанхайская организация",
        ],
        None,
    );
    assert_eq!(code, 0);
    assert!(err.contains("added 1 terms to concept #1"), "{err}");
    // edit: add, prefer, deprecate, remove, note
    let v = tm.json(
        &[
            "term",
            "edit",
            "6",
            "--add",
            "en=Pakistan Anti-Narcotics Force",
            "--prefer",
            "en=ANF Pakistan",
            "--deprecate",
            "ru=силы по борьбе с наркотиками пакистана",
            "--note",
            "checked",
            "--json",
        ],
        None,
    );
    let en: Vec<(&str, &str)> = v["terms"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["lang"] == "en")
        .map(|t| (t["text"].as_str().unwrap(), t["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        en,
        vec![
            ("ANF Pakistan", "preferred"),
            ("Anti-Narcotics Force", "variant"),
            ("ANF", "abbreviation"),
            ("Pakistan Anti-Narcotics Force", "variant"),
        ]
    );
    assert_eq!(v["note"], "checked");
    let ru = v["terms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["lang"] == "ru")
        .unwrap();
    assert_eq!(ru["status"], "deprecated");
    let v = tm.json(
        &["term", "edit", "6", "--remove", "en=anf pakistan", "--json"],
        None,
    );
    assert_eq!(v["terms"].as_array().unwrap().len(), 5);
    // errors: unknown concept, unknown term, last term, bad LANG=TEXT
    let (code, _, err) = tm.run(&["term", "edit", "99", "--note", "x"], None);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("no concept #99"), "{err}");
    let (code, _, err) = tm.run(&["term", "edit", "6", "--remove", "ru=нет такого"], None);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = tm.run(
        &[
            "term",
            "edit",
            "5",
            "--remove",
            "en=Kazakhstan",
            "--remove",
            "ru=Казахстан",
            "--remove",
            "zh=哈萨克斯坦",
        ],
        None,
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("without terms"), "{err}");
    let (code, _, err) = tm.run(&["term", "add", "--term", "Kazakhstan"], None);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = tm.run(&["term", "add", "--term", "xx=abc"], None);
    assert_eq!(code, 2, "{err}");
    assert_eq!(tm.counts().0, 6);
    // remove
    let out = tm.ok(&["term", "remove", "6"]);
    assert_eq!(out.trim(), "removed 1 concepts (5 terms)");
    let (code, _, err) = tm.run(&["term", "remove", "5", "77"], None);
    assert_eq!(code, 1, "{err}");
    assert_eq!(tm.counts().0, 5, "nothing removed when one id is unknown");
}

// ---------------------------------------------------------------------------
// scan

fn scan(tm: &Tm, lang: &str, text: &str) -> Vec<(String, String)> {
    let v = tm.json(&["glossary", "scan", "--lang", lang, "--json"], Some(text));
    let chars: Vec<char> = text.chars().collect();
    v.as_array()
        .unwrap()
        .iter()
        .map(|h| {
            let s = h["start"].as_u64().unwrap() as usize;
            let e = h["end"].as_u64().unwrap() as usize;
            let t = h["text"].as_str().unwrap();
            assert_eq!(
                chars[s..e].iter().collect::<String>(),
                t,
                "offsets in characters"
            );
            (
                t.to_string(),
                h["concept"]["en"][0].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn scan_russian_inflections_english_variants_chinese_text() {
    let tm = Tm::new();
    tm.import(&[&fixture("glossary/small.tsv")]);
    let kz = "Ministry of Internal Affairs of the Republic of Kazakhstan";
    assert_eq!(
        scan(
            &tm,
            "ru",
            "Делегацию Министерства внутренних дел Республики Казахстан встретили в МВД КР.\nМинистр внутренних дел Кыргызстана выступил."
        ),
        vec![
            (
                "Министерства внутренних дел Республики Казахстан".into(),
                kz.into()
            ),
            (
                "МВД КР".into(),
                "Ministry of Internal Affairs of the Kyrgyz Republic".into()
            ),
        ]
    );
    assert_eq!(
        scan(
            &tm,
            "en",
            "Kazakhstan's Interior Ministry of the Republic of Kazakhstan? The SCO's members and the Shanghai Cooperation Organization; UNODP."
        ),
        vec![
            ("Kazakhstan".into(), "Kazakhstan".into()),
            (
                "Interior Ministry of the Republic of Kazakhstan".into(),
                kz.into()
            ),
            ("SCO".into(), "Shanghai Cooperation Organisation".into()),
            (
                "Shanghai Cooperation Organization".into(),
                "Shanghai Cooperation Organisation".into()
            ),
            (
                "UNODP".into(),
                "United Nations Office on Drugs and Crime".into()
            ),
        ]
    );
    assert_eq!(
        scan(
            &tm,
            "zh-CN",
            "上合组织与联合国毒品和犯罪问题办公室在哈萨克斯坦内务部举行会议"
        ),
        vec![
            (
                "上合组织".into(),
                "Shanghai Cooperation Organisation".into()
            ),
            (
                "联合国毒品和犯罪问题办公室".into(),
                "United Nations Office on Drugs and Crime".into()
            ),
            ("哈萨克斯坦内务部".into(), kz.into()),
        ]
    );
    // nothing found: [] and exit 0; empty input too
    assert!(scan(&tm, "en", "Drug control remains a priority.").is_empty());
    assert!(scan(&tm, "en", "").is_empty());
}

#[test]
fn scan_json_shape_and_table() {
    let tm = Tm::new();
    tm.import(&[&fixture("glossary/small.tsv")]);
    let v = tm.json(
        &["glossary", "scan", "--lang", "ru", "--json"],
        Some("в УНП ООН"),
    );
    assert_eq!(
        v,
        serde_json::json!([{
            "start": 2, "end": 9, "text": "УНП ООН",
            "concept": {
                "en": ["United Nations Office on Drugs and Crime", "UNODC", "UNODP"],
                "ru": ["Управление ООН по наркотикам и преступности", "УНП ООН"],
                "zh": ["联合国毒品和犯罪问题办公室", "毒罪办"]
            },
            "concept_id": 4, "term": "УНП ООН", "status": "abbreviation"
        }])
    );
    let file = tm.dir.path().join("text.txt");
    std::fs::write(&file, "Первая строка.\nВторая: ШОС и Казахстан.").unwrap();
    let out = tm.ok(&["glossary", "scan", "--lang", "ru", file.to_str().unwrap()]);
    assert!(out.contains("2:9"), "{out}");
    assert!(out.contains("上海合作组织"), "{out}");
    // bad --lang and a text that is not UTF-8
    let (code, _, err) = tm.run(&["glossary", "scan", "--lang", "klingon"], Some("x"));
    assert_eq!(code, 2, "{err}");
    let bad = tm.dir.path().join("bad.txt");
    std::fs::write(&bad, b"\xFF\xFEa\x00").unwrap();
    let (code, _, err) = tm.run(
        &["glossary", "scan", "--lang", "en", bad.to_str().unwrap()],
        None,
    );
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("bad.txt: is UTF-16LE"), "{err}");
}

// ---------------------------------------------------------------------------
// The shipped glossary on realistic sentences

/// Scan one fixture of sentences (one per line, with the English preferred
/// names of the concepts each names); (expected, found, false hits).
fn score(tm: &Tm, lang: &str) -> (usize, usize, Vec<String>) {
    let text = std::fs::read_to_string(fixture(&format!("glossary/sentences.{lang}.tsv"))).unwrap();
    let rows: Vec<(String, BTreeSet<String>)> = text
        .lines()
        .skip(1)
        .map(|l| {
            let (t, e) = l.split_once('\t').unwrap_or((l, ""));
            let e = e
                .split(" | ")
                .filter(|x| !x.is_empty())
                .map(String::from)
                .collect();
            (t.to_string(), e)
        })
        .collect();
    let joined: String = rows.iter().map(|r| format!("{}\n", r.0)).collect();
    let v = tm.json(
        &["glossary", "scan", "--lang", lang, "--json"],
        Some(&joined),
    );
    let chars: Vec<char> = joined.chars().collect();
    let mut line_of = Vec::with_capacity(chars.len());
    let mut line = 0;
    for c in &chars {
        line_of.push(line);
        if *c == '\n' {
            line += 1;
        }
    }
    let mut found: HashMap<usize, BTreeSet<String>> = HashMap::new();
    for h in v.as_array().unwrap() {
        let s = h["start"].as_u64().unwrap() as usize;
        let e = h["end"].as_u64().unwrap() as usize;
        assert_eq!(
            chars[s..e].iter().collect::<String>(),
            h["text"].as_str().unwrap()
        );
        found
            .entry(line_of[s])
            .or_default()
            .insert(h["concept"]["en"][0].as_str().unwrap().to_string());
    }
    let (mut expected, mut hit, mut false_hits) = (0, 0, Vec::new());
    for (i, (t, e)) in rows.iter().enumerate() {
        let f = found.remove(&i).unwrap_or_default();
        expected += e.len();
        hit += e.intersection(&f).count();
        for x in f.difference(e) {
            false_hits.push(format!("{t} -> {x}"));
        }
    }
    (expected, hit, false_hits)
}

#[test]
fn shipped_glossary_finds_the_agencies_in_real_sentences() {
    let tm = Tm::new();
    tm.import(&[&shipped_glossary()]);
    for lang in ["en", "ru", "zh"] {
        let (expected, found, false_hits) = score(&tm, lang);
        eprintln!(
            "{lang}: {found} of {expected} named concepts found ({:.1} %), {} false hits",
            100.0 * found as f64 / expected as f64,
            false_hits.len()
        );
        assert!(expected >= 40, "{lang}: {expected}");
        assert!(
            found * 10 >= expected * 9,
            "{lang}: only {found} of {expected} concepts found"
        );
        assert!(false_hits.is_empty(), "{lang}: false hits {false_hits:#?}");
    }
}

#[test]
fn shipped_glossary_covers_the_seed_press_release_names() {
    let tm = Tm::new();
    tm.import(&[&shipped_glossary()]);
    let text = "On 17 May 2018, Tianjin in the People's Republic of China hosted the 8th Meeting of Heads of the SCO Member States' Counter-Narcotics Agencies. \
        Mutha Asok Jain from the Republic of India Narcotics Control Bureau, Arystangany Zapparov from the Interior Ministry of the Republic of Kazakhstan, \
        A. Zhaichibekov from the Interior Ministry of the Kyrgyz Republic, Iqbal Mehmood from the Ministry of Narcotics Control of the Islamic Republic of Pakistan, \
        Kirill Smurov from the Interior Ministry of the Russian Federation, Murtazo Haydarzoda from the Narcotics Control Agency under the President of the Republic of Tajikistan \
        and Ahmed Mansurov from the National Information-Analytical Narcotics Control Centre under the Cabinet of Ministers of the Republic of Uzbekistan. \
        Head of the Drug Control Department at the Ministry of Public Security of the People's Republic of China Liang Yun. The SCO-UNODP event in Vienna; the three UN conventions; Afghanistan.";
    let found: Vec<String> = scan(&tm, "en", text).into_iter().map(|(_, c)| c).collect();
    for c in [
        "Tianjin",
        "People's Republic of China",
        "Meeting of the Heads of the Competent Authorities for Combating Illicit Drug Trafficking of SCO Member States",
        "Narcotics Control Bureau of India",
        "Ministry of Internal Affairs of the Republic of Kazakhstan",
        "Ministry of Internal Affairs of the Kyrgyz Republic",
        "Ministry of Narcotics Control of the Islamic Republic of Pakistan",
        "Ministry of Internal Affairs of the Russian Federation",
        "Drug Control Agency under the President of the Republic of Tajikistan",
        "National Information-Analytical Centre on Drug Control under the Cabinet of Ministers of the Republic of Uzbekistan",
        "Drug Control Department at the Ministry of Public Security of the People's Republic of China",
        "Shanghai Cooperation Organisation",
        "United Nations Office on Drugs and Crime",
        "Vienna",
        "three UN drug control conventions",
        "Afghanistan",
    ] {
        assert!(found.iter().any(|f| f == c), "{c} not found in {found:#?}");
    }
}

#[test]
fn example_releases_name_the_same_agencies_in_three_languages() {
    // The quick-start releases are translations of each other: the concepts
    // found in each language must be the same.
    let tm = Tm::new();
    tm.import(&[&shipped_glossary()]);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/releases");
    for stem in [
        "2019-05-16-bishkek",
        "2020-05-14-moscow",
        "2021-05-20-dushanbe",
    ] {
        let mut sets = Vec::new();
        for lang in ["en", "ru", "zh"] {
            let text = std::fs::read_to_string(dir.join(format!("{stem}.{lang}.txt"))).unwrap();
            let set: BTreeSet<String> =
                scan(&tm, lang, &text).into_iter().map(|(_, c)| c).collect();
            sets.push((lang, set));
        }
        assert!(sets[0].1.len() >= 8, "{stem}: {:?}", sets[0].1);
        for (lang, set) in &sets[1..] {
            assert_eq!(set, &sets[0].1, "{stem}: {lang} differs from en");
        }
    }
}

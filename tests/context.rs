//! In-context exact matches (101 %): an exact match whose previous and
//! next segments in its TM document are the segment's own neighbours, in
//! `analyze`, `pretranslate` (tables, JSON, XLIFF) and through TMX.
//!
//! Fixtures (`tests/fixtures/context/`): a three-sentence TM document
//! (`tm.en-ru.tsv`), another document holding its middle sentence alone
//! with another translation (`other.en-ru.tsv`), the same three
//! sentences as a new document (`same.en.txt`) and the same with the last
//! sentence changed (`changed.en.txt`); `omegat.tmx` has OmegaT's
//! `prev`/`next` props on one `<tu>` and memoQ's `x-context-pre`/`post`
//! on the source `<tuv>` of another.

mod common;

use common::{Tm, fixture, json, stdout};
use serde_json::Value;

fn tm_of(files: &[&str]) -> Tm {
    let tm = Tm::new();
    for f in files {
        tm.cmd()
            .arg("import")
            .arg(fixture(&format!("context/{f}")))
            .assert()
            .success();
    }
    tm
}

/// (band, segments) of the total of the first target, non-zero only.
fn bands(j: &Value) -> Vec<(String, u64)> {
    common::bands(&j["targets"][0]["total"], true)
}

fn analyze(tm: &Tm, file: &std::path::Path) -> Value {
    json(tm.en_ru("analyze", &["--presplit", "--json"]).arg(file))
}

fn pretranslate(tm: &Tm, file: &std::path::Path, format: &str) -> String {
    stdout(
        tm.en_ru(
            "pretranslate",
            &["--presplit", "--quiet", "--format", format],
        )
        .arg(file),
    )
}

#[test]
fn a_three_sentence_document_met_again_is_in_context() {
    let tm = tm_of(&["tm.en-ru.tsv", "other.en-ru.tsv"]);
    let j = analyze(&tm, &fixture("context/same.en.txt"));
    // the first and last have the document start and end on one side
    assert_eq!(bands(&j), [("context".to_string(), 3)]);
    // the table names the band
    let t = stdout(
        tm.en_ru("analyze", &["--presplit"])
            .arg(fixture("context/same.en.txt")),
    );
    assert!(t.contains("101% (context)"), "{t}");
    // the middle sentence takes the translation of the unit in context,
    // not the other document's (more recent) one
    let tsv = pretranslate(&tm, &fixture("context/same.en.txt"), "tsv");
    let lines: Vec<&str> = tsv.lines().collect();
    assert_eq!(
        lines[1],
        "2\t100\tДелегаты утвердили повестку дня.\tThe delegates adopted the agenda."
    );
}

#[test]
fn a_changed_neighbour_makes_it_a_plain_exact_match() {
    let tm = tm_of(&["tm.en-ru.tsv"]);
    let j = analyze(&tm, &fixture("context/changed.en.txt"));
    // the first still has its start and its next; the second's next
    // differs; the third is not in the TM
    assert_eq!(
        bands(&j),
        [
            ("context".to_string(), 1),
            ("100".to_string(), 1),
            ("no match".to_string(), 1)
        ]
    );
    // a sentence alone in its document is in context only alone
    let tm = tm_of(&["other.en-ru.tsv"]);
    let j = analyze(&tm, &fixture("context/same.en.txt"));
    assert_eq!(
        bands(&j),
        [("100".to_string(), 1), ("no match".to_string(), 2)]
    );
    let alone = tm.file("alone.txt", "The delegates adopted the agenda.\n");
    assert_eq!(bands(&analyze(&tm, &alone)), [("context".to_string(), 1)]);
}

#[test]
fn aligned_documents_give_context_matches_too() {
    let tm = Tm::new();
    let en = tm.path("a.en.txt");
    std::fs::copy(fixture("context/same.en.txt"), &en).unwrap();
    let ru = tm.file(
        "a.ru.txt",
        "Совещание открылось в десять.\nДелегаты утвердили повестку дня.\nСовещание закрылось в полдень.\n",
    );
    tm.cmd()
        .args(["align", "--langs", "en,ru", "--presplit"])
        .arg(&en)
        .arg(&ru)
        .assert()
        .success();
    let j = analyze(&tm, &fixture("context/changed.en.txt"));
    assert_eq!(
        bands(&j),
        [
            ("context".to_string(), 1),
            ("100".to_string(), 1),
            ("no match".to_string(), 1)
        ]
    );
}

#[test]
fn xliff_marks_context_matches_as_cat_tools_do() {
    let tm = tm_of(&["tm.en-ru.tsv"]);
    let x = pretranslate(&tm, &fixture("context/changed.en.txt"), "xliff");
    // XLIFF 1.2: exact-match, match-quality 101 and Okapi's match type
    assert_eq!(
        x.matches("<alt-trans match-quality=\"101\" origin=\"polytm\" tool-id=\"polytm\" okp:matchType=\"EXACT_LOCAL_CONTEXT\" xmlns:okp=\"okapi-framework:xliff-extensions\">").count(),
        1,
        "{x}"
    );
    assert_eq!(
        x.matches("<alt-trans match-quality=\"100\" origin=\"polytm\" tool-id=\"polytm\">")
            .count(),
        1,
        "{x}"
    );
    assert_eq!(
        x.matches("state=\"translated\" state-qualifier=\"exact-match\"")
            .count(),
        2
    );
    assert!(
        x.contains("in context: the previous and next segments are the TM&apos;s")
            || x.contains("in context: the previous and next segments are the TM's"),
        "{x}"
    );
    // and it is well-formed XML that polytm reads back
    let out = tm.file("changed.ru.xlf", &x);
    let again = json(tm.en_ru("analyze", &["--json"]).arg(&out));
    assert_eq!(again["segments"], 3);
    // the TMX of proposals says it too
    let t = pretranslate(&tm, &fixture("context/changed.en.txt"), "tmx");
    assert!(
        t.contains("<prop type=\"x-polytm-score\">101</prop>"),
        "{t}"
    );
    assert!(
        t.contains("<prop type=\"x-polytm-match\">context</prop>"),
        "{t}"
    );
}

#[test]
fn tmx_context_props_of_omegat_and_memoq_are_read_and_round_trip() {
    let tm = tm_of(&["omegat.tmx"]);
    let doc = tm.file(
        "minutes.txt",
        "The session resumed.\nA vote was taken.\nIt was carried.\n",
    );
    // OmegaT's prev/next on the <tu>
    assert_eq!(
        bands(&analyze(&tm, &doc)),
        [("context".to_string(), 1), ("no match".to_string(), 2)]
    );
    // memoQ's x-context-pre/post on the source <tuv>; an empty post is
    // the document end
    let end = tm.file(
        "end.txt",
        "The session resumed.\nThe chair thanked the delegates.\n",
    );
    assert_eq!(
        bands(&analyze(&tm, &end)),
        [("context".to_string(), 1), ("no match".to_string(), 1)]
    );
    let not_end = tm.file(
        "not-end.txt",
        "The session resumed.\nThe chair thanked the delegates.\nIt was carried.\n",
    );
    assert_eq!(
        bands(&analyze(&tm, &not_end)),
        [("100".to_string(), 1), ("no match".to_string(), 2)]
    );
    // exported as read, and read back the same by another TM
    let out = tm.path("out.tmx");
    tm.cmd().args(["export", "-o"]).arg(&out).assert().success();
    let x = std::fs::read_to_string(&out).unwrap();
    assert!(
        x.contains("<prop type=\"prev\">The session resumed.</prop>"),
        "{x}"
    );
    assert!(
        x.contains("<prop type=\"next\">It was carried.</prop>"),
        "{x}"
    );
    assert!(
        x.contains("<prop type=\"x-context-pre\">The session resumed.</prop>"),
        "{x}"
    );
    let other = Tm::new();
    other.cmd().arg("import").arg(&out).assert().success();
    assert_eq!(
        bands(&analyze(&other, &doc)),
        [("context".to_string(), 1), ("no match".to_string(), 2)]
    );
    assert_eq!(
        bands(&analyze(&other, &end)),
        [("context".to_string(), 1), ("no match".to_string(), 1)]
    );
}

#[test]
fn export_context_writes_the_neighbours_as_memoq_props() {
    let tm = tm_of(&["tm.en-ru.tsv"]);
    let out = tm.path("ctx.tmx");
    tm.cmd()
        .args(["export", "--context", "-o"])
        .arg(&out)
        .assert()
        .success();
    let x = std::fs::read_to_string(&out).unwrap();
    // the middle unit: both neighbours, in each language
    assert!(
        x.contains("<prop type=\"x-context-pre\">The meeting opened at ten.</prop>"),
        "{x}"
    );
    assert!(
        x.contains("<prop type=\"x-context-post\">The meeting closed at noon.</prop>"),
        "{x}"
    );
    assert!(
        x.contains("<prop type=\"x-context-pre\">Совещание открылось в десять.</prop>"),
        "{x}"
    );
    // the first unit: an empty pre, the document start
    assert!(
        x.contains("<prop type=\"x-context-pre\"></prop>")
            || x.contains("<prop type=\"x-context-pre\"/>"),
        "{x}"
    );
    // without --context, none
    let plain = stdout(tm.cmd().args(["export"]));
    assert!(!plain.contains("x-context"), "{plain}");
    // a TM made from the export finds the same context matches
    let other = Tm::new();
    other.cmd().arg("import").arg(&out).assert().success();
    assert_eq!(
        bands(&analyze(&other, &fixture("context/changed.en.txt"))),
        [
            ("context".to_string(), 1),
            ("100".to_string(), 1),
            ("no match".to_string(), 1)
        ]
    );
}

#[test]
fn xliff_2_and_the_html_report_say_context_too() {
    let tm = tm_of(&["tm.en-ru.tsv"]);
    let x = stdout(
        tm.en_ru("pretranslate", &["--quiet"])
            .arg(fixture("context/changed.en.v2.xlf")),
    );
    // the first unit is in context (document start, the same next segment)
    assert_eq!(
        x.matches("subState=\"polytm:context-match\"").count(),
        1,
        "{x}"
    );
    assert_eq!(
        x.matches("subState=\"polytm:exact-match\"").count(),
        1,
        "{x}"
    );
    assert!(
        x.contains(
            "similarity=\"100\" origin=\"polytm\" type=\"tm\" subType=\"polytm:context-match\""
        ),
        "{x}"
    );
    assert!(!x.contains("similarity=\"101\""), "{x}");
    let html = tm.path("a.html");
    tm.en_ru("analyze", &["--presplit", "--html"])
        .arg(&html)
        .arg(fixture("context/same.en.txt"))
        .assert()
        .success();
    let h = std::fs::read_to_string(&html).unwrap();
    assert!(h.contains("101% (context)"), "{h}");
}

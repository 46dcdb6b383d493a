//! Alignment review, run as the binary: `align --format tsv` is the
//! sheet, `align --review` the side-by-side page, `align apply` puts a
//! corrected sheet back; reviewed units show in TMX exports and matches.

mod common;

use std::path::PathBuf;

use common::{matches, polytm, snapshot, stdout};

const EN: &str = "The meeting opened on Monday. Delegates from six countries attended.\n\n\
The agenda covered drug trafficking. It also covered <money> & \"laundering\".\n\n\
A press conference followed at noon.\n\n\
The next meeting will be held in 2021.\n";
const RU: &str = "Совещание открылось в понедельник, в нём участвовали делегаты шести стран.\n\n\
Повестка дня касалась наркоторговли. Также обсуждалось <отмывание> & \"денег\".\n\n\
Следующее совещание состоится в 2021 году.\n";

/// A database with the two texts aligned as document `release`, and the
/// review sheet `align --format tsv` printed.
fn aligned() -> (tempfile::TempDir, PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tm.db");
    let en = dir.path().join("release.en.txt");
    let ru = dir.path().join("release.ru.txt");
    std::fs::write(&en, EN).unwrap();
    std::fs::write(&ru, RU).unwrap();
    let sheet = stdout(
        polytm(&db)
            .args(["align", "--langs", "en,ru", "--format", "tsv", "--review"])
            .arg(dir.path().join("review.html"))
            .arg(&en)
            .arg(&ru),
    );
    (dir, db, sheet)
}

#[test]
fn the_sheet_is_plain_text_with_a_confidence_column() {
    let (_dir, _db, sheet) = aligned();
    let lines: Vec<&str> = sheet.lines().collect();
    assert_eq!(lines[0], "en\tru\tconfidence");
    assert_eq!(
        lines[1].rsplit_once('\t').unwrap().0,
        "The meeting opened on Monday. Delegates from six countries attended.\tСовещание открылось в понедельник, в нём участвовали делегаты шести стран."
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("A press conference followed at noon.\t\t"))
    );
}

#[test]
fn the_review_page_shows_shapes_and_flags_and_escapes() {
    let (dir, _db, _) = aligned();
    let page = std::fs::read_to_string(dir.path().join("review.html")).unwrap();
    assert!(page.contains("<span>2-1</span>"), "{page}");
    assert!(page.contains("<span>1-0</span>"));
    assert!(page.contains("<td class=\"none\">(nothing)</td>"));
    // the omission is flagged as one to check
    assert!(page.contains("<tr class=\"low uneven\">"), "{page}");
    assert!(page.contains("It also covered &lt;money&gt; &amp; &quot;laundering&quot;."));
    assert!(!page.contains("<money>") && !page.contains("<script"));
}

#[test]
fn a_corrected_sheet_replaces_the_units_as_reviewed() {
    let (dir, db, sheet) = aligned();
    // the person: splits the 2-1 row, joins the two agenda rows, deletes
    // the omission, moves the last row up, drops the confidence column
    let sheet2 = "en\tru\n\
The next meeting will be held in 2021.\tСледующее совещание состоится в 2021 году.\n\
The meeting opened on Monday. Delegates from six countries attended.\tСовещание открылось в понедельник, в нём участвовали делегаты шести стран.\n\
The agenda covered drug trafficking. It also covered <money> & \"laundering\".\tПовестка дня касалась наркоторговли. Также обсуждалось <отмывание> & \"денег\".\n";
    assert!(sheet.lines().count() > 4);
    let p = dir.path().join("sheet.tsv");
    std::fs::write(&p, sheet2).unwrap();
    let out = stdout(
        polytm(&db)
            .args(["align", "apply", "--doc", "release"])
            .arg(&p),
    );
    assert!(
        out.contains("reviewed units stored: 3 (replacing 4)"),
        "{out}"
    );
    let tmx = stdout(polytm(&db).args(["export", "--format", "tmx"]));
    assert_eq!(tmx.matches("<tu ").count(), 3, "{tmx}");
    assert_eq!(
        tmx.matches("<prop type=\"x-polytm-reviewed\">yes</prop>")
            .count(),
        3
    );
    assert!(tmx.contains("It also covered &lt;money&gt; &amp; \"laundering\"."));
    const Q: &str = "The next meeting will be held in 2021.";
    let m = matches(&db, "en", "ru", &[], Q);
    assert_eq!(m[0]["score"], 100);
    assert_eq!(m[0]["reviewed"], true);
    assert_eq!(m[0]["document"], "release");
    // a TMX export read back keeps the mark
    let db2 = dir.path().join("b.db");
    let t = dir.path().join("r.tmx");
    std::fs::write(&t, &tmx).unwrap();
    polytm(&db2).arg("import").arg(&t).assert().success();
    let m = matches(&db2, "en", "ru", &[], Q);
    assert_eq!(m[0]["reviewed"], true);
}

#[test]
fn a_malformed_sheet_changes_nothing() {
    let (dir, db, _) = aligned();
    let before = snapshot(&db);
    for (name, text, msg) in [
        (
            "cols.tsv",
            "en\tru\nOne.\tОдин.\textra\n",
            "3 columns, the header has 2",
        ),
        ("lang.tsv", "en\txx-notalang-123\nOne.\tОдин.\n", "header"),
        (
            "zh.tsv",
            "en\tzh\nOne.\t一。\n",
            "the sheet has a column zh",
        ),
        ("empty.tsv", "en\tru\n", "no rows"),
    ] {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        let out = polytm(&db)
            .args(["align", "apply", "--doc", "release"])
            .arg(&p)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(3), "{name}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(msg), "{name}: {err}");
    }
    let out = polytm(&db)
        .args(["align", "apply", "--doc", "nope"])
        .arg(dir.path().join("cols.tsv"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert_eq!(snapshot(&db), before);
}

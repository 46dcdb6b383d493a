//! `polytm pretranslate` and `polytm analyze`, run as the binary.
//!
//! The TM of most tests is `tests/fixtures/pretranslate/tm.en-ru-zh.tsv`
//! (sentences of the 2020 Moscow release, written for polytm) imported
//! with `polytm import`; the document is the 2021 Dushanbe release of
//! `examples/releases/`.

mod common;

use std::path::Path;

use common::{Tm, fails, fixture, json, shipped_glossary, stdout};

const NEW_EN: &str = "examples/releases/2021-05-20-dushanbe.en.txt";

/// A TM holding the fixture units.
fn with_tm() -> Tm {
    let tm = Tm::new();
    tm.cmd()
        .arg("import")
        .arg(fixture("pretranslate/tm.en-ru-zh.tsv"))
        .assert()
        .success();
    tm
}

fn units(tm: &Tm) -> i64 {
    json(tm.cmd().args(["stats", "--json"]))["units"]
        .as_i64()
        .unwrap()
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// The quick start: the glossary imported, the two earlier releases
/// aligned EN/RU/ZH into the TM, the new release pre-translated.
fn quick_start_tm() -> Tm {
    let tm = Tm::new();
    tm.cmd()
        .args(["glossary", "import"])
        .arg(shipped_glossary())
        .assert()
        .success();
    for r in ["2019-05-16-bishkek", "2020-05-14-moscow"] {
        let f = |l: &str| format!("examples/releases/{r}.{l}.txt");
        tm.cmd()
            .args(["align", "--langs", "en,ru,zh", &f("en"), &f("ru"), &f("zh")])
            .assert()
            .success();
    }
    tm
}

#[test]
fn quick_start_pipeline_on_the_examples() {
    let tm = quick_start_tm();
    assert_eq!(units(&tm), 22); // 25 aligned units, 3 sentences identical in both releases
    // the analysis
    let j = json(
        tm.cmd()
            .args(["analyze", "--from", "en", "--to", "ru,zh", "--json", NEW_EN]),
    );
    assert_eq!(j["segments"], 15);
    assert_eq!(j["words"], 192);
    for t in 0..2 {
        let segs: Vec<u64> = j["targets"][t]["total"]["bands"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["segments"].as_u64().unwrap())
            .collect();
        // context (101), repetitions, 100, 95-99, 85-94, 75-84, 50-74, no match
        assert_eq!(segs, [0, 1, 3, 0, 4, 1, 2, 4], "{}", j["targets"][t]["to"]);
    }
    // the proposals, down to 50 %
    let out = tm.path("out");
    tm.cmd()
        .args([
            "pretranslate",
            "--from",
            "en",
            "--to",
            "ru,zh",
            "--min",
            "50",
            "--format",
            "tsv",
            "-o",
        ])
        .arg(&out)
        .arg(NEW_EN)
        .assert()
        .success();
    let ru = std::fs::read_to_string(out.join("2021-05-20-dushanbe.ru.tsv")).unwrap();
    let zh = std::fs::read_to_string(out.join("2021-05-20-dushanbe.zh.tsv")).unwrap();
    let field = |t: &str, n: usize| {
        t.lines()
            .nth(n - 1)
            .unwrap()
            .split('\t')
            .nth(2)
            .unwrap()
            .to_string()
    };
    // a year and a country substituted (the country in the Russian prepositional case)
    assert_eq!(
        field(&ru, 15),
        "Следующее совещание состоится в 2022 году в Республике Узбекистан."
    );
    assert_eq!(
        field(&zh, 15),
        "下一次会议将于2022年在乌兹别克斯坦共和国举行。"
    );
    // a date, a city and an ordinal
    assert!(
        field(&ru, 2).starts_with("20 мая 2021 года в Душанбе состоялось 11-е Совещание"),
        "{ru}"
    );
    assert!(
        field(&zh, 2)
            .starts_with("2021年5月20日，上海合作组织成员国禁毒部门领导人第十一次会议在杜尚别举行"),
        "{zh}"
    );
    // an agency name (Russian instrumental case)
    assert_eq!(
        field(&ru, 14),
        "Совещание было организовано Агентством по контролю за наркотиками при Президенте Республики Таджикистан."
    );
    // the preferred Chinese name, as the human translation has it
    assert_eq!(field(&zh, 14), "会议由塔吉克斯坦共和国总统直属禁毒署承办。");

    // the default run: drafts in a folder, the report and where they are
    let o = tm
        .cmd()
        .args(["pretranslate", "--from", "en", "--to", "ru,zh", "-o"])
        .arg(tm.path("drafts"))
        .arg(NEW_EN)
        .output()
        .unwrap();
    assert!(o.status.success());
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(
        err.contains("Match analysis en → ru (1 file)")
            && err.contains("Match analysis en → zh (1 file)")
    );
    assert!(
        err.contains(
            "drafts/2021-05-20-dushanbe.ru.txt (15 segments: 3 exact, 5 fuzzy for review, 7 empty)"
        ),
        "{err}"
    );
    let draft = std::fs::read_to_string(tm.path("drafts/2021-05-20-dushanbe.ru.txt")).unwrap();
    assert!(
        draft.ends_with(
            "[85%] Следующее совещание состоится в 2022 году в Республике Узбекистан.\n"
        ),
        "{draft}"
    );

    // XLIFF: states as the matches say, and a second run changes nothing
    let x1 = tm.path("r.ru.xlf");
    tm.cmd()
        .args([
            "pretranslate",
            "--from",
            "en",
            "--to",
            "ru",
            "--format",
            "xliff",
            "-o",
        ])
        .arg(&x1)
        .arg(NEW_EN)
        .assert()
        .success();
    let x = std::fs::read_to_string(&x1).unwrap();
    assert_eq!(x.matches("state=\"translated\"").count(), 3);
    assert_eq!(x.matches("state=\"needs-review-translation\"").count(), 5);
    assert_eq!(x.matches("<alt-trans ").count(), 8);
    let x2 = tm.path("again.xlf");
    tm.cmd()
        .args(["pretranslate", "--from", "en", "--to", "ru", "-o"])
        .arg(&x2)
        .arg(&x1)
        .assert()
        .success();
    assert_eq!(std::fs::read_to_string(&x2).unwrap(), x);
}

#[test]
fn text_into_two_languages_in_a_folder_with_repairs_and_report() {
    let tm = with_tm();
    let out = tm.path("out");
    let o = tm
        .cmd()
        .args(["pretranslate", "--from", "en", "--to", "ru,zh", "-o"])
        .arg(&out)
        .arg(NEW_EN)
        .output()
        .unwrap();
    assert!(o.status.success());
    let err = String::from_utf8(o.stderr).unwrap();
    assert_eq!(
        files_in(&out),
        ["2021-05-20-dushanbe.ru.txt", "2021-05-20-dushanbe.zh.txt"]
    );
    let ru = std::fs::read_to_string(out.join("2021-05-20-dushanbe.ru.txt")).unwrap();
    let zh = std::fs::read_to_string(out.join("2021-05-20-dushanbe.zh.txt")).unwrap();
    // paragraphs kept: as many blank-line breaks as the source
    let src = std::fs::read_to_string(NEW_EN).unwrap();
    assert_eq!(ru.matches("\n\n").count(), src.matches("\n\n").count());
    // exact matches as they are
    assert!(ru.contains("\nУчастников Совещания приветствовал Генеральный секретарь Шанхайской организации сотрудничества Владимир Норов.\n"));
    assert!(zh.contains("\n上海合作组织秘书长诺罗夫向与会者致辞。\n"));
    // repaired: an ordinal, a year, a year range; marked with their score
    assert!(
        ru.contains("[94%] Пресс-релиз по итогам 11-го Совещания"),
        "{ru}"
    );
    assert!(
        zh.contains("[94%] 上海合作组织成员国禁毒部门领导人第十一次会议新闻稿"),
        "{zh}"
    );
    assert!(ru.contains("в Афганистане в 2020 году оставалось высоким."));
    assert!(ru.contains("на 2021–2022 годы."));
    assert!(zh.contains("与会者批准了2021—2022年联合禁毒行动计划。"));
    assert!(ru.contains("Следующее совещание состоится в 2022 году в Республике"));
    // no match: left out, not the English copied
    assert!(!ru.contains("cryptocurrencies"));
    // the report and where the outputs are
    assert!(err.contains("Match analysis en → ru (1 file)"), "{err}");
    assert!(err.contains("Match analysis en → zh (1 file)"), "{err}");
    assert!(
        err.contains(
            "2021-05-20-dushanbe.ru.txt (15 segments: 3 exact, 4 fuzzy for review, 8 empty)"
        ),
        "{err}"
    );
    // the TM is only read
    assert_eq!(units(&tm), 8);
}

#[test]
fn glossary_names_and_numbers_are_repaired_in_both_languages() {
    let tm = with_tm();
    tm.cmd()
        .args(["glossary", "import"])
        .arg(shipped_glossary())
        .assert()
        .success();
    let out = tm.path("out");
    tm.cmd()
        .args([
            "pretranslate",
            "--from",
            "en",
            "--to",
            "ru,zh",
            "--format",
            "tsv",
            "-o",
        ])
        .arg(&out)
        .arg(NEW_EN)
        .assert()
        .success();
    let ru = std::fs::read_to_string(out.join("2021-05-20-dushanbe.ru.tsv")).unwrap();
    let zh = std::fs::read_to_string(out.join("2021-05-20-dushanbe.zh.tsv")).unwrap();
    // "The next meeting will be held in 2022 in the Republic of Uzbekistan."
    // from the TM's 2021 / Tajikistan sentence: the year and the country
    // (in the Russian prepositional case) substituted
    assert_eq!(
        ru.lines().nth(14).unwrap(),
        "15\t85\tСледующее совещание состоится в 2022 году в Республике Узбекистан.\tThe next meeting will be held in 2021 in the Republic of Tajikistan."
    );
    assert_eq!(
        zh.lines().nth(14).unwrap(),
        "15\t85\t下一次会议将于2022年在乌兹别克斯坦共和国举行。\tThe next meeting will be held in 2021 in the Republic of Tajikistan."
    );
}

#[test]
fn analyze_json_counts_every_segment_in_its_band() {
    let tm = with_tm();
    let j = json(
        tm.cmd()
            .args(["analyze", "--from", "en", "--to", "ru", "--json", NEW_EN]),
    );
    assert_eq!(j["from"], "en");
    assert_eq!(j["segments"], 15);
    assert_eq!(j["words"], 192);
    let total = &j["targets"][0]["total"];
    let bands = common::bands(total, false);
    assert_eq!(
        bands,
        [
            ("context".to_string(), 0),
            ("repetitions".into(), 1),
            ("100".into(), 3),
            ("95-99".into(), 0),
            ("85-94".into(), 4),
            ("75-84".into(), 0),
            ("50-74".into(), 3),
            ("no match".into(), 4),
        ]
    );
    assert_eq!(bands.iter().map(|b| b.1).sum::<u64>(), 15);
    // "The participants supported the proposal." twice: the second is the repetition
    assert_eq!(total["bands"][1]["words"], 5);
    // --min raises the floor of what counts as a match
    let j = json(tm.cmd().args([
        "analyze", "--from", "en", "--to", "ru", "--min", "90", "--json", NEW_EN,
    ]));
    let b = &j["targets"][0]["total"]["bands"];
    assert_eq!(b[4]["segments"], 2); // 92 and 94 stay, 85 and 87 go
    assert_eq!(b[7]["segments"], 9);
}

#[test]
fn analyze_table_and_html_page() {
    let tm = with_tm();
    let html = tm.path("report.html");
    let t = stdout(
        tm.cmd()
            .args(["analyze", "--from", "en", "--to", "zh", "--html"])
            .arg(&html)
            .arg(NEW_EN),
    );
    assert!(t.starts_with("Match analysis en → zh (1 file)"), "{t}");
    let total = t.lines().find(|l| l.starts_with("Total")).unwrap();
    assert_eq!(
        total.split_whitespace().collect::<Vec<_>>(),
        ["Total", "15", "192", "100.0", "1044"]
    );
    let h = std::fs::read_to_string(&html).unwrap();
    assert!(h.starts_with("<!DOCTYPE html>"));
    assert!(h.contains("<svg class=\"bar\""));
    assert!(h.contains("<td>Total</td><td>15</td><td>192</td>"));
    assert!(!h.contains("<script") && !h.contains("src=") && !h.contains("href="));
}

#[test]
fn chinese_source_words_are_characters_and_said_so() {
    let tm = with_tm();
    let t = stdout(tm.cmd().args([
        "analyze",
        "--from",
        "zh",
        "--to",
        "en",
        "examples/releases/2021-05-20-dushanbe.zh.txt",
    ]));
    assert!(t.contains("Chinese words are counted as characters"), "{t}");
    let j = json(tm.cmd().args([
        "analyze",
        "--from",
        "zh",
        "--to",
        "ru",
        "--json",
        "examples/releases/2021-05-20-dushanbe.zh.txt",
    ]));
    // 290 Han characters and 8 runs of digits or Latin letters (counted
    // independently with a regular expression)
    assert_eq!(j["words"], 298);
    assert!(j["counting"].as_str().unwrap().contains("Chinese"));
    // the exact match: 上海合作组织秘书长诺罗夫向与会者致辞。
    assert_eq!(j["targets"][0]["total"]["bands"][2]["band"], "100");
    assert_eq!(j["targets"][0]["total"]["bands"][2]["segments"], 3);
}

#[test]
fn an_output_name_ending_in_a_slash_is_a_folder() {
    let tm = with_tm();
    let out = format!("{}/new/", tm.dir.path().display());
    tm.cmd()
        .args([
            "pretranslate",
            "--from",
            "en",
            "--to",
            "ru",
            "-o",
            &out,
            NEW_EN,
        ])
        .assert()
        .success();
    assert_eq!(files_in(&tm.path("new")), ["2021-05-20-dushanbe.ru.txt"]);
}

#[test]
fn tsv_has_the_contract_columns() {
    let tm = with_tm();
    let t = stdout(tm.cmd().args([
        "pretranslate",
        "--from",
        "en",
        "--to",
        "ru",
        "--format",
        "tsv",
        "--min",
        "90",
        NEW_EN,
    ]));
    let lines: Vec<Vec<&str>> = t.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(lines.len(), 15);
    for (i, l) in lines.iter().enumerate() {
        assert_eq!(l.len(), 4, "{l:?}");
        assert_eq!(l[0], (i + 1).to_string());
    }
    assert_eq!(lines[0][1], "94");
    assert_eq!(lines[1], ["2", "", "", ""]);
    assert_eq!(
        lines[3][2],
        "Участников Совещания приветствовал Генеральный секретарь Шанхайской организации сотрудничества Владимир Норов."
    );
    assert_eq!(lines[5][1], "92");
    assert_eq!(
        lines[5][3],
        "They noted with concern that opium production in Afghanistan remained high in 2019."
    );
    // 85 and 87 are below --min 90: empty
    assert_eq!(lines[12], ["13", "", "", ""]);
    assert_eq!(lines[14], ["15", "", "", ""]);
}

#[test]
fn presplit_lines_and_copy_source() {
    let tm = with_tm();
    let doc = tm.path("lines.en.txt");
    std::fs::write(
        &doc,
        "The sides positively assessed cooperation between the SCO and the UN Office on Drugs and Crime.\n\nSomething new entirely.\nThe sides positively assessed cooperation between the SCO and the UN Office on Drugs and Crime.\n",
    )
    .unwrap();
    let t = stdout(
        tm.cmd()
            .args([
                "pretranslate",
                "--from",
                "en",
                "--to",
                "ru",
                "--presplit",
                "--copy-source",
            ])
            .arg(&doc),
    );
    let ru = "Стороны положительно оценили сотрудничество ШОС с Управлением ООН по наркотикам и преступности.";
    assert_eq!(
        t,
        format!("{ru}\n\n[no match] Something new entirely.\n{ru}\n")
    );
    let t = stdout(
        tm.cmd()
            .args([
                "pretranslate",
                "--from",
                "en",
                "--to",
                "ru",
                "--presplit",
                "--format",
                "tsv",
            ])
            .arg(&doc),
    );
    assert_eq!(t.lines().count(), 3, "blank lines are not segments: {t}");
}

#[test]
fn xliff_from_text_marks_states_and_never_copies_the_source() {
    let tm = with_tm();
    let x = stdout(tm.cmd().args([
        "pretranslate",
        "--from",
        "en",
        "--to",
        "ru",
        "--format",
        "xliff",
        NEW_EN,
    ]));
    assert!(x.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xliff version=\"1.2\""));
    assert_eq!(x.matches("<trans-unit ").count(), 15);
    assert_eq!(x.matches("<group ").count(), 11, "one group per paragraph");
    assert_eq!(
        x.matches("state=\"translated\" state-qualifier=\"exact-match\"")
            .count(),
        3
    );
    assert_eq!(x.matches("state=\"needs-review-translation\"").count(), 4);
    assert_eq!(x.matches("<alt-trans match-quality=").count(), 7);
    assert!(x.contains("<alt-trans match-quality=\"85\" origin=\"polytm\" tool-id=\"polytm\">"));
    // the repaired proposal, and the TM unit it came from in the alt-trans
    assert!(x.contains(
        "state-qualifier=\"leveraged-tm\">Следующее совещание состоится в 2022 году в Республике"
    ));
    assert!(x.contains("<target xml:lang=\"ru\">Следующее совещание состоится в 2021 году в Республике Таджикистан.</target>"));
    assert!(x.contains("adapted by polytm: 2021 → 2022"));
    // no target holds English
    for t in x.split("<target").skip(1) {
        let content = t.split("</target>").next().unwrap();
        assert!(!content.contains("The "), "{content}");
    }
}

#[test]
fn cat_tool_xliff_is_filled_in_place_and_round_trips() {
    let tm = with_tm();
    let input = fixture("pretranslate/dushanbe.en-ru.xlf");
    let before = std::fs::read(&input).unwrap();
    let out = tm.path("job.ru.xlf");
    tm.cmd()
        .args([
            "pretranslate",
            "--from",
            "en",
            "--to",
            "ru",
            "--min",
            "50",
            "-o",
        ])
        .arg(&out)
        .arg(&input)
        .assert()
        .success();
    assert_eq!(std::fs::read(&input).unwrap(), before, "input modified");
    let x = std::fs::read_to_string(&out).unwrap();
    let orig = String::from_utf8(before).unwrap();
    // everything of the input is still there, in order, byte for byte
    let mut at = 0;
    for line in orig.lines() {
        if line.contains("<target xml:lang=\"ru-RU\" state=\"new\"/>") {
            continue; // the empty target that was filled
        }
        let found = x[at..].find(line).unwrap_or_else(|| panic!("lost: {line}"));
        at += found + line.len();
    }
    // the bold name wraps the translation; one code moved costs a point
    assert!(x.contains("<target xml:lang=\"ru-RU\" state=\"needs-review-translation\" state-qualifier=\"fuzzy-match\"><g id=\"1\" ctype=\"bold\">Участников Совещания приветствовал Генеральный секретарь Шанхайской организации сотрудничества Владимир Норов.</g></target>"), "{x}");
    assert!(x.contains("<alt-trans match-quality=\"99\" origin=\"polytm\">"));
    // the empty target is filled in place, the line-break code kept at the end
    assert!(x.contains("<target xml:lang=\"ru-RU\" state=\"needs-review-translation\" state-qualifier=\"leveraged-tm\">Следующее совещание состоится в 2022 году в Республике Таджикистан.<x id=\"2\" ctype=\"lb\"/></target>"), "{x}");
    // the signed-off target is kept; the translate="no" unit untouched
    assert!(x.contains("<target xml:lang=\"ru-RU\" state=\"signed-off\">Стороны высоко оценили сотрудничество ШОС и УНП ООН.</target>"));
    assert!(!x.contains("Стороны положительно оценили"));
    // running again on the output changes nothing: every target is now kept
    let again = tm.path("again.xlf");
    tm.cmd()
        .args([
            "pretranslate",
            "--from",
            "en",
            "--to",
            "ru",
            "--min",
            "50",
            "-o",
        ])
        .arg(&again)
        .arg(&out)
        .assert()
        .success();
    assert_eq!(std::fs::read_to_string(&again).unwrap(), x);
}

#[test]
fn filled_targets_are_kept_unless_overwrite() {
    let tm = with_tm();
    let input = fixture("pretranslate/dushanbe.en-ru.xlf");
    let out = tm.path("o.xlf");
    let o = tm
        .cmd()
        .args([
            "pretranslate",
            "--from",
            "en",
            "--to",
            "ru",
            "--overwrite",
            "-o",
        ])
        .arg(&out)
        .arg(&input)
        .output()
        .unwrap();
    assert!(o.status.success());
    let x = std::fs::read_to_string(&out).unwrap();
    assert!(x.contains("<target xml:lang=\"ru-RU\" state=\"translated\" state-qualifier=\"exact-match\">Стороны положительно оценили сотрудничество ШОС с Управлением ООН по наркотикам и преступности.</target>"), "{x}");
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(!err.contains("already translated"), "{err}");
    let o = tm
        .cmd()
        .args(["pretranslate", "--from", "en", "--to", "ru", "-o"])
        .arg(&out)
        .arg(&input)
        .output()
        .unwrap();
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(
        err.contains("1 segment already translated in the XLIFF, kept (--overwrite replaces them)"),
        "{err}"
    );
}

#[test]
fn repetitions_inherit_the_translation_the_file_already_holds() {
    let tm = with_tm();
    let o = tm
        .cmd()
        .args(["pretranslate", "--from", "en", "--to", "ru"])
        .arg(fixture("pretranslate/repeated.en-ru.xlf"))
        .output()
        .unwrap();
    assert!(o.status.success());
    let x = String::from_utf8(o.stdout).unwrap();
    assert!(x.contains("<source>The participants  supported the proposal.</source>\n        <target xml:lang=\"ru\" state=\"translated\" state-qualifier=\"leveraged-inherited\">Участники поддержали предложение.</target>\n        <alt-trans match-quality=\"100\" origin=\"polytm\">"), "{x}");
    let note = format!(
        "<note from=\"polytm\">from {}, unit a, already translated</note>",
        fixture("pretranslate/repeated.en-ru.xlf").display()
    );
    assert!(x.contains(&note), "{x}");
    // a target waiting for review is kept and not propagated
    assert!(x.contains("<target state=\"needs-review-translation\">Не трогать.</target>"));
    assert_eq!(
        x.matches("Участники поддержали предложение.").count(),
        3,
        "{x}"
    );
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(
        err.lines()
            .any(|l| l.split_whitespace().take(2).eq(["Repetitions", "2"])),
        "{err}"
    );
    assert!(
        err.contains("(4 segments: 1 exact, 0 fuzzy for review, 2 already translated, 1 empty)"),
        "{err}"
    );
}

#[test]
fn xliff_2_segments_get_targets_states_and_matches() {
    let tm = with_tm();
    let out = tm.path("v2.ru.xlf");
    tm.cmd()
        .args(["pretranslate", "--from", "en", "--to", "ru", "-o"])
        .arg(&out)
        .arg(fixture("pretranslate/dushanbe.en.v2.xlf"))
        .assert()
        .success();
    let x = std::fs::read_to_string(&out).unwrap();
    assert!(x.contains("srcLang=\"en\" trgLang=\"ru\">"));
    assert!(x.contains("<segment id=\"s2\" state=\"initial\" subState=\"polytm:leveraged-tm\">"));
    assert!(x.contains("<target><pc id=\"1\">Участников Совещания приветствовал"));
    assert!(x.contains("<mtc:match ref=\"#s2\" similarity=\"85\" origin=\"polytm\" type=\"tm\">"));
    // no match, no target
    assert_eq!(x.matches("<target>").count(), 2 + 2, "{x}"); // 2 targets + 2 in matches
    assert!(!x.contains("state=\"translated\""));
}

#[test]
fn tmx_output_reads_back_through_import() {
    let tm = with_tm();
    let tmx = tm.path("proposals.tmx");
    tm.cmd()
        .args([
            "pretranslate",
            "--from",
            "en",
            "--to",
            "zh",
            "--format",
            "tmx",
            "-o",
        ])
        .arg(&tmx)
        .arg(NEW_EN)
        .assert()
        .success();
    let x = std::fs::read_to_string(&tmx).unwrap();
    assert!(x.contains("srclang=\"en\""));
    assert_eq!(x.matches("<tu ").count(), 7);
    assert!(x.contains("<prop type=\"x-polytm-match\">adapted</prop>"));
    let second = Tm::new();
    let t = stdout(second.cmd().arg("import").arg(&tmx));
    assert!(t.contains("7 units added"), "{t}");
}

#[test]
fn tm_files_are_used_for_the_run_and_not_stored() {
    let tm = Tm::new();
    let t = stdout(
        tm.cmd()
            .args([
                "pretranslate",
                "--from",
                "en",
                "--to",
                "ru",
                "--format",
                "tsv",
                "--tm",
            ])
            .arg(fixture("pretranslate/tm.en-ru-zh.tsv"))
            .arg(NEW_EN),
    );
    assert!(
        t.contains("\t100\tУчастников Совещания приветствовал"),
        "{t}"
    );
    assert_eq!(units(&tm), 0);
    // without it, the empty TM is said, and nothing matches
    let o = tm
        .cmd()
        .args([
            "pretranslate",
            "--from",
            "en",
            "--to",
            "ru",
            "--format",
            "tsv",
            NEW_EN,
        ])
        .output()
        .unwrap();
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("has no en text to match"));
    assert!(
        String::from_utf8(o.stdout)
            .unwrap()
            .lines()
            .all(|l| l.ends_with("\t\t\t"))
    );
}

#[test]
fn exhaustive_scan_agrees_with_the_index() {
    let tm = with_tm();
    let args = [
        "pretranslate",
        "--from",
        "en",
        "--to",
        "zh",
        "--format",
        "tsv",
        "--min",
        "50",
    ];
    let indexed = stdout(tm.cmd().args(args).arg(NEW_EN));
    let scanned = stdout(tm.cmd().args(args).arg("--exhaustive").arg(NEW_EN));
    assert_eq!(indexed, scanned);
    assert_eq!(
        indexed.lines().filter(|l| !l.ends_with("\t\t\t")).count(),
        10
    );
}

#[test]
fn standard_input_in_and_out() {
    let tm = with_tm();
    let t = stdout(
        tm.cmd()
            .args([
                "pretranslate",
                "--from",
                "en",
                "--to",
                "ru",
                "--presplit",
                "-",
            ])
            .write_stdin("The next meeting will be held in 2023 in the Republic of Tajikistan.\n"),
    );
    assert_eq!(
        t,
        "[92%] Следующее совещание состоится в 2023 году в Республике Таджикистан.\n"
    );
    let out = tm.path("o");
    std::fs::create_dir(&out).unwrap();
    tm.cmd()
        .args(["pretranslate", "--from", "en", "--to", "zh", "--presplit", "-o"])
        .arg(&out)
        .arg("-")
        .write_stdin("The sides positively assessed cooperation between the SCO and the UN Office on Drugs and Crime.\n")
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(out.join("stdin.zh.txt")).unwrap(),
        "各方积极评价上合组织与联合国毒品和犯罪问题办公室的合作。\n"
    );
}

// ------------------------------------------------------------ bad input

#[test]
fn xliff_in_another_source_language_is_refused() {
    let tm = with_tm();
    let out = tm.path("out");
    let (code, err) = fails(
        tm.cmd()
            .args(["pretranslate", "--from", "en", "--to", "ru,zh", "-o"])
            .arg(&out)
            .arg(NEW_EN)
            .arg(fixture("pretranslate/wrong-source.xlf")),
    );
    assert_eq!(code, 3);
    assert_eq!(
        err.trim(),
        format!(
            "polytm: {}:3:3: the source language is ru, not en as --from says",
            fixture("pretranslate/wrong-source.xlf").display()
        )
    );
    assert!(!out.exists(), "no output for any input");
    assert_eq!(units(&tm), 8);
}

#[test]
fn xliff_for_another_target_language_is_refused() {
    let tm = with_tm();
    let (code, err) = fails(
        tm.cmd()
            .args(["pretranslate", "--from", "en", "--to", "zh"])
            .arg(fixture("pretranslate/dushanbe.en-ru.xlf")),
    );
    assert_eq!(code, 3);
    assert!(
        err.contains(
            "dushanbe.en-ru.xlf:4:3: the target language is ru-RU; it cannot be filled in zh (--to)"
        ),
        "{err}"
    );
}

#[test]
fn malformed_xliff_names_line_and_column() {
    let tm = with_tm();
    let out = tm.path("m.xlf");
    let (code, err) = fails(
        tm.cmd()
            .args(["pretranslate", "--from", "en", "--to", "ru", "-o"])
            .arg(&out)
            .arg(fixture("pretranslate/malformed.xlf")),
    );
    assert_eq!(code, 3);
    assert!(
        err.starts_with(&format!(
            "polytm: {}:6:",
            fixture("pretranslate/malformed.xlf").display()
        )),
        "{err}"
    );
    assert!(err.contains("malformed XML"), "{err}");
    assert_eq!(err.lines().count(), 1);
    assert!(!out.exists());
    assert!(
        files_in(tm.dir.path())
            .iter()
            .all(|f| f.starts_with("tm.db"))
    );
}

#[test]
fn empty_documents_are_refused() {
    let tm = with_tm();
    let (code, err) = fails(
        tm.cmd()
            .args(["pretranslate", "--from", "en", "--to", "ru"])
            .arg(fixture("pretranslate/empty.txt")),
    );
    assert_eq!(code, 3);
    assert_eq!(
        err.trim(),
        format!(
            "polytm: {}: is empty",
            fixture("pretranslate/empty.txt").display()
        )
    );
    let (code, err) = fails(
        tm.cmd()
            .args(["analyze", "--from", "en", "--to", "ru"])
            .arg(fixture("pretranslate/no-units.xlf")),
    );
    assert_eq!(code, 3);
    assert!(
        err.contains("no-units.xlf: has no text to translate"),
        "{err}"
    );
    let blank = tm.path("blank.txt");
    std::fs::write(&blank, "  \n\n\t\n").unwrap();
    let (_, err) = fails(
        tm.cmd()
            .args(["pretranslate", "--from", "en", "--to", "ru"])
            .arg(&blank),
    );
    assert!(err.contains("holds only white space"), "{err}");
}

#[test]
fn an_output_folder_that_cannot_be_written_leaves_nothing() {
    let tm = with_tm();
    // a folder inside a file: cannot exist
    let file = tm.path("afile");
    std::fs::write(&file, "x").unwrap();
    let (code, err) = fails(
        tm.cmd()
            .args(["pretranslate", "--from", "en", "--to", "ru", "-o"])
            .arg(file.join("out.txt"))
            .arg(NEW_EN),
    );
    assert_eq!(code, 5);
    assert!(err.contains("afile"), "{err}");
    let (code, err) = fails(
        tm.cmd()
            .args(["pretranslate", "--from", "en", "--to", "ru,zh", "-o"])
            .arg(&file)
            .arg(NEW_EN),
    );
    assert_eq!(code, 5);
    assert!(
        err.contains("is a file; several outputs need a folder"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");
    // missing folder for one output
    let (code, err) = fails(
        tm.cmd()
            .args(["pretranslate", "--from", "en", "--to", "ru", "-o"])
            .arg(tm.path("no/such/dir/out.txt"))
            .arg(NEW_EN),
    );
    assert_eq!(code, 5);
    assert!(err.contains("folder does not exist"), "{err}");
    // nothing half-written anywhere
    let left: Vec<String> = files_in(tm.dir.path())
        .into_iter()
        .filter(|f| f.contains(".part") || f.starts_with(".polytm"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn usage_errors() {
    let tm = with_tm();
    let (code, err) =
        fails(
            tm.cmd()
                .args(["pretranslate", "--from", "en", "--to", "ru,zh", NEW_EN]),
        );
    assert_eq!(code, 2);
    assert!(err.contains("give -o FOLDER"), "{err}");
    let (code, err) = fails(
        tm.cmd()
            .args(["pretranslate", "--from", "en", "--to", "en", NEW_EN]),
    );
    assert_eq!(code, 2);
    assert!(err.contains("is the source language"), "{err}");
    let (code, _) = fails(
        tm.cmd()
            .args(["pretranslate", "--from", "xx", "--to", "ru", NEW_EN]),
    );
    assert_eq!(code, 2);
    // an output onto an input is refused
    let copy = tm.path("doc.en.txt");
    std::fs::copy(NEW_EN, &copy).unwrap();
    let (code, err) = fails(
        tm.cmd()
            .args(["pretranslate", "--from", "en", "--to", "ru", "-o"])
            .arg(&copy)
            .arg(&copy),
    );
    assert_eq!(code, 2);
    assert!(err.contains("is an input file"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&copy).unwrap(),
        std::fs::read_to_string(NEW_EN).unwrap()
    );
}

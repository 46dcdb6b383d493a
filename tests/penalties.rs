//! Penalties (`--penalty NAME=POINTS`, `--penalties FILE`): each takes its
//! points off the score `match` shows and names itself (table and JSON);
//! a proposal pushed below `--min` is dropped; the search stays lossless;
//! pre-translation bands and notes follow.

mod common;

use common::{Tm, json, stdout};
use polytm_store::{NewUnit, NewVariant, OnDuplicate, Origin};
use polytm_text::lang::LangTag;
use serde_json::Value;

fn tm_with(name: &str, tsv: &str) -> Tm {
    let tm = Tm::new();
    let f = tm.file(name, tsv);
    tm.cmd().arg("import").arg(&f).assert().success();
    tm
}

fn best(tm: &Tm, extra: &[&str], query: &str) -> Vec<Value> {
    let mut c = tm.en_ru("match", &["--json"]);
    json(c.args(extra).arg(query)).as_array().unwrap().clone()
}

/// (score, [(name, points)]) of each proposal.
fn scored(v: &[Value]) -> Vec<(u64, Vec<(String, u64)>)> {
    v.iter()
        .map(|p| {
            (
                p["score"].as_u64().unwrap(),
                p["penalties"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| {
                        (
                            x["name"].as_str().unwrap().to_string(),
                            x["points"].as_u64().unwrap(),
                        )
                    })
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn without_penalties_nothing_changes() {
    let tm = tm_with("a.tsv", "en\tru\nOpen the file.\tОткройте файл.\n");
    assert_eq!(
        scored(&best(&tm, &[], "Open the file.")),
        [(100, Vec::new())]
    );
}

#[test]
fn a_document_penalty_lowers_the_score_and_names_the_document() {
    let tm = tm_with("old.tsv", "en\tru\nOpen the file.\tОткройте файл.\n");
    assert_eq!(
        scored(&best(
            &tm,
            &["--penalty", "document:old.tsv=4"],
            "Open the file."
        )),
        [(96, vec![("document old.tsv".to_string(), 4)])]
    );
    // another document's units are left alone
    assert_eq!(
        scored(&best(
            &tm,
            &["--penalty", "document:new.tsv=4"],
            "Open the file."
        )),
        [(100, Vec::new())]
    );
    // the table says it too
    let t = stdout(&mut tm.en_ru(
        "match",
        &["--penalty", "document:old.tsv=4", "Open the file."],
    ));
    assert!(t.contains(" 96%"), "{t}");
    assert!(t.contains("penalty document old.tsv −4"), "{t}");
}

#[test]
fn aligned_units_are_penalised_until_reviewed() {
    let tm = Tm::new();
    let en = tm.file("d.en.txt", "The meeting opened at ten.\n");
    let ru = tm.file("d.ru.txt", "Совещание открылось в десять.\n");
    tm.cmd()
        .args(["align", "--langs", "en,ru", "--presplit"])
        .arg(&en)
        .arg(&ru)
        .assert()
        .success();
    assert_eq!(
        scored(&best(
            &tm,
            &["--penalty", "aligned=2"],
            "The meeting opened at ten."
        )),
        [(98, vec![("aligned".to_string(), 2)])]
    );
}

#[test]
fn pretranslated_units_are_penalised() {
    let tm = tm_with("a.tsv", "en\tru\nClose the window.\tЗакройте окно.\n");
    tm.write(|w| {
        let b = w.new_batch("pretranslate", "job.txt").unwrap();
        let mut s = w.units(b, OnDuplicate::Skip).unwrap();
        s.add(&NewUnit::new(
            Origin::Pretranslated,
            vec![
                NewVariant::new(LangTag::parse("en").unwrap(), "Open the file."),
                NewVariant::new(LangTag::parse("ru").unwrap(), "Открыть файл."),
            ],
        ))
        .unwrap();
        s.finish().unwrap();
    });
    assert_eq!(
        scored(&best(
            &tm,
            &["--penalty", "pretranslated=5"],
            "Open the file."
        ))[0],
        (95, vec![("pretranslated".to_string(), 5)])
    );
}

#[test]
fn a_source_with_several_translations_is_penalised() {
    let tm = tm_with(
        "a.tsv",
        "en\tru\nOpen the file.\tОткройте файл.\nOpen the file.\tОткрой файл.\nClose the window.\tЗакройте окно.\n",
    );
    let v = scored(&best(
        &tm,
        &["--penalty", "multiple-translations=1"],
        "Open the file.",
    ));
    let multiple = vec![("multiple translations".to_string(), 1)];
    assert_eq!(v[0], (99, multiple.clone()));
    assert_eq!(v[1], (99, multiple));
    // a source with one translation is not
    assert_eq!(
        scored(&best(
            &tm,
            &["--penalty", "multiple-translations=1"],
            "Close the window."
        ))[0],
        (100, Vec::new())
    );
}

#[test]
fn tags_the_query_lacks_are_penalised() {
    let tm = Tm::new();
    let tmx = tm.file("tags.tmx", r#"<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="en" creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" datatype="plaintext"/><body>
<tu><tuv xml:lang="en"><seg>Press <bpt i="1">&lt;b&gt;</bpt>OK<ept i="1">&lt;/b&gt;</ept> to close.</seg></tuv>
<tuv xml:lang="ru"><seg>Нажмите <bpt i="1">&lt;b&gt;</bpt>OK<ept i="1">&lt;/b&gt;</ept>, чтобы закрыть.</seg></tuv></tu>
<tu><tuv xml:lang="en"><seg>Press Cancel to close.</seg></tuv>
<tuv xml:lang="ru"><seg>Нажмите «Отмена», чтобы закрыть.</seg></tuv></tu>
</body></tmx>"#);
    tm.cmd().arg("import").arg(&tmx).assert().success();
    let v = best(&tm, &["--penalty", "tags=3"], "Press OK to close.");
    assert_eq!(scored(&v)[0], (97, vec![("tags".to_string(), 3)]));
    let v = best(&tm, &["--penalty", "tags=3"], "Press Cancel to close.");
    assert_eq!(scored(&v)[0], (100, Vec::new()));
}

#[test]
fn a_penalty_file_and_min_drop_consistently() {
    let tm = tm_with(
        "old.tsv",
        "en\tru\nOpen the file.\tОткройте файл.\nOpen the files.\tОткройте файлы.\n",
    );
    let toml = tm.file(
        "p.toml",
        "[penalties]\naligned = 1\n[penalties.documents]\n\"old.tsv\" = 10\n",
    );
    let f = toml.to_str().unwrap();
    // 100 → 90 and 75 → 65: at --min 70 only the first stays
    let v = scored(&best(
        &tm,
        &["--penalties", f, "--min", "70"],
        "Open the file.",
    ));
    assert_eq!(v, [(90, vec![("document old.tsv".to_string(), 10)])]);
    let v = scored(&best(
        &tm,
        &["--penalties", f, "--min", "50"],
        "Open the file.",
    ));
    assert_eq!(v.iter().map(|x| x.0).collect::<Vec<_>>(), [90, 65]);
    // --penalty overrides the file
    let v = scored(&best(
        &tm,
        &["--penalties", f, "--penalty", "document:old.tsv=0"],
        "Open the file.",
    ));
    assert_eq!(v[0], (100, Vec::new()));
    // a bad file or option is a usage error
    std::fs::write(&toml, "[penalties]\ncolour = 1\n").unwrap();
    let (code, _, err) = tm.run(
        &["match", "--from", "en", "--to", "ru", "--penalties", f, "x"],
        None,
    );
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = tm.run(
        &[
            "match",
            "--from",
            "en",
            "--to",
            "ru",
            "--penalty",
            "tags",
            "x",
        ],
        None,
    );
    assert_eq!(code, 2, "{err}");
}

#[test]
fn penalised_candidates_do_not_hide_better_ones_beyond_the_first_fetch() {
    // 40 exact matches in a penalised document, one 80-ish match elsewhere
    let mut old = String::from("en\tru\n");
    for i in 0..40 {
        old.push_str(&format!("Open the file.\tОткройте файл {i}.\n"));
    }
    let tm = tm_with("old.tsv", &old);
    let new = tm.file("new.tsv", "en\tru\nOpen the files.\tОткройте файлы.\n");
    tm.cmd().arg("import").arg(&new).assert().success();
    let v = best(
        &tm,
        &["--penalty", "document:old.tsv=50", "--limit", "1"],
        "Open the file.",
    );
    assert_eq!(v.len(), 1);
    assert_eq!(v[0]["target"], "Откройте файлы.");
    assert_eq!(v[0]["score"], 75);
    // and the exhaustive scan agrees
    let w = best(
        &tm,
        &[
            "--penalty",
            "document:old.tsv=50",
            "--limit",
            "1",
            "--exhaustive",
        ],
        "Open the file.",
    );
    assert_eq!(w, v);
}

#[test]
fn pretranslation_bands_and_notes_follow_penalties() {
    let tm = tm_with(
        "old.tsv",
        "en\tru\nOpen the file.\tОткройте файл.\nClose the window.\tЗакройте окно.\n",
    );
    let doc = tm.file("job.txt", "Open the file.\n");
    let j = json(
        tm.en_ru(
            "analyze",
            &["--presplit", "--json", "--penalty", "document:old.tsv=3"],
        )
        .arg(&doc),
    );
    let bands = common::bands(&j["targets"][0]["total"], true);
    assert_eq!(bands, [("95-99".to_string(), 1)]);
    let x = stdout(
        tm.en_ru(
            "pretranslate",
            &[
                "--presplit",
                "--format",
                "xliff",
                "--penalty",
                "document:old.tsv=3",
            ],
        )
        .arg(&doc),
    );
    assert!(x.contains("match-quality=\"97\""), "{x}");
    assert!(x.contains("penalties: document old.tsv −3"), "{x}");
    assert!(x.contains("state-qualifier=\"fuzzy-match\""), "{x}");
}

#[test]
fn in_pretranslation_tags_count_on_both_sides() {
    let tm = Tm::new();
    let tmx = tm.file("tags.tmx", r#"<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="en" creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" datatype="plaintext"/><body>
<tu><tuv xml:lang="en"><seg>Press <bpt i="1">&lt;b&gt;</bpt>OK<ept i="1">&lt;/b&gt;</ept> to close the window.</seg></tuv>
<tuv xml:lang="ru"><seg>Нажмите <bpt i="1">&lt;b&gt;</bpt>OK<ept i="1">&lt;/b&gt;</ept>, чтобы закрыть окно.</seg></tuv></tu>
<tu><tuv xml:lang="en"><seg>Press Cancel to close the window.</seg></tuv>
<tuv xml:lang="ru"><seg>Нажмите «Отмена», чтобы закрыть окно.</seg></tuv></tu>
</body></tmx>"#);
    tm.cmd().arg("import").arg(&tmx).assert().success();
    let xlf = tm.file("job.xlf", r#"<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="job.txt" source-language="en" target-language="ru" datatype="plaintext">
    <body>
      <trans-unit id="1"><source>Press <g id="1">OK</g> to close the window.</source></trans-unit>
      <trans-unit id="2"><source>Press <g id="1">Cancel</g> to close the window.</source></trans-unit>
    </body>
  </file>
</xliff>"#);
    let x = stdout(
        tm.en_ru("pretranslate", &["--min", "50", "--penalty", "tags=3"])
            .arg(&xlf),
    );
    let units: Vec<&str> = x.split("<trans-unit ").skip(1).collect();
    assert_eq!(units.len(), 2, "{x}");
    // tags on both sides: no tags penalty
    assert!(!units[0].contains("penalties"), "{}", units[0]);
    // tags in the segment, none in the TM source: the penalty
    assert!(units[1].contains("penalties: tags −3"), "{}", units[1]);
}

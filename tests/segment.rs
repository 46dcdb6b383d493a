//! `polytm segment` run as a user would: files, stdin, JSON, bad input.

mod common;

use predicates::prelude::*;

use common::{Tm, fixture, json, stdout};

#[test]
fn russian_file_one_sentence_a_line_blank_between_paragraphs() {
    let tm = Tm::new();
    let out = stdout(
        tm.cmd()
            .args(["segment", "--lang", "ru"])
            .arg(fixture("align/release.ru.txt")),
    );
    assert_eq!(
        out,
        "Пресс-релиз по итогам 8-го совещания\n\
         \n\
         17 мая 2018 г. в г. Тяньцзинь (КНР) состоялось восьмое совещание руководителей компетентных органов государств – членов ШОС.\n\
         Председательствовала китайская сторона.\n\
         \n\
         В совещании приняли участие А. Жайчибеков (МВД Кыргызской Республики), т. е. представитель МВД, и др.\n\
         Обсуждались ст. 5 и п. 3 Соглашения и т.д.\n\
         Подробнее: http://www.sco.org/ru/news.html.\n\
         Вопросы: info@sco.org.\n"
    );
    // segmenting needs no database
    assert!(!tm.db.exists());
}

#[test]
fn stdin_chinese_and_json_offsets() {
    let tm = Tm::new();
    tm.cmd()
        .args(["segment", "--lang", "zh-CN"])
        .write_stdin("上合组织成立于2001年。他说：“好。”\n\n第二段！")
        .assert()
        .success()
        .stdout("上合组织成立于2001年。\n他说：“好。”\n\n第二段！\n");
    let v = json(
        tm.cmd()
            .args(["segment", "--lang", "en", "--json", "-"])
            .write_stdin("  Mr. Smith came. He left."),
    );
    assert_eq!(v[0][0]["start"], 2);
    assert_eq!(v[0][0]["end"], 17);
    assert_eq!(v[0][0]["text"], "Mr. Smith came.");
    assert_eq!(v[0][1]["text"], "He left.");
}

#[test]
fn bad_input_is_reported() {
    let tm = Tm::new();
    let empty = tm.path("empty.txt");
    std::fs::write(&empty, "").unwrap();
    tm.cmd()
        .args(["segment", "--lang", "en"])
        .arg(&empty)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("empty.txt: is empty"));
    let bin = tm.path("x.bin");
    std::fs::write(&bin, b"PK\x03\x04\x00\x00binary").unwrap();
    tm.cmd()
        .args(["segment", "--lang", "en"])
        .arg(&bin)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("x.bin:1:5: binary data"));
    tm.cmd()
        .args(["segment", "--lang", "xx-klingon", "-"])
        .write_stdin("a")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--lang"));
    tm.cmd()
        .args(["segment", "--lang", "en", "/nonexistent/file.txt"])
        .assert()
        .code(5)
        .stderr(predicate::str::contains("file.txt: no such file"));
    // Russian text given as Chinese: segmented, with a warning
    tm.cmd()
        .args(["segment", "--lang", "zh"])
        .arg(fixture("align/release.ru.txt"))
        .assert()
        .success()
        .stderr(
            predicate::str::contains("warning").and(predicate::str::contains("release.ru.txt")),
        );
}

#[test]
fn one_megabyte_line_is_whole() {
    let tm = Tm::new();
    let line = "слово ".repeat(180_000);
    let out = stdout(
        tm.cmd()
            .args(["segment", "--lang", "ru", "-"])
            .write_stdin(line),
    );
    assert_eq!(out.lines().count(), 1);
}

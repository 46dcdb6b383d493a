//! `qa` benchmark: check a generated TMX of N EN→RU segments (100,000 by
//! default) with the shipped glossary and every check, and print
//! segments/s for reading and for checking.
//!
//! ```text
//! cargo run --release --example qa_bench -- [N]
//! ```
//!
//! The segments are made from sentences of the kinds `qa` meets (agency
//! names in Russian case forms, numbers and dates, placeholders, inline
//! tags), each made distinct by a number, with one segment in five given
//! a fault (a changed number, a dropped placeholder, a doubled space, a
//! wrong agency), so every check has work to do.

use std::io::Write;
use std::time::Instant;

use polytm_engine::qa::input::{Wanted, read_file};
use polytm_engine::qa::{Checker, Settings};
use polytm_formats::registry::Kind;
use polytm_glossary::Glossary;
use polytm_text::lang::LangTag;

const PAIRS: &[(&str, &str)] = &[
    (
        "On 17 May 2018, {n} officers of the Ministry of Internal Affairs of the Republic of Kazakhstan met in Tianjin.",
        "17 мая 2018 года {n} сотрудников Министерства внутренних дел Республики Казахстан встретились в Тяньцзине.",
    ),
    (
        "Delete %s and {n} other files from the SCO Secretariat server?",
        "Удалить %s и ещё {n} файлов с сервера Секретариата ШОС?",
    ),
    (
        "Click <bpt i=\"1\">&lt;b&gt;</bpt>OK<ept i=\"1\">&lt;/b&gt;</ept> within {n} minutes.",
        "Нажмите <bpt i=\"1\">&lt;b&gt;</bpt>OK<ept i=\"1\">&lt;/b&gt;</ept> в течение {n} минут.",
    ),
    (
        "The {n}th meeting was attended by the delegation of the Kyrgyz Republic and the UNODC.",
        "В {n}-м совещании приняли участие делегация Кыргызской Республики и УНП ООН.",
    ),
    (
        "An agreement on {n} joint operations was signed with the Drug Control Agency under the President of the Republic of Tajikistan.",
        "С Агентством по контролю за наркотиками при Президенте Республики Таджикистан было подписано соглашение о {n} совместных операциях.",
    ),
];

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("bench.tmx");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">\n<header creationtool=\"qa_bench\" creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"none\" adminlang=\"en\" srclang=\"en\" datatype=\"plaintext\"/>\n<body>").unwrap();
    for i in 0..n {
        let (en, ru) = PAIRS[i % PAIRS.len()];
        let num = (i + 2).to_string();
        let en = en.replace("{n}", &num);
        let mut ru = ru.replace("{n}", &num);
        match i % 20 {
            0 => ru = ru.replacen(&num, &(i + 3).to_string(), 1),
            5 => ru = ru.replace("%s", ""),
            10 => ru = ru.replacen(' ', "  ", 1),
            15 => ru = ru.replace("Казахстан", "Узбекистан"),
            _ => {}
        }
        writeln!(
            out,
            "<tu tuid=\"{i}\"><tuv xml:lang=\"en\"><seg>{en}</seg></tuv><tuv xml:lang=\"ru\"><seg>{ru}</seg></tuv></tu>"
        )
        .unwrap();
    }
    writeln!(out, "</body>\n</tmx>").unwrap();
    out.flush().unwrap();
    drop(out);

    let glossary_tsv = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("glossaries/sco-counter-narcotics.tsv"),
    )
    .unwrap();
    let glossary = Glossary::from_tsv_str(&glossary_tsv).unwrap();
    let t0 = Instant::now();
    let batch = read_file(&path, Kind::Tmx, &Wanted::default()).expect("the generated TMX reads");
    let read = t0.elapsed().as_secs_f64();
    let t1 = Instant::now();
    // QA_CHECKS=term,number (or -length ...) times some checks only
    let mut settings = Settings::default();
    if let Ok(list) = std::env::var("QA_CHECKS") {
        settings.apply_list(&list).expect("a list of checks");
    }
    let checker = Checker::new(
        &LangTag::parse("en").unwrap(),
        &LangTag::parse("ru").unwrap(),
        &glossary,
        settings,
    );
    let findings = checker.check_batch(&batch, None).unwrap();
    let check = t1.elapsed().as_secs_f64();
    let total = read + check;
    println!(
        "{} segments: read {:.2} s, checked {:.2} s ({} findings); {:.0} segments/s in all ({:.0}/s checking), {} threads",
        batch.units.len(),
        read,
        check,
        findings.len(),
        batch.units.len() as f64 / total,
        batch.units.len() as f64 / check,
        rayon::current_num_threads()
    );
}

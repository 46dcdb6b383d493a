//! Run time on hostile text: long runs of one thing (punctuation, digits,
//! white space, Han characters, markup, one word) through sentence
//! segmentation (en, ru, zh), tokenisation, the fuzzy index's key scanner
//! and glossary recognition (the shipped `glossaries/sco-counter-narcotics.tsv`),
//! at 37.5, 75, 150 and 300 KB, against 150 KB of real prose.
//!
//! ```text
//! cargo run --release --example hostile_bench [-- --only KIND --budget SECONDS --sizes BYTES,...]
//! ```
//!
//! Every input is `They agreed ` + a run + ` , to hold talks.`: the comma
//! after the run means that no sentence ends there in any language, the
//! path where a segmenter looks at every mark of the run and can be tempted
//! to rescan the rest of it each time. Sizes are in bytes (1 KB = 1,000
//! bytes): 150 KB is 150,000 `.` or 50,000 `…`.
//!
//! The table gives CPU milliseconds per input (the fastest of a few runs), the
//! growth factor for each doubling of the size (linear: about 2; quadratic:
//! about 4), and the time at 150 KB over the time for 150 KB of prose in
//! the language of the stage. The prose is the NTREX-dev news of the shared
//! data (`$POLYTM_SHARED`, else `../shared`), each document one paragraph,
//! repeated up to the size; without it a paragraph of a press release
//! written below is repeated (the table says which). `--budget` (default
//! 5 s) skips the larger sizes of a row once one input takes longer, so
//! that a quadratic path does not hold the benchmark for minutes.

use std::hint::black_box;
use std::path::PathBuf;

use cpu_time::ThreadTime;

use polytm_glossary::{Glossary, Recognizer};
use polytm_text::lang::Lang;
use polytm_text::segment::{Segmenter, one_line};
use polytm_text::tokenize::KeyScanner;

const SIZES: [usize; 4] = [37_500, 75_000, 150_000, 300_000];
/// The size compared with prose.
const REFERENCE: usize = 150_000;

/// The hostile runs: a name and the unit repeated.
const KINDS: &[(&str, &str)] = &[
    ("dots .", "."),
    ("ellipsis …", "…"),
    ("ideographic 。", "。"),
    ("?!", "?!"),
    ("1.", "1."),
    ("1.␠", "1. "),
    (".␠", ". "),
    ("digits", "7"),
    ("spaces", " "),
    ("newlines", "\n"),
    ("CR LF", "\r\n"),
    ("Han 上", "上"),
    ("quotes \"", "\""),
    ("brackets (", "("),
    ("brackets )", ")"),
    ("guillemets «»", "«»"),
    ("<b>", "<b>"),
    ("<b unclosed", "<b"),
    ("&amp;", "&amp;"),
    ("%s", "%s"),
    ("{0}", "{0}"),
    ("word", "Republic "),
    ("letter a", "a"),
    ("letter а (Cyrillic)", "а"),
    ("combining marks", "\u{301}"),
    (
        "term prefixes",
        "Central Asian Regional Information and Coordination Centre for Combating Illicit \
         Trafficking of Narcotic Drugs, Psychotropic Substances and their \
         Центральноазиатский региональный информационный координационный центр по борьбе с \
         незаконным оборотом наркотических средств, психотропных веществ и их \
         乌兹别克斯坦共和国内阁下属国家药物管制信息分析",
    ),
];

/// A paragraph of a press release, for when the shared data is missing.
const PROSE_EN: &str = "On 16-17 May 2018, Tianjin, China, hosted the Eighth Meeting of Heads \
    of the Competent Authorities of the SCO Member States in Charge of Combating Illicit Drug \
    Trafficking. The meeting was chaired by Liu Yuejin, Assistant Minister of Public Security of \
    the People's Republic of China. Participants reviewed the implementation of the Anti-Drug \
    Strategy for 2018-2023 and the Programme of Action, noted the growing threat of synthetic \
    drugs (e.g. methamphetamine), and agreed to hold the next meeting in 2019. ";
const PROSE_RU: &str = "16-17 мая 2018 г. в г. Тяньцзинь (Китай) состоялось восьмое Совещание \
    руководителей компетентных органов государств – членов ШОС, наделённых полномочиями по \
    борьбе с незаконным оборотом наркотиков. Совещание провёл помощник министра общественной \
    безопасности КНР Лю Юэцзинь. Участники рассмотрели ход выполнения Антинаркотической \
    стратегии на 2018–2023 гг., т. е. программы действий, и договорились провести следующее \
    совещание в 2019 г. ";
const PROSE_ZH: &str = "2018年5月16日至17日，上海合作组织成员国禁毒部门领导人第八次会议在中国天津\
    举行。会议由中华人民共和国公安部部长助理刘跃进主持。与会各方审议了《2018—2023年上合组织成员国\
    禁毒战略》及其落实行动计划的执行情况，注意到合成毒品威胁日益上升，并商定2019年举行下次会议。";

fn shared() -> PathBuf {
    match std::env::var_os("POLYTM_SHARED") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared")),
    }
}

/// The NTREX-dev documents in language `ext`, one paragraph each.
fn ntrex(ext: &str) -> Option<String> {
    let dir = shared().join("data/align/ntrex-dev");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    files.sort();
    let sep = if ext == "zh" { "" } else { " " };
    let mut out = String::new();
    for f in files {
        let text = std::fs::read_to_string(f).ok()?;
        let para: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        out.push_str(&para.join(sep));
        out.push_str("\n\n");
    }
    (!out.is_empty()).then_some(out)
}

/// `unit` repeated up to `bytes` (at least once), cut at a character.
fn repeat_to(unit: &str, bytes: usize) -> String {
    let mut s = String::with_capacity(bytes + unit.len());
    while s.len() < bytes {
        s.push_str(unit);
    }
    let mut end = bytes.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.truncate(end);
    s
}

fn hostile(unit: &str, bytes: usize) -> String {
    let run = if unit == "\u{301}" {
        // one letter carrying every mark: a single cluster to compose
        format!("e{}", repeat_to(unit, bytes))
    } else {
        repeat_to(unit, bytes)
    };
    format!("They agreed {run} , to hold talks.\n")
}

/// What a stage runs on a text (it returns something of the result, so
/// that nothing is optimised away).
type Run = Box<dyn Fn(&str) -> usize>;

/// One stage: what it runs and the language of its prose reference.
struct Stage {
    name: &'static str,
    prose: usize,
    run: Run,
}

fn stages(glossary: &Glossary) -> Vec<Stage> {
    let segment = |lang: Lang| -> Run {
        let seg = Segmenter::new(&lang);
        Box::new(move |text: &str| {
            // what `polytm segment` does with the sentences
            let chars: Vec<char> = text.chars().collect();
            seg.segment_chars(&chars)
                .iter()
                .flat_map(|p| &p.sentences)
                .map(|s| one_line(&chars, *s).len())
                .sum()
        })
    };
    let recognize = |lang: Lang| -> Run {
        let rec: Recognizer = glossary.recognizer(&lang);
        Box::new(move |text: &str| rec.scan(text).len())
    };
    let scanner = std::cell::RefCell::new(KeyScanner::default());
    let keys: Run = Box::new(move |text: &str| {
        let mut n = 0;
        scanner
            .borrow_mut()
            .keys(text, &Lang::en(), |_, k| n += k.len());
        n
    });
    let tokenize: Run = Box::new(|text: &str| polytm_text::tokenize(text, &Lang::en()).len());
    // (name, language of the prose it is compared with: en 0, ru 1, zh 2, what it runs)
    let table: Vec<(&'static str, usize, Run)> = vec![
        ("segment en", 0, segment(Lang::en())),
        ("segment ru", 1, segment(Lang::ru())),
        ("segment zh", 2, segment(Lang::zh())),
        ("tokenize", 0, tokenize),
        ("key scanner", 0, keys),
        ("glossary en", 0, recognize(Lang::en())),
        ("glossary ru", 1, recognize(Lang::ru())),
        ("glossary zh", 2, recognize(Lang::zh())),
    ];
    table
        .into_iter()
        .map(|(name, prose, run)| Stage { name, prose, run })
        .collect()
}

/// CPU seconds (of this thread: the benchmark shares the machine) for one
/// run of `f` on `text`: the fastest of at least three runs, more while
/// they take little time.
fn time(f: &dyn Fn(&str) -> usize, text: &str) -> f64 {
    let mut best = f64::MAX;
    let mut total = 0.0;
    for k in 0..30 {
        let t = ThreadTime::now();
        black_box(f(black_box(text)));
        let s = t.elapsed().as_secs_f64();
        best = best.min(s);
        total += s;
        if k >= 2 && total > 0.2 {
            break;
        }
    }
    best
}

/// The command line: `--only KIND`, `--budget SECONDS`, `--sizes BYTES,...`.
struct Args {
    only: Option<String>,
    budget: f64,
    sizes: Vec<usize>,
}

impl Args {
    fn parse() -> Result<Args, String> {
        let mut args = Args {
            only: None,
            budget: 5.0,
            sizes: SIZES.to_vec(),
        };
        let mut it = std::env::args().skip(1);
        while let Some(opt) = it.next() {
            let value = it.next().ok_or(format!("{opt} needs a value"))?;
            let bad = || format!("{opt}: cannot read '{value}'");
            match opt.as_str() {
                "--only" => args.only = Some(value.clone()),
                "--budget" => args.budget = value.parse().map_err(|_| bad())?,
                "--sizes" => {
                    args.sizes = value
                        .split(',')
                        .map(|x| x.trim().parse())
                        .collect::<Result<_, _>>()
                        .map_err(|_| bad())?
                }
                _ => return Err(format!("unknown option {opt}")),
            }
        }
        Ok(args)
    }
}

fn main() {
    let Args {
        only,
        budget,
        sizes,
    } = match Args::parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("hostile_bench: {e}");
            std::process::exit(2);
        }
    };

    let tsv = include_str!("../glossaries/sco-counter-narcotics.tsv");
    let glossary = Glossary::from_tsv_str(tsv).expect("the shipped glossary loads");
    let stages = stages(&glossary);

    let (prose, source): ([String; 3], String) = match (ntrex("en"), ntrex("ru"), ntrex("zh")) {
        (Some(en), Some(ru), Some(zh)) => (
            [en, ru, zh],
            format!(
                "NTREX-dev news ({}), one paragraph a document",
                shared().join("data/align/ntrex-dev").display()
            ),
        ),
        _ => (
            [PROSE_EN.into(), PROSE_RU.into(), PROSE_ZH.into()],
            "a paragraph of a press release written in the benchmark (no shared data)".into(),
        ),
    };
    let prose_at = |k: usize, bytes: usize| repeat_to(&prose[k], bytes);
    println!("prose reference: {source}, repeated to the size");
    println!(
        "{} terms in en, {} in ru, {} in zh (glossaries/sco-counter-narcotics.tsv)",
        glossary.recognizer(&Lang::en()).len(),
        glossary.recognizer(&Lang::ru()).len(),
        glossary.recognizer(&Lang::zh()).len()
    );
    println!();

    // the prose rows first: the reference
    let mut reference = Vec::new();
    let kb: Vec<String> = sizes
        .iter()
        .map(|&s| format!("{:>9}", format!("{} KB", s as f64 / 1000.0)))
        .collect();
    println!(
        "{:<22} {:<12} {}   {:<17} {:>8}",
        "input",
        "stage",
        kb.join(" "),
        "growth per ×2",
        "×prose"
    );
    let mut worst_growth: (f64, String) = (0.0, String::new());
    let mut worst_ratio: (f64, String) = (0.0, String::new());
    let mut rows = vec![("prose", None)];
    rows.extend(KINDS.iter().map(|(n, u)| (*n, Some(*u))));
    for (name, unit) in rows {
        if unit.is_some() && only.as_deref().is_some_and(|o| !name.contains(o)) {
            continue;
        }
        for (si, stage) in stages.iter().enumerate() {
            let mut times: Vec<Option<f64>> = Vec::new();
            let mut over = false;
            for &size in &sizes {
                if over {
                    times.push(None);
                    continue;
                }
                let text = match unit {
                    Some(u) => hostile(u, size),
                    None => prose_at(stage.prose, size),
                };
                let t = time(&*stage.run, &text);
                over = t > budget;
                times.push(Some(t));
            }
            let at_ref = sizes
                .iter()
                .position(|&s| s == REFERENCE)
                .and_then(|k| times[k]);
            if unit.is_none() {
                reference.push(at_ref.unwrap_or(f64::NAN));
            }
            let growth: Vec<String> = times
                .windows(2)
                .map(|w| match (w[0], w[1]) {
                    (Some(a), Some(b)) if a > 0.0 => {
                        let g = b / a;
                        if unit.is_some() && g > worst_growth.0 && b > 1e-3 {
                            worst_growth = (g, format!("{name} / {}", stage.name));
                        }
                        format!("{g:.1}")
                    }
                    _ => "-".into(),
                })
                .collect();
            let ratio = match (at_ref, reference.get(si)) {
                (Some(t), Some(&r)) if r > 0.0 => {
                    let x = t / r;
                    if unit.is_some() && x > worst_ratio.0 {
                        worst_ratio = (x, format!("{name} / {}", stage.name));
                    }
                    format!("{x:.2}")
                }
                _ => "-".into(),
            };
            let ms = |t: Option<f64>| t.map_or("-".into(), |t| format!("{:.2}", t * 1e3));
            let cells: Vec<String> = times.iter().map(|&t| format!("{:>9}", ms(t))).collect();
            println!(
                "{:<22} {:<12} {}   {:<17} {:>8}",
                if si == 0 { name } else { "" },
                stage.name,
                cells.join(" "),
                growth.join(" "),
                ratio
            );
        }
    }
    println!();
    println!(
        "CPU milliseconds per input; growth: time ratio for each doubling of the size (linear ≈ 2, \
         quadratic ≈ 4); ×prose: time at 150 KB / time for 150 KB of prose in the stage's language"
    );
    println!(
        "largest growth (inputs over 1 ms): {:.1} ({}); largest ×prose: {:.2} ({})",
        worst_growth.0, worst_growth.1, worst_ratio.0, worst_ratio.1
    );
}

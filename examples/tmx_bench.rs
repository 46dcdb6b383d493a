//! TMX import/export benchmark: throughput (units/s) and peak memory.
//!
//! ```text
//! cargo build --release && cargo run --release --example tmx_bench -- [SIZES...] [--keep DIR]
//! ```
//!
//! SIZES default to `10000 100000 1000000`. For each size the benchmark
//! writes a TMX file of that many distinct units, built from real segments
//! recombined (two real segments of the same kind joined into one unit, 10 %
//! of units given inline tags, EN-RU, EN-ZH and EN-RU-ZH units mixed), then
//! runs the release binary under `/usr/bin/time` to import it into a fresh
//! database and to export it again as TMX, and prints units/s, seconds and
//! peak resident memory (max RSS) of each run.
//!
//! Real segments come from the shared data folder (`$POLYTM_SHARED`, else
//! `../shared` beside the crate): `data/tm/gettext.en-{ru,zh}.tsv` and
//! `data/parallel/libreoffice-help.dev.en-ru-zh.tsv`. Without it the
//! benchmark says so and uses the test fixtures' segments.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

#[path = "support/rng.rs"]
mod rng;
use rng::Rng;

/// One source of segments: texts per language (en, ru, zh; empty = none).
struct Seg {
    en: String,
    ru: String,
    zh: String,
}

fn shared_dir() -> Option<PathBuf> {
    let p = std::env::var_os("POLYTM_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    p.join("data").is_dir().then_some(p)
}

fn xml_ok(s: &str) -> bool {
    !s.trim().is_empty()
        && s.chars().all(|c| {
            matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
        })
}

fn read_tsv(path: &Path, mut f: impl FnMut(&[&str])) {
    let Ok(file) = File::open(path) else {
        return;
    };
    for line in BufReader::new(file).lines().skip(1).map_while(Result::ok) {
        let cols: Vec<&str> = line.split('\t').collect();
        f(&cols);
    }
}

fn load_segments() -> (Vec<Seg>, Vec<Seg>, Vec<Seg>, String) {
    let (mut ru, mut zh, mut tri) = (Vec::new(), Vec::new(), Vec::new());
    if let Some(shared) = shared_dir() {
        let data = shared.join("data");
        read_tsv(&data.join("tm/gettext.en-ru.tsv"), |c| {
            if c.len() == 3 && xml_ok(c[1]) && xml_ok(c[2]) {
                ru.push(Seg {
                    en: c[1].into(),
                    ru: c[2].into(),
                    zh: String::new(),
                });
            }
        });
        read_tsv(&data.join("tm/gettext.en-zh.tsv"), |c| {
            if c.len() == 3 && xml_ok(c[1]) && xml_ok(c[2]) {
                zh.push(Seg {
                    en: c[1].into(),
                    ru: String::new(),
                    zh: c[2].into(),
                });
            }
        });
        read_tsv(
            &data.join("parallel/libreoffice-help.dev.en-ru-zh.tsv"),
            |c| {
                if c.len() == 5 && xml_ok(c[2]) && xml_ok(c[3]) && xml_ok(c[4]) {
                    tri.push(Seg {
                        en: c[2].into(),
                        ru: c[3].into(),
                        zh: c[4].into(),
                    });
                }
            },
        );
        let what = format!(
            "real segments from {} ({} en-ru gettext, {} en-zh gettext, {} en-ru-zh LibreOffice help)",
            shared.display(),
            ru.len(),
            zh.len(),
            tri.len()
        );
        if !ru.is_empty() && !zh.is_empty() && !tri.is_empty() {
            return (ru, zh, tri, what);
        }
    }
    println!(
        "shared data not found ($POLYTM_SHARED or ../shared): using the test fixture's segments"
    );
    let fx = [
        (
            "The Secretariat of the SCO",
            "Секретариат ШОС",
            "上合组织秘书处",
        ),
        (
            "Regional Anti-Terrorist Structure",
            "Региональная антитеррористическая структура",
            "地区反恐怖机构",
        ),
        (
            "Council of Foreign Ministers",
            "Совет министров иностранных дел",
            "外交部长理事会",
        ),
        (
            "The meeting was held in Dushanbe.",
            "Встреча прошла в Душанбе.",
            "会议在杜尚别举行。",
        ),
    ];
    for (e, r, z) in fx {
        ru.push(Seg {
            en: e.into(),
            ru: r.into(),
            zh: String::new(),
        });
        zh.push(Seg {
            en: e.into(),
            ru: String::new(),
            zh: z.into(),
        });
        tri.push(Seg {
            en: e.into(),
            ru: r.into(),
            zh: z.into(),
        });
    }
    (
        ru,
        zh,
        tri,
        "the fixture's 4 segments (shared data absent)".into(),
    )
}

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 8);
    polytm_formats::xml::escape_text_into(&mut o, s);
    o
}

fn write_tmx(path: &Path, n: usize, pools: [&[Seg]; 3]) -> std::io::Result<()> {
    let mut w = BufWriter::with_capacity(1 << 20, File::create(path)?);
    writeln!(w, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        w,
        r#"<tmx version="1.4"><header creationtool="tmx_bench" creationtoolversion="1" segtype="sentence" o-tmf="none" adminlang="en" srclang="en" datatype="plaintext"/><body>"#
    )?;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for i in 0..n {
        // 45 % en-ru, 35 % en-zh, 20 % en-ru-zh
        let k = i % 20;
        let pool = if k < 9 {
            pools[0]
        } else if k < 16 {
            pools[1]
        } else {
            pools[2]
        };
        let a = &pool[rng.below(pool.len())];
        let b = &pool[rng.below(pool.len())];
        let tagged = i % 10 == 3;
        let join = |x: &str, y: &str, sep: &str| -> String {
            if tagged {
                format!(
                    "{}{sep}<bpt i=\"1\">&lt;b&gt;</bpt>{}<ept i=\"1\">&lt;/b&gt;</ept>",
                    esc(x),
                    esc(y)
                )
            } else {
                format!("{}{sep}{}", esc(x), esc(y))
            }
        };
        write!(
            w,
            "<tu tuid=\"b{i}\" creationdate=\"20240101T000000Z\"><prop type=\"x-bench\">{k}</prop>"
        )?;
        write!(
            w,
            "<tuv xml:lang=\"en-US\"><seg>{}</seg></tuv>",
            join(&a.en, &b.en, " ")
        )?;
        if !a.ru.is_empty() {
            write!(
                w,
                "<tuv xml:lang=\"ru-RU\"><seg>{}</seg></tuv>",
                join(&a.ru, &b.ru, " ")
            )?;
        }
        if !a.zh.is_empty() {
            write!(
                w,
                "<tuv xml:lang=\"zh-CN\"><seg>{}</seg></tuv>",
                join(&a.zh, &b.zh, "")
            )?;
        }
        writeln!(w, "</tu>")?;
    }
    writeln!(w, "</body></tmx>")?;
    w.flush()
}

/// Run under /usr/bin/time: (wall seconds, CPU seconds (user + system),
/// max RSS in MiB, stdout+stderr).
fn timed(bin: &Path, args: &[&str]) -> (f64, Option<f64>, Option<f64>, String) {
    let time = Path::new("/usr/bin/time");
    let t = Instant::now();
    let out = if time.exists() {
        Command::new(time)
            .arg("-f")
            .arg("MAXRSS %M CPU %U %S")
            .arg(bin)
            .args(args)
            .output()
    } else {
        Command::new(bin).args(args).output()
    }
    .expect("run polytm");
    let secs = t.elapsed().as_secs_f64();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if !out.status.success() {
        panic!("polytm {args:?} failed:\n{text}");
    }
    let stats: Vec<f64> = text
        .lines()
        .find_map(|l| l.strip_prefix("MAXRSS "))
        .map(|l| {
            l.split_whitespace()
                .filter_map(|w| w.parse::<f64>().ok())
                .collect()
        })
        .unwrap_or_default();
    let rss = stats.first().map(|kb| kb / 1024.0);
    let cpu = (stats.len() == 3).then(|| stats[1] + stats[2]);
    (secs, cpu, rss, text)
}

/// Seconds to read the file into units as `polytm import` does (decoding,
/// XML, inline markup, props) on one thread, without writing them.
fn parse_only(path: &Path) -> f64 {
    let t = Instant::now();
    let src = polytm_formats::xml_source::open(path).expect("open");
    let mut r = polytm_formats::tmx::TmxReader::new(src.reader);
    let mut n = 0usize;
    while let Some(u) = r.next_unit().expect("parse") {
        if polytm_engine::exchange::import::tmx_unit(u, &mut |_, _| {}).is_some() {
            n += 1;
        }
    }
    std::hint::black_box(n);
    t.elapsed().as_secs_f64()
}

fn main() {
    let mut sizes: Vec<usize> = Vec::new();
    let mut keep: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--keep" {
            keep = args.next().map(PathBuf::from);
        } else if let Ok(n) = a.replace('_', "").parse() {
            sizes.push(n);
        }
    }
    if sizes.is_empty() {
        sizes = vec![10_000, 100_000, 1_000_000];
    }
    let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/polytm");
    if !bin.exists() {
        eprintln!("build the release binary first: cargo build --release");
        std::process::exit(2);
    }
    let (ru, zh, tri, what) = load_segments();
    println!("segments: {what}");
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = keep.clone().unwrap_or_else(|| tmp.path().to_path_buf());
    std::fs::create_dir_all(&dir).expect("folder");
    println!(
        "(parse s = reading the TMX into units on one thread, no database; s = wall-clock seconds; \
         cpu = user+system CPU seconds; MiB = peak resident memory)"
    );
    println!(
        "{:>9}  {:>8}  {:>8}  {:>8}  {:>8}  {:>10}  {:>7}  {:>8}  {:>8}  {:>10}  {:>7}",
        "units",
        "TMX MiB",
        "parse s",
        "import s",
        "cpu",
        "import u/s",
        "MiB",
        "export s",
        "cpu",
        "export u/s",
        "MiB"
    );
    for n in sizes {
        let tmx = dir.join(format!("bench-{n}.tmx"));
        let db = dir.join(format!("bench-{n}.db"));
        let out = dir.join(format!("bench-{n}.out.tmx"));
        for p in [&db, &out] {
            let _ = std::fs::remove_file(p);
        }
        let _ = std::fs::remove_file(dir.join(format!("bench-{n}.db-wal")));
        write_tmx(&tmx, n, [&ru, &zh, &tri]).expect("write TMX");
        let mib = std::fs::metadata(&tmx).map(|m| m.len()).unwrap_or(0) as f64 / 1048576.0;
        let ps = parse_only(&tmx);
        let (is, icpu, irss, itext) = timed(
            &bin,
            &[
                "--quiet",
                "--db",
                db.to_str().unwrap(),
                "import",
                tmx.to_str().unwrap(),
            ],
        );
        let added: usize = itext
            .split_whitespace()
            .zip(itext.split_whitespace().skip(1))
            .find(|(_, w)| *w == "units")
            .and_then(|(a, _)| a.parse().ok())
            .unwrap_or(0);
        let (es, ecpu, erss, etext) = timed(
            &bin,
            &[
                "--quiet",
                "--db",
                db.to_str().unwrap(),
                "export",
                "-o",
                out.to_str().unwrap(),
            ],
        );
        let exported: usize = etext
            .split("exported ")
            .nth(1)
            .and_then(|s| s.split_whitespace().next())
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let f = |x: Option<f64>, p: usize| x.map_or("-".to_string(), |v| format!("{v:.p$}"));
        println!(
            "{:>9}  {:>8.1}  {:>8.2}  {:>8.2}  {:>8}  {:>10.0}  {:>7}  {:>8.2}  {:>8}  {:>10.0}  {:>7}",
            n,
            mib,
            ps,
            is,
            f(icpu, 2),
            n as f64 / is,
            f(irss, 0),
            es,
            f(ecpu, 2),
            exported as f64 / es,
            f(erss, 0)
        );
        if added != n || exported != n {
            println!(
                "    note: {added} units added, {exported} exported (duplicates among the generated units are skipped)"
            );
        }
        if keep.is_none() {
            for p in [&tmx, &db, &out] {
                let _ = std::fs::remove_file(p);
            }
        }
    }
}

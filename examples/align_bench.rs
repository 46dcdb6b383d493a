//! Aligner run time on long documents: 1k, 4k and 16k sentences per side,
//! with the band (coarse-to-fine search, the default) and with the full
//! dynamic programme over the whole grid where that finishes.
//!
//! ```text
//! cargo run --release --example align_bench [-- --full-max 4000 --sizes 1000,4000,16000]
//! ```
//!
//! The documents are built from the NTREX-dev news in the shared data
//! (`$POLYTM_SHARED`, else `../shared`): English and Russian, one sentence
//! a line, concatenated until they are long enough, with every 23rd
//! Russian pair of sentences merged and every 41st dropped, so the gold
//! alignment is known and both searches are scored too. Without the shared
//! data the benchmark says so and measures only the long lines below.
//!
//! First, with no data needed: the meeting fixture of the tests with one
//! English sentence of 1 MB, aligned as `polytm align` does it (read,
//! segmented unless presplit, aligned; no database), and a line of a
//! million Russian characters segmented.

use std::path::PathBuf;
use std::time::Instant;

use polytm_align::{Options, PairEvidence, PathBead, Tokenized, align_pair};
use polytm_core::Quiet;
use polytm_engine::align::{align, read_input};
use polytm_text::lang::{Lang, LangTag};
use polytm_text::segment::segment;

fn shared() -> PathBuf {
    match std::env::var_os("POLYTM_SHARED") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared")),
    }
}

/// English and Russian sentences of NTREX-dev, in document order.
fn ntrex() -> Option<(Vec<String>, Vec<String>)> {
    let dir = shared().join("data/align/ntrex-dev");
    let mut docs: Vec<String> = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            e.file_name()
                .to_str()?
                .strip_suffix(".en")
                .map(str::to_string)
        })
        .collect();
    docs.sort();
    let (mut en, mut ru) = (Vec::new(), Vec::new());
    for d in docs {
        let e = std::fs::read_to_string(dir.join(format!("{d}.en"))).ok()?;
        let r = std::fs::read_to_string(dir.join(format!("{d}.ru"))).ok()?;
        let (e, r): (Vec<&str>, Vec<&str>) = (e.lines().collect(), r.lines().collect());
        if e.len() != r.len() {
            continue;
        }
        en.extend(e.into_iter().map(str::to_string));
        ru.extend(r.into_iter().map(str::to_string));
    }
    (!en.is_empty()).then_some((en, ru))
}

type Gold = Vec<((usize, usize), (usize, usize))>;

/// `n` English sentences and their Russian side with merges and drops.
/// Each pass over the corpus takes its sentences in another order (a
/// fixed permutation of blocks of 19 sentences), so that the long
/// document does not repeat itself.
fn build(en: &[String], ru: &[String], n: usize) -> (Vec<String>, Vec<String>, Gold) {
    let (mut a, mut b, mut gold) = (Vec::new(), Vec::new(), Vec::new());
    const B: usize = 19;
    let blocks = en.len().div_ceil(B);
    let order = |k: usize| -> usize {
        let pass = k / en.len();
        let within = k % en.len();
        let (blk, off) = (within / B, within % B);
        // a permutation of the blocks that changes with every pass (53
        // blocks of NTREX-dev: a prime number, every step is coprime)
        let step = [1, 7, 11, 13, 17, 19, 23, 29][pass % 8];
        let blk = (blk * step + pass * 5) % blocks;
        (blk * B + off).min(en.len() - 1)
    };
    let mut k = 0;
    while a.len() < n {
        let i = order(k);
        if k % 23 == 22 && k % B != B - 1 && i + 1 < en.len() && a.len() + 2 <= n {
            gold.push(((a.len(), a.len() + 2), (b.len(), b.len() + 1)));
            a.push(en[i].clone());
            a.push(en[i + 1].clone());
            b.push(format!("{} {}", ru[i], ru[i + 1]));
            k += 2;
            continue;
        }
        if k % 41 == 40 {
            gold.push(((a.len(), a.len() + 1), (b.len(), b.len())));
            a.push(en[i].clone());
        } else {
            gold.push(((a.len(), a.len() + 1), (b.len(), b.len() + 1)));
            a.push(en[i].clone());
            b.push(ru[i].clone());
        }
        k += 1;
    }
    (a, b, gold)
}

fn strict_f1(gold: &Gold, test: &[PathBead]) -> f64 {
    let g: std::collections::HashSet<_> = gold.iter().copied().collect();
    let t: Vec<_> = test.iter().map(|b| (b.a, b.b)).collect();
    let hits = t.iter().filter(|x| g.contains(x)).count() as f64;
    let full = |v: &Gold| v.iter().filter(|(a, b)| a.0 < a.1 && b.0 < b.1).count() as f64;
    let p = hits / t.len().max(1) as f64;
    let tf: Vec<_> = t
        .iter()
        .copied()
        .filter(|(a, b)| a.0 < a.1 && b.0 < b.1)
        .collect();
    let r = tf.iter().filter(|x| g.contains(x)).count() as f64 / full(gold).max(1.0);
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

/// Pathological lengths: one sentence of 1 MB among a few ordinary ones.
fn long_lines() -> Result<(), Box<dyn std::error::Error>> {
    let fixtures = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/align"));
    let dir = tempfile::tempdir()?;
    let big = dir.path().join("big.en");
    let mut text = std::fs::read_to_string(fixtures.join("meeting.en"))?;
    text.push_str(&"the narcotics situation ".repeat(44_000));
    text.push('\n');
    std::fs::write(&big, &text)?;
    let (en, ru) = (LangTag::parse("en")?, LangTag::parse("ru")?);
    println!(
        "long lines: tests/fixtures/align/meeting.en with one sentence of {:.1} MB, against meeting.ru",
        text.len() as f64 / 1e6
    );
    for presplit in [true, false] {
        let t = Instant::now();
        let inputs = [
            read_input(&en, &big, presplit)?,
            read_input(&ru, &fixtures.join("meeting.ru"), presplit)?,
        ];
        let beads = align(None, &inputs, Options::default(), &Quiet)?;
        println!(
            "  {:<44} {:>6.2} s ({} units)",
            if presplit {
                "aligned, --presplit"
            } else {
                "aligned as running text (segmented)"
            },
            t.elapsed().as_secs_f64(),
            beads.len()
        );
    }
    let line = "слово ".repeat(180_000);
    let t = Instant::now();
    let paragraphs = segment(&line, &Lang::ru());
    println!(
        "  {:<44} {:>6.2} s ({} sentence)",
        format!(
            "a line of {:.1} M Russian characters segmented",
            line.chars().count() as f64 / 1e6
        ),
        t.elapsed().as_secs_f64(),
        paragraphs.iter().map(|p| p.sentences.len()).sum::<usize>()
    );
    println!();
    Ok(())
}

fn main() {
    if let Err(e) = long_lines() {
        println!("align_bench: long lines not measured: {e}");
    }
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let full_max: usize = arg("--full-max")
        .and_then(|v| v.parse().ok())
        .unwrap_or(4000);
    let sizes: Vec<usize> = arg("--sizes")
        .map(|v| v.split(',').filter_map(|x| x.parse().ok()).collect())
        .unwrap_or_else(|| vec![1000, 4000, 16000]);
    let Some((en, ru)) = ntrex() else {
        println!(
            "align_bench: no shared data at {} (set POLYTM_SHARED); nothing measured",
            shared().display()
        );
        return;
    };
    println!(
        "NTREX-dev EN/RU news concatenated; RU merges every 23rd pair, drops every 41st sentence"
    );
    println!(
        "{:>7} {:>7} {:>10} {:>8} {:>10} {:>8} {:>8} {:>9}",
        "en", "ru", "banded s", "F1", "full s", "F1", "full/bnd", "growth"
    );
    let ev = PairEvidence::default();
    let mut last: Option<(usize, f64)> = None;
    for &n in &sizes {
        let (a, b, gold) = build(&en, &ru, n);
        let ra: Vec<&str> = a.iter().map(String::as_str).collect();
        let rb: Vec<&str> = b.iter().map(String::as_str).collect();
        let t = Instant::now();
        let ta = Tokenized::new(&Lang::en(), &ra);
        let tb = Tokenized::new(&Lang::ru(), &rb);
        let path = align_pair(&ta, &tb, &ev, Options::default());
        let banded = t.elapsed().as_secs_f64();
        let f_banded = strict_f1(&gold, &path);
        let (full, f_full) = if n <= full_max {
            let t = Instant::now();
            let ta = Tokenized::new(&Lang::en(), &ra);
            let tb = Tokenized::new(&Lang::ru(), &rb);
            let opts = Options {
                full_grid: true,
                ..Options::default()
            };
            let path = align_pair(&ta, &tb, &ev, opts);
            (
                Some(t.elapsed().as_secs_f64()),
                Some(strict_f1(&gold, &path)),
            )
        } else {
            (None, None)
        };
        let growth = last
            .map(|(m, s)| format!("x{:.1}/x{:.0}", banded / s, n as f64 / m as f64))
            .unwrap_or_default();
        println!(
            "{:>7} {:>7} {:>10.2} {:>8.3} {:>10} {:>8} {:>8} {:>9}",
            a.len(),
            b.len(),
            banded,
            f_banded,
            full.map_or("-".into(), |s| format!("{s:.2}")),
            f_full.map_or("-".into(), |f| format!("{f:.3}")),
            full.map_or("-".into(), |s| format!("{:.1}", s / banded)),
            growth
        );
        last = Some((n, banded));
    }
    println!("growth: time ratio / size ratio against the previous row (linear: equal)");
}

//! Glossary recognition speed on real news sentences.
//!
//! Reads the NTREX news documents (EN/RU/ZH) from the shared data folder
//! (`$POLYTM_SHARED`, else `../shared` next to the crate) and the shipped
//! glossary; reports how long building a recogniser takes and how many
//! sentences a second one thread scans (and all threads, with rayon).
//!
//!     cargo bench --bench glossary
//!
//! Skips (and says so) when the shared folder is absent.

use std::path::PathBuf;
use std::time::Instant;

use polytm_glossary::Glossary;
use polytm_text::lang::Lang;
use rayon::prelude::*;

fn shared() -> PathBuf {
    std::env::var_os("POLYTM_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"))
}

fn main() {
    let dir = shared().join("data/align/ntrex-dev");
    if !dir.is_dir() {
        println!("skipped: {} not found (set POLYTM_SHARED)", dir.display());
        return;
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let tsv = std::fs::read_to_string(root.join("glossaries/sco-counter-narcotics.tsv"))
        .expect("the shipped glossary");
    let t = Instant::now();
    let glossary = Glossary::from_tsv_str(&tsv).expect("glossary");
    println!(
        "glossary: {} concepts loaded in {:.1} ms",
        glossary.len(),
        t.elapsed().as_secs_f64() * 1e3
    );
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("ntrex folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    names.sort();
    for lang in ["en", "ru", "zh"] {
        let mut sentences: Vec<String> = Vec::new();
        for p in names
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == lang))
        {
            let text = std::fs::read_to_string(p).expect("read");
            sentences.extend(
                text.lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(String::from),
            );
        }
        let bytes: usize = sentences.iter().map(|s| s.len()).sum();
        let l = Lang::parse(lang).expect("lang");
        let t = Instant::now();
        let rec = glossary.recognizer(&l);
        let build = t.elapsed().as_secs_f64();
        // One thread, several rounds.
        let rounds = 5;
        let t = Instant::now();
        let mut hits = 0;
        for _ in 0..rounds {
            hits = sentences.iter().map(|s| rec.scan(s).len()).sum::<usize>();
        }
        let one = t.elapsed().as_secs_f64() / rounds as f64;
        let t = Instant::now();
        for _ in 0..rounds {
            let n: usize = sentences.par_iter().map(|s| rec.scan(s).len()).sum();
            assert_eq!(n, hits);
        }
        let all = t.elapsed().as_secs_f64() / rounds as f64;
        // For comparison: tokenising alone.
        let t = Instant::now();
        for _ in 0..rounds {
            let n: usize = sentences
                .iter()
                .map(|s| polytm_text::tokenize(s, &l).len())
                .sum();
            std::hint::black_box(n);
        }
        let tok = t.elapsed().as_secs_f64() / rounds as f64;
        println!(
            "{lang}: recogniser built in {:.1} ms ({} terms); {} sentences ({:.2} MB), {} hits: \
             {:.0} sentences/s on one thread ({:.1} µs each, {:.1} MB/s; tokenising alone {:.1} µs), \
             {:.0} sentences/s on {} threads",
            build * 1e3,
            rec.len(),
            sentences.len(),
            bytes as f64 / 1e6,
            hits,
            sentences.len() as f64 / one,
            one / sentences.len() as f64 * 1e6,
            bytes as f64 / 1e6 / one,
            tok / sentences.len() as f64 * 1e6,
            sentences.len() as f64 / all,
            rayon::current_num_threads(),
        );
    }
    // Lookups (polytm term QUERY) on the shipped glossary.
    let queries = [
        "министерства внутренних дел",
        "Interior Ministry of Kazakhstan",
        "内务部",
        "ШОС",
        "Делегация МВД России прибыла в Таджикистан",
    ];
    let t = Instant::now();
    let rounds = 20;
    let mut n = 0;
    for _ in 0..rounds {
        for q in queries {
            n += glossary.lookup(q, None).len();
        }
    }
    println!(
        "lookup: {:.2} ms a query ({} results in all)",
        t.elapsed().as_secs_f64() * 1e3 / (rounds * queries.len()) as f64,
        n / rounds
    );
}

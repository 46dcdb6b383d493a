//! Benchmark and evaluation harness for fuzzy matching (see docs/fuzzy.md).
//!
//! ```text
//! cargo run --release --example fuzzy_bench -- load TM.tsv DB
//!     import a TSV with a header of language codes through the store's unit sink
//!     (the path every import takes), index included; prints units/s
//! cargo run --release --example fuzzy_bench -- scale [--sizes 10000,100000,1000000] [--queries 1000] [--dir /tmp/polytm-bench]
//!     generate realistic TMs by recombining real segments, import each,
//!     then time 1,000 lookups (median, p99, batch throughput, index size,
//!     ratio against the exhaustive scan), and one query of 100,000
//!     characters (20,000 tokens), indexed and exhaustive
//! ```
//!
//! With the real segments present, `scale` also measures the TM of joined
//! pairs (every real segment, then `a + " " + b` for random pairs of them up
//! to the largest size, as `/work/eval/fuzzy2/make_joined_tm.py` makes it):
//! each real segment is in dozens of longer units there, the near-duplicate
//! case where candidate lists grow fastest. It prints the same 1,000
//! queries' time on the originals alone and on the joined TM, their ratio,
//! the work per query and the agreement with the exhaustive scan
//! (`--joined 0` leaves it out).
//!
//! Real segments come from `$POLYTM_SHARED/data` (default `../shared`):
//! `tm/gettext.en-ru.tsv` and `parallel/libreoffice-help.dev.en-ru-zh.tsv`.
//! Without them the harness says so and uses `tests/fixtures/fuzzy/`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use std::sync::Arc;

use polytm_engine::matcher::{Matcher, Options};
use polytm_fuzzy::index::SearchStats;
use polytm_sqlite::SqliteDb;
use polytm_store::{Database, NewUnit, NewVariant, OnDuplicate, Origin};
use polytm_text::lang::{Lang, LangTag};

#[path = "support/rng.rs"]
mod rng;
use rng::Rng;

/// Bytes of the stored index of a language (all languages: `None`).
fn index_bytes(db: &dyn Database, lang: Option<&str>) -> Res<i64> {
    Ok(db
        .reader()?
        .index_sizes()?
        .iter()
        .filter(|s| lang.is_none_or(|l| s.lang == l))
        .map(|s| s.bytes)
        .sum())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let r = match args.first().map(String::as_str) {
        Some("load") if args.len() == 3 => {
            load(Path::new(&args[1]), Path::new(&args[2])).map(|_| ())
        }
        Some("scale") => scale(&args[1..]),
        Some("explain") if args.len() == 3 => explain(Path::new(&args[1]), Path::new(&args[2])),
        Some("gen") if args.len() == 3 => gen_tsv(&args[1], Path::new(&args[2])),
        _ => {
            eprintln!(
                "usage: fuzzy_bench load TM.tsv DB | fuzzy_bench scale [--sizes N,N] [--queries N] [--dir DIR]"
            );
            std::process::exit(2);
        }
    };
    if let Err(e) = r {
        eprintln!("fuzzy_bench: {e}");
        std::process::exit(1);
    }
}

type Res<T> = Result<T, Box<dyn std::error::Error>>;

/// What the search did for a batch of queries (one a line) against an
/// existing database: postings read, candidates, bounds, verifications,
/// and the time of the search and of the units' texts, summed.
fn explain(db: &Path, queries: &Path) -> Res<()> {
    let store: Arc<dyn Database> = Arc::new(SqliteDb::open(db)?);
    let t = Instant::now();
    let m = Matcher::open(store, &Lang::en(), &Lang::ru(), Options::default())?;
    eprintln!("opened in {:.3} s", t.elapsed().as_secs_f64());
    let text = std::fs::read_to_string(queries)?;
    let mut st = SearchStats::default();
    let t = Instant::now();
    let mut n = 0;
    // (time, found, candidates) per query, to see where the time goes
    let mut per: Vec<(f64, bool, usize, usize)> = Vec::new();
    for q in text.lines().filter(|l| !l.trim().is_empty()) {
        let c0 = st.candidates;
        let b0 = st.bounded;
        let t1 = Instant::now();
        let r = m.best_with_stats(q, 50, 5, &mut st)?;
        per.push((
            t1.elapsed().as_secs_f64(),
            !r.is_empty(),
            st.candidates - c0,
            st.bounded - b0,
        ));
        n += 1;
    }
    let dt = t.elapsed().as_secs_f64();
    for found in [true, false] {
        let v: Vec<_> = per.iter().filter(|p| p.1 == found).collect();
        let time: f64 = v.iter().map(|p| p.0).sum();
        let cand: usize = v.iter().map(|p| p.2).sum();
        let bounded: usize = v.iter().map(|p| p.3).sum();
        eprintln!(
            "  {} queries {}: {:.3} s, candidates {}, exact bounds {}",
            v.len(),
            if found { "with a proposal" } else { "without" },
            time,
            cand / v.len().max(1),
            bounded / v.len().max(1)
        );
    }
    // where the time goes (the split that showed the proposals' lookups
    // re-planned at every call)
    eprintln!(
        "  time: posting lists {:.3} s, bounds and verification {:.3} s (of which the proposals' store lookups {:.3} s), the rest {:.3} s (query preparation, repairs)",
        st.scan_time.as_secs_f64(),
        st.verify_time.as_secs_f64(),
        st.accept_time.as_secs_f64(),
        dt - st.scan_time.as_secs_f64() - st.verify_time.as_secs_f64()
    );
    println!(
        "{n} queries in {dt:.3} s ({:.0} q/s, one thread); per query: postings {:.0} ({:.0} skipped by a bit), candidates {:.0}, signed {:.0}, bounded {:.0}, verified {:.1}, stages {:.1}",
        n as f64 / dt,
        st.postings as f64 / n as f64,
        st.skipped as f64 / n as f64,
        st.candidates as f64 / n as f64,
        st.signed as f64 / n as f64,
        st.bounded as f64 / n as f64,
        st.verified as f64 / n as f64,
        st.stages as f64 / n as f64,
    );
    Ok(())
}

/// Write a generated EN-RU TM of N units as TSV (for timing `polytm import`).
fn gen_tsv(n: &str, out: &Path) -> Res<()> {
    let n: usize = n.parse()?;
    let (pairs, what) = real_pairs();
    let tm = generate(&pairs, n, 42 + n as u64);
    let mut s = String::from("en\tru\n");
    for (a, b) in &tm {
        s.push_str(a);
        s.push('\t');
        s.push_str(b);
        s.push('\n');
    }
    std::fs::write(out, s)?;
    println!(
        "{} units from {what} written to {}",
        tm.len(),
        out.display()
    );
    Ok(())
}

/// Import a TSV whose header names the languages. Returns units/s.
fn load(tsv: &Path, db: &Path) -> Res<f64> {
    let text = std::fs::read_to_string(tsv)?;
    let mut lines = text.lines();
    let header = lines.next().ok_or("empty TSV")?;
    let tags: Vec<LangTag> = header
        .split('\t')
        .map(LangTag::parse)
        .collect::<Result<_, _>>()?;
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split('\t').collect()).collect();
    import_rows(db, &tags, &rows, &tsv.display().to_string())
}

fn import_rows(db: &Path, tags: &[LangTag], rows: &[Vec<&str>], name: &str) -> Res<f64> {
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", db.display()));
    }
    let t = Instant::now();
    let store = SqliteDb::open(db)?;
    let mut tx = store.writer()?;
    let batch = tx.new_batch("import", name)?;
    let mut w = tx.units(batch, OnDuplicate::Skip)?;
    for row in rows {
        if row.len() != tags.len() || row.iter().any(|c| c.is_empty()) {
            continue;
        }
        let vars = tags
            .iter()
            .zip(row)
            .map(|(t, c)| NewVariant::new(t.clone(), *c))
            .collect();
        let mut u = NewUnit::new(Origin::Imported, vars);
        u.src_lang = Some(tags[0].lang.clone());
        w.add(&u)?;
    }
    let added = t.elapsed().as_secs_f64();
    let stats = w.finish()?;
    let finished = t.elapsed().as_secs_f64();
    tx.commit()?;
    eprintln!(
        "  (units written in {added:.2} s, index finished {:.2} s later, commit {:.2} s)",
        finished - added,
        t.elapsed().as_secs_f64() - finished
    );
    let dt = t.elapsed().as_secs_f64();
    let rate = rows.len() as f64 / dt;
    let ix = index_bytes(&store, None)?;
    drop(store);
    println!(
        "imported {} rows ({} units added, {} duplicates) in {:.2} s: {:.0} units/s, index included; \
         database {:.1} MB, index {:.1} MB",
        rows.len(),
        stats.added,
        stats.skipped,
        dt,
        rate,
        file_size(db) as f64 / 1e6,
        ix as f64 / 1e6
    );
    Ok(rate)
}

fn file_size(db: &Path) -> u64 {
    ["", "-wal"]
        .iter()
        .map(|e| {
            std::fs::metadata(format!("{}{e}", db.display()))
                .map(|m| m.len())
                .unwrap_or(0)
        })
        .sum()
}

fn shared() -> PathBuf {
    std::env::var_os("POLYTM_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"))
}

/// Real EN/RU pairs: gettext messages and LibreOffice help paragraphs.
fn real_pairs() -> (Vec<(String, String)>, String) {
    let data = shared().join("data");
    let mut pairs = Vec::new();
    let gettext = data.join("tm/gettext.en-ru.tsv");
    let help = data.join("parallel/libreoffice-help.dev.en-ru-zh.tsv");
    if let (Ok(g), Ok(h)) = (
        std::fs::read_to_string(&gettext),
        std::fs::read_to_string(&help),
    ) {
        for l in g.lines().skip(1) {
            let c: Vec<&str> = l.split('\t').collect();
            if c.len() == 3 && !c[1].is_empty() && !c[2].is_empty() {
                pairs.push((c[1].to_string(), c[2].to_string()));
            }
        }
        for l in h.lines().skip(1) {
            let c: Vec<&str> = l.split('\t').collect();
            if c.len() == 5 && !c[2].is_empty() && !c[3].is_empty() {
                pairs.push((c[2].to_string(), c[3].to_string()));
            }
        }
        let what = format!(
            "{} real EN-RU segments from {} and {}",
            pairs.len(),
            gettext.display(),
            help.display()
        );
        return (pairs, what);
    }
    let fx = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzzy/tm.tsv");
    eprintln!(
        "fuzzy_bench: {} not found; using the fixture {}",
        data.display(),
        fx.display()
    );
    let t = std::fs::read_to_string(&fx).unwrap_or_default();
    for l in t.lines().skip(1) {
        let c: Vec<&str> = l.split('\t').collect();
        if c.len() >= 2 {
            pairs.push((c[0].to_string(), c[1].to_string()));
        }
    }
    let what = format!("{} fixture segments from {}", pairs.len(), fx.display());
    (pairs, what)
}

/// Split at sentence ends or commas, keeping the separators.
fn pieces(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in s.char_indices() {
        if matches!(c, '.' | ',' | ';' | ':' | '!' | '?') {
            let end = i + c.len_utf8();
            if end - start > 1 {
                out.push(&s[start..end]);
            }
            start = end;
        }
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

/// A TM of `n` units: the real pairs first, then new pairs made by
/// recombining them: the first part of one with the rest of another (both
/// sides cut at the same clause boundary), or a real pair with one number
/// or word changed. Realistic: the same vocabulary, lengths and
/// near-duplicates as a growing institutional TM.
fn generate(pairs: &[(String, String)], n: usize, seed: u64) -> Vec<(String, String)> {
    let mut rng = Rng(seed);
    // a random sample of the real pairs (all of them when n is larger) ...
    let mut order: Vec<usize> = (0..pairs.len()).collect();
    for i in (1..order.len()).rev() {
        order.swap(i, rng.below(i + 1));
    }
    let mut out: Vec<(String, String)> = order.iter().take(n).map(|&i| pairs[i].clone()).collect();
    // ... then recombinations
    let mut k = 0u64;
    while out.len() < n {
        k += 1;
        let a = &pairs[rng.below(pairs.len())];
        let b = &pairs[rng.below(pairs.len())];
        let (pa_en, pa_ru, pb_en, pb_ru) = (pieces(&a.0), pieces(&a.1), pieces(&b.0), pieces(&b.1));
        let unit = if pa_en.len() >= 2
            && pa_en.len() == pa_ru.len()
            && pb_en.len() == pb_ru.len()
            && rng.below(3) > 0
        {
            let cut = 1 + rng.below(pa_en.len() - 1);
            let cut_b = rng.below(pb_en.len());
            let en = format!("{}{}", pa_en[..cut].concat(), pb_en[cut_b..].concat());
            let ru = format!("{}{}", pa_ru[..cut].concat(), pb_ru[cut_b..].concat());
            (en, ru)
        } else {
            // a variant: a number appended, as in versioned UI strings
            (
                format!("{} ({})", a.0, k % 1000),
                format!("{} ({})", a.1, k % 1000),
            )
        };
        out.push(unit);
    }
    out
}

/// An EN→RU matcher on `db` that scans every unit (the slow path).
fn exhaustive_matcher(db: &Path) -> Res<Matcher> {
    let store: Arc<dyn Database> = Arc::new(SqliteDb::open(db)?);
    Ok(Matcher::open(
        store,
        &Lang::en(),
        &Lang::ru(),
        Options {
            exhaustive: true,
            repair: true,
        },
    )?)
}

/// One query of 100,000 characters (20,000 tokens, no match), indexed and
/// exhaustive: the time a pathological query takes.
fn long_query(m: &Matcher, db: &Path, limit: usize) -> Res<String> {
    let q = "word ".repeat(20_000);
    let t = Instant::now();
    m.best(&q, 50, limit)?;
    let indexed = t.elapsed().as_secs_f64() * 1e3;
    let ex = exhaustive_matcher(db)?;
    let t = Instant::now();
    ex.best(&q, 50, limit)?;
    let exhaustive = t.elapsed().as_secs_f64() * 1e3;
    Ok(format!(
        "a 100,000-character query: {indexed:.1} ms indexed, {exhaustive:.0} ms exhaustive"
    ))
}

/// CPU time of the calling thread in ms: unlike wall time it does not
/// count the time other processes hold the CPU.
fn thread_cpu_ms() -> f64 {
    cpu_time::ThreadTime::now().as_duration().as_secs_f64() * 1e3
}

/// CPU time of the whole process (all threads) in ms.
fn process_cpu_ms() -> f64 {
    cpu_time::ProcessTime::now().as_duration().as_secs_f64() * 1e3
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn scale(args: &[String]) -> Res<()> {
    let mut sizes = vec![10_000usize, 100_000, 1_000_000];
    let mut nq = 1000usize;
    let mut dir = PathBuf::from("/tmp/polytm-bench");
    let mut exhaustive_sample = 50usize;
    let mut limit = 5usize;
    let mut reuse = false;
    let mut joined: Option<usize> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--sizes" => {
                sizes = it
                    .next()
                    .ok_or("--sizes N,N")?
                    .split(',')
                    .map(|s| s.parse())
                    .collect::<Result<_, _>>()?
            }
            "--queries" => nq = it.next().ok_or("--queries N")?.parse()?,
            "--dir" => dir = PathBuf::from(it.next().ok_or("--dir DIR")?),
            "--limit" => limit = it.next().ok_or("--limit N")?.parse()?,
            "--reuse" => reuse = true,
            "--joined" => joined = Some(it.next().ok_or("--joined N")?.parse()?),
            "--exhaustive-sample" => {
                exhaustive_sample = it.next().ok_or("--exhaustive-sample N")?.parse()?
            }
            _ => return Err(format!("unknown argument {a}").into()),
        }
    }
    std::fs::create_dir_all(&dir)?;
    let (pairs, what) = real_pairs();
    let real = !what.contains("fixture");
    println!("segments: {what}");
    // Queries: real segments held out of every TM (every 50th help-like pair
    // with 4..60 words), so each query has near but not identical matches.
    let mut rng = Rng(7);
    let mut held = vec![false; pairs.len()];
    let mut queries = Vec::new();
    while queries.len() < nq {
        let i = rng.below(pairs.len());
        let w = pairs[i].0.split_whitespace().count();
        if !held[i] && (4..=60).contains(&w) {
            held[i] = true;
            queries.push(pairs[i].0.clone());
        }
        if queries.len() >= nq || held.iter().filter(|h| **h).count() >= pairs.len() / 2 {
            break;
        }
    }
    let pool: Vec<(String, String)> = pairs
        .iter()
        .zip(&held)
        .filter(|(_, h)| !**h)
        .map(|(p, _)| p.clone())
        .collect();
    println!(
        "queries: {} real segments held out of the TMs",
        queries.len()
    );
    let tags = vec![LangTag::parse("en")?, LangTag::parse("ru")?];
    println!();
    println!(
        "| units | import units/s (index incl.) | index MB | db MB | load s | median ms | p99 ms | batch q/s (2 threads) | exhaustive ms/query | speed-up |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for &n in &sizes {
        let db = dir.join(format!("tm-{n}.db"));
        let rate = if reuse && db.exists() {
            f64::NAN
        } else {
            let tm = generate(&pool, n, 42 + n as u64);
            let rows: Vec<Vec<&str>> = tm
                .iter()
                .map(|(a, b)| vec![a.as_str(), b.as_str()])
                .collect();
            import_rows(&db, &tags, &rows, "generated")?
        };
        let t = Instant::now();
        let store: Arc<dyn Database> = Arc::new(SqliteDb::open(&db)?);
        let index_bytes = index_bytes(store.as_ref(), Some("en"))?;
        let m = Matcher::open(store, &Lang::en(), &Lang::ru(), Options::default())?;
        let load = t.elapsed().as_secs_f64();
        // one query at a time, one thread: latency
        let mut lat = Vec::with_capacity(queries.len());
        let mut st = SearchStats::default();
        let mut found = 0usize;
        let mut slow: Vec<(f64, String, SearchStats, u8)> = Vec::new();
        let mut cpu_lat = Vec::with_capacity(queries.len());
        for q in &queries {
            let t = Instant::now();
            let c = thread_cpu_ms();
            let mut one = SearchStats::default();
            let r = m.best_with_stats(q, 50, limit, &mut one)?;
            let ms = t.elapsed().as_secs_f64() * 1e3;
            cpu_lat.push(thread_cpu_ms() - c);
            lat.push(ms);
            found += usize::from(!r.is_empty());
            st.postings += one.postings;
            st.candidates += one.candidates;
            st.signed += one.signed;
            st.bounded += one.bounded;
            st.verified += one.verified;
            slow.push((ms, q.clone(), one, r.first().map_or(0, |p| p.score)));
        }
        if std::env::var_os("BENCH_SLOW").is_some() {
            slow.sort_by(|a, b| b.0.total_cmp(&a.0));
            for (ms, q, s, best) in slow.iter().take(8) {
                eprintln!(
                    "    {ms:.1} ms best {best} {s:?} {} tokens: {}",
                    q.split_whitespace().count(),
                    q.chars().take(100).collect::<String>()
                );
            }
        }
        lat.sort_by(|a, b| a.total_cmp(b));
        cpu_lat.sort_by(|a, b| a.total_cmp(b));
        // batch on all cores
        let t = Instant::now();
        let cpu0 = process_cpu_ms();
        {
            use rayon::prelude::*;
            let r: Vec<_> = queries.par_iter().map(|q| m.best(q, 50, limit)).collect();
            for x in r {
                x?;
            }
        }
        let batch_qps = queries.len() as f64 / t.elapsed().as_secs_f64();
        let batch_cpu_s = (process_cpu_ms() - cpu0) / 1e3;
        // exhaustive on a sample, and agreement of best scores there
        let sample: Vec<&String> = queries.iter().take(exhaustive_sample).collect();
        let mut ex_time = 0.0;
        let mut agree = 0usize;
        if !sample.is_empty() {
            let ex = exhaustive_matcher(&db)?;
            for q in &sample {
                let t = Instant::now();
                let a = ex.best(q, 50, limit)?;
                ex_time += t.elapsed().as_secs_f64();
                let b = m.best(q, 50, limit)?;
                let sa: Vec<(u8, i64)> = a.iter().map(|p| (p.score, p.unit)).collect();
                let sb: Vec<(u8, i64)> = b.iter().map(|p| (p.score, p.unit)).collect();
                agree += usize::from(sa == sb);
            }
        }
        let ex_ms = ex_time * 1e3 / sample.len().max(1) as f64;
        let long = long_query(&m, &db, limit)?;
        let median = percentile(&lat, 0.5);
        println!(
            "| {n} | {rate:.0} | {:.1} | {:.1} | {load:.2} | {median:.2} | {:.2} | {batch_qps:.0} | {ex_ms:.1} | {:.0}× |",
            index_bytes as f64 / 1e6,
            file_size(&db) as f64 / 1e6,
            percentile(&lat, 0.99),
            ex_ms / median.max(1e-9),
        );
        println!(
            "|   CPU time | | | | | {:.2} | {:.2} | {:.0} per CPU-second ({:.2} CPU-s for the batch) | | |",
            percentile(&cpu_lat, 0.5),
            percentile(&cpu_lat, 0.99),
            queries.len() as f64 / batch_cpu_s.max(1e-9),
            batch_cpu_s
        );
        eprintln!(
            "  {n}: {found}/{} queries with a match ≥ 50; postings read {} / candidates {} / signature {} / bounded {} / verified {} per query; \
             {agree}/{} of the exhaustive sample identical; {long}",
            queries.len(),
            st.postings / queries.len().max(1),
            st.candidates / queries.len().max(1),
            st.signed / queries.len().max(1),
            st.bounded / queries.len().max(1),
            st.verified / queries.len().max(1),
            sample.len()
        );
    }
    let joined = joined.unwrap_or(if real {
        sizes.iter().copied().max().unwrap_or(0)
    } else {
        0
    });
    if joined > 0 {
        joined_pairs(
            &pool,
            &queries,
            joined,
            &dir,
            &tags,
            limit,
            exhaustive_sample,
            reuse,
        )?;
    }
    Ok(())
}

/// The TM of joined pairs: every segment of `pool`, then `a + " " + b` for
/// random ordered pairs of distinct ones until `n` distinct units exist
/// (each real segment stands whole in dozens of longer units).
fn joined_tm(pool: &[(String, String)], n: usize, seed: u64) -> Vec<(String, String)> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(n);
    for p in pool {
        if out.len() >= n {
            break;
        }
        if seen.insert(p.clone()) {
            out.push(p.clone());
        }
    }
    let originals = out.len();
    let mut rng = Rng(seed);
    while out.len() < n && originals > 1 {
        let (a, b) = (rng.below(originals), rng.below(originals));
        if a == b {
            continue;
        }
        let u = (
            format!("{} {}", out[a].0, out[b].0),
            format!("{} {}", out[a].1, out[b].1),
        );
        if seen.insert(u.clone()) {
            out.push(u);
        }
    }
    out
}

/// What the batch of `queries` costs on one database: CPU seconds of the
/// whole process for the batch on all cores (median of three), wall
/// seconds, queries with a proposal, and the work per query.
fn batch_figures(
    m: &Matcher,
    queries: &[String],
    limit: usize,
) -> Res<(f64, f64, usize, SearchStats)> {
    use rayon::prelude::*;
    let mut runs = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let cpu0 = process_cpu_ms();
        let r: Vec<_> = queries.par_iter().map(|q| m.best(q, 50, limit)).collect();
        for x in r {
            x?;
        }
        runs.push(((process_cpu_ms() - cpu0) / 1e3, t.elapsed().as_secs_f64()));
    }
    runs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (cpu, wall) = runs[1];
    let mut st = SearchStats::default();
    let mut found = 0;
    for q in queries {
        found += usize::from(!m.best_with_stats(q, 50, limit, &mut st)?.is_empty());
    }
    Ok((cpu, wall, found, st))
}

/// The joined-pairs case (see the module documentation): the originals
/// alone, then the joined TM of `n` units; batch time, ratio, work per
/// query and agreement with the exhaustive scan on a sample.
#[allow(clippy::too_many_arguments)]
fn joined_pairs(
    pool: &[(String, String)],
    queries: &[String],
    n: usize,
    dir: &Path,
    tags: &[LangTag],
    limit: usize,
    exhaustive_sample: usize,
    reuse: bool,
) -> Res<()> {
    println!();
    println!(
        "joined pairs (near-duplicates): the {} real segments, then a + \" \" + b up to {n} units",
        pool.len()
    );
    println!();
    println!(
        "| TM | units | import units/s | batch CPU s (2 threads) | batch wall s | proposals | postings / candidates / bounded / verified per query | agreement with --exhaustive |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let mut cpu_at = Vec::new();
    for (name, size) in [("originals", pool.len()), ("joined", n.max(pool.len()))] {
        let db = dir.join(format!("joined-{size}.db"));
        let rate = if reuse && db.exists() {
            f64::NAN
        } else {
            // the originals alone: the first `pool.len()` units of any size
            let tm = joined_tm(pool, size, 1);
            let rows: Vec<Vec<&str>> = tm
                .iter()
                .map(|(a, b)| vec![a.as_str(), b.as_str()])
                .collect();
            import_rows(&db, tags, &rows, "joined")?
        };
        let store: Arc<dyn Database> = Arc::new(SqliteDb::open(&db)?);
        let m = Matcher::open(store, &Lang::en(), &Lang::ru(), Options::default())?;
        let (cpu, wall, found, st) = batch_figures(&m, queries, limit)?;
        let sample: Vec<&String> = queries.iter().take(exhaustive_sample).collect();
        let mut agree = 0usize;
        if !sample.is_empty() {
            let ex = exhaustive_matcher(&db)?;
            for q in &sample {
                let a = ex.best(q, 50, limit)?;
                let b = m.best(q, 50, limit)?;
                let sa: Vec<(u8, i64)> = a.iter().map(|p| (p.score, p.unit)).collect();
                let sb: Vec<(u8, i64)> = b.iter().map(|p| (p.score, p.unit)).collect();
                agree += usize::from(sa == sb);
            }
        }
        let per = |x: usize| x as f64 / queries.len().max(1) as f64;
        println!(
            "| {name} | {} | {rate:.0} | {cpu:.3} | {wall:.3} | {found} | {:.0} / {:.0} / {:.0} / {:.1} | {agree}/{} |",
            m.segments(),
            per(st.postings),
            per(st.candidates),
            per(st.bounded),
            per(st.verified),
            sample.len()
        );
        cpu_at.push((cpu, wall));
    }
    if let [(c0, w0), (c1, w1)] = cpu_at[..] {
        println!();
        println!(
            "joined / originals, same {} queries: {:.1}× CPU, {:.1}× wall (target ≤ 4×)",
            queries.len(),
            c1 / c0.max(1e-9),
            w1 / w0.max(1e-9)
        );
    }
    Ok(())
}

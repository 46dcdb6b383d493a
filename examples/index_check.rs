//! Check that a database's stored fuzzy index is exactly what tokenising
//! its units afresh gives: every variant once, with its unit, recency, text
//! hash and token sequence — nothing missing, nothing stale, nothing extra.
//!
//! ```text
//! cargo run --release --example index_check -- DB
//! ```
//!
//! Used after the million-unit import benchmarks (docs/perf.md): the index
//! is written while the file streams in, and this is the exhaustive proof
//! that nothing was lost on the way. Exits 1 on any difference.

use std::path::Path;
use std::time::Instant;

use polytm_sqlite::SqliteDb;
use polytm_store::{Database, Reader};
use polytm_text::lang::Lang;

/// (unit, recency, text hash, hash of the token keys) of one entry.
type Entry = (i64, i64, u64, u64);

fn keys_hash<'a>(keys: impl Iterator<Item = &'a str>) -> u64 {
    let mut buf = Vec::with_capacity(256);
    for k in keys {
        buf.extend_from_slice(k.as_bytes());
        buf.push(0);
    }
    xxhash_rust::xxh3::xxh3_64(&buf)
}

fn stored(rd: &dyn Reader, lang: &Lang) -> polytm_core::Result<Vec<Entry>> {
    let mut out = Vec::new();
    rd.for_each_index_segment(lang, &mut |seg, entries| {
        for i in entries {
            let keys = seg.tokens(i).iter().map(|&t| seg.keys[t as usize].as_str());
            out.push((seg.units[i], seg.recency[i], seg.hashes[i], keys_hash(keys)));
        }
    })?;
    out.sort_unstable();
    Ok(out)
}

fn fresh(rd: &dyn Reader, lang: &Lang) -> polytm_core::Result<Vec<Entry>> {
    let mut scanner = polytm_text::tokenize::KeyScanner::default();
    let mut out = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    rd.for_each_variant(lang, &mut |unit, recency, text| {
        keys.clear();
        scanner.keys(text, lang, |_, k| keys.push(k.to_string()));
        if !keys.is_empty() {
            // a text with nothing to match is not indexed
            out.push((
                unit,
                recency,
                polytm_fuzzy::score::text_hash(text),
                keys_hash(keys.iter().map(String::as_str)),
            ));
        }
        Ok(())
    })?;
    out.sort_unstable();
    Ok(out)
}

fn main() {
    let Some(db) = std::env::args().nth(1) else {
        eprintln!("usage: index_check DB");
        std::process::exit(2);
    };
    let rd = match SqliteDb::open(Path::new(&db)).and_then(|s| {
        let langs: Vec<String> = s
            .reader()?
            .stats()?
            .languages
            .into_iter()
            .map(|l| l.lang)
            .collect();
        Ok((s, langs))
    }) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("index_check: {e}");
            std::process::exit(1);
        }
    };
    let (store, mut langs) = rd;
    langs.sort();
    let rd = store.reader().unwrap_or_else(|e| {
        eprintln!("index_check: {e}");
        std::process::exit(1)
    });
    let mut ok = true;
    for l in langs {
        let lang = Lang::from_key(&l);
        let t = Instant::now();
        let (a, b) = match (stored(rd.as_ref(), &lang), fresh(rd.as_ref(), &lang)) {
            (Ok(a), Ok(b)) => (a, b),
            (Err(e), _) | (_, Err(e)) => {
                eprintln!("index_check: {l}: {e}");
                std::process::exit(1);
            }
        };
        if a == b {
            println!(
                "{l}: {} entries, identical to a fresh tokenisation ({:.1} s)",
                a.len(),
                t.elapsed().as_secs_f64()
            );
        } else {
            ok = false;
            let first = a.iter().zip(&b).position(|(x, y)| x != y);
            println!(
                "{l}: DIFFERENT: {} stored, {} fresh; first difference at entry {:?}: {:?} / {:?}",
                a.len(),
                b.len(),
                first,
                first.and_then(|i| a.get(i)),
                first.and_then(|i| b.get(i))
            );
        }
    }
    if !ok {
        std::process::exit(1);
    }
}

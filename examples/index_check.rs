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

use polytm::lang::Lang;
use polytm::store::Store;

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

fn stored(store: &Store, lang: &Lang) -> polytm::Result<Vec<Entry>> {
    let mut out = Vec::new();
    polytm::store::index::read_lang(&store.conn, lang, |seg, entries| {
        for i in entries {
            let keys = seg.tokens(i).iter().map(|&t| seg.keys[t as usize].as_str());
            out.push((seg.units[i], seg.recency[i], seg.hashes[i], keys_hash(keys)));
        }
    })?;
    out.sort_unstable();
    Ok(out)
}

fn fresh(store: &Store, lang: &Lang) -> polytm::Result<Vec<Entry>> {
    let mut st = store.conn.prepare(
        "SELECT v.unit_id, u.created_at, u.changed_at, coalesce(v.plain, v.text)
         FROM variants v JOIN units u ON u.id = v.unit_id WHERE v.lang = ?1",
    )?;
    let mut rows = st.query([lang.as_str()])?;
    let mut scanner = polytm::text::tokenize::KeyScanner::default();
    let mut out = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    while let Some(r) = rows.next()? {
        let text: String = r.get(3)?;
        keys.clear();
        scanner.keys(&text, lang, |_, k| keys.push(k.to_string()));
        if keys.is_empty() {
            continue; // nothing to match: not indexed
        }
        let created: String = r.get(1)?;
        let changed: Option<String> = r.get(2)?;
        out.push((
            r.get(0)?,
            polytm::store::index::recency(&created, changed.as_deref()),
            polytm::fuzzy::score::text_hash(&text),
            keys_hash(keys.iter().map(String::as_str)),
        ));
    }
    out.sort_unstable();
    Ok(out)
}

fn main() {
    let Some(db) = std::env::args().nth(1) else {
        eprintln!("usage: index_check DB");
        std::process::exit(2);
    };
    let store = match Store::open(Path::new(&db)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("index_check: {e}");
            std::process::exit(1);
        }
    };
    let langs: Vec<String> = store
        .conn
        .prepare("SELECT DISTINCT lang FROM variants ORDER BY lang")
        .and_then(|mut st| st.query_map([], |r| r.get(0))?.collect())
        .unwrap_or_default();
    let mut ok = true;
    for l in langs {
        let lang = Lang::from_key(&l);
        let t = Instant::now();
        let (a, b) = match (stored(&store, &lang), fresh(&store, &lang)) {
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

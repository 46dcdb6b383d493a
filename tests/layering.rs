//! The architecture's rules, checked on the workspace itself: the crate
//! graph is the data flow of the README, database drivers stay in the
//! store backends, the command line stays in the binary.
//!
//! The compiler keeps most of this once the graph is right (a crate cannot
//! use what it does not depend on); this test keeps the graph right.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Direct dependencies of every workspace package (normal ones, not dev or
/// build), from `cargo metadata`.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    dependencies(|kind| kind.is_null())
}

/// Direct dependencies of every workspace package whose kind (`null`
/// for normal ones, "dev", "build") `keep` accepts.
fn dependencies(keep: impl Fn(&serde_json::Value) -> bool) -> BTreeMap<String, BTreeSet<String>> {
    let out = std::process::Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--no-deps"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let m: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut g = BTreeMap::new();
    for p in m["packages"].as_array().unwrap() {
        let deps = p["dependencies"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| keep(&d["kind"]))
            .map(|d| d["name"].as_str().unwrap().to_string())
            .collect();
        g.insert(p["name"].as_str().unwrap().to_string(), deps);
    }
    g
}

/// Every workspace package `from` reaches (itself included).
fn reach(g: &BTreeMap<String, BTreeSet<String>>, from: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![from.to_string()];
    while let Some(p) = todo.pop() {
        if seen.insert(p.clone())
            && let Some(deps) = g.get(&p)
        {
            todo.extend(deps.iter().filter(|d| g.contains_key(*d)).cloned());
        }
    }
    seen
}

const DRIVERS: &[&str] = &["rusqlite", "postgres", "tokio-postgres", "sqlx", "diesel"];
const STORE_BACKENDS: &[&str] = &["polytm-sqlite", "polytm-postgres"];
const CLI_ONLY: &[&str] = &["clap", "indicatif"];

#[test]
fn tests_reach_the_database_through_the_store_not_a_driver() {
    for (pkg, deps) in dependencies(|kind| kind == "dev") {
        for d in deps {
            assert!(
                !DRIVERS.contains(&d.as_str()) || STORE_BACKENDS.contains(&pkg.as_str()),
                "{pkg}'s tests depend on the database driver {d}: read through the store interface"
            );
        }
    }
}

#[test]
fn the_crate_graph_is_the_data_flow() {
    let g = graph();
    let crates: Vec<&String> = g.keys().filter(|k| k.starts_with("polytm-")).collect();
    assert!(crates.len() >= 4, "a workspace of libraries: {crates:?}");
    for (pkg, deps) in &g {
        for d in deps {
            if DRIVERS.contains(&d.as_str()) {
                assert!(
                    STORE_BACKENDS.contains(&pkg.as_str()),
                    "{pkg} depends on the database driver {d}: drivers belong to a store backend"
                );
            }
            if CLI_ONLY.contains(&d.as_str()) {
                assert_eq!(pkg, "polytm", "{pkg} depends on {d}: only the binary does");
            }
        }
    }
    // nothing that reads files, nor the layers below the store, reaches a
    // store or a backend
    for lower in [
        "polytm-core",
        "polytm-text",
        "polytm-formats",
        "polytm-glossary",
        "polytm-align",
        "polytm-fuzzy",
    ] {
        let r = reach(&g, lower);
        for store in [
            "polytm-store",
            "polytm-sqlite",
            "polytm-postgres",
            "polytm-engine",
        ] {
            assert!(!r.contains(store), "{lower} reaches {store}");
        }
    }
    // the library API talks to the store interface, not to a backend
    let engine = reach(&g, "polytm-engine");
    for b in STORE_BACKENDS {
        assert!(!engine.contains(*b), "polytm-engine reaches {b}");
    }
    // text is the bottom (with core): it depends on no other polytm crate
    let text = reach(&g, "polytm-text");
    let bottom: BTreeSet<String> = ["polytm-core", "polytm-text"]
        .into_iter()
        .map(String::from)
        .collect();
    assert!(text.is_subset(&bottom), "polytm-text reaches {text:?}");
}

/// Rust sources under `dir`, recursively.
fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n != "target") {
                sources(&p, out);
            }
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn driver_types_stay_in_the_backends() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for d in ["src", "crates", "tests", "examples", "benches"] {
        if root.join(d).is_dir() {
            sources(&root.join(d), &mut files);
        }
    }
    for f in files {
        let rel = f
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if rel == "tests/layering.rs" {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        let backend = STORE_BACKENDS
            .iter()
            .any(|b| rel.starts_with(&format!("crates/{}/", b.trim_start_matches("polytm-"))));
        for driver in ["rusqlite::", "postgres::", "tokio_postgres::"] {
            if !backend {
                assert!(
                    !text.contains(driver),
                    "{rel} names {driver}: only a store backend may"
                );
            }
        }
        if backend {
            for l in text.lines() {
                let l = l.trim_start();
                assert!(
                    !(l.starts_with("pub use rusqlite")
                        || l.starts_with("pub use postgres")
                        || l.starts_with("pub use tokio_postgres")),
                    "{rel} re-exports a driver: {l}"
                );
            }
        }
    }
}

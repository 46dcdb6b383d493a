//! The PostgreSQL backend of the store: the tables of the SQLite backend on
//! a server's database (`postgres://USER[:PASSWORD]@HOST:PORT/DB`), for a
//! team sharing one translation memory.
//!
//! [`PgDb`] implements [`polytm_store::Database`]; nothing else leaves this
//! crate, and no driver type does. One writer connection whose
//! transaction takes a transaction-level advisory lock first (so writers,
//! in this process or another, take turns, as SQLite's `BEGIN IMMEDIATE`
//! makes them), and a pool of reader connections, each reading in a
//! `REPEATABLE READ` snapshot.
//!
//! The fuzzy index is not stored on the server (the SQLite backend keeps
//! its segments in the file). The index files the engine keeps
//! (`polytm_engine::index`) are kept on the client, in
//! `$XDG_CACHE_HOME/polytm/pg-IDENTITY/` (else `~/.cache/polytm/...`),
//! named by the database's random identity: the first search of a language
//! on a machine reads every text of that language from the server and
//! writes the file; later processes map the file and read from the server
//! only what changed since (units above the file's highest id, and the
//! units the change log `fuzzy_log` names).

mod db;
mod ops;
mod schema;
mod sink;

pub use db::PgDb;

use polytm_core::Error;

/// Does `--db` name a PostgreSQL database rather than a file?
pub fn is_url(s: &str) -> bool {
    let lower = s.get(..13).unwrap_or(s).to_ascii_lowercase();
    lower.starts_with("postgres://") || lower.starts_with("postgresql://")
}

/// The URL without its password (in the user part or a `password=`
/// parameter): the database's name in messages and `stats`.
pub fn redact(url: &str) -> String {
    let (scheme, rest) = match url.find("://") {
        Some(i) => (&url[..i + 3], &url[i + 3..]),
        None => ("", url),
    };
    let auth_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(auth_end);
    let authority = match authority.rfind('@') {
        Some(at) => {
            let (user, host) = authority.split_at(at);
            let user = user.split(':').next().unwrap_or("");
            format!("{user}{host}")
        }
        None => authority.to_string(),
    };
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let kept: Vec<&str> = query
                .split('&')
                .filter(|p| !p.to_ascii_lowercase().starts_with("password="))
                .collect();
            if kept.is_empty() {
                path.to_string()
            } else {
                format!("{path}?{}", kept.join("&"))
            }
        }
        None => tail.to_string(),
    };
    format!("{scheme}{authority}{tail}")
}

/// A driver error as polytm's, on one line: the server's message when it
/// sent one, else what went wrong with the connection.
pub(crate) fn pg_error(e: postgres::Error) -> Error {
    Error::Db {
        file: String::new(),
        msg: message(&e),
    }
}

pub(crate) fn message(e: &postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        let mut m = db.message().to_string();
        if let Some(d) = db.detail() {
            m.push_str(": ");
            m.push_str(d);
        }
        return m;
    }
    let mut m = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        let t = s.to_string();
        if !m.contains(&t) {
            m.push_str(": ");
            m.push_str(&t);
        }
        src = s.source();
    }
    m.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_told_from_paths_and_lose_their_password() {
        assert!(is_url("postgres://u@h/db"));
        assert!(is_url("PostgreSQL://u@h/db"));
        assert!(!is_url("postgres.db"));
        assert!(!is_url("./postgres://x"));
        assert_eq!(
            redact("postgres://ann:s3cr:et@db.example:5433/tm?sslmode=disable"),
            "postgres://ann@db.example:5433/tm?sslmode=disable"
        );
        assert_eq!(
            redact("postgresql://ann@h/tm?password=x&sslmode=prefer"),
            "postgresql://ann@h/tm?sslmode=prefer"
        );
        assert_eq!(redact("postgres://h/tm?password=x"), "postgres://h/tm");
        assert_eq!(redact("postgres://h:5432/tm"), "postgres://h:5432/tm");
    }
}

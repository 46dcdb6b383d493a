//! One error type for every polytm crate, and the exit codes it maps to.
//!
//! Every error prints as one line that names the file (and the position in
//! it, when there is one) and what is wrong, e.g.
//! `glossary.tsv:12: 4 columns, the header has 3`.

use std::fmt;
use std::path::Path;

/// Exit codes of the binary. Documented in the README.
pub mod exit {
    /// Success (also for a search that found nothing).
    pub const OK: i32 = 0;
    /// Any failure not covered below.
    pub const FAILURE: i32 = 1;
    /// Wrong use of the command line (clap uses 2 as well).
    pub const USAGE: i32 = 2;
    /// An input file is malformed: wrong format, encoding, column count ...
    pub const BAD_INPUT: i32 = 3;
    /// The database cannot be opened or used.
    pub const DATABASE: i32 = 4;
    /// A file cannot be read or written.
    pub const IO: i32 = 5;
    /// `qa` found faults of severity error (like a linter).
    pub const FINDINGS: i32 = 6;
    /// Stopped by SIGINT or SIGTERM (128 + SIGINT, as shells report it).
    pub const INTERRUPTED: i32 = 130;
}

/// Where in a file something went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pos {
    /// 1-based line.
    Line(usize),
    /// 1-based line and column (column in characters).
    LineCol(usize, usize),
    /// 0-based byte offset, when lines are unknown.
    Byte(u64),
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Pos::Line(l) => write!(f, "{l}"),
            Pos::LineCol(l, c) => write!(f, "{l}:{c}"),
            Pos::Byte(b) => write!(f, "byte {b}"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Malformed input data. `file` is the name as the user gave it.
    #[error("{file}{}: {msg}", pos.map(|p| format!(":{p}")).unwrap_or_default())]
    Input {
        file: String,
        pos: Option<Pos>,
        msg: String,
    },
    /// A file that cannot be opened, read or written.
    #[error("{file}: {msg}")]
    Io { file: String, msg: String },
    /// The database cannot be opened or a query failed.
    #[error("database {file}: {msg}")]
    Db { file: String, msg: String },
    /// The command line asks for something impossible.
    #[error("{0}")]
    Usage(String),
    /// Anything else.
    #[error("{0}")]
    Other(String),
    /// Standard output was closed (`polytm ... | head`): not an error.
    #[error("broken pipe")]
    BrokenPipe,
    /// A check found this many faults of severity error; everything it
    /// found was reported.
    #[error("{0} finding{s} of severity error", s = if *.0 == 1 { "" } else { "s" })]
    Findings(usize),
    /// The work was stopped (SIGINT, SIGTERM) before it finished; nothing
    /// was written.
    #[error("interrupted; nothing was changed")]
    Cancelled,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn input(file: impl Into<String>, pos: Option<Pos>, msg: impl Into<String>) -> Self {
        Error::Input {
            file: file.into(),
            pos,
            msg: msg.into(),
        }
    }

    pub fn at_line(file: impl Into<String>, line: usize, msg: impl Into<String>) -> Self {
        Error::input(file, Some(Pos::Line(line)), msg)
    }

    pub fn io(path: &Path, e: std::io::Error) -> Self {
        Error::Io {
            file: display_path(path),
            msg: io_message(&e),
        }
    }

    pub fn usage(msg: impl Into<String>) -> Self {
        Error::Usage(msg.into())
    }

    pub fn other(msg: impl Into<String>) -> Self {
        Error::Other(msg.into())
    }

    /// The process exit code for this error.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Input { .. } => exit::BAD_INPUT,
            Error::Io { .. } => exit::IO,
            Error::Db { .. } => exit::DATABASE,
            Error::Usage(_) => exit::USAGE,
            Error::Other(_) => exit::FAILURE,
            Error::BrokenPipe => exit::OK,
            Error::Findings(_) => exit::FINDINGS,
            Error::Cancelled => exit::INTERRUPTED,
        }
    }

    /// Put a file name on an error that was raised without one (for
    /// example by a parser working on a string).
    pub fn in_file(self, file: &str) -> Self {
        match self {
            Error::Input { file: f, pos, msg } if f.is_empty() => Error::Input {
                file: file.to_string(),
                pos,
                msg,
            },
            e => e,
        }
    }
}

/// The name of a path as the user typed it; `-` is standard input.
pub fn display_path(path: &Path) -> String {
    let s = path.to_string_lossy();
    if s == "-" {
        "<stdin>".to_string()
    } else {
        s.into_owned()
    }
}

/// `std::io::Error` messages carry "(os error 2)"; keep the words only.
fn io_message(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => "no such file".to_string(),
        PermissionDenied => "permission denied".to_string(),
        IsADirectory => "is a folder, not a file".to_string(),
        _ => {
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_string(),
                None => s,
            }
        }
    }
}

/// Errors writing to standard output.
impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Error::BrokenPipe
        } else {
            Error::Io {
                file: "<stdout>".into(),
                msg: io_message(&e),
            }
        }
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::Other(format!("JSON: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_error_names_file_and_line() {
        let e = Error::at_line("g.tsv", 12, "4 columns, the header has 3");
        assert_eq!(e.to_string(), "g.tsv:12: 4 columns, the header has 3");
        assert_eq!(e.exit_code(), exit::BAD_INPUT);
        let e = Error::input("a.tmx", Some(Pos::LineCol(3, 7)), "unclosed <tu>");
        assert_eq!(e.to_string(), "a.tmx:3:7: unclosed <tu>");
        let e = Error::input("", None, "empty").in_file("x.txt");
        assert_eq!(e.to_string(), "x.txt: empty");
    }

    #[test]
    fn io_error_has_no_os_code() {
        let e = Error::io(
            Path::new("missing.tsv"),
            std::io::Error::from(std::io::ErrorKind::NotFound),
        );
        assert_eq!(e.to_string(), "missing.tsv: no such file");
        assert_eq!(e.exit_code(), exit::IO);
    }
}

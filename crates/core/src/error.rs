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

    /// A failed write to standard output. A closed pipe (`polytm ... |
    /// head`) is [`Error::BrokenPipe`]: the reader has all it wanted, and
    /// the exit is quiet and 0.
    pub fn stdout(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Error::BrokenPipe
        } else {
            Error::Io {
                file: STDOUT.into(),
                msg: io_message(&e),
            }
        }
    }

    /// A failed write to `output`: that file ([`Error::io`]), or standard
    /// output when `None` ([`Error::stdout`]).
    pub fn write(output: Option<&Path>, e: std::io::Error) -> Self {
        match output {
            Some(path) => Error::io(path, e),
            None => Error::stdout(e),
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

/// The most bytes of one message shown (on the terminal, in an HTTP
/// answer): whatever the input holds, a message stays short.
pub const MESSAGE_MAX: usize = 600;

impl Error {
    /// The message as people see it: one line, control characters
    /// escaped, at most [`MESSAGE_MAX`] bytes.
    pub fn short(&self) -> String {
        one_line(&self.to_string(), MESSAGE_MAX)
    }
}

/// `text` on one line, safe for a terminal: line breaks, tabs, control
/// characters, escape sequences and bidirectional overrides written as
/// escapes (`\n`, `\u{1b}`); longer than `max` bytes, its middle is cut
/// (the beginning names the file and position, the end often says what
/// was expected).
pub fn one_line(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max + 16));
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control()
                || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}') =>
            {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    if out.len() <= max {
        return out;
    }
    let head = floor(&out, max * 2 / 3);
    let tail_from = ceil(&out, out.len() - (max - head - 5).min(out.len()));
    format!("{} … {}", &out[..head], &out[tail_from..])
}

fn floor(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// The name errors give standard output.
pub const STDOUT: &str = "<stdout>";

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

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::Other(format!("JSON: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_is_one_short_line_whatever_the_input_holds() {
        let e = Error::input(
            "bad.tmx",
            Some(Pos::Line(3)),
            format!("unexpected </{}>", "\n".repeat(100_000)),
        );
        let m = e.short();
        assert!(!m.contains('\n'));
        assert!(m.len() <= MESSAGE_MAX, "{}", m.len());
        assert!(m.starts_with("bad.tmx:3: unexpected </\\n"), "{m}");
        assert!(m.ends_with(">"), "{m}");
        let m = one_line("a\u{1b}[31mred\u{7}\u{202E}cba", 100);
        assert_eq!(m, "a\\u{1b}[31mred\\u{7}\\u{202e}cba");
        let m = one_line(&"дом ".repeat(1000), 100);
        assert!(m.len() <= 100 && m.contains(" … "), "{m}");
        assert_eq!(one_line("short", 100), "short");
    }

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

    #[test]
    fn write_errors_name_the_output_and_a_closed_pipe_is_quiet() {
        use std::io::{Error as IoError, ErrorKind};
        let full = || IoError::from(ErrorKind::StorageFull);
        let e = Error::write(Some(Path::new("out/tm.tmx")), full());
        assert!(e.to_string().starts_with("out/tm.tmx: "), "{e}");
        assert_eq!(e.exit_code(), exit::IO);
        let e = Error::write(None, full());
        assert!(e.to_string().starts_with("<stdout>: "), "{e}");
        let e = Error::stdout(IoError::from(ErrorKind::BrokenPipe));
        assert!(matches!(e, Error::BrokenPipe));
        assert_eq!(e.exit_code(), exit::OK);
        // a closed pipe is quiet on standard output only
        let e = Error::io(Path::new("fifo"), IoError::from(ErrorKind::BrokenPipe));
        assert_eq!(e.exit_code(), exit::IO);
    }
}

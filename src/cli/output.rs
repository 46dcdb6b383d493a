//! Output for people (aligned tables) and for programs (JSON).

use std::io::{BufWriter, StdoutLock, Write};

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use polytm_core::error::{Error, Result};

/// Standard output, buffered, for the commands' results. `write!`,
/// `writeln!`, [`Stdout::write_all`] and [`Stdout::flush`] return polytm's
/// [`Result`]: a failure names standard output, and a closed pipe
/// (`polytm ... | head`) is [`Error::BrokenPipe`], a quiet exit 0. Files
/// are written with their own names ([`Error::io`]), never through this.
pub struct Stdout(BufWriter<StdoutLock<'static>>);

/// Standard output, buffered (64 KiB).
pub fn stdout() -> Stdout {
    Stdout(BufWriter::with_capacity(1 << 16, std::io::stdout().lock()))
}

impl Stdout {
    /// What `write!` and `writeln!` call.
    pub fn write_fmt(&mut self, args: std::fmt::Arguments<'_>) -> Result<()> {
        self.0.write_fmt(args).map_err(Error::stdout)
    }

    pub fn write_all(&mut self, buf: &[u8]) -> Result<()> {
        self.0.write_all(buf).map_err(Error::stdout)
    }

    pub fn flush(&mut self) -> Result<()> {
        self.0.flush().map_err(Error::stdout)
    }
}

/// For writers that take any [`std::io::Write`] (JSON, the library's
/// exporters); they name standard output in their errors themselves.
impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// Print one line (a command's closing message) to standard output.
pub fn print_line(line: std::fmt::Arguments<'_>) -> Result<()> {
    let mut out = stdout();
    writeln!(out, "{line}")?;
    out.flush()
}

/// Print a value as pretty JSON followed by a newline.
pub fn print_json<T: Serialize + ?Sized>(value: &T) -> Result<()> {
    let mut out = stdout();
    serde_json::to_writer_pretty(&mut out, value).map_err(|e| {
        if e.is_io() {
            Error::stdout(e.into())
        } else {
            e.into()
        }
    })?;
    writeln!(out)?;
    out.flush()
}

/// A table for people: columns padded to the widest cell (East Asian wide
/// characters count two), long cells cut with "…".
pub struct Table {
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    max_width: usize,
}

impl Table {
    pub fn new<S: Into<String>>(headers: impl IntoIterator<Item = S>) -> Table {
        Table {
            headers: headers.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
            max_width: 60,
        }
    }

    /// Widest a cell may be before it is cut.
    pub fn max_width(mut self, w: usize) -> Table {
        self.max_width = w;
        self
    }

    pub fn row<S: Into<String>>(&mut self, cells: impl IntoIterator<Item = S>) {
        self.rows.push(cells.into_iter().map(Into::into).collect());
    }

    pub fn render(&self) -> String {
        let n = self.headers.len();
        let cells: Vec<Vec<String>> = std::iter::once(&self.headers)
            .chain(self.rows.iter())
            .map(|r| {
                (0..n)
                    .map(|i| cut(r.get(i).map_or("", |s| s), self.max_width))
                    .collect()
            })
            .collect();
        let widths: Vec<usize> = (0..n)
            .map(|i| cells.iter().map(|r| r[i].width()).max().unwrap_or(0))
            .collect();
        let mut s = String::new();
        for (k, r) in cells.iter().enumerate() {
            let mut line = String::new();
            for (i, c) in r.iter().enumerate() {
                if i > 0 {
                    line.push_str("  ");
                }
                line.push_str(c);
                if i + 1 < n {
                    line.push_str(&" ".repeat(widths[i] - c.width()));
                }
            }
            s.push_str(line.trim_end());
            s.push('\n');
            if k == 0 {
                let total: usize = widths.iter().sum::<usize>() + 2 * n.saturating_sub(1);
                s.push_str(&"-".repeat(total));
                s.push('\n');
            }
        }
        s
    }

    pub fn print(&self) -> Result<()> {
        let mut out = stdout();
        out.write_all(self.render().as_bytes())?;
        out.flush()
    }
}

/// Cut a cell to `max` columns, on one line.
fn cut(s: &str, max: usize) -> String {
    let one_line: String = s
        .chars()
        .map(|c| if c == '\n' || c == '\t' { ' ' } else { c })
        .collect();
    if one_line.width() <= max {
        return one_line;
    }
    let mut w = 0;
    let mut out = String::new();
    for c in one_line.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw + 1 > max {
            break;
        }
        w += cw;
        out.push(c);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_aligns_wide_characters() {
        let mut t = Table::new(["lang", "term"]);
        t.row(["zh", "上合组织"]);
        t.row(["en", "SCO"]);
        let s = t.render();
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(lines[0], "lang  term");
        assert_eq!(lines[2], "zh    上合组织");
        assert_eq!(lines[3], "en    SCO");
    }

    #[test]
    fn long_cells_are_cut() {
        assert_eq!(cut("abcdef", 4), "abc…");
        assert_eq!(cut("a\tb", 10), "a b");
    }
}

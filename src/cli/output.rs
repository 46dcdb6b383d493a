//! Output for people (aligned tables) and for programs (JSON).

use std::io::Write;

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use polytm_core::error::Result;

/// Standard output, buffered; write errors (a closed pipe) become
/// [`polytm_core::error::Error::BrokenPipe`].
pub fn stdout() -> std::io::BufWriter<std::io::StdoutLock<'static>> {
    std::io::BufWriter::new(std::io::stdout().lock())
}

/// Print a value as pretty JSON followed by a newline.
pub fn print_json<T: Serialize + ?Sized>(value: &T) -> Result<()> {
    let mut out = stdout();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    out.flush()?;
    Ok(())
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
        out.flush()?;
        Ok(())
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

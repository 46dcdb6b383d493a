//! Tab- and comma-separated tables with a header row, read as a stream.
//!
//! - TSV: fields split on tabs, **no quoting and no escape processing** (a
//!   `\n` in a field is two characters, a `"` is a quote).
//! - CSV: RFC 4180 (quoted fields, `""` for a quote, line breaks inside
//!   quotes); the delimiter is `,`, or `;` when the header uses it (Excel in
//!   Russian and many European locales writes `;`).
//!
//! Lines end with `\n` or `\r\n`; blank lines are skipped. A row with a
//! different number of fields than the header is an error naming the line.
//! Text must be UTF-8 (a byte-order mark is dropped; UTF-16 is refused with
//! its name).

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use crate::input;
use polytm_core::error::{Error, Pos, Result, display_path};
use polytm_text::lang::LangTag;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delim {
    Tab,
    Comma,
    Semicolon,
}

impl Delim {
    /// From the file name: `.csv` → comma (or semicolon, decided from the
    /// header), anything else → tab.
    pub fn for_path(path: &Path) -> Delim {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
        {
            Some(e) if e == "csv" => Delim::Comma,
            _ => Delim::Tab,
        }
    }
}

/// One data row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// 1-based line where the row starts.
    pub line: usize,
    pub fields: Vec<String>,
}

/// A streaming reader of a table with a header row.
pub struct TableReader<R: BufRead> {
    src: R,
    file: String,
    delim: Delim,
    line: usize,
    pub header: Vec<String>,
    buf: Vec<u8>,
    /// Bytes read so far (for a progress bar).
    pub bytes_read: u64,
}

impl TableReader<Box<dyn BufRead>> {
    /// Open a file (or `-` for standard input) and read its header.
    pub fn open(path: &Path, delim: Delim) -> Result<Self> {
        let reader: Box<dyn BufRead> = if path.as_os_str() == "-" {
            Box::new(BufReader::with_capacity(1 << 16, std::io::stdin()))
        } else {
            if path.is_dir() {
                return Err(Error::Io {
                    file: display_path(path),
                    msg: "is a folder, not a file".into(),
                });
            }
            let f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
            Box::new(BufReader::with_capacity(1 << 16, f))
        };
        TableReader::new(reader, &display_path(path), delim)
    }
}

impl<R: BufRead> TableReader<R> {
    pub fn new(mut src: R, file: &str, delim: Delim) -> Result<Self> {
        // Look at the first bytes for a byte-order mark or binary data.
        let head = src.fill_buf().map_err(|e| io_err(file, e))?;
        let mut skip = 0;
        match input::bom(head) {
            Some("UTF-8") => skip = 3,
            Some(_) => {
                // Let the decoder name the encoding.
                let (pos, msg) = input::decode(head, input::Utf16::Refuse).unwrap_err();
                return Err(Error::input(file, pos, msg));
            }
            None => {}
        }
        if head.is_empty() {
            return Err(Error::input(file, None, "is empty"));
        }
        src.consume(skip);
        let mut r = TableReader {
            src,
            file: file.to_string(),
            delim,
            line: 0,
            header: Vec::new(),
            buf: Vec::new(),
            bytes_read: skip as u64,
        };
        let first = loop {
            match r.next_record()? {
                Some(rec) if rec.1.iter().all(|f| f.trim().is_empty()) => continue,
                Some(rec) => break rec,
                None => {
                    return Err(Error::input(
                        file,
                        None,
                        "has no header row (it holds no text)",
                    ));
                }
            }
        };
        if r.delim == Delim::Comma && first.1.len() == 1 && first.1[0].contains(';') {
            // Re-split the header on semicolons; the rest of the file follows.
            r.delim = Delim::Semicolon;
            let raw = first.1[0].clone();
            r.header = split_csv_line(&raw, ';', file, first.0)?;
        } else {
            r.header = first.1;
        }
        for h in r.header.iter_mut() {
            *h = h.trim().to_string();
        }
        Ok(r)
    }

    pub fn file(&self) -> &str {
        &self.file
    }

    /// Read one physical line into `self.buf` (without the line break).
    fn read_line(&mut self) -> Result<Option<String>> {
        self.buf.clear();
        let n = self
            .src
            .read_until(b'\n', &mut self.buf)
            .map_err(|e| io_err(&self.file, e))?;
        if n == 0 {
            return Ok(None);
        }
        self.bytes_read += n as u64;
        self.line += 1;
        if self.buf.last() == Some(&b'\n') {
            self.buf.pop();
            if self.buf.last() == Some(&b'\r') {
                self.buf.pop();
            }
        }
        if let Some(p) = self.buf.iter().position(|&b| b == 0) {
            return Err(Error::input(
                &self.file,
                Some(Pos::LineCol(self.line, p + 1)),
                "binary data (a NUL byte), not a text file",
            ));
        }
        match std::str::from_utf8(&self.buf) {
            Ok(s) => Ok(Some(s.to_string())),
            Err(_) => {
                let (pos, msg) = input::decode(&self.buf, input::Utf16::Refuse).unwrap_err();
                let col = match pos {
                    Some(Pos::LineCol(_, c)) => c,
                    _ => 1,
                };
                Err(Error::input(
                    &self.file,
                    Some(Pos::LineCol(self.line, col)),
                    msg,
                ))
            }
        }
    }

    /// The next record: (first line, fields), or None at the end.
    fn next_record(&mut self) -> Result<Option<(usize, Vec<String>)>> {
        let Some(line) = self.read_line()? else {
            return Ok(None);
        };
        let start = self.line;
        match self.delim {
            Delim::Tab => Ok(Some((start, line.split('\t').map(String::from).collect()))),
            Delim::Comma | Delim::Semicolon => {
                let sep = if self.delim == Delim::Comma { ',' } else { ';' };
                let mut text = line;
                // A quoted field may span lines: keep reading while quotes are open.
                while open_quote(&text) {
                    match self.read_line()? {
                        Some(more) => {
                            text.push('\n');
                            text.push_str(&more);
                        }
                        None => {
                            return Err(Error::at_line(
                                &self.file,
                                start,
                                "a quoted field is never closed",
                            ));
                        }
                    }
                }
                Ok(Some((
                    start,
                    split_csv_line(&text, sep, &self.file, start)?,
                )))
            }
        }
    }

    /// The next data row, or None at the end. Blank lines are skipped.
    pub fn next_row(&mut self) -> Result<Option<Row>> {
        loop {
            let Some((line, fields)) = self.next_record()? else {
                return Ok(None);
            };
            if fields.len() == 1 && fields[0].trim().is_empty() {
                continue;
            }
            if fields.len() != self.header.len() {
                return Err(Error::at_line(
                    &self.file,
                    line,
                    format!(
                        "{} {}, the header has {}{}",
                        fields.len(),
                        if fields.len() == 1 {
                            "column"
                        } else {
                            "columns"
                        },
                        self.header.len(),
                        match self.delim {
                            Delim::Tab if fields.len() == 1 => " (is it separated by tabs?)",
                            _ => "",
                        }
                    ),
                ));
            }
            return Ok(Some(Row { line, fields }));
        }
    }
}

impl<R: BufRead> Iterator for TableReader<R> {
    type Item = Result<Row>;
    fn next(&mut self) -> Option<Result<Row>> {
        self.next_row().transpose()
    }
}

fn io_err(file: &str, e: std::io::Error) -> Error {
    Error::Io {
        file: file.to_string(),
        msg: e.to_string(),
    }
}

/// Whether a CSV record so far ends inside a quoted field.
fn open_quote(s: &str) -> bool {
    s.chars().filter(|&c| c == '"').count() % 2 == 1
}

/// Split one CSV record (RFC 4180).
fn split_csv_line(s: &str, sep: char, file: &str, line: usize) -> Result<Vec<String>> {
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut chars = s.chars().peekable();
    let mut at_start = true;
    let mut quoted = false;
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    cur.push('"');
                    chars.next();
                } else {
                    quoted = false;
                    // After the closing quote: a separator or the end.
                    match chars.peek() {
                        None => {}
                        Some(&n) if n == sep => {}
                        Some(_) => {
                            return Err(Error::at_line(
                                file,
                                line,
                                "text after a closing quote (a \" inside a field must be written \"\")",
                            ));
                        }
                    }
                }
            } else {
                cur.push(c);
            }
        } else if c == sep {
            fields.push(std::mem::take(&mut cur));
            at_start = true;
            continue;
        } else if c == '"' && at_start {
            quoted = true;
        } else {
            cur.push(c);
        }
        at_start = false;
    }
    if quoted {
        return Err(Error::at_line(file, line, "a quoted field is never closed"));
    }
    fields.push(cur);
    Ok(fields)
}

/// What a header cell names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Column {
    Lang(LangTag),
    /// A known non-language column, by its lower-case name: note, source,
    /// domain, id, status, comment, definition, context, file, confidence
    /// (of an aligned unit).
    Named(String),
}

/// Header cells that are not language codes.
const NAMED: &[&str] = &[
    "note",
    "notes",
    "source",
    "sources",
    "domain",
    "id",
    "status",
    "comment",
    "comments",
    "definition",
    "context",
    "file",
    "type",
    "subject",
    "confidence",
];

/// Classify a header: language codes and known names; anything else is an
/// "unknown language code" error naming the file and line 1.
pub fn classify_header(header: &[String], file: &str) -> Result<Vec<Column>> {
    let mut cols = Vec::with_capacity(header.len());
    for (i, h) in header.iter().enumerate() {
        let low = h.trim().to_lowercase();
        if NAMED.contains(&low.as_str()) {
            cols.push(Column::Named(low));
            continue;
        }
        match LangTag::parse(h) {
            Ok(t) => {
                if cols
                    .iter()
                    .any(|c| matches!(c, Column::Lang(u) if u.lang == t.lang))
                {
                    return Err(Error::input(
                        file,
                        Some(Pos::LineCol(1, i + 1)),
                        format!("language '{h}' appears twice in the header"),
                    ));
                }
                cols.push(Column::Lang(t))
            }
            Err(msg) => {
                return Err(Error::input(
                    file,
                    Some(Pos::LineCol(1, i + 1)),
                    format!("header: {msg}"),
                ));
            }
        }
    }
    Ok(cols)
}

/// Read a whole table from a string (tests, small files).
pub fn parse_str(text: &str, file: &str, delim: Delim) -> Result<(Vec<String>, Vec<Row>)> {
    let mut r = TableReader::new(text.as_bytes(), file, delim)?;
    let rows = r.by_ref().collect::<Result<Vec<_>>>()?;
    Ok((r.header, rows))
}

/// Drain a reader to bytes (used by tests of the streaming reader).
pub fn read_all(mut r: impl Read) -> std::io::Result<Vec<u8>> {
    let mut v = Vec::new();
    r.read_to_end(&mut v)?;
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsv_is_verbatim() {
        let (h, rows) = parse_str(
            "en\tru\r\n  two  spaces\t\\n \"q\"\n\nlast\tпоследний",
            "t.tsv",
            Delim::Tab,
        )
        .unwrap();
        assert_eq!(h, ["en", "ru"]);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].fields, ["  two  spaces", "\\n \"q\""]);
        assert_eq!(rows[1].line, 4);
    }

    #[test]
    fn wrong_column_count_names_the_line() {
        let e = parse_str("en\tru\na\tb\nc\n", "g.tsv", Delim::Tab).unwrap_err();
        assert_eq!(
            e.to_string(),
            "g.tsv:3: 1 column, the header has 2 (is it separated by tabs?)"
        );
        let e = parse_str("en\tru\na\tb\tc\n", "g.tsv", Delim::Tab).unwrap_err();
        assert_eq!(e.to_string(), "g.tsv:2: 3 columns, the header has 2");
    }

    #[test]
    fn csv_rfc4180() {
        let (h, rows) = parse_str(
            "en,ru\n\"Hello, world\",\"Привет, \"\"мир\"\"\"\n\"two\nlines\",x\n",
            "g.csv",
            Delim::Comma,
        )
        .unwrap();
        assert_eq!(h, ["en", "ru"]);
        assert_eq!(rows[0].fields, ["Hello, world", "Привет, \"мир\""]);
        assert_eq!(rows[1].fields, ["two\nlines", "x"]);
        assert_eq!(rows[1].line, 3);
        let e = parse_str("en,ru\n\"open,x\n", "g.csv", Delim::Comma).unwrap_err();
        assert!(
            e.to_string()
                .contains("g.csv:2: a quoted field is never closed"),
            "{e}"
        );
    }

    #[test]
    fn csv_semicolon_from_excel() {
        let (h, rows) = parse_str("en;ru;zh\nSCO;ШОС;上合组织\n", "g.csv", Delim::Comma).unwrap();
        assert_eq!(h, ["en", "ru", "zh"]);
        assert_eq!(rows[0].fields, ["SCO", "ШОС", "上合组织"]);
    }

    #[test]
    fn encodings_and_empty() {
        let e = parse_str("", "e.tsv", Delim::Tab).unwrap_err();
        assert_eq!(e.to_string(), "e.tsv: is empty");
        let e = TableReader::new(&b"\xFF\xFEe\x00n\x00"[..], "u.tsv", Delim::Tab)
            .err()
            .unwrap();
        assert!(e.to_string().contains("UTF-16LE"), "{e}");
        let e = parse_str("en\tru\nHello\t\u{FFFD}", "x.tsv", Delim::Tab);
        assert!(e.is_ok());
        let mut r = TableReader::new(
            &b"en\tru\nHello\t\xCF\xF0\xE8\xE2\xE5\xF2\n"[..],
            "w.tsv",
            Delim::Tab,
        )
        .unwrap();
        let e = r.next_row().unwrap_err();
        assert!(e.to_string().starts_with("w.tsv:2:7: not UTF-8"), "{e}");
        assert!(e.to_string().contains("Windows-1251"), "{e}");
    }

    #[test]
    fn header_classification() {
        let h: Vec<String> = ["en", "ru-RU", "zh_CN", "note"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let c = classify_header(&h, "g.tsv").unwrap();
        assert!(matches!(&c[2], Column::Lang(t) if t.tag == "zh-CN"));
        assert_eq!(c[3], Column::Named("note".into()));
        let h: Vec<String> = ["en", "xx"].iter().map(|s| s.to_string()).collect();
        let e = classify_header(&h, "g.tsv").unwrap_err();
        assert_eq!(
            e.to_string(),
            "g.tsv:1:2: header: unknown language code 'xx'"
        );
        let h: Vec<String> = ["en", "en-GB"].iter().map(|s| s.to_string()).collect();
        assert!(classify_header(&h, "g.tsv").is_err());
    }
}

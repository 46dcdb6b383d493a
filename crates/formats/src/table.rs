//! Tab- and comma-separated tables, read as a stream and written: the one
//! TSV/CSV reader and the one writer of the project.
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
//!
//! # Why the `csv` crate, and how TSV stays verbatim
//!
//! Splitting records is the `csv` crate's job ([`Records`] wraps it): it is
//! the well-kept, fast reader behind `xsv`, streams any [`Read`] with a
//! reused record buffer, tracks line numbers through quoted line breaks, and
//! its writer quotes exactly the fields RFC 4180 says must be quoted. What it
//! is told here:
//!
//! - TSV: `delimiter(b'\t')` and `quoting(false)`; no escape character and
//!   no comment character (its defaults). A field is then the bytes between
//!   two tabs, as they are: quotes, backslashes and spaces included.
//! - records end at `\n` only (`Terminator::Any(b'\n')`), and it reads
//!   the file with each `\r\n` as `\n`: a `\r\n` line end is a line end
//!   (inside a quoted CSV field too, as a line reader would give it), a
//!   lone `\r` inside a line stays text.
//! - `flexible(true)` and no header handling: the header and the column
//!   count are checked here, so that the errors say what polytm says
//!   ("g.tsv:12: 4 columns, the header has 3").
//!
//! The file is fed to it with a line break after its last byte, so that
//! every record ends with one: a record's first line is then the reader's
//! line after it, less one, less the line breaks inside its fields.

use std::io::{BufRead, BufReader, Chain, Cursor, Read, Write};
use std::path::Path;

use crate::input;
use crate::registry::Kind;
use polytm_core::error::{Error, Pos, Result, display_path};
use polytm_text::lang::LangTag;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delim {
    Tab,
    Comma,
    Semicolon,
}

impl Delim {
    /// The delimiter of a table of this kind: CSV → comma (or semicolon,
    /// decided from the header), anything else → tab.
    pub fn of(kind: Kind) -> Delim {
        match kind {
            Kind::Csv => Delim::Comma,
            _ => Delim::Tab,
        }
    }

    fn byte(self) -> u8 {
        match self {
            Delim::Tab => b'\t',
            Delim::Comma => b',',
            Delim::Semicolon => b';',
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

/// What the `csv` reader reads: the lines read ahead (to choose the
/// delimiter), the rest of the file, and a final line break, with every
/// `\r\n` as `\n`.
type Feed<R> = Lf<Chain<Chain<Cursor<Vec<u8>>, R>, &'static [u8]>>;

/// Gives the bytes of a reader with each `\r\n` as `\n`: the lines a
/// line-by-line reader sees (a `\r\n` line end is a line end, also inside
/// a quoted CSV field; a lone `\r` is kept).
struct Lf<R> {
    inner: R,
}

impl<R: BufRead> Read for Lf<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let mut n = 0;
        while n == 0 && !out.is_empty() {
            let input = self.inner.fill_buf()?;
            if input.is_empty() {
                break;
            }
            let take = input.len().min(out.len());
            let Some(k) = memchr::memchr(b'\r', &input[..take]) else {
                out[..take].copy_from_slice(&input[..take]);
                self.inner.consume(take);
                return Ok(take);
            };
            out[..k].copy_from_slice(&input[..k]);
            n = k;
            let next = input.get(k + 1).copied();
            self.inner.consume(k + 1);
            let lf = match next {
                Some(b) => b == b'\n',
                // The `\r` ends what is buffered: look past it.
                None => self.inner.fill_buf()?.first() == Some(&b'\n'),
            };
            if !lf {
                out[n] = b'\r';
                n += 1;
            }
        }
        Ok(n)
    }
}

/// Counts the bytes that pass and, in a CSV, follows the quoting as the
/// `csv` reader does (a quote opens a quoted field only at the start of a
/// field; elsewhere it is a character): a quote left open at the end of
/// the file swallows the rest of it, and this tells.
struct Counted<R> {
    inner: R,
    /// The delimiter of a CSV; `None` for TSV (no quoting).
    delim: Option<u8>,
    quoting: Quoting,
    bytes: u64,
    at_end: bool,
}

/// Where the `csv` reader is in a CSV (its states, less those that do not
/// matter here).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quoting {
    /// At the start of a field.
    Start,
    /// In an unquoted field (a quote there is a character).
    Unquoted,
    /// In a quoted field.
    Quoted,
    /// A quote in a quoted field: the field's end, or the first of `""`.
    Quote,
}

impl Quoting {
    fn next(self, b: u8, delim: u8) -> Quoting {
        use Quoting::*;
        match (self, b) {
            (Quoted, b'"') => Quote,
            (Quoted, _) => Quoted,
            (Start | Quote, b'"') => Quoted,
            (_, b'\n') => Start,
            (_, b) if b == delim => Start,
            _ => Unquoted,
        }
    }
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 {
            self.at_end = true;
        }
        self.bytes += n as u64;
        if let Some(delim) = self.delim {
            for &b in &buf[..n] {
                self.quoting = self.quoting.next(b, delim);
            }
        }
        Ok(n)
    }
}

/// The records of a TSV or CSV file, in order: fields split, UTF-8
/// checked, with the line each starts on. Truly empty lines are skipped;
/// lines of white space are records (their reader decides).
pub struct Records<R: BufRead> {
    csv: csv::Reader<Counted<Feed<R>>>,
    file: String,
    delim: Delim,
    record: csv::ByteRecord,
    /// Bytes of a byte-order mark dropped before the feed.
    skipped: u64,
}

impl<R: BufRead> Records<R> {
    /// Start reading `src` (named `file` in errors). For [`Delim::Comma`]
    /// the first line that is not blank decides between `,` and `;`.
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
        let mut ahead = Vec::new();
        let mut delim = delim;
        if delim == Delim::Comma {
            // Read up to the header line; a header that is one field with
            // semicolons in it means the file is separated by semicolons.
            loop {
                let from = ahead.len();
                if src
                    .read_until(b'\n', &mut ahead)
                    .map_err(|e| io_err(file, e))?
                    == 0
                {
                    break;
                }
                let line = &ahead[from..];
                if line.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                let mut first = csv_reader(line, Delim::Comma);
                let mut rec = csv::ByteRecord::new();
                if first.read_byte_record(&mut rec).unwrap_or(false)
                    && rec.len() == 1
                    && rec[0].contains(&b';')
                {
                    delim = Delim::Semicolon;
                }
                break;
            }
        }
        let feed = Lf {
            inner: Cursor::new(ahead).chain(src).chain(&b"\n"[..]),
        };
        let counted = Counted {
            inner: feed,
            delim: (delim != Delim::Tab).then_some(delim.byte()),
            quoting: Quoting::Start,
            bytes: 0,
            at_end: false,
        };
        Ok(Records {
            csv: csv_reader(counted, delim),
            file: file.to_string(),
            delim,
            record: csv::ByteRecord::new(),
            skipped: skip as u64,
        })
    }

    pub fn file(&self) -> &str {
        &self.file
    }

    /// The delimiter in use (a CSV's `,` may have become `;`).
    pub fn delim(&self) -> Delim {
        self.delim
    }

    /// Bytes read so far (for a progress bar).
    pub fn bytes_read(&self) -> u64 {
        self.skipped + self.csv.position().byte()
    }

    /// The next record: (first line, fields), or None at the end.
    pub fn next_record(&mut self) -> Result<Option<(usize, Vec<String>)>> {
        let read = self
            .csv
            .read_byte_record(&mut self.record)
            .map_err(|e| csv_err(&self.file, e))?;
        if !read {
            return Ok(None);
        }
        let rec = &self.record;
        // Only a quoted CSV field holds line breaks.
        let breaks = if self.delim == Delim::Tab {
            0
        } else {
            memchr::memchr_iter(b'\n', rec.as_slice()).count() as u64
        };
        let line = (self.csv.position().line() - 1 - breaks) as usize;
        let counted = self.csv.get_ref();
        if counted.at_end
            && counted.quoting == Quoting::Quoted
            && self.csv.position().byte() == counted.bytes
        {
            // It ended at the end of the file, not at a line break.
            return Err(Error::at_line(
                &self.file,
                line + 1,
                "a quoted field is never closed",
            ));
        }
        if let Some(big) = (0..rec.len())
            .filter_map(|i| rec.get(i))
            .map(<[u8]>::len)
            .max()
            && big > crate::limits::MAX_SEGMENT_BYTES
        {
            return Err(crate::limits::too_long(&self.file, line, big));
        }
        if let Some(nul) = memchr::memchr(0, rec.as_slice()) {
            let (l, col) = self.place(line, field_at(rec, nul));
            return Err(Error::input(
                &self.file,
                Some(Pos::LineCol(l, col.0)),
                input::BINARY,
            ));
        }
        let rec = match csv::StringRecord::from_byte_record(std::mem::take(&mut self.record)) {
            Ok(r) => r,
            Err(e) => {
                let (field, valid) = (e.utf8_error().field(), e.utf8_error().valid_up_to());
                self.record = e.into_byte_record();
                let bytes = self.record.as_slice();
                let at = self.record.range(field).map_or(0, |r| r.start) + valid;
                let (l, col) = self.place(line, (field, valid));
                return Err(Error::input(
                    &self.file,
                    Some(Pos::LineCol(l, col.1)),
                    input::not_utf8(bytes, at),
                ));
            }
        };
        let fields = rec.iter().map(str::to_string).collect();
        self.record = rec.into_byte_record();
        Ok(Some((line, fields)))
    }

    /// Line and column (in bytes, in characters) of byte `at` of field
    /// `field` of the record just read, which starts on `line`.
    fn place(&self, line: usize, (field, at): (usize, usize)) -> (usize, (usize, usize)) {
        let mut before = Vec::new();
        for (i, f) in self.record.iter().take(field + 1).enumerate() {
            if i == field {
                before.extend_from_slice(&f[..at.min(f.len())]);
            } else {
                before.extend_from_slice(f);
                before.push(self.delim.byte());
            }
        }
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1);
        let (l, chars) = input::line_col_bytes(&before, before.len());
        (line + l - 1, (before.len() - line_start + 1, chars))
    }
}

/// The field holding byte `at` of a record's fields laid end to end, and
/// the offset in it.
fn field_at(rec: &csv::ByteRecord, at: usize) -> (usize, usize) {
    (0..rec.len())
        .filter_map(|i| rec.range(i).map(|r| (i, r)))
        .find(|(_, r)| r.contains(&at) || (r.is_empty() && r.start == at))
        .map_or((0, at), |(i, r)| (i, at - r.start))
}

fn csv_reader<R: Read>(src: R, delim: Delim) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delim.byte())
        .quoting(delim != Delim::Tab)
        .terminator(csv::Terminator::Any(b'\n'))
        .buffer_capacity(1 << 16)
        .from_reader(src)
}

/// A streaming reader of a table with a header row.
pub struct TableReader<R: BufRead> {
    records: Records<R>,
    pub header: Vec<String>,
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
    pub fn new(src: R, file: &str, delim: Delim) -> Result<Self> {
        let mut records = Records::new(src, file, delim)?;
        let header = loop {
            match records.next_record()? {
                Some((_, fields)) if fields.iter().all(|f| f.trim().is_empty()) => continue,
                Some((_, fields)) => break fields,
                None => {
                    return Err(Error::input(
                        file,
                        None,
                        "has no header row (it holds no text)",
                    ));
                }
            }
        };
        Ok(TableReader {
            records,
            header: header.into_iter().map(|h| h.trim().to_string()).collect(),
        })
    }

    pub fn file(&self) -> &str {
        self.records.file()
    }

    /// Bytes read so far (for a progress bar).
    pub fn bytes_read(&self) -> u64 {
        self.records.bytes_read()
    }

    /// The next data row, or None at the end. Blank lines are skipped.
    pub fn next_row(&mut self) -> Result<Option<Row>> {
        loop {
            let Some((line, fields)) = self.records.next_record()? else {
                return Ok(None);
            };
            if fields.len() == 1 && fields[0].trim().is_empty() {
                continue;
            }
            if fields.len() != self.header.len() {
                return Err(Error::at_line(
                    self.file(),
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
                        match self.records.delim() {
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

fn csv_err(file: &str, e: csv::Error) -> Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => io_err(file, e),
        other => Error::input(file, None, format!("{other:?}")),
    }
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

/// Why a field cannot be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellFault {
    /// TSV cannot hold a tab, a line break or a carriage return.
    Tab,
    LineBreak,
    CarriageReturn,
}

impl CellFault {
    pub fn what(self) -> &'static str {
        match self {
            CellFault::Tab => "a tab",
            CellFault::LineBreak => "a line break",
            CellFault::CarriageReturn => "a carriage return",
        }
    }
}

/// Writes a table, one row a line (`\n`): TSV verbatim (fields as they
/// are, never quoted: [`check`](Self::check) them first), CSV per RFC 4180
/// (a field is quoted when it holds the delimiter, a quote, `\r` or `\n`).
pub struct TableWriter<W: Write> {
    csv: csv::Writer<W>,
    delim: Delim,
    guard: bool,
}

/// Does a spreadsheet read this cell as a formula? (`=`, `+`, `-`, `@`,
/// and a tab or carriage return before them: OWASP's list.)
pub fn looks_like_formula(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

impl<W: Write> TableWriter<W> {
    pub fn new(out: W, delim: Delim) -> TableWriter<W> {
        let csv = csv::WriterBuilder::new()
            .flexible(true)
            .delimiter(delim.byte())
            .terminator(csv::Terminator::Any(b'\n'))
            .quote_style(if delim == Delim::Tab {
                csv::QuoteStyle::Never
            } else {
                csv::QuoteStyle::Necessary
            })
            .from_writer(out);
        TableWriter {
            csv,
            delim,
            guard: false,
        }
    }

    /// For a spreadsheet: a cell a spreadsheet would run as a formula
    /// ([`looks_like_formula`]) is written with a `'` before it, which
    /// spreadsheets show as text. The file no longer holds the text exactly
    /// (a re-import keeps the `'`): off unless asked for.
    pub fn guard_formulas(mut self, on: bool) -> Self {
        self.guard = on;
        self
    }

    /// Check one row without writing it: the index of the first field that
    /// cannot be written, and why.
    pub fn check(&self, fields: &[&str]) -> std::result::Result<(), (usize, CellFault)> {
        if self.delim != Delim::Tab {
            return Ok(());
        }
        for (i, f) in fields.iter().enumerate() {
            if f.contains('\t') {
                return Err((i, CellFault::Tab));
            }
            if f.contains('\n') {
                return Err((i, CellFault::LineBreak));
            }
            if f.contains('\r') {
                return Err((i, CellFault::CarriageReturn));
            }
        }
        Ok(())
    }

    /// Write one row (call [`check`](Self::check) first for TSV).
    pub fn row<T: AsRef<[u8]>>(&mut self, fields: &[T]) -> std::io::Result<()> {
        let risky = |f: &T| std::str::from_utf8(f.as_ref()).is_ok_and(looks_like_formula);
        if self.guard && fields.iter().any(risky) {
            let guarded: Vec<Vec<u8>> = fields
                .iter()
                .map(|f| {
                    let mut v = Vec::with_capacity(f.as_ref().len() + 1);
                    if risky(f) {
                        v.push(b'\'');
                    }
                    v.extend_from_slice(f.as_ref());
                    v
                })
                .collect();
            return self.csv.write_record(&guarded).map_err(io_error);
        }
        self.csv.write_record(fields).map_err(io_error)
    }

    pub fn finish(self) -> std::io::Result<W> {
        self.csv.into_inner().map_err(|e| e.into_error())
    }
}

/// The io error a write failed with, as it was (csv's `From` would wrap it
/// as `Other`, and a closed pipe would no longer be one).
fn io_error(e: csv::Error) -> std::io::Error {
    if !e.is_io_error() {
        return std::io::Error::other(e);
    }
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        kind => std::io::Error::other(format!("{kind:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_guarded_only_when_asked() {
        let row = [
            "=HYPERLINK(\"x\")",
            "+cmd|calc",
            "plain",
            "-5",
            "@SUM(A1)",
            "a=b",
        ];
        let mut w = TableWriter::new(Vec::new(), Delim::Comma);
        w.row(&row).unwrap();
        let plain = String::from_utf8(w.finish().unwrap()).unwrap();
        assert_eq!(
            plain,
            "\"=HYPERLINK(\"\"x\"\")\",+cmd|calc,plain,-5,@SUM(A1),a=b\n"
        );
        let mut w = TableWriter::new(Vec::new(), Delim::Comma).guard_formulas(true);
        w.row(&row).unwrap();
        let safe = String::from_utf8(w.finish().unwrap()).unwrap();
        assert_eq!(
            safe,
            "\"'=HYPERLINK(\"\"x\"\")\",'+cmd|calc,plain,'-5,'@SUM(A1),a=b\n"
        );
    }

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
    fn csv_quote_left_open_after_a_literal_quote() {
        // A quote inside an unquoted field is a character (`5" screen`); it
        // must not hide a quote left open later, which would swallow the
        // rest of the file into one cell.
        let e = parse_str(
            "en,ru\n5\" screen,экран\nb,\"open\nc,d\n",
            "g.csv",
            Delim::Comma,
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "g.csv:3: a quoted field is never closed");
        // an escaped quote and a quote closing a field are no such thing
        let (_, rows) = parse_str(
            "en,ru\n\"a \"\"b\"\"\"x,5\" c\n\"\",\"\"\"\"\n",
            "g.csv",
            Delim::Comma,
        )
        .unwrap();
        assert_eq!(rows[0].fields, ["a \"b\"x", "5\" c"]);
        assert_eq!(rows[1].fields, ["", "\""]);
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
    fn line_ends_blank_lines_and_positions() {
        // blank lines before the header and between rows; `\r\n` line
        // ends; a lone `\r` is text
        let (h, rows) =
            parse_str("\n\nen\tru\r\n\r\na\rb\tc\r\n  \nd\te", "t.tsv", Delim::Tab).unwrap();
        assert_eq!(h, ["en", "ru"]);
        assert_eq!(rows[0].fields, ["a\rb", "c"]);
        assert_eq!((rows[0].line, rows[1].line), (5, 7));
        assert_eq!(rows[1].fields, ["d", "e"]);
        // CSV: line breaks inside quotes (`\r\n` read as `\n`), and the
        // lines after them
        let (_, rows) = parse_str(
            "en,ru\r\n\"one\r\ntwo\r\nthree\",x\r\n\r\nb,\"y\"\r\n",
            "c.csv",
            Delim::Comma,
        )
        .unwrap();
        assert_eq!(rows[0].fields, ["one\ntwo\nthree", "x"]);
        assert_eq!(rows[1].fields, ["b", "y"]);
        assert_eq!((rows[0].line, rows[1].line), (2, 6));
        let e = parse_str("en,ru\n\"a\nb\",x\nc\n", "c.csv", Delim::Comma).unwrap_err();
        assert_eq!(e.to_string(), "c.csv:4: 1 column, the header has 2");
        // a NUL byte: line and column (in bytes)
        let e = parse_str("en\tru\nab\tж\x00d\n", "n.tsv", Delim::Tab).unwrap_err();
        assert_eq!(
            e.to_string(),
            "n.tsv:2:6: binary data (a NUL byte), not a text file"
        );
        // semicolons decided on the first line that is not blank
        let (h, rows) = parse_str("\n en;ru\nа;б\n", "s.csv", Delim::Comma).unwrap();
        assert_eq!(h, ["en", "ru"]);
        assert_eq!((rows[0].line, rows[0].fields.len()), (3, 2));
        // a row of white space only is skipped, a quote in TSV is text
        let (_, rows) = parse_str("en\tru\n \n\"a\t\"b\n", "q.tsv", Delim::Tab).unwrap();
        assert_eq!(rows[0].fields, ["\"a", "\"b"]);
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

    #[test]
    fn writer_tsv_refuses_tabs_csv_quotes() {
        let w = TableWriter::new(Vec::new(), Delim::Tab);
        assert_eq!(w.check(&["a", "b\tc"]), Err((1, CellFault::Tab)));
        assert_eq!(w.check(&["a\r", "b"]), Err((0, CellFault::CarriageReturn)));
        let mut w = TableWriter::new(Vec::new(), Delim::Comma);
        w.row(&["en", "ru"]).unwrap();
        w.row(&[" a, \"b\"", "two\nlines"]).unwrap();
        let out = String::from_utf8(w.finish().unwrap()).unwrap();
        let (h, rows) = parse_str(&out, "x.csv", Delim::Comma).unwrap();
        assert_eq!(h, ["en", "ru"]);
        assert_eq!(rows[0].fields, [" a, \"b\"", "two\nlines"]);
    }
}

//! The one TSV/CSV reader (`table::Records`, under every table polytm
//! reads) and writer (`TableWriter`, under every table it writes): any
//! bytes as TSV or CSV (the first byte picks; a CSV may turn out to be
//! separated by semicolons). Records start on increasing lines, and what
//! is read is written back (as TSV, or as comma-separated CSV) and read
//! again to the same fields, except what the format cannot hold (see
//! `writable`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use polytm_core::error::Result;
use polytm_formats::table::{Delim, Records, TableWriter};
use polytm_fuzz::{refused, split_first};

fn read_all(bytes: &[u8], delim: Delim) -> Result<(Delim, Vec<(usize, Vec<String>)>)> {
    let mut r = Records::new(bytes, "fuzz", delim)?;
    let mut records = Vec::new();
    while let Some(rec) = r.next_record()? {
        records.push(rec);
    }
    Ok((r.delim(), records))
}

/// Whether the writer can give the records back as they are. Not: in TSV
/// a carriage return (refused by `check`); in CSV a `\r\n` inside a field
/// (a CSV line end is a line end, also in quotes: it reads back as `\n`).
/// And a byte-order mark at the very start of a file is dropped by every
/// reader.
fn writable(records: &[(usize, Vec<String>)], delim: Delim) -> bool {
    let first = records.first().map_or(&[][..], |r| &r.1[..]);
    let bom_first = first.first().is_some_and(|f| f.starts_with('\u{FEFF}'));
    !bom_first
        && records.iter().flat_map(|r| &r.1).all(|f| match delim {
            Delim::Tab => !f.contains('\r'),
            _ => !f.contains("\r\n"),
        })
}

fuzz_target!(|data: &[u8]| {
    let (flags, rest) = split_first(data);
    let delim = if flags & 1 == 0 {
        Delim::Tab
    } else {
        Delim::Comma
    };
    let (used, records) = match read_all(rest, delim) {
        Ok(x) => x,
        Err(e) => return refused(e),
    };
    let mut last = 0;
    for (line, fields) in &records {
        assert!(
            *line > last,
            "record on line {line} after one on line {last}"
        );
        assert!(!fields.is_empty());
        last = *line;
        if used == Delim::Tab {
            assert!(fields.iter().all(|f| !f.contains(['\t', '\n'])));
        }
    }
    // polytm writes TSV and comma-separated CSV.
    let out_delim = if used == Delim::Tab {
        Delim::Tab
    } else {
        Delim::Comma
    };
    if !writable(&records, out_delim) {
        return;
    }
    let mut w = TableWriter::new(Vec::new(), out_delim);
    for (_, fields) in &records {
        let f: Vec<&str> = fields.iter().map(String::as_str).collect();
        assert_eq!(w.check(&f), Ok(()));
        w.row(&f).unwrap();
    }
    let out = w.finish().unwrap();
    if records.is_empty() {
        return;
    }
    // A CSV whose first line is one cell holding a semicolon is taken for
    // one separated by semicolons (as Excel writes them in many locales):
    // a table whose first row is such a cell (polytm writes none: its
    // first row is a header of language codes) reads back otherwise.
    if out_delim == Delim::Comma
        && Records::new(&out[..], "fuzz", Delim::Comma)
            .map(|r| r.delim())
            .ok()
            == Some(Delim::Semicolon)
    {
        return;
    }
    let (_, back) = match read_all(&out, out_delim) {
        Ok(x) => x,
        Err(e) => panic!(
            "what TableWriter wrote does not read back: {e}\n{:?}",
            String::from_utf8_lossy(&out)
        ),
    };
    let fields = |r: &[(usize, Vec<String>)]| -> Vec<Vec<String>> {
        r.iter().map(|x| x.1.clone()).collect()
    };
    assert_eq!(
        fields(&back),
        fields(&records),
        "written as {:?}",
        String::from_utf8_lossy(&out)
    );
});

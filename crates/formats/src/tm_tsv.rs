//! A translation memory as a table: TSV (verbatim, no quoting) or CSV
//! (RFC 4180), with a header row of language codes.
//!
//! ```text
//! en<TAB>ru<TAB>zh<TAB>note
//! Shanghai Cooperation Organisation<TAB>Шанхайская организация сотрудничества<TAB>上海合作组织<TAB>official
//! ```
//!
//! The first language column is the source. Other header cells name extra
//! fields (see [`crate::table::classify_header`]): `id` becomes the
//! unit id (TMX `tuid`), `note`/`comment` a note, anything else (`domain`,
//! `source`, `context` ...) a property `x-<name>`, so they travel on to TMX.
//! An empty cell (or one of white space only) means the unit has no text in
//! that language.

use std::io::BufRead;
use std::path::Path;

use crate::table::{Column, Delim, TableReader, classify_header};
use crate::tmx::Meta;
use crate::xml::forbidden_char;
use polytm_core::error::{Error, Pos, Result, display_path};
use polytm_text::lang::LangTag;

/// One row read.
#[derive(Debug, Clone)]
pub struct TableUnit {
    /// 1-based line where the row starts.
    pub line: usize,
    /// Non-empty cells, in column order.
    pub variants: Vec<(LangTag, String)>,
    /// The source language (the first language column), when the row has it.
    pub src: Option<LangTag>,
    pub tuid: Option<String>,
    pub meta: Vec<Meta>,
}

/// A row that was read but cannot be kept, and why.
#[derive(Debug, Clone)]
pub struct RowProblem {
    pub pos: Pos,
    pub msg: String,
}

enum Field {
    Lang(LangTag),
    Id,
    Note,
    Prop(String),
}

/// Streaming reader of a table translation memory.
pub struct TmTable {
    reader: TableReader<Box<dyn BufRead>>,
    fields: Vec<Field>,
    src: LangTag,
}

impl TmTable {
    /// Open a `.tsv` or `.csv` file (or `-`) and read its header.
    pub fn open(path: &Path, delim: Delim) -> Result<TmTable> {
        let reader = TableReader::open(path, delim)?;
        let file = display_path(path);
        let cols = classify_header(&reader.header, &file)?;
        let fields: Vec<Field> = cols
            .into_iter()
            .map(|c| match c {
                Column::Lang(t) => Field::Lang(t),
                Column::Named(n) => match n.as_str() {
                    "id" => Field::Id,
                    "note" | "notes" | "comment" | "comments" => Field::Note,
                    _ => Field::Prop(format!("x-{n}")),
                },
            })
            .collect();
        let langs: Vec<&LangTag> = fields
            .iter()
            .filter_map(|f| match f {
                Field::Lang(t) => Some(t),
                _ => None,
            })
            .collect();
        if langs.len() < 2 {
            return Err(Error::input(
                file,
                Some(Pos::Line(1)),
                format!(
                    "the header names {} language{}; a translation memory needs at least two columns of language codes (en, ru, zh ...)",
                    langs.len(),
                    if langs.len() == 1 { "" } else { "s" }
                ),
            ));
        }
        let src = langs[0].clone();
        Ok(TmTable {
            reader,
            fields,
            src,
        })
    }

    /// The language columns, in order.
    pub fn langs(&self) -> Vec<LangTag> {
        self.fields
            .iter()
            .filter_map(|f| match f {
                Field::Lang(t) => Some(t.clone()),
                _ => None,
            })
            .collect()
    }

    /// Bytes read so far.
    pub fn bytes_read(&self) -> u64 {
        self.reader.bytes_read()
    }

    /// The next row: `Ok(Some(Ok(unit)))`, or `Ok(Some(Err(problem)))` for a
    /// row that cannot be kept (a character XML forbids), or `Ok(None)` at
    /// the end. Malformed files are errors.
    pub fn next_unit(&mut self) -> Result<Option<std::result::Result<TableUnit, RowProblem>>> {
        let Some(row) = self.reader.next_row()? else {
            return Ok(None);
        };
        let mut unit = TableUnit {
            line: row.line,
            variants: Vec::new(),
            src: None,
            tuid: None,
            meta: Vec::new(),
        };
        for (i, (field, text)) in self.fields.iter().zip(row.fields).enumerate() {
            if text.trim().is_empty() {
                continue;
            }
            if let Some(c) = forbidden_char(&text) {
                return Ok(Some(Err(RowProblem {
                    pos: Pos::LineCol(row.line, i + 1),
                    msg: format!(
                        "column {} holds the character U+{:04X}, which TMX (XML 1.0) cannot hold; row left out",
                        i + 1,
                        c as u32
                    ),
                })));
            }
            match field {
                Field::Lang(t) => {
                    if t.lang == self.src.lang {
                        unit.src = Some(t.clone());
                    }
                    unit.variants.push((t.clone(), text));
                }
                Field::Id => unit.tuid = Some(text),
                Field::Note => unit.meta.push(Meta::note(text)),
                Field::Prop(ty) => unit.meta.push(Meta::prop(ty, text)),
            }
        }
        Ok(Some(Ok(unit)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(text: &str, name: &str) -> Result<TmTable> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        let kind = crate::registry::detect(&p, None, crate::registry::Purpose::Tm)?;
        TmTable::open(&p, Delim::of(kind))
    }

    #[test]
    fn reads_languages_and_extra_columns() {
        let mut t = open(
            "id\ten-GB\tru\tzh_CN\tnote\tdomain\nu1\t  SCO \tШОС\t\tofficial\tpolitics\n",
            "tm.tsv",
        )
        .unwrap();
        assert_eq!(t.langs().len(), 3);
        let u = t.next_unit().unwrap().unwrap().unwrap();
        assert_eq!(u.line, 2);
        assert_eq!(u.tuid.as_deref(), Some("u1"));
        assert_eq!(u.variants.len(), 2);
        assert_eq!(u.variants[0].0.tag, "en-GB");
        assert_eq!(u.variants[0].1, "  SCO ");
        assert_eq!(u.src.as_ref().unwrap().tag, "en-GB");
        assert_eq!(
            u.meta,
            vec![Meta::note("official"), Meta::prop("x-domain", "politics")]
        );
        assert!(t.next_unit().unwrap().is_none());
    }

    #[test]
    fn header_needs_two_languages() {
        let e = open("en\tnote\na\tb\n", "x.tsv").err().unwrap();
        assert!(e.to_string().contains("at least two"), "{e}");
        let e = open("domain\tsource\ttarget\na\tb\tc\n", "x.tsv")
            .err()
            .unwrap();
        assert!(e.to_string().contains("x.tsv:1:3"), "{e}");
    }

    #[test]
    fn forbidden_character_rows_are_reported() {
        let mut t = open("en,ru\n\"a\u{1}\",б\nc,д\n", "x.csv").unwrap();
        let p = t.next_unit().unwrap().unwrap().unwrap_err();
        assert_eq!(p.pos, Pos::LineCol(2, 1));
        assert!(t.next_unit().unwrap().unwrap().is_ok());
    }
}

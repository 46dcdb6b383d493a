//! Glossaries as tables: TSV or CSV (Excel exports) with a header row of
//! language codes, one concept a row.
//!
//! ```text
//! en<TAB>ru<TAB>zh<TAB>note<TAB>source
//! Shanghai Cooperation Organisation | SCO<TAB>Шанхайская организация сотрудничества | ШОС<TAB>上海合作组织 | [abbr] 上合组织<TAB><TAB>sectsco.org
//! ```
//!
//! - Language columns (`en`, `ru-RU`, `zh_CN` ...) hold one or more terms
//!   separated by ` | `; the first is preferred, `~term` is deprecated,
//!   `[abbr] term` (or a term all in capitals after the first) is an
//!   abbreviation; see [`crate::termbase::parse_cell`].
//! - `note`/`notes`/`comment`, `source`/`sources` and `domain`/`subject`
//!   columns fill the concept's fields; other known columns (`definition`,
//!   `context`, `status`, `type`, `id`, `file`) are kept in the note as
//!   `name: value`.
//! - Any other header cell is an unknown language code: an error naming
//!   the file, line 1 and the column.
//!
//! TSV is read verbatim (no quoting, no escapes); CSV follows RFC 4180 with
//! `,` or `;` (see [`super::table`]). Writing a TSV replaces tabs and line
//! breaks inside a field by spaces (TSV cannot hold them).

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::path::Path;

use crate::termbase::{NewConcept, NewTerm, format_cell, parse_cell};
use polytm_core::error::{Error, Result};
use polytm_text::lang::{Lang, LangTag, lang_order};

use super::table::{Column, Delim, TableReader, TableWriter, classify_header};

/// Reads concepts from a glossary table, one row at a time.
pub struct GlossaryTableReader<R: BufRead> {
    table: TableReader<R>,
    cols: Vec<Column>,
}

impl GlossaryTableReader<Box<dyn BufRead>> {
    /// Open a TSV or CSV file (or `-`, standard input).
    pub fn open(path: &Path, delim: Delim) -> Result<Self> {
        Self::new(TableReader::open(path, delim)?)
    }
}

impl<'a> GlossaryTableReader<&'a [u8]> {
    /// Read a table held in a string (tests, small glossaries).
    pub fn from_text(text: &'a str, file: &str, delim: Delim) -> Result<Self> {
        Self::new(TableReader::new(text.as_bytes(), file, delim)?)
    }
}

impl<R: BufRead> GlossaryTableReader<R> {
    pub fn new(table: TableReader<R>) -> Result<Self> {
        let cols = classify_header(&table.header, table.file())?;
        if !cols.iter().any(|c| matches!(c, Column::Lang(_))) {
            return Err(Error::at_line(
                table.file(),
                1,
                "the header names no language (expected codes such as en, ru, zh)",
            ));
        }
        Ok(GlossaryTableReader { table, cols })
    }

    pub fn file(&self) -> &str {
        self.table.file()
    }

    /// Bytes read so far.
    pub fn bytes_read(&self) -> u64 {
        self.table.bytes_read()
    }

    /// The next row as a concept (possibly without terms), with its line.
    pub fn next_concept(&mut self) -> Result<Option<(usize, NewConcept)>> {
        let Some(row) = self.table.next_row()? else {
            return Ok(None);
        };
        let mut c = NewConcept::default();
        for (col, field) in self.cols.iter().zip(&row.fields) {
            match col {
                Column::Lang(tag) => {
                    for (text, status) in parse_cell(field) {
                        c.terms.push(NewTerm::new(tag.clone(), text, status));
                    }
                }
                Column::Named(name) => {
                    let v = field.trim();
                    if v.is_empty() {
                        continue;
                    }
                    match name.as_str() {
                        "note" | "notes" | "comment" | "comments" => c.add_note(v),
                        "source" | "sources" => {
                            c.source = Some(match c.source.take() {
                                Some(s) => format!("{s}; {v}"),
                                None => v.to_string(),
                            })
                        }
                        "domain" | "subject" => c.domain = Some(v.to_string()),
                        other => c.add_note(&format!("{other}: {v}")),
                    }
                }
            }
        }
        Ok(Some((row.line, c)))
    }
}

impl<R: BufRead> Iterator for GlossaryTableReader<R> {
    type Item = Result<(usize, NewConcept)>;
    fn next(&mut self) -> Option<Self::Item> {
        self.next_concept().transpose()
    }
}

/// Write concepts as a table: one column per language (the tag most of its
/// terms carry), then `note`, `source` (and `domain` when any concept has
/// one).
pub fn write_table(
    out: &mut dyn Write,
    concepts: &[NewConcept],
    delim: Delim,
) -> std::io::Result<()> {
    // Languages, en/ru/zh first, each with its most frequent tag.
    let mut tags: HashMap<Lang, HashMap<String, usize>> = HashMap::new();
    for c in concepts {
        for t in &c.terms {
            *tags
                .entry(t.tag.lang.clone())
                .or_default()
                .entry(t.tag.tag.clone())
                .or_default() += 1;
        }
    }
    let mut langs: Vec<Lang> = tags.keys().cloned().collect();
    langs.sort_by_key(lang_order);
    let header_tag = |l: &Lang| -> String {
        tags.get(l)
            .and_then(|m| {
                m.iter()
                    .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                    .map(|(t, _)| t.clone())
            })
            // a tag that does not parse gives the language's code
            .and_then(|t| LangTag::parse(&t).ok().map(|p| p.tag))
            .unwrap_or_else(|| l.to_string())
    };
    let with_domain = concepts.iter().any(|c| c.domain.is_some());
    let mut header: Vec<String> = langs.iter().map(header_tag).collect();
    header.push("note".into());
    header.push("source".into());
    if with_domain {
        header.push("domain".into());
    }
    let mut w = TableWriter::new(out, delim);
    w.row(&header)?;
    for c in concepts {
        let mut row: Vec<String> = langs
            .iter()
            .map(|l| format_cell(c.terms_of(l).map(|t| (t.text.as_str(), t.status))))
            .collect();
        row.push(c.note.clone().unwrap_or_default());
        row.push(c.source.clone().unwrap_or_default());
        if with_domain {
            row.push(c.domain.clone().unwrap_or_default());
        }
        if delim == Delim::Tab {
            // TSV cannot hold them: spaces instead.
            for f in row.iter_mut() {
                if f.contains(['\t', '\n', '\r']) {
                    *f = f.replace(['\t', '\n', '\r'], " ");
                }
            }
        }
        w.row(&row)?;
    }
    w.finish()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::termbase::TermStatus;

    fn read(text: &str, delim: Delim) -> Result<Vec<(usize, NewConcept)>> {
        GlossaryTableReader::from_text(text, "g.tsv", delim)?.collect()
    }

    #[test]
    fn reads_cells_notes_and_sources() {
        let rows = read(
            "en\tru\tzh-CN\tnote\tsource\tdefinition\n\
             SCO Secretariat\tСекретариат ШОС | Секретариат Шанхайской организации сотрудничества\t上合组织秘书处\tin Beijing\tsectsco.org\tthe permanent body\n\
             \n\
             Vienna\t\t\t\t\t\n",
            Delim::Tab,
        )
        .unwrap();
        assert_eq!(rows.len(), 2);
        let (line, c) = &rows[0];
        assert_eq!(*line, 2);
        assert_eq!(c.terms.len(), 4);
        assert_eq!(c.terms[3].tag.tag, "zh-CN");
        assert_eq!(c.terms[2].status, TermStatus::Variant);
        assert_eq!(
            c.note.as_deref(),
            Some("in Beijing\ndefinition: the permanent body")
        );
        assert_eq!(c.source.as_deref(), Some("sectsco.org"));
        assert_eq!(rows[1].0, 4);
        assert_eq!(rows[1].1.terms.len(), 1);
    }

    #[test]
    fn header_errors() {
        let e = read("en\tRussian\nA\tB\n", Delim::Tab).err().unwrap();
        assert_eq!(
            e.to_string(),
            "g.tsv:1:2: header: unknown language code 'Russian' (did you mean 'ru'?)"
        );
        let e = read("note\tsource\nA\tB\n", Delim::Tab).err().unwrap();
        assert!(e.to_string().contains("names no language"), "{e}");
        let e = read("en\tru\nA\tB\tC\n", Delim::Tab).err().unwrap();
        assert_eq!(e.to_string(), "g.tsv:2: 3 columns, the header has 2");
    }

    #[test]
    fn writes_csv_and_tsv() {
        let concepts: Vec<NewConcept> =
            read("en\tru\tnote\nA, \"quoted\" | AB\tБ\tline\n", Delim::Tab)
                .unwrap()
                .into_iter()
                .map(|(_, c)| c)
                .collect();
        let mut out = Vec::new();
        write_table(&mut out, &concepts, Delim::Comma).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert_eq!(s, "en,ru,note,source\n\"A, \"\"quoted\"\" | AB\",Б,line,\n");
        let back = read(&s, Delim::Comma).unwrap();
        assert_eq!(back[0].1.terms[0].text, "A, \"quoted\"");
        assert_eq!(back[0].1.terms[1].status, TermStatus::Abbreviation);
    }
}

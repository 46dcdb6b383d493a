//! Bilingual word lists, the aligner's lexicon in a table: one pair a line,
//! `a<TAB>b` or `a<TAB>b<TAB>weight` (weight from 0 to 1, 1 when left out),
//! read by the project's TSV reader ([`crate::table::Records`]: no quoting,
//! no escapes).
//!
//! ```text
//! en<TAB>ru
//! agency<TAB>агентство
//! drug<TAB>наркотик<TAB>0.8
//! ```
//!
//! A first line naming the two languages is a header. Lines of white space
//! are skipped; any other line with fewer than two or more than three
//! columns, an empty word or a weight that is not a number from 0 to 1 is
//! an error naming its line.

use polytm_core::error::{Error, Pos, Result};
use polytm_text::lang::LangTag;

use crate::table::{Delim, Records};

/// One pair of a word list.
#[derive(Debug, Clone, PartialEq)]
pub struct WordPair {
    /// The word in the first column's language, trimmed.
    pub a: String,
    /// The word in the second column's language, trimmed.
    pub b: String,
    pub weight: f64,
}

/// Read a word list held in `text` (named `file` in errors) whose columns
/// are in the languages `la` and `lb`.
pub fn read(text: &str, file: &str, la: &LangTag, lb: &LangTag) -> Result<Vec<WordPair>> {
    let mut records = Records::new(text.as_bytes(), file, Delim::Tab)?;
    let mut pairs = Vec::new();
    while let Some((line, cells)) = records.next_record()? {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if line == 1
            && cells.len() >= 2
            && LangTag::parse(&cells[0]).is_ok_and(|t| t.lang == la.lang)
            && LangTag::parse(&cells[1]).is_ok_and(|t| t.lang == lb.lang)
        {
            continue; // header
        }
        if cells.len() < 2 || cells.len() > 3 {
            return Err(Error::input(
                file,
                Some(Pos::Line(line)),
                format!(
                    "{} column{}; a word list has two ({}<TAB>{}) or three (with a weight)",
                    cells.len(),
                    if cells.len() == 1 { "" } else { "s" },
                    la.tag,
                    lb.tag
                ),
            ));
        }
        let weight = match cells.get(2) {
            None => 1.0,
            Some(w) => match w.trim().parse::<f64>() {
                Ok(x) if x > 0.0 && x <= 1.0 => x,
                _ => {
                    let col = cells[0].chars().count() + cells[1].chars().count() + 3;
                    return Err(Error::input(
                        file,
                        Some(Pos::LineCol(line, col)),
                        format!("weight '{w}' is not a number from 0 to 1"),
                    ));
                }
            },
        };
        let (a, b) = (cells[0].trim(), cells[1].trim());
        if a.is_empty() || b.is_empty() {
            return Err(Error::input(file, Some(Pos::Line(line)), "an empty word"));
        }
        pairs.push(WordPair {
            a: a.to_string(),
            b: b.to_string(),
            weight,
        });
    }
    if pairs.is_empty() {
        return Err(Error::input(file, None, "no word pairs"));
    }
    Ok(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags() -> (LangTag, LangTag) {
        (LangTag::parse("en").unwrap(), LangTag::parse("ru").unwrap())
    }

    #[test]
    fn reads_pairs_header_and_weights() {
        let (en, ru) = tags();
        let p = read(
            "en\tru-RU\r\n\n agency \tагентство\ndrug\tнаркотик\t0.5\n\t\n",
            "w.tsv",
            &en,
            &ru,
        )
        .unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!((p[0].a.as_str(), p[0].b.as_str()), ("agency", "агентство"));
        assert_eq!((p[0].weight, p[1].weight), (1.0, 0.5));
    }

    #[test]
    fn errors_name_the_line() {
        let (en, ru) = tags();
        let e = read("a\tb\nc\n", "w.tsv", &en, &ru).unwrap_err();
        assert_eq!(
            e.to_string(),
            "w.tsv:2: 1 column; a word list has two (en<TAB>ru) or three (with a weight)"
        );
        let e = read("a\tb\nжж\tc\t2\n", "w.tsv", &en, &ru).unwrap_err();
        assert_eq!(
            e.to_string(),
            "w.tsv:2:6: weight '2' is not a number from 0 to 1"
        );
        let e = read("a\t \n", "w.tsv", &en, &ru).unwrap_err();
        assert_eq!(e.to_string(), "w.tsv:1: an empty word");
        let e = read("en\tru\n", "w.tsv", &en, &ru).unwrap_err();
        assert_eq!(e.to_string(), "w.tsv: no word pairs");
    }
}

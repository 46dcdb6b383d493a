//! Word-level differences between a query and a TM source, for people:
//! what the translator has to change in the TM target.
//!
//! `render` writes them the way `wdiff` does: `[-old-]` is in the TM source
//! only, `{+new+}` in the query only. `render_ansi` colours them instead
//! (red struck-through, green underlined) for a terminal.

use serde::Serialize;
use similar::{Algorithm, DiffOp, capture_diff_slices};

use polytm_text::lang::Lang;
use polytm_text::{Token, tokenize};

/// One piece of a difference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Piece {
    /// `=` in both, `-` in the TM source only, `+` in the query only.
    pub op: char,
    /// Space before the piece (outside the markers when rendered).
    pub space: String,
    pub text: String,
}

/// The difference of `query` against `source` (both in `lang`), token by
/// token (case- and width-insensitive, as the score is).
pub fn word_diff(query: &str, source: &str, lang: &Lang) -> Vec<Piece> {
    let q = tokenize(query, lang);
    let s = tokenize(source, lang);
    let qk: Vec<&str> = q.iter().map(|t| t.key.as_str()).collect();
    let sk: Vec<&str> = s.iter().map(|t| t.key.as_str()).collect();
    let (query, source) = (Chars::new(query), Chars::new(source));
    let mut out = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, &sk, &qk) {
        match op {
            DiffOp::Equal { new_index, len, .. } => push(&mut out, '=', &query, &q, new_index, len),
            DiffOp::Delete {
                old_index, old_len, ..
            } => push(&mut out, '-', &source, &s, old_index, old_len),
            DiffOp::Insert {
                new_index, new_len, ..
            } => push(&mut out, '+', &query, &q, new_index, new_len),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                push(&mut out, '-', &source, &s, old_index, old_len);
                let before = out.len();
                push(&mut out, '+', &query, &q, new_index, new_len);
                // "[-old-]{+new+}": the replacement follows without a space
                if let Some(ins) = out.get_mut(before) {
                    ins.space.clear();
                }
            }
        }
    }
    out
}

/// A text with the byte offset of each character: a piece is cut out in
/// constant time (cutting by counting characters from the start made a
/// diff of many pieces quadratic in the length of the text).
struct Chars<'a> {
    text: &'a str,
    byte_at: Vec<usize>,
}

impl<'a> Chars<'a> {
    fn new(text: &'a str) -> Chars<'a> {
        let byte_at = text
            .char_indices()
            .map(|(b, _)| b)
            .chain(std::iter::once(text.len()))
            .collect();
        Chars { text, byte_at }
    }

    /// The characters `start..end` (as [`polytm_text::char_slice`]).
    fn slice(&self, start: usize, end: usize) -> &'a str {
        let at = |c: usize| self.byte_at.get(c).copied().unwrap_or(self.text.len());
        let b = at(start);
        &self.text[b..at(end).max(b)]
    }
}

fn push(out: &mut Vec<Piece>, op: char, text: &Chars, toks: &[Token], at: usize, len: usize) {
    if len == 0 {
        return;
    }
    let first = &toks[at];
    let last = &toks[at + len - 1];
    let gap_start = if at == 0 {
        first.start
    } else {
        toks[at - 1].end
    };
    out.push(Piece {
        op,
        space: text.slice(gap_start, first.start).to_string(),
        text: text.slice(first.start, last.end).to_string(),
    });
}

/// `wdiff` notation: `Delete [-the-]{+all+} files`.
pub fn render(pieces: &[Piece]) -> String {
    let mut s = String::new();
    for p in pieces {
        s.push_str(&p.space);
        match p.op {
            '-' => {
                s.push_str("[-");
                s.push_str(&p.text);
                s.push_str("-]");
            }
            '+' => {
                s.push_str("{+");
                s.push_str(&p.text);
                s.push_str("+}");
            }
            _ => s.push_str(&p.text),
        }
    }
    s
}

/// Terminal colours: removed red and struck through, added green and
/// underlined.
pub fn render_ansi(pieces: &[Piece]) -> String {
    let mut s = String::new();
    for p in pieces {
        s.push_str(&p.space);
        match p.op {
            '-' => s.push_str(&format!("\x1b[31;9m{}\x1b[0m", p.text)),
            '+' => s.push_str(&format!("\x1b[32;4m{}\x1b[0m", p.text)),
            _ => s.push_str(&p.text),
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(q: &str, s: &str, lang: &str) -> String {
        render(&word_diff(q, s, &Lang::parse(lang).unwrap()))
    }

    #[test]
    fn words_added_removed_changed() {
        assert_eq!(
            d("Delete all files.", "Delete the files.", "en"),
            "Delete [-the-]{+all+} files."
        );
        assert_eq!(
            d("Delete files.", "Delete the files.", "en"),
            "Delete [-the-] files."
        );
        assert_eq!(
            d("Delete the old files.", "Delete the files.", "en"),
            "Delete the {+old+} files."
        );
        assert_eq!(
            d("The 9th meeting", "The 8th meeting", "en"),
            "The [-8th-]{+9th+} meeting"
        );
        // the query's own spelling is shown (case-insensitive comparison)
        assert_eq!(
            d("DELETE the file", "delete the file", "en"),
            "DELETE the file"
        );
        assert_eq!(d("上海合作组织", "上海组织", "zh"), "上海{+合作+}组织");
        assert_eq!(d("", "a b", "en"), "[-a b-]");
    }

    #[test]
    fn many_pieces() {
        // every other word changed, 20,000 times: 60,000 pieces
        let q = "мир и ".repeat(20_000);
        let s = "мир а ".repeat(20_000);
        let pieces = word_diff(&q, &s, &Lang::ru());
        assert_eq!(pieces.len(), 60_000);
        assert_eq!(render(&pieces[..6]), "мир [-а-]{+и+} мир [-а-]{+и+}");
        assert_eq!(render(&pieces), vec!["мир [-а-]{+и+}"; 20_000].join(" "));
    }
}

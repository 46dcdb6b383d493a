//! Word-level differences between a query and a TM source, for people:
//! what the translator has to change in the TM target.
//!
//! `render` writes them the way `wdiff` does: `[-old-]` is in the TM source
//! only, `{+new+}` in the query only. `render_ansi` colours them instead
//! (red struck-through, green underlined) for a terminal.

use serde::Serialize;
use similar::{Algorithm, DiffOp, capture_diff_slices};

use polytm_text::lang::Lang;
use polytm_text::{Token, char_slice, tokenize};

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
    let mut out = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, &sk, &qk) {
        match op {
            DiffOp::Equal { new_index, len, .. } => push(&mut out, '=', query, &q, new_index, len),
            DiffOp::Delete {
                old_index, old_len, ..
            } => push(&mut out, '-', source, &s, old_index, old_len),
            DiffOp::Insert {
                new_index, new_len, ..
            } => push(&mut out, '+', query, &q, new_index, new_len),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                push(&mut out, '-', source, &s, old_index, old_len);
                let before = out.len();
                push(&mut out, '+', query, &q, new_index, new_len);
                // "[-old-]{+new+}": the replacement follows without a space
                if let Some(ins) = out.get_mut(before) {
                    ins.space.clear();
                }
            }
        }
    }
    out
}

fn push(out: &mut Vec<Piece>, op: char, text: &str, toks: &[Token], at: usize, len: usize) {
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
        space: char_slice(text, gap_start, first.start).to_string(),
        text: char_slice(text, first.start, last.end).to_string(),
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
}

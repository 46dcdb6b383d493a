//! The vocabulary of term bases as files hold them: a concept with terms
//! in several languages, each with a status, and the **cell syntax** of
//! glossary tables (and of `polytm term add`): several terms in one cell
//! separated by ` | `, the first preferred, a leading `~` for a deprecated
//! term, a leading `[abbr]` (or an all-capitals term such as `SCO`,
//! `УНП ООН`) for an abbreviation.
//!
//! The glossary (`polytm_glossary`) stores these and recognises them in
//! running text; TBX and glossary tables read and write them.

use serde::Serialize;

use polytm_text::fold;
use polytm_text::lang::{Lang, LangTag};

/// How a term stands in its concept and language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TermStatus {
    /// The term to use (the first of its language).
    Preferred,
    /// An admitted synonym or spelling variant.
    Variant,
    /// A short form: SCO, ШОС, 上合组织, МВД России.
    Abbreviation,
    /// Found in texts but not to be used (still recognised, flagged).
    Deprecated,
}

impl TermStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TermStatus::Preferred => "preferred",
            TermStatus::Variant => "variant",
            TermStatus::Abbreviation => "abbreviation",
            TermStatus::Deprecated => "deprecated",
        }
    }

    /// Parse a status name, with the synonyms TBX and people use
    /// (`admitted`, `abbr`, `forbidden` ...).
    pub fn parse(s: &str) -> Option<TermStatus> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "preferred" | "pref" | "p" => TermStatus::Preferred,
            "variant" | "admitted" | "synonym" | "v" => TermStatus::Variant,
            "abbreviation" | "abbr" | "abbrev" | "acronym" | "short" | "shortform" | "a" => {
                TermStatus::Abbreviation
            }
            "deprecated" | "forbidden" | "obsolete" | "superseded" | "notrecommended" | "d" => {
                TermStatus::Deprecated
            }
            _ => return None,
        })
    }

    /// Order used when several terms could answer: preferred first.
    pub fn rank(self) -> u8 {
        match self {
            TermStatus::Preferred => 0,
            TermStatus::Variant => 1,
            TermStatus::Abbreviation => 2,
            TermStatus::Deprecated => 3,
        }
    }
}

impl std::fmt::Display for TermStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A term to be written (from a file or the command line).
#[derive(Debug, Clone, PartialEq)]
pub struct NewTerm {
    pub tag: LangTag,
    pub text: String,
    pub status: TermStatus,
    pub note: Option<String>,
    pub source: Option<String>,
}

impl NewTerm {
    pub fn new(tag: LangTag, text: impl Into<String>, status: TermStatus) -> NewTerm {
        NewTerm {
            tag,
            text: text.into(),
            status,
            note: None,
            source: None,
        }
    }

    /// The folded key identity and lookups use.
    pub fn key(&self) -> String {
        fold(&self.text)
    }
}

/// A concept to be written.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NewConcept {
    /// The concept's id in a translation memory, when it comes from one
    /// (exports); files read give none.
    pub id: Option<i64>,
    pub terms: Vec<NewTerm>,
    pub domain: Option<String>,
    pub note: Option<String>,
    pub source: Option<String>,
}

impl NewConcept {
    /// Append to the note (a new paragraph when there is one already).
    pub fn add_note(&mut self, text: &str) {
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        match &mut self.note {
            Some(n) if !n.is_empty() => {
                if !n.split("\n").any(|p| p == text) {
                    n.push('\n');
                    n.push_str(text);
                }
            }
            _ => self.note = Some(text.to_string()),
        }
    }

    /// Terms of one language key.
    pub fn terms_of<'a>(&'a self, lang: &'a Lang) -> impl Iterator<Item = &'a NewTerm> + 'a {
        self.terms.iter().filter(move |t| &t.tag.lang == lang)
    }

    /// Drop terms that repeat an earlier one (same language, same key) and
    /// empty terms.
    pub fn dedup(&mut self) {
        let mut seen: Vec<(Lang, String)> = Vec::new();
        self.terms.retain(|t| {
            let k = (t.tag.lang.clone(), t.key());
            if k.1.is_empty() || seen.contains(&k) {
                false
            } else {
                seen.push(k);
                true
            }
        });
    }
}

// ---------------------------------------------------------------------------
// Cell syntax

/// The separator of several terms in one cell.
pub const CELL_SEPARATOR: &str = " | ";

/// Markers that set a term's status explicitly, written before the term.
const MARKERS: &[(&str, TermStatus)] = &[
    ("[preferred]", TermStatus::Preferred),
    ("[variant]", TermStatus::Variant),
    ("[abbr]", TermStatus::Abbreviation),
    ("[abbreviation]", TermStatus::Abbreviation),
    ("[deprecated]", TermStatus::Deprecated),
];

/// Whether a term is written all in capitals (at least two letters with
/// case, none lower-case): `SCO`, `УНП ООН`, `МВД РК`. Such terms are
/// abbreviations unless they come first in their cell.
pub fn is_all_caps(text: &str) -> bool {
    let mut upper = 0;
    for c in text.chars() {
        if c.is_lowercase() {
            return false;
        }
        if c.is_uppercase() {
            upper += 1;
        }
    }
    upper >= 2
}

/// The status a term gets from its place in a cell when it carries no
/// marker: first → preferred; all capitals → abbreviation; else variant.
pub fn implied_status(text: &str, index: usize) -> TermStatus {
    if index == 0 {
        TermStatus::Preferred
    } else if is_all_caps(text) {
        TermStatus::Abbreviation
    } else {
        TermStatus::Variant
    }
}

/// Split one term off its marker: (`explicit status`, text).
fn strip_marker(raw: &str) -> (Option<TermStatus>, &str) {
    let t = raw.trim();
    if let Some(rest) = t.strip_prefix('~') {
        return (Some(TermStatus::Deprecated), rest.trim_start());
    }
    for (m, st) in MARKERS {
        if t.len() >= m.len() && t.is_char_boundary(m.len()) && t[..m.len()].eq_ignore_ascii_case(m)
        {
            return (Some(*st), t[m.len()..].trim_start());
        }
    }
    (None, t)
}

/// The pieces of a cell: split at a `|` with white space on both sides
/// (` | `); a `|` inside a word (`+cmd|calc`, `A|B`) is part of the term.
fn pieces(cell: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, _) in cell.match_indices('|') {
        let before = cell[..i]
            .chars()
            .next_back()
            .is_some_and(char::is_whitespace);
        let after = cell[i + 1..]
            .chars()
            .next()
            .is_some_and(char::is_whitespace);
        if before && after {
            out.push(&cell[start..i]);
            start = i + 1;
        }
    }
    out.push(&cell[start..]);
    out
}

/// Parse a cell: ` | `-separated terms with optional markers. Empty pieces
/// are skipped. Returns (text, status) pairs in order.
pub fn parse_cell(cell: &str) -> Vec<(String, TermStatus)> {
    let mut out = Vec::new();
    for piece in pieces(cell) {
        let (marker, text) = strip_marker(piece);
        if text.is_empty() {
            continue;
        }
        let status = marker.unwrap_or_else(|| implied_status(text, out.len()));
        out.push((text.to_string(), status));
    }
    out
}

/// Write terms back as a cell, adding a marker wherever the status is not
/// the one [`parse_cell`] would imply, so that a cell survives a round trip.
pub fn format_cell<'a>(terms: impl IntoIterator<Item = (&'a str, TermStatus)>) -> String {
    let mut out = String::new();
    for (i, (text, status)) in terms.into_iter().enumerate() {
        if i > 0 {
            out.push_str(CELL_SEPARATOR);
        }
        // A term that itself starts like a marker needs an explicit one.
        let looks_marked = strip_marker(text).0.is_some();
        if status != implied_status(text, i) || looks_marked {
            out.push_str(match status {
                TermStatus::Deprecated => "~",
                TermStatus::Preferred => "[preferred] ",
                TermStatus::Variant => "[variant] ",
                TermStatus::Abbreviation => "[abbr] ",
            });
        }
        out.push_str(text);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_spaced_bar_separates_terms() {
        let terms = |c: &str| -> Vec<String> { parse_cell(c).into_iter().map(|t| t.0).collect() };
        assert_eq!(terms("+cmd|calc"), ["+cmd|calc"]);
        assert_eq!(terms("A|B | C"), ["A|B", "C"]);
        assert_eq!(terms("МВД | Министерство"), ["МВД", "Министерство"]);
        assert_eq!(terms("a\u{3000}|\u{3000}b"), ["a", "b"]);
        assert_eq!(terms("| a |"), ["| a |"]);
    }

    #[test]
    fn cell_statuses() {
        let c = parse_cell(
            "Shanghai Cooperation Organisation | Shanghai Cooperation Organization | SCO | ~Shanghai Organisation",
        );
        assert_eq!(
            c,
            vec![
                (
                    "Shanghai Cooperation Organisation".into(),
                    TermStatus::Preferred
                ),
                (
                    "Shanghai Cooperation Organization".into(),
                    TermStatus::Variant
                ),
                ("SCO".into(), TermStatus::Abbreviation),
                ("Shanghai Organisation".into(), TermStatus::Deprecated),
            ]
        );
        let c = parse_cell("上海合作组织 | [abbr] 上合组织 | [ABBR]毒罪办");
        assert_eq!(c[1], ("上合组织".into(), TermStatus::Abbreviation));
        assert_eq!(c[2], ("毒罪办".into(), TermStatus::Abbreviation));
        // the first term is preferred even in capitals
        assert_eq!(parse_cell("UNESCO")[0].1, TermStatus::Preferred);
        assert!(parse_cell(" | ").is_empty());
    }

    #[test]
    fn all_caps() {
        assert!(is_all_caps("SCO"));
        assert!(is_all_caps("УНП ООН"));
        assert!(is_all_caps("SCO-UNODC"));
        assert!(!is_all_caps("МВД России"));
        assert!(!is_all_caps("上合组织"));
        assert!(!is_all_caps("A"));
        assert!(!is_all_caps("1988"));
    }

    #[test]
    fn cells_round_trip() {
        let cells = [
            "A | B | SCO | ~old",
            "[variant] first | [preferred] second",
            "ШОС | [variant] OK",
            "x | [abbr] 上合 | ~[abbr] literal",
            "[variant] SCO",
        ];
        for cell in cells {
            let parsed = parse_cell(cell);
            let back = format_cell(parsed.iter().map(|(t, s)| (t.as_str(), *s)));
            assert_eq!(parse_cell(&back), parsed, "{cell} -> {back}");
        }
        assert_eq!(
            format_cell([
                ("Shanghai Cooperation Organisation", TermStatus::Preferred),
                ("SCO", TermStatus::Abbreviation),
                ("SCO Org", TermStatus::Deprecated),
            ]),
            "Shanghai Cooperation Organisation | SCO | ~SCO Org"
        );
    }

    #[test]
    fn status_names() {
        assert_eq!(TermStatus::parse("admitted"), Some(TermStatus::Variant));
        assert_eq!(TermStatus::parse("Abbr"), Some(TermStatus::Abbreviation));
        assert_eq!(TermStatus::parse("x"), None);
    }
}

//! Text basics used by everything after: languages and what polytm knows
//! of each ([`lang`]: tags and profiles), matching keys ([`normalize`]),
//! tokens ([`tokenize`]), stems ([`stem`]), sentences ([`segment`]),
//! numbers, dates and placeables in running text ([`numbers`], [`dates`],
//! [`placeables`]). Nothing here knows about files or the database.

pub mod dates;
pub mod lang;
pub mod normalize;
pub mod numbers;
pub mod placeables;
pub mod segment;
pub mod stem;
pub mod stopwords;
pub mod tokenize;

pub use lang::{Lang, LangTag, Profile, Script};
pub use normalize::{Folded, fold, nfc};
pub use stem::Stemmer;
pub use tokenize::{Token, TokenKind, tokenize};

/// A Han character (CJK Unified Ideographs and their extensions,
/// compatibility ideographs, 〇 and 々).
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2EBEF}'
        | '\u{30000}'..='\u{3134F}'
        | '\u{3005}' | '\u{3007}')
}

/// Hiragana and katakana.
pub fn is_kana(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}')
}

/// Length of a string in characters (all offsets in polytm are in characters).
pub fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// The characters `start..end` of `s`.
pub fn char_slice(s: &str, start: usize, end: usize) -> &str {
    let mut idx = s
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(s.len()));
    let b = idx.nth(start).unwrap_or(s.len());
    let e = if end > start {
        idx.nth(end - start - 1).unwrap_or(s.len())
    } else {
        b
    };
    &s[b..e]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn han_and_slices() {
        assert!(is_han('上'));
        assert!(is_han('〇'));
        assert!(!is_han('。'));
        assert!(!is_han('a'));
        assert_eq!(char_slice("上合组织", 1, 3), "合组");
        assert_eq!(char_slice("abc", 0, 3), "abc");
        assert_eq!(char_slice("abc", 2, 2), "");
        assert_eq!(char_slice("abc", 3, 3), "");
        assert_eq!(char_len("ШОС"), 3);
    }
}

//! Matching keys. Text is stored exactly as read; these functions build the
//! folded form used to compare it: Unicode NFC, case folding (Cyrillic
//! included, `ё` = `е`), full-width → half-width digits, Latin letters and
//! punctuation, every kind of space → one ASCII space.
//!
//! [`Folded`] keeps, for every character of the folded text, the index of
//! the character of the original it came from, so a match found in the key
//! is reported in characters of the original.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::canonical_combining_class;

/// Unicode NFC of `s` (borrowed when it is already NFC).
pub fn nfc(s: &str) -> std::borrow::Cow<'_, str> {
    if unicode_normalization::is_nfc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(s.nfc().collect())
    }
}

/// Full-width and ideographic forms to their plain counterparts; spaces of
/// every kind to ' '. Characters without such a form are returned as is.
pub fn fold_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFF01 + 0x21).unwrap_or(c),
        '\u{3000}' | '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' => ' ',
        '\t' | '\n' | '\r' | '\u{000B}' | '\u{000C}' | '\u{0085}' | '\u{2028}' | '\u{2029}' => ' ',
        // Half-width forms of CJK punctuation.
        '\u{FF61}' => '。',
        '\u{FF62}' => '「',
        '\u{FF63}' => '」',
        '\u{FF64}' => '、',
        _ => c,
    }
}

/// Zero-width characters that carry no meaning for matching.
fn is_ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
    )
}

/// Fold one (NFC) character for matching, pushing the result into `out`.
#[inline]
pub fn fold_char_into(c: char, out: &mut impl FnMut(char)) {
    let c = fold_width(c);
    match c {
        'ё' | 'Ё' => out('е'),
        _ if c.is_ascii() => out(c.to_ascii_lowercase()),
        _ => {
            for l in c.to_lowercase() {
                out(l)
            }
        }
    }
}

/// The matching key of a string: NFC, folded, spaces collapsed and trimmed.
pub fn fold(s: &str) -> String {
    Folded::new(s).text
}

/// A folded string with a map back to the characters of the original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folded {
    /// The folded text (spaces collapsed, trimmed).
    pub text: String,
    /// For the i-th character of `text`, the index (in characters) of the
    /// original character it came from.
    pub map: Vec<usize>,
    /// Number of characters in the original.
    pub original_len: usize,
    /// Index (in characters of the original) just after the last original
    /// character that folded to something: trailing spaces and line breaks
    /// are not part of the last token.
    pub content_end: usize,
}

impl Folded {
    pub fn new(original: &str) -> Folded {
        let mut text = String::with_capacity(original.len());
        let mut map = Vec::with_capacity(original.len());
        let mut pending_space: Option<usize> = None;
        let mut n = 0usize;
        let mut push = |c: char, from: usize, text: &mut String, map: &mut Vec<usize>| {
            if c == ' ' {
                if !text.is_empty() && pending_space.is_none() {
                    pending_space = Some(from);
                }
                return;
            }
            if let Some(sp) = pending_space.take() {
                text.push(' ');
                map.push(sp);
            }
            text.push(c);
            map.push(from);
        };
        // Compose each starter with the combining marks after it, so that
        // offsets stay in characters of the original even when it is not NFC.
        let chars: Vec<char> = original.chars().collect();
        let mut content_end = 0;
        let mut i = 0;
        while i < chars.len() {
            let before = text.len();
            let start = i;
            i += 1;
            while i < chars.len() && canonical_combining_class(chars[i]) != 0 {
                i += 1;
            }
            n = i;
            let cluster = &chars[start..i];
            if cluster.len() == 1 {
                let c = cluster[0];
                if is_ignorable(c) {
                    continue;
                }
                fold_char_into(c, &mut |f| push(f, start, &mut text, &mut map));
            } else {
                let composed: String = cluster.iter().collect::<String>().nfc().collect();
                for c in composed.chars() {
                    if is_ignorable(c) {
                        continue;
                    }
                    fold_char_into(c, &mut |f| push(f, start, &mut text, &mut map));
                }
            }
            if text.len() > before {
                content_end = i;
            }
        }
        Folded {
            text,
            map,
            original_len: n.max(chars.len()),
            content_end,
        }
    }

    /// Character range `[start, end)` of the folded text → the range of the
    /// original characters it covers.
    pub fn original_range(&self, start: usize, end: usize) -> (usize, usize) {
        let s = self.map.get(start).copied().unwrap_or(self.original_len);
        let e = if end == 0 {
            s
        } else if end < self.map.len() {
            // The original character just before the next folded one: walk
            // back over characters that folded to nothing (zero-width ...).
            let next = self.map[end];
            let last = self.map[end - 1];
            if next > last { next } else { last + 1 }
        } else {
            self.content_end
        };
        (s, e.max(s))
    }
}

/// Does the folded text look like it is written in the script of the
/// language? Used to warn about a Russian file tagged `zh` and the like.
/// Returns the share (0..1) of letters in the expected script, or `None`
/// when there are too few letters to tell.
pub fn script_share(text: &str, lang: &crate::lang::Lang) -> Option<f64> {
    use crate::lang::Family;
    let mut letters = 0usize;
    let mut hits = 0usize;
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        let ok = match lang.family() {
            Family::Chinese => crate::text::is_han(c),
            Family::Russian => ('\u{0400}'..='\u{04FF}').contains(&c),
            Family::English => c.is_ascii_alphabetic(),
            Family::Other => return None,
        };
        if ok {
            hits += 1;
        }
        if letters >= 5000 {
            break;
        }
    }
    if letters < 20 {
        None
    } else {
        Some(hits as f64 / letters as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_width_and_yo() {
        assert_eq!(fold("ШОС"), "шос");
        assert_eq!(fold("Ёлка"), "елка");
        assert_eq!(fold("ＳＣＯ　２０１８"), "sco 2018");
        assert_eq!(fold("  a \t\n b  "), "a b");
        assert_eq!(fold("上合组织，２０１８年"), "上合组织,2018年");
    }

    #[test]
    fn nfc_composes() {
        // и + combining breve = й
        let decomposed = "и\u{306}";
        assert_eq!(nfc(decomposed), "й");
        assert_eq!(fold("Ми\u{306}"), "мй");
    }

    #[test]
    fn map_points_into_original_characters() {
        let f = Folded::new("  Ми\u{306}р  мир");
        // folded: "мйр мир"
        assert_eq!(f.text, "мйр мир");
        // "мйр" covers original chars 2..6 (М, и, combining breve, р)
        assert_eq!(f.original_range(0, 3), (2, 6));
        // "мир" is original 8..11
        assert_eq!(f.original_range(4, 7), (8, 11));
    }

    #[test]
    fn trailing_white_space_is_not_in_the_last_range() {
        let f = Folded::new("Казахстан\n");
        assert_eq!(f.original_range(0, 9), (0, 9));
        let f = Folded::new("  ab  \t ");
        assert_eq!(f.original_range(0, 2), (2, 4));
        let f = Folded::new("и\u{306}\n");
        assert_eq!(f.original_range(0, 1), (0, 2));
    }

    #[test]
    fn zero_width_characters_are_ignored() {
        assert_eq!(fold("Shang\u{200B}hai"), "shanghai");
        let f = Folded::new("a\u{00AD}b c");
        assert_eq!(f.text, "ab c");
        assert_eq!(f.original_range(0, 2), (0, 3));
    }

    #[test]
    fn script_share_tells_scripts_apart() {
        use crate::lang::Lang;
        let ru = "Министерство внутренних дел Российской Федерации";
        assert!(script_share(ru, &Lang::ru()).unwrap() > 0.9);
        assert!(script_share(ru, &Lang::zh()).unwrap() < 0.1);
        assert_eq!(script_share("abc", &Lang::en()), None);
    }
}

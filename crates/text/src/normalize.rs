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
    if s.chars().all(stays_nfc)
        || unicode_normalization::is_nfc_quick(s.chars())
            == unicode_normalization::IsNormalized::Yes
    {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(s.nfc().collect())
    }
}

/// A character of the scripts polytm mostly sees (Latin, Cyrillic, CJK
/// ideographs and punctuation) that is NFC whatever surrounds it: NFC quick
/// check "yes" and combining class 0, so a text made only of such
/// characters is NFC without the table look-ups of the general check (a
/// test checks every character of these ranges against those tables).
#[inline]
fn stays_nfc(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{2FF}'
        | '\u{400}'..='\u{482}'
        | '\u{48A}'..='\u{52F}'
        | '\u{2010}'..='\u{2027}'
        | '\u{2030}'..='\u{205E}'
        | '\u{3000}'..='\u{3029}'
        | '\u{3030}'..='\u{303F}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{FF01}'..='\u{FF5E}')
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

/// Characters known to have canonical combining class 0 without a table
/// lookup: ASCII, Cyrillic letters, CJK unified ideographs.
#[inline]
fn is_starter_fast(c: char) -> bool {
    c.is_ascii()
        || ('\u{0400}'..='\u{0482}').contains(&c)
        || ('\u{048A}'..='\u{04FF}').contains(&c)
        || ('\u{4E00}'..='\u{9FFF}').contains(&c)
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
    // fast paths (same results as below): Russian letters, Han characters
    match c {
        'а'..='е' | 'ж'..='я' => return out(c),
        'А'..='Е' | 'Ж'..='Я' => return out(char::from_u32(c as u32 + 0x20).unwrap_or(c)),
        '\u{4E00}'..='\u{9FFF}' => return out(c),
        _ => {}
    }
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
        let (original_len, content_end) = fold_impl(original, &mut text, Some(&mut map));
        Folded {
            text,
            map,
            original_len,
            content_end,
        }
    }

    /// The folded text only (no map back), into a reused buffer: what
    /// [`Folded::new`] puts in `text`, for hot paths that need no offsets.
    pub fn fold_into(original: &str, text: &mut String) {
        text.clear();
        fold_impl(original, text, None);
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

/// The folding of [`Folded::new`]: the folded text into `text`, the map
/// back into `map` when asked. Returns (original length, content end).
fn fold_impl(
    original: &str,
    text: &mut String,
    mut map: Option<&mut Vec<usize>>,
) -> (usize, usize) {
    if map.is_none() && original.is_ascii() {
        // ASCII needs no composition, width folding or ignorable marks:
        // lower-case, every kind of space one space, trimmed
        for b in original.bytes() {
            let c = match b {
                b'\t' | b'\n' | b'\r' | 0x0B | 0x0C | b' ' => b' ',
                _ => b.to_ascii_lowercase(),
            };
            if c == b' ' {
                if !text.is_empty() && !text.ends_with(' ') {
                    text.push(' ');
                }
            } else {
                text.push(c as char);
            }
        }
        if text.ends_with(' ') {
            text.pop();
        }
        let n = original.len();
        return (n, n);
    }
    let mut pending_space: Option<usize> = None;
    let mut n = 0usize;
    let mut push = |c: char, from: usize, text: &mut String, map: &mut Option<&mut Vec<usize>>| {
        if c == ' ' {
            if !text.is_empty() && pending_space.is_none() {
                pending_space = Some(from);
            }
            return;
        }
        if let Some(sp) = pending_space.take() {
            text.push(' ');
            if let Some(m) = map.as_mut() {
                m.push(sp);
            }
        }
        text.push(c);
        if let Some(m) = map.as_mut() {
            m.push(from);
        }
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
        while i < chars.len()
            && !is_starter_fast(chars[i])
            && canonical_combining_class(chars[i]) != 0
        {
            i += 1;
        }
        n = i;
        let cluster = &chars[start..i];
        if cluster.len() == 1 {
            let c = cluster[0];
            if is_ignorable(c) {
                continue;
            }
            fold_char_into(c, &mut |f| push(f, start, text, &mut map));
        } else {
            let composed: String = cluster.iter().collect::<String>().nfc().collect();
            for c in composed.chars() {
                if is_ignorable(c) {
                    continue;
                }
                fold_char_into(c, &mut |f| push(f, start, text, &mut map));
            }
        }
        if text.len() > before {
            content_end = i;
        }
    }
    (n.max(chars.len()), content_end)
}

/// Does the folded text look like it is written in the script of the
/// language? Used to warn about a Russian file tagged `zh` and the like.
/// Returns the share (0..1) of letters in the expected script, or `None`
/// when there are too few letters to tell.
pub fn script_share(text: &str, lang: &crate::lang::Lang) -> Option<f64> {
    let (letters, hits) = lang.profile().script_letters(text, 5000)?;
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
    fn nfc_fast_path_agrees_with_the_tables() {
        use unicode_normalization::{IsNormalized, is_nfc_quick};
        let mut n = 0;
        for c in (0..=0x10FFFFu32)
            .filter_map(char::from_u32)
            .filter(|&c| stays_nfc(c))
        {
            assert_eq!(is_nfc_quick(std::iter::once(c)), IsNormalized::Yes, "{c:?}");
            assert_eq!(canonical_combining_class(c), 0, "{c:?}");
            n += 1;
        }
        assert!(n > 27_000, "{n}");
        // a combining mark still goes the long way
        assert_eq!(nfc("и\u{306}"), "й");
        assert!(matches!(nfc("Привет, 世界"), std::borrow::Cow::Borrowed(_)));
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
    fn fast_paths_agree_with_the_tables() {
        for c in ('\u{0}'..='\u{FFFF}').chain('\u{20000}'..='\u{20100}') {
            if is_starter_fast(c) {
                assert_eq!(canonical_combining_class(c), 0, "{c:?}");
            }
            // the slow path, written out
            let mut slow = Vec::new();
            let w = fold_width(c);
            match w {
                'ё' | 'Ё' => slow.push('е'),
                _ if w.is_ascii() => slow.push(w.to_ascii_lowercase()),
                _ => slow.extend(w.to_lowercase()),
            }
            let mut fast = Vec::new();
            fold_char_into(c, &mut |x| fast.push(x));
            assert_eq!(fast, slow, "{c:?}");
        }
        let mut buf = String::new();
        for t in ["  Hello\tWorld \n", "A  B", "   ", "x\r\n", "Don't STOP."] {
            Folded::fold_into(t, &mut buf);
            assert_eq!(buf, Folded::new(t).text, "{t:?}");
        }
    }

    #[test]
    fn fold_into_gives_the_same_text() {
        let mut buf = String::new();
        for t in [
            "  Ми\u{306}р  мир ",
            "ＳＣＯ\t２０１８",
            "a\u{00AD}b c",
            "上合组织，２０１８年",
            "",
            "   ",
        ] {
            Folded::fold_into(t, &mut buf);
            assert_eq!(buf, Folded::new(t).text, "{t:?}");
        }
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

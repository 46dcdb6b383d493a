//! Tokenisation, the same for every language, with the few choices a
//! language's profile makes:
//!
//! - words (letters, with digits and `_` inside, apostrophes inside: *don't*,
//!   *O'Brien*); a possessive `'s` / `'` is its own token where the profile
//!   says so (English);
//! - numbers (`2018`, `3.14`, `1,000`), with the ordinal suffixes the
//!   profile glues to them (English `8th`);
//! - each Han (and kana) character is one token, so Chinese needs no word
//!   segmentation to be compared;
//! - placeholders and inline markup are one token each: `%s`, `%1$d`,
//!   `%(name)s`, `{0}`, `{name}`, `${VAR}`, `<b>`, `</g>`, `&amp;`, `\n`;
//! - every other non-space character (punctuation, symbols) is a token.
//!
//! Offsets are in characters of the original text; keys are folded
//! (see [`super::normalize`]).

use super::normalize::Folded;
use super::{is_han, is_kana};
use crate::lang::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    Word,
    Number,
    /// One Han or kana character.
    Han,
    Punct,
    /// `%s`, `{0}`, `\n` ...: kept unbroken, never translated.
    Placeholder,
    /// Inline markup `<b>`, `</ph>`.
    Tag,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    /// Folded text of the token.
    pub key: String,
    /// Start, in characters of the original text.
    pub start: usize,
    /// End (exclusive), in characters of the original text.
    pub end: usize,
}

impl Token {
    pub fn is_wordlike(&self) -> bool {
        matches!(
            self.kind,
            TokenKind::Word | TokenKind::Number | TokenKind::Han
        )
    }
}

/// The dictionary that cuts runs of Han characters into words (loaded on
/// first use).
static JIEBA: std::sync::LazyLock<jieba_rs::Jieba> = std::sync::LazyLock::new(jieba_rs::Jieba::new);

/// A run of Chinese text cut into words by a dictionary (jieba, with its
/// model of unknown words), in order: `修补修补` → `修补`, `修补`;
/// `多字符字符串` → `多`, `字符`, `字符串`. For the places where words matter
/// (the aligner's evidence, doubled words); tokens stay one a character.
pub fn han_words(run: &str) -> Vec<&str> {
    JIEBA.cut(run, true).into_iter().map(|w| w.word).collect()
}

/// Tokenise `text` by the rules of `lang`.
pub fn tokenize(text: &str, lang: &Lang) -> Vec<Token> {
    tokenize_folded(&Folded::new(text), lang)
}

/// Tokenise text that is already folded (reuse the fold when the caller
/// needs it too).
pub fn tokenize_folded(f: &Folded, lang: &Lang) -> Vec<Token> {
    let mut out = Vec::with_capacity(f.text.len() / 4 + 1);
    scan(&f.text, lang, |kind, s, e, key| {
        let (start, end) = f.original_range(s, e);
        out.push(Token {
            kind,
            key: key.to_string(),
            start,
            end,
        });
    });
    out
}

/// The kind and key of every token of `text`, in order, without building
/// [`Token`]s: the allocation-free path the fuzzy index takes for millions
/// of segments. Gives exactly the keys [`tokenize`] gives.
pub fn for_each_key(text: &str, lang: &Lang, f: impl FnMut(TokenKind, &str)) {
    KeyScanner::default().keys(text, lang, f);
}

/// [`for_each_key`] with its buffers kept between calls.
#[derive(Debug, Default)]
pub struct KeyScanner {
    folded: String,
    chars: Vec<char>,
    key: String,
}

impl KeyScanner {
    pub fn keys(&mut self, text: &str, lang: &Lang, mut f: impl FnMut(TokenKind, &str)) {
        Folded::fold_into(text, &mut self.folded);
        self.chars.clear();
        self.chars.extend(self.folded.chars());
        scan_chars(&self.chars, lang, &mut self.key, |kind, _, _, key| {
            f(kind, key)
        });
    }
}

/// The tokeniser proper, over folded text: `emit(kind, start, end, key)`
/// with offsets in characters of the folded text.
fn scan(folded: &str, lang: &Lang, emit: impl FnMut(TokenKind, usize, usize, &str)) {
    let chars: Vec<char> = folded.chars().collect();
    let mut key = String::with_capacity(32);
    scan_chars(&chars, lang, &mut key, emit);
}

fn scan_chars(
    chars: &[char],
    lang: &Lang,
    key: &mut String,
    mut emit: impl FnMut(TokenKind, usize, usize, &str),
) {
    let profile = lang.profile();
    let possessive = profile.possessive_s;
    let suffixes = profile.ordinals.suffixes;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == ' ' {
            i += 1;
            continue;
        }
        key.clear();
        if let Some((len, kind)) = special(&chars[i..]) {
            let end = with_marks(chars, i + len);
            key.extend(&chars[i..end]);
            emit(kind, i, end, key);
            i = end;
            continue;
        }
        if is_han(c) || is_kana(c) {
            let end = with_marks(chars, i + 1);
            key.extend(&chars[i..end]);
            emit(TokenKind::Han, i, end, key);
            i = end;
            continue;
        }
        if c.is_ascii_digit() || (!c.is_ascii() && c.is_numeric() && !c.is_alphabetic()) {
            let s = i;
            i += 1;
            while i < chars.len() {
                if chars[i].is_ascii_digit() {
                    i += 1;
                } else if matches!(chars[i], '.' | ',')
                    && i + 1 < chars.len()
                    && chars[i + 1].is_ascii_digit()
                {
                    i += 2;
                } else {
                    break;
                }
            }
            // ordinals: 8th, 21st, 2nd, 3rd
            if let Some(n) = crate::numbers::ordinal_suffix_len(&chars[i..], suffixes, is_word_char)
            {
                i += n;
            }
            if i < chars.len() && is_word_char(chars[i]) && !is_han(chars[i]) {
                // 2d, 3x, 64bit: an alphanumeric word.
                while i < chars.len() && is_word_char(chars[i]) && !is_han(chars[i]) {
                    i += 1;
                }
                key.extend(&chars[s..i]);
                emit(TokenKind::Word, s, i, key);
            } else {
                key.extend(&chars[s..i]);
                emit(TokenKind::Number, s, i, key);
            }
            continue;
        }
        if is_word_char(c) {
            let s = i;
            i += 1;
            loop {
                while i < chars.len() && is_word_char(chars[i]) && !is_han(chars[i]) {
                    i += 1;
                }
                // apostrophe inside a word
                if i + 1 < chars.len() && is_apostrophe(chars[i]) && chars[i + 1].is_alphabetic() {
                    if possessive
                        && chars[i + 1] == 's'
                        && (i + 2 == chars.len() || !is_word_char(chars[i + 2]))
                    {
                        break; // possessive: own token below
                    }
                    i += 1;
                    continue;
                }
                break;
            }
            key.extend(
                chars[s..i]
                    .iter()
                    .map(|&c| if is_apostrophe(c) { '\'' } else { c }),
            );
            emit(TokenKind::Word, s, i, key);
            if possessive && i < chars.len() && is_apostrophe(chars[i]) {
                let possessive_s = i + 1 < chars.len()
                    && chars[i + 1] == 's'
                    && (i + 2 == chars.len() || !is_word_char(chars[i + 2]));
                let plural_possessive =
                    chars[i - 1] == 's' && (i + 1 == chars.len() || !is_word_char(chars[i + 1]));
                if possessive_s {
                    emit(TokenKind::Word, i, i + 2, "'s");
                    i += 2;
                } else if plural_possessive {
                    emit(TokenKind::Word, i, i + 1, "'");
                    i += 1;
                }
            }
            continue;
        }
        let end = with_marks(chars, i + 1);
        key.extend(&chars[i..end]);
        emit(TokenKind::Punct, i, end, key);
        i = end;
    }
}

/// `i` moved past the combining marks at it: a token that is not a word
/// (where marks belong anyway) keeps the marks of its last character, so
/// that no token starts inside a character and its marks (which share one
/// offset in the original: see [`Folded`]).
fn with_marks(chars: &[char], mut i: usize) -> usize {
    while i < chars.len() && is_mark(chars[i]) {
        i += 1;
    }
    i
}

fn is_word_char(c: char) -> bool {
    // fast paths: ASCII and lower-case Cyrillic (folded Russian text)
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '_';
    }
    if ('\u{0430}'..='\u{044F}').contains(&c) {
        return true;
    }
    c.is_alphanumeric() || is_mark(c)
}

fn is_mark(c: char) -> bool {
    unicode_normalization::char::is_combining_mark(c)
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}')
}

/// Placeholders and inline markup at the start of `s`: (length, kind).
fn special(s: &[char]) -> Option<(usize, TokenKind)> {
    match s[0] {
        '%' => printf(s).map(|n| (n, TokenKind::Placeholder)),
        '{' => {
            // {0} {1,number} {name} {{x}}: the name ends at the first
            // character that cannot be in one (the look-ahead stops there,
            // so that a run of `{` costs one step each)
            let inner =
                |c: char| c.is_alphanumeric() || matches!(c, '_' | '.' | ',' | ':' | '#' | '-');
            let end = 1 + s[1..].iter().take(47).position(|&c| !inner(c))?;
            let ok = s[end] == '}' && end > 1 && (s[1].is_ascii_alphanumeric() || s[1] == '_');
            ok.then_some((end + 1, TokenKind::Placeholder))
        }
        '$' if s.len() > 1 => {
            if s[1] == '{' {
                let end = s.iter().take(64).position(|&c| c == '}')?;
                (end > 2).then_some((end + 1, TokenKind::Placeholder))
            } else if s[1].is_ascii_alphabetic() || s[1] == '_' {
                let n = 1 + s[1..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
                    .count();
                Some((n, TokenKind::Placeholder))
            } else {
                None
            }
        }
        '<' if s.len() > 2 => {
            let body_start = if s[1] == '/' { 2 } else { 1 };
            if !s.get(body_start).is_some_and(|c| c.is_ascii_alphabetic()) {
                return None;
            }
            // the first `>`, with no `<` before it (a run of `<b` costs
            // one step each, not a look-ahead of 256)
            let end = 1 + s[1..]
                .iter()
                .take(255)
                .position(|&c| c == '>' || c == '<')?;
            (s[end] == '>').then_some((end + 1, TokenKind::Tag))
        }
        '&' if s.len() > 2 => {
            let end = s.iter().take(12).position(|&c| c == ';')?;
            let inner = &s[1..end];
            let named = !inner.is_empty() && inner.iter().all(|c| c.is_ascii_alphabetic());
            let numeric = inner.len() > 1
                && inner[0] == '#'
                && inner[1..]
                    .iter()
                    .all(|c| c.is_ascii_hexdigit() || *c == 'x');
            (named || numeric).then_some((end + 1, TokenKind::Placeholder))
        }
        '\\' if s.len() > 1 && matches!(s[1], 'n' | 't' | 'r' | '"' | '\\' | '\'') => {
            Some((2, TokenKind::Placeholder))
        }
        _ => None,
    }
}

/// printf conversions: `%s`, `%d`, `%1$s`, `%-10.3f`, `%lu`, `%(name)s`, `%%`.
fn printf(s: &[char]) -> Option<usize> {
    let mut i = 1;
    let at = |i: usize| s.get(i).copied();
    if at(i) == Some('%') {
        return Some(2);
    }
    if at(i) == Some('(') {
        let close = s.iter().take(40).position(|&c| c == ')')?;
        i = close + 1;
    } else {
        let d = s[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if d > 0 && at(i + d) == Some('$') {
            i += d + 1;
        }
    }
    while matches!(at(i), Some('-' | '+' | ' ' | '#' | '0' | '\'')) {
        // a space flag only directly before a digit or conversion
        if at(i) == Some(' ') && !at(i + 1).is_some_and(|c| c.is_ascii_digit()) {
            return None;
        }
        i += 1;
    }
    if at(i) == Some('*') {
        i += 1;
    } else {
        i += s[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    }
    if at(i) == Some('.') {
        i += 1;
        if at(i) == Some('*') {
            i += 1;
        } else {
            i += s[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        }
    }
    while matches!(at(i), Some('h' | 'l' | 'L' | 'q' | 'j' | 'z' | 't')) {
        i += 1;
    }
    match at(i) {
        Some(
            'd' | 'i' | 'o' | 'u' | 'x' | 'X' | 'e' | 'E' | 'f' | 'F' | 'g' | 'G' | 'a' | 'A' | 'c'
            | 'C' | 's' | 'S' | 'p' | 'n' | '@',
        ) => {
            // "%d" yes; "50%of" no: the conversion must not run into a word
            // (a Chinese character after it is no word it runs into: `%d个`)
            let next = at(i + 1);
            if next.is_some_and(|c| c.is_alphabetic() && !is_han(c) && !is_kana(c)) && i == 1 {
                None
            } else {
                Some(i + 1)
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str, lang: &str) -> Vec<String> {
        tokenize(text, &Lang::parse(lang).unwrap())
            .into_iter()
            .map(|t| t.key)
            .collect()
    }

    fn kinds(text: &str, lang: &str) -> Vec<TokenKind> {
        tokenize(text, &Lang::parse(lang).unwrap())
            .into_iter()
            .map(|t| t.kind)
            .collect()
    }

    #[test]
    fn english_words_numbers_punctuation() {
        assert_eq!(
            keys("On 17 May 2018, Tianjin hosted the 8th Meeting.", "en"),
            [
                "on", "17", "may", "2018", ",", "tianjin", "hosted", "the", "8th", "meeting", "."
            ]
        );
        assert_eq!(keys("3.14 and 1,000", "en"), ["3.14", "and", "1,000"]);
        assert_eq!(keys("don't stop", "en"), ["don't", "stop"]);
    }

    #[test]
    fn english_possessives_split() {
        assert_eq!(
            keys("the People's Republic", "en"),
            ["the", "people", "'s", "republic"]
        );
        assert_eq!(
            keys("the SCO Member States’ agencies", "en"),
            ["the", "sco", "member", "states", "'", "agencies"]
        );
    }

    #[test]
    fn russian_words_and_hyphens() {
        assert_eq!(
            keys("Государств-членов ШОС, 8-е совещание", "ru"),
            [
                "государств",
                "-",
                "членов",
                "шос",
                ",",
                "8",
                "-",
                "е",
                "совещание"
            ]
        );
        assert_eq!(keys("Ёж", "ru"), ["еж"]);
    }

    #[test]
    fn chinese_han_per_character_latin_runs_whole() {
        assert_eq!(
            keys("2018年上合组织SCO会议。", "zh"),
            [
                "2018", "年", "上", "合", "组", "织", "sco", "会", "议", "。"
            ]
        );
        // full-width digits and punctuation fold
        assert_eq!(keys("２０１８年，", "zh"), ["2018", "年", ","]);
        assert_eq!(kinds("上合", "zh"), [TokenKind::Han, TokenKind::Han]);
    }

    #[test]
    fn placeholders_are_single_tokens() {
        assert_eq!(
            keys("Delete %s files? %1$d of %(count)d {0} ${HOME}\\n", "en"),
            [
                "delete",
                "%s",
                "files",
                "?",
                "%1$d",
                "of",
                "%(count)d",
                "{0}",
                "${home}",
                "\\n"
            ]
        );
        assert_eq!(kinds("%s", "en"), [TokenKind::Placeholder]);
        assert_eq!(keys("50% of", "en"), ["50", "%", "of"]);
        assert_eq!(keys("块%d中", "zh"), ["块", "%d", "中"]);
        assert_eq!(keys("100%", "en"), ["100", "%"]);
        assert_eq!(
            keys("Save <b>now</b>", "en"),
            ["save", "<b>", "now", "</b>"]
        );
        assert_eq!(kinds("<ph x=\"1\"/>", "en"), [TokenKind::Tag]);
        assert_eq!(keys("a < b > c", "en"), ["a", "<", "b", ">", "c"]);
        assert_eq!(keys("Tom &amp; Jerry", "en"), ["tom", "&amp;", "jerry"]);
    }

    #[test]
    fn offsets_are_characters_of_the_original() {
        let text = "Министерство  ＭＶＤ";
        let t = tokenize(text, &Lang::ru());
        assert_eq!((t[0].start, t[0].end), (0, 12));
        assert_eq!((t[1].start, t[1].end), (14, 17));
        let chars: Vec<char> = text.chars().collect();
        let s: String = chars[t[1].start..t[1].end].iter().collect();
        assert_eq!(s, "ＭＶＤ");
        assert_eq!(t[1].key, "mvd");
    }

    #[test]
    fn combining_marks_stay_with_the_character_before() {
        // A mark after a Han character, a punctuation mark or a placeholder
        // began a token of its own that overlapped the one before.
        for (text, want) in [
            ("上\u{301}海", vec![(0, 2), (2, 3)]),
            ("a.\u{316}b", vec![(0, 1), (1, 3), (3, 4)]),
            ("\u{FFFD}\u{316}？", vec![(0, 2), (2, 3)]),
            ("{0}\u{301}", vec![(0, 4)]),
        ] {
            let spans: Vec<(usize, usize)> = tokenize(text, &Lang::zh())
                .iter()
                .map(|t| (t.start, t.end))
                .collect();
            assert_eq!(spans, want, "{text:?}");
        }
        assert_eq!(keys("上\u{301}海", "zh"), ["上\u{301}", "海"]);
    }

    #[test]
    fn for_each_key_gives_the_same_keys() {
        for (text, lang) in [
            (
                "On 17 May 2018, the SCO's 8th Meeting — don't stop; %s {0} <b>x</b>",
                "en",
            ),
            ("Министерство  внутренних дел, 8-е совещание ＭＶＤ", "ru"),
            ("2018年上合组织SCO会议。", "zh"),
            ("Die Übersetzung, 2019.", "de"),
        ] {
            let lang = Lang::parse(lang).unwrap();
            let mut got = Vec::new();
            for_each_key(text, &lang, |k, key| got.push((k, key.to_string())));
            let want: Vec<_> = tokenize(text, &lang)
                .into_iter()
                .map(|t| (t.kind, t.key))
                .collect();
            assert_eq!(got, want);
        }
    }

    /// Long runs of one thing: the tokens are what a short run gives, one
    /// after the other.
    #[test]
    fn long_runs() {
        let en = Lang::en();
        let counts = |text: &str| -> Vec<(TokenKind, usize)> {
            let mut out: Vec<(TokenKind, usize)> = Vec::new();
            for t in tokenize(text, &en) {
                match out.last_mut() {
                    Some((k, n)) if *k == t.kind => *n += 1,
                    _ => out.push((t.kind, 1)),
                }
            }
            out
        };
        use TokenKind::*;
        let n = 50_000;
        for (unit, kind) in [
            (".", Punct),
            ("…", Punct),
            ("。", Punct),
            ("\"", Punct),
            ("(", Punct),
            ("上", Han),
            ("<b>", Tag),
            ("&amp;", Placeholder),
            ("%s", Placeholder),
            ("{0}", Placeholder),
        ] {
            assert_eq!(counts(&unit.repeat(n)), [(kind, n)], "{unit}");
        }
        assert_eq!(counts(&"?!".repeat(n)), [(Punct, 2 * n)]);
        // unclosed markup is punctuation and words
        assert_eq!(counts(&"<b".repeat(n)).len(), 2 * n);
        assert_eq!(
            counts(&"{".repeat(n)),
            [(Punct, n)],
            "a run of braces is no placeholder"
        );
        assert_eq!(counts(&"{0".repeat(n)).len(), 2 * n);
        // one number, one word
        assert_eq!(counts(&"7".repeat(150_000)), [(Number, 1)]);
        assert_eq!(counts(&"1.".repeat(n)), [(Number, 1), (Punct, 1)]);
        assert_eq!(counts(&"a".repeat(150_000)), [(Word, 1)]);
        assert_eq!(counts(&"Republic ".repeat(n)), [(Word, n)]);
        assert!(counts(&" \n".repeat(n)).is_empty());
        // a letter with 50,000 combining marks is one word of one cluster
        let marked = format!("e{}", "\u{301}".repeat(n));
        let t = tokenize(&marked, &en);
        assert_eq!((t.len(), t[0].start, t[0].end), (1, 0, n + 1));
    }

    #[test]
    fn chinese_words_by_dictionary() {
        assert_eq!(han_words("修补修补"), ["修补", "修补"]);
        assert_eq!(han_words("多字符字符串"), ["多", "字符", "字符串"]);
    }

    #[test]
    fn generic_language() {
        assert_eq!(
            keys("Die Übersetzung, 2019.", "de"),
            ["die", "übersetzung", ",", "2019", "."]
        );
    }
}

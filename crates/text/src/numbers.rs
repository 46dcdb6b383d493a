//! Numbers in running text, one module for every reader of them (the
//! aligner, fuzzy repairs, and checks to come):
//!
//! - digits: ASCII and full-width ([`digit_value`]);
//! - numbers written with digits, read by the conventions of one language
//!   ([`read`]: `1,000.5` in English, `1 000,5` in Russian, from the
//!   profile's [`NumberFormat`]) or of any language when it is not known
//!   which ([`canonical`]: `1,500` = `1 500` = `1500`, `3.5` = `3,5`), and
//!   written back with the same grouping ([`group_digits`]);
//! - number words that multiply (`million`, `млн`, `万`: [`multiplier`],
//!   [`scale`]), listed in the profiles;
//! - Chinese numerals, everyday (`二〇一八`, `三百二十`, `五万`, `三亿`) and
//!   financial (`壹佰贰拾`), read with checked arithmetic (a run of
//!   numerals never overflows) and written ([`parse_han`], [`chinese`],
//!   [`to_han`]);
//! - ordinals: `8th` (suffixes from the profile), `8-е` (hyphen endings
//!   from the profile), `第八`, `第8次` ([`ordinal`]);
//! - numbers written as words, in the forms the profile's table lists
//!   (`eight`, `twenty-first`, `восьмое`, `восьми`): read ([`read_word`],
//!   found standing alone in a text by [`number_words`]) and written in
//!   the form of another ([`write_word`]).
//!
//! Dates (`17 May 2018`, `17 мая 2018 года`, `2018年5月17日`) are in
//! [`crate::dates`].

use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

use crate::lang::Lang;
use crate::lang::profile::{NumberFormat, NumberWords, Profile};
use crate::tokenize::{Token, TokenKind};

// ---------------------------------------------------------------------------
// Digits

/// The value of an ASCII or full-width digit.
pub fn digit_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// Numbers written with digits

/// A number read from digits: its integer digits (no grouping, no leading
/// zeros) and its fraction digits (as written).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Decimal {
    pub int: String,
    pub frac: String,
}

impl Decimal {
    /// From integer and fraction digits; leading zeros of the integer part
    /// are dropped (`007` is 7).
    pub fn new(int: &str, frac: &str) -> Decimal {
        let int = int.trim_start_matches('0');
        Decimal {
            int: if int.is_empty() { "0" } else { int }.to_string(),
            frac: frac.to_string(),
        }
    }

    /// One spelling for equal values: `1500`, `3.5` (no trailing zeros).
    pub fn canonical(&self) -> String {
        let frac = self.frac.trim_end_matches('0');
        if frac.is_empty() {
            self.int.clone()
        } else {
            format!("{}.{frac}", self.int)
        }
    }
}

/// What a number token says, by the conventions of one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reading {
    Number(Decimal),
    /// Number-like with no clear reading (`17.05.2018`, `1.2.3`): the text
    /// without its ordinal suffix.
    Unclear(String),
}

/// Read a number token (folded: ASCII digits, `.` and `,`, perhaps an
/// ordinal suffix) by the conventions of `profile`: the decimal mark, and
/// the groups of three digits it separates by its group mark.
pub fn read(key: &str, profile: &Profile) -> Reading {
    let s = strip_ordinal_suffix(key, profile);
    if s.is_empty()
        || !s
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return Reading::Unclear(s.to_string());
    }
    let NumberFormat { decimal, group, .. } = profile.numbers;
    let unclear = || Reading::Unclear(s.to_string());
    let (int, frac) = match s.split_once(decimal) {
        Some((a, b)) if b.chars().all(|c| c.is_ascii_digit()) => (a, b),
        Some(_) => return unclear(),
        None => (s, ""),
    };
    if int.chars().all(|c| c.is_ascii_digit()) {
        return Reading::Number(Decimal::new(int, frac));
    }
    let Some(g) = group else {
        return unclear();
    };
    let parts: Vec<&str> = int.split(g).collect();
    let groups_ok = parts.first().is_some_and(|p| (1..=3).contains(&p.len()))
        && parts[1..].iter().all(|p| p.len() == 3)
        && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit()));
    if !groups_ok {
        return unclear();
    }
    Reading::Number(Decimal::new(&parts.concat(), frac))
}

/// `key` without the ordinal suffix the profile glues to numbers (`8th`).
fn strip_ordinal_suffix<'a>(key: &'a str, profile: &Profile) -> &'a str {
    profile
        .ordinals
        .suffixes
        .iter()
        .find_map(|suf| key.strip_suffix(suf))
        .unwrap_or(key)
}

/// The canonical spelling of a decimal number written with ASCII digits
/// and `.`/`,` separators (already width-folded), whatever the language's
/// conventions: `"1,500"` → `"1500"`, `"3,5"` → `"3.5"`, `"007"` → `"7"`,
/// `"8th"` → `"8"`. `None` when it is not a number.
pub fn canonical(s: &str) -> Option<String> {
    let s = s
        .trim_end_matches(|c: char| c.is_alphabetic())
        .trim_end_matches(['.', ',']);
    if s.is_empty() || !s.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    if !s
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return None;
    }
    let groups: Vec<&str> = s.split([',', '.']).collect();
    let seps: Vec<char> = s.chars().filter(|c| *c == '.' || *c == ',').collect();
    let (int, frac): (String, String) = if seps.is_empty() {
        (s.to_string(), String::new())
    } else if groups[1..].iter().all(|g| g.len() == 3)
        && groups[0].len() <= 3
        && (seps.len() > 1 || seps[0] == ',')
        && seps.iter().all(|&c| c == seps[0])
    {
        // thousands separators: 1,500  1,000,000  1.000.000
        (groups.concat(), String::new())
    } else if seps.len() == 1 {
        // decimal: 3.5  3,5
        (groups[0].to_string(), groups[1].to_string())
    } else {
        // 1,500.25 or 1.500,25: the last separator is the decimal one
        let last = s.rfind(['.', ',']).unwrap_or(0);
        let int: String = s[..last].chars().filter(|c| c.is_ascii_digit()).collect();
        (int, s[last + 1..].to_string())
    };
    Some(Decimal::new(&int, &frac).canonical())
}

/// Integer digits with `sep` between groups of three (`1234567` →
/// `1,234,567`, `2500` → `2,500`); three digits or fewer stay as they are.
pub fn group_digits(digits: &str, sep: char) -> String {
    if digits.len() <= 3 {
        return digits.to_string();
    }
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    let first = digits.len() % 3;
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (i + 3 - first).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// Multiply a canonical number by 10^k (for `万`, `million` ...).
pub fn scale(canon: &str, pow10: u32) -> Option<String> {
    let (int, frac) = canon.split_once('.').unwrap_or((canon, ""));
    let mut digits = format!("{int}{frac}");
    let point = int.len() + pow10 as usize;
    while digits.len() < point {
        digits.push('0');
    }
    let (i, f) = digits.split_at(point);
    let i = i.trim_start_matches('0');
    let f = f.trim_end_matches('0');
    if i.len() > 30 {
        return None;
    }
    let i = if i.is_empty() { "0" } else { i };
    Some(if f.is_empty() {
        i.to_string()
    } else {
        format!("{i}.{f}")
    })
}

/// The number words of every profile.
static MULTIPLIERS: LazyLock<HashMap<&'static str, u32>> = LazyLock::new(|| {
    crate::lang::profiles()
        .flat_map(|p| p.multipliers.iter().copied())
        .collect()
});

/// A power of ten named by a word after a number, in any language (a
/// number word of another language in a text is still one): `million` →
/// 6, `млн` → 6, `万` → 4.
pub fn multiplier(word: &str) -> Option<u32> {
    MULTIPLIERS.get(word).copied()
}

// ---------------------------------------------------------------------------
// Numbers written as words

/// A number written as a word (`eight`, `восьмое`, `twenty-first`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberWord {
    pub value: u64,
    pub ordinal: bool,
    /// The slots of the profile's table whose form the word has (several
    /// where forms coincide: `восьми` is genitive, dative and
    /// prepositional).
    pub slots: Vec<usize>,
}

/// A table form compared with a folded word (`трёх` with `трех`).
fn folds_to(form: &str, folded: &str) -> bool {
    // ё and е are two bytes each
    form.len() == folded.len()
        && form
            .chars()
            .map(|c| if c == 'ё' { 'е' } else { c })
            .eq(folded.chars())
}

/// Read a folded word as a number word of `words`: one of the forms of
/// the tables, or tens and units joined by a hyphen where the language
/// writes them so (`twenty-one`).
pub fn read_word(folded: &str, words: &NumberWords) -> Option<NumberWord> {
    if let Some(w) = read_one(folded, words) {
        return Some(w);
    }
    let (tens, unit) = folded.split_once('-').filter(|_| words.hyphen_compounds)?;
    let t = read_one(tens, words)?;
    let u = read_one(unit, words)?;
    let compound = !t.ordinal && (20..=90).contains(&t.value) && t.value % 10 == 0;
    (compound && (1..=9).contains(&u.value)).then(|| NumberWord {
        value: t.value + u.value,
        ..u
    })
}

/// The forms of the number words of every profile, folded: a word is read
/// by one look-up instead of a walk through its profile's tables.
static WORD_INDEX: LazyLock<HashMap<usize, HashMap<String, NumberWord>>> = LazyLock::new(|| {
    let fold = |s: String| s.replace('ё', "е");
    crate::lang::profiles()
        .filter_map(|p| p.number_words)
        .map(|words| {
            let cardinals = words.cardinals.iter().flat_map(|c| c.1.iter());
            let ordinals = words.ordinals.iter().flat_map(|&(_, stem, d)| {
                let endings = words.ordinal_endings.get(d).copied().unwrap_or_default();
                endings.iter().map(move |e| format!("{stem}{e}"))
            });
            let forms = cardinals.map(|f| f.to_string()).chain(ordinals).map(fold);
            let index = forms
                .filter_map(|f| Some((f.clone(), scan_tables(&f, words)?)))
                .collect();
            (std::ptr::from_ref(words) as usize, index)
        })
        .collect()
});

fn read_one(folded: &str, words: &NumberWords) -> Option<NumberWord> {
    match WORD_INDEX.get(&(std::ptr::from_ref(words) as usize)) {
        Some(index) => index.get(folded).cloned(),
        None => scan_tables(folded, words),
    }
}

fn scan_tables(folded: &str, words: &NumberWords) -> Option<NumberWord> {
    // the word of `value` in the slots whose form `folded` is, if any
    let word = |value, ordinal, same: &mut dyn Iterator<Item = bool>| {
        let slots: Vec<usize> = same.enumerate().filter(|x| x.1).map(|x| x.0).collect();
        (!slots.is_empty()).then_some(NumberWord {
            value,
            ordinal,
            slots,
        })
    };
    let cardinal = words.cardinals.iter().find_map(|&(value, forms)| {
        word(value, false, &mut forms.iter().map(|f| folds_to(f, folded)))
    });
    cardinal.or_else(|| {
        words
            .ordinals
            .iter()
            .find_map(|&(value, stem, declension)| {
                let rest = strip_folded(folded, stem)?;
                let endings = words.ordinal_endings.get(declension)?;
                word(value, true, &mut endings.iter().map(|e| folds_to(e, rest)))
            })
    })
}

/// The rest of a folded word after a table stem (`восьм` of `восьмое`).
fn strip_folded<'a>(folded: &'a str, stem: &str) -> Option<&'a str> {
    let mut rest = folded.chars();
    for c in stem.chars() {
        let c = if c == 'ё' { 'е' } else { c };
        if rest.next() != Some(c) {
            return None;
        }
    }
    Some(rest.as_str())
}

/// `value` written as a number word of `words` in each of `slots` (the
/// slots of the word it takes the place of): `None` when the tables cannot
/// write it, or when the slots give different words (`восьмой`, masculine
/// nominative or feminine oblique, is `девятый` or `девятой`).
pub fn write_word(
    value: u64,
    ordinal: bool,
    slots: &[usize],
    words: &NumberWords,
) -> Option<String> {
    let mut out: Option<String> = None;
    for &slot in slots {
        let w = write_in(value, ordinal, slot, words)?;
        if out.as_ref().is_some_and(|o| *o != w) {
            return None;
        }
        out = Some(w);
    }
    out
}

fn write_in(value: u64, ordinal: bool, slot: usize, words: &NumberWords) -> Option<String> {
    let one = |v: u64, ordinal: bool, slot: usize| -> Option<String> {
        if ordinal {
            let &(_, stem, d) = words.ordinals.iter().find(|o| o.0 == v)?;
            Some(format!(
                "{stem}{}",
                words.ordinal_endings.get(d)?.get(slot)?
            ))
        } else {
            let (_, forms) = words.cardinals.iter().find(|c| c.0 == v)?;
            forms.get(slot).map(|f| f.to_string())
        }
    };
    if let Some(w) = one(value, ordinal, slot) {
        return Some(w);
    }
    if words.hyphen_compounds && (21..100).contains(&value) {
        return Some(format!(
            "{}-{}",
            one(value - value % 10, false, 0)?,
            one(value % 10, ordinal, slot)?
        ));
    }
    None
}

/// A number word found in a tokenised text: characters `start..end`,
/// tokens `tokens`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordSpan {
    pub start: usize,
    pub end: usize,
    pub tokens: Range<usize>,
    pub word: NumberWord,
}

/// The number words of a text (its tokens, in `profile`'s language) that
/// stand alone: a word next to digits, another number word, a multiplier
/// or another word of numbers (`twenty five`, `5 million`, `two hundred`,
/// `hundred and five`, `двух-трёх`) is part of a longer number and left
/// out.
pub fn number_words(tokens: &[Token], profile: &Profile) -> Vec<WordSpan> {
    let Some(words) = profile.number_words else {
        return Vec::new();
    };
    // each word read once
    let read: Vec<Option<NumberWord>> = tokens
        .iter()
        .map(|t| (t.kind == TokenKind::Word).then(|| read_one(&t.key, words))?)
        .collect();
    // words that never stand alone as a number (hundred, тысяча, million)
    let bound = |t: &Token| {
        t.kind == TokenKind::Word
            && (words.others.contains(&t.key.as_str()) || multiplier(&t.key).is_some())
    };
    let part = |k: usize| {
        let t = &tokens[k];
        t.kind == TokenKind::Number || bound(t) || read[k].is_some()
    };
    // a hyphen glued to the tokens on both sides of it
    let glued_hyphen = |k: usize| {
        tokens[k].key == "-"
            && k > 0
            && tokens[k - 1].end == tokens[k].start
            && tokens.get(k + 1).is_some_and(|n| n.start == tokens[k].end)
    };
    // is the token at `k`, beside a number word, part of the same number?
    // Across a glued hyphen any part is (двух-трёх); across a joiner only a
    // word that never stands alone (hundred and five, not five and ten)
    let beside = |k: Option<usize>, back: bool| -> bool {
        let Some(k) = k.filter(|&k| k < tokens.len()) else {
            return false;
        };
        let far = if back { k.checked_sub(1) } else { Some(k + 1) };
        let far = far.filter(|&j| j < tokens.len());
        if glued_hyphen(k) {
            far.is_some_and(part)
        } else if words.joiners.contains(&tokens[k].key.as_str()) {
            far.is_some_and(|j| bound(&tokens[j]))
        } else {
            part(k)
        }
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if tokens[i].kind != TokenKind::Word {
            i += 1;
            continue;
        }
        let mut end = i + 1;
        let mut word = None;
        if words.hyphen_compounds && i + 2 < tokens.len() && glued_hyphen(i + 1) {
            word = read_word(&format!("{}-{}", tokens[i].key, tokens[i + 2].key), words);
            if word.is_some() {
                end = i + 3;
            }
        }
        let Some(word) = word.or_else(|| read[i].clone()) else {
            i += 1;
            continue;
        };
        if !beside(i.checked_sub(1), true) && !beside(Some(end), false) {
            out.push(WordSpan {
                start: tokens[i].start,
                end: tokens[end - 1].end,
                tokens: i..end,
                word,
            });
        }
        i = end;
    }
    out
}

// ---------------------------------------------------------------------------
// Chinese numerals

/// The Chinese ordinal prefix: `第八` is "the eighth".
pub const HAN_ORDINAL: char = '第';

/// The digits, everyday forms, for writing.
const HAN_DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// The value of a Chinese digit, everyday (`八`), financial (`捌`) or
/// traditional (`兩`).
pub fn han_digit(c: char) -> Option<u64> {
    Some(match c {
        '〇' | '零' => 0,
        '一' | '壹' => 1,
        '二' | '两' | '兩' | '贰' | '貳' => 2,
        '三' | '叁' | '參' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' | '陸' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

/// Tens, hundreds, thousands (inside a section of four digits).
fn han_unit(c: char) -> Option<u64> {
    Some(match c {
        '十' | '拾' => 10,
        '百' | '佰' => 100,
        '千' | '仟' => 1000,
        _ => return None,
    })
}

/// Ten thousand and a hundred million: they close a section.
fn han_section(c: char) -> Option<u64> {
    Some(match c {
        '万' | '萬' => 10_000,
        '亿' | '億' => 100_000_000,
        _ => return None,
    })
}

/// Any character of a Chinese numeral that [`parse_han`] reads.
pub fn is_numeral_char(c: char) -> bool {
    han_digit(c).is_some() || han_unit(c).is_some() || han_section(c).is_some()
}

/// A numeral character in everyday writing: what a scan of running text
/// looks for. The financial forms (`壹`, `陆` ...) are left out: they are
/// also ordinary words (`陆` land, `伍` ranks), and a repair would have to
/// write them back alike.
pub fn is_everyday_numeral(c: char) -> bool {
    matches!(
        c,
        '〇' | '零'
            | '一'
            | '二'
            | '两'
            | '三'
            | '四'
            | '五'
            | '六'
            | '七'
            | '八'
            | '九'
            | '十'
            | '百'
            | '千'
            | '万'
            | '亿'
    )
}

/// The value of a run of Chinese numerals, and whether it is read digit
/// by digit (`二〇一八`: two digits or more, no `两`). `十五` is 15,
/// `三百二十` 320, `一百零五` 105, `五万` 50000, `三亿五千万` 350000000.
/// `None` for any other character, or a value beyond `u64`.
pub fn parse_han(run: &[char]) -> Option<(u64, bool)> {
    if run.is_empty() {
        return None;
    }
    if run.iter().all(|&c| han_digit(c).is_some()) {
        if run.len() == 1 {
            return han_digit(run[0]).map(|d| (d, false));
        }
        if !run.iter().any(|&c| matches!(c, '两' | '兩')) {
            let mut v: u64 = 0;
            for &c in run {
                v = v.checked_mul(10)?.checked_add(han_digit(c)?)?;
            }
            return Some((v, true));
        }
    }
    let mut total: u64 = 0; // finished 万/亿 sections
    let mut section: u64 = 0;
    let mut digit: Option<u64> = None;
    for &c in run {
        if let Some(d) = han_digit(c) {
            digit = Some(d);
        } else if let Some(u) = han_unit(c) {
            section = section.checked_add(digit.unwrap_or(1).checked_mul(u)?)?;
            digit = None;
        } else if let Some(m) = han_section(c) {
            let s = section.checked_add(digit.unwrap_or(0))?;
            total = total.checked_add(s.max(1).checked_mul(m)?)?;
            section = 0;
            digit = None;
        } else {
            return None;
        }
    }
    let v = total
        .checked_add(section)?
        .checked_add(digit.unwrap_or(0))?;
    Some((v, false))
}

/// The value of a Chinese numeral word: `二〇一八` → 2018, `十五` → 15,
/// `第八` → 8. `None` when the word is not (only) a numeral, or is a lone
/// `一` or `两` (usually a word, `一个人`, not a number).
pub fn chinese(word: &str) -> Option<u64> {
    let w = word.strip_prefix(HAN_ORDINAL).unwrap_or(word);
    let chars: Vec<char> = w.chars().collect();
    if chars.is_empty() || chars.len() > 16 {
        return None;
    }
    if chars.len() == 1 && matches!(chars[0], '一' | '两') {
        return None;
    }
    parse_han(&chars).map(|(v, _)| v)
}

/// A number below 100,000 in everyday Chinese numerals: 8 → 八, 12 → 十二,
/// 105 → 一百零五, 2019 → 二千零一十九.
pub fn to_han(n: u64) -> Option<String> {
    if n >= 100_000 {
        return None;
    }
    if n == 0 {
        return Some("零".into());
    }
    if (10..20).contains(&n) {
        let mut s = String::from("十");
        if n > 10 {
            s.push(HAN_DIGITS[(n - 10) as usize]);
        }
        return Some(s);
    }
    let units = [
        (10_000, '万'),
        (1000, '千'),
        (100, '百'),
        (10, '十'),
        (1, ' '),
    ];
    let mut s = String::new();
    let mut zero = false;
    for (u, name) in units {
        let d = (n / u) % 10;
        if d == 0 {
            zero = !s.is_empty();
            continue;
        }
        if zero {
            s.push('零');
            zero = false;
        }
        s.push(HAN_DIGITS[d as usize]);
        if u > 1 {
            s.push(name);
        }
    }
    Some(s)
}

/// `n` digit by digit (`2019` → `二〇一九`), with `zero` for 0 (`〇` or `零`).
pub fn to_han_digits(n: &str, zero: char) -> String {
    n.chars()
        .map(|c| match c.to_digit(10) {
            Some(0) | None => zero,
            Some(d) => HAN_DIGITS[d as usize],
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Ordinals

/// The length of an ordinal suffix (one of `suffixes`: `th` in `8th`)
/// glued to digits, at the start of `rest` (the text after the digits), in
/// any case, when no word character (`is_word`) follows it.
pub fn ordinal_suffix_len(
    rest: &[char],
    suffixes: &[&str],
    is_word: impl Fn(char) -> bool,
) -> Option<usize> {
    suffixes.iter().find_map(|suf| {
        let n = suf.chars().count();
        let glued = rest.len() >= n
            && suf
                .chars()
                .zip(rest)
                .all(|(a, b)| b.to_lowercase().eq(std::iter::once(a)))
            && rest.get(n).is_none_or(|&c| !is_word(c));
        glued.then_some(n)
    })
}

/// The value of an ordinal number written as one word: `8th`, `21st`
/// (suffixes of the profile), `8-е`, `3-го` (hyphen endings of the
/// profile), `第八`, `第8`, `第八次`, `第十二届` (Chinese, in any language:
/// a counter after it is allowed when the profile names it).
pub fn ordinal(word: &str, lang: &Lang) -> Option<u64> {
    let profile = lang.profile();
    let w = crate::fold(word);
    if let Some(rest) = w.strip_prefix(HAN_ORDINAL) {
        let chars: Vec<char> = rest.chars().collect();
        let mut n = chars.len();
        if n > 1
            && profile
                .han_numerals
                .is_some_and(|c| c.contains(chars[n - 1]))
        {
            n -= 1;
        }
        let num = &chars[..n];
        if num.iter().all(|c| c.is_ascii_digit()) && !num.is_empty() {
            // all digits: fails only past u64, which is no number here
            return num.iter().collect::<String>().parse().ok();
        }
        return parse_han(num).map(|(v, _)| v);
    }
    let digits = w.chars().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 {
        return None;
    }
    let (num, rest) = w.split_at(digits);
    let ords = &profile.ordinals;
    let suffixed = ords.suffixes.contains(&rest)
        || rest
            .strip_prefix('-')
            .is_some_and(|e| ords.hyphen_endings.contains(&e));
    if !suffixed {
        return None;
    }
    // all digits: fails only past the integer's range
    num.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(s: &str) -> Lang {
        Lang::parse(s).unwrap()
    }

    #[test]
    fn canonical_forms() {
        assert_eq!(canonical("2018").as_deref(), Some("2018"));
        assert_eq!(canonical("1,500").as_deref(), Some("1500"));
        assert_eq!(canonical("1,000,000").as_deref(), Some("1000000"));
        assert_eq!(canonical("3.5").as_deref(), Some("3.5"));
        assert_eq!(canonical("3,5").as_deref(), Some("3.5"));
        assert_eq!(canonical("3,50").as_deref(), Some("3.5"));
        assert_eq!(canonical("1,500.25").as_deref(), Some("1500.25"));
        assert_eq!(canonical("1.500,25").as_deref(), Some("1500.25"));
        assert_eq!(canonical("8th").as_deref(), Some("8"));
        assert_eq!(canonical("007").as_deref(), Some("7"));
        assert_eq!(canonical("0.5").as_deref(), Some("0.5"));
        assert_eq!(canonical("abc"), None);
        assert_eq!(canonical("1.2.3.4").as_deref(), Some("123.4"));
    }

    #[test]
    fn scaling() {
        assert_eq!(scale("150", 4).as_deref(), Some("1500000"));
        assert_eq!(scale("1.5", 6).as_deref(), Some("1500000"));
        assert_eq!(scale("0.25", 1).as_deref(), Some("2.5"));
        assert_eq!(multiplier("млн"), Some(6));
        assert_eq!(multiplier("million"), Some(6));
        assert_eq!(multiplier("亿"), Some(8));
        assert_eq!(multiplier("many"), None);
    }

    #[test]
    fn reading_by_the_language() {
        let num = |s: &str, l: &str| match read(s, lang(l).profile()) {
            Reading::Number(d) => format!("{}|{}", d.int, d.frac),
            Reading::Unclear(t) => format!("?{t}"),
        };
        assert_eq!(num("1,000.5", "en"), "1000|5");
        assert_eq!(num("8th", "en"), "8|");
        assert_eq!(num("007", "en"), "7|");
        assert_eq!(num("1,00", "en"), "?1,00");
        assert_eq!(num("1.5,3", "en"), "?1.5,3");
        assert_eq!(num("17.05.2018", "en"), "?17.05.2018");
        assert_eq!(num("3,5", "ru"), "3|5");
        assert_eq!(num("3.5", "ru"), "?3.5");
        assert_eq!(num("1,000", "ru"), "1|000");
        assert_eq!(num("1,000", "de"), "1000|");
        assert_eq!(group_digits("2500", ','), "2,500");
        assert_eq!(group_digits("1234567", ' '), "1 234 567");
        assert_eq!(group_digits("500", ','), "500");
    }

    #[test]
    fn chinese_numerals() {
        assert_eq!(chinese("二〇一八"), Some(2018));
        assert_eq!(chinese("十五"), Some(15));
        assert_eq!(chinese("三百二十"), Some(320));
        assert_eq!(chinese("五万"), Some(50000));
        assert_eq!(chinese("第八"), Some(8));
        assert_eq!(chinese("十"), Some(10));
        assert_eq!(chinese("一"), None);
        assert_eq!(chinese("一百零五"), Some(105));
        assert_eq!(chinese("三亿五千万"), Some(350_000_000));
        assert_eq!(chinese("上合"), None);
        // financial and traditional forms
        assert_eq!(chinese("壹佰贰拾"), Some(120));
        assert_eq!(chinese("貳萬"), Some(20_000));
    }

    #[test]
    fn chinese_numeral_runs() {
        assert_eq!(parse_han(&['十', '二']), Some((12, false)));
        assert_eq!(parse_han(&['二', '十']), Some((20, false)));
        assert_eq!(parse_han(&['一', '百', '零', '五']), Some((105, false)));
        assert_eq!(
            parse_han(&['两', '千', '零', '一', '十', '九']),
            Some((2019, false))
        );
        assert_eq!(parse_han(&['二', '〇', '一', '八']), Some((2018, true)));
        for n in [
            0u64, 1, 8, 10, 11, 19, 20, 21, 99, 100, 101, 110, 999, 1000, 1001, 2019, 10_000,
            10_001, 99_999,
        ] {
            let s: Vec<char> = to_han(n).unwrap().chars().collect();
            assert_eq!(parse_han(&s).map(|x| x.0), Some(n), "{n}");
        }
        assert_eq!(to_han_digits("2019", '〇'), "二〇一九");
    }

    #[test]
    fn chinese_numerals_never_overflow() {
        let digits: Vec<char> = "九".repeat(40).chars().collect();
        assert_eq!(parse_han(&digits), None);
        let sections: Vec<char> = "九千亿".repeat(12).chars().collect();
        assert_eq!(parse_han(&sections), Some((12 * 900_000_000_000, false)));
        let units: Vec<char> = "九千".repeat(100_000).chars().collect();
        assert!(parse_han(&units).is_some());
    }

    #[test]
    fn number_words_read_and_written() {
        let en = &crate::lang::en::NUMBER_WORDS;
        let ru = &crate::lang::ru::NUMBER_WORDS;
        let read = |w: &str, words| read_word(w, words).map(|n| (n.value, n.ordinal, n.slots));
        assert_eq!(read("eight", en), Some((8, false, vec![0])));
        assert_eq!(read("ninth", en), Some((9, true, vec![0])));
        assert_eq!(read("twenty-first", en), Some((21, true, vec![0])));
        assert_eq!(read("twenty-twenty", en), None);
        assert_eq!(read("hundred", en), None);
        // Russian case forms: восьми is genitive, dative, prepositional
        assert_eq!(read("восьми", ru), Some((8, false, vec![2, 3, 5])));
        assert_eq!(read("трех", ru), Some((3, false, vec![2, 5])));
        assert_eq!(read("восьмое", ru), Some((8, true, vec![8])));
        assert_eq!(read("восьмой", ru), Some((8, true, vec![0, 6])));
        assert_eq!(read("третьей", ru), Some((3, true, vec![6])));
        assert_eq!(read("восьмерка", ru), None);
        let write = |v, ord, slots: &[usize], words| write_word(v, ord, slots, words);
        assert_eq!(write(9, true, &[8], ru).as_deref(), Some("девятое"));
        assert_eq!(write(9, false, &[2, 3, 5], ru).as_deref(), Some("девяти"));
        assert_eq!(write(3, true, &[6], ru).as_deref(), Some("третьей"));
        assert_eq!(write(2, true, &[0], ru).as_deref(), Some("второй"));
        // the slots of восьмой give девятый and девятой: not written
        assert_eq!(write(9, true, &[0, 6], ru), None);
        // the slots of пяти give двух, двум, двух
        assert_eq!(write(2, false, &[2, 3, 5], ru), None);
        assert_eq!(write(21, false, &[0], ru), None);
        assert_eq!(write(42, true, &[0], en).as_deref(), Some("forty-second"));
        assert_eq!(write(100, false, &[0], en), None);
    }

    #[test]
    fn number_words_indexed_as_scanned() {
        for p in crate::lang::profiles() {
            let Some(words) = p.number_words else {
                continue;
            };
            for (_, forms) in words.cardinals {
                for f in *forms {
                    let f = f.replace('ё', "е");
                    assert_eq!(read_one(&f, words), scan_tables(&f, words), "{f}");
                }
            }
            for w in ["eighth", "восьмое", "xyz", "", "третьему"] {
                assert_eq!(read_one(w, words), scan_tables(w, words), "{w}");
            }
        }
    }

    #[test]
    fn number_words_standing_alone() {
        let found = |text: &str, lang: &str| {
            let lang = Lang::parse(lang).unwrap();
            number_words(&crate::tokenize(text, &lang), lang.profile())
                .into_iter()
                .map(|w| (w.word.value, w.start, w.end))
                .collect::<Vec<_>>()
        };
        assert_eq!(found("the eighth meeting", "en"), [(8, 4, 10)]);
        assert_eq!(found("Twenty-first session", "en"), [(21, 0, 12)]);
        assert_eq!(
            found("between five and ten", "en"),
            [(5, 8, 12), (10, 17, 20)]
        );
        // parts of longer numbers
        for text in [
            "two hundred",
            "5 million",
            "one hundred and five",
            "twenty five",
        ] {
            assert_eq!(found(text, "en"), [], "{text}");
        }
        assert_eq!(found("восьмое совещание", "ru"), [(8, 0, 7)]);
        for text in ["двадцать восьмое", "двух-трёх", "пять тысяч", "восемь 8"]
        {
            assert_eq!(found(text, "ru"), [], "{text}");
        }
        assert_eq!(found("八次", "zh"), []);
    }

    #[test]
    fn ordinals() {
        assert_eq!(ordinal("8th", &lang("en")), Some(8));
        assert_eq!(ordinal("21st", &lang("en")), Some(21));
        assert_eq!(ordinal("8", &lang("en")), None);
        assert_eq!(ordinal("8-е", &lang("ru")), Some(8));
        assert_eq!(ordinal("3-го", &lang("ru")), Some(3));
        assert_eq!(ordinal("8th", &lang("ru")), None);
        assert_eq!(ordinal("第八", &lang("zh")), Some(8));
        assert_eq!(ordinal("第八次", &lang("zh")), Some(8));
        assert_eq!(ordinal("第十二届", &lang("zh")), Some(12));
        assert_eq!(ordinal("第8次", &lang("zh")), Some(8));
        assert_eq!(ordinal("第一天", &lang("zh")), Some(1));
        assert_eq!(ordinal("第二章", &lang("zh")), None);
    }
}

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
//!   from the profile), `第八`, `第8次` ([`ordinal`]).
//!
//! Dates (`17 May 2018`, `17 мая 2018 года`, `2018年5月17日`) are in
//! [`crate::dates`].

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::lang::Lang;
use crate::lang::profile::{NumberFormat, Profile};

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

//! Dates and month names in running text, by the calendar of the
//! language's profile ([`crate::lang::profile::Calendar`]):
//!
//! - month names in any of their forms: `May`, `Sept`, `мая`, `маем`
//!   ([`month_of_word`]), and a month in the form (slot) another one was
//!   written in ([`month_form`]);
//! - dates: `17 May 2018`, `May 17, 2018`, `17th May`, `May 2018`,
//!   `17 мая 2018 года`, `3-го мая`, `2018年5月17日`, `二〇一八年五月`,
//!   `5月17日` ([`find_dates`]).
//!
//! Numbers inside dates are read by [`crate::numbers`].

use crate::lang::Lang;
use crate::lang::profile::{Calendar, DateMarks};
use crate::numbers::{self, digit_value, is_everyday_numeral, parse_han};
use crate::tokenize::{Token, TokenKind, tokenize};

/// The month (1–12) a folded word names in `lang`, and the slot of the
/// form it is in.
pub fn month_of_word(folded: &str, lang: &Lang) -> Option<(u8, usize)> {
    let k = folded.strip_suffix('.').unwrap_or(folded);
    lang.profile().calendar.month(k)
}

/// Month `m` (1–12) of `lang` in `slot` (as [`month_of_word`] found the
/// old one), lower case.
pub fn month_form(lang: &Lang, m: u8, slot: usize) -> Option<&'static str> {
    lang.profile().calendar.month_form(m, slot)
}

/// A date found in a text; offsets in characters of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    pub start: usize,
    pub end: usize,
    pub year: Option<u32>,
    /// 1–12.
    pub month: u8,
    pub day: Option<u8>,
}

/// The dates of `text` written the way `lang` writes them: with a month
/// name (day before or after it, a year after), or with date marks
/// (`2018年5月17日`). A month without a day or a year is not a date.
pub fn find_dates(text: &str, lang: &Lang) -> Vec<Date> {
    let cal = lang.profile().calendar;
    let mut out = Vec::new();
    if !cal.months.is_empty() {
        named_dates(text, lang, cal, &mut out);
    }
    if let Some(marks) = cal.marks {
        marked_dates(text, marks, &mut out);
    }
    out
}

/// Dates with month names, over tokens: `DAY[.] MONTH[,] [YEAR [year
/// word[.]]]`, `MONTH DAY[,] [YEAR]`, `MONTH YEAR`. A day may carry an
/// ordinal suffix (`17th`) or hyphen ending (`17-го`).
fn named_dates(text: &str, lang: &Lang, cal: &Calendar, out: &mut Vec<Date>) {
    let toks = tokenize(text, lang);
    let month_at = |i: usize| -> Option<u8> {
        let t = toks.get(i).filter(|t| t.kind == TokenKind::Word)?;
        month_of_word(&t.key, lang).map(|(m, _)| m)
    };
    let punct = |i: usize, p: &str| toks.get(i).is_some_and(|t| t.key == p);
    let mut i = 0;
    while i < toks.len() {
        // DAY [.] MONTH
        if let Some((day, mut j)) = day_at(&toks, i, lang) {
            if punct(j, ".") {
                j += 1;
            }
            if let Some(month) = month_at(j) {
                let mut end = toks[j].end;
                j += 1;
                if punct(j, ",") && year_at(&toks, j + 1).is_some() {
                    j += 1;
                }
                let year = year_at(&toks, j);
                if year.is_some() {
                    end = toks[j].end;
                    j += 1;
                    if let Some(w) = toks.get(j)
                        && cal.year_words.contains(&w.key.as_str())
                    {
                        end = w.end;
                        j += 1;
                    }
                }
                out.push(Date {
                    start: toks[i].start,
                    end,
                    year,
                    month,
                    day: Some(day),
                });
                i = j;
                continue;
            }
        }
        // MONTH DAY[,] [YEAR] | MONTH YEAR
        if let Some(month) = month_at(i) {
            let mut j = i + 1;
            let mut date = Date {
                start: toks[i].start,
                end: toks[i].end,
                year: None,
                month,
                day: None,
            };
            if let Some((day, k)) = day_at(&toks, j, lang).filter(|_| year_at(&toks, j).is_none()) {
                date.day = Some(day);
                date.end = toks[k - 1].end;
                j = k;
                if punct(j, ",") && year_at(&toks, j + 1).is_some() {
                    j += 1;
                }
            }
            if let Some(y) = year_at(&toks, j) {
                date.year = Some(y);
                date.end = toks[j].end;
                j += 1;
            }
            if date.day.is_some() || date.year.is_some() {
                out.push(date);
                i = j;
                continue;
            }
        }
        i += 1;
    }
}

/// A day of the month at token `i` (`17`, `17th`, `17-го`): the day and the
/// token after it.
fn day_at(toks: &[Token], i: usize, lang: &Lang) -> Option<(u8, usize)> {
    let t = toks.get(i)?;
    if !matches!(t.kind, TokenKind::Number | TokenKind::Word) {
        return None;
    }
    let (value, next) = if t.key.chars().all(|c| c.is_ascii_digit()) {
        // 17, or 17-го
        let hyphened = toks
            .get(i + 1)
            .is_some_and(|h| h.key == "-" && h.start == t.end)
            && toks.get(i + 2).is_some_and(|e| {
                e.start == t.end + 1
                    && numbers::ordinal(&format!("{}-{}", t.key, e.key), lang).is_some()
            });
        (
            // (a number token too large for u32 is no day)
            t.key.parse::<u32>().ok()?,
            if hyphened { i + 3 } else { i + 1 },
        )
    } else {
        (numbers::ordinal(&t.key, lang)? as u32, i + 1)
    };
    (t.key.len() <= 4 && (1..=31).contains(&value)).then_some((value as u8, next))
}

/// A year at token `i`: four digits.
fn year_at(toks: &[Token], i: usize) -> Option<u32> {
    let t = toks.get(i).filter(|t| t.kind == TokenKind::Number)?;
    (t.key.len() == 4 && t.key.chars().all(|c| c.is_ascii_digit()))
        // four digits always parse
        .then(|| t.key.parse().ok())
        .flatten()
}

/// Dates with marks: `Y年M月D日`, `Y年M月`, `M月D日`, with digits or
/// Chinese numerals.
fn marked_dates(text: &str, marks: DateMarks, out: &mut Vec<Date>) {
    let chars: Vec<char> = text.chars().collect();
    // a number ending at a mark: (value, position of the mark)
    let number = |i: usize, mark: &dyn Fn(char) -> bool| -> Option<(u64, usize)> {
        let digits = chars[i..]
            .iter()
            .take_while(|&&c| digit_value(c).is_some())
            .count();
        if digits > 0 {
            let v = chars[i..i + digits].iter().try_fold(0u64, |v, &c| {
                v.checked_mul(10)?.checked_add(digit_value(c)?.into())
            })?;
            return chars
                .get(i + digits)
                .is_some_and(|&c| mark(c))
                .then_some((v, i + digits));
        }
        let n = chars[i..]
            .iter()
            .take_while(|&&c| is_everyday_numeral(c))
            .count();
        let (v, _) = parse_han(&chars[i..i + n])?;
        chars
            .get(i + n)
            .is_some_and(|&c| mark(c))
            .then_some((v, i + n))
    };
    let is_year = |c: char| c == marks.year;
    let is_month = |c: char| c == marks.month;
    let is_day = |c: char| marks.day.contains(&c);
    let starts_number = |i: usize| {
        let c = chars[i];
        let prev = i.checked_sub(1).map(|p| chars[p]);
        (digit_value(c).is_some() || is_everyday_numeral(c))
            && !prev.is_some_and(|p| digit_value(p).is_some() || is_everyday_numeral(p))
    };
    let mut i = 0;
    while i < chars.len() {
        if !starts_number(i) {
            i += 1;
            continue;
        }
        let start = i;
        let mut year = None;
        let mut at = i;
        if let Some((y, m)) = number(at, &is_year) {
            // a year that does not fit u32 is left out
            year = u32::try_from(y).ok();
            at = m + 1;
        }
        let month = (at < chars.len())
            .then(|| number(at, &is_month))
            .flatten()
            .filter(|(m, _)| (1..=12).contains(m));
        let Some((month, m)) = month else {
            i += 1;
            continue;
        };
        at = m + 1;
        let day = (at < chars.len())
            .then(|| number(at, &is_day))
            .flatten()
            .filter(|(d, _)| (1..=31).contains(d));
        let end = day.map_or(at, |(_, d)| d + 1);
        if year.is_some() || day.is_some() {
            out.push(Date {
                start,
                end,
                year,
                month: month as u8,
                day: day.map(|(d, _)| d as u8),
            });
        }
        i = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(text: &str, lang: &str) -> Vec<(String, Option<u32>, u8, Option<u8>)> {
        find_dates(text, &Lang::parse(lang).unwrap())
            .into_iter()
            .map(|d| {
                (
                    crate::char_slice(text, d.start, d.end).to_string(),
                    d.year,
                    d.month,
                    d.day,
                )
            })
            .collect()
    }

    #[test]
    fn months_of_words() {
        let en = Lang::en();
        assert_eq!(month_of_word("may", &en), Some((5, 0)));
        assert_eq!(month_of_word("june", &en), Some((6, 1)));
        assert_eq!(month_of_word("sept", &en), Some((9, 0)));
        assert_eq!(month_of_word("sept.", &en), Some((9, 0)));
        assert_eq!(month_form(&en, 10, 0), Some("oct"));
        assert_eq!(month_of_word("маем", &Lang::ru()), Some((5, 3)));
        assert_eq!(month_of_word("мая", &Lang::zh()), None);
    }

    #[test]
    fn english_dates() {
        assert_eq!(
            dates(
                "On 17 May 2018 and on May 20, 2019; the 3rd June; in July 2020.",
                "en"
            ),
            [
                ("17 May 2018".into(), Some(2018), 5, Some(17)),
                ("May 20, 2019".into(), Some(2019), 5, Some(20)),
                ("3rd June".into(), None, 6, Some(3)),
                ("July 2020".into(), Some(2020), 7, None),
            ]
        );
        assert!(dates("You may come in March.", "en").is_empty());
    }

    #[test]
    fn russian_dates() {
        assert_eq!(
            dates("Совещание 17 мая 2018 года, затем 3-го июня.", "ru"),
            [
                ("17 мая 2018 года".into(), Some(2018), 5, Some(17)),
                ("3-го июня".into(), None, 6, Some(3)),
            ]
        );
    }

    #[test]
    fn chinese_dates() {
        assert_eq!(
            dates("2018年5月17日在天津；二〇一九年六月举行；5月20日。", "zh"),
            [
                ("2018年5月17日".into(), Some(2018), 5, Some(17)),
                ("二〇一九年六月".into(), Some(2019), 6, None),
                ("5月20日".into(), None, 5, Some(20)),
            ]
        );
        assert!(dates("2018年增长3.5%", "zh").is_empty());
    }
}

//! Numbers as alignment evidence: one canonical spelling for `2018`,
//! `２０１８`, `二〇一八`; `1,500` (English) = `1 500` (Russian) = `1500`;
//! `3.5` = `3,5`; `8th` = `8-е` = `第八` = 8; `150万` and `1.5 million`
//! both also give 1500000.

/// The canonical spelling of a decimal number written with ASCII digits
/// and `.`/`,` separators (already width-folded): `"1,500"` → `"1500"`,
/// `"3,5"` → `"3.5"`, `"007"` → `"7"`, `"8th"` → `"8"`. `None` when it is
/// not a number.
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
    let int = int.trim_start_matches('0');
    let frac = frac.trim_end_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    Some(if frac.is_empty() {
        int.to_string()
    } else {
        format!("{int}.{frac}")
    })
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

/// A power of ten named by a word after a number: `million` → 6, `万` → 4.
pub fn multiplier(word: &str) -> Option<u32> {
    Some(match word {
        "thousand" | "thousands" | "тыс" | "тысяча" | "тысячи" | "тысяч" | "千" => {
            3
        }
        "万" | "萬" => 4,
        "million" | "millions" | "mln" | "m" | "млн" | "миллион" | "миллиона" | "миллионов"
        | "百万" => 6,
        "亿" | "億" => 8,
        "billion" | "billions" | "bn" | "млрд" | "миллиард" | "миллиарда" | "миллиардов" => {
            9
        }
        "trillion" | "trillions" | "трлн" | "триллион" | "триллиона" | "триллионов" => {
            12
        }
        _ => return None,
    })
}

fn han_digit(c: char) -> Option<u64> {
    Some(match c {
        '〇' | '零' => 0,
        '一' | '壹' => 1,
        '二' | '两' | '兩' | '贰' => 2,
        '三' | '叁' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' | '陸' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

fn han_unit(c: char) -> Option<u64> {
    Some(match c {
        '十' | '拾' => 10,
        '百' | '佰' => 100,
        '千' | '仟' => 1000,
        _ => return None,
    })
}

/// The value of a Chinese numeral word: `二〇一八` → 2018 (digit by digit),
/// `十五` → 15, `三百二十` → 320, `五万` → 50000, `第八` → 8. `None` when
/// the word is not (only) a numeral.
pub fn chinese(word: &str) -> Option<u64> {
    let w = word.strip_prefix('第').unwrap_or(word);
    let chars: Vec<char> = w.chars().collect();
    if chars.is_empty() || chars.len() > 16 {
        return None;
    }
    // digit by digit: 二〇一八
    if chars.len() >= 2 && chars.iter().all(|&c| han_digit(c).is_some() && c != '两') {
        let mut v: u64 = 0;
        for &c in &chars {
            v = v.checked_mul(10)?.checked_add(han_digit(c)?)?;
        }
        return Some(v);
    }
    let mut total: u64 = 0; // finished 万/亿 sections
    let mut section: u64 = 0;
    let mut digit: Option<u64> = None;
    for &c in &chars {
        if let Some(d) = han_digit(c) {
            digit = Some(d);
        } else if let Some(u) = han_unit(c) {
            section = section.checked_add(digit.unwrap_or(1).checked_mul(u)?)?;
            digit = None;
        } else if c == '万' || c == '萬' || c == '亿' || c == '億' {
            let m: u64 = if c == '万' || c == '萬' {
                10_000
            } else {
                100_000_000
            };
            let s = section.checked_add(digit.unwrap_or(0))?;
            total = total.checked_add(s.max(1).checked_mul(m)?)?;
            section = 0;
            digit = None;
        } else {
            return None;
        }
    }
    total
        .checked_add(section)?
        .checked_add(digit.unwrap_or(0))
        .filter(|_| {
            // a lone 一 or 十 is usually a word ("一个人"), not a number
            !(chars.len() == 1 && matches!(chars[0], '一' | '两'))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}

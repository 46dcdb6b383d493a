//! Repairs: when a query differs from a TM source in numbers (2018 → 2019,
//! 8th → 9th, 1,000 → 2,500), months (17 May → 20 June) or glossary terms,
//! and the changed item can be found in the TM target without ambiguity,
//! the proposal gets the target with the new item substituted.
//!
//! The rules, in order:
//!
//! 1. The query and the source are compared token by token (the same
//!    alignment as the word diff). Only replaced tokens that are numbers on
//!    both sides, or months on both sides, are candidates (a word changed
//!    into a number is not a repair).
//! 2. An old value must be changed everywhere it occurs in the source, and
//!    always into the same new value; otherwise it is left alone.
//! 3. The target must hold the old value exactly as many times as the
//!    source does — as digits (`2018`, `1 000`, `3,5`, `8-е`, `2018年`,
//!    `5月17日`), as a Chinese numeral in a counting context (`第八次`,
//!    `三个`, `二〇一八年`), or as a month name in any case form (`мая`,
//!    `маем`, `May`, `Sept.`, `5月`). Digits inside placeholders and inline
//!    tags do not count. Otherwise the value is left alone.
//! 4. The new value is written in the style of the old one in the target:
//!    grouping and decimal separators, zero padding, English ordinal
//!    suffixes, Chinese numerals, the Russian case form and the
//!    capitalisation of a month.
//!
//! The score of a repaired proposal is the score of its source against the
//! query: a repair never raises it, it only makes the target closer to what
//! the translator needs.

use serde::Serialize;
use similar::{Algorithm, DiffOp, capture_diff_slices};

use polytm_text::lang::{Family, Lang};
use polytm_text::{TokenKind, is_han, tokenize};

/// What was changed in a proposal's target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Repair {
    /// The TM target as stored.
    pub original_target: String,
    /// The repaired target.
    #[serde(skip)]
    pub target: String,
    pub changes: Vec<Change>,
}

/// One substitution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// `number`, `month` or `term`.
    pub kind: &'static str,
    /// The item in the TM source.
    pub source: String,
    /// What the query has instead.
    pub query: String,
    /// The item as it was in the target.
    pub was: String,
    /// What replaced it in the target.
    pub now: String,
}

/// A value that can be repaired.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Val {
    /// A number: integer digits without grouping or leading zeros, and
    /// fraction digits.
    Num { int: String, frac: String },
    /// A number-like string with no clear reading (`17.05.2018`, `1.2.3`):
    /// only found and replaced literally.
    Lit(String),
    /// A month, 1..=12.
    Month(u8),
}

impl Val {
    fn is_month(&self) -> bool {
        matches!(self, Val::Month(_))
    }
}

/// Repair numbers and months (see the module documentation). `None` when
/// nothing could be repaired.
pub fn repair(query: &str, source: &str, target: &str, from: &Lang, to: &Lang) -> Option<Repair> {
    let edits = number_edits(query, source, target, from, to);
    apply(target, edits)
}

/// One substitution located in the target: char range, new text, change.
pub(crate) struct Edit {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub change: Change,
}

/// Apply non-overlapping edits to `target`.
pub(crate) fn apply(target: &str, mut edits: Vec<Edit>) -> Option<Repair> {
    if edits.is_empty() {
        return None;
    }
    edits.sort_by_key(|e| e.start);
    if edits.windows(2).any(|w| w[0].end > w[1].start) {
        return None;
    }
    let chars: Vec<char> = target.chars().collect();
    let mut out = String::with_capacity(target.len() + 8);
    let mut at = 0;
    for e in &edits {
        out.extend(&chars[at..e.start]);
        out.push_str(&e.text);
        at = e.end;
    }
    out.extend(&chars[at..]);
    if out == target {
        return None;
    }
    Some(Repair {
        original_target: target.to_string(),
        target: out,
        changes: edits.into_iter().map(|e| e.change).collect(),
    })
}

/// The repairs of a plain target carried into its TMX inline markup: each
/// changed item must occur, outside tags and native codes (`bpt ept ph it
/// ut` content), exactly as often as in the plain target; then every such
/// occurrence is replaced. `None` when that cannot be done safely.
pub fn apply_to_markup(markup: &str, plain: &str, changes: &[Change]) -> Option<String> {
    let chars: Vec<char> = markup.chars().collect();
    // free[i]: character i is sentence text, not markup
    let mut free = vec![true; chars.len()];
    let mut depth = 0usize;
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '<' {
            let end = chars[i..].iter().position(|&c| c == '>').map(|p| i + p)?;
            let tag: String = chars[i + 1..end].iter().collect();
            let closing = tag.starts_with('/');
            let self_closing = tag.ends_with('/');
            let name: String = tag
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            let native = matches!(name.as_str(), "bpt" | "ept" | "ph" | "it" | "ut");
            for f in free.iter_mut().take(end + 1).skip(i) {
                *f = false;
            }
            if native && !self_closing {
                if closing {
                    depth = depth.saturating_sub(1);
                } else {
                    depth += 1;
                }
            }
            i = end + 1;
            continue;
        }
        if depth > 0 {
            free[i] = false;
        }
        i += 1;
    }
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for c in changes {
        if seen.contains(&c.was.as_str()) {
            continue;
        }
        seen.push(&c.was);
        let was = polytm_formats::xml::escape_text(&c.was);
        let at = occurrences(&chars, &was, Some(&free));
        let plain_chars: Vec<char> = plain.chars().collect();
        if at.is_empty() || at.len() != occurrences(&plain_chars, &c.was, None).len() {
            return None;
        }
        let n = was.chars().count();
        edits.extend(
            at.into_iter()
                .map(|a| (a, a + n, polytm_formats::xml::escape_text(&c.now))),
        );
    }
    edits.sort();
    if edits.windows(2).any(|w| w[0].1 > w[1].0) {
        return None;
    }
    let mut out = String::with_capacity(markup.len() + 8);
    let mut at = 0;
    for (a, b, t) in edits {
        out.extend(&chars[at..a]);
        out.push_str(&t);
        at = b;
    }
    out.extend(&chars[at..]);
    Some(out)
}

/// Start offsets of `needle` in `hay` (not inside a longer word or
/// number; within `free` characters when given).
fn occurrences(hay: &[char], needle: &str, free: Option<&[bool]>) -> Vec<usize> {
    let nd: Vec<char> = needle.chars().collect();
    let mut out = Vec::new();
    if nd.is_empty() {
        return out;
    }
    let word = |c: char| c.is_alphanumeric() && !is_han(c);
    let mut i = 0;
    while i + nd.len() <= hay.len() {
        let ok = hay[i..i + nd.len()] == nd[..]
            && free.is_none_or(|f| f[i..i + nd.len()].iter().all(|&x| x))
            && !(word(nd[0]) && i > 0 && word(hay[i - 1]))
            && !(word(nd[nd.len() - 1]) && hay.get(i + nd.len()).is_some_and(|&c| word(c)));
        if ok {
            out.push(i);
            i += nd.len();
        } else {
            i += 1;
        }
    }
    out
}

struct SrcItem {
    val: Val,
    text: String,
}

/// Numbers and months of a source-language text, by token index.
fn source_items(text: &str, lang: &Lang) -> Vec<Option<SrcItem>> {
    tokenize(text, lang)
        .into_iter()
        .map(|t| {
            let val = match t.kind {
                TokenKind::Number => Some(parse_number(&t.key, lang)),
                TokenKind::Word => month_of_word(&t.key, lang).map(Val::Month),
                _ => None,
            }?;
            Some(SrcItem {
                val,
                text: polytm_text::char_slice(text, t.start, t.end).to_string(),
            })
        })
        .collect()
}

fn number_edits(query: &str, source: &str, target: &str, from: &Lang, to: &Lang) -> Vec<Edit> {
    let qt = tokenize(query, from);
    let st = tokenize(source, from);
    let qk: Vec<&str> = qt.iter().map(|t| t.key.as_str()).collect();
    let sk: Vec<&str> = st.iter().map(|t| t.key.as_str()).collect();
    let q_items = source_items(query, from);
    let s_items = source_items(source, from);
    // (old value, new value, old text, new text)
    let mut pairs: Vec<(Val, Val, String, String)> = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, &sk, &qk) {
        if let DiffOp::Replace {
            old_index,
            old_len,
            new_index,
            new_len,
        } = op
        {
            let olds: Vec<&SrcItem> = s_items[old_index..old_index + old_len]
                .iter()
                .flatten()
                .collect();
            let news: Vec<&SrcItem> = q_items[new_index..new_index + new_len]
                .iter()
                .flatten()
                .collect();
            if olds.len() != news.len()
                || olds
                    .iter()
                    .zip(&news)
                    .any(|(a, b)| a.val.is_month() != b.val.is_month())
            {
                continue;
            }
            for (a, b) in olds.into_iter().zip(news) {
                if a.val != b.val {
                    pairs.push((a.val.clone(), b.val.clone(), a.text.clone(), b.text.clone()));
                }
            }
        }
    }
    if pairs.is_empty() {
        return Vec::new();
    }
    let t_items = target_items(target, to);
    let mut edits = Vec::new();
    let mut done: Vec<&Val> = Vec::new();
    for (a, b, a_text, b_text) in &pairs {
        if done.contains(&a) {
            continue;
        }
        done.push(a);
        let same_old: Vec<_> = pairs.iter().filter(|p| &p.0 == a).collect();
        if same_old.iter().any(|p| &p.1 != b) {
            continue; // one old value, several new ones
        }
        let in_source = s_items.iter().flatten().filter(|i| &i.val == a).count();
        if in_source != same_old.len() {
            continue; // also occurs unchanged
        }
        let found: Vec<&TgtItem> = t_items.iter().filter(|t| &t.val == a).collect();
        if found.len() != in_source {
            continue; // not in the target, or not only there
        }
        for t in found {
            let Some(text) = t.style.write(b, b_text) else {
                continue;
            };
            edits.push(Edit {
                start: t.start,
                end: t.end,
                change: Change {
                    kind: if a.is_month() { "month" } else { "number" },
                    source: a_text.clone(),
                    query: b_text.clone(),
                    was: t.text.clone(),
                    now: text.clone(),
                },
                text,
            });
        }
    }
    edits
}

// ---------------------------------------------------------------------------
// Numbers

/// Read a number token (folded key) by the conventions of `lang`.
fn parse_number(key: &str, lang: &Lang) -> Val {
    let mut s = key;
    for suf in ["st", "nd", "rd", "th"] {
        if let Some(p) = s.strip_suffix(suf) {
            s = p;
            break;
        }
    }
    if s.is_empty()
        || !s
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return Val::Lit(key.to_string());
    }
    let groups_ok = |parts: &[&str]| {
        parts.first().is_some_and(|p| (1..=3).contains(&p.len()))
            && parts[1..].iter().all(|p| p.len() == 3)
    };
    let dots = s.matches('.').count();
    let commas = s.matches(',').count();
    let (int, frac): (String, String) = if dots == 0 && commas == 0 {
        (s.to_string(), String::new())
    } else if lang.family() == Family::Russian {
        if dots == 0 && commas == 1 {
            let (a, b) = s.split_once(',').unwrap_or((s, ""));
            (a.to_string(), b.to_string())
        } else {
            return Val::Lit(s.to_string());
        }
    } else {
        let (intpart, frac) = match s.split_once('.') {
            Some((a, b)) if dots == 1 && !b.contains(',') => (a, b),
            None => (s, ""),
            _ => return Val::Lit(s.to_string()),
        };
        let parts: Vec<&str> = intpart.split(',').collect();
        if parts.len() > 1 && !groups_ok(&parts) {
            return Val::Lit(s.to_string());
        }
        (parts.concat(), frac.to_string())
    };
    num(&int, &frac)
}

fn num(int: &str, frac: &str) -> Val {
    let int = int.trim_start_matches('0');
    Val::Num {
        int: if int.is_empty() {
            "0".into()
        } else {
            int.into()
        },
        frac: frac.to_string(),
    }
}

fn digit_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

/// How an item is written in the target, to write its replacement alike.
#[derive(Debug, Clone)]
enum Style {
    Digits {
        group: Option<char>,
        decimal: Option<char>,
        /// Zero-padded to this many integer digits (`05`).
        pad: usize,
        /// English ordinal suffix (`8th`).
        ordinal: bool,
        default_decimal: char,
    },
    /// As written: replaced by the query's text.
    Literal,
    Han {
        digitwise: bool,
        zero: char,
    },
    MonthEn {
        abbr: bool,
        caps: Caps,
    },
    MonthRu {
        slot: usize,
        yo: bool,
        caps: Caps,
    },
    /// `5月`: the month number as digits or a numeral (the 月 stays).
    MonthZh(Box<Style>),
}

#[derive(Debug, Clone, Copy)]
enum Caps {
    Lower,
    Title,
    Upper,
}

impl Caps {
    fn of(s: &str) -> Caps {
        let letters: Vec<char> = s.chars().filter(|c| c.is_alphabetic()).collect();
        if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
            Caps::Upper
        } else if letters.first().is_some_and(|c| c.is_uppercase()) {
            Caps::Title
        } else {
            Caps::Lower
        }
    }

    fn apply(self, s: &str) -> String {
        match self {
            Caps::Lower => s.to_string(),
            Caps::Upper => s.to_uppercase(),
            Caps::Title => {
                let mut c = s.chars();
                match c.next() {
                    Some(f) => f.to_uppercase().chain(c).collect(),
                    None => String::new(),
                }
            }
        }
    }
}

impl Style {
    /// The new value written in this style; `None` if it cannot be.
    fn write(&self, v: &Val, as_in_query: &str) -> Option<String> {
        match (self, v) {
            (Style::Literal, _) | (_, Val::Lit(_)) => {
                matches!(self, Style::Literal).then(|| as_in_query.to_string())
            }
            (
                Style::Digits {
                    group,
                    decimal,
                    pad,
                    ordinal,
                    default_decimal,
                },
                Val::Num { int, frac },
            ) => {
                let mut digits = int.clone();
                while digits.len() < *pad {
                    digits.insert(0, '0');
                }
                let mut s = match group {
                    Some(g) if digits.len() > 3 => {
                        let mut out = String::new();
                        let first = digits.len() % 3;
                        for (i, c) in digits.chars().enumerate() {
                            if i > 0 && (i + 3 - first) % 3 == 0 {
                                out.push(*g);
                            }
                            out.push(c);
                        }
                        out
                    }
                    _ => digits,
                };
                if !frac.is_empty() {
                    s.push(decimal.unwrap_or(*default_decimal));
                    s.push_str(frac);
                }
                if *ordinal {
                    if !frac.is_empty() {
                        return None;
                    }
                    s.push_str(ordinal_suffix(int));
                }
                Some(s)
            }
            (Style::Han { digitwise, zero }, Val::Num { int, frac }) => {
                if !frac.is_empty() {
                    return None;
                }
                let n: u64 = int.parse().ok()?;
                if *digitwise {
                    Some(
                        int.chars()
                            .map(|c| {
                                let d = c.to_digit(10).unwrap_or(0) as usize;
                                if d == 0 { *zero } else { HAN_DIGITS[d] }
                            })
                            .collect(),
                    )
                } else {
                    to_han(n)
                }
            }
            (Style::MonthEn { abbr, caps }, Val::Month(m)) => {
                let i = *m as usize - 1;
                let name = if *abbr { EN_ABBR[i] } else { EN_MONTHS[i] };
                Some(caps.apply(name))
            }
            (Style::MonthRu { slot, yo, caps }, Val::Month(m)) => {
                let form = RU_MONTHS[*m as usize - 1][*slot];
                let form = if *yo {
                    form.to_string()
                } else {
                    form.replace('ё', "е")
                };
                Some(caps.apply(&form))
            }
            (Style::MonthZh(inner), Val::Month(m)) => {
                inner.write(&num(&m.to_string(), ""), &m.to_string())
            }
            _ => None,
        }
    }
}

fn ordinal_suffix(int: &str) -> &'static str {
    let n: u64 = int
        .get(int.len().saturating_sub(2)..)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    match (n % 100, n % 10) {
        (11..=13, _) => "th",
        (_, 1) => "st",
        (_, 2) => "nd",
        (_, 3) => "rd",
        _ => "th",
    }
}

struct TgtItem {
    val: Val,
    start: usize,
    end: usize,
    text: String,
    style: Style,
}

/// Numbers and months of a target text, with char offsets.
fn target_items(text: &str, lang: &Lang) -> Vec<TgtItem> {
    let chars: Vec<char> = text.chars().collect();
    let toks = tokenize(text, lang);
    // digits inside placeholders and inline tags are not numbers
    let mut protected = vec![false; chars.len()];
    for t in &toks {
        if matches!(t.kind, TokenKind::Placeholder | TokenKind::Tag) {
            for p in protected.iter_mut().take(t.end).skip(t.start) {
                *p = true;
            }
        }
    }
    let mut out = Vec::new();
    scan_digits(&chars, lang, &protected, &mut out);
    if lang.family() == Family::Chinese {
        scan_han_numerals(&chars, &mut out);
    }
    for t in &toks {
        if t.kind != TokenKind::Word || protected[t.start] {
            continue;
        }
        let Some(m) = month_of_word(&t.key, lang) else {
            continue;
        };
        let original: String = chars[t.start..t.end].iter().collect();
        let style = match lang.family() {
            Family::English => Style::MonthEn {
                abbr: t.key.len() <= 4 && t.key != "june" && t.key != "july",
                caps: Caps::of(&original),
            },
            _ => {
                // ё is written unless this text writes е where ё belongs
                let slot = ru_slot(&t.key).unwrap_or(0);
                let canonical_yo = RU_MONTHS[m as usize - 1][slot].contains('ё');
                Style::MonthRu {
                    slot,
                    yo: !canonical_yo || original.to_lowercase().contains('ё'),
                    caps: Caps::of(&original),
                }
            }
        };
        out.push(TgtItem {
            val: Val::Month(m),
            start: t.start,
            end: t.end,
            text: original,
            style,
        });
    }
    out
}

fn is_space_sep(c: char) -> bool {
    matches!(c, ' ' | '\u{00A0}' | '\u{202F}' | '\u{2009}')
}

fn scan_digits(chars: &[char], lang: &Lang, protected: &[bool], out: &mut Vec<TgtItem>) {
    let n = chars.len();
    let is_digit = |i: usize| i < n && digit_value(chars[i]).is_some();
    let letter = |c: char| c.is_alphabetic() && !is_han(c);
    let mut i = 0;
    while i < n {
        if !is_digit(i)
            || (i > 0 && (is_digit(i - 1) || letter(chars[i - 1]) || chars[i - 1] == '_'))
        {
            i += 1;
            continue;
        }
        let start = i;
        while is_digit(i) {
            i += 1;
        }
        let first_group = i - start;
        let mut group: Option<char> = None;
        let mut decimal: Option<char> = None;
        let mut literal = false;
        loop {
            if i + 1 < n && matches!(chars[i], '.' | ',') && is_digit(i + 1) {
                let sep = chars[i];
                let mut j = i + 1;
                while is_digit(j) {
                    j += 1;
                }
                let len = j - i - 1;
                let ru = lang.family() == Family::Russian;
                let grouping =
                    !ru && sep == ',' && len == 3 && first_group <= 3 && decimal.is_none();
                if grouping && group.is_none_or(|g| g == ',') {
                    group = Some(',');
                } else if decimal.is_none() && ((ru && sep == ',') || (!ru && sep == '.')) {
                    decimal = Some(sep);
                } else {
                    literal = true;
                }
                i = j;
            } else if i + 3 < n + 1
                && i < n
                && is_space_sep(chars[i])
                && first_group <= 3
                && decimal.is_none()
                && group.is_none_or(is_space_sep)
                && (1..=3).all(|k| is_digit(i + k))
                && !is_digit(i + 4)
                && lang.family() != Family::English
            {
                group = Some(chars[i]);
                i += 4;
            } else {
                break;
            }
        }
        let end_digits = i;
        let mut ordinal = false;
        if lang.family() == Family::English && i + 1 < n {
            let suf: String = chars[i..i + 2].iter().collect::<String>().to_lowercase();
            if matches!(suf.as_str(), "st" | "nd" | "rd" | "th")
                && (i + 2 >= n || !chars[i + 2].is_alphanumeric())
            {
                ordinal = true;
                i += 2;
            }
        }
        if i < n && letter(chars[i]) && !ordinal {
            // part of a word: 2D, 64bit
            while i < n && (chars[i].is_alphanumeric()) {
                i += 1;
            }
            continue;
        }
        if protected[start..i].iter().any(|&p| p) {
            continue;
        }
        let raw: String = chars[start..end_digits].iter().collect();
        let text: String = chars[start..i].iter().collect();
        let val = if literal {
            Val::Lit(raw.clone())
        } else {
            let clean: String = raw
                .chars()
                .filter(|&c| Some(c) != group)
                .map(|c| {
                    digit_value(c)
                        .and_then(|d| char::from_digit(d, 10))
                        .unwrap_or(c)
                })
                .collect();
            let (int, frac) = match decimal {
                Some(d) => clean.split_once(d).unwrap_or((&clean, "")),
                None => (clean.as_str(), ""),
            };
            num(int, frac)
        };
        let int_len = raw
            .chars()
            .take_while(|c| digit_value(*c).is_some())
            .count();
        let pad = if raw.starts_with('0') && int_len > 1 {
            int_len
        } else {
            0
        };
        let style = if matches!(val, Val::Lit(_)) {
            Style::Literal
        } else {
            Style::Digits {
                group,
                decimal,
                pad,
                ordinal,
                default_decimal: if lang.family() == Family::Russian {
                    ','
                } else {
                    '.'
                },
            }
        };
        // Chinese 5月: a month
        if lang.family() == Family::Chinese && i < n && chars[i] == '月' {
            if let Val::Num { int, frac } = &val
                && frac.is_empty()
                && let Ok(m) = int.parse::<u8>()
                && (1..=12).contains(&m)
            {
                out.push(TgtItem {
                    val: Val::Month(m),
                    start,
                    end: i,
                    text,
                    style: Style::MonthZh(Box::new(style)),
                });
            }
            continue;
        }
        out.push(TgtItem {
            val,
            start,
            end: i,
            text,
            style,
        });
    }
}

const HAN_DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

fn han_digit(c: char) -> Option<u64> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

fn han_unit(c: char) -> Option<u64> {
    Some(match c {
        '十' => 10,
        '百' => 100,
        '千' => 1000,
        '万' => 10_000,
        _ => return None,
    })
}

/// Value of a run of Chinese numerals, and whether it is read digit by
/// digit (`二〇一八`).
fn parse_han(run: &[char]) -> Option<(u64, bool)> {
    if run.iter().all(|&c| han_digit(c).is_some()) {
        if run.len() == 1 {
            return han_digit(run[0]).map(|d| (d, false));
        }
        let mut v = 0u64;
        for &c in run {
            v = v.checked_mul(10)?.checked_add(han_digit(c)?)?;
        }
        return Some((v, true));
    }
    let (mut total, mut section, mut digit) = (0u64, 0u64, None::<u64>);
    for &c in run {
        if let Some(d) = han_digit(c) {
            digit = Some(d);
        } else if let Some(u) = han_unit(c) {
            if u == 10_000 {
                total += (section + digit.unwrap_or(0)) * u;
                section = 0;
            } else {
                section += digit.unwrap_or(1) * u;
            }
            digit = None;
        }
    }
    Some((total + section + digit.unwrap_or(0), false))
}

/// A number below 100,000 in Chinese numerals: 8 → 八, 12 → 十二,
/// 105 → 一百零五, 2019 → 二千零一十九.
fn to_han(n: u64) -> Option<String> {
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

/// Chinese numerals in counting contexts: after 第, or before a measure
/// word or a date unit.
fn scan_han_numerals(chars: &[char], out: &mut Vec<TgtItem>) {
    const AFTER: &str = "次届月日号年周个项条名位天点";
    let n = chars.len();
    let is_num = |c: char| han_digit(c).is_some() || han_unit(c).is_some();
    let mut i = 0;
    while i < n {
        if !is_num(chars[i]) || (i > 0 && is_num(chars[i - 1])) {
            i += 1;
            continue;
        }
        let start = i;
        while i < n && is_num(chars[i]) {
            i += 1;
        }
        let run = &chars[start..i];
        let after = chars.get(i).copied();
        let ordinal = start > 0 && chars[start - 1] == '第';
        let counted = after.is_some_and(|c| AFTER.contains(c));
        let Some((v, digitwise)) = parse_han(run) else {
            continue;
        };
        // 一 alone is mostly "a"/"one" in running text (一个, 一次): only
        // after 第 or in a date
        let date = after.is_some_and(|c| "月日号年".contains(c));
        if !(ordinal || counted)
            || (v == 1 && !(ordinal || date))
            || (digitwise && after != Some('年'))
        {
            continue;
        }
        let text: String = run.iter().collect();
        let style = Style::Han {
            digitwise,
            zero: if text.contains('零') { '零' } else { '〇' },
        };
        let val = num(&v.to_string(), "");
        if after == Some('月') && (1..=12).contains(&v) {
            out.push(TgtItem {
                val: Val::Month(v as u8),
                start,
                end: i,
                text,
                style: Style::MonthZh(Box::new(style)),
            });
        } else {
            out.push(TgtItem {
                val,
                start,
                end: i,
                text,
                style,
            });
        }
    }
}

// ---------------------------------------------------------------------------
// Months

const EN_MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];
const EN_ABBR: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// Russian month forms: nominative, genitive, prepositional, instrumental,
/// dative.
const RU_MONTHS: [[&str; 5]; 12] = [
    ["январь", "января", "январе", "январём", "январю"],
    ["февраль", "февраля", "феврале", "февралём", "февралю"],
    ["март", "марта", "марте", "мартом", "марту"],
    ["апрель", "апреля", "апреле", "апрелем", "апрелю"],
    ["май", "мая", "мае", "маем", "маю"],
    ["июнь", "июня", "июне", "июнем", "июню"],
    ["июль", "июля", "июле", "июлем", "июлю"],
    ["август", "августа", "августе", "августом", "августу"],
    ["сентябрь", "сентября", "сентябре", "сентябрём", "сентябрю"],
    ["октябрь", "октября", "октябре", "октябрём", "октябрю"],
    ["ноябрь", "ноября", "ноябре", "ноябрём", "ноябрю"],
    ["декабрь", "декабря", "декабре", "декабрём", "декабрю"],
];

/// The month a (folded) word names, in English or Russian.
fn month_of_word(key: &str, lang: &Lang) -> Option<u8> {
    match lang.family() {
        Family::English => {
            let k = key.strip_suffix('.').unwrap_or(key);
            EN_MONTHS
                .iter()
                .position(|m| *m == k)
                .or_else(|| EN_ABBR.iter().position(|m| *m == k))
                .or_else(|| (k == "sept").then_some(8))
                .map(|i| i as u8 + 1)
        }
        Family::Russian => RU_MONTHS
            .iter()
            .position(|forms| forms.iter().any(|f| f.replace('ё', "е") == key))
            .map(|i| i as u8 + 1),
        _ => None,
    }
}

fn ru_slot(key: &str) -> Option<usize> {
    RU_MONTHS
        .iter()
        .find_map(|forms| forms.iter().position(|f| f.replace('ё', "е") == key))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(q: &str, s: &str, t: &str, from: &str, to: &str) -> Option<String> {
        repair(
            q,
            s,
            t,
            &Lang::parse(from).unwrap(),
            &Lang::parse(to).unwrap(),
        )
        .map(|r| r.target)
    }

    #[test]
    fn years_and_ordinals_into_russian() {
        assert_eq!(
            fix(
                "The 9th meeting was held in 2019.",
                "The 8th meeting was held in 2018.",
                "8-е совещание состоялось в 2018 году.",
                "en",
                "ru"
            )
            .as_deref(),
            Some("9-е совещание состоялось в 2019 году.")
        );
        assert_eq!(
            fix(
                "On 20 June 2019",
                "On 17 May 2018",
                "17 мая 2018 года",
                "en",
                "ru"
            )
            .as_deref(),
            Some("20 июня 2019 года")
        );
        assert_eq!(
            fix("In March", "In May", "В мае", "en", "ru").as_deref(),
            Some("В марте")
        );
        assert_eq!(
            fix("In January", "In May", "Маем", "en", "ru").as_deref(),
            Some("Январём")
        );
    }

    #[test]
    fn into_chinese() {
        assert_eq!(
            fix(
                "The 9th meeting in 2019",
                "The 8th meeting in 2018",
                "2018年第八次会议",
                "en",
                "zh"
            )
            .as_deref(),
            Some("2019年第九次会议")
        );
        assert_eq!(
            fix("On 20 June", "On 17 May", "5月17日", "en", "zh").as_deref(),
            Some("6月20日")
        );
        assert_eq!(
            fix(
                "the 12th session",
                "the 8th session",
                "第八届会议",
                "en",
                "zh"
            )
            .as_deref(),
            Some("第十二届会议")
        );
        assert_eq!(
            fix("in 2019", "in 2018", "二〇一八年", "en", "zh").as_deref(),
            Some("二〇一九年")
        );
    }

    #[test]
    fn number_styles_follow_the_target() {
        assert_eq!(
            fix("2,500 files", "1,000 files", "1 000 файлов", "en", "ru").as_deref(),
            Some("2 500 файлов")
        );
        assert_eq!(
            fix("3.75 MB", "3.5 MB", "3,5 МБ", "en", "ru").as_deref(),
            Some("3,75 МБ")
        );
        assert_eq!(
            fix("the 22nd time", "the 8th time", "the 8th time", "en", "en").as_deref(),
            Some("the 22nd time")
        );
        assert_eq!(
            fix("page 06", "page 05", "Seite 05", "en", "de").as_deref(),
            Some("Seite 06")
        );
        assert_eq!(
            fix("1,500 items", "500 items", "500 个项目", "en", "zh").as_deref(),
            Some("1500 个项目")
        );
    }

    #[test]
    fn never_repairs_what_is_ambiguous_or_absent() {
        // the old number twice in the target, once in the source
        assert_eq!(
            fix("in 2019", "in 2018", "в 2018 году (2018)", "en", "ru"),
            None
        );
        // the old number also unchanged elsewhere in the source
        assert_eq!(
            fix("2019 and 2018", "2018 and 2018", "2018 и 2018", "en", "ru"),
            None
        );
        // written out in words in the target
        assert_eq!(fix("5 files", "3 files", "три файла", "en", "ru"), None);
        // digits inside a placeholder or tag are not numbers
        assert_eq!(
            fix(
                "Page 3",
                "Page 2",
                "Страница %2$s <ph x=\"2\"/>",
                "en",
                "ru"
            ),
            None
        );
        // a word changed into a number is not a repair
        assert_eq!(
            fix("3 files", "many files", "много файлов", "en", "ru"),
            None
        );
        // "may" the verb next to May the month: two in the source
        assert_eq!(
            fix(
                "You may come on 3 June",
                "You may come on 3 May",
                "Приходите 3 мая",
                "en",
                "ru"
            ),
            None
        );
        // nothing changed
        assert_eq!(fix("in 2018", "in 2018", "в 2018 году", "en", "ru"), None);
        // digits inside a word
        assert_eq!(fix("UTF 16", "UTF 8", "UTF8", "en", "ru"), None);
    }

    #[test]
    fn swaps_are_simultaneous() {
        assert_eq!(
            fix(
                "from 2019 to 2020",
                "from 2018 to 2019",
                "с 2018 по 2019 год",
                "en",
                "ru"
            )
            .as_deref(),
            Some("с 2019 по 2020 год")
        );
    }

    #[test]
    fn chinese_numerals() {
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
    }

    #[test]
    fn repairs_reach_the_markup_outside_native_codes() {
        let ch = |was: &str, now: &str| Change {
            kind: "number",
            source: String::new(),
            query: String::new(),
            was: was.into(),
            now: now.into(),
        };
        let markup =
            r#"В <bpt i="1">&lt;b size="2018"&gt;</bpt>2018<ept i="1">&lt;/b&gt;</ept> году"#;
        assert_eq!(
            apply_to_markup(markup, "В 2018 году", &[ch("2018", "2019")]).as_deref(),
            Some(r#"В <bpt i="1">&lt;b size="2018"&gt;</bpt>2019<ept i="1">&lt;/b&gt;</ept> году"#)
        );
        // "8" inside "18" is not the number 8; a tag attribute is not text
        assert_eq!(
            apply_to_markup(r#"<ph x="8"/>18 и 8"#, "18 и 8", &[ch("8", "9")]).as_deref(),
            Some(r#"<ph x="8"/>18 и 9"#)
        );
        // not found outside the markup: no markup repair
        assert_eq!(
            apply_to_markup(r#"<ph x="1">2018</ph>"#, "", &[ch("2018", "2019")]),
            None
        );
    }

    #[test]
    fn changes_are_reported() {
        let r = repair(
            "in 2019",
            "in 2018",
            "в 2018 году",
            &Lang::en(),
            &Lang::ru(),
        )
        .unwrap();
        assert_eq!(r.original_target, "в 2018 году");
        assert_eq!(r.changes.len(), 1);
        assert_eq!(r.changes[0].kind, "number");
        assert_eq!(
            (r.changes[0].was.as_str(), r.changes[0].now.as_str()),
            ("2018", "2019")
        );
    }
}

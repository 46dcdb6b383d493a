//! Repairs: when a query differs from a TM source in placeables (F6 → F9,
//! SOCKSv5 → SOCKSv7, Firefox → Chromium), numbers (2018 → 2019, 8th →
//! 9th, 1,000 → 2,500, eighth → ninth), months (17 May → 20 June) or
//! glossary terms, and the changed item can be found in the TM target
//! without ambiguity, the proposal gets the target with the new item
//! substituted.
//!
//! Placeables — identifiers, codes, key names, versions, addresses, paths,
//! Latin names in a Russian or Chinese text, placeholders and tags — are
//! copied verbatim: their rules are in the [`placeables`] module (the
//! changed placeable must stand in the target verbatim, exactly where and
//! as often as in the source). Digits inside a word are never a number
//! (`F6` → `F9` does not touch a `6` elsewhere); where a number inside a
//! placeable (`UTF-8`) is repaired both ways, the placeable's change wins.
//!
//! The rules for numbers and months, in order:
//!
//! 1. The query and the source are compared token by token (the same
//!    alignment as the word diff), a number of several tokens (`twenty-one`,
//!    `十二`) being one. Only replaced units that are numbers on both sides,
//!    or months on both sides, are candidates (a word changed into a number
//!    is not a repair). Numbers are digits, number words standing alone
//!    (`eight`, `ninth`, `twenty-first`, `восьми`, `восьмое`; not `one` or
//!    `один`, which are pronouns too, nor a word of a longer number:
//!    `двадцать восьмое`, `two hundred`), and Chinese numerals in a
//!    counting context; a pair with a word in it only where one unit
//!    replaces one (not `256 gradations` → `the two values`). A value
//!    written another way (`eight` for `8`) is not a change.
//! 2. An old value must be changed everywhere it occurs in the source, and
//!    always into the same new value; otherwise it is left alone.
//! 3. The target must hold the old value exactly as many times as the
//!    source does — as digits (`2018`, `1 000`, `3,5`, `8-е`, `2018年`,
//!    `5月17日`), as a Chinese numeral in a counting context (`第八次`,
//!    `三个`, `二〇一八年`), as a number word standing alone (`восемь`,
//!    `восьми`, `Eighth`), or as a month name in any case form (`мая`,
//!    `маем`, `May`, `Sept.`, `5月`). Digits inside placeholders and inline
//!    tags do not count. Otherwise the value is left alone.
//! 4. The new value is written in the style of the old one in the target:
//!    grouping and decimal separators, zero padding, English ordinal
//!    suffixes, Chinese numerals, the Russian case form and the
//!    capitalisation of a month. A number word is written as a word of the
//!    same kind (cardinal or ordinal) in the same form — case, gender,
//!    `ё`, capitals: `восьмое` → `девятое`, `восьми` → `девяти`, `Eighth` →
//!    `Ninth` — or not at all: when the forms it may be give different new
//!    words (`восьмой`, masculine nominative or feminine oblique, is
//!    `девятый` or `девятой`), when the noun after a Russian cardinal in
//!    the nominative would have to change (`восемь сессий` → `три сессии`),
//!    when the new number or the old is `one`/`один` (its noun is
//!    singular), or when the table has no single word for it (`двадцать
//!    пять`, `hundred`).
//!
//! What a language writes — its decimal and group marks, ordinal suffixes,
//! month names in their forms, number words in their forms, date marks,
//! the measure words that make a Chinese numeral count — comes from its
//! profile ([`polytm_text::lang::Profile`]); numbers, number words and
//! Chinese numerals are read and written by [`polytm_text::numbers`],
//! month names found by [`polytm_text::dates`], placeables by
//! [`polytm_text::placeables`].
//!
//! The score of a repaired proposal is the score of its source against the
//! query: a repair never raises it, it only makes the target closer to what
//! the translator needs.

mod placeables;

use serde::Serialize;
use similar::{Algorithm, DiffOp, capture_diff_slices};

use polytm_text::lang::Lang;
use polytm_text::lang::profile::{Calendar, DateMarks, NumberWords, Profile};
use polytm_text::numbers::{self, Decimal, Reading, digit_value, parse_han};
use polytm_text::{Token, TokenKind, dates, is_han, tokenize};

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
    /// `number`, `month`, `placeable` or `term`.
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
    Num(Decimal),
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

/// Repair placeables, numbers and months (see the module documentation).
/// `None` when nothing could be repaired.
pub fn repair(query: &str, source: &str, target: &str, from: &Lang, to: &Lang) -> Option<Repair> {
    let (q, s, t) = (
        Tokenized::new(query, from),
        Tokenized::new(source, from),
        Tokenized::new(target, to),
    );
    let mut edits = placeables::edits(&q, &s, &t);
    // a number inside a changed placeable (UTF-8 → UTF-16) is its business
    add_apart(&mut edits, number_edits(&q, &s, &t));
    apply(target, edits)
}

/// A text, its language and its tokens: tokenised once for all repairs.
pub(crate) struct Tokenized<'a> {
    pub text: &'a str,
    pub lang: &'a Lang,
    pub tokens: Vec<Token>,
}

impl<'a> Tokenized<'a> {
    fn new(text: &'a str, lang: &'a Lang) -> Tokenized<'a> {
        Tokenized {
            text,
            lang,
            tokens: tokenize(text, lang),
        }
    }
}

/// Add the edits of `more` that do not touch any of `edits`.
fn add_apart(edits: &mut Vec<Edit>, more: Vec<Edit>) {
    let apart: Vec<Edit> = more
        .into_iter()
        .filter(|m| !edits.iter().any(|e| e.start < m.end && m.start < e.end))
        .collect();
    edits.extend(apart);
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
        let in_plain = occurrences(&plain_chars, &c.was, None).len();
        // a placeable is changed where it stands apart (MD5, not the MD5
        // of HMAC-MD5): each occurrence must be one of its changes
        let changed = changes.iter().filter(|x| x.was == c.was).count();
        if at.is_empty() || at.len() != in_plain || (c.kind == "placeable" && changed != in_plain) {
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

/// The units a text is compared by: its tokens, each of `spans`
/// (character ranges in order, not overlapping) one unit, keyed by `key`
/// (its index and tokens). The keys, and for each unit the span it is, if
/// one.
pub(crate) fn units(
    tokens: &[Token],
    spans: &[(usize, usize)],
    key: impl Fn(usize, &[Token]) -> String,
) -> Units {
    let mut keys = Vec::with_capacity(tokens.len());
    let mut which = Vec::with_capacity(tokens.len());
    let (mut i, mut next) = (0, 0);
    while i < tokens.len() {
        let t = &tokens[i];
        while next < spans.len() && spans[next].1 <= t.start {
            next += 1;
        }
        match spans.get(next) {
            Some(&(s, e)) if s <= t.start && t.end <= e => {
                let j = i + tokens[i..].iter().take_while(|u| u.end <= e).count();
                keys.push(key(next, &tokens[i..j]));
                which.push(Some(next));
                i = j;
            }
            _ => {
                keys.push(t.key.clone());
                which.push(None);
                i += 1;
            }
        }
    }
    (keys, which)
}

/// The units of a text: their keys, and for each the span it is, if one.
pub(crate) type Units = (Vec<String>, Vec<Option<usize>>);

/// One replacement in the comparison of a source with a query by their
/// [`units`]: the spans among its old units and among its new ones, and
/// how many units it replaces by how many.
pub(crate) struct Replaced {
    pub olds: Vec<usize>,
    pub news: Vec<usize>,
    pub lens: (usize, usize),
}

/// The replacements that turn the source's units into the query's (the
/// same alignment as the word diff).
pub(crate) fn replaced(source: &Units, query: &Units) -> Vec<Replaced> {
    let spans = |which: &[Option<usize>]| which.iter().flatten().copied().collect();
    capture_diff_slices(Algorithm::Myers, &source.0, &query.0)
        .into_iter()
        .filter_map(|op| match op {
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => Some(Replaced {
                olds: spans(&source.1[old_index..old_index + old_len]),
                news: spans(&query.1[new_index..new_index + new_len]),
                lens: (old_len, new_len),
            }),
            _ => None,
        })
        .collect()
}

struct SrcItem {
    val: Val,
    start: usize,
    end: usize,
    text: String,
    /// Written as a word (`eight`, `восьми`) or a Chinese numeral.
    word: bool,
}

/// Numbers and months of a source-language text, in order: number tokens,
/// month names, number words standing alone (not `one`: also a pronoun),
/// and Chinese numerals in counting contexts.
fn source_items(text: &str, tokens: &[Token], lang: &Lang) -> Vec<SrcItem> {
    let profile = lang.profile();
    // cut by character index (char_slice counts from the start: quadratic
    // in a segment of 25,000 numbers)
    let chars: Vec<char> = text.chars().collect();
    let item = |val, start: usize, end: usize| SrcItem {
        val,
        start,
        end,
        text: chars[start..end].iter().collect(),
        word: false,
    };
    let mut out: Vec<SrcItem> = tokens
        .iter()
        .filter_map(|t| {
            let val = match t.kind {
                TokenKind::Number => Some(parse_number(&t.key, lang)),
                TokenKind::Word => dates::month_of_word(&t.key, lang).map(|(m, _)| Val::Month(m)),
                _ => None,
            }?;
            Some(item(val, t.start, t.end))
        })
        .collect();
    for w in numbers::number_words(tokens, profile) {
        if w.word.ordinal || w.word.value != 1 {
            let val = Val::Num(Decimal::new(&w.word.value.to_string(), ""));
            out.push(SrcItem {
                word: true,
                ..item(val, w.start, w.end)
            });
        }
    }
    if let Some(counters) = profile.han_numerals {
        let mut han = Vec::new();
        scan_han_numerals(&chars, counters, profile.calendar.marks, &mut han);
        out.extend(han.into_iter().map(|h| SrcItem {
            word: true,
            ..item(h.val, h.start, h.end)
        }));
    }
    out.sort_by_key(|x| x.start);
    out.dedup_by(|b, a| b.start < a.end);
    out
}

fn number_edits(query: &Tokenized, source: &Tokenized, target: &Tokenized) -> Vec<Edit> {
    let (qt, st) = (&query.tokens, &source.tokens);
    let q_items = source_items(query.text, qt, query.lang);
    let s_items = source_items(source.text, st, source.lang);
    // a number of several tokens (twenty-one, 十二) is one unit
    let joined = |_: usize, toks: &[Token]| {
        toks.iter()
            .map(|t| t.key.as_str())
            .collect::<Vec<_>>()
            .join("\u{1}")
    };
    let spans = |items: &[SrcItem]| items.iter().map(|i| (i.start, i.end)).collect::<Vec<_>>();
    let q = units(qt, &spans(&q_items), joined);
    let s = units(st, &spans(&s_items), joined);
    // (old value, new value, old text, new text)
    let mut pairs: Vec<(Val, Val, String, String)> = Vec::new();
    for r in replaced(&s, &q) {
        let olds: Vec<&SrcItem> = r.olds.iter().map(|&k| &s_items[k]).collect();
        let news: Vec<&SrcItem> = r.news.iter().map(|&k| &q_items[k]).collect();
        // a number word only one for one: in a longer new wording it may
        // stand for something else (256 gradations → the two values)
        let words = olds.iter().chain(&news).any(|i| i.word);
        if olds.len() != news.len()
            || (words && r.lens != (1, 1))
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
    if pairs.is_empty() {
        return Vec::new();
    }
    let t_items = target_items(target);
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
        let in_source = s_items.iter().filter(|i| &i.val == a).count();
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
    match numbers::read(key, lang.profile()) {
        Reading::Number(d) => Val::Num(d),
        Reading::Unclear(s) => Val::Lit(s),
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
        /// With an ordinal suffix (`8th`): how the language picks it.
        ordinal: Option<fn(u64) -> &'static str>,
        default_decimal: char,
    },
    /// As written: replaced by the query's text.
    Literal,
    Han {
        digitwise: bool,
        zero: char,
    },
    /// A month name in the target language's calendar, in the form (slot)
    /// the old one had; `plain`: in its folded spelling (`е` for `ё`).
    Month {
        calendar: &'static Calendar,
        slot: usize,
        plain: bool,
        caps: Caps,
    },
    /// `5月`: the month number as digits or a numeral (the mark stays).
    MonthNumber(Box<Style>),
    /// A number word of the target language's table, in the form (slots)
    /// the old one had (`восьми`: genitive, dative or prepositional).
    Word {
        words: &'static NumberWords,
        ordinal: bool,
        slots: Vec<usize>,
        old: u64,
        caps: Caps,
        /// Written with `е` for `ё` (see `Month`).
        plain: bool,
    },
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
                Val::Num(Decimal { int, frac }),
            ) => {
                let mut digits = int.clone();
                while digits.len() < *pad {
                    digits.insert(0, '0');
                }
                let mut s = match group {
                    Some(g) => numbers::group_digits(&digits, *g),
                    None => digits,
                };
                if !frac.is_empty() {
                    s.push(decimal.unwrap_or(*default_decimal));
                    s.push_str(frac);
                }
                if let Some(suffix_of) = ordinal {
                    if !frac.is_empty() {
                        return None;
                    }
                    // the last two digits; "th" when there are none
                    let last_two: u64 = int
                        .get(int.len().saturating_sub(2)..)
                        .and_then(|s| s.parse().ok())
                        .unwrap_or(0);
                    s.push_str(suffix_of(last_two));
                }
                Some(s)
            }
            (Style::Han { digitwise, zero }, Val::Num(Decimal { int, frac })) => {
                if !frac.is_empty() {
                    return None;
                }
                // a number too long for u64 is not rewritten in Han numerals
                let n: u64 = int.parse().ok()?;
                if *digitwise {
                    Some(numbers::to_han_digits(int, *zero))
                } else {
                    numbers::to_han(n)
                }
            }
            (
                Style::Month {
                    calendar,
                    slot,
                    plain,
                    caps,
                },
                Val::Month(m),
            ) => {
                let form = calendar.month_form(*m, *slot)?;
                let form = if *plain {
                    polytm_text::fold(form)
                } else {
                    form.to_string()
                };
                Some(caps.apply(&form))
            }
            (
                Style::Word {
                    words,
                    ordinal,
                    slots,
                    old,
                    caps,
                    plain,
                },
                Val::Num(Decimal { int, frac }),
            ) => {
                let new: u64 = int.parse().ok().filter(|_| frac.is_empty())?;
                if !ordinal {
                    // `one`, `один`: the noun after it is in the singular
                    if new == 1 || *old == 1 {
                        return None;
                    }
                    // две сессии, пять сессий: the noun agrees with the class
                    if let Some(a) = words.agreement
                        && slots.iter().any(|s| a.slots.contains(s))
                        && (a.class)(new) != (a.class)(*old)
                    {
                        return None;
                    }
                }
                let w = numbers::write_word(new, *ordinal, slots, words)?;
                Some(caps.apply(&if *plain { polytm_text::fold(&w) } else { w }))
            }
            (Style::MonthNumber(inner), Val::Month(m)) => {
                inner.write(&Val::Num(Decimal::new(&m.to_string(), "")), &m.to_string())
            }
            _ => None,
        }
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
fn target_items(target: &Tokenized) -> Vec<TgtItem> {
    let profile = target.lang.profile();
    let chars: Vec<char> = target.text.chars().collect();
    let toks = &target.tokens;
    // digits inside placeholders and inline tags are not numbers
    let mut protected = vec![false; chars.len()];
    for t in toks {
        if matches!(t.kind, TokenKind::Placeholder | TokenKind::Tag) {
            for p in protected.iter_mut().take(t.end).skip(t.start) {
                *p = true;
            }
        }
    }
    let mut out = Vec::new();
    scan_digits(&chars, profile, &protected, &mut out);
    if let Some(counters) = profile.han_numerals {
        scan_han_numerals(&chars, counters, profile.calendar.marks, &mut out);
    }
    if let Some(words) = profile.number_words {
        for w in numbers::number_words(toks, profile) {
            if protected[w.start] {
                continue;
            }
            let original: String = chars[w.start..w.end].iter().collect();
            let (value, ordinal) = (w.word.value, w.word.ordinal);
            let form = numbers::write_word(value, ordinal, &w.word.slots, words);
            out.push(TgtItem {
                val: Val::Num(Decimal::new(&value.to_string(), "")),
                start: w.start,
                end: w.end,
                style: Style::Word {
                    words,
                    ordinal,
                    plain: form.is_some_and(|f| f.contains('ё'))
                        && !original.to_lowercase().contains('ё'),
                    slots: w.word.slots,
                    old: value,
                    caps: Caps::of(&original),
                },
                text: original,
            });
        }
    }
    let calendar = profile.calendar;
    for t in toks {
        if t.kind != TokenKind::Word || protected[t.start] {
            continue;
        }
        let Some((m, slot)) = dates::month_of_word(&t.key, target.lang) else {
            continue;
        };
        let original: String = chars[t.start..t.end].iter().collect();
        // the text writes the month in its folded spelling (е where ё
        // belongs): write the new one so too
        let canonical = calendar.month_form(m, slot).unwrap_or_default();
        let plain = polytm_text::fold(canonical) != canonical
            && polytm_text::fold(&original) == original.to_lowercase();
        out.push(TgtItem {
            val: Val::Month(m),
            start: t.start,
            end: t.end,
            style: Style::Month {
                calendar,
                slot,
                plain,
                caps: Caps::of(&original),
            },
            text: original,
        });
    }
    out
}

fn is_space_sep(c: char) -> bool {
    matches!(c, ' ' | '\u{00A0}' | '\u{202F}' | '\u{2009}')
}

fn scan_digits(chars: &[char], profile: &Profile, protected: &[bool], out: &mut Vec<TgtItem>) {
    let format = profile.numbers;
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
                let grouping =
                    format.group == Some(sep) && len == 3 && first_group <= 3 && decimal.is_none();
                if grouping && group.is_none_or(|g| g == sep) {
                    group = Some(sep);
                } else if decimal.is_none() && sep == format.decimal {
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
                && format.space_groups
            {
                group = Some(chars[i]);
                i += 4;
            } else {
                break;
            }
        }
        let end_digits = i;
        let mut ordinal = None;
        // an ordinal suffix, where the language knows which one a number takes
        if let Some(suffix_of) = profile.ordinals.suffix_of
            && let Some(len) =
                numbers::ordinal_suffix_len(&chars[i..], profile.ordinals.suffixes, |c| {
                    c.is_alphanumeric()
                })
        {
            ordinal = Some(suffix_of);
            i += len;
        }
        if i < n && letter(chars[i]) && ordinal.is_none() {
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
            Val::Num(Decimal::new(int, frac))
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
                default_decimal: format.decimal,
            }
        };
        // 5月: a month
        if profile
            .calendar
            .marks
            .is_some_and(|m| i < n && chars[i] == m.month)
        {
            if let Val::Num(Decimal { int, frac }) = &val
                && frac.is_empty()
                && let Ok(m) = int.parse::<u8>()
                && (1..=12).contains(&m)
            {
                out.push(TgtItem {
                    val: Val::Month(m),
                    start,
                    end: i,
                    text,
                    style: Style::MonthNumber(Box::new(style)),
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

/// Chinese numerals in counting contexts: after 第, or before a measure
/// word (`counters`) or a date mark.
fn scan_han_numerals(
    chars: &[char],
    counters: &str,
    marks: Option<DateMarks>,
    out: &mut Vec<TgtItem>,
) {
    let n = chars.len();
    let is_num = numbers::is_everyday_numeral;
    let is_mark =
        |c: char| marks.is_some_and(|m| c == m.year || c == m.month || m.day.contains(&c));
    let mark = |c: Option<char>, which: fn(&DateMarks) -> char| {
        c.is_some_and(|c| marks.is_some_and(|m| which(&m) == c))
    };
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
        let ordinal = start > 0 && chars[start - 1] == numbers::HAN_ORDINAL;
        let counted = after.is_some_and(|c| counters.contains(c));
        let Some((v, digitwise)) = parse_han(run) else {
            continue;
        };
        // 一 alone is mostly "a"/"one" in running text (一个, 一次): only
        // after 第 or in a date
        let date = after.is_some_and(is_mark);
        if !(ordinal || counted)
            || (v == 1 && !(ordinal || date))
            || (digitwise && !mark(after, |m| m.year))
        {
            continue;
        }
        let text: String = run.iter().collect();
        let style = Style::Han {
            digitwise,
            zero: if text.contains('零') { '零' } else { '〇' },
        };
        let val = Val::Num(Decimal::new(&v.to_string(), ""));
        if mark(after, |m| m.month) && (1..=12).contains(&v) {
            out.push(TgtItem {
                val: Val::Month(v as u8),
                start,
                end: i,
                text,
                style: Style::MonthNumber(Box::new(style)),
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
    fn number_words_into_russian_in_their_case() {
        // ordinal, neuter nominative
        assert_eq!(
            fix(
                "the ninth meeting",
                "the eighth meeting",
                "восьмое совещание",
                "en",
                "ru"
            )
            .as_deref(),
            Some("девятое совещание")
        );
        // digits against words: the target's word, in its case
        assert_eq!(
            fix("9 sessions", "8 sessions", "восемь сессий", "en", "ru").as_deref(),
            Some("девять сессий")
        );
        assert_eq!(
            fix(
                "in 9 regions",
                "in 8 regions",
                "в восьми регионах",
                "en",
                "ru"
            )
            .as_deref(),
            Some("в девяти регионах")
        );
        assert_eq!(
            fix(
                "with 5 members",
                "with 3 members",
                "с тремя членами",
                "en",
                "ru"
            )
            .as_deref(),
            Some("с пятью членами")
        );
        // ё as the text writes it
        assert_eq!(
            fix("to 4 parties", "to 3 parties", "трем сторонам", "en", "ru").as_deref(),
            Some("четырем сторонам")
        );
        // восьмой: masculine nominative or feminine oblique; второй is both
        assert_eq!(
            fix(
                "at the second session",
                "at the eighth session",
                "на восьмой сессии",
                "en",
                "ru"
            )
            .as_deref(),
            Some("на второй сессии")
        );
        assert_eq!(
            fix(
                "Second Committee",
                "Eighth Committee",
                "Восьмой комитет",
                "en",
                "ru"
            )
            .as_deref(),
            Some("Второй комитет")
        );
        // a word of the query against digits in the target
        assert_eq!(
            fix("nine sessions", "8 sessions", "8 сессий", "en", "ru").as_deref(),
            Some("9 сессий")
        );
    }

    #[test]
    fn number_words_into_english_and_chinese() {
        assert_eq!(
            fix(
                "девятое совещание",
                "восьмое совещание",
                "the Eighth meeting",
                "ru",
                "en"
            )
            .as_deref(),
            Some("the Ninth meeting")
        );
        assert_eq!(
            fix(
                "22-е совещание",
                "21-е совещание",
                "the twenty-first meeting",
                "ru",
                "en"
            )
            .as_deref(),
            Some("the twenty-second meeting")
        );
        // Chinese numerals of the source, one character or several
        assert_eq!(
            fix("第九次会议", "第八次会议", "восьмое совещание", "zh", "ru").as_deref(),
            Some("девятое совещание")
        );
        assert_eq!(
            fix(
                "第十三届会议",
                "第十二届会议",
                "the twelfth session",
                "zh",
                "en"
            )
            .as_deref(),
            Some("the thirteenth session")
        );
        assert_eq!(
            fix(
                "the ninth meeting",
                "the eighth meeting",
                "第八次会议",
                "en",
                "zh"
            )
            .as_deref(),
            Some("第九次会议")
        );
    }

    #[test]
    fn number_words_left_alone() {
        for (q, s, t) in [
            // only the form changed, not the value
            ("eight sessions", "8 sessions", "8 сессий"),
            ("eight sessions", "8 sessions", "восемь сессий"),
            // восемь сессий → три сессии: the noun would change too
            ("3 sessions", "8 sessions", "восемь сессий"),
            // восьмой → девятый or девятой: which one is not known
            ("the ninth session", "the eighth session", "восьмой сессии"),
            // пяти → двух or двум: which case is not known
            ("to 2 parties", "to 5 parties", "пяти сторонам"),
            // one: also a pronoun, and its noun is singular
            ("two files", "one file", "один файл"),
            ("1 file", "2 files", "два файла"),
            // a part of a longer number is not the number
            (
                "the 9th meeting",
                "the 8th meeting",
                "двадцать восьмое совещание",
            ),
            // no word for it in the table
            ("21 sessions", "20 sessions", "двадцать сессий"),
            // a number word in a new wording, not one for one
            (
                "into the two values black and white",
                "to a maximum of 256 gradations from black to white",
                "в максимум 256 оттенков от чёрного до белого",
            ),
        ] {
            assert_eq!(fix(q, s, t, "en", "ru"), None, "{q} | {t}");
        }
    }

    #[test]
    fn month_spelling_and_long_numerals() {
        // a text that writes е for ё gets the new month so too
        assert_eq!(
            fix("In January", "In September", "Сентябрем", "en", "ru").as_deref(),
            Some("Январем")
        );
        assert_eq!(
            fix("In January", "In September", "Сентябрём", "en", "ru").as_deref(),
            Some("Январём")
        );
        // a numeral too long for any integer is not read, and nothing panics
        let long = format!("第{}次会议", "九".repeat(40));
        assert_eq!(fix("the 9th", "the 8th", &long, "en", "zh"), None);
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
        // a placeable changed at one of its two places: not in the markup
        let md = Change {
            kind: "placeable",
            ..ch("MD5", "MD6")
        };
        assert_eq!(
            apply_to_markup(
                "<b>MD5</b> и HMAC-MD5",
                "MD5 и HMAC-MD5",
                std::slice::from_ref(&md)
            ),
            None
        );
        assert_eq!(
            apply_to_markup("<b>MD5</b> и SHA1", "MD5 и SHA1", &[md]).as_deref(),
            Some("<b>MD6</b> и SHA1")
        );
    }

    #[test]
    fn changes_are_reported() {
        let changes = |q: &str, s: &str, t: &str| {
            let r = repair(q, s, t, &Lang::en(), &Lang::ru()).unwrap();
            assert_eq!(r.original_target, t);
            r.changes
                .into_iter()
                .map(|c| format!("{} {} {}", c.kind, c.was, c.now))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            changes("in 2019", "in 2018", "в 2018 году"),
            ["number 2018 2019"]
        );
        // in the order of the target
        assert_eq!(
            changes(
                "Press Shift+F9 in GTK 4.",
                "Press Shift+F8 in GTK 3.",
                "Нажмите SHIFT+F8 в GTK 3."
            ),
            ["placeable F8 F9", "number 3 4"]
        );
    }
}

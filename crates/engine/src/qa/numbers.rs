//! `number`: the numbers of the source in the target and no others.
//!
//! Numbers are read by [`polytm_text::numbers`] and [`polytm_text::dates`],
//! the readers the aligner and the fuzzy repairs use:
//!
//! - numbers in digits compare by value whatever the grouping or decimal
//!   mark (`1,000` = `1 000` = `1000`, `3.5` = `3,5`); a word that
//!   multiplies gives a second reading (`1.5 million` = `150万`);
//! - ordinals are numbers (`8th` = `8-е` = `第八次`);
//! - a date gives its day, its month as a number and its year, so `17 May
//!   2018` = `17 мая 2018 года` = `2018年5月17日`;
//! - Chinese numerals elsewhere (`三大`, `十五个`) and digits inside inline
//!   codes and placeholders are not read as numbers; a Chinese numeral may
//!   still stand for a number of the source (`three` = `三`).

use polytm_text::dates::find_dates;
use polytm_text::numbers;
use polytm_text::numbers::{canonical, multiplier, ordinal, parse_han, scale};
use polytm_text::tokenize::TokenKind;

use super::{Check, Issue, Side, Span, UnitSides, quote};

/// A number found in a text.
#[derive(Debug, Clone)]
struct Num {
    span: Span,
    /// What it is called in a message.
    shown: String,
    /// Its values (canonical spellings): as written, and scaled.
    readings: Vec<String>,
    /// Only a candidate for a number of the other side; never reported.
    soft: bool,
    /// The numbers of a space-grouped reading (`5 100` may be 5 and 100).
    parts: Vec<Num>,
}

impl Num {
    fn new(span: Span, shown: String, reading: String) -> Num {
        Num {
            span,
            shown,
            readings: vec![reading],
            soft: false,
            parts: Vec::new(),
        }
    }

    fn soft(span: Span, shown: String, reading: String) -> Num {
        Num {
            soft: true,
            ..Num::new(span, shown, reading)
        }
    }

    fn meets(&self, other: &Num) -> bool {
        self.readings.iter().any(|r| other.readings.contains(r))
    }
}

/// The numbers of one side, leaving out those inside `names` (glossary
/// names both sides share).
fn numbers_of(side: &Side, names: &[Span]) -> Vec<Num> {
    let mut out = Vec::new();
    let mut taken = vec![false; side.chars.len()];
    for &(s, e) in names {
        let n = taken.len();
        taken[s.min(n)..e.min(n)].iter_mut().for_each(|t| *t = true);
    }
    // a date has digits or Chinese numerals
    let may_date = side.chars.iter().any(|&c| {
        c.is_ascii_digit() || numbers::is_everyday_numeral(c) || ('０'..='９').contains(&c)
    });
    let dates = if may_date {
        find_dates(&side.masked, side.lang)
    } else {
        Vec::new()
    };
    for d in dates {
        let shown = side.slice((d.start, d.end));
        let span = (d.start, d.end);
        if let Some(day) = d.day {
            out.push(Num::new(
                span,
                format!("{day} in {}", quote(&shown)),
                day.to_string(),
            ));
        }
        out.push(Num::new(
            span,
            format!("the month in {}", quote(&shown)),
            d.month.to_string(),
        ));
        if let Some(y) = d.year {
            out.push(Num::new(
                span,
                format!("{y} in {}", quote(&shown)),
                y.to_string(),
            ));
        }
        taken[d.start..d.end].iter_mut().for_each(|t| *t = true);
    }
    let toks = &side.tokens;
    let profile = side.lang.profile();
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        if taken[t.start] {
            i += 1;
            continue;
        }
        if t.kind == TokenKind::Word {
            // digits inside a word (`8x8`, `v4`, `branch1`) and numbers in
            // words (`three`, `трёх`) may stand for a number
            let word = profile
                .number_words
                .and_then(|w| polytm_text::numbers::read_word(&t.key, w))
                .map(|w| w.value);
            let like = || {
                let mut like = profile.number_like_words.iter();
                like.find(|(w, _)| *w == t.key).map(|x| x.1)
            };
            if let Some(v) = word.or_else(like) {
                out.push(Num::soft(
                    (t.start, t.end),
                    side.token_text(t),
                    v.to_string(),
                ));
            }
            for (s, e) in digit_runs(&side.chars, t.start, t.end) {
                let run: String = side.chars[s..e].iter().collect();
                if let Some(v) = canonical(&run) {
                    out.push(Num::soft((s, e), run, v));
                }
            }
            i += 1;
            continue;
        }
        if t.kind != TokenKind::Number {
            i += 1;
            continue;
        }
        let shown = side.token_text(t);
        // a full-width comma or an enumeration comma separates numbers
        if shown.contains(['，', '、']) {
            let mut at = t.start;
            for piece in shown.split(['，', '、']) {
                let n = piece.chars().count();
                if let Some(v) = canonical(piece) {
                    out.push(Num::new((at, at + n), piece.to_string(), v));
                }
                at += n + 1;
            }
            i += 1;
            continue;
        }
        let Some(value) = canonical(&t.key) else {
            i += 1;
            continue;
        };
        let mut num = Num::new((t.start, t.end), shown.clone(), value);
        // `25.01.2001`, `1.2.3`: also its parts
        if shown.chars().filter(|c| matches!(c, '.' | ',')).count() > 1 {
            num.parts = digit_runs(&side.chars, t.start, t.end)
                .into_iter()
                .filter_map(|(s, e)| {
                    let run: String = side.chars[s..e].iter().collect();
                    canonical(&run).map(|v| Num::new((s, e), run, v))
                })
                .collect();
        }
        // groups of three digits after a space: 281 474 976
        let mut j = i + 1;
        if profile.numbers.space_groups
            && t.key.len() <= 3
            && t.key.chars().all(|c| c.is_ascii_digit())
        {
            let mut digits = t.key.clone();
            let mut parts = vec![num.clone()];
            while let Some(n) = toks.get(j) {
                let gap: String = side.chars[toks[j - 1].end..n.start].iter().collect();
                let spaced = gap.chars().count() == 1
                    && matches!(
                        gap.chars().next(),
                        Some(' ' | '\u{A0}' | '\u{202F}' | '\u{2009}')
                    );
                if n.kind == TokenKind::Number
                    && spaced
                    && n.key.len() == 3
                    && n.key.chars().all(|c| c.is_ascii_digit())
                    && !taken[n.start]
                {
                    digits.push_str(&n.key);
                    parts.push(Num::new(
                        (n.start, n.end),
                        side.token_text(n),
                        n.key.clone(),
                    ));
                    j += 1;
                } else {
                    break;
                }
            }
            if parts.len() > 1 {
                let end = toks[j - 1].end;
                num = Num::new((t.start, end), side.slice((t.start, end)), digits);
                num.parts = parts;
            }
        }
        // a word that multiplies: 1.5 million, 150万
        if let Some(next) = toks.get(j)
            && let Some(p) = multiplier(&next.key)
            && let Some(scaled) = scale(&num.readings[0], p)
        {
            num.readings.push(scaled);
        }
        out.push(num);
        i = j;
    }
    if side.lang.profile().han_numerals.is_some() {
        han_numbers(side, &taken, &mut out);
    }
    out
}

/// Chinese numerals (`第八次`, `三大`, `十五个`: an ordinal, a run of two
/// numerals or more, or one before a measure word) may stand for a number
/// of the other side.
fn han_numbers(side: &Side, taken: &[bool], out: &mut Vec<Num>) {
    let chars = &side.chars;
    let measure = side.lang.profile().han_numerals.unwrap_or("");
    let mut i = 0;
    while i < chars.len() {
        if taken[i] || !numbers::is_everyday_numeral(chars[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && numbers::is_everyday_numeral(chars[i]) {
            i += 1;
        }
        let run = &chars[start..i];
        let ord = start > 0 && chars[start - 1] == numbers::HAN_ORDINAL;
        let before_measure = chars.get(i).is_some_and(|c| measure.contains(*c));
        if !(ord || run.len() > 1 || before_measure) {
            continue;
        }
        let value = if ord {
            let word: String = chars[start - 1..i].iter().collect();
            ordinal(&word, side.lang)
        } else {
            parse_han(run).map(|(v, _)| v)
        };
        if let Some(v) = value {
            let s = if ord { start - 1 } else { start };
            // `第一` (first) is as often a word as a number
            out.push(Num::soft((s, i), side.slice((s, i)), v.to_string()));
        }
    }
}

/// The numbers of `a` left without a partner of equal value in `b`: hard
/// numbers pair with hard ones first, soft ones with soft ones (`rc2` with
/// `rc2`), then hard numbers with the soft ones left (`1` with `одним`).
fn lone(a: &[Num], b: &[Num]) -> Vec<usize> {
    let mut used = vec![false; b.len()];
    let mut met = vec![false; a.len()];
    for (soft_a, soft_b) in [(false, false), (true, true), (false, true)] {
        for (i, x) in a.iter().enumerate() {
            if met[i] || x.soft != soft_a {
                continue;
            }
            let found = (0..b.len()).find(|&j| !used[j] && b[j].soft == soft_b && x.meets(&b[j]));
            if let Some(j) = found {
                used[j] = true;
                met[i] = true;
            }
        }
    }
    (0..a.len()).filter(|&i| !met[i]).collect()
}

/// The runs of ASCII digits in `chars[s..e]`.
fn digit_runs(chars: &[char], s: usize, e: usize) -> Vec<Span> {
    let mut out = Vec::new();
    let mut i = s;
    while i < e {
        if chars[i].is_ascii_digit() {
            let a = i;
            while i < e && chars[i].is_ascii_digit() {
                i += 1;
            }
            out.push((a, i));
        } else {
            i += 1;
        }
    }
    out
}

/// `names`: the spans of glossary names both sides share (source, target).
pub fn check(u: &UnitSides, names: &(Vec<Span>, Vec<Span>), out: &mut Vec<Issue>) {
    let src = numbers_of(&u.src, &names.0);
    let tgt = numbers_of(&u.tgt, &names.1);
    if src.is_empty() && tgt.iter().all(|n| n.soft) {
        return;
    }
    // a grouped number that meets nothing may be numbers side by side
    let (lone_s, lone_t) = matching(&src, &tgt);
    let before = lone_s.len() + lone_t.len();
    let (split_s, split_t) = (ungroup(&src, &lone_s), ungroup(&tgt, &lone_t));
    let (ls2, lt2) = matching(&split_s, &split_t);
    let (src, tgt, lone_s, lone_t) = if ls2.len() + lt2.len() < before {
        (split_s, split_t, ls2, lt2)
    } else {
        (src, tgt, lone_s, lone_t)
    };
    let lone_s: Vec<&Num> = lone_s
        .iter()
        .map(|&i| &src[i])
        .filter(|n| !n.soft)
        .collect();
    let lone_t: Vec<&Num> = lone_t
        .iter()
        .map(|&i| &tgt[i])
        .filter(|n| !n.soft)
        .collect();
    let list = |v: &[&Num]| v.iter().map(|n| show(n)).collect::<Vec<_>>().join(", ");
    match (lone_s.first(), lone_t.first()) {
        (Some(s), Some(t)) => out.push(
            Issue::new(
                Check::Number,
                format!(
                    "{} in the source {} {} in the translation",
                    list(&lone_s),
                    if lone_s.len() + lone_t.len() == 2 {
                        "is"
                    } else {
                        "against"
                    },
                    list(&lone_t)
                ),
            )
            .source(s.span)
            .target(t.span),
        ),
        (Some(_), None) => {
            for s in lone_s {
                out.push(
                    Issue::new(
                        Check::Number,
                        format!("{} of the source is not in the translation", show(s)),
                    )
                    .source(s.span),
                );
            }
        }
        (None, Some(_)) => {
            for t in lone_t {
                out.push(
                    Issue::new(
                        Check::Number,
                        format!("{} in the translation is not in the source", show(t)),
                    )
                    .target(t.span),
                );
            }
        }
        (None, None) => {}
    }
}

/// The numbers with those at `lone` that were read as one grouped number
/// read as its groups.
fn ungroup(nums: &[Num], lone: &[usize]) -> Vec<Num> {
    let mut out = Vec::new();
    for (i, n) in nums.iter().enumerate() {
        if lone.contains(&i) && !n.parts.is_empty() {
            out.extend(n.parts.iter().cloned());
        } else {
            out.push(n.clone());
        }
    }
    out
}

fn show(n: &Num) -> String {
    if n.shown.contains('«') {
        n.shown.clone()
    } else {
        quote(&n.shown)
    }
}

/// Both directions: source numbers without a target partner, target
/// numbers without a source partner.
fn matching(src: &[Num], tgt: &[Num]) -> (Vec<usize>, Vec<usize>) {
    (lone(src, tgt), lone(tgt, src))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{issues, msgs};
    use super::*;

    #[test]
    fn same_numbers_written_their_own_way() {
        for (to, src, tgt) in [
            (
                "ru",
                "On 17 May 2018, 1,500 officers met for the 8th time.",
                "17 мая 2018 года 1 500 сотрудников собрались в 8-й раз.",
            ),
            (
                "zh",
                "On 17 May 2018, 1,500 officers met for the 8th time.",
                "2018年5月17日，1500名官员第八次会面。",
            ),
            ("ru", "It costs 3.5 million.", "Это стоит 3,5 млн."),
            ("zh", "It costs 1.5 million.", "费用为150万。"),
            ("zh", "The three UN conventions.", "联合国三大禁毒公约。"),
            (
                "ru",
                "Size: 281,474,976,710,656 bytes",
                "Размер: 281 474 976 710 656 байт",
            ),
            (
                "ru",
                "Press %1$s to copy 5 100 times",
                "Нажмите %1$s, чтобы скопировать 5 100 раз",
            ),
        ] {
            assert_eq!(
                msgs(Check::Number, to, src, tgt),
                Vec::<String>::new(),
                "{tgt}"
            );
        }
    }

    #[test]
    fn changed_missing_and_added_numbers() {
        assert_eq!(
            msgs(
                Check::Number,
                "ru",
                "Wait 5 minutes.",
                "Подождите 3 минуты."
            ),
            ["«5» in the source is «3» in the translation"]
        );
        assert_eq!(
            msgs(
                Check::Number,
                "ru",
                "The 9th meeting in 2019.",
                "Восьмое совещание в 2019 году."
            ),
            ["«9th» of the source is not in the translation"]
        );
        // an ordinal written as a word, in any case form, renders 9th
        let none: [&str; 0] = [];
        assert_eq!(
            msgs(
                Check::Number,
                "ru",
                "The 9th meeting in 2019.",
                "На девятом совещании в 2019 году."
            ),
            none
        );
        assert_eq!(
            msgs(Check::Number, "zh", "On 17 May 2018.", "2018年6月17日。"),
            [
                "the month in «17 May 2018» in the source is the month in «2018年6月17日» in the translation"
            ]
        );
        assert_eq!(
            msgs(
                Check::Number,
                "ru",
                "Size: 281,474,976,710,656 bytes",
                "Размер: 281 474 976 7100 656 байт"
            )
            .len(),
            1
        );
        assert_eq!(
            msgs(
                Check::Number,
                "ru",
                "id=2 means level '2' and /etc/rc2.d/",
                "id=2 значит уровень '' и /etc/rc2.d/"
            ),
            ["«2» of the source is not in the translation"]
        );
        let i = issues(Check::Number, "en", "zh", "Step 2 of 4", "第3步，共4步");
        assert_eq!(i[0].source, Some((5, 6)));
        assert_eq!(i[0].target, Some((1, 2)));
    }
}

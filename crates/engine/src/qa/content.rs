//! What the target holds: `untranslated` (a copy of the source), `repeat`
//! (a doubled word) and `length` (far from the language pair's norm).
//! (`empty` is decided before any other check, in [`super::Checker`].)

use polytm_text::is_han;
use polytm_text::lang::Lang;
use polytm_text::tokenize::{TokenKind, han_words};

use super::{Check, Checker, Issue, MASK, Side, UnitSides, quote};

/// `untranslated`: the target is the source, and the source has something
/// to translate: a word that is not a number, a code or identifier
/// (`LibreOffice`, `NULL`, `x86_64`, `%s`), or a word the profile lets stay.
pub fn untranslated(c: &Checker, u: &UnitSides) -> Option<Issue> {
    if u.src.text.text.trim() != u.tgt.text.text.trim() {
        return None;
    }
    let allowed = &c.settings.untranslated_allow;
    if allowed.contains(&polytm_text::fold(&u.src.text.text)) {
        return None;
    }
    // words inside a URL, a path, an e-mail address or a file name are
    // not for translating
    let chars = &u.src.chars;
    let mut codeish = vec![false; chars.len()];
    let mut i = 0;
    while i < chars.len() {
        let s = i;
        while i < chars.len() && !chars[i].is_whitespace() {
            i += 1;
        }
        let chunk = &chars[s..i];
        let inner_dot = chunk.len() > 2 && chunk[1..chunk.len() - 1].contains(&'.');
        if inner_dot || chunk.iter().any(|c| "/\\@_=<>%${}#".contains(*c)) {
            codeish[s..i].iter_mut().for_each(|x| *x = true);
        }
        i += 1;
    }
    let translatable = u.src.tokens.iter().any(|t| {
        if t.kind == TokenKind::Han {
            return true;
        }
        if t.kind != TokenKind::Word || codeish[t.start] {
            return false;
        }
        let w = u.src.token_text(t);
        let letters = w.chars().filter(|c| c.is_alphabetic()).count();
        let code = w.chars().any(|c| c.is_ascii_digit() || c == '_')
            || w.chars().skip(1).any(char::is_uppercase);
        letters > 1 && !code && !allowed.contains(&t.key)
    });
    translatable.then(|| Issue::new(Check::Untranslated, "the translation is the source text"))
}

/// `repeat`: a word written twice in a row (`в в`, `the the`), and in
/// Chinese a word of the dictionary written twice (`修补修补`; not `一步一步`,
/// and not `字符字符串`, which is `字符` `字符串`). Not when the source
/// doubles it too.
pub fn repeat(u: &UnitSides, out: &mut Vec<Issue>) {
    let src_pairs = doubled(&u.src);
    for (span, w) in doubled(&u.tgt) {
        if src_pairs
            .iter()
            .any(|(_, s)| polytm_text::fold(s) == polytm_text::fold(&w))
        {
            continue;
        }
        out.push(Issue::new(Check::Repeat, format!("doubled word {}", quote(&w))).target(span));
    }
    if u.tgt.lang.is_unspaced() {
        han_doubles(&u.tgt, out);
    }
}

/// Words written twice in a row, separated by spaces only: (span of both,
/// the word).
fn doubled(side: &Side) -> Vec<((usize, usize), String)> {
    let mut out = Vec::new();
    for p in side.tokens.windows(2) {
        let (a, b) = (&p[0], &p[1]);
        if a.kind != TokenKind::Word || b.kind != TokenKind::Word {
            continue;
        }
        let gap = &side.chars[a.end..b.start];
        if gap.is_empty() || !gap.iter().all(|c| *c == ' ' || *c == '\u{A0}') {
            continue;
        }
        let (wa, wb) = (side.token_text(a), side.token_text(b));
        if wa == wb && wa.chars().any(char::is_alphabetic) {
            out.push(((a.start, b.end), wa));
        }
    }
    out
}

fn han_doubles(side: &Side, out: &mut Vec<Issue>) {
    let c = &side.chars;
    let mut i = 0;
    while i < c.len() {
        if !is_han(c[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < c.len() && is_han(c[i]) {
            i += 1;
        }
        let run = &c[start..i];
        let candidate = (2..=4).any(|n| {
            run.len() >= 2 * n
                && (0..=run.len() - 2 * n).any(|k| run[k..k + n] == run[k + n..k + 2 * n])
        });
        if !candidate {
            continue;
        }
        let text: String = run.iter().collect();
        let words = han_words(&text);
        let mut at = start;
        for p in words.windows(2) {
            let n = p[0].chars().count();
            if p[0] == p[1] && n >= 2 && !p[0].starts_with('一') {
                out.push(
                    Issue::new(
                        Check::Repeat,
                        format!("doubled word {}", quote(&format!("{}{}", p[0], p[1]))),
                    )
                    .target((at, at + 2 * n)),
                );
            }
            at += n;
        }
    }
}

/// The length a translation usually has: target characters per source
/// character (white space and inline codes not counted) and the spread of
/// its logarithm, from the languages' profiles.
#[derive(Debug, Clone, Copy)]
pub struct LengthNorm {
    norm: Option<(f64, f64)>,
}

/// Sources shorter than this (characters) vary too much to judge.
const MIN_SOURCE: usize = 20;
/// How many standard deviations from the norm is "far".
const FAR: f64 = 5.0;
/// The mean length (characters without white space) of the English
/// sentences the spread was measured on: a shorter source varies more (the
/// variance of a length difference grows with the length, as in Gale and
/// Church's model, so that of the log ratio shrinks with it).
const MEASURED_AT: f64 = 107.0;

impl LengthNorm {
    pub fn of(from: &Lang, to: &Lang) -> LengthNorm {
        let a = from.profile().typography.length_vs_english;
        let b = to.profile().typography.length_vs_english;
        LengthNorm {
            norm: match (a, b) {
                (Some((ra, sa)), Some((rb, sb))) => Some((rb / ra, (sa * sa + sb * sb).sqrt())),
                _ => None,
            },
        }
    }

    pub fn check(&self, u: &UnitSides, out: &mut Vec<Issue>) {
        let Some((ratio, sd)) = self.norm else {
            return;
        };
        let count = |s: &Side| {
            s.chars
                .iter()
                .filter(|c| !c.is_whitespace() && **c != MASK)
                .count()
        };
        let (ls, lt) = (count(&u.src), count(&u.tgt));
        if ls < MIN_SOURCE || lt == 0 || sd <= 0.0 {
            return;
        }
        let actual = lt as f64 / ls as f64;
        let spread = sd * (MEASURED_AT / ls as f64).sqrt().max(1.0);
        if ((actual / ratio).ln() / spread).abs() > FAR {
            out.push(Issue::new(
                Check::Length,
                format!(
                    "the translation is {actual:.2}× as long as the source; the norm for {}→{} is {ratio:.2}×",
                    u.src.lang.as_str(),
                    u.tgt.lang.as_str()
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::msgs;
    use super::*;

    #[test]
    fn copies_of_the_source() {
        let un = |s, t| msgs(Check::Untranslated, "ru", s, t);
        assert_eq!(
            un("Open the file", "Open the file"),
            ["the translation is the source text"]
        );
        for s in [
            "LibreOffice",
            "NULL",
            "%s: %d",
            "x86_64",
            "3.5",
            "http://example.org",
        ] {
            assert_eq!(un(s, s), Vec::<String>::new(), "{s}");
        }
    }

    #[test]
    fn doubled_words() {
        let rep = |to, s, t| msgs(Check::Repeat, to, s, t);
        assert_eq!(
            rep("ru", "For the file", "Для Для файла"),
            ["doubled word «Для»"]
        );
        assert_eq!(
            rep("zh", "Patch it", "修补修补它"),
            ["doubled word «修补修补»"]
        );
        assert_eq!(
            rep("zh", "NULL value", "NULL NULL 值"),
            ["doubled word «NULL»"]
        );
        for (to, s, t) in [
            ("ru", "the Data field", "поле Поле данных"),
            ("zh", "step by step", "一步一步"),
            ("zh", "multi-char string", "多字符字符串"),
            ("ru", "that that", "that that"),
        ] {
            assert_eq!(rep(to, s, t), Vec::<String>::new(), "{t}");
        }
    }

    #[test]
    fn length_far_from_the_norm() {
        let src = "The meeting of the heads of the agencies was held in Tianjin.";
        assert!(
            msgs(
                Check::Length,
                "ru",
                src,
                "Совещание руководителей ведомств прошло в Тяньцзине."
            )
            .is_empty()
        );
        assert!(msgs(Check::Length, "zh", src, "各机构负责人会议在天津举行。").is_empty());
        assert!(
            msgs(
                Check::Length,
                "ru",
                "Inverse cotangent or arccotangent",
                "Арккотангенс"
            )
            .is_empty()
        );
        let m = msgs(Check::Length, "ru", src, "Да.");
        assert_eq!(m.len(), 1);
        assert!(m[0].contains("the norm for en→ru is 1.13×"), "{}", m[0]);
    }
}

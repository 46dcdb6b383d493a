//! Word-level matching for languages written with spaces: how a word of a
//! glossary term matches a word of running text.
//!
//! A text is cut into **units** (words, numbers, punctuation marks) by
//! [`polytm_text::tokenize`]. A hyphen joining two words is dropped (so
//! `Counter-Narcotics` = `Counter Narcotics`); in English the article `the`
//! is dropped (`Ministry of the Interior` = `Ministry of Interior`), `&` is
//! `and`, and British spellings fold to American ones for matching
//! (`Organisation` = `Organization`, `Centre` = `Center`).
//!
//! Two words match when their folded forms are equal, or when both are
//! longer than three letters and they share a **base**: a prefix of at
//! least three letters such that what follows it in each word is an
//! inflectional ending of the language. The endings, the words left out,
//! the spelling variants and the numeral forms are the language's, from its
//! profile ([`polytm_text::lang::profile::WordMatching`]); this module is
//! the algorithm. For Russian the endings are the
//! noun, adjective and participle endings (`Министерство` / `Министерства` /
//! `Министерством` share `министерств`; `Министр` shares nothing with them),
//! for English the plural endings (`Agency` / `Agencies`). Snowball stems
//! are not used for Russian because they split proper names
//! (`Китай`→`кита`, `Китая`→`кит`; `Афганистан`→`афганиста`,
//! `Афганистане`→`афганистан`). Other languages with a Snowball stemmer
//! match on equal stems.
//!
//! A word written in capitals in a term (`SCO`, `ШОС`, `МВД`) matches only
//! the same word in capitals; a one-word term written with a capital
//! (`China`, `Вена`) matches only a capitalised word (not `china`, `вена`).

use std::collections::HashSet;

use polytm_text::lang::Lang;
use polytm_text::lang::profile::WordMatching;
use polytm_text::stem::Stemmer;
use polytm_text::tokenize::{Token, TokenKind, tokenize_folded};
use polytm_text::{Folded, is_han};

/// How words of one language are compared.
pub(crate) enum Rule {
    /// Shared bases before the language's endings (see the module
    /// documentation).
    Endings(&'static WordMatching),
    /// Equal Snowball stems.
    Stem(Stemmer),
    /// Equal folded forms only.
    Exact,
}

impl Rule {
    pub(crate) fn for_lang(lang: &Lang) -> Rule {
        let words = &lang.profile().words;
        if !words.endings.is_empty() {
            return Rule::Endings(words);
        }
        let s = Stemmer::new(lang);
        if s.is_active() {
            Rule::Stem(s)
        } else {
            Rule::Exact
        }
    }

    /// The bases of a folded word with the ending that follows each (see
    /// the module documentation); empty when the word only matches exactly.
    /// With `keep`, only the bases in that set (the bases of the glossary's
    /// words: any other base cannot match).
    pub(crate) fn bases(&self, w: &str, keep: Option<&HashSet<String>>) -> Vec<Base> {
        let n = w.chars().count();
        if n <= 3 {
            return Vec::new();
        }
        match self {
            Rule::Endings(words) => ending_bases(w, words, keep),
            Rule::Stem(s) => {
                let base = s.stem(w).into_owned();
                if keep.is_some_and(|k| !k.contains(&base)) {
                    Vec::new()
                } else {
                    vec![Base {
                        base,
                        ending: STEM,
                        bare_ok: true,
                    }]
                }
            }
            Rule::Exact => Vec::new(),
        }
    }
}

/// A base of a word and the ending after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Base {
    pub base: String,
    pub ending: &'static str,
    /// The ending may stand where the other word has none.
    pub bare_ok: bool,
}

/// The "ending" of a Snowball stem: compatible with anything.
const STEM: &str = "*";

impl Base {
    /// Can the two words be forms of one word?
    pub(crate) fn agrees(&self, other: &Base) -> bool {
        if self.base != other.base {
            return false;
        }
        if self.ending == STEM || other.ending == STEM {
            return true;
        }
        if self.ending.is_empty() {
            other.bare_ok
        } else if other.ending.is_empty() {
            self.bare_ok
        } else {
            true
        }
    }
}

/// Every prefix of `w` of at least three characters that is followed by one
/// of the language's endings, and `w` itself (ending ""); only those in
/// `keep`, if given.
fn ending_bases(w: &str, words: &WordMatching, keep: Option<&HashSet<String>>) -> Vec<Base> {
    let wanted = |b: &str| keep.is_none_or(|k| k.contains(b));
    let bare_ok = |e: &str| words.after_no_ending.is_none_or(|l| l.contains(&e));
    let mut out = Vec::new();
    if wanted(w) {
        out.push(Base {
            base: w.to_string(),
            ending: "",
            bare_ok: bare_ok(""),
        });
    }
    for e in words.endings {
        if let Some(b) = w.strip_suffix(e)
            && b.chars().count() >= 3
            && wanted(b)
        {
            out.push(Base {
                base: b.to_string(),
                ending: e,
                bare_ok: bare_ok(e),
            });
        }
    }
    out
}

/// One unit of a term or a text.
#[derive(Debug, Clone)]
pub(crate) struct Unit {
    /// Folded (and, for English, spelling-folded) form.
    pub key: String,
    /// Bases (empty: matches exactly only).
    pub bases: Vec<Base>,
    /// Written all in capitals (two letters or more).
    pub caps: bool,
    /// Starts with a capital letter.
    pub initial: bool,
    /// Characters of the original text.
    pub start: usize,
    pub end: usize,
}

impl Unit {
    /// Does this unit of running text match the term unit `p`?
    /// `single`: `p` is the only word of its term.
    pub(crate) fn matches(&self, p: &Unit, single: bool) -> bool {
        if p.caps {
            return self.caps && self.key == p.key;
        }
        if single && p.initial && !self.initial {
            return false;
        }
        if self.key == p.key {
            return true;
        }
        // a genitive plural of three letters inside a longer name (`Сил по
        // борьбе` of `Силы по борьбе`): too short for bases of its own
        if !single && self.bases.is_empty() && self.key.chars().count() == 3 {
            return p
                .bases
                .iter()
                .any(|b| b.base == self.key && b.bare_ok && !b.ending.is_empty());
        }
        if p.bases.is_empty() || self.bases.is_empty() {
            return false;
        }
        p.bases
            .iter()
            .any(|b| self.bases.iter().any(|t| t.agrees(b)))
    }
}

/// Cut a text (or a term) into units by the rules of `lang`.
pub(crate) fn units(text: &str, lang: &Lang, rule: &Rule) -> Vec<Unit> {
    units_keeping(text, lang, rule, None)
}

/// [`units`], keeping only the bases in `keep` (see [`Rule::bases`]).
pub(crate) fn units_keeping(
    text: &str,
    lang: &Lang,
    rule: &Rule,
    keep: Option<&HashSet<String>>,
) -> Vec<Unit> {
    let folded = Folded::new(text);
    let tokens = tokenize_folded(&folded, lang);
    units_of_tokens(text, &tokens, lang, rule, keep)
}

pub(crate) fn units_of_tokens(
    text: &str,
    tokens: &[Token],
    lang: &Lang,
    rule: &Rule,
    keep: Option<&HashSet<String>>,
) -> Vec<Unit> {
    let words = &lang.profile().words;
    // Character offsets → byte offsets of the original, to look at the
    // surface (capitals) of each token.
    let byte_at: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect();
    let surface = |t: &Token| -> &str {
        let s = byte_at.get(t.start).copied().unwrap_or(text.len());
        let e = byte_at.get(t.end).copied().unwrap_or(text.len());
        text.get(s..e).unwrap_or("")
    };
    let mut out: Vec<Unit> = Vec::with_capacity(tokens.len());
    for (i, t) in tokens.iter().enumerate() {
        if t.kind == TokenKind::Punct && is_hyphen(&t.key) {
            let joined = i > 0
                && i + 1 < tokens.len()
                && tokens[i - 1].end == t.start
                && tokens[i + 1].start == t.end
                && tokens[i - 1].is_wordlike()
                && tokens[i + 1].is_wordlike();
            if joined {
                continue;
            }
        }
        if t.kind == TokenKind::Word && words.skip.contains(&t.key.as_str()) {
            continue;
        }
        let mut key = t.key.clone();
        if t.kind == TokenKind::Punct
            && let Some((_, w)) = words.symbols.iter().find(|(sym, _)| *sym == key)
        {
            key = (*w).to_string();
        }
        if t.kind == TokenKind::Punct {
            key = punct_key(&key).to_string();
        }
        let surf = surface(t);
        let caps = t.kind == TokenKind::Word && crate::model::is_all_caps(surf);
        let initial = surf.chars().next().is_some_and(|c| c.is_uppercase());
        let mut bases = Vec::new();
        if t.kind == TokenKind::Word {
            if let Some(spelling) = words.spelling {
                key = spelling(&key).into_owned();
            }
            if let Some((_, n)) = words.numeral_forms.iter().find(|(w, _)| *w == key) {
                key = (*n).to_string();
            }
            if !key.chars().any(is_han) {
                bases = rule.bases(&key, keep);
            }
        }
        out.push(Unit {
            key,
            bases,
            caps,
            initial,
            start: t.start,
            end: t.end,
        });
    }
    out
}

fn is_hyphen(k: &str) -> bool {
    matches!(k, "-" | "\u{2010}" | "\u{2011}")
}

/// Punctuation that is written in several ways matches as one.
fn punct_key(k: &str) -> &str {
    match k {
        "\u{2013}" | "\u{2014}" | "\u{2212}" => "-",
        "«" | "»" | "“" | "”" | "„" | "\u{201F}" | "\"" => "\"",
        "‘" | "’" | "\u{201B}" | "`" => "'",
        _ => k,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str, lang: &Lang) -> Vec<String> {
        units(text, lang, &Rule::for_lang(lang))
            .into_iter()
            .map(|u| u.key)
            .collect()
    }

    fn word_match(term: &str, text: &str, lang: &Lang) -> bool {
        let r = Rule::for_lang(lang);
        let p = units(term, lang, &r);
        let t = units(text, lang, &r);
        let single = p.len() == 1;
        p.len() == t.len() && p.iter().zip(&t).all(|(pu, tu)| tu.matches(pu, single))
    }

    #[test]
    fn russian_inflections_match_and_minister_does_not() {
        let ru = Lang::ru();
        for form in [
            "Министерства",
            "Министерством",
            "Министерству",
            "МИНИСТЕРСТВА",
        ] {
            assert!(word_match("Министерство", form, &ru), "{form}");
        }
        assert!(word_match(
            "Министерство внутренних дел",
            "министерстве внутренних дел",
            &ru
        ));
        assert!(!word_match("Министерство", "Министр", &ru));
        assert!(!word_match("Министерство", "Министра", &ru));
        assert!(word_match("Китай", "Китая", &ru));
        assert!(word_match("Китай", "Китае", &ru));
        assert!(
            !word_match("Китай", "кита", &ru),
            "one-word names need a capital"
        );
        assert!(!word_match("Китай", "Китайский", &ru));
        assert!(!word_match("Китай", "Кита", &ru));
        assert!(
            !word_match("Россия", "Росс", &ru),
            "a surname is not Russia"
        );
        assert!(word_match("Россия", "Россией", &ru));
        assert!(word_match("Казахстан", "Казахстаном", &ru));
        assert!(word_match("Республика", "Республик", &ru));
        assert!(word_match("Афганистан", "Афганистане", &ru));
        assert!(word_match("Беларусь", "Беларуси", &ru));
        assert!(word_match(
            "Российская Федерация",
            "Российской Федерации",
            &ru
        ));
        assert!(word_match(
            "государства-члены ШОС",
            "государствах-членах ШОС",
            &ru
        ));
        assert!(
            !word_match("ШОС", "шос", &ru),
            "abbreviations need capitals"
        );
        assert!(word_match("три конвенции", "трём конвенциям", &ru));
        // short words match exactly only
        assert!(!word_match("при", "прием", &ru));
        assert!(!word_match("при", "про", &ru));
    }

    #[test]
    fn english_variants() {
        let en = Lang::en();
        assert!(word_match(
            "Shanghai Cooperation Organisation",
            "Shanghai Cooperation Organization",
            &en
        ));
        assert!(word_match(
            "Counter-Narcotics Agencies",
            "counter narcotics agency",
            &en
        ));
        assert!(word_match(
            "Ministry of the Interior",
            "Ministry of Interior",
            &en
        ));
        assert!(word_match(
            "National Information-Analytical Centre",
            "National Information Analytical Center",
            &en
        ));
        assert!(word_match(
            "UN Office on Drugs and Crime",
            "UN Office on Drugs & Crime",
            &en
        ));
        assert!(!word_match("China", "china", &en));
        assert!(!word_match("UN", "un", &en));
        assert_eq!(
            keys("the People’s Republic of China's", &en),
            ["people", "'s", "republic", "of", "china", "'s"]
        );
    }

    #[test]
    fn bases() {
        let r = Rule::for_lang(&Lang::ru());
        let b = r.bases("министерства", None);
        assert!(b.iter().any(|b| b.base == "министерств" && b.ending == "а"));
        assert!(r.bases("дел", None).is_empty());
        // the spelling assertions moved with the spellings to polytm_text's en.rs
    }
}

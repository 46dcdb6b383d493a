//! Putting one concept's name in place of another's, in the grammatical
//! form the text used.
//!
//! The fuzzy matcher repairs a translation-memory proposal whose source
//! named another agency: the Russian target says "Министерства внутренних
//! дел Республики Казахстан" (genitive) and must now name the Kyrgyz
//! ministry, whose term is "Министерство внутренних дел Кыргызской
//! Республики". [`inflect_like`] works out the case of the occurrence from
//! the words that changed between the glossary term and the text
//! (`Министерство` → `Министерства`: genitive), and puts the new term's
//! inflecting words in that case (`Министерства внутренних дел Кыргызской
//! Республики`; `Агентство` → `Агентства`, `Кыргызская Республика` →
//! `Кыргызской Республики`).
//!
//! The inflecting words of a Russian name are its leading adjectives and
//! the head noun after them (`Национальный информационно-аналитический
//! центр`, `Российская Федерация`, `Министерство`); the words after the head
//! (`внутренних дел Республики Казахстан`, `при Президенте ...`) keep their
//! form. Nouns and adjectives are declined with the regular singular
//! paradigms. When the text's form fits several cases that would give the
//! new term different forms (`Республике` is dative or prepositional), the
//! preposition before the occurrence decides (`в`, `о`, `при` →
//! prepositional; `к`, `по` → dative; no preposition → not prepositional);
//! when it still cannot be told, or a word is of a kind the paradigms do not
//! cover (soft-sign nouns, plurals), the answer is `None`: not safe.
//!
//! English and Chinese names do not inflect: the new term is used as it is
//! (an English possessive `'s` stays outside the hit, so "Kazakhstan's"
//! becomes "Kyrgyzstan's").
//!
//! The language's knowledge — its cases, the paradigms by ending, which
//! words are adjectives, which cases a preposition governs, the words that
//! do not decline — is its profile's
//! ([`polytm_text::lang::profile::Inflection`], Russian in `ru.rs`); this
//! module is the algorithm: find the case, build the new term, settle
//! ambiguity, keep capitals.

use polytm_text::fold;
use polytm_text::lang::Lang;
use polytm_text::lang::profile::{Inflection, Paradigm};

/// A case: an index into the language's [`Inflection::cases`]; 0 is the
/// dictionary form.
type Case = usize;

/// The dictionary form (nominative).
const DICTIONARY_FORM: Case = 0;

/// The form `new_term` takes in the place where the text has `surface`, a
/// form of `old_term`. `before` is the word just before the occurrence (for
/// the preposition rule), if any. `None` when it cannot be done safely.
pub fn inflect_like(
    lang: &Lang,
    surface: &str,
    old_term: &str,
    new_term: &str,
    before: Option<&str>,
) -> Option<String> {
    let Some(inf) = lang.profile().inflection else {
        return Some(new_term.to_string());
    };
    let all: Vec<Case> = (0..inf.cases.len()).collect();
    let s_words: Vec<&str> = surface.split_whitespace().collect();
    let o_words: Vec<&str> = old_term.split_whitespace().collect();
    let n_words: Vec<&str> = new_term.split_whitespace().collect();
    if n_words.is_empty() {
        return None;
    }
    if s_words.len() != o_words.len() {
        return None;
    }
    let o_head = head_len(&inf, &o_words);
    // The words after the head keep their form.
    for j in o_head..o_words.len() {
        if fold(s_words[j]) != fold(o_words[j]) {
            return None;
        }
    }
    let mut cases: Vec<Case> = all.clone();
    for i in 0..o_head {
        let adj = i + 1 < o_head;
        let o = o_words[i];
        let s = fold(s_words[i]);
        let fits: Vec<Case> = match paradigm(&inf, o, adj) {
            Some(p) => all
                .iter()
                .copied()
                .filter(|&c| form(o, p, c).is_some_and(|f| fold(&f) == s))
                .collect(),
            None if fold(o) == s => all.clone(),
            None => return None,
        };
        cases.retain(|c| fits.contains(c));
    }
    if cases.is_empty() {
        return None;
    }
    let out = decide(&inf, &cases, before, |c| {
        build(&inf, &o_words, o_head, &s_words, &n_words, c)
    })?;
    Some(match_capitals(surface, out))
}

/// Build the new term in each possible case; answer when all agree, else
/// narrow the cases by the preposition before the occurrence.
fn decide(
    inf: &Inflection,
    cases: &[Case],
    before: Option<&str>,
    build: impl Fn(Case) -> Option<String>,
) -> Option<String> {
    let unanimous = |cs: &[Case]| -> Option<String> {
        let mut first: Option<String> = None;
        for &c in cs {
            let f = build(c)?;
            match &first {
                None => first = Some(f),
                Some(x) if *x == f => {}
                Some(_) => return None,
            }
        }
        first
    };
    if let Some(f) = unanimous(cases) {
        return Some(f);
    }
    let allowed = (inf.governs)(&before.map(fold).unwrap_or_default());
    let narrowed: Vec<Case> = cases
        .iter()
        .copied()
        .filter(|c| allowed.contains(c))
        .collect();
    if narrowed.is_empty() || narrowed.len() == cases.len() {
        return None;
    }
    unanimous(&narrowed)
}

/// The new term with its inflecting words in case `c`. A word it shares
/// with the old term's inflecting words takes the text's form of it.
fn build(
    inf: &Inflection,
    o_words: &[&str],
    o_head: usize,
    s_words: &[&str],
    n_words: &[&str],
    c: Case,
) -> Option<String> {
    let n_head = head_len(inf, n_words);
    let mut out: Vec<String> = Vec::with_capacity(n_words.len());
    for (k, w) in n_words.iter().enumerate() {
        if k >= n_head {
            out.push((*w).to_string());
            continue;
        }
        let is_head = k + 1 == n_head;
        let shared = (0..o_head)
            .find(|&i| (i + 1 == o_head) == is_head && fold(o_words[i]) == fold(w))
            .and_then(|i| s_words.get(i));
        if let Some(s) = shared {
            out.push((*s).to_string());
            continue;
        }
        match paradigm(inf, w, !is_head) {
            Some(p) => out.push(form(w, p, c)?),
            None if c == DICTIONARY_FORM => out.push((*w).to_string()),
            None => return None,
        }
    }
    Some(out.join(" "))
}

/// An all-capitals occurrence (a heading) gets the new term in capitals.
fn match_capitals(surface: &str, out: String) -> String {
    let letters: Vec<char> = surface.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() > 3
        && surface.split_whitespace().count() > 1
        && letters.iter().all(|c| !c.is_lowercase())
    {
        out.to_uppercase()
    } else {
        out
    }
}

/// How many leading words of a name inflect: its leading adjectives and
/// the head noun after them.
fn head_len(inf: &Inflection, words: &[&str]) -> usize {
    let mut k = 0;
    while k < words.len() {
        if k + 1 < words.len() && is_adjective(inf, last_segment(words[k])) {
            k += 1;
            continue;
        }
        return k + 1;
    }
    words.len()
}

fn last_segment(w: &str) -> &str {
    w.rsplit('-').next().unwrap_or(w)
}

/// An adjective of the language, not an abbreviation in capitals.
fn is_adjective(inf: &Inflection, w: &str) -> bool {
    !crate::model::is_all_caps(w) && (inf.is_adjective)(&fold(w))
}

/// The paradigm of a word in the dictionary form (`adj`: declined as an
/// adjective): abbreviations in capitals and words with digits or signs do
/// not change; the rest is the language's.
fn paradigm(inf: &Inflection, word: &str, adj: bool) -> Option<Paradigm> {
    let seg = last_segment(word);
    if crate::model::is_all_caps(seg) || seg.chars().any(|c| !c.is_alphabetic()) {
        return Some(Paradigm::UNCHANGED);
    }
    (inf.paradigm)(&fold(seg), adj)
}

/// `word` in case `c`; `None` when the ending is not known.
fn form(word: &str, p: Paradigm, c: Case) -> Option<String> {
    let ending = p.ending(c)?;
    let chars: Vec<char> = word.chars().collect();
    let keep = chars.len().checked_sub(p.strip)?;
    let base: String = chars[..keep].iter().collect();
    let caps = crate::model::is_all_caps(word);
    Some(if caps {
        format!("{base}{}", ending.to_uppercase())
    } else {
        format!("{base}{ending}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ru(surface: &str, old: &str, new: &str, before: Option<&str>) -> Option<String> {
        inflect_like(&Lang::ru(), surface, old, new, before)
    }

    #[test]
    fn genitive_head_carried_over() {
        assert_eq!(
            ru(
                "Министерства внутренних дел Республики Казахстан",
                "Министерство внутренних дел Республики Казахстан",
                "Министерство внутренних дел Кыргызской Республики",
                Some("делегации"),
            )
            .as_deref(),
            Some("Министерства внутренних дел Кыргызской Республики")
        );
        assert_eq!(
            ru(
                "Министерства внутренних дел Республики Казахстан",
                "Министерство внутренних дел Республики Казахстан",
                "Агентство по контролю за наркотиками при Президенте Республики Таджикистан",
                None,
            )
            .as_deref(),
            Some("Агентства по контролю за наркотиками при Президенте Республики Таджикистан")
        );
    }

    #[test]
    fn instrumental_and_adjectives() {
        assert_eq!(
            ru(
                "Министерством внутренних дел Российской Федерации",
                "Министерство внутренних дел Российской Федерации",
                "Национальный информационно-аналитический центр по контролю за наркотиками",
                Some("организовано"),
            )
            .as_deref(),
            Some("Национальным информационно-аналитическим центром по контролю за наркотиками")
        );
        assert_eq!(
            ru(
                "Российской Федерации",
                "Российская Федерация",
                "Кыргызская Республика",
                Some("в"),
            )
            .as_deref(),
            Some("Кыргызской Республике")
        );
    }

    #[test]
    fn ambiguity_resolved_by_preposition_or_refused() {
        // Республике: dative or prepositional; the new term differs.
        assert_eq!(
            ru(
                "Республике Казахстан",
                "Республика Казахстан",
                "Китай",
                Some("в")
            )
            .as_deref(),
            Some("Китае")
        );
        assert_eq!(
            ru(
                "Республике Казахстан",
                "Республика Казахстан",
                "Китай",
                Some("к")
            )
            .as_deref(),
            Some("Китаю")
        );
        assert_eq!(
            ru("Индии", "Индия", "Казахстан", Some("делегация")).as_deref(),
            None,
            "genitive or dative without a preposition"
        );
        assert_eq!(
            ru("Индии", "Индия", "Казахстан", Some("из")).as_deref(),
            Some("Казахстана")
        );
    }

    #[test]
    fn nominative_and_unsafe_cases() {
        assert_eq!(
            ru(
                "Министерство внутренних дел Республики Казахстан",
                "Министерство внутренних дел Республики Казахстан",
                "Агентство по контролю за наркотиками",
                None
            )
            .as_deref(),
            Some("Агентство по контролю за наркотиками")
        );
        // a feminine head: nominative and accusative differ
        assert_eq!(
            ru(
                "Министерство внутренних дел",
                "Министерство внутренних дел",
                "Служба безопасности",
                None
            ),
            None
        );
        // a soft-sign head of unknown gender
        assert_eq!(ru("Казахстана", "Казахстан", "Беларусь", Some("из")), None);
        // the fixed part changed: not a form of the old term
        assert_eq!(
            ru(
                "Министерства внутренних дел Республики Казахстана",
                "Министерство внутренних дел Республики Казахстан",
                "Агентство",
                None
            ),
            None
        );
        // an indeclinable head: only the preposition tells the case
        let bureau = |before| {
            ru(
                "Бюро по борьбе с наркотиками Индии",
                "Бюро по борьбе с наркотиками Индии",
                "Министерство по борьбе с наркотиками Пакистана",
                before,
            )
        };
        assert_eq!(
            bureau(Some("из")).as_deref(),
            Some("Министерства по борьбе с наркотиками Пакистана")
        );
        assert_eq!(bureau(None), None);
    }

    #[test]
    fn other_languages_unchanged_and_capitals() {
        assert_eq!(
            inflect_like(&Lang::en(), "Kazakhstan", "Kazakhstan", "Kyrgyzstan", None).as_deref(),
            Some("Kyrgyzstan")
        );
        assert_eq!(
            ru(
                "МИНИСТЕРСТВА ВНУТРЕННИХ ДЕЛ РЕСПУБЛИКИ КАЗАХСТАН",
                "Министерство внутренних дел Республики Казахстан",
                "Министерство внутренних дел Кыргызской Республики",
                None
            )
            .as_deref(),
            Some("МИНИСТЕРСТВА ВНУТРЕННИХ ДЕЛ КЫРГЫЗСКОЙ РЕСПУБЛИКИ")
        );
    }
}

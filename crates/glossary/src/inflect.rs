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

use polytm_text::fold;
use polytm_text::lang::{Family, Lang};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Case {
    Nom,
    Gen,
    Dat,
    Acc,
    Ins,
    Prep,
}

const CASES: [Case; 6] = [
    Case::Nom,
    Case::Gen,
    Case::Dat,
    Case::Acc,
    Case::Ins,
    Case::Prep,
];

/// Endings in the order of [`CASES`]; `"?"`: not known (stress-dependent).
type Paradigm = (usize, [&'static str; 6]);

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
    if lang.family() != Family::Russian {
        return Some(new_term.to_string());
    }
    let s_words: Vec<&str> = surface.split_whitespace().collect();
    let o_words: Vec<&str> = old_term.split_whitespace().collect();
    let n_words: Vec<&str> = new_term.split_whitespace().collect();
    if n_words.is_empty() {
        return None;
    }
    if s_words.len() != o_words.len() {
        return None;
    }
    let o_head = head_len(&o_words);
    // The words after the head keep their form.
    for j in o_head..o_words.len() {
        if fold(s_words[j]) != fold(o_words[j]) {
            return None;
        }
    }
    let mut cases: Vec<Case> = CASES.to_vec();
    for i in 0..o_head {
        let adj = i + 1 < o_head;
        let o = o_words[i];
        let s = fold(s_words[i]);
        let fits: Vec<Case> = match paradigm(o, adj) {
            Some(p) => CASES
                .iter()
                .copied()
                .filter(|&c| form(o, p, c).is_some_and(|f| fold(&f) == s))
                .collect(),
            None if fold(o) == s => CASES.to_vec(),
            None => return None,
        };
        cases.retain(|c| fits.contains(c));
    }
    if cases.is_empty() {
        return None;
    }
    let out = decide(&cases, before, |c| {
        build(&o_words, o_head, &s_words, &n_words, c)
    })?;
    Some(match_capitals(surface, out))
}

/// Build the new term in each possible case; answer when all agree, else
/// narrow the cases by the preposition before the occurrence.
fn decide(
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
    let allowed = preposition_cases(before);
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
    o_words: &[&str],
    o_head: usize,
    s_words: &[&str],
    n_words: &[&str],
    c: Case,
) -> Option<String> {
    let n_head = head_len(n_words);
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
        match paradigm(w, !is_head) {
            Some(p) => out.push(form(w, p, c)?),
            None if c == Case::Nom => out.push((*w).to_string()),
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
fn head_len(words: &[&str]) -> usize {
    let mut k = 0;
    while k < words.len() {
        if k + 1 < words.len() && is_adjective(last_segment(words[k])) {
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

fn is_adjective(w: &str) -> bool {
    let f = fold(w);
    f.chars().count() >= 4
        && !crate::model::is_all_caps(w)
        && ["ый", "ий", "ой", "ая", "яя", "ое", "ее"]
            .iter()
            .any(|e| f.ends_with(e))
}

/// Words that do not decline.
const INDECLINABLE: &[&str] = &[
    "бюро",
    "кафе",
    "метро",
    "кино",
    "радио",
    "депо",
    "жюри",
    "душанбе",
    "токио",
    "баку",
    "сочи",
    "дели",
    "осло",
    "монако",
    "конго",
    "того",
    "перу",
    "чили",
];

/// The singular paradigm of a word in the nominative (`adj`: declined as an
/// adjective), as (characters to strip, endings by case).
fn paradigm(word: &str, adj: bool) -> Option<Paradigm> {
    let seg = last_segment(word);
    if crate::model::is_all_caps(seg) || seg.chars().any(|c| !c.is_alphabetic()) {
        return Some((0, [""; 6]));
    }
    let f = fold(seg);
    let chars: Vec<char> = f.chars().collect();
    let n = chars.len();
    if n < 2 {
        return Some((0, [""; 6]));
    }
    let last = chars[n - 1];
    let prev = chars[n - 2];
    let ends = |e: &str| f.ends_with(e);
    let velar = |c: char| "гкх".contains(c);
    let sibilant = |c: char| "жшчщ".contains(c);
    if adj {
        let before_ending = if n >= 3 { chars[n - 3] } else { ' ' };
        return Some(if ends("ый") {
            (2, ["ый", "ого", "ому", "ый", "ым", "ом"])
        } else if ends("ой") {
            (2, ["ой", "ого", "ому", "ой", "ым", "ом"])
        } else if ends("ий") {
            if velar(before_ending) {
                (2, ["ий", "ого", "ому", "ий", "им", "ом"])
            } else {
                (2, ["ий", "его", "ему", "ий", "им", "ем"])
            }
        } else if ends("ая") {
            if sibilant(before_ending) {
                (2, ["ая", "ей", "ей", "ую", "ей", "ей"])
            } else {
                (2, ["ая", "ой", "ой", "ую", "ой", "ой"])
            }
        } else if ends("яя") {
            (2, ["яя", "ей", "ей", "юю", "ей", "ей"])
        } else if ends("ое") {
            (2, ["ое", "ого", "ому", "ое", "ым", "ом"])
        } else if ends("ее") {
            (2, ["ее", "его", "ему", "ее", "им", "ем"])
        } else {
            return None;
        });
    }
    if INDECLINABLE.contains(&f.as_str()) {
        return Some((0, [""; 6]));
    }
    Some(if ends("ия") {
        (2, ["ия", "ии", "ии", "ию", "ией", "ии"])
    } else if ends("ие") {
        (2, ["ие", "ия", "ию", "ие", "ием", "ии"])
    } else if ends("ье") {
        (2, ["ье", "ья", "ью", "ье", "ьем", "ье"])
    } else if ends("ий") {
        (2, ["ий", "ия", "ию", "ий", "ием", "ии"])
    } else {
        match last {
            'а' if velar(prev) => (1, ["а", "и", "е", "у", "ой", "е"]),
            'а' if sibilant(prev) || prev == 'ц' => (1, ["а", "и", "е", "у", "?", "е"]),
            'а' => (1, ["а", "ы", "е", "у", "ой", "е"]),
            'я' => (1, ["я", "и", "е", "ю", "ей", "е"]),
            'о' if "аеиоуыэюя".contains(prev) => (0, [""; 6]),
            'о' => (1, ["о", "а", "у", "о", "ом", "е"]),
            'е' if "аеиоуыэюя".contains(prev) => (0, [""; 6]),
            'е' => (1, ["е", "я", "ю", "е", "ем", "е"]),
            'й' => (1, ["й", "я", "ю", "й", "ем", "е"]),
            // Soft-sign nouns are masculine or feminine: not known.
            'ь' => return None,
            'и' | 'у' | 'ю' | 'ы' | 'э' => (0, [""; 6]),
            c if sibilant(c) || c == 'ц' => (0, ["", "а", "у", "", "?", "е"]),
            c if ('а'..='я').contains(&c) => (0, ["", "а", "у", "", "ом", "е"]),
            _ => return None,
        }
    })
}

/// `word` in case `c`; `None` when the ending is not known.
fn form(word: &str, p: Paradigm, c: Case) -> Option<String> {
    let (strip, endings) = p;
    let ending = endings[CASES.iter().position(|&x| x == c)?];
    if ending == "?" {
        return None;
    }
    let chars: Vec<char> = word.chars().collect();
    let keep = chars.len().checked_sub(strip)?;
    let base: String = chars[..keep].iter().collect();
    let caps = crate::model::is_all_caps(word);
    Some(if caps {
        format!("{base}{}", ending.to_uppercase())
    } else {
        format!("{base}{ending}")
    })
}

/// The cases a preposition governs; without one, any case but the
/// prepositional.
fn preposition_cases(before: Option<&str>) -> Vec<Case> {
    use Case::*;
    let w = before.map(fold).unwrap_or_default();
    match w.as_str() {
        "в" | "во" | "на" => vec![Acc, Prep],
        "о" | "об" | "обо" => vec![Prep, Acc],
        "при" => vec![Prep],
        "к" | "ко" | "по" | "благодаря" | "согласно" | "вопреки" | "навстречу" =>
        {
            vec![Dat]
        }
        "с" | "со" => vec![Ins, Gen],
        "за" | "под" | "подо" => vec![Ins, Acc],
        "между" | "над" | "надо" | "перед" | "передо" => vec![Ins],
        "через" | "про" | "сквозь" => vec![Acc],
        "от" | "ото" | "из" | "изо" | "у" | "для" | "до" | "без" | "около" | "после" | "против"
        | "вокруг" | "среди" | "кроме" | "вместо" | "возле" | "ради" | "из-за" | "стороны" =>
        {
            vec![Gen]
        }
        _ => vec![Nom, Gen, Dat, Acc, Ins],
    }
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

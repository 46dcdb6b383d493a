//! English: abbreviations, months, ordinals (`8th`), possessives, number
//! words, stopwords, and how glossary names match (plural endings, British
//! and American spelling, `the` and `&`).

use std::borrow::Cow;

use super::generic::BASE;
use super::profile::{
    Abbreviations, Algorithm, Calendar, NumberFormat, NumberWords, Ordinals, Profile, Script,
    Typography, WordMatching,
};

pub static PROFILE: Profile = Profile {
    codes: &["en"],
    name: Some("English"),
    script: Script::Latin,
    script_check: true,
    possessive_s: true,
    stemmer: Some(Algorithm::English),
    stopwords: STOPWORDS,
    abbreviations: &ABBREVIATIONS,
    numbers: NumberFormat {
        decimal: '.',
        group: Some(','),
        space_groups: false,
    },
    ordinals: Ordinals {
        suffixes: &["st", "nd", "rd", "th"],
        suffix_of: Some(ordinal_suffix),
        hyphen_endings: &[],
    },
    number_like_words: &[
        ("hundred", 100), ("thousand", 1000), ("once", 1), ("twice", 2), ("single", 1),
        ("double", 2), ("both", 2), ("none", 0), ("no", 0),
    ],
    multipliers: &[
        ("thousand", 3),
        ("thousands", 3),
        ("million", 6),
        ("millions", 6),
        ("mln", 6),
        ("m", 6),
        ("billion", 9),
        ("billions", 9),
        ("bn", 9),
        ("trillion", 12),
        ("trillions", 12),
    ],
    number_words: Some(&NUMBER_WORDS),
    calendar: &CALENDAR,
    words: WordMatching {
        // endings that do not change what a name refers to
        endings: &["s", "es", "y", "ies"],
        after_no_ending: None,
        skip: &["the"],
        symbols: &[("&", "and")],
        spelling: Some(american_spelling),
        numeral_forms: &[],
    },
    typography: Typography {
        full_width: false,
        no_space_before: ",.;:?!)]}”",
        // English is the yardstick
        length_vs_english: Some((1.0, 0.0)),
    },
    ..BASE
};

/// Slots: the abbreviation, then the full name. (A text's `May` is found
/// in the first slot, so a new month replacing it is abbreviated: `Jun`.)
pub static CALENDAR: Calendar = Calendar {
    months: &[
        &["jan", "january"],
        &["feb", "february"],
        &["mar", "march"],
        &["apr", "april"],
        &["may", "may"],
        &["jun", "june"],
        &["jul", "july"],
        &["aug", "august"],
        &["sep", "september"],
        &["oct", "october"],
        &["nov", "november"],
        &["dec", "december"],
    ],
    variants: &[("sept", 9, 0)],
    abbreviated: &[0],
    year_words: &[],
    marks: None,
};

/// Number words: zero to twenty and the tens, cardinal and ordinal, and
/// the tens and units joined by a hyphen (`twenty-one`, `twenty-first`).
/// `hundred`, `thousand` and `million` never stand alone (`a hundred`,
/// `two thousand`): they only mark a longer number.
pub static NUMBER_WORDS: NumberWords = NumberWords {
    cardinals: &[
        (0, &["zero"]),
        (1, &["one"]),
        (2, &["two"]),
        (3, &["three"]),
        (4, &["four"]),
        (5, &["five"]),
        (6, &["six"]),
        (7, &["seven"]),
        (8, &["eight"]),
        (9, &["nine"]),
        (10, &["ten"]),
        (11, &["eleven"]),
        (12, &["twelve"]),
        (13, &["thirteen"]),
        (14, &["fourteen"]),
        (15, &["fifteen"]),
        (16, &["sixteen"]),
        (17, &["seventeen"]),
        (18, &["eighteen"]),
        (19, &["nineteen"]),
        (20, &["twenty"]),
        (30, &["thirty"]),
        (40, &["forty"]),
        (50, &["fifty"]),
        (60, &["sixty"]),
        (70, &["seventy"]),
        (80, &["eighty"]),
        (90, &["ninety"]),
    ],
    ordinals: &[
        (1, "first", 0),
        (2, "second", 0),
        (3, "third", 0),
        (4, "fourth", 0),
        (5, "fifth", 0),
        (6, "sixth", 0),
        (7, "seventh", 0),
        (8, "eighth", 0),
        (9, "ninth", 0),
        (10, "tenth", 0),
        (11, "eleventh", 0),
        (12, "twelfth", 0),
        (13, "thirteenth", 0),
        (14, "fourteenth", 0),
        (15, "fifteenth", 0),
        (16, "sixteenth", 0),
        (17, "seventeenth", 0),
        (18, "eighteenth", 0),
        (19, "nineteenth", 0),
        (20, "twentieth", 0),
        (30, "thirtieth", 0),
        (40, "fortieth", 0),
        (50, "fiftieth", 0),
        (60, "sixtieth", 0),
        (70, "seventieth", 0),
        (80, "eightieth", 0),
        (90, "ninetieth", 0),
    ],
    ordinal_endings: &[&[""]],
    others: &["hundred", "hundreds", "hundredth", "thousandth", "millionth", "dozen"],
    joiners: &["and"],
    hyphen_compounds: true,
    agreement: None,
};

/// `1st`, `2nd`, `3rd`, `4th`, `11th`, `21st`.
fn ordinal_suffix(n: u64) -> &'static str {
    match (n % 100, n % 10) {
        (11..=13, _) => "th",
        (_, 1) => "st",
        (_, 2) => "nd",
        (_, 3) => "rd",
        _ => "th",
    }
}

/// Function words, and the placeholders of dictionary glosses (`sb`,
/// `sth`, `one's`).
const STOPWORDS: &[&str] = &[
    "a", "an", "the", "to", "of", "in", "on", "at", "by", "for", "with", "from", "and", "or", "as",
    "be", "is", "are", "was", "sb", "sth", "one's", "oneself", "someone", "something", "etc", "it",
    "its", "that", "this", "up", "out", "into", "not", "no", "do", "one", "s", "so", "very",
];

pub static ABBREVIATIONS: Abbreviations = Abbreviations {
    never: &[
        "mr", "mrs", "ms", "messrs", "mme", "mlle", "dr", "prof", "gen", "col", "lt", "sgt",
        "capt", "cpt", "cmdr", "adm", "maj", "gov", "sen", "sens", "rep", "reps", "rev", "hon",
        "pres", "amb", "v", "supt", "insp", "det", "st", "mt", "ft", "e.g", "i.e", "cf", "vs",
        "viz", "approx", "incl", "esp", "ca", "resp", "dept", "est", "fig", "figs", "al", "ed",
        "eds", "op", "cit", "ibid", "u.s.a",
    ],
    before_number: &[
        "no", "nos", "art", "arts", "p", "pp", "para", "paras", "ch", "chap", "sec", "sect",
        "vol", "vols", "tab", "eq", "ref", "ser", "item", "annex", "appx", "par", "cl",
    ],
    // Jan. 12, Sept. 5
    months: Some(&CALENDAR),
    starters: &[
        "The",
        "A",
        "An",
        "He",
        "She",
        "It",
        "They",
        "We",
        "I",
        "You",
        "In",
        "On",
        "At",
        "But",
        "And",
        "This",
        "That",
        "These",
        "Those",
        "There",
        "His",
        "Her",
        "Its",
        "Their",
        "Our",
        "As",
        "For",
        "If",
        "When",
        "While",
        "After",
        "Before",
        "However",
        "Meanwhile",
        "Also",
        "Some",
        "Many",
        "Most",
        "Now",
        "So",
        "Yet",
        "Still",
        "What",
        "Why",
        "How",
        "Who",
        "Officials",
        "According",
    ],
    units: &[],
    after_number: &[],
};

/// British spellings folded to American ones for matching (applied to the
/// folded word; both the term and the text go through it).
pub fn american_spelling(w: &str) -> Cow<'_, str> {
    // Whole words first.
    let whole = match w {
        "centre" => Some("center"),
        "centres" => Some("centers"),
        "programme" => Some("program"),
        "programmes" => Some("programs"),
        "defence" => Some("defense"),
        "licence" => Some("license"),
        "offence" => Some("offense"),
        "offences" => Some("offenses"),
        "labour" => Some("labor"),
        "counselling" => Some("counseling"),
        "judgement" => Some("judgment"),
        "catalogue" => Some("catalog"),
        "dialogue" => Some("dialog"),
        _ => None,
    };
    if let Some(x) = whole {
        return Cow::Borrowed(x);
    }
    // -isation, -ise, -ised, -ising, -iser(s), -isations.
    for (from, to) in [
        ("isations", "izations"),
        ("isation", "ization"),
        ("ising", "izing"),
        ("ised", "ized"),
        ("ises", "izes"),
        ("isers", "izers"),
        ("iser", "izer"),
        ("ise", "ize"),
        ("yse", "yze"),
        ("ysed", "yzed"),
    ] {
        if let Some(stem) = w.strip_suffix(from)
            && stem.chars().count() >= 3
        {
            return Cow::Owned(format!("{stem}{to}"));
        }
    }
    // -our → -or (honour, favour, behaviour), but not "four", "your", "hour", "tour", "pour"
    if let Some(stem) = w.strip_suffix("our")
        && stem.chars().count() >= 3
    {
        return Cow::Owned(format!("{stem}or"));
    }
    Cow::Borrowed(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spelling_and_ordinals() {
        assert_eq!(american_spelling("organisation"), "organization");
        assert_eq!(american_spelling("four"), "four");
        assert_eq!(american_spelling("honour"), "honor");
        assert_eq!(ordinal_suffix(22), "nd");
        assert_eq!(ordinal_suffix(112), "th");
    }

    #[test]
    fn month_abbreviations() {
        for w in ["jan", "sep", "sept", "dec"] {
            assert!(CALENDAR.is_abbreviation(w), "{w}");
        }
        for w in ["may", "june", "january", "mon"] {
            assert!(!CALENDAR.is_abbreviation(w), "{w}");
        }
    }
}

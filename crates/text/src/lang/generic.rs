//! Languages without a file of their own: the generic rules ([`BASE`],
//! which every profile starts from) and, for the languages polytm knows a
//! little about, one line each of what it knows: a Snowball stemmer, the
//! script, ordinal dots, writing without spaces.
//!
//! A language that gets its own profile file takes its line out of
//! [`OTHERS`] (a registered profile wins over a line here anyway).

use super::profile::{
    Abbreviations, Algorithm, Calendar, NumberFormat, Ordinals, Profile, Script, Typography,
    WordMatching,
};

/// The generic rules: Unicode words, no stemmer, the abbreviations common
/// in European texts, numbers as `1,000.5` or `1 000.5`, no month names.
pub const BASE: Profile = Profile {
    codes: &["und"],
    name: None,
    // Unknown languages are taken as written in Latin letters: the aligner
    // then looks for cognates, which costs nothing when there are none.
    script: Script::Latin,
    script_check: false,
    unspaced: false,
    han_words: false,
    possessive_s: false,
    stemmer: None,
    stopwords: &[],
    abbreviations: &ABBREVIATIONS,
    ordinal_dot: false,
    numbers: NumberFormat {
        decimal: '.',
        group: Some(','),
        space_groups: true,
    },
    ordinals: Ordinals {
        suffixes: &[],
        suffix_of: None,
        hyphen_endings: &[],
    },
    number_like_words: &[],
    multipliers: &[],
    number_words: None,
    han_numerals: None,
    calendar: &NO_CALENDAR,
    words: WordMatching {
        endings: &[],
        after_no_ending: None,
        skip: &[],
        symbols: &[],
        spelling: None,
        numeral_forms: &[],
    },
    inflection: None,
    compound_blockers: &[],
    typography: Typography {
        full_width: false,
        // French writes a space before ; : ? ! » (and others may too)
        no_space_before: ",.)]}",
        length_vs_english: None,
    },
};

/// The profile of a language polytm knows nothing about.
pub static DEFAULT: Profile = BASE;

/// What polytm knows of languages without a profile file: one line each.
pub static OTHERS: &[Profile] = &[
    lang(&["de"]).snowball(Algorithm::German).ordinal_dot(),
    lang(&["fr"]).snowball(Algorithm::French),
    lang(&["es"]).snowball(Algorithm::Spanish),
    lang(&["it"]).snowball(Algorithm::Italian),
    lang(&["pt"]).snowball(Algorithm::Portuguese),
    lang(&["nl"]).snowball(Algorithm::Dutch),
    lang(&["sv"]).snowball(Algorithm::Swedish),
    lang(&["no", "nb", "nn"])
        .snowball(Algorithm::Norwegian)
        .ordinal_dot(),
    lang(&["da"]).snowball(Algorithm::Danish).ordinal_dot(),
    lang(&["fi"]).snowball(Algorithm::Finnish).ordinal_dot(),
    lang(&["hu"]).snowball(Algorithm::Hungarian).ordinal_dot(),
    lang(&["ro"]).snowball(Algorithm::Romanian),
    lang(&["tr"]).snowball(Algorithm::Turkish).ordinal_dot(),
    lang(&["el"])
        .snowball(Algorithm::Greek)
        .script(Script::Other),
    lang(&["ar"])
        .snowball(Algorithm::Arabic)
        .script(Script::Other),
    lang(&["ta"]).snowball(Algorithm::Tamil),
    lang(&["cs"]).ordinal_dot(),
    lang(&["sk"]).ordinal_dot(),
    lang(&["sl"]).ordinal_dot(),
    lang(&["hr"]).ordinal_dot(),
    lang(&["bs"]).ordinal_dot(),
    lang(&["pl"]).ordinal_dot(),
    lang(&["lv"]).ordinal_dot(),
    lang(&["lt"]).ordinal_dot(),
    lang(&["et"]).ordinal_dot(),
    lang(&["is"]).ordinal_dot(),
    lang(&["sr"]).ordinal_dot().script(Script::Cyrillic),
    lang(&["uk"]).script(Script::Cyrillic),
    lang(&["be"]).script(Script::Cyrillic),
    lang(&["bg"]).script(Script::Cyrillic),
    lang(&["mk"]).script(Script::Cyrillic),
    lang(&["kk"]).script(Script::Cyrillic),
    lang(&["ky"]).script(Script::Cyrillic),
    lang(&["tg"]).script(Script::Cyrillic),
    lang(&["mn"]).script(Script::Cyrillic),
    lang(&["ja"])
        .named("Japanese")
        .unspaced()
        .han_words()
        .script(Script::Other),
    lang(&["ko"]).named("Korean").script(Script::Other),
    lang(&["th"]).named("Thai").unspaced().script(Script::Other),
    lang(&["fa"]).script(Script::Other),
    lang(&["he"]).script(Script::Other),
    lang(&["hi"]).script(Script::Other),
    lang(&["lo"]).unspaced(),
    lang(&["km"]).unspaced(),
    lang(&["my"]).unspaced(),
    lang(&["yue"]).unspaced(),
    lang(&["bo"]).unspaced(),
];

const fn lang(codes: &'static [&'static str]) -> Profile {
    Profile { codes, ..BASE }
}

/// Builders for the lines of [`OTHERS`].
impl Profile {
    const fn snowball(mut self, a: Algorithm) -> Profile {
        self.stemmer = Some(a);
        self
    }

    const fn ordinal_dot(mut self) -> Profile {
        self.ordinal_dot = true;
        self
    }

    const fn script(mut self, s: Script) -> Profile {
        self.script = s;
        self
    }

    const fn unspaced(mut self) -> Profile {
        self.unspaced = true;
        self
    }

    const fn han_words(mut self) -> Profile {
        self.han_words = true;
        self
    }

    const fn named(mut self, name: &'static str) -> Profile {
        self.name = Some(name);
        self
    }
}

/// No month names, no date marks.
pub static NO_CALENDAR: Calendar = Calendar {
    months: &[],
    variants: &[],
    abbreviated: &[],
    year_words: &[],
    marks: None,
};

/// Abbreviations common in the texts of many languages (English titles,
/// German, French, Spanish, Italian, Portuguese).
pub static ABBREVIATIONS: Abbreviations = Abbreviations {
    never: &[
        // English forms, common in every language's texts
        "mr", "mrs", "ms", "dr", "prof", "e.g", "i.e", "cf", "vs", "st", // German
        "z.b", "z.t", "u.a", "d.h", "bzw", "vgl", "ca", "hr", "fr", "frl", "dipl", "ing", "bzgl",
        "ggf", "inkl", "evtl", "sog", "u.u", "o.ä", "u.ä", "usw.", "nr", "str", "dgl",
        // French
        "m", "mm", "mme", "mmes", "mlle", "mgr", "me", "ste", "p.ex", "c.-à-d", "env", "cf",
        // Spanish, Italian, Portuguese
        "sr", "sra", "srta", "sig", "dott", "ing", "ecc", "pág", "núm", "sta",
    ],
    before_number: &[
        "no", "nr", "art", "p", "pp", "s", "vol", "bd", "abs", "fig", "abb", "kap", "ch", "chap",
        "n", "núm", "pág", "t",
    ],
    months: None,
    starters: &[
        "Der", "Die", "Das", "Ein", "Eine", "Er", "Sie", "Es", "Wir", "Ich", "In", "Im", "Auf",
        "Le", "La", "Les", "Un", "Une", "Il", "Elle", "Ils", "Nous", "Je", "Dans", "En", "The",
        "A", "He", "She", "It", "El", "Los", "Las",
    ],
    units: &[],
    after_number: &[],
};

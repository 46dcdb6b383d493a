//! What a language profile holds: the data (and the few hooks) that the
//! algorithms of polytm ask about a language, instead of matching on it.
//!
//! A [`Profile`] is a plain `static` value written in the language's own
//! file (`en.rs`, `ru.rs`, `zh.rs`); fields a language has nothing to say
//! about are taken from [`super::generic::BASE`] with `..BASE`. The
//! algorithms that read a field live in their own modules and crates:
//!
//! | field | read by |
//! |---|---|
//! | `script`, `script_check` | wrong-script warnings, glossary look-up, the aligner's cognates |
//! | `unspaced`, `possessive_s`, `ordinals` | [`tokenize`](mod@crate::tokenize), substring matching |
//! | `abbreviations`, `ordinal_dot` | [`crate::segment`] |
//! | `stemmer`, `stopwords` | [`crate::stem`], [`crate::stopwords`], the aligner |
//! | `numbers`, `ordinals`, `multipliers`, `han_numerals` | [`crate::numbers`], fuzzy repairs, the aligner |
//! | `number_words` | [`crate::numbers`] (numbers written as words), fuzzy repairs |
//! | `calendar` | [`crate::dates`], fuzzy repairs, [`crate::segment`] |
//! | `words`, `inflection`, `compound_blockers` | the glossary (recognition, repairs) |
//! | `han_words` | the aligner (Chinese words cut by a dictionary) |
//! | `typography` | the checks of translations (`qa`) |
//!
//! The data are `&'static` slices searched linearly: they are short (a few
//! dozen entries), and looking at them is rare next to the work around it.

use std::borrow::Cow;

pub use rust_stemmers::Algorithm;

/// Everything polytm knows about one language.
#[derive(Debug)]
pub struct Profile {
    /// The primary language subtags served (`["no", "nb", "nn"]`); the first
    /// names the profile.
    pub codes: &'static [&'static str],
    /// Its English name, where a message names the language.
    pub name: Option<&'static str>,

    // --- Script -----------------------------------------------------------
    /// The script it is written in.
    pub script: Script,
    /// Texts are checked for the script (a Russian file given as `zh`):
    /// only for languages whose script test is known to be reliable.
    pub script_check: bool,

    // --- Words and tokens -------------------------------------------------
    /// Written without spaces between words (Han, kana, Thai ...): matched
    /// by substring, measured in characters, sentences cut at their own marks.
    pub unspaced: bool,
    /// Runs of Han characters are cut into words by a dictionary (jieba)
    /// where words matter (the aligner).
    pub han_words: bool,
    /// A possessive `'s` / `'` is a token of its own, and optional inside a
    /// glossary name (`the SCO's Secretary-General`).
    pub possessive_s: bool,
    /// The Snowball stemmer, if any.
    pub stemmer: Option<Algorithm>,
    /// Function words that carry no lexical evidence (folded).
    pub stopwords: &'static [&'static str],

    // --- Sentences --------------------------------------------------------
    /// Abbreviations that a dot after does not end a sentence.
    pub abbreviations: &'static Abbreviations,
    /// A number of one or two digits and a dot is an ordinal (`3. Oktober`),
    /// not a sentence end.
    pub ordinal_dot: bool,

    // --- Numbers and dates ------------------------------------------------
    /// How numbers are written with digits.
    pub numbers: NumberFormat,
    /// How ordinal numbers are written with digits.
    pub ordinals: Ordinals,
    /// Words that stand for a number without being number words (folded):
    /// (`twice`, 2), (`both`, 2), (`оба`, 2). A check may take one, like a
    /// number word, for a number written with digits in a translation.
    pub number_like_words: &'static [(&'static str, u64)],
    /// Words after a number that multiply it: (`million`, 6) is ×10⁶.
    pub multipliers: &'static [(&'static str, u32)],
    /// Numbers written as words (`eight`, `восьмое`), in their forms.
    pub number_words: Option<&'static NumberWords>,
    /// Chinese numerals (`八`, `二〇一八`) are read as numbers in counting
    /// contexts: after `第`, or before one of these measure words.
    pub han_numerals: Option<&'static str>,
    /// Month names and how dates are written.
    pub calendar: &'static Calendar,

    // --- Glossary ---------------------------------------------------------
    /// How a word of a glossary term matches a word of running text.
    pub words: WordMatching,
    /// How names decline (a term put in the case the text used); `None`:
    /// names do not inflect.
    pub inflection: Option<Inflection>,
    /// Words that contain a glossary name without meaning it (`白俄罗斯`
    /// is not `俄罗斯`): they win over the shorter match.
    pub compound_blockers: &'static [&'static str],

    // --- Typography ---------------------------------------------------------
    /// How the language punctuates and how long its text runs.
    pub typography: Typography,
}

/// How a language punctuates, and how long its translations of English run
/// (read by the checks of translations).
#[derive(Debug, Clone, Copy)]
pub struct Typography {
    /// Its marks are full width (`，。：；？！`): a half-width `, . : ; ? !`
    /// next to one of its characters is a fault.
    pub full_width: bool,
    /// Marks written with no space before them.
    pub no_space_before: &'static str,
    /// Characters (white space excluded) per character of English in
    /// translations, and the standard deviation of the natural log of that
    /// ratio per sentence; `None` when not measured.
    pub length_vs_english: Option<(f64, f64)>,
}

impl Profile {
    /// The primary subtag that names the profile: `en`, `ru`, `zh`.
    pub fn code(&self) -> &'static str {
        self.codes[0]
    }

    /// Is the folded word a function word of this language?
    pub fn is_stopword(&self, folded: &str) -> bool {
        self.stopwords.contains(&folded)
    }

    /// The letters of `text` (at most `limit` of them) and how many of them
    /// are in the language's script; `None` when the script is not checked.
    pub fn script_letters(&self, text: &str, limit: usize) -> Option<(usize, usize)> {
        if !self.script_check {
            return None;
        }
        let (mut letters, mut hits) = (0usize, 0usize);
        for c in text.chars().filter(|c| c.is_alphabetic()).take(limit) {
            letters += 1;
            hits += usize::from(self.script.has(c));
        }
        Some((letters, hits))
    }
}

/// A writing system, as far as polytm tells them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    Latin,
    Cyrillic,
    Han,
    /// Any other (kana, Hangul, Greek, Arabic ...).
    Other,
}

impl Script {
    /// Is `c` a letter of this script, as the script checks count them?
    /// Latin counts the 26 ASCII letters only (a language with accented
    /// letters wants more before it turns `script_check` on).
    pub fn has(self, c: char) -> bool {
        match self {
            Script::Latin => c.is_ascii_alphabetic(),
            Script::Cyrillic => ('\u{0400}'..='\u{04FF}').contains(&c),
            Script::Han => crate::is_han(c),
            Script::Other => false,
        }
    }

    /// What its letters are called in a message: "Cyrillic letters".
    pub fn letters(self) -> &'static str {
        match self {
            Script::Han => "Chinese characters",
            Script::Cyrillic => "Cyrillic letters",
            Script::Latin | Script::Other => "Latin letters",
        }
    }
}

/// Abbreviations of one language, lower case, without the final dot.
#[derive(Debug)]
pub struct Abbreviations {
    /// Never end a sentence: titles before names, `e.g.`, `т.е.`.
    pub never: &'static [&'static str],
    /// Do not end a sentence when a number follows: `No. 5`, `ст. 12`.
    pub before_number: &'static [&'static str],
    /// Its abbreviated month names count as `before_number` too (`Jan. 12`).
    pub months: Option<&'static Calendar>,
    /// Capitalised words that usually start a sentence (after `U.S.`).
    pub starters: &'static [&'static str],
    /// Units that may end a sentence after a number (`10 см.`) though they
    /// are abbreviations elsewhere.
    pub units: &'static [&'static str],
    /// After a number they may end a sentence (`2018 г.`); anywhere else
    /// never (`г. Москва`).
    pub after_number: &'static [&'static str],
}

impl Abbreviations {
    /// Is `w` (lower case, no final dot) an abbreviation that a number
    /// follows?
    pub fn before_number(&self, w: &str) -> bool {
        self.before_number.contains(&w) || self.months.is_some_and(|c| c.is_abbreviation(w))
    }
}

/// How a language writes numbers in digits.
#[derive(Debug, Clone, Copy)]
pub struct NumberFormat {
    /// The decimal mark: `3.5`, `3,5`.
    pub decimal: char,
    /// The mark between groups of three digits (`1,000`), if any.
    pub group: Option<char>,
    /// Groups may also be separated by a space (`1 000`, no-break and thin
    /// spaces included).
    pub space_groups: bool,
}

/// How a language writes ordinal numbers in digits.
#[derive(Debug, Clone, Copy)]
pub struct Ordinals {
    /// Suffixes glued to the digits, one token with them (`8th`).
    pub suffixes: &'static [&'static str],
    /// The suffix a number takes (`1st`, `2nd`, `11th`).
    pub suffix_of: Option<fn(u64) -> &'static str>,
    /// Endings written after the digits and a hyphen (`8-е`, `8-го`).
    pub hyphen_endings: &'static [&'static str],
}

/// Numbers written as words, in the forms they take: enough to read one
/// and to write another in the same form (`восьмое` → `девятое`, `восьми`
/// → `девяти`, `Eighth` → `Ninth`). Chinese numerals are read and written
/// by [`crate::numbers`] without a table.
#[derive(Debug)]
pub struct NumberWords {
    /// Cardinal numbers: the value and its forms, one per slot, the slots
    /// alike for every number (English: one; Russian: see its profile).
    pub cardinals: &'static [(u64, &'static [&'static str])],
    /// Ordinal numbers: the value, the stem and its declension (an index
    /// into `ordinal_endings`).
    pub ordinals: &'static [(u64, &'static str, usize)],
    /// The endings of each declension of ordinals, one per slot, the slots
    /// alike for every declension.
    pub ordinal_endings: &'static [&'static [&'static str]],
    /// Other words that belong to numbers (`hundred`, `одно`): a number
    /// word next to one of them, or to a multiplier or digits, is part of a
    /// longer number and not read alone (`two hundred`, `5 million`).
    pub others: &'static [&'static str],
    /// Words between the parts of a longer number (`and`: `hundred and
    /// five`).
    pub joiners: &'static [&'static str],
    /// Tens and units joined by a hyphen are one number (`twenty-one`,
    /// `twenty-first`).
    pub hyphen_compounds: bool,
    /// How the noun after a cardinal agrees with it, if it changes with the
    /// number (Russian: `две сессии`, `пять сессий`).
    pub agreement: Option<Agreement>,
}

/// A noun after a cardinal number takes a form by the number's class, in
/// the slots `slots` of the cardinals (in the others it does not change).
#[derive(Debug, Clone, Copy)]
pub struct Agreement {
    pub class: fn(u64) -> u8,
    pub slots: &'static [usize],
}

/// Month names and how dates are written.
#[derive(Debug)]
pub struct Calendar {
    /// The forms of each month's name, lower case, in slots that every
    /// month fills alike (English: abbreviation, full name; Russian: the
    /// cases), so that a new month is written in the slot of the old one.
    /// Empty: months are not named (see `marks`).
    pub months: &'static [&'static [&'static str]],
    /// Other spellings: (spelling, month 1–12, slot written in its place).
    pub variants: &'static [(&'static str, u8, usize)],
    /// The slots that hold abbreviations.
    pub abbreviated: &'static [usize],
    /// Words that may follow a year in a date (`года`, `г`).
    pub year_words: &'static [&'static str],
    /// Dates written with marks after the numbers (`2018年5月17日`).
    pub marks: Option<DateMarks>,
}

/// The marks after the year, the month and the day of a date.
#[derive(Debug, Clone, Copy)]
pub struct DateMarks {
    pub year: char,
    pub month: char,
    pub day: &'static [char],
}

impl Calendar {
    /// The month (1–12) a folded word names and the slot of its form.
    /// Forms are compared folded (`сентябрем` is `сентябрём`).
    pub fn month(&self, folded: &str) -> Option<(u8, usize)> {
        // lower-case ASCII folds to itself: fold only the others (`ё`)
        // (only `ё` folds otherwise: `сентябрём` is `сентябрем`)
        let same = |form: &str| {
            form == folded
                || (form.len() == folded.len() && form.contains('ё') && crate::fold(form) == folded)
        };
        for slot in 0..self.months.first().map_or(0, |m| m.len()) {
            for (i, forms) in self.months.iter().enumerate() {
                if forms.get(slot).is_some_and(|f| same(f)) {
                    return Some((i as u8 + 1, slot));
                }
            }
        }
        self.variants
            .iter()
            .find(|(v, _, _)| *v == folded)
            .map(|&(_, m, slot)| (m, slot))
    }

    /// Month `m` (1–12) in `slot`.
    pub fn month_form(&self, m: u8, slot: usize) -> Option<&'static str> {
        self.months
            .get(usize::from(m).checked_sub(1)?)
            .and_then(|forms| forms.get(slot))
            .copied()
    }

    /// Is `w` (lower case) an abbreviated month name (`jan`, `sept`; not
    /// `may`, which is also the full name)?
    pub fn is_abbreviation(&self, w: &str) -> bool {
        let full = |forms: &[&str]| {
            forms
                .iter()
                .enumerate()
                .any(|(s, f)| *f == w && !self.abbreviated.contains(&s))
        };
        let listed = self.months.iter().any(|forms| {
            self.abbreviated.iter().any(|&s| forms.get(s) == Some(&w)) && !full(forms)
        });
        listed
            || self
                .variants
                .iter()
                .any(|(v, _, s)| *v == w && self.abbreviated.contains(s))
    }
}

/// How a word of a glossary term matches a word of running text (spaced
/// languages; see the glossary's `words` module).
#[derive(Debug, Clone, Copy)]
pub struct WordMatching {
    /// Inflectional endings: two words longer than three letters match when
    /// they share a base of three letters or more followed by one of these
    /// in each. Empty: words match on equal Snowball stems, if the language
    /// has a stemmer, else exactly.
    pub endings: &'static [&'static str],
    /// The endings that may stand where the other word has none (`None`:
    /// any): `Казахстан` / `Казахстана`, but `Росс` is not `Россия`.
    pub after_no_ending: Option<&'static [&'static str]>,
    /// Words left out (`the`: `Ministry of the Interior` = `Ministry of
    /// Interior`).
    pub skip: &'static [&'static str],
    /// Symbols read as a word (`&` = `and`).
    pub symbols: &'static [(&'static str, &'static str)],
    /// Spelling variants folded to one (`organisation` → `organization`).
    pub spelling: Option<fn(&str) -> Cow<'_, str>>,
    /// Forms of numerals that change their stem, mapped to one form
    /// (`трём` → `три`).
    pub numeral_forms: &'static [(&'static str, &'static str)],
}

/// How the names of a language decline: enough to put a glossary term in
/// the case a text used (see the glossary's `inflect` module).
#[derive(Debug, Clone, Copy)]
pub struct Inflection {
    /// The cases, the dictionary form (nominative) first.
    pub cases: &'static [&'static str],
    /// The paradigm of a folded word in the dictionary form, declined as an
    /// adjective or as a noun; `None` when it is not known.
    pub paradigm: fn(&str, bool) -> Option<Paradigm>,
    /// Is the folded word an adjective (it agrees with the head noun after
    /// it)?
    pub is_adjective: fn(&str) -> bool,
    /// The cases (indices into `cases`) a folded word before a name allows:
    /// a preposition governs some; any other word, or none (`""`), allows
    /// the cases that need no preposition.
    pub governs: fn(&str) -> &'static [usize],
}

/// How a word declines: strip `strip` characters of the dictionary form,
/// add the ending of the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paradigm {
    pub strip: usize,
    /// One ending per case; `"?"`: not known. Empty: the word does not
    /// change.
    pub endings: &'static [&'static str],
}

impl Paradigm {
    /// A word that is the same in every case.
    pub const UNCHANGED: Paradigm = Paradigm {
        strip: 0,
        endings: &[],
    };

    /// The ending for case `c`; `None` when not known.
    pub fn ending(&self, c: usize) -> Option<&'static str> {
        if self.endings.is_empty() {
            return Some("");
        }
        self.endings.get(c).copied().filter(|e| *e != "?")
    }
}

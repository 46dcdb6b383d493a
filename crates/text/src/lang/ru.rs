//! Russian: abbreviations (`г.`, `т.е.`, `ст. 5`), month names in their
//! cases, ordinals (`8-е`), numbers (`1 500`, `3,5`), number words,
//! stopwords, and the inflection of names: the endings glossary words
//! match by, and the singular paradigms that put a name in a case.

use super::generic::BASE;
use super::profile::{
    Abbreviations, Agreement, Algorithm, Calendar, Inflection, NumberFormat, NumberWords,
    Ordinals, Paradigm, Profile, Script, Typography, WordMatching,
};

pub static PROFILE: Profile = Profile {
    codes: &["ru"],
    name: Some("Russian"),
    script: Script::Cyrillic,
    script_check: true,
    stemmer: Some(Algorithm::Russian),
    stopwords: &[
        "и", "в", "на", "с", "по", "к", "о", "из", "у", "за", "от", "для", "не", "что", "как",
        "это", "бы", "же", "ли",
    ],
    abbreviations: &ABBREVIATIONS,
    numbers: NumberFormat {
        decimal: ',',
        group: None,
        space_groups: true,
    },
    ordinals: Ordinals {
        suffixes: &[],
        suffix_of: None,
        hyphen_endings: &["й", "я", "е", "ю", "го", "му", "м", "х", "ми", "ой"],
    },
    number_like_words: &[
        ("сто", 100), ("тысяча", 1000), ("тысячи", 1000), ("оба", 2), ("обе", 2),
        ("обоих", 2), ("дважды", 2), ("трижды", 3), ("нет", 0),
    ],
    multipliers: &[
        ("тыс", 3),
        ("тысяча", 3),
        ("тысячи", 3),
        ("тысяч", 3),
        ("млн", 6),
        ("миллион", 6),
        ("миллиона", 6),
        ("миллионов", 6),
        ("млрд", 9),
        ("миллиард", 9),
        ("миллиарда", 9),
        ("миллиардов", 9),
        ("трлн", 12),
        ("триллион", 12),
        ("триллиона", 12),
        ("триллионов", 12),
    ],
    number_words: Some(&NUMBER_WORDS),
    calendar: &CALENDAR,
    words: WordMatching {
        endings: ENDINGS,
        after_no_ending: Some(AFTER_NO_ENDING),
        skip: &[],
        symbols: &[],
        spelling: None,
        numeral_forms: NUMERAL_FORMS,
    },
    inflection: Some(Inflection {
        cases: &["nom", "gen", "dat", "acc", "ins", "prep"],
        paradigm,
        is_adjective,
        governs,
    }),
    typography: Typography {
        full_width: false,
        no_space_before: ",.;:?!)]}»",
        // measured on NTREX-128 news (991 sentence pairs of 20+ characters, `docs/qa.md`)
        length_vs_english: Some((1.134, 0.19)),
    },
    ..BASE
};

/// Number words in their case forms, one word each: the cardinals 1–20,
/// the tens and the hundreds; the ordinals 1–20, the tens, 100 and 1000.
/// Compound numbers (`двадцать пять`, `двадцать восьмое`) are several
/// words: a number word next to another one is not read alone.
///
/// Cardinal slots: nominative masculine and neuter, nominative feminine
/// (only `одна`, `две` differ), genitive, dative, instrumental,
/// prepositional; the accusative is the nominative or the genitive. The
/// noun after a number in the nominative (or the accusative like it)
/// agrees with its class — `одна сессия`, `две сессии`, `пять сессий` —
/// so there a number is only replaced by one of the same class.
///
/// Ordinal slots: masculine nominative, genitive, dative, instrumental
/// (and plural dative), prepositional; feminine nominative, oblique
/// (genitive, dative, instrumental, prepositional), accusative; neuter
/// nominative; plural nominative, genitive (and prepositional),
/// instrumental. Declensions: hard (`пятый`), hard with a stressed ending
/// (`восьмой`: its masculine nominative is also the feminine oblique form),
/// soft (`третий`).
pub static NUMBER_WORDS: NumberWords = NumberWords {
    cardinals: &[
        (1, &["один", "одна", "одного", "одному", "одним", "одном"]),
        (2, &["два", "две", "двух", "двум", "двумя", "двух"]),
        (3, &["три", "три", "трёх", "трём", "тремя", "трёх"]),
        (4, &["четыре", "четыре", "четырёх", "четырём", "четырьмя", "четырёх"]),
        (5, &["пять", "пять", "пяти", "пяти", "пятью", "пяти"]),
        (6, &["шесть", "шесть", "шести", "шести", "шестью", "шести"]),
        (7, &["семь", "семь", "семи", "семи", "семью", "семи"]),
        (8, &["восемь", "восемь", "восьми", "восьми", "восемью", "восьми"]),
        (9, &["девять", "девять", "девяти", "девяти", "девятью", "девяти"]),
        (10, &["десять", "десять", "десяти", "десяти", "десятью", "десяти"]),
        (11, &["одиннадцать", "одиннадцать", "одиннадцати", "одиннадцати", "одиннадцатью", "одиннадцати"]),
        (12, &["двенадцать", "двенадцать", "двенадцати", "двенадцати", "двенадцатью", "двенадцати"]),
        (13, &["тринадцать", "тринадцать", "тринадцати", "тринадцати", "тринадцатью", "тринадцати"]),
        (14, &["четырнадцать", "четырнадцать", "четырнадцати", "четырнадцати", "четырнадцатью", "четырнадцати"]),
        (15, &["пятнадцать", "пятнадцать", "пятнадцати", "пятнадцати", "пятнадцатью", "пятнадцати"]),
        (16, &["шестнадцать", "шестнадцать", "шестнадцати", "шестнадцати", "шестнадцатью", "шестнадцати"]),
        (17, &["семнадцать", "семнадцать", "семнадцати", "семнадцати", "семнадцатью", "семнадцати"]),
        (18, &["восемнадцать", "восемнадцать", "восемнадцати", "восемнадцати", "восемнадцатью", "восемнадцати"]),
        (19, &["девятнадцать", "девятнадцать", "девятнадцати", "девятнадцати", "девятнадцатью", "девятнадцати"]),
        (20, &["двадцать", "двадцать", "двадцати", "двадцати", "двадцатью", "двадцати"]),
        (30, &["тридцать", "тридцать", "тридцати", "тридцати", "тридцатью", "тридцати"]),
        (40, &["сорок", "сорок", "сорока", "сорока", "сорока", "сорока"]),
        (50, &["пятьдесят", "пятьдесят", "пятидесяти", "пятидесяти", "пятьюдесятью", "пятидесяти"]),
        (60, &["шестьдесят", "шестьдесят", "шестидесяти", "шестидесяти", "шестьюдесятью", "шестидесяти"]),
        (70, &["семьдесят", "семьдесят", "семидесяти", "семидесяти", "семьюдесятью", "семидесяти"]),
        (80, &["восемьдесят", "восемьдесят", "восьмидесяти", "восьмидесяти", "восемьюдесятью", "восьмидесяти"]),
        (90, &["девяносто", "девяносто", "девяноста", "девяноста", "девяноста", "девяноста"]),
        (100, &["сто", "сто", "ста", "ста", "ста", "ста"]),
        (200, &["двести", "двести", "двухсот", "двумстам", "двумястами", "двухстах"]),
        (300, &["триста", "триста", "трёхсот", "трёмстам", "тремястами", "трёхстах"]),
        (400, &["четыреста", "четыреста", "четырёхсот", "четырёмстам", "четырьмястами", "четырёхстах"]),
        (500, &["пятьсот", "пятьсот", "пятисот", "пятистам", "пятьюстами", "пятистах"]),
        (600, &["шестьсот", "шестьсот", "шестисот", "шестистам", "шестьюстами", "шестистах"]),
        (700, &["семьсот", "семьсот", "семисот", "семистам", "семьюстами", "семистах"]),
        (800, &["восемьсот", "восемьсот", "восьмисот", "восьмистам", "восемьюстами", "восьмистах"]),
        (900, &["девятьсот", "девятьсот", "девятисот", "девятистам", "девятьюстами", "девятистах"]),
    ],
    ordinals: &[
        (1, "перв", HARD),
        (2, "втор", STRESSED),
        (3, "трет", SOFT),
        (4, "четвёрт", HARD),
        (5, "пят", HARD),
        (6, "шест", STRESSED),
        (7, "седьм", STRESSED),
        (8, "восьм", STRESSED),
        (9, "девят", HARD),
        (10, "десят", HARD),
        (11, "одиннадцат", HARD),
        (12, "двенадцат", HARD),
        (13, "тринадцат", HARD),
        (14, "четырнадцат", HARD),
        (15, "пятнадцат", HARD),
        (16, "шестнадцат", HARD),
        (17, "семнадцат", HARD),
        (18, "восемнадцат", HARD),
        (19, "девятнадцат", HARD),
        (20, "двадцат", HARD),
        (30, "тридцат", HARD),
        (40, "сороков", STRESSED),
        (50, "пятидесят", HARD),
        (60, "шестидесят", HARD),
        (70, "семидесят", HARD),
        (80, "восьмидесят", HARD),
        (90, "девяност", HARD),
        (100, "сот", HARD),
        (1000, "тысячн", HARD),
    ],
    ordinal_endings: &[
        &["ый", "ого", "ому", "ым", "ом", "ая", "ой", "ую", "ое", "ые", "ых", "ыми"],
        &["ой", "ого", "ому", "ым", "ом", "ая", "ой", "ую", "ое", "ые", "ых", "ыми"],
        &["ий", "ьего", "ьему", "ьим", "ьем", "ья", "ьей", "ью", "ье", "ьи", "ьих", "ьими"],
    ],
    others: &[
        "одно", "одну", "одни", "одной", "одних", "полтора", "полторы", "тысяча", "тысячи",
        "тысяч", "тысячу", "тысячей", "тысячам", "тысячами", "тысячах",
    ],
    joiners: &[],
    hyphen_compounds: false,
    agreement: Some(Agreement {
        class: number_class,
        slots: &[0, 1],
    }),
};

/// Declensions of ordinals (indices into `NUMBER_WORDS.ordinal_endings`).
const HARD: usize = 0;
const STRESSED: usize = 1;
const SOFT: usize = 2;

/// The class a noun after a cardinal agrees with: 1 (and 21, 31 ...), 2–4
/// (and 22–24 ...), the others.
fn number_class(n: u64) -> u8 {
    match (n % 10, n % 100) {
        (_, 11..=14) => 2,
        (1, _) => 0,
        (2..=4, _) => 1,
        _ => 2,
    }
}

/// Slots: nominative, genitive, prepositional, instrumental, dative.
pub static CALENDAR: Calendar = Calendar {
    months: &[
        &["январь", "января", "январе", "январём", "январю"],
        &["февраль", "февраля", "феврале", "февралём", "февралю"],
        &["март", "марта", "марте", "мартом", "марту"],
        &["апрель", "апреля", "апреле", "апрелем", "апрелю"],
        &["май", "мая", "мае", "маем", "маю"],
        &["июнь", "июня", "июне", "июнем", "июню"],
        &["июль", "июля", "июле", "июлем", "июлю"],
        &["август", "августа", "августе", "августом", "августу"],
        &["сентябрь", "сентября", "сентябре", "сентябрём", "сентябрю"],
        &["октябрь", "октября", "октябре", "октябрём", "октябрю"],
        &["ноябрь", "ноября", "ноябре", "ноябрём", "ноябрю"],
        &["декабрь", "декабря", "декабре", "декабрём", "декабрю"],
    ],
    variants: &[],
    abbreviated: &[],
    year_words: &["год", "года", "году", "годом", "годе", "г", "гг"],
    marks: None,
};

static ABBREVIATIONS: Abbreviations = Abbreviations {
    never: &[
        // titles and forms of address
        "г-н",
        "г-жа",
        "им",
        "проф",
        "акад",
        "доц",
        "ген",
        "полк",
        "св",
        "тов",
        "гр",
        // in running text
        "т.е",
        "т.к",
        "т.н",
        "т.ч",
        "напр",
        "см",
        "ср",
        "ул",
        "просп",
        "пр-т",
        "пер",
        "пл",
        "наб",
        "обл",
        "р-н",
        "пос",
        "дер",
        "оз",
        "о-в",
        "кв",
        "корп",
        "тел",
        "англ",
        "рус",
        "лат",
        "букв",
        "прим",
        "ред",
        "сост",
        "изд",
        "e.g",
        "i.e",
        "mr",
        "dr",
    ],
    before_number: &[
        "№", "ст", "п", "пп", "ч", "гл", "рис", "табл", "с", "стр", "т", "вып", "разд", "прил",
        "д", "кв", "no", "art", "p", "pp",
    ],
    months: None,
    starters: &[
        "В",
        "На",
        "По",
        "Он",
        "Она",
        "Оно",
        "Они",
        "Мы",
        "Я",
        "Это",
        "Но",
        "И",
        "А",
        "Как",
        "Так",
        "При",
        "С",
        "Со",
        "Для",
        "Его",
        "Ее",
        "Её",
        "Их",
        "Однако",
        "Кроме",
        "После",
        "До",
        "Также",
        "Там",
        "Тогда",
        "The",
        "In",
        "He",
        "She",
        "It",
    ],
    // "10 см." is a unit and may end a sentence
    units: &["см", "мм", "ст"],
    // "2018 г. Делегации" (a year: may end a sentence) but "г. Москва"
    // (a city: never)
    after_number: &["г", "гг", "в", "вв"],
};

/// Inflectional endings (nouns, adjectives, participles, pronominal forms),
/// after `ё` → `е` folding. Longest first is not needed: every ending that
/// fits is tried.
const ENDINGS: &[&str] = &[
    "а", "я", "о", "е", "ы", "и", "у", "ю", "ь", "й", "ой", "ей", "ий", "ый", "ая", "яя", "ое",
    "ее", "ые", "ие", "ую", "юю", "ою", "ею", "ого", "его", "ому", "ему", "ым", "им", "ом", "ем",
    "ых", "их", "ыми", "ими", "ам", "ям", "ами", "ями", "ах", "ях", "ов", "ев", "ия", "ии", "ию",
    "ией", "иям", "иями", "иях", "ью", "ья", "ьи", "ье", "ьев", "ьям", "ьями", "ьях",
];

/// Endings that can stand where a word has none (a hard-consonant noun
/// `Казахстан` / `Казахстана`, or a genitive plural `Республик` /
/// `Республика`). `Росс` is not a form of `Россия`, nor `Кита` of `Китай`.
const AFTER_NO_ENDING: &[&str] = &[
    "", "а", "о", "у", "ом", "е", "ы", "и", "ов", "ам", "ами", "ах", "ем",
];

/// Numerals that change their stem when they inflect, mapped to one form
/// so "три конвенции" finds "трём конвенциям".
const NUMERAL_FORMS: &[(&str, &str)] = &[
    ("два", "два"),
    ("две", "два"),
    ("двух", "два"),
    ("двум", "два"),
    ("двумя", "два"),
    ("три", "три"),
    ("трех", "три"),
    ("трем", "три"),
    ("тремя", "три"),
    ("четыре", "четыре"),
    ("четырех", "четыре"),
    ("четырем", "четыре"),
    ("четырьмя", "четыре"),
];

// The cases, in the order of `Inflection::cases`.
const NOM: usize = 0;
const GEN: usize = 1;
const DAT: usize = 2;
const ACC: usize = 3;
const INS: usize = 4;
const PREP: usize = 5;

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

/// Adjectives in the dictionary form: four letters or more, an adjective
/// ending.
fn is_adjective(f: &str) -> bool {
    f.chars().count() >= 4
        && ["ый", "ий", "ой", "ая", "яя", "ое", "ее"]
            .iter()
            .any(|e| f.ends_with(e))
}

/// The regular singular paradigms, by the ending of the folded dictionary
/// form. Soft-sign nouns (masculine or feminine) and stress-dependent
/// endings are not known.
fn paradigm(f: &str, adj: bool) -> Option<Paradigm> {
    let p = |strip: usize, endings: &'static [&'static str; 6]| Paradigm { strip, endings };
    let chars: Vec<char> = f.chars().collect();
    let n = chars.len();
    if n < 2 {
        return Some(Paradigm::UNCHANGED);
    }
    let last = chars[n - 1];
    let prev = chars[n - 2];
    let ends = |e: &str| f.ends_with(e);
    let velar = |c: char| "гкх".contains(c);
    let sibilant = |c: char| "жшчщ".contains(c);
    if adj {
        let before_ending = if n >= 3 { chars[n - 3] } else { ' ' };
        return Some(if ends("ый") {
            p(2, &["ый", "ого", "ому", "ый", "ым", "ом"])
        } else if ends("ой") {
            p(2, &["ой", "ого", "ому", "ой", "ым", "ом"])
        } else if ends("ий") {
            if velar(before_ending) {
                p(2, &["ий", "ого", "ому", "ий", "им", "ом"])
            } else {
                p(2, &["ий", "его", "ему", "ий", "им", "ем"])
            }
        } else if ends("ая") {
            if sibilant(before_ending) {
                p(2, &["ая", "ей", "ей", "ую", "ей", "ей"])
            } else {
                p(2, &["ая", "ой", "ой", "ую", "ой", "ой"])
            }
        } else if ends("яя") {
            p(2, &["яя", "ей", "ей", "юю", "ей", "ей"])
        } else if ends("ое") {
            p(2, &["ое", "ого", "ому", "ое", "ым", "ом"])
        } else if ends("ее") {
            p(2, &["ее", "его", "ему", "ее", "им", "ем"])
        } else {
            return None;
        });
    }
    if INDECLINABLE.contains(&f) {
        return Some(Paradigm::UNCHANGED);
    }
    Some(if ends("ия") {
        p(2, &["ия", "ии", "ии", "ию", "ией", "ии"])
    } else if ends("ие") {
        p(2, &["ие", "ия", "ию", "ие", "ием", "ии"])
    } else if ends("ье") {
        p(2, &["ье", "ья", "ью", "ье", "ьем", "ье"])
    } else if ends("ий") {
        p(2, &["ий", "ия", "ию", "ий", "ием", "ии"])
    } else {
        match last {
            'а' if velar(prev) => p(1, &["а", "и", "е", "у", "ой", "е"]),
            'а' if sibilant(prev) || prev == 'ц' => p(1, &["а", "и", "е", "у", "?", "е"]),
            'а' => p(1, &["а", "ы", "е", "у", "ой", "е"]),
            'я' => p(1, &["я", "и", "е", "ю", "ей", "е"]),
            'о' if "аеиоуыэюя".contains(prev) => Paradigm::UNCHANGED,
            'о' => p(1, &["о", "а", "у", "о", "ом", "е"]),
            'е' if "аеиоуыэюя".contains(prev) => Paradigm::UNCHANGED,
            'е' => p(1, &["е", "я", "ю", "е", "ем", "е"]),
            'й' => p(1, &["й", "я", "ю", "й", "ем", "е"]),
            // Soft-sign nouns are masculine or feminine: not known.
            'ь' => return None,
            'и' | 'у' | 'ю' | 'ы' | 'э' => Paradigm::UNCHANGED,
            c if sibilant(c) || c == 'ц' => p(0, &["", "а", "у", "", "?", "е"]),
            c if ('а'..='я').contains(&c) => p(0, &["", "а", "у", "", "ом", "е"]),
            _ => return None,
        }
    })
}

/// The cases a preposition governs; after any other word, or none, any
/// case but the prepositional.
fn governs(w: &str) -> &'static [usize] {
    match w {
        "в" | "во" | "на" => &[ACC, PREP],
        "о" | "об" | "обо" => &[PREP, ACC],
        "при" => &[PREP],
        "к" | "ко" | "по" | "благодаря" | "согласно" | "вопреки" | "навстречу" => &[DAT],
        "с" | "со" => &[INS, GEN],
        "за" | "под" | "подо" => &[INS, ACC],
        "между" | "над" | "надо" | "перед" | "передо" => &[INS],
        "через" | "про" | "сквозь" => &[ACC],
        "от" | "ото" | "из" | "изо" | "у" | "для" | "до" | "без" | "около" | "после" | "против"
        | "вокруг" | "среди" | "кроме" | "вместо" | "возле" | "ради" | "из-за" | "стороны" => {
            &[GEN]
        }
        _ => &[NOM, GEN, DAT, ACC, INS],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paradigms() {
        let gen_of = |w: &str, adj: bool| {
            let p = paradigm(w, adj).unwrap();
            let stem: String = w.chars().take(w.chars().count() - p.strip).collect();
            format!("{stem}{}", p.ending(GEN).unwrap())
        };
        assert_eq!(gen_of("министерство", false), "министерства");
        assert_eq!(gen_of("российская", true), "российской");
        assert_eq!(gen_of("бюро", false), "бюро");
        assert_eq!(paradigm("беларусь", false), None);
        assert!(is_adjective("кыргызская"));
        assert!(!is_adjective("дел"));
        assert_eq!(governs("из"), &[GEN]);
    }

    #[test]
    fn months_in_every_case() {
        assert_eq!(CALENDAR.month("мая"), Some((5, 1)));
        assert_eq!(CALENDAR.month("сентябрем"), Some((9, 3)));
        assert_eq!(CALENDAR.month_form(1, 3), Some("январём"));
        assert_eq!(CALENDAR.month("маяк"), None);
    }
}

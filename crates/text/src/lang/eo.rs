//! Esperanto, a small profile compiled into the text crate's tests only:
//! it is added the way any language is (this file and one line in
//! `languages!`), and the tests below check that segmentation,
//! tokenisation, stopwords, numbers and dates then follow it.

use super::generic::BASE;
use super::profile::{Abbreviations, Calendar, NumberFormat, Ordinals, Profile};

pub static PROFILE: Profile = Profile {
    codes: &["eo"],
    name: Some("Esperanto"),
    stopwords: &["la", "kaj", "de", "en", "al", "ke"],
    abbreviations: &Abbreviations {
        // ekzemple, kaj tiel plu, sinjoro
        never: &["ekz", "k.t.p", "s-ro", "s-ino", "d-ro"],
        // paĝo 5
        before_number: &["paĝ", "n-ro"],
        months: None,
        starters: &["La", "Ni", "Li", "Ŝi"],
        units: &[],
        after_number: &[],
    },
    numbers: NumberFormat {
        decimal: ',',
        group: None,
        space_groups: true,
    },
    // la 8a de majo, la 8an
    ordinals: Ordinals {
        suffixes: &["a", "an"],
        suffix_of: None,
        hyphen_endings: &["a", "an"],
    },
    multipliers: &[("miliono", 6), ("milionoj", 6)],
    calendar: &Calendar {
        months: &[
            &["januaro"],
            &["februaro"],
            &["marto"],
            &["aprilo"],
            &["majo"],
            &["junio"],
            &["julio"],
            &["aŭgusto"],
            &["septembro"],
            &["oktobro"],
            &["novembro"],
            &["decembro"],
        ],
        variants: &[],
        abbreviated: &[],
        year_words: &[],
        marks: None,
    },
    ..BASE
};

#[cfg(test)]
mod tests {
    use crate::lang::Lang;
    use crate::{dates, numbers, segment, stopwords, tokenize};

    fn eo() -> Lang {
        Lang::parse("eo").unwrap()
    }

    fn sentences(text: &str, lang: &Lang) -> Vec<String> {
        segment::sentences(text, lang)
            .into_iter()
            .map(|s| crate::char_slice(text, s.start, s.end).to_string())
            .collect()
    }

    #[test]
    fn the_registry_serves_the_new_language() {
        let p = eo().profile();
        assert_eq!(p.code(), "eo");
        assert!(p.is_stopword("kaj"));
        assert!(stopwords::is_stopword("kaj"), "its stopwords join the others");
        assert_eq!(numbers::multiplier("miliono"), Some(6));
    }

    #[test]
    fn segmentation_uses_its_abbreviations() {
        let text = "Venis s-ro Zamenhof, ekz. Ludoviko. Vidu paĝ. 5 kaj la resto. La fino.";
        assert_eq!(
            sentences(text, &eo()),
            [
                "Venis s-ro Zamenhof, ekz. Ludoviko.",
                "Vidu paĝ. 5 kaj la resto.",
                "La fino."
            ]
        );
        // a language without them cuts after "ekz."
        assert_eq!(sentences(text, &Lang::parse("sw").unwrap()).len(), 5);
    }

    #[test]
    fn tokenisation_uses_its_ordinals() {
        let keys = |l: &Lang| -> Vec<(tokenize::TokenKind, String)> {
            tokenize::tokenize("la 8a de majo", l)
                .into_iter()
                .map(|t| (t.kind, t.key))
                .collect()
        };
        use tokenize::TokenKind::{Number, Word};
        assert_eq!(
            keys(&eo()),
            [
                (Word, "la".into()),
                (Number, "8a".into()),
                (Word, "de".into()),
                (Word, "majo".into())
            ]
        );
        assert_eq!(keys(&Lang::parse("sw").unwrap())[1], (Word, "8a".into()));
        assert_eq!(numbers::ordinal("8a", &eo()), Some(8));
        assert_eq!(numbers::ordinal("8-an", &eo()), Some(8));
    }

    #[test]
    fn numbers_and_dates_follow_it() {
        let read = |s| numbers::read(s, eo().profile());
        assert_eq!(
            read("3,5"),
            numbers::Reading::Number(numbers::Decimal::new("3", "5"))
        );
        let d = dates::find_dates("Ni renkontiĝis la 17an majo 2018.", &eo());
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].year, d[0].month, d[0].day), (Some(2018), 5, Some(17)));
    }
}

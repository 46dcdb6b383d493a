//! Stemming by Snowball (rust-stemmers) for the languages it knows (the
//! profile names the algorithm), Russian and English first. Words are folded before stemming, so
//! `Министерства`, `министерством` and `МИНИСТЕРСТВУ` share the stem
//! `министерств`.

use crate::lang::Lang;

/// A stemmer for one language; for languages Snowball does not know (and
/// for Chinese, which does not inflect) `stem` returns the word unchanged.
pub struct Stemmer {
    inner: Option<rust_stemmers::Stemmer>,
}

impl Stemmer {
    /// The stemmer of the language's profile, if it has one.
    pub fn new(lang: &Lang) -> Stemmer {
        Stemmer {
            inner: lang.profile().stemmer.map(rust_stemmers::Stemmer::create),
        }
    }

    /// Whether this language has a stemmer (its words inflect for matching).
    pub fn is_active(&self) -> bool {
        self.inner.is_some()
    }

    /// The stem of a folded word (lower case, `ё` already `е`).
    pub fn stem<'a>(&self, folded_word: &'a str) -> std::borrow::Cow<'a, str> {
        match &self.inner {
            Some(s) => s.stem(folded_word),
            None => std::borrow::Cow::Borrowed(folded_word),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_inflections_share_a_stem() {
        let s = Stemmer::new(&Lang::ru());
        let base = s.stem("министерство").into_owned();
        for w in [
            "министерства",
            "министерством",
            "министерству",
            "министерстве",
        ] {
            assert_eq!(s.stem(w), base, "{w}");
        }
        assert_ne!(s.stem("министр"), base);
        assert_eq!(s.stem("внутренних"), s.stem("внутренние"));
    }

    #[test]
    fn english_variants() {
        let s = Stemmer::new(&Lang::en());
        assert_eq!(s.stem("agencies"), s.stem("agency"));
        assert_eq!(s.stem("narcotics"), s.stem("narcotic"));
    }

    #[test]
    fn chinese_passes_through() {
        let s = Stemmer::new(&Lang::zh());
        assert!(!s.is_active());
        assert_eq!(s.stem("上合"), "上合");
    }
}

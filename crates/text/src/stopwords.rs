//! Function words that carry no lexical evidence: left out of dictionary
//! glosses and aligner word forms. Each language lists its own in its
//! profile ([`crate::lang::Profile::stopwords`]).

use std::collections::HashSet;
use std::sync::LazyLock;

/// The stopwords of every profile.
static ALL: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    crate::lang::profiles()
        .flat_map(|p| p.stopwords.iter().copied())
        .collect()
});

/// Is the folded word a function word of any language (where the language
/// of a word is not known, or the words are mixed: dictionary glosses)?
pub fn is_stopword(w: &str) -> bool {
    ALL.contains(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_and_russian() {
        for w in ["the", "sth", "и", "для"] {
            assert!(is_stopword(w), "{w}");
        }
        assert!(!is_stopword("agency"));
    }
}

//! Concordance: every unit whose text in one language contains a phrase.
//!
//! - Spaced languages (English, Russian ...): the phrase's tokens must
//!   follow one another in the text; words match case-insensitively and,
//!   unless `exact`, in any inflection (the same Snowball stem:
//!   `Министерство` finds `Министерства`, `Министерством`; `agency` finds
//!   `agencies`). Punctuation in the phrase must be there too.
//! - Chinese (and other unspaced scripts): the folded phrase is a substring
//!   of the folded text (`组织` finds `上海合作组织`).
//!
//! Candidates come from the fuzzy index's posting lists (every vocabulary
//! token that can match each phrase token, intersected over the tokens)
//! ([`candidates`]); the caller reads each candidate's text and checks it
//! ([`Phrase::find`]), so the result is exact.

use super::index::{LangIndex, TmIndex};
use polytm_text::lang::Lang;
use polytm_text::{Folded, Stemmer, TokenKind, fold, tokenize};

/// A phrase prepared for one language.
pub struct Phrase {
    lang: Lang,
    unspaced: bool,
    exact: bool,
    /// Keys of the phrase's tokens (spaced languages).
    keys: Vec<String>,
    kinds: Vec<TokenKind>,
    stems: Vec<Option<String>>,
    stemmer: Stemmer,
    /// The folded phrase (unspaced languages).
    folded: String,
}

impl Phrase {
    /// Prepare a phrase in `lang`; `exact`: no other inflections.
    pub fn new(phrase: &str, lang: &Lang, exact: bool) -> Phrase {
        let toks = tokenize(phrase, lang);
        let stemmer = Stemmer::new(lang);
        let inflect = !exact && stemmer.is_active();
        let stems = toks
            .iter()
            .map(|t| {
                (inflect && t.kind == TokenKind::Word).then(|| stemmer.stem(&t.key).into_owned())
            })
            .collect();
        Phrase {
            lang: lang.clone(),
            unspaced: lang.is_unspaced(),
            exact,
            kinds: toks.iter().map(|t| t.kind).collect(),
            keys: toks.into_iter().map(|t| t.key).collect(),
            stems,
            stemmer,
            folded: fold(phrase),
        }
    }

    /// Does the vocabulary token `key` match phrase token `k`?
    fn token_matches(&self, k: usize, key: &str) -> bool {
        let n = self.keys.len();
        let want = self.keys[k].as_str();
        if self.unspaced && self.kinds[k] != TokenKind::Han {
            // a Latin or digit run may be cut at the phrase's ends
            return match (k == 0, k + 1 == n) {
                (true, true) => key.contains(want),
                (true, false) => key.ends_with(want),
                (false, true) => key.starts_with(want),
                (false, false) => key == want,
            };
        }
        match &self.stems[k] {
            Some(stem) => key == want || self.stemmer.stem(key) == stem.as_str(),
            None => key == want,
        }
    }

    /// Cheap test before stemming a vocabulary key: inflected forms share
    /// their first letters with the phrase word (stems are prefixes, up to
    /// a final letter that Snowball may change).
    fn may_match(&self, k: usize, key: &str) -> bool {
        match &self.stems[k] {
            Some(stem) => {
                let p: String = stem
                    .chars()
                    .take(stem.chars().count().saturating_sub(1).clamp(1, 3))
                    .collect();
                key.starts_with(&p)
            }
            None => true,
        }
    }

    /// Nothing to search for (no token).
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Where the phrase occurs in `text` (characters, end exclusive).
    pub fn find(&self, text: &str) -> Vec<(usize, usize)> {
        if self.unspaced {
            let f = Folded::new(text);
            let mut out = Vec::new();
            if self.folded.is_empty() {
                return out;
            }
            let hay: Vec<char> = f.text.chars().collect();
            let needle: Vec<char> = self.folded.chars().collect();
            let mut i = 0;
            while i + needle.len() <= hay.len() {
                if hay[i..i + needle.len()] == needle[..] {
                    out.push(f.original_range(i, i + needle.len()));
                    i += needle.len();
                } else {
                    i += 1;
                }
            }
            return out;
        }
        let toks = tokenize(text, &self.lang);
        let m = self.keys.len();
        let mut out = Vec::new();
        let mut i = 0;
        while m > 0 && i + m <= toks.len() {
            let ok = (0..m).all(|k| {
                let t = &toks[i + k];
                t.key == self.keys[k]
                    || (!self.exact
                        && t.kind == TokenKind::Word
                        && self.stems[k]
                            .as_deref()
                            .is_some_and(|s| self.stemmer.stem(&t.key) == s))
            });
            if ok {
                out.push((toks[i].start, toks[i + m - 1].end));
                i += m;
            } else {
                i += 1;
            }
        }
        out
    }
}

/// Units of the index that may contain the phrase (each has, for every
/// phrase token, a token that can match it), most recent first. Check each
/// with [`Phrase::find`] on its text: the result is then exact.
pub fn candidates(index: &TmIndex, p: &Phrase) -> Vec<i64> {
    let mut all: Vec<(i64, i64)> = Vec::new();
    for (part, stale) in index.parts() {
        all.extend(
            part_candidates(part, p)
                .into_iter()
                .filter(|(unit, _)| !stale.contains(unit)),
        );
    }
    all.sort_by_key(|&(unit, rec)| std::cmp::Reverse((rec, unit)));
    all.dedup();
    all.into_iter().map(|(unit, _)| unit).collect()
}

/// (unit, recency) of the candidates of one index.
fn part_candidates(index: &LangIndex, p: &Phrase) -> Vec<(i64, i64)> {
    if p.keys.is_empty() {
        return Vec::new();
    }
    // For each phrase token, the entries holding a token that can match
    // it; candidates hold one for every phrase token.
    let mut lists: Vec<Vec<u32>> = Vec::with_capacity(p.keys.len());
    for k in 0..p.keys.len() {
        let mut tids: Vec<u32> = Vec::new();
        let exact_key = p.stems[k].is_none() && !(p.unspaced && p.kinds[k] != TokenKind::Han);
        if exact_key {
            tids.extend(index.token_id(&p.keys[k]));
        } else {
            for (t, key) in index.vocab_keys() {
                if p.may_match(k, key) && p.token_matches(k, key) {
                    tids.push(t);
                }
            }
        }
        let mut entries: Vec<u32> = tids
            .iter()
            .flat_map(|&t| index.entries_with(t).iter().copied())
            .collect();
        entries.sort_unstable();
        entries.dedup();
        if entries.is_empty() {
            return Vec::new();
        }
        lists.push(entries);
    }
    lists.sort_by_key(Vec::len);
    let mut cands = lists[0].clone();
    for l in &lists[1..] {
        cands.retain(|e| l.binary_search(e).is_ok());
    }
    cands.into_iter().map(|e| index.entry_unit(e)).collect()
}

/// The language a phrase is most likely written in: Chinese for Han
/// characters, Russian for Cyrillic, English for Latin letters.
pub fn guess_lang(phrase: &str) -> Option<Lang> {
    let (mut han, mut cyr, mut lat) = (0, 0, 0);
    for c in phrase.chars() {
        if polytm_text::is_han(c) {
            han += 1;
        } else if ('\u{0400}'..='\u{04FF}').contains(&c) {
            cyr += 1;
        } else if c.is_ascii_alphabetic() {
            lat += 1;
        }
    }
    if han > 0 && han * 2 >= cyr + lat {
        Some(Lang::zh())
    } else if cyr > 0 && cyr >= lat {
        Some(Lang::ru())
    } else if lat > 0 {
        Some(Lang::en())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(phrase: &str, lang: &str, text: &str, exact: bool) -> Vec<(usize, usize)> {
        Phrase::new(phrase, &Lang::parse(lang).unwrap(), exact).find(text)
    }

    #[test]
    fn russian_inflections() {
        let t = "делегация Министерства внутренних дел Казахстана";
        assert_eq!(
            find("Министерство внутренних дел", "ru", t, false),
            vec![(10, 37)]
        );
        assert!(find("Министерство внутренних дел", "ru", t, true).is_empty());
        assert_eq!(
            find("министерства ВНУТРЕННИХ дел", "ru", t, true),
            vec![(10, 37)]
        );
    }

    #[test]
    fn english_case_and_plurals() {
        let t = "The Agencies of the SCO member states met.";
        assert_eq!(find("agency", "en", t, false), vec![(4, 12)]);
        assert!(find("agency", "en", t, true).is_empty());
        assert_eq!(find("sco member", "en", t, true), vec![(20, 30)]);
        // in order and adjacent
        assert!(find("member sco", "en", t, false).is_empty());
    }

    #[test]
    fn chinese_substrings() {
        let t = "上海合作组织秘书处，上海合作组织";
        assert_eq!(find("合作组织", "zh", t, false), vec![(2, 6), (12, 16)]);
        assert_eq!(find("ＳＣＯ", "zh", "SCO会议", false), vec![(0, 3)]);
    }

    #[test]
    fn guesses_the_language() {
        assert_eq!(guess_lang("上合组织"), Some(Lang::zh()));
        assert_eq!(guess_lang("МВД"), Some(Lang::ru()));
        assert_eq!(guess_lang("Ministry"), Some(Lang::en()));
        assert_eq!(guess_lang("2018"), None);
    }
}

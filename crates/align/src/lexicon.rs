//! The bilingual evidence the aligner looks words up in: an imported
//! lexicon (CC-CEDICT, a word list), glossary terms, and pairs learnt from
//! the TM or from the documents themselves; plus Chinese character
//! readings (pinyin) for names written in Latin letters.

use std::collections::{HashMap, HashSet};

use polytm_text::Stemmer;
use polytm_text::lang::Lang;

/// Pseudo-language of pinyin readings in the lexicon table: rows
/// (`zh`, `zh-Latn-pinyin`, `陈`, `chen`).
pub const PINYIN: &str = "zh-Latn-pinyin";

/// Where stored lexicon entries are read from (a translation memory).
pub trait EntrySource {
    /// Every entry from `lang_a` to `lang_b` with at least `min_weight`:
    /// `f(a, b, weight)`.
    fn entries(
        &self,
        lang_a: &str,
        lang_b: &str,
        min_weight: f64,
        f: &mut dyn FnMut(&str, &str, f64),
    ) -> polytm_core::Result<()>;

    /// The entries from `lang_a` to `lang_b` whose `a` is `a`: `f(b, weight)`.
    fn entries_of(
        &self,
        lang_a: &str,
        lang_b: &str,
        a: &str,
        min_weight: f64,
        f: &mut dyn FnMut(&str, f64),
    ) -> polytm_core::Result<()>;
}

/// Translations from language A to language B, keyed by the aligner's
/// forms (folded and stemmed words; Chinese words as written).
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    /// A form → B forms with weights (0..1).
    pub map: HashMap<String, Vec<(String, f32)>>,
    /// Han character → its readings (toneless pinyin, lower case).
    pub pinyin: HashMap<char, Vec<String>>,
}

impl Lexicon {
    pub fn new() -> Lexicon {
        Lexicon::default()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    pub fn len(&self) -> usize {
        self.map.values().map(Vec::len).sum()
    }

    /// Add one entry given in the languages' written forms: each side is
    /// folded and, when it is a single word, stemmed. Phrases are split
    /// into their content words (the aligner works with words).
    pub fn add_surface(&mut self, a: &str, b: &str, weight: f32, sa: &Stemmer, sb: &Stemmer) {
        let fa = forms(a, sa);
        let fb = forms(b, sb);
        if fa.is_empty() || fb.is_empty() || fa.len() > 4 || fb.len() > 4 {
            return;
        }
        let w = weight / (fa.len().max(fb.len()) as f32).sqrt();
        for x in &fa {
            for y in &fb {
                self.add(x.clone(), y.clone(), w);
            }
        }
    }

    /// Add an entry in aligner forms.
    pub fn add(&mut self, a: String, b: String, weight: f32) {
        let v = self.map.entry(a).or_default();
        match v.iter_mut().find(|(x, _)| *x == b) {
            Some(e) => e.1 = e.1.max(weight),
            None => v.push((b, weight)),
        }
    }

    pub fn get(&self, a: &str) -> &[(String, f32)] {
        self.map.get(a).map_or(&[], Vec::as_slice)
    }

    /// The same entries from B to A.
    pub fn reversed(&self) -> Lexicon {
        let mut r = Lexicon::new();
        for (a, bs) in &self.map {
            for (b, w) in bs {
                r.add(b.clone(), a.clone(), *w);
            }
        }
        r.pinyin = self.pinyin.clone();
        r
    }

    /// Load the entries between two languages from the TM, oriented from
    /// `a` to `b` (entries stored either way round), in the aligner's
    /// forms; with the pinyin readings of Chinese characters when one of
    /// them is Chinese. Traditional Chinese also reads the Simplified
    /// entries (most words are written the same). When the entries are
    /// keyed by a language written without spaces (Chinese), only those of
    /// the words in `vocab_a` / `vocab_b` (the documents' words) are read.
    pub fn load(
        store: &dyn EntrySource,
        a: &Lang,
        b: &Lang,
        min_weight: f64,
        vocab_a: Option<&HashSet<String>>,
        vocab_b: Option<&HashSet<String>>,
    ) -> polytm_core::Result<Lexicon> {
        let sa = stemmer(a);
        let sb = stemmer(b);
        let mut lex = Lexicon::new();
        let keys = |l: &Lang| -> Vec<String> {
            if l.as_str() == "zh-Hant" {
                vec!["zh-Hant".into(), "zh".into()]
            } else {
                vec![l.as_str().to_string()]
            }
        };
        // rows stored from `first` to `second`, handed over as (a-side, b-side)
        let mut read = |first: &str,
                        second: &str,
                        vocab: Option<&HashSet<String>>,
                        unspaced: bool,
                        flip: bool|
         -> polytm_core::Result<()> {
            let mut rows: Vec<(String, String, f64)> = Vec::new();
            match vocab.filter(|_| unspaced) {
                Some(words) => {
                    for w in words {
                        store.entries_of(first, second, w, min_weight, &mut |y, wt| {
                            rows.push((w.clone(), y.to_string(), wt))
                        })?;
                    }
                }
                None => store.entries(first, second, min_weight, &mut |x, y, wt| {
                    rows.push((x.to_string(), y.to_string(), wt))
                })?,
            }
            for (x, y, w) in rows {
                if flip {
                    lex.add_surface(&y, &x, w as f32, &sa, &sb);
                } else {
                    lex.add_surface(&x, &y, w as f32, &sa, &sb);
                }
            }
            Ok(())
        };
        for ka in keys(a) {
            for kb in keys(b) {
                read(&ka, &kb, vocab_a, a.is_unspaced(), false)?;
                read(&kb, &ka, vocab_b, b.is_unspaced(), true)?;
            }
        }
        for l in [a, b] {
            if l.primary() != "zh" {
                continue;
            }
            for key in keys(l) {
                let mut pin = Vec::new();
                store.entries(&key, PINYIN, 0.0, &mut |hz, py, w| {
                    pin.push((hz.to_string(), py.to_string(), w))
                })?;
                pin.sort_by(|x, y| y.2.total_cmp(&x.2));
                for (hz, py, _) in pin {
                    let mut cs = hz.chars();
                    if let (Some(c), None) = (cs.next(), cs.next()) {
                        let v = lex.pinyin.entry(c).or_default();
                        if !v.contains(&py) {
                            v.push(py);
                        }
                    }
                }
            }
        }
        Ok(lex)
    }

    pub fn merge(&mut self, other: &Lexicon) {
        for (a, bs) in &other.map {
            for (b, w) in bs {
                self.add(a.clone(), b.clone(), *w);
            }
        }
        for (c, rs) in &other.pinyin {
            let v = self.pinyin.entry(*c).or_default();
            for r in rs {
                if !v.contains(r) {
                    v.push(r.clone());
                }
            }
        }
    }
}

/// The aligner forms of a word or phrase: folded content words, stemmed;
/// a Chinese word stays whole.
pub fn forms(s: &str, stemmer: &Stemmer) -> Vec<String> {
    let folded = polytm_text::fold(s);
    if folded.chars().any(polytm_text::is_han) {
        let w: String = folded.chars().filter(|c| !c.is_whitespace()).collect();
        return vec![w];
    }
    folded
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-'))
        .map(|w| w.trim_matches(['\'', '-']))
        .filter(|w| !w.is_empty() && !polytm_text::stopwords::is_stopword(w))
        .map(|w| stemmer.stem(w).into_owned())
        .collect()
}

/// A stemmer for the aligner forms of a language.
pub fn stemmer(lang: &Lang) -> Stemmer {
    Stemmer::new(lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surface_entries_are_stemmed_and_split() {
        let en = Stemmer::new(&Lang::en());
        let zh = Stemmer::new(&Lang::zh());
        let mut l = Lexicon::new();
        l.add_surface("研究", "to study", 1.0, &zh, &en);
        l.add_surface("研究", "research", 1.0, &zh, &en);
        l.add_surface("友谊", "great friendship", 1.0, &zh, &en);
        let got: Vec<&str> = l.get("研究").iter().map(|(b, _)| b.as_str()).collect();
        assert_eq!(got, ["studi", "research"]);
        assert_eq!(l.get("友谊").len(), 2);
        assert!(l.get("友谊")[0].1 < 1.0);
        let r = l.reversed();
        assert_eq!(r.get("studi")[0].0, "研究");
    }
}

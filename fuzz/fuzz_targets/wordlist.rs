//! Bilingual word lists (`lexicon import --langs A,B list.tsv`): any text,
//! with a pair of languages the first byte picks. Pairs hold two trimmed,
//! non-empty words and a weight in (0, 1].
#![no_main]

use libfuzzer_sys::fuzz_target;
use polytm_formats::wordlist::read;
use polytm_fuzz::{refused, split_first, text};
use polytm_text::lang::LangTag;

const PAIRS: &[(&str, &str)] = &[("en", "ru"), ("zh", "en"), ("ru", "zh-CN"), ("de", "fr")];

fuzz_target!(|data: &[u8]| {
    let (b, rest) = split_first(data);
    let (a, z) = PAIRS[b as usize % PAIRS.len()];
    let (la, lb) = (LangTag::parse(a).unwrap(), LangTag::parse(z).unwrap());
    let text = text(rest);
    let pairs = match read(&text, "fuzz.tsv", &la, &lb) {
        Ok(p) => p,
        Err(e) => return refused(e),
    };
    assert!(!pairs.is_empty());
    for p in pairs {
        for w in [&p.a, &p.b] {
            assert!(!w.is_empty() && w.trim() == w, "word {w:?}");
        }
        assert!(p.weight > 0.0 && p.weight <= 1.0, "weight {}", p.weight);
    }
});

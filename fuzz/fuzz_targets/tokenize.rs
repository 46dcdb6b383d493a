//! Tokenisation of arbitrary text, per language (the first byte picks it):
//! tokens are in order, in bounds and non-empty, with non-empty keys, and
//! the allocation-free key scanner the fuzzy index uses gives exactly the
//! kinds and keys `tokenize` gives.
#![no_main]

use libfuzzer_sys::fuzz_target;
use polytm_fuzz::{check_spans, lang, split_first, text};
use polytm_text::tokenize::{KeyScanner, for_each_key, tokenize};

fuzz_target!(|data: &[u8]| {
    let (b, rest) = split_first(data);
    let lang = lang(b);
    let text = text(rest);
    let len = text.chars().count();
    let tokens = tokenize(&text, &lang);
    check_spans(tokens.iter().map(|t| (t.start, t.end)), len, "token");
    assert!(
        tokens.iter().all(|t| !t.key.is_empty()),
        "a token with no key"
    );
    let mut keys = Vec::with_capacity(tokens.len());
    for_each_key(&text, &lang, |kind, key| keys.push((kind, key.to_string())));
    let want: Vec<_> = tokens.iter().map(|t| (t.kind, t.key.clone())).collect();
    assert_eq!(keys, want, "for_each_key and tokenize disagree");
    // A scanner reused after another text gives the same keys.
    let mut scanner = KeyScanner::default();
    scanner.keys("Warm-up text, 上海 2018.", &lang, |_, _| {});
    let mut again = Vec::with_capacity(tokens.len());
    scanner.keys(&text, &lang, |kind, key| {
        again.push((kind, key.to_string()))
    });
    assert_eq!(again, want, "a reused KeyScanner disagrees");
});

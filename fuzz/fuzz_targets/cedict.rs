//! CC-CEDICT (`lexicon import cedict_ts.u8`): every line of any text is an
//! entry, a comment or an error; entries give glosses, gloss terms with
//! weights in (0, 1] and toneless syllables; `looks_like` (the format
//! registry's test) never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use polytm_formats::cedict::{gloss_terms, looks_like, parse_line, syllables};
use polytm_fuzz::text;

fuzz_target!(|data: &[u8]| {
    let text = text(data);
    let _ = looks_like(&text);
    for line in text.lines() {
        let e = match parse_line(line) {
            Ok(Some(e)) => e,
            Ok(None) => continue,
            Err(msg) => {
                assert!(!msg.is_empty());
                continue;
            }
        };
        assert!(!e.traditional.is_empty() && !e.simplified.is_empty());
        for g in &e.glosses {
            assert!(!g.is_empty() && g.trim() == g);
            for (term, w) in gloss_terms(g) {
                assert!(!term.is_empty(), "an empty term from {g:?}");
                assert!(w > 0.0 && w <= 1.0, "weight {w} for {term:?} from {g:?}");
            }
        }
        for s in syllables(&e.pinyin) {
            assert!(
                s.len() > 1 && s.bytes().all(|b| b.is_ascii_lowercase()),
                "{s:?}"
            );
        }
    }
});

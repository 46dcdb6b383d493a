//! Sentence segmentation of arbitrary text, per language (the first byte
//! picks it): paragraphs and sentences are in order, in bounds and never
//! overlap; a sentence starts and ends with a character that is not white
//! space; every other character lies in a sentence, so the sentences and
//! the white space between them give back the whole text; `one_line`
//! makes one line of any sentence.
#![no_main]

use libfuzzer_sys::fuzz_target;
use polytm_fuzz::{check_spans, lang, split_first, text};
use polytm_text::segment::{Segmenter, one_line, sentences};

fuzz_target!(|data: &[u8]| {
    let (b, rest) = split_first(data);
    let lang = lang(b);
    let text = text(rest);
    let chars: Vec<char> = text.chars().collect();
    let paras = Segmenter::new(&lang).segment_chars(&chars);
    check_spans(
        paras.iter().map(|p| (p.span.start, p.span.end)),
        chars.len(),
        "paragraph",
    );
    let mut covered = 0;
    for p in &paras {
        assert!(!p.sentences.is_empty(), "a paragraph without sentences");
        assert_eq!(p.span.start, p.sentences[0].start);
        assert_eq!(p.span.end, p.sentences[p.sentences.len() - 1].end);
        check_spans(
            p.sentences.iter().map(|s| (s.start, s.end)),
            chars.len(),
            "sentence",
        );
        for s in &p.sentences {
            let gap = &chars[covered..s.start];
            assert!(
                gap.iter().all(|c| c.is_whitespace()),
                "{:?} between sentences",
                gap.iter().collect::<String>()
            );
            let body = &chars[s.start..s.end];
            assert!(
                !body[0].is_whitespace() && !body[body.len() - 1].is_whitespace(),
                "sentence {:?} not trimmed",
                body.iter().collect::<String>()
            );
            covered = s.end;
            let line = one_line(&chars, *s);
            assert!(!line.contains(['\n', '\r']), "one_line kept a line break");
        }
    }
    let tail = &chars[covered..];
    assert!(
        tail.iter().all(|c| c.is_whitespace()),
        "{:?} after the last sentence",
        tail.iter().collect::<String>()
    );
    let flat: Vec<_> = paras.iter().flat_map(|p| p.sentences.clone()).collect();
    assert_eq!(sentences(&text, &lang), flat);
});

//! XLIFF 1.2 and 2.0 as `pretranslate` reads them: bytes decoded (UTF-8,
//! UTF-16 with a byte-order mark), then parsed. Units point at their file,
//! inline content renders, and a document with nothing to fill is written
//! back byte for byte.
#![no_main]

use libfuzzer_sys::fuzz_target;
use polytm_formats::input::{Utf16, decode};
use polytm_formats::xliff::{FillOptions, parse};
use polytm_fuzz::refused;

fuzz_target!(|data: &[u8]| {
    let text = match decode(data, Utf16::Decode) {
        Ok(t) => t,
        Err((_, msg)) => return refused(msg),
    };
    let doc = match parse(&text, "fuzz.xlf") {
        Ok(d) => d,
        Err(e) => return refused(e),
    };
    assert_eq!(doc.text(), text);
    for u in &doc.units {
        assert!(u.file < doc.files.len(), "a unit of no file");
        for s in &u.segments {
            let _ = (s.is_filled(), s.done_translation());
            for c in std::iter::once(&s.source).chain(s.target.as_ref()) {
                let tags = c.parts.len()
                    - c.parts
                        .iter()
                        .filter(|p| matches!(p, polytm_formats::xliff::Part::Text(_)))
                        .count();
                assert!(c.inner_tags() <= tags);
                let _ = (c.plain(), c.raw(), c.render("x & <y>"));
            }
        }
    }
    let opts = FillOptions {
        target_lang: "ru",
        overwrite: false,
    };
    assert_eq!(
        doc.fill(&[], &opts),
        text,
        "nothing to fill changed the file"
    );
});

//! What kind a file is, from its bytes (`registry::detect_content`, for
//! every purpose), and the decoding of text files (`input::decode`): a
//! kind is always one the purpose accepts, and decoded text is the bytes
//! themselves when they are UTF-8.
#![no_main]

use libfuzzer_sys::fuzz_target;
use polytm_formats::input::{Utf16, bom, decode, line_col_bytes};
use polytm_formats::registry::{Purpose, detect_content};
use polytm_fuzz::refused;

const PURPOSES: &[Purpose] = &[
    Purpose::Tm,
    Purpose::Glossary,
    Purpose::Lexicon,
    Purpose::Pretranslate,
    Purpose::Document,
];

fuzz_target!(|data: &[u8]| {
    for &p in PURPOSES {
        match detect_content("fuzz", data, p) {
            Ok(kind) => assert!(p.accepts().contains(&kind), "{kind:?} for {p:?}"),
            Err(e) => refused(e),
        }
    }
    for mode in [Utf16::Decode, Utf16::Refuse] {
        match decode(data, mode) {
            Ok(text) => {
                if bom(data).is_none() {
                    assert_eq!(text.as_bytes(), data);
                }
            }
            Err((_, msg)) => refused(msg),
        }
    }
    let (line, col) = line_col_bytes(data, data.len() / 2);
    assert!(line >= 1 && col >= 1);
});

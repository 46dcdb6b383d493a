//! The inline markup of a TMX segment as stored (`parse_inline`, which the
//! TMX writer and the repairs call on texts from the database): any text
//! is read or refused without a panic, an error's offset lies in the text,
//! and what is read is a fixed point (its markup reads back to itself).
#![no_main]

use libfuzzer_sys::fuzz_target;
use polytm_formats::tmx::parse_inline;
use polytm_fuzz::text;

fuzz_target!(|data: &[u8]| {
    let markup = text(data);
    let inline = match parse_inline(&markup) {
        Ok(i) => i,
        Err((at, msg)) => {
            assert!(
                at <= markup.chars().count(),
                "error offset {at} past the end"
            );
            assert!(!msg.is_empty());
            return;
        }
    };
    if !inline.has_markup {
        assert_eq!(inline.plain, inline.native);
    }
    let again = parse_inline(&inline.markup).expect("the markup written reads back");
    assert_eq!(again, inline);
});

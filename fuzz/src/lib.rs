//! What the fuzz targets share: turning the fuzzer's bytes into the inputs
//! the readers take, and the checks every target makes on what they give
//! back. Each target in `fuzz_targets/` feeds one reader; a panic (or an
//! overflow: cargo-fuzz builds with debug assertions) is a crash, and so
//! is a failed `assert!` on an invariant.

use std::borrow::Cow;
use std::fmt::Display;
use std::sync::OnceLock;

use polytm_text::lang::Lang;

/// The languages the per-language targets cycle through: the three polytm
/// is built for, Traditional Chinese, a language that writes ordinal dots
/// (`3. Oktober`), Japanese (kana, no spaces), one with only the generic
/// line of rules, and one polytm knows nothing about.
pub const LANGS: &[&str] = &["en", "ru", "zh", "zh-Hant", "de", "ja", "fr", "xx"];

/// The first byte of the input picks options, the rest is the input.
pub fn split_first(data: &[u8]) -> (u8, &[u8]) {
    match data.split_first() {
        Some((&b, rest)) => (b, rest),
        None => (0, data),
    }
}

/// The language a byte picks from [`LANGS`].
pub fn lang(b: u8) -> Lang {
    let code = LANGS[b as usize % LANGS.len()];
    Lang::parse(code).unwrap_or_else(|_| Lang::from_key(code))
}

/// Bytes as text for the readers that take `&str`: UTF-8 as it is, other
/// bytes as U+FFFD (checking the encoding is `input::decode`'s job, fuzzed
/// in the `registry` target).
pub fn text(data: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// Whether errors are held to DESIGN.md's "safety" row (at most 3 lines
/// and 1,000 bytes whatever the input holds). Off unless
/// `POLYTM_FUZZ_ERRORS=1`: see README.md.
fn check_errors() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("POLYTM_FUZZ_ERRORS").is_some_and(|v| v == "1"))
}

/// A reader refused the input: the refusal is what bad input gets, but
/// its message must stay short (when [`check_errors`] is on) and must not
/// be empty.
pub fn refused(e: impl Display) {
    let msg = e.to_string();
    assert!(!msg.trim().is_empty(), "an error with no message");
    if check_errors() {
        assert!(
            msg.len() <= 1000 && msg.lines().count() <= 3,
            "an error message of {} bytes, {} lines: {:?}",
            msg.len(),
            msg.lines().count(),
            msg.chars().take(300).collect::<String>()
        );
    }
}

/// The character offsets `[start, end)` of spans in a text of `len`
/// characters are in bounds, not empty, and in order without overlap
/// (`touching` allows one to start where the previous ends).
pub fn check_spans(spans: impl IntoIterator<Item = (usize, usize)>, len: usize, what: &str) {
    let mut last_end = 0;
    for (i, (start, end)) in spans.into_iter().enumerate() {
        assert!(
            start < end,
            "{what} {i}: empty or reversed span {start}..{end}"
        );
        assert!(
            end <= len,
            "{what} {i}: {start}..{end} past the end ({len})"
        );
        assert!(
            start >= last_end,
            "{what} {i}: {start}..{end} overlaps the one before (ending at {last_end})"
        );
        last_end = end;
    }
}

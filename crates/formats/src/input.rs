//! Reading input files: UTF-8 only (a UTF-8 byte-order mark is dropped),
//! with clear errors for the encodings people actually send (UTF-16 from
//! Excel's "Unicode text", Windows-1251, GBK) and for binary files.

use std::io::Read;
use std::path::Path;

use polytm_core::error::{Error, Pos, Result, display_path};

/// What to do with a UTF-16 file that starts with a byte-order mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Utf16 {
    /// Refuse it with an error that names the encoding.
    Refuse,
    /// Decode it (TMX files written by some CAT tools are UTF-16).
    Decode,
}

/// Read a whole file (or standard input for `-`) as UTF-8 text.
pub fn read_text(path: &Path, utf16: Utf16) -> Result<String> {
    let bytes = read_bytes(path)?;
    decode(&bytes, utf16).map_err(|(pos, msg)| Error::input(display_path(path), pos, msg))
}

/// Read a whole file (or standard input for `-`) as text, decompressing
/// it first when it is gzip data (by its first bytes); UTF-16 is decoded.
pub fn read_text_maybe_gzip(path: &Path) -> Result<String> {
    let bytes = read_bytes(path)?;
    let name = display_path(path);
    let bytes = if crate::registry::is_gzip(&bytes) {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(&bytes[..])
            .read_to_end(&mut out)
            .map_err(|e| Error::input(&name, None, format!("broken gzip data: {e}")))?;
        out
    } else {
        bytes
    };
    decode(&bytes, Utf16::Decode).map_err(|(pos, msg)| Error::input(&name, pos, msg))
}

/// Read a whole file, or standard input for `-`.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    if path.as_os_str() == "-" {
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io(path, e))?;
    } else {
        if path.is_dir() {
            return Err(Error::Io {
                file: display_path(path),
                msg: "is a folder, not a file".into(),
            });
        }
        bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    }
    Ok(bytes)
}

/// The byte-order mark at the start of `bytes`, if any.
pub fn bom(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        Some("UTF-8")
    } else if bytes.starts_with(&[0xFF, 0xFE]) {
        Some("UTF-16LE")
    } else if bytes.starts_with(&[0xFE, 0xFF]) {
        Some("UTF-16BE")
    } else {
        None
    }
}

/// Decode bytes to text; on failure (position, message).
pub fn decode(bytes: &[u8], utf16: Utf16) -> std::result::Result<String, (Option<Pos>, String)> {
    match bom(bytes) {
        Some("UTF-8") => return utf8(&bytes[3..]),
        Some(enc @ ("UTF-16LE" | "UTF-16BE")) => {
            if utf16 == Utf16::Refuse {
                return Err((
                    None,
                    format!(
                        "is {enc} (it starts with a byte-order mark), not UTF-8; save it as UTF-8 (in Excel: \"CSV UTF-8\")"
                    ),
                ));
            }
            let le = enc == "UTF-16LE";
            let units: Vec<u16> = bytes[2..]
                .chunks(2)
                .map(|c| {
                    let pair = [c[0], *c.get(1).unwrap_or(&0)];
                    if le {
                        u16::from_le_bytes(pair)
                    } else {
                        u16::from_be_bytes(pair)
                    }
                })
                .collect();
            if !bytes.len().is_multiple_of(2) {
                return Err((
                    None,
                    format!("is {enc} but has an odd number of bytes (truncated?)"),
                ));
            }
            return String::from_utf16(&units)
                .map_err(|_| (None, format!("is {enc} but holds an unpaired surrogate")));
        }
        _ => {}
    }
    utf8(bytes)
}

fn utf8(bytes: &[u8]) -> std::result::Result<String, (Option<Pos>, String)> {
    if let Some(nul) = memchr_nul(bytes) {
        // Many NULs at alternating positions: UTF-16 without a byte-order mark.
        let sample = &bytes[..bytes.len().min(4096)];
        let nuls = sample.iter().filter(|&&b| b == 0).count();
        if nuls * 3 > sample.len() {
            return Err((
                None,
                "looks like UTF-16 without a byte-order mark, not UTF-8; save it as UTF-8".into(),
            ));
        }
        let (line, col) = line_col_bytes(bytes, nul);
        return Err((Some(Pos::LineCol(line, col)), BINARY.into()));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => {
            let at = e.valid_up_to();
            let (line, col) = line_col_bytes(bytes, at);
            Err((Some(Pos::LineCol(line, col)), not_utf8(bytes, at)))
        }
    }
}

/// What a NUL byte in a text file says.
pub const BINARY: &str = "binary data (a NUL byte), not a text file";

/// The message for bytes that are not UTF-8 from `at` on, naming the
/// legacy encoding they most likely are in.
pub fn not_utf8(bytes: &[u8], at: usize) -> String {
    let guess = guess_legacy(bytes)
        .map(|g| format!("; it looks like {g}"))
        .unwrap_or_default();
    format!(
        "not UTF-8 (invalid byte 0x{:02X}{guess}); save it as UTF-8",
        bytes[at]
    )
}

fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == 0)
}

/// 1-based line and column (in characters, counting the valid UTF-8 before).
pub fn line_col_bytes(bytes: &[u8], at: usize) -> (usize, usize) {
    let before = &bytes[..at.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let col = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, col)
}

/// 1-based line and column of a byte offset in a string.
pub fn line_col(text: &str, at: usize) -> (usize, usize) {
    line_col_bytes(text.as_bytes(), at)
}

/// Name the legacy encoding a non-UTF-8 file most likely uses.
fn guess_legacy(bytes: &[u8]) -> Option<&'static str> {
    let high: Vec<usize> = (0..bytes.len()).filter(|&i| bytes[i] >= 0x80).collect();
    if high.is_empty() {
        return None;
    }
    // GBK: high bytes come in pairs (lead 0x81-0xFE, trail 0x40-0xFE).
    let mut pairs = 0usize;
    let mut i = 0;
    while i + 1 < bytes.len() {
        if (0x81..=0xFE).contains(&bytes[i]) && (0x40..=0xFE).contains(&bytes[i + 1]) {
            pairs += 1;
            i += 2;
        } else {
            i += 1;
        }
    }
    // Windows-1251: Russian text is mostly lower-case letters, 0xE0-0xFF;
    // GBK lead and trail bytes spread over 0x81-0xFE.
    let lower_cyr = high.iter().filter(|&&i| bytes[i] >= 0xE0).count();
    let any_cyr = high.iter().filter(|&&i| bytes[i] >= 0xC0).count();
    if lower_cyr * 10 >= high.len() * 6 {
        return Some("Windows-1251 (Cyrillic)");
    }
    if pairs * 2 >= high.len() * 9 / 10 {
        return Some("GBK/GB18030 (Chinese)");
    }
    if any_cyr * 10 >= high.len() * 7 {
        return Some("Windows-1251 (Cyrillic)");
    }
    Some("a legacy 8-bit encoding (Windows-1252?)")
}

/// A file must hold some text: "is empty" otherwise.
pub fn require_text(path: &Path, text: &str) -> Result<()> {
    if text.trim().is_empty() {
        let what = if text.is_empty() {
            "is empty"
        } else {
            "holds only white space"
        };
        return Err(Error::input(display_path(path), None, what));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode(b"\xEF\xBB\xBFabc", Utf16::Refuse).unwrap(), "abc");
        assert_eq!(decode("абв".as_bytes(), Utf16::Refuse).unwrap(), "абв");
    }

    #[test]
    fn utf16_with_bom_named_or_decoded() {
        let mut b = vec![0xFF, 0xFE];
        for u in "en\tru".encode_utf16() {
            b.extend_from_slice(&u.to_le_bytes());
        }
        let (_, msg) = decode(&b, Utf16::Refuse).unwrap_err();
        assert!(msg.contains("UTF-16LE"), "{msg}");
        assert_eq!(decode(&b, Utf16::Decode).unwrap(), "en\tru");
        let mut be = vec![0xFE, 0xFF];
        for u in "Ж".encode_utf16() {
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(decode(&be, Utf16::Decode).unwrap(), "Ж");
    }

    #[test]
    fn windows_1251_is_named_with_position() {
        // "en\tru\nHello\tПривет" in Windows-1251
        let b = b"en\tru\nHello\t\xCF\xF0\xE8\xE2\xE5\xF2 \xEC\xE8\xF0\n";
        let (pos, msg) = decode(b, Utf16::Refuse).unwrap_err();
        assert_eq!(pos, Some(Pos::LineCol(2, 7)));
        assert!(msg.contains("Windows-1251"), "{msg}");
        assert!(msg.contains("not UTF-8"), "{msg}");
    }

    #[test]
    fn gbk_is_named() {
        // "中文测试" in GBK
        let b = b"zh\n\xD6\xD0\xCE\xC4\xB2\xE2\xCA\xD4\n";
        let (_, msg) = decode(b, Utf16::Refuse).unwrap_err();
        assert!(msg.contains("GBK"), "{msg}");
    }

    #[test]
    fn binary_and_bomless_utf16() {
        let (pos, msg) = decode(b"ab\ncd\x00ef", Utf16::Refuse).unwrap_err();
        assert!(msg.contains("binary"), "{msg}");
        assert_eq!(pos, Some(Pos::LineCol(2, 3)));
        let mut b = Vec::new();
        for u in "hello world".encode_utf16() {
            b.extend_from_slice(&u.to_le_bytes());
        }
        let (_, msg) = decode(&b, Utf16::Refuse).unwrap_err();
        assert!(msg.contains("UTF-16 without"), "{msg}");
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("ab\nжж x", 7), (2, 3));
    }
}

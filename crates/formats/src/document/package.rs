//! Zip containers (`.docx`, `.odt`), read with the `zip` crate (zip-rs:
//! the maintained zip reader and writer of the Rust ecosystem, pure Rust,
//! with raw copying of entries so a rewritten document keeps every entry
//! it did not change byte for byte).
//!
//! A file that is not a zip says what it is instead: an old binary Word
//! document (`.doc`, an OLE compound file), an encrypted Office document
//! (the same container, holding an `EncryptedPackage`), an HTML page saved
//! under a document's name, or nothing at all.

use std::io::{Cursor, Read, Write};

use zip::ZipArchive;
use zip::write::{SimpleFileOptions, ZipWriter};

use crate::limits::MAX_PART_BYTES;
use polytm_core::error::{Error, Result};

/// The first bytes of an OLE compound file (`.doc`, `.xls`, encrypted
/// OOXML).
const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// What an encrypted document gets.
pub const ENCRYPTED: &str =
    "is password-protected (encrypted); open it, remove the password and save it again";

/// An opened zip container.
pub struct Package {
    zip: ZipArchive<Cursor<Vec<u8>>>,
    file: String,
}

impl Package {
    /// Open `bytes` as the zip container of a document of kind `what`
    /// ("a Word document (.docx)"), with an error saying what the file is
    /// when it is not one.
    pub fn open(bytes: Vec<u8>, file: &str, what: &str, convert_to: &str) -> Result<Package> {
        let bad = |msg: String| Error::input(file, None, msg);
        if bytes.iter().all(|b| b.is_ascii_whitespace()) {
            return Err(bad("is empty".into()));
        }
        if bytes.starts_with(&CFB_MAGIC) {
            if contains_utf16(&bytes, "EncryptedPackage") {
                return Err(bad(ENCRYPTED.into()));
            }
            return Err(bad(format!(
                "is an old binary document (Word 97-2003 .doc or similar), not {what}; convert it first: soffice --headless --convert-to {convert_to} FILE"
            )));
        }
        if !bytes.starts_with(b"PK") {
            let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
            let looks = if head.contains("<html") || head.contains("<!doctype") {
                " (it looks like an HTML page)"
            } else if head.trim_start().starts_with("{\\rtf") {
                " (it looks like an RTF document)"
            } else {
                ""
            };
            return Err(bad(format!("is not {what}: not a zip archive{looks}")));
        }
        let zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
            bad(format!(
                "is damaged: not a complete zip archive ({}); is it truncated?",
                short(&e.to_string())
            ))
        })?;
        Ok(Package {
            zip,
            file: file.to_string(),
        })
    }

    /// Whether an entry of that name is there.
    pub fn has(&self, name: &str) -> bool {
        self.zip.index_for_name(name).is_some()
    }

    /// The text of entry `name` (UTF-8 XML), `None` when there is none.
    pub fn text(&mut self, name: &str) -> Result<Option<String>> {
        let Some(i) = self.zip.index_for_name(name) else {
            return Ok(None);
        };
        let file = self.file.clone();
        let bad = |msg: String| Error::input(&file, None, format!("{name}: {msg}"));
        let encrypted = self.zip.by_index_raw(i).is_ok_and(|e| e.encrypted());
        if encrypted {
            return Err(Error::input(&file, None, ENCRYPTED));
        }
        let mut entry = self
            .zip
            .by_index(i)
            .map_err(|e| bad(format!("cannot be read ({})", short(&e.to_string()))))?;
        let mut bytes = Vec::new();
        (&mut entry)
            .take(MAX_PART_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| {
                bad(format!(
                    "cannot be inflated ({}); is the file damaged?",
                    short(&e.to_string())
                ))
            })?;
        if bytes.len() as u64 > MAX_PART_BYTES {
            return Err(bad(format!(
                "inflates to more than {} MiB; polytm does not read it",
                MAX_PART_BYTES >> 20
            )));
        }
        let text =
            crate::input::decode(&bytes, crate::input::Utf16::Decode).map_err(|(pos, msg)| {
                let at = pos.map(|p| format!(":{p}")).unwrap_or_default();
                Error::input(&self.file, None, format!("{name}{at}: {msg}"))
            })?;
        Ok(Some(text))
    }
}

/// The zip `original` with the entries named in `changed` replaced by new
/// texts, every other entry copied raw, in the original order.
pub fn rewrite(original: &[u8], changed: &[(&str, &str)], file: &str) -> Result<Vec<u8>> {
    let fail =
        |e: zip::result::ZipError| Error::other(format!("{file}: writing the document: {e}"));
    let mut zip = ZipArchive::new(Cursor::new(original)).map_err(fail)?;
    let mut out = ZipWriter::new(Cursor::new(Vec::with_capacity(original.len() + 4096)));
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(fail)?;
        let name = entry.name().map_err(fail)?.into_owned();
        match changed.iter().find(|(n, _)| *n == name) {
            Some((_, text)) => {
                let mut opts = SimpleFileOptions::default()
                    .compression_method(zip::CompressionMethod::Deflated);
                if let Some(t) = entry.last_modified() {
                    opts = opts.last_modified_time(t);
                }
                drop(entry);
                out.start_file(name, opts).map_err(fail)?;
                out.write_all(text.as_bytes())
                    .map_err(|e| Error::other(format!("{file}: writing the document: {e}")))?;
            }
            None => out.raw_copy_file(entry).map_err(fail)?,
        }
    }
    Ok(out.finish().map_err(fail)?.into_inner())
}

/// Whether `bytes` hold `s` in UTF-16LE (names in a compound file).
fn contains_utf16(bytes: &[u8], s: &str) -> bool {
    let pat: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    bytes.windows(pat.len()).any(|w| w == pat.as_slice())
}

/// A library's message, kept short and on one line.
fn short(s: &str) -> String {
    let one: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    match one.char_indices().nth(120) {
        Some((i, _)) => format!("{}…", &one[..i]),
        None => one,
    }
}

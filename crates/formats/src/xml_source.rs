//! Opening an XML file for streaming: the bytes a parser sees are always
//! UTF-8, whatever the file was written in.
//!
//! - UTF-8 (with or without a byte-order mark) is checked as it streams by:
//!   an invalid byte is an error at its line and column that names the
//!   encoding the file most likely uses (Windows-1251, GBK ...).
//! - UTF-16 with a byte-order mark (some CAT tools write TMX that way), or
//!   without one when the file starts `<?xml` in UTF-16, and any encoding an
//!   XML declaration names (`encoding="windows-1251"`) are transcoded on the
//!   fly with `encoding_rs`; a malformed sequence is an error, never a
//!   silent U+FFFD.
//! - NUL bytes (a binary file) and runs of more than [`MAX_TEXT_RUN`] bytes
//!   without a `<` (a damaged file; no segment is that long) are errors, so
//!   a 200 MB line of text cannot make the parser buffer all of it.
//!
//! Errors carry a byte offset in the UTF-8 stream; [`locate`] turns it into
//! a line and column by reading the file again (errors are rare, so the
//! second pass costs nothing in the normal case and the first pass keeps no
//! line table).

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use encoding_rs::{Decoder, DecoderResult, Encoding};

use crate::input;
use polytm_core::error::{Error, Pos, Result, display_path};

/// The longest run of bytes without a `<` that is accepted: the one
/// segment limit of [`crate::limits`].
pub const MAX_TEXT_RUN: u64 = crate::limits::MAX_SEGMENT_BYTES as u64;

/// A problem found in the byte stream, at an offset of the UTF-8 stream.
#[derive(Debug, Clone)]
pub struct SourceFault {
    pub offset: u64,
    pub msg: String,
}

impl std::fmt::Display for SourceFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.msg)
    }
}

impl std::error::Error for SourceFault {}

/// The [`SourceFault`] inside an I/O error raised by this module's readers.
pub fn fault_of(e: &io::Error) -> Option<&SourceFault> {
    e.get_ref()
        .and_then(|inner| inner.downcast_ref::<SourceFault>())
}

/// An opened XML source.
pub struct XmlSource {
    /// UTF-8 bytes, checked.
    pub reader: Box<dyn BufRead + Send>,
    /// The encoding the file was written in (`UTF-8`, `UTF-16LE` ...).
    pub encoding: &'static str,
    /// Bytes of the file read so far (for a progress bar).
    pub bytes_read: Arc<AtomicU64>,
    /// Size of the file when known.
    pub len: Option<u64>,
}

/// Open a file (or `-` for standard input) for XML parsing.
pub fn open(path: &Path) -> Result<XmlSource> {
    let name = display_path(path);
    let (raw, len): (Box<dyn Read + Send>, Option<u64>) = if path.as_os_str() == "-" {
        (Box::new(io::stdin()), None)
    } else {
        if path.is_dir() {
            return Err(Error::Io {
                file: name,
                msg: "is a folder, not a file".into(),
            });
        }
        let f = File::open(path).map_err(|e| Error::io(path, e))?;
        // the size only scales the progress bar; reading reports real errors
        let len = f.metadata().ok().map(|m| m.len());
        (Box::new(f), len)
    };
    let counter = Arc::new(AtomicU64::new(0));
    let counted = Counting {
        inner: raw,
        count: counter.clone(),
    };
    let (reader, encoding) = from_reader(counted).map_err(|e| match fault_of(&e) {
        Some(f) => Error::input(&name, None, f.msg.clone()),
        None => Error::io(path, e),
    })?;
    Ok(XmlSource {
        reader,
        encoding,
        bytes_read: counter,
        len,
    })
}

/// Wrap any byte stream: sniff its encoding and return checked UTF-8.
pub fn from_reader<R: Read + Send + 'static>(
    mut raw: R,
) -> io::Result<(Box<dyn BufRead + Send>, &'static str)> {
    // Read the first bytes (a pipe may deliver them in pieces).
    let mut head = vec![0u8; 1024];
    let mut n = 0;
    while n < head.len() {
        let k = raw.read(&mut head[n..])?;
        if k == 0 {
            break;
        }
        n += k;
    }
    head.truncate(n);
    if head.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(fault(
            0,
            if head.is_empty() {
                "is empty"
            } else {
                "holds only white space"
            },
        ));
    }
    let (encoding, skip): (&'static Encoding, usize) = match head.as_slice() {
        [0xEF, 0xBB, 0xBF, ..] => (encoding_rs::UTF_8, 3),
        [0xFF, 0xFE, ..] => (encoding_rs::UTF_16LE, 2),
        [0xFE, 0xFF, ..] => (encoding_rs::UTF_16BE, 2),
        [b'<', 0, b'?', 0, ..] => (encoding_rs::UTF_16LE, 0),
        [0, b'<', 0, b'?', ..] => (encoding_rs::UTF_16BE, 0),
        _ => (declared_encoding(&head)?, 0),
    };
    let rest = io::Cursor::new(head.split_off(skip.min(head.len()))).chain(raw);
    if encoding == encoding_rs::UTF_8 {
        Ok((Box::new(Checked::new(rest, false)), "UTF-8"))
    } else {
        let dec = Transcode {
            inner: BufReader::with_capacity(1 << 16, rest),
            decoder: encoding.new_decoder_without_bom_handling(),
            encoding,
            out_pos: 0,
            pending: false,
            done: false,
        };
        Ok((Box::new(Checked::new(dec, true)), encoding.name()))
    }
}

/// The encoding an XML declaration at the start of `head` names; UTF-8
/// when there is none.
fn declared_encoding(head: &[u8]) -> io::Result<&'static Encoding> {
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(0);
    let head = &head[start..];
    if !head.starts_with(b"<?xml") {
        return Ok(encoding_rs::UTF_8);
    }
    let end = memchr::memmem::find(head, b"?>").unwrap_or(head.len());
    let decl = String::from_utf8_lossy(&head[..end]);
    let Some(i) = decl.find("encoding") else {
        return Ok(encoding_rs::UTF_8);
    };
    let after = decl[i + "encoding".len()..].trim_start();
    let Some(after) = after.strip_prefix('=') else {
        return Ok(encoding_rs::UTF_8);
    };
    let after = after.trim_start();
    let quote = match after.chars().next() {
        Some(q @ ('"' | '\'')) => q,
        _ => return Ok(encoding_rs::UTF_8),
    };
    let label: String = after[1..].chars().take_while(|&c| c != quote).collect();
    match Encoding::for_label(label.trim().as_bytes()) {
        // A file that says UTF-16 but has no byte-order mark and is not
        // UTF-16 (its declaration is readable as ASCII) is read as bytes.
        Some(e) if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE => {
            Ok(encoding_rs::UTF_8)
        }
        Some(e) => Ok(e),
        None => Err(fault(
            0,
            &format!(
                "the XML declaration names the encoding '{label}', which polytm does not know"
            ),
        )),
    }
}

fn fault(offset: u64, msg: &str) -> io::Error {
    io::Error::other(SourceFault {
        offset,
        msg: msg.to_string(),
    })
}

/// Counts the bytes read from the file.
struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Streaming transcoder to UTF-8 that refuses malformed input.
struct Transcode<R> {
    inner: R,
    decoder: Decoder,
    encoding: &'static Encoding,
    /// Bytes of UTF-8 produced so far.
    out_pos: u64,
    /// A malformed sequence was met after some output was handed out: the
    /// error is raised on the next call.
    pending: bool,
    done: bool,
}

impl<R: BufRead> Read for Transcode<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.pending {
            return Err(self.malformed());
        }
        if self.done || out.is_empty() {
            return Ok(0);
        }
        if out.len() < 4 {
            // encoding_rs needs room for a whole character; BufReader always
            // gives more, so this only keeps the `Read` contract.
            return Err(io::Error::other("read buffer too small for transcoding"));
        }
        loop {
            let input = self.inner.fill_buf()?;
            let last = input.is_empty();
            let (res, read, written) = self
                .decoder
                .decode_to_utf8_without_replacement(input, out, last);
            self.inner.consume(read);
            self.out_pos += written as u64;
            match res {
                DecoderResult::Malformed(_, _) => {
                    if written > 0 {
                        self.pending = true;
                        return Ok(written);
                    }
                    return Err(self.malformed());
                }
                DecoderResult::OutputFull | DecoderResult::InputEmpty => {
                    if written > 0 {
                        return Ok(written);
                    }
                    if last {
                        self.done = true;
                        return Ok(0);
                    }
                }
            }
        }
    }
}

impl<R> Transcode<R> {
    fn malformed(&self) -> io::Error {
        let what =
            if self.encoding == encoding_rs::UTF_16LE || self.encoding == encoding_rs::UTF_16BE {
                "an unpaired surrogate or a truncated character"
            } else {
                "a byte sequence that is not a character"
            };
        fault(
            self.out_pos,
            &format!("not valid {} ({what})", self.encoding.name()),
        )
    }
}

/// Checks a UTF-8 stream as it passes: valid UTF-8 (unless it comes from
/// the transcoder), no NUL byte, no run of more than [`MAX_TEXT_RUN`] bytes
/// without a `<`. Bytes before a problem are handed out first, so the
/// parser reaches the exact offset before it sees the error.
struct Checked<R> {
    inner: R,
    buf: Vec<u8>,
    /// Handed-out region is `buf[start..ready]`; `buf[ready..end]` is an
    /// incomplete character waiting for more bytes.
    start: usize,
    ready: usize,
    end: usize,
    /// Offset of `buf[0]` in the stream.
    base: u64,
    since_lt: u64,
    transcoded: bool,
    pending: Option<SourceFault>,
    eof: bool,
}

impl<R: Read> Checked<R> {
    fn new(inner: R, transcoded: bool) -> Self {
        Checked {
            inner,
            buf: vec![0; 1 << 16],
            start: 0,
            ready: 0,
            end: 0,
            base: 0,
            since_lt: 0,
            transcoded,
            pending: None,
            eof: false,
        }
    }

    fn refill(&mut self) -> io::Result<()> {
        loop {
            if let Some(f) = self.pending.take() {
                return Err(io::Error::other(f));
            }
            // Keep the incomplete tail, at the front.
            let tail = self.end - self.ready;
            self.buf.copy_within(self.ready..self.end, 0);
            self.base += self.ready as u64;
            self.start = 0;
            self.ready = 0;
            self.end = tail;
            if self.eof {
                if tail > 0 {
                    return Err(fault(
                        self.base,
                        "not UTF-8 (the file ends inside a character: truncated?)",
                    ));
                }
                return Ok(());
            }
            let n = loop {
                match self.inner.read(&mut self.buf[self.end..]) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                }
            };
            if n == 0 {
                self.eof = true;
                continue;
            }
            self.end += n;
            let mut ready = self.end;
            // The SIMD check answers for valid text (the common case);
            // the standard one says where invalid text goes wrong.
            if !self.transcoded
                && simdutf8::basic::from_utf8(&self.buf[..self.end]).is_err()
                && let Err(e) = std::str::from_utf8(&self.buf[..self.end])
            {
                ready = e.valid_up_to();
                if e.error_len().is_some() {
                    let sample_end = self.end.min(ready + 4096);
                    let msg =
                        match input::decode(&self.buf[ready..sample_end], input::Utf16::Refuse) {
                            Err((_, m)) if m.starts_with("not UTF-8") => m,
                            _ => format!(
                                "not UTF-8 (invalid byte 0x{:02X}); save it as UTF-8",
                                self.buf[ready]
                            ),
                        };
                    self.pending = Some(SourceFault {
                        offset: self.base + ready as u64,
                        msg,
                    });
                }
            }
            if let Some(p) = memchr::memchr(0, &self.buf[..ready]) {
                ready = p;
                self.pending = Some(SourceFault {
                    offset: self.base + p as u64,
                    msg: crate::input::BINARY.into(),
                });
            }
            let new = &self.buf[..ready];
            match memchr::memrchr(b'<', new) {
                Some(p) => self.since_lt = (ready - p - 1) as u64,
                None => self.since_lt += ready as u64,
            }
            if self.since_lt > MAX_TEXT_RUN {
                self.pending = Some(SourceFault {
                    offset: self.base + ready as u64,
                    msg: format!(
                        "more than {} MiB of text without markup: no segment is that long (a damaged file?)",
                        MAX_TEXT_RUN >> 20
                    ),
                });
            }
            self.ready = ready;
            if ready > 0 {
                return Ok(());
            }
        }
    }
}

impl<R: Read> Read for Checked<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let avail = self.fill_buf()?;
        let n = avail.len().min(out.len());
        out[..n].copy_from_slice(&avail[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> BufRead for Checked<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.start >= self.ready {
            self.refill()?;
        }
        Ok(&self.buf[self.start..self.ready])
    }

    fn consume(&mut self, n: usize) {
        self.start = (self.start + n).min(self.ready);
    }
}

/// Line and column (in characters) of an offset of the UTF-8 stream of
/// `path`, found by reading the file again; a byte offset for standard
/// input (which cannot be read twice).
pub fn locate(path: &Path, offset: u64) -> Pos {
    if path.as_os_str() == "-" {
        return Pos::Byte(offset);
    }
    let Ok(f) = File::open(path) else {
        return Pos::Byte(offset);
    };
    let Ok((mut r, _)) = from_reader(f) else {
        return Pos::Byte(offset);
    };
    let mut line = 1usize;
    let mut col = 1usize;
    let mut pos = 0u64;
    while pos < offset {
        let chunk = match r.fill_buf() {
            Ok(c) if !c.is_empty() => c,
            _ => break,
        };
        let take = chunk.len().min((offset - pos) as usize);
        let part = &chunk[..take];
        match memchr::memrchr(b'\n', part) {
            Some(p) => {
                line += memchr::memchr_iter(b'\n', part).count();
                col = 1 + count_chars(&part[p + 1..]);
            }
            None => col += count_chars(part),
        }
        pos += take as u64;
        r.consume(take);
    }
    Pos::LineCol(line, col)
}

/// Characters in UTF-8 bytes: bytes that do not continue a character.
fn count_chars(b: &[u8]) -> usize {
    b.iter().filter(|&&x| (x & 0xC0) != 0x80).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(bytes: Vec<u8>) -> io::Result<(String, &'static str)> {
        let (mut r, enc) = from_reader(io::Cursor::new(bytes))?;
        let mut s = String::new();
        r.read_to_string(&mut s)?;
        Ok((s, enc))
    }

    fn fault_msg(bytes: Vec<u8>) -> SourceFault {
        let e = read_all(bytes).unwrap_err();
        fault_of(&e)
            .cloned()
            .unwrap_or_else(|| panic!("not a fault: {e}"))
    }

    #[test]
    fn utf8_passes_and_bom_is_dropped() {
        let (s, enc) = read_all("\u{FEFF}<a>Ж上</a>".as_bytes().to_vec()).unwrap();
        assert_eq!((s.as_str(), enc), ("<a>Ж上</a>", "UTF-8"));
    }

    #[test]
    fn utf16_with_bom_and_without() {
        for (bom, le) in [(true, true), (true, false), (false, true), (false, false)] {
            let text = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><a>Ж上𝄞</a>";
            let mut b = Vec::new();
            if bom {
                b.extend_from_slice(if le { &[0xFF, 0xFE] } else { &[0xFE, 0xFF] });
            }
            for u in text.encode_utf16() {
                b.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
            }
            let (s, enc) = read_all(b).unwrap();
            assert_eq!(s, text);
            assert_eq!(enc, if le { "UTF-16LE" } else { "UTF-16BE" });
        }
    }

    #[test]
    fn unpaired_surrogate_is_an_error_with_offset() {
        let mut b = vec![0xFF, 0xFE];
        for u in "<a>ab".encode_utf16() {
            b.extend_from_slice(&u.to_le_bytes());
        }
        b.extend_from_slice(&0xD800u16.to_le_bytes());
        for u in "c</a>".encode_utf16() {
            b.extend_from_slice(&u.to_le_bytes());
        }
        let f = fault_msg(b);
        assert!(f.msg.contains("UTF-16LE"), "{}", f.msg);
        assert_eq!(f.offset, 5);
    }

    #[test]
    fn declared_legacy_encoding_is_transcoded() {
        let mut b = b"<?xml version='1.0' encoding='windows-1251'?><a>".to_vec();
        b.extend_from_slice(b"\xCF\xF0\xE8\xE2\xE5\xF2</a>");
        let (s, enc) = read_all(b).unwrap();
        assert!(s.ends_with("<a>Привет</a>"), "{s}");
        assert_eq!(enc, "windows-1251");
        let e = read_all(b"<?xml version='1.0' encoding='klingon-8'?><a/>".to_vec()).unwrap_err();
        assert!(fault_of(&e).unwrap().msg.contains("klingon-8"));
    }

    #[test]
    fn undeclared_cp1251_is_named_at_its_offset() {
        let mut b = b"<?xml version='1.0'?>\n<a>ok</a>\n<b>".to_vec();
        b.extend_from_slice(b"\xCF\xF0\xE8\xE2\xE5\xF2 \xEC\xE8\xF0</b>");
        let f = fault_msg(b.clone());
        assert_eq!(f.offset, 35);
        assert!(f.msg.contains("Windows-1251"), "{}", f.msg);
        // Everything before the bad byte was handed out first.
        let (mut r, _) = from_reader(io::Cursor::new(b)).unwrap();
        let mut got = Vec::new();
        let e = r.read_to_end(&mut got).unwrap_err();
        assert!(fault_of(&e).is_some());
        assert_eq!(got.len(), 35);
    }

    #[test]
    fn nul_empty_and_long_runs() {
        let f = fault_msg(b"<a>x\0y</a>".to_vec());
        assert_eq!(f.offset, 4);
        assert!(f.msg.contains("NUL"));
        assert_eq!(fault_msg(Vec::new()).msg, "is empty");
        assert_eq!(fault_msg(b"  \n".to_vec()).msg, "holds only white space");
        let mut big = b"<a>".to_vec();
        big.resize(big.len() + MAX_TEXT_RUN as usize + 10, b'x');
        let f = fault_msg(big);
        assert!(f.msg.contains("without markup"), "{}", f.msg);
    }

    #[test]
    fn character_split_across_reads_is_fine() {
        // A reader that hands out one byte at a time.
        struct Trickle(Vec<u8>, usize);
        impl Read for Trickle {
            fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
                if self.1 >= self.0.len() || out.is_empty() {
                    return Ok(0);
                }
                out[0] = self.0[self.1];
                self.1 += 1;
                Ok(1)
            }
        }
        let text = "<a>Жж上上𝄞</a>".repeat(2000);
        let (mut r, _) = from_reader(Trickle(text.as_bytes().to_vec(), 0)).unwrap();
        let mut s = String::new();
        r.read_to_string(&mut s).unwrap();
        assert_eq!(s, text);
        // A file that ends inside a character.
        let mut b = "<a>Ж".as_bytes().to_vec();
        b.pop();
        assert!(fault_msg(b).msg.contains("ends inside a character"));
    }

    #[test]
    fn locate_counts_lines_and_characters() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.xml");
        std::fs::write(&p, "<a>\nЖЖ<b>\n  上<c/>").unwrap();
        // offset of "<c/>": 3+1 + 4+3+1 + 2+3 = 17
        assert_eq!(locate(&p, 17), Pos::LineCol(3, 4));
        assert_eq!(locate(&p, 0), Pos::LineCol(1, 1));
        assert_eq!(locate(Path::new("-"), 9), Pos::Byte(9));
    }
}

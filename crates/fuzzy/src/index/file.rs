//! An index as a file: written once, then memory-mapped and read in place
//! by every process that opens it (nothing is rebuilt or copied; a lookup
//! touches the pages it needs).
//!
//! Layout (little-endian, every section 8-byte aligned):
//!
//! ```text
//! magic "PTMFZX\0" + format byte       8 bytes
//! endianness mark 0x01020304           u32
//! flags (1 = lookup only) and the      u32
//! search's build parameters (prefix
//! extension, signature words, lowest
//! prefix threshold), one byte each
//! entries                              u64
//! stamp                                Stamp (64 bytes: what the index reflects)
//! language key                         32 bytes, NUL-padded
//! section table                        17 × (offset u64, values u64)
//! sections                             key_off, key_bytes, punct, units, recency,
//!                                      hashes, offsets, toks, len_start, post_off,
//!                                      post, pre_off, pre, pre_rank, wh_hash,
//!                                      wh_entry, sigs
//! ```
//!
//! A file is written beside its destination and renamed into place, so a
//! reader sees the old file or the new one, never half of one; a process
//! that has the old one mapped keeps reading it.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use bytemuck::{Pod, Zeroable};
use memmap2::Mmap;

use super::LangIndex;
use super::section::Section;
use polytm_text::lang::Lang;

const MAGIC: [u8; 8] = *b"PTMFZX\x00\x01";
const ENDIAN: u32 = 0x0102_0304;
const SECTIONS: usize = 17;
const HEADER: usize = 8 + 4 + 4 + 8 + 64 + 32 + SECTIONS * 16;

/// What an index file reflects, as its store describes it: the store and
/// the state of its units when the index was built. Opaque to this crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Pod, Zeroable)]
#[repr(C)]
pub struct Stamp {
    /// Which database (a random identity the store keeps).
    pub identity: [u8; 16],
    /// Bumped when the store's index is rebuilt from scratch.
    pub epoch: i64,
    /// The highest unit id the index holds.
    pub max_unit: i64,
    /// The store's change log position the index reflects.
    pub log_seq: i64,
    /// Entries in the index (for deciding when to rebuild).
    pub entries: i64,
    pub reserved: [u8; 16],
}

/// Why a file could not be opened as an index (the caller rebuilds it).
#[derive(Debug)]
pub struct NotAnIndex(pub String);

impl std::fmt::Display for NotAnIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The build parameters an index file must have been made with (the
/// search relies on them: a file made with shorter prefix lists would
/// miss matches).
fn params() -> u32 {
    ((super::ELL as u32) << 8)
        | ((super::SIG_WORDS as u32) << 16)
        | ((super::PREFIX_MIN as u32) << 24)
}

/// Writes an index file section by section, in whatever order they come
/// (the header's table says where each is), then its header.
pub(crate) struct FileSink {
    out: std::io::BufWriter<polytm_core::output::Temporary>,
    at: u64,
    table: [(u64, u64); SECTIONS],
}

impl FileSink {
    /// A file being written in `dir` (renamed into place by `finish`).
    pub(crate) fn new(dir: &Path) -> std::io::Result<FileSink> {
        // removed if the process is stopped (see polytm_core::output)
        let tmp = polytm_core::output::Temporary::new_in(dir)?;
        let mut out = std::io::BufWriter::with_capacity(1 << 20, tmp);
        let head = HEADER.next_multiple_of(8);
        out.write_all(&vec![0u8; head])?;
        Ok(FileSink {
            out,
            at: head as u64,
            table: [(0, 0); SECTIONS],
        })
    }

    /// Write one section: `bytes` holding values of `size` bytes.
    pub(crate) fn put_bytes(
        &mut self,
        section: usize,
        bytes: &[u8],
        size: usize,
    ) -> std::io::Result<()> {
        self.table[section] = (self.at, (bytes.len() / size) as u64);
        self.out.write_all(bytes)?;
        let pad = (bytes.len().next_multiple_of(8) - bytes.len()) as u64;
        self.out.write_all(&[0u8; 8][..pad as usize])?;
        self.at += bytes.len() as u64 + pad;
        Ok(())
    }

    /// Write the header and put the file at `path`.
    pub(crate) fn finish(
        self,
        path: &Path,
        lang: &Lang,
        stamp: &Stamp,
        lookup_only: bool,
    ) -> std::io::Result<()> {
        let entries = self.table[super::build::UNITS].1;
        let stamp = Stamp {
            entries: entries as i64,
            ..*stamp
        };
        let mut head = Vec::with_capacity(HEADER);
        head.extend_from_slice(&MAGIC);
        head.extend_from_slice(&ENDIAN.to_le_bytes());
        head.extend_from_slice(&(u32::from(lookup_only) | params()).to_le_bytes());
        head.extend_from_slice(&entries.to_le_bytes());
        head.extend_from_slice(bytemuck::bytes_of(&stamp));
        let mut name = [0u8; 32];
        let l = lang.as_str().as_bytes();
        name[..l.len().min(32)].copy_from_slice(&l[..l.len().min(32)]);
        head.extend_from_slice(&name);
        for (off, len) in self.table {
            head.extend_from_slice(&off.to_le_bytes());
            head.extend_from_slice(&len.to_le_bytes());
        }
        let mut tmp = self.out.into_inner().map_err(|e| e.into_error())?;
        use std::io::{Seek, SeekFrom};
        tmp.as_file_mut().seek(SeekFrom::Start(0))?;
        tmp.as_file_mut().write_all(&head)?;
        tmp.persist(path)
    }
}

impl super::build::Sink for FileSink {
    fn put(&mut self, section: usize, data: super::build::Data) -> std::io::Result<()> {
        let size = value_size(section);
        self.put_bytes(section, data.bytes(), size)
    }
}

/// The size of one value of each section.
fn value_size(section: usize) -> usize {
    [
        4,
        1,
        1,
        8,
        8,
        8,
        4,
        4,
        4,
        4,
        4,
        4,
        4,
        1,
        8,
        4,
        8 * super::SIG_WORDS,
    ][section]
}

impl LangIndex {
    /// Write the index to `path` (through a temporary file beside it,
    /// renamed into place).
    pub fn write_file(&self, path: &Path, stamp: &Stamp) -> std::io::Result<()> {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let mut sink = FileSink::new(dir)?;
        for (k, bytes) in self.sections().iter().enumerate() {
            sink.put_bytes(k, bytes, value_size(k))?;
        }
        sink.finish(path, &self.lang, stamp, self.lookup_only)
    }

    /// Open an index file for `lang`: its stamp and the index, read in
    /// place. An error when the file is not a whole index of this layout.
    pub fn open_file(path: &Path, lang: &Lang) -> Result<(Stamp, LangIndex), NotAnIndex> {
        let bad = |why: &str| NotAnIndex(format!("{}: {why}", path.display()));
        let f = std::fs::File::open(path).map_err(|e| bad(&e.to_string()))?;
        // SAFETY: the file is only ever replaced by rename, never written in
        // place, so the mapping does not change under us.
        let map = unsafe { Mmap::map(&f) }.map_err(|e| bad(&e.to_string()))?;
        let map = Arc::new(map);
        if map.len() < HEADER || map[..8] != MAGIC {
            return Err(bad("not a polytm index of this version"));
        }
        let u32_at = |i: usize| u32::from_le_bytes(map[i..i + 4].try_into().unwrap_or_default());
        let u64_at = |i: usize| u64::from_le_bytes(map[i..i + 8].try_into().unwrap_or_default());
        if u32_at(8) != ENDIAN {
            return Err(bad("written on a machine of another byte order"));
        }
        let flags = u32_at(12);
        if flags & !1 != params() {
            return Err(bad("built with other search parameters"));
        }
        let lookup_only = flags & 1 == 1;
        let entries = u64_at(16) as usize;
        let stamp: Stamp = bytemuck::pod_read_unaligned(&map[24..24 + 64]);
        let name = &map[88..120];
        let name = &name[..name.iter().position(|&b| b == 0).unwrap_or(32)];
        if name != lang.as_str().as_bytes() {
            return Err(bad("an index of another language"));
        }
        let table = |k: usize| (u64_at(120 + k * 16) as usize, u64_at(128 + k * 16) as usize);
        macro_rules! section {
            ($k:expr) => {{
                let (off, len) = table($k);
                Section::mapped(&map, off, len)
                    .ok_or_else(|| bad("a section lies outside the file"))?
            }};
        }
        let mut ix = LangIndex::empty(lang);
        ix.lookup_only = lookup_only;
        ix.key_off = section!(0);
        ix.key_bytes = section!(1);
        ix.punct = section!(2);
        ix.units = section!(3);
        ix.recency = section!(4);
        ix.hashes = section!(5);
        ix.offsets = section!(6);
        ix.toks = section!(7);
        ix.len_start = section!(8);
        ix.post_off = section!(9);
        ix.post = section!(10);
        ix.pre_off = section!(11);
        ix.pre = section!(12);
        ix.pre_rank = section!(13);
        ix.wh_hash = section!(14);
        ix.wh_entry = section!(15);
        ix.sigs = section!(16);
        ix.check(entries, lookup_only).map_err(bad)?;
        Ok((stamp, ix))
    }

    /// Cheap structural checks of an opened file: the arrays agree in
    /// length and the offsets stay inside them, so that indexing cannot
    /// go out of bounds (the pages of the big arrays are not all read).
    fn check(&self, entries: usize, lookup_only: bool) -> Result<(), &'static str> {
        let v = self.vocabulary();
        let n = self.len();
        let last = |s: &[u32]| s.last().copied().unwrap_or(0) as usize;
        let ok = n == entries
            && self.recency.len() == n
            && self.hashes.len() == n
            && self.offsets.len() == n + 1
            && last(&self.offsets) == self.toks.len()
            && last(&self.key_off) == self.key_bytes.len()
            && self.punct.len() == v
            && self.post_off.len() == v + 1
            && last(&self.post_off) == self.post.len()
            && last(&self.len_start) == n
            && (lookup_only
                || (self.pre_off.len() == v + 1
                    && last(&self.pre_off) == self.pre.len()
                    && self.pre_rank.len() == self.pre.len()
                    && self.wh_hash.len() == self.wh_entry.len()
                    && self.sigs.len() == n));
        if !ok {
            return Err("its arrays do not agree (a damaged file)");
        }
        // (each key is checked for UTF-8 when it is read)
        if self.key_off.windows(2).any(|w| w[0] > w[1]) {
            return Err("its vocabulary is damaged");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::SearchStats;

    fn texts() -> Vec<(i64, i64, String)> {
        let words = [
            "the", "file", "open", ",", ".", "2018", "上", "合", "menu", "Ministry",
        ];
        (0..300)
            .map(|i: i64| {
                let n = 1 + (i * 7 % 13) as usize;
                let t: Vec<&str> = (0..n)
                    .map(|k| words[(i as usize * 3 + k * 5) % words.len()])
                    .collect();
                (i + 1, i, t.join(" "))
            })
            .collect()
    }

    #[test]
    fn a_written_index_opens_in_place_and_answers_the_same() {
        let en = Lang::en();
        let t = texts();
        let built = LangIndex::from_entries(&en, t.iter().map(|(u, r, s)| (*u, *r, s.as_str())));
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("en.idx");
        let stamp = Stamp {
            max_unit: 300,
            log_seq: 7,
            ..Stamp::default()
        };
        built.write_file(&p, &stamp).unwrap();
        let (back, opened) = LangIndex::open_file(&p, &en).unwrap();
        assert_eq!(
            back,
            Stamp {
                entries: 300,
                ..stamp
            }
        );
        assert!(matches!(opened.units, Section::Mapped { .. }));
        assert_eq!(opened.dump(), built.dump());
        for q in ["open the file .", "Ministry 2018", "上 合", "menu"] {
            let mut st = SearchStats::default();
            let (qa, qb) = (built.prepare(q), opened.prepare(q));
            assert_eq!(
                built.search(&qa, 30, 5, &mut |_| true, &mut st),
                opened.search(&qb, 30, 5, &mut |_| true, &mut st),
                "{q}"
            );
        }
        assert_eq!(opened.token_id("file"), built.token_id("file"));
        assert!(opened.token_id("absent").is_none());
        // another language, a damaged file: refused, not trusted
        assert!(LangIndex::open_file(&p, &Lang::ru()).is_err());
        let mut bytes = std::fs::read(&p).unwrap();
        bytes.truncate(bytes.len() / 2);
        std::fs::write(&p, &bytes).unwrap();
        assert!(LangIndex::open_file(&p, &en).is_err());
    }
}

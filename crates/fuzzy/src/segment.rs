//! The token sequences the fuzzy index is built from, in compact
//! segments: a segment holds up to [`SEGMENT_CAP`] variants of one
//! language with its own vocabulary, and is stored as one blob (see
//! [`Segment::encode`]): the vocabulary (token keys, most frequent first)
//! followed, for each variant in unit-id order, by its unit id
//! (delta-coded), its recency (seconds since 1970 of the unit's last
//! change), the hash of its NFC text and its token sequence as varints of
//! segment-local token numbers. A 20-token English sentence costs about 40
//! bytes. Where the blobs are kept is the store's business; what they hold
//! is this module's.

use rustc_hash::FxHashMap;

use polytm_text::lang::Lang;

/// Most variants in one segment.
pub const SEGMENT_CAP: usize = 65_536;
/// Most tokens in one segment (keeps blobs far below a database's limit).
pub const SEGMENT_TOKEN_CAP: usize = 16 << 20;
/// Layout version written in the first byte of every blob.
const FORMAT: u8 = 1;

// ---------------------------------------------------------------------------
// Segments

/// One segment: the variants of one language, with a local vocabulary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Segment {
    /// Token keys; tokens below are indices into this.
    pub keys: Vec<String>,
    pub units: Vec<i64>,
    /// Seconds since 1970 of the unit's last change (ties go to the newer).
    pub recency: Vec<i64>,
    /// [`crate::score::text_hash`] of the indexed text.
    pub hashes: Vec<u64>,
    /// `offsets[i]..offsets[i + 1]` are the tokens of entry `i`.
    pub offsets: Vec<u32>,
    pub toks: Vec<u32>,
}

impl Segment {
    pub fn len(&self) -> usize {
        self.units.len()
    }

    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    /// The local token numbers of entry `i`.
    pub fn tokens(&self, i: usize) -> &[u32] {
        let (a, b) = (self.offsets[i] as usize, self.offsets[i + 1] as usize);
        &self.toks[a..b]
    }

    /// The blob stored in the database.
    pub fn encode(&self) -> Vec<u8> {
        // Most frequent tokens get the smallest numbers (one-byte varints).
        let mut freq = vec![0u32; self.keys.len()];
        for &t in &self.toks {
            freq[t as usize] += 1;
        }
        let mut order: Vec<u32> = (0..self.keys.len() as u32)
            .filter(|&t| freq[t as usize] > 0)
            .collect();
        order.sort_by_key(|&t| std::cmp::Reverse(freq[t as usize]));
        let mut remap = vec![u32::MAX; self.keys.len()];
        for (new, &old) in order.iter().enumerate() {
            remap[old as usize] = new as u32;
        }
        let mut entries: Vec<usize> = (0..self.len()).collect();
        entries.sort_by_key(|&i| self.units[i]);

        let mut out = Vec::with_capacity(self.toks.len() * 2 + self.keys.len() * 8 + 16);
        out.push(FORMAT);
        put_varint(&mut out, order.len() as u64);
        for &t in &order {
            let k = self.keys[t as usize].as_bytes();
            put_varint(&mut out, k.len() as u64);
            out.extend_from_slice(k);
        }
        put_varint(&mut out, entries.len() as u64);
        let (mut prev_unit, mut prev_rec) = (0i64, 0i64);
        for i in entries {
            put_varint(&mut out, zigzag(self.units[i].wrapping_sub(prev_unit)));
            put_varint(&mut out, zigzag(self.recency[i].wrapping_sub(prev_rec)));
            prev_unit = self.units[i];
            prev_rec = self.recency[i];
            out.extend_from_slice(&self.hashes[i].to_le_bytes());
            let toks = self.tokens(i);
            put_varint(&mut out, toks.len() as u64);
            for &t in toks {
                put_varint(&mut out, remap[t as usize] as u64);
            }
        }
        out
    }

    /// Read a blob back. Errors are short phrases.
    pub fn decode(data: &[u8]) -> std::result::Result<Segment, String> {
        let mut r = Reader { data, pos: 0 };
        let format = r.byte()?;
        if format != FORMAT {
            return Err(format!("unknown index segment format {format}"));
        }
        let nkeys = r.len()?;
        let mut keys = Vec::with_capacity(nkeys);
        for _ in 0..nkeys {
            let n = r.len()?;
            let b = r.bytes(n)?;
            keys.push(
                std::str::from_utf8(b)
                    .map_err(|_| "index segment holds a key that is not UTF-8".to_string())?
                    .to_string(),
            );
        }
        let n = r.len()?;
        let mut seg = Segment {
            keys,
            units: Vec::with_capacity(n),
            recency: Vec::with_capacity(n),
            hashes: Vec::with_capacity(n),
            offsets: Vec::with_capacity(n + 1),
            toks: Vec::with_capacity(data.len()),
        };
        seg.offsets.push(0);
        let (mut unit, mut rec) = (0i64, 0i64);
        for _ in 0..n {
            unit = unit.wrapping_add(unzigzag(r.varint()?));
            rec = rec.wrapping_add(unzigzag(r.varint()?));
            let h = r.bytes(8)?;
            let mut hb = [0u8; 8];
            hb.copy_from_slice(h);
            let len = r.len()?;
            for _ in 0..len {
                let t = r.varint()?;
                if t >= nkeys as u64 {
                    return Err("index segment refers to a token it does not hold".into());
                }
                seg.toks.push(t as u32);
            }
            seg.units.push(unit);
            seg.recency.push(rec);
            seg.hashes.push(u64::from_le_bytes(hb));
            seg.offsets.push(seg.toks.len() as u32);
        }
        if r.pos != data.len() {
            return Err("index segment has trailing bytes".into());
        }
        Ok(seg)
    }
}

/// Builds a segment, interning keys as they come.
#[derive(Debug)]
pub struct SegmentBuilder {
    seg: Segment,
    vocab: FxHashMap<compact_str::CompactString, u32>,
    scanner: polytm_text::tokenize::KeyScanner,
}

impl Default for SegmentBuilder {
    fn default() -> SegmentBuilder {
        SegmentBuilder {
            seg: Segment {
                offsets: vec![0],
                ..Segment::default()
            },
            vocab: FxHashMap::default(),
            scanner: Default::default(),
        }
    }
}

impl SegmentBuilder {
    pub fn new() -> SegmentBuilder {
        SegmentBuilder::default()
    }

    /// Continue a decoded segment.
    pub fn from_segment(seg: Segment) -> SegmentBuilder {
        let vocab = seg
            .keys
            .iter()
            .enumerate()
            .map(|(i, k)| (compact_str::CompactString::new(k), i as u32))
            .collect();
        let mut seg = seg;
        if seg.offsets.is_empty() {
            seg.offsets.push(0);
        }
        SegmentBuilder {
            seg,
            vocab,
            scanner: Default::default(),
        }
    }

    pub fn len(&self) -> usize {
        self.seg.len()
    }

    pub fn is_empty(&self) -> bool {
        self.seg.is_empty()
    }

    pub fn tokens(&self) -> usize {
        self.seg.toks.len()
    }

    fn intern(&mut self, key: &str) -> u32 {
        if let Some(&id) = self.vocab.get(key) {
            return id;
        }
        let id = self.seg.keys.len() as u32;
        self.seg.keys.push(key.to_string());
        self.vocab.insert(compact_str::CompactString::new(key), id);
        id
    }

    pub fn push<'k>(
        &mut self,
        unit: i64,
        recency: i64,
        hash: u64,
        keys: impl IntoIterator<Item = &'k str>,
    ) {
        for k in keys {
            let id = self.intern(k);
            self.seg.toks.push(id);
        }
        self.seg.units.push(unit);
        self.seg.recency.push(recency);
        self.seg.hashes.push(hash);
        self.seg.offsets.push(self.seg.toks.len() as u32);
    }

    /// Copy entry `i` of another segment.
    pub fn push_from(&mut self, other: &Segment, i: usize) {
        let keys: Vec<&str> = other
            .tokens(i)
            .iter()
            .map(|&t| other.keys[t as usize].as_str())
            .collect();
        self.push(other.units[i], other.recency[i], other.hashes[i], keys);
    }

    pub fn finish(self) -> Segment {
        self.seg
    }
}

/// Tokenise one text the way the matcher does, and push it (a text with
/// no token is left out: there is nothing to match).
pub fn push_text(b: &mut SegmentBuilder, unit: i64, lang: &Lang, recency: i64, text: &str) {
    let start = b.seg.toks.len();
    let mut scanner = std::mem::take(&mut b.scanner);
    scanner.keys(text, lang, |_, key| {
        let id = b.intern(key);
        b.seg.toks.push(id);
    });
    b.scanner = scanner;
    if b.seg.toks.len() == start {
        return; // nothing to match (a unit of spaces)
    }
    b.seg.units.push(unit);
    b.seg.recency.push(recency);
    b.seg.hashes.push(crate::score::text_hash(text));
    b.seg.offsets.push(b.seg.toks.len() as u32);
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> std::result::Result<u8, String> {
        let b = *self
            .data
            .get(self.pos)
            .ok_or("index segment is cut short")?;
        self.pos += 1;
        Ok(b)
    }

    fn varint(&mut self) -> std::result::Result<u64, String> {
        let mut v = 0u64;
        let mut shift = 0;
        loop {
            let b = self.byte()?;
            if shift > 63 {
                return Err("index segment holds a malformed number".into());
            }
            v |= ((b & 0x7F) as u64) << shift;
            if b < 0x80 {
                return Ok(v);
            }
            shift += 7;
        }
    }

    /// A count or length: bounded by what is left to read.
    fn len(&mut self) -> std::result::Result<usize, String> {
        let v = self.varint()?;
        if v > (self.data.len() - self.pos.min(self.data.len())) as u64 + 1 {
            return Err("index segment holds an impossible length".into());
        }
        Ok(v as usize)
    }

    fn bytes(&mut self, n: usize) -> std::result::Result<&[u8], String> {
        let end = self
            .pos
            .checked_add(n)
            .ok_or("index segment is cut short")?;
        let b = self
            .data
            .get(self.pos..end)
            .ok_or("index segment is cut short")?;
        self.pos = end;
        Ok(b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segment_round_trip() {
        let mut b = SegmentBuilder::new();
        b.push(7, 1000, 42, ["the", "file", "."]);
        b.push(3, 900, 43, ["the", "old", "file"]);
        b.push(300_000_000_000, -5, u64::MAX, ["上", "合"]);
        let seg = b.finish();
        let back = Segment::decode(&seg.encode()).unwrap();
        // entries come back in unit order, with the same keys
        let texts = |s: &Segment| -> Vec<(i64, i64, u64, Vec<String>)> {
            let mut v: Vec<_> = (0..s.len())
                .map(|i| {
                    (
                        s.units[i],
                        s.recency[i],
                        s.hashes[i],
                        s.tokens(i)
                            .iter()
                            .map(|&t| s.keys[t as usize].clone())
                            .collect(),
                    )
                })
                .collect();
            v.sort();
            v
        };
        assert_eq!(texts(&seg), texts(&back));
        assert_eq!(back.units, vec![3, 7, 300_000_000_000]);
        // "the" and "file" are the most frequent: numbered first
        assert!(back.keys[..2].contains(&"the".to_string()));
    }

    #[test]
    fn damaged_blobs_are_errors_not_panics() {
        let mut b = SegmentBuilder::new();
        b.push(1, 1, 1, ["a", "b"]);
        let data = b.finish().encode();
        for cut in 0..data.len() {
            assert!(Segment::decode(&data[..cut]).is_err(), "cut at {cut}");
        }
        let mut bad = data.clone();
        bad[0] = 9;
        assert!(Segment::decode(&bad).is_err());
        let mut trailing = data.clone();
        trailing.push(0);
        assert!(Segment::decode(&trailing).is_err());
        assert!(
            Segment::decode(&[
                1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01
            ])
            .is_err()
        );
    }

    #[test]
    fn zigzag_round_trip() {
        for v in [0i64, 1, -1, i64::MAX, i64::MIN, 123_456_789] {
            assert_eq!(unzigzag(zigzag(v)), v);
        }
    }
}

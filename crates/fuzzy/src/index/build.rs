//! Building an index in memory: from stored segments, or from texts. Token
//! keys are interned as they come, then numbered in sorted order (so a
//! key's id is found by binary search, in memory or in a mapped file);
//! entries are ordered by token count and the posting lists, prefix lists,
//! signatures and word hashes are made.

use rustc_hash::FxHashMap;

use super::section::Section;
use super::{LangIndex, PREFIX_MIN, SIG_WORDS, SegmentVisitor, sig_bit};
use crate::score::{self, is_punct_key, min_overlap};
use crate::segment::Segment;
use polytm_core::error::Result;
use polytm_text::lang::Lang;

/// Entries and their tokens as they are read, with keys interned.
#[derive(Default)]
pub(crate) struct Builder {
    vocab: FxHashMap<compact_str::CompactString, u32>,
    keys: Vec<Box<str>>,
    units: Vec<i64>,
    recency: Vec<i64>,
    hashes: Vec<u64>,
    offsets: Vec<u32>,
    toks: Vec<u32>,
}

impl Builder {
    pub(crate) fn new() -> Builder {
        Builder {
            offsets: vec![0],
            ..Builder::default()
        }
    }

    fn intern(&mut self, key: &str) -> u32 {
        if let Some(&id) = self.vocab.get(key) {
            return id;
        }
        let id = self.keys.len() as u32;
        self.keys.push(key.into());
        self.vocab.insert(compact_str::CompactString::new(key), id);
        id
    }

    /// Take the current entries of a stored segment.
    pub(crate) fn add_segment(&mut self, seg: &Segment, entries: &mut dyn Iterator<Item = usize>) {
        let map: Vec<u32> = seg.keys.iter().map(|k| self.intern(k)).collect();
        for i in entries {
            self.units.push(seg.units[i]);
            self.recency.push(seg.recency[i]);
            self.hashes.push(seg.hashes[i]);
            self.toks
                .extend(seg.tokens(i).iter().map(|&t| map[t as usize]));
            self.offsets.push(self.toks.len() as u32);
        }
    }

    /// Tokenise a text as the matcher does and add it (a text without a
    /// token is left out: there is nothing to match).
    pub(crate) fn add_text(
        &mut self,
        scanner: &mut polytm_text::tokenize::KeyScanner,
        lang: &Lang,
        unit: i64,
        recency: i64,
        text: &str,
    ) {
        let before = self.toks.len();
        let mut toks = std::mem::take(&mut self.toks);
        scanner.keys(text, lang, |_, key| toks.push(self.intern(key)));
        self.toks = toks;
        if self.toks.len() == before {
            return;
        }
        self.units.push(unit);
        self.recency.push(recency);
        self.hashes.push(score::text_hash(text));
        self.offsets.push(self.toks.len() as u32);
    }

    /// The index in memory: keys numbered in sorted order, entries by
    /// length, lists.
    pub(crate) fn finish(self, lang: &Lang, lookup_only: bool) -> LangIndex {
        let mut ix = LangIndex::empty(lang);
        ix.lookup_only = lookup_only;
        self.finish_into(&mut ix, lookup_only)
            .expect("building in memory does not fail");
        ix
    }

    /// Build the index into `sink`, section by section; each is handed
    /// over as soon as it is made and no longer needed, so that a sink
    /// writing a file holds few of them at once.
    pub(crate) fn finish_into(
        self,
        sink: &mut impl Sink,
        lookup_only: bool,
    ) -> std::io::Result<()> {
        let Builder {
            keys,
            units,
            recency,
            hashes,
            offsets,
            mut toks,
            vocab,
        } = self;
        drop(vocab);
        // number the keys in sorted order
        let mut order: Vec<u32> = (0..keys.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| keys[a as usize].cmp(&keys[b as usize]));
        let mut remap = vec![0u32; keys.len()];
        for (new, &old) in order.iter().enumerate() {
            remap[old as usize] = new as u32;
        }
        toks.iter_mut().for_each(|t| *t = remap[*t as usize]);
        drop(remap);
        let mut key_off = Vec::with_capacity(keys.len() + 1);
        let mut key_bytes = Vec::new();
        let mut punct = Vec::with_capacity(keys.len());
        key_off.push(0u32);
        for &old in &order {
            let k = &keys[old as usize];
            key_bytes.extend_from_slice(k.as_bytes());
            key_off.push(key_bytes.len() as u32);
            punct.push(u8::from(is_punct_key(k)));
        }
        drop(keys);
        let vocab = key_off.len() - 1;
        sink.put(KEY_OFF, Data::U32(key_off))?;
        sink.put(KEY_BYTES, Data::U8(key_bytes))?;
        build_lists(
            sink,
            vocab,
            punct,
            (units, recency, hashes),
            offsets,
            toks,
            lookup_only,
        )
    }
}

/// Which section is which ([`LangIndex::sections`] order).
pub(crate) const KEY_OFF: usize = 0;
pub(crate) const KEY_BYTES: usize = 1;
pub(crate) const PUNCT: usize = 2;
pub(crate) const UNITS: usize = 3;
pub(crate) const RECENCY: usize = 4;
pub(crate) const HASHES: usize = 5;
pub(crate) const OFFSETS: usize = 6;
pub(crate) const TOKS: usize = 7;
pub(crate) const LEN_START: usize = 8;
pub(crate) const POST_OFF: usize = 9;
pub(crate) const POST: usize = 10;
pub(crate) const PRE_OFF: usize = 11;
pub(crate) const PRE: usize = 12;
pub(crate) const PRE_RANK: usize = 13;
pub(crate) const WH_HASH: usize = 14;
pub(crate) const WH_ENTRY: usize = 15;
pub(crate) const SIGS: usize = 16;

/// The values of one section.
pub(crate) enum Data {
    U8(Vec<u8>),
    U32(Vec<u32>),
    U64(Vec<u64>),
    I64(Vec<i64>),
    Sig(Vec<[u64; SIG_WORDS]>),
}

impl Data {
    pub(crate) fn bytes(&self) -> &[u8] {
        match self {
            Data::U8(v) => v,
            Data::U32(v) => bytemuck::cast_slice(v),
            Data::U64(v) => bytemuck::cast_slice(v),
            Data::I64(v) => bytemuck::cast_slice(v),
            Data::Sig(v) => bytemuck::cast_slice(v),
        }
    }
}

/// Where a build puts its sections: an index in memory, or a file.
pub(crate) trait Sink {
    fn put(&mut self, section: usize, data: Data) -> std::io::Result<()>;
}

impl Sink for LangIndex {
    fn put(&mut self, section: usize, data: Data) -> std::io::Result<()> {
        match (section, data) {
            (KEY_OFF, Data::U32(v)) => self.key_off = v.into(),
            (KEY_BYTES, Data::U8(v)) => self.key_bytes = v.into(),
            (PUNCT, Data::U8(v)) => self.punct = v.into(),
            (UNITS, Data::I64(v)) => self.units = v.into(),
            (RECENCY, Data::I64(v)) => self.recency = v.into(),
            (HASHES, Data::U64(v)) => self.hashes = v.into(),
            (OFFSETS, Data::U32(v)) => self.offsets = v.into(),
            (TOKS, Data::U32(v)) => self.toks = v.into(),
            (LEN_START, Data::U32(v)) => self.len_start = v.into(),
            (POST_OFF, Data::U32(v)) => self.post_off = v.into(),
            (POST, Data::U32(v)) => self.post = v.into(),
            (PRE_OFF, Data::U32(v)) => self.pre_off = v.into(),
            (PRE, Data::U32(v)) => self.pre = v.into(),
            (PRE_RANK, Data::U8(v)) => self.pre_rank = v.into(),
            (WH_HASH, Data::U64(v)) => self.wh_hash = v.into(),
            (WH_ENTRY, Data::U32(v)) => self.wh_entry = v.into(),
            (SIGS, Data::Sig(v)) => self.sigs = v.into(),
            _ => unreachable!("a section of the wrong type"),
        }
        Ok(())
    }
}

impl LangIndex {
    /// Build the index of `lang` from stored segments: `read` calls its
    /// argument with each segment and the indices of its current entries
    /// (a store's `for_each_index_segment`).
    pub fn load(
        lang: &Lang,
        read: impl FnOnce(&mut SegmentVisitor) -> Result<()>,
    ) -> Result<LangIndex> {
        LangIndex::load_with(lang, false, read)
    }

    /// Load only what lookups by token need (vocabulary, entries, full
    /// posting lists), not the fuzzy-search structures: for concordance.
    pub fn load_for_lookup(
        lang: &Lang,
        read: impl FnOnce(&mut SegmentVisitor) -> Result<()>,
    ) -> Result<LangIndex> {
        LangIndex::load_with(lang, true, read)
    }

    fn load_with(
        lang: &Lang,
        lookup_only: bool,
        read: impl FnOnce(&mut SegmentVisitor) -> Result<()>,
    ) -> Result<LangIndex> {
        let mut b = Builder::new();
        read(
            &mut |seg: &Segment, entries: &mut dyn Iterator<Item = usize>| {
                b.add_segment(seg, entries)
            },
        )?;
        Ok(b.finish(lang, lookup_only))
    }

    /// An index of stored entries (`read`: as for [`LangIndex::load`])
    /// leaving out the units `skip`, plus texts given directly: the part of
    /// a layered index built in memory.
    pub fn load_with_texts<'a>(
        lang: &Lang,
        read: impl FnOnce(&mut SegmentVisitor) -> Result<()>,
        skip: &rustc_hash::FxHashSet<i64>,
        texts: impl IntoIterator<Item = (i64, i64, &'a str)>,
    ) -> Result<LangIndex> {
        let mut b = Builder::new();
        read(
            &mut |seg: &Segment, entries: &mut dyn Iterator<Item = usize>| {
                b.add_segment(seg, &mut entries.filter(|&i| !skip.contains(&seg.units[i])))
            },
        )?;
        let mut scanner = polytm_text::tokenize::KeyScanner::default();
        for (unit, rec, text) in texts {
            b.add_text(&mut scanner, lang, unit, rec, text);
        }
        Ok(b.finish(lang, false))
    }

    /// Build the index of `lang` from stored segments (as [`LangIndex::load`])
    /// straight into an index file at `path`, holding few of its arrays in
    /// memory at once.
    pub fn build_file(
        lang: &Lang,
        read: impl FnOnce(&mut SegmentVisitor) -> Result<()>,
        path: &std::path::Path,
        stamp: &super::file::Stamp,
    ) -> Result<std::io::Result<()>> {
        let mut b = Builder::new();
        read(
            &mut |seg: &Segment, entries: &mut dyn Iterator<Item = usize>| {
                b.add_segment(seg, entries)
            },
        )?;
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => std::path::Path::new("."),
        };
        Ok((|| {
            let mut sink = super::file::FileSink::new(dir)?;
            b.finish_into(&mut sink, false)?;
            sink.finish(path, lang, stamp, false)
        })())
    }

    /// An index over texts given directly: (unit, recency, text).
    pub fn from_entries<'a>(
        lang: &Lang,
        entries: impl IntoIterator<Item = (i64, i64, &'a str)>,
    ) -> LangIndex {
        let mut b = Builder::new();
        let mut scanner = polytm_text::tokenize::KeyScanner::default();
        for (unit, rec, text) in entries {
            b.add_text(&mut scanner, lang, unit, rec, text);
        }
        b.finish(lang, false)
    }

    /// An index with no entry.
    pub fn empty_of(lang: &Lang) -> LangIndex {
        LangIndex::empty(lang)
    }

    pub(crate) fn empty(lang: &Lang) -> LangIndex {
        LangIndex {
            lang: lang.clone(),
            key_off: vec![0u32].into(),
            key_bytes: Section::default(),
            punct: Section::default(),
            units: Section::default(),
            recency: Section::default(),
            hashes: Section::default(),
            offsets: vec![0u32].into(),
            toks: Section::default(),
            len_start: vec![0u32].into(),
            post_off: vec![0u32].into(),
            post: Section::default(),
            pre_off: vec![0u32].into(),
            pre: Section::default(),
            pre_rank: Section::default(),
            wh_hash: Section::default(),
            wh_entry: Section::default(),
            sigs: Section::default(),
            lookup_only: false,
        }
    }
}

/// Order entries by length and build the posting lists and the search's
/// structures, handing each section to `sink` when it is done with.
fn build_lists(
    sink: &mut impl Sink,
    v: usize,
    punct: Vec<u8>,
    (units, rec, hashes): (Vec<i64>, Vec<i64>, Vec<u64>),
    off: Vec<u32>,
    toks: Vec<u32>,
    lookup_only: bool,
) -> std::io::Result<()> {
    let n = units.len();
    let len = |i: usize| (off[i + 1] - off[i]) as usize;
    let maxlen = (0..n).map(len).max().unwrap_or(0);
    // counting sort by length (stable)
    let mut start = vec![0u32; maxlen + 2];
    for i in 0..n {
        start[len(i) + 1] += 1;
    }
    for l in 1..start.len() {
        start[l] += start[l - 1];
    }
    let mut order = vec![0u32; n];
    {
        let mut next = start.clone();
        for i in 0..n {
            let l = len(i);
            order[next[l] as usize] = i as u32;
            next[l] += 1;
        }
    }
    sink.put(LEN_START, Data::U32(start))?;
    sink.put(
        UNITS,
        Data::I64(order.iter().map(|&i| units[i as usize]).collect()),
    )?;
    drop(units);
    sink.put(
        RECENCY,
        Data::I64(order.iter().map(|&i| rec[i as usize]).collect()),
    )?;
    drop(rec);
    sink.put(
        HASHES,
        Data::U64(order.iter().map(|&i| hashes[i as usize]).collect()),
    )?;
    drop(hashes);
    let mut offsets = Vec::with_capacity(n + 1);
    offsets.push(0u32);
    let mut sorted_toks = Vec::with_capacity(toks.len());
    for &i in &order {
        let i = i as usize;
        sorted_toks.extend_from_slice(&toks[off[i] as usize..off[i + 1] as usize]);
        offsets.push(sorted_toks.len() as u32);
    }
    drop(toks);
    drop(off);
    drop(order);
    let entry = |e: usize| &sorted_toks[offsets[e] as usize..offsets[e + 1] as usize];
    // postings: each entry once per distinct token, entries ascending
    let mut last = vec![u32::MAX; v];
    let mut count = vec![0u32; v + 1];
    for e in 0..n {
        for &t in entry(e) {
            if last[t as usize] != e as u32 {
                last[t as usize] = e as u32;
                count[t as usize + 1] += 1;
            }
        }
    }
    for t in 1..=v {
        count[t] += count[t - 1];
    }
    let mut post = vec![0u32; count[v] as usize];
    last.iter_mut().for_each(|x| *x = u32::MAX);
    let mut next = count.clone();
    for e in 0..n {
        for &t in entry(e) {
            let t = t as usize;
            if last[t] != e as u32 {
                last[t] = e as u32;
                post[next[t] as usize] = e as u32;
                next[t] += 1;
            }
        }
    }
    drop(next);
    drop(last);
    sink.put(POST, Data::U32(post))?;
    let post_off = count;
    if !lookup_only {
        build_search_lists(sink, n, &offsets, &sorted_toks, &post_off, &punct)?;
    }
    sink.put(PUNCT, Data::U8(punct))?;
    sink.put(POST_OFF, Data::U32(post_off))?;
    sink.put(OFFSETS, Data::U32(offsets))?;
    sink.put(TOKS, Data::U32(sorted_toks))
}

/// The structures of the fuzzy search: prefix lists with ranks,
/// signatures, and the entries by the hash of their words.
fn build_search_lists(
    sink: &mut impl Sink,
    n: usize,
    offsets: &[u32],
    toks: &[u32],
    post_off: &[u32],
    punct: &[u8],
) -> std::io::Result<()> {
    let v = post_off.len() - 1;
    let entry = |e: usize| &toks[offsets[e] as usize..offsets[e + 1] as usize];
    // Prefix postings (PPJoin): rank each entry's tokens rarest first
    // (list length, then id) and keep only those in the entry's prefix for
    // a query it scores >= PREFIX_MIN against, one token longer than the
    // shortest lossless prefix: any such pair shares two tokens of their
    // prefixes so extended (see `search`).
    let df: Vec<u32> = (0..v).map(|t| post_off[t + 1] - post_off[t]).collect();
    // ranks[k]: for the first occurrence of a token within the entry's
    // prefix, its rank; NOT_PREFIX otherwise (entries ranked in parallel)
    const NOT_PREFIX: u8 = u8::MAX;
    let ranks: Vec<u8> = {
        use rayon::prelude::*;
        let chunk = 4096;
        (0..n.div_ceil(chunk))
            .into_par_iter()
            .map(|c| {
                let (from, to) = (c * chunk, ((c + 1) * chunk).min(n));
                let base = offsets[from] as usize;
                let mut out = vec![NOT_PREFIX; offsets[to] as usize - base];
                let mut sorted: Vec<u64> = Vec::new();
                for e in from..to {
                    let (a, b) = (offsets[e] as usize, offsets[e + 1] as usize);
                    let keep = (b - a) - min_overlap(b - a, PREFIX_MIN) + (super::ELL as usize - 1);
                    sorted.clear();
                    sorted.extend((a..b).map(|k| ((df[toks[k] as usize] as u64) << 32) | k as u64));
                    sorted.sort_unstable_by_key(|&x| (x >> 32, toks[(x & 0xFFFF_FFFF) as usize]));
                    let mut prev = u32::MAX;
                    for (rank, &x) in sorted.iter().enumerate().take(keep + 1) {
                        let k = (x & 0xFFFF_FFFF) as usize;
                        let t = toks[k];
                        if t != prev {
                            out[k - base] = rank.min(254) as u8;
                            prev = t;
                        }
                    }
                }
                out
            })
            .collect::<Vec<_>>()
            .concat()
    };
    let mut pcount = vec![0u32; v + 1];
    for (k, &r) in ranks.iter().enumerate() {
        if r != NOT_PREFIX {
            pcount[toks[k] as usize + 1] += 1;
        }
    }
    for t in 1..=v {
        pcount[t] += pcount[t - 1];
    }
    let pre_off = pcount.clone();
    let mut pre = vec![0u32; pcount[v] as usize];
    let mut pre_rank = vec![0u8; pcount[v] as usize];
    for e in 0..n {
        let (a, b) = (offsets[e] as usize, offsets[e + 1] as usize);
        for (k, &r) in ranks.iter().enumerate().take(b).skip(a) {
            if r != NOT_PREFIX {
                let t = toks[k] as usize;
                let at = pcount[t] as usize;
                pre[at] = e as u32;
                pre_rank[at] = r;
                pcount[t] += 1;
            }
        }
    }
    drop(ranks);
    sink.put(PRE_OFF, Data::U32(pre_off))?;
    sink.put(PRE, Data::U32(pre))?;
    sink.put(PRE_RANK, Data::U8(pre_rank))?;
    let sigs = (0..n)
        .map(|e| {
            let mut sig = [0u64; SIG_WORDS];
            for &t in entry(e) {
                let b = sig_bit(t);
                sig[b / 64] |= 1 << (b % 64);
            }
            sig
        })
        .collect::<Vec<_>>();
    sink.put(SIGS, Data::Sig(sigs))?;
    // Entries by the hash of their words (punctuation left out): the
    // candidates for 98..100 ("the same words"), found by lookup.
    let mut buf: Vec<u8> = Vec::new();
    let mut wh: Vec<(u64, u32)> = Vec::with_capacity(n);
    for e in 0..n {
        buf.clear();
        for &t in entry(e) {
            if punct[t as usize] == 0 {
                buf.extend_from_slice(&t.to_le_bytes());
            }
        }
        if !buf.is_empty() {
            wh.push((xxhash_rust::xxh3::xxh3_64(&buf), e as u32));
        }
    }
    wh.sort_unstable();
    sink.put(WH_HASH, Data::U64(wh.iter().map(|x| x.0).collect()))?;
    sink.put(WH_ENTRY, Data::U32(wh.iter().map(|x| x.1).collect()))
}

//! The persisted fuzzy index: every variant's token sequence, stored in the
//! SQLite file in compact segments, kept current by every write.
//!
//! ## Storage
//!
//! One row of `fuzzy_segments` holds up to [`SEGMENT_CAP`] variants of one
//! language as a blob: the segment's own vocabulary (token keys, most
//! frequent first) followed, for each variant in unit-id order, by its unit
//! id (delta-coded), its recency (seconds since 1970 of the unit's last
//! change), the hash of its NFC text and its token sequence as varints of
//! segment-local token numbers. A 20-token English sentence costs about 40
//! bytes. Writing a million units writes a few dozen rows, not tens of
//! millions of posting rows; the inverted lists are rebuilt in memory when a
//! process first needs them (`fuzzy::index`), which reads a language's
//! segments in one sequential pass.
//!
//! ## Keeping it current
//!
//! - [`IndexFeed`] is fed by `UnitWriter::add` (every import, alignment,
//!   pre-translation run and manual unit goes through it) with the variants
//!   of the units it adds. It tokenises on a worker thread while the writer
//!   inserts rows; a segment that fills up is encoded on the worker and
//!   stored at once (memory stays bounded), and on `finish` the partial
//!   ones are appended to the language's last, not-yet-full segment. Units
//!   changed rather than added (overwrites) are not fed: they are stale,
//!   and `finish` re-indexes every stale unit from its stored text.
//! - Triggers record every unit deleted and every variant changed or
//!   deleted — by whatever path, foreign-key cascades included — in
//!   `fuzzy_stale`. [`maintain`] (run by `UnitWriter::finish` and
//!   `delete_units`) rewrites the segments that hold stale units, re-indexes
//!   units that still exist, and empties the table. A reader that finds
//!   stale units (a cascade delete not followed by maintenance) skips their
//!   old entries and re-reads them from `variants`, so answers are always
//!   those of the current content.
//!
//! The index is derived data: [`rebuild`] recreates it from `variants`.

use std::collections::HashSet;
use std::sync::mpsc::{Receiver, SyncSender, channel, sync_channel};
use std::thread::JoinHandle;

use rusqlite::{Connection, params};

use crate::error::Result;
use polytm_core::error::Error;
use polytm_text::lang::Lang;

use polytm_fuzzy::segment::push_text;
pub use polytm_fuzzy::segment::{SEGMENT_CAP, SEGMENT_TOKEN_CAP, Segment, SegmentBuilder};
use polytm_store::{IndexSize, IndexState, recency};

/// Schema migration 2: the index tables and triggers.
pub const SCHEMA: &str = r#"
-- The fuzzy index (see src/store/index.rs): token sequences of variants,
-- one blob per segment of up to 65,536 variants of one language.
CREATE TABLE fuzzy_segments (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    lang      TEXT NOT NULL,
    entries   INTEGER NOT NULL,
    tokens    INTEGER NOT NULL,
    min_unit  INTEGER NOT NULL,
    max_unit  INTEGER NOT NULL,
    data      BLOB NOT NULL
);
CREATE INDEX fuzzy_segments_lang ON fuzzy_segments(lang, id);

-- Units deleted or changed since the index was last brought up to date.
CREATE TABLE fuzzy_stale (unit_id INTEGER PRIMARY KEY);

CREATE TRIGGER fuzzy_unit_deleted AFTER DELETE ON units BEGIN
    INSERT OR IGNORE INTO fuzzy_stale(unit_id) VALUES (old.id);
END;
CREATE TRIGGER fuzzy_unit_dated AFTER UPDATE OF created_at, changed_at ON units BEGIN
    INSERT OR IGNORE INTO fuzzy_stale(unit_id) VALUES (old.id);
END;
CREATE TRIGGER fuzzy_variant_deleted AFTER DELETE ON variants BEGIN
    INSERT OR IGNORE INTO fuzzy_stale(unit_id) VALUES (old.unit_id);
END;
CREATE TRIGGER fuzzy_variant_changed AFTER UPDATE OF unit_id, lang, text, plain ON variants BEGIN
    INSERT OR IGNORE INTO fuzzy_stale(unit_id) VALUES (old.unit_id);
    INSERT OR IGNORE INTO fuzzy_stale(unit_id) VALUES (new.unit_id);
END;
"#;

/// Migration 2: create the index and backfill it from the units already
/// in the file.
pub fn migrate(tx: &Connection) -> Result<()> {
    tx.execute_batch(SCHEMA)?;
    rebuild(tx)
}

/// Drop and recreate the whole index from `variants`.
pub fn rebuild(tx: &Connection) -> Result<()> {
    tx.execute("DELETE FROM fuzzy_segments", [])?;
    tx.execute("DELETE FROM fuzzy_stale", [])?;
    let mut st = tx.prepare(
        "SELECT v.unit_id, v.lang, coalesce(v.plain, v.text), u.created_at, u.changed_at
         FROM variants v JOIN units u ON u.id = v.unit_id ORDER BY v.unit_id",
    )?;
    let mut rows = st.query([])?;
    let mut ix = Indexer::new(SEGMENT_CAP);
    while let Some(r) = rows.next()? {
        let lang = Lang::from_key(&r.get::<_, String>(1)?);
        let text: String = r.get(2)?;
        let rec = recency(
            &r.get::<_, String>(3)?,
            r.get::<_, Option<String>>(4)?.as_deref(),
        );
        ix.push(r.get(0)?, &lang, rec, &text);
        ix.store_sealed(tx)?;
    }
    drop(rows);
    drop(st);
    let open = ix.finish(tx)?;
    append(tx, open)
}

/// Segments being built, per language; full ones are sealed.
#[derive(Debug)]
struct Builders {
    /// Most variants in one segment ([`SEGMENT_CAP`]; smaller in tests).
    cap: usize,
    /// One open segment per language (a handful: a linear search is fastest).
    open: Vec<(Lang, SegmentBuilder)>,
    sealed: Vec<(Lang, Segment)>,
}

impl Builders {
    fn new(cap: usize) -> Builders {
        Builders {
            cap: cap.clamp(1, SEGMENT_CAP),
            open: Vec::new(),
            sealed: Vec::new(),
        }
    }

    fn add(&mut self, unit: i64, lang: &Lang, recency: i64, text: &str) {
        let i = match self.open.iter().position(|(l, _)| l == lang) {
            Some(i) => i,
            None => {
                self.open.push((lang.clone(), SegmentBuilder::new()));
                self.open.len() - 1
            }
        };
        let Some((_, b)) = self.open.get_mut(i) else {
            return;
        };
        push_text(b, unit, lang, recency, text);
        if b.len() >= self.cap || b.tokens() >= SEGMENT_TOKEN_CAP {
            let full = std::mem::take(b);
            self.sealed.push((lang.clone(), full.finish()));
        }
    }

    /// The open (partial) segments, by language.
    fn into_open(self) -> Vec<(Lang, Segment)> {
        let mut open: Vec<_> = self
            .open
            .into_iter()
            .filter(|(_, b)| !b.is_empty())
            .map(|(l, b)| (l, b.finish()))
            .collect();
        open.sort_by(|a, b| a.0.cmp(&b.0));
        open
    }
}

// ---------------------------------------------------------------------------
// Writing

/// Append new entries: partial segments are merged into the language's last
/// row while it has room.
fn append(tx: &Connection, segs: Vec<(Lang, Segment)>) -> Result<()> {
    for (lang, seg) in segs {
        if seg.is_empty() {
            continue;
        }
        let mut rest = seg;
        if rest.len() < SEGMENT_CAP
            && let Some((row, tail)) = last_row(tx, &lang)?
            && tail.len() + rest.len() <= SEGMENT_CAP
            && tail.toks.len() + rest.toks.len() <= SEGMENT_TOKEN_CAP
        {
            let mut b = SegmentBuilder::from_segment(tail);
            for i in 0..rest.len() {
                b.push_from(&rest, i);
            }
            rest = b.finish();
            tx.execute("DELETE FROM fuzzy_segments WHERE id = ?1", [row])?;
        }
        insert_row(tx, &lang, &rest)?;
    }
    Ok(())
}

fn last_row(tx: &Connection, lang: &Lang) -> Result<Option<(i64, Segment)>> {
    let mut st = tx.prepare_cached(
        "SELECT id, entries, data FROM fuzzy_segments WHERE lang = ?1 ORDER BY id DESC LIMIT 1",
    )?;
    let mut rows = st.query([lang.as_str()])?;
    let Some(r) = rows.next()? else {
        return Ok(None);
    };
    let n: i64 = r.get(1)?;
    if n as usize >= SEGMENT_CAP {
        return Ok(None);
    }
    let data: Vec<u8> = r.get(2)?;
    let seg = Segment::decode(&data).map_err(damaged)?;
    Ok(Some((r.get(0)?, seg)))
}

fn insert_row(tx: &Connection, lang: &Lang, seg: &Segment) -> Result<()> {
    Sealed::new(lang.clone(), seg).insert(tx)
}

fn damaged(msg: String) -> Error {
    Error::Db {
        file: String::new(),
        msg: format!("the fuzzy index is damaged ({msg}); run `polytm reindex`"),
    }
}

/// Bring the index up to date with the units deleted or changed since the
/// last maintenance: drop their old entries, re-index those that still
/// exist (except `skip`: units the caller is about to index itself).
pub fn maintain(tx: &Connection, skip: &[i64]) -> Result<()> {
    let stale: Vec<i64> = {
        let mut st = tx.prepare_cached("SELECT unit_id FROM fuzzy_stale ORDER BY unit_id")?;
        st.query_map([], |r| r.get(0))?
            .collect::<std::result::Result<_, _>>()?
    };
    if stale.is_empty() {
        return Ok(());
    }
    let in_range = |lo: i64, hi: i64| {
        let i = stale.partition_point(|&u| u < lo);
        i < stale.len() && stale[i] <= hi
    };
    let rows: Vec<(i64, String, i64, i64)> = {
        let mut st = tx.prepare_cached(
            "SELECT id, lang, min_unit, max_unit FROM fuzzy_segments ORDER BY id",
        )?;
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<std::result::Result<_, _>>()?
    };
    for (id, lang, lo, hi) in rows {
        if !in_range(lo, hi) {
            continue;
        }
        let data: Vec<u8> =
            tx.query_row("SELECT data FROM fuzzy_segments WHERE id = ?1", [id], |r| {
                r.get(0)
            })?;
        let seg = Segment::decode(&data).map_err(damaged)?;
        let keep: Vec<usize> = (0..seg.len())
            .filter(|&i| stale.binary_search(&seg.units[i]).is_err())
            .collect();
        if keep.len() == seg.len() {
            continue;
        }
        tx.execute("DELETE FROM fuzzy_segments WHERE id = ?1", [id])?;
        if keep.is_empty() {
            continue;
        }
        let mut b = SegmentBuilder::new();
        for i in keep {
            b.push_from(&seg, i);
        }
        // Re-inserted under a new id: still before anything appended below.
        insert_row(tx, &Lang::from_key(&lang), &b.finish())?;
    }
    // Units changed since they were indexed (and still there): index them
    // again from their current text.
    let mut ix = Indexer::new(SEGMENT_CAP);
    {
        let mut st = tx.prepare_cached(
            "SELECT v.unit_id, v.lang, coalesce(v.plain, v.text), u.created_at, u.changed_at
             FROM fuzzy_stale s JOIN variants v ON v.unit_id = s.unit_id
             JOIN units u ON u.id = s.unit_id ORDER BY s.unit_id",
        )?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let unit: i64 = r.get(0)?;
            if skip.binary_search(&unit).is_ok() {
                continue;
            }
            let lang = Lang::from_key(&r.get::<_, String>(1)?);
            let text: String = r.get(2)?;
            let rec = recency(
                &r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?.as_deref(),
            );
            ix.push(unit, &lang, rec, &text);
            ix.store_sealed(tx)?;
        }
    }
    tx.execute("DELETE FROM fuzzy_stale", [])?;
    let open = ix.finish(tx)?;
    append(tx, open)
}

// ---------------------------------------------------------------------------
// Indexing many variants: tokenised on a worker thread, stored as they fill

/// A full segment, encoded on the worker thread, to be stored as one row.
struct Sealed {
    lang: Lang,
    entries: i64,
    tokens: i64,
    min_unit: i64,
    max_unit: i64,
    data: Vec<u8>,
}

impl Sealed {
    fn new(lang: Lang, seg: &Segment) -> Sealed {
        Sealed {
            lang,
            entries: seg.len() as i64,
            tokens: seg.toks.len() as i64,
            min_unit: seg.units.iter().copied().min().unwrap_or(0),
            max_unit: seg.units.iter().copied().max().unwrap_or(0),
            data: seg.encode(),
        }
    }

    fn insert(&self, tx: &Connection) -> Result<()> {
        if self.entries == 0 {
            return Ok(());
        }
        tx.prepare_cached(
            "INSERT INTO fuzzy_segments(lang, entries, tokens, min_unit, max_unit, data)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![
            self.lang.as_str(),
            self.entries,
            self.tokens,
            self.min_unit,
            self.max_unit,
            self.data
        ])?;
        Ok(())
    }
}

/// One variant to index; its text is `batch.text[previous end..end]`.
struct Job {
    unit: i64,
    recency: i64,
    end: usize,
    /// Index into the indexer's languages.
    lang: u16,
}

/// Variants sent to the worker together, their texts in one buffer (no
/// allocation per variant; the buffers go back and forth).
#[derive(Default)]
struct Batch {
    /// Languages first seen in this batch (appended to the worker's list).
    new_langs: Vec<Lang>,
    jobs: Vec<Job>,
    text: String,
}

impl Batch {
    fn full(&self) -> bool {
        self.jobs.len() >= BATCH_JOBS || self.text.len() >= BATCH_BYTES
    }

    fn clear(&mut self) {
        self.new_langs.clear();
        self.jobs.clear();
        self.text.clear();
    }
}

/// Variants per batch; below this many variants in all, a run is indexed
/// at its end on the calling thread.
const BATCH_JOBS: usize = 2048;
/// Text bytes per batch (a batch of very long segments is sent earlier).
const BATCH_BYTES: usize = 1 << 20;
/// Batches on their way to the worker: enough to even out the two sides,
/// few enough to bound memory.
const BATCHES_IN_FLIGHT: usize = 8;

enum FromWorker {
    Sealed(Sealed),
    /// A batch done with, for reuse.
    Spare(Batch),
}

struct Worker {
    tx: SyncSender<Batch>,
    rx: Receiver<FromWorker>,
    handle: JoinHandle<Builders>,
}

/// Tokenises variants and builds segments: on a worker thread once there
/// is more than a batch of work, so that the caller goes on writing rows
/// meanwhile. A segment is sealed when full and comes back encoded, to be
/// stored at once ([`Indexer::store_sealed`]): memory holds only the open
/// segment of each language, whatever the size of the run.
struct Indexer {
    cap: usize,
    batch: Batch,
    /// Languages of the jobs, by index.
    langs: Vec<Lang>,
    worker: Option<Worker>,
    spare: Vec<Batch>,
    /// Sealed segments back from the worker, to be stored.
    ready: Vec<Sealed>,
}

impl Indexer {
    fn new(cap: usize) -> Indexer {
        Indexer {
            cap,
            batch: Batch::default(),
            langs: Vec::new(),
            worker: None,
            spare: Vec::new(),
            ready: Vec::new(),
        }
    }

    fn push(&mut self, unit: i64, lang: &Lang, recency: i64, text: &str) {
        let l = match self.langs.iter().position(|x| x == lang) {
            Some(i) => i,
            None => {
                self.langs.push(lang.clone());
                self.batch.new_langs.push(lang.clone());
                self.langs.len() - 1
            }
        };
        self.batch.text.push_str(text);
        self.batch.jobs.push(Job {
            unit,
            recency,
            end: self.batch.text.len(),
            lang: l as u16,
        });
        if self.batch.full() {
            self.send();
        }
    }

    /// Hand the current batch to the worker (started on first use), and
    /// take what it has sent back.
    fn send(&mut self) {
        if self.worker.is_none() {
            let (tx, rx) = sync_channel::<Batch>(BATCHES_IN_FLIGHT);
            let (back, from) = channel::<FromWorker>();
            let cap = self.cap;
            let handle = std::thread::spawn(move || {
                let mut b = Builders::new(cap);
                let mut langs: Vec<Lang> = Vec::new();
                while let Ok(mut batch) = rx.recv() {
                    langs.append(&mut batch.new_langs);
                    let mut start = 0;
                    for j in &batch.jobs {
                        let text = batch.text.get(start..j.end).unwrap_or("");
                        start = j.end;
                        if let Some(lang) = langs.get(j.lang as usize) {
                            b.add(j.unit, lang, j.recency, text);
                        }
                        for (lang, seg) in b.sealed.drain(..) {
                            // The receiver is gone only when the run was
                            // abandoned: then nothing is stored anyway.
                            let _ = back.send(FromWorker::Sealed(Sealed::new(lang, &seg)));
                        }
                    }
                    batch.clear();
                    let _ = back.send(FromWorker::Spare(batch));
                }
                b
            });
            self.worker = Some(Worker {
                tx,
                rx: from,
                handle,
            });
        }
        let next = self.spare.pop().unwrap_or_default();
        let batch = std::mem::replace(&mut self.batch, next);
        if let Some(w) = &self.worker {
            // A send error means the worker panicked: `finish` reports it.
            let _ = w.tx.send(batch);
        }
        self.receive();
    }

    /// Take what the worker has sent back, without waiting.
    fn receive(&mut self) {
        let Some(w) = &self.worker else {
            return;
        };
        while let Ok(m) = w.rx.try_recv() {
            match m {
                FromWorker::Sealed(s) => self.ready.push(s),
                // Keep a few buffers of reasonable size for reuse.
                FromWorker::Spare(b)
                    if self.spare.len() < 4 && b.text.capacity() <= 4 * BATCH_BYTES =>
                {
                    self.spare.push(b)
                }
                FromWorker::Spare(_) => {}
            }
        }
    }

    /// Store the segments sealed so far.
    fn store_sealed(&mut self, tx: &Connection) -> Result<()> {
        for s in self.ready.drain(..) {
            s.insert(tx)?;
        }
        Ok(())
    }

    /// Index what is left; store every sealed segment; return the open
    /// (partial) segments.
    fn finish(mut self, tx: &Connection) -> Result<Vec<(Lang, Segment)>> {
        let builders = match self.worker.take() {
            Some(w) => {
                let rest = std::mem::take(&mut self.batch);
                // a send error means the worker panicked: join reports it
                let _ = w.tx.send(rest);
                drop(w.tx);
                let b = w
                    .handle
                    .join()
                    .map_err(|_| Error::other("the indexing thread failed"))?;
                for m in w.rx.try_iter() {
                    if let FromWorker::Sealed(s) = m {
                        self.ready.push(s);
                    }
                }
                b
            }
            None => {
                let mut b = Builders::new(self.cap);
                let mut start = 0;
                for j in &self.batch.jobs {
                    let text = self.batch.text.get(start..j.end).unwrap_or("");
                    start = j.end;
                    if let Some(lang) = self.langs.get(j.lang as usize) {
                        b.add(j.unit, lang, j.recency, text);
                    }
                }
                for (lang, seg) in b.sealed.drain(..) {
                    self.ready.push(Sealed::new(lang, &seg));
                }
                b
            }
        };
        self.store_sealed(tx)?;
        Ok(builders.into_open())
    }
}

/// Indexes the variants a [`crate::units::UnitWriter`] adds, while
/// it writes them: full segments are stored as the run goes on, the last
/// partial ones at `finish` — all in the writer's transaction.
///
/// Units the writer changes rather than adds (`--on-duplicate overwrite`)
/// are not fed: the triggers mark them stale, and `finish` re-indexes every
/// stale unit from its stored text, so the index always ends up holding
/// exactly one entry per variant as it stands at the end of the run.
pub struct IndexFeed {
    ix: Indexer,
}

impl Default for IndexFeed {
    fn default() -> IndexFeed {
        IndexFeed::new()
    }
}

impl IndexFeed {
    pub fn new() -> IndexFeed {
        IndexFeed::with_cap(SEGMENT_CAP)
    }

    /// With segments of at most `cap` variants (tests use small ones).
    pub fn with_cap(cap: usize) -> IndexFeed {
        IndexFeed {
            ix: Indexer::new(cap),
        }
    }

    /// A variant of a unit just added; full segments are stored in `tx`.
    pub fn push(
        &mut self,
        tx: &Connection,
        unit: i64,
        lang: &Lang,
        recency: i64,
        text: &str,
    ) -> Result<()> {
        self.ix.push(unit, lang, recency, text);
        if !self.ix.ready.is_empty() {
            self.ix.store_sealed(tx)?;
        }
        Ok(())
    }

    /// Store what is left of the run, then bring the index up to date with
    /// the units deleted or changed in this transaction (or before it).
    pub fn finish(self, tx: &Connection) -> Result<()> {
        let open = self.ix.finish(tx)?;
        // Units fed here and then changed or deleted in the same
        // transaction are stale: their entries go (from the stored rows in
        // `maintain`, from the open segments here) and those still there
        // are indexed afresh from their text.
        let stale: Vec<i64> = {
            let mut st = tx.prepare_cached("SELECT unit_id FROM fuzzy_stale ORDER BY unit_id")?;
            st.query_map([], |r| r.get(0))?
                .collect::<std::result::Result<_, _>>()?
        };
        let open = if stale.is_empty() {
            open
        } else {
            open.into_iter()
                .map(|(lang, s)| {
                    if s.units.iter().any(|u| stale.binary_search(u).is_ok()) {
                        let mut b = SegmentBuilder::new();
                        for i in 0..s.len() {
                            if stale.binary_search(&s.units[i]).is_err() {
                                b.push_from(&s, i);
                            }
                        }
                        (lang, b.finish())
                    } else {
                        (lang, s)
                    }
                })
                .collect()
        };
        maintain(tx, &[])?;
        append(tx, open)
    }
}

// ---------------------------------------------------------------------------
// Reading

/// Visit every indexed entry of `lang` that reflects the current content,
/// segment by segment: `f(segment, entry indices to use)`. Then the units
/// changed since the last maintenance are read from `variants` and passed
/// as one extra segment.
pub fn read_lang(
    conn: &Connection,
    lang: &Lang,
    f: &mut dyn FnMut(&Segment, &mut dyn Iterator<Item = usize>),
) -> Result<()> {
    let stale: HashSet<i64> = {
        let mut st = conn.prepare_cached("SELECT unit_id FROM fuzzy_stale")?;
        st.query_map([], |r| r.get(0))?
            .collect::<std::result::Result<_, _>>()?
    };
    let mut st =
        conn.prepare_cached("SELECT data FROM fuzzy_segments WHERE lang = ?1 ORDER BY id")?;
    let mut rows = st.query([lang.as_str()])?;
    // Segments are decoded a few at a time on all cores, used in order.
    let group = rayon::current_num_threads().max(1) * 2;
    let mut blobs: Vec<Vec<u8>> = Vec::with_capacity(group);
    let mut done = false;
    while !done {
        blobs.clear();
        while blobs.len() < group {
            match rows.next()? {
                Some(r) => blobs.push(r.get(0)?),
                None => {
                    done = true;
                    break;
                }
            }
        }
        use rayon::prelude::*;
        let segs: Vec<std::result::Result<Segment, String>> =
            blobs.par_iter().map(|b| Segment::decode(b)).collect();
        for seg in segs {
            let seg = seg.map_err(damaged)?;
            if stale.is_empty() {
                f(&seg, &mut (0..seg.len()));
            } else {
                f(
                    &seg,
                    &mut (0..seg.len()).filter(|&i| !stale.contains(&seg.units[i])),
                );
            }
        }
    }
    if !stale.is_empty() {
        let mut b = SegmentBuilder::new();
        let mut st = conn.prepare_cached(
            "SELECT v.unit_id, coalesce(v.plain, v.text), u.created_at, u.changed_at
             FROM fuzzy_stale s JOIN variants v ON v.unit_id = s.unit_id AND v.lang = ?1
             JOIN units u ON u.id = s.unit_id",
        )?;
        let mut rows = st.query([lang.as_str()])?;
        while let Some(r) = rows.next()? {
            let text: String = r.get(1)?;
            let rec = recency(
                &r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?.as_deref(),
            );
            push_text(&mut b, r.get(0)?, lang, rec, &text);
        }
        let seg = b.finish();
        f(&seg, &mut (0..seg.len()));
    }
    Ok(())
}

/// Number of indexed entries and bytes per language: `(lang, entries, bytes)`.
/// The entries of `lang`'s units above `after`, from the stored segments,
/// without the units changed since they were indexed (in the log: their
/// current text is read by the caller).
pub fn read_lang_after(
    conn: &Connection,
    lang: &Lang,
    after: i64,
    f: &mut dyn FnMut(&Segment, &mut dyn Iterator<Item = usize>),
) -> Result<()> {
    let stale: HashSet<i64> = {
        let mut st = conn.prepare_cached("SELECT unit_id FROM fuzzy_stale")?;
        st.query_map([], |r| r.get(0))?
            .collect::<std::result::Result<_, _>>()?
    };
    let mut st = conn.prepare_cached(
        "SELECT data FROM fuzzy_segments WHERE lang = ?1 AND max_unit > ?2 ORDER BY id",
    )?;
    let mut rows = st.query(params![lang.as_str(), after])?;
    while let Some(r) = rows.next()? {
        let data = r.get_ref(0)?.as_blob().map_err(rusqlite::Error::from)?;
        let seg = Segment::decode(data).map_err(damaged)?;
        f(
            &seg,
            &mut (0..seg.len()).filter(|&i| seg.units[i] > after && !stale.contains(&seg.units[i])),
        );
    }
    Ok(())
}

/// What the stored index reflects now.
pub fn state(conn: &Connection) -> Result<IndexState> {
    let meta = |k: &str| -> Result<String> {
        use rusqlite::OptionalExtension;
        Ok(conn
            .prepare_cached("SELECT value FROM meta WHERE key = ?1")?
            .query_row([k], |r| r.get(0))
            .optional()?
            .unwrap_or_default())
    };
    // A malformed or missing value (polytm writes them) reads as zeros: no
    // index file matches it, and the files are made again from the units.
    let hex = meta("identity")?;
    let mut identity = [0u8; 16];
    for (i, b) in identity.iter_mut().enumerate() {
        *b = hex
            .get(2 * i..2 * i + 2)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .unwrap_or(0);
    }
    let epoch = meta("index_epoch")?.parse().unwrap_or(0);
    let glossary = meta("glossary_version")?.parse().unwrap_or(0);
    let max_unit: i64 = conn
        .prepare_cached("SELECT coalesce(max(id), 0) FROM units")?
        .query_row([], |r| r.get(0))?;
    // the last number the log gave out (the log may have been emptied)
    let log_seq: i64 = conn
        .prepare_cached(
            "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'fuzzy_log'), 0)",
        )?
        .query_row([], |r| r.get(0))?;
    Ok(IndexState {
        identity,
        epoch,
        max_unit,
        log_seq,
        glossary,
    })
}

/// Units deleted or changed since log position `seq`.
pub fn changed_since(conn: &Connection, seq: i64) -> Result<Vec<i64>> {
    let mut st = conn
        .prepare_cached("SELECT DISTINCT unit_id FROM fuzzy_log WHERE seq > ?1 ORDER BY unit_id")?;
    let v = st
        .query_map([seq], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(v)
}

/// Start the index afresh: a new epoch (index files kept beside the
/// database no longer match) and an empty log.
pub fn new_epoch(tx: &Connection) -> Result<()> {
    tx.execute_batch(
        "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'index_epoch';
         DELETE FROM fuzzy_log;",
    )?;
    Ok(())
}

pub fn sizes(conn: &Connection) -> Result<Vec<IndexSize>> {
    let mut st = conn.prepare(
        "SELECT lang, sum(entries), sum(length(data)) FROM fuzzy_segments GROUP BY lang ORDER BY lang",
    )?;
    let rows = st.query_map([], |r| {
        Ok(IndexSize {
            lang: r.get(0)?,
            entries: r.get(1)?,
            bytes: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::{UnitWriter, delete_units};
    use crate::{Store, new_batch, schema};
    use polytm_fuzzy::index::LangIndex;
    use polytm_store::{NewUnit, NewVariant, OnDuplicate, Origin, Written};
    use polytm_text::lang::LangTag;

    /// The stored index of a language, read into memory.
    fn stored(conn: &Connection, lang: &Lang) -> LangIndex {
        LangIndex::load(lang, |visit| Ok(read_lang(conn, lang, visit)?)).unwrap()
    }

    /// An index made afresh from the units' texts.
    fn fresh(conn: &Connection, lang: &Lang) -> LangIndex {
        let mut rows: Vec<(i64, i64, String)> = Vec::new();
        crate::units::for_each_variant(conn, lang, &mut |u, r, t| {
            rows.push((u, r, t.to_string()));
            Ok(())
        })
        .unwrap();
        LangIndex::from_entries(lang, rows.iter().map(|(u, r, t)| (*u, *r, t.as_str())))
    }

    fn unit(en: &str, ru: &str) -> NewUnit {
        NewUnit::new(
            Origin::Imported,
            vec![
                NewVariant::new(LangTag::parse("en").unwrap(), en),
                NewVariant::new(LangTag::parse("ru").unwrap(), ru),
            ],
        )
    }

    fn write(s: &mut Store, units: &[NewUnit], policy: OnDuplicate) -> Vec<i64> {
        let tx = s.transaction().unwrap();
        let b = new_batch(&tx, "import", "t").unwrap();
        let mut w = UnitWriter::new(&tx, b, policy);
        let mut ids = Vec::new();
        for u in units {
            ids.push(match w.add(u).unwrap() {
                Written::Added(i) | Written::Skipped(i) | Written::Overwritten(i) => i,
            });
        }
        w.finish().unwrap();
        tx.commit().unwrap();
        ids
    }

    /// The stored index and a fresh tokenisation of `variants` agree.
    fn assert_current(s: &Store) {
        for lang in [Lang::en(), Lang::ru()] {
            let stored = stored(&s.conn, &lang).dump();
            let fresh = fresh(&s.conn, &lang).dump();
            assert_eq!(stored, fresh, "{lang}");
        }
    }

    fn count(s: &Store, sql: &str) -> i64 {
        s.conn.query_row(sql, [], |r| r.get(0)).unwrap()
    }

    #[test]
    fn index_follows_every_write() {
        let mut s = Store::in_memory().unwrap();
        let ids = write(
            &mut s,
            &[
                unit("Open the file.", "Откройте файл."),
                unit("Close it.", "Закройте."),
            ],
            OnDuplicate::Skip,
        );
        assert_current(&s);
        // small writes go into the same segment row
        write(
            &mut s,
            &[unit("Save the file.", "Сохраните файл.")],
            OnDuplicate::Skip,
        );
        assert_eq!(
            count(&s, "SELECT count(*) FROM fuzzy_segments WHERE lang = 'en'"),
            1
        );
        assert_current(&s);
        // overwrite: same source, new target
        let mut u = unit("Open the file.", "Открыть файл.");
        u.src_lang = Some(Lang::en());
        let mut first = unit("Open the file.", "Откройте файл.");
        first.src_lang = Some(Lang::en());
        write(&mut s, &[u], OnDuplicate::Overwrite);
        assert_current(&s);
        // delete through delete_units: maintained at once
        {
            let tx = s.transaction().unwrap();
            delete_units(&tx, &ids[1..2]).unwrap();
            tx.commit().unwrap();
        }
        assert_eq!(count(&s, "SELECT count(*) FROM fuzzy_stale"), 0);
        assert_current(&s);
        // a cascade delete and a direct edit: readers see the truth at once,
        // the next write cleans up
        s.conn.execute("UPDATE variants SET text = 'Open the old file.' WHERE lang = 'en' AND unit_id = ?1", [ids[0]]).unwrap();
        let b = write(
            &mut s,
            &[unit("Print it.", "Напечатайте.")],
            OnDuplicate::Skip,
        );
        s.conn
            .execute(
                "DELETE FROM batches WHERE id = (SELECT batch_id FROM units WHERE id = ?1)",
                [b[0]],
            )
            .unwrap();
        assert!(count(&s, "SELECT count(*) FROM fuzzy_stale") > 0);
        assert_current(&s);
        write(&mut s, &[unit("Stop.", "Стоп.")], OnDuplicate::Skip);
        assert_eq!(count(&s, "SELECT count(*) FROM fuzzy_stale"), 0);
        assert_current(&s);
        // a rolled-back write leaves the index as it was
        let before = count(&s, "SELECT sum(length(data)) FROM fuzzy_segments");
        {
            let tx = s.transaction().unwrap();
            let b = new_batch(&tx, "import", "t").unwrap();
            let mut w = UnitWriter::new(&tx, b, OnDuplicate::Skip);
            w.add(&unit("Never.", "Никогда.")).unwrap();
            w.finish().unwrap();
        }
        assert_eq!(
            count(&s, "SELECT sum(length(data)) FROM fuzzy_segments"),
            before
        );
        assert_current(&s);
    }

    fn lang_index_current(s: &Store, langs: &[Lang]) {
        for lang in langs {
            let stored = stored(&s.conn, lang).dump();
            let fresh = fresh(&s.conn, lang).dump();
            assert_eq!(stored.len(), fresh.len(), "{lang}");
            assert_eq!(stored, fresh, "{lang}");
        }
    }

    fn tagged(tag: &str, text: &str) -> NewVariant {
        NewVariant::new(LangTag::parse(tag).unwrap(), text)
    }

    #[test]
    fn the_first_overwrite_run_makes_the_source_text_index() {
        let units = |n: usize| -> Vec<NewUnit> {
            (0..n)
                .map(|i| {
                    let mut u = unit(&format!("Open file {i}."), &format!("Откройте файл {i}."));
                    u.src_lang = Some(Lang::en());
                    u
                })
                .collect()
        };
        let src_index = |s: &Store| {
            count(
                s,
                "SELECT count(*) FROM sqlite_schema WHERE name = 'units_src'",
            )
        };
        let mut s = Store::in_memory().unwrap();
        // new files have none, and imports that skip duplicates make none
        write(&mut s, &units(3), OnDuplicate::Skip);
        assert_eq!(src_index(&s), 0);
        write(&mut s, &units(5), OnDuplicate::Overwrite);
        assert_eq!(src_index(&s), 1);
        write(&mut s, &units(6), OnDuplicate::Skip);
        assert_eq!(src_index(&s), 1, "kept from then on");
    }

    #[test]
    fn full_segments_are_stored_during_the_run() {
        let mut s = Store::in_memory().unwrap();
        let tx = s.transaction().unwrap();
        let b = new_batch(&tx, "import", "t").unwrap();
        let mut w = UnitWriter::with_segment_cap(&tx, b, OnDuplicate::Skip, 16);
        // 24,000 variants: a dozen batches for the worker, 1,500 segments
        for i in 0..12_000 {
            w.add(&unit(
                &format!("Line {i} of the file."),
                &format!("Строка {i} файла."),
            ))
            .unwrap();
        }
        // The worker is at most a few batches behind: the segments of the
        // first batches are already rows, before `finish`.
        let stored: i64 = tx
            .query_row("SELECT count(*) FROM fuzzy_segments", [], |r| r.get(0))
            .unwrap();
        assert!(stored >= 2 * 1024 / 16, "{stored} rows before finish");
        w.finish().unwrap();
        tx.commit().unwrap();
        assert_eq!(count(&s, "SELECT sum(entries) FROM fuzzy_segments"), 24_000);
        assert_eq!(count(&s, "SELECT max(entries) FROM fuzzy_segments"), 16);
        lang_index_current(&s, &[Lang::en(), Lang::ru()]);
    }

    #[test]
    fn a_failed_run_leaves_no_segment_behind() {
        let mut s = Store::in_memory().unwrap();
        write(
            &mut s,
            &[unit("Keep me.", "Оставьте меня.")],
            OnDuplicate::Skip,
        );
        let before = count(&s, "SELECT sum(length(data)) FROM fuzzy_segments");
        let rows = count(&s, "SELECT count(*) FROM fuzzy_segments");
        {
            let tx = s.transaction().unwrap();
            let b = new_batch(&tx, "import", "t").unwrap();
            let mut w = UnitWriter::with_segment_cap(&tx, b, OnDuplicate::Skip, 16);
            for i in 0..12_000 {
                w.add(&unit(&format!("Line {i}."), &format!("Строка {i}.")))
                    .unwrap();
            }
            let during: i64 = tx
                .query_row("SELECT count(*) FROM fuzzy_segments", [], |r| r.get(0))
                .unwrap();
            assert!(during > rows);
            // an error: the writer and the transaction are dropped
        }
        assert_eq!(count(&s, "SELECT count(*) FROM fuzzy_segments"), rows);
        assert_eq!(
            count(&s, "SELECT sum(length(data)) FROM fuzzy_segments"),
            before
        );
        assert_eq!(count(&s, "SELECT count(*) FROM units"), 1);
        lang_index_current(&s, &[Lang::en(), Lang::ru()]);
    }

    #[test]
    fn overwrites_in_the_same_run_and_later_leave_one_current_entry() {
        let src = |i: usize| format!("Source sentence number {i}.");
        let with = |i: usize, vars: Vec<NewVariant>| {
            let mut vs = vec![tagged("en", &src(i))];
            vs.extend(vars);
            let mut u = NewUnit::new(Origin::Imported, vs);
            u.src_lang = Some(Lang::en());
            u
        };
        let mut s = Store::in_memory().unwrap();
        {
            let tx = s.transaction().unwrap();
            let b = new_batch(&tx, "import", "t").unwrap();
            let mut w = UnitWriter::with_segment_cap(&tx, b, OnDuplicate::Overwrite, 16);
            for i in 0..3000 {
                let u = with(i, vec![tagged("ru", &format!("Цель {i}."))]);
                assert!(matches!(w.add(&u).unwrap(), Written::Added(_)));
            }
            // the same sources again, in the same run: most of the first
            // versions are already in stored segments
            for i in (0..3000).step_by(2) {
                let u = match i % 3 {
                    0 => with(i, vec![tagged("ru", &format!("Новая цель {i}."))]),
                    // languages change: ru goes, zh comes
                    1 => with(i, vec![tagged("zh", &format!("目标{i}。"))]),
                    _ => with(
                        i,
                        vec![
                            tagged("ru", &format!("Другая цель {i}.")),
                            tagged("zh", &format!("另一个目标{i}。")),
                        ],
                    ),
                };
                assert!(matches!(w.add(&u).unwrap(), Written::Overwritten(_)));
            }
            // and once more for a few
            for i in (0..3000).step_by(10) {
                let u = with(i, vec![tagged("ru", &format!("Третья цель {i}."))]);
                assert!(matches!(w.add(&u).unwrap(), Written::Overwritten(_)));
            }
            w.finish().unwrap();
            tx.commit().unwrap();
        }
        assert_eq!(count(&s, "SELECT count(*) FROM fuzzy_stale"), 0);
        // the first overwrite run made the source-text index, and it stays
        assert_eq!(
            count(
                &s,
                "SELECT count(*) FROM sqlite_schema WHERE name = 'units_src'"
            ),
            1
        );
        lang_index_current(&s, &[Lang::en(), Lang::ru(), Lang::zh()]);
        assert_eq!(
            count(
                &s,
                "SELECT sum(entries) FROM fuzzy_segments WHERE lang = 'en'"
            ),
            3000
        );
        // a later run overwrites units of the first
        {
            let tx = s.transaction().unwrap();
            let b = new_batch(&tx, "import", "t").unwrap();
            let mut w = UnitWriter::with_segment_cap(&tx, b, OnDuplicate::Overwrite, 16);
            for i in (0..3000).step_by(7) {
                let u = with(i, vec![tagged("ru", &format!("Последняя цель {i}."))]);
                assert!(matches!(w.add(&u).unwrap(), Written::Overwritten(_)));
            }
            w.finish().unwrap();
            tx.commit().unwrap();
        }
        lang_index_current(&s, &[Lang::en(), Lang::ru(), Lang::zh()]);
    }

    #[test]
    fn a_unit_is_one_text_per_language() {
        let mut s = Store::in_memory().unwrap();
        let u = NewUnit::new(
            Origin::Imported,
            vec![
                tagged("en", "Open."),
                tagged("ru", "Откройте."),
                tagged("ru-RU", "Открыть."),
            ],
        );
        write(&mut s, &[u], OnDuplicate::Skip);
        assert_eq!(
            count(&s, "SELECT count(*) FROM variants WHERE lang = 'ru'"),
            1
        );
        let text: String = s
            .conn
            .query_row(
                "SELECT tag || ' ' || text FROM variants WHERE lang = 'ru'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(text, "ru-RU Открыть.");
        lang_index_current(&s, &[Lang::en(), Lang::ru()]);
        assert_eq!(
            count(
                &s,
                "SELECT sum(entries) FROM fuzzy_segments WHERE lang = 'ru'"
            ),
            1
        );
    }

    #[test]
    fn reindexing_many_stale_units_goes_through_the_worker() {
        let mut s = Store::in_memory().unwrap();
        let units: Vec<NewUnit> = (0..3000)
            .map(|i| unit(&format!("Entry {i} here."), &format!("Запись {i} здесь.")))
            .collect();
        write(&mut s, &units, OnDuplicate::Keep);
        // changed behind the index's back: 3,000 units stale
        s.conn
            .execute(
                "UPDATE variants SET text = text || ' (edited)' WHERE lang = 'ru'",
                [],
            )
            .unwrap();
        assert_eq!(count(&s, "SELECT count(*) FROM fuzzy_stale"), 3000);
        {
            let tx = s.transaction().unwrap();
            maintain(&tx, &[]).unwrap();
            tx.commit().unwrap();
        }
        assert_eq!(count(&s, "SELECT count(*) FROM fuzzy_stale"), 0);
        lang_index_current(&s, &[Lang::en(), Lang::ru()]);
        {
            let tx = s.transaction().unwrap();
            rebuild(&tx).unwrap();
            tx.commit().unwrap();
        }
        lang_index_current(&s, &[Lang::en(), Lang::ru()]);
        assert_eq!(count(&s, "SELECT sum(entries) FROM fuzzy_segments"), 6000);
    }

    #[test]
    fn large_writes_use_the_worker_and_split_segments() {
        let mut s = Store::in_memory().unwrap();
        let units: Vec<NewUnit> = (0..5000)
            .map(|i| {
                unit(
                    &format!("Line {i} of the file."),
                    &format!("Строка {i} файла."),
                )
            })
            .collect();
        write(&mut s, &units, OnDuplicate::Keep);
        assert_eq!(
            count(
                &s,
                "SELECT sum(entries) FROM fuzzy_segments WHERE lang = 'ru'"
            ),
            5000
        );
        assert_current(&s);
        // delete half of them
        let ids: Vec<i64> = (1..=2500).collect();
        {
            let tx = s.transaction().unwrap();
            delete_units(&tx, &ids).unwrap();
            tx.commit().unwrap();
        }
        assert_eq!(
            count(
                &s,
                "SELECT sum(entries) FROM fuzzy_segments WHERE lang = 'ru'"
            ),
            2500
        );
        assert_current(&s);
    }

    #[test]
    fn a_version_1_database_is_migrated_and_indexed() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("old.db");
        {
            let c = Connection::open(&p).unwrap();
            let schema::Migration::Sql(v1) = &schema::MIGRATIONS[0] else {
                panic!("migration 1 is SQL")
            };
            c.execute_batch(v1).unwrap();
            c.pragma_update(None, "user_version", 1).unwrap();
            c.pragma_update(None, "application_id", schema::APPLICATION_ID)
                .unwrap();
            c.execute_batch(
                "INSERT INTO batches VALUES (1, 'import', 'old.tmx', '2020-01-01T00:00:00Z');
                 INSERT INTO units(id, batch_id, origin, content_hash, created_at) VALUES
                   (1, 1, 'imported', 1, '2020-01-01T00:00:00Z'),
                   (2, 1, 'imported', 2, '2021-06-01T00:00:00Z');
                 INSERT INTO variants VALUES (1, 'en', 'en-US', 'The 8th meeting.', NULL),
                   (1, 'ru', 'ru', '8-е совещание.', NULL),
                   (2, 'en', 'en-US', 'Delete the file.', NULL),
                   (2, 'zh', 'zh-CN', '删除文件。', NULL);",
            )
            .unwrap();
        }
        let s = Store::open(&p).unwrap();
        assert_eq!(s.schema_version().unwrap(), schema::latest());
        assert_current(&s);
        let zh = stored(&s.conn, &Lang::zh());
        assert_eq!(zh.len(), 1);
        let en = stored(&s.conn, &Lang::en()).dump();
        assert_eq!(en.len(), 2);
        assert_eq!(en[1].1, recency("2021-06-01T00:00:00Z", None));
    }
}

//! The storage boundary of polytm: what a translation memory holds
//! ([`records`]) and the operations every backend provides ([`Database`],
//! [`Reader`], [`Writer`], [`UnitSink`]).
//!
//! The layers above (the engine, the command line, the server) talk to
//! these traits only; `polytm-sqlite` implements them on one SQLite file,
//! `polytm-postgres` on a PostgreSQL database, and another backend is
//! another crate implementing them. No database
//! driver's type appears here.
//!
//! - A [`Database`] is shared by many threads (`Send + Sync`): each asks it
//!   for a [`Reader`] (a connection for reading; readers never wait for a
//!   writer) or the one [`Writer`] (a transaction).
//! - A [`Writer`] is one transaction: [`Writer::commit`] makes its work
//!   visible, dropping it without a commit leaves the database exactly as
//!   it was. Every write command uses one.
//! - Logic that is the same on every backend (the glossary's merge rules,
//!   hashes, dates) lives outside the backends, in pure code that calls
//!   the primitive operations here.

pub mod dates;
pub mod duplicates;
pub mod export;
pub mod hash;
pub mod pool;
pub mod records;

use polytm_core::Result;
use polytm_text::lang::Lang;

pub use polytm_fuzzy::segment::Segment;
pub use polytm_glossary::model::{Concept, NewTerm, TermStatus};

pub use dates::{now, recency};
pub use export::{ExportUnit, ExportVariant, Overview, OverviewCounter, Selection};
pub use records::*;

/// What [`Reader::for_each_lexicon_entry`] calls: `f(entry, source, batch)`.
pub type LexiconRows<'a> = dyn FnMut(&LexiconEntry, Option<&str>, Option<i64>) -> Result<()> + 'a;

/// One translation memory: a file, or a server's database.
pub trait Database: Send + Sync {
    /// The name errors and `stats` use: the path, or the URL without its
    /// password.
    fn name(&self) -> &str;

    /// A session for reading. Readers never wait for a writer.
    fn reader(&self) -> Result<Box<dyn Reader + '_>>;

    /// The write transaction. Only one is open at a time; others wait for
    /// it (or fail after a while with a clear message).
    fn writer(&self) -> Result<Box<dyn Writer + '_>>;

    /// A folder where derived files (index files) for this database may be
    /// kept; `None` when there is none (a database in memory).
    fn cache_dir(&self) -> Option<std::path::PathBuf>;

    /// Give back what the connections cache and no longer need (before
    /// a long, memory-hungry step such as building an index file after
    /// a large import). Nothing changes but memory.
    fn release_memory(&self) {}
}

/// Reading the translation memory. Everything one reader reads comes from
/// one state of the database (a snapshot), whatever writers do meanwhile.
pub trait Reader {
    // --- units ---------------------------------------------------------

    /// One unit with all its variants (the source language first).
    fn unit(&self, id: i64) -> Result<Option<Unit>>;

    /// The source and target of a unit in two languages, as a proposal
    /// shows them; `None` when the unit lacks one of them (or is gone).
    fn unit_pair(&self, id: i64, from: &Lang, to: &Lang) -> Result<Option<UnitPair>>;

    /// The texts in `lang` (without inline markup) of the units just
    /// before and just after unit `id` in its document (by position):
    /// what an in-context match compares. `None` when the unit has no
    /// document or position (or is gone); [`Neighbours`] holds `None` on a
    /// side where the unit is first or last of its document.
    fn neighbours(&self, id: i64, lang: &Lang) -> Result<Option<Neighbours>>;

    /// Every unit with all its variants (as [`Reader::unit`] reads them),
    /// in id order, streaming: what `polytm migrate` copies.
    fn for_each_unit(&self, f: &mut dyn FnMut(&Unit) -> Result<()>) -> Result<()>;

    /// Ids of a document's units, in id order.
    fn units_of_document(&self, document: i64) -> Result<Vec<i64>>;

    /// Ids of the units a batch wrote, in id order.
    fn units_of_batch(&self, batch: i64) -> Result<Vec<i64>>;

    /// Every variant of a language, in unit order: `f(unit, recency,
    /// text without markup)`. The slow path that `--exhaustive` scans.
    fn for_each_variant(
        &self,
        lang: &Lang,
        f: &mut dyn FnMut(i64, i64, &str) -> Result<()>,
    ) -> Result<()>;

    /// Texts of units that have both languages, most recent first, at most
    /// `limit`: (text in `a`, text in `b`).
    fn pair_texts(&self, a: &Lang, b: &Lang, limit: usize) -> Result<Vec<(String, String)>>;

    // --- documents and batches -----------------------------------------

    /// Every document, in id order, with its number of units.
    fn documents(&self) -> Result<Vec<Document>>;

    /// The document of that name.
    fn document(&self, name: &str) -> Result<Option<Document>>;

    /// Every batch, in id order, with what it wrote.
    fn batches(&self) -> Result<Vec<Batch>>;

    // --- export ----------------------------------------------------------

    /// What a selection holds.
    fn export_overview(&self, sel: &Selection) -> Result<Overview>;

    /// Call `f` for every unit of the selection that has at least two of
    /// the selected languages, in id order, streaming; returns how many.
    fn for_each_export_unit(
        &self,
        sel: &Selection,
        f: &mut dyn FnMut(&ExportUnit) -> Result<()>,
    ) -> Result<usize>;

    // --- glossary --------------------------------------------------------

    /// Every concept with its terms, by id; terms by language (en, ru, zh
    /// first) and position.
    fn concepts(&self) -> Result<Vec<Concept>>;

    /// One concept with its terms.
    fn concept(&self, id: i64) -> Result<Option<Concept>>;

    /// The batch that wrote each concept that has one: (concept, batch),
    /// by concept id.
    fn concept_batches(&self) -> Result<Vec<(i64, i64)>>;

    // --- lexicon ---------------------------------------------------------

    /// Every entry from `lang_a` to `lang_b` with at least `min_weight`:
    /// `f(a, b, weight)`.
    fn for_each_lexicon(
        &self,
        lang_a: &str,
        lang_b: &str,
        min_weight: f64,
        f: &mut dyn FnMut(&str, &str, f64),
    ) -> Result<()>;

    /// The entries from `lang_a` to `lang_b` whose `a` is `a`: `f(b, weight)`.
    fn for_each_lexicon_of(
        &self,
        lang_a: &str,
        lang_b: &str,
        a: &str,
        min_weight: f64,
        f: &mut dyn FnMut(&str, f64),
    ) -> Result<()>;

    /// Every entry, with its source and batch: `f(entry, source, batch)`.
    fn for_each_lexicon_entry(&self, f: &mut LexiconRows<'_>) -> Result<()>;

    /// Entries per language pair and source.
    fn lexicon_counts(&self) -> Result<Vec<LexiconCount>>;

    /// Entries whose `a` or `b` is `key` (folded), at most `limit`.
    fn lexicon_lookup(&self, key: &str, limit: usize) -> Result<Vec<LexiconEntry>>;

    // --- the fuzzy index -------------------------------------------------

    /// The stored index of a language, segment by segment: `f(segment,
    /// entries)` where `entries` are the indices of the segment's entries
    /// that are current (units changed since the segment was written are
    /// left out, and passed at the end in a segment of their own, read
    /// from their current text).
    fn for_each_index_segment(
        &self,
        lang: &Lang,
        f: &mut dyn FnMut(&Segment, &mut dyn Iterator<Item = usize>),
    ) -> Result<()>;

    /// The stored entries of a language's units above `after` (newer than
    /// an index file), leaving out units changed since it was written
    /// (their current text comes from [`Reader::variants_of`]).
    fn for_each_index_segment_after(
        &self,
        lang: &Lang,
        after: i64,
        f: &mut dyn FnMut(&Segment, &mut dyn Iterator<Item = usize>),
    ) -> Result<()>;

    /// What the stored index reflects now.
    fn index_state(&self) -> Result<IndexState>;

    /// Units deleted or changed since change-log position `seq`.
    fn changed_units(&self, seq: i64) -> Result<Vec<i64>>;

    /// The current text (without markup) of some units in `lang`:
    /// `f(unit, recency, text)`; units without that language are skipped.
    fn variants_of(
        &self,
        lang: &Lang,
        units: &[i64],
        f: &mut dyn FnMut(i64, i64, &str) -> Result<()>,
    ) -> Result<()>;

    /// Index size per language.
    fn index_sizes(&self) -> Result<Vec<IndexSize>>;

    // --- everything --------------------------------------------------------

    /// Counts of everything, for `polytm stats`.
    fn stats(&self) -> Result<Stats>;

    /// The few counts a server's front page shows (cheaper than `stats`).
    fn summary(&self) -> Result<Summary>;
}

/// The one write transaction. Dropped without [`Writer::commit`], nothing
/// it did is kept.
pub trait Writer: Reader {
    /// Make everything written visible, at once.
    fn commit(self: Box<Self>) -> Result<()>;

    /// Record a batch (one import, alignment, glossary import ...).
    fn new_batch(&mut self, kind: &str, source: &str) -> Result<i64>;

    /// Remove what a batch wrote, and the batch. `None`: no such batch.
    fn remove_batch(&mut self, id: i64) -> Result<Option<Removed>>;

    /// Record a document; its id.
    fn add_document(&mut self, doc: &NewDocument) -> Result<i64>;

    /// Remove a document and its units; how many units went.
    fn remove_document(&mut self, id: i64) -> Result<usize>;

    /// Set the language tags a document is written in.
    fn set_document_langs(&mut self, id: i64, langs: &[String]) -> Result<()>;

    /// Start writing units for a batch: every path that adds units goes
    /// through a sink, so duplicate detection and index maintenance are in
    /// one place per backend.
    fn units(&mut self, batch: i64, policy: OnDuplicate) -> Result<Box<dyn UnitSink + '_>>;

    /// Delete units by id; how many existed.
    fn delete_units(&mut self, ids: &[i64]) -> Result<usize>;

    /// Set the text of one language of a unit (adding the language when
    /// the unit lacks it). False when there is no such unit.
    fn set_variant(&mut self, unit: i64, variant: &NewVariant) -> Result<bool>;

    /// Remove one language of a unit. False when the unit lacks it.
    fn remove_variant(&mut self, unit: i64, lang: &Lang) -> Result<bool>;

    /// Recreate the fuzzy index from the units' texts.
    fn rebuild_index(&mut self) -> Result<()>;

    // --- glossary primitives (the merge rules are `polytm_glossary::merge`)

    /// A new concept without terms; its id.
    fn insert_concept(
        &mut self,
        domain: Option<&str>,
        note: Option<&str>,
        source: Option<&str>,
        batch: Option<i64>,
    ) -> Result<i64>;

    /// Change a concept's fields and record that it changed now.
    fn update_concept(&mut self, id: i64, fields: &ConceptFields) -> Result<()>;

    /// Delete concepts and their terms; how many existed.
    fn delete_concepts(&mut self, ids: &[i64]) -> Result<usize>;

    /// A new term of a concept; its id.
    fn insert_term(
        &mut self,
        concept: i64,
        term: &NewTerm,
        status: TermStatus,
        position: i64,
    ) -> Result<i64>;

    /// Set a term's status and position.
    fn update_term(&mut self, term: i64, status: TermStatus, position: i64) -> Result<()>;

    /// Delete a term; whether it existed.
    fn delete_term(&mut self, term: i64) -> Result<bool>;

    // --- lexicon ---------------------------------------------------------

    /// Add an entry (already folded), or raise the weight of the one there.
    /// True when it was new.
    fn add_lexicon_entry(&mut self, batch: i64, source: &str, entry: &LexiconEntry)
    -> Result<bool>;
}

/// Writes the units of one batch.
pub trait UnitSink {
    /// Add one unit, by the batch's duplicate policy.
    fn add(&mut self, unit: &NewUnit) -> Result<Written>;

    /// End the run: bring derived data (the fuzzy index) up to date.
    fn finish(self: Box<Self>) -> Result<WriteStats>;
}

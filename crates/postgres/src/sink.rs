//! Writing units: the PostgreSQL side of `UnitSink`. Duplicate detection
//! as in the SQLite backend (content hashes; a large run loads the TM's
//! hashes once, so new units need no query); added units are buffered and
//! written with `COPY` a few thousand at a time.

use std::collections::HashMap;
use std::io::Write;

use polytm_core::{Error, Result};
use polytm_store::duplicates::{DuplicateFilter, LOAD_KNOWN_MAX};
use polytm_store::{NewUnit, OnDuplicate, UnitSink, WriteStats, Written};
use polytm_text::lang::Lang;

use crate::ops::{self, Conn};
use crate::pg_error;

/// Units buffered before they are copied in.
const FLUSH_AT: usize = 8192;

pub struct PgSink<'a> {
    c: &'a Conn,
    batch: i64,
    policy: OnDuplicate,
    now: String,
    stats: WriteStats,
    next_id: Option<i64>,
    /// Content hashes of the run and, once it is large, of the TM.
    dups: DuplicateFilter,
    /// Content hashes of the buffered units.
    pending: HashMap<i64, i64>,
    /// Units buffered.
    buffered: usize,
    units: String,
    variants: String,
    /// The index on `units.src_hash` is known to exist.
    src_index: bool,
}

impl<'a> PgSink<'a> {
    pub fn new(c: &'a Conn, batch: i64, policy: OnDuplicate) -> PgSink<'a> {
        PgSink {
            c,
            batch,
            policy,
            now: polytm_store::now(),
            stats: WriteStats::default(),
            next_id: None,
            dups: DuplicateFilter::new(),
            pending: HashMap::new(),
            buffered: 0,
            units: String::new(),
            variants: String::new(),
            src_index: false,
        }
    }

    /// The content hashes of all units, the buffered ones too, unless
    /// there are too many to keep.
    fn load_known(c: &Conn, pending: &HashMap<i64, i64>) -> Result<Option<Vec<i64>>> {
        let n: i64 = ops::query_one(c, "SELECT count(*) FROM units", &[])?.get(0);
        if n > LOAD_KNOWN_MAX {
            return Ok(None);
        }
        let mut hashes = Vec::with_capacity(n as usize + pending.len());
        ops::stream(c, "SELECT content_hash FROM units", &[], &mut |r| {
            hashes.push(r.get::<_, i64>(0));
            Ok(())
        })?;
        hashes.extend(pending.keys().copied());
        Ok(Some(hashes))
    }

    /// Copy the buffered units in.
    fn flush(&mut self) -> Result<()> {
        if self.buffered == 0 {
            return Ok(());
        }
        let mut c = self.c.borrow_mut();
        for (sql, data) in [
            (
                "COPY units (id, document_id, batch_id, origin, confidence, position, src_lang, tuid,
                             props, content_hash, src_hash, created_at, changed_at, reviewed) FROM STDIN",
                &self.units,
            ),
            (
                "COPY variants (unit_id, lang, tag, text, plain) FROM STDIN",
                &self.variants,
            ),
        ] {
            let mut w = c.copy_in(sql).map_err(pg_error)?;
            w.write_all(data.as_bytes()).map_err(|e| Error::Db {
                file: String::new(),
                msg: format!("writing units: {e}"),
            })?;
            w.finish().map_err(pg_error)?;
        }
        self.units.clear();
        self.variants.clear();
        self.pending.clear();
        self.buffered = 0;
        Ok(())
    }

    fn existing(&self, sql: &str, hash: i64) -> Result<Option<i64>> {
        Ok(ops::query_opt(self.c, sql, &[&hash])?.map(|r| r.get(0)))
    }
}

/// A field of COPY's text format.
fn field(out: &mut String, v: Option<&str>) {
    match v {
        None => out.push_str("\\N"),
        Some(s) => {
            for ch in s.chars() {
                match ch {
                    '\\' => out.push_str("\\\\"),
                    '\t' => out.push_str("\\t"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    c => out.push(c),
                }
            }
        }
    }
}

fn row(out: &mut String, fields: &[Option<&str>]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push('\t');
        }
        field(out, *f);
    }
    out.push('\n');
}

impl UnitSink for PgSink<'_> {
    fn add(&mut self, unit: &NewUnit) -> Result<Written> {
        let (hash, src) = self.dups.hashes(unit);
        if self.policy != OnDuplicate::Keep {
            let (c, pending) = (self.c, &self.pending);
            let maybe_there = self.dups.may_exist(hash, || Self::load_known(c, pending))?;
            if let Some(&id) = self.pending.get(&hash) {
                self.stats.skipped += 1;
                return Ok(Written::Skipped(id));
            }
            if maybe_there
                && let Some(id) = self.existing(
                    "SELECT id FROM units WHERE content_hash = $1 ORDER BY id LIMIT 1",
                    hash,
                )?
            {
                self.stats.skipped += 1;
                return Ok(Written::Skipped(id));
            }
        }
        if self.policy == OnDuplicate::Overwrite
            && let Some(sh) = src
        {
            self.flush()?;
            if !self.src_index {
                ops::batch(
                    self.c,
                    "CREATE INDEX IF NOT EXISTS units_src ON units(src_hash)",
                )?;
                self.src_index = true;
            }
            if let Some(id) = self.existing(
                "SELECT id FROM units WHERE src_hash = $1 ORDER BY id DESC LIMIT 1",
                sh,
            )? {
                ops::execute(self.c, "DELETE FROM variants WHERE unit_id = $1", &[&id])?;
                for v in unit.stored_variants() {
                    ops::execute(
                        self.c,
                        "INSERT INTO variants(unit_id, lang, tag, text, plain) VALUES ($1, $2, $3, $4, $5)",
                        &[&id, &v.tag.lang.as_str(), &v.tag.tag, &v.text, &v.plain],
                    )?;
                }
                ops::execute(
                    self.c,
                    "UPDATE units SET content_hash = $2, changed_at = $3, batch_id = $4 WHERE id = $1",
                    &[&id, &hash, &self.now, &self.batch],
                )?;
                self.stats.overwritten += 1;
                return Ok(Written::Overwritten(id));
            }
        }
        let next = match self.next_id {
            Some(n) => n,
            None => {
                ops::query_one(self.c, "SELECT coalesce(max(id), 0) + 1 FROM units", &[])?.get(0)
            }
        };
        let id = unit.id.unwrap_or(next);
        self.next_id = Some(next.max(id + 1));
        let num = |n: Option<i64>| n.map(|n| n.to_string());
        let confidence = unit.confidence.map(|c| c.to_string());
        let (doc, pos, hash_s, src_s, batch) = (
            num(unit.document_id),
            num(unit.position),
            hash.to_string(),
            num(src),
            self.batch.to_string(),
        );
        let id_s = id.to_string();
        row(
            &mut self.units,
            &[
                Some(&id_s),
                doc.as_deref(),
                Some(&batch),
                Some(unit.origin.as_str()),
                confidence.as_deref(),
                pos.as_deref(),
                unit.src_lang.as_ref().map(Lang::as_str),
                unit.tuid.as_deref(),
                unit.props.as_deref(),
                Some(&hash_s),
                src_s.as_deref(),
                Some(unit.created_at.as_deref().unwrap_or(&self.now)),
                unit.changed_at.as_deref(),
                Some(if unit.reviewed { "t" } else { "f" }),
            ],
        );
        for v in unit.stored_variants() {
            row(
                &mut self.variants,
                &[
                    Some(&id_s),
                    Some(v.tag.lang.as_str()),
                    Some(&v.tag.tag),
                    Some(&v.text),
                    v.plain.as_deref(),
                ],
            );
        }
        self.pending.insert(hash, id);
        self.buffered += 1;
        if self.buffered >= FLUSH_AT || self.units.len() >= 16 << 20 {
            self.flush()?;
        }
        self.stats.added += 1;
        Ok(Written::Added(id))
    }

    fn finish(mut self: Box<Self>) -> Result<WriteStats> {
        self.flush()?;
        Ok(self.stats)
    }
}

//! Writing and reading translation units. Every path that adds units
//! (import, align, pretranslate, `POST /api/units`) goes through
//! [`UnitWriter`], so duplicate detection and index maintenance live in one
//! place.

use rusqlite::{Connection, OptionalExtension, params};

use crate::error::Result;
use polytm_store::duplicates::{DuplicateFilter, LOAD_KNOWN_MAX};
use polytm_store::hash::{content_hash, unit_source_hash};
use polytm_store::{
    Neighbours, NewUnit, NewVariant, OnDuplicate, Unit, UnitPair, Variant, WriteStats, Written,
};
use polytm_text::lang::{Lang, LangTag};

/// Writes units inside one transaction with prepared statements.
pub struct UnitWriter<'t> {
    tx: &'t Connection,
    batch_id: i64,
    policy: OnDuplicate,
    now: String,
    pub stats: WriteStats,
    /// Units added or changed in this run, for the index to take in.
    pub touched: Vec<i64>,
    /// Keeps the fuzzy index current (see `store::index`).
    index: super::index::IndexFeed,
    /// Content hashes of the run and, once it is large, of the TM.
    dups: DuplicateFilter,
    /// The two statements of every added unit, prepared on first use.
    insert_unit: Option<rusqlite::Statement<'t>>,
    insert_variant: Option<rusqlite::Statement<'t>>,
    /// The index on `units.src_hash` is known to exist (overwrite runs:
    /// see schema migration 3).
    src_index: bool,
}

impl<'t> UnitWriter<'t> {
    pub fn new(tx: &'t Connection, batch_id: i64, policy: OnDuplicate) -> UnitWriter<'t> {
        UnitWriter {
            tx,
            batch_id,
            policy,
            now: polytm_store::now(),
            stats: WriteStats::default(),
            touched: Vec::new(),
            index: super::index::IndexFeed::new(),
            dups: DuplicateFilter::new(),
            insert_unit: None,
            insert_variant: None,
            src_index: false,
        }
    }

    /// With index segments of at most `cap` variants (tests: segments fill
    /// and are stored during the run without a run of 65,536 units).
    #[cfg(test)]
    pub(crate) fn with_segment_cap(
        tx: &'t Connection,
        batch_id: i64,
        policy: OnDuplicate,
        cap: usize,
    ) -> UnitWriter<'t> {
        let mut w = UnitWriter::new(tx, batch_id, policy);
        w.index = super::index::IndexFeed::with_cap(cap);
        w
    }

    /// The content hashes of all units, unless there are too many to keep.
    fn load_known(tx: &Connection) -> Result<Option<Vec<i64>>> {
        let n: i64 = tx.query_row("SELECT count(*) FROM units", [], |r| r.get(0))?;
        if n > LOAD_KNOWN_MAX {
            return Ok(None);
        }
        let mut hashes = Vec::with_capacity(n as usize);
        let mut st = tx.prepare("SELECT content_hash FROM units")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            hashes.push(r.get::<_, i64>(0)?);
        }
        Ok(Some(hashes))
    }

    pub fn add(&mut self, unit: &NewUnit) -> Result<Written> {
        let (hash, src) = self.dups.hashes(unit);
        if self.policy != OnDuplicate::Keep {
            let tx = self.tx;
            if self.dups.may_exist(hash, || Self::load_known(tx))? {
                let mut q = self
                    .tx
                    .prepare_cached("SELECT id FROM units WHERE content_hash = ?1 LIMIT 1")?;
                if let Some(id) = q.query_row([hash], |r| r.get::<_, i64>(0)).optional()? {
                    self.stats.skipped += 1;
                    return Ok(Written::Skipped(id));
                }
            }
        }
        if self.policy == OnDuplicate::Overwrite
            && let Some(sh) = src
        {
            if !self.src_index {
                // Only overwrite runs look units up by source text: the
                // index is made by the first of them (about a second per
                // million units), and kept from then on, so a TM that is
                // never overwritten into does not pay for it on every
                // import.
                self.tx
                    .execute_batch("CREATE INDEX IF NOT EXISTS units_src ON units(src_hash)")?;
                self.src_index = true;
            }
            let mut q = self.tx.prepare_cached(
                "SELECT id FROM units WHERE src_hash = ?1 ORDER BY id DESC LIMIT 1",
            )?;
            if let Some(id) = q.query_row([sh], |r| r.get::<_, i64>(0)).optional()? {
                self.tx
                    .prepare_cached("DELETE FROM variants WHERE unit_id = ?1")?
                    .execute([id])?;
                self.insert_variants(id, unit)?;
                // The deletion and the update mark the unit stale: the
                // index takes its new text in at `finish`.
                self.tx
                    .prepare_cached(
                        "UPDATE units SET content_hash = ?2, changed_at = ?3, batch_id = ?4 WHERE id = ?1",
                    )?
                    .execute(params![id, hash, self.now, self.batch_id])?;
                self.stats.overwritten += 1;
                self.touched.push(id);
                return Ok(Written::Overwritten(id));
            }
        }
        let insert = match &mut self.insert_unit {
            Some(st) => st,
            None => self.insert_unit.insert(self.tx.prepare(
                "INSERT INTO units(document_id, batch_id, origin, confidence, position, src_lang,
                                   tuid, props, content_hash, src_hash, created_at, changed_at, reviewed, id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            )?),
        };
        insert.execute(params![
            unit.document_id,
            self.batch_id,
            unit.origin.as_str(),
            unit.confidence,
            unit.position,
            unit.src_lang.as_ref().map(Lang::as_str),
            unit.tuid,
            unit.props,
            hash,
            src,
            unit.created_at.as_deref().unwrap_or(&self.now),
            unit.changed_at,
            unit.reviewed,
            unit.id,
        ])?;
        let id = self.tx.last_insert_rowid();
        self.insert_variants(id, unit)?;
        let recency = polytm_store::recency(
            unit.created_at.as_deref().unwrap_or(&self.now),
            unit.changed_at.as_deref(),
        );
        for v in unit.stored_variants() {
            self.index
                .push(self.tx, id, &v.tag.lang, recency, v.plain())?;
        }
        self.stats.added += 1;
        self.touched.push(id);
        Ok(Written::Added(id))
    }

    fn insert_variants(&mut self, id: i64, unit: &NewUnit) -> Result<()> {
        let st = match &mut self.insert_variant {
            Some(st) => st,
            None => self.insert_variant.insert(self.tx.prepare(
                "INSERT INTO variants(unit_id, lang, tag, text, plain) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?),
        };
        for v in unit.stored_variants() {
            st.execute(params![id, v.tag.lang.as_str(), v.tag.tag, v.text, v.plain])?;
        }
        Ok(())
    }

    /// End the run: bring derived data (the fuzzy index) up to date.
    pub fn finish(self) -> Result<WriteStats> {
        let UnitWriter {
            tx, index, stats, ..
        } = self;
        index.finish(tx)?;
        Ok(stats)
    }
}

/// Delete units by id (and their variants). The one place units are
/// removed, so derived data (the fuzzy index) is kept in step here.
pub fn delete_units(tx: &Connection, ids: &[i64]) -> Result<usize> {
    let mut st = tx.prepare_cached("DELETE FROM units WHERE id = ?1")?;
    let mut n = 0;
    for id in ids {
        n += st.execute([id])?;
    }
    // The triggers marked them stale; drop them from the fuzzy index now.
    super::index::maintain(tx, &[])?;
    Ok(n)
}

/// Set the text of one language of a unit (adding the language when the
/// unit does not have it). The one place a stored unit's text changes, so
/// its hashes and derived data (the fuzzy index) are kept in step here.
/// Returns false when there is no such unit.
pub fn set_variant(tx: &Connection, id: i64, variant: &NewVariant) -> Result<bool> {
    if !unit_exists(tx, id)? {
        return Ok(false);
    }
    tx.prepare_cached(
        "INSERT OR REPLACE INTO variants(unit_id, lang, tag, text, plain) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        id,
        variant.tag.lang.as_str(),
        variant.tag.tag,
        variant.text,
        variant.plain
    ])?;
    rehash(tx, id)?;
    Ok(true)
}

/// Remove one language of a unit. Returns false when the unit does not
/// have it.
pub fn remove_variant(tx: &Connection, id: i64, lang: &Lang) -> Result<bool> {
    let n = tx
        .prepare_cached("DELETE FROM variants WHERE unit_id = ?1 AND lang = ?2")?
        .execute(params![id, lang.as_str()])?;
    if n == 0 {
        return Ok(false);
    }
    rehash(tx, id)?;
    Ok(true)
}

fn unit_exists(tx: &Connection, id: i64) -> Result<bool> {
    Ok(tx
        .prepare_cached("SELECT 1 FROM units WHERE id = ?1")?
        .query_row([id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Recompute a unit's content and source hashes from its variants; mark it
/// changed now.
fn rehash(tx: &Connection, id: i64) -> Result<()> {
    let src: Option<String> = tx
        .prepare_cached("SELECT src_lang FROM units WHERE id = ?1")?
        .query_row([id], |r| r.get(0))?;
    let mut st = tx.prepare_cached("SELECT lang, tag, text FROM variants WHERE unit_id = ?1")?;
    let variants: Vec<NewVariant> = st
        .query_map([id], |r| {
            let tag = LangTag {
                lang: Lang::from_key(&r.get::<_, String>(0)?),
                tag: r.get(1)?,
            };
            Ok(NewVariant::new(tag, r.get::<_, String>(2)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let hash = content_hash(&variants);
    let src_hash = unit_source_hash(src.map(|s| Lang::from_key(&s)).as_ref(), &variants);
    tx.prepare_cached(
        "UPDATE units SET content_hash = ?2, src_hash = ?3, changed_at = ?4 WHERE id = ?1",
    )?
    .execute(params![id, hash, src_hash, polytm_store::now()])?;
    // The update marked the unit stale: re-index it now.
    super::index::maintain(tx, &[])?;
    Ok(())
}

/// Ids of the units of a document.
pub fn units_of_document(conn: &Connection, document_id: i64) -> Result<Vec<i64>> {
    let mut st = conn.prepare_cached("SELECT id FROM units WHERE document_id = ?1 ORDER BY id")?;
    let ids = st
        .query_map([document_id], |r| r.get(0))?
        .collect::<std::result::Result<_, _>>()?;
    Ok(ids)
}

/// The texts in `lang` of the units before and after unit `id` in its
/// document, by position (the nearest positions that have a text in
/// `lang`); `None` when the unit has no document or position.
pub fn neighbours(conn: &Connection, id: i64, lang: &Lang) -> Result<Option<Neighbours>> {
    let head: Option<(Option<i64>, Option<i64>)> = conn
        .prepare_cached("SELECT document_id, position FROM units WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((Some(doc), Some(pos))) = head else {
        return Ok(None);
    };
    let side = |sql: &str| -> Result<Option<String>> {
        Ok(conn
            .prepare_cached(sql)?
            .query_row((doc, pos, lang.as_str()), |r| r.get(0))
            .optional()?)
    };
    let prev = side(
        "SELECT coalesce(v.plain, v.text) FROM units u
         JOIN variants v ON v.unit_id = u.id AND v.lang = ?3
         WHERE u.document_id = ?1 AND u.position < ?2
         ORDER BY u.position DESC LIMIT 1",
    )?;
    let next = side(
        "SELECT coalesce(v.plain, v.text) FROM units u
         JOIN variants v ON v.unit_id = u.id AND v.lang = ?3
         WHERE u.document_id = ?1 AND u.position > ?2
         ORDER BY u.position LIMIT 1",
    )?;
    Ok(Some(Neighbours { prev, next }))
}

/// Ids of the units written by a batch.
pub fn units_of_batch(conn: &Connection, batch_id: i64) -> Result<Vec<i64>> {
    let mut st = conn.prepare_cached("SELECT id FROM units WHERE batch_id = ?1 ORDER BY id")?;
    let ids = st
        .query_map([batch_id], |r| r.get(0))?
        .collect::<std::result::Result<_, _>>()?;
    Ok(ids)
}

/// A unit without its variants from a row of `u.id, d.name, u.document_id,
/// u.batch_id, u.origin, u.confidence, u.position, u.src_lang, u.tuid,
/// u.created_at, u.changed_at, u.props, u.reviewed`.
fn unit_head(r: &rusqlite::Row) -> rusqlite::Result<Unit> {
    Ok(Unit {
        id: r.get(0)?,
        document: r.get(1)?,
        document_id: r.get(2)?,
        batch: r.get(3)?,
        origin: r.get(4)?,
        confidence: r.get(5)?,
        position: r.get(6)?,
        src_lang: r.get(7)?,
        tuid: r.get(8)?,
        created_at: r.get(9)?,
        changed_at: r.get(10)?,
        props: r.get(11)?,
        reviewed: r.get(12)?,
        variants: Vec::new(),
    })
}

/// Read one unit with all its variants, the source language first.
pub fn get(conn: &Connection, id: i64) -> Result<Option<Unit>> {
    let head = conn
        .prepare_cached(
            "SELECT u.id, d.name, u.document_id, u.batch_id, u.origin, u.confidence, u.position,
                    u.src_lang, u.tuid, u.created_at, u.changed_at, u.props, u.reviewed
             FROM units u LEFT JOIN documents d ON d.id = u.document_id WHERE u.id = ?1",
        )?
        .query_row([id], unit_head)
        .optional()?;
    let Some(mut u) = head else {
        return Ok(None);
    };
    let mut st = conn.prepare_cached(
        "SELECT lang, tag, text, plain FROM variants WHERE unit_id = ?1
         ORDER BY lang <> coalesce(?2, ''), lang",
    )?;
    u.variants = st
        .query_map((id, &u.src_lang), |r| {
            Ok(Variant {
                lang: Lang::from_key(&r.get::<_, String>(0)?),
                tag: r.get(1)?,
                text: r.get(2)?,
                plain: r.get(3)?,
            })
        })?
        .collect::<std::result::Result<_, _>>()?;
    Ok(Some(u))
}

/// Every unit with its variants (the source language first), in id order.
pub fn for_each_unit(
    conn: &Connection,
    f: &mut dyn FnMut(&Unit) -> polytm_core::Result<()>,
) -> Result<()> {
    let mut st = conn.prepare(
        "SELECT u.id, d.name, u.document_id, u.batch_id, u.origin, u.confidence, u.position,
                u.src_lang, u.tuid, u.created_at, u.changed_at, u.props, u.reviewed,
                v.lang, v.tag, v.text, v.plain
         FROM units u LEFT JOIN documents d ON d.id = u.document_id
              LEFT JOIN variants v ON v.unit_id = u.id
         ORDER BY u.id, v.lang",
    )?;
    let mut rows = st.query([])?;
    let mut cur: Option<Unit> = None;
    let done = |mut u: Unit, f: &mut dyn FnMut(&Unit) -> polytm_core::Result<()>| {
        let src = u.src_lang.clone().unwrap_or_default();
        u.variants.sort_by(|a, b| {
            (a.lang.as_str() != src, a.lang.as_str())
                .cmp(&(b.lang.as_str() != src, b.lang.as_str()))
        });
        f(&u)
    };
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        if cur.as_ref().is_some_and(|u| u.id != id)
            && let Some(u) = cur.take()
        {
            done(u, f)?;
        }
        let u = match cur.as_mut() {
            Some(u) => u,
            None => cur.insert(unit_head(r)?),
        };
        if let Some(lang) = r.get::<_, Option<String>>(13)? {
            u.variants.push(Variant {
                lang: Lang::from_key(&lang),
                tag: r.get(14)?,
                text: r.get(15)?,
                plain: r.get(16)?,
            });
        }
    }
    if let Some(u) = cur.take() {
        done(u, f)?;
    }
    Ok(())
}

const PAIR_SQL: &str = "SELECT coalesce(s.plain, s.text), coalesce(t.plain, t.text), d.name,
                coalesce(u.changed_at, u.created_at), CASE WHEN t.plain IS NULL THEN NULL ELSE t.text END,
                u.reviewed, u.origin, s.plain IS NOT NULL
         FROM units u
         JOIN variants s ON s.unit_id = u.id AND s.lang = ?2
         JOIN variants t ON t.unit_id = u.id AND t.lang = ?3
         LEFT JOIN documents d ON d.id = u.document_id
         WHERE u.id = ?1";

/// The source and target of a unit, as a proposal shows them.
pub fn pair(conn: &Connection, id: i64, from: &Lang, to: &Lang) -> Result<Option<UnitPair>> {
    let mut st = conn.prepare_cached(PAIR_SQL)?;
    Ok(st
        .query_row((id, from.as_str(), to.as_str()), |r| {
            Ok(UnitPair {
                source: r.get(0)?,
                target: r.get(1)?,
                target_markup: r.get(4)?,
                document: r.get(2)?,
                date: r.get(3)?,
                reviewed: r.get(5)?,
                origin: r.get(6)?,
                source_markup: r.get(7)?,
            })
        })
        .optional()?)
}

/// Every variant of a language, in unit order: `f(unit, recency, plain text)`.
pub fn for_each_variant(
    conn: &Connection,
    lang: &Lang,
    f: &mut dyn FnMut(i64, i64, &str) -> polytm_core::Result<()>,
) -> Result<()> {
    let mut st = conn.prepare_cached(
        "SELECT v.unit_id, u.created_at, u.changed_at, coalesce(v.plain, v.text)
         FROM variants v JOIN units u ON u.id = v.unit_id WHERE v.lang = ?1 ORDER BY v.unit_id",
    )?;
    let mut rows = st.query([lang.as_str()])?;
    while let Some(r) = rows.next()? {
        let created: String = r.get(1)?;
        let changed: Option<String> = r.get(2)?;
        let text = r.get_ref(3)?.as_str().map_err(rusqlite::Error::from)?;
        f(
            r.get(0)?,
            polytm_store::recency(&created, changed.as_deref()),
            text,
        )?;
    }
    Ok(())
}

/// The current text of some units in `lang`: `f(unit, recency, plain text)`.
pub fn variants_of(
    conn: &Connection,
    lang: &Lang,
    units: &[i64],
    f: &mut dyn FnMut(i64, i64, &str) -> polytm_core::Result<()>,
) -> Result<()> {
    let mut st = conn.prepare_cached(
        "SELECT u.created_at, u.changed_at, coalesce(v.plain, v.text)
         FROM variants v JOIN units u ON u.id = v.unit_id WHERE v.unit_id = ?1 AND v.lang = ?2",
    )?;
    for &unit in units {
        let mut rows = st.query(params![unit, lang.as_str()])?;
        if let Some(r) = rows.next()? {
            let created: String = r.get(0)?;
            let changed: Option<String> = r.get(1)?;
            let text = r.get_ref(2)?.as_str().map_err(rusqlite::Error::from)?;
            f(
                unit,
                polytm_store::recency(&created, changed.as_deref()),
                text,
            )?;
        }
    }
    Ok(())
}

/// Texts of units having both languages, most recent first, at most `limit`.
pub fn pair_texts(
    conn: &Connection,
    a: &Lang,
    b: &Lang,
    limit: usize,
) -> Result<Vec<(String, String)>> {
    let mut st = conn.prepare_cached(
        "SELECT a.text, b.text FROM variants a JOIN variants b ON a.unit_id = b.unit_id
         WHERE a.lang = ?1 AND b.lang = ?2 ORDER BY a.unit_id DESC LIMIT ?3",
    )?;
    let rows = st
        .query_map(params![a.as_str(), b.as_str(), limit as i64], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Store, new_batch};
    use polytm_store::Origin;

    fn v(tag: &str, text: &str) -> NewVariant {
        NewVariant::new(LangTag::parse(tag).unwrap(), text)
    }

    fn count(s: &Store, sql: &str) -> i64 {
        s.conn.query_row(sql, [], |r| r.get(0)).unwrap()
    }

    #[test]
    fn skip_policy_makes_identical_units_one() {
        let mut s = Store::in_memory().unwrap();
        let tx = s.transaction().unwrap();
        let b = new_batch(&tx, "import", "t.tsv").unwrap();
        let mut w = UnitWriter::new(&tx, b, OnDuplicate::Skip);
        let u = NewUnit::new(
            Origin::Imported,
            vec![v("en-US", "Hello"), v("ru", "Привет")],
        );
        assert!(matches!(w.add(&u).unwrap(), Written::Added(_)));
        // the same text under another tag of the same language is the same unit
        let u2 = NewUnit::new(
            Origin::Imported,
            vec![v("ru-RU", "Привет"), v("en", "Hello")],
        );
        assert!(matches!(w.add(&u2).unwrap(), Written::Skipped(_)));
        let stats = w.finish().unwrap();
        assert_eq!((stats.added, stats.skipped), (1, 1));
        tx.commit().unwrap();
        assert_eq!(count(&s, "SELECT count(*) FROM units"), 1);
        // text and tag kept exactly
        let unit = get(&s.conn, 1).unwrap().unwrap();
        assert_eq!(unit.variants[0].tag, "en-US");
        assert_eq!(unit.variants[1].text, "Привет");
    }

    #[test]
    fn the_unit_lookup_is_planned_once_not_at_every_run() {
        let mut s = Store::in_memory().unwrap();
        let tx = s.transaction().unwrap();
        let b = new_batch(&tx, "import", "t.tsv").unwrap();
        let mut w = UnitWriter::new(&tx, b, OnDuplicate::Keep);
        for k in 0..3 {
            let u = NewUnit::new(
                Origin::Imported,
                vec![v("en", &format!("File {k}")), v("ru", &format!("Файл {k}"))],
            );
            w.add(&u).unwrap();
        }
        w.finish().unwrap();
        tx.commit().unwrap();
        for id in [1, 2, 3, 1, 2] {
            let p = pair(&s.conn, id, &Lang::en(), &Lang::ru())
                .unwrap()
                .unwrap();
            assert_eq!(p.target, format!("Файл {}", id - 1));
        }
        // (SQLite re-prepared it at each new binding before: five times
        // the parse and the plan of a four-table join per proposal)
        let st = s.conn.prepare_cached(PAIR_SQL).unwrap();
        assert_eq!(st.get_status(rusqlite::StatementStatus::RePrepare), 0);
    }

    #[test]
    fn overwrite_replaces_target_of_same_source() {
        let mut s = Store::in_memory().unwrap();
        let tx = s.transaction().unwrap();
        let b = new_batch(&tx, "import", "t.tsv").unwrap();
        let mut w = UnitWriter::new(&tx, b, OnDuplicate::Overwrite);
        let mut u = NewUnit::new(Origin::Imported, vec![v("en", "File"), v("ru", "Файл")]);
        u.src_lang = Some(Lang::en());
        w.add(&u).unwrap();
        u.variants[1].text = "Файл (новый)".into();
        assert!(matches!(w.add(&u).unwrap(), Written::Overwritten(1)));
        w.finish().unwrap();
        tx.commit().unwrap();
        assert_eq!(count(&s, "SELECT count(*) FROM units"), 1);
        let unit = get(&s.conn, 1).unwrap().unwrap();
        assert_eq!(unit.variants[1].text, "Файл (новый)");
    }

    #[test]
    fn keep_policy_adds_duplicates_and_text_is_verbatim() {
        let mut s = Store::in_memory().unwrap();
        let tx = s.transaction().unwrap();
        let b = new_batch(&tx, "import", "t.tsv").unwrap();
        let mut w = UnitWriter::new(&tx, b, OnDuplicate::Keep);
        let raw = "  two  spaces \\n and \"quotes\" ";
        let u = NewUnit::new(Origin::Imported, vec![v("en", raw), v("zh-CN", "两个")]);
        w.add(&u).unwrap();
        w.add(&u).unwrap();
        w.finish().unwrap();
        tx.commit().unwrap();
        assert_eq!(count(&s, "SELECT count(*) FROM units"), 2);
        let unit = get(&s.conn, 2).unwrap().unwrap();
        assert_eq!(unit.variants[0].text, raw);
        assert_eq!(unit.variants[1].lang.as_str(), "zh");
        assert_eq!(unit.variants[1].tag, "zh-CN");
    }

    #[test]
    fn set_and_remove_variant_rehash() {
        let mut s = Store::in_memory().unwrap();
        let tx = s.transaction().unwrap();
        let b = new_batch(&tx, "import", "t.tsv").unwrap();
        let mut w = UnitWriter::new(&tx, b, OnDuplicate::Skip);
        let mut u = NewUnit::new(Origin::Imported, vec![v("en", "File"), v("ru", "Фаил")]);
        u.src_lang = Some(Lang::en());
        w.add(&u).unwrap();
        w.finish().unwrap();
        assert!(set_variant(&tx, 1, &v("ru", "Файл")).unwrap());
        assert!(set_variant(&tx, 1, &v("zh-CN", "文件")).unwrap());
        assert!(!set_variant(&tx, 99, &v("ru", "x")).unwrap());
        let fixed = NewUnit::new(
            Origin::Imported,
            vec![v("en", "File"), v("ru", "Файл"), v("zh", "文件")],
        );
        let h: i64 = tx
            .query_row("SELECT content_hash FROM units WHERE id = 1", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(h, content_hash(&fixed.variants));
        assert!(remove_variant(&tx, 1, &Lang::zh()).unwrap());
        assert!(!remove_variant(&tx, 1, &Lang::zh()).unwrap());
        // the edited unit is now found as a duplicate of its new text
        let mut w = UnitWriter::new(&tx, b, OnDuplicate::Skip);
        let again = NewUnit::new(Origin::Imported, vec![v("en", "File"), v("ru", "Файл")]);
        assert_eq!(w.add(&again).unwrap(), Written::Skipped(1));
        let changed: Option<String> = tx
            .query_row("SELECT changed_at FROM units WHERE id = 1", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert!(changed.is_some());
    }

    #[test]
    fn large_runs_still_find_duplicates_and_overwrite() {
        let mut s = Store::in_memory().unwrap();
        let tx = s.transaction().unwrap();
        let b = new_batch(&tx, "import", "t.tsv").unwrap();
        let n = polytm_store::duplicates::LOAD_KNOWN_AFTER + 100;
        let unit = |i: usize, t: &str| {
            let mut u = NewUnit::new(
                Origin::Imported,
                vec![
                    v("en", &format!("source {i}")),
                    v("ru", &format!("{t} {i}")),
                ],
            );
            u.src_lang = Some(Lang::en());
            u
        };
        let mut w = UnitWriter::new(&tx, b, OnDuplicate::Skip);
        for i in 0..n {
            assert!(matches!(
                w.add(&unit(i, "цель")).unwrap(),
                Written::Added(_)
            ));
        }
        assert!(w.dups.knows_the_tm());
        // duplicates from before and after the hashes were loaded
        assert_eq!(w.add(&unit(1, "цель")).unwrap(), Written::Skipped(2));
        assert_eq!(
            w.add(&unit(n - 1, "цель")).unwrap(),
            Written::Skipped(n as i64)
        );
        w.finish().unwrap();
        let mut w = UnitWriter::new(&tx, b, OnDuplicate::Overwrite);
        for i in 0..n {
            assert!(matches!(
                w.add(&unit(i, "новая")).unwrap(),
                Written::Overwritten(_)
            ));
        }
        // back to the first text: the stale hash does not make it a duplicate
        assert!(matches!(
            w.add(&unit(0, "цель")).unwrap(),
            Written::Overwritten(1)
        ));
        assert_eq!(w.add(&unit(0, "цель")).unwrap(), Written::Skipped(1));
        w.finish().unwrap();
        let units: i64 = tx
            .query_row("SELECT count(*) FROM units", [], |r| r.get(0))
            .unwrap();
        assert_eq!(units, n as i64);
    }

    #[test]
    fn deleting_a_batch_removes_its_units() {
        let mut s = Store::in_memory().unwrap();
        let tx = s.transaction().unwrap();
        let b = new_batch(&tx, "import", "t.tsv").unwrap();
        let mut w = UnitWriter::new(&tx, b, OnDuplicate::Skip);
        w.add(&NewUnit::new(
            Origin::Imported,
            vec![v("en", "a"), v("ru", "а")],
        ))
        .unwrap();
        w.finish().unwrap();
        tx.commit().unwrap();
        s.conn
            .execute("DELETE FROM batches WHERE id = ?1", [b])
            .unwrap();
        assert_eq!(count(&s, "SELECT count(*) FROM units"), 0);
        assert_eq!(count(&s, "SELECT count(*) FROM variants"), 0);
    }
}

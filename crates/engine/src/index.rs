//! The fuzzy index of a TM as searches use it.
//!
//! A file per language is kept beside the database (`polytm.db-fuzzy/en.idx`
//! for a file `polytm.db`; see [`polytm_fuzzy::index::file`]): it is
//! memory-mapped and read in place, so a process opens a million-unit index
//! in milliseconds, touching only the pages a lookup needs. What changed
//! since the file was written (units added, changed or deleted, as the
//! store's change log and unit ids tell) is built in memory on top of it.
//! When there is no file, it belongs to another database or epoch, or it is
//! too far behind, the index is built from the store's segments and the
//! file written again for the next process. The file is derived data: it
//! can be deleted at any time, and a database copied without it works.

use std::path::PathBuf;
use std::sync::Arc;

use rustc_hash::FxHashSet;

use polytm_core::{Progress, Result};
use polytm_fuzzy::index::file::Stamp;
use polytm_fuzzy::index::{LangIndex, TmIndex};
use polytm_store::{Database, IndexState, Reader};
use polytm_text::lang::Lang;

/// A file is rewritten once what changed since is more than this many
/// entries ...
const REBUILD_MIN: usize = 50_000;
/// ... and more than this share of the file's entries (1/n).
const REBUILD_SHARE: usize = 10;

/// The index file of `lang` for a database with cache folder `dir`.
fn file_of(dir: &std::path::Path, lang: &Lang) -> PathBuf {
    dir.join(format!("{}.idx", lang.as_str()))
}

/// The index of `lang` in `db`, ready to search.
pub fn open(db: &dyn Database, lang: &Lang) -> Result<TmIndex> {
    let rd = db.reader()?;
    let state = rd.index_state()?;
    let dir = db.cache_dir();
    // an index file is derived data: one that cannot be read is made again
    if let Some(dir) = &dir
        && let Ok((stamp, base)) = LangIndex::open_file(&file_of(dir, lang), lang)
        && let Some(ix) = layered(rd.as_ref(), &state, Arc::new(base), stamp, lang, true)?
    {
        return Ok(ix);
    }
    if let Some(dir) = &dir {
        // build the file (for this process and the next ones); a folder we
        // cannot write in costs only that: the index is built in memory
        let path = file_of(dir, lang);
        let built = std::fs::create_dir_all(dir).is_ok()
            && LangIndex::build_file(
                lang,
                |visit| rd.for_each_index_segment(lang, visit),
                &path,
                &stamp_of(&state),
            )?
            .is_ok();
        if built && let Ok((stamp, ix)) = LangIndex::open_file(&path, lang) {
            return Ok(TmIndex::layered(
                Arc::new(ix),
                stamp,
                FxHashSet::default(),
                LangIndex::empty_of(lang),
            ));
        }
    }
    let full = LangIndex::load(lang, |visit| rd.for_each_index_segment(lang, visit))?;
    Ok(TmIndex::whole(full))
}

/// The stamp of a file built from the store in `state`.
fn stamp_of(state: &IndexState) -> Stamp {
    Stamp {
        identity: state.identity,
        epoch: state.epoch,
        max_unit: state.max_unit,
        log_seq: state.log_seq,
        entries: 0,
        reserved: [0; 16],
    }
}

/// The file's index with what changed since on top, when the file is the
/// database's and (`bounded`) not too far behind.
fn layered(
    rd: &dyn Reader,
    state: &IndexState,
    base: Arc<LangIndex>,
    stamp: Stamp,
    lang: &Lang,
    bounded: bool,
) -> Result<Option<TmIndex>> {
    if stamp.identity != state.identity
        || stamp.epoch != state.epoch
        || stamp.log_seq > state.log_seq
    {
        return Ok(None);
    }
    let changed = rd.changed_units(stamp.log_seq)?;
    let mut texts: Vec<(i64, i64, String)> = Vec::new();
    rd.variants_of(lang, &changed, &mut |unit, recency, text| {
        texts.push((unit, recency, text.to_string()));
        Ok(())
    })?;
    let changed: FxHashSet<i64> = changed.into_iter().collect();
    let delta = LangIndex::load_with_texts(
        lang,
        |visit| rd.for_each_index_segment_after(lang, stamp.max_unit, visit),
        &changed,
        texts.iter().map(|(u, r, t)| (*u, *r, t.as_str())),
    )?;
    if bounded && delta.len() > REBUILD_MIN.max(base.len() / REBUILD_SHARE) {
        return Ok(None);
    }
    Ok(Some(TmIndex::layered(base, stamp, changed, delta)))
}

/// The index `current` brought up to what `db` holds now, sharing its
/// index file: cheap (what changed since the file was written is read),
/// never a rebuild. `None` when there is no file to share or the database
/// was re-indexed since (then [`open`]).
pub fn update(db: &dyn Database, current: &TmIndex) -> Result<Option<TmIndex>> {
    let Some((base, stamp)) = current.file_base() else {
        return Ok(None);
    };
    let rd = db.reader()?;
    let state = rd.index_state()?;
    layered(
        rd.as_ref(),
        &state,
        base.clone(),
        *stamp,
        current.lang(),
        false,
    )
}

/// Is it time to write the index file again (what changed since it was
/// written is large)?
pub fn worth_rebuilding(ix: &TmIndex) -> bool {
    match ix.file_base() {
        Some((base, _)) => ix.delta_len() > REBUILD_MIN.max(base.len() / REBUILD_SHARE),
        None => false,
    }
}

/// Bring the index files up to date after a write (a large import would
/// make the next process rebuild them): the files of `sources` (the source
/// languages of what was written: queries are most likely in them) and
/// every file there is already. Another language's file is made by the
/// first search in it.
pub fn refresh(db: &dyn Database, sources: &[Lang], progress: &dyn Progress) -> Result<()> {
    let Some(dir) = db.cache_dir() else {
        return Ok(());
    };
    // the pages the import cached are not needed to build the files
    db.release_memory();
    let indexed: Vec<Lang> = db
        .reader()?
        .index_sizes()?
        .into_iter()
        .map(|s| Lang::from_key(&s.lang))
        .collect();
    for lang in indexed {
        if sources.contains(&lang) || file_of(&dir, &lang).exists() {
            progress.check()?;
            open(db, &lang)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::write_units;
    use polytm_sqlite::SqliteDb;
    use polytm_store::{NewUnit, NewVariant, Origin};
    use polytm_text::lang::LangTag;

    fn unit(en: &str, ru: &str) -> NewUnit {
        NewUnit::new(
            Origin::Imported,
            vec![
                NewVariant::new(LangTag::parse("en").unwrap(), en),
                NewVariant::new(LangTag::parse("ru").unwrap(), ru),
            ],
        )
    }

    fn best(ix: &TmIndex, q: &str) -> Vec<(u8, i64)> {
        let mut st = polytm_fuzzy::index::SearchStats::default();
        ix.best(q, 50, 5, false, &mut |_| true, &mut st)
            .into_iter()
            .map(|h| (h.score, h.unit))
            .collect()
    }

    #[test]
    fn the_file_is_written_reused_topped_up_and_rebuilt_when_damaged() {
        let dir = tempfile::tempdir().unwrap();
        let db = SqliteDb::open(&dir.path().join("tm.db")).unwrap();
        write_units(
            &db,
            vec![
                unit("Open the file.", "Откройте файл."),
                unit("Close the file.", "Закройте файл."),
            ],
        );
        let en = Lang::en();
        let first = open(&db, &en).unwrap();
        let file = file_of(&db.cache_dir().unwrap(), &en);
        assert!(file.exists());
        assert_eq!(first.delta_len(), 0);
        // a change and an addition: the file plus what changed since
        let mut tx = db.writer().unwrap();
        tx.set_variant(
            1,
            &NewVariant::new(LangTag::parse("en").unwrap(), "Open the old file."),
        )
        .unwrap();
        tx.commit().unwrap();
        write_units(&db, vec![unit("Save the file.", "Сохраните файл.")]);
        let again = open(&db, &en).unwrap();
        assert_eq!(again.delta_len(), 2);
        assert_eq!(again.len(), 3);
        assert_eq!(best(&again, "Open the old file.")[0], (100, 1));
        assert_eq!(best(&again, "Save the file.")[0], (100, 3));
        assert!(best(&again, "Open the file.").iter().all(|&(s, _)| s < 100));
        // a damaged file is not trusted: rebuilt from the store
        std::fs::write(&file, b"garbage").unwrap();
        let rebuilt = open(&db, &en).unwrap();
        assert_eq!(rebuilt.delta_len(), 0);
        assert_eq!(best(&rebuilt, "Save the file.")[0], (100, 3));
        assert!(LangIndex::open_file(&file, &en).is_ok());
    }
}

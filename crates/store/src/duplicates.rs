//! Duplicate detection of a run of added units, the same for every
//! backend's [`crate::UnitSink`]: the content hash of each unit (and the
//! hash of its source, for `--on-duplicate overwrite`), and once a run is
//! large, the content hashes of the whole TM in memory, so that a new unit
//! (the common case) is known to be new without a query.

use std::collections::HashSet;

use crate::hash::{content_hash_with, unit_source_hash};
use crate::records::NewUnit;

/// Adds after which a run loads the content hashes of the TM.
pub const LOAD_KNOWN_AFTER: usize = 4096;
/// Above this many units the hashes are not loaded (memory): every add is
/// then checked in the database.
pub const LOAD_KNOWN_MAX: i64 = 4_000_000;

/// What a run knows of the content already in the TM.
#[derive(Default)]
pub struct DuplicateFilter {
    /// Once loaded: every content hash of the TM and of this run. Only a
    /// negative filter: a hash found here is still checked in the
    /// database (hashes of different content may be equal).
    known: Option<HashSet<i64, HashIsKey>>,
    adds: usize,
    buf: Vec<u8>,
}

impl DuplicateFilter {
    pub fn new() -> DuplicateFilter {
        DuplicateFilter::default()
    }

    /// The content hash of a unit, and the hash of its source text when
    /// it names its source language.
    pub fn hashes(&mut self, unit: &NewUnit) -> (i64, Option<i64>) {
        let hash = content_hash_with(&mut self.buf, &unit.variants);
        (
            hash,
            unit_source_hash(unit.src_lang.as_ref(), &unit.variants),
        )
    }

    /// Whether the TM's hashes are loaded.
    pub fn knows_the_tm(&self) -> bool {
        self.known.is_some()
    }

    /// Whether a unit with content `hash`, about to be added, may be in the
    /// TM already (then the caller looks in its database). Counts the add;
    /// at the [`LOAD_KNOWN_AFTER`]-th, `load` gives the content hashes of
    /// the TM (`None`: too many to keep, more than [`LOAD_KNOWN_MAX`]
    /// units). The hash is remembered: whatever the caller does next, a
    /// unit with this content is in the TM after the add.
    pub fn may_exist<E>(
        &mut self,
        hash: i64,
        load: impl FnOnce() -> Result<Option<Vec<i64>>, E>,
    ) -> Result<bool, E> {
        self.adds += 1;
        if self.adds == LOAD_KNOWN_AFTER
            && let Some(hashes) = load()?
        {
            let mut set =
                HashSet::with_capacity_and_hasher((hashes.len() * 2).max(1 << 16), HashIsKey);
            set.extend(hashes);
            self.known = Some(set);
        }
        Ok(match &mut self.known {
            Some(known) => !known.insert(hash),
            None => true,
        })
    }
}

/// Content hashes are already uniform 64-bit values: use them as they are
/// instead of hashing them again.
#[derive(Default, Clone, Copy)]
struct HashIsKey;

impl std::hash::BuildHasher for HashIsKey {
    type Hasher = KeyHasher;
    fn build_hasher(&self) -> KeyHasher {
        KeyHasher(0)
    }
}

struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ b as u64;
        }
    }
    fn write_i64(&mut self, n: i64) {
        self.0 = n as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::{NewVariant, Origin};
    use polytm_text::lang::{Lang, LangTag};

    fn unit(en: &str, ru: &str) -> NewUnit {
        let v = |t: &str, s: &str| NewVariant::new(LangTag::parse(t).unwrap(), s);
        let mut u = NewUnit::new(Origin::Imported, vec![v("en", en), v("ru", ru)]);
        u.src_lang = Some(Lang::en());
        u
    }

    #[test]
    fn a_run_asks_the_database_until_it_knows_the_tm_then_only_for_hashes_it_has_seen() {
        let mut f = DuplicateFilter::new();
        let (h, src) = f.hashes(&unit("File", "Файл"));
        assert!(src.is_some());
        // the same content, the same hash; another target, the same source
        let (h2, src2) = f.hashes(&unit("File", "Файл"));
        let (h3, src3) = f.hashes(&unit("File", "Файл (новый)"));
        assert_eq!((h, src), (h2, src2));
        assert_ne!(h, h3);
        assert_eq!(src, src3);
        let mut loads = 0;
        for k in 1..LOAD_KNOWN_AFTER {
            // before the hashes are loaded, every add may be a duplicate
            let maybe = f
                .may_exist(k as i64, || -> Result<_, ()> {
                    loads += 1;
                    Ok(Some(vec![]))
                })
                .unwrap();
            assert!(maybe);
        }
        assert_eq!(loads, 0);
        // the load: the TM holds 7 and 8
        let maybe = f
            .may_exist(9, || -> Result<_, ()> {
                loads += 1;
                Ok(Some(vec![7, 8]))
            })
            .unwrap();
        assert!(!maybe);
        assert_eq!(loads, 1);
        let no_load = || -> Result<Option<Vec<i64>>, ()> { panic!("loaded twice") };
        assert!(f.may_exist(7, no_load).unwrap());
        assert!(f.may_exist(9, no_load).unwrap());
        assert!(!f.may_exist(10, no_load).unwrap());
    }

    #[test]
    fn a_tm_too_large_to_keep_in_memory_is_always_asked() {
        let mut f = DuplicateFilter::new();
        for k in 0..LOAD_KNOWN_AFTER + 10 {
            assert!(f.may_exist(k as i64, || Ok::<_, ()>(None)).unwrap());
        }
    }
}

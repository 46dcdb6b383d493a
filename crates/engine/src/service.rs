//! A translation memory kept open for many requests (`polytm serve`): the
//! fuzzy indexes of the languages searched and the glossary with its
//! recognisers stay warm between requests, and are brought up to date when
//! the database changes, by this process or by another one (a command-line
//! import beside the server, another server on the same database).
//!
//! Freshness: after a write of its own the server calls
//! [`Service::refresh`] before it answers, so the next request sees the
//! write; a background task calls it a few times a second for writes of
//! other processes. A refresh reads the store's state (one small query);
//! when units changed, each index is topped up from its index file with
//! what changed since ([`crate::index::update`], cheap); when that grows
//! large the file is written again ([`Service::refresh`] with `rebuild`),
//! while searches go on with the index they have.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

use polytm_core::{Error, Result};
use polytm_fuzzy::index::TmIndex;
use polytm_glossary::{Glossary, Recognizer};
use polytm_store::{Database, IndexState, Summary};
use polytm_text::lang::Lang;

use crate::matcher::{Matcher, Options, Terms};

/// An open translation memory, shared by the threads of a server.
pub struct Service {
    db: Arc<dyn Database>,
    /// The store's state the indexes and the glossary reflect.
    state: Mutex<IndexState>,
    indexes: RwLock<HashMap<Lang, Arc<TmIndex>>>,
    glossary: RwLock<Arc<Glossary>>,
    recognizers: RwLock<HashMap<Lang, Arc<Recognizer>>>,
    /// Held while indexes are loaded or refreshed (one at a time).
    loading: Mutex<()>,
    /// The counts of [`Service::summary`], and the state they were read at.
    summary: Mutex<Option<(IndexState, Arc<Summary>)>>,
}

fn poisoned<T>(_: T) -> Error {
    Error::other("internal error: a lock was poisoned by a failed request")
}

impl Service {
    /// Open `db` for serving: its glossary is read now, the index of a
    /// language when it is first searched.
    pub fn open(db: Arc<dyn Database>) -> Result<Service> {
        let (state, concepts) = {
            let rd = db.reader()?;
            (rd.index_state()?, rd.concepts()?)
        };
        Ok(Service {
            db,
            state: Mutex::new(state),
            indexes: RwLock::new(HashMap::new()),
            glossary: RwLock::new(Arc::new(Glossary::from_concepts(concepts))),
            recognizers: RwLock::new(HashMap::new()),
            loading: Mutex::new(()),
            summary: Mutex::new(None),
        })
    }

    pub fn db(&self) -> &Arc<dyn Database> {
        &self.db
    }

    /// The store's state the service reflects.
    pub fn state(&self) -> Result<IndexState> {
        Ok(*self.state.lock().map_err(poisoned)?)
    }

    /// Units, concepts and languages, read again only when the store
    /// changed.
    pub fn summary(&self) -> Result<Arc<Summary>> {
        let state = self.state()?;
        let mut cached = self.summary.lock().map_err(poisoned)?;
        if let Some((at, s)) = cached.as_ref()
            && *at == state
        {
            return Ok(s.clone());
        }
        let s = Arc::new(self.db.reader()?.summary()?);
        *cached = Some((state, s.clone()));
        Ok(s)
    }

    /// The glossary as it stands.
    pub fn glossary(&self) -> Result<Arc<Glossary>> {
        Ok(self.glossary.read().map_err(poisoned)?.clone())
    }

    /// The glossary's recogniser for `lang` (made once per glossary).
    pub fn recognizer(&self, lang: &Lang) -> Result<Arc<Recognizer>> {
        if let Some(r) = self.recognizers.read().map_err(poisoned)?.get(lang) {
            return Ok(r.clone());
        }
        let r = Arc::new(self.glossary()?.recognizer(lang));
        self.recognizers
            .write()
            .map_err(poisoned)?
            .insert(lang.clone(), r.clone());
        Ok(r)
    }

    /// The fuzzy index of `lang`, loaded on first use.
    pub fn index(&self, lang: &Lang) -> Result<Arc<TmIndex>> {
        if let Some(ix) = self.indexes.read().map_err(poisoned)?.get(lang) {
            return Ok(ix.clone());
        }
        let _one = self.loading.lock().map_err(poisoned)?;
        if let Some(ix) = self.indexes.read().map_err(poisoned)?.get(lang) {
            return Ok(ix.clone());
        }
        let ix = Arc::new(crate::index::open(self.db.as_ref(), lang)?);
        self.indexes
            .write()
            .map_err(poisoned)?
            .insert(lang.clone(), ix.clone());
        Ok(ix)
    }

    /// A matcher from `from` to `to` over the warm index and glossary.
    pub fn matcher(&self, from: &Lang, to: &Lang, opts: Options) -> Result<Matcher> {
        let glossary = self.glossary()?;
        let terms = (!glossary.is_empty())
            .then(|| -> Result<Terms> {
                Ok(Terms {
                    glossary,
                    src: self.recognizer(from)?,
                    tgt: self.recognizer(to)?,
                })
            })
            .transpose()?;
        Ok(Matcher::with(
            self.db.clone(),
            self.index(from)?,
            to,
            opts,
            terms,
        ))
    }

    /// Bring the glossary and the loaded indexes up to what the database
    /// holds. `rebuild`: also write an index file again where what changed
    /// since it was written has grown large (seconds at a million units:
    /// for a background task). True when anything changed.
    pub fn refresh(&self, rebuild: bool) -> Result<bool> {
        let _one = self.loading.lock().map_err(poisoned)?;
        let now = self.db.reader()?.index_state()?;
        let before = *self.state.lock().map_err(poisoned)?;
        let units_changed = (now.identity, now.epoch, now.max_unit, now.log_seq)
            != (
                before.identity,
                before.epoch,
                before.max_unit,
                before.log_seq,
            );
        if now.glossary != before.glossary {
            let g = Glossary::from_concepts(self.db.reader()?.concepts()?);
            *self.glossary.write().map_err(poisoned)? = Arc::new(g);
            self.recognizers.write().map_err(poisoned)?.clear();
        }
        let loaded: Vec<(Lang, Arc<TmIndex>)> = self
            .indexes
            .read()
            .map_err(poisoned)?
            .iter()
            .map(|(l, ix)| (l.clone(), ix.clone()))
            .collect();
        for (lang, ix) in loaded {
            let fresh = if units_changed {
                match crate::index::update(self.db.as_ref(), &ix)? {
                    Some(up) => Some(up),
                    None => Some(crate::index::open(self.db.as_ref(), &lang)?),
                }
            } else {
                None
            };
            let current = fresh.as_ref().unwrap_or(&ix);
            let fresh = if rebuild && crate::index::worth_rebuilding(current) {
                Some(crate::index::open(self.db.as_ref(), &lang)?)
            } else {
                fresh
            };
            if let Some(f) = fresh {
                self.indexes
                    .write()
                    .map_err(poisoned)?
                    .insert(lang, Arc::new(f));
            }
        }
        *self.state.lock().map_err(poisoned)? = now;
        Ok(units_changed || now.glossary != before.glossary)
    }
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
            Origin::Manual,
            vec![
                NewVariant::new(LangTag::parse("en").unwrap(), en),
                NewVariant::new(LangTag::parse("ru").unwrap(), ru),
            ],
        )
    }

    #[test]
    fn writes_of_any_process_are_seen_after_a_refresh() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tm.db");
        let db: Arc<dyn Database> = Arc::new(SqliteDb::open(&path).unwrap());
        write_units(db.as_ref(), vec![unit("Open the file.", "Откройте файл.")]);
        let s = Service::open(db.clone()).unwrap();
        let (en, ru) = (Lang::en(), Lang::ru());
        let best = |s: &Service, q: &str| {
            s.matcher(&en, &ru, Options::default())
                .unwrap()
                .best(q, 50, 1)
                .unwrap()
                .first()
                .map(|p| (p.score, p.target.clone()))
        };
        assert_eq!(best(&s, "Open the file.").unwrap().0, 100);
        // another process writes into the same file
        let other = SqliteDb::open(&path).unwrap();
        write_units(&other, vec![unit("Close the file.", "Закройте файл.")]);
        assert!(best(&s, "Close the file.").is_none_or(|b| b.0 < 100));
        assert!(s.refresh(false).unwrap());
        assert_eq!(
            best(&s, "Close the file."),
            Some((100, "Закройте файл.".to_string()))
        );
        assert!(!s.refresh(false).unwrap());
        // a glossary change is seen too
        crate::glossary::add_concept(
            &other,
            &polytm_glossary::NewConcept {
                terms: vec![polytm_glossary::NewTerm::new(
                    LangTag::parse("en").unwrap(),
                    "file",
                    polytm_glossary::TermStatus::Preferred,
                )],
                ..Default::default()
            },
        )
        .unwrap();
        assert!(s.glossary().unwrap().is_empty());
        assert!(s.refresh(true).unwrap());
        assert_eq!(s.glossary().unwrap().len(), 1);
    }
}

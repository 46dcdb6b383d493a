//! The translation memory behind a pre-translation run: the fuzzy matcher
//! over the database, plus the `--tm` files of the run, each read into an
//! in-memory store (as `polytm import` reads it) and searched alongside.
//! Nothing of the `--tm` files is written to the database.

use std::path::Path;
use std::sync::Arc;

use super::{ContextMatch, Leverage, TmHit};

/// How many exact matches of a segment are checked for context (the same
/// sentence in that many places of the TM).
const CONTEXT_CANDIDATES: usize = 16;
use crate::exchange::import::{ImportOptions, document_name, import_file};
use crate::matcher::{Matcher, Options, Proposal};
use polytm_core::Progress;
use polytm_core::error::Result;
use polytm_store::Database;
use polytm_text::lang::LangTag;

/// Makes an empty private database (in memory) for a `--tm` file.
pub type Scratch<'a> = &'a dyn Fn() -> Result<Arc<dyn Database>>;

/// The fuzzy matcher as a [`Leverage`].
pub struct TmLeverage {
    matcher: Matcher,
    /// Notes for the user (a `--tm` file without the language pair ...).
    pub notes: Vec<String>,
}

impl TmLeverage {
    /// Take these penalties off the scores (see [`crate::penalty`]).
    pub fn set_penalties(&mut self, p: crate::penalty::Penalties) {
        self.matcher.set_penalties(p);
    }

    /// Source-language segments searched, over all TMs.
    pub fn segments(&self) -> usize {
        self.matcher.segments()
    }
}

/// The TM `db` and the `--tm` files (each read into a database `scratch`
/// makes) for `from` → `to`.
pub fn open(
    db: Arc<dyn Database>,
    from: &LangTag,
    to: &LangTag,
    tms: &[impl AsRef<Path>],
    exhaustive: bool,
    scratch: Scratch,
    progress: &dyn Progress,
) -> Result<TmLeverage> {
    let opts = Options {
        exhaustive,
        repair: true,
    };
    let mut matcher = Matcher::open(db, &from.lang, &to.lang, opts)?;
    let mut notes = Vec::new();
    for f in tms {
        let f = f.as_ref();
        let mem = scratch()?;
        let rep = import_file(mem.as_ref(), f, &ImportOptions::default(), progress)?;
        let has = |t: &LangTag| {
            rep.langs
                .iter()
                .any(|l| LangTag::parse(l).is_ok_and(|x| x.lang == t.lang))
        };
        if !(has(from) && has(to)) {
            notes.push(format!(
                "{} holds no {}–{} units ({} read)",
                rep.file, from.tag, to.tag, rep.read
            ));
        }
        if !rep.warnings.is_empty() {
            notes.push(format!(
                "{}: {} unit{} left out, first: {}",
                rep.file,
                rep.warnings.len() + rep.more_warnings,
                if rep.warnings.len() + rep.more_warnings == 1 {
                    ""
                } else {
                    "s"
                },
                rep.warnings[0]
            ));
        }
        matcher.add_tm(mem, &document_name(f))?;
    }
    Ok(TmLeverage { matcher, notes })
}

/// "2021 → 2022; Таджикистан → Узбекистан".
fn describe(p: &Proposal) -> Option<String> {
    let r = p.repaired.as_ref()?;
    let parts: Vec<String> = r
        .changes
        .iter()
        .map(|c| format!("{} → {}", c.was, c.now))
        .collect();
    Some(if parts.is_empty() {
        "adapted".to_string()
    } else {
        parts.join("; ")
    })
}

impl From<Proposal> for TmHit {
    fn from(p: Proposal) -> TmHit {
        let repaired = describe(&p);
        TmHit {
            score: p.score,
            tm_target: p.original_target().to_string(),
            source: p.source,
            target: p.target,
            repaired,
            origin: Some({
                let o = match &p.document {
                    Some(d) if p.tm == "main" || *d == p.tm => d.clone(),
                    Some(d) => format!("{} ({d})", p.tm),
                    None => p.tm.clone(),
                };
                // the translator is told that a person checked this pair
                let o = if p.reviewed {
                    format!("{o}, a reviewed unit")
                } else {
                    o
                };
                if p.penalties.is_empty() {
                    o
                } else {
                    format!("{o}; penalties: {}", crate::penalty::describe(&p.penalties))
                }
            }),
            inherited: false,
            contexts: Vec::new(),
        }
    }
}

impl Leverage for TmLeverage {
    fn best(&self, query: &str, min: u8) -> Result<Option<TmHit>> {
        self.best_tagged(query, 0, min)
    }

    fn best_tagged(&self, query: &str, tags: usize, min: u8) -> Result<Option<TmHit>> {
        let found = self.matcher.best_tagged(query, tags > 0, min.max(1), 1)?;
        let Some(mut hit) = found.into_iter().next().map(TmHit::from) else {
            return Ok(None);
        };
        if hit.score >= 100 {
            // every unit holding this very segment, with its neighbours:
            // which one is in context depends on the occurrence
            for p in self
                .matcher
                .best_tagged(query, tags > 0, 100, CONTEXT_CANDIDATES)?
            {
                if let Some(n) = self.matcher.context(&p)? {
                    let h = TmHit::from(p);
                    hit.contexts.push(ContextMatch {
                        prev: n.prev,
                        next: n.next,
                        target: h.target,
                        origin: h.origin,
                    });
                }
            }
        }
        Ok(Some(hit))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use polytm_core::Quiet;
    use polytm_sqlite::SqliteDb;

    fn memory() -> Result<Arc<dyn Database>> {
        Ok(Arc::new(SqliteDb::in_memory()?))
    }

    fn open_at(
        db: &Path,
        from: &LangTag,
        to: &LangTag,
        tms: &[&std::path::PathBuf],
    ) -> (Arc<dyn Database>, TmLeverage) {
        let db: Arc<dyn Database> = Arc::new(SqliteDb::open(db).unwrap());
        let lev = open(db.clone(), from, to, tms, false, &memory, &Quiet).unwrap();
        (db, lev)
    }

    #[test]
    fn tmx_inline_markup_stays_out_of_hits() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("tm.db");
        let tmx = dir.path().join("client.tmx");
        std::fs::write(
            &tmx,
            r#"<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="en" creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" datatype="plaintext"/><body>
<tu><tuv xml:lang="en"><seg>Press <bpt i="1">&lt;b&gt;</bpt>OK<ept i="1">&lt;/b&gt;</ept> to close the window.</seg></tuv>
<tuv xml:lang="ru"><seg>Нажмите <bpt i="1">&lt;b&gt;</bpt>OK<ept i="1">&lt;/b&gt;</ept>, чтобы закрыть окно.</seg></tuv></tu>
</body></tmx>"#,
        )
        .unwrap();
        let en = LangTag::parse("en").unwrap();
        let ru = LangTag::parse("ru").unwrap();
        let (_, lev) = open_at(&db, &en, &ru, &[&tmx]);
        let h = lev
            .best("Press OK to close the window.", 50)
            .unwrap()
            .unwrap();
        assert_eq!(h.score, 100);
        assert_eq!(h.source, "Press OK to close the window.");
        assert_eq!(h.target, "Нажмите OK, чтобы закрыть окно.");
        assert_eq!(h.tm_target, h.target);
    }

    #[test]
    fn tm_files_are_searched_without_being_stored() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("tm.db");
        let tsv = dir.path().join("client.tsv");
        std::fs::write(
            &tsv,
            "en\tru\nThe next meeting will be held in 2021.\tСледующее совещание состоится в 2021 году.\n",
        )
        .unwrap();
        let en = LangTag::parse("en").unwrap();
        let ru = LangTag::parse("ru").unwrap();
        let (db, lev) = open_at(&db, &en, &ru, &[&tsv]);
        assert!(lev.notes.is_empty(), "{:?}", lev.notes);
        let h = lev
            .best("The next meeting will be held in 2022.", 50)
            .unwrap()
            .unwrap();
        assert!(h.score < 100 && h.score >= 75, "{}", h.score);
        assert_eq!(h.target, "Следующее совещание состоится в 2022 году.");
        assert_eq!(h.tm_target, "Следующее совещание состоится в 2021 году.");
        assert_eq!(h.repaired.as_deref(), Some("2021 → 2022"));
        assert_eq!(h.origin.as_deref(), Some("client.tsv"));
        assert_eq!(db.reader().unwrap().stats().unwrap().units, 0);
        // a TM file without the pair is said
        let zh = LangTag::parse("zh").unwrap();
        let lev = open(db, &en, &zh, &[&tsv], false, &memory, &Quiet).unwrap();
        assert!(
            lev.notes[0].contains("holds no en–zh units"),
            "{:?}",
            lev.notes
        );
    }
}

//! The translation memory behind a pre-translation run: the fuzzy matcher
//! over the database, plus the `--tm` files of the run, each read into an
//! in-memory store (as `polytm import` reads it) and searched alongside.
//! Nothing of the `--tm` files is written to the database.

use std::path::Path;

use super::{Hit, Leverage};
use crate::error::Result;
use crate::exchange::import::{ImportOptions, document_name, import_file};
use crate::fuzzy::{Matcher, Options, Proposal};
use crate::lang::LangTag;
use crate::store::Store;

/// The fuzzy matcher as a [`Leverage`].
pub struct TmLeverage {
    matcher: Matcher,
    /// Notes for the user (a `--tm` file without the language pair ...).
    pub notes: Vec<String>,
}

impl TmLeverage {
    /// Source-language segments searched, over all TMs.
    pub fn segments(&self) -> usize {
        self.matcher.segments()
    }
}

/// Open the TM at `db` and the `--tm` files for `from` → `to`.
pub fn open(
    db: &Path,
    from: &LangTag,
    to: &LangTag,
    tms: &[impl AsRef<Path>],
    exhaustive: bool,
) -> Result<TmLeverage> {
    let store = Store::open(db)?;
    let opts = Options {
        exhaustive,
        repair: true,
    };
    let mut matcher = Matcher::open(store, &from.lang, &to.lang, opts)?;
    let mut notes = Vec::new();
    for f in tms {
        let f = f.as_ref();
        let mut mem = Store::in_memory()?;
        let rep = import_file(&mut mem, f, &ImportOptions::default())?;
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

impl From<Proposal> for Hit {
    fn from(p: Proposal) -> Hit {
        let repaired = describe(&p);
        Hit {
            score: p.score,
            tm_target: p.original_target().to_string(),
            source: p.source,
            target: p.target,
            repaired,
            origin: Some(match &p.document {
                Some(d) if p.tm == "main" || *d == p.tm => d.clone(),
                Some(d) => format!("{} ({d})", p.tm),
                None => p.tm.clone(),
            }),
            inherited: false,
        }
    }
}

impl Leverage for TmLeverage {
    fn best(&self, query: &str, min: u8) -> Result<Option<Hit>> {
        let found = self.matcher.best(query, min.max(1), 1)?;
        Ok(found.into_iter().next().map(Hit::from))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let lev = open(&db, &en, &ru, &[&tmx], false).unwrap();
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
        let lev = open(&db, &en, &ru, &[&tsv], false).unwrap();
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
        let s = Store::open(&db).unwrap();
        let n: i64 = s
            .conn
            .query_row("SELECT count(*) FROM units", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0);
        // a TM file without the pair is said
        let zh = LangTag::parse("zh").unwrap();
        let lev = open(&db, &en, &zh, &[&tsv], false).unwrap();
        assert!(
            lev.notes[0].contains("holds no en–zh units"),
            "{:?}",
            lev.notes
        );
    }
}

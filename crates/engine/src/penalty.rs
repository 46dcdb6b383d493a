//! Penalties, as Trados and memoQ have them: points taken off a
//! proposal's score for where its unit came from or how it differs from
//! the query beyond its words. The [`crate::matcher::Matcher`] applies them
//! after retrieval and ranks again, so the search stays lossless (a
//! penalty only lowers a score: the index is asked for enough candidates
//! that nothing it left out could rank higher); a proposal pushed below
//! `--min` is dropped.
//!
//! Every penalty is 0 (off) unless set, so that a score still means what
//! README's "What the numbers mean" says and the measured figures stand.
//! Set them with `--penalty NAME=POINTS` (repeatable) or a TOML file
//! (`--penalties FILE`):
//!
//! ```toml
//! [penalties]
//! aligned = 1                # aligned and not reviewed (Trados: alignment penalty)
//! pretranslated = 5          # stored by pre-translation: machine output
//! multiple_translations = 1  # the source has several translations (Trados's default is 1)
//! tags = 1                   # tags or formatting in the TM source and not in the query, or the reverse
//! [penalties.documents]
//! "old-vendor.tmx" = 3       # units of this document (an imported file, an aligned text)
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use polytm_core::error::{Error, Result};
use polytm_store::UnitPair;

/// One penalty applied to a proposal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Penalty {
    /// `aligned`, `pretranslated`, `multiple translations`, `tags`, or
    /// `document NAME`.
    pub name: String,
    /// Points taken off the score.
    pub points: u8,
}

/// The points of each penalty (0: off).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Penalties {
    /// Units aligned (`polytm align`) and not reviewed (`align apply`).
    pub aligned: u8,
    /// Units stored by pre-translation (machine output).
    pub pretranslated: u8,
    /// A source text that has several different translations among the
    /// units found for the query.
    pub multiple_translations: u8,
    /// The TM source has inline tags or formatting and the query has
    /// none, or the other way round.
    pub tags: u8,
    /// Units of a document, by its name (`polytm docs list`).
    pub documents: BTreeMap<String, u8>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    penalties: Penalties,
}

impl Penalties {
    /// The most a proposal can lose.
    pub fn max_total(&self) -> u32 {
        u32::from(self.aligned)
            + u32::from(self.pretranslated)
            + u32::from(self.multiple_translations)
            + u32::from(self.tags)
            + self
                .documents
                .values()
                .map(|&p| u32::from(p))
                .max()
                .unwrap_or(0)
    }

    pub fn is_off(&self) -> bool {
        self.max_total() == 0
    }

    /// The `[penalties]` table of a TOML file.
    pub fn from_toml(text: &str, file: &str) -> Result<Penalties> {
        let f: File = toml::from_str(text).map_err(|e| {
            Error::usage(format!(
                "{file}: {}",
                e.message().lines().next().unwrap_or("not valid TOML")
            ))
        })?;
        f.penalties.check(file)?;
        Ok(f.penalties)
    }

    pub fn read(path: &Path) -> Result<Penalties> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Penalties::from_toml(&text, &polytm_core::error::display_path(path))
    }

    fn check(&self, what: &str) -> Result<()> {
        let all = [
            self.aligned,
            self.pretranslated,
            self.multiple_translations,
            self.tags,
        ];
        if all.iter().chain(self.documents.values()).any(|&p| p > 100) {
            return Err(Error::usage(format!(
                "{what}: a penalty is 0 to 100 points"
            )));
        }
        Ok(())
    }

    /// Set one penalty from `NAME=POINTS` (`aligned=1`,
    /// `multiple-translations=1`, `document:old.tmx=3`).
    pub fn set(&mut self, spec: &str) -> Result<()> {
        let bad = || {
            Error::usage(format!(
                "--penalty {spec}: write NAME=POINTS, NAME one of aligned, pretranslated, \
                 multiple-translations, tags, document:DOCUMENT"
            ))
        };
        let (name, points) = spec.rsplit_once('=').ok_or_else(bad)?;
        let points: u8 = points
            .trim()
            .parse()
            .ok()
            .filter(|&p| p <= 100)
            .ok_or_else(|| Error::usage(format!("--penalty {spec}: 0 to 100 points")))?;
        match name.trim().replace('_', "-").as_str() {
            "aligned" => self.aligned = points,
            "pretranslated" => self.pretranslated = points,
            "multiple-translations" => self.multiple_translations = points,
            "tags" => self.tags = points,
            n => match n.strip_prefix("document:") {
                Some(d) if !d.is_empty() => {
                    self.documents
                        .insert(name.trim()["document:".len()..].to_string(), points);
                }
                _ => return Err(bad()),
            },
        }
        Ok(())
    }

    /// The penalties of a unit; `multiple`: its source has several
    /// translations; `query_tags`: the query had inline tags or formatting.
    pub fn of(&self, pair: &UnitPair, multiple: bool, query_tags: bool) -> Vec<Penalty> {
        let mut out = Vec::new();
        let mut add = |name: String, points: u8| {
            if points > 0 {
                out.push(Penalty { name, points });
            }
        };
        if pair.origin == "aligned" && !pair.reviewed {
            add("aligned".into(), self.aligned);
        }
        if pair.origin == "pretranslated" {
            add("pretranslated".into(), self.pretranslated);
        }
        if let Some(d) = &pair.document
            && let Some(&p) = self.documents.get(d)
        {
            add(format!("document {d}"), p);
        }
        if multiple {
            add("multiple translations".into(), self.multiple_translations);
        }
        if pair.source_markup != query_tags {
            add("tags".into(), self.tags);
        }
        out
    }
}

/// `aligned −1, tags −1`.
pub fn describe(penalties: &[Penalty]) -> String {
    penalties
        .iter()
        .map(|p| format!("{} −{}", p.name, p.points))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(origin: &str, reviewed: bool, doc: &str, markup: bool) -> UnitPair {
        UnitPair {
            source: "a".into(),
            target: "b".into(),
            target_markup: None,
            document: Some(doc.into()),
            date: String::new(),
            reviewed,
            origin: origin.into(),
            source_markup: markup,
        }
    }

    #[test]
    fn off_by_default_and_each_names_itself() {
        let p = Penalties::default();
        assert!(p.is_off());
        assert!(
            p.of(&pair("aligned", false, "d", true), true, false)
                .is_empty()
        );
        let mut p = Penalties::default();
        for s in [
            "aligned=1",
            "pretranslated=5",
            "multiple-translations=2",
            "tags=3",
            "document:old.tmx=4",
        ] {
            p.set(s).unwrap();
        }
        assert_eq!(p.max_total(), 15);
        let names = |v: Vec<Penalty>| -> Vec<(String, u8)> {
            v.into_iter().map(|x| (x.name, x.points)).collect()
        };
        assert_eq!(
            names(p.of(&pair("aligned", false, "old.tmx", true), true, false)),
            [
                ("aligned".to_string(), 1),
                ("document old.tmx".into(), 4),
                ("multiple translations".into(), 2),
                ("tags".into(), 3)
            ]
        );
        // a reviewed aligned unit is not penalised as aligned
        assert!(
            p.of(&pair("aligned", true, "x", false), false, false)
                .is_empty()
        );
        // tags on both sides: no tags penalty; on the query only: one
        assert!(
            p.of(&pair("imported", false, "x", true), false, true)
                .is_empty()
        );
        assert_eq!(
            names(p.of(&pair("imported", false, "x", false), false, true)),
            [("tags".to_string(), 3)]
        );
        assert_eq!(
            names(p.of(&pair("pretranslated", false, "x", false), false, false)),
            [("pretranslated".to_string(), 5)]
        );
        assert_eq!(
            describe(&p.of(&pair("aligned", false, "x", true), false, false)),
            "aligned −1, tags −3"
        );
    }

    #[test]
    fn bad_settings_are_usage_errors() {
        let mut p = Penalties::default();
        assert!(p.set("aligned").is_err());
        assert!(p.set("aligned=101").is_err());
        assert!(p.set("colour=1").is_err());
        assert!(p.set("document:=1").is_err());
        let t = Penalties::from_toml(
            "[penalties]\naligned = 2\n[penalties.documents]\n\"a.tmx\" = 3\n",
            "p.toml",
        )
        .unwrap();
        assert_eq!((t.aligned, t.documents["a.tmx"]), (2, 3));
        assert!(Penalties::from_toml("[penalties]\nalinged = 2\n", "p.toml").is_err());
        assert!(Penalties::from_toml("[penalties]\ntags = 300\n", "p.toml").is_err());
    }
}

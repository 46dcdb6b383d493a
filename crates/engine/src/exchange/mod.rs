//! Moving translation memories in and out: files (TMX, TSV, CSV) to units
//! in the store and back. The formats know nothing of SQLite and the store
//! nothing of TMX; this module joins them.
//!
//! `units.props` holds what a TMX `<tu>` carried that has no column of its
//! own, as JSON ([`UnitProps`]), so that an export gives it back:
//!
//! ```json
//! {"attrs": {"creationid": "ANNA", "usagecount": "3"},
//!  "meta": [{"kind": "prop", "type": "x-Domain", "text": "Law"},
//!           {"kind": "note", "text": "checked by the editor"}],
//!  "tuv": {"ru": {"attrs": {"changeid": "OLGA"}, "meta": [...]}}}
//! ```
//!
//! `tuid`, `creationdate`, `changedate` and `srclang` live in their columns
//! (`tuid`, `created_at`, `changed_at`, `src_lang`); `tuv` is keyed by the
//! language key of the variant.

pub mod export;
pub mod import;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use polytm_formats::tmx::Meta;

/// Prop types polytm writes on export (and recognises on import).
pub const PROP_DOCUMENT: &str = "x-polytm-document";
pub const PROP_ORIGIN: &str = "x-polytm-origin";
pub const PROP_CONFIDENCE: &str = "x-polytm-confidence";
/// Prop marking a unit a person checked (a row of an `align apply` sheet):
/// `yes`. Read back on import.
pub const PROP_REVIEWED: &str = "x-polytm-reviewed";

/// Context props: the source segments before and after a unit in its
/// document, as CAT tools write them in TMX. memoQ writes
/// `x-context-pre` and `x-context-post` on the source `<tuv>`; OmegaT
/// writes `prev` and `next` on the `<tu>` (its alternative, context-bound
/// translations). polytm reads both (memoQ's on the `<tu>` too) and writes
/// memoQ's on every `<tuv>` (`export --context`), each with the
/// neighbouring unit's text in that language. Trados's `x-Context` (a pair
/// of hashes of its own) and `x-ContextContent` are kept for the round
/// trip but not read: their hashes cannot be computed outside Trados.
pub const PROP_CONTEXT_PRE: &str = "x-context-pre";
pub const PROP_CONTEXT_POST: &str = "x-context-post";
pub const PROP_OMEGAT_PREV: &str = "prev";
pub const PROP_OMEGAT_NEXT: &str = "next";

/// What `units.props` holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitProps {
    /// `<tu>` attributes without a column of their own, as written.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attrs: BTreeMap<String, String>,
    /// `<tu>` props and notes, in file order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub meta: Vec<Meta>,
    /// Per language key: the `<tuv>`'s attributes, props and notes.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tuv: BTreeMap<String, VariantProps>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VariantProps {
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attrs: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub meta: Vec<Meta>,
}

impl VariantProps {
    pub fn is_empty(&self) -> bool {
        self.attrs.is_empty() && self.meta.is_empty()
    }
}

impl UnitProps {
    pub fn is_empty(&self) -> bool {
        self.attrs.is_empty() && self.meta.is_empty() && self.tuv.is_empty()
    }

    /// JSON for the column; `None` when there is nothing to keep.
    pub fn to_json(&self) -> Option<String> {
        if self.is_empty() {
            None
        } else {
            // strings and maps: serialising to a String cannot fail
            serde_json::to_string(self).ok()
        }
    }

    /// Read the column back; unreadable JSON (written by something else)
    /// reads as nothing rather than failing an export.
    pub fn from_json(s: Option<&str>) -> UnitProps {
        s.and_then(|s| serde_json::from_str(s).ok())
            .unwrap_or_default()
    }

    /// The context the unit's props give for source language `lang` (a
    /// side is `None` when no prop gives it; `Some(None)` when a prop says
    /// the document starts or ends there, written as an empty prop).
    pub fn context(&self, lang: &str) -> (Option<Option<String>>, Option<Option<String>>) {
        let side = |ty: &[&str]| -> Option<Option<String>> {
            let tuv = self.tuv.get(lang).into_iter().flat_map(|v| v.meta.iter());
            tuv.chain(self.meta.iter())
                .find(|m| {
                    m.kind == polytm_formats::tmx::MetaKind::Prop
                        && m.ty.as_deref().is_some_and(|t| ty.contains(&t))
                })
                .map(|m| Some(m.text.clone()).filter(|t| !t.trim().is_empty()))
        };
        (
            side(&[PROP_CONTEXT_PRE, PROP_OMEGAT_PREV]),
            side(&[PROP_CONTEXT_POST, PROP_OMEGAT_NEXT]),
        )
    }

    /// The text of the first prop of a type.
    pub fn prop(&self, ty: &str) -> Option<&str> {
        self.meta
            .iter()
            .find(|m| m.ty.as_deref() == Some(ty))
            .map(|m| m.text.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn props_json_round_trip_and_empty() {
        assert_eq!(UnitProps::default().to_json(), None);
        let mut p = UnitProps::default();
        p.attrs.insert("creationid".into(), "ANNA".into());
        p.meta.push(Meta::prop("x-Domain", "Law"));
        p.meta.push(Meta::note("ok"));
        p.tuv.insert(
            "ru".into(),
            VariantProps {
                attrs: BTreeMap::new(),
                meta: vec![Meta::note("б")],
            },
        );
        let j = p.to_json().unwrap();
        assert_eq!(
            j,
            r#"{"attrs":{"creationid":"ANNA"},"meta":[{"kind":"prop","type":"x-Domain","text":"Law"},{"kind":"note","text":"ok"}],"tuv":{"ru":{"meta":[{"kind":"note","text":"б"}]}}}"#
        );
        assert_eq!(UnitProps::from_json(Some(&j)), p);
        assert_eq!(p.prop("x-Domain"), Some("Law"));
        assert_eq!(UnitProps::from_json(Some("not json")), UnitProps::default());
    }

    #[test]
    fn context_props_of_memoq_and_omegat_are_read() {
        let mut p = UnitProps::default();
        assert_eq!(p.context("en"), (None, None));
        // OmegaT: prev/next on the <tu>
        p.meta.push(Meta::prop("prev", "Hello."));
        p.meta.push(Meta::prop("next", ""));
        assert_eq!(p.context("en"), (Some(Some("Hello.".into())), Some(None)));
        // memoQ: on the source <tuv>, which wins
        p.tuv.insert(
            "en".into(),
            VariantProps {
                attrs: BTreeMap::new(),
                meta: vec![Meta::prop("x-context-pre", "Before.")],
            },
        );
        assert_eq!(p.context("en"), (Some(Some("Before.".into())), Some(None)));
        assert_eq!(p.context("ru").0, Some(Some("Hello.".into())));
    }
}

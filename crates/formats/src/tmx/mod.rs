//! TMX: a streaming reader for TMX 1.1–1.4b and a writer of TMX 1.4b.
//!
//! # Reading
//!
//! [`TmxReader`] pulls one `<tu>` at a time from any UTF-8 [`BufRead`](std::io::BufRead) (see
//! [`super::xml_source`] for UTF-16 and legacy encodings), so a file of a
//! million units is read in the memory of one unit. It accepts `xml:lang`
//! and the older `lang`, `srclang="*all*"`, `<prop>`/`<note>` on `<tu>` and
//! `<tuv>`, and the inline elements `bpt ept ph it hi ut sub` in the places
//! the TMX 1.4b DTD allows them. Entities are never expanded: a DOCTYPE is
//! skipped, and a reference to an entity other than the five XML ones is an
//! error (no "billion laughs").
//!
//! # Inline markup
//!
//! A segment is kept as the translator reads it ([`TmxSegment`]):
//! - without inline elements, `text` is its unescaped text and `plain` is
//!   `None`;
//! - with inline elements, `text` is the content of `<seg>` as TMX inline
//!   XML, escaped exactly as it is written back (element names and the
//!   attributes TMX defines for them kept, in order), and `plain` is its text
//!   without the markup: the content of `bpt ept ph it ut` (native codes,
//!   and any `sub` inside them) is dropped, the content of `hi` (highlighted
//!   text that is part of the sentence) is kept.
//!
//! So `plain.is_some()` means "text is TMX markup". [`parse_inline`] reads a
//! stored markup text back (to check it, or to get its "native" text: the
//! original codes put back, for formats that have no inline markup).
//!
//! # Writing
//!
//! [`TmxWriter`] writes TMX 1.4b valid against the DTD: a fixed header,
//! one `<tu>` per call, attributes in DTD order; characters XML 1.0 forbids
//! are refused ([`WriteFault::Forbidden`]) rather than written.
//!
//! # Files
//!
//! - this file: the model (units, variants, segments, props and notes) and
//!   the reading error;
//! - [`read`]: the streaming reader;
//! - [`inline`]: the inline markup of a `<seg>`, built while reading and
//!   read back from a stored text;
//! - [`dates`]: TMX dates to ISO 8601 and back;
//! - [`write`](mod@write): the TMX 1.4b writer.

use std::collections::BTreeMap;
use std::io;

use serde::{Deserialize, Serialize};

use polytm_text::lang::LangTag;

pub mod dates;
pub mod inline;
pub mod read;
pub mod write;

pub use dates::{iso_to_tmx_date, tmx_date_to_iso};
pub use inline::{Inline, parse_inline};
pub use read::TmxReader;
pub use write::{HeaderOut, TmxWriter, UnitOut, VariantOut, WriteFault};

/// An error while reading: a message at an offset of the UTF-8 stream.
#[derive(Debug)]
pub enum TmxError {
    At { offset: u64, msg: String },
    Io(io::Error),
}

impl std::fmt::Display for TmxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TmxError::At { offset, msg } => write!(f, "byte {offset}: {msg}"),
            TmxError::Io(e) => write!(f, "{e}"),
        }
    }
}

fn at(offset: u64, msg: impl Into<String>) -> TmxError {
    TmxError::At {
        offset,
        msg: msg.into(),
    }
}

type Res<T> = std::result::Result<T, TmxError>;

/// A `<prop>` or a `<note>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    /// `prop` or `note`.
    pub kind: MetaKind,
    /// The `type` of a prop.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub ty: Option<String>,
    /// `xml:lang` (or the old `lang`), as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    #[serde(
        rename = "o-encoding",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub o_encoding: Option<String>,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MetaKind {
    Prop,
    Note,
}

impl Meta {
    pub fn prop(ty: &str, text: impl Into<String>) -> Meta {
        Meta {
            kind: MetaKind::Prop,
            ty: Some(ty.to_string()),
            lang: None,
            o_encoding: None,
            text: text.into(),
        }
    }

    pub fn note(text: impl Into<String>) -> Meta {
        Meta {
            kind: MetaKind::Note,
            ty: None,
            lang: None,
            o_encoding: None,
            text: text.into(),
        }
    }
}

/// The source language a header or a `<tu>` declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SrcLang {
    /// `*all*`: any language may be the source.
    All,
    Tag(LangTag),
    /// Absent, or a value that is not a language tag.
    Unknown,
}

/// The `<header>` of a TMX file.
#[derive(Debug, Clone)]
pub struct Header {
    /// The `version` of `<tmx>`.
    pub version: String,
    pub srclang: SrcLang,
    /// Every header attribute, as written.
    pub attrs: BTreeMap<String, String>,
    pub meta: Vec<Meta>,
}

/// One `<seg>`: see the module documentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TmxSegment {
    pub text: String,
    pub plain: Option<String>,
}

/// One `<tuv>`.
#[derive(Debug, Clone)]
pub struct TmxVariant {
    /// Offset of `<tuv>` in the UTF-8 stream.
    pub offset: u64,
    pub tag: LangTag,
    pub seg: TmxSegment,
    /// Attributes other than the language, as written.
    pub attrs: BTreeMap<String, String>,
    pub meta: Vec<Meta>,
}

/// One `<tu>`.
#[derive(Debug, Clone)]
pub struct TmxUnit {
    /// Offset of `<tu>` in the UTF-8 stream.
    pub offset: u64,
    pub tuid: Option<String>,
    /// The source language: the `<tu>`'s own `srclang`, else the header's.
    pub srclang: SrcLang,
    /// `creationdate` as ISO 8601 (`2018-06-12T10:00:00Z`), when it is a
    /// valid TMX date (an invalid one stays in `attrs`, as written).
    pub created: Option<String>,
    /// `changedate`, likewise.
    pub changed: Option<String>,
    /// Other attributes TMX defines, as written.
    pub attrs: BTreeMap<String, String>,
    pub meta: Vec<Meta>,
    pub variants: Vec<TmxVariant>,
}

/// Attributes of `<tu>` in DTD order (the order they are written in).
pub const TU_ATTRS: &[&str] = &[
    "tuid",
    "o-encoding",
    "datatype",
    "usagecount",
    "lastusagedate",
    "creationtool",
    "creationtoolversion",
    "creationdate",
    "creationid",
    "changedate",
    "segtype",
    "changeid",
    "o-tmf",
    "srclang",
];

/// Attributes of `<tuv>` other than the language, in DTD order.
pub const TUV_ATTRS: &[&str] = &[
    "o-encoding",
    "datatype",
    "usagecount",
    "lastusagedate",
    "creationtool",
    "creationtoolversion",
    "creationdate",
    "creationid",
    "changedate",
    "o-tmf",
    "changeid",
];

#[cfg(test)]
mod tests;

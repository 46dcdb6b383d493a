//! polytm: a translation-memory and glossary tool for English, Russian and
//! Chinese.
//!
//! The data flows one way (see README "Architecture"):
//! `formats` (parse files) → `text` (normalise, segment, tokenise) →
//! `align` / `glossary` → `store` (SQLite) → `fuzzy` → `pretranslate` →
//! `formats` (write). `cli` only wires these together.

pub mod align;
pub mod cli;
pub mod error;
pub mod exchange;
pub mod formats;
pub mod fuzzy;
pub mod glossary;
pub mod lang;
pub mod pretranslate;
pub mod progress;
pub mod store;
pub mod text;

pub use error::{Error, Result};

//! The polytm library: what the command line and the server call.
//!
//! Every operation here takes a [`polytm_store::Database`] (any backend)
//! and, for long work, a [`polytm_core::Progress`]; results are values.
//! Nothing here prints, parses a command line or knows a database driver.
//!
//! - [`exchange`]: TMX/TSV/CSV translation memories in and out.
//! - [`matcher`]: fuzzy-match proposals from one or more TMs.
//! - [`pretranslate`]: batch pre-translation, match analysis, XLIFF.
//! - [`qa`]: checks of translations (terms, numbers, tags, typography ...).

pub mod align;
pub mod concordance;
pub mod exchange;
pub mod glossary;
pub mod index;
pub mod lexicon;
pub mod matcher;
pub mod penalty;
pub mod pretranslate;
pub mod qa;
pub mod review;
pub mod service;
pub mod units;

#[cfg(test)]
mod testing;

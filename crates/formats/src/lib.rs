//! File formats, one module each: reading files into plain structures and
//! writing them out. Nothing here touches the database.
//!
//! What kind a file is, and so which reader reads it, is decided in one
//! place: [`registry`]. Every TSV and CSV is read and written by [`table`]
//! (translation memories in [`tm_tsv`], glossaries in [`glossary_table`],
//! word lists in [`wordlist`] build on it); [`input`] checks the encoding
//! of text files and [`xml_source`] that of XML ones.

pub mod cedict;
pub mod document;
pub mod glossary_table;
pub mod input;
pub mod limits;
pub mod registry;
pub mod table;
pub mod tbx;
pub mod termbase;
pub mod tm_tsv;
pub mod tmx;
pub mod wordlist;
pub mod xliff;
pub mod xml;
pub mod xml_source;

//! File formats, one module each: reading files into plain structures and
//! writing them out. Nothing here touches the database.

pub mod cedict;
pub mod glossary_table;
pub mod input;
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

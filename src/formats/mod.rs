//! File formats, one module each: reading files into plain structures and
//! writing them out. Nothing here touches the database.

pub mod cedict;
pub mod input;
pub mod table;

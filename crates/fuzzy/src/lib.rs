//! Fuzzy matching without a database: token scoring ([`score`]), the
//! lossless candidate index ([`index`]) over the stored token sequences
//! ([`segment`]), repairs of numbers and terms ([`repair`]), word-level
//! differences for people ([`diff`]) and phrase search ([`concordance`]).

pub mod concordance;
pub mod diff;
pub mod index;
pub mod repair;
pub mod score;
pub mod segment;

pub use repair::Repair;

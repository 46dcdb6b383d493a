//! The vocabulary every polytm crate shares: one [`Error`] type whose
//! messages name the file and position, and the [`Progress`] trait through
//! which long work reports progress and learns it was cancelled.

pub mod error;
pub mod progress;

pub use error::{Error, Pos, Result, STDOUT, display_path};
pub use progress::{Count, Progress, Quiet};

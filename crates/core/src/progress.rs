//! How long work reports its progress and learns that it should stop.
//!
//! Libraries take a `&dyn Progress`; the binary passes one that draws a bar
//! on a terminal (and stays silent in pipes), a server or a test passes
//! [`Quiet`]. Cancellation travels the same way: work checks
//! [`Progress::cancelled`] between items and returns [`Error::Cancelled`],
//! so a stopped command unwinds through its transaction (nothing is
//! written) and its temporary files (removed on drop).
//!
//! [`Error::Cancelled`]: crate::Error::Cancelled

/// What a step counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    /// Units, segments, sentences ...
    Items,
    /// Bytes of a file being read.
    Bytes,
}

/// A sink for progress reports. Every method has a do-nothing default.
pub trait Progress: Send + Sync {
    /// A new step begins: its name ("importing", "indexing and saving")
    /// and, when known, how much there is to do.
    fn step(&self, _name: &str, _total: Option<u64>, _count: Count) {}
    /// The step's total became known or changed.
    fn set_total(&self, _total: u64) {}
    /// `n` more done.
    fn advance(&self, _n: u64) {}
    /// Done so far (for bytes read, say).
    fn set_done(&self, _done: u64) {}
    /// The step is over (a bar is cleared).
    fn finish(&self) {}
    /// Should the work stop? Checked between items.
    fn cancelled(&self) -> bool {
        false
    }
    /// [`crate::Error::Cancelled`] when the work should stop.
    fn check(&self) -> crate::Result<()> {
        if self.cancelled() {
            Err(crate::Error::Cancelled)
        } else {
            Ok(())
        }
    }
}

/// Reports nothing and never cancels.
#[derive(Debug, Default, Clone, Copy)]
pub struct Quiet;

impl Progress for Quiet {}

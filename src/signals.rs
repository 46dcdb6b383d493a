//! SIGINT and SIGTERM: the first asks long work to stop at its next check
//! (it unwinds through its transaction and temporary files, so nothing is
//! left half-written); the libraries see it through `Progress::cancelled`.

use std::sync::atomic::{AtomicBool, Ordering};

static STOP: AtomicBool = AtomicBool::new(false);

/// Has the process been asked to stop?
pub fn stopping() -> bool {
    STOP.load(Ordering::Relaxed)
}

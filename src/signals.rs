//! SIGINT and SIGTERM for every command but `serve` (which finishes what
//! is in flight; see `serve`): the process stops within moments, whatever
//! it is doing, and leaves nothing half-written.
//!
//! - A write transaction not yet committed is rolled back by SQLite when
//!   the process ends (as after a `kill -9`: the journal is the guarantee).
//! - Temporary files (outputs being written, index files being built) are
//!   removed before the exit ([`polytm_core::output::remove_temporaries`]);
//!   those of a process killed with SIGKILL are removed by the next run
//!   that writes to the same folder.
//! - The exit code is 128 + the signal: 130 for SIGINT (Ctrl-C), 143 for
//!   SIGTERM.

use std::sync::atomic::{AtomicBool, Ordering};

static STOP: AtomicBool = AtomicBool::new(false);

/// Has the process been asked to stop?
pub fn stopping() -> bool {
    STOP.load(Ordering::Relaxed)
}

/// Listen for SIGINT and SIGTERM on a thread of their own.
#[cfg(unix)]
pub fn install() {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
        // cannot listen: the default action (exit) still stops the process;
        // a temporary file left is removed by the next run
        return;
    };
    std::thread::spawn(move || {
        if let Some(sig) = signals.forever().next() {
            STOP.store(true, Ordering::Relaxed);
            polytm_core::output::remove_temporaries();
            eprintln!("polytm: interrupted; what was not finished was not written");
            std::process::exit(128 + sig);
        }
    });
}

#[cfg(not(unix))]
pub fn install() {}

//! Progress on a terminal: the [`Progress`] the libraries report to, drawn
//! as bars on stderr when it is a terminal, silent in pipes, in CI and with
//! `--quiet`. Cancellation (SIGINT, SIGTERM) is read here too.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use indicatif::{ProgressBar, ProgressStyle};

use polytm_core::{Count, Progress};

static QUIET: AtomicBool = AtomicBool::new(false);

/// Turn progress display off for the whole run (`--quiet`).
pub fn set_quiet(q: bool) {
    QUIET.store(q, Ordering::Relaxed);
}

fn visible() -> bool {
    !QUIET.load(Ordering::Relaxed) && std::io::stderr().is_terminal()
}

/// Bars and spinners on stderr, one step at a time.
#[derive(Default)]
pub struct Bars {
    bar: Mutex<Option<ProgressBar>>,
}

impl Bars {
    pub fn new() -> Bars {
        Bars::default()
    }

    fn with(&self, f: impl FnOnce(&ProgressBar)) {
        if let Ok(b) = self.bar.lock()
            && let Some(pb) = b.as_ref()
        {
            f(pb)
        }
    }
}

impl Drop for Bars {
    fn drop(&mut self) {
        self.finish();
    }
}

impl Progress for Bars {
    fn step(&self, name: &str, total: Option<u64>, count: Count) {
        let pb = if !visible() {
            None
        } else {
            Some(match (total, count) {
                (Some(n), Count::Bytes) => bytes_bar(n, name),
                (Some(n), Count::Items) => bar(Some(n), name),
                (None, _) => spinner(name),
            })
        };
        if let Ok(mut b) = self.bar.lock() {
            if let Some(old) = b.take() {
                old.finish_and_clear();
            }
            *b = pb;
        }
    }

    fn set_total(&self, total: u64) {
        self.with(|pb| pb.set_length(total));
    }

    fn advance(&self, n: u64) {
        self.with(|pb| pb.inc(n));
    }

    fn set_done(&self, done: u64) {
        self.with(|pb| pb.set_position(done));
    }

    fn finish(&self) {
        if let Ok(mut b) = self.bar.lock()
            && let Some(pb) = b.take()
        {
            pb.finish_and_clear();
        }
    }

    fn cancelled(&self) -> bool {
        crate::signals::stopping()
    }
}

/// A bar over `len` items (or a spinner when the length is unknown: `None`).
fn bar(len: Option<u64>, what: &str) -> ProgressBar {
    let pb = match len {
        Some(n) => {
            let pb = ProgressBar::new(n);
            pb.set_style(
                ProgressStyle::with_template(
                    "{msg:>12} [{bar:30}] {human_pos}/{human_len} ({per_sec}, {eta} left)",
                )
                .expect("valid template")
                .progress_chars("=> "),
            );
            pb
        }
        None => {
            let pb = ProgressBar::new_spinner();
            pb.set_style(
                ProgressStyle::with_template("{spinner} {msg} {human_pos} ({per_sec})")
                    .expect("valid template"),
            );
            pb
        }
    };
    pb.set_message(what.to_string());
    pb
}

/// A bar over bytes of a file being read.
fn bytes_bar(len: u64, what: &str) -> ProgressBar {
    let pb = ProgressBar::new(len);
    pb.set_style(
        ProgressStyle::with_template(
            "{msg:>12} [{bar:30}] {binary_bytes}/{binary_total_bytes} ({binary_bytes_per_sec}, {eta} left)",
        )
        .expect("valid template")
        .progress_chars("=> "),
    );
    pb.set_message(what.to_string());
    pb
}

/// A spinner for a step of unknown length ("indexing and saving"), ticking
/// on its own until finished.
fn spinner(what: &str) -> ProgressBar {
    // Cleared when dropped, so an error message is not printed under a
    // stale step.
    let pb = ProgressBar::new_spinner().with_finish(indicatif::ProgressFinish::AndClear);
    pb.set_style(
        ProgressStyle::with_template("{spinner} {msg} ({elapsed})").expect("valid template"),
    );
    pb.set_message(what.to_string());
    pb.enable_steady_tick(std::time::Duration::from_millis(120));
    pb
}

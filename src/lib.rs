//! The `polytm` command line: one module per command in [`cli`], progress
//! bars and printing. `main.rs` parses the arguments and maps errors to exit
//! codes; the work is done by the libraries under `crates/`. (A library
//! target as well as the binary, so that `examples/quickstart.rs` runs the
//! same commands in-process.)

pub mod cli;
pub mod json;
pub mod progress;
pub mod serve;
pub mod signals;

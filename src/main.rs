//! The `polytm` binary: parse arguments, run one command, map errors to
//! exit codes.

use clap::Parser;

fn main() {
    let cli = polytm::cli::Cli::parse();
    match polytm::cli::run(cli) {
        Ok(()) => {}
        Err(polytm_core::Error::BrokenPipe) => {}
        Err(e) => {
            eprintln!("polytm: {e}");
            std::process::exit(e.exit_code());
        }
    }
}

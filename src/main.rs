//! The `polytm` binary: parse arguments, run one command, map errors to
//! exit codes.

use clap::Parser;

fn main() {
    let cli = polytm::cli::Cli::parse();
    // serve stops on its own terms: what is in flight finishes
    if !matches!(cli.command, polytm::cli::Command::Serve(_)) {
        polytm::signals::install();
    }
    match polytm::cli::run(cli) {
        Ok(()) => {}
        Err(polytm_core::Error::BrokenPipe) => {}
        Err(e) => {
            eprintln!("polytm: {}", e.short());
            std::process::exit(e.exit_code());
        }
    }
}

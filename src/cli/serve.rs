//! `polytm serve`: the translation memory and the glossary over HTTP, with
//! a web page, for a team (see [`crate::serve`]).
//!
//! ```text
//! polytm serve                                       http://127.0.0.1:8730, writes open to this machine
//! polytm serve --listen 0.0.0.0:8730 --token-file /etc/polytm/token
//! polytm serve --read-only --private --token-file token
//! ```

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args as ClapArgs;

use super::Ctx;
use polytm_core::error::{Error, Result};

#[derive(ClapArgs, Debug)]
#[command(
    about = "Serve the TM and glossary over HTTP, with a web page for a team",
    long_about = "Serve the translation memory and the glossary over HTTP: a web page at / \
        (term lookup, fuzzy matches, concordance, the glossary, alignment review) and a JSON API \
        (/api/match, /api/term, /api/concordance, /api/scan, /api/units, /api/import, \
        /api/export, /api/concepts, /api/documents, /api/health) whose answers are those of \
        the commands' --json; plus /tmserver/SRC/TGT/unit/TEXT for Translate Toolkit's \
        tmserver clients.\n\n\
        Reads are open, writes need `Authorization: Bearer TOKEN` when a token is set. A \
        server reachable from other machines (--listen on a non-loopback address) needs a \
        token. SIGTERM or SIGINT stops it once what is in flight has finished.",
    after_help = "Examples:\n  polytm serve\n  \
        polytm serve --listen 0.0.0.0:8730 --token-file /etc/polytm/token\n  \
        curl 'http://127.0.0.1:8730/api/match?from=en&to=ru&q=Open+the+file.'"
)]
pub struct Args {
    /// Address and port to listen on.
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:8730")]
    pub listen: SocketAddr,

    /// The token writes need (visible to other users in `ps`: prefer --token-file).
    #[arg(
        long,
        value_name = "TOKEN",
        conflicts_with = "token_file",
        env = "POLYTM_TOKEN",
        hide_env_values = true
    )]
    pub token: Option<String>,

    /// Read the token from this file (its first line).
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,

    /// Refuse every write (403).
    #[arg(long)]
    pub read_only: bool,

    /// Reads need the token too (a confidential TM).
    #[arg(long)]
    pub private: bool,

    /// One line per request on standard error.
    #[arg(long, short)]
    pub verbose: bool,

    #[command(flatten)]
    pub penalties: super::PenaltyArgs,

    /// Largest request body (an import) in megabytes.
    #[arg(long, value_name = "MB", default_value_t = 256, value_parser = clap::value_parser!(u64).range(1..=16384))]
    pub max_body: u64,
}

fn token(args: &Args) -> Result<Option<String>> {
    let t = match (&args.token, &args.token_file) {
        (Some(t), _) => t.clone(),
        (None, Some(p)) => {
            let text = std::fs::read_to_string(p).map_err(|e| Error::io(p, e))?;
            text.lines().next().unwrap_or("").to_string()
        }
        (None, None) => return Ok(None),
    };
    let t = t.trim().to_string();
    let flag = if args.token.is_some() {
        "--token"
    } else {
        "--token-file"
    };
    if t.is_empty() {
        return Err(Error::usage(format!("{flag}: the token is empty")));
    }
    if t.len() < 8 {
        return Err(Error::usage(format!(
            "{flag}: the token is shorter than 8 characters; anyone could guess it"
        )));
    }
    if t.chars().any(|c| c.is_control() || c == ' ') {
        return Err(Error::usage(format!(
            "{flag}: the token holds spaces or control characters"
        )));
    }
    Ok(Some(t))
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    let token = token(&args)?;
    if args.private && token.is_none() {
        return Err(Error::usage(
            "--private: reads need a token, so give one (--token or --token-file)",
        ));
    }
    let config = crate::serve::Config {
        listen: args.listen,
        token,
        read_only: args.read_only,
        private: args.private,
        verbose: args.verbose,
        max_body: (args.max_body as usize).saturating_mul(1 << 20),
        penalties: args.penalties.penalties()?,
        inline_reads: !ctx.db_path.to_str().is_some_and(super::pgstore::is_url),
    };
    crate::serve::run(ctx.open()?, config)
}

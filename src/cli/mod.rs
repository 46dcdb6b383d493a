//! The command line: one file per command, each opening with its help
//! text and flags, and doing nothing but wiring the library together.

pub mod align;
pub mod analyze;
pub mod batches;
pub mod concordance;
pub mod docs;
pub mod export;
pub mod glossary;
pub mod import;
pub mod lexicon;
pub mod match_;
pub mod migrate;
pub mod output;
pub mod pretranslate;
pub mod qa;
pub mod reindex;
pub mod segment;
pub mod serve;
pub mod stats;
pub mod term;
pub mod unit;

use std::path::PathBuf;
use std::sync::Arc;

use clap::{Parser, Subcommand};

use polytm_core::error::Result;
use polytm_postgres as pgstore;
use polytm_sqlite::SqliteDb;
use polytm_store::Database;

#[derive(Parser, Debug)]
#[command(
    name = "polytm",
    version,
    about = "Translation memory and glossary tool for English, Russian and Chinese",
    long_about = "Translation memory and glossary tool for English, Russian and Chinese.\n\n\
        Aligns EN/RU/ZH documents into a SQLite translation memory, keeps agency-name \
        glossaries, proposes fuzzy matches, exchanges TMX/TBX/XLIFF with CAT tools and \
        pre-translates documents.",
    after_help = "Exit codes: 0 success (also when a search finds nothing), 1 failure, \
        2 wrong usage, 3 malformed input file, 4 database problem, 5 file cannot be read or written, \
        6 qa found a fault of severity error."
)]
pub struct Cli {
    /// The translation memory: a file, or a PostgreSQL database as
    /// postgres://USER[:PASSWORD]@HOST:PORT/DB [default: $POLYTM_DB, else ./polytm.db].
    #[arg(long, global = true, value_name = "PATH|URL", env = "POLYTM_DB")]
    pub db: Option<PathBuf>,

    /// No progress bars.
    #[arg(long, short, global = true)]
    pub quiet: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    // Building the translation memory
    Align(align::Args),
    Segment(segment::Args),
    Lexicon(lexicon::Args),
    Import(import::Args),
    Export(export::Args),
    // Glossaries
    Glossary(glossary::Args),
    Term(term::Args),
    // Using the translation memory
    Match(match_::Args),
    Concordance(concordance::Args),
    Pretranslate(pretranslate::Args),
    Analyze(analyze::Args),
    Qa(qa::Args),
    // Maintaining it
    Stats(stats::Args),
    /// List or remove documents (files imported, texts aligned).
    #[command(subcommand)]
    Docs(docs::Cmd),
    /// List or undo imports and alignments (batches).
    #[command(subcommand)]
    Batches(batches::Cmd),
    /// Show, edit or delete one translation unit.
    #[command(subcommand)]
    Unit(unit::Cmd),
    Reindex(reindex::Args),
    Migrate(migrate::Args),
    // Sharing it
    Serve(serve::Args),
}

/// What to do with a unit whose text is already in the TM (`--on-duplicate`).
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnDuplicate {
    /// The same text in the same languages is one unit: do not add it again.
    #[default]
    Skip,
    /// A unit with the same source text: replace its other languages.
    Overwrite,
    /// Add it anyway.
    Keep,
}

impl From<OnDuplicate> for polytm_store::OnDuplicate {
    fn from(o: OnDuplicate) -> Self {
        match o {
            OnDuplicate::Skip => polytm_store::OnDuplicate::Skip,
            OnDuplicate::Overwrite => polytm_store::OnDuplicate::Overwrite,
            OnDuplicate::Keep => polytm_store::OnDuplicate::Keep,
        }
    }
}

/// What every command gets: where the database is.
pub struct Ctx {
    pub db_path: PathBuf,
}

impl Ctx {
    /// What no output of a command may replace: the database and its
    /// companions (add the command's inputs). A database on a server is
    /// no file here.
    pub fn protected(&self) -> polytm_core::output::Protected {
        match self.url() {
            Some(_) => polytm_core::output::Protected::new(),
            None => polytm_core::output::Protected::new().database(&self.db_path),
        }
    }

    /// The PostgreSQL URL `--db` gives, when it is one rather than a file.
    pub fn url(&self) -> Option<&str> {
        self.db_path.to_str().filter(|s| pgstore::is_url(s))
    }

    /// Does the database exist yet (a server's always may)?
    pub fn db_exists(&self) -> bool {
        self.url().is_some() || self.db_path.exists()
    }

    /// The database's name for messages: the path, or the URL without its
    /// password.
    pub fn db_name(&self) -> String {
        match self.url() {
            Some(url) => pgstore::redact(url),
            None => polytm_core::error::display_path(&self.db_path),
        }
    }

    /// Open (creating on first use) the translation memory.
    pub fn open(&self) -> Result<Arc<dyn Database>> {
        open_db(&self.db_path)
    }

    /// An empty private database in memory (a `--tm` file read for one run).
    pub fn scratch() -> Result<Arc<dyn Database>> {
        Ok(Arc::new(SqliteDb::in_memory()?))
    }

    /// Put the database file name on a database error raised without it.
    pub fn name_db(&self, e: polytm_core::Error) -> polytm_core::Error {
        match e {
            polytm_core::Error::Db { file, msg } if file.is_empty() => polytm_core::Error::Db {
                file: self.db_name(),
                msg,
            },
            e => e,
        }
    }
}

/// Open a translation memory: a PostgreSQL database when `db` is a
/// `postgres://` URL, else a file.
pub fn open_db(db: &std::path::Path) -> Result<Arc<dyn Database>> {
    match db.to_str().filter(|s| pgstore::is_url(s)) {
        Some(url) => Ok(Arc::new(pgstore::PgDb::open(url)?)),
        None => Ok(Arc::new(SqliteDb::open(db)?)),
    }
}

pub fn run(cli: Cli) -> Result<()> {
    crate::progress::set_quiet(cli.quiet);
    let ctx = Ctx {
        db_path: cli.db.unwrap_or_else(|| PathBuf::from("polytm.db")),
    };
    let result = match cli.command {
        Command::Stats(a) => stats::run(a, &ctx),
        Command::Glossary(a) => glossary::run(a, &ctx),
        Command::Term(a) => term::run(a, &ctx),
        Command::Segment(a) => segment::run(a, &ctx),
        Command::Align(a) => align::run(a, &ctx),
        Command::Lexicon(a) => lexicon::run(a, &ctx),
        Command::Import(a) => import::run(a, &ctx),
        Command::Export(a) => export::run(a, &ctx),
        Command::Docs(c) => docs::run(c, &ctx),
        Command::Batches(c) => batches::run(c, &ctx),
        Command::Unit(c) => unit::run(c, &ctx),
        Command::Match(a) => match_::run(a, &ctx),
        Command::Concordance(a) => concordance::run(a, &ctx),
        Command::Reindex(a) => reindex::run(a, &ctx),
        Command::Migrate(a) => migrate::run(a, &ctx),
        Command::Pretranslate(a) => pretranslate::run(a, &ctx),
        Command::Analyze(a) => analyze::run(a, &ctx),
        Command::Serve(a) => serve::run(a, &ctx),
        Command::Qa(a) => qa::run(a, &ctx),
    };
    result.map_err(|e| ctx.name_db(e))
}

/// `--penalty NAME=POINTS` and `--penalties FILE`, for the commands that
/// make proposals (see `polytm_engine::penalty`).
#[derive(clap::Args, Debug, Clone, Default)]
pub struct PenaltyArgs {
    /// Take points off proposals (repeatable): aligned=N (aligned, not
    /// reviewed), pretranslated=N, multiple-translations=N, tags=N,
    /// document:NAME=N. All are 0 unless set.
    #[arg(long = "penalty", value_name = "NAME=POINTS")]
    pub penalty: Vec<String>,

    /// A TOML file with a [penalties] table (aligned, pretranslated,
    /// multiple_translations, tags, and [penalties.documents]); --penalty
    /// options override it.
    #[arg(long = "penalties", id = "penalties_file", value_name = "FILE")]
    pub penalties_file: Option<PathBuf>,
}

impl PenaltyArgs {
    pub fn penalties(&self) -> Result<polytm_engine::penalty::Penalties> {
        let mut p = match &self.penalties_file {
            Some(f) => polytm_engine::penalty::Penalties::read(f)?,
            None => Default::default(),
        };
        for s in &self.penalty {
            p.set(s)?;
        }
        Ok(p)
    }
}

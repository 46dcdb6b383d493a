//! `polytm analyze`: how much of a job the translation memory already
//! covers, without translating anything.
//!
//! ```text
//! polytm analyze --from en --to ru[,zh] [--min 50] [--presplit] [--tm FILE]...
//!                [--json] [--html FILE] FILE...
//! ```
//!
//! Segments, words and characters per match band (repetitions, 100 %,
//! 95–99, 85–94, 75–84, 50–74, no match), per file and in total, for each
//! target language: the same analysis `pretranslate` prints at its end.

use std::path::PathBuf;

use clap::Args as ClapArgs;

use super::Ctx;
use super::output::{print_json, stdout};
use polytm_core::error::Result;
use polytm_core::output::Output;
use polytm_engine::pretranslate::Options;
use polytm_engine::pretranslate::report::{self, Report};

#[derive(ClapArgs, Debug)]
#[command(
    about = "Count segments, words and characters per match band (no translation written)",
    after_help = "Words are counted as CAT tools count them: a Chinese character is one word; \
        characters are counted without white space. A segment seen earlier in the batch is a \
        repetition.\n\nExample:\n  polytm analyze --from en --to ru,zh --html report.html release.en.txt"
)]
pub struct Args {
    /// Source language of the files.
    #[arg(long, value_name = "LANG")]
    pub from: String,

    /// Target language(s), comma-separated.
    #[arg(long, value_name = "LANG[,LANG]")]
    pub to: String,

    /// Matches below N % count as no match (bands start at 50 %).
    #[arg(long, default_value_t = 50, value_name = "N", value_parser = clap::value_parser!(u8).range(0..=100))]
    pub min: u8,

    /// Text files hold one segment a line.
    #[arg(long)]
    pub presplit: bool,

    /// Scan the whole TM instead of using the index (slow; for checking).
    #[arg(long)]
    pub exhaustive: bool,

    /// A TMX or TSV translation memory to use for this run only (repeatable).
    #[arg(long = "tm", value_name = "FILE")]
    pub tm: Vec<PathBuf>,

    /// Print JSON instead of tables.
    #[arg(long)]
    pub json: bool,

    /// Also write the analysis as a self-contained HTML page.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,

    #[command(flatten)]
    pub penalties: super::PenaltyArgs,

    /// Files to analyse (`-` for standard input).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    let (from, to) = super::pretranslate::languages(&args.from, &args.to)?;
    // the report may replace neither the database nor an input
    let protected = ctx
        .protected()
        .inputs(args.files.iter().map(|p| p.as_path()))
        .inputs(args.tm.iter().map(|p| p.as_path()));
    if let Some(h) = &args.html {
        protected.check(h)?;
    }
    let docs = super::pretranslate::read_inputs(&args.files, &from, &to, args.presplit)?;
    let opts = Options {
        min: args.min,
        band_floor: args.min,
        overwrite: false,
    };
    let results = super::pretranslate::analyse(
        ctx,
        &docs,
        &from,
        &to,
        &super::pretranslate::Lookup {
            tms: &args.tm,
            exhaustive: args.exhaustive,
            penalties: args.penalties.penalties()?,
        },
        &opts,
    )?;
    let reports: Vec<Report> = results.into_iter().map(|r| r.0).collect();
    if let Some(h) = &args.html {
        let mut out = Output::create(h, &protected)?;
        let html = report::to_html(&reports, &polytm_store::now());
        std::io::Write::write_all(&mut out, html.as_bytes()).map_err(|e| out.error(e))?;
        out.finish()?;
    }
    if args.json {
        return print_json(&report::to_json(&reports, false));
    }
    let mut out = stdout();
    out.write_all(report::render_table(&reports).as_bytes())?;
    if let Some(h) = &args.html {
        writeln!(out, "\nWrote {}", h.display())?;
    }
    out.flush()?;
    Ok(())
}

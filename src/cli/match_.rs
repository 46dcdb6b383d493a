//! `polytm match`: fuzzy-match proposals for a sentence, or for every line
//! of a file.
//!
//! ```text
//! polytm match --from en --to ru "The 9th meeting was held in 2019."
//! polytm match --from en --to zh --min 75 --limit 3 --json "Delete the file."
//! polytm match --from en --to ru --file queries.txt > best.tsv      # batch
//! ```
//!
//! Batch mode (`--file FILE`, `-` for standard input) reads one query a
//! line and prints, for each line, `n<TAB>score<TAB>target<TAB>source` of
//! the best proposal (empty fields when none reaches `--min`), or with
//! `--json` one JSON object a line: `{"n":1,"query":"...","matches":[...]}`.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

use clap::Args as ClapArgs;
use rayon::prelude::*;
use serde::Serialize;

use super::Ctx;
use super::output::{Stdout, stdout};
use crate::json::ProposalOut;
use polytm_core::error::{Error, Result};
use polytm_engine::matcher::{self, Matcher, Options, Proposal, QueryTerm};
use polytm_formats::input::{Utf16, read_text};
use polytm_fuzzy::diff;
use polytm_text::lang::{Lang, LangTag};

#[derive(ClapArgs, Debug)]
#[command(
    about = "Propose translations from the TM for a sentence (fuzzy match)",
    long_about = "Propose translations from the TM for a sentence: the units whose source is \
        most similar to it, best first, with a percentage as in CAT tools (100 = identical, \
        99 = differs only in case or spacing, 98 = only in punctuation, otherwise \
        100 × (1 − token edit distance / longer length), rounded down). When the query and a \
        match differ in numbers, months or glossary terms that can be found in the target, the \
        target is repaired (2018 → 2019, one agency's name for another's) and marked so; the score \
        stays that of the match. Glossary terms of the query are listed with their target terms.",
    after_help = "Examples:\n  polytm match --from en --to ru \"The 9th meeting was held in 2019.\"\n  \
        polytm match --from en --to zh --min 75 --json \"Delete the file.\"\n  \
        polytm match --from en --to ru --file queries.txt > best.tsv"
)]
pub struct Args {
    /// Language of the query.
    #[arg(long, value_name = "LANG")]
    pub from: String,

    /// Language of the proposals.
    #[arg(long, value_name = "LANG")]
    pub to: String,

    /// Lowest score to show (1–100).
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u8).range(1..=100))]
    pub min: u8,

    /// Most proposals per query.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub limit: u32,

    /// Print JSON.
    #[arg(long)]
    pub json: bool,

    /// Score every unit of the TM instead of using the index (slow; the
    /// result is the same).
    #[arg(long)]
    pub exhaustive: bool,

    /// Do not substitute changed numbers into the targets.
    #[arg(long)]
    pub no_repair: bool,

    /// Batch mode: one query a line from this file (`-`: standard input).
    #[arg(long, value_name = "FILE", conflicts_with = "text")]
    pub file: Option<PathBuf>,

    /// Print load and search times to standard error.
    #[arg(long)]
    pub timing: bool,

    #[command(flatten)]
    pub penalties: super::PenaltyArgs,

    /// The sentence to match (several words are joined with spaces).
    #[arg(value_name = "TEXT", required_unless_present = "file")]
    pub text: Vec<String>,
}

fn lang(flag: &str, value: &str) -> Result<Lang> {
    LangTag::parse(value)
        .map(|t| t.lang)
        .map_err(|e| Error::usage(format!("--{flag}: {e}")))
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    let from = lang("from", &args.from)?;
    let to = lang("to", &args.to)?;
    if from == to {
        return Err(Error::usage(format!(
            "--from and --to are the same language ({from})"
        )));
    }
    let query = args.text.join(" ");
    if args.file.is_none() && query.trim().is_empty() {
        return Err(Error::usage("the query is empty"));
    }
    // read the batch before opening the database: a bad file costs nothing
    let batch = match &args.file {
        Some(p) => Some(read_text(p, Utf16::Decode)?),
        None => None,
    };
    let penalties = args.penalties.penalties()?;
    let t0 = Instant::now();
    let store = ctx.open()?;
    let opts = Options {
        exhaustive: args.exhaustive,
        repair: !args.no_repair,
    };
    let mut matcher = Matcher::open(store, &from, &to, opts)?;
    matcher.set_penalties(penalties);
    let loaded = t0.elapsed();
    if matcher.segments() == 0 {
        eprintln!("polytm: note: the translation memory has no {from} text to match");
    }
    let limit = args.limit as usize;
    let t1 = Instant::now();
    let n = match batch {
        Some(text) => run_batch(&matcher, &text, &args, limit)?,
        None => {
            if matcher::wrong_script(&query, &from) {
                eprintln!(
                    "polytm: warning: the query does not look like {from} text (--from {from})"
                );
            }
            let props = matcher.best(&query, args.min, limit)?;
            let terms = matcher.query_terms(&query);
            print_one(&query, &props, &terms, &from, &args)?;
            1
        }
    };
    if args.timing {
        let q = t1.elapsed();
        eprintln!(
            "polytm: {} segments loaded in {:.3} s; {n} queries in {:.3} s ({:.0} queries/s)",
            matcher.segments(),
            loaded.as_secs_f64(),
            q.as_secs_f64(),
            n as f64 / q.as_secs_f64().max(1e-9)
        );
    }
    Ok(())
}

fn use_color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

fn print_one(
    query: &str,
    props: &[Proposal],
    terms: &[QueryTerm],
    from: &Lang,
    args: &Args,
) -> Result<()> {
    let mut out = stdout();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &crate::json::proposals(query, props, from))?;
        writeln!(out)?;
        out.flush()?;
        return Ok(());
    }
    print_terms(&mut out, terms, &args.to)?;
    if props.is_empty() {
        writeln!(out, "No match at or above {}%.", args.min)?;
        out.flush()?;
        return Ok(());
    }
    let color = use_color();
    for (i, p) in props.iter().enumerate() {
        let pieces = diff::word_diff(query, &p.source, from);
        let d = if color {
            diff::render_ansi(&pieces)
        } else {
            diff::render(&pieces)
        };
        if i > 0 {
            writeln!(out)?;
        }
        let mut meta = format!("unit {}", p.unit);
        if let Some(doc) = &p.document {
            meta.push_str(&format!(", {doc}"));
        }
        if p.tm != "main" {
            meta.push_str(&format!(", TM {}", p.tm));
        }
        meta.push_str(&format!(", {}", p.date));
        if p.reviewed {
            meta.push_str(", reviewed");
        }
        let flag = if p.repaired.is_some() {
            " repaired"
        } else {
            ""
        };
        writeln!(out, "{:>3}%{flag}  ({meta})", p.score)?;
        writeln!(out, "  diff    {}", one_line(&d))?;
        writeln!(out, "  source  {}", one_line(&p.source))?;
        writeln!(out, "  target  {}", one_line(&p.target))?;
        if let Some(r) = &p.repaired {
            let what: Vec<String> = r
                .changes
                .iter()
                .map(|c| format!("{} → {}", c.was, c.now))
                .collect();
            writeln!(out, "  repair  {}", what.join(", "))?;
            writeln!(out, "  TM      {}", one_line(&r.original_target))?;
        }
        if !p.penalties.is_empty() {
            writeln!(
                out,
                "  penalty {}",
                polytm_engine::penalty::describe(&p.penalties)
            )?;
        }
    }
    out.flush()?;
    Ok(())
}

/// "Glossary terms in the query", one a line, before the proposals.
fn print_terms(out: &mut Stdout, terms: &[QueryTerm], to: &str) -> Result<()> {
    if terms.is_empty() {
        return Ok(());
    }
    writeln!(out, "Glossary terms in the query:")?;
    for t in terms {
        let target = t.target.as_deref().unwrap_or("(no term)");
        let mut line = format!("  {} → {target}", t.text);
        if !t.alternatives.is_empty() {
            line.push_str(&format!(" (also: {})", t.alternatives.join("; ")));
        }
        if t.deprecated {
            line.push_str(" [deprecated in the query]");
        }
        writeln!(out, "{line}  [{to}]")?;
    }
    writeln!(out)?;
    Ok(())
}

fn one_line(s: &str) -> String {
    s.replace(['\n', '\r', '\t'], " ")
}

fn run_batch(matcher: &Matcher, text: &str, args: &Args, limit: usize) -> Result<usize> {
    let lines: Vec<&str> = text.lines().collect();
    let results: Vec<Result<Vec<Proposal>>> = lines
        .par_iter()
        .map(|q| {
            if q.trim().is_empty() {
                Ok(Vec::new())
            } else {
                matcher.best(q, args.min, limit)
            }
        })
        .collect();
    let mut out = stdout();
    for (i, (q, r)) in lines.iter().zip(results).enumerate() {
        let props = r?;
        if args.json {
            #[derive(Serialize)]
            struct Line<'a> {
                n: usize,
                query: &'a str,
                matches: Vec<ProposalOut<'a>>,
                #[serde(skip_serializing_if = "Vec::is_empty")]
                terms: Vec<QueryTerm>,
            }
            serde_json::to_writer(
                &mut out,
                &Line {
                    n: i + 1,
                    query: q,
                    matches: props.iter().map(|p| ProposalOut::new(p, None)).collect(),
                    terms: matcher.query_terms(q),
                },
            )?;
            writeln!(out)?;
        } else {
            match props.first() {
                Some(p) => writeln!(
                    out,
                    "{}\t{}\t{}\t{}",
                    i + 1,
                    p.score,
                    one_line(&p.target),
                    one_line(&p.source)
                )?,
                None => writeln!(out, "{}\t\t\t", i + 1)?,
            }
        }
    }
    out.flush()?;
    Ok(lines.len())
}

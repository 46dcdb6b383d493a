//! `polytm qa`: check translations against the glossary and for the
//! everyday faults (numbers, tags, spacing, brackets, look-alike letters ...).
//!
//! ```text
//! polytm qa [--from A --to B] [--json] [--html FILE] [--checks LIST] [--profile FILE] FILE...
//! polytm qa --tm --from A --to B [--json] [--html FILE] [--checks LIST] [--profile FILE]
//! ```
//!
//! Files are XLIFF 1.2/2.0, TMX, bilingual TSV/CSV (a header of language
//! codes), or a document with its translation (two text files, aligned on
//! the fly). The glossary in the database is the terminology checked
//! against; a file's translations are also compared with the TM's. Exit 6
//! when a finding has severity error.

use std::path::PathBuf;
use std::sync::Arc;

use clap::Args as ClapArgs;

use super::Ctx;
use super::output::{Table, print_json, stdout};
use crate::progress::Bars;
use polytm_core::error::{Error, Result};
use polytm_core::output::Output;
use polytm_engine::qa::input::{self, Wanted};
use polytm_engine::qa::report::{Meta, marked_window, to_html};
use polytm_engine::qa::{Checker, Finding, Settings, has_errors};
use polytm_glossary::Glossary;
use polytm_text::lang::LangTag;

#[derive(ClapArgs, Debug)]
#[command(
    about = "Check translations: glossary terms in any inflection, numbers, tags, spacing, brackets, look-alike letters ...",
    after_help = "Checks (--checks LIST: names to run only those, -name to switch one off, `all`):\n  \
        term          a glossary concept of the source not rendered by one of its allowed terms (any \
        inflection); a deprecated or forbidden term\n  \
        number        numbers, ordinals, dates, thousands separators\n  \
        tag           inline codes and placeholders (%s, {0}, <b>)\n  \
        empty         a blank or missing target\n  \
        untranslated  target = source (unless only numbers, names or codes)\n  \
        inconsistent  one source with several targets or the reverse, in the file and against the TM\n  \
        spacing       doubled, leading or trailing space; a space before punctuation\n  \
        brackets      unpaired brackets and quotes\n  \
        script        Latin look-alikes in Cyrillic words and the reverse\n  \
        repeat        a doubled word\n  \
        punctuation   final mark; half-width marks next to Chinese characters\n  \
        length        a length far outside the language pair's norm\n\n\
        A profile (--profile FILE, TOML) switches checks on and off, sets severities, lets words stay \
        untranslated and forbids terms:\n  \
        [checks]\n  length = false\n  punctuation = \"error\"\n  [untranslated]\n  allow = [\"UN\", \"OK\"]\n  \
        [[forbidden]]\n  lang = \"ru\"\n  term = \"Киргизия\"\n  use = \"Кыргызстан\"\n\n\
        Inputs: XLIFF 1.2/2.0, TMX, TSV/CSV with a header of language codes (the first language column \
        is the source unless --from/--to say otherwise), or a document and its translation (two .txt \
        files, in that order; they are aligned). Input files are never modified. Spans in --json are \
        character offsets into the text as read, inline codes of XLIFF/TMX counted as their markup.\n\n\
        Exit codes: 0 no finding of severity error, 6 at least one, 2 wrong usage, 3 malformed input \
        file (or a language pair the file does not have), 4 database problem, 5 file cannot be read \
        or written.\n\n\
        Examples:\n  polytm qa job.ru.xlf\n  polytm qa --from en --to ru --checks -length,-punctuation pairs.tsv\n  \
        polytm qa --from en --to zh release.en.txt release.zh.txt --html report.html\n  \
        polytm qa --tm --from en --to ru --json"
)]
pub struct Args {
    /// Source language (else the file's own).
    #[arg(long, value_name = "LANG")]
    pub from: Option<String>,

    /// Target language (else the file's own).
    #[arg(long, value_name = "LANG")]
    pub to: Option<String>,

    /// Check the translation memory itself (needs --from and --to).
    #[arg(long)]
    pub tm: bool,

    /// Print the findings as JSON.
    #[arg(long)]
    pub json: bool,

    /// Also write the findings as a self-contained HTML page.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,

    /// Checks to run (`term,number`), or to leave out (`-length`).
    #[arg(long, value_name = "LIST", allow_hyphen_values = true)]
    pub checks: Option<String>,

    /// A team's rules (TOML): checks, severities, exceptions, forbidden terms.
    #[arg(long, value_name = "FILE")]
    pub profile: Option<PathBuf>,

    /// Files to check.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

fn tag(s: &Option<String>, flag: &str) -> Result<Option<LangTag>> {
    s.as_deref()
        .map(|s| LangTag::parse(s).map_err(|e| Error::usage(format!("{flag}: {e}"))))
        .transpose()
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    let wanted = Wanted {
        from: tag(&args.from, "--from")?,
        to: tag(&args.to, "--to")?,
    };
    let mut settings = match &args.profile {
        Some(p) => Settings::from_file(p)?,
        None => Settings::default(),
    };
    if let Some(list) = &args.checks {
        settings.apply_list(list)?;
    }
    if args.tm && !args.files.is_empty() {
        return Err(Error::usage(
            "--tm checks the translation memory; give no files with it",
        ));
    }
    if !args.tm && args.files.is_empty() {
        return Err(Error::usage(
            "name the files to check, or --tm for the translation memory",
        ));
    }
    // the report may replace neither the database nor a file checked
    let protected = ctx
        .protected()
        .inputs(args.files.iter().map(|p| p.as_path()));
    if let Some(h) = &args.html {
        protected.check(h)?;
    }
    let db = ctx.open()?;
    let glossary = Glossary::from_concepts(db.reader()?.concepts()?);
    let progress = Bars::new();
    let batches = if args.tm {
        let (Some(from), Some(to)) = (&wanted.from, &wanted.to) else {
            return Err(Error::usage("--tm needs --from and --to"));
        };
        vec![input::read_tm(db.as_ref(), from, to)?]
    } else {
        input::read_all(&args.files, &wanted, Some(db.as_ref()), &progress)?
    };
    drop(progress);
    let mut findings: Vec<Finding> = Vec::new();
    let mut checkers: Vec<Checker> = Vec::new();
    for b in &batches {
        let k = match checkers
            .iter()
            .position(|c| c.from.lang == b.from.lang && c.to.lang == b.to.lang)
        {
            Some(k) => k,
            None => {
                checkers.push(Checker::new(&b.from, &b.to, &glossary, settings.clone()));
                checkers.len() - 1
            }
        };
        // a file's translations are compared with the TM's; the TM with itself
        let tm = (!args.tm).then(|| Arc::clone(&db));
        findings.extend(checkers[k].check_batch(b, tm)?);
    }
    let units: usize = batches.iter().map(|b| b.units.len()).sum();
    if let Some(h) = &args.html {
        let files: Vec<String> = batches.iter().map(|b| b.file.clone()).collect();
        let (from, to) = batches
            .first()
            .map(|b| (b.from.tag.clone(), b.to.tag.clone()))
            .unwrap_or_default();
        let html = to_html(
            &findings,
            &Meta {
                files: &files,
                from: &from,
                to: &to,
                units,
                generated: &polytm_store::now(),
                checks: &settings.checks(),
            },
        );
        let mut out = Output::create(h, &protected)?;
        std::io::Write::write_all(&mut out, html.as_bytes()).map_err(|e| out.error(e))?;
        out.finish()?;
    }
    if args.json {
        print_json(&findings)?;
    } else {
        print_table(&findings, units, batches.len(), args.html.as_ref())?;
    }
    let errors = findings
        .iter()
        .filter(|f| f.severity == polytm_engine::qa::Severity::Error)
        .count();
    if has_errors(&findings) {
        return Err(Error::Findings(errors));
    }
    Ok(())
}

fn print_table(
    findings: &[Finding],
    units: usize,
    files: usize,
    html: Option<&PathBuf>,
) -> Result<()> {
    let mut t =
        Table::new(["file", "unit", "check", "severity", "message", "segment"]).max_width(90);
    for f in findings {
        // the target with its span, else the source with its span
        let segment = match (&f.texts.target, f.target, f.source) {
            (Some(t), Some(sp), _) => marked_window(t, Some(sp), 60),
            (_, None, Some(sp)) => marked_window(&f.texts.source, Some(sp), 60),
            (Some(t), None, None) => marked_window(t, None, 60),
            (None, _, _) => marked_window(&f.texts.source, None, 60),
        };
        t.row([
            f.file.clone(),
            f.unit.clone(),
            f.check.name().to_string(),
            f.severity.name().to_string(),
            f.message.clone(),
            segment,
        ]);
    }
    let mut out = stdout();
    if !findings.is_empty() {
        out.write_all(t.render().as_bytes())?;
        writeln!(out)?;
    }
    let errors = findings
        .iter()
        .filter(|f| f.severity == polytm_engine::qa::Severity::Error)
        .count();
    let per: Vec<String> = polytm_engine::qa::counts(findings)
        .iter()
        .map(|(c, e, w)| format!("{} {}", c.name(), e + w))
        .collect();
    writeln!(
        out,
        "{} finding{} ({} error{}, {} warning{}) in {} unit{} of {} file{}{}",
        findings.len(),
        if findings.len() == 1 { "" } else { "s" },
        errors,
        if errors == 1 { "" } else { "s" },
        findings.len() - errors,
        if findings.len() - errors == 1 {
            ""
        } else {
            "s"
        },
        units,
        if units == 1 { "" } else { "s" },
        files,
        if files == 1 { "" } else { "s" },
        if per.is_empty() {
            String::new()
        } else {
            format!(": {}", per.join(", "))
        }
    )?;
    if let Some(h) = html {
        writeln!(out, "Wrote {}", h.display())?;
    }
    out.flush()?;
    Ok(())
}

//! `polytm pretranslate`: fill documents from the translation memory.
//!
//! ```text
//! polytm pretranslate --from en --to ru,zh [--min 75] [--presplit] [--tm FILE]...
//!                     [--format txt|tsv|xliff|tmx] [-o OUT] [--copy-source] [--overwrite]
//!                     [--report stderr|stdout|none] [--report-json] [--html FILE] FILE...
//! ```
//!
//! Inputs are plain text (cut into sentences, paragraphs kept), one
//! segment a line (`--presplit`), XLIFF 1.2/2.0 from a CAT tool (its
//! targets are filled; everything else is kept as it was), or Word,
//! OpenDocument and HTML documents (written back in their own format by
//! default: `guide.en.docx` → `guide.ru.docx`, matched sentences translated,
//! everything else as it was). Every distinct
//! segment is looked up once; repetitions get the same translation. The
//! match analysis is printed at the end, with where the outputs are.

use std::path::{Path, PathBuf};

use clap::Args as ClapArgs;

use super::Ctx;
use crate::progress::Bars;
use polytm_core::error::{Error, Result, display_path};
use polytm_core::{Count, Progress};
use polytm_engine::pretranslate::output::{self, Format, Pending};
use polytm_engine::pretranslate::report::{self, Report};
use polytm_engine::pretranslate::{Layout, Options, Outcome, SourceDoc, input};
use polytm_text::lang::{self, LangTag};

/// The output formats `--format` names.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormatArg {
    /// The draft translation: paragraphs and line breaks kept; fuzzy
    /// matches marked `[87%] `.
    Txt,
    /// One line per segment: `n<TAB>score<TAB>target<TAB>match source`.
    Tsv,
    /// XLIFF 1.2 (an XLIFF input is filled in its own version).
    Xliff,
    /// The proposals as TMX 1.4b, for a CAT tool's project TM.
    Tmx,
    /// The input's own format: a .docx, .odt or .html written back with the
    /// matched sentences translated; XLIFF filled; text as txt.
    Same,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Txt => Format::Txt,
            FormatArg::Tsv => Format::Tsv,
            FormatArg::Xliff => Format::Xliff,
            FormatArg::Tmx => Format::Tmx,
            FormatArg::Same => Format::Same,
        }
    }
}

#[derive(ClapArgs, Debug)]
#[command(
    about = "Pre-translate documents from the translation memory, with a match analysis",
    after_help = "Outputs: with one input and one target language, -o OUT is the output file \
        (standard output without -o); if OUT is an existing folder or ends in /, or there are several inputs \
        or target languages, one file per input and language is written in it \
        (release.en.txt → release.ru.txt). Outputs are complete or absent: each is written to a \
        temporary file and renamed. Input files are never modified.\n\n\
        Examples:\n  polytm pretranslate --from en --to ru,zh -o out/ release.en.txt\n  \
        polytm pretranslate --from en --to ru --format xliff -o job.ru.xlf job.xlf\n  \
        polytm pretranslate --from en --to zh --presplit --format tsv lines.txt"
)]
pub struct Args {
    /// Source language of the files (en, ru, zh, zh-CN ...).
    #[arg(long, value_name = "LANG")]
    pub from: String,

    /// Target language(s), comma-separated: ru or ru,zh.
    #[arg(long, value_name = "LANG[,LANG]")]
    pub to: String,

    /// Fill targets from matches of this score or more (0-100). The
    /// analysis shows bands from 50 % whatever the threshold.
    #[arg(long, default_value_t = 75, value_name = "N", value_parser = clap::value_parser!(u8).range(0..=100))]
    pub min: u8,

    /// Text files hold one segment a line (blank lines are not segments).
    #[arg(long)]
    pub presplit: bool,

    /// Scan the whole TM instead of using the index (slow; for checking).
    #[arg(long)]
    pub exhaustive: bool,

    /// A TMX or TSV translation memory to use for this run only, besides
    /// the database (repeatable). Nothing is stored.
    #[arg(long = "tm", value_name = "FILE")]
    pub tm: Vec<PathBuf>,

    /// Output format [default: same: .docx/.odt/.html written back, XLIFF
    /// filled, txt for text].
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,

    /// Output file, or folder (see below).
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    pub output: Option<PathBuf>,

    /// txt: where nothing matches, copy the source marked "[no match] ".
    #[arg(long)]
    pub copy_source: bool,

    /// XLIFF: replace targets that are already translated (kept otherwise).
    #[arg(long)]
    pub overwrite: bool,

    /// Where the analysis goes.
    #[arg(long, value_enum, default_value = "stderr", value_name = "WHERE")]
    pub report: ReportTo,

    /// Print the analysis as JSON (the same as `polytm analyze --json`).
    #[arg(long)]
    pub report_json: bool,

    /// Also write the analysis as a self-contained HTML page.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,

    #[command(flatten)]
    pub penalties: super::PenaltyArgs,

    /// Files to pre-translate (`-` for standard input).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportTo {
    Stderr,
    Stdout,
    None,
}

/// The languages of a run: `--from` and `--to`, checked.
pub fn languages(from: &str, to: &str) -> Result<(LangTag, Vec<LangTag>)> {
    let from = LangTag::parse(from).map_err(|m| Error::usage(format!("--from: {m}")))?;
    let to = lang::parse_list(to).map_err(|m| Error::usage(format!("--to: {m}")))?;
    if let Some(t) = to.iter().find(|t| t.lang == from.lang) {
        return Err(Error::usage(format!(
            "--to {} is the source language (--from {})",
            t.tag, from.tag
        )));
    }
    Ok((from, to))
}

/// Read every input first: a bad one stops the run before anything is written.
pub fn read_inputs(
    files: &[PathBuf],
    from: &LangTag,
    to: &[LangTag],
    presplit: bool,
) -> Result<Vec<SourceDoc>> {
    let split: &input::Splitter = if presplit {
        &input::lines_of
    } else {
        &input::sentences
    };
    let mut docs = Vec::with_capacity(files.len());
    for f in files {
        let d = input::read(f, from, split)?;
        for t in to {
            input::check_target(&d, t)?;
        }
        docs.push(d);
    }
    Ok(docs)
}

/// Where and how matches are looked up: the `--tm` files, `--exhaustive`,
/// the penalties.
pub struct Lookup<'a> {
    pub tms: &'a [PathBuf],
    pub exhaustive: bool,
    pub penalties: polytm_engine::penalty::Penalties,
}

/// Look every document up for every target language.
pub fn analyse(
    ctx: &Ctx,
    docs: &[SourceDoc],
    from: &LangTag,
    to: &[LangTag],
    lookup: &Lookup,
    opts: &Options,
) -> Result<Vec<(Report, Vec<Vec<Outcome>>)>> {
    let (tms, exhaustive) = (lookup.tms, lookup.exhaustive);
    let distinct = polytm_engine::pretranslate::distinct_segments(docs);
    let mut levs = Vec::with_capacity(to.len());
    let db = ctx.open()?;
    let bars = Bars::new();
    for t in to {
        let mut lev = polytm_engine::pretranslate::tm::open(
            db.clone(),
            from,
            t,
            tms,
            exhaustive,
            &Ctx::scratch,
            &bars,
        )?;
        lev.set_penalties(lookup.penalties.clone());
        for n in &lev.notes {
            eprintln!(
                "polytm: note: {}",
                polytm_core::error::one_line(n, polytm_core::error::MESSAGE_MAX)
            );
        }
        if lev.segments() == 0 {
            eprintln!(
                "polytm: note: the translation memory {} has no {} text to match{}",
                ctx.db_name(),
                from.tag,
                if tms.is_empty() {
                    ""
                } else {
                    ", nor do the --tm files"
                }
            );
        }
        levs.push(lev);
    }
    bars.step("matching", Some((distinct * to.len()) as u64), Count::Items);
    let mut out = Vec::with_capacity(to.len());
    for (t, lev) in to.iter().zip(&levs) {
        let outcomes = polytm_engine::pretranslate::leverage(docs, lev, opts, &bars)?;
        let rep = Report::build(from, t, docs, &outcomes);
        out.push((rep, outcomes));
    }
    bars.finish();
    Ok(out)
}

/// Where each (input, target language) output goes.
fn plan(
    args: &Args,
    docs: &[SourceDoc],
    from: &LangTag,
    to: &[LangTag],
) -> Result<Vec<Vec<Option<PathBuf>>>> {
    let several = docs.len() * to.len() > 1;
    let folder = match &args.output {
        None if several => {
            return Err(Error::usage(
                "several inputs or target languages make several outputs: give -o FOLDER",
            ));
        }
        None => None,
        Some(o) if several || is_folder(o) => {
            if o.exists() && !o.is_dir() {
                return Err(Error::Io {
                    file: display_path(o),
                    msg: if several {
                        "is a file; several outputs need a folder".into()
                    } else {
                        "is a file, not a folder".into()
                    },
                });
            }
            Some(o.clone())
        }
        Some(_) => None,
    };
    let mut plan = Vec::with_capacity(docs.len());
    let mut seen: Vec<PathBuf> = Vec::new();
    // The inputs were read already: only standard input ("-") has no
    // canonical path, and no output can overwrite it.
    let inputs: Vec<PathBuf> = docs
        .iter()
        .filter_map(|d| std::fs::canonicalize(&d.path).ok())
        .collect();
    for d in docs {
        let mut row = Vec::with_capacity(to.len());
        for t in to {
            let path = match (&folder, &args.output) {
                (Some(dir), _) => Some(dir.join(output::output_name(
                    &d.path,
                    from,
                    t,
                    extension(d, format_of(args, d)),
                ))),
                (None, Some(file)) => Some(file.clone()),
                (None, None) => None,
            };
            if let Some(p) = &path {
                if seen.contains(p) {
                    return Err(Error::usage(format!(
                        "two outputs would be written to {}: rename an input",
                        p.display()
                    )));
                }
                let canon = canonical_target(p);
                if inputs.iter().any(|i| Some(i) == canon.as_ref()) {
                    return Err(Error::usage(format!(
                        "{} is an input file; inputs are never overwritten",
                        p.display()
                    )));
                }
                seen.push(p.clone());
            }
            row.push(path);
        }
        plan.push(row);
    }
    Ok(plan)
}

/// `-o OUT` names a folder: an existing one, or a name ending in `/`.
fn is_folder(o: &Path) -> bool {
    o.is_dir()
        || o.as_os_str()
            .to_string_lossy()
            .ends_with(['/', std::path::MAIN_SEPARATOR])
}

/// The canonical path a file would have (its folder resolved).
fn canonical_target(p: &Path) -> Option<PathBuf> {
    // An output that does not exist yet has no canonical path: its
    // folder's is used; a missing folder is reported when writing.
    if let Ok(c) = std::fs::canonicalize(p) {
        return Some(c);
    }
    let dir = match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    Some(std::fs::canonicalize(dir).ok()?.join(p.file_name()?))
}

fn format_of(args: &Args, d: &SourceDoc) -> Format {
    match (args.format.map(Format::from), &d.layout) {
        (Some(f), _) if f != Format::Same => f,
        (_, Layout::Xliff(_)) => Format::Xliff,
        (_, Layout::Text { .. }) => Format::Txt,
        (_, Layout::Document(_)) => Format::Same,
    }
}

/// An XLIFF filled in place keeps its extension (`.sdlxliff`, `.xliff`).
fn extension(d: &SourceDoc, f: Format) -> &'static str {
    if let (Format::Same, Layout::Document(doc)) = (f, &d.layout) {
        return doc.kind.extension();
    }
    if f == Format::Xliff && matches!(d.layout, Layout::Xliff(_)) {
        match d
            .path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .as_deref()
        {
            Some("xliff") => "xliff",
            Some("sdlxliff") => "sdlxliff",
            Some("mqxliff") => "mqxliff",
            _ => "xlf",
        }
    } else {
        f.extension()
    }
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    let (from, to) = languages(&args.from, &args.to)?;
    if args.report == ReportTo::Stdout && args.output.is_none() {
        return Err(Error::usage(
            "--report stdout needs -o: the translation goes to standard output",
        ));
    }
    let docs = read_inputs(&args.files, &from, &to, args.presplit)?;
    let plan = plan(&args, &docs, &from, &to)?;
    // no output may replace the database, a document or a --tm file: said
    // before the work, not after
    let protected = ctx
        .protected()
        .inputs(args.files.iter().map(|p| p.as_path()))
        .inputs(args.tm.iter().map(|p| p.as_path()));
    for p in plan.iter().flatten().flatten().chain(&args.html) {
        protected.check(p)?;
    }
    let opts = Options {
        min: args.min,
        band_floor: polytm_engine::pretranslate::BAND_FLOOR,
        overwrite: args.overwrite,
    };
    let results = analyse(
        ctx,
        &docs,
        &from,
        &to,
        &Lookup {
            tms: &args.tm,
            exhaustive: args.exhaustive,
            penalties: args.penalties.penalties()?,
        },
        &opts,
    )?;

    let mut pending = Vec::new();
    for (di, d) in docs.iter().enumerate() {
        for (ti, t) in to.iter().enumerate() {
            let outs = &results[ti].1[di];
            let content = match format_of(&args, d) {
                Format::Txt => output::txt(d, outs, t, args.copy_source).into_bytes(),
                Format::Tsv => output::tsv(outs, args.min).into_bytes(),
                Format::Xliff => output::xliff(d, outs, &from, t, args.overwrite).into_bytes(),
                Format::Tmx => output::tmx(d, outs, &from, t)?.into_bytes(),
                Format::Same => output::document(d, outs, t)?,
            };
            pending.push(Pending {
                path: plan[di][ti].clone(),
                content,
                summary: summary(outs),
            });
        }
    }
    if let Some(dir) = args
        .output
        .as_ref()
        .filter(|o| docs.len() * to.len() > 1 || is_folder(o))
        && !dir.exists()
    {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    let reports: Vec<Report> = results.into_iter().map(|r| r.0).collect();
    if let Some(h) = &args.html {
        pending.push(Pending {
            path: Some(h.clone()),
            content: report::to_html(&reports, &polytm_store::now()).into_bytes(),
            summary: "match analysis".into(),
        });
    }
    output::write_all(&pending, &protected)?;

    let mut text = if args.report_json {
        serde_json::to_string_pretty(&report::to_json(&reports, true))? + "\n"
    } else {
        report::render_table(&reports)
    };
    if !args.report_json {
        text.push('\n');
        for p in &pending {
            match &p.path {
                Some(path) => text.push_str(&format!("Wrote {} ({})\n", path.display(), p.summary)),
                None => text.push_str(&format!("Wrote standard output ({})\n", p.summary)),
            }
        }
    }
    match args.report {
        ReportTo::Stderr => eprint!("{text}"),
        ReportTo::Stdout => {
            let mut o = super::output::stdout();
            o.write_all(text.as_bytes())?;
            o.flush()?;
        }
        ReportTo::None => {}
    }
    Ok(())
}

/// "12 segments: 5 exact, 4 fuzzy, 3 without a translation".
fn summary(outs: &[Outcome]) -> String {
    let exact = outs
        .iter()
        .filter(|o| {
            o.fill
                && o.hit
                    .as_ref()
                    .is_some_and(|h| h.score >= 100 && h.repaired.is_none())
        })
        .count();
    let fuzzy = outs.iter().filter(|o| o.fill).count() - exact;
    let kept = outs.iter().filter(|o| o.kept).count();
    let mut s = format!(
        "{} segment{}: {exact} exact, {fuzzy} fuzzy for review",
        outs.len(),
        if outs.len() == 1 { "" } else { "s" }
    );
    if kept > 0 {
        s.push_str(&format!(", {kept} already translated"));
    }
    s.push_str(&format!(", {} empty", outs.len() - exact - fuzzy - kept));
    s
}

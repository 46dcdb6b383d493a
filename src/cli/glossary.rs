//! `polytm glossary import|export|scan|list`: glossaries in and out of the
//! translation memory, and glossary terms found in running text.
//!
//! ```text
//! polytm glossary import glossaries/sco-counter-narcotics.tsv terms.tbx
//! polytm glossary export --format tbx -o sco.tbx            (TBX-Basic 2019)
//! polytm glossary export --format tbx --tbx-dialect martif -o sco.tbx   (OmegaT)
//! polytm glossary export --format tsv --langs en,ru
//! polytm glossary scan --lang ru --json release.ru.txt
//! polytm glossary list
//! ```

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args as ClapArgs, Subcommand, ValueEnum};

use super::Ctx;
use super::output::{Table, print_json, stdout};
use crate::progress::Bars;
use polytm_core::error::{Error, Result, display_path};
use polytm_engine::glossary::{for_export, import_files};
use polytm_formats::glossary_table::write_table;
use polytm_formats::input;
use polytm_formats::registry::{self, Kind, Purpose};
use polytm_formats::table::Delim;
use polytm_formats::tbx::{Dialect, write_tbx};
use polytm_glossary::merge::MergeStats;
use polytm_glossary::model::{Concept, TermStatus};
use polytm_glossary::{Glossary, Hit};
use polytm_store::Database;
use polytm_text::lang::{self, Lang};

#[derive(ClapArgs, Debug)]
#[command(about = "Import, export, list glossaries; find their terms in a text")]
pub struct Args {
    #[command(subcommand)]
    pub action: Action,
}

#[derive(Subcommand, Debug)]
pub enum Action {
    Import(ImportArgs),
    Export(ExportArgs),
    Scan(ScanArgs),
    List(ListArgs),
}

#[derive(ClapArgs, Debug)]
#[command(
    about = "Import glossaries: TSV/CSV with a header of language codes, or TBX",
    long_about = "Import glossaries into the translation memory.\n\n\
        TSV/CSV: a header row of language codes (en, ru, zh-CN ...) and optional note, \
        source and domain columns; several terms in a cell separated by ' | ', the first \
        preferred, '~term' deprecated, '[abbr] term' (or a term in capitals) an abbreviation.\n\
        TBX: TBX-Basic 2019 (<tbx>) or the older <martif> form.\n\n\
        A concept that shares a term (same language, same text ignoring case; \
        abbreviations excepted) with one already stored is merged into it, so importing \
        the same file twice adds nothing. All files go in one transaction: on any error \
        nothing is imported."
)]
pub struct ImportArgs {
    /// Glossary files (.tsv, .csv, .tbx; `-` for standard input).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// The format, when the file name does not tell.
    #[arg(long, value_enum)]
    pub format: Option<InFormat>,

    /// Check the files and report what would change, without writing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum InFormat {
    Tsv,
    Csv,
    Tbx,
}

#[derive(ClapArgs, Debug)]
#[command(about = "Export the glossary as TBX (default) or TSV/CSV")]
pub struct ExportArgs {
    /// tbx, tsv or csv [default: from the -o file name, else tbx].
    #[arg(long, value_enum)]
    pub format: Option<OutFormat>,

    /// TBX flavour: tbx (TBX-Basic 2019) or martif (TBX 2008, for OmegaT
    /// and Translate Toolkit).
    #[arg(long, value_enum, default_value = "tbx")]
    pub tbx_dialect: DialectArg,

    /// Only these languages (comma-separated); concepts without any are left out.
    #[arg(long, value_name = "LANGS")]
    pub langs: Option<String>,

    /// Output file [default: standard output]. Written to a temporary file
    /// and renamed, so a failed export leaves no half file.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// The TBX flavours `--tbx-dialect` names.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DialectArg {
    Tbx,
    Martif,
}

impl From<DialectArg> for Dialect {
    fn from(d: DialectArg) -> Dialect {
        match d {
            DialectArg::Tbx => Dialect::Tbx,
            DialectArg::Martif => Dialect::Martif,
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutFormat {
    Tbx,
    Tsv,
    Csv,
}

#[derive(ClapArgs, Debug)]
#[command(
    about = "Find glossary terms in a text (longest match first, no overlaps)",
    long_about = "Find glossary terms in running text: Russian in any case (Министерства / \
        Министерством ...), English possessives and spelling variants, Chinese inside \
        unbroken text. Longest match first, no overlaps.\n\n\
        --json prints [{\"start\":c,\"end\":c,\"text\":\"...\",\"concept\":{\"en\":[...],\"ru\":[...],\"zh\":[...]}, ...}] \
        with offsets in characters of the whole input; text is exactly the characters start..end."
)]
pub struct ScanArgs {
    /// Language of the text (en, ru, zh ...).
    #[arg(long)]
    pub lang: String,

    /// Print JSON (one array of hits).
    #[arg(long)]
    pub json: bool,

    /// The text [default: standard input].
    #[arg(value_name = "FILE", default_value = "-")]
    pub file: PathBuf,
}

#[derive(ClapArgs, Debug)]
#[command(about = "List the glossary's concepts")]
pub struct ListArgs {
    /// Only concepts with terms in this language.
    #[arg(long)]
    pub lang: Option<String>,

    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    match args.action {
        Action::Import(a) => import(a, ctx),
        Action::Export(a) => export(a, ctx),
        Action::Scan(a) => scan(a, ctx),
        Action::List(a) => list(a, ctx),
    }
}

/// The glossary of a TM.
pub(crate) fn load(db: &dyn Database) -> Result<Glossary> {
    Ok(Glossary::from_concepts(db.reader()?.concepts()?))
}

/// Parse `--lang` into a language key.
pub(crate) fn parse_lang(flag: &str, s: &str) -> Result<Lang> {
    polytm_text::lang::LangTag::parse(s)
        .map(|t| t.lang)
        .map_err(|m| Error::usage(format!("{flag} {s}: {m}")))
}

// ---------------------------------------------------------------------------
// import

impl From<InFormat> for Kind {
    fn from(f: InFormat) -> Kind {
        match f {
            InFormat::Tsv => Kind::Tsv,
            InFormat::Csv => Kind::Csv,
            InFormat::Tbx => Kind::Tbx,
        }
    }
}

fn describe(s: &MergeStats) -> String {
    let plural = |n: usize, w: &str| {
        if n == 1 {
            format!("{n} {w}")
        } else {
            format!("{n} {w}s")
        }
    };
    let mut parts = vec![
        format!("{} added", plural(s.added, "concept")),
        format!("{} merged", s.merged),
        format!("{} unchanged", s.unchanged),
    ];
    parts.push(format!("{} added", plural(s.terms_added, "term")));
    if s.ambiguous > 0 {
        parts.push(format!("{} matched several concepts", s.ambiguous));
    }
    parts.join(", ")
}

fn import(args: ImportArgs, ctx: &Ctx) -> Result<()> {
    let files = args
        .files
        .iter()
        .map(|f| {
            let kind = registry::detect(f, args.format.map(Kind::from), Purpose::Glossary)?;
            Ok((f.as_path(), kind))
        })
        .collect::<Result<Vec<(&Path, Kind)>>>()?;
    let db = ctx.open()?;
    let r = import_files(db.as_ref(), &files, args.dry_run, &Bars::new())?;
    for w in &r.warnings {
        eprintln!("polytm: warning: {w}");
    }
    let (reports, total) = (r.files, r.total);
    let mut out = stdout();
    let verb = if args.dry_run { "would be: " } else { "" };
    for r in &reports {
        writeln!(out, "{}: {verb}{}", r.file, describe(&r.stats))?;
    }
    if reports.len() > 1 {
        writeln!(out, "total: {verb}{}", describe(&total))?;
    }
    if args.dry_run {
        writeln!(out, "(dry run: nothing was written)")?;
    }
    out.flush()?;
    Ok(())
}

// ---------------------------------------------------------------------------
// export

fn export(args: ExportArgs, ctx: &Ctx) -> Result<()> {
    let langs = match &args.langs {
        Some(s) => {
            Some(lang::parse_list(s).map_err(|m| Error::usage(format!("--langs {s}: {m}")))?)
        }
        None => None,
    };
    let format = args.format.unwrap_or_else(|| {
        match args
            .output
            .as_ref()
            .and_then(|p| p.extension())
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("tsv" | "txt" | "tab") => OutFormat::Tsv,
            Some("csv") => OutFormat::Csv,
            _ => OutFormat::Tbx,
        }
    });
    let concepts = for_export(&ctx.open()?.reader()?.concepts()?, langs.as_deref());
    let write = |out: &mut dyn Write| -> std::io::Result<()> {
        match format {
            OutFormat::Tbx => write_tbx(out, &concepts, args.tbx_dialect.into()),
            OutFormat::Tsv => write_table(out, &concepts, Delim::Tab),
            OutFormat::Csv => write_table(out, &concepts, Delim::Comma),
        }
    };
    match args.output.as_deref().filter(|p| p.as_os_str() != "-") {
        None => {
            let mut out = stdout();
            write(&mut out).map_err(Error::stdout)?;
            out.flush()?;
        }
        Some(p) => write_atomically(p, &write)?,
    }
    if args.output.as_ref().is_some_and(|p| p.as_os_str() != "-") {
        eprintln!(
            "polytm: {} concepts written to {}",
            concepts.len(),
            args.output
                .as_ref()
                .map(|p| display_path(p))
                .unwrap_or_default()
        );
    }
    Ok(())
}

/// Write through a temporary file in the same folder, then rename.
pub(crate) fn write_atomically(
    path: &Path,
    write: &dyn Fn(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    if path.is_dir() {
        return Err(Error::Io {
            file: display_path(path),
            msg: "is a folder, not a file".into(),
        });
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let io = |e: std::io::Error| Error::io(path, e);
    let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(|e| Error::io(&dir, e))?;
    {
        let mut w = std::io::BufWriter::new(tmp.as_file_mut());
        write(&mut w).map_err(io)?;
        w.flush().map_err(io)?;
    }
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

// ---------------------------------------------------------------------------
// scan

fn scan(args: ScanArgs, ctx: &Ctx) -> Result<()> {
    let lang = parse_lang("--lang", &args.lang)?;
    let text = input::read_text(&args.file, input::Utf16::Refuse)?;
    let glossary = load(ctx.open()?.as_ref())?;
    if glossary.is_empty() {
        eprintln!(
            "polytm: the glossary is empty; import one first: polytm glossary import glossaries/sco-counter-narcotics.tsv"
        );
    }
    let rec = glossary.recognizer(&lang);
    if rec.is_empty() && !glossary.is_empty() {
        let have: Vec<String> = glossary.langs().iter().map(|l| l.to_string()).collect();
        eprintln!(
            "polytm: the glossary has no terms in '{lang}' (it has {})",
            have.join(", ")
        );
    }
    let hits = rec.scan(&text);
    if args.json {
        return print_json(&crate::json::scan(&glossary, &hits));
    }
    print_hits_table(&glossary, &text, &hits)
}

fn print_hits_table(glossary: &Glossary, text: &str, hits: &[Hit]) -> Result<()> {
    let langs: Vec<Lang> = glossary.langs().into_iter().take(3).collect();
    let mut header = vec!["line:col".to_string(), "found".to_string()];
    header.extend(langs.iter().map(|l| l.to_string()));
    let mut t = Table::new(header).max_width(48);
    // line:col of each hit, walking the text once
    let mut line = 1usize;
    let mut col = 1usize;
    let mut at = 0usize;
    let mut chars = text.chars();
    for h in hits {
        while at < h.start {
            match chars.next() {
                Some('\n') => {
                    line += 1;
                    col = 1;
                }
                Some(_) => col += 1,
                None => break,
            }
            at += 1;
        }
        let Some(c) = glossary.concept(h.concept_id) else {
            continue;
        };
        let mut row = vec![format!("{line}:{col}"), h.text.replace('\n', " ")];
        if h.status == TermStatus::Deprecated {
            row[1].push_str(" (deprecated)");
        }
        for l in &langs {
            row.push(c.preferred(l).map(|t| t.text.clone()).unwrap_or_default());
        }
        t.row(row);
    }
    t.print()
}

// ---------------------------------------------------------------------------
// list

fn list(args: ListArgs, ctx: &Ctx) -> Result<()> {
    let lang = match &args.lang {
        Some(l) => Some(parse_lang("--lang", l)?),
        None => None,
    };
    let glossary = load(ctx.open()?.as_ref())?;
    let concepts: Vec<&Concept> = glossary
        .concepts()
        .iter()
        .filter(|c| lang.as_ref().is_none_or(|l| c.terms(l).next().is_some()))
        .collect();
    if args.json {
        return print_json(&concepts);
    }
    let langs: Vec<Lang> = glossary.langs();
    let mut header = vec!["id".to_string()];
    header.extend(langs.iter().map(|l| l.to_string()));
    header.push("terms".into());
    let mut t = Table::new(header).max_width(44);
    for c in concepts {
        let mut row = vec![c.id.to_string()];
        for l in &langs {
            row.push(c.preferred(l).map(|t| t.text.clone()).unwrap_or_default());
        }
        row.push(c.terms.len().to_string());
        t.row(row);
    }
    t.print()
}

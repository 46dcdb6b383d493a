//! `polytm concordance`: the units whose text contains a phrase, with the
//! phrase highlighted and the unit's other languages.
//!
//! ```text
//! polytm concordance "Министерство внутренних дел"      # any inflection
//! polytm concordance --lang zh 组织 --limit 5
//! polytm concordance --lang en "member states" --json
//! ```

use std::io::IsTerminal;

use clap::Args as ClapArgs;

use super::Ctx;
use super::output::stdout;
use polytm_core::error::{Error, Result};
use polytm_engine::concordance::{self, ConcordanceHit};
use polytm_text::lang::LangTag;

#[derive(ClapArgs, Debug)]
#[command(
    about = "Find the units that contain a phrase (concordance search)",
    long_about = "Find the units whose text in one language contains a phrase: case-insensitive; \
        English and Russian words in any inflection (Министерство finds Министерства, \
        Министерством; agency finds agencies) unless --exact; Chinese as a substring. The phrase \
        is highlighted, the unit's other languages are shown; most recent units first.",
    after_help = "Examples:\n  polytm concordance \"Министерство внутренних дел\"\n  \
        polytm concordance --lang zh 组织 --limit 5\n  \
        polytm concordance --lang en \"member states\" --json"
)]
pub struct Args {
    /// The phrase (several words are joined with spaces).
    #[arg(value_name = "PHRASE", required = true)]
    pub phrase: Vec<String>,

    /// Language of the phrase [default: guessed from its script: Han → zh,
    /// Cyrillic → ru, Latin → en].
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,

    /// Most units to show.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub limit: u32,

    /// Match the words as written (case aside), not their other inflections.
    #[arg(long)]
    pub exact: bool,

    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    let phrase = args.phrase.join(" ");
    if phrase.trim().is_empty() {
        return Err(Error::usage("the phrase is empty"));
    }
    let lang = match &args.lang {
        Some(l) => LangTag::parse(l)
            .map(|t| t.lang)
            .map_err(|e| Error::usage(format!("--lang: {e}")))?,
        None => concordance::guess_lang(&phrase)
            .ok_or_else(|| Error::usage("cannot tell the language of the phrase: give --lang"))?,
    };
    let db = ctx.open()?;
    let found = concordance::search(db.as_ref(), &phrase, &lang, args.exact, args.limit as usize)?;
    let mut out = stdout();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &crate::json::concordance(&found.hits, &lang))?;
        writeln!(out)?;
        out.flush()?;
        if found.more {
            eprintln!("polytm: more units contain it; raise --limit to see them");
        }
        return Ok(());
    }
    if found.hits.is_empty() {
        writeln!(out, "No unit contains \"{phrase}\" in {lang}.")?;
        out.flush()?;
        return Ok(());
    }
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    for (i, h) in found.hits.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        let mut meta = format!("unit {}", h.unit);
        if let Some(d) = &h.document {
            meta.push_str(&format!(", {d}"));
        }
        writeln!(out, "({meta})")?;
        writeln!(out, "  {:<3} {}", lang.as_str(), highlight(h, color))?;
        for (l, t) in &h.others {
            writeln!(out, "  {l:<3} {}", one_line(t))?;
        }
    }
    if found.more {
        writeln!(
            out,
            "\n(first {} units shown; more contain it: raise --limit)",
            found.hits.len()
        )?;
    }
    out.flush()?;
    Ok(())
}

/// The text with the phrase marked: `[[...]]`, or bold yellow on a terminal.
fn highlight(h: &ConcordanceHit, color: bool) -> String {
    let chars: Vec<char> = h.text.chars().collect();
    let (open, close) = if color {
        ("\x1b[1;33m", "\x1b[0m")
    } else {
        ("[[", "]]")
    };
    let mut s = String::new();
    let mut at = 0;
    for &(a, b) in &h.spans {
        let (a, b) = (a.min(chars.len()), b.min(chars.len()));
        if a < at {
            continue;
        }
        s.extend(&chars[at..a]);
        s.push_str(open);
        s.extend(&chars[a..b]);
        s.push_str(close);
        at = b;
    }
    s.extend(&chars[at..]);
    one_line(&s)
}

fn one_line(s: &str) -> String {
    s.replace(['\n', '\r', '\t'], " ")
}

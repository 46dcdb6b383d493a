//! `polytm segment`: cut a text into sentences.
//!
//! ```text
//! polytm segment --lang L [FILE|-] [--json]
//! ```
//!
//! Prints one sentence a line and a blank line between paragraphs (blank
//! lines in the input separate paragraphs; a sentence never crosses one).
//! Line breaks inside a sentence of a hard-wrapped paragraph become one
//! space (none between Chinese characters); everything else is printed as
//! read. `--json` prints the paragraphs with character offsets instead.

use std::path::PathBuf;

use clap::Args as ClapArgs;
use serde::Serialize;

use super::Ctx;
use super::output::{print_json, stdout};
use polytm_core::error::{Error, Result, display_path};
use polytm_formats::registry;
use polytm_text::lang::{Lang, LangTag};
use polytm_text::segment::{Segmenter, one_line};

#[derive(ClapArgs, Debug)]
#[command(
    about = "Cut a text into sentences, one a line",
    long_about = "Cut a text into sentences by the rules of its language: one sentence a line, \
        a blank line between paragraphs (blank lines in the input separate paragraphs).\n\n\
        English and Russian know their abbreviations and initials (Mr., U.N., e.g., No. 5, \
        г., т. е., им., А. Жайчибеков), list numbering, decimal numbers, URLs and e-mail \
        addresses; Chinese ends sentences at 。！？；… and the closing quotes after them.",
    after_help = "Examples:\n  polytm segment --lang en release.txt\n  \
        polytm segment --lang zh - < release.zh.txt > release.zh.sentences\n  \
        polytm segment --lang ru --json release.ru.txt"
)]
pub struct Args {
    /// Language of the text: en, ru, zh (zh-CN ...), or any other code (generic rules).
    #[arg(long, short = 'l', value_name = "LANG")]
    pub lang: String,

    /// The text file; `-` or nothing reads standard input.
    #[arg(value_name = "FILE", default_value = "-")]
    pub file: PathBuf,

    /// Print JSON: paragraphs of sentences with character offsets.
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct JsonSentence {
    start: usize,
    end: usize,
    text: String,
}

pub fn run(args: Args, _ctx: &Ctx) -> Result<()> {
    let tag = LangTag::parse(&args.lang).map_err(|e| Error::usage(format!("--lang: {e}")))?;
    let text = registry::read_document(&args.file)?;
    warn_if_wrong_script(&args.file, &text, &tag.lang);
    let chars: Vec<char> = text.chars().collect();
    let paragraphs = Segmenter::new(&tag.lang).segment_chars(&chars);
    if args.json {
        let out: Vec<Vec<JsonSentence>> = paragraphs
            .iter()
            .map(|p| {
                p.sentences
                    .iter()
                    .map(|s| JsonSentence {
                        start: s.start,
                        end: s.end,
                        text: chars[s.start..s.end].iter().collect(),
                    })
                    .collect()
            })
            .collect();
        return print_json(&out);
    }
    let mut out = stdout();
    for (k, p) in paragraphs.iter().enumerate() {
        if k > 0 {
            writeln!(out)?;
        }
        for s in &p.sentences {
            writeln!(out, "{}", one_line(&chars, *s))?;
        }
    }
    out.flush()?;
    Ok(())
}

/// Warn (on stderr) when a text does not look like it is written in the
/// script of its language: a Russian file given as `zh` and the like.
pub fn warn_if_wrong_script(path: &std::path::Path, text: &str, lang: &Lang) {
    if let Some(share) = polytm_text::normalize::script_share(text, lang)
        && share < 0.5
    {
        let script = lang.profile().script.letters();
        eprintln!(
            "polytm: warning: {}: only {:.0}% of its letters are {script}; is it really '{}'?",
            display_path(path),
            share * 100.0,
            lang
        );
    }
}

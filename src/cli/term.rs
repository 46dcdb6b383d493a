//! `polytm term QUERY`: look a term up in any language and any form; and
//! `term add|edit|remove` to keep the glossary from the command line.
//!
//! ```text
//! polytm term "министерства внутренних дел"          exact, inflected, prefix, contained
//! polytm term 内务部 --json
//! polytm term add --en "Ministry of Emergency Situations" --ru "МЧС | Министерство по чрезвычайным ситуациям" --note "..."
//! polytm term add --term kk="Қазақстан Республикасы" --en "Republic of Kazakhstan"
//! polytm term edit 12 --add ru="МВД РК" --prefer en="Interior Ministry of Kazakhstan" --note "checked 2024"
//! polytm term remove 12 13
//! ```

use clap::{Args as ClapArgs, Subcommand};

use super::Ctx;
use super::glossary::parse_lang;
use super::output::{Table, print_json, stdout};
use polytm_core::error::{Error, Result};
use polytm_engine::glossary as eg;
use polytm_glossary::MatchKind;
use polytm_glossary::model::{Concept, NewConcept, NewTerm, TermStatus, parse_cell};
use polytm_store::{ConceptFields, Writer};
use polytm_text::lang::{Lang, LangTag};

#[derive(ClapArgs, Debug)]
#[command(
    about = "Look up a term in any language and form; add, edit, remove terms",
    long_about = "Look up QUERY in the glossary, in any language: exact, inflected \
        ('министерства внутренних дел' finds 'Министерство внутренних дел ...'), prefix, \
        contained words, Chinese by substring; a longer text finds the concepts it names. \
        Every concept found is shown with all its languages.\n\n\
        To search for a word that is also a subcommand, write: polytm term -- add",
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
pub struct Args {
    #[command(subcommand)]
    pub action: Option<Action>,

    /// What to look up.
    #[arg(required = true)]
    pub query: Option<String>,

    /// Only match terms of this language (all languages are still shown).
    #[arg(long)]
    pub lang: Option<String>,

    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Subcommand, Debug)]
pub enum Action {
    Add(AddArgs),
    Edit(EditArgs),
    Remove(RemoveArgs),
}

#[derive(ClapArgs, Debug)]
#[command(
    about = "Add a concept with its terms (or merge them into the concept that has one of them)",
    long_about = "Add a concept. Each value is a cell: several terms separated by ' | ', the \
        first preferred, '~term' deprecated, '[abbr] term' (or a term in capitals) an \
        abbreviation. Options can be repeated. When one of the terms (not an abbreviation) \
        already belongs to a concept, the new terms are added to that concept instead."
)]
pub struct AddArgs {
    /// English term(s).
    #[arg(long, value_name = "TERM")]
    pub en: Vec<String>,
    /// Russian term(s).
    #[arg(long, value_name = "TERM")]
    pub ru: Vec<String>,
    /// Chinese (Simplified) term(s).
    #[arg(long, value_name = "TERM")]
    pub zh: Vec<String>,
    /// A term in any language: LANG=TEXT (kk=..., zh-TW=...).
    #[arg(long = "term", value_name = "LANG=TEXT")]
    pub terms: Vec<String>,
    #[arg(long)]
    pub note: Option<String>,
    #[arg(long)]
    pub source: Option<String>,
    #[arg(long)]
    pub domain: Option<String>,
    /// Print the concept as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(ClapArgs, Debug)]
#[command(about = "Change a concept: add, remove, prefer or deprecate terms; set its note")]
pub struct EditArgs {
    /// The concept id (as `polytm term` and `glossary list` show it).
    pub id: i64,
    /// Add term(s): LANG=TEXT (a cell: ' | ', '~', '[abbr]' allowed).
    #[arg(long, value_name = "LANG=TEXT")]
    pub add: Vec<String>,
    /// Remove a term: LANG=TEXT (case is ignored).
    #[arg(long, value_name = "LANG=TEXT")]
    pub remove: Vec<String>,
    /// Make a term the preferred one of its language (added if missing).
    #[arg(long, value_name = "LANG=TEXT")]
    pub prefer: Vec<String>,
    /// Mark a term deprecated.
    #[arg(long, value_name = "LANG=TEXT")]
    pub deprecate: Vec<String>,
    /// Set the note ("" clears it).
    #[arg(long)]
    pub note: Option<String>,
    /// Set the source ("" clears it).
    #[arg(long)]
    pub source: Option<String>,
    /// Set the domain ("" clears it).
    #[arg(long)]
    pub domain: Option<String>,
    /// Print the concept as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(ClapArgs, Debug)]
#[command(about = "Remove concepts (with all their terms) by id")]
pub struct RemoveArgs {
    #[arg(required = true, value_name = "ID")]
    pub ids: Vec<i64>,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    match args.action {
        Some(Action::Add(a)) => add(a, ctx),
        Some(Action::Edit(a)) => edit(a, ctx),
        Some(Action::Remove(a)) => remove(a, ctx),
        None => lookup(args, ctx),
    }
}

// ---------------------------------------------------------------------------
// Showing concepts

fn concept_rows(t: &mut Table, c: &Concept, matched: Option<MatchKind>) {
    let mut first = true;
    let mut last_lang: Option<&Lang> = None;
    for term in &c.terms {
        let lang = if last_lang == Some(&term.lang) {
            String::new()
        } else {
            term.lang.to_string()
        };
        last_lang = Some(&term.lang);
        let mut text = term.text.clone();
        if let Some(n) = &term.note {
            text.push_str(&format!("  ({n})"));
        }
        t.row([
            if first {
                format!("#{}", c.id)
            } else {
                String::new()
            },
            if first {
                matched.map(|m| m.as_str().to_string()).unwrap_or_default()
            } else {
                String::new()
            },
            lang,
            term.status.to_string(),
            text,
        ]);
        first = false;
    }
    for (label, v) in [
        ("domain", &c.domain),
        ("note", &c.note),
        ("source", &c.source),
    ] {
        if let Some(v) = v {
            for (i, line) in wrap(v, 88).iter().enumerate() {
                t.row([
                    String::new(),
                    String::new(),
                    String::new(),
                    if i == 0 {
                        label.to_string()
                    } else {
                        String::new()
                    },
                    line.clone(),
                ]);
            }
        }
    }
}

/// Lines of at most `width` columns, broken at spaces (a longer word stays whole).
fn wrap(text: &str, width: usize) -> Vec<String> {
    use unicode_width::UnicodeWidthStr;
    let mut out = Vec::new();
    for para in text.lines() {
        let mut line = String::new();
        for word in para.split(' ') {
            if !line.is_empty() && line.width() + 1 + word.width() > width {
                out.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        out.push(line);
    }
    out
}

fn table() -> Table {
    Table::new(["concept", "match", "lang", "status", "term"]).max_width(90)
}

fn show(c: &Concept, json: bool) -> Result<()> {
    if json {
        return print_json(&crate::json::concept(c, None, None));
    }
    let mut t = table();
    concept_rows(&mut t, c, None);
    t.print()
}

// ---------------------------------------------------------------------------
// term QUERY

fn lookup(args: Args, ctx: &Ctx) -> Result<()> {
    let query = args.query.unwrap_or_default();
    let lang = match &args.lang {
        Some(l) => Some(parse_lang("--lang", l)?),
        None => None,
    };
    let glossary = super::glossary::load(ctx.open()?.as_ref())?;
    let found = glossary.lookup(&query, lang.as_ref());
    if args.json {
        return print_json(&crate::json::lookup(&glossary, &query, lang.as_ref()));
    }
    if found.is_empty() {
        // Nothing found: an empty table, exit 0.
        return table().print();
    }
    let mut t = table();
    for f in &found {
        if let Some(c) = glossary.concept(f.concept_id) {
            concept_rows(&mut t, c, Some(f.kind));
        }
    }
    t.print()
}

// ---------------------------------------------------------------------------
// term add / edit / remove

/// `LANG=TEXT` → (tag, text).
fn lang_text(flag: &str, s: &str) -> Result<(LangTag, String)> {
    let Some((l, text)) = s.split_once('=') else {
        return Err(Error::usage(format!(
            "{flag} {s}: expected LANG=TEXT, e.g. {flag} ru=\"МВД России\""
        )));
    };
    let tag = LangTag::parse(l).map_err(|m| Error::usage(format!("{flag} {s}: {m}")))?;
    if text.trim().is_empty() {
        return Err(Error::usage(format!("{flag} {s}: the term is empty")));
    }
    Ok((tag, text.to_string()))
}

/// Terms of one language given as several cells: the first term overall is
/// preferred, the others follow the cell rules.
fn terms_of(tag: &LangTag, cells: &[String]) -> Vec<NewTerm> {
    let joined = cells.join(" | ");
    parse_cell(&joined)
        .into_iter()
        .map(|(text, status)| NewTerm::new(tag.clone(), text, status))
        .collect()
}

fn add(args: AddArgs, ctx: &Ctx) -> Result<()> {
    // Group the values by language tag, in the order given.
    let mut by_tag: Vec<(LangTag, Vec<String>)> = Vec::new();
    let mut push = |tag: LangTag, v: String| {
        if let Some(e) = by_tag.iter_mut().find(|(t, _)| t.tag == tag.tag) {
            e.1.push(v);
        } else {
            by_tag.push((tag, vec![v]));
        }
    };
    for (code, vals) in [("en", &args.en), ("ru", &args.ru), ("zh", &args.zh)] {
        for v in vals {
            if let Ok(tag) = LangTag::parse(code) {
                push(tag, v.clone());
            }
        }
    }
    for s in &args.terms {
        let (tag, text) = lang_text("--term", s)?;
        push(tag, text);
    }
    let mut c = NewConcept {
        domain: args.domain.clone(),
        note: args.note.clone(),
        source: args.source.clone(),
        ..Default::default()
    };
    for (tag, cells) in &by_tag {
        c.terms.extend(terms_of(tag, cells));
    }
    if c.terms.is_empty() {
        return Err(Error::usage(
            "no term given: use --en, --ru, --zh or --term LANG=TEXT",
        ));
    }
    let db = ctx.open()?;
    let (merged, others, c) = eg::add_concept(db.as_ref(), &c)?;
    eprintln!("polytm: {}", merged.describe());
    if !others.is_empty() {
        let list: Vec<String> = others.iter().map(|i| format!("#{i}")).collect();
        eprintln!(
            "polytm: warning: the terms also belong to {}; check with polytm term",
            list.join(", ")
        );
    }
    show(&c, args.json)
}

fn edit(args: EditArgs, ctx: &Ctx) -> Result<()> {
    let db = ctx.open()?;
    let mut tx = db.writer()?;
    let id = args.id;
    let Some(before) = tx.concept(id)? else {
        return Err(Error::other(format!(
            "no concept #{id} (see polytm glossary list)"
        )));
    };
    // The concept as it stands after the edits so far.
    let current = |tx: &dyn Writer| -> Result<Concept> {
        tx.concept(id)?
            .ok_or_else(|| Error::other("the concept disappeared"))
    };
    let find = |c: &Concept, flag: &str, s: &str| -> Result<(LangTag, String, Option<i64>)> {
        let (tag, text) = lang_text(flag, s)?;
        let term = eg::find_term(c, &tag.lang, &text);
        Ok((tag, text, term))
    };
    for s in &args.add {
        let (tag, text) = lang_text("--add", s)?;
        // Terms added to a language that has terms are not preferred
        // unless marked so.
        let has = before.terms(&tag.lang).next().is_some();
        let terms: Vec<NewTerm> = parse_cell(&text)
            .into_iter()
            .enumerate()
            .map(|(i, (t, st))| {
                let st = if has
                    && i == 0
                    && st == TermStatus::Preferred
                    && !text.trim_start().starts_with('[')
                {
                    polytm_glossary::model::implied_status(&t, 1)
                } else {
                    st
                };
                NewTerm::new(tag.clone(), t, st)
            })
            .collect();
        let c = current(tx.as_ref())?;
        eg::add_terms(tx.as_mut(), &c, &terms)?;
    }
    for s in &args.prefer {
        let c = current(tx.as_ref())?;
        let (tag, text, term) = find(&c, "--prefer", s)?;
        let (c, term_id) = match term {
            Some(t) => (c, t),
            None => {
                eg::add_terms(
                    tx.as_mut(),
                    &c,
                    &[NewTerm::new(tag.clone(), text.trim(), TermStatus::Variant)],
                )?;
                let c = current(tx.as_ref())?;
                let t = eg::find_term(&c, &tag.lang, &text)
                    .ok_or_else(|| Error::other("the new term disappeared"))?;
                (c, t)
            }
        };
        eg::prefer_term(tx.as_mut(), &c, term_id)?;
    }
    for s in &args.deprecate {
        let c = current(tx.as_ref())?;
        let (tag, text, term) = find(&c, "--deprecate", s)?;
        let Some(term_id) = term else {
            return Err(Error::usage(format!(
                "--deprecate: concept #{id} has no {} term '{text}'",
                tag.lang
            )));
        };
        eg::set_term_status(tx.as_mut(), &c, term_id, TermStatus::Deprecated)?;
    }
    for s in &args.remove {
        let c = current(tx.as_ref())?;
        let (tag, text, term) = find(&c, "--remove", s)?;
        let Some(term_id) = term else {
            return Err(Error::usage(format!(
                "--remove: concept #{id} has no {} term '{text}'",
                tag.lang
            )));
        };
        tx.delete_term(term_id)?;
    }
    let clear = |v: &Option<String>| -> Option<Option<String>> {
        v.as_ref().map(|s| {
            if s.trim().is_empty() {
                None
            } else {
                Some(s.clone())
            }
        })
    };
    tx.update_concept(
        id,
        &ConceptFields {
            domain: clear(&args.domain),
            note: clear(&args.note),
            source: clear(&args.source),
        },
    )?;
    let after = current(tx.as_ref())?;
    if after.terms.is_empty() {
        return Err(Error::usage(format!(
            "that would leave concept #{id} without terms; to delete it: polytm term remove {id}"
        )));
    }
    tx.commit()?;
    show(&after, args.json)
}

fn remove(args: RemoveArgs, ctx: &Ctx) -> Result<()> {
    let db = ctx.open()?;
    let mut tx = db.writer()?;
    let mut missing = Vec::new();
    let mut terms = 0usize;
    for &id in &args.ids {
        match tx.concept(id)? {
            Some(c) => terms += c.terms.len(),
            None => missing.push(format!("#{id}")),
        }
    }
    if !missing.is_empty() {
        return Err(Error::other(format!(
            "no concept {} (nothing removed)",
            missing.join(", ")
        )));
    }
    let n = tx.delete_concepts(&args.ids)?;
    tx.commit()?;
    let mut out = stdout();
    writeln!(out, "removed {n} concepts ({terms} terms)")?;
    out.flush()?;
    Ok(())
}

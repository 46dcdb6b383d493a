//! `polytm unit show | edit | delete`: one translation unit.
//!
//! ```text
//! polytm unit show 12
//! polytm unit edit 12 --lang ru "Исправленный перевод."
//! polytm unit edit 12 --lang zh "新的译文。"            # adds Chinese to the unit
//! polytm unit edit 12 --lang en --markup 'Press <ph x="1">&lt;br/&gt;</ph> now'
//! polytm unit edit 12 --lang zh --remove
//! polytm unit delete 12 13
//! ```

use clap::{Args as ClapArgs, Subcommand};
use serde::Serialize;

use super::Ctx;
use super::output::{Table, print_json, print_line, stdout};
use polytm_core::error::{Error, Result};
use polytm_engine::exchange::UnitProps;
use polytm_formats::tmx::{Meta, MetaKind, parse_inline};
use polytm_formats::xml::forbidden_char;
use polytm_store::{NewVariant, Reader};
use polytm_text::lang::{Lang, LangTag};

#[derive(Subcommand, Debug)]
pub enum Cmd {
    /// Show a unit: its languages, where it came from, its props and notes.
    Show(ShowArgs),
    /// Set (or add, or remove) the text of one language of a unit.
    Edit(EditArgs),
    /// Delete units.
    Delete(DeleteArgs),
}

#[derive(ClapArgs, Debug)]
pub struct ShowArgs {
    /// Unit id (as `polytm match` or an export's tuid shows it).
    pub id: i64,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(ClapArgs, Debug)]
#[command(
    after_help = "Examples:\n  polytm unit edit 12 --lang ru \"Исправленный перевод.\"\n  \
    polytm unit edit 12 --lang en --markup 'Press <ph x=\"1\">&lt;br/&gt;</ph> now'\n  \
    polytm unit edit 12 --lang zh --remove"
)]
pub struct EditArgs {
    pub id: i64,
    /// The language to set (en, ru, zh-CN ...); added when the unit does not have it.
    #[arg(long, value_name = "LANG")]
    pub lang: String,
    /// The new text, stored exactly as given.
    #[arg(
        value_name = "TEXT",
        required_unless_present = "remove",
        conflicts_with = "remove"
    )]
    pub text: Option<String>,
    /// TEXT is TMX inline markup (bpt/ept/ph/it/hi/ut/sub, with &lt; &amp; escaped).
    #[arg(long)]
    pub markup: bool,
    /// Remove this language from the unit instead.
    #[arg(long)]
    pub remove: bool,
}

#[derive(ClapArgs, Debug)]
pub struct DeleteArgs {
    /// Unit ids.
    #[arg(required = true, value_name = "ID")]
    pub ids: Vec<i64>,
}

pub fn run(cmd: Cmd, ctx: &Ctx) -> Result<()> {
    match cmd {
        Cmd::Show(a) => show(a, ctx),
        Cmd::Edit(a) => edit(a, ctx),
        Cmd::Delete(a) => delete(a, ctx),
    }
}

/// A unit with everything known about it.
#[derive(Serialize)]
pub struct UnitView {
    pub id: i64,
    pub document: Option<String>,
    pub batch: Option<i64>,
    pub origin: String,
    pub confidence: Option<f64>,
    pub position: Option<i64>,
    pub src_lang: Option<String>,
    pub tuid: Option<String>,
    pub created_at: String,
    pub changed_at: Option<String>,
    pub variants: Vec<VariantView>,
    /// TMX attributes, props and notes kept from an import.
    pub props: UnitProps,
}

#[derive(Serialize)]
pub struct VariantView {
    pub lang: String,
    pub tag: String,
    pub text: String,
    /// The text without inline markup, when `text` is TMX markup.
    pub plain: Option<String>,
}

/// A unit as `unit show` prints it.
pub fn load(rd: &dyn Reader, id: i64) -> Result<Option<UnitView>> {
    let Some(u) = rd.unit(id)? else {
        return Ok(None);
    };
    Ok(Some(UnitView {
        id: u.id,
        document: u.document,
        batch: u.batch,
        origin: u.origin,
        confidence: u.confidence,
        position: u.position,
        src_lang: u.src_lang,
        tuid: u.tuid,
        created_at: u.created_at,
        changed_at: u.changed_at,
        props: UnitProps::from_json(u.props.as_deref()),
        variants: u
            .variants
            .into_iter()
            .map(|v| VariantView {
                lang: v.lang.as_str().to_string(),
                tag: v.tag,
                text: v.text,
                plain: v.plain,
            })
            .collect(),
    }))
}

fn no_unit(id: i64) -> Error {
    Error::other(format!("no unit {id}"))
}

fn show(args: ShowArgs, ctx: &Ctx) -> Result<()> {
    let db = ctx.open()?;
    let u = load(db.reader()?.as_ref(), args.id)?.ok_or_else(|| no_unit(args.id))?;
    if args.json {
        return print_json(&u);
    }
    let mut head = vec![format!("unit {}", u.id)];
    if let Some(d) = &u.document {
        head.push(format!("document '{d}'"));
    }
    if let Some(p) = u.position {
        head.push(format!("position {p}"));
    }
    head.push(format!("origin {}", u.origin));
    if let Some(c) = u.confidence {
        head.push(format!("confidence {c:.2}"));
    }
    if let Some(b) = u.batch {
        head.push(format!("batch {b}"));
    }
    let mut out = stdout();
    writeln!(out, "{}", head.join(", "))?;
    let mut when = format!("created {}", u.created_at);
    if let Some(c) = &u.changed_at {
        when.push_str(&format!(", changed {c}"));
    }
    if let Some(t) = &u.tuid {
        when.push_str(&format!(", tuid {t}"));
    }
    if let Some(s) = &u.src_lang {
        when.push_str(&format!(", source {s}"));
    }
    writeln!(out, "{when}")?;
    let mut t = Table::new(["lang", "text"]).max_width(200);
    for v in &u.variants {
        t.row([v.tag.clone(), v.text.clone()]);
        if let Some(p) = &v.plain {
            t.row([String::new(), format!("(without tags: {p})")]);
        }
    }
    out.write_all(t.render().as_bytes())?;
    let meta_line = |m: &Meta| match m.kind {
        MetaKind::Prop => format!("prop {}: {}", m.ty.as_deref().unwrap_or(""), m.text),
        MetaKind::Note => format!("note: {}", m.text),
    };
    for (k, v) in &u.props.attrs {
        writeln!(out, "{k}: {v}")?;
    }
    for m in &u.props.meta {
        writeln!(out, "{}", meta_line(m))?;
    }
    for (lang, vp) in &u.props.tuv {
        for (k, v) in &vp.attrs {
            writeln!(out, "{lang} {k}: {v}")?;
        }
        for m in &vp.meta {
            writeln!(out, "{lang} {}", meta_line(m))?;
        }
    }
    out.flush()?;
    Ok(())
}

fn edit(args: EditArgs, ctx: &Ctx) -> Result<()> {
    let tag = LangTag::parse(&args.lang).map_err(|m| Error::usage(format!("--lang: {m}")))?;
    let db = ctx.open()?;
    let mut tx = db.writer()?;
    let current = load(tx.as_ref(), args.id)?.ok_or_else(|| no_unit(args.id))?;
    let existing = current
        .variants
        .iter()
        .find(|v| Lang::from_key(&v.lang) == tag.lang);
    if args.remove {
        if existing.is_none() {
            return Err(Error::other(format!(
                "unit {} has no {} text",
                args.id, tag.tag
            )));
        }
        if current.variants.len() <= 2 {
            return Err(Error::other(format!(
                "unit {} would keep one language only; delete the unit instead (polytm unit delete {})",
                args.id, args.id
            )));
        }
        tx.remove_variant(args.id, &tag.lang)?;
        tx.commit()?;
        print_line(format_args!("unit {}: {} removed", args.id, tag.tag))?;
        return Ok(());
    }
    let text = args.text.unwrap_or_default();
    if text.trim().is_empty() {
        return Err(Error::usage(
            "the text is empty (to take a language out of the unit use --remove)",
        ));
    }
    // When only the language was named, keep the tag the unit (or else its
    // document) writes it with: `ru` edits `ru-RU`.
    let tag = if tag.tag == tag.lang.as_str() {
        let known = match existing {
            Some(v) => Some(v.tag.clone()),
            None => document_tag(tx.as_ref(), args.id, &tag.lang)?,
        };
        match known {
            Some(t) => LangTag {
                tag: t,
                lang: tag.lang,
            },
            None => tag,
        }
    } else {
        tag
    };
    let variant = if args.markup {
        let inline = parse_inline(&text).map_err(|(at, msg)| {
            Error::usage(format!("--markup: at character {}: {msg}", at + 1))
        })?;
        if inline.has_markup {
            NewVariant {
                tag,
                text: inline.markup,
                plain: Some(inline.plain),
            }
        } else {
            NewVariant::new(tag, inline.plain)
        }
    } else {
        if let Some(c) = forbidden_char(&text) {
            return Err(Error::usage(format!(
                "the text holds the character U+{:04X}, which TMX (XML 1.0) cannot hold",
                c as u32
            )));
        }
        NewVariant::new(tag, text)
    };
    tx.set_variant(args.id, &variant)?;
    tx.commit()?;
    print_line(format_args!(
        "unit {}: {} {}",
        args.id,
        variant.tag.tag,
        if existing.is_some() {
            "changed"
        } else {
            "added"
        }
    ))?;
    Ok(())
}

/// The tag the unit's document uses for a language, if any.
fn document_tag(rd: &dyn Reader, id: i64, lang: &Lang) -> Result<Option<String>> {
    let Some(name) = rd.unit(id)?.and_then(|u| u.document) else {
        return Ok(None);
    };
    Ok(rd.document(&name)?.and_then(|d| {
        d.langs
            .into_iter()
            .find(|t| LangTag::parse(t).is_ok_and(|p| &p.lang == lang))
    }))
}

fn delete(args: DeleteArgs, ctx: &Ctx) -> Result<()> {
    let db = ctx.open()?;
    let mut tx = db.writer()?;
    for &id in &args.ids {
        if tx.unit(id)?.is_none() {
            return Err(Error::other(format!("no unit {id}; nothing deleted")));
        }
    }
    let n = tx.delete_units(&args.ids)?;
    tx.commit()?;
    print_line(format_args!(
        "deleted {n} unit{}",
        if n == 1 { "" } else { "s" }
    ))?;
    Ok(())
}

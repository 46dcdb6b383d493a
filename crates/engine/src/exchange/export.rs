//! Exporting units as TMX 1.4b, TSV or CSV, streaming.
//!
//! A first pass ([`polytm_store::Reader::export_overview`]) decides the header
//! (the source language, or `*all*`; the TSV columns); a second pass writes
//! the units one at a time.

use std::io::Write;
use std::path::Path;

use serde::Serialize;

use super::{
    PROP_CONFIDENCE, PROP_CONTEXT_POST, PROP_CONTEXT_PRE, PROP_DOCUMENT, PROP_ORIGIN,
    PROP_REVIEWED, UnitProps,
};
use polytm_core::error::{Error, Result};
use polytm_core::{Count, Progress};
use polytm_formats::table::{Delim, TableWriter};
use polytm_formats::tmx::{
    self, HeaderOut, Meta, TmxWriter, UnitOut, VariantOut, WriteFault, iso_to_tmx_date,
};
use polytm_store::{ExportUnit, Overview, Reader, Selection};
use polytm_text::lang::{Lang, LangTag};

/// A format polytm exports translation memories to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    Tmx,
    Tsv,
    Csv,
}

/// What to export.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    pub format: ExportFormat,
    /// Only these languages, in this order (TSV columns, TMX `<tuv>` order).
    pub langs: Option<Vec<LangTag>>,
    /// Only units of these documents (names).
    pub documents: Vec<String>,
    /// Only units created or changed at or after this ISO 8601 time.
    pub since: Option<String>,
    /// TSV/CSV for a spreadsheet: cells it would run as formulas get a `'`
    /// before them (see `polytm_formats::table::TableWriter::guard_formulas`).
    pub spreadsheet_safe: bool,
    /// TMX: give every `<tuv>` its context, memoQ's `x-context-pre` and
    /// `x-context-post` props: the texts in that language of the units
    /// before and after it in its document (an empty prop at a document
    /// start or end), unless it already has them.
    pub context: bool,
}

/// What an export wrote.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ExportReport {
    /// Units written.
    pub units: usize,
    /// Units of the selection with fewer than two of the languages.
    pub left_out: i64,
    /// TMX: the header's srclang. TSV/CSV: the header row.
    pub header: String,
    /// TSV/CSV: segments whose inline tags were replaced by the original
    /// codes they stand for.
    pub markup_flattened: usize,
}

/// Parse a `--since` value: `2024-05-01`, `2024-05-01T10:00:00Z`,
/// `20240501T100000Z` → ISO 8601 UTC.
pub fn parse_since(s: &str) -> Option<String> {
    let s = s.trim();
    if let Some(iso) = tmx::tmx_date_to_iso(s) {
        return Some(iso);
    }
    let b = s.as_bytes();
    let date_only = s.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && s.bytes()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if date_only {
        return tmx::tmx_date_to_iso(&format!("{s}T00:00:00Z"));
    }
    // Without the zone: taken as UTC.
    if s.len() == 19 {
        return tmx::tmx_date_to_iso(&format!("{s}Z"));
    }
    None
}

/// Resolve document names to ids; an unknown name is an error.
pub fn document_ids(rd: &dyn Reader, names: &[String]) -> Result<Option<Vec<i64>>> {
    if names.is_empty() {
        return Ok(None);
    }
    let mut ids = Vec::new();
    for n in names {
        match rd.document(n)? {
            Some(d) => ids.push(d.id),
            None => {
                return Err(Error::usage(format!(
                    "no document named '{n}' (see `polytm docs list`)"
                )));
            }
        }
    }
    Ok(Some(ids))
}

/// Export a selection to `out`, advancing `progress` by one per unit.
/// `out_file` is the file `out` writes to, named in write errors; `None`:
/// standard output.
pub fn export(
    rd: &dyn Reader,
    opts: &ExportOptions,
    out: impl Write,
    out_file: Option<&Path>,
    progress: &dyn Progress,
) -> Result<ExportReport> {
    let sel = Selection {
        langs: opts
            .langs
            .as_ref()
            .map(|l| l.iter().map(|t| t.lang.clone()).collect()),
        documents: document_ids(rd, &opts.documents)?,
        since: opts.since.clone(),
    };
    let overview = rd.export_overview(&sel)?;
    progress.step(
        "exporting",
        Some(overview.exportable.max(0) as u64),
        Count::Items,
    );
    let r = match opts.format {
        ExportFormat::Tmx => export_tmx(rd, &sel, &overview, opts, (out, out_file), progress),
        ExportFormat::Tsv => export_table(
            rd,
            &sel,
            &overview,
            opts,
            Delim::Tab,
            (out, out_file),
            progress,
        ),
        ExportFormat::Csv => export_table(
            rd,
            &sel,
            &overview,
            opts,
            Delim::Comma,
            (out, out_file),
            progress,
        ),
    };
    progress.finish();
    r
}

fn export_tmx(
    rd: &dyn Reader,
    sel: &Selection,
    o: &Overview,
    opts: &ExportOptions,
    (out, out_file): (impl Write, Option<&Path>),
    progress: &dyn Progress,
) -> Result<ExportReport> {
    let out_err = |e| Error::write(out_file, e);
    // A pair of languages asked for: the first is the source. Otherwise
    // one source language for every unit, and only pairs: that language;
    // multilingual units or mixed sources: *all*.
    let single = match (&sel.langs, &o.single_source) {
        (Some(l), _) if l.len() == 2 => Some(l[0].clone()),
        (_, Some(l)) if o.max_langs <= 2 => Some(l.clone()),
        _ => None,
    };
    // The tag: as asked (`--langs en-GB,ru`), else the one most variants use.
    let asked = opts
        .langs
        .as_ref()
        .and_then(|l| l.first())
        .filter(|t| t.tag != t.lang.as_str());
    let srclang = match (&single, asked) {
        (Some(l), Some(t)) if &t.lang == l => t.tag.clone(),
        (Some(l), _) => o.main_tag(l).unwrap_or(l.as_str()).to_string(),
        (None, _) => "*all*".to_string(),
    };
    let header = HeaderOut {
        creationtoolversion: env!("CARGO_PKG_VERSION").to_string(),
        srclang: srclang.clone(),
        notes: Vec::new(),
    };
    let mut w = TmxWriter::new(out, &header).map_err(out_err)?;
    let order: Option<Vec<Lang>> = sel.langs.clone();
    let n = rd.for_each_export_unit(sel, &mut |u| {
        let props = UnitProps::from_json(u.props.as_deref());
        let variants = ordered(u, order.as_deref());
        let tuid = u.tuid.clone().unwrap_or_else(|| u.id.to_string());
        let created = iso_to_tmx_date(&u.created_at);
        let changed = u.changed_at.as_deref().and_then(iso_to_tmx_date);
        let mut attrs: std::collections::BTreeMap<&str, &str> = props
            .attrs
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        attrs.insert("tuid", &tuid);
        if let Some(c) = &created {
            attrs.entry("creationdate").or_insert(c);
        }
        if let Some(c) = &changed {
            attrs.entry("changedate").or_insert(c);
        }
        // The unit's own source language, when the header cannot say it.
        let src_tag = match (&single, &u.src_lang) {
            (None, Some(s)) => variants
                .iter()
                .find(|v| &v.lang == s)
                .map(|v| v.tag.as_str()),
            _ => None,
        };
        if let Some(t) = src_tag {
            attrs.insert("srclang", t);
        } else {
            attrs.remove("srclang");
        }
        // Props carried from an earlier export win over the ones polytm adds.
        let mut ours: Vec<Meta> = Vec::new();
        if props.prop(PROP_DOCUMENT).is_none()
            && let Some(d) = &u.document
        {
            ours.push(Meta::prop(PROP_DOCUMENT, d.clone()));
        }
        if props.prop(PROP_ORIGIN).is_none() {
            ours.push(Meta::prop(PROP_ORIGIN, u.origin.clone()));
        }
        if props.prop(PROP_CONFIDENCE).is_none()
            && let Some(c) = u.confidence
        {
            ours.push(Meta::prop(PROP_CONFIDENCE, format!("{c:.3}")));
        }
        if u.reviewed && props.prop(PROP_REVIEWED).is_none() {
            ours.push(Meta::prop(PROP_REVIEWED, "yes"));
        }
        let mut meta: Vec<&Meta> = props.meta.iter().collect();
        meta.extend(ours.iter());
        // the context props of each variant (`--context`)
        let mut vmeta: Vec<Vec<Meta>> = Vec::with_capacity(variants.len());
        for v in &variants {
            let mut m = props
                .tuv
                .get(v.lang.as_str())
                .map(|p| p.meta.clone())
                .unwrap_or_default();
            let has = |m: &[Meta], ty: &str| m.iter().any(|x| x.ty.as_deref() == Some(ty));
            if opts.context
                && !(has(&m, PROP_CONTEXT_PRE) && has(&m, PROP_CONTEXT_POST))
                && let Some(n) = rd.neighbours(u.id, &v.lang)?
            {
                if !has(&m, PROP_CONTEXT_PRE) {
                    m.push(Meta::prop(PROP_CONTEXT_PRE, n.prev.unwrap_or_default()));
                }
                if !has(&m, PROP_CONTEXT_POST) {
                    m.push(Meta::prop(PROP_CONTEXT_POST, n.next.unwrap_or_default()));
                }
            }
            vmeta.push(m);
        }
        let vouts: Vec<VariantOut> = variants
            .iter()
            .zip(&vmeta)
            .map(|(v, m)| {
                let vp = props.tuv.get(v.lang.as_str());
                VariantOut {
                    tag: &v.tag,
                    text: &v.text,
                    markup: v.plain.is_some(),
                    attrs: vp.map(|p| &p.attrs),
                    meta: &m[..],
                }
            })
            .collect();
        let unit = UnitOut {
            attrs,
            meta,
            variants: vouts,
        };
        progress.advance(1);
        progress.check()?;
        w.unit(&unit).map_err(|f| write_fault(f, u.id, out_file))
    })?;
    w.finish().map_err(out_err)?;
    Ok(ExportReport {
        units: n,
        left_out: o.units - o.exportable,
        header: srclang,
        markup_flattened: 0,
    })
}

/// The variants of a unit in export order: as requested, else the source
/// language first and the others by language key.
fn ordered<'u>(u: &'u ExportUnit, order: Option<&[Lang]>) -> Vec<&'u polytm_store::ExportVariant> {
    let mut v: Vec<&polytm_store::ExportVariant> = u.variants.iter().collect();
    match order {
        Some(order) => v.sort_by_key(|x| {
            order
                .iter()
                .position(|l| l == &x.lang)
                .unwrap_or(usize::MAX)
        }),
        None => v.sort_by(|a, b| {
            let sa = Some(&a.lang) != u.src_lang.as_ref();
            let sb = Some(&b.lang) != u.src_lang.as_ref();
            sa.cmp(&sb).then_with(|| a.lang.cmp(&b.lang))
        }),
    }
    v
}

fn export_table(
    rd: &dyn Reader,
    sel: &Selection,
    o: &Overview,
    opts: &ExportOptions,
    delim: Delim,
    (out, out_file): (impl Write, Option<&Path>),
    progress: &dyn Progress,
) -> Result<ExportReport> {
    let out_err = |e| Error::write(out_file, e);
    // Columns: as requested, else the source language first, then the
    // others by number of segments.
    let (langs, header): (Vec<Lang>, Vec<String>) = match &opts.langs {
        Some(tags) => (
            tags.iter().map(|t| t.lang.clone()).collect(),
            tags.iter()
                .map(|t| o.only_tag(&t.lang).unwrap_or(&t.tag).to_string())
                .collect(),
        ),
        None => {
            let mut langs = o.langs();
            if let Some(s) = &o.single_source
                && let Some(i) = langs.iter().position(|l| l == s)
            {
                let s = langs.remove(i);
                langs.insert(0, s);
            }
            let header = langs
                .iter()
                .map(|l| o.only_tag(l).unwrap_or(l.as_str()).to_string())
                .collect();
            (langs, header)
        }
    };
    let mut w = TableWriter::new(out, delim).guard_formulas(opts.spreadsheet_safe);
    let head: Vec<&str> = header.iter().map(String::as_str).collect();
    w.row(&head).map_err(out_err)?;
    let mut flattened = 0usize;
    let n = rd.for_each_export_unit(sel, &mut |u| {
        let mut cells: Vec<std::borrow::Cow<str>> =
            vec![std::borrow::Cow::Borrowed(""); langs.len()];
        for v in &u.variants {
            let Some(i) = langs.iter().position(|l| l == &v.lang) else {
                continue;
            };
            cells[i] = if v.plain.is_some() {
                flattened += 1;
                let inline = tmx::parse_inline(&v.text).map_err(|(_, msg)| {
                    Error::other(format!(
                        "unit {} ({}): its inline markup is not valid TMX ({msg})",
                        u.id, v.tag
                    ))
                })?;
                std::borrow::Cow::Owned(inline.native)
            } else {
                std::borrow::Cow::Borrowed(v.text.as_str())
            };
        }
        let row: Vec<&str> = cells.iter().map(|c| c.as_ref()).collect();
        if let Err((i, fault)) = w.check(&row) {
            let tag = u
                .variants
                .iter()
                .find(|v| v.lang == langs[i])
                .map_or(langs[i].as_str(), |v| v.tag.as_str());
            return Err(Error::other(format!(
                "unit {} ({tag}) holds {}, which TSV cannot hold; export it with --format csv or tmx, or edit it (polytm unit show {})",
                u.id,
                fault.what(),
                u.id
            )));
        }
        progress.advance(1);
        progress.check()?;
        w.row(&row).map_err(out_err)
    })?;
    w.finish().map_err(out_err)?;
    Ok(ExportReport {
        units: n,
        left_out: o.units - o.exportable,
        header: header.join(match delim {
            Delim::Tab => "\t",
            _ => ",",
        }),
        markup_flattened: flattened,
    })
}

fn write_fault(f: WriteFault, id: i64, out_file: Option<&Path>) -> Error {
    match f {
        WriteFault::Io(e) => Error::write(out_file, e),
        WriteFault::Forbidden { field, ch } => Error::other(format!(
            "unit {id} ({field}): the character U+{:04X} cannot be written to XML 1.0; remove it (polytm unit show {id}; polytm unit edit {id} ...) and export again",
            ch as u32
        )),
        WriteFault::BadMarkup { field, msg } => Error::other(format!(
            "unit {id} ({field}): its inline markup is not valid TMX ({msg})"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_forms() {
        assert_eq!(
            parse_since("2024-05-01").as_deref(),
            Some("2024-05-01T00:00:00Z")
        );
        assert_eq!(
            parse_since("2024-05-01T10:00:00").as_deref(),
            Some("2024-05-01T10:00:00Z")
        );
        assert_eq!(
            parse_since("20240501T100000Z").as_deref(),
            Some("2024-05-01T10:00:00Z")
        );
        assert_eq!(parse_since("yesterday"), None);
        assert_eq!(parse_since("2024-13-01"), None);
    }
}

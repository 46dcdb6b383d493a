//! Filling targets: the original text is copied and only the spans that
//! change are replaced (a target inserted or filled, a `state` attribute
//! set, an `alt-trans` or `mtc:match` added), following the file's
//! indentation and line endings.

use std::collections::HashMap;
use std::ops::Range;

use super::read::child_nodes;
use super::{Document, Fill, Loc, MatchKind, NS_MTC, Unit, Version};
use crate::xml::{escape_attr, escape_text};

/// White space as XML has it (not `u8::is_ascii_whitespace`, which takes a
/// form feed too).
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Set (Some) or remove (None) attributes in a start tag as written,
/// keeping the rest of it byte for byte. The attributes are found as the
/// reader (quick-xml) finds them: a name is its first character (even `=`)
/// and what follows up to `=` or white space (`/` included), then come `=`
/// and a quoted value, with or without white space before the next name.
fn set_attrs(tag: &str, updates: &[(&str, Option<&str>)]) -> String {
    // Spans of existing attributes: (name, whole span with the space before, value span).
    let b = tag.as_bytes();
    // Attributes lie between the element name and `>` or `/>`.
    let end = {
        let t = tag.strip_suffix('>').unwrap_or(tag);
        t.strip_suffix('/').unwrap_or(t).len()
    };
    let skip_space = |mut i: usize| {
        while i < end && is_space(b[i]) {
            i += 1;
        }
        i
    };
    let mut i = 1;
    while i < end && !is_space(b[i]) {
        i += 1;
    }
    let mut attrs: Vec<(String, Range<usize>, Range<usize>)> = Vec::new();
    let mut complete = true;
    loop {
        let ws_start = i;
        i = skip_space(i);
        if i >= end {
            i = ws_start;
            break;
        }
        // the first character is the name's, even `=`
        let name_start = i;
        i += 1;
        while i < end && b[i] != b'=' && !is_space(b[i]) {
            i += 1;
        }
        let name = tag[name_start..i].to_string();
        i = skip_space(i);
        if i >= end || b[i] != b'=' {
            complete = false;
            break;
        }
        i = skip_space(i + 1);
        let (true, Some(&q @ (b'"' | b'\''))) = (i < end, b.get(i)) else {
            complete = false;
            break;
        };
        let vstart = i + 1;
        let Some(k) = tag[vstart..end].find(q as char) else {
            complete = false;
            break;
        };
        let vend = vstart + k;
        attrs.push((name, ws_start..vend + 1, vstart..vend));
        i = vend + 1;
    }
    // After attributes that are not `name="value"` (which the reader does
    // not let through), new ones go at the end of the tag.
    let end_of_attrs = if complete { i } else { end };
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let mut appended = String::new();
    for (name, value) in updates {
        match (attrs.iter().find(|(n, _, _)| n == name), value) {
            (Some((_, _, v)), Some(val)) => edits.push((v.clone(), escape_attr(val))),
            (Some((_, whole, _)), None) => edits.push((whole.clone(), String::new())),
            (None, Some(val)) => {
                appended.push_str(&format!(" {name}=\"{}\"", escape_attr(val)));
            }
            (None, None) => {}
        }
    }
    if !appended.is_empty() {
        edits.push((end_of_attrs..end_of_attrs, appended));
    }
    apply_edits(tag, edits)
}

/// Apply non-overlapping edits (range → replacement), in order of position;
/// insertions at the same place keep their order.
fn apply_edits(text: &str, mut edits: Vec<(Range<usize>, String)>) -> String {
    edits.sort_by_key(|(r, _)| r.start);
    let mut out =
        String::with_capacity(text.len() + edits.iter().map(|e| e.1.len()).sum::<usize>());
    let mut at = 0;
    for (r, s) in edits {
        if r.start < at {
            continue; // overlapping edit: never produced, skipped for safety
        }
        out.push_str(&text[at..r.start]);
        out.push_str(&s);
        at = r.end;
    }
    out.push_str(&text[at..]);
    out
}

/// A start tag written as an empty element (`<target/>`) turned into a
/// start tag (`<target>`).
fn open_form(tag: &str) -> String {
    let t = tag.trim_end_matches('>');
    match t.strip_suffix('/') {
        Some(s) => format!("{}>", s.trim_end()),
        None => tag.to_string(),
    }
}

/// Options for [`Document::fill`].
#[derive(Debug, Clone)]
pub struct FillOptions<'a> {
    /// The target language tag as it should be written (`ru`, `zh-CN`).
    pub target_lang: &'a str,
    /// Replace targets that are already filled.
    pub overwrite: bool,
}

impl Document {
    /// The start of the line holding byte `at`, and whether only white
    /// space precedes `at` on it: the indentation to follow.
    fn indent_at(&self, at: usize) -> Option<&str> {
        let line_start = self.text[..at].rfind('\n').map_or(0, |p| p + 1);
        let ws = &self.text[line_start..at];
        ws.chars().all(|c| c == ' ' || c == '\t').then_some(ws)
    }

    /// What to put before a new element placed at the level of the
    /// element starting at `sibling`: a line break and its indentation,
    /// or nothing when the file keeps these elements on one line.
    fn sep_like(&self, sibling: usize) -> String {
        match self.indent_at(sibling) {
            Some(ws) => format!("{}{ws}", self.newline),
            None => String::new(),
        }
    }

    /// Fill targets and write the whole document. Segments already
    /// translated are left alone unless `overwrite`.
    pub fn fill(&self, fills: &[Fill], opts: &FillOptions) -> String {
        let mut by_unit: HashMap<usize, Vec<&Fill>> = HashMap::new();
        for f in fills {
            if let Some(u) = self.units.get(f.unit)
                && let Some(s) = u.segments.get(f.segment)
                && u.translate
                && (opts.overwrite || !s.is_filled())
            {
                by_unit.entry(f.unit).or_default().push(f);
            }
        }
        let mut edits: Vec<(Range<usize>, String)> = Vec::new();
        let mut units: Vec<usize> = by_unit.keys().copied().collect();
        units.sort_unstable();
        let mut files_touched = Vec::new();
        for ui in units {
            let unit = &self.units[ui];
            let fl = &by_unit[&ui];
            match self.version {
                Version::V1 => self.fill_unit_v1(unit, fl, opts, &mut edits),
                Version::V2 => self.fill_unit_v2(unit, fl, opts, &mut edits),
            }
            files_touched.push(unit.file);
        }
        // Declare the target language where it is missing.
        files_touched.sort_unstable();
        files_touched.dedup();
        match self.version {
            Version::V1 => {
                for fi in files_touched {
                    let f = &self.files[fi];
                    if f.target_lang.is_none() {
                        let n = &self.nodes[f.node];
                        let tag = &self.text[n.start.clone()];
                        edits.push((
                            n.start.clone(),
                            set_attrs(tag, &[("target-language", Some(opts.target_lang))]),
                        ));
                    }
                }
            }
            Version::V2 => {
                let root = &self.nodes[0];
                if !files_touched.is_empty() && root.attr("trgLang").is_none() {
                    let tag = &self.text[root.start.clone()];
                    edits.push((
                        root.start.clone(),
                        set_attrs(tag, &[("trgLang", Some(opts.target_lang))]),
                    ));
                }
            }
        }
        let mut out = String::new();
        if self.bom {
            out.push('\u{FEFF}');
        }
        let body = apply_edits(&self.text, edits);
        if self.utf16 {
            out.push_str(&utf8_declaration(&body));
        } else {
            out.push_str(&body);
        }
        out
    }

    fn fill_unit_v1(
        &self,
        unit: &Unit,
        fills: &[&Fill],
        opts: &FillOptions,
        edits: &mut Vec<(Range<usize>, String)>,
    ) {
        let nodes = &self.nodes;
        let src = child_nodes(nodes, unit.node, "source").next();
        let seg_src = child_nodes(nodes, unit.node, "seg-source").next();
        let target = child_nodes(nodes, unit.node, "target").next();
        let Some(src) = src else { return };
        let p = nodes[src].prefix().to_string();
        let sep = self.sep_like(nodes[src].start.start);
        // the file's own spelling of the target language (ru-RU), else --to's
        let lang_tag = self.files[unit.file]
            .target_lang
            .as_deref()
            .unwrap_or(opts.target_lang);
        let lang = escape_attr(lang_tag);
        let whole = matches!(unit.segments.first().map(|s| &s.loc), Some(Loc::Whole));
        // (state, qualifier) of the target, and where alt-trans go.
        let mut alt = String::new();
        let alt_for = |f: &Fill, mid: Option<&str>| -> String {
            let src_lang = self.files[unit.file]
                .source_lang
                .clone()
                .unwrap_or_default();
            let inner_sep = if sep.is_empty() {
                String::new()
            } else {
                format!("{sep}  ")
            };
            let mut x = format!(
                "{sep}<{p}alt-trans match-quality=\"{}\" origin=\"polytm\"{}",
                f.leveraged.score,
                f.leveraged.kind.v1_alt_attrs()
            );
            if let Some(m) = mid {
                x.push_str(&format!(" mid=\"{}\"", escape_attr(m)));
            }
            x.push('>');
            x.push_str(&format!(
                "{inner_sep}<{p}source xml:lang=\"{}\">{}</{p}source>",
                escape_attr(&src_lang),
                escape_text(&f.leveraged.match_source)
            ));
            x.push_str(&format!(
                "{inner_sep}<{p}target xml:lang=\"{lang}\">{}</{p}target>",
                escape_text(&f.leveraged.match_target)
            ));
            if let Some(n) = &f.leveraged.note {
                x.push_str(&format!(
                    "{inner_sep}<{p}note from=\"polytm\">{}</{p}note>",
                    escape_text(n)
                ));
            }
            x.push_str(&format!("{sep}</{p}alt-trans>"));
            x
        };
        let anchor;
        if whole {
            let Some(f) = fills.first() else { return };
            let seg = &unit.segments[0];
            let content = seg.source.render(&f.leveraged.target);
            let (state, qual) = f.leveraged.kind.v1_state();
            match target {
                Some(t) => {
                    let tn = &nodes[t];
                    let tag = &self.text[tn.start.clone()];
                    let mut ups = vec![("state", Some(state)), ("state-qualifier", Some(qual))];
                    if tn.attr("xml:lang").is_none() {
                        ups.push(("xml:lang", Some(lang_tag)));
                    }
                    let start = open_form(&set_attrs(tag, &ups));
                    edits.push((tn.outer(), format!("{start}{content}</{}>", tn.qname)));
                    anchor = tn.outer().end;
                }
                None => {
                    anchor = nodes[seg_src.unwrap_or(src)].outer().end;
                    edits.push((
                        anchor..anchor,
                        format!(
                            "{sep}<{p}target xml:lang=\"{lang}\" state=\"{state}\" state-qualifier=\"{qual}\">{content}</{p}target>"
                        ),
                    ));
                }
            }
            alt.push_str(&alt_for(f, None));
        } else {
            // seg-source: fill markers, one state for the whole target.
            let fill_of = |i: usize| fills.iter().find(|f| f.segment == i);
            let mut any_fuzzy = false;
            let mut any_repaired = false;
            let mut all_done = true;
            for (i, s) in unit.segments.iter().enumerate() {
                match fill_of(i) {
                    Some(f) => {
                        any_fuzzy |= !matches!(
                            f.leveraged.kind,
                            MatchKind::Exact | MatchKind::Context | MatchKind::Inherited
                        );
                        any_repaired |= f.leveraged.kind == MatchKind::Repaired;
                    }
                    None => all_done &= s.is_filled(),
                }
            }
            let (state, qual) = if any_fuzzy {
                (
                    "needs-review-translation",
                    if any_repaired {
                        "leveraged-tm"
                    } else {
                        "fuzzy-match"
                    },
                )
            } else if all_done {
                ("translated", "exact-match")
            } else {
                ("needs-translation", "exact-match")
            };
            match target {
                Some(t) => {
                    let tn = &nodes[t];
                    let tag = &self.text[tn.start.clone()];
                    let mut ups = vec![("state", Some(state)), ("state-qualifier", Some(qual))];
                    if tn.attr("xml:lang").is_none() {
                        ups.push(("xml:lang", Some(lang_tag)));
                    }
                    let mut start = set_attrs(tag, &ups);
                    if tn.empty {
                        start = open_form(&start);
                    }
                    let mut appended = String::new();
                    let mut inner_edits = Vec::new();
                    for (i, s) in unit.segments.iter().enumerate() {
                        let Some(f) = fill_of(i) else { continue };
                        let content = s.source.render(&f.leveraged.target);
                        match &s.loc {
                            Loc::Mrk {
                                target: Some(m), ..
                            } => {
                                if m.empty {
                                    let open = open_form(&self.text[m.start.clone()]);
                                    inner_edits.push((
                                        m.start.clone(),
                                        format!("{open}{content}</{p}mrk>"),
                                    ));
                                } else {
                                    inner_edits.push((m.inner.clone(), content));
                                }
                            }
                            _ => appended.push_str(&format!(
                                "<{p}mrk mtype=\"seg\" mid=\"{}\">{content}</{p}mrk>",
                                escape_attr(s.id.as_deref().unwrap_or(""))
                            )),
                        }
                    }
                    if tn.empty {
                        let inner: String = inner_edits.into_iter().map(|e| e.1).collect();
                        edits.push((
                            tn.outer(),
                            format!("{start}{inner}{appended}</{}>", tn.qname),
                        ));
                    } else {
                        edits.push((tn.start.clone(), start));
                        edits.extend(inner_edits);
                        let end = tn.inner().end;
                        edits.push((end..end, appended));
                    }
                    anchor = tn.outer().end;
                }
                None => {
                    let Some(ss) = seg_src else { return };
                    let ssn = &nodes[ss];
                    let range = ssn.inner();
                    let mut local = Vec::new();
                    for (i, s) in unit.segments.iter().enumerate() {
                        let Loc::Mrk { source: m, .. } = &s.loc else {
                            continue;
                        };
                        let content = fill_of(i)
                            .map(|f| s.source.render(&f.leveraged.target))
                            .unwrap_or_default();
                        if m.empty {
                            let open = open_form(&self.text[m.start.clone()]);
                            local.push((
                                m.start.start - range.start..m.start.end - range.start,
                                format!("{open}{content}</{p}mrk>"),
                            ));
                        } else {
                            local.push((
                                m.inner.start - range.start..m.inner.end - range.start,
                                content,
                            ));
                        }
                    }
                    let body = apply_edits(&self.text[range], local);
                    anchor = ssn.outer().end;
                    edits.push((
                        anchor..anchor,
                        format!(
                            "{sep}<{p}target xml:lang=\"{lang}\" state=\"{state}\" state-qualifier=\"{qual}\">{body}</{p}target>"
                        ),
                    ));
                }
            }
            for f in fills {
                let mid = unit.segments.get(f.segment).and_then(|s| s.id.as_deref());
                alt.push_str(&alt_for(f, mid));
            }
        }
        edits.push((anchor..anchor, alt));
        if opts.overwrite {
            // Proposals of an earlier run are replaced, not piled up.
            for a in child_nodes(nodes, unit.node, "alt-trans") {
                let an = &nodes[a];
                if an.attr("origin") == Some("polytm") {
                    let from = self.line_start_before(an.start.start);
                    edits.push((from..an.outer().end, String::new()));
                }
            }
        }
    }

    fn fill_unit_v2(
        &self,
        unit: &Unit,
        fills: &[&Fill],
        opts: &FillOptions,
        edits: &mut Vec<(Range<usize>, String)>,
    ) {
        let nodes = &self.nodes;
        let un = &nodes[unit.node];
        let existing = child_nodes(nodes, unit.node, "matches").next();
        // A match written into an existing <matches> declares the prefix
        // itself: that element may use another one.
        let ns_decl = match existing {
            Some(m) if !nodes[m].empty => format!(" xmlns:mtc=\"{NS_MTC}\""),
            _ => String::new(),
        };
        let child_sep = un
            .children
            .first()
            .map(|&c| self.sep_like(nodes[c].start.start))
            .unwrap_or_default();
        let (msep, isep) = if child_sep.is_empty() {
            (String::new(), String::new())
        } else {
            (format!("{child_sep}  "), format!("{child_sep}    "))
        };
        let mut used_ids: Vec<String> = unit.segments.iter().filter_map(|s| s.id.clone()).collect();
        let mut matches = String::new();
        for f in fills {
            let Some(seg) = unit.segments.get(f.segment) else {
                continue;
            };
            let Loc::Segment(s) = seg.loc else { continue };
            let sn = &nodes[s];
            let Some(src) = child_nodes(nodes, s, "source").next() else {
                continue;
            };
            let p = nodes[src].prefix().to_string();
            let content = seg.source.render(&f.leveraged.target);
            match child_nodes(nodes, s, "target").next() {
                Some(t) => {
                    let tn = &nodes[t];
                    if tn.empty {
                        let open = open_form(&self.text[tn.start.clone()]);
                        edits.push((tn.outer(), format!("{open}{content}</{}>", tn.qname)));
                    } else {
                        edits.push((tn.inner(), content));
                    }
                }
                None => {
                    let sep = self.sep_like(nodes[src].start.start);
                    let at = nodes[src].outer().end;
                    edits.push((at..at, format!("{sep}<{p}target>{content}</{p}target>")));
                }
            }
            let (state, sub) = f.leveraged.kind.v2_state();
            let id = match &seg.id {
                Some(id) => id.clone(),
                None => {
                    let mut k = f.segment + 1;
                    while used_ids.contains(&format!("polytm{k}")) {
                        k += 1;
                    }
                    let id = format!("polytm{k}");
                    used_ids.push(id.clone());
                    id
                }
            };
            let mut ups = vec![("state", Some(state)), ("subState", Some(sub))];
            if seg.id.is_none() {
                ups.push(("id", Some(id.as_str())));
            }
            edits.push((
                sn.start.clone(),
                set_attrs(&self.text[sn.start.clone()], &ups),
            ));
            let (similarity, sub_type) = f.leveraged.kind.v2_match(f.leveraged.score);
            matches.push_str(&format!(
                "{msep}<mtc:match ref=\"#{}\" similarity=\"{similarity}\" origin=\"polytm\" type=\"tm\"{sub_type}{ns_decl}>",
                escape_attr(&id),
            ));
            matches.push_str(&format!(
                "{isep}<{p}source>{}</{p}source>{isep}<{p}target>{}</{p}target>",
                escape_text(&f.leveraged.match_source),
                escape_text(&f.leveraged.match_target)
            ));
            matches.push_str(&format!("{msep}</mtc:match>"));
        }
        if matches.is_empty() {
            return;
        }
        match existing {
            Some(m) if !nodes[m].empty => {
                let mn = &nodes[m];
                let at = self.line_start_before(mn.inner().end);
                edits.push((at..at, matches));
                if opts.overwrite {
                    for &c in &mn.children {
                        let cn = &nodes[c];
                        if cn.local == "match" && cn.attr("origin") == Some("polytm") {
                            let from = self.line_start_before(cn.start.start);
                            edits.push((from..cn.outer().end, String::new()));
                        }
                    }
                }
            }
            Some(m) => edits.push((
                nodes[m].outer(),
                format!("<mtc:matches xmlns:mtc=\"{NS_MTC}\">{matches}{child_sep}</mtc:matches>"),
            )),
            None => {
                let at = un.start.end;
                edits.push((
                    at..at,
                    format!(
                        "{child_sep}<mtc:matches xmlns:mtc=\"{NS_MTC}\">{matches}{child_sep}</mtc:matches>"
                    ),
                ));
            }
        }
    }

    /// Where the line holding `at` starts, including the line break before
    /// it, when only indentation precedes `at`; else `at`. Removing from
    /// here removes a whole line; inserting here adds one before it.
    fn line_start_before(&self, at: usize) -> usize {
        match self.indent_at(at) {
            Some(ws) => {
                let s = at - ws.len();
                if self.text[..s].ends_with("\r\n") {
                    s - 2
                } else if self.text[..s].ends_with('\n') {
                    s - 1
                } else {
                    s
                }
            }
            None => at,
        }
    }
}

/// Rewrite `encoding="UTF-16"` in the XML declaration to UTF-8.
fn utf8_declaration(text: &str) -> String {
    if let Some(rest) = text.strip_prefix("<?xml")
        && let Some(end) = rest.find("?>")
    {
        let decl = &rest[..end];
        let lower = decl.to_ascii_lowercase();
        if let Some(i) = lower.find("utf-16") {
            return format!("<?xml{}UTF-8{}{}", &decl[..i], &decl[i + 6..], &rest[end..]);
        }
    }
    text.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_editing_keeps_the_tag() {
        assert_eq!(
            set_attrs(
                "<target  state='new' x=\"1\">",
                &[("state", Some("translated"))]
            ),
            "<target  state='translated' x=\"1\">"
        );
        assert_eq!(
            set_attrs("<target/>", &[("state", Some("a\"b"))]),
            "<target state=\"a&quot;b\"/>"
        );
        assert_eq!(
            set_attrs("<segment id=\"1\" subState=\"x:y\">", &[("subState", None)]),
            "<segment id=\"1\">"
        );
        assert_eq!(
            open_form("<target xml:lang=\"ru\" />"),
            "<target xml:lang=\"ru\">"
        );
    }

    #[test]
    fn attribute_names_end_at_xml_white_space_only() {
        // A form feed is not white space in XML (the reader read `a\x0cb`
        // as one name); taken for one, it put the new attribute inside it.
        assert_eq!(
            set_attrs("<target a\u{c}b=\"1\">", &[("state", Some("new"))]),
            "<target a\u{c}b=\"1\" state=\"new\">"
        );
    }

    #[test]
    fn attributes_found_as_the_reader_finds_them() {
        // The reader takes `/d` and `=m` for names, and needs no space
        // between attributes; a `/` ended the attributes here (the new
        // state came before the old one: a duplicate), and the value of
        // `=m` was taken to start at `m`, slicing the `é` further on.
        assert_eq!(
            set_attrs("<s /d=\"1\" state=\"x\">", &[("state", Some("new"))]),
            "<s /d=\"1\" state=\"new\">"
        );
        assert_eq!(
            set_attrs("<t =m=\"é\"v='2'/>", &[("state", Some("new")), ("v", None)]),
            "<t =m=\"é\" state=\"new\"/>"
        );
        // what it does not let through gets the new attributes at the end
        assert_eq!(
            set_attrs("<t =é>", &[("state", Some("new"))]),
            "<t =é state=\"new\">"
        );
    }

    #[test]
    fn utf16_declaration_is_rewritten() {
        assert_eq!(
            utf8_declaration("<?xml version=\"1.0\" encoding=\"UTF-16\"?><x/>"),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><x/>"
        );
        assert_eq!(utf8_declaration("<x/>"), "<x/>");
    }
}

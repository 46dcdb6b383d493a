//! Writers of pre-translation results: the draft translation (txt), the
//! proposals (tsv), XLIFF for CAT tools, and the output files themselves
//! (written to a temporary file beside the destination and renamed, so a
//! failed run leaves no half-written file).

use std::path::{Path, PathBuf};

use super::{Layout, Outcome, Place, SourceDoc, TmHit};
use polytm_core::error::{Error, Result, display_path};
use polytm_core::output::{Output, Protected};
use polytm_formats::document::Replacement;
use polytm_formats::xliff::{self, Fill, FillOptions, Leveraged, NewFile, NewUnit};
use polytm_text::lang::LangTag;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The draft translation: paragraphs and line breaks kept; fuzzy
    /// matches marked `[87%] `.
    Txt,
    /// One line per segment: `n<TAB>score<TAB>target<TAB>match source`.
    Tsv,
    /// XLIFF 1.2 (an XLIFF input is filled in its own version).
    Xliff,
    /// The proposals as TMX 1.4b, for a CAT tool's project TM.
    Tmx,
    /// A Word, OpenDocument or HTML input written back in its own format,
    /// the matched sentences in the target language.
    Same,
}

impl Format {
    /// File extension of an output in this format (`xliff` keeps the
    /// input's when it was XLIFF).
    pub fn extension(self) -> &'static str {
        match self {
            Format::Txt => "txt",
            Format::Tsv => "tsv",
            Format::Xliff => "xlf",
            Format::Tmx => "tmx",
            Format::Same => "txt",
        }
    }
}

/// The note an alt-trans carries about a proposal.
pub fn note_of(hit: &TmHit) -> Option<String> {
    let mut parts = Vec::new();
    if hit.kind() == xliff::MatchKind::Context {
        parts.push("in context: the previous and next segments are the TM's".to_string());
    }
    if let Some(r) = &hit.repaired {
        parts.push(format!("adapted by polytm: {r}"));
    }
    if let Some(o) = &hit.origin {
        parts.push(format!("from {o}"));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

fn leveraged(hit: &TmHit) -> Leveraged {
    Leveraged {
        target: hit.target.clone(),
        score: hit.score,
        kind: hit.kind(),
        match_source: hit.source.clone(),
        match_target: hit.tm_target.clone(),
        note: note_of(hit),
    }
}

/// What a segment becomes in the txt draft: the translation (fuzzy ones
/// marked with their score), the source marked `[no match] ` with
/// `--copy-source`, or nothing.
fn txt_piece(source: &str, o: &Outcome, copy_source: bool) -> String {
    match &o.hit {
        Some(h) if o.fill => {
            if h.score >= 100 && h.repaired.is_none() {
                // exact, or inherited from the file itself
                h.target.clone()
            } else {
                format!("[{}%] {}", h.score, h.target)
            }
        }
        _ if copy_source => format!("[no match] {source}"),
        _ => String::new(),
    }
}

/// The draft translation. Plain text keeps the input's layout: paragraph
/// and line breaks as they were, sentences of one line joined the way the
/// target language writes them (no space in Chinese). An XLIFF input gives
/// one line per segment. A kept XLIFF target is written as it is.
pub fn txt(doc: &SourceDoc, outs: &[Outcome], to: &LangTag, copy_source: bool) -> String {
    if let Layout::Document(_) = &doc.layout {
        return txt(&as_text(doc), outs, to, copy_source);
    }
    match &doc.layout {
        Layout::Text { text } => {
            let joiner_unspaced = to.lang.is_unspaced();
            let mut out = String::with_capacity(text.len());
            let mut line: Vec<(String, String)> = Vec::new(); // (space before, piece)
            let flush = |line: &mut Vec<(String, String)>, out: &mut String| {
                let mut first = true;
                for (sep, piece) in line.drain(..) {
                    if piece.is_empty() {
                        continue;
                    }
                    if !first {
                        if joiner_unspaced {
                            // 中文句子之间不加空格
                        } else if sep.is_empty() {
                            out.push(' ');
                        } else {
                            out.push_str(&sep);
                        }
                    }
                    out.push_str(&piece);
                    first = false;
                }
            };
            let mut at = 0;
            for (k, (s, o)) in doc.segments.iter().zip(outs).enumerate() {
                let Place::Text { range } = &s.place else {
                    continue;
                };
                let gap = text.get(at..range.start).unwrap_or("");
                let breaks = gap.contains('\n') || !gap.trim().is_empty();
                if k == 0 || breaks {
                    flush(&mut line, &mut out);
                    out.push_str(gap);
                    line.push((String::new(), txt_piece(&s.text, o, copy_source)));
                } else {
                    line.push((gap.to_string(), txt_piece(&s.text, o, copy_source)));
                }
                at = range.end;
            }
            flush(&mut line, &mut out);
            out.push_str(text.get(at..).unwrap_or(""));
            out
        }
        Layout::Document(_) => unreachable!("documents are written as text above"),
        Layout::Xliff(x) => {
            let mut out = String::new();
            for (s, o) in doc.segments.iter().zip(outs) {
                if o.kept
                    && let Place::Xliff { unit, segment, .. } = s.place
                    && let Some(t) = x
                        .units
                        .get(unit)
                        .and_then(|u| u.segments.get(segment))
                        .and_then(|s| s.target.as_ref())
                {
                    out.push_str(&one_line(&t.plain()));
                } else {
                    out.push_str(&one_line(&txt_piece(&s.text, o, copy_source)));
                }
                out.push('\n');
            }
            out
        }
    }
}

/// A document as plain text (its paragraphs separated by blank lines, as
/// [`polytm_formats::document::Document::text`] gives them), with each
/// segment at its place in that text.
fn as_text(doc: &SourceDoc) -> SourceDoc {
    let Layout::Document(d) = &doc.layout else {
        return doc.clone();
    };
    let mut starts = Vec::with_capacity(d.paragraphs.len());
    let mut at = 0;
    for p in &d.paragraphs {
        starts.push(at);
        at += p.text.len() + 2;
    }
    let segments = doc
        .segments
        .iter()
        .map(|s| {
            let mut s = s.clone();
            if let Place::Document {
                paragraph, range, ..
            } = &s.place
            {
                let base = starts[*paragraph];
                s.place = Place::Text {
                    range: base + range.start..base + range.end,
                };
            }
            s
        })
        .collect();
    SourceDoc {
        path: doc.path.clone(),
        name: doc.name.clone(),
        layout: Layout::Text { text: d.text() },
        segments,
    }
}

/// The document written back in its own format: each sentence whose
/// match reaches `--min` replaced by the translation (in the formatting of
/// its first run), everything else as it was; HTML gets `lang` = `to`.
pub fn document(doc: &SourceDoc, outs: &[Outcome], to: &LangTag) -> Result<Vec<u8>> {
    let Layout::Document(d) = &doc.layout else {
        return Err(Error::usage(format!(
            "{}: --format same writes .docx, .odt and .html inputs back; this is not one",
            doc.name
        )));
    };
    let replacements: Vec<Replacement> = doc
        .segments
        .iter()
        .zip(outs)
        .filter(|(_, o)| o.fill)
        .filter_map(|(s, o)| match (&s.place, &o.hit) {
            (
                Place::Document {
                    paragraph, range, ..
                },
                Some(h),
            ) => Some(Replacement {
                paragraph: *paragraph,
                range: range.clone(),
                target: h.target.as_str().into(),
            }),
            _ => None,
        })
        .collect();
    d.write(&replacements, &to.tag)
}

/// Tabs and line breaks inside a field become spaces: one line per segment.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| {
            if matches!(c, '\t' | '\n' | '\r') {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// `n<TAB>score<TAB>target<TAB>match source`, one line per segment, n from
/// 1; score, target and source empty when no match reaches `min`. The
/// score is 0–100 (the contract of the evaluation scripts): an in-context
/// match is written 100 there.
pub fn tsv(outs: &[Outcome], min: u8) -> String {
    let mut out = String::new();
    for (n, o) in outs.iter().enumerate() {
        match &o.hit {
            Some(h) if h.score >= min => {
                out.push_str(&format!(
                    "{}\t{}\t{}\t{}\n",
                    n + 1,
                    h.score.min(100),
                    one_line(&h.target),
                    one_line(&h.source)
                ));
            }
            _ => out.push_str(&format!("{}\t\t\t\n", n + 1)),
        }
    }
    out
}

/// XLIFF: a filled copy of an XLIFF input, or a new XLIFF 1.2 file for a
/// text input (one trans-unit per segment, a `<group>` per paragraph).
pub fn xliff(
    doc: &SourceDoc,
    outs: &[Outcome],
    from: &LangTag,
    to: &LangTag,
    overwrite: bool,
) -> String {
    match &doc.layout {
        Layout::Xliff(x) => {
            let fills: Vec<Fill> = doc
                .segments
                .iter()
                .zip(outs)
                .filter(|(_, o)| o.fill)
                .filter_map(|(s, o)| match (&s.place, &o.hit) {
                    (Place::Xliff { unit, segment, .. }, Some(h)) => Some(Fill {
                        unit: *unit,
                        segment: *segment,
                        leveraged: leveraged(h),
                    }),
                    _ => None,
                })
                .collect();
            x.fill(
                &fills,
                &FillOptions {
                    target_lang: &to.tag,
                    overwrite,
                },
            )
        }
        Layout::Document(d) => {
            let units: Vec<NewUnit> = doc
                .segments
                .iter()
                .zip(outs)
                .enumerate()
                .map(|(n, (s, o))| {
                    let Place::Document {
                        paragraph, range, ..
                    } = &s.place
                    else {
                        unreachable!("a document's segments are in its paragraphs")
                    };
                    NewUnit {
                        id: (n + 1).to_string(),
                        group: Some(format!("p{}", paragraph + 1)),
                        source: d.content(*paragraph, range.clone()),
                        leveraged: o.hit.as_ref().filter(|_| o.fill).map(leveraged),
                    }
                })
                .collect();
            xliff::write_new(
                &NewFile {
                    original: &file_name(&doc.path),
                    source_lang: &from.tag,
                    target_lang: &to.tag,
                    datatype: d.kind.datatype(),
                },
                &units,
            )
        }
        Layout::Text { text } => {
            let mut units = Vec::with_capacity(doc.segments.len());
            let mut para = 1;
            let mut at = 0;
            let paragraphs = text.contains("\n\n") || text.contains("\r\n\r\n");
            for (n, (s, o)) in doc.segments.iter().zip(outs).enumerate() {
                if let Place::Text { range } = &s.place {
                    let gap = text.get(at..range.start).unwrap_or("");
                    if n > 0 && is_paragraph_break(gap) {
                        para += 1;
                    }
                    at = range.end;
                }
                units.push(NewUnit {
                    id: (n + 1).to_string(),
                    group: paragraphs.then(|| format!("p{para}")),
                    source: s.text.as_str().into(),
                    leveraged: o.hit.as_ref().filter(|_| o.fill).map(leveraged),
                });
            }
            xliff::write_new(
                &NewFile {
                    original: &file_name(&doc.path),
                    source_lang: &from.tag,
                    target_lang: &to.tag,
                    datatype: "plaintext",
                },
                &units,
            )
        }
    }
}

/// The proposals as TMX 1.4b, for a CAT tool's project TM: one `<tu>` per
/// distinct segment with a translation (source: the segment; target: the
/// proposal), with props `x-polytm-score` and `x-polytm-match`
/// (`exact`, `fuzzy`, `adapted`) and, for fuzzy ones, a note naming the TM
/// source the score refers to. A CAT tool takes these pairs at face value:
/// fuzzy proposals come back as 100 % matches there, so give it only
/// `--min 100`, or a penalty (OmegaT: a `tm/penalty-NN/` folder).
pub fn tmx(doc: &SourceDoc, outs: &[Outcome], from: &LangTag, to: &LangTag) -> Result<String> {
    use polytm_formats::tmx::{HeaderOut, Meta, TmxWriter, UnitOut, VariantOut, iso_to_tmx_date};
    use polytm_formats::xml::is_xml_char;
    let clean = |s: &str| -> String { s.chars().filter(|&c| is_xml_char(c)).collect() };
    let header = HeaderOut {
        creationtoolversion: env!("CARGO_PKG_VERSION").to_string(),
        srclang: from.tag.clone(),
        notes: vec![format!(
            "polytm pre-translation proposals for {}: x-polytm-score is the match score, x-polytm-match exact, fuzzy or adapted (numbers or terms substituted)",
            doc.name
        )],
    };
    let fail = |e: std::io::Error| Error::other(format!("writing TMX: {e}"));
    let mut w = TmxWriter::new(Vec::new(), &header).map_err(fail)?;
    let date = iso_to_tmx_date(&polytm_store::now()).unwrap_or_default();
    let mut seen = std::collections::HashSet::new();
    for (n, (s, o)) in doc.segments.iter().zip(outs).enumerate() {
        let Some(h) = o.hit.as_ref().filter(|_| o.fill) else {
            continue;
        };
        if !seen.insert(s.key.as_str()) {
            continue;
        }
        let kind = match h.kind() {
            xliff::MatchKind::Exact => "exact",
            xliff::MatchKind::Context => "context",
            xliff::MatchKind::Fuzzy => "fuzzy",
            xliff::MatchKind::Repaired => "adapted",
            xliff::MatchKind::Inherited => "repetition",
        };
        let mut meta = vec![
            Meta::prop("x-polytm-score", h.score.to_string()),
            Meta::prop("x-polytm-match", kind),
        ];
        if h.score < 100 {
            meta.push(Meta::note(clean(&format!("TM source: {}", h.source))));
        }
        if let Some(r) = &h.repaired {
            meta.push(Meta::note(clean(&format!("adapted by polytm: {r}"))));
        }
        let tuid = (n + 1).to_string();
        let mut attrs = std::collections::BTreeMap::new();
        attrs.insert("tuid", tuid.as_str());
        attrs.insert("creationid", "polytm");
        if !date.is_empty() {
            attrs.insert("creationdate", date.as_str());
        }
        let (src, tgt) = (clean(&s.text), clean(&h.target));
        let unit = UnitOut {
            attrs,
            meta: meta.iter().collect(),
            variants: vec![
                VariantOut {
                    tag: &from.tag,
                    text: &src,
                    markup: false,
                    attrs: None,
                    meta: &[],
                },
                VariantOut {
                    tag: &to.tag,
                    text: &tgt,
                    markup: false,
                    attrs: None,
                    meta: &[],
                },
            ],
        };
        w.unit(&unit)
            .map_err(|e| Error::other(format!("writing TMX for segment {}: {e:?}", n + 1)))?;
    }
    let bytes = w.finish().map_err(fail)?;
    String::from_utf8(bytes).map_err(|_| Error::other("writing TMX: not UTF-8"))
}

/// A blank line (white space only) between two segments.
fn is_paragraph_break(gap: &str) -> bool {
    gap.split('\n').count() > 2
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| display_path(p))
}

/// The output name for `input` in language `to`: the input's name without
/// its extension and without a trailing source-language code
/// (`release.en.txt` → `release.ru.txt`), then `.LANG.EXT`.
pub fn output_name(input: &Path, from: &LangTag, to: &LangTag, ext: &str) -> String {
    let name = if input.as_os_str() == "-" {
        "stdin".to_string()
    } else {
        input
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "output".into())
    };
    let mut stem = name.as_str();
    if let Some(i) = stem.rfind(['.', '_', '-']) {
        // `release.en`, `release_en`, `release-en-US` (one or two subtags)
        let tail = &stem[i + 1..];
        let cut = |s: &str| LangTag::parse(s).is_ok_and(|t| t.lang == from.lang);
        if cut(tail) {
            stem = &stem[..i];
        } else if let Some(j) = stem[..i].rfind(['.', '_'])
            && cut(&stem[j + 1..])
            && stem[j + 1..].contains(['-', '_'])
        {
            stem = &stem[..j];
        }
    }
    if stem.is_empty() {
        stem = "output";
    }
    format!("{stem}.{}.{ext}", to.tag)
}

/// An output to write: its path (None: standard output) and content.
#[derive(Debug, Clone)]
pub struct Pending {
    pub path: Option<PathBuf>,
    pub content: Vec<u8>,
    /// What it holds, for the closing message.
    pub summary: String,
}

/// Write all outputs, or none (see [`polytm_core::output::write_all`]):
/// each goes to a temporary file beside its destination, renamed into place
/// only when every one is written; standard output (`path: None`) last.
/// None may replace what `protected` names (the database, the inputs).
pub fn write_all(pending: &[Pending], protected: &Protected) -> Result<()> {
    let stdout = Path::new("-");
    let outputs = pending
        .iter()
        .map(|p| {
            let path = p.path.as_deref().unwrap_or(stdout);
            Ok((Output::create(path, protected)?, p.content.as_slice()))
        })
        .collect::<Result<Vec<_>>>()?;
    polytm_core::output::write_all(outputs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pretranslate::input::{from_text, lines_of};
    use crate::pretranslate::tests::TestTm;
    use crate::pretranslate::{Options, leverage};

    fn en() -> LangTag {
        LangTag::parse("en").unwrap()
    }

    /// Sentences: every ". "-terminated piece of each line.
    fn sentences(text: &str, _l: &polytm_text::lang::Lang) -> Vec<std::ops::Range<usize>> {
        let mut out = Vec::new();
        for r in lines_of(text, _l) {
            let line = &text[r.clone()];
            let mut start = line.len() - line.trim_start().len();
            for (i, _) in line.match_indices(". ") {
                out.push(r.start + start..r.start + i + 1);
                start = i + 2;
            }
            if start < line.len() {
                out.push(r.start + start..r.end);
            }
        }
        out
    }

    fn run(text: &str, split: &super::super::input::Splitter) -> (SourceDoc, Vec<Outcome>) {
        let tm = TestTm(vec![
            ("One.".into(), "Один.".into()),
            ("Two.".into(), "Два.".into()),
            (
                "Four five six seven.".into(),
                "Четыре пять шесть семь.".into(),
            ),
        ]);
        let d = from_text("r.en.txt", text.into(), &en(), split).unwrap();
        let o = leverage(
            std::slice::from_ref(&d),
            &tm,
            &Options {
                min: 70,
                band_floor: crate::pretranslate::BAND_FLOOR,
                overwrite: false,
            },
            &polytm_core::Quiet,
        )
        .unwrap();
        (d, o.into_iter().next().unwrap())
    }

    #[test]
    fn txt_keeps_paragraphs_and_marks_fuzzy() {
        let text = "One. Two. Three.\n\n  Four five six eight.\n";
        let (d, o) = run(text, &sentences);
        let ru = LangTag::parse("ru").unwrap();
        assert_eq!(
            txt(&d, &o, &ru, false),
            "Один. Два.\n\n  [75%] Четыре пять шесть семь.\n"
        );
        assert_eq!(
            txt(&d, &o, &ru, true),
            "Один. Два. [no match] Three.\n\n  [75%] Четыре пять шесть семь.\n"
        );
        let zh = LangTag::parse("zh").unwrap();
        assert!(txt(&d, &o, &zh, false).starts_with("Один.Два.\n"));
    }

    #[test]
    fn txt_presplit_keeps_every_line() {
        let (d, o) = run("One.\n\nThree.\nTwo.\n", &lines_of);
        let ru = LangTag::parse("ru").unwrap();
        assert_eq!(txt(&d, &o, &ru, false), "Один.\n\n\nДва.\n");
    }

    #[test]
    fn tsv_has_one_line_per_segment() {
        let (_, o) = run("One.\nThree.\nFour five six eight.\n", &lines_of);
        assert_eq!(
            tsv(&o, 70),
            "1\t100\tОдин.\tOne.\n2\t\t\t\n3\t75\tЧетыре пять шесть семь.\tFour five six seven.\n"
        );
        assert_eq!(tsv(&o, 80).lines().nth(2), Some("3\t\t\t"));
    }

    #[test]
    fn xliff_from_text_groups_paragraphs_and_never_copies_source() {
        let (d, o) = run("One. Three.\n\nTwo.\n", &sentences);
        let ru = LangTag::parse("ru").unwrap();
        let x = xliff(&d, &o, &en(), &ru, false);
        let back = xliff::parse(&x, "o.xlf").unwrap();
        assert_eq!(back.units.len(), 3);
        assert!(back.units[1].segments[0].target.is_none());
        assert_eq!(
            back.units[2].segments[0].target.as_ref().unwrap().plain(),
            "Два."
        );
        assert_eq!(x.matches("<group ").count(), 2);
        assert!(x.contains("original=\"r.en.txt\""));
    }

    #[test]
    fn tmx_holds_one_unit_per_distinct_proposal() {
        let (d, o) = run("One.\nThree.\nOne.\nFour five six eight.\n", &lines_of);
        let ru = LangTag::parse("ru").unwrap();
        let x = tmx(&d, &o, &en(), &ru).unwrap();
        let mut r = polytm_formats::tmx::TmxReader::new(x.as_bytes());
        let mut units = Vec::new();
        while let Some(u) = r.next_unit().unwrap() {
            units.push(u);
        }
        assert_eq!(units.len(), 2, "{x}");
        assert_eq!(units[0].variants[0].seg.text, "One.");
        assert_eq!(units[0].variants[1].seg.text, "Один.");
        assert_eq!(units[1].variants[1].seg.text, "Четыре пять шесть семь.");
        assert!(x.contains("<prop type=\"x-polytm-score\">75</prop>"), "{x}");
        assert!(
            x.contains("<note>TM source: Four five six seven.</note>"),
            "{x}"
        );
        assert!(x.contains("srclang=\"en\""));
    }

    #[test]
    fn output_names_drop_the_source_language() {
        let en = en();
        let ru = LangTag::parse("ru").unwrap();
        let n = |p: &str| output_name(Path::new(p), &en, &ru, "txt");
        assert_eq!(
            n("dir/2021-05-20-dushanbe.en.txt"),
            "2021-05-20-dushanbe.ru.txt"
        );
        assert_eq!(n("release_en.txt"), "release.ru.txt");
        assert_eq!(n("release.en-US.txt"), "release.ru.txt");
        assert_eq!(n("release.txt"), "release.ru.txt");
        assert_eq!(n("notes-de.txt"), "notes-de.ru.txt");
        assert_eq!(n("-"), "stdin.ru.txt");
    }

    #[cfg(unix)]
    #[test]
    fn outputs_are_not_private_files() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.ru.txt");
        write_all(
            &[Pending {
                path: Some(p.clone()),
                content: b"x".to_vec(),
                summary: String::new(),
            }],
            &Protected::new(),
        )
        .unwrap();
        // the same mode as any file the user creates there
        let plain = dir.path().join("plain");
        std::fs::write(&plain, "y").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&p), mode(&plain));
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "x");
    }

    #[test]
    fn write_all_leaves_nothing_when_a_folder_is_missing() {
        let dir = tempfile::tempdir().unwrap();
        let ok = dir.path().join("a.ru.txt");
        let bad = dir.path().join("missing/b.ru.txt");
        let e = write_all(
            &[
                Pending {
                    path: Some(ok.clone()),
                    content: b"x".to_vec(),
                    summary: String::new(),
                },
                Pending {
                    path: Some(bad),
                    content: b"y".to_vec(),
                    summary: String::new(),
                },
            ],
            &Protected::new(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("folder does not exist"), "{e}");
        assert!(!ok.exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}

//! Reading the files to pre-translate into [`SourceDoc`]s: plain text
//! (cut into sentences by the project's segmenter), one segment a line
//! (`--presplit`), XLIFF 1.2 / 2.0, or a Word, OpenDocument or HTML
//! document (each paragraph cut into sentences).

use std::ops::Range;
use std::path::Path;

use super::{Layout, Place, SourceDoc, SourceSegment, count, repetition_key};
use polytm_core::error::{Error, Result, display_path};
use polytm_formats::input::Utf16;
use polytm_formats::registry::{self, Kind, Purpose};
use polytm_formats::xliff::{self, Part, TagKind};
use polytm_text::lang::{Lang, LangTag};

/// Cuts text into segments: byte ranges of the text, in order, not
/// overlapping. What lies between them (spaces, line breaks, blank lines)
/// is kept by the writers.
pub type Splitter<'a> = dyn Fn(&str, &Lang) -> Vec<Range<usize>> + Sync + 'a;

/// `--presplit`: every line that is not blank is a segment (its line
/// break, and a `\r` before it, excluded).
pub fn lines_of(text: &str, _lang: &Lang) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches('\n').trim_end_matches('\r');
        if !body.trim().is_empty() {
            out.push(start..start + body.len());
        }
        start += line.len();
    }
    out
}

/// Sentences by the project's segmenter ([`polytm_text::segment`]):
/// paragraphs at blank lines, sentences inside them.
pub fn sentences(text: &str, lang: &Lang) -> Vec<Range<usize>> {
    let mut bounds: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
    bounds.push(text.len());
    polytm_text::segment::sentences(text, lang)
        .into_iter()
        .filter_map(|s| Some(*bounds.get(s.start)?..*bounds.get(s.end)?))
        .collect()
}

/// A sentence on one line, for matching: the line breaks of a
/// hard-wrapped paragraph become a space (nothing between Han characters).
fn one_line(s: &str) -> String {
    if !s.contains(['\n', '\r']) {
        return s.to_string();
    }
    let chars: Vec<char> = s.chars().collect();
    polytm_text::segment::one_line(
        &chars,
        polytm_text::segment::Span {
            start: 0,
            end: chars.len(),
        },
    )
}

/// Read one input file (or `-`, standard input).
pub fn read(path: &Path, from: &LangTag, split: &Splitter) -> Result<SourceDoc> {
    let name = display_path(path);
    let kind = registry::by_extension(path, Purpose::Pretranslate);
    if kind == Some(Kind::Xliff) {
        return from_xliff(path, xliff::read(path)?, from);
    }
    let bytes = polytm_formats::input::read_bytes(path)?;
    let kind = match kind {
        Some(k) => k,
        None => registry::detect_content(&name, &bytes, Purpose::Pretranslate)?,
    };
    if let Some(k) = kind.document() {
        let doc = polytm_formats::document::parse(bytes, k, &name)?;
        return from_document(path, doc, from, split);
    }
    let text = polytm_formats::input::decode(&bytes, Utf16::Decode)
        .map_err(|(pos, msg)| Error::input(&name, pos, msg))?;
    if registry::detect_content(&name, text.as_bytes(), Purpose::Pretranslate)? == Kind::Xliff {
        let doc = xliff::parse(&text, &name)?;
        return from_xliff(path, doc, from);
    }
    let mut d = from_text(&name, text, from, split)?;
    d.path = path.to_path_buf();
    Ok(d)
}

/// A plain-text document cut by `split`.
pub fn from_text(name: &str, text: String, from: &LangTag, split: &Splitter) -> Result<SourceDoc> {
    if text.is_empty() {
        return Err(Error::input(name, None, "is empty"));
    }
    if text.trim().is_empty() {
        return Err(Error::input(name, None, "holds only white space"));
    }
    polytm_formats::limits::check_runs(name, &text, b"\n")?;
    let mut segments = Vec::new();
    for r in split(&text, &from.lang) {
        let Some(s) = text.get(r.clone()) else {
            continue;
        };
        if s.trim().is_empty() {
            continue;
        }
        let s = one_line(s);
        let (words, chars) = count(&s, &from.lang);
        segments.push(SourceSegment {
            key: repetition_key(&s),
            text: s,
            words,
            chars,
            place: Place::Text { range: r },
        });
    }
    if segments.is_empty() {
        return Err(Error::input(name, None, "has no text to translate"));
    }
    Ok(SourceDoc {
        path: name.into(),
        name: name.to_string(),
        layout: Layout::Text { text },
        segments,
    })
}

/// The sentences of a document's paragraphs, each cut by `split`.
pub fn from_document(
    path: &Path,
    doc: polytm_formats::document::Document,
    from: &LangTag,
    split: &Splitter,
) -> Result<SourceDoc> {
    let mut segments = Vec::new();
    for (k, p) in doc.paragraphs.iter().enumerate() {
        for r in split(&p.text, &from.lang) {
            let Some(s) = p.text.get(r.clone()) else {
                continue;
            };
            if s.trim().is_empty() {
                continue;
            }
            let content = doc.content(k, r.clone());
            let text = one_line(s);
            let (words, chars) = count(&text, &from.lang);
            segments.push(SourceSegment {
                key: xliff_key(&content.parts),
                text,
                words,
                chars,
                place: Place::Document {
                    paragraph: k,
                    range: r,
                    inner_tags: content.inner_tags(),
                },
            });
        }
    }
    if segments.is_empty() {
        return Err(Error::input(
            display_path(path),
            None,
            "has no text to translate",
        ));
    }
    Ok(SourceDoc {
        path: path.to_path_buf(),
        name: display_path(path),
        layout: Layout::Document(Box::new(doc)),
        segments,
    })
}

/// The key of an XLIFF segment: its text with each inline code as a
/// mark of its kind (codes differing only in their ids are the same).
fn xliff_key(parts: &[Part]) -> String {
    let mut s = String::new();
    for p in parts {
        match p {
            Part::Text(t) => s.push_str(t),
            Part::Tag(t) => s.push(match t.kind {
                TagKind::Open => '\u{2039}',
                TagKind::Close => '\u{203A}',
                TagKind::Standalone => '\u{2022}',
            }),
        }
    }
    repetition_key(&s)
}

/// The segments of an XLIFF document, after checking its source language.
pub fn from_xliff(path: &Path, doc: xliff::Document, from: &LangTag) -> Result<SourceDoc> {
    let name = display_path(path);
    for f in &doc.files {
        if let Some(sl) = &f.source_lang {
            let tag = LangTag::parse(sl)
                .map_err(|m| Error::input(&name, Some(f.pos), format!("source language: {m}")))?;
            if tag.lang != from.lang {
                return Err(Error::input(
                    &name,
                    Some(f.pos),
                    format!(
                        "the source language is {}, not {} as --from says",
                        tag.tag, from.tag
                    ),
                ));
            }
        }
    }
    let mut segments = Vec::new();
    for (ui, u) in doc.units.iter().enumerate() {
        if !u.translate {
            continue;
        }
        for (si, s) in u.segments.iter().enumerate() {
            if !s.source.has_text() {
                continue;
            }
            let text = s.source.plain();
            let (words, chars) = count(&text, &from.lang);
            segments.push(SourceSegment {
                key: xliff_key(&s.source.parts),
                text,
                words,
                chars,
                place: Place::Xliff {
                    unit: ui,
                    segment: si,
                    inner_tags: s.source.inner_tags(),
                    filled: s.is_filled(),
                    translation: s.done_translation(),
                },
            });
        }
    }
    if segments.is_empty() {
        return Err(Error::input(
            &name,
            None,
            "has no text to translate (no translatable segment)",
        ));
    }
    Ok(SourceDoc {
        path: path.to_path_buf(),
        name,
        layout: Layout::Xliff(Box::new(doc)),
        segments,
    })
}

/// An XLIFF that declares a target language can only be filled in that
/// language.
pub fn check_target(doc: &SourceDoc, to: &LangTag) -> Result<()> {
    let Layout::Xliff(x) = &doc.layout else {
        return Ok(());
    };
    for f in &x.files {
        if let Some(tl) = &f.target_lang {
            let tag = LangTag::parse(tl).map_err(|m| {
                Error::input(&doc.name, Some(f.pos), format!("target language: {m}"))
            })?;
            if tag.lang != to.lang {
                return Err(Error::input(
                    &doc.name,
                    Some(f.pos),
                    format!(
                        "the target language is {}; it cannot be filled in {} (--to)",
                        tag.tag, to.tag
                    ),
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn en() -> LangTag {
        LangTag::parse("en").unwrap()
    }

    #[test]
    fn presplit_lines_skip_blank_ones_and_carriage_returns() {
        let t = "one\r\n\r\n  two  \nthree";
        let r = lines_of(t, &Lang::en());
        let got: Vec<&str> = r.iter().map(|r| &t[r.clone()]).collect();
        assert_eq!(got, ["one", "  two  ", "three"]);
    }

    #[test]
    fn empty_texts_are_refused() {
        let e = from_text("a.txt", String::new(), &en(), &lines_of).unwrap_err();
        assert_eq!(e.to_string(), "a.txt: is empty");
        let e = from_text("b.txt", " \n\n".into(), &en(), &lines_of).unwrap_err();
        assert_eq!(e.to_string(), "b.txt: holds only white space");
    }

    #[test]
    fn xliff_source_language_must_be_from() {
        let x = r#"<xliff version="1.2"><file source-language="de" target-language="ru" original="x"><body><trans-unit id="1"><source>Hallo</source></trans-unit></body></file></xliff>"#;
        let doc = xliff::parse(x, "d.xlf").unwrap();
        let e = from_xliff(Path::new("d.xlf"), doc, &en()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "d.xlf:1:22: the source language is de, not en as --from says"
        );
        let x = x.replace("\"de\"", "\"en-GB\"");
        let doc = from_xliff(
            Path::new("d.xlf"),
            xliff::parse(&x, "d.xlf").unwrap(),
            &en(),
        )
        .unwrap();
        assert_eq!(doc.segments.len(), 1);
        check_target(&doc, &LangTag::parse("ru-RU").unwrap()).unwrap();
        let e = check_target(&doc, &LangTag::parse("zh").unwrap()).unwrap_err();
        assert!(e.to_string().contains("target language is ru"), "{e}");
    }

    #[test]
    fn xliff_keys_ignore_code_ids() {
        let x = r#"<xliff version="1.2"><file source-language="en" original="x"><body>
<trans-unit id="1"><source>Go <g id="1">now</g></source></trans-unit>
<trans-unit id="2"><source>Go <g id="7">now</g></source></trans-unit>
<trans-unit id="3" translate="no"><source>Skip</source></trans-unit>
<trans-unit id="4"><source><x id="1"/></source></trans-unit>
</body></file></xliff>"#;
        let doc = from_xliff(Path::new("k.xlf"), xliff::parse(x, "k.xlf").unwrap(), &en()).unwrap();
        assert_eq!(doc.segments.len(), 2);
        assert_eq!(doc.segments[0].key, doc.segments[1].key);
        assert_eq!(doc.segments[0].text, "Go now");
    }
}

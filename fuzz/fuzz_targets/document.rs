//! The document readers (`.docx`, `.odt`, `.html`; the first byte picks
//! which) and their write-back. Whatever a reader accepts must give
//! paragraphs whose text is what `text()` joins, and writing it back with
//! the first sentence-sized piece of the first paragraph replaced (with
//! the inline codes the reader gave it) either is refused or gives a
//! document the same reader reads again, holding the replacement.
#![no_main]

use libfuzzer_sys::fuzz_target;
use polytm_formats::document::{DocKind, Replacement, parse};
use polytm_formats::xliff::{Content, Part};
use polytm_fuzz::split_first;

const KINDS: &[DocKind] = &[DocKind::Docx, DocKind::Odt, DocKind::Html];

fuzz_target!(|data: &[u8]| {
    let (flags, rest) = split_first(data);
    let kind = KINDS[flags as usize % KINDS.len()];
    let Ok(doc) = parse(rest.to_vec(), kind, "fuzz") else {
        return;
    };
    let text = doc.text();
    for p in &doc.paragraphs {
        assert!(text.contains(p.text.as_str()), "a paragraph not in text()");
    }
    let Some((k, p)) = doc
        .paragraphs
        .iter()
        .enumerate()
        .find(|(_, p)| !p.text.trim().is_empty())
    else {
        return;
    };
    // up to 12 characters from the start, on a character boundary
    let end = p.text.char_indices().nth(12).map_or(p.text.len(), |c| c.0);
    let mut target = doc.content(k, 0..end);
    let replaced: Vec<Part> = target
        .parts
        .iter()
        .map(|part| match part {
            Part::Text(_) => Part::Text("Совещание 会议".into()),
            other => other.clone(),
        })
        .collect();
    target = Content { parts: replaced };
    // write refuses what would not read back (broken markup): allowed
    let Ok(out) = doc.write(
        &[Replacement {
            paragraph: k,
            range: 0..end,
            target,
        }],
        "ru",
    ) else {
        return;
    };
    let again = parse(out, kind, "fuzz-out").expect("what was written reads again");
    assert!(
        again.text().contains("Совещание") || !doc.paragraphs[k].text[..end].chars().any(|c| !c.is_whitespace()),
        "the replacement is in the document written"
    );
});

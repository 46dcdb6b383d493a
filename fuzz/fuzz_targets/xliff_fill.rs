//! Filling XLIFF 1.2 and 2.0 (`pretranslate --format xliff`): every
//! translatable segment of a document read from the input gets a
//! translation (the first byte picks the kinds, scores, texts and whether
//! filled targets are overwritten). What is written must read back with
//! the same units and segments, each filled segment holding its
//! translation. Two kinds of invalid XLIFF are only checked for reading
//! back: segment ids that are not unique in a unit (the markers are
//! ambiguous), and characters XML 1.0 forbids (the reader copies them as
//! they are, but escaping drops them from the ids it writes).
#![no_main]

use libfuzzer_sys::fuzz_target;
use polytm_formats::xliff::{Document, Fill, FillOptions, Leveraged, MatchKind, parse};
use polytm_formats::xml::forbidden_char;
use polytm_fuzz::{split_first, text};

/// Translations with what must be escaped, astral characters, white
/// space and line breaks.
const TRANSLATIONS: &[&str] = &[
    "Совещание прошло в Душанбе.",
    "Fish & chips <b>\"x\"</b> ]]> 'y'",
    "上海合作组织 𠀋 。",
    "  two\r\nlines\t ",
    "",
];

const KINDS: &[MatchKind] = &[
    MatchKind::Exact,
    MatchKind::Fuzzy,
    MatchKind::Repaired,
    MatchKind::Inherited,
];

fuzz_target!(|data: &[u8]| {
    let (flags, rest) = split_first(data);
    let text = text(rest);
    let Ok(doc) = parse(&text, "fuzz.xlf") else {
        return;
    };
    let overwrite = flags & 1 == 1;
    let mut fills = Vec::new();
    for (u, unit) in doc.units.iter().enumerate() {
        for (s, seg) in unit.segments.iter().enumerate() {
            let k = (flags as usize >> 1) + u + s;
            fills.push(Fill {
                unit: u,
                segment: s,
                leveraged: Leveraged {
                    target: TRANSLATIONS[k % TRANSLATIONS.len()].to_string(),
                    score: (k * 37 % 101) as u8,
                    kind: KINDS[k % KINDS.len()],
                    match_source: seg.source.plain(),
                    match_target: TRANSLATIONS[(k + 1) % TRANSLATIONS.len()].to_string(),
                    note: (k % 3 == 0).then(|| "numbers <repaired> & more".to_string()),
                },
            });
        }
    }
    let opts = FillOptions {
        target_lang: if flags & 2 == 2 { "zh-CN" } else { "ru" },
        overwrite,
    };
    let out = doc.fill(&fills, &opts);
    let back = match parse(&out, "filled.xlf") {
        Ok(d) => d,
        Err(e) => {
            panic!("a filled document does not read back: {e}\n--- in:\n{text}\n--- out:\n{out}")
        }
    };
    assert_eq!(back.version, doc.version);
    let ids = |d: &Document| -> Vec<(String, usize)> {
        d.units
            .iter()
            .map(|u| (u.id.clone(), u.segments.len()))
            .collect()
    };
    assert_eq!(ids(&back), ids(&doc), "units or segments changed\n{out}");
    if forbidden_char(&text).is_some() {
        return;
    }
    for (f, (a, b)) in fills.iter().zip(
        doc.units
            .iter()
            .flat_map(|u| u.segments.iter().map(move |s| (u, s)))
            .zip(back.units.iter().flat_map(|u| u.segments.iter())),
    ) {
        let (unit, seg) = a;
        assert_eq!(seg.source, b.source, "a source changed\n{out}");
        let seg_ids: Vec<_> = unit.segments.iter().map(|s| &s.id).collect();
        if (1..seg_ids.len()).any(|i| seg_ids[..i].contains(&seg_ids[i])) {
            continue;
        }
        let eligible = unit.translate && (overwrite || !seg.is_filled());
        if eligible {
            let got = b.target.as_ref().map(|t| t.plain()).unwrap_or_default();
            assert_eq!(
                got, f.leveraged.target,
                "the translation did not land\n--- in:\n{text}\n--- out:\n{out}"
            );
        } else {
            assert_eq!(
                seg.target, b.target,
                "a target that was not to be filled changed\n{out}"
            );
        }
    }
});

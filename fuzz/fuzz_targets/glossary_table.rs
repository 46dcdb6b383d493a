//! Glossaries as tables (`glossary import x.tsv`, `x.csv`): any bytes, as
//! TSV or CSV (the first byte picks). Concepts read survive a round trip
//! through `write_table` in the same format: the same terms with the same
//! statuses in each language, notes, sources and domains (TSV turns tabs
//! and line breaks into spaces: it cannot hold them).
#![no_main]

use std::collections::BTreeMap;

use libfuzzer_sys::fuzz_target;
use polytm_core::error::Result;
use polytm_formats::glossary_table::{GlossaryTableReader, write_table};
use polytm_formats::table::{Delim, TableReader};
use polytm_formats::termbase::{NewConcept, TermStatus};
use polytm_fuzz::{refused, split_first};
use polytm_text::lang::Lang;

fn read_all(bytes: &[u8], delim: Delim) -> Result<Vec<NewConcept>> {
    let r = GlossaryTableReader::new(TableReader::new(bytes, "fuzz", delim)?)?;
    r.map(|c| c.map(|(_, c)| c)).collect()
}

/// What a TSV can hold of a field.
fn tsv(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

/// A concept's terms by language, in order, as a table writes them.
fn terms(c: &NewConcept, delim: Delim) -> BTreeMap<Lang, Vec<(String, TermStatus)>> {
    let mut m: BTreeMap<Lang, Vec<(String, TermStatus)>> = BTreeMap::new();
    for t in &c.terms {
        let text = match delim {
            Delim::Tab => tsv(&t.text).trim().to_string(),
            _ => t.text.clone(),
        };
        m.entry(t.tag.lang.clone())
            .or_default()
            .push((text, t.status));
    }
    m
}

fuzz_target!(|data: &[u8]| {
    let (flags, rest) = split_first(data);
    let delim = if flags & 1 == 0 {
        Delim::Tab
    } else {
        Delim::Comma
    };
    let concepts = match read_all(rest, delim) {
        Ok(c) => c,
        Err(e) => return refused(e),
    };
    for c in &concepts {
        for t in &c.terms {
            assert!(
                !t.text.is_empty() && t.text.trim() == t.text,
                "term {:?}",
                t.text
            );
            // only a spaced bar separates terms (`+cmd|calc` is one term)
            assert!(
                !t.text.contains(" | "),
                "term {:?} holds the separator",
                t.text
            );
        }
    }
    if !concepts.iter().any(|c| !c.terms.is_empty()) {
        return; // a table without a language column does not read back
    }
    let mut out = Vec::new();
    write_table(&mut out, &concepts, delim, false).unwrap();
    let back = match read_all(&out, delim) {
        Ok(c) => c,
        Err(e) => panic!(
            "what write_table wrote does not read back: {e}\n{}",
            String::from_utf8_lossy(&out)
        ),
    };
    assert_eq!(back.len(), concepts.len());
    let field = |s: &Option<String>| -> Option<String> {
        let s = s.as_deref().map(|s| match delim {
            Delim::Tab => tsv(s).trim().to_string(),
            _ => s.to_string(),
        });
        s.filter(|s| !s.is_empty())
    };
    for (a, b) in concepts.iter().zip(&back) {
        let written = String::from_utf8_lossy(&out);
        assert_eq!(terms(b, delim), terms(a, delim), "written as\n{written}");
        assert_eq!(field(&b.note), field(&a.note), "written as\n{written}");
        assert_eq!(field(&b.source), field(&a.source), "written as\n{written}");
        assert_eq!(field(&b.domain), field(&a.domain), "written as\n{written}");
    }
});

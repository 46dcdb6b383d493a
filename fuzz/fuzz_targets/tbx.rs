//! TBX glossaries, both dialects (`<tbx>` TBX-Basic 2019 and the older
//! `<martif>`), from any bytes (UTF-8, or UTF-16 with a byte-order mark).
//! Concepts read have terms, and survive a round trip: written as TBX of
//! either dialect they read back the same (terms, languages, statuses,
//! notes, sources, domain). The reader, unlike the TMX reader, accepts
//! characters XML 1.0 forbids (control characters); the writer drops them
//! (see `xml.rs`), so concepts holding one are left out of the round trip.
#![no_main]

use libfuzzer_sys::fuzz_target;
use polytm_core::error::Result;
use polytm_formats::tbx::{Dialect, TbxReader, write_tbx};
use polytm_formats::termbase::NewConcept;
use polytm_formats::xml::forbidden_char;
use polytm_fuzz::refused;

fn read_all(bytes: Vec<u8>) -> Result<(Option<Dialect>, Vec<NewConcept>)> {
    let mut r = TbxReader::from_bytes(bytes, "fuzz.tbx")?;
    let mut concepts = Vec::new();
    while let Some((_, c)) = r.next_concept()? {
        concepts.push(c);
    }
    Ok((r.dialect, concepts))
}

/// Whether any text of a concept holds a character XML 1.0 forbids.
fn forbidden(c: &NewConcept) -> bool {
    let texts = [&c.note, &c.source, &c.domain]
        .into_iter()
        .flatten()
        .chain(
            c.terms
                .iter()
                .flat_map(|t| [&t.note, &t.source].into_iter().flatten()),
        )
        .chain(c.terms.iter().map(|t| &t.text));
    texts.into_iter().any(|s| forbidden_char(s).is_some())
}

fuzz_target!(|data: &[u8]| {
    let (dialect, concepts) = match read_all(data.to_vec()) {
        Ok(x) => x,
        Err(e) => return refused(e),
    };
    assert!(dialect.is_some(), "a TBX read without a root element");
    for c in &concepts {
        assert!(!c.terms.is_empty(), "a concept without terms");
        for t in &c.terms {
            assert!(!t.text.trim().is_empty(), "an empty term");
        }
    }
    if concepts.iter().any(forbidden) {
        return;
    }
    for d in [Dialect::Tbx, Dialect::Martif] {
        let mut out = Vec::new();
        write_tbx(&mut out, &concepts, d).unwrap();
        let (d2, back) = match read_all(out.clone()) {
            Ok(x) => x,
            Err(e) => panic!(
                "what write_tbx wrote does not read back: {e}\n{}",
                String::from_utf8_lossy(&out)
            ),
        };
        assert_eq!(d2, Some(d));
        assert_eq!(back.len(), concepts.len());
        for (a, b) in concepts.iter().zip(&back) {
            assert_eq!(a.terms, b.terms);
            assert_eq!(a.note, b.note);
            assert_eq!(a.source, b.source);
            assert_eq!(a.domain, b.domain);
        }
    }
});

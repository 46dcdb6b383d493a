//! Stable 64-bit hashes of unit content, stored in the database for
//! duplicate detection: the same on every backend and every build.

use polytm_text::lang::Lang;

use crate::records::NewVariant;

/// Stable 64-bit hash of a unit's content: its (lang, text) pairs in
/// language order. Stable across builds (stored in the database).
pub fn content_hash(variants: &[NewVariant]) -> i64 {
    content_hash_with(&mut Vec::new(), variants)
}

/// [`content_hash`] with a buffer kept between calls.
pub fn content_hash_with(buf: &mut Vec<u8>, variants: &[NewVariant]) -> i64 {
    fn part(v: &NewVariant) -> (&str, &str) {
        (v.tag.lang.as_str(), v.text.as_str())
    }
    buf.clear();
    let mut put = |(l, t): (&str, &str)| {
        buf.extend_from_slice(l.as_bytes());
        buf.push(0);
        buf.extend_from_slice(t.as_bytes());
        buf.push(0);
    };
    // Units have a few languages: sort them on the stack.
    const FEW: usize = 8;
    if variants.len() <= FEW {
        let mut parts = [("", ""); FEW];
        for (p, v) in parts.iter_mut().zip(variants) {
            *p = part(v);
        }
        let parts = &mut parts[..variants.len()];
        parts.sort_unstable();
        parts.iter().for_each(|&p| put(p));
    } else {
        let mut parts: Vec<(&str, &str)> = variants.iter().map(part).collect();
        parts.sort_unstable();
        parts.into_iter().for_each(put);
    }
    xxhash_rust::xxh3::xxh3_64(buf) as i64
}

pub fn source_hash(lang: &Lang, text: &str) -> i64 {
    let mut buf = Vec::with_capacity(lang.as_str().len() + 1 + text.len());
    buf.extend_from_slice(lang.as_str().as_bytes());
    buf.push(0);
    buf.extend_from_slice(text.as_bytes());
    xxhash_rust::xxh3::xxh3_64(&buf) as i64
}

/// The [`source_hash`] of a unit: of its variant in its source language,
/// when it names one and has it (`--on-duplicate overwrite` finds the unit
/// to replace by it).
pub fn unit_source_hash(src_lang: Option<&Lang>, variants: &[NewVariant]) -> Option<i64> {
    let l = src_lang?;
    variants
        .iter()
        .find(|v| &v.tag.lang == l)
        .map(|v| source_hash(l, &v.text))
}

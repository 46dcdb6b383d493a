//! TMX as `import` reads it: any bytes through the encoding sniffer
//! (`xml_source`) into the streaming reader. What is read must be
//! consistent (a segment with markup reads back through `parse_inline` to
//! the same markup and plain text) and must survive a round trip: the
//! units written by `TmxWriter` read back the same (texts, markup,
//! languages, attributes, dates, props and notes).
#![no_main]

use std::collections::BTreeMap;
use std::io::{BufRead, Cursor};

use libfuzzer_sys::fuzz_target;
use polytm_formats::tmx::{
    Header, HeaderOut, SrcLang, TmxError, TmxReader, TmxUnit, TmxWriter, UnitOut, VariantOut,
    iso_to_tmx_date, parse_inline,
};
use polytm_formats::xml::forbidden_char;
use polytm_formats::xml_source::from_reader;
use polytm_fuzz::refused;
use polytm_text::lang::LangTag;

fn read_all(src: impl BufRead) -> Result<(Header, Vec<TmxUnit>), TmxError> {
    let mut r = TmxReader::new(src);
    let header = r.header()?.clone();
    let mut units = Vec::new();
    while let Some(u) = r.next_unit()? {
        units.push(u);
    }
    Ok((header, units))
}

fn srclang(s: &SrcLang) -> Option<String> {
    match s {
        SrcLang::All => Some("*all*".into()),
        SrcLang::Tag(t) => Some(t.tag.clone()),
        SrcLang::Unknown => None,
    }
}

fn write_all(header: &Header, units: &[TmxUnit]) -> Vec<u8> {
    let h = HeaderOut {
        creationtoolversion: "fuzz".into(),
        srclang: srclang(&header.srclang).unwrap_or_else(|| "*all*".into()),
        notes: header
            .meta
            .iter()
            .filter(|m| m.ty.is_none())
            .map(|m| m.text.clone())
            .collect(),
    };
    let mut w = TmxWriter::new(Vec::new(), &h).unwrap();
    for u in units {
        let created = u.created.as_deref().map(|d| iso_to_tmx_date(d).unwrap());
        let changed = u.changed.as_deref().map(|d| iso_to_tmx_date(d).unwrap());
        let src = srclang(&u.srclang);
        let mut attrs: BTreeMap<&str, &str> = u
            .attrs
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let optional = [
            ("tuid", u.tuid.as_deref()),
            ("creationdate", created.as_deref()),
            ("changedate", changed.as_deref()),
            ("srclang", src.as_deref()),
        ];
        for (k, v) in optional {
            if let Some(v) = v {
                attrs.insert(k, v);
            }
        }
        let unit = UnitOut {
            attrs,
            meta: u.meta.iter().collect(),
            variants: u
                .variants
                .iter()
                .map(|v| VariantOut {
                    tag: &v.tag.tag,
                    text: &v.seg.text,
                    markup: v.seg.plain.is_some(),
                    attrs: Some(&v.attrs),
                    meta: &v.meta,
                })
                .collect(),
        };
        if let Err(e) = w.unit(&unit) {
            panic!("a unit read cannot be written: {e:?}");
        }
    }
    w.finish().unwrap()
}

fuzz_target!(|data: &[u8]| {
    let src = match from_reader(Cursor::new(data.to_vec())) {
        Ok((src, _encoding)) => src,
        Err(e) => return refused(e),
    };
    let (header, units) = match read_all(src) {
        Ok(x) => x,
        Err(e) => return refused(e),
    };
    for u in &units {
        for v in &u.variants {
            assert_eq!(LangTag::parse(&v.tag.tag).as_ref(), Ok(&v.tag));
            match &v.seg.plain {
                Some(plain) => {
                    let back = parse_inline(&v.seg.text).expect("stored markup reads back");
                    assert_eq!(back.markup, v.seg.text);
                    assert_eq!(&back.plain, plain);
                    assert!(back.has_markup);
                }
                None => assert_eq!(forbidden_char(&v.seg.text), None),
            }
        }
    }
    let written = write_all(&header, &units);
    let (header2, back) = match read_all(written.as_slice()) {
        Ok(x) => x,
        Err(e) => panic!(
            "what TmxWriter wrote does not read back: {e}\n{}",
            String::from_utf8_lossy(&written)
        ),
    };
    assert_eq!(back.len(), units.len());
    if header.srclang != SrcLang::Unknown {
        assert_eq!(header2.srclang, header.srclang);
    }
    for (a, b) in units.iter().zip(&back) {
        assert_eq!(a.tuid, b.tuid);
        assert_eq!(a.created, b.created);
        assert_eq!(a.changed, b.changed);
        assert_eq!(a.attrs, b.attrs);
        assert_eq!(a.meta, b.meta);
        if a.srclang != SrcLang::Unknown {
            assert_eq!(a.srclang, b.srclang);
        }
        assert_eq!(a.variants.len(), b.variants.len());
        for (x, y) in a.variants.iter().zip(&b.variants) {
            assert_eq!(x.tag, y.tag);
            assert_eq!(x.seg, y.seg);
            assert_eq!(x.attrs, y.attrs);
            assert_eq!(x.meta, y.meta);
        }
    }
});

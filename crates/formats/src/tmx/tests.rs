//! Reading and writing TMX through the module's public API: units, inline
//! markup, errors with their offsets, round trips.

use std::collections::BTreeMap;

use super::*;

fn units(xml: &str) -> Res<Vec<TmxUnit>> {
    let mut r = TmxReader::new(xml.as_bytes());
    let mut v = Vec::new();
    while let Some(u) = r.next_unit()? {
        v.push(u);
    }
    Ok(v)
}

fn err(xml: &str) -> String {
    match units(xml) {
        Err(TmxError::At { msg, .. }) => msg,
        Err(e) => panic!("unexpected {e}"),
        Ok(_) => panic!("no error for {xml}"),
    }
}

const HEAD: &str = r#"<?xml version="1.0"?><tmx version="1.4"><header srclang="en" creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" datatype="plaintext"/><body>"#;

fn doc(body: &str) -> String {
    format!("{HEAD}{body}</body></tmx>")
}

#[test]
fn reads_units_props_and_plain_text() {
    let xml = doc(
        r#"<tu tuid="7" creationdate="20180612T101500Z" creationid="ANNA" usagecount="2" bogus="x">
                 <prop type="x-Domain">Law &amp; order</prop><note>checked</note>
                 <tuv xml:lang="en-US" creationid="B"><seg>Fish &amp; chips &lt;3</seg></tuv>
                 <tuv lang="RU"><prop type="x-q">1</prop><seg>Рыба</seg></tuv>
               </tu>"#,
    );
    let u = units(&xml).unwrap();
    assert_eq!(u.len(), 1);
    let u = &u[0];
    assert_eq!(u.tuid.as_deref(), Some("7"));
    assert_eq!(u.created.as_deref(), Some("2018-06-12T10:15:00Z"));
    assert_eq!(u.attrs.get("creationid").map(String::as_str), Some("ANNA"));
    assert_eq!(u.attrs.get("usagecount").map(String::as_str), Some("2"));
    assert!(!u.attrs.contains_key("bogus"));
    assert_eq!(
        u.meta,
        vec![Meta::prop("x-Domain", "Law & order"), Meta::note("checked")]
    );
    assert!(matches!(&u.srclang, SrcLang::Tag(t) if t.tag == "en"));
    assert_eq!(u.variants[0].tag.tag, "en-US");
    assert_eq!(u.variants[0].seg.text, "Fish & chips <3");
    assert_eq!(u.variants[0].seg.plain, None);
    assert_eq!(
        u.variants[0].attrs.get("creationid").map(String::as_str),
        Some("B")
    );
    assert_eq!(u.variants[1].tag.tag, "ru");
    assert_eq!(u.variants[1].meta, vec![Meta::prop("x-q", "1")]);
}

#[test]
fn inline_markup_is_kept_and_plain_derived() {
    let xml = doc(
        r#"<tu><tuv xml:lang="en"><seg>Click <bpt i="1" x="1">&lt;b&gt;</bpt>OK<ept i="1">&lt;/b&gt;</ept> and <ph type='img'>&lt;img alt="<sub>Logo</sub>"/&gt;</ph> <hi type="x">now</hi>&amp;<it pos="begin"/>.</seg></tuv>
                   <tuv xml:lang="zh"><seg>单击<bpt i="1">&lt;b&gt;</bpt>确定<ept i="1">&lt;/b&gt;</ept></seg></tuv></tu>"#,
    );
    let u = &units(&xml).unwrap()[0];
    let s = &u.variants[0].seg;
    assert_eq!(
        s.text,
        r#"Click <bpt i="1" x="1">&lt;b&gt;</bpt>OK<ept i="1">&lt;/b&gt;</ept> and <ph type="img">&lt;img alt="<sub>Logo</sub>"/&gt;</ph> <hi type="x">now</hi>&amp;<it pos="begin"/>."#
    );
    assert_eq!(s.plain.as_deref(), Some("Click OK and  now&."));
    let back = parse_inline(&s.text).unwrap();
    assert_eq!(back.markup, s.text);
    assert_eq!(back.plain, "Click OK and  now&.");
    assert_eq!(back.native, "Click <b>OK</b> and <img alt=\"Logo\"/> now&.");
    assert_eq!(u.variants[1].seg.plain.as_deref(), Some("单击确定"));
}

#[test]
fn eol_and_character_references() {
    let xml = doc(
        "<tu><tuv xml:lang=\"en\"><seg>a\r\nb&#13;c&#x4E0A;<![CDATA[<x>&]]></seg></tuv><tuv xml:lang=\"ru\"><seg>б</seg></tuv></tu>",
    );
    let u = &units(&xml).unwrap()[0];
    assert_eq!(u.variants[0].seg.text, "a\nb\rc上<x>&");
}

#[test]
fn tmx_1_1_srclang_all_and_empty_body() {
    let xml = r#"<tmx version="1.1"><header srclang="*all*"/><body><tu srclang="ru"><tuv lang="en"><seg>a</seg></tuv><tuv lang="ru"><seg>б</seg></tuv></tu><tu><tuv lang="en"><seg>c</seg></tuv></tu></body></tmx>"#;
    let u = units(xml).unwrap();
    assert!(matches!(&u[0].srclang, SrcLang::Tag(t) if t.tag == "ru"));
    assert_eq!(u[1].srclang, SrcLang::All);
    assert!(
        units(r#"<tmx version="1.4"><header srclang="en"/><body/></tmx>"#)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn bad_input_is_refused_with_position() {
    assert!(err(&doc("<tu><tuv><seg>x</seg></tuv></tu>")).contains("without a language"));
    assert!(
        err(&doc(r#"<tu><tuv xml:lang="xx-YY"><seg>x</seg></tuv></tu>"#))
            .contains("unknown language code")
    );
    assert!(
        err(&doc(
            r#"<tu><tuv xml:lang="en"><seg>a <g id="1">b</g></seg></tuv></tu>"#
        ))
        .contains("unknown inline element <g>")
    );
    assert!(
        err(&doc(
            r#"<tu><tuv xml:lang="en"><seg>a <sub>b</sub></seg></tuv></tu>"#
        ))
        .contains("not allowed inside <seg>")
    );
    assert!(
        err(&doc(
            r#"<tu><tuv xml:lang="en"><seg><bpt>b</bpt></seg></tuv></tu>"#
        ))
        .contains("required attribute i")
    );
    assert!(err(&doc(r#"<tu><tuv xml:lang="en"></tuv></tu>"#)).contains("without <seg>"));
    assert!(
        err(&doc(
            "<tu><tuv xml:lang=\"en\"><seg>a\u{1}</seg></tuv></tu>"
        ))
        .contains("U+0001")
    );
    assert!(err(&doc("<tu><tuv xml:lang=\"en\"><seg>a&#1;</seg></tuv></tu>")).contains("U+0001"));
    assert!(
        err(&doc(
            "<tu><tuv xml:lang=\"en\"><seg>&nbsp;</seg></tuv></tu>"
        ))
        .contains("unknown entity &nbsp;")
    );
    assert!(err(r#"<xliff version="1.2"><file/></xliff>"#).contains("root element is <xliff>"));
    assert!(err("en\tru\nhello\tпривет\n").contains("not a TMX file"));
    assert!(err(r#"<tmx version="2.0"><header/><body/></tmx>"#).contains("version 2.0"));
    // truncated at several points
    let full = doc(
        r#"<tu><tuv xml:lang="en"><seg>Hello</seg></tuv><tuv xml:lang="ru"><seg>Привет</seg></tuv></tu>"#,
    );
    for cut in [
        HEAD.len() - 3,
        HEAD.len() + 10,
        HEAD.len() + 30,
        full.len() - 8,
        full.len() - 1,
    ] {
        let mut end = cut;
        while !full.is_char_boundary(end) {
            end -= 1;
        }
        let m = err(&full[..end]);
        assert!(
            m.contains("truncated") || m.contains("ends before"),
            "cut {cut}: {m}"
        );
    }
}

#[test]
fn doctype_entities_are_not_expanded() {
    let xml = r#"<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>&lol2;</seg></tuv></tu></body></tmx>"#;
    let m = err(xml);
    assert!(m.contains("&lol2;") && m.contains("DOCTYPE"), "{m}");
    // an unused internal subset is ignored
    let ok = r#"<!DOCTYPE tmx [<!ENTITY lol "lol">]><tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>a</seg></tuv><tuv xml:lang="ru"><seg>б</seg></tuv></tu></body></tmx>"#;
    assert_eq!(units(ok).unwrap().len(), 1);
}

#[test]
fn writer_refuses_forbidden_characters_in_props_and_tags() {
    // They were dropped by escaping, and the file read back otherwise.
    let h = HeaderOut {
        creationtoolversion: "0.1.0".into(),
        srclang: "en".into(),
        notes: vec![],
    };
    let mut typed = Meta::prop("x-a\u{0}", "text");
    let mut langed = Meta::note("text");
    langed.lang = Some("en\u{1}".into());
    let mut encoded = Meta::note("text");
    encoded.o_encoding = Some("utf-8\u{FFFE}".into());
    for (meta, tag, field) in [
        (&typed, "en", "prop"),
        (&langed, "en", "note"),
        (&encoded, "en", "note"),
        (&Meta::note("ok"), "en\u{B}", "language tag"),
    ] {
        let u = UnitOut {
            attrs: BTreeMap::new(),
            meta: vec![meta],
            variants: vec![VariantOut {
                tag,
                text: "a",
                markup: false,
                attrs: None,
                meta: &[],
            }],
        };
        let mut w = TmxWriter::new(Vec::new(), &h).unwrap();
        match w.unit(&u) {
            Err(WriteFault::Forbidden { field: f, .. }) => assert!(f.contains(field), "{f}"),
            other => panic!("{field}: {other:?}"),
        }
    }
    typed.ty = Some("x-a".into());
    assert!(
        TmxWriter::new(Vec::new(), &h)
            .unwrap()
            .unit(&UnitOut {
                attrs: BTreeMap::new(),
                meta: vec![&typed],
                variants: vec![],
            })
            .is_ok()
    );
}

#[test]
fn error_offsets_point_at_the_element() {
    let xml = doc(r#"<tu><tuv xml:lang="en"><seg>x</seg></tuv><tuv><seg>y</seg></tuv></tu>"#);
    match units(&xml) {
        Err(TmxError::At { offset, .. }) => {
            assert_eq!(&xml[offset as usize..offset as usize + 5], "<tuv>")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn writer_escapes_and_round_trips() {
    let meta = [Meta::note("a \"note\" & <more>")];
    let tu_meta = Meta::prop("x-polytm-document", "A&B.tmx");
    let mut attrs = BTreeMap::new();
    attrs.insert("creationdate", "20180612T101500Z");
    attrs.insert("tuid", "u\t1");
    let markup = r#"Click <bpt i="1">&lt;b&gt;</bpt>OK<ept i="1">&lt;/b&gt;</ept>"#;
    let u = UnitOut {
        attrs,
        meta: vec![&tu_meta],
        variants: vec![
            VariantOut {
                tag: "en-GB",
                text: " a & b < c > d\r\n ",
                markup: false,
                attrs: None,
                meta: &meta,
            },
            VariantOut {
                tag: "zh-CN",
                text: markup,
                markup: true,
                attrs: None,
                meta: &[],
            },
        ],
    };
    let h = HeaderOut {
        creationtoolversion: "0.1.0".into(),
        srclang: "en".into(),
        notes: vec![],
    };
    let mut w = TmxWriter::new(Vec::new(), &h).unwrap();
    w.unit(&u).unwrap();
    let out = String::from_utf8(w.finish().unwrap()).unwrap();
    assert!(
        out.contains(r#"<tu tuid="u&#9;1" creationdate="20180612T101500Z">"#),
        "{out}"
    );
    assert!(
        out.contains("<seg> a &amp; b &lt; c &gt; d&#13;\n </seg>"),
        "{out}"
    );
    let back = units(&out).unwrap();
    assert_eq!(back[0].tuid.as_deref(), Some("u\t1"));
    assert_eq!(back[0].variants[0].seg.text, " a & b < c > d\r\n ");
    assert_eq!(back[0].variants[0].meta, meta);
    assert_eq!(back[0].variants[1].seg.text, markup);
    assert_eq!(back[0].meta, vec![tu_meta.clone()]);
    // a forbidden character is refused, naming the field
    let bad = UnitOut {
        attrs: BTreeMap::new(),
        meta: vec![],
        variants: vec![VariantOut {
            tag: "en",
            text: "a\u{b}",
            markup: false,
            attrs: None,
            meta: &[],
        }],
    };
    let mut w = TmxWriter::new(Vec::new(), &h).unwrap();
    match w.unit(&bad) {
        Err(WriteFault::Forbidden { field, ch }) => {
            assert_eq!((field.as_str(), ch), ("en text", '\u{b}'))
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn every_truncation_and_corruption_is_an_error_not_a_panic() {
    let full = include_str!("../../../../tests/fixtures/tmx/sample.tmx");
    assert_eq!(units(full).unwrap().len(), 6);
    let bytes = full.as_bytes();
    for cut in 0..bytes.len() - 1 {
        // whole file except its last bytes: never complete
        let r = crate::xml_source::from_reader(std::io::Cursor::new(bytes[..cut].to_vec()));
        let Ok((src, _)) = r else { continue };
        let mut reader = TmxReader::new(src);
        let mut result = Ok(Some(()));
        while let Ok(Some(())) = result {
            result = reader.next_unit().map(|u| u.map(|_| ()));
        }
        assert!(result.is_err(), "cut at {cut} read as complete");
    }
    // bytes replaced by markup characters: errors or units, never a panic
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    for _ in 0..2000 {
        let mut b = bytes.to_vec();
        for _ in 0..3 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let i = (seed % b.len() as u64) as usize;
            b[i] = b"<>&;/\"=x\0"[(seed >> 32) as usize % 9];
        }
        if let Ok((src, _)) = crate::xml_source::from_reader(std::io::Cursor::new(b)) {
            let mut reader = TmxReader::new(src);
            while let Ok(Some(_)) = reader.next_unit() {}
        }
    }
}

#[test]
fn markup_cut_into_pieces() {
    use super::inline::{Piece, pieces};
    let markup = "Click <bpt i=\"1\">&lt;b&gt;</bpt>OK<ept i=\"1\">&lt;/b&gt;</ept> &amp; <hi>go</hi><ph x=\"2\"/>";
    let p = pieces(markup);
    let code = |name: &str, raw: &str| Piece::Code {
        name: name.into(),
        raw: raw.into(),
    };
    assert_eq!(
        p,
        vec![
            Piece::Text("Click ".into()),
            code("bpt", "<bpt i=\"1\">&lt;b&gt;</bpt>"),
            Piece::Text("OK".into()),
            code("ept", "<ept i=\"1\">&lt;/b&gt;</ept>"),
            Piece::Text(" & ".into()),
            code("hi", "<hi>"),
            Piece::Text("go".into()),
            code("hi", "</hi>"),
            code("ph", "<ph x=\"2\"/>"),
        ]
    );
    // what the reader wrote is cut the same way
    let seg = segment_of(&format!("<seg>{markup}</seg>"));
    assert_eq!(pieces(&seg.text), p);
    assert_eq!(pieces("a &lt; b"), vec![Piece::Text("a < b".into())]);
}

fn segment_of(seg: &str) -> TmxSegment {
    let tmx = format!(
        "<tmx version=\"1.4\"><header srclang=\"en\"/><body><tu><tuv xml:lang=\"en\">{seg}</tuv></tu></body></tmx>"
    );
    let mut r = TmxReader::new(tmx.as_bytes());
    r.next_unit().unwrap().unwrap().variants.remove(0).seg
}

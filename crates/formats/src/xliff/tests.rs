//! Reading and filling XLIFF 1.2 and 2.0 through the module's public API:
//! units, segments, inline codes, states, alt-trans and matches, errors.

use super::*;
use crate::xml::{escape_attr, escape_text};

const V1: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="release.docx" source-language="en-US" datatype="x-undefined">
    <header><note>keep me</note></header>
    <body>
      <group id="g1">
        <trans-unit id="1" resname="title">
          <source>The meeting was held in <g id="1">Dushanbe</g>.</source>
          <note>from the client</note>
        </trans-unit>
      </group>
      <trans-unit id="2">
        <source>Already done &amp; dusted.</source>
        <target state="final">Уже сделано.</target>
      </trans-unit>
      <trans-unit id="3" translate="no">
        <source>SCO</source>
      </trans-unit>
      <trans-unit id="4">
        <source><x id="1"/>Next year.</source>
        <target/>
      </trans-unit>
    </body>
  </file>
</xliff>
"#;

fn lev(target: &str, score: u8, kind: MatchKind) -> Leveraged {
    Leveraged {
        target: target.into(),
        score,
        kind,
        match_source: "TM source".into(),
        match_target: "TM target".into(),
        note: None,
    }
}

fn opts(lang: &str) -> FillOptions<'_> {
    FillOptions {
        target_lang: lang,
        overwrite: false,
    }
}

#[test]
fn reads_v1_units_segments_and_inline_codes() {
    let d = parse(V1, "a.xlf").unwrap();
    assert_eq!(d.version, Version::V1);
    assert_eq!(d.files.len(), 1);
    assert_eq!(d.files[0].source_lang.as_deref(), Some("en-US"));
    assert_eq!(d.files[0].target_lang, None);
    assert_eq!(d.units.len(), 4);
    let u = &d.units[0];
    assert_eq!(u.id, "1");
    assert_eq!(
        u.segments[0].source.plain(),
        "The meeting was held in Dushanbe."
    );
    assert_eq!(u.segments[0].source.inner_tags(), 2);
    assert!(!u.segments[0].is_filled());
    assert_eq!(
        d.units[1].segments[0].source.plain(),
        "Already done & dusted."
    );
    assert!(d.units[1].segments[0].is_filled());
    assert!(!d.units[2].translate);
    // <target/> is empty, not filled; the leading <x/> is not an inner code
    assert!(!d.units[3].segments[0].is_filled());
    assert_eq!(d.units[3].segments[0].source.inner_tags(), 0);
}

#[test]
fn translate_no_is_inherited_from_groups() {
    let x = r#"<xliff version="1.2"><file source-language="en" original="x"><body>
<group translate="no"><trans-unit id="1"><source>a</source></trans-unit>
<trans-unit id="2" translate="yes"><source>b</source></trans-unit></group>
<trans-unit id="3"><source>c</source></trans-unit></body></file></xliff>"#;
    let d = parse(x, "g.xlf").unwrap();
    let t: Vec<bool> = d.units.iter().map(|u| u.translate).collect();
    assert_eq!(t, [false, true, true]);
}

#[test]
fn nothing_to_fill_writes_the_file_byte_for_byte() {
    let d = parse(V1, "a.xlf").unwrap();
    assert_eq!(d.fill(&[], &opts("ru")), V1);
}

#[test]
fn fills_v1_targets_with_state_alt_trans_and_codes() {
    let d = parse(V1, "a.xlf").unwrap();
    let fills = vec![
        Fill {
            unit: 0,
            segment: 0,
            leveraged: lev("Совещание прошло в Душанбе.", 87, MatchKind::Fuzzy),
        },
        Fill {
            unit: 1,
            segment: 0,
            leveraged: lev("must not replace a final target", 100, MatchKind::Exact),
        },
        Fill {
            unit: 3,
            segment: 0,
            leveraged: lev("В следующем году.", 100, MatchKind::Exact),
        },
    ];
    let out = d.fill(&fills, &opts("ru"));
    // target-language declared, everything else as it was
    assert!(out.contains(r#"<file original="release.docx" source-language="en-US" datatype="x-undefined" target-language="ru">"#), "{out}");
    assert!(out.contains("<header><note>keep me</note></header>"));
    assert!(out.contains(
            "          <source>The meeting was held in <g id=\"1\">Dushanbe</g>.</source>\n          <target xml:lang=\"ru\" state=\"needs-review-translation\" state-qualifier=\"fuzzy-match\">Совещание прошло в Душанбе.<g id=\"1\"></g></target>\n          <alt-trans match-quality=\"87\" origin=\"polytm\">\n            <source xml:lang=\"en-US\">TM source</source>\n            <target xml:lang=\"ru\">TM target</target>\n          </alt-trans>\n          <note>from the client</note>"
        ), "{out}");
    assert!(out.contains("<target state=\"final\">Уже сделано.</target>"));
    assert!(!out.contains("must not replace"));
    assert!(out.contains(
            "<target state=\"translated\" state-qualifier=\"exact-match\" xml:lang=\"ru\"><x id=\"1\"/>В следующем году.</target>"
        ), "{out}");
    // the result reads back with the same targets
    let back = parse(&out, "b.xlf").unwrap();
    assert_eq!(back.files[0].target_lang.as_deref(), Some("ru"));
    let t = back.units[0].segments[0].target.as_ref().unwrap();
    assert_eq!(t.plain(), "Совещание прошло в Душанбе.");
    assert_eq!(
        back.units[0].segments[0].state.as_deref(),
        Some("needs-review-translation")
    );
    assert_eq!(
        back.units[3].segments[0].state.as_deref(),
        Some("translated")
    );
    assert!(back.units[3].segments[0].is_filled());
}

#[test]
fn overwrite_replaces_target_and_earlier_polytm_proposals() {
    let d = parse(V1, "a.xlf").unwrap();
    let f = |t: &str| Fill {
        unit: 1,
        segment: 0,
        leveraged: lev(t, 90, MatchKind::Repaired),
    };
    let o = FillOptions {
        target_lang: "ru",
        overwrite: true,
    };
    let once = d.fill(&[f("Первый")], &o);
    assert!(once.contains("<target state=\"needs-review-translation\" state-qualifier=\"leveraged-tm\" xml:lang=\"ru\">Первый</target>"), "{once}");
    let d2 = parse(&once, "b.xlf").unwrap();
    let twice = d2.fill(&[f("Второй")], &o);
    assert_eq!(twice.matches("<alt-trans").count(), 1, "{twice}");
    assert!(twice.contains(">Второй</target>"));
    assert!(!twice.contains("Первый"));
}

#[test]
fn seg_source_markers_are_filled_one_by_one() {
    let x = r#"<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file source-language="en" target-language="zh-CN" original="x" datatype="plaintext"><body>
<trans-unit id="p1">
<source>One. Two.</source>
<seg-source><mrk mtype="seg" mid="1">One.</mrk> <mrk mtype="seg" mid="2">Two.</mrk></seg-source>
</trans-unit>
</body></file></xliff>"#;
    let d = parse(x, "s.xlf").unwrap();
    let segs = &d.units[0].segments;
    assert_eq!(segs.len(), 2);
    assert_eq!(segs[1].id.as_deref(), Some("2"));
    assert_eq!(segs[1].source.plain(), "Two.");
    let out = d.fill(
        &[Fill {
            unit: 0,
            segment: 0,
            leveraged: lev("一。", 100, MatchKind::Exact),
        }],
        &opts("zh-CN"),
    );
    assert!(out.contains("<target xml:lang=\"zh-CN\" state=\"needs-translation\" state-qualifier=\"exact-match\"><mrk mtype=\"seg\" mid=\"1\">一。</mrk> <mrk mtype=\"seg\" mid=\"2\"></mrk></target>"), "{out}");
    assert!(out.contains("<alt-trans match-quality=\"100\" origin=\"polytm\" mid=\"1\">"));
    // second run fills the empty marker, keeps the first
    let d2 = parse(&out, "s2.xlf").unwrap();
    assert!(d2.units[0].segments[0].is_filled());
    assert!(!d2.units[0].segments[1].is_filled());
    let out2 = d2.fill(
        &[Fill {
            unit: 0,
            segment: 1,
            leveraged: lev("二。", 80, MatchKind::Fuzzy),
        }],
        &opts("zh-CN"),
    );
    assert!(
        out2.contains(
            "<mrk mtype=\"seg\" mid=\"1\">一。</mrk> <mrk mtype=\"seg\" mid=\"2\">二。</mrk>"
        ),
        "{out2}"
    );
    assert!(out2.contains("state=\"needs-review-translation\""));
    parse(&out2, "s3.xlf").unwrap();
}

const V2: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en">
  <file id="f1" original="release.html">
    <unit id="u1">
      <segment id="s1">
        <source>Hello <pc id="1">world</pc>.</source>
      </segment>
      <ignorable>
        <source> </source>
      </ignorable>
      <segment>
        <source>Second <ph id="2"/> sentence.</source>
        <target></target>
      </segment>
    </unit>
  </file>
</xliff>
"#;

#[test]
fn reads_and_fills_v2_with_matches_module() {
    let d = parse(V2, "b.xlf").unwrap();
    assert_eq!(d.version, Version::V2);
    assert_eq!(d.files[0].source_lang.as_deref(), Some("en"));
    let u = &d.units[0];
    assert_eq!(u.segments.len(), 2);
    assert_eq!(u.segments[0].source.plain(), "Hello world.");
    assert_eq!(u.segments[1].source.plain(), "Second  sentence.");
    assert_eq!(d.fill(&[], &opts("ru")), V2);
    let out = d.fill(
        &[
            Fill {
                unit: 0,
                segment: 0,
                leveraged: lev("Привет, мир.", 100, MatchKind::Exact),
            },
            Fill {
                unit: 0,
                segment: 1,
                leveraged: lev("Второе предложение.", 76, MatchKind::Fuzzy),
            },
        ],
        &opts("ru"),
    );
    assert!(out.contains("srcLang=\"en\" trgLang=\"ru\">"), "{out}");
    assert!(out.contains("<segment id=\"s1\" state=\"translated\" subState=\"polytm:exact-match\">\n        <source>Hello <pc id=\"1\">world</pc>.</source>\n        <target>Привет, мир.<pc id=\"1\"></pc></target>"), "{out}");
    assert!(
        out.contains("<segment state=\"initial\" subState=\"polytm:fuzzy-match\" id=\"polytm2\">"),
        "{out}"
    );
    assert!(
        out.contains("<target>Второе предложение.<ph id=\"2\"/></target>"),
        "{out}"
    );
    assert!(out.contains("<unit id=\"u1\">\n      <mtc:matches xmlns:mtc=\"urn:oasis:names:tc:xliff:matches:2.0\">\n        <mtc:match ref=\"#s1\" similarity=\"100\" origin=\"polytm\" type=\"tm\">"), "{out}");
    let back = parse(&out, "c.xlf").unwrap();
    assert_eq!(
        back.units[0].segments[1].target.as_ref().unwrap().plain(),
        "Второе предложение."
    );
    assert_eq!(back.units[0].segments[1].id.as_deref(), Some("polytm2"));
}

#[test]
fn malformed_xml_names_line_and_column() {
    let bad = "<xliff version=\"1.2\">\n  <file>\n    <body>\n      <trans-unit id=\"1\"><source>a</target>\n";
    let e = parse(bad, "bad.xlf").unwrap_err().to_string();
    assert!(e.starts_with("bad.xlf:4:"), "{e}");
    assert!(e.contains("malformed XML"), "{e}");
    let e = parse("<xliff version=\"1.2\"><file>", "t.xlf")
        .unwrap_err()
        .to_string();
    assert!(e.contains("ends inside <file>"), "{e}");
    let e = parse("<xliff version=\"1.2\">&nbsp;</xliff>", "n.xlf")
        .unwrap_err()
        .to_string();
    assert!(e.contains("unknown entity &nbsp;"), "{e}");
    let e = parse("<html/>", "h.xlf").unwrap_err().to_string();
    assert!(e.contains("not an XLIFF file"), "{e}");
    let e = parse("   ", "e.xlf").unwrap_err().to_string();
    assert_eq!(e, "e.xlf: is empty");
    let e = parse("<xliff a='1' a='2'/>", "d.xlf")
        .unwrap_err()
        .to_string();
    assert!(e.contains("d.xlf:1:1"), "{e}");
    let e = parse("<xliff version=\"1.2\"/><xliff/>", "r.xlf")
        .unwrap_err()
        .to_string();
    assert!(e.contains("second root"), "{e}");
}

#[test]
fn escaping_drops_what_xml_cannot_hold() {
    assert_eq!(escape_text("a<b & c>\u{1}"), "a&lt;b &amp; c&gt;");
    assert_eq!(escape_attr("\"x\"\n"), "&quot;x&quot;&#10;");
}

#[test]
fn new_file_is_valid_and_reads_back() {
    let units = vec![
        NewUnit {
            id: "1".into(),
            group: Some("p1".into()),
            source: "A & B.".into(),
            leveraged: Some(lev("А и Б.", 100, MatchKind::Exact)),
        },
        NewUnit {
            id: "2".into(),
            group: Some("p1".into()),
            source: " Two  spaces.".into(),
            leveraged: None,
        },
        NewUnit {
            id: "3".into(),
            group: Some("p2".into()),
            source: "Third.".into(),
            leveraged: Some(lev("Третье.", 80, MatchKind::Fuzzy)),
        },
    ];
    let x = write_new(
        &NewFile {
            original: "r.en.txt",
            source_lang: "en",
            target_lang: "ru",
            datatype: "plaintext",
        },
        &units,
    );
    let d = parse(&x, "new.xlf").unwrap();
    assert_eq!(d.units.len(), 3);
    assert_eq!(d.units[0].segments[0].source.plain(), "A & B.");
    assert_eq!(d.units[1].segments[0].source.plain(), " Two  spaces.");
    assert!(d.units[1].segments[0].target.is_none());
    assert_eq!(
        d.units[2].segments[0].state.as_deref(),
        Some("needs-review-translation")
    );
    assert!(x.contains("<trans-unit id=\"2\" xml:space=\"preserve\">"));
    assert_eq!(x.matches("<group ").count(), 2);
}

#[test]
fn crlf_files_get_crlf_lines() {
    let x = "<xliff version=\"1.2\">\r\n  <file source-language=\"en\" original=\"x\">\r\n    <body>\r\n      <trans-unit id=\"1\">\r\n        <source>One.</source>\r\n      </trans-unit>\r\n    </body>\r\n  </file>\r\n</xliff>\r\n";
    let d = parse(x, "c.xlf").unwrap();
    let out = d.fill(
        &[Fill {
            unit: 0,
            segment: 0,
            leveraged: lev("Один.", 100, MatchKind::Exact),
        }],
        &opts("ru"),
    );
    assert!(
        out.contains("</source>\r\n        <target xml:lang=\"ru\""),
        "{out:?}"
    );
    assert_eq!(out.matches('\n').count(), out.matches("\r\n").count());
}

#[test]
fn utf16_files_are_read_and_written_as_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("u.xlf");
    let x = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><xliff version=\"1.2\"><file source-language=\"en\" original=\"x\"><body><trans-unit id=\"1\"><source>Ж</source></trans-unit></body></file></xliff>";
    let mut bytes = vec![0xFF, 0xFE];
    for u in x.encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    std::fs::write(&p, bytes).unwrap();
    let d = read(&p).unwrap();
    assert_eq!(d.units[0].segments[0].source.plain(), "Ж");
    let out = d.fill(&[], &opts("ru"));
    assert!(
        out.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"),
        "{out}"
    );
}

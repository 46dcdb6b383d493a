//! Properties that hold for every input, checked on generated ones
//! (proptest): TMX and TSV/CSV write → read round trips, fuzzy scores,
//! sentence and token spans. The fuzz targets in `fuzz/` check the same
//! kind of thing on inputs nobody would write; these start from what the
//! writers are given.
//!
//! Case counts are small so that the suite stays fast; set
//! `PROPTEST_CASES=5000` for a longer run.

use std::collections::BTreeMap;

use proptest::prelude::*;

use polytm_formats::table::{Delim, TableWriter, parse_str};
use polytm_formats::tmx::{
    HeaderOut, Meta, MetaKind, SrcLang, TmxReader, TmxUnit, TmxWriter, UnitOut, VariantOut,
    WriteFault, iso_to_tmx_date,
};
use polytm_formats::xml::{escape_attr, escape_text, is_xml_char};
use polytm_fuzzy::score::{Seg, is_punct_key, score, score_any, text_hash};
use polytm_text::lang::Lang;
use polytm_text::segment::segment;
use polytm_text::tokenize::{for_each_key, tokenize};

/// `cases` cases, unless PROPTEST_CASES says otherwise.
fn config(cases: u32) -> ProptestConfig {
    let default = ProptestConfig::default();
    ProptestConfig {
        cases: if std::env::var_os("PROPTEST_CASES").is_some() {
            default.cases
        } else {
            cases
        },
        failure_persistence: None,
        ..default
    }
}

// ---------------------------------------------------------------------------
// Text that is hard to carry

/// Text hard for XML and tables: what XML escapes, white space and line
/// breaks of every kind, astral and private-use characters, combining
/// marks, Cyrillic and Han, and now and then any character XML allows.
fn tricky_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => "[a-zA-Z0-9]{1,6}",
        2 => "[а-яА-ЯёЁ]{1,6}",
        2 => "[\u{4E00}-\u{9FFF}]{1,4}",
        4 => prop::sample::select(vec![
            "&", "<", ">", "\"", "'", "&amp;", "]]>", "<b>", "&#13;", " ", "  ", "\t", "\n",
            "\r", "\r\n", "\u{a0}", "\u{3000}", "\u{2028}", "\u{FEFF}", "\u{301}", "𠀋",
            "😀", "\u{10FFFF}", "\u{FFFD}", "\u{E000}", ",", ";", "|", "%s", "{0}",
        ])
        .prop_map(String::from),
        1 => any::<char>()
            .prop_filter("a character XML allows", |&c| is_xml_char(c))
            .prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..8).prop_map(|v| v.concat())
}

/// Language tags as TMX and tables carry them (canonical spelling).
fn tag() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "en", "en-GB", "ru", "ru-RU", "zh-CN", "zh-Hant", "de", "uk", "ja",
    ])
}

// ---------------------------------------------------------------------------
// TMX

/// TMX inline markup, as a tree.
#[derive(Debug, Clone)]
enum Node {
    Text(String),
    /// A native code (`bpt ept ph it ut`): its content, and the text of a
    /// `<sub>` inside it.
    Code(&'static str, String, Option<String>),
    /// `<hi>`: text of the sentence, highlighted.
    Hi(Vec<Node>),
}

fn nodes() -> impl Strategy<Value = Vec<Node>> {
    let code = prop::sample::select(vec!["bpt", "ept", "ph", "it", "ut"]);
    let leaf = prop_oneof![
        3 => tricky_text().prop_map(Node::Text),
        2 => (code, tricky_text(), prop::option::of(tricky_text()))
            .prop_map(|(n, c, s)| Node::Code(n, c, s)),
    ];
    let tree = leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            3 => inner.clone(),
            1 => prop::collection::vec(inner, 0..4).prop_map(Node::Hi),
        ]
    });
    prop::collection::vec(tree, 0..5)
}

/// The markup of `nodes` as the TMX reader writes it back (attributes in
/// the order it keeps them), and its plain text.
fn render(nodes: &[Node], markup: &mut String, plain: &mut String) {
    for n in nodes {
        match n {
            Node::Text(t) => {
                markup.push_str(&escape_text(t));
                plain.push_str(t);
            }
            Node::Code(name, code, sub) => {
                markup.push('<');
                markup.push_str(name);
                match *name {
                    "bpt" | "ept" => markup.push_str(" i=\"1\""),
                    "it" => markup.push_str(" pos=\"begin\""),
                    "ph" => markup.push_str(&format!(" type=\"{}\"", escape_attr(code))),
                    _ => {}
                }
                if code.is_empty() && sub.is_none() {
                    markup.push_str("/>");
                    continue;
                }
                markup.push('>');
                markup.push_str(&escape_text(code));
                if let Some(s) = sub {
                    markup.push_str(&format!("<sub>{}</sub>", escape_text(s)));
                }
                markup.push_str(&format!("</{name}>"));
            }
            Node::Hi(children) => {
                markup.push_str("<hi x=\"2\">");
                render(children, markup, plain);
                markup.push_str("</hi>");
            }
        }
    }
}

fn has_elements(nodes: &[Node]) -> bool {
    nodes.iter().any(|n| !matches!(n, Node::Text(_)))
}

/// One `<tuv>` to write: its tag, text (markup or not), and what reading
/// it must give: the segment's text and plain text.
#[derive(Debug, Clone)]
struct GenVariant {
    tag: &'static str,
    text: String,
    markup: bool,
    want_text: String,
    want_plain: Option<String>,
    attrs: BTreeMap<String, String>,
    meta: Vec<Meta>,
}

fn variant() -> impl Strategy<Value = GenVariant> {
    let text = prop_oneof![
        tricky_text().prop_map(|t| (t.clone(), false, t, None)),
        nodes().prop_map(|n| {
            let (mut markup, mut plain) = (String::new(), String::new());
            render(&n, &mut markup, &mut plain);
            if has_elements(&n) {
                (markup.clone(), true, markup, Some(plain))
            } else {
                (markup, true, plain, None)
            }
        }),
    ];
    let attrs = prop::option::of(tricky_text()).prop_map(|c| {
        c.map(|c| ("creationid".to_string(), c))
            .into_iter()
            .collect()
    });
    (tag(), text, attrs, metas()).prop_map(
        |(tag, (text, markup, want_text, want_plain), attrs, meta)| GenVariant {
            tag,
            text,
            markup,
            want_text,
            want_plain,
            attrs,
            meta,
        },
    )
}

fn metas() -> impl Strategy<Value = Vec<Meta>> {
    let meta = (
        any::<bool>(),
        tricky_text(),
        prop::option::of(tag()),
        prop::option::of(tricky_text()),
        tricky_text(),
    )
        .prop_map(|(prop, ty, lang, enc, text)| Meta {
            kind: if prop { MetaKind::Prop } else { MetaKind::Note },
            ty: prop.then_some(ty),
            lang: lang.map(String::from),
            o_encoding: enc,
            text,
        });
    prop::collection::vec(meta, 0..3)
}

/// ISO 8601 dates TMX can hold.
fn date() -> impl Strategy<Value = String> {
    (
        1970u32..2100,
        1u32..=12,
        1u32..=28,
        0u32..24,
        0u32..60,
        0u32..60,
    )
        .prop_map(|(y, mo, d, h, mi, s)| format!("{y}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z"))
}

#[derive(Debug, Clone)]
struct GenUnit {
    tuid: Option<String>,
    created: Option<String>,
    usagecount: Option<u32>,
    meta: Vec<Meta>,
    variants: Vec<GenVariant>,
}

fn unit() -> impl Strategy<Value = GenUnit> {
    (
        prop::option::of(tricky_text()),
        prop::option::of(date()),
        prop::option::of(any::<u32>()),
        metas(),
        prop::collection::vec(variant(), 0..4),
    )
        .prop_map(|(tuid, created, usagecount, meta, variants)| GenUnit {
            tuid,
            created,
            usagecount,
            meta,
            variants,
        })
}

/// Write units as TMX; the first fault, if any.
fn write_tmx(notes: &[String], units: &[GenUnit]) -> Result<Vec<u8>, WriteFault> {
    let header = HeaderOut {
        creationtoolversion: "test".into(),
        srclang: "*all*".into(),
        notes: notes.to_vec(),
    };
    let mut w = TmxWriter::new(Vec::new(), &header)?;
    for u in units {
        let created = u.created.as_deref().and_then(iso_to_tmx_date);
        let usage = u.usagecount.map(|n| n.to_string());
        let attrs = [
            ("tuid", u.tuid.as_deref()),
            ("creationdate", created.as_deref()),
            ("usagecount", usage.as_deref()),
        ]
        .into_iter()
        .filter_map(|(k, v)| Some((k, v?)))
        .collect();
        w.unit(&UnitOut {
            attrs,
            meta: u.meta.iter().collect(),
            variants: u
                .variants
                .iter()
                .map(|v| VariantOut {
                    tag: v.tag,
                    text: &v.text,
                    markup: v.markup,
                    attrs: Some(&v.attrs),
                    meta: &v.meta,
                })
                .collect(),
        })?;
    }
    Ok(w.finish()?)
}

fn read_tmx(bytes: &[u8]) -> (Vec<Meta>, SrcLang, Vec<TmxUnit>) {
    let mut r = TmxReader::new(bytes);
    let header = r.header().unwrap().clone();
    let mut units = Vec::new();
    while let Some(u) = r.next_unit().unwrap_or_else(|e| {
        panic!(
            "written TMX does not read back: {e}\n{}",
            String::from_utf8_lossy(bytes)
        )
    }) {
        units.push(u);
    }
    (header.meta, header.srclang, units)
}

proptest! {
    #![proptest_config(config(64))]

    /// TMX written reads back the same: texts, inline markup and its plain
    /// text, languages, attributes, dates, props and notes.
    #[test]
    fn tmx_write_read_round_trip(
        notes in prop::collection::vec(tricky_text(), 0..2),
        units in prop::collection::vec(unit(), 0..4),
    ) {
        let bytes = write_tmx(&notes, &units).unwrap();
        let (header_meta, srclang, back) = read_tmx(&bytes);
        prop_assert_eq!(srclang, SrcLang::All);
        let back_notes: Vec<String> = header_meta.into_iter().map(|m| m.text).collect();
        prop_assert_eq!(back_notes, notes);
        prop_assert_eq!(back.len(), units.len());
        for (u, b) in units.iter().zip(&back) {
            prop_assert_eq!(&b.tuid, &u.tuid);
            prop_assert_eq!(&b.created, &u.created);
            let usage = u.usagecount.map(|n| n.to_string());
            prop_assert_eq!(b.attrs.get("usagecount"), usage.as_ref());
            prop_assert_eq!(&b.meta, &u.meta);
            prop_assert_eq!(b.variants.len(), u.variants.len());
            for (v, bv) in u.variants.iter().zip(&b.variants) {
                prop_assert_eq!(bv.tag.tag.as_str(), v.tag);
                prop_assert_eq!(&bv.seg.text, &v.want_text);
                prop_assert_eq!(&bv.seg.plain, &v.want_plain);
                prop_assert_eq!(&bv.attrs, &v.attrs);
                prop_assert_eq!(&bv.meta, &v.meta);
            }
        }
    }

    /// A character XML 1.0 forbids is refused wherever it is put, never
    /// dropped or written.
    #[test]
    fn tmx_writer_refuses_characters_xml_forbids(
        u in unit(),
        place in 0usize..6,
        bad in prop::sample::select(vec!['\u{0}', '\u{1}', '\u{B}', '\u{1F}', '\u{FFFE}', '\u{FFFF}']),
    ) {
        let mut u = u;
        let bad = bad.to_string();
        u.meta.push(Meta::prop("x-kind", "text"));
        u.variants.push(GenVariant {
            tag: "en",
            text: "text".into(),
            markup: false,
            want_text: String::new(),
            want_plain: None,
            attrs: BTreeMap::from([("creationid".to_string(), "me".to_string())]),
            meta: vec![Meta::note("note")],
        });
        let m = u.meta.len() - 1;
        let v = u.variants.len() - 1;
        match place {
            0 => u.variants[v].text.push_str(&bad),
            1 => u.meta[m].text.push_str(&bad),
            2 => u.meta[m].ty.as_mut().unwrap().push_str(&bad),
            3 => u.meta[m].lang = Some(format!("en{bad}")),
            4 => u.variants[v].attrs.values_mut().for_each(|a| a.push_str(&bad)),
            _ => u.tuid = Some(format!("id{bad}")),
        }
        let written = write_tmx(&[], &[u]);
        prop_assert!(matches!(written, Err(WriteFault::Forbidden { .. })), "{:?}", written.map(String::from_utf8));
    }
}

// ---------------------------------------------------------------------------
// TSV and CSV

/// A field TSV can hold (no tab, no line break) or, for CSV, any field but
/// one holding `\r\n` (a CSV line end is a line end, in quotes too).
fn cell(delim: Delim) -> impl Strategy<Value = String> {
    tricky_text().prop_map(move |t| match delim {
        Delim::Tab => t.replace(['\t', '\n', '\r'], " "),
        // a CSV reader takes CR LF in a quoted cell for a line break (LF);
        // removing one can make another ("\r\r\n"), so until none is left
        _ => {
            let mut t = t;
            while t.contains("\r\n") {
                t = t.replace("\r\n", "\n");
            }
            t
        }
    })
}

fn table(delim: Delim) -> impl Strategy<Value = Vec<Vec<String>>> {
    prop::collection::vec(prop::collection::vec(cell(delim), 3), 0..6)
}

fn round_trip(delim: Delim, rows: &[Vec<String>]) -> Result<(), TestCaseError> {
    let header = ["en", "ru-RU", "note"];
    let mut w = TableWriter::new(Vec::new(), delim);
    w.row(&header)?;
    for r in rows {
        let fields: Vec<&str> = r.iter().map(String::as_str).collect();
        prop_assert_eq!(w.check(&fields), Ok(()));
        w.row(&fields)?;
    }
    let text = String::from_utf8(w.finish()?).unwrap();
    let (h, back) = parse_str(&text, "t", delim).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(h, header);
    let fields: Vec<Vec<String>> = back.iter().map(|r| r.fields.clone()).collect();
    prop_assert_eq!(&fields, &rows.to_vec(), "written as {:?}", text);
    // each row starts on the line after the line breaks before it
    let mut line = 2;
    for (r, b) in rows.iter().zip(&back) {
        prop_assert_eq!(b.line, line);
        line += 1 + r.iter().map(|f| f.matches('\n').count()).sum::<usize>();
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(64))]

    /// TSV written reads back field for field (verbatim: quotes,
    /// backslashes and spaces as they are).
    #[test]
    fn tsv_write_read_round_trip(rows in table(Delim::Tab)) {
        round_trip(Delim::Tab, &rows)?;
    }

    /// CSV written reads back field for field, line breaks and quotes in
    /// fields included, each row on the line it starts on.
    #[test]
    fn csv_write_read_round_trip(rows in table(Delim::Comma)) {
        round_trip(Delim::Comma, &rows)?;
    }
}

// ---------------------------------------------------------------------------
// Fuzzy scores

/// Token ids for texts, as the index gives them.
#[derive(Default)]
struct Vocab {
    ids: BTreeMap<String, u32>,
    punct: Vec<bool>,
}

impl Vocab {
    fn seg(&mut self, text: &str, lang: &Lang) -> Seg {
        let toks = tokenize(text, lang)
            .into_iter()
            .map(|t| {
                let next = self.ids.len() as u32;
                let id = *self.ids.entry(t.key.clone()).or_insert(next);
                if id == next {
                    self.punct.push(is_punct_key(&t.key));
                }
                id
            })
            .collect();
        Seg {
            toks,
            text_hash: text_hash(text),
        }
    }
}

/// Sentences that share words: the scores then spread over 0–100.
fn sentence() -> impl Strategy<Value = String> {
    let word = prop::sample::select(vec![
        "the",
        "The",
        "file",
        "Delete",
        "delete",
        "SCO",
        "ＳＣＯ",
        "ШОС",
        "Министерство",
        "министерства",
        "上",
        "海",
        "合作",
        "组织",
        "2018",
        "2019",
        "8th",
        "%s",
        "{0}",
        "<b>",
        "</b>",
        ",",
        ".",
        "!",
        "。",
        "，",
        "",
        " ",
        "e\u{301}",
        "\u{e9}",
    ]);
    prop_oneof![
        3 => prop::collection::vec((word, prop::sample::select(vec![" ", "", "  "])), 0..10)
            .prop_map(|v| v.into_iter().map(|(w, s)| format!("{w}{s}")).collect()),
        1 => tricky_text(),
    ]
}

fn lang() -> impl Strategy<Value = Lang> {
    prop::sample::select(vec!["en", "ru", "zh"]).prop_map(|l| Lang::parse(l).unwrap())
}

proptest! {
    #![proptest_config(config(200))]

    /// Scores are percentages, symmetric, 100 for the same text (and only
    /// for texts that are the same in NFC), and the thresholded score the
    /// index uses agrees with the plain one at every threshold.
    #[test]
    fn scores_are_symmetric_and_bounded(a in sentence(), b in sentence(), lang in lang(), min in 0u8..=100) {
        let mut v = Vocab::default();
        let (qa, qb) = (v.seg(&a, &lang), v.seg(&b, &lang));
        let punct = |t: u32| v.punct[t as usize];
        let ab = score_any(&qa, &qb, &punct);
        let ba = score_any(&qb, &qa, &punct);
        prop_assert!(ab <= 100);
        prop_assert_eq!(ab, ba, "{:?} / {:?}", a, b);
        prop_assert_eq!(score_any(&qa, &qa, &punct), 100);
        if ab == 100 {
            prop_assert_eq!(polytm_text::nfc(&a), polytm_text::nfc(&b));
        }
        let words: Vec<u32> = qa.toks.iter().copied().filter(|&t| !punct(t)).collect();
        let mut row = Vec::new();
        let got = score(&qa, &words, &qb.toks, qb.text_hash, min, &punct, &mut row);
        prop_assert_eq!(got, (ab >= min).then_some(ab), "min {}", min);
    }
}

// ---------------------------------------------------------------------------
// Sentences and tokens

/// Running text: sentences with abbreviations, numbers, runs of marks,
/// quotes, Han punctuation, line breaks and blank lines.
fn prose() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "The meeting",
        " was held",
        " in Dushanbe",
        ".",
        " ",
        "  ",
        "\n",
        "\n\n",
        "\r\n",
        "Mr.",
        " Smith",
        " No. 5",
        " e.g.",
        " U.N.",
        "...",
        "…",
        "?!",
        "!",
        "?",
        "\"",
        "«",
        "»",
        "“",
        "”",
        "(",
        ")",
        " 3.14",
        " 1.",
        " г.",
        " Совещание",
        " т. е.",
        "上海合作组织",
        "。",
        "！",
        "？",
        "；",
        "「",
        "」",
        "\u{3000}",
        "\t",
        "a",
        "Б",
        "\u{2029}",
        "\u{85}",
        "\u{c}",
        "https://sco.int/a.b",
        " x@y.org",
        "Jan.",
        "Oktober",
    ]);
    prop_oneof![
        4 => prop::collection::vec(piece, 0..30).prop_map(|v| v.concat()),
        1 => any::<String>(),
        1 => tricky_text(),
    ]
}

fn any_lang() -> impl Strategy<Value = Lang> {
    prop::sample::select(vec!["en", "ru", "zh", "de", "ja", "fr"])
        .prop_map(|l| Lang::parse(l).unwrap())
}

proptest! {
    #![proptest_config(config(200))]

    /// Every character is in exactly one sentence or in the white space
    /// between two: the sentences, in order and in bounds, with the gaps
    /// between them give back the text, and a sentence starts and ends with
    /// a character that is not white space.
    #[test]
    fn segmentation_covers_every_character_once(text in prose(), lang in any_lang()) {
        let chars: Vec<char> = text.chars().collect();
        let mut rebuilt = String::new();
        let mut at = 0;
        for p in segment(&text, &lang) {
            prop_assert!(!p.sentences.is_empty());
            prop_assert_eq!((p.span.start, p.span.end), (p.sentences[0].start, p.sentences.last().unwrap().end));
            for s in &p.sentences {
                prop_assert!(at <= s.start && s.start < s.end && s.end <= chars.len(), "{:?} after {}", s, at);
                let gap = &chars[at..s.start];
                prop_assert!(gap.iter().all(|c| c.is_whitespace()), "{:?} between sentences", gap);
                let body = &chars[s.start..s.end];
                prop_assert!(!body[0].is_whitespace() && !body[body.len() - 1].is_whitespace());
                rebuilt.extend(gap);
                rebuilt.extend(body);
                at = s.end;
            }
        }
        let tail = &chars[at..];
        prop_assert!(tail.iter().all(|c| c.is_whitespace()), "{:?} after the last sentence", tail);
        rebuilt.extend(tail);
        prop_assert_eq!(rebuilt, text);
    }

    /// Tokens are in bounds, non-empty, in order and apart, and the key
    /// scanner of the index gives the same keys.
    #[test]
    fn token_offsets_in_bounds_and_increasing(text in prose(), lang in any_lang()) {
        let len = text.chars().count();
        let tokens = tokenize(&text, &lang);
        let mut end = 0;
        for t in &tokens {
            prop_assert!(end <= t.start && t.start < t.end && t.end <= len, "{:?} after {}", t, end);
            prop_assert!(!t.key.is_empty());
            end = t.end;
        }
        let mut keys = Vec::new();
        for_each_key(&text, &lang, |k, key| keys.push((k, key.to_string())));
        let want: Vec<_> = tokens.iter().map(|t| (t.kind, t.key.clone())).collect();
        prop_assert_eq!(keys, want);
    }
}

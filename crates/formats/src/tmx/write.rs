//! The TMX 1.4b writer: a fixed header, one `<tu>` per call, attributes
//! in DTD order; characters XML 1.0 forbids are refused rather than
//! written.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::inline::parse_inline;
use super::{Meta, MetaKind, TU_ATTRS, TUV_ATTRS};
use crate::xml::{escape_attr_into, escape_text_into, forbidden_char};

/// Why a unit could not be written.
#[derive(Debug)]
pub enum WriteFault {
    Io(io::Error),
    /// A character XML 1.0 does not allow, in the field named.
    Forbidden {
        field: String,
        ch: char,
    },
    /// A markup text that is not valid TMX inline markup.
    BadMarkup {
        field: String,
        msg: String,
    },
}

impl From<io::Error> for WriteFault {
    fn from(e: io::Error) -> Self {
        WriteFault::Io(e)
    }
}

/// What goes into `<header>`.
#[derive(Debug, Clone)]
pub struct HeaderOut {
    pub creationtoolversion: String,
    /// A language tag, or `*all*`.
    pub srclang: String,
    /// Header-level `<note>`s (e.g. where the export came from).
    pub notes: Vec<String>,
}

/// One `<tuv>` to write.
#[derive(Debug, Clone)]
pub struct VariantOut<'a> {
    pub tag: &'a str,
    /// The segment: plain text (escaped on writing) or, when `markup`,
    /// TMX inline XML written as it is (after a check).
    pub text: &'a str,
    pub markup: bool,
    /// Attributes other than `xml:lang`; written in DTD order.
    pub attrs: Option<&'a BTreeMap<String, String>>,
    pub meta: &'a [Meta],
}

/// One `<tu>` to write.
#[derive(Debug, Clone)]
pub struct UnitOut<'a> {
    /// Attributes (`tuid`, `creationdate`, ...): written in DTD order,
    /// unknown names are not written.
    pub attrs: BTreeMap<&'a str, &'a str>,
    pub meta: Vec<&'a Meta>,
    pub variants: Vec<VariantOut<'a>>,
}

/// Writes TMX 1.4b.
pub struct TmxWriter<W: Write> {
    out: W,
    line: String,
}

impl<W: Write> TmxWriter<W> {
    pub fn new(mut out: W, h: &HeaderOut) -> io::Result<Self> {
        let mut s = String::new();
        s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">\n");
        s.push_str("  <header creationtool=\"polytm\" creationtoolversion=\"");
        escape_attr_into(&mut s, &h.creationtoolversion);
        s.push_str("\" segtype=\"sentence\" o-tmf=\"polytm\" adminlang=\"en\" srclang=\"");
        escape_attr_into(&mut s, &h.srclang);
        s.push_str("\" datatype=\"plaintext\"");
        if h.notes.is_empty() {
            s.push_str("/>\n");
        } else {
            s.push_str(">\n");
            for n in &h.notes {
                s.push_str("    <note>");
                escape_text_into(&mut s, n);
                s.push_str("</note>\n");
            }
            s.push_str("  </header>\n");
        }
        s.push_str("  <body>\n");
        out.write_all(s.as_bytes())?;
        Ok(TmxWriter {
            out,
            line: String::with_capacity(1024),
        })
    }

    /// Write one `<tu>`. On a fault nothing of the unit is written.
    pub fn unit(&mut self, u: &UnitOut) -> std::result::Result<(), WriteFault> {
        let s = &mut self.line;
        s.clear();
        s.push_str("    <tu");
        for name in TU_ATTRS {
            if let Some(v) = u.attrs.get(name) {
                check(v, || format!("attribute {name}"))?;
                push_attr(s, name, v);
            }
        }
        s.push_str(">\n");
        for m in &u.meta {
            push_meta(s, m, "      ")?;
        }
        for v in &u.variants {
            check(v.tag, || format!("language tag {}", v.tag.escape_debug()))?;
            s.push_str("      <tuv xml:lang=\"");
            escape_attr_into(s, v.tag);
            s.push('"');
            if let Some(attrs) = v.attrs {
                for name in TUV_ATTRS {
                    if let Some(val) = attrs.get(*name) {
                        check(val, || format!("{} attribute {name}", v.tag))?;
                        push_attr(s, name, val);
                    }
                }
            }
            s.push_str(">\n");
            for m in v.meta {
                push_meta(s, m, "        ")?;
            }
            s.push_str("        <seg>");
            if v.markup {
                let inline = parse_inline(v.text).map_err(|(_, msg)| WriteFault::BadMarkup {
                    field: format!("{} text", v.tag),
                    msg,
                })?;
                s.push_str(&inline.markup);
            } else {
                check(v.text, || format!("{} text", v.tag))?;
                escape_text_into(s, v.text);
            }
            s.push_str("</seg>\n      </tuv>\n");
        }
        s.push_str("    </tu>\n");
        self.out.write_all(s.as_bytes())?;
        Ok(())
    }

    /// Close `<body>` and `<tmx>`; return the output.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.write_all(b"  </body>\n</tmx>\n")?;
        self.out.flush()?;
        Ok(self.out)
    }
}

fn check(s: &str, field: impl FnOnce() -> String) -> std::result::Result<(), WriteFault> {
    match forbidden_char(s) {
        Some(ch) => Err(WriteFault::Forbidden { field: field(), ch }),
        None => Ok(()),
    }
}

fn push_attr(s: &mut String, name: &str, v: &str) {
    s.push(' ');
    s.push_str(name);
    s.push_str("=\"");
    escape_attr_into(s, v);
    s.push('"');
}

fn push_meta(s: &mut String, m: &Meta, indent: &str) -> std::result::Result<(), WriteFault> {
    let name = match m.kind {
        MetaKind::Prop => "prop",
        MetaKind::Note => "note",
    };
    check(&m.text, || name.to_string())?;
    for (attr, v) in [
        ("type", &m.ty),
        ("xml:lang", &m.lang),
        ("o-encoding", &m.o_encoding),
    ] {
        if let Some(v) = v {
            check(v, || format!("{name} attribute {attr}"))?;
        }
    }
    s.push_str(indent);
    s.push('<');
    s.push_str(name);
    if m.kind == MetaKind::Prop {
        push_attr(s, "type", m.ty.as_deref().unwrap_or("x-unknown"));
    }
    if let Some(l) = &m.lang {
        push_attr(s, "xml:lang", l);
    }
    if let Some(e) = &m.o_encoding {
        push_attr(s, "o-encoding", e);
    }
    s.push('>');
    escape_text_into(s, &m.text);
    s.push_str("</");
    s.push_str(name);
    s.push_str(">\n");
    Ok(())
}

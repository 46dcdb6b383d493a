//! Writing a new XLIFF 1.2 file from plain segments (a text that was
//! pre-translated): one trans-unit per segment, grouped by paragraph.

use super::{Content, Leveraged, NS_V1};
use crate::xml::{escape_attr, escape_text};

/// A trans-unit of a new XLIFF 1.2 file written from text.
#[derive(Debug, Clone)]
pub struct NewUnit {
    pub id: String,
    /// Units with the same group are written in one `<group>` (a paragraph).
    pub group: Option<String>,
    /// The source with its inline codes (`<g>`, `<x/>`), if it has some.
    pub source: Content,
    pub leveraged: Option<Leveraged>,
}

/// Metadata of a new XLIFF 1.2 file.
#[derive(Debug, Clone)]
pub struct NewFile<'a> {
    /// The input's name, for `original`.
    pub original: &'a str,
    pub source_lang: &'a str,
    pub target_lang: &'a str,
    /// `datatype`: `plaintext`, `x-docx`, `html` ...
    pub datatype: &'a str,
}

/// Write a new XLIFF 1.2 document from plain segments: one trans-unit per
/// segment, grouped by paragraph, a target only where there is a match.
pub fn write_new(meta: &NewFile, units: &[NewUnit]) -> String {
    let mut s = String::new();
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str(&format!("<xliff version=\"1.2\" xmlns=\"{NS_V1}\">\n"));
    s.push_str(&format!(
        "  <file original=\"{}\" source-language=\"{}\" target-language=\"{}\" datatype=\"{}\">\n",
        escape_attr(meta.original),
        escape_attr(meta.source_lang),
        escape_attr(meta.target_lang),
        escape_attr(meta.datatype)
    ));
    s.push_str(&format!(
        "    <header>\n      <tool tool-id=\"polytm\" tool-name=\"polytm\" tool-version=\"{}\"/>\n    </header>\n",
        env!("CARGO_PKG_VERSION")
    ));
    s.push_str("    <body>\n");
    let mut open_group: Option<&str> = None;
    for u in units {
        if u.group.as_deref() != open_group {
            if open_group.is_some() {
                s.push_str("      </group>\n");
            }
            if let Some(g) = &u.group {
                s.push_str(&format!(
                    "      <group id=\"{}\" restype=\"x-paragraph\">\n",
                    escape_attr(g)
                ));
            }
            open_group = u.group.as_deref();
        }
        let ind = if open_group.is_some() {
            "        "
        } else {
            "      "
        };
        let space = if needs_preserve(&u.source.plain()) {
            " xml:space=\"preserve\""
        } else {
            ""
        };
        s.push_str(&format!(
            "{ind}<trans-unit id=\"{}\"{space}>\n",
            escape_attr(&u.id)
        ));
        s.push_str(&format!(
            "{ind}  <source xml:lang=\"{}\">{}</source>\n",
            escape_attr(meta.source_lang),
            u.source.markup()
        ));
        if let Some(l) = &u.leveraged {
            let (state, qual) = l.kind.v1_state();
            s.push_str(&format!(
                "{ind}  <target xml:lang=\"{}\" state=\"{state}\" state-qualifier=\"{qual}\">{}</target>\n",
                escape_attr(meta.target_lang),
                u.source.render(&l.target)
            ));
            s.push_str(&format!(
                "{ind}  <alt-trans match-quality=\"{}\" origin=\"polytm\" tool-id=\"polytm\"{}>\n",
                l.score,
                l.kind.v1_alt_attrs()
            ));
            s.push_str(&format!(
                "{ind}    <source xml:lang=\"{}\">{}</source>\n",
                escape_attr(meta.source_lang),
                escape_text(&l.match_source)
            ));
            s.push_str(&format!(
                "{ind}    <target xml:lang=\"{}\">{}</target>\n",
                escape_attr(meta.target_lang),
                escape_text(&l.match_target)
            ));
            if let Some(n) = &l.note {
                s.push_str(&format!(
                    "{ind}    <note from=\"polytm\">{}</note>\n",
                    escape_text(n)
                ));
            }
            s.push_str(&format!("{ind}  </alt-trans>\n"));
        }
        s.push_str(&format!("{ind}</trans-unit>\n"));
    }
    if open_group.is_some() {
        s.push_str("      </group>\n");
    }
    s.push_str("    </body>\n  </file>\n</xliff>\n");
    s
}

/// Leading, trailing or doubled white space, or a line break.
fn needs_preserve(s: &str) -> bool {
    s.starts_with(char::is_whitespace)
        || s.ends_with(char::is_whitespace)
        || s.contains("  ")
        || s.contains(['\n', '\t'])
}

//! Word documents (`.docx`, WordprocessingML): the paragraphs of
//! `word/document.xml` (headings, list items, table cells, text boxes),
//! then of `word/footnotes.xml` and `word/endnotes.xml`.
//!
//! What is text: the `<w:t>` of runs, `<w:tab/>` and `<w:br/>` (a line
//! break; page and column breaks are not text). What is not: field
//! instructions (`<w:instrText>`: the results of fields are read),
//! deleted text, the fallback copy of a text box that Word writes for old
//! readers (`<mc:Fallback>`), page headers and footers (their own parts,
//! not read), comments. A run's style is its `<w:rPr>` as written with
//! the hyperlink or field it is in, so Word's splitting of runs (revision
//! ids, spelling marks) makes no inline codes.

use std::ops::Range;

use quick_xml::events::BytesStart;

use super::build::Space;
use super::package::Package;
use super::xmlwalk::{Handler, TextHere, Walk, attr, walk};
use super::{Container, DocKind, Document, Styles};
use polytm_core::error::{Error, Result};

/// The parts read, in order; the first must be there.
const PARTS: &[&str] = &[
    "word/document.xml",
    "word/footnotes.xml",
    "word/endnotes.xml",
];

/// Read a `.docx` from its bytes.
pub fn parse(bytes: Vec<u8>, file: &str) -> Result<Document> {
    let mut pkg = Package::open(bytes.clone(), file, "a Word document (.docx)", "docx")?;
    let mut doc = Document::new(DocKind::Docx, file, Container::Zip(bytes));
    let mut styles = Styles::default();
    for (k, name) in PARTS.iter().enumerate() {
        let Some(text) = pkg.text(name)? else {
            if k == 0 {
                let why = if pkg.has("content.xml") {
                    "it is an OpenDocument file; name it .odt"
                } else if pkg.has("xl/workbook.xml") || pkg.has("ppt/presentation.xml") {
                    "it is another Office document (a workbook or a presentation)"
                } else {
                    "the zip has no word/document.xml"
                };
                return Err(Error::input(
                    file,
                    None,
                    format!("is not a Word document: {why}"),
                ));
            }
            continue;
        };
        let part = doc.add_part(name, text);
        let mut h = Docx {
            styles: &mut styles,
            runs: Vec::new(),
            links: Vec::new(),
            fields: Vec::new(),
            next_link: 0,
        };
        let paras = walk(&doc.parts[part].text, part, file, name, &mut h)?;
        doc.paragraphs.extend(paras);
    }
    Ok(doc)
}

/// A run being read.
#[derive(Debug, Default)]
struct Run {
    /// Where its `<w:rPr>` starts, while it is read.
    rpr: Option<usize>,
    style: u32,
    /// Inside `<w:t>`: where `xml:space="preserve"` would go, when missing.
    text: Option<Option<usize>>,
}

struct Docx<'s> {
    styles: &'s mut Styles,
    /// Open runs: one per open paragraph level (a text box's paragraphs
    /// sit inside a run of the paragraph around it).
    runs: Vec<Option<Run>>,
    /// Open hyperlinks (their numbers).
    links: Vec<u32>,
    /// Open complex fields: (number, past its `separate`).
    fields: Vec<(u32, bool)>,
    next_link: u32,
}

impl Docx<'_> {
    fn run(&mut self) -> Option<&mut Run> {
        self.runs.last_mut().and_then(Option::as_mut)
    }

    /// The style key of a run whose properties are `rpr`.
    fn style(&mut self, rpr: &str) -> u32 {
        let mut key = rpr.to_string();
        if let Some(l) = self.links.last() {
            key.push_str(&format!("|link {l}"));
        }
        if let Some((f, true)) = self.fields.last() {
            key.push_str(&format!("|field {f}"));
        }
        self.styles.id(&key)
    }
}

impl Handler for Docx<'_> {
    fn start(&mut self, w: &mut Walk, e: &BytesStart, at: Range<usize>, empty: bool) -> Result<()> {
        let name = e.name();
        match name.as_ref() {
            "mc:Fallback" | "w:del" | "w:moveFrom" | "w:instrText" | "w:delText"
            | "w:delInstrText" | "w:fldData" | "w:comment" => w.skip(),
            "w:p" if !empty => {
                w.open_paragraph();
                self.runs.push(None);
            }
            "w:r" if !empty => {
                let style = self.style("");
                if let Some(slot) = self.runs.last_mut() {
                    *slot = Some(Run {
                        style,
                        ..Run::default()
                    });
                }
            }
            "w:rPr" => {
                if let Some(r) = self.run() {
                    if empty {
                        r.rpr = None;
                    } else {
                        r.rpr = Some(at.start);
                    }
                }
            }
            "w:t" if !empty => {
                let preserve = attr(e, "xml:space").is_some_and(|v| v == "preserve");
                if let Some(r) = self.run() {
                    r.text = Some((!preserve).then_some(at.start + 4));
                }
            }
            "w:hyperlink" if !empty => {
                self.next_link += 1;
                self.links.push(self.next_link);
            }
            "w:fldChar" => match attr(e, "w:fldCharType").as_deref() {
                Some("begin") => {
                    self.next_link += 1;
                    self.fields.push((self.next_link, false));
                }
                Some("separate") => {
                    if let Some(f) = self.fields.last_mut() {
                        f.1 = true;
                    }
                }
                Some("end") => {
                    self.fields.pop();
                }
                _ => {}
            },
            "w:tab" | "w:ptab" if empty => self.markup(w, "\t"),
            "w:br" if empty => {
                let kind = attr(e, "w:type");
                if kind.is_none() || kind.as_deref() == Some("textWrapping") {
                    self.markup(w, "\n");
                }
            }
            "w:cr" if empty => self.markup(w, "\n"),
            "w:noBreakHyphen" if empty => self.markup(w, "\u{2011}"),
            _ => {}
        }
        Ok(())
    }

    fn end(&mut self, w: &mut Walk, name: &str) -> Result<()> {
        match name {
            "w:p" => {
                self.runs.pop();
                w.close_paragraph()?;
            }
            "w:r" => {
                if let Some(slot) = self.runs.last_mut() {
                    *slot = None;
                }
            }
            "w:rPr" => {
                let text = w.text;
                let start = self.run().and_then(|r| r.rpr.take());
                if let Some(start) = start {
                    // the whole element: from its start to here
                    let end = text[start..]
                        .find("</w:rPr>")
                        .map_or(text.len(), |i| start + i + 8);
                    let style = self.style(&text[start..end]);
                    if let Some(r) = self.run() {
                        r.style = style;
                    }
                }
            }
            "w:t" => {
                if let Some(r) = self.run() {
                    r.text = None;
                }
            }
            "w:hyperlink" => {
                self.links.pop();
            }
            _ => {}
        }
        Ok(())
    }

    fn text_here(&self) -> Option<TextHere> {
        let r = self.runs.last()?.as_ref()?;
        let preserve_at = r.text?;
        Some(TextHere {
            style: r.style,
            space: Space::Kept,
            preserve_at,
        })
    }
}

impl Docx<'_> {
    fn markup(&mut self, w: &mut Walk, shown: &str) {
        let Some(style) = self.run().map(|r| r.style) else {
            return;
        };
        if let Some(b) = w.paragraph() {
            b.markup(shown, style);
        }
    }
}

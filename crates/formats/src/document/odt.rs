//! OpenDocument text (`.odt`): the paragraphs and headings of
//! `content.xml`'s `<office:text>` (lists, tables, frames and notes
//! included; page headers and footers live in `styles.xml` and are not
//! read). White space collapses as ODF says; `<text:s/>`, `<text:tab/>`
//! and `<text:line-break/>` are the spaces, tabs and breaks. A stretch's
//! style is the `text:span` styles and the link it is in. Note citations
//! (the footnote's number), annotations and tracked deletions are not
//! text.

use std::ops::Range;

use quick_xml::events::BytesStart;

use super::build::Space;
use super::package::{ENCRYPTED, Package};
use super::xmlwalk::{Handler, TextHere, Walk, attr, walk};
use super::{Container, DocKind, Document, Styles};
use polytm_core::error::{Error, Result};

const MIMETYPE: &str = "application/vnd.oasis.opendocument.text";

/// Read an `.odt` from its bytes.
pub fn parse(bytes: Vec<u8>, file: &str) -> Result<Document> {
    let mut pkg = Package::open(bytes.clone(), file, "an OpenDocument text (.odt)", "odt")?;
    if let Some(m) = pkg.text("mimetype")?
        && m.trim() != MIMETYPE
        && m.trim().starts_with("application/vnd.oasis.opendocument.")
    {
        return Err(Error::input(
            file,
            None,
            format!("is not an OpenDocument text: its type is {}", m.trim()),
        ));
    }
    if let Some(manifest) = pkg.text("META-INF/manifest.xml")?
        && manifest.contains("encryption-data")
    {
        return Err(Error::input(file, None, ENCRYPTED));
    }
    let Some(text) = pkg.text("content.xml")? else {
        let why = if pkg.has("word/document.xml") {
            "it is a Word document; name it .docx"
        } else {
            "the zip has no content.xml"
        };
        return Err(Error::input(
            file,
            None,
            format!("is not an OpenDocument text: {why}"),
        ));
    };
    let mut doc = Document::new(DocKind::Odt, file, Container::Zip(bytes));
    let part = doc.add_part("content.xml", text);
    let mut styles = Styles::default();
    let mut h = Odt {
        styles: &mut styles,
        in_body: false,
        spans: Vec::new(),
        links: Vec::new(),
        next_link: 0,
        depth: 0,
        current: 0,
    };
    let paras = walk(&doc.parts[part].text, part, file, "content.xml", &mut h)?;
    doc.paragraphs = paras;
    Ok(doc)
}

struct Odt<'s> {
    styles: &'s mut Styles,
    /// Inside `<office:text>`.
    in_body: bool,
    /// Open `text:span`s: their style names.
    spans: Vec<String>,
    links: Vec<u32>,
    next_link: u32,
    /// Open paragraphs.
    depth: usize,
    /// The style of text here.
    current: u32,
}

impl Odt<'_> {
    fn style(&mut self) -> u32 {
        let mut key = self.spans.join("/");
        if let Some(l) = self.links.last() {
            key.push_str(&format!("|link {l}"));
        }
        self.styles.id(&key)
    }

    fn markup(&mut self, w: &mut Walk, shown: &str) {
        if self.depth == 0 {
            return;
        }
        if let Some(b) = w.paragraph() {
            b.markup(shown, self.current);
        }
    }
}

impl Handler for Odt<'_> {
    fn start(
        &mut self,
        w: &mut Walk,
        e: &BytesStart,
        _at: Range<usize>,
        empty: bool,
    ) -> Result<()> {
        let name = e.name();
        match name.as_ref() {
            "office:text" if !empty => self.in_body = true,
            _ if !self.in_body => {}
            "text:note-citation"
            | "office:annotation"
            | "text:tracked-changes"
            | "svg:title"
            | "svg:desc"
            | "text:deletion" => w.skip(),
            "text:p" | "text:h" if !empty => {
                self.depth += 1;
                w.open_paragraph();
            }
            "text:span" if !empty => {
                let s = attr(e, "text:style-name").unwrap_or_default();
                self.spans.push(s);
                self.current = self.style();
            }
            "text:a" if !empty => {
                self.next_link += 1;
                self.links.push(self.next_link);
                self.current = self.style();
            }
            "text:s" if empty => {
                let n = attr(e, "text:c")
                    .and_then(|c| c.parse::<usize>().ok())
                    .unwrap_or(1)
                    .clamp(1, 1000);
                self.markup(w, &" ".repeat(n));
            }
            "text:tab" if empty => self.markup(w, "\t"),
            "text:line-break" if empty => self.markup(w, "\n"),
            _ => {}
        }
        Ok(())
    }

    fn end(&mut self, w: &mut Walk, name: &str) -> Result<()> {
        match name {
            "office:text" => self.in_body = false,
            "text:p" | "text:h" if self.in_body => {
                self.depth = self.depth.saturating_sub(1);
                w.close_paragraph()?;
            }
            "text:span" if self.in_body => {
                self.spans.pop();
                self.current = self.style();
            }
            "text:a" if self.in_body => {
                self.links.pop();
                self.current = self.style();
            }
            _ => {}
        }
        Ok(())
    }

    fn text_here(&self) -> Option<TextHere> {
        if !self.in_body || self.depth == 0 {
            return None;
        }
        Some(TextHere {
            style: self.current,
            space: Space::Collapsed,
            preserve_at: None,
        })
    }
}

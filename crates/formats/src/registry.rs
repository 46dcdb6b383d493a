//! The one place that tells what kind of file a path holds, and so which
//! reader reads it: from `--format` when given, else from the file name's
//! extension, else from its first bytes (a byte-order mark, `<?xml` and the
//! root element's name, a gzip header, the tabs, commas or semicolons of
//! the first line, CC-CEDICT entries).
//!
//! What a file may be depends on what it is read for ([`Purpose`]): `import`
//! takes a translation memory, `glossary import` a glossary, and so on.
//! Each purpose accepts some [`Kind`]s and has its own fallbacks (a glossary
//! that is not XML is a TSV table; a document to pre-translate that is not
//! XLIFF is text), which are kept here, beside the rules they refine.
//!
//! Word documents, OpenDocument text and HTML (`.docx`, `.odt`, `.html`)
//! are kinds of their own, read by [`crate::document`] for
//! [`Purpose::Document`] and [`Purpose::Pretranslate`]; they are told by
//! their extension, else by their first bytes (a zip whose first entry is
//! ODF's `mimetype` or Office's content types, an OLE compound file (an
//! old `.doc`, said to be one by the Word reader), `<!DOCTYPE html` or
//! `<html`).

use std::io::Read;
use std::path::Path;

use serde::Serialize;

use crate::cedict;
use crate::document::DocKind;
use crate::input::{Utf16, read_text, require_text};
use polytm_core::error::{Error, Result, display_path};

/// A kind of file polytm reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// TMX 1.1–1.4b.
    Tmx,
    /// TBX: TBX-Basic 2019 (`<tbx>`) or the older `<martif>`.
    Tbx,
    /// XLIFF 1.2 or 2.0.
    Xliff,
    /// Tab-separated values: no quoting, no escapes.
    Tsv,
    /// Comma- (or semicolon-) separated values, RFC 4180.
    Csv,
    /// The CC-CEDICT dictionary (plain or gzip-compressed).
    Cedict,
    /// Plain text.
    Text,
    /// A Word document (`.docx`).
    Docx,
    /// OpenDocument text (`.odt`).
    Odt,
    /// An HTML page.
    Html,
}

impl Kind {
    /// The name users know it by.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Tmx => "TMX",
            Kind::Tbx => "TBX",
            Kind::Xliff => "XLIFF",
            Kind::Tsv => "TSV",
            Kind::Csv => "CSV",
            Kind::Cedict => "CC-CEDICT",
            Kind::Text => "text",
            Kind::Docx => "Word (.docx)",
            Kind::Odt => "OpenDocument text (.odt)",
            Kind::Html => "HTML",
        }
    }

    /// The document reader's kind, for documents with a structure.
    pub fn document(self) -> Option<DocKind> {
        match self {
            Kind::Docx => Some(DocKind::Docx),
            Kind::Odt => Some(DocKind::Odt),
            Kind::Html => Some(DocKind::Html),
            _ => None,
        }
    }
}

/// File name extensions (lower case) and the kind each names.
const EXTENSIONS: &[(&str, Kind)] = &[
    ("tmx", Kind::Tmx),
    ("tbx", Kind::Tbx),
    ("xlf", Kind::Xliff),
    ("xliff", Kind::Xliff),
    ("sdlxliff", Kind::Xliff),
    ("mqxliff", Kind::Xliff),
    ("mxliff", Kind::Xliff),
    ("txlf", Kind::Xliff),
    ("xlz", Kind::Xliff),
    ("tsv", Kind::Tsv),
    ("tab", Kind::Tsv),
    ("csv", Kind::Csv),
    ("docx", Kind::Docx),
    ("docm", Kind::Docx),
    ("dotx", Kind::Docx),
    // an old binary Word file: the Word reader says what it is and how to
    // convert it
    ("doc", Kind::Docx),
    ("odt", Kind::Odt),
    ("ott", Kind::Odt),
    ("html", Kind::Html),
    ("htm", Kind::Html),
    ("xhtml", Kind::Html),
];

/// Root elements (local names, lower case) and the kind each starts.
const ROOTS: &[(&str, Kind)] = &[
    ("tmx", Kind::Tmx),
    ("tbx", Kind::Tbx),
    ("martif", Kind::Tbx),
    ("xliff", Kind::Xliff),
];

/// The first bytes of gzip data.
pub const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// How much of a file is read to look at (from a path).
const HEAD: usize = 4096;

/// How much of the bytes given is looked at (CC-CEDICT is told by its
/// first 200 lines).
const LOOK: usize = 1 << 16;

/// What a file is read for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// `import`: a translation memory (TMX, TSV, CSV).
    Tm,
    /// `glossary import`: a glossary (TBX, TSV, CSV).
    Glossary,
    /// `lexicon import`: CC-CEDICT or a TSV word list.
    Lexicon,
    /// `pretranslate`: XLIFF to fill, or text.
    Pretranslate,
    /// `align`, `segment`: the text of a document.
    Document,
    /// `qa`: a bilingual file to check (XLIFF, TMX, TSV, CSV), or a
    /// document (text) checked against its translation.
    Qa,
}

impl Purpose {
    /// The kinds read for this purpose.
    pub fn accepts(self) -> &'static [Kind] {
        match self {
            Purpose::Tm => &[Kind::Tmx, Kind::Tsv, Kind::Csv],
            Purpose::Glossary => &[Kind::Tbx, Kind::Tsv, Kind::Csv],
            Purpose::Lexicon => &[Kind::Cedict, Kind::Tsv],
            Purpose::Pretranslate => &[Kind::Xliff, Kind::Text, Kind::Docx, Kind::Odt, Kind::Html],
            Purpose::Document => &[Kind::Text, Kind::Docx, Kind::Odt, Kind::Html],
            Purpose::Qa => &[
                Kind::Xliff,
                Kind::Tmx,
                Kind::Tsv,
                Kind::Csv,
                Kind::Text,
                Kind::Docx,
                Kind::Odt,
                Kind::Html,
            ],
        }
    }

    /// Whether a file of this kind holds both languages (else it is one
    /// side of a document pair).
    pub fn bilingual(kind: Kind) -> bool {
        matches!(kind, Kind::Xliff | Kind::Tmx | Kind::Tsv | Kind::Csv)
    }

    fn what(self) -> &'static str {
        match self {
            Purpose::Tm => "a translation memory",
            Purpose::Glossary => "a glossary",
            Purpose::Lexicon => "a lexicon",
            Purpose::Pretranslate => "a document to pre-translate",
            Purpose::Document => "a document",
            Purpose::Qa => "a file to check",
        }
    }

    /// `kind` when it is read for this purpose, else an error naming `file`.
    pub fn check(self, kind: Kind, file: &str) -> Result<Kind> {
        if self.accepts().contains(&kind) {
            return Ok(kind);
        }
        let names: Vec<&str> = self.accepts().iter().map(|k| k.name()).collect();
        Err(Error::input(
            file,
            None,
            format!(
                "{} is read from {}, not {}",
                self.what(),
                names.join(", "),
                kind.name()
            ),
        ))
    }
}

/// The kind of `path` for `purpose`: `forced` when given (`--format`),
/// else what the extension says, else what the first bytes say. Standard
/// input cannot be looked into before it is read: it is what the purpose
/// reads by default (a translation memory needs `--format`); callers that
/// read it whole first use [`detect_content`].
pub fn detect(path: &Path, forced: Option<Kind>, purpose: Purpose) -> Result<Kind> {
    let file = display_path(path);
    if let Some(k) = forced {
        return purpose.check(k, &file);
    }
    if let Some(k) = by_extension(path, purpose) {
        return Ok(k);
    }
    if path.as_os_str() == "-" {
        return match purpose {
            Purpose::Tm => Err(Error::usage(
                "reading standard input needs --format tmx, tsv or csv",
            )),
            Purpose::Glossary | Purpose::Lexicon => Ok(Kind::Tsv),
            Purpose::Pretranslate | Purpose::Document => Ok(Kind::Text),
            Purpose::Qa => Err(Error::usage(
                "checking standard input is not supported; name a file",
            )),
        };
    }
    let mut head = Vec::with_capacity(HEAD);
    let read = std::fs::File::open(path).and_then(|f| f.take(HEAD as u64).read_to_end(&mut head));
    if let Err(e) = read {
        if purpose == Purpose::Tm {
            return Err(Error::io(path, e));
        }
        // The reader will say what is wrong with the file.
        head.clear();
    }
    if head.len() == HEAD
        && let Some(end) = head.iter().rposition(|&b| b == b'\n')
    {
        // The file goes on: look at whole lines only.
        head.truncate(end + 1);
    }
    detect_content(&file, &head, purpose)
}

/// The kind the extension of `path` names for `purpose`, if any.
pub fn by_extension(path: &Path, purpose: Purpose) -> Option<Kind> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match (purpose, ext.as_str()) {
        // A lexicon is told by what it holds.
        (Purpose::Lexicon, _) => return None,
        // Excel's "Unicode text" and XML glossaries.
        (Purpose::Glossary, "txt") => return Some(Kind::Tsv),
        (Purpose::Glossary, "xml") => return Some(Kind::Tbx),
        // a document checked against its translation
        (Purpose::Qa, "txt" | "text") => return Some(Kind::Text),
        _ => {}
    }
    EXTENSIONS
        .iter()
        .find(|(e, k)| *e == ext && purpose.accepts().contains(k))
        .map(|&(_, k)| k)
}

/// The kind of a file for `purpose` from its first bytes (or all of them),
/// `file` naming it in errors.
pub fn detect_content(file: &str, bytes: &[u8], purpose: Purpose) -> Result<Kind> {
    let head = Head::of(bytes);
    match purpose {
        Purpose::Tm => {
            if head.markup.is_some() {
                // TMX, or XML the TMX reader will name (`not a TMX file:
                // the root element is <xliff>`).
                Ok(Kind::Tmx)
            } else if head.first_line.contains(&b'\t') {
                Ok(Kind::Tsv)
            } else if head.first_line.contains(&b',') || head.first_line.contains(&b';') {
                Ok(Kind::Csv)
            } else if head.empty {
                Err(Error::input(file, None, "is empty"))
            } else {
                Err(Error::input(
                    file,
                    None,
                    "cannot tell its format (not TMX, no tab or comma in the first line); name it .tmx, .tsv or .csv, or pass --format",
                ))
            }
        }
        // XML is TBX (or what the TBX reader names), anything else a table.
        Purpose::Glossary if head.markup.is_some() => Ok(Kind::Tbx),
        Purpose::Glossary => Ok(Kind::Tsv),
        Purpose::Lexicon if cedict::looks_like(&head.text()) => Ok(Kind::Cedict),
        Purpose::Lexicon => Ok(Kind::Tsv),
        Purpose::Pretranslate => match head.markup {
            Some(Some(Kind::Xliff)) => Ok(Kind::Xliff),
            _ => Ok(sniff_document(bytes).unwrap_or(Kind::Text)),
        },
        Purpose::Document => Ok(sniff_document(bytes).unwrap_or(Kind::Text)),
        // a document (checked with its translation) by its first bytes
        Purpose::Qa if sniff_document(bytes).is_some() => {
            Ok(sniff_document(bytes).unwrap_or(Kind::Text))
        }
        Purpose::Qa => match head.markup {
            Some(Some(Kind::Xliff)) => Ok(Kind::Xliff),
            // TMX, or XML the TMX reader will name
            Some(_) => Ok(Kind::Tmx),
            None if head.empty => Err(Error::input(file, None, "is empty")),
            None if head.first_line.contains(&b'\t') => Ok(Kind::Tsv),
            None => Ok(Kind::Text),
        },
    }
}

/// The kind of a document with a structure from its first bytes: ODF's
/// zip starts with its `mimetype` entry, Office Open XML's with its
/// content types or relationships, a compound file is taken for Word (whose
/// reader says what it really is: an old `.doc`, an encrypted document),
/// and a page that opens with a DOCTYPE or `<html>` is HTML.
fn sniff_document(bytes: &[u8]) -> Option<Kind> {
    if bytes.starts_with(b"PK\x03\x04") {
        // the name of the first entry, at byte 30 of its local header
        let name = bytes.get(30..bytes.len().min(60)).unwrap_or_default();
        if name.starts_with(b"mimetype") {
            return Some(Kind::Odt);
        }
        let ooxml = [
            &b"[Content_Types].xml"[..],
            b"_rels/",
            b"word/",
            b"docProps/",
        ];
        return ooxml
            .iter()
            .any(|p| name.starts_with(p))
            .then_some(Kind::Docx);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Some(Kind::Docx);
    }
    let text = Head::decode(&bytes[..bytes.len().min(1024)]).to_ascii_lowercase();
    let t = text.trim_start_matches('\u{FEFF}').trim_start();
    (t.starts_with("<!doctype html") || t.starts_with("<html")).then_some(Kind::Html)
}

/// Whether bytes start as gzip data does.
pub fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&GZIP_MAGIC)
}

/// The text of a document to segment or align, read by the reader of its
/// kind ([`Purpose::Document`]): plain text (UTF-8 or UTF-16), or the
/// paragraphs of a Word, OpenDocument or HTML document separated by blank
/// lines (soft line breaks as single line breaks), as a text file holds
/// them. An empty document is an error.
pub fn read_document(path: &Path) -> Result<String> {
    let kind = detect(path, None, Purpose::Document)?;
    if let Some(k) = kind.document() {
        return Ok(crate::document::read(path, k)?.text());
    }
    let text = read_text(path, Utf16::Decode)?;
    require_text(path, &text)?;
    crate::limits::check_runs(&display_path(path), &text, b"\n")?;
    Ok(text)
}

/// What the first bytes of a file show.
struct Head<'a> {
    /// The bytes up to the first line break.
    first_line: &'a [u8],
    /// Nothing but white space, NULs and byte-order marks.
    empty: bool,
    /// When the first character that is not white space is `<`: the kind
    /// its root element names, if it is one polytm reads.
    markup: Option<Option<Kind>>,
    bytes: &'a [u8],
    /// `bytes` are all the file's bytes (its last line is whole).
    whole: bool,
}

impl<'a> Head<'a> {
    fn of(all: &'a [u8]) -> Head<'a> {
        let bytes = &all[..all.len().min(LOOK)];
        // Skip white space, and the NULs and byte-order marks of UTF-16
        // and UTF-8 (the first character is ASCII in every format told).
        let first = bytes.iter().copied().find(|&b| {
            !b.is_ascii_whitespace() && !matches!(b, 0 | 0xEF | 0xBB | 0xBF | 0xFF | 0xFE)
        });
        let markup = (first == Some(b'<')).then(|| {
            let text = Head::decode(bytes);
            let root = root_element(&text).to_ascii_lowercase();
            ROOTS.iter().find(|(r, _)| *r == root).map(|&(_, k)| k)
        });
        Head {
            first_line: bytes.split(|&b| b == b'\n').next().unwrap_or(&[]),
            empty: first.is_none(),
            markup,
            bytes,
            whole: bytes.len() == all.len(),
        }
    }

    /// The bytes as text: UTF-16 decoded after its byte-order mark, other
    /// bytes read as UTF-8 with the NULs of UTF-16 without one dropped.
    fn decode(bytes: &[u8]) -> String {
        let utf16 = |le: bool| {
            let units: Vec<u16> = bytes[2..]
                .chunks_exact(2)
                .map(|c| {
                    if le {
                        u16::from_le_bytes([c[0], c[1]])
                    } else {
                        u16::from_be_bytes([c[0], c[1]])
                    }
                })
                .collect();
            String::from_utf16_lossy(&units)
        };
        match bytes {
            [0xFF, 0xFE, ..] => utf16(true),
            [0xFE, 0xFF, ..] => utf16(false),
            _ => {
                let kept: Vec<u8> = bytes.iter().copied().filter(|&b| b != 0).collect();
                String::from_utf8_lossy(&kept).into_owned()
            }
        }
    }

    /// The text, its last line left out when it may be cut.
    fn text(&self) -> String {
        let text = Head::decode(self.bytes);
        match text.rfind('\n') {
            Some(end) if !self.whole => text[..end].to_string(),
            _ => text,
        }
    }
}

/// The name of the first element of XML text (its local name, without a
/// prefix), past the declaration, processing instructions, comments and
/// the DOCTYPE; empty when the text ends first.
fn root_element(text: &str) -> &str {
    let mut rest = text.trim_start_matches('\u{FEFF}');
    loop {
        rest = rest.trim_start();
        let Some(tag) = rest.strip_prefix('<') else {
            return "";
        };
        let skip_to = |end: &str| tag.find(end).map(|i| &tag[i + end.len()..]);
        let next = if tag.starts_with('?') {
            skip_to("?>")
        } else if tag.starts_with("!--") {
            skip_to("-->")
        } else if tag.starts_with('!') {
            // A DOCTYPE, with its internal subset when it has one.
            match (tag.find('['), tag.find('>')) {
                (Some(open), Some(close)) if open < close => tag.find("]>").map(|i| &tag[i + 2..]),
                _ => skip_to(">"),
            }
        } else {
            let name_end = tag
                .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
                .unwrap_or(tag.len());
            let name = &tag[..name_end];
            return name.rsplit(':').next().unwrap_or(name);
        };
        match next {
            Some(n) => rest = n,
            None => return "",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    #[test]
    fn root_elements() {
        assert_eq!(
            root_element(
                "\u{FEFF}<?xml version=\"1.0\"?>\n<!-- c --><!DOCTYPE martif [<!ENTITY a \"b\">]>\n<martif type=\"TBX\">"
            ),
            "martif"
        );
        assert_eq!(root_element("<xlf:xliff version=\"2.0\">"), "xliff");
        assert_eq!(root_element("<tmx/>"), "tmx");
        assert_eq!(root_element("<!-- never closed"), "");
        assert_eq!(root_element("text"), "");
    }

    #[test]
    fn translation_memories() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let tm = |p: &Path| detect(p, None, Purpose::Tm);
        assert_eq!(tm(&write(d, "a.TMX", b"")).unwrap(), Kind::Tmx);
        assert_eq!(
            tm(&write(d, "noext", b"en\tru\na\t\xD0\xB1\n")).unwrap(),
            Kind::Tsv
        );
        assert_eq!(
            tm(&write(d, "x.xml", "\u{FEFF}  <tmx/>".as_bytes())).unwrap(),
            Kind::Tmx
        );
        // another XML goes to the TMX reader, which names its root
        assert_eq!(tm(&write(d, "x.xlf", b"<xliff/>")).unwrap(), Kind::Tmx);
        assert_eq!(tm(&write(d, "x.txt", b"en;ru\n")).unwrap(), Kind::Csv);
        let e = tm(&write(d, "x.dat", b"hello")).unwrap_err();
        assert!(e.to_string().ends_with(
            "x.dat: cannot tell its format (not TMX, no tab or comma in the first line); name it .tmx, .tsv or .csv, or pass --format"
        ));
        let e = tm(&write(d, "e.dat", b" \n")).unwrap_err();
        assert!(e.to_string().ends_with("e.dat: is empty"), "{e}");
        assert!(
            tm(Path::new("-"))
                .unwrap_err()
                .to_string()
                .contains("--format")
        );
        assert_eq!(
            detect(Path::new("-"), Some(Kind::Csv), Purpose::Tm).unwrap(),
            Kind::Csv
        );
        let e = detect(Path::new("a.tmx"), Some(Kind::Xliff), Purpose::Tm).unwrap_err();
        assert_eq!(
            e.to_string(),
            "a.tmx: a translation memory is read from TMX, TSV, CSV, not XLIFF"
        );
    }

    #[test]
    fn glossaries() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let g = |p: &Path| detect(p, None, Purpose::Glossary).unwrap();
        assert_eq!(g(Path::new("g.xml")), Kind::Tbx);
        assert_eq!(g(Path::new("g.txt")), Kind::Tsv);
        assert_eq!(g(Path::new("g.csv")), Kind::Csv);
        assert_eq!(g(Path::new("-")), Kind::Tsv);
        assert_eq!(g(&write(d, "g", b"<martif/>")), Kind::Tbx);
        assert_eq!(g(&write(d, "h", b"en\tru\n")), Kind::Tsv);
        // UTF-16 XML is XML
        let mut b = vec![0xFF, 0xFE];
        for u in "<tbx/>".encode_utf16() {
            b.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(g(&write(d, "u", &b)), Kind::Tbx);
        assert_eq!(g(&d.join("missing")), Kind::Tsv);
    }

    #[test]
    fn lexicons_documents_and_xliff() {
        let lex = |t: &str| detect_content("l", t.as_bytes(), Purpose::Lexicon).unwrap();
        assert_eq!(lex("# c\n學習 学习 [xue2 xi2] /to learn/\n"), Kind::Cedict);
        assert_eq!(lex("学习\tto learn\n"), Kind::Tsv);
        assert!(is_gzip(&[0x1f, 0x8b, 8]));
        let pre = |t: &str| detect_content("p", t.as_bytes(), Purpose::Pretranslate).unwrap();
        assert_eq!(
            pre("\u{FEFF}<?xml version=\"1.0\"?>\n<xliff version=\"1.2\">"),
            Kind::Xliff
        );
        assert_eq!(pre("The <xliff> format is ..."), Kind::Text);
        assert_eq!(pre("<tmx version=\"1.4\">"), Kind::Text);
        assert_eq!(
            by_extension(Path::new("job.SDLXLIFF"), Purpose::Pretranslate),
            Some(Kind::Xliff)
        );
        assert_eq!(
            detect(Path::new("a.tsv"), None, Purpose::Document).unwrap(),
            Kind::Text
        );
        assert_eq!(by_extension(Path::new("c.tsv"), Purpose::Lexicon), None);
    }

    #[test]
    fn files_to_check() {
        let qa = |t: &str| detect_content("q", t.as_bytes(), Purpose::Qa);
        assert_eq!(qa("<xliff version=\"2.0\">").unwrap(), Kind::Xliff);
        assert_eq!(qa("<?xml version=\"1.0\"?><tmx>").unwrap(), Kind::Tmx);
        assert_eq!(qa("en\tru\n").unwrap(), Kind::Tsv);
        assert_eq!(qa("A press release, in English.\n").unwrap(), Kind::Text);
        assert!(qa("  \n").unwrap_err().to_string().contains("is empty"));
        assert_eq!(
            by_extension(Path::new("r.en.txt"), Purpose::Qa),
            Some(Kind::Text)
        );
        assert_eq!(
            by_extension(Path::new("job.xlf"), Purpose::Qa),
            Some(Kind::Xliff)
        );
        assert!(Purpose::bilingual(Kind::Csv) && !Purpose::bilingual(Kind::Text));
    }
}

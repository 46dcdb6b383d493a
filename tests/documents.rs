//! Documents as they really come: `.docx`, `.odt` and `.html` read by
//! `segment`, `align` and `pretranslate`, written back by `pretranslate`
//! (`--format same`), and refused with one line when they are broken.
//!
//! The Word and OpenDocument fixtures are built here, entry by entry (a
//! few hundred bytes of XML each, so what they hold is in plain sight);
//! the HTML pages are in `tests/fixtures/documents/`. The TM is
//! `tests/fixtures/documents/tm.en-ru.tsv`.
//!
//! LibreOffice must open every document written back: those tests run
//! `soffice --headless --convert-to txt`. Where LibreOffice is missing that
//! check says `skipped: LibreOffice not found` on stderr (the rest of each
//! test runs), and fails when `POLYTM_REQUIRE_LIBREOFFICE=1` (CI).

mod common;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use zip::write::SimpleFileOptions;

use common::{fails, polytm, snapshot, stdout};

const FIX: &str = "documents";

fn fix(name: &str) -> PathBuf {
    common::fixture(&format!("{FIX}/{name}"))
}

/// A temporary folder with a database holding the fixture TM.
fn with_tm() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tm.db");
    polytm(&db)
        .arg("import")
        .arg(fix("tm.en-ru.tsv"))
        .assert()
        .success();
    (dir, db)
}

/// A zip of `entries` (name, bytes); the first is stored, as ODF wants
/// its `mimetype`.
fn zip_of(entries: &[(&str, &str)], store_first: bool) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (i, (name, text)) in entries.iter().enumerate() {
        let method = if i == 0 && store_first {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        w.start_file(
            *name,
            SimpleFileOptions::default().compression_method(method),
        )
        .unwrap();
        w.write_all(text.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// The text of a zip entry.
fn entry(zip_bytes: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes)).unwrap();
    let mut s = String::new();
    z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

const W: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\" xmlns:wps=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\" xmlns:v=\"urn:schemas-microsoft-com:vml\" mc:Ignorable=\"wps\"";

/// The body of the Word fixture: a heading, a paragraph whose bold run
/// crosses a sentence boundary and whose runs Word split mid-word, a
/// hyperlink, a complex field, a soft line break, a table cell, a list
/// item, a text box (with the fallback copy Word writes for old readers)
/// and a footnote reference.
fn docx_body() -> String {
    let t = |s: &str| format!("<w:r><w:t xml:space=\"preserve\">{s}</w:t></w:r>");
    let b =
        |s: &str| format!("<w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">{s}</w:t></w:r>");
    format!(
        "<w:p><w:pPr><w:pStyle w:val=\"Heading1\"/></w:pPr>{}</w:p>\
         <w:p>{}<w:r w:rsidR=\"00A1\"><w:t>Tash</w:t></w:r><w:proofErr w:type=\"spellStart\"/><w:r w:rsidR=\"00B2\"><w:t>kent</w:t></w:r>{}{}{}\
         <w:hyperlink r:id=\"rId9\"><w:r><w:rPr><w:rStyle w:val=\"Hyperlink\"/></w:rPr><w:t>drug trafficking</w:t></w:r></w:hyperlink>{}\
         <w:r><w:br/></w:r>{}\
         <w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> HYPERLINK \"http://x\" </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>{}<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>{}\
         <w:r><w:footnoteReference w:id=\"1\"/></w:r></w:p>\
         <w:tbl><w:tr><w:tc><w:p>{}</w:p></w:tc></w:tr></w:tbl>\
         <w:p><w:pPr><w:pStyle w:val=\"ListBullet\"/><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr>{}</w:p>\
         <w:p><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wps:txbx><w:txbxContent><w:p>{}</w:p></w:txbxContent></wps:txbx></w:drawing></mc:Choice>\
         <mc:Fallback><w:pict><v:textbox><w:txbxContent><w:p>{}</w:p></w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>\
         <w:sectPr><w:headerReference w:type=\"default\" r:id=\"rId7\"/></w:sectPr>",
        t("Annual report"),
        t("The committee met in "),
        t(" on 12 May. "),
        b("Delegates"),
        t(" discussed "),
        t(" routes."),
        t("Nothing matches this &amp; that sentence in the memory "),
        t("at all"),
        t("."),
        t("See the annex for details."),
        t("The next meeting will be held in 2022."),
        t("Boxed text appears once."),
        t("Boxed text appears once."),
    )
}

const HEADER: &str = "<w:hdr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:p><w:r><w:t>Site header is furniture.</w:t></w:r></w:p></w:hdr>";

fn docx() -> Vec<u8> {
    let doc = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document {W}><w:body>{}</w:body></w:document>",
        docx_body()
    );
    let notes = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<w:footnotes {W}><w:footnote w:type=\"separator\" w:id=\"-1\"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>\
         <w:footnote w:id=\"1\"><w:p><w:r><w:t>A footnote is read.</w:t></w:r></w:p></w:footnote></w:footnotes>"
    );
    zip_of(
        &[
            (
                "[Content_Types].xml",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
                 <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
                 <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
                 <Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
                 <Override PartName=\"/word/header1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>\
                 <Override PartName=\"/word/footnotes.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml\"/>\
                 </Types>",
            ),
            (
                "_rels/.rels",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
                 <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>",
            ),
            ("word/document.xml", &doc),
            (
                "word/_rels/document.xml.rels",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
                 <Relationship Id=\"rId7\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/header\" Target=\"header1.xml\"/>\
                 <Relationship Id=\"rId8\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes\" Target=\"footnotes.xml\"/>\
                 <Relationship Id=\"rId9\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink\" Target=\"http://example.org/routes\" TargetMode=\"External\"/></Relationships>",
            ),
            ("word/header1.xml", HEADER),
            ("word/footnotes.xml", &notes),
        ],
        false,
    )
}

const ODT_STYLES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-styles xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" xmlns:fo=\"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0\" office:version=\"1.2\">\
<office:styles/><office:automatic-styles><style:page-layout style:name=\"pm1\"/></office:automatic-styles>\
<office:master-styles><style:master-page style:name=\"Standard\" style:page-layout-name=\"pm1\"><style:header><text:p>Site header is furniture.</text:p></style:header></style:master-page></office:master-styles></office:document-styles>";

fn odt() -> Vec<u8> {
    let content = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" xmlns:fo=\"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" office:version=\"1.2\">\
<office:automatic-styles><style:style style:name=\"T1\" style:family=\"text\"><style:text-properties fo:font-weight=\"bold\"/></style:style></office:automatic-styles>\
<office:body><office:text><text:sequence-decls/>\
<text:h text:outline-level=\"1\">Annual report</text:h>\
<text:p>The committee met in Tashkent on 12 May. <text:span text:style-name=\"T1\">Delegates</text:span> discussed <text:a xlink:href=\"http://example.org/routes\">drug trafficking</text:a> routes.<text:line-break/>Nothing matches this &amp; that sentence<text:note text:note-class=\"footnote\"><text:note-citation>1</text:note-citation><text:note-body><text:p>A footnote is read.</text:p></text:note-body></text:note>.</text:p>\
<table:table><table:table-row><table:table-cell><text:p>See the annex for details.</text:p></table:table-cell></table:table-row></table:table>\
<text:list><text:list-item><text:p>The next meeting will be held in 2022.</text:p></text:list-item></text:list>\
</office:text></office:body></office:document-content>";
    zip_of(
        &[
            ("mimetype", "application/vnd.oasis.opendocument.text"),
            (
                "META-INF/manifest.xml",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\">\
                 <manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.text\"/>\
                 <manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>\
                 <manifest:file-entry manifest:full-path=\"styles.xml\" manifest:media-type=\"text/xml\"/></manifest:manifest>",
            ),
            ("content.xml", content),
            ("styles.xml", ODT_STYLES),
        ],
        true,
    )
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// The sentences `segment` reads, one a line, paragraphs apart.
fn segment(path: &Path) -> String {
    let dir = tempfile::tempdir().unwrap();
    stdout(
        polytm(&dir.path().join("x.db"))
            .args(["segment", "--lang", "en"])
            .arg(path),
    )
}

#[test]
fn docx_paragraphs_and_no_furniture() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "guide.en.docx", &docx());
    let s = segment(&p);
    assert_eq!(
        s,
        "Annual report\n\n\
         The committee met in Tashkent on 12 May.\n\
         Delegates discussed drug trafficking routes.\n\
         Nothing matches this & that sentence in the memory at all.\n\n\
         See the annex for details.\n\n\
         The next meeting will be held in 2022.\n\n\
         Boxed text appears once.\n\n\
         A footnote is read.\n"
    );
    assert!(!s.contains("furniture") && !s.contains("HYPERLINK"));
}

#[test]
fn odt_paragraphs_and_no_furniture() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "guide.en.odt", &odt());
    let s = segment(&p);
    assert_eq!(
        s,
        "Annual report\n\n\
         The committee met in Tashkent on 12 May.\n\
         Delegates discussed drug trafficking routes.\n\
         Nothing matches this & that sentence.\n\n\
         A footnote is read.\n\n\
         See the annex for details.\n\n\
         The next meeting will be held in 2022.\n"
    );
}

#[test]
fn html_main_content_only() {
    let s = segment(&fix("guide.en.html"));
    assert_eq!(
        s,
        "Annual report\n\n\
         The committee met in Tashkent on 12 May.\n\
         Delegates discussed drug trafficking routes.\n\
         Nothing in the memory matches this & that\u{a0}sentence.\n\n\
         The next meeting will be held in 2022.\n\n\
         See the annex for details.\n"
    );
    for furniture in [
        "Site name",
        "News",
        "Cookies",
        "Privacy",
        "not content",
        "Style",
    ] {
        assert!(!s.contains(furniture), "{furniture} read");
    }
}

/// Pre-translate a document into `dir/out/`; the output's bytes.
fn pretranslate(db: &Path, input: &Path, out: &Path, extra: &[&str]) -> Vec<u8> {
    polytm(db)
        .args([
            "pretranslate",
            "--from",
            "en",
            "--to",
            "ru",
            "--report",
            "none",
        ])
        .args(extra)
        .arg("-o")
        .arg(out)
        .arg(input)
        .assert()
        .success();
    std::fs::read(out).unwrap()
}

#[test]
fn docx_written_back_keeps_runs_styles_and_other_parts() {
    let (dir, db) = with_tm();
    let input = write(dir.path(), "guide.en.docx", &docx());
    // -o a folder: the name is NAME.LANG.EXT, the source language dropped
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    polytm(&db)
        .args([
            "pretranslate",
            "--from",
            "en",
            "--to",
            "ru",
            "--report",
            "none",
            "-o",
        ])
        .arg(&out_dir)
        .arg(&input)
        .assert()
        .success();
    let out = std::fs::read(out_dir.join("guide.ru.docx")).unwrap();
    let before = entry(&docx(), "word/document.xml");
    let after = entry(&out, "word/document.xml");
    // translated in place: the heading, the first sentence (which Word
    // split into three runs) in its first run, the others emptied
    assert!(
        after.contains("<w:t xml:space=\"preserve\">Годовой отчёт</w:t>"),
        "{after}"
    );
    assert!(
        after.contains("<w:t xml:space=\"preserve\">Комитет собрался в Ташкенте 12 мая.</w:t></w:r><w:r w:rsidR=\"00A1\"><w:t></w:t></w:r><w:proofErr w:type=\"spellStart\"/><w:r w:rsidR=\"00B2\"><w:t></w:t></w:r>"),
        "{after}"
    );
    // the sentence that starts in bold keeps the bold run, translation in it
    assert!(
        after.contains("<w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">Делегаты обсудили маршруты наркотрафика.</w:t></w:r>"),
        "{after}"
    );
    // the hyperlink and its style are still there
    assert!(after.contains(
        "<w:hyperlink r:id=\"rId9\"><w:r><w:rPr><w:rStyle w:val=\"Hyperlink\"/></w:rPr>"
    ));
    // the sentence without a match is as it was, its markup too
    let unmatched = "<w:t xml:space=\"preserve\">Nothing matches this &amp; that sentence in the memory </w:t></w:r><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> HYPERLINK \"http://x\" </w:instrText>";
    assert!(before.contains(unmatched) && after.contains(unmatched));
    assert!(
        after.contains("Подробности см. в приложении.")
            && after.contains("Следующее совещание состоится в 2022 году.")
    );
    // everything outside the translated sentences is byte-identical
    let strip = |s: &str| -> usize { s.matches('<').count() };
    assert_eq!(strip(&before), strip(&after), "no element added or dropped");
    for part in [
        "word/header1.xml",
        "word/_rels/document.xml.rels",
        "[Content_Types].xml",
        "word/footnotes.xml",
    ] {
        assert_eq!(entry(&docx(), part), entry(&out, part), "{part} changed");
    }
    libreoffice_reads(
        &out_dir.join("guide.ru.docx"),
        &["Годовой отчёт", "Делегаты обсудили", "Nothing matches"],
    );
}

#[test]
fn odt_written_back_keeps_spans_and_styles() {
    let (dir, db) = with_tm();
    let input = write(dir.path(), "guide.en.odt", &odt());
    let out_path = dir.path().join("guide.ru.odt");
    let out = pretranslate(&db, &input, &out_path, &[]);
    let after = entry(&out, "content.xml");
    assert!(
        after.contains("<text:h text:outline-level=\"1\">Годовой отчёт</text:h>"),
        "{after}"
    );
    assert!(after.contains("<text:p>Комитет собрался в Ташкенте 12 мая. <text:span text:style-name=\"T1\">Делегаты обсудили маршруты наркотрафика.</text:span><text:a xlink:href=\"http://example.org/routes\"></text:a><text:line-break/>"), "{after}");
    assert!(after.contains("Nothing matches this &amp; that sentence<text:note"));
    assert_eq!(entry(&out, "styles.xml"), ODT_STYLES);
    // the mimetype entry is still first and stored
    let z = zip::ZipArchive::new(std::io::Cursor::new(&out)).unwrap();
    assert_eq!(z.name_for_index(0).unwrap().unwrap(), "mimetype");
    libreoffice_reads(
        &out_path,
        &["Годовой отчёт", "Подробности см. в приложении."],
    );
}

#[test]
fn html_written_back_in_place_with_lang() {
    let (dir, db) = with_tm();
    let out_path = dir.path().join("guide.ru.html");
    let out = String::from_utf8(pretranslate(&db, &fix("guide.en.html"), &out_path, &[])).unwrap();
    let before = std::fs::read_to_string(fix("guide.en.html")).unwrap();
    assert!(out.contains("<html lang=\"ru\" class=\"no-js\">"));
    assert!(
        out.contains("<header><h1>Годовой отчёт</h1></header>"),
        "{out}"
    );
    assert!(out.contains("<p>Комитет собрался в Ташкенте 12 мая.<b></b>\n   Делегаты обсудили маршруты наркотрафика.<a href=\"/routes\"></a><br>\nNothing in the memory"), "{out}");
    // furniture, head and scripts byte for byte
    let head = |s: &str| s[s.find("<head>").unwrap()..s.find("<main>").unwrap()].to_string();
    assert_eq!(head(&before), head(&out));
    let tail = |s: &str| s[s.find("<!-- ad slot -->").unwrap()..].to_string();
    assert_eq!(tail(&before), tail(&out));
    libreoffice_reads(
        &out_path,
        &["Годовой отчёт", "Подробности см. в приложении."],
    );
}

#[test]
fn legacy_encodings_are_read_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tm.db");
    polytm(&db)
        .args(["import"])
        .arg(write(
            dir.path(),
            "ru-en.tsv",
            "ru\ten\nГодовой отчёт\tAnnual report 中文\n".as_bytes(),
        ))
        .assert()
        .success();
    let s = stdout(
        polytm(&db)
            .args(["segment", "--lang", "ru"])
            .arg(fix("report.ru.html")),
    );
    assert_eq!(
        s,
        "Годовой отчёт\n\nКомитет собрался в Ташкенте 12 мая.\nДелегаты обсудили маршруты наркотрафика — ½.\n"
    );
    let out = dir.path().join("report.en.html");
    polytm(&db)
        .args([
            "pretranslate",
            "--from",
            "ru",
            "--to",
            "en",
            "--report",
            "none",
            "-o",
        ])
        .arg(&out)
        .arg(fix("report.ru.html"))
        .assert()
        .success();
    let bytes = std::fs::read(&out).unwrap();
    let input = std::fs::read(fix("report.ru.html")).unwrap();
    // still windows-1251, as declared; what it lacks as references
    let text: String = bytes.iter().map(|&b| b as char).collect();
    assert!(
        text.contains("<h1>Annual report &#20013;&#25991;</h1>"),
        "{text}"
    );
    assert!(text.contains("charset=windows-1251"));
    let tail = |b: &[u8]| b[b.windows(4).position(|w| w == b"</h1").unwrap()..].to_vec();
    assert_eq!(tail(&input), tail(&bytes));
}

#[test]
fn xliff_from_a_docx_carries_runs_as_codes() {
    let (dir, db) = with_tm();
    let input = write(dir.path(), "guide.en.docx", &docx());
    let out = dir.path().join("guide.ru.xlf");
    let x = String::from_utf8(pretranslate(&db, &input, &out, &["--format", "xliff"])).unwrap();
    assert!(x.contains("datatype=\"x-docx\""));
    // the bold run and the hyperlink are <g>
    assert!(x.contains("<source xml:lang=\"en\"><g id=\"1\">Delegates</g> discussed <g id=\"2\">drug trafficking</g> routes.</source>"), "{x}");
    // targets keep every code; a plain TM translation goes where the
    // sentence's first run is, as the document written back has it
    assert!(x.contains("<target xml:lang=\"ru\" state=\"needs-review-translation\" state-qualifier=\"fuzzy-match\"><g id=\"1\">Делегаты обсудили маршруты наркотрафика.</g><g id=\"2\"></g></target>"), "{x}");
}

#[test]
fn aligning_documents_equals_aligning_their_text() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tm.db");
    let en = write(dir.path(), "g.en.docx", &docx());
    let text_en = segment(&en);
    let ru_txt = "Годовой отчёт\n\nКомитет собрался в Ташкенте 12 мая. Делегаты обсудили маршруты наркотрафика. Ничто не совпадает.\n\nПодробности см. в приложении.\n\nСледующее совещание состоится в 2022 году.\n\nТекст в рамке.\n\nСноска читается.\n";
    let ru = write(dir.path(), "g.ru.txt", ru_txt.as_bytes());
    let en_txt = write(dir.path(), "g2.en.txt", text_en.as_bytes());
    let beads = |a: &Path| {
        stdout(
            polytm(&db)
                .args([
                    "align",
                    "--langs",
                    "en,ru",
                    "--no-store",
                    "--format",
                    "beads",
                ])
                .arg(a)
                .arg(&ru),
        )
    };
    assert_eq!(beads(&en), beads(&en_txt));
}

#[test]
fn broken_documents_get_one_line_and_change_nothing() {
    let (dir, db) = with_tm();
    let before = snapshot(&db);
    let d = dir.path();
    let mut no_doc = docx();
    // a zip with every part but word/document.xml
    {
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(no_doc.clone())).unwrap();
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for i in 0..z.len() {
            let f = z.by_index_raw(i).unwrap();
            if f.name().unwrap() != "word/document.xml" {
                w.raw_copy_file(f).unwrap();
            }
        }
        no_doc = w.finish().unwrap().into_inner();
    }
    let mut cfb = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    cfb.resize(2048, 0);
    let mut encrypted = cfb.clone();
    encrypted.extend(
        "EncryptedPackage"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes()),
    );
    let cases: Vec<(PathBuf, &str)> = vec![
        (
            write(
                d,
                "page.en.docx",
                b"<html><body>403 Forbidden</body></html>",
            ),
            "not a zip archive (it looks like an HTML page)",
        ),
        (
            write(d, "cut.en.docx", &docx()[..300]),
            "not a complete zip archive",
        ),
        (
            write(d, "nodoc.en.docx", &no_doc),
            "the zip has no word/document.xml",
        ),
        (
            write(d, "old.en.doc", &cfb),
            "soffice --headless --convert-to docx",
        ),
        (write(d, "locked.en.docx", &encrypted), "password-protected"),
        (
            fix("lying.ru.html"),
            "declares the encoding windows-1251 but its text is UTF-8",
        ),
    ];
    for (file, msg) in cases {
        let from = if file.to_string_lossy().contains(".ru.") {
            "ru"
        } else {
            "en"
        };
        let to = if from == "ru" { "en" } else { "ru" };
        let out = d.join("out");
        let (code, err) = fails(
            polytm(&db)
                .args(["pretranslate", "--from", from, "--to", to, "-o"])
                .arg(&out)
                .arg(&file),
        );
        assert_eq!(code, 3, "{err}");
        assert!(err.contains(msg), "{}: {err}", file.display());
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(!out.exists());
        let other = fix("guide.en.html");
        let (code, err) = fails(
            polytm(&db)
                .args(["align", "--langs", &format!("{from},{to}")])
                .arg(&file)
                .arg(&other),
        );
        assert_eq!(code, 3, "{err}");
        assert!(err.contains(msg), "{err}");
    }
    assert_eq!(snapshot(&db), before);
    assert_eq!(
        std::fs::read_dir(d)
            .unwrap()
            .filter(|e| e
                .as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with(".polytm"))
            .count(),
        0
    );
}

/// A page whose own markup is broken (an attribute never closed before a
/// second DOCTYPE and a charset declaration: found by the fuzzer) reads,
/// but written back it would not read again: refused, nothing written.
#[test]
fn a_document_that_would_not_read_back_is_refused() {
    let (dir, db) = with_tm();
    let out = dir.path().join("out");
    let (code, err) = fails(
        polytm(&db)
            .args(["pretranslate", "--from", "en", "--to", "ru", "-o"])
            .arg(&out)
            .arg(fix("broken-lang.en.html")),
    );
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("broken-lang.en.html"), "{err}");
    assert!(err.contains("cannot be written back safely"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(!out.exists());
}

/// LibreOffice opens the file: its text export holds each of `expect`.
fn libreoffice_reads(file: &Path, expect: &[&str]) {
    let soffice = ["soffice", "libreoffice"].into_iter().find(|s| {
        std::process::Command::new(s)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    let Some(soffice) = soffice else {
        let msg =
            "LibreOffice (soffice) not found (Debian: apt-get install libreoffice-writer-nogui)";
        if std::env::var("POLYTM_REQUIRE_LIBREOFFICE").is_ok_and(|v| !matches!(v.trim(), "" | "0"))
        {
            panic!("{msg}, and POLYTM_REQUIRE_LIBREOFFICE is set");
        }
        // past the test harness's capture: a skip is seen in every run
        use std::io::Write as _;
        let _ = writeln!(
            std::io::stderr(),
            "skipped: {msg}: {} not checked (POLYTM_REQUIRE_LIBREOFFICE=1 makes this a failure)",
            file.display()
        );
        return;
    };
    let out = tempfile::tempdir().unwrap();
    let profile = tempfile::tempdir().unwrap();
    let filter = "txt:Text (encoded):UTF8";
    let mut cmd = std::process::Command::new(soffice);
    if file.extension().is_some_and(|e| e == "html") {
        // open a page as a Writer document, not a web page
        cmd.arg("--infilter=HTML (StarWriter)");
    }
    let status = cmd
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.path().display()
        ))
        .args(["--headless", "--convert-to", filter, "--outdir"])
        .arg(out.path())
        .arg(file)
        .output()
        .unwrap();
    let txt = out.path().join(format!(
        "{}.txt",
        file.file_stem().unwrap().to_string_lossy()
    ));
    let text = std::fs::read_to_string(&txt).unwrap_or_else(|_| {
        panic!(
            "LibreOffice did not convert {}: {}",
            file.display(),
            String::from_utf8_lossy(&status.stderr)
        )
    });
    for e in expect {
        assert!(
            text.contains(e),
            "LibreOffice's text of {} lacks {e:?}:\n{text}",
            file.display()
        );
    }
}

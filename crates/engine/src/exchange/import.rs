//! Importing a translation memory file (TMX, TSV, CSV) into the store.
//!
//! One file is one document (origin `imported`, named after the file unless
//! a name is given) and one batch, written in one transaction: a file that
//! fails leaves the store as it was.
//!
//! The file is parsed on a second thread while the first writes units
//! through the store's unit sink; the two are joined by a bounded channel
//! of unit batches, so memory stays bounded whatever the size of the file.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, SyncSender, channel, sync_channel};

use serde::Serialize;

use super::{PROP_CONFIDENCE, PROP_REVIEWED, UnitProps, VariantProps};
use polytm_core::error::{Error, Result, display_path};
use polytm_core::{Count, Progress};
use polytm_formats::registry::{self, Kind, Purpose};
use polytm_formats::table::Delim;
use polytm_formats::tm_tsv::TmTable;
use polytm_formats::tmx::{SrcLang, TmxError, TmxReader, TmxUnit};
use polytm_formats::xml_source;
use polytm_store::{
    Database, NewDocument, NewUnit, NewVariant, OnDuplicate, Origin, WriteStats, Writer,
};
use polytm_text::lang::Lang;

/// Units per message from the parsing thread.
const CHUNK: usize = 2048;
/// Warnings printed with their position; the rest are counted.
const SHOWN_WARNINGS: usize = 5;

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    pub on_duplicate: OnDuplicate,
    /// Document name; the file name when `None`.
    pub doc: Option<String>,
    /// TMX, TSV or CSV; else told by [`registry::detect`].
    pub format: Option<Kind>,
}

/// What an import did.
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub file: String,
    pub format: Kind,
    /// The encoding the file was written in.
    pub encoding: String,
    pub document: String,
    /// The document existed (this import added to it).
    pub existing_document: bool,
    /// `None` when nothing was written.
    pub batch: Option<i64>,
    /// Units read from the file.
    pub read: usize,
    #[serde(flatten)]
    pub stats: WriteStats,
    /// Units with fewer than two languages (after empty segments are
    /// dropped): not imported.
    pub left_out: usize,
    /// Problems that did not stop the import, with their position.
    pub warnings: Vec<String>,
    /// Further warnings not listed.
    pub more_warnings: usize,
    /// Language tags of the imported units, as the file wrote them.
    pub langs: Vec<String>,
}

enum Msg {
    Started {
        bytes: Arc<AtomicU64>,
        len: Option<u64>,
        encoding: String,
    },
    Units(Vec<NewUnit>),
    Warning(String),
    Done {
        left_out: usize,
        more_warnings: usize,
    },
}

/// The name a file's document gets: its file name.
pub fn document_name(path: &Path) -> String {
    if path.as_os_str() == "-" {
        return "<stdin>".to_string();
    }
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| display_path(path))
}

/// Import one file in one transaction.
pub fn import_file(
    db: &dyn Database,
    path: &Path,
    opts: &ImportOptions,
    progress: &dyn Progress,
) -> Result<ImportReport> {
    let format = registry::detect(path, opts.format, Purpose::Tm)?;
    if path.as_os_str() != "-" && path.is_dir() {
        return Err(Error::Io {
            file: display_path(path),
            msg: "is a folder, not a file".into(),
        });
    }
    let doc = opts.doc.clone().unwrap_or_else(|| document_name(path));
    std::thread::scope(|s| {
        let (tx, rx) = sync_channel::<Result<Msg>>(4);
        // Written batches go back to be freed where they were allocated
        // (freeing on another thread is slow with the system allocator).
        let (back_tx, back_rx) = channel::<Vec<NewUnit>>();
        let parser = s.spawn(move || {
            let out = Out {
                tx,
                back: back_rx,
                spare: Default::default(),
            };
            match format {
                Kind::Tmx => parse_tmx(path, &out),
                // TSV or CSV: the kinds a translation memory is read from
                _ => parse_table(path, format, &out),
            }
        });
        let result = write_units(
            db,
            rx,
            back_tx,
            path,
            format,
            &doc,
            opts.on_duplicate,
            progress,
        );
        if parser.join().is_err() && result.is_ok() {
            return Err(Error::other("internal error: the file reader stopped"));
        }
        result
    })
}

#[allow(clippy::too_many_arguments)]
fn write_units(
    db: &dyn Database,
    rx: Receiver<Result<Msg>>,
    back: Sender<Vec<NewUnit>>,
    path: &Path,
    format: Kind,
    doc: &str,
    policy: OnDuplicate,
    progress: &dyn Progress,
) -> Result<ImportReport> {
    let file = display_path(path);
    let mut tx = db.writer()?;
    let batch = tx.new_batch("import", &file)?;
    let (doc_id, existing, mut position, mut langs) = document(tx.as_mut(), doc, batch)?;
    let mut report = ImportReport {
        file: file.clone(),
        format,
        encoding: "UTF-8".into(),
        document: doc.to_string(),
        existing_document: existing,
        batch: None,
        read: 0,
        stats: WriteStats::default(),
        left_out: 0,
        warnings: Vec::new(),
        more_warnings: 0,
        langs: Vec::new(),
    };
    let mut w = tx.units(batch, policy)?;
    progress.step("importing", None, Count::Items);
    let mut bytes = Arc::new(AtomicU64::new(0));
    let mut done = false;
    // source languages of the units: their index files are made at once
    let mut sources: Vec<Lang> = Vec::new();
    for msg in rx.iter() {
        progress.check()?;
        match msg? {
            Msg::Started {
                bytes: b,
                len,
                encoding,
            } => {
                match len {
                    Some(n) => progress.step("importing", Some(n), Count::Bytes),
                    None => progress.step("importing", None, Count::Items),
                }
                bytes = b;
                report.encoding = encoding;
            }
            Msg::Units(mut units) => {
                for u in units.iter_mut() {
                    if let Some(l) = &u.src_lang
                        && !sources.contains(l)
                    {
                        sources.push(l.clone());
                    }
                    u.document_id = Some(doc_id);
                    u.position = Some(position);
                    position += 1;
                    for v in &u.variants {
                        if !langs.iter().any(|t| t == &v.tag.tag) {
                            langs.push(v.tag.tag.clone());
                        }
                        if !report.langs.iter().any(|t| t == &v.tag.tag) {
                            report.langs.push(v.tag.tag.clone());
                        }
                    }
                    w.add(u)?;
                    report.read += 1;
                }
                let n = units.len() as u64;
                // Freed by the parsing thread (or here if it has finished).
                let _ = back.send(units);
                match bytes.load(Ordering::Relaxed) {
                    0 => progress.advance(n),
                    b => progress.set_done(b),
                }
            }
            Msg::Warning(s) => report.warnings.push(s),
            Msg::Done {
                left_out,
                more_warnings,
            } => {
                report.left_out = left_out;
                report.read += left_out;
                report.more_warnings = more_warnings;
                done = true;
            }
        }
    }
    progress.finish();
    if !done {
        return Err(Error::other(format!(
            "{file}: internal error: the file reader stopped early"
        )));
    }
    // Indexing what was written and committing take a while on a large
    // file: say so.
    progress.step("indexing and saving", None, Count::Items);
    report.stats = w.finish()?;
    if report.stats.added + report.stats.overwritten == 0 {
        // Nothing new: leave no empty batch or document behind.
        drop(tx);
        progress.finish();
        return Ok(report);
    }
    tx.set_document_langs(doc_id, &langs)?;
    tx.commit()?;
    progress.step("indexing", None, Count::Items);
    crate::index::refresh(db, &sources, progress)?;
    progress.finish();
    report.batch = Some(batch);
    Ok(report)
}

/// Find or create the document: (id, existed, next position, its languages).
fn document(tx: &mut dyn Writer, name: &str, batch: i64) -> Result<(i64, bool, i64, Vec<String>)> {
    if let Some(d) = tx.document(name)? {
        if d.origin != "imported" {
            return Err(Error::other(format!(
                "a document named '{name}' already exists ({}); import under another name with --doc NAME",
                d.origin
            )));
        }
        let next = d.last_position.map_or(0, |p| p + 1);
        return Ok((d.id, true, next, d.langs));
    }
    let id = tx.add_document(&NewDocument {
        name: name.to_string(),
        langs: Vec::new(),
        origin: "imported".into(),
        batch: Some(batch),
    })?;
    Ok((id, false, 0, Vec::new()))
}

/// Where the parsing thread sends what it read, and gets written batches
/// back to free.
struct Out {
    tx: SyncSender<Result<Msg>>,
    back: Receiver<Vec<NewUnit>>,
    /// Emptied batches, for reuse (a batch is too large for the
    /// allocator to keep: a fresh one costs page faults).
    spare: std::cell::RefCell<Vec<Vec<NewUnit>>>,
}

impl Out {
    /// Send a message; false when the writer has stopped.
    fn send(&self, msg: Result<Msg>) -> bool {
        while let Ok(mut done) = self.back.try_recv() {
            done.clear();
            let mut spare = self.spare.borrow_mut();
            if spare.len() < 2 {
                spare.push(done);
            }
        }
        self.tx.send(msg).is_ok()
    }

    /// An empty batch.
    fn batch(&self) -> Vec<NewUnit> {
        self.spare
            .borrow_mut()
            .pop()
            .unwrap_or_else(|| Vec::with_capacity(CHUNK))
    }
}

/// Collects warnings: the first few with their position, the rest counted.
struct Warnings<'a> {
    tx: &'a Out,
    shown: usize,
    more: usize,
}

impl Warnings<'_> {
    fn add(&mut self, msg: impl FnOnce() -> String) {
        if self.shown < SHOWN_WARNINGS {
            self.shown += 1;
            self.tx.send(Ok(Msg::Warning(msg())));
        } else {
            self.more += 1;
        }
    }
}

/// A TMX reading error as an error naming the file and the line and
/// column of the offset.
pub fn tmx_fault(path: &Path, e: TmxError) -> Error {
    match e {
        TmxError::At { offset, msg } => Error::input(
            display_path(path),
            Some(xml_source::locate(path, offset)),
            msg,
        ),
        TmxError::Io(e) => Error::io(path, e),
    }
}

fn parse_tmx(path: &Path, tx: &Out) {
    let file = display_path(path);
    let fail = |e: TmxError| tmx_fault(path, e);
    let src = match xml_source::open(path) {
        Ok(s) => s,
        Err(e) => {
            tx.send(Err(e));
            return;
        }
    };
    if !tx.send(Ok(Msg::Started {
        bytes: src.bytes_read.clone(),
        len: src.len,
        encoding: src.encoding.to_string(),
    })) {
        return;
    }
    let mut reader = TmxReader::new(src.reader);
    let mut warnings = Warnings {
        tx,
        shown: 0,
        more: 0,
    };
    let mut left_out = 0;
    let mut chunk = Vec::with_capacity(CHUNK);
    loop {
        let unit = match reader.next_unit() {
            Ok(Some(u)) => u,
            Ok(None) => break,
            Err(e) => {
                tx.send(Err(fail(e)));
                return;
            }
        };
        match tmx_unit(unit, &mut |offset, msg| {
            warnings.add(|| format!("{file}:{}: {msg}", xml_source::locate(path, offset)))
        }) {
            Some(u) => chunk.push(u),
            None => left_out += 1,
        }
        if chunk.len() == CHUNK
            && !tx.send(Ok(Msg::Units(std::mem::replace(&mut chunk, tx.batch()))))
        {
            return;
        }
    }
    if !chunk.is_empty() && !tx.send(Ok(Msg::Units(chunk))) {
        return;
    }
    tx.send(Ok(Msg::Done {
        left_out,
        more_warnings: warnings.more,
    }));
}

/// A `<tu>` as a unit to write; `None` when it has fewer than two languages
/// with text.
pub fn tmx_unit(u: TmxUnit, warn: &mut dyn FnMut(u64, String)) -> Option<NewUnit> {
    let mut props = UnitProps {
        attrs: u.attrs,
        meta: u.meta,
        tuv: Default::default(),
    };
    let mut variants: Vec<NewVariant> = Vec::with_capacity(u.variants.len());
    for v in u.variants {
        let text = v.seg.plain.as_deref().unwrap_or(&v.seg.text);
        if text.trim().is_empty() {
            continue;
        }
        if let Some(first) = variants.iter().find(|k| k.tag.lang == v.tag.lang) {
            warn(
                v.offset,
                format!(
                    "a second variant in the same language ({} after {}) in one <tu>; it is left out",
                    v.tag.tag, first.tag.tag
                ),
            );
            continue;
        }
        let vp = VariantProps {
            attrs: v.attrs,
            meta: v.meta,
        };
        if !vp.is_empty() {
            props.tuv.insert(v.tag.lang.as_str().to_string(), vp);
        }
        variants.push(NewVariant {
            tag: v.tag,
            text: v.seg.text,
            plain: v.seg.plain,
        });
    }
    if variants.len() < 2 {
        return None;
    }
    let src_lang: Option<Lang> = match &u.srclang {
        SrcLang::Tag(t) if variants.iter().any(|v| v.tag.lang == t.lang) => Some(t.lang.clone()),
        _ => None,
    };
    // optional metadata: a confidence that is not a number is not kept
    let confidence = props
        .prop(PROP_CONFIDENCE)
        .and_then(|c| c.trim().parse::<f64>().ok())
        .filter(|c| (0.0..=1.0).contains(c));
    let mut unit = NewUnit::new(Origin::Imported, variants);
    unit.src_lang = src_lang;
    unit.tuid = u.tuid;
    unit.confidence = confidence;
    unit.reviewed = props
        .prop(PROP_REVIEWED)
        .is_some_and(|v| matches!(v.trim(), "yes" | "true" | "1"));
    unit.created_at = u.created;
    unit.changed_at = u.changed;
    unit.props = props.to_json();
    Some(unit)
}

fn parse_table(path: &Path, format: Kind, tx: &Out) {
    let mut table = match TmTable::open(path, Delim::of(format)) {
        Ok(t) => t,
        Err(e) => {
            tx.send(Err(e));
            return;
        }
    };
    let bytes = Arc::new(AtomicU64::new(table.bytes_read()));
    // the size only scales the progress bar; reading reports real errors
    let len = std::fs::metadata(path).ok().map(|m| m.len());
    if !tx.send(Ok(Msg::Started {
        bytes: bytes.clone(),
        len: if path.as_os_str() == "-" { None } else { len },
        encoding: "UTF-8".into(),
    })) {
        return;
    }
    let file = display_path(path);
    let mut warnings = Warnings {
        tx,
        shown: 0,
        more: 0,
    };
    let mut left_out = 0;
    let mut chunk = Vec::with_capacity(CHUNK);
    loop {
        let row = match table.next_unit() {
            Ok(Some(r)) => r,
            Ok(None) => break,
            Err(e) => {
                tx.send(Err(e));
                return;
            }
        };
        match row {
            Err(problem) => {
                warnings.add(|| format!("{file}:{}: {}", problem.pos, problem.msg));
                left_out += 1;
            }
            Ok(t) if t.variants.len() < 2 => left_out += 1,
            Ok(t) => {
                let variants = t
                    .variants
                    .into_iter()
                    .map(|(tag, text)| NewVariant::new(tag, text))
                    .collect();
                let mut u = NewUnit::new(Origin::Imported, variants);
                u.src_lang = t.src.map(|s| s.lang);
                u.tuid = t.tuid;
                u.props = UnitProps {
                    meta: t.meta,
                    ..Default::default()
                }
                .to_json();
                chunk.push(u);
            }
        }
        if chunk.len() == CHUNK {
            bytes.store(table.bytes_read(), Ordering::Relaxed);
            if !tx.send(Ok(Msg::Units(std::mem::replace(&mut chunk, tx.batch())))) {
                return;
            }
        }
    }
    bytes.store(table.bytes_read(), Ordering::Relaxed);
    if !chunk.is_empty() && !tx.send(Ok(Msg::Units(chunk))) {
        return;
    }
    tx.send(Ok(Msg::Done {
        left_out,
        more_warnings: warnings.more,
    }));
}

#[cfg(test)]
mod tests {
    use super::*;
    use polytm_core::Quiet;
    use polytm_sqlite::SqliteDb;

    fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    fn import(db: &SqliteDb, p: &Path, opts: &ImportOptions) -> Result<ImportReport> {
        import_file(db, p, opts, &Quiet)
    }

    const TMX: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="en" creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" datatype="plaintext"/>
<body>
<tu tuid="a1" creationdate="20180612T101500Z"><prop type="x-polytm-confidence">0.75</prop>
  <tuv xml:lang="en-US"><seg>Hello</seg></tuv><tuv xml:lang="ru"><seg>Привет</seg></tuv><tuv xml:lang="en-GB"><seg>Hullo</seg></tuv></tu>
<tu><tuv xml:lang="en"><seg>Only one</seg></tuv><tuv xml:lang="ru"><seg> </seg></tuv></tu>
<tu><tuv xml:lang="en"><seg>Bye</seg></tuv><tuv xml:lang="zh-CN"><seg>再见</seg></tuv></tu>
</body></tmx>"#;

    #[test]
    fn tmx_import_writes_one_document_and_batch() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(dir.path(), "t.tmx", TMX);
        let s = SqliteDb::in_memory().unwrap();
        let r = import(&s, &p, &ImportOptions::default()).unwrap();
        assert_eq!((r.read, r.stats.added, r.left_out), (3, 2, 1));
        assert_eq!(r.warnings.len(), 1);
        assert!(
            r.warnings[0].contains("t.tmx:5:89: a second variant"),
            "{}",
            r.warnings[0]
        );
        assert_eq!(r.langs, ["en-US", "ru", "en", "zh-CN"]);
        assert_eq!(r.document, "t.tmx");
        let rd = s.reader().unwrap();
        let docs = rd.documents().unwrap();
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].langs, ["en-US", "ru", "en", "zh-CN"]);
        let first = rd.units_of_document(docs[0].id).unwrap()[0];
        let u = rd.unit(first).unwrap().unwrap();
        assert_eq!(
            (
                u.tuid.as_deref(),
                u.confidence,
                u.created_at.as_str(),
                u.src_lang.as_deref(),
                u.position
            ),
            (
                Some("a1"),
                Some(0.75),
                "2018-06-12T10:15:00Z",
                Some("en"),
                Some(0)
            )
        );
        drop(rd);
        // again: all duplicates, nothing written, no empty batch left behind
        let r = import(&s, &p, &ImportOptions::default()).unwrap();
        assert_eq!((r.stats.added, r.stats.skipped, r.batch), (0, 2, None));
        assert_eq!(s.reader().unwrap().stats().unwrap().batches, 1);
        // keep: added to the same document, positions continue
        let opts = ImportOptions {
            on_duplicate: OnDuplicate::Keep,
            ..Default::default()
        };
        let r = import(&s, &p, &opts).unwrap();
        assert!(r.existing_document);
        let docs = s.reader().unwrap().documents().unwrap();
        assert_eq!(docs[0].last_position, Some(3));
    }

    #[test]
    fn failed_file_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let cut = &TMX[..TMX.len() - 30];
        let p = write(dir.path(), "cut.tmx", cut);
        let s = SqliteDb::in_memory().unwrap();
        let e = import(&s, &p, &ImportOptions::default()).unwrap_err();
        assert!(
            e.to_string().starts_with("cut.tmx:") || e.to_string().contains("cut.tmx:"),
            "{e}"
        );
        assert!(e.to_string().contains("truncated"), "{e}");
        let st = s.reader().unwrap().stats().unwrap();
        assert_eq!((st.units, st.batches, st.documents), (0, 0, 0));
    }

    #[test]
    fn table_import_and_format_detection() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(dir.path(), "g.csv", "en;ru;note\nSCO;ШОС;official\none;;\n");
        let s = SqliteDb::in_memory().unwrap();
        let r = import(&s, &p, &ImportOptions::default()).unwrap();
        assert_eq!((r.stats.added, r.left_out), (1, 1));
        let rd = s.reader().unwrap();
        let id = rd.units_of_batch(r.batch.unwrap()).unwrap()[0];
        let props = rd.unit(id).unwrap().unwrap().props.unwrap();
        assert!(props.contains("official"));
        drop(rd);
        let p2 = write(dir.path(), "noext", "en\tru\na\tб\n");
        let r = import(&s, &p2, &ImportOptions::default()).unwrap();
        assert_eq!((r.format, r.stats.added), (Kind::Tsv, 1));
    }
}

//! The endpoints of `polytm serve`. Each answers the JSON of the command
//! line's `--json` (through [`crate::json`]), or `{"error": "..."}` with a
//! 4xx/5xx status. Database work runs on blocking threads; a write is one
//! transaction, and the service is refreshed before the answer so that the
//! next request sees it.

use std::collections::HashMap;
use std::io::Write;

use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde::Serialize;

use polytm_core::{Error, Quiet, Result};
use polytm_engine::exchange::export::{ExportFormat, ExportOptions, export as export_units};
use polytm_engine::exchange::import::{ImportOptions, import_file};
use polytm_engine::glossary as eg;
use polytm_engine::matcher::Options;
use polytm_engine::units::{Added, add_unit as add_one};
use polytm_engine::{concordance as conc, review};
use polytm_formats::registry::{Kind, Purpose, detect_content};
use polytm_formats::termbase::parse_cell;
use polytm_glossary::model::{NewConcept, NewTerm};
use polytm_store::{ConceptFields, OnDuplicate};
use polytm_text::lang::{self, Lang, LangTag};

use super::{ApiError, Shared};

/// The longest query text, in characters (a sentence or a paragraph; a
/// longer one is a mistake or an attack).
pub const MAX_QUERY_CHARS: usize = 10_000;

type Params = Query<HashMap<String, String>>;
type Answer = std::result::Result<Response, ApiError>;

fn bad(msg: impl Into<String>) -> ApiError {
    ApiError(StatusCode::BAD_REQUEST, msg.into())
}

/// JSON of a value, with the status given.
fn json_with(status: StatusCode, value: &impl Serialize) -> Answer {
    let mut body = serde_json::to_vec_pretty(value)
        .map_err(|e| ApiError(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    body.push(b'\n');
    Ok((
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        body,
    )
        .into_response())
}

fn json(value: &impl Serialize) -> Answer {
    json_with(StatusCode::OK, value)
}

/// Run `f` on a blocking thread (database work, searches).
async fn blocking<T: Send + 'static>(
    app: &Shared,
    f: impl FnOnce(&Shared) -> Result<T> + Send + 'static,
) -> std::result::Result<T, ApiError> {
    let app = app.clone();
    tokio::task::spawn_blocking(move || f(&app))
        .await
        .map_err(|e| {
            ApiError(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("internal error: {e}"),
            )
        })?
        .map_err(ApiError::from)
}

/// Run a short read (a lookup: about a millisecond of CPU at a million
/// units). On a file database it runs on the runtime's own thread: handing
/// it to the blocking pool costs two thread switches a request, more than
/// the lookup itself on a small machine (measured with
/// `examples/serve_bench.rs`), and SQLite in WAL mode never makes a reader
/// wait. On PostgreSQL it goes to the blocking pool (its synchronous client
/// may not block a runtime thread). What may take long (imports, exports,
/// summaries, reviews) always goes through [`blocking`].
async fn read<T: Send + 'static>(
    app: &Shared,
    f: impl FnOnce(&Shared) -> Result<T> + Send + 'static,
) -> std::result::Result<T, ApiError> {
    if app.config.inline_reads {
        f(app).map_err(ApiError::from)
    } else {
        blocking(app, f).await
    }
}

/// A write: run `f` on a blocking thread, then bring the service up to it
/// so that the next request sees it.
async fn write<T: Send + 'static>(
    app: &Shared,
    f: impl FnOnce(&Shared) -> Result<T> + Send + 'static,
) -> std::result::Result<T, ApiError> {
    blocking(app, move |app| {
        let out = f(app)?;
        app.service.refresh(false)?;
        Ok(out)
    })
    .await
}

// ---------------------------------------------------------------------------
// Parameters

fn param<'a>(p: &'a HashMap<String, String>, name: &str) -> Option<&'a str> {
    p.get(name).map(String::as_str)
}

fn required<'a>(
    p: &'a HashMap<String, String>,
    name: &str,
) -> std::result::Result<&'a str, ApiError> {
    param(p, name).ok_or_else(|| bad(format!("the parameter '{name}' is missing")))
}

fn lang_of(name: &str, value: &str) -> std::result::Result<Lang, ApiError> {
    LangTag::parse(value)
        .map(|t| t.lang)
        .map_err(|e| bad(format!("{name}: {e}")))
}

fn number<T: std::str::FromStr + PartialOrd + std::fmt::Display + Copy>(
    p: &HashMap<String, String>,
    name: &str,
    range: std::ops::RangeInclusive<T>,
    default: T,
) -> std::result::Result<T, ApiError> {
    let Some(v) = param(p, name) else {
        return Ok(default);
    };
    match v.trim().parse::<T>() {
        Ok(n) if range.contains(&n) => Ok(n),
        _ => Err(bad(format!(
            "{name}: '{v}' is not a number from {} to {}",
            range.start(),
            range.end()
        ))),
    }
}

/// A query text: not empty, not longer than [`MAX_QUERY_CHARS`].
fn text(value: &str, what: &str) -> std::result::Result<String, ApiError> {
    if value.trim().is_empty() {
        return Err(bad(format!("the {what} is empty")));
    }
    let n = value.chars().count();
    if n > MAX_QUERY_CHARS {
        return Err(ApiError(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the {what} is {n} characters long; at most {MAX_QUERY_CHARS}"),
        ));
    }
    Ok(value.to_string())
}

/// A JSON body.
fn body_json<T: for<'de> Deserialize<'de>>(body: &Bytes) -> std::result::Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| bad(format!("the body is not the JSON expected: {e}")))
}

// ---------------------------------------------------------------------------
// Reads

#[derive(Serialize)]
struct Health {
    status: &'static str,
    units: i64,
}

pub async fn health(State(app): State<Shared>) -> Answer {
    let s = blocking(&app, |app| app.service.summary()).await?;
    json(&Health {
        status: "ok",
        units: s.units,
    })
}

#[derive(Serialize)]
struct Info {
    version: &'static str,
    units: i64,
    concepts: i64,
    /// Languages of the TM, most texts first.
    languages: Vec<String>,
    read_only: bool,
    /// Writes are possible (with the token when one is required).
    writes: bool,
    token_required: bool,
    /// The request may write: no token is required, or it carries the
    /// right one (the page tells a wrong token at once).
    authorized: bool,
    private: bool,
}

pub async fn info(State(app): State<Shared>, headers: HeaderMap) -> Answer {
    let s = blocking(&app, |app| app.service.summary()).await?;
    let cfg = &app.config;
    json(&Info {
        version: env!("CARGO_PKG_VERSION"),
        units: s.units,
        concepts: s.concepts,
        languages: s.languages.iter().map(|l| l.lang.clone()).collect(),
        read_only: cfg.read_only,
        writes: !cfg.read_only,
        token_required: cfg.token.is_some(),
        authorized: super::authorized(cfg, &headers),
        private: cfg.private,
    })
}

/// `GET /api/match?from=A&to=B&q=TEXT[&min=N&limit=K]`: as `match --json`.
pub async fn matches(State(app): State<Shared>, Query(p): Params) -> Answer {
    match_query(app, p).await
}

/// `POST /api/match {"from":"en","to":"ru","q":"...","min":75,"limit":3}`:
/// the same, for a text too long for a URL. A read: no token needed
/// (unless `--private`).
pub async fn matches_post(State(app): State<Shared>, body: Bytes) -> Answer {
    let obj: serde_json::Map<String, serde_json::Value> = body_json(&body)?;
    let p = obj
        .into_iter()
        .map(|(k, v)| match v {
            serde_json::Value::String(s) => (k, s),
            v => (k, v.to_string()),
        })
        .collect();
    match_query(app, p).await
}

async fn match_query(app: Shared, p: HashMap<String, String>) -> Answer {
    let from = lang_of("from", required(&p, "from")?)?;
    let to = lang_of("to", required(&p, "to")?)?;
    if from == to {
        return Err(bad(format!("from and to are the same language ({from})")));
    }
    let q = text(required(&p, "q")?, "query")?;
    let min = number(&p, "min", 1u8..=100, 50)?;
    let limit = number(&p, "limit", 1usize..=1000, 5)?;
    let out = read(&app, move |app| {
        let mut m = app.service.matcher(&from, &to, Options::default())?;
        m.set_penalties(app.config.penalties.clone());
        let props = m.best(&q, min, limit)?;
        Ok(serde_json::to_vec_pretty(&crate::json::proposals(
            &q, &props, &from,
        ))?)
    })
    .await?;
    Ok(raw_json(out))
}

/// JSON already written, as the command line prints it (a final newline).
fn raw_json(mut body: Vec<u8>) -> Response {
    if body.last() != Some(&b'\n') {
        body.push(b'\n');
    }
    (
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        body,
    )
        .into_response()
}

/// `GET /api/term?q=TEXT[&lang=L]`: as `term --json`.
pub async fn term(State(app): State<Shared>, Query(p): Params) -> Answer {
    let q = text(required(&p, "q")?, "query")?;
    let lang = param(&p, "lang").map(|l| lang_of("lang", l)).transpose()?;
    let out = read(&app, move |app| {
        let g = app.service.glossary()?;
        Ok(serde_json::to_vec_pretty(&crate::json::lookup(
            &g,
            &q,
            lang.as_ref(),
        ))?)
    })
    .await?;
    Ok(raw_json(out))
}

/// `GET /api/concordance?q=TEXT[&lang=L&limit=N&exact=1]`: as
/// `concordance --json`.
pub async fn concordance(State(app): State<Shared>, Query(p): Params) -> Answer {
    let q = text(required(&p, "q")?, "phrase")?;
    let lang = match param(&p, "lang") {
        Some(l) => lang_of("lang", l)?,
        None => conc::guess_lang(&q)
            .ok_or_else(|| bad("cannot tell the language of the phrase: give lang"))?,
    };
    let limit = number(&p, "limit", 1usize..=100_000, 20)?;
    let exact = matches!(param(&p, "exact"), Some("1" | "true" | "yes"));
    let out = blocking(&app, move |app| {
        let phrase = polytm_fuzzy::concordance::Phrase::new(&q, &lang, exact);
        let found = if phrase.is_empty() {
            conc::Found::default()
        } else {
            let index = app.service.index(&lang)?;
            let rd = app.service.db().reader()?;
            conc::search_in(rd.as_ref(), &index, &phrase, limit)?
        };
        Ok(serde_json::to_vec_pretty(&crate::json::concordance(
            &found.hits,
            &lang,
        ))?)
    })
    .await?;
    Ok(raw_json(out))
}

/// `GET /api/scan?lang=L&q=TEXT`: as `glossary scan --json`.
pub async fn scan(State(app): State<Shared>, Query(p): Params) -> Answer {
    let lang = lang_of("lang", required(&p, "lang")?)?;
    let q = text(required(&p, "q")?, "text")?;
    let out = read(&app, move |app| {
        let g = app.service.glossary()?;
        let hits = app.service.recognizer(&lang)?.scan(&q);
        Ok(serde_json::to_vec_pretty(&crate::json::scan(&g, &hits))?)
    })
    .await?;
    Ok(raw_json(out))
}

/// A `Write` that hands 64 KB chunks to the response body.
struct ChannelWriter {
    tx: tokio::sync::mpsc::Sender<std::result::Result<Bytes, std::io::Error>>,
    buf: Vec<u8>,
}

impl ChannelWriter {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(
            &mut self.buf,
            Vec::with_capacity(1 << 16),
        ));
        self.tx.blocking_send(Ok(chunk)).map_err(|_| {
            std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the client went away")
        })
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(b);
        if self.buf.len() >= 1 << 16 {
            self.send()?;
        }
        Ok(b.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.send()
    }
}

/// `GET /api/export?format=tmx[&langs=A,B&doc=NAME&since=DATE]`: the TM
/// as `export` writes it, streamed from one snapshot of the database.
pub async fn export(State(app): State<Shared>, Query(p): Params) -> Answer {
    let format = match param(&p, "format").unwrap_or("tmx") {
        "tmx" => ExportFormat::Tmx,
        "tsv" => ExportFormat::Tsv,
        "csv" => ExportFormat::Csv,
        f => return Err(bad(format!("format: '{f}' is not tmx, tsv or csv"))),
    };
    let langs = match param(&p, "langs") {
        Some(s) => {
            let l = lang::parse_list(s).map_err(|m| bad(format!("langs: {m}")))?;
            if l.len() < 2 {
                return Err(bad("langs needs at least two languages"));
            }
            Some(l)
        }
        None => None,
    };
    let since = match param(&p, "since") {
        Some(s) => Some(
            polytm_engine::exchange::export::parse_since(s)
                .ok_or_else(|| bad(format!("since: '{s}' is not a date (2024-05-01)")))?,
        ),
        None => None,
    };
    let opts = ExportOptions {
        format,
        langs,
        documents: param(&p, "doc")
            .map(|d| vec![d.to_string()])
            .unwrap_or_default(),
        since,
        spreadsheet_safe: matches!(param(&p, "spreadsheet_safe"), Some("1" | "true" | "yes")),
        context: matches!(param(&p, "context"), Some("1" | "true" | "yes")),
    };
    // a bad document name is an error before anything is sent
    if !opts.documents.is_empty() {
        let docs = opts.documents.clone();
        blocking(&app, move |app| {
            polytm_engine::exchange::export::document_ids(
                app.service.db().reader()?.as_ref(),
                &docs,
            )
            .map(|_| ())
        })
        .await?;
    }
    let (tx, mut rx) = tokio::sync::mpsc::channel(4);
    let a = app.clone();
    tokio::task::spawn_blocking(move || {
        let mut w = ChannelWriter {
            tx: tx.clone(),
            buf: Vec::with_capacity(1 << 16),
        };
        let r = a
            .service
            .db()
            .reader()
            .and_then(|rd| export_units(rd.as_ref(), &opts, &mut w, None, &Quiet))
            .and_then(|_| w.flush().map_err(|e| Error::other(e.to_string())));
        if let Err(e) = r {
            // the answer has begun: cut it, so the client sees it failed
            eprintln!("polytm: serve: export: {e}");
            let _ = tx.blocking_send(Err(std::io::Error::other(e.to_string())));
        }
    });
    let stream = futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx));
    let (ct, ext) = match format {
        ExportFormat::Tmx => ("application/x-tmx+xml; charset=utf-8", "tmx"),
        ExportFormat::Tsv => ("text/tab-separated-values; charset=utf-8", "tsv"),
        ExportFormat::Csv => ("text/csv; charset=utf-8", "csv"),
    };
    Ok((
        [
            (header::CONTENT_TYPE, ct.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"polytm.{ext}\""),
            ),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}

pub async fn documents(State(app): State<Shared>) -> Answer {
    let docs = blocking(&app, |app| app.service.db().reader()?.documents()).await?;
    json(&crate::json::documents(docs))
}

/// `GET /api/documents/{name}/units`: the units of a document cut into
/// sentences, for review.
pub async fn document_units(State(app): State<Shared>, Path(name): Path<String>) -> Answer {
    let n = name.clone();
    let view = blocking(&app, move |app| review::read(app.service.db().as_ref(), &n)).await?;
    match view {
        Some(v) => json(&v),
        None => Err(ApiError(
            StatusCode::NOT_FOUND,
            format!("no document named '{name}'"),
        )),
    }
}

/// `GET /api/concepts`: every concept of the glossary.
pub async fn concepts(State(app): State<Shared>) -> Answer {
    let out = blocking(&app, |app| {
        let g = app.service.glossary()?;
        let list: Vec<_> = g
            .concepts()
            .iter()
            .map(|c| crate::json::concept(c, None, None))
            .collect();
        Ok(serde_json::to_vec_pretty(&list)?)
    })
    .await?;
    Ok(raw_json(out))
}

#[derive(Serialize)]
struct TmCandidate<'a> {
    source: &'a str,
    target: &'a str,
    quality: f64,
    rank: f64,
}

/// `GET /tmserver/{src}/{tgt}/unit/{text}[?min_similarity=N&max_candidates=K]`:
/// Translate Toolkit's tmserver (and amaGama) answer.
pub async fn tmserver(
    State(app): State<Shared>,
    Path((src, tgt, q)): Path<(String, String, String)>,
    Query(p): Params,
) -> Answer {
    let from = lang_of("source language", &src)?;
    let to = lang_of("target language", &tgt)?;
    let q = text(&q, "text")?;
    let min = number(&p, "min_similarity", 1u8..=100, 70)?;
    let limit = number(&p, "max_candidates", 1usize..=100, 5)?;
    let out = blocking(&app, move |app| {
        if from == to {
            return Ok(b"[]".to_vec());
        }
        let mut m = app.service.matcher(&from, &to, Options::default())?;
        m.set_penalties(app.config.penalties.clone());
        let props = m.best(&q, min, limit)?;
        let list: Vec<TmCandidate> = props
            .iter()
            .map(|p| TmCandidate {
                source: &p.source,
                target: &p.target,
                quality: p.score as f64,
                rank: p.score as f64,
            })
            .collect();
        Ok(serde_json::to_vec(&list)?)
    })
    .await?;
    Ok(raw_json(out))
}

// ---------------------------------------------------------------------------
// Writes

#[derive(Serialize)]
struct UnitId {
    id: i64,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    existing: bool,
}

/// `POST /api/units {"en":"...","ru":"...","doc":"optional"}` → 201
/// `{"id":N}` (200 with `"existing":true` when the same texts are there).
pub async fn add_unit(State(app): State<Shared>, body: Bytes) -> Answer {
    let obj: serde_json::Map<String, serde_json::Value> = body_json(&body)?;
    let mut texts = Vec::new();
    let mut doc = None;
    for (k, v) in obj {
        let Some(s) = v.as_str() else {
            return Err(bad(format!("'{k}': a string is expected")));
        };
        if k == "doc" {
            doc = Some(s.to_string()).filter(|d| !d.trim().is_empty());
            continue;
        }
        let tag = LangTag::parse(&k).map_err(|e| bad(format!("'{k}': {e}")))?;
        texts.push((tag, text(s, &format!("{k} text"))?));
    }
    let added = write(&app, move |app| {
        add_one(app.service.db().as_ref(), &texts, doc.as_deref(), "serve")
    })
    .await?;
    match added {
        Added::New(id) => json_with(
            StatusCode::CREATED,
            &UnitId {
                id,
                existing: false,
            },
        ),
        Added::Existing(id) => json(&UnitId { id, existing: true }),
    }
}

/// The kind of an uploaded file from its Content-Type, if it says.
fn kind_of(headers: &HeaderMap) -> Option<Kind> {
    let ct = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    let mime = ct.split(';').next()?.trim().to_ascii_lowercase();
    Some(match mime.as_str() {
        "application/x-tmx+xml" | "application/tmx+xml" | "application/xml" | "text/xml" => {
            Kind::Tmx
        }
        "text/tab-separated-values" => Kind::Tsv,
        "text/csv" => Kind::Csv,
        _ => return None,
    })
}

/// Errors about the temporary file name the request body instead.
fn name_body(e: Error, tmp: &std::path::Path) -> Error {
    let shown = polytm_core::display_path(tmp);
    let fix = |f: String| {
        if f == shown {
            "request body".to_string()
        } else {
            f
        }
    };
    match e {
        Error::Input { file, pos, msg } => Error::Input {
            file: fix(file),
            pos,
            msg,
        },
        Error::Io { file, msg } => Error::Io {
            file: fix(file),
            msg,
        },
        e => e,
    }
}

/// `POST /api/import[?doc=NAME&on_duplicate=skip|overwrite|keep]` with a
/// TMX, TSV or CSV file as the body: imported in one transaction, as
/// `import --json` reports it.
pub async fn import(
    State(app): State<Shared>,
    headers: HeaderMap,
    Query(p): Params,
    body: Bytes,
) -> Answer {
    if body.is_empty() {
        return Err(bad("the body is empty: send a TMX, TSV or CSV file"));
    }
    let kind = match kind_of(&headers) {
        Some(k) => k,
        None => detect_content("request body", &body, Purpose::Tm).map_err(ApiError::from)?,
    };
    let on_duplicate = match param(&p, "on_duplicate").unwrap_or("skip") {
        "skip" => OnDuplicate::Skip,
        "overwrite" => OnDuplicate::Overwrite,
        "keep" => OnDuplicate::Keep,
        o => {
            return Err(bad(format!(
                "on_duplicate: '{o}' is not skip, overwrite or keep"
            )));
        }
    };
    let doc = param(&p, "doc")
        .filter(|d| !d.trim().is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| format!("upload {}", polytm_store::now()));
    let report = write(&app, move |app| {
        let dir = app
            .service
            .db()
            .cache_dir()
            .and_then(|d| d.parent().map(|p| p.to_path_buf()))
            .unwrap_or_else(std::env::temp_dir);
        let mut tmp = tempfile::Builder::new()
            .prefix(".polytm-upload-")
            .tempfile_in(&dir)
            .or_else(|_| tempfile::NamedTempFile::new())
            .map_err(|e| Error::io(&dir, e))?;
        tmp.write_all(&body).map_err(|e| Error::io(tmp.path(), e))?;
        tmp.flush().map_err(|e| Error::io(tmp.path(), e))?;
        let opts = ImportOptions {
            on_duplicate,
            doc: Some(doc.clone()),
            format: Some(kind),
        };
        let mut r = import_file(app.service.db().as_ref(), tmp.path(), &opts, &Quiet)
            .map_err(|e| name_body(e, tmp.path()))?;
        r.file = "request body".into();
        Ok(r)
    })
    .await?;
    json(&report)
}

/// A concept as the page edits it: a cell of terms per language.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConceptBody {
    #[serde(default)]
    terms: serde_json::Map<String, serde_json::Value>,
    note: Option<String>,
    source: Option<String>,
    domain: Option<String>,
}

impl ConceptBody {
    fn cells(&self) -> std::result::Result<Vec<(LangTag, String)>, ApiError> {
        let mut out = Vec::new();
        for (k, v) in &self.terms {
            let tag = LangTag::parse(k).map_err(|e| bad(format!("terms: '{k}': {e}")))?;
            let cell = match v {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Array(a) => a
                    .iter()
                    .map(|x| x.as_str().map(str::to_string))
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(|| bad(format!("terms: '{k}': strings are expected")))?
                    .join(" | "),
                _ => return Err(bad(format!("terms: '{k}': a string is expected"))),
            };
            if cell.chars().count() > MAX_QUERY_CHARS {
                return Err(bad(format!("terms: '{k}' is too long")));
            }
            out.push((tag, cell));
        }
        Ok(out)
    }
}

fn clear(v: &Option<String>) -> Option<Option<String>> {
    v.as_ref()
        .map(|s| Some(s.trim().to_string()).filter(|s| !s.is_empty()))
}

/// `POST /api/concepts {"terms":{"en":"A | B","ru":"..."},"note":...}`:
/// a new concept, or the terms merged into the concept that has one of
/// them (as `term add`). 201 with the concept; 200 when merged.
pub async fn add_concept(State(app): State<Shared>, body: Bytes) -> Answer {
    let b: ConceptBody = body_json(&body)?;
    let mut terms = Vec::new();
    for (tag, cell) in b.cells()? {
        for (t, st) in parse_cell(&cell) {
            terms.push(NewTerm::new(tag.clone(), t, st));
        }
    }
    if terms.is_empty() {
        return Err(bad("a concept needs at least one term"));
    }
    let nc = NewConcept {
        terms,
        note: clear(&b.note).flatten(),
        source: clear(&b.source).flatten(),
        domain: clear(&b.domain).flatten(),
        ..Default::default()
    };
    let (merged, stored) = write(&app, move |app| {
        let (merged, _, stored) = eg::add_concept(app.service.db().as_ref(), &nc)?;
        Ok((merged, stored))
    })
    .await?;
    let status = match merged {
        polytm_glossary::merge::Merged::Added(_) => StatusCode::CREATED,
        _ => StatusCode::OK,
    };
    json_with(status, &crate::json::concept(&stored, None, None))
}

/// `PUT /api/concepts/{id}`: the languages given get exactly these terms;
/// the note, source and domain given are set ("" clears).
pub async fn edit_concept(State(app): State<Shared>, Path(id): Path<i64>, body: Bytes) -> Answer {
    let b: ConceptBody = body_json(&body)?;
    let cells = b.cells()?;
    let fields = ConceptFields {
        domain: clear(&b.domain),
        note: clear(&b.note),
        source: clear(&b.source),
    };
    let stored = write(&app, move |app| {
        let db = app.service.db();
        let mut tx = db.writer()?;
        let c = eg::replace_cells(tx.as_mut(), id, &cells, &fields)?;
        tx.commit()?;
        Ok(c)
    })
    .await?;
    json(&crate::json::concept(&stored, None, None))
}

/// `DELETE /api/concepts/{id}`: the concept and its terms.
pub async fn delete_concept(State(app): State<Shared>, Path(id): Path<i64>) -> Answer {
    let n = write(&app, move |app| {
        let db = app.service.db();
        let mut tx = db.writer()?;
        let n = tx.delete_concepts(&[id])?;
        tx.commit()?;
        Ok(n)
    })
    .await?;
    if n == 0 {
        return Err(ApiError(StatusCode::NOT_FOUND, format!("no concept #{id}")));
    }
    json(&serde_json::json!({ "deleted": id }))
}

#[derive(Deserialize)]
pub struct ReviewBody {
    /// Each unit: its text per language tag.
    units: Vec<serde_json::Map<String, serde_json::Value>>,
}

/// `PUT /api/documents/{name}/units {"units":[{"en":"...","ru":"..."}, ...]}`:
/// the document's units become these, in order, in one transaction.
pub async fn review_units(
    State(app): State<Shared>,
    Path(name): Path<String>,
    body: Bytes,
) -> Answer {
    let b: ReviewBody = body_json(&body)?;
    let mut rows = Vec::with_capacity(b.units.len());
    for (k, u) in b.units.into_iter().enumerate() {
        let mut row = Vec::new();
        for (tag, v) in u {
            let Some(s) = v.as_str() else {
                return Err(bad(format!(
                    "unit {}: '{tag}': a string is expected",
                    k + 1
                )));
            };
            row.push((tag, s.to_string()));
        }
        rows.push(row);
    }
    let applied = write(&app, move |app| {
        review::apply(app.service.db().as_ref(), &name, &rows)
    })
    .await?;
    json(&applied)
}

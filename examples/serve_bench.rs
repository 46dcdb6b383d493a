//! Load benchmark of `polytm serve` (`GET /api/match`), beside the command
//! line's batch on the same database in the same run.
//!
//! ```text
//! cargo build --release --bin polytm --example serve_bench
//! target/release/examples/serve_bench [OPTIONS]
//!
//!   --polytm BIN        the binary (default: target/release/polytm beside this example)
//!   --db DB             the database; imported from --tm first when it does not exist.
//!                       Never used in place: copied into --work first (the server
//!                       may write beside it). Repeatable: one benchmark per
//!                       database, then a table of them all
//!   --tm TSV            a TSV with a header of language codes (en<TAB>ru)
//!   --queries FILE      one query a line
//!   --from en --to ru   the language pair (default en → ru)
//!   --clients N         concurrent clients (default 4)
//!   --rounds N          passes over the queries per run (default 1)
//!   --cli-runs N        CLI batch repetitions, median taken (default 3)
//!   --import-units N    units imported beside the readers (default 0: no import run)
//!   --import-file TSV   take them from this TSV (default: generated, see below)
//!   --import-from TSV   generate them by joining pairs of this TSV's rows (default: --tm)
//!   --import-via cli|http   `polytm import` in another process (default) or POST /api/import
//!   --min N --limit N   as `match` (default 50, 5)
//!   --work DIR          where generated files, the default database and the
//!                       import run's copy of the database go (default /tmp/polytm-serve-bench)
//!   --size N            without --tm/--db: make the generated TM N units (joined pairs)
//!   --json FILE         write the figures as JSON too
//! ```
//!
//! What it runs, in order:
//! 0. the database copied into `--work` (index companion too);
//! 1. the CLI batch `polytm --db DB match --from A --to B --json --file QUERIES`
//!    (whole process, index opening included; median of `--cli-runs`; its
//!    CPU time from this process's reaped-children times), and its
//!    `--timing` line (search alone);
//! 2. `polytm --db DB serve --listen 127.0.0.1:0`: the time until it says
//!    "listening on", then warmed (the first query opens the index; then 50
//!    more), its resident memory read from /proc;
//! 3. one client: every query in turn → p50, p90, p99, max, queries/s; the
//!    best score of every answer is compared with the batch's;
//! 4. N clients (threads, each with its own keep-alive connection) sharing
//!    the queries → p50, p99, queries/s and its ratio to the batch's;
//! 5. on a copy of the database (the original is left as it was): a new
//!    server, N clients querying without pause while `--import-units` fresh
//!    units are imported into the same database (by `polytm import` or
//!    `POST /api/import`) → p50/p99/queries/s during the import and over
//!    the whole run, failed requests (should be 0); and a unit posted
//!    (`POST /api/units`) while the import runs and one after it, each
//!    looked up by the very next `/api/match` (should be its 100 % proposal).
//!
//! CPU times (server: /proc/PID/stat; clients: this process) are given
//! beside wall times, and the load average at every step: on a shared
//! machine the wall times alone say little.
//!
//! When a `--db`, `--tm` or `--queries` given is absent (no eval data on
//! this machine), the program says so and runs on the generated TM below.
//!
//! Percentiles are nearest-rank over every latency recorded (request sent →
//! answer read). Without `--tm`/`--db`, the TM is made from real segments of
//! the shared data folder (`$POLYTM_SHARED/data`, default `../shared`):
//! gettext and LibreOffice help EN-RU pairs, 1,000 of them held out as
//! queries, the rest the TM (joined in pairs up to `--size` units when
//! given, like the 1M TM of eval/fuzzy2); without that folder, a synthetic
//! TM (sentences drawn from a small vocabulary) and queries made by changing
//! a word of TM sentences. Either way the program says which. The fresh
//! units of the import run are, without `--import-file`, pairs of rows of
//! `--import-from` (default: the first 100,000 rows of the TM file) joined
//! with a new seed (so near-duplicates of what is there, as new as the TM's
//! own joined pairs), or synthetic sentences when there is no TM file.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Mutex, mpsc};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

#[path = "support/rng.rs"]
mod rng;
use rng::Rng;

type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

fn main() {
    if let Err(e) = main_() {
        eprintln!("serve_bench: {e}");
        std::process::exit(1);
    }
}

fn main_() -> Res<()> {
    let mut o = parse_args()?;
    if !o.polytm.exists() {
        return Err(format!(
            "{} does not exist: build it first (cargo build --release --bin polytm) or give --polytm",
            o.polytm.display()
        )
        .into());
    }
    // the eval data is not on every machine: say so, run on a generated TM
    let absent: Vec<String> = o
        .queries
        .iter()
        .chain(&o.tms)
        .filter(|p| !p.exists())
        .chain(o.dbs.iter().filter(|d| !d.exists()))
        .map(|p| p.display().to_string())
        .collect();
    if !absent.is_empty() {
        println!(
            "ABSENT on this machine: {}; running on a generated TM instead",
            absent.join(", ")
        );
        println!();
        o.dbs.clear();
        o.tms.clear();
        o.queries = None;
    }
    if !o.tms.is_empty() && o.dbs.len() > 1 && o.tms.len() != o.dbs.len() {
        return Err("several --tm: one for each --db, in the same order".into());
    }
    let dbs: Vec<Option<PathBuf>> = if o.dbs.is_empty() {
        vec![None]
    } else {
        o.dbs.iter().cloned().map(Some).collect()
    };
    let mut all = Vec::new();
    for (i, db) in dbs.iter().enumerate() {
        let mut one = o.clone();
        one.db = db.clone();
        one.tm = o.tms.get(i).cloned();
        if let (Some(j), Some(d), true) = (&o.json, db, dbs.len() > 1) {
            // figures.json → figures.1M.en-ru.json
            let stem = d.file_stem().map_or("db".into(), |s| s.to_string_lossy());
            one.json = Some(j.with_extension(format!("{stem}.json")));
        }
        if i > 0 {
            println!();
        }
        all.push(run(&one)?);
    }
    if all.len() > 1 {
        println!();
        println!("## all databases");
        println!();
        println!(
            "| database | units | startup to listening | first query ms | RSS MB (peak) | CLI batch q/s (CPU ms/q) | 1 client p50 / p99 ms | 1 client q/s (server CPU ms/q) | {} clients p50 / p99 ms | {} clients q/s | best scores equal |",
            o.clients, o.clients
        );
        println!("|---|---|---|---|---|---|---|---|---|---|---|");
        for s in &all {
            println!(
                "| {} | {} | {:.2} s | {} | {:.0} ({:.0}) | {:.0} ({:.2}) | {} / {} | {:.0} ({:.2}) | {} / {} | {:.0} | {} / {} |",
                s.name,
                s.units.map_or("?".into(), |u| u.to_string()),
                s.startup,
                ms(s.first_ms),
                s.rss.0,
                s.rss.1,
                s.batch_qps,
                s.batch_cpu_ms,
                ms(s.one.p50),
                ms(s.one.p99),
                s.one.qps,
                s.one.server_cpu * 1e3 / s.one.n.max(1) as f64,
                ms(s.many.p50),
                ms(s.many.p99),
                s.many.qps,
                s.agree,
                s.n
            );
        }
    }
    Ok(())
}

/// What a run over one database found, for the table of them all.
struct Summary {
    name: String,
    units: Option<u64>,
    startup: f64,
    first_ms: f64,
    /// (VmRSS after the runs, peak) MB.
    rss: (f64, f64),
    batch_qps: f64,
    batch_cpu_ms: f64,
    one: Stats,
    many: Stats,
    agree: usize,
    n: usize,
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Via {
    Cli,
    Http,
}

#[derive(Clone)]
struct Opts {
    polytm: PathBuf,
    /// Every `--db` given: one benchmark each, in turn.
    dbs: Vec<PathBuf>,
    /// The one of this run.
    db: Option<PathBuf>,
    /// Every `--tm` given, paired with the `--db`s in order.
    tms: Vec<PathBuf>,
    /// The one of this run.
    tm: Option<PathBuf>,
    queries: Option<PathBuf>,
    from: String,
    to: String,
    clients: usize,
    rounds: usize,
    cli_runs: usize,
    import_units: usize,
    import_file: Option<PathBuf>,
    import_from: Option<PathBuf>,
    via: Via,
    min: u8,
    limit: usize,
    work: PathBuf,
    size: Option<usize>,
    json: Option<PathBuf>,
}

const USAGE: &str = "usage: serve_bench [--polytm BIN] [--db DB] [--tm TSV] [--queries FILE] \
[--from en] [--to ru] [--clients 4] [--rounds 1] [--cli-runs 3] [--import-units 0] \
[--import-file TSV | --import-from TSV] [--import-via cli|http] [--min 50] [--limit 5] [--work DIR] [--size N] [--json FILE]";

fn parse_args() -> Res<Opts> {
    let exe = std::env::current_exe()?;
    // target/release/examples/serve_bench → target/release/polytm
    let default_bin = exe
        .parent()
        .and_then(Path::parent)
        .map(|d| d.join(format!("polytm{}", std::env::consts::EXE_SUFFIX)))
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/polytm"));
    let mut o = Opts {
        polytm: default_bin,
        dbs: Vec::new(),
        db: None,
        tms: Vec::new(),
        tm: None,
        queries: None,
        from: "en".into(),
        to: "ru".into(),
        clients: 4,
        rounds: 1,
        cli_runs: 3,
        import_units: 0,
        import_file: None,
        import_from: None,
        via: Via::Cli,
        min: 50,
        limit: 5,
        work: PathBuf::from("/tmp/polytm-serve-bench"),
        size: None,
        json: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut val = || {
            it.next()
                .ok_or_else(|| format!("{a} needs a value\n{USAGE}"))
        };
        match a.as_str() {
            "--polytm" => o.polytm = val()?.into(),
            "--db" => o.dbs.push(val()?.into()),
            "--tm" => o.tms.push(val()?.into()),
            "--queries" => o.queries = Some(val()?.into()),
            "--from" => o.from = val()?,
            "--to" => o.to = val()?,
            "--clients" => o.clients = val()?.parse()?,
            "--rounds" => o.rounds = val()?.parse::<usize>()?.max(1),
            "--cli-runs" => o.cli_runs = val()?.parse::<usize>()?.max(1),
            "--import-units" => o.import_units = val()?.parse()?,
            "--import-file" => o.import_file = Some(val()?.into()),
            "--import-from" => o.import_from = Some(val()?.into()),
            "--import-via" => {
                o.via = match val()?.as_str() {
                    "cli" => Via::Cli,
                    "http" => Via::Http,
                    v => return Err(format!("--import-via {v}: cli or http").into()),
                }
            }
            "--min" => o.min = val()?.parse()?,
            "--limit" => o.limit = val()?.parse()?,
            "--work" => o.work = val()?.into(),
            "--size" => o.size = Some(val()?.parse()?),
            "--json" => o.json = Some(val()?.into()),
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            _ => return Err(format!("unknown argument {a}\n{USAGE}").into()),
        }
    }
    if o.clients == 0 {
        return Err("--clients must be at least 1".into());
    }
    Ok(o)
}

// ---------------------------------------------------------------------------
// Environment

fn load_avg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

fn load1() -> f64 {
    load_avg()
        .split(' ')
        .next()
        .and_then(|x| x.parse().ok())
        .unwrap_or(f64::NAN)
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "?".into())
}

/// (VmRSS, VmHWM) of a process in MB.
fn rss_mb(pid: u32) -> (f64, f64) {
    let (rss, hwm, _, _) = rss_parts(pid);
    (rss, hwm)
}

/// (VmRSS, VmHWM, RssAnon, RssFile) of a process in MB: RssFile is the
/// pages of files mapped (the index, SQLite's memory-mapped pages) that the
/// kernel may drop and read again, RssAnon the heap.
fn rss_parts(pid: u32) -> (f64, f64, f64, f64) {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        s.lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(f64::NAN, |kb| kb / 1024.0)
    };
    (
        field("VmRSS:"),
        field("VmHWM:"),
        field("RssAnon:"),
        field("RssFile:"),
    )
}

/// Fields of /proc/{who}/stat from the 3rd (state) on: the command name
/// in parentheses may hold spaces, so the fields after its last ')'.
fn stat_fields(who: &str) -> Vec<u64> {
    let s = std::fs::read_to_string(format!("/proc/{who}/stat")).unwrap_or_default();
    let rest = s.rsplit_once(')').map_or("", |(_, r)| r);
    rest.split_whitespace()
        .map(|f| f.parse().unwrap_or(0))
        .collect()
}

/// Clock ticks a second of /proc times (`getconf CLK_TCK`; 100 on Linux).
const TICKS: f64 = 100.0;

/// CPU seconds (user + system) a process has used so far (NaN when gone).
fn cpu_of(pid: u32) -> f64 {
    let f = stat_fields(&pid.to_string());
    // utime and stime are fields 14 and 15: 11 and 12 from the state
    match (f.get(11), f.get(12)) {
        (Some(u), Some(s)) => (u + s) as f64 / TICKS,
        _ => f64::NAN,
    }
}

/// CPU seconds of this process itself (the clients).
fn cpu_self() -> f64 {
    cpu_of(std::process::id())
}

/// CPU seconds of this process's children that have been waited for
/// (cutime + cstime, fields 16 and 17).
fn cpu_children() -> f64 {
    let f = stat_fields("self");
    match (f.get(13), f.get(14)) {
        (Some(u), Some(s)) => (u + s) as f64 / TICKS,
        _ => f64::NAN,
    }
}

fn shared_dir() -> PathBuf {
    std::env::var_os("POLYTM_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"))
}

// ---------------------------------------------------------------------------
// Data: the TM and the queries when none are given

/// A text a TSV cell can hold and an import keeps (no control character).
fn clean(s: &str) -> bool {
    !s.trim().is_empty() && !s.chars().any(char::is_control)
}

/// Units added, from `import --json` (a list of one report per file) or
/// `POST /api/import` (one report).
fn added_of(out: &str) -> u64 {
    let v: Value = serde_json::from_str(out).unwrap_or(Value::Null);
    match &v {
        Value::Array(a) => a.iter().filter_map(|r| r["added"].as_u64()).sum(),
        v => v["added"].as_u64().unwrap_or(0),
    }
}

/// Real EN-RU pairs of the shared data folder, if it is there.
fn real_pairs() -> Option<(Vec<(String, String)>, String)> {
    let data = shared_dir().join("data");
    let gettext = data.join("tm/gettext.en-ru.tsv");
    let help = data.join("parallel/libreoffice-help.dev.en-ru-zh.tsv");
    let (g, h) = (
        std::fs::read_to_string(&gettext).ok()?,
        std::fs::read_to_string(&help).ok()?,
    );
    let mut pairs = Vec::new();
    for l in g.lines().skip(1) {
        let c: Vec<&str> = l.split('\t').collect();
        if c.len() == 3 && clean(c[1]) && clean(c[2]) {
            pairs.push((c[1].to_string(), c[2].to_string()));
        }
    }
    for l in h.lines().skip(1) {
        let c: Vec<&str> = l.split('\t').collect();
        if c.len() == 5 && clean(c[2]) && clean(c[3]) {
            pairs.push((c[2].to_string(), c[3].to_string()));
        }
    }
    pairs.sort();
    pairs.dedup();
    let what = format!(
        "{} real EN-RU segments of {} and {}",
        pairs.len(),
        gettext.display(),
        help.display()
    );
    Some((pairs, what))
}

const WORDS_EN: &[&str] = &[
    "the",
    "file",
    "open",
    "close",
    "save",
    "folder",
    "document",
    "selected",
    "user",
    "server",
    "click",
    "button",
    "dialog",
    "window",
    "settings",
    "print",
    "page",
    "table",
    "cell",
    "column",
    "row",
    "sheet",
    "chart",
    "text",
    "format",
    "style",
    "font",
    "size",
    "insert",
    "delete",
    "copy",
    "paste",
    "new",
    "old",
    "default",
    "value",
    "field",
    "record",
    "database",
    "query",
    "report",
    "form",
    "macro",
    "function",
    "error",
    "warning",
    "message",
    "cannot",
    "could",
    "not",
    "be",
    "found",
    "is",
    "are",
    "was",
    "to",
    "of",
    "in",
    "on",
    "for",
    "with",
    "and",
    "or",
    "a",
    "this",
    "that",
    "all",
    "each",
    "every",
    "when",
    "if",
    "then",
    "you",
    "your",
    "can",
    "must",
    "should",
    "enter",
    "name",
    "password",
    "account",
    "connection",
    "network",
    "address",
    "version",
];
const WORDS_RU: &[&str] = &[
    "файл",
    "открыть",
    "закрыть",
    "сохранить",
    "папка",
    "документ",
    "выбранный",
    "пользователь",
    "сервер",
    "нажмите",
    "кнопка",
    "диалог",
    "окно",
    "параметры",
    "печать",
    "страница",
    "таблица",
    "ячейка",
    "столбец",
    "строка",
    "лист",
    "диаграмма",
    "текст",
    "формат",
    "стиль",
    "шрифт",
    "размер",
    "вставить",
    "удалить",
    "копировать",
    "новый",
    "старый",
    "значение",
    "поле",
    "запись",
    "база",
    "данных",
    "запрос",
    "отчёт",
    "форма",
    "макрос",
    "функция",
    "ошибка",
    "сообщение",
    "не",
    "удалось",
    "найти",
    "в",
    "на",
    "для",
    "с",
    "и",
    "или",
    "этот",
    "все",
    "каждый",
    "если",
];

fn synthetic_sentence(rng: &mut Rng, words: &[&str]) -> String {
    let n = 5 + rng.below(20);
    let mut s: Vec<&str> = (0..n).map(|_| words[rng.below(words.len())]).collect();
    let mut first = s[0].to_string();
    if let Some(c) = first.get(..1) {
        first = c.to_uppercase() + &first[1..];
    }
    s[0] = "";
    let rest = s[1..].join(" ");
    format!("{first} {rest}.")
}

fn synthetic_pairs(n: usize, seed: u64) -> Vec<(String, String)> {
    let mut rng = Rng(seed);
    (0..n)
        .map(|k| {
            (
                format!("{} ({k})", synthetic_sentence(&mut rng, WORDS_EN)),
                format!("{} ({k})", synthetic_sentence(&mut rng, WORDS_RU)),
            )
        })
        .collect()
}

/// Pairs joined two by two (`a b`), distinct, until `n` (the originals first
/// when `with_originals`), as eval/fuzzy2's 1M TM.
fn joined(
    pairs: &[(String, String)],
    n: usize,
    seed: u64,
    with_originals: bool,
    sep_ru: &str,
) -> Vec<(String, String)> {
    let mut rng = Rng(seed);
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(n);
    if with_originals {
        for p in pairs.iter().take(n) {
            if seen.insert(p.0.clone() + "\t" + &p.1) {
                out.push(p.clone());
            }
        }
    }
    let mut tries = 0usize;
    while out.len() < n && pairs.len() > 1 && tries < n * 20 {
        tries += 1;
        let (a, b) = (rng.below(pairs.len()), rng.below(pairs.len()));
        if a == b {
            continue;
        }
        let u = (
            format!("{} {}", pairs[a].0, pairs[b].0),
            format!("{}{sep_ru}{}", pairs[a].1, pairs[b].1),
        );
        if seen.insert(u.0.clone() + "\t" + &u.1) {
            out.push(u);
        }
    }
    out
}

fn write_tsv(path: &Path, header: &str, rows: &[(String, String)]) -> Res<()> {
    let mut w = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(w, "{header}")?;
    for (a, b) in rows {
        writeln!(w, "{a}\t{b}")?;
    }
    w.flush()?;
    Ok(())
}

/// The TM file and queries file when not given; says what they are.
fn default_data(o: &Opts) -> Res<(PathBuf, PathBuf, String)> {
    std::fs::create_dir_all(&o.work)?;
    let tm = o.work.join("tm.en-ru.tsv");
    let q = o.work.join("queries.en.txt");
    let (pairs, what, real) = match real_pairs() {
        Some((p, w)) => (p, w, true),
        None => {
            let n = o.size.unwrap_or(20_000);
            (
                synthetic_pairs(n + 1000, 11),
                format!(
                    "NO shared data at {}: a synthetic TM (sentences of 5–24 words drawn from a \
                     vocabulary of {} words)",
                    shared_dir().join("data").display(),
                    WORDS_EN.len()
                ),
                false,
            )
        }
    };
    // 1,000 queries held out of the TM: real ones of 4..60 words, or
    // synthetic sentences with one word changed
    let mut rng = Rng(7);
    let mut held = vec![false; pairs.len()];
    let mut queries = Vec::new();
    let mut tries = 0;
    while queries.len() < 1000 && tries < pairs.len() * 4 {
        tries += 1;
        let i = rng.below(pairs.len());
        let w = pairs[i].0.split_whitespace().count();
        if !held[i] && (4..=60).contains(&w) {
            held[i] = true;
            let mut s = pairs[i].0.clone();
            if !real {
                let words: Vec<&str> = s.split(' ').collect();
                let k = rng.below(words.len());
                let mut w2: Vec<String> = words.iter().map(|x| x.to_string()).collect();
                w2[k] = WORDS_EN[rng.below(WORDS_EN.len())].to_string();
                s = w2.join(" ");
            }
            queries.push(s);
        }
    }
    let pool: Vec<(String, String)> = pairs
        .iter()
        .zip(&held)
        .filter(|(_, h)| !real || !**h)
        .map(|(p, _)| p.clone())
        .collect();
    let rows = match o.size {
        Some(n) if real => joined(&pool, n, 1, true, " "),
        _ => pool,
    };
    write_tsv(&tm, "en\tru", &rows)?;
    std::fs::write(&q, queries.join("\n") + "\n")?;
    let what = format!(
        "{what}; TM {} = {} units{}, queries {} = {} {} segments held out of it",
        tm.display(),
        rows.len(),
        if o.size.is_some() && real {
            " (originals, then pairs of them joined)"
        } else {
            ""
        },
        q.display(),
        queries.len(),
        if real {
            "real"
        } else {
            "synthetic (one word changed)"
        }
    );
    Ok((tm, q, what))
}

/// `n` fresh units for the import run, as a TSV with header `from\tto`.
fn import_data(o: &Opts, tm: Option<&Path>, out: &Path) -> Res<String> {
    let header = format!("{}\t{}", o.from, o.to);
    if let Some(f) = &o.import_file {
        let text = std::fs::read_to_string(f)?;
        let mut lines = text.lines();
        // the first two columns
        let two = |l: &str| {
            let mut c = l.split('\t');
            Some((c.next()?.to_string(), c.next()?.to_string()))
        };
        let h = lines.next().and_then(two).ok_or("an empty --import-file")?;
        let h = format!("{}\t{}", h.0, h.1);
        let rows: Vec<(String, String)> = lines.filter_map(two).take(o.import_units).collect();
        write_tsv(out, &h, &rows)?;
        return Ok(format!(
            "the first {} rows of {} (header '{}')",
            rows.len(),
            f.display(),
            h.replace('\t', " ")
        ));
    }
    let from_tm = tm.and_then(|p| {
        let text = std::fs::read_to_string(p).ok()?;
        let mut lines = text.lines();
        let h = lines.next()?;
        (h == header).then(|| {
            lines
                .filter_map(|l| l.split_once('\t'))
                .filter(|(a, b)| clean(a) && clean(b))
                // the originals: rows without a joined partner are the first
                // ones; any row will do, joined again with a new seed
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect::<Vec<_>>()
        })
    });
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64 | 1)
        .unwrap_or(99);
    match from_tm {
        Some(rows) if rows.len() > 100 => {
            // pairs of the first 100,000 rows (eval/fuzzy2's 1M TM begins
            // with its originals): near-duplicates of what the TM holds, new
            let base = &rows[..rows.len().min(100_000)];
            let sep = if o.to == "zh" { "" } else { " " };
            let fresh = joined(base, o.import_units, seed, false, sep);
            write_tsv(out, &header, &fresh)?;
            Ok(format!(
                "{} pairs of the TM's first {} rows joined with a new seed ({seed})",
                fresh.len(),
                base.len()
            ))
        }
        _ => {
            let fresh = synthetic_pairs(o.import_units, seed);
            write_tsv(out, &header, &fresh)?;
            Ok(format!(
                "{} synthetic units (no TM file to take rows from)",
                fresh.len()
            ))
        }
    }
}

// ---------------------------------------------------------------------------
// Processes

fn polytm(o: &Opts, db: &Path) -> Command {
    let mut c = Command::new(&o.polytm);
    c.arg("--db").arg(db);
    c
}

/// `polytm import --json` into `db`: (units added, seconds).
fn cli_import(o: &Opts, db: &Path, tsv: &Path) -> Res<(u64, f64)> {
    let t = Instant::now();
    let out = polytm(o, db)
        .args(["--quiet", "import", "--json"])
        .arg(tsv)
        .stdin(Stdio::null())
        .output()?;
    let dt = t.elapsed().as_secs_f64();
    if !out.status.success() {
        return Err(format!(
            "polytm import {}: {}",
            tsv.display(),
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    Ok((added_of(&String::from_utf8_lossy(&out.stdout)), dt))
}

struct Batch {
    wall: f64,
    /// The `--timing` line's search time of the queries.
    search: Option<f64>,
    load: Option<f64>,
    /// CPU seconds of the whole process (user + system, all threads).
    cpu: f64,
    /// Its peak resident memory (VmHWM) as last seen, MB.
    peak_mb: f64,
    /// Best score per query (0: none).
    best: Vec<u8>,
}

fn cli_batch(o: &Opts, db: &Path, queries: &Path) -> Res<Batch> {
    let cpu0 = cpu_children();
    let t = Instant::now();
    let mut child = polytm(o, db)
        .args(["--quiet", "match", "--from", &o.from, "--to", &o.to])
        .args(["--min", &o.min.to_string(), "--limit", &o.limit.to_string()])
        .args(["--json", "--timing", "--file"])
        .arg(queries)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let reader = |r: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut v = Vec::new();
            if let Some(mut r) = r {
                let _ = r.read_to_end(&mut v);
            }
            v
        })
    };
    let out_t = reader(child.stdout.take().map(|x| Box::new(x) as _));
    let err_t = reader(child.stderr.take().map(|x| Box::new(x) as _));
    // its peak resident memory: VmHWM read until it exits
    let pid = child.id();
    let mut peak = f64::NAN;
    let status = loop {
        if let Some(st) = child.try_wait()? {
            break st;
        }
        let hwm = rss_mb(pid).1;
        if !hwm.is_nan() {
            peak = hwm;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let wall = t.elapsed().as_secs_f64();
    let cpu = cpu_children() - cpu0;
    let stdout = out_t.join().unwrap_or_default();
    let stderr = err_t.join().unwrap_or_default();
    if !status.success() {
        return Err(format!("polytm match: {}", String::from_utf8_lossy(&stderr)).into());
    }
    let err = String::from_utf8_lossy(&stderr);
    // "polytm: N segments loaded in X s; M queries in Y s (Z queries/s)"
    let num_after = |key: &str| -> Option<f64> {
        let i = err.find(key)? + key.len();
        err[i..].split_whitespace().next()?.parse().ok()
    };
    let best = String::from_utf8_lossy(&stdout)
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l)
                .ok()
                .and_then(|v| v["matches"][0]["score"].as_u64())
                .unwrap_or(0) as u8
        })
        .collect();
    Ok(Batch {
        wall,
        search: num_after("queries in "),
        load: num_after("loaded in "),
        cpu,
        peak_mb: peak,
        best,
    })
}

/// A running `polytm serve`.
struct Server {
    child: Child,
    base: String,
    /// Seconds from its start until it said "listening on".
    startup: f64,
    /// Its standard error after "listening on".
    log: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(o: &Opts, db: &Path) -> Res<Server> {
        let t = Instant::now();
        let mut child = polytm(o, db)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()?;
        let stderr = child.stderr.take().ok_or("no stderr")?;
        let (tx, rx) = mpsc::channel();
        let log = Arc::new(Mutex::new(Vec::new()));
        let l2 = log.clone();
        std::thread::spawn(move || {
            let mut first = true;
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if first {
                    first = false;
                    let _ = tx.send(line);
                } else if let Ok(mut l) = l2.lock() {
                    l.push(line);
                }
            }
        });
        let first = rx
            .recv_timeout(Duration::from_secs(120))
            .map_err(|_| "the server did not say where it listens")?;
        let startup = t.elapsed().as_secs_f64();
        let base = first
            .strip_prefix("listening on ")
            .ok_or_else(|| format!("the server said: {first}"))?
            .to_string();
        Ok(Server {
            child,
            base,
            startup,
            log,
        })
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGTERM, then wait (a kill after 60 s).
    fn stop(mut self) -> Vec<String> {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let t = Instant::now();
        while t.elapsed() < Duration::from_secs(60) {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        std::thread::sleep(Duration::from_millis(50));
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }
}

// ---------------------------------------------------------------------------
// HTTP

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(300)))
        .max_idle_connections_per_host(1)
        .build()
        .into()
}

/// `s` in a URL's query (form encoding: the server reads `+` as a space).
fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// One `/api/match` request: (status, body).
fn match_once(a: &ureq::Agent, url: &str) -> Result<(u16, String), String> {
    answer(a.get(url).call())
}

fn post(a: &ureq::Agent, url: &str, ct: &str, body: &[u8]) -> Result<(u16, String), String> {
    answer(a.post(url).header("Content-Type", ct).send(body))
}

/// The status and body (up to 64 MiB) of an answer.
fn answer(
    r: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
) -> Result<(u16, String), String> {
    let mut r = r.map_err(|e| e.to_string())?;
    let status = r.status().as_u16();
    let body = r
        .body_mut()
        .with_config()
        .limit(64 << 20)
        .read_to_string()
        .map_err(|e| e.to_string())?;
    Ok((status, body))
}

fn best_score(body: &str) -> u8 {
    serde_json::from_str::<Value>(body)
        .ok()
        .and_then(|v| v[0]["score"].as_u64())
        .unwrap_or(0) as u8
}

/// One request of a run.
#[derive(Clone, Copy)]
struct Rec {
    /// When it was sent, seconds from the start of the run.
    start: f64,
    ms: f64,
    ok: bool,
}

#[derive(Default, Clone)]
struct Stats {
    n: usize,
    failed: usize,
    wall: f64,
    qps: f64,
    p50: f64,
    p90: f64,
    p99: f64,
    max: f64,
    /// CPU seconds of the server and of the clients (this process) over
    /// the run (NaN: not measured).
    server_cpu: f64,
    client_cpu: f64,
}

/// Nearest-rank percentile of sorted values.
fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let k = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[k - 1]
}

fn stats(recs: &[Rec], wall: f64) -> Stats {
    let mut ms: Vec<f64> = recs.iter().map(|r| r.ms).collect();
    ms.sort_by(f64::total_cmp);
    Stats {
        n: recs.len(),
        failed: recs.iter().filter(|r| !r.ok).count(),
        wall,
        qps: recs.len() as f64 / wall.max(1e-9),
        p50: pct(&ms, 0.50),
        p90: pct(&ms, 0.90),
        p99: pct(&ms, 0.99),
        max: ms.last().copied().unwrap_or(f64::NAN),
        server_cpu: f64::NAN,
        client_cpu: f64::NAN,
    }
}

fn stats_json(s: &Stats) -> Value {
    json!({
        "requests": s.n, "failed": s.failed, "seconds": s.wall, "queries_per_s": s.qps,
        "p50_ms": s.p50, "p90_ms": s.p90, "p99_ms": s.p99, "max_ms": s.max,
        "server_cpu_s": s.server_cpu, "client_cpu_s": s.client_cpu,
    })
}

struct Bench {
    base: String,
    urls: Vec<String>,
}

impl Bench {
    fn new(base: &str, o: &Opts, queries: &[String]) -> Bench {
        let urls = queries
            .iter()
            .map(|q| {
                format!(
                    "{base}/api/match?from={}&to={}&min={}&limit={}&q={}",
                    o.from,
                    o.to,
                    o.min,
                    o.limit,
                    enc(q)
                )
            })
            .collect();
        Bench {
            base: base.to_string(),
            urls,
        }
    }

    /// One client, every query in turn, `rounds` times; best scores of the
    /// first round.
    fn sequential(&self, rounds: usize) -> (Vec<Rec>, f64, Vec<u8>, Vec<String>) {
        let a = agent();
        let mut recs = Vec::with_capacity(self.urls.len() * rounds);
        let mut best = Vec::new();
        let mut errors = Vec::new();
        let t0 = Instant::now();
        for r in 0..rounds {
            for u in &self.urls {
                let start = t0.elapsed().as_secs_f64();
                let t = Instant::now();
                let res = match_once(&a, u);
                let ms = t.elapsed().as_secs_f64() * 1e3;
                let ok = matches!(&res, Ok((200, _)));
                if !ok && errors.len() < 5 {
                    errors.push(describe(&res));
                }
                if r == 0 {
                    best.push(res.as_ref().map_or(0, |(_, b)| best_score(b)));
                }
                recs.push(Rec { start, ms, ok });
            }
        }
        (recs, t0.elapsed().as_secs_f64(), best, errors)
    }

    /// `clients` threads sharing the queries (each taken once per round);
    /// with `until`, they go on (round after round) until it is set and at
    /// least `rounds` rounds are done.
    fn concurrent(
        &self,
        clients: usize,
        rounds: usize,
        until: Option<Arc<AtomicBool>>,
        t0_out: Option<mpsc::Sender<Instant>>,
    ) -> (Vec<Rec>, f64, Vec<String>) {
        let next = Arc::new(AtomicUsize::new(0));
        let barrier = Arc::new(Barrier::new(clients + 1));
        let n = self.urls.len();
        let urls = Arc::new(self.urls.clone());
        let errors = Arc::new(Mutex::new(Vec::new()));
        let t0 = Arc::new(Mutex::new(None::<Instant>));
        let handles: Vec<_> = (0..clients)
            .map(|_| {
                let (next, barrier, urls, until, errors, t0) = (
                    next.clone(),
                    barrier.clone(),
                    urls.clone(),
                    until.clone(),
                    errors.clone(),
                    t0.clone(),
                );
                std::thread::spawn(move || {
                    let a = agent();
                    // the connection is opened before the clock starts
                    let _ = a.get(format!("{}/api/health", base_of(&urls[0]))).call();
                    barrier.wait();
                    let start0 = t0.lock().ok().and_then(|t| *t).unwrap_or_else(Instant::now);
                    let mut recs = Vec::new();
                    loop {
                        let k = next.fetch_add(1, Ordering::Relaxed);
                        let more = until.as_ref().is_some_and(|u| !u.load(Ordering::Acquire));
                        if k >= n * rounds && !more {
                            break;
                        }
                        let start = start0.elapsed().as_secs_f64();
                        let t = Instant::now();
                        let res = match_once(&a, &urls[k % n]);
                        let ms = t.elapsed().as_secs_f64() * 1e3;
                        let ok = matches!(&res, Ok((200, _)));
                        if !ok
                            && let Ok(mut e) = errors.lock()
                            && e.len() < 5
                        {
                            e.push(describe(&res));
                        }
                        recs.push(Rec { start, ms, ok });
                    }
                    recs
                })
            })
            .collect();
        let t = Instant::now();
        if let Ok(mut g) = t0.lock() {
            *g = Some(t);
        }
        if let Some(tx) = t0_out {
            let _ = tx.send(t);
        }
        barrier.wait();
        let mut recs = Vec::new();
        for h in handles {
            recs.extend(h.join().unwrap_or_default());
        }
        let wall = t.elapsed().as_secs_f64();
        let errors = errors.lock().map(|e| e.clone()).unwrap_or_default();
        (recs, wall, errors)
    }
}

fn base_of(url: &str) -> &str {
    url.split("/api/").next().unwrap_or(url)
}

fn describe(res: &Result<(u16, String), String>) -> String {
    match res {
        Ok((s, b)) => format!("HTTP {s}: {}", b.chars().take(200).collect::<String>()),
        Err(e) => format!("request failed: {e}"),
    }
}

/// Post a unit and look it up at once: (unit id, POST ms, then match ms,
/// the unit came back as a 100 % proposal at once, a note).
fn probe(base: &str, o: &Opts, tag: &str) -> (Option<i64>, f64, f64, bool, String) {
    let a = agent();
    let nonce = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let src = format!(
        "Serve bench probe {tag} {nonce}: the quarterly report of the zebra sanctuary was approved."
    );
    let tgt = format!("Проба {tag} {nonce}: квартальный отчёт заповедника зебр утверждён.");
    let mut body = serde_json::Map::new();
    body.insert(o.from.clone(), Value::from(src.clone()));
    body.insert(o.to.clone(), Value::from(tgt));
    body.insert("doc".into(), Value::from("serve-bench probes"));
    let body = Value::Object(body);
    let t = Instant::now();
    let r = post(
        &a,
        &format!("{base}/api/units"),
        "application/json",
        body.to_string().as_bytes(),
    );
    let post_ms = t.elapsed().as_secs_f64() * 1e3;
    let id = match &r {
        Ok((200 | 201, b)) => serde_json::from_str::<Value>(b)
            .ok()
            .and_then(|v| v["id"].as_i64()),
        _ => None,
    };
    let Some(id) = id else {
        return (None, post_ms, f64::NAN, false, describe(&r));
    };
    let url = format!(
        "{base}/api/match?from={}&to={}&q={}",
        o.from,
        o.to,
        enc(&src)
    );
    let t = Instant::now();
    let m = match_once(&a, &url);
    let match_ms = t.elapsed().as_secs_f64() * 1e3;
    let (seen, note) = match &m {
        Ok((200, b)) => {
            let v: Value = serde_json::from_str(b).unwrap_or(Value::Null);
            let (unit, score) = (v[0]["unit"].as_i64(), v[0]["score"].as_u64());
            (
                unit == Some(id) && score == Some(100),
                format!("first proposal: unit {unit:?}, score {score:?}"),
            )
        }
        other => (false, describe(other)),
    };
    (Some(id), post_ms, match_ms, seen, note)
}

// ---------------------------------------------------------------------------

fn copy_db(from: &Path, to: &Path) -> Res<()> {
    remove_db(to);
    std::fs::copy(from, to)?;
    // a WAL not yet checkpointed holds part of the database
    let wal = PathBuf::from(format!("{}-wal", from.display()));
    if wal.exists() {
        std::fs::copy(&wal, format!("{}-wal", to.display()))?;
    }
    let dir = PathBuf::from(format!("{}-fuzzy", from.display()));
    if dir.is_dir() {
        let dest = PathBuf::from(format!("{}-fuzzy", to.display()));
        std::fs::create_dir_all(&dest)?;
        for e in std::fs::read_dir(&dir)? {
            let e = e?;
            if e.file_type()?.is_file() {
                std::fs::copy(e.path(), dest.join(e.file_name()))?;
            }
        }
    }
    Ok(())
}

fn remove_db(db: &Path) {
    for ext in ["", "-wal", "-shm", "-journal"] {
        // absent files are the usual case
        let _ = std::fs::remove_file(format!("{}{ext}", db.display()));
    }
    let _ = std::fs::remove_dir_all(format!("{}-fuzzy", db.display()));
}

fn ms(x: f64) -> String {
    if x.is_nan() {
        "—".into()
    } else if x < 10.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.1}")
    }
}

fn run(o: &Opts) -> Res<Summary> {
    let o = o.clone();
    std::fs::create_dir_all(&o.work)?;
    let shared_found = shared_dir().join("data").is_dir();
    let version = Command::new(&o.polytm)
        .arg("--version")
        .output()
        .map(|x| String::from_utf8_lossy(&x.stdout).trim().to_string())
        .unwrap_or_default();
    let age = std::fs::metadata(&o.polytm)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .map_or("?".into(), |d| format!("{:.0} min", d.as_secs_f64() / 60.0));
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!("# polytm serve benchmark");
    println!();
    println!(
        "machine: {cores} cores ({}), load average at start {}",
        cpu_model(),
        load_avg()
    );
    println!(
        "binary: {} ({version}, built {age} ago)",
        o.polytm.display()
    );
    println!(
        "shared data ({}): {}",
        shared_dir().join("data").display(),
        if shared_found { "found" } else { "NOT found" }
    );

    // the TM and the queries
    let (tm, queries_path, data_note) = match (&o.tm, &o.db, &o.queries) {
        (tm, Some(_), Some(q)) | (tm @ Some(_), None, Some(q)) => (
            tm.clone(),
            q.clone(),
            format!(
                "given: {}{}",
                o.db.as_ref()
                    .map_or(String::new(), |d| format!("database {}, ", d.display())),
                tm.as_ref()
                    .map_or(String::new(), |t| format!("TM {}", t.display()))
            ),
        ),
        (None, None, _) | (_, _, None) => {
            let (t, q, w) = default_data(&o)?;
            let q = o.queries.clone().unwrap_or(q);
            let t = o.tm.clone().or(Some(t));
            (t, q, w)
        }
    };
    println!("data: {data_note}");
    let queries: Vec<String> = std::fs::read_to_string(&queries_path)?
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect();
    if queries.is_empty() {
        return Err(format!("{}: no query", queries_path.display()).into());
    }
    // the CLI batch reads the same lines (an empty line would be a query)
    let batch_queries = o.work.join("queries.bench.txt");
    std::fs::write(&batch_queries, queries.join("\n") + "\n")?;

    // the database
    let orig = o.db.clone().unwrap_or_else(|| {
        o.work.join(format!(
            "tm.{}.{}-{}.db",
            o.size.map_or("all".into(), |n| n.to_string()),
            o.from,
            o.to
        ))
    });
    let db = orig.clone();
    let mut import_note = Value::Null;
    if !db.exists() {
        let tm = tm.as_ref().ok_or("no --tm to import the database from")?;
        println!("importing {} into {} ...", tm.display(), db.display());
        if let Some(d) = db.parent() {
            std::fs::create_dir_all(d)?;
        }
        let (added, dt) = cli_import(&o, &db, tm)?;
        println!(
            "  {added} units in {dt:.1} s ({:.0} units/s, index included)",
            added as f64 / dt
        );
        import_note = json!({ "units": added, "seconds": dt });
    }
    // never in place: the server may write beside the database
    let name = orig
        .file_name()
        .map_or("tm.db".into(), |n| n.to_string_lossy().into_owned());
    let db = o.work.join(format!("bench.{name}"));
    let t = Instant::now();
    copy_db(&orig, &db)?;
    println!(
        "copied {} (and its index) to {} in {:.1} s",
        orig.display(),
        db.display(),
        t.elapsed().as_secs_f64()
    );
    // a database made by another version of polytm may not open with this
    // one: then the TM file it was imported from is imported anew (once:
    // kept in --work for the next runs)
    let cannot =
        |db: &Path| -> Res<Option<String>> {
            let out = polytm(&o, db)
                .args(["--quiet", "match", "--from", &o.from, "--to", &o.to, "--"])
                .arg(&queries[0])
                .stdin(Stdio::null())
                .output()?;
            Ok((!out.status.success())
                .then(|| String::from_utf8_lossy(&out.stderr).trim().to_string()))
        };
    if let Some(why) = cannot(&db)? {
        let tm = tm.as_ref().ok_or_else(|| {
            format!(
                "this polytm cannot match on {} ({why}); give the TM file it was imported from (--tm)",
                orig.display()
            )
        })?;
        let imported = o.work.join(format!("imported.{name}"));
        println!("this polytm cannot match on {} ({why})", orig.display());
        if imported.exists() && cannot(&imported)?.is_none() {
            println!(
                "  {} imported from {} by an earlier run: taken",
                imported.display(),
                tm.display()
            );
            import_note = json!({ "reused": imported.display().to_string(), "why": why });
        } else {
            println!(
                "  importing {} anew into {} ...",
                tm.display(),
                imported.display()
            );
            remove_db(&imported);
            let (added, dt) = cli_import(&o, &imported, tm)?;
            println!(
                "  {added} units in {dt:.1} s ({:.0} units/s, index included), load average {}",
                added as f64 / dt,
                load_avg()
            );
            import_note = json!({ "units": added, "seconds": dt, "why": why });
        }
        let t = Instant::now();
        copy_db(&imported, &db)?;
        println!(
            "  copied to {} in {:.1} s",
            db.display(),
            t.elapsed().as_secs_f64()
        );
    }
    let units = {
        let out = polytm(&o, &db).args(["stats", "--json"]).output()?;
        serde_json::from_slice::<Value>(&out.stdout)
            .ok()
            .and_then(|v| v["units"].as_u64())
    };
    println!(
        "database: {} ({} units); {} queries ({}), {} → {}, min {}, limit {}, {} clients, {} round(s)",
        db.display(),
        units.map_or("?".into(), |u| u.to_string()),
        queries.len(),
        queries_path.display(),
        o.from,
        o.to,
        o.min,
        o.limit,
        o.clients,
        o.rounds
    );
    println!();

    // 1. the CLI batch
    let mut runs = Vec::new();
    for _ in 0..o.cli_runs {
        let l = load1();
        let b = cli_batch(&o, &db, &batch_queries)?;
        eprintln!(
            "  CLI batch: {:.3} s (load {:.3} s + search {:.3} s), CPU {:.2} s, peak RSS {:.0} MB, load average {l}",
            b.wall,
            b.load.unwrap_or(f64::NAN),
            b.search.unwrap_or(f64::NAN),
            b.cpu,
            b.peak_mb
        );
        runs.push(b);
    }
    runs.sort_by(|a, b| a.wall.total_cmp(&b.wall));
    let batch = &runs[runs.len() / 2];
    let batch_qps = queries.len() as f64 / batch.wall;
    let batch_search_qps = batch
        .search
        .map_or(f64::NAN, |s| queries.len() as f64 / s.max(1e-9));
    let batch_cpu_ms = batch.cpu * 1e3 / queries.len() as f64;

    // 2. the server, warmed
    let loads_at = |what: &str, v: &mut Vec<(String, String)>| v.push((what.into(), load_avg()));
    let mut loads = Vec::new();
    loads_at("before the server", &mut loads);
    let server = Server::start(&o, &db)?;
    let startup = server.startup;
    let bench = Bench::new(&server.base, &o, &queries);
    let a = agent();
    let t = Instant::now();
    let first = match_once(&a, &bench.urls[0]);
    let first_ms = t.elapsed().as_secs_f64() * 1e3;
    if !matches!(first, Ok((200, _))) {
        return Err(format!("the first query: {}", describe(&first)).into());
    }
    for u in bench.urls.iter().skip(1).take(50) {
        let _ = match_once(&a, u);
    }
    let rss_warm = rss_mb(server.pid());
    let warm_cpu = cpu_of(server.pid());
    println!(
        "server {} (pid {}): \"listening\" {:.2} s after its start; first query {:.1} ms (opens the index); \
         CPU {:.2} s by the end of the warm-up (51 queries); VmRSS {:.1} MB (peak {:.1} MB)",
        server.base,
        server.pid(),
        startup,
        first_ms,
        warm_cpu,
        rss_warm.0,
        rss_warm.1
    );

    // 3. one client
    loads_at("one client", &mut loads);
    let (s0, c0) = (cpu_of(server.pid()), cpu_self());
    let (recs, wall, best, errs) = bench.sequential(o.rounds);
    let mut one = stats(&recs, wall);
    one.server_cpu = cpu_of(server.pid()) - s0;
    one.client_cpu = cpu_self() - c0;
    for e in &errs {
        eprintln!("  one client: {e}");
    }
    let differ: Vec<usize> = best
        .iter()
        .zip(&batch.best)
        .enumerate()
        .filter(|(_, (a, b))| a != b)
        .map(|(i, _)| i + 1)
        .collect();

    // 4. N clients
    loads_at(&format!("{} clients", o.clients), &mut loads);
    let (s0, c0) = (cpu_of(server.pid()), cpu_self());
    let (recs, wall, errs) = bench.concurrent(o.clients, o.rounds, None, None);
    let mut many = stats(&recs, wall);
    many.server_cpu = cpu_of(server.pid()) - s0;
    many.client_cpu = cpu_self() - c0;
    for e in &errs {
        eprintln!("  {} clients: {e}", o.clients);
    }
    let parts = rss_parts(server.pid());
    let rss_after = (parts.0, parts.1);
    let (anon_after, file_after) = (parts.2, parts.3);
    let log = server.stop();
    loads_at("after", &mut loads);

    // 5. N clients beside an import, on a copy of the database
    let mut imp = Value::Null;
    let mut imp_rows: Vec<(String, Stats)> = Vec::new();
    let mut probes: Vec<(String, Option<i64>, f64, f64, bool, String)> = Vec::new();
    let mut imp_log = Vec::new();
    let mut imp_failed_note = String::new();
    if o.import_units > 0 {
        let fresh = o.work.join("import.tsv");
        let what = import_data(&o, o.import_from.as_deref().or(tm.as_deref()), &fresh)?;
        let copy = o.work.join(format!("import-run.{}-{}.db", o.from, o.to));
        let t = Instant::now();
        copy_db(&db, &copy)?;
        eprintln!(
            "  copied the database to {} in {:.1} s",
            copy.display(),
            t.elapsed().as_secs_f64()
        );
        let server = Server::start(&o, &copy)?;
        let bench = Bench::new(&server.base, &o, &queries);
        let a = agent();
        for u in bench.urls.iter().take(51) {
            let _ = match_once(&a, u);
        }
        loads_at("import run", &mut loads);
        let stop = Arc::new(AtomicBool::new(false));
        let (t0_tx, t0_rx) = mpsc::channel();
        let clients = {
            let stop = stop.clone();
            let (c, r) = (o.clients, o.rounds);
            let b = Bench {
                base: bench.base.clone(),
                urls: bench.urls.clone(),
            };
            std::thread::spawn(move || b.concurrent(c, r, Some(stop), Some(t0_tx)))
        };
        let t0 = t0_rx.recv()?;
        // the import, in another process or through the server
        let import_start = t0.elapsed().as_secs_f64();
        let done = Arc::new(AtomicBool::new(false));
        let importer = {
            let (done, via, o_polytm, copy, fresh, base) = (
                done.clone(),
                o.via,
                o.polytm.clone(),
                copy.clone(),
                fresh.clone(),
                bench.base.clone(),
            );
            std::thread::spawn(move || -> Result<(u64, f64, String), String> {
                let t = Instant::now();
                let r = match via {
                    Via::Cli => Command::new(&o_polytm)
                        .arg("--db")
                        .arg(&copy)
                        .args(["--quiet", "import", "--json"])
                        .arg(&fresh)
                        .stdin(Stdio::null())
                        .output()
                        .map_err(|e| e.to_string())
                        .and_then(|out| {
                            if out.status.success() {
                                Ok(String::from_utf8_lossy(&out.stdout).into_owned())
                            } else {
                                Err(String::from_utf8_lossy(&out.stderr).into_owned())
                            }
                        }),
                    Via::Http => std::fs::read(&fresh)
                        .map_err(|e| e.to_string())
                        .and_then(|body| {
                            post(
                                &agent(),
                                &format!("{base}/api/import?doc=serve-bench-import"),
                                "text/tab-separated-values",
                                &body,
                            )
                        })
                        .and_then(|(s, b)| {
                            if s == 200 {
                                Ok(b)
                            } else {
                                Err(format!("HTTP {s}: {b}"))
                            }
                        }),
                };
                let dt = t.elapsed().as_secs_f64();
                done.store(true, Ordering::Release);
                r.map(|b| (added_of(&b), dt, b))
            })
        };
        // a unit posted while the import runs
        std::thread::sleep(Duration::from_millis(300));
        if !done.load(Ordering::Acquire) {
            let (id, p, m, seen, note) = probe(&bench.base, &o, "during");
            probes.push(("during the import".into(), id, p, m, seen, note));
        } else {
            probes.push((
                "during the import".into(),
                None,
                f64::NAN,
                f64::NAN,
                false,
                "the import was over before 300 ms: not tried".into(),
            ));
        }
        let imported = importer.join().map_err(|_| "the import thread panicked")?;
        let import_end = t0.elapsed().as_secs_f64();
        // the server takes the other process's units in (a refresh a few
        // times a second): the clients go on 3 s more, then a unit is posted
        std::thread::sleep(Duration::from_secs(3));
        let (id, p, m, seen, note) = probe(&bench.base, &o, "after");
        probes.push(("after the import".into(), id, p, m, seen, note));
        stop.store(true, Ordering::Release);
        let (recs, wall, errs) = clients.join().map_err(|_| "a client thread panicked")?;
        for e in &errs {
            eprintln!("  with the import: {e}");
            imp_failed_note = e.clone();
        }
        let during: Vec<Rec> = recs
            .iter()
            .filter(|r| r.start >= import_start && r.start < import_end)
            .copied()
            .collect();
        let after: Vec<Rec> = recs
            .iter()
            .filter(|r| r.start >= import_end)
            .copied()
            .collect();
        let s_during = stats(&during, import_end - import_start);
        let s_after = stats(&after, (wall - import_end).max(1e-9));
        let s_all = stats(&recs, wall);
        let rss_imp = rss_mb(server.pid());
        imp_log = server.stop();
        let (added, secs, msg) = match imported {
            Ok(x) => x,
            Err(e) => (0, f64::NAN, format!("FAILED: {e}")),
        };
        if added == 0 {
            eprintln!("  the import: {msg}");
        }
        imp_rows.push(("during the import".into(), s_during.clone()));
        imp_rows.push(("after it (refresh)".into(), s_after.clone()));
        imp_rows.push(("whole run".into(), s_all.clone()));
        imp = json!({
            "via": format!("{:?}", o.via).to_lowercase(),
            "units": what, "added": added, "import_seconds": secs,
            "during_import": stats_json(&s_during),
            "after_import": stats_json(&s_after),
            "whole_run": stats_json(&s_all),
            "server_rss_mb": rss_imp.0, "server_peak_rss_mb": rss_imp.1,
            "probes": probes.iter().map(|(w, id, p, m, seen, note)| json!({
                "when": w, "unit": id, "post_ms": p, "match_ms": m, "proposed_at_once": seen, "note": note,
            })).collect::<Vec<_>>(),
        });
        println!(
            "import run: {added} units ({what}) imported by {} in {secs:.1} s into a copy of the database; \
             server VmRSS after it {:.1} MB (peak {:.1} MB)",
            match o.via {
                Via::Cli => "`polytm import` (another process)",
                Via::Http => "POST /api/import",
            },
            rss_imp.0,
            rss_imp.1
        );
        remove_db(&copy);
    }
    loads_at("end", &mut loads);

    // the table
    println!();
    println!(
        "| run | requests | failed | p50 ms | p90 ms | p99 ms | max ms | wall s | queries/s | × CLI batch | CPU s polytm (+ clients) | polytm CPU ms/query |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    println!(
        "| CLI batch (whole process, median of {}) | {} | 0 | | | | | {:.2} | {:.0} | 1.00 | {:.2} | {:.2} |",
        o.cli_runs,
        queries.len(),
        batch.wall,
        batch_qps,
        batch.cpu,
        batch_cpu_ms
    );
    println!(
        "| CLI batch, search only (--timing) | {} | 0 | | | | | {:.2} | {:.0} | {:.2} | | |",
        queries.len(),
        batch.search.unwrap_or(f64::NAN),
        batch_search_qps,
        batch_search_qps / batch_qps
    );
    let row = |name: &str, s: &Stats| {
        let cpu = if s.server_cpu.is_nan() {
            " | ".to_string()
        } else {
            format!(
                "{:.2} (+ {:.2}) | {:.2}",
                s.server_cpu,
                s.client_cpu,
                s.server_cpu * 1e3 / s.n.max(1) as f64
            )
        };
        println!(
            "| {name} | {} | {} | {} | {} | {} | {} | {:.2} | {:.0} | {:.2} | {cpu} |",
            s.n,
            s.failed,
            ms(s.p50),
            ms(s.p90),
            ms(s.p99),
            ms(s.max),
            s.wall,
            s.qps,
            s.qps / batch_qps
        )
    };
    row("1 client", &one);
    row(&format!("{} clients", o.clients), &many);
    for (name, s) in &imp_rows {
        row(&format!("{} clients, {name}", o.clients), s);
    }
    println!();
    println!(
        "1 client vs the batch: {} of {} best scores equal{}",
        best.len() - differ.len(),
        best.len(),
        if differ.is_empty() {
            String::new()
        } else {
            format!(" (differ: queries {:?})", &differ[..differ.len().min(10)])
        }
    );
    for (w, id, p, m, seen, note) in &probes {
        println!(
            "unit posted {w}: id {}, POST {} ms, next /api/match {} ms: {} ({note})",
            id.map_or("—".into(), |i| i.to_string()),
            ms(*p),
            ms(*m),
            if *seen {
                "proposed at once"
            } else {
                "NOT proposed at once"
            }
        );
    }
    if !imp_failed_note.is_empty() {
        println!("a failed request: {imp_failed_note}");
    }
    println!(
        "server: \"listening\" {startup:.2} s after its start, first query {} ms; VmRSS {:.1} MB after warm-up, \
         {:.1} MB after the runs (peak {:.1} MB; heap {:.1} MB + files mapped {:.1} MB); the CLI batch's peak RSS {:.1} MB",
        ms(first_ms),
        rss_warm.0,
        rss_after.0,
        rss_after.1,
        anon_after,
        file_after,
        batch.peak_mb
    );
    println!(
        "load average (1, 5, 15 min): {}",
        loads
            .iter()
            .map(|(w, l)| format!("{w}: {l}"))
            .collect::<Vec<_>>()
            .join("; ")
    );
    for l in log.iter().chain(&imp_log).take(10) {
        println!("server said: {l}");
    }

    if let Some(path) = &o.json {
        let v = json!({
            "machine": { "cores": cores, "cpu": cpu_model(), "loads": loads.iter().map(|(w, l)| json!({"when": w, "loadavg": l})).collect::<Vec<_>>() },
            "binary": o.polytm.display().to_string(), "version": version,
            "shared_data_found": shared_found, "data": data_note,
            "database": db.display().to_string(), "units": units, "import_of_database": import_note,
            "queries": queries.len(), "from": o.from, "to": o.to, "min": o.min, "limit": o.limit,
            "clients": o.clients, "rounds": o.rounds,
            "cli_batch": {
                "runs": runs.iter().map(|b| json!({"seconds": b.wall, "load_s": b.load, "search_s": b.search, "cpu_s": b.cpu, "peak_rss_mb": b.peak_mb})).collect::<Vec<_>>(),
                "queries_per_s": batch_qps, "search_only_queries_per_s": batch_search_qps,
            },
            "server": {
                "startup_to_listening_s": startup, "first_query_ms": first_ms, "rss_after_warmup_mb": rss_warm.0,
                "rss_after_runs_mb": rss_after.0, "peak_rss_mb": rss_after.1,
                "rss_anon_after_runs_mb": anon_after, "rss_file_after_runs_mb": file_after,
            },
            "one_client": stats_json(&one),
            "one_client_best_scores_equal_batch": best.len() - differ.len(),
            "concurrent": stats_json(&many),
            "concurrent_ratio_to_batch": many.qps / batch_qps,
            "with_import": imp,
        });
        std::fs::write(path, serde_json::to_string_pretty(&v)? + "\n")?;
        println!("figures written to {}", path.display());
    }
    remove_db(&db);
    Ok(Summary {
        name,
        units,
        startup,
        first_ms,
        rss: rss_after,
        batch_qps,
        batch_cpu_ms,
        agree: best.len() - differ.len(),
        n: best.len(),
        one,
        many,
    })
}

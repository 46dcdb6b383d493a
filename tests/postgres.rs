//! The same commands on a PostgreSQL database as on a file: a
//! representative set of the CLI's scenarios is run on both backends and
//! their outputs compared (ids, dates and the database's name and size
//! aside), plus what is PostgreSQL's own: migrating a TM between the two,
//! and the bad connections and databases that must fail in one line with
//! exit code 4.
//!
//! The server is started by the tests themselves (`common::pg`); without
//! PostgreSQL 15 the tests are skipped unless `POLYTM_REQUIRE_POSTGRES=1`.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use common::pg::Server;
use common::{Tm, fixture, shipped_glossary};

/// A fresh database on the shared server, and the server kept alive.
fn pg_tm() -> Option<(Arc<Server>, Tm)> {
    let server = Server::get()?;
    let url = server.new_db();
    Some((server, Tm::at(PathBuf::from(url))))
}

/// Dates (`2026-12-06T12:00:00Z`, TMX's `20261206T120000Z`) as `DATE`:
/// they are the time a command ran.
fn undated(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    let digits =
        |r: std::ops::Range<usize>| r.end <= b.len() && b[r].iter().all(u8::is_ascii_digit);
    while i < b.len() {
        // 2026-12-06T12:00:00(.fraction)Z
        if digits(i..i + 4)
            && b.get(i + 4) == Some(&b'-')
            && digits(i + 5..i + 7)
            && b.get(i + 7) == Some(&b'-')
            && digits(i + 8..i + 10)
            && b.get(i + 10) == Some(&b'T')
        {
            let mut j = i + 11;
            while j < b.len() && (b[j].is_ascii_digit() || b[j] == b':' || b[j] == b'.') {
                j += 1;
            }
            if b.get(j) == Some(&b'Z') {
                j += 1;
            }
            out.push_str("DATE");
            i = j;
            continue;
        }
        // 20261206T120000Z
        if digits(i..i + 8)
            && b.get(i + 8) == Some(&b'T')
            && digits(i + 9..i + 15)
            && b.get(i + 15) == Some(&b'Z')
        {
            out.push_str("DATE");
            i += 16;
            continue;
        }
        let ch = s[i..].chars().next().unwrap();
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

/// Everything the scenario prints, step by step, with what differs by
/// nature (the database's name and size, dates) taken out.
fn scenario(tm: &Tm) -> Vec<(String, String)> {
    let mut seen: Vec<(String, String)> = Vec::new();
    let mut step = |name: &str, out: String| seen.push((name.to_string(), undated(&out)));
    let out = |args: &[&str]| -> String {
        let (code, stdout, stderr) = tm.run(args, None);
        assert_eq!(code, 0, "{args:?} on {}: {stderr}", tm.db.display());
        stdout
    };
    let path = |p: PathBuf| p.to_str().unwrap().to_string();

    step(
        "import tmx",
        out(&["import", &path(fixture("tmx/sample.tmx"))]),
    );
    step(
        "import tsv",
        out(&["import", &path(fixture("tmx/pairs.tsv"))]),
    );
    step(
        "import again",
        out(&["import", &path(fixture("tmx/pairs.tsv"))]),
    );
    let r = |f: &str| {
        path(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("examples/releases")
                .join(f),
        )
    };
    step(
        "align",
        out(&[
            "align",
            "--langs",
            "en,ru",
            &r("2019-05-16-bishkek.en.txt"),
            &r("2019-05-16-bishkek.ru.txt"),
        ]),
    );
    step(
        "align 3",
        out(&[
            "align",
            "--langs",
            "en,ru,zh",
            &r("2020-05-14-moscow.en.txt"),
            &r("2020-05-14-moscow.ru.txt"),
            &r("2020-05-14-moscow.zh.txt"),
        ]),
    );
    step(
        "glossary import",
        out(&["glossary", "import", &path(shipped_glossary())]),
    );
    step(
        "glossary import again",
        out(&["glossary", "import", &path(shipped_glossary())]),
    );
    step(
        "term",
        out(&["term", "--json", "министерства внутренних дел"]),
    );
    step("glossary list", out(&["glossary", "list"]));
    step(
        "match",
        out(&[
            "match",
            "--from",
            "en",
            "--to",
            "ru",
            "--json",
            "The next meeting will be held in 2022 in the Republic of Uzbekistan.",
        ]),
    );
    step(
        "match exhaustive",
        out(&[
            "match",
            "--from",
            "en",
            "--to",
            "ru",
            "--json",
            "--exhaustive",
            "The next meeting will be held in 2022 in the Republic of Uzbekistan.",
        ]),
    );
    step(
        "match zh",
        out(&[
            "match",
            "--from",
            "en",
            "--to",
            "zh",
            "--json",
            "--min",
            "30",
            "The meeting was held in Moscow.",
        ]),
    );
    step(
        "concordance",
        out(&["concordance", "Министерство внутренних дел"]),
    );
    step(
        "concordance en",
        out(&["concordance", "--lang", "en", "drug"]),
    );
    let tmx = tm.path("out.tmx");
    out(&["export", "-o", &path(tmx.clone())]);
    step("export tmx", std::fs::read_to_string(&tmx).unwrap());
    step(
        "export tsv",
        out(&["export", "--format", "csv", "--langs", "en,ru"]),
    );
    step("docs", out(&["docs", "list"]));
    step("batches", out(&["batches", "list"]));
    step("unit show", out(&["unit", "show", "3"]));
    let stats = tm.json(&["stats", "--json"], None);
    let mut stats = stats.as_object().unwrap().clone();
    stats.remove("database");
    stats.remove("bytes");
    // each backend numbers its own schema's versions
    stats.remove("schema_version");
    step("stats", serde_json::to_string_pretty(&stats).unwrap());
    step("batches remove", out(&["batches", "remove", "2"]));
    step("unit show after", out(&["unit", "show", "4"]));
    step("docs after", out(&["docs", "list"]));
    seen
}

fn compare(a: &[(String, String)], b: &[(String, String)]) {
    assert_eq!(a.len(), b.len());
    for ((name, x), (_, y)) in a.iter().zip(b) {
        assert_eq!(x, y, "`{name}` differs between SQLite and PostgreSQL");
        assert!(
            !x.trim().is_empty() || name.starts_with("batches remove"),
            "{name}: no output"
        );
    }
}

#[test]
fn the_same_commands_give_the_same_output_on_both_backends() {
    let Some((_server, pg)) = pg_tm() else { return };
    let file = Tm::new();
    let on_file = scenario(&file);
    let on_pg = scenario(&pg);
    compare(&on_file, &on_pg);
}

#[test]
fn a_failing_import_leaves_the_database_unchanged() {
    let Some((_server, pg)) = pg_tm() else { return };
    let file = Tm::new();
    for tm in [&file, &pg] {
        tm.ok(&["import", fixture("tmx/sample.tmx").to_str().unwrap()]);
        tm.ok(&["glossary", "import", shipped_glossary().to_str().unwrap()]);
        let before = tm.snapshot();
        let (code, _, err) = tm.run(
            &["import", fixture("tmx/bad/truncated.tmx").to_str().unwrap()],
            None,
        );
        assert_eq!(code, 3, "{err}");
        assert!(err.lines().count() <= 3, "{err}");
        let (code, _, err) = tm.run(
            &[
                "glossary",
                "import",
                fixture("glossary/bad-columns.tsv").to_str().unwrap(),
            ],
            None,
        );
        assert_eq!(code, 3, "{err}");
        assert!(
            tm.snapshot() == before,
            "{}: the database changed",
            tm.db.display()
        );
    }
}

#[test]
fn migrate_file_to_postgres_to_file_keeps_the_tm() {
    let Some((_server, pg)) = pg_tm() else { return };
    let file = Tm::new();
    let p = |p: PathBuf| p.to_str().unwrap().to_string();
    file.ok(&["import", &p(fixture("tmx/sample.tmx"))]);
    file.ok(&["import", &p(fixture("tmx/pairs.tsv"))]);
    file.ok(&["glossary", "import", &p(shipped_glossary())]);
    file.ok(&[
        "lexicon",
        "import",
        "--langs",
        "zh,en",
        &p(fixture("align/cedict-sample.u8")),
    ]);
    // a gap in the ids: ids are kept, so TMX's tuid (the id) is the same
    file.ok(&["unit", "delete", "2"]);
    let export = |tm: &Tm, name: &str| -> String {
        let out = tm.path(name);
        tm.ok(&["export", "-o", &p(out.clone())]);
        std::fs::read_to_string(out).unwrap()
    };
    let original = export(&file, "a.tmx");
    let pg_url = pg.db.to_str().unwrap().to_string();
    let said = file.ok(&["migrate", "--to", &pg_url]);
    assert!(said.contains("units"), "{said}");
    assert!(!said.contains(common::pg::PASSWORD), "{said}");
    assert_eq!(export(&pg, "b.tmx"), original);
    let back = Tm::new();
    pg.ok(&["migrate", "--to", &p(back.db.clone())]);
    assert_eq!(export(&back, "c.tmx"), original);
    // everything else came along
    let strip = |tm: &Tm| {
        let mut s = tm.stats();
        s.database.clear();
        s.bytes = 0;
        format!("{s:?}")
    };
    assert_eq!(strip(&back), strip(&file));
    assert_eq!(
        back.read(|r| r.concepts().unwrap()),
        file.read(|r| r.concepts().unwrap())
    );
    let lexicon = |tm: &Tm| {
        tm.read(|r| {
            let mut v = Vec::new();
            r.for_each_lexicon_entry(&mut |e, s, _| {
                v.push(format!("{e:?} {s:?}"));
                Ok(())
            })
            .unwrap();
            v
        })
    };
    assert_eq!(lexicon(&back), lexicon(&file));
    assert_eq!(
        back.ok(&[
            "match",
            "--from",
            "en",
            "--to",
            "ru",
            "--json",
            "Secretariat"
        ]),
        file.ok(&[
            "match",
            "--from",
            "en",
            "--to",
            "ru",
            "--json",
            "Secretariat"
        ])
    );
    // a target that is not empty is refused, and left as it was
    let (code, _, err) = file.run(&["migrate", "--to", &pg_url], None);
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("not empty"), "{err}");
    assert!(!err.contains(common::pg::PASSWORD), "{err}");
}

/// One line, exit 4, no panic, the password nowhere.
fn fails_with_db_error(tm: &Tm, expect: &str) {
    let (code, out, err) = tm.run(&["stats"], None);
    assert_eq!(code, 4, "{}: {out}{err}", tm.db.display());
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains(expect), "{err}");
    assert!(!err.contains("panick"), "{err}");
    assert!(!err.contains(common::pg::PASSWORD), "{err}");
}

#[test]
fn bad_urls_servers_passwords_and_schemas_fail_in_one_line() {
    let Some((server, pg)) = pg_tm() else { return };
    fails_with_db_error(
        &Tm::at("postgres://polytm@127.0.0.1:notaport/x"),
        "not a valid PostgreSQL URL",
    );
    // a port nobody listens on
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    fails_with_db_error(
        &Tm::at(format!(
            "postgres://polytm:{}@127.0.0.1:{port}/tm",
            common::pg::PASSWORD
        )),
        "cannot connect",
    );
    let db = pg
        .db
        .to_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    fails_with_db_error(&Tm::at(server.url(&db, "wrong")), "password");
    fails_with_db_error(
        &Tm::at(server.url("no_such_db", common::pg::PASSWORD)),
        "no_such_db",
    );
    // a database polytm set up, then a newer polytm changed
    pg.ok(&["stats"]);
    server.psql(
        pg.db.to_str().unwrap(),
        "UPDATE polytm_schema SET version = 999",
    );
    fails_with_db_error(&pg, "newer polytm");
    // a database holding something else
    let other = server.new_db();
    server.psql(&other, "CREATE TABLE invoices (id int)");
    fails_with_db_error(&Tm::at(other), "not a polytm translation memory");
}

#[test]
fn stats_names_the_database_without_its_password() {
    let Some((_server, pg)) = pg_tm() else { return };
    let out = pg.ok(&["stats"]);
    let url = pg.db.to_str().unwrap();
    assert!(!out.contains(common::pg::PASSWORD), "{out}");
    assert!(
        out.contains(&url.replace(&format!(":{}@", common::pg::PASSWORD), "@")),
        "{out}"
    );
    // output files are not checked against a URL as if it were a path
    let o = pg.path("x.tmx");
    pg.ok(&["import", fixture("tmx/sample.tmx").to_str().unwrap()]);
    pg.ok(&["export", "-o", o.to_str().unwrap()]);
    assert!(o.exists());
}

#[test]
fn the_index_files_follow_what_changes_on_the_server() {
    let Some((_server, pg)) = pg_tm() else { return };
    let tsv = |name: &str, rows: &str| {
        let p = pg.path(name);
        std::fs::write(&p, format!("en\tru\n{rows}")).unwrap();
        p.to_str().unwrap().to_string()
    };
    let matches = |extra: &[&str], q: &str| -> Vec<(i64, i64)> {
        let mut args = vec!["match", "--from", "en", "--to", "ru", "--json"];
        args.extend_from_slice(extra);
        args.push(q);
        pg.json(&args, None)
            .as_array()
            .unwrap()
            .iter()
            .map(|m| (m["score"].as_i64().unwrap(), m["unit"].as_i64().unwrap()))
            .collect()
    };
    let best = |q: &str| matches(&[], q);
    pg.ok(&[
        "import",
        &tsv(
            "a.tsv",
            "Open the file.\tОткройте файл.\nClose the file.\tЗакройте файл.\n",
        ),
    ]);
    assert_eq!(best("Open the file.")[0], (100, 1));
    // the file was written on the client, by the database's identity
    let cache = pg.dir.path().join("cache/polytm");
    assert!(std::fs::read_dir(&cache).unwrap().next().is_some());
    // a unit added, one changed and one deleted by other processes
    pg.ok(&["import", &tsv("b.tsv", "Save the file.\tСохраните файл.\n")]);
    pg.ok(&["unit", "edit", "2", "--lang", "en", "Close the old file."]);
    pg.ok(&["unit", "delete", "1"]);
    assert_eq!(best("Save the file.")[0], (100, 3));
    assert_eq!(best("Close the old file.")[0], (100, 2));
    assert!(
        best("Open the file.")
            .iter()
            .all(|&(s, u)| s < 100 && u != 1)
    );
    // and --exhaustive agrees
    assert_eq!(
        matches(&["--exhaustive"], "Close the old file."),
        best("Close the old file.")
    );
}

/// `polytm serve` on `tm`: the process and the address it listens on.
fn serve(
    tm: &Tm,
) -> (
    std::process::Child,
    String,
    std::sync::mpsc::Receiver<String>,
) {
    use std::io::BufRead;
    let mut c = tm.process();
    c.args(["serve", "--listen", "127.0.0.1:0"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    let mut child = c.spawn().unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let first = rx
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("the server says where it listens");
    let base = first.strip_prefix("listening on ").unwrap().to_string();
    (child, base, rx)
}

fn http_get(url: &str) -> String {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    agent
        .get(url)
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap()
}

#[test]
fn two_servers_on_one_database_see_each_others_writes_and_stop_cleanly() {
    let Some((_server, pg)) = pg_tm() else { return };
    pg.ok(&["import", fixture("tmx/pairs.tsv").to_str().unwrap()]);
    let (mut a, base_a, log_a) = serve(&pg);
    let (mut b, base_b, log_b) = serve(&pg);
    let q = "The%20zebra%20crossed%20the%20old%20bridge.";
    let path = format!("/api/match?from=en&to=ru&q={q}");
    assert_eq!(http_get(&format!("{base_b}{path}")).trim(), "[]");
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut r = agent
        .post(format!("{base_a}/api/units"))
        .header("Content-Type", "application/json")
        .send(
            r#"{"en":"The zebra crossed the old bridge.","ru":"Зебра перешла старый мост."}"#
                .as_bytes(),
        )
        .unwrap();
    assert_eq!(
        r.status().as_u16(),
        201,
        "{}",
        r.body_mut().read_to_string().unwrap()
    );
    let seen = |base: &str, want: bool| {
        let t = std::time::Instant::now();
        loop {
            let body = http_get(&format!("{base}{path}"));
            if body.contains("\"score\": 100") == want {
                return;
            }
            assert!(
                t.elapsed() < std::time::Duration::from_secs(3),
                "{base}: {body}"
            );
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    };
    seen(&base_a, true);
    seen(&base_b, true);
    // deleted by another process: no longer proposed by either
    pg.ok(&["unit", "delete", "4"]);
    seen(&base_a, false);
    seen(&base_b, false);
    for (child, log) in [(&mut a, &log_a), (&mut b, &log_b)] {
        let ok = std::process::Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(ok.success());
        let status = child.wait().unwrap();
        let said: Vec<String> = log.try_iter().collect();
        assert!(status.success(), "{status:?}: {said:?}");
        assert!(!said.iter().any(|l| l.contains("panicked")), "{said:?}");
    }
}

#[test]
fn writers_in_several_processes_take_turns() {
    let Some((_server, pg)) = pg_tm() else { return };
    let files: Vec<String> = (0..4)
        .map(|f| {
            let p = pg.path(&format!("part{f}.tsv"));
            let mut s = String::from("en\tru\n");
            for i in 0..3000 {
                s.push_str(&format!(
                    "Sentence {i} of part {f}.\tПредложение {i} части {f}.\n"
                ));
            }
            std::fs::write(&p, s).unwrap();
            p.to_str().unwrap().to_string()
        })
        .collect();
    let children: Vec<std::process::Child> = files
        .iter()
        .map(|f| {
            let mut c = pg.process();
            c.args(["import", f])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped());
            c.spawn().unwrap()
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let stats = pg.stats();
    assert_eq!(
        (stats.units, stats.documents, stats.batches),
        (12_000, 4, 4)
    );
    // every unit once, ids 1..=12000
    let ids = pg.read(|r| common::unit_ids(r));
    assert_eq!(ids, (1..=12_000).collect::<Vec<i64>>());
}

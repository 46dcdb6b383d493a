//! Outputs never destroy what the user has (issue 10): the open database
//! and the inputs are never replaced, special files are written into,
//! interrupted runs leave no temporary file, modes follow the umask.

#![cfg(target_os = "linux")]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Tm, fixture, shipped_glossary};

fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A TM with a few units and the shipped glossary.
fn small_tm() -> Tm {
    let tm = Tm::new();
    tm.ok(&["import", arg(&fixture("fuzzy/tm.tsv"))]);
    tm.ok(&["glossary", "import", arg(&shipped_glossary())]);
    tm
}

/// The database is a readable TM with what it held before.
fn intact(tm: &Tm, before: &str) {
    assert_eq!(tm.snapshot(), *before, "the database changed");
    let stats = tm.json(&["stats", "--json"], None);
    assert!(stats["units"].as_i64().unwrap() > 0);
}

/// Files of the TM's folder whose name starts with `.polytm-`.
fn temporaries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".polytm-"))
        .collect()
}

#[test]
fn no_output_flag_replaces_the_open_database() {
    let tm = small_tm();
    let before = tm.snapshot();
    let db = tm.db.clone();
    let dir = tm.dir.path();
    std::os::unix::fs::symlink(&db, dir.join("link.db")).unwrap();
    std::fs::write(dir.join("new.en.txt"), "Delete the selected files.\n").unwrap();
    std::fs::write(dir.join("new.ru.txt"), "Удалить выбранные файлы.\n").unwrap();
    let names: Vec<PathBuf> = vec![
        db.clone(),
        dir.join(".").join(db.file_name().unwrap()),
        dir.join("link.db"),
        dir.join("tm.db-wal"),
        dir.join("tm.db-shm"),
    ];
    for name in &names {
        for args in [
            vec!["export", "-o", arg(name)],
            vec!["export", "--format", "csv", "-o", arg(name)],
            vec!["export", "--format", "tsv", "-o", arg(name)],
            vec!["glossary", "export", "-o", arg(name)],
            vec!["glossary", "export", "--format", "tbx", "-o", arg(name)],
            vec![
                "analyze",
                "--from",
                "en",
                "--to",
                "ru",
                "--html",
                arg(name),
                arg(&dir.join("new.en.txt")),
            ],
            vec![
                "pretranslate",
                "--from",
                "en",
                "--to",
                "ru",
                "-o",
                arg(name),
                arg(&dir.join("new.en.txt")),
            ],
            vec![
                "pretranslate",
                "--from",
                "en",
                "--to",
                "ru",
                "--html",
                arg(name),
                arg(&dir.join("new.en.txt")),
            ],
            vec![
                "qa",
                "--tm",
                "--from",
                "en",
                "--to",
                "ru",
                "--html",
                arg(name),
            ],
            vec![
                "align",
                "--langs",
                "en,ru",
                "--no-store",
                "--review",
                arg(name),
                arg(&dir.join("new.en.txt")),
                arg(&dir.join("new.ru.txt")),
            ],
        ] {
            let (code, _, err) = tm.run(&args, None);
            assert_eq!(code, 2, "{args:?}: {err}");
            assert!(err.contains("database"), "{args:?}: {err}");
            assert!(err.lines().count() <= 3, "{err}");
            intact(&tm, &before);
        }
    }
    // and an input is not an output either
    let input = dir.join("new.en.txt");
    let (code, _, err) = tm.run(
        &[
            "analyze",
            "--from",
            "en",
            "--to",
            "ru",
            "--html",
            arg(&input),
            arg(&input),
        ],
        None,
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("input"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&input).unwrap(),
        "Delete the selected files.\n"
    );
    let ru = dir.join("new.ru.txt");
    for args in [
        vec![
            "pretranslate",
            "--from",
            "en",
            "--to",
            "ru",
            "-o",
            arg(&input),
            arg(&input),
        ],
        vec![
            "align",
            "--langs",
            "en,ru",
            "--no-store",
            "--review",
            arg(&ru),
            arg(&input),
            arg(&ru),
        ],
    ] {
        let (code, _, err) = tm.run(&args, None);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains("input"), "{args:?}: {err}");
    }
    assert_eq!(
        std::fs::read_to_string(&ru).unwrap(),
        "Удалить выбранные файлы.\n"
    );
    // -o beside the database is fine
    tm.ok(&["export", "-o", arg(&dir.join("out.tmx"))]);
    assert!(dir.join("out.tmx").exists());
}

#[test]
fn a_device_or_a_fifo_is_written_into_not_replaced() {
    let tm = small_tm();
    tm.ok(&["export", "-o", "/dev/null"]);
    tm.ok(&["glossary", "export", "-o", "/dev/null"]);
    let m = std::fs::metadata("/dev/null").unwrap();
    assert!(!m.is_file(), "/dev/null was replaced by a file");
    // /dev/stdout: the export arrives on standard output
    let out = tm.ok(&["export", "--format", "tsv", "-o", "/dev/stdout"]);
    assert!(out.starts_with("en\t"), "{out}");
    // a FIFO: its reader gets the whole export
    let fifo = tm.path("pipe");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let f = fifo.clone();
    let reader = std::thread::spawn(move || std::fs::read_to_string(f).unwrap());
    tm.ok(&["export", "--format", "tsv", "-o", arg(&fifo)]);
    let got = reader.join().unwrap();
    assert!(got.starts_with("en\t") && got.lines().count() > 10, "{got}");
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
}

#[test]
fn outputs_follow_the_umask_and_keep_a_replaced_file_s_mode() {
    use std::os::unix::fs::PermissionsExt;
    let tm = small_tm();
    let run = |umask: &str, args: &[&str]| {
        let p = tm.process();
        let st = Command::new("sh")
            .arg("-c")
            .arg(format!(r#"umask {umask}; exec "$0" "$@""#))
            .arg(p.get_program())
            .args(p.get_args())
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(st.success(), "{args:?}");
    };
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let g = tm.path("glossary.tsv");
    run("022", &["glossary", "export", "-o", arg(&g)]);
    assert_eq!(mode(&g), 0o644);
    let e = tm.path("tm.tmx");
    run("027", &["export", "-o", arg(&e)]);
    assert_eq!(mode(&e), 0o640);
    // a file replaced keeps its mode
    std::fs::set_permissions(&g, std::fs::Permissions::from_mode(0o600)).unwrap();
    run("022", &["glossary", "export", "-o", arg(&g)]);
    assert_eq!(mode(&g), 0o600);
    let h = tm.path("report.html");
    std::fs::write(tm.path("q.en.txt"), "Open the file.\n").unwrap();
    run(
        "002",
        &[
            "analyze",
            "--from",
            "en",
            "--to",
            "ru",
            "--html",
            arg(&h),
            arg(&tm.path("q.en.txt")),
        ],
    );
    assert_eq!(mode(&h), 0o664);
}

/// A TM big enough that exporting it takes a while.
fn big_tm() -> Tm {
    let tm = Tm::new();
    let mut tsv = String::from("en\tru\n");
    for i in 0..40_000 {
        tsv.push_str(&format!(
            "Sentence number {i} about the narcotics situation in region {}.\t\
             Предложение номер {i} о наркотической ситуации в регионе {}.\n",
            i % 97,
            i % 97
        ));
    }
    std::fs::write(tm.path("big.tsv"), tsv).unwrap();
    tm.ok(&["import", arg(&tm.path("big.tsv"))]);
    tm
}

/// Start `export -o out.tmx`, wait until its temporary file is there.
#[allow(
    clippy::zombie_processes,
    reason = "the running child is handed to the caller, which waits for it"
)]
fn export_in_flight(tm: &Tm, out: &Path) -> Option<std::process::Child> {
    let mut c = tm.process();
    c.args(["export", "-o", arg(out)])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut child = c.spawn().unwrap();
    let t = Instant::now();
    while t.elapsed() < Duration::from_secs(60) {
        if !temporaries(tm.dir.path()).is_empty() {
            return Some(child);
        }
        if child.try_wait().unwrap().is_some() {
            return None; // finished before we saw it: try again
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("no temporary file appeared");
}

fn signal(child: &std::process::Child, sig: &str) {
    assert!(
        Command::new("kill")
            .args([sig, &child.id().to_string()])
            .status()
            .unwrap()
            .success()
    );
}

#[test]
fn an_interrupted_export_leaves_nothing_behind() {
    let tm = big_tm();
    let out = tm.path("out.tmx");
    for (sig, code) in [("-TERM", 143), ("-INT", 130)] {
        let mut child = None;
        for _ in 0..5 {
            child = export_in_flight(&tm, &out);
            if child.is_some() {
                break;
            }
            std::fs::remove_file(&out).ok();
        }
        let mut child = child.expect("the export always finished before it could be stopped");
        let t = Instant::now();
        signal(&child, sig);
        let status = loop {
            if let Some(s) = child.try_wait().unwrap() {
                break s;
            }
            assert!(
                t.elapsed() < Duration::from_secs(2),
                "still running 2 s after {sig}"
            );
            std::thread::sleep(Duration::from_millis(5));
        };
        assert_eq!(status.code(), Some(code), "{sig}");
        assert_eq!(temporaries(tm.dir.path()), Vec::<String>::new(), "{sig}");
        assert!(!out.exists(), "{sig}: a partial output");
    }
    // SIGKILL cannot be caught: the next output into the folder removes
    // what it left
    let mut child = loop {
        if let Some(c) = export_in_flight(&tm, &out) {
            break c;
        }
        std::fs::remove_file(&out).ok();
    };
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(temporaries(tm.dir.path()).len(), 1);
    tm.ok(&["glossary", "export", "-o", arg(&tm.path("g.tsv"))]);
    assert_eq!(temporaries(tm.dir.path()), Vec::<String>::new());
}

#[test]
fn an_error_message_stays_short_whatever_the_input_holds() {
    let tm = small_tm();
    let before = tm.snapshot();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "newlines.tmx",
            format!(
                "<?xml version=\"1.0\"?><tmx version=\"1.4\"><header srclang=\"en\"/><body><tu><tuv xml:lang=\"en\"><seg>a</seg></tuv></tu{}x></body></tmx>",
                "\n".repeat(100_000)
            )
            .into_bytes(),
        ),
        (
            "escape.tsv",
            format!("en\t\u{1b}[31mru{}\u{7}\na\tb\n", "x".repeat(50_000)).into_bytes(),
        ),
        (
            "long-tag.tmx",
            format!(
                "<?xml version=\"1.0\"?><tmx version=\"1.4\"><header srclang=\"en\"/><body><tu><tuv xml:lang=\"{}\"><seg>a</seg></tuv></tu></body></tmx>",
                "\u{202E}q".repeat(30_000)
            )
            .into_bytes(),
        ),
    ];
    for (name, bytes) in cases {
        let p = tm.path(name);
        std::fs::write(&p, bytes).unwrap();
        let (code, _, err) = tm.run(&["import", arg(&p)], None);
        assert_ne!(code, 0, "{name}");
        assert!(
            err.lines().count() <= 3,
            "{name}: {} lines",
            err.lines().count()
        );
        assert!(err.len() <= 1000, "{name}: {} bytes", err.len());
        assert!(err.contains(name), "{name}: {err}");
        assert!(
            !err.chars()
                .any(|c| c.is_control() && c != '\n' || ('\u{202A}'..='\u{202E}').contains(&c)),
            "{name}: raw control characters: {err:?}"
        );
        intact(&tm, &before);
    }
    // an unknown language given on the command line, however long
    let lang = "\u{1b}]0;title\u{7}".repeat(10_000);
    let (code, _, err) = tm.run(&["match", "--from", &lang, "--to", "ru", "x"], None);
    assert_eq!(code, 2);
    assert!(err.len() <= 1000 && err.lines().count() <= 3, "{err:?}");
    assert!(!err.contains('\u{1b}'));
}

#[test]
fn csv_cells_that_look_like_formulas_are_kept_unless_asked_and_only_a_spaced_bar_splits_terms() {
    let tm = Tm::new();
    std::fs::write(
        tm.path("g.tsv"),
        "en\tru\n+cmd|calc\t=HYPERLINK(\"http://x\")\nMinistry of Interior | MoI\tМВД\n",
    )
    .unwrap();
    tm.ok(&["glossary", "import", arg(&tm.path("g.tsv"))]);
    let concepts = tm.json(&["glossary", "list", "--json"], None);
    let en: Vec<String> = concepts
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["terms"].as_array().unwrap().clone())
        .filter(|t| t["lang"] == "en")
        .map(|t| t["text"].as_str().unwrap().to_string())
        .collect();
    assert!(en.contains(&"+cmd|calc".to_string()), "{en:?}");
    assert!(en.contains(&"MoI".to_string()), "{en:?}");
    // what goes out is what came in, by default
    let csv = tm.ok(&["glossary", "export", "--format", "csv"]);
    assert!(
        csv.contains("\n+cmd|calc,") || csv.contains("\n\"+cmd|calc\","),
        "{csv}"
    );
    // for a spreadsheet: the formula is text
    let safe = tm.ok(&[
        "glossary",
        "export",
        "--format",
        "csv",
        "--spreadsheet-safe",
    ]);
    assert!(safe.contains("'+cmd|calc"), "{safe}");
    assert!(safe.contains("'=HYPERLINK"), "{safe}");
    tm.ok(&["import", arg(&fixture("fuzzy/tm.tsv"))]);
    std::fs::write(tm.path("f.tsv"), "en\tru\n=1+1\t-2\n").unwrap();
    tm.ok(&["import", arg(&tm.path("f.tsv"))]);
    let out = tm.ok(&["export", "--format", "csv"]);
    assert!(out.contains("\n=1+1,-2,\n"), "{out}");
    let out = tm.ok(&["export", "--format", "csv", "--spreadsheet-safe"]);
    assert!(out.contains("\n'=1+1,'-2,\n"), "{out}");
}

#[test]
fn presplit_sentences_are_numbered_without_blank_lines() {
    let tm = Tm::new();
    std::fs::write(tm.path("a.en"), "One.\n\nTwo.\nThree.\n\n\nFour.\n").unwrap();
    std::fs::write(tm.path("a.ru"), "Один.\n\nДва.\nТри.\n\n\nЧетыре.\n").unwrap();
    let (a, b) = (tm.path("a.en"), tm.path("a.ru"));
    let files = [arg(&a), arg(&b)];
    let beads = tm.ok(&[
        "align",
        "--langs",
        "en,ru",
        "--presplit",
        "--format",
        "beads",
        "--no-store",
        files[0],
        files[1],
    ]);
    assert_eq!(beads, "[0]:[0]\n[1]:[1]\n[2]:[2]\n[3]:[3]\n");
    let json = tm.json(
        &[
            "align",
            "--langs",
            "en,ru",
            "--presplit",
            "--format",
            "json",
            "--no-store",
            files[0],
            files[1],
        ],
        None,
    );
    let en: Vec<i64> = json
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|u| {
            u["sentences"]["en"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n.as_i64().unwrap())
        })
        .collect();
    assert_eq!(en, [0, 1, 2, 3]);
    assert_eq!(json[3]["text"]["ru"], "Четыре.");
}

#[test]
fn a_segment_over_16_mib_is_refused_where_it_starts_and_nothing_is_stored() {
    let tm = small_tm();
    let before = tm.snapshot();
    let dir = tm.dir.path();
    let huge = "word ".repeat((16 << 20) / 5 + 10);
    std::fs::write(dir.join("big.en.txt"), format!("A title.\n\n{huge}\n")).unwrap();
    std::fs::write(dir.join("big.ru.txt"), "Заголовок.\n\nТекст.\n").unwrap();
    std::fs::write(
        dir.join("big.tsv"),
        format!("en\tru\nOne.\tОдин.\n{huge}\tx\n"),
    )
    .unwrap();
    let xlf = format!(
        r#"<?xml version="1.0"?><xliff version="1.2"><file source-language="en" target-language="ru" original="a" datatype="plaintext"><body>
<trans-unit id="1"><source>{huge}</source></trans-unit></body></file></xliff>"#
    );
    std::fs::write(dir.join("big.xlf"), xlf).unwrap();
    let (en, ru, tsv, xlf) = (
        dir.join("big.en.txt"),
        dir.join("big.ru.txt"),
        dir.join("big.tsv"),
        dir.join("big.xlf"),
    );
    for (args, file, line) in [
        (
            vec!["align", "--langs", "en,ru", arg(&en), arg(&ru)],
            "big.en.txt",
            3,
        ),
        (vec!["segment", "--lang", "en", arg(&en)], "big.en.txt", 3),
        (
            vec![
                "pretranslate",
                "--from",
                "en",
                "--to",
                "ru",
                "-o",
                "-",
                arg(&en),
            ],
            "big.en.txt",
            3,
        ),
        (vec!["import", arg(&tsv)], "big.tsv", 3),
        (
            vec![
                "pretranslate",
                "--from",
                "en",
                "--to",
                "ru",
                "-o",
                "-",
                arg(&xlf),
            ],
            "big.xlf",
            2,
        ),
    ] {
        let (code, _, err) = tm.run(&args, None);
        assert_eq!(code, 3, "{args:?}: {err}");
        assert!(err.contains(&format!("{file}:{line}")), "{args:?}: {err}");
        assert!(err.contains("over the limit of 16 MiB"), "{err}");
        intact(&tm, &before);
    }
}

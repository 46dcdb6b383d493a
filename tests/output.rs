//! Where a write fails, the error names what was being written: the output
//! file (`-o FILE`), or standard output; a reader that closed the pipe
//! (`polytm ... | head`) ends the run quietly with exit 0. Nothing
//! half-written is left behind.

#![cfg(target_os = "linux")]

mod common;

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};

use common::Tm;

/// A TM of 3,000 EN-RU units (its TMX export is about 1 MB), and the
/// document they come from.
fn big_tm() -> Tm {
    let tm = Tm::new();
    let mut tsv = String::from("en\tru\n");
    for i in 0..3000 {
        tsv.push_str(&format!(
            "Sentence number {i} about the narcotics situation in the region.\t\
             Предложение номер {i} о наркотической ситуации в регионе.\n"
        ));
    }
    std::fs::write(tm.path("big.tsv"), tsv).unwrap();
    tm.cmd()
        .arg("import")
        .arg(tm.path("big.tsv"))
        .assert()
        .success();
    tm
}

/// `polytm ARGS...` on the TM with files limited to 128 KiB: a larger
/// write fails with "File too large" (EFBIG), as on a full disk.
fn limited(tm: &Tm, args: &[&str]) -> (i32, String) {
    let polytm = tm.process();
    let out = Command::new("sh")
        .arg("-c")
        .arg(r#"trap "" XFSZ; ulimit -f 256; exec "$0" "$@""#)
        .arg(polytm.get_program())
        .args(polytm.get_args())
        .args(args)
        .env_remove("POLYTM_DB")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Files in the TM's folder other than the TM and its inputs.
fn left_over(tm: &Tm) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(tm.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|f| !f.starts_with("tm.db") && !f.starts_with("big."))
        .collect();
    v.sort();
    v
}

fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn a_failing_write_names_the_output_file() {
    let tm = big_tm();
    for (format, name) in [("tmx", "out.tmx"), ("tsv", "out.tsv")] {
        let out = tm.path(name);
        let (code, err) = limited(&tm, &["export", "--format", format, "-o", arg(&out)]);
        assert_eq!(code, 5, "{err}");
        assert_eq!(err, format!("polytm: {}: File too large\n", out.display()));
    }
    // a pre-translated draft
    let doc = tm.path("big.en.txt");
    let lines: Vec<String> = (0..4000)
        .map(|i| format!("Completely unrelated text, line number {i}, here."))
        .collect();
    std::fs::write(&doc, lines.join("\n")).unwrap();
    let out = tm.path("draft.ru.txt");
    let (code, err) = limited(
        &tm,
        &[
            "pretranslate",
            "--from",
            "en",
            "--to",
            "ru",
            "--presplit",
            "--copy-source",
            "--report",
            "none",
            "-o",
            arg(&out),
            arg(&doc),
        ],
    );
    assert_eq!(code, 5, "{err}");
    assert!(
        err.starts_with(&format!("polytm: {}: File too large", out.display())),
        "{err}"
    );
    // the glossary
    let mut glossary = String::from("en\tru\n");
    for i in 0..3000 {
        glossary.push_str(&format!("Agency number {i}\tАгентство номер {i}\n"));
    }
    std::fs::write(tm.path("big.glossary.tsv"), glossary).unwrap();
    tm.ok(&["glossary", "import", arg(&tm.path("big.glossary.tsv"))]);
    let out = tm.path("glossary.tbx");
    let (code, err) = limited(&tm, &["glossary", "export", "-o", arg(&out)]);
    assert_eq!(code, 5, "{err}");
    assert_eq!(err, format!("polytm: {}: File too large\n", out.display()));
    assert_eq!(left_over(&tm), Vec::<String>::new(), "nothing half-written");
}

#[test]
fn a_failing_standard_output_is_named() {
    let tm = big_tm();
    for args in [
        &["export", "--format", "tsv"][..],
        &["docs", "list", "--json"],
        &["segment", "--lang", "en"],
    ] {
        let mut c = tm.process();
        c.args(args);
        if args[0] == "segment" {
            c.arg(tm.path("big.tsv"));
        }
        let full = std::fs::File::create("/dev/full").unwrap();
        let out = c.stdout(Stdio::from(full)).output().unwrap();
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(5), "{args:?}: {err}");
        assert!(
            err.starts_with("polytm: <stdout>: No space left on device"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let tm = big_tm();
    for args in [
        &["export"][..],
        &["export", "--format", "tsv"],
        &["segment", "--lang", "en"],
        &["segment", "--lang", "en", "--json"],
    ] {
        let mut c = tm.process();
        c.args(args);
        if args[0] == "segment" {
            c.arg(tm.path("big.tsv"));
        }
        let mut child = c
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // the first bytes, as `head -c 100` reads them, then the pipe closes
        let mut head = [0u8; 100];
        child.stdout.take().unwrap().read_exact(&mut head).unwrap();
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{args:?}");
    }
}

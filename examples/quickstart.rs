//! The main job of polytm on the shipped examples, one command at a time:
//!
//! 1. import the agency-name glossary;
//! 2. align two earlier SCO press releases (English, Russian, Chinese) into
//!    three-way units in the translation memory;
//! 3. pre-translate the new English release into Russian and Chinese
//!    (XLIFF for a CAT tool and a plain-text draft), with the match analysis;
//! 4. show one repaired fuzzy match.
//!
//! Run it from anywhere with `cargo run --release --example quickstart`. It
//! works in the repository root: the translation memory is the default
//! `./polytm.db` (or `$POLYTM_DB`), the outputs go to `./out/`. Running it
//! again gives the same result (the releases are re-aligned with `--replace`).

use clap::Parser;

const GLOSSARY: &str = "glossaries/sco-counter-narcotics.tsv";
const EARLIER: [&str; 2] = ["2019-05-16-bishkek", "2020-05-14-moscow"];
const NEW: &str = "examples/releases/2021-05-20-dushanbe.en.txt";

fn main() {
    if let Err(e) = std::env::set_current_dir(env!("CARGO_MANIFEST_DIR")) {
        eprintln!("quickstart: cannot enter the repository folder: {e}");
        std::process::exit(1);
    }

    polytm(&["glossary", "import", GLOSSARY]);
    for r in EARLIER {
        let f = |l: &str| format!("examples/releases/{r}.{l}.txt");
        polytm(&[
            "align",
            "--replace",
            "--langs",
            "en,ru,zh",
            &f("en"),
            &f("ru"),
            &f("zh"),
        ]);
    }
    polytm(&[
        "pretranslate",
        "--from",
        "en",
        "--to",
        "ru,zh",
        "--min",
        "50",
        "--format",
        "xliff",
        "--html",
        "out/analysis.html",
        "-o",
        "out/",
        NEW,
    ]);
    polytm(&[
        "pretranslate",
        "--from",
        "en",
        "--to",
        "ru,zh",
        "--min",
        "50",
        "--format",
        "txt",
        "--report",
        "none",
        "-o",
        "out/",
        NEW,
    ]);
    polytm(&[
        "match",
        "--from",
        "en",
        "--to",
        "ru",
        "The next meeting will be held in 2022 in the Republic of Uzbekistan.",
    ]);
    polytm(&["stats"]);

    println!(
        "\nDone. The translation memory is {}; the pre-translated release is in out/:\n  \
         out/2021-05-20-dushanbe.ru.xlf, out/2021-05-20-dushanbe.zh.xlf (XLIFF 1.2 for a CAT tool),\n  \
         out/2021-05-20-dushanbe.ru.txt, out/2021-05-20-dushanbe.zh.txt (drafts; [87%] marks a fuzzy match to review),\n  \
         out/analysis.html (the match analysis as a page).",
        std::env::var("POLYTM_DB").unwrap_or_else(|_| "./polytm.db".into())
    );
}

/// Run one polytm command as the binary would, echoing it first.
fn polytm(args: &[&str]) {
    let shown: Vec<String> = args
        .iter()
        .map(|a| {
            if a.contains(' ') {
                format!("\"{a}\"")
            } else {
                a.to_string()
            }
        })
        .collect();
    println!("\n$ polytm {}", shown.join(" "));
    let cli = match polytm::cli::Cli::try_parse_from(
        std::iter::once("polytm").chain(args.iter().copied()),
    ) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            std::process::exit(2);
        }
    };
    if let Err(e) = polytm::cli::run(cli) {
        eprintln!("polytm: {e}");
        std::process::exit(e.exit_code());
    }
}

//! A translation memory as a table (`import x.tsv`, `import x.csv`): any
//! bytes, as TSV or CSV (the first byte picks), read by `TmTable`, which
//! opens a path, so the input goes through a file. Units start on
//! increasing lines and hold only cells with text, in the header's
//! languages, that TMX can hold.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use polytm_formats::table::Delim;
use polytm_formats::tm_tsv::TmTable;
use polytm_formats::xml::forbidden_char;
use polytm_fuzz::{refused, split_first};

/// The file an input is written to (in /dev/shm when there is one: a
/// file in memory), one name per process.
fn scratch() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let shm = PathBuf::from("/dev/shm");
        let dir = if shm.is_dir() {
            shm
        } else {
            std::env::temp_dir()
        };
        dir.join(format!("polytm-fuzz-tm-table-{}", std::process::id()))
    })
}

fuzz_target!(|data: &[u8]| {
    let (flags, rest) = split_first(data);
    let delim = if flags & 1 == 0 {
        Delim::Tab
    } else {
        Delim::Comma
    };
    let path = scratch();
    std::fs::write(path, rest).unwrap();
    let opened = TmTable::open(path, delim);
    // The reader holds the file open: it can go now.
    std::fs::remove_file(path).unwrap();
    let mut table = match opened {
        Ok(t) => t,
        Err(e) => return refused(e),
    };
    let langs = table.langs();
    assert!(langs.len() >= 2);
    let mut last = 0;
    loop {
        let unit = match table.next_unit() {
            Ok(Some(Ok(u))) => u,
            Ok(Some(Err(problem))) => {
                assert!(!problem.msg.is_empty());
                continue;
            }
            Ok(None) => break,
            Err(e) => return refused(e),
        };
        assert!(unit.line > last);
        last = unit.line;
        for (tag, text) in &unit.variants {
            assert!(langs.contains(tag), "{tag} is not a column");
            assert!(!text.trim().is_empty());
            assert_eq!(forbidden_char(text), None);
        }
        if let Some(src) = &unit.src {
            assert_eq!(src.lang, langs[0].lang);
        }
    }
});

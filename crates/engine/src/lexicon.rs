//! The bilingual lexicon the aligner uses as evidence: files read into it
//! (CC-CEDICT, TSV word lists), pairs learnt from the TM, and the entries
//! read back for an alignment.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use polytm_align::lexicon::{EntrySource, Lexicon, PINYIN};
use polytm_align::{Tokenized, learn};
use polytm_core::{Count, Error, Progress, Result, display_path};
use polytm_formats::input::{read_text_maybe_gzip, require_text};
use polytm_formats::registry::{self, Kind, Purpose};
use polytm_formats::{cedict, wordlist};
use polytm_store::{Database, LexiconEntry, LexiconStats, Reader};
use polytm_text::lang::{Lang, LangTag};

/// One row to store: (language a, language b, a, b, weight).
pub type Row = (String, String, String, String, f64);

/// Rows of a CC-CEDICT file: (zh, en) from simplified headwords,
/// (zh-Hant, en) from traditional ones that differ, single-character
/// readings under `zh-Latn-pinyin`. Returns the rows and the entries read.
fn cedict_rows(text: &str, name: &str) -> Result<(Vec<Row>, usize)> {
    let mut best: HashMap<(&'static str, &'static str, String, String), f64> = HashMap::new();
    let mut entries = 0;
    let mut put = |la: &'static str, lb: &'static str, a: &str, b: &str, w: f64| {
        let e = best
            .entry((la, lb, polytm_text::fold(a), polytm_text::fold(b)))
            .or_insert(w);
        if w > *e {
            *e = w;
        }
    };
    for (n, line) in text.lines().enumerate() {
        let e = match cedict::parse_line(line) {
            Ok(Some(e)) => e,
            Ok(None) => continue,
            Err(msg) => return Err(Error::at_line(name, n + 1, msg)),
        };
        entries += 1;
        let trad = (e.traditional != e.simplified).then_some(e.traditional.as_str());
        for g in &e.glosses {
            for (term, w) in cedict::gloss_terms(g) {
                put("zh", "en", &e.simplified, &term, w);
                if let Some(t) = trad {
                    put("zh-Hant", "en", t, &term, w);
                }
            }
        }
        if e.simplified.chars().count() == 1 {
            let syl = cedict::syllables(&e.pinyin);
            if let [s] = syl.as_slice() {
                // readings of names first (Chen2: surname)
                let w = if e.pinyin.starts_with(|c: char| c.is_ascii_uppercase()) {
                    1.0
                } else {
                    0.8
                };
                put("zh", PINYIN, &e.simplified, s, w);
                if let Some(t) = trad {
                    put("zh-Hant", PINYIN, t, s, w);
                }
            }
        }
    }
    if entries == 0 {
        return Err(Error::input(name, None, "no CC-CEDICT entries"));
    }
    let mut rows: Vec<Row> = best
        .into_iter()
        .map(|((la, lb, a, b), w)| (la.to_string(), lb.to_string(), a, b, w))
        .collect();
    rows.sort_by(|x, y| (&x.0, &x.1, &x.2, &x.3).cmp(&(&y.0, &y.1, &y.2, &y.3)));
    Ok((rows, entries))
}

/// Rows of a TSV word list `a<TAB>b[<TAB>weight]`.
fn word_list_rows(text: &str, name: &str, la: &LangTag, lb: &LangTag) -> Result<(Vec<Row>, usize)> {
    let rows: Vec<Row> = wordlist::read(text, name, la, lb)?
        .into_iter()
        .map(|p| {
            (
                la.lang.as_str().to_string(),
                lb.lang.as_str().to_string(),
                p.a,
                p.b,
                p.weight,
            )
        })
        .collect();
    let n = rows.len();
    Ok((rows, n))
}

/// What a lexicon file holds, ready to store.
pub struct LexiconFile {
    pub rows: Vec<Row>,
    /// "123 CC-CEDICT entries", "40 word pairs".
    pub what: String,
}

/// Read a lexicon file (CC-CEDICT, plain or gzip; or a TSV word list) for
/// the languages `la`, `lb` (in column order).
pub fn read_file(path: &Path, la: &LangTag, lb: &LangTag) -> Result<LexiconFile> {
    let name = display_path(path);
    let text = read_text_maybe_gzip(path)?;
    require_text(path, &text)?;
    if registry::detect_content(&name, text.as_bytes(), Purpose::Lexicon)? == Kind::Cedict {
        let zh_en = |x: &LangTag, y: &LangTag| x.lang.primary() == "zh" && y.lang.primary() == "en";
        if !(zh_en(la, lb) || zh_en(lb, la)) {
            return Err(Error::usage(format!(
                "{name} is CC-CEDICT (Chinese–English): use --langs zh,en"
            )));
        }
        let (rows, n) = cedict_rows(&text, &name)?;
        Ok(LexiconFile {
            rows,
            what: format!("{n} CC-CEDICT entries"),
        })
    } else {
        let (rows, n) = word_list_rows(&text, &name, la, lb)?;
        Ok(LexiconFile {
            rows,
            what: format!("{n} word pairs"),
        })
    }
}

/// Store rows in one transaction (one batch named `source`).
pub fn store_rows(
    db: &dyn Database,
    rows: &[Row],
    source: &str,
    progress: &dyn Progress,
) -> Result<LexiconStats> {
    let mut tx = db.writer()?;
    let batch = tx.new_batch("lexicon", source)?;
    let mut stats = LexiconStats::default();
    progress.step("importing", Some(rows.len() as u64), Count::Items);
    for (k, (lang_a, lang_b, a, b, weight)) in rows.iter().enumerate() {
        let entry = LexiconEntry {
            lang_a: lang_a.clone(),
            lang_b: lang_b.clone(),
            a: polytm_text::fold(a),
            b: polytm_text::fold(b),
            weight: *weight,
        };
        if entry.a.is_empty() || entry.b.is_empty() {
            continue;
        }
        if tx.add_lexicon_entry(batch, source, &entry)? {
            stats.added += 1;
        } else {
            stats.existing += 1;
        }
        if k % 4096 == 0 {
            progress.check()?;
            progress.set_done(k as u64);
        }
    }
    progress.finish();
    tx.commit()?;
    Ok(stats)
}

/// What learning from the TM did.
pub struct Learned {
    pub pairs: usize,
    pub units: usize,
    pub stats: LexiconStats,
}

/// Learn word pairs from the TM's `la`–`lb` units (at most `max_units`,
/// the most recent; pairs seen together in at least `min_count` units) and
/// store them.
pub fn learn_from_tm(
    db: &dyn Database,
    la: &Lang,
    lb: &Lang,
    max_units: usize,
    min_count: u32,
) -> Result<Learned> {
    let texts = db.reader()?.pair_texts(la, lb, max_units)?;
    if texts.len() < 10 {
        return Err(Error::other(format!(
            "the TM holds {} {}–{} units; learning needs at least 10",
            texts.len(),
            la,
            lb
        )));
    }
    let ra: Vec<&str> = texts.iter().map(|(a, _)| a.as_str()).collect();
    let rb: Vec<&str> = texts.iter().map(|(_, b)| b.as_str()).collect();
    let ta = Tokenized::new(la, &ra);
    let tb = Tokenized::new(lb, &rb);
    let groups: Vec<(Vec<usize>, Vec<usize>)> = (0..ra.len()).map(|i| (vec![i], vec![i])).collect();
    let pairs = learn::word_pairs(&ta, &tb, &groups, min_count, 0.3);
    let source = format!("learned from {} TM units", ra.len());
    let rows: Vec<Row> = pairs
        .iter()
        .map(|(x, y, weight)| {
            (
                la.as_str().to_string(),
                lb.as_str().to_string(),
                ta.types[*x as usize].surface.clone(),
                tb.types[*y as usize].surface.clone(),
                *weight as f64,
            )
        })
        .collect();
    let stats = store_rows(db, &rows, &source, &polytm_core::Quiet)?;
    Ok(Learned {
        pairs: pairs.len(),
        units: ra.len(),
        stats,
    })
}

/// A reader as the aligner's lexicon source.
pub struct StoreEntries<'a>(pub &'a dyn Reader);

impl EntrySource for StoreEntries<'_> {
    fn entries(
        &self,
        lang_a: &str,
        lang_b: &str,
        min_weight: f64,
        f: &mut dyn FnMut(&str, &str, f64),
    ) -> Result<()> {
        self.0.for_each_lexicon(lang_a, lang_b, min_weight, f)
    }

    fn entries_of(
        &self,
        lang_a: &str,
        lang_b: &str,
        a: &str,
        min_weight: f64,
        f: &mut dyn FnMut(&str, f64),
    ) -> Result<()> {
        self.0.for_each_lexicon_of(lang_a, lang_b, a, min_weight, f)
    }
}

/// The lexicon between two languages for aligning documents whose words
/// are `vocab_a`, `vocab_b`.
pub fn for_alignment(
    rd: &dyn Reader,
    a: &Lang,
    b: &Lang,
    vocab_a: &HashSet<String>,
    vocab_b: &HashSet<String>,
) -> Result<Lexicon> {
    Lexicon::load(&StoreEntries(rd), a, b, 0.0, Some(vocab_a), Some(vocab_b))
}

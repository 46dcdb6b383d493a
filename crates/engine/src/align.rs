//! Alignment into the translation memory: documents read and cut into
//! sentences, aligned with the evidence the TM holds (its lexicon and
//! glossary), and the units stored as one document in one transaction.

use std::path::{Path, PathBuf};

use serde::Serialize;

use polytm_align::{Anchors, Bead, Lexicon, Options, PairEvidence, Tokenized};
use polytm_core::{Error, Progress, Result, display_path};
use polytm_formats::registry;
use polytm_glossary::Glossary;
use polytm_store::{Database, NewDocument, NewUnit, NewVariant, OnDuplicate, Origin, Reader};
use polytm_text::lang::LangTag;
use polytm_text::segment::{Segmenter, one_line};

/// One input document: its sentences as stored and printed.
pub struct Input {
    pub tag: LangTag,
    pub path: PathBuf,
    pub sentences: Vec<String>,
    /// Paragraph of each sentence.
    pub paragraph: Vec<u32>,
}

/// Read a document and cut it into sentences (`presplit`: one a line).
pub fn read_input(tag: &LangTag, path: &Path, presplit: bool) -> Result<Input> {
    let text = registry::read_document(path)?;
    let mut sentences = Vec::new();
    let mut paragraph = Vec::new();
    if presplit {
        let mut para = 0u32;
        let mut blank = false;
        for line in text.split('\n') {
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.trim().is_empty() {
                blank = true;
                continue;
            }
            if blank && !sentences.is_empty() {
                para += 1;
            }
            blank = false;
            sentences.push(line.to_string());
            paragraph.push(para);
        }
    } else {
        let chars: Vec<char> = text.chars().collect();
        for (k, p) in Segmenter::new(&tag.lang)
            .segment_chars(&chars)
            .iter()
            .enumerate()
        {
            for s in &p.sentences {
                sentences.push(one_line(&chars, *s));
                paragraph.push(k as u32);
            }
        }
    }
    Ok(Input {
        tag: tag.clone(),
        path: path.to_path_buf(),
        sentences,
        paragraph,
    })
}

/// The glossary concepts recognised in each sentence of each document,
/// numbered densely (the same concept has the same number everywhere).
fn glossary_anchors(glossary: &Glossary, inputs: &[Input]) -> ConceptAnchors {
    if glossary.is_empty() {
        return vec![Vec::new(); inputs.len()];
    }
    let mut ids: std::collections::HashMap<i64, u32> = std::collections::HashMap::new();
    let mut out = Vec::new();
    for input in inputs {
        let rec = glossary.recognizer(&input.tag.lang);
        let per_sentence: Vec<Vec<u32>> = input
            .sentences
            .iter()
            .map(|s| {
                let mut v: Vec<u32> = rec
                    .scan(s)
                    .into_iter()
                    .map(|h| {
                        let n = ids.len() as u32;
                        *ids.entry(h.concept_id).or_insert(n)
                    })
                    .collect();
                v.truncate(64);
                v
            })
            .collect();
        out.push(per_sentence);
    }
    out
}

/// "release.en.txt" with language en → "release".
pub fn default_doc_name(path: &Path, tag: &LangTag) -> String {
    if path.as_os_str() == "-" {
        return format!("stdin {}", polytm_store::now());
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| display_path(path));
    let mut parts: Vec<&str> = name.split('.').collect();
    while parts.len() > 1 {
        let last = parts[parts.len() - 1];
        let is_ext = matches!(
            last.to_ascii_lowercase().as_str(),
            "txt"
                | "text"
                | "md"
                | "tsv"
                | "para"
                | "sent"
                | "sentences"
                | "docx"
                | "odt"
                | "html"
                | "htm"
                | "xhtml"
        );
        let is_lang = LangTag::parse(last).is_ok_and(|t| t.lang == tag.lang);
        if is_ext || is_lang {
            parts.pop();
        } else {
            break;
        }
    }
    parts.join(".")
}

/// A document of that name must not be in the TM already (unless it is
/// to be replaced).
pub fn check_document(rd: &dyn Reader, name: &str, replace: bool) -> Result<()> {
    if let Some(d) = rd.document(name)?
        && !replace
    {
        let when = d.created_at;
        return Err(Error::other(format!(
            "document '{name}' is already in the TM (stored {when}); give another name with --doc, or --replace it"
        )));
    }
    Ok(())
}

/// Glossary concepts per sentence per document (dense numbers).
type ConceptAnchors = Vec<Vec<Vec<u32>>>;

/// The evidence the TM holds, for aligning `inputs` (the first is the
/// pivot): a lexicon per other document, and the glossary's anchors.
fn evidence(
    rd: Option<&dyn Reader>,
    toks: &[Tokenized],
    inputs: &[Input],
) -> Result<(Vec<Lexicon>, ConceptAnchors)> {
    let mut lexicons = Vec::new();
    for (k, i) in inputs.iter().enumerate().skip(1) {
        lexicons.push(match rd {
            Some(rd) => crate::lexicon::for_alignment(
                rd,
                &inputs[0].tag.lang,
                &i.tag.lang,
                &toks[0].vocab,
                &toks[k].vocab,
            )?,
            None => Lexicon::new(),
        });
    }
    let concepts = match rd {
        Some(rd) => glossary_anchors(&Glossary::from_concepts(rd.concepts()?), inputs),
        None => vec![Vec::new(); inputs.len()],
    };
    Ok((lexicons, concepts))
}

/// Align documents (the first is the pivot) with the evidence of `db`
/// (its lexicon and glossary), when there is one.
pub fn align(
    db: Option<&dyn Database>,
    inputs: &[Input],
    opts: Options,
    progress: &dyn Progress,
) -> Result<Vec<Bead>> {
    progress.step(
        "loading the lexicon and glossary",
        None,
        polytm_core::Count::Items,
    );
    let toks: Vec<Tokenized> = inputs
        .iter()
        .map(|i| {
            let s: Vec<&str> = i.sentences.iter().map(String::as_str).collect();
            Tokenized::new(&i.tag.lang, &s).with_paragraphs(&i.paragraph)
        })
        .collect();
    let reader = db.map(|d| d.reader()).transpose()?;
    let (lexicons, concepts) = evidence(reader.as_deref(), &toks, inputs)?;
    drop(reader);
    let evidence: Vec<PairEvidence> = lexicons
        .iter()
        .enumerate()
        .map(|(k, l)| PairEvidence {
            lexicons: vec![l],
            anchors: Anchors {
                a: concepts[0].clone(),
                b: concepts[k + 1].clone(),
            },
        })
        .collect();
    let sizes: Vec<String> = inputs
        .iter()
        .map(|i| i.sentences.len().to_string())
        .collect();
    progress.step(
        &format!("aligning {} sentences", sizes.join(" × ")),
        None,
        polytm_core::Count::Items,
    );
    progress.check()?;
    let beads = polytm_align::align_tokenized(&toks, &evidence, opts);
    progress.finish();
    Ok(beads)
}

#[derive(Debug, Clone, Copy, Serialize)]
/// What storing an alignment did.
pub struct Stored {
    pub added: usize,
    pub skipped: usize,
    pub overwritten: usize,
    /// Units below the minimum confidence, left out.
    pub low: usize,
    /// Units of an earlier version of the document, replaced.
    pub replaced: usize,
}

/// The text of a unit's side: its sentences joined (without a space in
/// Chinese).
pub fn unit_text(input: &Input, (s, e): (usize, usize)) -> String {
    let sep = if input.tag.lang.is_unspaced() {
        ""
    } else {
        " "
    };
    input.sentences[s..e].join(sep)
}

/// Store the units of an alignment as document `name` (replacing a
/// document of that name) in one transaction. Units with fewer than two
/// languages (omissions) are not stored, nor those below `min_confidence`.
pub fn store_units(
    db: &dyn Database,
    name: &str,
    inputs: &[Input],
    beads: &[Bead],
    on_duplicate: OnDuplicate,
    min_confidence: f64,
) -> Result<Stored> {
    let source = inputs
        .iter()
        .map(|i| display_path(&i.path))
        .collect::<Vec<_>>()
        .join(" ");
    let langs = inputs.iter().map(|i| i.tag.tag.clone()).collect();
    let mut tx = db.writer()?;
    let mut replaced = 0;
    if let Some(old) = tx.document(name)? {
        replaced = tx.remove_document(old.id)?;
    }
    let batch = tx.new_batch("align", &source)?;
    let doc_id = tx.add_document(&NewDocument {
        name: name.to_string(),
        langs,
        origin: "aligned".into(),
        batch: Some(batch),
    })?;
    let mut low = 0;
    let stats = {
        let mut w = tx.units(batch, on_duplicate)?;
        for (k, b) in beads.iter().enumerate() {
            let variants: Vec<NewVariant> = inputs
                .iter()
                .zip(&b.sides)
                .filter(|(_, (s, e))| e > s)
                .map(|(i, &r)| NewVariant::new(i.tag.clone(), unit_text(i, r)))
                .collect();
            if variants.len() < 2 {
                continue; // an omission: nothing to translate it with
            }
            if b.confidence < min_confidence {
                low += 1;
                continue;
            }
            let mut u = NewUnit::new(Origin::Aligned, variants);
            u.document_id = Some(doc_id);
            u.confidence = Some((b.confidence * 1000.0).round() / 1000.0);
            u.position = Some(k as i64);
            u.src_lang = Some(inputs[0].tag.lang.clone());
            w.add(&u)?;
        }
        w.finish()?
    };
    tx.commit()?;
    crate::index::refresh(db, &[inputs[0].tag.lang.clone()], &polytm_core::Quiet)?;
    Ok(Stored {
        added: stats.added,
        skipped: stats.skipped,
        overwritten: stats.overwritten,
        low,
        replaced,
    })
}

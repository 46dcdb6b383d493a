//! Glossaries in and out of the translation memory: files (TSV/CSV, TBX)
//! merged into the store by the rules of [`polytm_glossary::merge`], the
//! store's concepts written back as files, and the edits of `term`.

use std::path::Path;

use serde::Serialize;

use polytm_core::{Count, Error, Progress, Result, display_path};
use polytm_formats::glossary_table::GlossaryTableReader;
use polytm_formats::registry::{Kind, Purpose};
use polytm_formats::table::Delim;
use polytm_formats::tbx::TbxReader;
use polytm_glossary::merge::{self, MergeStats, Merged, Merger, Plan, PlannedTerm};
use polytm_glossary::model::{Concept, NewConcept, NewTerm, TermStatus};
use polytm_store::{ConceptFields, Database, Writer};
use polytm_text::lang::{Lang, LangTag};

/// Every entry of a glossary file, handed to `each` with its position
/// (`file:line`); problems that do not stop the reading go to `warn`.
pub fn read_file(
    path: &Path,
    format: Kind,
    each: &mut dyn FnMut(String, NewConcept) -> Result<()>,
    warn: &mut dyn FnMut(String),
    progress: &dyn Progress,
) -> Result<()> {
    let name = display_path(path);
    Purpose::Glossary.check(format, &name)?;
    // the size only scales the progress bar; reading reports real errors
    let len = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    progress.step("importing", Some(len), Count::Bytes);
    match format {
        Kind::Tbx => {
            let mut r = TbxReader::open(path)?;
            while let Some((pos, c)) = r.next_concept()? {
                progress.check()?;
                each(format!("{name}:{pos}"), c)?;
                progress.set_done(r.position());
            }
            for (pos, w) in std::mem::take(&mut r.warnings) {
                warn(format!("{name}:{pos}: {w}"));
            }
        }
        // TSV or CSV (the kinds a glossary is read from besides TBX)
        _ => {
            let mut r = GlossaryTableReader::open(path, Delim::of(format))?;
            while let Some((line, c)) = r.next_concept()? {
                progress.check()?;
                if c.terms.is_empty() {
                    warn(format!("{name}:{line}: a row without terms; skipped"));
                } else {
                    each(format!("{name}:{line}"), c)?;
                }
                progress.set_done(r.bytes_read());
            }
        }
    }
    progress.finish();
    Ok(())
}

/// Carry out a merge plan in a transaction; the concept's id.
pub fn apply(tx: &mut dyn Writer, plan: &Plan, batch: Option<i64>) -> Result<i64> {
    let (id, terms): (i64, &[PlannedTerm]) = match plan {
        Plan::Unchanged { id } => return Ok(*id),
        Plan::Add {
            domain,
            note,
            source,
            terms,
        } => (
            tx.insert_concept(domain.as_deref(), note.as_deref(), source.as_deref(), batch)?,
            terms,
        ),
        Plan::Merge {
            id,
            terms,
            domain,
            note,
            source,
        } => {
            let set = |v: &Option<String>| v.as_ref().map(|v| Some(v.clone()));
            tx.update_concept(
                *id,
                &ConceptFields {
                    domain: set(domain),
                    note: set(note),
                    source: set(source),
                },
            )?;
            (*id, terms)
        }
    };
    add_planned(tx, id, terms)?;
    Ok(id)
}

fn add_planned(tx: &mut dyn Writer, concept: i64, terms: &[PlannedTerm]) -> Result<()> {
    for t in terms {
        tx.insert_term(concept, &t.term, t.status, t.position)?;
    }
    Ok(())
}

/// What importing one file did.
#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    pub file: String,
    #[serde(flatten)]
    pub stats: MergeStats,
}

/// What an import did.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    pub files: Vec<FileReport>,
    pub total: MergeStats,
    /// Entries skipped, ambiguous merges ...: one line each, with position.
    pub warnings: Vec<String>,
}

fn minus(a: MergeStats, b: MergeStats) -> MergeStats {
    MergeStats {
        added: a.added - b.added,
        merged: a.merged - b.merged,
        unchanged: a.unchanged - b.unchanged,
        terms_added: a.terms_added - b.terms_added,
        ambiguous: a.ambiguous - b.ambiguous,
    }
}

/// Import glossary files in one transaction (one batch); with `dry_run`
/// report what would change and write nothing.
pub fn import_files(
    db: &dyn Database,
    files: &[(&Path, Kind)],
    dry_run: bool,
    progress: &dyn Progress,
) -> Result<ImportReport> {
    let mut tx = db.writer()?;
    let names: Vec<String> = files.iter().map(|(p, _)| display_path(p)).collect();
    let batch = tx.new_batch("glossary", &names.join(", "))?;
    let mut merger = Merger::new(&tx.concepts()?);
    let mut report = ImportReport::default();
    let mut merge_warnings = Vec::new();
    for &(path, format) in files {
        let before = merger.stats;
        read_file(
            path,
            format,
            &mut |at, c| {
                let (m, others) = merger.add(&c, |plan| apply(tx.as_mut(), plan, Some(batch)))?;
                if !others.is_empty() {
                    let list: Vec<String> = others.iter().map(|i| format!("#{i}")).collect();
                    merge_warnings.push(format!(
                        "{at}: shares terms with concepts #{} and {}; merged into #{}",
                        m.id(),
                        list.join(", "),
                        m.id()
                    ));
                }
                Ok(())
            },
            &mut |msg| report.warnings.push(msg),
            progress,
        )?;
        report.files.push(FileReport {
            file: display_path(path),
            stats: minus(merger.stats, before),
        });
    }
    report.warnings.extend(merge_warnings);
    report.total = merger.stats;
    if !dry_run {
        tx.commit()?;
    }
    Ok(report)
}

/// Add a concept from the command line (`term add`), merged like an
/// imported one: what happened, the other concepts it also matched, and
/// the concept as stored now.
pub fn add_concept(db: &dyn Database, c: &NewConcept) -> Result<(Merged, Vec<i64>, Concept)> {
    let mut tx = db.writer()?;
    let batch = tx.new_batch("manual", "term add")?;
    let mut merger = Merger::new(&tx.concepts()?);
    let (merged, others) = merger.add(c, |plan| apply(tx.as_mut(), plan, Some(batch)))?;
    let stored = tx
        .concept(merged.id())?
        .ok_or_else(|| Error::other("the concept disappeared"))?;
    tx.commit()?;
    Ok((merged, others, stored))
}

/// Make a stored concept's terms in some languages exactly `cells` (a
/// person editing the concept as a table row: `' | '` between terms, the
/// first preferred, `~` deprecated, `[abbr]` an abbreviation), and set its
/// fields; languages not in `cells` are left alone. Terms kept keep their
/// id and note; an empty cell removes the language's terms. The concept as
/// stored now.
pub fn replace_cells(
    tx: &mut dyn Writer,
    id: i64,
    cells: &[(LangTag, String)],
    fields: &ConceptFields,
) -> Result<Concept> {
    let concept = tx
        .concept(id)?
        .ok_or_else(|| Error::usage(format!("no concept #{id}")))?;
    for (tag, cell) in cells {
        let wanted = polytm_formats::termbase::parse_cell(cell);
        let mut keys: Vec<String> = Vec::new();
        for (text, status) in &wanted {
            let key = polytm_text::fold(text);
            if keys.contains(&key) {
                continue; // written twice in the cell
            }
            let position = keys.len() as i64;
            match concept.terms(&tag.lang).find(|t| t.key == key) {
                Some(t) if t.text == *text => tx.update_term(t.id, *status, position)?,
                Some(t) => {
                    // the same term written otherwise (its capitals): the
                    // new spelling, with the old one's note and source
                    tx.delete_term(t.id)?;
                    let mut term = NewTerm::new(tag.clone(), text.as_str(), *status);
                    term.note = t.note.clone();
                    term.source = t.source.clone();
                    tx.insert_term(id, &term, *status, position)?;
                }
                None => {
                    let term = NewTerm::new(tag.clone(), text.as_str(), *status);
                    tx.insert_term(id, &term, *status, position)?;
                }
            }
            keys.push(key);
        }
        for t in concept.terms(&tag.lang) {
            if !keys.contains(&t.key) {
                tx.delete_term(t.id)?;
            }
        }
    }
    if *fields != ConceptFields::default() {
        tx.update_concept(id, fields)?;
    }
    let now = tx
        .concept(id)?
        .ok_or_else(|| Error::other("the concept disappeared"))?;
    if now.terms.is_empty() {
        return Err(Error::usage(format!(
            "concept #{id} would have no term left (delete it instead)"
        )));
    }
    Ok(now)
}

/// Add terms to a stored concept (after its own; a second preferred term
/// of a language becomes a variant). How many were new.
pub fn add_terms(tx: &mut dyn Writer, concept: &Concept, terms: &[NewTerm]) -> Result<usize> {
    let planned = merge::new_terms(concept, terms);
    add_planned(tx, concept.id, &planned)?;
    Ok(planned.len())
}

/// The term of a concept with this language and text (compared folded).
pub fn find_term(concept: &Concept, lang: &Lang, text: &str) -> Option<i64> {
    let key = polytm_text::fold(text);
    concept
        .terms
        .iter()
        .find(|t| &t.lang == lang && t.key == key)
        .map(|t| t.id)
}

/// Make a term the preferred one of its language (it moves first; the
/// language's other preferred terms become variants).
pub fn prefer_term(tx: &mut dyn Writer, concept: &Concept, term: i64) -> Result<()> {
    for (id, status, position) in merge::prefer(concept, term) {
        tx.update_term(id, status, position)?;
    }
    Ok(())
}

/// Set a term's status (preferred: see [`prefer_term`]).
pub fn set_term_status(
    tx: &mut dyn Writer,
    concept: &Concept,
    term: i64,
    status: TermStatus,
) -> Result<()> {
    if status == TermStatus::Preferred {
        return prefer_term(tx, concept, term);
    }
    let Some(t) = concept.terms.iter().find(|t| t.id == term) else {
        return Ok(());
    };
    tx.update_term(term, status, t.position)
}

/// Concepts as the file writers take them, restricted to some languages
/// (none: all); concepts left without terms are dropped.
pub fn for_export(concepts: &[Concept], langs: Option<&[LangTag]>) -> Vec<NewConcept> {
    concepts
        .iter()
        .filter_map(|c| {
            let terms: Vec<NewTerm> = c
                .terms
                .iter()
                .filter(|t| langs.is_none_or(|ls| ls.iter().any(|l| l.lang == t.lang)))
                .map(|t| NewTerm {
                    tag: LangTag {
                        tag: t.tag.clone(),
                        lang: t.lang.clone(),
                    },
                    text: t.text.clone(),
                    status: t.status,
                    note: t.note.clone(),
                    source: t.source.clone(),
                })
                .collect();
            (!terms.is_empty()).then(|| NewConcept {
                id: Some(c.id),
                terms,
                domain: c.domain.clone(),
                note: c.note.clone(),
                source: c.source.clone(),
            })
        })
        .collect()
}

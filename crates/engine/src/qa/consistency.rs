//! `inconsistent`: one source translated in several ways, or one
//! translation given to several sources, within a file (or the TM), and a
//! file's translations against those the translation memory holds.
//!
//! Texts are compared by their letters and digits, folded (case, width,
//! `ё`/`е`): `Open…` and `Open` are one source, `Файл` and `файл.` one
//! translation. The finding goes on the later unit and names the earlier
//! one.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use super::{Check, Issue, Unit, quote};
use crate::matcher::{Matcher, Options};
use polytm_core::Result;
use polytm_store::Database;
use polytm_text::lang::Lang;

/// Sources shorter than this many words (Chinese: two characters a word)
/// are not compared: a short string (`Yes`, `_Style:`, `or`) is translated
/// by its context.
const MIN_WORDS: usize = 3;

fn long_enough(s: &str) -> bool {
    let words = s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .count();
    let han = s.chars().filter(|c| polytm_text::is_han(*c)).count();
    words + han / 2 >= MIN_WORDS
}

/// What two texts are compared by.
fn key(s: &str) -> String {
    polytm_text::fold(s)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// The issues of units (by index) that disagree with an earlier unit.
pub fn in_batch(units: &[Unit]) -> Vec<(usize, Issue)> {
    let mut out = Vec::new();
    let keys: Vec<Option<(String, String)>> = units
        .iter()
        .map(|u| {
            let t = u.target.as_ref()?;
            let (ks, kt) = (key(&u.source.text), key(&t.text));
            (!ks.is_empty() && !kt.is_empty() && long_enough(&u.source.text)).then_some((ks, kt))
        })
        .collect();
    let mut by_source: HashMap<&str, usize> = HashMap::new();
    let mut by_target: HashMap<&str, usize> = HashMap::new();
    for (i, k) in keys.iter().enumerate() {
        let Some((ks, kt)) = k else { continue };
        match by_source.get(ks.as_str()) {
            Some(&j) if keys[j].as_ref().is_some_and(|(_, t)| t != kt) => {
                let other = units[j].target.as_ref().map_or("", |t| t.text.as_str());
                out.push((
                    i,
                    Issue::new(
                        Check::Inconsistent,
                        format!(
                            "the same source is translated {} in unit {}",
                            quote(other),
                            units[j].id
                        ),
                    ),
                ));
            }
            Some(_) => {}
            None => {
                by_source.insert(ks, i);
            }
        }
        match by_target.get(kt.as_str()) {
            Some(&j) if keys[j].as_ref().is_some_and(|(s, _)| s != ks) => {
                out.push((
                    i,
                    Issue::new(
                        Check::Inconsistent,
                        format!(
                            "the same translation is given in unit {} to another source, {}",
                            units[j].id,
                            quote(&units[j].source.text)
                        ),
                    ),
                ));
            }
            Some(_) => {}
            None => {
                by_target.insert(kt, i);
            }
        }
    }
    out
}

/// The issues of units whose source the TM holds (identically) with
/// other translations only.
pub fn against_tm(
    db: Arc<dyn Database>,
    from: &Lang,
    to: &Lang,
    units: &[Unit],
) -> Result<Vec<(usize, Issue)>> {
    let m = Matcher::open(
        db,
        from,
        to,
        Options {
            exhaustive: false,
            repair: false,
        },
    )?;
    if m.segments() == 0 {
        return Ok(Vec::new());
    }
    let found: Vec<Result<Option<(usize, Issue)>>> = units
        .par_iter()
        .enumerate()
        .map(|(i, u)| {
            let Some(t) = &u.target else { return Ok(None) };
            let kt = key(&t.text);
            if kt.is_empty() || !long_enough(&u.source.text) {
                return Ok(None);
            }
            let same = m.best(&u.source.text, 100, 10)?;
            if same.is_empty() || same.iter().any(|p| key(p.original_target()) == kt) {
                return Ok(None);
            }
            let p = &same[0];
            Ok(Some((
                i,
                Issue::new(
                    Check::Inconsistent,
                    format!(
                        "the translation memory translates this source {} (unit {})",
                        quote(p.original_target()),
                        p.unit
                    ),
                ),
            )))
        })
        .collect();
    let mut out = Vec::new();
    for f in found {
        if let Some(x) = f? {
            out.push(x);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qa::Text;

    fn unit(id: &str, s: &str, t: &str) -> Unit {
        Unit {
            id: id.into(),
            segment: None,
            source: Text::plain(s),
            target: Some(Text::plain(t)),
        }
    }

    #[test]
    fn one_source_two_targets_and_the_reverse() {
        let units = [
            unit("a", "Open the file", "Откройте файл"),
            unit("b", "Open the file.", "откройте файл."),
            unit("c", "Open the file", "Открыть файл"),
            unit("d", "Close the window", "Закрыть окно"),
            unit("e", "Shut the window", "Закрыть окно"),
            unit("f", "Yes", "Да"),
            unit("g", "Yes", "Можно"),
        ];
        let got: Vec<(usize, String)> = in_batch(&units)
            .into_iter()
            .map(|(i, x)| (i, x.message))
            .collect();
        assert_eq!(
            got,
            [
                (
                    2,
                    "the same source is translated «Откройте файл» in unit a".to_string()
                ),
                (
                    4,
                    "the same translation is given in unit d to another source, «Close the window»"
                        .to_string()
                ),
            ]
        );
    }

    #[test]
    fn against_the_translation_memory() {
        let db = crate::testing::memory_tm(&[("Open the file", "Откройте файл")]);
        let units = [
            unit("1", "Open the file", "Открыть файл"),
            unit("2", "Open the file", "Откройте файл."),
            unit("3", "Something else", "Другое"),
        ];
        let got = against_tm(db, &Lang::en(), &Lang::ru(), &units).unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, 0);
        assert!(
            got[0]
                .1
                .message
                .starts_with("the translation memory translates this source «Откройте файл»")
        );
    }
}

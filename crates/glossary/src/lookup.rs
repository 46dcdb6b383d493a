//! `polytm term QUERY`: which concepts does a query name?
//!
//! A query is compared with every term (of one language, or of all), and
//! each concept is reported once, with the best way one of its terms
//! matched:
//!
//! 1. **exact**: the same folded text (case, width, `ё`, spaces);
//! 2. **inflected**: the same words in another form, word by word as the
//!    recogniser compares them (`министерства внутренних дел республики
//!    казахстан`, `Shanghai Cooperation Organization`), case ignored;
//! 3. **prefix**: the query is the beginning of the term, its last word
//!    possibly cut short (`министерства внутренних дел` finds
//!    `Министерство внутренних дел ...`; `Tajik` finds `Tajikistan`);
//! 4. **contains**: the query's words inside the term (`внутренних дел`),
//!    or for Chinese a substring (`内务部`);
//! 5. **in text**: the query is a longer text that names the concept (the
//!    recogniser finds a term inside it).

use std::collections::HashMap;

use serde::Serialize;

use super::Glossary;
use super::words::{Rule, Unit, units};
use polytm_text::fold;
use polytm_text::lang::Lang;

/// How a query matched a term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    Exact,
    Inflected,
    Prefix,
    Contains,
    InText,
}

impl MatchKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MatchKind::Exact => "exact",
            MatchKind::Inflected => "inflected",
            MatchKind::Prefix => "prefix",
            MatchKind::Contains => "contains",
            MatchKind::InText => "in text",
        }
    }
}

/// A concept found by a query, with the term that matched best.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub concept_id: i64,
    pub term_id: i64,
    pub kind: MatchKind,
}

/// Case-insensitive comparison of a query word with a term word.
fn loose(q: &Unit, t: &Unit) -> bool {
    q.key == t.key
        || (!q.bases.is_empty()
            && !t.bases.is_empty()
            && t.bases.iter().any(|b| q.bases.iter().any(|x| x.agrees(b))))
}

/// The last query word may be cut short: `tajik` ~ `tajikistan`.
fn loose_last(q: &Unit, t: &Unit) -> bool {
    loose(q, t) || (q.key.chars().count() >= 2 && t.key.starts_with(&q.key))
}

/// How the query units match the term units, if they do.
fn compare(q: &[Unit], t: &[Unit]) -> Option<MatchKind> {
    if q.is_empty() || q.len() > t.len() {
        return None;
    }
    let at = |o: usize| -> Option<bool> {
        // Some(true): all words match fully; Some(false): last one is a prefix.
        let n = q.len();
        for k in 0..n - 1 {
            if !loose(&q[k], &t[o + k]) {
                return None;
            }
        }
        if loose(&q[n - 1], &t[o + n - 1]) {
            Some(true)
        } else if loose_last(&q[n - 1], &t[o + n - 1]) {
            Some(false)
        } else {
            None
        }
    };
    if let Some(full) = at(0) {
        return Some(if full && q.len() == t.len() {
            MatchKind::Inflected
        } else {
            MatchKind::Prefix
        });
    }
    (1..=t.len() - q.len())
        .any(|o| at(o).is_some())
        .then_some(MatchKind::Contains)
}

/// Could `query` hold a term of `lang`? (Do not build recognisers for
/// languages whose script the query does not use.)
fn script_fits(query: &str, lang: &Lang) -> bool {
    let p = lang.profile();
    !p.script_check || query.chars().any(|c| p.script.has(c))
}

impl Glossary {
    /// Concepts whose terms match `query` (in `lang` only, when given), best
    /// match first, each concept once.
    pub fn lookup(&self, query: &str, lang: Option<&Lang>) -> Vec<Found> {
        let qkey = fold(query);
        if qkey.is_empty() {
            return Vec::new();
        }
        let mut best: HashMap<i64, (MatchKind, u8, i64)> = HashMap::new();
        let mut consider = |concept: i64, term: i64, kind: MatchKind, rank: u8| {
            let e = best.entry(concept).or_insert((kind, rank, term));
            if (kind, rank) < (e.0, e.1) {
                *e = (kind, rank, term);
            }
        };
        let mut rules: HashMap<Lang, (Rule, Vec<Unit>, String)> = HashMap::new();
        for c in self.concepts() {
            for t in &c.terms {
                if lang.is_some_and(|l| l != &t.lang) {
                    continue;
                }
                let rank = t.status.rank();
                if t.key == qkey {
                    consider(c.id, t.id, MatchKind::Exact, rank);
                    continue;
                }
                if t.lang.is_unspaced() {
                    let q: String = qkey.chars().filter(|c| !c.is_whitespace()).collect();
                    let k: String = t.key.chars().filter(|c| !c.is_whitespace()).collect();
                    if k == q {
                        consider(c.id, t.id, MatchKind::Exact, rank);
                    } else if k.starts_with(&q) {
                        consider(c.id, t.id, MatchKind::Prefix, rank);
                    } else if k.contains(&q) {
                        consider(c.id, t.id, MatchKind::Contains, rank);
                    }
                    continue;
                }
                let (rule, q, _) = rules.entry(t.lang.clone()).or_insert_with(|| {
                    let r = Rule::for_lang(&t.lang);
                    let q = units(query, &t.lang, &r);
                    (r, q, String::new())
                });
                let tu = units(&t.text, &t.lang, rule);
                if let Some(kind) = compare(q, &tu) {
                    consider(c.id, t.id, kind, rank);
                }
            }
        }
        // The query may be a longer text naming a concept.
        let langs: Vec<Lang> = match lang {
            Some(l) => vec![l.clone()],
            None => self.langs(),
        };
        for l in langs.into_iter().filter(|l| script_fits(query, l)) {
            for h in self.recognizer(&l).scan(query) {
                let rank = h.status.rank();
                consider(h.concept_id, h.term_id, MatchKind::InText, rank);
            }
        }
        let mut out: Vec<(MatchKind, i64, i64)> =
            best.into_iter().map(|(c, (k, _, t))| (k, c, t)).collect();
        out.sort();
        out.into_iter()
            .map(|(kind, concept_id, term_id)| Found {
                concept_id,
                term_id,
                kind,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glossary() -> Glossary {
        Glossary::from_tsv_str(
            "en\tru\tzh\n\
             Ministry of Internal Affairs of the Republic of Kazakhstan | Interior Ministry of the Republic of Kazakhstan\tМинистерство внутренних дел Республики Казахстан | МВД Казахстана\t哈萨克斯坦内务部\n\
             Ministry of Internal Affairs of the Russian Federation\tМинистерство внутренних дел Российской Федерации | МВД России\t俄罗斯内务部\n\
             Tajikistan\tТаджикистан\t塔吉克斯坦\n\
             Shanghai Cooperation Organisation | SCO\tШанхайская организация сотрудничества | ШОС\t上海合作组织 | [abbr] 上合组织\n",
        )
        .unwrap()
    }

    fn ids(g: &Glossary, q: &str, lang: Option<&Lang>) -> Vec<(i64, MatchKind)> {
        g.lookup(q, lang)
            .into_iter()
            .map(|f| (f.concept_id, f.kind))
            .collect()
    }

    #[test]
    fn tiers() {
        let g = glossary();
        assert_eq!(ids(&g, "ШОС", None), vec![(4, MatchKind::Exact)]);
        assert_eq!(
            ids(&g, "министерства внутренних дел республики казахстан", None),
            vec![(1, MatchKind::Inflected)]
        );
        assert_eq!(
            ids(&g, "министерства внутренних дел", None),
            vec![(1, MatchKind::Prefix), (2, MatchKind::Prefix)]
        );
        assert_eq!(ids(&g, "Tajik", None), vec![(3, MatchKind::Prefix)]);
        assert_eq!(
            ids(&g, "Shanghai Cooperation Organization", None),
            vec![(4, MatchKind::Inflected)]
        );
        assert_eq!(
            ids(&g, "内务部", None),
            vec![(1, MatchKind::Contains), (2, MatchKind::Contains)]
        );
        assert_eq!(
            ids(&g, "внутренних дел", Some(&Lang::ru())),
            vec![(1, MatchKind::Contains), (2, MatchKind::Contains)]
        );
        assert_eq!(
            ids(&g, "Делегация МВД России прибыла в Таджикистан", None),
            vec![(2, MatchKind::InText), (3, MatchKind::InText)]
        );
        assert!(ids(&g, "Министр", None).is_empty());
        assert!(ids(&g, "nothing at all", None).is_empty());
        assert!(ids(&g, "ШОС", Some(&Lang::zh())).is_empty());
    }
}

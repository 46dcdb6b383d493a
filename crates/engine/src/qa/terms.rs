//! `term`: every glossary concept the source names must be named in the
//! target by one of the concept's allowed terms, in any inflection; a
//! deprecated term, or a term a team's profile forbids, is a finding.
//!
//! Both sides are read by the glossary's recogniser, so Russian case forms
//! (`Министерством внутренних дел`), English variants and Chinese names in
//! running text are understood. The source is read longest name first (the
//! concepts it names). The target is searched for each of them among *all*
//! the names it holds, nested ones included, with one rule: a name that
//! lies inside a longer name of another concept counts only when that
//! concept is made of it. "Made of" is read from the glossary itself: a
//! concept is made of another when one of its terms, in a language other
//! than the target's, holds the other's name (`SCO member states` holds
//! `SCO`, so `上合组织成员国` renders "the SCO"; `Anti-Narcotics Force`
//! holds no `Ministry of Narcotics Control`, so `巴基斯坦禁毒部队` does not
//! render the ministry although its characters contain `巴基斯坦禁毒部`).

use std::collections::{HashMap, HashSet};

use super::{Check, Issue, Span, UnitSides, quote};
use polytm_glossary::{Glossary, Hit, Pattern, Recognizer, TermStatus};
use polytm_text::lang::{Lang, LangTag};

pub struct TermCheck {
    glossary: Glossary,
    src: Recognizer,
    tgt: Recognizer,
    to: Lang,
    /// Concept → the concepts it is made of.
    parts: HashMap<i64, HashSet<i64>>,
}

impl TermCheck {
    pub fn new(glossary: &Glossary, from: &LangTag, to: &LangTag) -> TermCheck {
        let mut parts: HashMap<i64, HashSet<i64>> = HashMap::new();
        for lang in glossary.langs() {
            if lang == to.lang {
                continue;
            }
            let rec = glossary.recognizer(&lang);
            for c in glossary.concepts() {
                for t in c.terms(&lang) {
                    for h in rec.scan_overlapping(&t.text) {
                        if h.concept_id != c.id {
                            parts.entry(c.id).or_default().insert(h.concept_id);
                        }
                    }
                }
            }
        }
        TermCheck {
            glossary: glossary.clone(),
            src: glossary.recognizer(&from.lang),
            tgt: glossary.recognizer(&to.lang),
            to: to.lang.clone(),
            parts,
        }
    }

    /// The allowed target terms of a concept, preferred first.
    fn allowed(&self, concept: i64) -> Vec<&str> {
        let Some(c) = self.glossary.concept(concept) else {
            return Vec::new();
        };
        let mut terms: Vec<_> = c
            .terms(&self.to)
            .filter(|t| t.status != TermStatus::Deprecated)
            .collect();
        terms.sort_by_key(|t| (t.status.rank(), t.position));
        terms.iter().map(|t| t.text.as_str()).collect()
    }

    fn expected(&self, concept: i64) -> String {
        let a = self.allowed(concept);
        let mut s = quote(a.first().copied().unwrap_or(""));
        if a.len() > 1 {
            let rest: Vec<String> = a[1..].iter().take(3).map(|t| quote(t)).collect();
            s.push_str(&format!(" (or {})", rest.join(", ")));
        }
        s
    }

    fn label(&self, concept: i64) -> String {
        self.glossary
            .concept(concept)
            .map(|c| c.label().to_string())
            .unwrap_or_default()
    }

    /// The glossary names of both sides.
    pub fn read(&self, u: &UnitSides) -> Names {
        let src_hits = self.src.scan(&u.src.masked);
        let (tgt_sel, tgt_all) = self.tgt.scan_both(&u.tgt.masked);
        Names {
            src_hits,
            tgt_all,
            tgt_sel,
        }
    }

    pub fn check(&self, names: &Names, out: &mut Vec<Issue>) {
        let Names {
            src_hits,
            tgt_all,
            tgt_sel,
        } = names;
        if src_hits.is_empty() && tgt_all.is_empty() {
            return;
        }
        let visible = |h: &Hit| {
            tgt_sel.iter().any(|s| {
                s.start <= h.start
                    && h.end <= s.end
                    && ((s.concept_id == h.concept_id
                        // an allowed name inside a deprecated one is not a rendering
                        && (s.status != TermStatus::Deprecated || (s.start, s.end) == (h.start, h.end)))
                        || self
                            .parts
                            .get(&s.concept_id)
                            .is_some_and(|p| p.contains(&h.concept_id)))
            })
        };
        let named: HashSet<i64> = src_hits.iter().map(|h| h.concept_id).collect();
        let mut reported: HashSet<(usize, usize)> = HashSet::new();
        let mut done: HashSet<i64> = HashSet::new();
        for sh in src_hits {
            let c = sh.concept_id;
            if !done.insert(c) || self.allowed(c).is_empty() {
                continue;
            }
            let of_c: Vec<&Hit> = tgt_all
                .iter()
                .filter(|h| h.concept_id == c && visible(h))
                .collect();
            if of_c.iter().any(|h| h.status != TermStatus::Deprecated) {
                continue;
            }
            if let Some(d) = of_c.first() {
                reported.insert((d.start, d.end));
                out.push(
                    Issue::new(
                        Check::Term,
                        format!(
                            "deprecated term {} for {}; use {}",
                            quote(&d.text),
                            quote(&sh.text),
                            self.expected(c)
                        ),
                    )
                    .source((sh.start, sh.end))
                    .target((d.start, d.end)),
                );
                continue;
            }
            // another concept in its place?
            let instead = tgt_sel
                .iter()
                .find(|h| !named.contains(&h.concept_id) && !reported.contains(&(h.start, h.end)));
            let mut msg = format!(
                "{} is not rendered by its glossary term: expected {}",
                quote(&sh.text),
                self.expected(c)
            );
            if let Some(h) = instead {
                msg.push_str(&format!(
                    "; the translation has {} ({})",
                    quote(&h.text),
                    self.label(h.concept_id)
                ));
                reported.insert((h.start, h.end));
            }
            out.push(
                Issue::new(Check::Term, msg)
                    .source((sh.start, sh.end))
                    .target_opt(instead.map(|h| (h.start, h.end))),
            );
        }
        // deprecated terms wherever they are
        for h in tgt_sel {
            if h.status == TermStatus::Deprecated && reported.insert((h.start, h.end)) {
                out.push(
                    Issue::new(
                        Check::Term,
                        format!(
                            "deprecated term {}; use {}",
                            quote(&h.text),
                            self.expected(h.concept_id)
                        ),
                    )
                    .target((h.start, h.end)),
                );
            }
        }
    }
}

/// The glossary names found in a unit: the source's (longest first), and
/// the target's, all and longest first.
#[derive(Debug, Default)]
pub struct Names {
    pub src_hits: Vec<Hit>,
    pub tgt_all: Vec<Hit>,
    pub tgt_sel: Vec<Hit>,
}

impl Names {
    /// Where both sides name the same concepts: the spans of those names
    /// in the source and in the target (numbers inside them, like the
    /// `1961` of a convention's Chinese title, belong to the name).
    pub fn shared(&self) -> (Vec<Span>, Vec<Span>) {
        let src: HashSet<i64> = self.src_hits.iter().map(|h| h.concept_id).collect();
        let tgt: HashSet<i64> = self.tgt_sel.iter().map(|h| h.concept_id).collect();
        let spans = |hits: &[Hit], other: &HashSet<i64>| {
            hits.iter()
                .filter(|h| other.contains(&h.concept_id))
                .map(|h| (h.start, h.end))
                .collect()
        };
        (spans(&self.src_hits, &tgt), spans(&self.tgt_sel, &src))
    }
}

/// The terms a team's profile forbids in the target language.
pub struct Forbidden {
    rec: Recognizer,
    instead: Vec<Option<String>>,
}

impl Forbidden {
    pub fn new(terms: &[super::profile::ForbiddenTerm], to: &Lang) -> Option<Forbidden> {
        let mine: Vec<_> = terms
            .iter()
            .filter(|f| Lang::parse(&f.lang).is_ok_and(|l| &l == to))
            .collect();
        if mine.is_empty() {
            return None;
        }
        let rec = Recognizer::new(
            to,
            mine.iter().enumerate().map(|(i, f)| Pattern {
                concept_id: i as i64,
                term_id: i as i64,
                status: TermStatus::Deprecated,
                text: f.term.clone(),
            }),
        );
        Some(Forbidden {
            rec,
            instead: mine.iter().map(|f| f.instead.clone()).collect(),
        })
    }

    pub fn check(&self, u: &UnitSides, out: &mut Vec<Issue>) {
        for h in self.rec.scan(&u.tgt.masked) {
            let mut msg = format!("forbidden term {}", quote(&h.text));
            if let Some(Some(i)) = self.instead.get(h.concept_id as usize) {
                msg.push_str(&format!("; use {}", quote(i)));
            }
            out.push(Issue::new(Check::Term, msg).target((h.start, h.end)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::issues_with;
    use super::*;

    fn glossary() -> Glossary {
        Glossary::from_tsv_str(
            "en\tru\tzh\n\
             Shanghai Cooperation Organisation | SCO\tШанхайская организация сотрудничества | ШОС\t上海合作组织 | 上合组织\n\
             SCO member states\tгосударства-члены ШОС\t上合组织成员国\n\
             Kyrgyz Republic | Kyrgyzstan\tКыргызская Республика | Кыргызстан | ~Республика Кыргызстан\t吉尔吉斯共和国 | 吉尔吉斯斯坦 | ~吉尔吉斯坦\n\
             Ministry of Internal Affairs of the Kyrgyz Republic\tМинистерство внутренних дел Кыргызской Республики\t吉尔吉斯共和国内务部\n\
             Ministry of Narcotics Control of Pakistan\tМинистерство по борьбе с наркотиками Пакистана\t巴基斯坦禁毒部\n\
             Anti-Narcotics Force\tСилы по борьбе с наркотиками Пакистана\t巴基斯坦禁毒部队\n",
        )
        .unwrap()
    }

    fn terms(to: &str, src: &str, tgt: &str) -> Vec<Issue> {
        issues_with(&glossary(), Check::Term, "en", to, src, tgt)
    }

    #[test]
    fn russian_case_forms_are_renderings() {
        let src = "Representatives of the Ministry of Internal Affairs of the Kyrgyz Republic met the SCO.";
        for ru in [
            "Представители Министерства внутренних дел Кыргызской Республики встретились с ШОС.",
            "Министерством внутренних дел Кыргызской Республики и Шанхайской организацией сотрудничества.",
            "О Министерстве внутренних дел Кыргызской Республики и о Шанхайской организации сотрудничества.",
        ] {
            assert_eq!(terms("ru", src, ru), [], "{ru}");
        }
    }

    #[test]
    fn chinese_in_running_text_and_inside_longer_names() {
        assert_eq!(
            terms(
                "zh",
                "Kyrgyzstan joined the SCO.",
                "吉尔吉斯斯坦加入了上合组织成员国行列。"
            ),
            []
        );
        assert_eq!(
            terms(
                "zh",
                "The Ministry of Internal Affairs of the Kyrgyz Republic",
                "吉尔吉斯共和国内务部"
            ),
            []
        );
    }

    #[test]
    fn wrong_concept_missing_and_deprecated() {
        let i = terms(
            "zh",
            "A delegation of the Ministry of Narcotics Control of Pakistan arrived.",
            "巴基斯坦禁毒部队代表团抵达。",
        );
        assert_eq!(i.len(), 1, "{i:?}");
        assert!(
            i[0].message.contains("expected «巴基斯坦禁毒部»"),
            "{}",
            i[0].message
        );
        assert!(
            i[0].message
                .contains("«巴基斯坦禁毒部队» (Anti-Narcotics Force)")
        );
        assert_eq!(i[0].target, Some((0, 8)));
        assert_eq!(i[0].source, Some((20, 61)));

        let i = terms(
            "ru",
            "Kyrgyzstan joined.",
            "Республика Кыргызстан присоединилась.",
        );
        assert_eq!(i.len(), 1, "{i:?}");
        assert!(i[0].message.starts_with("deprecated term «Республика Кыргызстан» for «Kyrgyzstan»; use «Кыргызская Республика»"), "{}", i[0].message);

        let i = terms("ru", "Kyrgyzstan joined.", "Страна присоединилась.");
        assert_eq!(i.len(), 1);
        assert!(i[0].message.contains("«Kyrgyzstan» is not rendered"));
        assert_eq!(i[0].target, None);
    }

    #[test]
    fn forbidden_terms_of_a_profile() {
        let mut s = super::super::Settings::only(&[Check::Term]);
        s.forbidden = vec![super::super::profile::ForbiddenTerm {
            lang: "ru".into(),
            term: "Киргизия".into(),
            instead: Some("Кыргызстан".into()),
        }];
        let c = super::super::Checker::new(
            &LangTag::parse("en").unwrap(),
            &LangTag::parse("ru").unwrap(),
            &Glossary::default(),
            s,
        );
        let unit = super::super::Unit {
            id: "1".into(),
            segment: None,
            source: super::super::Text::plain("Delegations of Kyrgyzstan"),
            target: Some(super::super::Text::plain("Делегации Киргизии")),
        };
        let i = c.check_unit(&unit);
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].message, "forbidden term «Киргизии»; use «Кыргызстан»");
        assert_eq!(i[0].target, Some((10, 18)));
    }
}

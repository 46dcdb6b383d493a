//! Finding glossary terms in running text.
//!
//! A [`Recognizer`] is built once per language from a glossary and then
//! scans any number of texts (it is `Send + Sync`: share it between
//! threads). It reports [`Hit`]s: character offsets into the text, the
//! characters themselves, the concept and the term that matched.
//!
//! - **Spaced languages** (English, Russian, ...) are matched word by word
//!   (see [`super::words`]): inflected forms, hyphenation, British/American
//!   spelling, possessives (`China's` gives a hit on `China`), capitals for
//!   abbreviations. Candidate terms are found through an index on their
//!   first word, then checked word by word.
//! - **Unspaced languages** (Chinese, Japanese, Thai) are matched as
//!   substrings of the folded text with Aho-Corasick; spaces and line breaks
//!   between Han characters are ignored, and so is an ordinal `第N次` / `第N届`
//!   inside a meeting name (`领导人第九次会议` is `领导人会议`). A Latin or
//!   digit run must not continue on either side of a match. A few longer
//!   words that merely contain a name (`印度尼西亚` is not `印度`,
//!   `白俄罗斯` is not `俄罗斯`) block the shorter match.
//!
//! Overlapping candidates are resolved **longest first** (in characters),
//! then leftmost, then by term status (preferred before variants) and
//! concept id; the hits returned never overlap and are in text order.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, MatchKind};
use serde::Serialize;

use super::model::TermStatus;
use super::words::{Rule, Unit, units, units_keeping};
use polytm_text::lang::Lang;
use polytm_text::{Folded, is_han, is_kana, numbers};

/// One occurrence of a glossary term in a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hit {
    /// First character (0-based, in Unicode characters).
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// Exactly the characters `start..end` of the text.
    pub text: String,
    pub concept_id: i64,
    pub term_id: i64,
    /// Status of the term that matched (a deprecated term still matches).
    pub status: TermStatus,
}

/// A term the recogniser looks for.
#[derive(Debug, Clone)]
pub struct Pattern {
    pub concept_id: i64,
    pub term_id: i64,
    pub status: TermStatus,
    pub text: String,
}

#[derive(Debug, Clone)]
struct Entry {
    concept_id: i64,
    term_id: i64,
    status: TermStatus,
    /// A longer word that must not be read as a term it contains.
    blocker: bool,
}

pub struct Recognizer {
    lang: Lang,
    entries: Vec<Entry>,
    engine: Engine,
    terms: usize,
}

enum Engine {
    Words(WordEngine),
    Chars(CharEngine),
}

struct WordEngine {
    rule: Rule,
    /// A possessive `'s` / `'` inside a name is optional (English).
    possessive: bool,
    /// Each pattern: its entry and its units.
    patterns: Vec<(u32, Vec<Unit>)>,
    /// Key or base of a first unit → patterns starting with it.
    first: HashMap<String, Vec<u32>>,
    /// Every base of every pattern word: a text word's other bases cannot
    /// match anything and are not computed.
    bases: std::collections::HashSet<String>,
}

struct CharEngine {
    ac: Option<AhoCorasick>,
    /// Pattern index → entry.
    entry_of: Vec<u32>,
}

#[derive(Debug, Clone, Copy)]
struct Cand {
    start: usize,
    end: usize,
    entry: u32,
}

impl Recognizer {
    /// Build a recogniser for `lang` from the terms of that language.
    pub fn new(lang: &Lang, patterns: impl IntoIterator<Item = Pattern>) -> Recognizer {
        // longer words that contain a name without meaning it: they win
        // over the shorter match and are not reported
        let blockers = lang.profile().compound_blockers;
        let mut entries = Vec::new();
        let mut texts = Vec::new();
        for p in patterns {
            entries.push(Entry {
                concept_id: p.concept_id,
                term_id: p.term_id,
                status: p.status,
                blocker: false,
            });
            texts.push(p.text);
        }
        let terms = entries.len();
        for b in blockers {
            entries.push(Entry {
                concept_id: 0,
                term_id: 0,
                status: TermStatus::Variant,
                blocker: true,
            });
            texts.push((*b).to_string());
        }
        let engine = if lang.is_unspaced() {
            Engine::Chars(CharEngine::new(&texts))
        } else {
            Engine::Words(WordEngine::new(lang, &texts))
        };
        Recognizer {
            lang: lang.clone(),
            entries,
            engine,
            terms,
        }
    }

    pub fn lang(&self) -> &Lang {
        &self.lang
    }

    /// Number of glossary terms it looks for.
    pub fn len(&self) -> usize {
        self.terms
    }

    pub fn is_empty(&self) -> bool {
        self.terms == 0
    }

    /// All glossary terms in `text`: longest first, no overlaps, in text
    /// order.
    pub fn scan(&self, text: &str) -> Vec<Hit> {
        if self.terms == 0 || text.is_empty() {
            return Vec::new();
        }
        let cands = match &self.engine {
            Engine::Words(w) => w.candidates(text, &self.lang),
            Engine::Chars(c) => c.candidates(text),
        };
        self.select(text, cands)
    }

    /// Like [`Recognizer::scan`], ignoring the terms of one concept.
    pub fn scan_excluding(&self, text: &str, concept_id: i64) -> Vec<Hit> {
        if self.terms == 0 || text.is_empty() {
            return Vec::new();
        }
        let mut cands = match &self.engine {
            Engine::Words(w) => w.candidates(text, &self.lang),
            Engine::Chars(c) => c.candidates(text),
        };
        cands.retain(|c| self.entries[c.entry as usize].concept_id != concept_id);
        self.select(text, cands)
    }

    /// Every occurrence of every term in `text`, overlaps kept (a name
    /// inside a longer name is reported too), except those inside a longer
    /// word that merely contains them (`印度` in `印度尼西亚`); sorted by
    /// start, longest first. What a check asks when it wants to know
    /// whether a concept is named anywhere, not only in the longest reading.
    pub fn scan_overlapping(&self, text: &str) -> Vec<Hit> {
        self.scan_both(text).1
    }

    /// [`Recognizer::scan`] and [`Recognizer::scan_overlapping`] at once
    /// (the text is read once).
    pub fn scan_both(&self, text: &str) -> (Vec<Hit>, Vec<Hit>) {
        if self.terms == 0 || text.is_empty() {
            return (Vec::new(), Vec::new());
        }
        let cands = match &self.engine {
            Engine::Words(w) => w.candidates(text, &self.lang),
            Engine::Chars(c) => c.candidates(text),
        };
        if cands.is_empty() {
            return (Vec::new(), Vec::new());
        }
        let blocks: Vec<(usize, usize)> = cands
            .iter()
            .filter(|c| self.entries[c.entry as usize].blocker)
            .map(|c| (c.start, c.end))
            .collect();
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let byte = |i: usize| chars.get(i).map_or(text.len(), |c| c.0);
        let mut all: Vec<Hit> = cands
            .iter()
            .filter(|c| {
                let e = &self.entries[c.entry as usize];
                let blocked = blocks
                    .iter()
                    .any(|&(s, t)| s <= c.start && c.end <= t && t - s > c.end - c.start);
                !e.blocker && !blocked && c.end > c.start
            })
            .map(|c| {
                let e = &self.entries[c.entry as usize];
                Hit {
                    start: c.start,
                    end: c.end,
                    text: text[byte(c.start)..byte(c.end)].to_string(),
                    concept_id: e.concept_id,
                    term_id: e.term_id,
                    status: e.status,
                }
            })
            .collect();
        all.sort_by_key(|h| (h.start, std::cmp::Reverse(h.end), h.concept_id, h.term_id));
        all.dedup_by_key(|h| (h.start, h.end, h.concept_id, h.term_id));
        (self.select(text, cands), all)
    }

    /// Resolve overlaps: longest first, then leftmost, then status, then
    /// concept id.
    fn select(&self, text: &str, mut cands: Vec<Cand>) -> Vec<Hit> {
        if cands.is_empty() {
            return Vec::new();
        }
        cands.sort_by_key(|c| {
            let e = &self.entries[c.entry as usize];
            (
                std::cmp::Reverse(c.end - c.start),
                c.start,
                e.blocker,
                e.status.rank(),
                e.concept_id,
            )
        });
        let n = cands.iter().map(|c| c.end).max().unwrap_or(0);
        let mut taken = vec![false; n];
        let mut chosen: Vec<Cand> = Vec::new();
        for c in cands {
            if c.end <= c.start || taken[c.start..c.end].iter().any(|&t| t) {
                continue;
            }
            taken[c.start..c.end].iter_mut().for_each(|t| *t = true);
            chosen.push(c);
        }
        chosen.sort_by_key(|c| c.start);
        let byte_at: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(text.len()))
            .collect();
        chosen
            .into_iter()
            .filter_map(|c| {
                let e = &self.entries[c.entry as usize];
                if e.blocker {
                    return None;
                }
                let s = *byte_at.get(c.start)?;
                let t = *byte_at.get(c.end)?;
                Some(Hit {
                    start: c.start,
                    end: c.end,
                    text: text.get(s..t)?.to_string(),
                    concept_id: e.concept_id,
                    term_id: e.term_id,
                    status: e.status,
                })
            })
            .collect()
    }
}

impl WordEngine {
    fn new(lang: &Lang, texts: &[String]) -> WordEngine {
        let rule = Rule::for_lang(lang);
        let mut patterns: Vec<(u32, Vec<Unit>)> = Vec::new();
        let mut first: HashMap<String, Vec<u32>> = HashMap::new();
        for (entry, text) in texts.iter().enumerate() {
            let us = units(text, lang, &rule);
            if us.is_empty() {
                continue;
            }
            let mut variants = vec![us];
            // Counter-Narcotics also as "counternarcotics".
            if let Some(joined) = join_hyphenated(text, lang, &rule) {
                variants.push(joined);
            }
            for us in variants {
                let id = patterns.len() as u32;
                let head = &us[0];
                let mut keys = vec![head.key.clone()];
                if !head.caps {
                    keys.extend(head.bases.iter().map(|b| b.base.clone()));
                }
                for k in keys {
                    let v = first.entry(k).or_default();
                    if !v.contains(&id) {
                        v.push(id);
                    }
                }
                patterns.push((entry as u32, us));
            }
        }
        let bases = patterns
            .iter()
            .flat_map(|(_, us)| {
                us.iter()
                    .flat_map(|u| u.bases.iter().map(|b| b.base.clone()))
            })
            .collect();
        WordEngine {
            rule,
            possessive: lang.profile().possessive_s,
            patterns,
            first,
            bases,
        }
    }

    fn candidates(&self, text: &str, lang: &Lang) -> Vec<Cand> {
        let us = units_keeping(text, lang, &self.rule, Some(&self.bases));
        let mut out = Vec::new();
        let mut seen: Vec<u32> = Vec::new();
        for i in 0..us.len() {
            seen.clear();
            let u = &us[i];
            for k in std::iter::once(&u.key).chain(u.bases.iter().map(|b| &b.base)) {
                if let Some(ps) = self.first.get(k) {
                    for &p in ps {
                        if !seen.contains(&p) {
                            seen.push(p);
                        }
                    }
                }
            }
            for &p in &seen {
                let (entry, pat) = &self.patterns[p as usize];
                if let Some(j) = match_at(pat, &us, i, self.possessive) {
                    out.push(Cand {
                        start: us[i].start,
                        end: us[j - 1].end,
                        entry: *entry,
                    });
                }
            }
        }
        out
    }
}

fn is_possessive(u: &Unit) -> bool {
    u.key == "'s" || u.key == "'"
}

/// Match the term units `pat` against the text units from `i`; the index
/// after the last text unit matched. In English a possessive inside a name
/// may be there or not, on either side ("the Shanghai Cooperation
/// Organisation's Secretary-General" is the "Shanghai Cooperation
/// Organisation Secretary-General").
fn match_at(pat: &[Unit], us: &[Unit], i: usize, possessive: bool) -> Option<usize> {
    let single = pat.len() == 1;
    let mut k = 0;
    let mut j = i;
    while k < pat.len() {
        if j < us.len() && us[j].matches(&pat[k], single) {
            k += 1;
            j += 1;
        } else if possessive
            && k > 0
            && j < us.len()
            && is_possessive(&us[j])
            && !is_possessive(&pat[k])
        {
            j += 1;
        } else if possessive && k > 0 && is_possessive(&pat[k]) {
            k += 1;
        } else {
            return None;
        }
    }
    Some(j)
}

/// The units of a term with its hyphenated compounds written as one word
/// (`Counter-Narcotics` → `counternarcotics`), when it has any.
fn join_hyphenated(text: &str, lang: &Lang, rule: &Rule) -> Option<Vec<Unit>> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    for (i, &c) in chars.iter().enumerate() {
        let between_letters = i > 0
            && i + 1 < chars.len()
            && chars[i - 1].is_alphabetic()
            && chars[i + 1].is_alphabetic();
        if matches!(c, '-' | '\u{2010}' | '\u{2011}') && between_letters {
            changed = true;
            continue;
        }
        out.push(c);
    }
    if !changed {
        return None;
    }
    let us = units(&out, lang, rule);
    (!us.is_empty()).then_some(us)
}

impl CharEngine {
    fn new(texts: &[String]) -> CharEngine {
        let mut pats = Vec::new();
        let mut entry_of = Vec::new();
        for (i, t) in texts.iter().enumerate() {
            let (k, _) = zh_key(t);
            if k.is_empty() {
                continue;
            }
            pats.push(k);
            entry_of.push(i as u32);
        }
        let ac = if pats.is_empty() {
            None
        } else {
            // fails only past aho-corasick's size limits (billions of states)
            AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .build(&pats)
                .ok()
        };
        CharEngine { ac, entry_of }
    }

    fn candidates(&self, text: &str) -> Vec<Cand> {
        let Some(ac) = &self.ac else {
            return Vec::new();
        };
        let (key, map) = zh_key(text);
        let original: Vec<char> = text.chars().collect();
        // byte offset in `key` → char index in `key`
        let mut char_of_byte = vec![0usize; key.len() + 1];
        let kchars: Vec<char> = key.chars().collect();
        {
            let mut ci = 0;
            for (b, _) in key.char_indices() {
                char_of_byte[b] = ci;
                ci += 1;
            }
            char_of_byte[key.len()] = ci;
        }
        let mut out = Vec::new();
        for m in ac.find_overlapping_iter(&key) {
            let s = char_of_byte[m.start()];
            let e = char_of_byte[m.end()];
            if e <= s {
                continue;
            }
            // A Latin/digit run must not go on across either edge.
            let alnum = |c: char| c.is_ascii_alphanumeric();
            if s > 0 && alnum(kchars[s]) && alnum(kchars[s - 1]) {
                continue;
            }
            if e < kchars.len() && alnum(kchars[e - 1]) && alnum(kchars[e]) {
                continue;
            }
            let (Some(&os), Some(&ol)) = (map.get(s), map.get(e - 1)) else {
                continue;
            };
            let mut oe = ol + 1;
            // Take combining marks and zero-width characters after the last one.
            while oe < original.len()
                && (unicode_normalization::char::is_combining_mark(original[oe])
                    || matches!(original[oe], '\u{200B}'..='\u{200D}' | '\u{FEFF}'))
            {
                oe += 1;
            }
            out.push(Cand {
                start: os,
                end: oe,
                entry: self.entry_of[m.pattern().as_usize()],
            });
        }
        out
    }
}

fn cjk(c: char) -> bool {
    is_han(c)
        || is_kana(c)
        || ('\u{3000}'..='\u{303F}').contains(&c)
        || ('\u{FF00}'..='\u{FFEF}').contains(&c)
}

/// The matching key of unspaced text: folded, without the spaces between
/// CJK characters and without ordinals `第N次`/`第N届` before a Han
/// character; with the map from each key character to its original index.
fn zh_key(text: &str) -> (String, Vec<usize>) {
    let f = Folded::new(text);
    let chars: Vec<char> = f.text.chars().collect();
    let mut out = String::with_capacity(f.text.len());
    let mut map = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == ' ' {
            let prev = out.chars().next_back();
            let next = chars.get(i + 1).copied();
            if prev.is_some_and(cjk) || next.is_some_and(cjk) {
                i += 1;
                continue;
            }
        }
        if c == numbers::HAN_ORDINAL
            && let Some(n) = ordinal_len(&chars[i..])
        {
            i += n;
            continue;
        }
        out.push(c);
        map.push(f.map.get(i).copied().unwrap_or(0));
        i += 1;
    }
    (out, map)
}

/// Length of `第` + numeral + `次`/`届` at the start of `s` when a Han
/// character follows.
fn ordinal_len(s: &[char]) -> Option<usize> {
    let digits = s[1..]
        .iter()
        .take_while(|c| c.is_ascii_digit() || numbers::is_everyday_numeral(**c))
        .count();
    if digits == 0 {
        return None;
    }
    let k = 1 + digits;
    match s.get(k) {
        Some('次' | '届') if s.get(k + 1).is_some_and(|c| is_han(*c)) => Some(k + 1),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(lang: &Lang, terms: &[(&str, i64)]) -> Recognizer {
        Recognizer::new(
            lang,
            terms.iter().enumerate().map(|(i, (t, c))| Pattern {
                concept_id: *c,
                term_id: i as i64 + 1,
                status: TermStatus::Variant,
                text: t.to_string(),
            }),
        )
    }

    fn found(r: &Recognizer, text: &str) -> Vec<(String, i64)> {
        r.scan(text)
            .into_iter()
            .map(|h| {
                let chars: Vec<char> = text.chars().collect();
                let s: String = chars[h.start..h.end].iter().collect();
                assert_eq!(s, h.text);
                (h.text, h.concept_id)
            })
            .collect()
    }

    #[test]
    fn longest_match_wins_and_no_overlap() {
        let r = rec(
            &Lang::en(),
            &[
                ("Republic of Kazakhstan", 1),
                ("Interior Ministry of the Republic of Kazakhstan", 2),
                ("SCO", 3),
                ("Shanghai Cooperation Organisation", 3),
            ],
        );
        assert_eq!(
            found(
                &r,
                "Arystangany Zapparov from the Interior Ministry of the Republic of Kazakhstan and the SCO."
            ),
            vec![
                ("Interior Ministry of the Republic of Kazakhstan".into(), 2),
                ("SCO".into(), 3)
            ]
        );
        assert_eq!(
            found(&r, "the Shanghai Cooperation Organization's members"),
            vec![("Shanghai Cooperation Organization".into(), 3)]
        );
        let r = rec(
            &Lang::en(),
            &[
                ("Shanghai Cooperation Organisation Secretary-General", 1),
                ("Kazakhstan's Interior Ministry", 2),
                ("China", 3),
            ],
        );
        assert_eq!(
            found(
                &r,
                "The Shanghai Cooperation Organization's Secretary-General met Kazakhstan Interior Ministry staff in China's capital."
            ),
            vec![
                (
                    "Shanghai Cooperation Organization's Secretary-General".into(),
                    1
                ),
                ("Kazakhstan Interior Ministry".into(), 2),
                ("China".into(), 3)
            ]
        );
    }

    #[test]
    fn fragments_do_not_fire() {
        let r = rec(
            &Lang::en(),
            &[(
                "Drug Control Agency under the President of the Republic of Tajikistan",
                1,
            )],
        );
        assert!(found(&r, "Drug control remains a priority for the agency.").is_empty());
        let r = rec(&Lang::ru(), &[("Министерство внутренних дел России", 1)]);
        assert!(found(&r, "Министр внутренних дел России заявил").is_empty());
        assert_eq!(
            found(&r, "Министерством внутренних дел России"),
            vec![("Министерством внутренних дел России".into(), 1)]
        );
        let r = rec(
            &Lang::ru(),
            &[("Силы по борьбе с наркотиками Пакистана", 1), ("Силы", 2)],
        );
        assert_eq!(
            found(&r, "взаимодействие Сил по борьбе с наркотиками Пакистана"),
            vec![("Сил по борьбе с наркотиками Пакистана".into(), 1)]
        );
        assert!(
            found(&r, "Сил").is_empty(),
            "a short word alone stays exact"
        );
    }

    #[test]
    fn chinese_substrings() {
        let r = rec(
            &Lang::zh(),
            &[
                ("上海合作组织", 1),
                ("上合组织", 1),
                ("上合组织秘书处", 2),
                ("印度", 3),
                ("俄罗斯", 4),
                ("上海合作组织成员国禁毒部门领导人会议", 5),
                ("UNODC", 6),
            ],
        );
        assert_eq!(
            found(&r, "上合组织秘书处和上海合作组织在印度。"),
            vec![
                ("上合组织秘书处".into(), 2),
                ("上海合作组织".into(), 1),
                ("印度".into(), 3)
            ]
        );
        assert!(found(&r, "印度尼西亚和白俄罗斯").is_empty());
        assert_eq!(
            found(
                &r,
                "上海合作组织成员国禁毒部门领导人第九次会议在比什凯克举行"
            ),
            vec![("上海合作组织成员国禁毒部门领导人第九次会议".into(), 5)]
        );
        assert_eq!(
            found(&r, "上合\n组织"),
            vec![("上合\n组织".into(), 1)],
            "a line break inside a name"
        );
        assert!(found(&r, "XUNODC").is_empty());
        assert_eq!(
            found(&r, "与ＵＮＯＤＣ合作"),
            vec![("ＵＮＯＤＣ".into(), 6)]
        );
    }

    /// Long runs of one word, one letter, or the beginning of a term: the
    /// hits are those of a short run, one after the other.
    #[test]
    fn long_runs() {
        let en = rec(
            &Lang::en(),
            &[
                ("Republic of Kazakhstan", 1),
                (
                    "Ministry of Internal Affairs of the Republic of Kazakhstan",
                    2,
                ),
                ("Kazakhstan's Interior Ministry", 3),
                ("SCO", 4),
            ],
        );
        let n = 20_000;
        assert!(en.scan(&"Republic ".repeat(n)).is_empty());
        assert!(
            en.scan(&"Ministry of Internal Affairs of the ".repeat(n))
                .is_empty()
        );
        assert!(en.scan(&"a".repeat(150_000)).is_empty());
        let hits = en.scan(&"Republic of Kazakhstan, ".repeat(n));
        assert_eq!(hits.len(), n);
        assert!(hits.iter().all(|h| h.concept_id == 1));
        let hits = en.scan(&"SCO ".repeat(n));
        assert_eq!(hits.len(), n);
        let hits = en.scan(&"Kazakhstan's Interior Ministry; ".repeat(n));
        assert_eq!(hits.len(), n);
        assert!(hits.iter().all(|h| h.concept_id == 3));
        let ru = rec(&Lang::ru(), &[("Министерство внутренних дел", 1)]);
        assert!(ru.scan(&"а".repeat(150_000)).is_empty());
        assert_eq!(ru.scan(&"Министерства внутренних дел ".repeat(n)).len(), n);
        let zh = rec(&Lang::zh(), &[("上海合作组织", 1), ("上合组织", 1)]);
        assert!(zh.scan(&"上".repeat(150_000)).is_empty());
        assert!(zh.scan(&"上海合作组".repeat(n)).is_empty());
        let text = format!("{}组织", "上海合作".repeat(n));
        let hits = zh.scan(&text);
        assert_eq!(hits.len(), 1);
        assert_eq!((hits[0].start, hits[0].end), (4 * n - 4, 4 * n + 2));
    }

    #[test]
    fn overlapping_hits_keep_names_inside_names() {
        let r = rec(
            &Lang::zh(),
            &[("上合组织", 1), ("上合组织成员国", 2), ("印度", 3)],
        );
        let all: Vec<(String, i64)> = r
            .scan_overlapping("上合组织成员国和印度尼西亚、印度")
            .into_iter()
            .map(|h| (h.text, h.concept_id))
            .collect();
        assert_eq!(
            all,
            vec![
                ("上合组织成员国".into(), 2),
                ("上合组织".into(), 1),
                ("印度".into(), 3)
            ]
        );
        assert_eq!(r.scan("上合组织成员国").len(), 1);
    }

    #[test]
    fn recognizer_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<Recognizer>();
    }
}

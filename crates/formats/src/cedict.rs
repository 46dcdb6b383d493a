//! CC-CEDICT, the community Chinese–English dictionary, in its native
//! text format:
//!
//! ```text
//! # comment
//! 學習 学习 [xue2 xi2] /to learn/to study/
//! ```
//!
//! [`parse_line`] reads one entry; [`gloss_terms`] turns a gloss into the
//! English words and short phrases the aligner can use, with weights that
//! discount long explanations; [`syllables`] gives the toneless readings.

/// One dictionary entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub traditional: String,
    pub simplified: String,
    /// As written: `xue2 xi2`, `Chen2`.
    pub pinyin: String,
    pub glosses: Vec<String>,
}

/// Parse one line: `Ok(None)` for comments and blank lines, `Err(what is
/// wrong)` for a line that is not an entry.
pub fn parse_line(line: &str) -> Result<Option<Entry>, String> {
    let line = line.trim_end_matches(['\r', '\n']);
    if line.trim().is_empty() || line.starts_with('#') {
        return Ok(None);
    }
    let (trad, rest) = line
        .split_once(' ')
        .ok_or("not a CC-CEDICT entry (expected `traditional simplified [pin1 yin1] /gloss/`)")?;
    let (simp, rest) = rest
        .split_once(' ')
        .ok_or("not a CC-CEDICT entry: no simplified headword")?;
    if trad.is_empty() || simp.is_empty() {
        return Err(
            "not a CC-CEDICT entry: an empty headword (one space between the headwords)".into(),
        );
    }
    let rest = rest
        .strip_prefix('[')
        .ok_or("not a CC-CEDICT entry: no [pinyin] after the headwords")?;
    let (pinyin, rest) = rest
        .split_once(']')
        .ok_or("not a CC-CEDICT entry: unclosed [pinyin]")?;
    let rest = rest.trim();
    if !rest.starts_with('/') || !rest.ends_with('/') || rest.len() < 2 {
        return Err("not a CC-CEDICT entry: the glosses must be written /like/this/".into());
    }
    let glosses = rest[1..rest.len() - 1]
        .split('/')
        .map(str::trim)
        .filter(|g| !g.is_empty())
        .map(str::to_string)
        .collect();
    Ok(Some(Entry {
        traditional: trad.to_string(),
        simplified: simp.to_string(),
        pinyin: pinyin.trim().to_string(),
        glosses,
    }))
}

/// Does this text look like CC-CEDICT (its first entries parse)?
pub fn looks_like(text: &str) -> bool {
    let mut seen = 0;
    for line in text.lines().take(200) {
        match parse_line(line) {
            Ok(Some(_)) => {
                seen += 1;
                if seen >= 3 {
                    return true;
                }
            }
            Ok(None) => {}
            Err(_) => return false,
        }
    }
    seen > 0
}

/// Toneless lower-case syllables: `Xue2 xi2` → `["xue", "xi"]`; `lu:4` →
/// `lu`; letters and digits that are not syllables (`3C`) are dropped.
pub fn syllables(pinyin: &str) -> Vec<String> {
    pinyin
        .split_whitespace()
        .map(|s| {
            s.trim_end_matches(|c: char| c.is_ascii_digit())
                .replace("u:", "u")
                .to_ascii_lowercase()
        })
        .filter(|s| s.len() > 1 && s.chars().all(|c| c.is_ascii_lowercase()))
        .collect()
}

/// English words and short phrases of a gloss, with weights: a one-word
/// gloss counts 1, the words of an n-word gloss 1/n each (and the phrase
/// itself 1 when it has at most four words). Cross-references, classifiers
/// and variant notes give nothing; "surname Chen" gives "chen".
pub fn gloss_terms(gloss: &str) -> Vec<(String, f64)> {
    let g = gloss.trim();
    let lower = g.to_lowercase();
    const SKIP: &[&str] = &[
        "cl:",
        "variant of",
        "old variant of",
        "see ",
        "see also",
        "used in",
        "abbr. for",
        "also written",
        "also pr.",
        "erhua variant",
        "japanese variant",
        "korean variant",
        "(bound form)",
    ];
    if SKIP.iter().any(|p| lower.starts_with(p)) {
        return Vec::new();
    }
    if let Some(name) = lower.strip_prefix("surname ") {
        let n = name.split_whitespace().next().unwrap_or("");
        return if n.chars().all(|c| c.is_ascii_alphabetic()) && n.len() > 1 {
            vec![(n.to_string(), 1.0)]
        } else {
            Vec::new()
        };
    }
    let cleaned = strip_brackets(g);
    let mut out = Vec::new();
    for part in cleaned.split([';', ',']) {
        let part = part.trim();
        let part = part
            .strip_prefix("lit. ")
            .or_else(|| part.strip_prefix("fig. "))
            .unwrap_or(part);
        let words: Vec<&str> = part
            .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-'))
            .map(|w| w.trim_matches(['\'', '-']))
            .filter(|w| !w.is_empty() && !w.chars().any(polytm_text::is_han))
            .collect();
        let content: Vec<&str> = words
            .iter()
            .copied()
            .filter(|w| !polytm_text::stopwords::is_stopword(&w.to_lowercase()))
            .collect();
        match content.len() {
            0 => {}
            1 => out.push((content[0].to_string(), 1.0)),
            n => {
                if n <= 4 {
                    out.push((content.join(" "), 1.0));
                }
                for w in &content {
                    out.push((w.to_string(), 1.0 / n as f64));
                }
            }
        }
    }
    out
}

/// Remove `( ... )` notes and `[pin1 yin1]` references.
fn strip_brackets(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0usize;
    for c in s.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_entries_and_comments() {
        let e = parse_line("學習 学习 [xue2 xi2] /to learn/to study/")
            .unwrap()
            .unwrap();
        assert_eq!(e.traditional, "學習");
        assert_eq!(e.simplified, "学习");
        assert_eq!(e.glosses, ["to learn", "to study"]);
        assert_eq!(syllables(&e.pinyin), ["xue", "xi"]);
        assert_eq!(parse_line("# CC-CEDICT").unwrap(), None);
        assert_eq!(parse_line("").unwrap(), None);
        assert!(parse_line("学习\tto learn").is_err());
        assert!(parse_line("學習 学习 [xue2 xi2] to learn").is_err());
        assert_eq!(syllables("lu:4 3 C"), ["lu"]);
    }

    #[test]
    fn headwords_are_never_empty() {
        // a space too many gave an entry with an empty headword
        assert!(parse_line("劉  [Liu2] /surname Liu/").is_err());
        assert!(parse_line(" 刘 [Liu2] /surname Liu/").is_err());
    }

    #[test]
    fn gloss_terms_weights() {
        assert_eq!(gloss_terms("to study"), [("study".to_string(), 1.0)]);
        assert_eq!(gloss_terms("surname Chen"), [("chen".to_string(), 1.0)]);
        assert!(gloss_terms("CL:個|个[ge4]").is_empty());
        assert!(gloss_terms("variant of 學習|学习[xue2 xi2]").is_empty());
        let t = gloss_terms("to lay out; to exhibit");
        assert_eq!(t, [("lay".to_string(), 1.0), ("exhibit".to_string(), 1.0)]);
        let t = gloss_terms("Shanghai Cooperation Organisation (SCO)");
        assert_eq!(t[0], ("Shanghai Cooperation Organisation".to_string(), 1.0));
        assert!((t[1].1 - 1.0 / 3.0).abs() < 1e-9);
        let long = gloss_terms("a king who rules over a great many different lands far away");
        assert!(long.iter().all(|(_, w)| *w < 0.2));
        assert!(!long.iter().any(|(p, _)| p.contains(' ')));
    }

    #[test]
    fn detects_the_format() {
        assert!(looks_like("# c\n學習 学习 [xue2 xi2] /to learn/\n"));
        assert!(!looks_like("学习\tto learn\n"));
    }
}

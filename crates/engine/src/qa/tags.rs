//! `tag`: the inline codes and placeholders of the source, all of them and
//! no others, in the target.
//!
//! - XLIFF/TMX inline codes compare by element and id (`g#1`, `/g`,
//!   `bpt#1`, `ph#2`), wherever they stand.
//! - Placeholders in the text are the tokeniser's: printf conversions
//!   (`%s`, `%1$d`, `%lu`, `%.*s`, `%(name)s`), `{0}`, `{name}`, `${VAR}`,
//!   `$var`, entities, `\n`. A printf conversion may gain or lose its
//!   position (`%s` → `%1$s`) but not its type or length modifiers.
//! - Markup in the text (`<b>`, `</b>`, `<br/>`, `<a href="…">`) compares
//!   by element name. A word in angle brackets that is no known element and
//!   has no attributes (`<file>`, `<options>` in a usage line) is a
//!   metavariable the translator may translate, not markup.

use std::collections::BTreeMap;

use polytm_text::tokenize::{TokenKind, tokenize};

use super::{Check, Issue, Side, Span, UnitSides, quote};

/// Element names read as markup when written bare (`<b>`).
const ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "big",
    "blockquote",
    "body",
    "br",
    "bpt",
    "bx",
    "caption",
    "center",
    "cite",
    "code",
    "dd",
    "del",
    "div",
    "dl",
    "dt",
    "em",
    "ept",
    "ex",
    "font",
    "g",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "hi",
    "hr",
    "html",
    "i",
    "img",
    "input",
    "ins",
    "it",
    "kbd",
    "label",
    "li",
    "link",
    "mark",
    "mrk",
    "ol",
    "p",
    "ph",
    "pre",
    "q",
    "s",
    "samp",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "title",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
    "x",
];

/// The key a placeholder or tag compares by, `None` for what is not one.
fn key(text: &str, kind: TokenKind) -> Option<String> {
    match kind {
        TokenKind::Placeholder => Some(match text.strip_prefix('%') {
            // drop a position: %1$s -> %s
            Some(rest) => {
                let d = rest.chars().take_while(|c| c.is_ascii_digit()).count();
                if d > 0 && rest[d..].starts_with('$') {
                    format!("%{}", &rest[d + 1..])
                } else {
                    text.to_string()
                }
            }
            None => text.to_string(),
        }),
        TokenKind::Tag => {
            let closing = text.starts_with("</");
            let inner = text.trim_start_matches(['<', '/']).trim_end_matches('>');
            let self_closing = inner.ends_with('/');
            let name: String = inner
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':'))
                .collect::<String>()
                .to_ascii_lowercase();
            let attrs = inner.contains('=');
            let markup = closing || self_closing || attrs || ELEMENTS.contains(&name.as_str());
            markup.then(|| format!("<{}{name}>", if closing { "/" } else { "" }))
        }
        _ => None,
    }
}

/// Escapes that only quote a character (`\'`): not placeholders.
const QUOTING: &[&str] = &["\\'", "\\\"", "\\\\"];

/// Every code and placeholder of a side: key → spans, in order.
fn codes(side: &Side) -> BTreeMap<String, Vec<(Span, String)>> {
    let mut m: BTreeMap<String, Vec<(Span, String)>> = BTreeMap::new();
    for c in &side.text.codes {
        let raw = side.slice((c.start, c.end));
        m.entry(format!("code {}", c.id))
            .or_default()
            .push(((c.start, c.end), raw));
    }
    let mut covered = vec![false; side.chars.len()];
    for t in &side.tokens {
        let text = side.token_text(t);
        if let Some(k) = key(&text, t.kind) {
            if !QUOTING.contains(&text.as_str()) {
                m.entry(k).or_default().push(((t.start, t.end), text));
            }
            covered[t.start..t.end].iter_mut().for_each(|c| *c = true);
        } else if t.kind == TokenKind::Tag {
            // a metavariable `<corrupt size 0x%x>`: its placeholders count
            let inner: String = side.chars[t.start + 1..t.end - 1].iter().collect();
            for it in tokenize(&inner, side.lang) {
                let text: String = side.chars[t.start + 1 + it.start..t.start + 1 + it.end]
                    .iter()
                    .collect();
                if let Some(k) = key(&text, it.kind) {
                    let span = (t.start + 1 + it.start, t.start + 1 + it.end);
                    covered[span.0..span.1].iter_mut().for_each(|c| *c = true);
                    m.entry(k).or_default().push((span, text));
                }
            }
        }
    }
    // `%p` glued to a word (`%pB`), which the tokeniser leaves as text
    let c = &side.chars;
    for i in 0..c.len().saturating_sub(1) {
        if c[i] == '%'
            && !covered[i]
            && c[i + 1].is_ascii_alphabetic()
            && !(i > 0 && c[i - 1].is_alphanumeric())
        {
            let text: String = c[i..i + 2].iter().collect();
            m.entry(text.clone()).or_default().push(((i, i + 2), text));
        }
    }
    // metavariables in angle brackets (`<file>`, `<файл>`): as many as the source
    for (span, text) in metavariables(side) {
        m.entry("<metavariable>".into())
            .or_default()
            .push((span, text));
    }
    m
}

/// `<word>`s that are not markup: names the translator may translate.
fn metavariables(side: &Side) -> Vec<(Span, String)> {
    let c = &side.chars;
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        if c[i] != '<' {
            i += 1;
            continue;
        }
        let end = (i + 1..c.len().min(i + 42)).find(|&j| c[j] == '>' || c[j] == '<');
        match end {
            Some(e) if c[e] == '>' && e > i + 1 => {
                let inner: String = c[i + 1..e].iter().collect();
                let text: String = c[i..=e].iter().collect();
                let wordy = inner.chars().next().is_some_and(char::is_alphabetic)
                    && !inner.contains(['=', '/', ' ']);
                if wordy && key(&text, TokenKind::Tag).is_none() {
                    out.push(((i, e + 1), text));
                }
                i = e + 1;
            }
            _ => i += 1,
        }
    }
    out
}

pub fn check(u: &UnitSides, out: &mut Vec<Issue>) {
    let src = codes(&u.src);
    let tgt = codes(&u.tgt);
    if src.is_empty() && tgt.is_empty() {
        return;
    }
    let mut missing: Vec<&(Span, String)> = Vec::new();
    let mut extra: Vec<&(Span, String)> = Vec::new();
    for (k, s) in &src {
        let n = tgt.get(k).map_or(0, Vec::len);
        missing.extend(s.iter().skip(n));
    }
    for (k, t) in &tgt {
        let n = src.get(k).map_or(0, Vec::len);
        extra.extend(t.iter().skip(n));
    }
    // positional conversions of the target must name the source's
    if missing.is_empty() && extra.is_empty() {
        let pos = |m: &BTreeMap<String, Vec<(Span, String)>>| -> Vec<String> {
            let mut v: Vec<String> = m
                .values()
                .flatten()
                .map(|(_, t)| t.clone())
                .filter(|t| t.starts_with('%') && t.contains('$'))
                .collect();
            v.sort();
            v
        };
        let (ps, pt) = (pos(&src), pos(&tgt));
        if !ps.is_empty() && !pt.is_empty() && ps != pt {
            out.push(Issue::new(
                Check::Tag,
                format!(
                    "the positions of the placeholders differ: {} in the source, {} in the translation",
                    ps.join(" "),
                    pt.join(" ")
                ),
            ));
        }
        return;
    }
    if missing.len() == 1 && extra.len() == 1 {
        let (s, t) = (missing[0], extra[0]);
        out.push(
            Issue::new(
                Check::Tag,
                format!(
                    "{} in the source is {} in the translation",
                    quote(&s.1),
                    quote(&t.1)
                ),
            )
            .source(s.0)
            .target(t.0),
        );
        return;
    }
    for s in missing {
        out.push(
            Issue::new(
                Check::Tag,
                format!("{} of the source is missing", quote(&s.1)),
            )
            .source(s.0),
        );
    }
    for t in extra {
        out.push(
            Issue::new(
                Check::Tag,
                format!("{} in the translation is not in the source", quote(&t.1)),
            )
            .target(t.0),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{issues, msgs};
    use super::*;

    #[test]
    fn placeholders_kept_moved_or_positioned() {
        for (s, t) in [
            ("Copy %s to %s", "Копировать %s в %s"),
            ("%s of %d", "%2$d из %1$s"),
            ("Hello {name}, <b>{0}</b>", "<b>{0}</b>, привет {name}"),
            (
                "usage: git add <options> <file>",
                "использование: git add <опции> <файл>",
            ),
            ("%lid days", "%liд"),
            (
                "error: %pB: <corrupt property (0x%x) size: 0x%x>",
                "ошибка: %pB: <повреждение размера свойства (0x%x): 0x%x>",
            ),
            (
                "Escape character '\\' not allowed",
                "Управляющий символ «\\» не разрешён",
            ),
        ] {
            assert_eq!(msgs(Check::Tag, "ru", s, t), Vec::<String>::new(), "{t}");
        }
    }

    #[test]
    fn changed_dropped_and_added() {
        assert_eq!(
            msgs(Check::Tag, "ru", "Copy %s", "Копировать %d"),
            ["«%s» in the source is «%d» in the translation"]
        );
        assert_eq!(
            msgs(Check::Tag, "ru", "%llu bytes", "%lld байт"),
            ["«%llu» in the source is «%lld» in the translation"]
        );
        assert_eq!(
            msgs(Check::Tag, "ru", "Hello {name}", "Привет {имя}"),
            ["«{name}» of the source is missing"]
        );
        assert_eq!(
            msgs(Check::Tag, "ru", "<b>Bold</b>", "<b>Жирный<b>"),
            ["«</b>» in the source is «<b>» in the translation"]
        );
        assert_eq!(
            msgs(Check::Tag, "ru", "%1$s and %2$s", "%1$s и %1$s").len(),
            1
        );
        assert_eq!(
            msgs(Check::Tag, "ru", "%pB: string", "%sB: строка"),
            ["«%p» in the source is «%s» in the translation"]
        );
        assert_eq!(
            msgs(Check::Tag, "ru", "print <n> lines", "напечатать строки"),
            ["«<n>» of the source is missing"]
        );
        let zh = issues(
            Check::Tag,
            "en",
            "zh",
            "block %d: size %d",
            "块%d中的大小%d",
        );
        assert!(zh.is_empty(), "{zh:?}");
        let i = issues(Check::Tag, "en", "ru", "Save %s now", "Сохранить сейчас");
        assert_eq!(i[0].source, Some((5, 7)));
    }
}

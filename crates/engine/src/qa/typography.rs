//! How the target is written: `spacing`, `brackets`, `script` and
//! `punctuation`. What a language expects (no space before its marks,
//! full-width marks in Chinese) is read from its profile
//! ([`polytm_text::lang::profile::Typography`]); where the source does the
//! same thing (a doubled space for alignment, a smiley's lone bracket, a
//! mixed-script identifier) the target is not blamed for it.

use polytm_text::is_han;
use polytm_text::normalize::fold_width;
use polytm_text::tokenize::TokenKind;

use super::{Check, Issue, MASK, Side, Span, UnitSides, quote};

fn is_space(c: char) -> bool {
    c != '\n' && c != '\r' && c.is_whitespace()
}

/// Runs of two or more spaces inside the text (not at its ends, not next
/// to a line break).
fn doubled_spaces(chars: &[char]) -> Vec<Span> {
    let mut out = Vec::new();
    let first = chars.iter().position(|c| !c.is_whitespace());
    let last = chars.iter().rposition(|c| !c.is_whitespace());
    let (Some(first), Some(last)) = (first, last) else {
        return out;
    };
    let mut i = first;
    while i < last {
        if is_space(chars[i]) {
            let s = i;
            while i < last && is_space(chars[i]) {
                i += 1;
            }
            let breaks = chars[s..i].contains(&'\n')
                || chars.get(i).is_some_and(|c| *c == '\n' || *c == '\r')
                || (s > 0 && chars[s - 1] == '\n');
            if i - s >= 2 && !breaks {
                out.push((s, i));
            }
        } else {
            i += 1;
        }
    }
    out
}

/// Spaces before a mark the language writes without one: (span of the
/// spaces and the mark, the mark).
fn space_before_marks(side: &Side) -> Vec<(Span, char)> {
    let marks = side.lang.profile().typography.no_space_before;
    let c = &side.chars;
    let mut out = Vec::new();
    for i in 1..c.len() {
        let m = c[i];
        if !marks.contains(m) || !is_space(c[i - 1]) {
            continue;
        }
        let mut s = i - 1;
        while s > 0 && is_space(c[s - 1]) {
            s -= 1;
        }
        if s == 0 || c[s - 1] == '\n' || c[s - 1] == MASK {
            continue;
        }
        let next = c.get(i + 1).copied();
        if m.is_ascii() {
            // `.txt`, `:ro`, `?x`, ` ...`, `. /path`: not punctuation after a word
            let ends = next.is_none_or(|n| {
                n.is_whitespace() || (n.is_ascii_punctuation() && n != m && n != '.' && n != '/')
            });
            if !ends || (m == '.' && next == Some('.')) {
                continue;
            }
        }
        out.push(((s, i + 1), m));
    }
    out
}

pub fn spacing(u: &UnitSides, out: &mut Vec<Issue>) {
    let (s, t) = (&u.src.chars, &u.tgt.chars);
    if doubled_spaces(s).is_empty() {
        for span in doubled_spaces(t) {
            out.push(Issue::new(Check::Spacing, "doubled space").target(span));
        }
    }
    // white space at the start (`at_end` false) or the end of a text
    let has = |c: &[char], at_end: bool| {
        let x = if at_end { c.last() } else { c.first() };
        x.is_some_and(|c| c.is_whitespace())
    };
    let run = |c: &[char], from_end: bool| {
        let n = if from_end {
            c.iter().rev().take_while(|c| c.is_whitespace()).count()
        } else {
            c.iter().take_while(|c| c.is_whitespace()).count()
        };
        if from_end {
            (c.len() - n, c.len())
        } else {
            (0, n)
        }
    };
    for (end, at_end) in [("leading", false), ("trailing", true)] {
        match (has(s, at_end), has(t, at_end)) {
            (false, true) => out.push(
                Issue::new(
                    Check::Spacing,
                    format!("{end} white space the source lacks"),
                )
                .target(run(t, at_end)),
            ),
            (true, false) => out.push(
                Issue::new(
                    Check::Spacing,
                    format!("the source's {end} white space is missing"),
                )
                .source(run(s, at_end)),
            ),
            _ => {}
        }
    }
    let in_source: Vec<char> = space_before_marks(&u.src)
        .into_iter()
        .map(|(_, m)| fold_width(m))
        .collect();
    for (span, m) in space_before_marks(&u.tgt) {
        if in_source.contains(&fold_width(m)) {
            continue;
        }
        out.push(Issue::new(Check::Spacing, format!("space before «{m}»")).target(span));
    }
}

/// The family of a bracket or quote, and whether it opens, closes, or may
/// do either (straight quotes, `“`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Open,
    Close,
    Either,
}

fn bracket(c: char) -> Option<(u8, Role)> {
    use Role::*;
    Some(match c {
        '(' | '（' => (0, Open),
        ')' | '）' => (0, Close),
        '[' | '［' | '【' | '〔' => (1, Open),
        ']' | '］' | '】' | '〕' => (1, Close),
        '{' | '｛' => (2, Open),
        '}' | '｝' => (2, Close),
        '«' | '‹' | '„' | '「' | '『' => (3, Open),
        '»' | '›' | '”' | '」' | '』' => (3, Close),
        '"' | '＂' | '“' => (3, Either),
        '《' | '〈' => (4, Open),
        '》' | '〉' => (4, Close),
        _ => return None,
    })
}

/// Whether closer `c` closes opener `o`.
fn closes(o: char, c: char) -> bool {
    matches!(
        (o, c),
        ('(' | '（', ')' | '）')
            | ('[' | '［', ']' | '］')
            | ('【', '】')
            | ('〔', '〕')
            | ('{' | '｛', '}' | '｝')
            | ('«', '»')
            | ('‹', '›')
            | ('„', '“' | '”')
            | ('“', '”')
            | ('"', '"')
            | ('＂', '＂')
            | ('「', '」')
            | ('『', '』')
            | ('《', '》')
            | ('〈', '〉')
    )
}

/// The brackets and quotes of a side left without a partner: (position,
/// character, family), in order.
fn unpaired(side: &Side) -> Vec<(usize, char, u8)> {
    let mut skip = vec![false; side.chars.len()];
    for t in &side.tokens {
        if matches!(t.kind, TokenKind::Placeholder | TokenKind::Tag) {
            skip[t.start..t.end].iter_mut().for_each(|s| *s = true);
        }
    }
    let mut stack: Vec<(usize, char, u8)> = Vec::new();
    let mut lone = Vec::new();
    for (i, &c) in side.chars.iter().enumerate() {
        if skip[i] {
            continue;
        }
        let Some((fam, role)) = bracket(c) else {
            continue;
        };
        let closing = match role {
            Role::Open => false,
            Role::Close => true,
            Role::Either => stack.iter().rev().any(|&(_, o, _)| closes(o, c)),
        };
        if !closing {
            stack.push((i, c, fam));
            continue;
        }
        match stack.iter().rposition(|&(_, o, _)| closes(o, c)) {
            Some(k) => {
                // what was opened inside and not closed stays without partner
                lone.extend(stack.drain(k..).skip(1));
            }
            None => lone.push((i, c, fam)),
        }
    }
    lone.extend(stack);
    lone.sort();
    lone
}

pub fn brackets(u: &UnitSides, out: &mut Vec<Issue>) {
    let t = unpaired(&u.tgt);
    if t.is_empty() {
        return;
    }
    let s = unpaired(&u.src);
    let count = |v: &[(usize, char, u8)], f: u8| v.iter().filter(|x| x.2 == f).count();
    let mut seen = Vec::new();
    for &(i, c, fam) in &t {
        if seen.contains(&fam) || count(&t, fam) == count(&s, fam) {
            continue;
        }
        seen.push(fam);
        out.push(Issue::new(Check::Brackets, format!("no partner for {c}")).target((i, i + 1)));
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Latin,
    Cyrillic,
}

fn script_of(c: char) -> Option<Script> {
    if c.is_ascii_alphabetic() || ('\u{C0}'..='\u{24F}').contains(&c) && c.is_alphabetic() {
        Some(Script::Latin)
    } else if ('\u{400}'..='\u{4FF}').contains(&c) {
        Some(Script::Cyrillic)
    } else {
        None
    }
}

pub fn script(u: &UnitSides, out: &mut Vec<Issue>) {
    let src_words: Vec<String> = u
        .src
        .tokens
        .iter()
        .filter(|t| t.kind == TokenKind::Word)
        .map(|t| u.src.token_text(t))
        .collect();
    for t in u.tgt.tokens.iter().filter(|t| t.kind == TokenKind::Word) {
        let w: Vec<char> = u.tgt.chars[t.start..t.end].to_vec();
        let scripts: Vec<(usize, Script)> = w
            .iter()
            .enumerate()
            .filter_map(|(i, &c)| script_of(c).map(|s| (i, s)))
            .collect();
        let has = |s: Script| scripts.iter().any(|x| x.1 == s);
        if !(has(Script::Latin) && has(Script::Cyrillic)) {
            continue;
        }
        let word: String = w.iter().collect();
        if src_words.contains(&word) {
            continue;
        }
        // an identifier joined at a capital (МассивX, ФайлPDF) is written so
        let odd = scripts.windows(2).any(|p| {
            let ((i, a), (j, b)) = (p[0], p[1]);
            a != b && !(w[i].is_lowercase() && w[j].is_uppercase())
        });
        if !odd {
            continue;
        }
        let (nl, nc) = (
            scripts.iter().filter(|x| x.1 == Script::Latin).count(),
            scripts.iter().filter(|x| x.1 == Script::Cyrillic).count(),
        );
        let (minority, name) = if nl <= nc {
            (Script::Latin, "Latin")
        } else {
            (Script::Cyrillic, "Cyrillic")
        };
        let odd_letters: String = scripts
            .iter()
            .filter(|x| x.1 == minority)
            .map(|x| w[x.0])
            .collect();
        out.push(
            Issue::new(
                Check::Script,
                format!(
                    "{} mixes Latin and Cyrillic letters ({} {name})",
                    quote(&word),
                    quote(&odd_letters)
                ),
            )
            .target((t.start, t.end)),
        );
    }
}

/// The mark a text ends with (before closing quotes and brackets), as a
/// class (`.` for `。`, `…` for `...`), and where it is.
fn final_mark(chars: &[char]) -> Option<(char, Span)> {
    let mut end = chars.len();
    while end > 0 && (chars[end - 1].is_whitespace() || chars[end - 1] == MASK) {
        end -= 1;
    }
    let closer = |c: char| {
        matches!(bracket(c), Some((_, Role::Close | Role::Either))) || c == '\'' || c == '’'
    };
    let mut e = end;
    for _ in 0..2 {
        if e > 0 && closer(chars[e - 1]) {
            e -= 1;
        }
    }
    let class = |i: usize| -> Option<(char, Span)> {
        let c = *chars.get(i)?;
        let k = match fold_width(c) {
            '.' | '。' => {
                if i >= 2 && chars[i - 1] == '.' && chars[i - 2] == '.' {
                    return Some(('…', (i - 2, i + 1)));
                }
                '.'
            }
            '…' => '…',
            '?' => '?',
            '!' => '!',
            ':' => ':',
            ';' => ';',
            ',' | '、' => ',',
            _ => return None,
        };
        Some((k, (i, i + 1)))
    };
    if e > 0
        && let Some(m) = class(e - 1)
    {
        return Some(m);
    }
    if e < end { class(end - 1) } else { None }
}

pub fn punctuation(u: &UnitSides, out: &mut Vec<Issue>) {
    let s = final_mark(&u.src.chars);
    let t = final_mark(&u.tgt.chars);
    let show = |m: Option<(char, Span)>, side: &Side| match m {
        Some((_, span)) => quote(&side.slice(span)),
        None => "no mark".to_string(),
    };
    let differ = match (s, t) {
        (Some((a, _)), Some((b, _))) => a != b,
        (Some(_), None) => true,
        // a full stop added where the source has none is the target
        // language's habit (Chinese sentences end with 。)
        // (and a colon before a list); a question, an exclamation or a comma not
        (None, Some((b, _))) => matches!(b, '?' | '!' | ','),
        (None, None) => false,
    };
    if differ {
        let last = u
            .tgt
            .chars
            .iter()
            .rposition(|c| !c.is_whitespace() && *c != MASK)
            .map(|i| (i, i + 1));
        out.push(
            Issue::new(
                Check::Punctuation,
                format!(
                    "the source ends with {}, the translation with {}",
                    show(s, &u.src),
                    show(t, &u.tgt)
                ),
            )
            .source_opt(s.map(|m| m.1))
            .target_opt(t.map(|m| m.1).or(last)),
        );
    }
    let typo = u.tgt.lang.profile().typography;
    let c = &u.tgt.chars;
    let mut in_token = vec![false; c.len()];
    for t in &u.tgt.tokens {
        if matches!(
            t.kind,
            TokenKind::Placeholder | TokenKind::Tag | TokenKind::Number
        ) {
            in_token[t.start..t.end].iter_mut().for_each(|x| *x = true);
        }
    }
    for i in 0..c.len() {
        let m = c[i];
        if in_token[i] {
            continue;
        }
        if typo.full_width {
            if !matches!(m, ',' | '.' | ':' | ';' | '?' | '!') {
                continue;
            }
            let prev = i.checked_sub(1).map(|p| c[p]);
            let next = c.get(i + 1).copied();
            let han_next =
                next.is_some_and(is_han) && !prev.is_some_and(|p| p.is_ascii_alphanumeric());
            if !(prev.is_some_and(is_han) || han_next) {
                continue;
            }
            // `文件.txt`, `协议://`, `...`: part of a name, a path or an ellipsis
            let part_of_token = next
                .is_some_and(|n| n.is_ascii_alphanumeric() || matches!(n, '/' | '\\' | '.' | '_'))
                || (m == '.' && prev == Some('.'))
                || chunk_is_code(c, i);
            if part_of_token {
                continue;
            }
            out.push(
                Issue::new(
                    Check::Punctuation,
                    format!("half-width «{m}» next to Chinese characters"),
                )
                .target((i, i + 1)),
            );
        } else if matches!(m, '，' | '。' | '：' | '；' | '？' | '！' | '、')
            && !u.src.chars.contains(&m)
        {
            out.push(
                Issue::new(Check::Punctuation, format!("full-width «{m}»")).target((i, i + 1)),
            );
        }
    }
}

/// Whether the run of non-space characters around `i` is a path, a URL,
/// an address or a syntax (`/`, `\\`, `@`, `=`, `[`, `|`): `协议://主机.名`.
fn chunk_is_code(c: &[char], i: usize) -> bool {
    let s = c[..i]
        .iter()
        .rposition(|c| c.is_whitespace())
        .map_or(0, |p| p + 1);
    let e = c[i..]
        .iter()
        .position(|c| c.is_whitespace())
        .map_or(c.len(), |p| i + p);
    c[s..e]
        .iter()
        .any(|c| matches!(c, '/' | '\\' | '@' | '=' | '[' | '|'))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{issues, msgs};
    use super::*;

    #[test]
    fn spacing_faults() {
        let sp = |to, s, t| msgs(Check::Spacing, to, s, t);
        assert_eq!(
            sp("ru", "Open the file.", "Откройте  файл."),
            ["doubled space"]
        );
        assert_eq!(
            sp("ru", "Open  the file.", "Откройте  файл."),
            Vec::<String>::new()
        );
        assert_eq!(
            sp("ru", "Open", " Открыть"),
            ["leading white space the source lacks"]
        );
        assert_eq!(
            sp("ru", "Open", "Открыть "),
            ["trailing white space the source lacks"]
        );
        assert_eq!(
            sp("ru", "Open ", "Открыть"),
            ["the source's trailing white space is missing"]
        );
        assert_eq!(
            sp("ru", "Lines, then", "Строки , затем"),
            ["space before «,»"]
        );
        assert_eq!(sp("zh", "Text, then", "文本 ，然后"), ["space before «，»"]);
        for (s, t) in [
            ("Files .txt and ...", "Файлы .txt и ..."),
            ("Run ls -l .", "Запустите ls -l ."),
            ("Lines\n  indented", "Строки\n  с отступом"),
            ("Hello, world", "Привет, мир"),
        ] {
            assert_eq!(sp("ru", s, t), Vec::<String>::new(), "{t}");
        }
        let i = issues(Check::Spacing, "en", "ru", "a b", "а  б");
        assert_eq!(i[0].target, Some((1, 3)));
    }

    #[test]
    fn brackets_and_quotes() {
        let br = |to, s, t| msgs(Check::Brackets, to, s, t);
        assert_eq!(
            br("ru", "Click \"OK\" (now)", "Нажмите «OK» (сейчас"),
            ["no partner for ("]
        );
        assert_eq!(
            br("ru", "Click \"OK\"", "Нажмите «OK"),
            ["no partner for «"]
        );
        assert_eq!(
            br("zh", "Click \"OK\"", "点击「确定"),
            ["no partner for 「"]
        );
        assert_eq!(br("zh", "the book", "《书"), ["no partner for 《"]);
        assert_eq!(
            br("zh", "(\"Itanium\") computers", "（“安腾）计算机"),
            ["no partner for “"]
        );
        for (to, s, t) in [
            ("ru", "a) first :)", "а) первое :)"),
            ("ru", "Say \"yes\"", "Скажите „да“"),
            ("ru", "Say \"yes\"", "Скажите “да”"),
            ("zh", "Use %(name)s (x)", "使用 %(name)s（x）"),
            ("ru", "«a „b“ c»", "«а „б“ в»"),
        ] {
            assert_eq!(br(to, s, t), Vec::<String>::new(), "{t}");
        }
    }

    #[test]
    fn script_look_alikes() {
        let sc = |to, s, t| msgs(Check::Script, to, s, t);
        // Latin c in a Russian word, Cyrillic е and х in Latin words
        assert_eq!(
            sc("ru", "to be used", "иcпользоваться"),
            ["«иcпользоваться» mixes Latin and Cyrillic letters («c» Latin)"]
        );
        assert_eq!(sc("ru", "LibreOffice", "LibrеOffice").len(), 1);
        assert_eq!(sc("zh", "Linux", "Linuх 系统").len(), 1);
        assert_eq!(sc("ru", "NEWS", "NЕWS").len(), 1);
        for (s, t) in [
            ("ArrayX", "МассивX"),
            ("Use Linux", "Используйте Linux"),
            ("Ctrl-key", "Ctrl-клавиша"),
        ] {
            assert_eq!(sc("ru", s, t), Vec::<String>::new(), "{t}");
        }
    }

    #[test]
    fn final_marks_and_half_width() {
        let p = |to, s, t| msgs(Check::Punctuation, to, s, t);
        assert_eq!(
            p("ru", "Open the file.", "Откройте файл"),
            ["the source ends with «.», the translation with no mark"]
        );
        assert_eq!(
            p("ru", "Open the file.", "Откройте файл!"),
            ["the source ends with «.», the translation with «!»"]
        );
        assert_eq!(
            p("zh", "Open the file:", "打开文件，"),
            ["the source ends with «:», the translation with «，»"]
        );
        assert_eq!(
            p("zh", "Cannot send to stream: %s", "无法向WAL流:%s发送数据"),
            ["half-width «:» next to Chinese characters"]
        );
        for (to, s, t) in [
            ("zh", "Open the file.", "打开文件。"),
            ("zh", "Loading...", "正在加载……"),
            ("zh", "Open file.txt now.", "现在打开file.txt。"),
            ("zh", "Open", "打开。"),
            ("ru", "Click \"OK.\"", "Нажмите «OK»."),
            ("ru", "Loading...", "Загрузка…"),
            ("zh", "Version 3.5 is out.", "3.5版已发布。"),
            ("zh", "protocol://host.name/path", "协议://主机.名/路径"),
            (
                "zh",
                "keyword[[:]=value][,keyword]",
                "关键字[[:]=值][,关键字]",
            ),
            ("zh", "or", "或者："),
        ] {
            assert_eq!(p(to, s, t), Vec::<String>::new(), "{t}");
        }
        assert_eq!(p("ru", "Yes, no", "Да， нет"), ["full-width «，»"]);
    }
}

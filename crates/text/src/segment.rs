//! Sentence segmentation, rule-based per language in the spirit of SRX.
//!
//! A text is cut into **paragraphs** at blank lines; a sentence never
//! crosses a paragraph. Inside a paragraph, a single line break is a
//! sentence boundary when the lines are a list, headings or verse, and a
//! space when the paragraph is hard-wrapped running text (lines of similar,
//! long length) or the next line plainly continues the sentence (it starts
//! with a lower-case letter).
//!
//! Sentence ends:
//!
//! - English, Russian and other spaced languages: `.` `!` `?` `…` (and runs
//!   of them), followed by closing quotes or brackets, then white space and
//!   a character that can start a sentence (not a lower-case letter; a dash
//!   or quote is looked through). Exceptions: abbreviations and initials
//!   (`Mr.`, `Dr.`, `U.N.`, `e.g.`, `No. 5`, `Art. 12`; `г.`, `гг.`, `т.е.`,
//!   `т. д.`, `им.`, `ст.`, `А. Жайчибеков`), list numbering (`1.` at a line
//!   start), ordinals in German-like languages (`3. Oktober`), decimal
//!   numbers, URLs and e-mail addresses (never cut inside). The
//!   abbreviations, and whether a language writes ordinal dots, come from
//!   its profile ([`crate::lang::Profile`]).
//! - Chinese (and Japanese): `。` `！` `？` `；` `…` and their ASCII forms,
//!   followed by full-width closing quotes and brackets `”` `’` `」` `』`
//!   `）` `》`; no space is needed after them.
//!
//! All offsets are in characters of the original text. The text of a
//! sentence is `char_slice(text, s.start, s.end)`: exactly as read, trimmed
//! of the white space around it.

use crate::lang::Lang;
use crate::lang::profile::Abbreviations;

/// A span of characters `[start, end)` of the original text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }
}

/// A paragraph and its sentences (all in characters of the original).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Paragraph {
    /// From the first to the last non-space character of the paragraph.
    pub span: Span,
    /// At least one sentence, in order, not overlapping.
    pub sentences: Vec<Span>,
}

/// Cut `text` into paragraphs of sentences by the rules of `lang`.
pub fn segment(text: &str, lang: &Lang) -> Vec<Paragraph> {
    Segmenter::new(lang).segment(text)
}

/// The sentences of `text`, paragraph boundaries included as cuts.
pub fn sentences(text: &str, lang: &Lang) -> Vec<Span> {
    segment(text, lang)
        .into_iter()
        .flat_map(|p| p.sentences)
        .collect()
}

/// The text of a sentence on one line: line breaks inside it (a
/// hard-wrapped paragraph) become one space, or nothing between two Han
/// characters; everything else is kept as read.
pub fn one_line(chars: &[char], span: Span) -> String {
    let s = &chars[span.start..span.end];
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] == '\n' || s[i] == '\r' {
            // the white space around the break
            let kept = out.trim_end_matches([' ', '\t', '\u{3000}']).len();
            out.truncate(kept);
            let mut j = i;
            while j < s.len() && s[j].is_whitespace() {
                j += 1;
            }
            let before = out.chars().next_back();
            let after = s.get(j).copied();
            let han = |c: Option<char>| c.is_some_and(|c| super::is_han(c) || is_cjk_punct(c));
            // "GNU/⏎Linux" and wrapped Chinese join without a space
            if !(han(before) && han(after)) && before != Some('/') {
                out.push(' ');
            }
            i = j;
        } else {
            out.push(s[i]);
            i += 1;
        }
    }
    out
}

/// Segmentation rules for one language, from its profile.
pub struct Segmenter {
    unspaced: bool,
    /// German-like languages: `3. Oktober` is an ordinal, not a sentence end.
    ordinal_dot: bool,
    abbrev: &'static Abbreviations,
}

impl Segmenter {
    pub fn new(lang: &Lang) -> Segmenter {
        let profile = lang.profile();
        Segmenter {
            unspaced: profile.unspaced,
            ordinal_dot: profile.ordinal_dot,
            abbrev: profile.abbreviations,
        }
    }

    /// Cut `text` into paragraphs of sentences.
    pub fn segment(&self, text: &str) -> Vec<Paragraph> {
        let chars: Vec<char> = text.chars().collect();
        self.segment_chars(&chars)
    }

    /// The same, on a text already split into characters.
    pub fn segment_chars(&self, chars: &[char]) -> Vec<Paragraph> {
        let mut out = Vec::new();
        for para_lines in paragraphs(chars) {
            let mut sentences = Vec::new();
            for (s, e) in self.line_groups(chars, &para_lines) {
                self.split(chars, s, e, &mut sentences);
            }
            if let (Some(first), Some(last)) = (sentences.first(), sentences.last()) {
                let span = Span {
                    start: first.start,
                    end: last.end,
                };
                out.push(Paragraph { span, sentences });
            }
        }
        out
    }

    /// Runs of lines of one paragraph that are joined into running text
    /// (`[start, end)` in characters); a sentence never crosses two runs.
    fn line_groups(&self, chars: &[char], lines: &[(usize, usize)]) -> Vec<(usize, usize)> {
        let wrapped = self.is_wrapped(chars, lines);
        let widths: Vec<usize> = lines.iter().map(|&(s, e)| width(chars, s, e)).collect();
        let widest = widths.iter().copied().max().unwrap_or(0);
        let mut groups: Vec<(usize, usize)> = Vec::new();
        for (k, &(s, e)) in lines.iter().enumerate() {
            let join = k > 0 && {
                let (ps, pe) = lines[k - 1];
                // a line that reaches the wrap column was wrapped
                let full = widths[k - 1] >= 30 && widths[k - 1] * 5 >= widest * 4;
                self.continues(
                    chars,
                    (ps, pe),
                    (s, e),
                    wrapped
                        || (full && k + 1 < lines.len())
                        || (full && widths[k] * 5 < widest * 4),
                )
            };
            match groups.last_mut() {
                Some(g) if join => g.1 = e,
                _ => groups.push((s, e)),
            }
        }
        groups
    }

    /// Hard-wrapped running text: every line but the last is long, and they
    /// are of similar width.
    fn is_wrapped(&self, chars: &[char], lines: &[(usize, usize)]) -> bool {
        if lines.len() < 2 {
            return false;
        }
        let widths: Vec<usize> = lines[..lines.len() - 1]
            .iter()
            .map(|&(s, e)| width(chars, s, e))
            .collect();
        let (min, max) = (
            widths.iter().copied().min().unwrap_or(0),
            widths.iter().copied().max().unwrap_or(0),
        );
        min >= 40 && max - min <= (max * 2 / 5).max(16)
    }

    /// Does line `b` continue the sentence of line `a`?
    fn continues(
        &self,
        chars: &[char],
        a: (usize, usize),
        b: (usize, usize),
        wrapped: bool,
    ) -> bool {
        let (as_, ae) = trim(chars, a.0, a.1);
        let (bs, be) = trim(chars, b.0, b.1);
        if as_ == ae || bs == be {
            return false;
        }
        if starts_list_item(&chars[bs..be]) {
            return false;
        }
        let last = chars[ae - 1];
        let first = chars[bs];
        if self.unspaced {
            // Chinese is cut at its sentence marks; a line break inside
            // running text is a wrap when the line does not end one.
            return wrapped && !is_zh_terminal(last) && !is_closing(last);
        }
        if first.is_lowercase() || matches!(last, ',' | ';' | '-' | '‐' | '(' | '/' | '&') {
            return true;
        }
        wrapped
    }

    /// Find the sentences in `chars[s..e]` (running text, no paragraph
    /// break inside) and push their trimmed spans.
    fn split(&self, chars: &[char], s: usize, e: usize, out: &mut Vec<Span>) {
        let protected = protected_spans(chars, s, e);
        // straight double quotes before each position: an odd count since
        // the sentence started means a `"` after its end mark closes a quote
        let mut dq = Vec::with_capacity(e - s + 1);
        let mut n = 0u32;
        dq.push(0);
        for &c in &chars[s..e] {
            if matches!(c, '"' | '＂' | '“' | '”' | '„') {
                n += 1;
            }
            dq.push(n);
        }
        let run = Run {
            chars,
            s,
            e,
            dq: &dq,
        };
        let mut cuts = Vec::new();
        let mut sent = s;
        let mut i = s;
        let mut prot = protected.iter().peekable();
        while i < e {
            // skip URLs and e-mail addresses
            while prot.peek().is_some_and(|p| p.1 <= i) {
                prot.next();
            }
            if let Some(&&(ps, pe)) = prot.peek()
                && ps <= i
            {
                i = pe;
                continue;
            }
            let cut = if self.unspaced {
                self.zh_end(&run, sent, i)
            } else {
                self.spaced_end(&run, sent, i)
            };
            match cut {
                Some(end) => {
                    cuts.push(end);
                    sent = end;
                    i = end.max(i + 1);
                }
                None => i += 1,
            }
        }
        let mut start = s;
        for c in cuts.into_iter().chain(std::iter::once(e)) {
            let (a, b) = trim(chars, start, c);
            if a < b {
                out.push(Span { start: a, end: b });
            }
            start = c;
        }
    }

    /// If a sentence ends at the mark at `i`, the position after its marks
    /// and closing quotes.
    fn spaced_end(&self, run: &Run, s: usize, i: usize) -> Option<usize> {
        let (chars, e) = (run.chars, run.e);
        let c = chars[i];
        if !is_terminal(c) {
            return None;
        }
        // the whole run of marks: "?!", "...", "?»"
        let mut j = i;
        let mut only_dot = true;
        while j < e && is_terminal(chars[j]) {
            if chars[j] != '.' {
                only_dot = false;
            }
            j += 1;
        }
        let dots = j - i;
        j = run.absorb_closing(s, j);
        // "?" or "." directly followed by a closing quote and more marks: `."` ok
        if j < e && !chars[j].is_whitespace() {
            // "3.14", "U.S.A", "end.Next", "(Dec.)," ...: not a boundary
            return None;
        }
        let next = next_significant(chars, j, e);
        let Some((k, n)) = next else {
            return Some(j); // end of the run of text
        };
        let starter = is_starter(n);
        if !only_dot || dots > 1 {
            // "?", "!", "…", "..." end a sentence when something that can
            // start one follows
            return starter.then_some(j);
        }
        // a single dot: look at the word before it
        let w = word_before(chars, s, i);
        let word: String = chars[w..i].iter().collect();
        if word.is_empty() {
            return starter.then_some(j);
        }
        let lower = word.to_lowercase();
        let next_is_digit = n.is_ascii_digit() || n == '№';
        // list numbering at the start of the line: "1." "2.1." "IV." "a)"
        if is_list_number(&word) && at_line_start(chars, s, w) {
            return None;
        }
        if word.chars().all(|c| c.is_ascii_digit()) {
            if self.ordinal_dot && word.len() <= 2 {
                return None;
            }
            return starter.then_some(j);
        }
        let letters: Vec<char> = word.chars().filter(|c| *c != '.').collect();
        // an initial: "J. Smith", "А. Жайчибеков"
        if letters.len() == 1 && word.chars().count() == 1 {
            let l = letters[0];
            if l.is_uppercase() {
                // "Plan B. The" is rare; "A. Zhaichibekov" is common
                return None;
            }
            if next_is_digit {
                return None; // "p. 5", "п. 3"
            }
        }
        let abbrev = self.abbrev;
        if abbrev.units.contains(&lower.as_str()) && word_before_is_number(chars, s, w) {
            // "10 см." is a unit and may end a sentence
            return starter.then_some(j);
        }
        if abbrev.never.contains(&lower.as_str()) {
            return None;
        }
        if next_is_digit && abbrev.before_number(&lower) {
            return None;
        }
        if abbrev.after_number.contains(&lower.as_str()) {
            // "2018 г. Делегации" (a year: may end a sentence) but
            // "г. Москва" (a city: never)
            let prev_number = word_before_is_number(chars, s, w);
            if !prev_number {
                return None;
            }
            return starter.then_some(j);
        }
        // dotted abbreviations: "U.S.", "U.N.", "e.g.", "т.д."
        if word.contains('.') {
            if abbrev.never.contains(&lower.as_str()) {
                return None;
            }
            let upper = letters.iter().all(|c| c.is_uppercase());
            if upper {
                // "the U.S. President" goes on; "in the U.S. The ..." ends
                let nw = word_at(chars, k, e);
                return abbrev.starters.contains(&nw.as_str()).then_some(j);
            }
            return (starter && n.is_uppercase()).then_some(j);
        }
        starter.then_some(j)
    }

    /// Chinese and Japanese: the end of a sentence at `i`, if any.
    fn zh_end(&self, run: &Run, s: usize, i: usize) -> Option<usize> {
        let (chars, e) = (run.chars, run.e);
        let c = chars[i];
        let ascii = matches!(c, '.' | '!' | '?' | ';');
        if !is_zh_terminal(c) && !ascii {
            return None;
        }
        if c == '.' {
            // ASCII full stop: only after a Han character or closing mark,
            // never in "3.14", "U.S." or "www.sco.org"
            let prev = if i > s { Some(chars[i - 1]) } else { None };
            let after_han = prev.is_some_and(|p| super::is_han(p) || is_closing(p));
            let then_space = chars.get(i + 1).is_none_or(|c| c.is_whitespace());
            if !(after_han || then_space) {
                return None;
            }
            if prev.is_some_and(|p| p.is_ascii_alphanumeric()) {
                // "the U.S. and" inside Chinese text: use the spaced rules
                return self.spaced_end(run, s, i);
            }
        }
        let mut j = i;
        while j < e && (is_zh_terminal(chars[j]) || matches!(chars[j], '.' | '!' | '?' | ';')) {
            j += 1;
        }
        j = run.absorb_closing(s, j);
        // continuation marks right after: “……”他说, not a new sentence
        match next_significant(chars, j, e) {
            None => Some(j),
            Some((_, '，' | '、' | '：' | ',' | ':' | '）' | ')')) => None,
            Some(_) => Some(j),
        }
    }
}

/// A run of running text being cut into sentences.
struct Run<'a> {
    chars: &'a [char],
    /// Start and end of the run.
    s: usize,
    e: usize,
    /// `dq[k - s]`: double quotes (straight and curly) in `chars[s..k]`.
    dq: &'a [u32],
}

impl Run<'_> {
    /// Skip the closing quotes and brackets at `j` that belong to the
    /// sentence that started at `sent`. A straight `"` closes only when the
    /// sentence opened one.
    fn absorb_closing(&self, sent: usize, mut j: usize) -> usize {
        while j < self.e {
            let c = self.chars[j];
            if matches!(c, '"' | '＂' | '“') {
                // `."` then a space: closing; `。"我`: closing only when the
                // sentence opened a quote (`“` too: sloppy texts close with it)
                if c != '“'
                    && (self.chars.get(j + 1).is_none_or(|n| n.is_whitespace()) || j + 1 == self.e)
                {
                    j += 1;
                    continue;
                }
                let inside = self.dq[j - self.s] - self.dq[sent.max(self.s) - self.s];
                if inside.is_multiple_of(2) {
                    break;
                }
            } else if !is_closing(c) {
                break;
            }
            j += 1;
        }
        j
    }
}

/// Lines of each paragraph: `(start, end)` of every line, without the
/// line break; paragraphs are separated by lines that are blank.
fn paragraphs(chars: &[char]) -> Vec<Vec<(usize, usize)>> {
    let mut paras = Vec::new();
    let mut cur: Vec<(usize, usize)> = Vec::new();
    let mut s = 0;
    let n = chars.len();
    let mut i = 0;
    while i <= n {
        let at_end = i == n;
        let brk = !at_end
            && matches!(
                chars[i],
                '\n' | '\r' | '\u{2029}' | '\u{2028}' | '\u{0085}' | '\u{000B}' | '\u{000C}'
            );
        if at_end || brk {
            let blank = chars[s..i].iter().all(|c| c.is_whitespace());
            if blank {
                if !cur.is_empty() {
                    paras.push(std::mem::take(&mut cur));
                }
            } else {
                cur.push((s, i));
            }
            // \r\n is one break; \u{2029} (paragraph separator) and form feed
            // end a paragraph
            let mut next = i + 1;
            if !at_end && chars[i] == '\r' && chars.get(i + 1) == Some(&'\n') {
                next = i + 2;
            }
            if !at_end && matches!(chars[i], '\u{2029}' | '\u{000C}') && !cur.is_empty() {
                paras.push(std::mem::take(&mut cur));
            }
            s = next;
            i = next;
            if at_end {
                break;
            }
            continue;
        }
        i += 1;
    }
    if !cur.is_empty() {
        paras.push(cur);
    }
    paras
}

/// Display width of a line, trimmed (Han characters count two).
fn width(chars: &[char], s: usize, e: usize) -> usize {
    let t = trim(chars, s, e);
    chars[t.0..t.1]
        .iter()
        .map(|&c| {
            if super::is_han(c) || is_cjk_punct(c) {
                2
            } else {
                1
            }
        })
        .sum()
}

/// Trim white space from `chars[s..e]`.
fn trim(chars: &[char], mut s: usize, mut e: usize) -> (usize, usize) {
    while s < e && chars[s].is_whitespace() {
        s += 1;
    }
    while e > s && chars[e - 1].is_whitespace() {
        e -= 1;
    }
    (s, e)
}

fn is_terminal(c: char) -> bool {
    matches!(
        c,
        '.' | '!' | '?' | '…' | '‼' | '⁇' | '⁈' | '⁉' | '。' | '！' | '？'
    )
}

fn is_zh_terminal(c: char) -> bool {
    matches!(
        c,
        '。' | '！' | '？' | '；' | '…' | '｡' | '‼' | '⁇' | '⁈' | '⁉'
    )
}

/// Closing quotes and brackets that stay with the sentence before them.
fn is_closing(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '”'
            | '’'
            | '»'
            | '›'
            | ')'
            | ']'
            | '}'
            | '」'
            | '』'
            | '）'
            | '》'
            | '〉'
            | '】'
            | '〗'
            | '〕'
            | '］'
            | '｝'
            | '＂'
            | '＇'
    )
}

fn is_cjk_punct(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FFEF}' | '“' | '”' | '‘' | '’' | '…' | '—')
}

/// Can a sentence start with `c` (the first letter after quotes/dashes)?
fn is_starter(c: char) -> bool {
    !(c.is_lowercase() || matches!(c, ',' | ';' | ':' | ')' | ']' | '}' | '.' | '»' | '”' | '’'))
}

/// The first character after white space, looking through opening quotes,
/// brackets and dashes to the letter behind them: `(k, c)` with `k` the
/// position of the first non-space character.
fn next_significant(chars: &[char], j: usize, e: usize) -> Option<(usize, char)> {
    let mut k = j;
    while k < e && chars[k].is_whitespace() {
        k += 1;
    }
    if k >= e {
        return None;
    }
    let mut m = k;
    while m < e
        && (matches!(
            chars[m],
            '"' | '\''
                | '“'
                | '‘'
                | '«'
                | '‹'
                | '('
                | '['
                | '{'
                | '„'
                | '—'
                | '–'
                | '-'
                | '¿'
                | '¡'
                | '「'
                | '『'
                | '（'
                | '《'
        ) || chars[m].is_whitespace())
    {
        m += 1;
    }
    if m >= e {
        return Some((k, chars[k]));
    }
    Some((k, chars[m]))
}

/// Start of the word (letters, digits, inner dots, hyphens and
/// apostrophes) that ends at `i`.
fn word_before(chars: &[char], s: usize, i: usize) -> usize {
    let mut w = i;
    while w > s {
        let c = chars[w - 1];
        if c.is_alphanumeric() || c == '.' || c == '-' || c == '\'' || c == '’' {
            w -= 1;
        } else {
            break;
        }
    }
    // "…said.", "(p." : drop leading dots and hyphens
    while w < i && matches!(chars[w], '.' | '-' | '\'' | '’') {
        w += 1;
    }
    w
}

/// Is the word before the one starting at `w` a number ("2018 г.")?
fn word_before_is_number(chars: &[char], s: usize, w: usize) -> bool {
    let mut k = w;
    while k > s && chars[k - 1].is_whitespace() {
        k -= 1;
    }
    // "2018-2019 гг.", "1990-х гг."
    let mut saw_digit = false;
    while k > s && (chars[k - 1].is_alphanumeric() || chars[k - 1] == '-' || chars[k - 1] == '–')
    {
        if chars[k - 1].is_ascii_digit() {
            saw_digit = true;
        }
        k -= 1;
    }
    saw_digit || (k < w && is_roman(&chars[k..w].iter().collect::<String>()))
}

fn is_roman(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty()
        && t.chars()
            .all(|c| matches!(c, 'I' | 'V' | 'X' | 'L' | 'C' | 'M'))
}

/// The word starting at `k` (after quotes), as it is written.
fn word_at(chars: &[char], k: usize, e: usize) -> String {
    let mut m = k;
    while m < e && !chars[m].is_alphanumeric() {
        m += 1;
    }
    chars[m..e]
        .iter()
        .take_while(|c| c.is_alphanumeric())
        .collect()
}

/// Is `w` the first non-space character of its line (within the run of
/// text starting at `s`)?
fn at_line_start(chars: &[char], s: usize, w: usize) -> bool {
    let mut k = w;
    while k > s {
        match chars[k - 1] {
            '\n' | '\r' => return true,
            c if c.is_whitespace() => k -= 1,
            _ => return false,
        }
    }
    true
}

/// "1", "2.1", "12", "IV", "a", "б" before a dot at a line start.
fn is_list_number(word: &str) -> bool {
    let parts: Vec<&str> = word.split('.').collect();
    let numeric = parts
        .iter()
        .all(|p| !p.is_empty() && p.len() <= 3 && p.chars().all(|c| c.is_ascii_digit()));
    numeric || (word.len() <= 4 && is_roman(word)) || word.chars().count() == 1
}

/// A line that starts a list item: "1.", "1)", "(a)", "- ", "• ", "* ".
fn starts_list_item(line: &[char]) -> bool {
    let Some(&first) = line.first() else {
        return false;
    };
    if matches!(
        first,
        '•' | '◦' | '▪' | '·' | '●' | '○' | '■' | '□' | '►' | '–' | '—' | '*' | '-'
    ) && line.get(1).is_some_and(|c| c.is_whitespace())
    {
        return true;
    }
    let digits = line.iter().take_while(|c| c.is_ascii_digit()).count();
    if digits > 0 && digits <= 3 {
        let mut k = digits;
        while k + 1 < line.len() && line[k] == '.' && line[k + 1].is_ascii_digit() {
            k += 1;
            k += line[k..].iter().take_while(|c| c.is_ascii_digit()).count();
        }
        if matches!(line.get(k), Some('.' | ')'))
            && line.get(k + 1).is_none_or(|c| c.is_whitespace())
        {
            return true;
        }
    }
    first == '(' && line.get(2) == Some(&')')
}

/// URLs and e-mail addresses in `chars[s..e]`: `[start, end)` spans in
/// which no sentence ends (trailing punctuation excluded).
fn protected_spans(chars: &[char], s: usize, e: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = s;
    while i < e {
        // one token of non-space characters
        while i < e && chars[i].is_whitespace() {
            i += 1;
        }
        let ts = i;
        while i < e && !chars[i].is_whitespace() {
            i += 1;
        }
        if ts == i {
            continue;
        }
        let tok: String = chars[ts..i].iter().collect::<String>().to_lowercase();
        let lead = tok
            .char_indices()
            .find(|&(_, c)| c.is_alphanumeric())
            .map_or(0, |(b, _)| tok[..b].chars().count());
        let body = &tok[tok.char_indices().nth(lead).map_or(tok.len(), |(b, _)| b)..];
        let url = body.starts_with("http://")
            || body.starts_with("https://")
            || body.starts_with("ftp://")
            || body.starts_with("www.")
            || body.starts_with("mailto:");
        let email = body.find('@').is_some_and(|at| {
            at > 0 && body[at + 1..].contains('.') && !body[at + 1..].starts_with('.')
        });
        let domain = !url && !email && looks_like_domain(body);
        if url || email || domain {
            let mut te = i;
            while te > ts + lead
                && matches!(
                    chars[te - 1],
                    '.' | ','
                        | ';'
                        | ':'
                        | '!'
                        | '?'
                        | ')'
                        | ']'
                        | '"'
                        | '\''
                        | '»'
                        | '”'
                        | '’'
                        | '…'
                        | '>'
                )
            {
                te -= 1;
            }
            if te > ts + lead {
                out.push((ts + lead, te));
            }
        }
    }
    out
}

/// "example.com", "sco-ec.gov.cn/x": a dot-separated name ending in a
/// common top-level domain, with a dot inside (not at the end).
fn looks_like_domain(tok: &str) -> bool {
    let t = tok.trim_end_matches(|c: char| !c.is_alphanumeric() && c != '/');
    let host = t.split('/').next().unwrap_or("");
    let labels: Vec<&str> = host.split('.').collect();
    if labels.len() < 2 || labels.iter().any(|l| l.is_empty()) {
        return false;
    }
    let tld = labels.last().copied().unwrap_or("");
    matches!(
        tld,
        "com"
            | "org"
            | "net"
            | "ru"
            | "cn"
            | "int"
            | "gov"
            | "edu"
            | "info"
            | "kz"
            | "kg"
            | "tj"
            | "uz"
            | "in"
            | "pk"
            | "io"
            | "de"
            | "fr"
            | "uk"
            | "рф"
    ) && labels
        .iter()
        .all(|l| l.chars().all(|c| c.is_alphanumeric() || c == '-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sents(text: &str, lang: &str) -> Vec<String> {
        let l = Lang::parse(lang).unwrap();
        let chars: Vec<char> = text.chars().collect();
        sentences(text, &l)
            .into_iter()
            .map(|s| one_line(&chars, s))
            .collect()
    }

    fn paras(text: &str, lang: &str) -> Vec<Vec<String>> {
        let l = Lang::parse(lang).unwrap();
        let chars: Vec<char> = text.chars().collect();
        segment(text, &l)
            .into_iter()
            .map(|p| {
                p.sentences
                    .into_iter()
                    .map(|s| one_line(&chars, s))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn english_basic_ends() {
        assert_eq!(
            sents(
                "The Meeting was chaired by China. Delegates came! Why? Nobody knows…",
                "en"
            ),
            [
                "The Meeting was chaired by China.",
                "Delegates came!",
                "Why?",
                "Nobody knows…"
            ]
        );
    }

    #[test]
    fn english_abbreviations_and_initials() {
        assert_eq!(
            sents(
                "Mr. Smith met Dr. Jones at the U.N. headquarters. A. Zhaichibekov spoke, e.g. on drugs. See No. 5 and Art. 12 of it.",
                "en"
            ),
            [
                "Mr. Smith met Dr. Jones at the U.N. headquarters.",
                "A. Zhaichibekov spoke, e.g. on drugs.",
                "See No. 5 and Art. 12 of it."
            ]
        );
        // a dotted acronym at the end of a sentence
        assert_eq!(
            sents(
                "He moved to the U.S. The rest followed. The U.S. President came.",
                "en"
            ),
            [
                "He moved to the U.S.",
                "The rest followed.",
                "The U.S. President came."
            ]
        );
        assert_eq!(
            sents("Prices rose 3.5 per cent in 2018. Then they fell.", "en"),
            ["Prices rose 3.5 per cent in 2018.", "Then they fell."]
        );
        assert_eq!(
            sents(
                "It met on Jan. 12 in Beijing. It ended etc. New talks began.",
                "en"
            ),
            [
                "It met on Jan. 12 in Beijing.",
                "It ended etc.",
                "New talks began."
            ]
        );
    }

    #[test]
    fn english_quotes_and_brackets() {
        assert_eq!(
            sents(
                r#"He said "Stop." Then he left. "Where?" she asked. (See below.) Next."#,
                "en"
            ),
            [
                r#"He said "Stop.""#,
                "Then he left.",
                r#""Where?" she asked."#,
                "(See below.)",
                "Next."
            ]
        );
        assert_eq!(
            sents("“Not everyone is like me.” He said so.", "en"),
            ["“Not everyone is like me.”", "He said so."]
        );
    }

    #[test]
    fn urls_and_emails_are_not_cut() {
        assert_eq!(
            sents(
                "See http://www.sco.org/news/2018.html. Write to info@sco-ec.gov.cn. Visit www.sco.int. Done.",
                "en"
            ),
            [
                "See http://www.sco.org/news/2018.html.",
                "Write to info@sco-ec.gov.cn.",
                "Visit www.sco.int.",
                "Done."
            ]
        );
        assert_eq!(
            sents("Go to example.com. It works. Also Node.js is fine.", "en"),
            ["Go to example.com.", "It works.", "Also Node.js is fine."]
        );
    }

    #[test]
    fn list_numbering_at_line_start() {
        assert_eq!(
            paras(
                "1. Definitions and overview\n2. Getting Debian\n2.1. Where to start",
                "en"
            ),
            [[
                "1. Definitions and overview",
                "2. Getting Debian",
                "2.1. Where to start"
            ]]
        );
    }

    #[test]
    fn russian_abbreviations() {
        assert_eq!(
            sents(
                "Совещание состоялось 17 мая 2018 г. Делегации прибыли в г. Тяньцзинь. Выступил А. Жайчибеков, т.е. представитель МВД. Обсудили ст. 5, п. 3 и т. д. Далее – итоги.",
                "ru"
            ),
            [
                "Совещание состоялось 17 мая 2018 г.",
                "Делегации прибыли в г. Тяньцзинь.",
                "Выступил А. Жайчибеков, т.е. представитель МВД.",
                "Обсудили ст. 5, п. 3 и т. д.",
                "Далее – итоги."
            ]
        );
        assert_eq!(
            sents(
                "В 2017–2018 гг. рост составил 5 %. Музей им. Пушкина открыт. Это т. е. пример.",
                "ru"
            ),
            [
                "В 2017–2018 гг. рост составил 5 %.",
                "Музей им. Пушкина открыт.",
                "Это т. е. пример."
            ]
        );
    }

    #[test]
    fn russian_dialogue_dash() {
        assert_eq!(
            sents("— Ты где? — спросил он. — Дома! — Хорошо.", "ru"),
            ["— Ты где? — спросил он.", "— Дома!", "— Хорошо."]
        );
        assert_eq!(
            sents("Он сказал: «Мы придём». Потом ушёл.", "ru"),
            ["Он сказал: «Мы придём».", "Потом ушёл."]
        );
    }

    #[test]
    fn chinese_marks_and_closing_quotes() {
        assert_eq!(
            sents(
                "那天晚上我没走掉。陈清扬把我拽住！你信我干吗？他说：“好。”然后走了；大家都笑了……",
                "zh"
            ),
            [
                "那天晚上我没走掉。",
                "陈清扬把我拽住！",
                "你信我干吗？",
                "他说：“好。”",
                "然后走了；",
                "大家都笑了……"
            ]
        );
        // a quote followed by a comma goes on
        assert_eq!(
            sents("“我走了。”，他说。2018年增长3.5%。", "zh"),
            ["“我走了。”，他说。", "2018年增长3.5%。"]
        );
        assert_eq!(
            sents("上合组织（SCO）成立于2001年。美国（U.S.）也来了。", "zh"),
            ["上合组织（SCO）成立于2001年。", "美国（U.S.）也来了。"]
        );
    }

    #[test]
    fn paragraphs_and_wrapped_lines() {
        let text = "Title line\n\nPermission is granted to make and distribute verbatim copies of\n\
                    this document provided the copyright notice and this permission\n\
                    notice are preserved. On all copies.\n\n\n  Second paragraph.  ";
        assert_eq!(
            paras(text, "en"),
            vec![
                vec!["Title line".to_string()],
                vec![
                    "Permission is granted to make and distribute verbatim copies of this document provided the copyright notice and this permission notice are preserved.".to_string(),
                    "On all copies.".to_string()
                ],
                vec!["Second paragraph.".to_string()]
            ]
        );
        // short lines without blank lines between them: one sentence each
        assert_eq!(
            paras("Contents\nIntroduction\nScope", "en"),
            [["Contents", "Introduction", "Scope"]]
        );
        // a lower-case continuation joins even when not wrapped
        assert_eq!(
            paras("The meeting was\nheld in May.", "en"),
            [["The meeting was held in May."]]
        );
        // wrapped Chinese joins without a space
        let zh = "在遵守并包含本文档版权声明的前提下，允许制作和发布本文档的完整拷\n贝。下一句。";
        assert_eq!(
            paras(zh, "zh"),
            [[
                "在遵守并包含本文档版权声明的前提下，允许制作和发布本文档的完整拷贝。",
                "下一句。"
            ]]
        );
    }

    #[test]
    fn offsets_are_characters_and_text_is_kept() {
        let text = "  Привет, мир.  Второе   предложение!\r\n\r\n上合。";
        let l = Lang::ru();
        let ps = segment(text, &l);
        assert_eq!(ps.len(), 2);
        let s = &ps[0].sentences;
        assert_eq!(
            crate::char_slice(text, s[0].start, s[0].end),
            "Привет, мир."
        );
        assert_eq!(
            crate::char_slice(text, s[1].start, s[1].end),
            "Второе   предложение!"
        );
        assert_eq!(ps[1].span, Span { start: 41, end: 44 });
    }

    #[test]
    fn german_ordinals() {
        assert_eq!(
            sents(
                "Am 3. Oktober kam er an. Z.B. heute. Es war 1956. Dann ging er.",
                "de"
            ),
            [
                "Am 3. Oktober kam er an.",
                "Z.B. heute.",
                "Es war 1956.",
                "Dann ging er."
            ]
        );
    }

    #[test]
    fn degenerate_inputs() {
        let l = Lang::en();
        assert!(segment("", &l).is_empty());
        assert!(segment(" \n\n\t\n", &l).is_empty());
        assert_eq!(sents("...", "en"), ["..."]);
        assert_eq!(sents("a.b.c. d", "en"), ["a.b.c. d"]);
        assert_eq!(sents("?!", "zh"), ["?!"]);
        // a very long line without any mark is one sentence, quickly
        let long = "word ".repeat(200_000);
        assert_eq!(sentences(&long, &l).len(), 1);
        let dots = ". ".repeat(100_000);
        assert!(!sentences(&dots, &l).is_empty());
    }
}

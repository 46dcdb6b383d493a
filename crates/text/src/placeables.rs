//! Placeables (Trados "alphanumeric placeables", memoQ "auto-translatables"):
//! the pieces of a text that a translation carries over as they are —
//! identifiers, codes, key names, versions, addresses, file names — found in
//! the raw text by a hand-written scanner, as spans of (kind, text).
//!
//! The scanner does not change tokens (scores stay what they are); the fuzzy
//! repairs ask it which changed pieces of a query may be copied verbatim
//! into a TM target. What it finds, tried in this order at the start of
//! each run of characters (never inside a word; placeholders and inline
//! tags — `%s`, `{0}`, `<b>`, `\n` — are never part of one):
//!
//! | kind | examples |
//! |---|---|
//! | [`Kind::Url`] | `https://example.org/a?b=1`, `www.python.org/peps/pep-0263.html` (trailing `.,;:!?` left out) |
//! | [`Kind::Email`] | `bugs@example.org` |
//! | [`Kind::Path`] | `/usr/lib/x86_64`, `~/.config`, `./configure`, `C:\Temp\a.txt`, `setup.py`, `index.html` |
//! | [`Kind::Ip`] | `192.168.0.1`, `10.0.0.0/8` (octets ≤ 255) |
//! | [`Kind::Keys`] | `Ctrl+Shift+9`, `Shift+F10`, `Alt+Q` (a modifier, `+`, a key) |
//! | [`Kind::Version`] | `1.2.3`, `2.0.0.1` (three or four numbers and dots) |
//! | [`Kind::Code`] | ASCII letters and digits together: `F6`, `MD5`, `SOCKSv5`, `AES128`, `UTF-8`, `IPv4`, `r15`, `Field2`, `B1`, `x86_64`, `ISO-8859-1`; or with an inner `_` (`MAX_PATH`) or an inner capital after a small letter at the start (`getValue`) |
//! | [`Kind::Name`] | Latin words that a translation keeps: only where asked ([`Names`]) |
//!
//! A code is one run of ASCII letters, digits and `_`, with `-` `.` `/`
//! `+` `:` between them when a letter or digit follows (`ns32k-opcode.h`,
//! `Sheet1.A1`, `application/metalink4+xml`). Runs of digits alone are
//! numbers (the number repairs' business), unless they are an IPv4 address
//! or a version; `8th` (an ordinal of the language's profile) is a number
//! too. Words of letters joined by `-` or `/` (`built-in`, `TCP/IP`) are not
//! placeables; letters joined by a dot with a short lower-case last part
//! (`setup.py`) are a file name.
//!
//! Names ([`Names`]): in Russian or Chinese text any Latin word of two
//! letters or more is a name (it was not translated); in Latin-script text
//! translated into a language of another script, a word shaped like a
//! name: capitals (`GNU`, `OK`), camel case (`PostgreSQL`, `WebDAV`) or
//! capitalised (`Firefox`) where it does not open a sentence.

use crate::lang::{Lang, Script};
use crate::tokenize::{Token, TokenKind, tokenize};
use crate::{char_slice, is_han};

/// What a placeable is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Url,
    Email,
    Path,
    Ip,
    Keys,
    Version,
    Code,
    Name,
    /// A placeholder token (`%s`, `{0}`, `$HOME`, `\n`).
    Placeholder,
    /// An inline tag (`<b>`, `</g>`).
    Tag,
}

impl Kind {
    /// Its name in reports: `url`, `email`, `path`, `ip`, `keys`,
    /// `version`, `code`, `name`, `placeholder`, `tag`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Url => "url",
            Kind::Email => "email",
            Kind::Path => "path",
            Kind::Ip => "ip",
            Kind::Keys => "keys",
            Kind::Version => "version",
            Kind::Code => "code",
            Kind::Name => "name",
            Kind::Placeholder => "placeholder",
            Kind::Tag => "tag",
        }
    }
}

/// One placeable: characters `start..end` of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeable {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// Which Latin words without digits are placeables ([`Kind::Name`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Names {
    /// None (a Latin-script text translated into a Latin-script language:
    /// a name there is an ordinary word).
    No,
    /// Words shaped like names: capitals, camel case, or capitalised where
    /// they do not open a sentence.
    Shaped,
    /// Every Latin word of two letters or more (in a text of another
    /// script, such a word was left untranslated).
    AllLatin,
}

impl Names {
    /// The names of a text in `lang` translated from or into `other`.
    pub fn between(lang: &Lang, other: &Lang) -> Names {
        if lang.profile().script != Script::Latin {
            Names::AllLatin
        } else if other.profile().script != Script::Latin {
            Names::Shaped
        } else {
            Names::No
        }
    }
}

/// Key modifiers that open a key combination (`Ctrl+`, lower case).
const MODIFIERS: &[&str] = &[
    "ctrl",
    "control",
    "strg",
    "alt",
    "altgr",
    "option",
    "opt",
    "shift",
    "meta",
    "super",
    "hyper",
    "cmd",
    "command",
    "commandctrl",
    "win",
    "windows",
    "fn",
];

/// URL schemes recognised before `://` (lower case).
const SCHEMES: &[&str] = &[
    "http", "https", "ftp", "ftps", "sftp", "file", "ssh", "git", "svn", "ws", "wss", "smb", "nfs",
    "ldap", "ldaps", "irc", "rtsp", "rsync",
];

/// Between the parts of a code when a letter or digit follows.
const JOINERS: &[char] = &['-', '.', '/', '+', ':'];

/// A character of a word (for the boundaries of a placeable).
pub fn is_word_char(c: char) -> bool {
    (c.is_alphanumeric() && !is_han(c)) || c == '_'
}

fn is_code_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The characters of `text` (tokenised as `toks`) with its placeholders
/// and tags blanked (each of their characters a space), and those tokens:
/// (kind, start, end).
pub fn blank_codes(text: &str, toks: &[Token]) -> (Vec<char>, Vec<(Kind, usize, usize)>) {
    let mut chars: Vec<char> = text.chars().collect();
    let mut codes = Vec::new();
    for t in toks {
        let kind = match t.kind {
            TokenKind::Placeholder => Kind::Placeholder,
            TokenKind::Tag => Kind::Tag,
            _ => continue,
        };
        chars[t.start..t.end].fill(' ');
        codes.push((kind, t.start, t.end));
    }
    (chars, codes)
}

/// The placeables of `text` (a text in `lang`), in order, not overlapping:
/// those the scanner finds, and the placeholder and tag tokens.
pub fn find(text: &str, lang: &Lang, names: Names) -> Vec<Placeable> {
    find_in(text, &tokenize(text, lang), lang, names)
}

/// [`find`] in a text already tokenised (`toks`).
pub fn find_in(text: &str, toks: &[Token], lang: &Lang, names: Names) -> Vec<Placeable> {
    let (chars, codes) = blank_codes(text, toks);
    let scan = Scanner {
        c: &chars,
        names,
        suffixes: lang.profile().ordinals.suffixes,
    };
    let placeable = |kind, start, end| Placeable {
        kind,
        start,
        end,
        text: char_slice(text, start, end).to_string(),
    };
    let mut out: Vec<Placeable> = codes
        .into_iter()
        .map(|(kind, start, end)| placeable(kind, start, end))
        .collect();
    let mut i = 0;
    while i < chars.len() {
        if !scan.starts(i) {
            i += 1;
            continue;
        }
        match scan.at(i) {
            Some((kind, end)) => {
                // a token cut by the placeable (O'Brien): not one
                let cut = toks
                    .iter()
                    .any(|t| (t.start < i && i < t.end) || (t.start < end && end < t.end));
                if !cut {
                    out.push(placeable(kind, i, end));
                }
                i = end.max(i + 1);
            }
            None => i = scan.skip(i),
        }
    }
    // a capitalised name opening a sentence is one where it also stands
    // inside one (Microsoft ... . Microsoft ...)
    let names: Vec<String> = out
        .iter()
        .filter(|p| p.kind == Kind::Name)
        .map(|p| p.text.clone())
        .collect();
    for t in toks.iter().filter(|t| t.kind == TokenKind::Word) {
        let covered = out.iter().any(|p| p.start < t.end && t.start < p.end);
        if !covered && names.iter().any(|n| char_slice(text, t.start, t.end) == n) {
            out.push(placeable(Kind::Name, t.start, t.end));
        }
    }
    out.sort_by_key(|p| p.start);
    out
}

struct Scanner<'a> {
    /// The text with placeholders and tags blanked.
    c: &'a [char],
    names: Names,
    /// Ordinal suffixes of the language (`th`: `8th` is a number).
    suffixes: &'a [&'a str],
}

impl Scanner<'_> {
    fn get(&self, i: usize) -> char {
        self.c.get(i).copied().unwrap_or(' ')
    }

    /// Can a placeable start at `i`? Not inside a word, nor right after a
    /// joiner that follows a letter or digit (`-F6` in `X-F6`).
    fn starts(&self, i: usize) -> bool {
        let c = self.c[i];
        if !(c.is_ascii_alphanumeric() || matches!(c, '/' | '~' | '.')) {
            return false;
        }
        if i == 0 {
            return true;
        }
        let p = self.c[i - 1];
        let glued = is_word_char(p)
            || (matches!(p, '-' | '.' | '/' | '\\' | '@' | '+' | ':')
                && i >= 2
                && is_code_char(self.c[i - 2]));
        !glued
    }

    /// Past the word or run at `i` that is not a placeable.
    fn skip(&self, i: usize) -> usize {
        if !is_code_char(self.c[i]) {
            return i + 1;
        }
        let mut j = i + 1;
        while j < self.c.len() && (is_word_char(self.c[j]) || self.joined(j)) {
            j += 1;
        }
        j
    }

    /// A joiner at `j` with a letter or digit after it.
    fn joined(&self, j: usize) -> bool {
        JOINERS.contains(&self.get(j)) && self.get(j + 1).is_ascii_alphanumeric()
    }

    /// Does a placeable end at `end` (no word character glued after it)?
    fn ends(&self, end: usize) -> bool {
        !is_word_char(self.get(end))
    }

    /// The placeable at `i`: kind and end.
    fn at(&self, i: usize) -> Option<(Kind, usize)> {
        if let Some(end) = self.url(i) {
            return Some((Kind::Url, end));
        }
        if let Some(end) = self.email(i) {
            return Some((Kind::Email, end));
        }
        if let Some(end) = self.path(i) {
            return Some((Kind::Path, end));
        }
        if let Some(end) = self.keys(i) {
            return Some((Kind::Keys, end));
        }
        if !self.get(i).is_ascii_alphanumeric() {
            return None;
        }
        let end = self.run(i);
        if !self.ends(end) {
            return None;
        }
        let kind = self.classify(i, end)?;
        Some((kind, end))
    }

    /// The end of the ASCII letters from `i`, and which of `list` (lower
    /// case) they spell, in any case.
    fn word_in(&self, i: usize, list: &[&'static str]) -> (Option<&'static str>, usize) {
        let mut j = i;
        while j < self.c.len() && self.c[j].is_ascii_alphabetic() {
            j += 1;
        }
        let w = &self.c[i..j];
        let same = |x: &&str| {
            x.len() == w.len() && x.chars().zip(w).all(|(a, b)| a == b.to_ascii_lowercase())
        };
        (list.iter().copied().find(same), j)
    }

    /// Trailing punctuation that ends a sentence rather than an address.
    fn trim_end(&self, start: usize, mut end: usize) -> usize {
        while end > start && matches!(self.c[end - 1], '.' | ',' | ';' | ':' | '!' | '?') {
            end -= 1;
        }
        end
    }

    fn url(&self, i: usize) -> Option<usize> {
        let (scheme, j) = self.word_in(i, SCHEMES);
        let body = if scheme.is_some()
            && self.get(j) == ':'
            && self.get(j + 1) == '/'
            && self.get(j + 2) == '/'
        {
            j + 3
        } else if self.word_in(i, &["www"]).0.is_some()
            && self.get(j) == '.'
            && self.get(j + 1).is_ascii_alphanumeric()
        {
            j
        } else {
            return None;
        };
        let mut end = body;
        while end < self.c.len() {
            let c = self.c[end];
            if !c.is_ascii_graphic() || "<>\"'`(){}[]|\\^".contains(c) {
                break;
            }
            end += 1;
        }
        let end = self.trim_end(body, end);
        (end > body && self.c[body..end].iter().any(|c| c.is_ascii_alphanumeric())).then_some(end)
    }

    fn email(&self, i: usize) -> Option<usize> {
        let local = |c: char| c.is_ascii_alphanumeric() || "._%+-".contains(c);
        let mut at = i;
        while at < self.c.len() && local(self.c[at]) {
            at += 1;
        }
        if at == i || self.get(at) != '@' {
            return None;
        }
        let mut end = at + 1;
        let mut labels = 0;
        loop {
            let s = end;
            while end < self.c.len() && (self.c[end].is_ascii_alphanumeric() || self.c[end] == '-')
            {
                end += 1;
            }
            if end == s {
                return None;
            }
            labels += 1;
            if self.get(end) == '.' && self.get(end + 1).is_ascii_alphanumeric() {
                end += 1;
            } else {
                break;
            }
        }
        (labels >= 2 && self.ends(end)).then_some(end)
    }

    fn path(&self, i: usize) -> Option<usize> {
        let c = |k: usize| self.get(i + k);
        let (prefixed, body) = match (c(0), c(1), c(2)) {
            ('~', '/', _) => (true, i + 2),
            ('.', '/', _) => (true, i + 2),
            ('.', '.', '/') => (true, i + 3),
            ('/', n, _) if is_code_char(n) || n == '.' => (false, i + 1),
            (d, ':', '\\') if d.is_ascii_alphabetic() => (true, i + 3),
            _ => return None,
        };
        let part = |c: char| is_code_char(c) || "./\\-+~".contains(c);
        let mut end = body;
        while end < self.c.len() && part(self.c[end]) {
            end += 1;
        }
        let end = self.trim_end(body, end);
        let text = &self.c[i..end];
        let slashes = text.iter().filter(|&&c| c == '/' || c == '\\').count();
        let letter = text.iter().any(|c| c.is_ascii_alphabetic());
        ((prefixed || slashes >= 2) && letter && self.ends(end)).then_some(end)
    }

    fn keys(&self, i: usize) -> Option<usize> {
        let mut j = i;
        let mut modifiers = 0;
        loop {
            let (modifier, k) = self.word_in(j, MODIFIERS);
            if modifier.is_none() || self.get(k) != '+' {
                break;
            }
            modifiers += 1;
            j = k + 1;
        }
        if modifiers == 0 {
            return None;
        }
        let mut end = j;
        while end < self.c.len() && self.c[end].is_ascii_alphanumeric() {
            end += 1;
        }
        if end == j {
            // Ctrl++, Ctrl+-, Ctrl+.: one printable character
            let c = self.get(j);
            if !c.is_ascii_punctuation() || self.get(j + 1).is_ascii_alphanumeric() {
                return None;
            }
            end = j + 1;
        }
        self.ends(end).then_some(end)
    }

    /// The end of a run of code characters and joiners from `i`.
    fn run(&self, i: usize) -> usize {
        let mut j = i;
        loop {
            while j < self.c.len() && is_code_char(self.c[j]) {
                j += 1;
            }
            if self.joined(j) {
                j += 1;
            } else {
                return j;
            }
        }
    }

    fn classify(&self, i: usize, end: usize) -> Option<Kind> {
        let t = &self.c[i..end];
        let letters = t.iter().filter(|c| c.is_ascii_alphabetic()).count();
        let digits = t.iter().filter(|c| c.is_ascii_digit()).count();
        let joined = t.iter().any(|c| JOINERS.contains(c));
        if letters == 0 {
            return numeric(t);
        }
        if digits > 0 {
            // 8th: an ordinal number
            let d = t.iter().take_while(|c| c.is_ascii_digit()).count();
            let rest: String = t[d..].iter().collect::<String>().to_lowercase();
            if d > 0 && self.suffixes.contains(&rest.as_str()) {
                return None;
            }
            return Some(Kind::Code);
        }
        let inner_underscore = t.len() > 2 && t[1..t.len() - 1].contains(&'_');
        if inner_underscore {
            return Some(Kind::Code);
        }
        if joined {
            if file_name(t) {
                return Some(Kind::Path);
            }
            // TCP/IP, GtkSpinner:cycle-duration: names joined
            let named = match self.names {
                Names::No => false,
                Names::AllLatin => true,
                Names::Shaped => t
                    .split(|c| JOINERS.contains(c))
                    .any(|w| capitals(w) || camel(w)),
            };
            return named.then_some(Kind::Name);
        }
        // getValue, iPhone: a small letter, then a capital
        if t[0].is_ascii_lowercase() && t.iter().any(|c| c.is_ascii_uppercase()) {
            return Some(Kind::Code);
        }
        if t.contains(&'_') {
            return None;
        }
        self.name(i, t).then_some(Kind::Name)
    }

    /// Is the word `t` at `i` a name?
    fn name(&self, i: usize, t: &[char]) -> bool {
        if t.len() < 2 {
            return false;
        }
        match self.names {
            Names::No => false,
            Names::AllLatin => true,
            Names::Shaped => {
                let capitalised = t[0].is_ascii_uppercase() && t.len() >= 3;
                capitals(t) || camel(t) || (capitalised && !self.opens_sentence(i))
            }
        }
    }

    /// Does position `i` open a sentence (only quotes, brackets and spaces
    /// before it, back to the start or a final mark)?
    fn opens_sentence(&self, i: usize) -> bool {
        let before = self.c[..i]
            .iter()
            .rev()
            .find(|c| !(c.is_whitespace() || "\"'(«“‘[*-•".contains(**c)));
        before.is_none_or(|c| ".!?:;…".contains(*c))
    }
}

/// `GNU`, `OK`: two capitals or more, no small letter.
fn capitals(w: &[char]) -> bool {
    w.len() >= 2 && w.iter().all(|c| c.is_ascii_uppercase())
}

/// `PostgreSQL`, `WebDAV`: a capital first, and another one after.
fn camel(w: &[char]) -> bool {
    w.len() >= 2
        && w[0].is_ascii_uppercase()
        && w[1..].iter().any(|c| c.is_ascii_uppercase())
        && w.iter().any(|c| c.is_ascii_lowercase())
}

/// A run of digits and joiners: an IPv4 address or a version, else not a
/// placeable.
fn numeric(t: &[char]) -> Option<Kind> {
    let s: String = t.iter().collect();
    let (addr, prefix) = s.split_once('/').unwrap_or((&s, ""));
    let parts: Vec<&str> = addr.split('.').collect();
    let numbers = parts
        .iter()
        .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    if !numbers {
        return None;
    }
    let prefix_ok =
        prefix.is_empty() || (prefix.len() <= 2 && prefix.chars().all(|c| c.is_ascii_digit()));
    if parts.len() == 4
        && prefix_ok
        && parts
            .iter()
            .all(|p| p.len() <= 3 && p.parse::<u16>().is_ok_and(|v| v <= 255))
    {
        return Some(Kind::Ip);
    }
    (prefix.is_empty() && (3..=4).contains(&parts.len())).then_some(Kind::Version)
}

/// `setup.py`, `index.html`, `README.md`: letters joined by dots only, the
/// first part two characters or more, the last one to five lower-case
/// letters or digits with a letter.
fn file_name(t: &[char]) -> bool {
    let s: String = t.iter().collect();
    if s.contains(['-', '/', '+', ':']) {
        return false;
    }
    let parts: Vec<&str> = s.split('.').collect();
    let ext = parts[parts.len() - 1];
    parts[0].len() >= 2
        && (1..=5).contains(&ext.len())
        && ext
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && ext.chars().any(|c| c.is_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str, lang: &str, names: Names) -> Vec<(Kind, String)> {
        find(text, &Lang::parse(lang).unwrap(), names)
            .into_iter()
            .map(|p| (p.kind, p.text))
            .collect()
    }

    /// The placeables of an English text (no names) are `want`, all `kind`.
    fn all(kind: Kind, text: &str, want: &[&str]) {
        in_lang(kind, text, "en", Names::No, want);
    }

    fn in_lang(kind: Kind, text: &str, lang: &str, names: Names, want: &[&str]) {
        let want: Vec<(Kind, String)> = want.iter().map(|w| (kind, w.to_string())).collect();
        assert_eq!(found(text, lang, names), want, "{text}");
    }

    #[test]
    fn function_keys_and_key_combinations() {
        all(Kind::Code, "Press F6 to go on.", &["F6"]);
        let keys = ["Ctrl+Shift+9", "Shift+F10", "Alt+Q"];
        all(
            Kind::Keys,
            "Press Ctrl+Shift+9, then Shift+F10 or Alt+Q.",
            &keys,
        );
        let keys = ["SHIFT+COMMANDCTRL+Q", "Ctrl++"];
        all(Kind::Keys, "SHIFT+COMMANDCTRL+Q and Ctrl++", &keys);
        // in Chinese text, between Han characters
        in_lang(Kind::Keys, "按Ctrl+F8键", "zh", Names::No, &["Ctrl+F8"]);
    }

    #[test]
    fn codes_versions_protocols_hashes_fields() {
        let text = "Use SOCKSv5 with MD5, AES128 or UTF8 over IPv4 (r15, Field2, B1).";
        let codes = [
            "SOCKSv5", "MD5", "AES128", "UTF8", "IPv4", "r15", "Field2", "B1",
        ];
        all(Kind::Code, text, &codes);
        let text = "UTF-8, ISO-8859-1, SCRAM-SHA-256-PLUS, x86_64, v2 and Sheet1.A1.";
        let codes = [
            "UTF-8",
            "ISO-8859-1",
            "SCRAM-SHA-256-PLUS",
            "x86_64",
            "v2",
            "Sheet1.A1",
        ];
        all(Kind::Code, text, &codes);
        all(
            Kind::Code,
            "MAX_PATH and getValue",
            &["MAX_PATH", "getValue"],
        );
        let text = "Version 1.2.3 or 2.10.300.1, not 1.5 nor 2018-2019.";
        all(Kind::Version, text, &["1.2.3", "2.10.300.1"]);
    }

    #[test]
    fn addresses_and_paths() {
        let text = "See https://www.python.org/peps/pep-0263.html, or www.example.org.";
        let urls = [
            "https://www.python.org/peps/pep-0263.html",
            "www.example.org",
        ];
        all(Kind::Url, text, &urls);
        all(
            Kind::Email,
            "Write to bugs2@example.org.",
            &["bugs2@example.org"],
        );
        let text = "Open /dev/sda1, ~/.config/app, ./configure or C:\\Users\\a.txt.";
        let paths = [
            "/dev/sda1",
            "~/.config/app",
            "./configure",
            "C:\\Users\\a.txt",
        ];
        all(Kind::Path, text, &paths);
        all(Kind::Path, "Run setup.py now", &["setup.py"]);
        let text = "Host 192.168.0.1 or 10.0.0.0/8.";
        all(Kind::Ip, text, &["192.168.0.1", "10.0.0.0/8"]);
        // an octet above 255: a version
        all(Kind::Version, "300.1.1.1", &["300.1.1.1"]);
    }

    #[test]
    fn not_placeables() {
        // numbers, ordinals, words, compounds, abbreviations
        for text in [
            "On 17 May 2018, the 8th meeting, 1,000 and 3.5.",
            "a built-in TCP/IP stack, e.g. this and/or that",
            "50% of the km/h",
        ] {
            all(Kind::Code, text, &[]);
        }
        // placeholders and tags are placeables of their own, never part of
        // another one
        let text = "Delete %1$s or {0} $HOME2 <b2>";
        assert_eq!(
            found(text, "en", Names::No).last(),
            Some(&(Kind::Tag, "<b2>".to_string()))
        );
        all(
            Kind::Placeholder,
            "Delete %1$s or {0} $HOME2",
            &["%1$s", "{0}", "$HOME2"],
        );
        assert_eq!(
            found("\\nField2", "en", Names::No),
            [
                (Kind::Placeholder, "\\n".to_string()),
                (Kind::Code, "Field2".to_string())
            ]
        );
        // glued to a word of another script
        in_lang(Kind::Code, "IPv4адрес", "ru", Names::AllLatin, &[]);
        in_lang(Kind::Code, "IPv4-адрес", "ru", Names::AllLatin, &["IPv4"]);
    }

    #[test]
    fn latin_names() {
        let en = |text: &str, want: &[&str]| in_lang(Kind::Name, text, "en", Names::Shaped, want);
        en(
            "Open it in Firefox with GnuPG and GNU tools.",
            &["Firefox", "GnuPG", "GNU"],
        );
        // a capitalised word opening a sentence is not taken for a name,
        // unless it is one inside another sentence
        en("Open the file. Firefox starts.", &[]);
        en("Firefox starts. Close Firefox.", &["Firefox", "Firefox"]);
        en("in Firefox's menu", &["Firefox"]);
        // names joined, a capitalised word joined is not one
        en(
            "the TCP/IP stack, see GtkSpinner:cycle-duration, a Built-in",
            &["TCP/IP", "GtkSpinner:cycle-duration"],
        );
        // no names between two Latin-script languages
        in_lang(Kind::Name, "in Firefox", "en", Names::No, &[]);
        // any Latin word in Russian or Chinese text
        let text = "Откройте Firefox или gzip.";
        in_lang(
            Kind::Name,
            text,
            "ru",
            Names::AllLatin,
            &["Firefox", "gzip"],
        );
        in_lang(
            Kind::Name,
            "用Firefox打开",
            "zh",
            Names::AllLatin,
            &["Firefox"],
        );
        let names = |a: Lang, b: &str| Names::between(&a, &Lang::parse(b).unwrap());
        assert_eq!(names(Lang::en(), "ru"), Names::Shaped);
        assert_eq!(names(Lang::ru(), "en"), Names::AllLatin);
        assert_eq!(names(Lang::en(), "de"), Names::No);
    }
}

//! Repairs of placeables: identifiers, codes, key names, versions,
//! addresses, paths, Latin names, placeholders and tags
//! ([`polytm_text::placeables`]) that differ between the query and the TM
//! source and stand verbatim in the TM target.
//!
//! 1. The placeables of the query and the source are found in the raw
//!    text; each is one unit of the comparison (a URL of twenty tokens is
//!    one), the other tokens are units of their own. Replaced units that
//!    are placeables on both sides, as many on each side, are paired in
//!    order: `F6` → `F9`, `SOCKSv5` → `SOCKSv7`, `Shift+F8` → `Shift+F9`.
//!    Names ([`Kind::Name`]) only one unit for one (`Basic IDE` → `User
//!    Data` is a new wording); a name in plain letters (`Print`, `gzip`)
//!    only takes the place of another one (`Calc` → `Writer`), not of a
//!    code or a name in capitals or camel case (`OpenCL` → `Print`: a word
//!    to translate).
//! 2. What is substituted is tried from the part that changed outwards:
//!    the changed run of letters and digits (`F8` of `Shift+F8`), then the
//!    longer spans around it that stand apart in the source (`32/Z85` of
//!    `spec:32/Z85`), the whole placeable last. A part without a letter is
//!    not tried alone (`1` of `ISO-8859-1` is a number: the number repairs
//!    see it). Each pair takes the first span the rules allow.
//! 3. The old text must stand in the source exactly where it changed
//!    (nowhere else), always into the same new text; and in the target as
//!    often as in the source. "Stands" means as a whole: not inside a word,
//!    not glued by `.` `-` `/` `\` `@` to a letter or digit (`MD5` does not
//!    stand in `HMAC-MD5`, `v2` not in `v2.1`), and not inside a
//!    placeholder or tag (a placeholder stands where its token is). The
//!    target may write it as the source does, or — where the source never
//!    writes it in capitals — in capitals (`SHIFT+F8`, then written
//!    `SHIFT+F9`). Otherwise the pair is left alone.
//!
//! A number inside a placeable that stands apart (`UTF-8`, `ISO-8859-1`)
//! is also seen by the number repairs; where both change the same place of
//! the target, the placeable's change is kept.

use polytm_text::placeables::{self, Kind, Names, Placeable, blank_codes, is_word_char};

use super::{Change, Edit, Tokenized, replaced, units};

/// A changed placeable, or a span of one: where it starts in the source,
/// its old and its new text.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Pair {
    at: usize,
    old: String,
    new: String,
}

/// Edits of the placeables that changed (see the module documentation).
pub(super) fn edits(query: &Tokenized, source: &Tokenized, target: &Tokenized) -> Vec<Edit> {
    let names = Names::between(source.lang, target.lang);
    let find = |t: &Tokenized| placeables::find_in(t.text, &t.tokens, t.lang, names);
    let sp = find(source);
    if sp.is_empty() {
        return Vec::new();
    }
    let qp = find(query);
    let pairs = changed(query, &qp, source, &sp);
    if pairs.is_empty() {
        return Vec::new();
    }
    let src = Text::new(source);
    let tgt = Text::new(target);
    let tries: Vec<Vec<Pair>> = pairs.iter().map(|p| spans(p, &src)).collect();
    // round k: the k-th span of each pair not yet substituted
    let mut next = vec![0usize; pairs.len()];
    let mut edits = Vec::new();
    loop {
        let open: Vec<usize> = (0..pairs.len())
            .filter(|&k| next[k] < tries[k].len())
            .collect();
        if open.is_empty() {
            return edits;
        }
        let round: Vec<Pair> = open.iter().map(|&k| tries[k][next[k]].clone()).collect();
        let (more, failed) = substitute(&round, &src, &tgt);
        super::add_apart(&mut edits, more);
        for (i, &k) in open.iter().enumerate() {
            next[k] = if failed.contains(&i) {
                next[k] + 1
            } else {
                usize::MAX
            };
        }
    }
}

/// (old, new) texts of the placeables the query changed, in order.
fn changed(query: &Tokenized, qp: &[Placeable], source: &Tokenized, sp: &[Placeable]) -> Vec<Pair> {
    let spans = |ps: &[Placeable]| ps.iter().map(|p| (p.start, p.end)).collect::<Vec<_>>();
    // placeables compare as written: a new spelling is a change
    let q = units(&query.tokens, &spans(qp), |k, _| {
        format!("\u{1}{}", qp[k].text)
    });
    let s = units(&source.tokens, &spans(sp), |k, _| {
        format!("\u{1}{}", sp[k].text)
    });
    let mut out = Vec::new();
    for r in replaced(&s, &q) {
        // names only one for one: several words changed together are a new
        // wording, not new names (Basic IDE → User Data)
        let names = r.olds.iter().any(|&a| sp[a].kind == Kind::Name)
            || r.news.iter().any(|&b| qp[b].kind == Kind::Name);
        if r.olds.len() != r.news.len() || (names && r.lens != (1, 1)) {
            continue;
        }
        for (a, b) in r.olds.into_iter().zip(r.news) {
            // a plain word (Print) takes the place of a plain name (Calc)
            // only, never of a code or a name in capitals
            if sp[a].text != qp[b].text && (plain(&sp[a]) || !plain(&qp[b])) {
                out.push(Pair {
                    at: sp[a].start,
                    old: sp[a].text.clone(),
                    new: qp[b].text.clone(),
                });
            }
        }
    }
    out
}

/// A name in plain letters: capitalised (`Calc`) or small (`gzip`); not
/// capitals, camel case or joined (`GNU`, `OpenCL`, `TCP/IP`).
fn plain(p: &Placeable) -> bool {
    p.kind == Kind::Name && p.text.chars().skip(1).all(|c| c.is_ascii_lowercase())
}

/// The spans of a pair to try, smallest first (see the module
/// documentation): runs of parts around the changed ones that stand apart
/// in the source and hold a letter, then the whole.
fn spans(p: &Pair, src: &Text) -> Vec<Pair> {
    let a = parts(&p.old);
    let b = parts(&p.new);
    let head = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let alnum = |s: &str| s.chars().all(|c| c.is_ascii_alphanumeric());
    let letter = |s: &str| s.chars().any(|c| c.is_ascii_alphabetic());
    let chars = |xs: &[&str]| xs.iter().map(|x| x.chars().count()).sum::<usize>();
    let mut out = Vec::new();
    for l in 0..=head.min(a.len() - tail) {
        for r in (a.len() - tail).max(l + 1)..=a.len() {
            if (l, r) == (0, a.len()) || !alnum(a[l]) || !alnum(a[r - 1]) {
                continue;
            }
            let old = a[l..r].concat();
            let new = b[l..b.len() - (a.len() - r)].concat();
            let at = p.at + chars(&a[..l]);
            if letter(&old) && letter(&new) && src.stands_at(at, &old) {
                out.push(Pair { at, old, new });
            }
        }
    }
    out.sort_by_key(|x| x.old.chars().count());
    out.push(p.clone());
    out
}

/// `Shift+F8` → `Shift`, `+`, `F8`: runs of letters and digits and the
/// single characters between them.
fn parts(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in s.char_indices() {
        if !c.is_ascii_alphanumeric() {
            if start < i {
                out.push(&s[start..i]);
            }
            out.push(&s[i..i + c.len_utf8()]);
            start = i + c.len_utf8();
        }
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

/// A text's characters, placeholders and tags blanked (`\\nF6`: `F6`
/// stands apart), and those tokens: (start, text).
struct Text {
    chars: Vec<char>,
    codes: Vec<(usize, String)>,
}

/// How an old text stands in a text: as written, or in capitals.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Spelling {
    Exact,
    Capitals,
}

impl Text {
    fn new(t: &Tokenized) -> Text {
        let (chars, codes) = blank_codes(t.text, &t.tokens);
        let codes = codes
            .into_iter()
            .map(|(_, s, e)| (s, polytm_text::char_slice(t.text, s, e).to_string()))
            .collect();
        Text { chars, codes }
    }

    /// Does `needle` stand as a whole at `at`?
    fn stands_at(&self, at: usize, needle: &str) -> bool {
        let n: Vec<char> = needle.chars().collect();
        self.chars.get(at..at + n.len()) == Some(&n[..]) && self.apart(at, &n)
    }

    /// Not glued to a word or a code before or after (see the module
    /// documentation).
    fn apart(&self, at: usize, n: &[char]) -> bool {
        let h = &self.chars;
        // the character at `a` is part of a word, or a joiner with a letter
        // or digit at `b` beyond it
        let glued = |a: usize, b: usize| {
            is_word_char(h[a])
                || (matches!(h[a], '.' | '-' | '/' | '\\' | '@')
                    && h.get(b).is_some_and(|c| c.is_ascii_alphanumeric()))
        };
        let end = at + n.len();
        let before = at > 0 && is_word_char(n[0]) && glued(at - 1, at.wrapping_sub(2));
        let after = end < h.len() && is_word_char(n[n.len() - 1]) && glued(end, end + 1);
        !(before || after)
    }

    /// Where `needle` stands as a whole, spelled so.
    fn stands(&self, needle: &str, how: Spelling) -> Vec<usize> {
        let want = match how {
            Spelling::Exact => needle.to_string(),
            Spelling::Capitals => needle.to_uppercase(),
        };
        if how == Spelling::Capitals && want == needle {
            return Vec::new();
        }
        let w: Vec<char> = want.chars().collect();
        let mut out: Vec<usize> = self
            .codes
            .iter()
            .filter(|(s, t)| *t == want && self.apart(*s, &w))
            .map(|(s, _)| *s)
            .collect();
        let mut i = 0;
        while !w.is_empty() && i + w.len() <= self.chars.len() {
            if self.chars[i..i + w.len()] == w[..] && self.apart(i, &w) {
                out.push(i);
                i += w.len();
            } else {
                i += 1;
            }
        }
        out.sort_unstable();
        out
    }
}

/// Substitute each old text by its new one where the rules allow (see the
/// module documentation). The edits, and the indices of the pairs left
/// alone.
fn substitute(pairs: &[Pair], src: &Text, tgt: &Text) -> (Vec<Edit>, Vec<usize>) {
    let mut edits = Vec::new();
    let mut failed = Vec::new();
    let mut done: Vec<&str> = Vec::new();
    for p in pairs {
        if done.contains(&p.old.as_str()) {
            continue;
        }
        done.push(&p.old);
        let group: Vec<usize> = (0..pairs.len())
            .filter(|&k| pairs[k].old == p.old)
            .collect();
        match place(p, &group, pairs, src, tgt) {
            Some(found) => edits.extend(found),
            None => failed.extend(group),
        }
    }
    (edits, failed)
}

/// The edits for one old text changed at the pairs of `group`.
fn place(p: &Pair, group: &[usize], pairs: &[Pair], src: &Text, tgt: &Text) -> Option<Vec<Edit>> {
    let mut changed: Vec<usize> = group.iter().map(|&k| pairs[k].at).collect();
    changed.sort_unstable();
    if group.iter().any(|&k| pairs[k].new != p.new)
        || src.stands(&p.old, Spelling::Exact) != changed
    {
        return None;
    }
    let src_caps = src.stands(&p.old, Spelling::Capitals).len();
    let exact = tgt.stands(&p.old, Spelling::Exact);
    let caps = tgt.stands(&p.old, Spelling::Capitals);
    // each occurrence spelled as in the source; or all in capitals where
    // the source never writes it so
    let at: Vec<(usize, Spelling)> = if exact.len() == group.len() && caps.len() == src_caps {
        exact.into_iter().map(|s| (s, Spelling::Exact)).collect()
    } else if src_caps == 0 && exact.len() + caps.len() == group.len() {
        let mut all: Vec<(usize, Spelling)> = exact
            .into_iter()
            .map(|s| (s, Spelling::Exact))
            .chain(caps.into_iter().map(|s| (s, Spelling::Capitals)))
            .collect();
        all.sort_unstable_by_key(|x| x.0);
        all
    } else {
        return None;
    };
    let n = p.old.chars().count();
    Some(
        at.into_iter()
            .map(|(start, how)| {
                let (was, now) = match how {
                    Spelling::Exact => (p.old.clone(), p.new.clone()),
                    Spelling::Capitals => (p.old.to_uppercase(), p.new.to_uppercase()),
                };
                Edit {
                    start,
                    end: start + n,
                    text: now.clone(),
                    change: Change {
                        kind: "placeable",
                        source: p.old.clone(),
                        query: p.new.clone(),
                        was,
                        now,
                    },
                }
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::super::repair;
    use polytm_text::lang::Lang;

    fn fix(q: &str, s: &str, t: &str, to: &str) -> Option<String> {
        repair(q, s, t, &Lang::en(), &Lang::parse(to).unwrap()).map(|r| r.target)
    }

    /// (query, source, target, expected target) into Russian and Chinese.
    fn all(cases: &[(&str, &str, &str, &str)]) {
        for (q, s, t, want) in cases {
            let to = if t.chars().any(polytm_text::is_han) {
                "zh"
            } else {
                "ru"
            };
            assert_eq!(fix(q, s, t, to).as_deref(), Some(*want), "{q} | {t}");
        }
    }

    #[test]
    fn function_keys_and_key_combinations() {
        all(&[
            (
                "Press F9 to continue.",
                "Press F6 to continue.",
                "Нажмите F6, чтобы продолжить.",
                "Нажмите F9, чтобы продолжить.",
            ),
            (
                "Press Ctrl+Shift+8 to hide rows.",
                "Press Ctrl+Shift+9 to hide rows.",
                "按Ctrl+Shift+9隐藏行。",
                "按Ctrl+Shift+8隐藏行。",
            ),
            // the target writes the combination in capitals
            (
                "after the next F5, F9, or Shift+F9.",
                "after the next F5, F8, or Shift+F8.",
                "только после нажатия F5, F8 или SHIFT+F8.",
                "только после нажатия F5, F9 или SHIFT+F9.",
            ),
            // only the combination changed: F8 alone stays
            (
                "Use F8 or Shift+F9.",
                "Use F8 or Shift+F8.",
                "Используйте F8 или SHIFT+F8.",
                "Используйте F8 или SHIFT+F9.",
            ),
        ]);
    }

    #[test]
    fn versions_protocols_hashes_fields() {
        all(&[
            (
                "Requires GTK 3.24.1 or later.",
                "Requires GTK 3.22.1 or later.",
                "Требуется GTK 3.22.1 или новее.",
                "Требуется GTK 3.24.1 или новее.",
            ),
            (
                "The proxy speaks SOCKSv7 only.",
                "The proxy speaks SOCKSv5 only.",
                "代理仅支持 SOCKSv5。",
                "代理仅支持 SOCKSv7。",
            ),
            (
                "Checksums use MD6 and SHA-512.",
                "Checksums use MD5 and SHA-256.",
                "Контрольные суммы: MD5 и SHA-256.",
                "Контрольные суммы: MD6 и SHA-512.",
            ),
            (
                "Encrypt with AES192 in ISO-8859-2 files.",
                "Encrypt with AES128 in ISO-8859-1 files.",
                "Шифровать AES128 в файлах ISO-8859-1.",
                "Шифровать AES192 в файлах ISO-8859-2.",
            ),
            (
                "Enter the value in Field4 and cell B3.",
                "Enter the value in Field2 and cell B1.",
                "在 Field2 和单元格 B1 中输入值。",
                "在 Field4 和单元格 B3 中输入值。",
            ),
            (
                "Build for x86_32 with UTF16 strings (r17).",
                "Build for x86_64 with UTF8 strings (r15).",
                "Сборка для x86_64 со строками UTF8 (r15).",
                "Сборка для x86_32 со строками UTF16 (r17).",
            ),
        ]);
    }

    #[test]
    fn addresses_paths_and_ip() {
        all(&[
            (
                "Connect to 192.168.1.7 over IPv6.",
                "Connect to 192.168.1.5 over IPv4.",
                "Подключитесь к 192.168.1.5 по IPv4.",
                "Подключитесь к 192.168.1.7 по IPv6.",
            ),
            (
                "See https://www.python.org/peps/pep-0264.html for details.",
                "See https://www.python.org/peps/pep-0263.html for details.",
                "详情请见 https://www.python.org/peps/pep-0263.html。",
                "详情请见 https://www.python.org/peps/pep-0264.html。",
            ),
            (
                "Report bugs to bugs3@example.org.",
                "Report bugs to bugs2@example.org.",
                "Об ошибках сообщайте на bugs2@example.org.",
                "Об ошибках сообщайте на bugs3@example.org.",
            ),
            (
                "The disk /dev/sdb2 is mounted on /mnt/data.",
                "The disk /dev/sda1 is mounted on /mnt/data.",
                "Диск /dev/sda1 смонтирован в /mnt/data.",
                "Диск /dev/sdb2 смонтирован в /mnt/data.",
            ),
        ]);
    }

    #[test]
    fn latin_names_in_russian_and_chinese_targets() {
        all(&[
            (
                "Open the page in Chromium.",
                "Open the page in Firefox.",
                "Откройте страницу в Firefox.",
                "Откройте страницу в Chromium.",
            ),
            (
                "The key is signed with OpenPGP.",
                "The key is signed with GnuPG.",
                "密钥由 GnuPG 签名。",
                "密钥由 OpenPGP 签名。",
            ),
            // a name opening a sentence that stands inside another one too
            (
                "Chromium cannot read it. Open it in Chromium.",
                "Firefox cannot read it. Open it in Firefox.",
                "Firefox не читает его. Откройте его в Firefox.",
                "Chromium не читает его. Откройте его в Chromium.",
            ),
        ]);
        // several words changed together are a new wording, not new names
        assert_eq!(
            fix(
                "Choose Options - LibreOffice - User Data.",
                "Choose Options - LibreOffice - Basic IDE.",
                "Выберите Параметры - LibreOffice - Basic IDE.",
                "ru"
            ),
            None
        );
        // a plain capitalised word does not take the place of a name in
        // capitals or camel case (OpenCL → Print: a word to translate)
        assert_eq!(
            fix(
                "Choose Options - LibreOffice - Print.",
                "Choose Options - LibreOffice - OpenCL.",
                "选择「选项 - LibreOffice - OpenCL」。",
                "zh"
            ),
            None
        );
        // between two Latin-script languages a word is not a name
        assert_eq!(
            fix(
                "Open the page in Chromium.",
                "Open the page in Firefox.",
                "Öffnen Sie die Seite in Firefox.",
                "de"
            ),
            None
        );
    }

    #[test]
    fn placeholders_and_escapes() {
        all(&[
            (
                "please set $ABI",
                "please set $JAVAC",
                "установите $JAVAC",
                "установите $ABI",
            ),
            // a code glued to an escape still stands apart
            (
                "\\nD32V options:\\n",
                "\\nD30V options:\\n",
                "\\nПараметры D30V:\\n",
                "\\nПараметры D32V:\\n",
            ),
        ]);
    }

    #[test]
    fn never_when_ambiguous() {
        // twice in the target, once in the source
        assert_eq!(
            fix("Press F9.", "Press F6.", "Нажмите F6 (F6 — справка).", "ru"),
            None
        );
        // also unchanged elsewhere in the source
        assert_eq!(
            fix(
                "Press F9, not F6.",
                "Press F6, not F6.",
                "Нажмите F6, а не F6.",
                "ru"
            ),
            None
        );
        // not verbatim in the target
        assert_eq!(
            fix("Use MD6.", "Use MD5.", "Используйте алгоритм MD-5.", "ru"),
            None
        );
        // changed once, but also standing as itself elsewhere in the source:
        // the quoted "str1" is not the one that changed
        assert_eq!(
            fix(
                "-a any/str3 -> \"str1\"",
                "-a any/str1 -> \"str1\"",
                "-a any/str1 -> «str1»",
                "ru"
            )
            .as_deref(),
            Some("-a any/str3 -> «str1»")
        );
        // an old text changed into two new ones
        assert_eq!(
            fix(
                "Use MD6 here and MD7 there.",
                "Use MD5 here and MD5 there.",
                "Здесь MD5, там MD5.",
                "ru"
            ),
            None
        );
        // inside a longer code in the target only
        assert_eq!(
            fix("Use MD6.", "Use MD5.", "Используйте HMAC-MD5.", "ru"),
            None
        );
        // the target writes it both as the source does and in capitals
        assert_eq!(
            fix(
                "Press Shift+F9.",
                "Press Shift+F8.",
                "Нажмите Shift+F8 (SHIFT+F8).",
                "ru"
            ),
            None
        );
        // digits of an identifier are not a number: 6 → 9 is not substituted
        // elsewhere
        assert_eq!(
            fix("Press F9.", "Press F6.", "Нажмите клавишу 6.", "ru"),
            None
        );
    }
}

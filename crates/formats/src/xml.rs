//! XML character rules and escaping, shared by every XML format (TMX, TBX,
//! XLIFF) and by the fuzzy matcher when it repairs TMX markup.
//!
//! Escaping never writes a character XML 1.0 forbids: writers that must
//! refuse such text (TMX export names the unit) check with
//! [`forbidden_char`] first; the others get it dropped, so what they write
//! is always well-formed.

/// A character XML 1.0 allows in a document.
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// The first character of `s` that XML 1.0 does not allow.
pub fn forbidden_char(s: &str) -> Option<char> {
    // Fast path: only bytes < 0x20 and the sequences of U+FFFE/U+FFFF matter.
    let suspicious = s
        .bytes()
        .any(|x| (x < 0x20 && x != b'\t' && x != b'\n' && x != b'\r') || x == 0xEF);
    if !suspicious {
        return None;
    }
    s.chars().find(|&c| !is_xml_char(c))
}

fn escape_into(out: &mut String, s: &str, attr: bool) {
    if forbidden_char(s).is_some() {
        let clean: String = s.chars().filter(|&c| is_xml_char(c)).collect();
        return escape_into(out, &clean, attr);
    }
    let mut last = 0;
    for (i, b) in s.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            // a parser turns a literal carriage return into a line feed
            b'\r' => "&#13;",
            // in attributes, a parser turns tabs and line feeds into spaces
            b'"' if attr => "&quot;",
            b'\t' if attr => "&#9;",
            b'\n' if attr => "&#10;",
            _ => continue,
        };
        out.push_str(&s[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&s[last..]);
}

/// The text of escaped XML content: the five XML entities and character
/// references resolved (anything else is left as it is).
pub fn unescape(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('&') {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let c = end.and_then(|e| match &rest[1..e] {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            r => {
                let n = r.strip_prefix('#')?;
                let v = match n.strip_prefix('x') {
                    Some(h) => u32::from_str_radix(h, 16).ok()?,
                    None => n.parse().ok()?,
                };
                char::from_u32(v)
            }
        });
        match (c, end) {
            (Some(c), Some(e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// Escape element content: `& < >` and `\r` as a reference.
pub fn escape_text_into(out: &mut String, s: &str) {
    escape_into(out, s, false)
}

/// Escape a double-quoted attribute value: `& < > "`, and tab, line feed and
/// carriage return as references.
pub fn escape_attr_into(out: &mut String, s: &str) {
    escape_into(out, s, true)
}

/// [`escape_text_into`] to a new string.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    escape_text_into(&mut out, s);
    out
}

/// [`escape_attr_into`] to a new string.
pub fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    escape_attr_into(&mut out, s);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_chars() {
        assert_eq!(forbidden_char("ok\t\n\r 上"), None);
        assert_eq!(forbidden_char("a\u{0}"), Some('\u{0}'));
        assert_eq!(forbidden_char("a\u{FFFE}"), Some('\u{FFFE}'));
        assert_eq!(forbidden_char("\u{FFFD}\u{E000}"), None);
    }

    #[test]
    fn escaping() {
        assert_eq!(
            escape_text("a & <b> \"c\"\r\n"),
            "a &amp; &lt;b&gt; \"c\"&#13;\n"
        );
        assert_eq!(escape_attr("a\t\"b\"\n<"), "a&#9;&quot;b&quot;&#10;&lt;");
        assert_eq!(escape_text("x\u{1}y\u{FFFF}"), "xy");
        assert_eq!(escape_text("Шанхай 上海"), "Шанхай 上海");
    }

    #[test]
    fn unescaping() {
        assert_eq!(
            unescape("a &amp; &lt;b&gt; &#13;&#x41;&quot;"),
            "a & <b> \rA\""
        );
        assert_eq!(unescape("R&D &bogus; &"), "R&D &bogus; &");
        let s = "a & <b> \"c\"\r\n";
        assert_eq!(unescape(&escape_text(s)), s);
    }
}

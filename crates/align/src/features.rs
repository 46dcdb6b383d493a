//! What the aligner sees of a sentence: its length and its tokens, each
//! token one *type* of its document (a stemmed word, a Chinese word, a
//! number, a punctuation class).
//!
//! - English, Russian and other spaced languages: the words of
//!   [`polytm_text::tokenize`], folded and stemmed (Snowball);
//! - Chinese: runs of Han characters cut into words by jieba; numerals
//!   (`二〇一八`, `十五`, `第八`) are numbers;
//! - numbers get canonical values ([`polytm_text::numbers`]): `1,500` = `1 500`,
//!   `3.5` = `3,5`, and `150万` / `1.5 million` also give 1500000;
//! - punctuation that survives translation is kept as a class: `?`, `!`,
//!   quotes, brackets, `:`, `%`, `…`.

use std::collections::{HashMap, HashSet};

use polytm_text::lang::Lang;
use polytm_text::numbers;
use polytm_text::tokenize::{TokenKind, tokenize};
use polytm_text::{Stemmer, is_han};

/// At most this many tokens of a sentence are used as evidence (a 1 MB
/// line is aligned by its length).
pub const MAX_TOKENS: usize = 400;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A word of a spaced language (stemmed), or a Latin word in Chinese.
    Word,
    /// A Chinese word.
    Han,
    Number,
    Punct,
}

/// One type of a document.
#[derive(Debug, Clone)]
pub struct TypeForm {
    pub kind: Kind,
    /// Stem (spaced languages), the word (Chinese), the canonical number,
    /// the punctuation class.
    pub form: String,
    /// The folded word before stemming.
    pub surface: String,
    /// Written with a capital letter (at least once): proper names.
    pub cap: bool,
    /// Latin letters only (after removing accents).
    pub latin: bool,
    /// More values of a number (`150万` → 1500000).
    pub values: Vec<String>,
}

/// A document (one language) as the aligner sees it.
#[derive(Debug, Clone)]
pub struct Tokenized {
    pub lang: Lang,
    /// Type ids of the tokens of each sentence.
    pub sentences: Vec<Vec<u32>>,
    /// Length of each sentence in characters, white space excluded.
    pub chars: Vec<u32>,
    /// Paragraph of each sentence (all 0 when the text has none).
    pub para: Vec<u32>,
    pub types: Vec<TypeForm>,
    /// Occurrences of each type in the document.
    pub type_count: Vec<u32>,
    index: HashMap<(Kind, String), u32>,
    /// Every folded word of the document (Chinese: every word and the
    /// pieces of up to four characters inside it): what to look up.
    pub vocab: HashSet<String>,
}

impl Tokenized {
    pub fn new(lang: &Lang, sentences: &[&str]) -> Tokenized {
        let mut t = Tokenized {
            lang: lang.clone(),
            sentences: Vec::with_capacity(sentences.len()),
            chars: Vec::with_capacity(sentences.len()),
            para: vec![0; sentences.len()],
            types: Vec::new(),
            type_count: Vec::new(),
            index: HashMap::new(),
            vocab: HashSet::new(),
        };
        let stemmer = Stemmer::new(lang);
        let chinese = lang.profile().han_words;
        for s in sentences {
            let chars = s.chars().filter(|c| !c.is_whitespace()).count() as u32;
            let toks = if chinese {
                t.chinese(s)
            } else {
                t.spaced(s, &stemmer)
            };
            t.chars.push(chars);
            t.sentences.push(toks);
        }
        t.type_count = vec![0; t.types.len()];
        for s in &t.sentences {
            for &ty in s {
                t.type_count[ty as usize] += 1;
            }
        }
        t
    }

    pub fn len(&self) -> usize {
        self.sentences.len()
    }

    /// The document in units of `k` consecutive sentences (the last unit
    /// may be shorter): for a coarse first search of long documents.
    pub fn merged(&self, k: usize) -> Tokenized {
        let k = k.max(1);
        let mut t = Tokenized {
            lang: self.lang.clone(),
            sentences: Vec::with_capacity(self.len().div_ceil(k)),
            chars: Vec::new(),
            para: Vec::new(),
            types: self.types.clone(),
            type_count: self.type_count.clone(),
            index: HashMap::new(),
            vocab: HashSet::new(),
        };
        for start in (0..self.len()).step_by(k) {
            let end = (start + k).min(self.len());
            let mut s: Vec<u32> = Vec::new();
            for sent in &self.sentences[start..end] {
                s.extend_from_slice(sent);
            }
            if s.len() > super::model::POS_CAP {
                // keep the rarest tokens: they carry the evidence
                s.sort_by_key(|&ty| (self.type_count[ty as usize], ty));
                s.truncate(super::model::POS_CAP);
            }
            t.sentences.push(s);
            t.chars.push(self.chars[start..end].iter().sum());
            t.para.push(self.para[start]);
        }
        t
    }

    /// Set the paragraph of each sentence (non-decreasing numbers).
    pub fn with_paragraphs(mut self, para: &[u32]) -> Tokenized {
        if para.len() == self.sentences.len() {
            self.para = para.to_vec();
        }
        self
    }

    /// Number of paragraphs.
    pub fn paragraphs(&self) -> usize {
        1 + self.para.windows(2).filter(|w| w[0] != w[1]).count()
    }

    pub fn is_empty(&self) -> bool {
        self.sentences.is_empty()
    }

    /// Total length in characters.
    pub fn total_chars(&self) -> u64 {
        self.chars.iter().map(|&c| c as u64).sum()
    }

    fn intern(&mut self, kind: Kind, form: String, surface: &str, cap: bool) -> u32 {
        if let Some(&id) = self.index.get(&(kind, form.clone())) {
            if cap {
                self.types[id as usize].cap = true;
            }
            return id;
        }
        let id = self.types.len() as u32;
        let latin = kind == Kind::Word && is_latin_word(surface);
        self.types.push(TypeForm {
            kind,
            form: form.clone(),
            surface: surface.to_string(),
            cap,
            latin,
            values: Vec::new(),
        });
        self.index.insert((kind, form), id);
        id
    }

    fn number(&mut self, canon: String, extra: Option<String>) -> u32 {
        let id = self.intern(Kind::Number, canon.clone(), &canon, false);
        if let Some(x) = extra {
            let key = format!("{canon}*{x}");
            // a number with a multiplier is its own type
            let id2 = self.intern(Kind::Number, key.clone(), &key, false);
            let v = &mut self.types[id2 as usize].values;
            if v.is_empty() {
                v.push(canon);
                v.push(x);
            }
            return id2;
        }
        id
    }

    fn spaced(&mut self, s: &str, stemmer: &Stemmer) -> Vec<u32> {
        let toks = tokenize(s, &self.lang);
        let chars: Vec<char> = s.chars().collect();
        let mut out = Vec::new();
        let mut k = 0;
        while k < toks.len() && out.len() < MAX_TOKENS {
            let t = &toks[k];
            match t.kind {
                TokenKind::Number => {
                    let mut canon_src = t.key.clone();
                    let mut next = k + 1;
                    // "1 500 000" (Russian thousands separated by spaces)
                    let groupable = t.key.len() <= 3 && t.key.chars().all(|c| c.is_ascii_digit());
                    while let Some(n) = toks.get(next).filter(|_| groupable) {
                        let prev_end = toks[next - 1].end;
                        let one_space = n.start == prev_end + 1
                            && chars
                                .get(prev_end)
                                .is_some_and(|c| c.is_whitespace() && *c != '\n');
                        if n.kind == TokenKind::Number
                            && one_space
                            && n.key.len() == 3
                            && n.key.chars().all(|c| c.is_ascii_digit())
                        {
                            canon_src.push(',');
                            canon_src.push_str(&n.key);
                            next += 1;
                        } else {
                            break;
                        }
                    }
                    if let Some(c) = numbers::canonical(&canon_src) {
                        let extra = toks
                            .get(next)
                            .filter(|n| n.kind == TokenKind::Word)
                            .and_then(|n| numbers::multiplier(n.key.trim_end_matches('.')))
                            .and_then(|p| numbers::scale(&c, p));
                        let id = self.number(c, extra);
                        out.push(id);
                    }
                    k = next;
                    continue;
                }
                TokenKind::Word => {
                    // "8th" is a word to the tokenizer when glued: numbers first
                    if t.key.chars().next().is_some_and(|c| c.is_ascii_digit()) {
                        if let Some(c) = numbers::canonical(&t.key) {
                            let id = self.number(c, None);
                            out.push(id);
                        }
                    } else if t.key != "'s" && t.key != "'" {
                        if !self.vocab.contains(&t.key) {
                            self.vocab.insert(t.key.clone());
                        }
                        let stem = stemmer.stem(&t.key).into_owned();
                        let cap = chars.get(t.start).is_some_and(|c| c.is_uppercase());
                        let id = self.intern(Kind::Word, stem, &t.key.clone(), cap);
                        out.push(id);
                    }
                }
                TokenKind::Han => {
                    // Han characters in a spaced-language text: one word each
                    let id = self.intern(Kind::Han, t.key.clone(), &t.key.clone(), false);
                    out.push(id);
                }
                TokenKind::Punct => {
                    if let Some(class) = punct_class(&t.key) {
                        let id = self.intern(Kind::Punct, class.to_string(), class, false);
                        out.push(id);
                    }
                }
                TokenKind::Placeholder | TokenKind::Tag => {
                    let id = self.intern(Kind::Word, t.key.clone(), &t.key.clone(), false);
                    out.push(id);
                }
            }
            k += 1;
        }
        out
    }

    /// Cut a run of Han characters (no numerals) into words.
    fn jieba_words(&mut self, run: &str, out: &mut Vec<u32>) {
        for w in polytm_text::tokenize::han_words(run) {
            if out.len() >= MAX_TOKENS {
                break;
            }
            let word = polytm_text::fold(w);
            if word.is_empty() || !word.chars().all(|c| is_han(c) || c.is_alphanumeric()) {
                continue;
            }
            if !self.vocab.contains(&word) {
                let cs: Vec<char> = word.chars().collect();
                for i in 0..cs.len() {
                    for j in i + 1..=(i + 4).min(cs.len()) {
                        self.vocab.insert(cs[i..j].iter().collect());
                    }
                }
            }
            let id = self.intern(Kind::Han, word.clone(), &word, false);
            out.push(id);
        }
    }

    fn chinese(&mut self, s: &str) -> Vec<u32> {
        let toks = tokenize(s, &self.lang);
        let chars: Vec<char> = s.chars().collect();
        let mut out = Vec::new();
        let mut k = 0;
        while k < toks.len() && out.len() < MAX_TOKENS {
            let t = &toks[k];
            if t.kind == TokenKind::Han {
                // the run of adjacent Han characters
                let mut e = k + 1;
                while e < toks.len()
                    && toks[e].kind == TokenKind::Han
                    && toks[e].start == toks[e - 1].end
                {
                    e += 1;
                }
                let run: Vec<char> = chars[t.start..toks[e - 1].end].to_vec();
                for (piece, numeral) in numeral_pieces(&run) {
                    if numeral {
                        let word: String = piece.iter().collect();
                        if let Some(v) = numbers::chinese(&word) {
                            let id = self.number(v.to_string(), None);
                            out.push(id);
                            continue;
                        }
                    }
                    let piece: String = piece.iter().collect();
                    self.jieba_words(&piece, &mut out);
                }
                k = e;
                continue;
            }
            match t.kind {
                TokenKind::Number => {
                    if let Some(c) = numbers::canonical(&t.key) {
                        // 150万, 3亿: the multiplier follows directly
                        let extra = toks
                            .get(k + 1)
                            .filter(|n| n.start == t.end && n.kind == TokenKind::Han)
                            .and_then(|n| numbers::multiplier(&n.key))
                            .and_then(|p| numbers::scale(&c, p));
                        let id = self.number(c, extra);
                        out.push(id);
                    }
                }
                TokenKind::Word => {
                    if t.key.chars().next().is_some_and(|c| c.is_ascii_digit()) {
                        if let Some(c) = numbers::canonical(&t.key) {
                            let id = self.number(c, None);
                            out.push(id);
                        }
                    } else {
                        let cap = chars.get(t.start).is_some_and(|c| c.is_uppercase());
                        let id = self.intern(Kind::Word, t.key.clone(), &t.key.clone(), cap);
                        out.push(id);
                    }
                }
                TokenKind::Punct => {
                    if let Some(class) = punct_class(&t.key) {
                        let id = self.intern(Kind::Punct, class.to_string(), class, false);
                        out.push(id);
                    }
                }
                TokenKind::Placeholder | TokenKind::Tag => {
                    let id = self.intern(Kind::Word, t.key.clone(), &t.key.clone(), false);
                    out.push(id);
                }
                TokenKind::Han => {}
            }
            k += 1;
        }
        out
    }
}

/// Split a run of Han characters into numerals (`二〇一八`, `第八`,
/// `三百二十`: two characters or more) and the rest.
fn numeral_pieces(run: &[char]) -> Vec<(&[char], bool)> {
    let is_num = numbers::is_everyday_numeral;
    let mut out = Vec::new();
    let mut i = 0;
    let mut plain = 0;
    while i < run.len() {
        let start = if run[i] == '第' { i + 1 } else { i };
        let mut e = start;
        while e < run.len() && is_num(run[e]) {
            e += 1;
        }
        let len = e - start;
        let leads_with_unit = start < run.len() && matches!(run[start], '百' | '千' | '万' | '亿');
        if len > 0 && (len >= 2 || start > i) && !leads_with_unit {
            if plain < i {
                out.push((&run[plain..i], false));
            }
            out.push((&run[i..e], true));
            i = e;
            plain = e;
        } else {
            i += 1;
        }
    }
    if plain < run.len() {
        out.push((&run[plain..], false));
    }
    out
}

/// The class of a punctuation mark that carries over between languages
/// (the key is already width-folded: `？` is `?`).
fn punct_class(key: &str) -> Option<&'static str> {
    Some(match key {
        "?" | "¿" => "?",
        "!" | "¡" => "!",
        "\"" | "“" | "”" | "«" | "»" | "„" | "「" | "」" | "『" | "』" | "‘" | "’" | "‹" | "›" => {
            "\""
        }
        "(" | ")" | "[" | "]" => "(",
        ":" => ":",
        "%" => "%",
        "…" => "…",
        _ => return None,
    })
}

/// Latin letters only (accents allowed): names and words that may be
/// written the same in two languages.
pub fn is_latin_word(s: &str) -> bool {
    !s.is_empty()
        && s.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || ('\u{00C0}'..='\u{024F}').contains(&c)
                || c == '\''
                || c == '-'
        })
        && s.chars().any(|c| c.is_ascii_alphabetic())
}

/// Remove accents from a Latin word: `expédition` → `expedition`.
pub fn strip_accents(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .map(|c| match c {
            'ß' => 's',
            'æ' => 'a',
            'œ' => 'o',
            'ø' => 'o',
            'ł' => 'l',
            'đ' => 'd',
            _ => c,
        })
        .collect()
}

/// Russian (and other Cyrillic) to Latin letters, the way names are
/// usually transliterated in English texts.
pub fn translit(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    for c in s.chars() {
        let t = match c {
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' => "g",
            'д' => "d",
            'е' | 'ё' | 'э' => "e",
            'ж' => "zh",
            'з' => "z",
            'и' | 'ы' | 'і' => "i",
            'й' => "y",
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' | 'ў' => "u",
            'ф' => "f",
            'х' => "kh",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "shch",
            'ъ' | 'ь' => "",
            'ю' => "yu",
            'я' => "ya",
            'є' => "ye",
            'ї' => "yi",
            'ґ' => "g",
            'қ' => "k",
            'ғ' => "g",
            'ң' => "n",
            'ү' | 'ұ' => "u",
            'ө' => "o",
            'һ' => "h",
            'ә' => "a",
            _ => {
                out.push(c);
                continue;
            }
        };
        out.push_str(t);
    }
    out
}

/// A consonant skeleton for names written in two scripts: `Трамп` and
/// `Trump` both give `trm`, `Каванаф`/`Kavanaugh` `kvn`. Vowels dropped,
/// similar sounds merged, doubled letters once, the first three kept.
pub fn skeleton(latin: &str) -> Option<String> {
    let s = strip_accents(latin).to_lowercase();
    if s.chars().count() < 4 {
        return None;
    }
    let s = s
        .replace("ph", "f")
        .replace("kh", "h")
        .replace("ck", "k")
        .replace("sch", "sh")
        .replace("tch", "ch")
        .replace("th", "t")
        .replace("gh", "")
        .replace('x', "ks");
    let mut out = String::new();
    let mut last = ' ';
    for c in s.chars() {
        let c = match c {
            'c' | 'q' => 'k',
            'w' => 'v',
            'j' => 'y',
            'z' => 's',
            _ => c,
        };
        if matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'h' | '\'' | '-')
            || !c.is_ascii_alphabetic()
        {
            last = ' ';
            continue;
        }
        if c != last {
            out.push(c);
        }
        last = c;
        if out.len() == 3 {
            break;
        }
    }
    (out.len() >= 2).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forms(lang: &str, s: &str) -> Vec<String> {
        let t = Tokenized::new(&Lang::parse(lang).unwrap(), &[s]);
        t.sentences[0]
            .iter()
            .map(|&i| t.types[i as usize].form.clone())
            .collect()
    }

    #[test]
    fn english_stems_numbers_and_punctuation() {
        assert_eq!(
            forms(
                "en",
                "On 17 May 2018, the 8th Meeting of agencies? 1.5 million"
            ),
            [
                "on",
                "17",
                "may",
                "2018",
                "the",
                "8",
                "meet",
                "of",
                "agenc",
                "?",
                "1.5*1500000",
                "million"
            ]
        );
    }

    #[test]
    fn russian_numbers_with_spaces() {
        assert_eq!(
            forms("ru", "Изъято 1 500 кг, рост 3,5 %; «8-е» совещание"),
            [
                "изъят",
                "1500",
                "кг",
                "рост",
                "3.5",
                "%",
                "\"",
                "8",
                "е",
                "\"",
                "совещан"
            ]
        );
        assert_eq!(forms("ru", "5 млн. рублей")[0], "5*5000000");
    }

    #[test]
    fn chinese_words_numerals_and_latin() {
        let f = forms("zh", "二〇一八年，上海合作组织（SCO）第八次会议有150万人？");
        assert!(f.contains(&"2018".to_string()), "{f:?}");
        assert!(
            f.contains(&"8".to_string()) || f.contains(&"第八次".to_string()),
            "{f:?}"
        );
        assert!(f.contains(&"sco".to_string()), "{f:?}");
        assert!(f.contains(&"150*1500000".to_string()), "{f:?}");
        assert!(f.contains(&"?".to_string()), "{f:?}");
        assert!(f.contains(&"(".to_string()), "{f:?}");
    }

    #[test]
    fn skeletons_and_translit() {
        assert_eq!(skeleton(&translit("трамп")), skeleton("trump"));
        assert_eq!(skeleton(&translit("каванаф")).as_deref(), Some("kvn"));
        assert_eq!(skeleton("kavanaugh").as_deref(), Some("kvn"));
        assert_eq!(skeleton(&translit("дейли")), skeleton("daley"));
        assert_eq!(strip_accents("expédition"), "expedition");
        assert!(is_latin_word("café"));
        assert!(!is_latin_word("кафе"));
    }

    #[test]
    fn long_sentences_are_capped() {
        let s = "word ".repeat(5000);
        let t = Tokenized::new(&Lang::en(), &[s.as_str()]);
        assert_eq!(t.sentences[0].len(), MAX_TOKENS);
        assert_eq!(t.chars[0], 20000);
    }
}

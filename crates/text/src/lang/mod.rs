//! Languages: their tags, and their profiles.
//!
//! **Tags.** Parsing, canonical spelling, and the lookup key that makes
//! `zh`, `zh-CN`, `zh-Hans`, `zh_CN` and `zh-SG` one language while keeping
//! `zh-TW` / `zh-Hant` apart. A [`LangTag`] keeps the tag as the file wrote
//! it (in canonical BCP 47 casing, `zh_CN` → `zh-CN`) for export, and a
//! [`Lang`] key for lookups.
//!
//! **Profiles.** Everything polytm knows about a language — abbreviations,
//! month names, ordinals, number conventions, stopwords, stemmer, script,
//! how names inflect — is in one [`Profile`], written in one file per
//! language (`en.rs`, `ru.rs`, `zh.rs`); languages without a file get the
//! generic rules and the little [`generic`] knows of them. The algorithms
//! (segmentation, tokenisation, repairs, the aligner, the glossary) ask
//! [`Lang::profile`] instead of matching on the language.
//!
//! Adding a language is one file here defining `pub static PROFILE:
//! Profile` (start from `..BASE`, see `en.rs`) and one line in the
//! `languages!` list below.

use std::collections::HashMap;
use std::fmt;
use std::sync::LazyLock;

use serde::{Serialize, Serializer};

pub mod generic;
pub mod profile;

pub use profile::{Profile, Script};

/// Declares the language files and registers their profiles: one line a
/// language.
macro_rules! languages {
    ($($(#[$attr:meta])* $file:ident,)*) => {
        $($(#[$attr])* pub mod $file;)*
        /// The profiles of the language files.
        static REGISTERED: &[&Profile] = &[$($(#[$attr])* &$file::PROFILE,)*];
    };
}

languages! {
    en,
    ru,
    zh,
    // A toy profile that the tests add the way a language is added.
    #[cfg(test)]
    eo,
}

/// Profiles by primary subtag: the language files, then the generic lines.
static BY_CODE: LazyLock<HashMap<&'static str, &'static Profile>> = LazyLock::new(|| {
    let mut m = HashMap::new();
    for p in generic::OTHERS.iter().chain(REGISTERED.iter().copied()) {
        for &code in p.codes {
            m.insert(code, p);
        }
    }
    m
});

/// The profile for a primary language subtag (`en`, `zh`); the generic
/// one for a language polytm knows nothing about.
pub fn profile(primary: &str) -> &'static Profile {
    BY_CODE.get(primary).copied().unwrap_or(&generic::DEFAULT)
}

/// Every profile: the language files and the generic lines.
pub fn profiles() -> impl Iterator<Item = &'static Profile> {
    REGISTERED
        .iter()
        .copied()
        .chain(generic::OTHERS.iter())
        .filter(|p| std::ptr::eq(profile(p.code()), *p))
}

/// The lookup key of a language: `en`, `ru`, `zh` (Simplified), `zh-Hant`,
/// `de`, `uz-Cyrl` ... Two tags with the same key are one language.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Lang(String);

impl Lang {
    pub fn en() -> Lang {
        Lang("en".into())
    }
    pub fn ru() -> Lang {
        Lang("ru".into())
    }
    pub fn zh() -> Lang {
        Lang("zh".into())
    }

    /// Parse a tag and return its key (`ZH_cn` → `zh`).
    pub fn parse(s: &str) -> Result<Lang, String> {
        LangTag::parse(s).map(|t| t.lang)
    }

    /// Rebuild a key read back from the database (already canonical).
    pub fn from_key(key: &str) -> Lang {
        Lang(key.to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The primary language subtag: `zh` for `zh-Hant`.
    pub fn primary(&self) -> &str {
        self.0.split('-').next().unwrap_or(&self.0)
    }

    /// What polytm knows about the language (`zh-Hant` has the profile of
    /// `zh`).
    pub fn profile(&self) -> &'static Profile {
        profile(self.primary())
    }

    /// Written without spaces between words (Han, kana, Thai ...): matched
    /// by substring, measured in characters.
    pub fn is_unspaced(&self) -> bool {
        self.profile().unspaced
    }
}

/// Sort key putting en, ru, zh first and the other languages after, by code.
pub fn lang_order(l: &Lang) -> (u8, String) {
    let rank = match l.as_str() {
        "en" => 0,
        "ru" => 1,
        "zh" => 2,
        "zh-Hant" => 3,
        _ => 4,
    };
    (rank, l.as_str().to_string())
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Lang {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// A language tag as a file wrote it, canonically cased, with its key.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LangTag {
    /// Canonical BCP 47 spelling of the tag as written: `zh-CN`, `en-GB`, `ru`.
    pub tag: String,
    /// The lookup key.
    pub lang: Lang,
}

impl fmt::Display for LangTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.tag)
    }
}

impl LangTag {
    /// Parse `en`, `en-US`, `ru_RU`, `ZH-cn`, `zh-Hans-CN`, `eng`, `x-klingon`
    /// is refused. The error is a short phrase, the caller adds the file.
    pub fn parse(input: &str) -> Result<LangTag, String> {
        let s = input.trim();
        if s.is_empty() {
            return Err("empty language code".into());
        }
        let parts: Vec<&str> = s.split(['-', '_']).collect();
        let primary_in = parts[0].to_ascii_lowercase();
        if !(2..=3).contains(&primary_in.len())
            || !primary_in.bytes().all(|b| b.is_ascii_lowercase())
        {
            return Err(unknown(s));
        }
        let primary = canonical_primary(&primary_in).ok_or_else(|| unknown(s))?;
        let mut tag = String::from(primary);
        let mut script: Option<String> = None;
        let mut region: Option<String> = None;
        let mut private = false;
        for (i, p) in parts.iter().enumerate().skip(1) {
            if p.is_empty() || p.len() > 8 || !p.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return Err(format!("malformed language tag '{s}'"));
            }
            tag.push('-');
            if private {
                tag.push_str(&p.to_ascii_lowercase());
            } else if p.eq_ignore_ascii_case("x") {
                private = true;
                tag.push('x');
            } else if i == 1 && p.len() == 4 && p.bytes().all(|b| b.is_ascii_alphabetic()) {
                let mut sc = p.to_ascii_lowercase();
                sc[..1].make_ascii_uppercase();
                tag.push_str(&sc);
                script = Some(sc);
            } else if region.is_none()
                && ((p.len() == 2 && p.bytes().all(|b| b.is_ascii_alphabetic()))
                    || (p.len() == 3 && p.bytes().all(|b| b.is_ascii_digit())))
            {
                let r = p.to_ascii_uppercase();
                tag.push_str(&r);
                region = Some(r);
            } else if p.len() >= 4 {
                tag.push_str(&p.to_ascii_lowercase());
            } else {
                return Err(format!("malformed language tag '{s}'"));
            }
        }
        let key = lookup_key(primary, script.as_deref(), region.as_deref());
        Ok(LangTag {
            tag,
            lang: Lang(key),
        })
    }

    /// A tag for a bare key (used when only the key is known).
    pub fn from_lang(lang: &Lang) -> LangTag {
        LangTag {
            tag: lang.0.clone(),
            lang: lang.clone(),
        }
    }
}

/// Parse a comma-separated list: `en,ru,zh`.
pub fn parse_list(s: &str) -> Result<Vec<LangTag>, String> {
    let tags = s
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(LangTag::parse)
        .collect::<Result<Vec<_>, _>>()?;
    if tags.is_empty() {
        return Err("no language given".into());
    }
    for (i, t) in tags.iter().enumerate() {
        if tags[..i].iter().any(|u| u.lang == t.lang) {
            return Err(format!("language '{}' given twice", t.tag));
        }
    }
    Ok(tags)
}

fn unknown(s: &str) -> String {
    match suggest(s) {
        Some(code) => format!("unknown language code '{s}' (did you mean '{code}'?)"),
        None => format!("unknown language code '{s}'"),
    }
}

/// Header cells people write instead of codes.
fn suggest(s: &str) -> Option<&'static str> {
    let l = s.to_lowercase();
    Some(match l.as_str() {
        "english" | "englisch" | "английский" | "英语" | "英文" => "en",
        "russian" | "русский" | "俄语" | "俄文" => "ru",
        "chinese" | "китайский" | "中文" | "汉语" | "简体中文" => "zh",
        "german" | "deutsch" => "de",
        "french" | "français" | "francais" => "fr",
        "kazakh" => "kk",
        "kyrgyz" => "ky",
        "tajik" => "tg",
        "uzbek" => "uz",
        _ => return None,
    })
}

/// Key: primary, plus the script where one language is written in two.
fn lookup_key(primary: &str, script: Option<&str>, region: Option<&str>) -> String {
    if primary == "zh" {
        let traditional = match script {
            Some("Hant") => true,
            Some(_) => false,
            None => matches!(region, Some("TW" | "HK" | "MO")),
        };
        return if traditional {
            "zh-Hant".into()
        } else {
            "zh".into()
        };
    }
    // Languages commonly written in two scripts: keep the non-default apart.
    let default_script = match primary {
        "sr" | "kk" | "ky" | "tg" | "mn" | "az" | "uz" | "tk" | "bs" | "pa" | "ku" | "ha"
        | "ms" => match primary {
            "sr" | "kk" | "ky" | "tg" | "mn" => "Cyrl",
            "pa" => "Guru",
            "ku" | "ha" | "ms" => "Latn",
            _ => "Latn",
        },
        _ => return primary.to_string(),
    };
    match script {
        Some(sc) if sc != default_script => format!("{primary}-{sc}"),
        _ => primary.to_string(),
    }
}

/// ISO 639-1 codes, and ISO 639-2/3 codes mapped to them where one exists.
fn canonical_primary(code: &str) -> Option<&'static str> {
    const ISO639_1: &str = "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs \
        ca ce ch co cr cs cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd \
        gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj \
        kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt \
        my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa \
        sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt \
        tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu";
    // ISO 639-2 (B and T) and 639-3 spellings of 639-1 languages, and old codes.
    const ALIASES: &[(&str, &str)] = &[
        ("eng", "en"),
        ("rus", "ru"),
        ("zho", "zh"),
        ("chi", "zh"),
        ("cmn", "zh"),
        ("deu", "de"),
        ("ger", "de"),
        ("fra", "fr"),
        ("fre", "fr"),
        ("spa", "es"),
        ("ita", "it"),
        ("por", "pt"),
        ("ara", "ar"),
        ("jpn", "ja"),
        ("kor", "ko"),
        ("ukr", "uk"),
        ("bel", "be"),
        ("kaz", "kk"),
        ("kir", "ky"),
        ("tgk", "tg"),
        ("uzb", "uz"),
        ("tuk", "tk"),
        ("mon", "mn"),
        ("hin", "hi"),
        ("urd", "ur"),
        ("fas", "fa"),
        ("per", "fa"),
        ("pus", "ps"),
        ("tur", "tr"),
        ("pol", "pl"),
        ("ces", "cs"),
        ("cze", "cs"),
        ("nld", "nl"),
        ("dut", "nl"),
        ("swe", "sv"),
        ("fin", "fi"),
        ("ell", "el"),
        ("gre", "el"),
        ("heb", "he"),
        ("iw", "he"),
        ("in", "id"),
        ("ji", "yi"),
        ("ind", "id"),
        ("vie", "vi"),
        ("tha", "th"),
        ("hun", "hu"),
        ("ron", "ro"),
        ("rum", "ro"),
        ("bul", "bg"),
        ("srp", "sr"),
        ("hrv", "hr"),
        ("slk", "sk"),
        ("slo", "sk"),
        ("slv", "sl"),
        ("dan", "da"),
        ("nor", "no"),
        ("est", "et"),
        ("lav", "lv"),
        ("lit", "lt"),
        ("kat", "ka"),
        ("geo", "ka"),
        ("hye", "hy"),
        ("arm", "hy"),
        ("aze", "az"),
    ];
    // 639-2/3 languages without a two-letter code that translators meet.
    const THREE_ONLY: &str = "yue wuu hak nan gan hsn fil ceb haw ast ckb kab sah tyv alt bak \
        chv udm kom krc kbd ady che inh ava lez dar tat crh uig oss mhr mrj myv mdf grc lat \
        san syr cop gsw frr nds hsb dsb csb rue szl sco yid mul und zxx";
    if code.len() == 2 {
        if let Some(&(_, to)) = ALIASES.iter().find(|(a, _)| *a == code) {
            return Some(to);
        }
        return ISO639_1.split_ascii_whitespace().find(|c| *c == code);
    }
    if let Some(&(_, to)) = ALIASES.iter().find(|(a, _)| *a == code) {
        return Some(to);
    }
    THREE_ONLY.split_ascii_whitespace().find(|c| *c == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> String {
        Lang::parse(s).unwrap().0
    }

    #[test]
    fn chinese_simplified_family_is_one_language() {
        for t in [
            "zh",
            "zh-CN",
            "zh-Hans",
            "zh_CN",
            "ZH-cn",
            "zh-SG",
            "zh-Hans-CN",
            "chi",
            "zho",
        ] {
            assert_eq!(key(t), "zh", "{t}");
        }
    }

    #[test]
    fn traditional_chinese_kept_apart() {
        for t in ["zh-TW", "zh-HK", "zh-Hant", "zh_tw", "zh-Hant-TW", "zh-MO"] {
            assert_eq!(key(t), "zh-Hant", "{t}");
        }
    }

    #[test]
    fn regions_fold_for_en_and_ru() {
        assert_eq!(key("en-US"), "en");
        assert_eq!(key("en-GB"), "en");
        assert_eq!(key("EN_gb"), "en");
        assert_eq!(key("ru-RU"), "ru");
        assert_eq!(key("rus"), "ru");
        assert_eq!(key("de-CH"), "de");
        assert_eq!(key("uz-Cyrl"), "uz-Cyrl");
        assert_eq!(key("uz-Latn"), "uz");
    }

    #[test]
    fn canonical_spelling_is_kept_for_export() {
        assert_eq!(LangTag::parse("zh_cn").unwrap().tag, "zh-CN");
        assert_eq!(LangTag::parse("ZH-hans-cn").unwrap().tag, "zh-Hans-CN");
        assert_eq!(LangTag::parse("en-gb").unwrap().tag, "en-GB");
        assert_eq!(LangTag::parse("es-419").unwrap().tag, "es-419");
        assert_eq!(LangTag::parse(" ru ").unwrap().tag, "ru");
    }

    #[test]
    fn invalid_tags_are_errors() {
        for t in [
            "", "x", "english1", "qq", "zz-ZZ", "en--US", "en-US-", "e n", "xyz",
        ] {
            assert!(LangTag::parse(t).is_err(), "{t} should fail");
        }
        let e = LangTag::parse("English").unwrap_err();
        assert!(e.contains("did you mean 'en'"), "{e}");
    }

    #[test]
    fn profiles_by_key() {
        let code = |t: &str| Lang::parse(t).unwrap().profile().code();
        assert_eq!(code("zh-TW"), "zh");
        assert_eq!(code("ru"), "ru");
        assert_eq!(code("fr"), "fr");
        assert_eq!(code("nb"), "no");
        assert_eq!(
            code("sw"),
            "und",
            "a language without a profile: generic rules"
        );
        assert!(Lang::parse("zh").unwrap().is_unspaced());
        assert!(Lang::parse("ja").unwrap().is_unspaced());
        assert!(!Lang::parse("en").unwrap().is_unspaced());
        // every code of a profile is a language code, served once
        for p in profiles() {
            for c in p.codes {
                assert_eq!(LangTag::parse(c).map(|t| t.tag).as_deref(), Ok(*c));
            }
        }
        let mut codes: Vec<&str> = profiles().flat_map(|p| p.codes.iter().copied()).collect();
        let n = codes.len();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), n);
    }

    #[test]
    fn lists() {
        let l = parse_list("en,ru, zh-CN").unwrap();
        assert_eq!(l.len(), 3);
        assert_eq!(l[2].tag, "zh-CN");
        assert!(parse_list("en,en-US").is_err());
        assert!(parse_list("").is_err());
    }
}

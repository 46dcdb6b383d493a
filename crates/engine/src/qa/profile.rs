//! A team's rules for `qa`: which checks run, their severities, the words
//! that may stay untranslated, extra forbidden terms. Read from a TOML file
//! (`--profile`), then narrowed by `--checks`.
//!
//! ```toml
//! # checks: true/false switches one on or off; "error"/"warning" switches
//! # it on with that severity
//! [checks]
//! length = false
//! punctuation = "error"
//!
//! [untranslated]
//! # may stay as in the source (whole words, or a whole segment)
//! allow = ["UN", "OK", "LibreOffice"]
//!
//! [[forbidden]]
//! lang = "ru"
//! term = "Киргизия"          # found in any inflection
//! use = "Кыргызстан"         # said in the message (optional)
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Deserialize;

use super::{Check, Severity};
use polytm_core::{Error, Pos, Result, display_path};

/// What a run checks and how it rates what it finds.
#[derive(Debug, Clone)]
pub struct Settings {
    enabled: BTreeSet<Check>,
    severities: BTreeMap<Check, Severity>,
    /// Words (folded) that may stay as in the source.
    pub untranslated_allow: Vec<String>,
    pub forbidden: Vec<ForbiddenTerm>,
}

/// A term that must not be used.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ForbiddenTerm {
    pub lang: String,
    pub term: String,
    #[serde(rename = "use", default)]
    pub instead: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            enabled: Check::ALL.into_iter().collect(),
            severities: BTreeMap::new(),
            untranslated_allow: Vec::new(),
            forbidden: Vec::new(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    checks: BTreeMap<String, Switch>,
    #[serde(default)]
    untranslated: Untranslated,
    #[serde(default)]
    forbidden: Vec<ForbiddenTerm>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Switch {
    On(bool),
    Severity(String),
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Untranslated {
    #[serde(default)]
    allow: Vec<String>,
}

impl Settings {
    /// Only these checks, with their default severities.
    pub fn only(checks: &[Check]) -> Settings {
        Settings {
            enabled: checks.iter().copied().collect(),
            ..Settings::default()
        }
    }

    pub fn enabled(&self, c: Check) -> bool {
        self.enabled.contains(&c)
    }

    pub fn severity(&self, c: Check) -> Severity {
        self.severities
            .get(&c)
            .copied()
            .unwrap_or_else(|| c.default_severity())
    }

    /// The checks that run, in their order.
    pub fn checks(&self) -> Vec<Check> {
        self.enabled.iter().copied().collect()
    }

    /// Read a profile file.
    pub fn from_file(path: &Path) -> Result<Settings> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Settings::from_toml(&text, &display_path(path))
    }

    /// Read a profile from TOML text; `file` names it in errors.
    pub fn from_toml(text: &str, file: &str) -> Result<Settings> {
        let parsed: File = toml::from_str(text).map_err(|e| {
            let pos = e.span().map(|s| {
                let (line, col) = polytm_formats::input::line_col(text, s.start);
                Pos::LineCol(line, col)
            });
            let msg = e.message().lines().next().unwrap_or("").to_string();
            Error::input(file, pos, msg)
        })?;
        let mut s = Settings::default();
        for (name, switch) in parsed.checks {
            let Some(c) = Check::parse(&name) else {
                return Err(Error::input(
                    file,
                    None,
                    format!("[checks]: unknown check '{name}' ({})", names()),
                ));
            };
            match switch {
                Switch::On(true) => {
                    s.enabled.insert(c);
                }
                Switch::On(false) => {
                    s.enabled.remove(&c);
                }
                Switch::Severity(v) => {
                    let sev = match v.as_str() {
                        "error" => Severity::Error,
                        "warning" => Severity::Warning,
                        "off" => {
                            s.enabled.remove(&c);
                            continue;
                        }
                        _ => {
                            return Err(Error::input(
                                file,
                                None,
                                format!(
                                    "[checks] {name} = \"{v}\": say true, false, \"error\", \"warning\" or \"off\""
                                ),
                            ));
                        }
                    };
                    s.enabled.insert(c);
                    s.severities.insert(c, sev);
                }
            }
        }
        s.untranslated_allow = parsed
            .untranslated
            .allow
            .iter()
            .map(|w| polytm_text::fold(w))
            .filter(|w| !w.is_empty())
            .collect();
        for f in &parsed.forbidden {
            if polytm_text::lang::LangTag::parse(&f.lang).is_err() || f.term.trim().is_empty() {
                return Err(Error::input(
                    file,
                    None,
                    format!(
                        "[[forbidden]]: needs a language code and a term (lang = \"{}\", term = \"{}\")",
                        f.lang, f.term
                    ),
                ));
            }
        }
        s.forbidden = parsed.forbidden;
        Ok(s)
    }

    /// Narrow (or widen) the checks by a `--checks` list: names run only
    /// those; `-name` switches one off (`all,-length`, or `-length` alone
    /// from what the profile runs); `all` is every check.
    pub fn apply_list(&mut self, list: &str) -> Result<()> {
        let items: Vec<&str> = list
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        if items.iter().any(|i| !i.starts_with('-')) {
            self.enabled.clear();
        }
        for item in items {
            let (off, name) = match item.strip_prefix('-') {
                Some(n) => (true, n),
                None => (false, item),
            };
            let checks: Vec<Check> = if name == "all" {
                Check::ALL.to_vec()
            } else {
                vec![Check::parse(name).ok_or_else(|| {
                    Error::usage(format!("--checks: unknown check '{name}' ({})", names()))
                })?]
            };
            for c in checks {
                if off {
                    self.enabled.remove(&c);
                } else {
                    self.enabled.insert(c);
                }
            }
        }
        Ok(())
    }
}

fn names() -> String {
    let v: Vec<&str> = Check::ALL.iter().map(|c| c.name()).collect();
    format!("the checks are {}", v.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_switches_rates_and_lists() {
        let s = Settings::from_toml(
            "[checks]\nlength = false\npunctuation = \"error\"\n\n[untranslated]\nallow = [\"UN\", \"OK\"]\n\n[[forbidden]]\nlang = \"ru\"\nterm = \"Киргизия\"\nuse = \"Кыргызстан\"\n",
            "team.toml",
        )
        .unwrap();
        assert!(!s.enabled(Check::Length));
        assert!(s.enabled(Check::Term));
        assert_eq!(s.severity(Check::Punctuation), Severity::Error);
        assert_eq!(s.severity(Check::Spacing), Severity::Warning);
        assert_eq!(s.untranslated_allow, ["un", "ok"]);
        assert_eq!(s.forbidden[0].instead.as_deref(), Some("Кыргызстан"));
    }

    #[test]
    fn bad_profiles_name_the_file_and_place() {
        let e = Settings::from_toml("[checks]\nlenght = false\n", "t.toml").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("t.toml: [checks]: unknown check 'lenght'"),
            "{e}"
        );
        let e = Settings::from_toml("[checks\n", "t.toml").unwrap_err();
        assert!(e.to_string().starts_with("t.toml:1:"), "{e}");
        assert_eq!(e.exit_code(), 3);
        let e = Settings::from_toml("[checks]\nterm = \"loud\"\n", "t.toml").unwrap_err();
        assert!(e.to_string().contains("\"loud\""), "{e}");
    }

    #[test]
    fn check_lists() {
        let mut s = Settings::default();
        s.apply_list("term,number").unwrap();
        assert_eq!(s.checks(), [Check::Term, Check::Number]);
        let mut s = Settings::default();
        s.apply_list("-length,-repeat").unwrap();
        assert!(!s.enabled(Check::Length) && !s.enabled(Check::Repeat) && s.enabled(Check::Tag));
        let mut s = Settings::default();
        s.apply_list("all,-term").unwrap();
        assert_eq!(s.checks().len(), Check::ALL.len() - 1);
        assert_eq!(s.apply_list("nope").unwrap_err().exit_code(), 2);
    }
}

//! Checking translations (`polytm qa`): units of a bilingual file (or of
//! the translation memory) in, findings out.
//!
//! A [`Finding`] is a value: the file and unit it is about, the [`Check`]
//! that raised it, a [`Severity`], a message for people and the span it
//! points at in the source and/or target, in characters of the text as read
//! (inline codes of XLIFF and TMX counted as their markup: see
//! [`input`]).
//!
//! The checks, one file per group, each a function of one unit (or, for
//! consistency, of all units):
//!
//! | check | file | what |
//! |---|---|---|
//! | `term` | [`terms`] | glossary concepts of the source rendered by an allowed target term (any inflection); deprecated and forbidden terms |
//! | `number` | [`numbers`] | numbers, ordinals, dates, thousands separators |
//! | `tag` | [`tags`] | inline codes and placeholders |
//! | `empty`, `untranslated`, `repeat`, `length` | [`content`] | what the target holds |
//! | `spacing`, `brackets`, `punctuation`, `script` | [`typography`] | how it is written |
//! | `inconsistent` | [`consistency`] | one source, several targets (or the reverse), in the file and against the TM |
//!
//! What a team switches on and off, the severities and the exceptions come
//! from a [`profile`] file; [`report`] writes the HTML page.

pub mod consistency;
pub mod content;
pub mod input;
pub mod numbers;
pub mod profile;
pub mod report;
pub mod tags;
pub mod terms;
pub mod typography;

use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use polytm_glossary::Glossary;
use polytm_text::lang::{Lang, LangTag};
use polytm_text::tokenize::{Token, tokenize};

pub use input::{Batch, Code, Text, Unit};
pub use profile::Settings;

/// The checks, by the names the command line and the JSON use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Check {
    Term,
    Number,
    Tag,
    Empty,
    Untranslated,
    Inconsistent,
    Spacing,
    Brackets,
    Script,
    Repeat,
    Punctuation,
    Length,
}

impl Check {
    pub const ALL: [Check; 12] = [
        Check::Term,
        Check::Number,
        Check::Tag,
        Check::Empty,
        Check::Untranslated,
        Check::Inconsistent,
        Check::Spacing,
        Check::Brackets,
        Check::Script,
        Check::Repeat,
        Check::Punctuation,
        Check::Length,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Check::Term => "term",
            Check::Number => "number",
            Check::Tag => "tag",
            Check::Empty => "empty",
            Check::Untranslated => "untranslated",
            Check::Inconsistent => "inconsistent",
            Check::Spacing => "spacing",
            Check::Brackets => "brackets",
            Check::Script => "script",
            Check::Repeat => "repeat",
            Check::Punctuation => "punctuation",
            Check::Length => "length",
        }
    }

    pub fn parse(s: &str) -> Option<Check> {
        Check::ALL.into_iter().find(|c| c.name() == s)
    }

    /// What it looks for, in a few words (help texts, the HTML report).
    pub fn about(self) -> &'static str {
        match self {
            Check::Term => {
                "glossary terms rendered by an allowed term, in any inflection; deprecated and forbidden terms"
            }
            Check::Number => {
                "numbers, ordinals, dates and thousands separators of the source in the target"
            }
            Check::Tag => "inline codes and placeholders (%s, {0}, <b>) kept",
            Check::Empty => "a blank or missing target",
            Check::Untranslated => "target = source (unless it is only numbers, names or codes)",
            Check::Inconsistent => {
                "one source with several targets, or one target for several sources"
            }
            Check::Spacing => {
                "doubled spaces, leading or trailing space, a space before punctuation"
            }
            Check::Brackets => "unpaired brackets and quotes",
            Check::Script => "Latin look-alike letters in Cyrillic words, and the reverse",
            Check::Repeat => "a doubled word",
            Check::Punctuation => "final mark; half-width marks next to Chinese characters",
            Check::Length => "a length far outside the language pair's norm",
        }
    }

    /// The severity when a profile says nothing.
    pub fn default_severity(self) -> Severity {
        match self {
            Check::Term
            | Check::Number
            | Check::Tag
            | Check::Empty
            | Check::Untranslated
            | Check::Script => Severity::Error,
            _ => Severity::Warning,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A span in characters: `[start, end)`.
pub type Span = (usize, usize);

/// One finding, serialised as the `qa --json` contract says.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub file: String,
    pub unit: String,
    pub check: Check,
    pub severity: Severity,
    pub message: String,
    pub source: Option<Span>,
    pub target: Option<Span>,
    /// The unit's texts, for showing the segment with the span marked.
    #[serde(skip)]
    pub texts: Arc<Texts>,
}

/// The source and target a finding is about, as read.
#[derive(Debug, Clone, Default)]
pub struct Texts {
    pub source: String,
    pub target: Option<String>,
}

/// What a check reports: a message and spans; the checker adds the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub check: Check,
    pub message: String,
    pub source: Option<Span>,
    pub target: Option<Span>,
}

impl Issue {
    pub fn new(check: Check, message: impl Into<String>) -> Issue {
        Issue {
            check,
            message: message.into(),
            source: None,
            target: None,
        }
    }

    pub fn source(mut self, span: Span) -> Issue {
        self.source = Some(span);
        self
    }

    pub fn target(mut self, span: Span) -> Issue {
        self.target = Some(span);
        self
    }

    pub fn source_opt(mut self, span: Option<Span>) -> Issue {
        self.source = span;
        self
    }

    pub fn target_opt(mut self, span: Option<Span>) -> Issue {
        self.target = span;
        self
    }
}

/// One side of a unit, analysed once for every check: the text as read,
/// its characters with the inline codes masked out, and its tokens.
pub struct Side<'a> {
    pub lang: &'a Lang,
    pub text: &'a Text,
    /// The characters of the text, each character of an inline code
    /// replaced by [`MASK`] (so offsets stay those of the text).
    pub chars: Vec<char>,
    /// The same characters as a string (what recognisers scan).
    pub masked: String,
    /// Tokens of the masked text (offsets in characters of the text).
    pub tokens: Vec<Token>,
}

/// What stands for the characters of inline codes in [`Side::chars`].
pub const MASK: char = '\u{FFFC}';

impl<'a> Side<'a> {
    pub fn new(lang: &'a Lang, text: &'a Text) -> Side<'a> {
        let mut chars: Vec<char> = text.text.chars().collect();
        for c in &text.codes {
            for ch in &mut chars[c.start..c.end.min(text.len())] {
                *ch = MASK;
            }
        }
        let masked: String = if text.codes.is_empty() {
            text.text.clone()
        } else {
            chars.iter().collect()
        };
        let tokens = tokenize(&masked, lang)
            .into_iter()
            .filter(|t| !t.key.starts_with(MASK))
            .collect();
        Side {
            lang,
            text,
            chars,
            masked,
            tokens,
        }
    }

    /// The characters `s..e` of the text.
    pub fn slice(&self, (s, e): Span) -> String {
        self.text.text.chars().skip(s).take(e - s).collect()
    }

    /// The text of a token as written.
    pub fn token_text(&self, t: &Token) -> String {
        self.chars[t.start..t.end].iter().collect()
    }

    /// Whether the side has text other than white space and codes.
    pub fn has_text(&self) -> bool {
        self.chars.iter().any(|&c| c != MASK && !c.is_whitespace())
    }
}

/// Everything the checks of one run share: the languages, the settings,
/// the glossary's recognisers.
pub struct Checker {
    pub from: LangTag,
    pub to: LangTag,
    pub settings: Settings,
    pub terms: Option<terms::TermCheck>,
    pub forbidden: Option<terms::Forbidden>,
    pub length: content::LengthNorm,
}

impl Checker {
    pub fn new(from: &LangTag, to: &LangTag, glossary: &Glossary, settings: Settings) -> Checker {
        let terms = (!glossary.is_empty()).then(|| terms::TermCheck::new(glossary, from, to));
        let forbidden = terms::Forbidden::new(&settings.forbidden, &to.lang);
        Checker {
            from: from.clone(),
            to: to.clone(),
            length: content::LengthNorm::of(&from.lang, &to.lang),
            settings,
            terms,
            forbidden,
        }
    }

    pub fn enabled(&self, c: Check) -> bool {
        self.settings.enabled(c)
    }

    /// The issues of one unit (every check but `inconsistent`).
    pub fn check_unit(&self, unit: &Unit) -> Vec<Issue> {
        let mut out = Vec::new();
        let src = Side::new(&self.from.lang, &unit.source);
        if !src.has_text() {
            return out;
        }
        let tgt_text = match &unit.target {
            Some(t) => t,
            None => {
                if self.enabled(Check::Empty) {
                    out.push(Issue::new(Check::Empty, "no translation"));
                }
                return out;
            }
        };
        let tgt = Side::new(&self.to.lang, tgt_text);
        if !tgt.has_text() {
            if self.enabled(Check::Empty) {
                let what = if tgt_text.text.is_empty() {
                    "the translation is empty"
                } else if tgt_text.text.trim().is_empty() {
                    "the translation is only white space"
                } else {
                    "the translation holds only inline codes"
                };
                out.push(Issue::new(Check::Empty, what));
            }
            return out;
        }
        let u = UnitSides { src, tgt };
        if self.enabled(Check::Untranslated)
            && let Some(i) = content::untranslated(self, &u)
        {
            // a copy of the source: the other checks would only repeat it
            out.push(i);
            return out;
        }
        let names = match &self.terms {
            Some(t) if self.enabled(Check::Term) || self.enabled(Check::Number) => t.read(&u),
            _ => terms::Names::default(),
        };
        if self.enabled(Check::Term) {
            if let Some(t) = &self.terms {
                t.check(&names, &mut out);
            }
            if let Some(f) = &self.forbidden {
                f.check(&u, &mut out);
            }
        }
        if self.enabled(Check::Number) {
            numbers::check(&u, &names.shared(), &mut out);
        }
        if self.enabled(Check::Tag) {
            tags::check(&u, &mut out);
        }
        if self.enabled(Check::Spacing) {
            typography::spacing(&u, &mut out);
        }
        if self.enabled(Check::Brackets) {
            typography::brackets(&u, &mut out);
        }
        if self.enabled(Check::Script) {
            typography::script(&u, &mut out);
        }
        if self.enabled(Check::Punctuation) {
            typography::punctuation(&u, &mut out);
        }
        if self.enabled(Check::Repeat) {
            content::repeat(&u, &mut out);
        }
        if self.enabled(Check::Length) {
            self.length.check(&u, &mut out);
        }
        out
    }

    /// Check every unit of a batch (in parallel), then their consistency
    /// with each other and, when `tm` is given, with the translation
    /// memory; findings in unit order.
    pub fn check_batch(
        &self,
        batch: &Batch,
        tm: Option<Arc<dyn polytm_store::Database>>,
    ) -> polytm_core::Result<Vec<Finding>> {
        let mut per_unit: Vec<Vec<Issue>> =
            batch.units.par_iter().map(|u| self.check_unit(u)).collect();
        if self.enabled(Check::Inconsistent) {
            let mut more = consistency::in_batch(&batch.units);
            if let Some(db) = tm {
                more.extend(consistency::against_tm(
                    db,
                    &self.from.lang,
                    &self.to.lang,
                    &batch.units,
                )?);
            }
            for (i, issue) in more {
                per_unit[i].push(issue);
            }
        }
        Ok(self.findings(batch, per_unit))
    }

    /// Findings from issues (one list per unit of `batch`), with the
    /// settings' severities; issues of checks switched off are dropped.
    pub fn findings(&self, batch: &Batch, per_unit: Vec<Vec<Issue>>) -> Vec<Finding> {
        let mut out = Vec::new();
        for (unit, issues) in batch.units.iter().zip(per_unit) {
            if issues.is_empty() {
                continue;
            }
            let texts = Arc::new(Texts {
                source: unit.source.text.clone(),
                target: unit.target.as_ref().map(|t| t.text.clone()),
            });
            for i in issues {
                if !self.enabled(i.check) {
                    continue;
                }
                let message = match &unit.segment {
                    Some(s) => format!("segment {s}: {}", i.message),
                    None => i.message,
                };
                out.push(Finding {
                    file: batch.file.clone(),
                    unit: unit.id.clone(),
                    check: i.check,
                    severity: self.settings.severity(i.check),
                    message,
                    source: i.source,
                    target: i.target,
                    texts: texts.clone(),
                });
            }
        }
        out
    }
}

/// Both sides of a unit, analysed.
pub struct UnitSides<'a> {
    pub src: Side<'a>,
    pub tgt: Side<'a>,
}

/// Counts per check and severity, for summaries.
pub fn counts(findings: &[Finding]) -> Vec<(Check, usize, usize)> {
    Check::ALL
        .iter()
        .map(|&c| {
            let of: Vec<&Finding> = findings.iter().filter(|f| f.check == c).collect();
            let errors = of.iter().filter(|f| f.severity == Severity::Error).count();
            (c, errors, of.len() - errors)
        })
        .filter(|(_, e, w)| e + w > 0)
        .collect()
}

/// Whether any finding has severity error (the command exits 6).
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}

/// `text` cut at a span: before, inside, after (for marking it).
pub fn split_at_span(text: &str, (s, e): Span) -> (String, String, String) {
    let chars: Vec<char> = text.chars().collect();
    let s = s.min(chars.len());
    let e = e.clamp(s, chars.len());
    (
        chars[..s].iter().collect(),
        chars[s..e].iter().collect(),
        chars[e..].iter().collect(),
    )
}

/// A quoted piece of text for a message: `«text»`, cut when long.
pub fn quote(s: &str) -> String {
    let n = s.chars().count();
    if n > 60 {
        let head: String = s.chars().take(57).collect();
        format!("«{head}…»")
    } else {
        format!("«{s}»")
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! Helpers for the checks' unit tests.
    use super::*;

    /// The issues of one check on a pair of plain texts.
    pub fn issues(check: Check, from: &str, to: &str, src: &str, tgt: &str) -> Vec<Issue> {
        issues_with(&Glossary::default(), check, from, to, src, tgt)
    }

    /// The messages of one check on an English source.
    pub fn msgs(check: Check, to: &str, src: &str, tgt: &str) -> Vec<String> {
        issues(check, "en", to, src, tgt)
            .into_iter()
            .map(|i| i.message)
            .collect()
    }

    pub fn issues_with(
        glossary: &Glossary,
        check: Check,
        from: &str,
        to: &str,
        src: &str,
        tgt: &str,
    ) -> Vec<Issue> {
        let settings = Settings::only(&[check]);
        let c = Checker::new(
            &LangTag::parse(from).unwrap(),
            &LangTag::parse(to).unwrap(),
            glossary,
            settings,
        );
        let unit = Unit {
            id: "1".into(),
            segment: None,
            source: Text::plain(src),
            target: Some(Text::plain(tgt)),
        };
        c.check_unit(&unit)
            .into_iter()
            .filter(|i| i.check == check)
            .collect()
    }
}

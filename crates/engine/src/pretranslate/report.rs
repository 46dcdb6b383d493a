//! The match-band analysis: segments, words and characters per band
//! (101 % in context, repetitions, 100 %, 95–99 %, 85–94 %, 75–84 %,
//! 50–74 %, no match), per
//! file and in total, as a table for people, JSON for programs, and a
//! self-contained HTML page with a bar chart.
//!
//! A segment seen earlier in the batch (in the same file or an earlier
//! one) is a repetition, whatever its TM match: it is translated once;
//! unless it is in context (101 %): an exact match whose previous and next
//! segments are those of the TM unit is counted as such, before
//! repetitions, as memoQ and Trados do.
//! Words are counted as CAT tools count them: a Chinese (or Japanese)
//! character is one word; characters are counted without white space.

use std::fmt::Write as _;

use serde::Serialize;

use super::{Outcome, SourceDoc};
use polytm_text::lang::LangTag;

/// A match band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Band {
    /// 101 %: an exact match whose TM neighbours are the segment's
    /// (in-context exact, ICE); before repetitions, as memoQ and Trados
    /// count them.
    Context,
    Repetition,
    /// 100 %.
    Exact,
    /// 95–99 %.
    High,
    /// 85–94 %.
    Mid,
    /// 75–84 %.
    Low,
    /// 50–74 %.
    Fuzzy,
    NoMatch,
}

impl Band {
    pub const ALL: [Band; 8] = [
        Band::Context,
        Band::Repetition,
        Band::Exact,
        Band::High,
        Band::Mid,
        Band::Low,
        Band::Fuzzy,
        Band::NoMatch,
    ];

    /// The band of a best score (`None`: nothing found).
    pub fn of_score(score: Option<u8>) -> Band {
        match score {
            Some(100..) => Band::Exact,
            Some(95..=99) => Band::High,
            Some(85..=94) => Band::Mid,
            Some(75..=84) => Band::Low,
            Some(50..=74) => Band::Fuzzy,
            _ => Band::NoMatch,
        }
    }

    /// The name used in JSON.
    pub fn key(self) -> &'static str {
        match self {
            Band::Context => "context",
            Band::Repetition => "repetitions",
            Band::Exact => "100",
            Band::High => "95-99",
            Band::Mid => "85-94",
            Band::Low => "75-84",
            Band::Fuzzy => "50-74",
            Band::NoMatch => "no match",
        }
    }

    /// The name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Band::Context => "101% (context)",
            Band::Repetition => "Repetitions",
            Band::Exact => "100%",
            Band::High => "95–99%",
            Band::Mid => "85–94%",
            Band::Low => "75–84%",
            Band::Fuzzy => "50–74%",
            Band::NoMatch => "No match",
        }
    }

    fn index(self) -> usize {
        Band::ALL.iter().position(|&b| b == self).unwrap_or(0)
    }

    fn colour(self) -> &'static str {
        match self {
            Band::Context => "#1b5e20",
            Band::Repetition => "#7e57c2",
            Band::Exact => "#2e7d32",
            Band::High => "#66bb6a",
            Band::Mid => "#c0ca33",
            Band::Low => "#fbc02d",
            Band::Fuzzy => "#fb8c00",
            Band::NoMatch => "#e53935",
        }
    }
}

/// Segments, words and characters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub segments: usize,
    pub words: usize,
    pub characters: usize,
}

impl Counts {
    fn add(&mut self, o: &Counts) {
        self.segments += o.segments;
        self.words += o.words;
        self.characters += o.characters;
    }
}

/// The analysis of one file (or of all: the total).
#[derive(Debug, Clone, PartialEq)]
pub struct FileReport {
    pub file: String,
    pub bands: [Counts; 8],
    /// Segments whose XLIFF target was already filled and kept.
    pub kept: usize,
    /// Segments whose translation was written into the output.
    pub filled: usize,
}

impl FileReport {
    fn new(file: &str) -> FileReport {
        FileReport {
            file: file.to_string(),
            bands: [Counts::default(); 8],
            kept: 0,
            filled: 0,
        }
    }

    pub fn band(&self, b: Band) -> Counts {
        self.bands[b.index()]
    }

    pub fn total(&self) -> Counts {
        let mut t = Counts::default();
        for c in &self.bands {
            t.add(c);
        }
        t
    }

    fn add(&mut self, o: &FileReport) {
        for (a, b) in self.bands.iter_mut().zip(o.bands.iter()) {
            a.add(b);
        }
        self.kept += o.kept;
        self.filled += o.filled;
    }
}

/// The analysis for one target language.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub from: LangTag,
    pub to: LangTag,
    pub files: Vec<FileReport>,
    pub total: FileReport,
}

impl Report {
    /// Count the outcomes of [`super::leverage`] for `docs`.
    pub fn build(
        from: &LangTag,
        to: &LangTag,
        docs: &[SourceDoc],
        outcomes: &[Vec<Outcome>],
    ) -> Report {
        let mut files = Vec::new();
        let mut total = FileReport::new("Total");
        for (d, outs) in docs.iter().zip(outcomes) {
            let mut f = FileReport::new(&d.name);
            for (s, o) in d.segments.iter().zip(outs) {
                let c = &mut f.bands[o.band.index()];
                c.segments += 1;
                c.words += s.words;
                c.characters += s.chars;
                f.kept += usize::from(o.kept);
                f.filled += usize::from(o.fill);
            }
            total.add(&f);
            files.push(f);
        }
        Report {
            from: from.clone(),
            to: to.clone(),
            files,
            total,
        }
    }
}

/// How words were counted, when the source language needs saying.
pub fn counting_note(from: &LangTag) -> Option<String> {
    from.lang.is_unspaced().then(|| {
        format!(
            "{} words are counted as characters: each Han character is one word (Latin words and numbers one each)",
            language_name(from)
        )
    })
}

fn language_name(t: &LangTag) -> &'static str {
    t.lang.profile().name.unwrap_or("Source")
}

fn pct(part: usize, whole: usize) -> String {
    if whole == 0 {
        "0.0".into()
    } else {
        format!("{:.1}", 100.0 * part as f64 / whole as f64)
    }
}

fn table_of(f: &FileReport) -> String {
    let t = f.total();
    let mut rows: Vec<[String; 5]> = vec![[
        "band".into(),
        "segments".into(),
        "words".into(),
        "% words".into(),
        "characters".into(),
    ]];
    for b in Band::ALL {
        let c = f.band(b);
        rows.push([
            b.label().to_string(),
            c.segments.to_string(),
            c.words.to_string(),
            pct(c.words, t.words),
            c.characters.to_string(),
        ]);
    }
    rows.push([
        "Total".to_string(),
        t.segments.to_string(),
        t.words.to_string(),
        "100.0".to_string(),
        t.characters.to_string(),
    ]);
    let width = |s: &str| unicode_width::UnicodeWidthStr::width(s);
    let widths: Vec<usize> = (0..5)
        .map(|i| rows.iter().map(|r| width(&r[i])).max().unwrap_or(0))
        .collect();
    let rule = "-".repeat(widths.iter().sum::<usize>() + 2 * 4);
    let mut out = String::new();
    for (k, r) in rows.iter().enumerate() {
        if k == rows.len() - 1 || k == 1 {
            out.push_str(&rule);
            out.push('\n');
        }
        // the band name left-aligned, numbers right-aligned
        out.push_str(&r[0]);
        out.push_str(&" ".repeat(widths[0] - width(&r[0])));
        for i in 1..5 {
            out.push_str("  ");
            out.push_str(&" ".repeat(widths[i] - width(&r[i])));
            out.push_str(&r[i]);
        }
        out.push('\n');
    }
    out
}

/// The analysis as text tables: one per file (when there are several)
/// and the total, for each target language.
pub fn render_table(reports: &[Report]) -> String {
    // (`let _ = write!` here and below: writing to a String cannot fail)
    let mut s = String::new();
    for (k, r) in reports.iter().enumerate() {
        if k > 0 {
            s.push('\n');
        }
        let _ = writeln!(
            s,
            "Match analysis {} → {} ({} file{})",
            r.from.tag,
            r.to.tag,
            r.files.len(),
            if r.files.len() == 1 { "" } else { "s" }
        );
        if let Some(n) = counting_note(&r.from) {
            let _ = writeln!(s, "{n}.");
        }
        if r.files.len() > 1 {
            for f in &r.files {
                let _ = writeln!(s, "\n{}", f.file);
                s.push_str(&table_of(f));
            }
            let _ = writeln!(s, "\nAll files");
        } else if let Some(f) = r.files.first() {
            let _ = writeln!(s, "\n{}", f.file);
        }
        s.push_str(&table_of(&r.total));
        if r.total.kept > 0 {
            let _ = writeln!(
                s,
                "{} segment{} already translated in the XLIFF, kept (--overwrite replaces them)",
                r.total.kept,
                if r.total.kept == 1 { "" } else { "s" }
            );
        }
    }
    s
}

#[derive(Serialize)]
pub struct JsonBand {
    band: &'static str,
    segments: usize,
    words: usize,
    characters: usize,
}

#[derive(Serialize)]
pub struct JsonFile {
    file: String,
    segments: usize,
    words: usize,
    characters: usize,
    bands: Vec<JsonBand>,
    /// Translations written (pretranslate only).
    #[serde(skip_serializing_if = "Option::is_none")]
    filled: Option<usize>,
    kept: usize,
}

#[derive(Serialize)]
pub struct JsonTarget {
    to: String,
    files: Vec<JsonFile>,
    total: JsonFile,
}

/// The analysis as JSON (see [`to_json`]).
#[derive(Serialize)]
pub struct JsonReport {
    from: String,
    counting: String,
    /// Every segment of the input files, once (the same for every target).
    segments: usize,
    words: usize,
    characters: usize,
    targets: Vec<JsonTarget>,
}

fn json_file(f: &FileReport, with_filled: bool) -> JsonFile {
    let t = f.total();
    JsonFile {
        file: f.file.clone(),
        segments: t.segments,
        words: t.words,
        characters: t.characters,
        bands: Band::ALL
            .iter()
            .map(|&b| {
                let c = f.band(b);
                JsonBand {
                    band: b.key(),
                    segments: c.segments,
                    words: c.words,
                    characters: c.characters,
                }
            })
            .collect(),
        filled: with_filled.then_some(f.filled),
        kept: f.kept,
    }
}

/// The counting rules, said once.
fn counting(from: &LangTag) -> String {
    let mut s = String::from(
        "words: word, number and Han-character tokens (an English possessive 's is no word); characters: without white space",
    );
    if let Some(n) = counting_note(from) {
        s.push_str("; ");
        s.push_str(&n);
    }
    s
}

/// The analysis as JSON. `with_filled`: add how many translations were
/// written (pretranslate).
pub fn to_json(reports: &[Report], with_filled: bool) -> JsonReport {
    let from = reports.first().map(|r| r.from.clone());
    let total = reports.first().map(|r| r.total.total()).unwrap_or_default();
    JsonReport {
        from: from.as_ref().map(|f| f.tag.clone()).unwrap_or_default(),
        counting: from.as_ref().map(counting).unwrap_or_default(),
        segments: total.segments,
        words: total.words,
        characters: total.characters,
        targets: reports
            .iter()
            .map(|r| JsonTarget {
                to: r.to.tag.clone(),
                files: r.files.iter().map(|f| json_file(f, with_filled)).collect(),
                total: json_file(&r.total, with_filled),
            })
            .collect(),
    }
}

use polytm_formats::document::html::escape as html_escape;

/// A stacked bar of words per band (inline SVG, no script).
fn svg_bar(f: &FileReport) -> String {
    let t = f.total().words.max(1) as f64;
    let mut x = 0.0;
    let mut s = String::from(
        "<svg class=\"bar\" viewBox=\"0 0 1000 36\" preserveAspectRatio=\"none\" role=\"img\">",
    );
    for b in Band::ALL {
        let c = f.band(b);
        if c.words == 0 {
            continue;
        }
        let w = 1000.0 * c.words as f64 / t;
        let _ = write!(
            s,
            "<rect x=\"{x:.2}\" y=\"0\" width=\"{w:.2}\" height=\"36\" fill=\"{}\"><title>{}: {} word{}, {} segment{}</title></rect>",
            b.colour(),
            html_escape(b.label()),
            c.words,
            if c.words == 1 { "" } else { "s" },
            c.segments,
            if c.segments == 1 { "" } else { "s" }
        );
        x += w;
    }
    s.push_str("</svg>");
    s
}

fn html_table(f: &FileReport) -> String {
    let t = f.total();
    let mut s = String::from(
        "<table><thead><tr><th>Band</th><th>Segments</th><th>Words</th><th>% words</th><th>Characters</th></tr></thead><tbody>",
    );
    for b in Band::ALL {
        let c = f.band(b);
        let _ = write!(
            s,
            "<tr><td><span class=\"key\" style=\"background:{}\"></span>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            b.colour(),
            html_escape(b.label()),
            c.segments,
            c.words,
            pct(c.words, t.words),
            c.characters
        );
    }
    let _ = write!(
        s,
        "</tbody><tfoot><tr><td>Total</td><td>{}</td><td>{}</td><td>100.0</td><td>{}</td></tr></tfoot></table>",
        t.segments, t.words, t.characters
    );
    s
}

/// A self-contained HTML page: tables and bar charts, readable offline.
pub fn to_html(reports: &[Report], generated: &str) -> String {
    let mut s = String::new();
    s.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    s.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    s.push_str("<title>polytm match analysis</title>\n<style>\n");
    s.push_str(
        "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans','PingFang SC','Microsoft YaHei',sans-serif;margin:2em auto;max-width:60em;padding:0 1em;color:#222}\n\
         h1{font-size:1.5em}h2{font-size:1.25em;margin-top:2em;border-bottom:1px solid #ccc}h3{font-size:1em;margin:1.5em 0 .4em}\n\
         table{border-collapse:collapse;margin:.5em 0 1em}th,td{padding:.25em .8em;text-align:right;border-bottom:1px solid #eee}\n\
         th:first-child,td:first-child{text-align:left}tfoot td{font-weight:bold;border-top:2px solid #999}\n\
         .bar{width:100%;height:2em;display:block;border:1px solid #999;background:#fafafa}\n\
         .key{display:inline-block;width:.9em;height:.9em;margin-right:.5em;vertical-align:-.1em;border:1px solid #0003}\n\
         .note{color:#555;font-size:.9em}\n",
    );
    s.push_str("</style>\n</head>\n<body>\n<h1>Match analysis</h1>\n");
    if let Some(r) = reports.first() {
        let _ = writeln!(
            s,
            "<p class=\"note\">Source language {}. Generated by polytm {} on {}. {}.</p>",
            html_escape(&r.from.tag),
            env!("CARGO_PKG_VERSION"),
            html_escape(generated),
            html_escape(&counting(&r.from))
        );
    }
    for r in reports {
        let _ = writeln!(
            s,
            "<h2>{} → {}</h2>",
            html_escape(&r.from.tag),
            html_escape(&r.to.tag)
        );
        let mut blocks: Vec<&FileReport> = Vec::new();
        if r.files.len() > 1 {
            blocks.extend(r.files.iter());
        }
        blocks.push(&r.total);
        for f in blocks {
            let title = if std::ptr::eq(f, &r.total) && r.files.len() > 1 {
                "All files".to_string()
            } else if std::ptr::eq(f, &r.total) {
                r.files.first().map(|f| f.file.clone()).unwrap_or_default()
            } else {
                f.file.clone()
            };
            let _ = writeln!(s, "<h3>{}</h3>", html_escape(&title));
            s.push_str(&svg_bar(f));
            s.push('\n');
            s.push_str(&html_table(f));
            s.push('\n');
        }
    }
    s.push_str("</body>\n</html>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pretranslate::tests::{TestTm, doc};
    use crate::pretranslate::{Options, leverage};

    fn sample() -> Vec<Report> {
        let tm = TestTm(vec![
            ("a b c d".into(), "А Б В Г".into()),
            ("e f g h i j k l m n".into(), "е".into()),
        ]);
        let docs = vec![
            doc("one.txt", &["a b c d", "e f g h i j k l m x", "zzz"]),
            doc("two.txt", &["a b c d", "q"]),
        ];
        let opts = Options {
            min: 75,
            band_floor: crate::pretranslate::BAND_FLOOR,
            overwrite: false,
        };
        let out = leverage(&docs, &tm, &opts, &polytm_core::Quiet).unwrap();
        let en = LangTag::parse("en").unwrap();
        let ru = LangTag::parse("ru").unwrap();
        vec![Report::build(&en, &ru, &docs, &out)]
    }

    #[test]
    fn bands_count_every_segment_per_file_and_total() {
        let r = &sample()[0];
        assert_eq!(r.files.len(), 2);
        let one = &r.files[0];
        assert_eq!(one.band(Band::Exact).segments, 1);
        assert_eq!(one.band(Band::Mid).segments, 1); // 9 of 10 words
        assert_eq!(one.band(Band::NoMatch).segments, 1);
        // the same sentence in the second file is a repetition
        assert_eq!(r.files[1].band(Band::Repetition).segments, 1);
        assert_eq!(r.total.total().segments, 5);
        assert_eq!(r.total.total().words, 4 + 10 + 1 + 4 + 1);
        assert_eq!(r.total.filled, 3);
    }

    #[test]
    fn table_json_and_html_agree() {
        let reps = sample();
        let t = render_table(&reps);
        assert!(t.contains("Match analysis en → ru (2 files)"), "{t}");
        assert!(t.contains("All files"));
        let total_line = t.lines().rev().find(|l| l.starts_with("Total")).unwrap();
        assert_eq!(
            total_line.split_whitespace().collect::<Vec<_>>(),
            ["Total", "5", "20", "100.0", "22"]
        );
        let j = serde_json::to_value(to_json(&reps, true)).unwrap();
        assert_eq!(j["segments"], 5);
        let bands = j["targets"][0]["total"]["bands"].as_array().unwrap();
        let sum: u64 = bands.iter().map(|b| b["segments"].as_u64().unwrap()).sum();
        assert_eq!(sum, 5);
        assert_eq!(bands[0]["band"], "context");
        assert_eq!(bands[1]["band"], "repetitions");
        assert_eq!(j["targets"][0]["total"]["filled"], 3);
        let h = to_html(&reps, "2026-01-01T00:00:00Z");
        assert!(h.starts_with("<!DOCTYPE html>"));
        assert!(h.contains("<svg class=\"bar\""));
        assert!(!h.contains("<script"));
        assert!(!h.contains("http://") && !h.contains("https://"));
        assert_eq!(h.matches("<table>").count(), 3);
    }

    #[test]
    fn chinese_counting_is_said() {
        let zh = LangTag::parse("zh-CN").unwrap();
        assert!(
            counting_note(&zh)
                .unwrap()
                .contains("Chinese words are counted as characters")
        );
        assert!(counting_note(&LangTag::parse("en").unwrap()).is_none());
    }

    #[test]
    fn bands_of_scores() {
        assert_eq!(Band::of_score(Some(100)), Band::Exact);
        assert_eq!(Band::of_score(Some(95)), Band::High);
        assert_eq!(Band::of_score(Some(94)), Band::Mid);
        assert_eq!(Band::of_score(Some(75)), Band::Low);
        assert_eq!(Band::of_score(Some(74)), Band::Fuzzy);
        assert_eq!(Band::of_score(Some(49)), Band::NoMatch);
        assert_eq!(Band::of_score(None), Band::NoMatch);
    }
}

//! Reading units out in bulk: a selection (languages, documents, a date),
//! what it holds (for a file header), and the units it yields, each with
//! its variants.

use polytm_text::lang::Lang;

/// Which units to read.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Only these languages (a unit is read with the variants it has among
    /// them); all languages when `None`.
    pub langs: Option<Vec<Lang>>,
    /// Only units of these documents (ids); all when `None`.
    pub documents: Option<Vec<i64>>,
    /// Only units created or changed at or after this ISO 8601 time.
    pub since: Option<String>,
}

/// What a selection holds, for writing a header before the units.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overview {
    /// Units matching the document and date filters.
    pub units: i64,
    /// Of those, units with at least two of the selected languages.
    pub exportable: i64,
    /// The most languages one exportable unit has.
    pub max_langs: i64,
    /// The source language shared by every exportable unit (and present
    /// in it), when there is exactly one.
    pub single_source: Option<Lang>,
    /// Per language of the matching units (exportable or not): (language,
    /// tag, variants), most frequent tag first.
    pub tags: Vec<(Lang, String, i64)>,
}

impl Overview {
    /// The tag most used for a language in the selection.
    pub fn main_tag(&self, lang: &Lang) -> Option<&str> {
        self.tags
            .iter()
            .find(|(l, _, _)| l == lang)
            .map(|(_, t, _)| t.as_str())
    }

    /// The tag for a language when all its variants use the same one.
    pub fn only_tag(&self, lang: &Lang) -> Option<&str> {
        let mut it = self.tags.iter().filter(|(l, _, _)| l == lang);
        let first = it.next()?;
        if it.next().is_some() {
            None
        } else {
            Some(first.1.as_str())
        }
    }

    /// Languages of the selection, by number of variants (most first).
    pub fn langs(&self) -> Vec<Lang> {
        let mut per: Vec<(Lang, i64)> = Vec::new();
        for (l, _, n) in &self.tags {
            match per.iter_mut().find(|(k, _)| k == l) {
                Some(p) => p.1 += n,
                None => per.push((l.clone(), *n)),
            }
        }
        per.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        per.into_iter().map(|(l, _)| l).collect()
    }
}

/// A unit read out.
#[derive(Debug, Clone)]
pub struct ExportUnit {
    pub id: i64,
    pub tuid: Option<String>,
    pub document: Option<String>,
    pub origin: String,
    pub confidence: Option<f64>,
    pub src_lang: Option<Lang>,
    pub props: Option<String>,
    pub created_at: String,
    pub changed_at: Option<String>,
    /// A person checked it (a row of a review sheet).
    pub reviewed: bool,
    /// The selected variants, by language key.
    pub variants: Vec<ExportVariant>,
}

#[derive(Debug, Clone)]
pub struct ExportVariant {
    pub lang: Lang,
    pub tag: String,
    pub text: String,
    /// Set when `text` is TMX inline markup.
    pub plain: Option<String>,
}

/// What a selection holds ([`Overview`]), counted from its variant rows
/// in unit order: `(unit id, the unit's source language, the variant's
/// language key, the tag it was written with)`. Every backend streams its
/// rows into one of these, so the counting rules are written once.
#[derive(Debug, Default)]
pub struct OverviewCounter {
    o: Overview,
    tags: std::collections::HashMap<(String, String), i64>,
    /// The unit being read: id, variants, its source if among them.
    cur: Option<(i64, i64, Option<String>)>,
    /// Sources seen: the first one, and whether another (or none) was.
    first_src: Option<String>,
    mixed: bool,
}

impl OverviewCounter {
    /// A count for a selection of `units` units.
    pub fn new(units: i64) -> OverviewCounter {
        OverviewCounter {
            o: Overview {
                units,
                ..Default::default()
            },
            ..Default::default()
        }
    }

    /// One variant row (rows of a unit come together).
    pub fn row(&mut self, id: i64, src: Option<String>, lang: String, tag: String) {
        if self.cur.as_ref().is_some_and(|c| c.0 != id) {
            self.close();
        }
        let c = self.cur.get_or_insert((id, 0, None));
        c.1 += 1;
        if src.as_deref() == Some(lang.as_str()) {
            c.2 = src;
        }
        *self.tags.entry((lang, tag)).or_insert(0) += 1;
    }

    /// The unit being read is complete.
    fn close(&mut self) {
        let Some((_, n, src)) = self.cur.take() else {
            return;
        };
        if n < 2 {
            return;
        }
        self.o.exportable += 1;
        self.o.max_langs = self.o.max_langs.max(n);
        match (&self.first_src, src) {
            (_, None) => self.mixed = true,
            (None, Some(s)) => self.first_src = Some(s),
            (Some(f), Some(s)) if *f != s => self.mixed = true,
            _ => {}
        }
    }

    /// The overview of every row given.
    pub fn finish(mut self) -> Overview {
        self.close();
        let mut o = self.o;
        if !self.mixed && o.exportable > 0 {
            o.single_source = self.first_src.map(|s| Lang::from_key(&s));
        }
        let mut tags: Vec<(Lang, String, i64)> = self
            .tags
            .into_iter()
            .map(|((l, t), n)| (Lang::from_key(&l), t, n))
            .collect();
        tags.sort_by(|a, b| a.0.cmp(&b.0).then(b.2.cmp(&a.2)).then(a.1.cmp(&b.1)));
        o.tags = tags;
        o
    }
}

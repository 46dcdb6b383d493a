//! Reading units out in bulk, streaming: a selection (languages, documents,
//! a date) and a cursor over the units it holds, each with its variants.
//! Nothing is held in memory beyond one unit.

use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};

use crate::error::Result;
use polytm_store::export::OverviewCounter;
pub use polytm_store::export::{ExportUnit, ExportVariant, Overview, Selection};
use polytm_text::lang::Lang;

trait Clause {
    fn clause(&self, with_variants: bool) -> (String, Vec<Value>);
}

impl Clause for Selection {
    /// The WHERE clause over `units u` and `variants v`, with its values.
    fn clause(&self, with_variants: bool) -> (String, Vec<Value>) {
        let mut parts = Vec::new();
        let mut values = Vec::new();
        if let Some(docs) = &self.documents {
            let marks = vec!["?"; docs.len()].join(",");
            parts.push(format!("u.document_id IN ({marks})"));
            values.extend(docs.iter().map(|&d| Value::Integer(d)));
        }
        if let Some(since) = &self.since {
            parts.push("(u.created_at >= ? OR coalesce(u.changed_at, '') >= ?)".to_string());
            values.push(Value::Text(since.clone()));
            values.push(Value::Text(since.clone()));
        }
        if with_variants && let Some(langs) = &self.langs {
            let marks = vec!["?"; langs.len()].join(",");
            parts.push(format!("v.lang IN ({marks})"));
            values.extend(langs.iter().map(|l| Value::Text(l.as_str().to_string())));
        }
        if parts.is_empty() {
            (String::new(), values)
        } else {
            (format!("WHERE {}", parts.join(" AND ")), values)
        }
    }
}

/// Count what a selection holds: one streaming pass over it (SQLite's
/// GROUP BY would sort every row in memory first).
pub fn overview(conn: &Connection, sel: &Selection) -> Result<Overview> {
    let (w_units, v_units) = sel.clause(false);
    let units: i64 = conn.query_row(
        &format!("SELECT count(*) FROM units u {w_units}"),
        params_from_iter(v_units.iter()),
        |r| r.get(0),
    )?;
    let (w, v) = sel.clause(true);
    let mut st = conn.prepare(&format!(
        "SELECT u.id, u.src_lang, v.lang, v.tag FROM units u JOIN variants v ON v.unit_id = u.id
         {w} ORDER BY u.id"
    ))?;
    let mut rows = st.query(params_from_iter(v.iter()))?;
    let mut count = OverviewCounter::new(units);
    while let Some(r) = rows.next()? {
        count.row(r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
    }
    Ok(count.finish())
}

/// Call `f` for every unit of the selection that has at least two of the
/// selected languages, in id order; return how many were passed.
pub fn for_each_unit(
    conn: &Connection,
    sel: &Selection,
    f: &mut dyn FnMut(&ExportUnit) -> polytm_core::Result<()>,
) -> Result<usize> {
    let (w, v) = sel.clause(true);
    let mut st = conn.prepare(&format!(
        "SELECT u.id, u.tuid, d.name, u.origin, u.confidence, u.src_lang, u.props,
                u.created_at, u.changed_at, v.lang, v.tag, v.text, v.plain, u.reviewed
         FROM units u JOIN variants v ON v.unit_id = u.id
              LEFT JOIN documents d ON d.id = u.document_id
         {w} ORDER BY u.id, v.lang"
    ))?;
    let mut rows = st.query(params_from_iter(v.iter()))?;
    let mut cur: Option<ExportUnit> = None;
    let mut n = 0;
    let mut emit = |u: ExportUnit, n: &mut usize| -> Result<()> {
        if u.variants.len() >= 2 {
            *n += 1;
            f(&u)?;
        }
        Ok(())
    };
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        if cur.as_ref().is_some_and(|u| u.id != id)
            && let Some(done) = cur.take()
        {
            emit(done, &mut n)?;
        }
        let unit = match cur.as_mut() {
            Some(u) => u,
            None => cur.insert(ExportUnit {
                id,
                tuid: r.get(1)?,
                document: r.get(2)?,
                origin: r.get(3)?,
                confidence: r.get(4)?,
                src_lang: r.get::<_, Option<String>>(5)?.map(|s| Lang::from_key(&s)),
                props: r.get(6)?,
                created_at: r.get(7)?,
                changed_at: r.get(8)?,
                reviewed: r.get(13)?,
                variants: Vec::with_capacity(3),
            }),
        };
        unit.variants.push(ExportVariant {
            lang: Lang::from_key(&r.get::<_, String>(9)?),
            tag: r.get(10)?,
            text: r.get(11)?,
            plain: r.get(12)?,
        });
    }
    if let Some(done) = cur.take() {
        emit(done, &mut n)?;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::UnitWriter;
    use crate::{Store, new_batch};
    use polytm_store::{NewUnit, NewVariant, OnDuplicate, Origin};
    use polytm_text::lang::LangTag;

    fn store() -> Store {
        let mut s = Store::in_memory().unwrap();
        let tx = s.transaction().unwrap();
        let b = new_batch(&tx, "import", "t").unwrap();
        let mut w = UnitWriter::new(&tx, b, OnDuplicate::Keep);
        let v = |t: &str, x: &str| NewVariant::new(LangTag::parse(t).unwrap(), x);
        for (vars, src) in [
            (vec![v("en-US", "one"), v("ru", "один")], Some("en")),
            (
                vec![v("en", "two"), v("ru", "два"), v("zh", "二")],
                Some("en"),
            ),
            (vec![v("en", "three")], Some("en")),
            (vec![v("ru", "четыре"), v("zh", "四")], None),
        ] {
            let mut u = NewUnit::new(Origin::Imported, vars);
            u.src_lang = src.map(|s| Lang::parse(s).unwrap());
            w.add(&u).unwrap();
        }
        w.finish().unwrap();
        tx.commit().unwrap();
        s
    }

    #[test]
    fn selection_by_language() {
        let s = store();
        let mut seen = Vec::new();
        let sel = Selection {
            langs: Some(vec![Lang::en(), Lang::ru()]),
            ..Default::default()
        };
        let n = for_each_unit(&s.conn, &sel, &mut |u: &ExportUnit| {
            seen.push((u.id, u.variants.len()));
            Ok(())
        })
        .unwrap();
        assert_eq!(n, 2);
        assert_eq!(seen, [(1, 2), (2, 2)]);
        let o = overview(&s.conn, &sel).unwrap();
        assert_eq!((o.units, o.exportable, o.max_langs), (4, 2, 2));
        assert_eq!(o.single_source, Some(Lang::en()));
        assert_eq!(o.only_tag(&Lang::en()), None);
        assert_eq!(o.only_tag(&Lang::ru()), Some("ru"));

        let all = overview(&s.conn, &Selection::default()).unwrap();
        assert_eq!((all.exportable, all.max_langs), (3, 3));
        assert_eq!(all.single_source, None);
        assert_eq!(all.langs(), [Lang::en(), Lang::ru(), Lang::zh()]);
    }

    #[test]
    fn selection_by_date_and_document() {
        let s = store();
        let sel = Selection {
            since: Some("2999-01-01T00:00:00Z".into()),
            ..Default::default()
        };
        assert_eq!(for_each_unit(&s.conn, &sel, &mut |_| Ok(())).unwrap(), 0);
        let sel = Selection {
            documents: Some(vec![]),
            ..Default::default()
        };
        assert_eq!(for_each_unit(&s.conn, &sel, &mut |_| Ok(())).unwrap(), 0);
    }
}

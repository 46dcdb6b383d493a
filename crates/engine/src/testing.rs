//! Test helpers: small translation memories in memory.

use std::sync::Arc;

use polytm_sqlite::SqliteDb;
use polytm_store::{Database, NewUnit, NewVariant, OnDuplicate, Origin};
use polytm_text::lang::LangTag;

/// Write units in one batch.
pub fn write_units(db: &dyn Database, units: Vec<NewUnit>) {
    let mut tx = db.writer().unwrap();
    let b = tx.new_batch("import", "t").unwrap();
    {
        let mut w = tx.units(b, OnDuplicate::Skip).unwrap();
        for u in &units {
            w.add(u).unwrap();
        }
        w.finish().unwrap();
    }
    tx.commit().unwrap();
}

/// An in-memory TM of English–Russian pairs.
pub fn memory_tm(rows: &[(&str, &str)]) -> Arc<dyn Database> {
    let db: Arc<dyn Database> = Arc::new(SqliteDb::in_memory().unwrap());
    let units = rows
        .iter()
        .map(|(en, ru)| {
            NewUnit::new(
                Origin::Imported,
                vec![
                    NewVariant::new(LangTag::parse("en").unwrap(), *en),
                    NewVariant::new(LangTag::parse("ru").unwrap(), *ru),
                ],
            )
        })
        .collect();
    write_units(db.as_ref(), units);
    db
}

//! Errors inside the SQLite backend: SQLite's own, or polytm's. They leave
//! this crate as [`polytm_core::Error`] (no driver type crosses the
//! boundary).

use polytm_core::Error;

#[derive(Debug)]
pub(crate) enum SqlError {
    Sql(rusqlite::Error),
    Polytm(Error),
}

pub(crate) type Result<T, E = SqlError> = std::result::Result<T, E>;

impl From<rusqlite::Error> for SqlError {
    fn from(e: rusqlite::Error) -> Self {
        SqlError::Sql(e)
    }
}

impl From<Error> for SqlError {
    fn from(e: Error) -> Self {
        SqlError::Polytm(e)
    }
}

impl From<SqlError> for Error {
    fn from(e: SqlError) -> Self {
        match e {
            SqlError::Polytm(e) => e,
            SqlError::Sql(e) => Error::Db {
                file: String::new(),
                msg: message(&e),
            },
        }
    }
}

/// SQLite's message, with a word of advice where one helps.
fn message(e: &rusqlite::Error) -> String {
    use rusqlite::ErrorCode;
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
            "the database is busy: another polytm is writing to it; try again when it has finished"
                .into()
        }
        Some(ErrorCode::DiskFull) => "the disk is full; nothing was changed".into(),
        Some(ErrorCode::ReadOnly) => "the database file is read-only".into(),
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => {
            "the database file is damaged or not a database".into()
        }
        _ => e.to_string(),
    }
}

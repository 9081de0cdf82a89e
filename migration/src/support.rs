//! Small helpers the migrations share.

use sea_orm_migration::prelude::*;

/// `CREATE INDEX name ON table (cols…)`, columns named as in the database.
pub fn index(name: &str, table: impl IntoIden, cols: &[&'static str]) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(name).table(table);
    for col in cols {
        stmt.col(Alias::new(*col));
    }
    stmt.to_owned()
}

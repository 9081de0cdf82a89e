//! "What overlaps this window" without reading the whole history.
//!
//! Bookings, their blocks and events are listed by the windows they overlap: `ends_at > from
//! AND starts_at < to`. No B-tree answers that: an index on `starts_at` stops the scan at
//! `to` but starts it at the first booking ever made, so the week grid slows down as the
//! history grows. If no row lasts longer than `longest`, every row that overlaps the window
//! starts after `from - longest`, and the same index reads only `[from - longest, to)`.
//!
//! `window_bounds` keeps `longest` (in whole seconds, rounded up) for each of those tables.
//! Triggers raise it on every insert and on every change of the times, in the same
//! transaction as the row, so no writer (service, import, seed, psql) can leave a row the
//! bound does not cover. It never shrinks: a cancelled long booking keeps it wide, which costs
//! a wider scan, never a missed row. One row per table for the whole database: a table of a
//! few rows read by primary key, and a bound shared by the sites of one network.
//!
//! PostgreSQL raises it once per statement (transition tables), so a `COPY` of a million rows
//! pays one update; SQLite, which has no statement triggers, once per row.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

/// The tables whose rows are listed by window, as named in `window_bounds.kind`.
const TABLES: [&str; 3] = ["bookings", "booking_blocks", "events"];

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        conn.execute_unprepared(
            "CREATE TABLE window_bounds (kind VARCHAR(32) PRIMARY KEY, \
             longest_seconds BIGINT NOT NULL)",
        )
        .await?;
        let postgres = manager.get_database_backend() == DbBackend::Postgres;
        for table in TABLES {
            let longest = if postgres {
                format!(
                    "SELECT COALESCE(CEIL(MAX(EXTRACT(EPOCH FROM ends_at - starts_at))), 0)::bigint \
                     FROM {table}"
                )
            } else {
                format!(
                    "SELECT COALESCE(MAX({}), 0) FROM {table}",
                    sqlite_seconds("")
                )
            };
            conn.execute_unprepared(&format!(
                "INSERT INTO window_bounds (kind, longest_seconds) SELECT '{table}', ({longest})"
            ))
            .await?;
            if postgres {
                create_postgres_triggers(conn, table).await?;
            } else {
                create_sqlite_triggers(conn, table).await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        let postgres = manager.get_database_backend() == DbBackend::Postgres;
        for table in TABLES {
            for event in ["insert", "update"] {
                let drop = format!("DROP TRIGGER IF EXISTS {table}_window_bound_{event}");
                match postgres {
                    true => {
                        conn.execute_unprepared(&format!("{drop} ON {table}"))
                            .await?
                    }
                    false => conn.execute_unprepared(&drop).await?,
                };
            }
        }
        if postgres {
            conn.execute_unprepared("DROP FUNCTION IF EXISTS lieu_raise_window_bound()")
                .await?;
        }
        conn.execute_unprepared("DROP TABLE window_bounds").await?;
        Ok(())
    }
}

/// A row's length in whole seconds, rounded up, on SQLite (times are RFC 3339 text, which
/// `julianday` reads with its offset). The `+ 1` rounds up, and a bound one second too wide
/// costs nothing.
fn sqlite_seconds(row: &str) -> String {
    format!("CAST((julianday({row}ends_at) - julianday({row}starts_at)) * 86400 AS INTEGER) + 1")
}

async fn create_sqlite_triggers(
    conn: &SchemaManagerConnection<'_>,
    table: &str,
) -> Result<(), DbErr> {
    let seconds = sqlite_seconds("NEW.");
    for (event, on) in [
        ("insert", "INSERT".to_string()),
        ("update", "UPDATE OF starts_at, ends_at".to_string()),
    ] {
        conn.execute_unprepared(&format!(
            "CREATE TRIGGER {table}_window_bound_{event} AFTER {on} ON {table} BEGIN \
               UPDATE window_bounds SET longest_seconds = {seconds} \
               WHERE kind = '{table}' AND longest_seconds < {seconds}; \
             END"
        ))
        .await?;
    }
    Ok(())
}

async fn create_postgres_triggers(
    conn: &SchemaManagerConnection<'_>,
    table: &str,
) -> Result<(), DbErr> {
    // One function for the three tables: the kind is the trigger's table. An UPDATE whose
    // WHERE matches nothing locks nothing, so concurrent writers only queue behind one that
    // really raises the bound.
    conn.execute_unprepared(
        "CREATE OR REPLACE FUNCTION lieu_raise_window_bound() RETURNS trigger LANGUAGE plpgsql AS $$ \
         DECLARE longest bigint; \
         BEGIN \
           SELECT CEIL(MAX(EXTRACT(EPOCH FROM ends_at - starts_at)))::bigint INTO longest FROM new_rows; \
           UPDATE window_bounds SET longest_seconds = longest \
             WHERE kind = TG_TABLE_NAME AND longest_seconds < longest; \
           RETURN NULL; \
         END $$",
    )
    .await?;
    // Transition tables allow one event per trigger, hence two.
    for event in ["insert", "update"] {
        conn.execute_unprepared(&format!(
            "CREATE TRIGGER {table}_window_bound_{event} AFTER {} ON {table} \
             REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT \
             EXECUTE FUNCTION lieu_raise_window_bound()",
            event.to_uppercase()
        ))
        .await?;
    }
    Ok(())
}

//! Database connection and transactions.
//!
//! SQLite (the embedded default) runs in WAL mode with `synchronous=NORMAL` and a busy timeout,
//! and every write transaction is opened `IMMEDIATE`: it takes the write lock at `BEGIN`, so
//! concurrent writers queue on the busy timeout instead of failing with SQLITE_BUSY when a
//! deferred transaction tries to upgrade its read lock (measured: 217 of 320 concurrent deferred
//! writes failed that way). PostgreSQL needs none of this.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use lieu_migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    DbErr, SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

use crate::config::DatabaseConfig;

pub mod constraints;
pub mod pages;
pub mod window_bounds;

const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(15);

/// How long a request waits for a pool connection before it fails with `INTERNAL` and a retry
/// hint. Well under the 30 s request timeout: when the database is gone, a request answers
/// "try again" in seconds instead of hanging until the timeout cuts it (or a client gives up).
/// A healthy pool under load hands a connection over in milliseconds.
pub const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

/// The pool's largest size: the configured one, else 8 on SQLite and 10 on PostgreSQL.
pub fn pool_size(config: &DatabaseConfig) -> u32 {
    config
        .pool_size
        .unwrap_or(if config.is_sqlite() { 8 } else { 10 })
}

pub async fn connect(config: &DatabaseConfig) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(config.url.clone());
    let pool_size = pool_size(config);
    options
        .max_connections(pool_size)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|opts| {
            opts.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(SQLITE_BUSY_TIMEOUT)
                .foreign_keys(true)
                // Deleted and overwritten content is zeroed on disk, so that erasing a
                // person (GDPR) leaves no copy of their data in free pages.
                .pragma("secure_delete", "ON")
        });
    if !config.is_sqlite() {
        return Database::connect(options).await.map_err(|err| {
            if err.to_string().contains("pool timed out") {
                DbErr::Custom(format!(
                    "PostgreSQL did not answer at {} within 10 s: is it running, and are the host, port and database of the URL right?",
                    crate::config::redact(&config.url)
                ))
            } else {
                err
            }
        });
    }
    // Turning a fresh SQLite file to WAL takes an exclusive lock that the busy timeout does not
    // wait for: when several processes open a new file at once, all but one get "database is
    // locked" while connecting. The mode is stored in the file, so a short retry settles it.
    let mut attempts = 0;
    loop {
        match Database::connect(options.clone()).await {
            Err(err) if attempts < 40 && err.to_string().contains("database is locked") => {
                attempts += 1;
                tokio::time::sleep(Duration::from_millis(25 * attempts)).await;
            }
            Err(err) if err.to_string().contains("unable to open database file") => {
                return Err(DbErr::Custom(cannot_open_sqlite(&config.url)));
            }
            result => return result,
        }
    }
}

/// What to do when SQLite cannot open its file: the two usual causes, said plainly.
fn cannot_open_sqlite(url: &str) -> String {
    let creates = url.contains("mode=rwc") || url.contains("mode=memory");
    let mut message = format!("SQLite cannot open the database file of {url}: ");
    if creates {
        message.push_str("check that its folder exists and is writable (create it with mkdir -p)");
    } else {
        message.push_str(
            "add ?mode=rwc to the URL to create the file (for example sqlite://lieu.db?mode=rwc), \
             and check that its folder exists",
        );
    }
    message
}

/// Counts the SQL statements run on a connection (and every clone of it). Tests use it to
/// prove that a list costs a constant number of statements; `/metrics` can export it.
#[derive(Clone, Debug, Default)]
pub struct StatementCounter(Arc<AtomicU64>);

impl StatementCounter {
    /// Starts counting the statements of `db`. Call before cloning the connection.
    pub fn attach(&self, db: &mut DatabaseConnection) {
        let count = self.0.clone();
        db.set_metric_callback(move |_| {
            count.fetch_add(1, Ordering::Relaxed);
            crate::telemetry::metrics::statement_ran();
        });
    }

    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// Applies every pending migration, all of them or none, in one transaction (both databases
/// have transactional DDL).
///
/// Several API processes may start at once on one database: on PostgreSQL the first takes a
/// transaction-scoped advisory lock and the others wait on it, then find nothing pending; on
/// SQLite `BEGIN IMMEDIATE` serializes them the same way.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    let txn = begin_write(db).await?;
    if db.get_database_backend() == DbBackend::Postgres {
        txn.execute_unprepared(&format!(
            "SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})"
        ))
        .await?;
    }
    Migrator::up(&txn, None).await?;
    txn.commit().await
}

/// Refreshes the planner's statistics (`ANALYZE`, on both engines) after a bulk load: until
/// autovacuum gets to it, PostgreSQL plans a freshly seeded table as if it were empty, and the
/// week grid's batch of people by id became a sequential scan (docs/benchmarks.md). SQLite
/// has no statistics at all before its first `ANALYZE`.
pub async fn analyze(db: &DatabaseConnection) -> Result<(), DbErr> {
    db.execute_unprepared("ANALYZE").await.map(|_| ())
}

/// An arbitrary, fixed key for the migration advisory lock ("LIEU" in ASCII).
const MIGRATION_LOCK_KEY: i64 = 0x4C49_4555;

/// True when the database answers and every migration of this build has been applied.
///
/// Only reads: sea-orm's `get_pending_migrations` first runs `CREATE TABLE IF NOT EXISTS
/// seaql_migrations`, a write (and a catalog lock on PostgreSQL) on every probe. A missing
/// table reads as "not migrated".
pub async fn is_ready(db: &DatabaseConnection) -> bool {
    let applied = db
        .query_all_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT version FROM seaql_migrations",
        ))
        .await;
    let Ok(rows) = applied else {
        return false;
    };
    let applied: std::collections::HashSet<String> = rows
        .iter()
        .filter_map(|row| row.try_get::<String>("", "version").ok())
        .collect();
    Migrator::migrations()
        .iter()
        .all(|migration| applied.contains(migration.name()))
}

/// Opens the transaction every mutation runs in: `BEGIN IMMEDIATE` on SQLite.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    let options = TransactionOptions {
        sqlite_transaction_mode: (db.get_database_backend() == DbBackend::Sqlite)
            .then_some(SqliteTransactionMode::Immediate),
        ..Default::default()
    };
    db.begin_with_options(options).await
}

/// A statement written with `?` placeholders, numbered `$1, $2…` for PostgreSQL: the reports'
/// aggregates are plain SQL, the same on both databases but for that.
pub fn statement(
    backend: DbBackend,
    sql: &str,
    values: impl IntoIterator<Item = sea_orm::Value>,
) -> sea_orm::Statement {
    let sql = match backend {
        DbBackend::Postgres => {
            let mut out = String::with_capacity(sql.len() + 8);
            let mut n = 0;
            for c in sql.chars() {
                if c == '?' {
                    n += 1;
                    out.push_str(&format!("${n}"));
                } else {
                    out.push(c);
                }
            }
            out
        }
        _ => sql.to_string(),
    };
    sea_orm::Statement::from_sql_and_values(backend, sql, values)
}

//! `lieu-api backup` and `lieu-api restore`.
//!
//! SQLite: `VACUUM INTO` writes a consistent copy from one read transaction, so the server may
//! keep writing meanwhile (WAL lets readers and the writer run together); the copy is written
//! beside the destination and renamed into place, so a failed backup never leaves a
//! half-written file under the name a script will later restore from. A restore is the same
//! `VACUUM INTO`, from the backup into a new file, checked with `PRAGMA integrity_check`.
//!
//! PostgreSQL: `pg_dump` is the tool (consistent snapshot, parallel restore, the right types);
//! a copy made here would be a worse one, so the commands say how to use it instead.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use lieu_migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

use crate::config::{DatabaseArgs, DatabaseConfig, redact};
use crate::db;

pub const BACKUP_HELP: &str = "\
SQLite: a consistent copy while the server runs and writes (VACUUM INTO); the file is a
complete SQLite database. PostgreSQL: use pg_dump (the command says how).

Examples:
  lieu-api backup --to /var/backups/lieu/lieu-$(date +%F).db
  lieu-api backup --database-url sqlite:///var/lib/lieu/lieu.db --to lieu.bak --force
Restore it with `lieu-api restore --from FILE --database-url sqlite://NEW.db?mode=rwc`.";

pub const RESTORE_HELP: &str = "\
Only into an empty database (a new file): an existing venue is never overwritten. The backup
is checked to be a Lieu database, and the restored one with PRAGMA integrity_check.

Examples:
  lieu-api restore --from lieu-2026-12-01.db --database-url 'sqlite:///var/lib/lieu/lieu.db?mode=rwc'
Then start the server on it: lieu-api serve --database-url sqlite:///var/lib/lieu/lieu.db";

#[derive(clap::Args)]
pub struct BackupArgs {
    /// The file to write (a SQLite database).
    #[arg(long, value_name = "FILE")]
    pub to: PathBuf,
    /// Replace FILE if it exists.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

#[derive(clap::Args)]
pub struct RestoreArgs {
    /// The backup to restore (a file written by `lieu-api backup`).
    #[arg(long, value_name = "FILE")]
    pub from: PathBuf,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

fn pg_dump_advice(url: &str) -> String {
    let url = redact(url);
    format!(
        "lieu-api does not copy PostgreSQL databases: pg_dump does it better (a consistent \
         snapshot while the servers write). Back up with\n  \
         pg_dump --format=custom --file FILE '{url}'\nand restore into an empty database with\n  \
         pg_restore --no-owner --dbname '{url}' FILE\n(see docs/deploy.md, \"Backups\")"
    )
}

/// The file of a `sqlite:` URL (`sqlite://lieu.db?mode=rwc` → `lieu.db`); `None` for an
/// in-memory database.
fn sqlite_file(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path.is_empty() || path == ":memory:" || query.contains("mode=memory") {
        return None;
    }
    Some(PathBuf::from(path))
}

/// A path as an SQL string literal.
fn literal(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', "''"))
}

/// A file path as a read-only SQLite URL.
fn read_only_url(path: &Path) -> String {
    format!("sqlite://{}?mode=ro", path.display())
}

/// A read-only connection to a file, with no settings (the server's switch to WAL would be a
/// write).
async fn open_read_only(path: &Path) -> anyhow::Result<DatabaseConnection> {
    let mut options = sea_orm::ConnectOptions::new(read_only_url(path));
    options
        .max_connections(1)
        .min_connections(1)
        .sqlx_logging(false);
    sea_orm::Database::connect(options)
        .await
        .with_context(|| format!("opening {}", path.display()))
}

/// A connection to a database as the server opens it.
async fn connect_one(url: &str) -> anyhow::Result<DatabaseConnection> {
    db::connect(&DatabaseConfig {
        url: url.to_string(),
        pool_size: Some(1),
    })
    .await
    .with_context(|| format!("opening {}", redact(url)))
}

/// Whether the database holds Lieu's migrations table, and how many migrations it records.
async fn migrations_applied(conn: &DatabaseConnection) -> anyhow::Result<Option<Vec<String>>> {
    let backend = conn.get_database_backend();
    let has_table = conn
        .query_one_raw(Statement::from_string(
            backend,
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'seaql_migrations'",
        ))
        .await?
        .map(|row| row.try_get_by_index::<i64>(0))
        .transpose()?
        .unwrap_or(0);
    if has_table == 0 {
        return Ok(None);
    }
    let rows = conn
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT version FROM seaql_migrations ORDER BY version",
        ))
        .await?;
    let versions = rows
        .iter()
        .map(|row| row.try_get_by_index::<String>(0))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Some(versions))
}

/// `PRAGMA integrity_check`: `Ok` when SQLite says "ok", else its findings.
pub async fn integrity_check(conn: &DatabaseConnection) -> anyhow::Result<Result<(), String>> {
    let rows = conn
        .query_all_raw(Statement::from_string(
            conn.get_database_backend(),
            "PRAGMA integrity_check",
        ))
        .await?;
    let findings = rows
        .iter()
        .map(|row| row.try_get_by_index::<String>(0))
        .collect::<Result<Vec<_>, _>>()?;
    if findings == ["ok"] {
        Ok(Ok(()))
    } else {
        Ok(Err(findings.join("; ")))
    }
}

fn size_said(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    }
}

/// The same path with a suffix added to its file name (`lieu.bak` → `lieu.bak.partial`).
fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

pub async fn backup(args: BackupArgs) -> anyhow::Result<()> {
    let config: DatabaseConfig = args.database.into();
    if !config.is_sqlite() {
        bail!("{}", pg_dump_advice(&config.url));
    }
    let Some(source) = sqlite_file(&config.url) else {
        bail!("an in-memory database cannot be backed up: give the database file's URL");
    };
    // Checked first: opening a missing file with mode=rwc would create an empty database and
    // back that up.
    if !source.is_file() {
        bail!(
            "there is no database at {}: check --database-url (or LIEU_DATABASE_URL)",
            source.display()
        );
    }
    if args.to.exists() && !args.force {
        bail!(
            "{} already exists: choose another file, or add --force to replace it",
            args.to.display()
        );
    }
    let conn = open_read_only(&source).await?;
    let Some(migrations) = migrations_applied(&conn).await? else {
        bail!(
            "{} is not a Lieu database (it has no seaql_migrations table)",
            source.display()
        );
    };
    let partial = beside(&args.to, ".partial");
    let _ = std::fs::remove_file(&partial);
    eprintln!(
        "Backing up {} ({} migrations) to {}…",
        source.display(),
        migrations.len(),
        args.to.display()
    );
    let started = Instant::now();
    conn.execute_unprepared(&format!("VACUUM INTO {}", literal(&partial)))
        .await
        .with_context(|| format!("writing {}", partial.display()))?;
    conn.close().await.ok();

    let copy = open_read_only(&partial).await?;
    let checked = integrity_check(&copy).await?;
    copy.close().await.ok();
    if let Err(findings) = checked {
        let _ = std::fs::remove_file(&partial);
        bail!("the copy failed its integrity check ({findings}); nothing was written");
    }
    std::fs::rename(&partial, &args.to)
        .with_context(|| format!("moving the copy to {}", args.to.display()))?;
    let bytes = std::fs::metadata(&args.to)?.len();
    eprintln!(
        "Wrote {}: {} ({bytes} bytes) in {:.1} s; integrity check ok.",
        args.to.display(),
        size_said(bytes),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

pub async fn restore(args: RestoreArgs) -> anyhow::Result<()> {
    let config: DatabaseConfig = args.database.into();
    if !config.is_sqlite() {
        bail!("{}", pg_dump_advice(&config.url));
    }
    let Some(target) = sqlite_file(&config.url) else {
        bail!("restore into a database file, not an in-memory database");
    };
    if !args.from.is_file() {
        bail!("there is no backup at {}", args.from.display());
    }
    let source = open_read_only(&args.from)
        .await
        .with_context(|| format!("{} is not a SQLite database", args.from.display()))?;
    let migrations = match migrations_applied(&source).await {
        Ok(Some(migrations)) if !migrations.is_empty() => migrations,
        Ok(_) => bail!(
            "{} is not a Lieu backup (no seaql_migrations table, or an empty one)",
            args.from.display()
        ),
        Err(err) => {
            return Err(err.context(format!("{} is not a SQLite database", args.from.display())));
        }
    };
    let known: Vec<String> = Migrator::migrations()
        .iter()
        .map(|m| m.name().to_string())
        .collect();
    if let Some(newer) = migrations.iter().find(|m| !known.contains(m)) {
        bail!(
            "{} was made by a newer Lieu (migration {newer} is unknown to this one): restore it with that version or a later one",
            args.from.display()
        );
    }
    refuse_non_empty(&config.url, &target).await?;

    eprintln!(
        "Restoring {} into {}…",
        args.from.display(),
        target.display()
    );
    let started = Instant::now();
    source
        .execute_unprepared(&format!("VACUUM INTO {}", literal(&target)))
        .await
        .with_context(|| format!("writing {}", target.display()))?;
    source.close().await.ok();

    // Opened as the server opens it (WAL from now on), then checked.
    let restored = connect_one(&config.url).await?;
    if let Err(findings) = integrity_check(&restored).await? {
        bail!(
            "the restored database failed its integrity check: {findings}; do not serve it (the backup may be damaged: try an older one)"
        );
    }
    let pending = Migrator::get_pending_migrations(&restored).await?.len();
    restored.close().await.ok();
    let bytes = std::fs::metadata(&target)?.len();
    eprintln!(
        "Restored {} ({}, {} migrations{}) in {:.1} s; integrity check ok.",
        target.display(),
        size_said(bytes),
        migrations.len(),
        if pending > 0 {
            format!(", {pending} to apply at the next start")
        } else {
            String::new()
        },
        started.elapsed().as_secs_f64()
    );
    eprintln!(
        "Start the server on it: lieu-api serve --database-url '{}'",
        config.url
    );
    Ok(())
}

/// A restore goes into a new file, or an existing one with nothing in it (made by `mode=rwc`);
/// anything else is a venue's data, and is never overwritten.
async fn refuse_non_empty(url: &str, target: &Path) -> anyhow::Result<()> {
    if !target.exists() {
        return Ok(());
    }
    let conn = open_read_only(target).await?;
    let objects = conn
        .query_one_raw(Statement::from_string(
            conn.get_database_backend(),
            "SELECT COUNT(*) FROM sqlite_master",
        ))
        .await?
        .map(|row| row.try_get_by_index::<i64>(0))
        .transpose()?
        .unwrap_or(0);
    conn.close().await.ok();
    if objects > 0 {
        bail!(
            "the database at {} is not empty ({objects} tables and indexes): restore only into an empty one, for example --database-url 'sqlite://restored.db?mode=rwc', or move {} away first",
            redact(url),
            target.display()
        );
    }
    // An empty file (and its WAL files): VACUUM INTO writes only to a file that does not exist.
    for path in [
        target.to_path_buf(),
        beside(target, "-wal"),
        beside(target, "-shm"),
    ] {
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => return Err(err).context(format!("removing the empty {}", path.display())),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_name_their_file() {
        assert_eq!(
            sqlite_file("sqlite://lieu.db?mode=rwc"),
            Some(PathBuf::from("lieu.db"))
        );
        assert_eq!(
            sqlite_file("sqlite:///var/lib/lieu/lieu.db"),
            Some(PathBuf::from("/var/lib/lieu/lieu.db"))
        );
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("postgres://x@y/z"), None);
        assert_eq!(literal(Path::new("it's.db")), "'it''s.db'");
    }
}

//! `lieu-api`: serve the API, migrate the database, manage users, print the schema, seed a demo.

use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use lieu_api::config::{DatabaseArgs, FileConfig, ServeArgs};
use lieu_api::demo::network;
use lieu_api::import::OnExisting;
use lieu_api::telemetry::{self, LogFormat};
use lieu_api::{Application, Config, cli, clock::Clock, db, demo, graphql};

/// jemalloc instead of the system's malloc: resolving a list allocates per row and field, and
/// under 32 connections glibc's malloc took half the server's time (the week grid of 200
/// bookings: 118 req/s with glibc, 238 with jemalloc, 229 with mimalloc; see
/// docs/benchmarks.md, "Allocator").
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// Lieu: operations software for a tiers-lieu (spaces, bookings, events, people, money, impact).
#[derive(Parser)]
#[command(name = "lieu-api", version, about, long_about = None)]
struct Cli {
    /// Log format on stderr [default: text].
    #[arg(long, env = "LIEU_LOG_FORMAT", value_enum, global = true)]
    log_format: Option<LogFormat>,
    /// On an error, print its full details (with a backtrace when RUST_BACKTRACE=1).
    #[arg(long, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Apply migrations, then serve GraphQL on /graphql (GraphiQL in a browser).
    #[command(after_help = SERVE_HELP)]
    Serve(ServeArgs),
    /// Apply pending migrations and exit.
    Migrate {
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Manage staff accounts.
    User {
        #[command(subcommand)]
        command: cli::users::UserCommand,
    },
    /// Print the GraphQL schema (SDL) to stdout.
    Schema,
    /// Fill the database with data to try Lieu on.
    #[command(group(clap::ArgGroup::new("what").required(true).args(["demo", "scale", "activity"]).multiple(true)))]
    Seed {
        #[command(flatten)]
        database: DatabaseArgs,
        /// The demo venue and one login per role (only into a database without users).
        #[arg(long)]
        demo: bool,
        /// Grow a synthetic venue network for benchmarks: N sites ("Tiers-lieu synthétique
        /// k"), each with 50 spaces, 20,000 people (a third of them members), organizations,
        /// 200,000 bookings over two years around today, events and registrations, revenues,
        /// grants and volunteer hours. The same N and --seed give the same data.
        #[arg(long, value_name = "N")]
        scale: Option<usize>,
        /// The random seed of --scale.
        #[arg(long, value_name = "S", default_value_t = 1, requires = "scale")]
        seed: u64,
        /// Spaces per site of --scale (for tests).
        #[arg(long, hide = true, default_value_t = network::Size::sites(1).spaces_per_site)]
        spaces_per_site: usize,
        /// People per site of --scale (for tests).
        #[arg(long, hide = true, default_value_t = network::Size::sites(1).people_per_site)]
        people_per_site: usize,
        /// Bookings per site of --scale (for tests).
        #[arg(long, hide = true, default_value_t = network::Size::sites(1).bookings_per_site)]
        bookings_per_site: usize,
        /// Add a synthetic year of activity for benchmarks to the main site: N revenue lines,
        /// N volunteer entries, N grant payments, N registrations to past events (by up to
        /// 1,000 of the people already there).
        #[arg(long, value_name = "N", conflicts_with = "demo")]
        activity: Option<usize>,
    },
    /// Import people or memberships from a spreadsheet (CSV). A dry run unless --apply.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// Spreadsheets (CSV) of revenues, grants, volunteering, members, registrations; the FEC.
    Export {
        #[command(subcommand)]
        command: cli::exports::ExportCommand,
    },
    /// Copy the database to a file, consistently, while the server runs (SQLite).
    #[command(after_help = cli::backup::BACKUP_HELP)]
    Backup(cli::backup::BackupArgs),
    /// Restore a backup into an empty database (SQLite).
    #[command(after_help = cli::backup::RESTORE_HELP)]
    Restore(cli::backup::RestoreArgs),
    /// The one-page funder report (HTML to print, or Markdown).
    Report {
        #[command(subcommand)]
        command: cli::exports::ReportCommand,
    },
}

const SERVE_HELP: &str = "\
Every setting is also a key of lieu.toml (read from --config FILE, else ./lieu.toml when it
exists), under the flag's name with underscores. A flag wins over the environment variable,
which wins over the file, which wins over the default; an unknown key is an error.

  # lieu.toml
  database_url = \"postgres://lieu@127.0.0.1/lieu\"
  bind = \"127.0.0.1:8080\"
  metrics_bind = \"127.0.0.1:9464\"   # Prometheus /metrics, on a private address only
  trust_forwarded_for = true         # behind your own reverse proxy (docs/deploy.md)

Examples:
  lieu-api serve --demo --database-url 'sqlite://demo.db?mode=rwc'
  lieu-api serve --config /etc/lieu/lieu.toml
  LIEU_BIND=0.0.0.0:8080 lieu-api serve";

const IMPORT_PEOPLE_HELP: &str = "\
Columns are found by their header, in French or English, whatever the case or accents:
  prénom / first name (required)      nom / last name (required)
  email / courriel / e-mail           téléphone / tel / phone
  code postal / CP / postal code      année de naissance / birth year (or a birth date)
  consentement / consent (oui/non)    notes / remarques / commentaire
Other columns are ignored (and listed). The file may be UTF-8 or Windows-1252 (Excel), with
';' or ',' between columns. A French postal code has five digits; another country's starts
with its code (BE-4000). The same person twice in the file is an error. Somebody Lieu already
knows (same email; else same name and postal code) is an error too, unless --on-existing says
to skip or update them.

Example:
  lieu-api import people adherents.csv            # check every line, write nothing
  lieu-api import people adherents.csv --apply    # create them all, or none
  lieu-api import people adherents.csv --on-existing update --apply   # a second import";

const IMPORT_MEMBERSHIPS_HELP: &str = "\
Columns are found by their header, in French or English, whatever the case or accents:
  email / courriel          the member, a person already in Lieu (import people first)
  organisation / structure  or the member, an organization already in Lieu, by name
  formule / plan            the name of a plan on offer (see membershipPlans)
  début / start date        2026-09-01 or 01/09/2026
  montant / amount paid     12,50 or 12.50 (may be left empty for fixed-price plans)
The end of each membership follows from its plan. Each payment is recorded as a MEMBERSHIP
revenue received on the start day. Overlapping memberships of one member are errors.

Example:
  lieu-api import memberships cotisations.csv
  lieu-api import memberships cotisations.csv --apply";

#[derive(Subcommand)]
enum ImportCommand {
    /// Import people (first name, last name, email, phone, postal code, birth year…).
    #[command(after_help = IMPORT_PEOPLE_HELP)]
    People {
        #[command(flatten)]
        args: ImportArgs,
        /// What to do with a line of somebody Lieu already knows (same email; else same name
        /// and postal code): error (nothing is written), skip them, or update them with what
        /// the line fills in.
        #[arg(long, value_enum, default_value_t = OnExisting::Error)]
        on_existing: OnExisting,
    },
    /// Import memberships (member's email or organization, plan, start day, amount paid).
    #[command(after_help = IMPORT_MEMBERSHIPS_HELP)]
    Memberships(ImportArgs),
}

#[derive(clap::Args)]
struct ImportArgs {
    /// The CSV file (UTF-8 or Windows-1252; ';' or ',' separated; a header line first).
    file: std::path::PathBuf,
    /// Write to the database (all lines or none). Without it, only check and report.
    #[arg(long)]
    apply: bool,
    #[command(flatten)]
    database: DatabaseArgs,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    // `serve` reads lieu.toml, which may set the log format: read it before logging starts.
    let file = match &cli.command {
        Command::Serve(args) => match FileConfig::load(args.config.as_deref()) {
            Ok(file) => file,
            Err(err) => {
                report(&err, cli.verbose);
                return ExitCode::FAILURE;
            }
        },
        _ => None,
    };
    let format = cli
        .log_format
        .or(file.as_ref().and_then(|f| f.log_format))
        .unwrap_or_default();
    telemetry::init(format);
    match run(cli.command, file).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            report(&err, cli.verbose);
            ExitCode::FAILURE
        }
    }
}

/// An error as a person reads it: what failed, then why, one line each; the debug form (and
/// a backtrace, if asked for) only with --verbose.
fn report(err: &anyhow::Error, verbose: bool) {
    if verbose {
        eprintln!("error: {err:?}");
        return;
    }
    eprintln!("error: {err}");
    let mut said = err.to_string();
    for cause in err.chain().skip(1) {
        let cause = cause.to_string();
        // Drivers wrap their errors in one that repeats them ("Connection Error: <it>").
        if !said.contains(&cause) {
            eprintln!("  because: {}", cause.trim_start_matches("Custom Error: "));
        }
        said = cause;
    }
}

async fn run(command: Command, file: Option<FileConfig>) -> anyhow::Result<()> {
    match command {
        Command::Serve(args) => serve(args, file).await,
        Command::Backup(args) => cli::backup::backup(args).await,
        Command::Restore(args) => cli::backup::restore(args).await,
        Command::Migrate { database } => {
            let db = db::connect(&database.into())
                .await
                .context("connecting to the database")?;
            db::migrate(&db).await.context("applying migrations")?;
            eprintln!("Database migrated.");
            Ok(())
        }
        Command::User { command } => cli::users::run(command).await,
        Command::Schema => {
            print!("{}", graphql::sdl());
            Ok(())
        }
        Command::Import { command } => import(command).await,
        Command::Export { command } => cli::exports::export(command).await,
        Command::Report { command } => cli::exports::report(command).await,
        Command::Seed {
            database,
            scale,
            seed,
            spaces_per_site,
            people_per_site,
            bookings_per_site,
            activity,
            ..
        } if scale.is_some() || activity.is_some() => {
            let db = db::connect(&database.into())
                .await
                .context("connecting to the database")?;
            db::migrate(&db).await.context("applying migrations")?;
            if let Some(sites) = scale {
                let size = network::Size {
                    sites,
                    spaces_per_site,
                    people_per_site,
                    bookings_per_site,
                };
                seed_network(&db, size, seed).await?;
            }
            if let Some(count) = activity {
                let started = std::time::Instant::now();
                demo::money::seed_activity(&db, Clock::system().now(), count).await?;
                eprintln!(
                    "Added a synthetic year of {count} revenues, volunteer entries, grant payments and registrations in {:.1} s.",
                    started.elapsed().as_secs_f64()
                );
            }
            db::analyze(&db)
                .await
                .context("refreshing the planner's statistics (ANALYZE)")?;
            Ok(())
        }
        Command::Seed { database, .. } => {
            let db = db::connect(&database.into())
                .await
                .context("connecting to the database")?;
            db::migrate(&db).await.context("applying migrations")?;
            if demo::seed_if_empty(&db, &Clock::system()).await? {
                eprint!(
                    "{}",
                    demo::logins_banner(&lieu_api::config::DEFAULT_BIND.parse()?)
                );
                Ok(())
            } else {
                bail!(
                    "this database already has users: the demo was not seeded (use an empty database, for example --database-url sqlite://demo.db?mode=rwc)"
                )
            }
        }
    }
}

/// `seed --scale`: the network, with a progress bar of the bookings on stderr.
async fn seed_network(
    db: &sea_orm::DatabaseConnection,
    size: network::Size,
    seed: u64,
) -> anyhow::Result<()> {
    use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
    let started = std::time::Instant::now();
    // Hidden when stderr is not a terminal (pipes, CI, tests), like the imports' bar.
    let bar = if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{elapsed_precise} [{bar:30}] {human_pos}/{human_len} bookings, {per_sec}, ETA {eta} — {msg}",
        )
        .expect("a valid template")
        .progress_chars("=> "),
    );
    let added = network::seed_network(db, Clock::system().now(), size, seed, &bar).await;
    bar.finish_and_clear();
    let added = added?;
    eprintln!(
        "Added {added} in {:.1} s (seed {seed}).",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn import(command: ImportCommand) -> anyhow::Result<()> {
    let (args, people) = match command {
        ImportCommand::People { args, on_existing } => (args, Some(on_existing)),
        ImportCommand::Memberships(args) => (args, None),
    };
    let bytes =
        std::fs::read(&args.file).with_context(|| format!("reading {}", args.file.display()))?;
    let db = db::connect(&args.database.into())
        .await
        .context("connecting to the database")?;
    db::migrate(&db).await.context("applying migrations")?;
    let now = Clock::system().now();
    let started = std::time::Instant::now();
    let mut out = std::io::stdout().lock();
    let summary = match people {
        Some(on_existing) => {
            lieu_api::import::import_people(&db, now, &bytes, args.apply, on_existing, &mut out)
                .await?
        }
        None => {
            lieu_api::import::import_memberships(&db, now, &bytes, args.apply, &mut out).await?
        }
    };
    drop(out);
    eprintln!("Took {:.1} s.", started.elapsed().as_secs_f64());
    if summary.bad > 0 {
        // The report above says what is wrong; exit 1 so that scripts notice.
        std::process::exit(1);
    }
    Ok(())
}

async fn serve(args: ServeArgs, file: Option<FileConfig>) -> anyhow::Result<()> {
    // Before anything slow (migrations, the demo): a SIGTERM from then on stops gracefully.
    let shutdown = lieu_api::startup::shutdown_signal();
    let config = Config::resolve(args, file);
    let seed_demo = config.demo;
    let app = Application::build(config.clone()).await.with_context(|| {
        format!(
            "starting on {} with {}",
            config.bind,
            lieu_api::config::redact(&config.database.url)
        )
    })?;
    if seed_demo {
        let db = &app.state().db;
        if demo::seed_if_empty(db, &app.state().clock).await? {
            eprint!("{}", demo::logins_banner(&app.local_addr()));
        } else if demo::has_demo_logins(db).await? {
            eprintln!("--demo: this database already holds the demo venue (nothing was added).");
            eprint!("{}", demo::logins_banner(&app.local_addr()));
        } else {
            eprintln!(
                "--demo: this database already has users, so no demo data was added (start on an empty database for the demo, for example --database-url sqlite://demo.db?mode=rwc)."
            );
        }
    }
    tracing::info!(address = %app.local_addr(), "Lieu is listening; GraphiQL at /graphql");
    if let Some(address) = app.metrics_addr() {
        tracing::info!(address = %address, "Prometheus metrics at /metrics");
    }
    app.run_until(shutdown).await?;
    tracing::info!("stopped");
    Ok(())
}

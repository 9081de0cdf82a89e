//! `lieu-api`: serve the API, migrate the database, manage users, print the schema, seed a demo.

use std::io::BufRead;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use lieu_api::config::{DatabaseArgs, DatabaseConfig, ServeArgs};
use lieu_api::domain::{Email, Name, Password, Role};
use lieu_api::service::accounts;
use lieu_api::telemetry::{self, LogFormat};
use lieu_api::{Application, Config, clock::Clock, db, demo, graphql};

/// Lieu: operations software for a tiers-lieu (spaces, bookings, events, people, money, impact).
#[derive(Parser)]
#[command(name = "lieu-api", version, about, long_about = None)]
struct Cli {
    /// Log format on stderr.
    #[arg(long, env = "LIEU_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Apply migrations, then serve GraphQL on /graphql (GraphiQL in a browser).
    Serve(ServeArgs),
    /// Apply pending migrations and exit.
    Migrate {
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Manage staff accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
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
        /// Add N synthetic people (a third of them members), for benchmarks.
        #[arg(long, value_name = "N")]
        scale: Option<usize>,
        /// Add a synthetic year of activity for benchmarks: N revenue lines, N volunteer
        /// entries, N grant payments, N registrations to past events (after --scale, which
        /// gives the people).
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
        command: lieu_api::cli::exports::ExportCommand,
    },
    /// The one-page funder report (HTML to print, or Markdown).
    Report {
        #[command(subcommand)]
        command: lieu_api::cli::exports::ReportCommand,
    },
}

const IMPORT_PEOPLE_HELP: &str = "\
Columns are found by their header, in French or English, whatever the case or accents:
  prénom / first name (required)      nom / last name (required)
  email / courriel / e-mail           téléphone / tel / phone
  code postal / CP / postal code      année de naissance / birth year (or a birth date)
  consentement / consent (oui/non)    notes / remarques / commentaire
Other columns are ignored (and listed). The file may be UTF-8 or Windows-1252 (Excel), with
';' or ',' between columns. An email already in Lieu, or twice in the file, is an error.

Example:
  lieu-api import people adherents.csv            # check every line, write nothing
  lieu-api import people adherents.csv --apply    # create them all, or none";

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
    People(ImportArgs),
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

#[derive(Subcommand)]
enum UserCommand {
    /// Create a staff account; the password is read from the first line of stdin.
    Add {
        #[command(flatten)]
        database: DatabaseArgs,
        /// Login email (unique, whatever its case).
        #[arg(long)]
        email: String,
        /// admin, manager or volunteer.
        #[arg(long, value_parser = Role::parse_any_case)]
        role: Role,
        /// Display name [default: the part of the email before @].
        #[arg(long)]
        name: Option<String>,
        /// Read the password from stdin (required: passwords never go on the command line).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    telemetry::init(cli.log_format);
    match cli.command {
        Command::Serve(args) => serve(args).await,
        Command::Migrate { database } => {
            let db = db::connect(&database.into())
                .await
                .context("connecting to the database")?;
            db::migrate(&db).await.context("applying migrations")?;
            eprintln!("Database migrated.");
            Ok(())
        }
        Command::User {
            command:
                UserCommand::Add {
                    database,
                    email,
                    role,
                    name,
                    password_stdin: _,
                },
        } => add_user(database.into(), &email, role, name).await,
        Command::Schema => {
            print!("{}", graphql::sdl());
            Ok(())
        }
        Command::Import { command } => import(command).await,
        Command::Export { command } => lieu_api::cli::exports::export(command).await,
        Command::Report { command } => lieu_api::cli::exports::report(command).await,
        Command::Seed {
            database,
            scale,
            activity,
            ..
        } if scale.is_some() || activity.is_some() => {
            let db = db::connect(&database.into())
                .await
                .context("connecting to the database")?;
            db::migrate(&db).await.context("applying migrations")?;
            if let Some(count) = scale {
                let started = std::time::Instant::now();
                demo::people::seed_scale(&db, Clock::system().now(), count).await?;
                eprintln!(
                    "Added {count} synthetic people in {:.1} s.",
                    started.elapsed().as_secs_f64()
                );
            }
            if let Some(count) = activity {
                let started = std::time::Instant::now();
                demo::money::seed_activity(&db, Clock::system().now(), count).await?;
                eprintln!(
                    "Added a synthetic year of {count} revenues, volunteer entries, grant payments and registrations in {:.1} s.",
                    started.elapsed().as_secs_f64()
                );
            }
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

async fn import(command: ImportCommand) -> anyhow::Result<()> {
    let (args, people) = match command {
        ImportCommand::People(args) => (args, true),
        ImportCommand::Memberships(args) => (args, false),
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
    let summary = if people {
        lieu_api::import::import_people(&db, now, &bytes, args.apply, &mut out).await?
    } else {
        lieu_api::import::import_memberships(&db, now, &bytes, args.apply, &mut out).await?
    };
    drop(out);
    eprintln!("Took {:.1} s.", started.elapsed().as_secs_f64());
    if summary.bad > 0 {
        // The report above says what is wrong; exit 1 so that scripts notice.
        std::process::exit(1);
    }
    Ok(())
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    // Before anything slow (migrations, the demo): a SIGTERM from then on stops gracefully.
    let shutdown = lieu_api::startup::shutdown_signal();
    let seed_demo = args.demo;
    let config = Config::from_serve_args(args);
    let app = Application::build(config.clone()).await.with_context(|| {
        format!(
            "starting on {} with {}",
            config.bind,
            redact(&config.database.url)
        )
    })?;
    if seed_demo {
        if demo::seed_if_empty(&app.state().db, &app.state().clock).await? {
            eprint!("{}", demo::logins_banner(&app.local_addr()));
        } else {
            eprintln!("--demo: this database already has users, so no demo data was added.");
        }
    }
    tracing::info!(address = %app.local_addr(), "Lieu is listening; GraphiQL at /graphql");
    app.run_until(shutdown).await?;
    tracing::info!("stopped");
    Ok(())
}

async fn add_user(
    database: DatabaseConfig,
    email: &str,
    role: Role,
    name: Option<String>,
) -> anyhow::Result<()> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the password from stdin")?;
    let password = line.trim_end_matches(['\r', '\n']);
    let email = Email::parse("email", email).map_err(|e| anyhow::anyhow!(e.message()))?;
    let password = match Password::parse(password) {
        Ok(p) => p,
        Err(e) => bail!(e.message()),
    };
    let display_name =
        name.unwrap_or_else(|| email.as_str().split('@').next().unwrap_or("").to_string());
    let name = Name::parse("name", &display_name).map_err(|e| anyhow::anyhow!(e.message()))?;
    let db = db::connect(&database)
        .await
        .context("connecting to the database")?;
    db::migrate(&db).await.context("applying migrations")?;
    let user = accounts::create_user(
        &db,
        Clock::system().now(),
        accounts::NewUser {
            email,
            name,
            role,
            password,
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!(e.message()))?;
    eprintln!("Created {} {} ({}).", user.role, user.email, user.id);
    Ok(())
}

/// The database URL without its password, for error messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

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
    Seed {
        #[command(flatten)]
        database: DatabaseArgs,
        /// The demo venue and one login per role (only into a database without users).
        #[arg(long, required = true)]
        demo: bool,
    },
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
        #[arg(long)]
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
        Command::Seed { database, demo: _ } => {
            let db = db::connect(&database.into())
                .await
                .context("connecting to the database")?;
            db::migrate(&db).await.context("applying migrations")?;
            if demo::seed_if_empty(&db, &Clock::system()).await? {
                eprint!(
                    "{}",
                    demo::logins_banner(&lieu_api::config::DEFAULT_BIND.parse()?)
                );
            } else {
                eprintln!("This database already has users: the demo was not seeded.");
            }
            Ok(())
        }
    }
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
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
    app.run_until(lieu_api::startup::shutdown_signal()).await?;
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

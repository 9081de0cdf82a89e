//! `lieu-api user …`: staff accounts from the command line, for the first ADMIN and for the day
//! somebody forgot their password. The same rules as in GraphQL (the services), the same last
//! ADMIN kept.

use std::io::BufRead;

use anyhow::Context;
use clap::Subcommand;
use sea_orm::DatabaseConnection;

use super::said;
use crate::clock::Clock;
use crate::config::DatabaseArgs;
use crate::db;
use crate::domain::{Email, Name, Password, Role};
use crate::service::accounts;

#[derive(Subcommand)]
pub enum UserCommand {
    /// Create a staff account; the password is read from the first line of stdin.
    #[command(
        after_help = "Example:\n  echo 'a long passphrase' | lieu-api user add --email ana@lieu.org --role admin --password-stdin"
    )]
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
    /// List the staff accounts: email, role, name, and whether they may sign in.
    List {
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Give an account another role (the last active admin cannot be demoted).
    SetRole {
        #[command(flatten)]
        database: DatabaseArgs,
        /// The account's email.
        #[arg(long)]
        email: String,
        /// admin, manager or volunteer.
        #[arg(long, value_parser = Role::parse_any_case)]
        role: Role,
    },
    /// Deactivate an account (someone who left): it can no longer sign in and its sessions end
    /// at once. The last active admin cannot be deactivated.
    Deactivate {
        #[command(flatten)]
        database: DatabaseArgs,
        /// The account's email.
        #[arg(long)]
        email: String,
    },
    /// Let a deactivated account sign in again.
    Reactivate {
        #[command(flatten)]
        database: DatabaseArgs,
        /// The account's email.
        #[arg(long)]
        email: String,
    },
    /// Set a new password for someone who forgot theirs (read from the first line of stdin);
    /// every session of the account ends.
    #[command(
        after_help = "Example:\n  echo 'a new long passphrase' | lieu-api user reset-password --email ana@lieu.org --password-stdin"
    )]
    ResetPassword {
        #[command(flatten)]
        database: DatabaseArgs,
        /// The account's email.
        #[arg(long)]
        email: String,
        /// Read the new password from stdin (required: passwords never go on the command line).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
}

pub async fn run(command: UserCommand) -> anyhow::Result<()> {
    match command {
        UserCommand::Add {
            database,
            email,
            role,
            name,
            password_stdin: _,
        } => {
            let email = Email::parse("email", &email).map_err(said)?;
            let password = read_password()?;
            let display_name =
                name.unwrap_or_else(|| email.as_str().split('@').next().unwrap_or("").to_string());
            let name = Name::parse("name", &display_name).map_err(said)?;
            let db = open(database).await?;
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
            .map_err(said)?;
            eprintln!("Created {} {} ({}).", user.role, user.email, user.id);
        }
        UserCommand::List { database } => {
            let db = open(database).await?;
            let users = accounts::list_users(&db).await.map_err(said)?;
            if users.is_empty() {
                eprintln!(
                    "No accounts yet. Create the first one with: lieu-api user add --email … --role admin --password-stdin"
                );
            }
            for user in users {
                let state = if user.active { "active" } else { "deactivated" };
                println!("{}\t{}\t{}\t{state}", user.email, user.role, user.name);
            }
        }
        UserCommand::SetRole {
            database,
            email,
            role,
        } => {
            let db = open(database).await?;
            let user = find(&db, &email).await?;
            let user = accounts::set_role(&db, user.id, role).await.map_err(said)?;
            eprintln!("{} is now {}.", user.email, user.role);
        }
        UserCommand::Deactivate { database, email } => {
            let db = open(database).await?;
            let user = find(&db, &email).await?;
            let user = accounts::deactivate(&db, user.id).await.map_err(said)?;
            eprintln!(
                "Deactivated {}: it can no longer sign in, and its sessions have ended.",
                user.email
            );
        }
        UserCommand::Reactivate { database, email } => {
            let db = open(database).await?;
            let user = find(&db, &email).await?;
            let user = accounts::reactivate(&db, user.id).await.map_err(said)?;
            eprintln!("Reactivated {}: it can sign in again.", user.email);
        }
        UserCommand::ResetPassword {
            database,
            email,
            password_stdin: _,
        } => {
            let password = read_password()?;
            let db = open(database).await?;
            let user = find(&db, &email).await?;
            let user = accounts::reset_password(&db, user.id, password)
                .await
                .map_err(said)?;
            eprintln!(
                "New password set for {}; its sessions have ended, so it signs in again with the new one.",
                user.email
            );
        }
    }
    Ok(())
}

async fn open(database: DatabaseArgs) -> anyhow::Result<DatabaseConnection> {
    let db = db::connect(&database.into())
        .await
        .context("connecting to the database")?;
    db::migrate(&db).await.context("applying migrations")?;
    Ok(db)
}

async fn find(db: &DatabaseConnection, email: &str) -> anyhow::Result<lieu_entity::user::Model> {
    accounts::get_user_by_email(db, email)
        .await
        .map_err(|err| match err.code() {
            "NOT_FOUND" => {
                anyhow::anyhow!("no account has the email {email} (see `lieu-api user list`)")
            }
            _ => said(err),
        })
}

/// The first line of stdin, checked like any new password.
fn read_password() -> anyhow::Result<Password> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the password from stdin")?;
    Password::parse(line.trim_end_matches(['\r', '\n'])).map_err(said)
}

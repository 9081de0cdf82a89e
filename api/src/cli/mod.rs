//! Command-line work that is more than a line of `main.rs`: each subcommand's arguments and
//! what it does, so that `main` only parses and dispatches.

pub mod users;

use crate::error::AppError;

/// A service error as the command line says it: its message, never a code.
pub fn said(err: AppError) -> anyhow::Error {
    anyhow::anyhow!(err.message())
}

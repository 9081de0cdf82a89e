//! Subcommands of `lieu-api` whose code lives in the library, so that `main.rs` only parses
//! and dispatches: staff accounts, the exports and the funder report, backups.

pub mod backup;
pub mod exports;
pub mod users;

use crate::error::AppError;

/// A service error as the command line says it: its message, never a code.
pub fn said(err: AppError) -> anyhow::Error {
    anyhow::anyhow!(err.message())
}

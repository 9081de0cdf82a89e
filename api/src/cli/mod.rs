//! Subcommands of `lieu-api` whose code lives in the library (so that `main.rs` only names
//! them): the exports and the funder report.

pub mod exports;

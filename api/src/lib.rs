//! Lieu's GraphQL backend. Data flows one way: `graphql` resolvers call `service` functions,
//! which apply the rules over `entity` tables; `domain` holds the validated input types.

pub mod auth;
pub mod cli;
pub mod clock;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod graphql;
pub mod http;
pub mod import;
pub mod service;
pub mod startup;
pub mod state;
pub mod telemetry;
#[cfg(test)]
mod testing;

pub use config::Config;
pub use error::{AppError, AppResult};
pub use startup::Application;

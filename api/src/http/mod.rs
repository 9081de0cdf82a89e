//! Non-GraphQL routes and the GraphQL HTTP handlers.

pub mod exports;
pub mod graphiql;
pub mod graphql;
pub mod health;
pub mod ical;
pub mod metrics;
pub mod ws;

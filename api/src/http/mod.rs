//! Non-GraphQL routes and the GraphQL HTTP handlers.

pub mod graphql;
pub mod health;
pub mod ical;

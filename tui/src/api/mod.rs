//! The typed GraphQL client: operations in `operations/*.graphql`, checked against the
//! committed `api/schema.graphql` at build time (see `ops`), mapped to the client's own types
//! (`model`), asked for as data (`request`).

mod client;
mod events;
mod hours;
pub mod model;
mod ops;
mod people;
mod request;

pub use client::{ApiError, Client, Conflict};
pub use request::{Payload, Request, Response, perform};

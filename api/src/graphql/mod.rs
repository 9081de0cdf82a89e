//! The GraphQL API: one module per area, each with its types and thin resolvers that call
//! one service function. `schema.rs` merges them.

pub mod account;
pub mod batching;
pub mod bookings;
pub mod context;
pub mod loaders;
pub mod memberships;
pub mod opening_hours;
pub mod organizations;
pub mod pagination;
pub mod people;
pub mod scalars;
pub mod schema;
pub mod site;
pub mod spaces;

pub use async_graphql::{Request, Variables};
pub use schema::{LieuSchema, build_schema, sdl};

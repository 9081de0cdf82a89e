//! The GraphQL API: one module per area (mirroring `service/`), each with its types, its
//! inputs (converted to domain types by `TryFrom`) and thin resolvers that call one service
//! function. `schema.rs` merges them; `context.rs` is the one request context; `errors.rs` the
//! last line of the error boundary.

pub mod accounts;
pub mod activity;
pub mod audit;
pub mod batching;
pub mod bookings;
pub mod context;
pub mod errors;
pub mod events;
pub mod exports;
pub mod inputs;
pub mod loaders;
pub mod memberships;
pub mod money;
pub mod pagination;
pub mod people;
pub mod plan;
pub mod reports;
pub mod scalars;
pub mod schema;
pub mod sites;
pub mod volunteering;
pub mod webhooks;

pub use async_graphql::{Request, Variables};
pub use context::RequestContext;
pub use schema::{LieuSchema, build_schema, sdl};

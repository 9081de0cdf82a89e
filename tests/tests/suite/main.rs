//! The suite, on the backend chosen by `LIEU_TEST_DATABASE` (see `lieu_tests`). One binary, so
//! it links once.
//!
//! - `behaviour`: the rules, through GraphQL documents executed on the schema directly
//!   (`spawn_schema()`): no HTTP round trip, no argon2 login per caller.
//! - `http`: what only a real server shows (status codes, headers, limits, logins, calendar
//!   feeds, several servers on one database, the guarantees under concurrency end to end).

mod behaviour;
mod http;

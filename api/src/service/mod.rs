//! The rules, as plain async functions over a connection or a transaction. No GraphQL here.
//!
//! One folder per area (`bookings`, `people`, `memberships`, `sites`, `money`, and the areas to
//! come); the concerns that cross areas go through one seam each: `holders` (who a booking,
//! membership or contact link is for, checked and locked the same way everywhere), `money`
//! (every revenue line), `gdpr` (every area's personal data, exported and erased together).
//!
//! Naming: `find_*` returns an `Option`; `get_*` returns the row or `NOT_FOUND`.

pub mod accounts;
pub mod activity;
pub mod api_keys;
pub mod audit;
pub mod bookings;
pub mod calendar;
pub mod events;
pub mod exports;
pub mod gdpr;
pub mod holders;
pub mod memberships;
pub mod money;
pub mod people;
pub mod reports;
pub mod sites;
pub mod volunteering;
pub mod webhooks;

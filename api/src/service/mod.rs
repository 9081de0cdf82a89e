//! The rules, as plain async functions over a connection or a transaction. No GraphQL here.

pub mod accounts;
pub mod memberships;
pub mod organizations;
pub mod people;
pub mod plans;
pub mod revenues;
pub mod sites;

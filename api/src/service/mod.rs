//! The rules, as plain async functions over a connection or a transaction. No GraphQL here.

pub mod accounts;
pub mod availability;
pub mod booking_blocks;
pub mod booking_changes;
pub mod booking_people;
pub mod booking_queries;
pub mod bookings;
pub mod calendar;
pub mod memberships;
pub mod opening_hours;
pub mod organizations;
pub mod people;
pub mod plans;
pub mod pricing;
pub mod revenues;
pub mod sites;
pub mod space_tree;
pub mod spaces;

//! Behaviour tests: GraphQL documents executed on the schema, on SQLite and PostgreSQL.

mod booking_changes;
mod booking_hierarchy;
mod booking_prices;
mod booking_reads;
mod booking_series;
pub mod bookings;
mod constraints;
mod demo;
pub mod event_fixtures;
mod events;
mod exports;
mod gdpr;
mod grants_and_hours;
mod membership_renewals;
mod memberships;
mod money;
mod people;
pub mod people_fixtures;
mod registrations;
pub mod report_fixtures;
mod reports;
mod roles;
mod roles_events;
mod roles_money;
mod schema;
mod sites;
mod spaces;

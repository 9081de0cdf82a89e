//! End-to-end tests over real HTTP against a real server, on the backend chosen by
//! `LIEU_TEST_DATABASE` (see `lieu_tests`). One binary, so the suite links once.

mod accounts;
mod booking_guarantee;
mod booking_reads;
mod booking_series;
mod bookings;
mod errors_and_limits;
mod gdpr;
mod health_and_migrations;
mod memberships;
mod people;
mod people_concurrency;
mod people_fixtures;
mod roles;
mod schema;
mod sites;
mod spaces;

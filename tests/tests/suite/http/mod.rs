//! End-to-end tests over real HTTP against a real server.

mod accounts;
mod agenda_page;
mod api_keys;
mod audit;
mod booking_guarantee;
mod calendar_feeds;
mod errors_and_limits;
mod events_feed;
mod exports;
mod health_and_migrations;
mod live;
mod people_concurrency;
mod public_pages;
mod registration_race;
mod resilience;
mod staff_accounts;
mod webhooks;

//! Schema migrations, one module per change. They run on `lieu-api serve` and `lieu-api migrate`,
//! on SQLite and PostgreSQL alike, and each one can be rolled back.

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_foundation;
mod m20261123_000002_people_memberships;
mod m20261123_000003_spaces_bookings;
mod m20261201_000004_buffer_after;
mod m20261202_000006_events;
mod m20261202_000007_money;
mod m20261202_000008_accounts;
mod m20261202_000009_user_active;
mod m20261203_000010_window_bounds;
mod m20261203_000011_api_keys;
mod m20261203_000012_webhooks;
mod m20261204_000013_audit_entries;
mod support;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_foundation::Migration),
            Box::new(m20261123_000002_people_memberships::Migration),
            Box::new(m20261123_000003_spaces_bookings::Migration),
            Box::new(m20261201_000004_buffer_after::Migration),
            Box::new(m20261202_000006_events::Migration),
            Box::new(m20261202_000007_money::Migration),
            Box::new(m20261202_000008_accounts::Migration),
            Box::new(m20261202_000009_user_active::Migration),
            Box::new(m20261203_000010_window_bounds::Migration),
            Box::new(m20261203_000011_api_keys::Migration),
            Box::new(m20261203_000012_webhooks::Migration),
            Box::new(m20261204_000013_audit_entries::Migration),
        ]
    }
}

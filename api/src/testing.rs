//! Service tests on an in-memory SQLite database, migrated: the rules, without HTTP or
//! GraphQL. One connection (an in-memory database lives as long as its connection), so a test
//! runs its service calls one after the other.

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use crate::config::DatabaseConfig;
use crate::domain::{Money, Name, PlanPeriod, PlanPrice, SpaceKind};
use crate::service::bookings::{Rates, spaces};
use crate::service::memberships::{self, NewPlan};
use crate::service::people::{self, NewPerson};
use crate::{db, domain::PriceTier};

pub async fn memory_db() -> DatabaseConnection {
    let db = db::connect(&DatabaseConfig {
        url: "sqlite::memory:".into(),
        pool_size: Some(1),
    })
    .await
    .expect("an in-memory database");
    db::migrate(&db).await.expect("migrations");
    db
}

pub fn at(rfc3339: &str) -> DateTime<Utc> {
    rfc3339.parse().expect("an RFC 3339 instant")
}

/// A meeting room of the default site at `hourly` EUR per hour (PUBLIC and MEMBER rates).
pub async fn room(
    db: &DatabaseConnection,
    name: &str,
    buffer_minutes: i32,
    public: i64,
    member: i64,
) -> Uuid {
    spaces::create_space(
        db,
        Utc::now(),
        spaces::NewSpace {
            site_id: None,
            parent_id: None,
            name: Name::parse("name", name).unwrap(),
            kind: SpaceKind::MeetingRoom,
            capacity: 12,
            accessible: true,
            description: None,
            requires_approval: false,
            buffer_minutes,
            rates: Rates::new([
                (PriceTier::Public, public.into(), None),
                (PriceTier::Member, member.into(), None),
            ])
            .unwrap(),
        },
    )
    .await
    .expect("create space")
    .id
}

pub async fn person(db: &DatabaseConnection, first: &str, last: &str) -> Uuid {
    people::create_person(
        db,
        Utc::now(),
        NewPerson::named(
            Name::parse("firstName", first).unwrap(),
            Name::parse("lastName", last).unwrap(),
        ),
    )
    .await
    .expect("create person")
    .id
}

/// A ROLLING plan of `months` months at a fixed price.
pub async fn plan(db: &DatabaseConnection, name: &str, months: u32, euros: i64) -> Uuid {
    memberships::create_plan(
        db,
        Utc::now(),
        NewPlan {
            name: Name::parse("name", name).unwrap(),
            period: PlanPeriod::Rolling,
            period_months: months,
            price: PlanPrice::new(Money::from_cents(euros * 100), None).unwrap(),
            for_organizations: false,
        },
    )
    .await
    .expect("create plan")
    .id
}

//! Membership periods and renewals on an in-memory SQLite, with the payments they record.

use chrono::{Duration, NaiveDate, Utc};
use lieu_entity::revenue;
use sea_orm::EntityTrait;

use super::{NewMembership, cancel_membership, renew_membership, start_membership};
use crate::domain::{Actor, Holder, Money};
use crate::service::sites;
use crate::testing::{memory_db, person, plan};

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[tokio::test]
async fn a_renewal_follows_the_period_or_starts_today_after_a_lapse() {
    let db = memory_db().await;
    let now = Utc::now();
    let today = sites::today(&db, now).await.unwrap();
    let ana = person(&db, "Ana", "Lopez").await;
    let plan = plan(&db, "Trimestre", 3, 15).await;
    // Current: started a month ago, renewed ahead: the renewal starts the day after it ends.
    let current = start_membership(
        &db,
        now,
        Actor::System,
        NewMembership {
            plan_id: plan,
            holder: Holder::Person(ana),
            starts_on: today - Duration::days(30),
            amount_paid: Money::from_cents(1500),
        },
    )
    .await
    .unwrap();
    assert_eq!(
        current.ends_on,
        (today - Duration::days(30))
            .checked_add_months(chrono::Months::new(3))
            .unwrap()
            .pred_opt()
            .unwrap()
    );
    let renewal = renew_membership(&db, now, current.id, Money::from_cents(1500))
        .await
        .unwrap();
    assert_eq!(renewal.starts_on, current.ends_on + Duration::days(1));
    assert_eq!(renewal.previous_id, Some(current.id));
    // Renewing the same one again: already renewed.
    let again = renew_membership(&db, now, current.id, Money::from_cents(1500))
        .await
        .unwrap_err();
    assert_eq!(again.code(), "INVALID_STATE");

    // Lapsed: ended last year; a renewal starts today, never back-filled.
    let bob = person(&db, "Bob", "Martin").await;
    let old = start_membership(
        &db,
        now,
        Actor::System,
        NewMembership {
            plan_id: plan,
            holder: Holder::Person(bob),
            starts_on: day("2020-01-01"),
            amount_paid: Money::from_cents(1500),
        },
    )
    .await
    .unwrap();
    assert_eq!(old.ends_on, day("2020-03-31"));
    let lapsed = renew_membership(&db, now, old.id, Money::from_cents(1500))
        .await
        .unwrap();
    assert_eq!(lapsed.starts_on, today);
    // A wrong amount for a fixed-price plan.
    let wrong = renew_membership(&db, now, lapsed.id, Money::from_cents(1000))
        .await
        .unwrap_err();
    assert_eq!(wrong.code(), "VALIDATION");

    // Every payment is one MEMBERSHIP revenue pointing at its membership.
    let lines = revenue::Entity::find().all(&db).await.unwrap();
    assert_eq!(lines.len(), 4);
    assert!(
        lines
            .iter()
            .all(|r| r.stream == "MEMBERSHIP" && r.membership_id.is_some())
    );
    assert!(lines.iter().all(|r| r.received_on == today));

    // A cancelled membership cannot be renewed; cancelling twice is refused.
    cancel_membership(&db, now, lapsed.id).await.unwrap();
    assert_eq!(
        cancel_membership(&db, now, lapsed.id)
            .await
            .unwrap_err()
            .code(),
        "INVALID_STATE"
    );
    assert_eq!(
        renew_membership(&db, now, lapsed.id, Money::from_cents(1500))
            .await
            .unwrap_err()
            .code(),
        "INVALID_STATE"
    );
}

//! The booking rules on an in-memory SQLite: buffers, series priced per occurrence, and the
//! holder checks bookings share with the other areas.

use crate::service::activity::ActivityBus;
use chrono::{Duration, NaiveDate, Utc};

use super::{NewBooking, create_booking, create_series, quote};
use crate::domain::{
    Actor, Frequency, Holder, Money, Name, PriceTier, Recurrence, StoredEnum, TimeRange,
};
use crate::service::memberships::{self, NewMembership};
use crate::service::{gdpr, people};
use crate::testing::{at, memory_db, person, plan, room};

fn booking(space: uuid::Uuid, start: &str, end: &str, booker: Option<Holder>) -> NewBooking {
    NewBooking {
        space_id: space,
        range: TimeRange::new(at(start), at(end), Duration::days(366), "end").unwrap(),
        title: Name::parse("title", "Réunion").unwrap(),
        booker,
        tier: None,
        attendees: None,
        notes: None,
        pricing: super::Pricing::Rated,
    }
}

#[tokio::test]
async fn a_buffer_is_held_after_a_booking_not_before() {
    let db = memory_db().await;
    let kitchen = room(&db, "Cuisine", 30, 10, 10).await;
    create_booking(
        &db,
        &ActivityBus::new(),
        Utc::now(),
        Actor::System,
        booking(
            kitchen,
            "2027-01-12T10:00:00Z",
            "2027-01-12T12:00:00Z",
            None,
        ),
    )
    .await
    .unwrap();
    let refused = create_booking(
        &db,
        &ActivityBus::new(),
        Utc::now(),
        Actor::System,
        booking(
            kitchen,
            "2027-01-12T12:15:00Z",
            "2027-01-12T13:00:00Z",
            None,
        ),
    )
    .await
    .unwrap_err();
    assert_eq!(refused.code(), "BOOKING_CONFLICT");
    // The quote says so without writing.
    let q = quote(
        &db,
        &booking(
            kitchen,
            "2027-01-12T12:29:00Z",
            "2027-01-12T13:00:00Z",
            None,
        ),
    )
    .await
    .unwrap();
    assert_eq!(q.conflicts.len(), 1);
    for (start, end) in [
        ("2027-01-12T12:30:00Z", "2027-01-12T13:00:00Z"),
        ("2027-01-12T08:00:00Z", "2027-01-12T09:30:00Z"),
    ] {
        create_booking(
            &db,
            &ActivityBus::new(),
            Utc::now(),
            Actor::System,
            booking(kitchen, start, end, None),
        )
        .await
        .unwrap();
    }
}

#[tokio::test]
async fn a_series_is_priced_per_occurrence_at_the_tier_of_its_day() {
    let db = memory_db().await;
    let space = room(&db, "Salle", 0, 20, 10).await;
    let ana = person(&db, "Ana", "Lopez").await;
    // A member from 1 to 14 February 2027 (a one-month plan started on 15 January).
    let plan = plan(&db, "Mensuelle", 1, 5).await;
    memberships::start_membership(
        &db,
        Utc::now(),
        Actor::System,
        NewMembership {
            plan_id: plan,
            holder: Holder::Person(ana),
            starts_on: NaiveDate::from_ymd_opt(2027, 1, 15).unwrap(),
            amount_paid: Money::from_cents(500),
        },
    )
    .await
    .unwrap();
    // Weekly, two hours, from Tuesday 2 February: 2, 9 and 16 February.
    let created = create_series(
        &db,
        &ActivityBus::new(),
        Utc::now(),
        Actor::System,
        booking(
            space,
            "2027-02-02T09:00:00Z",
            "2027-02-02T11:00:00Z",
            Some(Holder::Person(ana)),
        ),
        Recurrence::new(Frequency::Weekly, None, Some(3), None).unwrap(),
    )
    .await
    .unwrap();
    let priced: Vec<(PriceTier, i64)> = created
        .iter()
        .map(|b| {
            (
                PriceTier::from_stored("bookings.tier", &b.tier).unwrap(),
                b.price_cents,
            )
        })
        .collect();
    assert_eq!(
        priced,
        [
            (PriceTier::Member, 2000),
            (PriceTier::Member, 2000),
            (PriceTier::Public, 4000)
        ]
    );
    assert!(created.iter().all(|b| b.series_id == created[0].series_id));
}

#[tokio::test]
async fn an_unknown_booker_is_not_found_and_an_erased_one_cannot_book() {
    let db = memory_db().await;
    let space = room(&db, "Salle", 0, 20, 10).await;
    let nobody = uuid::Uuid::new_v4();
    let err = create_booking(
        &db,
        &ActivityBus::new(),
        Utc::now(),
        Actor::System,
        booking(
            space,
            "2027-01-12T09:00:00Z",
            "2027-01-12T10:00:00Z",
            Some(Holder::Person(nobody)),
        ),
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "NOT_FOUND");
    assert!(matches!(err, crate::AppError::NotFound { field: Some(ref f), .. } if f == "personId"));
    let err = create_booking(
        &db,
        &ActivityBus::new(),
        Utc::now(),
        Actor::System,
        booking(
            space,
            "2027-01-12T09:00:00Z",
            "2027-01-12T10:00:00Z",
            Some(Holder::Organization(nobody)),
        ),
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "NOT_FOUND");

    let gone = person(&db, "Léa", "Martin").await;
    gdpr::erase_person(&db, Utc::now(), gone).await.unwrap();
    let err = create_booking(
        &db,
        &ActivityBus::new(),
        Utc::now(),
        Actor::System,
        booking(
            space,
            "2027-01-12T09:00:00Z",
            "2027-01-12T10:00:00Z",
            Some(Holder::Person(gone)),
        ),
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "INVALID_STATE");
    // The same situation, the same code, in the other areas.
    let plan = plan(&db, "Annuelle", 12, 20).await;
    let err = memberships::start_membership(
        &db,
        Utc::now(),
        Actor::System,
        NewMembership {
            plan_id: plan,
            holder: Holder::Person(gone),
            starts_on: NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
            amount_paid: Money::from_cents(2000),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "INVALID_STATE");
    let err = memberships::start_membership(
        &db,
        Utc::now(),
        Actor::System,
        NewMembership {
            plan_id: plan,
            holder: Holder::Person(nobody),
            starts_on: NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
            amount_paid: Money::from_cents(2000),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "NOT_FOUND");
    let err = people::update_person(&db, Utc::now(), gone, Default::default())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "INVALID_STATE");
}

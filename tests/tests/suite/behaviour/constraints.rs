//! The constraint table (`db::constraints`) against the real databases: each rule the
//! database keeps, violated behind the server's back, is recognised by name on both engines.

use lieu_api::db::constraints::{Constraint, violated};
use lieu_api::domain::Role;
use lieu_tests::serde_json::json;
use lieu_tests::spawn_schema;
use sea_orm::ConnectionTrait;

#[tokio::test]
async fn every_constraint_of_the_table_is_recognised_on_this_database() {
    let app = spawn_schema().await;
    let manager = app.token_for(Role::Manager).await;
    let room = app
        .create_space(
            &manager,
            "Salle",
            json!({"rates": [{"tier": "PUBLIC", "hourly": "10"}]}),
        )
        .await;
    let booking = app
        .book(
            &manager,
            json!({"spaceId": room, "start": "2027-01-12T09:00:00Z", "end": "2027-01-12T10:00:00Z", "title": "A"}),
        )
        .await;
    let booking = booking.data()["createBooking"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let other_room = app.create_space(&manager, "Autre", json!({})).await;
    for (space, title, start, end) in [
        (&room, "B", "2027-01-12T11:00:00Z", "2027-01-12T12:00:00Z"),
        (
            &other_room,
            "C",
            "2027-01-12T09:00:00Z",
            "2027-01-12T10:00:00Z",
        ),
    ] {
        app.book(
            &manager,
            json!({"spaceId": space, "start": start, "end": end, "title": title}),
        )
        .await
        .data();
    }
    app.gql_as(
        &manager,
        "mutation($id: ID!) { markBookingPaid(id: $id) { paid } }",
        json!({"id": booking}),
    )
    .await
    .data();
    let now = "2027-01-01T00:00:00+00:00";
    let person = |id: u128| {
        format!(
            "INSERT INTO people (id, first_name, last_name, email, email_key, consent_to_contact, \
             first_key, last_key, search_text, created_at, updated_at) VALUES \
             ('{}', 'A', 'B', 'a@b.org', 'a@b.org', false, 'a', 'b', 'b a', '{now}', '{now}')",
            uuid::Uuid::from_u128(id)
        )
    };
    let organization = |id: u128| {
        format!(
            "INSERT INTO organizations (id, name, kind, resident, search_text, created_at, \
             updated_at) VALUES ('{}', 'Asso', 'OTHER', false, 'asso', '{now}', '{now}')",
            uuid::Uuid::from_u128(id)
        )
    };
    let plan = |id: u128| {
        format!(
            "INSERT INTO membership_plans (id, name, name_key, period, period_months, \
             price_cents, for_organizations, created_at) VALUES \
             ('{}', 'Plan', 'plan', 'ROLLING', 12, 100, false, '{now}')",
            uuid::Uuid::from_u128(id)
        )
    };
    let user = |id: u128| {
        format!(
            "INSERT INTO users (id, email, email_key, name, role, password_hash, created_at) \
             VALUES ('{}', 'u@b.org', 'u@b.org', 'U', 'ADMIN', 'x', '{now}')",
            uuid::Uuid::from_u128(id)
        )
    };
    let cases = [
        (person(1), person(2), Constraint::PersonEmail),
        (
            organization(3),
            organization(4),
            Constraint::OrganizationName,
        ),
        (plan(5), plan(6), Constraint::PlanName),
        (user(7), user(8), Constraint::UserEmail),
        (
            String::new(),
            "UPDATE bookings SET revenue_id = (SELECT revenue_id FROM bookings WHERE title = 'A') \
             WHERE title = 'B'"
                .to_string(),
            Constraint::BookingPaidOnce,
        ),
        (
            String::new(),
            // C's booking also on A's space, at A's time.
            "INSERT INTO booking_blocks (booking_id, space_id, starts_at, ends_at) \
             SELECT c.id, a.space_id, a.starts_at, a.ends_at FROM bookings c, booking_blocks a \
             WHERE c.title = 'C' AND a.booking_id = (SELECT id FROM bookings WHERE title = 'A')"
                .to_string(),
            Constraint::BookingOverlap,
        ),
    ];
    for (first, again, constraint) in cases {
        if !first.is_empty() {
            app.db.execute_unprepared(&first).await.expect(&first);
        }
        let err = app.db.execute_unprepared(&again).await.unwrap_err();
        assert_eq!(violated(&err), Some(constraint), "{err}");
        assert_ne!(constraint.error().code(), "INTERNAL");
    }
}

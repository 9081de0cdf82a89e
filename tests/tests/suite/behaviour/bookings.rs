//! The booking engine: conflicts, buffers, hierarchy, approval, cancellation, who may read,
//! lists (prices and payments in `booking_prices`, input and changes in `booking_changes`,
//! halls, halves and their buffers in `booking_hierarchy`).

use lieu_api::domain::Role;
use lieu_tests::serde_json::{Value, json};
use lieu_tests::{TestApp, fixtures, spawn_schema};

pub struct Desk {
    pub app: TestApp,
    pub manager: String,
    pub volunteer: String,
}

pub async fn desk() -> Desk {
    let app = spawn_schema().await;
    let manager = app.token_for(Role::Manager).await;
    let volunteer = app.token_for(Role::Volunteer).await;
    Desk {
        app,
        manager,
        volunteer,
    }
}

pub fn slot(space: &str, start: &str, end: &str) -> Value {
    json!({ "spaceId": space, "start": start, "end": end, "title": "Réunion" })
}

#[tokio::test]
async fn an_overlap_is_refused_with_the_conflict_listed_and_back_to_back_is_fine() {
    let Desk {
        app,
        manager,
        volunteer,
    } = desk().await;
    let room = app.create_space(&manager, "Salle", json!({})).await;
    let first = app
        .book(
            &volunteer,
            slot(&room, "2027-01-12T09:00:00Z", "2027-01-12T11:00:00Z"),
        )
        .await;
    let first_id = first.data()["createBooking"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(first.data()["createBooking"]["status"], "CONFIRMED");

    let overlap = app
        .book(
            &volunteer,
            slot(
                &room,
                "2027-01-12T10:30:00+01:00",
                "2027-01-12T12:00:00+01:00",
            ),
        )
        .await;
    assert_eq!(overlap.error_code(), "BOOKING_CONFLICT");
    let conflicts = &overlap.first_error()["extensions"]["conflicts"];
    assert_eq!(conflicts.as_array().unwrap().len(), 1);
    assert_eq!(conflicts[0]["bookingId"], first_id.as_str());
    assert_eq!(conflicts[0]["start"], "2027-01-12T10:00:00+01:00");
    assert_eq!(conflicts[0]["end"], "2027-01-12T12:00:00+01:00");

    // Half-open intervals: ending at 09:00 and starting at 11:00 touch without overlapping.
    for (start, end) in [
        ("2027-01-12T08:00:00Z", "2027-01-12T09:00:00Z"),
        ("2027-01-12T11:00:00Z", "2027-01-12T12:00:00Z"),
    ] {
        app.book(&volunteer, slot(&room, start, end)).await.data();
    }
    // Another room at the same time is free.
    let other = app.create_space(&manager, "Autre salle", json!({})).await;
    app.book(
        &volunteer,
        slot(&other, "2027-01-12T09:00:00Z", "2027-01-12T11:00:00Z"),
    )
    .await
    .data();
    assert_eq!(app.count_rows("bookings").await, 4);
}

#[tokio::test]
async fn a_buffer_is_the_clean_up_time_after_each_booking() {
    let Desk {
        app,
        manager,
        volunteer,
    } = desk().await;
    // 30 minutes to clean the kitchen after each use: a booking holds [start, end + 30 min),
    // so two bookings are 30 minutes apart (one buffer, not two).
    let kitchen = app
        .create_space(
            &manager,
            "Cuisine",
            json!({"kind": "KITCHEN", "bufferMinutes": 30}),
        )
        .await;
    let lunch = app
        .book(
            &volunteer,
            slot(&kitchen, "2027-01-12T10:00:00Z", "2027-01-12T12:00:00Z"),
        )
        .await;
    let lunch_id = lunch.data()["createBooking"]["id"].clone();
    for (start, end) in [
        ("2027-01-12T12:15:00Z", "2027-01-12T13:00:00Z"),
        ("2027-01-12T12:29:00Z", "2027-01-12T13:00:00Z"),
        // Ending at 09:45 leaves its own clean-up running into 10:15.
        ("2027-01-12T08:00:00Z", "2027-01-12T09:45:00Z"),
    ] {
        let refused = app.book(&volunteer, slot(&kitchen, start, end)).await;
        assert_eq!(refused.error_code(), "BOOKING_CONFLICT", "{start}");
        assert_eq!(
            refused.first_error()["extensions"]["conflicts"][0]["bookingId"],
            lunch_id,
            "{start}"
        );
    }
    app.book(
        &volunteer,
        slot(&kitchen, "2027-01-12T12:30:00Z", "2027-01-12T13:00:00Z"),
    )
    .await
    .data();
    app.book(
        &volunteer,
        slot(&kitchen, "2027-01-12T08:00:00Z", "2027-01-12T09:30:00Z"),
    )
    .await
    .data();
    // What the database holds says the same: [start, end + buffer).
    let blocks = app
        .count_rows(
            "booking_blocks WHERE starts_at = (SELECT starts_at FROM bookings b WHERE b.id = booking_id)",
        )
        .await;
    assert_eq!(blocks, 3);
}

#[tokio::test]
async fn approval_confirm_cancel_and_their_invalid_states() {
    let Desk {
        app,
        manager,
        volunteer,
    } = desk().await;
    let room = app
        .create_space(&manager, "Studio", json!({"requiresApproval": true}))
        .await;
    let booked = app
        .book(
            &volunteer,
            slot(&room, "2027-01-12T09:00:00Z", "2027-01-12T10:00:00Z"),
        )
        .await;
    let id = booked.data()["createBooking"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(booked.data()["createBooking"]["status"], "PENDING");
    // A pending booking holds its slot.
    assert_eq!(
        app.book(
            &volunteer,
            slot(&room, "2027-01-12T09:30:00Z", "2027-01-12T10:30:00Z")
        )
        .await
        .error_code(),
        "BOOKING_CONFLICT"
    );
    let confirm = "mutation($id: ID!) { confirmBooking(id: $id) { status } }";
    // Volunteers cannot confirm.
    assert_eq!(
        app.gql_as(&volunteer, confirm, json!({ "id": id }))
            .await
            .error_code(),
        "FORBIDDEN"
    );
    assert_eq!(
        app.gql_as(&manager, confirm, json!({ "id": id }))
            .await
            .data()["confirmBooking"]["status"],
        "CONFIRMED"
    );
    assert_eq!(
        app.gql_as(&manager, confirm, json!({ "id": id }))
            .await
            .error_code(),
        "INVALID_STATE"
    );
    let cancel = "mutation($id: ID!) { cancelBooking(id: $id) { status } }";
    assert_eq!(
        app.gql_as(&volunteer, cancel, json!({ "id": id }))
            .await
            .data()["cancelBooking"]["status"],
        "CANCELLED"
    );
    assert_eq!(
        app.gql_as(&volunteer, cancel, json!({ "id": id }))
            .await
            .error_code(),
        "INVALID_STATE"
    );
    assert_eq!(
        app.gql_as(&volunteer, cancel, json!({ "id": uuid::Uuid::new_v4() }))
            .await
            .error_code(),
        "NOT_FOUND"
    );
    // The cancelled booking freed the slot.
    app.book(
        &volunteer,
        slot(&room, "2027-01-12T09:30:00Z", "2027-01-12T10:30:00Z"),
    )
    .await
    .data();
}

#[tokio::test]
async fn anonymous_callers_see_no_bookings() {
    let Desk {
        app,
        manager,
        volunteer,
    } = desk().await;
    let room = app.create_space(&manager, "Salle", json!({})).await;
    app.book(
        &volunteer,
        slot(&room, "2027-01-12T09:00:00Z", "2027-01-12T10:00:00Z"),
    )
    .await
    .data();
    for query in [
        "{ bookings { totalCount } }",
        "query($i: CreateBookingInput!) { quoteBooking(input: $i) { price } }",
    ] {
        let response = app
            .gql(
                query,
                json!({"i": slot(&room, "2027-01-13T09:00:00Z", "2027-01-13T10:00:00Z")}),
            )
            .await;
        assert_eq!(response.error_code(), "UNAUTHENTICATED", "{query}");
    }
    let anonymous = app
        .book(
            "",
            slot(&room, "2027-01-13T09:00:00Z", "2027-01-13T10:00:00Z"),
        )
        .await;
    assert_eq!(anonymous.error_code(), "UNAUTHENTICATED");
}

#[tokio::test]
async fn bookings_are_listed_filtered_and_paginated() {
    let Desk {
        app,
        manager,
        volunteer,
    } = desk().await;
    let room = app.create_space(&manager, "Salle", json!({})).await;
    let other = app.create_space(&manager, "Atelier", json!({})).await;
    let person = fixtures::person(&app.db, "Ana", "Lopez").await;
    for day in 10..16 {
        let mut input = slot(
            &room,
            &format!("2027-01-{day}T09:00:00Z"),
            &format!("2027-01-{day}T10:00:00Z"),
        );
        if day % 2 == 0 {
            input["personId"] = json!(person);
        }
        app.book(&volunteer, input).await.data();
    }
    app.book(
        &volunteer,
        slot(&other, "2027-01-12T09:00:00Z", "2027-01-12T10:00:00Z"),
    )
    .await
    .data();

    let list = "query($f: BookingFilter, $first: Int, $after: String) { bookings(filter: $f, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { start space { name } booker { ... on Person { firstName } } } } } }";
    let page = app
        .gql_as(
            &volunteer,
            list,
            json!({"f": {"spaceId": room}, "first": 4}),
        )
        .await;
    let bookings = &page.data()["bookings"];
    assert_eq!(bookings["totalCount"], 6);
    assert_eq!(bookings["pageInfo"]["hasNextPage"], true);
    assert_eq!(
        bookings["edges"][0]["node"]["start"],
        "2027-01-10T10:00:00+01:00"
    );
    assert_eq!(bookings["edges"][0]["node"]["booker"]["firstName"], "Ana");
    let next = app
        .gql_as(
            &volunteer,
            list,
            json!({"f": {"spaceId": room}, "first": 4, "after": bookings["pageInfo"]["endCursor"]}),
        )
        .await;
    assert_eq!(
        next.data()["bookings"]["edges"].as_array().unwrap().len(),
        2
    );
    assert_eq!(next.data()["bookings"]["pageInfo"]["hasNextPage"], false);

    let window = app
        .gql_as(
            &volunteer,
            list,
            json!({"f": {"from": "2027-01-12T00:00:00Z", "to": "2027-01-13T00:00:00Z"}}),
        )
        .await;
    assert_eq!(
        window.data()["bookings"]["totalCount"],
        2,
        "both spaces on the 12th"
    );
    let by_person = app
        .gql_as(&volunteer, list, json!({"f": {"personId": person}}))
        .await;
    assert_eq!(by_person.data()["bookings"]["totalCount"], 3);
    let cancelled = app
        .gql_as(&volunteer, list, json!({"f": {"status": "CANCELLED"}}))
        .await;
    assert_eq!(cancelled.data()["bookings"]["totalCount"], 0);
}

/// Migration 4 (the buffer after a booking only) on real bookings, both ways: rolled back,
/// blocks start a buffer early again; applied again, they start with their booking.
#[tokio::test]
async fn the_buffer_migration_moves_existing_blocks_both_ways() {
    use lieu_migration::{Migrator, MigratorTrait};
    let Desk {
        app,
        manager,
        volunteer,
    } = desk().await;
    let kitchen = app
        .create_space(&manager, "Cuisine", json!({"bufferMinutes": 30}))
        .await;
    let half = app
        .create_space(&manager, "Coin", json!({"parentId": kitchen}))
        .await;
    app.book(
        &volunteer,
        slot(&kitchen, "2027-01-12T10:00:00Z", "2027-01-12T12:00:00Z"),
    )
    .await
    .data();
    app.book(
        &volunteer,
        slot(&half, "2027-01-12T14:00:00Z", "2027-01-12T15:00:00Z"),
    )
    .await
    .data();
    let starting_with_booking = "booking_blocks WHERE starts_at = (SELECT b.starts_at FROM bookings b WHERE b.id = booking_id)";
    assert_eq!(app.count_rows(starting_with_booking).await, 3);
    let conn = app.database.connect().await;
    // Back to before migration 4, the ones after it included.
    let names: Vec<String> = Migrator::migrations()
        .iter()
        .map(|m| m.name().to_string())
        .collect();
    let at = names
        .iter()
        .position(|n| n.contains("buffer_after"))
        .unwrap();
    Migrator::down(&conn, Some((names.len() - at) as u32))
        .await
        .unwrap();
    // The kitchen's booking (on the kitchen and its corner) starts 30 minutes early again; the
    // corner's own booking has no buffer.
    assert_eq!(app.count_rows(starting_with_booking).await, 1);
    Migrator::up(&conn, None).await.unwrap();
    assert_eq!(app.count_rows(starting_with_booking).await, 3);
    // And the rule the blocks now hold: 12:30 is free after the kitchen's 10:00-12:00.
    app.book(
        &volunteer,
        slot(&kitchen, "2027-01-12T12:30:00Z", "2027-01-12T13:00:00Z"),
    )
    .await
    .data();
}

#[tokio::test]
async fn a_past_or_far_booking_is_a_managers_entry_not_a_volunteers() {
    let Desk {
        app,
        manager,
        volunteer,
    } = desk().await;
    let room = app.create_space(&manager, "Salle", json!({})).await;
    let now = chrono::Utc::now();
    let at = |days: i64| {
        (now + chrono::Duration::days(days))
            .format("%Y-%m-%dT10:00:00+01:00")
            .to_string()
    };
    let until = |days: i64| {
        (now + chrono::Duration::days(days))
            .format("%Y-%m-%dT11:00:00+01:00")
            .to_string()
    };
    for days in [-2, 365 * 5 + 3] {
        let input = slot(&room, &at(days), &until(days));
        let refused = app.book(&volunteer, input.clone()).await;
        assert_eq!(refused.error_code(), "VALIDATION", "{days}");
        assert_eq!(refused.first_error()["extensions"]["field"], "start");
        assert!(
            refused.first_error()["message"]
                .as_str()
                .unwrap()
                .contains("a manager can"),
            "{}",
            refused.body
        );
        app.book(&manager, input).await.data();
    }
    assert_eq!(app.count_rows("bookings").await, 2);
    // Moving a booking into the past is the same typo.
    let booked = app.book(&volunteer, slot(&room, &at(3), &until(3))).await;
    let moved = app
        .gql_as(
            &volunteer,
            "mutation($id: ID!, $s: DateTime!, $e: DateTime!) { updateBooking(id: $id, input: {start: $s, end: $e}) { id } }",
            json!({"id": booked.data()["createBooking"]["id"], "s": at(-3), "e": until(-3)}),
        )
        .await;
    assert_eq!(moved.error_code(), "VALIDATION");
}

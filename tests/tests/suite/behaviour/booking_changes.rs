//! Bad booking input, and changing a booking (moving, editing) under the same rules as a new
//! one.

use lieu_tests::fixtures;
use lieu_tests::serde_json::json;

use super::bookings::{Desk, desk, slot};

#[tokio::test]
async fn bad_booking_input_is_validation_and_writes_nothing() {
    let Desk {
        app,
        manager,
        volunteer,
    } = desk().await;
    let room = app
        .create_space(&manager, "Salle", json!({"capacity": 12}))
        .await;
    let person = fixtures::person(&app.db, "Ana", "Lopez").await;
    let org = fixtures::organization(&app.db, "Asso", false).await;
    let cases = [
        (
            slot(&room, "2027-01-12T10:00:00Z", "2027-01-12T09:00:00Z"),
            "end",
        ),
        (
            slot(&room, "2027-01-12T10:00:00Z", "2027-01-12T10:00:00Z"),
            "end",
        ),
        (
            slot("not-an-id", "2027-01-12T09:00:00Z", "2027-01-12T10:00:00Z"),
            "spaceId",
        ),
        (
            json!({"spaceId": room, "start": "2027-01-12T09:00:00Z", "end": "2027-01-12T10:00:00Z", "title": "x", "attendees": 13}),
            "attendees",
        ),
        (
            json!({"spaceId": room, "start": "2027-01-12T09:00:00Z", "end": "2027-01-12T10:00:00Z", "title": "x", "attendees": 0}),
            "attendees",
        ),
        (
            json!({"spaceId": room, "start": "2027-01-12T09:00:00Z", "end": "2027-01-12T10:00:00Z", "title": " "}),
            "title",
        ),
        (
            json!({"spaceId": room, "start": "2027-01-12T09:00:00Z", "end": "2027-01-12T10:00:00Z", "title": "x", "personId": person, "organizationId": org}),
            "organizationId",
        ),
        (
            slot(&room, "2027-01-12T09:00:00Z", "2028-02-12T09:00:00Z"),
            "end",
        ),
    ];
    for (input, field) in &cases {
        let response = app.book(&volunteer, input.clone()).await;
        assert_eq!(response.error_code(), "VALIDATION", "{input}");
        assert_eq!(
            response.first_error()["extensions"]["field"],
            *field,
            "{input}"
        );
    }
    // An id that names nothing is NOT_FOUND, with the field that named it (as in every area).
    for (input, field) in [
        (
            slot(
                &uuid::Uuid::new_v4().to_string(),
                "2027-01-12T09:00:00Z",
                "2027-01-12T10:00:00Z",
            ),
            "spaceId",
        ),
        (
            json!({"spaceId": room, "start": "2027-01-12T09:00:00Z", "end": "2027-01-12T10:00:00Z", "title": "x", "personId": uuid::Uuid::new_v4()}),
            "personId",
        ),
        (
            json!({"spaceId": room, "start": "2027-01-12T09:00:00Z", "end": "2027-01-12T10:00:00Z", "title": "x", "organizationId": uuid::Uuid::new_v4()}),
            "organizationId",
        ),
    ] {
        let response = app.book(&volunteer, input.clone()).await;
        assert_eq!(response.error_code(), "NOT_FOUND", "{input}");
        assert_eq!(response.first_error()["extensions"]["field"], field);
    }
    // Twelve people fit in a room for twelve.
    let full = json!({"spaceId": room, "start": "2027-01-12T09:00:00Z", "end": "2027-01-12T10:00:00Z", "title": "x", "attendees": 12});
    assert_eq!(
        app.book(&volunteer, full).await.data()["createBooking"]["attendees"],
        12
    );
    assert_eq!(app.count_rows("bookings").await, 1);
    assert_eq!(app.count_rows("booking_blocks").await, 1);
}

const UPDATE: &str = "mutation($id: ID!, $i: UpdateBookingInput!) { updateBooking(id: $id, input: $i) { start end title attendees notes price paid status } }";

#[tokio::test]
async fn a_booking_can_be_moved_and_edited_under_the_same_rules() {
    let Desk {
        app,
        manager,
        volunteer,
    } = desk().await;
    let room = app
        .create_space(&manager, "Salle", json!({"capacity": 10, "bufferMinutes": 15, "rates": [{"tier": "PUBLIC", "hourly": "20"}]}))
        .await;
    let first = app
        .book(
            &volunteer,
            slot(&room, "2027-01-12T09:00:00Z", "2027-01-12T10:00:00Z"),
        )
        .await;
    let id = first.data()["createBooking"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let other = app
        .book(
            &volunteer,
            slot(&room, "2027-01-12T12:00:00Z", "2027-01-12T13:00:00Z"),
        )
        .await;
    let other_id = other.data()["createBooking"]["id"]
        .as_str()
        .unwrap()
        .to_string();

    // Longer, over its own old slot: fine, and priced again (2 h at 20).
    let moved = app
        .gql_as(&volunteer, UPDATE, json!({"id": id, "i": {"end": "2027-01-12T11:00:00Z", "title": "AG", "attendees": 10, "notes": "clés à l'accueil"}}))
        .await;
    assert_eq!(
        moved.data()["updateBooking"],
        json!({"start": "2027-01-12T10:00:00+01:00", "end": "2027-01-12T12:00:00+01:00", "title": "AG", "attendees": 10, "notes": "clés à l'accueil", "price": "40.00", "paid": false, "status": "CONFIRMED"})
    );
    // Into the other booking's buffer: refused, naming it; nothing changed.
    let refused = app
        .gql_as(
            &volunteer,
            UPDATE,
            json!({"id": id, "i": {"end": "2027-01-12T11:50:00Z"}}),
        )
        .await;
    assert_eq!(refused.error_code(), "BOOKING_CONFLICT");
    assert_eq!(
        refused.first_error()["extensions"]["conflicts"][0]["bookingId"],
        other_id.as_str()
    );
    // The freed part of the old slot can be booked by someone else… and its new slot cannot.
    app.book(
        &volunteer,
        slot(&room, "2027-01-13T09:00:00Z", "2027-01-13T10:00:00Z"),
    )
    .await
    .data();
    assert_eq!(
        app.book(
            &volunteer,
            slot(&room, "2027-01-12T10:30:00Z", "2027-01-12T11:00:00Z")
        )
        .await
        .error_code(),
        "BOOKING_CONFLICT"
    );
    // Bad input: VALIDATION, nothing written.
    for (input, field) in [
        (json!({"attendees": 11}), "attendees"),
        (json!({"end": "2027-01-12T08:00:00Z"}), "end"),
        (json!({"title": "  "}), "title"),
    ] {
        let bad = app
            .gql_as(&volunteer, UPDATE, json!({"id": id, "i": input}))
            .await;
        assert_eq!(bad.error_code(), "VALIDATION", "{input}");
        assert_eq!(bad.first_error()["extensions"]["field"], field, "{input}");
    }
    let unchanged = app
        .gql_as(
            &volunteer,
            "query($id: ID!) { booking(id: $id) { end attendees price } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(
        unchanged.data()["booking"],
        json!({"end": "2027-01-12T12:00:00+01:00", "attendees": 10, "price": "40.00"})
    );
    // Attendees cleared with null.
    let cleared = app
        .gql_as(
            &volunteer,
            UPDATE,
            json!({"id": id, "i": {"attendees": null}}),
        )
        .await;
    assert!(cleared.data()["updateBooking"]["attendees"].is_null());

    // Paid: it may move to a time of the same price, not to a dearer one.
    app.gql_as(
        &volunteer,
        "mutation($id: ID!) { markBookingPaid(id: $id) { paid } }",
        json!({"id": id}),
    )
    .await
    .data();
    let same_price = app
        .gql_as(&volunteer, UPDATE, json!({"id": id, "i": {"start": "2027-01-14T09:00:00Z", "end": "2027-01-14T11:00:00Z"}}))
        .await;
    assert_eq!(same_price.data()["updateBooking"]["paid"], true);
    let dearer = app
        .gql_as(
            &volunteer,
            UPDATE,
            json!({"id": id, "i": {"end": "2027-01-14T12:00:00Z"}}),
        )
        .await;
    assert_eq!(dearer.error_code(), "INVALID_STATE");

    // Cancelled: no more changes; unknown: NOT_FOUND.
    app.gql_as(
        &volunteer,
        "mutation($id: ID!) { cancelBooking(id: $id) { status } }",
        json!({"id": other_id}),
    )
    .await
    .data();
    assert_eq!(
        app.gql_as(
            &volunteer,
            UPDATE,
            json!({"id": other_id, "i": {"title": "x"}})
        )
        .await
        .error_code(),
        "INVALID_STATE"
    );
    assert_eq!(
        app.gql_as(
            &volunteer,
            UPDATE,
            json!({"id": uuid::Uuid::new_v4(), "i": {"title": "x"}})
        )
        .await
        .error_code(),
        "NOT_FOUND"
    );
}

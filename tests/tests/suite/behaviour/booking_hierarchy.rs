//! Bookings through the space hierarchy: a hall and its halves block each other, the
//! buffer of the earlier booking applies across levels, and a space moved under a parent is
//! refused when bookings would overlap.

use lieu_tests::serde_json::json;

use super::bookings::{Desk, desk, slot};

#[tokio::test]
async fn through_the_hierarchy_the_earlier_bookings_buffer_applies() {
    let Desk {
        app,
        manager,
        volunteer,
    } = desk().await;
    // A hall cleaned for an hour after each use; its half needs no buffer.
    let hall = app
        .create_space(&manager, "Salle des fêtes", json!({"bufferMinutes": 60}))
        .await;
    let half = app
        .create_space(&manager, "Demi-salle", json!({"parentId": hall}))
        .await;
    app.book(
        &volunteer,
        slot(&hall, "2027-01-12T10:00:00Z", "2027-01-12T12:00:00Z"),
    )
    .await
    .data();
    // After the hall: its hour of cleaning keeps the half too.
    assert_eq!(
        app.book(
            &volunteer,
            slot(&half, "2027-01-12T12:30:00Z", "2027-01-12T13:00:00Z")
        )
        .await
        .error_code(),
        "BOOKING_CONFLICT"
    );
    app.book(
        &volunteer,
        slot(&half, "2027-01-12T13:00:00Z", "2027-01-12T14:00:00Z"),
    )
    .await
    .data();
    // Before the hall: the half's own buffer (none) applies, so it may end at 10:00.
    app.book(
        &volunteer,
        slot(&half, "2027-01-12T09:00:00Z", "2027-01-12T10:00:00Z"),
    )
    .await
    .data();
}

#[tokio::test]
async fn a_hall_blocks_its_halves_and_each_half_blocks_the_hall() {
    let Desk {
        app,
        manager,
        volunteer,
    } = desk().await;
    let hall = app
        .create_space(&manager, "Grande salle", json!({"capacity": 120}))
        .await;
    let a = app
        .create_space(&manager, "Demi-salle A", json!({"parentId": hall}))
        .await;
    let b = app
        .create_space(&manager, "Demi-salle B", json!({"parentId": hall}))
        .await;
    let (start, end) = ("2027-01-12T09:00:00Z", "2027-01-12T11:00:00Z");

    // The two halves can be booked at once…
    let in_a = app.book(&volunteer, slot(&a, start, end)).await;
    let a_id = in_a.data()["createBooking"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.book(&volunteer, slot(&b, start, end)).await.data();
    // …but then the hall cannot, and the conflicts name both halves' bookings.
    let hall_refused = app.book(&volunteer, slot(&hall, start, end)).await;
    assert_eq!(hall_refused.error_code(), "BOOKING_CONFLICT");
    assert_eq!(
        hall_refused.first_error()["extensions"]["conflicts"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // A booked hall blocks each half.
    let (later_start, later_end) = ("2027-01-13T09:00:00Z", "2027-01-13T11:00:00Z");
    app.book(&volunteer, slot(&hall, later_start, later_end))
        .await
        .data();
    for half in [&a, &b] {
        let refused = app
            .book(&volunteer, slot(half, later_start, later_end))
            .await;
        assert_eq!(refused.error_code(), "BOOKING_CONFLICT");
    }

    // A half added later inherits the hall's bookings.
    let c = app
        .create_space(&manager, "Scène", json!({"parentId": hall}))
        .await;
    let refused = app.book(&volunteer, slot(&c, later_start, later_end)).await;
    assert_eq!(refused.error_code(), "BOOKING_CONFLICT");

    // Cancelling the booking of A frees the hall only where B is not booked: still taken.
    app.gql_as(
        &volunteer,
        "mutation($id: ID!) { cancelBooking(id: $id, reason: \"annulé\") { status cancelReason } }",
        json!({ "id": a_id }),
    )
    .await
    .data();
    assert_eq!(
        app.book(&volunteer, slot(&hall, start, end))
            .await
            .error_code(),
        "BOOKING_CONFLICT"
    );
    app.book(&volunteer, slot(&a, start, end)).await.data();
}

#[tokio::test]
async fn moving_a_space_under_a_parent_refuses_when_bookings_would_overlap() {
    let Desk {
        app,
        manager,
        volunteer,
    } = desk().await;
    let hall = app.create_space(&manager, "Grande salle", json!({})).await;
    let loose = app.create_space(&manager, "Estrade", json!({})).await;
    let (start, end) = ("2027-01-12T09:00:00Z", "2027-01-12T11:00:00Z");
    app.book(&volunteer, slot(&hall, start, end)).await.data();
    app.book(&volunteer, slot(&loose, start, end)).await.data();
    let moved = app
        .gql_as(
            &manager,
            "mutation($id: ID!, $p: ID!) { updateSpace(id: $id, input: {parentId: $p}) { id } }",
            json!({ "id": loose, "p": hall }),
        )
        .await;
    assert_eq!(moved.error_code(), "BOOKING_CONFLICT");
    // Nothing changed: still top-level.
    let space = app
        .gql(
            "query($id: ID!) { space(id: $id) { parent { id } } }",
            json!({ "id": loose }),
        )
        .await;
    assert!(space.data()["space"]["parent"].is_null());

    // A bigger buffer that would make two bookings overlap is refused too.
    let room = app.create_space(&manager, "Salle", json!({})).await;
    app.book(
        &volunteer,
        slot(&room, "2027-01-12T09:00:00Z", "2027-01-12T10:00:00Z"),
    )
    .await
    .data();
    app.book(
        &volunteer,
        slot(&room, "2027-01-12T10:00:00Z", "2027-01-12T11:00:00Z"),
    )
    .await
    .data();
    let buffer = app
        .gql_as(
            &manager,
            "mutation($id: ID!) { updateSpace(id: $id, input: {bufferMinutes: 10}) { bufferMinutes } }",
            json!({ "id": room }),
        )
        .await;
    assert_eq!(buffer.error_code(), "BOOKING_CONFLICT");
}

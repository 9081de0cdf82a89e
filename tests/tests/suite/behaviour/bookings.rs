//! The booking engine through the GraphQL endpoint: conflicts, buffers, hierarchy, approval,
//! cancellation, payment, prices per tier, bad input.

use lieu_api::domain::Role;
use lieu_tests::serde_json::{Value, json};
use lieu_tests::{TestApp, fixtures, spawn_schema};

struct Desk {
    app: TestApp,
    manager: String,
    volunteer: String,
}

async fn desk() -> Desk {
    let app = spawn_schema().await;
    let manager = app.token_for(Role::Manager).await;
    let volunteer = app.token_for(Role::Volunteer).await;
    Desk {
        app,
        manager,
        volunteer,
    }
}

fn slot(space: &str, start: &str, end: &str) -> Value {
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
    assert_eq!(conflicts[0]["start"], "2027-01-12T09:00:00+00:00");
    assert_eq!(conflicts[0]["end"], "2027-01-12T11:00:00+00:00");

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
async fn paying_records_one_space_rental_revenue() {
    let Desk {
        app,
        manager,
        volunteer,
    } = desk().await;
    let room = app
        .create_space(
            &manager,
            "Salle",
            json!({"rates": [{"tier": "PUBLIC", "hourly": "12.50"}]}),
        )
        .await;
    let booked = app
        .book(
            &volunteer,
            slot(&room, "2027-01-12T09:00:00Z", "2027-01-12T10:20:00Z"),
        )
        .await;
    let id = booked.data()["createBooking"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(booked.data()["createBooking"]["price"], "16.67");
    let pay = "mutation($id: ID!) { markBookingPaid(id: $id) { paid price } }";
    let paid = app.gql_as(&volunteer, pay, json!({ "id": id })).await;
    assert_eq!(
        paid.data()["markBookingPaid"],
        json!({"paid": true, "price": "16.67"})
    );
    assert_eq!(
        app.gql_as(&volunteer, pay, json!({ "id": id }))
            .await
            .error_code(),
        "INVALID_STATE"
    );
    // Exactly one revenue, of the booking's price, in the SPACE_RENTAL stream.
    use sea_orm::EntityTrait;
    let revenues = lieu_entity::revenue::Entity::find()
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(revenues.len(), 1);
    assert_eq!(revenues[0].stream, "SPACE_RENTAL");
    assert_eq!(revenues[0].amount_cents, 1667);

    // Free bookings and cancelled ones have nothing to pay.
    let free_room = app
        .create_space(&manager, "Jardin", json!({"kind": "OUTDOOR"}))
        .await;
    let free = app
        .book(
            &volunteer,
            slot(&free_room, "2027-01-12T09:00:00Z", "2027-01-12T10:00:00Z"),
        )
        .await;
    assert_eq!(free.data()["createBooking"]["price"], "0.00");
    let free_id = free.data()["createBooking"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        app.gql_as(&volunteer, pay, json!({ "id": free_id }))
            .await
            .error_code(),
        "INVALID_STATE"
    );
    assert_eq!(app.count_rows("revenues").await, 1);
}

#[tokio::test]
async fn prices_follow_the_tier_of_the_booker() {
    let Desk {
        app,
        manager,
        volunteer,
    } = desk().await;
    let room = app
        .create_space(
            &manager,
            "Salle",
            json!({"rates": [
                {"tier": "PUBLIC", "hourly": "20", "daily": "120"},
                {"tier": "MEMBER", "hourly": "15", "daily": "90"},
                {"tier": "SOLIDARITY", "hourly": "5"},
                {"tier": "RESIDENT", "hourly": "0"}
            ]}),
        )
        .await;
    let member = fixtures::person(&app.db, "Hélène", "Dupré").await;
    fixtures::membership(&app.db, member, "2027-01-01", "2027-01-31").await;
    let lapsed = fixtures::person(&app.db, "Paul", "Martin").await;
    fixtures::membership(&app.db, lapsed, "2026-01-01", "2026-12-31").await;
    let resident = fixtures::organization(&app.db, "Les Ateliers Partagés", true).await;
    let company = fixtures::organization(&app.db, "SARL Voisine", false).await;

    let quote = |input: Value| {
        let app = &app;
        let volunteer = &volunteer;
        async move {
            let response = app
                .gql_as(
                    volunteer,
                    "query($i: CreateBookingInput!) { quoteBooking(input: $i) { tier price conflicts { start end } } }",
                    json!({ "i": input }),
                )
                .await;
            response.data()["quoteBooking"].clone()
        }
    };
    let two_hours = |extra: Value| {
        let mut input = slot(&room, "2027-01-12T09:00:00Z", "2027-01-12T11:00:00Z");
        for (k, v) in extra.as_object().unwrap() {
            input[k] = v.clone();
        }
        input
    };
    let expect = [
        (json!({}), "PUBLIC", "40.00"),
        (json!({"personId": member}), "MEMBER", "30.00"),
        (json!({"personId": lapsed}), "PUBLIC", "40.00"),
        (json!({"organizationId": resident}), "RESIDENT", "0.00"),
        (json!({"organizationId": company}), "PUBLIC", "40.00"),
        (
            json!({"personId": member, "tier": "SOLIDARITY"}),
            "SOLIDARITY",
            "10.00",
        ),
    ];
    for (extra, tier, price) in expect {
        let got = quote(two_hours(extra.clone())).await;
        assert_eq!(got["tier"], tier, "{extra}");
        assert_eq!(got["price"], price, "{extra}");
    }
    // The daily cap, per local day: 08:00-18:00 Paris is 10 h, capped at 120 (member: 90).
    let day = |extra: Value| {
        let mut input = slot(&room, "2027-01-12T07:00:00Z", "2027-01-12T17:00:00Z");
        for (k, v) in extra.as_object().unwrap() {
            input[k] = v.clone();
        }
        input
    };
    assert_eq!(quote(day(json!({}))).await["price"], "120.00");
    assert_eq!(
        quote(day(json!({"personId": member}))).await["price"],
        "90.00"
    );
    // Two local days: 20:00 to 10:00 next day = 4 h (80) + 10 h (capped 120).
    let night = slot(&room, "2027-01-12T19:00:00Z", "2027-01-13T09:00:00Z");
    assert_eq!(quote(night).await["price"], "200.00");
    // A quote writes nothing; the booking then costs what was quoted.
    assert_eq!(app.count_rows("bookings").await, 0);
    let booked = app
        .book(&volunteer, two_hours(json!({"personId": member})))
        .await;
    assert_eq!(booked.data()["createBooking"]["tier"], "MEMBER");
    assert_eq!(booked.data()["createBooking"]["price"], "30.00");
    // Now the quote shows the conflict.
    let again = quote(two_hours(json!({}))).await;
    assert_eq!(again["conflicts"].as_array().unwrap().len(), 1);

    // A tier the space has no rate for falls back to PUBLIC; no PUBLIC rate is free.
    let only_member = app
        .create_space(
            &manager,
            "Petite salle",
            json!({"rates": [{"tier": "MEMBER", "hourly": "10"}]}),
        )
        .await;
    let fallback = quote(json!({
        "spaceId": only_member, "start": "2027-01-12T09:00:00Z", "end": "2027-01-12T11:00:00Z",
        "title": "x", "organizationId": resident
    }))
    .await;
    assert_eq!(
        fallback,
        json!({"tier": "PUBLIC", "price": "0.00", "conflicts": []})
    );
}

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
        "2027-01-10T09:00:00+00:00"
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
        json!({"start": "2027-01-12T09:00:00+00:00", "end": "2027-01-12T11:00:00+00:00", "title": "AG", "attendees": 10, "notes": "clés à l'accueil", "price": "40.00", "paid": false, "status": "CONFIRMED"})
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
        json!({"end": "2027-01-12T11:00:00+00:00", "attendees": 10, "price": "40.00"})
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

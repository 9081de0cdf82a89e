//! What bookings cost and how they are paid: the tier of the booker, one SPACE_RENTAL revenue
//! per paid booking.

use lieu_tests::fixtures;
use lieu_tests::serde_json::{Value, json};

use super::bookings::{Desk, desk, slot};

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

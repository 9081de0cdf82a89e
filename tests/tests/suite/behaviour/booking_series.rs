//! Series: all or nothing, every conflicting occurrence listed, wall-clock time kept across the
//! March and October changes in Europe/Paris, at most 366 occurrences.

use lieu_api::domain::Role;
use lieu_tests::serde_json::{Value, json};
use lieu_tests::spawn_schema;

const SERIES: &str = "mutation($i: CreateBookingInput!, $r: RecurrenceInput!) { createBookingSeries(input: $i, recurrence: $r) { id start end seriesId status price } }";

fn input(space: &str, start: &str, end: &str) -> Value {
    json!({ "spaceId": space, "start": start, "end": end, "title": "Répétition chorale" })
}

#[tokio::test]
async fn weekly_at_ten_local_across_the_march_change() {
    let app = spawn_schema().await;
    let manager = app.token_for(Role::Manager).await;
    let room = app
        .create_space(
            &manager,
            "Salle",
            json!({"rates": [{"tier": "PUBLIC", "hourly": "10"}]}),
        )
        .await;
    // Tuesdays 10:00-12:00 Paris from 16 March 2027; Paris moves to CEST on 28 March.
    let created = app
        .gql_as(
            &manager,
            SERIES,
            json!({"i": input(&room, "2027-03-16T09:00:00Z", "2027-03-16T11:00:00Z"), "r": {"frequency": "WEEKLY", "count": 4}}),
        )
        .await;
    let list = created.data()["createBookingSeries"].as_array().unwrap();
    let starts: Vec<&str> = list.iter().map(|b| b["start"].as_str().unwrap()).collect();
    assert_eq!(
        starts,
        [
            "2027-03-16T10:00:00+01:00",
            "2027-03-23T10:00:00+01:00",
            "2027-03-30T10:00:00+02:00",
            "2027-04-06T10:00:00+02:00"
        ]
    );
    let series = list[0]["seriesId"].as_str().unwrap();
    assert!(
        list.iter()
            .all(|b| b["seriesId"] == series && b["price"] == "20.00")
    );
    let filtered = app
        .gql_as(
            &manager,
            "query($s: ID!) { bookings(filter: {seriesId: $s}) { totalCount } }",
            json!({"s": series}),
        )
        .await;
    assert_eq!(filtered.data()["bookings"]["totalCount"], 4);
}

#[tokio::test]
async fn daily_evenings_across_the_october_change() {
    let app = spawn_schema().await;
    let manager = app.token_for(Role::Manager).await;
    let room = app.create_space(&manager, "Salle", json!({})).await;
    // 19:00-21:00 Paris every day from 29 October 2027 until 2 November (CET from the 31st).
    let created = app
        .gql_as(
            &manager,
            SERIES,
            json!({"i": input(&room, "2027-10-29T17:00:00Z", "2027-10-29T19:00:00Z"), "r": {"frequency": "DAILY", "until": "2027-11-02"}}),
        )
        .await;
    let list = created.data()["createBookingSeries"].as_array().unwrap();
    let starts: Vec<&str> = list.iter().map(|b| b["start"].as_str().unwrap()).collect();
    assert_eq!(
        starts,
        [
            "2027-10-29T19:00:00+02:00",
            "2027-10-30T19:00:00+02:00",
            "2027-10-31T19:00:00+01:00",
            "2027-11-01T19:00:00+01:00",
            "2027-11-02T19:00:00+01:00"
        ]
    );
}

#[tokio::test]
async fn a_series_is_all_or_nothing_and_lists_every_conflicting_occurrence() {
    let app = spawn_schema().await;
    let manager = app.token_for(Role::Manager).await;
    let room = app.create_space(&manager, "Salle", json!({})).await;
    // Two existing bookings on the 2nd and 4th Mondays.
    let mut taken = Vec::new();
    for day in ["2027-01-11", "2027-01-25"] {
        let booked = app
            .book(
                &manager,
                input(
                    &room,
                    &format!("{day}T09:30:00Z"),
                    &format!("{day}T10:30:00Z"),
                ),
            )
            .await;
        taken.push(
            booked.data()["createBooking"]["id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    let refused = app
        .gql_as(
            &manager,
            SERIES,
            json!({"i": input(&room, "2027-01-04T09:00:00Z", "2027-01-04T10:00:00Z"), "r": {"frequency": "WEEKLY", "count": 6}}),
        )
        .await;
    assert_eq!(refused.error_code(), "BOOKING_CONFLICT");
    let conflicts = refused.first_error()["extensions"]["conflicts"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(conflicts.len(), 2);
    assert_eq!(conflicts[0]["bookingId"], taken[0].as_str());
    assert_eq!(conflicts[0]["occurrenceStart"], "2027-01-11T10:00:00+01:00");
    assert_eq!(conflicts[1]["bookingId"], taken[1].as_str());
    assert_eq!(conflicts[1]["occurrenceStart"], "2027-01-25T10:00:00+01:00");
    // None of the four free occurrences was written.
    assert_eq!(app.count_rows("bookings").await, 2);
}

#[tokio::test]
async fn recurrence_rules_are_validated() {
    let app = spawn_schema().await;
    let manager = app.token_for(Role::Manager).await;
    let room = app.create_space(&manager, "Salle", json!({})).await;
    let first = input(&room, "2027-01-04T09:00:00Z", "2027-01-04T10:00:00Z");
    for (rule, field) in [
        (
            json!({"frequency": "DAILY", "count": 367}),
            "recurrence.count",
        ),
        (
            json!({"frequency": "DAILY", "until": "2028-12-31"}),
            "recurrence.until",
        ),
        (json!({"frequency": "DAILY"}), "recurrence"),
        (
            json!({"frequency": "DAILY", "count": 3, "until": "2027-02-01"}),
            "recurrence",
        ),
        (
            json!({"frequency": "WEEKLY", "count": 0}),
            "recurrence.count",
        ),
        (
            json!({"frequency": "WEEKLY", "interval": 0, "count": 3}),
            "recurrence.interval",
        ),
        (
            json!({"frequency": "WEEKLY", "until": "2026-12-31"}),
            "recurrence.until",
        ),
    ] {
        let refused = app
            .gql_as(&manager, SERIES, json!({"i": first, "r": rule}))
            .await;
        assert_eq!(refused.error_code(), "VALIDATION", "{rule}");
        assert_eq!(
            refused.first_error()["extensions"]["field"],
            field,
            "{rule}"
        );
    }
    // Occurrences that would overlap each other (a 2-day booking every day).
    let long = input(&room, "2027-01-04T09:00:00Z", "2027-01-06T09:00:00Z");
    let refused = app
        .gql_as(
            &manager,
            SERIES,
            json!({"i": long, "r": {"frequency": "DAILY", "count": 3}}),
        )
        .await;
    assert_eq!(refused.error_code(), "VALIDATION");
    // 366 is the most, and works.
    let most = app
        .gql_as(
            &manager,
            SERIES,
            json!({"i": first, "r": {"frequency": "DAILY", "count": 366}}),
        )
        .await;
    assert_eq!(
        most.data()["createBookingSeries"].as_array().unwrap().len(),
        366
    );
    assert_eq!(app.count_rows("bookings").await, 366);
}

#[tokio::test]
async fn the_rest_of_a_series_can_be_cancelled_at_once() {
    let app = spawn_schema().await;
    let volunteer = app.token_for(Role::Volunteer).await;
    let manager = app.token_for(Role::Manager).await;
    let room = app.create_space(&manager, "Salle", json!({})).await;
    let created = app
        .gql_as(
            &volunteer,
            SERIES,
            json!({"i": input(&room, "2027-01-04T09:00:00Z", "2027-01-04T10:00:00Z"), "r": {"frequency": "WEEKLY", "count": 5}}),
        )
        .await;
    let series = created.data()["createBookingSeries"][0]["seriesId"]
        .as_str()
        .unwrap()
        .to_string();
    let cancel = "mutation($s: ID!, $from: DateTime) { cancelBookingSeries(seriesId: $s, from: $from, reason: \"fin de saison\") { start status cancelReason } }";
    let cancelled = app
        .gql_as(
            &volunteer,
            cancel,
            json!({"s": series, "from": "2027-01-18T00:00:00Z"}),
        )
        .await;
    let list = cancelled.data()["cancelBookingSeries"].as_array().unwrap();
    assert_eq!(list.len(), 3, "the 18th, the 25th and 1 February");
    assert!(
        list.iter()
            .all(|b| b["status"] == "CANCELLED" && b["cancelReason"] == "fin de saison")
    );
    // The freed slots can be booked; the two first occurrences still hold theirs.
    app.book(
        &volunteer,
        input(&room, "2027-01-18T09:00:00Z", "2027-01-18T10:00:00Z"),
    )
    .await
    .data();
    assert_eq!(
        app.book(
            &volunteer,
            input(&room, "2027-01-11T09:00:00Z", "2027-01-11T10:00:00Z")
        )
        .await
        .error_code(),
        "BOOKING_CONFLICT"
    );
    // Again: nothing left after the 18th.
    let again = app
        .gql_as(
            &volunteer,
            cancel,
            json!({"s": series, "from": "2027-01-18T00:00:00Z"}),
        )
        .await;
    assert_eq!(again.error_code(), "INVALID_STATE");
    let unknown = app
        .gql_as(&volunteer, cancel, json!({"s": uuid::Uuid::new_v4()}))
        .await;
    assert_eq!(unknown.error_code(), "NOT_FOUND");
}

#[tokio::test]
async fn a_series_through_the_spring_gap_is_refused_with_the_day_named() {
    let app = spawn_schema().await;
    let manager = app.token_for(Role::Manager).await;
    let room = app.create_space(&manager, "Salle", json!({})).await;
    // 02:30-03:10 Paris, daily from 27 March 2027: on the 28th that time does not exist.
    let refused = app
        .gql_as(
            &manager,
            SERIES,
            json!({"i": input(&room, "2027-03-27T01:30:00Z", "2027-03-27T02:10:00Z"), "r": {"frequency": "DAILY", "count": 3}}),
        )
        .await;
    assert_eq!(refused.error_code(), "VALIDATION");
    assert!(
        refused.first_error()["message"]
            .as_str()
            .unwrap()
            .contains("2027-03-28"),
        "{}",
        refused.body
    );
    assert_eq!(app.count_rows("bookings").await, 0);
}

//! The ledger: automatic revenues counted once, corrections as reversing entries, refunds on
//! cancellation, every amount and date checked, and nothing written by a refused mutation.
//! Grants, deadlines and volunteer hours are in `grants_and_hours`.

use chrono::{Datelike, Duration, Months};
use lieu_api::domain::Role;
use lieu_tests::serde_json::{Value, json};
use lieu_tests::{TestApp, spawn_schema};

use super::people_fixtures::today;

const RECORD: &str = "mutation($i: RecordRevenueInput!) { recordRevenue(input: $i) { id amount receivedOn reversed } }";
const REVERSE: &str = "mutation($id: ID!, $r: String!) { reverseRevenue(id: $id, reason: $r) { id amount receivedOn reversed reversalReason reversalOf { id amount reversed } } }";
const REVENUES: &str = "query($f: Date!, $t: Date!) { revenues(from: $f, to: $t) { id stream amount receivedOn reversed sourceKind sourceId reversalOf { id } } }";
pub(super) const CREATE_GRANT: &str = "mutation($i: CreateGrantInput!) { createGrant(input: $i) { id status funder { id name kind } } }";

pub(super) async fn desk() -> (TestApp, String) {
    let app = spawn_schema().await;
    let manager = app.token_for(Role::Manager).await;
    (app, manager)
}

fn revenue(stream: &str, amount: &str, on: &str) -> Value {
    json!({"i": {"stream": stream, "amount": amount, "receivedOn": on, "description": "Buvette"}})
}

async fn paid_booking(app: &TestApp, manager: &str, room: &str) -> String {
    let space = app
        .create_space(
            manager,
            room,
            json!({"rates": [{"tier": "PUBLIC", "hourly": "15"}]}),
        )
        .await;
    let booking = app
        .book(manager, json!({"spaceId": space, "title": "Stage", "start": "2027-06-01T09:00:00+02:00", "end": "2027-06-01T11:00:00+02:00"}))
        .await;
    let id = booking.data()["createBooking"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app
        .gql_as(
            manager,
            "mutation($id: ID!) { markBookingPaid(id: $id) { paid } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(r.data()["markBookingPaid"]["paid"], true, "{}", r.body);
    id
}

async fn lines(app: &TestApp, manager: &str) -> Vec<Value> {
    let t = today(app).await;
    let r = app
        .gql_as(manager, REVENUES, json!({"f": (t - Duration::days(400)).to_string(), "t": (t + Duration::days(400)).to_string()}))
        .await;
    r.data()["revenues"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_booking_paid_twice_is_refused_and_counted_once() {
    let (app, manager) = desk().await;
    let booking = paid_booking(&app, &manager, "Atelier").await;
    let again = app
        .gql_as(
            &manager,
            "mutation($id: ID!) { markBookingPaid(id: $id) { paid } }",
            json!({"id": booking}),
        )
        .await;
    assert_eq!(again.error_code(), "INVALID_STATE");
    let lines = lines(&app, &manager).await;
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(
        (
            &lines[0]["stream"],
            &lines[0]["amount"],
            &lines[0]["sourceKind"],
            &lines[0]["sourceId"]
        ),
        (
            &json!("SPACE_RENTAL"),
            &json!("30.00"),
            &json!("BOOKING"),
            &json!(booking)
        )
    );
}

#[tokio::test]
async fn a_paid_booking_cancelled_asks_about_the_refund_and_a_refund_reverses_its_line() {
    let (app, manager) = desk().await;
    let booking = paid_booking(&app, &manager, "Atelier").await;
    let cancel = "mutation($id: ID!, $r: Boolean) { cancelBooking(id: $id, reason: \"annulé\", refund: $r) { status paid } }";
    let unanswered = app.gql_as(&manager, cancel, json!({"id": booking})).await;
    assert_eq!(unanswered.error_code(), "VALIDATION");
    assert_eq!(unanswered.first_error()["extensions"]["field"], "refund");
    assert_eq!(app.count_rows("revenues").await, 1, "nothing written");

    let refunded = app
        .gql_as(&manager, cancel, json!({"id": booking, "r": true}))
        .await;
    assert_eq!(
        refunded.data()["cancelBooking"],
        json!({"status": "CANCELLED", "paid": false}),
        "{}",
        refunded.body
    );
    let lines = lines(&app, &manager).await;
    let amounts: Vec<&Value> = lines.iter().map(|l| &l["amount"]).collect();
    assert_eq!(amounts, [&json!("30.00"), &json!("-30.00")]);
    assert_eq!(lines[0]["reversed"], true);
    assert_eq!(lines[1]["reversalOf"]["id"], lines[0]["id"]);
    assert_eq!(
        lines[1]["sourceId"],
        json!(booking),
        "the refund points at the booking"
    );

    // Kept without refund: the line stays.
    let other = paid_booking(&app, &manager, "Atelier bois").await;
    let kept = app
        .gql_as(&manager, cancel, json!({"id": other, "r": false}))
        .await;
    assert_eq!(kept.data()["cancelBooking"]["paid"], true, "{}", kept.body);
    assert_eq!(app.count_rows("revenues").await, 3);
}

#[tokio::test]
async fn a_reversal_nets_to_zero_and_shows_in_both_months() {
    let (app, manager) = desk().await;
    let t = today(&app).await;
    let earlier = (t.with_day(1).unwrap() - Months::new(1))
        .with_day(10)
        .unwrap();
    let r = app
        .gql_as(
            &manager,
            RECORD,
            revenue("CAFE_BAR", "42.10", &earlier.to_string()),
        )
        .await;
    let id = r.data()["recordRevenue"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let reversed = app
        .gql_as(
            &manager,
            REVERSE,
            json!({"id": id, "r": "saisie en double"}),
        )
        .await;
    let line = &reversed.data()["reverseRevenue"];
    assert_eq!(
        (
            &line["amount"],
            &line["receivedOn"],
            &line["reversalOf"]["reversed"]
        ),
        (&json!("-42.10"), &json!(t.to_string()), &json!(true)),
        "{}",
        reversed.body
    );
    assert_eq!(line["reversalReason"], "saisie en double");

    let again = app
        .gql_as(&manager, REVERSE, json!({"id": id, "r": "encore"}))
        .await;
    assert_eq!(again.error_code(), "INVALID_STATE");
    let of_reversal = app
        .gql_as(&manager, REVERSE, json!({"id": line["id"], "r": "encore"}))
        .await;
    assert_eq!(of_reversal.error_code(), "INVALID_STATE");
    assert_eq!(app.count_rows("revenues").await, 2);

    let report = app
        .gql_as(
            &manager,
            "query($f: Date!, $t: Date!) { hybridModelReport(from: $f, to: $t) { earnedRevenue byMonth { month earnedRevenue } } revenueTotals(from: $f, to: $t) { stream amount } }",
            json!({"f": earlier.with_day(1).unwrap().to_string(), "t": t.to_string()}),
        )
        .await;
    let h = &report.data()["hybridModelReport"];
    assert_eq!(h["earnedRevenue"], "0.00");
    let months: Vec<(String, String)> = h["byMonth"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["month"].as_str().unwrap().into(),
                m["earnedRevenue"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        months,
        [
            (
                format!("{:04}-{:02}", earlier.year(), earlier.month()),
                "42.10".to_string()
            ),
            (
                format!("{:04}-{:02}", t.year(), t.month()),
                "-42.10".to_string()
            ),
        ]
    );
    assert_eq!(
        report.data()["revenueTotals"],
        json!([{"stream": "CAFE_BAR", "amount": "0.00"}])
    );
}

#[tokio::test]
async fn every_amount_and_date_is_checked_and_nothing_is_written() {
    let (app, manager) = desk().await;
    for (amount, why) in [
        ("0", "zero"),
        ("-5", "negative"),
        ("12.345", "three decimals"),
        ("10000000.01", "above the ceiling"),
    ] {
        let r = app
            .gql_as(&manager, RECORD, revenue("CAFE_BAR", amount, "2027-01-10"))
            .await;
        assert_eq!(r.error_code(), "VALIDATION", "{why}: {}", r.body);
        assert_eq!(r.first_error()["extensions"]["field"], "amount", "{why}");
    }
    let blank = app
        .gql_as(&manager, RECORD, json!({"i": {"stream": "CAFE_BAR", "amount": "5", "receivedOn": "2027-01-10", "description": "  "}}))
        .await;
    assert_eq!(blank.first_error()["extensions"]["field"], "description");
    let long = app
        .gql_as(
            &manager,
            "query { revenues(from: \"2020-01-01\", to: \"2027-12-31\") { id } }",
            json!({}),
        )
        .await;
    assert_eq!(long.error_code(), "VALIDATION", "more than three years");
    let backwards = app
        .gql_as(&manager, "query { hybridModelReport(from: \"2027-02-01\", to: \"2027-01-01\") { earnedRevenue } }", json!({}))
        .await;
    assert_eq!(backwards.error_code(), "VALIDATION");
    assert_eq!(app.count_rows("revenues").await, 0);

    let grant = |requested: &str, start: &str, end: &str| json!({"i": {"funderName": "Département", "funderKind": "DEPARTMENT", "title": "Tiers-lieu", "amountRequested": requested, "periodStart": start, "periodEnd": end}});
    let r = app
        .gql_as(
            &manager,
            CREATE_GRANT,
            grant("1000", "2027-12-31", "2027-01-01"),
        )
        .await;
    assert_eq!(
        r.error_code(),
        "VALIDATION",
        "a period that ends before it starts"
    );
    assert_eq!(r.first_error()["extensions"]["field"], "periodEnd");
    let r = app
        .gql_as(
            &manager,
            CREATE_GRANT,
            grant("0", "2027-01-01", "2027-12-31"),
        )
        .await;
    assert_eq!(r.first_error()["extensions"]["field"], "amountRequested");
    assert_eq!(app.count_rows("grants").await, 0);
    assert_eq!(app.count_rows("funders").await, 0);
}

/// A ticketed event with two paid registrations (two seats at 8, one at 8) and an unpaid one.
async fn paid_event(app: &TestApp, manager: &str) -> (String, [String; 3]) {
    use super::event_fixtures::{create, event, id_of, register};
    let id = create(
        app,
        manager,
        event(
            "Concert",
            "2027-06-12T20:00:00+02:00",
            "2027-06-12T22:00:00+02:00",
            &[],
            json!({"capacity": 40, "public": true, "price": "8"}),
        ),
    )
    .await;
    let mut ids = Vec::new();
    for (name, seats) in [("Ana Paid", 2), ("Bo Paid", 1), ("Cy Unpaid", 1)] {
        ids.push(id_of(&register(app, Some(manager), &id, name, seats).await));
    }
    for paid in &ids[..2] {
        let r = app
            .gql_as(
                manager,
                "mutation($id: ID!) { markRegistrationPaid(id: $id) { paid } }",
                json!({"id": paid}),
            )
            .await;
        assert_eq!(r.data()["markRegistrationPaid"]["paid"], true, "{}", r.body);
    }
    (id, ids.try_into().unwrap())
}

#[tokio::test]
async fn a_paid_registration_cancelled_asks_about_the_refund() {
    let (app, manager) = desk().await;
    let (_, [ana, _, unpaid]) = paid_event(&app, &manager).await;
    let cancel = "mutation($id: ID!, $r: Boolean) { cancelRegistration(id: $id, refund: $r) { status paid } }";
    let r = app.gql_as(&manager, cancel, json!({"id": ana})).await;
    assert_eq!(r.first_error()["extensions"]["field"], "refund");
    assert_eq!(app.count_rows("revenues").await, 2, "nothing written");
    let r = app
        .gql_as(&manager, cancel, json!({"id": unpaid, "r": true}))
        .await;
    assert_eq!(
        r.first_error()["extensions"]["field"],
        "refund",
        "nothing to refund"
    );
    let r = app
        .gql_as(&manager, cancel, json!({"id": ana, "r": true}))
        .await;
    assert_eq!(
        r.data()["cancelRegistration"],
        json!({"status": "CANCELLED", "paid": false}),
        "{}",
        r.body
    );
    let amounts: Vec<Value> = lines(&app, &manager)
        .await
        .iter()
        .map(|l| l["amount"].clone())
        .collect();
    assert_eq!(amounts, [json!("16.00"), json!("8.00"), json!("-16.00")]);
}

#[tokio::test]
async fn a_cancelled_event_refunds_all_its_paid_registrations_at_once() {
    let (app, manager) = desk().await;
    let (event, _) = paid_event(&app, &manager).await;
    let cancel = "mutation($id: ID!, $r: Boolean) { cancelEvent(id: $id, reason: \"orage\", refund: $r) { status registrations { status paid } } }";
    let r = app.gql_as(&manager, cancel, json!({"id": event})).await;
    assert_eq!(
        r.first_error()["extensions"]["field"],
        "refund",
        "{}",
        r.body
    );
    assert!(
        r.first_error()["message"]
            .as_str()
            .unwrap()
            .contains("2 registrations were paid (24.00 EUR)"),
        "{}",
        r.body
    );
    let r = app
        .gql_as(&manager, cancel, json!({"id": event, "r": true}))
        .await;
    let e = &r.data()["cancelEvent"];
    assert_eq!(e["status"], "CANCELLED", "{}", r.body);
    assert!(
        e["registrations"]
            .as_array()
            .unwrap()
            .iter()
            .all(|x| x["status"] == "CANCELLED" && x["paid"] == false)
    );
    let lines = lines(&app, &manager).await;
    let net: f64 = lines
        .iter()
        .map(|l| l["amount"].as_str().unwrap().parse::<f64>().unwrap())
        .sum();
    assert_eq!(
        (lines.len(), net),
        (4, 0.0),
        "two payments, two reversals: {lines:?}"
    );
    assert!(
        lines
            .iter()
            .filter(|l| l["reversalOf"].is_object())
            .all(|l| l["sourceKind"] == "REGISTRATION")
    );
}

#[tokio::test]
async fn cancelling_a_series_with_paid_occurrences_asks_and_refunds_them() {
    let (app, manager) = desk().await;
    let space = app
        .create_space(
            &manager,
            "Studio",
            json!({"rates": [{"tier": "PUBLIC", "hourly": "10"}]}),
        )
        .await;
    let r = app
        .gql_as(&manager, "mutation($i: CreateBookingInput!) { createBookingSeries(input: $i, recurrence: {frequency: WEEKLY, count: 3}) { id seriesId } }",
            json!({"i": {"spaceId": space, "title": "Cours", "start": "2027-09-06T18:00:00+02:00", "end": "2027-09-06T19:00:00+02:00"}}))
        .await;
    let occurrences = r.data()["createBookingSeries"].as_array().unwrap().clone();
    let series = occurrences[0]["seriesId"].clone();
    for o in &occurrences[..2] {
        app.gql_as(
            &manager,
            "mutation($id: ID!) { markBookingPaid(id: $id) { paid } }",
            json!({"id": o["id"]}),
        )
        .await;
    }
    let cancel = "mutation($s: ID!, $r: Boolean) { cancelBookingSeries(seriesId: $s, refund: $r) { status paid } }";
    let r = app.gql_as(&manager, cancel, json!({"s": series})).await;
    assert_eq!(
        r.first_error()["extensions"]["field"],
        "refund",
        "{}",
        r.body
    );
    let r = app
        .gql_as(&manager, cancel, json!({"s": series, "r": true}))
        .await;
    let all = r.data()["cancelBookingSeries"].as_array().unwrap().clone();
    assert!(
        all.iter()
            .all(|b| b["status"] == "CANCELLED" && b["paid"] == false),
        "{}",
        r.body
    );
    let amounts: Vec<Value> = lines(&app, &manager)
        .await
        .iter()
        .map(|l| l["amount"].clone())
        .collect();
    assert_eq!(
        amounts,
        [
            json!("10.00"),
            json!("10.00"),
            json!("-10.00"),
            json!("-10.00")
        ]
    );
}

//! Renewals, payments, cancellations, the expiring-soon list, and concurrent renewals.

use chrono::Duration;
use lieu_api::domain::Role;
use lieu_tests::race::exactly_one_wins;
use lieu_tests::serde_json::json;
use lieu_tests::spawn_schema;

use crate::behaviour::people_fixtures::{RENEW, START, column, day, number, person, plan, today};

#[tokio::test]
async fn renewal_follows_the_period_or_starts_today_after_a_lapse() {
    let app = spawn_schema().await;
    let volunteer = app.token_for(Role::Volunteer).await;
    let manager = app.token_for(Role::Manager).await;
    let yearly = plan(&app, &manager, json!({"name": "Annuelle", "price": "15"})).await;
    let today = today(&app).await;

    // Before the lapse: the renewal starts the day after the current period ends.
    let ana = person(
        &app,
        &volunteer,
        json!({"firstName": "Ana", "lastName": "A"}),
    )
    .await;
    let current = app
        .gql_as(&volunteer, START, json!({"i": {"planId": yearly, "personId": ana, "startsOn": day(today, -300), "amountPaid": "15"}}))
        .await;
    let current = current.data()["startMembership"].clone();
    let ends =
        chrono::NaiveDate::parse_from_str(current["endsOn"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    let renewed = app
        .gql_as(&volunteer, RENEW, json!({"id": current["id"], "a": "15"}))
        .await;
    let renewed = &renewed.data()["renewMembership"];
    assert_eq!(renewed["startsOn"], (ends + Duration::days(1)).to_string());
    assert_eq!(renewed["status"], "UPCOMING");
    assert_eq!(renewed["renewalOf"], current["id"]);
    let person_view = app
        .gql_as(&volunteer, "query($id: ID!) { person(id: $id) { activeMembership { id } memberships { id status } } }", json!({"id": ana}))
        .await;
    assert_eq!(
        person_view.data()["person"]["activeMembership"]["id"],
        current["id"]
    );
    assert_eq!(
        person_view.data()["person"]["memberships"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // Renewing the renewed one again is refused; the latest one can be renewed.
    let again = app
        .gql_as(&volunteer, RENEW, json!({"id": current["id"], "a": "15"}))
        .await;
    assert_eq!(again.error_code(), "INVALID_STATE");
    let wrong_amount = app
        .gql_as(&volunteer, RENEW, json!({"id": renewed["id"], "a": "14"}))
        .await;
    assert_eq!(wrong_amount.error_code(), "VALIDATION");
    assert_eq!(
        wrong_amount.first_error()["extensions"]["field"],
        "amountPaid"
    );

    // After a lapse: the renewal starts today, the gap is not back-filled.
    let bob = person(
        &app,
        &volunteer,
        json!({"firstName": "Bob", "lastName": "B"}),
    )
    .await;
    let old = app
        .gql_as(&manager, START, json!({"i": {"planId": yearly, "personId": bob, "startsOn": day(today, -500), "amountPaid": "15"}}))
        .await;
    let old = old.data()["startMembership"].clone();
    assert_eq!(old["status"], "EXPIRED");
    let bob_view = "query($id: ID!) { person(id: $id) { activeMembership { id startsOn } } }";
    assert!(
        app.gql_as(&volunteer, bob_view, json!({"id": bob}))
            .await
            .data()["person"]["activeMembership"]
            .is_null()
    );
    let renewed = app
        .gql_as(&volunteer, RENEW, json!({"id": old["id"], "a": "15"}))
        .await;
    let renewed = &renewed.data()["renewMembership"];
    assert_eq!(renewed["startsOn"], today.to_string());
    assert_eq!(renewed["status"], "ACTIVE");
    assert_eq!(
        app.gql_as(&volunteer, bob_view, json!({"id": bob}))
            .await
            .data()["person"]["activeMembership"]["id"],
        renewed["id"]
    );

    // Time passes: a monthly membership lapses and its renewal starts on the new today.
    let monthly = plan(
        &app,
        &manager,
        json!({"name": "Mensuelle", "periodMonths": 1, "price": "5"}),
    )
    .await;
    let cleo = person(
        &app,
        &volunteer,
        json!({"firstName": "Cléo", "lastName": "C"}),
    )
    .await;
    let month = app
        .gql_as(&volunteer, START, json!({"i": {"planId": monthly, "personId": cleo, "startsOn": today.to_string(), "amountPaid": "5"}}))
        .await;
    let month_id = month.data()["startMembership"]["id"].clone();
    app.clock.advance(Duration::days(45));
    let volunteer = app.token_for(Role::Volunteer).await; // sessions last 12 hours
    let later = crate::behaviour::people_fixtures::today(&app).await;
    let status = app
        .gql_as(
            &volunteer,
            "query($id: ID!) { membership(id: $id) { status } }",
            json!({"id": month_id}),
        )
        .await;
    assert_eq!(status.data()["membership"]["status"], "EXPIRED");
    let renewed = app
        .gql_as(&volunteer, RENEW, json!({"id": month_id, "a": "5"}))
        .await;
    assert_eq!(
        renewed.data()["renewMembership"]["startsOn"],
        later.to_string()
    );
}

#[tokio::test]
async fn each_payment_records_a_membership_revenue_without_personal_data() {
    let app = spawn_schema().await;
    let volunteer = app.token_for(Role::Volunteer).await;
    let manager = app.token_for(Role::Manager).await;
    let pwyc = plan(
        &app,
        &manager,
        json!({"name": "Adhésion solidaire", "price": "10", "minPrice": "0"}),
    )
    .await;
    let who = person(
        &app,
        &volunteer,
        json!({"firstName": "Yolande", "lastName": "Quistrebert", "email": "yq@exemple.fr"}),
    )
    .await;
    let today = today(&app).await;
    let started = app
        .gql_as(&manager, START, json!({"i": {"planId": pwyc, "personId": who, "startsOn": day(today, -400), "amountPaid": "12.50"}}))
        .await;
    let id = started.data()["startMembership"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let renewed = app
        .gql_as(&volunteer, RENEW, json!({"id": id, "a": "7"}))
        .await;
    let renewal_id = renewed.data()["renewMembership"]["id"]
        .as_str()
        .unwrap()
        .to_string();

    let rows = column(&app, "SELECT stream || '|' || CAST(amount_cents AS TEXT) || '|' || CAST(received_on AS TEXT) || '|' || description FROM revenues ORDER BY amount_cents DESC").await;
    assert_eq!(
        rows,
        [
            format!("MEMBERSHIP|1250|{today}|Adhésion : Adhésion solidaire"),
            format!("MEMBERSHIP|700|{today}|Renouvellement d'adhésion : Adhésion solidaire"),
        ]
    );
    // Each revenue points at its membership (one for the start, one for the renewal).
    let linked = column(&app, "SELECT CAST(m.amount_paid_cents AS TEXT) || '|' || CAST(r.amount_cents AS TEXT) FROM revenues r JOIN memberships m ON m.id = r.membership_id ORDER BY r.amount_cents DESC").await;
    assert_eq!(linked, ["1250|1250", "700|700"]);
    assert_ne!(id, renewal_id);
    // A zero pay-what-you-can payment is not a payment: no revenue line.
    let other = person(&app, &volunteer, json!({"firstName": "Z", "lastName": "Z"})).await;
    app.gql_as(&volunteer, START, json!({"i": {"planId": pwyc, "personId": other, "startsOn": today.to_string(), "amountPaid": "0"}}))
        .await
        .data();
    assert_eq!(number(&app, "SELECT COUNT(*) FROM revenues").await, 2);
    assert_eq!(number(&app, "SELECT COUNT(*) FROM memberships").await, 3);
}

#[tokio::test]
async fn cancelled_memberships_make_no_member_and_cannot_be_cancelled_twice() {
    let app = spawn_schema().await;
    let volunteer = app.token_for(Role::Volunteer).await;
    let manager = app.token_for(Role::Manager).await;
    let yearly = plan(&app, &manager, json!({"name": "Annuelle", "price": "15"})).await;
    let who = person(&app, &volunteer, json!({"firstName": "A", "lastName": "B"})).await;
    let today = today(&app).await;
    let started = app
        .gql_as(&volunteer, START, json!({"i": {"planId": yearly, "personId": who, "startsOn": today.to_string(), "amountPaid": "15"}}))
        .await;
    let id = started.data()["startMembership"]["id"].clone();
    let cancel = "mutation($id: ID!) { cancelMembership(id: $id) { status cancelledAt } }";
    let cancelled = app.gql_as(&volunteer, cancel, json!({"id": id})).await;
    assert_eq!(cancelled.data()["cancelMembership"]["status"], "CANCELLED");
    assert_eq!(
        app.gql_as(&volunteer, cancel, json!({"id": id}))
            .await
            .error_code(),
        "INVALID_STATE"
    );
    assert_eq!(
        app.gql_as(&volunteer, RENEW, json!({"id": id, "a": "15"}))
            .await
            .error_code(),
        "INVALID_STATE"
    );
    let view = app
        .gql_as(
            &volunteer,
            "query($id: ID!) { person(id: $id) { activeMembership { id } } }",
            json!({"id": who}),
        )
        .await;
    assert!(view.data()["person"]["activeMembership"].is_null());
    // The payment stays recorded.
    assert_eq!(
        number(
            &app,
            "SELECT CAST(SUM(amount_cents) AS BIGINT) FROM revenues"
        )
        .await,
        1500
    );
    // A new membership over the same days is possible once the first is cancelled.
    let again = app
        .gql_as(&volunteer, START, json!({"i": {"planId": yearly, "personId": who, "startsOn": today.to_string(), "amountPaid": "15"}}))
        .await;
    assert_eq!(again.data()["startMembership"]["status"], "ACTIVE");
    let expired = app
        .gql_as(&manager, START, json!({"i": {"planId": yearly, "personId": person(&app, &volunteer, json!({"firstName": "C", "lastName": "D"})).await, "startsOn": day(today, -800), "amountPaid": "15"}}))
        .await;
    let expired_id = expired.data()["startMembership"]["id"].clone();
    assert_eq!(
        app.gql_as(&volunteer, cancel, json!({"id": expired_id}))
            .await
            .error_code(),
        "INVALID_STATE"
    );
}

#[tokio::test]
async fn expiring_soon_lists_unrenewed_memberships_of_the_next_30_days() {
    let app = spawn_schema().await;
    let volunteer = app.token_for(Role::Volunteer).await;
    let manager = app.token_for(Role::Manager).await;
    let monthly = plan(
        &app,
        &manager,
        json!({"name": "Mensuelle", "periodMonths": 1, "price": "5"}),
    )
    .await;
    let yearly = plan(&app, &manager, json!({"name": "Annuelle", "price": "15"})).await;
    let today = today(&app).await;
    let start = |who: String, plan: String, starts: String, amount: &'static str| {
        let (app, volunteer) = (&app, volunteer.clone());
        async move {
            let r = app.gql_as(&volunteer, START, json!({"i": {"planId": plan, "personId": who, "startsOn": starts, "amountPaid": amount}})).await;
            r.data()["startMembership"]["id"]
                .as_str()
                .unwrap()
                .to_string()
        }
    };
    let soon = person(
        &app,
        &volunteer,
        json!({"firstName": "Soon", "lastName": "S"}),
    )
    .await;
    let soon_id = start(soon, monthly.clone(), day(today, -20), "5").await;
    let renewed = person(
        &app,
        &volunteer,
        json!({"firstName": "Renewed", "lastName": "R"}),
    )
    .await;
    let renewed_id = start(renewed, monthly.clone(), day(today, -25), "5").await;
    app.gql_as(&volunteer, RENEW, json!({"id": renewed_id, "a": "5"}))
        .await
        .data();
    let later = person(
        &app,
        &volunteer,
        json!({"firstName": "Later", "lastName": "L"}),
    )
    .await;
    start(later, yearly.clone(), today.to_string(), "15").await;
    let gone = person(
        &app,
        &volunteer,
        json!({"firstName": "Gone", "lastName": "G"}),
    )
    .await;
    start(gone, monthly.clone(), day(today, -60), "5").await;

    let list = app
        .gql_as(
            &volunteer,
            "{ expiringMemberships { id endsOn person { firstName email } } }",
            json!({}),
        )
        .await;
    let list = list.data()["expiringMemberships"]
        .as_array()
        .unwrap()
        .clone();
    let firsts: Vec<&str> = list
        .iter()
        .map(|m| m["person"]["firstName"].as_str().unwrap())
        .collect();
    assert!(firsts.contains(&"Soon"), "{firsts:?}");
    assert_eq!(
        list.iter().filter(|m| m["id"] == soon_id.as_str()).count(),
        1
    );
    assert!(
        !list.iter().any(|m| m["id"] == renewed_id.as_str()),
        "renewed ones are left out"
    );
    assert!(
        !firsts.contains(&"Later") && !firsts.contains(&"Gone"),
        "{firsts:?}"
    );
    let ends: Vec<&str> = list.iter().map(|m| m["endsOn"].as_str().unwrap()).collect();
    let mut sorted = ends.clone();
    sorted.sort();
    assert_eq!(ends, sorted, "soonest first");
    let none = app
        .gql_as(
            &volunteer,
            "{ expiringMemberships(withinDays: 0) { id } }",
            json!({}),
        )
        .await;
    assert!(none.data()["expiringMemberships"].as_array().unwrap().len() <= list.len());
    let bad = app
        .gql_as(
            &volunteer,
            "{ expiringMemberships(withinDays: -1) { id } }",
            json!({}),
        )
        .await;
    assert_eq!(bad.error_code(), "VALIDATION");
}

/// Concurrent renewals of one membership, and concurrent starts for one person: exactly one
/// of each succeeds, on SQLite (serialized write transactions) and on PostgreSQL (row locks).
#[tokio::test]
async fn concurrent_renewals_and_starts_make_one_membership() {
    let app = spawn_schema().await;
    let volunteer = app.token_for(Role::Volunteer).await;
    let manager = app.token_for(Role::Manager).await;
    let yearly = plan(&app, &manager, json!({"name": "Annuelle", "price": "15"})).await;
    let today = today(&app).await;
    let who = person(&app, &volunteer, json!({"firstName": "A", "lastName": "B"})).await;
    let started = app
        .gql_as(&volunteer, START, json!({"i": {"planId": yearly, "personId": who, "startsOn": today.to_string(), "amountPaid": "15"}}))
        .await;
    let id = started.data()["startMembership"]["id"].clone();
    let renewals = futures::future::join_all(
        (0..8).map(|_| app.gql_as(&volunteer, RENEW, json!({"id": id, "a": "15"}))),
    )
    .await;
    exactly_one_wins(&renewals, "INVALID_STATE");

    let other = person(&app, &volunteer, json!({"firstName": "C", "lastName": "D"})).await;
    let starts = futures::future::join_all((0..8).map(|_| {
        app.gql_as(&volunteer, START, json!({"i": {"planId": yearly, "personId": other, "startsOn": today.to_string(), "amountPaid": "15"}}))
    }))
    .await;
    exactly_one_wins(&starts, "INVALID_STATE");
    assert_eq!(number(&app, "SELECT COUNT(*) FROM memberships").await, 3);
    assert_eq!(number(&app, "SELECT COUNT(*) FROM revenues").await, 3);
}

//! Registrations: seats that never exceed the capacity, a waitlist that moves in order,
//! groups, check-in at the door, walk-ins, payments, and what the public may do.

use lieu_api::domain::Role;
use lieu_tests::race::winners;
use lieu_tests::serde_json::json;
use lieu_tests::{TestApp, spawn_schema};

use super::event_fixtures::{create, event, id_of, read, register};

const CANCEL: &str =
    "mutation($id: ID!) { cancelRegistration(id: $id) { status waitlistPosition } }";
const CHECK_IN: &str = "mutation($id: ID!) { checkIn(registrationId: $id) { checkedInAt status } }";

async fn desk() -> (TestApp, String, String) {
    let app = spawn_schema().await;
    let manager = app.token_for(Role::Manager).await;
    let volunteer = app.token_for(Role::Volunteer).await;
    (app, manager, volunteer)
}

fn workshop(capacity: i32) -> lieu_tests::serde_json::Value {
    event(
        "Atelier vélo",
        "2027-05-15T10:00:00+02:00",
        "2027-05-15T12:00:00+02:00",
        &[],
        json!({"capacity": capacity, "public": true}),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_at_once_for_five_seats_make_five_confirmed_and_a_line_of_fifteen() {
    let (app, manager, volunteer) = desk().await;
    let id = create(&app, &manager, workshop(5)).await;
    let attempts = (0..20).map(|i| {
        let (app, volunteer, id) = (&app, &volunteer, &id);
        async move { register(app, Some(volunteer), id, &format!("Personne {i}"), 1).await }
    });
    let responses = futures::future::join_all(attempts).await;
    assert_eq!(
        winners(&responses, "NONE"),
        20,
        "every registration is taken"
    );
    let statuses: Vec<&str> = responses
        .iter()
        .map(|r| r.data()["register"]["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses.iter().filter(|s| **s == "CONFIRMED").count(), 5);
    let mut positions: Vec<i64> = responses
        .iter()
        .filter_map(|r| r.data()["register"]["waitlistPosition"].as_i64())
        .collect();
    positions.sort();
    assert_eq!(positions, (1..=15).collect::<Vec<i64>>());
    let e = read(&app, &volunteer, &id).await;
    assert_eq!(
        (
            e["confirmedCount"].clone(),
            e["waitlistCount"].clone(),
            e["remainingSeats"].clone()
        ),
        (json!(5), json!(15), json!(0))
    );
}

#[tokio::test]
async fn a_cancellation_lets_in_the_first_that_fits_and_a_group_waits_together() {
    let (app, manager, volunteer) = desk().await;
    let id = create(&app, &manager, workshop(4)).await;
    let a = id_of(&register(&app, Some(&volunteer), &id, "Ana", 2).await);
    let b = id_of(&register(&app, Some(&volunteer), &id, "Bob", 2).await);
    // Full: a group of 3 waits first in line, then a single.
    let group = register(&app, Some(&volunteer), &id, "Famille Rey", 3).await;
    assert_eq!(group.data()["register"]["status"], "WAITLISTED");
    assert_eq!(group.data()["register"]["waitlistPosition"], 1);
    let group = id_of(&group);
    let single = id_of(&register(&app, Some(&volunteer), &id, "Cléo", 1).await);
    // Ana cancels: 2 seats free. The group of 3 does not fit and keeps its place; Cléo passes.
    app.gql_as(&volunteer, CANCEL, json!({"id": a}))
        .await
        .data();
    let e = read(&app, &volunteer, &id).await;
    let status = |rid: &str| {
        e["registrations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == rid)
            .unwrap()
            .clone()
    };
    assert_eq!(status(&single)["status"], "CONFIRMED");
    assert_eq!(status(&group)["status"], "WAITLISTED");
    assert_eq!(status(&group)["waitlistPosition"], 1, "positions close up");
    assert_eq!(
        status(&a)["status"],
        "CANCELLED",
        "cancelled ones are listed"
    );
    assert_eq!(e["confirmedCount"], 3);
    // Bob cancels: 3 seats free; the group comes in together.
    app.gql_as(&volunteer, CANCEL, json!({"id": b}))
        .await
        .data();
    let e = read(&app, &volunteer, &id).await;
    assert_eq!(e["confirmedCount"], 4);
    assert_eq!(e["waitlistCount"], 0);
    // Cancelling twice is refused.
    let again = app.gql_as(&volunteer, CANCEL, json!({"id": b})).await;
    assert_eq!(again.error_code(), "INVALID_STATE");
}

#[tokio::test]
async fn a_bigger_capacity_lets_the_line_in_and_a_smaller_one_is_refused_below_the_confirmed() {
    let (app, manager, volunteer) = desk().await;
    let id = create(&app, &manager, workshop(2)).await;
    for name in ["Un", "Deux", "Trois", "Quatre"] {
        register(&app, Some(&volunteer), &id, name, 1).await.data();
    }
    let update = "mutation($id: ID!, $c: Int) { updateEvent(id: $id, input: {capacity: $c}) { capacity remainingSeats } }";
    let lower = app
        .gql_as(&manager, update, json!({"id": id, "c": 1}))
        .await;
    assert_eq!(lower.error_code(), "INVALID_STATE");
    app.gql_as(&manager, update, json!({"id": id, "c": 3}))
        .await
        .data();
    let e = read(&app, &volunteer, &id).await;
    assert_eq!(
        (e["confirmedCount"].clone(), e["waitlistCount"].clone()),
        (json!(3), json!(1))
    );
    // Unlimited: everyone is in.
    let unlimited = app
        .gql_as(&manager, update, json!({"id": id, "c": null}))
        .await;
    assert_eq!(
        unlimited.data()["updateEvent"]["remainingSeats"],
        json!(null)
    );
    assert_eq!(read(&app, &volunteer, &id).await["confirmedCount"], 4);
}

#[tokio::test]
async fn check_in_twice_is_one_check_in_and_can_be_undone() {
    let (app, manager, volunteer) = desk().await;
    let id = create(&app, &manager, workshop(1)).await;
    let first = register(&app, Some(&volunteer), &id, "Inès", 1).await;
    let code = first.data()["register"]["code"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(code.len(), 8);
    let rid = id_of(&first);
    let once = app.gql_as(&volunteer, CHECK_IN, json!({"id": rid})).await;
    let at = once.data()["checkIn"]["checkedInAt"].clone();
    // In the site's own offset (Paris), now.
    let offset = &at.as_str().unwrap()[19..];
    assert!(
        offset.ends_with("+01:00") || offset.ends_with("+02:00"),
        "{at}"
    );
    let by_code = app
        .gql_as(
            &volunteer,
            "mutation($e: ID!, $c: String!) { checkInByCode(eventId: $e, code: $c) { checkedInAt } }",
            json!({"e": id, "c": format!(" {}-{} ", &code[..4].to_lowercase(), &code[4..])}),
        )
        .await;
    assert_eq!(
        by_code.data()["checkInByCode"]["checkedInAt"],
        at,
        "the first time stays"
    );
    assert_eq!(read(&app, &volunteer, &id).await["checkedInCount"], 1);
    let unknown = app
        .gql_as(
            &volunteer,
            "mutation($e: ID!) { checkInByCode(eventId: $e, code: \"AAAAAAAA\") { id } }",
            json!({"e": id}),
        )
        .await;
    assert_eq!(unknown.error_code(), "NOT_FOUND");
    let undo = "mutation($id: ID!) { undoCheckIn(registrationId: $id) { checkedInAt } }";
    let undone = app.gql_as(&volunteer, undo, json!({"id": rid})).await;
    assert_eq!(undone.data()["undoCheckIn"]["checkedInAt"], json!(null));
    assert_eq!(
        app.gql_as(&volunteer, undo, json!({"id": rid}))
            .await
            .error_code(),
        "INVALID_STATE"
    );
    // Someone on the waitlist has no seat to check into.
    let waiting = id_of(&register(&app, Some(&volunteer), &id, "Jules", 1).await);
    let refused = app
        .gql_as(&volunteer, CHECK_IN, json!({"id": waiting}))
        .await;
    assert_eq!(refused.error_code(), "INVALID_STATE");
}

#[tokio::test]
async fn a_walk_in_checks_in_at_once_or_hears_the_event_is_full() {
    let (app, manager, volunteer) = desk().await;
    let id = create(&app, &manager, workshop(2)).await;
    let walk = "mutation($i: RegisterInput!) { walkIn(input: $i) { status checkedInAt seats } }";
    let first = app
        .gql_as(
            &volunteer,
            walk,
            json!({"i": {"eventId": id, "name": "Passant", "seats": 2}}),
        )
        .await;
    assert_eq!(first.data()["walkIn"]["status"], "CONFIRMED");
    assert!(!first.data()["walkIn"]["checkedInAt"].is_null());
    let full = app
        .gql_as(
            &volunteer,
            walk,
            json!({"i": {"eventId": id, "name": "Retardataire"}}),
        )
        .await;
    assert_eq!(full.error_code(), "INVALID_STATE");
    assert!(
        full.first_error()["message"]
            .as_str()
            .unwrap()
            .contains("full")
    );
    let e = read(&app, &volunteer, &id).await;
    assert_eq!(
        (e["confirmedCount"].clone(), e["checkedInCount"].clone()),
        (json!(2), json!(2))
    );
}

#[tokio::test]
async fn one_registration_per_person_and_per_email_and_none_to_a_cancelled_or_past_event() {
    let (app, manager, volunteer) = desk().await;
    let id = create(&app, &manager, workshop(10)).await;
    register(&app, Some(&volunteer), &id, "Léa Roux", 1)
        .await
        .data();
    let again = app
        .gql_as(
            &volunteer,
            super::event_fixtures::REGISTER,
            json!({"i": {"eventId": id, "name": "L. Roux", "email": "LÉA.ROUX@exemple.fr"}}),
        )
        .await;
    assert_eq!(again.error_code(), "VALIDATION");
    assert_eq!(again.first_error()["extensions"]["field"], "email");
    assert!(
        again.first_error()["message"]
            .as_str()
            .unwrap()
            .contains("Léa Roux")
    );
    let person = lieu_tests::fixtures::person(&app.db, "Marc", "Dupuis").await;
    let by_person = json!({"i": {"eventId": id, "personId": person}});
    let first = app
        .gql_as(
            &volunteer,
            super::event_fixtures::REGISTER,
            by_person.clone(),
        )
        .await;
    first.data();
    let twice = app
        .gql_as(&volunteer, super::event_fixtures::REGISTER, by_person)
        .await;
    assert_eq!(twice.first_error()["extensions"]["field"], "personId");
    for (seats, field) in [(0, "seats"), (11, "seats")] {
        let bad = app
            .gql_as(
                &volunteer,
                super::event_fixtures::REGISTER,
                json!({"i": {"eventId": id, "name": "X", "seats": seats}}),
            )
            .await;
        assert_eq!(bad.first_error()["extensions"]["field"], field);
    }
    app.gql_as(
        &manager,
        "mutation($id: ID!) { cancelEvent(id: $id) { status } }",
        json!({"id": id}),
    )
    .await
    .data();
    let late = register(&app, Some(&volunteer), &id, "Trop Tard", 1).await;
    assert_eq!(late.error_code(), "INVALID_STATE");
    // A past event (a manager enters it after the fact) takes no registrations either.
    let past = create(
        &app,
        &manager,
        event(
            "Passé",
            "2020-01-10T10:00:00+01:00",
            "2020-01-10T12:00:00+01:00",
            &[],
            json!({}),
        ),
    )
    .await;
    assert_eq!(
        register(&app, Some(&volunteer), &past, "Ana", 1)
            .await
            .error_code(),
        "INVALID_STATE"
    );
}

#[tokio::test]
async fn the_public_registers_to_public_events_only_and_never_reads_registrations() {
    let (app, manager, volunteer) = desk().await;
    let public = create(&app, &manager, workshop(10)).await;
    let private = create(
        &app,
        &manager,
        event(
            "Réunion interne",
            "2027-05-16T10:00:00+02:00",
            "2027-05-16T12:00:00+02:00",
            &[],
            json!({}),
        ),
    )
    .await;
    let mine = register(&app, None, &public, "Anonyme", 2).await;
    assert_eq!(mine.data()["register"]["status"], "CONFIRMED");
    // The same email again: refused, without telling a stranger who holds it or its code.
    let again = register(&app, None, &public, "Anonyme", 1).await;
    assert_eq!(again.first_error()["extensions"]["field"], "email");
    let said = again.first_error()["message"].as_str().unwrap().to_string();
    let code = mine.data()["register"]["code"].as_str().unwrap();
    assert!(!said.contains(code) && !said.contains("Anonyme"), "{said}");
    assert_eq!(
        register(&app, None, &private, "Anonyme Deux", 1)
            .await
            .error_code(),
        "NOT_FOUND"
    );
    let no_email = app
        .gql(
            super::event_fixtures::REGISTER,
            json!({"i": {"eventId": public, "name": "Sans Mail"}}),
        )
        .await;
    assert_eq!(no_email.first_error()["extensions"]["field"], "email");
    let person = lieu_tests::fixtures::person(&app.db, "Known", "Person").await;
    let someone = app
        .gql(
            super::event_fixtures::REGISTER,
            json!({"i": {"eventId": public, "personId": person, "email": "k@p.org"}}),
        )
        .await;
    assert_eq!(someone.first_error()["extensions"]["field"], "personId");
    // The agenda shows the public event, not the private one, with its remaining seats.
    let agenda = app
        .gql(
            "{ events { totalCount edges { node { id remainingSeats } } } }",
            json!({}),
        )
        .await;
    assert_eq!(agenda.data()["events"]["totalCount"], 1);
    assert_eq!(
        agenda.data()["events"]["edges"][0]["node"]["remainingSeats"],
        8
    );
    assert_eq!(
        app.gql(
            "query($id: ID!) { event(id: $id) { id } }",
            json!({"id": private})
        )
        .await
        .data()["event"],
        json!(null)
    );
    let peek = app
        .gql(
            "query($id: ID!) { event(id: $id) { registrations { name } } }",
            json!({"id": public}),
        )
        .await;
    assert_eq!(peek.error_code(), "UNAUTHENTICATED");
    let list = app
        .gql(
            "query($id: ID!) { registrations(eventId: $id) { name } }",
            json!({"id": public}),
        )
        .await;
    assert_eq!(list.error_code(), "UNAUTHENTICATED");
    // Staff see both.
    let staff = app
        .gql_as(&volunteer, "{ events { totalCount } }", json!({}))
        .await;
    assert_eq!(staff.data()["events"]["totalCount"], 2);
}

#[tokio::test]
async fn a_paid_registration_records_one_ticket_revenue_at_the_price_that_applies() {
    let (app, manager, volunteer) = desk().await;
    let paying = event(
        "Concert",
        "2027-05-20T20:00:00+02:00",
        "2027-05-20T22:00:00+02:00",
        &[],
        json!({"price": "12", "memberPrice": "8", "public": true}),
    );
    let id = create(&app, &manager, paying).await;
    let member = lieu_tests::fixtures::person(&app.db, "Membre", "Fidèle").await;
    lieu_tests::fixtures::membership(&app.db, member, "2027-01-01", "2027-12-31").await;
    let pay =
        "mutation($id: ID!, $a: Decimal) { markRegistrationPaid(id: $id, amount: $a) { paid } }";
    let group = id_of(&register(&app, Some(&volunteer), &id, "Groupe", 3).await);
    app.gql_as(&volunteer, pay, json!({"id": group}))
        .await
        .data();
    let theirs = app
        .gql_as(
            &volunteer,
            super::event_fixtures::REGISTER,
            json!({"i": {"eventId": id, "personId": member, "seats": 2}}),
        )
        .await;
    let theirs = id_of(&theirs);
    let wrong = app
        .gql_as(&volunteer, pay, json!({"id": theirs, "a": "20"}))
        .await;
    assert_eq!(wrong.error_code(), "VALIDATION");
    app.gql_as(&volunteer, pay, json!({"id": theirs}))
        .await
        .data();
    let twice = app.gql_as(&volunteer, pay, json!({"id": theirs})).await;
    assert_eq!(twice.error_code(), "INVALID_STATE");
    let total = super::people_fixtures::number(
        &app,
        "SELECT CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) FROM revenues WHERE stream = 'EVENT_TICKETS'",
    )
    .await;
    assert_eq!(total, 3 * 1200 + 2 * 800);
    assert_eq!(
        super::people_fixtures::number(&app, "SELECT COUNT(*) FROM revenues").await,
        2
    );
    let names = super::people_fixtures::column(&app, "SELECT description FROM revenues").await;
    assert!(
        names
            .iter()
            .all(|d| d.contains("Concert") && !d.contains("Membre")),
        "{names:?}"
    );
    // A free event has nothing to pay.
    let free = create(&app, &manager, workshop(5)).await;
    let r = id_of(&register(&app, Some(&volunteer), &free, "Gratuit", 1).await);
    assert_eq!(
        app.gql_as(&volunteer, pay, json!({"id": r}))
            .await
            .error_code(),
        "INVALID_STATE"
    );
}

#[tokio::test]
async fn a_flood_of_public_registrations_is_rate_limited() {
    let (app, manager, volunteer) = desk().await;
    let id = create(&app, &manager, workshop(100)).await;
    for i in 0..10 {
        register(&app, None, &id, &format!("Visiteur {i}"), 1)
            .await
            .data();
    }
    let flood = register(&app, None, &id, "Visiteur de trop", 1).await;
    assert_eq!(flood.error_code(), "RATE_LIMITED");
    assert!(
        flood.first_error()["extensions"]["retryAfterSeconds"]
            .as_u64()
            .unwrap()
            >= 1
    );
    // The front desk is not limited.
    register(&app, Some(&volunteer), &id, "Inscrit au comptoir", 1)
        .await
        .data();
}

//! The door against a real server: check in twice, a walk-in into a full event, a cancelled
//! registration that lets the waitlist in. Events are made for each test (the demo's own
//! are on other days).

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use lieu_api::domain::Role;
use lieu_tests::serde_json::{Value, json};
use ratatui::crossterm::event::KeyCode;

use super::Driver;
use super::flows::{assert_shows, at_the_desk};
use crate::api::Client;

/// An event starting in a quarter of an hour (today's list, near the top), with `capacity`.
pub(super) async fn event(server: &lieu_tests::TestApp, title: &str, capacity: i64) -> String {
    let manager = server.token_for(Role::Manager).await;
    let start = Utc::now() + Duration::minutes(15);
    let text = |t: DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::Secs, true);
    let made = server
        .gql_as(
            &manager,
            "mutation($i: CreateEventInput!) { createEvent(input: $i) { id } }",
            json!({"i": {
                "title": title, "category": "WORKSHOP", "spaceIds": [], "capacity": capacity,
                "start": text(start), "end": text(start + Duration::hours(2)),
            }}),
        )
        .await;
    made.data()["createEvent"]["id"]
        .as_str()
        .expect("event made")
        .to_string()
}

pub(super) async fn register(server: &lieu_tests::TestApp, event: &str, name: &str) -> Value {
    let staff = server.token_for(Role::Volunteer).await;
    let email = format!("{}@exemple.fr", name.to_lowercase().replace(' ', "."));
    let done = server
        .gql_as(
            &staff,
            "mutation($i: RegisterInput!) { register(input: $i) { id status code } }",
            json!({"i": {"eventId": event, "name": name, "email": email}}),
        )
        .await;
    done.data()["register"].clone()
}

async fn registrations(server: &lieu_tests::TestApp, event: &str) -> Vec<Value> {
    let staff = server.token_for(Role::Volunteer).await;
    let list = server
        .gql_as(
            &staff,
            "query($e: ID!) { registrations(eventId: $e) { name status code checkedInAt waitlistPosition } }",
            json!({"e": event}),
        )
        .await;
    list.data()["registrations"].as_array().unwrap().clone()
}

/// From anywhere: Events, then down the list until the door of `title` is open.
pub(super) async fn open_door(d: &mut Driver, client: &Client, title: &str) {
    d.char('4');
    d.settle(client).await;
    for _ in 0..20 {
        d.key(KeyCode::Enter);
        d.settle(client).await;
        if d.screen(160, 48).contains(&format!("— {title} ")) {
            return;
        }
        d.key(KeyCode::Esc); // leave the search field
        d.key(KeyCode::Esc); // back to the list
        d.key(KeyCode::Down);
    }
    panic!("{title} is not in the list:\n{}", d.screen(160, 48));
}

#[tokio::test]
async fn checking_in_twice_gives_one_check_in_and_says_when_the_first_was() {
    let (server, client, mut d) = at_the_desk().await;
    let event = event(&server, "Atelier soudure", 10).await;
    register(&server, &event, "Hélène Test").await;
    register(&server, &event, "Karim Test").await;
    open_door(&mut d, &client, "Atelier soudure").await;
    d.key(KeyCode::F(2));
    d.type_text("helene");
    d.key(KeyCode::Enter);
    d.settle(&client).await;
    assert_shows(&d, "✓ Hélène Test — checked in at");
    let first = registrations(&server, &event).await;
    let at = first
        .iter()
        .find(|r| r["name"] == "Hélène Test")
        .and_then(|r| r["checkedInAt"].as_str())
        .expect("checked in")
        .to_string();
    // The site's offset is in the instant: its hh:mm is what the desk shows.
    let hhmm = &at[11..16];

    // Another scan, a minute later, of the same person.
    d.type_text("helene");
    d.key(KeyCode::Enter);
    d.settle(&client).await;
    assert_shows(&d, &format!("Hélène Test: already checked in at {hhmm}"));
    let after = registrations(&server, &event).await;
    let checked: Vec<&Value> = after
        .iter()
        .filter(|r| !r["checkedInAt"].is_null())
        .collect();
    assert_eq!(checked.len(), 1, "{after:?}");
    assert_eq!(checked[0]["checkedInAt"].as_str(), Some(at.as_str()));
    assert_shows(&d, "2/10 booked · 1 in");

    // A scanner types Karim's code (any case, with a dash), then Enter; `u` undoes it.
    let karim = register_code(&after, "Karim Test");
    let scanned = format!("{}-{}", &karim[..4], &karim[4..]).to_lowercase();
    d.type_text(&scanned);
    d.key(KeyCode::Enter);
    d.settle(&client).await;
    assert_shows(&d, "✓ Karim Test — checked in at");
    d.type_text("karim");
    d.key(KeyCode::Esc);
    d.char('u');
    d.settle(&client).await;
    assert_shows(&d, "Check-in undone: Karim Test");
    let last = registrations(&server, &event).await;
    let karim = last.iter().find(|r| r["name"] == "Karim Test").unwrap();
    assert!(karim["checkedInAt"].is_null(), "{karim}");
    server.stop().await;
}

fn register_code(list: &[Value], name: &str) -> String {
    list.iter()
        .find(|r| r["name"] == name)
        .and_then(|r| r["code"].as_str())
        .expect("a code")
        .to_string()
}

#[tokio::test]
async fn a_walk_in_into_a_full_event_is_offered_the_waitlist() {
    let (server, client, mut d) = at_the_desk().await;
    let event = event(&server, "Atelier complet", 1).await;
    register(&server, &event, "Zoé Première").await;
    open_door(&mut d, &client, "Atelier complet").await;
    assert_shows(&d, "complet");
    d.key(KeyCode::Esc);
    d.char('n');
    d.settle(&client).await;
    d.type_text("Paul Nouveau");
    d.key(KeyCode::Enter);
    d.settle(&client).await;
    assert_shows(&d, "Complet — ajouter à la liste d'attente ?");
    d.char('o');
    d.settle(&client).await;
    assert_shows(&d, "Liste d'attente pour Paul Nouveau : position 1.");
    let list = registrations(&server, &event).await;
    let paul = list
        .iter()
        .find(|r| r["name"] == "Paul Nouveau")
        .expect("registered");
    assert_eq!(paul["status"], "WAITLISTED");
    assert!(paul["checkedInAt"].is_null(), "not let in: {paul}");
    server.stop().await;
}

#[tokio::test]
async fn a_walk_in_whose_seats_went_meanwhile_is_offered_the_waitlist_too() {
    let (server, client, mut d) = at_the_desk().await;
    let event = event(&server, "Atelier presque complet", 1).await;
    open_door(&mut d, &client, "Atelier presque complet").await;
    d.key(KeyCode::Esc);
    d.char('n');
    d.settle(&client).await;
    // Another desk takes the last seat while the name is typed.
    register(&server, &event, "Zoé Rapide").await;
    d.type_text("Paul Lent");
    d.key(KeyCode::Enter);
    d.settle(&client).await;
    assert_shows(&d, "Complet — ajouter à la liste d'attente ?");
    d.char('o');
    d.settle(&client).await;
    assert_shows(&d, "position 1");
    server.stop().await;
}

#[tokio::test]
async fn a_cancelled_registration_says_who_the_waitlist_let_in() {
    let (server, client, mut d) = at_the_desk().await;
    let event = event(&server, "Atelier annulé", 1).await;
    register(&server, &event, "Anne Premier").await;
    let second = register(&server, &event, "Bruno Second").await;
    assert_eq!(second["status"], "WAITLISTED");
    open_door(&mut d, &client, "Atelier annulé").await;
    d.type_text("anne");
    d.key(KeyCode::Esc);
    d.char('x');
    assert_shows(&d, "Annuler l'inscription de Anne Premier");
    d.char('o');
    d.settle(&client).await;
    assert_shows(&d, "Quitte la liste d'attente : Bruno Second (1)");
    let list = registrations(&server, &event).await;
    let bruno = list.iter().find(|r| r["name"] == "Bruno Second").unwrap();
    assert_eq!(bruno["status"], "CONFIRMED");
    server.stop().await;
}

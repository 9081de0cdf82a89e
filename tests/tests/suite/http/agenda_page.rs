//! The example agenda page (`examples/agenda/`) in a real browser: headless Chromium, driven over
//! the DevTools protocol by `tests/python/agenda_page.py`, loads it from a loopback origin that
//! the server allows, lists the coming public events, registers through the form with a PUBLIC
//! key, and says so when the server does not allow its origin.

use std::process::Stdio;
use std::time::Duration;

use chrono::{Duration as Days, SecondsFormat, Utc};
use lieu_api::domain::Role;
use lieu_tests::serde_json::{Value, json};
use lieu_tests::{TestApp, spawn_app_with, spawn_server_on};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

fn chromium_here() -> bool {
    let binary = std::env::var("LIEU_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    std::path::Path::new(&binary).exists()
}

async fn event(app: &TestApp, manager: &str, title: &str, days: i64, input: Value) -> String {
    let start = Utc::now() + Days::days(days);
    let mut input_with_times = json!({
        "title": title, "category": "WORKSHOP", "spaceIds": [],
        "start": start.to_rfc3339_opts(SecondsFormat::Secs, true),
        "end": (start + Days::hours(2)).to_rfc3339_opts(SecondsFormat::Secs, true),
    });
    input_with_times
        .as_object_mut()
        .unwrap()
        .extend(input.as_object().unwrap().clone());
    let made = app
        .gql_as(
            manager,
            "mutation($i: CreateEventInput!) { createEvent(input: $i) { id } }",
            json!({"i": input_with_times}),
        )
        .await;
    made.data()["createEvent"]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn the_example_agenda_page_lists_public_events_and_registers_in_headless_chromium() {
    if !chromium_here() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have chromium (.ci/run installs it)"
        );
        eprintln!("chromium is not installed here: the example page was not driven");
        return;
    }
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let mut driver = tokio::process::Command::new("python3")
        .arg(format!("{root}/tests/python/agenda_page.py"))
        .arg(format!("{root}/examples/agenda"))
        .args(std::env::var("LIEU_AGENDA_SCREENSHOT").ok())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("python3 runs the browser driver");
    let mut lines = BufReader::new(driver.stdout.take().unwrap()).lines();
    let first = lines.next_line().await.unwrap().unwrap_or_default();
    let Some(origin) = first.strip_prefix("origin ").map(str::to_string) else {
        let output = driver.wait_with_output().await.unwrap();
        let err = String::from_utf8_lossy(&output.stderr);
        if err.contains("No module named 'websockets'") && std::env::var_os("CI").is_none() {
            eprintln!("python websockets is not installed here: the example page was not driven");
            return;
        }
        panic!("the browser driver did not start: {err}");
    };

    let app = spawn_app_with(|config| config.cors_origins = vec![origin.parse().unwrap()]).await;
    // Another server on the same database, which does not allow the page's origin.
    let blocked = spawn_server_on(&app.database.url).await;
    let admin = app.token_for(Role::Admin).await;
    let manager = app.token_for(Role::Manager).await;
    let key = app.api_key_for(&admin, "Site web", "PUBLIC").await;
    let sewing = event(
        &app,
        &manager,
        "Atelier couture",
        2,
        json!({"capacity": 10, "public": true, "price": "5"}),
    )
    .await;
    let laser = event(
        &app,
        &manager,
        "Découpe laser",
        3,
        json!({"capacity": 1, "public": true}),
    )
    .await;
    event(&app, &manager, "Réunion du CA", 1, json!({"public": false})).await;
    event(
        &app,
        &manager,
        "Repair café d'hier",
        -1,
        json!({"public": true}),
    )
    .await;
    let full = app
        .gql(
            "mutation($i: RegisterInput!) { register(input: $i) { status } }",
            json!({"i": {"eventId": laser, "name": "Première", "email": "premiere@exemple.fr"}}),
        )
        .await;
    assert_eq!(full.data()["register"]["status"], "CONFIRMED");

    let plan = json!({
        "api": app.base_url, "key": key, "blocked": blocked.base_url,
        "registrations": [
            {"event": sewing, "name": "Camille Martin", "email": "camille@exemple.fr", "seats": 2},
            {"event": laser, "name": "Sami Benali", "email": "sami@exemple.fr", "seats": 1},
        ],
    });
    let mut stdin = driver.stdin.take().unwrap();
    stdin
        .write_all(format!("{plan}\n").as_bytes())
        .await
        .unwrap();
    let answer = tokio::time::timeout(Duration::from_secs(120), lines.next_line()).await;
    let Ok(Ok(Some(answer))) = answer else {
        let output = driver.wait_with_output().await.unwrap();
        panic!(
            "the browser driver said nothing: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    };
    let seen: Value = lieu_tests::serde_json::from_str(&answer).unwrap();

    // The coming public events only, soonest first, with their seats as a visitor reads them.
    assert_eq!(seen["state"], "loaded", "{seen}");
    let cards = seen["cards"].as_array().unwrap();
    let titles: Vec<&str> = cards.iter().map(|c| c["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["Atelier couture", "Découpe laser"], "{seen}");
    assert_eq!(cards[0]["seats"], "10 places restantes");
    assert_eq!(cards[1]["seats"], "Complet : liste d'attente");
    // French money, in a French page (a no-break space before the euro sign).
    assert_eq!(cards[0]["price"], "5,00\u{a0}€");
    assert_eq!(cards[1]["price"], "Gratuit");

    // Typed and clicked: confirmed with its code, the seats read again; the full one waitlisted.
    let [confirmed, waitlisted] = seen["registrations"].as_array().unwrap().as_slice() else {
        panic!("two registrations: {seen}");
    };
    assert_eq!(confirmed["status"], "CONFIRMED", "{seen}");
    assert_eq!(confirmed["remaining"], "8");
    assert_eq!(confirmed["seats"], "8 places restantes");
    let registered = app
        .gql_as(
            &manager,
            "query($e: ID!) { registrations(eventId: $e) { name email seats status code } }",
            json!({"e": sewing}),
        )
        .await;
    let rows = registered.data()["registrations"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["name"], "Camille Martin");
    assert_eq!(rows[0]["email"], "camille@exemple.fr");
    assert_eq!(rows[0]["seats"], 2);
    let code = rows[0]["code"].as_str().unwrap();
    assert!(
        confirmed["text"].as_str().unwrap().contains(code),
        "the page shows the code {code}: {confirmed}"
    );
    assert_eq!(waitlisted["status"], "WAITLISTED", "{seen}");
    assert!(
        waitlisted["text"].as_str().unwrap().contains("position 1"),
        "{waitlisted}"
    );

    // The page's key named the registrations in the audit trail.
    let trail = app
        .gql_as(
            &manager,
            "{ auditLog(filter: {operation: \"register\"}) { edges { node { actor } } } }",
            json!({}),
        )
        .await;
    let actors: Vec<&str> = trail.data()["auditLog"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["actor"].as_str().unwrap())
        .collect();
    assert_eq!(
        actors,
        ["apikey:Site web", "apikey:Site web", "anonymous:127.0.0.1"]
    );

    // A server that does not allow the origin: the browser withholds the answer and the page
    // says what happened instead of an empty agenda.
    assert_eq!(seen["blocked"]["state"], "error", "{seen}");
    assert_eq!(seen["blocked"]["cards"], 0);
    assert!(
        seen["blocked"]["text"].as_str().unwrap().contains("CORS"),
        "{seen}"
    );
    assert_eq!(seen["problems"], json!([]), "the page's own errors");
}

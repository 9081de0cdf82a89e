//! The seats guarantee end to end: concurrent registrations over HTTP, split across two
//! server processes on one database, never oversell, and the line is numbered without gaps.

use lieu_api::domain::Role;
use lieu_tests::serde_json::json;
use lieu_tests::spawn_app;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_registrations_for_five_seats_across_two_servers() {
    let app = spawn_app().await;
    let second = lieu_tests::spawn_server_on(&app.database.url).await;
    let manager = app.token_for(Role::Manager).await;
    let created = app
        .gql_as(
            &manager,
            "mutation($i: CreateEventInput!) { createEvent(input: $i) { id } }",
            json!({"i": {"title": "Atelier", "category": "WORKSHOP", "spaceIds": [], "capacity": 5, "public": true,
                "start": "2027-05-15T10:00:00+02:00", "end": "2027-05-15T12:00:00+02:00"}}),
        )
        .await;
    let event = created.data()["createEvent"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let servers = [app.base_url.clone(), second.base_url.clone()];
    let attempts = (0..20).map(|i| {
        app.post_to(
            &servers[i % 2],
            Some(&manager),
            "mutation($i: RegisterInput!) { register(input: $i) { status waitlistPosition } }",
            json!({"i": {"eventId": event, "name": format!("P{i}"), "email": format!("p{i}@x.org")}}),
        )
    });
    let responses = futures::future::join_all(attempts).await;
    let confirmed = responses
        .iter()
        .filter(|r| r.data()["register"]["status"] == "CONFIRMED")
        .count();
    let mut positions: Vec<i64> = responses
        .iter()
        .filter_map(|r| r.data()["register"]["waitlistPosition"].as_i64())
        .collect();
    positions.sort();
    assert_eq!(confirmed, 5);
    assert_eq!(positions, (1..=15).collect::<Vec<i64>>());
}

//! API keys over HTTP: a PUBLIC key does what the public may and nothing more, a role-scoped
//! key what its role may; a revoked or expired key fails on its very next request, on every
//! server process; the key is stored only as a hash; its use is recorded at most once a minute.

use lieu_api::domain::Role;
use lieu_tests::live::LiveSocket;
use lieu_tests::serde_json::{Value, json};
use lieu_tests::{TestApp, spawn_app, spawn_app_with};
use sea_orm::{ConnectionTrait, Statement};

const EVENTS: &str = "{ events { edges { node { id title remainingSeats } } } }";
const REGISTER: &str = "mutation($i: RegisterInput!) { register(input: $i) { id status } }";
const CREATE_KEY: &str = "mutation($n: String!, $s: ApiKeyScope!, $e: DateTime) { createApiKey(name: $n, scope: $s, expiresAt: $e) { key apiKey { id name scope createdAt lastUsedAt expiresAt revoked } } }";
const KEYS: &str = "{ apiKeys { id name scope lastUsedAt revoked } }";
const REVOKE: &str = "mutation($id: ID!) { revokeApiKey(id: $id) { id revoked } }";

/// A public (or private) event created by a manager; returns its id.
async fn event(app: &TestApp, manager: &str, title: &str, public: bool) -> String {
    let created = app
        .gql_as(
            manager,
            "mutation($i: CreateEventInput!) { createEvent(input: $i) { id } }",
            json!({"i": {"title": title, "category": "WORKSHOP", "spaceIds": [], "capacity": 30, "public": public,
                "start": "2027-05-15T10:00:00+02:00", "end": "2027-05-15T12:00:00+02:00"}}),
        )
        .await;
    created.data()["createEvent"]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

fn titles(events: &Value) -> Vec<String> {
    events["events"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["title"].as_str().unwrap().to_string())
        .collect()
}

async fn key_row(app: &TestApp, admin: &str, name: &str) -> Value {
    let keys = app.gql_as(admin, KEYS, json!({})).await;
    keys.data()["apiKeys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["name"] == name)
        .cloned()
        .expect("the key is listed")
}

#[tokio::test]
async fn a_public_key_reads_the_agenda_and_registers_but_is_forbidden_the_rest() {
    let app = spawn_app().await;
    let admin = app.token_for(Role::Admin).await;
    let manager = app.token_for(Role::Manager).await;
    let open = event(&app, &manager, "Atelier ouvert", true).await;
    event(&app, &manager, "Réunion interne", false).await;
    let key = app.api_key_for(&admin, "Site web", "PUBLIC").await;
    assert!(key.starts_with("lieu_key_"), "{key}");

    let agenda = app.gql_as(&key, EVENTS, json!({})).await;
    assert_eq!(titles(agenda.data()), ["Atelier ouvert"]);
    let registered = app
        .gql_as(
            &key,
            REGISTER,
            json!({"i": {"eventId": open, "name": "Visiteuse", "email": "visiteuse@exemple.fr"}}),
        )
        .await;
    assert_eq!(registered.data()["register"]["status"], "CONFIRMED");
    // A key is no account: no `me`, and nothing beyond what the public may.
    assert!(app.gql_as(&key, "{ me { id } }", json!({})).await.data()["me"].is_null());
    for denied in [
        "{ people { totalCount } }",
        "{ bookings { totalCount } }",
        "{ apiKeys { id } }",
    ] {
        let refused = app.gql_as(&key, denied, json!({})).await;
        assert_eq!(refused.error_code(), "FORBIDDEN", "{denied}");
        assert!(
            refused.first_error()["message"]
                .as_str()
                .unwrap()
                .contains("PUBLIC"),
            "{}",
            refused.body
        );
    }
    let registrations = app
        .gql_as(
            &key,
            "query($id: ID!) { event(id: $id) { registrations { id } } }",
            json!({"id": open}),
        )
        .await;
    assert_eq!(registrations.error_code(), "FORBIDDEN");

    let row = key_row(&app, &admin, "Site web").await;
    assert_eq!(row["scope"], "PUBLIC");
    assert!(row["lastUsedAt"].is_string(), "{row}");
}

#[tokio::test]
async fn a_manager_key_does_what_a_manager_does_without_an_account() {
    let app = spawn_app().await;
    let admin = app.token_for(Role::Admin).await;
    let key = app
        .api_key_for(&admin, "Outil de réservation", "MANAGER")
        .await;

    let created = app
        .gql_as(
            &key,
            "mutation($i: CreateEventInput!) { createEvent(input: $i) { id title } }",
            json!({"i": {"title": "Concert", "category": "CONCERT", "spaceIds": [], "public": true,
                "start": "2027-06-01T20:00:00+02:00", "end": "2027-06-01T22:00:00+02:00"}}),
        )
        .await;
    assert_eq!(created.data()["createEvent"]["title"], "Concert");
    let person = app
        .gql_as(
            &key,
            "mutation { createPerson(input: {firstName: \"Ana\", lastName: \"Outil\"}) { id } }",
            json!({}),
        )
        .await;
    person.data();
    let people = app
        .gql_as(&key, "{ people { totalCount } }", json!({}))
        .await;
    assert_eq!(people.data()["people"]["totalCount"], 1);
    let hours = app
        .gql_as(
            &key,
            "{ revenues(from: \"2027-01-01\", to: \"2027-12-31\") { id } }",
            json!({}),
        )
        .await;
    hours.data();

    // Not an ADMIN's; and what belongs to a person's session is not a key's.
    let users = app.gql_as(&key, "{ users { id } }", json!({})).await;
    assert_eq!(users.error_code(), "FORBIDDEN");
    for own in [
        "mutation { logout }",
        "mutation { changePassword(oldPassword: \"a\", newPassword: \"long enough pass\") }",
    ] {
        assert_eq!(
            app.gql_as(&key, own, json!({})).await.error_code(),
            "FORBIDDEN",
            "{own}"
        );
    }
    assert!(app.gql_as(&key, "{ me { id } }", json!({})).await.data()["me"].is_null());
}

#[tokio::test]
async fn a_revoked_key_fails_on_its_next_request_on_every_server() {
    let app = spawn_app().await;
    let second = lieu_tests::spawn_server_on(&app.database.url).await;
    let admin = app.token_for(Role::Admin).await;
    let manager_key = app.api_key_for(&admin, "Outil", "MANAGER").await;
    let public_key = app.api_key_for(&admin, "Site web", "PUBLIC").await;
    let servers = [app.base_url.clone(), second.base_url.clone()];
    for server in &servers {
        let people = app
            .post_to(
                server,
                Some(&manager_key),
                "{ people { totalCount } }",
                json!({}),
            )
            .await;
        people.data();
        app.post_to(server, Some(&public_key), EVENTS, json!({}))
            .await
            .data();
    }

    for name in ["Outil", "Site web"] {
        let id = key_row(&app, &admin, name).await["id"].clone();
        let revoked = app.gql_as(&admin, REVOKE, json!({"id": id})).await;
        assert_eq!(revoked.data()["revokeApiKey"]["revoked"], true);
        let twice = app.gql_as(&admin, REVOKE, json!({"id": id})).await;
        assert_eq!(twice.error_code(), "INVALID_STATE");
    }
    // At once, on both processes; a revoked PUBLIC key is refused even the public agenda (a
    // page still sending it learns at once), like a key that never existed.
    let unknown = format!("lieu_key_{}", "x".repeat(43));
    for server in &servers {
        for (key, query) in [
            (&manager_key, "{ people { totalCount } }"),
            (&public_key, EVENTS),
            (&unknown, EVENTS),
        ] {
            let refused = app.post_to(server, Some(key), query, json!({})).await;
            assert_eq!(refused.error_code(), "UNAUTHENTICATED", "{server} {query}");
            // About the credentials, not a place in the document.
            assert!(refused.first_error().get("locations").is_none());
        }
    }
    // The CSV exports and calendar feeds refuse it the same way.
    let export = app
        .client
        .get(format!(
            "{}/exports/revenues.csv?from=2027-01-01&to=2027-01-31",
            app.base_url
        ))
        .bearer_auth(&manager_key)
        .send()
        .await
        .unwrap();
    assert_eq!(export.status(), 401);
    let keys = app.gql_as(&admin, KEYS, json!({})).await;
    assert!(
        keys.data()["apiKeys"]
            .as_array()
            .unwrap()
            .iter()
            .all(|k| k["revoked"] == true)
    );
    let missing = app
        .gql_as(
            &admin,
            REVOKE,
            json!({"id": uuid::Uuid::new_v4().to_string()}),
        )
        .await;
    assert_eq!(missing.error_code(), "NOT_FOUND");
    // A revoked key frees its name.
    app.api_key_for(&admin, "Outil", "MANAGER").await;
}

#[tokio::test]
async fn an_expired_key_fails_and_bad_input_is_refused() {
    let app = spawn_app().await;
    let admin = app.token_for(Role::Admin).await;
    let in_an_hour = (app.clock.now() + chrono::Duration::hours(1)).to_rfc3339();
    let created = app
        .gql_as(
            &admin,
            CREATE_KEY,
            json!({"n": "Agenda régional", "s": "VOLUNTEER", "e": in_an_hour}),
        )
        .await;
    let created = &created.data()["createApiKey"];
    let key = created["key"].as_str().unwrap().to_string();
    assert_eq!(created["apiKey"]["scope"], "VOLUNTEER");
    assert!(created["apiKey"]["expiresAt"].is_string());
    assert!(created["apiKey"]["lastUsedAt"].is_null());
    app.gql_as(&key, "{ bookings { totalCount } }", json!({}))
        .await
        .data();

    app.clock.advance(chrono::Duration::hours(2));
    let expired = app
        .gql_as(&key, "{ bookings { totalCount } }", json!({}))
        .await;
    assert_eq!(expired.error_code(), "UNAUTHENTICATED");
    assert!(
        expired.first_error()["message"]
            .as_str()
            .unwrap()
            .contains("expired")
    );

    let past = (app.clock.now() - chrono::Duration::minutes(1)).to_rfc3339();
    for (variables, field) in [
        (json!({"n": "Hier", "s": "PUBLIC", "e": past}), "expiresAt"),
        (json!({"n": "   ", "s": "PUBLIC"}), "name"),
        (json!({"n": "Agenda régional", "s": "PUBLIC"}), "name"),
    ] {
        let refused = app.gql_as(&admin, CREATE_KEY, variables).await;
        assert_eq!(refused.error_code(), "VALIDATION", "{}", refused.body);
        assert_eq!(refused.first_error()["extensions"]["field"], field);
    }
    let scope = app
        .gql_as(&admin, CREATE_KEY, json!({"n": "X", "s": "ROOT"}))
        .await;
    assert_eq!(scope.error_code(), "VALIDATION");
    // Nothing was written by the refusals.
    let keys = app.gql_as(&admin, KEYS, json!({})).await;
    assert_eq!(keys.data()["apiKeys"].as_array().unwrap().len(), 1);
}

async fn last_used(app: &TestApp, admin: &str) -> Value {
    key_row(app, admin, "Site web").await["lastUsedAt"].clone()
}

#[tokio::test]
async fn the_key_is_stored_only_as_a_hash_and_its_use_recorded_once_a_minute() {
    let app = spawn_app().await;
    let admin = app.token_for(Role::Admin).await;
    let key = app.api_key_for(&admin, "Site web", "PUBLIC").await;
    let conn = app.database.connect().await;
    let rows = conn
        .query_all_raw(Statement::from_string(
            conn.get_database_backend(),
            "SELECT name, scope, key_hash FROM api_keys",
        ))
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    let secret = key.trim_start_matches("lieu_key_");
    for column in ["name", "scope", "key_hash"] {
        let stored: String = rows[0].try_get("", column).unwrap();
        assert!(!stored.contains(secret), "{column} holds the key");
    }
    let hash: String = rows[0].try_get("", "key_hash").unwrap();
    assert_eq!(hash.len(), 64, "hex SHA-256");

    assert!(last_used(&app, &admin).await.is_null());
    app.gql_as(&key, EVENTS, json!({})).await.data();
    let first = last_used(&app, &admin).await;
    assert!(first.is_string());
    app.gql_as(&key, EVENTS, json!({})).await.data();
    assert_eq!(
        last_used(&app, &admin).await,
        first,
        "not rewritten within the minute"
    );
    app.clock.advance(chrono::Duration::minutes(2));
    app.gql_as(&key, EVENTS, json!({})).await.data();
    assert_ne!(last_used(&app, &admin).await, first);
}

#[tokio::test]
async fn a_socket_signed_in_with_a_key_is_closed_when_the_key_is_revoked() {
    let app = spawn_app_with(|config| {
        config.sockets.session_recheck = std::time::Duration::from_millis(200);
    })
    .await;
    let admin = app.token_for(Role::Admin).await;
    let key = app
        .api_key_for(&admin, "Écran d'accueil", "VOLUNTEER")
        .await;
    let mut live = LiveSocket::subscribe(&app.base_url, Some(&key), None).await;
    let id = key_row(&app, &admin, "Écran d'accueil").await["id"].clone();
    app.gql_as(&admin, REVOKE, json!({"id": id})).await.data();
    let closed = live
        .closed_within(std::time::Duration::from_secs(10))
        .await
        .expect("the socket is closed once its key is revoked");
    assert_eq!(closed.code, 4401, "{closed:?}");
    let refused = LiveSocket::open(
        &app.base_url,
        json!({"Authorization": format!("Bearer {key}")}),
    )
    .await
    .err()
    .expect("a revoked key is refused");
    assert_eq!(refused.code, 4403, "{refused:?}");
}

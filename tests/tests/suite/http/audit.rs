//! The audit trail over HTTP: who (a staff email, an API key's name, an anonymous address),
//! what (the operation, the object, what changed, no secrets), when and in which request;
//! `auditLog` by object, user, operation and period, newest first, in keyset pages; a refused
//! or rolled-back mutation leaves nothing. (Every mutation of the schema leaving an entry is
//! checked by the roles walk; erasure scrubbing the trail by the GDPR test.)

use lieu_api::domain::Role;
use lieu_tests::serde_json::{Value, json};
use lieu_tests::{TestApp, spawn_app};

const LOG: &str = "query($f: AuditFilter, $first: Int, $after: String) { auditLog(filter: $f, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id at actor operation objectType objectId requestId summary } } } }";
const CREATE_PERSON: &str = "mutation($i: CreatePersonInput!) { createPerson(input: $i) { id } }";

/// Posts `query` as the bearer of `token` with an `x-request-id`.
async fn with_request_id(
    app: &TestApp,
    token: &str,
    request_id: &str,
    query: &str,
    variables: Value,
) -> Value {
    let response = app
        .client
        .post(format!("{}/graphql", app.base_url))
        .bearer_auth(token)
        .header("x-request-id", request_id)
        .json(&json!({"query": query, "variables": variables}))
        .send()
        .await
        .unwrap();
    let body: Value = response.json().await.unwrap();
    assert!(body.get("errors").is_none(), "{body}");
    body["data"].clone()
}

async fn log(app: &TestApp, token: &str, variables: Value) -> Value {
    app.gql_as(token, LOG, variables).await.data()["auditLog"].clone()
}

fn nodes(page: &Value) -> Vec<Value> {
    page["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"].clone())
        .collect()
}

fn summary(node: &Value) -> Value {
    serde_json::from_str(node["summary"].as_str().expect("a summary")).expect("JSON")
}

/// Every summary of the trail, as stored.
async fn all_summaries(app: &TestApp) -> Vec<String> {
    use lieu_entity::audit_entry::Entity;
    use sea_orm::EntityTrait;
    Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|e| e.summary)
        .collect()
}

#[tokio::test]
async fn the_trail_names_who_what_and_the_request_and_pages_newest_first() {
    let app = spawn_app().await;
    let manager = app.token_for(Role::Manager).await;
    let me = app.gql_as(&manager, "{ me { id email } }", json!({})).await;
    let (my_id, my_email) = (
        me.data()["me"]["id"].as_str().unwrap().to_string(),
        me.data()["me"]["email"].as_str().unwrap().to_string(),
    );

    let created = with_request_id(
        &app,
        &manager,
        "req-audit-1",
        CREATE_PERSON,
        json!({"i": {"firstName": "Ada", "lastName": "Martin", "email": "ada@exemple.fr"}}),
    )
    .await;
    let person = created["createPerson"]["id"].as_str().unwrap().to_string();
    with_request_id(
        &app,
        &manager,
        "req-audit-2",
        "mutation($id: ID!) { updatePerson(id: $id, input: {lastName: \"Martin-Dupont\"}) { id } }",
        json!({"id": person}),
    )
    .await;

    // By object: the change, then the creation (newest first).
    let page = log(&app, &manager, json!({"f": {"objectId": person}})).await;
    assert_eq!(page["totalCount"], 2);
    let entries = nodes(&page);
    assert_eq!(entries[0]["operation"], "updatePerson");
    assert_eq!(entries[1]["operation"], "createPerson");
    for entry in &entries {
        assert_eq!(entry["actor"], format!("user:{my_email}"));
        assert_eq!(entry["objectType"], "Person");
        assert_eq!(entry["objectId"], person.as_str());
    }
    assert_eq!(entries[0]["requestId"], "req-audit-2");
    assert_eq!(entries[1]["requestId"], "req-audit-1");
    assert_eq!(
        summary(&entries[0])["changed"]["lastName"],
        json!(["Martin", "Martin-Dupont"])
    );
    let creation = summary(&entries[1]);
    assert_eq!(creation["created"]["firstName"], "Ada");
    assert_eq!(creation["input"]["input"]["email"], "ada@exemple.fr");
    // What Lieu derives (search keys) is not kept.
    assert!(creation["created"].get("searchText").is_none());

    // Keyset pages: the second page starts after the first's last entry.
    let first = log(
        &app,
        &manager,
        json!({"f": {"objectId": person}, "first": 1}),
    )
    .await;
    assert_eq!(first["pageInfo"]["hasNextPage"], true);
    let cursor = first["pageInfo"]["endCursor"].as_str().unwrap();
    let second = log(
        &app,
        &manager,
        json!({"f": {"objectId": person}, "first": 1, "after": cursor}),
    )
    .await;
    assert_eq!(nodes(&second)[0]["operation"], "createPerson");
    assert_eq!(second["pageInfo"]["hasNextPage"], false);

    // By user, by operation, by period.
    let mine = log(&app, &manager, json!({"f": {"userId": my_id}})).await;
    assert_eq!(mine["totalCount"], 2);
    let creations = log(&app, &manager, json!({"f": {"operation": "createPerson"}})).await;
    assert_eq!(creations["totalCount"], 1);
    let later = (app.clock.now() + chrono::Duration::hours(1)).to_rfc3339();
    let earlier = (app.clock.now() - chrono::Duration::hours(1)).to_rfc3339();
    let future = log(&app, &manager, json!({"f": {"from": later}})).await;
    assert_eq!(future["totalCount"], 0);
    let window = log(
        &app,
        &manager,
        json!({"f": {"from": earlier, "to": later, "objectId": person}}),
    )
    .await;
    assert_eq!(window["totalCount"], 2);
    let backwards = app
        .gql_as(&manager, LOG, json!({"f": {"from": later, "to": earlier}}))
        .await;
    assert_eq!(backwards.error_code(), "VALIDATION");

    // A refused mutation (the email is taken) leaves no entry.
    let refused = app
        .gql_as(
            &manager,
            CREATE_PERSON,
            json!({"i": {"firstName": "Autre", "lastName": "Ada", "email": "ADA@exemple.fr"}}),
        )
        .await;
    assert!(refused.body.get("errors").is_some());
    let creations = log(&app, &manager, json!({"f": {"operation": "createPerson"}})).await;
    assert_eq!(creations["totalCount"], 1);

    // Two mutations in one document: an entry each.
    let two = app
        .gql_as(
            &manager,
            "mutation { a: createPerson(input: {firstName: \"Un\", lastName: \"Deux\"}) { id } b: createPerson(input: {firstName: \"Trois\", lastName: \"Quatre\"}) { id } }",
            json!({}),
        )
        .await;
    let (a, b) = (
        two.data()["a"]["id"].as_str().unwrap(),
        two.data()["b"]["id"].as_str().unwrap(),
    );
    for id in [a, b] {
        let page = log(&app, &manager, json!({"f": {"objectId": id}})).await;
        assert_eq!(page["totalCount"], 1, "{id}");
    }

    // A volunteer does not read the trail.
    let volunteer = app.token_for(Role::Volunteer).await;
    assert_eq!(
        app.gql_as(&volunteer, LOG, json!({})).await.error_code(),
        "FORBIDDEN"
    );
}

#[tokio::test]
async fn secrets_never_reach_the_trail_and_anonymous_callers_are_named_by_address() {
    let app = spawn_app().await;
    let admin = app.token_for(Role::Admin).await;
    let password = "correct horse battery staple";
    app.create_user("desk@exemple.fr", Role::Volunteer, password)
        .await
        .unwrap();
    let login = app.login("desk@exemple.fr", password).await;
    let token = login.data()["login"]["token"].as_str().unwrap().to_string();
    let user_id = login.data()["login"]["user"]["id"].as_str().unwrap();

    let key = app.api_key_for(&admin, "Site web", "PUBLIC").await;
    let webhook = app
        .gql_as(
            &admin,
            "mutation { createWebhook(url: \"https://hooks.example.org/lieu\", kinds: [CHECKED_IN]) { secret } }",
            json!({}),
        )
        .await;
    let secret = webhook.data()["createWebhook"]["secret"]
        .as_str()
        .unwrap()
        .to_string();
    app.gql_as(
        &token,
        "mutation($o: String!, $n: String!) { changePassword(oldPassword: $o, newPassword: $n) }",
        json!({"o": password, "n": "another long passphrase"}),
    )
    .await
    .data();

    let logins = log(&app, &admin, json!({"f": {"operation": "login"}})).await;
    let entry = &nodes(&logins)[0];
    assert_eq!(entry["actor"], "anonymous:127.0.0.1");
    assert_eq!(entry["objectType"], "User");
    assert_eq!(entry["objectId"], user_id);
    assert_eq!(summary(entry)["input"]["password"], "[redacted]");
    assert_eq!(summary(entry)["input"]["email"], "desk@exemple.fr");
    let keys = log(&app, &admin, json!({"f": {"operation": "createApiKey"}})).await;
    assert_eq!(nodes(&keys)[0]["objectType"], "ApiKey");
    assert_eq!(summary(&nodes(&keys)[0])["created"]["name"], "Site web");

    for text in all_summaries(&app).await {
        for secret in [
            password,
            "another long passphrase",
            key.as_str(),
            secret.as_str(),
            &token,
            "$argon2",
        ] {
            assert!(!text.contains(secret), "a secret in the trail: {text}");
        }
    }

    // An anonymous registration, and one through the PUBLIC key.
    let manager = app.token_for(Role::Manager).await;
    let event = app
        .gql_as(
            &manager,
            "mutation($i: CreateEventInput!) { createEvent(input: $i) { id } }",
            json!({"i": {"title": "Repair café", "category": "WORKSHOP", "spaceIds": [], "capacity": 30, "public": true,
                "start": "2027-05-15T10:00:00+02:00", "end": "2027-05-15T12:00:00+02:00"}}),
        )
        .await;
    let event = event.data()["createEvent"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let register = "mutation($i: RegisterInput!) { register(input: $i) { id } }";
    for (bearer, name) in [(None, "Anonyme"), (Some(key.as_str()), "Par la clé")] {
        let made = app
            .post_graphql(
                bearer,
                register,
                json!({"i": {"eventId": event, "name": name, "email": format!("{}@exemple.fr", name.len())}}),
            )
            .await;
        let id = made.data()["register"]["id"].as_str().unwrap().to_string();
        let page = log(&app, &admin, json!({"f": {"objectId": id}})).await;
        let entry = &nodes(&page)[0];
        assert_eq!(entry["operation"], "register");
        assert_eq!(entry["objectType"], "Registration");
        let expected = match bearer {
            None => "anonymous:127.0.0.1",
            Some(_) => "apikey:Site web",
        };
        assert_eq!(entry["actor"], expected);
    }
}

#[tokio::test]
async fn a_rolled_back_mutation_leaves_no_entry() {
    let app = spawn_app().await;
    let manager = app.token_for(Role::Manager).await;
    let room = app
        .create_space(&manager, "Salle", json!({"rates": []}))
        .await;
    let booking = json!({"spaceId": room, "start": "2027-03-02T09:00:00Z", "end": "2027-03-02T10:00:00Z", "title": "Réunion"});
    app.book(&manager, booking.clone()).await.data();
    // A series whose second occurrence collides: all or nothing, and no entry.
    let series = app
        .gql_as(
            &manager,
            "mutation($i: CreateBookingInput!) { createBookingSeries(input: $i, recurrence: {frequency: WEEKLY, count: 3}) { id } }",
            json!({"i": {"spaceId": room, "start": "2027-02-23T09:00:00Z", "end": "2027-02-23T10:00:00Z", "title": "Série"}}),
        )
        .await;
    assert_eq!(series.error_code(), "BOOKING_CONFLICT");
    let page = log(
        &app,
        &manager,
        json!({"f": {"operation": "createBookingSeries"}}),
    )
    .await;
    assert_eq!(page["totalCount"], 0);
    let bookings = log(&app, &manager, json!({"f": {"operation": "createBooking"}})).await;
    assert_eq!(bookings["totalCount"], 1);
    assert_eq!(nodes(&bookings)[0]["objectType"], "Booking");
}

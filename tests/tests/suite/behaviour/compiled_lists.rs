//! The compiled lists (`graphql::plan`): the bookings and events lists answer with their
//! plans exactly what the executor answers, field for field and in the same order, and hand
//! to the executor whatever a plan does not know (a guarded field is still refused).
//!
//! Each query runs twice: as written (the plan applies) and with its rows' `id` selected a
//! second time. The executor merges a repeated key into one, so the answer must not change,
//! but a plan refuses a repeated key, so the second run takes the executor's path. The app's
//! list counters prove which path each run took.

use lieu_api::domain::Role;
use lieu_tests::serde_json::{Value, json};
use lieu_tests::{TestApp, fixtures, spawn_schema};

use super::event_fixtures;

const WINDOW: &str = r#"{from: "2027-01-11T00:00:00Z", to: "2027-01-18T00:00:00Z"}"#;

/// A week with every kind of booking: for a person, for an organization, for the venue
/// itself, cancelled with a reason, a series, a free loan, with notes and attendees.
async fn fill(app: &TestApp, token: &str) {
    let hall = app
        .create_space(
            token,
            "Grande salle",
            json!({"rates": [{"tier": "PUBLIC", "hourly": "30"}], "description": "Au rez-de-chaussée"}),
        )
        .await;
    let room = app
        .create_space(token, "Atelier", json!({"capacity": 8}))
        .await;
    let person = fixtures::person(&app.db, "Hélène", "Dupré")
        .await
        .to_string();
    let org = fixtures::organization(&app.db, "Les Amis du Jardin", true)
        .await
        .to_string();
    let at = |day: u32, h: u32| format!("2027-01-{day}T{h:02}:00:00Z");
    let inputs = [
        json!({"spaceId": hall, "start": at(11, 9), "end": at(11, 10), "title": "Réunion", "personId": person, "attendees": 6, "notes": "Clés à l'accueil"}),
        json!({"spaceId": hall, "start": at(11, 11), "end": at(11, 12), "title": "Assemblée", "organizationId": org}),
        json!({"spaceId": room, "start": at(12, 9), "end": at(12, 17), "title": "Inventaire"}),
        json!({"spaceId": hall, "start": at(13, 14), "end": at(13, 16), "title": "Prêt", "organizationId": org, "freeLoan": true}),
        json!({"spaceId": room, "start": at(14, 18), "end": at(14, 19), "title": "Annulée", "personId": person}),
    ];
    let mut ids = Vec::new();
    for input in inputs {
        let booked = app.book(token, input).await;
        ids.push(
            booked.data()["createBooking"]["id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    let cancel = "mutation($id: ID!) { cancelBooking(id: $id, reason: \"Grève\") { id } }";
    app.gql_as(token, cancel, json!({"id": ids[4]}))
        .await
        .data();
    let series = "mutation($i: CreateBookingInput!, $r: RecurrenceInput!) { createBookingSeries(input: $i, recurrence: $r) { id } }";
    let input = json!({"spaceId": room, "start": at(11, 18), "end": at(11, 20), "title": "Chorale", "personId": person});
    let recurrence = json!({"frequency": "DAILY", "count": 3});
    app.gql_as(token, series, json!({"i": input, "r": recurrence}))
        .await
        .data();

    let concert = event_fixtures::event(
        "Concert",
        "2027-01-15T19:00:00Z",
        "2027-01-15T22:00:00Z",
        &[&hall, &room],
        json!({"public": true, "capacity": 3, "price": "12", "memberPrice": "8", "description": "Trio"}),
    );
    let concert = event_fixtures::create(app, token, concert).await;
    for name in ["Ana Lopes", "Bruno Roux", "Chloé Petit"] {
        event_fixtures::register(
            app,
            None,
            &concert,
            name,
            if name == "Ana Lopes" { 2 } else { 1 },
        )
        .await;
    }
    let free = event_fixtures::event(
        "Repair café",
        "2027-01-16T09:00:00Z",
        "2027-01-16T12:00:00Z",
        &[&room],
        json!({"public": true}),
    );
    event_fixtures::create(app, token, free).await;
    let private = event_fixtures::event(
        "Conseil d'administration",
        "2027-01-17T09:00:00Z",
        "2027-01-17T10:00:00Z",
        &[&room],
        json!({}),
    );
    event_fixtures::create(app, token, private).await;
}

/// The response of `query` with `plan` and without, checked to be the same and to have taken
/// the path it should; `repeat` is where the second run selects `id` again.
async fn both_paths(app: &TestApp, token: Option<&str>, query: &str, repeat: &str) -> Value {
    let compiled = app.lists.get();
    let planned = app.post_graphql(token, query, json!({})).await;
    let after = app.lists.get();
    assert_eq!(
        (after.0 - compiled.0, after.1 - compiled.1),
        (1, 0),
        "the plan must show the list of {query}"
    );
    let forced = query.replacen(repeat, &format!("{repeat} id"), 1);
    assert_ne!(forced, query, "{repeat} is not in {query}");
    let executed = app.post_graphql(token, &forced, json!({})).await;
    let last = app.lists.get();
    assert_eq!(
        (last.0 - after.0, last.1 - after.1),
        (0, 1),
        "the executor must show {forced}"
    );
    let (planned, executed) = (planned.data().clone(), executed.data().clone());
    // Serialized, so that the order of the keys is compared too.
    assert_eq!(planned.to_string(), executed.to_string(), "{query}");
    planned
}

#[tokio::test]
async fn the_bookings_list_answers_as_the_executor_does() {
    let app = spawn_schema().await;
    let manager = app.token_for(Role::Manager).await;
    fill(&app, &manager).await;
    let grid = format!(
        "{{ bookings(filter: {WINDOW}, first: 200) {{ edges {{ cursor node {{ id start end title status \
         space {{ name capacity }} booker {{ ... on Person {{ firstName lastName }} }} }} }} pageInfo {{ hasNextPage endCursor }} }} }}"
    );
    let data = both_paths(&app, Some(&manager), &grid, "node { id").await;
    let edges = data["bookings"]["edges"].as_array().unwrap();
    assert_eq!(
        edges.len(),
        12,
        "five bookings, a series of three, and the blocks of three events (one in two spaces)"
    );
    let meeting = &edges[0]["node"];
    assert_eq!(
        meeting["start"], "2027-01-11T10:00:00+01:00",
        "in the site's offset"
    );
    assert_eq!(meeting["booker"]["lastName"], "Dupré");
    assert_eq!(
        edges[1]["node"]["booker"],
        Value::Null,
        "an organization with only a Person fragment is null, as the executor says"
    );

    let everything = format!(
        "fragment B on Booking {{ ref: id title status price freeLoanValue paid seriesId attendees notes createdAt cancelledAt cancelReason }} \
         fragment P on Person {{ id firstName lastName email phone postalCode birthYear consentToContact consentGivenAt notes erased createdAt }} \
         {{ bookings(filter: {WINDOW}) {{ nodes {{ __typename id ...B when: start end \
         space {{ __typename id name capacity accessible description requiresApproval bufferMinutes }} \
         booker {{ __typename ...P ... on Organization {{ id name kind resident email phone }} ... on Booker {{ t: __typename }} }} }} }} }}"
    );
    let data = both_paths(&app, Some(&manager), &everything, "nodes { __typename id").await;
    let nodes = data["bookings"]["nodes"].as_array().unwrap();
    let loan = nodes.iter().find(|n| n["title"] == "Prêt").unwrap();
    assert_eq!(loan["booker"]["__typename"], "Organization");
    assert_eq!(loan["booker"]["t"], "Organization");
    assert_eq!(loan["freeLoanValue"], "60.00");
    let own = nodes.iter().find(|n| n["title"] == "Inventaire").unwrap();
    assert_eq!(
        own["booker"],
        Value::Null,
        "the venue's own use has no booker"
    );
    let cancelled = nodes.iter().find(|n| n["title"] == "Annulée").unwrap();
    assert_eq!(cancelled["cancelReason"], "Grève");
    assert_eq!(nodes.iter().filter(|n| !n["seriesId"].is_null()).count(), 3);

    // What a plan does not know goes to the executor, and still works.
    let before = app.lists.get();
    let rates = format!(
        "{{ bookings(filter: {WINDOW}) {{ nodes {{ id space {{ rates {{ tier hourly }} }} }} }} }}"
    );
    let response = app.gql_as(&manager, &rates, json!({})).await;
    assert_eq!(
        response.data()["bookings"]["nodes"][0]["space"]["rates"][0]["tier"],
        "PUBLIC"
    );
    assert_eq!(app.lists.get().1, before.1 + 1);
}

#[tokio::test]
async fn the_events_list_answers_as_the_executor_does() {
    let app = spawn_schema().await;
    let manager = app.token_for(Role::Manager).await;
    fill(&app, &manager).await;
    let filter = r#"{from: "2027-01-01T00:00:00Z", publicOnly: true}"#;
    let agenda = format!(
        "{{ events(filter: {filter}, first: 50) {{ edges {{ node {{ id title start end remainingSeats spaces {{ name }} }} }} }} }}"
    );
    let data = both_paths(&app, None, &agenda, "node { id").await;
    let edges = data["events"]["edges"].as_array().unwrap();
    assert_eq!(edges.len(), 2, "the public sees the public events only");
    assert_eq!(
        edges[0]["node"]["remainingSeats"], 0,
        "four seats asked of three: full"
    );
    assert_eq!(edges[0]["node"]["spaces"].as_array().unwrap().len(), 2);
    assert_eq!(
        edges[1]["node"]["remainingSeats"],
        Value::Null,
        "no capacity"
    );

    let staff = "{ events(filter: {from: \"2027-01-01T00:00:00Z\"}) { nodes { id title description category \
                 start end createdAt cancelledAt capacity public price memberPrice minPrice status cancelReason \
                 seriesId confirmedCount waitlistCount checkedInCount remainingSeats spaces { id name capacity } } } }";
    let data = both_paths(&app, Some(&manager), staff, "nodes { id").await;
    let nodes = data["events"]["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 3, "staff see the private event too");
    assert_eq!(nodes[0]["confirmedCount"], 3);
    assert_eq!(nodes[0]["waitlistCount"], 1);

    // A guarded field goes to the executor, which refuses it to the public.
    let leak =
        format!("{{ events(filter: {filter}) {{ nodes {{ id registrations {{ id }} }} }} }}");
    let response = app.gql(&leak, json!({})).await;
    assert_eq!(response.error_code(), "UNAUTHENTICATED");
}

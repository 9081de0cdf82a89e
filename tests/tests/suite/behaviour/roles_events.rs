//! The events and registrations rows of the roles table (see `roles`).

use lieu_api::domain::Role;
use lieu_tests::TestApp;
use lieu_tests::serde_json::{Value, json};

/// Fresh records for one caller's run of the event operations, created by an ADMIN.
pub struct EventFixtures {
    event: String,
    to_cancel: String,
    series: String,
    registrations: [String; 4],
    code: String,
}

const CREATE: &str = "mutation($i: CreateEventInput!) { createEvent(input: $i) { id } }";
const REGISTER: &str = "mutation($i: RegisterInput!) { register(input: $i) { id code } }";

fn event_input(title: &str, day: usize) -> Value {
    json!({"title": title, "category": "WORKSHOP", "start": format!("2027-04-{day:02}T16:00:00+02:00"),
        "end": format!("2027-04-{day:02}T18:00:00+02:00"), "spaceIds": [], "capacity": 30, "public": true, "price": "5"})
}

impl EventFixtures {
    /// Placeholders, to read the operations' documents.
    pub fn empty() -> Self {
        Self {
            event: String::new(),
            to_cancel: String::new(),
            series: String::new(),
            registrations: Default::default(),
            code: String::new(),
        }
    }
}

pub async fn event_fixtures(app: &TestApp, admin: &str, n: usize) -> EventFixtures {
    let create = |title: &str, day: usize| {
        let input = event_input(title, day);
        async move {
            app.gql_as(admin, CREATE, json!({"i": input})).await.data()["createEvent"]["id"]
                .as_str()
                .unwrap()
                .to_string()
        }
    };
    let event = create("Atelier", 1 + n).await;
    let to_cancel = create("À annuler", 10 + n).await;
    let series = app
        .gql_as(
            admin,
            "mutation($i: CreateEventInput!) { createEventSeries(input: $i, recurrence: {frequency: WEEKLY, count: 2}) { seriesId } }",
            json!({"i": event_input("Permanence", 20 + n)}),
        )
        .await;
    let mut registrations = Vec::new();
    let mut code = String::new();
    for k in 0..4 {
        let r = app
            .gql_as(
                admin,
                REGISTER,
                json!({"i": {"eventId": event, "name": format!("Inscrit {k}"), "email": format!("r{n}{k}@x.org")}}),
            )
            .await;
        let r = &r.data()["register"];
        registrations.push(r["id"].as_str().unwrap().to_string());
        code = r["code"].as_str().unwrap().to_string();
    }
    EventFixtures {
        event,
        to_cancel,
        series: series.data()["createEventSeries"][0]["seriesId"]
            .as_str()
            .unwrap()
            .to_string(),
        registrations: registrations.try_into().unwrap(),
        code,
    }
}

/// The event and registration operations, on `f`'s records.
pub fn event_operations(f: &EventFixtures, n: usize) -> Vec<(&'static str, Value, Option<Role>)> {
    let v = Some(Role::Volunteer);
    let m = Some(Role::Manager);
    let [check, undo, cancel, pay] = f.registrations.clone();
    vec![
        // The public agenda and registration are for anyone.
        (
            "{ events { totalCount edges { node { id remainingSeats } } } }",
            json!({}),
            None,
        ),
        (
            "query($id: ID!) { event(id: $id) { id } }",
            json!({"id": f.event}),
            None,
        ),
        (
            REGISTER,
            json!({"i": {"eventId": f.event, "name": "Public", "email": format!("public-{n}-{}@x.org", uuid::Uuid::new_v4().simple())}}),
            None,
        ),
        // The front desk reads registrations, checks in, takes walk-ins and payments.
        (
            "query($id: ID!) { registrations(eventId: $id) { id } }",
            json!({"id": f.event}),
            v,
        ),
        (
            "mutation($i: RegisterInput!) { walkIn(input: $i) { id } }",
            json!({"i": {"eventId": f.event, "name": "Walk-in"}}),
            v,
        ),
        (
            "mutation($id: ID!) { checkIn(registrationId: $id) { id } }",
            json!({"id": check}),
            v,
        ),
        (
            "mutation($e: ID!, $c: String!) { checkInByCode(eventId: $e, code: $c) { id } }",
            json!({"e": f.event, "c": f.code}),
            v,
        ),
        (
            "mutation($id: ID!) { checkIn(registrationId: $id) { id } }",
            json!({"id": undo}),
            v,
        ),
        (
            "mutation($id: ID!) { undoCheckIn(registrationId: $id) { id } }",
            json!({"id": undo}),
            v,
        ),
        (
            "mutation($id: ID!) { markRegistrationPaid(id: $id) { id } }",
            json!({"id": pay}),
            v,
        ),
        (
            "mutation($id: ID!) { cancelRegistration(id: $id) { id } }",
            json!({"id": cancel}),
            v,
        ),
        // Events are a manager's.
        (
            "mutation($i: CreateEventInput!) { createEvent(input: $i) { id } }",
            json!({"i": event_input("Nouveau", 15 + n)}),
            m,
        ),
        (
            "mutation($i: CreateEventInput!) { createEventSeries(input: $i, recurrence: {frequency: DAILY, count: 2}) { id } }",
            json!({"i": event_input("Stage", 25 + n)}),
            m,
        ),
        (
            "mutation($id: ID!) { updateEvent(id: $id, input: {capacity: 40}) { id } }",
            json!({"id": f.event}),
            m,
        ),
        (
            "mutation($s: ID!) { cancelEventSeries(seriesId: $s) { id } }",
            json!({"s": f.series}),
            m,
        ),
        (
            "mutation($id: ID!) { cancelEvent(id: $id, reason: \"pluie\") { id } }",
            json!({"id": f.to_cancel}),
            m,
        ),
    ]
}

//! What the events tests share: documents and small helpers.

use lieu_tests::serde_json::{Value, json};
use lieu_tests::{GqlResponse, TestApp};

pub const CREATE: &str = "mutation($i: CreateEventInput!) { createEvent(input: $i) { id status start end capacity remainingSeats spaces { id name } parent { id } } }";
pub const REGISTER: &str = "mutation($i: RegisterInput!) { register(input: $i) { id status seats waitlistPosition code checkedInAt paid } }";
pub const EVENT: &str = "query($id: ID!) { event(id: $id) { id status confirmedCount waitlistCount checkedInCount remainingSeats registrations { id name status seats waitlistPosition } } }";

/// An event input: `title` from `start` to `end` (RFC 3339) in `spaces`, merged with `extra`.
pub fn event(title: &str, start: &str, end: &str, spaces: &[&str], extra: Value) -> Value {
    let mut input = json!({"title": title, "category": "WORKSHOP", "start": start, "end": end, "spaceIds": spaces});
    if let (Some(input), Some(extra)) = (input.as_object_mut(), extra.as_object()) {
        for (k, v) in extra {
            input.insert(k.clone(), v.clone());
        }
    }
    input
}

/// Creates an event as `token` and returns its id.
pub async fn create(app: &TestApp, token: &str, input: Value) -> String {
    let response = app.gql_as(token, CREATE, json!({"i": input})).await;
    response.data()["createEvent"]["id"]
        .as_str()
        .expect("event id")
        .to_string()
}

/// Registers `name` with `seats` as `token` (None: anonymous).
pub async fn register(
    app: &TestApp,
    token: Option<&str>,
    event: &str,
    name: &str,
    seats: i32,
) -> GqlResponse {
    let email = format!("{}@exemple.fr", name.to_lowercase().replace(' ', "."));
    app.post_graphql(
        token,
        REGISTER,
        json!({"i": {"eventId": event, "name": name, "email": email, "seats": seats}}),
    )
    .await
}

/// The id of a registration response.
pub fn id_of(response: &GqlResponse) -> String {
    response.data()["register"]["id"]
        .as_str()
        .expect("registration id")
        .to_string()
}

/// The event as the front desk reads it.
pub async fn read(app: &TestApp, token: &str, id: &str) -> Value {
    app.gql_as(token, EVENT, json!({"id": id})).await.data()["event"].clone()
}

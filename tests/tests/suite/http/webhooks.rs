//! Webhooks over HTTP, with a receiver on loopback started by the test: a real delivery (from
//! `createBooking`) carries a signature the receiver verifies with the secret, and the
//! documented headers; a 500 is retried and then delivered; a delivery still pending when the
//! server stops is delivered by the next start on the same database; repeated failures
//! disable the webhook with the reason; a test delivery arrives; bad URLs and empty kinds are
//! VALIDATION, and a refused change queues nothing.

use std::sync::atomic::{AtomicU16, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode};
use hmac::{Hmac, KeyInit, Mac};
use lieu_api::domain::Role;
use lieu_tests::serde_json::{Value, json};
use lieu_tests::{TestApp, spawn_app_with, spawn_server_on_with};
use sea_orm::ConnectionTrait;
use sha2::Sha256;

const CREATE: &str = "mutation($u: String!, $k: [ActivityKind!]!) { createWebhook(url: $u, kinds: $k) { secret webhook { id url kinds active lastError } } }";
const HOOKS: &str = "{ webhooks { id active lastError deliveries { id kind attempts status delivered createdAt } } }";
const TEST_DELIVERY: &str =
    "mutation($id: ID!) { sendTestDelivery(webhookId: $id) { id kind attempts status delivered } }";

/// What the receiver got: one entry per request, with the status it answered.
#[derive(Clone, Debug)]
struct Received {
    headers: HeaderMap,
    body: String,
    answered: u16,
}

/// A webhook receiver on 127.0.0.1: answers 500 to its first `failures` requests, then
/// `status` (changeable while it runs).
struct Receiver {
    url: String,
    received: Arc<Mutex<Vec<Received>>>,
    status: Arc<AtomicU16>,
    _server: tokio::task::JoinHandle<()>,
}

#[derive(Clone)]
struct ReceiverState {
    received: Arc<Mutex<Vec<Received>>>,
    failures: Arc<AtomicUsize>,
    status: Arc<AtomicU16>,
}

async fn receive(
    axum::extract::State(state): axum::extract::State<ReceiverState>,
    headers: HeaderMap,
    body: String,
) -> StatusCode {
    let failing = state
        .failures
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok();
    let answered = if failing {
        500
    } else {
        state.status.load(Ordering::SeqCst)
    };
    state.received.lock().unwrap().push(Received {
        headers,
        body,
        answered,
    });
    StatusCode::from_u16(answered).unwrap()
}

impl Receiver {
    async fn start(failures: usize, status: u16) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let state = ReceiverState {
            received: Arc::default(),
            failures: Arc::new(AtomicUsize::new(failures)),
            status: Arc::new(AtomicU16::new(status)),
        };
        let (received, status) = (state.received.clone(), state.status.clone());
        let router = axum::Router::new()
            .route("/hook", axum::routing::post(receive))
            .with_state(state);
        let server = tokio::spawn(async move {
            axum::serve(listener, router).await.unwrap();
        });
        Self {
            url,
            received,
            status,
            _server: server,
        }
    }

    fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// Waits until `done` holds of what was received, or fails after 15 s.
    async fn wait_for(&self, what: &str, done: impl Fn(&[Received]) -> bool) -> Vec<Received> {
        for _ in 0..300 {
            let received = self.received();
            if done(&received) {
                return received;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the receiver never got {what}: {:?}", self.received());
    }
}

fn header<'a>(received: &'a Received, name: &str) -> &'a str {
    received
        .headers
        .get(name)
        .unwrap_or_else(|| panic!("no {name} header"))
        .to_str()
        .unwrap()
}

/// The check a receiver makes (docs/webhooks.md): the HMAC of `<timestamp>.<body>` with the
/// secret, and a timestamp less than 5 minutes old.
fn verify(secret: &str, received: &Received) {
    assert!(signature_holds(secret, received), "a bad signature");
}

fn signature_holds(secret: &str, received: &Received) -> bool {
    let timestamp = header(received, "Lieu-Timestamp");
    let age = chrono::Utc::now().timestamp() - timestamp.parse::<i64>().unwrap();
    assert!((0..300).contains(&age), "a timestamp {age} s old");
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{timestamp}.{}", received.body).as_bytes());
    let expected: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    header(received, "Lieu-Signature") == format!("v1={expected}")
}

async fn fast_app() -> TestApp {
    spawn_app_with(|config| config.webhook_retry_base = Duration::from_millis(100)).await
}

/// A webhook of `kinds` to the receiver; returns (id, secret).
async fn subscribe(app: &TestApp, admin: &str, url: &str, kinds: Value) -> (String, String) {
    let created = app
        .gql_as(admin, CREATE, json!({"u": url, "k": kinds}))
        .await;
    let created = &created.data()["createWebhook"];
    assert_eq!(created["webhook"]["active"], true);
    (
        created["webhook"]["id"].as_str().unwrap().to_string(),
        created["secret"].as_str().unwrap().to_string(),
    )
}

async fn a_booking(app: &TestApp, admin: &str) -> String {
    let space = app.create_space(admin, "Salle Jaurès", json!({})).await;
    let booked = app
        .book(
            admin,
            json!({"spaceId": space, "start": "2027-02-01T09:00:00Z", "end": "2027-02-01T10:00:00Z", "title": "AG"}),
        )
        .await;
    booked.data()["createBooking"]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The webhooks as `webhooks` lists them, from the server at `base_url`.
async fn hooks_on(app: &TestApp, base_url: &str, admin: &str) -> Value {
    let listed = app.post_to(base_url, Some(admin), HOOKS, json!({})).await;
    listed.data()["webhooks"].clone()
}

#[tokio::test]
async fn a_booking_is_delivered_signed_and_a_test_delivery_too() {
    let app = fast_app().await;
    let admin = app.token_for(Role::Admin).await;
    let receiver = Receiver::start(0, 200).await;
    let (hook, secret) = subscribe(
        &app,
        &admin,
        &receiver.url,
        json!(["BOOKING_CREATED", "CHECKED_IN"]),
    )
    .await;
    assert!(secret.starts_with("lieu_whsec_"), "{secret}");

    let booking = a_booking(&app, &admin).await;
    let got = receiver.wait_for("the booking", |r| !r.is_empty()).await;
    let delivery = &got[0];
    verify(&secret, delivery);
    assert_eq!(header(delivery, "Content-Type"), "application/json");
    let body: Value = lieu_tests::serde_json::from_str(&delivery.body).unwrap();
    assert_eq!(body["kind"], "BOOKING_CREATED");
    assert_eq!(body["bookingId"], booking.as_str());
    assert!(body["summary"].as_str().unwrap().contains("AG"), "{body}");
    assert!(body["at"].as_str().is_some());

    // A tampered body or another secret does not verify.
    let mut forged = delivery.clone();
    forged.body = forged.body.replace("AG", "XX");
    assert!(!signature_holds(&secret, &forged));
    assert!(!signature_holds("lieu_whsec_other", delivery));

    // The delivery is recorded with its outcome, under the id the receiver saw.
    let mut recorded = Value::Null;
    for _ in 0..100 {
        recorded = hooks_on(&app, &app.base_url, &admin).await[0]["deliveries"][0].clone();
        if recorded["delivered"] == true {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(recorded["id"], header(delivery, "Lieu-Delivery"));
    assert_eq!(recorded["kind"], "BOOKING_CREATED");
    assert_eq!(recorded["attempts"], 1);
    assert_eq!(recorded["status"], 200);

    // A refused booking (the same slot) queues nothing: a delivery exists only for a commit.
    let space = app.create_space(&admin, "Atelier", json!({})).await;
    let slot = json!({"spaceId": space, "start": "2027-03-01T09:00:00Z", "end": "2027-03-01T10:00:00Z", "title": "Un"});
    app.book(&admin, slot.clone()).await.data();
    assert_eq!(
        app.book(&admin, slot).await.error_code(),
        "BOOKING_CONFLICT"
    );
    receiver
        .wait_for("the second booking", |r| r.len() >= 2)
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(app.count_rows("webhook_deliveries").await, 2);
    assert_eq!(receiver.received().len(), 2);

    // A test delivery: queued at once, then sent and signed like the others.
    let test = app.gql_as(&admin, TEST_DELIVERY, json!({"id": hook})).await;
    let test = &test.data()["sendTestDelivery"];
    assert_eq!(test["kind"], "BOOKING_CREATED");
    assert_eq!(test["attempts"], 0);
    assert_eq!(test["delivered"], false);
    let got = receiver
        .wait_for("the test delivery", |r| r.len() >= 3)
        .await;
    verify(&secret, &got[2]);
    assert_eq!(
        header(&got[2], "Lieu-Delivery"),
        test["id"].as_str().unwrap()
    );
    let body: Value = lieu_tests::serde_json::from_str(&got[2].body).unwrap();
    assert!(body["summary"].as_str().unwrap().contains("test"), "{body}");
    assert_eq!(body["bookingId"], Value::Null);

    // Deleted: its deliveries go with it, and nothing more is sent.
    let deleted = app
        .gql_as(
            &admin,
            "mutation($id: ID!) { deleteWebhook(id: $id) }",
            json!({"id": hook}),
        )
        .await;
    assert_eq!(deleted.data()["deleteWebhook"], true);
    assert_eq!(app.count_rows("webhook_deliveries").await, 0);
    a_booking(&app, &admin).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(receiver.received().len(), 3);
}

#[tokio::test]
async fn a_500_is_retried_then_delivered() {
    let app = fast_app().await;
    let admin = app.token_for(Role::Admin).await;
    let receiver = Receiver::start(1, 200).await;
    let (_, secret) = subscribe(&app, &admin, &receiver.url, json!(["BOOKING_CREATED"])).await;
    a_booking(&app, &admin).await;
    let got = receiver.wait_for("a retry", |r| r.len() >= 2).await;
    assert_eq!((got[0].answered, got[1].answered), (500, 200));
    // The same delivery, signed afresh.
    assert_eq!(
        header(&got[0], "Lieu-Delivery"),
        header(&got[1], "Lieu-Delivery")
    );
    verify(&secret, &got[1]);
    let mut delivery = Value::Null;
    for _ in 0..100 {
        let hooks = hooks_on(&app, &app.base_url, &admin).await;
        delivery = hooks[0]["deliveries"][0].clone();
        if delivery["delivered"] == true {
            assert_eq!(hooks[0]["lastError"], Value::Null);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(delivery["attempts"], 2);
    assert_eq!(delivery["status"], 200);
    assert_eq!(delivery["delivered"], true);
}

#[tokio::test]
async fn a_delivery_pending_when_the_server_stops_is_sent_after_a_restart() {
    let mut app = fast_app().await;
    let admin = app.token_for(Role::Admin).await;
    // The receiver is down (503) while the first server runs.
    let receiver = Receiver::start(0, 503).await;
    subscribe(&app, &admin, &receiver.url, json!(["BOOKING_CREATED"])).await;
    a_booking(&app, &admin).await;
    receiver
        .wait_for("a first attempt", |r| !r.is_empty())
        .await;
    app.stop_server().await;
    assert!(receiver.received().iter().all(|r| r.answered == 503));

    // The receiver is back; a new server on the same database sends what was left.
    receiver.status.store(200, Ordering::SeqCst);
    let restarted = spawn_server_on_with(&app.database.url, |config| {
        config.webhook_retry_base = Duration::from_millis(100);
    })
    .await;
    let got = receiver
        .wait_for("the delivery after the restart", |r| {
            r.iter().any(|r| r.answered == 200)
        })
        .await;
    let sent: Vec<&Received> = got.iter().filter(|r| r.answered == 200).collect();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        header(sent[0], "Lieu-Delivery"),
        header(&got[0], "Lieu-Delivery")
    );
    let mut delivery = Value::Null;
    for _ in 0..100 {
        delivery = hooks_on(&app, &restarted.base_url, &admin).await[0]["deliveries"][0].clone();
        if delivery["delivered"] == true {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(delivery["delivered"], true);
    assert_eq!(delivery["attempts"], i64::try_from(got.len()).unwrap());
}

#[tokio::test]
async fn repeated_failures_disable_the_webhook_with_the_reason() {
    let app = spawn_app_with(|config| config.webhook_retry_base = Duration::from_millis(20)).await;
    let admin = app.token_for(Role::Admin).await;
    let receiver = Receiver::start(0, 500).await;
    let (hook, _) = subscribe(&app, &admin, &receiver.url, json!(["BOOKING_CREATED"])).await;
    // Two deliveries failing side by side: the one recorded after the webhook was disabled
    // must not replace the reason.
    for _ in 0..2 {
        app.gql_as(&admin, TEST_DELIVERY, json!({"id": hook}))
            .await
            .data();
    }
    let mut listed = Value::Null;
    for _ in 0..300 {
        listed = hooks_on(&app, &app.base_url, &admin).await[0].clone();
        if listed["active"] == false {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(listed["active"], false, "{listed}");
    let reason = listed["lastError"].as_str().unwrap();
    assert!(
        reason.contains("5 failed deliveries") && reason.contains("500"),
        "{reason}"
    );
    let deliveries = listed["deliveries"].as_array().unwrap();
    let attempts: i64 = deliveries
        .iter()
        .map(|d| d["attempts"].as_i64().unwrap())
        .sum();
    // The fifth failure disables it; one more may have been on its way at that moment.
    assert!((5..=6).contains(&attempts), "{listed}");
    assert!(deliveries.iter().all(|d| d["delivered"] == false));
    let sent = receiver.received().len();
    assert_eq!(i64::try_from(sent).unwrap(), attempts);

    // Disabled: a new activity queues nothing, and a test delivery is refused.
    a_booking(&app, &admin).await;
    assert_eq!(app.count_rows("webhook_deliveries").await, 2);
    let refused = app.gql_as(&admin, TEST_DELIVERY, json!({"id": hook})).await;
    assert_eq!(refused.error_code(), "INVALID_STATE");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(receiver.received().len(), sent);
    let listed = hooks_on(&app, &app.base_url, &admin).await[0].clone();
    assert!(
        listed["lastError"]
            .as_str()
            .unwrap()
            .contains("5 failed deliveries"),
        "{listed}"
    );
}

#[tokio::test]
async fn bad_urls_and_empty_kinds_are_refused_and_write_nothing() {
    let app = fast_app().await;
    let admin = app.token_for(Role::Admin).await;
    for (url, kinds, field) in [
        (
            "http://hooks.example.org/lieu",
            json!(["CHECKED_IN"]),
            "url",
        ),
        ("ftp://example.org/", json!(["CHECKED_IN"]), "url"),
        ("not a url", json!(["CHECKED_IN"]), "url"),
        ("https://hooks.example.org/lieu", json!([]), "kinds"),
    ] {
        let refused = app
            .gql_as(&admin, CREATE, json!({"u": url, "k": kinds}))
            .await;
        assert_eq!(refused.error_code(), "VALIDATION", "{url}");
        assert_eq!(refused.first_error()["extensions"]["field"], field, "{url}");
    }
    assert_eq!(app.count_rows("webhooks").await, 0);
    let unknown = app
        .gql_as(
            &admin,
            TEST_DELIVERY,
            json!({"id": uuid::Uuid::new_v4().to_string()}),
        )
        .await;
    assert_eq!(unknown.error_code(), "NOT_FOUND");
    // https anywhere is fine; the secret is never listed again.
    subscribe(
        &app,
        &admin,
        "https://hooks.example.org/lieu",
        json!(["CHECKED_IN"]),
    )
    .await;
    let sdl = lieu_api::graphql::sdl();
    let webhook_type = sdl
        .split("type Webhook {")
        .nth(1)
        .unwrap()
        .split('}')
        .next()
        .unwrap();
    assert!(!webhook_type.contains("secret"), "{webhook_type}");
}

#[tokio::test]
async fn two_servers_on_one_database_send_each_delivery_once() {
    let app = fast_app().await;
    let admin = app.token_for(Role::Admin).await;
    let _second = spawn_server_on_with(&app.database.url, |config| {
        config.webhook_retry_base = Duration::from_millis(100);
    })
    .await;
    let receiver = Receiver::start(0, 200).await;
    subscribe(&app, &admin, &receiver.url, json!(["BOOKING_CREATED"])).await;
    let space = app.create_space(&admin, "Cowork", json!({})).await;
    let series = app
        .gql_as(
            &admin,
            "mutation($i: CreateBookingInput!) { createBookingSeries(input: $i, recurrence: {frequency: DAILY, count: 40}) { id } }",
            json!({"i": {"spaceId": space, "start": "2027-04-01T09:00:00Z", "end": "2027-04-01T10:00:00Z", "title": "Permanence"}}),
        )
        .await;
    series.data();
    let got = receiver.wait_for("40 deliveries", |r| r.len() >= 40).await;
    // Both workers poll the queue; a second or two more for a double send to show.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let got = receiver.received().len().max(got.len());
    let mut ids: Vec<String> = receiver
        .received()
        .iter()
        .map(|r| header(r, "Lieu-Delivery").to_string())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!((got, ids.len()), (40, 40));
}

#[tokio::test]
async fn erasing_a_person_scrubs_their_name_from_webhook_payloads() {
    // Long retries: the delivery stays pending, as when a receiver is down.
    let app = spawn_app_with(|config| config.webhook_retry_base = Duration::from_secs(600)).await;
    let admin = app.token_for(Role::Admin).await;
    let receiver = Receiver::start(0, 503).await;
    subscribe(&app, &admin, &receiver.url, json!(["REGISTRATION_CREATED"])).await;
    let person = app
        .gql_as(
            &admin,
            "mutation { createPerson(input: {firstName: \"Aurélie\", lastName: \"Zwingelstein\", email: \"az@example.org\"}) { id } }",
            json!({}),
        )
        .await;
    let person = person.data()["createPerson"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let event = app
        .gql_as(
            &admin,
            "mutation($i: CreateEventInput!) { createEvent(input: $i) { id } }",
            json!({"i": {"title": "Repair café", "category": "REPAIR_CAFE", "spaceIds": [], "capacity": 10,
                "start": "2027-05-15T10:00:00Z", "end": "2027-05-15T12:00:00Z"}}),
        )
        .await;
    let event = event.data()["createEvent"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.gql_as(
        &admin,
        "mutation($i: RegisterInput!) { register(input: $i) { id } }",
        json!({"i": {"eventId": event, "personId": person}}),
    )
    .await
    .data();
    let got = receiver
        .wait_for("a first attempt", |r| !r.is_empty())
        .await;
    assert!(got[0].body.contains("Zwingelstein"), "{}", got[0].body);

    app.gql_as(
        &admin,
        "mutation($id: ID!) { erasePerson(id: $id) }",
        json!({"id": person}),
    )
    .await
    .data();
    let payloads = app
        .db
        .query_all_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            "SELECT payload FROM webhook_deliveries",
        ))
        .await
        .unwrap();
    assert_eq!(payloads.len(), 1);
    let payload: String = payloads[0].try_get("", "payload").unwrap();
    assert!(
        !payload.contains("Zwingelstein") && !payload.contains("Aurélie"),
        "{payload}"
    );
    assert!(payload.contains("(erased)"), "{payload}");
}

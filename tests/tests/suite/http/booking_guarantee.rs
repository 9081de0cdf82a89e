//! The guarantee: no two active bookings of one space (or of a space and its parent or parts)
//! overlap, buffers included, whatever the concurrency, on either database, across servers.

use lieu_api::domain::Role;
use lieu_tests::race::exactly_one_wins;
use lieu_tests::serde_json::{Value, json};
use lieu_tests::{GqlResponse, TestApp, spawn_app};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

fn slot(space: &str, start: &str, end: &str) -> Value {
    json!({ "spaceId": space, "start": start, "end": end, "title": "Concurrent" })
}

/// Fires `n` identical bookings at once, spread over `servers`.
async fn race(
    app: &TestApp,
    servers: &[String],
    token: &str,
    input: Value,
    n: usize,
) -> Vec<GqlResponse> {
    let requests = (0..n).map(|i| {
        app.post_to(
            &servers[i % servers.len()],
            Some(token),
            "mutation($i: CreateBookingInput!) { createBooking(input: $i) { id } }",
            json!({ "i": input }),
        )
    });
    futures::future::join_all(requests).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_attempts_on_one_slot_make_exactly_one_booking() {
    let app = spawn_app().await;
    let manager = app.token_for(Role::Manager).await;
    let room = app.create_space(&manager, "Salle", json!({})).await;
    let responses = race(
        &app,
        std::slice::from_ref(&app.base_url),
        &manager,
        slot(&room, "2027-01-12T09:00:00Z", "2027-01-12T10:00:00Z"),
        50,
    )
    .await;
    exactly_one_wins(&responses, "BOOKING_CONFLICT");
    assert_eq!(app.count_rows("bookings").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_servers_on_one_database_cannot_both_book_a_hall_and_its_half() {
    let app = spawn_app().await;
    let second = lieu_tests::spawn_server_on(&app.database.url).await;
    let manager = app.token_for(Role::Manager).await;
    let hall = app.create_space(&manager, "Grande salle", json!({})).await;
    let half = app
        .create_space(&manager, "Demi-salle", json!({"parentId": hall}))
        .await;
    let servers = [app.base_url.clone(), second.base_url.clone()];
    // Half of the attempts book the hall, half the half, across both servers.
    let (mut a, b) = tokio::join!(
        race(
            &app,
            &servers,
            &manager,
            slot(&hall, "2027-01-12T09:00:00Z", "2027-01-12T10:00:00Z"),
            20
        ),
        race(
            &app,
            &servers,
            &manager,
            slot(&half, "2027-01-12T09:30:00Z", "2027-01-12T10:30:00Z"),
            20
        ),
    );
    a.extend(b);
    exactly_one_wins(&a, "BOOKING_CONFLICT");
    assert_eq!(app.count_rows("bookings").await, 1);
}

/// One step of a random front-desk session.
#[derive(Clone, Debug)]
enum Op {
    /// Book space `space` (0 = hall, 1 and 2 = its halves, 3 = a room with a buffer) from
    /// half-hour `start` for `len` half-hours.
    Book { space: usize, start: u32, len: u32 },
    /// Cancel the `k`-th booking made so far (modulo their number).
    Cancel { k: usize },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..4usize, 0..16u32, 1..5u32).prop_map(|(space, start, len)| Op::Book { space, start, len }),
        1 => any::<usize>().prop_map(|k| Op::Cancel { k }),
    ]
}

/// Half-hours since 09:00 UTC on 12 January 2027, as RFC 3339.
fn at(half_hours: u32) -> String {
    let t = chrono::DateTime::parse_from_rfc3339("2027-01-12T09:00:00Z").unwrap()
        + chrono::Duration::minutes(30 * i64::from(half_hours));
    t.to_rfc3339()
}

/// Whether bookings of spaces `a` and `b` compete (same space, or a half and its hall).
fn related(a: usize, b: usize) -> bool {
    a == b || (a == 0 && b < 3) || (b == 0 && a < 3)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_create_and_cancel_sequences_never_overlap() {
    let app = spawn_app().await;
    let manager = app.token_for(Role::Manager).await;
    let handle = tokio::runtime::Handle::current();
    let mut runner = TestRunner::new(Config {
        cases: 16,
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&proptest::collection::vec(op(), 1..20), |ops| {
        tokio::task::block_in_place(|| {
            handle.block_on(async {
                // Fresh spaces for each case: a hall, its two halves, a room with a 30-minute buffer.
                let hall = app.create_space(&manager, "Hall", json!({})).await;
                let spaces = [
                    hall.clone(),
                    app.create_space(&manager, "A", json!({"parentId": hall})).await,
                    app.create_space(&manager, "B", json!({"parentId": hall})).await,
                    app.create_space(&manager, "Buffered", json!({"bufferMinutes": 30})).await,
                ];
                // The model: what is active, as (space, start, end) in half-hours, by booking id.
                let mut made: Vec<(String, usize, u32, u32, bool)> = Vec::new();
                for op in &ops {
                    match *op {
                        Op::Book { space, start, len } => {
                            let end = start + len;
                            // Space 3 has a 30-minute buffer: each of its bookings holds one
                            // more half-hour after its end, [start, end + 1).
                            let pad = |s: usize| u32::from(s == 3);
                            let expected_free = !made.iter().any(|(_, s, a, b, active)| {
                                *active
                                    && related(*s, space)
                                    && *a < end + pad(space)
                                    && start < *b + pad(*s)
                            });
                            let response = app.book(&manager, slot(&spaces[space], &at(start), &at(end))).await;
                            if expected_free {
                                let id = response.data()["createBooking"]["id"].as_str().unwrap().to_string();
                                made.push((id, space, start, end, true));
                            } else {
                                prop_assert_eq!(response.error_code(), "BOOKING_CONFLICT");
                            }
                        }
                        Op::Cancel { k } if !made.is_empty() => {
                            let index = k % made.len();
                            let response = app
                                .gql_as(
                                    &manager,
                                    "mutation($id: ID!) { cancelBooking(id: $id) { status } }",
                                    json!({ "id": made[index].0 }),
                                )
                                .await;
                            if made[index].4 {
                                prop_assert_eq!(&response.data()["cancelBooking"]["status"], "CANCELLED");
                                made[index].4 = false;
                            } else {
                                prop_assert_eq!(response.error_code(), "INVALID_STATE");
                            }
                        }
                        Op::Cancel { .. } => {}
                    }
                }
                // And the database agrees: no two active bookings of related spaces overlap.
                let listed = app
                    .gql_as(
                        &manager,
                        "query($s: ID!) { bookings(filter: {siteId: $s, status: CONFIRMED}, first: 500) { edges { node { id start end space { id } } } } }",
                        json!({ "s": site_of(&app).await }),
                    )
                    .await;
                let active: Vec<(usize, String, String)> = listed.data()["bookings"]["edges"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter_map(|e| {
                        let node = &e["node"];
                        let space = spaces.iter().position(|s| node["space"]["id"] == s.as_str())?;
                        Some((space, node["start"].as_str()?.to_string(), node["end"].as_str()?.to_string()))
                    })
                    .collect();
                prop_assert_eq!(active.len(), made.iter().filter(|m| m.4).count());
                for (i, (sa, a0, a1)) in active.iter().enumerate() {
                    for (sb, b0, b1) in &active[i + 1..] {
                        let (a0, a1, b0, b1) = (parse(a0), parse(a1), parse(b0), parse(b1));
                        prop_assert!(!(related(*sa, *sb) && a0 < b1 && b0 < a1), "overlap");
                    }
                }
                Ok(())
            })
        })
    });
    result.unwrap();
}

fn parse(t: &str) -> chrono::DateTime<chrono::Utc> {
    t.parse().unwrap()
}

async fn site_of(app: &TestApp) -> String {
    app.gql("{ sites { id } }", json!({})).await.data()["sites"][0]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The rule does not rest on the application alone: the database refuses an overlapping
/// block written behind the server's back (PostgreSQL's exclusion constraint, SQLite's
/// trigger).
#[tokio::test]
async fn the_database_itself_refuses_overlapping_blocks() {
    use lieu_entity::booking_block;
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let app = spawn_app().await;
    let manager = app.token_for(Role::Manager).await;
    let room = app.create_space(&manager, "Salle", json!({})).await;
    let first = app
        .book(
            &manager,
            slot(&room, "2027-01-12T09:00:00Z", "2027-01-12T10:00:00Z"),
        )
        .await;
    first.data();
    let second = app
        .book(
            &manager,
            slot(&room, "2027-01-12T10:00:00Z", "2027-01-12T11:00:00Z"),
        )
        .await;
    let second_id = second.data()["createBooking"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    // Stretch the second booking's block back over the first one, on a connection of our own.
    let conn = app.database.connect().await;
    let stretched: chrono::DateTime<chrono::Utc> = "2027-01-12T09:30:00Z".parse().unwrap();
    let refused = booking_block::Entity::update_many()
        .col_expr(booking_block::Column::StartsAt, Expr::value(stretched))
        .filter(booking_block::Column::BookingId.eq(uuid::Uuid::parse_str(&second_id).unwrap()))
        .exec(&conn)
        .await;
    let message = format!(
        "{:?}",
        refused.expect_err("the database refuses the overlap")
    );
    assert!(
        message.contains("booking_blocks_no_overlap"),
        "refused for another reason: {message}"
    );
}

/// Every active booking blocks exactly its space and the spaces below it, as the hierarchy
/// stands now (the invariant that hierarchy and buffer changes must keep).
async fn assert_blocks_follow_the_hierarchy(app: &TestApp) {
    use lieu_entity::{booking, booking_block, space};
    use sea_orm::EntityTrait;
    let spaces = space::Entity::find().all(&app.db).await.unwrap();
    let subtree = |root: uuid::Uuid| {
        let mut out = vec![root];
        let mut i = 0;
        while i < out.len() {
            let parent = out[i];
            out.extend(
                spaces
                    .iter()
                    .filter(|s| s.parent_id == Some(parent))
                    .map(|s| s.id),
            );
            i += 1;
        }
        out.sort();
        out
    };
    let blocks = booking_block::Entity::find().all(&app.db).await.unwrap();
    for b in booking::Entity::find().all(&app.db).await.unwrap() {
        let mut held: Vec<uuid::Uuid> = blocks
            .iter()
            .filter(|x| x.booking_id == b.id)
            .map(|x| x.space_id)
            .collect();
        held.sort();
        let expected = if b.status == "CANCELLED" {
            Vec::new()
        } else {
            subtree(b.space_id)
        };
        assert_eq!(held, expected, "booking {} ({})", b.title, b.status);
    }
}

/// Bookings of a hall race with changes of the hierarchy and of buffers on the same site: no
/// deadlock (INTERNAL), and afterwards every booking blocks what the hierarchy says.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn hierarchy_and_buffer_changes_race_with_bookings_safely() {
    let app = spawn_app().await;
    let manager = app.token_for(Role::Manager).await;
    // A hall with parts whose ids sort before and after the hall's (lock order matters).
    let hall = app.create_space(&manager, "Hall", json!({})).await;
    let mut parts = Vec::new();
    for i in 0..4 {
        parts.push(
            app.create_space(&manager, &format!("Part {i}"), json!({"parentId": hall}))
                .await,
        );
    }
    let loose = app.create_space(&manager, "Loose", json!({})).await;
    let room = app.create_space(&manager, "Room", json!({})).await;
    let update =
        "mutation($id: ID!, $i: UpdateSpaceInput!) { updateSpace(id: $id, input: $i) { id } }";

    let book = |k: usize| {
        let app = &app;
        let manager = &manager;
        let target = if k.is_multiple_of(3) {
            parts[k % 4].clone()
        } else {
            hall.clone()
        };
        async move {
            let start = format!("2027-02-{:02}T{:02}:00:00Z", 1 + k / 10, 8 + k % 10);
            let end = format!("2027-02-{:02}T{:02}:30:00Z", 1 + k / 10, 8 + k % 10);
            app.book(manager, slot(&target, &start, &end)).await
        }
    };
    let edit = |k: usize| {
        let app = &app;
        let manager = &manager;
        let (id, input) = match k % 4 {
            0 => (loose.clone(), json!({"parentId": hall})),
            1 => (loose.clone(), json!({"detachFromParent": true})),
            2 => (room.clone(), json!({"bufferMinutes": 5})),
            _ => (
                room.clone(),
                json!({"bufferMinutes": 0, "name": format!("Room {k}")}),
            ),
        };
        async move {
            app.gql_as(manager, update, json!({"id": id, "i": input}))
                .await
        }
    };
    let (booked, edited) = tokio::join!(
        futures::future::join_all((0..60).map(book)),
        futures::future::join_all((0..24).map(edit)),
    );
    // Each booking has a slot of its own and no edit makes two of them collide: every one of
    // them must succeed (a run where all failed would prove nothing), and so must every edit.
    for response in booked.iter().chain(edited.iter()) {
        assert!(response.body.get("errors").is_none(), "{}", response.body);
    }
    assert_eq!(booked.len(), 60);
    assert_blocks_follow_the_hierarchy(&app).await;
}

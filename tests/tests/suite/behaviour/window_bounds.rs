//! "What overlaps this window" reads an index range, not the whole history: window filters
//! bound `starts_at` below by the longest row (kept by triggers, migration 10). These tests
//! check both halves: that rows longer than the window are still found (the triggers keep the
//! bound on every insert and move, on both engines), and that the planner uses the `starts_at`
//! indexes with both bounds (`EXPLAIN` on PostgreSQL, `EXPLAIN QUERY PLAN` on SQLite).

use chrono::{DateTime, Utc};
use lieu_api::db::window_bounds::{Spanned, earliest_start};
use lieu_api::domain::{Role, Window};
use lieu_api::service::bookings::{BookingFilter, blocks, queries as booking_queries};
use lieu_api::service::events::{EventFilter, queries as event_queries};
use lieu_tests::serde_json::json;
use lieu_tests::{Backend, TestApp, backend, spawn_schema};
use sea_orm::{ConnectionTrait, DbBackend, QueryTrait, Statement, TransactionTrait};
use uuid::Uuid;

use super::event_fixtures;

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

async fn longest(app: &TestApp, table: Spanned) -> i64 {
    let from = at("2030-01-01T00:00:00Z");
    (from - earliest_start(&app.db, table, from).await.unwrap()).num_seconds()
}

const WINDOW: &str =
    "query($f: BookingFilter) { bookings(filter: $f, first: 50) { edges { node { title } } } }";

async fn titles_between(app: &TestApp, token: &str, from: &str, to: &str) -> Vec<String> {
    let response = app
        .gql_as(token, WINDOW, json!({"f": {"from": from, "to": to}}))
        .await;
    response.data()["bookings"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["title"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn rows_longer_than_the_window_are_found_in_its_middle() {
    let app = spawn_schema().await;
    let manager = app.token_for(Role::Manager).await;
    let desk = app
        .create_space(&manager, "Bureau 12", json!({"bufferMinutes": 30}))
        .await;
    assert_eq!(longest(&app, Spanned::Bookings).await, 0, "no booking yet");

    // An hour, then a month-long desk rental starting before the window.
    app.book(
        &manager,
        json!({"spaceId": desk, "title": "Une heure", "start": "2027-02-01T08:00:00Z", "end": "2027-02-01T09:00:00Z"}),
    )
    .await
    .data();
    assert_eq!(longest(&app, Spanned::Bookings).await, 3600);
    app.book(
        &manager,
        json!({"spaceId": desk, "title": "Un mois", "start": "2027-02-02T08:00:00Z", "end": "2027-03-02T08:00:00Z"}),
    )
    .await
    .data();
    assert_eq!(
        titles_between(
            &app,
            &manager,
            "2027-02-20T00:00:00Z",
            "2027-02-21T00:00:00Z"
        )
        .await,
        ["Un mois"]
    );
    // The block is the booking and its 30 minutes of clean-up.
    assert!(longest(&app, Spanned::BookingBlocks).await >= 28 * 86_400 + 1800);
    let busy = app
        .gql_as(
            &manager,
            "query($s: ID!) { availability(spaceId: $s, from: \"2027-02-20T10:00:00Z\", to: \"2027-02-20T12:00:00Z\") { start } }",
            json!({"s": desk}),
        )
        .await;
    assert_eq!(
        busy.data()["availability"],
        json!([]),
        "the month blocks it"
    );

    // Stretching a short booking raises the bound too (the update trigger).
    let short = app
        .book(
            &manager,
            json!({"spaceId": desk, "title": "Étirée", "start": "2027-04-01T08:00:00Z", "end": "2027-04-01T09:00:00Z"}),
        )
        .await;
    let id = short.data()["createBooking"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.gql_as(
        &manager,
        "mutation($id: ID!) { updateBooking(id: $id, input: {end: \"2027-06-01T08:00:00Z\"}) { id } }",
        json!({"id": id}),
    )
    .await
    .data();
    assert_eq!(
        titles_between(
            &app,
            &manager,
            "2027-05-15T00:00:00Z",
            "2027-05-16T00:00:00Z"
        )
        .await,
        ["Étirée"]
    );
    assert!(longest(&app, Spanned::Bookings).await >= 61 * 86_400);

    // A month-long festival is in the agenda of any of its days.
    let hall = app.create_space(&manager, "Grande salle", json!({})).await;
    let festival = event_fixtures::event(
        "Festival",
        "2027-11-01T08:00:00Z",
        "2027-11-30T20:00:00Z",
        &[&hall],
        json!({"public": true}),
    );
    event_fixtures::create(&app, &manager, festival).await;
    assert!(longest(&app, Spanned::Events).await >= 29 * 86_400);
    let agenda = app
        .gql(
            "{ events(filter: {from: \"2027-11-20T00:00:00Z\", to: \"2027-11-21T00:00:00Z\"}) { edges { node { title } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        agenda.data()["events"]["edges"],
        json!([{"node": {"title": "Festival"}}])
    );
}

/// The plan of `statement` as one text, with the index scans it names.
async fn plan_of(app: &TestApp, statement: Statement) -> String {
    let txn = app.db.begin().await.unwrap();
    let explain = match backend() {
        Backend::Postgres => {
            // A test database is tiny, where a sequential scan is cheapest; the question is
            // whether an index serves both ends of the window, not what the planner picks
            // for ten rows.
            txn.execute_unprepared("SET LOCAL enable_seqscan = off")
                .await
                .unwrap();
            txn.execute_unprepared("SET LOCAL enable_bitmapscan = off")
                .await
                .unwrap();
            "EXPLAIN"
        }
        Backend::Sqlite => "EXPLAIN QUERY PLAN",
    };
    let rows = txn
        .query_all_raw(Statement::from_sql_and_values(
            statement.db_backend,
            format!("{explain} {}", statement.sql),
            statement.values.map(|v| v.0).unwrap_or_default(),
        ))
        .await
        .unwrap();
    let column = match backend() {
        Backend::Postgres => "QUERY PLAN",
        Backend::Sqlite => "detail",
    };
    let lines: Vec<String> = rows
        .iter()
        .map(|row| row.try_get::<String>("", column).unwrap())
        .collect();
    txn.rollback().await.unwrap();
    lines.join("\n")
}

/// Whether `plan` reads `index` from a lower bound on `starts_at`, and up to an upper one if
/// `bounded` (a list without an end, like the agenda, stops at its page instead).
fn reads_range(plan: &str, index: &str, bounded: bool) -> bool {
    match backend() {
        // Index Scan using idx_bookings_start on bookings
        //   Index Cond: ((starts_at >= '…') AND (starts_at < '…'))
        Backend::Postgres => {
            plan.contains(&format!("using {index}"))
                && plan.contains("starts_at >=")
                && (!bounded || plan.contains("starts_at <"))
        }
        // SEARCH bookings USING INDEX idx_bookings_start (starts_at>? AND starts_at<?)
        Backend::Sqlite => plan.lines().any(|line| {
            line.contains(&format!("INDEX {index} "))
                && line.contains("starts_at>?")
                && (!bounded || line.contains("starts_at<?"))
        }),
    }
}

fn db_backend() -> DbBackend {
    match backend() {
        Backend::Postgres => DbBackend::Postgres,
        Backend::Sqlite => DbBackend::Sqlite,
    }
}

#[tokio::test]
async fn window_queries_read_an_index_range() {
    let app = spawn_schema().await;
    let manager = app.token_for(Role::Manager).await;
    let room = app.create_space(&manager, "Salle Jaurès", json!({})).await;
    app.book(
        &manager,
        json!({"spaceId": room, "title": "Réunion", "start": "2027-02-01T08:00:00Z", "end": "2027-02-01T09:00:00Z"}),
    )
    .await
    .data();
    let week = (at("2027-02-01T00:00:00Z"), at("2027-02-08T00:00:00Z"));
    let window = Window::new(Some(200), 0).unwrap();

    // The week grid: all bookings of the week, and one site's (on a table this small, the
    // planner may read the site's rows through either index: both serve the window).
    for (filter, indexes) in [
        (BookingFilter::default(), &["idx_bookings_start"][..]),
        (
            BookingFilter {
                site_id: Some(Uuid::new_v4()),
                ..Default::default()
            },
            &["idx_bookings_site_start", "idx_bookings_start"],
        ),
    ] {
        let filter = BookingFilter {
            from: Some(week.0),
            to: Some(week.1),
            ..filter
        };
        let query = booking_queries::page(
            booking_queries::matching(&app.db, &filter).await.unwrap(),
            window,
        );
        let plan = plan_of(&app, query.build(db_backend())).await;
        assert!(
            indexes.iter().any(|index| reads_range(&plan, index, true)),
            "bookings of a week:\n{plan}"
        );
    }

    // The public agenda: what has not ended yet.
    let filter = EventFilter {
        from: Some(week.0),
        public_only: true,
        ..Default::default()
    };
    let query = event_queries::page(
        event_queries::matching(&app.db, &filter).await.unwrap(),
        window,
    );
    let plan = plan_of(&app, query.build(db_backend())).await;
    assert!(
        reads_range(&plan, "idx_events_public_start", false)
            || reads_range(&plan, "idx_events_start", false),
        "agenda:\n{plan}"
    );

    // The conflict check and availability: the blocks of a space near a footprint.
    let earliest = earliest_start(&app.db, Spanned::BookingBlocks, week.0)
        .await
        .unwrap();
    let query = blocks::near(&[Uuid::new_v4()], earliest, week.0, week.1);
    let plan = plan_of(&app, query.build(db_backend())).await;
    assert!(
        reads_range(&plan, "idx_booking_blocks_space_time", true),
        "blocks near a footprint:\n{plan}"
    );
}

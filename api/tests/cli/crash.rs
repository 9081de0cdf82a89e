//! `kill -9` during a burst of bookings: every booking the server acknowledged (HTTP 200 with
//! its id) is in the database afterwards, and the database is consistent: SQLite's
//! `integrity_check` passes, PostgreSQL's exclusion constraint is still there, and no two live
//! bookings of a space overlap, on either backend.

use super::ops::{BOOK, slot, venue};
use super::*;

use lieu_tests::Backend;
use sea_orm::{ConnectionTrait, Statement};

#[tokio::test]
async fn kill_9_during_a_burst_of_bookings_loses_no_acknowledged_booking() {
    let database = TestDatabase::new().await;
    let server = Server::start(&database.url, &[]);
    server.wait_ready().await;
    let (token, space) = venue(&server, &database.url).await;

    // 120 bookings from 12 clients at once; two clients of three race for the same slots,
    // so the rule against overlaps is at work when the process dies.
    let acknowledged = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let mut clients = Vec::new();
    for client in 0..12i64 {
        let acknowledged = acknowledged.clone();
        let (url, token, space) = (
            format!("{}/graphql", server.base),
            token.clone(),
            space.clone(),
        );
        clients.push(tokio::spawn(async move {
            let http = reqwest::Client::builder()
                .timeout(Duration::from_secs(20))
                .build()
                .unwrap();
            for n in 0..10 {
                let slot_number = (client / 3) * 100 + n * 2 + (client % 3).min(1);
                let Ok(response) = http
                    .post(&url)
                    .bearer_auth(&token)
                    .json(&json!({"query": BOOK, "variables": {"i": slot(&space, slot_number)}}))
                    .send()
                    .await
                else {
                    return; // the server is gone
                };
                if response.status() != 200 {
                    continue;
                }
                let Ok(body) = response.json::<Value>().await else {
                    return; // cut in the middle of the answer: not acknowledged
                };
                if let Some(id) = body["data"]["createBooking"]["id"].as_str() {
                    acknowledged.lock().unwrap().push(id.to_string());
                }
            }
        }));
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    while acknowledged.lock().unwrap().len() < 15 {
        assert!(Instant::now() < deadline, "the burst never got going");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let mut child = server.child;
    let pid = child.id().to_string();
    Command::new("kill").args(["-KILL", &pid]).status().unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success(), "killed, not stopped: {status}");
    for client in clients {
        client.await.unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(acknowledged.len() >= 15);

    let conn = database.connect().await;
    let backend = conn.get_database_backend();
    let ids: Vec<String> = conn
        .query_all_raw(Statement::from_string(backend, "SELECT id FROM bookings"))
        .await
        .unwrap()
        .iter()
        .map(|row| {
            let id: uuid::Uuid = row.try_get("", "id").unwrap();
            id.to_string()
        })
        .collect();
    let lost: Vec<&String> = acknowledged.iter().filter(|id| !ids.contains(id)).collect();
    assert!(
        lost.is_empty(),
        "{} acknowledged bookings lost: {lost:?}",
        lost.len()
    );

    let overlapping = conn
        .query_one_raw(Statement::from_string(
            backend,
            "SELECT COUNT(*) AS n FROM bookings a JOIN bookings b \
             ON a.space_id = b.space_id AND a.id < b.id \
             AND a.status <> 'CANCELLED' AND b.status <> 'CANCELLED' \
             AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at",
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(overlapping.try_get::<i64>("", "n").unwrap(), 0);

    match lieu_tests::backend() {
        Backend::Sqlite => {
            assert_eq!(
                lieu_api::cli::backup::integrity_check(&conn).await.unwrap(),
                Ok(())
            );
        }
        Backend::Postgres => {
            let constraints = conn
                .query_one_raw(Statement::from_string(
                    backend,
                    "SELECT COUNT(*) AS n FROM pg_constraint WHERE contype = 'x' AND convalidated",
                ))
                .await
                .unwrap()
                .unwrap();
            assert!(
                constraints.try_get::<i64>("", "n").unwrap() >= 1,
                "the exclusion constraint is still there"
            );
        }
    }
    // And a new server starts on it and serves.
    let again = Server::start(&database.url, &[]);
    again.wait_ready().await;
    again.terminate();
}

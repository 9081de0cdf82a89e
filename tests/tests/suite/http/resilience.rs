//! The database goes away and comes back (PostgreSQL): `/readyz` turns 503 then 200, requests
//! fail fast with `INTERNAL` and a retry hint (nothing of the cause), and the server serves
//! again without a restart.

use std::time::{Duration, Instant};

use lieu_api::domain::Role;
use lieu_tests::serde_json::json;
use lieu_tests::{Backend, spawn_app};
use sea_orm::{ConnectionTrait, Database};

/// The test database's name and a connection to the server's `postgres` database, to act on
/// it from outside.
async fn admin_of(url: &str) -> (String, sea_orm::DatabaseConnection) {
    let (base, name) = url.rsplit_once('/').expect("a database name");
    let admin = Database::connect(format!("{base}/postgres"))
        .await
        .expect("connect as admin");
    (name.to_string(), admin)
}

fn slot(space: &str, hour: u32) -> lieu_tests::serde_json::Value {
    json!({"spaceId": space, "title": "Réunion",
        "start": format!("2040-03-01T{hour:02}:00:00+01:00"),
        "end": format!("2040-03-01T{:02}:00:00+01:00", hour + 1)})
}

#[tokio::test]
async fn the_server_survives_the_database_going_away_and_coming_back() {
    if lieu_tests::backend() != Backend::Postgres {
        return; // An SQLite file does not go away under a running process.
    }
    let app = spawn_app().await;
    let manager = app.token_for(Role::Manager).await;
    let room = app.create_space(&manager, "Salle", json!({})).await;
    app.book(&manager, slot(&room, 8)).await.data();

    let (name, admin) = admin_of(&app.database.url).await;
    // No new connections, and the open ones cut: the database is gone for this server.
    admin
        .execute_unprepared(&format!(
            "ALTER DATABASE \"{name}\" WITH ALLOW_CONNECTIONS false"
        ))
        .await
        .unwrap();
    admin
        .execute_unprepared(&format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = '{name}' AND pid <> pg_backend_pid()"
        ))
        .await
        .unwrap();

    let started = Instant::now();
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status().as_u16(), 503);
    let refused = app.book(&manager, slot(&room, 10)).await;
    let took = started.elapsed();
    assert_eq!(refused.error_code(), "INTERNAL", "{}", refused.body);
    let message = refused.first_error()["message"].as_str().unwrap();
    assert!(message.contains("Try again in a few seconds"), "{message}");
    assert!(
        !message.contains("ALLOW_CONNECTIONS")
            && !message.contains("postgres")
            && !message.contains(&name),
        "nothing of the cause: {message}"
    );
    // Well under the 30 s request timeout: the pool gives up after 5 s at most, per request.
    assert!(took < Duration::from_secs(12), "took {took:?}");

    admin
        .execute_unprepared(&format!(
            "ALTER DATABASE \"{name}\" WITH ALLOW_CONNECTIONS true"
        ))
        .await
        .unwrap();
    admin.close().await.ok();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if app.get("/readyz").await.status().as_u16() == 200 {
            break;
        }
        assert!(Instant::now() < deadline, "/readyz never turned 200 again");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let booked = app.book(&manager, slot(&room, 10)).await;
    assert!(booked.data()["createBooking"]["id"].is_string());
    assert_eq!(
        app.count_rows("bookings").await,
        2,
        "the refused attempt wrote nothing"
    );
}

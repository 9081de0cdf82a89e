//! Operating Lieu: `/metrics` read by Prometheus's own parser, `backup` under write load and
//! `restore`.

use super::*;

use lieu_tests::Backend;
use sea_orm::ConnectionTrait;

const CREATE_SPACE: &str = "mutation($i: CreateSpaceInput!) { createSpace(input: $i) { id } }";
pub const BOOK: &str = "mutation($i: CreateBookingInput!) { createBooking(input: $i) { id } }";

/// An admin's token and a space to book, on a server that runs on `url`.
pub async fn venue(server: &Server, url: &str) -> (String, String) {
    let added = user_add(url, "ops@example.org", "admin", "a long enough password");
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let login = server
        .gql(
            None,
            LOGIN,
            json!({"e": "ops@example.org", "p": "a long enough password"}),
        )
        .await;
    let token = login["data"]["login"]["token"]
        .as_str()
        .unwrap_or_else(|| panic!("{login}"))
        .to_string();
    let space = server
        .gql(
            Some(&token),
            CREATE_SPACE,
            json!({"i": {"name": "Salle", "kind": "MEETING_ROOM", "capacity": 20}}),
        )
        .await;
    let space = space["data"]["createSpace"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{space}"))
        .to_string();
    (token, space)
}

/// The `n`th one-hour slot from 1 January 2040 (slots two hours apart never touch).
pub fn slot(space: &str, n: i64) -> Value {
    let start = chrono::DateTime::parse_from_rfc3339("2040-01-01T08:00:00Z").unwrap()
        + chrono::Duration::hours(2 * n);
    let end = start + chrono::Duration::hours(1);
    json!({"spaceId": space, "start": start.to_rfc3339(), "end": end.to_rfc3339(), "title": format!("slot {n}")})
}

/// The samples of a Prometheus text page as Python's `prometheus_client` parses it:
/// `(name, labels, value)`. `None` when Python or prometheus_client is missing (CI installs
/// both), after saying so.
fn parse_with_prometheus_client(text: &str) -> Option<Vec<(String, Value, f64)>> {
    let script = r#"
import json, sys
from prometheus_client.parser import text_string_to_metric_families
out = []
for family in text_string_to_metric_families(sys.stdin.read()):
    for s in family.samples:
        out.append([s.name, s.labels, s.value])
print(json.dumps(out))
"#;
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    child.stdin.take()?.write_all(text.as_bytes()).ok()?;
    let output = child.wait_with_output().ok()?;
    if !output.status.success() {
        let err = String::from_utf8_lossy(&output.stderr);
        assert!(
            err.contains("No module named 'prometheus_client'") && std::env::var_os("CI").is_none(),
            "prometheus_client refused the page: {err}\n{text}"
        );
        eprintln!("prometheus_client is not installed: checked with the Rust reading only");
        return None;
    }
    let samples: Vec<Value> = lieu_tests::serde_json::from_slice(&output.stdout).unwrap();
    Some(
        samples
            .into_iter()
            .map(|s| {
                (
                    s[0].as_str().unwrap().to_string(),
                    s[1].clone(),
                    s[2].as_f64().unwrap(),
                )
            })
            .collect(),
    )
}

/// The value of the sample `name` whose labels include `labels`.
fn sample(samples: &[(String, Value, f64)], name: &str, labels: Value) -> Option<f64> {
    samples
        .iter()
        .find(|(n, l, _)| {
            n == name
                && labels
                    .as_object()
                    .unwrap()
                    .iter()
                    .all(|(k, v)| l.get(k) == Some(v))
        })
        .map(|(_, _, v)| *v)
}

#[tokio::test]
async fn metrics_count_requests_bookings_and_refusals_on_a_private_address() {
    let database = TestDatabase::new().await;
    let metrics_port = free_port();
    let metrics_bind = format!("127.0.0.1:{metrics_port}");
    let server = Server::start(&database.url, &["--metrics-bind", &metrics_bind]);
    server.wait_ready().await;
    let (token, space) = venue(&server, &database.url).await;
    for n in 0..3 {
        let booked = server
            .gql(Some(&token), BOOK, json!({"i": slot(&space, n)}))
            .await;
        assert!(
            booked["data"]["createBooking"]["id"].is_string(),
            "{booked}"
        );
    }
    let conflict = server
        .gql(Some(&token), BOOK, json!({"i": slot(&space, 1)}))
        .await;
    assert_eq!(
        conflict["errors"][0]["extensions"]["code"], "BOOKING_CONFLICT",
        "{conflict}"
    );
    // A public event, and one registration from the public.
    let event = server
        .gql(
            Some(&token),
            "mutation($i: CreateEventInput!) { createEvent(input: $i) { id } }",
            json!({"i": {"title": "Atelier", "category": "WORKSHOP", "spaceIds": [], "public": true,
                "capacity": 10, "start": "2040-02-01T18:00:00+01:00", "end": "2040-02-01T20:00:00+01:00"}}),
        )
        .await;
    let event = event["data"]["createEvent"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let registered = server
        .gql(
            None,
            "mutation($i: RegisterInput!) { register(input: $i) { id } }",
            json!({"i": {"eventId": event, "name": "Zoé", "email": "zoe@example.org"}}),
        )
        .await;
    assert!(
        registered["data"]["register"]["id"].is_string(),
        "{registered}"
    );
    // Five wrong passwords for one email are let through, the sixth is refused.
    for attempt in 1..=6 {
        let login = server
            .gql(
                None,
                LOGIN,
                json!({"e": "nobody@example.org", "p": "not the password"}),
            )
            .await;
        let code = &login["errors"][0]["extensions"]["code"];
        let expected = if attempt <= 5 {
            "UNAUTHENTICATED"
        } else {
            "RATE_LIMITED"
        };
        assert_eq!(code, expected, "attempt {attempt}: {login}");
    }

    let client = reqwest::Client::new();
    // Not on the public address.
    let public = client
        .get(format!("{}/metrics", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(public.status().as_u16(), 404);
    assert!(public.text().await.unwrap().contains("--metrics-bind"));

    let scrape = client
        .get(format!("http://{metrics_bind}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(scrape.status().as_u16(), 200);
    assert!(
        scrape.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4")
    );
    let text = scrape.text().await.unwrap();
    assert!(
        text.contains(r#"lieu_graphql_requests_total{operation="createBooking",outcome="ok"} 3"#),
        "{text}"
    );
    let Some(samples) = parse_with_prometheus_client(&text) else {
        return;
    };
    let get = |name: &str, labels: Value| {
        sample(&samples, name, labels.clone())
            .unwrap_or_else(|| panic!("no {name} {labels} in\n{text}"))
    };
    let requests = "lieu_graphql_requests_total";
    assert_eq!(
        get(
            requests,
            json!({"operation": "createBooking", "outcome": "ok"})
        ),
        3.0
    );
    assert_eq!(
        get(
            requests,
            json!({"operation": "createBooking", "outcome": "BOOKING_CONFLICT"})
        ),
        1.0
    );
    assert_eq!(
        get(requests, json!({"operation": "login", "outcome": "ok"})),
        1.0
    );
    assert_eq!(
        get(
            requests,
            json!({"operation": "login", "outcome": "UNAUTHENTICATED"})
        ),
        5.0
    );
    assert_eq!(
        get(
            requests,
            json!({"operation": "login", "outcome": "RATE_LIMITED"})
        ),
        1.0
    );
    assert_eq!(get("lieu_bookings_created_total", json!({})), 3.0);
    assert_eq!(
        get(
            "lieu_registrations_created_total",
            json!({"kind": "register"})
        ),
        1.0
    );
    assert_eq!(
        get("lieu_rate_limited_total", json!({"limiter": "login"})),
        1.0
    );
    assert_eq!(get("lieu_subscriptions_active", json!({})), 0.0);
    // Latency and statements: one observation per createBooking request, in buckets.
    let duration = "lieu_graphql_request_duration_seconds";
    assert_eq!(
        get(
            &format!("{duration}_count"),
            json!({"operation": "createBooking"})
        ),
        4.0
    );
    assert_eq!(
        get(
            &format!("{duration}_bucket"),
            json!({"operation": "createBooking", "le": "+Inf"})
        ),
        4.0
    );
    assert!(
        get(
            &format!("{duration}_sum"),
            json!({"operation": "createBooking"})
        ) > 0.0
    );
    let statements = "lieu_db_statements_per_request";
    assert_eq!(
        get(
            &format!("{statements}_count"),
            json!({"operation": "createBooking"})
        ),
        4.0
    );
    // A booking reads the token, the space and its tree, then writes: several statements each.
    let per_booking = get(
        &format!("{statements}_sum"),
        json!({"operation": "createBooking"}),
    ) / 4.0;
    assert!((3.0..60.0).contains(&per_booking), "{per_booking}");
    assert!(get("lieu_db_statements_total", json!({})) >= 4.0 * per_booking);
    // The pool, sampled at scrape time: the server holds at least one connection.
    let in_use = get("lieu_db_pool_connections", json!({"state": "in_use"}));
    let idle = get("lieu_db_pool_connections", json!({"state": "idle"}));
    assert!(in_use + idle >= 1.0, "{in_use} + {idle}");
    assert!(get("lieu_db_pool_max_connections", json!({})) >= in_use + idle);
    server.terminate();
}

fn lieu(args: &[&str]) -> (bool, String) {
    let output = Command::new(BIN).args(args).output().unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn sqlite_url(path: &std::path::Path) -> String {
    format!("sqlite://{}?mode=rwc", path.display())
}

#[test]
fn postgres_backups_are_pg_dump_s_job() {
    let url = "postgres://lieu:secret@db.example.org/lieu";
    let (ok, err) = lieu(&["backup", "--to", "x.dump", "--database-url", url]);
    assert!(!ok);
    assert!(err.contains("pg_dump --format=custom --file FILE"), "{err}");
    assert!(err.contains("pg_restore --no-owner --dbname"), "{err}");
    assert!(
        !err.contains("secret"),
        "the password is not printed: {err}"
    );
    let (ok, err) = lieu(&["restore", "--from", "x.dump", "--database-url", url]);
    assert!(!ok);
    assert!(err.contains("pg_restore --no-owner"), "{err}");
}

#[tokio::test]
async fn a_backup_taken_under_write_load_restores_every_acknowledged_booking() {
    if lieu_tests::backend() != Backend::Sqlite {
        return; // PostgreSQL: pg_dump's job (see the test above).
    }
    let database = TestDatabase::new().await;
    let server = Server::start(&database.url, &[]);
    server.wait_ready().await;
    let (token, space) = venue(&server, &database.url).await;

    // Bookings keep coming, from four writers, while the backup runs.
    let acknowledged = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut writers = Vec::new();
    for writer in 0..4i64 {
        let (acknowledged, stop) = (acknowledged.clone(), stop.clone());
        let (url, token, space) = (
            format!("{}/graphql", server.base),
            token.clone(),
            space.clone(),
        );
        writers.push(tokio::spawn(async move {
            let client = reqwest::Client::new();
            for n in 0..150 {
                if stop.load(std::sync::atomic::Ordering::Relaxed) {
                    break;
                }
                let body: Value = client
                    .post(&url)
                    .bearer_auth(&token)
                    .json(&json!({"query": BOOK, "variables": {"i": slot(&space, n * 4 + writer)}}))
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                let id = body["data"]["createBooking"]["id"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{body}"));
                acknowledged.lock().unwrap().push(id.to_string());
            }
        }));
    }
    while acknowledged.lock().unwrap().len() < 40 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let before: Vec<String> = acknowledged.lock().unwrap().clone();
    let dir = tempfile::tempdir().unwrap();
    let backup = dir.path().join("lieu.bak");
    let (ok, err) = {
        let args = [
            "backup".to_string(),
            "--to".into(),
            backup.display().to_string(),
            "--database-url".into(),
            database.url.clone(),
        ];
        tokio::task::spawn_blocking(move || {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            lieu(&args)
        })
        .await
        .unwrap()
    };
    let during = acknowledged.lock().unwrap().len();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for writer in writers {
        writer.await.unwrap();
    }
    assert!(ok, "{err}");
    assert!(err.contains("Backing up"), "a progress line: {err}");
    assert!(
        err.contains("bytes") && err.contains("integrity check ok"),
        "{err}"
    );
    assert!(
        during > before.len(),
        "the writers kept writing while the backup ran ({} then {during})",
        before.len()
    );

    // Refused: the same file again, without --force.
    let (ok, refused) = lieu(&[
        "backup",
        "--to",
        &backup.display().to_string(),
        "--database-url",
        &database.url,
    ]);
    assert!(!ok);
    assert!(
        refused.contains("already exists") && refused.contains("--force"),
        "{refused}"
    );

    let restored = dir.path().join("restored.db");
    let restored_url = sqlite_url(&restored);
    let (ok, err) = lieu(&[
        "restore",
        "--from",
        &backup.display().to_string(),
        "--database-url",
        &restored_url,
    ]);
    assert!(ok, "{err}");
    assert!(err.contains("integrity check ok"), "{err}");
    let conn = lieu_api::db::connect(&lieu_api::config::DatabaseConfig {
        url: restored_url.clone(),
        pool_size: Some(1),
    })
    .await
    .unwrap();
    assert_eq!(
        lieu_api::cli::backup::integrity_check(&conn).await.unwrap(),
        Ok(())
    );
    let ids: Vec<String> = conn
        .query_all_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Sqlite,
            "SELECT id FROM bookings",
        ))
        .await
        .unwrap()
        .iter()
        .map(|row| {
            let id: uuid::Uuid = row.try_get("", "id").unwrap();
            id.to_string()
        })
        .collect();
    let missing: Vec<&String> = before.iter().filter(|id| !ids.contains(id)).collect();
    assert!(
        missing.is_empty(),
        "acknowledged before the backup, missing: {missing:?}"
    );
    conn.close().await.ok();

    // Refused: a restore into a database that holds a venue (the one just restored).
    let (ok, err) = lieu(&[
        "restore",
        "--from",
        &backup.display().to_string(),
        "--database-url",
        &restored_url,
    ]);
    assert!(!ok);
    assert!(err.contains("is not empty"), "{err}");
    // Refused: a file that is not a Lieu backup.
    let junk = dir.path().join("notes.txt");
    std::fs::write(
        &junk,
        "not a database at all, just some text that is long enough",
    )
    .unwrap();
    let (ok, err) = lieu(&[
        "restore",
        "--from",
        &junk.display().to_string(),
        "--database-url",
        &sqlite_url(&dir.path().join("other.db")),
    ]);
    assert!(!ok);
    assert!(
        err.contains("not a SQLite database") || err.contains("not a Lieu backup"),
        "{err}"
    );
    assert!(
        !dir.path().join("other.db").exists(),
        "nothing created on a refusal"
    );

    // --force replaces the file.
    let (ok, err) = lieu(&[
        "backup",
        "--to",
        &backup.display().to_string(),
        "--force",
        "--database-url",
        &database.url,
    ]);
    assert!(ok, "{err}");
    server.terminate();
}

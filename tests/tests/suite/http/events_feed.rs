//! The public agenda's calendar feed over HTTP, read by Python's `icalendar` (what calendar
//! tools are built on) and by the Rust parser: exactly the public events, at the right
//! instants, with UIDs that stay across a change.

use std::process::Command;

use lieu_api::domain::Role;
use lieu_tests::serde_json::{Value, json};
use lieu_tests::spawn_app;

const CREATE: &str = "mutation($i: CreateEventInput!) { createEvent(input: $i) { id } }";

/// The feed as Python's icalendar reads it: (uid, start in UTC, status, sequence) per event.
/// `None` when Python or its icalendar package is missing (CI installs both).
fn read_with_python(feed: &str) -> Option<Vec<Value>> {
    let script = r#"
import json, sys
from icalendar import Calendar
cal = Calendar.from_ical(sys.stdin.read())
out = []
for e in cal.walk("VEVENT"):
    out.append({"uid": str(e["UID"]), "start": e.decoded("DTSTART").astimezone().isoformat(),
                "startUtc": e.decoded("DTSTART").timestamp(), "status": str(e.get("STATUS")),
                "sequence": int(e.get("SEQUENCE", 0)), "summary": str(e["SUMMARY"]),
                "location": str(e.get("LOCATION", ""))})
print(json.dumps(out))
"#;
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .ok()?;
    use std::io::Write;
    child.stdin.take()?.write_all(feed.as_bytes()).ok()?;
    let output = child.wait_with_output().ok()?;
    if !output.status.success() {
        let err = String::from_utf8_lossy(&output.stderr);
        assert!(
            err.contains("No module named 'icalendar'"),
            "python icalendar refused the feed: {err}"
        );
        return None;
    }
    serde_json_from(&output.stdout)
}

fn serde_json_from(bytes: &[u8]) -> Option<Vec<Value>> {
    lieu_tests::serde_json::from_slice(bytes).ok()
}

#[tokio::test]
async fn the_agenda_feed_lists_the_public_events_with_stable_uids() {
    let app = spawn_app().await;
    let manager = app.token_for(Role::Manager).await;
    let hall = app.create_space(&manager, "Grande salle", json!({})).await;
    let next_year = chrono::Utc::now()
        .format("%Y")
        .to_string()
        .parse::<i32>()
        .unwrap()
        + 1;
    let public = json!({"title": "Concert", "category": "CONCERT", "spaceIds": [hall], "public": true,
        "start": format!("{next_year}-03-20T20:00:00+01:00"), "end": format!("{next_year}-03-20T22:00:00+01:00")});
    let concert = app
        .gql_as(&manager, CREATE, json!({"i": public}))
        .await
        .data()["createEvent"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let mut summer = public.clone();
    summer["title"] = json!("Fête d'été");
    summer["start"] = json!(format!("{next_year}-06-21T18:00:00+02:00"));
    summer["end"] = json!(format!("{next_year}-06-21T23:00:00+02:00"));
    app.gql_as(&manager, CREATE, json!({"i": summer}))
        .await
        .data();
    let private = json!({"title": "Conseil", "category": "MEETING", "spaceIds": [], "public": false,
        "start": format!("{next_year}-03-21T18:00:00+01:00"), "end": format!("{next_year}-03-21T20:00:00+01:00")});
    app.gql_as(&manager, CREATE, json!({"i": private}))
        .await
        .data();

    let response = app.get("/ical/events.ics").await;
    assert_eq!(response.status().as_u16(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let feed = response.text().await.unwrap();
    let unfolded = icalendar::parser::unfold(&feed);
    let calendar = icalendar::parser::read_calendar(&unfolded).expect("a valid iCalendar");
    let events: Vec<_> = calendar
        .components
        .iter()
        .filter(|c| c.name == "VEVENT")
        .collect();
    assert_eq!(events.len(), 2, "the public ones only");
    assert!(!feed.contains("Conseil"));
    assert!(feed.contains("LOCATION:Grande salle\\, "), "{feed}");

    // A change: the concert starts an hour later. Its UID stays, its SEQUENCE goes up.
    app.gql_as(
        &manager,
        "mutation($id: ID!, $s: DateTime!, $e: DateTime!) { updateEvent(id: $id, input: {start: $s, end: $e}) { id } }",
        json!({"id": concert, "s": format!("{next_year}-03-20T21:00:00+01:00"), "e": format!("{next_year}-03-20T23:00:00+01:00")}),
    )
    .await
    .data();
    let changed = app.get("/ical/events.ics").await.text().await.unwrap();
    let Some(before) = read_with_python(&feed) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have python3 and icalendar"
        );
        eprintln!("python3 with icalendar is not installed here: the Rust parser's checks ran");
        return;
    };
    let after = read_with_python(&changed).unwrap();
    let uid = format!("event-{concert}@lieu");
    let of = |list: &[Value]| {
        list.iter()
            .find(|e| e["uid"] == uid.as_str())
            .unwrap()
            .clone()
    };
    let (b, a) = (of(&before), of(&after));
    assert_eq!(b["summary"], "Concert");
    // 20:00 in Paris in March is 19:00 UTC; the change moved it an hour.
    let march = chrono::NaiveDate::from_ymd_opt(next_year, 3, 20)
        .unwrap()
        .and_hms_opt(19, 0, 0)
        .unwrap()
        .and_utc();
    assert_eq!(b["startUtc"].as_f64().unwrap() as i64, march.timestamp());
    assert_eq!(
        a["startUtc"].as_f64().unwrap() as i64,
        march.timestamp() + 3600
    );
    assert!(a["sequence"].as_i64() > b["sequence"].as_i64());
    assert_eq!(after.len(), 2, "updated, not duplicated");
    // Cancelled: it stays, as CANCELLED, so that subscribed calendars drop it.
    app.gql_as(
        &manager,
        "mutation($id: ID!) { cancelEvent(id: $id) { id } }",
        json!({"id": concert}),
    )
    .await
    .data();
    let cancelled =
        read_with_python(&app.get("/ical/events.ics").await.text().await.unwrap()).unwrap();
    assert_eq!(of(&cancelled)["status"], "CANCELLED");
}

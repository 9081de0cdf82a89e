//! The demo venue has what every screen and report needs to show something real: a season of
//! events with a programme, a full event with its waitlist, groups, past check-ins and payments.

use lieu_api::domain::Role;
use lieu_tests::serde_json::{Value, json};
use lieu_tests::spawn_schema;

#[tokio::test]
async fn the_demo_season_has_a_programme_a_waitlist_groups_and_check_ins() {
    let app = spawn_schema().await;
    assert!(
        lieu_api::demo::seed_if_empty(&app.db, &app.clock)
            .await
            .unwrap()
    );
    let manager = app.token_for(Role::Manager).await;
    let query = "query($f: DateTime!, $t: DateTime!) { events(filter: {from: $f, to: $t}, first: 500) { totalCount edges { node {
        title category capacity remainingSeats waitlistCount checkedInCount confirmedCount
        sessions { id } parent { id } price
        registrations { seats status paid checkedInAt } } } } }";
    let today = chrono::Utc::now();
    let response = app
        .gql_as(
            &manager,
            query,
            json!({"f": (today - chrono::Duration::days(200)).to_rfc3339(), "t": (today + chrono::Duration::days(200)).to_rfc3339()}),
        )
        .await;
    let events: Vec<Value> = response.data()["events"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"].clone())
        .collect();
    let has = |what: &str, test: &dyn Fn(&Value) -> bool| {
        assert!(events.iter().any(test), "the demo season has {what}");
    };
    for category in ["REPAIR_CAFE", "CONCERT", "WORKSHOP", "MARKET"] {
        has(category, &|e| e["category"] == category);
    }
    has("a programme of six sessions", &|e| {
        e["sessions"].as_array().unwrap().len() == 6
    });
    has("a full event with its waitlist", &|e| {
        e["remainingSeats"] == 0 && e["waitlistCount"].as_u64().unwrap() > 0
    });
    has("groups", &|e| {
        e["registrations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["seats"].as_u64().unwrap() > 1)
    });
    has("past check-ins", &|e| {
        e["checkedInCount"].as_u64().unwrap() > 0
    });
    has("paid tickets", &|e| {
        !e["price"].is_null()
            && e["registrations"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["paid"] == true)
    });
    // Seats never exceed capacity, in the demo either.
    for e in &events {
        if let Some(capacity) = e["capacity"].as_u64() {
            assert!(
                e["confirmedCount"].as_u64().unwrap() <= capacity,
                "{}: {} confirmed for {capacity}",
                e["title"],
                e["confirmedCount"]
            );
        }
    }
}

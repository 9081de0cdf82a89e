//! Spaces through the GraphQL endpoint: create, read (public), update, archive, hierarchy,
//! opening hours; bad input is VALIDATION and writes nothing.

use lieu_api::domain::Role;
use lieu_tests::serde_json::json;
use lieu_tests::spawn_schema;

#[tokio::test]
async fn a_manager_creates_a_space_that_the_public_can_read() {
    let app = spawn_schema().await;
    let manager = app.token_for(Role::Manager).await;
    let id = app
        .create_space(
            &manager,
            "Salle Jaurès",
            json!({
                "kind": "MEETING_ROOM", "capacity": 12, "accessible": true,
                "description": "Tableau blanc, écran", "requiresApproval": true, "bufferMinutes": 15,
                "rates": [
                    {"tier": "PUBLIC", "hourly": "20", "daily": "120.50"},
                    {"tier": "MEMBER", "hourly": "12.5"}
                ]
            }),
        )
        .await;
    let response = app
        .gql(
            "query($id: ID!) { space(id: $id) { id name kind capacity accessible description requiresApproval bufferMinutes archived rates { tier hourly daily } site { name timezone } parent { id } children { id } } }",
            json!({ "id": id }),
        )
        .await;
    let space = &response.data()["space"];
    assert_eq!(space["name"], "Salle Jaurès");
    assert_eq!(space["capacity"], 12);
    assert_eq!(space["requiresApproval"], true);
    assert_eq!(space["bufferMinutes"], 15);
    assert_eq!(space["site"]["timezone"], "Europe/Paris");
    assert_eq!(
        space["rates"],
        json!([
            {"tier": "PUBLIC", "hourly": "20.00", "daily": "120.50"},
            {"tier": "MEMBER", "hourly": "12.50", "daily": null}
        ])
    );
    assert!(space["parent"].is_null());

    let list = app.gql("{ spaces { name } }", json!({})).await;
    assert_eq!(list.data()["spaces"], json!([{ "name": "Salle Jaurès" }]));
    // Unknown id: null, not an error.
    let missing = app
        .gql(
            "query($id: ID!) { space(id: $id) { id } }",
            json!({ "id": uuid::Uuid::new_v4() }),
        )
        .await;
    assert!(missing.data()["space"].is_null());
}

#[tokio::test]
async fn bad_space_input_is_validation_and_writes_nothing() {
    let app = spawn_schema().await;
    let manager = app.token_for(Role::Manager).await;
    let cases = [
        (
            json!({"name": "X", "kind": "MEETING_ROOM", "capacity": 0}),
            "capacity",
        ),
        (
            json!({"name": "X", "kind": "MEETING_ROOM", "capacity": 5, "bufferMinutes": -5}),
            "bufferMinutes",
        ),
        (
            json!({"name": "  ", "kind": "MEETING_ROOM", "capacity": 5}),
            "name",
        ),
        (
            json!({"name": "X", "kind": "MEETING_ROOM", "capacity": 5, "rates": [{"tier": "PUBLIC", "hourly": "-1"}]}),
            "rates.hourly",
        ),
        (
            json!({"name": "X", "kind": "MEETING_ROOM", "capacity": 5, "rates": [{"tier": "PUBLIC", "hourly": "1"}, {"tier": "PUBLIC", "hourly": "2"}]}),
            "rates",
        ),
        (
            json!({"name": "X", "kind": "MEETING_ROOM", "capacity": 5, "rates": [{"tier": "PUBLIC", "hourly": "1.005"}]}),
            "rates.hourly",
        ),
    ];
    // An id that names nothing is NOT_FOUND, with the field that named it.
    let unknown = [
        (
            json!({"name": "X", "kind": "MEETING_ROOM", "capacity": 5, "parentId": uuid::Uuid::new_v4()}),
            "parentId",
        ),
        (
            json!({"name": "X", "kind": "MEETING_ROOM", "capacity": 5, "siteId": uuid::Uuid::new_v4()}),
            "siteId",
        ),
    ];
    for (input, field) in unknown {
        let response = app
            .gql_as(
                &manager,
                "mutation($i: CreateSpaceInput!) { createSpace(input: $i) { id } }",
                json!({ "i": input }),
            )
            .await;
        assert_eq!(response.error_code(), "NOT_FOUND", "{input}");
        assert_eq!(response.first_error()["extensions"]["field"], field);
    }
    for (input, field) in cases {
        let response = app
            .gql_as(
                &manager,
                "mutation($i: CreateSpaceInput!) { createSpace(input: $i) { id } }",
                json!({ "i": input }),
            )
            .await;
        assert_eq!(response.error_code(), "VALIDATION", "{input}");
        assert_eq!(
            response.first_error()["extensions"]["field"],
            field,
            "{input}"
        );
    }
    assert_eq!(app.count_rows("spaces").await, 0);
    assert_eq!(app.count_rows("space_rates").await, 0);
}

#[tokio::test]
async fn update_archive_and_restore() {
    let app = spawn_schema().await;
    let manager = app.token_for(Role::Manager).await;
    let id = app
        .create_space(&manager, "Atelier", json!({"kind": "WORKSHOP"}))
        .await;
    let updated = app
        .gql_as(
            &manager,
            "mutation($id: ID!) { updateSpace(id: $id, input: {name: \"Fablab\", capacity: 8, rates: [{tier: RESIDENT, hourly: \"5\"}]}) { name capacity kind rates { tier hourly } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        updated.data()["updateSpace"],
        json!({"name": "Fablab", "capacity": 8, "kind": "WORKSHOP", "rates": [{"tier": "RESIDENT", "hourly": "5.00"}]})
    );

    let archive = "mutation($id: ID!) { archiveSpace(id: $id) { archived } }";
    assert_eq!(
        app.gql_as(&manager, archive, json!({ "id": id }))
            .await
            .data()["archiveSpace"]["archived"],
        true
    );
    assert_eq!(
        app.gql_as(&manager, archive, json!({ "id": id }))
            .await
            .error_code(),
        "INVALID_STATE"
    );
    assert_eq!(
        app.gql("{ spaces { id } }", json!({})).await.data()["spaces"],
        json!([])
    );
    let with_archived = app
        .gql(
            "{ spaces(includeArchived: true) { id archived } }",
            json!({}),
        )
        .await;
    assert_eq!(with_archived.data()["spaces"][0]["archived"], true);

    // An archived space cannot be booked.
    let volunteer = app.token_for(Role::Volunteer).await;
    let booking = app
        .book(
            &volunteer,
            json!({"spaceId": id, "start": "2027-02-01T09:00:00Z", "end": "2027-02-01T10:00:00Z", "title": "Test"}),
        )
        .await;
    assert_eq!(booking.error_code(), "INVALID_STATE");

    let restored = app
        .gql_as(
            &manager,
            "mutation($id: ID!) { restoreSpace(id: $id) { archived } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(restored.data()["restoreSpace"]["archived"], false);
    let unknown = app
        .gql_as(&manager, archive, json!({ "id": uuid::Uuid::new_v4() }))
        .await;
    assert_eq!(unknown.error_code(), "NOT_FOUND");
}

#[tokio::test]
async fn a_hall_and_its_halves() {
    let app = spawn_schema().await;
    let manager = app.token_for(Role::Manager).await;
    let hall = app
        .create_space(
            &manager,
            "Grande salle",
            json!({"kind": "EVENT_HALL", "capacity": 120}),
        )
        .await;
    let a = app
        .create_space(&manager, "Demi-salle A", json!({"parentId": hall}))
        .await;
    let b = app
        .create_space(&manager, "Demi-salle B", json!({"parentId": hall}))
        .await;
    let response = app
        .gql(
            "query($id: ID!) { space(id: $id) { children { id name parent { id } } } }",
            json!({ "id": hall }),
        )
        .await;
    let children = &response.data()["space"]["children"];
    assert_eq!(children[0]["id"], a.as_str());
    assert_eq!(children[1]["id"], b.as_str());
    assert_eq!(children[1]["parent"]["id"], hall.as_str());

    // A space cannot be put inside one of its own parts.
    let cycle = app
        .gql_as(
            &manager,
            "mutation($id: ID!, $p: ID!) { updateSpace(id: $id, input: {parentId: $p}) { id } }",
            json!({ "id": hall, "p": a }),
        )
        .await;
    assert_eq!(cycle.error_code(), "VALIDATION");
    assert_eq!(cycle.first_error()["extensions"]["field"], "parentId");

    // Detached, B becomes top-level.
    let detached = app
        .gql_as(
            &manager,
            "mutation($id: ID!) { updateSpace(id: $id, input: {detachFromParent: true}) { parent { id } } }",
            json!({ "id": b }),
        )
        .await;
    assert!(detached.data()["updateSpace"]["parent"].is_null());
}

#[tokio::test]
async fn opening_hours_and_closed_dates() {
    let app = spawn_schema().await;
    let manager = app.token_for(Role::Manager).await;
    let site = app.gql("{ sites { id } }", json!({})).await.data()["sites"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let set = app
        .gql_as(
            &manager,
            "mutation($s: ID!) { setOpeningHours(siteId: $s, hours: [
                {weekday: TUESDAY, opens: \"14:00\", closes: \"18:30\"},
                {weekday: TUESDAY, opens: \"09:00\", closes: \"12:00\"},
                {weekday: SATURDAY, opens: \"10:00\", closes: \"24:00\"}
            ]) { weekday opens closes } }",
            json!({ "s": site }),
        )
        .await;
    assert_eq!(
        set.data()["setOpeningHours"],
        json!([
            {"weekday": "TUESDAY", "opens": "09:00", "closes": "12:00"},
            {"weekday": "TUESDAY", "opens": "14:00", "closes": "18:30"},
            {"weekday": "SATURDAY", "opens": "10:00", "closes": "24:00"}
        ])
    );
    let closed = app
        .gql_as(
            &manager,
            "mutation($s: ID!) { closeDate(siteId: $s, date: \"2027-05-01\", reason: \"Fête du travail\") { date reason } }",
            json!({ "s": site }),
        )
        .await;
    assert_eq!(closed.data()["closeDate"]["date"], "2027-05-01");
    // The public reads both.
    let read = app
        .gql(
            "{ sites { openingHours { weekday } closedDates(from: \"2027-01-01\", to: \"2027-12-31\") { date reason } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        read.data()["sites"][0]["openingHours"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert_eq!(
        read.data()["sites"][0]["closedDates"][0]["reason"],
        "Fête du travail"
    );

    for (hours, field) in [
        (
            "{weekday: MONDAY, opens: \"12:00\", closes: \"09:00\"}",
            "closes",
        ),
        (
            "{weekday: MONDAY, opens: \"9h\", closes: \"12:00\"}",
            "opens",
        ),
        (
            "{weekday: MONDAY, opens: \"09:00\", closes: \"12:00\"}, {weekday: MONDAY, opens: \"11:00\", closes: \"13:00\"}",
            "hours",
        ),
    ] {
        let bad = app
            .gql_as(
                &manager,
                &format!("mutation($s: ID!) {{ setOpeningHours(siteId: $s, hours: [{hours}]) {{ opens }} }}"),
                json!({ "s": site }),
            )
            .await;
        assert_eq!(bad.error_code(), "VALIDATION", "{hours}");
        assert_eq!(bad.first_error()["extensions"]["field"], field, "{hours}");
    }
    // The refused schedules left the saved one alone.
    assert_eq!(app.count_rows("opening_hours").await, 3);
    let reopened = app
        .gql_as(
            &manager,
            "mutation($s: ID!) { reopenDate(siteId: $s, date: \"2027-05-01\") }",
            json!({ "s": site }),
        )
        .await;
    assert_eq!(reopened.data()["reopenDate"], true);
}

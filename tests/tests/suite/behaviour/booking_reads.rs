//! What the front desk and the public read: a week of bookings at a constant number of SQL
//! statements, and free slots within opening hours (the calendar feed is in `http`).

use lieu_api::domain::Role;
use lieu_tests::serde_json::json;
use lieu_tests::{TestApp, fixtures, spawn_schema};

const WEEK: &str = "query($f: BookingFilter) { bookings(filter: $f, first: 500) { totalCount edges { node { id title start end status tier price paid space { name kind capacity rates { tier hourly } parent { name } children { name } site { name timezone openingHours { weekday opens } } } booker { __typename ... on Person { firstName lastName } ... on Organization { name resident } } } } } }";

/// Books `n` one-hour slots in the week of 11 January 2027 over ten spaces, alternating
/// people and organizations as bookers.
async fn fill_week(app: &TestApp, token: &str, n: usize) -> String {
    let hall = app
        .create_space(
            token,
            "Grande salle",
            json!({"rates": [{"tier": "PUBLIC", "hourly": "30"}]}),
        )
        .await;
    let mut spaces = vec![hall.clone()];
    for i in 0..9 {
        let extra = if i < 2 {
            json!({"parentId": hall})
        } else {
            json!({})
        };
        spaces.push(app.create_space(token, &format!("Salle {i}"), extra).await);
    }
    let mut people = Vec::new();
    let mut orgs = Vec::new();
    for i in 0..20 {
        people.push(fixtures::person(&app.db, &format!("Prénom{i}"), &format!("Nom{i}")).await);
        orgs.push(fixtures::organization(&app.db, &format!("Asso {i}"), i % 3 == 0).await);
    }
    for i in 0..n {
        // Spaces 3..9 take most of the load; each slot is a distinct hour of the week.
        let space = &spaces[3 + i % 7];
        let hour = i / 7;
        let (day, h) = (11 + hour / 10, 8 + hour % 10);
        let mut input = json!({
            "spaceId": space,
            "start": format!("2027-01-{day}T{h:02}:00:00Z"),
            "end": format!("2027-01-{day}T{h:02}:50:00Z"),
            "title": format!("Réservation {i}"),
        });
        if i % 2 == 0 {
            input["personId"] = json!(people[i % people.len()]);
        } else {
            input["organizationId"] = json!(orgs[i % orgs.len()]);
        }
        app.book(token, input).await.data();
    }
    hall
}

#[tokio::test]
async fn a_week_of_bookings_costs_a_constant_number_of_statements() {
    let small = spawn_schema().await;
    let manager = small.token_for(Role::Manager).await;
    fill_week(&small, &manager, 10).await;
    let (response, few) = small.gql_counting(Some(&manager), WEEK, json!({})).await;
    assert_eq!(response.data()["bookings"]["totalCount"], 10);

    let big = spawn_schema().await;
    let manager = big.token_for(Role::Manager).await;
    fill_week(&big, &manager, 200).await;
    let (response, many) = big.gql_counting(Some(&manager), WEEK, json!({})).await;
    let data = response.data();
    assert_eq!(data["bookings"]["totalCount"], 200);
    let people = data["bookings"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["node"]["booker"]["__typename"] == "Person")
        .count();
    assert_eq!(
        people, 100,
        "half the bookers are people, half organizations"
    );
    assert_eq!(
        few, many,
        "10 bookings cost {few} statements, 200 cost {many}: a relation is loaded per row"
    );
    // One for the session, one count, one page, and one per relation (space, rates, parent,
    // children, site, opening hours, person, organization).
    assert!(many <= 12, "{many} statements");

    // The grid does not ask for totalCount: no COUNT(*) runs, and whether a next page exists
    // is still known (one row more is read).
    let grid = WEEK.replace("totalCount ", "pageInfo { hasNextPage } ");
    let (response, without_count) = big.gql_counting(Some(&manager), &grid, json!({})).await;
    let data = response.data();
    assert_eq!(data["bookings"]["edges"].as_array().unwrap().len(), 200);
    assert_eq!(data["bookings"]["pageInfo"]["hasNextPage"], false);
    assert_eq!(
        without_count,
        many - 1,
        "without totalCount the count statement must not run"
    );
    let page = grid.replace("first: 500", "first: 150");
    let response = big.gql_as(&manager, &page, json!({})).await;
    let data = response.data();
    assert_eq!(data["bookings"]["edges"].as_array().unwrap().len(), 150);
    assert_eq!(data["bookings"]["pageInfo"]["hasNextPage"], true);
}

#[tokio::test]
async fn availability_is_within_opening_hours_and_around_bookings() {
    let app = spawn_schema().await;
    let manager = app.token_for(Role::Manager).await;
    let site = app.gql("{ sites { id } }", json!({})).await.data()["sites"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.gql_as(
        &manager,
        "mutation($s: ID!) { setOpeningHours(siteId: $s, hours: [
            {weekday: TUESDAY, opens: \"09:00\", closes: \"12:00\"},
            {weekday: TUESDAY, opens: \"14:00\", closes: \"18:00\"},
            {weekday: WEDNESDAY, opens: \"09:00\", closes: \"18:00\"}]) { opens } }",
        json!({ "s": site }),
    )
    .await
    .data();
    app.gql_as(
        &manager,
        "mutation($s: ID!) { closeDate(siteId: $s, date: \"2027-01-13\") { date } }",
        json!({ "s": site }),
    )
    .await
    .data();
    let hall = app
        .create_space(&manager, "Grande salle", json!({"bufferMinutes": 15}))
        .await;
    let half = app
        .create_space(&manager, "Demi-salle", json!({"parentId": hall}))
        .await;
    // Paris is UTC+1 in January: 10:00-11:00 local in the half.
    app.book(
        &manager,
        json!({"spaceId": half, "start": "2027-01-12T09:00:00Z", "end": "2027-01-12T10:00:00Z", "title": "Secret meeting"}),
    )
    .await
    .data();
    let query = "query($s: ID!, $from: DateTime!, $to: DateTime!) { availability(spaceId: $s, from: $from, to: $to) { start end } }";
    // Tuesday 12 and Wednesday 13 (closed) January, as anonymous.
    let window = json!({"from": "2027-01-11T23:00:00Z", "to": "2027-01-13T23:00:00Z"});
    let mut vars = window.clone();
    vars["s"] = json!(hall);
    let free = app.gql(query, vars).await;
    assert_eq!(
        free.data()["availability"],
        json!([
            // 09:00-09:45 local: the hall's own 15 minutes before the half's booking.
            {"start": "2027-01-12T09:00:00+01:00", "end": "2027-01-12T09:45:00+01:00"},
            // From 11:00 local: the half's booking has no clean-up time of its own.
            {"start": "2027-01-12T11:00:00+01:00", "end": "2027-01-12T12:00:00+01:00"},
            {"start": "2027-01-12T14:00:00+01:00", "end": "2027-01-12T18:00:00+01:00"}
        ])
    );
    assert!(!free.body.to_string().contains("Secret"));
    // Bad windows.
    let mut backwards =
        json!({"s": hall, "from": "2027-01-13T00:00:00Z", "to": "2027-01-12T00:00:00Z"});
    assert_eq!(
        app.gql(query, backwards.clone()).await.error_code(),
        "VALIDATION"
    );
    backwards["to"] = json!("2027-06-01T00:00:00Z");
    assert_eq!(app.gql(query, backwards).await.error_code(), "VALIDATION");
    let unknown = json!({"s": uuid::Uuid::new_v4(), "from": "2027-01-12T00:00:00Z", "to": "2027-01-13T00:00:00Z"});
    assert_eq!(app.gql(query, unknown).await.error_code(), "NOT_FOUND");
}

/// Pages of bookings follow the row, not its rank: walking them returns every booking once
/// (ties on the start are broken by id), and a booking added before the page a client holds
/// does not shift the next page (an offset cursor would repeat a row).
#[tokio::test]
async fn booking_pages_follow_the_row_not_its_rank() {
    let app = spawn_schema().await;
    let manager = app.token_for(Role::Manager).await;
    let mut spaces = Vec::new();
    for i in 0..3 {
        spaces.push(
            app.create_space(&manager, &format!("Box {i}"), json!({}))
                .await,
        );
    }
    // Three bookings at each of four starts: ties at every start.
    for day in 11..15 {
        for space in &spaces {
            app.book(
                &manager,
                json!({
                    "spaceId": space,
                    "start": format!("2027-01-{day}T09:00:00Z"),
                    "end": format!("2027-01-{day}T10:00:00Z"),
                    "title": "Permanence",
                }),
            )
            .await
            .data();
        }
    }
    const PAGE: &str = "query($after: String) { bookings(first: 5, after: $after) { pageInfo { hasPreviousPage hasNextPage endCursor } edges { node { id } } } }";
    let ids = |response: &lieu_tests::GqlResponse| -> Vec<String> {
        response.data()["bookings"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"]["id"].as_str().unwrap().to_string())
            .collect()
    };
    let all = app
        .gql_as(&manager, &PAGE.replace("first: 5", "first: 100"), json!({}))
        .await;
    let all = ids(&all);
    assert_eq!(all.len(), 12);

    let mut walked = Vec::new();
    let mut after = json!(null);
    let mut pages = 0;
    loop {
        let page = app.gql_as(&manager, PAGE, json!({ "after": after })).await;
        walked.extend(ids(&page));
        let info = &page.data()["bookings"]["pageInfo"];
        assert_eq!(info["hasPreviousPage"], pages > 0);
        pages += 1;
        if info["hasNextPage"] == false {
            break;
        }
        after = info["endCursor"].clone();
    }
    assert_eq!(pages, 3);
    assert_eq!(walked, all, "every booking once, in order");

    // Hold the first page's cursor, then book earlier than everything.
    let first = app.gql_as(&manager, PAGE, json!({})).await;
    let cursor = first.data()["bookings"]["pageInfo"]["endCursor"].clone();
    app.book(
        &manager,
        json!({"spaceId": spaces[0], "start": "2027-01-04T09:00:00Z", "end": "2027-01-04T10:00:00Z", "title": "Avant"}),
    )
    .await
    .data();
    let second = app.gql_as(&manager, PAGE, json!({ "after": cursor })).await;
    assert_eq!(ids(&second), all[5..10].to_vec());

    let bad = app
        .gql_as(&manager, PAGE, json!({ "after": "bm90IGEgY3Vyc29y" }))
        .await;
    assert_eq!(bad.error_code(), "VALIDATION");
}

//! The two reports over the fixture year of `report_fixtures`, whose every figure is computed
//! by hand in the tables below, and their cost in statements.

use chrono::{Datelike, Duration, NaiveDate};
use lieu_api::domain::Role;
use lieu_tests::serde_json::{Value, json};

use super::people_fixtures::today;
use super::report_fixtures::{RECORD, day, fixture_year, id};

const HYBRID: &str =
    "query($f: Date!, $t: Date!, $s: ID) { hybridModelReport(from: $f, to: $t, siteId: $s) {
    from to earnedRevenue privateFunding publicFunding monetaryResources selfFinancingRatio
    volunteerHours volunteerValuation totalWithVolunteering inKindValuation
    byStream { stream amount } byFunderKind { kind amount }
    byMonth { month earnedRevenue privateFunding publicFunding volunteerHours }
    objectives { metric target actual } } }";
const IMPACT: &str = "query($f: Date!, $t: Date!, $s: ID) { impactReport(from: $f, to: $t, siteId: $s) {
    eventsHeld registrations attendees uniqueParticipants firstTimeParticipants returningParticipants
    byAgeBand { band participants } byTerritory { territory participants }
    bookings bookedHours occupancy { space { name } bookedHours openHours share }
    activeMembers newMembers volunteers volunteerHours objectives { metric target actual } } }";

#[tokio::test]
async fn the_fixture_year_in_figures_to_the_cent() {
    let app = lieu_tests::spawn_schema().await;
    let f = Box::pin(fixture_year(&app)).await;
    let y = f.year;
    let period = json!({"f": day(y, 1, 1), "t": day(y, 12, 31)});

    let r = app.gql_as(&f.manager, HYBRID, period.clone()).await;
    let h = &r.data()["hybridModelReport"];
    // Earned: café 120.50 + 79.50, coworking 12000, services 200, the booking 40 (2 h at
    // 20), Bilal's two seats at 8, Anna's membership 20.
    let expected = json!({
        "from": day(y, 1, 1), "to": day(y, 12, 31),
        "earnedRevenue": "12476.00",
        // Donation 50 + sponsorship 1000 + the foundation 5000.
        "privateFunding": "6050.00",
        // Région 22500 + 13500, FSE+ 6000 (the Région's 9000 of next February aside).
        "publicFunding": "42000.00",
        "monetaryResources": "60526.00",
        // 3.5 + 3.5 + 2.25 + 2.25 + 1.
        "volunteerHours": "12.50",
        // Each entry rounded: 40.78 + 40.78 + 26.21 (at 11.65) + 26.73 + 11.88 (at 11.88);
        // rounding the sum instead would give 146.37.
        "volunteerValuation": "146.38",
        "totalWithVolunteering": "60672.38",
        // The free loan: 3 h at the PUBLIC 20.
        "inKindValuation": "60.00",
        "byStream": [
            {"stream": "SPACE_RENTAL", "amount": "40.00"},
            {"stream": "COWORKING", "amount": "12000.00"},
            {"stream": "MEMBERSHIP", "amount": "20.00"},
            {"stream": "EVENT_TICKETS", "amount": "16.00"},
            {"stream": "CAFE_BAR", "amount": "200.00"},
            {"stream": "SERVICES", "amount": "200.00"},
            {"stream": "DONATION", "amount": "50.00"},
            {"stream": "SPONSORSHIP", "amount": "1000.00"},
        ],
        "byFunderKind": [
            {"kind": "REGION", "amount": "36000.00"},
            {"kind": "EU", "amount": "6000.00"},
            {"kind": "FOUNDATION", "amount": "5000.00"},
        ],
        "objectives": [
            {"metric": "VOLUNTEER_HOURS", "target": "3000", "actual": "12.50"},
            // 12476 / 60526 = 0.20612…
            {"metric": "SELF_FINANCING_RATIO", "target": "0.35", "actual": "0.2061"},
        ],
    });
    let months = [
        // month, earned, private, public, hours
        (1, "120.50", "0.00", "0.00", "0.00"),
        (2, "0.00", "50.00", "22500.00", "0.00"),
        (3, "12079.50", "0.00", "0.00", "7.00"),
        (4, "0.00", "0.00", "0.00", "0.00"),
        (5, "0.00", "0.00", "0.00", "0.00"),
        (6, "76.00", "1000.00", "0.00", "0.00"),
        (7, "0.00", "0.00", "6000.00", "0.00"),
        (8, "0.00", "0.00", "0.00", "0.00"),
        (9, "0.00", "5000.00", "0.00", "0.00"),
        (10, "0.00", "0.00", "0.00", "2.25"),
        (11, "0.00", "0.00", "13500.00", "2.25"),
        (12, "200.00", "0.00", "0.00", "1.00"),
    ];
    let by_month: Vec<Value> = months
        .iter()
        .map(|(m, earned, private, public, hours)| {
            json!({"month": format!("{y}-{m:02}"), "earnedRevenue": earned, "privateFunding": private, "publicFunding": public, "volunteerHours": hours})
        })
        .collect();
    for (key, value) in expected.as_object().unwrap() {
        assert_eq!(&h[key], value, "hybridModelReport.{key}");
    }
    assert_eq!(h["byMonth"], json!(by_month));
    let ratio = h["selfFinancingRatio"].as_f64().unwrap();
    assert!((ratio - 12476.0 / 60526.0).abs() < 1e-12, "{ratio}");

    let r = app.gql_as(&f.manager, IMPACT, period.clone()).await;
    let i = &r.data()["impactReport"];
    let days_in_year = NaiveDate::from_ymd_opt(y, 12, 31).unwrap().ordinal();
    let expected = json!({
        // The repair café and the concert (the picnic was cancelled).
        "eventsHeld": 2,
        // Repair café: Anna 1 + Bilal 2 + Zoé 1; concert: Anna, Chloé, Zoé.
        "registrations": 7,
        // Anna and Bilal's two at the repair café, Chloé at the concert.
        "attendees": 4,
        // Anna, Bilal, Chloé, Zoé (one email in two cases).
        "uniqueParticipants": 4,
        // Anna came to the New Year's Eve vigil before the year.
        "firstTimeParticipants": 3,
        "returningParticipants": 1,
        "byAgeBand": [
            {"band": "UNDER_18", "participants": 1},
            {"band": "FROM_18_TO_25", "participants": 0},
            {"band": "FROM_26_TO_40", "participants": 1},
            {"band": "FROM_41_TO_60", "participants": 0},
            {"band": "FROM_61_TO_75", "participants": 1},
            {"band": "OVER_75", "participants": 0},
            {"band": "UNKNOWN", "participants": 1},
        ],
        "byTerritory": [
            {"territory": "COMMUNE", "participants": 1},
            {"territory": "DEPARTEMENT", "participants": 1},
            {"territory": "ELSEWHERE", "participants": 1},
            {"territory": "UNKNOWN", "participants": 1},
        ],
        // The paid booking (2 h) and the free loan (3 h); the cancelled one aside.
        "bookings": 2,
        "bookedHours": "5.00",
        // Anna (joined in June) and Bilal (since last June); Anna is new.
        "activeMembers": 2,
        "newMembers": 1,
        "volunteers": 2,
        "volunteerHours": "12.50",
        "objectives": [
            {"metric": "UNIQUE_PARTICIPANTS", "target": "2000", "actual": "4"},
            {"metric": "VOLUNTEER_HOURS", "target": "3000", "actual": "12.50"},
            // Anna (commune) and Bilal (département) of four.
            {"metric": "SHARE_FROM_DEPARTEMENT", "target": "0.4", "actual": "0.5"},
        ],
    });
    for (key, value) in expected.as_object().unwrap() {
        assert_eq!(&i[key], value, "impactReport.{key}");
    }
    // The site keeps no opening hours: open all day, every day of the year.
    let open = format!("{}.00", days_in_year * 24);
    assert_eq!(
        i["occupancy"],
        json!([{"space": {"name": "Salle Commune"}, "bookedHours": "5.00", "openHours": open,
            "share": 5.0 / f64::from(days_in_year * 24)}])
    );

    // The year's objectives against the whole year, in API.md's order.
    let r = app
        .gql_as(
            &f.manager,
            "query($y: Int!) { impactObjectives(year: $y) { year metric target actual } }",
            json!({"y": y}),
        )
        .await;
    assert_eq!(
        r.data()["impactObjectives"],
        json!([
            {"year": y, "metric": "UNIQUE_PARTICIPANTS", "target": "2000", "actual": "4"},
            {"year": y, "metric": "VOLUNTEER_HOURS", "target": "3000", "actual": "12.50"},
            {"year": y, "metric": "SELF_FINANCING_RATIO", "target": "0.35", "actual": "0.2061"},
            {"year": y, "metric": "SHARE_FROM_DEPARTEMENT", "target": "0.4", "actual": "0.5"},
        ])
    );

    // Volunteer totals per person, activity and month agree with the report.
    let r = app
        .gql_as(&f.manager, "query($f: Date!, $t: Date!) { volunteerTotals(from: $f, to: $t) { hours valuation byPerson { person { firstName } hours entries } byActivity { activity hours } byMonth { month hours valuation } } }", period.clone())
        .await;
    let t = &r.data()["volunteerTotals"];
    assert_eq!(
        (t["hours"].clone(), t["valuation"].clone()),
        (json!("12.50"), json!("146.38"))
    );
    assert_eq!(
        t["byPerson"],
        json!([{"person": {"firstName": "Victor"}, "hours": "8.00", "entries": 3}, {"person": {"firstName": "Vera"}, "hours": "4.50", "entries": 2}])
    );
    assert_eq!(
        t["byActivity"],
        json!([{"activity": "FRONT_DESK", "hours": "3.50"}, {"activity": "EVENTS", "hours": "4.50"}, {"activity": "GARDEN", "hours": "3.50"}, {"activity": "CAFE", "hours": "1.00"}])
    );
    assert_eq!(
        t["byMonth"][2],
        json!({"month": format!("{y}-03"), "hours": "7.00", "valuation": "81.56"})
    );
    assert_eq!(
        t["byMonth"][10],
        json!({"month": format!("{y}-11"), "hours": "2.25", "valuation": "26.73"})
    );

    // One site: what is attributed to another site is left out of it, and the whole venue
    // counts it.
    let admin = app.token_for(Role::Admin).await;
    let r = app
        .gql_as(
            &admin,
            "mutation { createSite(input: {name: \"Le Jardin\", postalCode: \"44000\"}) { id } }",
            json!({}),
        )
        .await;
    let garden = id(&r, "createSite");
    let r = app
        .gql_as(&f.manager, RECORD, json!({"i": {"stream": "CAFE_BAR", "amount": "500", "receivedOn": day(y, 7, 14), "description": "Buvette du 14 juillet", "siteId": garden}}))
        .await;
    id(&r, "recordRevenue");
    let earned = |site: Option<&str>| {
        let vars = json!({"f": day(y, 1, 1), "t": day(y, 12, 31), "s": site});
        let (app, manager) = (&app, &f.manager);
        async move {
            let r = app.gql_as(manager, HYBRID, vars).await;
            r.data()["hybridModelReport"]["earnedRevenue"].clone()
        }
    };
    assert_eq!(earned(Some(&garden)).await, "500.00");
    assert_eq!(earned(None).await, "12976.00");
}

/// The statements of each report, of the grants list and of the volunteer entries do not grow
/// with the rows they read (a synthetic year of 10, then 1,000 of each).
#[tokio::test]
async fn each_report_costs_the_same_statements_at_10_and_at_1000_rows() {
    const GRANTS: &str = "{ grants { title funder { name kind } payments { amount } receivedTotal outstanding deadlines { dueOn overdue } history { to changedBy } } }";
    // Two documents: in one, whether the totals' people are already in the loader depends on
    // which root field resolves first.
    const ENTRIES: &str = "query($f: Date!, $t: Date!) { volunteerEntries(from: $f, to: $t) { person { firstName } hours valuation } }";
    const TOTALS: &str = "query($f: Date!, $t: Date!) { volunteerTotals(from: $f, to: $t) { hours byPerson { person { lastName } hours } byMonth { valuation } } }";
    let mut counts = Vec::new();
    for n in [10usize, 1000] {
        let app = lieu_tests::spawn_schema().await;
        let manager = app.token_for(Role::Manager).await;
        for k in 0..20 {
            lieu_tests::fixtures::person(&app.db, "Synthétique", &format!("N{k}")).await;
        }
        lieu_api::demo::money::seed_activity(&app.db, app.clock.now(), n)
            .await
            .expect("synthetic year");
        let t = today(&app).await;
        let vars = json!({"f": (t - Duration::days(366)).to_string(), "t": t.to_string()});
        let mut these = Vec::new();
        for (query, variables) in [
            (HYBRID, vars.clone()),
            (IMPACT, vars.clone()),
            (GRANTS, json!({})),
            (ENTRIES, vars.clone()),
            (TOTALS, vars.clone()),
        ] {
            let (r, statements) = app.gql_counting(Some(&manager), query, variables).await;
            assert!(r.body.get("errors").is_none(), "{}", r.body);
            these.push(statements);
            if query == IMPACT {
                let seats = r.data()["impactReport"]["registrations"].as_i64().unwrap();
                assert!(
                    seats >= n as i64,
                    "the report reads every registration: {seats}"
                );
            }
            if query == ENTRIES {
                let entries = r.data()["volunteerEntries"].as_array().unwrap().len();
                assert_eq!(entries, n);
            }
        }
        println!("{n} rows: hybrid, impact, grants, entries, totals = {these:?} statements");
        counts.push(these);
    }
    assert_eq!(counts[0], counts[1], "statements at 10 and at 1,000 rows");
}

//! The two reports over a fixture year whose every figure is computed by hand in the tables
//! below: revenues of every kind (by hand, a paid booking, a paid ticket, a membership),
//! grants in tranches from public and private funders, volunteer hours across a rate change,
//! a free loan, events with their participants, and the objectives beside them.
//!
//! The year is next year (so that its events still take registrations today); the clock then
//! moves into it to pay, and past its end to log the hours given.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use lieu_api::domain::Role;
use lieu_tests::TestApp;
use lieu_tests::serde_json::{Value, json};

use super::event_fixtures::create;
use super::people_fixtures::{person, plan, today};

const RECORD: &str = "mutation($i: RecordRevenueInput!) { recordRevenue(input: $i) { id } }";
const CREATE_GRANT: &str =
    "mutation($i: CreateGrantInput!) { createGrant(input: $i) { id status } }";
const STATUS: &str = "mutation($id: ID!, $s: GrantStatus!, $a: Decimal) { setGrantStatus(id: $id, status: $s, amountAwarded: $a) { id status amountAwarded } }";
const PAY: &str = "mutation($g: ID!, $a: Decimal!, $d: Date!) { recordGrantPayment(grantId: $g, amount: $a, receivedOn: $d) { id } }";
const LOG: &str =
    "mutation($i: LogVolunteerHoursInput!) { logVolunteerHours(input: $i) { id valuation } }";
const REGISTER: &str = "mutation($i: RegisterInput!) { register(input: $i) { id status } }";

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

/// `data[field][key]` as a string id.
fn id(response: &lieu_tests::GqlResponse, field: &str) -> String {
    response.data()[field]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{field}: {}", response.body))
        .to_string()
}

/// Moves the server's clock to `instant` (forward only).
fn move_clock_to(app: &TestApp, instant: DateTime<Utc>) {
    let now = app.clock.now();
    assert!(instant > now, "the clock only moves forward");
    app.clock.advance(instant - now + Duration::seconds(1));
}

fn day(y: i32, m: u32, d: u32) -> String {
    NaiveDate::from_ymd_opt(y, m, d).unwrap().to_string()
}

/// Everything the fixture year holds, written through the API.
struct Fixture {
    year: i32,
    manager: String,
}

async fn record(app: &TestApp, token: &str, stream: &str, amount: &str, on: &str) -> String {
    let r = app
        .gql_as(
            token,
            RECORD,
            json!({"i": {"stream": stream, "amount": amount, "receivedOn": on, "description": format!("{stream} {on}")}}),
        )
        .await;
    id(&r, "recordRevenue")
}

async fn grant(
    app: &TestApp,
    token: &str,
    funder: (&str, &str),
    title: &str,
    requested: &str,
    year: i32,
) -> String {
    let r = app
        .gql_as(
            token,
            CREATE_GRANT,
            json!({"i": {"funderName": funder.0, "funderKind": funder.1, "title": title,
                "amountRequested": requested, "periodStart": day(year, 1, 1), "periodEnd": day(year, 12, 31)}}),
        )
        .await;
    id(&r, "createGrant")
}

async fn set_status(app: &TestApp, token: &str, grant: &str, status: &str, awarded: Option<&str>) {
    let r = app
        .gql_as(
            token,
            STATUS,
            json!({"id": grant, "s": status, "a": awarded}),
        )
        .await;
    assert_eq!(r.data()["setGrantStatus"]["status"], status, "{}", r.body);
}

async fn pay(app: &TestApp, token: &str, grant: &str, amount: &str, on: &str) {
    let r = app
        .gql_as(token, PAY, json!({"g": grant, "a": amount, "d": on}))
        .await;
    id(&r, "recordGrantPayment");
}

async fn register(app: &TestApp, token: &str, input: Value) -> String {
    let r = app.gql_as(token, REGISTER, json!({"i": input})).await;
    assert_eq!(r.data()["register"]["status"], "CONFIRMED", "{}", r.body);
    id(&r, "register")
}

async fn check_in(app: &TestApp, token: &str, registration: &str) {
    let r = app
        .gql_as(
            token,
            "mutation($id: ID!) { checkIn(registrationId: $id) { checkedInAt } }",
            json!({"id": registration}),
        )
        .await;
    assert!(r.body.get("errors").is_none(), "{}", r.body);
}

async fn log(app: &TestApp, token: &str, person: &str, on: &str, hours: &str, activity: &str) {
    let r = app
        .gql_as(
            token,
            LOG,
            json!({"i": {"personId": person, "date": on, "hours": hours, "activity": activity}}),
        )
        .await;
    id(&r, "logVolunteerHours");
}

fn event_at(title: &str, start: String, end: String, extra: Value) -> Value {
    super::event_fixtures::event(title, &start, &end, &[], extra)
}

/// The fixture year, written as the venue would over it.
async fn fixture_year(app: &TestApp) -> Fixture {
    let y = today(app).await.year() + 1;
    let admin = app.token_for(Role::Admin).await;
    let manager = app.token_for(Role::Manager).await;
    let sites = app.gql_as(&admin, "{ sites { id } }", json!({})).await;
    let site = sites.data()["sites"][0]["id"].as_str().unwrap().to_string();
    let r = app
        .gql_as(
            &admin,
            "mutation($id: ID!) { updateSite(id: $id, input: {postalCode: \"44200\"}) { postalCode } }",
            json!({"id": site}),
        )
        .await;
    assert_eq!(r.data()["updateSite"]["postalCode"], "44200", "{}", r.body);

    Box::pin(money(app, &manager, y)).await;
    Box::pin(activity(app, &manager, y)).await;
    // After the year: the hours are logged, valued at 11.65 then 11.88 from 1 November.
    move_clock_to(
        app,
        format!("{}T10:00:00Z", day(y + 1, 1, 10)).parse().unwrap(),
    );
    let manager = Box::pin(hours(app, y)).await;
    Fixture { year: y, manager }
}

/// Revenues by hand (two just outside the year) and grants.
async fn money(app: &TestApp, manager: &str, y: i32) {
    let manager = manager.to_string();
    record(app, &manager, "CAFE_BAR", "120.50", &day(y, 1, 15)).await;
    record(app, &manager, "CAFE_BAR", "79.50", &day(y, 3, 10)).await;
    record(app, &manager, "COWORKING", "12000", &day(y, 3, 20)).await;
    record(app, &manager, "DONATION", "50", &day(y, 2, 1)).await;
    record(app, &manager, "SPONSORSHIP", "1000.00", &day(y, 6, 30)).await;
    record(app, &manager, "SERVICES", "200", &day(y, 12, 31)).await;
    record(app, &manager, "CAFE_BAR", "999", &day(y + 1, 1, 1)).await;
    record(app, &manager, "CAFE_BAR", "999", &day(y - 1, 12, 31)).await;

    // Grants: a Région grant in tranches (one after the year), FSE+, a foundation, a refusal.
    let region = grant(
        app,
        &manager,
        ("Région Pays de la Loire", "REGION"),
        "Fabrique de territoire",
        "50000",
        y,
    )
    .await;
    set_status(app, &manager, &region, "SUBMITTED", None).await;
    set_status(app, &manager, &region, "AWARDED", Some("45000")).await;
    pay(app, &manager, &region, "22500", &day(y, 2, 15)).await;
    pay(app, &manager, &region, "13500", &day(y, 11, 30)).await;
    pay(app, &manager, &region, "9000", &day(y + 1, 2, 1)).await;
    let fse = grant(
        app,
        &manager,
        ("Fonds social européen", "EU"),
        "FSE+ inclusion numérique",
        "12000",
        y,
    )
    .await;
    set_status(app, &manager, &fse, "AWARDED", Some("12000")).await;
    pay(app, &manager, &fse, "6000", &day(y, 7, 1)).await;
    let foundation = grant(
        app,
        &manager,
        ("Fondation de France", "FOUNDATION"),
        "Jardin partagé",
        "5000",
        y,
    )
    .await;
    set_status(app, &manager, &foundation, "AWARDED", Some("5000")).await;
    pay(app, &manager, &foundation, "5000", &day(y, 9, 15)).await;
    let refused = grant(
        app,
        &manager,
        ("Ville de Rezé", "MUNICIPALITY"),
        "Fête de quartier",
        "3000",
        y,
    )
    .await;
    set_status(app, &manager, &refused, "SUBMITTED", None).await;
    set_status(app, &manager, &refused, "REJECTED", None).await;
}

/// Bookings, events and their participants, memberships; mid-June, the payments.
async fn activity(app: &TestApp, manager: &str, y: i32) {
    let manager = manager.to_string();

    // A room at 20 EUR an hour: a booking paid later, a free loan, a cancelled booking.
    let salle = app
        .create_space(
            &manager,
            "Salle Commune",
            json!({"rates": [{"tier": "PUBLIC", "hourly": "20"}]}),
        )
        .await;
    let paid = app
        .book(&manager, json!({"spaceId": salle, "title": "Réunion", "start": format!("{}T10:00:00+02:00", day(y, 4, 10)), "end": format!("{}T12:00:00+02:00", day(y, 4, 10))}))
        .await;
    let paid = id(&paid, "createBooking");
    let loan = app
        .book(&manager, json!({"spaceId": salle, "title": "AG de l'association", "freeLoan": true, "start": format!("{}T14:00:00+02:00", day(y, 5, 5)), "end": format!("{}T17:00:00+02:00", day(y, 5, 5))}))
        .await;
    assert_eq!(
        loan.data()["createBooking"]["price"],
        "0.00",
        "{}",
        loan.body
    );
    let cancelled = app
        .book(&manager, json!({"spaceId": salle, "title": "Annulée", "start": format!("{}T10:00:00+02:00", day(y, 6, 1)), "end": format!("{}T18:00:00+02:00", day(y, 6, 1))}))
        .await;
    let cancelled = id(&cancelled, "createBooking");
    let r = app
        .gql_as(
            &manager,
            "mutation($id: ID!) { cancelBooking(id: $id) { status } }",
            json!({"id": cancelled}),
        )
        .await;
    assert_eq!(
        r.data()["cancelBooking"]["status"],
        "CANCELLED",
        "{}",
        r.body
    );

    // The public: three people, and Zoé who registers by email (twice, in two cases).
    let a = person(app, &manager, json!({"firstName": "Anna", "lastName": "Commune", "birthYear": y - 30, "postalCode": "44200"})).await;
    let b = person(app, &manager, json!({"firstName": "Bilal", "lastName": "Departement", "birthYear": y - 17, "postalCode": "44000"})).await;
    let c = person(app, &manager, json!({"firstName": "Chloé", "lastName": "Ailleurs", "birthYear": y - 70, "postalCode": "75011"})).await;
    let before = create(
        app,
        &manager,
        event_at(
            "Veillée",
            format!("{}T20:00:00+01:00", day(y - 1, 12, 31)),
            format!("{}T22:00:00+01:00", day(y - 1, 12, 31)),
            json!({"capacity": 30}),
        ),
    )
    .await;
    let repair = create(
        app,
        &manager,
        event_at(
            "Repair café",
            format!("{}T14:00:00+01:00", day(y, 3, 14)),
            format!("{}T17:00:00+01:00", day(y, 3, 14)),
            json!({"capacity": 10, "price": "8"}),
        ),
    )
    .await;
    let concert = create(
        app,
        &manager,
        event_at(
            "Concert",
            format!("{}T20:00:00+02:00", day(y, 9, 20)),
            format!("{}T22:00:00+02:00", day(y, 9, 20)),
            json!({"capacity": 50, "public": true}),
        ),
    )
    .await;
    let rained = create(
        app,
        &manager,
        event_at(
            "Pique-nique",
            format!("{}T12:00:00+02:00", day(y, 5, 1)),
            format!("{}T14:00:00+02:00", day(y, 5, 1)),
            json!({"capacity": 50}),
        ),
    )
    .await;
    let after = create(
        app,
        &manager,
        event_at(
            "Vœux",
            format!("{}T18:00:00+01:00", day(y + 1, 1, 5)),
            format!("{}T20:00:00+01:00", day(y + 1, 1, 5)),
            json!({"capacity": 50}),
        ),
    )
    .await;

    register(app, &manager, json!({"eventId": before, "personId": a})).await;
    let a1 = register(app, &manager, json!({"eventId": repair, "personId": a})).await;
    let b1 = register(
        app,
        &manager,
        json!({"eventId": repair, "personId": b, "seats": 2}),
    )
    .await;
    register(
        app,
        &manager,
        json!({"eventId": repair, "name": "Zoé", "email": "zoe@exemple.fr"}),
    )
    .await;
    register(app, &manager, json!({"eventId": concert, "personId": a})).await;
    let c2 = register(app, &manager, json!({"eventId": concert, "personId": c})).await;
    register(
        app,
        &manager,
        json!({"eventId": concert, "name": "Zoé", "email": "ZOE@Exemple.fr"}),
    )
    .await;
    let b2 = register(app, &manager, json!({"eventId": concert, "personId": b})).await;
    let r = app
        .gql_as(
            &manager,
            "mutation($id: ID!) { cancelRegistration(id: $id) { status } }",
            json!({"id": b2}),
        )
        .await;
    assert_eq!(
        r.data()["cancelRegistration"]["status"],
        "CANCELLED",
        "{}",
        r.body
    );
    register(app, &manager, json!({"eventId": rained, "personId": c})).await;
    let r = app
        .gql_as(
            &manager,
            "mutation($id: ID!) { cancelEvent(id: $id, reason: \"pluie\") { status } }",
            json!({"id": rained}),
        )
        .await;
    assert_eq!(r.data()["cancelEvent"]["status"], "CANCELLED", "{}", r.body);
    register(app, &manager, json!({"eventId": after, "personId": b})).await;
    for registration in [&a1, &b1, &c2] {
        check_in(app, &manager, registration).await;
    }

    // A membership of Bilal's from last year into this one.
    let plan = plan(
        app,
        &manager,
        json!({"name": "Adhésion annuelle", "price": "20"}),
    )
    .await;
    let start = "mutation($i: StartMembershipInput!) { startMembership(input: $i) { id } }";
    let r = app
        .gql_as(&manager, start, json!({"i": {"planId": plan, "personId": b, "startsOn": day(y - 1, 6, 1), "amountPaid": "20"}}))
        .await;
    id(&r, "startMembership");

    // Mid-June of the year: the booking and Bilal's two seats are paid, Anna joins.
    move_clock_to(app, format!("{}T10:00:00Z", day(y, 6, 15)).parse().unwrap());
    let manager = app.token_for(Role::Manager).await;
    let r = app
        .gql_as(
            &manager,
            "mutation($id: ID!) { markBookingPaid(id: $id) { paid } }",
            json!({"id": paid}),
        )
        .await;
    assert_eq!(r.data()["markBookingPaid"]["paid"], true, "{}", r.body);
    let r = app
        .gql_as(
            &manager,
            "mutation($id: ID!) { markRegistrationPaid(id: $id) { paid } }",
            json!({"id": b1}),
        )
        .await;
    assert_eq!(r.data()["markRegistrationPaid"]["paid"], true, "{}", r.body);
    let r = app
        .gql_as(&manager, start, json!({"i": {"planId": plan, "personId": a, "startsOn": day(y, 6, 15), "amountPaid": "20"}}))
        .await;
    id(&r, "startMembership");
}

/// The hours of the year, their rates and the year's objectives; returns a fresh MANAGER.
async fn hours(app: &TestApp, y: i32) -> String {
    let admin = app.token_for(Role::Admin).await;
    let manager = app.token_for(Role::Manager).await;
    let rate = "mutation($d: Date!, $h: Decimal!) { setVolunteerRate(effectiveFrom: $d, hourly: $h) { hourly } }";
    for (from, hourly) in [(day(y - 1, 1, 1), "11.65"), (day(y, 11, 1), "11.88")] {
        let r = app
            .gql_as(&admin, rate, json!({"d": from, "h": hourly}))
            .await;
        assert_eq!(r.data()["setVolunteerRate"]["hourly"], hourly, "{}", r.body);
    }
    let v1 = person(
        app,
        &manager,
        json!({"firstName": "Victor", "lastName": "Bénévole"}),
    )
    .await;
    let v2 = person(
        app,
        &manager,
        json!({"firstName": "Vera", "lastName": "Bénévole"}),
    )
    .await;
    log(app, &manager, &v1, &day(y, 3, 1), "3.5", "FRONT_DESK").await;
    log(app, &manager, &v1, &day(y, 3, 1), "3.5", "GARDEN").await;
    log(app, &manager, &v2, &day(y, 10, 31), "2.25", "EVENTS").await;
    log(app, &manager, &v2, &day(y, 11, 1), "2.25", "EVENTS").await;
    log(app, &manager, &v1, &day(y, 12, 31), "1", "CAFE").await;
    log(app, &manager, &v1, &day(y + 1, 1, 2), "5", "CAFE").await;
    log(app, &manager, &v2, &day(y - 1, 12, 31), "4", "EVENTS").await;

    let objective = "mutation($y: Int!, $m: ImpactMetric!, $t: Decimal!) { setImpactObjective(year: $y, metric: $m, target: $t) { target } }";
    for (metric, target) in [
        ("UNIQUE_PARTICIPANTS", "2000"),
        ("SELF_FINANCING_RATIO", "0.35"),
        ("SHARE_FROM_DEPARTEMENT", "0.4"),
        ("VOLUNTEER_HOURS", "3000"),
    ] {
        let r = app
            .gql_as(
                &manager,
                objective,
                json!({"y": y, "m": metric, "t": target}),
            )
            .await;
        assert_eq!(
            r.data()["setImpactObjective"]["target"],
            target,
            "{}",
            r.body
        );
    }
    manager
}

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

//! The fixture year of the reports tests, written through the API as a venue would live it:
//! revenues of every kind (by hand, a paid booking, a paid ticket, a membership), grants in
//! tranches from public and private funders, volunteer hours across a rate change, a free
//! loan, events with their participants, and the year's objectives.
//!
//! The year is next year (so that its events still take registrations today); the clock then
//! moves into it to pay, and past its end to log the hours given.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use lieu_api::domain::Role;
use lieu_tests::TestApp;
use lieu_tests::serde_json::{Value, json};

use super::event_fixtures::create;
use super::people_fixtures::{person, plan, today};

pub const RECORD: &str = "mutation($i: RecordRevenueInput!) { recordRevenue(input: $i) { id } }";
const CREATE_GRANT: &str =
    "mutation($i: CreateGrantInput!) { createGrant(input: $i) { id status } }";
const STATUS: &str = "mutation($id: ID!, $s: GrantStatus!, $a: Decimal) { setGrantStatus(id: $id, status: $s, amountAwarded: $a) { id status amountAwarded } }";
const PAY: &str = "mutation($g: ID!, $a: Decimal!, $d: Date!) { recordGrantPayment(grantId: $g, amount: $a, receivedOn: $d) { id } }";
const LOG: &str =
    "mutation($i: LogVolunteerHoursInput!) { logVolunteerHours(input: $i) { id valuation } }";
const REGISTER: &str = "mutation($i: RegisterInput!) { register(input: $i) { id status } }";

/// `data[field][key]` as a string id.
pub fn id(response: &lieu_tests::GqlResponse, field: &str) -> String {
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

pub fn day(y: i32, m: u32, d: u32) -> String {
    NaiveDate::from_ymd_opt(y, m, d).unwrap().to_string()
}

/// Everything the fixture year holds, written through the API.
pub struct Fixture {
    pub year: i32,
    pub manager: String,
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
pub async fn fixture_year(app: &TestApp) -> Fixture {
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

//! The money, grants, volunteering and reports rows of the roles table (see `roles`): a
//! volunteer logs and reads hours (their own), the ledger, grants and reports are for
//! managers, valuation rates and staff links for admins.

use lieu_api::domain::Role;
use lieu_tests::TestApp;
use lieu_tests::serde_json::{Value, json};

/// Fresh records for one caller's run, created by an ADMIN; the caller's account is linked
/// to `person`.
pub struct MoneyFixtures {
    user: String,
    person: String,
    revenue: String,
    draft: String,
    awarded: String,
    deadline: String,
    entries: [String; 2],
    /// The venue's today: hours and revenues are dated on it.
    today: String,
}

impl MoneyFixtures {
    /// Placeholders, to read the operations' documents.
    pub fn empty() -> Self {
        Self {
            user: String::new(),
            person: String::new(),
            revenue: String::new(),
            draft: String::new(),
            awarded: String::new(),
            deadline: String::new(),
            entries: Default::default(),
            today: String::new(),
        }
    }
}

fn id(response: &lieu_tests::GqlResponse, field: &str) -> String {
    response.data()[field]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{field}: {}", response.body))
        .to_string()
}

const GRANT: &str = "mutation($i: CreateGrantInput!) { createGrant(input: $i) { id } }";
const LOG: &str = "mutation($i: LogVolunteerHoursInput!) { logVolunteerHours(input: $i) { id } }";

fn grant_input(n: usize, title: &str) -> Value {
    json!({"i": {"funderName": format!("Commune {n}"), "funderKind": "MUNICIPALITY", "title": title,
        "amountRequested": "1000", "periodStart": "2027-01-01", "periodEnd": "2027-12-31"}})
}

pub async fn money_fixtures(
    app: &TestApp,
    admin: &str,
    caller: Option<&str>,
    n: usize,
) -> MoneyFixtures {
    let person = app
        .gql_as(
            admin,
            "mutation($i: CreatePersonInput!) { createPerson(input: $i) { id } }",
            json!({"i": {"firstName": "Bénévole", "lastName": format!("{n}")}}),
        )
        .await;
    let person = id(&person, "createPerson");
    let today = super::people_fixtures::today(app).await.to_string();
    let user = match caller {
        Some(token) => {
            let me = app.gql_as(token, "{ me { id } }", json!({})).await;
            let user = id(&me, "me");
            let link = app
                .gql_as(
                    admin,
                    "mutation($u: ID!, $p: ID!) { linkStaffToPerson(userId: $u, personId: $p) { id } }",
                    json!({"u": user, "p": person}),
                )
                .await;
            id(&link, "linkStaffToPerson");
            user
        }
        None => uuid::Uuid::new_v4().to_string(),
    };
    let revenue = app
        .gql_as(
            admin,
            "mutation($i: RecordRevenueInput!) { recordRevenue(input: $i) { id } }",
            json!({"i": {"stream": "CAFE_BAR", "amount": "10", "receivedOn": today, "description": "Café"}}),
        )
        .await;
    let draft = app.gql_as(admin, GRANT, grant_input(n, "Brouillon")).await;
    let awarded = app.gql_as(admin, GRANT, grant_input(n, "Accordée")).await;
    let awarded = id(&awarded, "createGrant");
    app.gql_as(
        admin,
        "mutation($id: ID!) { setGrantStatus(id: $id, status: AWARDED, amountAwarded: \"1000\") { id } }",
        json!({"id": awarded}),
    )
    .await;
    let deadline = app
        .gql_as(
            admin,
            "mutation($g: ID!) { addReportingDeadline(grantId: $g, label: \"Bilan\", dueOn: \"2027-12-31\") { id } }",
            json!({"g": awarded}),
        )
        .await;
    let mut entries = Vec::new();
    for _ in 0..2 {
        let entry = app
            .gql_as(
                admin,
                LOG,
                json!({"i": {"personId": person, "date": today, "hours": "2", "activity": "GARDEN"}}),
            )
            .await;
        entries.push(id(&entry, "logVolunteerHours"));
    }
    MoneyFixtures {
        user,
        person,
        revenue: id(&revenue, "recordRevenue"),
        draft: id(&draft, "createGrant"),
        awarded,
        deadline: id(&deadline, "addReportingDeadline"),
        entries: entries.try_into().unwrap(),
        today,
    }
}

/// The operations of this area, on `f`'s records.
pub fn money_operations(f: &MoneyFixtures, n: usize) -> Vec<(&'static str, Value, Option<Role>)> {
    let v = Some(Role::Volunteer);
    let m = Some(Role::Manager);
    let a = Some(Role::Admin);
    let year = || json!({"f": f.today, "t": f.today});
    vec![
        // Volunteers log and read their own hours.
        (
            LOG,
            json!({"i": {"personId": f.person, "date": f.today, "hours": "1.5", "activity": "FRONT_DESK"}}),
            v,
        ),
        (
            "query($f: Date!, $t: Date!) { volunteerEntries(from: $f, to: $t) { id valuation } }",
            year(),
            v,
        ),
        (
            "query($f: Date!, $t: Date!) { volunteerTotals(from: $f, to: $t) { hours } }",
            year(),
            v,
        ),
        ("{ volunteerRates { hourly } }", json!({}), v),
        (
            "mutation($id: ID!) { updateVolunteerEntry(id: $id, input: {hours: \"2.5\"}) { hours } }",
            json!({"id": f.entries[0]}),
            v,
        ),
        (
            "mutation($id: ID!) { deleteVolunteerEntry(id: $id) }",
            json!({"id": f.entries[1]}),
            v,
        ),
        // The ledger, grants and reports are for managers.
        (
            "mutation($i: RecordRevenueInput!) { recordRevenue(input: $i) { id } }",
            json!({"i": {"stream": "SALES", "amount": "3", "receivedOn": f.today, "description": "Savon"}}),
            m,
        ),
        (
            "mutation($id: ID!) { reverseRevenue(id: $id, reason: \"erreur\") { id } }",
            json!({"id": f.revenue}),
            m,
        ),
        (
            "query($f: Date!, $t: Date!) { revenues(from: $f, to: $t) { id } }",
            year(),
            m,
        ),
        (
            "query($f: Date!, $t: Date!) { revenueTotals(from: $f, to: $t) { amount } }",
            year(),
            m,
        ),
        (GRANT, grant_input(100 + n, "Nouvelle"), m),
        (
            "mutation($id: ID!) { setGrantStatus(id: $id, status: SUBMITTED) { id } }",
            json!({"id": f.draft}),
            m,
        ),
        (
            "mutation($g: ID!) { recordGrantPayment(grantId: $g, amount: \"100\", receivedOn: \"2027-02-01\") { id } }",
            json!({"g": f.awarded}),
            m,
        ),
        (
            "mutation($g: ID!) { addReportingDeadline(grantId: $g, label: \"Bilan final\", dueOn: \"2028-01-31\") { id } }",
            json!({"g": f.awarded}),
            m,
        ),
        (
            "mutation($id: ID!, $d: Date!) { completeReportingDeadline(id: $id, doneOn: $d) { id } }",
            json!({"id": f.deadline, "d": f.today}),
            m,
        ),
        (
            "{ grants { id payments { id } deadlines { id } } }",
            json!({}),
            m,
        ),
        (
            "query($id: ID!) { grant(id: $id) { id } }",
            json!({"id": f.awarded}),
            m,
        ),
        ("{ upcomingDeadlines(withinDays: 30) { id } }", json!({}), m),
        (
            "query($f: Date!, $t: Date!) { hybridModelReport(from: $f, to: $t) { earnedRevenue } }",
            year(),
            m,
        ),
        (
            "query($f: Date!, $t: Date!) { impactReport(from: $f, to: $t) { eventsHeld } }",
            year(),
            m,
        ),
        ("{ impactObjectives(year: 2026) { actual } }", json!({}), m),
        (
            "mutation { setImpactObjective(year: 2026, metric: EVENTS_HELD, target: \"40\") { target } }",
            json!({}),
            m,
        ),
        // The chart of accounts of the FEC: managers read it, admins edit it.
        ("{ accountMappings { key account label } }", json!({}), m),
        (
            "mutation { setAccountMapping(key: \"STREAM:OTHER\", account: \"708\", label: \"Produits des activités annexes\") { key } }",
            json!({}),
            a,
        ),
        // Rates and links to people are for admins.
        (
            "mutation { setVolunteerRate(effectiveFrom: \"2026-01-01\", hourly: \"11.88\") { hourly } }",
            json!({}),
            a,
        ),
        (
            "mutation($u: ID!, $p: ID!) { linkStaffToPerson(userId: $u, personId: $p) { id } }",
            json!({"u": f.user, "p": f.person}),
            a,
        ),
    ]
}

//! Walks the role guard over every guarded operation of the schema: each role x each
//! operation, against API.md's roles table. Each caller gets resources of its own, so that an
//! allowed operation succeeds for every role allowed to run it.

use lieu_api::domain::Role;
use lieu_tests::schema_fields::selected_root_fields;
use lieu_tests::serde_json::{Value, json};
use lieu_tests::{TestApp, spawn_schema};

use super::roles_events::{event_fixtures, event_operations};
use super::roles_money::{MoneyFixtures, money_fixtures, money_operations};
use super::roles_people::{PeopleFixtures, people_fixtures, people_operations};

/// What one caller's operations work on.
struct Fixture {
    site: String,
    /// A staff account for the account operations to change.
    user: String,
    space: String,
    booking: String,
    series: String,
    /// An API key for `revokeApiKey`.
    api_key: String,
    /// A webhook for `sendTestDelivery` and `deleteWebhook`.
    webhook: String,
    n: usize,
}

async fn fixture(app: &TestApp, admin: &str, site: &str, n: usize) -> Fixture {
    let space = app
        .create_space(
            admin,
            &format!("Salle {n}"),
            json!({"requiresApproval": true, "rates": [{"tier": "PUBLIC", "hourly": "10"}]}),
        )
        .await;
    let booking = app
        .book(
            admin,
            json!({"spaceId": space, "start": "2027-01-12T09:00:00Z", "end": "2027-01-12T10:00:00Z", "title": "Fixture"}),
        )
        .await;
    let series = app
        .gql_as(
            admin,
            "mutation($i: CreateBookingInput!) { createBookingSeries(input: $i, recurrence: {frequency: WEEKLY, count: 2}) { seriesId } }",
            json!({"i": {"spaceId": space, "start": "2027-03-01T09:00:00Z", "end": "2027-03-01T10:00:00Z", "title": "Series"}}),
        )
        .await;
    let user = app
        .gql_as(
            admin,
            "mutation($i: CreateUserInput!) { createUser(input: $i) { id } }",
            json!({"i": {"email": format!("staff{n}@x.org"), "name": "Staff", "role": "VOLUNTEER", "password": "long enough pass"}}),
        )
        .await;
    let key = app
        .gql_as(
            admin,
            "mutation($n: String!) { createApiKey(name: $n, scope: PUBLIC) { apiKey { id } } }",
            json!({"n": format!("Fixture key {n}")}),
        )
        .await;
    let webhook = app
        .gql_as(
            admin,
            "mutation { createWebhook(url: \"https://hooks.example.org/lieu\", kinds: [CHECKED_IN]) { webhook { id } } }",
            json!({}),
        )
        .await;
    Fixture {
        webhook: webhook.data()["createWebhook"]["webhook"]["id"]
            .as_str()
            .unwrap()
            .to_string(),
        api_key: key.data()["createApiKey"]["apiKey"]["id"]
            .as_str()
            .unwrap()
            .to_string(),
        user: user.data()["createUser"]["id"]
            .as_str()
            .unwrap()
            .to_string(),
        series: series.data()["createBookingSeries"][0]["seriesId"]
            .as_str()
            .unwrap()
            .to_string(),
        site: site.to_string(),
        booking: booking.data()["createBooking"]["id"]
            .as_str()
            .unwrap()
            .to_string(),
        space,
        n,
    }
}

/// (operation, variables, least role that may run it; None = public)
fn operations(f: &Fixture) -> Vec<(&'static str, Value, Option<Role>)> {
    let slot = |hour: usize| json!({"spaceId": f.space, "start": format!("2027-02-0{}T{:02}:00:00Z", 1 + f.n, 8 + hour), "end": format!("2027-02-0{}T{:02}:30:00Z", 1 + f.n, 8 + hour), "title": "Role check"});
    vec![
        ("{ sites { id } }", json!({}), None),
        ("{ me { id } }", json!({}), None),
        ("{ spaces { id rates { tier } } }", json!({}), None),
        (
            "query($id: ID!) { space(id: $id) { id } }",
            json!({"id": f.space}),
            None,
        ),
        (
            "query($id: ID!) { availability(spaceId: $id, from: \"2027-01-12T00:00:00Z\", to: \"2027-01-13T00:00:00Z\") { start } }",
            json!({"id": f.space}),
            None,
        ),
        ("{ users { id } }", json!({}), Some(Role::Admin)),
        (
            "{ auditLog(first: 5) { totalCount edges { cursor node { id at actor operation objectType objectId requestId summary } } } }",
            json!({}),
            Some(Role::Manager),
        ),
        (
            "mutation($i: CreateUserInput!) { createUser(input: $i) { id } }",
            json!({"i": {"email": format!("u{}@x.org", uuid::Uuid::new_v4().simple()), "name": "U", "role": "VOLUNTEER", "password": "long enough pass"}}),
            Some(Role::Admin),
        ),
        (
            "mutation($id: ID!) { setUserRole(id: $id, role: MANAGER) { role } }",
            json!({"id": f.user}),
            Some(Role::Admin),
        ),
        (
            "mutation($id: ID!) { deactivateUser(id: $id) { active } }",
            json!({"id": f.user}),
            Some(Role::Admin),
        ),
        (
            "mutation($id: ID!) { reactivateUser(id: $id) { active } }",
            json!({"id": f.user}),
            Some(Role::Admin),
        ),
        // API keys: ADMIN.
        (
            "{ apiKeys { id name scope revoked } }",
            json!({}),
            Some(Role::Admin),
        ),
        (
            "mutation($n: String!) { createApiKey(name: $n, scope: MANAGER) { key apiKey { id } } }",
            json!({"n": format!("Tool {}", uuid::Uuid::new_v4().simple())}),
            Some(Role::Admin),
        ),
        (
            "mutation($id: ID!) { revokeApiKey(id: $id) { revoked } }",
            json!({"id": f.api_key}),
            Some(Role::Admin),
        ),
        // Webhooks: ADMIN (the test delivery before the deletion of the same webhook).
        (
            "{ webhooks { id url kinds active lastError deliveries(first: 5) { id } } }",
            json!({}),
            Some(Role::Admin),
        ),
        (
            "mutation { createWebhook(url: \"https://hooks.example.org/other\", kinds: [BOOKING_CREATED]) { secret webhook { id } } }",
            json!({}),
            Some(Role::Admin),
        ),
        (
            "mutation($id: ID!) { sendTestDelivery(webhookId: $id) { id attempts } }",
            json!({"id": f.webhook}),
            Some(Role::Admin),
        ),
        (
            "mutation($id: ID!) { deleteWebhook(id: $id) }",
            json!({"id": f.webhook}),
            Some(Role::Admin),
        ),
        (
            "mutation { createSite(input: {name: \"Annexe\", timezone: \"Europe/Paris\"}) { id } }",
            json!({}),
            Some(Role::Admin),
        ),
        (
            "mutation($id: ID!) { renameSite(id: $id, name: \"Renamed\") { id } }",
            json!({"id": f.site}),
            Some(Role::Admin),
        ),
        (
            "mutation($id: ID!) { updateSite(id: $id, input: {address: \"1 place X\"}) { id } }",
            json!({"id": f.site}),
            Some(Role::Admin),
        ),
        // Spaces, rates and opening hours: MANAGER.
        (
            "mutation { createSpace(input: {name: \"Nouvelle\", kind: STUDIO, capacity: 4}) { id } }",
            json!({}),
            Some(Role::Manager),
        ),
        (
            "mutation($id: ID!) { updateSpace(id: $id, input: {capacity: 30, rates: [{tier: PUBLIC, hourly: \"10\"}]}) { id } }",
            json!({"id": f.space}),
            Some(Role::Manager),
        ),
        (
            "mutation($s: ID!) { setOpeningHours(siteId: $s, hours: [{weekday: MONDAY, opens: \"09:00\", closes: \"18:00\"}]) { opens } }",
            json!({"s": f.site}),
            Some(Role::Manager),
        ),
        (
            "mutation($s: ID!) { closeDate(siteId: $s, date: \"2027-12-25\") { date } }",
            json!({"s": f.site}),
            Some(Role::Manager),
        ),
        (
            "mutation($s: ID!) { reopenDate(siteId: $s, date: \"2027-12-25\") }",
            json!({"s": f.site}),
            Some(Role::Manager),
        ),
        // Bookings: the front desk reads, creates and cancels; a manager confirms.
        (
            "{ bookings { totalCount } }",
            json!({}),
            Some(Role::Volunteer),
        ),
        (
            "query($id: ID!) { booking(id: $id) { id } }",
            json!({"id": f.booking}),
            Some(Role::Volunteer),
        ),
        (
            "query($i: CreateBookingInput!) { quoteBooking(input: $i) { price } }",
            json!({"i": slot(0)}),
            Some(Role::Volunteer),
        ),
        (
            "mutation($i: CreateBookingInput!) { createBooking(input: $i) { id } }",
            json!({"i": slot(1)}),
            Some(Role::Volunteer),
        ),
        (
            "mutation($i: CreateBookingInput!) { createBookingSeries(input: $i, recurrence: {frequency: WEEKLY, count: 2}) { id } }",
            json!({"i": slot(2)}),
            Some(Role::Volunteer),
        ),
        (
            "mutation($s: ID!) { cancelBookingSeries(seriesId: $s) { id } }",
            json!({"s": f.series}),
            Some(Role::Volunteer),
        ),
        (
            "mutation($id: ID!) { updateBooking(id: $id, input: {title: \"Renamed\", attendees: 3}) { id } }",
            json!({"id": f.booking}),
            Some(Role::Volunteer),
        ),
        (
            "mutation($id: ID!) { confirmBooking(id: $id) { id } }",
            json!({"id": f.booking}),
            Some(Role::Manager),
        ),
        (
            "mutation($id: ID!) { markBookingPaid(id: $id) { id } }",
            json!({"id": f.booking}),
            Some(Role::Volunteer),
        ),
        (
            "mutation($id: ID!) { cancelBooking(id: $id, refund: false) { id } }",
            json!({"id": f.booking}),
            Some(Role::Volunteer),
        ),
        (
            "mutation($id: ID!) { archiveSpace(id: $id) { id } }",
            json!({"id": f.space}),
            Some(Role::Manager),
        ),
        (
            "mutation($id: ID!) { restoreSpace(id: $id) { id } }",
            json!({"id": f.space}),
            Some(Role::Manager),
        ),
    ]
}

/// The (actor, id) of the audit entries of one operation, read in the database.
async fn audit_entries(app: &TestApp, operation: &str) -> Vec<(String, uuid::Uuid)> {
    use lieu_entity::audit_entry::{Column, Entity};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    Entity::find()
        .filter(Column::Operation.eq(operation))
        .all(&app.db)
        .await
        .expect("read the audit trail")
        .into_iter()
        .map(|e| (e.actor, e.id))
        .collect()
}

/// Root fields that the roles table does not hold, and why.
const OUTSIDE_THE_TABLE: [&str; 4] = [
    // Anyone may try to log in; any signed-in user may log out or change their own password
    // (`http::accounts`, `http::staff_accounts`).
    "login",
    "logout",
    "changePassword",
    // Anyone may subscribe: what each caller receives is filtered by role, not refused, and
    // is tested over a real socket (`http::live`).
    "activity",
];

/// A new root field of the schema without an entry in the roles table fails here: add it to
/// `operations` (or `people_operations`) with the least role API.md gives it.
#[test]
fn the_roles_table_covers_every_root_field_of_the_schema() {
    use lieu_tests::schema_fields::root_fields;
    let f = Fixture {
        site: String::new(),
        user: String::new(),
        space: String::new(),
        booking: String::new(),
        series: String::new(),
        api_key: String::new(),
        webhook: String::new(),
        n: 0,
    };
    let p = PeopleFixtures {
        person: String::new(),
        organization: String::new(),
        plan: String::new(),
        membership: String::new(),
    };
    let e = super::roles_events::EventFixtures::empty();
    let mut covered: Vec<String> = operations(&f)
        .into_iter()
        .chain(people_operations(&p))
        .chain(event_operations(&e, 0))
        .chain(money_operations(&MoneyFixtures::empty(), 0))
        .flat_map(|(document, _, _)| selected_root_fields(document))
        .collect();
    covered.extend(OUTSIDE_THE_TABLE.map(String::from));
    let missing: Vec<String> = ["Query", "Mutation", "Subscription"]
        .into_iter()
        .flat_map(root_fields)
        .filter(|field| !covered.contains(field))
        .collect();
    assert!(
        missing.is_empty(),
        "no entry in the roles table for {missing:?}: add each to `operations` with the least role API.md gives it"
    );
}

#[tokio::test]
async fn every_role_against_every_guarded_operation() {
    let app = spawn_schema().await;
    let sites = app.gql("{ sites { id } }", json!({})).await;
    let site_id = sites.data()["sites"][0]["id"].as_str().unwrap().to_string();
    let admin = app.token_for(Role::Admin).await;

    // (role, bearer, who): anonymous, a session per role, and API keys: PUBLIC (the public's
    // rights, FORBIDDEN beyond) and MANAGER (a manager's rights, without an account).
    let mut callers: Vec<(Option<Role>, Option<String>, &str)> = vec![(None, None, "anonymous")];
    for role in [Role::Volunteer, Role::Manager, Role::Admin] {
        callers.push((Some(role), Some(app.token_for(role).await), role.as_str()));
    }
    let public_key = app.api_key_for(&admin, "Site web", "PUBLIC").await;
    callers.push((None, Some(public_key), "a PUBLIC key"));
    let manager_key = app.api_key_for(&admin, "Outil", "MANAGER").await;
    callers.push((Some(Role::Manager), Some(manager_key), "a MANAGER key"));

    for (n, (caller_role, token, who)) in callers.iter().enumerate() {
        let fixture = fixture(&app, &admin, &site_id, n).await;
        let people = people_fixtures(&app, &admin).await;
        let events = event_fixtures(&app, &admin, n).await;
        // A key has no account to link to a person.
        let account = token.as_deref().filter(|t| !t.starts_with("lieu_key_"));
        let money = money_fixtures(&app, &admin, account, n).await;
        let all = operations(&fixture)
            .into_iter()
            .chain(people_operations(&people))
            .chain(event_operations(&events, n))
            .chain(money_operations(&money, n));
        for (query, variables, least) in all {
            let mutation = query
                .starts_with("mutation")
                .then(|| selected_root_fields(query).remove(0));
            let before = match &mutation {
                Some(operation) => audit_entries(&app, operation).await,
                None => Vec::new(),
            };
            let response = app.post_graphql(token.as_deref(), query, variables).await;
            let allowed = match (least, caller_role) {
                (None, _) => true,
                (Some(_), None) => false,
                (Some(least), Some(role)) => role.includes(least),
            };
            if let Some(operation) = &mutation {
                // The audit trail: every mutation that ran left an entry naming the caller, in
                // its own transaction; a refused one left none.
                let after = audit_entries(&app, operation).await;
                let new: Vec<_> = after.iter().filter(|e| !before.contains(e)).collect();
                match allowed {
                    true => {
                        assert!(!new.is_empty(), "{who} ran {operation}: no audit entry");
                        for (actor, _) in &new {
                            let expected = match (*who, token.is_some()) {
                                (_, false) => "anonymous:",
                                ("a PUBLIC key", _) => "apikey:Site web",
                                ("a MANAGER key", _) => "apikey:Outil",
                                _ => "user:",
                            };
                            assert!(
                                actor.starts_with(expected),
                                "{who} ran {operation}: the entry names {actor}"
                            );
                        }
                    }
                    false => assert!(new.is_empty(), "{who} was refused {operation}: {new:?}"),
                }
            }
            if allowed {
                assert!(
                    response.body.get("errors").is_none(),
                    "{who} should run {query}: {}",
                    response.body
                );
            } else {
                // Without a token, sign in; with one (a PUBLIC key too), not allowed.
                let expected = if token.is_none() {
                    "UNAUTHENTICATED"
                } else {
                    "FORBIDDEN"
                };
                assert_eq!(response.error_code(), expected, "{who} running {query}");
                assert!(
                    response.body["data"].is_null()
                        || response.body["data"]
                            .as_object()
                            .is_some_and(|d| d.values().all(Value::is_null))
                );
            }
        }
    }
}

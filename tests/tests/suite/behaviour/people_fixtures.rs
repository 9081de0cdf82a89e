//! Shortcuts for tests of people, organizations and memberships.

use chrono::{Duration, NaiveDate};
use lieu_tests::TestApp;
use lieu_tests::serde_json::{Value, json};
use sea_orm::{ConnectionTrait, Statement};

pub const CREATE_PERSON: &str = "mutation($i: CreatePersonInput!) { createPerson(input: $i) { id firstName lastName email phone postalCode birthYear consentToContact consentGivenAt notes erased } }";
pub const CREATE_PLAN: &str = "mutation($i: CreateMembershipPlanInput!) { createMembershipPlan(input: $i) { id name period periodMonths price minPrice forOrganizations archived } }";
pub const START: &str = "mutation($i: StartMembershipInput!) { startMembership(input: $i) { id startsOn endsOn amountPaid status renewalOf plan { id name } person { id } organization { id } } }";
pub const RENEW: &str = "mutation($id: ID!, $a: Decimal!) { renewMembership(id: $id, amountPaid: $a) { id startsOn endsOn amountPaid status renewalOf } }";
pub const CREATE_ORG: &str = "mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { id name kind resident } }";

/// Creates a person and returns their id.
pub async fn person(app: &TestApp, token: &str, input: Value) -> String {
    let created = app
        .gql_as(token, CREATE_PERSON, json!({ "i": input }))
        .await;
    created.data()["createPerson"]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Creates a plan and returns its id.
pub async fn plan(app: &TestApp, manager: &str, input: Value) -> String {
    let created = app
        .gql_as(manager, CREATE_PLAN, json!({ "i": input }))
        .await;
    created.data()["createMembershipPlan"]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

pub async fn organization(app: &TestApp, token: &str, input: Value) -> String {
    let created = app.gql_as(token, CREATE_ORG, json!({ "i": input })).await;
    created.data()["createOrganization"]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Today, as a local day of the venue, by the server's clock.
pub async fn today(app: &TestApp) -> NaiveDate {
    lieu_api::service::sites::today(&app.db, app.clock.now())
        .await
        .unwrap()
}

pub fn day(date: NaiveDate, plus_days: i64) -> String {
    (date + Duration::days(plus_days)).to_string()
}

/// Runs a query straight on the database and returns the first column of every row as text.
pub async fn column(app: &TestApp, sql: &str) -> Vec<String> {
    let conn = app.database.connect().await;
    let backend = conn.get_database_backend();
    let rows = conn
        .query_all_raw(Statement::from_string(backend, sql.to_string()))
        .await
        .unwrap();
    rows.iter()
        .map(|row| {
            row.try_get_by_index::<Option<String>>(0)
                .ok()
                .flatten()
                .or_else(|| {
                    row.try_get_by_index::<Option<i64>>(0)
                        .ok()
                        .flatten()
                        .map(|n| n.to_string())
                })
                .unwrap_or_default()
        })
        .collect()
}

/// One number from the database (`SELECT COUNT(*)…`, `SELECT SUM(…)`), as i64.
pub async fn number(app: &TestApp, sql: &str) -> i64 {
    let conn = app.database.connect().await;
    let backend = conn.get_database_backend();
    let row = conn
        .query_one_raw(Statement::from_string(backend, sql.to_string()))
        .await
        .unwrap()
        .expect("a row");
    row.try_get_by_index::<Option<i64>>(0).unwrap().unwrap_or(0)
}

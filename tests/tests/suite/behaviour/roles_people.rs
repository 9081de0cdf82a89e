//! The people, organizations and memberships rows of the roles table (see `roles`).

use lieu_api::domain::Role;
use lieu_tests::TestApp;
use lieu_tests::serde_json::{Value, json};

/// Fresh records for one caller's run of the people and membership operations, created by an
/// ADMIN (each caller may erase, archive or cancel its own).
pub struct PeopleFixtures {
    pub person: String,
    pub organization: String,
    pub plan: String,
    pub membership: String,
}

pub async fn people_fixtures(app: &TestApp, admin: &str) -> PeopleFixtures {
    let unique = uuid::Uuid::new_v4().simple().to_string();
    let person = app
        .gql_as(
            admin,
            "mutation($i: CreatePersonInput!) { createPerson(input: $i) { id } }",
            json!({"i": {"firstName": "R", "lastName": unique}}),
        )
        .await;
    let person = person.data()["createPerson"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let organization = app
        .gql_as(
            admin,
            "mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { id } }",
            json!({"i": {"name": format!("Org {unique}"), "kind": "OTHER"}}),
        )
        .await;
    let organization = organization.data()["createOrganization"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let plan = app
        .gql_as(
            admin,
            "mutation($i: CreateMembershipPlanInput!) { createMembershipPlan(input: $i) { id } }",
            json!({"i": {"name": format!("Plan {unique}"), "price": "10"}}),
        )
        .await;
    let plan = plan.data()["createMembershipPlan"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let member = app
        .gql_as(
            admin,
            "mutation($i: CreatePersonInput!) { createPerson(input: $i) { id } }",
            json!({"i": {"firstName": "M", "lastName": unique}}),
        )
        .await;
    let member = member.data()["createPerson"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let today = lieu_api::service::sites::today(&app.db, app.clock.now())
        .await
        .unwrap();
    let membership = app
        .gql_as(admin, "mutation($i: StartMembershipInput!) { startMembership(input: $i) { id } }", json!({"i": {"planId": plan, "personId": member, "startsOn": today.to_string(), "amountPaid": "10"}}))
        .await;
    let membership = membership.data()["startMembership"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    PeopleFixtures {
        person,
        organization,
        plan,
        membership,
    }
}

/// The people, organization and membership operations, on `f`'s records.
pub fn people_operations(f: &PeopleFixtures) -> Vec<(&'static str, Value, Option<Role>)> {
    let unique = uuid::Uuid::new_v4().simple().to_string();
    let v = Some(Role::Volunteer);
    let m = Some(Role::Manager);
    vec![
        // People, organizations and memberships: VOLUNTEER reads and writes; plans (prices),
        // erasure and the personal-data export are MANAGER's.
        ("{ people { totalCount } }", json!({}), v),
        (
            "query($id: ID!) { person(id: $id) { id } }",
            json!({"id": f.person}),
            v,
        ),
        ("{ organizations { totalCount } }", json!({}), v),
        (
            "query($id: ID!) { organization(id: $id) { id } }",
            json!({"id": f.organization}),
            v,
        ),
        ("{ membershipPlans { id } }", json!({}), v),
        (
            "query($id: ID!) { membership(id: $id) { id } }",
            json!({"id": f.membership}),
            v,
        ),
        ("{ expiringMemberships { id } }", json!({}), v),
        (
            "query($id: ID!) { personalDataExport(personId: $id) }",
            json!({"id": f.person}),
            m,
        ),
        (
            "mutation($i: CreatePersonInput!) { createPerson(input: $i) { id } }",
            json!({"i": {"firstName": "New", "lastName": "Person", "email": format!("{unique}@x.org")}}),
            v,
        ),
        (
            "mutation($id: ID!) { updatePerson(id: $id, input: {phone: \"0612345678\"}) { id } }",
            json!({"id": f.person}),
            v,
        ),
        (
            "mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { id } }",
            json!({"i": {"name": format!("New org {unique}"), "kind": "COMPANY"}}),
            v,
        ),
        (
            "mutation($id: ID!) { updateOrganization(id: $id, input: {resident: true}) { id } }",
            json!({"id": f.organization}),
            v,
        ),
        (
            "mutation($o: ID!, $p: ID!) { addOrganizationContact(organizationId: $o, personId: $p) { role } }",
            json!({"o": f.organization, "p": f.person}),
            v,
        ),
        (
            "mutation($i: StartMembershipInput!) { startMembership(input: $i) { id } }",
            json!({"i": {"planId": f.plan, "personId": f.person, "startsOn": (chrono::Utc::now() - chrono::Duration::days(30)).format("%Y-%m-%d").to_string(), "amountPaid": "10"}}),
            v,
        ),
        (
            "mutation($id: ID!) { renewMembership(id: $id, amountPaid: \"10\") { id } }",
            json!({"id": f.membership}),
            v,
        ),
        (
            "mutation($i: CreateMembershipPlanInput!) { createMembershipPlan(input: $i) { id } }",
            json!({"i": {"name": format!("New plan {unique}"), "price": "5"}}),
            m,
        ),
        // After renewMembership above, the renewal is the latest; cancelling the first is fine.
        (
            "mutation($id: ID!) { cancelMembership(id: $id) { id } }",
            json!({"id": f.membership}),
            v,
        ),
        (
            "mutation($o: ID!, $p: ID!) { removeOrganizationContact(organizationId: $o, personId: $p) }",
            json!({"o": f.organization, "p": f.person}),
            v,
        ),
        (
            "mutation($id: ID!) { archiveMembershipPlan(id: $id) { id } }",
            json!({"id": f.plan}),
            m,
        ),
        (
            "mutation($id: ID!) { erasePerson(id: $id) }",
            json!({"id": f.person}),
            m,
        ),
    ]
}

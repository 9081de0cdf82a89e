//! Walks the role guard over every guarded operation of the schema so far: each role x each
//! operation, against API.md's roles table.

use lieu_api::domain::Role;
use lieu_tests::serde_json::{Value, json};
use lieu_tests::{TestApp, spawn_app};

/// Fresh records for one caller's run of the people and membership operations, created by an
/// ADMIN (each caller may erase, archive or cancel its own).
struct PeopleFixtures {
    person: String,
    organization: String,
    plan: String,
    membership: String,
}

async fn people_fixtures(app: &TestApp, admin: &str) -> PeopleFixtures {
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
    let today = lieu_api::service::memberships::today(&app.db, app.clock.now())
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

/// (operation, variables, least role that may run it; None = public)
fn operations(site_id: &str, f: &PeopleFixtures) -> Vec<(&'static str, Value, Option<Role>)> {
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
            json!({"i": {"planId": f.plan, "personId": f.person, "startsOn": "2020-01-01", "amountPaid": "10"}}),
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
        ("{ sites { id } }", json!({}), None),
        ("{ me { id } }", json!({}), None),
        ("{ users { id } }", json!({}), Some(Role::Admin)),
        (
            "mutation($i: CreateUserInput!) { createUser(input: $i) { id } }",
            json!({"i": {"email": format!("u{}@x.org", uuid::Uuid::new_v4().simple()), "name": "U", "role": "VOLUNTEER", "password": "long enough pass"}}),
            Some(Role::Admin),
        ),
        (
            "mutation { createSite(input: {name: \"Annexe\", timezone: \"Europe/Paris\"}) { id } }",
            json!({}),
            Some(Role::Admin),
        ),
        (
            "mutation($id: ID!) { renameSite(id: $id, name: \"Renamed\") { id } }",
            json!({"id": site_id}),
            Some(Role::Admin),
        ),
        (
            "mutation($id: ID!) { updateSite(id: $id, input: {address: \"1 place X\"}) { id } }",
            json!({"id": site_id}),
            Some(Role::Admin),
        ),
    ]
}

#[tokio::test]
async fn every_role_against_every_guarded_operation() {
    let app = spawn_app().await;
    let sites = app.gql("{ sites { id } }", json!({})).await;
    let site_id = sites.data()["sites"][0]["id"].as_str().unwrap().to_string();

    let mut callers: Vec<(Option<Role>, Option<String>)> = vec![(None, None)];
    for role in [Role::Volunteer, Role::Manager, Role::Admin] {
        callers.push((Some(role), Some(app.token_for(role).await)));
    }

    let admin = app.token_for(Role::Admin).await;
    for (caller_role, token) in &callers {
        let fixtures = people_fixtures(&app, &admin).await;
        for (query, variables, least) in operations(&site_id, &fixtures) {
            let response = app.post_graphql(token.as_deref(), query, variables).await;
            let allowed = match (least, caller_role) {
                (None, _) => true,
                (Some(_), None) => false,
                (Some(least), Some(role)) => role.includes(least),
            };
            let who = caller_role.map_or("anonymous", |r| r.as_str());
            if allowed {
                assert!(
                    response.body.get("errors").is_none(),
                    "{who} should run {query}: {}",
                    response.body
                );
            } else {
                let expected = if caller_role.is_none() {
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

//! Walks the role guard over every guarded operation of the schema so far: each role x each
//! operation, against API.md's roles table.

use lieu_api::domain::Role;
use lieu_tests::serde_json::{Value, json};
use lieu_tests::spawn_app;

/// (operation, variables, least role that may run it; None = public)
fn operations(site_id: &str) -> Vec<(&'static str, Value, Option<Role>)> {
    vec![
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

    for (caller_role, token) in &callers {
        for (query, variables, least) in operations(&site_id) {
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

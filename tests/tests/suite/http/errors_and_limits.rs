use lieu_tests::serde_json::{Value, json};
use lieu_tests::spawn_app;
use sea_orm::ConnectionTrait;

#[tokio::test]
async fn a_database_failure_is_internal_and_leaks_nothing() {
    let app = spawn_app().await;
    // Break the database behind the server's back.
    let conn = app.database.connect().await;
    conn.execute_unprepared("ALTER TABLE sites RENAME TO sites_gone")
        .await
        .unwrap();

    let response = app.gql("{ sites { id name } }", json!({})).await;
    assert_eq!(response.status, 200);
    assert_eq!(response.error_code(), "INTERNAL");
    let text = response.body.to_string().to_lowercase();
    for leak in [
        "sites_gone",
        "no such table",
        "relation",
        "select",
        "sqlx",
        "database",
        "sql",
    ] {
        assert!(!text.contains(leak), "response leaks `{leak}`: {text}");
    }
    // The readiness probe still answers (migrations are recorded as applied).
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status().as_u16(), 200);
}

#[tokio::test]
async fn a_body_over_one_mebibyte_is_413() {
    let app = spawn_app().await;
    let padding = "x".repeat(2 * 1024 * 1024);
    let body = json!({ "query": "{ sites { id } }", "variables": { "padding": padding } });
    let response = app
        .client
        .post(format!("{}/graphql", app.base_url))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 413);

    // Just under the limit is served.
    let padded_query = format!("{{ sites {{ id }} }}\n# {}", "x".repeat(1000 * 1000));
    let ok = app.gql(&padded_query, json!({})).await;
    assert_eq!(ok.status, 200);
    ok.data();
}

#[tokio::test]
async fn malformed_json_is_400_not_500() {
    let app = spawn_app().await;
    for body in ["{\"query\": ", "not json at all", "{\"query\": 42}"] {
        let response = app
            .client
            .post(format!("{}/graphql", app.base_url))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 400, "body {body:?}");
    }
}

#[tokio::test]
async fn graphql_syntax_and_unknown_fields_are_validation_errors() {
    let app = spawn_app().await;
    for query in ["{ sites { id ", "{ nothingHere }", "{ sites { id nope } }"] {
        let response = app.gql(query, json!({})).await;
        assert_eq!(
            response.error_code(),
            "VALIDATION",
            "{query}: {}",
            response.body
        );
    }
    // A wrongly-typed variable, too.
    let response = app
        .gql(
            "mutation($n: Int!) { login(email: $n, password: \"x\") { token } }",
            json!({"n": 1}),
        )
        .await;
    assert_eq!(response.error_code(), "VALIDATION");
}

/// The introspection query of GraphiQL and code generators (TypeRef nested 9 deep).
const INTROSPECTION: &str = r#"
query IntrospectionQuery {
  __schema {
    queryType { name } mutationType { name } subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } } }
}
"#;

#[tokio::test]
async fn introspection_works_but_deep_and_complex_queries_are_refused() {
    let app = spawn_app().await;
    let introspection = app.gql(INTROSPECTION, json!({})).await;
    assert!(
        introspection.data()["__schema"]["types"]
            .as_array()
            .unwrap()
            .len()
            > 5
    );

    let mut deep = String::from("{ __schema { types { fields { type ");
    for _ in 0..30 {
        deep.push_str("{ ofType ");
    }
    deep.push_str("{ name }");
    for _ in 0..30 {
        deep.push('}');
    }
    deep.push_str(" } } } }");
    let response = app.gql(&deep, json!({})).await;
    assert_eq!(response.error_code(), "VALIDATION", "{}", response.body);

    let mut wide = String::from("{");
    for i in 0..3000 {
        wide.push_str(&format!(" a{i}: sites {{ id }}"));
    }
    wide.push('}');
    let response = app.gql(&wide, json!({})).await;
    assert_eq!(response.error_code(), "VALIDATION", "{}", response.body);
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(format!("{}/graphql", app.base_url))
        .json(&json!({"query": "{ sites { id } }"}))
        .send()
        .await
        .unwrap();
    let id = response
        .headers()
        .get("x-request-id")
        .expect("x-request-id header");
    assert_eq!(id.to_str().unwrap().len(), 36);
    let _: Value = response.json().await.unwrap();
}

#[tokio::test]
async fn browsers_on_other_origins_may_call_the_api() {
    let app = spawn_app().await;
    let preflight = app
        .client
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/graphql", app.base_url),
        )
        .header("Origin", "https://www.example-tiers-lieu.org")
        .header("Access-Control-Request-Method", "POST")
        .header(
            "Access-Control-Request-Headers",
            "content-type, authorization",
        )
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success());
    let headers = preflight.headers();
    assert_eq!(headers["access-control-allow-origin"], "*");
    let allowed = headers["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_lowercase();
    assert!(
        allowed.contains("authorization") && allowed.contains("content-type"),
        "{allowed}"
    );
    assert!(headers.get("access-control-allow-credentials").is_none());
}

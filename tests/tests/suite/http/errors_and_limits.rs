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
    assert_refused(response, 413, "larger than the 1024 KiB", "2 MiB body").await;

    // Just under the limit is served.
    let padded_query = format!("{{ sites {{ id }} }}\n# {}", "x".repeat(1000 * 1000));
    let ok = app.gql(&padded_query, json!({})).await;
    assert_eq!(ok.status, 200);
    ok.data();
}

/// Requests that never reach a resolver still answer GraphQL JSON with a code, a message that
/// says what to send, and the status GraphQL-over-HTTP prescribes.
#[tokio::test]
async fn broken_requests_answer_graphql_json_with_a_code() {
    let app = spawn_app().await;
    let url = format!("{}/graphql", app.base_url);
    let json = Some("application/json");
    let cases: [(&str, Option<&str>, &str, u16, &str); 9] = [
        ("POST", json, "hello", 400, "not valid JSON"),
        ("POST", json, "{\"query\": ", 400, "not valid JSON"),
        (
            "POST",
            json,
            "{\"query\": 42}",
            400,
            "not a GraphQL request",
        ),
        ("POST", json, "{}", 400, "missing field `query`"),
        (
            "POST",
            json,
            "[{\"query\": \"{ sites { id } }\"}]",
            400,
            "batched requests are not supported",
        ),
        (
            "POST",
            None,
            "{\"query\": \"{ sites { id } }\"}",
            415,
            "Content-Type: application/json",
        ),
        (
            "POST",
            Some("text/plain"),
            "{\"query\": \"{ sites { id } }\"}",
            415,
            "Content-Type: application/json",
        ),
        (
            "PUT",
            json,
            "{\"query\": \"{ sites { id } }\"}",
            405,
            "POST",
        ),
        ("DELETE", None, "", 405, "POST"),
    ];
    for (method, content_type, body, status, says) in cases {
        let mut request = app
            .client
            .request(method.parse().unwrap(), &url)
            .body(body.to_string());
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        let response = request.send().await.unwrap();
        assert_refused(response, status, says, &format!("{method} {body:?}")).await;
    }

    // A mutation over GET is 405 (GET must not change anything); a query over GET is served.
    let response = app
        .client
        .get(format!("{url}?query=mutation%20%7B%20logout%20%7D"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.headers().get("allow").map(|v| v.to_str().unwrap()),
        Some("GET, POST")
    );
    assert_refused(response, 405, "must be sent with POST", "GET mutation").await;
    let response = app
        .client
        .get(format!("{url}?query=%7B%20sites%20%7B%20name%20%7D%20%7D"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let body: Value = response.json().await.unwrap();
    assert!(body["data"]["sites"].is_array(), "{body}");
    // Without a query, GET is GraphiQL for a browser.
    let page = app.get("/graphql").await;
    assert!(page.text().await.unwrap().contains("graphiql"));
}

async fn assert_refused(response: reqwest::Response, status: u16, says: &str, case: &str) {
    assert_eq!(response.status().as_u16(), status, "{case}");
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        content_type.starts_with("application/json"),
        "{case}: {content_type}"
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "VALIDATION",
        "{case}: {body}"
    );
    let message = body["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains(says), "{case}: {message}");
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

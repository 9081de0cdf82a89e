use lieu_api::domain::Role;
use lieu_tests::serde_json::json;
use lieu_tests::spawn_app;

const ME: &str = "{ me { id email name role } }";

#[tokio::test]
async fn login_returns_a_token_that_me_accepts() {
    let app = spawn_app().await;
    app.create_user(
        "Ana.Admin@Example.org",
        Role::Admin,
        "correct horse battery",
    )
    .await
    .unwrap();

    // Email is matched without regard to case.
    let login = app
        .login("ana.admin@example.ORG", "correct horse battery")
        .await;
    let session = &login.data()["login"];
    let token = session["token"].as_str().unwrap();
    assert!(token.len() >= 43, "256-bit token: {token}");
    assert_eq!(session["user"]["role"], "ADMIN");
    assert!(session["expiresAt"].as_str().unwrap().contains('T'));

    let me = app.gql_as(token, ME, json!({})).await;
    assert_eq!(me.data()["me"]["email"], "Ana.Admin@Example.org");
    assert_eq!(me.data()["me"]["role"], "ADMIN");

    // Anonymous: me is null, not an error.
    assert!(app.gql(ME, json!({})).await.data()["me"].is_null());
}

#[tokio::test]
async fn the_token_is_stored_only_as_a_hash() {
    use sea_orm::{ConnectionTrait, Statement};
    let app = spawn_app().await;
    let token = app.token_for(Role::Volunteer).await;
    let conn = app.database.connect().await;
    let backend = conn.get_database_backend();
    let rows = conn
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT token_hash FROM sessions",
        ))
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    let stored: String = rows[0].try_get("", "token_hash").unwrap();
    assert_ne!(stored, token);
    assert!(!stored.contains(&token));
    assert_eq!(stored.len(), 64, "hex SHA-256");
}

#[tokio::test]
async fn bad_password_is_unauthenticated_and_repeated_ones_are_rate_limited() {
    let app = spawn_app().await;
    app.create_user("vol@example.org", Role::Volunteer, "correct horse battery")
        .await
        .unwrap();

    let wrong = app.login("vol@example.org", "not the password").await;
    assert_eq!(wrong.error_code(), "UNAUTHENTICATED");
    let unknown = app.login("nobody@example.org", "not the password").await;
    assert_eq!(unknown.error_code(), "UNAUTHENTICATED");
    // The same message for a wrong password and an unknown account.
    assert_eq!(
        wrong.first_error()["message"],
        unknown.first_error()["message"]
    );

    let mut limited = None;
    for _ in 0..10 {
        let attempt = app.login("vol@example.org", "still not the password").await;
        if attempt.error_code() == "RATE_LIMITED" {
            limited = Some(attempt);
            break;
        }
        assert_eq!(attempt.error_code(), "UNAUTHENTICATED");
    }
    let limited = limited.expect("repeated bad passwords end in RATE_LIMITED");
    let retry = limited.first_error()["extensions"]["retryAfterSeconds"]
        .as_u64()
        .expect("retryAfterSeconds");
    assert!((1..=60).contains(&retry), "retryAfterSeconds = {retry}");

    // Even the right password waits now: the limit is on attempts, not on failures.
    let right = app.login("vol@example.org", "correct horse battery").await;
    assert_eq!(right.error_code(), "RATE_LIMITED");
}

#[tokio::test]
async fn login_is_rate_limited_per_client_address_across_emails() {
    let app = lieu_tests::spawn_app_with(|c| c.login_limits.per_address_per_minute = 3).await;
    for i in 0..3 {
        let attempt = app
            .login(&format!("user{i}@example.org"), "whatever password")
            .await;
        assert_eq!(attempt.error_code(), "UNAUTHENTICATED");
    }
    let attempt = app.login("user9@example.org", "whatever password").await;
    assert_eq!(attempt.error_code(), "RATE_LIMITED");
}

#[tokio::test]
async fn logout_kills_the_token() {
    let app = spawn_app().await;
    let token = app.token_for(Role::Admin).await;
    let logout = app.gql_as(&token, "mutation { logout }", json!({})).await;
    assert_eq!(logout.data()["logout"], true);

    assert!(app.gql_as(&token, ME, json!({})).await.data()["me"].is_null());
    let users = app.gql_as(&token, "{ users { id } }", json!({})).await;
    assert_eq!(users.error_code(), "UNAUTHENTICATED");
    assert!(
        users.first_error()["message"]
            .as_str()
            .unwrap()
            .contains("sign in again"),
        "{}",
        users.body
    );
    // Logging out without a session is an authentication error, not a crash.
    assert_eq!(
        app.gql("mutation { logout }", json!({})).await.error_code(),
        "UNAUTHENTICATED"
    );
}

#[tokio::test]
async fn sessions_expire() {
    let app = spawn_app().await;
    let token = app.token_for(Role::Manager).await;
    app.clock.advance(chrono::Duration::hours(11));
    assert!(!app.gql_as(&token, ME, json!({})).await.data()["me"].is_null());
    app.clock.advance(chrono::Duration::hours(2));
    assert!(app.gql_as(&token, ME, json!({})).await.data()["me"].is_null());
}

#[tokio::test]
async fn a_malformed_or_unknown_token_is_rejected() {
    let app = spawn_app().await;
    for token in ["not-a-real-token", "x"] {
        let users = app.gql_as(token, "{ users { id } }", json!({})).await;
        assert_eq!(users.error_code(), "UNAUTHENTICATED");
    }
    let response = app
        .client
        .post(format!("{}/graphql", app.base_url))
        .header("Authorization", "Basic dXNlcjpwYXNz")
        .json(&json!({"query": "{ users { id } }"}))
        .send()
        .await
        .unwrap();
    let body: lieu_tests::serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
}

#[tokio::test]
async fn admin_creates_users_with_unique_emails_and_valid_passwords() {
    let app = spawn_app().await;
    let admin = app.token_for(Role::Admin).await;
    let create = "mutation($i: CreateUserInput!) { createUser(input: $i) { id email name role } }";
    let ok = app
        .gql_as(&admin, create, json!({"i": {"email": "Lea@Example.org", "name": "Léa", "role": "VOLUNTEER", "password": "front desk 2026"}}))
        .await;
    assert_eq!(ok.data()["createUser"]["role"], "VOLUNTEER");

    let duplicate = app
        .gql_as(&admin, create, json!({"i": {"email": "lea@example.ORG", "name": "Léa 2", "role": "MANAGER", "password": "front desk 2026"}}))
        .await;
    assert_eq!(duplicate.error_code(), "VALIDATION");
    assert_eq!(duplicate.first_error()["extensions"]["field"], "email");

    let short = app
        .gql_as(&admin, create, json!({"i": {"email": "bob@example.org", "name": "Bob", "role": "VOLUNTEER", "password": "short"}}))
        .await;
    assert_eq!(short.error_code(), "VALIDATION");
    assert_eq!(short.first_error()["extensions"]["field"], "password");

    let bad_email = app
        .gql_as(&admin, create, json!({"i": {"email": "bob", "name": "Bob", "role": "VOLUNTEER", "password": "long enough pass"}}))
        .await;
    assert_eq!(bad_email.error_code(), "VALIDATION");

    let users = app.gql_as(&admin, "{ users { email } }", json!({})).await;
    let emails: Vec<&str> = users.data()["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].as_str().unwrap())
        .collect();
    assert_eq!(emails.len(), 2, "the admin and Léa only: {emails:?}");
    assert!(emails.contains(&"Lea@Example.org"));
}

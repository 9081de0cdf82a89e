//! What a website's pages meet: CORS for the origins given with `--cors-origin` only, and
//! registrations from the public (anonymous or with a PUBLIC key) rate limited per client and
//! per event.

use lieu_api::domain::Role;
use lieu_tests::serde_json::json;
use lieu_tests::{TestApp, spawn_app, spawn_app_with};

const SITE: &str = "https://www.example-tiers-lieu.org";

async fn preflight(app: &TestApp, origin: &str) -> reqwest::Response {
    app.client
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/graphql", app.base_url),
        )
        .header("Origin", origin)
        .header("Access-Control-Request-Method", "POST")
        .header(
            "Access-Control-Request-Headers",
            "content-type, authorization",
        )
        .send()
        .await
        .unwrap()
}

fn cors_headers(response: &reqwest::Response) -> Vec<String> {
    response
        .headers()
        .keys()
        .map(|name| name.as_str().to_string())
        .filter(|name| name.starts_with("access-control-"))
        .collect()
}

#[tokio::test]
async fn a_page_on_an_allowed_origin_may_call_the_api_and_others_get_no_cors_headers() {
    let app = spawn_app_with(|config| {
        config.cors_origins = vec![
            SITE.parse().unwrap(),
            "http://localhost:5173".parse().unwrap(),
        ];
    })
    .await;
    let allowed = preflight(&app, SITE).await;
    assert!(allowed.status().is_success());
    let headers = allowed.headers();
    assert_eq!(headers["access-control-allow-origin"], SITE);
    let methods = headers["access-control-allow-methods"].to_str().unwrap();
    assert!(methods.contains("POST"), "{methods}");
    let allowed_headers = headers["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_lowercase();
    assert!(
        allowed_headers.contains("authorization") && allowed_headers.contains("content-type"),
        "{allowed_headers}"
    );
    // Credentials (cookies) are never allowed: a key is sent explicitly.
    assert!(headers.get("access-control-allow-credentials").is_none());

    for foreign in [
        "https://evil.example",
        "https://www.example-tiers-lieu.org.evil.example",
    ] {
        let refused = preflight(&app, foreign).await;
        assert_eq!(cors_headers(&refused), Vec::<String>::new(), "{foreign}");
    }

    // The page's actual request, with a PUBLIC key: the answer is readable by that origin.
    let admin = app.token_for(Role::Admin).await;
    let key = app.api_key_for(&admin, "Site web", "PUBLIC").await;
    let response = app
        .client
        .post(format!("{}/graphql", app.base_url))
        .header("Origin", SITE)
        .bearer_auth(&key)
        .json(&json!({"query": "{ events { totalCount } }"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["access-control-allow-origin"], SITE);
    assert!(
        response
            .headers()
            .get("access-control-allow-credentials")
            .is_none()
    );
    let body: lieu_tests::serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["data"]["events"]["totalCount"], 0, "{body}");
    // Another origin's request is answered (a server-side caller has no origin to check), but
    // without the header a browser needs to let its page read it.
    let foreign = app
        .client
        .post(format!("{}/graphql", app.base_url))
        .header("Origin", "https://evil.example")
        .json(&json!({"query": "{ sites { id } }"}))
        .send()
        .await
        .unwrap();
    assert_eq!(cors_headers(&foreign), Vec::<String>::new());
}

#[tokio::test]
async fn no_origin_is_allowed_by_default() {
    let app = spawn_app().await;
    assert_eq!(
        cors_headers(&preflight(&app, SITE).await),
        Vec::<String>::new()
    );
}

async fn public_event(app: &TestApp, manager: &str, title: &str) -> String {
    let created = app
        .gql_as(
            manager,
            "mutation($i: CreateEventInput!) { createEvent(input: $i) { id } }",
            json!({"i": {"title": title, "category": "WORKSHOP", "spaceIds": [], "public": true,
                "start": "2027-05-15T10:00:00+02:00", "end": "2027-05-15T12:00:00+02:00"}}),
        )
        .await;
    created.data()["createEvent"]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn register(
    app: &TestApp,
    bearer: Option<&str>,
    event: &str,
    n: usize,
) -> lieu_tests::GqlResponse {
    app.post_graphql(
        bearer,
        "mutation($i: RegisterInput!) { register(input: $i) { status } }",
        json!({"i": {"eventId": event, "name": format!("Visiteur {n}"), "email": format!("v{n}-{}@exemple.fr", uuid::Uuid::new_v4().simple())}}),
    )
    .await
}

fn assert_limited(response: &lieu_tests::GqlResponse, what: &str) {
    assert_eq!(
        response.error_code(),
        "RATE_LIMITED",
        "{what}: {}",
        response.body
    );
    assert!(
        response.first_error()["extensions"]["retryAfterSeconds"]
            .as_u64()
            .unwrap()
            >= 1
    );
}

#[tokio::test]
async fn a_registration_flood_is_limited_per_client_and_per_event() {
    let app = spawn_app_with(|config| {
        config.registration_limits.per_address_per_minute = 3;
        config.registration_limits.per_public_key_per_minute = 10;
        config.registration_limits.per_event_per_minute = 5;
    })
    .await;
    let admin = app.token_for(Role::Admin).await;
    let manager = app.token_for(Role::Manager).await;
    let first = public_event(&app, &manager, "Atelier vélo").await;
    let second = public_event(&app, &manager, "Repair café").await;
    let key = app.api_key_for(&admin, "Site web", "PUBLIC").await;

    // Per client: an anonymous flood from one address is stopped, for every event.
    for n in 0..3 {
        register(&app, None, &first, n).await.data();
    }
    assert_limited(
        &register(&app, None, &first, 3).await,
        "the address, first event",
    );
    assert_limited(
        &register(&app, None, &second, 4).await,
        "the address, second event",
    );

    // A PUBLIC key has its own bucket, larger than an address's, even from the same address
    // (the address's refusals above did not use up the first event's bucket)…
    for n in 10..12 {
        register(&app, Some(&key), &first, n).await.data();
    }
    // …until the first event's own limit (5 a minute) is reached: the event is closed to
    // the flood while the second event still takes the key's registrations.
    assert_limited(
        &register(&app, Some(&key), &first, 12).await,
        "the first event",
    );
    register(&app, Some(&key), &second, 13).await.data();
    register(&app, Some(&key), &second, 14).await.data();

    // The front desk is not limited.
    register(&app, Some(&manager), &first, 20).await.data();
}

use lieu_api::domain::Role;
use lieu_tests::serde_json::json;
use lieu_tests::spawn_schema;

#[tokio::test]
async fn a_default_site_in_europe_paris_exists_after_migration() {
    let app = spawn_schema().await;
    let sites = app
        .gql("{ sites { id name timezone address } }", json!({}))
        .await;
    let list = sites.data()["sites"].as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["timezone"], "Europe/Paris");
}

#[tokio::test]
async fn admin_creates_and_renames_sites_with_valid_time_zones() {
    let app = spawn_schema().await;
    let admin = app.token_for(Role::Admin).await;
    let create =
        "mutation($i: CreateSiteInput!) { createSite(input: $i) { id name timezone address } }";

    let created = app
        .gql_as(&admin, create, json!({"i": {"name": "  Antenne de Cayenne ", "timezone": "America/Cayenne", "address": "1 rue X"}}))
        .await;
    let site = &created.data()["createSite"];
    assert_eq!(site["name"], "Antenne de Cayenne");
    assert_eq!(site["timezone"], "America/Cayenne");

    for (input, field) in [
        (json!({"name": "Bad", "timezone": "Paris"}), "timezone"),
        (json!({"name": "Bad", "timezone": "CEST"}), "timezone"),
        (json!({"name": "   ", "timezone": "Europe/Paris"}), "name"),
    ] {
        let refused = app.gql_as(&admin, create, json!({"i": input})).await;
        assert_eq!(refused.error_code(), "VALIDATION");
        assert_eq!(refused.first_error()["extensions"]["field"], field);
    }
    // Nothing was written by the refused ones.
    let count = app.gql("{ sites { id } }", json!({})).await.data()["sites"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(count, 2);

    let rename = "mutation($id: ID!, $n: String!) { renameSite(id: $id, name: $n) { id name } }";
    let renamed = app
        .gql_as(
            &admin,
            rename,
            json!({"id": site["id"], "n": "Antenne Guyane"}),
        )
        .await;
    assert_eq!(renamed.data()["renameSite"]["name"], "Antenne Guyane");

    let update = "mutation($id: ID!, $i: UpdateSiteInput!) { updateSite(id: $id, input: $i) { name address timezone } }";
    let updated = app
        .gql_as(
            &admin,
            update,
            json!({"id": site["id"], "i": {"address": ""}}),
        )
        .await;
    assert_eq!(
        updated.data()["updateSite"]["name"],
        "Antenne Guyane",
        "name kept"
    );
    assert!(
        updated.data()["updateSite"]["address"].is_null(),
        "address cleared"
    );
    let refused = app
        .gql_as(
            &admin,
            update,
            json!({"id": site["id"], "i": {"name": " "}}),
        )
        .await;
    assert_eq!(refused.error_code(), "VALIDATION");

    let missing = app
        .gql_as(
            &admin,
            rename,
            json!({"id": uuid::Uuid::new_v4().to_string(), "n": "X"}),
        )
        .await;
    assert_eq!(missing.error_code(), "NOT_FOUND");
    let malformed = app
        .gql_as(&admin, rename, json!({"id": "not-a-uuid", "n": "X"}))
        .await;
    assert_eq!(malformed.error_code(), "VALIDATION");
    assert_eq!(malformed.first_error()["extensions"]["field"], "id");
}

use lieu_migration::{Migrator, MigratorTrait};
use lieu_tests::serde_json::json;
use lieu_tests::{TestDatabase, spawn_app};
use sea_orm::{ConnectionTrait, Statement};

#[tokio::test]
async fn healthz_and_readyz_answer() {
    let app = spawn_app().await;
    let health = app.get("/healthz").await;
    assert_eq!(health.status().as_u16(), 200);
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status().as_u16(), 200);
}

#[tokio::test]
async fn readyz_is_503_when_a_migration_is_missing() {
    let app = spawn_app().await;
    let conn = app.database.connect().await;
    conn.execute_unprepared("DELETE FROM seaql_migrations")
        .await
        .unwrap();
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status().as_u16(), 503);
}

/// A readiness probe runs every few seconds on every process: it must only read. Without its
/// table the database is "not migrated", and the probe does not create the table.
#[tokio::test]
async fn readyz_only_reads() {
    let app = spawn_app().await;
    let conn = app.database.connect().await;
    conn.execute_unprepared("DROP TABLE seaql_migrations")
        .await
        .unwrap();
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status().as_u16(), 503);
    assert!(
        table_count(&conn, "seaql_migrations").await.is_err(),
        "/readyz created the migrations table"
    );
}

#[tokio::test]
async fn graphiql_is_served_on_get_with_its_assets_from_the_binary() {
    let app = spawn_app().await;
    let page = app.get("/graphql").await;
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("GraphiQL"));
    // Everything the page loads comes from this server: it works without internet access.
    assert!(!html.contains("https://"), "an external asset: {html}");
    let assets: Vec<&str> = html
        .split(['"', '\''])
        .filter(|s| s.starts_with("/graphql/assets/"))
        .collect();
    assert_eq!(assets.len(), 4, "{assets:?}");
    for asset in assets {
        let response = app.get(asset).await;
        assert_eq!(response.status().as_u16(), 200, "{asset}");
        assert!(response.bytes().await.unwrap().len() > 10_000, "{asset}");
    }
    assert_eq!(
        app.get("/graphql/assets/nope.js").await.status().as_u16(),
        404
    );
}

async fn table_count(
    conn: &sea_orm::DatabaseConnection,
    table: &str,
) -> Result<i64, sea_orm::DbErr> {
    let backend = conn.get_database_backend();
    let row = conn
        .query_one_raw(Statement::from_string(
            backend,
            format!("SELECT COUNT(*) AS n FROM {table}"),
        ))
        .await?
        .expect("a row");
    row.try_get("", "n")
}

#[tokio::test]
async fn migrations_go_up_down_and_up_again() {
    let database = TestDatabase::new().await;
    let conn = lieu_api::db::connect(&lieu_api::config::DatabaseConfig {
        url: database.url.clone(),
        pool_size: Some(2),
    })
    .await
    .unwrap();
    Migrator::up(&conn, None).await.unwrap();
    assert_eq!(
        table_count(&conn, "sites").await.unwrap(),
        1,
        "the default site"
    );
    assert!(
        Migrator::get_pending_migrations(&conn)
            .await
            .unwrap()
            .is_empty()
    );

    Migrator::down(&conn, None).await.unwrap();
    assert!(table_count(&conn, "sites").await.is_err(), "sites dropped");
    for table in ["users", "people", "memberships", "revenues"] {
        assert!(table_count(&conn, table).await.is_err(), "{table} dropped");
    }
    assert!(
        !Migrator::get_pending_migrations(&conn)
            .await
            .unwrap()
            .is_empty()
    );

    Migrator::up(&conn, None).await.unwrap();
    assert_eq!(table_count(&conn, "sites").await.unwrap(), 1);
    // Running them again is a no-op.
    Migrator::up(&conn, None).await.unwrap();
    assert_eq!(table_count(&conn, "sites").await.unwrap(), 1);
    conn.close().await.unwrap();
}

#[tokio::test]
async fn graceful_stop_finishes_cleanly() {
    let app = spawn_app().await;
    app.gql("{ sites { id } }", json!({})).await.data();
    app.stop().await;
}

/// Several servers starting together on one fresh database: all of them come up.
#[tokio::test]
async fn concurrent_migrations_on_one_database_all_succeed() {
    let database = TestDatabase::new().await;
    let config = lieu_api::config::DatabaseConfig {
        url: database.url.clone(),
        pool_size: Some(2),
    };
    let mut tasks = Vec::new();
    for _ in 0..4 {
        let config = config.clone();
        tasks.push(tokio::spawn(async move {
            let conn = lieu_api::db::connect(&config).await?;
            lieu_api::db::migrate(&conn).await?;
            conn.close().await
        }));
    }
    for task in tasks {
        task.await
            .unwrap()
            .expect("every process migrates or finds nothing to do");
    }
    let conn = database.connect().await;
    assert_eq!(
        table_count(&conn, "sites").await.unwrap(),
        1,
        "one default site, not four"
    );
}

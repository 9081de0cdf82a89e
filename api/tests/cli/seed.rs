//! `seed --scale N`: a small synthetic network (the per-site sizes scaled down with the hidden
//! knobs), checked in the database and through GraphQL.

use super::*;

use lieu_entity::{booking, booking_block, person, site, space};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Statement,
};

const SITES: usize = 2;
const SPACES: usize = 6;
const PEOPLE: usize = 400;
const BOOKINGS: usize = 3000;

fn seed(url: &str, seed: u64) -> String {
    let out = Command::new(BIN)
        .args(["seed", "--database-url", url, "--scale", &SITES.to_string()])
        .args(["--seed", &seed.to_string()])
        .args(["--spaces-per-site", &SPACES.to_string()])
        .args(["--people-per-site", &PEOPLE.to_string()])
        .args(["--bookings-per-site", &BOOKINGS.to_string()])
        .output()
        .expect("run lieu-api seed");
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "{stderr}");
    stderr
}

/// Every booking as (title, start, end, status, tier, price, space name), in a stable order.
async fn bookings_of(
    conn: &DatabaseConnection,
) -> Vec<(String, String, String, String, i64, String)> {
    let names: std::collections::HashMap<_, _> = space::Entity::find()
        .all(conn)
        .await
        .unwrap()
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let mut rows: Vec<_> = booking::Entity::find()
        .order_by_asc(booking::Column::StartsAt)
        .all(conn)
        .await
        .unwrap()
        .into_iter()
        .map(|b| {
            (
                b.title,
                b.starts_at.to_rfc3339(),
                b.ends_at.to_rfc3339(),
                format!("{} {}", b.status, b.tier),
                b.price_cents,
                names[&b.space_id].clone(),
            )
        })
        .collect();
    rows.sort_by(|a, b| (&a.1, &a.5).cmp(&(&b.1, &b.5)));
    rows
}

async fn count(conn: &DatabaseConnection, sql: &str) -> i64 {
    let row = conn
        .query_one_raw(Statement::from_string(conn.get_database_backend(), sql))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

#[tokio::test]
async fn seed_scale_grows_the_same_network_for_a_seed_and_graphql_reads_it() {
    let (first, second) = (TestDatabase::new().await, TestDatabase::new().await);
    let said = seed(&first.url, 7);
    assert!(
        said.contains(&format!(
            "Added {SITES} sites, {} spaces, {} people",
            SITES * SPACES,
            SITES * PEOPLE
        )),
        "{said}"
    );
    seed(&second.url, 7);
    let (a, b) = (first.connect().await, second.connect().await);

    // The counts.
    let sites = site::Entity::find()
        .filter(site::Column::Name.starts_with("Tiers-lieu synthétique"))
        .all(&a)
        .await
        .unwrap();
    assert_eq!(sites.len(), SITES);
    assert_eq!(
        space::Entity::find().count(&a).await.unwrap() as usize,
        SITES * SPACES
    );
    assert_eq!(
        person::Entity::find().count(&a).await.unwrap() as usize,
        SITES * PEOPLE
    );
    let all = bookings_of(&a).await;
    assert_eq!(all.len(), SITES * BOOKINGS);
    let cancelled = all.iter().filter(|b| b.3.starts_with("CANCELLED")).count();
    assert!(
        cancelled > 0 && cancelled < all.len() / 5,
        "{cancelled} cancelled"
    );
    assert!(
        all.iter().any(|b| b.3.ends_with("MEMBER")),
        "members pay the member rate"
    );
    let members = count(&a, "SELECT COUNT(*) FROM memberships").await as usize;
    assert!(
        members > PEOPLE / 2 && members < PEOPLE,
        "{members} memberships"
    );
    assert!(count(&a, "SELECT COUNT(*) FROM registrations").await > 0);
    assert!(count(&a, "SELECT COUNT(*) FROM volunteer_entries").await > 0);
    assert!(count(&a, "SELECT COUNT(*) FROM grant_payments").await > 0);

    // One block per active booking, none per cancelled one, and no two blocks of a space
    // overlap (the database refuses it; this checks the seed did not have it refuse).
    assert_eq!(
        booking_block::Entity::find().count(&a).await.unwrap() as usize,
        all.len() - cancelled
    );
    let cancelled_blocks = count(
        &a,
        "SELECT COUNT(*) FROM booking_blocks k JOIN bookings b ON b.id = k.booking_id \
         WHERE b.status = 'CANCELLED'",
    )
    .await;
    assert_eq!(cancelled_blocks, 0);
    let overlapping = count(
        &a,
        "SELECT COUNT(*) FROM booking_blocks x JOIN booking_blocks y ON x.space_id = y.space_id \
         AND x.booking_id < y.booking_id AND x.starts_at < y.ends_at AND y.starts_at < x.ends_at",
    )
    .await;
    assert_eq!(overlapping, 0);

    // The same seed into another database: the same bookings (titles, times, prices, spaces).
    assert_eq!(bookings_of(&b).await, all);

    // GraphQL reads a week of one site's bookings.
    let server = Server::start(&first.url, &[]);
    server.wait_ready().await;
    let added = user_add(
        &first.url,
        "seed@example.org",
        "volunteer",
        "a long enough password",
    );
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let login = server
        .gql(
            None,
            LOGIN,
            json!({"e": "seed@example.org", "p": "a long enough password"}),
        )
        .await;
    let token = login["data"]["login"]["token"]
        .as_str()
        .unwrap()
        .to_string();
    let site = &sites[0];
    let to = chrono::Utc::now();
    let from = to - chrono::Duration::days(7);
    let expected = booking::Entity::find()
        .filter(booking::Column::SiteId.eq(site.id))
        .filter(booking::Column::Status.eq("CONFIRMED"))
        .filter(booking::Column::StartsAt.lt(to))
        .filter(booking::Column::EndsAt.gt(from))
        .count(&a)
        .await
        .unwrap();
    assert!(expected > 0);
    let week = server
        .gql(
            Some(&token),
            "query($f: BookingFilter) { bookings(filter: $f, first: 200) { totalCount edges { node { title start status space { name } booker { ... on Person { firstName lastName } ... on Organization { name } } } } } }",
            json!({"f": {"siteId": site.id, "from": from, "to": to, "status": "CONFIRMED"}}),
        )
        .await;
    let found = &week["data"]["bookings"];
    assert_eq!(found["totalCount"], json!(expected), "{week}");
    let edges = found["edges"].as_array().unwrap();
    assert_eq!(edges.len() as u64, expected.min(200));
    assert!(
        edges.iter().all(|e| e["node"]["booker"].is_object()),
        "every seeded booking has a booker: {week}"
    );
    assert!(server.terminate().success());
}

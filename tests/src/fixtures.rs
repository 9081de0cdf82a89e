//! Rows the tests need that belong to other areas (people, organizations, memberships),
//! written straight into the database.

use chrono::{NaiveDate, Utc};
use lieu_api::domain::{Name, OrganizationKind};
use lieu_api::service::people::{self, organizations};
use lieu_entity::{membership, membership_plan};
use sea_orm::{ActiveModelTrait, DatabaseConnection, Set};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::TestApp;

pub async fn person(db: &DatabaseConnection, first: &str, last: &str) -> Uuid {
    people::create_person(
        db,
        Utc::now(),
        people::NewPerson::named(
            Name::parse("firstName", first).unwrap(),
            Name::parse("lastName", last).unwrap(),
        ),
    )
    .await
    .expect("create person")
    .id
}

pub async fn organization(db: &DatabaseConnection, name: &str, resident: bool) -> Uuid {
    organizations::create_organization(
        db,
        Utc::now(),
        organizations::NewOrganization {
            name: Name::parse("name", name).unwrap(),
            kind: OrganizationKind::Association,
            resident,
            email: None,
            phone: None,
        },
    )
    .await
    .expect("create organization")
    .id
}

/// A membership of a person from `starts` to `ends` (both included).
pub async fn membership(db: &DatabaseConnection, person_id: Uuid, starts: &str, ends: &str) {
    let now = Utc::now();
    let plan = membership_plan::ActiveModel {
        id: Set(Uuid::new_v4()),
        name: Set("Adhésion".into()),
        name_key: Set(format!("adhesion {}", Uuid::new_v4().simple())),
        period: Set("ROLLING".into()),
        period_months: Set(12),
        price_cents: Set(2000),
        min_price_cents: Set(None),
        for_organizations: Set(false),
        archived_at: Set(None),
        created_at: Set(now),
    }
    .insert(db)
    .await
    .expect("insert plan");
    membership::ActiveModel {
        id: Set(Uuid::new_v4()),
        plan_id: Set(plan.id),
        person_id: Set(Some(person_id)),
        organization_id: Set(None),
        starts_on: Set(starts.parse::<NaiveDate>().unwrap()),
        ends_on: Set(ends.parse::<NaiveDate>().unwrap()),
        amount_paid_cents: Set(2000),
        cancelled_at: Set(None),
        previous_id: Set(None),
        created_at: Set(now),
    }
    .insert(db)
    .await
    .expect("insert membership");
}

impl TestApp {
    /// Creates a space through the API as `token` (a MANAGER) and returns its id. `extra` is
    /// merged into the input (`{"bufferMinutes": 15, "parentId": …}`).
    pub async fn create_space(&self, token: &str, name: &str, extra: Value) -> String {
        let mut input = json!({ "name": name, "kind": "MEETING_ROOM", "capacity": 20 });
        if let (Some(input), Some(extra)) = (input.as_object_mut(), extra.as_object()) {
            for (k, v) in extra {
                input.insert(k.clone(), v.clone());
            }
        }
        let response = self
            .gql_as(
                token,
                "mutation($i: CreateSpaceInput!) { createSpace(input: $i) { id } }",
                json!({ "i": input }),
            )
            .await;
        response.data()["createSpace"]["id"]
            .as_str()
            .expect("space id")
            .to_string()
    }

    /// Books through the API; returns the whole response (tests look at errors too).
    pub async fn book(&self, token: &str, input: Value) -> crate::GqlResponse {
        self.gql_as(
            token,
            "mutation($i: CreateBookingInput!) { createBooking(input: $i) { id status start end tier price paid seriesId attendees } }",
            json!({ "i": input }),
        )
        .await
    }

    /// How many rows a table holds (to prove that a refused mutation wrote nothing).
    pub async fn count_rows(&self, sql_table: &str) -> i64 {
        use sea_orm::{ConnectionTrait, Statement};
        let backend = self.db.get_database_backend();
        let row = self
            .db
            .query_one_raw(Statement::from_string(
                backend,
                format!("SELECT COUNT(*) AS n FROM {sql_table}"),
            ))
            .await
            .unwrap_or_else(|e| panic!("counting {sql_table}: {e}"))
            .expect("a row");
        row.try_get("", "n").expect("n")
    }
}

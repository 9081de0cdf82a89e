//! Memberships: plans, periods, renewals, and who is a member on a given day.

use chrono::NaiveDate;
use lieu_entity::membership;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::error::AppResult;

/// Who holds a membership: a person or an organization.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holder {
    Person(Uuid),
    Organization(Uuid),
}

/// The membership of `holder` that covers the local day `on` (not cancelled, `starts_on <= on
/// <= ends_on`), the one that runs longest when several do.
pub async fn active_on(
    conn: &impl ConnectionTrait,
    holder: Holder,
    on: NaiveDate,
) -> AppResult<Option<membership::Model>> {
    let by_holder = match holder {
        Holder::Person(id) => membership::Column::PersonId.eq(id),
        Holder::Organization(id) => membership::Column::OrganizationId.eq(id),
    };
    Ok(membership::Entity::find()
        .filter(by_holder)
        .filter(membership::Column::CancelledAt.is_null())
        .filter(membership::Column::StartsOn.lte(on))
        .filter(membership::Column::EndsOn.gte(on))
        .order_by_desc(membership::Column::EndsOn)
        .one(conn)
        .await?)
}

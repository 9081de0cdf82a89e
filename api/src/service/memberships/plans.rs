//! Membership plans: what the venue sells (MANAGER sets them: they are prices). Archived plans
//! are no longer sold and stay on past memberships.

use chrono::{DateTime, NaiveDate, Utc};
use lieu_entity::membership_plan;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::db;
use crate::db::constraints::{self, Constraint};
use crate::domain::{Money, Name, PlanPeriod, PlanPrice, StoredEnum, fold};
use crate::error::{AppError, AppResult};

/// A validated plan.
pub struct NewPlan {
    pub name: Name,
    pub period: PlanPeriod,
    /// The length of ROLLING periods; 12 for the others.
    pub period_months: u32,
    pub price: PlanPrice,
    pub for_organizations: bool,
}

pub fn plan_price(plan: &membership_plan::Model) -> PlanPrice {
    PlanPrice {
        price: Money::from_cents(plan.price_cents),
        min_price: plan.min_price_cents.map(Money::from_cents),
    }
}

/// The last day of a period of `plan` starting on `start`.
pub fn period_end(plan: &membership_plan::Model, start: NaiveDate) -> AppResult<NaiveDate> {
    let period = PlanPeriod::from_stored("membership_plans.period", &plan.period)?;
    Ok(period.end(start, u32::try_from(plan.period_months).unwrap_or(12)))
}

pub async fn create_plan(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    input: NewPlan,
) -> AppResult<membership_plan::Model> {
    let txn = db::begin_write(conn).await?;
    let wanted = fold(input.name.as_str());
    if wanted.is_empty() {
        return Err(AppError::validation(
            "name",
            "must contain letters or digits",
        ));
    }
    let same = membership_plan::Entity::find()
        .filter(membership_plan::Column::ArchivedAt.is_null())
        .filter(membership_plan::Column::NameKey.eq(wanted.clone()))
        .one(&txn)
        .await?;
    if let Some(same) = same {
        return Err(AppError::validation(
            "name",
            format!(
                "the plan '{}' (id {}) already has this name; archive it first or choose another",
                same.name, same.id
            ),
        ));
    }
    let model = membership_plan::ActiveModel {
        id: Set(Uuid::new_v4()),
        name: Set(input.name.into_inner()),
        name_key: Set(wanted.clone()),
        period: Set(input.period.as_str().to_string()),
        period_months: Set(i32::try_from(input.period_months).unwrap_or(12)),
        price_cents: Set(input.price.price.cents()),
        min_price_cents: Set(input.price.min_price.map(Money::cents)),
        for_organizations: Set(input.for_organizations),
        archived_at: Set(None),
        created_at: Set(now),
    }
    .insert(&txn)
    .await
    .map_err(|err| {
        // A concurrent creation took the name between the check and the write.
        if constraints::is(&err, Constraint::PlanName) {
            AppError::validation("name", "another plan on offer has just taken this name")
        } else {
            err.into()
        }
    })?;
    crate::service::audit::created("MembershipPlan", model.id, &model);
    crate::service::audit::commit(txn).await?;
    Ok(model)
}

/// Stops selling a plan. Its memberships keep it; it can no longer be started or renewed.
pub async fn archive_plan(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    id: Uuid,
) -> AppResult<membership_plan::Model> {
    let txn = db::begin_write(conn).await?;
    let plan = get_plan(&txn, "id", id).await?;
    if plan.archived_at.is_some() {
        return Err(AppError::InvalidState(format!(
            "the plan '{}' is already archived",
            plan.name
        )));
    }
    let mut row = plan.into_active_model();
    row.archived_at = Set(Some(now));
    let model = row.update(&txn).await?;
    crate::service::audit::commit(txn).await?;
    Ok(model)
}

/// Plans on offer by name (archived ones too when asked, after the others).
pub async fn list_plans(
    conn: &impl ConnectionTrait,
    include_archived: bool,
) -> AppResult<Vec<membership_plan::Model>> {
    let mut query = membership_plan::Entity::find();
    if !include_archived {
        query = query.filter(membership_plan::Column::ArchivedAt.is_null());
    }
    let mut plans = query
        .order_by_asc(membership_plan::Column::Name)
        .order_by_asc(membership_plan::Column::Id)
        .all(conn)
        .await?;
    plans.sort_by_key(|p| p.archived_at.is_some());
    Ok(plans)
}

/// The plan an input names in `field`, or NOT_FOUND.
pub async fn get_plan(
    conn: &impl ConnectionTrait,
    field: &str,
    id: Uuid,
) -> AppResult<membership_plan::Model> {
    membership_plan::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::unknown(field, "membership plan", id))
}

pub async fn plans_by_ids(
    conn: &impl ConnectionTrait,
    ids: &[Uuid],
) -> AppResult<Vec<membership_plan::Model>> {
    Ok(membership_plan::Entity::find()
        .filter(membership_plan::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await?)
}

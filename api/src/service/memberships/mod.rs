//! Memberships: plans, periods, renewals, and who is a member on a given day.
//!
//! Every payment (a start or a renewal) records a MEMBERSHIP revenue in the same transaction,
//! described by the plan's name only (never the member's: erasure does not rewrite the ledger).

pub mod gdpr;
pub mod plans;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use lieu_entity::{membership, membership_plan, person};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use super::holders::{self, Lock};
use super::money::{self, NewRevenue, Source};
use super::sites::today;
use crate::db;
use crate::domain::{
    Actor, Holder, MembershipStatus, Money, RevenueStream, check_membership_start,
};
use crate::error::{AppError, AppResult};

pub use plans::{
    NewPlan, archive_plan, create_plan, get_plan, list_plans, period_end, plan_price, plans_by_ids,
};

/// Who holds a membership.
pub fn holder_of(model: &membership::Model) -> Option<Holder> {
    Holder::from_columns(model.person_id, model.organization_id)
}

/// The memberships of one holder.
fn held_by(holder: Holder) -> Condition {
    match holder {
        Holder::Person(id) => Condition::all().add(membership::Column::PersonId.eq(id)),
        Holder::Organization(id) => Condition::all().add(membership::Column::OrganizationId.eq(id)),
    }
}

pub fn status_on(model: &membership::Model, today: NaiveDate) -> MembershipStatus {
    MembershipStatus::on(
        today,
        model.starts_on,
        model.ends_on,
        model.cancelled_at.is_some(),
    )
}

// ---------------------------------------------------------------------------------------------
// Memberships

pub struct NewMembership {
    pub plan_id: Uuid,
    pub holder: Holder,
    pub starts_on: NaiveDate,
    pub amount_paid: Money,
}

/// A plan that is still sold and fits the holder, or the error that says why not.
pub fn check_plan_for(plan: &membership_plan::Model, holder: Holder) -> AppResult<()> {
    if plan.archived_at.is_some() {
        return Err(AppError::validation(
            "planId",
            format!("the plan '{}' is archived and no longer sold", plan.name),
        ));
    }
    match holder {
        Holder::Person(_) if plan.for_organizations => Err(AppError::validation(
            "personId",
            format!(
                "the plan '{}' is for organizations; choose a plan for people",
                plan.name
            ),
        )),
        Holder::Organization(_) if !plan.for_organizations => Err(AppError::validation(
            "organizationId",
            format!(
                "the plan '{}' is for people; choose a plan for organizations",
                plan.name
            ),
        )),
        _ => Ok(()),
    }
}

/// The holder's row lock, as every start and renewal takes it: a renewal and a start for
/// one member run one after the other (no two periods for the same days), and an erased person
/// is refused.
async fn lock_holder(conn: &impl ConnectionTrait, holder: Holder) -> AppResult<()> {
    holders::lock(conn, holder, Lock::Exclusive, "become a member").await?;
    Ok(())
}

/// A holder's non-cancelled membership that shares a day with `[start, end]`, if any.
pub async fn overlapping(
    conn: &impl ConnectionTrait,
    holder: Holder,
    start: NaiveDate,
    end: NaiveDate,
) -> AppResult<Option<membership::Model>> {
    Ok(membership::Entity::find()
        .filter(held_by(holder))
        .filter(membership::Column::CancelledAt.is_null())
        .filter(membership::Column::StartsOn.lte(end))
        .filter(membership::Column::EndsOn.gte(start))
        .order_by_asc(membership::Column::StartsOn)
        .one(conn)
        .await?)
}

pub fn overlap_error(existing: &membership::Model) -> AppError {
    AppError::InvalidState(format!(
        "already a member from {} to {} (membership {}): renew that membership instead",
        existing.starts_on, existing.ends_on, existing.id
    ))
}

/// The row for a membership of `plan` (not yet inserted).
pub fn new_row(
    now: DateTime<Utc>,
    plan: &membership_plan::Model,
    holder: Holder,
    starts_on: NaiveDate,
    amount_paid: Money,
    previous_id: Option<Uuid>,
) -> AppResult<membership::ActiveModel> {
    let (person_id, organization_id) = Holder::columns(Some(holder));
    Ok(membership::ActiveModel {
        id: Set(Uuid::new_v4()),
        plan_id: Set(plan.id),
        person_id: Set(person_id),
        organization_id: Set(organization_id),
        starts_on: Set(starts_on),
        ends_on: Set(period_end(plan, starts_on)?),
        amount_paid_cents: Set(amount_paid.cents()),
        cancelled_at: Set(None),
        previous_id: Set(previous_id),
        created_at: Set(now),
    })
}

/// The MEMBERSHIP revenue of a payment (none for a zero pay-what-you-can payment).
pub fn payment(
    plan: &membership_plan::Model,
    membership_id: Uuid,
    amount: Money,
    received_on: NaiveDate,
    renewal: bool,
) -> Option<NewRevenue> {
    (amount > Money::ZERO).then(|| NewRevenue {
        stream: RevenueStream::Membership,
        amount,
        received_on,
        // In the venue's language, like the booking lines ("Location …").
        description: format!(
            "{} : {}",
            if renewal {
                "Renouvellement d'adhésion"
            } else {
                "Adhésion"
            },
            plan.name
        ),
        site_id: None,
        source: Some(Source::Membership(membership_id)),
    })
}

/// A membership, locked until the transaction ends (concurrent changes to one membership run
/// one after the other), that is not cancelled; NOT_FOUND or INVALID_STATE otherwise.
async fn lock_live(
    conn: &impl ConnectionTrait,
    id: Uuid,
    refusal: &str,
) -> AppResult<membership::Model> {
    let current = membership::Entity::find_by_id(id)
        .lock_exclusive()
        .one(conn)
        .await?
        .ok_or_else(|| AppError::not_found("membership", id))?;
    if current.cancelled_at.is_some() {
        return Err(AppError::InvalidState(refusal.to_string()));
    }
    Ok(current)
}

/// Starts a membership and records its payment as a MEMBERSHIP revenue received today.
pub async fn start_membership(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    actor: Actor,
    input: NewMembership,
) -> AppResult<membership::Model> {
    let today = today(conn, now).await?;
    check_membership_start(actor, input.starts_on, today)?;
    let txn = db::begin_write(conn).await?;
    let plan = get_plan(&txn, "planId", input.plan_id).await?;
    check_plan_for(&plan, input.holder)?;
    lock_holder(&txn, input.holder).await?;
    plan_price(&plan).check("amountPaid", input.amount_paid)?;
    let row = new_row(
        now,
        &plan,
        input.holder,
        input.starts_on,
        input.amount_paid,
        None,
    )?;
    let ends_on = *row.ends_on.as_ref();
    if let Some(existing) = overlapping(&txn, input.holder, input.starts_on, ends_on).await? {
        return Err(overlap_error(&existing));
    }
    let model = row.insert(&txn).await?;
    if let Some(revenue) = payment(&plan, model.id, input.amount_paid, today, false) {
        money::record(&txn, now, revenue).await?;
    }
    crate::service::audit::created("Membership", model.id, &model);
    crate::service::audit::commit(txn).await?;
    Ok(model)
}

/// Renews a membership for one more period of its plan: from the day after it ends, or from
/// today when that day has passed (a lapse is never back-filled). Records the payment.
pub async fn renew_membership(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    id: Uuid,
    amount_paid: Money,
) -> AppResult<membership::Model> {
    let txn = db::begin_write(conn).await?;
    // Locked: concurrent renewals of one membership run one after the other, and the second
    // then finds the first's renewal.
    let current = lock_live(
        &txn,
        id,
        "a cancelled membership cannot be renewed: start a new one",
    )
    .await?;
    let holder = holder_of(&current)
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("membership {id} has no holder")))?;
    // The holder's lock, as startMembership takes it: a renewal and a start for one member run
    // one after the other (no two periods for the same days), and an erased person is refused.
    lock_holder(&txn, holder).await?;
    let later = membership::Entity::find()
        .filter(held_by(holder))
        .filter(membership::Column::CancelledAt.is_null())
        .filter(membership::Column::EndsOn.gt(current.ends_on))
        .order_by_desc(membership::Column::EndsOn)
        .one(&txn)
        .await?;
    if let Some(later) = later {
        return Err(AppError::InvalidState(format!(
            "already renewed: membership {} runs from {} to {}; renew that one",
            later.id, later.starts_on, later.ends_on
        )));
    }
    let plan = get_plan(&txn, "planId", current.plan_id).await?;
    if plan.archived_at.is_some() {
        return Err(AppError::InvalidState(format!(
            "the plan '{}' is archived: start a membership on a current plan instead",
            plan.name
        )));
    }
    plan_price(&plan).check("amountPaid", amount_paid)?;
    let today = today(&txn, now).await?;
    let after_current = current.ends_on + Duration::days(1);
    let starts_on = after_current.max(today);
    let model = new_row(now, &plan, holder, starts_on, amount_paid, Some(current.id))?
        .insert(&txn)
        .await?;
    if let Some(revenue) = payment(&plan, model.id, amount_paid, today, true) {
        money::record(&txn, now, revenue).await?;
    }
    crate::service::audit::created("Membership", model.id, &model);
    crate::service::audit::commit(txn).await?;
    Ok(model)
}

/// Cancels a membership that is not over yet: from now on it is CANCELLED and makes no one a
/// member. The payment stays in the ledger (a refund is a money operation of its own).
pub async fn cancel_membership(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    id: Uuid,
) -> AppResult<membership::Model> {
    let txn = db::begin_write(conn).await?;
    let current = lock_live(&txn, id, "this membership is already cancelled").await?;
    let today = today(&txn, now).await?;
    if current.ends_on < today {
        return Err(AppError::InvalidState(format!(
            "this membership ended on {}: there is nothing left to cancel",
            current.ends_on
        )));
    }
    let mut row = current.into_active_model();
    row.cancelled_at = Set(Some(now));
    let model = row.update(&txn).await?;
    crate::service::audit::commit(txn).await?;
    Ok(model)
}

pub async fn find_membership(
    conn: &impl ConnectionTrait,
    id: Uuid,
) -> AppResult<Option<membership::Model>> {
    Ok(membership::Entity::find_by_id(id).one(conn).await?)
}

fn holders_condition(holders: &[Holder]) -> Condition {
    let people: Vec<Uuid> = holders.iter().filter_map(|h| h.person_id()).collect();
    let orgs: Vec<Uuid> = holders.iter().filter_map(|h| h.organization_id()).collect();
    let mut any = Condition::any();
    if !people.is_empty() {
        any = any.add(membership::Column::PersonId.is_in(people));
    }
    if !orgs.is_empty() {
        any = any.add(membership::Column::OrganizationId.is_in(orgs));
    }
    any
}

/// The memberships covering `on` of several holders (one statement; the caller picks per
/// holder the one that runs longest).
pub async fn active_of_many(
    conn: &impl ConnectionTrait,
    holders: &[Holder],
    on: NaiveDate,
) -> AppResult<Vec<membership::Model>> {
    if holders.is_empty() {
        return Ok(Vec::new());
    }
    Ok(membership::Entity::find()
        .filter(holders_condition(holders))
        .filter(membership::Column::CancelledAt.is_null())
        .filter(membership::Column::StartsOn.lte(on))
        .filter(membership::Column::EndsOn.gte(on))
        .order_by_desc(membership::Column::EndsOn)
        .all(conn)
        .await?)
}

/// Every membership of several holders, most recent first.
pub async fn memberships_of_many(
    conn: &impl ConnectionTrait,
    holders: &[Holder],
) -> AppResult<Vec<membership::Model>> {
    if holders.is_empty() {
        return Ok(Vec::new());
    }
    Ok(membership::Entity::find()
        .filter(holders_condition(holders))
        .order_by_desc(membership::Column::StartsOn)
        .order_by_desc(membership::Column::CreatedAt)
        .all(conn)
        .await?)
}

/// Memberships ending between today and `today + within_days` (both included) that are not
/// cancelled and not followed by a later one of the same holder (already renewed), soonest
/// first: the front desk's reminder list. Erased people are left out (no one to remind).
pub async fn expiring(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    within_days: u32,
) -> AppResult<Vec<membership::Model>> {
    let today = today(conn, now).await?;
    let until = today + Duration::days(i64::from(within_days));
    let candidates = membership::Entity::find()
        .filter(membership::Column::CancelledAt.is_null())
        .filter(membership::Column::EndsOn.gte(today))
        .filter(membership::Column::EndsOn.lte(until))
        .order_by_asc(membership::Column::EndsOn)
        .order_by_asc(membership::Column::Id)
        .all(conn)
        .await?;
    let holders: Vec<Holder> = candidates.iter().filter_map(holder_of).collect();
    if holders.is_empty() {
        return Ok(candidates);
    }
    let later = membership::Entity::find()
        .filter(holders_condition(&holders))
        .filter(membership::Column::CancelledAt.is_null())
        .filter(membership::Column::EndsOn.gt(today))
        .all(conn)
        .await?;
    let person_ids: Vec<Uuid> = holders.iter().filter_map(|h| h.person_id()).collect();
    let erased: std::collections::HashSet<Uuid> = person::Entity::find()
        .filter(person::Column::Id.is_in(person_ids))
        .filter(person::Column::ErasedAt.is_not_null())
        .all(conn)
        .await?
        .into_iter()
        .map(|p| p.id)
        .collect();
    // The latest end per holder: a candidate is renewed when its holder has a later one.
    let mut latest_end: std::collections::HashMap<Holder, NaiveDate> = Default::default();
    for l in &later {
        if let Some(holder) = holder_of(l) {
            let end = latest_end.entry(holder).or_insert(l.ends_on);
            *end = (*end).max(l.ends_on);
        }
    }
    Ok(candidates
        .into_iter()
        .filter(|m| {
            let renewed = holder_of(m)
                .and_then(|h| latest_end.get(&h))
                .is_some_and(|end| *end > m.ends_on);
            let gone = m.person_id.is_some_and(|id| erased.contains(&id));
            !renewed && !gone
        })
        .collect())
}

/// Which of `days` a membership of `holder` covers (not cancelled, `starts_on <= day <=
/// ends_on`), in one query: the MEMBER tier of each booking of a series.
pub async fn member_days(
    conn: &impl ConnectionTrait,
    holder: Holder,
    days: &[NaiveDate],
) -> AppResult<std::collections::HashSet<NaiveDate>> {
    let (Some(first), Some(last)) = (days.iter().min(), days.iter().max()) else {
        return Ok(Default::default());
    };
    let periods: Vec<(NaiveDate, NaiveDate)> = membership::Entity::find()
        .select_only()
        .column(membership::Column::StartsOn)
        .column(membership::Column::EndsOn)
        .filter(held_by(holder))
        .filter(membership::Column::CancelledAt.is_null())
        .filter(membership::Column::StartsOn.lte(*last))
        .filter(membership::Column::EndsOn.gte(*first))
        .into_tuple()
        .all(conn)
        .await?;
    Ok(days
        .iter()
        .copied()
        .filter(|day| periods.iter().any(|(s, e)| s <= day && day <= e))
        .collect())
}

#[cfg(test)]
mod tests;

//! Grants from the venue's side: a funder (reused by name), what was asked for what, the
//! status with its history (API.md's transitions only), payments in tranches (only on an
//! AWARDED grant, never above what was awarded), and the reports the funder expects by a day.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use lieu_entity::{funder, grant, grant_payment, grant_status_change, reporting_deadline};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use crate::db;
use crate::db::constraints::{self, Constraint};
use crate::domain::{Actor, FunderKind, GrantStatus, Money, Name, StoredEnum, fold};
use crate::error::{AppError, AppResult};
use crate::service::sites;

/// A validated grant application.
pub struct NewGrant {
    pub funder_name: Name,
    pub funder_kind: FunderKind,
    pub program: Option<String>,
    pub title: Name,
    pub amount_requested: Money,
    pub period: (NaiveDate, NaiveDate),
    pub purpose: Option<String>,
    pub site_id: Option<Uuid>,
}

pub fn status_of(model: &grant::Model) -> AppResult<GrantStatus> {
    GrantStatus::from_stored("grants.status", &model.status)
}

pub fn kind_of(model: &funder::Model) -> AppResult<FunderKind> {
    FunderKind::from_stored("funders.kind", &model.kind)
}

/// The funder of this name (whatever its case and accents), created when new. An existing
/// funder keeps its kind: a different one given is VALIDATION (two funders cannot share a
/// name).
async fn funder_named(
    txn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    name: &Name,
    kind: FunderKind,
) -> AppResult<funder::Model> {
    let key = fold(name.as_str());
    if let Some(existing) = funder::Entity::find()
        .filter(funder::Column::NameKey.eq(key.clone()))
        .one(txn)
        .await?
    {
        if kind_of(&existing)? != kind {
            return Err(AppError::validation(
                "funderKind",
                format!(
                    "{} is already recorded as {}: give that kind, or another name",
                    existing.name, existing.kind
                ),
            ));
        }
        return Ok(existing);
    }
    funder::ActiveModel {
        id: Set(Uuid::new_v4()),
        name: Set(name.as_str().to_string()),
        name_key: Set(key),
        kind: Set(kind.as_str().to_string()),
        created_at: Set(now),
    }
    .insert(txn)
    .await
    .map_err(|err| {
        if constraints::is(&err, Constraint::FunderName) {
            AppError::InvalidState(
                "this funder was just recorded by someone else: try again".into(),
            )
        } else {
            err.into()
        }
    })
}

/// Records an application (DRAFT), and its first status in the history.
pub async fn create_grant(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    actor: Actor,
    input: NewGrant,
) -> AppResult<grant::Model> {
    let txn = db::begin_write(conn).await?;
    if let Some(site) = input.site_id {
        sites::find_site(&txn, site)
            .await?
            .ok_or_else(|| AppError::unknown("siteId", "site", site))?;
    }
    let funder = funder_named(&txn, now, &input.funder_name, input.funder_kind).await?;
    let model = grant::ActiveModel {
        id: Set(Uuid::new_v4()),
        funder_id: Set(funder.id),
        site_id: Set(input.site_id),
        program: Set(input.program),
        title: Set(input.title.into_inner()),
        purpose: Set(input.purpose),
        status: Set(GrantStatus::Draft.as_str().to_string()),
        amount_requested_cents: Set(input.amount_requested.cents()),
        amount_awarded_cents: Set(None),
        period_start: Set(input.period.0),
        period_end: Set(input.period.1),
        created_by: Set(actor.user_id()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    history(&txn, now, actor, model.id, None, GrantStatus::Draft).await?;
    crate::service::audit::created("Grant", model.id, &model);
    crate::service::audit::commit(txn).await?;
    Ok(model)
}

async fn history(
    txn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    actor: Actor,
    grant_id: Uuid,
    from: Option<GrantStatus>,
    to: GrantStatus,
) -> AppResult<()> {
    grant_status_change::ActiveModel {
        id: Set(Uuid::new_v4()),
        grant_id: Set(grant_id),
        from_status: Set(from.map(|s| s.as_str().to_string())),
        to_status: Set(to.as_str().to_string()),
        changed_by: Set(actor.user_id()),
        changed_at: Set(now),
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// The grant, locked until the transaction ends (its status and payments change one at a
/// time).
async fn lock_grant(
    txn: &impl ConnectionTrait,
    field: Option<&str>,
    id: Uuid,
) -> AppResult<grant::Model> {
    grant::Entity::find_by_id(id)
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or_else(|| match field {
            Some(field) => AppError::unknown(field, "grant", id),
            None => AppError::not_found("grant", id),
        })
}

/// Moves a grant along API.md's transitions; AWARDED takes the amount awarded (at most what
/// was requested). Anything else is INVALID_STATE.
pub async fn set_status(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    actor: Actor,
    id: Uuid,
    next: GrantStatus,
    amount_awarded: Option<Money>,
) -> AppResult<grant::Model> {
    let txn = db::begin_write(conn).await?;
    let current = lock_grant(&txn, None, id).await?;
    let status = status_of(&current)?;
    if !status.may_become(next) {
        return Err(AppError::InvalidState(format!(
            "a {status} grant cannot become {next} (DRAFT -> SUBMITTED -> AWARDED or REJECTED, DRAFT -> AWARDED, AWARDED -> CLOSED)"
        )));
    }
    let mut row = current.clone().into_active_model();
    match (next, amount_awarded) {
        (GrantStatus::Awarded, None) => {
            return Err(AppError::validation(
                "amountAwarded",
                "say how much was awarded",
            ));
        }
        (GrantStatus::Awarded, Some(amount)) => {
            if amount.cents() > current.amount_requested_cents {
                return Err(AppError::validation(
                    "amountAwarded",
                    format!(
                        "{} EUR is above the {} EUR requested: correct the request first",
                        amount.to_decimal(),
                        Money::from_cents(current.amount_requested_cents).to_decimal()
                    ),
                ));
            }
            row.amount_awarded_cents = Set(Some(amount.cents()));
        }
        (_, Some(_)) => {
            return Err(AppError::validation(
                "amountAwarded",
                "is only given when the grant becomes AWARDED",
            ));
        }
        (_, None) => {}
    }
    row.status = Set(next.as_str().to_string());
    row.updated_at = Set(now);
    let updated = row.update(&txn).await?;
    history(&txn, now, actor, id, Some(status), next).await?;
    crate::service::audit::commit(txn).await?;
    Ok(updated)
}

/// Records a tranche of an AWARDED grant; the payments never add up to more than the award.
pub async fn record_payment(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    actor: Actor,
    grant_id: Uuid,
    amount: Money,
    received_on: NaiveDate,
) -> AppResult<grant_payment::Model> {
    let txn = db::begin_write(conn).await?;
    let grant = lock_grant(&txn, Some("grantId"), grant_id).await?;
    if status_of(&grant)? != GrantStatus::Awarded {
        return Err(AppError::InvalidState(format!(
            "this grant is {}: payments are recorded on an AWARDED grant",
            grant.status
        )));
    }
    let awarded = grant.amount_awarded_cents.unwrap_or(0);
    let received = received_total(&txn, grant_id).await?;
    if received + amount.cents() > awarded {
        return Err(AppError::validation(
            "amount",
            format!(
                "{} EUR would bring the payments to {} EUR, above the {} EUR awarded",
                amount.to_decimal(),
                Money::from_cents(received + amount.cents()).to_decimal(),
                Money::from_cents(awarded).to_decimal()
            ),
        ));
    }
    let payment = grant_payment::ActiveModel {
        id: Set(Uuid::new_v4()),
        grant_id: Set(grant_id),
        amount_cents: Set(amount.cents()),
        received_on: Set(received_on),
        created_by: Set(actor.user_id()),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;
    crate::service::audit::created("GrantPayment", payment.id, &payment);
    crate::service::audit::commit(txn).await?;
    Ok(payment)
}

async fn received_total(conn: &impl ConnectionTrait, grant_id: Uuid) -> AppResult<i64> {
    Ok(payments_of(conn, [grant_id])
        .await?
        .remove(&grant_id)
        .unwrap_or_default()
        .iter()
        .map(|p| p.amount_cents)
        .sum())
}

/// A report the funder expects by a day.
pub async fn add_deadline(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    grant_id: Uuid,
    label: Name,
    due_on: NaiveDate,
) -> AppResult<reporting_deadline::Model> {
    let txn = db::begin_write(conn).await?;
    lock_grant(&txn, Some("grantId"), grant_id).await?;
    let model = reporting_deadline::ActiveModel {
        id: Set(Uuid::new_v4()),
        grant_id: Set(grant_id),
        label: Set(label.into_inner()),
        due_on: Set(due_on),
        done_on: Set(None),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;
    crate::service::audit::created("ReportingDeadline", model.id, &model);
    crate::service::audit::commit(txn).await?;
    Ok(model)
}

/// The report was sent on `done_on`. INVALID_STATE when already done.
pub async fn complete_deadline(
    conn: &DatabaseConnection,
    id: Uuid,
    done_on: NaiveDate,
) -> AppResult<reporting_deadline::Model> {
    let txn = db::begin_write(conn).await?;
    let current = reporting_deadline::Entity::find_by_id(id)
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::not_found("reporting deadline", id))?;
    if let Some(done) = current.done_on {
        return Err(AppError::InvalidState(format!(
            "this report was already sent on {done}"
        )));
    }
    let mut row = current.into_active_model();
    row.done_on = Set(Some(done_on));
    let model = row.update(&txn).await?;
    crate::service::audit::commit(txn).await?;
    Ok(model)
}

/// Grants, the latest period first; of one status when asked.
pub async fn list_grants(
    conn: &impl ConnectionTrait,
    status: Option<GrantStatus>,
) -> AppResult<Vec<grant::Model>> {
    let mut query = grant::Entity::find();
    if let Some(status) = status {
        query = query.filter(grant::Column::Status.eq(status.as_str()));
    }
    Ok(query
        .order_by_desc(grant::Column::PeriodStart)
        .order_by_asc(grant::Column::Title)
        .limit(2000)
        .all(conn)
        .await?)
}

pub async fn find_grant(conn: &impl ConnectionTrait, id: Uuid) -> AppResult<Option<grant::Model>> {
    Ok(grant::Entity::find_by_id(id).one(conn).await?)
}

/// Reports not yet sent that are due within `within_days` of `today`, and those overdue, the
/// soonest first.
pub async fn upcoming_deadlines(
    conn: &impl ConnectionTrait,
    today: NaiveDate,
    within_days: u32,
) -> AppResult<Vec<reporting_deadline::Model>> {
    Ok(reporting_deadline::Entity::find()
        .filter(reporting_deadline::Column::DoneOn.is_null())
        .filter(
            reporting_deadline::Column::DueOn.lte(today + Duration::days(i64::from(within_days))),
        )
        .order_by_asc(reporting_deadline::Column::DueOn)
        .all(conn)
        .await?)
}

macro_rules! by_grant {
    ($(#[$meta:meta])* $name:ident, $entity:ident, $order:expr) => {
        $(#[$meta])*
        pub async fn $name(
            conn: &impl ConnectionTrait,
            grant_ids: impl IntoIterator<Item = Uuid>,
        ) -> AppResult<HashMap<Uuid, Vec<$entity::Model>>> {
            let rows = $entity::Entity::find()
                .filter($entity::Column::GrantId.is_in(grant_ids))
                .order_by_asc($order)
                .all(conn)
                .await?;
            let mut out: HashMap<Uuid, Vec<$entity::Model>> = HashMap::new();
            for row in rows {
                out.entry(row.grant_id).or_default().push(row);
            }
            Ok(out)
        }
    };
}

by_grant!(
    /// The payments of several grants, by day received.
    payments_of,
    grant_payment,
    grant_payment::Column::ReceivedOn
);
by_grant!(
    /// The reporting deadlines of several grants, by day due.
    deadlines_of,
    reporting_deadline,
    reporting_deadline::Column::DueOn
);
by_grant!(
    /// The status history of several grants, oldest first.
    history_of,
    grant_status_change,
    grant_status_change::Column::ChangedAt
);

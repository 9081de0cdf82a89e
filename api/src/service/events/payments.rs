//! What registrations pay: the EVENT_TICKETS line of a registration (once), and refunds when
//! a paid registration or its event is cancelled (reversing entries, never deletions).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use lieu_entity::registration;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, Set,
};
use uuid::Uuid;

use super::prices_of;
use super::registrations::{lock, status_of_registration};
use crate::db;
use crate::domain::{
    Actor, Holder, Money, RegistrationStatus, RevenueStream, SourceKind, local_date,
};
use crate::error::{AppError, AppResult};
use crate::service::memberships;
use crate::service::money::{self, NewRevenue, Source};
use crate::service::sites;

/// Records the payment of a registration as one EVENT_TICKETS revenue, once: its seats at the
/// event's price (the member price for a member on the event's day), or `amount` from the
/// floor up on a pay-what-you-can event.
pub async fn mark_paid(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    id: Uuid,
    amount: Option<Money>,
) -> AppResult<registration::Model> {
    let txn = db::begin_write(conn).await?;
    let (event, current) = lock(&txn, id).await?;
    if status_of_registration(&current)? == RegistrationStatus::Cancelled {
        return Err(AppError::InvalidState(
            "this registration is cancelled: it cannot be paid".into(),
        ));
    }
    if current.revenue_id.is_some() {
        return Err(AppError::InvalidState(
            "this registration is already paid".into(),
        ));
    }
    let prices = prices_of(&event);
    if prices.is_free() {
        return Err(AppError::InvalidState(format!(
            "'{}' is free: there is nothing to pay",
            event.title
        )));
    }
    let tz = sites::timezone_of(&sites::get_site(&txn, event.site_id).await?)?;
    let day = local_date(event.starts_at, tz);
    let member = match current.person_id {
        Some(person) => !memberships::member_days(&txn, Holder::Person(person), &[day])
            .await?
            .is_empty(),
        None => false,
    };
    let paid = amount.unwrap_or_else(|| prices.due(current.seats, member));
    prices.check_paid(paid, current.seats, member)?;
    if paid == Money::ZERO {
        return Err(AppError::validation(
            "amount",
            "nothing paid: leave the registration unpaid",
        ));
    }
    // Named by the event and its day, never by who paid: the ledger holds no personal data.
    let revenue = money::record(
        &txn,
        now,
        NewRevenue {
            stream: RevenueStream::EventTickets,
            amount: paid,
            received_on: local_date(now, tz),
            description: format!("Billetterie {} du {}", event.title, day.format("%d/%m/%Y")),
            site_id: Some(event.site_id),
            source: Some(Source::Registration(id)),
        },
    )
    .await?;
    let mut row = current.into_active_model();
    row.paid_at = Set(Some(now));
    row.revenue_id = Set(Some(revenue.id));
    let paid = row.update(&txn).await?;
    crate::service::audit::commit(txn).await?;
    Ok(paid)
}

/// The paid registrations among `registrations`, with the cents each paid.
pub(super) async fn paid_of(
    conn: &impl ConnectionTrait,
    registrations: &[&registration::Model],
) -> AppResult<Vec<(Uuid, i64)>> {
    let by_revenue: HashMap<Uuid, Uuid> = registrations
        .iter()
        .filter_map(|r| r.revenue_id.map(|revenue| (revenue, r.id)))
        .collect();
    if by_revenue.is_empty() {
        return Ok(Vec::new());
    }
    let lines = money::revenues_by_ids(conn, by_revenue.keys().copied()).await?;
    Ok(lines
        .into_iter()
        .filter_map(|line| by_revenue.get(&line.id).map(|r| (*r, line.amount_cents)))
        .collect())
}

/// Pays back registrations (inside the caller's transaction): each payment is reversed and
/// the registrations are no longer paid.
pub(super) async fn refund_all(
    txn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    actor: Actor,
    ids: &[Uuid],
    reason: &str,
) -> AppResult<()> {
    money::refund(txn, now, actor, SourceKind::Registration, ids, reason).await?;
    registration::Entity::update_many()
        .col_expr(
            registration::Column::PaidAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(
            registration::Column::RevenueId,
            Expr::value(Option::<Uuid>::None),
        )
        .filter(registration::Column::Id.is_in(ids.iter().copied()))
        .exec(txn)
        .await?;
    Ok(())
}

/// Before cancelling events: what their paid registrations call for, from the caller's
/// `refund` answer (VALIDATION when some were paid and there is no answer); refunds them when
/// asked.
pub async fn settle_paid(
    txn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    actor: Actor,
    event_ids: &[Uuid],
    refund: Option<bool>,
) -> AppResult<()> {
    let active = registration::Entity::find()
        .filter(registration::Column::EventId.is_in(event_ids.iter().copied()))
        .filter(registration::Column::Status.ne(RegistrationStatus::Cancelled.as_str()))
        .filter(registration::Column::RevenueId.is_not_null())
        .all(txn)
        .await?;
    let paid = paid_of(txn, &active.iter().collect::<Vec<_>>()).await?;
    let cents: Vec<i64> = paid.iter().map(|p| p.1).collect();
    if money::refund_wanted_of_many(&cents, refund, "registration")? {
        let ids: Vec<Uuid> = paid.iter().map(|p| p.0).collect();
        refund_all(txn, now, actor, &ids, "événement annulé").await?;
    }
    Ok(())
}

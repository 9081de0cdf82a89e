//! The revenue ledger: the one seam through which any area records money. Memberships, paid
//! bookings, tickets, imports, the demo and direct entries record here, inside their own
//! transaction, so that a payment and what it pays for are written together or not at all, and
//! every line has the same shape whoever wrote it. A line is never edited nor deleted: a
//! correction (or a refund) is a reversing entry of the opposite amount, dated the day it is
//! made, pointing at the original, which is marked reversed. Grants are in `grants`.

pub mod grants;

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use lieu_entity::revenue;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use crate::db;
use crate::db::constraints::{self, Constraint};
use crate::domain::{Actor, DayRange, Money, RevenueStream, SourceKind, StoredEnum, local_date};
use crate::error::{AppError, AppResult};
use crate::service::sites;

/// What a revenue line pays for, when it pays for something Lieu knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// A membership period.
    Membership(Uuid),
    /// A booking (the booking points at its line too).
    Booking(Uuid),
    /// A registration's tickets (the registration points at its line too).
    Registration(Uuid),
}

impl Source {
    fn columns(self) -> (SourceKind, Uuid) {
        match self {
            Self::Membership(id) => (SourceKind::Membership, id),
            Self::Booking(id) => (SourceKind::Booking, id),
            Self::Registration(id) => (SourceKind::Registration, id),
        }
    }
}

pub struct NewRevenue {
    pub stream: RevenueStream,
    pub amount: Money,
    pub received_on: NaiveDate,
    /// Never personal data (names, emails): erasure does not rewrite the ledger.
    pub description: String,
    pub site_id: Option<Uuid>,
    pub source: Option<Source>,
}

/// Rows per INSERT: well under the bound-parameter limits of both databases.
const CHUNK: usize = 500;

/// The row of one revenue line (not yet inserted).
pub fn row(now: DateTime<Utc>, input: NewRevenue) -> revenue::ActiveModel {
    let source = input.source.map(Source::columns);
    revenue::ActiveModel {
        id: Set(Uuid::new_v4()),
        stream: Set(input.stream.as_str().to_string()),
        amount_cents: Set(input.amount.cents()),
        received_on: Set(input.received_on),
        description: Set(input.description),
        site_id: Set(input.site_id),
        membership_id: Set(match input.source {
            Some(Source::Membership(id)) => Some(id),
            _ => None,
        }),
        created_at: Set(now),
        source_kind: Set(source.map(|(kind, _)| kind.as_str().to_string())),
        source_id: Set(source.map(|(_, id)| id)),
        reversal_of: Set(None),
        reversed_at: Set(None),
        reversal_reason: Set(None),
        created_by: Set(None),
    }
}

/// Writes one revenue line on `conn` (normally the caller's open transaction).
pub async fn record(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    input: NewRevenue,
) -> AppResult<revenue::Model> {
    Ok(row(now, input).insert(conn).await?)
}

/// Writes many revenue lines (imports, the demo) in a few multi-row statements.
pub async fn record_many(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    lines: impl IntoIterator<Item = NewRevenue>,
) -> AppResult<()> {
    let mut rows = lines.into_iter().map(|l| row(now, l)).peekable();
    while rows.peek().is_some() {
        let chunk: Vec<_> = rows.by_ref().take(CHUNK).collect();
        revenue::Entity::insert_many(chunk)
            .exec_without_returning(conn)
            .await?;
    }
    Ok(())
}

/// A revenue entered by hand (the café's till, a donation): no source. MANAGER.
pub async fn record_revenue(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    actor: Actor,
    input: NewRevenue,
) -> AppResult<revenue::Model> {
    let txn = db::begin_write(conn).await?;
    if let Some(site) = input.site_id {
        sites::find_site(&txn, site)
            .await?
            .ok_or_else(|| AppError::unknown("siteId", "site", site))?;
    }
    let mut line = row(now, input);
    line.created_by = Set(actor.user_id());
    let model = line.insert(&txn).await?;
    crate::service::audit::created("Revenue", model.id, &model);
    crate::service::audit::commit(txn).await?;
    Ok(model)
}

pub async fn find_revenue(
    conn: &impl ConnectionTrait,
    id: Uuid,
) -> AppResult<Option<revenue::Model>> {
    Ok(revenue::Entity::find_by_id(id).one(conn).await?)
}

/// Reverses a revenue with a reason: a new line of the opposite amount, dated today (the day
/// of the correction, so the books of a closed month stay as they were), pointing at the
/// original, which is marked reversed. A reversing entry, or a line already reversed, is
/// INVALID_STATE.
pub async fn reverse_revenue(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    actor: Actor,
    id: Uuid,
    reason: &str,
) -> AppResult<revenue::Model> {
    let txn = db::begin_write(conn).await?;
    let original = revenue::Entity::find_by_id(id)
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::not_found("revenue", id))?;
    let tz = zone_of(&txn, original.site_id).await?;
    let reversal = reverse(&txn, now, actor, &original, tz, reason).await?;
    crate::service::audit::created("Revenue", reversal.id, &reversal);
    crate::service::audit::commit(txn).await?;
    Ok(reversal)
}

/// The time zone that dates a line of `site` (the default site's for a venue-wide line).
async fn zone_of(txn: &impl ConnectionTrait, site: Option<Uuid>) -> AppResult<chrono_tz::Tz> {
    match site {
        Some(site) => sites::timezone_of(&sites::get_site(txn, site).await?),
        None => sites::timezone_of(&sites::default_site(txn).await?),
    }
}

/// The reversal of `original` inside the caller's transaction (the original locked), dated
/// today in `tz`.
async fn reverse(
    txn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    actor: Actor,
    original: &revenue::Model,
    tz: chrono_tz::Tz,
    reason: &str,
) -> AppResult<revenue::Model> {
    if original.reversal_of.is_some() {
        return Err(AppError::InvalidState(
            "this line is itself a reversal: record a new revenue instead".into(),
        ));
    }
    if original.reversed_at.is_some() {
        return Err(AppError::InvalidState(format!(
            "this revenue was already reversed on {}",
            original
                .reversed_at
                .map(|t| t.date_naive())
                .unwrap_or_default()
        )));
    }
    let reversal = revenue::ActiveModel {
        id: Set(Uuid::new_v4()),
        stream: Set(original.stream.clone()),
        amount_cents: Set(-original.amount_cents),
        received_on: Set(local_date(now, tz)),
        description: Set(format!("Annulation : {}", original.description)),
        site_id: Set(original.site_id),
        membership_id: Set(original.membership_id),
        created_at: Set(now),
        source_kind: Set(original.source_kind.clone()),
        source_id: Set(original.source_id),
        reversal_of: Set(Some(original.id)),
        reversed_at: Set(None),
        reversal_reason: Set(Some(reason.to_string())),
        created_by: Set(actor.user_id()),
    }
    .insert(txn)
    .await
    .map_err(|err| {
        // A concurrent reversal got there first (one reversal per line, by the index).
        if constraints::is(&err, Constraint::RevenueReversedOnce) {
            AppError::InvalidState("this revenue was just reversed by someone else".into())
        } else {
            err.into()
        }
    })?;
    revenue::Entity::update_many()
        .col_expr(revenue::Column::ReversedAt, Expr::value(now))
        .col_expr(revenue::Column::ReversalReason, Expr::value(reason))
        .filter(revenue::Column::Id.eq(original.id))
        .exec(txn)
        .await?;
    Ok(reversal)
}

/// Whether to refund what is being cancelled, from the caller's `refund` answer: a paid
/// thing needs an answer (VALIDATION asks for it), an unpaid one cannot be refunded.
/// `what` starts the message: "this booking was", "2 occurrences were".
pub fn refund_wanted(paid: Option<Money>, refund: Option<bool>, what: &str) -> AppResult<bool> {
    match (paid, refund) {
        (Some(amount), None) => Err(AppError::validation(
            "refund",
            format!(
                "{what} paid ({} EUR): say refund: true to pay it back (a reversing entry \
                 in the revenues), or refund: false to keep the payment",
                amount.to_decimal()
            ),
        )),
        (None, Some(true)) => Err(AppError::validation(
            "refund",
            format!("{what} not paid: there is nothing to refund"),
        )),
        (paid, refund) => Ok(paid.is_some() && refund == Some(true)),
    }
}

/// [`refund_wanted`] for a cancellation of several things (`noun`: "occurrence",
/// "registration") of which those paid paid `paid_cents`: when none was paid, `refund` has
/// nothing to decide and is ignored.
pub fn refund_wanted_of_many(
    paid_cents: &[i64],
    refund: Option<bool>,
    noun: &str,
) -> AppResult<bool> {
    if paid_cents.is_empty() {
        return Ok(false);
    }
    let what = match paid_cents.len() {
        1 => format!("one {noun} was"),
        n => format!("{n} {noun}s were"),
    };
    refund_wanted(
        Some(Money::from_cents(paid_cents.iter().sum())),
        refund,
        &what,
    )
}

/// A refund of what the `kind` sources `ids` paid, inside the caller's transaction (paid
/// bookings or registrations being cancelled): their revenues are reversed, read in one
/// statement. Returns how many lines were.
pub async fn refund(
    txn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    actor: Actor,
    kind: SourceKind,
    ids: &[Uuid],
    reason: &str,
) -> AppResult<usize> {
    let paid = revenue::Entity::find()
        .filter(revenue::Column::SourceKind.eq(kind.as_str()))
        .filter(revenue::Column::SourceId.is_in(ids.iter().copied()))
        .filter(revenue::Column::ReversalOf.is_null())
        .filter(revenue::Column::ReversedAt.is_null())
        .lock_exclusive()
        .all(txn)
        .await?;
    let mut zones: HashMap<Option<Uuid>, chrono_tz::Tz> = HashMap::new();
    for line in &paid {
        let tz = match zones.get(&line.site_id) {
            Some(tz) => *tz,
            None => {
                let tz = zone_of(txn, line.site_id).await?;
                zones.insert(line.site_id, tz);
                tz
            }
        };
        reverse(txn, now, actor, line, tz, reason).await?;
    }
    Ok(paid.len())
}

/// Which revenues a list shows: received within `days`, of a stream, of a site.
#[derive(Clone, Debug)]
pub struct RevenueFilter {
    pub days: DayRange,
    pub stream: Option<RevenueStream>,
    pub site_id: Option<Uuid>,
}

/// Revenues by day received (reversing entries included), at most `limit`.
pub async fn list_revenues(
    conn: &impl ConnectionTrait,
    filter: &RevenueFilter,
    limit: u64,
) -> AppResult<Vec<revenue::Model>> {
    let mut query = revenue::Entity::find()
        .filter(revenue::Column::ReceivedOn.gte(filter.days.from))
        .filter(revenue::Column::ReceivedOn.lte(filter.days.to));
    if let Some(stream) = filter.stream {
        query = query.filter(revenue::Column::Stream.eq(stream.as_str()));
    }
    if let Some(site) = filter.site_id {
        query = query.filter(revenue::Column::SiteId.eq(site));
    }
    Ok(query
        .order_by_asc(revenue::Column::ReceivedOn)
        .order_by_asc(revenue::Column::CreatedAt)
        .order_by_asc(revenue::Column::Id)
        .limit(limit)
        .all(conn)
        .await?)
}

/// The net total of each stream over the lines `filter` selects, in API.md's order.
pub async fn totals_by_stream(
    conn: &impl ConnectionTrait,
    filter: &RevenueFilter,
) -> AppResult<Vec<(RevenueStream, Money)>> {
    let mut query = revenue::Entity::find()
        .select_only()
        .column(revenue::Column::Stream)
        .column_as(crate::service::reports::sum_bigint("amount_cents"), "cents")
        .filter(revenue::Column::ReceivedOn.gte(filter.days.from))
        .filter(revenue::Column::ReceivedOn.lte(filter.days.to));
    if let Some(stream) = filter.stream {
        query = query.filter(revenue::Column::Stream.eq(stream.as_str()));
    }
    if let Some(site) = filter.site_id {
        query = query.filter(revenue::Column::SiteId.eq(site));
    }
    let rows: Vec<(String, i64)> = query
        .group_by(revenue::Column::Stream)
        .into_tuple()
        .all(conn)
        .await?;
    let mut totals = rows
        .into_iter()
        .map(|(stream, cents)| {
            Ok((
                RevenueStream::from_stored("revenues.stream", &stream)?,
                Money::from_cents(cents),
            ))
        })
        .collect::<AppResult<Vec<_>>>()?;
    totals.sort_by_key(|(stream, _)| RevenueStream::ALL.iter().position(|s| s == stream));
    Ok(totals)
}

/// Revenue lines by id (what paid for several registrations at once).
pub async fn revenues_by_ids(
    conn: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> AppResult<Vec<revenue::Model>> {
    Ok(revenue::Entity::find()
        .filter(revenue::Column::Id.is_in(ids))
        .all(conn)
        .await?)
}

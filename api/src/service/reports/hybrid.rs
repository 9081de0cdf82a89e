//! The hybrid model report (API.md's definitions): earned revenue, private funding (donations,
//! sponsorship, grants from foundations, companies and others), public funding (grants from
//! the State, local authorities and the EU), the volunteer hours and what they are worth, and
//! the free loans of rooms valued at their PUBLIC rate (in kind, never revenue).
//!
//! A site's report holds what was recorded for that site: memberships and grants made for the
//! whole venue (no site) appear only in the report of all sites.

use std::collections::BTreeMap;

use super::{Period, Scope, month_of, months_of, sum_bigint};
use crate::domain::{BookingStatus, DayRange, FunderKind, Hours, Money, RevenueStream, StoredEnum};
use crate::error::AppResult;
use crate::service::volunteering;
use chrono::NaiveDate;
use lieu_entity::{booking, funder, grant, grant_payment, revenue};
use rust_decimal::Decimal;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QuerySelect, RelationTrait,
};

/// One month of the report.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MonthTotals {
    /// `YYYY-MM`.
    pub month: String,
    pub earned: Money,
    pub private: Money,
    pub public: Money,
    pub volunteer_hours: Hours,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HybridReport {
    pub days: DayRange,
    /// Every stream with at least one line in the period (a reversal that nets to zero
    /// included), in API.md's order.
    pub by_stream: Vec<(RevenueStream, Money)>,
    /// Every funder kind with at least one payment in the period, in API.md's order.
    pub by_funder_kind: Vec<(FunderKind, Money)>,
    pub volunteer_hours: Hours,
    pub volunteer_valuation: Money,
    pub in_kind: Money,
    pub months: Vec<MonthTotals>,
}

impl HybridReport {
    pub fn earned(&self) -> Money {
        sum(self
            .by_stream
            .iter()
            .filter(|(s, _)| s.is_earned())
            .map(|(_, m)| *m))
    }

    pub fn private(&self) -> Money {
        let gifts = self.by_stream.iter().filter(|(s, _)| !s.is_earned());
        let grants = self.by_funder_kind.iter().filter(|(k, _)| !k.is_public());
        sum(gifts.map(|(_, m)| *m).chain(grants.map(|(_, m)| *m)))
    }

    pub fn public(&self) -> Money {
        sum(self
            .by_funder_kind
            .iter()
            .filter(|(k, _)| k.is_public())
            .map(|(_, m)| *m))
    }

    pub fn monetary(&self) -> Money {
        sum([self.earned(), self.private(), self.public()])
    }

    /// Earned over monetary resources; None when those are zero.
    pub fn self_financing_ratio(&self) -> Option<Decimal> {
        let monetary = self.monetary().cents();
        (monetary != 0).then(|| Decimal::from(self.earned().cents()) / Decimal::from(monetary))
    }

    pub fn total_with_volunteering(&self) -> Money {
        sum([self.monetary(), self.volunteer_valuation])
    }
}

fn sum(amounts: impl IntoIterator<Item = Money>) -> Money {
    Money::from_cents(amounts.into_iter().map(Money::cents).sum())
}

/// The report for `period`: six statements whatever the number of lines.
pub async fn hybrid_report(
    conn: &impl ConnectionTrait,
    period: &Period,
) -> AppResult<HybridReport> {
    let scope = Scope::load(conn, period).await?;
    let days = period.days;
    let revenues = revenue_sums(conn, period).await?;
    let payments = payment_sums(conn, period).await?;
    let hours = volunteering::lengths(conn, days, period.site_id, None).await?;
    let rates = volunteering::Rates::new(&volunteering::list_rates(conn).await?);
    let in_kind = in_kind_total(conn, &scope).await?;

    let mut months: BTreeMap<String, MonthTotals> = months_of(days)
        .into_iter()
        .map(|month| {
            (
                month.clone(),
                MonthTotals {
                    month,
                    ..MonthTotals::default()
                },
            )
        })
        .collect();
    let mut by_stream: BTreeMap<usize, (RevenueStream, Money)> = BTreeMap::new();
    for (day, stream, cents) in revenues {
        let stream = RevenueStream::from_stored("revenues.stream", &stream)?;
        add(&mut by_stream, stream, RevenueStream::ALL, cents);
        let month = months.entry(month_of(day)).or_default();
        if stream.is_earned() {
            month.earned = sum([month.earned, Money::from_cents(cents)]);
        } else {
            month.private = sum([month.private, Money::from_cents(cents)]);
        }
    }
    let mut by_kind: BTreeMap<usize, (FunderKind, Money)> = BTreeMap::new();
    for (day, kind, cents) in payments {
        let kind = FunderKind::from_stored("funders.kind", &kind)?;
        add(&mut by_kind, kind, FunderKind::ALL, cents);
        let month = months.entry(month_of(day)).or_default();
        if kind.is_public() {
            month.public = sum([month.public, Money::from_cents(cents)]);
        } else {
            month.private = sum([month.private, Money::from_cents(cents)]);
        }
    }
    let mut volunteer_hours = Hours::ZERO;
    let mut valuation = Money::ZERO;
    for (day, centi, entries) in hours {
        let all = Hours::from_centi(centi * entries);
        volunteer_hours = volunteer_hours + all;
        let worth = rates.value_many(day, Hours::from_centi(centi), entries);
        valuation = sum([valuation, worth]);
        let month = months.entry(month_of(day)).or_default();
        month.volunteer_hours = month.volunteer_hours + all;
    }
    Ok(HybridReport {
        days,
        by_stream: by_stream.into_values().collect(),
        by_funder_kind: by_kind.into_values().collect(),
        volunteer_hours,
        volunteer_valuation: valuation,
        in_kind,
        months: months.into_values().collect(),
    })
}

/// Adds `cents` to `key`'s total, kept in the order of `all`.
fn add<K: PartialEq + Copy>(
    totals: &mut BTreeMap<usize, (K, Money)>,
    key: K,
    all: &[K],
    cents: i64,
) {
    let rank = all.iter().position(|k| *k == key).unwrap_or(all.len());
    let entry = totals.entry(rank).or_insert((key, Money::ZERO));
    entry.1 = Money::from_cents(entry.1.cents() + cents);
}

/// Revenue cents by day and stream.
async fn revenue_sums(
    conn: &impl ConnectionTrait,
    period: &Period,
) -> AppResult<Vec<(NaiveDate, String, i64)>> {
    let mut query = revenue::Entity::find()
        .select_only()
        .column(revenue::Column::ReceivedOn)
        .column(revenue::Column::Stream)
        .column_as(sum_bigint("amount_cents"), "cents")
        .filter(revenue::Column::ReceivedOn.gte(period.days.from))
        .filter(revenue::Column::ReceivedOn.lte(period.days.to));
    if let Some(site) = period.site_id {
        query = query.filter(revenue::Column::SiteId.eq(site));
    }
    Ok(query
        .group_by(revenue::Column::ReceivedOn)
        .group_by(revenue::Column::Stream)
        .into_tuple()
        .all(conn)
        .await?)
}

/// Grant payment cents by day and funder kind.
async fn payment_sums(
    conn: &impl ConnectionTrait,
    period: &Period,
) -> AppResult<Vec<(NaiveDate, String, i64)>> {
    let mut query = grant_payment::Entity::find()
        .select_only()
        .column(grant_payment::Column::ReceivedOn)
        .column(funder::Column::Kind)
        .column_as(sum_bigint("grant_payments.amount_cents"), "cents")
        .join(JoinType::InnerJoin, grant_payment::Relation::Grant.def())
        .join(JoinType::InnerJoin, grant::Relation::Funder.def())
        .filter(grant_payment::Column::ReceivedOn.gte(period.days.from))
        .filter(grant_payment::Column::ReceivedOn.lte(period.days.to));
    if let Some(site) = period.site_id {
        query = query.filter(grant::Column::SiteId.eq(site));
    }
    Ok(query
        .group_by(grant_payment::Column::ReceivedOn)
        .group_by(funder::Column::Kind)
        .into_tuple()
        .all(conn)
        .await?)
}

/// What the free loans that start within the period are worth (cancelled ones aside).
async fn in_kind_total(conn: &impl ConnectionTrait, scope: &Scope) -> AppResult<Money> {
    let total: Option<Option<i64>> = booking::Entity::find()
        .select_only()
        .column_as(sum_bigint("in_kind_cents"), "cents")
        .filter(booking::Column::InKindCents.is_not_null())
        .filter(booking::Column::Status.ne(BookingStatus::Cancelled.as_str()))
        .filter(scope.within(booking::Column::SiteId, booking::Column::StartsAt))
        .into_tuple()
        .one(conn)
        .await?;
    Ok(Money::from_cents(total.flatten().unwrap_or(0)))
}

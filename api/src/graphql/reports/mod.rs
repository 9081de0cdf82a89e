//! The two reports funders ask for (MANAGER): the hybrid model in figures and the impact, each
//! with the venue's yearly objectives beside it.

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use chrono::Datelike;
use rust_decimal::prelude::ToPrimitive;

use crate::auth::guard::{Permission, Require};
use crate::domain::{self, Hours};
use crate::error::AppResult;
use crate::graphql::bookings::spaces::Space;
use crate::graphql::context::ContextExt;
use crate::graphql::inputs::optional_id;
use crate::graphql::money::StreamTotal;
use crate::graphql::money::grants::FunderKind;
use crate::graphql::scalars::{Date, Decimal};
use crate::service::reports::Period;
use crate::service::reports::hybrid::{self, HybridReport};
use crate::service::reports::impact::{self, ImpactReport, hours_of_minutes};
use crate::service::reports::objectives::{self, Objective};

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "crate::domain::AgeBand")]
pub enum AgeBand {
    #[graphql(name = "UNDER_18")]
    Under18,
    #[graphql(name = "FROM_18_TO_25")]
    From18To25,
    #[graphql(name = "FROM_26_TO_40")]
    From26To40,
    #[graphql(name = "FROM_41_TO_60")]
    From41To60,
    #[graphql(name = "FROM_61_TO_75")]
    From61To75,
    #[graphql(name = "OVER_75")]
    Over75,
    Unknown,
}

/// Where participants live, against the site's own postal code.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "crate::domain::Territory")]
pub enum Territory {
    Commune,
    Departement,
    Elsewhere,
    Unknown,
}

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "crate::domain::ImpactMetric")]
pub enum ImpactMetric {
    UniqueParticipants,
    EventsHeld,
    VolunteerHours,
    ActiveMembers,
    /// A ratio: 0.35 for 35 %.
    SelfFinancingRatio,
    /// A ratio: 0.4 for 40 %.
    ShareFromDepartement,
}

/// A yearly target and what was achieved (ratios as 0.35 for 35 %).
#[derive(SimpleObject)]
pub struct ImpactObjective {
    pub year: i32,
    pub metric: ImpactMetric,
    pub target: Decimal,
    pub actual: Decimal,
}

impl From<Objective> for ImpactObjective {
    fn from(o: Objective) -> Self {
        Self {
            year: o.year,
            metric: o.metric.into(),
            target: o.target.into(),
            actual: o.actual.into(),
        }
    }
}

#[derive(SimpleObject)]
pub struct FunderKindTotal {
    pub kind: FunderKind,
    pub amount: Decimal,
}

#[derive(SimpleObject)]
pub struct MonthTotals {
    /// `YYYY-MM`.
    pub month: String,
    pub earned_revenue: Decimal,
    pub private_funding: Decimal,
    pub public_funding: Decimal,
    pub volunteer_hours: Decimal,
}

fn hours(h: Hours) -> Decimal {
    h.to_decimal().into()
}

/// The targets of the year of the report's `to`, against this report's figures (a report of
/// January to June shows the progress half-way).
async fn objectives_beside(
    ctx: &Context<'_>,
    to: chrono::NaiveDate,
    hybrid: Option<&HybridReport>,
    impact: Option<&ImpactReport>,
) -> AppResult<Vec<ImpactObjective>> {
    let year = to.year();
    let targets = objectives::targets(&ctx.state()?.db, year).await?;
    Ok(objectives::against(year, targets, hybrid, impact)
        .into_iter()
        .map(Into::into)
        .collect())
}

pub struct HybridModelReport(HybridReport);

#[Object]
impl HybridModelReport {
    async fn from(&self) -> Date {
        Date(self.0.days.from)
    }

    async fn to(&self) -> Date {
        Date(self.0.days.to)
    }

    /// Revenues in every stream but DONATION and SPONSORSHIP, reversals netted.
    async fn earned_revenue(&self) -> Decimal {
        self.0.earned().into()
    }

    /// DONATION + SPONSORSHIP + grant payments from FOUNDATION, COMPANY and OTHER funders.
    async fn private_funding(&self) -> Decimal {
        self.0.private().into()
    }

    /// Grant payments from STATE, REGION, DEPARTMENT, INTERCOMMUNALITY, MUNICIPALITY and EU.
    async fn public_funding(&self) -> Decimal {
        self.0.public().into()
    }

    /// Earned + private + public.
    async fn monetary_resources(&self) -> Decimal {
        self.0.monetary().into()
    }

    /// Earned over monetary resources; null when those are 0.
    async fn self_financing_ratio(&self) -> Option<f64> {
        self.0.self_financing_ratio().and_then(|r| r.to_f64())
    }

    async fn volunteer_hours(&self) -> Decimal {
        hours(self.0.volunteer_hours)
    }

    /// Each entry's hours at the rate in force on its date.
    async fn volunteer_valuation(&self) -> Decimal {
        self.0.volunteer_valuation.into()
    }

    /// Monetary resources + volunteer valuation (in-kind loans are shown apart).
    async fn total_with_volunteering(&self) -> Decimal {
        self.0.total_with_volunteering().into()
    }

    /// Every stream with revenue in the period, in the enum's order.
    async fn by_stream(&self) -> Vec<StreamTotal> {
        self.0
            .by_stream
            .iter()
            .map(|(stream, amount)| StreamTotal {
                stream: (*stream).into(),
                amount: (*amount).into(),
            })
            .collect()
    }

    /// Grant payments by kind of funder, in the enum's order.
    async fn by_funder_kind(&self) -> Vec<FunderKindTotal> {
        self.0
            .by_funder_kind
            .iter()
            .map(|(kind, amount)| FunderKindTotal {
                kind: (*kind).into(),
                amount: (*amount).into(),
            })
            .collect()
    }

    /// Free room loans (bookings priced at zero by decision) at the space's PUBLIC rate: the
    /// "contributions volontaires en nature" beside volunteering, never revenue.
    async fn in_kind_valuation(&self) -> Decimal {
        self.0.in_kind.into()
    }

    /// Every month of the period, in order.
    async fn by_month(&self) -> Vec<MonthTotals> {
        self.0
            .months
            .iter()
            .map(|m| MonthTotals {
                month: m.month.clone(),
                earned_revenue: m.earned.into(),
                private_funding: m.private.into(),
                public_funding: m.public.into(),
                volunteer_hours: hours(m.volunteer_hours),
            })
            .collect()
    }

    /// The financial objectives of the year of `to` (SELF_FINANCING_RATIO, VOLUNTEER_HOURS)
    /// against this period's figures.
    async fn objectives(&self, ctx: &Context<'_>) -> AppResult<Vec<ImpactObjective>> {
        objectives_beside(ctx, self.0.days.to, Some(&self.0), None).await
    }
}

#[derive(SimpleObject)]
pub struct AgeBandCount {
    pub band: AgeBand,
    pub participants: i64,
}

#[derive(SimpleObject)]
pub struct TerritoryCount {
    pub territory: Territory,
    pub participants: i64,
}

pub struct SpaceOccupancy(impact::SpaceUse);

#[Object]
impl SpaceOccupancy {
    async fn space(&self) -> Space {
        Space(self.0.space.clone())
    }

    /// Hours of the bookings of this space that start within the period.
    async fn booked_hours(&self) -> Decimal {
        hours_of_minutes(self.0.booked_minutes).into()
    }

    /// Hours its site was open within the period.
    async fn open_hours(&self) -> Decimal {
        hours_of_minutes(self.0.open_minutes).into()
    }

    /// Booked over open hours (0.25 for a quarter); null when the site was never open.
    async fn share(&self) -> Option<f64> {
        self.0.share()
    }
}

pub struct ImpactReportObject(ImpactReport);

#[Object(name = "ImpactReport")]
impl ImpactReportObject {
    async fn from(&self) -> Date {
        Date(self.0.days.from)
    }

    async fn to(&self) -> Date {
        Date(self.0.days.to)
    }

    /// Scheduled events that started within the period (cancelled ones aside).
    async fn events_held(&self) -> i64 {
        self.0.events_held
    }

    /// Seats of the CONFIRMED registrations of those events, checked in or not.
    async fn registrations(&self) -> i64 {
        self.0.registrations
    }

    /// Of those seats, the ones checked in.
    async fn attendees(&self) -> i64 {
        self.0.attendees
    }

    /// Distinct participants: the person, else the lower-cased email, else the registration.
    async fn unique_participants(&self) -> i64 {
        self.0.unique_participants
    }

    /// Participants whose earliest registration ever falls within the period.
    async fn first_time_participants(&self) -> i64 {
        self.0.first_time
    }

    /// Participants who had registered before the period.
    async fn returning_participants(&self) -> i64 {
        self.0.returning
    }

    /// Unique participants by age in the year of `to` (from their birth year).
    async fn by_age_band(&self) -> Vec<AgeBandCount> {
        self.0
            .by_age_band
            .iter()
            .map(|(band, n)| AgeBandCount {
                band: (*band).into(),
                participants: *n,
            })
            .collect()
    }

    /// Unique participants by where they live, against the site's postal code.
    async fn by_territory(&self) -> Vec<TerritoryCount> {
        self.0
            .by_territory
            .iter()
            .map(|(territory, n)| TerritoryCount {
                territory: (*territory).into(),
                participants: *n,
            })
            .collect()
    }

    /// Bookings that start within the period (an event's own included), cancelled ones aside.
    async fn bookings(&self) -> i64 {
        self.0.bookings
    }

    async fn booked_hours(&self) -> Decimal {
        hours_of_minutes(self.0.booked_minutes).into()
    }

    /// Every space of the covered sites, by name (archived ones only when they were booked).
    async fn occupancy(&self) -> Vec<SpaceOccupancy> {
        self.0
            .occupancy
            .iter()
            .cloned()
            .map(SpaceOccupancy)
            .collect()
    }

    /// People and organizations with a membership active on a day of the period.
    async fn active_members(&self) -> i64 {
        self.0.active_members
    }

    /// Of those, the ones whose first membership ever starts within the period.
    async fn new_members(&self) -> i64 {
        self.0.new_members
    }

    /// People who logged hours within the period.
    async fn volunteers(&self) -> i64 {
        self.0.volunteers
    }

    async fn volunteer_hours(&self) -> Decimal {
        hours(self.0.volunteer_hours)
    }

    /// The objectives of the year of `to` against this period's figures.
    async fn objectives(&self, ctx: &Context<'_>) -> AppResult<Vec<ImpactObjective>> {
        objectives_beside(ctx, self.0.days.to, None, Some(&self.0)).await
    }
}

fn period(from: Date, to: Date, site_id: Option<ID>) -> AppResult<Period> {
    Period::new(from.0, to.0, optional_id("siteId", site_id.as_ref())?)
}

#[derive(Default)]
pub struct ReportQuery;

#[Object]
impl ReportQuery {
    /// Earned revenue, private and public funding, volunteering and in-kind within `[from,
    /// to]` (local days, both included; at most three years), for one site or all. MANAGER.
    #[graphql(guard = "Require(Permission::Manage)")]
    async fn hybrid_model_report(
        &self,
        ctx: &Context<'_>,
        from: Date,
        to: Date,
        site_id: Option<ID>,
    ) -> AppResult<HybridModelReport> {
        let period = period(from, to, site_id)?;
        let report = hybrid::hybrid_report(&ctx.state()?.db, &period).await?;
        Ok(HybridModelReport(report))
    }

    /// Events, participants, bookings, members and volunteers within `[from, to]`, for one
    /// site or all. MANAGER.
    #[graphql(guard = "Require(Permission::Manage)")]
    async fn impact_report(
        &self,
        ctx: &Context<'_>,
        from: Date,
        to: Date,
        site_id: Option<ID>,
    ) -> AppResult<ImpactReportObject> {
        let period = period(from, to, site_id)?;
        let report = impact::impact_report(&ctx.state()?.db, &period).await?;
        Ok(ImpactReportObject(report))
    }

    /// The targets set for `year` against the whole year's figures (all sites). MANAGER.
    #[graphql(guard = "Require(Permission::Manage)")]
    async fn impact_objectives(
        &self,
        ctx: &Context<'_>,
        year: i32,
    ) -> AppResult<Vec<ImpactObjective>> {
        let rows = objectives::objectives_of_year(&ctx.state()?.db, year).await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }
}

#[derive(Default)]
pub struct ReportMutation;

#[Object]
impl ReportMutation {
    /// Sets (or replaces) a yearly target: a count (2000 participants), hours (3000), or a
    /// ratio between 0 and 1 (0.35 for 35 %). MANAGER.
    #[graphql(guard = "Require(Permission::Manage)")]
    async fn set_impact_objective(
        &self,
        ctx: &Context<'_>,
        year: i32,
        metric: ImpactMetric,
        target: Decimal,
    ) -> AppResult<ImpactObjective> {
        let state = ctx.state()?;
        let metric: domain::ImpactMetric = metric.into();
        let objective =
            objectives::set_objective(&state.db, state.clock.now(), year, metric, target.0);
        Ok(objective.await?.into())
    }
}

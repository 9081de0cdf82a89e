//! Membership plans (MANAGER sets them: they are prices) and memberships (the front desk
//! starts, renews and cancels them).

use async_graphql::{ComplexObject, Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::NaiveDate;
use lieu_entity::{membership, membership_plan};
use uuid::Uuid;

use crate::auth::guard::{Permission, Require};
use crate::domain::{self, Holder, Money, Name, PlanPrice, StoredEnum, parse_id};
use crate::error::{AppError, AppResult};
use crate::graphql::context::ContextExt;
use crate::graphql::inputs::optional_id;
use crate::graphql::loaders::{
    ActiveMembershipKey, MembershipsKey, OrganizationKey, PersonKey, PlanKey, existing,
};
use crate::graphql::people::{Organization, Person};
use crate::graphql::scalars::{Date, DateTime, Decimal};
use crate::service::memberships::{self, NewMembership, NewPlan};

/// How a plan's period is computed from its start day.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "crate::domain::PlanPeriod")]
pub enum PlanPeriod {
    /// `periodMonths` months: ends the day before the same day that many months later (the
    /// last day of the month when that day does not exist: 31 Jan + 1 month ends 28/29 Feb).
    Rolling,
    /// Ends on 31 December of the start's year.
    CalendarYear,
    /// Ends on the first 31 August after the start (a start on 31 August ends a year later).
    SchoolYear,
}

/// Where a membership stands today (a local day of the venue).
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "crate::domain::MembershipStatus")]
pub enum MembershipStatus {
    /// Today is within the period.
    Active,
    /// Paid ahead (an early renewal): the period starts after today.
    Upcoming,
    /// The period is over.
    Expired,
    /// Cancelled; makes no one a member.
    Cancelled,
}

/// A kind of membership on offer.
#[derive(SimpleObject, Clone)]
pub struct MembershipPlan {
    /// The plan's id (a UUID).
    pub id: ID,
    /// Unique among plans on offer, e.g. "Adhésion solidaire".
    pub name: String,
    /// How a period's end follows from its start.
    pub period: PlanPeriod,
    /// The length of ROLLING periods; 12 for calendar and school years.
    pub period_months: i32,
    /// The price; on a pay-what-you-can plan, the suggested amount.
    pub price: Decimal,
    /// Set on pay-what-you-can plans: any amount from this one up is accepted. Otherwise the
    /// amount paid must equal `price`.
    pub min_price: Option<Decimal>,
    /// For organizations (true) or for people (false).
    pub for_organizations: bool,
    /// Archived plans are no longer sold but stay on past memberships.
    pub archived: bool,
    /// When the plan was archived.
    pub archived_at: Option<DateTime>,
}

impl TryFrom<membership_plan::Model> for MembershipPlan {
    type Error = AppError;

    fn try_from(model: membership_plan::Model) -> AppResult<Self> {
        Ok(Self {
            id: ID(model.id.to_string()),
            period: domain::PlanPeriod::from_stored("membership_plans.period", &model.period)?
                .into(),
            period_months: model.period_months,
            price: Money::from_cents(model.price_cents).into(),
            min_price: model.min_price_cents.map(|c| Money::from_cents(c).into()),
            for_organizations: model.for_organizations,
            archived: model.archived_at.is_some(),
            archived_at: model.archived_at.map(DateTime::from),
            name: model.name,
        })
    }
}

/// One paid period of a plan, for a person or for an organization (exactly one of them).
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct Membership {
    /// The membership's id (a UUID); a renewal has its own.
    pub id: ID,
    /// First day of the period (a local day of the venue).
    pub starts_on: Date,
    /// Last day of the period, included.
    pub ends_on: Date,
    /// What was paid for this period (recorded as a MEMBERSHIP revenue when above zero).
    pub amount_paid: Decimal,
    /// When it was cancelled, if it was.
    pub cancelled_at: Option<DateTime>,
    /// The membership this one renews, if it is a renewal.
    pub renewal_of: Option<ID>,
    /// When it was recorded.
    pub created_at: DateTime,
    #[graphql(skip)]
    pub plan_id: Uuid,
    #[graphql(skip)]
    pub person_id: Option<Uuid>,
    #[graphql(skip)]
    pub organization_id: Option<Uuid>,
    #[graphql(skip)]
    pub span: (NaiveDate, NaiveDate),
}

impl From<membership::Model> for Membership {
    fn from(model: membership::Model) -> Self {
        Self {
            id: ID(model.id.to_string()),
            starts_on: model.starts_on.into(),
            ends_on: model.ends_on.into(),
            amount_paid: Money::from_cents(model.amount_paid_cents).into(),
            cancelled_at: model.cancelled_at.map(DateTime::from),
            renewal_of: model.previous_id.map(|id| ID(id.to_string())),
            created_at: model.created_at.into(),
            plan_id: model.plan_id,
            person_id: model.person_id,
            organization_id: model.organization_id,
            span: (model.starts_on, model.ends_on),
        }
    }
}

#[ComplexObject]
impl Membership {
    /// The plan (archived plans stay on their memberships).
    async fn plan(&self, ctx: &Context<'_>) -> AppResult<MembershipPlan> {
        let row = ctx
            .loaders()?
            .people
            .load_one(PlanKey(self.plan_id))
            .await?;
        existing(row, "membership plan", self.plan_id)?.try_into()
    }

    /// The member, when a person holds it.
    async fn person(&self, ctx: &Context<'_>) -> AppResult<Option<Person>> {
        let Some(id) = self.person_id else {
            return Ok(None);
        };
        let row = ctx.loaders()?.people.load_one(PersonKey(id)).await?;
        Ok(row.map(Person::from))
    }

    /// The member, when an organization holds it.
    async fn organization(&self, ctx: &Context<'_>) -> AppResult<Option<Organization>> {
        let Some(id) = self.organization_id else {
            return Ok(None);
        };
        let row = ctx.loaders()?.people.load_one(OrganizationKey(id)).await?;
        row.map(Organization::try_from).transpose()
    }

    /// CANCELLED when cancelled; otherwise ACTIVE while today is within the period, EXPIRED
    /// after it, UPCOMING before it.
    async fn status(&self, ctx: &Context<'_>) -> AppResult<MembershipStatus> {
        let today = ctx.loaders()?.people.loader().today().await?;
        Ok(domain::MembershipStatus::on(
            today,
            self.span.0,
            self.span.1,
            self.cancelled_at.is_some(),
        )
        .into())
    }
}

#[derive(InputObject)]
pub struct CreateMembershipPlanInput {
    /// Unique among plans on offer (ignoring case and accents).
    pub name: String,
    /// ROLLING when absent.
    pub period: Option<PlanPeriod>,
    /// Length of a ROLLING period, 1 to 120 months; 12 when absent. Calendar and school years
    /// are 12 months (another value is refused).
    pub period_months: Option<i32>,
    /// The price, or the suggested amount of a pay-what-you-can plan.
    pub price: Decimal,
    /// Makes the plan pay-what-you-can: any amount from this floor up (at most `price`).
    pub min_price: Option<Decimal>,
    /// A plan for organizations; false (for people) when absent.
    pub for_organizations: Option<bool>,
}

impl TryFrom<CreateMembershipPlanInput> for NewPlan {
    type Error = AppError;

    fn try_from(input: CreateMembershipPlanInput) -> AppResult<Self> {
        let period: domain::PlanPeriod = input.period.unwrap_or(PlanPeriod::Rolling).into();
        let price = Money::parse_non_negative("price", input.price.0)?;
        let min_price = input
            .min_price
            .map(|m| Money::parse_non_negative("minPrice", m.0))
            .transpose()?;
        Ok(Self {
            name: Name::parse("name", &input.name)?,
            period_months: period.months(input.period_months, "periodMonths")?,
            period,
            price: PlanPrice::new(price, min_price)?,
            for_organizations: input.for_organizations.unwrap_or(false),
        })
    }
}

#[derive(InputObject)]
pub struct StartMembershipInput {
    /// A plan on offer (not archived).
    pub plan_id: ID,
    /// Exactly one of `personId` and `organizationId`, matching the plan's
    /// `forOrganizations`.
    pub person_id: Option<ID>,
    /// The member organization, for plans `forOrganizations`.
    pub organization_id: Option<ID>,
    /// The period's first day; the last one follows from the plan.
    pub starts_on: Date,
    /// The plan's price, or from its `minPrice` up on a pay-what-you-can plan.
    pub amount_paid: Decimal,
}

impl TryFrom<StartMembershipInput> for NewMembership {
    type Error = AppError;

    fn try_from(input: StartMembershipInput) -> AppResult<Self> {
        Ok(Self {
            holder: Holder::required(
                optional_id("personId", input.person_id.as_ref())?,
                optional_id("organizationId", input.organization_id.as_ref())?,
            )?,
            plan_id: parse_id("planId", &input.plan_id)?,
            starts_on: domain::check_start_day("startsOn", input.starts_on.0)?,
            amount_paid: Money::parse_non_negative("amountPaid", input.amount_paid.0)?,
        })
    }
}

/// Memberships as the API shows them.
fn memberships_out(rows: Vec<membership::Model>) -> Vec<Membership> {
    rows.into_iter().map(Membership::from).collect()
}

/// The membership of `holder` that covers today, through this request's loader.
pub async fn active_of(ctx: &Context<'_>, holder: Holder) -> AppResult<Option<Membership>> {
    let key = ActiveMembershipKey(holder);
    let row = ctx.loaders()?.people.load_one(key).await?;
    Ok(row.map(Membership::from))
}

/// Every membership of `holder`, the latest first, through this request's loader.
pub async fn all_of(ctx: &Context<'_>, holder: Holder) -> AppResult<Vec<Membership>> {
    let key = MembershipsKey(holder);
    let rows = ctx.loaders()?.people.load_one(key).await?;
    Ok(memberships_out(rows.unwrap_or_default()))
}

#[derive(Default)]
pub struct MembershipQuery;

#[Object]
impl MembershipQuery {
    /// Plans on offer, by name; with `includeArchived`, archived plans too (after the others).
    #[graphql(guard = "Require(Permission::ReadOperations)")]
    async fn membership_plans(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = false)] include_archived: bool,
    ) -> AppResult<Vec<MembershipPlan>> {
        let plans = memberships::list_plans(&ctx.state()?.db, include_archived).await?;
        plans.into_iter().map(MembershipPlan::try_from).collect()
    }

    /// One membership by id, or null.
    #[graphql(guard = "Require(Permission::ReadOperations)")]
    async fn membership(&self, ctx: &Context<'_>, id: ID) -> AppResult<Option<Membership>> {
        let id = parse_id("id", &id)?;
        Ok(memberships::find_membership(&ctx.state()?.db, id)
            .await?
            .map(Membership::from))
    }

    /// Memberships ending within the next `withinDays` days (today included, 0 to 366) that
    /// have not been renewed or cancelled, soonest first: whom the front desk should remind.
    #[graphql(guard = "Require(Permission::ReadOperations)")]
    async fn expiring_memberships(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 30)] within_days: i32,
    ) -> AppResult<Vec<Membership>> {
        let days = u32::try_from(within_days)
            .ok()
            .filter(|d| *d <= 366)
            .ok_or_else(|| AppError::validation("withinDays", "must be between 0 and 366"))?;
        let state = ctx.state()?;
        let rows = memberships::expiring(&state.db, state.clock.now(), days).await?;
        Ok(memberships_out(rows))
    }
}

#[derive(Default)]
pub struct MembershipMutation;

#[Object]
impl MembershipMutation {
    /// Adds a plan. MANAGER and above (plans set prices).
    #[graphql(guard = "Require(Permission::Manage)")]
    async fn create_membership_plan(
        &self,
        ctx: &Context<'_>,
        input: CreateMembershipPlanInput,
    ) -> AppResult<MembershipPlan> {
        let plan = NewPlan::try_from(input)?;
        let state = ctx.state()?;
        memberships::create_plan(&state.db, state.clock.now(), plan)
            .await?
            .try_into()
    }

    /// Stops selling a plan; its memberships keep it. INVALID_STATE when already archived.
    /// MANAGER and above.
    #[graphql(guard = "Require(Permission::Manage)")]
    async fn archive_membership_plan(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> AppResult<MembershipPlan> {
        let id = parse_id("id", &id)?;
        let state = ctx.state()?;
        memberships::archive_plan(&state.db, state.clock.now(), id)
            .await?
            .try_into()
    }

    /// Starts a membership and records its payment as a MEMBERSHIP revenue received today.
    /// VALIDATION when the amount does not fit the plan or the plan is for the other kind of
    /// member; INVALID_STATE when the member already has a membership over those days.
    #[graphql(guard = "Require(Permission::FrontDesk)")]
    async fn start_membership(
        &self,
        ctx: &Context<'_>,
        input: StartMembershipInput,
    ) -> AppResult<Membership> {
        let new = NewMembership::try_from(input)?;
        let state = ctx.state()?;
        Ok(
            memberships::start_membership(&state.db, state.clock.now(), ctx.actor()?, new)
                .await?
                .into(),
        )
    }

    /// Renews a membership for one more period of its plan, starting the day after it ends,
    /// or today when that day has passed (a lapse is never back-filled). Records the payment
    /// as a MEMBERSHIP revenue. INVALID_STATE for a cancelled membership, one already renewed,
    /// or one whose plan is archived.
    #[graphql(guard = "Require(Permission::FrontDesk)")]
    async fn renew_membership(
        &self,
        ctx: &Context<'_>,
        id: ID,
        amount_paid: Decimal,
    ) -> AppResult<Membership> {
        let id = parse_id("id", &id)?;
        let amount = Money::parse_non_negative("amountPaid", amount_paid.0)?;
        let state = ctx.state()?;
        Ok(
            memberships::renew_membership(&state.db, state.clock.now(), id, amount)
                .await?
                .into(),
        )
    }

    /// Cancels a membership that is not over: it stops making its holder a member. The
    /// payment stays recorded. INVALID_STATE when already cancelled or already over.
    #[graphql(guard = "Require(Permission::FrontDesk)")]
    async fn cancel_membership(&self, ctx: &Context<'_>, id: ID) -> AppResult<Membership> {
        let id = parse_id("id", &id)?;
        let state = ctx.state()?;
        Ok(
            memberships::cancel_membership(&state.db, state.clock.now(), id)
                .await?
                .into(),
        )
    }
}

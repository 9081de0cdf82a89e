//! Grants from the venue's side (MANAGER): the funder, the application, its status history,
//! the payments in tranches and the reports the funder expects.

use async_graphql::{Context, Enum, ID, InputObject, Object};
use lieu_entity::{funder, grant, grant_payment, grant_status_change, reporting_deadline};

use crate::auth::guard::{Permission, Require};
use crate::domain::{self, Money, Name, StoredEnum, grant_period, optional_text, parse_id};
use crate::error::{AppError, AppResult};
use crate::graphql::context::ContextExt;
use crate::graphql::inputs::optional_id;
use crate::graphql::scalars::{Date, DateTime, Decimal};
use crate::service::money::grants::{self as service, NewGrant};

/// The longest program or purpose of a grant.
const TEXT_MAX: usize = 2000;
/// The furthest `upcomingDeadlines` looks ahead.
const WITHIN_DAYS_MAX: i32 = 3 * 366;

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "crate::domain::FunderKind")]
pub enum FunderKind {
    State,
    Region,
    Department,
    Intercommunality,
    Municipality,
    /// EU funds (FSE+, FEDER, LEADER…): public funding.
    Eu,
    Foundation,
    Company,
    Other,
}

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "crate::domain::GrantStatus")]
pub enum GrantStatus {
    Draft,
    Submitted,
    Awarded,
    Rejected,
    Closed,
}

pub struct Funder(pub funder::Model);

#[Object]
impl Funder {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    async fn kind(&self) -> AppResult<FunderKind> {
        Ok(service::kind_of(&self.0)?.into())
    }
}

pub struct Grant(pub grant::Model);

impl Grant {
    async fn received_cents(&self, ctx: &Context<'_>) -> AppResult<i64> {
        let payments = ctx.loaders()?.grant_payments.load_one(self.0.id).await?;
        Ok(payments
            .unwrap_or_default()
            .iter()
            .map(|p| p.amount_cents)
            .sum())
    }
}

#[Object]
impl Grant {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn funder(&self, ctx: &Context<'_>) -> AppResult<Funder> {
        Ok(Funder(ctx.loaders()?.funder(self.0.funder_id).await?))
    }

    /// The funding programme ("Fabrique de territoire", an AMI, FSE+).
    async fn program(&self) -> Option<&str> {
        self.0.program.as_deref()
    }

    async fn title(&self) -> &str {
        &self.0.title
    }

    async fn status(&self) -> AppResult<GrantStatus> {
        Ok(service::status_of(&self.0)?.into())
    }

    async fn amount_requested(&self) -> Decimal {
        Money::from_cents(self.0.amount_requested_cents).into()
    }

    /// Set when the grant becomes AWARDED.
    async fn amount_awarded(&self) -> Option<Decimal> {
        self.0
            .amount_awarded_cents
            .map(|c| Money::from_cents(c).into())
    }

    async fn period_start(&self) -> Date {
        Date(self.0.period_start)
    }

    async fn period_end(&self) -> Date {
        Date(self.0.period_end)
    }

    async fn purpose(&self) -> Option<&str> {
        self.0.purpose.as_deref()
    }

    /// The tranches received, the oldest first.
    async fn payments(&self, ctx: &Context<'_>) -> AppResult<Vec<GrantPayment>> {
        let rows = ctx.loaders()?.grant_payments.load_one(self.0.id).await?;
        Ok(rows
            .unwrap_or_default()
            .into_iter()
            .map(GrantPayment)
            .collect())
    }

    /// The sum of the payments.
    async fn received_total(&self, ctx: &Context<'_>) -> AppResult<Decimal> {
        Ok(Money::from_cents(self.received_cents(ctx).await?).into())
    }

    /// What the funder still owes: awarded minus received (0 before the award).
    async fn outstanding(&self, ctx: &Context<'_>) -> AppResult<Decimal> {
        let awarded = self.0.amount_awarded_cents.unwrap_or(0);
        let owed = (awarded - self.received_cents(ctx).await?).max(0);
        Ok(Money::from_cents(owed).into())
    }

    /// The reports the funder expects, the soonest first.
    async fn deadlines(&self, ctx: &Context<'_>) -> AppResult<Vec<ReportingDeadline>> {
        let rows = ctx.loaders()?.grant_deadlines.load_one(self.0.id).await?;
        Ok(rows
            .unwrap_or_default()
            .into_iter()
            .map(ReportingDeadline)
            .collect())
    }

    /// Every status the grant went through, the oldest first, with who moved it and when.
    async fn history(&self, ctx: &Context<'_>) -> AppResult<Vec<GrantStatusChange>> {
        let rows = ctx.loaders()?.grant_history.load_one(self.0.id).await?;
        Ok(rows
            .unwrap_or_default()
            .into_iter()
            .map(GrantStatusChange)
            .collect())
    }
}

pub struct GrantPayment(pub grant_payment::Model);

#[Object]
impl GrantPayment {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn amount(&self) -> Decimal {
        Money::from_cents(self.0.amount_cents).into()
    }

    async fn received_on(&self) -> Date {
        Date(self.0.received_on)
    }

    async fn grant(&self, ctx: &Context<'_>) -> AppResult<Grant> {
        Ok(Grant(ctx.loaders()?.grant(self.0.grant_id).await?))
    }
}

pub struct ReportingDeadline(pub reporting_deadline::Model);

#[Object]
impl ReportingDeadline {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn label(&self) -> &str {
        &self.0.label
    }

    async fn due_on(&self) -> Date {
        Date(self.0.due_on)
    }

    /// The day the report was sent; null while it is still to do.
    async fn done_on(&self) -> Option<Date> {
        self.0.done_on.map(Date)
    }

    /// Not sent and due before the venue's today.
    async fn overdue(&self, ctx: &Context<'_>) -> AppResult<bool> {
        let today = ctx.loaders()?.today().await?;
        Ok(self.0.done_on.is_none() && self.0.due_on < today)
    }

    async fn grant(&self, ctx: &Context<'_>) -> AppResult<Grant> {
        Ok(Grant(ctx.loaders()?.grant(self.0.grant_id).await?))
    }
}

pub struct GrantStatusChange(pub grant_status_change::Model);

#[Object]
impl GrantStatusChange {
    /// Null for the grant's creation.
    async fn from(&self) -> AppResult<Option<GrantStatus>> {
        self.0
            .from_status
            .as_deref()
            .map(|s| {
                Ok(domain::GrantStatus::from_stored("grant_status_changes.from_status", s)?.into())
            })
            .transpose()
    }

    async fn to(&self) -> AppResult<GrantStatus> {
        Ok(
            domain::GrantStatus::from_stored("grant_status_changes.to_status", &self.0.to_status)?
                .into(),
        )
    }

    async fn at(&self) -> DateTime {
        DateTime::utc(self.0.changed_at)
    }

    /// The name of the staff account that made the change (null: a command-line import).
    async fn changed_by(&self, ctx: &Context<'_>) -> AppResult<Option<String>> {
        let Some(id) = self.0.changed_by else {
            return Ok(None);
        };
        let user = ctx.loaders()?.users.load_one(id).await?;
        Ok(user.map(|u| u.name))
    }
}

#[derive(InputObject)]
pub struct CreateGrantInput {
    /// A funder already recorded under this name (case and accents aside) is reused.
    pub funder_name: String,
    pub funder_kind: FunderKind,
    pub program: Option<String>,
    pub title: String,
    /// EUR, above 0, at most two decimals.
    pub amount_requested: Decimal,
    pub period_start: Date,
    pub period_end: Date,
    pub purpose: Option<String>,
    /// The site the grant funds; none for the whole venue.
    pub site_id: Option<ID>,
}

impl TryFrom<CreateGrantInput> for NewGrant {
    type Error = AppError;

    fn try_from(input: CreateGrantInput) -> AppResult<Self> {
        Ok(Self {
            funder_name: Name::parse("funderName", &input.funder_name)?,
            funder_kind: input.funder_kind.into(),
            program: optional_text("program", input.program.as_deref(), Name::MAX_CHARS)?,
            title: Name::parse("title", &input.title)?,
            amount_requested: domain::received_amount("amountRequested", input.amount_requested.0)?,
            period: grant_period(input.period_start.0, input.period_end.0)?,
            purpose: optional_text("purpose", input.purpose.as_deref(), TEXT_MAX)?,
            site_id: optional_id("siteId", input.site_id.as_ref())?,
        })
    }
}

#[derive(Default)]
pub struct GrantQuery;

#[Object]
impl GrantQuery {
    /// Grants, the latest period first; of one status when asked. MANAGER.
    #[graphql(guard = "Require(Permission::Manage)")]
    async fn grants(
        &self,
        ctx: &Context<'_>,
        status: Option<GrantStatus>,
    ) -> AppResult<Vec<Grant>> {
        let rows = service::list_grants(&ctx.state()?.db, status.map(Into::into)).await?;
        Ok(rows.into_iter().map(Grant).collect())
    }

    /// One grant. MANAGER.
    #[graphql(guard = "Require(Permission::Manage)")]
    async fn grant(&self, ctx: &Context<'_>, id: ID) -> AppResult<Option<Grant>> {
        let id = parse_id("id", &id)?;
        Ok(service::find_grant(&ctx.state()?.db, id).await?.map(Grant))
    }

    /// Reports not yet sent that are due within `withinDays` of today, overdue ones included
    /// (flagged `overdue`), the soonest first. MANAGER.
    #[graphql(guard = "Require(Permission::Manage)")]
    async fn upcoming_deadlines(
        &self,
        ctx: &Context<'_>,
        within_days: i32,
    ) -> AppResult<Vec<ReportingDeadline>> {
        if !(0..=WITHIN_DAYS_MAX).contains(&within_days) {
            return Err(AppError::validation(
                "withinDays",
                format!("must be between 0 and {WITHIN_DAYS_MAX}"),
            ));
        }
        let today = ctx.loaders()?.today().await?;
        let rows = service::upcoming_deadlines(&ctx.state()?.db, today, within_days as u32);
        Ok(rows.await?.into_iter().map(ReportingDeadline).collect())
    }
}

#[derive(Default)]
pub struct GrantMutation;

#[Object]
impl GrantMutation {
    /// Records an application, DRAFT. MANAGER.
    #[graphql(guard = "Require(Permission::Manage)")]
    async fn create_grant(&self, ctx: &Context<'_>, input: CreateGrantInput) -> AppResult<Grant> {
        let input = NewGrant::try_from(input)?;
        let state = ctx.state()?;
        let grant = service::create_grant(&state.db, state.clock.now(), ctx.actor()?, input);
        Ok(Grant(grant.await?))
    }

    /// Moves a grant: DRAFT -> SUBMITTED -> AWARDED or REJECTED, DRAFT -> AWARDED, AWARDED ->
    /// CLOSED (anything else INVALID_STATE). AWARDED takes `amountAwarded`, at most the amount
    /// requested. MANAGER.
    #[graphql(guard = "Require(Permission::Manage)")]
    async fn set_grant_status(
        &self,
        ctx: &Context<'_>,
        id: ID,
        status: GrantStatus,
        amount_awarded: Option<Decimal>,
    ) -> AppResult<Grant> {
        let id = parse_id("id", &id)?;
        let amount = amount_awarded
            .map(|a| domain::received_amount("amountAwarded", a.0))
            .transpose()?;
        let state = ctx.state()?;
        let now = state.clock.now();
        let grant = service::set_status(&state.db, now, ctx.actor()?, id, status.into(), amount);
        Ok(Grant(grant.await?))
    }

    /// Records a tranche received on an AWARDED grant; the tranches never exceed the award.
    /// MANAGER.
    #[graphql(guard = "Require(Permission::Manage)")]
    async fn record_grant_payment(
        &self,
        ctx: &Context<'_>,
        grant_id: ID,
        amount: Decimal,
        received_on: Date,
    ) -> AppResult<GrantPayment> {
        let grant_id = parse_id("grantId", &grant_id)?;
        let amount = domain::received_amount("amount", amount.0)?;
        let state = ctx.state()?;
        let payment = service::record_payment(
            &state.db,
            state.clock.now(),
            ctx.actor()?,
            grant_id,
            amount,
            received_on.0,
        );
        Ok(GrantPayment(payment.await?))
    }

    /// A report the funder expects by `dueOn`. MANAGER.
    #[graphql(guard = "Require(Permission::Manage)")]
    async fn add_reporting_deadline(
        &self,
        ctx: &Context<'_>,
        grant_id: ID,
        label: String,
        due_on: Date,
    ) -> AppResult<ReportingDeadline> {
        let grant_id = parse_id("grantId", &grant_id)?;
        let label = Name::parse("label", &label)?;
        let state = ctx.state()?;
        let deadline =
            service::add_deadline(&state.db, state.clock.now(), grant_id, label, due_on.0);
        Ok(ReportingDeadline(deadline.await?))
    }

    /// The report was sent on `doneOn` (not in the future). Twice is INVALID_STATE. MANAGER.
    #[graphql(guard = "Require(Permission::Manage)")]
    async fn complete_reporting_deadline(
        &self,
        ctx: &Context<'_>,
        id: ID,
        done_on: Date,
    ) -> AppResult<ReportingDeadline> {
        let id = parse_id("id", &id)?;
        let today = ctx.loaders()?.today().await?;
        if done_on.0 > today {
            return Err(AppError::validation(
                "doneOn",
                format!(
                    "{} has not come yet: mark the report once it is sent",
                    done_on.0
                ),
            ));
        }
        let deadline = service::complete_deadline(&ctx.state()?.db, id, done_on.0);
        Ok(ReportingDeadline(deadline.await?))
    }
}

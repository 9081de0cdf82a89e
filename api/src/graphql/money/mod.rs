//! The revenue ledger (MANAGER): lines entered by hand, the automatic ones (bookings,
//! memberships, tickets) pointing back at what they pay for, and corrections as reversing
//! entries. Grants are in `grants`.

pub mod grants;

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use lieu_entity::revenue;

use crate::auth::guard::{Permission, Require};
use crate::domain::{self, DayRange, Money, StoredEnum, optional_text, parse_id, received_amount};
use crate::error::{AppError, AppResult};
use crate::graphql::context::ContextExt;
use crate::graphql::inputs::optional_id;
use crate::graphql::scalars::{Date, Decimal};
use crate::graphql::sites::Site;
use crate::service::money::{self, NewRevenue, RevenueFilter};
use crate::service::reports::MAX_REPORT_DAYS;

/// The longest description of a revenue line.
const DESCRIPTION_MAX: usize = 500;
/// The longest reason of a reversal.
const REASON_MAX: usize = 500;
/// The most lines one `revenues` answer holds.
const REVENUES_MAX: u64 = 10_000;

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "crate::domain::RevenueStream")]
pub enum RevenueStream {
    SpaceRental,
    Coworking,
    Membership,
    EventTickets,
    CafeBar,
    Services,
    Sales,
    /// Private funding, not earned revenue.
    Donation,
    /// Private funding, not earned revenue.
    Sponsorship,
    Other,
}

/// One line of the ledger: money received (or, negative, a reversal).
pub struct Revenue(pub revenue::Model);

#[Object]
impl Revenue {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn stream(&self) -> AppResult<RevenueStream> {
        Ok(domain::RevenueStream::from_stored("revenues.stream", &self.0.stream)?.into())
    }

    /// EUR; negative for a reversing entry.
    async fn amount(&self) -> Decimal {
        Money::from_cents(self.0.amount_cents).into()
    }

    /// The local day the money came in (a reversal: the day it was made).
    async fn received_on(&self) -> Date {
        Date(self.0.received_on)
    }

    async fn description(&self) -> &str {
        &self.0.description
    }

    async fn site(&self, ctx: &Context<'_>) -> AppResult<Option<Site>> {
        match self.0.site_id {
            Some(id) => Ok(Some(ctx.loaders()?.site(id).await?.into())),
            None => Ok(None),
        }
    }

    /// This line was reversed (a reversing entry points at it).
    async fn reversed(&self) -> bool {
        self.0.reversed_at.is_some()
    }

    /// The line this entry reverses.
    async fn reversal_of(&self, ctx: &Context<'_>) -> AppResult<Option<Revenue>> {
        let Some(id) = self.0.reversal_of else {
            return Ok(None);
        };
        let row = ctx.loaders()?.revenues.load_one(id).await?;
        Ok(row.map(Revenue))
    }

    /// Why it was reversed (on the original and on the reversing entry).
    async fn reversal_reason(&self) -> Option<&str> {
        self.0.reversal_reason.as_deref()
    }

    /// What an automatic line pays for: BOOKING, MEMBERSHIP or REGISTRATION.
    async fn source_kind(&self) -> Option<&str> {
        self.0.source_kind.as_deref()
    }

    /// The id of that booking, membership or registration.
    async fn source_id(&self) -> Option<ID> {
        self.0.source_id.map(|id| ID(id.to_string()))
    }
}

#[derive(InputObject)]
pub struct RecordRevenueInput {
    pub stream: RevenueStream,
    /// EUR, above 0, at most two decimals.
    pub amount: Decimal,
    /// The local day the money came in.
    pub received_on: Date,
    /// What it is ("Café, semaine 12"); never personal data.
    pub description: String,
    pub site_id: Option<ID>,
}

impl TryFrom<RecordRevenueInput> for NewRevenue {
    type Error = AppError;

    fn try_from(input: RecordRevenueInput) -> AppResult<Self> {
        let description = optional_text("description", Some(&input.description), DESCRIPTION_MAX)?
            .ok_or_else(|| AppError::validation("description", "must not be empty"))?;
        Ok(Self {
            stream: input.stream.into(),
            amount: received_amount("amount", input.amount.0)?,
            received_on: input.received_on.0,
            description,
            site_id: optional_id("siteId", input.site_id.as_ref())?,
            source: None,
        })
    }
}

/// The net total of one stream.
#[derive(SimpleObject)]
pub struct StreamTotal {
    pub stream: RevenueStream,
    pub amount: Decimal,
}

/// A period of days from two API dates, both included.
pub fn days(from: Date, to: Date) -> AppResult<DayRange> {
    DayRange::new(from.0, to.0, MAX_REPORT_DAYS)
}

#[derive(Default)]
pub struct MoneyQuery;

#[Object]
impl MoneyQuery {
    /// Revenue lines received within `[from, to]` (local days), reversing entries included,
    /// by day; of one stream and/or one site when asked. See `revenueTotals` for the sums.
    /// MANAGER.
    #[graphql(guard = "Require(Permission::Manage)")]
    async fn revenues(
        &self,
        ctx: &Context<'_>,
        from: Date,
        to: Date,
        stream: Option<RevenueStream>,
        site_id: Option<ID>,
    ) -> AppResult<Vec<Revenue>> {
        let filter = filter(from, to, stream, site_id)?;
        let rows = money::list_revenues(&ctx.state()?.db, &filter, REVENUES_MAX + 1).await?;
        if rows.len() as u64 > REVENUES_MAX {
            return Err(AppError::validation(
                "to",
                format!("more than {REVENUES_MAX} lines: ask for a shorter period"),
            ));
        }
        Ok(rows.into_iter().map(Revenue).collect())
    }

    /// The net total of each stream within `[from, to]` (reversals netted), as `revenues`
    /// filters them. MANAGER.
    #[graphql(guard = "Require(Permission::Manage)")]
    async fn revenue_totals(
        &self,
        ctx: &Context<'_>,
        from: Date,
        to: Date,
        stream: Option<RevenueStream>,
        site_id: Option<ID>,
    ) -> AppResult<Vec<StreamTotal>> {
        let filter = filter(from, to, stream, site_id)?;
        let totals = money::totals_by_stream(&ctx.state()?.db, &filter).await?;
        Ok(totals
            .into_iter()
            .map(|(stream, amount)| StreamTotal {
                stream: stream.into(),
                amount: amount.into(),
            })
            .collect())
    }
}

fn filter(
    from: Date,
    to: Date,
    stream: Option<RevenueStream>,
    site_id: Option<ID>,
) -> AppResult<RevenueFilter> {
    Ok(RevenueFilter {
        days: days(from, to)?,
        stream: stream.map(Into::into),
        site_id: optional_id("siteId", site_id.as_ref())?,
    })
}

#[derive(Default)]
pub struct MoneyMutation;

#[Object]
impl MoneyMutation {
    /// Records money received by hand (the café's till, a donation, a service). Bookings,
    /// memberships and tickets record their own lines. MANAGER.
    #[graphql(guard = "Require(Permission::Manage)")]
    async fn record_revenue(
        &self,
        ctx: &Context<'_>,
        input: RecordRevenueInput,
    ) -> AppResult<Revenue> {
        let input = NewRevenue::try_from(input)?;
        let state = ctx.state()?;
        let line = money::record_revenue(&state.db, state.clock.now(), ctx.actor()?, input);
        Ok(Revenue(line.await?))
    }

    /// Corrects a line: writes a reversing entry of the opposite amount dated today, pointing
    /// at the original (kept, and marked `reversed`). Reversing twice, or reversing a
    /// reversal, is INVALID_STATE. MANAGER.
    #[graphql(guard = "Require(Permission::Manage)")]
    async fn reverse_revenue(
        &self,
        ctx: &Context<'_>,
        id: ID,
        reason: String,
    ) -> AppResult<Revenue> {
        let id = parse_id("id", &id)?;
        let reason = optional_text("reason", Some(&reason), REASON_MAX)?.ok_or_else(|| {
            AppError::validation("reason", "must say why (it stays in the books)")
        })?;
        let state = ctx.state()?;
        let line = money::reverse_revenue(&state.db, state.clock.now(), ctx.actor()?, id, &reason);
        Ok(Revenue(line.await?))
    }
}

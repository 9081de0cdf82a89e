//! Spaces: public to read (with their rates and free slots, never their bookings); MANAGER
//! to create, change, archive.

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::Duration;
use chrono_tz::Tz;
use lieu_entity::space;

use crate::auth::guard::{Permission, Require};
use crate::domain::{self, Money, Name, StoredEnum, TimeRange, optional_text, parse_id};
use crate::error::{AppError, AppResult};
use crate::graphql::context::ContextExt;
use crate::graphql::inputs::{change, optional_id};
use crate::graphql::scalars::{DateTime, Decimal};
use crate::graphql::sites::Site;
use crate::service::bookings::availability::{self, MAX_WINDOW_DAYS};
use crate::service::bookings::{Rates, spaces};

/// The longest description of a space.
const DESCRIPTION_MAX: usize = 4000;

/// What a space is for.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "crate::domain::SpaceKind")]
pub enum SpaceKind {
    MeetingRoom,
    Coworking,
    Workshop,
    EventHall,
    Kitchen,
    Studio,
    Outdoor,
    Lodging,
    Other,
}

/// Which rate a booker pays.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "crate::domain::PriceTier")]
pub enum PriceTier {
    /// Anyone.
    Public,
    /// A person or organization with a membership active on the booking's first day.
    Member,
    /// A reduced rate staff may grant.
    Solidarity,
    /// Organizations hosted in the venue.
    Resident,
}

/// The price of a space for one tier.
#[derive(SimpleObject)]
pub struct Rate {
    pub tier: PriceTier,
    /// EUR per hour.
    pub hourly: Decimal,
    /// The most one local day costs; null: no cap.
    pub daily: Option<Decimal>,
}

/// A half-open interval of time `[start, end)`, in the site's own offset.
#[derive(SimpleObject, Clone)]
pub struct TimeSlot {
    pub start: DateTime,
    pub end: DateTime,
    /// The booking that holds it, when it is a conflict (as in `BOOKING_CONFLICT`'s
    /// `conflicts`); null for a free slot.
    pub booking_id: Option<ID>,
}

impl TimeSlot {
    /// A free slot of a site in `tz`.
    pub fn free(range: TimeRange, tz: Tz) -> Self {
        Self {
            start: DateTime::local(range.start, tz),
            end: DateTime::local(range.end, tz),
            booking_id: None,
        }
    }
}

/// A bookable place of a site.
pub struct Space(pub space::Model);

#[Object]
impl Space {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn site(&self, ctx: &Context<'_>) -> AppResult<Site> {
        Ok(ctx.loaders()?.site(self.0.site_id).await?.into())
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    async fn kind(&self) -> AppResult<SpaceKind> {
        Ok(domain::SpaceKind::from_stored("spaces.kind", &self.0.kind)?.into())
    }

    /// How many people it holds.
    async fn capacity(&self) -> i32 {
        self.0.capacity
    }

    /// Step-free access for wheelchair users.
    async fn accessible(&self) -> bool {
        self.0.accessible
    }

    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    /// Bookings start PENDING and wait for a manager's confirmation (they hold the slot
    /// meanwhile).
    async fn requires_approval(&self) -> bool {
        self.0.requires_approval
    }

    /// Clean-up (or set-up) time between two uses: each booking holds `[start, end +
    /// bufferMinutes)`, and those of two bookings never overlap, so two bookings of this space
    /// are at least `bufferMinutes` apart. Through the hierarchy (a hall and its halves), the
    /// earlier booking's space's buffer applies.
    async fn buffer_minutes(&self) -> i32 {
        self.0.buffer_minutes
    }

    /// One rate per tier the space is offered at, by tier.
    async fn rates(&self, ctx: &Context<'_>) -> AppResult<Vec<Rate>> {
        let rates = ctx
            .loaders()?
            .space_rates
            .load_one(self.0.id)
            .await?
            .unwrap_or_default();
        Ok(rates_out(&rates))
    }

    /// Archived spaces keep their history but cannot be booked.
    async fn archived(&self) -> bool {
        self.0.archived_at.is_some()
    }

    /// The space this one is part of (a hall, for one of its halves). Booking either blocks
    /// the other.
    async fn parent(&self, ctx: &Context<'_>) -> AppResult<Option<Space>> {
        match self.0.parent_id {
            Some(id) => Ok(Some(Space(ctx.loaders()?.space(id).await?))),
            None => Ok(None),
        }
    }

    /// The parts of this space, by name.
    async fn children(&self, ctx: &Context<'_>) -> AppResult<Vec<Space>> {
        Ok(ctx
            .loaders()?
            .space_children
            .load_one(self.0.id)
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(Space)
            .collect())
    }
}

fn rates_out(rates: &Rates) -> Vec<Rate> {
    rates
        .entries()
        .iter()
        .map(|(tier, rate)| Rate {
            tier: (*tier).into(),
            hourly: Money::from_cents(rate.hourly_cents).into(),
            daily: rate.daily_cents.map(|c| Money::from_cents(c).into()),
        })
        .collect()
}

/// A rate as a manager types it.
#[derive(InputObject)]
pub struct RateInput {
    pub tier: PriceTier,
    /// EUR per hour, at most two decimals.
    pub hourly: Decimal,
    /// Cap per local day; omit for none.
    pub daily: Option<Decimal>,
}

fn rates_in(input: Option<Vec<RateInput>>) -> AppResult<Rates> {
    Rates::new(
        input
            .unwrap_or_default()
            .into_iter()
            .map(|r| (r.tier.into(), r.hourly.0, r.daily.map(|d| d.0))),
    )
}

#[derive(InputObject)]
pub struct CreateSpaceInput {
    /// Defaults to the first site.
    pub site_id: Option<ID>,
    pub name: String,
    pub kind: SpaceKind,
    /// At least 1.
    pub capacity: i32,
    pub accessible: Option<bool>,
    pub description: Option<String>,
    pub requires_approval: Option<bool>,
    /// 0 to 1440; default 0.
    pub buffer_minutes: Option<i32>,
    pub rates: Option<Vec<RateInput>>,
    /// The space this one is part of (same site).
    pub parent_id: Option<ID>,
}

/// Every field is optional: what is omitted stays as it is.
#[derive(InputObject)]
pub struct UpdateSpaceInput {
    pub name: Option<String>,
    pub kind: Option<SpaceKind>,
    pub capacity: Option<i32>,
    pub accessible: Option<bool>,
    /// An empty string clears it.
    pub description: Option<String>,
    pub requires_approval: Option<bool>,
    /// Changing it re-checks every booking not yet over (BOOKING_CONFLICT if they would
    /// then overlap).
    pub buffer_minutes: Option<i32>,
    /// Replaces all the rates.
    pub rates: Option<Vec<RateInput>>,
    /// A new parent (same site); use `detachFromParent` to make it top-level.
    pub parent_id: Option<ID>,
    /// Make the space top-level.
    pub detach_from_parent: Option<bool>,
}

impl TryFrom<CreateSpaceInput> for spaces::NewSpace {
    type Error = AppError;

    fn try_from(input: CreateSpaceInput) -> AppResult<Self> {
        Ok(Self {
            site_id: optional_id("siteId", input.site_id.as_ref())?,
            parent_id: optional_id("parentId", input.parent_id.as_ref())?,
            name: Name::parse("name", &input.name)?,
            kind: input.kind.into(),
            capacity: domain::capacity("capacity", input.capacity)?,
            accessible: input.accessible.unwrap_or(false),
            description: optional_text(
                "description",
                input.description.as_deref(),
                DESCRIPTION_MAX,
            )?,
            requires_approval: input.requires_approval.unwrap_or(false),
            buffer_minutes: domain::buffer_minutes(
                "bufferMinutes",
                input.buffer_minutes.unwrap_or(0),
            )?,
            rates: rates_in(input.rates)?,
        })
    }
}

impl TryFrom<UpdateSpaceInput> for spaces::SpaceChanges {
    type Error = AppError;

    fn try_from(input: UpdateSpaceInput) -> AppResult<Self> {
        let parent_id = match (input.parent_id.as_ref(), input.detach_from_parent) {
            (Some(_), Some(true)) => {
                return Err(AppError::validation(
                    "parentId",
                    "give a new parent or detachFromParent, not both",
                ));
            }
            (Some(parent), _) => Some(Some(parse_id("parentId", parent)?)),
            (None, Some(true)) => Some(None),
            (None, _) => None,
        };
        Ok(Self {
            name: change(input.name.as_deref(), |n| Name::parse("name", n))?,
            kind: input.kind.map(Into::into),
            capacity: input
                .capacity
                .map(|c| domain::capacity("capacity", c))
                .transpose()?,
            accessible: input.accessible,
            description: change(input.description.as_deref(), |d| {
                optional_text("description", Some(d), DESCRIPTION_MAX)
            })?,
            requires_approval: input.requires_approval,
            buffer_minutes: input
                .buffer_minutes
                .map(|b| domain::buffer_minutes("bufferMinutes", b))
                .transpose()?,
            rates: input.rates.map(|r| rates_in(Some(r))).transpose()?,
            parent_id,
        })
    }
}

#[derive(Default)]
pub struct SpaceQuery;

#[Object]
impl SpaceQuery {
    /// Spaces by site and name. Public. Archived ones only with `includeArchived`.
    async fn spaces(
        &self,
        ctx: &Context<'_>,
        site_id: Option<ID>,
        include_archived: Option<bool>,
    ) -> AppResult<Vec<Space>> {
        let site_id = optional_id("siteId", site_id.as_ref())?;
        let rows =
            spaces::list_spaces(&ctx.state()?.db, site_id, include_archived.unwrap_or(false))
                .await?;
        Ok(rows.into_iter().map(Space).collect())
    }

    /// One space (archived ones included), or null. Public.
    async fn space(&self, ctx: &Context<'_>, id: ID) -> AppResult<Option<Space>> {
        let id = parse_id("id", &id)?;
        Ok(spaces::find_space(&ctx.state()?.db, id).await?.map(Space))
    }

    /// Free slots of a space within `[from, to)` (at most 92 days): within the site's opening
    /// hours, clear of every booking and its buffer. Public: says nothing of who booked.
    async fn availability(
        &self,
        ctx: &Context<'_>,
        space_id: ID,
        from: DateTime,
        to: DateTime,
    ) -> AppResult<Vec<TimeSlot>> {
        let window = TimeRange::new(
            from.instant,
            to.instant,
            Duration::days(MAX_WINDOW_DAYS),
            "to",
        )?;
        let space_id = parse_id("spaceId", &space_id)?;
        let free = availability::free_slots(&ctx.state()?.db, space_id, window).await?;
        Ok(free
            .slots
            .into_iter()
            .map(|r| TimeSlot::free(r, free.tz))
            .collect())
    }
}

#[derive(Default)]
pub struct SpaceMutation;

#[Object]
impl SpaceMutation {
    /// Adds a space. MANAGER.
    #[graphql(guard = "Require(Permission::Manage)")]
    async fn create_space(&self, ctx: &Context<'_>, input: CreateSpaceInput) -> AppResult<Space> {
        let new_space = spaces::NewSpace::try_from(input)?;
        let state = ctx.state()?;
        Ok(Space(
            spaces::create_space(&state.db, state.clock.now(), new_space).await?,
        ))
    }

    /// Changes a space. MANAGER.
    #[graphql(guard = "Require(Permission::Manage)")]
    async fn update_space(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: UpdateSpaceInput,
    ) -> AppResult<Space> {
        let changes = spaces::SpaceChanges::try_from(input)?;
        let id = parse_id("id", &id)?;
        let state = ctx.state()?;
        Ok(Space(
            spaces::update_space(&state.db, state.clock.now(), id, changes).await?,
        ))
    }

    /// Archives a space: no new bookings; existing ones stay. MANAGER.
    #[graphql(guard = "Require(Permission::Manage)")]
    async fn archive_space(&self, ctx: &Context<'_>, id: ID) -> AppResult<Space> {
        let id = parse_id("id", &id)?;
        let state = ctx.state()?;
        Ok(Space(
            spaces::set_archived(&state.db, state.clock.now(), id, true).await?,
        ))
    }

    /// Makes an archived space bookable again. MANAGER.
    #[graphql(guard = "Require(Permission::Manage)")]
    async fn restore_space(&self, ctx: &Context<'_>, id: ID) -> AppResult<Space> {
        let id = parse_id("id", &id)?;
        let state = ctx.state()?;
        Ok(Space(
            spaces::set_archived(&state.db, state.clock.now(), id, false).await?,
        ))
    }
}

//! The events list's compiled selections ([`crate::graphql::plan`]): a page of events (the
//! public agenda) is loaded with its sites' time zones, spaces and seats ([`prefetch`]), then
//! every row is shown without a future per field. Only public fields are planned: a guarded
//! one (`registrations`) goes to the executor, which checks its guard.

use std::collections::HashMap;

use async_graphql::parser::types::{Field, OperationType, SelectionSet};
use async_graphql::{Context, ContextSelectionSet, ID, Positioned};
use lieu_entity::{event, space};
use uuid::Uuid;

use crate::domain::Money;
use crate::error::AppResult;
use crate::graphql::bookings::plan::{space_plan, when};
use crate::graphql::context::ContextExt;
use crate::graphql::events::{Event, EventCategory, EventStatus};
use crate::graphql::plan::{self, Getter, Plan, Planned, Zones, plain, related_list, scalar, text};
use crate::graphql::scalars::Decimal;
use crate::service::events::{self, seats::Seats};

/// What a page of events was loaded with; `None`: not selected, so not loaded.
#[derive(Default)]
pub struct EventRelations {
    zones: Zones,
    spaces: Option<HashMap<Uuid, Vec<space::Model>>>,
    seats: Option<HashMap<Uuid, Seats>>,
}

impl EventRelations {
    /// As `Event.seats`: an event without registrations has none.
    fn seats(&self, event: &Event) -> Option<Seats> {
        Some(
            self.seats
                .as_ref()?
                .get(&event.0.id)
                .copied()
                .unwrap_or_default(),
        )
    }
}

/// Loads what the list's selection (`ctx` resolves the list's field) shows of `rows`: one
/// statement each, in a query only (see `bookings::plan::prefetch`). The executor's path, when
/// a plan does not apply, loads them again through its loaders (which keep no cache).
pub async fn prefetch(ctx: &Context<'_>, rows: &[event::Model]) -> AppResult<EventRelations> {
    let mut relations = EventRelations::default();
    if ctx.query_env.operation.node.ty != OperationType::Query || rows.is_empty() {
        return Ok(relations);
    }
    let look = ctx.look_ahead();
    let selects = |names: &[&str]| {
        names.iter().any(|name| {
            look.field("edges").field("node").field(name).exists()
                || look.field("nodes").field(name).exists()
        })
    };
    let db = &ctx.state()?.db;
    relations.zones = Zones::load(ctx.loaders()?).await?;
    let ids: Vec<Uuid> = rows.iter().map(|e| e.id).collect();
    let seats = [
        "remainingSeats",
        "confirmedCount",
        "waitlistCount",
        "checkedInCount",
    ];
    let (spaces, seats) = futures::try_join!(
        when(
            selects(&["spaces"]),
            events::queries::spaces_of(db, ids.clone())
        ),
        when(selects(&seats), events::seats::seats_of(db, ids.clone())),
    )?;
    (relations.spaces, relations.seats) = (spaces, seats);
    Ok(relations)
}

impl Planned for Event {
    type Env = EventRelations;

    fn plan(ctx: &ContextSelectionSet<'_>, set: &SelectionSet) -> Option<Plan<Self, Self::Env>> {
        plan::compile(ctx, set, "Event", &|field| event_field(ctx, field))
    }
}

type R = EventRelations;

fn money(cents: Option<i64>) -> Option<Option<Decimal>> {
    Some(cents.map(|c| Decimal::from(Money::from_cents(c))))
}

fn event_field(
    ctx: &ContextSelectionSet<'_>,
    field: &Positioned<Field>,
) -> Option<Getter<Event, R>> {
    let seats = |get: fn(Seats, &Event) -> Option<i32>| -> Getter<Event, R> {
        Box::new(move |e: &Event, env: &R| {
            Some(async_graphql::InputType::to_value(&get(env.seats(e)?, e)))
        })
    };
    Some(match plain(field)? {
        "id" => scalar(|e: &Event| Some(ID(e.0.id.to_string()))),
        "title" => text(|e: &Event| &e.0.title),
        "description" => scalar(|e: &Event| Some(e.0.description.clone())),
        "category" => scalar(|e: &Event| events::category_of(&e.0).ok().map(EventCategory::from)),
        "start" => Box::new(|e: &Event, env: &R| env.zones.local(e.0.site_id, e.0.starts_at)),
        "end" => Box::new(|e: &Event, env: &R| env.zones.local(e.0.site_id, e.0.ends_at)),
        "createdAt" => Box::new(|e: &Event, env: &R| env.zones.local(e.0.site_id, e.0.created_at)),
        "cancelledAt" => {
            Box::new(|e: &Event, env: &R| env.zones.local_opt(e.0.site_id, e.0.cancelled_at))
        }
        "capacity" => scalar(|e: &Event| Some(e.0.capacity)),
        "public" => scalar(|e: &Event| Some(e.0.public)),
        "price" => scalar(|e: &Event| money(e.0.price_cents)),
        "memberPrice" => scalar(|e: &Event| money(e.0.member_price_cents)),
        "minPrice" => scalar(|e: &Event| money(e.0.min_price_cents)),
        "status" => scalar(|e: &Event| events::status_of(&e.0).ok().map(EventStatus::from)),
        "cancelReason" => scalar(|e: &Event| Some(e.0.cancel_reason.clone())),
        "seriesId" => scalar(|e: &Event| Some(e.0.series_id.map(|id| ID(id.to_string())))),
        "remainingSeats" => seats(|s, e| s.remaining(e.0.capacity)),
        "confirmedCount" => seats(|s, _| Some(s.confirmed)),
        "waitlistCount" => seats(|s, _| Some(s.waitlisted)),
        "checkedInCount" => seats(|s, _| Some(s.checked_in)),
        "spaces" => {
            let space = space_plan(ctx, &field.node.selection_set.node)?;
            related_list(space, |e: &Event, env: &R| {
                env.spaces
                    .as_ref()
                    .map(|s| s.get(&e.0.id).map_or(&[][..], Vec::as_slice))
            })
        }
        _ => return None,
    })
}

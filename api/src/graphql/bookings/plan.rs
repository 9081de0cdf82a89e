//! The bookings list's compiled selections ([`crate::graphql::plan`]): a page of bookings is
//! loaded with its sites' time zones, spaces and bookers ([`prefetch`]), and then every row
//! is shown without a future per field.

use std::collections::HashMap;

use async_graphql::parser::types::{Field, OperationType, SelectionSet};
use async_graphql::{Context, ContextSelectionSet, ID, Positioned, Value};
use lieu_entity::{booking, organization, person, space};
use uuid::Uuid;

use crate::domain::Money;
use crate::error::AppResult;
use crate::graphql::bookings::{Booking, BookingStatus};
use crate::graphql::context::{ContextExt, RequestContext};
use crate::graphql::loaders::{OrganizationKey, PersonKey};
use crate::graphql::people;
use crate::graphql::plan::{self, Getter, Plan, Planned, Zones, plain, related, scalar, text};
use crate::graphql::scalars::Decimal;
use crate::service::bookings::{self, spaces};
use crate::service::people::organizations::organizations_by_ids;
use crate::service::people::people_by_ids;

/// What a page of bookings was loaded with; a relation the request does not select is left
/// empty (a plan that needs it then finds nothing and hands the list to the executor).
#[derive(Default)]
pub struct BookingRelations {
    zones: Zones,
    spaces: HashMap<Uuid, space::Model>,
    people: HashMap<Uuid, person::Model>,
    organizations: HashMap<Uuid, organization::Model>,
}

/// Loads the relations that the list's selection (`ctx` resolves the list's field) shows of
/// `rows`: one statement each, straight from the services (a plan reads them in place; the
/// executor's path, when a plan does not apply, gets them through [`Planned::prime`]). In a
/// mutation, whose later fields may read what an earlier one changed, nothing is loaded
/// ahead.
pub async fn prefetch(ctx: &Context<'_>, rows: &[booking::Model]) -> AppResult<BookingRelations> {
    let mut relations = BookingRelations::default();
    if ctx.query_env.operation.node.ty != OperationType::Query || rows.is_empty() {
        return Ok(relations);
    }
    let look = ctx.look_ahead();
    let selects = |name: &str| {
        look.field("edges").field("node").field(name).exists()
            || look.field("nodes").field(name).exists()
    };
    let db = &ctx.state()?.db;
    relations.zones = Zones::load(ctx.loaders()?).await?;
    let (spaces, bookers) = (selects("space"), selects("booker"));
    let space_ids = distinct(rows.iter().map(|b| b.space_id).filter(|_| spaces));
    let person_ids = distinct(rows.iter().filter_map(|b| b.person_id).filter(|_| bookers));
    let org_ids = distinct(
        rows.iter()
            .filter_map(|b| b.organization_id)
            .filter(|_| bookers),
    );
    let (spaces, people, organizations) = futures::try_join!(
        when(!space_ids.is_empty(), spaces::spaces_by_ids(db, &space_ids)),
        when(!person_ids.is_empty(), people_by_ids(db, &person_ids)),
        when(!org_ids.is_empty(), organizations_by_ids(db, &org_ids)),
    )?;
    relations.spaces = spaces.unwrap_or_default();
    relations.people = people.into_iter().flatten().map(|p| (p.id, p)).collect();
    relations.organizations = organizations
        .into_iter()
        .flatten()
        .map(|o| (o.id, o))
        .collect();
    Ok(relations)
}

/// The ids once each (a week's bookings share their spaces and bookers).
fn distinct(ids: impl Iterator<Item = Uuid>) -> Vec<Uuid> {
    let mut ids: Vec<Uuid> = ids.collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// `Some` of what `load` gives when `needed`; else `None` (and no statement).
pub async fn when<T>(
    needed: bool,
    load: impl Future<Output = AppResult<T>>,
) -> AppResult<Option<T>> {
    if needed {
        load.await.map(Some)
    } else {
        Ok(None)
    }
}

impl Planned for Booking {
    type Env = BookingRelations;

    fn plan(ctx: &ContextSelectionSet<'_>, set: &SelectionSet) -> Option<Plan<Self, Self::Env>> {
        plan::compile(ctx, set, "Booking", &|field| booking_field(ctx, field))
    }

    /// The executor's path reads spaces and bookers through the loaders: they find the
    /// prefetched rows in their caches (a copy of each), as they did before plans.
    async fn prime(ctx: &ContextSelectionSet<'_>, env: &Self::Env) {
        let Some(request) = ctx.data_opt::<RequestContext>() else {
            return;
        };
        let loaders = &request.loaders;
        if !env.spaces.is_empty() {
            loaders.spaces.enable_all_cache(true);
            loaders
                .spaces
                .feed_many(env.spaces.iter().map(|(k, v)| (*k, v.clone())))
                .await;
        }
        if !env.people.is_empty() || !env.organizations.is_empty() {
            loaders.people.enable_all_cache(true);
            let people = env.people.iter().map(|(k, v)| (PersonKey(*k), v.clone()));
            loaders.people.feed_many(people).await;
            let organizations = env
                .organizations
                .iter()
                .map(|(k, v)| (OrganizationKey(*k), v.clone()));
            loaders.people.feed_many(organizations).await;
        }
    }
}

type R = BookingRelations;

fn booking_field(
    ctx: &ContextSelectionSet<'_>,
    field: &Positioned<Field>,
) -> Option<Getter<Booking, R>> {
    let set = &field.node.selection_set.node;
    Some(match plain(field)? {
        "id" => scalar(|b: &Booking| Some(ID(b.0.id.to_string()))),
        "title" => text(|b: &Booking| &b.0.title),
        "start" => Box::new(|b: &Booking, env: &R| env.zones.local(b.0.site_id, b.0.starts_at)),
        "end" => Box::new(|b: &Booking, env: &R| env.zones.local(b.0.site_id, b.0.ends_at)),
        "createdAt" => {
            Box::new(|b: &Booking, env: &R| env.zones.local(b.0.site_id, b.0.created_at))
        }
        "cancelledAt" => {
            Box::new(|b: &Booking, env: &R| env.zones.local_opt(b.0.site_id, b.0.cancelled_at))
        }
        "status" => scalar(|b: &Booking| bookings::status_of(&b.0).ok().map(BookingStatus::from)),
        "price" => scalar(|b: &Booking| Some(Decimal::from(Money::from_cents(b.0.price_cents)))),
        "freeLoanValue" => scalar(|b: &Booking| {
            Some(
                b.0.in_kind_cents
                    .map(|c| Decimal::from(Money::from_cents(c))),
            )
        }),
        "paid" => scalar(|b: &Booking| Some(b.0.revenue_id.is_some())),
        "seriesId" => scalar(|b: &Booking| Some(b.0.series_id.map(|id| ID(id.to_string())))),
        "attendees" => scalar(|b: &Booking| Some(b.0.attendees)),
        "notes" => scalar(|b: &Booking| Some(b.0.notes.clone())),
        "cancelReason" => scalar(|b: &Booking| Some(b.0.cancel_reason.clone())),
        "space" => {
            let space = space_plan(ctx, set)?;
            related(space, |b: &Booking, env: &R| env.spaces.get(&b.0.space_id))
        }
        "booker" => booker(ctx, set)?,
        _ => return None,
    })
}

/// `booker`: a `Person`, an `Organization` or null, each member with its own plan (a
/// fragment on one member does not apply to the other).
fn booker(ctx: &ContextSelectionSet<'_>, set: &SelectionSet) -> Option<Getter<Booking, R>> {
    let person = people::plan::person::<R>(ctx, set, "Booker")?;
    let organization = people::plan::organization::<R>(ctx, set, "Booker")?;
    Some(Box::new(move |b: &Booking, env: &R| {
        // As `Booking.booker`: the person first, then the organization, else null.
        if let Some(id) = b.0.person_id {
            return person.value(env.people.get(&id)?, env);
        }
        if let Some(id) = b.0.organization_id {
            return organization.value(env.organizations.get(&id)?, env);
        }
        Some(Value::Null)
    }))
}

/// The plan of a selection on `Space`: its stored fields.
pub fn space_plan<E: 'static>(
    ctx: &ContextSelectionSet<'_>,
    set: &SelectionSet,
) -> Option<Plan<space::Model, E>> {
    type S = space::Model;
    plan::compile(ctx, set, "Space", &|field| {
        Some(match plain(field)? {
            "id" => scalar(|s: &S| Some(ID(s.id.to_string()))),
            "name" => text(|s: &S| &s.name),
            "capacity" => scalar(|s: &S| Some(s.capacity)),
            "accessible" => scalar(|s: &S| Some(s.accessible)),
            "description" => scalar(|s: &S| Some(s.description.clone())),
            "requiresApproval" => scalar(|s: &S| Some(s.requires_approval)),
            "bufferMinutes" => scalar(|s: &S| Some(s.buffer_minutes)),
            _ => return None,
        })
    })
}

//! The impact report (API.md's definitions): events held and their participants (who they
//! are: age bands, territories, first-time or returning), bookings and how much of its opening
//! hours each space was booked, members, volunteers.
//!
//! Choices where API.md is silent, stated once here:
//! - an event is held when it is not cancelled and starts within the period;
//! - `registrations` and `attendees` count seats (a group of 3 counts 3), like `confirmedCount`;
//! - age bands and territories count unique participants; the territory is read against the
//!   postal code of the report's site (the default site for all sites);
//! - members are distinct holders (people and organizations) of a membership, not cancelled,
//!   active on a day of the period; new members are those whose first membership ever starts
//!   within it. Memberships belong to the whole venue: a site's report counts them all.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use lieu_entity::volunteer_entry;
use lieu_entity::{booking, closed_date, event, membership, person, registration, space};
use rust_decimal::Decimal;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect,
    RelationTrait,
};
use uuid::Uuid;

use super::{Period, Scope, sum_bigint};
use crate::domain::{
    AgeBand, BookingStatus, DayRange, EventStatus, Holder, Hours, RegistrationStatus, Territory,
    TimeRange, open_intervals,
};
use crate::error::AppResult;
use crate::service::sites::opening_hours;

/// One space's use over the period.
#[derive(Clone, Debug)]
pub struct SpaceUse {
    pub space: space::Model,
    /// Minutes of the bookings of this very space that start within the period.
    pub booked_minutes: i64,
    /// Minutes its site was open within the period (a site that keeps no hours: all day).
    pub open_minutes: i64,
}

impl SpaceUse {
    /// Booked over open time; None when the site was never open.
    pub fn share(&self) -> Option<f64> {
        (self.open_minutes > 0).then(|| self.booked_minutes as f64 / self.open_minutes as f64)
    }
}

#[derive(Clone, Debug)]
pub struct ImpactReport {
    pub days: DayRange,
    pub events_held: i64,
    /// Seats of the CONFIRMED registrations of the events held.
    pub registrations: i64,
    /// Of those, the seats checked in.
    pub attendees: i64,
    pub unique_participants: i64,
    pub first_time: i64,
    pub returning: i64,
    /// Every band, in API.md's order.
    pub by_age_band: Vec<(AgeBand, i64)>,
    /// Every territory, in API.md's order.
    pub by_territory: Vec<(Territory, i64)>,
    pub bookings: i64,
    pub booked_minutes: i64,
    pub occupancy: Vec<SpaceUse>,
    pub active_members: i64,
    pub new_members: i64,
    pub volunteers: i64,
    pub volunteer_hours: Hours,
}

impl ImpactReport {
    /// Participants from the site's commune or département, over all participants.
    pub fn share_from_departement(&self) -> Option<Decimal> {
        let local: i64 = self
            .by_territory
            .iter()
            .filter(|(t, _)| matches!(t, Territory::Commune | Territory::Departement))
            .map(|(_, n)| n)
            .sum();
        (self.unique_participants > 0)
            .then(|| Decimal::from(local) / Decimal::from(self.unique_participants))
    }
}

/// Hours, to the hundredth, of a number of minutes.
pub fn hours_of_minutes(minutes: i64) -> Decimal {
    let mut hours = (Decimal::from(minutes) / Decimal::from(60))
        .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    // Always two decimals, like every other hours figure ("5.00", not "5").
    hours.rescale(2);
    hours
}

/// Who a participant is: the person, else the lower-cased email, else the registration.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Identity {
    Person(Uuid),
    Email(String),
    Registration(Uuid),
}

impl Identity {
    fn of(person: Option<Uuid>, email_key: Option<String>, registration: Uuid) -> Self {
        match (person, email_key) {
            (Some(id), _) => Self::Person(id),
            (None, Some(email)) => Self::Email(email),
            (None, None) => Self::Registration(registration),
        }
    }
}

/// What is known of a participant.
struct Participant {
    birth_year: Option<i32>,
    postal_code: Option<String>,
}

/// The report for `period`: eleven statements whatever the number of rows.
pub async fn impact_report(
    conn: &impl ConnectionTrait,
    period: &Period,
) -> AppResult<ImpactReport> {
    let scope = Scope::load(conn, period).await?;
    let events_held = events_held(conn, &scope).await?;

    let rows = participations(conn, &scope).await?;
    let earlier = earlier_identities(conn, &scope).await?;
    let mut registrations = 0;
    let mut attendees = 0;
    let mut participants: HashMap<Identity, Participant> = HashMap::new();
    for (id, person_id, email_key, seats, checked_in, birth_year, postal_code) in rows {
        registrations += i64::from(seats);
        if checked_in != 0 {
            attendees += i64::from(seats);
        }
        participants
            .entry(Identity::of(person_id, email_key, id))
            .or_insert(Participant {
                birth_year,
                postal_code,
            });
    }
    let year = scope.days.to.year();
    let reference = scope.reference_site().and_then(|s| s.postal_code.clone());
    let mut bands: BTreeMap<usize, i64> = BTreeMap::new();
    let mut territories: BTreeMap<usize, i64> = BTreeMap::new();
    let mut returning = 0;
    for (identity, p) in &participants {
        let band = AgeBand::of(p.birth_year, year);
        *bands.entry(rank(AgeBand::ALL, band)).or_default() += 1;
        let territory = Territory::of(p.postal_code.as_deref(), reference.as_deref());
        *territories
            .entry(rank(Territory::ALL, territory))
            .or_default() += 1;
        if earlier.contains(identity) {
            returning += 1;
        }
    }
    let unique = participants.len() as i64;

    let bookings = bookings_in(conn, &scope).await?;
    let occupancy = occupancy(conn, &scope, &bookings).await?;
    let (active_members, new_members) = members(conn, scope.days).await?;
    let (volunteers, volunteer_hours) = volunteers(conn, period).await?;
    Ok(ImpactReport {
        days: scope.days,
        events_held,
        registrations,
        attendees,
        unique_participants: unique,
        first_time: unique - returning,
        returning,
        by_age_band: AgeBand::ALL
            .iter()
            .enumerate()
            .map(|(i, b)| (*b, bands.get(&i).copied().unwrap_or(0)))
            .collect(),
        by_territory: Territory::ALL
            .iter()
            .enumerate()
            .map(|(i, t)| (*t, territories.get(&i).copied().unwrap_or(0)))
            .collect(),
        bookings: bookings.len() as i64,
        booked_minutes: bookings
            .iter()
            .map(|(_, r)| r.duration().num_minutes())
            .sum(),
        occupancy,
        active_members,
        new_members,
        volunteers,
        volunteer_hours,
    })
}

fn rank<T: PartialEq>(all: &[T], item: T) -> usize {
    all.iter().position(|x| *x == item).unwrap_or(all.len())
}

async fn events_held(conn: &impl ConnectionTrait, scope: &Scope) -> AppResult<i64> {
    let count: Option<i64> = event::Entity::find()
        .select_only()
        .column_as(Expr::cust("COUNT(*)"), "held")
        .filter(event::Column::Status.ne(EventStatus::Cancelled.as_str()))
        .filter(scope.within(event::Column::SiteId, event::Column::StartsAt))
        .into_tuple()
        .one(conn)
        .await?;
    Ok(count.unwrap_or(0))
}

type Participation = (
    Uuid,
    Option<Uuid>,
    Option<String>,
    i32,
    i32,
    Option<i32>,
    Option<String>,
);

/// The CONFIRMED registrations of the events held: registration, person, email key, seats,
/// checked in (0 or 1), the person's birth year and postal code.
async fn participations(
    conn: &impl ConnectionTrait,
    scope: &Scope,
) -> AppResult<Vec<Participation>> {
    Ok(registration::Entity::find()
        .select_only()
        .column(registration::Column::Id)
        .column(registration::Column::PersonId)
        .column(registration::Column::EmailKey)
        .column(registration::Column::Seats)
        .column_as(
            Expr::cust("CASE WHEN registrations.checked_in_at IS NULL THEN 0 ELSE 1 END"),
            "checked_in",
        )
        .column(person::Column::BirthYear)
        .column(person::Column::PostalCode)
        .join(JoinType::InnerJoin, registration::Relation::Event.def())
        .join(JoinType::LeftJoin, registration::Relation::Person.def())
        .filter(registration::Column::Status.eq(RegistrationStatus::Confirmed.as_str()))
        .filter(event::Column::Status.ne(EventStatus::Cancelled.as_str()))
        .filter(scope.within(event::Column::SiteId, event::Column::StartsAt))
        .into_tuple()
        .all(conn)
        .await?)
}

/// Everyone who took part in an event held before the period, at any site.
async fn earlier_identities(
    conn: &impl ConnectionTrait,
    scope: &Scope,
) -> AppResult<HashSet<Identity>> {
    let rows: Vec<(Option<Uuid>, Option<String>)> = registration::Entity::find()
        .select_only()
        .column(registration::Column::PersonId)
        .column(registration::Column::EmailKey)
        .distinct()
        .join(JoinType::InnerJoin, registration::Relation::Event.def())
        .filter(registration::Column::Status.eq(RegistrationStatus::Confirmed.as_str()))
        .filter(event::Column::Status.ne(EventStatus::Cancelled.as_str()))
        .filter(scope.before(event::Column::SiteId, event::Column::StartsAt))
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(person, email)| match (person, email) {
            (Some(id), _) => Some(Identity::Person(id)),
            (None, Some(email)) => Some(Identity::Email(email)),
            (None, None) => None,
        })
        .collect())
}

/// The bookings (not cancelled) that start within the period: their space and times.
async fn bookings_in(
    conn: &impl ConnectionTrait,
    scope: &Scope,
) -> AppResult<Vec<(Uuid, TimeRange)>> {
    let rows: Vec<(Uuid, DateTime<Utc>, DateTime<Utc>)> = booking::Entity::find()
        .select_only()
        .column(booking::Column::SpaceId)
        .column(booking::Column::StartsAt)
        .column(booking::Column::EndsAt)
        .filter(booking::Column::Status.ne(BookingStatus::Cancelled.as_str()))
        .filter(scope.within(booking::Column::SiteId, booking::Column::StartsAt))
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(space, start, end)| (space, TimeRange { start, end }))
        .collect())
}

/// Each space of the covered sites (archived ones only when they were booked): its booked
/// minutes next to its site's open minutes.
async fn occupancy(
    conn: &impl ConnectionTrait,
    scope: &Scope,
    bookings: &[(Uuid, TimeRange)],
) -> AppResult<Vec<SpaceUse>> {
    let site_ids = scope.site_ids();
    let spaces = space::Entity::find()
        .filter(space::Column::SiteId.is_in(site_ids.clone()))
        .order_by_asc(space::Column::Name)
        .order_by_asc(space::Column::Id)
        .all(conn)
        .await?;
    let weeks = opening_hours::weeks_of(conn, site_ids.clone()).await?;
    let closed_rows: Vec<(Uuid, NaiveDate)> = closed_date::Entity::find()
        .select_only()
        .column(closed_date::Column::SiteId)
        .column(closed_date::Column::Date)
        .filter(closed_date::Column::SiteId.is_in(site_ids))
        .filter(closed_date::Column::Date.gte(scope.days.from))
        .filter(closed_date::Column::Date.lte(scope.days.to))
        .into_tuple()
        .all(conn)
        .await?;
    let mut closed: HashMap<Uuid, HashSet<NaiveDate>> = HashMap::new();
    for (site, day) in closed_rows {
        closed.entry(site).or_default().insert(day);
    }
    let open: HashMap<Uuid, i64> = scope
        .sites()
        .map(|(site, tz)| {
            let (start, end) = scope.window(*tz);
            let week = weeks
                .get(&site.id)
                .map(|rows| opening_hours::intervals(rows))
                .unwrap_or_default();
            let minutes = open_intervals(
                *tz,
                &week,
                &closed.get(&site.id).cloned().unwrap_or_default(),
                TimeRange { start, end },
            )
            .iter()
            .map(|r| r.duration().num_minutes())
            .sum();
            (site.id, minutes)
        })
        .collect();
    let mut booked: HashMap<Uuid, i64> = HashMap::new();
    for (space, range) in bookings {
        *booked.entry(*space).or_default() += range.duration().num_minutes();
    }
    Ok(spaces
        .into_iter()
        .filter(|s| s.archived_at.is_none() || booked.contains_key(&s.id))
        .map(|space| SpaceUse {
            booked_minutes: booked.get(&space.id).copied().unwrap_or(0),
            open_minutes: open.get(&space.site_id).copied().unwrap_or(0),
            space,
        })
        .collect())
}

/// Active members (distinct holders of a membership active on a day of `days`) and new ones
/// (whose first membership ever starts within `days`).
async fn members(conn: &impl ConnectionTrait, days: DayRange) -> AppResult<(i64, i64)> {
    let active: Vec<(Option<Uuid>, Option<Uuid>, NaiveDate)> = membership::Entity::find()
        .select_only()
        .column(membership::Column::PersonId)
        .column(membership::Column::OrganizationId)
        .column(membership::Column::StartsOn)
        .filter(membership::Column::CancelledAt.is_null())
        .filter(membership::Column::StartsOn.lte(days.to))
        .filter(membership::Column::EndsOn.gte(days.from))
        .into_tuple()
        .all(conn)
        .await?;
    let before: Vec<(Option<Uuid>, Option<Uuid>)> = membership::Entity::find()
        .select_only()
        .column(membership::Column::PersonId)
        .column(membership::Column::OrganizationId)
        .distinct()
        .filter(membership::Column::CancelledAt.is_null())
        .filter(membership::Column::StartsOn.lt(days.from))
        .into_tuple()
        .all(conn)
        .await?;
    let before: HashSet<Holder> = before
        .into_iter()
        .filter_map(|(p, o)| Holder::from_columns(p, o))
        .collect();
    let mut holders: HashSet<Holder> = HashSet::new();
    let mut started: HashSet<Holder> = HashSet::new();
    for (p, o, starts_on) in active {
        let Some(holder) = Holder::from_columns(p, o) else {
            continue;
        };
        holders.insert(holder);
        if starts_on >= days.from {
            started.insert(holder);
        }
    }
    let new = started.iter().filter(|h| !before.contains(h)).count();
    Ok((holders.len() as i64, new as i64))
}

/// Distinct volunteers and their hours within the period.
async fn volunteers(conn: &impl ConnectionTrait, period: &Period) -> AppResult<(i64, Hours)> {
    let mut query = volunteer_entry::Entity::find()
        .select_only()
        .column_as(Expr::cust("COUNT(DISTINCT person_id)"), "volunteers")
        .column_as(sum_bigint("hours_centi"), "centi")
        .filter(volunteer_entry::Column::Date.gte(period.days.from))
        .filter(volunteer_entry::Column::Date.lte(period.days.to));
    if let Some(site) = period.site_id {
        query = query.filter(volunteer_entry::Column::SiteId.eq(site));
    }
    let row: Option<(i64, Option<i64>)> = query.into_tuple().one(conn).await?;
    let (count, centi) = row.unwrap_or((0, None));
    Ok((count, Hours::from_centi(centi.unwrap_or(0))))
}

//! `seed --scale N`: a synthetic venue network for benchmarks. N sites, each with about fifty
//! flat spaces, 20,000 people (a third of them members), organizations, 200,000 bookings over
//! two years around today (mostly past), and a ledger of events, registrations, revenues,
//! grants and volunteer hours (`money::ledger`).
//!
//! Deterministic: the same size, seed and day give the same names, times and amounts (ids are
//! random). Site k's data come from its own RNG, so a second run adds sites N+1..2N. Rows go
//! in multi-row INSERTs, a transaction per few thousand bookings, so that memory stays flat and
//! ten million bookings load in minutes.

use std::fmt;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use indicatif::ProgressBar;
use lieu_entity::{organization, site, space, space_rate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, Iterable, PaginatorTrait,
    QueryFilter, Set,
};
use uuid::Uuid;

use super::money::{self, Ledger};
use super::people::{self, Batch, FIRST_NAMES, LAST_NAMES, POSTAL_CODES, pick};
use crate::db;
use crate::domain::{Holder, Money, OrganizationKind, PlanPeriod, PriceTier, SpaceKind, fold};
use crate::error::{AppError, AppResult};
use crate::service::bookings::pricing::Rate;

mod bookings;
use bookings::bookings;

/// The sites' names start with this (and a run numbers its sites after the existing ones).
pub const SITE_PREFIX: &str = "Tiers-lieu synthétique";

/// How big a network to grow.
#[derive(Clone, Copy, Debug)]
pub struct Size {
    pub sites: usize,
    pub spaces_per_site: usize,
    pub people_per_site: usize,
    pub bookings_per_site: usize,
}

impl Size {
    /// `seed --scale N`: 50 spaces, 20,000 people and 200,000 bookings per site.
    pub const fn sites(n: usize) -> Self {
        Self {
            sites: n,
            spaces_per_site: 50,
            people_per_site: 20_000,
            bookings_per_site: 200_000,
        }
    }
}

/// What a run added.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Added {
    pub sites: usize,
    pub spaces: usize,
    pub people: usize,
    pub memberships: usize,
    pub organizations: usize,
    pub bookings: usize,
    pub cancelled: usize,
    pub blocks: usize,
    pub events: usize,
    pub registrations: usize,
    pub revenue_lines: usize,
    pub grants: usize,
    pub volunteer_entries: usize,
}

impl fmt::Display for Added {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} sites, {} spaces, {} people ({} memberships), {} organizations, {} bookings \
             ({} cancelled, {} blocks), {} events with {} registrations, {} revenue lines \
             (and the memberships' payments), {} grants, {} volunteer entries",
            self.sites,
            self.spaces,
            self.people,
            self.memberships,
            self.organizations,
            self.bookings,
            self.cancelled,
            self.blocks,
            self.events,
            self.registrations,
            self.revenue_lines,
            self.grants,
            self.volunteer_entries
        )
    }
}

/// The booking window: from this many days before today...
const DAYS_BACK: i64 = 640;
/// ...to this many after (about two years, mostly past).
const DAYS_AHEAD: i64 = 90;
/// Bookings start from 08:00 local and end (with their clean-up) by 22:00.
const DAY_OPENS: u32 = 8;
const DAY_MINUTES: i64 = 14 * 60;
/// Bookings written per transaction.
const FLUSH: usize = 5_000;
/// Bind parameters per INSERT: under SQLite's 32,766 (and PostgreSQL's 65,535).
const PARAMETERS: usize = 30_000;

/// A kind of space the network's sites have, with its prices and what is booked in it.
struct Template {
    label: &'static str,
    kind: SpaceKind,
    capacity: (i32, i32),
    buffer: i32,
    approval: bool,
    /// (tier, hourly, daily cap) in euros.
    rates: &'static [(PriceTier, i64, Option<i64>)],
    /// The longest booking, in minutes.
    longest: i64,
    titles: &'static [&'static str],
}

#[rustfmt::skip]
const TEMPLATES: [Template; 8] = [
    Template { label: "Salle de réunion", kind: SpaceKind::MeetingRoom, capacity: (6, 16), buffer: 0, approval: false,
        rates: &[(PriceTier::Public, 20, Some(120)), (PriceTier::Member, 12, Some(70)), (PriceTier::Resident, 8, Some(45))],
        longest: 180, titles: &["Réunion", "Point d'équipe", "Conseil d'administration", "Entretien", "Formation"] },
    Template { label: "Coworking", kind: SpaceKind::Coworking, capacity: (10, 30), buffer: 0, approval: false,
        rates: &[(PriceTier::Public, 3, Some(15)), (PriceTier::Member, 2, Some(10))],
        longest: 480, titles: &["Journée de coworking", "Poste nomade", "Session de travail"] },
    Template { label: "Atelier", kind: SpaceKind::Workshop, capacity: (6, 14), buffer: 15, approval: false,
        rates: &[(PriceTier::Public, 15, None), (PriceTier::Member, 8, None)],
        longest: 240, titles: &["Atelier bois", "Découpe laser", "Repair café", "Initiation impression 3D"] },
    Template { label: "Grande salle", kind: SpaceKind::EventHall, capacity: (60, 150), buffer: 30, approval: true,
        rates: &[(PriceTier::Public, 45, Some(300)), (PriceTier::Member, 30, Some(200)), (PriceTier::Solidarity, 15, Some(90)), (PriceTier::Resident, 20, Some(120))],
        longest: 300, titles: &["Assemblée générale", "Concert", "Répétition", "Conférence", "Bal folk"] },
    Template { label: "Cuisine", kind: SpaceKind::Kitchen, capacity: (4, 8), buffer: 30, approval: true,
        rates: &[(PriceTier::Public, 25, Some(150)), (PriceTier::Resident, 10, Some(60))],
        longest: 240, titles: &["Cuisine traiteur", "Atelier cuisine", "Conserverie"] },
    Template { label: "Studio", kind: SpaceKind::Studio, capacity: (2, 6), buffer: 0, approval: false,
        rates: &[(PriceTier::Public, 12, Some(80)), (PriceTier::Member, 8, Some(50))],
        longest: 180, titles: &["Enregistrement", "Podcast", "Mixage"] },
    Template { label: "Jardin", kind: SpaceKind::Outdoor, capacity: (20, 80), buffer: 15, approval: false,
        rates: &[(PriceTier::Public, 10, Some(60)), (PriceTier::Member, 5, Some(30))],
        longest: 240, titles: &["Chantier participatif", "Pique-nique", "Yoga en plein air"] },
    Template { label: "Salle polyvalente", kind: SpaceKind::Other, capacity: (15, 40), buffer: 15, approval: false,
        rates: &[(PriceTier::Public, 25, Some(160)), (PriceTier::Member, 16, Some(100)), (PriceTier::Solidarity, 8, Some(50))],
        longest: 240, titles: &["Cours de danse", "Permanence", "Atelier d'écriture", "Club de lecture"] },
];

/// Which template the i-th space of a site follows: meeting rooms and desks are the most.
const MIX: [usize; 10] = [0, 0, 1, 0, 2, 3, 4, 5, 6, 7];

#[rustfmt::skip]
const ORGANIZATION_NAMES: [(&str, OrganizationKind); 6] = [
    ("Association", OrganizationKind::Association), ("Collectif", OrganizationKind::Collective),
    ("SCOP", OrganizationKind::Company), ("Compagnie", OrganizationKind::Association),
    ("Service municipal", OrganizationKind::PublicBody), ("Amicale", OrganizationKind::Other),
];

/// A site's space, as the booking generator needs it.
struct Room {
    id: Uuid,
    template: &'static Template,
    buffer: i32,
    capacity: i32,
    rates: Vec<(PriceTier, Rate)>,
}

/// Someone who books: a person (with their membership, if any) or an organization.
struct Booker {
    holder: Holder,
    name: String,
    member: Option<(NaiveDate, NaiveDate)>,
    resident: bool,
}

/// Grows the network; `progress` counts bookings written (its length is set here).
pub async fn seed_network(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    size: Size,
    seed: u64,
    progress: &ProgressBar,
) -> AppResult<Added> {
    if size.spaces_per_site == 0 {
        return Err(AppError::validation(
            "spacesPerSite",
            "a site needs at least one space",
        ));
    }
    let existing = site::Entity::find()
        .filter(site::Column::Name.starts_with(SITE_PREFIX))
        .count(db)
        .await? as usize;
    progress.set_length((size.sites * size.bookings_per_site) as u64);
    let today = now.date_naive();
    let mut added = Added::default();
    for k in existing + 1..=existing + size.sites {
        // Each site its own stream: site k is the same whatever was seeded before it.
        let mut rng = StdRng::seed_from_u64(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ k as u64);
        seed_site(db, (now, today), k, size, &mut rng, progress, &mut added).await?;
    }
    Ok(added)
}

async fn seed_site(
    db: &DatabaseConnection,
    (now, today): (DateTime<Utc>, NaiveDate),
    k: usize,
    size: Size,
    rng: &mut StdRng,
    progress: &ProgressBar,
    added: &mut Added,
) -> AppResult<()> {
    let name = format!("{SITE_PREFIX} {k}");
    progress.set_message(format!("{name}: spaces and people"));
    let tz = chrono_tz::Europe::Paris;
    let site = site::ActiveModel {
        id: Set(Uuid::new_v4()),
        name: Set(name.clone()),
        timezone: Set(tz.name().to_string()),
        address: Set(Some(format!("{k} rue du Réseau, 44000 Nantes"))),
        public_url: Set(None),
        postal_code: Set(Some(pick(rng, &POSTAL_CODES).to_string())),
        created_at: Set(now),
    };
    let site = site::Entity::insert(site).exec_with_returning(db).await?;
    added.sites += 1;

    let rooms = spaces(db, now, site.id, size.spaces_per_site, rng).await?;
    added.spaces += rooms.len();
    let bookers = bookers(db, (now, today), k, &name, size.people_per_site, rng, added).await?;
    let people: Vec<Uuid> = bookers
        .iter()
        .filter_map(|b| match b.holder {
            Holder::Person(id) => Some(id),
            Holder::Organization(_) => None,
        })
        .collect();

    progress.set_message(format!("{name}: bookings"));
    bookings(
        db, tz, today, &site, &rooms, &bookers, size, rng, progress, added,
    )
    .await?;

    progress.set_message(format!("{name}: events, revenues, grants, hours"));
    let b = size.bookings_per_site;
    let events = (b / 400).max(1);
    let ledger = Ledger {
        lines: b / 100,
        entries: if people.is_empty() { 0 } else { b / 100 },
        grants: 3,
        payments: 12,
        events,
        // A person at most once per event: 20 registrations an event, fewer with few people.
        registrations: (b / 20).min(events * people.len()),
        days: DAYS_BACK,
        entries_at_site: true,
    };
    money::ledger(db, (now, today), &site, &people, &ledger, rng, &name).await?;
    added.events += ledger.events;
    added.registrations += ledger.registrations;
    added.revenue_lines += ledger.lines;
    added.grants += ledger.grants;
    added.volunteer_entries += ledger.entries;
    Ok(())
}

/// The site's flat spaces and their rates.
async fn spaces(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    site_id: Uuid,
    count: usize,
    rng: &mut StdRng,
) -> AppResult<Vec<Room>> {
    let mut rows = Vec::new();
    let mut rate_rows = Vec::new();
    let mut rooms = Vec::new();
    for i in 0..count {
        let template = &TEMPLATES[MIX[i % MIX.len()]];
        let id = Uuid::new_v4();
        // Some rooms of a kind are cleaned between bookings, some not.
        let buffer = if rng.random_bool(0.7) {
            template.buffer
        } else {
            [0, 15][rng.random_range(0..2)]
        };
        let capacity = rng.random_range(template.capacity.0..=template.capacity.1);
        rows.push(space::ActiveModel {
            id: Set(id),
            site_id: Set(site_id),
            parent_id: Set(None),
            name: Set(format!("{} {}", template.label, i + 1)),
            kind: Set(template.kind.as_str().to_string()),
            capacity: Set(capacity),
            accessible: Set(rng.random_bool(0.8)),
            description: Set(None),
            requires_approval: Set(template.approval),
            buffer_minutes: Set(buffer),
            archived_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        });
        let rates: Vec<(PriceTier, Rate)> = template
            .rates
            .iter()
            .map(|(tier, hourly, daily)| {
                let rate = Rate {
                    hourly_cents: hourly * 100,
                    daily_cents: daily.map(|d| d * 100),
                };
                (*tier, rate)
            })
            .collect();
        rate_rows.extend(rates.iter().map(|(tier, rate)| space_rate::ActiveModel {
            space_id: Set(id),
            tier: Set(tier.as_str().to_string()),
            hourly_cents: Set(rate.hourly_cents),
            daily_cents: Set(rate.daily_cents),
        }));
        rooms.push(Room {
            id,
            template,
            buffer,
            capacity,
            rates,
        });
    }
    let txn = db::begin_write(db).await?;
    insert_chunked(&txn, rows).await?;
    insert_chunked(&txn, rate_rows).await?;
    txn.commit().await?;
    Ok(rooms)
}

/// The site's people (a third of them members of its plan) and organizations (a fifth of them
/// resident), as bookers.
async fn bookers(
    db: &DatabaseConnection,
    (now, today): (DateTime<Utc>, NaiveDate),
    k: usize,
    site_name: &str,
    count: usize,
    rng: &mut StdRng,
    added: &mut Added,
) -> AppResult<Vec<Booker>> {
    let plan = people::plan(
        db,
        now,
        &format!("Adhésion {site_name}"),
        (PlanPeriod::Rolling, 12),
        (1500, None),
        false,
    )
    .await?;
    let domain = format!("site{k}.exemple.test");
    let midnight = today.and_time(NaiveTime::MIN).and_utc();
    let mut out = Vec::with_capacity(count + count / 200 + 3);
    let mut done = 0;
    while done < count {
        let mut batch = Batch::new();
        let until = (done + 5000).min(count);
        for n in done..until {
            let first = *pick(rng, &FIRST_NAMES);
            let last = *pick(rng, &LAST_NAMES);
            let joined = midnight - Duration::days(rng.random_range(0..900));
            let row = crate::service::people::new_row(
                joined,
                people::made_up_person(rng, first, last, n, &domain),
            );
            let id = *row.id.as_ref();
            batch.people.push(row);
            let member = if rng.random_bool(0.33) {
                let starts = today - Duration::days(rng.random_range(0..700));
                let fee = Money::from_cents(1500);
                let holder = Holder::Person(id);
                let (_, ends) = batch.membership(now, &plan, holder, starts, fee, None)?;
                added.memberships += 1;
                Some((starts, ends))
            } else {
                None
            };
            out.push(Booker {
                holder: Holder::Person(id),
                name: format!("{first} {last}"),
                member,
                resident: false,
            });
        }
        added.people += until - done;
        done = until;
        batch.write(db, now).await?;
    }

    let organizations: Vec<organization::ActiveModel> = (0..count / 200 + 3)
        .map(|i| {
            let (prefix, kind) = pick(rng, &ORGANIZATION_NAMES);
            let name = format!("{prefix} {} {k}.{i}", pick(rng, &LAST_NAMES));
            let id = Uuid::new_v4();
            let resident = i % 5 == 0;
            out.push(Booker {
                holder: Holder::Organization(id),
                name: name.clone(),
                member: None,
                resident,
            });
            organization::ActiveModel {
                id: Set(id),
                search_text: Set(fold(&name)),
                email: Set(Some(format!("contact{i}@{domain}"))),
                name: Set(name),
                kind: Set(kind.as_str().to_string()),
                resident: Set(resident),
                phone: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
            }
        })
        .collect();
    added.organizations += organizations.len();
    let txn = db::begin_write(db).await?;
    insert_chunked(&txn, organizations).await?;
    txn.commit().await?;
    Ok(out)
}

/// Multi-row INSERTs of as many rows as the bind-parameter limit allows.
async fn insert_chunked<A>(conn: &impl ConnectionTrait, rows: Vec<A>) -> AppResult<()>
where
    A: sea_orm::ActiveModelTrait + Send,
{
    let columns = <<A::Entity as EntityTrait>::Column as Iterable>::iter().count();
    let per_statement = (PARAMETERS / columns.max(1)).max(1);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(per_statement).collect();
        <A::Entity as EntityTrait>::insert_many(chunk)
            .exec_without_returning(conn)
            .await?;
    }
    Ok(())
}

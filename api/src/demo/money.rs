//! The hybrid model of the demo venue: two years of revenues in every stream, three grants
//! (a Région "Fabrique de territoire" paid in tranches, an FSE+ line, a foundation) with their
//! reporting deadlines, volunteer hours across activities valued at the SMIC horaire brut
//! (the common practice) with its change of 1 November 2024, and the year's objectives. Also
//! the synthetic ledger that `seed --activity N` writes for benchmarks.

use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, Utc};
use lieu_entity::{event, person, registration, site, volunteer_entry};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, Set};
use uuid::Uuid;

use crate::domain::{
    Actor, FunderKind, GrantStatus, ImpactMetric, Money, Name, RevenueStream, VolunteerActivity,
    resolve_local,
};
use crate::error::AppResult;
use crate::service::money::grants::{self, NewGrant};
use crate::service::money::{self, NewRevenue};
use crate::service::reports::objectives;
use crate::service::sites;
use crate::service::volunteering;

/// Rows per multi-row INSERT (far below either engine's parameter limit).
const CHUNK: usize = 500;

/// What a month of each stream brings in, in cents (low, high), and how many lines.
const MONTHLY: [(RevenueStream, (i64, i64), u32, &str); 8] = [
    (
        RevenueStream::SpaceRental,
        (30_000, 120_000),
        2,
        "Locations de salles, relevé",
    ),
    (
        RevenueStream::CafeBar,
        (8_000, 35_000),
        4,
        "Caisse du café, semaine",
    ),
    (
        RevenueStream::Coworking,
        (60_000, 140_000),
        2,
        "Abonnements coworking",
    ),
    (
        RevenueStream::Services,
        (20_000, 90_000),
        1,
        "Accompagnement de projet",
    ),
    (
        RevenueStream::Sales,
        (3_000, 12_000),
        1,
        "Vente de l'épicerie vrac",
    ),
    (
        RevenueStream::Other,
        (1_000, 5_000),
        1,
        "Refacturation de fournitures",
    ),
    (
        RevenueStream::Donation,
        (2_000, 15_000),
        1,
        "Dons via la cagnotte",
    ),
    (
        RevenueStream::EventTickets,
        (5_000, 30_000),
        1,
        "Billetterie concerts, guichet",
    ),
];

fn line(
    stream: RevenueStream,
    cents: i64,
    on: NaiveDate,
    what: String,
    site: Option<Uuid>,
) -> NewRevenue {
    NewRevenue {
        stream,
        amount: Money::from_cents(cents),
        received_on: on,
        description: what,
        site_id: site,
        source: None,
    }
}

/// The demo's money and hours; `today` is the venue's.
pub async fn seed_demo(db: &DatabaseConnection, now: DateTime<Utc>) -> AppResult<()> {
    let today = sites::today(db, now).await?;
    let main = sites::default_site(db).await?;
    let mut rng = StdRng::seed_from_u64(0x4EB1);

    // Two years of lines entered by hand, month by month (bookings and memberships record
    // their own).
    let mut lines = Vec::new();
    let first = (today - Months::new(24))
        .with_day(1)
        .expect("a first of the month");
    let mut month = first;
    while month <= today {
        for (stream, (low, high), count, what) in MONTHLY {
            for k in 0..count {
                let on = month + Duration::days(i64::from(k * 7 + rng.random_range(0..6)));
                if on > today {
                    continue;
                }
                let cents = rng.random_range(low..high) / 10 * 10;
                let what = format!("{what} {}", on.format("%d/%m/%Y"));
                lines.push(line(stream, cents, on, what, Some(main.id)));
            }
        }
        if month.month() == 6 {
            let on = month + Duration::days(20);
            if on <= today {
                let what = "Mécénat de la coopérative bancaire locale".to_string();
                lines.push(line(RevenueStream::Sponsorship, 250_000, on, what, None));
            }
        }
        month = month + Months::new(1);
    }
    money::record_many(db, now, lines).await?;

    grants_of_the_demo(db, now, today).await?;
    hours_of_the_demo(db, now, today, &mut rng).await?;

    for (metric, target) in [
        (ImpactMetric::UniqueParticipants, Decimal::new(2000, 0)),
        (ImpactMetric::ShareFromDepartement, Decimal::new(40, 2)),
        (ImpactMetric::VolunteerHours, Decimal::new(3000, 0)),
        (ImpactMetric::SelfFinancingRatio, Decimal::new(35, 2)),
        (ImpactMetric::EventsHeld, Decimal::new(120, 0)),
    ] {
        objectives::set_objective(db, now, today.year(), metric, target).await?;
    }
    Ok(())
}

fn grant(
    funder: (&str, FunderKind),
    program: Option<&str>,
    title: &str,
    euros: i64,
    period: (NaiveDate, NaiveDate),
    purpose: &str,
) -> AppResult<NewGrant> {
    Ok(NewGrant {
        funder_name: Name::parse("funderName", funder.0)?,
        funder_kind: funder.1,
        program: program.map(str::to_string),
        title: Name::parse("title", title)?,
        amount_requested: Money::from_cents(euros * 100),
        period,
        purpose: Some(purpose.to_string()),
        site_id: None,
    })
}

/// One grant of the demo: the application, then what happened to it.
struct DemoGrant {
    funder: (&'static str, FunderKind),
    program: Option<&'static str>,
    title: &'static str,
    purpose: &'static str,
    requested: i64,
    period: (NaiveDate, NaiveDate),
    /// Statuses it went through after DRAFT; AWARDED with the euros awarded.
    steps: &'static [(GrantStatus, Option<i64>)],
    /// Euros received and when.
    payments: Vec<(i64, NaiveDate)>,
    /// Label, due day, and the day the report was sent.
    deadlines: Vec<(&'static str, NaiveDate, Option<NaiveDate>)>,
}

async fn grants_of_the_demo(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> AppResult<()> {
    let ago = |months: u32| today - Months::new(months);
    let first_of = |day: NaiveDate| day.with_day(1).expect("a first of the month");
    let ahead = |days: i64| today + Duration::days(days);
    let lasting =
        |start: NaiveDate, months: u32| (start, start + Months::new(months) - Duration::days(1));
    use GrantStatus::{Awarded, Submitted};
    let demo = [
        // The Région's "Fabrique de territoire": three years, an advance then a second tranche.
        DemoGrant {
            funder: ("Région Pays de la Loire", FunderKind::Region),
            program: Some("Fabrique de territoire"),
            title: "Fabrique de territoire du Moulin",
            purpose: "Animation du lieu, accueil des porteurs de projet, fablab ouvert",
            requested: 75_000,
            period: lasting(first_of(ago(18)), 36),
            steps: &[(Submitted, None), (Awarded, Some(75_000))],
            payments: vec![(30_000, ago(16)), (22_500, ago(4))],
            deadlines: vec![
                (
                    "Bilan intermédiaire",
                    ago(5),
                    Some(ago(5) - Duration::days(3)),
                ),
                ("Bilan d'activité annuel", ahead(40), None),
            ],
        },
        // An FSE+ line: awarded below the request, half paid, its supporting documents overdue.
        DemoGrant {
            funder: ("Fonds social européen", FunderKind::Eu),
            program: Some("FSE+"),
            title: "Inclusion numérique au tiers-lieu",
            purpose: "Permanences numériques et ateliers pour les publics éloignés",
            requested: 40_000,
            period: lasting(first_of(ago(10)), 24),
            steps: &[(Submitted, None), (Awarded, Some(32_000))],
            payments: vec![(16_000, ago(8))],
            deadlines: vec![
                ("Pièces justificatives du semestre", ahead(-5), None),
                ("Rapport d'exécution", ahead(12), None),
            ],
        },
        // A foundation for the garden: awarded and paid at once; a new application submitted.
        DemoGrant {
            funder: ("Fondation de France", FunderKind::Foundation),
            program: None,
            title: "Jardin partagé et compost de quartier",
            purpose: "Bacs, outils et animations du jardin",
            requested: 8_000,
            period: lasting(ago(12), 12),
            steps: &[(Awarded, Some(8_000))],
            payments: vec![(8_000, ago(11))],
            deadlines: vec![("Compte rendu final", ahead(20), None)],
        },
        DemoGrant {
            funder: ("Fondation de France", FunderKind::Foundation),
            program: None,
            title: "Jardin partagé, deuxième année",
            purpose: "Serre et récupérateurs d'eau",
            requested: 10_000,
            period: lasting(ahead(30), 12),
            steps: &[(Submitted, None)],
            payments: vec![],
            deadlines: vec![],
        },
    ];
    let euros = |e: i64| Money::from_cents(e * 100);
    let sys = Actor::System;
    for g in demo {
        let input = grant(
            g.funder,
            g.program,
            g.title,
            g.requested,
            g.period,
            g.purpose,
        )?;
        let id = grants::create_grant(db, now, sys, input).await?.id;
        for (status, awarded) in g.steps {
            grants::set_status(db, now, sys, id, *status, awarded.map(euros)).await?;
        }
        for (amount, on) in g.payments {
            grants::record_payment(db, now, sys, id, euros(amount), on).await?;
        }
        for (label, due, done) in g.deadlines {
            let label = Name::parse("label", label)?;
            let deadline = grants::add_deadline(db, now, id, label, due).await?;
            if let Some(done) = done {
                grants::complete_deadline(db, deadline.id, done).await?;
            }
        }
    }
    Ok(())
}

/// A volunteer team's hours over 26 months (so that the rate change of November 2024 is in),
/// and the rates: the SMIC horaire brut, 11.65 EUR from 1 January 2024, 11.88 EUR from
/// 1 November 2024.
async fn hours_of_the_demo(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    today: NaiveDate,
    rng: &mut StdRng,
) -> AppResult<()> {
    for (from, cents) in [((2024, 1, 1), 1165), ((2024, 11, 1), 1188)] {
        let day = NaiveDate::from_ymd_opt(from.0, from.1, from.2).expect("a real day");
        volunteering::set_rate(db, now, day, Money::from_cents(cents)).await?;
    }
    let team: Vec<Uuid> = person::Entity::find()
        .select_only()
        .column(person::Column::Id)
        .filter(person::Column::ErasedAt.is_null())
        .limit(12)
        .into_tuple()
        .all(db)
        .await?;
    let activities = [
        VolunteerActivity::FrontDesk,
        VolunteerActivity::Events,
        VolunteerActivity::Maintenance,
        VolunteerActivity::Garden,
        VolunteerActivity::Cafe,
        VolunteerActivity::Communication,
        VolunteerActivity::Admin,
    ];
    let mut rows = Vec::new();
    let mut day = today - Months::new(26);
    while day <= today {
        for _ in 0..rng.random_range(0..4) {
            let Some(person) = team.choose(rng) else {
                break;
            };
            let activity = *activities.choose(rng).expect("activities");
            let quarters = rng.random_range(4..=20);
            rows.push(entry(now, *person, day, quarters * 25, activity));
        }
        day += Duration::days(1);
    }
    insert_entries(db, rows).await
}

fn entry(
    now: DateTime<Utc>,
    person: Uuid,
    date: NaiveDate,
    hours_centi: i64,
    activity: VolunteerActivity,
) -> volunteer_entry::ActiveModel {
    volunteer_entry::ActiveModel {
        id: Set(Uuid::new_v4()),
        person_id: Set(person),
        site_id: Set(None),
        date: Set(date),
        hours_centi: Set(hours_centi),
        activity: Set(activity.as_str().to_string()),
        note: Set(None),
        created_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
}

async fn insert_entries(
    db: &DatabaseConnection,
    rows: Vec<volunteer_entry::ActiveModel>,
) -> AppResult<()> {
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<_> = rows.by_ref().take(CHUNK).collect();
        volunteer_entry::Entity::insert_many(chunk)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// A synthetic year of activity for benchmarks and statement counts: `count` revenue lines,
/// `count` volunteer entries, `count` grant payments (spread over ten grants), and `count`
/// registrations over `count / 20 + 1` past events, within the year before `now`. Needs
/// people (`seed --scale`) for the volunteers and participants: it uses up to 1,000.
pub async fn seed_activity(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    count: usize,
) -> AppResult<()> {
    let mut rng = StdRng::seed_from_u64(count as u64 ^ 0xAC71);
    let today = sites::today(db, now).await?;
    let main: site::Model = sites::default_site(db).await?;
    let people: Vec<Uuid> = person::Entity::find()
        .select_only()
        .column(person::Column::Id)
        .filter(person::Column::ErasedAt.is_null())
        .limit(1000)
        .into_tuple()
        .all(db)
        .await?;
    let size = Ledger {
        lines: count,
        entries: count,
        grants: 10,
        payments: count,
        events: count / 20 + 1,
        registrations: count,
        days: 365,
        entries_at_site: false,
    };
    let tag = Uuid::new_v4().simple().to_string();
    ledger(db, (now, today), &main, &people, &size, &mut rng, &tag).await
}

/// How much a synthetic ledger holds.
pub(super) struct Ledger {
    pub lines: usize,
    pub entries: usize,
    pub grants: usize,
    /// Spread over the grants.
    pub payments: usize,
    pub events: usize,
    /// Spread over the events, a person at most once per event.
    pub registrations: usize,
    /// Everything happens within this many days before today.
    pub days: i64,
    /// Whether the volunteer entries name the site (else they are the whole venue's).
    pub entries_at_site: bool,
}

/// Writes a synthetic ledger of `site` (revenue lines, volunteer entries by `people`, awarded
/// grants and their payments, past events and their registrations) from `rng`; `tag` tells
/// this ledger's funders from another's. Multi-row inserts of `CHUNK` rows.
pub(super) async fn ledger(
    db: &DatabaseConnection,
    (now, today): (DateTime<Utc>, NaiveDate),
    site: &site::Model,
    people: &[Uuid],
    size: &Ledger,
    rng: &mut StdRng,
    tag: &str,
) -> AppResult<()> {
    let tz = sites::timezone_of(site)?;
    let days = size.days.max(2);
    let day_in_year = |rng: &mut StdRng| today - Duration::days(rng.random_range(1..days));

    let streams = RevenueStream::ALL;
    let lines = (0..size.lines).map(|n| {
        let stream = streams[n % streams.len()];
        let on = day_in_year(rng);
        line(
            stream,
            rng.random_range(500..50_000),
            on,
            format!("Ligne {n}"),
            Some(site.id),
        )
    });
    let lines: Vec<_> = lines.collect();
    money::record_many(db, now, lines).await?;

    if !people.is_empty() {
        let at = size.entries_at_site.then_some(site.id);
        let rows = (0..size.entries)
            .map(|_| {
                let person = *people.choose(rng).expect("people");
                let activity = *VolunteerActivity::ALL.choose(rng).expect("activities");
                let mut row = entry(
                    now,
                    person,
                    day_in_year(rng),
                    rng.random_range(1..=32) * 25,
                    activity,
                );
                row.site_id = Set(at);
                row
            })
            .collect();
        insert_entries(db, rows).await?;
    }

    let kinds = FunderKind::ALL;
    let grants_count = size.grants.max(1);
    let per_grant = size.payments / grants_count + 1;
    for g in 0..grants_count {
        let kind = kinds[g % kinds.len()];
        let funder = format!("Financeur synthétique {g} ({tag})");
        let period = (today - Months::new(12), today + Months::new(12));
        let input = grant(
            (&funder, kind),
            None,
            "Programme synthétique",
            10_000_000,
            period,
            "Benchmark",
        )?;
        let created = grants::create_grant(db, now, Actor::System, input).await?;
        let award = Some(Money::from_cents(1_000_000_000));
        grants::set_status(
            db,
            now,
            Actor::System,
            created.id,
            GrantStatus::Awarded,
            award,
        )
        .await?;
        let payments: Vec<_> = (0..per_grant.min(size.payments.saturating_sub(g * per_grant)))
            .map(|_| lieu_entity::grant_payment::ActiveModel {
                id: Set(Uuid::new_v4()),
                grant_id: Set(created.id),
                amount_cents: Set(rng.random_range(10_000..100_000)),
                received_on: Set(day_in_year(rng)),
                created_by: Set(None),
                created_at: Set(now),
            })
            .collect();
        for chunk in payments.chunks(CHUNK) {
            if !chunk.is_empty() {
                lieu_entity::grant_payment::Entity::insert_many(chunk.to_vec())
                    .exec_without_returning(db)
                    .await?;
            }
        }
    }

    // Past events written directly (they hold no spaces), then their registrations.
    let events: Vec<event::ActiveModel> = (0..size.events.max(1))
        .map(|n| {
            let day = day_in_year(rng);
            let start = resolve_local(tz, day.and_hms_opt(18, 0, 0).expect("a time"));
            event::ActiveModel {
                id: Set(Uuid::new_v4()),
                site_id: Set(site.id),
                parent_id: Set(None),
                series_id: Set(None),
                title: Set(format!("Événement synthétique {n}")),
                description: Set(None),
                category: Set("WORKSHOP".into()),
                starts_at: Set(start),
                ends_at: Set(start + Duration::hours(2)),
                capacity: Set(None),
                public: Set(true),
                price_cents: Set(None),
                member_price_cents: Set(None),
                min_price_cents: Set(None),
                status: Set("SCHEDULED".into()),
                sequence: Set(0),
                cancelled_at: Set(None),
                cancel_reason: Set(None),
                created_by: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
            }
        })
        .collect();
    let event_ids: Vec<Uuid> = events.iter().map(|e| *e.id.as_ref()).collect();
    for chunk in events.chunks(CHUNK) {
        event::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    let registrations: Vec<registration::ActiveModel> = (0..size.registrations)
        .map(|n| {
            // A person comes to an event once: the n-th registration is at event n mod E, by
            // the (n / E)-th person, so that no pair repeats while there are enough people.
            let events = event_ids.len();
            let person = people.get((n / events) % people.len().max(1)).copied();
            let (person, email) = match person {
                Some(id) if rng.random_bool(0.7) => (Some(id), None),
                _ => (None, Some(format!("participant{n}@exemple.test"))),
            };
            registration::ActiveModel {
                id: Set(Uuid::new_v4()),
                event_id: Set(event_ids[n % event_ids.len()]),
                person_id: Set(person),
                name: Set(format!("Participant {n}")),
                email_key: Set(email.clone()),
                email: Set(email),
                seats: Set(rng.random_range(1..=3)),
                status: Set("CONFIRMED".into()),
                waitlist_position: Set(None),
                code: Set(crate::domain::new_code()),
                checked_in_at: Set(rng.random_bool(0.6).then_some(now)),
                paid_at: Set(None),
                revenue_id: Set(None),
                created_by: Set(None),
                created_at: Set(now),
                cancelled_at: Set(None),
            }
        })
        .collect();
    for chunk in registrations.chunks(CHUNK) {
        registration::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

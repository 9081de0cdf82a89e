//! The demo venue's spaces, opening hours and a few weeks of bookings (past ones partly paid),
//! made through the same services as the API so that every rule holds.

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Weekday};
use chrono_tz::Tz;
use lieu_entity::{organization, person};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use crate::clock::Clock;
use crate::domain::{
    Actor, Holder, Name, PriceTier, SpaceKind, TimeRange, Week, WeeklyInterval, resolve_local,
};
use crate::error::{AppError, AppResult};
use crate::service::activity::ActivityBus;
use crate::service::bookings::{self, NewBooking, Rates, spaces};
use crate::service::sites::{self, opening_hours};

struct DemoSpace {
    name: &'static str,
    kind: SpaceKind,
    capacity: i32,
    approval: bool,
    buffer: i32,
    /// (tier, hourly, daily cap) in euros.
    rates: &'static [(PriceTier, i64, Option<i64>)],
    description: &'static str,
}

const HALL: DemoSpace = DemoSpace {
    name: "Grande salle",
    kind: SpaceKind::EventHall,
    capacity: 120,
    approval: true,
    buffer: 30,
    rates: &[
        (PriceTier::Public, 45, Some(300)),
        (PriceTier::Member, 30, Some(200)),
        (PriceTier::Solidarity, 15, Some(90)),
        (PriceTier::Resident, 20, Some(120)),
    ],
    description: "Parquet, scène démontable, sono et vidéoprojecteur. Divisible en deux.",
};

const HALVES: [DemoSpace; 2] = [
    DemoSpace {
        name: "Demi-salle côté jardin",
        kind: SpaceKind::EventHall,
        capacity: 60,
        approval: false,
        buffer: 15,
        rates: &[
            (PriceTier::Public, 25, Some(160)),
            (PriceTier::Member, 16, Some(100)),
        ],
        description: "La moitié de la grande salle, ouverte sur le jardin.",
    },
    DemoSpace {
        name: "Demi-salle côté rue",
        kind: SpaceKind::EventHall,
        capacity: 60,
        approval: false,
        buffer: 15,
        rates: &[
            (PriceTier::Public, 25, Some(160)),
            (PriceTier::Member, 16, Some(100)),
        ],
        description: "La moitié de la grande salle, avec la scène.",
    },
];

const ROOMS: [DemoSpace; 6] = [
    DemoSpace {
        name: "Salle Jaurès",
        kind: SpaceKind::MeetingRoom,
        capacity: 12,
        approval: false,
        buffer: 0,
        rates: &[
            (PriceTier::Public, 20, Some(120)),
            (PriceTier::Member, 12, Some(70)),
            (PriceTier::Resident, 8, Some(45)),
        ],
        description: "Table de réunion, écran, tableau blanc.",
    },
    DemoSpace {
        name: "Salle Louise Michel",
        kind: SpaceKind::MeetingRoom,
        capacity: 8,
        approval: false,
        buffer: 0,
        rates: &[
            (PriceTier::Public, 15, Some(90)),
            (PriceTier::Member, 9, Some(55)),
        ],
        description: "Petite salle calme à l'étage (pas d'ascenseur).",
    },
    DemoSpace {
        name: "Espace coworking",
        kind: SpaceKind::Coworking,
        capacity: 24,
        approval: false,
        buffer: 0,
        rates: &[
            (PriceTier::Public, 3, Some(15)),
            (PriceTier::Member, 2, Some(10)),
        ],
        description: "Postes de travail, fibre, café à volonté.",
    },
    DemoSpace {
        name: "Fablab",
        kind: SpaceKind::Workshop,
        capacity: 10,
        approval: false,
        buffer: 15,
        rates: &[(PriceTier::Public, 15, None), (PriceTier::Member, 8, None)],
        description: "Découpe laser, imprimantes 3D, établi bois. Formation requise.",
    },
    DemoSpace {
        name: "Cuisine partagée",
        kind: SpaceKind::Kitchen,
        capacity: 6,
        approval: true,
        buffer: 30,
        rates: &[
            (PriceTier::Public, 25, Some(150)),
            (PriceTier::Resident, 10, Some(60)),
        ],
        description: "Cuisine professionnelle, chambre froide. Sur validation (hygiène).",
    },
    DemoSpace {
        name: "Studio son",
        kind: SpaceKind::Studio,
        capacity: 4,
        approval: false,
        buffer: 0,
        rates: &[
            (PriceTier::Public, 18, Some(110)),
            (PriceTier::Member, 12, Some(75)),
        ],
        description: "Cabine insonorisée, micros, interface audio.",
    },
];

const GARDEN: [DemoSpace; 2] = [
    DemoSpace {
        name: "Jardin partagé",
        kind: SpaceKind::Outdoor,
        capacity: 40,
        approval: false,
        buffer: 0,
        rates: &[],
        description: "Potager collectif et grande table sous la tonnelle.",
    },
    DemoSpace {
        name: "Serre",
        kind: SpaceKind::Outdoor,
        capacity: 10,
        approval: false,
        buffer: 0,
        rates: &[],
        description: "Semis et ateliers jardinage par temps de pluie.",
    },
];

async fn create(
    db: &DatabaseConnection,
    clock: &Clock,
    site_id: Uuid,
    parent_id: Option<Uuid>,
    space: &DemoSpace,
) -> AppResult<Uuid> {
    let rates = Rates::new(space.rates.iter().map(|(tier, hourly, daily)| {
        (
            *tier,
            rust_decimal::Decimal::from(*hourly),
            daily.map(rust_decimal::Decimal::from),
        )
    }))?;
    let created = spaces::create_space(
        db,
        clock.now(),
        spaces::NewSpace {
            site_id: Some(site_id),
            parent_id,
            name: Name::parse("name", space.name)?,
            kind: space.kind,
            capacity: space.capacity,
            accessible: space.name != "Salle Louise Michel",
            description: Some(space.description.to_string()),
            requires_approval: space.approval,
            buffer_minutes: space.buffer,
            rates,
        },
    )
    .await?;
    Ok(created.id)
}

/// Spaces of both demo sites, the main site's hours, and bookings from two weeks ago to four
/// weeks ahead. Returns how many bookings were made.
pub async fn seed(db: &DatabaseConnection, clock: &Clock, second_site: Uuid) -> AppResult<usize> {
    let main = sites::default_site(db).await?;
    let tz = sites::timezone_of(&main)?;
    let hall = create(db, clock, main.id, None, &HALL).await?;
    let mut bookable = vec![hall];
    for half in &HALVES {
        bookable.push(create(db, clock, main.id, Some(hall), half).await?);
    }
    for room in &ROOMS {
        bookable.push(create(db, clock, main.id, None, room).await?);
    }
    for space in &GARDEN {
        create(db, clock, second_site, None, space).await?;
    }

    let minutes = |h: i32, m: i32| h * 60 + m;
    let mut week = vec![WeeklyInterval {
        weekday: 1,
        opens_minute: minutes(14, 0),
        closes_minute: minutes(22, 0),
    }];
    for weekday in 2..=5 {
        week.push(WeeklyInterval {
            weekday,
            opens_minute: minutes(9, 0),
            closes_minute: minutes(22, 0),
        });
    }
    week.push(WeeklyInterval {
        weekday: 6,
        opens_minute: minutes(10, 0),
        closes_minute: minutes(18, 0),
    });
    opening_hours::set_week(db, main.id, Week::new(week)?).await?;
    let today = clock.now().with_timezone(&tz).date_naive();
    for (month, day, reason) in [
        (12, 25, "Noël"),
        (1, 1, "Jour de l'an"),
        (5, 1, "Fête du travail"),
    ] {
        for year in [today.year(), today.year() + 1] {
            let date = NaiveDate::from_ymd_opt(year, month, day).expect("a real day");
            if date >= today {
                opening_hours::close_date(db, main.id, date, Some(reason.into())).await?;
            }
        }
    }

    // The season's events first: the bookings then fit around them.
    super::events::seed(db, clock, tz, today).await?;
    book_weeks(db, clock, tz, today, &bookable).await
}

/// A weekly booking: space index, day, local start and end (hour, minute), title.
type Regular = (usize, Weekday, (u32, u32), (u32, u32), &'static str);

/// A few weeks of realistic bookings: weekly series for the regulars, one-offs around them.
async fn book_weeks(
    db: &DatabaseConnection,
    clock: &Clock,
    tz: Tz,
    today: NaiveDate,
    spaces: &[Uuid],
) -> AppResult<usize> {
    // Nobody listens while the demo is seeded: one bus for all its bookings.
    let bus = ActivityBus::new();
    let mut rng = StdRng::seed_from_u64(0x11E0);
    let people: Vec<Uuid> = person::Entity::find()
        .select_only()
        .column(person::Column::Id)
        .filter(person::Column::ErasedAt.is_null())
        .limit(60)
        .into_tuple()
        .all(db)
        .await?;
    let orgs: Vec<Uuid> = organization::Entity::find()
        .select_only()
        .column(organization::Column::Id)
        .limit(20)
        .into_tuple()
        .all(db)
        .await?;
    let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let start_week = monday - Duration::weeks(2);
    let at = |date: NaiveDate, h: u32, m: u32| {
        resolve_local(
            tz,
            date.and_time(NaiveTime::from_hms_opt(h, m, 0).expect("a time")),
        )
    };
    let mut made = 0;

    // Regulars: weekly, over the six weeks.
    let regulars: [Regular; 5] = [
        (
            3,
            Weekday::Tue,
            (18, 30),
            (20, 30),
            "Répétition de la chorale",
        ),
        (6, Weekday::Wed, (14, 0), (17, 0), "Repair café"),
        (4, Weekday::Thu, (9, 30), (11, 0), "Réunion d'équipe"),
        (1, Weekday::Fri, (19, 0), (22, 0), "Cours de danse"),
        (
            8,
            Weekday::Sat,
            (10, 0),
            (13, 0),
            "Atelier cuisine anti-gaspi",
        ),
    ];
    for (space, weekday, (h1, m1), (h2, m2), title) in regulars {
        let first = start_week + Duration::days(i64::from(weekday.num_days_from_monday()));
        let booker = orgs.choose(&mut rng).map(|id| Holder::Organization(*id));
        // The repair café is the resident association's: the room is lent for free, an
        // in-kind contribution of the venue.
        let pricing = if title == "Repair café" {
            crate::service::bookings::Pricing::FreeLoan
        } else {
            crate::service::bookings::Pricing::Rated
        };
        let input = NewBooking {
            space_id: spaces[space],
            range: TimeRange::new(
                at(first, h1, m1),
                at(first, h2, m2),
                Duration::days(1),
                "end",
            )?,
            title: Name::parse("title", title)?,
            booker,
            tier: None,
            attendees: None,
            notes: None,
            pricing,
        };
        let rule =
            crate::domain::Recurrence::new(crate::domain::Frequency::Weekly, None, Some(6), None)?;
        if let Ok(created) =
            bookings::create_series(db, &bus, clock.now(), Actor::System, input, rule).await
        {
            made += created.len();
        }
    }

    // One-offs: meetings, workshops, rehearsals.
    let titles = [
        "Permanence juridique",
        "Réunion du collectif vélo",
        "Atelier couture",
        "Enregistrement podcast",
        "Formation découpe laser",
        "Assemblée générale",
        "Soirée jeux",
        "Conseil d'administration",
        "Atelier d'écriture",
        "Rendez-vous client",
    ];
    for _ in 0..140 {
        let date = start_week + Duration::days(rng.random_range(0..42));
        if date.weekday() == Weekday::Sun {
            continue;
        }
        let space = *spaces.choose(&mut rng).expect("spaces");
        let start_hour = rng.random_range(9..19);
        let length = *[1u32, 1, 2, 2, 3, 4].choose(&mut rng).expect("lengths");
        let booker = match rng.random_range(0..10) {
            0..=4 => people.choose(&mut rng).map(|id| Holder::Person(*id)),
            5..=7 => orgs.choose(&mut rng).map(|id| Holder::Organization(*id)),
            _ => None,
        };
        let input = NewBooking {
            space_id: space,
            range: TimeRange::new(
                at(date, start_hour, 0),
                at(date, start_hour + length, 0),
                Duration::days(1),
                "end",
            )?,
            title: Name::parse("title", titles.choose(&mut rng).expect("titles"))?,
            booker,
            tier: None,
            attendees: Some(rng.random_range(2..5)),
            notes: None,
            pricing: crate::service::bookings::Pricing::Rated,
        };
        match bookings::create_booking(db, &bus, clock.now(), Actor::System, input).await {
            Ok(booking) => {
                made += 1;
                // Most past bookings were paid at the desk.
                if booking.ends_at < clock.now() && booking.price_cents > 0 && rng.random_bool(0.8)
                {
                    bookings::mark_paid(db, clock.now(), booking.id).await?;
                }
            }
            // A busy slot: a real front desk would pick another; the demo moves on.
            Err(AppError::BookingConflict(_)) => {}
            Err(other) => return Err(other),
        }
    }
    Ok(made)
}

//! The demo venue's season of events, around today: a monthly repair café, concerts, fablab
//! workshops (one full, with its waitlist), a weekly AMAP distribution in the garden, and a
//! two-day forum with six sessions; registrations (groups among them), payments and past
//! check-ins. Made through the events services, before the demo bookings, so that every rule
//! holds and the bookings fit around the events.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use chrono_tz::Tz;
use lieu_entity::{event, person, space};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use crate::clock::Clock;
use crate::domain::{
    Actor, Email, EventCategory, EventPrices, Frequency, Money, Name, Recurrence, TimeRange,
    resolve_local,
};
use crate::error::{AppError, AppResult};
use crate::service::activity::ActivityBus;
use crate::service::events::registrations::{self, NewRegistration, Registrant};
use crate::service::events::{self, NewEvent};

/// One kind of event of the season.
struct Kind {
    title: &'static str,
    description: &'static str,
    category: EventCategory,
    space: &'static str,
    capacity: Option<i32>,
    /// (price, member price, floor), in euros.
    prices: (Option<i64>, Option<i64>, Option<i64>),
}

fn euros(value: Option<i64>) -> Option<Money> {
    value.map(|e| Money::from_cents(e * 100))
}

pub struct Season<'a> {
    db: &'a DatabaseConnection,
    clock: &'a Clock,
    tz: Tz,
    spaces: Vec<space::Model>,
    people: Vec<person::Model>,
    rng: StdRng,
    /// One bus for the whole season: nobody listens while the demo is seeded, so its events
    /// go nowhere (on PostgreSQL, one NOTIFY per commit, as for any write).
    bus: ActivityBus,
}

pub async fn seed(
    db: &DatabaseConnection,
    clock: &Clock,
    tz: Tz,
    today: NaiveDate,
) -> AppResult<()> {
    let spaces = space::Entity::find().all(db).await?;
    let people = person::Entity::find()
        .filter(person::Column::ErasedAt.is_null())
        .filter(person::Column::Email.is_not_null())
        .limit(400)
        .all(db)
        .await?;
    let mut season = Season {
        db,
        clock,
        tz,
        spaces,
        people,
        rng: StdRng::seed_from_u64(0xE7E7),
        bus: ActivityBus::new(),
    };
    season.repair_cafe(today).await?;
    season.concerts(today).await?;
    season.fablab(today).await?;
    season.amap(today).await?;
    season.forum(today).await?;
    Ok(())
}

/// The first `weekday` on or after `day`.
fn next(day: NaiveDate, weekday: Weekday) -> NaiveDate {
    let ahead = (7 + weekday.num_days_from_monday() - day.weekday().num_days_from_monday()) % 7;
    day + Duration::days(i64::from(ahead))
}

impl Season<'_> {
    fn at(&self, day: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
        resolve_local(
            self.tz,
            day.and_hms_opt(hour, minute, 0).expect("a real time"),
        )
    }

    fn space(&self, name: &str) -> AppResult<Uuid> {
        self.spaces
            .iter()
            .find(|s| s.name == name)
            .map(|s| s.id)
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("demo space {name} missing")))
    }

    fn input(&self, kind: &Kind, start: DateTime<Utc>, end: DateTime<Utc>) -> AppResult<NewEvent> {
        Ok(NewEvent {
            title: Name::parse("title", kind.title)?,
            description: Some(kind.description.to_string()),
            category: kind.category,
            range: TimeRange::new(start, end, Duration::days(3), "end")?,
            space_ids: vec![self.space(kind.space)?],
            capacity: kind.capacity,
            public: true,
            prices: EventPrices::new(
                euros(kind.prices.0),
                euros(kind.prices.1),
                euros(kind.prices.2),
            )?,
            parent_id: None,
        })
    }

    /// A series of `count` occurrences by `frequency` from `first`, `from`-`to` local.
    async fn series(
        &mut self,
        kind: &Kind,
        frequency: Frequency,
        first: NaiveDate,
        (from, to): ((u32, u32), (u32, u32)),
        count: i32,
    ) -> AppResult<Vec<event::Model>> {
        let input = self.input(
            kind,
            self.at(first, from.0, from.1),
            self.at(first, to.0, to.1),
        )?;
        let rule = Recurrence::new(frequency, None, Some(count), None)?;
        let now = self.clock.now();
        events::create_series(self.db, &self.bus, now, Actor::System, input, rule).await
    }

    /// Registers about `share` of the capacity (at most `most` people), in groups now and then;
    /// past events get their check-ins, paying ones their payments.
    async fn fill(&mut self, event: &event::Model, share: f64, most: usize) -> AppResult<()> {
        let seats_wanted = event.capacity.map_or(most, |c| {
            ((f64::from(c) * share).round() as usize).min(most)
        });
        let past = event.ends_at < self.clock.now();
        // Registered a week before, as people do.
        let when = event.starts_at - Duration::days(7);
        let mut taken = 0;
        let mut registered = Vec::new();
        while taken < seats_wanted {
            let Some(who) = self.people.choose(&mut self.rng).cloned() else {
                break;
            };
            let seats = if self.rng.random_bool(0.15) {
                self.rng.random_range(2..=4)
            } else {
                1
            };
            let input = NewRegistration {
                event_id: event.id,
                person_id: self.rng.random_bool(0.6).then_some(who.id),
                name: Some(Name::parse(
                    "name",
                    &format!("{} {}", who.first_name, who.last_name),
                )?),
                email: who
                    .email
                    .as_deref()
                    .map(|e| Email::parse("email", e))
                    .transpose()?,
                seats,
            };
            match registrations::register(
                self.db,
                &self.bus,
                when,
                Registrant::Staff(Actor::System),
                input,
            )
            .await
            {
                Ok(r) => {
                    taken += r.seats as usize;
                    registered.push(r);
                }
                // The same person drawn twice: draw again.
                Err(AppError::Validation { .. }) => {}
                Err(other) => return Err(other),
            }
        }
        let paying = event.price_cents.is_some_and(|p| p > 0);
        for r in registered.iter().filter(|r| r.status == "CONFIRMED") {
            if past && self.rng.random_bool(0.85) {
                let arrived = event.starts_at + Duration::minutes(self.rng.random_range(-10..25));
                registrations::check_in(self.db, &self.bus, arrived, r.id).await?;
            }
            if paying && (past || self.rng.random_bool(0.5)) {
                crate::service::events::payments::mark_paid(self.db, when, r.id, None).await?;
            }
        }
        Ok(())
    }

    async fn repair_cafe(&mut self, today: NaiveDate) -> AppResult<()> {
        let kind = Kind {
            title: "Repair café",
            description: "Venez réparer vos objets avec les bénévoles : petit électroménager, vélos, textile. Café offert.",
            category: EventCategory::RepairCafe,
            space: "Demi-salle côté rue",
            capacity: Some(30),
            prices: (None, None, None),
        };
        // Every first Saturday, from three months back.
        let back = today - Duration::days(90);
        let first = next(
            NaiveDate::from_ymd_opt(back.year(), back.month(), 1).expect("a day"),
            Weekday::Sat,
        );
        let frequency = Frequency::monthly(Some(Weekday::Sat), Some(1))?;
        let occurrences = self
            .series(&kind, frequency, first, ((10, 0), (13, 0)), 8)
            .await?;
        for e in &occurrences {
            self.fill(e, 0.7, 30).await?;
        }
        Ok(())
    }

    async fn concerts(&mut self, today: NaiveDate) -> AppResult<()> {
        let titles = [
            "Concert : Les Cordes Sensibles",
            "Soirée jazz manouche",
            "Scène ouverte",
        ];
        for (i, title) in titles.into_iter().enumerate() {
            let kind = Kind {
                title,
                description: "Bar associatif ouvert dès 19 h 30.",
                category: EventCategory::Concert,
                space: "Grande salle",
                capacity: Some(100),
                prices: (Some(12), Some(8), None),
            };
            let day = next(today + Duration::days(14 * i as i64 - 20), Weekday::Fri);
            let input = self.input(&kind, self.at(day, 20, 30), self.at(day, 23, 0))?;
            let concert =
                events::create_event(self.db, &self.bus, self.clock.now(), Actor::System, input)
                    .await?;
            self.fill(&concert, 0.6, 70).await?;
        }
        Ok(())
    }

    async fn fablab(&mut self, today: NaiveDate) -> AppResult<()> {
        let kind = Kind {
            title: "Initiation à la découpe laser",
            description: "Deux heures pour concevoir et découper votre première pièce. Prix libre à partir de 5 €.",
            category: EventCategory::Workshop,
            space: "Fablab",
            capacity: Some(8),
            prices: (Some(15), None, Some(5)),
        };
        let first = next(today - Duration::days(14), Weekday::Wed);
        let occurrences = self
            .series(&kind, Frequency::Weekly, first, ((18, 0), (20, 0)), 6)
            .await?;
        // The next one is full, with people waiting (the next one, whatever the day and the
        // hour the demo is seeded: a fixed rank was already past on Wednesday evenings).
        let now = self.clock.now();
        let next_one = occurrences.iter().position(|e| e.starts_at > now);
        for (i, e) in occurrences.iter().enumerate() {
            let share = if Some(i) == next_one { 1.6 } else { 0.8 };
            self.fill(e, share, 13).await?;
        }
        Ok(())
    }

    async fn amap(&mut self, today: NaiveDate) -> AppResult<()> {
        let kind = Kind {
            title: "Distribution AMAP",
            description: "Paniers de légumes des maraîchers du Moulin, pour les adhérent·es de l'AMAP.",
            category: EventCategory::Market,
            space: "Jardin partagé",
            capacity: None,
            prices: (None, None, None),
        };
        let first = next(today - Duration::days(28), Weekday::Thu);
        let occurrences = self
            .series(&kind, Frequency::Weekly, first, ((18, 0), (19, 30)), 10)
            .await?;
        for e in &occurrences {
            self.fill(e, 1.0, 12).await?;
        }
        Ok(())
    }

    async fn forum(&mut self, today: NaiveDate) -> AppResult<()> {
        let friday = next(today + Duration::days(21), Weekday::Fri);
        let saturday = friday + Duration::days(1);
        let kind = Kind {
            title: "Rencontres des tiers-lieux du territoire",
            description: "Deux jours d'ateliers, de retours d'expérience et de rencontres entre lieux.",
            category: EventCategory::Festival,
            space: "Demi-salle côté jardin",
            capacity: Some(60),
            prices: (None, None, None),
        };
        let input = self.input(&kind, self.at(friday, 9, 0), self.at(saturday, 18, 0))?;
        let forum =
            events::create_event(self.db, &self.bus, self.clock.now(), Actor::System, input)
                .await?;
        self.fill(&forum, 0.5, 30).await?;
        let sessions = [
            (
                friday,
                10,
                "Financer un tiers-lieu : le modèle hybride",
                "Salle Jaurès",
            ),
            (friday, 14, "Mesurer son impact", "Salle Louise Michel"),
            (
                friday,
                16,
                "Bénévolat : accueillir et reconnaître",
                "Salle Jaurès",
            ),
            (saturday, 10, "Atelier : réparer ensemble", "Fablab"),
            (saturday, 14, "Gouvernance partagée", "Salle Louise Michel"),
            (saturday, 16, "Visite du jardin partagé", "Salle Jaurès"),
        ];
        for (day, hour, title, space) in sessions {
            let room = self
                .spaces
                .iter()
                .find(|s| s.name == space)
                .map_or(12, |s| s.capacity);
            let kind = Kind {
                title,
                description: "Une session des Rencontres.",
                category: EventCategory::Talk,
                space,
                capacity: Some(room.min(20)),
                prices: (None, None, None),
            };
            let mut input = self.input(&kind, self.at(day, hour, 0), self.at(day, hour + 1, 30))?;
            input.parent_id = Some(forum.id);
            let session =
                events::create_event(self.db, &self.bus, self.clock.now(), Actor::System, input)
                    .await?;
            self.fill(&session, 0.8, 12).await?;
        }
        Ok(())
    }
}

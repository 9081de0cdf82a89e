//! The demo venue's people: a few hundred members with plans of each kind (some expired, some
//! expiring soon, some renewed), resident organizations with their contacts. The names, the
//! made-up people and the batch writer serve `seed --scale` too (`network`). Deterministic
//! (seeded RNG) and fast (multi-row inserts in one transaction).

use chrono::{DateTime, Duration, NaiveDate, Utc};
use lieu_entity::{membership, membership_plan, organization, organization_contact, person};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, Set};
use uuid::Uuid;

use crate::db;
use crate::domain::{Email, Holder, Money, Name, OrganizationKind, PlanPeriod, PlanPrice, fold};
use crate::error::AppResult;
use crate::service::memberships::{self, NewPlan};
use crate::service::money::{self, NewRevenue};
use crate::service::people::{self, NewPerson};
use crate::service::sites;

#[rustfmt::skip]
pub(super) const FIRST_NAMES: [&str; 60] = [
    "Hélène", "Élodie", "Zoé", "Chloé", "Léa", "Inès", "Maëlle", "Noémie", "Anaïs", "Céline",
    "Agnès", "Jérôme", "François", "Benoît", "Loïc", "Gaël", "Joël", "Théo", "Raphaël", "Noé",
    "Clément", "Aurélien", "Sébastien", "Frédéric", "Stéphane", "Amélie", "Margaux", "Camille",
    "Lucas", "Hugo", "Louis", "Jules", "Emma", "Louise", "Alice", "Lina", "Rose", "Anna", "Mia",
    "Nina", "Yasmine", "Karim", "Mehdi", "Fatou", "Moussa", "Aïcha", "Ibrahim", "Linh", "Olga",
    "Piotr", "Siobhan", "José", "María", "Gwenaëlle", "Yannick", "Soizic", "Erwan", "Maïwenn",
    "Paul", "Marthe",
];

#[rustfmt::skip]
pub(super) const LAST_NAMES: [&str; 80] = [
    "Dupré", "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois",
    "Moreau", "Laurent", "Simon", "Michel", "Lefèvre", "Leroy", "Roux", "David", "Bertrand",
    "Morel", "Fournier", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau",
    "Vincent", "Müller", "Guérin", "Boyer", "Garnier", "Chevalier", "Legrand", "Gauthier",
    "Garcia", "Perrin", "Robin", "Morin", "Nicolas", "Henry", "Mathieu", "Masson", "Marchand",
    "Duval", "Denis", "Dumont", "Lemaire", "Noël", "Meyer", "Dufour", "Meunier", "Brun",
    "Blanchard", "Giraud", "Joly", "Rivière", "Brunet", "Gaillard", "Barbier", "Arnaud",
    "Martínez", "Gérard", "Roche", "Renard", "Le Gall", "Le Goff", "Prévost", "Lévêque", "Ménard",
    "Hervé", "Barthélemy", "Étienne", "Le Roux", "Da Silva", "Nguyen", "Diallo", "Kowalski",
    "O'Brien", "Benali", "Tessier",
];

#[rustfmt::skip]
pub(super) const POSTAL_CODES: [&str; 12] = [
    "44000", "44100", "44200", "44300", "44400", "44800", "44230", "44700", "44120", "44980",
    "44340", "35000",
];

/// (name, kind, resident, contact role)
#[rustfmt::skip]
const ORGANIZATIONS: [(&str, OrganizationKind, bool, &str); 14] = [
    ("Atelier Vélo Solidaire", OrganizationKind::Association, true, "président"),
    ("Les Petits Débrouillards 44", OrganizationKind::Association, true, "coordinatrice"),
    ("Compagnie de l'Éclat", OrganizationKind::Association, true, "chargée de production"),
    ("Coop'Agile SCOP", OrganizationKind::Company, true, "gérant"),
    ("Radio Prun'", OrganizationKind::Association, false, "programmateur"),
    ("Repair Café Nantes Est", OrganizationKind::Collective, false, "référente"),
    ("AMAP du Moulin", OrganizationKind::Association, false, "trésorière"),
    ("Mairie de Rezé", OrganizationKind::PublicBody, false, "chargé de mission"),
    ("Collectif Graines de Quartier", OrganizationKind::Collective, false, "contact"),
    ("École Jean-Zay", OrganizationKind::PublicBody, false, "directrice"),
    ("Fablab des Faiseurs", OrganizationKind::Association, true, "fab manager"),
    ("Studio Ondes Courtes", OrganizationKind::Company, false, "associée"),
    ("Épicerie Solidaire Le Panier", OrganizationKind::Association, false, "bénévole"),
    ("Conseil Citoyen Bottière", OrganizationKind::Other, false, "membre"),
];

pub(super) fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// A made-up person; `n` makes the email unique.
pub(super) fn made_up_person(
    rng: &mut StdRng,
    first: &str,
    last: &str,
    n: usize,
    domain: &str,
) -> NewPerson {
    let email = format!(
        "{}.{}.{n}@{domain}",
        fold(first).replace(' ', "-"),
        fold(last).replace(' ', "-")
    );
    NewPerson {
        first_name: Name::parse("firstName", first).expect("a demo name"),
        last_name: Name::parse("lastName", last).expect("a demo name"),
        email: rng
            .random_bool(0.9)
            .then(|| Email::parse("email", &email).expect("a demo email")),
        phone: rng.random_bool(0.7).then(|| {
            format!(
                "0{} {:02} {:02} {:02} {:02}",
                rng.random_range(6..=7),
                rng.random_range(0..100),
                rng.random_range(0..100),
                rng.random_range(0..100),
                rng.random_range(0..100)
            )
        }),
        postal_code: rng
            .random_bool(0.85)
            .then(|| pick(rng, &POSTAL_CODES).to_string()),
        birth_year: rng.random_bool(0.8).then(|| rng.random_range(1940..=2008)),
        consent_to_contact: rng.random_bool(0.6),
        notes: None,
    }
}

pub(super) struct Batch {
    pub people: Vec<person::ActiveModel>,
    pub memberships: Vec<membership::ActiveModel>,
    pub revenues: Vec<NewRevenue>,
}

impl Batch {
    pub fn new() -> Self {
        Self {
            people: Vec::new(),
            memberships: Vec::new(),
            revenues: Vec::new(),
        }
    }

    /// Adds a membership of `plan` (and its payment, received on the start day).
    pub fn membership(
        &mut self,
        now: DateTime<Utc>,
        plan: &membership_plan::Model,
        holder: Holder,
        starts_on: NaiveDate,
        amount: Money,
        previous: Option<Uuid>,
    ) -> AppResult<(Uuid, NaiveDate)> {
        let row = memberships::new_row(now, plan, holder, starts_on, amount, previous)?;
        let id = *row.id.as_ref();
        let ends_on = *row.ends_on.as_ref();
        self.revenues.extend(memberships::payment(
            plan,
            id,
            amount,
            starts_on,
            previous.is_some(),
        ));
        self.memberships.push(row);
        Ok((id, ends_on))
    }

    pub async fn write(self, db: &DatabaseConnection, now: DateTime<Utc>) -> AppResult<()> {
        let txn = db::begin_write(db).await?;
        let mut people = self.people.into_iter().peekable();
        while people.peek().is_some() {
            person::Entity::insert_many(people.by_ref().take(500).collect::<Vec<_>>())
                .exec(&txn)
                .await?;
        }
        let mut memberships = self.memberships.into_iter().peekable();
        while memberships.peek().is_some() {
            membership::Entity::insert_many(memberships.by_ref().take(500).collect::<Vec<_>>())
                .exec(&txn)
                .await?;
        }
        money::record_many(&txn, now, self.revenues).await?;
        txn.commit().await?;
        Ok(())
    }
}

pub(super) async fn plan(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    name: &str,
    (period, months): (PlanPeriod, u32),
    (price, min_price): (i64, Option<i64>),
    for_organizations: bool,
) -> AppResult<membership_plan::Model> {
    memberships::create_plan(
        db,
        now,
        NewPlan {
            name: Name::parse("name", name)?,
            period,
            period_months: months,
            price: PlanPrice::new(Money::from_cents(price), min_price.map(Money::from_cents))?,
            for_organizations,
        },
    )
    .await
}

/// Seeds the demo venue's people, organizations, plans and memberships.
pub async fn seed_demo(db: &DatabaseConnection, now: DateTime<Utc>) -> AppResult<()> {
    let mut rng = StdRng::seed_from_u64(0x4C49_4555);
    let today = sites::today(db, now).await?;
    let individual = plan(
        db,
        now,
        "Adhésion individuelle",
        (PlanPeriod::Rolling, 12),
        (1500, None),
        false,
    )
    .await?;
    let solidarity = plan(
        db,
        now,
        "Adhésion solidaire (prix libre)",
        (PlanPeriod::Rolling, 12),
        (1000, Some(100)),
        false,
    )
    .await?;
    let civil = plan(
        db,
        now,
        "Adhésion année civile",
        (PlanPeriod::CalendarYear, 12),
        (2000, None),
        false,
    )
    .await?;
    let school = plan(
        db,
        now,
        "Adhésion famille (année scolaire)",
        (PlanPeriod::SchoolYear, 12),
        (2500, None),
        false,
    )
    .await?;
    let discovery = plan(
        db,
        now,
        "Pass découverte 3 mois",
        (PlanPeriod::Rolling, 3),
        (800, None),
        false,
    )
    .await?;
    let structure = plan(
        db,
        now,
        "Adhésion structure",
        (PlanPeriod::CalendarYear, 12),
        (8000, None),
        true,
    )
    .await?;
    let old = plan(
        db,
        now,
        "Adhésion 2024 (ancienne formule)",
        (PlanPeriod::Rolling, 12),
        (1200, None),
        false,
    )
    .await?;
    let person_plans = [&individual, &solidarity, &civil, &school, &discovery];

    let mut batch = Batch::new();
    let mut ids = Vec::new();
    for n in 0..320 {
        let (first, last) = if n == 0 {
            ("Hélène", "Dupré")
        } else {
            (*pick(&mut rng, &FIRST_NAMES), *pick(&mut rng, &LAST_NAMES))
        };
        let mut new = made_up_person(&mut rng, first, last, n, "exemple.fr");
        if n % 17 == 0 {
            new.notes = Some("Bénévole au café associatif le samedi.".into());
        }
        let row = people::new_row(now - Duration::days(rng.random_range(0..900)), new);
        let id = *row.id.as_ref();
        ids.push(id);
        batch.people.push(row);

        let holder = Holder::Person(id);
        let roll = rng.random_range(0..100);
        if n == 0 || roll < 12 {
            // Expiring within the next 30 days (the front desk's reminder list).
            let starts = today - Duration::days(365 - rng.random_range(1..30));
            batch.membership(
                now,
                &individual,
                holder,
                starts,
                Money::from_cents(1500),
                None,
            )?;
        } else if roll < 65 {
            let plan = *pick(&mut rng, &person_plans);
            let starts = today - Duration::days(rng.random_range(0..330));
            let amount = match plan.min_price_cents {
                Some(_) => Money::from_cents(rng.random_range(1..=4) * 500),
                None => Money::from_cents(plan.price_cents),
            };
            batch.membership(now, plan, holder, starts, amount, None)?;
        } else if roll < 80 {
            // Expired; some of them renewed after a lapse.
            let starts = today - Duration::days(rng.random_range(420..700));
            let (first_id, ends) =
                batch.membership(now, &old, holder, starts, Money::from_cents(1200), None)?;
            if rng.random_bool(0.4) {
                let renewal = (ends + Duration::days(rng.random_range(20..90))).min(today);
                batch.membership(
                    now,
                    &individual,
                    holder,
                    renewal,
                    Money::from_cents(1500),
                    Some(first_id),
                )?;
            }
        }
        // The rest (about one in five) are visitors without a membership.
    }
    batch.write(db, now).await?;

    let mut links = Vec::new();
    for (i, (name, kind, resident, role)) in ORGANIZATIONS.iter().enumerate() {
        let org = organization::ActiveModel {
            id: Set(Uuid::new_v4()),
            name: Set((*name).to_string()),
            kind: Set(kind.as_str().to_string()),
            resident: Set(*resident),
            email: Set(Some(format!(
                "contact@{}.exemple.org",
                fold(name).replace(' ', "-")
            ))),
            phone: Set(None),
            search_text: Set(fold(name)),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(db)
        .await?;
        links.push(organization_contact::ActiveModel {
            organization_id: Set(org.id),
            person_id: Set(ids[(i * 7 + 3) % ids.len()]),
            role: Set(Some((*role).to_string())),
        });
        if i % 3 != 2 {
            let starts =
                NaiveDate::from_ymd_opt(chrono::Datelike::year(&today), 1, 1 + (i as u32 % 20))
                    .expect("a January day");
            let mut orgs = Batch::new();
            orgs.membership(
                now,
                &structure,
                Holder::Organization(org.id),
                starts,
                Money::from_cents(8000),
                None,
            )?;
            orgs.write(db, now).await?;
        }
    }
    organization_contact::Entity::insert_many(links)
        .exec(db)
        .await?;
    memberships::archive_plan(db, now, old.id).await?;
    Ok(())
}

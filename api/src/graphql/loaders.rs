//! DataLoaders, built fresh for every request (in its `RequestContext`) so that nothing is
//! cached across requests. Resolvers of relations on lists use them, so a list of N items
//! costs a constant number of SQL statements (one per relation, whatever N): `batching`
//! decides when batches run.

use std::collections::HashMap;
use std::marker::PhantomData;
use std::time::Duration;

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use chrono::{DateTime, NaiveDate, Utc};
use lieu_entity::{
    event, funder, grant, grant_payment, grant_status_change, membership, membership_plan,
    opening_hours, organization, organization_contact, person, registration, reporting_deadline,
    revenue, site, space, user,
};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use tokio::sync::OnceCell;
use uuid::Uuid;

use super::batching::BatchQueue;
use super::scalars::DateTime as LocalTime;
use crate::domain::Holder;
use crate::error::{AppError, AppResult};
use crate::service::bookings::{Rates, spaces};
use crate::service::events::{self, seats::Seats};
use crate::service::memberships;
use crate::service::money::grants;
use crate::service::people::{self, organizations};
use crate::service::sites::{self, opening_hours as hours};
use crate::service::volunteering;
use crate::state::AppState;

/// An entity whose primary key is one UUID column.
pub trait KeyedById: EntityTrait {
    fn id_column() -> Self::Column;
    fn id_of(model: &Self::Model) -> Uuid;
}

macro_rules! keyed_by_id {
    ($($module:ident),+) => {
        $(impl KeyedById for $module::Entity {
            fn id_column() -> Self::Column {
                $module::Column::Id
            }
            fn id_of(model: &Self::Model) -> Uuid {
                model.id
            }
        })+
    };
}

keyed_by_id!(site, space, event, revenue, funder, grant, user);

/// Rows of one table by id, in one `IN (…)` query per batch.
pub struct ById<E> {
    db: DatabaseConnection,
    entity: PhantomData<fn() -> E>,
}

impl<E> Loader<Uuid> for ById<E>
where
    E: KeyedById + Send + Sync + 'static,
    E::Model: Clone + Send + Sync + 'static,
{
    type Value = E::Model;
    type Error = AppError;

    async fn load(&self, keys: &[Uuid]) -> AppResult<HashMap<Uuid, E::Model>> {
        let rows = E::find()
            .filter(E::id_column().is_in(keys.iter().copied()))
            .all(&self.db)
            .await?;
        Ok(rows.into_iter().map(|m| (E::id_of(&m), m)).collect())
    }
}

/// Loaders over a service function that answers for many keys at once.
macro_rules! batch_loader {
    ($(#[$meta:meta])* $name:ident, $value:ty, $service:path) => {
        $(#[$meta])*
        pub struct $name(DatabaseConnection);

        impl Loader<Uuid> for $name {
            type Value = $value;
            type Error = AppError;

            async fn load(&self, keys: &[Uuid]) -> AppResult<HashMap<Uuid, $value>> {
                $service(&self.0, keys.iter().copied()).await
            }
        }
    };
}

batch_loader!(
    /// A space's rates.
    SpaceRates,
    Rates,
    spaces::rates_of
);
batch_loader!(
    /// A space's children.
    SpaceChildren,
    Vec<space::Model>,
    spaces::children_of
);
batch_loader!(
    /// A site's weekly opening hours.
    SiteWeeks,
    Vec<opening_hours::Model>,
    hours::weeks_of
);
batch_loader!(
    /// An event's spaces.
    EventSpaces,
    Vec<space::Model>,
    events::queries::spaces_of
);
batch_loader!(
    /// A programme's sessions.
    EventSessions,
    Vec<event::Model>,
    events::queries::sessions_of
);
batch_loader!(
    /// An event's seats by status.
    EventSeats,
    Seats,
    events::seats::seats_of
);
batch_loader!(
    /// An event's registrations (cancelled ones too).
    EventRegistrations,
    Vec<registration::Model>,
    events::registrations::registrations_of
);

batch_loader!(
    /// A grant's payments.
    GrantPayments,
    Vec<grant_payment::Model>,
    grants::payments_of
);
batch_loader!(
    /// A grant's reporting deadlines.
    GrantDeadlines,
    Vec<reporting_deadline::Model>,
    grants::deadlines_of
);
batch_loader!(
    /// A grant's status history.
    GrantHistory,
    Vec<grant_status_change::Model>,
    grants::history_of
);

/// A loader whose batches run when `queue` says (see [`BatchQueue`]): no timer.
fn with_queue<L>(loader: L, queue: &BatchQueue) -> DataLoader<L> {
    DataLoader::new(loader, queue.spawner())
        .delay(Duration::ZERO)
        .max_batch_size(10_000)
}

/// A loader that can keep what it loaded for the rest of the request, once a list turns its
/// cache on: off by default, so that a mutation that reads a row again after changing it
/// reads the new one.
fn cached<L>(loader: L, queue: &BatchQueue) -> DataLoader<L, HashMapCache> {
    let loader = DataLoader::with_cache(loader, queue.spawner(), HashMapCache::default())
        .delay(Duration::ZERO)
        .max_batch_size(10_000);
    loader.enable_all_cache(false);
    loader
}

fn by_id<E>(db: &DatabaseConnection, queue: &BatchQueue) -> DataLoader<ById<E>>
where
    E: KeyedById + Send + Sync + 'static,
    E::Model: Clone + Send + Sync + 'static,
{
    with_queue(
        ById {
            db: db.clone(),
            entity: PhantomData,
        },
        queue,
    )
}

/// Each site's time zone, read once per request (a venue has few sites): a site's times are
/// shown in its own offset.
pub struct SiteZones {
    db: DatabaseConnection,
    zones: OnceCell<HashMap<Uuid, chrono_tz::Tz>>,
}

impl SiteZones {
    /// Every site's zone, by site id.
    pub async fn all(&self) -> AppResult<&HashMap<Uuid, chrono_tz::Tz>> {
        self.zones
            .get_or_try_init(|| async {
                sites::list_sites(&self.db)
                    .await?
                    .iter()
                    .map(|site| Ok((site.id, sites::timezone_of(site)?)))
                    .collect::<AppResult<HashMap<_, _>>>()
            })
            .await
    }

    pub async fn of(&self, site_id: Uuid) -> AppResult<chrono_tz::Tz> {
        self.all()
            .await?
            .get(&site_id)
            .copied()
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("site {site_id} vanished")))
    }

    /// `instant` as a person at the site reads it.
    pub async fn local(&self, site_id: Uuid, instant: DateTime<Utc>) -> AppResult<LocalTime> {
        Ok(LocalTime::local(instant, self.of(site_id).await?))
    }

    /// [`SiteZones::local`] of an optional instant.
    pub async fn local_opt(
        &self,
        site_id: Uuid,
        instant: Option<DateTime<Utc>>,
    ) -> AppResult<Option<LocalTime>> {
        match instant {
            Some(t) => Ok(Some(self.local(site_id, t).await?)),
            None => Ok(None),
        }
    }
}

/// The loaders of one request; their batches go to the request's queue.
pub struct Loaders {
    pub zones: SiteZones,
    pub sites: DataLoader<ById<site::Entity>>,
    /// Spaces and people keep a cache, which a listed page of bookings fills with the rows it
    /// was loaded with (`bookings::plan`, `Planned::prime`) when its plan does not apply.
    pub spaces: DataLoader<ById<space::Entity>, HashMapCache>,
    pub space_rates: DataLoader<SpaceRates>,
    pub space_children: DataLoader<SpaceChildren>,
    pub site_weeks: DataLoader<SiteWeeks>,
    pub people: DataLoader<PeopleLoader, HashMapCache>,
    pub events: DataLoader<ById<event::Entity>>,
    pub event_spaces: DataLoader<EventSpaces>,
    pub event_sessions: DataLoader<EventSessions>,
    pub event_seats: DataLoader<EventSeats>,
    pub event_registrations: DataLoader<EventRegistrations>,
    pub revenues: DataLoader<ById<revenue::Entity>>,
    pub funders: DataLoader<ById<funder::Entity>>,
    pub grants: DataLoader<ById<grant::Entity>>,
    pub users: DataLoader<ById<user::Entity>>,
    pub grant_payments: DataLoader<GrantPayments>,
    pub grant_deadlines: DataLoader<GrantDeadlines>,
    pub grant_history: DataLoader<GrantHistory>,
    /// The volunteer valuation rates, read once per request (a handful of rows).
    volunteer_rates: OnceCell<volunteering::Rates>,
    db: DatabaseConnection,
}

impl Loaders {
    pub fn new(state: &AppState, queue: &BatchQueue) -> Self {
        let db = &state.db;
        Self {
            zones: SiteZones {
                db: db.clone(),
                zones: OnceCell::new(),
            },
            sites: by_id(db, queue),
            spaces: cached(
                ById {
                    db: db.clone(),
                    entity: PhantomData,
                },
                queue,
            ),
            space_rates: with_queue(SpaceRates(db.clone()), queue),
            space_children: with_queue(SpaceChildren(db.clone()), queue),
            site_weeks: with_queue(SiteWeeks(db.clone()), queue),
            people: cached(PeopleLoader::new(db.clone(), state.clock.now()), queue),
            events: by_id(db, queue),
            event_spaces: with_queue(EventSpaces(db.clone()), queue),
            event_sessions: with_queue(EventSessions(db.clone()), queue),
            event_seats: with_queue(EventSeats(db.clone()), queue),
            event_registrations: with_queue(EventRegistrations(db.clone()), queue),
            revenues: by_id(db, queue),
            funders: by_id(db, queue),
            grants: by_id(db, queue),
            users: by_id(db, queue),
            grant_payments: with_queue(GrantPayments(db.clone()), queue),
            grant_deadlines: with_queue(GrantDeadlines(db.clone()), queue),
            grant_history: with_queue(GrantHistory(db.clone()), queue),
            volunteer_rates: OnceCell::new(),
            db: db.clone(),
        }
    }

    /// The valuation rates in force, the same for every entry of one response.
    pub async fn volunteer_rates(&self) -> AppResult<&volunteering::Rates> {
        self.volunteer_rates
            .get_or_try_init(|| async {
                let rows = volunteering::list_rates(&self.db).await?;
                Ok(volunteering::Rates::new(&rows))
            })
            .await
    }

    /// The venue's today, the same for the whole response.
    pub async fn today(&self) -> AppResult<NaiveDate> {
        self.people.loader().today().await
    }

    /// A grant by id, as [`Loaders::site`].
    pub async fn grant(&self, id: Uuid) -> AppResult<grant::Model> {
        existing(self.grants.load_one(id).await?, "grant", id)
    }

    /// A funder by id, as [`Loaders::site`].
    pub async fn funder(&self, id: Uuid) -> AppResult<funder::Model> {
        existing(self.funders.load_one(id).await?, "funder", id)
    }

    /// A site by id; a missing row is an internal error (foreign keys guarantee it exists).
    pub async fn site(&self, id: Uuid) -> AppResult<site::Model> {
        existing(self.sites.load_one(id).await?, "site", id)
    }

    /// An event by id, as [`Loaders::site`].
    pub async fn event(&self, id: Uuid) -> AppResult<event::Model> {
        existing(self.events.load_one(id).await?, "event", id)
    }

    /// A space by id, as [`Loaders::site`].
    pub async fn space(&self, id: Uuid) -> AppResult<space::Model> {
        existing(self.spaces.load_one(id).await?, "space", id)
    }
}

/// A row that a foreign key guarantees.
pub fn existing<T>(row: Option<T>, entity: &str, id: Uuid) -> AppResult<T> {
    row.ok_or_else(|| AppError::internal(anyhow::anyhow!("{entity} {id} vanished")))
}

/// People, organizations, plans and memberships by key, plus the venue's "today" of this
/// request (computed once: every membership status of one response uses the same day).
pub struct PeopleLoader {
    db: DatabaseConnection,
    now: DateTime<Utc>,
    today: OnceCell<NaiveDate>,
}

impl PeopleLoader {
    pub fn new(db: DatabaseConnection, now: DateTime<Utc>) -> Self {
        Self {
            db,
            now,
            today: OnceCell::new(),
        }
    }

    /// Today as a local day of the venue, as of the start of this request.
    pub async fn today(&self) -> AppResult<NaiveDate> {
        self.today
            .get_or_try_init(|| sites::today(&self.db, self.now))
            .await
            .copied()
    }
}

type LoadResult<K, V> = AppResult<HashMap<K, V>>;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PersonKey(pub Uuid);
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct OrganizationKey(pub Uuid);
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PlanKey(pub Uuid);
/// The membership of a holder that covers today.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ActiveMembershipKey(pub Holder);
/// Every membership of a holder.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MembershipsKey(pub Holder);
/// The contact links of an organization.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ContactsOfOrganization(pub Uuid);
/// The organizations a person is a contact of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ContactsOfPerson(pub Uuid);

fn ids<K: Copy>(keys: &[K], id: impl Fn(K) -> Uuid) -> Vec<Uuid> {
    keys.iter().map(|k| id(*k)).collect()
}

impl Loader<PersonKey> for PeopleLoader {
    type Value = person::Model;
    type Error = AppError;

    async fn load(&self, keys: &[PersonKey]) -> LoadResult<PersonKey, person::Model> {
        let rows = people::people_by_ids(&self.db, &ids(keys, |k| k.0)).await?;
        Ok(rows.into_iter().map(|p| (PersonKey(p.id), p)).collect())
    }
}

impl Loader<OrganizationKey> for PeopleLoader {
    type Value = organization::Model;
    type Error = AppError;

    async fn load(
        &self,
        keys: &[OrganizationKey],
    ) -> LoadResult<OrganizationKey, organization::Model> {
        let rows = organizations::organizations_by_ids(&self.db, &ids(keys, |k| k.0)).await?;
        Ok(rows
            .into_iter()
            .map(|o| (OrganizationKey(o.id), o))
            .collect())
    }
}

impl Loader<PlanKey> for PeopleLoader {
    type Value = membership_plan::Model;
    type Error = AppError;

    async fn load(&self, keys: &[PlanKey]) -> LoadResult<PlanKey, membership_plan::Model> {
        let rows = memberships::plans_by_ids(&self.db, &ids(keys, |k| k.0)).await?;
        Ok(rows.into_iter().map(|p| (PlanKey(p.id), p)).collect())
    }
}

impl Loader<ActiveMembershipKey> for PeopleLoader {
    type Value = membership::Model;
    type Error = AppError;

    async fn load(
        &self,
        keys: &[ActiveMembershipKey],
    ) -> LoadResult<ActiveMembershipKey, membership::Model> {
        let today = self.today().await?;
        let holders: Vec<Holder> = keys.iter().map(|k| k.0).collect();
        // Ordered by end, latest first: the first one seen per holder runs longest.
        let rows = memberships::active_of_many(&self.db, &holders, today).await?;
        let mut found = HashMap::new();
        for row in rows {
            if let Some(holder) = memberships::holder_of(&row) {
                found.entry(ActiveMembershipKey(holder)).or_insert(row);
            }
        }
        Ok(found)
    }
}

impl Loader<MembershipsKey> for PeopleLoader {
    type Value = Vec<membership::Model>;
    type Error = AppError;

    async fn load(
        &self,
        keys: &[MembershipsKey],
    ) -> LoadResult<MembershipsKey, Vec<membership::Model>> {
        let holders: Vec<Holder> = keys.iter().map(|k| k.0).collect();
        let rows = memberships::memberships_of_many(&self.db, &holders).await?;
        let mut found: HashMap<MembershipsKey, Vec<membership::Model>> = HashMap::new();
        for row in rows {
            if let Some(holder) = memberships::holder_of(&row) {
                found.entry(MembershipsKey(holder)).or_default().push(row);
            }
        }
        Ok(found)
    }
}

impl Loader<ContactsOfOrganization> for PeopleLoader {
    type Value = Vec<organization_contact::Model>;
    type Error = AppError;

    async fn load(
        &self,
        keys: &[ContactsOfOrganization],
    ) -> LoadResult<ContactsOfOrganization, Vec<organization_contact::Model>> {
        let rows = organizations::contacts_of(&self.db, &ids(keys, |k| k.0), &[]).await?;
        let mut found: HashMap<_, Vec<_>> = HashMap::new();
        for row in rows {
            found
                .entry(ContactsOfOrganization(row.organization_id))
                .or_default()
                .push(row);
        }
        Ok(found)
    }
}

impl Loader<ContactsOfPerson> for PeopleLoader {
    type Value = Vec<organization_contact::Model>;
    type Error = AppError;

    async fn load(
        &self,
        keys: &[ContactsOfPerson],
    ) -> LoadResult<ContactsOfPerson, Vec<organization_contact::Model>> {
        let rows = organizations::contacts_of(&self.db, &[], &ids(keys, |k| k.0)).await?;
        let mut found: HashMap<_, Vec<_>> = HashMap::new();
        for row in rows {
            found
                .entry(ContactsOfPerson(row.person_id))
                .or_default()
                .push(row);
        }
        Ok(found)
    }
}

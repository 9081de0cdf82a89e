//! DataLoaders, built fresh for every request so that nothing is cached across requests.
//! Each area adds its loaders in `attach`; resolvers of relations on lists use them, so a
//! list of N items costs a constant number of SQL statements.

use std::collections::HashMap;

use async_graphql::Context;
use async_graphql::dataloader::{DataLoader, Loader};
use chrono::{DateTime, NaiveDate, Utc};
use lieu_entity::{membership, membership_plan, organization, organization_contact, person};
use sea_orm::DatabaseConnection;
use tokio::sync::OnceCell;
use uuid::Uuid;

use crate::error::AppError;
use crate::service::memberships::{self, Holder};
use crate::service::{organizations, people};
use crate::state::AppState;

/// Adds this request's loaders to a GraphQL request.
pub fn attach(request: async_graphql::Request, state: &AppState) -> async_graphql::Request {
    request.data(DataLoader::new(
        PeopleLoader::new(state.db.clone(), state.clock.now()),
        tokio::spawn,
    ))
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
    pub async fn today(&self) -> Result<NaiveDate, AppError> {
        self.today
            .get_or_try_init(|| memberships::today(&self.db, self.now))
            .await
            .copied()
    }
}

/// The loaders of the request (present on every request built through `attach`).
pub fn people_loader<'a>(ctx: &'a Context<'_>) -> &'a DataLoader<PeopleLoader> {
    ctx.data_unchecked::<DataLoader<PeopleLoader>>()
}

type LoadResult<K, V> = Result<HashMap<K, V>, async_graphql::Error>;

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
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[PersonKey]) -> LoadResult<PersonKey, person::Model> {
        let rows = people::people_by_ids(&self.db, &ids(keys, |k| k.0)).await?;
        Ok(rows.into_iter().map(|p| (PersonKey(p.id), p)).collect())
    }
}

impl Loader<OrganizationKey> for PeopleLoader {
    type Value = organization::Model;
    type Error = async_graphql::Error;

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
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[PlanKey]) -> LoadResult<PlanKey, membership_plan::Model> {
        let rows = memberships::plans_by_ids(&self.db, &ids(keys, |k| k.0)).await?;
        Ok(rows.into_iter().map(|p| (PlanKey(p.id), p)).collect())
    }
}

impl Loader<ActiveMembershipKey> for PeopleLoader {
    type Value = membership::Model;
    type Error = async_graphql::Error;

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
            if let Some(holder) = Holder::of(&row) {
                found.entry(ActiveMembershipKey(holder)).or_insert(row);
            }
        }
        Ok(found)
    }
}

impl Loader<MembershipsKey> for PeopleLoader {
    type Value = Vec<membership::Model>;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[MembershipsKey],
    ) -> LoadResult<MembershipsKey, Vec<membership::Model>> {
        let holders: Vec<Holder> = keys.iter().map(|k| k.0).collect();
        let rows = memberships::memberships_of_many(&self.db, &holders).await?;
        let mut found: HashMap<MembershipsKey, Vec<membership::Model>> = HashMap::new();
        for row in rows {
            if let Some(holder) = Holder::of(&row) {
                found.entry(MembershipsKey(holder)).or_default().push(row);
            }
        }
        Ok(found)
    }
}

impl Loader<ContactsOfOrganization> for PeopleLoader {
    type Value = Vec<organization_contact::Model>;
    type Error = async_graphql::Error;

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
    type Error = async_graphql::Error;

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

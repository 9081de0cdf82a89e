//! DataLoaders, built fresh for every request so that nothing is cached across requests.
//! Resolvers of relations on lists use them, so a list of N items costs a constant number of
//! SQL statements (one per relation, whatever N): `batching` decides when batches run.

use std::collections::HashMap;
use std::marker::PhantomData;
use std::time::Duration;

use async_graphql::dataloader::{DataLoader, Loader};
use async_graphql::{Context, Request};
use lieu_entity::{opening_hours, organization, person, site, space};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::batching::BatchQueue;
use crate::error::AppResult;
use crate::service::pricing::Rates;
use crate::service::{opening_hours as hours, spaces};
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

keyed_by_id!(site, space, person, organization);

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
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, E::Model>, Self::Error> {
        let rows = E::find()
            .filter(E::id_column().is_in(keys.iter().copied()))
            .all(&self.db)
            .await
            .map_err(crate::error::AppError::from)?;
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
            type Error = async_graphql::Error;

            async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, $value>, Self::Error> {
                let result: AppResult<HashMap<Uuid, $value>> =
                    $service(&self.0, keys.iter().copied()).await;
                Ok(result?)
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

/// A loader whose batches run when `queue` says (see [`BatchQueue`]): no timer.
fn with_queue<L>(loader: L, queue: &BatchQueue) -> DataLoader<L> {
    DataLoader::new(loader, queue.spawner())
        .delay(Duration::ZERO)
        .max_batch_size(10_000)
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

/// Adds this request's loaders to a GraphQL request; their batches go to `queue`, which the
/// caller drives with [`BatchQueue::run`].
pub fn attach(request: Request, state: &AppState, queue: &BatchQueue) -> Request {
    let db = &state.db;
    request
        .data(by_id::<site::Entity>(db, queue))
        .data(by_id::<space::Entity>(db, queue))
        .data(by_id::<person::Entity>(db, queue))
        .data(by_id::<organization::Entity>(db, queue))
        .data(with_queue(SpaceRates(db.clone()), queue))
        .data(with_queue(SpaceChildren(db.clone()), queue))
        .data(with_queue(SiteWeeks(db.clone()), queue))
}

/// The loader of this request for `L`.
pub fn loader<'a, L: Send + Sync + 'static>(ctx: &Context<'a>) -> &'a DataLoader<L> {
    ctx.data_unchecked::<DataLoader<L>>()
}

/// Loads one row by id through this request's loader; a missing row is an internal error
/// (foreign keys guarantee it exists).
pub async fn row<E>(ctx: &Context<'_>, id: Uuid) -> async_graphql::Result<E::Model>
where
    E: KeyedById + Send + Sync + 'static,
    E::Model: Clone + Send + Sync + 'static,
{
    loader::<ById<E>>(ctx).load_one(id).await?.ok_or_else(|| {
        crate::error::AppError::internal(anyhow::anyhow!("row {id} vanished")).into()
    })
}

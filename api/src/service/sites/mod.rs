//! Sites: the venue's buildings or places, each with its own time zone, and their opening
//! hours. "Today" everywhere in Lieu is the local day of the venue's default site.

pub mod opening_hours;

use chrono::{DateTime, NaiveDate, Utc};
use lieu_entity::site;
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel,
    QueryOrder, Set,
};
use uuid::Uuid;

use crate::db;
use crate::domain::{Name, TimeZoneName, local_date};
use crate::error::{AppError, AppResult};

pub struct NewSite {
    pub name: Name,
    pub timezone: TimeZoneName,
    pub address: Option<String>,
    pub postal_code: Option<String>,
}

/// All sites, the oldest (the default site) first.
pub async fn list_sites(conn: &impl ConnectionTrait) -> AppResult<Vec<site::Model>> {
    Ok(site::Entity::find()
        .order_by_asc(site::Column::CreatedAt)
        .order_by_asc(site::Column::Id)
        .all(conn)
        .await?)
}

/// The site used when an input names none: the first one created (by the first migration).
pub async fn default_site(conn: &impl ConnectionTrait) -> AppResult<site::Model> {
    site::Entity::find()
        .order_by_asc(site::Column::CreatedAt)
        .order_by_asc(site::Column::Id)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("no site: migrations not applied?")))
}

/// Today, as a local day of the venue (its default site's time zone).
pub async fn today(conn: &impl ConnectionTrait, now: DateTime<Utc>) -> AppResult<NaiveDate> {
    let site = default_site(conn).await?;
    Ok(local_date(now, timezone_of(&site)?))
}

pub async fn get_site(conn: &impl ConnectionTrait, id: Uuid) -> AppResult<site::Model> {
    find_site(conn, id)
        .await?
        .ok_or_else(|| AppError::not_found("site", id))
}

pub async fn find_site(conn: &impl ConnectionTrait, id: Uuid) -> AppResult<Option<site::Model>> {
    Ok(site::Entity::find_by_id(id).one(conn).await?)
}

/// The site an input names (`field` in the error when it does not exist), or the default one.
pub async fn site_or_default(
    conn: &impl ConnectionTrait,
    field: &str,
    id: Option<Uuid>,
) -> AppResult<site::Model> {
    match id {
        Some(id) => find_site(conn, id)
            .await?
            .ok_or_else(|| AppError::unknown(field, "site", id)),
        None => default_site(conn).await,
    }
}

/// The time zone of a site, as stored (validated when the site was written).
pub fn timezone_of(site: &site::Model) -> AppResult<chrono_tz::Tz> {
    site.timezone.parse().map_err(|_| {
        AppError::internal(anyhow::anyhow!(
            "site {} has an unknown time zone {}",
            site.id,
            site.timezone
        ))
    })
}

pub async fn create_site(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    input: NewSite,
) -> AppResult<site::Model> {
    let txn = db::begin_write(conn).await?;
    let model = site::ActiveModel {
        id: Set(Uuid::new_v4()),
        name: Set(input.name.into_inner()),
        timezone: Set(input.timezone.name().to_string()),
        address: Set(input.address),
        public_url: Set(None),
        postal_code: Set(input.postal_code),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;
    crate::service::audit::created("Site", model.id, &model);
    crate::service::audit::commit(txn).await?;
    Ok(model)
}

/// What an update may change; `None` leaves a field as it is.
#[derive(Default)]
pub struct SiteChanges {
    pub name: Option<Name>,
    /// `Some(None)` clears the address.
    pub address: Option<Option<String>>,
    /// `Some(None)` clears it.
    pub public_url: Option<Option<String>>,
    /// `Some(None)` clears it.
    pub postal_code: Option<Option<String>>,
}

pub async fn update_site(
    conn: &DatabaseConnection,
    id: Uuid,
    changes: SiteChanges,
) -> AppResult<site::Model> {
    let txn = db::begin_write(conn).await?;
    let current = get_site(&txn, id).await?;
    let mut model = current.clone().into_active_model();
    if let Some(name) = changes.name {
        model.name = Set(name.into_inner());
    }
    if let Some(address) = changes.address {
        model.address = Set(address);
    }
    if let Some(url) = changes.public_url {
        model.public_url = Set(url);
    }
    if let Some(code) = changes.postal_code {
        model.postal_code = Set(code);
    }
    let model = model.update(&txn).await?;
    crate::service::audit::changed("Site", id, &current, &model);
    crate::service::audit::commit(txn).await?;
    Ok(model)
}

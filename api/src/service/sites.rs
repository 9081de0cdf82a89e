//! Sites: the venue's buildings or places, each with its own time zone.

use chrono::{DateTime, Utc};
use lieu_entity::site;
use sea_orm::{
    ActiveModelTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryOrder, Set,
};
use uuid::Uuid;

use crate::db;
use crate::domain::{Name, TimeZoneName};
use crate::error::{AppError, AppResult};

pub struct NewSite {
    pub name: Name,
    pub timezone: TimeZoneName,
    pub address: Option<String>,
}

/// All sites, the oldest (the default site) first.
pub async fn list_sites(conn: &DatabaseConnection) -> AppResult<Vec<site::Model>> {
    Ok(site::Entity::find()
        .order_by_asc(site::Column::CreatedAt)
        .order_by_asc(site::Column::Id)
        .all(conn)
        .await?)
}

/// The site used when an input names none: the first one created (by the first migration).
pub async fn default_site(conn: &DatabaseConnection) -> AppResult<site::Model> {
    site::Entity::find()
        .order_by_asc(site::Column::CreatedAt)
        .order_by_asc(site::Column::Id)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("no site: migrations not applied?")))
}

pub async fn find_site(conn: &DatabaseConnection, id: Uuid) -> AppResult<site::Model> {
    site::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::not_found("site", id))
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
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(model)
}

/// What an update may change; `None` leaves a field as it is.
#[derive(Default)]
pub struct SiteChanges {
    pub name: Option<Name>,
    /// `Some(None)` clears the address.
    pub address: Option<Option<String>>,
}

pub async fn update_site(
    conn: &DatabaseConnection,
    id: Uuid,
    changes: SiteChanges,
) -> AppResult<site::Model> {
    let txn = db::begin_write(conn).await?;
    let mut model = site::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::not_found("site", id))?
        .into_active_model();
    if let Some(name) = changes.name {
        model.name = Set(name.into_inner());
    }
    if let Some(address) = changes.address {
        model.address = Set(address);
    }
    let model = model.update(&txn).await?;
    txn.commit().await?;
    Ok(model)
}

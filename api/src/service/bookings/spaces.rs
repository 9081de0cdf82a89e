//! Spaces: what can be booked, its rates, and its place in the site's hierarchy.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use lieu_entity::{space, space_rate};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Set, Statement,
};
use uuid::Uuid;

use super::blocks;
use super::pricing::{Rate, Rates};
use super::space_tree::{self, MAX_DEPTH, SpaceTree};
use crate::db;
use crate::domain::{Name, PriceTier, SpaceKind, StoredEnum};
use crate::error::{AppError, AppResult};
use crate::service::sites;

pub struct NewSpace {
    /// `None`: the default site.
    pub site_id: Option<Uuid>,
    pub parent_id: Option<Uuid>,
    pub name: Name,
    pub kind: SpaceKind,
    pub capacity: i32,
    pub accessible: bool,
    pub description: Option<String>,
    pub requires_approval: bool,
    pub buffer_minutes: i32,
    pub rates: Rates,
}

/// What an update may change; `None` leaves a field as it is.
#[derive(Default)]
pub struct SpaceChanges {
    pub name: Option<Name>,
    pub kind: Option<SpaceKind>,
    pub capacity: Option<i32>,
    pub accessible: Option<bool>,
    /// `Some(None)` clears it.
    pub description: Option<Option<String>>,
    pub requires_approval: Option<bool>,
    pub buffer_minutes: Option<i32>,
    /// Replaces every rate.
    pub rates: Option<Rates>,
    /// `Some(None)` detaches the space from its parent.
    pub parent_id: Option<Option<Uuid>>,
}

pub async fn create_space(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    input: NewSpace,
) -> AppResult<space::Model> {
    let txn = db::begin_write(conn).await?;
    let site = sites::site_or_default(&txn, "siteId", input.site_id).await?;
    let id = Uuid::new_v4();
    if let Some(parent_id) = input.parent_id {
        // The new part inherits its parent's blocks: no booking may commit meanwhile.
        space_tree::lock_site(&txn, site.id).await?;
        let tree = SpaceTree::load(&txn, site.id).await?;
        check_parent(&txn, &tree, site.id, id, parent_id).await?;
    }
    let model = space::ActiveModel {
        id: Set(id),
        site_id: Set(site.id),
        parent_id: Set(input.parent_id),
        name: Set(input.name.into_inner()),
        kind: Set(input.kind.as_str().to_string()),
        capacity: Set(input.capacity),
        accessible: Set(input.accessible),
        description: Set(input.description),
        requires_approval: Set(input.requires_approval),
        buffer_minutes: Set(input.buffer_minutes),
        archived_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    write_rates(&txn, id, &input.rates).await?;
    if let Some(parent_id) = input.parent_id {
        inherit_blocks(&txn, parent_id, id).await?;
    }
    crate::service::audit::created("Space", model.id, &model);
    crate::service::audit::commit(txn).await?;
    Ok(model)
}

/// A new child is occupied whenever its parent is: it inherits the parent's blocks (which
/// include those of the parent's own ancestors' bookings).
async fn inherit_blocks(conn: &impl ConnectionTrait, parent: Uuid, child: Uuid) -> AppResult<()> {
    let backend = conn.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => {
            "INSERT INTO booking_blocks (booking_id, space_id, starts_at, ends_at) \
             SELECT booking_id, $1, starts_at, ends_at FROM booking_blocks WHERE space_id = $2"
        }
        _ => {
            "INSERT INTO booking_blocks (booking_id, space_id, starts_at, ends_at) \
             SELECT booking_id, ?, starts_at, ends_at FROM booking_blocks WHERE space_id = ?"
        }
    };
    conn.execute_raw(Statement::from_sql_and_values(
        backend,
        sql,
        [child.into(), parent.into()],
    ))
    .await?;
    Ok(())
}

/// A parent must exist on the same site, not be the space itself or below it, and keep the
/// hierarchy at most [`MAX_DEPTH`] levels deep.
async fn check_parent(
    conn: &impl ConnectionTrait,
    tree: &SpaceTree,
    site_id: Uuid,
    space_id: Uuid,
    parent_id: Uuid,
) -> AppResult<()> {
    let parent = get_space(conn, "parentId", parent_id).await?;
    if parent.site_id != site_id {
        return Err(AppError::validation(
            "parentId",
            "the parent space is on another site",
        ));
    }
    if tree.subtree(space_id).contains(&parent_id) {
        return Err(AppError::validation(
            "parentId",
            "a space cannot be inside itself or inside one of its own parts",
        ));
    }
    let depth = tree.ancestors(parent_id).len() + 2 + tree.height(space_id);
    if depth > MAX_DEPTH {
        return Err(AppError::validation(
            "parentId",
            format!("spaces nest at most {MAX_DEPTH} levels deep"),
        ));
    }
    Ok(())
}

async fn write_rates(conn: &impl ConnectionTrait, space_id: Uuid, rates: &Rates) -> AppResult<()> {
    space_rate::Entity::delete_many()
        .filter(space_rate::Column::SpaceId.eq(space_id))
        .exec(conn)
        .await?;
    if rates.entries().is_empty() {
        return Ok(());
    }
    let rows = rates
        .entries()
        .iter()
        .map(|(tier, rate)| space_rate::ActiveModel {
            space_id: Set(space_id),
            tier: Set(tier.as_str().to_string()),
            hourly_cents: Set(rate.hourly_cents),
            daily_cents: Set(rate.daily_cents),
        });
    space_rate::Entity::insert_many(rows)
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

pub async fn update_space(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    id: Uuid,
    changes: SpaceChanges,
) -> AppResult<space::Model> {
    let txn = db::begin_write(conn).await?;
    let site_id = get_space(&txn, "id", id).await?.site_id;
    // A new parent or buffer changes what bookings occupy: lock the site's spaces against
    // bookings and other such changes, then read the space again, so that the comparisons
    // below are made with what is committed now (a space never changes site).
    if changes.parent_id.is_some() || changes.buffer_minutes.is_some() {
        space_tree::lock_site(&txn, site_id).await?;
    }
    let current = get_space(&txn, "id", id).await?;
    let tree = SpaceTree::load(&txn, site_id).await?;

    // Bookings whose blocks depend on what changes: with a new parent, those of the moved
    // space, of everything below it and of its old and new ancestors; with a new buffer,
    // those of this space.
    let mut rebuild: Vec<Uuid> = Vec::new();
    if let Some(new_parent) = changes.parent_id
        && new_parent != current.parent_id
    {
        if let Some(parent_id) = new_parent {
            check_parent(&txn, &tree, current.site_id, id, parent_id).await?;
            rebuild.push(parent_id);
            rebuild.extend(tree.ancestors(parent_id));
        }
        rebuild.extend(tree.subtree(id));
        rebuild.extend(tree.ancestors(id));
    }
    if changes
        .buffer_minutes
        .is_some_and(|b| b != current.buffer_minutes)
    {
        rebuild.push(id);
    }

    let mut model = current.clone().into_active_model();
    if let Some(name) = changes.name {
        model.name = Set(name.into_inner());
    }
    if let Some(kind) = changes.kind {
        model.kind = Set(kind.as_str().to_string());
    }
    if let Some(capacity) = changes.capacity {
        model.capacity = Set(capacity);
    }
    if let Some(accessible) = changes.accessible {
        model.accessible = Set(accessible);
    }
    if let Some(description) = changes.description {
        model.description = Set(description);
    }
    if let Some(requires_approval) = changes.requires_approval {
        model.requires_approval = Set(requires_approval);
    }
    if let Some(buffer) = changes.buffer_minutes {
        model.buffer_minutes = Set(buffer);
    }
    if let Some(parent) = changes.parent_id {
        model.parent_id = Set(parent);
    }
    model.updated_at = Set(now);
    let model = model.update(&txn).await?;
    if let Some(rates) = &changes.rates {
        write_rates(&txn, id, rates).await?;
    }
    if !rebuild.is_empty() {
        rebuild.sort();
        rebuild.dedup();
        blocks::rebuild_blocks(&txn, now, model.site_id, &rebuild).await?;
    }
    crate::service::audit::changed("Space", id, &current, &model);
    crate::service::audit::commit(txn).await?;
    Ok(model)
}

/// Archives (no new bookings; existing ones stay) or restores a space.
pub async fn set_archived(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    id: Uuid,
    archived: bool,
) -> AppResult<space::Model> {
    let txn = db::begin_write(conn).await?;
    let current = get_space(&txn, "id", id).await?;
    match (archived, current.archived_at.is_some()) {
        (true, true) => {
            return Err(AppError::InvalidState(
                "this space is already archived".into(),
            ));
        }
        (false, false) => return Err(AppError::InvalidState("this space is not archived".into())),
        _ => {}
    }
    let mut model = current.into_active_model();
    model.archived_at = Set(archived.then_some(now));
    model.updated_at = Set(now);
    let model = model.update(&txn).await?;
    crate::service::audit::commit(txn).await?;
    Ok(model)
}

pub async fn find_space(conn: &impl ConnectionTrait, id: Uuid) -> AppResult<Option<space::Model>> {
    Ok(space::Entity::find_by_id(id).one(conn).await?)
}

/// The space named by the input field `field`, or NOT_FOUND.
pub async fn get_space(
    conn: &impl ConnectionTrait,
    field: &str,
    id: Uuid,
) -> AppResult<space::Model> {
    find_space(conn, id)
        .await?
        .ok_or_else(|| AppError::unknown(field, "space", id))
}

/// Spaces by site and name; archived ones only when asked.
pub async fn list_spaces(
    conn: &impl ConnectionTrait,
    site_id: Option<Uuid>,
    include_archived: bool,
) -> AppResult<Vec<space::Model>> {
    let mut query = space::Entity::find();
    if let Some(site_id) = site_id {
        query = query.filter(space::Column::SiteId.eq(site_id));
    }
    if !include_archived {
        query = query.filter(space::Column::ArchivedAt.is_null());
    }
    Ok(query
        .order_by_asc(space::Column::SiteId)
        .order_by_asc(space::Column::Name)
        .order_by_asc(space::Column::Id)
        .all(conn)
        .await?)
}

/// Several spaces by id, in one query (archived ones too: a booking keeps its space).
pub async fn spaces_by_ids(
    conn: &impl ConnectionTrait,
    ids: &[Uuid],
) -> AppResult<HashMap<Uuid, space::Model>> {
    let rows = space::Entity::find()
        .filter(space::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await?;
    Ok(rows.into_iter().map(|s| (s.id, s)).collect())
}

/// The rates of several spaces, in one query.
pub async fn rates_of(
    conn: &impl ConnectionTrait,
    space_ids: impl IntoIterator<Item = Uuid>,
) -> AppResult<HashMap<Uuid, Rates>> {
    let rows = space_rate::Entity::find()
        .filter(space_rate::Column::SpaceId.is_in(space_ids))
        .order_by_asc(space_rate::Column::Tier)
        .all(conn)
        .await?;
    let mut out: HashMap<Uuid, Vec<(PriceTier, Rate)>> = HashMap::new();
    for row in rows {
        out.entry(row.space_id).or_default().push((
            PriceTier::from_stored("space_rates.tier", &row.tier)?,
            Rate {
                hourly_cents: row.hourly_cents,
                daily_cents: row.daily_cents,
            },
        ));
    }
    Ok(out
        .into_iter()
        .map(|(id, mut entries)| {
            entries.sort_by_key(|(tier, _)| *tier);
            (id, Rates::from_stored(entries))
        })
        .collect())
}

/// The children of several spaces, in one query, by name.
pub async fn children_of(
    conn: &impl ConnectionTrait,
    parent_ids: impl IntoIterator<Item = Uuid>,
) -> AppResult<HashMap<Uuid, Vec<space::Model>>> {
    let rows = space::Entity::find()
        .filter(space::Column::ParentId.is_in(parent_ids))
        .order_by_asc(space::Column::Name)
        .all(conn)
        .await?;
    let mut out: HashMap<Uuid, Vec<space::Model>> = HashMap::new();
    for row in rows {
        if let Some(parent) = row.parent_id {
            out.entry(parent).or_default().push(row);
        }
    }
    Ok(out)
}

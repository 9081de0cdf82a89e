//! The hierarchy of a site's spaces (a hall and its halves), and the row locks that keep it
//! consistent with bookings on PostgreSQL.
//!
//! A booking occupies its space and every space below it. Booking a space takes a shared lock
//! on its row; changing the hierarchy (or a buffer) locks every space of the site. So a booking
//! and a hierarchy change never interleave, on any number of processes. SQLite needs none of
//! this: its write transactions are serialized by `BEGIN IMMEDIATE`.

use std::collections::HashMap;

use lieu_entity::space;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QuerySelect, Statement,
};
use uuid::Uuid;

use crate::error::AppResult;

/// Deepest nesting allowed (a building, a hall, its halves, a corner of a half…).
pub const MAX_DEPTH: usize = 4;

pub struct SpaceTree {
    parents: HashMap<Uuid, Option<Uuid>>,
    children: HashMap<Uuid, Vec<Uuid>>,
}

impl SpaceTree {
    /// The tree of every space of a site (archived ones included: they keep their place).
    pub async fn load(conn: &impl ConnectionTrait, site_id: Uuid) -> AppResult<Self> {
        let rows: Vec<(Uuid, Option<Uuid>)> = space::Entity::find()
            .select_only()
            .column(space::Column::Id)
            .column(space::Column::ParentId)
            .filter(space::Column::SiteId.eq(site_id))
            .into_tuple()
            .all(conn)
            .await?;
        Ok(Self::from_edges(rows))
    }

    pub fn from_edges(rows: impl IntoIterator<Item = (Uuid, Option<Uuid>)>) -> Self {
        let mut parents = HashMap::new();
        let mut children: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
        for (id, parent) in rows {
            parents.insert(id, parent);
            if let Some(parent) = parent {
                children.entry(parent).or_default().push(id);
            }
        }
        for list in children.values_mut() {
            list.sort();
        }
        Self { parents, children }
    }

    /// The space and every space below it: what a booking of it occupies.
    pub fn subtree(&self, id: Uuid) -> Vec<Uuid> {
        let mut out = vec![id];
        let mut i = 0;
        while i < out.len() {
            if let Some(kids) = self.children.get(&out[i]) {
                out.extend(kids.iter().copied());
            }
            i += 1;
        }
        out
    }

    /// The spaces above `id`, nearest first.
    pub fn ancestors(&self, id: Uuid) -> Vec<Uuid> {
        let mut out = Vec::new();
        let mut current = self.parents.get(&id).copied().flatten();
        while let Some(parent) = current {
            if out.contains(&parent) {
                break; // a cycle cannot be stored, but never loop on bad data
            }
            out.push(parent);
            current = self.parents.get(&parent).copied().flatten();
        }
        out
    }

    /// How many levels lie below `id` (0 for a space without children).
    pub fn height(&self, id: Uuid) -> usize {
        self.children.get(&id).map_or(0, |kids| {
            1 + kids.iter().map(|k| self.height(*k)).max().unwrap_or(0)
        })
    }

    pub fn children(&self, id: Uuid) -> &[Uuid] {
        self.children.get(&id).map_or(&[], Vec::as_slice)
    }
}

/// Before booking a space: a shared lock on its row (PostgreSQL), so that no hierarchy or
/// buffer change runs until the booking commits.
pub async fn lock_for_booking(conn: &impl ConnectionTrait, space_id: Uuid) -> AppResult<()> {
    if conn.get_database_backend() == DbBackend::Postgres {
        conn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT id FROM spaces WHERE id = $1 FOR SHARE",
            [space_id.into()],
        ))
        .await?;
    }
    Ok(())
}

/// Before changing the hierarchy or a buffer: a lock on every space of the site (PostgreSQL),
/// in a fixed order so that two such changes cannot deadlock. `FOR NO KEY UPDATE` waits for
/// bookings under way (their `FOR SHARE`) but not for the `FOR KEY SHARE` that a booking's
/// foreign keys take on the spaces it blocks: with `FOR UPDATE`, a booking of a hall whose
/// half sorts first and a site lock waited for each other (a deadlock).
pub async fn lock_site(conn: &impl ConnectionTrait, site_id: Uuid) -> AppResult<()> {
    if conn.get_database_backend() == DbBackend::Postgres {
        conn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT id FROM spaces WHERE site_id = $1 ORDER BY id FOR NO KEY UPDATE",
            [site_id.into()],
        ))
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subtrees_and_ancestors() {
        let [hall, a, b, a1, room] = [0u128, 1, 2, 3, 4].map(Uuid::from_u128);
        let tree = SpaceTree::from_edges([
            (hall, None),
            (a, Some(hall)),
            (b, Some(hall)),
            (a1, Some(a)),
            (room, None),
        ]);
        let mut sub = tree.subtree(hall);
        sub.sort();
        assert_eq!(sub, vec![hall, a, b, a1]);
        assert_eq!(tree.subtree(a), vec![a, a1]);
        assert_eq!(tree.subtree(room), vec![room]);
        assert_eq!(tree.ancestors(a1), vec![a, hall]);
        assert!(tree.ancestors(hall).is_empty());
        assert_eq!(tree.height(hall), 2);
        assert_eq!(tree.height(b), 0);
    }
}

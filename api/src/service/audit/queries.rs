//! Reading the trail: newest first, by object, user, operation and period, in keyset pages.

use chrono::{DateTime, Utc};
use lieu_entity::audit_entry::{self, Column};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use crate::domain::{Slice, Window};
use crate::error::{AppError, AppResult};

/// Which entries to list; every part narrows the list. `[from, to)` is a period of `at`.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub object_id: Option<Uuid>,
    pub user_id: Option<Uuid>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub operation: Option<String>,
}

/// One page of the trail, newest first: after the cursor's entry if the window has one.
pub async fn list(
    conn: &impl ConnectionTrait,
    filter: &Filter,
    window: Window,
) -> AppResult<Slice<audit_entry::Model>> {
    if let (Some(from), Some(to)) = (filter.from, filter.to)
        && to <= from
    {
        return Err(AppError::validation("filter.to", "must be after from"));
    }
    let mut which = Condition::all();
    if let Some(id) = filter.object_id {
        which = which.add(Column::ObjectId.eq(id));
    }
    if let Some(id) = filter.user_id {
        which = which.add(Column::UserId.eq(id));
    }
    if let Some(from) = filter.from {
        which = which.add(Column::At.gte(from));
    }
    if let Some(to) = filter.to {
        which = which.add(Column::At.lt(to));
    }
    if let Some(operation) = filter.operation.as_deref().map(str::trim) {
        which = which.add(Column::Operation.eq(operation));
    }
    let query = audit_entry::Entity::find().filter(which);
    let total = match window.count {
        true => Some(query.clone().count(conn).await?),
        false => None,
    };
    let mut page = query;
    if let Some(key) = window.after {
        page = page.filter(
            Condition::any().add(Column::At.lt(key.at)).add(
                Condition::all()
                    .add(Column::At.eq(key.at))
                    .add(Column::Id.lt(key.id)),
            ),
        );
    }
    let rows = page
        .order_by_desc(Column::At)
        .order_by_desc(Column::Id)
        .offset(window.offset)
        .limit(window.fetch_limit())
        .all(conn)
        .await?;
    Ok(Slice::from_overfetch(rows, window, total))
}

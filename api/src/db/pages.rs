//! The page of a list ordered by start time, as the keyset cursors see it.

use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Select,
};

use crate::domain::{Slice, Window};

/// The rows of `window` among `query`'s, by `starts_at` then `id`: after the cursor's row if
/// the window has one (a keyset, so a deep page costs what the first does), and one row more
/// than the page, which only tells whether a next page exists.
pub fn by_start<E: EntityTrait>(
    mut query: Select<E>,
    window: Window,
    starts_at: E::Column,
    id: E::Column,
) -> Select<E> {
    if let Some(key) = window.after {
        query = query.filter(
            Condition::any().add(starts_at.gt(key.at)).add(
                Condition::all()
                    .add(starts_at.eq(key.at))
                    .add(id.gt(key.id)),
            ),
        );
    }
    query
        .order_by_asc(starts_at)
        .order_by_asc(id)
        .offset(window.offset)
        .limit(window.fetch_limit())
}

/// One page of `query`'s rows by start (see [`by_start`]), and how many match in all if the
/// window asks for it.
pub async fn read<E: EntityTrait>(
    conn: &impl ConnectionTrait,
    query: Select<E>,
    window: Window,
    starts_at: E::Column,
    id: E::Column,
) -> Result<Slice<E::Model>, DbErr>
where
    E::Model: Sync,
{
    let total = match window.count {
        true => Some(query.clone().count(conn).await?),
        false => None,
    };
    let rows = by_start(query, window, starts_at, id).all(conn).await?;
    Ok(Slice::from_overfetch(rows, window, total))
}

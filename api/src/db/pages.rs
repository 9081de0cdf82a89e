//! The page of a list ordered by start time, as the keyset cursors see it.

use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select};

use crate::domain::Window;

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

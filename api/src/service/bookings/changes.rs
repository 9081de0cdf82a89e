//! Changing a booking: moving it in time, retitling it, changing who and how many come. A move
//! goes through the same rule as a new booking (its own old blocks aside), in one transaction.

use lieu_entity::booking;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::{NewBooking, blocks, get_active, get_booking, space_tree, spaces};
use crate::db;
use crate::db::constraints::{self, Constraint};
use crate::domain::{Actor, Money, Name, PriceTier, StoredEnum, TimeRange, attendees};
use crate::error::{AppError, AppResult};

/// What a change may touch; `None` leaves a field as it is.
#[derive(Default)]
pub struct BookingChanges {
    /// A new start and/or end; the other one stays.
    pub start: Option<chrono::DateTime<chrono::Utc>>,
    pub end: Option<chrono::DateTime<chrono::Utc>>,
    pub title: Option<Name>,
    /// `Some(None)` clears it.
    pub attendees: Option<Option<i32>>,
    /// `Some(None)` clears them.
    pub notes: Option<Option<String>>,
}

/// Applies `changes` to an active booking. A new time is checked like a new booking (the
/// booking's own old slot does not count) and re-priced at the booking's tier; a paid booking
/// may move only if its price stays the same.
pub async fn update_booking(
    conn: &DatabaseConnection,
    now: chrono::DateTime<chrono::Utc>,
    actor: Actor,
    id: Uuid,
    changes: BookingChanges,
) -> AppResult<booking::Model> {
    let txn = db::begin_write(conn).await?;
    let current = get_active(&txn, id, "this booking is cancelled: book again instead").await?;
    crate::service::events::refuse_event_booking(current.event_id)?;
    space_tree::lock_for_booking(&txn, current.space_id).await?;
    let mut changed = false;
    let mut update = booking::Entity::update_many()
        .filter(booking::Column::Id.eq(id))
        .filter(booking::Column::Status.eq(current.status.clone()));

    if let Some(Some(n)) = changes.attendees {
        let space = spaces::get_space(&txn, "spaceId", current.space_id).await?;
        attendees("attendees", n, space.capacity)?;
    }
    let old = TimeRange {
        start: current.starts_at,
        end: current.ends_at,
    };
    let range = match (changes.start, changes.end) {
        (None, None) => None,
        (start, end) => Some(TimeRange::new(
            start.unwrap_or(old.start),
            end.unwrap_or(old.end),
            chrono::Duration::days(super::MAX_BOOKING_DAYS),
            "end",
        )?),
    };
    if let Some(range) = range.filter(|r| *r != old) {
        // Priced at the booking's own tier, which already reflects who it is for.
        let wanted = NewBooking {
            space_id: current.space_id,
            range,
            title: Name::parse("title", &current.title)?,
            booker: None,
            tier: Some(PriceTier::from_stored("bookings.tier", &current.tier)?),
            attendees: None,
            notes: None,
            pricing: if current.in_kind_cents.is_some() {
                super::Pricing::FreeLoan
            } else {
                super::Pricing::Rated
            },
        };
        let plan = super::plan(&txn, &wanted, None).await?;
        plan.check_days(actor, now)?;
        blocks::refuse_if_any(
            blocks::conflicts(&txn, &plan.occupies, &plan.wanted(), &[id], plan.tz).await?,
        )?;
        let item = &plan.items[0];
        if current.revenue_id.is_some() && item.price.cents() != current.price_cents {
            return Err(AppError::InvalidState(format!(
                "this booking is paid ({} EUR); at the new time it would cost {} EUR: cancel it \
                 and book again, or keep a time of the same price",
                Money::from_cents(current.price_cents).to_decimal(),
                item.price.to_decimal()
            )));
        }
        blocks::remove(&txn, &[id]).await?;
        if let Err(err) =
            blocks::insert(&txn, blocks::rows(id, &plan.occupies, item.footprint)).await
        {
            if constraints::is(&err, Constraint::BookingOverlap) {
                txn.rollback().await?;
                let conflicts =
                    blocks::conflicts(conn, &plan.occupies, &plan.wanted(), &[id], plan.tz).await?;
                return Err(AppError::BookingConflict(conflicts));
            }
            return Err(err.into());
        }
        changed = true;
        update = update
            .col_expr(booking::Column::StartsAt, Expr::value(range.start))
            .col_expr(booking::Column::EndsAt, Expr::value(range.end))
            .col_expr(booking::Column::PriceCents, Expr::value(item.price.cents()))
            .col_expr(
                booking::Column::InKindCents,
                Expr::value(item.in_kind.map(Money::cents)),
            );
    }
    if let Some(title) = changes.title {
        changed = true;
        update = update.col_expr(booking::Column::Title, Expr::value(title.into_inner()));
    }
    if let Some(attendees) = changes.attendees {
        changed = true;
        update = update.col_expr(booking::Column::Attendees, Expr::value(attendees));
    }
    if let Some(notes) = changes.notes {
        changed = true;
        update = update.col_expr(booking::Column::Notes, Expr::value(notes));
    }
    if !changed {
        return Ok(current);
    }
    if update.exec(&txn).await?.rows_affected != 1 {
        return Err(AppError::InvalidState(
            "this booking was changed by someone else meanwhile; reload it".into(),
        ));
    }
    let updated = get_booking(&txn, id).await?;
    crate::service::audit::changed("Booking", id, &current, &updated);
    crate::service::audit::commit(txn).await?;
    Ok(updated)
}

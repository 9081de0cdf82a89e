//! Bookings and what they book: spaces (their rates and hierarchy), the blocks that keep the
//! no-double-booking rule, prices, free slots, calendar feeds, and the bookings themselves:
//! create one or a series, quote, change, confirm, cancel, mark paid.
//!
//! Every write runs in one transaction. Creating takes a shared lock on the space (PostgreSQL),
//! asks `blocks` what is in the way, and writes the booking with its blocks; the database
//! refuses overlapping blocks by itself, so a concurrent writer that slipped past the question
//! still loses, and gets the same `BOOKING_CONFLICT`.

pub mod availability;
pub mod blocks;
pub mod calendar;
pub mod changes;
mod create;
pub mod gdpr;
mod lifecycle;
pub mod pricing;
pub mod queries;
pub mod space_tree;
pub mod spaces;

use lieu_entity::booking;
use sea_orm::ConnectionTrait;
use uuid::Uuid;

pub use create::{
    MAX_BOOKING_DAYS, NewBooking, Pricing, Quote, create_booking, create_series, quote,
};
pub(crate) use create::{Plan, Spec, plan, rows, write};
pub(crate) use lifecycle::cancel_many;
pub use lifecycle::{cancel, cancel_series, confirm, mark_paid};
pub use pricing::{Rate, Rates};
pub use queries::{BookingFilter, find_booking, list_bookings};

use crate::domain::{BookingStatus, PriceTier, StoredEnum};
use crate::error::{AppError, AppResult};

/// A booking by id, or NOT_FOUND.
pub async fn get_booking(conn: &impl ConnectionTrait, id: Uuid) -> AppResult<booking::Model> {
    find_booking(conn, id)
        .await?
        .ok_or_else(|| AppError::not_found("booking", id))
}

/// A booking that is not cancelled, or NOT_FOUND, or INVALID_STATE with `refusal`.
pub(crate) async fn get_active(
    conn: &impl ConnectionTrait,
    id: Uuid,
    refusal: &str,
) -> AppResult<booking::Model> {
    let current = get_booking(conn, id).await?;
    if current.status == BookingStatus::Cancelled.as_str() {
        return Err(AppError::InvalidState(refusal.to_string()));
    }
    Ok(current)
}

/// The stored status of a booking.
pub fn status_of(model: &booking::Model) -> AppResult<BookingStatus> {
    BookingStatus::from_stored("bookings.status", &model.status)
}

/// The stored tier of a booking.
pub fn tier_of(model: &booking::Model) -> AppResult<PriceTier> {
    PriceTier::from_stored("bookings.tier", &model.tier)
}

#[cfg(test)]
mod tests;

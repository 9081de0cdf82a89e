//! The holder of a booking, a membership or a contact link (a person or an organization), as
//! every area checks and locks it. One seam, so that:
//! - an id that names nobody is `NOT_FOUND` (with the input field), and an erased person is
//!   `INVALID_STATE`, in every area;
//! - every write that concerns a person holds a row lock until it commits (PostgreSQL), so an
//!   erasure of that person waits for it and then clears what it wrote, or runs first and the
//!   write finds the person erased. SQLite's write transactions are serialized anyway.

use lieu_entity::{organization, person};
use sea_orm::{ConnectionTrait, EntityTrait, QuerySelect};
use uuid::Uuid;

use crate::domain::Holder;
use crate::error::{AppError, AppResult};

/// How strongly to hold the holder's row until the transaction ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lock {
    /// `FOR SHARE`: the write only needs the holder to stay (bookings, contact links); writes
    /// for one holder may run side by side.
    Shared,
    /// `FOR UPDATE`: writes for one holder run one after the other (two memberships of one
    /// member must not both pass the overlap check).
    Exclusive,
}

/// The holder's row, locked.
pub enum Locked {
    Person(person::Model),
    Organization(organization::Model),
}

impl Locked {
    /// A resident organization gets the RESIDENT rate.
    pub fn resident(&self) -> bool {
        matches!(self, Self::Organization(o) if o.resident)
    }
}

/// The holder, locked as `lock` says, or NOT_FOUND, or INVALID_STATE for an erased person.
/// `purpose` ends the refusal: "this person's data was erased: they cannot {purpose}".
pub async fn lock(
    conn: &impl ConnectionTrait,
    holder: Holder,
    lock: Lock,
    purpose: &str,
) -> AppResult<Locked> {
    match holder {
        Holder::Person(id) => lock_person(conn, id, lock, purpose)
            .await
            .map(Locked::Person),
        Holder::Organization(id) => {
            let query = organization::Entity::find_by_id(id);
            let query = match lock {
                Lock::Shared => query.lock_shared(),
                Lock::Exclusive => query.lock_exclusive(),
            };
            query
                .one(conn)
                .await?
                .map(Locked::Organization)
                .ok_or_else(|| AppError::unknown("organizationId", "organization", id))
        }
    }
}

/// A person who has not been erased, locked as `lock` says.
pub async fn lock_person(
    conn: &impl ConnectionTrait,
    id: Uuid,
    lock: Lock,
    purpose: &str,
) -> AppResult<person::Model> {
    let query = person::Entity::find_by_id(id);
    let query = match lock {
        Lock::Shared => query.lock_shared(),
        Lock::Exclusive => query.lock_exclusive(),
    };
    let person = query
        .one(conn)
        .await?
        .ok_or_else(|| AppError::unknown("personId", "person", id))?;
    if person.erased_at.is_some() {
        return Err(erased(purpose));
    }
    Ok(person)
}

/// The refusal for an erased person.
pub fn erased(purpose: &str) -> AppError {
    AppError::InvalidState(format!(
        "this person's data was erased: they cannot {purpose}"
    ))
}

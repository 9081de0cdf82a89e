//! Registrations: who comes to an event, with how many seats. A registration is CONFIRMED
//! while its seats fit, else WAITLISTED at the end of the line; freed seats let the line in
//! (`seats::promote`). Check-in at the door is idempotent; a walk-in registers and checks in
//! at once. Every change locks the event's row first (see `seats`).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use lieu_entity::{event, registration};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use super::{payments, seats, status_of};
use crate::db;
use crate::domain::{
    Actor, Email, EventStatus, Money, Name, RegistrationStatus, StoredEnum, new_code,
    normalize_code,
};
use crate::error::{AppError, AppResult};
use crate::service::activity::{ActivityBus, ActivityKind, summary};
use crate::service::holders::{self, Lock};
use crate::service::money;

/// Who registers: the front desk (any event, a known person or a name), or the public (a
/// public event, a name and an email).
#[derive(Clone, Copy, Debug)]
pub enum Registrant {
    Staff(Actor),
    Public,
}

/// A validated registration.
pub struct NewRegistration {
    pub event_id: Uuid,
    pub person_id: Option<Uuid>,
    pub name: Option<Name>,
    pub email: Option<Email>,
    pub seats: i32,
}

pub fn status_of_registration(model: &registration::Model) -> AppResult<RegistrationStatus> {
    RegistrationStatus::from_stored("registrations.status", &model.status)
}

/// The event to register to, locked: scheduled and not over; for the public, public too (a
/// private event does not exist for them).
async fn event_open_to(
    txn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    who: Registrant,
    event_id: Uuid,
) -> AppResult<event::Model> {
    let event = seats::lock_event(txn, Some("eventId"), event_id).await?;
    if matches!(who, Registrant::Public) && !event.public {
        return Err(AppError::unknown("eventId", "event", event_id));
    }
    if status_of(&event)? == EventStatus::Cancelled {
        return Err(AppError::InvalidState(format!(
            "'{}' is cancelled: it takes no registrations",
            event.title
        )));
    }
    if event.ends_at <= now {
        return Err(AppError::InvalidState(format!(
            "'{}' is over: it takes no registrations",
            event.title
        )));
    }
    Ok(event)
}

/// Who the registration is for: a known person (locked, so that an erasure waits), or a name
/// and an email as given.
struct Identity {
    person_id: Option<Uuid>,
    name: String,
    email: Option<String>,
}

async fn identity(
    txn: &impl ConnectionTrait,
    who: Registrant,
    input: &NewRegistration,
) -> AppResult<Identity> {
    if let Some(person_id) = input.person_id {
        if matches!(who, Registrant::Public) {
            return Err(AppError::validation(
                "personId",
                "only the front desk registers a known person; give a name and an email",
            ));
        }
        let person = holders::lock_person(txn, person_id, Lock::Shared, "register").await?;
        let name = match &input.name {
            Some(name) => name.as_str().to_string(),
            None => format!("{} {}", person.first_name, person.last_name),
        };
        let email = input
            .email
            .as_ref()
            .map(|e| e.as_str().to_string())
            .or(person.email);
        return Ok(Identity {
            person_id: Some(person_id),
            name,
            email,
        });
    }
    let name = input.name.as_ref().ok_or_else(|| {
        AppError::validation("name", "give the name of who comes (or a personId)")
    })?;
    if matches!(who, Registrant::Public) && input.email.is_none() {
        return Err(AppError::validation(
            "email",
            "give an email: the confirmation and any change are sent there",
        ));
    }
    Ok(Identity {
        person_id: None,
        name: name.as_str().to_string(),
        email: input.email.as_ref().map(|e| e.as_str().to_string()),
    })
}

/// No second active registration of one person, or one email, to one event. The front desk
/// hears which one it is; the public only that the email is registered (a stranger typing
/// someone's email learns nothing of their registration).
async fn refuse_duplicate(
    txn: &impl ConnectionTrait,
    who: Registrant,
    event_id: Uuid,
    identity: &Identity,
) -> AppResult<()> {
    let email_key = identity.email.as_deref().map(str::to_lowercase);
    let mut query = registration::Entity::find()
        .filter(registration::Column::EventId.eq(event_id))
        .filter(registration::Column::Status.ne(RegistrationStatus::Cancelled.as_str()));
    let mut any = sea_orm::Condition::any();
    if let Some(person_id) = identity.person_id {
        any = any.add(registration::Column::PersonId.eq(person_id));
    }
    if let Some(key) = &email_key {
        any = any.add(registration::Column::EmailKey.eq(key.clone()));
    }
    if identity.person_id.is_none() && email_key.is_none() {
        return Ok(());
    }
    query = query.filter(any);
    if let Some(existing) = query.one(txn).await? {
        let field = if identity.person_id.is_some() && existing.person_id == identity.person_id {
            "personId"
        } else {
            "email"
        };
        let message = match who {
            Registrant::Staff(_) => format!(
                "{} is already registered ({}, code {}): change that registration instead",
                existing.name, existing.status, existing.code
            ),
            Registrant::Public => {
                "this email is already registered to this event; the confirmation says how to change it".into()
            }
        };
        return Err(AppError::validation(field, message));
    }
    Ok(())
}

/// Registers to an event: CONFIRMED while the seats fit, else WAITLISTED at the end of the
/// line.
pub async fn register(
    conn: &DatabaseConnection,
    bus: &ActivityBus,
    now: DateTime<Utc>,
    who: Registrant,
    input: NewRegistration,
) -> AppResult<registration::Model> {
    let txn = db::begin_write(conn).await?;
    let event = event_open_to(&txn, now, who, input.event_id).await?;
    let identity = identity(&txn, who, &input).await?;
    refuse_duplicate(&txn, who, event.id, &identity).await?;
    let fits = seats::seats(&txn, event.id)
        .await?
        .fit(event.capacity, input.seats);
    let position = if fits {
        None
    } else {
        Some(seats::next_position(&txn, event.id).await?)
    };
    let created_by = match who {
        Registrant::Staff(actor) => actor.user_id(),
        Registrant::Public => None,
    };
    let model = row(
        now,
        &event,
        identity,
        input.seats,
        position,
        created_by,
        None,
    )
    .insert(&txn)
    .await?;
    let created = summary::registration(ActivityKind::RegistrationCreated, now, &model, &event);
    crate::service::audit::created("Registration", model.id, &model);
    bus.commit(txn, vec![created]).await?;
    crate::telemetry::metrics::registration_created("register");
    Ok(model)
}

/// Someone at the door: registered and checked in at once while seats remain; INVALID_STATE
/// saying the event is full otherwise (`register` puts them on the waitlist).
pub async fn walk_in(
    conn: &DatabaseConnection,
    bus: &ActivityBus,
    now: DateTime<Utc>,
    actor: Actor,
    input: NewRegistration,
) -> AppResult<registration::Model> {
    let txn = db::begin_write(conn).await?;
    let who = Registrant::Staff(actor);
    let event = event_open_to(&txn, now, who, input.event_id).await?;
    let identity = identity(&txn, who, &input).await?;
    refuse_duplicate(&txn, who, event.id, &identity).await?;
    let taken = seats::seats(&txn, event.id).await?;
    if !taken.fit(event.capacity, input.seats) {
        return Err(AppError::InvalidState(format!(
            "'{}' is full ({} of {} seats taken, {} waiting): register them on the waitlist instead",
            event.title,
            taken.confirmed,
            event.capacity.unwrap_or_default(),
            taken.waitlisted
        )));
    }
    let model = row(
        now,
        &event,
        identity,
        input.seats,
        None,
        actor.user_id(),
        Some(now),
    )
    .insert(&txn)
    .await?;
    let created = summary::registration(ActivityKind::RegistrationCreated, now, &model, &event);
    crate::service::audit::created("Registration", model.id, &model);
    bus.commit(txn, vec![created]).await?;
    crate::telemetry::metrics::registration_created("walk_in");
    Ok(model)
}

fn row(
    now: DateTime<Utc>,
    event: &event::Model,
    identity: Identity,
    seats: i32,
    waitlist_position: Option<i32>,
    created_by: Option<Uuid>,
    checked_in_at: Option<DateTime<Utc>>,
) -> registration::ActiveModel {
    let status = if waitlist_position.is_some() {
        RegistrationStatus::Waitlisted
    } else {
        RegistrationStatus::Confirmed
    };
    registration::ActiveModel {
        id: Set(Uuid::new_v4()),
        event_id: Set(event.id),
        person_id: Set(identity.person_id),
        name: Set(identity.name),
        email_key: Set(identity.email.as_deref().map(str::to_lowercase)),
        email: Set(identity.email),
        seats: Set(seats),
        status: Set(status.as_str().to_string()),
        waitlist_position: Set(waitlist_position),
        code: Set(new_code()),
        checked_in_at: Set(checked_in_at),
        paid_at: Set(None),
        revenue_id: Set(None),
        created_by: Set(created_by),
        created_at: Set(now),
        cancelled_at: Set(None),
    }
}

pub async fn find_registration(
    conn: &impl ConnectionTrait,
    id: Uuid,
) -> AppResult<Option<registration::Model>> {
    Ok(registration::Entity::find_by_id(id).one(conn).await?)
}

pub async fn get_registration(
    conn: &impl ConnectionTrait,
    id: Uuid,
) -> AppResult<registration::Model> {
    find_registration(conn, id)
        .await?
        .ok_or_else(|| AppError::not_found("registration", id))
}

/// A registration and its event, both locked (the event first, as every registration change
/// takes them).
pub(super) async fn lock(
    txn: &impl ConnectionTrait,
    id: Uuid,
) -> AppResult<(event::Model, registration::Model)> {
    let event_id = get_registration(txn, id).await?.event_id;
    let event = seats::lock_event(txn, None, event_id).await?;
    let current = registration::Entity::find_by_id(id)
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or_else(|| AppError::not_found("registration", id))?;
    Ok((event, current))
}

/// Cancels a registration; the seats it held let the waitlist in, in order, and positions
/// close up.
pub async fn cancel_registration(
    conn: &DatabaseConnection,
    bus: &ActivityBus,
    now: DateTime<Utc>,
    actor: Actor,
    id: Uuid,
    refund: Option<bool>,
) -> AppResult<registration::Model> {
    let txn = db::begin_write(conn).await?;
    let (event, current) = lock(&txn, id).await?;
    if status_of_registration(&current)? == RegistrationStatus::Cancelled {
        return Err(AppError::InvalidState(
            "this registration is already cancelled".into(),
        ));
    }
    let paid = payments::paid_of(&txn, &[&current]).await?;
    let total = (!paid.is_empty()).then(|| Money::from_cents(paid.iter().map(|p| p.1).sum()));
    if money::refund_wanted(total, refund, "this registration was")? {
        payments::refund_all(&txn, now, actor, &[id], "inscription annulée").await?;
    }
    let current = get_registration(&txn, id).await?;
    let mut row = current.into_active_model();
    row.status = Set(RegistrationStatus::Cancelled.as_str().to_string());
    row.waitlist_position = Set(None);
    row.cancelled_at = Set(Some(now));
    row.update(&txn).await?;
    seats::promote(&txn, &event).await?;
    let cancelled = get_registration(&txn, id).await?;
    let activity =
        summary::registration(ActivityKind::RegistrationCancelled, now, &cancelled, &event);
    bus.commit(txn, vec![activity]).await?;
    Ok(cancelled)
}

/// Checks a CONFIRMED registration in; a second scan returns the first check-in unchanged.
pub async fn check_in(
    conn: &DatabaseConnection,
    bus: &ActivityBus,
    now: DateTime<Utc>,
    id: Uuid,
) -> AppResult<registration::Model> {
    let txn = db::begin_write(conn).await?;
    let (event, current) = lock(&txn, id).await?;
    if current.checked_in_at.is_some() {
        return Ok(current);
    }
    if status_of(&event)? == EventStatus::Cancelled {
        return Err(AppError::InvalidState(format!(
            "'{}' is cancelled",
            event.title
        )));
    }
    match status_of_registration(&current)? {
        RegistrationStatus::Confirmed => {}
        RegistrationStatus::Waitlisted => {
            return Err(AppError::InvalidState(format!(
                "{} is on the waitlist (position {}): no seat yet",
                current.name,
                current.waitlist_position.unwrap_or_default()
            )));
        }
        RegistrationStatus::Cancelled => {
            return Err(AppError::InvalidState(format!(
                "{}'s registration was cancelled",
                current.name
            )));
        }
    }
    let mut row = current.into_active_model();
    row.checked_in_at = Set(Some(now));
    let checked = row.update(&txn).await?;
    // Only the first check-in is news; the idempotent repeat above publishes nothing.
    let activity = summary::registration(ActivityKind::CheckedIn, now, &checked, &event);
    bus.commit(txn, vec![activity]).await?;
    Ok(checked)
}

/// The registration of `event_id` whose code is `code` (as typed or scanned), checked in.
pub async fn check_in_by_code(
    conn: &DatabaseConnection,
    bus: &ActivityBus,
    now: DateTime<Utc>,
    event_id: Uuid,
    code: &str,
) -> AppResult<registration::Model> {
    let code = normalize_code(code);
    let found = registration::Entity::find()
        .filter(registration::Column::EventId.eq(event_id))
        .filter(registration::Column::Code.eq(code.clone()))
        .one(conn)
        .await?
        .ok_or_else(|| AppError::unknown("code", "registration with code", code))?;
    check_in(conn, bus, now, found.id).await
}

/// Undoes a mistaken check-in.
pub async fn undo_check_in(conn: &DatabaseConnection, id: Uuid) -> AppResult<registration::Model> {
    let txn = db::begin_write(conn).await?;
    let (_, current) = lock(&txn, id).await?;
    if current.checked_in_at.is_none() {
        return Err(AppError::InvalidState(format!(
            "{} is not checked in",
            current.name
        )));
    }
    let mut row = current.into_active_model();
    row.checked_in_at = Set(None);
    let undone = row.update(&txn).await?;
    crate::service::audit::commit(txn).await?;
    Ok(undone)
}

/// Cancels every active registration of these events (the events are being cancelled).
pub async fn cancel_all_of(
    txn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    event_ids: &[Uuid],
) -> AppResult<()> {
    registration::Entity::update_many()
        .col_expr(
            registration::Column::Status,
            Expr::value(RegistrationStatus::Cancelled.as_str()),
        )
        .col_expr(
            registration::Column::WaitlistPosition,
            Expr::value(Option::<i32>::None),
        )
        .col_expr(registration::Column::CancelledAt, Expr::value(now))
        .filter(registration::Column::EventId.is_in(event_ids.iter().copied()))
        .filter(registration::Column::Status.ne(RegistrationStatus::Cancelled.as_str()))
        .exec(txn)
        .await?;
    Ok(())
}

/// Registrations of a person and/or of an event, the latest first.
pub async fn list_registrations(
    conn: &impl ConnectionTrait,
    person_id: Option<Uuid>,
    event_id: Option<Uuid>,
) -> AppResult<Vec<registration::Model>> {
    let mut query = registration::Entity::find();
    if let Some(person_id) = person_id {
        query = query.filter(registration::Column::PersonId.eq(person_id));
    }
    if let Some(event_id) = event_id {
        query = query.filter(registration::Column::EventId.eq(event_id));
    }
    Ok(query
        .order_by_desc(registration::Column::CreatedAt)
        .order_by_asc(registration::Column::Id)
        .limit(2000)
        .all(conn)
        .await?)
}

/// The registrations of several events (cancelled ones too): confirmed first, then the line
/// in order, then cancelled.
pub async fn registrations_of(
    conn: &impl ConnectionTrait,
    event_ids: impl IntoIterator<Item = Uuid>,
) -> AppResult<HashMap<Uuid, Vec<registration::Model>>> {
    let rows = registration::Entity::find()
        .filter(registration::Column::EventId.is_in(event_ids))
        .order_by_asc(registration::Column::CreatedAt)
        .order_by_asc(registration::Column::Id)
        .all(conn)
        .await?;
    let mut out: HashMap<Uuid, Vec<registration::Model>> = HashMap::new();
    for row in rows {
        out.entry(row.event_id).or_default().push(row);
    }
    let rank = |r: &registration::Model| match r.status.as_str() {
        "CONFIRMED" => (0, 0),
        "WAITLISTED" => (1, r.waitlist_position.unwrap_or(i32::MAX)),
        _ => (2, 0),
    };
    for list in out.values_mut() {
        list.sort_by_key(rank);
    }
    Ok(out)
}

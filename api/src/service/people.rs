//! People: the venue's members, visitors, bookers and volunteers. Creation refuses a second
//! person with the same email (naming the first); search is accent- and case-blind; erasure
//! (GDPR) empties every personal field for good and keeps the row as an anonymous placeholder.

use chrono::{DateTime, Datelike, Utc};
use lieu_entity::{
    membership, membership_plan, organization, organization_contact, person, revenue,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait,
    IntoActiveModel, Order, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::db;
use crate::domain::{Email, MembershipStatus, Money, Name, SearchTerms, fold};
use crate::error::{AppError, AppResult};
use crate::graphql::pagination::Window;
use crate::service::memberships;

/// What the last name of an erased person reads as (the first name is empty).
pub const ERASED_LAST_NAME: &str = "(erased)";

/// A validated person, as created by the API or an import.
#[derive(Clone, Debug)]
pub struct NewPerson {
    pub first_name: Name,
    pub last_name: Name,
    pub email: Option<Email>,
    pub phone: Option<String>,
    pub postal_code: Option<String>,
    pub birth_year: Option<i32>,
    pub consent_to_contact: bool,
    pub notes: Option<String>,
}

/// What an update changes; `None` leaves a field as it is, `Some(None)` clears it.
#[derive(Default)]
pub struct PersonChanges {
    pub first_name: Option<Name>,
    pub last_name: Option<Name>,
    pub email: Option<Option<Email>>,
    pub phone: Option<Option<String>>,
    pub postal_code: Option<Option<String>>,
    pub birth_year: Option<Option<i32>>,
    pub consent_to_contact: Option<bool>,
    pub notes: Option<Option<String>>,
}

/// The folded keys stored beside the names: (first_key, last_key, search_text).
pub fn search_keys(first: &str, last: &str, email: Option<&str>) -> (String, String, String) {
    let first_key = fold(first);
    let last_key = fold(last);
    let mut text = format!("{last_key} {first_key}");
    // "N'Diaye", "Le Goff", "Jean-François" fold to several words; people type them as one
    // ("ndiaye", "legoff", "jeanfrancois"), so the joined forms are searchable too.
    for key in [&last_key, &first_key] {
        if key.contains(' ') {
            text.push(' ');
            text.push_str(&key.replace(' ', ""));
        }
    }
    if let Some(email) = email {
        text.push(' ');
        text.push_str(&fold(email));
    }
    (first_key, last_key, text.trim().to_string())
}

/// The row for a new person (not yet inserted).
pub fn new_row(now: DateTime<Utc>, input: NewPerson) -> person::ActiveModel {
    let email = input.email.as_ref().map(|e| e.as_str().to_string());
    let (first_key, last_key, search_text) = search_keys(
        input.first_name.as_str(),
        input.last_name.as_str(),
        email.as_deref(),
    );
    person::ActiveModel {
        id: Set(Uuid::new_v4()),
        first_name: Set(input.first_name.into_inner()),
        last_name: Set(input.last_name.into_inner()),
        email_key: Set(input.email.as_ref().map(Email::key)),
        email: Set(email),
        phone: Set(input.phone),
        postal_code: Set(input.postal_code),
        birth_year: Set(input.birth_year),
        consent_to_contact: Set(input.consent_to_contact),
        consent_given_at: Set(input.consent_to_contact.then_some(now)),
        notes: Set(input.notes),
        first_key: Set(first_key),
        last_key: Set(last_key),
        search_text: Set(search_text),
        erased_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
}

/// The clear error for an email that another person already has: it names that person.
pub fn duplicate_email(existing: &person::Model, email: &str) -> AppError {
    let email = existing.email.as_deref().unwrap_or(email);
    AppError::validation(
        "email",
        format!(
            "{} {} (id {}) already has the email {email}; open that person instead of creating another",
            existing.first_name, existing.last_name, existing.id
        ),
    )
}

pub async fn find_by_email_key(
    conn: &impl ConnectionTrait,
    key: &str,
) -> AppResult<Option<person::Model>> {
    Ok(person::Entity::find()
        .filter(person::Column::EmailKey.eq(key))
        .one(conn)
        .await?)
}

pub async fn create_person(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    input: NewPerson,
) -> AppResult<person::Model> {
    let txn = db::begin_write(conn).await?;
    let email = input.email.clone();
    if let Some(email) = &email
        && let Some(existing) = find_by_email_key(&txn, &email.key()).await?
    {
        return Err(duplicate_email(&existing, email.as_str()));
    }
    let model = new_row(now, input).insert(&txn).await;
    let model = match (model, &email) {
        // Two concurrent creations of one email: the unique index decides.
        (Err(e), Some(email)) if db::is_unique_violation(&e) => {
            drop(txn);
            let existing = find_by_email_key(conn, &email.key()).await?;
            return Err(match existing {
                Some(existing) => duplicate_email(&existing, email.as_str()),
                None => e.into(),
            });
        }
        (result, _) => result?,
    };
    txn.commit().await?;
    Ok(model)
}

/// A person who has not been erased, or NOT_FOUND / INVALID_STATE.
/// The person, locked until the transaction ends (PostgreSQL), unless erased: a change and an
/// erasure of one person run one after the other, never interleaved.
async fn find_live(conn: &impl ConnectionTrait, id: Uuid) -> AppResult<person::Model> {
    let model = person::Entity::find_by_id(id)
        .lock_exclusive()
        .one(conn)
        .await?
        .ok_or_else(|| AppError::not_found("person", id))?;
    if model.erased_at.is_some() {
        return Err(AppError::InvalidState(format!(
            "person {id} was erased: there is nothing left to change"
        )));
    }
    Ok(model)
}

pub async fn update_person(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    id: Uuid,
    changes: PersonChanges,
) -> AppResult<person::Model> {
    let txn = db::begin_write(conn).await?;
    let current = find_live(&txn, id).await?;
    if let Some(Some(email)) = &changes.email
        && let Some(existing) = find_by_email_key(&txn, &email.key()).await?
        && existing.id != id
    {
        return Err(duplicate_email(&existing, email.as_str()));
    }
    let mut first = current.first_name.clone();
    let mut last = current.last_name.clone();
    let mut email = current.email.clone();
    let mut row = current.clone().into_active_model();
    if let Some(name) = changes.first_name {
        first = name.into_inner();
        row.first_name = Set(first.clone());
    }
    if let Some(name) = changes.last_name {
        last = name.into_inner();
        row.last_name = Set(last.clone());
    }
    if let Some(new_email) = changes.email {
        row.email_key = Set(new_email.as_ref().map(Email::key));
        email = new_email.map(|e| e.as_str().to_string());
        row.email = Set(email.clone());
    }
    if let Some(phone) = changes.phone {
        row.phone = Set(phone);
    }
    if let Some(code) = changes.postal_code {
        row.postal_code = Set(code);
    }
    if let Some(year) = changes.birth_year {
        row.birth_year = Set(year);
    }
    if let Some(notes) = changes.notes {
        row.notes = Set(notes);
    }
    if let Some(consent) = changes.consent_to_contact
        && consent != current.consent_to_contact
    {
        // The date is when consent was given; withdrawing it clears the date.
        row.consent_to_contact = Set(consent);
        row.consent_given_at = Set(consent.then_some(now));
    }
    let (first_key, last_key, search_text) = search_keys(&first, &last, email.as_deref());
    row.first_key = Set(first_key);
    row.last_key = Set(last_key);
    row.search_text = Set(search_text);
    row.updated_at = Set(now);
    let model = row.update(&txn).await.map_err(|e| {
        if db::is_unique_violation(&e) {
            AppError::validation("email", "another person already has this email")
        } else {
            e.into()
        }
    })?;
    txn.commit().await?;
    Ok(model)
}

pub async fn find_person(
    conn: &impl ConnectionTrait,
    id: Uuid,
) -> AppResult<Option<person::Model>> {
    Ok(person::Entity::find_by_id(id).one(conn).await?)
}

pub async fn people_by_ids(
    conn: &impl ConnectionTrait,
    ids: &[Uuid],
) -> AppResult<Vec<person::Model>> {
    Ok(person::Entity::find()
        .filter(person::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await?)
}

/// The rank of a match, lower first: last name starts with the word (0), first name does (1),
/// a word of the name or email does (2), the word is inside another word (3); summed over the
/// words of the search.
fn rank_expression(terms: &SearchTerms) -> String {
    terms
        .words()
        .iter()
        .map(|w| {
            // `w` is [a-z0-9]+ (SearchTerms folds it): safe to inline in SQL.
            debug_assert!(w.chars().all(|c| c.is_ascii_alphanumeric()));
            format!(
                "(CASE WHEN last_key LIKE '{w}%' THEN 0 WHEN first_key LIKE '{w}%' THEN 1 \
                 WHEN (' ' || search_text) LIKE '% {w}%' THEN 2 ELSE 3 END)"
            )
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

/// People who have not been erased, matching every word of `search` (accent- and case-blind,
/// anywhere in the first name, last name or email), best matches first, then by name.
/// Returns the page and the number of matches.
pub async fn list_people(
    conn: &DatabaseConnection,
    search: Option<&SearchTerms>,
    window: Window,
) -> AppResult<(Vec<person::Model>, u64)> {
    let mut query = person::Entity::find().filter(person::Column::ErasedAt.is_null());
    let Some(terms) = search else {
        // The whole list walks the (last_key, first_key, id) index; the count is separate.
        let total = query.clone().count(conn).await?;
        let rows = query
            .order_by_asc(person::Column::LastKey)
            .order_by_asc(person::Column::FirstKey)
            .order_by_asc(person::Column::Id)
            .offset(window.offset)
            .limit(window.limit)
            .all(conn)
            .await?;
        return Ok((rows, total));
    };
    for word in terms.words() {
        query = query.filter(person::Column::SearchText.like(format!("%{word}%")));
    }
    // A search reads every match anyway (to rank them): one pass gives the page's ids and the
    // number of matches (`COUNT(*) OVER ()`), then the page's rows are fetched by id. On
    // SQLite, where a search scans the table, this halves the time of a count plus a page.
    let ranked: Vec<(Uuid, i64)> = query
        .clone()
        .select_only()
        .column(person::Column::Id)
        .column_as(Expr::cust("COUNT(*) OVER ()"), "total")
        .order_by(Expr::cust(rank_expression(terms)), Order::Asc)
        .order_by_asc(person::Column::LastKey)
        .order_by_asc(person::Column::FirstKey)
        .order_by_asc(person::Column::Id)
        .offset(window.offset)
        .limit(window.limit)
        .into_tuple()
        .all(conn)
        .await?;
    let total = match ranked.first() {
        Some((_, total)) => u64::try_from(*total).unwrap_or(0),
        None if window.offset == 0 => 0,
        None => query.count(conn).await?,
    };
    if ranked.is_empty() {
        return Ok((Vec::new(), total));
    }
    let ids: Vec<Uuid> = ranked.iter().map(|(id, _)| *id).collect();
    let mut rows = people_by_ids(conn, &ids).await?;
    rows.sort_by_key(|p| ids.iter().position(|id| *id == p.id));
    Ok((rows, total))
}

/// GDPR erasure: names, email, phone, postal code, birth year, consent, notes, the search text
/// and the person's links to organizations are removed for good; the row stays as an anonymous
/// placeholder (`erased_at` set) so that memberships, counts and money totals do not change.
/// Erasing an erased person is INVALID_STATE: the first erasure already removed everything.
///
/// Areas that store more about people (registrations, bookings…) clear it here, in the same
/// transaction.
pub async fn erase_person(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    id: Uuid,
) -> AppResult<()> {
    let txn = db::begin_write(conn).await?;
    // Locked: a change, a booking, a membership or a contact link being made for this person
    // commits first (and is then erased below) or waits and finds the person erased.
    let model = person::Entity::find_by_id(id)
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::not_found("person", id))?;
    if let Some(at) = model.erased_at {
        return Err(AppError::InvalidState(format!(
            "person {id} was already erased on {}",
            at.format("%Y-%m-%d")
        )));
    }
    organization_contact::Entity::delete_many()
        .filter(organization_contact::Column::PersonId.eq(id))
        .exec(&txn)
        .await?;
    super::booking_people::erase(&txn, &model).await?;
    let mut row = model.into_active_model();
    row.first_name = Set(String::new());
    row.last_name = Set(ERASED_LAST_NAME.to_string());
    row.email = Set(None);
    row.email_key = Set(None);
    row.phone = Set(None);
    row.postal_code = Set(None);
    row.birth_year = Set(None);
    row.consent_to_contact = Set(false);
    row.consent_given_at = Set(None);
    row.notes = Set(None);
    row.first_key = Set(String::new());
    row.last_key = Set(String::new());
    row.search_text = Set(String::new());
    row.erased_at = Set(Some(now));
    row.updated_at = Set(now);
    row.update(&txn).await?;
    txn.commit().await?;
    if conn.get_database_backend() == DbBackend::Sqlite {
        // SQLite runs with secure_delete (old cell contents are zeroed); moving the WAL into
        // the database and truncating it leaves no copy of the old row in the WAL file either.
        // Best effort: a busy reader only delays it to the next checkpoint.
        conn.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
            .await
            .ok();
    }
    tracing::info!(person_id = %id, "person erased");
    Ok(())
}

/// Everything held about one person, as JSON (GDPR right of access): the person's fields,
/// their organization links, memberships, the payments recorded for them, and their bookings.
pub async fn export_person(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    id: Uuid,
) -> AppResult<Value> {
    let person = find_person(conn, id)
        .await?
        .ok_or_else(|| AppError::not_found("person", id))?;
    let links = organization_contact::Entity::find()
        .filter(organization_contact::Column::PersonId.eq(id))
        .find_also_related(organization::Entity)
        .all(conn)
        .await?;
    let memberships = membership::Entity::find()
        .filter(membership::Column::PersonId.eq(id))
        .find_also_related(membership_plan::Entity)
        .order_by_asc(membership::Column::StartsOn)
        .all(conn)
        .await?;
    let membership_ids: Vec<Uuid> = memberships.iter().map(|(m, _)| m.id).collect();
    let payments = revenue::Entity::find()
        .filter(revenue::Column::MembershipId.is_in(membership_ids))
        .order_by_asc(revenue::Column::ReceivedOn)
        .all(conn)
        .await?;
    let bookings = super::booking_people::export(conn, id).await?;
    let today = memberships::today(conn, now).await?;
    let money = |cents: i64| Money::from_cents(cents).to_decimal().to_string();
    Ok(json!({
        "exportedAt": now.to_rfc3339(),
        "about": "Everything Lieu holds about this person. Dates are local days of the venue; amounts are EUR.",
        "person": {
            "id": person.id,
            "firstName": person.first_name,
            "lastName": person.last_name,
            "email": person.email,
            "phone": person.phone,
            "postalCode": person.postal_code,
            "birthYear": person.birth_year,
            "consentToContact": person.consent_to_contact,
            "consentGivenAt": person.consent_given_at.map(|t| t.to_rfc3339()),
            "notes": person.notes,
            "createdAt": person.created_at.to_rfc3339(),
            "updatedAt": person.updated_at.to_rfc3339(),
            "erasedAt": person.erased_at.map(|t| t.to_rfc3339()),
        },
        "organizations": links.iter().map(|(link, org)| json!({
            "organizationId": link.organization_id,
            "name": org.as_ref().map(|o| o.name.clone()),
            "role": link.role,
        })).collect::<Vec<_>>(),
        "memberships": memberships.iter().map(|(m, plan)| json!({
            "id": m.id,
            "plan": plan.as_ref().map(|p| p.name.clone()),
            "startsOn": m.starts_on.to_string(),
            "endsOn": m.ends_on.to_string(),
            "amountPaid": money(m.amount_paid_cents),
            "status": memberships::status_name(MembershipStatus::on(today, m.starts_on, m.ends_on, m.cancelled_at.is_some())),
            "cancelledAt": m.cancelled_at.map(|t| t.to_rfc3339()),
            "createdAt": m.created_at.to_rfc3339(),
        })).collect::<Vec<_>>(),
        "payments": payments.iter().map(|r| json!({
            "id": r.id,
            "stream": r.stream,
            "amount": money(r.amount_cents),
            "receivedOn": r.received_on.to_string(),
            "description": r.description,
            "membershipId": r.membership_id,
        })).collect::<Vec<_>>(),
        "bookings": bookings,
    }))
}

/// The current year in UTC, the upper bound of birth years.
pub fn this_year(now: DateTime<Utc>) -> i32 {
    now.year()
}

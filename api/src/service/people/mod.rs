//! People: the venue's members, visitors, bookers and volunteers, and the organizations they
//! belong to. Creation refuses a second person with the same email (naming the first); search
//! is accent- and case-blind; erasure (GDPR, see `gdpr`) empties every personal field for good
//! and keeps the row as an anonymous placeholder.

pub mod gdpr;
pub mod organizations;

use chrono::{DateTime, Datelike, Utc};
use lieu_entity::person;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, Order, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use super::holders::{self, Lock};
use crate::db;
use crate::db::constraints::{self, Constraint};
use crate::domain::{Email, Name, SearchTerms, Window, fold, parse_birth_year};
use crate::error::{AppError, AppResult};

pub use gdpr::ERASED_LAST_NAME;

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

impl NewPerson {
    /// A person known only by name (the other fields empty).
    pub fn named(first_name: Name, last_name: Name) -> Self {
        Self {
            first_name,
            last_name,
            email: None,
            phone: None,
            postal_code: None,
            birth_year: None,
            consent_to_contact: false,
            notes: None,
        }
    }
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
    if let Some(year) = input.birth_year {
        parse_birth_year("birthYear", year, now.year())?;
    }
    let model = new_row(now, input).insert(&txn).await;
    let model = match (model, &email) {
        // Two concurrent creations of one email: the unique index decides.
        (Err(e), Some(email)) if constraints::is(&e, Constraint::PersonEmail) => {
            drop(txn);
            let existing = find_by_email_key(conn, &email.key()).await?;
            return Err(match existing {
                Some(existing) => duplicate_email(&existing, email.as_str()),
                None => e.into(),
            });
        }
        (result, _) => result?,
    };
    crate::service::audit::created("Person", model.id, &model);
    crate::service::audit::commit(txn).await?;
    Ok(model)
}

pub async fn update_person(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    id: Uuid,
    changes: PersonChanges,
) -> AppResult<person::Model> {
    let txn = db::begin_write(conn).await?;
    // Locked: a change and an erasure of one person run one after the other.
    let current = holders::lock_person(&txn, id, Lock::Exclusive, "be changed").await?;
    if let Some(Some(year)) = changes.birth_year {
        parse_birth_year("birthYear", year, now.year())?;
    }
    if let Some(Some(email)) = &changes.email
        && let Some(existing) = find_by_email_key(&txn, &email.key()).await?
        && existing.id != id
    {
        return Err(duplicate_email(&existing, email.as_str()));
    }
    let row = changed_row(&current, changes, now);
    // A concurrent change that took the email meanwhile: the unique index refuses it
    // (Constraint::PersonEmail's own message).
    let model = row.update(&txn).await?;
    crate::service::audit::changed("Person", id, &current, &model);
    crate::service::audit::commit(txn).await?;
    Ok(model)
}

/// `current` with `changes` applied, its search keys and `updated_at` kept in step. The checks
/// that need the database (email in use, the row's lock) are the caller's.
pub fn changed_row(
    current: &person::Model,
    changes: PersonChanges,
    now: DateTime<Utc>,
) -> person::ActiveModel {
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
    row
}

pub async fn find_person(
    conn: &impl ConnectionTrait,
    id: Uuid,
) -> AppResult<Option<person::Model>> {
    Ok(person::Entity::find_by_id(id).one(conn).await?)
}

pub async fn get_person(conn: &impl ConnectionTrait, id: Uuid) -> AppResult<person::Model> {
    find_person(conn, id)
        .await?
        .ok_or_else(|| AppError::not_found("person", id))
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

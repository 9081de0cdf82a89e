//! Organizations (associations, companies, public bodies, collectives) and the people to
//! contact about them. Resident organizations are hosted in the venue: they get the RESIDENT
//! rate when they book.

use chrono::{DateTime, Utc};
use lieu_entity::{organization, organization_contact};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, Order, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use crate::db;
use crate::db::constraints::{self, Constraint};
use crate::domain::{Email, Holder, Name, OrganizationKind, SearchTerms, Window, fold};
use crate::error::{AppError, AppResult};
use crate::service::holders::{self, Lock};

pub struct NewOrganization {
    pub name: Name,
    pub kind: OrganizationKind,
    pub resident: bool,
    pub email: Option<Email>,
    pub phone: Option<String>,
}

/// What an update changes; `None` leaves a field as it is, `Some(None)` clears it.
#[derive(Default)]
pub struct OrganizationChanges {
    pub name: Option<Name>,
    pub kind: Option<OrganizationKind>,
    pub resident: Option<bool>,
    pub email: Option<Option<Email>>,
    pub phone: Option<Option<String>>,
}

/// Two organizations may not share a name (compared without case or accents): imports and
/// the front desk find organizations by name.
async fn check_name_free(
    conn: &impl ConnectionTrait,
    name: &Name,
    except: Option<Uuid>,
) -> AppResult<()> {
    let key = fold(name.as_str());
    if key.is_empty() {
        return Err(AppError::validation(
            "name",
            "must contain letters or digits",
        ));
    }
    let same = organization::Entity::find()
        .filter(organization::Column::SearchText.eq(key))
        .all(conn)
        .await?;
    if let Some(other) = same.into_iter().find(|o| Some(o.id) != except) {
        return Err(AppError::validation(
            "name",
            format!(
                "the organization '{}' (id {}) already has this name",
                other.name, other.id
            ),
        ));
    }
    Ok(())
}

pub async fn create_organization(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    input: NewOrganization,
) -> AppResult<organization::Model> {
    let txn = db::begin_write(conn).await?;
    check_name_free(&txn, &input.name, None).await?;
    let model = organization::ActiveModel {
        id: Set(Uuid::new_v4()),
        search_text: Set(fold(input.name.as_str())),
        name: Set(input.name.into_inner()),
        kind: Set(input.kind.as_str().to_string()),
        resident: Set(input.resident),
        email: Set(input.email.map(|e| e.as_str().to_string())),
        phone: Set(input.phone),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await
    .map_err(name_taken)?;
    crate::service::audit::created("Organization", model.id, &model);
    crate::service::audit::commit(txn).await?;
    Ok(model)
}

/// A concurrent creation or rename took the name between the check and the write: the
/// database's unique index refused it.
fn name_taken(err: sea_orm::DbErr) -> AppError {
    if constraints::is(&err, Constraint::OrganizationName) {
        AppError::validation("name", "another organization has just taken this name")
    } else {
        err.into()
    }
}

pub async fn update_organization(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    id: Uuid,
    changes: OrganizationChanges,
) -> AppResult<organization::Model> {
    let txn = db::begin_write(conn).await?;
    let current = get_organization(&txn, id).await?;
    let mut row = current.clone().into_active_model();
    if let Some(name) = changes.name {
        check_name_free(&txn, &name, Some(id)).await?;
        row.search_text = Set(fold(name.as_str()));
        row.name = Set(name.into_inner());
    }
    if let Some(kind) = changes.kind {
        row.kind = Set(kind.as_str().to_string());
    }
    if let Some(resident) = changes.resident {
        row.resident = Set(resident);
    }
    if let Some(email) = changes.email {
        row.email = Set(email.map(|e| e.as_str().to_string()));
    }
    if let Some(phone) = changes.phone {
        row.phone = Set(phone);
    }
    row.updated_at = Set(now);
    let model = row.update(&txn).await.map_err(name_taken)?;
    crate::service::audit::changed("Organization", id, &current, &model);
    crate::service::audit::commit(txn).await?;
    Ok(model)
}

pub async fn find_organization(
    conn: &impl ConnectionTrait,
    id: Uuid,
) -> AppResult<Option<organization::Model>> {
    Ok(organization::Entity::find_by_id(id).one(conn).await?)
}

pub async fn get_organization(
    conn: &impl ConnectionTrait,
    id: Uuid,
) -> AppResult<organization::Model> {
    find_organization(conn, id)
        .await?
        .ok_or_else(|| AppError::not_found("organization", id))
}

pub async fn organizations_by_ids(
    conn: &impl ConnectionTrait,
    ids: &[Uuid],
) -> AppResult<Vec<organization::Model>> {
    Ok(organization::Entity::find()
        .filter(organization::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await?)
}

/// Organizations matching every word of `search` (accent- and case-blind), names that start
/// with the words first, then by name. Returns the page and the number of matches.
pub async fn list_organizations(
    conn: &DatabaseConnection,
    search: Option<&SearchTerms>,
    window: Window,
) -> AppResult<(Vec<organization::Model>, u64)> {
    let mut query = organization::Entity::find();
    if let Some(terms) = search {
        for word in terms.words() {
            query = query.filter(organization::Column::SearchText.like(format!("%{word}%")));
        }
    }
    let total = query.clone().count(conn).await?;
    if let Some(terms) = search {
        let rank = terms
            .words()
            .iter()
            .map(|w| {
                // `w` is [a-z0-9]+ (SearchTerms folds it): safe to inline in SQL.
                format!(
                    "(CASE WHEN search_text LIKE '{w}%' THEN 0 \
                     WHEN (' ' || search_text) LIKE '% {w}%' THEN 1 ELSE 2 END)"
                )
            })
            .collect::<Vec<_>>()
            .join(" + ");
        query = query.order_by(Expr::cust(rank), Order::Asc);
    }
    let rows = query
        .order_by_asc(organization::Column::SearchText)
        .order_by_asc(organization::Column::Id)
        .offset(window.offset)
        .limit(window.limit)
        .all(conn)
        .await?;
    Ok((rows, total))
}

/// Links a person to an organization as a contact (with a role such as "president"); linking
/// again changes the role.
pub async fn add_contact(
    conn: &DatabaseConnection,
    organization_id: Uuid,
    person_id: Uuid,
    role: Option<String>,
) -> AppResult<organization_contact::Model> {
    let txn = db::begin_write(conn).await?;
    holders::lock(
        &txn,
        Holder::Organization(organization_id),
        Lock::Shared,
        "have contacts",
    )
    .await?;
    // Shared lock: an erasure of this person waits for the link, then removes it.
    holders::lock_person(&txn, person_id, Lock::Shared, "be a contact").await?;
    let existing = organization_contact::Entity::find_by_id((organization_id, person_id))
        .one(&txn)
        .await?;
    let model = match existing {
        Some(link) => {
            let mut row = link.into_active_model();
            row.role = Set(role);
            row.update(&txn).await?
        }
        None => {
            organization_contact::ActiveModel {
                organization_id: Set(organization_id),
                person_id: Set(person_id),
                role: Set(role),
            }
            .insert(&txn)
            .await?
        }
    };
    crate::service::audit::commit(txn).await?;
    Ok(model)
}

/// Removes a contact link; NOT_FOUND when there is none.
pub async fn remove_contact(
    conn: &DatabaseConnection,
    organization_id: Uuid,
    person_id: Uuid,
) -> AppResult<()> {
    let txn = db::begin_write(conn).await?;
    let deleted = organization_contact::Entity::delete_by_id((organization_id, person_id))
        .exec(&txn)
        .await?;
    if deleted.rows_affected == 0 {
        return Err(AppError::not_found(
            "organization contact",
            format!("{organization_id}/{person_id}"),
        ));
    }
    crate::service::audit::commit(txn).await?;
    Ok(())
}

/// Contact links of several organizations, or of several people (one statement).
pub async fn contacts_of(
    conn: &impl ConnectionTrait,
    organization_ids: &[Uuid],
    person_ids: &[Uuid],
) -> AppResult<Vec<organization_contact::Model>> {
    if organization_ids.is_empty() && person_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut query = organization_contact::Entity::find();
    if !organization_ids.is_empty() {
        query = query.filter(
            organization_contact::Column::OrganizationId.is_in(organization_ids.iter().copied()),
        );
    }
    if !person_ids.is_empty() {
        query =
            query.filter(organization_contact::Column::PersonId.is_in(person_ids.iter().copied()));
    }
    Ok(query.all(conn).await?)
}

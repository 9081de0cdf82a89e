//! The sheets about people: volunteer hours, an event's registrations, the members on a day.
//! Being about people, they name them (and the registrations and members sheets give the
//! email, for the door list and the general assembly's convocation); an erased person is
//! never named: their row stays (the counts and the totals hold) with no personal data.

use std::collections::HashMap;

use chrono::NaiveDate;
use indicatif::ProgressBar;
use lieu_entity::{membership, person, volunteer_entry};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::csv::{Cell, Sheet};
use super::{SheetOptions, all_pages, by_chunks, labels};
use crate::domain::{Lang, Money, RegistrationStatus};
use crate::error::{AppError, AppResult};
use crate::service::events::{self, registrations};
use crate::service::memberships::plans;
use crate::service::people::{self, organizations};
use crate::service::{sites, volunteering};

/// The people of `ids`, by id.
async fn people_of(
    conn: &DatabaseConnection,
    ids: &[Uuid],
) -> AppResult<HashMap<Uuid, person::Model>> {
    Ok(by_chunks(ids, |chunk| async move {
        people::people_by_ids(conn, &chunk).await
    })
    .await?
    .into_iter()
    .map(|p| (p.id, p))
    .collect())
}

/// "Anna Commune", or the erased placeholder.
fn full_name(person: Option<&person::Model>, lang: Lang) -> String {
    match person {
        Some(p) if p.erased_at.is_none() => format!("{} {}", p.first_name, p.last_name),
        _ => labels::erased(lang).to_string(),
    }
}

/// Every volunteer entry within the period, valued as `hybridModelReport` values them (each at
/// the rate of its day, rounded on its own): the hours and valuation columns add up to the
/// report's.
pub async fn volunteer_hours(
    conn: &DatabaseConnection,
    period: &crate::service::reports::Period,
    options: SheetOptions,
    progress: &ProgressBar,
) -> AppResult<(Vec<u8>, usize)> {
    let mut query = volunteer_entry::Entity::find()
        .filter(volunteer_entry::Column::Date.gte(period.days.from))
        .filter(volunteer_entry::Column::Date.lte(period.days.to));
    if let Some(site) = period.site_id {
        query = query.filter(volunteer_entry::Column::SiteId.eq(site));
    }
    let query = query
        .order_by_asc(volunteer_entry::Column::Date)
        .order_by_asc(volunteer_entry::Column::CreatedAt)
        .order_by_asc(volunteer_entry::Column::Id);
    let entries = all_pages(conn, query, progress).await?;
    let rates = volunteering::Rates::new(&volunteering::list_rates(conn).await?);
    let person_ids: Vec<Uuid> = entries.iter().map(|e| e.person_id).collect();
    let people = people_of(conn, &person_ids).await?;
    let site_names: HashMap<Uuid, String> = sites::list_sites(conn)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let lang = options.lang;
    let mut sheet = Sheet::new(
        options.format,
        lang,
        &[
            ("Date", "Date"),
            ("Bénévole", "Volunteer"),
            ("Activité", "Activity"),
            ("Heures", "Hours"),
            ("Taux horaire", "Hourly rate"),
            ("Valorisation", "Valuation"),
            ("Site", "Site"),
            ("Note", "Note"),
        ],
    )?;
    for entry in &entries {
        let person = people.get(&entry.person_id);
        let erased = person.is_none_or(|p| p.erased_at.is_some());
        let activity = volunteering::activity_of(entry)?;
        let hours = volunteering::hours_of(entry);
        sheet.row(&[
            Cell::Date(entry.date),
            Cell::text(full_name(person, lang)),
            Cell::text(labels::activity(activity, lang)),
            Cell::Hours(hours),
            Cell::Money(rates.rate_on(entry.date)),
            Cell::Money(rates.value(entry.date, hours)),
            Cell::opt_text(entry.site_id.and_then(|id| site_names.get(&id).cloned())),
            // A note may name the volunteer: gone with them.
            if erased {
                Cell::Empty
            } else {
                Cell::opt_text(entry.note.clone())
            },
        ])?;
    }
    sheet.finish()
}

/// The registrations of one event, cancelled ones included (the door list: confirmed first,
/// then the waiting line in order). VOLUNTEER: the front desk prints it.
pub async fn registrations(
    conn: &DatabaseConnection,
    event_id: Uuid,
    options: SheetOptions,
    progress: &ProgressBar,
) -> AppResult<(Vec<u8>, usize)> {
    let event = events::find_event(conn, event_id)
        .await?
        .ok_or_else(|| AppError::unknown("event", "event", event_id))?;
    let tz = sites::timezone_of(&sites::get_site(conn, event.site_id).await?)?;
    let list = registrations::registrations_of(conn, [event_id])
        .await?
        .remove(&event_id)
        .unwrap_or_default();
    progress.inc_length(list.len() as u64);
    let person_ids: Vec<Uuid> = list.iter().filter_map(|r| r.person_id).collect();
    let people = people_of(conn, &person_ids).await?;
    let lang = options.lang;
    let mut sheet = Sheet::new(
        options.format,
        lang,
        &[
            ("Nom", "Name"),
            ("Email", "Email"),
            ("Places", "Seats"),
            ("Statut", "Status"),
            ("Rang en liste d'attente", "Waitlist position"),
            ("Code", "Code"),
            ("Arrivée", "Checked in at"),
            ("Payé", "Paid"),
            ("Inscription", "Registered at"),
        ],
    )?;
    for r in &list {
        let erased = r
            .person_id
            .is_some_and(|id| people.get(&id).is_none_or(|p| p.erased_at.is_some()))
            || r.name == crate::service::events::gdpr::ERASED_NAME;
        let status = registrations::status_of_registration(r)?;
        let local = |t: chrono::DateTime<chrono::Utc>| t.with_timezone(&tz).naive_local();
        sheet.row(&[
            Cell::text(if erased {
                labels::erased(lang).to_string()
            } else {
                r.name.clone()
            }),
            if erased {
                Cell::Empty
            } else {
                Cell::opt_text(r.email.clone())
            },
            Cell::Int(i64::from(r.seats)),
            Cell::text(labels::registration_status(status, lang)),
            match (status, r.waitlist_position) {
                (RegistrationStatus::Waitlisted, Some(n)) => Cell::Int(i64::from(n)),
                _ => Cell::Empty,
            },
            Cell::text(r.code.clone()),
            r.checked_in_at
                .map_or(Cell::Empty, |t| Cell::DateTime(local(t))),
            Cell::Bool(r.paid_at.is_some()),
            Cell::DateTime(local(r.created_at)),
        ])?;
        progress.inc(1);
    }
    sheet.finish()
}

/// The memberships active on `on` (not cancelled, `starts_on <= on <= ends_on`): who, which
/// plan, the period and what was paid, by name. Memberships belong to the whole venue.
pub async fn members(
    conn: &DatabaseConnection,
    on: NaiveDate,
    options: SheetOptions,
    progress: &ProgressBar,
) -> AppResult<(Vec<u8>, usize)> {
    let query = membership::Entity::find()
        .filter(membership::Column::CancelledAt.is_null())
        .filter(membership::Column::StartsOn.lte(on))
        .filter(membership::Column::EndsOn.gte(on))
        .order_by_asc(membership::Column::StartsOn)
        .order_by_asc(membership::Column::Id);
    let rows = all_pages(conn, query, progress).await?;
    let person_ids: Vec<Uuid> = rows.iter().filter_map(|m| m.person_id).collect();
    let org_ids: Vec<Uuid> = rows.iter().filter_map(|m| m.organization_id).collect();
    let plan_ids: Vec<Uuid> = rows.iter().map(|m| m.plan_id).collect();
    let people = people_of(conn, &person_ids).await?;
    let orgs: HashMap<Uuid, lieu_entity::organization::Model> =
        by_chunks(&org_ids, |c| async move {
            organizations::organizations_by_ids(conn, &c).await
        })
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let plans: HashMap<Uuid, String> =
        by_chunks(
            &plan_ids,
            |c| async move { plans::plans_by_ids(conn, &c).await },
        )
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let lang = options.lang;
    // (kind, last name or organization, first name, email) of each membership.
    let mut listed: Vec<(&membership::Model, [Cell; 4], String)> = rows
        .iter()
        .map(|m| {
            let (cells, key) = match (m.person_id, m.organization_id) {
                (Some(id), _) => match people.get(&id).filter(|p| p.erased_at.is_none()) {
                    Some(p) => (
                        [
                            Cell::text(lang.pick("Personne", "Person")),
                            Cell::text(p.last_name.clone()),
                            Cell::text(p.first_name.clone()),
                            Cell::opt_text(p.email.clone()),
                        ],
                        format!("{} {}", p.last_key, p.first_key),
                    ),
                    None => (
                        [
                            Cell::text(lang.pick("Personne", "Person")),
                            Cell::text(labels::erased(lang)),
                            Cell::Empty,
                            Cell::Empty,
                        ],
                        "~".to_string(),
                    ),
                },
                (None, Some(id)) => {
                    let org = orgs.get(&id);
                    (
                        [
                            Cell::text(lang.pick("Organisation", "Organization")),
                            Cell::opt_text(org.map(|o| o.name.clone())),
                            Cell::Empty,
                            Cell::opt_text(org.and_then(|o| o.email.clone())),
                        ],
                        org.map(|o| o.search_text.clone()).unwrap_or_default(),
                    )
                }
                (None, None) => (
                    [Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty],
                    String::new(),
                ),
            };
            (m, cells, key)
        })
        .collect();
    // By name, as a list of members is read; erased people last.
    listed.sort_by(|a, b| a.2.cmp(&b.2));
    let mut sheet = Sheet::new(
        options.format,
        lang,
        &[
            ("Type", "Kind"),
            ("Nom", "Last name or organization"),
            ("Prénom", "First name"),
            ("Email", "Email"),
            ("Formule", "Plan"),
            ("Début", "Starts on"),
            ("Fin", "Ends on"),
            ("Montant payé", "Amount paid"),
            ("Identifiant de l'adhésion", "Membership id"),
        ],
    )?;
    for (m, [kind, name, first, email], _) in listed {
        sheet.row(&[
            kind,
            name,
            first,
            email,
            Cell::opt_text(plans.get(&m.plan_id).cloned()),
            Cell::Date(m.starts_on),
            Cell::Date(m.ends_on),
            Cell::Money(Money::from_cents(m.amount_paid_cents)),
            Cell::text(m.id.to_string()),
        ])?;
    }
    sheet.finish()
}

//! Volunteer hours and what they are worth. A volunteer logs and reads their own hours (their
//! staff account is linked to their person); a MANAGER logs, corrects and deletes anyone's.
//! Each entry is valued at the rate in force on its day (the latest `effectiveFrom` on or
//! before it; none: zero), set by an ADMIN: the SMIC horaire brut is the common practice.

use std::collections::BTreeMap;

use chrono::{DateTime, Months, NaiveDate, Utc};
use lieu_entity::{staff_person, volunteer_entry, volunteer_rate};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use crate::db;
use crate::domain::{Actor, DayRange, Hours, Money, Role, StoredEnum, VolunteerActivity};
use crate::error::{AppError, AppResult};
use crate::service::holders::{self, Lock};
use crate::service::sites;

/// A validated entry.
pub struct NewEntry {
    pub person_id: Uuid,
    pub date: NaiveDate,
    pub hours: Hours,
    pub activity: VolunteerActivity,
    pub note: Option<String>,
    pub site_id: Option<Uuid>,
}

/// What a correction changes; `None` leaves a field as it is.
#[derive(Default)]
pub struct EntryChanges {
    pub date: Option<NaiveDate>,
    pub hours: Option<Hours>,
    pub activity: Option<VolunteerActivity>,
    /// `Some(None)` clears it.
    pub note: Option<Option<String>>,
}

pub fn activity_of(model: &volunteer_entry::Model) -> AppResult<VolunteerActivity> {
    VolunteerActivity::from_stored("volunteer_entries.activity", &model.activity)
}

pub fn hours_of(model: &volunteer_entry::Model) -> Hours {
    Hours::from_centi(model.hours_centi)
}

/// The person a staff account is linked to, if any.
pub async fn person_of(conn: &impl ConnectionTrait, user_id: Uuid) -> AppResult<Option<Uuid>> {
    Ok(staff_person::Entity::find_by_id(user_id)
        .one(conn)
        .await?
        .map(|link| link.person_id))
}

/// Links a staff account to the person it is (one person per account, one account per
/// person); linking again replaces the link. ADMIN.
pub async fn link_staff(
    conn: &DatabaseConnection,
    user_id: Uuid,
    person_id: Uuid,
) -> AppResult<staff_person::Model> {
    let txn = db::begin_write(conn).await?;
    lieu_entity::user::Entity::find_by_id(user_id)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::unknown("userId", "user", user_id))?;
    holders::lock_person(&txn, person_id, Lock::Shared, "be a staff member").await?;
    if let Some(other) = staff_person::Entity::find()
        .filter(staff_person::Column::PersonId.eq(person_id))
        .one(&txn)
        .await?
        && other.user_id != user_id
    {
        return Err(AppError::validation(
            "personId",
            format!(
                "this person is already linked to the account {}",
                other.user_id
            ),
        ));
    }
    staff_person::Entity::delete_by_id(user_id)
        .exec(&txn)
        .await?;
    let model = staff_person::ActiveModel {
        user_id: Set(user_id),
        person_id: Set(person_id),
    }
    .insert(&txn)
    .await?;
    crate::service::audit::commit(txn).await?;
    Ok(model)
}

/// Who may write or read `person_id`'s hours: a MANAGER anyone's, a VOLUNTEER their own.
async fn check_own(conn: &impl ConnectionTrait, actor: Actor, person_id: Uuid) -> AppResult<()> {
    whose(conn, actor, Some(person_id)).await.map(drop)
}

/// A day of volunteering: not in the future, and for a VOLUNTEER not more than a year back
/// (most likely a typo; a manager may record an old one).
async fn check_day(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    actor: Actor,
    date: NaiveDate,
) -> AppResult<()> {
    let today = sites::today(conn, now).await?;
    if date > today {
        return Err(AppError::validation(
            "date",
            format!("{date} has not come yet: log hours once they are given"),
        ));
    }
    if !actor.is_at_least(Role::Manager) && date < today - Months::new(12) {
        return Err(AppError::validation(
            "date",
            format!("{date} is more than a year back: check the year; a manager can record it"),
        ));
    }
    Ok(())
}

pub async fn log_hours(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    actor: Actor,
    input: NewEntry,
) -> AppResult<volunteer_entry::Model> {
    let txn = db::begin_write(conn).await?;
    check_own(&txn, actor, input.person_id).await?;
    check_day(&txn, now, actor, input.date).await?;
    // Shared lock: an erasure of this person waits for the entry (which keeps the hours).
    holders::lock_person(&txn, input.person_id, Lock::Shared, "log hours").await?;
    if let Some(site) = input.site_id {
        sites::find_site(&txn, site)
            .await?
            .ok_or_else(|| AppError::unknown("siteId", "site", site))?;
    }
    let model = volunteer_entry::ActiveModel {
        id: Set(Uuid::new_v4()),
        person_id: Set(input.person_id),
        site_id: Set(input.site_id),
        date: Set(input.date),
        hours_centi: Set(input.hours.centi()),
        activity: Set(input.activity.as_str().to_string()),
        note: Set(input.note),
        created_by: Set(actor.user_id()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    crate::service::audit::created("VolunteerEntry", model.id, &model);
    crate::service::audit::commit(txn).await?;
    Ok(model)
}

async fn lock_entry(
    txn: &impl ConnectionTrait,
    actor: Actor,
    id: Uuid,
) -> AppResult<volunteer_entry::Model> {
    let entry = volunteer_entry::Entity::find_by_id(id)
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or_else(|| AppError::not_found("volunteer entry", id))?;
    check_own(txn, actor, entry.person_id).await?;
    Ok(entry)
}

/// Corrects an entry: a MANAGER any, a VOLUNTEER their own.
pub async fn update_entry(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    actor: Actor,
    id: Uuid,
    changes: EntryChanges,
) -> AppResult<volunteer_entry::Model> {
    let txn = db::begin_write(conn).await?;
    let current = lock_entry(&txn, actor, id).await?;
    if let Some(date) = changes.date {
        check_day(&txn, now, actor, date).await?;
    }
    let mut row = current.into_active_model();
    if let Some(date) = changes.date {
        row.date = Set(date);
    }
    if let Some(hours) = changes.hours {
        row.hours_centi = Set(hours.centi());
    }
    if let Some(activity) = changes.activity {
        row.activity = Set(activity.as_str().to_string());
    }
    if let Some(note) = changes.note {
        row.note = Set(note);
    }
    row.updated_at = Set(now);
    let model = row.update(&txn).await?;
    crate::service::audit::commit(txn).await?;
    Ok(model)
}

/// Deletes a mistaken entry: a MANAGER any, a VOLUNTEER their own.
pub async fn delete_entry(conn: &DatabaseConnection, actor: Actor, id: Uuid) -> AppResult<()> {
    let txn = db::begin_write(conn).await?;
    lock_entry(&txn, actor, id).await?;
    volunteer_entry::Entity::delete_by_id(id).exec(&txn).await?;
    crate::service::audit::commit(txn).await?;
    Ok(())
}

/// Whose hours `actor` may log or read when asking for `person_id` (None: everyone's): a
/// VOLUNTEER their own only (their account linked to their person; anyone else's is
/// FORBIDDEN), staff above anyone's.
async fn whose(
    conn: &impl ConnectionTrait,
    actor: Actor,
    person_id: Option<Uuid>,
) -> AppResult<Option<Uuid>> {
    if actor.is_at_least(Role::Manager) {
        return Ok(person_id);
    }
    let Actor::Staff { user_id, .. } = actor else {
        // A VOLUNTEER key is a tool, not a person: it has no hours of its own.
        return Err(AppError::Forbidden(
            "an API key has no hours of its own: a VOLUNTEER key cannot log or read volunteer hours; use a MANAGER key".into(),
        ));
    };
    let own = person_of(conn, user_id).await?.ok_or_else(|| {
        AppError::Forbidden(
            "your account is not linked to a person yet: ask an admin (linkStaffToPerson)".into(),
        )
    })?;
    if person_id.is_some_and(|wanted| wanted != own) {
        return Err(AppError::Forbidden(
            "a volunteer logs and reads their own hours; a manager does it for others".into(),
        ));
    }
    Ok(Some(own))
}

/// Entries within `days`, by day, at most `limit`; a VOLUNTEER sees their own only.
pub async fn list_entries(
    conn: &DatabaseConnection,
    actor: Actor,
    days: DayRange,
    person_id: Option<Uuid>,
    limit: u64,
) -> AppResult<Vec<volunteer_entry::Model>> {
    let person_id = whose(conn, actor, person_id).await?;
    let mut query = volunteer_entry::Entity::find()
        .filter(volunteer_entry::Column::Date.gte(days.from))
        .filter(volunteer_entry::Column::Date.lte(days.to));
    if let Some(person) = person_id {
        query = query.filter(volunteer_entry::Column::PersonId.eq(person));
    }
    Ok(query
        .order_by_asc(volunteer_entry::Column::Date)
        .order_by_asc(volunteer_entry::Column::CreatedAt)
        .limit(limit)
        .all(conn)
        .await?)
}

/// Entries of one day and one length, counted: (day, hundredths of an hour, entries).
pub type Lengths = Vec<(NaiveDate, i64, i64)>;

/// The entries within `days` (of one site, of one person, when given) grouped by day and
/// length: what valuing each entry on its own needs, in rows that do not grow with the
/// entries.
pub async fn lengths(
    conn: &impl ConnectionTrait,
    days: DayRange,
    site_id: Option<Uuid>,
    person_id: Option<Uuid>,
) -> AppResult<Lengths> {
    let mut query = volunteer_entry::Entity::find()
        .select_only()
        .column(volunteer_entry::Column::Date)
        .column(volunteer_entry::Column::HoursCenti)
        .column_as(sea_orm::sea_query::Expr::cust("COUNT(*)"), "entries")
        .filter(volunteer_entry::Column::Date.gte(days.from))
        .filter(volunteer_entry::Column::Date.lte(days.to));
    if let Some(site) = site_id {
        query = query.filter(volunteer_entry::Column::SiteId.eq(site));
    }
    if let Some(person) = person_id {
        query = query.filter(volunteer_entry::Column::PersonId.eq(person));
    }
    Ok(query
        .group_by(volunteer_entry::Column::Date)
        .group_by(volunteer_entry::Column::HoursCenti)
        .into_tuple()
        .all(conn)
        .await?)
}

/// Hours and their valuation per person, per activity and per month.
#[derive(Debug, Default, PartialEq)]
pub struct Totals {
    pub hours: Hours,
    pub valuation: Money,
    /// (person, hours, entries), the most hours first.
    pub by_person: Vec<(Uuid, Hours, i64)>,
    /// In the order of [`VolunteerActivity::ALL`]; activities without hours left out.
    pub by_activity: Vec<(VolunteerActivity, Hours)>,
    /// (`YYYY-MM`, hours, valuation), every month of the period.
    pub by_month: Vec<(String, Hours, Money)>,
}

/// The totals of the entries within `days` (a VOLUNTEER: their own): three statements
/// whatever the number of entries, plus the rates.
pub async fn totals(
    conn: &DatabaseConnection,
    actor: Actor,
    days: DayRange,
    person_id: Option<Uuid>,
) -> AppResult<Totals> {
    use crate::service::reports::{month_of, months_of, sum_bigint};
    let person_id = whose(conn, actor, person_id).await?;
    let scoped = || {
        let mut query = volunteer_entry::Entity::find()
            .select_only()
            .filter(volunteer_entry::Column::Date.gte(days.from))
            .filter(volunteer_entry::Column::Date.lte(days.to));
        if let Some(person) = person_id {
            query = query.filter(volunteer_entry::Column::PersonId.eq(person));
        }
        query
    };
    let people: Vec<(Uuid, i64, i64)> = scoped()
        .column(volunteer_entry::Column::PersonId)
        .column_as(sum_bigint("hours_centi"), "centi")
        .column_as(sea_orm::sea_query::Expr::cust("COUNT(*)"), "entries")
        .group_by(volunteer_entry::Column::PersonId)
        .into_tuple()
        .all(conn)
        .await?;
    let activities: Vec<(String, i64)> = scoped()
        .column(volunteer_entry::Column::Activity)
        .column_as(sum_bigint("hours_centi"), "centi")
        .group_by(volunteer_entry::Column::Activity)
        .into_tuple()
        .all(conn)
        .await?;
    let lengths = lengths(conn, days, None, person_id).await?;
    let rates = Rates::new(&list_rates(conn).await?);

    let mut by_person: Vec<(Uuid, Hours, i64)> = people
        .into_iter()
        .map(|(person, centi, entries)| (person, Hours::from_centi(centi), entries))
        .collect();
    by_person.sort_by(|a, b| b.1.centi().cmp(&a.1.centi()).then(a.0.cmp(&b.0)));
    let mut by_activity = activities
        .into_iter()
        .map(|(activity, centi)| {
            let activity = VolunteerActivity::from_stored("volunteer_entries.activity", &activity)?;
            Ok((activity, Hours::from_centi(centi)))
        })
        .collect::<AppResult<Vec<_>>>()?;
    by_activity.sort_by_key(|(a, _)| VolunteerActivity::ALL.iter().position(|x| x == a));
    let mut months: BTreeMap<String, (Hours, Money)> = months_of(days)
        .into_iter()
        .map(|m| (m, (Hours::ZERO, Money::ZERO)))
        .collect();
    let mut totals = Totals::default();
    for (day, centi, entries) in lengths {
        let all = Hours::from_centi(centi * entries);
        let worth = rates.value_many(day, Hours::from_centi(centi), entries);
        let month = months
            .entry(month_of(day))
            .or_insert((Hours::ZERO, Money::ZERO));
        month.0 = month.0 + all;
        month.1 = Money::from_cents(month.1.cents() + worth.cents());
        totals.hours = totals.hours + all;
        totals.valuation = Money::from_cents(totals.valuation.cents() + worth.cents());
    }
    totals.by_person = by_person;
    totals.by_activity = by_activity;
    totals.by_month = months.into_iter().map(|(m, (h, v))| (m, h, v)).collect();
    Ok(totals)
}

/// Sets the rate in force from `effective_from` (replacing one set for that very day). ADMIN.
pub async fn set_rate(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    effective_from: NaiveDate,
    hourly: Money,
) -> AppResult<volunteer_rate::Model> {
    let txn = db::begin_write(conn).await?;
    volunteer_rate::Entity::delete_by_id(effective_from)
        .exec(&txn)
        .await?;
    let model = volunteer_rate::ActiveModel {
        effective_from: Set(effective_from),
        hourly_cents: Set(hourly.cents()),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;
    crate::service::audit::commit(txn).await?;
    Ok(model)
}

/// Every rate, the oldest first.
pub async fn list_rates(conn: &impl ConnectionTrait) -> AppResult<Vec<volunteer_rate::Model>> {
    Ok(volunteer_rate::Entity::find()
        .order_by_asc(volunteer_rate::Column::EffectiveFrom)
        .all(conn)
        .await?)
}

/// The rates as a schedule: `rate_on(day)` is the one in force that day.
pub struct Rates(BTreeMap<NaiveDate, Money>);

impl Rates {
    pub fn new(rows: &[volunteer_rate::Model]) -> Self {
        Self(
            rows.iter()
                .map(|r| (r.effective_from, Money::from_cents(r.hourly_cents)))
                .collect(),
        )
    }

    /// The rate whose `effectiveFrom` is the latest on or before `day`; none: zero.
    pub fn rate_on(&self, day: NaiveDate) -> Money {
        self.0
            .range(..=day)
            .next_back()
            .map_or(Money::ZERO, |(_, rate)| *rate)
    }

    /// What `hours` given on `day` are worth.
    pub fn value(&self, day: NaiveDate, hours: Hours) -> Money {
        hours.value_at(self.rate_on(day))
    }

    /// What `entries` entries of `each` hours on `day` are worth: each valued and rounded on
    /// its own, like `VolunteerEntry.valuation`, so that the totals are the sum of the lines.
    pub fn value_many(&self, day: NaiveDate, each: Hours, entries: i64) -> Money {
        Money::from_cents(self.value(day, each).cents() * entries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn each_entry_is_valued_at_the_rate_of_its_day() {
        let rows = [
            volunteer_rate::Model {
                effective_from: d("2025-01-01"),
                hourly_cents: 1183,
                created_at: Utc::now(),
            },
            volunteer_rate::Model {
                effective_from: d("2025-11-01"),
                hourly_cents: 1188,
                created_at: Utc::now(),
            },
        ];
        let rates = Rates::new(&rows);
        assert_eq!(rates.rate_on(d("2024-12-31")), Money::ZERO);
        assert_eq!(rates.rate_on(d("2025-10-31")), Money::from_cents(1183));
        assert_eq!(rates.rate_on(d("2025-11-01")), Money::from_cents(1188));
        assert_eq!(
            rates.value(d("2025-10-31"), Hours::from_centi(300)),
            Money::from_cents(3549)
        );
    }
}

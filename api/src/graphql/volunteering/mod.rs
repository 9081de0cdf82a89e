//! Volunteer hours: a VOLUNTEER logs and reads their own (their account linked to their
//! person), staff log anyone's; an ADMIN sets the dated valuation rates.

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use lieu_entity::{volunteer_entry, volunteer_rate};

use crate::auth::guard::{Permission, Require};
use crate::domain::{Hours, Money, optional_text, parse_id, received_amount};
use crate::error::{AppError, AppResult};
use crate::graphql::context::ContextExt;
use crate::graphql::inputs::optional_id;
use crate::graphql::loaders::{PersonKey, existing};
use crate::graphql::money::days;
use crate::graphql::people::Person;
use crate::graphql::scalars::{Date, Decimal};
use crate::service::volunteering::{self as service, EntryChanges, NewEntry};

/// The longest note of an entry.
const NOTE_MAX: usize = 1000;
/// The most entries one `volunteerEntries` answer holds.
const ENTRIES_MAX: u64 = 10_000;

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "crate::domain::VolunteerActivity")]
pub enum VolunteerActivity {
    FrontDesk,
    Events,
    Maintenance,
    Garden,
    Cafe,
    Admin,
    Communication,
    Other,
}

pub struct VolunteerEntry(pub volunteer_entry::Model);

#[Object]
impl VolunteerEntry {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn person(&self, ctx: &Context<'_>) -> AppResult<Person> {
        let id = self.0.person_id;
        let row = ctx.loaders()?.people.load_one(PersonKey(id)).await?;
        Ok(existing(row, "person", id)?.into())
    }

    /// The local day the hours were given.
    async fn date(&self) -> Date {
        Date(self.0.date)
    }

    async fn hours(&self) -> Decimal {
        service::hours_of(&self.0).to_decimal().into()
    }

    async fn activity(&self) -> AppResult<VolunteerActivity> {
        Ok(service::activity_of(&self.0)?.into())
    }

    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }

    /// The hours at the rate in force on `date` (EUR, rounded to the cent).
    async fn valuation(&self, ctx: &Context<'_>) -> AppResult<Decimal> {
        let rates = ctx.loaders()?.volunteer_rates().await?;
        Ok(rates.value(self.0.date, service::hours_of(&self.0)).into())
    }
}

pub struct VolunteerRate(pub volunteer_rate::Model);

#[Object]
impl VolunteerRate {
    async fn effective_from(&self) -> Date {
        Date(self.0.effective_from)
    }

    /// EUR per hour.
    async fn hourly(&self) -> Decimal {
        Money::from_cents(self.0.hourly_cents).into()
    }
}

#[derive(SimpleObject)]
pub struct PersonHours {
    pub person: Person,
    pub hours: Decimal,
    pub entries: i64,
}

#[derive(SimpleObject)]
pub struct ActivityHours {
    pub activity: VolunteerActivity,
    pub hours: Decimal,
}

#[derive(SimpleObject)]
pub struct MonthHours {
    /// `YYYY-MM`.
    pub month: String,
    pub hours: Decimal,
    pub valuation: Decimal,
}

/// Hours and their valuation over a period.
#[derive(SimpleObject)]
pub struct VolunteerTotals {
    pub hours: Decimal,
    pub valuation: Decimal,
    /// The most hours first.
    pub by_person: Vec<PersonHours>,
    pub by_activity: Vec<ActivityHours>,
    /// Every month of the period, in order.
    pub by_month: Vec<MonthHours>,
}

fn hours(h: Hours) -> Decimal {
    h.to_decimal().into()
}

#[derive(InputObject)]
pub struct LogVolunteerHoursInput {
    pub person_id: ID,
    /// The local day the hours were given (not in the future).
    pub date: Date,
    /// Above 0, at most 24, at most two decimals (1.5 = an hour and a half).
    pub hours: Decimal,
    pub activity: VolunteerActivity,
    pub note: Option<String>,
    /// Where the hours were given; none for the whole venue.
    pub site_id: Option<ID>,
}

impl TryFrom<LogVolunteerHoursInput> for NewEntry {
    type Error = AppError;

    fn try_from(input: LogVolunteerHoursInput) -> AppResult<Self> {
        Ok(Self {
            person_id: parse_id("personId", &input.person_id)?,
            date: input.date.0,
            hours: Hours::parse("hours", input.hours.0)?,
            activity: input.activity.into(),
            note: optional_text("note", input.note.as_deref(), NOTE_MAX)?,
            site_id: optional_id("siteId", input.site_id.as_ref())?,
        })
    }
}

#[derive(InputObject)]
pub struct UpdateVolunteerEntryInput {
    pub date: Option<Date>,
    pub hours: Option<Decimal>,
    pub activity: Option<VolunteerActivity>,
    /// A new note; an empty string clears it.
    pub note: Option<String>,
}

impl TryFrom<UpdateVolunteerEntryInput> for EntryChanges {
    type Error = AppError;

    fn try_from(input: UpdateVolunteerEntryInput) -> AppResult<Self> {
        Ok(Self {
            date: input.date.map(|d| d.0),
            hours: input
                .hours
                .map(|h| Hours::parse("hours", h.0))
                .transpose()?,
            activity: input.activity.map(Into::into),
            note: match input.note {
                Some(note) => Some(optional_text("note", Some(&note), NOTE_MAX)?),
                None => None,
            },
        })
    }
}

#[derive(Default)]
pub struct VolunteerQuery;

#[Object]
impl VolunteerQuery {
    /// Entries within `[from, to]` (local days), by day; of one person when asked. A
    /// VOLUNTEER reads their own only. VOLUNTEER and above.
    #[graphql(guard = "Require(Permission::FrontDesk)")]
    async fn volunteer_entries(
        &self,
        ctx: &Context<'_>,
        from: Date,
        to: Date,
        person_id: Option<ID>,
    ) -> AppResult<Vec<VolunteerEntry>> {
        let days = days(from, to)?;
        let person = optional_id("personId", person_id.as_ref())?;
        let db = &ctx.state()?.db;
        let rows = service::list_entries(db, ctx.actor()?, days, person, ENTRIES_MAX + 1).await?;
        if rows.len() as u64 > ENTRIES_MAX {
            return Err(AppError::validation(
                "to",
                format!("more than {ENTRIES_MAX} entries: ask for a shorter period or one person"),
            ));
        }
        Ok(rows.into_iter().map(VolunteerEntry).collect())
    }

    /// Hours and valuation within `[from, to]` per person, activity and month (a
    /// VOLUNTEER: their own). VOLUNTEER and above.
    #[graphql(guard = "Require(Permission::FrontDesk)")]
    async fn volunteer_totals(
        &self,
        ctx: &Context<'_>,
        from: Date,
        to: Date,
        person_id: Option<ID>,
    ) -> AppResult<VolunteerTotals> {
        let days = days(from, to)?;
        let person = optional_id("personId", person_id.as_ref())?;
        let totals = service::totals(&ctx.state()?.db, ctx.actor()?, days, person).await?;
        VolunteerTotals::load(ctx, totals).await
    }

    /// The valuation rates, the oldest first. VOLUNTEER and above (a volunteer sees what
    /// their hours are worth).
    #[graphql(guard = "Require(Permission::ReadOperations)")]
    async fn volunteer_rates(&self, ctx: &Context<'_>) -> AppResult<Vec<VolunteerRate>> {
        let rows = service::list_rates(&ctx.state()?.db).await?;
        Ok(rows.into_iter().map(VolunteerRate).collect())
    }
}

#[derive(Default)]
pub struct VolunteerMutation;

#[Object]
impl VolunteerMutation {
    /// Logs hours given: a VOLUNTEER their own, staff above anyone's. VOLUNTEER and above.
    #[graphql(guard = "Require(Permission::FrontDesk)")]
    async fn log_volunteer_hours(
        &self,
        ctx: &Context<'_>,
        input: LogVolunteerHoursInput,
    ) -> AppResult<VolunteerEntry> {
        let input = NewEntry::try_from(input)?;
        let state = ctx.state()?;
        let entry = service::log_hours(&state.db, state.clock.now(), ctx.actor()?, input);
        Ok(VolunteerEntry(entry.await?))
    }

    /// Corrects an entry: a VOLUNTEER their own, a MANAGER anyone's.
    #[graphql(guard = "Require(Permission::FrontDesk)")]
    async fn update_volunteer_entry(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: UpdateVolunteerEntryInput,
    ) -> AppResult<VolunteerEntry> {
        let id = parse_id("id", &id)?;
        let changes = EntryChanges::try_from(input)?;
        let state = ctx.state()?;
        let entry = service::update_entry(&state.db, state.clock.now(), ctx.actor()?, id, changes);
        Ok(VolunteerEntry(entry.await?))
    }

    /// Deletes a mistaken entry (returns its id): a VOLUNTEER their own, a MANAGER anyone's.
    #[graphql(guard = "Require(Permission::FrontDesk)")]
    async fn delete_volunteer_entry(&self, ctx: &Context<'_>, id: ID) -> AppResult<ID> {
        let uuid = parse_id("id", &id)?;
        service::delete_entry(&ctx.state()?.db, ctx.actor()?, uuid).await?;
        Ok(id)
    }

    /// The hourly value of volunteer time from `effectiveFrom` on (replaces a rate set for
    /// that very day). The common practice is the SMIC horaire brut. ADMIN.
    #[graphql(guard = "Require(Permission::Administer)")]
    async fn set_volunteer_rate(
        &self,
        ctx: &Context<'_>,
        effective_from: Date,
        hourly: Decimal,
    ) -> AppResult<VolunteerRate> {
        let hourly = received_amount("hourly", hourly.0)?;
        let state = ctx.state()?;
        let rate = service::set_rate(&state.db, state.clock.now(), effective_from.0, hourly);
        Ok(VolunteerRate(rate.await?))
    }

    /// Links a staff account to the person it is, so that a VOLUNTEER logs and reads their own
    /// hours. Linking again replaces the link. ADMIN.
    #[graphql(guard = "Require(Permission::Administer)")]
    async fn link_staff_to_person(
        &self,
        ctx: &Context<'_>,
        user_id: ID,
        person_id: ID,
    ) -> AppResult<Person> {
        let user_id = parse_id("userId", &user_id)?;
        let person_id = parse_id("personId", &person_id)?;
        let link = service::link_staff(&ctx.state()?.db, user_id, person_id).await?;
        let row = ctx
            .loaders()?
            .people
            .load_one(PersonKey(link.person_id))
            .await?;
        Ok(existing(row, "person", link.person_id)?.into())
    }
}

impl VolunteerTotals {
    /// The service's totals as GraphQL objects, each person loaded in one batch.
    async fn load(ctx: &Context<'_>, totals: service::Totals) -> AppResult<Self> {
        let loaders = ctx.loaders()?;
        let people = loaders
            .people
            .load_many(totals.by_person.iter().map(|(id, _, _)| PersonKey(*id)))
            .await?;
        let by_person = totals
            .by_person
            .into_iter()
            .map(|(id, h, entries)| {
                let row = existing(people.get(&PersonKey(id)).cloned(), "person", id)?;
                Ok(PersonHours {
                    person: row.into(),
                    hours: hours(h),
                    entries,
                })
            })
            .collect::<AppResult<Vec<_>>>()?;
        Ok(VolunteerTotals {
            hours: hours(totals.hours),
            valuation: totals.valuation.into(),
            by_person,
            by_activity: totals
                .by_activity
                .into_iter()
                .map(|(activity, h)| ActivityHours {
                    activity: activity.into(),
                    hours: hours(h),
                })
                .collect(),
            by_month: totals
                .by_month
                .into_iter()
                .map(|(month, h, valuation)| MonthHours {
                    month,
                    hours: hours(h),
                    valuation: valuation.into(),
                })
                .collect(),
        })
    }
}

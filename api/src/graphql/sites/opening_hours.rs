//! Opening hours and closed dates of a site: public to read (the website shows them), MANAGER
//! to set (scheduling the spaces is a manager's job).

use async_graphql::{ComplexObject, Context, Enum, ID, InputObject, Object, SimpleObject};
use lieu_entity::{closed_date, opening_hours};

use super::Site;
use crate::auth::guard::{Permission, Require};
use crate::domain::{
    DayRange, Week, WeeklyInterval, format_clock, optional_text, parse_clock, parse_id,
};
use crate::error::{AppError, AppResult};
use crate::graphql::context::ContextExt;
use crate::graphql::scalars::Date;
use crate::service::sites::opening_hours as hours;

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl Weekday {
    const ALL: [Weekday; 7] = [
        Self::Monday,
        Self::Tuesday,
        Self::Wednesday,
        Self::Thursday,
        Self::Friday,
        Self::Saturday,
        Self::Sunday,
    ];

    fn iso(self) -> i16 {
        Self::ALL.iter().position(|d| *d == self).expect("listed") as i16 + 1
    }

    fn from_iso(n: i16) -> Self {
        Self::ALL[(n.clamp(1, 7) - 1) as usize]
    }

    pub fn to_chrono(self) -> chrono::Weekday {
        match self {
            Self::Monday => chrono::Weekday::Mon,
            Self::Tuesday => chrono::Weekday::Tue,
            Self::Wednesday => chrono::Weekday::Wed,
            Self::Thursday => chrono::Weekday::Thu,
            Self::Friday => chrono::Weekday::Fri,
            Self::Saturday => chrono::Weekday::Sat,
            Self::Sunday => chrono::Weekday::Sun,
        }
    }
}

/// One opening interval of the weekly schedule, in the site's local time.
#[derive(SimpleObject)]
pub struct OpeningHours {
    pub weekday: Weekday,
    /// `HH:MM`.
    pub opens: String,
    /// `HH:MM`; `24:00` is midnight at the end of the day.
    pub closes: String,
}

impl From<opening_hours::Model> for OpeningHours {
    fn from(model: opening_hours::Model) -> Self {
        Self {
            weekday: Weekday::from_iso(model.weekday),
            opens: format_clock(model.opens_minute),
            closes: format_clock(model.closes_minute),
        }
    }
}

/// A local day on which the site is closed.
#[derive(SimpleObject)]
pub struct ClosedDate {
    pub date: Date,
    pub reason: Option<String>,
}

impl From<closed_date::Model> for ClosedDate {
    fn from(model: closed_date::Model) -> Self {
        Self {
            date: model.date.into(),
            reason: model.reason,
        }
    }
}

#[derive(InputObject)]
pub struct OpeningHoursInput {
    pub weekday: Weekday,
    /// `HH:MM`, local time.
    pub opens: String,
    /// `HH:MM` after `opens`; `24:00` for midnight.
    pub closes: String,
}

/// A whole week as a manager types it.
pub struct WeekInput(pub Vec<OpeningHoursInput>);

impl TryFrom<WeekInput> for Week {
    type Error = AppError;

    fn try_from(input: WeekInput) -> AppResult<Self> {
        let intervals = input
            .0
            .iter()
            .map(|h| {
                Ok(WeeklyInterval {
                    weekday: h.weekday.iso(),
                    opens_minute: parse_clock("opens", &h.opens)?,
                    closes_minute: parse_clock("closes", &h.closes)?,
                })
            })
            .collect::<AppResult<Vec<_>>>()?;
        Week::new(intervals)
    }
}

#[ComplexObject]
impl Site {
    /// The weekly schedule, by day and time. Empty: the site keeps no hours (always open).
    async fn opening_hours(&self, ctx: &Context<'_>) -> AppResult<Vec<OpeningHours>> {
        let id = parse_id("id", &self.id)?;
        Ok(ctx
            .loaders()?
            .site_weeks
            .load_one(id)
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(OpeningHours::from)
            .collect())
    }

    /// Closed days between `from` and `to` (both included, at most a year apart).
    async fn closed_dates(
        &self,
        ctx: &Context<'_>,
        from: Date,
        to: Date,
    ) -> AppResult<Vec<ClosedDate>> {
        let days = DayRange::new(from.0, to.0, 366)?;
        let id = parse_id("id", &self.id)?;
        Ok(
            hours::closed_dates(&ctx.state()?.db, id, days.from, days.to)
                .await?
                .into_iter()
                .map(ClosedDate::from)
                .collect(),
        )
    }
}

#[derive(Default)]
pub struct OpeningHoursMutation;

#[Object]
impl OpeningHoursMutation {
    /// Replaces a site's weekly schedule (several intervals a day are fine; an empty list
    /// means always open). MANAGER.
    #[graphql(guard = "Require(Permission::Manage)")]
    async fn set_opening_hours(
        &self,
        ctx: &Context<'_>,
        site_id: ID,
        hours: Vec<OpeningHoursInput>,
    ) -> AppResult<Vec<OpeningHours>> {
        let week = Week::try_from(WeekInput(hours))?;
        let site_id = parse_id("siteId", &site_id)?;
        let saved = hours::set_week(&ctx.state()?.db, site_id, week).await?;
        Ok(saved.into_iter().map(OpeningHours::from).collect())
    }

    /// Closes a site for a local day (a bank holiday, a private event). MANAGER.
    #[graphql(guard = "Require(Permission::Manage)")]
    async fn close_date(
        &self,
        ctx: &Context<'_>,
        site_id: ID,
        date: Date,
        reason: Option<String>,
    ) -> AppResult<ClosedDate> {
        let site_id = parse_id("siteId", &site_id)?;
        let reason = optional_text("reason", reason.as_deref(), 200)?;
        Ok(hours::close_date(&ctx.state()?.db, site_id, date.0, reason)
            .await?
            .into())
    }

    /// Opens a closed day again; false when it was not closed. MANAGER.
    #[graphql(guard = "Require(Permission::Manage)")]
    async fn reopen_date(&self, ctx: &Context<'_>, site_id: ID, date: Date) -> AppResult<bool> {
        let site_id = parse_id("siteId", &site_id)?;
        hours::reopen_date(&ctx.state()?.db, site_id, date.0).await
    }
}

//! The two reports funders ask for, and the venue's yearly objectives against them.
//!
//! `hybrid`: where the money comes from (earned, private, public) next to the volunteer hours
//! and the in-kind loans. `impact`: what the place achieves (events, participants and who they
//! are, bookings and occupancy, members, volunteers). `objectives`: yearly targets and the
//! figures that meet them.
//!
//! Both reports are a fixed handful of grouped statements, whatever the number of rows: the
//! sums are made by the database, the rounding and the classification here.

pub mod hybrid;
pub mod impact;
pub mod objectives;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use lieu_entity::site;
use sea_orm::sea_query::{Condition, Expr, SimpleExpr};
use sea_orm::{ColumnTrait, ConnectionTrait};
use uuid::Uuid;

use crate::domain::{DayRange, start_of_day};
use crate::error::{AppError, AppResult};
use crate::service::sites;

/// The longest period a report covers (a multi-year grant, with room).
pub const MAX_REPORT_DAYS: i64 = 3 * 366 + 31;

/// What a report covers: local days, both included, of one site or of all.
#[derive(Clone, Copy, Debug)]
pub struct Period {
    pub days: DayRange,
    pub site_id: Option<Uuid>,
}

impl Period {
    pub fn new(from: NaiveDate, to: NaiveDate, site_id: Option<Uuid>) -> Result<Self, AppError> {
        Ok(Self {
            days: DayRange::new(from, to, MAX_REPORT_DAYS)?,
            site_id,
        })
    }

    /// The calendar year `year`, all sites.
    pub fn year(year: i32) -> Result<Self, AppError> {
        let from = NaiveDate::from_ymd_opt(year, 1, 1)
            .ok_or_else(|| AppError::validation("year", "is not a year"))?;
        let to = NaiveDate::from_ymd_opt(year, 12, 31).expect("31 December exists");
        Self::new(from, to, None)
    }
}

/// The sites a report covers, with what it needs of them.
pub(crate) struct Scope {
    /// Every site with its time zone, the default site first.
    all: Vec<(site::Model, Tz)>,
    /// The covered site, or None for all.
    site_id: Option<Uuid>,
    pub days: DayRange,
}

impl Scope {
    /// Loads the sites (one statement); an unknown site is NOT_FOUND.
    pub async fn load(conn: &impl ConnectionTrait, period: &Period) -> AppResult<Self> {
        let all = sites::list_sites(conn)
            .await?
            .into_iter()
            .map(|s| sites::timezone_of(&s).map(|tz| (s, tz)))
            .collect::<AppResult<Vec<_>>>()?;
        if let Some(id) = period.site_id
            && !all.iter().any(|(s, _)| s.id == id)
        {
            return Err(AppError::unknown("siteId", "site", id));
        }
        Ok(Self {
            all,
            site_id: period.site_id,
            days: period.days,
        })
    }

    /// The covered sites, the default site first.
    pub fn sites(&self) -> impl Iterator<Item = &(site::Model, Tz)> {
        self.all
            .iter()
            .filter(|(s, _)| self.site_id.is_none_or(|id| s.id == id))
    }

    pub fn site_ids(&self) -> Vec<Uuid> {
        self.sites().map(|(s, _)| s.id).collect()
    }

    /// The site whose postal code places participants: the report's, or the default site.
    pub fn reference_site(&self) -> Option<&site::Model> {
        self.sites().next().map(|(s, _)| s)
    }

    /// The instants of the period's local days at a site: `[from 00:00, to + 1 00:00)`.
    pub fn window(&self, tz: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
        (
            start_of_day(tz, self.days.from),
            start_of_day(tz, self.days.to + Duration::days(1)),
        )
    }

    /// Rows whose instant `at` falls within the period's local days at their own site
    /// (`site`, among the covered ones): one window per site, each in its time zone.
    pub fn within(&self, site: impl ColumnTrait, at: impl ColumnTrait) -> Condition {
        let mut any = Condition::any();
        for (s, tz) in self.sites() {
            let (start, end) = self.window(*tz);
            any = any.add(
                Condition::all()
                    .add(site.eq(s.id))
                    .add(at.gte(start))
                    .add(at.lt(end)),
            );
        }
        any
    }

    /// Rows whose instant `at` is before the period's first local day at their site, at any
    /// site (a participant "ever" came to the venue, whichever building).
    pub fn before(&self, site: impl ColumnTrait, at: impl ColumnTrait) -> Condition {
        let mut any = Condition::any();
        for (s, tz) in &self.all {
            any = any.add(
                Condition::all()
                    .add(site.eq(s.id))
                    .add(at.lt(start_of_day(*tz, self.days.from))),
            );
        }
        any
    }
}

/// `CAST(SUM(column) AS BIGINT)`: PostgreSQL sums a BIGINT into a NUMERIC, which would not
/// read back as an integer; SQLite's sum is an integer already.
pub fn sum_bigint(column: &str) -> SimpleExpr {
    Expr::cust(format!("CAST(SUM({column}) AS BIGINT)"))
}

/// `YYYY-MM` of a day.
pub fn month_of(day: NaiveDate) -> String {
    format!("{:04}-{:02}", day.year(), day.month())
}

/// Every month the period touches, in order, as `YYYY-MM`.
pub fn months_of(days: DayRange) -> Vec<String> {
    let mut out = Vec::new();
    let mut day = days.from.with_day(1).expect("the first of a month exists");
    while day <= days.to {
        out.push(month_of(day));
        day = day
            .checked_add_months(chrono::Months::new(1))
            .expect("a month after a plausible day");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_cover_the_period() {
        let days = DayRange::new(
            NaiveDate::from_ymd_opt(2025, 11, 15).unwrap(),
            NaiveDate::from_ymd_opt(2026, 2, 1).unwrap(),
            400,
        )
        .unwrap();
        assert_eq!(
            months_of(days),
            ["2025-11", "2025-12", "2026-01", "2026-02"]
        );
    }
}

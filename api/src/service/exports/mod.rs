//! What the venue sends at the end of a period: spreadsheets for the board (`csv`, the sheets
//! in `money_sheets` and `people_sheets`), the legal journal for the accountant (`fec`, with
//! the chart of accounts in `chart`), and the one-page report for a funder (`funder`).
//!
//! The figures are the reports' (`service::reports`): a sheet lists the lines behind them, in
//! the same periods and with the same rules (revenues and grant payments by day received,
//! volunteer entries by date, each entry valued at the rate of its day), so that a sheet's
//! column adds up to the report's total. Each export is built whole in memory before anything
//! is sent or written: a refusal (a missing account) leaves nothing half-written.

pub mod chart;
pub mod csv;
pub mod fec;
pub mod funder;
pub mod labels;
mod money_sheets;
mod people_sheets;
mod render;

use chrono::NaiveDate;
use indicatif::ProgressBar;
use sea_orm::{DatabaseConnection, EntityTrait, FromQueryResult, PaginatorTrait, Select};
use uuid::Uuid;

use crate::domain::{CsvFormat, Lang};
use crate::error::AppResult;
use crate::service::reports::Period;

/// A finished export: what to send or write, and how to name it.
#[derive(Clone, Debug)]
pub struct Export {
    pub body: Vec<u8>,
    /// Data lines (a header aside).
    pub lines: usize,
    /// A file name that says what and when (`recettes_2025-01-01_2025-12-31.csv`).
    pub file_name: String,
    pub content_type: &'static str,
}

/// How a sheet is written.
#[derive(Clone, Copy, Debug, Default)]
pub struct SheetOptions {
    pub format: CsvFormat,
    pub lang: Lang,
}

/// Which sheet, of what.
#[derive(Clone, Copy, Debug)]
pub enum SheetRequest {
    Revenues(Period),
    GrantPayments(Period),
    /// Grants whose period overlaps it, or paid within it.
    Grants(Period),
    VolunteerHours(Period),
    /// Memberships active on a day (not cancelled).
    Members {
        on: NaiveDate,
    },
    /// The registrations of one event, cancelled ones included.
    Registrations {
        event_id: Uuid,
    },
}

impl SheetRequest {
    /// The name a file of this sheet gets, in the sheet's language.
    fn file_stem(&self, lang: Lang) -> String {
        let period = |p: &Period, fr: &str, en: &str| {
            format!("{}_{}_{}", lang.pick(fr, en), p.days.from, p.days.to)
        };
        match self {
            Self::Revenues(p) => period(p, "recettes", "revenues"),
            Self::GrantPayments(p) => period(p, "versements-subventions", "grant-payments"),
            Self::Grants(p) => period(p, "subventions", "grants"),
            Self::VolunteerHours(p) => period(p, "benevolat", "volunteer-hours"),
            Self::Members { on } => format!("{}_{on}", lang.pick("adherents", "members")),
            Self::Registrations { event_id } => {
                format!(
                    "{}_{}",
                    lang.pick("inscriptions", "registrations"),
                    event_id.simple()
                )
            }
        }
    }
}

/// Builds a sheet; `progress` (hidden when nobody watches) counts the lines read.
pub async fn sheet(
    conn: &DatabaseConnection,
    request: SheetRequest,
    options: SheetOptions,
    progress: &ProgressBar,
) -> AppResult<Export> {
    let (body, lines) = match request {
        SheetRequest::Revenues(period) => {
            money_sheets::revenues(conn, &period, options, progress).await?
        }
        SheetRequest::GrantPayments(period) => {
            money_sheets::grant_payments(conn, &period, options, progress).await?
        }
        SheetRequest::Grants(period) => {
            money_sheets::grants(conn, &period, options, progress).await?
        }
        SheetRequest::VolunteerHours(period) => {
            people_sheets::volunteer_hours(conn, &period, options, progress).await?
        }
        SheetRequest::Members { on } => people_sheets::members(conn, on, options, progress).await?,
        SheetRequest::Registrations { event_id } => {
            people_sheets::registrations(conn, event_id, options, progress).await?
        }
    };
    progress.finish_and_clear();
    Ok(Export {
        body,
        lines,
        file_name: format!("{}.csv", request.file_stem(options.lang)),
        content_type: "text/csv; charset=utf-8",
    })
}

/// Rows read per statement: a long export reads in pages, and the progress bar moves.
const PAGE: u64 = 1000;

/// Every row of `query` (ordered by the caller, with a unique last key so that pages do not
/// overlap), read in pages; `progress` learns the count first.
async fn all_pages<E>(
    conn: &DatabaseConnection,
    query: Select<E>,
    progress: &ProgressBar,
) -> AppResult<Vec<E::Model>>
where
    E: EntityTrait,
    E::Model: FromQueryResult + Send + Sync,
{
    let pages = query.paginate(conn, PAGE);
    // Added to, not set: the FEC reads two tables into one bar.
    progress.inc_length(pages.num_items().await?);
    let mut rows = Vec::new();
    let mut page = 0;
    loop {
        let batch = pages.fetch_page(page).await?;
        if batch.is_empty() {
            break;
        }
        progress.inc(batch.len() as u64);
        rows.extend(batch);
        page += 1;
    }
    Ok(rows)
}

/// Ids in statements of at most this many (well under the bound-parameter limits).
const IDS_PER_STATEMENT: usize = 500;

/// The rows of `ids` read by `load`, a chunk of ids per statement.
async fn by_chunks<T, F, Fut>(ids: &[Uuid], mut load: F) -> AppResult<Vec<T>>
where
    F: FnMut(Vec<Uuid>) -> Fut,
    Fut: Future<Output = AppResult<Vec<T>>>,
{
    let mut unique = ids.to_vec();
    unique.sort();
    unique.dedup();
    let mut out = Vec::new();
    for chunk in unique.chunks(IDS_PER_STATEMENT) {
        out.extend(load(chunk.to_vec()).await?);
    }
    Ok(out)
}

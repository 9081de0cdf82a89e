//! Files over HTTP, with a staff token (`Authorization: Bearer …`):
//! `GET /exports/{revenues|grant-payments|grants|volunteer-hours|members}.csv?from=&to=`
//! (`members.csv?on=`, or `to`), `GET /exports/registrations.csv?event=`,
//! `GET /exports/fec.txt?year=[&withContributions=true]` and
//! `GET /reports/funder.html?from=&to=[&grant=]` (or `funder.md`). Sheets take `format=fr|plain`
//! and `lang=fr|en`, the report `lang=`. MANAGER for all, VOLUNTEER for the registrations of
//! an event (the door list). Errors are GraphQL's shape, `{"errors": [{"message", "extensions":
//! {"code"}}]}`, with the HTTP status that goes with the code.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use indicatif::ProgressBar;
use uuid::Uuid;

use super::graphql::resolve_caller;
use crate::auth::Caller;
use crate::auth::guard::Permission;
use crate::domain::{CsvFormat, Lang, parse_id};
use crate::error::{AppError, AppResult};
use crate::service::exports::fec::{self, FecRequest};
use crate::service::exports::funder::{self, FunderRequest, ReportFormat};
use crate::service::exports::{self, Export, SheetOptions, SheetRequest};
use crate::service::reports::Period;
use crate::state::AppState;

/// The query string, read by hand so that a wrong parameter is a 400 that says which.
struct Params(HashMap<String, String>);

impl Params {
    /// Refuses a parameter the route does not know (a typo would otherwise be ignored and
    /// give a file of something else).
    fn check(&self, known: &[&str]) -> AppResult<()> {
        match self.0.keys().find(|k| !known.contains(&k.as_str())) {
            Some(unknown) => Err(AppError::validation(
                unknown.as_str(),
                format!("is not a parameter here; known: {}", known.join(", ")),
            )),
            None => Ok(()),
        }
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    fn day(&self, name: &str) -> AppResult<Option<NaiveDate>> {
        self.get(name)
            .map(|raw| {
                NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| {
                    AppError::validation(name, format!("'{raw}' is not a day (2026-01-31)"))
                })
            })
            .transpose()
    }

    fn required_day(&self, name: &str) -> AppResult<NaiveDate> {
        self.day(name)?
            .ok_or_else(|| AppError::validation(name, "is required (a day: 2026-01-31)"))
    }

    fn id(&self, name: &str) -> AppResult<Option<Uuid>> {
        self.get(name).map(|raw| parse_id(name, raw)).transpose()
    }

    fn lang(&self) -> AppResult<Lang> {
        self.get("lang")
            .map_or(Ok(Lang::Fr), |raw| Lang::parse("lang", raw))
    }

    fn period(&self) -> AppResult<Period> {
        Period::new(
            self.required_day("from")?,
            self.required_day("to")?,
            self.id("site")?,
        )
    }

    fn sheet_options(&self) -> AppResult<SheetOptions> {
        Ok(SheetOptions {
            format: self
                .get("format")
                .map_or(Ok(CsvFormat::Fr), |raw| CsvFormat::parse("format", raw))?,
            lang: self.lang()?,
        })
    }
}

const PERIOD_SHEET: &[&str] = &["from", "to", "site", "format", "lang"];

/// `GET /exports/{file}`.
pub async fn export(
    State(state): State<AppState>,
    Path(file): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let params = Params(query);
    let caller = match caller(&state, &headers).await {
        Ok(caller) => caller,
        Err(err) => return refusal(err),
    };
    // The registrations of an event are the door list a VOLUNTEER prints; the rest is money
    // and members: MANAGER.
    let needed = if file == "registrations.csv" {
        Permission::ReadOperations
    } else {
        Permission::Manage
    };
    if let Err(err) = needed.check(&caller) {
        return refusal(err);
    }
    match build_export(&state, &file, &params).await {
        Ok(export) => attachment(export),
        Err(err) => refusal(err),
    }
}

async fn build_export(state: &AppState, file: &str, params: &Params) -> AppResult<Export> {
    let hidden = ProgressBar::hidden();
    let request = match file {
        "fec.txt" => {
            params.check(&["year", "withContributions"])?;
            let year = params
                .get("year")
                .ok_or_else(|| AppError::validation("year", "is required (2025)"))?;
            let year: i32 = year
                .parse()
                .map_err(|_| AppError::validation("year", format!("'{year}' is not a year")))?;
            let with_contributions = match params.get("withContributions") {
                None | Some("false") => false,
                Some("true") => true,
                Some(other) => {
                    return Err(AppError::validation(
                        "withContributions",
                        format!("'{other}' is not true or false"),
                    ));
                }
            };
            return fec::fec(
                &state.db,
                FecRequest {
                    year,
                    with_contributions,
                },
                &hidden,
            )
            .await;
        }
        "revenues.csv" => SheetRequest::Revenues(checked_period(params)?),
        "grant-payments.csv" => SheetRequest::GrantPayments(checked_period(params)?),
        "grants.csv" => SheetRequest::Grants(checked_period(params)?),
        "volunteer-hours.csv" => SheetRequest::VolunteerHours(checked_period(params)?),
        "members.csv" => {
            params.check(&["on", "from", "to", "format", "lang"])?;
            let on = match params.day("on")? {
                Some(on) => on,
                None => params.day("to")?.ok_or_else(|| {
                    AppError::validation("on", "is required: the day members are active on")
                })?,
            };
            SheetRequest::Members { on }
        }
        "registrations.csv" => {
            params.check(&["event", "format", "lang"])?;
            let event_id = params
                .id("event")?
                .ok_or_else(|| AppError::validation("event", "is required (the event's id)"))?;
            SheetRequest::Registrations { event_id }
        }
        other => {
            return Err(AppError::NotFound {
                entity: "export",
                id: other.to_string(),
                field: None,
            });
        }
    };
    exports::sheet(&state.db, request, params.sheet_options()?, &hidden).await
}

fn checked_period(params: &Params) -> AppResult<Period> {
    params.check(PERIOD_SHEET)?;
    params.period()
}

/// `GET /reports/{file}`: `funder.html` or `funder.md`.
pub async fn report(
    State(state): State<AppState>,
    Path(file): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let params = Params(query);
    let caller = match caller(&state, &headers).await {
        Ok(caller) => caller,
        Err(err) => return refusal(err),
    };
    if let Err(err) = Permission::Manage.check(&caller) {
        return refusal(err);
    }
    let format = match file.as_str() {
        "funder.html" => ReportFormat::Html,
        "funder.md" => ReportFormat::Markdown,
        other => {
            return refusal(AppError::NotFound {
                entity: "report",
                id: other.to_string(),
                field: None,
            });
        }
    };
    let request = || -> AppResult<FunderRequest> {
        params.check(&["grant", "from", "to", "lang"])?;
        Ok(FunderRequest {
            grant_id: params.id("grant")?,
            from: params.day("from")?,
            to: params.day("to")?,
            format,
            lang: params.lang()?,
        })
    };
    let request = match request() {
        Ok(request) => request,
        Err(err) => return refusal(err),
    };
    match funder::funder_report(&state.db, state.clock.now(), request).await {
        // Shown in the browser (to print), not downloaded.
        Ok(export) => file_response(export, "inline"),
        Err(err) => refusal(err),
    }
}

async fn caller(state: &AppState, headers: &HeaderMap) -> AppResult<Caller> {
    match resolve_caller(state, headers).await? {
        Caller::Anonymous => Err(AppError::Unauthenticated(
            "send a staff token: 'Authorization: Bearer <token>' (from login)",
        )),
        Caller::RejectedToken => Err(AppError::Unauthenticated(
            "this token is expired or unknown; sign in again",
        )),
        caller => Ok(caller),
    }
}

fn attachment(export: Export) -> Response {
    file_response(export, "attachment")
}

fn file_response(export: Export, disposition: &str) -> Response {
    let disposition =
        HeaderValue::from_str(&format!("{disposition}; filename=\"{}\"", export.file_name))
            .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    (
        [
            (CONTENT_TYPE, HeaderValue::from_static(export.content_type)),
            (CONTENT_DISPOSITION, disposition),
            // Money and people: never kept by a cache.
            (CACHE_CONTROL, HeaderValue::from_static("private, no-store")),
        ],
        export.body,
    )
        .into_response()
}

/// An error as GraphQL's JSON, with the status of its code.
fn refusal(err: AppError) -> Response {
    let status = match err.code() {
        "UNAUTHENTICATED" => StatusCode::UNAUTHORIZED,
        "FORBIDDEN" => StatusCode::FORBIDDEN,
        "VALIDATION" => StatusCode::BAD_REQUEST,
        "NOT_FOUND" => StatusCode::NOT_FOUND,
        "INVALID_STATE" => StatusCode::CONFLICT,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    // Through the one conversion that sets codes (and logs and hides internal causes).
    let error: async_graphql::Error = err.into();
    let body = serde_json::json!({
        "errors": [{
            "message": error.message,
            "extensions": error.extensions,
        }]
    });
    (status, Json(body)).into_response()
}

//! Every call the screens can ask for, as data: `update` returns a [`Request`] inside an effect,
//! the runtime performs it and the [`Payload`] comes back as an action.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::client::{ApiError, Client};
use super::model::*;
use super::ops;

#[derive(Clone, Debug, PartialEq)]
pub enum Request {
    Login {
        email: String,
        password: String,
    },
    Logout,
    Session,
    Day {
        site_id: String,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        now: DateTime<Utc>,
    },
    Spaces {
        site_id: String,
    },
    Week {
        space_id: String,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    },
    Booking {
        id: String,
    },
    Quote(NewBooking),
    CreateBooking(NewBooking),
    CreateSeries(NewBooking, Recurrence),
    UpdateBooking {
        id: String,
        changes: BookingChanges,
    },
    CancelBooking {
        id: String,
        reason: Option<String>,
        /// Asked of a paid booking only: pay it back (a reversing entry) or keep the payment.
        refund: Option<bool>,
    },
    CancelSeries {
        series_id: String,
        from: DateTime<Utc>,
        reason: Option<String>,
        /// Given once the server said some occurrences were paid.
        refund: Option<bool>,
    },
    ConfirmBooking {
        id: String,
    },
    MarkPaid {
        id: String,
    },
    People {
        search: String,
        first: i64,
        after: Option<String>,
    },
    /// People and organizations a booking can be for.
    Bookers {
        search: String,
    },
    /// A person's card, with their bookings from `since` on.
    Person {
        id: String,
        since: DateTime<Utc>,
    },
    CreatePerson(PersonInput),
    UpdatePerson {
        id: String,
        input: PersonInput,
    },
    Plans,
    StartMembership {
        plan_id: String,
        person_id: String,
        starts_on: NaiveDate,
        amount: Decimal,
    },
    RenewMembership {
        id: String,
        amount: Decimal,
    },
    CancelMembership {
        id: String,
    },
    Expiring {
        within_days: i64,
    },
    /// The site's events overlapping `[from, to)`.
    Events {
        site_id: String,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    },
    /// One event and its registrations, for the door.
    EventDesk {
        event_id: String,
    },
    CheckIn {
        registration_id: String,
    },
    /// A code typed or read by a scanner.
    CheckInByCode {
        event_id: String,
        code: String,
    },
    UndoCheckIn {
        registration_id: String,
    },
    WalkIn(NewRegistration),
    Register(NewRegistration),
    CancelRegistration {
        id: String,
        refund: Option<bool>,
    },
    /// The entries of `[from, to]` and the totals of the month and the year to `to`.
    Hours {
        from: NaiveDate,
        to: NaiveDate,
        month_from: NaiveDate,
        year_from: NaiveDate,
        /// A VOLUNTEER reads their own only (and none when not linked to a person).
        volunteer: bool,
        /// Staff: one person's (their own), else the whole team's.
        person_id: Option<String>,
    },
    LogHours {
        person_id: String,
        entry: EntryInput,
    },
    UpdateEntry {
        id: String,
        entry: EntryInput,
    },
    DeleteEntry {
        id: String,
    },
    Dashboard {
        month_from: NaiveDate,
        month_to: NaiveDate,
        year_from: NaiveDate,
        year_to: NaiveDate,
        year: i64,
    },
}

impl Request {
    /// Reads are retried with backoff when the server is unreachable; writes are not (the
    /// form keeps its input and the person submits again).
    pub fn is_read(&self) -> bool {
        matches!(
            self,
            Request::Session
                | Request::Day { .. }
                | Request::Spaces { .. }
                | Request::Week { .. }
                | Request::Booking { .. }
                | Request::Quote(_)
                | Request::People { .. }
                | Request::Bookers { .. }
                | Request::Person { .. }
                | Request::Plans
                | Request::Expiring { .. }
                | Request::Events { .. }
                | Request::EventDesk { .. }
                | Request::Hours { .. }
                | Request::Dashboard { .. }
        )
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Payload {
    LoggedIn {
        token: String,
        user: User,
    },
    LoggedOut,
    Session {
        user: Option<User>,
        sites: Vec<Site>,
    },
    Day(DayData),
    Spaces(Vec<SpaceRow>),
    Week(WeekData),
    Booking(Option<BookingRow>),
    Quote(Quote),
    /// A write went through; the id of what it wrote (the first of a series).
    Done {
        id: String,
        count: usize,
    },
    People(PeoplePage),
    Bookers(Vec<BookerOption>),
    Person(Option<PersonCard>),
    Plans(Vec<Plan>),
    Expiring(Vec<Expiring>),
    Events(Vec<EventRow>),
    EventDesk(EventDesk),
    /// A registration as a write left it.
    Registration(RegistrationRow),
    Hours(HoursData),
    Dashboard(DashboardData),
}

pub type Response = Result<Payload, ApiError>;

/// The API name of a generated enum value (`PUBLIC`).
pub(super) fn api_name<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// A generated enum from its API name.
pub(super) fn from_api_name<T: DeserializeOwned>(name: &str) -> T {
    serde_json::from_value(serde_json::Value::String(name.to_string()))
        .expect("generated enums accept any name")
}

/// The same fragment, generated once per operation that spreads it.
macro_rules! booking_row {
    ($module:ident) => {
        impl From<ops::$module::BookingFields> for BookingRow {
            fn from(b: ops::$module::BookingFields) -> Self {
                use ops::$module::BookingFieldsBooker as B;
                BookingRow {
                    id: b.id,
                    start: b.start,
                    end: b.end,
                    title: b.title,
                    status: BookingStatus::parse(&api_name(&b.status)),
                    tier: api_name(&b.tier),
                    price: b.price,
                    paid: b.paid,
                    series_id: b.series_id,
                    attendees: b.attendees,
                    notes: b.notes,
                    cancel_reason: b.cancel_reason,
                    space_id: b.space.id,
                    space_name: b.space.name,
                    booker: b.booker.and_then(|booker| match booker {
                        B::Person(p) => Some(Booker {
                            id: p.id,
                            name: format!("{} {}", p.first_name, p.last_name),
                            organization: false,
                        }),
                        B::Organization(o) => Some(Booker {
                            id: o.id,
                            name: o.name,
                            organization: true,
                        }),
                    }),
                }
            }
        }
    };
}
booking_row!(day);
booking_row!(week);
booking_row!(booking);

macro_rules! booking_input {
    ($module:ident, $b:expr) => {{
        let b: NewBooking = $b;
        ops::$module::CreateBookingInput {
            space_id: b.space_id,
            start: b.start,
            end: b.end,
            title: b.title,
            person_id: b.person_id,
            organization_id: b.organization_id,
            tier: b.tier.as_deref().map(from_api_name),
            attendees: b.attendees,
            notes: b.notes,
            free_loan: None,
        }
    }};
}

fn user(id: String, email: String, name: String, role: String) -> User {
    User {
        id,
        email,
        name,
        role: Role::parse(&role),
    }
}

pub(super) fn optional(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// Performs one request. Never panics on the server's answer.
pub async fn perform(client: &Client, request: Request) -> Response {
    match request {
        Request::Login { email, password } => {
            let data = client
                .run::<ops::Login>(ops::login::Variables { email, password })
                .await?;
            let u = data.login.user;
            Ok(Payload::LoggedIn {
                token: data.login.token,
                user: user(u.id, u.email, u.name, api_name(&u.role)),
            })
        }
        Request::Logout => {
            client.run::<ops::Logout>(ops::logout::Variables).await?;
            Ok(Payload::LoggedOut)
        }
        Request::Session => {
            let data = client.run::<ops::Session>(ops::session::Variables).await?;
            let sites = data
                .sites
                .into_iter()
                .map(|s| Site {
                    // An unknown zone name (newer tz data on the server) falls back to Paris,
                    // the API's default, rather than refusing to show anything.
                    tz: s.timezone.parse().unwrap_or(chrono_tz::Europe::Paris),
                    id: s.id,
                    name: s.name,
                    address: s.address,
                })
                .collect();
            Ok(Payload::Session {
                user: data
                    .me
                    .map(|u| user(u.id, u.email, u.name, api_name(&u.role))),
                sites,
            })
        }
        Request::Day {
            site_id,
            from,
            to,
            now,
        } => {
            let data = client
                .run::<ops::Day>(ops::day::Variables {
                    site_id,
                    from,
                    to,
                    now,
                })
                .await?;
            Ok(Payload::Day(DayData {
                spaces: data
                    .spaces
                    .into_iter()
                    .map(|s| SpaceRow {
                        id: s.id,
                        name: s.name,
                        capacity: s.capacity,
                        requires_approval: s.requires_approval,
                    })
                    .collect(),
                bookings: data.bookings.nodes.into_iter().map(Into::into).collect(),
                pending: data.pending.nodes.into_iter().map(Into::into).collect(),
            }))
        }
        Request::Spaces { site_id } => {
            let data = client
                .run::<ops::Spaces>(ops::spaces::Variables { site_id })
                .await?;
            Ok(Payload::Spaces(
                data.spaces
                    .into_iter()
                    .map(|s| SpaceRow {
                        id: s.id,
                        name: s.name,
                        capacity: s.capacity,
                        requires_approval: s.requires_approval,
                    })
                    .collect(),
            ))
        }
        Request::Week { space_id, from, to } => {
            let data = client
                .run::<ops::Week>(ops::week::Variables { space_id, from, to })
                .await?;
            Ok(Payload::Week(WeekData {
                bookings: data.bookings.nodes.into_iter().map(Into::into).collect(),
                free: data
                    .availability
                    .into_iter()
                    .map(|s| Slot {
                        start: s.start,
                        end: s.end,
                    })
                    .collect(),
            }))
        }
        Request::Bookers { search } => {
            let data = client
                .run::<ops::Bookers>(ops::bookers::Variables { search })
                .await?;
            let people = data.people.nodes.into_iter().map(|p| BookerOption {
                booker: Booker {
                    id: p.id,
                    name: format!("{} {}", p.first_name, p.last_name),
                    organization: false,
                },
                detail: p.email,
                member: p.active_membership.is_some(),
                resident: false,
            });
            let organizations = data.organizations.nodes.into_iter().map(|o| BookerOption {
                booker: Booker {
                    id: o.id,
                    name: o.name,
                    organization: true,
                },
                detail: None,
                member: o.active_membership.is_some(),
                resident: o.resident,
            });
            Ok(Payload::Bookers(people.chain(organizations).collect()))
        }
        Request::Booking { id } => {
            let data = client
                .run::<ops::Booking>(ops::booking::Variables { id })
                .await?;
            Ok(Payload::Booking(data.booking.map(Into::into)))
        }
        Request::Quote(b) => {
            let (space_id, from, to) = (b.space_id.clone(), b.start, b.end);
            let input = booking_input!(quote_booking, b);
            let data = client
                .run::<ops::QuoteBooking>(ops::quote_booking::Variables {
                    input,
                    space_id,
                    from,
                    to,
                })
                .await?;
            // Free slots come back merged: one of them covers the booking, or it is not
            // (wholly) within the opening hours.
            let within_hours = data
                .availability
                .iter()
                .any(|s| s.start <= from && to <= s.end);
            let q = data.quote_booking;
            Ok(Payload::Quote(Quote {
                tier: api_name(&q.tier),
                price: q.price,
                conflicts: q
                    .conflicts
                    .into_iter()
                    .map(|c| Slot {
                        start: c.start,
                        end: c.end,
                    })
                    .collect(),
                within_hours,
            }))
        }
        Request::CreateBooking(b) => {
            let input = booking_input!(create_booking, b);
            let data = client
                .run::<ops::CreateBooking>(ops::create_booking::Variables { input })
                .await?;
            Ok(Payload::Done {
                id: data.create_booking.id,
                count: 1,
            })
        }
        Request::CreateSeries(b, r) => {
            use ops::create_booking_series as m;
            let input = booking_input!(create_booking_series, b);
            let recurrence = m::RecurrenceInput {
                frequency: match r.frequency {
                    Frequency::Daily => m::Frequency::DAILY,
                    Frequency::Weekly => m::Frequency::WEEKLY,
                },
                interval: None,
                count: r.count,
                until: r.until,
                on_weekday: None,
                week_of_month: None,
            };
            let data = client
                .run::<ops::CreateBookingSeries>(m::Variables { input, recurrence })
                .await?;
            let count = data.create_booking_series.len();
            Ok(Payload::Done {
                id: data
                    .create_booking_series
                    .into_iter()
                    .next()
                    .map(|b| b.id)
                    .unwrap_or_default(),
                count,
            })
        }
        Request::UpdateBooking { id, changes } => {
            let clear_attendees = changes.clear_attendees;
            let input = ops::update_booking::UpdateBookingInput {
                start: changes.start,
                end: changes.end,
                title: changes.title,
                attendees: changes.attendees,
                notes: changes.notes,
            };
            let data = client
                .run::<ops::UpdateBooking>(ops::update_booking::Variables {
                    id: id.clone(),
                    input,
                })
                .await?;
            if clear_attendees {
                client
                    .run::<ops::ClearAttendees>(ops::clear_attendees::Variables { id })
                    .await?;
            }
            Ok(Payload::Done {
                id: data.update_booking.id,
                count: 1,
            })
        }
        Request::CancelBooking { id, reason, refund } => {
            let data = client
                .run::<ops::CancelBooking>(ops::cancel_booking::Variables { id, reason, refund })
                .await?;
            Ok(Payload::Done {
                id: data.cancel_booking.id,
                count: 1,
            })
        }
        Request::CancelSeries {
            series_id,
            from,
            reason,
            refund,
        } => {
            let data = client
                .run::<ops::CancelBookingSeries>(ops::cancel_booking_series::Variables {
                    series_id: series_id.clone(),
                    from: Some(from),
                    reason,
                    refund,
                })
                .await?;
            Ok(Payload::Done {
                id: series_id,
                count: data.cancel_booking_series.len(),
            })
        }
        Request::ConfirmBooking { id } => {
            let data = client
                .run::<ops::ConfirmBooking>(ops::confirm_booking::Variables { id })
                .await?;
            Ok(Payload::Done {
                id: data.confirm_booking.id,
                count: 1,
            })
        }
        Request::MarkPaid { id } => {
            let data = client
                .run::<ops::MarkBookingPaid>(ops::mark_booking_paid::Variables { id })
                .await?;
            Ok(Payload::Done {
                id: data.mark_booking_paid.id,
                count: 1,
            })
        }
        other => super::events::perform(client, other).await,
    }
}

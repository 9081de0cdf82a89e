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
    },
    CancelSeries {
        series_id: String,
        from: DateTime<Utc>,
        reason: Option<String>,
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
    Person {
        id: String,
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
                | Request::Person { .. }
                | Request::Plans
                | Request::Expiring { .. }
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
    Person(Option<PersonCard>),
    Plans(Vec<Plan>),
    Expiring(Vec<Expiring>),
}

pub type Response = Result<Payload, ApiError>;

/// The API name of a generated enum value (`PUBLIC`).
fn api_name<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// A generated enum from its API name.
fn from_api_name<T: DeserializeOwned>(name: &str) -> T {
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

fn optional(text: &str) -> Option<String> {
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
        Request::Booking { id } => {
            let data = client
                .run::<ops::Booking>(ops::booking::Variables { id })
                .await?;
            Ok(Payload::Booking(data.booking.map(Into::into)))
        }
        Request::Quote(b) => {
            let input = booking_input!(quote_booking, b);
            let data = client
                .run::<ops::QuoteBooking>(ops::quote_booking::Variables { input })
                .await?;
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
            let input = ops::update_booking::UpdateBookingInput {
                start: changes.start,
                end: changes.end,
                title: changes.title,
                attendees: changes.attendees,
                notes: changes.notes,
            };
            let data = client
                .run::<ops::UpdateBooking>(ops::update_booking::Variables { id, input })
                .await?;
            Ok(Payload::Done {
                id: data.update_booking.id,
                count: 1,
            })
        }
        Request::CancelBooking { id, reason } => {
            let data = client
                .run::<ops::CancelBooking>(ops::cancel_booking::Variables { id, reason })
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
        } => {
            let data = client
                .run::<ops::CancelBookingSeries>(ops::cancel_booking_series::Variables {
                    series_id: series_id.clone(),
                    from: Some(from),
                    reason,
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
        Request::People {
            search,
            first,
            after,
        } => {
            let data = client
                .run::<ops::People>(ops::people::Variables {
                    search: optional(&search),
                    first,
                    after,
                })
                .await?;
            let p = data.people;
            Ok(Payload::People(PeoplePage {
                total: usize::try_from(p.total_count).unwrap_or(0),
                has_next: p.page_info.has_next_page,
                end_cursor: p.page_info.end_cursor,
                rows: p
                    .nodes
                    .into_iter()
                    .map(|n| PersonRow {
                        id: n.id,
                        first_name: n.first_name,
                        last_name: n.last_name,
                        email: n.email,
                        phone: n.phone,
                        membership: n.active_membership.map(|m| (m.plan.name, m.ends_on)),
                    })
                    .collect(),
            }))
        }
        Request::Person { id } => {
            let data = client
                .run::<ops::Person>(ops::person::Variables { id })
                .await?;
            let Some(p) = data.person else {
                return Ok(Payload::Person(None));
            };
            Ok(Payload::Person(Some(PersonCard {
                person: PersonDetails {
                    id: p.id,
                    first_name: p.first_name,
                    last_name: p.last_name,
                    email: p.email,
                    phone: p.phone,
                    postal_code: p.postal_code,
                    birth_year: p.birth_year,
                    consent: p.consent_to_contact,
                    notes: p.notes,
                    erased: p.erased,
                },
                active_membership: p.active_membership.map(|m| m.id),
                memberships: p
                    .memberships
                    .into_iter()
                    .map(|m| MembershipRow {
                        id: m.id,
                        starts_on: m.starts_on,
                        ends_on: m.ends_on,
                        amount_paid: m.amount_paid,
                        status: api_name(&m.status),
                        renewal_of: m.renewal_of,
                        plan: PlanRef {
                            id: m.plan.id,
                            name: m.plan.name,
                            price: m.plan.price,
                            min_price: m.plan.min_price,
                            archived: m.plan.archived,
                        },
                    })
                    .collect(),
                organizations: p
                    .organizations
                    .into_iter()
                    .map(|c| (c.organization.name, c.role))
                    .collect(),
                bookings_total: usize::try_from(data.bookings.total_count).unwrap_or(0),
                bookings: data
                    .bookings
                    .nodes
                    .into_iter()
                    .map(|b| PersonBooking {
                        id: b.id,
                        start: b.start,
                        end: b.end,
                        title: b.title,
                        status: BookingStatus::parse(&api_name(&b.status)),
                        price: b.price,
                        paid: b.paid,
                        space_name: b.space.name,
                    })
                    .collect(),
            })))
        }
        Request::CreatePerson(input) => {
            let input = ops::create_person::CreatePersonInput {
                first_name: input.first_name.trim().to_string(),
                last_name: input.last_name.trim().to_string(),
                email: optional(&input.email),
                phone: optional(&input.phone),
                postal_code: optional(&input.postal_code),
                birth_year: input.birth_year,
                consent_to_contact: Some(input.consent),
                notes: optional(&input.notes),
            };
            let data = client
                .run::<ops::CreatePerson>(ops::create_person::Variables { input })
                .await?;
            Ok(Payload::Done {
                id: data.create_person.id,
                count: 1,
            })
        }
        Request::UpdatePerson { id, input } => {
            // Every field is sent: an empty text clears it, as the form shows.
            let input = ops::update_person::UpdatePersonInput {
                first_name: Some(input.first_name.trim().to_string()),
                last_name: Some(input.last_name.trim().to_string()),
                email: Some(input.email.trim().to_string()),
                phone: Some(input.phone.trim().to_string()),
                postal_code: Some(input.postal_code.trim().to_string()),
                birth_year: input.birth_year,
                consent_to_contact: Some(input.consent),
                notes: Some(input.notes.trim().to_string()),
            };
            let data = client
                .run::<ops::UpdatePerson>(ops::update_person::Variables { id, input })
                .await?;
            Ok(Payload::Done {
                id: data.update_person.id,
                count: 1,
            })
        }
        Request::Plans => {
            let data = client
                .run::<ops::MembershipPlans>(ops::membership_plans::Variables)
                .await?;
            Ok(Payload::Plans(
                data.membership_plans
                    .into_iter()
                    .map(|p| Plan {
                        id: p.id,
                        name: p.name,
                        price: p.price,
                        min_price: p.min_price,
                        for_organizations: p.for_organizations,
                    })
                    .collect(),
            ))
        }
        Request::StartMembership {
            plan_id,
            person_id,
            starts_on,
            amount,
        } => {
            let input = ops::start_membership::StartMembershipInput {
                plan_id,
                person_id: Some(person_id),
                organization_id: None,
                starts_on,
                amount_paid: amount,
            };
            let data = client
                .run::<ops::StartMembership>(ops::start_membership::Variables { input })
                .await?;
            Ok(Payload::Done {
                id: data.start_membership.id,
                count: 1,
            })
        }
        Request::RenewMembership { id, amount } => {
            let data = client
                .run::<ops::RenewMembership>(ops::renew_membership::Variables {
                    id,
                    amount_paid: amount,
                })
                .await?;
            Ok(Payload::Done {
                id: data.renew_membership.id,
                count: 1,
            })
        }
        Request::CancelMembership { id } => {
            let data = client
                .run::<ops::CancelMembership>(ops::cancel_membership::Variables { id })
                .await?;
            Ok(Payload::Done {
                id: data.cancel_membership.id,
                count: 1,
            })
        }
        Request::Expiring { within_days } => {
            let data = client
                .run::<ops::ExpiringMemberships>(ops::expiring_memberships::Variables {
                    within_days,
                })
                .await?;
            Ok(Payload::Expiring(
                data.expiring_memberships
                    .into_iter()
                    .map(|m| Expiring {
                        id: m.id,
                        ends_on: m.ends_on,
                        amount_paid: m.amount_paid,
                        plan: PlanRef {
                            id: m.plan.id,
                            name: m.plan.name,
                            price: m.plan.price,
                            min_price: m.plan.min_price,
                            archived: m.plan.archived,
                        },
                        holder: match (&m.person, &m.organization) {
                            (Some(p), _) => format!("{} {}", p.first_name, p.last_name),
                            (None, Some(o)) => o.name.clone(),
                            (None, None) => String::new(),
                        },
                        person_id: m.person.map(|p| p.id),
                    })
                    .collect(),
            ))
        }
    }
}

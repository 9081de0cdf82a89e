//! Canned answers for the snapshot tests: a small venue on the fixed clock.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rust_decimal::Decimal;

use super::{Driver, fixed_now};
use crate::api::model::*;
use crate::api::{ApiError, Payload, Request, Response};
use crate::format;
use crate::i18n::Lang;

pub fn paris() -> chrono_tz::Tz {
    chrono_tz::Europe::Paris
}

pub fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 12).unwrap()
}

pub fn at(day: NaiveDate, h: u32) -> DateTime<Utc> {
    format::at_time(paris(), day, (h, 0))
}

pub fn euros(text: &str) -> Decimal {
    text.parse().unwrap()
}

pub fn user(role: Role) -> User {
    User {
        id: "u1".into(),
        email: "lucie@demo.lieu".into(),
        name: "Lucie Martin".into(),
        role,
    }
}

pub fn sites() -> Vec<Site> {
    vec![Site {
        id: "site1".into(),
        name: "La Fabrique des Communs".into(),
        tz: paris(),
        address: Some("12 rue des Ateliers, 44200 Nantes".into()),
    }]
}

pub fn spaces() -> Vec<SpaceRow> {
    [
        ("sp1", "Salle Jaurès", 12, false),
        ("sp2", "Grande salle", 120, true),
        ("sp3", "Fablab", 10, false),
    ]
    .into_iter()
    .map(|(id, name, capacity, requires_approval)| SpaceRow {
        id: id.into(),
        name: name.into(),
        capacity,
        requires_approval,
    })
    .collect()
}

pub fn booking(
    id: &str,
    space: usize,
    start: DateTime<Utc>,
    hours: i64,
    title: &str,
) -> BookingRow {
    let space = &spaces()[space];
    BookingRow {
        id: id.into(),
        start,
        end: start + Duration::hours(hours),
        title: title.into(),
        status: if space.requires_approval {
            BookingStatus::Pending
        } else {
            BookingStatus::Confirmed
        },
        tier: "MEMBER".into(),
        price: euros("60"),
        paid: false,
        series_id: None,
        attendees: Some(8),
        notes: None,
        cancel_reason: None,
        space_id: space.id.clone(),
        space_name: space.name.clone(),
        booker: Some(Booker {
            id: "p1".into(),
            name: "Hélène Dupré".into(),
            organization: false,
        }),
    }
}

pub fn day_data() -> DayData {
    let d = day();
    let pending = booking(
        "b3",
        1,
        at(d + Duration::days(2), 18),
        4,
        "Concert de soutien",
    );
    DayData {
        spaces: spaces(),
        bookings: vec![
            booking("b1", 0, at(d, 10), 2, "Conseil d'administration"),
            booking("b2", 2, at(d, 14), 3, "Atelier réparation"),
        ],
        pending: vec![pending],
    }
}

pub fn week_data() -> WeekData {
    let monday = format::monday_of(day());
    let mut bookings = vec![
        booking("b1", 0, at(day(), 10), 2, "Conseil d'administration"),
        booking("b4", 0, at(monday, 14), 3, "Cours de yoga"),
    ];
    let mut pending = booking(
        "b5",
        0,
        at(monday + Duration::days(4), 18),
        2,
        "Répétition chorale",
    );
    pending.status = BookingStatus::Pending;
    bookings.push(pending);
    // Open 08:00–22:00 every day but Sunday, around the bookings.
    let mut free = Vec::new();
    for d in 0..6 {
        let day = monday + Duration::days(d);
        let mut start = at(day, 8);
        let close = at(day, 22);
        let mut busy: Vec<&BookingRow> = bookings
            .iter()
            .filter(|b| format::local_day(paris(), b.start) == day)
            .collect();
        busy.sort_by_key(|b| b.start);
        for b in busy {
            if b.start > start {
                free.push(Slot {
                    start,
                    end: b.start,
                });
            }
            start = b.end;
        }
        if start < close {
            free.push(Slot { start, end: close });
        }
    }
    WeekData { bookings, free }
}

pub fn people_page() -> PeoplePage {
    let names = [
        (
            "Hélène",
            "Dupré",
            Some(("Adhésion individuelle", "2026-03-30")),
        ),
        ("Karim", "Benali", None),
        ("Zoé", "Bernard", Some(("Adhésion solidaire", "2026-09-01"))),
        ("Loïc", "Le Gall", None),
    ];
    PeoplePage {
        total: 4,
        has_next: false,
        end_cursor: None,
        rows: names
            .iter()
            .enumerate()
            .map(|(i, (first, last, member))| PersonRow {
                id: format!("p{}", i + 1),
                first_name: first.to_string(),
                last_name: last.to_string(),
                email: Some(format!("{}.{}@exemple.fr", first.to_lowercase(), i)),
                phone: None,
                membership: member.map(|(plan, ends)| (plan.to_string(), ends.parse().unwrap())),
            })
            .collect(),
    }
}

pub fn plan_ref() -> PlanRef {
    PlanRef {
        id: "plan1".into(),
        name: "Adhésion individuelle".into(),
        price: euros("15"),
        min_price: None,
        archived: false,
    }
}

pub fn expiring() -> Vec<Expiring> {
    vec![Expiring {
        id: "m1".into(),
        ends_on: "2026-03-30".parse().unwrap(),
        amount_paid: euros("15"),
        plan: plan_ref(),
        holder: "Hélène Dupré".into(),
        person_id: Some("p1".into()),
    }]
}

pub fn card() -> PersonCard {
    PersonCard {
        person: PersonDetails {
            id: "p1".into(),
            first_name: "Hélène".into(),
            last_name: "Dupré".into(),
            email: Some("helene.dupre@exemple.fr".into()),
            phone: Some("06 12 34 56 78".into()),
            postal_code: Some("44200".into()),
            birth_year: Some(1984),
            consent: true,
            notes: Some("Bénévole au café associatif le samedi.".into()),
            erased: false,
        },
        active_membership: Some("m1".into()),
        memberships: vec![
            MembershipRow {
                id: "m1".into(),
                starts_on: "2025-03-31".parse().unwrap(),
                ends_on: "2026-03-30".parse().unwrap(),
                amount_paid: euros("15"),
                status: "ACTIVE".into(),
                renewal_of: Some("m0".into()),
                plan: plan_ref(),
            },
            MembershipRow {
                id: "m0".into(),
                starts_on: "2024-03-31".parse().unwrap(),
                ends_on: "2025-03-30".parse().unwrap(),
                amount_paid: euros("12"),
                status: "EXPIRED".into(),
                renewal_of: None,
                plan: PlanRef {
                    name: "Adhésion 2024 (ancienne formule)".into(),
                    archived: true,
                    ..plan_ref()
                },
            },
        ],
        organizations: vec![("Atelier Vélo Solidaire".into(), Some("présidente".into()))],
        bookings: vec![PersonBooking {
            id: "b1".into(),
            start: at(day(), 10),
            end: at(day(), 12),
            title: "Conseil d'administration".into(),
            status: BookingStatus::Confirmed,
            price: euros("60"),
            paid: true,
            space_name: "Salle Jaurès".into(),
        }],
        bookings_total: 1,
    }
}

pub fn plans() -> Vec<Plan> {
    vec![
        Plan {
            id: "plan1".into(),
            name: "Adhésion individuelle".into(),
            price: euros("15"),
            min_price: None,
            for_organizations: false,
        },
        Plan {
            id: "plan2".into(),
            name: "Adhésion solidaire".into(),
            price: euros("10"),
            min_price: Some(euros("2")),
            for_organizations: false,
        },
    ]
}

/// A venue that answers everything.
pub fn venue(request: &Request) -> Option<Response> {
    Some(Ok(match request {
        Request::Login { .. } => Payload::LoggedIn {
            token: "token".into(),
            user: user(Role::Manager),
        },
        Request::Session => Payload::Session {
            user: Some(user(Role::Manager)),
            sites: sites(),
        },
        Request::Day { .. } => Payload::Day(day_data()),
        Request::Spaces { .. } => Payload::Spaces(spaces()),
        Request::Week { .. } => Payload::Week(week_data()),
        Request::Booking { id } => Payload::Booking(
            week_data()
                .bookings
                .into_iter()
                .chain(day_data().pending)
                .find(|b| &b.id == id),
        ),
        Request::Quote(_) => Payload::Quote(Quote {
            tier: "MEMBER".into(),
            price: euros("60"),
            conflicts: vec![],
            within_hours: true,
        }),
        Request::People { .. } => Payload::People(people_page()),
        Request::Bookers { .. } => Payload::Bookers(vec![
            BookerOption {
                booker: Booker {
                    id: "p1".into(),
                    name: "Hélène Dupré".into(),
                    organization: false,
                },
                detail: Some("helene.dupre@exemple.fr".into()),
                member: true,
                resident: false,
            },
            BookerOption {
                booker: Booker {
                    id: "o1".into(),
                    name: "Atelier Vélo Solidaire".into(),
                    organization: true,
                },
                detail: None,
                member: false,
                resident: true,
            },
        ]),
        Request::Person { .. } => Payload::Person(Some(card())),
        Request::Plans => Payload::Plans(plans()),
        Request::Expiring { .. } => Payload::Expiring(expiring()),
        Request::Events { .. } => Payload::Events(super::fake_desk::events()),
        Request::Hours { .. } => Payload::Hours(super::fake_desk::hours()),
        Request::Dashboard { .. } => Payload::Dashboard(super::fake_desk::dashboard()),
        Request::EventDesk { event_id } => Payload::EventDesk(super::fake_desk::desk_of(event_id)),
        _ => Payload::Done {
            id: "x".into(),
            count: 1,
        },
    }))
}

pub fn refused(code: &str) -> Response {
    Err(ApiError::refused(code, "refused"))
}

/// Signed in as a MANAGER, on the Today screen with its data.
pub fn signed_in(lang: Lang) -> Driver {
    let mut d = Driver::new(lang, fixed_now());
    d.type_text("lucie@demo.lieu");
    d.key(ratatui::crossterm::event::KeyCode::Tab);
    d.type_text("password");
    d.key(ratatui::crossterm::event::KeyCode::Enter);
    d.answer_with(venue);
    d
}

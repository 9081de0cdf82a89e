//! Canned answers for the door, the hours and the dashboard, on the snapshots' clock.

use chrono::{DateTime, Duration, Utc};

use super::fake::{at, day, euros};
use crate::api::model::*;

fn minutes(at: DateTime<Utc>, m: i64) -> DateTime<Utc> {
    at + Duration::minutes(m)
}

pub fn event(id: &str, start: DateTime<Utc>, title: &str, space: &str) -> EventRow {
    EventRow {
        id: id.into(),
        title: title.into(),
        start,
        end: start + Duration::hours(2),
        capacity: Some(30),
        public: true,
        cancelled: false,
        price: Some(euros("5")),
        confirmed: 12,
        waitlisted: 0,
        checked_in: 3,
        remaining: Some(18),
        spaces: vec![space.into()],
    }
}

pub fn events() -> Vec<EventRow> {
    let d = day();
    let full = EventRow {
        capacity: Some(8),
        confirmed: 8,
        waitlisted: 3,
        checked_in: 0,
        remaining: Some(0),
        ..event(
            "e2",
            at(d + Duration::days(6), 18),
            "Initiation à la découpe laser",
            "Fablab",
        )
    };
    let cancelled = EventRow {
        cancelled: true,
        ..event(
            "e3",
            at(d + Duration::days(9), 20),
            "Scène ouverte",
            "Grande salle",
        )
    };
    vec![
        event("e1", at(d, 18), "Repair café", "Salle Jaurès"),
        full,
        cancelled,
    ]
}

pub fn registration(id: &str, name: &str, seats: i64, code: &str) -> RegistrationRow {
    RegistrationRow {
        id: id.into(),
        name: name.into(),
        email: Some(format!(
            "{}@exemple.fr",
            deunicode::deunicode(name).to_lowercase().replace(' ', ".")
        )),
        seats,
        status: RegistrationStatus::Confirmed,
        position: None,
        code: code.into(),
        checked_in_at: None,
        paid: false,
        created_at: at(day() - Duration::days(3), 9),
        person_id: None,
    }
}

pub fn desk() -> EventDesk {
    let start = at(day(), 18);
    let mut registrations = vec![
        RegistrationRow {
            checked_in_at: Some(minutes(start, 4)),
            paid: true,
            ..registration("r1", "Hélène Dupré", 2, "T6TGDVPD")
        },
        registration("r2", "Karim Benali", 1, "PV37AR67"),
        RegistrationRow {
            person_id: Some("p3".into()),
            ..registration("r3", "Zoé Bernard", 3, "XYRK9J4P")
        },
        RegistrationRow {
            checked_in_at: Some(minutes(start, -2)),
            ..registration("r4", "Loïc Le Gall", 1, "3DTDN33H")
        },
        RegistrationRow {
            email: None,
            ..registration("r5", "Marthe Gauthier", 5, "76GP443P")
        },
    ];
    registrations.push(RegistrationRow {
        status: RegistrationStatus::Waitlisted,
        position: Some(1),
        ..registration("r6", "Yannick Kowalski", 2, "QCMYCYUT")
    });
    registrations.push(RegistrationRow {
        status: RegistrationStatus::Cancelled,
        ..registration("r7", "François Laurent", 1, "WNAV4DAJ")
    });
    EventDesk {
        event: Some(events().remove(0)),
        registrations,
    }
}

/// The door of one of `events()`: the first one has the registrations.
pub fn desk_of(event_id: &str) -> EventDesk {
    let event = events().into_iter().find(|e| e.id == event_id);
    match event {
        Some(e) if e.id != "e1" => EventDesk {
            event: Some(e),
            registrations: vec![],
        },
        _ => desk(),
    }
}

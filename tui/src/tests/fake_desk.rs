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

pub fn me() -> PersonRef {
    PersonRef {
        id: "p1".into(),
        name: "Hélène Dupré".into(),
    }
}

pub fn hours() -> HoursData {
    let d = day();
    let entry =
        |id: &str, days: i64, hours: &str, activity: &str, note: Option<&str>, who: PersonRef| {
            let hours = euros(hours);
            HoursEntry {
                id: id.into(),
                date: d - Duration::days(days),
                hours,
                activity: activity.into(),
                note: note.map(str::to_string),
                valuation: (hours * euros("11.88")).round_dp(2),
                person: who,
            }
        };
    let karim = PersonRef {
        id: "p2".into(),
        name: "Karim Benali".into(),
    };
    HoursData {
        me: Some(me()),
        entries: vec![
            entry(
                "h1",
                0,
                "2",
                "FRONT_DESK",
                Some("Accueil du repair café"),
                me(),
            ),
            entry("h2", 2, "1.5", "GARDEN", None, karim.clone()),
            entry("h3", 5, "3.25", "EVENTS", Some("Montage de la scène"), me()),
            entry("h4", 9, "0.75", "COMMUNICATION", None, karim),
        ],
        month: HoursTotal {
            hours: euros("7.5"),
            valuation: euros("89.10"),
        },
        year: HoursTotal {
            hours: euros("42.25"),
            valuation: euros("501.93"),
        },
    }
}

pub fn figures(scale: i64) -> Figures {
    let e = |t: &str| euros(t) * rust_decimal::Decimal::from(scale);
    Figures {
        earned: e("2103.20"),
        private_funding: e("250"),
        public_funding: e("1500"),
        monetary: e("3853.20"),
        self_financing: Some(0.5458),
        volunteer_hours: e("12.5"),
        volunteer_valuation: e("148.50"),
        total_with_volunteering: e("4001.70"),
        in_kind: e("180"),
        by_stream: vec![
            ("SPACE_RENTAL".into(), e("1200")),
            ("COWORKING".into(), e("603.20")),
            ("EVENT_TICKETS".into(), e("300")),
            ("DONATION".into(), e("250")),
        ],
    }
}

pub fn dashboard() -> DashboardData {
    DashboardData {
        month: figures(1),
        year: figures(11),
        objectives: vec![
            Objective {
                metric: "UNIQUE_PARTICIPANTS".into(),
                target: euros("2000"),
                actual: euros("1460"),
            },
            Objective {
                metric: "SELF_FINANCING_RATIO".into(),
                target: euros("0.35"),
                actual: euros("0.5458"),
            },
            Objective {
                metric: "VOLUNTEER_HOURS".into(),
                target: euros("3000"),
                actual: euros("137.5"),
            },
        ],
        deadlines: vec![
            Deadline {
                id: "d1".into(),
                label: "Pièces justificatives".into(),
                due_on: day() - Duration::days(4),
                overdue: true,
                grant: "Fabrique de territoire".into(),
                funder: "ANCT".into(),
            },
            Deadline {
                id: "d2".into(),
                label: "Bilan intermédiaire".into(),
                due_on: day() + Duration::days(20),
                overdue: false,
                grant: "Jardins partagés".into(),
                funder: "Région Pays de la Loire".into(),
            },
        ],
    }
}

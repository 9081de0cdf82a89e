//! The door's screens (events, check-in, walk-in), the hours and the dashboard in their loading, empty, filled and error
//! states, at 80x24 and 160x48, in French and English.

use ratatui::crossterm::event::KeyCode;

use super::Driver;
use super::fake::{self, refused, signed_in, venue};
use super::fake_desk;
use super::snapshots::{snap, venue_but};
use crate::api::model::{DashboardData, EventDesk, HoursData, RegistrationRow, Role};
use crate::api::{ApiError, Payload, Request, Response};
use crate::i18n::Lang;

type Pick = fn(&Request) -> Option<Option<Response>>;

fn events_with(answer: Pick) -> impl Fn(Lang) -> Driver {
    move |lang| {
        let mut d = signed_in(lang);
        d.char('4');
        d.answer_with(venue_but(answer));
        d
    }
}

#[test]
fn events() {
    snap(
        "events_loading",
        events_with(|r| matches!(r, Request::Events { .. }).then_some(None)),
    );
    snap(
        "events_empty",
        events_with(|r| {
            matches!(r, Request::Events { .. }).then(|| Some(Ok(Payload::Events(vec![]))))
        }),
    );
    snap("events_filled", events_with(|_| None));
    snap(
        "events_error",
        events_with(|r| {
            matches!(r, Request::Events { .. })
                .then(|| Some(Err(ApiError::Unreachable("down".into()))))
        }),
    );
}

/// The door of the first event (the Repair café, tonight).
fn door_with(answer: Pick) -> impl Fn(Lang) -> Driver {
    move |lang| {
        let mut d = signed_in(lang);
        d.char('4');
        d.answer_with(venue);
        d.key(KeyCode::Enter);
        d.answer_with(venue_but(answer));
        d
    }
}

fn checked_in(r: &RegistrationRow) -> Response {
    Ok(Payload::Registration(RegistrationRow {
        checked_in_at: r.checked_in_at.or(Some(super::fixed_now())),
        ..r.clone()
    }))
}

#[test]
fn check_in() {
    snap(
        "check_in_loading",
        door_with(|r| matches!(r, Request::EventDesk { .. }).then_some(None)),
    );
    snap(
        "check_in_empty",
        door_with(|r| {
            matches!(r, Request::EventDesk { .. }).then(|| {
                Some(Ok(Payload::EventDesk(EventDesk {
                    registrations: vec![],
                    ..fake_desk::desk()
                })))
            })
        }),
    );
    snap("check_in_filled", door_with(|_| None));
    snap(
        "check_in_error",
        door_with(|r| matches!(r, Request::EventDesk { .. }).then(|| Some(refused("FORBIDDEN")))),
    );
    // Hélène came at 18:04; scanned again, the screen says so.
    snap("check_in_already", |lang| {
        let mut d = door_with(|_| None)(lang);
        d.type_text("t6tg-dvpd");
        d.key(KeyCode::Enter);
        d.answer_with(|r| match r {
            Request::CheckIn { registration_id } => {
                let desk = fake_desk::desk();
                let r = desk.registrations.iter().find(|x| &x.id == registration_id);
                Some(checked_in(r.expect("a known registration")))
            }
            other => venue(other),
        });
        let screen = d.screen(160, 48);
        let expected = match lang {
            Lang::Fr => "Hélène Dupré (2 places) : déjà pointé·e à 18:04",
            Lang::En => "Hélène Dupré (2 seats): already checked in at 18:04",
        };
        assert!(screen.contains(expected), "{screen}");
        d
    });
    snap("check_in_live", |lang| {
        let mut d = door_with(|_| None)(lang);
        d.update(crate::app::Action::Live(crate::live::Live::Up));
        d.answer_with(venue);
        d
    });
    snap("check_in_search", |lang| {
        let mut d = door_with(|_| None)(lang);
        d.type_text("ber");
        d
    });
    snap("check_in_absent", |lang| {
        let mut d = door_with(|_| None)(lang);
        d.key(KeyCode::Esc);
        d.char('a');
        d
    });
}

fn walk_in(lang: Lang, event: usize) -> Driver {
    let mut d = signed_in(lang);
    d.char('4');
    d.answer_with(venue);
    for _ in 0..event {
        d.key(KeyCode::Down);
    }
    d.key(KeyCode::Enter);
    d.answer_with(venue);
    d.key(KeyCode::Esc);
    d.char('n');
    d.answer_with(venue);
    d
}

#[test]
fn walk_in_form() {
    snap("walk_in_empty", |lang| walk_in(lang, 0));
    snap("walk_in_filled", |lang| {
        let mut d = walk_in(lang, 0);
        d.type_text("Hél");
        d.advance(400);
        d.answer_with(venue);
        d
    });
    snap("walk_in_loading", |lang| {
        let mut d = walk_in(lang, 0);
        d.type_text("Paul Nouveau");
        d.key(KeyCode::Enter);
        d
    });
    snap("walk_in_full", |lang| {
        let mut d = walk_in(lang, 1);
        d.type_text("Paul Nouveau");
        d.key(KeyCode::Enter);
        d.answer_with(|r| match r {
            Request::WalkIn(_) => Some(Err(ApiError::refused(
                "INVALID_STATE",
                "'Initiation à la découpe laser' is full (8 of 8 seats taken, 3 waiting): register them on the waitlist instead",
            ))),
            other => venue(other),
        });
        d
    });
    snap("walk_in_offline", |lang| {
        let mut d = walk_in(lang, 0);
        d.type_text("Paul Nouveau");
        d.key(KeyCode::Tab);
        d.type_text("paul@exemple.fr");
        d.key(KeyCode::Enter);
        d.answer_with(|r| match r {
            Request::WalkIn(_) => Some(Err(ApiError::Unreachable("down".into()))),
            other => venue(other),
        });
        let screen = d.screen(80, 24);
        assert!(screen.contains("Paul Nouveau"), "input kept:\n{screen}");
        d
    });
}

fn hours_with(role: Role, answer: Pick) -> impl Fn(Lang) -> Driver {
    move |lang| {
        let mut d = signed_in_as(lang, role);
        d.char('5');
        d.answer_with(venue_but(answer));
        d
    }
}

/// Signed in with `role`, on the Today screen with its data.
fn signed_in_as(lang: Lang, role: Role) -> Driver {
    let mut d = Driver::new(lang, super::fixed_now());
    d.type_text("lucie@demo.lieu");
    d.key(KeyCode::Tab);
    d.type_text("password");
    d.key(KeyCode::Enter);
    d.answer_with(|r| match r {
        Request::Login { .. } => Some(Ok(Payload::LoggedIn {
            token: "token".into(),
            user: fake::user(role),
        })),
        Request::Session => Some(Ok(Payload::Session {
            user: Some(fake::user(role)),
            sites: fake::sites(),
        })),
        other => venue(other),
    });
    d
}

#[test]
fn hours() {
    for (role, name) in [
        (Role::Volunteer, "hours_volunteer"),
        (Role::Manager, "hours_staff"),
    ] {
        snap(
            &format!("{name}_loading"),
            hours_with(role, |r| matches!(r, Request::Hours { .. }).then_some(None)),
        );
        snap(&format!("{name}_filled"), hours_with(role, |_| None));
        snap(
            &format!("{name}_error"),
            hours_with(role, |r| {
                matches!(r, Request::Hours { .. }).then(|| Some(refused("INTERNAL")))
            }),
        );
    }
    snap(
        "hours_volunteer_empty",
        hours_with(Role::Volunteer, |r| {
            matches!(r, Request::Hours { .. }).then(|| {
                Some(Ok(Payload::Hours(HoursData {
                    entries: vec![],
                    month: Default::default(),
                    ..fake_desk::hours()
                })))
            })
        }),
    );
    snap(
        "hours_volunteer_unlinked",
        hours_with(Role::Volunteer, |r| {
            matches!(r, Request::Hours { .. }).then(|| {
                Some(Ok(Payload::Hours(HoursData {
                    me: None,
                    entries: vec![],
                    month: Default::default(),
                    year: Default::default(),
                })))
            })
        }),
    );
    snap("hours_form_empty", |lang| {
        let mut d = hours_with(Role::Volunteer, |_| None)(lang);
        d.char('n');
        d
    });
    snap("hours_form_loading", |lang| {
        let mut d = hours_with(Role::Volunteer, |_| None)(lang);
        d.char('n');
        d.type_text("2");
        d.key(KeyCode::Enter);
        d
    });
    snap("hours_form_volunteer", |lang| {
        let mut d = hours_with(Role::Volunteer, |_| None)(lang);
        d.char('n');
        d.type_text("1h30");
        d.key(KeyCode::Tab);
        d.key(KeyCode::Right);
        d
    });
    snap("hours_form_staff", |lang| {
        let mut d = hours_with(Role::Manager, |_| None)(lang);
        d.char('n');
        d.key(KeyCode::BackTab);
        d.key(KeyCode::BackTab);
        d.key(KeyCode::End);
        for _ in 0..20 {
            d.key(KeyCode::Backspace);
        }
        d.type_text("kar");
        d.advance(400);
        d.answer_with(venue);
        d
    });
    snap("hours_form_error", |lang| {
        let mut d = hours_with(Role::Volunteer, |_| None)(lang);
        d.char('n');
        d.type_text("beaucoup");
        d.key(KeyCode::Enter);
        d
    });
}

fn dashboard_with(answer: Pick) -> impl Fn(Lang) -> Driver {
    move |lang| {
        let mut d = signed_in(lang);
        d.char('6');
        d.answer_with(venue_but(answer));
        d
    }
}

#[test]
fn dashboard() {
    snap(
        "dashboard_loading",
        dashboard_with(|r| matches!(r, Request::Dashboard { .. }).then_some(None)),
    );
    snap("dashboard_filled", dashboard_with(|_| None));
    snap(
        "dashboard_empty",
        dashboard_with(|r| {
            matches!(r, Request::Dashboard { .. }).then(|| {
                Some(Ok(Payload::Dashboard(DashboardData {
                    month: Default::default(),
                    year: Default::default(),
                    objectives: vec![],
                    deadlines: vec![],
                })))
            })
        }),
    );
    snap(
        "dashboard_error",
        dashboard_with(|r| {
            matches!(r, Request::Dashboard { .. }).then(|| Some(refused("INTERNAL")))
        }),
    );
    // A volunteer's key 6 says who the dashboard is for, and the tab bar leaves it out.
    snap("dashboard_volunteer", |lang| {
        let mut d = signed_in_as(lang, Role::Volunteer);
        d.char('6');
        d.answer_with(venue);
        d
    });
}

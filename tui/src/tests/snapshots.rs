//! Every screen in its loading, empty, filled and error states, at 80x24 and 160x48, in
//! French and in English.

use ratatui::crossterm::event::KeyCode;

use super::Driver;
use super::fake::{self, refused, signed_in, venue};
use crate::api::model::PeoplePage;
use crate::api::{Payload, Request, Response};
use crate::i18n::Lang;

/// Builds the state once per language (forms word their choices in the language they open
/// in) and snapshots it at both sizes.
pub(super) fn snap(name: &str, build: impl Fn(Lang) -> Driver) {
    for lang in [Lang::Fr, Lang::En] {
        let driver = build(lang);
        let code = match lang {
            Lang::Fr => "fr",
            Lang::En => "en",
        };
        for (w, h) in [(80, 24), (160, 48)] {
            let screen = driver.screen(w, h);
            insta::assert_snapshot!(format!("{name}_{code}_{w}x{h}"), screen);
        }
    }
}

/// `venue`, except for requests `pick` answers (None from `pick`: leave unanswered).
pub(super) fn venue_but(
    pick: impl Fn(&Request) -> Option<Option<Response>>,
) -> impl FnMut(&Request) -> Option<Response> {
    move |r| pick(r).unwrap_or_else(|| venue(r))
}

#[test]
fn login() {
    snap("login_empty", |lang| Driver::new(lang, super::fixed_now()));
    snap("login_filled", |lang| {
        let mut d = Driver::new(lang, super::fixed_now());
        d.type_text("lucie@demo.lieu");
        d.key(KeyCode::Tab);
        d.type_text("secret-pass");
        let screen = d.screen(80, 24);
        assert!(
            !screen.contains("secret-pass"),
            "password in clear:\n{screen}"
        );
        d
    });
    snap("login_loading", |lang| {
        let mut d = Driver::new(lang, super::fixed_now());
        d.type_text("lucie@demo.lieu");
        d.key(KeyCode::Tab);
        d.type_text("secret-pass");
        d.key(KeyCode::Enter);
        d
    });
    snap("login_error", |lang| {
        let mut d = Driver::new(lang, super::fixed_now());
        d.type_text("lucie@demo.lieu");
        d.key(KeyCode::Tab);
        d.type_text("wrong");
        d.key(KeyCode::Enter);
        d.answer_with(|_| Some(refused("UNAUTHENTICATED")));
        d
    });
}

#[test]
fn today() {
    let with = |answer: fn(&Request) -> Option<Option<Response>>| {
        move |lang| {
            let mut d = Driver::new(lang, super::fixed_now());
            d.type_text("lucie@demo.lieu");
            d.key(KeyCode::Tab);
            d.type_text("password");
            d.key(KeyCode::Enter);
            d.answer_with(venue_but(answer));
            d
        }
    };
    snap(
        "today_loading",
        with(|r| matches!(r, Request::Day { .. }).then_some(None)),
    );
    snap(
        "today_empty",
        with(|r| {
            matches!(r, Request::Day { .. }).then(|| {
                Some(Ok(Payload::Day(crate::api::model::DayData {
                    spaces: fake::spaces(),
                    ..Default::default()
                })))
            })
        }),
    );
    snap("today_filled", with(|_| None));
    snap(
        "today_error",
        with(|r| matches!(r, Request::Day { .. }).then(|| Some(refused("INTERNAL")))),
    );
    snap("today_help", |lang| {
        let mut d = signed_in(lang);
        d.char('?');
        d
    });
}

fn bookings_with(answer: fn(&Request) -> Option<Option<Response>>) -> impl Fn(Lang) -> Driver {
    move |lang| {
        let mut d = signed_in(lang);
        d.char('2');
        d.answer_with(venue_but(answer));
        d
    }
}

#[test]
fn bookings() {
    snap(
        "bookings_loading",
        bookings_with(|r| matches!(r, Request::Week { .. }).then_some(None)),
    );
    snap(
        "bookings_empty",
        bookings_with(|r| {
            matches!(r, Request::Spaces { .. }).then(|| Some(Ok(Payload::Spaces(vec![]))))
        }),
    );
    snap("bookings_filled", bookings_with(|_| None));
    snap(
        "bookings_error",
        bookings_with(|r| matches!(r, Request::Week { .. }).then(|| Some(refused("FORBIDDEN")))),
    );
}

fn detail_with(answer: fn(&Request) -> Option<Option<Response>>) -> impl Fn(Lang) -> Driver {
    move |lang| {
        let mut d = signed_in(lang);
        d.key(KeyCode::Enter);
        d.answer_with(venue_but(answer));
        d
    }
}

#[test]
fn booking_detail() {
    snap(
        "booking_loading",
        detail_with(|r| matches!(r, Request::Booking { .. }).then_some(None)),
    );
    snap(
        "booking_empty",
        detail_with(|r| {
            matches!(r, Request::Booking { .. }).then(|| Some(Ok(Payload::Booking(None))))
        }),
    );
    snap("booking_filled", detail_with(|_| None));
    snap(
        "booking_error",
        detail_with(|r| matches!(r, Request::Booking { .. }).then(|| Some(refused("NOT_FOUND")))),
    );
    snap("booking_cancel_question", |lang| {
        let mut d = signed_in(lang);
        d.key(KeyCode::Enter);
        d.answer_with(venue);
        d.char('x');
        d.type_text("reporté");
        d.key(KeyCode::Enter);
        d
    });
}

fn form(lang: Lang, answer: fn(&Request) -> Option<Option<Response>>) -> Driver {
    let mut d = signed_in(lang);
    d.char('2');
    d.answer_with(venue);
    d.char('n');
    d.answer_with(venue_but(answer));
    d
}

#[test]
fn booking_form() {
    snap("booking_form_loading", |lang| {
        form(lang, |r| {
            matches!(r, Request::Spaces { .. }).then_some(None)
        })
    });
    snap("booking_form_empty", |lang| form(lang, |_| None));
    snap("booking_form_filled", |lang| {
        let mut d = form(lang, |_| None);
        d.type_text("Assemblée générale");
        d.key(KeyCode::Enter);
        d.answer_with(|r| {
            Some(Ok(match r {
                Request::Quote(input) => Payload::Quote(crate::api::model::Quote {
                    tier: "MEMBER".into(),
                    price: fake::euros("60"),
                    conflicts: vec![crate::api::model::Slot {
                        start: input.start,
                        end: input.start + chrono::Duration::hours(2),
                    }],
                    within_hours: true,
                }),
                _ => return venue(r),
            }))
        });
        let screen = d.screen(80, 24);
        assert!(
            screen.contains("60,00 €") || screen.contains("€60.00"),
            "{screen}"
        );
        assert!(
            screen.contains("Conflit") || screen.contains("Conflict"),
            "{screen}"
        );
        d
    });
    snap("booking_form_booker", |lang| {
        let mut d = form(lang, |_| None);
        d.key(KeyCode::Tab);
        d.type_text("hél");
        d.advance(400);
        d.answer_with(venue);
        d
    });
    snap("booking_form_error", |lang| {
        let mut d = form(lang, |_| None);
        d.key(KeyCode::BackTab);
        d.key(KeyCode::Backspace);
        d.key(KeyCode::Backspace);
        d.type_text("x");
        d.key(KeyCode::Enter);
        d
    });
}

fn people_with(answer: fn(&Request) -> Option<Option<Response>>) -> impl Fn(Lang) -> Driver {
    move |lang| {
        let mut d = signed_in(lang);
        d.char('3');
        d.answer_with(venue_but(answer));
        d
    }
}

#[test]
fn people() {
    snap(
        "people_loading",
        people_with(|r| matches!(r, Request::People { .. }).then_some(None)),
    );
    snap(
        "people_empty",
        people_with(|r| {
            matches!(r, Request::People { .. } | Request::Expiring { .. }).then(|| {
                Some(Ok(match r {
                    Request::People { .. } => Payload::People(PeoplePage::default()),
                    _ => Payload::Expiring(vec![]),
                }))
            })
        }),
    );
    snap("people_filled", people_with(|_| None));
    snap(
        "people_error",
        people_with(|r| matches!(r, Request::People { .. }).then(|| Some(refused("INTERNAL")))),
    );
}

fn card_with(answer: fn(&Request) -> Option<Option<Response>>) -> impl Fn(Lang) -> Driver {
    move |lang| {
        let mut d = signed_in(lang);
        d.char('3');
        d.answer_with(venue);
        d.key(KeyCode::Enter);
        d.answer_with(venue_but(answer));
        d
    }
}

#[test]
fn card() {
    snap(
        "card_loading",
        card_with(|r| matches!(r, Request::Person { .. }).then_some(None)),
    );
    snap(
        "card_empty",
        card_with(|r| matches!(r, Request::Person { .. }).then(|| Some(Ok(Payload::Person(None))))),
    );
    snap("card_filled", card_with(|_| None));
    snap(
        "card_error",
        card_with(|r| matches!(r, Request::Person { .. }).then(|| Some(refused("INTERNAL")))),
    );
}

#[test]
fn person_form() {
    let open = |lang| {
        let mut d = signed_in(lang);
        d.char('3');
        d.answer_with(venue);
        d.char('n');
        d
    };
    snap("person_form_empty", open);
    snap("person_form_filled", move |lang| {
        let mut d = open(lang);
        d.type_text("Hélène");
        d.key(KeyCode::Tab);
        d.type_text("Dupré");
        d.key(KeyCode::Tab);
        d.type_text("helene@exemple.fr");
        d
    });
    snap("person_form_saving", move |lang| {
        let mut d = open(lang);
        d.type_text("Hélène");
        d.key(KeyCode::Tab);
        d.type_text("Dupré");
        d.key(KeyCode::Enter);
        // Left unanswered: the form says it is saving and keeps what was typed.
        assert!(!d.pending.is_empty(), "the save was sent");
        d
    });
    snap("person_form_error", move |lang| {
        let mut d = open(lang);
        d.key(KeyCode::Tab);
        d.key(KeyCode::Tab);
        d.type_text("pas-un-email");
        d.key(KeyCode::Tab);
        d.type_text("12");
        d.key(KeyCode::Enter);
        d
    });
}

#[test]
fn membership_form() {
    let open = |lang, key: char, answer: fn(&Request) -> Option<Option<Response>>| {
        let mut d = signed_in(lang);
        d.char('3');
        d.answer_with(venue);
        d.key(KeyCode::Enter);
        d.answer_with(venue);
        d.char(key);
        d.answer_with(venue_but(answer));
        d
    };
    snap("membership_start_loading", move |lang| {
        open(lang, 'm', |r| matches!(r, Request::Plans).then_some(None))
    });
    snap("membership_start_filled", move |lang| {
        open(lang, 'm', |_| None)
    });
    snap("membership_renew", move |lang| open(lang, 'R', |_| None));
    snap("membership_start_empty", move |lang| {
        open(lang, 'm', |r| {
            matches!(r, Request::Plans).then(|| Some(Ok(Payload::Plans(vec![]))))
        })
    });
    snap("membership_start_error", move |lang| {
        let mut d = open(lang, 'm', |_| None);
        // Pay-what-you-can plan: below its floor.
        d.key(KeyCode::Right);
        d.key(KeyCode::Tab);
        d.key(KeyCode::Tab);
        for _ in 0..6 {
            d.key(KeyCode::Backspace);
        }
        d.type_text("1");
        d.key(KeyCode::Enter);
        d
    });
}

#[test]
fn too_small_says_so() {
    let d = signed_in(Lang::Fr);
    let screen = d.screen(70, 20);
    assert!(screen.contains("80×24"), "{screen}");
    insta::assert_snapshot!("too_small_fr", screen);
    let screen = signed_in(Lang::En).screen(70, 20);
    assert!(screen.contains("80×24"), "{screen}");
    insta::assert_snapshot!("too_small_en", screen);
    let mut d = signed_in(Lang::En);
    d.key(KeyCode::F(2));
    assert!(d.screen(80, 24).contains("Aujourd'hui"));
}

//! Flows driven by fake answers, without a server: stale answers, offline retries, an expired
//! session, quitting, roles, paging a long list, switching sites.

use ratatui::crossterm::event::KeyCode;

use super::Driver;
use super::fake::{self, venue};
use crate::api::{ApiError, Payload, Request};
use crate::app::{Action, Io};
use crate::i18n::Lang;

#[test]
fn a_stale_answer_never_lands_on_a_newer_search() {
    let mut d = fake::signed_in(Lang::En);
    d.char('3');
    d.answer_with(venue);
    d.char('/');
    d.type_text("zo");
    d.advance(300);
    let first = d.pending.pop().expect("a search for zo");
    d.type_text("e");
    d.advance(300);
    let second = d.pending.pop().expect("a search for zoe");
    let page = |name: &str| {
        let mut page = fake::people_page();
        page.rows.truncate(1);
        page.rows[0].last_name = name.into();
        Ok(Payload::People(page))
    };
    d.update(Action::Response(second.0, page("Newer")));
    d.update(Action::Response(first.0, page("Stale")));
    let screen = d.screen(80, 24);
    assert!(
        screen.contains("Newer") && !screen.contains("Stale"),
        "{screen}"
    );
}

#[test]
fn offline_reads_retry_with_backoff_and_keep_what_was_shown() {
    let mut d = fake::signed_in(Lang::Fr);
    d.key(KeyCode::Char('r'));
    let (ticket, _) = d.pending.pop().expect("a reload");
    let io = d.app.update(Action::Response(
        ticket,
        Err(ApiError::Unreachable("refused".into())),
    ));
    assert!(
        matches!(io.as_slice(), [Io::RetryAfter(delay, t)] if *t == ticket && delay.as_secs() == 1),
        "{io:?}"
    );
    let screen = d.screen(80, 24);
    assert!(screen.contains("Hors ligne"), "{screen}");
    assert!(
        screen.contains("Conseil d'adm"),
        "the day stays on screen:\n{screen}"
    );
    // The retry goes out again, and its answer brings the connection back.
    let io = d.app.update(Action::Retry(ticket));
    assert!(matches!(io.as_slice(), [Io::Perform(t, Request::Day { .. })] if *t == ticket));
    d.update(Action::Response(ticket, venue(&Request::Session).unwrap()));
    assert!(d.screen(80, 24).contains("Connecté"));
}

#[test]
fn an_expired_session_asks_to_log_in_again_and_keeps_the_form() {
    let mut d = fake::signed_in(Lang::En);
    d.char('3');
    d.answer_with(venue);
    d.char('n');
    d.type_text("Zoé");
    d.key(KeyCode::Esc);
    d.char('1');
    let (ticket, _) = d.pending.pop().expect("today reloads");
    d.update(Action::Response(ticket, fake::refused("UNAUTHENTICATED")));
    let screen = d.screen(80, 24);
    assert!(
        screen.contains("Sign in") && screen.contains("log in again"),
        "{screen}"
    );
    // Signing in again brings the same tabs back, the typed name included.
    d.type_text("password");
    d.key(KeyCode::Enter);
    d.answer_with(venue);
    d.char('3');
    d.answer_with(venue);
    assert!(d.screen(80, 24).contains("Zoé"), "{}", d.screen(80, 24));
}

#[test]
fn quitting_with_typed_input_asks_first() {
    let mut d = fake::signed_in(Lang::Fr);
    d.char('3');
    d.answer_with(venue);
    d.char('n');
    d.type_text("Zoé");
    d.key(KeyCode::Esc);
    d.char('q');
    assert!(d.app.running);
    assert!(d.screen(80, 24).contains("Quitter quand même ?"));
    d.char('n');
    assert!(d.app.running);
    d.char('q');
    d.char('o');
    assert!(!d.app.running);
}

#[test]
fn the_dashboard_is_for_managers_only() {
    let mut d = Driver::new(Lang::Fr, super::fixed_now());
    d.type_text("v@demo.lieu");
    d.key(KeyCode::Tab);
    d.type_text("password");
    d.key(KeyCode::Enter);
    d.answer_with(|r| match r {
        Request::Login { .. } => Some(Ok(Payload::LoggedIn {
            token: "t".into(),
            user: fake::user(crate::api::model::Role::Volunteer),
        })),
        Request::Session => Some(Ok(Payload::Session {
            user: Some(fake::user(crate::api::model::Role::Volunteer)),
            sites: fake::sites(),
        })),
        _ => venue(r),
    });
    let screen = d.screen(160, 48);
    assert!(!screen.contains("Tableau de bord"), "{screen}");
    d.char('6');
    assert!(d.screen(160, 48).contains("réservé aux gestionnaires"));
}

#[test]
fn ten_thousand_people_scroll_by_pages_and_draw_only_what_shows() {
    let mut d = fake::signed_in(Lang::En);
    d.char('3');
    let page = |r: &Request| {
        let Request::People { after, .. } = r else {
            return venue(r);
        };
        let from = after
            .as_ref()
            .map_or(0, |c| c[1..].parse::<usize>().unwrap());
        let mut page = fake::people_page();
        page.total = 10_000;
        page.has_next = from + 50 < 10_000;
        page.end_cursor = Some(format!("c{}", from + 50));
        page.rows = (from..from + 50)
            .map(|i| crate::api::model::PersonRow {
                id: format!("p{i}"),
                first_name: "Person".into(),
                last_name: format!("N{i:05}"),
                email: None,
                phone: None,
                membership: None,
            })
            .collect();
        Some(Ok(Payload::People(page)))
    };
    d.answer_with(page);
    assert!(d.screen(80, 24).contains("N00000"));
    // Page down through everything: the next page is asked for as the end comes near.
    for _ in 0..600 {
        d.key(KeyCode::PageDown);
        d.answer_with(page);
    }
    let screen = d.screen(80, 24);
    assert!(screen.contains("N09999"), "{screen}");
    assert!(!screen.contains("N00000"), "{screen}");
    let asked = d
        .performed
        .iter()
        .filter(|r| matches!(r, Request::People { .. }))
        .count();
    assert_eq!(asked, 200, "10,000 rows in pages of 50");
}

#[test]
fn the_site_switcher_reloads_today_for_the_other_site() {
    let mut d = Driver::new(Lang::Fr, super::fixed_now());
    d.type_text("lucie@demo.lieu");
    d.key(KeyCode::Tab);
    d.type_text("password");
    d.key(KeyCode::Enter);
    let mut sites = fake::sites();
    sites.push(crate::api::model::Site {
        id: "site2".into(),
        name: "Le Jardin du Moulin".into(),
        tz: fake::paris(),
        address: None,
    });
    d.answer_with(|r| match r {
        Request::Session => Some(Ok(Payload::Session {
            user: Some(fake::user(crate::api::model::Role::Volunteer)),
            sites: sites.clone(),
        })),
        _ => venue(r),
    });
    assert!(
        d.screen(160, 48).contains("s site"),
        "{}",
        d.screen(160, 48)
    );
    d.char('s');
    let asked: Vec<&Request> = d.pending.iter().map(|(_, r)| r).collect();
    assert!(
        matches!(asked.as_slice(), [Request::Day { site_id, .. }] if site_id == "site2"),
        "{asked:?}"
    );
    d.answer_with(venue);
    assert!(d.screen(160, 48).contains("Le Jardin du Moulin"));
}

/// A paid booking's cancellation asks about the money: `n` keeps the payment (and still
/// cancels), `Esc` cancels nothing.
#[test]
fn cancelling_a_paid_booking_asks_to_refund_or_keep_the_payment() {
    let paid = |r: &Request| match r {
        Request::Booking { id } => {
            let mut booking = fake::booking(id, 0, fake::at(fake::day(), 10), 2, "Atelier");
            booking.paid = true;
            Some(Ok(Payload::Booking(Some(booking))))
        }
        other => venue(other),
    };
    let mut d = fake::signed_in(Lang::En);
    d.key(KeyCode::Enter);
    d.answer_with(paid);
    d.char('x');
    d.type_text("postponed");
    d.key(KeyCode::Enter);
    d.char('y');
    let screen = d.screen(100, 30);
    assert!(screen.contains("keep the payment"), "{screen}");
    d.key(KeyCode::Esc);
    assert!(d.pending.is_empty(), "Esc cancels nothing");

    // Back in the reason, as typed: ask again and keep the payment.
    d.key(KeyCode::Enter);
    d.char('y');
    d.char('n');
    let (_, request) = d.pending.pop().expect("the cancellation");
    assert!(
        matches!(&request, Request::CancelBooking { reason: Some(r), refund: Some(false), .. } if r == "postponed"),
        "{request:?}"
    );
}

#[test]
fn a_half_typed_walk_in_survives_a_lost_network_and_goes_through_once_it_is_back() {
    let mut d = fake::signed_in(Lang::Fr);
    d.char('4');
    d.answer_with(venue);
    d.key(KeyCode::Enter);
    d.answer_with(venue);
    d.key(KeyCode::Esc);
    d.char('n');
    d.type_text("Paul Nouveau");
    d.key(KeyCode::Tab);
    d.type_text("paul@exemple.fr");
    // The network goes: the live socket drops and the walk-in cannot be sent.
    d.update(Action::Live(crate::live::Live::Down));
    d.key(KeyCode::Enter);
    d.answer_with(|r| match r {
        Request::WalkIn(_) => Some(Err(ApiError::Unreachable("network down".into()))),
        other => venue(other),
    });
    let screen = d.screen(80, 24);
    assert!(
        screen.contains("Hors ligne : rien n'a été enregistré"),
        "{screen}"
    );
    assert!(
        screen.contains("Paul Nouveau") && screen.contains("paul@exemple.fr"),
        "kept:\n{screen}"
    );
    // Back: Enter again sends the very same walk-in.
    d.key(KeyCode::Enter);
    let sent = d.pending.iter().find_map(|(_, r)| match r {
        Request::WalkIn(w) => Some(w.clone()),
        _ => None,
    });
    let sent = sent.expect("sent again");
    assert_eq!(sent.name.as_deref(), Some("Paul Nouveau"));
    assert_eq!(sent.email.as_deref(), Some("paul@exemple.fr"));
    d.answer_with(|r| match r {
        Request::WalkIn(w) => Some(Ok(Payload::Registration(
            crate::api::model::RegistrationRow {
                checked_in_at: Some(d_now()),
                name: w.name.clone().unwrap_or_default(),
                ..super::fake_desk::registration("r9", "Paul Nouveau", 1, "ABCD2345")
            },
        ))),
        other => venue(other),
    });
    let screen = d.screen(160, 48);
    assert!(
        screen.contains("✓ Paul Nouveau est arrivé·e (1 place)."),
        "{screen}"
    );
}

fn d_now() -> chrono::DateTime<chrono::Utc> {
    super::fixed_now()
}

#[test]
fn a_socket_up_before_the_session_is_read_still_counts() {
    let mut d = Driver::new(Lang::En, super::fixed_now());
    d.type_text("lucie@demo.lieu");
    d.key(KeyCode::Tab);
    d.type_text("password");
    d.key(KeyCode::Enter);
    // The login answers; the socket (started with the token) is up before the session.
    let (login, request) = d.pending.pop().expect("login");
    d.update(Action::Response(login, venue(&request).unwrap()));
    d.update(Action::Live(crate::live::Live::Up));
    d.answer_with(venue);
    let screen = d.screen(80, 24);
    assert!(screen.contains("Connected — live"), "{screen}");
}

/// Signed in, at the door of the fake venue's first event, out of the search field.
fn at_the_door() -> Driver {
    let mut d = fake::signed_in(Lang::En);
    d.char('4');
    d.answer_with(venue);
    d.key(KeyCode::Enter);
    d.answer_with(venue);
    d
}

#[test]
fn a_cancel_question_cancels_the_one_it_named_even_if_the_list_moved() {
    let mut d = at_the_door();
    d.key(KeyCode::Esc);
    d.key(KeyCode::Down); // Karim Benali (r2)
    d.char('x');
    assert!(
        d.screen(160, 48)
            .contains("Cancel the registration of Karim Benali")
    );
    // The list reloads under the question (another desk): Hélène is gone, Loïc is second.
    d.char('r');
    d.answer_with(|r| match r {
        Request::EventDesk { .. } => {
            let mut desk = super::fake_desk::desk();
            desk.registrations.retain(|r| r.id != "r1");
            Some(Ok(Payload::EventDesk(desk)))
        }
        other => venue(other),
    });
    d.char('y');
    let cancelled = d.pending.iter().find_map(|(_, r)| match r {
        Request::CancelRegistration { id, .. } => Some(id.clone()),
        _ => None,
    });
    assert_eq!(cancelled.as_deref(), Some("r2"));
}

#[test]
fn a_scan_while_the_previous_check_in_is_on_its_way_waits_its_turn() {
    let mut d = at_the_door();
    d.type_text("PV37AR67");
    d.key(KeyCode::Enter);
    d.type_text("XYRK9J4P");
    d.key(KeyCode::Enter);
    let asked: Vec<_> = d
        .pending
        .iter()
        .filter(|(_, r)| matches!(r, Request::CheckIn { .. }))
        .cloned()
        .collect();
    assert_eq!(asked.len(), 1, "one at a time: {asked:?}");
    let (ticket, _) = asked[0].clone();
    d.pending.retain(|(t, _)| *t != ticket);
    let karim = super::fake_desk::registration("r2", "Karim Benali", 1, "PV37AR67");
    d.update(Action::Response(
        ticket,
        Ok(Payload::Registration(crate::api::model::RegistrationRow {
            checked_in_at: Some(super::fixed_now()),
            ..karim
        })),
    ));
    assert!(
        d.pending.iter().any(
            |(_, r)| matches!(r, Request::CheckIn { registration_id } if registration_id == "r3")
        ),
        "the second scan (Zoé's code) went next: {:?}",
        d.pending
    );
}

#[test]
fn a_form_that_saves_after_the_desk_switched_tabs_closes_itself_only() {
    let mut d = at_the_door();
    d.key(KeyCode::Esc);
    d.char('n');
    d.type_text("Paul Nouveau");
    d.key(KeyCode::Enter);
    let (ticket, _) = d
        .pending
        .iter()
        .find(|(_, r)| matches!(r, Request::WalkIn(_)))
        .cloned()
        .expect("the walk-in on its way");
    d.pending.retain(|(t, _)| *t != ticket);
    // Meanwhile the desk opens a card in People.
    d.key(KeyCode::Esc);
    d.char('3');
    d.answer_with(venue);
    d.key(KeyCode::Enter);
    d.answer_with(venue);
    assert!(d.screen(160, 48).contains("Card — Hélène Dupré"));
    d.update(Action::Response(
        ticket,
        Ok(Payload::Registration(crate::api::model::RegistrationRow {
            checked_in_at: Some(super::fixed_now()),
            ..super::fake_desk::registration("r9", "Paul Nouveau", 1, "ABCD2345")
        })),
    ));
    assert!(
        d.screen(160, 48).contains("Card — Hélène Dupré"),
        "the card stays"
    );
    d.char('4');
    d.answer_with(venue);
    assert!(
        d.screen(160, 48).contains("Check-in — Repair café"),
        "the form closed"
    );
}

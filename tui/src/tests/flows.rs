//! Whole flows against a real server started by the test (on the database CI chooses): keys
//! in, real API answers back, the screen read as a person would.

use ratatui::crossterm::event::KeyCode;

use super::Driver;
use crate::api::Client;
use crate::i18n::Lang;

pub(super) async fn demo_venue() -> (lieu_tests::TestApp, Client) {
    let app = lieu_tests::spawn_app().await;
    lieu_api::demo::seed_if_empty(&app.db, &app.clock)
        .await
        .expect("demo venue");
    let client = Client::new(&app.base_url).unwrap();
    (app, client)
}

pub(super) async fn sign_in(client: &Client, server: &str, email: &str, password: &str) -> Driver {
    let mut d = Driver::with_server(server, Lang::Fr);
    d.type_text(email);
    d.key(KeyCode::Tab);
    d.type_text(password);
    d.key(KeyCode::Enter);
    d.settle(client).await;
    d
}

/// The demo venue, and a volunteer signed in at the desk.
pub(super) async fn at_the_desk() -> (lieu_tests::TestApp, Client, Driver) {
    let (server, client) = demo_venue().await;
    let d = sign_in(
        &client,
        &server.base_url,
        "volunteer@demo.lieu",
        "demo-volunteer-pass",
    )
    .await;
    (server, client, d)
}

/// From anywhere: People, the search typed, the first result's card.
pub(super) async fn open_card(d: &mut Driver, client: &Client, search: &str) {
    d.char('3');
    d.settle(client).await;
    d.char('/');
    d.type_text(search);
    d.settle(client).await;
    d.key(KeyCode::Enter);
    d.key(KeyCode::Enter);
    d.settle(client).await;
}

pub(super) fn assert_shows(d: &Driver, text: &str) -> String {
    let screen = d.screen(160, 48);
    assert!(
        screen.contains(text),
        "expected {text:?} on screen:\n{screen}"
    );
    screen
}

pub(super) fn info_line(d: &Driver) -> String {
    let screen = d.screen(160, 48);
    screen
        .lines()
        .find(|l| l.contains(":00 — "))
        .map(str::to_string)
        .unwrap_or_default()
}

/// Puts the grid's cursor on Wednesday 00:00 of the week shown, whatever day the test runs:
/// the demo venue is closed on Sundays and some mornings.
pub(super) fn to_wednesday_midnight(d: &mut Driver) {
    use chrono::Datelike;
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Paris)
        .weekday()
        .num_days_from_monday();
    for _ in 2..today {
        d.char('h');
    }
    for _ in today..2 {
        d.char('l');
    }
    for _ in 0..24 {
        d.key(KeyCode::Up);
    }
}

/// Moves the cursor down to the first free hour; false when there is none that day.
pub(super) fn to_free_hour(d: &mut Driver) -> bool {
    for _ in 0..24 {
        if d.screen(160, 48).contains("libre : Entrée pour réserver") {
            return true;
        }
        d.key(KeyCode::Down);
    }
    false
}

#[tokio::test]
async fn log_in_book_a_free_slot_with_a_conflict_then_without_and_cancel() {
    let (server, client) = demo_venue().await;
    let mut d = sign_in(
        &client,
        &server.base_url,
        "volunteer@demo.lieu",
        "demo-volunteer-pass",
    )
    .await;
    assert_shows(&d, "Aujourd'hui");
    assert_shows(&d, "Connecté");

    // The week grid, next week (nothing there is in the past), the first free hour.
    d.char('2');
    d.settle(&client).await;
    assert_shows(&d, "Réservations");
    d.key(KeyCode::Right);
    d.settle(&client).await;
    to_wednesday_midnight(&mut d);
    assert!(
        to_free_hour(&mut d),
        "no free hour in the grid:\n{}",
        d.screen(160, 48)
    );

    // Quote first, then confirm.
    d.key(KeyCode::Enter);
    d.settle(&client).await;
    assert_shows(&d, "Nouvelle réservation");
    d.type_text("Réunion du collectif");
    d.key(KeyCode::Enter);
    d.settle(&client).await;
    assert_shows(&d, "Libre. Entrée pour confirmer");
    d.key(KeyCode::Enter);
    d.settle(&client).await;
    assert_shows(&d, "Réservation enregistrée");
    assert_shows(&d, "Réunion du collectif");

    // The same hour again: the quote shows the conflict with its local times.
    d.char('n');
    d.settle(&client).await;
    d.type_text("Doublon");
    d.key(KeyCode::Enter);
    d.settle(&client).await;
    let screen = assert_shows(&d, "Conflit");
    assert!(screen.contains(":00–"), "conflict times shown:\n{screen}");

    // Later hours until one is free, then book it.
    let mut booked = false;
    for hour in 8..22 {
        d.key(KeyCode::BackTab);
        d.key(KeyCode::BackTab);
        d.key(KeyCode::End);
        for _ in 0..5 {
            d.key(KeyCode::Backspace);
        }
        d.type_text(&format!("{hour:02}:00"));
        d.key(KeyCode::Tab);
        d.key(KeyCode::End);
        for _ in 0..5 {
            d.key(KeyCode::Backspace);
        }
        d.type_text(&format!("{:02}:00", hour + 1));
        d.key(KeyCode::Tab);
        d.key(KeyCode::Enter);
        d.settle(&client).await;
        if hour == 8 {
            // Before opening: the quote says so (the server would accept it).
            let screen = d.screen(160, 48);
            assert!(
                screen.contains("en dehors des heures d'ouverture") || screen.contains("Conflit"),
                "{screen}"
            );
        }
        if d.screen(160, 48).contains("Libre. Entrée pour confirmer") {
            d.key(KeyCode::Enter);
            d.settle(&client).await;
            assert_shows(&d, "Réservation enregistrée");
            booked = true;
            break;
        }
    }
    assert!(
        booked,
        "no free hour found by the form:\n{}",
        d.screen(160, 48)
    );

    // Back on the grid, the first booking is under the cursor: open it and cancel it.
    assert!(
        info_line(&d).contains("Réunion du collectif"),
        "{}",
        d.screen(160, 48)
    );
    d.key(KeyCode::Enter);
    d.settle(&client).await;
    assert_shows(&d, "Quand");
    // Paid at the desk first: cancelling then asks whether to pay it back.
    let lines = server.count_rows("revenues").await;
    d.char('p');
    assert_shows(&d, "Enregistrer le paiement");
    d.char('o');
    d.settle(&client).await;
    d.char('x');
    d.type_text("reportée");
    d.key(KeyCode::Enter);
    assert_shows(&d, "Annuler cette réservation ?");
    d.char('o');
    assert_shows(&d, "rembourser");
    d.char('o');
    d.settle(&client).await;
    assert_shows(&d, "Réservation annulée");
    assert_eq!(
        server.count_rows("revenues").await,
        lines + 2,
        "the payment and its reversing entry"
    );
    assert_shows(&d, "annulée");
    assert_shows(&d, "reportée");
    server.stop().await;
}

#[tokio::test]
async fn search_helene_open_her_card_and_renew_her_membership() {
    let (server, client) = demo_venue().await;
    let mut d = sign_in(
        &client,
        &server.base_url,
        "volunteer@demo.lieu",
        "demo-volunteer-pass",
    )
    .await;
    d.char('3');
    d.settle(&client).await;
    assert_shows(&d, "Personnes");
    d.char('/');
    d.type_text("helene");
    d.settle(&client).await;
    // Accents ignored on the way in, kept on the way back.
    assert_shows(&d, "Dupré Hélène");
    // Many Hélènes: one more word narrows it to her.
    d.type_text(" dupre");
    d.settle(&client).await;
    assert_shows(&d, "1 personne");
    d.key(KeyCode::Enter);
    d.key(KeyCode::Enter);
    d.settle(&client).await;
    assert_shows(&d, "Fiche — Hélène Dupré");
    assert_shows(&d, "Adhérent·e :");

    d.char('R');
    d.settle(&client).await;
    assert_shows(&d, "Renouveler l'adhésion");
    d.key(KeyCode::Enter);
    d.settle(&client).await;
    assert_shows(&d, "Adhésion renouvelée");
    assert_shows(&d, "à venir");
    server.stop().await;
}

#[tokio::test]
async fn a_wrong_password_and_an_unreachable_server_say_what_to_do() {
    let (server, client) = demo_venue().await;
    let d = sign_in(
        &client,
        &server.base_url,
        "volunteer@demo.lieu",
        "not the password",
    )
    .await;
    assert_shows(&d, "Email ou mot de passe incorrect.");
    server.stop().await;

    let dead = Client::new("http://127.0.0.1:9").unwrap();
    let d = sign_in(&dead, "http://127.0.0.1:9", "volunteer@demo.lieu", "x").await;
    assert_shows(&d, "Serveur injoignable");
}

#[tokio::test]
async fn a_weekly_series_is_quoted_booked_and_cancelled_from_one_occurrence_on() {
    let (server, client) = demo_venue().await;
    let mut d = sign_in(
        &client,
        &server.base_url,
        "manager@demo.lieu",
        "demo-manager-pass",
    )
    .await;
    d.char('2');
    d.settle(&client).await;
    // Three weeks ahead: a free hour.
    for _ in 0..3 {
        d.key(KeyCode::Right);
    }
    d.settle(&client).await;
    to_wednesday_midnight(&mut d);
    assert!(to_free_hour(&mut d), "no free hour:\n{}", d.screen(160, 48));
    d.key(KeyCode::Enter);
    d.settle(&client).await;
    d.type_text("Chorale");
    // Title → booker → people → tier → repeat: weekly, three times.
    for _ in 0..4 {
        d.key(KeyCode::Tab);
    }
    d.key(KeyCode::Right);
    d.key(KeyCode::Right);
    d.key(KeyCode::Tab);
    d.type_text("3");
    d.key(KeyCode::Enter);
    d.settle(&client).await;
    let screen = assert_shows(&d, "par occurrence");
    if screen.contains("Conflit") {
        // The first occurrence is free (the cell was): a later one is in the way. The demo
        // data decides; the series is then refused as a whole.
        return server.stop().await;
    }
    d.key(KeyCode::Enter);
    d.settle(&client).await;
    let screen = d.screen(160, 48);
    if screen.contains("Conflit") {
        assert!(
            screen.contains(":00–"),
            "each conflict has its times:\n{screen}"
        );
        return server.stop().await;
    }
    assert_shows(&d, "3 réservations enregistrées.");
    d.key(KeyCode::Enter);
    d.settle(&client).await;
    assert_shows(&d, "fait partie d'une série");
    // This occurrence is paid at the desk: the server then asks about the money, and the
    // front desk keeps the payment (`n`).
    let lines = server.count_rows("revenues").await;
    d.char('p');
    d.char('o');
    d.settle(&client).await;
    d.char('X');
    d.key(KeyCode::Enter);
    assert_shows(&d, "toutes les suivantes");
    d.char('o');
    d.settle(&client).await;
    assert_shows(&d, "les rembourser ?");
    d.char('n');
    d.settle(&client).await;
    assert_shows(&d, "3 réservations annulées.");
    assert_eq!(
        server.count_rows("revenues").await,
        lines + 1,
        "the payment, kept"
    );
    server.stop().await;
}

#[tokio::test]
async fn the_server_s_validation_lands_under_its_field() {
    let (server, client) = demo_venue().await;
    let mut d = sign_in(
        &client,
        &server.base_url,
        "volunteer@demo.lieu",
        "demo-volunteer-pass",
    )
    .await;
    d.char('3');
    d.settle(&client).await;
    d.char('n');
    d.type_text("Hélène");
    d.key(KeyCode::Tab);
    d.type_text("Homonyme");
    d.key(KeyCode::Tab);
    // Hélène Dupré's address (the demo's first person): taken.
    d.type_text("helene.dupre.0@exemple.fr");
    d.key(KeyCode::Enter);
    d.settle(&client).await;
    let screen = d.screen(160, 48);
    let email_line = screen
        .lines()
        .position(|l| l.contains("helene.dupre.0@exemple.fr"))
        .expect("the email field");
    let under = screen.lines().nth(email_line + 1).unwrap_or_default();
    assert!(
        under.contains('⚠'),
        "the error sits under the email:\n{screen}"
    );
    assert_shows(&d, "Nouvelle personne");
    // Nothing typed was lost.
    assert_shows(&d, "Homonyme");
    server.stop().await;
}

#[tokio::test]
async fn a_resident_organization_books_at_the_resident_rate() {
    let (server, client) = demo_venue().await;
    let mut d = sign_in(
        &client,
        &server.base_url,
        "volunteer@demo.lieu",
        "demo-volunteer-pass",
    )
    .await;
    d.char('2');
    d.settle(&client).await;
    d.char('n');
    d.settle(&client).await;
    // Back to the space field, on to the hall (it has a RESIDENT rate).
    for _ in 0..4 {
        d.key(KeyCode::BackTab);
    }
    for _ in 0..12 {
        if d.screen(160, 48).contains("◂ Grande salle ▸") {
            break;
        }
        d.key(KeyCode::Right);
    }
    assert_shows(&d, "◂ Grande salle ▸");
    for _ in 0..4 {
        d.key(KeyCode::Tab);
    }
    d.type_text("Assemblée du réseau vélo");
    d.key(KeyCode::Tab);
    d.type_text("velo");
    d.settle(&client).await;
    assert_shows(&d, "Atelier Vélo Solidaire · structure résidente");
    d.key(KeyCode::Enter);
    d.key(KeyCode::Enter);
    d.settle(&client).await;
    assert_shows(&d, "Devis : RESIDENT");
    server.stop().await;
}

#[tokio::test]
async fn a_manager_approves_from_today_and_the_desk_takes_a_payment_and_edits_a_person() {
    let (server, client) = demo_venue().await;
    let mut d = sign_in(
        &client,
        &server.base_url,
        "manager@demo.lieu",
        "demo-manager-pass",
    )
    .await;
    let screen = assert_shows(&d, "À valider (");
    let before = screen
        .split("À valider (")
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .and_then(|n| n.parse::<usize>().ok())
        .expect("a pending count");
    assert!(before > 0, "the demo has bookings waiting:\n{screen}");
    d.key(KeyCode::Tab);
    d.char('c');
    assert_shows(&d, "Valider la réservation");
    d.char('o');
    d.settle(&client).await;
    assert_shows(&d, "Réservation validée.");
    assert_shows(&d, &format!("À valider ({})", before - 1));

    // The next pending one: open it, take the payment.
    d.key(KeyCode::Enter);
    d.settle(&client).await;
    assert_shows(&d, "à payer");
    d.char('p');
    assert_shows(&d, "Enregistrer le paiement de");
    d.char('o');
    d.settle(&client).await;
    assert_shows(&d, "Paiement enregistré.");
    assert_shows(&d, "· payé");
    d.key(KeyCode::Esc);

    // A person's phone, changed from their card.
    d.char('3');
    d.settle(&client).await;
    d.char('/');
    d.type_text("helene dupre");
    d.settle(&client).await;
    d.key(KeyCode::Enter);
    d.key(KeyCode::Enter);
    d.settle(&client).await;
    d.char('e');
    d.settle(&client).await;
    for _ in 0..3 {
        d.key(KeyCode::Tab);
    }
    d.key(KeyCode::End);
    for _ in 0..20 {
        d.key(KeyCode::Backspace);
    }
    d.type_text("06 11 22 33 44");
    d.key(KeyCode::Enter);
    d.settle(&client).await;
    assert_shows(&d, "Enregistré.");
    assert_shows(&d, "06 11 22 33 44");
    assert!(
        !d.screen(160, 48).contains("Né·e en       —"),
        "the demo has her birth year"
    );

    // Erasing a field clears it (the birth year needs an explicit null).
    d.char('e');
    d.settle(&client).await;
    for _ in 0..5 {
        d.key(KeyCode::Tab);
    }
    d.key(KeyCode::End);
    for _ in 0..4 {
        d.key(KeyCode::Backspace);
    }
    d.key(KeyCode::Enter);
    d.settle(&client).await;
    assert_shows(&d, "Né·e en       —");
    assert_shows(&d, "06 11 22 33 44");
    server.stop().await;
}

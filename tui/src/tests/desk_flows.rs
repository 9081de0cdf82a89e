//! More of the front desk's day against a real server: a booking moved and retitled from its
//! card, a membership cancelled from a person's card, one renewed from the expiring list.

use ratatui::crossterm::event::KeyCode;

use super::flows::{
    assert_shows, at_the_desk, info_line, open_card, to_free_hour, to_wednesday_midnight,
};

/// Clears the focused text field and types `text` in it.
fn retype(d: &mut super::Driver, text: &str) {
    d.key(KeyCode::End);
    for _ in 0..40 {
        d.key(KeyCode::Backspace);
    }
    d.type_text(text);
}

#[tokio::test]
async fn a_booking_is_moved_and_retitled_from_its_card() {
    let (server, client, mut d) = at_the_desk().await;
    // Two weeks ahead, Wednesday: the first free hour from midnight.
    d.char('2');
    d.settle(&client).await;
    d.key(KeyCode::Right);
    d.key(KeyCode::Right);
    d.settle(&client).await;
    to_wednesday_midnight(&mut d);
    assert!(to_free_hour(&mut d), "no free hour:\n{}", d.screen(160, 48));
    d.key(KeyCode::Enter);
    d.settle(&client).await;
    d.type_text("Atelier couture");
    d.key(KeyCode::Enter);
    d.settle(&client).await;
    d.key(KeyCode::Enter);
    d.settle(&client).await;
    assert_shows(&d, "Réservation enregistrée");
    assert!(
        info_line(&d).contains("Atelier couture"),
        "{}",
        d.screen(160, 48)
    );

    // Its card, then `e`: day, start, end, title… come filled in.
    d.key(KeyCode::Enter);
    d.settle(&client).await;
    assert_shows(&d, "Quand");
    let before = server.count_rows("bookings").await;
    d.char('e');
    d.settle(&client).await;
    assert_shows(&d, "Atelier couture");
    d.key(KeyCode::Tab);
    retype(&mut d, "05:00");
    d.key(KeyCode::Tab);
    retype(&mut d, "06:30");
    d.key(KeyCode::Tab);
    retype(&mut d, "Atelier couture (avancé)");
    d.key(KeyCode::Enter);
    d.settle(&client).await;
    assert_shows(&d, "Réservation modifiée.");
    let screen = assert_shows(&d, "Atelier couture (avancé)");
    assert!(
        screen.contains("05:00") && screen.contains("06:30"),
        "{screen}"
    );
    assert_eq!(
        server.count_rows("bookings").await,
        before,
        "moved, not copied"
    );
    server.stop().await;
}

#[tokio::test]
async fn a_membership_is_cancelled_from_the_card_and_its_payment_stays() {
    let (server, client, mut d) = at_the_desk().await;
    open_card(&mut d, &client, "helene dupre").await;
    assert_shows(&d, "Fiche — Hélène Dupré");
    let revenues = server.count_rows("revenues").await;
    d.char('x');
    assert_shows(&d, "Annuler l'adhésion");
    assert_shows(&d, "Le paiement reste enregistré.");
    d.char('o');
    d.settle(&client).await;
    assert_shows(&d, "Adhésion annulée.");
    assert_shows(&d, "annulée");
    assert_eq!(server.count_rows("revenues").await, revenues);
    server.stop().await;
}

#[tokio::test]
async fn a_membership_is_renewed_from_the_expiring_list() {
    let (server, client, mut d) = at_the_desk().await;
    d.char('3');
    d.settle(&client).await;
    let memberships = server.count_rows("memberships").await;
    // The expiring pane, its first line, `R`: the renewal form, then Enter.
    d.key(KeyCode::Tab);
    d.char('R');
    d.settle(&client).await;
    assert_shows(&d, "Renouveler l'adhésion");
    d.key(KeyCode::Enter);
    d.settle(&client).await;
    assert_shows(&d, "Adhésion renouvelée");
    assert_eq!(server.count_rows("memberships").await, memberships + 1);
    server.stop().await;
}

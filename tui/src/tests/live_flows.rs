//! Live updates against a real server: the activity subscription brings another desk's
//! booking and check-in within a second; without it, the screens poll and the status line
//! says which.

use std::time::Duration;

use chrono::{SecondsFormat, Utc};
use lieu_api::domain::Role;
use lieu_tests::serde_json::json;
use tokio::sync::mpsc;

use super::door_flows::{event, open_door, register};
use super::flows::{assert_shows, at_the_desk};
use crate::api::Request;
use crate::app::Action;
use crate::live::{self, Live};

/// The subscription of a desk, as the runtime runs it; its actions come out of the receiver.
async fn subscribe(server: &lieu_tests::TestApp) -> mpsc::UnboundedReceiver<Action> {
    let token = server.token_for(Role::Volunteer).await;
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(live::run(server.base_url.clone(), token, tx));
    rx
}

async fn next(rx: &mut mpsc::UnboundedReceiver<Action>) -> Action {
    tokio::time::timeout(Duration::from_secs(1), rx.recv())
        .await
        .expect("within a second")
        .expect("the subscription runs")
}

#[tokio::test]
async fn a_booking_made_at_another_desk_appears_on_today_through_the_subscription() {
    let (server, client, mut d) = at_the_desk().await;
    let mut rx = subscribe(&server).await;
    let up = tokio::time::timeout(Duration::from_secs(5), rx.recv())
        .await
        .unwrap()
        .unwrap();
    assert!(matches!(up, Action::Live(Live::Up)), "{up:?}");
    d.update(up);
    d.settle(&client).await;
    assert_shows(&d, "Connecté — en direct");

    // Another desk books a room of this site, around now (so that it is today's).
    let manager = server.token_for(Role::Manager).await;
    let sites = server.gql_as(&manager, "{ sites { id } }", json!({})).await;
    let site = sites.data()["sites"][0]["id"].as_str().unwrap().to_string();
    let space = server
        .create_space(&manager, "Salle du direct", json!({"siteId": site}))
        .await;
    let now = Utc::now();
    let text = |t: chrono::DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::Secs, true);
    let booked = server
        .book(
            &manager,
            json!({"spaceId": space, "title": "Réunion vue en direct",
                   "start": text(now - chrono::Duration::minutes(10)),
                   "end": text(now + chrono::Duration::minutes(10))}),
        )
        .await;
    assert!(
        booked.data()["createBooking"]["id"].is_string(),
        "{booked:?}"
    );
    assert!(
        !d.screen(160, 48).contains("Réunion vue en direct"),
        "not there before the event"
    );
    let event = next(&mut rx).await;
    assert!(
        matches!(&event, Action::Live(Live::Event(a)) if a.kind == "BOOKING_CREATED"),
        "{event:?}"
    );
    let asked = d.performed.len();
    d.update(event);
    d.settle(&client).await;
    assert!(
        d.performed[asked..]
            .iter()
            .any(|r| matches!(r, Request::Day { .. })),
        "the event made the day reload"
    );
    assert_shows(&d, "Réunion vue en direct");
    server.stop().await;
}

#[tokio::test]
async fn a_check_in_at_another_desk_updates_the_counts_at_the_door() {
    let (server, client, mut d) = at_the_desk().await;
    let event_id = event(&server, "Atelier en direct", 10).await;
    let anne = register(&server, &event_id, "Anne Direct").await;
    let mut rx = subscribe(&server).await;
    let up = tokio::time::timeout(Duration::from_secs(5), rx.recv())
        .await
        .unwrap()
        .unwrap();
    d.update(up);
    open_door(&mut d, &client, "Atelier en direct").await;
    assert_shows(&d, "0 arrivés");
    // The other desk: a check-in (the registration's event) arrives within a second.
    let other = server.token_for(Role::Volunteer).await;
    server
        .gql_as(
            &other,
            "mutation($r: ID!) { checkIn(registrationId: $r) { id } }",
            json!({"r": anne["id"]}),
        )
        .await;
    loop {
        let action = next(&mut rx).await;
        let done = matches!(&action, Action::Live(Live::Event(a)) if a.kind == "CHECKED_IN");
        d.update(action);
        if done {
            break;
        }
    }
    d.settle(&client).await;
    assert_shows(&d, "1/10 inscrits · 1 arrivés");
    server.stop().await;
}

#[test]
fn without_the_subscription_the_screens_poll_and_the_status_line_says_so() {
    let mut d = super::fake::signed_in(crate::i18n::Lang::En);
    d.update(Action::Live(Live::Up));
    d.answer_with(super::fake::venue);
    assert!(d.screen(80, 24).contains("Connected — live"));
    // Live: the seconds pass and nothing is asked again, until the minute's safety read
    // (an undone check-in or a moved booking has no activity event).
    for _ in 0..11 {
        d.advance(5_000);
    }
    assert!(d.pending.is_empty(), "{:?}", d.pending);
    d.advance(6_000);
    assert!(
        d.pending
            .iter()
            .any(|(_, r)| matches!(r, Request::Day { .. })),
        "the minute's read: {:?}",
        d.pending
    );
    d.answer_with(super::fake::venue);
    // The socket drops: polling, said on the status line; the day is read every 30 s.
    d.update(Action::Live(Live::Down));
    assert!(d.screen(80, 24).contains("Connected — polling"));
    d.advance(31_000);
    assert!(
        d.pending
            .iter()
            .any(|(_, r)| matches!(r, Request::Day { .. })),
        "{:?}",
        d.pending
    );
    d.answer_with(super::fake::venue);
    // Back up: the day is read once (what happened meanwhile), then followed live.
    d.update(Action::Live(Live::Up));
    assert!(
        d.pending
            .iter()
            .any(|(_, r)| matches!(r, Request::Day { .. }))
    );
    d.answer_with(super::fake::venue);
}

//! The calendar feed of a space over HTTP, as a real iCalendar parser reads it.

use lieu_api::domain::Role;
use lieu_tests::serde_json::json;
use lieu_tests::spawn_app;

#[tokio::test]
async fn the_calendar_feed_parses_with_local_times_and_hides_titles_from_the_public() {
    let app = spawn_app().await;
    let manager = app.token_for(Role::Manager).await;
    let room = app
        .create_space(&manager, "Salle Jaurès", json!({"requiresApproval": true}))
        .await;
    // A booking on each side of the March change, and one cancelled.
    let now = chrono::Utc::now();
    let year = now.format("%Y").to_string().parse::<i32>().unwrap() + 1;
    for (start, end, title) in [
        (
            format!("{year}-03-16T09:00:00Z"),
            format!("{year}-03-16T11:00:00Z"),
            "Atelier vélo; réparation",
        ),
        (
            format!("{year}-03-30T08:00:00Z"),
            format!("{year}-03-30T10:00:00Z"),
            "Conseil d'administration",
        ),
    ] {
        app.book(
            &manager,
            json!({"spaceId": room, "start": start, "end": end, "title": title}),
        )
        .await
        .data();
    }
    let cancelled = app
        .book(&manager, json!({"spaceId": room, "start": format!("{year}-01-05T09:00:00Z"), "end": format!("{year}-01-05T10:00:00Z"), "title": "Annulé"}))
        .await;
    app.gql_as(
        &manager,
        "mutation($id: ID!) { cancelBooking(id: $id) { status } }",
        json!({ "id": cancelled.data()["createBooking"]["id"] }),
    )
    .await
    .data();

    let response = app.get(&format!("/ical/spaces/{room}.ics")).await;
    assert_eq!(response.status().as_u16(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    assert_eq!(response.headers()["vary"], "Authorization");
    let body = response.text().await.unwrap();
    assert!(body.contains("SUMMARY:Occupé"));
    let unfolded = icalendar::parser::unfold(&body);
    let calendar = icalendar::parser::read_calendar(&unfolded).expect("a valid iCalendar");
    let events: Vec<_> = calendar
        .components
        .iter()
        .filter(|c| c.name == "VEVENT")
        .collect();
    assert_eq!(events.len(), 2, "the cancelled booking is not busy");
    let timezones: Vec<_> = calendar
        .components
        .iter()
        .filter(|c| c.name == "VTIMEZONE")
        .collect();
    assert_eq!(timezones.len(), 1);
    let dtstarts: Vec<String> = events
        .iter()
        .map(|e| {
            let p = e.properties.iter().find(|p| p.name == "DTSTART").unwrap();
            let tzid = p
                .params
                .iter()
                .find(|x| x.key == "TZID")
                .and_then(|x| x.val.as_ref())
                .unwrap();
            format!("{}:{}", tzid.as_str(), p.val.as_str())
        })
        .collect();
    // Both at 10:00 local, on each side of the change.
    assert_eq!(
        dtstarts,
        [
            format!("Europe/Paris:{year}0316T100000"),
            format!("Europe/Paris:{year}0330T100000")
        ]
    );
    assert!(!body.contains("Atelier"), "the public sees busy times only");
    assert!(
        body.contains("STATUS:TENTATIVE"),
        "pending bookings are tentative"
    );

    // Staff see titles (escaped as RFC 5545 wants).
    let staff = app
        .client
        .get(format!("{}/ical/spaces/{room}.ics", app.base_url))
        .bearer_auth(&manager)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        staff.contains("SUMMARY:Atelier vélo\\; réparation"),
        "{staff}"
    );

    assert_eq!(
        app.get(&format!("/ical/spaces/{}.ics", uuid::Uuid::new_v4()))
            .await
            .status()
            .as_u16(),
        404
    );
    assert_eq!(
        app.get("/ical/spaces/nope.ics").await.status().as_u16(),
        404
    );
}

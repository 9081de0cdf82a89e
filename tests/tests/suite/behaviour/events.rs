//! Events: they hold their spaces through the booking rules, programmes and their sessions,
//! series, moves and cancellations.

use lieu_api::domain::Role;
use lieu_tests::serde_json::{Value, json};
use lieu_tests::{TestApp, spawn_schema};

use super::event_fixtures::{CREATE, create, event, read, register};

async fn venue() -> (TestApp, String, String, String, String) {
    let app = spawn_schema().await;
    let manager = app.token_for(Role::Manager).await;
    let volunteer = app.token_for(Role::Volunteer).await;
    let hall = app
        .create_space(&manager, "Grande salle", json!({"capacity": 120}))
        .await;
    let half = app
        .create_space(
            &manager,
            "Demi-salle",
            json!({"parentId": hall, "capacity": 60}),
        )
        .await;
    (app, manager, volunteer, hall, half)
}

fn slot(space: &str, start: &str, end: &str) -> Value {
    json!({"spaceId": space, "start": start, "end": end, "title": "Réunion"})
}

#[tokio::test]
async fn an_event_and_a_booking_never_share_a_space_or_its_hall() {
    let (app, manager, volunteer, hall, half) = venue().await;
    let booked = app
        .book(
            &volunteer,
            slot(
                &half,
                "2027-06-05T10:00:00+02:00",
                "2027-06-05T12:00:00+02:00",
            ),
        )
        .await;
    let booking_id = booked.data()["createBooking"]["id"].clone();
    // The hall holds its half: an event there at that time is refused, naming the booking.
    let refused = app
        .gql_as(
            &manager,
            CREATE,
            json!({"i": event("Concert", "2027-06-05T11:00:00+02:00", "2027-06-05T13:00:00+02:00", &[&hall], json!({}))}),
        )
        .await;
    assert_eq!(refused.error_code(), "BOOKING_CONFLICT");
    assert_eq!(
        refused.first_error()["extensions"]["conflicts"][0]["bookingId"],
        booking_id
    );
    assert_eq!(app.count_rows("events").await, 0, "nothing is written");
    // Later, the event takes the hall; a booking of its half then is refused.
    let id = create(
        &app,
        &manager,
        event(
            "Concert",
            "2027-06-05T14:00:00+02:00",
            "2027-06-05T16:00:00+02:00",
            &[&hall],
            json!({"capacity": 100}),
        ),
    )
    .await;
    let clash = app
        .book(
            &volunteer,
            slot(
                &half,
                "2027-06-05T15:00:00+02:00",
                "2027-06-05T17:00:00+02:00",
            ),
        )
        .await;
    assert_eq!(clash.error_code(), "BOOKING_CONFLICT");
    // The event's booking points back at it and is free; it changes with the event only.
    let bookings = app
        .gql_as(
            &volunteer,
            "query($s: ID!) { bookings(filter: {spaceId: $s}) { edges { node { id price event { id title } } } } }",
            json!({"s": hall}),
        )
        .await;
    let node = &bookings.data()["bookings"]["edges"][0]["node"];
    assert_eq!(node["event"]["id"], id.as_str());
    assert_eq!(node["price"], "0.00");
    let cancel = app
        .gql_as(
            &volunteer,
            "mutation($id: ID!) { cancelBooking(id: $id) { id } }",
            json!({"id": node["id"]}),
        )
        .await;
    assert_eq!(cancel.error_code(), "INVALID_STATE");
    // Capacity within its spaces; spaces on one site, none inside another.
    let too_many = app
        .gql_as(
            &manager,
            CREATE,
            json!({"i": event("Grand", "2027-06-06T14:00:00+02:00", "2027-06-06T16:00:00+02:00", &[&hall], json!({"capacity": 500}))}),
        )
        .await;
    assert_eq!(too_many.first_error()["extensions"]["field"], "capacity");
    let nested = app
        .gql_as(
            &manager,
            CREATE,
            json!({"i": event("Double", "2027-06-06T14:00:00+02:00", "2027-06-06T16:00:00+02:00", &[&hall, &half], json!({}))}),
        )
        .await;
    assert_eq!(nested.first_error()["extensions"]["field"], "spaceIds");
}

#[tokio::test]
async fn moving_an_event_moves_its_bookings_and_cancelling_frees_them() {
    let (app, manager, volunteer, hall, _half) = venue().await;
    let room = app.create_space(&manager, "Salle", json!({})).await;
    let id = create(
        &app,
        &manager,
        event(
            "Atelier",
            "2027-06-10T14:00:00+02:00",
            "2027-06-10T16:00:00+02:00",
            &[&hall],
            json!({"public": true}),
        ),
    )
    .await;
    let update = "mutation($id: ID!, $i: UpdateEventInput!) { updateEvent(id: $id, input: $i) { start end spaces { id } } }";
    let moved = app
        .gql_as(&manager, update, json!({"id": id, "i": {"start": "2027-06-10T15:00:00+02:00", "end": "2027-06-10T18:00:00+02:00", "spaceIds": [room]}}))
        .await;
    assert_eq!(
        moved.data()["updateEvent"]["start"],
        "2027-06-10T15:00:00+02:00"
    );
    assert_eq!(
        moved.data()["updateEvent"]["spaces"][0]["id"],
        room.as_str()
    );
    // The hall is free again at the old time; the room is taken at the new one.
    app.book(
        &volunteer,
        slot(
            &hall,
            "2027-06-10T14:00:00+02:00",
            "2027-06-10T16:00:00+02:00",
        ),
    )
    .await
    .data();
    let taken = app
        .book(
            &volunteer,
            slot(
                &room,
                "2027-06-10T17:00:00+02:00",
                "2027-06-10T19:00:00+02:00",
            ),
        )
        .await;
    assert_eq!(taken.error_code(), "BOOKING_CONFLICT");
    // Into the hall's new booking: refused, and nothing changed.
    let into = app
        .gql_as(
            &manager,
            update,
            json!({"id": id, "i": {"spaceIds": [hall], "start": "2027-06-10T14:00:00+02:00"}}),
        )
        .await;
    assert_eq!(into.error_code(), "BOOKING_CONFLICT");
    assert_eq!(read(&app, &volunteer, &id).await["status"], "SCHEDULED");
    // Cancelled: its registrations are cancelled and the room is free.
    register(&app, Some(&volunteer), &id, "Zoé", 1).await.data();
    let cancelled = app
        .gql_as(&manager, "mutation($id: ID!) { cancelEvent(id: $id, reason: \"Intervenant malade\") { status cancelReason } }", json!({"id": id}))
        .await;
    assert_eq!(cancelled.data()["cancelEvent"]["status"], "CANCELLED");
    let e = read(&app, &volunteer, &id).await;
    assert_eq!(e["registrations"][0]["status"], "CANCELLED");
    app.book(
        &volunteer,
        slot(
            &room,
            "2027-06-10T17:00:00+02:00",
            "2027-06-10T19:00:00+02:00",
        ),
    )
    .await
    .data();
    let twice = app
        .gql_as(
            &manager,
            "mutation($id: ID!) { cancelEvent(id: $id) { status } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(twice.error_code(), "INVALID_STATE");
}

#[tokio::test]
async fn a_programme_and_its_sessions() {
    let (app, manager, volunteer, hall, half) = venue().await;
    let workshop_room = app
        .create_space(&manager, "Fablab", json!({"capacity": 12}))
        .await;
    // A two-day forum holding the hall's other half? It holds the main room for its plenary.
    let forum = create(
        &app,
        &manager,
        event(
            "Rencontres",
            "2027-09-17T09:00:00+02:00",
            "2027-09-18T18:00:00+02:00",
            &[&half],
            json!({"public": true, "category": "FESTIVAL"}),
        ),
    )
    .await;
    let session = |title: &str, start: &str, end: &str, space: &str| {
        event(
            title,
            start,
            end,
            &[space],
            json!({"parentId": forum, "capacity": 12, "public": true}),
        )
    };
    let s1 = create(
        &app,
        &manager,
        session(
            "Atelier réparation",
            "2027-09-17T10:00:00+02:00",
            "2027-09-17T12:00:00+02:00",
            &workshop_room,
        ),
    )
    .await;
    let s2 = create(
        &app,
        &manager,
        session(
            "Atelier soudure",
            "2027-09-18T10:00:00+02:00",
            "2027-09-18T12:00:00+02:00",
            &workshop_room,
        ),
    )
    .await;
    // Outside the programme: refused.
    let outside = app
        .gql_as(&manager, CREATE, json!({"i": session("Trop tard", "2027-09-18T17:00:00+02:00", "2027-09-18T19:00:00+02:00", &workshop_room)}))
        .await;
    assert_eq!(outside.error_code(), "VALIDATION");
    // One level only.
    let deeper = app
        .gql_as(&manager, CREATE, json!({"i": event("Sous-session", "2027-09-17T10:00:00+02:00", "2027-09-17T11:00:00+02:00", &[], json!({"parentId": s1}))}))
        .await;
    assert_eq!(deeper.first_error()["extensions"]["field"], "parentId");
    // A session in the space its programme holds at that time: the booking rule refuses it.
    let same_space = app
        .gql_as(&manager, CREATE, json!({"i": session("Plénière bis", "2027-09-17T14:00:00+02:00", "2027-09-17T15:00:00+02:00", &half)}))
        .await;
    assert_eq!(same_space.error_code(), "BOOKING_CONFLICT");
    let program = app
        .gql("query($id: ID!) { event(id: $id) { sessions { id title remainingSeats parent { id } } } }", json!({"id": forum}))
        .await;
    let sessions = program.data()["event"]["sessions"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(sessions.len(), 2);
    assert_eq!(sessions[0]["id"], s1.as_str());
    assert_eq!(sessions[0]["parent"]["id"], forum.as_str());
    register(&app, Some(&volunteer), &s1, "Participant", 1)
        .await
        .data();
    register(&app, Some(&volunteer), &s2, "Participant", 1)
        .await
        .data();
    // Cancelling the forum cancels its sessions and their registrations and frees every space.
    app.gql_as(
        &manager,
        "mutation($id: ID!) { cancelEvent(id: $id) { id } }",
        json!({"id": forum}),
    )
    .await
    .data();
    for id in [&s1, &s2] {
        let e = read(&app, &volunteer, id).await;
        assert_eq!(e["status"], "CANCELLED");
        assert_eq!(e["registrations"][0]["status"], "CANCELLED");
    }
    assert_eq!(app.count_rows("booking_blocks").await, 0);
    app.book(
        &volunteer,
        slot(
            &hall,
            "2027-09-17T09:00:00+02:00",
            "2027-09-18T18:00:00+02:00",
        ),
    )
    .await
    .data();
}

#[tokio::test]
async fn a_repair_cafe_every_first_saturday_keeps_ten_oclock_across_october() {
    let (app, manager, volunteer, _hall, half) = venue().await;
    let series = app
        .gql_as(
            &manager,
            "mutation($i: CreateEventInput!, $r: RecurrenceInput!) { createEventSeries(input: $i, recurrence: $r) { id start end seriesId } }",
            json!({
                "i": event("Repair café", "2027-09-04T10:00:00+02:00", "2027-09-04T13:00:00+02:00", &[&half], json!({"category": "REPAIR_CAFE", "public": true, "capacity": 30})),
                "r": {"frequency": "MONTHLY", "onWeekday": "SATURDAY", "weekOfMonth": 1, "count": 4}
            }),
        )
        .await;
    let occurrences = series.data()["createEventSeries"]
        .as_array()
        .unwrap()
        .clone();
    let starts: Vec<&str> = occurrences
        .iter()
        .map(|o| o["start"].as_str().unwrap())
        .collect();
    assert_eq!(
        starts,
        [
            "2027-09-04T10:00:00+02:00",
            "2027-10-02T10:00:00+02:00",
            "2027-11-06T10:00:00+01:00",
            "2027-12-04T10:00:00+01:00"
        ]
    );
    let series_id = occurrences[0]["seriesId"].clone();
    assert!(occurrences.iter().all(|o| o["seriesId"] == series_id));
    // All or nothing: a booking on one of the days makes the whole series refused, naming it.
    let other = app
        .gql_as(
            &manager,
            "mutation($i: CreateEventInput!, $r: RecurrenceInput!) { createEventSeries(input: $i, recurrence: $r) { id } }",
            json!({
                "i": event("Doublon", "2027-09-04T11:00:00+02:00", "2027-09-04T12:00:00+02:00", &[&half], json!({})),
                "r": {"frequency": "MONTHLY", "onWeekday": "SATURDAY", "weekOfMonth": 1, "count": 2}
            }),
        )
        .await;
    assert_eq!(other.error_code(), "BOOKING_CONFLICT");
    assert_eq!(
        other.first_error()["extensions"]["conflicts"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // A first day off the rule is refused.
    let off = app
        .gql_as(
            &manager,
            "mutation($i: CreateEventInput!, $r: RecurrenceInput!) { createEventSeries(input: $i, recurrence: $r) { id } }",
            json!({
                "i": event("Décalé", "2027-09-11T10:00:00+02:00", "2027-09-11T12:00:00+02:00", &[], json!({})),
                "r": {"frequency": "MONTHLY", "onWeekday": "SATURDAY", "weekOfMonth": 1, "count": 2}
            }),
        )
        .await;
    assert_eq!(off.error_code(), "VALIDATION");
    // The rest of the series from November is cancelled; September and October stay.
    let rest = app
        .gql_as(
            &manager,
            "mutation($s: ID!, $f: DateTime) { cancelEventSeries(seriesId: $s, from: $f) { start status } }",
            json!({"s": series_id, "f": "2027-11-01T00:00:00+01:00"}),
        )
        .await;
    assert_eq!(
        rest.data()["cancelEventSeries"].as_array().unwrap().len(),
        2
    );
    let left = app
        .gql_as(
            &volunteer,
            "query($s: ID!) { events(filter: {seriesId: $s}) { edges { node { status } } } }",
            json!({"s": series_id}),
        )
        .await;
    let statuses: Vec<&str> = left.data()["events"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        ["SCHEDULED", "SCHEDULED", "CANCELLED", "CANCELLED"]
    );
}

#[tokio::test]
async fn a_page_of_events_costs_the_same_statements_for_10_or_50() {
    let mut counts = Vec::new();
    for n in [10, 50] {
        let (app, manager, volunteer, _hall, half) = venue().await;
        let forum = create(
            &app,
            &manager,
            event(
                "Forum",
                "2027-07-01T08:00:00+02:00",
                "2027-07-01T20:00:00+02:00",
                &[],
                json!({"capacity": 200}),
            ),
        )
        .await;
        for i in 0..n {
            let day = 2 + i / 10;
            let hour = 8 + i % 10;
            let parent = if i % 5 == 0 {
                json!(null)
            } else {
                json!(forum)
            };
            let (start, end) = if parent.is_null() {
                (
                    format!("2027-07-{day:02}T{hour:02}:00:00+02:00"),
                    format!("2027-07-{day:02}T{hour:02}:50:00+02:00"),
                )
            } else {
                (
                    format!("2027-07-01T{hour:02}:00:00+02:00"),
                    format!("2027-07-01T{hour:02}:30:00+02:00"),
                )
            };
            let spaces: Vec<&str> = if parent.is_null() {
                vec![&half]
            } else {
                vec![]
            };
            let id = create(
                &app,
                &manager,
                event(
                    &format!("E{i}"),
                    &start,
                    &end,
                    &spaces,
                    json!({"parentId": parent, "capacity": 10, "public": true}),
                ),
            )
            .await;
            register(&app, Some(&volunteer), &id, &format!("P{i}"), 2)
                .await
                .data();
        }
        let query = "{ events(first: 100) { totalCount edges { node { id title start spaces { name site { name } } parent { title } sessions { title } confirmedCount waitlistCount remainingSeats registrations { name person { lastName } } } } } }";
        let (response, statements) = app.gql_counting(Some(&volunteer), query, json!({})).await;
        assert_eq!(response.data()["events"]["totalCount"], n + 1);
        counts.push(statements);
    }
    eprintln!("a page of events with their relations: {counts:?} statements for 10 and 50");
    assert_eq!(
        counts[0], counts[1],
        "statements for 10 and 50 events: {counts:?}"
    );
}

#[tokio::test]
async fn two_events_never_share_a_space_or_its_hall() {
    let (app, manager, _, hall, half) = venue().await;
    let first = create(
        &app,
        &manager,
        event(
            "Atelier vélo",
            "2027-06-12T14:00:00+02:00",
            "2027-06-12T17:00:00+02:00",
            &[&half],
            json!({}),
        ),
    )
    .await;
    // The same half, overlapping: refused, naming the first event's booking.
    let same = app
        .gql_as(
            &manager,
            CREATE,
            json!({"i": event("Conférence", "2027-06-12T16:00:00+02:00", "2027-06-12T18:00:00+02:00", &[&half], json!({}))}),
        )
        .await;
    assert_eq!(same.error_code(), "BOOKING_CONFLICT", "{}", same.body);
    // The hall above it, too; and nothing of either refusal is written.
    let above = app
        .gql_as(
            &manager,
            CREATE,
            json!({"i": event("Bal", "2027-06-12T13:00:00+02:00", "2027-06-12T15:00:00+02:00", &[&hall], json!({}))}),
        )
        .await;
    assert_eq!(above.error_code(), "BOOKING_CONFLICT", "{}", above.body);
    assert_eq!(app.count_rows("events").await, 1);
    // Right after it (half-open intervals) the hall is free.
    create(
        &app,
        &manager,
        event(
            "Bal",
            "2027-06-12T17:00:00+02:00",
            "2027-06-12T20:00:00+02:00",
            &[&hall],
            json!({}),
        ),
    )
    .await;
    // Moving the first event onto the second is refused too, and the first stays where it was.
    let moved = app
        .gql_as(
            &manager,
            "mutation($id: ID!, $i: UpdateEventInput!) { updateEvent(id: $id, input: $i) { id } }",
            json!({"id": first, "i": {"end": "2027-06-12T18:00:00+02:00"}}),
        )
        .await;
    assert_eq!(moved.error_code(), "BOOKING_CONFLICT", "{}", moved.body);
    let kept = app
        .gql_as(
            &manager,
            "query($id: ID!) { event(id: $id) { end } }",
            json!({"id": first}),
        )
        .await;
    assert_eq!(kept.data()["event"]["end"], "2027-06-12T17:00:00+02:00");
}

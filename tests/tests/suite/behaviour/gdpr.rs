//! GDPR: the personal-data export and erasure, checked in the database itself.

use lieu_api::domain::Role;
use lieu_tests::serde_json::json;
use lieu_tests::{Backend, TestApp, backend, spawn_schema};

use crate::behaviour::people_fixtures::{START, column, number, organization, person, plan, today};

/// Every value of every column of every table, as text (one string per row).
async fn every_row_of_every_table(app: &TestApp) -> Vec<String> {
    let tables = match backend() {
        Backend::Sqlite => {
            column(app, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").await
        }
        Backend::Postgres => {
            column(app, "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'").await
        }
    };
    assert!(tables.contains(&"people".to_string()), "{tables:?}");
    let mut rows = Vec::new();
    for table in tables {
        let columns = match backend() {
            Backend::Sqlite => column(app, &format!("SELECT name FROM pragma_table_info('{table}')")).await,
            Backend::Postgres => {
                column(app, &format!("SELECT column_name::text FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '{table}'")).await
            }
        };
        let concat = columns
            .iter()
            .map(|c| match backend() {
                // UUIDs are BLOBs on SQLite: show them as hex rather than raw bytes.
                Backend::Sqlite => format!(
                    "COALESCE(CASE WHEN typeof(\"{c}\") = 'blob' THEN hex(\"{c}\") ELSE CAST(\"{c}\" AS TEXT) END, '')"
                ),
                Backend::Postgres => format!("COALESCE(CAST(\"{c}\" AS TEXT), '')"),
            })
            .collect::<Vec<_>>()
            .join(" || '|' || ");
        rows.extend(
            column(app, &format!("SELECT {concat} FROM \"{table}\""))
                .await
                .into_iter()
                .map(|r| format!("{table}: {r}")),
        );
    }
    rows
}

async fn totals(app: &TestApp) -> (i64, i64, i64, i64, i64, i64, i64) {
    (
        number(app, "SELECT COUNT(*) FROM bookings").await,
        number(app, "SELECT CAST(SUM(price_cents) AS BIGINT) FROM bookings").await,
        number(app, "SELECT COUNT(*) FROM people").await,
        number(app, "SELECT COUNT(*) FROM memberships").await,
        number(
            app,
            "SELECT CAST(SUM(amount_cents) AS BIGINT) FROM revenues",
        )
        .await,
        number(app, "SELECT COUNT(*) FROM revenues").await,
        number(app, "SELECT COUNT(*) FROM registrations").await,
    )
}

const SECRETS: [&str; 7] = [
    "Zéphyrine",
    "zephyrine",
    "Quonsetbaum",
    "quonsetbaum",
    "06 98 76 54 32",
    "jardinage du mercredi",
    "zq-perso@exemple.fr",
];

#[tokio::test]
async fn export_holds_everything_and_erasure_leaves_no_trace_but_keeps_totals() {
    let app = spawn_schema().await;
    let volunteer = app.token_for(Role::Volunteer).await;
    let manager = app.token_for(Role::Manager).await;
    let yearly = plan(&app, &manager, json!({"name": "Annuelle", "price": "15"})).await;
    let id = person(
        &app,
        &volunteer,
        json!({"firstName": "Zéphyrine", "lastName": "Quonsetbaum", "email": "ZQ-perso@exemple.fr",
            "phone": "06 98 76 54 32", "postalCode": "44390", "birthYear": 1987, "consentToContact": true,
            "notes": "jardinage du mercredi"}),
    )
    .await;
    let other = person(
        &app,
        &volunteer,
        json!({"firstName": "Autre", "lastName": "Personne", "email": "autre@exemple.fr"}),
    )
    .await;
    let org = organization(
        &app,
        &volunteer,
        json!({"name": "Jardins Partagés", "kind": "ASSOCIATION"}),
    )
    .await;
    app.gql_as(&volunteer, "mutation($o: ID!, $p: ID!) { addOrganizationContact(organizationId: $o, personId: $p, role: \"jardinière\") { role } }", json!({"o": org, "p": id}))
        .await
        .data();
    let today = today(&app).await;
    for who in [&id, &other] {
        app.gql_as(&volunteer, START, json!({"i": {"planId": yearly, "personId": who, "startsOn": today.to_string(), "amountPaid": "15"}}))
            .await
            .data();
    }

    // A booking for them, whose title and notes name them, and a paid one for someone else.
    let room = app
        .create_space(
            &manager,
            "Salle",
            json!({"rates": [{"tier": "PUBLIC", "hourly": "10"}]}),
        )
        .await;
    let theirs = app
        .book(&volunteer, json!({"spaceId": room, "start": "2027-01-12T09:00:00Z", "end": "2027-01-12T10:00:00Z",
            "title": "Anniversaire de Zéphyrine", "personId": id, "notes": "rappeler Zéphyrine au 06 98 76 54 32"}))
        .await;
    let booking_id = theirs.data()["createBooking"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let someone_elses = app
        .book(
            &volunteer,
            json!({"spaceId": room, "start": "2027-01-13T09:00:00Z", "end": "2027-01-13T11:00:00Z",
            "title": "Réunion", "personId": other}),
        )
        .await;
    app.gql_as(
        &volunteer,
        "mutation($id: ID!) { markBookingPaid(id: $id) { paid } }",
        json!({"id": someone_elses.data()["createBooking"]["id"]}),
    )
    .await
    .data();

    // Registrations: one for them, one made at the public form with their email (another case).
    let event = crate::behaviour::event_fixtures::create(
        &app,
        &manager,
        crate::behaviour::event_fixtures::event(
            "Atelier compost",
            "2027-04-10T10:00:00+02:00",
            "2027-04-10T12:00:00+02:00",
            &[],
            json!({"public": true}),
        ),
    )
    .await;
    let second = crate::behaviour::event_fixtures::create(
        &app,
        &manager,
        crate::behaviour::event_fixtures::event(
            "Atelier semis",
            "2027-04-17T10:00:00+02:00",
            "2027-04-17T12:00:00+02:00",
            &[],
            json!({"public": true}),
        ),
    )
    .await;
    app.gql_as(
        &volunteer,
        crate::behaviour::event_fixtures::REGISTER,
        json!({"i": {"eventId": event, "personId": id}}),
    )
    .await
    .data();
    app.gql(
        crate::behaviour::event_fixtures::REGISTER,
        json!({"i": {"eventId": second, "name": "Zéphyrine Q.", "email": "zq-PERSO@exemple.fr"}}),
    )
    .await
    .data();

    // The export: MANAGER only, with everything.
    let export = "query($id: ID!) { personalDataExport(personId: $id) }";
    assert_eq!(
        app.gql_as(&volunteer, export, json!({"id": id}))
            .await
            .error_code(),
        "FORBIDDEN"
    );
    let exported = app.gql_as(&manager, export, json!({"id": id})).await;
    let doc = &exported.data()["personalDataExport"];
    assert_eq!(doc["person"]["firstName"], "Zéphyrine");
    assert_eq!(doc["person"]["email"], "ZQ-perso@exemple.fr");
    assert_eq!(doc["person"]["phone"], "06 98 76 54 32");
    assert_eq!(doc["person"]["postalCode"], "44390");
    assert_eq!(doc["person"]["birthYear"], 1987);
    assert_eq!(doc["person"]["consentToContact"], true);
    assert!(doc["person"]["consentGivenAt"].is_string());
    assert_eq!(doc["person"]["notes"], "jardinage du mercredi");
    assert_eq!(doc["organizations"][0]["name"], "Jardins Partagés");
    assert_eq!(doc["organizations"][0]["role"], "jardinière");
    assert_eq!(doc["memberships"][0]["plan"], "Annuelle");
    assert_eq!(doc["memberships"][0]["status"], "ACTIVE");
    assert_eq!(doc["payments"][0]["amount"], "15.00");
    assert_eq!(doc["bookings"][0]["title"], "Anniversaire de Zéphyrine");
    assert_eq!(doc["bookings"][0]["space"], "Salle");
    assert_eq!(doc["bookings"][0]["price"], "10.00");
    assert_eq!(doc["bookings"].as_array().unwrap().len(), 1);
    let registrations = doc["registrations"].as_array().unwrap();
    assert_eq!(registrations.len(), 2);
    assert_eq!(registrations[0]["event"], "Atelier compost");
    assert_eq!(registrations[0]["name"], "Zéphyrine Quonsetbaum");
    assert!(
        !exported.body.to_string().contains("Autre"),
        "only this person"
    );
    let missing = app
        .gql_as(
            &manager,
            export,
            json!({"id": uuid::Uuid::new_v4().to_string()}),
        )
        .await;
    assert_eq!(missing.error_code(), "NOT_FOUND");

    // Before: the data is there, and these are the totals.
    let before = every_row_of_every_table(&app).await.join("\n");
    assert!(before.contains("Quonsetbaum") && before.contains("zq-perso@exemple.fr"));
    let totals_before = totals(&app).await;

    let erase = "mutation($id: ID!) { erasePerson(id: $id) }";
    assert_eq!(
        app.gql_as(&volunteer, erase, json!({"id": id}))
            .await
            .error_code(),
        "FORBIDDEN"
    );
    assert_eq!(
        app.gql_as(&manager, erase, json!({"id": id})).await.data()["erasePerson"],
        true
    );

    // After: no trace of the person's data in any table…
    let after = every_row_of_every_table(&app).await;
    for secret in SECRETS {
        let leaks: Vec<&String> = after
            .iter()
            .filter(|row| row.to_lowercase().contains(&secret.to_lowercase()))
            .collect();
        assert!(leaks.is_empty(), "`{secret}` is still stored: {leaks:?}");
    }
    let row = column(&app, "SELECT COALESCE(email, '') || '|' || COALESCE(phone, '') || '|' || COALESCE(postal_code, '') || '|' || COALESCE(CAST(birth_year AS TEXT), '') || '|' || COALESCE(notes, '') || '|' || COALESCE(CAST(consent_given_at AS TEXT), '') || '|' || first_name || '|' || search_text FROM people WHERE erased_at IS NOT NULL").await;
    assert_eq!(row, ["|||||||"], "every personal field is empty");
    assert_eq!(
        number(&app, "SELECT COUNT(*) FROM organization_contacts").await,
        0,
        "their only link"
    );
    // …nor in the SQLite files themselves (secure_delete zeroes old cells, the WAL is truncated).
    if backend() == Backend::Sqlite {
        let path = app
            .database
            .url
            .trim_start_matches("sqlite://")
            .split('?')
            .next()
            .unwrap()
            .to_string();
        let mut bytes = std::fs::read(&path).unwrap();
        bytes.extend(std::fs::read(format!("{path}-wal")).unwrap_or_default());
        let text = String::from_utf8_lossy(&bytes).to_lowercase();
        for secret in [
            "quonsetbaum",
            "zq-perso@exemple.fr",
            "jardinage du mercredi",
            "06 98 76 54 32",
        ] {
            assert!(
                !text.contains(secret),
                "`{secret}` is still in the SQLite file"
            );
        }
    }
    // …while counts and money totals are unchanged.
    assert_eq!(totals(&app).await, totals_before);

    let view = app
        .gql_as(&volunteer, "query($id: ID!) { person(id: $id) { firstName lastName email phone postalCode birthYear notes erased consentToContact memberships { amountPaid plan { name } } organizations { role } } }", json!({"id": id}))
        .await;
    let p = &view.data()["person"];
    assert_eq!(p["erased"], true);
    assert_eq!(p["firstName"], "");
    assert_eq!(p["lastName"], "(erased)");
    for field in ["email", "phone", "postalCode", "birthYear", "notes"] {
        assert!(p[field].is_null(), "{field}");
    }
    assert_eq!(p["consentToContact"], false);
    assert_eq!(
        p["memberships"][0]["amountPaid"], "15.00",
        "the membership stays, anonymous"
    );
    assert!(p["organizations"].as_array().unwrap().is_empty());
    let listed = app
        .gql_as(
            &volunteer,
            "{ people { totalCount edges { node { lastName } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        listed.data()["people"]["totalCount"],
        1,
        "erased people are not listed"
    );
    // The email is free again.
    person(
        &app,
        &volunteer,
        json!({"firstName": "Nouvelle", "lastName": "Personne", "email": "zq-perso@exemple.fr"}),
    )
    .await;

    // Erasing twice is INVALID_STATE; an erased person cannot be changed or become a member.
    let twice = app.gql_as(&manager, erase, json!({"id": id})).await;
    assert_eq!(twice.error_code(), "INVALID_STATE");
    let update = app
        .gql_as(
            &manager,
            "mutation($id: ID!) { updatePerson(id: $id, input: {firstName: \"Back\"}) { id } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(update.error_code(), "INVALID_STATE");
    let missing = app
        .gql_as(
            &manager,
            erase,
            json!({"id": uuid::Uuid::new_v4().to_string()}),
        )
        .await;
    assert_eq!(missing.error_code(), "NOT_FOUND");
    // The booking stayed, anonymous: its title no longer names them, its notes are gone, and
    // the front desk still sees it (booked for an erased person).
    let booking = app
        .gql_as(&volunteer, "query($id: ID!) { booking(id: $id) { title notes price status booker { ... on Person { lastName } } } }", json!({"id": booking_id}))
        .await;
    assert_eq!(
        booking.data()["booking"],
        json!({"title": "Réservation", "notes": null, "price": "10.00", "status": "CONFIRMED", "booker": {"lastName": "(erased)"}})
    );
    // The export of an erased person holds nothing personal.
    let exported = app.gql_as(&manager, export, json!({"id": id})).await;
    let text = exported.data().to_string().to_lowercase();
    for secret in SECRETS {
        assert!(!text.contains(&secret.to_lowercase()), "{secret}");
    }
}

//! People, memberships and organizations under concurrent writers: what holds one write at a
//! time (SQLite) must hold with many (PostgreSQL, several API processes).

use lieu_api::domain::Role;
use lieu_tests::race::exactly_one_wins;
use lieu_tests::serde_json::json;
use lieu_tests::spawn_app;

use crate::behaviour::people_fixtures::{
    CREATE_ORG, RENEW, START, column, day, number, organization, person, plan, today,
};

const ERASE: &str = "mutation($id: ID!) { erasePerson(id: $id) }";

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_erasure_racing_with_changes_leaves_nothing_personal() {
    let app = spawn_app().await;
    let manager = app.token_for(Role::Manager).await;
    let org = organization(
        &app,
        &manager,
        json!({"name": "Asso", "kind": "ASSOCIATION"}),
    )
    .await;
    let room = app.create_space(&manager, "Salle", json!({})).await;
    for round in 0..12 {
        let id = person(
            &app,
            &manager,
            json!({"firstName": "Maëlys", "lastName": format!("Tanguy{round}")}),
        )
        .await;
        let (_, _, _, _) = tokio::join!(
            app.gql_as(&manager, ERASE, json!({"id": id})),
            app.gql_as(
                &manager,
                "mutation($id: ID!) { updatePerson(id: $id, input: {phone: \"07 11 22 33 44\", notes: \"nouvelle note\"}) { id } }",
                json!({"id": id}),
            ),
            app.gql_as(
                &manager,
                "mutation($o: ID!, $p: ID!) { addOrganizationContact(organizationId: $o, personId: $p, role: \"trésorière\") { role } }",
                json!({"o": org, "p": id}),
            ),
            app.book(
                &manager,
                json!({"spaceId": room, "start": format!("2027-03-{:02}T09:00:00Z", round + 1), "end": format!("2027-03-{:02}T10:00:00Z", round + 1),
                    "title": format!("Cours de Maëlys Tanguy{round}"), "notes": "allergie Maëlys", "personId": id}),
            ),
        );
    }
    // Every erasure ran (it never fails), before or after each change: nothing survives.
    let leftovers = column(
        &app,
        "SELECT COALESCE(phone, '') || COALESCE(notes, '') || first_name || search_text FROM people WHERE erased_at IS NOT NULL",
    )
    .await;
    assert_eq!(leftovers, vec![String::new(); 12]);
    assert_eq!(
        number(&app, "SELECT COUNT(*) FROM organization_contacts").await,
        0
    );
    let titles = column(
        &app,
        "SELECT title || '|' || COALESCE(notes, '') FROM bookings",
    )
    .await;
    assert!(
        titles
            .iter()
            .all(|t| !t.to_lowercase().contains("maëlys") && !t.contains("Tanguy")),
        "{titles:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_renewal_and_a_start_for_the_same_days_do_not_both_happen() {
    let app = spawn_app().await;
    let manager = app.token_for(Role::Manager).await;
    let yearly = plan(&app, &manager, json!({"name": "Annuelle", "price": "15"})).await;
    let today = today(&app).await;
    for round in 0..8 {
        let id = person(
            &app,
            &manager,
            json!({"firstName": "R", "lastName": format!("N{round}")}),
        )
        .await;
        let started = app
            .gql_as(&manager, START, json!({"i": {"planId": yearly, "personId": id, "startsOn": day(today, -100), "amountPaid": "15"}}))
            .await;
        let membership = started.data()["startMembership"]["id"].clone();
        let next_start = started.data()["startMembership"]["endsOn"]
            .as_str()
            .unwrap()
            .parse::<chrono::NaiveDate>()
            .unwrap();
        let (renewed, other) = tokio::join!(
            app.gql_as(&manager, RENEW, json!({"id": membership, "a": "15"})),
            app.gql_as(&manager, START, json!({"i": {"planId": yearly, "personId": id, "startsOn": day(next_start, 1), "amountPaid": "15"}})),
        );
        exactly_one_wins(&[renewed, other], "INVALID_STATE");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_name_one_organization_and_one_plan_on_offer() {
    let app = spawn_app().await;
    let manager = app.token_for(Role::Manager).await;
    for round in 0..5 {
        let attempts = [
            "Les Jardiniers",
            "les jardiniers",
            "LES JARDINIERS",
            "Les Jardiniérs",
        ]
        .map(|name| {
            let app = &app;
            let manager = &manager;
            async move {
                app.gql_as(
                    manager,
                    CREATE_ORG,
                    json!({"i": {"name": format!("{name} {round}"), "kind": "ASSOCIATION"}}),
                )
                .await
            }
        });
        let results = futures::future::join_all(attempts).await;
        exactly_one_wins(&results, "VALIDATION");

        let plans = (0..4).map(|_| {
            let app = &app;
            let manager = &manager;
            async move {
                app.gql_as(
                    manager,
                    crate::behaviour::people_fixtures::CREATE_PLAN,
                    json!({"i": {"name": format!("Solidaire {round}"), "price": "5"}}),
                )
                .await
            }
        });
        let results = futures::future::join_all(plans).await;
        exactly_one_wins(&results, "VALIDATION");
    }
}

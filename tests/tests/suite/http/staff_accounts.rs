//! A staff account's life: a role changed, a password changed by its owner, deactivated (its
//! token dies on the next request), reactivated; and the last ADMIN, who always stays.

use lieu_api::domain::Role;
use lieu_tests::serde_json::{Value, json};
use lieu_tests::{GqlResponse, TestApp, spawn_app, spawn_app_with};
use sea_orm::EntityTrait;

const ME: &str = "{ me { email role } }";
const SET_ROLE: &str =
    "mutation($id: ID!, $r: Role!) { setUserRole(id: $id, role: $r) { role active } }";
const DEACTIVATE: &str = "mutation($id: ID!) { deactivateUser(id: $id) { active } }";
const REACTIVATE: &str = "mutation($id: ID!) { reactivateUser(id: $id) { active } }";
const CHANGE: &str =
    "mutation($o: String!, $n: String!) { changePassword(oldPassword: $o, newPassword: $n) }";

async fn user_id(app: &TestApp, admin: &str, email: &str) -> String {
    let users = app
        .gql_as(admin, "{ users { id email active } }", json!({}))
        .await;
    users.data()["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == email)
        .map(|u| u["id"].as_str().unwrap().to_string())
        .expect("the user is listed")
}

fn token(login: &GqlResponse) -> String {
    login.data()["login"]["token"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_staff_account_is_promoted_deactivated_and_reactivated() {
    let app = spawn_app().await;
    let admin = app.token_for(Role::Admin).await;
    app.create_user("lea@x.org", Role::Volunteer, "front desk 2026")
        .await
        .unwrap();
    let lea = token(&app.login("lea@x.org", "front desk 2026").await);
    let id = user_id(&app, &admin, "lea@x.org").await;

    // Promoted: her session goes on, with the new role from the next request.
    let promoted = app
        .gql_as(&admin, SET_ROLE, json!({"id": id, "r": "MANAGER"}))
        .await;
    assert_eq!(
        promoted.data()["setUserRole"],
        json!({"role": "MANAGER", "active": true})
    );
    assert_eq!(
        app.gql_as(&lea, ME, json!({})).await.data()["me"]["role"],
        "MANAGER"
    );

    // Deactivated: the token she holds fails on its very next request, and she cannot log in.
    let off = app.gql_as(&admin, DEACTIVATE, json!({"id": id})).await;
    assert_eq!(off.data()["deactivateUser"]["active"], false);
    let refused = app
        .gql_as(&lea, "{ bookings { totalCount } }", json!({}))
        .await;
    assert_eq!(refused.error_code(), "UNAUTHENTICATED");
    let login = app.login("lea@x.org", "front desk 2026").await;
    assert_eq!(login.error_code(), "UNAUTHENTICATED");
    assert!(
        login.first_error()["message"]
            .as_str()
            .unwrap()
            .contains("deactivated"),
        "{}",
        login.body
    );
    // A wrong password does not learn that the account exists and is deactivated.
    let wrong = app.login("lea@x.org", "not her password").await;
    assert!(!wrong.body.to_string().contains("deactivated"));
    let twice = app.gql_as(&admin, DEACTIVATE, json!({"id": id})).await;
    assert_eq!(twice.error_code(), "INVALID_STATE");

    // Reactivated: she signs in again (and only an ADMIN could do any of this).
    let on = app.gql_as(&admin, REACTIVATE, json!({"id": id})).await;
    assert_eq!(on.data()["reactivateUser"]["active"], true);
    let lea = token(&app.login("lea@x.org", "front desk 2026").await);
    let not_hers = app.gql_as(&lea, DEACTIVATE, json!({"id": id})).await;
    assert_eq!(not_hers.error_code(), "FORBIDDEN");
}

#[tokio::test]
async fn the_owner_changes_their_password_and_their_other_sessions_end() {
    // Wrong old passwords count against the login limits (tested with logins); here the
    // six sign-ins and changes of one story stay under a roomier limit.
    let app = spawn_app_with(|config| config.login_limits.per_email_per_minute = 20).await;
    app.create_user("noe@x.org", Role::Volunteer, "first password")
        .await
        .unwrap();
    let laptop = token(&app.login("noe@x.org", "first password").await);
    let desk = token(&app.login("noe@x.org", "first password").await);

    let wrong = app
        .gql_as(
            &desk,
            CHANGE,
            json!({"o": "not it at all", "n": "second password"}),
        )
        .await;
    assert_eq!(wrong.error_code(), "VALIDATION");
    assert_eq!(wrong.first_error()["extensions"]["field"], "oldPassword");
    let short = app
        .gql_as(&desk, CHANGE, json!({"o": "first password", "n": "short"}))
        .await;
    assert_eq!(short.error_code(), "VALIDATION");
    assert_eq!(short.first_error()["extensions"]["field"], "newPassword");
    let anonymous = app
        .gql(
            CHANGE,
            json!({"o": "first password", "n": "second password"}),
        )
        .await;
    assert_eq!(anonymous.error_code(), "UNAUTHENTICATED");

    let changed = app
        .gql_as(
            &desk,
            CHANGE,
            json!({"o": "first password", "n": "second password"}),
        )
        .await;
    assert_eq!(changed.data()["changePassword"], true);
    // This session goes on; the other one is over; only the new password opens a session.
    assert_eq!(
        app.gql_as(&desk, ME, json!({})).await.data()["me"]["email"],
        "noe@x.org"
    );
    let elsewhere = app
        .gql_as(&laptop, "{ bookings { totalCount } }", json!({}))
        .await;
    assert_eq!(elsewhere.error_code(), "UNAUTHENTICATED");
    assert_eq!(
        app.login("noe@x.org", "first password").await.error_code(),
        "UNAUTHENTICATED"
    );
    app.login("noe@x.org", "second password").await.data();
}

#[tokio::test]
async fn the_last_active_admin_stays_even_when_two_demote_each_other_at_once() {
    let app = spawn_app().await;
    let first = app.token_for(Role::Admin).await;
    let me: Value = app
        .gql_as(&first, "{ users { id } }", json!({}))
        .await
        .data()["users"][0]
        .clone();
    let first_id = me["id"].as_str().unwrap().to_string();

    // Alone: the admin can neither demote nor deactivate themself.
    let demote = app
        .gql_as(&first, SET_ROLE, json!({"id": first_id, "r": "MANAGER"}))
        .await;
    assert_eq!(demote.error_code(), "INVALID_STATE");
    assert!(
        demote.first_error()["message"]
            .as_str()
            .unwrap()
            .contains("last active administrator"),
        "{}",
        demote.body
    );
    let deactivate = app
        .gql_as(&first, DEACTIVATE, json!({"id": first_id}))
        .await;
    assert_eq!(deactivate.error_code(), "INVALID_STATE");

    // Two admins demoting each other at the same moment: exactly one of them wins (the row
    // locks on PostgreSQL, the serialized writes on SQLite).
    for round in 0..4 {
        let app = spawn_app().await;
        let a = app.token_for(Role::Admin).await;
        let b = app.token_for(Role::Admin).await;
        let id_of = |token: String| {
            let app = &app;
            async move {
                app.gql_as(&token, "{ me { id } }", json!({})).await.data()["me"]["id"]
                    .as_str()
                    .unwrap()
                    .to_string()
            }
        };
        let (a_id, b_id) = (id_of(a.clone()).await, id_of(b.clone()).await);
        let responses = futures::future::join(
            app.gql_as(&a, SET_ROLE, json!({"id": b_id, "r": "VOLUNTEER"})),
            app.gql_as(&b, SET_ROLE, json!({"id": a_id, "r": "VOLUNTEER"})),
        )
        .await;
        // The loser is refused as the last admin, or, when the winner's change landed before
        // the loser's request began, as the VOLUNTEER it has become.
        let responses = [responses.0, responses.1];
        let winners = responses
            .iter()
            .filter(|r| r.body.get("errors").is_none())
            .count();
        assert_eq!(
            winners,
            1,
            "round {round}: {:?}",
            responses.iter().map(|r| &r.body).collect::<Vec<_>>()
        );
        for loser in responses.iter().filter(|r| r.body.get("errors").is_some()) {
            assert!(
                ["INVALID_STATE", "FORBIDDEN"].contains(&loser.error_code()),
                "{}",
                loser.body
            );
        }
        let users = lieu_entity::user::Entity::find()
            .all(&app.db)
            .await
            .unwrap();
        let admins = users
            .iter()
            .filter(|u| u.role == "ADMIN" && u.active)
            .count();
        assert_eq!(admins, 1, "round {round}: one admin left");
    }
}

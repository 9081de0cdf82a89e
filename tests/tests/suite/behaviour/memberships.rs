//! Membership plans and starting memberships: prices, floors, periods, who may hold which
//! plan (renewals, payments and cancellations in `membership_renewals`).

use lieu_api::domain::Role;
use lieu_tests::serde_json::json;
use lieu_tests::spawn_schema;

use crate::behaviour::people_fixtures::{
    CREATE_PLAN, RENEW, START, day, number, organization, person, plan, today,
};

#[tokio::test]
async fn plans_are_validated_and_archived_plans_stay_on_memberships() {
    let app = spawn_schema().await;
    let manager = app.token_for(Role::Manager).await;
    let created = app
        .gql_as(
            &manager,
            CREATE_PLAN,
            json!({"i": {"name": "Solidaire", "price": "10", "minPrice": "2.50"}}),
        )
        .await;
    let p = &created.data()["createMembershipPlan"];
    assert_eq!(p["period"], "ROLLING");
    assert_eq!(p["periodMonths"], 12);
    assert_eq!(p["price"], "10.00");
    assert_eq!(p["minPrice"], "2.50");
    assert_eq!(p["forOrganizations"], false);
    for (input, field) in [
        (json!({"name": "A", "price": "-1"}), "price"),
        (json!({"name": "A", "price": "1.001"}), "price"),
        (
            json!({"name": "A", "price": "5", "minPrice": "6"}),
            "minPrice",
        ),
        (
            json!({"name": "A", "price": "5", "periodMonths": 0}),
            "periodMonths",
        ),
        (
            json!({"name": "A", "price": "5", "period": "CALENDAR_YEAR", "periodMonths": 6}),
            "periodMonths",
        ),
        (json!({"name": " ", "price": "5"}), "name"),
        (json!({"name": "SOLIDAIRE", "price": "5"}), "name"),
    ] {
        let refused = app.gql_as(&manager, CREATE_PLAN, json!({"i": input})).await;
        assert_eq!(refused.error_code(), "VALIDATION", "{input}");
        assert_eq!(
            refused.first_error()["extensions"]["field"],
            field,
            "{input}"
        );
    }

    let id = p["id"].as_str().unwrap();
    let member = person(&app, &manager, json!({"firstName": "A", "lastName": "B"})).await;
    let today = today(&app).await;
    let started = app
        .gql_as(&manager, START, json!({"i": {"planId": id, "personId": member, "startsOn": today.to_string(), "amountPaid": "3"}}))
        .await;
    let membership_id = started.data()["startMembership"]["id"]
        .as_str()
        .unwrap()
        .to_string();

    let archive = "mutation($id: ID!) { archiveMembershipPlan(id: $id) { archived archivedAt } }";
    assert_eq!(
        app.gql_as(&manager, archive, json!({"id": id}))
            .await
            .data()["archiveMembershipPlan"]["archived"],
        true
    );
    assert_eq!(
        app.gql_as(&manager, archive, json!({"id": id}))
            .await
            .error_code(),
        "INVALID_STATE"
    );
    let plans = app
        .gql_as(&manager, "{ membershipPlans { id } }", json!({}))
        .await;
    assert!(
        plans.data()["membershipPlans"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let plans = app
        .gql_as(
            &manager,
            "{ membershipPlans(includeArchived: true) { id archived } }",
            json!({}),
        )
        .await;
    assert_eq!(plans.data()["membershipPlans"][0]["archived"], true);
    // The membership keeps its plan; an archived plan is no longer sold.
    let kept = app
        .gql_as(
            &manager,
            "query($id: ID!) { membership(id: $id) { plan { name archived } status } }",
            json!({"id": membership_id}),
        )
        .await;
    assert_eq!(kept.data()["membership"]["plan"]["name"], "Solidaire");
    let other = person(&app, &manager, json!({"firstName": "C", "lastName": "D"})).await;
    let refused = app
        .gql_as(&manager, START, json!({"i": {"planId": id, "personId": other, "startsOn": today.to_string(), "amountPaid": "3"}}))
        .await;
    assert_eq!(refused.error_code(), "VALIDATION");
    assert_eq!(refused.first_error()["extensions"]["field"], "planId");
    let renewal = app
        .gql_as(&manager, RENEW, json!({"id": membership_id, "a": "3"}))
        .await;
    assert_eq!(renewal.error_code(), "INVALID_STATE");
}

#[tokio::test]
async fn pay_what_you_can_floor_and_fixed_price_are_enforced() {
    let app = spawn_schema().await;
    let volunteer = app.token_for(Role::Volunteer).await;
    let manager = app.token_for(Role::Manager).await;
    let pwyc = plan(
        &app,
        &manager,
        json!({"name": "Prix libre", "price": "10", "minPrice": "2"}),
    )
    .await;
    let fixed = plan(&app, &manager, json!({"name": "Fixe", "price": "15.00"})).await;
    let today = today(&app).await;
    let start = |plan: &str, amount: &str| {
        let (app, volunteer, plan, amount) = (
            &app,
            volunteer.clone(),
            plan.to_string(),
            amount.to_string(),
        );
        async move {
            let who = person(
                app,
                &volunteer,
                json!({"firstName": "M", "lastName": amount.clone()}),
            )
            .await;
            app.gql_as(&volunteer, START, json!({"i": {"planId": plan, "personId": who, "startsOn": today.to_string(), "amountPaid": amount}}))
                .await
        }
    };
    for amount in ["2", "2.00", "10", "75.50"] {
        let ok = start(&pwyc, amount).await;
        assert_eq!(ok.data()["startMembership"]["status"], "ACTIVE", "{amount}");
    }
    for amount in ["1.99", "0", "-5"] {
        let refused = start(&pwyc, amount).await;
        assert_eq!(refused.error_code(), "VALIDATION", "{amount}");
        assert_eq!(refused.first_error()["extensions"]["field"], "amountPaid");
    }
    assert_eq!(
        start(&fixed, "15").await.data()["startMembership"]["amountPaid"],
        "15.00"
    );
    for amount in ["14.99", "15.01", "30"] {
        let refused = start(&fixed, amount).await;
        assert_eq!(refused.error_code(), "VALIDATION", "{amount}");
        assert_eq!(refused.first_error()["extensions"]["field"], "amountPaid");
    }
    // Refused starts wrote nothing: 5 memberships, 5 revenues.
    assert_eq!(number(&app, "SELECT COUNT(*) FROM memberships").await, 5);
    assert_eq!(number(&app, "SELECT COUNT(*) FROM revenues").await, 5);
}

#[tokio::test]
async fn period_ends_for_each_kind_leap_years_included() {
    let app = spawn_schema().await;
    let manager = app.token_for(Role::Manager).await;
    let monthly = plan(
        &app,
        &manager,
        json!({"name": "Mensuelle", "period": "ROLLING", "periodMonths": 1, "price": "5"}),
    )
    .await;
    let yearly = plan(
        &app,
        &manager,
        json!({"name": "Annuelle", "period": "ROLLING", "periodMonths": 12, "price": "5"}),
    )
    .await;
    let calendar = plan(
        &app,
        &manager,
        json!({"name": "Civile", "period": "CALENDAR_YEAR", "price": "5"}),
    )
    .await;
    let school = plan(
        &app,
        &manager,
        json!({"name": "Scolaire", "period": "SCHOOL_YEAR", "price": "5"}),
    )
    .await;
    for (plan_id, starts, ends) in [
        (&monthly, "2026-01-15", "2026-02-14"),
        (&monthly, "2026-01-31", "2026-02-27"),
        (&monthly, "2028-01-31", "2028-02-28"),
        (&monthly, "2026-03-31", "2026-04-29"),
        (&yearly, "2026-03-14", "2027-03-13"),
        (&yearly, "2028-02-29", "2029-02-27"),
        (&yearly, "2027-03-01", "2028-02-29"),
        (&calendar, "2026-01-01", "2026-12-31"),
        (&calendar, "2028-02-29", "2028-12-31"),
        (&calendar, "2026-12-31", "2026-12-31"),
        (&school, "2026-09-01", "2027-08-31"),
        (&school, "2027-02-10", "2027-08-31"),
        (&school, "2026-08-31", "2027-08-31"),
        (&school, "2026-08-30", "2026-08-31"),
    ] {
        let who = person(
            &app,
            &manager,
            json!({"firstName": "P", "lastName": starts}),
        )
        .await;
        let started = app
            .gql_as(&manager, START, json!({"i": {"planId": plan_id, "personId": who, "startsOn": starts, "amountPaid": "5"}}))
            .await;
        assert_eq!(
            started.data()["startMembership"]["endsOn"],
            ends,
            "start {starts}"
        );
    }
}

#[tokio::test]
async fn plans_for_organizations_and_people_do_not_mix() {
    let app = spawn_schema().await;
    let manager = app.token_for(Role::Manager).await;
    let for_people = plan(
        &app,
        &manager,
        json!({"name": "Individuelle", "price": "15"}),
    )
    .await;
    let for_orgs = plan(&app, &manager, json!({"name": "Structure", "period": "CALENDAR_YEAR", "price": "80", "forOrganizations": true})).await;
    let someone = person(&app, &manager, json!({"firstName": "A", "lastName": "B"})).await;
    let asso = organization(
        &app,
        &manager,
        json!({"name": "Asso", "kind": "ASSOCIATION", "resident": true}),
    )
    .await;
    let today = today(&app).await.to_string();
    for (input, field) in [
        (
            json!({"planId": for_orgs, "personId": someone, "startsOn": today, "amountPaid": "80"}),
            "personId",
        ),
        (
            json!({"planId": for_people, "organizationId": asso, "startsOn": today, "amountPaid": "15"}),
            "organizationId",
        ),
        (
            json!({"planId": for_people, "startsOn": today, "amountPaid": "15"}),
            "personId",
        ),
        (
            json!({"planId": for_people, "personId": someone, "organizationId": asso, "startsOn": today, "amountPaid": "15"}),
            "organizationId",
        ),
    ] {
        let refused = app.gql_as(&manager, START, json!({"i": input})).await;
        assert_eq!(refused.error_code(), "VALIDATION", "{input}");
        assert_eq!(refused.first_error()["extensions"]["field"], field);
    }
    let far = app
        .gql_as(&manager, START, json!({"i": {"planId": for_people, "personId": someone, "startsOn": "99999-01-01", "amountPaid": "15"}}))
        .await;
    assert_eq!(far.error_code(), "VALIDATION");
    let far = app
        .gql_as(&manager, START, json!({"i": {"planId": for_people, "personId": someone, "startsOn": "2999-01-01", "amountPaid": "15"}}))
        .await;
    assert_eq!(far.error_code(), "VALIDATION");
    assert_eq!(far.first_error()["extensions"]["field"], "startsOn");
    let missing = app
        .gql_as(&manager, START, json!({"i": {"planId": for_people, "personId": uuid::Uuid::new_v4().to_string(), "startsOn": today, "amountPaid": "15"}}))
        .await;
    assert_eq!(missing.error_code(), "NOT_FOUND");
    let started = app
        .gql_as(&manager, START, json!({"i": {"planId": for_orgs, "organizationId": asso, "startsOn": today, "amountPaid": "80"}}))
        .await;
    assert_eq!(
        started.data()["startMembership"]["organization"]["id"],
        asso.as_str()
    );
    let org = app
        .gql_as(&manager, "query($id: ID!) { organization(id: $id) { resident activeMembership { plan { name } status } } }", json!({"id": asso}))
        .await;
    assert_eq!(
        org.data()["organization"]["activeMembership"]["plan"]["name"],
        "Structure"
    );
    // A second membership over the same days is refused: renew instead.
    let twice = app
        .gql_as(&manager, START, json!({"i": {"planId": for_orgs, "organizationId": asso, "startsOn": today, "amountPaid": "80"}}))
        .await;
    assert_eq!(twice.error_code(), "INVALID_STATE");
}

#[tokio::test]
async fn a_start_more_than_a_year_back_is_a_managers_entry_not_a_volunteers() {
    let app = spawn_schema().await;
    let volunteer = app.token_for(Role::Volunteer).await;
    let manager = app.token_for(Role::Manager).await;
    let yearly = plan(&app, &manager, json!({"name": "Annuelle", "price": "15"})).await;
    let today = today(&app).await;
    let who = person(&app, &volunteer, json!({"firstName": "A", "lastName": "B"})).await;
    let old = json!({"i": {"planId": yearly, "personId": who, "startsOn": day(today, -400), "amountPaid": "15"}});
    let refused = app.gql_as(&volunteer, START, old.clone()).await;
    assert_eq!(refused.error_code(), "VALIDATION");
    assert_eq!(refused.first_error()["extensions"]["field"], "startsOn");
    assert!(
        refused.first_error()["message"]
            .as_str()
            .unwrap()
            .contains("a manager can record it")
    );
    assert_eq!(number(&app, "SELECT COUNT(*) FROM memberships").await, 0);
    app.gql_as(&manager, START, old).await.data();
    // Within the year, a volunteer may.
    let other = person(&app, &volunteer, json!({"firstName": "C", "lastName": "D"})).await;
    app.gql_as(&volunteer, START, json!({"i": {"planId": yearly, "personId": other, "startsOn": day(today, -300), "amountPaid": "15"}}))
        .await
        .data();
}

//! Membership plans and memberships: prices, periods, renewals, cancellation, revenues,
//! expiring-soon list.

use chrono::Duration;
use lieu_api::domain::Role;
use lieu_tests::race::exactly_one_wins;
use lieu_tests::serde_json::json;
use lieu_tests::spawn_schema;

use crate::behaviour::people_fixtures::{
    CREATE_PLAN, RENEW, START, column, day, number, organization, person, plan, today,
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
async fn renewal_follows_the_period_or_starts_today_after_a_lapse() {
    let app = spawn_schema().await;
    let volunteer = app.token_for(Role::Volunteer).await;
    let manager = app.token_for(Role::Manager).await;
    let yearly = plan(&app, &manager, json!({"name": "Annuelle", "price": "15"})).await;
    let today = today(&app).await;

    // Before the lapse: the renewal starts the day after the current period ends.
    let ana = person(
        &app,
        &volunteer,
        json!({"firstName": "Ana", "lastName": "A"}),
    )
    .await;
    let current = app
        .gql_as(&volunteer, START, json!({"i": {"planId": yearly, "personId": ana, "startsOn": day(today, -300), "amountPaid": "15"}}))
        .await;
    let current = current.data()["startMembership"].clone();
    let ends =
        chrono::NaiveDate::parse_from_str(current["endsOn"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    let renewed = app
        .gql_as(&volunteer, RENEW, json!({"id": current["id"], "a": "15"}))
        .await;
    let renewed = &renewed.data()["renewMembership"];
    assert_eq!(renewed["startsOn"], (ends + Duration::days(1)).to_string());
    assert_eq!(renewed["status"], "UPCOMING");
    assert_eq!(renewed["renewalOf"], current["id"]);
    let person_view = app
        .gql_as(&volunteer, "query($id: ID!) { person(id: $id) { activeMembership { id } memberships { id status } } }", json!({"id": ana}))
        .await;
    assert_eq!(
        person_view.data()["person"]["activeMembership"]["id"],
        current["id"]
    );
    assert_eq!(
        person_view.data()["person"]["memberships"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // Renewing the renewed one again is refused; the latest one can be renewed.
    let again = app
        .gql_as(&volunteer, RENEW, json!({"id": current["id"], "a": "15"}))
        .await;
    assert_eq!(again.error_code(), "INVALID_STATE");
    let wrong_amount = app
        .gql_as(&volunteer, RENEW, json!({"id": renewed["id"], "a": "14"}))
        .await;
    assert_eq!(wrong_amount.error_code(), "VALIDATION");
    assert_eq!(
        wrong_amount.first_error()["extensions"]["field"],
        "amountPaid"
    );

    // After a lapse: the renewal starts today, the gap is not back-filled.
    let bob = person(
        &app,
        &volunteer,
        json!({"firstName": "Bob", "lastName": "B"}),
    )
    .await;
    let old = app
        .gql_as(&volunteer, START, json!({"i": {"planId": yearly, "personId": bob, "startsOn": day(today, -500), "amountPaid": "15"}}))
        .await;
    let old = old.data()["startMembership"].clone();
    assert_eq!(old["status"], "EXPIRED");
    let bob_view = "query($id: ID!) { person(id: $id) { activeMembership { id startsOn } } }";
    assert!(
        app.gql_as(&volunteer, bob_view, json!({"id": bob}))
            .await
            .data()["person"]["activeMembership"]
            .is_null()
    );
    let renewed = app
        .gql_as(&volunteer, RENEW, json!({"id": old["id"], "a": "15"}))
        .await;
    let renewed = &renewed.data()["renewMembership"];
    assert_eq!(renewed["startsOn"], today.to_string());
    assert_eq!(renewed["status"], "ACTIVE");
    assert_eq!(
        app.gql_as(&volunteer, bob_view, json!({"id": bob}))
            .await
            .data()["person"]["activeMembership"]["id"],
        renewed["id"]
    );

    // Time passes: a monthly membership lapses and its renewal starts on the new today.
    let monthly = plan(
        &app,
        &manager,
        json!({"name": "Mensuelle", "periodMonths": 1, "price": "5"}),
    )
    .await;
    let cleo = person(
        &app,
        &volunteer,
        json!({"firstName": "Cléo", "lastName": "C"}),
    )
    .await;
    let month = app
        .gql_as(&volunteer, START, json!({"i": {"planId": monthly, "personId": cleo, "startsOn": today.to_string(), "amountPaid": "5"}}))
        .await;
    let month_id = month.data()["startMembership"]["id"].clone();
    app.clock.advance(Duration::days(45));
    let volunteer = app.token_for(Role::Volunteer).await; // sessions last 12 hours
    let later = crate::behaviour::people_fixtures::today(&app).await;
    let status = app
        .gql_as(
            &volunteer,
            "query($id: ID!) { membership(id: $id) { status } }",
            json!({"id": month_id}),
        )
        .await;
    assert_eq!(status.data()["membership"]["status"], "EXPIRED");
    let renewed = app
        .gql_as(&volunteer, RENEW, json!({"id": month_id, "a": "5"}))
        .await;
    assert_eq!(
        renewed.data()["renewMembership"]["startsOn"],
        later.to_string()
    );
}

#[tokio::test]
async fn each_payment_records_a_membership_revenue_without_personal_data() {
    let app = spawn_schema().await;
    let volunteer = app.token_for(Role::Volunteer).await;
    let manager = app.token_for(Role::Manager).await;
    let pwyc = plan(
        &app,
        &manager,
        json!({"name": "Adhésion solidaire", "price": "10", "minPrice": "0"}),
    )
    .await;
    let who = person(
        &app,
        &volunteer,
        json!({"firstName": "Yolande", "lastName": "Quistrebert", "email": "yq@exemple.fr"}),
    )
    .await;
    let today = today(&app).await;
    let started = app
        .gql_as(&volunteer, START, json!({"i": {"planId": pwyc, "personId": who, "startsOn": day(today, -400), "amountPaid": "12.50"}}))
        .await;
    let id = started.data()["startMembership"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let renewed = app
        .gql_as(&volunteer, RENEW, json!({"id": id, "a": "7"}))
        .await;
    let renewal_id = renewed.data()["renewMembership"]["id"]
        .as_str()
        .unwrap()
        .to_string();

    let rows = column(&app, "SELECT stream || '|' || CAST(amount_cents AS TEXT) || '|' || CAST(received_on AS TEXT) || '|' || description FROM revenues ORDER BY amount_cents DESC").await;
    assert_eq!(
        rows,
        [
            format!("MEMBERSHIP|1250|{today}|Adhésion : Adhésion solidaire"),
            format!("MEMBERSHIP|700|{today}|Renouvellement d'adhésion : Adhésion solidaire"),
        ]
    );
    // Each revenue points at its membership (one for the start, one for the renewal).
    let linked = column(&app, "SELECT CAST(m.amount_paid_cents AS TEXT) || '|' || CAST(r.amount_cents AS TEXT) FROM revenues r JOIN memberships m ON m.id = r.membership_id ORDER BY r.amount_cents DESC").await;
    assert_eq!(linked, ["1250|1250", "700|700"]);
    assert_ne!(id, renewal_id);
    // A zero pay-what-you-can payment is not a payment: no revenue line.
    let other = person(&app, &volunteer, json!({"firstName": "Z", "lastName": "Z"})).await;
    app.gql_as(&volunteer, START, json!({"i": {"planId": pwyc, "personId": other, "startsOn": today.to_string(), "amountPaid": "0"}}))
        .await
        .data();
    assert_eq!(number(&app, "SELECT COUNT(*) FROM revenues").await, 2);
    assert_eq!(number(&app, "SELECT COUNT(*) FROM memberships").await, 3);
}

#[tokio::test]
async fn cancelled_memberships_make_no_member_and_cannot_be_cancelled_twice() {
    let app = spawn_schema().await;
    let volunteer = app.token_for(Role::Volunteer).await;
    let manager = app.token_for(Role::Manager).await;
    let yearly = plan(&app, &manager, json!({"name": "Annuelle", "price": "15"})).await;
    let who = person(&app, &volunteer, json!({"firstName": "A", "lastName": "B"})).await;
    let today = today(&app).await;
    let started = app
        .gql_as(&volunteer, START, json!({"i": {"planId": yearly, "personId": who, "startsOn": today.to_string(), "amountPaid": "15"}}))
        .await;
    let id = started.data()["startMembership"]["id"].clone();
    let cancel = "mutation($id: ID!) { cancelMembership(id: $id) { status cancelledAt } }";
    let cancelled = app.gql_as(&volunteer, cancel, json!({"id": id})).await;
    assert_eq!(cancelled.data()["cancelMembership"]["status"], "CANCELLED");
    assert_eq!(
        app.gql_as(&volunteer, cancel, json!({"id": id}))
            .await
            .error_code(),
        "INVALID_STATE"
    );
    assert_eq!(
        app.gql_as(&volunteer, RENEW, json!({"id": id, "a": "15"}))
            .await
            .error_code(),
        "INVALID_STATE"
    );
    let view = app
        .gql_as(
            &volunteer,
            "query($id: ID!) { person(id: $id) { activeMembership { id } } }",
            json!({"id": who}),
        )
        .await;
    assert!(view.data()["person"]["activeMembership"].is_null());
    // The payment stays recorded.
    assert_eq!(
        number(
            &app,
            "SELECT CAST(SUM(amount_cents) AS BIGINT) FROM revenues"
        )
        .await,
        1500
    );
    // A new membership over the same days is possible once the first is cancelled.
    let again = app
        .gql_as(&volunteer, START, json!({"i": {"planId": yearly, "personId": who, "startsOn": today.to_string(), "amountPaid": "15"}}))
        .await;
    assert_eq!(again.data()["startMembership"]["status"], "ACTIVE");
    let expired = app
        .gql_as(&volunteer, START, json!({"i": {"planId": yearly, "personId": person(&app, &volunteer, json!({"firstName": "C", "lastName": "D"})).await, "startsOn": day(today, -800), "amountPaid": "15"}}))
        .await;
    let expired_id = expired.data()["startMembership"]["id"].clone();
    assert_eq!(
        app.gql_as(&volunteer, cancel, json!({"id": expired_id}))
            .await
            .error_code(),
        "INVALID_STATE"
    );
}

#[tokio::test]
async fn expiring_soon_lists_unrenewed_memberships_of_the_next_30_days() {
    let app = spawn_schema().await;
    let volunteer = app.token_for(Role::Volunteer).await;
    let manager = app.token_for(Role::Manager).await;
    let monthly = plan(
        &app,
        &manager,
        json!({"name": "Mensuelle", "periodMonths": 1, "price": "5"}),
    )
    .await;
    let yearly = plan(&app, &manager, json!({"name": "Annuelle", "price": "15"})).await;
    let today = today(&app).await;
    let start = |who: String, plan: String, starts: String, amount: &'static str| {
        let (app, volunteer) = (&app, volunteer.clone());
        async move {
            let r = app.gql_as(&volunteer, START, json!({"i": {"planId": plan, "personId": who, "startsOn": starts, "amountPaid": amount}})).await;
            r.data()["startMembership"]["id"]
                .as_str()
                .unwrap()
                .to_string()
        }
    };
    let soon = person(
        &app,
        &volunteer,
        json!({"firstName": "Soon", "lastName": "S"}),
    )
    .await;
    let soon_id = start(soon, monthly.clone(), day(today, -20), "5").await;
    let renewed = person(
        &app,
        &volunteer,
        json!({"firstName": "Renewed", "lastName": "R"}),
    )
    .await;
    let renewed_id = start(renewed, monthly.clone(), day(today, -25), "5").await;
    app.gql_as(&volunteer, RENEW, json!({"id": renewed_id, "a": "5"}))
        .await
        .data();
    let later = person(
        &app,
        &volunteer,
        json!({"firstName": "Later", "lastName": "L"}),
    )
    .await;
    start(later, yearly.clone(), today.to_string(), "15").await;
    let gone = person(
        &app,
        &volunteer,
        json!({"firstName": "Gone", "lastName": "G"}),
    )
    .await;
    start(gone, monthly.clone(), day(today, -60), "5").await;

    let list = app
        .gql_as(
            &volunteer,
            "{ expiringMemberships { id endsOn person { firstName email } } }",
            json!({}),
        )
        .await;
    let list = list.data()["expiringMemberships"]
        .as_array()
        .unwrap()
        .clone();
    let firsts: Vec<&str> = list
        .iter()
        .map(|m| m["person"]["firstName"].as_str().unwrap())
        .collect();
    assert!(firsts.contains(&"Soon"), "{firsts:?}");
    assert_eq!(
        list.iter().filter(|m| m["id"] == soon_id.as_str()).count(),
        1
    );
    assert!(
        !list.iter().any(|m| m["id"] == renewed_id.as_str()),
        "renewed ones are left out"
    );
    assert!(
        !firsts.contains(&"Later") && !firsts.contains(&"Gone"),
        "{firsts:?}"
    );
    let ends: Vec<&str> = list.iter().map(|m| m["endsOn"].as_str().unwrap()).collect();
    let mut sorted = ends.clone();
    sorted.sort();
    assert_eq!(ends, sorted, "soonest first");
    let none = app
        .gql_as(
            &volunteer,
            "{ expiringMemberships(withinDays: 0) { id } }",
            json!({}),
        )
        .await;
    assert!(none.data()["expiringMemberships"].as_array().unwrap().len() <= list.len());
    let bad = app
        .gql_as(
            &volunteer,
            "{ expiringMemberships(withinDays: -1) { id } }",
            json!({}),
        )
        .await;
    assert_eq!(bad.error_code(), "VALIDATION");
}

/// Concurrent renewals of one membership, and concurrent starts for one person: exactly one
/// of each succeeds, on SQLite (serialized write transactions) and on PostgreSQL (row locks).
#[tokio::test]
async fn concurrent_renewals_and_starts_make_one_membership() {
    let app = spawn_schema().await;
    let volunteer = app.token_for(Role::Volunteer).await;
    let manager = app.token_for(Role::Manager).await;
    let yearly = plan(&app, &manager, json!({"name": "Annuelle", "price": "15"})).await;
    let today = today(&app).await;
    let who = person(&app, &volunteer, json!({"firstName": "A", "lastName": "B"})).await;
    let started = app
        .gql_as(&volunteer, START, json!({"i": {"planId": yearly, "personId": who, "startsOn": today.to_string(), "amountPaid": "15"}}))
        .await;
    let id = started.data()["startMembership"]["id"].clone();
    let renewals = futures::future::join_all(
        (0..8).map(|_| app.gql_as(&volunteer, RENEW, json!({"id": id, "a": "15"}))),
    )
    .await;
    exactly_one_wins(&renewals, "INVALID_STATE");

    let other = person(&app, &volunteer, json!({"firstName": "C", "lastName": "D"})).await;
    let starts = futures::future::join_all((0..8).map(|_| {
        app.gql_as(&volunteer, START, json!({"i": {"planId": yearly, "personId": other, "startsOn": today.to_string(), "amountPaid": "15"}}))
    }))
    .await;
    exactly_one_wins(&starts, "INVALID_STATE");
    assert_eq!(number(&app, "SELECT COUNT(*) FROM memberships").await, 3);
    assert_eq!(number(&app, "SELECT COUNT(*) FROM revenues").await, 3);
}

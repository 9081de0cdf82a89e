//! Grants (their transitions, payments up to the award, reporting deadlines) and volunteer
//! hours (a volunteer logs and reads their own).

use chrono::Duration;
use lieu_api::domain::Role;
use lieu_tests::serde_json::{Value, json};

use super::money::{CREATE_GRANT, desk};
use super::people_fixtures::{person, today};

const STATUS: &str = "mutation($id: ID!, $s: GrantStatus!, $a: Decimal) { setGrantStatus(id: $id, status: $s, amountAwarded: $a) { status amountAwarded history { from to changedBy } } }";
const PAY: &str = "mutation($g: ID!, $a: Decimal!, $d: Date!) { recordGrantPayment(grantId: $g, amount: $a, receivedOn: $d) { id amount } }";

#[tokio::test]
async fn grants_move_only_along_the_allowed_transitions_and_are_paid_up_to_the_award() {
    let (app, manager) = desk().await;
    let input = json!({"i": {"funderName": "Région Bretagne", "funderKind": "REGION", "program": "AMI tiers-lieux", "title": "Fabrique", "amountRequested": "30000", "periodStart": "2027-01-01", "periodEnd": "2028-06-30"}});
    let r = app.gql_as(&manager, CREATE_GRANT, input.clone()).await;
    let g = r.data()["createGrant"]["id"].as_str().unwrap().to_string();
    let funder = r.data()["createGrant"]["funder"]["id"].clone();
    // The funder is reused by name, whatever its case and accents.
    let mut second = input.clone();
    second["i"]["funderName"] = json!("REGION bretagne");
    let r = app.gql_as(&manager, CREATE_GRANT, second).await;
    assert_eq!(r.data()["createGrant"]["funder"]["id"], funder);
    let mut clash = input.clone();
    clash["i"]["funderKind"] = json!("STATE");
    let r = app.gql_as(&manager, CREATE_GRANT, clash).await;
    assert_eq!(r.first_error()["extensions"]["field"], "funderKind");

    let set = |status: &str, amount: Option<&str>| json!({"id": g, "s": status, "a": amount});
    let pay = |amount: &str| json!({"g": g, "a": amount, "d": "2027-03-01"});
    let r = app.gql_as(&manager, PAY, pay("100")).await;
    assert_eq!(
        r.error_code(),
        "INVALID_STATE",
        "a payment needs an AWARDED grant"
    );
    for illegal in ["CLOSED", "REJECTED", "DRAFT"] {
        let r = app.gql_as(&manager, STATUS, set(illegal, None)).await;
        assert_eq!(r.error_code(), "INVALID_STATE", "DRAFT -> {illegal}");
    }
    let r = app.gql_as(&manager, STATUS, set("SUBMITTED", None)).await;
    assert_eq!(r.data()["setGrantStatus"]["status"], "SUBMITTED");
    let r = app.gql_as(&manager, STATUS, set("AWARDED", None)).await;
    assert_eq!(
        r.first_error()["extensions"]["field"],
        "amountAwarded",
        "how much?"
    );
    let r = app
        .gql_as(&manager, STATUS, set("AWARDED", Some("30000.01")))
        .await;
    assert_eq!(
        r.first_error()["extensions"]["field"],
        "amountAwarded",
        "above requested"
    );
    let r = app
        .gql_as(&manager, STATUS, set("AWARDED", Some("24000")))
        .await;
    let awarded = &r.data()["setGrantStatus"];
    assert_eq!(awarded["amountAwarded"], "24000.00");
    let steps: Vec<(Value, Value)> = awarded["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["from"].clone(), h["to"].clone()))
        .collect();
    assert_eq!(
        steps,
        [
            (Value::Null, json!("DRAFT")),
            (json!("DRAFT"), json!("SUBMITTED")),
            (json!("SUBMITTED"), json!("AWARDED")),
        ]
    );
    assert!(
        awarded["history"][2]["changedBy"]
            .as_str()
            .unwrap()
            .starts_with("manager-")
    );

    let r = app.gql_as(&manager, PAY, pay("12000")).await;
    assert_eq!(
        r.data()["recordGrantPayment"]["amount"],
        "12000.00",
        "{}",
        r.body
    );
    let r = app.gql_as(&manager, PAY, pay("12000.01")).await;
    assert_eq!(
        r.first_error()["extensions"]["field"],
        "amount",
        "above the award"
    );
    let read = app
        .gql_as(
            &manager,
            "query($id: ID!) { grant(id: $id) { receivedTotal outstanding payments { amount } } }",
            json!({"id": g}),
        )
        .await;
    assert_eq!(
        read.data()["grant"],
        json!({"receivedTotal": "12000.00", "outstanding": "12000.00", "payments": [{"amount": "12000.00"}]})
    );
    let r = app.gql_as(&manager, STATUS, set("CLOSED", None)).await;
    assert_eq!(r.data()["setGrantStatus"]["status"], "CLOSED");
    let r = app
        .gql_as(&manager, STATUS, set("AWARDED", Some("1")))
        .await;
    assert_eq!(r.error_code(), "INVALID_STATE", "CLOSED is the end");
    assert_eq!(app.count_rows("grant_payments").await, 1);
}

#[tokio::test]
async fn deadlines_come_up_soonest_first_and_overdue_ones_are_flagged() {
    let (app, manager) = desk().await;
    let t = today(&app).await;
    let r = app
        .gql_as(&manager, CREATE_GRANT, json!({"i": {"funderName": "Fondation Macif", "funderKind": "FOUNDATION", "title": "Café", "amountRequested": "8000", "periodStart": t.to_string(), "periodEnd": (t + Duration::days(365)).to_string()}}))
        .await;
    let g = r.data()["createGrant"]["id"].as_str().unwrap().to_string();
    let add = "mutation($g: ID!, $l: String!, $d: Date!) { addReportingDeadline(grantId: $g, label: $l, dueOn: $d) { id } }";
    let mut ids = Vec::new();
    for (label, offset) in [
        ("Bilan final", 200),
        ("Bilan intermédiaire", 20),
        ("Compte rendu de lancement", -3),
    ] {
        let r = app
            .gql_as(
                &manager,
                add,
                json!({"g": g, "l": label, "d": (t + Duration::days(offset)).to_string()}),
            )
            .await;
        ids.push(
            r.data()["addReportingDeadline"]["id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    let upcoming =
        "query { upcomingDeadlines(withinDays: 30) { label overdue doneOn grant { title } } }";
    let r = app.gql_as(&manager, upcoming, json!({})).await;
    assert_eq!(
        r.data()["upcomingDeadlines"],
        json!([
            {"label": "Compte rendu de lancement", "overdue": true, "doneOn": null, "grant": {"title": "Café"}},
            {"label": "Bilan intermédiaire", "overdue": false, "doneOn": null, "grant": {"title": "Café"}},
        ])
    );
    let done = "mutation($id: ID!, $d: Date!) { completeReportingDeadline(id: $id, doneOn: $d) { doneOn } }";
    let future = app
        .gql_as(
            &manager,
            done,
            json!({"id": ids[2], "d": (t + Duration::days(1)).to_string()}),
        )
        .await;
    assert_eq!(future.first_error()["extensions"]["field"], "doneOn");
    let r = app
        .gql_as(&manager, done, json!({"id": ids[2], "d": t.to_string()}))
        .await;
    assert_eq!(
        r.data()["completeReportingDeadline"]["doneOn"],
        json!(t.to_string())
    );
    let twice = app
        .gql_as(&manager, done, json!({"id": ids[2], "d": t.to_string()}))
        .await;
    assert_eq!(twice.error_code(), "INVALID_STATE");
    let r = app.gql_as(&manager, upcoming, json!({})).await;
    assert_eq!(r.data()["upcomingDeadlines"].as_array().unwrap().len(), 1);
    let r = app
        .gql_as(
            &manager,
            "query { upcomingDeadlines(withinDays: -1) { id } }",
            json!({}),
        )
        .await;
    assert_eq!(r.error_code(), "VALIDATION");
}

#[tokio::test]
async fn a_volunteer_logs_and_reads_their_own_hours_only() {
    let (app, manager) = desk().await;
    let admin = app.token_for(Role::Admin).await;
    let volunteer = app.token_for(Role::Volunteer).await;
    let me = app.gql_as(&volunteer, "{ me { id } }", json!({})).await;
    let user = me.data()["me"]["id"].as_str().unwrap().to_string();
    let own = person(
        &app,
        &manager,
        json!({"firstName": "Inès", "lastName": "Bénévole"}),
    )
    .await;
    let other = person(
        &app,
        &manager,
        json!({"firstName": "Omar", "lastName": "Bénévole"}),
    )
    .await;
    let t = today(&app).await.to_string();
    let log = |person: &str, hours: &str| json!({"i": {"personId": person, "date": t, "hours": hours, "activity": "FRONT_DESK"}});
    const LOG: &str = "mutation($i: LogVolunteerHoursInput!) { logVolunteerHours(input: $i) { id hours valuation person { firstName } } }";

    let unlinked = app.gql_as(&volunteer, LOG, log(&own, "2")).await;
    assert_eq!(unlinked.error_code(), "FORBIDDEN", "not linked yet");
    const ME: &str = "{ me { person { id firstName } } }";
    let nobody = app.gql_as(&volunteer, ME, json!({})).await;
    assert_eq!(
        nobody.data()["me"]["person"],
        json!(null),
        "{}",
        nobody.body
    );
    let link = "mutation($u: ID!, $p: ID!) { linkStaffToPerson(userId: $u, personId: $p) { id } }";
    let r = app
        .gql_as(&manager, link, json!({"u": user, "p": own}))
        .await;
    assert_eq!(r.error_code(), "FORBIDDEN", "linking is for an ADMIN");
    let r = app.gql_as(&admin, link, json!({"u": user, "p": own})).await;
    assert_eq!(
        r.data()["linkStaffToPerson"]["id"],
        json!(own),
        "{}",
        r.body
    );

    // Whose hours are "mine": the account says which person it is.
    let linked = app.gql_as(&volunteer, ME, json!({})).await;
    assert_eq!(
        linked.data()["me"]["person"]["id"],
        json!(own),
        "{}",
        linked.body
    );
    assert_eq!(linked.data()["me"]["person"]["firstName"], "Inès");
    let mine = app.gql_as(&volunteer, LOG, log(&own, "2.5")).await;
    assert_eq!(
        mine.data()["logVolunteerHours"]["hours"],
        "2.50",
        "{}",
        mine.body
    );
    assert_eq!(
        mine.data()["logVolunteerHours"]["valuation"],
        "0.00",
        "no rate yet"
    );
    let theirs = app.gql_as(&volunteer, LOG, log(&other, "1")).await;
    assert_eq!(theirs.error_code(), "FORBIDDEN");
    let r = app.gql_as(&manager, LOG, log(&other, "1")).await;
    let others_entry = r.data()["logVolunteerHours"]["id"].clone();
    for (hours, why) in [
        ("0", "zero"),
        ("24.01", "above 24"),
        ("1.555", "three decimals"),
    ] {
        let r = app.gql_as(&manager, LOG, log(&other, hours)).await;
        assert_eq!(r.first_error()["extensions"]["field"], "hours", "{why}");
    }
    let future = (today(&app).await + Duration::days(1)).to_string();
    let r = app
        .gql_as(
            &manager,
            LOG,
            json!({"i": {"personId": other, "date": future, "hours": "1", "activity": "GARDEN"}}),
        )
        .await;
    assert_eq!(
        r.first_error()["extensions"]["field"],
        "date",
        "not yet given"
    );
    assert_eq!(app.count_rows("volunteer_entries").await, 2);

    let entries = "query($f: Date!, $t: Date!, $p: ID) { volunteerEntries(from: $f, to: $t, personId: $p) { person { firstName } hours } }";
    let window = |p: Option<&str>| json!({"f": t, "t": t, "p": p});
    let r = app.gql_as(&volunteer, entries, window(None)).await;
    assert_eq!(
        r.data()["volunteerEntries"],
        json!([{"person": {"firstName": "Inès"}, "hours": "2.50"}])
    );
    let r = app.gql_as(&volunteer, entries, window(Some(&other))).await;
    assert_eq!(r.error_code(), "FORBIDDEN");
    let r = app.gql_as(&manager, entries, window(None)).await;
    assert_eq!(r.data()["volunteerEntries"].as_array().unwrap().len(), 2);
    let delete = "mutation($id: ID!) { deleteVolunteerEntry(id: $id) }";
    let r = app
        .gql_as(&volunteer, delete, json!({"id": others_entry}))
        .await;
    assert_eq!(r.error_code(), "FORBIDDEN");

    for closed in [
        "{ grants { id } }",
        "{ revenues(from: \"2027-01-01\", to: \"2027-12-31\") { id } }",
        "{ hybridModelReport(from: \"2027-01-01\", to: \"2027-12-31\") { earnedRevenue } }",
        "{ impactReport(from: \"2027-01-01\", to: \"2027-12-31\") { eventsHeld } }",
        "{ upcomingDeadlines(withinDays: 30) { id } }",
    ] {
        let r = app.gql_as(&volunteer, closed, json!({})).await;
        assert_eq!(r.error_code(), "FORBIDDEN", "{closed}");
    }
}

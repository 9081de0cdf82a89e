//! The exports over HTTP: who may download what (a volunteer only an event's registrations),
//! the errors as GraphQL's JSON with their status, the headers of a download, and an event's
//! door list parsed back.

use lieu_api::domain::{CsvFormat, Role};
use lieu_tests::files::ParsedSheet;
use lieu_tests::serde_json::{Value, json};
use lieu_tests::{TestApp, spawn_app};

use crate::behaviour::event_fixtures::{create, event, read, register};

async fn get(app: &TestApp, token: Option<&str>, path: &str) -> reqwest::Response {
    let mut request = app.client.get(format!("{}{path}", app.base_url));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.expect("the server answers")
}

async fn error(response: reqwest::Response) -> (u16, String, Value) {
    let status = response.status().as_u16();
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let body: Value = response.json().await.unwrap();
    let code = body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("an error with a code: {body}"))
        .to_string();
    (status, code, body)
}

#[tokio::test]
async fn exports_over_http_a_volunteer_gets_only_the_registrations() {
    let app = spawn_app().await;
    let manager = app.token_for(Role::Manager).await;
    let volunteer = app.token_for(Role::Volunteer).await;
    let year = chrono::Datelike::year(&chrono::Utc::now()) + 1;
    let atelier = create(
        &app,
        &manager,
        event(
            "Atelier",
            &format!("{year}-03-14T14:00:00+01:00"),
            &format!("{year}-03-14T17:00:00+01:00"),
            &[],
            json!({"capacity": 3}),
        ),
    )
    .await;
    for (name, seats) in [("Anna", 2), ("=cmd|' /C calc'!A0", 1), ("Bilal", 2)] {
        register(&app, Some(&manager), &atelier, name, seats)
            .await
            .data();
    }
    let period = format!("from={year}-01-01&to={year}-12-31");
    let money = [
        format!("/exports/revenues.csv?{period}"),
        format!("/exports/grant-payments.csv?{period}&format=plain"),
        format!("/exports/grants.csv?{period}&lang=en"),
        format!("/exports/volunteer-hours.csv?{period}"),
        format!("/exports/members.csv?on={year}-06-30"),
        format!("/exports/fec.txt?year={year}"),
        format!("/reports/funder.html?{period}"),
        format!("/reports/funder.md?{period}&lang=en"),
    ];
    let door = format!("/exports/registrations.csv?event={atelier}");
    for path in money.iter().chain([&door]) {
        let (status, code, _) = error(get(&app, None, path).await).await;
        assert_eq!((status, code.as_str()), (401, "UNAUTHENTICATED"), "{path}");
        let (status, code, _) = error(get(&app, Some("not-a-token"), path).await).await;
        assert_eq!((status, code.as_str()), (401, "UNAUTHENTICATED"), "{path}");
    }
    for path in &money {
        let (status, code, body) = error(get(&app, Some(&volunteer), path).await).await;
        assert_eq!(
            (status, code.as_str()),
            (403, "FORBIDDEN"),
            "{path}: {body}"
        );
        let response = get(&app, Some(&manager), path).await;
        assert_eq!(response.status().as_u16(), 200, "{path}");
        let disposition = response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .to_string();
        let kind = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_string();
        if path.starts_with("/exports/") {
            assert!(
                disposition.starts_with("attachment; filename=\""),
                "{disposition}"
            );
            let expected = if path.contains("fec") {
                "text/plain; charset=utf-8"
            } else {
                "text/csv; charset=utf-8"
            };
            assert_eq!(kind, expected, "{path}");
        } else {
            assert!(
                disposition.starts_with("inline; filename=\"rapport-financeur")
                    || disposition.starts_with("inline; filename=\"funder-report"),
                "{disposition}"
            );
        }
        assert_eq!(response.headers()["cache-control"], "private, no-store");
    }

    // The door list: a volunteer may; confirmed seats add up to the event's.
    let response = get(&app, Some(&volunteer), &door).await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    let sheet = ParsedSheet::parse(&response.bytes().await.unwrap(), CsvFormat::Fr);
    let confirmed: i64 = sheet
        .rows
        .iter()
        .filter(|r| r[sheet.column("Statut")] == "Confirmée")
        .map(|r| r[sheet.column("Places")].parse::<i64>().unwrap())
        .sum();
    let e = read(&app, &manager, &atelier).await;
    assert_eq!(confirmed, e["confirmedCount"].as_i64().unwrap());
    assert_eq!(sheet.rows.len(), 3, "Bilal waits in line");
    assert!(
        sheet.cells("Nom").contains(&"'=cmd|' /C calc'!A0"),
        "neutralised"
    );
    let plain = get(
        &app,
        Some(&volunteer),
        &format!("{door}&format=plain&lang=en"),
    )
    .await;
    let plain = ParsedSheet::parse(&plain.bytes().await.unwrap(), CsvFormat::Plain);
    assert_eq!(plain.header[0], "Name");
    assert_eq!(plain.sum("Seats"), rust_decimal::Decimal::from(5));
}

#[tokio::test]
async fn exports_over_http_bad_parameters_are_400_with_a_code() {
    let app = spawn_app().await;
    let manager = app.token_for(Role::Manager).await;
    for (path, field) in [
        (
            "/exports/revenues.csv?from=2025-13-01&to=2025-12-31",
            "from",
        ),
        ("/exports/revenues.csv?to=2025-12-31", "from"),
        ("/exports/revenues.csv?from=2025-12-31&to=2025-01-01", "to"),
        (
            "/exports/revenues.csv?from=2025-01-01&to=2025-12-31&format=excel",
            "format",
        ),
        (
            "/exports/revenues.csv?from=2025-01-01&to=2025-12-31&lang=de",
            "lang",
        ),
        (
            "/exports/revenues.csv?form=2025-01-01&to=2025-12-31",
            "form",
        ),
        ("/exports/fec.txt?year=deux-mille", "year"),
        ("/exports/registrations.csv?event=42", "event"),
        ("/reports/funder.html", "from"),
    ] {
        let (status, code, body) = error(get(&app, Some(&manager), path).await).await;
        assert_eq!(
            (status, code.as_str()),
            (400, "VALIDATION"),
            "{path}: {body}"
        );
        assert_eq!(
            body["errors"][0]["extensions"]["field"], field,
            "{path}: {body}"
        );
    }
    let unknown = uuid::Uuid::new_v4();
    for path in [
        "/exports/payroll.csv?from=2025-01-01&to=2025-12-31".to_string(),
        format!("/exports/registrations.csv?event={unknown}"),
        format!("/reports/funder.html?grant={unknown}"),
    ] {
        let (status, code, body) = error(get(&app, Some(&manager), &path).await).await;
        assert_eq!(
            (status, code.as_str()),
            (404, "NOT_FOUND"),
            "{path}: {body}"
        );
    }
}

#[tokio::test]
async fn exports_over_http_the_fec_is_refused_when_an_account_is_missing() {
    use sea_orm::ConnectionTrait;
    let app = spawn_app().await;
    let manager = app.token_for(Role::Manager).await;
    let today = crate::behaviour::people_fixtures::today(&app).await;
    app.gql_as(
        &manager,
        crate::behaviour::report_fixtures::RECORD,
        json!({"i": {"stream": "DONATION", "amount": "30", "receivedOn": today.to_string(), "description": "Don"}}),
    )
    .await
    .data();
    let year = chrono::Datelike::year(&today);
    let path = format!("/exports/fec.txt?year={year}");
    let ok = get(&app, Some(&manager), &path).await;
    assert_eq!(ok.status().as_u16(), 200);
    let body = ok.text().await.unwrap();
    assert!(body.contains("\t7541\tDons manuels\t"), "{body}");
    app.db
        .execute_unprepared("DELETE FROM account_mappings WHERE key = 'STREAM:DONATION'")
        .await
        .unwrap();
    let (status, code, body) = error(get(&app, Some(&manager), &path).await).await;
    assert_eq!((status, code.as_str()), (409, "INVALID_STATE"), "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("STREAM:DONATION")
    );
}

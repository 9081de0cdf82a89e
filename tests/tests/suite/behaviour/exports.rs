//! The exports over the fixture year of `report_fixtures`: every sheet parsed back with the
//! `csv` crate, in both formats, adds up to `hybridModelReport` to the cent; the FEC balances
//! entry by entry and gives the expected totals by account; a missing account refuses it; the
//! funder report, read by a real HTML parser, holds the report's figures.

use std::collections::BTreeMap;
use std::str::FromStr;

use indicatif::ProgressBar;
use lieu_api::domain::{CsvFormat, Lang};
use lieu_api::service::exports::fec::{self, FecRequest};
use lieu_api::service::exports::funder::{self, FunderRequest, ReportFormat};
use lieu_api::service::exports::{self, SheetOptions, SheetRequest};
use lieu_api::service::reports::Period;
use lieu_tests::files::{ParsedSheet, html_figures};
use lieu_tests::serde_json::{Value, json};
use rust_decimal::Decimal;
use sea_orm::ConnectionTrait;

use super::report_fixtures::{day, fixture_year};

const HYBRID: &str = "query($f: Date!, $t: Date!) { hybridModelReport(from: $f, to: $t) {
    earnedRevenue privateFunding publicFunding monetaryResources selfFinancingRatio
    volunteerHours volunteerValuation totalWithVolunteering inKindValuation
    byStream { amount } byFunderKind { amount } } }";

fn dec(v: &Value) -> Decimal {
    Decimal::from_str(
        v.as_str()
            .unwrap_or_else(|| panic!("a decimal string: {v}")),
    )
    .unwrap()
}

fn sum_of(list: &Value) -> Decimal {
    list.as_array()
        .unwrap()
        .iter()
        .map(|x| dec(&x["amount"]))
        .sum()
}

async fn sheet(
    app: &lieu_tests::TestApp,
    request: SheetRequest,
    format: CsvFormat,
    lang: Lang,
) -> ParsedSheet {
    let export = exports::sheet(
        &app.db,
        request,
        SheetOptions { format, lang },
        &ProgressBar::hidden(),
    )
    .await
    .unwrap_or_else(|e| panic!("export: {}", e.message()));
    let parsed = ParsedSheet::parse(&export.body, format);
    assert_eq!(parsed.rows.len(), export.lines, "lines said = rows written");
    parsed
}

#[tokio::test]
async fn exports_every_sheet_adds_up_to_the_reports_in_both_formats() {
    let app = lieu_tests::spawn_schema().await;
    let f = Box::pin(fixture_year(&app)).await;
    let y = f.year;
    let (from, to) = (day(y, 1, 1), day(y, 12, 31));
    let r = app
        .gql_as(&f.manager, HYBRID, json!({"f": from, "t": to}))
        .await;
    let h = r.data()["hybridModelReport"].clone();
    let period = Period::new(from.parse().unwrap(), to.parse().unwrap(), None).unwrap();

    for (format, lang) in [(CsvFormat::Fr, Lang::Fr), (CsvFormat::Plain, Lang::En)] {
        let amount = lang.pick("Montant", "Amount");
        let revenues = sheet(&app, SheetRequest::Revenues(period), format, lang).await;
        // Every stream's lines, reversals netted: earned + donations + sponsorship.
        assert_eq!(revenues.sum(amount), sum_of(&h["byStream"]), "{format:?}");
        assert_eq!(revenues.sum(amount).to_string(), "13526.00");

        let payments = sheet(&app, SheetRequest::GrantPayments(period), format, lang).await;
        assert_eq!(payments.sum(amount), sum_of(&h["byFunderKind"]));
        assert_eq!(
            payments.rows.len(),
            4,
            "the Région's next-year tranche aside"
        );
        assert_eq!(
            revenues.sum(amount) + payments.sum(amount),
            dec(&h["monetaryResources"])
        );

        let grants = sheet(&app, SheetRequest::Grants(period), format, lang).await;
        let within = lang.pick("Reçu sur la période", "Received in the period");
        assert_eq!(grants.sum(within), sum_of(&h["byFunderKind"]));
        assert_eq!(grants.rows.len(), 4, "the refused grant too");
        assert_eq!(
            grants
                .sum(lang.pick("Reçu au total", "Received in all"))
                .to_string(),
            "56000.00",
            "the Région's next-year tranche too"
        );

        let hours = sheet(&app, SheetRequest::VolunteerHours(period), format, lang).await;
        assert_eq!(
            hours.sum(lang.pick("Heures", "Hours")),
            dec(&h["volunteerHours"])
        );
        assert_eq!(
            hours.sum(lang.pick("Valorisation", "Valuation")),
            dec(&h["volunteerValuation"]),
            "each entry valued on its own, as the report does"
        );
        assert!(
            hours
                .cells(lang.pick("Bénévole", "Volunteer"))
                .contains(&"Victor Bénévole")
        );

        // Members on the last day: as many as the impact report counts that day.
        let members = sheet(
            &app,
            SheetRequest::Members {
                on: to.parse().unwrap(),
            },
            format,
            lang,
        )
        .await;
        let impact = app
            .gql_as(
                &f.manager,
                "query($d: Date!) { impactReport(from: $d, to: $d) { activeMembers } }",
                json!({"d": to}),
            )
            .await;
        assert_eq!(
            members.rows.len() as i64,
            impact.data()["impactReport"]["activeMembers"]
                .as_i64()
                .unwrap()
        );
        assert_eq!(
            members
                .sum(lang.pick("Montant payé", "Amount paid"))
                .to_string(),
            "20.00"
        );

        let date = revenues.cells("Date")[0].to_string();
        match format {
            CsvFormat::Fr => assert_eq!(date, format!("15/01/{y}")),
            CsvFormat::Plain => assert_eq!(date, format!("{y}-01-15")),
        }
    }
}

#[tokio::test]
async fn exports_a_formula_in_a_cell_comes_out_neutralised() {
    let app = lieu_tests::spawn_schema().await;
    let manager = app.token_for(lieu_api::domain::Role::Manager).await;
    let today = super::people_fixtures::today(&app).await;
    for description in [
        "=HYPERLINK(\"http://evil.example\",\"Voir\")",
        "+33 6 12",
        "@SUM(A1:A9)",
        "Café du 3",
    ] {
        let r = app
            .gql_as(&manager, super::report_fixtures::RECORD, json!({"i": {"stream": "CAFE_BAR", "amount": "1", "receivedOn": today.to_string(), "description": description}}))
            .await;
        r.data();
    }
    let period = Period::new(today, today, None).unwrap();
    for format in [CsvFormat::Fr, CsvFormat::Plain] {
        let parsed = sheet(&app, SheetRequest::Revenues(period), format, Lang::Fr).await;
        let cells = parsed.cells("Libellé");
        assert!(
            cells.contains(&"'=HYPERLINK(\"http://evil.example\",\"Voir\")"),
            "{cells:?}"
        );
        assert!(cells.contains(&"'+33 6 12") && cells.contains(&"'@SUM(A1:A9)"));
        assert!(cells.contains(&"Café du 3"), "plain text untouched");
        assert_eq!(
            parsed.sum("Montant").to_string(),
            "4.00",
            "numbers stay numbers"
        );
    }
}

/// The FEC's lines: (EcritureNum, CompteNum, debit, credit), each checked to have 18 columns.
fn fec_lines(body: &[u8], year: i32) -> Vec<(String, String, Decimal, Decimal)> {
    let text = std::str::from_utf8(body).unwrap();
    let mut lines = text.split("\r\n").filter(|l| !l.is_empty());
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    assert_eq!(header, fec::COLUMNS, "the legal columns in their order");
    let amount = |s: &str| Decimal::from_str(&s.replace(',', ".")).unwrap();
    lines
        .map(|line| {
            let c: Vec<&str> = line.split('\t').collect();
            assert_eq!(c.len(), 18, "{line}");
            assert!(
                c[3].starts_with(&year.to_string()) && c[3].len() == 8,
                "AAAAMMJJ: {}",
                c[3]
            );
            assert!(
                !c[11].contains('.') && !c[12].contains('.'),
                "decimal comma"
            );
            (
                c[2].to_string(),
                c[4].to_string(),
                amount(c[11]),
                amount(c[12]),
            )
        })
        .collect()
}

#[tokio::test]
async fn exports_the_fec_balances_with_the_expected_totals_by_account() {
    let app = lieu_tests::spawn_schema().await;
    let f = Box::pin(fixture_year(&app)).await;
    let y = f.year;
    let export = fec::fec(
        &app.db,
        FecRequest {
            year: y,
            with_contributions: true,
        },
        &ProgressBar::hidden(),
    )
    .await
    .unwrap_or_else(|e| panic!("{}", e.message()));
    let lines = fec_lines(&export.body, y);
    assert_eq!(lines.len(), export.lines);
    let mut entries: BTreeMap<&str, (Decimal, Decimal, usize)> = BTreeMap::new();
    let mut accounts: BTreeMap<&str, Decimal> = BTreeMap::new();
    for (num, account, debit, credit) in &lines {
        let e = entries.entry(num).or_default();
        e.0 += debit;
        e.1 += credit;
        e.2 += 1;
        *accounts.entry(account).or_default() += debit - credit;
    }
    for (num, (debit, credit, n)) in &entries {
        assert_eq!(debit, credit, "entry {num} balances");
        assert_eq!(*n, 2, "entry {num}: a debit and a credit");
    }
    let total_debit: Decimal = lines.iter().map(|l| l.2).sum();
    let total_credit: Decimal = lines.iter().map(|l| l.3).sum();
    assert_eq!(total_debit, total_credit);
    // Debit minus credit by account, computed by hand from the fixture (revenues and grants
    // credited, the bank debited by all the money in; contributions at their valuation).
    let expected: BTreeMap<&str, Decimal> = [
        ("512", "60526.00"),
        ("706", "-12256.00"),
        ("707", "-200.00"),
        ("756", "-20.00"),
        ("7541", "-50.00"),
        ("7542", "-1000.00"),
        ("742", "-36000.00"),
        ("746", "-6000.00"),
        ("748", "-5000.00"),
        ("864", "146.38"),
        ("875", "-146.38"),
        ("861", "60.00"),
        ("871", "-60.00"),
    ]
    .into_iter()
    .map(|(a, v)| (a, Decimal::from_str(v).unwrap()))
    .collect();
    assert_eq!(accounts, expected);
    // Numbered in one sequence, in the order of time.
    let nums: Vec<usize> = entries.keys().map(|n| n.parse().unwrap()).collect();
    assert_eq!(nums.len(), *nums.iter().max().unwrap());
}

#[tokio::test]
async fn exports_a_missing_account_refuses_the_fec_and_an_admin_sets_it() {
    let app = lieu_tests::spawn_schema().await;
    let admin = app.token_for(lieu_api::domain::Role::Admin).await;
    let today = super::people_fixtures::today(&app).await;
    let r = app
        .gql_as(&admin, super::report_fixtures::RECORD, json!({"i": {"stream": "CAFE_BAR", "amount": "12.50", "receivedOn": today.to_string(), "description": "Café"}}))
        .await;
    r.data();
    let year = chrono::Datelike::year(&today);
    app.db
        .execute_unprepared("DELETE FROM account_mappings WHERE key = 'STREAM:CAFE_BAR'")
        .await
        .unwrap();
    let request = FecRequest {
        year,
        with_contributions: false,
    };
    let err = fec::fec(&app.db, request, &ProgressBar::hidden())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "INVALID_STATE");
    assert!(
        err.message().contains("STREAM:CAFE_BAR"),
        "{}",
        err.message()
    );

    let set = "mutation($k: String!, $a: String!, $l: String!) { setAccountMapping(key: $k, account: $a, label: $l) { key account label } }";
    for (key, account, field) in [
        ("STREAM:CAFE", "707", "key"),
        ("STREAM:CAFE_BAR", "70A", "account"),
        ("STREAM:CAFE_BAR", "512", "account"),
    ] {
        let r = app
            .gql_as(&admin, set, json!({"k": key, "a": account, "l": "Ventes"}))
            .await;
        assert_eq!(r.error_code(), "VALIDATION", "{key} {account}");
        assert_eq!(r.first_error()["extensions"]["field"], field);
    }
    let r = app
        .gql_as(
            &admin,
            set,
            json!({"k": "STREAM:CAFE_BAR", "a": "7070", "l": "Ventes de boissons"}),
        )
        .await;
    assert_eq!(r.data()["setAccountMapping"]["account"], "7070");
    let chart = app
        .gql_as(&admin, "{ accountMappings { key account } }", json!({}))
        .await;
    let chart = chart.data()["accountMappings"].as_array().unwrap().clone();
    assert_eq!(chart.len(), 24);
    assert_eq!(chart[0], json!({"key": "BANK", "account": "512"}));
    let export = fec::fec(&app.db, request, &ProgressBar::hidden())
        .await
        .unwrap();
    let lines = fec_lines(&export.body, year);
    assert_eq!(lines.iter().filter(|l| l.1 == "7070").count(), 1);
}

#[tokio::test]
async fn exports_the_funder_report_holds_the_figures_of_the_hybrid_report() {
    let app = lieu_tests::spawn_schema().await;
    let f = Box::pin(fixture_year(&app)).await;
    let y = f.year;
    let (from, to) = (day(y, 1, 1), day(y, 12, 31));
    // A grant whose title would be markup, were it not escaped.
    let r = app
        .gql_as(&f.manager, "mutation($i: CreateGrantInput!) { createGrant(input: $i) { id } }",
            json!({"i": {"funderName": "Ville <b>de</b> Nantes", "funderKind": "MUNICIPALITY", "title": "<script>alert(1)</script> & co",
                "amountRequested": "1500", "periodStart": from, "periodEnd": to}}))
        .await;
    let grant: uuid::Uuid = r.data()["createGrant"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    // Awarded and paid in three tranches: the tallest grant block the page must hold.
    let awarded = "mutation($id: ID!) { setGrantStatus(id: $id, status: AWARDED, amountAwarded: \"1500\") { status } }";
    app.gql_as(&f.manager, awarded, json!({"id": grant.to_string()}))
        .await
        .data();
    let pay = "mutation($g: ID!, $d: Date!) { recordGrantPayment(grantId: $g, amount: \"500\", receivedOn: $d) { id } }";
    for month in [3, 6, 9] {
        app.gql_as(
            &f.manager,
            pay,
            json!({"g": grant.to_string(), "d": day(y, month, 1)}),
        )
        .await
        .data();
    }
    let h = app
        .gql_as(&f.manager, HYBRID, json!({"f": from, "t": to}))
        .await;
    let h = h.data()["hybridModelReport"].clone();
    let now = app.clock.now();
    for lang in [Lang::Fr, Lang::En] {
        let report = funder::funder_report(
            &app.db,
            now,
            FunderRequest {
                grant_id: Some(grant),
                lang,
                ..Default::default()
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{}", e.message()));
        let html = String::from_utf8(report.body).unwrap();
        std::fs::write(format!("/tmp/funder-{}.html", lang.code()), &html).ok();
        let parsed = html_figures(&html);
        let figures = &parsed["figures"];
        for key in [
            "earnedRevenue",
            "privateFunding",
            "publicFunding",
            "monetaryResources",
            "volunteerHours",
            "volunteerValuation",
            "inKindValuation",
            "totalWithVolunteering",
        ] {
            assert_eq!(figures[key]["value"], h[key], "{key}");
        }
        let ratio = h["selfFinancingRatio"].as_f64().unwrap();
        let shown: f64 = figures["selfFinancingRatio"]["value"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((ratio - shown).abs() < 0.00005, "{ratio} {shown}");
        let earned = figures["earnedRevenue"]["text"].as_str().unwrap();
        match lang {
            Lang::Fr => assert_eq!(earned, "12\u{202f}476,00\u{a0}€"),
            Lang::En => assert_eq!(earned, "€12,476.00"),
        }
        let tags = &parsed["tags"];
        assert!(
            tags.get("script").is_none(),
            "no script, not even the grant's title: {tags}"
        );
        assert!(tags.get("b").is_none(), "the funder's name is text: {tags}");
        assert_eq!(tags["svg"], 1, "the chart");
        assert_eq!(
            tags["rect"].as_u64().unwrap(),
            8 + 4,
            "a bar per stream and funder kind"
        );
        let text = parsed["text"].as_str().unwrap();
        assert!(
            text.contains("<script>alert(1)</script> & co"),
            "the title as written"
        );
        assert!(text.contains(lang.pick("Taux d'autofinancement", "Self-financing ratio")));
        assert!(
            text.contains(lang.pick("mars", "March")),
            "the month-by-month table"
        );
        assert!(
            !html.contains(" src=") && !html.contains(" href="),
            "nothing to fetch: it works offline"
        );
    }
    let md = funder::funder_report(
        &app.db,
        now,
        FunderRequest {
            from: Some(from.parse().unwrap()),
            to: Some(to.parse().unwrap()),
            format: ReportFormat::Markdown,
            lang: Lang::En,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let md = String::from_utf8(md.body).unwrap();
    assert!(md.contains("| Earned revenue | €12,476.00 |"), "{md}");
    assert!(
        md.contains("| **Self-financing ratio** | **20.1%** |"),
        "{md}"
    );
    let none = funder::funder_report(&app.db, now, FunderRequest::default())
        .await
        .unwrap_err();
    assert_eq!(none.code(), "VALIDATION");
}

#[tokio::test]
async fn exports_an_erased_person_is_never_named_but_still_counted() {
    use super::event_fixtures::{create, event};
    use super::people_fixtures::{person, plan};
    let app = lieu_tests::spawn_schema().await;
    let manager = app.token_for(lieu_api::domain::Role::Manager).await;
    let today = super::people_fixtures::today(&app).await;
    let on = today.to_string();
    let camille = person(
        &app,
        &manager,
        json!({"firstName": "Camille", "lastName": "Secret", "email": "camille@secret.fr"}),
    )
    .await;
    let noah = person(
        &app,
        &manager,
        json!({"firstName": "Noah", "lastName": "Gardé", "email": "noah@exemple.fr"}),
    )
    .await;
    let plan = plan(&app, &manager, json!({"name": "Adhésion", "price": "10"})).await;
    let start = "mutation($i: StartMembershipInput!) { startMembership(input: $i) { id } }";
    let log = "mutation($i: LogVolunteerHoursInput!) { logVolunteerHours(input: $i) { id } }";
    for who in [&camille, &noah] {
        app.gql_as(
            &manager,
            start,
            json!({"i": {"planId": plan, "personId": who, "startsOn": on, "amountPaid": "10"}}),
        )
        .await
        .data();
        app.gql_as(&manager, log, json!({"i": {"personId": who, "date": on, "hours": "2", "activity": "GARDEN", "note": format!("note de {who}")}}))
            .await
            .data();
    }
    let year = chrono::Datelike::year(&today) + 1;
    let fete = create(
        &app,
        &manager,
        event(
            "Fête",
            &format!("{year}-06-21T18:00:00+02:00"),
            &format!("{year}-06-21T23:00:00+02:00"),
            &[],
            json!({"capacity": 20}),
        ),
    )
    .await;
    for who in [&camille, &noah] {
        app.gql_as(
            &manager,
            super::event_fixtures::REGISTER,
            json!({"i": {"eventId": fete, "personId": who}}),
        )
        .await
        .data();
    }
    app.gql_as(
        &manager,
        "mutation($id: ID!) { erasePerson(id: $id) }",
        json!({"id": camille}),
    )
    .await
    .data();

    let period = Period::new(today, today, None).unwrap();
    let requests = [
        SheetRequest::Members { on: today },
        SheetRequest::VolunteerHours(period),
        SheetRequest::Registrations {
            event_id: fete.parse().unwrap(),
        },
    ];
    for request in requests {
        for format in [CsvFormat::Fr, CsvFormat::Plain] {
            let export = exports::sheet(
                &app.db,
                request,
                SheetOptions {
                    format,
                    lang: Lang::Fr,
                },
                &ProgressBar::hidden(),
            )
            .await
            .unwrap();
            let text = String::from_utf8(export.body.clone()).unwrap();
            assert!(
                !text.contains(&format!("note de {camille}")),
                "an erased person's note goes"
            );
            assert!(
                !text.contains("Camille") && !text.contains("Secret") && !text.contains("camille@"),
                "{request:?}: {text}"
            );
            assert!(
                text.contains("Noah") && text.contains("(personne effacée)"),
                "{request:?}: {text}"
            );
            assert_eq!(
                ParsedSheet::parse(&export.body, format).rows.len(),
                2,
                "both still counted"
            );
        }
    }
}

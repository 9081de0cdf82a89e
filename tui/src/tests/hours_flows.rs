//! Hours and the dashboard against a real server: a volunteer logs and corrects their own
//! hours, a manager logs someone else's, the dashboard's figures are the month's report.

use lieu_api::domain::Role;
use lieu_tests::serde_json::{Value, json};
use ratatui::crossterm::event::KeyCode;
use rust_decimal::Decimal;

use super::flows::{assert_shows, at_the_desk, demo_venue, sign_in};
use crate::format;
use crate::i18n::Lang;

fn today() -> chrono::NaiveDate {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Paris)
        .date_naive()
}

async fn entries_today(server: &lieu_tests::TestApp) -> Vec<Value> {
    let manager = server.token_for(Role::Manager).await;
    let day = today().to_string();
    let list = server
        .gql_as(
            &manager,
            "query($d: Date!) { volunteerEntries(from: $d, to: $d) { hours activity note person { firstName lastName } } }",
            json!({"d": day}),
        )
        .await;
    list.data()["volunteerEntries"].as_array().unwrap().clone()
}

/// The demo venue, and its manager signed in.
async fn as_manager() -> (lieu_tests::TestApp, crate::api::Client, super::Driver) {
    let (server, client) = demo_venue().await;
    let d = sign_in(
        &client,
        &server.base_url,
        "manager@demo.lieu",
        "demo-manager-pass",
    )
    .await;
    (server, client, d)
}

fn decimal(v: &Value) -> Decimal {
    v.as_str().expect("a decimal string").parse().unwrap()
}

#[tokio::test]
async fn a_volunteer_logs_their_hours_in_a_few_keys_and_corrects_them() {
    let (server, client, mut d) = at_the_desk().await;
    let before = entries_today(&server).await.len();
    d.char('5');
    d.settle(&client).await;
    assert_shows(&d, "Mes heures de l'année");
    // n, the hours, Enter: today, front desk.
    d.char('n');
    d.type_text("2,5");
    d.key(KeyCode::Enter);
    d.settle(&client).await;
    assert_shows(&d, "Heures notées : 2,5 h (Accueil).");
    let after = entries_today(&server).await;
    assert_eq!(after.len(), before + 1);
    let mine = after
        .iter()
        .find(|e| decimal(&e["hours"]) == "2.5".parse::<Decimal>().unwrap())
        .expect("the entry");
    assert_eq!(mine["activity"], "FRONT_DESK");

    // The latest entry first: Enter corrects it.
    d.key(KeyCode::Enter);
    d.settle(&client).await;
    assert_shows(&d, "Corriger des heures");
    d.key(KeyCode::Tab);
    d.key(KeyCode::End);
    for _ in 0..6 {
        d.key(KeyCode::Backspace);
    }
    d.type_text("1h45");
    d.key(KeyCode::Tab);
    d.key(KeyCode::Right); // Événements
    d.key(KeyCode::Tab);
    d.type_text("Repair café");
    d.key(KeyCode::Enter);
    d.settle(&client).await;
    assert_shows(&d, "Heures corrigées.");
    let corrected = entries_today(&server).await;
    assert_eq!(corrected.len(), before + 1, "corrected, not added");
    assert!(
        corrected.iter().any(
            |e| decimal(&e["hours"]) == "1.75".parse::<Decimal>().unwrap()
                && e["activity"] == "EVENTS"
                && e["note"] == "Repair café"
        ),
        "{corrected:?}"
    );
    server.stop().await;
}

#[tokio::test]
async fn a_manager_logs_hours_for_someone_else() {
    let (server, client, mut d) = as_manager().await;
    d.char('5');
    d.settle(&client).await;
    assert_shows(&d, "toute l'équipe");
    d.char('n');
    d.settle(&client).await;
    // The manager's account is no one's: the form starts on "Pour".
    d.type_text("helene dup");
    d.settle(&client).await;
    assert_shows(&d, "Déjà connu·e ?");
    d.key(KeyCode::Down);
    d.key(KeyCode::Enter); // picks Hélène, on to the hours
    d.type_text("3");
    d.key(KeyCode::Enter);
    d.settle(&client).await;
    assert_shows(&d, "Heures notées : 3 h");
    let entries = entries_today(&server).await;
    assert!(
        entries.iter().any(|e| e["person"]["firstName"] == "Hélène"
            && e["person"]["lastName"] == "Dupré"
            && decimal(&e["hours"]) == Decimal::from(3)),
        "{entries:?}"
    );
    server.stop().await;
}

#[tokio::test]
async fn the_dashboard_shows_the_months_hybrid_model_report() {
    let (server, client, mut d) = as_manager().await;
    d.char('6');
    d.settle(&client).await;
    let ((month_from, month_to), _) = crate::ui::screens::dashboard::periods(today());
    let manager = server.token_for(Role::Manager).await;
    let report = server
        .gql_as(
            &manager,
            "query($f: Date!, $t: Date!) { hybridModelReport(from: $f, to: $t) { earnedRevenue privateFunding publicFunding monetaryResources selfFinancingRatio volunteerHours volunteerValuation } }",
            json!({"f": month_from.to_string(), "t": month_to.to_string()}),
        )
        .await;
    let r = &report.data()["hybridModelReport"];
    let screen = d.screen(160, 48);
    let line = |label: &str| {
        screen
            .lines()
            .find(|l| l.contains(label))
            .unwrap_or_else(|| panic!("no {label:?} line:\n{screen}"))
            .to_string()
    };
    for (label, field) in [
        ("Recettes propres", "earnedRevenue"),
        ("Financements privés", "privateFunding"),
        ("Financements publics", "publicFunding"),
        ("Ressources monétaires", "monetaryResources"),
        ("Valorisation bénévolat", "volunteerValuation"),
    ] {
        let month = format::money(Lang::Fr, decimal(&r[field]));
        let row = line(label);
        // The month's figure is the first amount after the label.
        let first = row[row.find(label).unwrap() + label.len()..]
            .split('€')
            .next()
            .unwrap()
            .trim()
            .to_string();
        assert_eq!(format!("{first} €"), month, "{label}: {row}");
    }
    let hours = format::hours(Lang::Fr, decimal(&r["volunteerHours"]));
    assert!(line("Heures bénévoles").contains(&hours), "{screen}");
    let ratio = r["selfFinancingRatio"]
        .as_f64()
        .map(|x| format!("{:.1}", x * 100.0));
    if let Some(ratio) = ratio {
        assert!(
            line("Autofinancement").contains(&format!("{} %", ratio.replace('.', ","))),
            "{screen}"
        );
    }
    assert!(
        screen.contains(&format::month_name(Lang::Fr, today())),
        "{screen}"
    );
    server.stop().await;
}

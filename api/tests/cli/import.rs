//! `lieu-api import people|memberships`: dry runs, reports, all or nothing, encodings.

use super::*;

fn import(kind: &str, file: &std::path::Path, url: &str, apply: bool) -> (bool, String, String) {
    let mut command = Command::new(BIN);
    command
        .args(["import", kind])
        .arg(file)
        .args(["--database-url", url]);
    if apply {
        command.arg("--apply");
    }
    let output = command.output().expect("run lieu-api import");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

async fn migrated(url: &str) -> sea_orm::DatabaseConnection {
    let db = lieu_api::db::connect(&lieu_api::config::DatabaseConfig {
        url: url.to_string(),
        pool_size: Some(2),
    })
    .await
    .unwrap();
    lieu_api::db::migrate(&db).await.unwrap();
    db
}

async fn people_matching(db: &sea_orm::DatabaseConnection, search: &str) -> (Vec<String>, u64) {
    let terms = lieu_api::domain::SearchTerms::parse(Some(search));
    let window = lieu_api::graphql::pagination::Window::new(Some(20), 0).unwrap();
    let (rows, total) = lieu_api::service::people::list_people(db, terms.as_ref(), window)
        .await
        .unwrap();
    (
        rows.into_iter()
            .map(|p| format!("{} {}", p.first_name, p.last_name))
            .collect(),
        total,
    )
}

/// Windows-1252 bytes of a text, as Excel on Windows saves a CSV.
fn cp1252(text: &str) -> Vec<u8> {
    let (bytes, _, lossy) = encoding_rs::WINDOWS_1252.encode(text);
    assert!(!lossy, "{text} has characters Windows-1252 lacks");
    bytes.into_owned()
}

#[tokio::test]
async fn import_people_reports_each_bad_line_and_writes_all_or_nothing() {
    let database = TestDatabase::new().await;
    let db = migrated(&database.url).await;
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("adherents.csv");
    std::fs::write(
        &bad,
        cp1252(
            "Prénom;Nom;Courriel;Téléphone;Code postal;Année de naissance;Couleur\r\n\
             Hélène;Dupré;helene@exemple.fr;06 12 34 56 78;44200;1984;bleu\r\n\
             Élodie;Lévêque;;;44000;12/03/1990;vert\r\n\
             Sans;;pas-un-email;;;;\r\n\
             Double;Courriel;HELENE@exemple.fr;;;;\r\n\
             François;Ça;;;1;;\r\n",
        ),
    )
    .unwrap();
    for apply in [false, true] {
        let (ok, out, _) = import("people", &bad, &database.url, apply);
        assert!(!ok, "bad lines fail the command (apply={apply}):\n{out}");
        assert!(out.contains("Windows-1252, separator ';'"), "{out}");
        assert!(out.contains("Columns ignored: Couleur"), "{out}");
        assert!(
            out.contains("line 2: would create Hélène Dupré <helene@exemple.fr>")
                || out.contains("line 2: create Hélène Dupré"),
            "{out}"
        );
        assert!(out.contains("Élodie Lévêque"), "{out}");
        assert!(
            out.contains("line 4: ERROR lastName: must not be empty; email: 'pas-un-email'"),
            "{out}"
        );
        assert!(
            out.contains("line 5: ERROR email: HELENE@exemple.fr is already on line 2"),
            "{out}"
        );
        assert!(out.contains("line 6: ERROR postalCode"), "{out}");
        assert!(
            out.contains("3 line(s) with errors, 2 fine: nothing was written"),
            "{out}"
        );
        assert_eq!(people_matching(&db, "").await.1, 0, "nothing written");
    }

    // Fixed: UTF-8 with a BOM and ',' separators this time.
    let good = dir.path().join("adherents-ok.csv");
    std::fs::write(
        &good,
        "\u{feff}First name,Last name,E-mail,Birth year,Consent\n\
         Hélène,Dupré,helene@exemple.fr,1984,oui\n\
         Élodie,\"Lévêque, dite Lolo\",,,non\n",
    )
    .unwrap();
    let (ok, out, _) = import("people", &good, &database.url, false);
    assert!(ok, "{out}");
    assert!(out.contains("UTF-8, separator ','"), "{out}");
    assert!(out.contains("Dry run: 2 people would be created"), "{out}");
    assert_eq!(
        people_matching(&db, "").await.1,
        0,
        "a dry run writes nothing"
    );
    let (ok, out, _) = import("people", &good, &database.url, true);
    assert!(ok, "{out}");
    assert!(out.contains("Done: 2 people created."), "{out}");
    assert_eq!(people_matching(&db, "helene").await.0, ["Hélène Dupré"]);
    assert_eq!(
        people_matching(&db, "LEVEQUE lolo").await.0,
        ["Élodie Lévêque, dite Lolo"]
    );
    // Running it again: every email is now taken, and the report names who has it.
    let (ok, out, _) = import("people", &good, &database.url, true);
    assert!(!ok);
    assert!(
        out.contains("line 2: ERROR email: Hélène Dupré (id "),
        "{out}"
    );
    // …and a person without an email is recognised by name, not created twice.
    assert!(
        out.contains("line 3: ERROR") && out.contains("(without an email) is already known"),
        "{out}"
    );
    assert_eq!(people_matching(&db, "").await.1, 2);
}

#[tokio::test]
async fn a_10000_line_import_completes_and_is_searchable() {
    let database = TestDatabase::new().await;
    let db = migrated(&database.url).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("big.csv");
    let mut text = String::from("prénom;nom;email;code postal\n");
    for i in 0..10_000 {
        let first = ["Zoé", "Hélène", "Noël", "Jérôme"][i % 4];
        text.push_str(&format!(
            "{first};Martin-{i:05};p{i}@exemple.org;44{:03}\n",
            i % 1000
        ));
    }
    std::fs::write(&file, text).unwrap();
    let started = Instant::now();
    let (ok, out, err) = import("people", &file, &database.url, true);
    let took = started.elapsed();
    assert!(ok, "{err}\n{}", &out[out.len().saturating_sub(2000)..]);
    assert!(out.contains("Done: 10000 people created."));
    eprintln!("10,000-line import: {took:?}");
    let (_, total) = people_matching(&db, "").await;
    assert_eq!(total, 10_000);
    let (_, zoes) = people_matching(&db, "zoe").await;
    assert_eq!(zoes, 2_500);
    let (found, total) = people_matching(&db, "NOEL martin-09998").await;
    assert_eq!((found, total), (vec!["Noël Martin-09998".to_string()], 1));
}

#[tokio::test]
async fn import_memberships_checks_members_plans_days_and_amounts() {
    use lieu_api::domain::{Email, Money, Name, OrganizationKind, PlanPeriod, PlanPrice};
    use lieu_api::service::memberships;
    use lieu_api::service::people::{self, organizations};
    let database = TestDatabase::new().await;
    let db = migrated(&database.url).await;
    let now = chrono::Utc::now();
    let new_plan =
        |name: &str, period, price: i64, min: Option<i64>, orgs: bool| memberships::NewPlan {
            name: Name::parse("name", name).unwrap(),
            period,
            period_months: 12,
            price: PlanPrice::new(Money::from_cents(price), min.map(Money::from_cents)).unwrap(),
            for_organizations: orgs,
        };
    memberships::create_plan(
        &db,
        now,
        new_plan(
            "Adhésion individuelle",
            PlanPeriod::Rolling,
            1500,
            None,
            false,
        ),
    )
    .await
    .unwrap();
    memberships::create_plan(
        &db,
        now,
        new_plan("Prix libre", PlanPeriod::SchoolYear, 1000, Some(200), false),
    )
    .await
    .unwrap();
    memberships::create_plan(
        &db,
        now,
        new_plan("Structure", PlanPeriod::CalendarYear, 8000, None, true),
    )
    .await
    .unwrap();
    for (first, email) in [
        ("Ana", "ana@x.org"),
        ("Bob", "bob@x.org"),
        ("Cléo", "cleo@x.org"),
    ] {
        people::create_person(
            &db,
            now,
            people::NewPerson {
                email: Some(Email::parse("e", email).unwrap()),
                ..people::NewPerson::named(
                    Name::parse("f", first).unwrap(),
                    Name::parse("l", "Test").unwrap(),
                )
            },
        )
        .await
        .unwrap();
    }
    organizations::create_organization(
        &db,
        now,
        organizations::NewOrganization {
            name: Name::parse("n", "Atelier Vélo").unwrap(),
            kind: OrganizationKind::Association,
            resident: true,
            email: None,
            phone: None,
        },
    )
    .await
    .unwrap();

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cotisations.csv");
    let lines = "Courriel;Structure;Formule;Début;Montant\n\
        ana@x.org;;adhesion INDIVIDUELLE;01/09/2025;15,00\n\
        bob@x.org;;Prix libre;2026-09-01;5 €\n\
        ;atelier velo;Structure;2026-01-15;\n\
        nobody@x.org;;Prix libre;2026-09-01;5\n\
        cleo@x.org;;Inconnue;2026-09-01;5\n\
        cleo@x.org;;Prix libre;31/02/2026;5\n\
        cleo@x.org;;Prix libre;2026-09-01;1,50\n\
        cleo@x.org;;Structure;2026-01-01;80\n\
        ana@x.org;;Adhésion individuelle;2026-03-01;15\n";
    std::fs::write(&file, cp1252(lines)).unwrap();
    let (ok, out, _) = import("memberships", &file, &database.url, true);
    assert!(!ok);
    assert!(out.contains("line 2: create Ana Test <ana@x.org>: Adhésion individuelle from 2025-09-01 to 2026-08-31, 15.00 EUR"), "{out}");
    assert!(out.contains("line 3: create Bob Test <bob@x.org>: Prix libre from 2026-09-01 to 2027-08-31, 5.00 EUR"), "{out}");
    assert!(
        out.contains(
            "line 4: create Atelier Vélo: Structure from 2026-01-15 to 2026-12-31, 80.00 EUR"
        ),
        "{out}"
    );
    assert!(
        out.contains("line 5: ERROR email: no person has the email nobody@x.org"),
        "{out}"
    );
    assert!(
        out.contains("line 6: ERROR plan: no plan on offer is named 'Inconnue'"),
        "{out}"
    );
    assert!(
        out.contains("line 7: ERROR startsOn: '31/02/2026'"),
        "{out}"
    );
    assert!(
        out.contains("line 8: ERROR amountPaid: this plan is pay-what-you-can from 2.00 EUR"),
        "{out}"
    );
    assert!(
        out.contains("line 9: ERROR personId: the plan 'Structure' is for organizations"),
        "{out}"
    );
    assert!(
        out.contains("line 10: ERROR already a member from 2025-09-01 to 2026-08-31 (line 2)"),
        "{out}"
    );
    assert!(
        out.contains("6 line(s) with errors, 3 fine: nothing was written"),
        "{out}"
    );

    let good: String = lines.lines().take(4).map(|l| format!("{l}\n")).collect();
    std::fs::write(&file, cp1252(&good)).unwrap();
    let (ok, out, _) = import("memberships", &file, &database.url, true);
    assert!(ok, "{out}");
    assert!(out.contains("Done: 3 memberships created."), "{out}");
    use sea_orm::{EntityTrait, PaginatorTrait};
    assert_eq!(
        lieu_entity::membership::Entity::find()
            .count(&db)
            .await
            .unwrap(),
        3
    );
    let revenues = lieu_entity::revenue::Entity::find().all(&db).await.unwrap();
    let mut amounts: Vec<i64> = revenues.iter().map(|r| r.amount_cents).collect();
    amounts.sort_unstable();
    assert_eq!(amounts, [500, 1500, 8000]);
    assert!(
        revenues
            .iter()
            .all(|r| r.stream == "MEMBERSHIP" && r.membership_id.is_some())
    );
    // Importing the same file again overlaps what is now in the database.
    let (ok, out, _) = import("memberships", &file, &database.url, false);
    assert!(!ok);
    assert!(
        out.contains(
            "line 2: ERROR already a member from 2025-09-01 to 2026-08-31 (an existing membership)"
        ),
        "{out}"
    );
}

#[test]
fn import_and_seed_commands_have_help_with_examples() {
    for (args, needle) in [
        (vec!["import", "--help"], "Usage"),
        (
            vec!["import", "people", "--help"],
            "lieu-api import people adherents.csv --apply",
        ),
        (
            vec!["import", "memberships", "--help"],
            "lieu-api import memberships cotisations.csv",
        ),
        (vec!["seed", "--help"], "--scale"),
    ] {
        let output = Command::new(BIN).args(&args).output().unwrap();
        assert!(output.status.success(), "{args:?}");
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(text.contains(needle), "{args:?}: {text}");
    }
    let missing = Command::new(BIN)
        .args([
            "import",
            "people",
            "/nonexistent/file.csv",
            "--database-url",
            "sqlite::memory:",
        ])
        .output()
        .unwrap();
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("reading /nonexistent/file.csv"));
}

fn import_with(file: &std::path::Path, url: &str, flags: &[&str]) -> (bool, String) {
    let output = Command::new(BIN)
        .args(["import", "people"])
        .arg(file)
        .args(["--database-url", url])
        .args(flags)
        .output()
        .expect("run lieu-api import");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

#[tokio::test]
async fn a_second_import_skips_or_updates_the_people_already_known() {
    let database = TestDatabase::new().await;
    let db = migrated(&database.url).await;
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("2025.csv");
    std::fs::write(
        &first,
        "prénom;nom;email;téléphone;code postal\n\
         Hélène;Dupré;helene@exemple.fr;;44200\n\
         Noé;Martin;;;44000\n\
         Inès;Roux;;;\n",
    )
    .unwrap();
    let (ok, out) = import_with(&first, &database.url, &["--apply"]);
    assert!(ok, "{out}");

    // A year later: Hélène (by email) has a phone, Noé (by name and postal code) an email now,
    // Inès (by name, no email either side) is unchanged, Zoé is new.
    let second = dir.path().join("2026.csv");
    std::fs::write(
        &second,
        "prénom;nom;email;téléphone;code postal;couleur\n\
         Hélène;Dupré;HELENE@exemple.fr;06 12 34 56 78;;bleu\n\
         Noé;Martin;noe@exemple.fr;;44000;vert\n\
         Inès;Roux;;;;\n\
         Zoé;Petit;zoe@exemple.fr;;75011;\n",
    )
    .unwrap();
    let (ok, out) = import_with(&second, &database.url, &[]);
    assert!(!ok, "known people are errors by default:\n{out}");
    assert!(out.contains("Columns ignored: couleur"), "{out}");
    assert!(
        out.contains("line 2: ERROR email: Hélène Dupré (id ") && out.contains("--on-existing"),
        "{out}"
    );
    assert!(
        out.contains("line 3: ERROR Noé Martin of 44000 is already known"),
        "{out}"
    );
    assert!(
        out.contains("line 4: ERROR Inès Roux (without an email) is already known"),
        "{out}"
    );

    let (ok, out) = import_with(
        &second,
        &database.url,
        &["--on-existing", "skip", "--apply"],
    );
    assert!(ok, "{out}");
    assert!(out.contains("line 2: skipped Hélène Dupré"), "{out}");
    assert!(
        out.contains("line 5: create Zoé Petit <zoe@exemple.fr>"),
        "{out}"
    );
    assert!(
        out.contains("Done: 1 person created, 3 already known left as they are."),
        "{out}"
    );
    assert_eq!(people_matching(&db, "").await.1, 4);
    let helene = lieu_api::service::people::find_by_email_key(&db, "helene@exemple.fr")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(helene.phone, None, "skip leaves her as she was");

    let (ok, out) = import_with(&second, &database.url, &["--on-existing", "update"]);
    assert!(ok, "{out}");
    assert!(
        out.contains("line 2: would update Hélène Dupré <HELENE@exemple.fr>: phone (person "),
        "{out}"
    );
    assert!(
        out.contains("line 3: would update Noé Martin <noe@exemple.fr>: email"),
        "{out}"
    );
    assert!(
        out.contains("line 4: Inès Roux is already up to date"),
        "{out}"
    );
    assert!(
        out.contains("line 5: Zoé Petit <zoe@exemple.fr> is already up to date"),
        "{out}"
    );
    assert!(
        out.contains("Dry run: 0 people would be created, 4 already known would be updated"),
        "{out}"
    );
    let (ok, out) = import_with(
        &second,
        &database.url,
        &["--on-existing", "update", "--apply"],
    );
    assert!(ok, "{out}");
    assert!(
        out.contains("Done: 0 people created, 4 already known updated."),
        "{out}"
    );
    let helene = lieu_api::service::people::find_by_email_key(&db, "helene@exemple.fr")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(helene.phone.as_deref(), Some("06 12 34 56 78"));
    assert_eq!(
        helene.postal_code.as_deref(),
        Some("44200"),
        "an empty cell keeps it"
    );
    let noe = lieu_api::service::people::find_by_email_key(&db, "noe@exemple.fr")
        .await
        .unwrap();
    assert!(noe.is_some(), "Noé has his email now");
    assert_eq!(
        people_matching(&db, "noe").await.1,
        1,
        "and is still one person"
    );
}

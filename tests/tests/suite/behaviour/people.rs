//! People and organizations: creation, validation, duplicates, accent-blind search, paging,
//! contacts, and a constant number of statements per list.

use lieu_api::domain::Role;
use lieu_tests::serde_json::{Value, json};
use lieu_tests::spawn_schema;

use crate::behaviour::people_fixtures::{CREATE_PERSON, day, organization, person, plan, today};

const SEARCH: &str = "query($s: String, $f: Int, $a: String) { people(search: $s, first: $f, after: $a) { totalCount edges { cursor node { firstName lastName } } pageInfo { hasNextPage endCursor } } }";

fn names(response: &Value) -> Vec<String> {
    response["people"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{} {}",
                e["node"]["firstName"].as_str().unwrap(),
                e["node"]["lastName"].as_str().unwrap()
            )
        })
        .collect()
}

#[tokio::test]
async fn search_ignores_case_and_accents_matches_parts_of_words_and_ranks() {
    let app = spawn_schema().await;
    let token = app.token_for(Role::Volunteer).await;
    for (first, last, email) in [
        ("Hélène", "Dupré", Some("h.dupre@exemple.fr")),
        ("Helena", "Martin", None),
        ("Émile", "Hélary", None),
        ("Jean", "Dupont", Some("jd@asso-velo.org")),
        ("Zoé", "Lefèvre", None),
    ] {
        person(
            &app,
            &token,
            json!({"firstName": first, "lastName": last, "email": email}),
        )
        .await;
    }
    let search = |s: &'static str| {
        let app = &app;
        let token = token.clone();
        async move {
            let response = app.gql_as(&token, SEARCH, json!({"s": s})).await;
            names(response.data())
        }
    };
    assert_eq!(search("helene").await, ["Hélène Dupré"]);
    assert_eq!(search("DUPRE").await, ["Hélène Dupré"]);
    assert_eq!(
        search("Hél").await[0],
        "Émile Hélary",
        "last-name prefix first"
    );
    assert_eq!(
        search("Hél").await,
        ["Émile Hélary", "Hélène Dupré", "Helena Martin"]
    );
    assert_eq!(search("  dupré   HÉLÈNE ").await, ["Hélène Dupré"]);
    assert_eq!(search("lefevre").await, ["Zoé Lefèvre"]);
    // Parts of words, anywhere: "upr" is inside "Dupré".
    assert_eq!(search("upr").await, ["Hélène Dupré"]);
    // The email is searched too.
    assert_eq!(search("asso-velo").await, ["Jean Dupont"]);
    assert_eq!(search("exemple.fr").await, ["Hélène Dupré"]);
    assert!(search("nobody").await.is_empty());
    // "dup" starts two last names: both, by name.
    assert_eq!(search("dup").await, ["Jean Dupont", "Hélène Dupré"]);
    // No search (or only punctuation): everyone, by last name without regard to accents.
    assert_eq!(search("%").await.len(), 5);
    let all = app.gql_as(&token, SEARCH, json!({})).await;
    assert_eq!(
        names(all.data()),
        [
            "Jean Dupont",
            "Hélène Dupré",
            "Émile Hélary",
            "Zoé Lefèvre",
            "Helena Martin"
        ]
    );
}

#[tokio::test]
async fn names_with_apostrophes_hyphens_and_particles_are_found_as_typed() {
    let app = spawn_schema().await;
    let token = app.token_for(Role::Volunteer).await;
    for (first, last) in [("Aïssatou", "N'Diaye"), ("Jean-François", "Le Goff")] {
        person(&app, &token, json!({"firstName": first, "lastName": last})).await;
    }
    for (typed, found) in [
        ("ndiaye", "Aïssatou N'Diaye"),
        ("N'Diaye", "Aïssatou N'Diaye"),
        ("n diaye", "Aïssatou N'Diaye"),
        ("legoff", "Jean-François Le Goff"),
        ("le goff", "Jean-François Le Goff"),
        ("jeanfrancois", "Jean-François Le Goff"),
        ("jean-françois", "Jean-François Le Goff"),
    ] {
        let response = app.gql_as(&token, SEARCH, json!({"s": typed})).await;
        assert_eq!(names(response.data()), [found], "{typed}");
    }
}

#[tokio::test]
async fn people_are_paged_with_cursors_and_a_total() {
    let app = spawn_schema().await;
    let token = app.token_for(Role::Volunteer).await;
    for i in 0..7 {
        person(
            &app,
            &token,
            json!({"firstName": format!("Prénom{i}"), "lastName": "Bernard"}),
        )
        .await;
    }
    let page1 = app
        .gql_as(&token, SEARCH, json!({"s": "bernard", "f": 3}))
        .await;
    let people = &page1.data()["people"];
    assert_eq!(people["totalCount"], 7);
    assert_eq!(people["edges"].as_array().unwrap().len(), 3);
    assert_eq!(people["pageInfo"]["hasNextPage"], true);
    let mut seen = names(page1.data());
    let mut cursor = people["pageInfo"]["endCursor"]
        .as_str()
        .unwrap()
        .to_string();
    loop {
        let next = app
            .gql_as(&token, SEARCH, json!({"s": "bernard", "f": 3, "a": cursor}))
            .await;
        seen.extend(names(next.data()));
        let info = &next.data()["people"]["pageInfo"];
        if info["hasNextPage"] == false {
            break;
        }
        cursor = info["endCursor"].as_str().unwrap().to_string();
    }
    assert_eq!(seen.len(), 7);
    seen.dedup();
    assert_eq!(seen.len(), 7, "no one twice");
    let bad = app
        .gql_as(&token, SEARCH, json!({"a": "not-a-cursor"}))
        .await;
    assert_eq!(bad.error_code(), "VALIDATION");
}

#[tokio::test]
async fn creating_a_person_validates_and_refuses_a_known_email_naming_its_owner() {
    let app = spawn_schema().await;
    let token = app.token_for(Role::Volunteer).await;
    let created = app
        .gql_as(
            &token,
            CREATE_PERSON,
            json!({"i": {"firstName": " Hélène ", "lastName": "Dupré", "email": "Helene.Dupre@Exemple.fr",
                "phone": "06 12 34 56 78", "postalCode": "44200", "birthYear": 1984, "consentToContact": true,
                "notes": "Vient le mardi"}}),
        )
        .await;
    let p = &created.data()["createPerson"];
    assert_eq!(p["firstName"], "Hélène");
    assert_eq!(p["email"], "Helene.Dupre@Exemple.fr");
    assert_eq!(p["postalCode"], "44200");
    assert_eq!(p["birthYear"], 1984);
    assert_eq!(p["consentToContact"], true);
    assert!(p["consentGivenAt"].as_str().unwrap().contains('T'));
    assert_eq!(p["erased"], false);
    let id = p["id"].as_str().unwrap();

    let duplicate = app
        .gql_as(
            &token,
            CREATE_PERSON,
            json!({"i": {"firstName": "H", "lastName": "D", "email": "helene.dupre@EXEMPLE.fr"}}),
        )
        .await;
    assert_eq!(duplicate.error_code(), "VALIDATION");
    assert_eq!(duplicate.first_error()["extensions"]["field"], "email");
    let message = duplicate.first_error()["message"].as_str().unwrap();
    assert!(
        message.contains("Hélène Dupré") && message.contains(id),
        "{message}"
    );

    for (input, field) in [
        (json!({"firstName": " ", "lastName": "X"}), "firstName"),
        (json!({"firstName": "X", "lastName": ""}), "lastName"),
        (
            json!({"firstName": "X", "lastName": "Y", "email": "nope"}),
            "email",
        ),
        (
            json!({"firstName": "X", "lastName": "Y", "phone": "call me"}),
            "phone",
        ),
        (
            json!({"firstName": "X", "lastName": "Y", "postalCode": "123"}),
            "postalCode",
        ),
        (
            json!({"firstName": "X", "lastName": "Y", "birthYear": 1850}),
            "birthYear",
        ),
        (
            json!({"firstName": "X", "lastName": "Y", "birthYear": 2999}),
            "birthYear",
        ),
    ] {
        let refused = app.gql_as(&token, CREATE_PERSON, json!({"i": input})).await;
        assert_eq!(refused.error_code(), "VALIDATION", "{input}");
        assert_eq!(
            refused.first_error()["extensions"]["field"],
            field,
            "{input}"
        );
    }
    let count = app
        .gql_as(&token, "{ people { totalCount } }", json!({}))
        .await;
    assert_eq!(
        count.data()["people"]["totalCount"],
        1,
        "nothing else written"
    );
}

#[tokio::test]
async fn updating_a_person_changes_search_consent_and_clears_fields() {
    let app = spawn_schema().await;
    let token = app.token_for(Role::Volunteer).await;
    let id = person(
        &app,
        &token,
        json!({"firstName": "Anne", "lastName": "Leroy", "email": "anne@x.org", "birthYear": 1990, "postalCode": "44000"}),
    )
    .await;
    let other = person(
        &app,
        &token,
        json!({"firstName": "Paul", "lastName": "Roux", "email": "paul@x.org"}),
    )
    .await;
    let update = "mutation($id: ID!, $i: UpdatePersonInput!) { updatePerson(id: $id, input: $i) { firstName lastName email birthYear postalCode consentToContact consentGivenAt } }";
    let updated = app
        .gql_as(
            &token,
            update,
            json!({"id": id, "i": {"lastName": "Léoté", "birthYear": null, "postalCode": "", "consentToContact": true}}),
        )
        .await;
    let p = &updated.data()["updatePerson"];
    assert_eq!(p["firstName"], "Anne", "kept");
    assert_eq!(p["lastName"], "Léoté");
    assert!(p["birthYear"].is_null());
    assert!(p["postalCode"].is_null());
    assert_eq!(p["email"], "anne@x.org");
    assert!(p["consentGivenAt"].is_string());
    let found = app.gql_as(&token, SEARCH, json!({"s": "leote"})).await;
    assert_eq!(names(found.data()), ["Anne Léoté"]);
    assert!(
        names(
            app.gql_as(&token, SEARCH, json!({"s": "leroy"}))
                .await
                .data()
        )
        .is_empty()
    );

    let withdrawn = app
        .gql_as(
            &token,
            update,
            json!({"id": id, "i": {"consentToContact": false}}),
        )
        .await;
    assert!(withdrawn.data()["updatePerson"]["consentGivenAt"].is_null());

    let taken = app
        .gql_as(
            &token,
            update,
            json!({"id": other, "i": {"email": "ANNE@x.org"}}),
        )
        .await;
    assert_eq!(taken.error_code(), "VALIDATION");
    assert!(
        taken.first_error()["message"]
            .as_str()
            .unwrap()
            .contains("Anne Léoté")
    );
    let missing = app
        .gql_as(
            &token,
            update,
            json!({"id": uuid::Uuid::new_v4().to_string(), "i": {}}),
        )
        .await;
    assert_eq!(missing.error_code(), "NOT_FOUND");
}

#[tokio::test]
async fn organizations_are_searched_and_have_contacts() {
    let app = spawn_schema().await;
    let token = app.token_for(Role::Volunteer).await;
    let velo = organization(
        &app,
        &token,
        json!({"name": "Atelier Vélo Solidaire", "kind": "ASSOCIATION", "resident": true}),
    )
    .await;
    organization(
        &app,
        &token,
        json!({"name": "Mairie de Rezé", "kind": "PUBLIC_BODY"}),
    )
    .await;
    organization(
        &app,
        &token,
        json!({"name": "Les Écolos du Quartier", "kind": "COLLECTIVE"}),
    )
    .await;
    let dup = app
        .gql_as(
            &token,
            crate::behaviour::people_fixtures::CREATE_ORG,
            json!({"i": {"name": "atelier velo solidaire", "kind": "COMPANY"}}),
        )
        .await;
    assert_eq!(dup.error_code(), "VALIDATION");
    assert_eq!(dup.first_error()["extensions"]["field"], "name");

    let list = "query($s: String) { organizations(search: $s) { totalCount edges { node { name kind resident } } } }";
    let found = app.gql_as(&token, list, json!({"s": "velo"})).await;
    let orgs = &found.data()["organizations"];
    assert_eq!(orgs["totalCount"], 1);
    assert_eq!(orgs["edges"][0]["node"]["resident"], true);
    let found = app.gql_as(&token, list, json!({"s": "REZE"})).await;
    assert_eq!(
        found.data()["organizations"]["edges"][0]["node"]["kind"],
        "PUBLIC_BODY"
    );
    let all = app.gql_as(&token, list, json!({})).await;
    assert_eq!(all.data()["organizations"]["totalCount"], 3);
    assert_eq!(
        all.data()["organizations"]["edges"][0]["node"]["name"],
        "Atelier Vélo Solidaire"
    );

    let ana = person(
        &app,
        &token,
        json!({"firstName": "Ana", "lastName": "Costa"}),
    )
    .await;
    let add = "mutation($o: ID!, $p: ID!, $r: String) { addOrganizationContact(organizationId: $o, personId: $p, role: $r) { role person { firstName } organization { name } } }";
    let added = app
        .gql_as(&token, add, json!({"o": velo, "p": ana, "r": "présidente"}))
        .await;
    assert_eq!(
        added.data()["addOrganizationContact"]["organization"]["name"],
        "Atelier Vélo Solidaire"
    );
    let again = app
        .gql_as(&token, add, json!({"o": velo, "p": ana, "r": "trésorière"}))
        .await;
    assert_eq!(again.data()["addOrganizationContact"]["role"], "trésorière");
    let org = app
        .gql_as(
            &token,
            "query($id: ID!) { organization(id: $id) { contacts { role person { lastName } } } }",
            json!({"id": velo}),
        )
        .await;
    let contacts = org.data()["organization"]["contacts"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(contacts.len(), 1);
    assert_eq!(contacts[0]["person"]["lastName"], "Costa");
    let of_person = app
        .gql_as(
            &token,
            "query($id: ID!) { person(id: $id) { organizations { role organization { name } } } }",
            json!({"id": ana}),
        )
        .await;
    assert_eq!(
        of_person.data()["person"]["organizations"][0]["role"],
        "trésorière"
    );

    let update = "mutation($id: ID!, $i: UpdateOrganizationInput!) { updateOrganization(id: $id, input: $i) { name resident kind } }";
    let updated = app
        .gql_as(
            &token,
            update,
            json!({"id": velo, "i": {"resident": false}}),
        )
        .await;
    assert_eq!(updated.data()["updateOrganization"]["resident"], false);
    assert_eq!(
        updated.data()["updateOrganization"]["name"],
        "Atelier Vélo Solidaire"
    );

    let remove = "mutation($o: ID!, $p: ID!) { removeOrganizationContact(organizationId: $o, personId: $p) }";
    assert_eq!(
        app.gql_as(&token, remove, json!({"o": velo, "p": ana}))
            .await
            .data()["removeOrganizationContact"],
        true
    );
    assert_eq!(
        app.gql_as(&token, remove, json!({"o": velo, "p": ana}))
            .await
            .error_code(),
        "NOT_FOUND"
    );
}

#[tokio::test]
async fn anonymous_callers_never_see_people() {
    let app = spawn_schema().await;
    let token = app.token_for(Role::Volunteer).await;
    let id = person(
        &app,
        &token,
        json!({"firstName": "Secret", "lastName": "Person"}),
    )
    .await;
    for query in [
        "{ people { totalCount } }".to_string(),
        format!("{{ person(id: \"{id}\") {{ firstName }} }}"),
        "{ organizations { totalCount } }".to_string(),
        "{ membershipPlans { id } }".to_string(),
        "{ expiringMemberships { id } }".to_string(),
    ] {
        let response = app.gql(&query, json!({})).await;
        assert_eq!(response.error_code(), "UNAUTHENTICATED", "{query}");
        assert!(!response.body.to_string().contains("Secret"));
    }
}

/// A list of people with their membership, plan and organizations costs the same statements
/// for 3 people as for 40: every relation goes through a DataLoader, and batches run in rounds
/// (`graphql::batching`). At most: the session, the page, today's date, one batch per loader
/// (active membership, memberships, contacts, plans, people, organizations). Without loaders,
/// 40 people would cost over 160.
#[tokio::test]
async fn people_with_memberships_cost_a_constant_number_of_statements() {
    let app = spawn_schema().await;
    let manager = app.token_for(Role::Manager).await;
    let plan_id = plan(&app, &manager, json!({"name": "Annuelle", "price": "15"})).await;
    let org = organization(
        &app,
        &manager,
        json!({"name": "Asso", "kind": "ASSOCIATION"}),
    )
    .await;
    let today = today(&app).await;
    let query = "{ people(first: 100) { totalCount edges { node { lastName activeMembership { status endsOn plan { name } } memberships { plan { name } person { lastName } } organizations { role organization { name resident } } } } } }";
    let mut costs = Vec::new();
    let mut made = 0;
    for target in [3, 40] {
        while made < target {
            let id = person(
                &app,
                &manager,
                json!({"firstName": "P", "lastName": format!("N{made:03}")}),
            )
            .await;
            app.gql_as(
                &manager,
                crate::behaviour::people_fixtures::START,
                json!({"i": {"planId": plan_id, "personId": id, "startsOn": day(today, -10), "amountPaid": "15"}}),
            )
            .await
            .data();
            app.gql_as(
                &manager,
                "mutation($o: ID!, $p: ID!) { addOrganizationContact(organizationId: $o, personId: $p, role: \"membre\") { role } }",
                json!({"o": org, "p": id}),
            )
            .await
            .data();
            made += 1;
        }
        let (response, statements) = app.gql_counting(Some(&manager), query, json!({})).await;
        let data = response.data();
        assert_eq!(data["people"]["totalCount"], target);
        assert_eq!(
            data["people"]["edges"][0]["node"]["activeMembership"]["plan"]["name"],
            "Annuelle"
        );
        costs.push(statements);
    }
    assert_eq!(
        costs[0], costs[1],
        "statements for 3 and 40 people: {costs:?}"
    );
    assert!(costs[1] <= 10, "statements for 3 and 40 people: {costs:?}");
}

#[tokio::test]
async fn the_demo_venue_has_members_of_every_kind() {
    let app = spawn_schema().await;
    assert!(
        lieu_api::demo::seed_if_empty(&app.db, &app.clock)
            .await
            .unwrap()
    );
    let login = app
        .login("volunteer@demo.lieu", "demo-volunteer-pass")
        .await;
    let token = login.data()["login"]["token"].as_str().unwrap().to_string();
    let query = "{ people(search: \"helene dupre\") { totalCount edges { node { activeMembership { status } } } }
        everyone: people { totalCount }
        membershipPlans(includeArchived: true) { period minPrice forOrganizations archived }
        organizations(first: 100) { edges { node { resident activeMembership { id } contacts { role } } } }
        expiringMemberships { id } }";
    let response = app.gql_as(&token, query, json!({})).await;
    let data = response.data();
    assert!(data["everyone"]["totalCount"].as_u64().unwrap() >= 300);
    assert_eq!(
        data["people"]["edges"][0]["node"]["activeMembership"]["status"],
        "ACTIVE"
    );
    let plans = data["membershipPlans"].as_array().unwrap();
    for period in ["ROLLING", "CALENDAR_YEAR", "SCHOOL_YEAR"] {
        assert!(plans.iter().any(|p| p["period"] == period), "{period}");
    }
    assert!(
        plans.iter().any(|p| !p["minPrice"].is_null()),
        "a pay-what-you-can plan"
    );
    assert!(plans.iter().any(|p| p["forOrganizations"] == true));
    assert!(plans.iter().any(|p| p["archived"] == true));
    let orgs = data["organizations"]["edges"].as_array().unwrap();
    assert!(
        orgs.iter()
            .filter(|o| o["node"]["resident"] == true)
            .count()
            >= 3
    );
    assert!(
        orgs.iter()
            .any(|o| !o["node"]["activeMembership"].is_null())
    );
    assert!(
        orgs.iter()
            .all(|o| !o["node"]["contacts"].as_array().unwrap().is_empty())
    );
    assert!(data["expiringMemberships"].as_array().unwrap().len() >= 10);
    let expired = crate::behaviour::people_fixtures::number(
        &app,
        &format!(
            "SELECT COUNT(*) FROM memberships WHERE ends_on < '{}'",
            crate::behaviour::people_fixtures::today(&app).await
        ),
    )
    .await;
    assert!(expired >= 20, "{expired} expired memberships");
}

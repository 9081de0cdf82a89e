//! Importing people.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use lieu_entity::person;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::table::{self, cell, map_columns};
use super::{BATCH, Report, Summary, conclude, progress};
use crate::db;
use crate::domain::{Email, Name, optional_text, parse_birth_year, parse_phone, parse_postal_code};
use crate::error::AppError;
use crate::service::people::{self, NewPerson};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    FirstName,
    LastName,
    Email,
    Phone,
    PostalCode,
    BirthYear,
    Consent,
    Notes,
}

/// Header names each field is recognised by (folded: lower case, no accents, no spaces).
const FIELDS: [(Field, &[&str]); 8] = [
    (
        Field::FirstName,
        &["prenom", "prenoms", "firstname", "first", "givenname"],
    ),
    (
        Field::LastName,
        &[
            "nom",
            "nomdefamille",
            "lastname",
            "last",
            "surname",
            "familyname",
        ],
    ),
    (
        Field::Email,
        &[
            "email",
            "mail",
            "courriel",
            "adressemail",
            "adresseemail",
            "adressecourriel",
            "emailaddress",
        ],
    ),
    (
        Field::Phone,
        &[
            "telephone",
            "tel",
            "phone",
            "mobile",
            "portable",
            "phonenumber",
            "numerodetelephone",
        ],
    ),
    (
        Field::PostalCode,
        &[
            "codepostal",
            "cp",
            "postalcode",
            "postcode",
            "zip",
            "zipcode",
        ],
    ),
    (
        Field::BirthYear,
        &[
            "anneedenaissance",
            "birthyear",
            "yearofbirth",
            "naissance",
            "datedenaissance",
            "birthdate",
            "dateofbirth",
        ],
    ),
    (
        Field::Consent,
        &[
            "consentement",
            "consent",
            "consenttocontact",
            "accepteetrecontacte",
            "contactautorise",
            "optin",
            "newsletter",
        ],
    ),
    (
        Field::Notes,
        &[
            "notes",
            "note",
            "remarques",
            "remarque",
            "commentaire",
            "commentaires",
            "comments",
            "comment",
        ],
    ),
];

fn message(err: AppError) -> String {
    err.message()
}

fn parse_consent(raw: &str) -> Result<bool, String> {
    match crate::domain::fold(raw).as_str() {
        "" | "non" | "no" | "n" | "false" | "faux" | "0" => Ok(false),
        "oui" | "yes" | "o" | "y" | "true" | "vrai" | "1" | "x" => Ok(true),
        _ => Err(format!("consent: '{raw}' is not yes/no (oui/non)")),
    }
}

/// A birth year, or the year of a birth date (`12/03/1984`, `1984-03-12`).
fn parse_year(raw: &str, this_year: i32) -> Result<Option<i32>, String> {
    if raw.is_empty() {
        return Ok(None);
    }
    let year = raw
        .split(|c: char| !c.is_ascii_digit())
        .find(|part| part.len() == 4)
        .and_then(|y| y.parse::<i32>().ok())
        .ok_or_else(|| format!("birthYear: '{raw}' holds no year"))?;
    parse_birth_year("birthYear", year, this_year)
        .map(Some)
        .map_err(message)
}

/// The value of a check, or `None` with its problem noted.
fn keep<T>(problems: &mut Vec<String>, result: Result<T, String>) -> Option<T> {
    result.map_err(|e| problems.push(e)).ok()
}

fn validate(
    mapping: &[(Field, Option<usize>)],
    cells: &[String],
    this_year: i32,
) -> Result<NewPerson, Vec<String>> {
    let get = |f| cell(mapping, cells, f);
    let mut problems = Vec::new();
    let first_name = keep(
        &mut problems,
        Name::parse("firstName", get(Field::FirstName)).map_err(message),
    );
    let last_name = keep(
        &mut problems,
        Name::parse("lastName", get(Field::LastName)).map_err(message),
    );
    let email = keep(
        &mut problems,
        match get(Field::Email) {
            "" => Ok(None),
            raw => Email::parse("email", raw).map(Some).map_err(message),
        },
    );
    let phone = keep(
        &mut problems,
        parse_phone("phone", get(Field::Phone)).map_err(message),
    );
    let postal_code = keep(
        &mut problems,
        parse_postal_code("postalCode", get(Field::PostalCode)).map_err(message),
    );
    let birth_year = keep(&mut problems, parse_year(get(Field::BirthYear), this_year));
    let consent = keep(&mut problems, parse_consent(get(Field::Consent)));
    let notes = keep(
        &mut problems,
        optional_text("notes", Some(get(Field::Notes)), 2000).map_err(message),
    );
    match (
        first_name,
        last_name,
        email,
        phone,
        postal_code,
        birth_year,
        consent,
        notes,
    ) {
        (
            Some(first_name),
            Some(last_name),
            Some(email),
            Some(phone),
            Some(postal_code),
            Some(birth_year),
            Some(consent_to_contact),
            Some(notes),
        ) if problems.is_empty() => Ok(NewPerson {
            first_name,
            last_name,
            email,
            phone,
            postal_code,
            birth_year,
            consent_to_contact,
            notes,
        }),
        _ => Err(problems),
    }
}

/// People without an email are told apart by their name: the same name without an email,
/// earlier in the file or already in the database, is most likely the same person (a file
/// imported twice), and is reported instead of created a second time.
async fn mark_namesakes_without_email(
    db: &DatabaseConnection,
    checked: &mut [(u64, Result<NewPerson, Vec<String>>)],
) -> anyhow::Result<()> {
    let key = |p: &NewPerson| {
        let (first, last, _) =
            people::search_keys(p.first_name.as_str(), p.last_name.as_str(), None);
        (first, last)
    };
    let mut first_line: HashMap<(String, String), u64> = HashMap::new();
    for (line, result) in checked.iter_mut() {
        if let Ok(person) = result
            && person.email.is_none()
        {
            let name = key(person);
            if let Some(earlier) = first_line.get(&name) {
                *result = Err(vec![format!(
                    "{} {} without an email is already on line {earlier}: add an email to tell them apart, or remove the line",
                    person.first_name.as_str(),
                    person.last_name.as_str()
                )]);
            } else {
                first_line.insert(name, *line);
            }
        }
    }
    let last_keys: Vec<String> = {
        let mut keys: Vec<String> = first_line.keys().map(|(_, last)| last.clone()).collect();
        keys.sort();
        keys.dedup();
        keys
    };
    let mut known: HashMap<(String, String), person::Model> = HashMap::new();
    for chunk in last_keys.chunks(BATCH) {
        let rows = person::Entity::find()
            .filter(person::Column::LastKey.is_in(chunk.iter().cloned()))
            .filter(person::Column::EmailKey.is_null())
            .filter(person::Column::ErasedAt.is_null())
            .all(db)
            .await?;
        known.extend(
            rows.into_iter()
                .map(|p| ((p.first_key.clone(), p.last_key.clone()), p)),
        );
    }
    for (_, result) in checked.iter_mut() {
        if let Ok(person) = result
            && person.email.is_none()
            && let Some(existing) = known.get(&key(person))
        {
            *result = Err(vec![format!(
                "{} {} (without an email) is already known (person {}): add an email to tell them apart, or remove the line",
                existing.first_name, existing.last_name, existing.id
            )]);
        }
    }
    Ok(())
}

/// Checks (and with `apply`, creates) the people of a CSV file. Every line is reported on
/// `out`. Returns an error only when the file itself cannot be used.
pub async fn import_people(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    bytes: &[u8],
    apply: bool,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<Summary> {
    let table = table::read(bytes).map_err(anyhow::Error::msg)?;
    let (mapping, ignored) = map_columns(&table.headers, &FIELDS);
    let mut report = Report::new(out);
    let found = |f: Field| mapping.iter().any(|(g, i)| *g == f && i.is_some());
    if !found(Field::FirstName) || !found(Field::LastName) {
        anyhow::bail!(
            "the header line must name a first-name column (prénom, first name) and a last-name column (nom, last name); it has: {}",
            table.headers.join(", ")
        );
    }
    report.say(&format!(
        "Read {} line(s): {}, separator '{}'.",
        table.records.len(),
        table.encoding,
        if table.separator == '\t' {
            "tab".to_string()
        } else {
            table.separator.to_string()
        }
    ));
    if !ignored.is_empty() {
        report.say(&format!("Columns ignored: {}.", ignored.join(", ")));
    }

    let bar = progress(table.records.len(), "checking");
    let this_year = chrono::Datelike::year(&now);
    let mut checked: Vec<(u64, Result<NewPerson, Vec<String>>)> = table
        .records
        .iter()
        .map(|(line, cells)| (*line, validate(&mapping, cells, this_year)))
        .collect();

    // Emails already used: earlier in the file, or by someone in the database.
    let mut first_line: HashMap<String, u64> = HashMap::new();
    for (line, result) in &mut checked {
        if let Ok(person) = result
            && let Some(email) = &person.email
            && let Some(earlier) = first_line.insert(email.key(), *line)
        {
            first_line.insert(email.key(), earlier);
            *result = Err(vec![format!(
                "email: {} is already on line {earlier} of this file",
                email.as_str()
            )]);
        }
    }
    let keys: Vec<String> = first_line.keys().cloned().collect();
    let mut known: HashMap<String, person::Model> = HashMap::new();
    for chunk in keys.chunks(BATCH) {
        let rows = person::Entity::find()
            .filter(person::Column::EmailKey.is_in(chunk.iter().cloned()))
            .all(db)
            .await?;
        known.extend(
            rows.into_iter()
                .filter_map(|p| p.email_key.clone().map(|k| (k, p))),
        );
        bar.inc(chunk.len() as u64);
    }
    for (_, result) in &mut checked {
        if let Ok(person) = result
            && let Some(email) = &person.email
            && let Some(existing) = known.get(&email.key())
        {
            *result = Err(vec![
                people::duplicate_email(existing, email.as_str()).message(),
            ]);
        }
    }
    mark_namesakes_without_email(db, &mut checked).await?;
    bar.finish_and_clear();

    for (line, result) in &checked {
        match result {
            Ok(p) => {
                let email = p
                    .email
                    .as_ref()
                    .map(|e| format!(" <{}>", e.as_str()))
                    .unwrap_or_default();
                let what = format!("{} {}{email}", p.first_name.as_str(), p.last_name.as_str());
                report.line_ok(*line, &what, apply);
            }
            Err(problems) => report.line_bad(*line, problems),
        }
    }

    if apply && report.summary.bad == 0 && report.summary.ok > 0 {
        let rows: Vec<person::ActiveModel> = checked
            .into_iter()
            .filter_map(|(_, r)| r.ok())
            .map(|p| people::new_row(now, p))
            .collect();
        let bar = progress(rows.len(), "writing");
        let txn = db::begin_write(db).await?;
        let mut rows = rows.into_iter().peekable();
        while rows.peek().is_some() {
            let batch: Vec<_> = rows.by_ref().take(BATCH).collect();
            let n = batch.len() as u64;
            person::Entity::insert_many(batch).exec(&txn).await?;
            bar.inc(n);
        }
        txn.commit().await?;
        bar.finish_and_clear();
        report.summary.written = true;
    }
    conclude(&mut report, apply, ("person", "people"));
    Ok(report.summary)
}

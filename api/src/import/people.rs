//! Importing people.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use lieu_entity::person;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::table::{self, cell, map_columns};
use super::{BATCH, OnExisting, Report, Summary, conclude, progress};
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

/// What a line of the file is, once checked against the file and the database.
enum Checked {
    /// Somebody new.
    New(NewPerson),
    /// Somebody Lieu already knows (see `match_known`).
    Known(NewPerson, Box<person::Model>),
    Bad(Vec<String>),
}

/// Who in the database a line is: by email first; a line that has none is the person of the
/// same name and postal code, or (without a postal code either) the person of the same name
/// who has no email. A line with an email that nobody has is also the person of the same name
/// and postal code who has no email yet (a first import without emails, a second with).
async fn match_known(
    db: &DatabaseConnection,
    checked: &mut [(u64, Checked)],
) -> anyhow::Result<()> {
    let emails: Vec<String> = checked
        .iter()
        .filter_map(|(_, c)| match c {
            Checked::New(p) => p.email.as_ref().map(Email::key),
            _ => None,
        })
        .collect();
    let mut by_email: HashMap<String, person::Model> = HashMap::new();
    for chunk in emails.chunks(BATCH) {
        let rows = person::Entity::find()
            .filter(person::Column::EmailKey.is_in(chunk.iter().cloned()))
            .all(db)
            .await?;
        by_email.extend(
            rows.into_iter()
                .filter_map(|p| p.email_key.clone().map(|k| (k, p))),
        );
    }
    let mut last_keys: Vec<String> = checked
        .iter()
        .filter_map(|(_, c)| match c {
            Checked::New(p) => Some(name_key(p).1),
            _ => None,
        })
        .collect();
    last_keys.sort();
    last_keys.dedup();
    let mut namesakes: HashMap<(String, String), Vec<person::Model>> = HashMap::new();
    for chunk in last_keys.chunks(BATCH) {
        let rows = person::Entity::find()
            .filter(person::Column::LastKey.is_in(chunk.iter().cloned()))
            .filter(person::Column::ErasedAt.is_null())
            .all(db)
            .await?;
        for row in rows {
            namesakes
                .entry((row.first_key.clone(), row.last_key.clone()))
                .or_default()
                .push(row);
        }
    }
    for (_, line) in checked.iter_mut() {
        let person = match std::mem::replace(line, Checked::Bad(Vec::new())) {
            Checked::New(person) => person,
            other => {
                *line = other;
                continue;
            }
        };
        *line = match known_as(&person, &by_email, &namesakes) {
            Ok(Some(known)) => Checked::Known(person, Box::new(known.clone())),
            Ok(None) => Checked::New(person),
            Err(problem) => Checked::Bad(vec![problem]),
        };
    }
    Ok(())
}

/// The one known person a line is, if any (see `match_known`).
fn known_as<'a>(
    person: &NewPerson,
    by_email: &'a HashMap<String, person::Model>,
    namesakes: &'a HashMap<(String, String), Vec<person::Model>>,
) -> Result<Option<&'a person::Model>, String> {
    if let Some(email) = &person.email
        && let Some(known) = by_email.get(&email.key())
    {
        return Ok(Some(known));
    }
    let same_name = namesakes
        .get(&name_key(person))
        .map_or(&[][..], Vec::as_slice);
    let candidates: Vec<&person::Model> = same_name
        .iter()
        .filter(|known| match (&person.postal_code, &person.email) {
            (Some(code), None) => known.postal_code.as_ref() == Some(code),
            (Some(code), Some(_)) => {
                known.email_key.is_none() && known.postal_code.as_ref() == Some(code)
            }
            (None, None) => known.email_key.is_none(),
            (None, Some(_)) => false,
        })
        .collect();
    match candidates.as_slice() {
        [] => Ok(None),
        [known] => Ok(Some(known)),
        several => {
            let ids: Vec<String> = several.iter().map(|p| p.id.to_string()).collect();
            Err(format!(
                "{} {} could be any of {} people already known ({}): add an email to tell them apart",
                person.first_name.as_str(),
                person.last_name.as_str(),
                several.len(),
                ids.join(", ")
            ))
        }
    }
}

fn name_key(p: &NewPerson) -> (String, String) {
    let (first, last, _) = people::search_keys(p.first_name.as_str(), p.last_name.as_str(), None);
    (first, last)
}

/// The same person twice in the file (by email, or by name without an email or postal code):
/// the later lines are errors, whatever `--on-existing` says.
fn mark_repeats(checked: &mut [(u64, Checked)]) {
    let mut first_line: HashMap<String, u64> = HashMap::new();
    for (line, result) in checked.iter_mut() {
        let Checked::New(person) = result else {
            continue;
        };
        let (key, said) = match &person.email {
            Some(email) => (
                format!("@{}", email.key()),
                format!(
                    "email: {} is already on line {{earlier}} of this file",
                    email.as_str()
                ),
            ),
            None => {
                let (first, last) = name_key(person);
                let code = person.postal_code.clone().unwrap_or_default();
                (
                    format!("{first}|{last}|{code}"),
                    format!(
                        "{} {} without an email is already on line {{earlier}}: add an email to tell them apart, or remove the line",
                        person.first_name.as_str(),
                        person.last_name.as_str()
                    ),
                )
            }
        };
        match first_line.get(&key) {
            Some(earlier) => {
                *result = Checked::Bad(vec![said.replace("{earlier}", &earlier.to_string())]);
            }
            None => {
                first_line.insert(key, *line);
            }
        }
    }
}

/// The changes a line brings to the person it matched: every field the line fills in (an
/// empty cell keeps what Lieu has), its consent only when the file has the column.
fn changes_from(
    line: &NewPerson,
    known: &person::Model,
    has_consent: bool,
) -> (people::PersonChanges, Vec<&'static str>) {
    let mut said = Vec::new();
    let mut changed = |differs: bool, name: &'static str| {
        if differs {
            said.push(name);
        }
        differs
    };
    let first = line.first_name.as_str() != known.first_name;
    let last = line.last_name.as_str() != known.last_name;
    let email = line
        .email
        .as_ref()
        .filter(|e| Some(e.key()) != known.email_key);
    let phone = line
        .phone
        .clone()
        .filter(|p| Some(p) != known.phone.as_ref());
    let code = line
        .postal_code
        .clone()
        .filter(|c| Some(c) != known.postal_code.as_ref());
    let year = line.birth_year.filter(|y| Some(*y) != known.birth_year);
    let notes = line
        .notes
        .clone()
        .filter(|n| Some(n) != known.notes.as_ref());
    let consent = has_consent && line.consent_to_contact != known.consent_to_contact;
    let changes = people::PersonChanges {
        first_name: changed(first, "first name").then(|| line.first_name.clone()),
        last_name: changed(last, "last name").then(|| line.last_name.clone()),
        email: changed(email.is_some(), "email").then(|| email.cloned()),
        phone: changed(phone.is_some(), "phone").then_some(phone),
        postal_code: changed(code.is_some(), "postal code").then_some(code),
        birth_year: changed(year.is_some(), "birth year").then_some(year),
        consent_to_contact: changed(consent, "consent").then_some(line.consent_to_contact),
        notes: changed(notes.is_some(), "notes").then_some(notes),
    };
    (changes, said)
}

fn describe(p: &NewPerson) -> String {
    let email = p
        .email
        .as_ref()
        .map(|e| format!(" <{}>", e.as_str()))
        .unwrap_or_default();
    format!("{} {}{email}", p.first_name.as_str(), p.last_name.as_str())
}

fn known_already(p: &NewPerson, known: &person::Model) -> String {
    match &p.email {
        Some(email) if known.email_key.as_deref() == Some(email.key().as_str()) => {
            format!(
                "{} (run again with --on-existing skip or update)",
                people::duplicate_email(known, email.as_str()).message()
            )
        }
        _ => {
            let how = match (&known.email, &known.postal_code) {
                (None, None) => " (without an email)".to_string(),
                (_, Some(code)) => format!(" of {code}"),
                (Some(_), None) => String::new(),
            };
            format!(
                "{} {}{how} is already known (person {}): run again with --on-existing skip or update, or add an email to tell them apart",
                known.first_name, known.last_name, known.id
            )
        }
    }
}

/// Checks (and with `apply`, creates) the people of a CSV file. Every line is reported on
/// `out`. Returns an error only when the file itself cannot be used.
pub async fn import_people(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    bytes: &[u8],
    apply: bool,
    on_existing: OnExisting,
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
    let mut checked: Vec<(u64, Checked)> = table
        .records
        .iter()
        .map(|(line, cells)| {
            let result = match validate(&mapping, cells, this_year) {
                Ok(person) => Checked::New(person),
                Err(problems) => Checked::Bad(problems),
            };
            (*line, result)
        })
        .collect();
    mark_repeats(&mut checked);
    match_known(db, &mut checked).await?;
    bar.finish_and_clear();

    let has_consent = found(Field::Consent);
    let mut creations = Vec::new();
    let mut updates = Vec::new();
    for (line, result) in checked {
        match result {
            Checked::New(p) => {
                report.line_ok(line, &describe(&p), apply);
                creations.push(people::new_row(now, p));
            }
            Checked::Known(p, known) => match on_existing {
                OnExisting::Error => report.line_bad(line, &[known_already(&p, &known)]),
                OnExisting::Skip => report.line_skipped(line, &describe(&p), known.id, apply),
                OnExisting::Update => {
                    let (changes, fields) = changes_from(&p, &known, has_consent);
                    report.line_updated(line, &describe(&p), known.id, &fields, apply);
                    if !fields.is_empty() {
                        updates.push(people::changed_row(&known, changes, now));
                    }
                }
            },
            Checked::Bad(problems) => report.line_bad(line, &problems),
        }
    }

    let writes = creations.len() + updates.len();
    if apply && report.summary.bad == 0 && writes > 0 {
        let bar = progress(writes, "writing");
        let txn = db::begin_write(db).await?;
        let mut rows = creations.into_iter().peekable();
        while rows.peek().is_some() {
            let batch: Vec<_> = rows.by_ref().take(BATCH).collect();
            let n = batch.len() as u64;
            person::Entity::insert_many(batch).exec(&txn).await?;
            bar.inc(n);
        }
        for row in updates {
            row.update(&txn).await?;
            bar.inc(1);
        }
        crate::service::audit::commit(txn).await?;
        bar.finish_and_clear();
        report.summary.written = true;
    }
    conclude(&mut report, apply, ("person", "people"));
    Ok(report.summary)
}

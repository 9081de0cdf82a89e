//! Importing memberships: each line names a person (by email) or an organization (by name), a
//! plan (by name), a start day and the amount paid. Each membership's payment is recorded as a
//! MEMBERSHIP revenue received on its start day (the day the old tool recorded it).

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use lieu_entity::{membership, membership_plan, organization, person};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::table::{self, cell, map_columns};
use super::{BATCH, Report, Summary, conclude, parse_amount, parse_day, progress};
use crate::db;
use crate::domain::{Holder, Money, fold};
use crate::service::memberships;
use crate::service::money;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    Email,
    Organization,
    Plan,
    StartsOn,
    Amount,
}

const FIELDS: [(Field, &[&str]); 5] = [
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
        Field::Organization,
        &[
            "organisation",
            "organization",
            "structure",
            "association",
            "organisme",
            "nomdelastructure",
        ],
    ),
    (
        Field::Plan,
        &[
            "formule",
            "plan",
            "adhesion",
            "typedadhesion",
            "typeadhesion",
            "formuledadhesion",
            "membershipplan",
            "planname",
        ],
    ),
    (
        Field::StartsOn,
        &[
            "debut",
            "datededebut",
            "datedebut",
            "startdate",
            "start",
            "startson",
            "datedadhesion",
            "dateadhesion",
            "date",
        ],
    ),
    (
        Field::Amount,
        &[
            "montant",
            "montantpaye",
            "amount",
            "amountpaid",
            "paid",
            "cotisation",
            "somme",
            "paye",
        ],
    ),
];

/// A line that passed every check.
struct Accepted {
    plan: membership_plan::Model,
    holder: Holder,
    holder_label: String,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    amount: Money,
}

/// Checks (and with `apply`, creates) the memberships of a CSV file; see [`super`].
pub async fn import_memberships(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    bytes: &[u8],
    apply: bool,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<Summary> {
    let table = table::read(bytes).map_err(anyhow::Error::msg)?;
    let (mapping, ignored) = map_columns(&table.headers, &FIELDS);
    let found = |f: Field| mapping.iter().any(|(g, i)| *g == f && i.is_some());
    if !found(Field::Plan)
        || !found(Field::StartsOn)
        || !(found(Field::Email) || found(Field::Organization))
    {
        anyhow::bail!(
            "the header line must name the member (email, or organisation for organizations), the plan (formule, plan) and the start day (début, start date); it has: {}",
            table.headers.join(", ")
        );
    }
    let mut report = Report::new(out);
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

    // Everything the lines refer to, fetched in a few statements.
    let plans: HashMap<String, membership_plan::Model> = memberships::list_plans(db, false)
        .await?
        .into_iter()
        .map(|p| (fold(&p.name), p))
        .collect();
    let emails: Vec<String> = table
        .records
        .iter()
        .map(|(_, c)| cell(&mapping, c, Field::Email).to_lowercase())
        .filter(|e| !e.is_empty())
        .collect();
    let mut people: HashMap<String, person::Model> = HashMap::new();
    for chunk in emails.chunks(BATCH) {
        let rows = person::Entity::find()
            .filter(person::Column::EmailKey.is_in(chunk.iter().cloned()))
            .all(db)
            .await?;
        people.extend(
            rows.into_iter()
                .filter_map(|p| p.email_key.clone().map(|k| (k, p))),
        );
    }
    let org_keys: Vec<String> = table
        .records
        .iter()
        .map(|(_, c)| fold(cell(&mapping, c, Field::Organization)))
        .filter(|k| !k.is_empty())
        .collect();
    let mut orgs: HashMap<String, organization::Model> = HashMap::new();
    for chunk in org_keys.chunks(BATCH) {
        let rows = organization::Entity::find()
            .filter(organization::Column::SearchText.is_in(chunk.iter().cloned()))
            .all(db)
            .await?;
        orgs.extend(rows.into_iter().map(|o| (o.search_text.clone(), o)));
    }
    let holders: Vec<Holder> = people
        .values()
        .map(|p| Holder::Person(p.id))
        .chain(orgs.values().map(|o| Holder::Organization(o.id)))
        .collect();
    let mut periods: HashMap<Holder, Vec<(NaiveDate, NaiveDate, String)>> = HashMap::new();
    for chunk in holders.chunks(BATCH) {
        for m in memberships::memberships_of_many(db, chunk).await? {
            if m.cancelled_at.is_none()
                && let Some(holder) = memberships::holder_of(&m)
            {
                periods.entry(holder).or_default().push((
                    m.starts_on,
                    m.ends_on,
                    "an existing membership".to_string(),
                ));
            }
        }
    }

    let mut accepted: Vec<Accepted> = Vec::new();
    for (line, cells) in &table.records {
        let get = |f| cell(&mapping, cells, f);
        let mut problems: Vec<String> = Vec::new();
        let holder = match (get(Field::Email), get(Field::Organization)) {
            ("", "") => {
                problems.push("member: give the person's email or the organization's name".into());
                None
            }
            (email, "") => match people.get(&email.to_lowercase()) {
                Some(p) => Some((
                    Holder::Person(p.id),
                    format!("{} {} <{}>", p.first_name, p.last_name, email),
                )),
                None => {
                    problems.push(format!(
                        "email: no person has the email {email} (import people first)"
                    ));
                    None
                }
            },
            ("", name) => match orgs.get(&fold(name)) {
                Some(o) => Some((Holder::Organization(o.id), o.name.clone())),
                None => {
                    problems.push(format!("organization: no organization is named '{name}'"));
                    None
                }
            },
            _ => {
                problems.push("member: give either an email or an organization, not both".into());
                None
            }
        };
        let plan = match get(Field::Plan) {
            "" => {
                problems.push("plan: missing".into());
                None
            }
            name => match plans.get(&fold(name)) {
                Some(plan) => Some(plan.clone()),
                None => {
                    let mut names: Vec<&str> = plans.values().map(|p| p.name.as_str()).collect();
                    names.sort_unstable();
                    problems.push(format!(
                        "plan: no plan on offer is named '{name}' (plans: {})",
                        names.join(", ")
                    ));
                    None
                }
            },
        };
        let starts_on = match parse_day(get(Field::StartsOn)) {
            Some(day) => match crate::domain::check_start_day("startsOn", day) {
                Ok(day) => Some(day),
                Err(e) => {
                    problems.push(e.message());
                    None
                }
            },
            None => {
                problems.push(format!(
                    "startsOn: '{}' is not a day like 2026-09-01 or 01/09/2026",
                    get(Field::StartsOn)
                ));
                None
            }
        };
        let amount = match (get(Field::Amount), &plan) {
            ("", Some(plan)) if plan.min_price_cents.is_none() => {
                Some(Money::from_cents(plan.price_cents))
            }
            ("", _) => {
                problems.push("amountPaid: missing (required for pay-what-you-can plans)".into());
                None
            }
            (raw, _) => match parse_amount(raw).map(|d| Money::parse_non_negative("amountPaid", d))
            {
                Some(Ok(money)) => Some(money),
                Some(Err(e)) => {
                    problems.push(e.message());
                    None
                }
                None => {
                    problems.push(format!("amountPaid: '{raw}' is not an amount like 15,00"));
                    None
                }
            },
        };
        if let (Some((holder, label)), Some(plan), Some(starts_on), Some(amount)) =
            (holder, plan, starts_on, amount)
        {
            let checks = memberships::check_plan_for(&plan, holder)
                .and_then(|()| memberships::plan_price(&plan).check("amountPaid", amount))
                .and_then(|()| memberships::period_end(&plan, starts_on));
            match checks {
                Err(e) => problems.push(e.message()),
                Ok(ends_on) => {
                    let taken = periods.entry(holder).or_default();
                    if let Some((s, e, what)) = taken
                        .iter()
                        .find(|(s, e, _)| *s <= ends_on && *e >= starts_on)
                    {
                        problems.push(format!("already a member from {s} to {e} ({what})"));
                    } else if problems.is_empty() {
                        taken.push((starts_on, ends_on, format!("line {line}")));
                        report.line_ok(
                            *line,
                            &format!(
                                "{label}: {} from {starts_on} to {ends_on}, {} EUR",
                                plan.name,
                                amount.to_decimal()
                            ),
                            apply,
                        );
                        accepted.push(Accepted {
                            plan,
                            holder,
                            holder_label: label,
                            starts_on,
                            ends_on,
                            amount,
                        });
                        bar.inc(1);
                        continue;
                    }
                }
            }
        }
        report.line_bad(*line, &problems);
        bar.inc(1);
    }
    bar.finish_and_clear();

    if apply && report.summary.bad == 0 && !accepted.is_empty() {
        let bar = progress(accepted.len(), "writing");
        let txn = db::begin_write(db).await?;
        for chunk in accepted.chunks(BATCH) {
            let mut rows = Vec::with_capacity(chunk.len());
            let mut payments = Vec::new();
            for a in chunk {
                let row =
                    memberships::new_row(now, &a.plan, a.holder, a.starts_on, a.amount, None)?;
                let id: Uuid = *row.id.as_ref();
                debug_assert_eq!(*row.ends_on.as_ref(), a.ends_on, "{}", a.holder_label);
                payments.extend(memberships::payment(
                    &a.plan,
                    id,
                    a.amount,
                    a.starts_on,
                    false,
                ));
                rows.push(row);
            }
            membership::Entity::insert_many(rows).exec(&txn).await?;
            money::record_many(&txn, now, payments).await?;
            bar.inc(chunk.len() as u64);
        }
        crate::service::audit::commit(txn).await?;
        bar.finish_and_clear();
        report.summary.written = true;
    }
    conclude(&mut report, apply, ("membership", "memberships"));
    Ok(report.summary)
}

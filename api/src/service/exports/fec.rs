//! The FEC (fichier des écritures comptables, article A47 A-1 of the Livre des procédures
//! fiscales): the journal as accounting software imports it and as the tax administration
//! asks for it. The 18 columns in their legal order, tab-separated, dates `AAAAMMJJ`, amounts
//! with a decimal comma; one balanced entry per revenue line and per grant payment: the bank
//! (512) debited, the account of the stream or of the funder's kind credited; a reversing
//! entry (a negative revenue) the other way round. Asked for, the voluntary contributions:
//! each month's volunteering at its valuation (864 / 875) and the free loans of rooms of the
//! year (861 / 871), in a journal of their own.
//!
//! The accounts come from the chart (`chart`); an entry whose account is missing refuses the
//! whole file, which is better than a file that looks complete and is wrong.

use chrono::{Datelike, NaiveDate};
use indicatif::ProgressBar;
use lieu_entity::{grant_payment, revenue};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use super::chart::{self, Chart};
use super::{Export, all_pages, by_chunks};
use crate::domain::{AccountKey, Actor, FunderKind, Money, RevenueStream, StoredEnum};
use crate::error::{AppError, AppResult};
use crate::service::money::grants;
use crate::service::reports::{Period, hybrid};
use crate::service::volunteering;

/// The legal columns, in their legal order.
pub const COLUMNS: [&str; 18] = [
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Journal {
    Bank,
    Contributions,
}

impl Journal {
    fn code(self) -> &'static str {
        match self {
            Self::Bank => "BQ",
            Self::Contributions => "CV",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Bank => "Banque",
            Self::Contributions => "Contributions volontaires en nature",
        }
    }
}

/// One entry: a debit and a credit of the same amount.
struct Entry {
    date: NaiveDate,
    journal: Journal,
    piece: String,
    label: String,
    debit: AccountKey,
    credit: AccountKey,
    amount: Money,
}

/// What the FEC covers.
#[derive(Clone, Copy, Debug)]
pub struct FecRequest {
    pub year: i32,
    pub with_contributions: bool,
}

/// The FEC of a calendar year, all sites.
pub async fn fec(
    conn: &DatabaseConnection,
    request: FecRequest,
    progress: &ProgressBar,
) -> AppResult<Export> {
    let period = Period::year(request.year)?;
    let days = period.days;
    let chart = chart::load(conn).await?;
    let mut entries = Vec::new();

    let revenues = all_pages(
        conn,
        revenue::Entity::find()
            .filter(revenue::Column::ReceivedOn.gte(days.from))
            .filter(revenue::Column::ReceivedOn.lte(days.to))
            .order_by_asc(revenue::Column::ReceivedOn)
            .order_by_asc(revenue::Column::CreatedAt)
            .order_by_asc(revenue::Column::Id),
        progress,
    )
    .await?;
    for line in &revenues {
        let stream = RevenueStream::from_stored("revenues.stream", &line.stream)?;
        let amount = Money::from_cents(line.amount_cents);
        // A reversal is the opposite entry: the revenue debited, the bank credited.
        let (debit, credit) = if amount.cents() < 0 {
            (AccountKey::Stream(stream), AccountKey::Bank)
        } else {
            (AccountKey::Bank, AccountKey::Stream(stream))
        };
        entries.push(Entry {
            date: line.received_on,
            journal: Journal::Bank,
            piece: line.id.to_string(),
            label: line.description.clone(),
            debit,
            credit,
            amount: Money::from_cents(amount.cents().abs()),
        });
    }

    let payments = all_pages(
        conn,
        grant_payment::Entity::find()
            .filter(grant_payment::Column::ReceivedOn.gte(days.from))
            .filter(grant_payment::Column::ReceivedOn.lte(days.to))
            .order_by_asc(grant_payment::Column::ReceivedOn)
            .order_by_asc(grant_payment::Column::CreatedAt)
            .order_by_asc(grant_payment::Column::Id),
        progress,
    )
    .await?;
    let grant_ids: Vec<_> = payments.iter().map(|p| p.grant_id).collect();
    let grant_rows = by_chunks(&grant_ids, |ids| async move {
        Ok(lieu_entity::grant::Entity::find()
            .filter(lieu_entity::grant::Column::Id.is_in(ids))
            .all(conn)
            .await?)
    })
    .await?;
    let funder_ids: Vec<_> = grant_rows.iter().map(|g| g.funder_id).collect();
    let funder_rows = by_chunks(&funder_ids, |ids| async move {
        Ok(lieu_entity::funder::Entity::find()
            .filter(lieu_entity::funder::Column::Id.is_in(ids))
            .all(conn)
            .await?)
    })
    .await?;
    for payment in &payments {
        let grant = grant_rows
            .iter()
            .find(|g| g.id == payment.grant_id)
            .ok_or_else(|| {
                AppError::internal(anyhow::anyhow!("payment {} has no grant", payment.id))
            })?;
        let funder = funder_rows
            .iter()
            .find(|f| f.id == grant.funder_id)
            .ok_or_else(|| {
                AppError::internal(anyhow::anyhow!("grant {} has no funder", grant.id))
            })?;
        let kind: FunderKind = grants::kind_of(funder)?;
        entries.push(Entry {
            date: payment.received_on,
            journal: Journal::Bank,
            piece: payment.id.to_string(),
            label: format!("Subvention {} : {}", funder.name, grant.title),
            debit: AccountKey::Bank,
            credit: AccountKey::Funder(kind),
            amount: Money::from_cents(payment.amount_cents),
        });
    }

    if request.with_contributions {
        contributions(conn, &period, &mut entries).await?;
    }

    chart.require(entries.iter().flat_map(|e| [e.debit, e.credit]))?;
    // Numbered in one continuous sequence, in the order of time, as the law asks.
    entries.sort_by_key(|e| (e.date, e.journal));
    let (body, lines) = write(&chart, &entries)?;
    progress.finish_and_clear();
    Ok(Export {
        body,
        lines,
        // The legal name is <SIREN>FEC<closing day>; Lieu does not know the SIREN, so the
        // accountant prefixes it.
        file_name: format!("FEC{}1231.txt", request.year),
        content_type: "text/plain; charset=utf-8",
    })
}

/// Each month's volunteering at its valuation (the same per-entry valuation as the hybrid
/// report's) dated the month's last day, and the year's free loans at their value dated the
/// year's last day.
async fn contributions(
    conn: &DatabaseConnection,
    period: &Period,
    entries: &mut Vec<Entry>,
) -> AppResult<()> {
    let totals = volunteering::totals(conn, Actor::System, period.days, None).await?;
    for (month, hours, valuation) in totals.by_month {
        if valuation.cents() == 0 {
            continue;
        }
        let first = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
            .map_err(AppError::internal)?;
        let last = last_day_of_month(first).min(period.days.to);
        entries.push(Entry {
            date: last,
            journal: Journal::Contributions,
            piece: format!("BENEVOLAT-{month}"),
            label: format!(
                "Bénévolat {month} : {} h valorisées",
                decimal(hours.to_decimal())
            ),
            debit: AccountKey::VolunteeringExpense,
            credit: AccountKey::VolunteeringIncome,
            amount: valuation,
        });
    }
    let in_kind = hybrid::hybrid_report(conn, period).await?.in_kind;
    if in_kind.cents() > 0 {
        entries.push(Entry {
            date: period.days.to,
            journal: Journal::Contributions,
            piece: format!("PRETS-{}", period.days.to.year()),
            label: format!(
                "Mises à disposition gratuites de salles {} (au tarif public)",
                period.days.to.year()
            ),
            debit: AccountKey::InKindExpense,
            credit: AccountKey::InKindIncome,
            amount: in_kind,
        });
    }
    Ok(())
}

fn last_day_of_month(first: NaiveDate) -> NaiveDate {
    first
        .checked_add_months(chrono::Months::new(1))
        .and_then(|d| d.pred_opt())
        .unwrap_or(first)
}

/// `1234,50`: the FEC's decimal comma, no thousands separator.
fn decimal(value: rust_decimal::Decimal) -> String {
    value.to_string().replace('.', ",")
}

/// A text field as the format allows it: no tab or line break inside.
fn field(text: &str) -> String {
    text.chars()
        .map(|c| {
            if matches!(c, '\t' | '\r' | '\n') {
                ' '
            } else {
                c
            }
        })
        .collect::<String>()
        .trim()
        .to_string()
}

fn write(chart: &Chart, entries: &[Entry]) -> AppResult<(Vec<u8>, usize)> {
    let mut out = String::new();
    out.push_str(&COLUMNS.join("\t"));
    out.push_str("\r\n");
    let mut lines = 0;
    for (n, entry) in entries.iter().enumerate() {
        let date = entry.date.format("%Y%m%d").to_string();
        let amount = decimal(entry.amount.to_decimal());
        for (key, debit, credit) in [
            (entry.debit, amount.as_str(), "0,00"),
            (entry.credit, "0,00", amount.as_str()),
        ] {
            let account = chart.get(key).ok_or_else(|| {
                AppError::internal(anyhow::anyhow!("{} was required", key.as_key()))
            })?;
            let row = [
                entry.journal.code(),
                entry.journal.label(),
                &(n + 1).to_string(),
                &date,
                &account.account,
                &field(&account.label),
                "",
                "",
                &field(&entry.piece),
                &date,
                &field(&entry.label),
                debit,
                credit,
                "",
                "",
                &date,
                "",
                "",
            ];
            out.push_str(&row.join("\t"));
            out.push_str("\r\n");
            lines += 1;
        }
    }
    Ok((out.into_bytes(), lines))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_fields_keep_to_one_line_and_months_end_right() {
        assert_eq!(field(" Café\tdu\r\nlundi "), "Café du  lundi");
        assert_eq!(decimal(Money::from_cents(123450).to_decimal()), "1234,50");
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(last_day_of_month(day("2028-02-01")), day("2028-02-29"));
        assert_eq!(last_day_of_month(day("2027-12-01")), day("2027-12-31"));
        assert_eq!(COLUMNS.len(), 18);
    }
}

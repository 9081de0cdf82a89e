//! The money sheets: revenue lines, grant payments and grants. No personal data: a revenue's
//! description never holds any (the ledger's rule), and funders are organizations.

use std::collections::HashMap;

use indicatif::ProgressBar;
use lieu_entity::{funder, grant, grant_payment, revenue, site};
use sea_orm::sea_query::{Condition, Query};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::csv::{Cell, Sheet};
use super::{SheetOptions, all_pages, by_chunks, labels};
use crate::domain::{FunderKind, GrantStatus, Money, RevenueStream, StoredEnum};
use crate::error::AppResult;
use crate::service::money::grants;
use crate::service::reports::Period;
use crate::service::sites;

/// Site names by id, for the "Site" column (a venue-wide line has none).
async fn site_names(conn: &DatabaseConnection) -> AppResult<HashMap<Uuid, String>> {
    Ok(sites::list_sites(conn)
        .await?
        .into_iter()
        .map(|s: site::Model| (s.id, s.name))
        .collect())
}

fn site_cell(names: &HashMap<Uuid, String>, id: Option<Uuid>) -> Cell {
    Cell::opt_text(id.and_then(|id| names.get(&id).cloned()))
}

/// Every revenue line received within the period (reversing entries included, negative), as
/// `hybridModelReport` counts them: by day received, of the site when one is given.
pub async fn revenues(
    conn: &DatabaseConnection,
    period: &Period,
    options: SheetOptions,
    progress: &ProgressBar,
) -> AppResult<(Vec<u8>, usize)> {
    let mut query = revenue::Entity::find()
        .filter(revenue::Column::ReceivedOn.gte(period.days.from))
        .filter(revenue::Column::ReceivedOn.lte(period.days.to));
    if let Some(site) = period.site_id {
        query = query.filter(revenue::Column::SiteId.eq(site));
    }
    let query = query
        .order_by_asc(revenue::Column::ReceivedOn)
        .order_by_asc(revenue::Column::CreatedAt)
        .order_by_asc(revenue::Column::Id);
    let names = site_names(conn).await?;
    let lines = all_pages(conn, query, progress).await?;
    let mut sheet = Sheet::new(
        options.format,
        options.lang,
        &[
            ("Date", "Date"),
            ("Flux", "Stream"),
            ("Libellé", "Description"),
            ("Montant", "Amount"),
            ("Site", "Site"),
            ("Annule la ligne", "Reverses line"),
            ("Motif d'annulation", "Reversal reason"),
            ("Origine", "Source"),
            ("Identifiant", "Id"),
        ],
    )?;
    let lang = options.lang;
    for line in &lines {
        let stream = RevenueStream::from_stored("revenues.stream", &line.stream)?;
        sheet.row(&[
            Cell::Date(line.received_on),
            Cell::text(labels::stream(stream, lang)),
            Cell::text(line.description.clone()),
            Cell::Money(Money::from_cents(line.amount_cents)),
            site_cell(&names, line.site_id),
            Cell::opt_text(line.reversal_of.map(|id| id.to_string())),
            Cell::opt_text(line.reversal_reason.clone()),
            Cell::opt_text(line.source_kind.clone()),
            Cell::text(line.id.to_string()),
        ])?;
    }
    sheet.finish()
}

/// Grants and their funders by id (two statements per chunk of ids).
async fn grants_and_funders(
    conn: &DatabaseConnection,
    grant_ids: &[Uuid],
) -> AppResult<(HashMap<Uuid, grant::Model>, HashMap<Uuid, funder::Model>)> {
    let grants: HashMap<Uuid, grant::Model> = by_chunks(grant_ids, |ids| async move {
        Ok(grant::Entity::find()
            .filter(grant::Column::Id.is_in(ids))
            .all(conn)
            .await?)
    })
    .await?
    .into_iter()
    .map(|g| (g.id, g))
    .collect();
    let funder_ids: Vec<Uuid> = grants.values().map(|g| g.funder_id).collect();
    let funders = by_chunks(&funder_ids, |ids| async move {
        Ok(funder::Entity::find()
            .filter(funder::Column::Id.is_in(ids))
            .all(conn)
            .await?)
    })
    .await?
    .into_iter()
    .map(|f| (f.id, f))
    .collect();
    Ok((grants, funders))
}

/// Every grant payment received within the period, as `hybridModelReport` counts them (a
/// site's: the payments of that site's grants).
pub async fn grant_payments(
    conn: &DatabaseConnection,
    period: &Period,
    options: SheetOptions,
    progress: &ProgressBar,
) -> AppResult<(Vec<u8>, usize)> {
    let mut query = grant_payment::Entity::find()
        .filter(grant_payment::Column::ReceivedOn.gte(period.days.from))
        .filter(grant_payment::Column::ReceivedOn.lte(period.days.to));
    if let Some(site) = period.site_id {
        let of_site = Query::select()
            .column(grant::Column::Id)
            .from(grant::Entity)
            .and_where(grant::Column::SiteId.eq(site))
            .to_owned();
        query = query.filter(grant_payment::Column::GrantId.in_subquery(of_site));
    }
    let query = query
        .order_by_asc(grant_payment::Column::ReceivedOn)
        .order_by_asc(grant_payment::Column::CreatedAt)
        .order_by_asc(grant_payment::Column::Id);
    let payments = all_pages(conn, query, progress).await?;
    let grant_ids: Vec<Uuid> = payments.iter().map(|p| p.grant_id).collect();
    let (grants, funders) = grants_and_funders(conn, &grant_ids).await?;
    let names = site_names(conn).await?;
    let lang = options.lang;
    let mut sheet = Sheet::new(
        options.format,
        lang,
        &[
            ("Date de réception", "Received on"),
            ("Financeur", "Funder"),
            ("Type de financeur", "Funder kind"),
            ("Financement", "Funding"),
            ("Subvention", "Grant"),
            ("Programme", "Program"),
            ("Montant", "Amount"),
            ("Site", "Site"),
            ("Identifiant du versement", "Payment id"),
            ("Identifiant de la subvention", "Grant id"),
        ],
    )?;
    for payment in &payments {
        let grant = grants.get(&payment.grant_id);
        let funder = grant.and_then(|g| funders.get(&g.funder_id));
        let kind = funder.map(grants::kind_of).transpose()?;
        sheet.row(&[
            Cell::Date(payment.received_on),
            Cell::opt_text(funder.map(|f| f.name.clone())),
            Cell::opt_text(kind.map(|k| labels::funder_kind(k, lang))),
            Cell::opt_text(kind.map(|k| labels::public_or_private(k, lang))),
            Cell::opt_text(grant.map(|g| g.title.clone())),
            Cell::opt_text(grant.and_then(|g| g.program.clone())),
            Cell::Money(Money::from_cents(payment.amount_cents)),
            site_cell(&names, grant.and_then(|g| g.site_id)),
            Cell::text(payment.id.to_string()),
            Cell::text(payment.grant_id.to_string()),
        ])?;
    }
    sheet.finish()
}

/// The grants whose period overlaps the period, or with a payment within it (a grant of last
/// year paid this year is in this year's sheet): what was asked, awarded, and received within
/// the period and in all. The "received within the period" column adds up to the grant
/// payments of `hybridModelReport`.
pub async fn grants(
    conn: &DatabaseConnection,
    period: &Period,
    options: SheetOptions,
    progress: &ProgressBar,
) -> AppResult<(Vec<u8>, usize)> {
    let days = period.days;
    let paid_within = Query::select()
        .column(grant_payment::Column::GrantId)
        .from(grant_payment::Entity)
        .and_where(grant_payment::Column::ReceivedOn.gte(days.from))
        .and_where(grant_payment::Column::ReceivedOn.lte(days.to))
        .to_owned();
    let mut query = grant::Entity::find().filter(
        Condition::any()
            .add(
                Condition::all()
                    .add(grant::Column::PeriodStart.lte(days.to))
                    .add(grant::Column::PeriodEnd.gte(days.from)),
            )
            .add(grant::Column::Id.in_subquery(paid_within)),
    );
    if let Some(site) = period.site_id {
        query = query.filter(grant::Column::SiteId.eq(site));
    }
    let query = query
        .order_by_asc(grant::Column::PeriodStart)
        .order_by_asc(grant::Column::Title)
        .order_by_asc(grant::Column::Id);
    let rows = all_pages(conn, query, progress).await?;
    let ids: Vec<Uuid> = rows.iter().map(|g| g.id).collect();
    let (_, funders) = grants_and_funders(conn, &ids).await?;
    let payments = grants::payments_of(conn, ids.iter().copied()).await?;
    let names = site_names(conn).await?;
    let lang = options.lang;
    let mut sheet = Sheet::new(
        options.format,
        lang,
        &[
            ("Subvention", "Grant"),
            ("Financeur", "Funder"),
            ("Type de financeur", "Funder kind"),
            ("Statut", "Status"),
            ("Programme", "Program"),
            ("Début", "Period start"),
            ("Fin", "Period end"),
            ("Montant demandé", "Requested"),
            ("Montant accordé", "Awarded"),
            ("Reçu sur la période", "Received in the period"),
            ("Reçu au total", "Received in all"),
            ("Site", "Site"),
            ("Identifiant", "Id"),
        ],
    )?;
    for g in &rows {
        let funder = funders.get(&g.funder_id);
        let kind: Option<FunderKind> = funder.map(grants::kind_of).transpose()?;
        let status = GrantStatus::from_stored("grants.status", &g.status)?;
        let paid = payments.get(&g.id).map(Vec::as_slice).unwrap_or_default();
        let within: i64 = paid
            .iter()
            .filter(|p| days.from <= p.received_on && p.received_on <= days.to)
            .map(|p| p.amount_cents)
            .sum();
        let all: i64 = paid.iter().map(|p| p.amount_cents).sum();
        sheet.row(&[
            Cell::text(g.title.clone()),
            Cell::opt_text(funder.map(|f| f.name.clone())),
            Cell::opt_text(kind.map(|k| labels::funder_kind(k, lang))),
            Cell::text(labels::grant_status(status, lang)),
            Cell::opt_text(g.program.clone()),
            Cell::Date(g.period_start),
            Cell::Date(g.period_end),
            Cell::Money(Money::from_cents(g.amount_requested_cents)),
            g.amount_awarded_cents
                .map_or(Cell::Empty, |c| Cell::Money(Money::from_cents(c))),
            Cell::Money(Money::from_cents(within)),
            Cell::Money(Money::from_cents(all)),
            site_cell(&names, g.site_id),
            Cell::text(g.id.to_string()),
        ])?;
    }
    sheet.finish()
}

//! The venue's yearly objectives (2,000 unique participants, 40 % from the département, a
//! self-financing ratio of 35 %…) and the figures that meet them, read from the reports.

use chrono::{DateTime, Utc};
use lieu_entity::impact_objective;
use rust_decimal::Decimal;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use super::Period;
use super::hybrid::{HybridReport, hybrid_report};
use super::impact::{ImpactReport, impact_report};
use crate::db;
use crate::domain::{ImpactMetric, StoredEnum, objective_target};
use crate::error::{AppError, AppResult};

/// Years an objective may be set for.
const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// A target and what was achieved.
#[derive(Clone, Debug, PartialEq)]
pub struct Objective {
    pub year: i32,
    pub metric: ImpactMetric,
    pub target: Decimal,
    pub actual: Decimal,
}

fn check_year(year: i32) -> AppResult<()> {
    if !YEARS.contains(&year) {
        return Err(AppError::validation(
            "year",
            format!("must be between {} and {}", YEARS.start(), YEARS.end()),
        ));
    }
    Ok(())
}

/// Sets (or replaces) the target of `metric` for `year`. MANAGER.
pub async fn set_objective(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    year: i32,
    metric: ImpactMetric,
    target: Decimal,
) -> AppResult<Objective> {
    check_year(year)?;
    let target_e4 = objective_target(metric, target)?;
    let txn = db::begin_write(conn).await?;
    impact_objective::Entity::insert(impact_objective::ActiveModel {
        year: Set(year),
        metric: Set(metric.as_str().to_string()),
        target_e4: Set(target_e4),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([
            impact_objective::Column::Year,
            impact_objective::Column::Metric,
        ])
        .update_columns([
            impact_objective::Column::TargetE4,
            impact_objective::Column::UpdatedAt,
        ])
        .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    crate::service::audit::commit(txn).await?;
    let mut all = objectives_of_year(conn, year).await?;
    all.retain(|o| o.metric == metric);
    all.pop().ok_or_else(|| {
        AppError::internal(anyhow::anyhow!("objective {year} {metric} not read back"))
    })
}

/// The targets set for `year`, in API.md's order, without their figures.
pub async fn targets(
    conn: &impl ConnectionTrait,
    year: i32,
) -> AppResult<Vec<(ImpactMetric, Decimal)>> {
    let rows = impact_objective::Entity::find()
        .filter(impact_objective::Column::Year.eq(year))
        .all(conn)
        .await?;
    let mut out = rows
        .iter()
        .map(|row| {
            let metric = ImpactMetric::from_stored("impact_objectives.metric", &row.metric)?;
            Ok((metric, Decimal::new(row.target_e4, 4).normalize()))
        })
        .collect::<AppResult<Vec<_>>>()?;
    out.sort_by_key(|(metric, _)| ImpactMetric::ALL.iter().position(|m| m == metric));
    Ok(out)
}

/// The objectives of `year` against the year's figures (all sites).
pub async fn objectives_of_year(
    conn: &impl ConnectionTrait,
    year: i32,
) -> AppResult<Vec<Objective>> {
    check_year(year)?;
    let targets = targets(conn, year).await?;
    if targets.is_empty() {
        return Ok(Vec::new());
    }
    let period = Period::year(year)?;
    let hybrid = hybrid_report(conn, &period).await?;
    let impact = impact_report(conn, &period).await?;
    Ok(against(year, targets, Some(&hybrid), Some(&impact)))
}

/// The targets whose figure one of the reports gives, with that figure.
pub fn against(
    year: i32,
    targets: Vec<(ImpactMetric, Decimal)>,
    hybrid: Option<&HybridReport>,
    impact: Option<&ImpactReport>,
) -> Vec<Objective> {
    targets
        .into_iter()
        .filter_map(|(metric, target)| {
            actual(metric, hybrid, impact).map(|actual| Objective {
                year,
                metric,
                target,
                actual,
            })
        })
        .collect()
}

/// What a report says of `metric` (ratios to four decimals), if it says anything.
fn actual(
    metric: ImpactMetric,
    hybrid: Option<&HybridReport>,
    impact: Option<&ImpactReport>,
) -> Option<Decimal> {
    let ratio = |r: Option<Decimal>| r.unwrap_or_default().round_dp(4).normalize();
    match metric {
        ImpactMetric::UniqueParticipants => impact.map(|r| Decimal::from(r.unique_participants)),
        ImpactMetric::EventsHeld => impact.map(|r| Decimal::from(r.events_held)),
        ImpactMetric::VolunteerHours => hybrid
            .map(|r| r.volunteer_hours)
            .or(impact.map(|r| r.volunteer_hours))
            .map(|h| h.to_decimal()),
        ImpactMetric::ActiveMembers => impact.map(|r| Decimal::from(r.active_members)),
        ImpactMetric::SelfFinancingRatio => hybrid.map(|r| ratio(r.self_financing_ratio())),
        ImpactMetric::ShareFromDepartement => impact.map(|r| ratio(r.share_from_departement())),
    }
}

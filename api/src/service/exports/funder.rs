//! The one-page report a funder asks for at the end of a grant or of a year: the venue, the
//! grant and its payments, the hybrid model's figures with the self-financing ratio, the
//! impact against the year's objectives, volunteering and in-kind, a bar chart of where the
//! money comes from and the month-by-month table. HTML for print (A4, print CSS, no script, no
//! external resource: it opens offline and prints on one page) or Markdown, in French or
//! English. Every figure is the reports' (`hybrid_report`, `impact_report`, `objectives`):
//! none is summed here.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::{DatabaseConnection, EntityTrait};
use serde::Serialize;
use uuid::Uuid;

use super::{Export, labels, render};
use crate::domain::{GrantStatus, Lang, Money, StoredEnum, local_date};
use crate::error::{AppError, AppResult};
use crate::service::money::grants;
use crate::service::reports::{Period, hybrid, impact, objectives};
use crate::service::sites;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ReportFormat {
    #[default]
    Html,
    Markdown,
}

impl ReportFormat {
    pub fn parse(field: &str, raw: &str) -> AppResult<Self> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "html" => Ok(Self::Html),
            "md" | "markdown" => Ok(Self::Markdown),
            other => Err(AppError::validation(
                field,
                format!("'{other}' is not a report format: html (the default) or md"),
            )),
        }
    }
}

/// Which report: of a grant (over its period, unless `from` and `to` say otherwise), or of a
/// period.
#[derive(Clone, Copy, Debug, Default)]
pub struct FunderRequest {
    pub grant_id: Option<Uuid>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub format: ReportFormat,
    pub lang: Lang,
}

#[derive(Serialize)]
struct Figure {
    /// The `hybridModelReport` field it shows (`earnedRevenue`), for machines reading the page.
    key: &'static str,
    label: &'static str,
    /// As `hybridModelReport` gives it (`12476.00`).
    value: String,
    text: String,
}

#[derive(Serialize)]
struct Bar {
    label: String,
    text: String,
    value: String,
    /// Where the bar's row starts, and how long the bar is, in the chart's units.
    y: u32,
    width: u32,
}

#[derive(Serialize)]
struct Row {
    cells: Vec<String>,
}

#[derive(Serialize)]
struct GrantView {
    title: String,
    funder: String,
    kind: &'static str,
    program: Option<String>,
    status: &'static str,
    period: String,
    requested: String,
    awarded: Option<String>,
    received: String,
    payments: Vec<Row>,
}

#[derive(Serialize)]
struct View {
    lang: &'static str,
    t: Texts,
    venue: String,
    address: Option<String>,
    period: String,
    generated_on: String,
    grant: Option<GrantView>,
    figures: Vec<Figure>,
    ratio: Figure,
    contributions: Vec<Figure>,
    bars: Vec<Bar>,
    /// The last bars are grants (drawn in another colour).
    grant_bars: usize,
    chart_height: u32,
    months: Vec<Row>,
    impact: Vec<Row>,
    objectives: Vec<Row>,
}

/// The report's fixed words in one language.
#[derive(Serialize)]
struct Texts {
    /// ` :` in French (a space before the colon), `:` in English.
    colon: &'static str,
    title: &'static str,
    period: &'static str,
    grant: &'static str,
    funder: &'static str,
    program: &'static str,
    status: &'static str,
    requested: &'static str,
    awarded: &'static str,
    received: &'static str,
    payments: &'static str,
    no_payment: &'static str,
    date: &'static str,
    amount: &'static str,
    resources: &'static str,
    by_source: &'static str,
    contributions: &'static str,
    month: &'static str,
    earned: &'static str,
    private: &'static str,
    public: &'static str,
    hours: &'static str,
    impact: &'static str,
    objectives: &'static str,
    metric: &'static str,
    target: &'static str,
    actual: &'static str,
    reached: &'static str,
    no_objective: &'static str,
    by_month: &'static str,
    generated: &'static str,
    no_money: &'static str,
}

fn texts(lang: Lang) -> Texts {
    let t = |fr, en| lang.pick(fr, en);
    Texts {
        colon: t("\u{a0}:", ":"),
        title: t(
            "Rapport d'activité et financier",
            "Activity and financial report",
        ),
        period: t("Période", "Period"),
        grant: t("Subvention", "Grant"),
        funder: t("Financeur", "Funder"),
        program: t("Programme", "Program"),
        status: t("Statut", "Status"),
        requested: t("Demandé", "Requested"),
        awarded: t("Accordé", "Awarded"),
        received: t("Reçu", "Received"),
        payments: t("Versements", "Payments"),
        no_payment: t("Aucun versement reçu", "No payment received"),
        date: t("Date", "Date"),
        amount: t("Montant", "Amount"),
        resources: t("Modèle économique hybride", "Hybrid economic model"),
        by_source: t("Ressources par origine", "Resources by source"),
        contributions: t(
            "Bénévolat et contributions en nature",
            "Volunteering and in-kind",
        ),
        month: t("Mois", "Month"),
        earned: t("Recettes propres", "Earned"),
        private: t("Financements privés", "Private"),
        public: t("Financements publics", "Public"),
        hours: t("Heures bénévoles", "Volunteer hours"),
        impact: t("Impact", "Impact"),
        objectives: t("Objectifs de l'année", "Objectives of the year"),
        metric: t("Indicateur", "Indicator"),
        target: t("Objectif", "Target"),
        actual: t("Réalisé", "Achieved"),
        reached: t("Atteint", "Reached"),
        no_objective: t(
            "Aucun objectif fixé pour l'année",
            "No objective set for the year",
        ),
        by_month: t("Mois par mois", "Month by month"),
        generated: t("Établi le", "Produced on"),
        no_money: t(
            "Aucune ressource sur la période",
            "No resources in the period",
        ),
    }
}

/// The chart's width for the largest bar, in its units.
const BAR_MAX: u32 = 150;
const BAR_ROW: u32 = 18;

/// The report, rendered.
pub async fn funder_report(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    request: FunderRequest,
) -> AppResult<Export> {
    let lang = request.lang;
    let grant = match request.grant_id {
        Some(id) => Some(
            grants::find_grant(conn, id)
                .await?
                .ok_or_else(|| AppError::unknown("grant", "grant", id))?,
        ),
        None => None,
    };
    let (from, to) = match (&grant, request.from, request.to) {
        (_, Some(from), Some(to)) => (from, to),
        (Some(g), None, None) => (g.period_start, g.period_end),
        (_, Some(_), None) => {
            return Err(AppError::validation("to", "give the period's last day too"));
        }
        (_, None, Some(_)) => {
            return Err(AppError::validation(
                "from",
                "give the period's first day too",
            ));
        }
        (None, None, None) => {
            return Err(AppError::validation(
                "from",
                "give a grant, or a period (from and to)",
            ));
        }
    };
    let period = Period::new(from, to, grant.as_ref().and_then(|g| g.site_id))?;
    let hybrid = hybrid::hybrid_report(conn, &period).await?;
    let impact = impact::impact_report(conn, &period).await?;
    let year = to.year();
    let targets = objectives::targets(conn, year).await?;
    let objectives = objectives::against(year, targets, Some(&hybrid), Some(&impact));
    let site = sites::site_or_default(conn, "siteId", period.site_id).await?;
    let today = local_date(now, sites::timezone_of(&site)?);

    let grant_view = match grant {
        Some(g) => Some(grant_view(conn, &g, lang).await?),
        None => None,
    };
    let view = View {
        lang: lang.code(),
        t: texts(lang),
        venue: site.name.clone(),
        // The postal code only when the address does not say it already.
        address: match (&site.address, &site.postal_code) {
            (Some(a), Some(code)) if !a.contains(code.as_str()) => Some(format!("{a} {code}")),
            (Some(a), _) => Some(a.clone()),
            (None, code) => code.clone(),
        },
        period: format!("{} – {}", render::date(from, lang), render::date(to, lang)),
        generated_on: render::date(today, lang),
        grant: grant_view,
        figures: vec![
            money_figure(
                "earnedRevenue",
                lang.pick("Recettes propres", "Earned revenue"),
                hybrid.earned(),
                lang,
            ),
            money_figure(
                "privateFunding",
                lang.pick("Financements privés", "Private funding"),
                hybrid.private(),
                lang,
            ),
            money_figure(
                "publicFunding",
                lang.pick("Financements publics", "Public funding"),
                hybrid.public(),
                lang,
            ),
            money_figure(
                "monetaryResources",
                lang.pick("Total des ressources", "Monetary resources"),
                hybrid.monetary(),
                lang,
            ),
        ],
        ratio: Figure {
            key: "selfFinancingRatio",
            label: lang.pick("Taux d'autofinancement", "Self-financing ratio"),
            value: hybrid
                .self_financing_ratio()
                .map(|r| r.round_dp(4).normalize().to_string())
                .unwrap_or_default(),
            text: hybrid
                .self_financing_ratio()
                .map_or("–".to_string(), |r| render::percent(r, lang)),
        },
        contributions: vec![
            Figure {
                key: "volunteerHours",
                label: lang.pick("Heures de bénévolat", "Volunteer hours"),
                value: hybrid.volunteer_hours.to_decimal().to_string(),
                text: render::hours(hybrid.volunteer_hours, lang),
            },
            money_figure(
                "volunteerValuation",
                lang.pick("Valorisation du bénévolat", "Volunteering valued at"),
                hybrid.volunteer_valuation,
                lang,
            ),
            money_figure(
                "inKindValuation",
                lang.pick("Prêts gratuits de salles", "Free room loans"),
                hybrid.in_kind,
                lang,
            ),
            money_figure(
                "totalWithVolunteering",
                lang.pick("Ressources et bénévolat", "Resources with volunteering"),
                hybrid.total_with_volunteering(),
                lang,
            ),
        ],
        bars: bars(&hybrid, lang),
        grant_bars: hybrid.by_funder_kind.len(),
        chart_height: (hybrid.by_stream.len() + hybrid.by_funder_kind.len()).max(1) as u32
            * BAR_ROW,
        months: hybrid
            .months
            .iter()
            .map(|m| Row {
                cells: vec![
                    render::month(&m.month, lang),
                    render::money(m.earned, lang),
                    render::money(m.private, lang),
                    render::money(m.public, lang),
                    render::hours(m.volunteer_hours, lang),
                ],
            })
            .collect(),
        impact: impact_rows(&impact, lang),
        objectives: objectives
            .iter()
            .map(|o| {
                let ratio = o.metric.is_ratio();
                let show = |v: Decimal| {
                    if ratio {
                        render::percent(v, lang)
                    } else {
                        render::decimal(v, lang)
                    }
                };
                let reached = o.actual >= o.target;
                Row {
                    cells: vec![
                        labels::metric(o.metric, lang).to_string(),
                        show(o.target),
                        show(o.actual),
                        if o.target.is_zero() {
                            "–".to_string()
                        } else {
                            render::percent(o.actual / o.target, lang)
                        },
                        lang.pick(
                            if reached { "oui" } else { "non" },
                            if reached { "yes" } else { "no" },
                        )
                        .to_string(),
                    ],
                }
            })
            .collect(),
    };
    let (template, extension, content_type) = match request.format {
        ReportFormat::Html => ("funder.html", "html", "text/html; charset=utf-8"),
        ReportFormat::Markdown => ("funder.md", "md", "text/markdown; charset=utf-8"),
    };
    let body = render::render(template, &view)?;
    Ok(Export {
        lines: body.lines().count(),
        body: body.into_bytes(),
        file_name: format!(
            "{}_{from}_{to}.{extension}",
            lang.pick("rapport-financeur", "funder-report")
        ),
        content_type,
    })
}

fn money_figure(key: &'static str, label: &'static str, amount: Money, lang: Lang) -> Figure {
    Figure {
        key,
        label,
        value: amount.to_decimal().to_string(),
        text: render::money(amount, lang),
    }
}

async fn grant_view(
    conn: &DatabaseConnection,
    g: &lieu_entity::grant::Model,
    lang: Lang,
) -> AppResult<GrantView> {
    let funder = lieu_entity::funder::Entity::find_by_id(g.funder_id)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("grant {} has no funder", g.id)))?;
    let payments = grants::payments_of(conn, [g.id])
        .await?
        .remove(&g.id)
        .unwrap_or_default();
    let received = Money::from_cents(payments.iter().map(|p| p.amount_cents).sum());
    Ok(GrantView {
        title: g.title.clone(),
        funder: funder.name.clone(),
        kind: labels::funder_kind(grants::kind_of(&funder)?, lang),
        program: g.program.clone(),
        status: labels::grant_status(GrantStatus::from_stored("grants.status", &g.status)?, lang),
        period: format!(
            "{} – {}",
            render::date(g.period_start, lang),
            render::date(g.period_end, lang)
        ),
        requested: render::money(Money::from_cents(g.amount_requested_cents), lang),
        awarded: g
            .amount_awarded_cents
            .map(|c| render::money(Money::from_cents(c), lang)),
        received: render::money(received, lang),
        payments: payments
            .iter()
            .map(|p| Row {
                cells: vec![
                    render::date(p.received_on, lang),
                    render::money(Money::from_cents(p.amount_cents), lang),
                ],
            })
            .collect(),
    })
}

/// One bar per stream, then per kind of funder, scaled to the largest (a stream that nets
/// below zero, all reversals, draws no bar).
fn bars(hybrid: &hybrid::HybridReport, lang: Lang) -> Vec<Bar> {
    let sources: Vec<(String, Money)> = hybrid
        .by_stream
        .iter()
        .map(|(s, m)| (labels::stream(*s, lang).to_string(), *m))
        .chain(hybrid.by_funder_kind.iter().map(|(k, m)| {
            (
                format!(
                    "{} {}",
                    lang.pick("Subv.", "Grants,"),
                    labels::funder_kind(*k, lang)
                ),
                *m,
            )
        }))
        .collect();
    let max = sources
        .iter()
        .map(|(_, m)| m.cents())
        .max()
        .unwrap_or(0)
        .max(1);
    sources
        .into_iter()
        .enumerate()
        .map(|(i, (label, amount))| Bar {
            label,
            text: render::money(amount, lang),
            value: amount.to_decimal().to_string(),
            y: i as u32 * BAR_ROW,
            width: (amount.cents().max(0) as i128 * i128::from(BAR_MAX) / i128::from(max)) as u32,
        })
        .collect()
}

fn impact_rows(r: &impact::ImpactReport, lang: Lang) -> Vec<Row> {
    let row = |label: &str, value: String| Row {
        cells: vec![label.to_string(), value],
    };
    let n = |v: i64| render::count(v, lang);
    vec![
        row(
            lang.pick("Événements tenus", "Events held"),
            n(r.events_held),
        ),
        row(
            lang.pick("Places réservées", "Seats registered"),
            n(r.registrations),
        ),
        row(lang.pick("Présents", "Attendees"), n(r.attendees)),
        row(
            lang.pick("Participants uniques", "Unique participants"),
            n(r.unique_participants),
        ),
        row(
            lang.pick("dont nouveaux", "of whom first-time"),
            n(r.first_time),
        ),
        row(
            lang.pick(
                "Part du public du département",
                "Share from the département",
            ),
            r.share_from_departement()
                .map_or("–".into(), |s| render::percent(s, lang)),
        ),
        row(
            lang.pick("Réservations de salles", "Room bookings"),
            n(r.bookings),
        ),
        row(
            lang.pick("Adhérents actifs", "Active members"),
            n(r.active_members),
        ),
        row(
            lang.pick("dont nouveaux adhérents", "of whom new"),
            n(r.new_members),
        ),
        row(lang.pick("Bénévoles", "Volunteers"), n(r.volunteers)),
    ]
}

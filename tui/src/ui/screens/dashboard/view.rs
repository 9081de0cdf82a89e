use chrono::Datelike;
use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, LineGauge, Paragraph, Row, Table};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::Dashboard;
use crate::api::model::{DashboardData, Figures, Objective};
use crate::format;
use crate::i18n::Lang;
use crate::ui::screen::{Ctx, Screen};
use crate::ui::widgets::{self, fit};

pub fn stream_label(lang: Lang, api: &str) -> &'static str {
    match api {
        "SPACE_RENTAL" => lang.t("Locations", "Room rental"),
        "COWORKING" => "Coworking",
        "MEMBERSHIP" => lang.t("Adhésions", "Memberships"),
        "EVENT_TICKETS" => lang.t("Billetterie", "Tickets"),
        "CAFE_BAR" => lang.t("Café-bar", "Café-bar"),
        "SERVICES" => lang.t("Prestations", "Services"),
        "SALES" => lang.t("Ventes", "Sales"),
        "DONATION" => lang.t("Dons", "Donations"),
        "SPONSORSHIP" => lang.t("Mécénat", "Sponsorship"),
        _ => lang.t("Autres", "Other"),
    }
}

fn metric_label(lang: Lang, api: &str) -> &'static str {
    match api {
        "UNIQUE_PARTICIPANTS" => lang.t("Participants", "Participants"),
        "EVENTS_HELD" => lang.t("Événements tenus", "Events held"),
        "VOLUNTEER_HOURS" => lang.t("Heures bénévoles", "Volunteer hours"),
        "ACTIVE_MEMBERS" => lang.t("Adhérents actifs", "Active members"),
        "SELF_FINANCING_RATIO" => lang.t("Autofinancement", "Self-financing"),
        "SHARE_FROM_DEPARTEMENT" => lang.t("Part du département", "From the département"),
        _ => "?",
    }
}

fn ratio_metric(api: &str) -> bool {
    matches!(api, "SELF_FINANCING_RATIO" | "SHARE_FROM_DEPARTEMENT")
}

fn percent(lang: Lang, ratio: Option<f64>) -> String {
    match ratio {
        Some(r) => {
            let text = format!("{:.1}", r * 100.0);
            match lang {
                Lang::Fr => format!("{} %", text.replace('.', ",")),
                Lang::En => format!("{text}%"),
            }
        }
        None => "—".into(),
    }
}

fn objective_value(lang: Lang, o: &Objective, value: Decimal) -> String {
    if ratio_metric(&o.metric) {
        percent(lang, value.to_f64())
    } else if o.metric == "VOLUNTEER_HOURS" {
        format::hours(lang, value)
    } else {
        value.normalize().to_string()
    }
}

fn figures_table(data: &DashboardData, ctx: &Ctx) -> Table<'static> {
    let lang = ctx.lang;
    let money = |pick: fn(&Figures) -> Decimal| move |f: &Figures| format::money(lang, pick(f));
    // Each line: its label and the month's and the year's value.
    let line = |label: &'static str, value: &dyn Fn(&Figures) -> String| {
        (label, value(&data.month), value(&data.year))
    };
    let rows = [
        line(
            lang.t("Recettes propres", "Earned revenue"),
            &money(|f| f.earned),
        ),
        line(
            lang.t("Financements privés", "Private funding"),
            &money(|f| f.private_funding),
        ),
        line(
            lang.t("Financements publics", "Public funding"),
            &money(|f| f.public_funding),
        ),
        line(
            lang.t("Ressources monétaires", "Monetary resources"),
            &money(|f| f.monetary),
        ),
        line(lang.t("Autofinancement", "Self-financing"), &|f| {
            percent(lang, f.self_financing)
        }),
        line(lang.t("Heures bénévoles", "Volunteer hours"), &|f| {
            format::hours(lang, f.volunteer_hours)
        }),
        line(
            lang.t("Valorisation bénévolat", "Volunteering valued"),
            &money(|f| f.volunteer_valuation),
        ),
        line(
            lang.t("Total avec bénévolat", "Total w/ volunteering"),
            &money(|f| f.total_with_volunteering),
        ),
        line(
            lang.t("Prêts en nature", "Free loans (in kind)"),
            &money(|f| f.in_kind),
        ),
    ];
    let header = Row::new(vec![
        String::new(),
        ctx.t("Ce mois-ci", "This month").to_string(),
        ctx.t("Cette année", "This year").to_string(),
    ])
    .style(Style::new().bold().underlined());
    let body: Vec<Row> = rows
        .iter()
        .enumerate()
        .map(|(i, (label, month, year))| {
            let row = Row::new(vec![
                label.to_string(),
                format!("{month:>12}"),
                format!("{year:>12}"),
            ]);
            // The ratio the funders ask for stands out.
            if i == 4 {
                row.style(Style::new().fg(Color::Cyan).bold())
            } else {
                row
            }
        })
        .collect();
    Table::new(
        body,
        [
            Constraint::Max(26),
            Constraint::Length(12),
            Constraint::Length(12),
        ],
    )
    .flex(ratatui::layout::Flex::Start)
    .header(header)
}

fn streams_chart<'a>(data: &DashboardData, ctx: &Ctx) -> BarChart<'a> {
    let lang = ctx.lang;
    // The name and the whole euros in the label: a value drawn inside a short bar is cut.
    let bars: Vec<Bar> = data
        .year
        .by_stream
        .iter()
        .map(|(stream, amount)| {
            let whole = format::money_whole(lang, *amount);
            Bar::default()
                .value(amount.round().to_u64().unwrap_or(0))
                .label(Line::from(format!(
                    "{} {whole:>10}",
                    fit(stream_label(lang, stream), 11)
                )))
                .text_value(String::new())
        })
        .collect();
    BarChart::default()
        .direction(Direction::Horizontal)
        .bar_width(1)
        .bar_gap(0)
        .bar_style(Style::new().fg(Color::Cyan))
        .value_style(Style::new().fg(Color::Black).bg(Color::Cyan))
        .max(
            data.year
                .by_stream
                .iter()
                .filter_map(|(_, a)| a.round().to_u64())
                .max()
                .unwrap_or(1)
                .max(1),
        )
        .data(BarGroup::new(bars))
        .block(
            Block::bordered()
                .border_style(Style::new().fg(Color::DarkGray))
                .title(format!(
                    " {} {} ",
                    ctx.t("Recettes par flux,", "Revenue by stream,"),
                    ctx.today().year()
                )),
        )
}

fn objectives(frame: &mut Frame, area: Rect, data: &DashboardData, ctx: &Ctx) {
    let block = Block::bordered()
        .border_style(Style::new().fg(Color::DarkGray))
        .title(format!(
            " {} {} ",
            ctx.t("Objectifs", "Objectives"),
            ctx.today().year()
        ));
    if data.objectives.is_empty() {
        widgets::empty(
            frame,
            area,
            block,
            ctx.t(
                "Aucun objectif fixé pour l'année (setImpactObjective).",
                "No objective set for the year (setImpactObjective).",
            ),
        );
        return;
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let rows = Layout::vertical(vec![Constraint::Length(1); data.objectives.len()]).split(inner);
    for (o, row) in data.objectives.iter().zip(rows.iter()) {
        let ratio = if o.target > Decimal::ZERO {
            (o.actual / o.target)
                .to_f64()
                .unwrap_or(0.0)
                .clamp(0.0, 1.0)
        } else {
            1.0
        };
        let label = format!(
            "{} {}/{}",
            fit(metric_label(ctx.lang, &o.metric), 18),
            objective_value(ctx.lang, o, o.actual),
            objective_value(ctx.lang, o, o.target)
        );
        let color = if ratio >= 1.0 {
            Color::Green
        } else {
            Color::Yellow
        };
        frame.render_widget(
            LineGauge::default()
                .ratio(ratio)
                .label(label)
                .filled_style(Style::new().fg(color))
                .unfilled_style(Style::new().fg(Color::DarkGray)),
            *row,
        );
    }
}

fn deadlines(frame: &mut Frame, area: Rect, data: &DashboardData, ctx: &Ctx) {
    let block = Block::bordered()
        .border_style(Style::new().fg(Color::DarkGray))
        .title(ctx.t(
            " Rapports aux financeurs (60 jours) ",
            " Reports to funders (60 days) ",
        ));
    if data.deadlines.is_empty() {
        widgets::empty(
            frame,
            area,
            block,
            ctx.t(
                "Aucun rapport attendu dans les 60 jours.",
                "No report due in the next 60 days.",
            ),
        );
        return;
    }
    let width = area.width.saturating_sub(2) as usize;
    let lines: Vec<Line> = data
        .deadlines
        .iter()
        .map(|d| {
            let (mark, style) = if d.overdue {
                (
                    ctx.t("EN RETARD ", "OVERDUE "),
                    Style::new().fg(Color::Red).bold(),
                )
            } else {
                ("", Style::new())
            };
            let day = format::short_day(ctx.lang, d.due_on);
            let text = format!("{} — {} ({})", d.label, d.grant, d.funder);
            let used = mark.chars().count() + day.chars().count() + 1;
            Line::from(vec![
                Span::styled(mark.to_string(), style),
                Span::styled(format!("{day} "), Style::new().bold()),
                Span::raw(fit(&text, width.saturating_sub(used))),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

pub fn render(state: &Dashboard, frame: &mut Frame, area: Rect, ctx: &Ctx) {
    let today = ctx.today();
    let block = Block::bordered().title(format!(
        " {} — {} · {} ",
        state.title(ctx.lang),
        format::month_name(ctx.lang, today),
        ctx.t("tous les sites", "all sites")
    ));
    let Some(data) = &state.data else {
        match &state.error {
            Some(error) => widgets::error(frame, area, block, error),
            None => widgets::loading(frame, area, block, ctx.lang),
        }
        return;
    };
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [top, bottom] = Layout::vertical([Constraint::Length(11), Constraint::Min(4)]).areas(inner);
    let [figures, chart] =
        Layout::horizontal([Constraint::Percentage(62), Constraint::Percentage(38)]).areas(top);
    frame.render_widget(figures_table(data, ctx), figures);
    if data.year.by_stream.is_empty() {
        widgets::empty(
            frame,
            chart,
            Block::bordered().border_style(Style::new().fg(Color::DarkGray)),
            ctx.t("Aucune recette cette année.", "No revenue this year."),
        );
    } else {
        frame.render_widget(streams_chart(data, ctx), chart);
    }
    let [goals, reports] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(bottom);
    objectives(frame, goals, data, ctx);
    deadlines(frame, reports, data, ctx);
    if let Some(error) = &state.error {
        let [line] = Layout::vertical([Constraint::Length(1)]).areas(bottom);
        frame.render_widget(Line::from(error.clone()).fg(Color::Red), line);
    }
}

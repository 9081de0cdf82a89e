use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::Block;

use super::{Hours, activity_label};
use crate::api::model::{HoursEntry, HoursTotal};
use crate::format;
use crate::ui::screen::{Ctx, Screen};
use crate::ui::widgets::{self, fit};

fn total(label: &str, t: &HoursTotal, ctx: &Ctx) -> Vec<Span<'static>> {
    vec![
        Span::raw(format!("{label} ")),
        Span::styled(format::hours(ctx.lang, t.hours), Style::new().bold()),
        Span::styled(
            format!(" = {}", format::money(ctx.lang, t.valuation)),
            Style::new().fg(Color::Gray),
        ),
    ]
}

fn line(e: &HoursEntry, ctx: &Ctx, width: usize, staff: bool) -> Line<'static> {
    let day = format!("{} ", format::short_day(ctx.lang, e.date));
    let hours = format!("{:>7} ", format::hours(ctx.lang, e.hours));
    let activity = format!("{} ", fit(activity_label(ctx.lang, &e.activity), 14));
    let value = format!(" {:>10}", format::money(ctx.lang, e.valuation));
    let who = if staff {
        format!("{} ", fit(&e.person.name, 20))
    } else {
        String::new()
    };
    let used = day.chars().count()
        + hours.chars().count()
        + activity.chars().count()
        + who.chars().count()
        + value.chars().count();
    let note = fit(e.note.as_deref().unwrap_or(""), width.saturating_sub(used));
    Line::from(vec![
        Span::styled(day, Style::new().bold()),
        Span::styled(hours, Style::new().fg(Color::Cyan).bold()),
        Span::raw(activity),
        Span::raw(who),
        Span::styled(note, Style::new().fg(Color::Gray)),
        Span::raw(value),
    ])
}

pub fn render(state: &Hours, frame: &mut Frame, area: Rect, ctx: &Ctx) {
    // The person column is for the team's list.
    let staff = !state.own(ctx);
    let whose = match state.data.as_ref().and_then(|d| d.me.as_ref()) {
        Some(me) if !staff => me.name.clone(),
        _ if staff => ctx.t("toute l'équipe", "the whole team").to_string(),
        _ => String::new(),
    };
    let title = if whose.is_empty() {
        format!(" {} ", state.title(ctx.lang))
    } else {
        format!(" {} — {whose} ", state.title(ctx.lang))
    };
    let block = Block::bordered().title(title);
    let Some(data) = &state.data else {
        match &state.error {
            Some(error) => widgets::error(frame, area, block, error),
            None => widgets::loading(frame, area, block, ctx.lang),
        }
        return;
    };
    if state.unlinked(ctx) {
        widgets::empty(
            frame,
            area,
            block,
            ctx.t(
                "Votre compte n'est lié à aucune personne : vos heures ne peuvent pas encore être notées. Demandez à un·e admin de le lier (linkStaffToPerson), puis r.",
                "Your account is linked to no person: your hours cannot be logged yet. Ask an admin to link it (linkStaffToPerson), then r.",
            ),
        );
        return;
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [totals, message, list_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(3),
    ])
    .areas(inner);
    // The hours and what they are worth (the valuation funders count as in-kind).
    let mut spans = total(ctx.t("Ce mois-ci", "This month"), &data.month, ctx);
    spans.push(Span::raw(" · "));
    spans.extend(total(ctx.t("cette année", "this year"), &data.year, ctx));
    frame.render_widget(Line::from(spans), totals);
    if let Some(error) = &state.error {
        frame.render_widget(Line::from(error.clone()).fg(Color::Red), message);
    }
    let entries = state.entries();
    let list_block = Block::bordered()
        .border_style(Style::new().fg(Color::DarkGray))
        .title(if staff {
            ctx.t(" Les heures du mois ", " This month's hours ")
        } else {
            ctx.t(" Mes heures de l'année ", " My hours this year ")
        });
    if entries.is_empty() {
        widgets::empty(
            frame,
            list_area,
            list_block,
            ctx.t(
                "Aucune heure notée pour l'instant. n : noter des heures (aujourd'hui par défaut).",
                "No hours logged yet. n: log hours (today by default).",
            ),
        );
        return;
    }
    let width = list_area.width.saturating_sub(2) as usize;
    let lines = entries.iter().map(|e| line(e, ctx, width, staff)).collect();
    widgets::selectable_list(frame, list_area, list_block, lines, state.selected);
}

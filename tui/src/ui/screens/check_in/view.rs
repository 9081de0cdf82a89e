use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::{CheckIn, Tone};
use crate::api::model::{RegistrationRow, RegistrationStatus};
use crate::format;
use crate::ui::screen::{Ctx, Screen};
use crate::ui::screens::events::view::counts;
use crate::ui::widgets::{self, fit};

fn line(r: &RegistrationRow, ctx: &Ctx, width: usize) -> Line<'static> {
    let tz = ctx.tz();
    let (mark, style) = match (r.status, r.checked_in_at) {
        (RegistrationStatus::Confirmed, Some(at)) => (
            format!("✓ {}", format::time(tz, at)),
            Style::new().fg(Color::Green),
        ),
        (RegistrationStatus::Confirmed, None) => ("·".to_string(), Style::new()),
        (RegistrationStatus::Waitlisted, _) => (
            format!(
                "{} {}",
                ctx.t("attente", "wait"),
                r.position.unwrap_or_default()
            ),
            Style::new().fg(Color::Yellow),
        ),
        (RegistrationStatus::Cancelled, _) => ("×".to_string(), Style::new().fg(Color::DarkGray)),
    };
    let seats = format!("{} {}", r.seats, ctx.t("pl.", "st."));
    let paid = if r.paid { ctx.t("payé", "paid") } else { "" };
    let tail = format!("{seats:>6}  {}  {paid:<4}", r.code);
    let who = match &r.email {
        Some(email) => format!("{} <{email}>", r.name),
        None => r.name.clone(),
    };
    let name_width = width.saturating_sub(10 + tail.chars().count() + 1);
    Line::from(vec![
        Span::styled(fit(&mark, 9), style.bold()),
        Span::raw(" "),
        Span::raw(fit(&who, name_width)),
        Span::styled(format!(" {tail}"), Style::new().fg(Color::Gray)),
    ])
}

pub fn render(state: &CheckIn, frame: &mut Frame, area: Rect, ctx: &Ctx) {
    let block = Block::bordered().title(format!(" {} ", state.title(ctx.lang)));
    let Some(desk) = &state.desk else {
        match &state.error {
            Some(error) => widgets::error(frame, area, block, error),
            None => widgets::loading(frame, area, block, ctx.lang),
        }
        return;
    };
    let Some(event) = &desk.event else {
        let message = state.error.clone().unwrap_or_default();
        widgets::error(frame, area, block, &message);
        return;
    };
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [header, search, result, list_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(3),
    ])
    .areas(inner);

    let tz = ctx.tz();
    let when = format!(
        "{} {}",
        format::short_day(ctx.lang, format::local_day(tz, event.start)),
        format::range(tz, event.start, event.end)
    );
    let counts_text = if event.cancelled {
        ctx.t("événement annulé", "event cancelled").to_string()
    } else {
        counts(event, ctx)
    };
    // The spaces give way to the counts on a narrow terminal.
    let room = (header.width as usize)
        .saturating_sub(when.chars().count() + counts_text.chars().count() + 2);
    let spaces = event.spaces.join(", ");
    let spaces = if spaces.chars().count() > room {
        fit(&spaces, room)
    } else {
        spaces
    };
    let mut head = vec![
        Span::styled(format!("{when} "), Style::new().bold()),
        Span::raw(format!("{spaces} ")),
    ];
    if event.cancelled {
        head.push(Span::styled(
            counts_text,
            Style::new().fg(Color::Red).bold(),
        ));
    } else {
        let style = if event.full() {
            Style::new().fg(Color::Yellow).bold()
        } else {
            Style::new().fg(Color::Cyan).bold()
        };
        head.push(Span::styled(counts_text, style));
    }
    frame.render_widget(Line::from(head), header);

    let label = ctx.t("Nom, e-mail ou code : ", "Name, email or code: ");
    let mut spans = vec![Span::styled(
        label,
        if state.typing {
            Style::new().fg(Color::Yellow).bold()
        } else {
            Style::new().fg(Color::Gray)
        },
    )];
    spans.extend(state.search.spans(state.typing, false));
    if !state.typing && state.search.trimmed().is_empty() {
        spans.push(Span::styled(
            ctx.t("/ pour chercher ou scanner", "/ to search or scan"),
            Style::new().fg(Color::DarkGray),
        ));
    }
    frame.render_widget(Line::from(spans), search);

    if let Some((text, tone)) = &state.result {
        let style = match tone {
            Tone::Done => Style::new().fg(Color::Green).bold(),
            Tone::Warning => Style::new().fg(Color::Yellow).bold(),
            Tone::Error => Style::new().fg(Color::Red).bold(),
        };
        frame.render_widget(Paragraph::new(text.clone()).style(style), result);
    } else if let Some(error) = &state.error {
        frame.render_widget(Paragraph::new(error.clone()).fg(Color::Red), result);
    }

    let active: Vec<&RegistrationRow> = desk
        .registrations
        .iter()
        .filter(|r| r.status == RegistrationStatus::Confirmed)
        .collect();
    let absent: i64 = active
        .iter()
        .filter(|r| r.checked_in_at.is_none())
        .map(|r| r.seats)
        .sum();
    let filter = if state.only_absent {
        ctx.t("pas encore venus", "not yet in")
    } else {
        ctx.t("tous", "everyone")
    };
    let list_block = Block::bordered()
        .border_style(Style::new().fg(Color::DarkGray))
        .title(format!(
            " {} · {absent} {} · {} {filter} ",
            ctx.t("Inscriptions", "Registrations"),
            ctx.t("places pas encore venues", "seats not yet in"),
            ctx.t("vue :", "showing:"),
        ));
    let visible = state.visible();
    if visible.is_empty() {
        let message = if !state.search.trimmed().is_empty() {
            ctx.t(
                "Personne ne correspond. Échap puis n : accueil sur place · p : inscrire.",
                "Nobody matches. Esc then n: walk-in · p: register.",
            )
        } else if state.only_absent {
            ctx.t(
                "Tout le monde est arrivé. a : voir tout le monde.",
                "Everyone is in. a: show everyone.",
            )
        } else {
            ctx.t(
                "Aucune inscription. n : accueil sans inscription · p : inscrire quelqu'un.",
                "No registration yet. n: walk-in · p: register someone.",
            )
        };
        widgets::empty(frame, list_area, list_block, message);
        return;
    }
    let width = list_area.width.saturating_sub(2) as usize;
    let lines = visible.iter().map(|r| line(r, ctx, width)).collect();
    widgets::selectable_list(frame, list_area, list_block, lines, state.selected);
}

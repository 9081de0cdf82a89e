use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::BookingForm;
use crate::format;
use crate::ui::screen::{Ctx, Screen};

pub fn render(state: &BookingForm, frame: &mut Frame, area: Rect, ctx: &Ctx) {
    let block = Block::bordered().title(format!(" {} ", state.title(ctx.lang)));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let wide = inner.width >= 110;
    let (form_area, side) = if wide {
        let [a, b] = Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)])
            .areas(inner);
        (a, b)
    } else {
        // The form's lines (errors included) first, what is left under it.
        let rows = state.form.lines(ctx.lang, 16).len() as u16 + u16::from(state.editing.is_some());
        let [a, b] = Layout::vertical([Constraint::Length(rows), Constraint::Min(3)]).areas(inner);
        (a, b)
    };
    let mut lines = state.form.lines(ctx.lang, 16);
    if let Some(b) = &state.editing {
        lines.insert(
            0,
            Line::from(format!("{} · {}", b.space_name, b.tier)).fg(Color::Cyan),
        );
    }
    frame.render_widget(Paragraph::new(lines), form_area);

    // Beside (or under) the form: booker suggestions, the quote, conflicts, messages.
    let tz = ctx.tz();
    let mut side_lines: Vec<Line> = Vec::new();
    if state.form.focused() == "booker" && state.booker.is_none() && !state.suggestions.is_empty() {
        side_lines.push(
            Line::from(ctx.t("↑/↓ puis Entrée pour choisir :", "↑/↓ then Enter to pick:")).dim(),
        );
        for (i, option) in state.suggestions.iter().enumerate() {
            let mut text = option.booker.name.clone();
            if let Some(detail) = &option.detail {
                text.push_str(&format!(" <{detail}>"));
            }
            // What decides the tier, so that the quote is no surprise.
            if option.resident {
                text.push_str(ctx.t(" · structure résidente", " · resident organization"));
            } else if option.booker.organization {
                text.push_str(ctx.t(" · structure", " · organization"));
            }
            if option.member {
                text.push_str(ctx.t(" · adhérent·e", " · member"));
            }
            let style = if i == state.suggestion {
                Style::new().bg(Color::DarkGray).bold()
            } else {
                Style::new()
            };
            side_lines.push(Line::styled(text, style));
        }
        side_lines.push(Line::default());
    }
    if state.busy() {
        side_lines.push(Line::from(ctx.t("Un instant…", "One moment…")).italic());
    } else if let Some(q) = &state.quoted {
        side_lines.push(Line::from(vec![
            Span::raw(ctx.t("Devis : ", "Quote: ")).bold(),
            Span::raw(format!(
                "{} · {}",
                q.quote.tier,
                format::money(ctx.lang, q.quote.price)
            )),
            Span::raw(if q.recurrence.is_some() {
                ctx.t(" par occurrence", " per occurrence")
            } else {
                ""
            }),
        ]));
        if q.quote.conflicts.is_empty() && !q.quote.within_hours {
            side_lines.push(
                Line::from(ctx.t(
                    "Attention : en dehors des heures d'ouverture (ou dans un battement). Entrée pour réserver quand même.",
                    "Careful: outside the opening hours (or within a buffer). Enter to book anyway.",
                ))
                .fg(Color::Yellow)
                .bold(),
            );
        } else if q.quote.conflicts.is_empty() {
            side_lines.push(
                Line::from(ctx.t(
                    "Libre. Entrée pour confirmer la réservation.",
                    "Free. Enter to confirm the booking.",
                ))
                .fg(Color::Green)
                .bold(),
            );
        } else {
            side_lines.push(
                Line::from(ctx.t("Conflit avec :", "Conflict with:"))
                    .fg(Color::Red)
                    .bold(),
            );
            for c in &q.quote.conflicts {
                side_lines.push(
                    Line::from(format!(
                        "  {} {}",
                        format::short_day(ctx.lang, format::local_day(tz, c.start)),
                        format::range(tz, c.start, c.end)
                    ))
                    .fg(Color::Red),
                );
            }
            side_lines.push(
                Line::from(ctx.t(
                    "Changez l'heure ou l'espace.",
                    "Change the time or the space.",
                ))
                .dim(),
            );
        }
    } else if state.editing.is_none() {
        side_lines.push(
            Line::from(ctx.t(
                "Entrée : voir le tarif et les conflits, puis Entrée pour confirmer.",
                "Enter: see the price and conflicts, then Enter to confirm.",
            ))
            .dim(),
        );
    }
    if !state.conflicts.is_empty() {
        side_lines.push(
            Line::from(ctx.t(
                "Conflit : le créneau est pris.",
                "Conflict: the slot is taken.",
            ))
            .fg(Color::Red)
            .bold(),
        );
        for c in &state.conflicts {
            let slot = format!(
                "{} {}",
                format::short_day(ctx.lang, format::local_day(tz, c.slot.start)),
                format::range(tz, c.slot.start, c.slot.end)
            );
            let text = match &c.occurrence {
                Some(o) => format!(
                    "  {} {} ← {slot}",
                    format::short_day(ctx.lang, format::local_day(tz, o.start)),
                    format::range(tz, o.start, o.end)
                ),
                None => format!("  {slot}"),
            };
            side_lines.push(Line::from(text).fg(Color::Red));
        }
    }
    if let Some(message) = &state.message {
        side_lines.push(Line::from(message.clone()).fg(Color::Red));
    }
    frame.render_widget(Paragraph::new(side_lines).wrap(Wrap { trim: false }), side);
}

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::Block;

use super::{DAYS_AHEAD, Events};
use crate::api::model::EventRow;
use crate::format;
use crate::ui::screen::{Ctx, Screen};
use crate::ui::widgets::{self, fit};

/// `12 inscrits / 30 · 3 en attente · 5 arrivés · 18 places` (no capacity: no seats left).
pub fn counts(e: &EventRow, ctx: &Ctx) -> String {
    let confirmed = match e.capacity {
        Some(c) => format!("{}/{c} {}", e.confirmed, ctx.t("inscrits", "booked")),
        None => format!("{} {}", e.confirmed, ctx.t("inscrits", "booked")),
    };
    let mut parts = vec![confirmed];
    if e.waitlisted > 0 {
        parts.push(format!(
            "{} {}",
            e.waitlisted,
            ctx.t("en attente", "waitlisted")
        ));
    }
    parts.push(format!("{} {}", e.checked_in, ctx.t("arrivés", "in")));
    parts.push(match e.remaining {
        Some(n) if n <= 0 => ctx.t("complet", "full").to_string(),
        Some(1) => ctx.t("1 place", "1 left").to_string(),
        Some(n) => format!("{n} {}", ctx.t("places", "left")),
        None => ctx.t("sans limite", "unlimited").to_string(),
    });
    parts.join(" · ")
}

fn line(e: &EventRow, ctx: &Ctx, width: usize) -> Line<'static> {
    let tz = ctx.tz();
    let day = format::local_day(tz, e.start);
    let when = if day == ctx.today() {
        format!(
            "{} {}",
            ctx.t("auj.", "today"),
            format::range(tz, e.start, e.end)
        )
    } else {
        format!(
            "{} {}",
            format::short_day(ctx.lang, day),
            format::range(tz, e.start, e.end)
        )
    };
    let counts = if e.cancelled {
        ctx.t("annulé", "cancelled").to_string()
    } else {
        counts(e, ctx)
    };
    let when_width = 22;
    let counts_width = counts.chars().count() + 1;
    let title_width = width.saturating_sub(when_width + counts_width + 1);
    let place = e.spaces.join(", ");
    let title = if place.is_empty() {
        e.title.clone()
    } else {
        format!("{} · {place}", e.title)
    };
    let style = if e.cancelled {
        Style::new().fg(Color::DarkGray).crossed_out()
    } else {
        Style::new()
    };
    let count_style = if e.full() {
        Style::new().fg(Color::Yellow)
    } else {
        Style::new().fg(Color::Cyan)
    };
    Line::from(vec![
        Span::styled(fit(&when, when_width), Style::new().bold()),
        Span::raw(" "),
        Span::styled(fit(&title, title_width), style),
        Span::styled(format!(" {counts}"), count_style),
    ])
}

pub fn render(state: &Events, frame: &mut Frame, area: Rect, ctx: &Ctx) {
    let site = ctx
        .session
        .map(|s| s.site().name.clone())
        .unwrap_or_default();
    let block = Block::bordered().title(format!(
        " {} — {} {DAYS_AHEAD} {} · {site} ",
        state.title(ctx.lang),
        ctx.t("aujourd'hui et les", "today and the next"),
        ctx.t("jours suivants", "days")
    ));
    let Some(rows) = &state.rows else {
        match &state.error {
            Some(error) => widgets::error(frame, area, block, error),
            None => widgets::loading(frame, area, block, ctx.lang),
        }
        return;
    };
    if rows.is_empty() {
        widgets::empty(
            frame,
            area,
            block,
            ctx.t(
                "Aucun événement aujourd'hui ni dans les 14 jours. Les gestionnaires en créent depuis l'API (createEvent).",
                "No event today or in the next 14 days. Managers create them through the API (createEvent).",
            ),
        );
        return;
    }
    let width = area.width.saturating_sub(2) as usize;
    let mut lines: Vec<Line> = rows.iter().map(|e| line(e, ctx, width)).collect();
    // A failed refresh says so above the rows it kept.
    if let Some(error) = &state.error {
        lines.insert(0, Line::from(error.clone()).fg(Color::Red));
    }
    let offset = usize::from(state.error.is_some());
    widgets::selectable_list(frame, area, block, lines, state.selected + offset);
}

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, List, ListItem, ListState, Paragraph};

use super::{Pane, Today};
use crate::api::model::{BookingRow, BookingStatus};
use crate::format;
use crate::ui::screen::{Ctx, Screen};
use crate::ui::widgets::{self, fit};

pub fn booking_line(b: &BookingRow, ctx: &Ctx, width: usize, with_day: bool) -> Line<'static> {
    let tz = ctx.tz();
    let when = if with_day {
        format!(
            "{} {}",
            format::short_day(ctx.lang, format::local_day(tz, b.start)),
            format::range(tz, b.start, b.end)
        )
    } else {
        format::range(tz, b.start, b.end)
    };
    let who = b
        .booker
        .as_ref()
        .map(|p| format!(" · {}", p.name))
        .unwrap_or_default();
    let people = b.attendees.map(|n| format!(" ({n})")).unwrap_or_default();
    let mut spans = vec![
        Span::styled(format!("{when} "), Style::new().bold()),
        Span::styled(fit(&b.space_name, 14), Style::new().fg(Color::Cyan)),
        Span::raw(" "),
    ];
    let mut flags = String::new();
    if b.status == BookingStatus::Pending {
        flags.push_str(ctx.t(" [à valider]", " [to approve]"));
    }
    if b.paid {
        flags.push_str(ctx.t(" [payé]", " [paid]"));
    }
    let used = when.chars().count() + 16 + flags.chars().count();
    spans.push(Span::raw(fit(
        &format!("{}{who}{people}", b.title),
        width.saturating_sub(used),
    )));
    spans.push(Span::styled(flags, Style::new().fg(Color::Yellow)));
    Line::from(spans)
}

pub fn render(state: &Today, frame: &mut Frame, area: Rect, ctx: &Ctx) {
    let day = state.day(ctx);
    let site = ctx
        .session
        .map(|s| s.site().name.clone())
        .unwrap_or_default();
    let block = Block::bordered().title(format!(
        " {} — {} {} · {site} ",
        state.title(ctx.lang),
        format::weekday(ctx.lang, day),
        format::date(ctx.lang, day)
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
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(62), Constraint::Percentage(38)]).areas(inner);

    // The day, by hour.
    let bookings = state.day_bookings();
    let expected: i64 = bookings.iter().filter_map(|b| b.attendees).sum();
    let focused = |pane| {
        if state.pane == pane {
            Style::new().fg(Color::Cyan)
        } else {
            Style::new().fg(Color::DarkGray)
        }
    };
    let day_block = Block::bordered()
        .border_style(focused(Pane::Day))
        .title(format!(
            " {} {} · {} {} ",
            bookings.len(),
            ctx.t("réservations", "bookings"),
            expected,
            ctx.t("personnes attendues", "people expected")
        ));
    if bookings.is_empty() {
        widgets::empty(
            frame,
            left,
            day_block,
            ctx.t(
                "Aucune réservation ce jour. n : réserver un espace · ←/→ : autre jour.",
                "No booking on this day. n: book a space · ←/→: another day.",
            ),
        );
    } else {
        let width = left.width.saturating_sub(2) as usize;
        let items: Vec<ListItem> = bookings
            .iter()
            .map(|b| ListItem::new(booking_line(b, ctx, width, false)))
            .collect();
        let mut list_state = ListState::default().with_selected(Some(state.selected));
        let highlight = if state.pane == Pane::Day {
            Style::new().bg(Color::DarkGray).bold()
        } else {
            Style::new()
        };
        frame.render_stateful_widget(
            List::new(items).block(day_block).highlight_style(highlight),
            left,
            &mut list_state,
        );
    }

    let [free_area, pending_area] =
        Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(right);
    // Free spaces: right now on today's page, all day on another day's.
    let is_today = day == ctx.today();
    let free: Vec<Line> = data
        .spaces
        .iter()
        .filter(|s| {
            !bookings.iter().any(|b| {
                b.space_id == s.id && (!is_today || (b.start <= ctx.now && ctx.now < b.end))
            })
        })
        .map(|s| Line::from(format!("· {} ({})", s.name, s.capacity)))
        .collect();
    let free_title = if is_today {
        ctx.t(" Libres maintenant ", " Free right now ")
    } else {
        ctx.t(" Libres toute la journée ", " Free all day ")
    };
    let free_block = Block::bordered()
        .border_style(Style::new().fg(Color::DarkGray))
        .title(free_title);
    if free.is_empty() {
        widgets::empty(
            frame,
            free_area,
            free_block,
            ctx.t("Aucun espace libre.", "No free space."),
        );
    } else {
        frame.render_widget(Paragraph::new(free).block(free_block), free_area);
    }

    let pending_block = Block::bordered()
        .border_style(focused(Pane::Pending))
        .title(format!(
            " {} ({}) ",
            ctx.t("À valider", "To approve"),
            data.pending.len()
        ));
    if data.pending.is_empty() {
        widgets::empty(
            frame,
            pending_area,
            pending_block,
            ctx.t(
                "Rien en attente de validation.",
                "Nothing waits for approval.",
            ),
        );
    } else {
        let width = pending_area.width.saturating_sub(2) as usize;
        let items: Vec<ListItem> = data
            .pending
            .iter()
            .map(|b| {
                let tz = ctx.tz();
                ListItem::new(Line::from(fit(
                    &format!(
                        "{} {} {}",
                        format::short_day(ctx.lang, format::local_day(tz, b.start)),
                        format::time(tz, b.start),
                        b.title
                    ),
                    width,
                )))
            })
            .collect();
        let mut list_state = ListState::default().with_selected(Some(state.pending_selected));
        let highlight = if state.pane == Pane::Pending {
            Style::new().bg(Color::DarkGray).bold()
        } else {
            Style::new()
        };
        frame.render_stateful_widget(
            List::new(items)
                .block(pending_block)
                .highlight_style(highlight),
            pending_area,
            &mut list_state,
        );
    }
    if let Some(error) = &state.error {
        let bottom = Rect {
            y: area.bottom().saturating_sub(1),
            height: 1,
            x: area.x + 1,
            width: area.width.saturating_sub(2),
        };
        frame.render_widget(Line::from(error.clone()).fg(Color::Red), bottom);
    }
}

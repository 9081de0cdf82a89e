use chrono::{Duration, Timelike};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, List, ListItem, ListState, Paragraph};

use super::{Bookings, Cell};
use crate::api::model::BookingStatus;
use crate::format;
use crate::ui::screen::{Ctx, Screen};
use crate::ui::widgets::{self, fit};

pub fn render(state: &Bookings, frame: &mut Frame, area: Rect, ctx: &Ctx) {
    let monday = state.monday(ctx);
    let space_name = state
        .current_space()
        .map(|s| s.name.clone())
        .unwrap_or_default();
    let block = Block::bordered().title(format!(
        " {} — {} {} · {space_name} ",
        state.title(ctx.lang),
        ctx.t("semaine du", "week of"),
        format::date(ctx.lang, monday)
    ));
    let Some(spaces) = &state.spaces else {
        match &state.error {
            Some(error) => widgets::error(frame, area, block, error),
            None => widgets::loading(frame, area, block, ctx.lang),
        }
        return;
    };
    if spaces.is_empty() {
        widgets::empty(
            frame,
            area,
            block,
            ctx.t(
                "Aucun espace sur ce site : un·e gestionnaire doit en créer (lieu-api, GraphiQL).",
                "No space at this site: a manager has to create some (lieu-api, GraphiQL).",
            ),
        );
        return;
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let list_width = match inner.width {
        140.. => 26,
        96.. => 22,
        _ => 17,
    };
    let [list_area, grid_area] =
        Layout::horizontal([Constraint::Length(list_width), Constraint::Min(40)]).areas(inner);

    let items: Vec<ListItem> = spaces
        .iter()
        .map(|s| ListItem::new(fit(&s.name, list_width as usize - 2)))
        .collect();
    let mut list_state = ListState::default().with_selected(Some(state.space));
    frame.render_stateful_widget(
        List::new(items)
            .block(
                Block::bordered()
                    .title(ctx.t(" Espaces ", " Spaces "))
                    .border_style(Style::new().fg(Color::DarkGray)),
            )
            .highlight_style(Style::new().fg(Color::Black).bg(Color::Cyan)),
        list_area,
        &mut list_state,
    );

    let Some(_) = &state.data else {
        match &state.error {
            Some(error) => widgets::error(frame, grid_area, Block::new(), error),
            None => widgets::loading(frame, grid_area, Block::new(), ctx.lang),
        }
        return;
    };
    let [grid_area, legend_area, info_area] = Layout::vertical([
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(grid_area);
    let tz = ctx.tz();
    let label_w = 6usize;
    let col_w = ((grid_area.width as usize).saturating_sub(label_w + 1) / 7).max(3);
    let rows = (grid_area.height as usize).saturating_sub(1).max(1);
    // Tall terminals get a row per half hour (a 18:30 start shows where it is).
    let per_hour = if rows >= 32 { 2 } else { 1 };
    let hours = rows / per_hour;
    // Keep the cursor in view; start the day at 08:00 when there is room.
    let mut first = 8.min(state.hour as usize);
    if state.hour as usize >= first + hours {
        first = state.hour as usize + 1 - hours;
    }
    first = first.min(24usize.saturating_sub(hours));
    let today = ctx.today();
    let now_local = ctx.now.with_timezone(&tz);

    let mut lines = Vec::new();
    let mut header = vec![Span::raw(" ".repeat(label_w))];
    for d in 0..7 {
        let day = monday + Duration::days(d);
        let mut style = Style::new().bold();
        if day == today {
            style = style.fg(Color::Black).bg(Color::Cyan);
        } else if d as usize == state.day {
            style = style.fg(Color::Cyan);
        }
        let label = if col_w > 11 {
            format::short_day(ctx.lang, day)
        } else {
            format::tiny_day(ctx.lang, day)
        };
        header.push(Span::styled(fit(&label, col_w - 1), style));
        header.push(Span::raw(" "));
    }
    lines.push(Line::from(header));
    let slot = 60 / per_hour as u32;
    let row_times = (first..(first + hours).min(24))
        .flat_map(|h| (0..per_hour as u32).map(move |i| (h as u32, i * slot)));
    for (hour, minute) in row_times {
        let in_week = monday <= today && today < monday + Duration::days(7);
        let is_now_row =
            in_week && now_local.hour() == hour && (now_local.minute() / slot) * slot == minute;
        let text = if minute == 0 {
            format!("{hour:02}:00")
        } else {
            format!("  :{minute:02}")
        };
        let label = if is_now_row {
            Span::styled(format!("▶{text}"), Style::new().fg(Color::Red).bold())
        } else {
            Span::styled(format!(" {text}"), Style::new().fg(Color::Gray))
        };
        let mut spans = vec![label, Span::raw(" ")];
        for d in 0..7usize {
            let day = monday + Duration::days(d as i64);
            let cell = match &state.data {
                Some(data) => super::grid::span(data, tz, day, (hour, minute), i64::from(slot)),
                None => Cell::Unknown,
            };
            let cell_start = format::at_time(tz, day, (hour, minute));
            let past = cell_start + Duration::minutes(i64::from(slot)) <= ctx.now;
            let (text, mut style) = match cell {
                Cell::Unknown => (String::new(), Style::new()),
                Cell::Free => ("·".to_string(), Style::new().fg(Color::Green)),
                Cell::Partly => ("◦".to_string(), Style::new().fg(Color::Green)),
                Cell::Blocked => ("░".repeat(col_w - 1), Style::new().fg(Color::DarkGray)),
                Cell::Booked(b) => {
                    // The title where the booking starts (or at the top of the view).
                    let starts_here =
                        b.start >= cell_start || (hour as usize == first && minute == 0);
                    let text = if starts_here {
                        b.title.clone()
                    } else {
                        "┆".to_string()
                    };
                    let style = match b.status {
                        BookingStatus::Pending => Style::new().fg(Color::Black).bg(Color::Yellow),
                        _ => Style::new().fg(Color::White).bg(Color::Blue),
                    };
                    (text, style)
                }
            };
            if past {
                style = style.add_modifier(Modifier::DIM);
            }
            if d == state.day && hour == state.hour {
                style = style.add_modifier(Modifier::REVERSED | Modifier::BOLD);
            }
            let text = if matches!(cell, Cell::Booked(_)) {
                fit(&text, col_w - 1)
            } else {
                format!("{:^w$}", text, w = col_w - 1)
            };
            spans.push(Span::styled(text, style));
            spans.push(Span::raw(" "));
        }
        lines.push(Line::from(spans));
    }
    frame.render_widget(Paragraph::new(lines), grid_area);

    let narrow = legend_area.width < 80;
    // At 80 columns "partly free" has no room: the line under the grid says it for the cell
    // under the cursor.
    let partly = if narrow {
        vec![]
    } else {
        vec![
            Span::styled(" ◦ ", Style::new().fg(Color::Green)),
            Span::raw(ctx.t("libre en partie ", "partly free ")),
        ]
    };
    frame.render_widget(
        Line::from(
            vec![
                Span::styled(" · ", Style::new().fg(Color::Green)),
                Span::raw(ctx.t("libre ", "free ")),
            ]
            .into_iter()
            .chain(partly)
            .chain(vec![
                Span::styled(" ░ ", Style::new().fg(Color::DarkGray)),
                Span::raw(if narrow {
                    ctx.t("indispo. ", "n/a ")
                } else {
                    ctx.t("indisponible ", "unavailable ")
                }),
                Span::styled("   ", Style::new().bg(Color::Blue)),
                Span::raw(ctx.t(" réservé ", " booked ")),
                Span::styled("   ", Style::new().bg(Color::Yellow)),
                Span::raw(ctx.t(" à valider ", " to approve ")),
                Span::styled("▶", Style::new().fg(Color::Red)),
                Span::raw(ctx.t(" maintenant", " now")),
            ])
            .collect::<Vec<_>>(),
        ),
        legend_area,
    );
    // What the cursor is on, in words.
    let day = state.cursor_day(ctx);
    let cell_text = match state.cell_at(ctx, state.day, state.hour) {
        Cell::Booked(b) => format!(
            "{} · {}{}",
            format::range(tz, b.start, b.end),
            b.title,
            b.booker
                .as_ref()
                .map(|p| format!(" · {}", p.name))
                .unwrap_or_default()
        ),
        Cell::Free => ctx
            .t("libre : Entrée pour réserver", "free: Enter to book")
            .into(),
        Cell::Partly => ctx
            .t(
                "libre en partie : Entrée pour réserver",
                "partly free: Enter to book",
            )
            .into(),
        Cell::Blocked => ctx
            .t(
                "indisponible (fermé, battement ou espace lié occupé)",
                "unavailable (closed, buffer or a related space is booked)",
            )
            .into(),
        Cell::Unknown => String::new(),
    };
    let info = format!(
        " {} {} {:02}:00 — {cell_text}",
        format::weekday(ctx.lang, day),
        format::date(ctx.lang, day),
        state.hour
    );
    let info_line = match &state.error {
        Some(error) => Line::from(error.clone()).fg(Color::Red),
        None => Line::from(info).bold(),
    };
    frame.render_widget(info_line, info_area);
}

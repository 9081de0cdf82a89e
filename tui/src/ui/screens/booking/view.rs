use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::{BookingDetail, Cancelling};
use crate::api::model::BookingStatus;
use crate::format;
use crate::ui::screen::{Ctx, Screen};
use crate::ui::widgets::{self, form_line};

pub fn status_label(ctx: &Ctx, status: BookingStatus) -> &'static str {
    match status {
        BookingStatus::Pending => ctx.t("en attente de validation", "waiting for approval"),
        BookingStatus::Confirmed => ctx.t("confirmée", "confirmed"),
        BookingStatus::Cancelled => ctx.t("annulée", "cancelled"),
    }
}

pub fn render(state: &BookingDetail, frame: &mut Frame, area: Rect, ctx: &Ctx) {
    let block = Block::bordered().title(format!(" {} ", state.title(ctx.lang)));
    let Some(b) = &state.booking else {
        match (&state.error, state.loaded) {
            (Some(error), _) => widgets::error(frame, area, block, error),
            (None, true) => widgets::empty(
                frame,
                area,
                block,
                ctx.t(
                    "Cette réservation n'existe plus. Échap : retour.",
                    "This booking no longer exists. Esc: back.",
                ),
            ),
            (None, false) => widgets::loading(frame, area, block, ctx.lang),
        }
        return;
    };
    let tz = ctx.tz();
    let label = |text: &str| Span::styled(format!("{text:<16}"), Style::new().fg(Color::Gray));
    let day = format::local_day(tz, b.start);
    let mut lines = vec![
        Line::from(b.title.clone()).bold(),
        Line::default(),
        Line::from(vec![
            label(ctx.t("Espace", "Space")),
            Span::raw(b.space_name.clone()),
        ]),
        Line::from(vec![
            label(ctx.t("Quand", "When")),
            Span::raw(format!(
                "{} {} {}",
                format::weekday(ctx.lang, day),
                format::date(ctx.lang, day),
                format::range(tz, b.start, b.end)
            ))
            .bold(),
        ]),
        Line::from(vec![
            label(ctx.t("Pour", "For")),
            Span::raw(
                b.booker
                    .as_ref()
                    .map(|p| p.name.clone())
                    .unwrap_or_else(|| ctx.t("le lieu", "the venue").into()),
            ),
        ]),
        Line::from(vec![
            label(ctx.t("État", "Status")),
            Span::styled(
                status_label(ctx, b.status),
                match b.status {
                    BookingStatus::Pending => Style::new().fg(Color::Yellow),
                    BookingStatus::Cancelled => Style::new().fg(Color::Red),
                    BookingStatus::Confirmed => Style::new().fg(Color::Green),
                },
            ),
        ]),
        Line::from(vec![
            label(ctx.t("Tarif", "Rate")),
            Span::raw(format!("{} · {}", b.tier, format::money(ctx.lang, b.price))),
            Span::raw(if b.paid {
                ctx.t(" · payé", " · paid")
            } else if b.price.is_zero() {
                ""
            } else {
                ctx.t(" · à payer", " · unpaid")
            }),
        ]),
    ];
    if let Some(n) = b.attendees {
        lines.push(Line::from(vec![
            label(ctx.t("Personnes", "People")),
            Span::raw(n.to_string()),
        ]));
    }
    if b.series_id.is_some() {
        lines.push(Line::from(vec![
            label(ctx.t("Série", "Series")),
            Span::raw(ctx.t("fait partie d'une série", "part of a series")),
        ]));
    }
    if let Some(notes) = &b.notes {
        lines.push(Line::from(vec![
            label(ctx.t("Notes", "Notes")),
            Span::raw(notes.clone()),
        ]));
    }
    if let Some(reason) = &b.cancel_reason {
        lines.push(Line::from(vec![
            label(ctx.t("Motif", "Reason")),
            Span::raw(reason.clone()),
        ]));
    }
    if let Some((what, reason)) = &state.reason {
        lines.push(Line::default());
        lines.push(
            Line::from(match what {
                Cancelling::One => ctx.t("Annulation de la réservation", "Cancelling the booking"),
                Cancelling::Series => ctx.t(
                    "Annulation de cette occurrence et des suivantes",
                    "Cancelling this occurrence and the later ones",
                ),
            })
            .fg(Color::Yellow)
            .bold(),
        );
        lines.extend(form_line(
            ctx.t("Motif (facultatif)", "Reason (optional)"),
            reason.spans(true, false),
            true,
            None,
            18,
        ));
    }
    if let Some(error) = &state.error {
        lines.push(Line::default());
        lines.push(Line::from(error.clone()).fg(Color::Red));
    }
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        area,
    );
}

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::Card;
use crate::api::model::BookingStatus;
use crate::format;
use crate::ui::screen::{Ctx, Screen};
use crate::ui::widgets::{self, fit};

pub fn status_label(ctx: &Ctx, status: &str) -> &'static str {
    match status {
        "ACTIVE" => ctx.t("en cours", "active"),
        "UPCOMING" => ctx.t("à venir", "upcoming"),
        "EXPIRED" => ctx.t("terminée", "expired"),
        "CANCELLED" => ctx.t("annulée", "cancelled"),
        _ => "?",
    }
}

pub fn render(state: &Card, frame: &mut Frame, area: Rect, ctx: &Ctx) {
    let title = match &state.card {
        Some(c) => format!(" {} — {} ", state.title(ctx.lang), c.person.full_name()),
        None => format!(" {} ", state.title(ctx.lang)),
    };
    let block = Block::bordered().title(title);
    let Some(card) = &state.card else {
        match (&state.error, state.loaded) {
            (Some(error), _) => widgets::error(frame, area, block, error),
            (None, true) => widgets::empty(
                frame,
                area,
                block,
                ctx.t(
                    "Cette personne n'existe pas. Échap : retour.",
                    "This person does not exist. Esc: back.",
                ),
            ),
            (None, false) => widgets::loading(frame, area, block, ctx.lang),
        }
        return;
    };
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let p = &card.person;
    // Contact and memberships get the rows they need (up to two thirds), the bookings the rest.
    let wanted = (card.organizations.len() + card.memberships.len()).max(2) as u16 + 8;
    let top_height = wanted.min(inner.height * 2 / 3).max(7);
    let [top, bottom] =
        Layout::vertical([Constraint::Length(top_height), Constraint::Min(4)]).areas(inner);
    let [contact_area, member_area] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(top);

    // Narrow halves: a tighter label column keeps an email on its line.
    let label_width = if contact_area.width < 50 { 12 } else { 14 };
    let label = |text: &str| {
        Span::styled(
            format!("{text:<label_width$}"),
            Style::new().fg(Color::Gray),
        )
    };
    let none = || ctx.t("—", "—").to_string();
    let mut contact = vec![
        Line::from(vec![
            label("Email"),
            Span::raw(p.email.clone().unwrap_or_else(none)),
        ]),
        Line::from(vec![
            label(ctx.t("Téléphone", "Phone")),
            Span::raw(p.phone.clone().unwrap_or_else(none)),
        ]),
        Line::from(vec![
            label(ctx.t("Code postal", "Postal code")),
            Span::raw(p.postal_code.clone().unwrap_or_else(none)),
        ]),
        Line::from(vec![
            label(ctx.t("Né·e en", "Born in")),
            Span::raw(p.birth_year.map(|y| y.to_string()).unwrap_or_else(none)),
        ]),
        Line::from(vec![
            label(ctx.t("Contact", "Contact")),
            Span::raw(if p.consent {
                ctx.t("accepte d'être contacté·e", "agreed to be contacted")
            } else {
                ctx.t("pas de consentement", "no consent")
            }),
        ]),
    ];
    for (org, role) in &card.organizations {
        contact.push(Line::from(vec![
            label(ctx.t("Structure", "Organization")),
            Span::raw(match role {
                Some(role) => format!("{org} ({role})"),
                None => org.clone(),
            }),
        ]));
    }
    if let Some(notes) = &p.notes {
        contact.push(Line::from(vec![
            label(ctx.t("Notes", "Notes")),
            Span::raw(notes.clone()),
        ]));
    }
    if p.erased {
        contact.insert(
            0,
            Line::from(ctx.t("Données effacées (RGPD).", "Data erased (GDPR).")).fg(Color::Red),
        );
    }
    frame.render_widget(
        Paragraph::new(contact).wrap(Wrap { trim: true }).block(
            Block::bordered()
                .title(ctx.t(" Coordonnées ", " Contact "))
                .border_style(Style::new().fg(Color::DarkGray)),
        ),
        contact_area,
    );

    // The membership: the active one first, then the history (the selected line is what
    // R and x act on).
    let mut member = Vec::new();
    match card
        .active_membership
        .as_ref()
        .and_then(|id| card.memberships.iter().find(|m| &m.id == id))
    {
        Some(m) => member.push(
            Line::from(format!(
                "{} {} → {} · {}",
                ctx.t("Adhérent·e :", "Member:"),
                m.plan.name,
                format::date(ctx.lang, m.ends_on),
                format::money(ctx.lang, m.amount_paid)
            ))
            .fg(Color::Green)
            .bold(),
        ),
        None => member.push(
            Line::from(ctx.t(
                "Pas d'adhésion en cours. m : adhérer.",
                "No active membership. m: join.",
            ))
            .fg(Color::Yellow),
        ),
    }
    let width = member_area.width.saturating_sub(2) as usize;
    for (i, m) in card.memberships.iter().enumerate() {
        let text = fit(
            &format!(
                "{} → {} {} · {} · {}",
                format::date(ctx.lang, m.starts_on),
                format::date(ctx.lang, m.ends_on),
                m.plan.name,
                format::money(ctx.lang, m.amount_paid),
                status_label(ctx, &m.status)
            ),
            width,
        );
        let style = if i == state.selected {
            Style::new().bg(Color::DarkGray).bold()
        } else {
            Style::new()
        };
        member.push(Line::styled(text, style));
    }
    frame.render_widget(
        Paragraph::new(member).wrap(Wrap { trim: true }).block(
            Block::bordered()
                .title(ctx.t(" Adhésions ", " Memberships "))
                .border_style(Style::new().fg(Color::DarkGray)),
        ),
        member_area,
    );

    let tz = ctx.tz();
    let width = bottom.width.saturating_sub(2) as usize;
    let mut lines: Vec<Line> = card
        .bookings
        .iter()
        .map(|b| {
            let day = format::local_day(tz, b.start);
            let status = match b.status {
                BookingStatus::Cancelled => ctx.t(" [annulée]", " [cancelled]"),
                BookingStatus::Pending => ctx.t(" [à valider]", " [to approve]"),
                BookingStatus::Confirmed => "",
            };
            let paid = if b.paid {
                ctx.t(" · payé", " · paid")
            } else {
                ""
            };
            Line::from(fit(
                &format!(
                    "{} {} {} · {} · {}{paid}{status}",
                    format::date(ctx.lang, day),
                    format::range(tz, b.start, b.end),
                    b.space_name,
                    b.title,
                    format::money(ctx.lang, b.price)
                ),
                width,
            ))
        })
        .collect();
    if lines.is_empty() {
        lines.push(
            Line::from(ctx.t(
                "Aucune réservation. n : réserver pour cette personne.",
                "No booking. n: book for this person.",
            ))
            .dim(),
        );
    }
    if let Some(error) = &state.error {
        lines.insert(0, Line::from(error.clone()).fg(Color::Red));
    }
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .title(format!(
                    " {} ({}) ",
                    ctx.t(
                        "Réservations, des 3 derniers mois et à venir",
                        "Bookings, the last 3 months and to come"
                    ),
                    card.bookings_total
                ))
                .border_style(Style::new().fg(Color::DarkGray)),
        ),
        bottom,
    );
}

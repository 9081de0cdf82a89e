use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::{Color, Stylize};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::{Field, Login};
use crate::ui::screen::{Ctx, Screen};
use crate::ui::widgets::form_line;

pub fn render(state: &Login, frame: &mut Frame, area: Rect, ctx: &Ctx) {
    let [form] = Layout::horizontal([Constraint::Length(70)])
        .flex(Flex::Center)
        .areas(area);
    let [form] = Layout::vertical([Constraint::Length(12)])
        .flex(Flex::Center)
        .areas(form);
    let w = 14;
    let mut lines = Vec::new();
    lines.extend(form_line(
        ctx.t("Serveur", "Server"),
        state.server.spans(state.focus == Field::Server, false),
        state.focus == Field::Server,
        None,
        w,
    ));
    lines.extend(form_line(
        "Email",
        state.email.spans(state.focus == Field::Email, false),
        state.focus == Field::Email,
        None,
        w,
    ));
    lines.extend(form_line(
        ctx.t("Mot de passe", "Password"),
        state.password.spans(state.focus == Field::Password, true),
        state.focus == Field::Password,
        None,
        w,
    ));
    lines.push(Line::default());
    if state.busy() {
        lines.push(Line::from(ctx.t("Connexion en cours…", "Signing in…")).italic());
    } else if let Some(error) = &state.error {
        lines.push(Line::from(error.clone()).fg(Color::Red));
    } else if let Some(message) = &state.message {
        lines.push(Line::from(message.clone()).fg(Color::Yellow));
    } else {
        lines.push(
            Line::from(ctx.t(
                "Vos identifiants vous ont été donnés par l'équipe du lieu.",
                "The venue's team gave you your login.",
            ))
            .dim(),
        );
    }
    let block = Block::bordered().title(format!(" {} ", state.title(ctx.lang)));
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        form,
    );
}

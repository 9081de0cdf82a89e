use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use crate::app::{App, Field, LoginState};

pub fn render(app: &App, state: &LoginState, frame: &mut Frame, area: Rect) {
    let text = app.text();
    let [form] = Layout::horizontal([Constraint::Length(56)])
        .flex(Flex::Center)
        .areas(area);
    let [form] = Layout::vertical([Constraint::Length(8)])
        .flex(Flex::Center)
        .areas(form);

    let field = |label: &str, value: String, focused: bool| {
        let style = if focused {
            Style::new().fg(Color::Yellow).bold()
        } else {
            Style::new()
        };
        let cursor = if focused { "▏" } else { "" };
        Line::from(vec![
            Span::styled(format!("{label:<14}"), style),
            Span::raw(value),
            Span::raw(cursor),
        ])
    };
    let mut lines = vec![
        field(text.email, state.email.clone(), state.focus == Field::Email),
        field(
            text.password,
            "•".repeat(state.password.chars().count()),
            state.focus == Field::Password,
        ),
        Line::default(),
    ];
    if state.busy {
        lines.push(Line::from(text.signing_in).italic());
    } else if let Some(error) = &state.error {
        lines.push(Line::from(error.as_str()).fg(Color::Red));
    }
    let block = Block::bordered().title(format!(" {} ", text.login_title));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(ratatui::widgets::Wrap { trim: true }),
        form,
    );
}

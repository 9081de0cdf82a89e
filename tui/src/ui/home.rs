use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Stylize};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Row, Table};

use crate::app::{App, HomeState};

pub fn render(app: &App, state: &HomeState, frame: &mut Frame, area: Rect) {
    let text = app.text();
    let [header, body] = Layout::vertical([Constraint::Length(3), Constraint::Min(3)]).areas(area);

    let greeting = match &state.me {
        Some(me) => vec![
            Line::from(format!("{} {} ({})", text.welcome, me.name, me.email)).bold(),
            Line::from(format!("{} {}", text.role, text.role_name(&me.role))),
        ],
        None => vec![Line::from(text.loading)],
    };
    frame.render_widget(Paragraph::new(greeting).block(Block::new()), header);

    let block = Block::bordered().title(format!(" {} ", text.sites));
    match (&state.sites, &state.error) {
        (_, Some(error)) => frame.render_widget(
            Paragraph::new(error.as_str()).fg(Color::Red).block(block),
            body,
        ),
        (None, None) => {
            frame.render_widget(Paragraph::new(text.loading).italic().block(block), body)
        }
        (Some(sites), None) if sites.is_empty() => {
            frame.render_widget(Paragraph::new(text.no_sites).block(block), body)
        }
        (Some(sites), None) => {
            let rows = sites.iter().map(|site| {
                Row::new(vec![
                    site.name.clone(),
                    site.timezone.clone(),
                    site.address.clone().unwrap_or_default(),
                ])
            });
            let table = Table::new(
                rows,
                [
                    Constraint::Percentage(35),
                    Constraint::Percentage(20),
                    Constraint::Percentage(45),
                ],
            )
            .block(block);
            frame.render_widget(table, body);
        }
    }
}

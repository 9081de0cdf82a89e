//! Pure rendering: `render(&App, &mut Frame)`. The chrome (tabs, footer, status line, help,
//! questions) is drawn here; each screen draws its own body.

pub mod form;
pub mod screen;
pub mod screens;
pub mod widgets;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Row, Table, Wrap};

use crate::app::{App, Connection};
use crate::keymap::{Binding, Cmd};

pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    let lang = app.lang;
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let text = format!(
            "{} {MIN_WIDTH}×{MIN_HEIGHT} ({} {}×{}).",
            lang.t(
                "Fenêtre trop petite : agrandissez-la à",
                "Window too small: make it at least"
            ),
            lang.t("actuellement", "now"),
            area.width,
            area.height
        );
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
        return;
    }
    let [tabs, body, footer, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    tab_bar(app, frame, tabs);
    app.active().view(frame, body, &app.ctx());
    footer_line(app, frame, footer);
    status_line(app, frame, status);
    if app.help {
        help(app, frame, body);
    }
    if let Some(question) = &app.question {
        let width = (question.text.chars().count() as u16 + 6).clamp(30, body.width);
        let r = widgets::dialog(frame, body, width, 5);
        let lines = vec![
            Line::from(question.text.clone()).bold(),
            Line::default(),
            Line::from(lang.t("o/Entrée : oui · n/Échap : non", "y/Enter: yes · n/Esc: no")).dim(),
        ];
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: true })
                .block(Block::bordered().border_style(Style::new().fg(Color::Yellow))),
            r,
        );
    }
}

fn tab_bar(app: &App, frame: &mut Frame, area: Rect) {
    let lang = app.lang;
    let mut spans = vec![Span::styled(" Lieu ", Style::new().bold().reversed())];
    if app.signed_in() {
        for binding in app.global_bindings() {
            let Cmd::Tab(i) = binding.cmd() else { continue };
            let label = format!(" {} {} ", binding.keys_label(lang), binding.label(lang));
            let style = if i == app.tab {
                Style::new().fg(Color::Black).bg(Color::Cyan).bold()
            } else if i >= crate::app::TABS {
                Style::new().fg(Color::DarkGray)
            } else {
                Style::new()
            };
            spans.push(Span::styled(label, style));
        }
    } else {
        spans.push(Span::raw(format!(" {}", lang.t("accueil", "front desk"))));
    }
    let mut line = Line::from(spans);
    if let Some(session) = &app.session {
        let used: usize = line.width();
        let site = format!("{} ", session.site().name);
        let room = (area.width as usize).saturating_sub(used + site.chars().count());
        line.push_span(Span::raw(" ".repeat(room)));
        line.push_span(Span::styled(site, Style::new().fg(Color::Cyan)));
    }
    frame.render_widget(line, area);
}

fn pairs(app: &App, bindings: &[&Binding]) -> Vec<(String, &'static str)> {
    bindings
        .iter()
        .map(|b| (b.keys_label(app.lang), b.label(app.lang)))
        .collect()
}

fn footer_line(app: &App, frame: &mut Frame, area: Rect) {
    let mut list = app.screen_bindings();
    // The global keys after the screen's, but only those not already on the tab bar.
    list.extend(
        app.global_bindings()
            .into_iter()
            .filter(|b| !matches!(b.cmd(), Cmd::Tab(_))),
    );
    let mut spans = vec![Span::raw(" ")];
    let mut width = 1;
    for (keys, label) in pairs(app, &list) {
        let needed = keys.chars().count() + label.chars().count() + 3;
        if width + needed > area.width as usize {
            break;
        }
        width += needed;
        spans.push(Span::styled(keys, Style::new().fg(Color::Yellow).bold()));
        spans.push(Span::raw(format!(" {label}  ")));
    }
    frame.render_widget(Line::from(spans), area);
}

fn status_line(app: &App, frame: &mut Frame, area: Rect) {
    let lang = app.lang;
    let (mark, text, color) = match app.connection {
        Connection::Online => ("●", lang.t("Connecté", "Connected").to_string(), Color::Green),
        Connection::Unknown => ("○", app.server.clone(), Color::Gray),
        Connection::Offline { retry_at } => {
            let seconds = (retry_at - app.now).num_seconds().max(0);
            let text = if seconds > 0 {
                format!(
                    "{} — {} {seconds} s",
                    lang.t("Hors ligne", "Offline"),
                    lang.t("nouvel essai dans", "retrying in")
                )
            } else {
                lang.t("Hors ligne", "Offline").to_string()
            };
            ("○", text, Color::Red)
        }
    };
    let mut spans = vec![
        Span::styled(format!(" {mark} {text}"), Style::new().fg(color).bold()),
    ];
    if let Some(session) = &app.session {
        let role = match session.user.role {
            crate::api::model::Role::Admin => lang.t("admin", "admin"),
            crate::api::model::Role::Manager => lang.t("gestion", "manager"),
            crate::api::model::Role::Volunteer => lang.t("bénévole", "volunteer"),
        };
        spans.push(Span::raw(format!(" · {} ({role})", session.user.name)));
    }
    if let Some((toast, _)) = &app.toast {
        spans.push(Span::raw(" · "));
        spans.push(Span::styled(
            toast.clone(),
            Style::new().fg(Color::Black).bg(Color::Yellow),
        ));
    }
    frame.render_widget(
        Line::from(spans), area,
    );
}

fn help(app: &App, frame: &mut Frame, area: Rect) {
    let lang = app.lang;
    let screen = app.screen_bindings();
    let global = app.global_bindings();
    let mut rows: Vec<Row> = vec![Row::new(vec![
        Span::styled(app.active().title(lang), Style::new().bold().underlined()),
    ])];
    for (keys, label) in pairs(app, &screen) {
        rows.push(Row::new(vec![Span::raw(keys).yellow().bold(), Span::raw(label)]));
    }
    rows.push(Row::new(vec![Span::raw("")]));
    rows.push(Row::new(vec![Span::styled(
        lang.t("Partout", "Everywhere"),
        Style::new().bold().underlined(),
    )]));
    for (keys, label) in pairs(app, &global) {
        rows.push(Row::new(vec![Span::raw(keys).yellow().bold(), Span::raw(label)]));
    }
    rows.push(Row::new(vec![
        Span::raw("Ctrl+C").yellow().bold(),
        Span::raw(lang.t("quitter tout de suite", "quit at once")),
    ]));
    let height = (rows.len() as u16 + 2).min(area.height);
    let r = widgets::dialog(frame, area, 60, height);
    let title = format!(" {} — {} ", lang.t("Aide", "Help"), lang.t("? ou Échap pour fermer", "? or Esc to close"));
    frame.render_widget(
        Table::new(rows, [Constraint::Length(16), Constraint::Min(10)])
            .block(Block::bordered().title(title).border_style(Style::new().fg(Color::Cyan))),
        r,
    );
}

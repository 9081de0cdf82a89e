//! Pure rendering: `render(&App, &mut Frame)`. The chrome (tabs, footer, status line, help,
//! questions) is drawn here; each screen draws its own body.

pub mod form;
pub mod picker;
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
        let keys = question.keys.clone().unwrap_or_else(|| {
            lang.t("o/Entrée : oui · n/Échap : non", "y/Enter: yes · n/Esc: no")
                .to_string()
        });
        let longest = question.text.chars().count().max(keys.chars().count()) as u16;
        let width = (longest + 6).clamp(30, body.width);
        // Room for the question and the keys however many lines they wrap to.
        let wrapped = |text: &str| text.chars().count() as u16 / width.saturating_sub(4).max(1) + 1;
        let r = widgets::dialog(
            frame,
            body,
            width,
            wrapped(&question.text) + wrapped(&keys) + 3,
        );
        let lines = vec![
            Line::from(question.text.clone()).bold(),
            Line::default(),
            Line::from(keys).dim(),
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
    // Narrow terminals show the keys of the tabs beside the active one, with its name.
    let narrow = area.width < 100;
    if app.signed_in() {
        for binding in app.global_bindings() {
            let Cmd::Tab(i) = binding.cmd() else { continue };
            let label = if narrow && i != app.tab {
                format!(
                    " {} {} ",
                    binding.keys_label(lang),
                    short_label(binding.label(lang))
                )
            } else {
                format!(" {} {} ", binding.keys_label(lang), binding.label(lang))
            };
            let style = if i == app.tab {
                Style::new().fg(Color::Black).bg(Color::Cyan).bold()
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
        let room = (area.width as usize).saturating_sub(used + 1);
        let site = widgets::fit(&site, room);
        line.push_span(Span::raw(" ".repeat(room - site.chars().count() + 1)));
        line.push_span(Span::styled(site, Style::new().fg(Color::Cyan)));
    }
    frame.render_widget(line, area);
}

/// A tab's name cut to its first word's first letters (`Réserv.`), for narrow terminals.
fn short_label(label: &str) -> String {
    let word = label.split_whitespace().next().unwrap_or(label);
    if word.chars().count() <= 6 {
        return word.to_string();
    }
    let cut: String = word.chars().take(5).collect();
    format!("{cut}.")
}

fn pairs(app: &App, bindings: &[&Binding]) -> Vec<(String, &'static str)> {
    bindings
        .iter()
        .map(|b| (b.keys_label(app.lang), b.label(app.lang)))
        .collect()
}

/// The footer's shorter form of a key group: `Tab` for `Tab/⇧Tab`.
fn footer_pairs(app: &App, bindings: &[&Binding]) -> Vec<(String, &'static str)> {
    pairs(app, bindings)
        .into_iter()
        .map(|(keys, label)| (keys.replace("Tab/⇧Tab", "Tab"), label))
        .collect()
}

fn footer_line(app: &App, frame: &mut Frame, area: Rect) {
    // The screen's keys first, then the global ones not already on the tab bar; `? aide`
    // always shows (it lists whatever did not fit).
    let mut list = app.screen_bindings();
    let global: Vec<&Binding> = app
        .global_bindings()
        .into_iter()
        .filter(|b| !matches!(b.cmd(), Cmd::Tab(_)))
        .collect();
    let help = global.iter().copied().find(|b| b.cmd() == Cmd::Help);
    list.extend(global.iter().copied().filter(|b| b.cmd() != Cmd::Help));
    let entries = footer_pairs(app, &list);
    let help_entry = help.map(|b| pairs(app, &[b]).remove(0));
    let width_of = |(k, l): &(String, &str)| k.chars().count() + l.chars().count() + 2;
    let reserved = help_entry.as_ref().map_or(0, width_of);
    let mut spans = vec![Span::raw(" ")];
    let mut width = 1;
    let mut shown = Vec::new();
    for entry in entries {
        if entry.1.is_empty() {
            continue;
        }
        if width + width_of(&entry) + reserved > area.width as usize {
            break;
        }
        width += width_of(&entry);
        shown.push(entry);
    }
    shown.extend(help_entry);
    for (keys, label) in shown {
        spans.push(Span::styled(keys, Style::new().fg(Color::Yellow).bold()));
        spans.push(Span::raw(format!(" {label} ")));
    }
    frame.render_widget(Line::from(spans), area);
}

fn status_line(app: &App, frame: &mut Frame, area: Rect) {
    let lang = app.lang;
    let (mark, text, color) = match app.connection {
        Connection::Online if app.signed_in() => {
            let how = if app.live {
                lang.t("en direct", "live")
            } else {
                lang.t("actualisation", "polling")
            };
            (
                "●",
                format!("{} — {how}", lang.t("Connecté", "Connected")),
                Color::Green,
            )
        }
        Connection::Online => (
            "●",
            lang.t("Connecté", "Connected").to_string(),
            Color::Green,
        ),
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
    let mut spans = vec![Span::styled(
        format!(" {mark} {text}"),
        Style::new().fg(color).bold(),
    )];
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
    frame.render_widget(Line::from(spans), area);
}

fn help(app: &App, frame: &mut Frame, area: Rect) {
    let lang = app.lang;
    let heading =
        |text: String| Row::new(vec![Span::styled(text, Style::new().bold().underlined())]);
    let key_rows = |list: &[&Binding]| -> Vec<Row<'static>> {
        pairs(app, list)
            .into_iter()
            .filter(|(_, label)| !label.is_empty())
            .map(|(keys, label)| Row::new(vec![Span::raw(keys).yellow().bold(), Span::raw(label)]))
            .collect()
    };
    let mut screen = vec![heading(app.active().title(lang))];
    screen.extend(key_rows(&app.screen_bindings()));
    let mut global = vec![heading(lang.t("Partout", "Everywhere").to_string())];
    global.extend(key_rows(&app.global_bindings()));
    global.push(Row::new(vec![
        Span::raw("Ctrl+C").yellow().bold(),
        Span::raw(lang.t("quitter, toujours", "quit, always")),
    ]));
    // Two columns side by side: every key fits at 80x24.
    let height = (screen.len().max(global.len()) as u16 + 2).min(area.height);
    let r = widgets::dialog(frame, area, 78, height);
    let title = format!(
        " {} — {} ",
        lang.t("Aide", "Help"),
        lang.t("? ou Échap pour fermer", "? or Esc to close")
    );
    let block = Block::bordered()
        .title(title)
        .border_style(Style::new().fg(Color::Cyan));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(inner);
    let widths = [Constraint::Length(14), Constraint::Min(10)];
    frame.render_widget(Table::new(screen, widths), left);
    frame.render_widget(Table::new(global, widths), right);
}

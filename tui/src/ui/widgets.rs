//! Pieces every screen uses: text fields, the loading/empty/error states, plain-words errors.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::{Color, Modifier, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::api::ApiError;
use crate::format;
use crate::i18n::Lang;
use crate::ui::screen::Ctx;

/// A one-line text input with a cursor (counted in characters, not bytes).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TextField {
    pub value: String,
    cursor: usize,
}

impl TextField {
    pub fn new(value: impl Into<String>) -> Self {
        let value = value.into();
        let cursor = value.chars().count();
        Self { value, cursor }
    }

    pub fn set(&mut self, value: impl Into<String>) {
        *self = Self::new(value);
    }

    pub fn trimmed(&self) -> &str {
        self.value.trim()
    }

    /// Applies an editing key; false when the key is not one a text field takes.
    pub fn key(&mut self, key: &KeyEvent) -> bool {
        if key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        {
            return false;
        }
        let len = self.value.chars().count();
        match key.code {
            KeyCode::Char(c) => {
                let at = self.byte_at(self.cursor);
                self.value.insert(at, c);
                self.cursor += 1;
            }
            KeyCode::Backspace if self.cursor > 0 => {
                self.cursor -= 1;
                let at = self.byte_at(self.cursor);
                self.value.remove(at);
            }
            KeyCode::Delete if self.cursor < len => {
                let at = self.byte_at(self.cursor);
                self.value.remove(at);
            }
            KeyCode::Left => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Right => self.cursor = (self.cursor + 1).min(len),
            KeyCode::Home => self.cursor = 0,
            KeyCode::End => self.cursor = len,
            KeyCode::Backspace | KeyCode::Delete => {}
            _ => return false,
        }
        true
    }

    fn byte_at(&self, chars: usize) -> usize {
        self.value
            .char_indices()
            .nth(chars)
            .map(|(i, _)| i)
            .unwrap_or(self.value.len())
    }

    /// The value with a visible cursor when focused; `mask` hides it (passwords).
    pub fn spans(&self, focused: bool, mask: bool) -> Vec<Span<'static>> {
        let shown: String = if mask {
            "•".repeat(self.value.chars().count())
        } else {
            self.value.clone()
        };
        if !focused {
            return vec![Span::raw(shown)];
        }
        let before: String = shown.chars().take(self.cursor).collect();
        let at: String = shown.chars().skip(self.cursor).take(1).collect();
        let after: String = shown.chars().skip(self.cursor + 1).collect();
        let cursor_style = Style::new().add_modifier(Modifier::REVERSED);
        vec![
            Span::raw(before),
            Span::styled(if at.is_empty() { " ".into() } else { at }, cursor_style),
            Span::raw(after),
        ]
    }
}

/// One labelled line of a form: `Label      value`, the focused one highlighted, then its
/// error (if any) on its own line in red.
pub fn form_line(
    label: &str,
    value: Vec<Span<'static>>,
    focused: bool,
    error: Option<&str>,
    width: usize,
) -> Vec<Line<'static>> {
    let label_style = if focused {
        Style::new().fg(Color::Yellow).bold()
    } else {
        Style::new().fg(Color::Gray)
    };
    let marker = if focused { "▸ " } else { "  " };
    let mut spans = vec![
        Span::styled(marker, label_style),
        Span::styled(format!("{label:<width$} "), label_style),
    ];
    spans.extend(value);
    let mut lines = vec![Line::from(spans)];
    if let Some(error) = error {
        lines.push(Line::from(vec![
            Span::raw(" ".repeat(width + 3)),
            Span::styled(format!("⚠ {error}"), Style::new().fg(Color::Red)),
        ]));
    }
    lines
}

/// A choice shown as `◂ value ▸` (the arrows change it when focused).
pub fn choice_spans(value: &str, focused: bool) -> Vec<Span<'static>> {
    if focused {
        vec![
            Span::raw("◂ "),
            Span::raw(value.to_string()).bold(),
            Span::raw(" ▸"),
        ]
    } else {
        vec![Span::raw(value.to_string())]
    }
}

/// The loading state: a screen never sits blank.
pub fn loading(frame: &mut Frame, area: Rect, block: Block, lang: Lang) {
    frame.render_widget(
        Paragraph::new(lang.t("Chargement…", "Loading…"))
            .italic()
            .block(block),
        area,
    );
}

/// An empty state says what to do.
pub fn empty(frame: &mut Frame, area: Rect, block: Block, message: &str) {
    frame.render_widget(
        Paragraph::new(message.to_string())
            .wrap(Wrap { trim: true })
            .block(block),
        area,
    );
}

/// An error in plain words, with what to do next.
pub fn error(frame: &mut Frame, area: Rect, block: Block, message: &str) {
    frame.render_widget(
        Paragraph::new(message.to_string())
            .fg(Color::Red)
            .wrap(Wrap { trim: true })
            .block(block),
        area,
    );
}

/// A box in the middle of `area` (for dialogs), cleared first.
pub fn dialog(frame: &mut Frame, area: Rect, width: u16, height: u16) -> Rect {
    let [r] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(area);
    let [r] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(r);
    frame.render_widget(Clear, r);
    r
}

/// Cuts `text` to `width` characters, with an ellipsis when cut.
pub fn fit(text: &str, width: usize) -> String {
    let count = text.chars().count();
    if count <= width {
        return format!("{text:<width$}");
    }
    if width == 0 {
        return String::new();
    }
    let mut out: String = text.chars().take(width - 1).collect();
    out.push('…');
    out
}

/// An API error in plain words, with what to do next.
pub fn describe(ctx: &Ctx, err: &ApiError) -> String {
    let lang = ctx.lang;
    match err {
        ApiError::Unreachable(_) => lang
            .t(
                "Serveur injoignable : nouvel essai automatique. Vérifiez le réseau ou que le serveur tourne.",
                "Cannot reach the server: retrying by itself. Check the network or that the server runs.",
            )
            .to_string(),
        ApiError::Protocol(detail) => format!(
            "{} ({detail})",
            lang.t(
                "Réponse inattendue du serveur : sa version diffère peut-être de celle-ci.",
                "Unexpected answer from the server: it may run another version.",
            )
        ),
        ApiError::Refused {
            code,
            message,
            conflicts,
            retry_after_seconds,
            ..
        } => match code.as_str() {
            "UNAUTHENTICATED" => lang
                .t("Session expirée : reconnectez-vous.", "Session expired: log in again.")
                .to_string(),
            "FORBIDDEN" => lang
                .t(
                    "Votre rôle ne permet pas cette action : demandez à un·e gestionnaire.",
                    "Your role may not do this: ask a manager.",
                )
                .to_string(),
            "NOT_FOUND" => lang
                .t(
                    "Introuvable : supprimé entre-temps ? Actualisez (r).",
                    "Not found: removed meanwhile? Refresh (r).",
                )
                .to_string(),
            "RATE_LIMITED" => format!(
                "{} {} s.",
                lang.t("Trop de tentatives : réessayez dans", "Too many attempts: try again in"),
                retry_after_seconds.unwrap_or(60)
            ),
            "BOOKING_CONFLICT" => {
                let tz = ctx.tz();
                let list: Vec<String> = conflicts
                    .iter()
                    .map(|c| {
                        let slot = format::range(tz, c.slot.start, c.slot.end);
                        let day = format::short_day(lang, format::local_day(tz, c.slot.start));
                        format!("{day} {slot}")
                    })
                    .collect();
                format!(
                    "{} : {}. {}",
                    lang.t("Conflit", "Conflict"),
                    list.join(", "),
                    lang.t("Choisissez un autre créneau.", "Pick another time.")
                )
            }
            "INVALID_STATE" => format!(
                "{} {message}",
                lang.t("Impossible maintenant :", "Not possible now:")
            ),
            "VALIDATION" => message.clone(),
            _ => lang
                .t(
                    "Erreur du serveur : réessayez ; si elle revient, prévenez l'équipe.",
                    "Server error: try again; if it comes back, tell the team.",
                )
                .to_string(),
        },
    }
}

/// A list with one row selected (kept in view as it moves).
pub fn selectable_list(
    frame: &mut Frame,
    area: Rect,
    block: Block,
    lines: Vec<Line<'static>>,
    selected: usize,
) {
    let items: Vec<ratatui::widgets::ListItem> = lines
        .into_iter()
        .map(ratatui::widgets::ListItem::new)
        .collect();
    let mut state = ratatui::widgets::ListState::default().with_selected(Some(selected));
    frame.render_stateful_widget(
        ratatui::widgets::List::new(items)
            .block(block)
            .highlight_style(Style::new().bg(Color::DarkGray).bold()),
        area,
        &mut state,
    );
}

//! A person picked by typing their name: once typing pauses, the people of the records whose
//! name matches are suggested below the field (`↑/↓`, `Enter` picks one). The forms that
//! register someone or log hours for someone share it.

use chrono::{DateTime, Duration, Utc};
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::{Line, Span};

use crate::api::Request;
use crate::api::model::{PeoplePage, PersonRow};
use crate::ui::screen::Ctx;

const SUGGEST_AFTER_MS: i64 = 300;
const SUGGESTIONS: i64 = 5;

#[derive(Default)]
pub struct PersonPicker {
    /// The person picked; None while a name is being typed.
    pub chosen: Option<PersonRow>,
    pub suggestions: Vec<PersonRow>,
    pub selected: usize,
    typed_at: Option<DateTime<Utc>>,
}

impl PersonPicker {
    /// The name changed: no longer the person picked; suggest once typing pauses.
    pub fn typed(&mut self, now: DateTime<Utc>) {
        self.chosen = None;
        self.typed_at = Some(now);
    }

    /// Suggest at once (a name carried over from elsewhere).
    pub fn soon(&mut self, now: DateTime<Utc>) {
        self.typed_at = Some(now - Duration::milliseconds(SUGGEST_AFTER_MS));
    }

    /// The search to send now that typing has paused, if any.
    pub fn due(&mut self, now: DateTime<Utc>, typed: &str) -> Option<Request> {
        let at = self.typed_at?;
        if now - at < Duration::milliseconds(SUGGEST_AFTER_MS) {
            return None;
        }
        self.typed_at = None;
        if typed.trim().chars().count() < 2 {
            self.suggestions.clear();
            return None;
        }
        Some(Request::People {
            search: typed.trim().to_string(),
            first: SUGGESTIONS,
            after: None,
        })
    }

    pub fn answer(&mut self, page: PeoplePage) {
        if self.chosen.is_none() {
            self.suggestions = page.rows;
            self.selected = 0;
        }
    }

    /// Suggestions are on screen and the arrows move among them.
    pub fn open(&self) -> bool {
        self.chosen.is_none() && !self.suggestions.is_empty()
    }

    /// `↑`/`↓` among the suggestions; true when the key was theirs.
    pub fn steer(&mut self, cmd: crate::keymap::Cmd) -> bool {
        use crate::keymap::Cmd;
        match cmd {
            Cmd::Up if self.open() => self.step(-1),
            Cmd::Down if self.open() => self.step(1),
            _ => return false,
        }
        true
    }

    pub fn step(&mut self, by: isize) {
        let last = self.suggestions.len().saturating_sub(1) as isize;
        self.selected = (self.selected as isize + by).clamp(0, last) as usize;
    }

    /// Picks the highlighted suggestion; returns it.
    pub fn pick(&mut self) -> Option<PersonRow> {
        let person = self.suggestions.get(self.selected)?.clone();
        self.chosen = Some(person.clone());
        self.suggestions.clear();
        Some(person)
    }

    pub fn lines(&self, ctx: &Ctx) -> Vec<Line<'static>> {
        if !self.open() {
            return vec![];
        }
        let mut lines = vec![
            Line::from(ctx.t(
                "  Déjà connu·e ? ↑/↓ puis Entrée :",
                "  Already known? ↑/↓ then Enter:",
            ))
            .dim(),
        ];
        for (i, p) in self.suggestions.iter().enumerate() {
            let text = format!(
                "    {} {}{}",
                p.first_name,
                p.last_name,
                p.email
                    .as_ref()
                    .map(|e| format!(" <{e}>"))
                    .unwrap_or_default()
            );
            let style = if i == self.selected {
                Style::new().bg(Color::DarkGray).bold()
            } else {
                Style::new()
            };
            lines.push(Line::from(Span::styled(text, style)));
        }
        lines
    }
}

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
    /// None until `↓`: `Enter` then saves what was typed (a new person), not a suggestion.
    pub selected: Option<usize>,
    typed_at: Option<DateTime<Utc>>,
}

impl PersonPicker {
    /// The name changed: no longer the person picked; suggest once typing pauses.
    pub fn typed(&mut self, now: DateTime<Utc>) {
        self.chosen = None;
        // The suggestions were for what was typed before.
        self.suggestions.clear();
        self.selected = None;
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
            self.selected = None;
        }
    }

    /// Suggestions are on screen and the arrows move among them.
    pub fn open(&self) -> bool {
        self.chosen.is_none() && !self.suggestions.is_empty()
    }

    /// A suggestion is highlighted: `Enter` picks it.
    pub fn choosing(&self) -> bool {
        self.open() && self.selected.is_some()
    }

    /// `↑`/`↓` among the suggestions; true when the key was theirs (`↑` from the first one
    /// leaves them: `Enter` saves the name as typed again).
    pub fn steer(&mut self, cmd: crate::keymap::Cmd) -> bool {
        use crate::keymap::Cmd;
        match cmd {
            Cmd::Up if self.choosing() => self.step(-1),
            Cmd::Down if self.open() => self.step(1),
            _ => return false,
        }
        true
    }

    pub fn step(&mut self, by: isize) {
        let last = self.suggestions.len() as isize - 1;
        let at = self.selected.map_or(-1, |i| i as isize) + by;
        self.selected = (at >= 0).then(|| at.min(last) as usize);
    }

    /// Picks the highlighted suggestion; returns it.
    pub fn pick(&mut self) -> Option<PersonRow> {
        let person = self.suggestions.get(self.selected?)?.clone();
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
                "  Déjà connu·e ? ↓ puis Entrée (sinon Entrée garde le nom tapé) :",
                "  Already known? ↓ then Enter (else Enter keeps the name typed):",
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
            let style = if Some(i) == self.selected {
                Style::new().bg(Color::DarkGray).bold()
            } else {
                Style::new()
            };
            lines.push(Line::from(Span::styled(text, style)));
        }
        lines
    }
}

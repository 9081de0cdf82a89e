//! Tests of the whole client: the app is driven by key events and API answers, exactly as the
//! runtime drives it, and drawn into a `TestBackend`.

mod desk_flows;
mod door_flows;
mod fake;
mod fake_desk;
mod flows;
mod hours_flows;
mod live_flows;
mod offline_flows;
mod snapshots;
mod snapshots_desk;

use chrono::{DateTime, TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::api::{Client, Request, Response, perform};
use crate::app::{Action, App, Io};
use crate::i18n::Lang;
use crate::ui::screen::Ticket;

/// Thursday 12 March 2026, 09:30 UTC (10:30 in Paris): the snapshots' clock.
pub fn fixed_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 12, 9, 30, 0).unwrap()
}

/// An app and the requests it asked for that have not been answered yet.
pub struct Driver {
    pub app: App,
    pub pending: Vec<(Ticket, Request)>,
    pub performed: Vec<Request>,
}

impl Driver {
    pub fn new(lang: Lang, now: DateTime<Utc>) -> Self {
        Self {
            app: App::new("http://127.0.0.1:9", "", lang, now),
            pending: Vec::new(),
            performed: Vec::new(),
        }
    }

    pub fn with_server(server: &str, lang: Lang) -> Self {
        Self {
            app: App::new(server, "", lang, Utc::now()),
            pending: Vec::new(),
            performed: Vec::new(),
        }
    }

    pub fn update(&mut self, action: Action) {
        let io = self.app.update(action);
        self.take(io);
    }

    fn take(&mut self, io: Vec<Io>) {
        for io in io {
            if let Io::Perform(ticket, request) = io {
                self.pending.push((ticket, request));
            }
        }
    }

    pub fn key(&mut self, code: KeyCode) {
        self.update(Action::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }

    pub fn char(&mut self, c: char) {
        let modifiers = if c.is_uppercase() {
            KeyModifiers::SHIFT
        } else {
            KeyModifiers::NONE
        };
        self.update(Action::Key(KeyEvent::new(KeyCode::Char(c), modifiers)));
    }

    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.char(c);
        }
    }

    /// Moves the clock on (debounces, toasts).
    pub fn advance(&mut self, ms: i64) {
        let now = self.app.now + chrono::Duration::milliseconds(ms);
        self.update(Action::Tick(now));
    }

    /// Answers every pending request with `answer`, until none is left.
    pub fn answer_with(&mut self, mut answer: impl FnMut(&Request) -> Option<Response>) {
        for _ in 0..20 {
            let pending = std::mem::take(&mut self.pending);
            if pending.is_empty() {
                return;
            }
            for (ticket, request) in pending {
                self.performed.push(request.clone());
                // Left unanswered (None), the screen stays in its loading state.
                if let Some(response) = answer(&request) {
                    self.update(Action::Response(ticket, response));
                }
            }
        }
    }

    /// Performs every pending request against a real server, until none is left (and the
    /// debounces have fired).
    pub async fn settle(&mut self, client: &Client) {
        for _ in 0..30 {
            if self.pending.is_empty() {
                self.advance(400);
                if self.pending.is_empty() {
                    return;
                }
            }
            let pending = std::mem::take(&mut self.pending);
            for (ticket, request) in pending {
                self.performed.push(request.clone());
                // Io::SetToken and friends are applied by `settle_io` through the same client.
                let response = perform(client, request).await;
                let io = self.app.update(Action::Response(ticket, response));
                apply_io(client, &io);
                self.take(io);
            }
        }
    }

    pub fn screen(&self, width: u16, height: u16) -> String {
        draw(&self.app, width, height)
    }
}

fn apply_io(client: &Client, io: &[Io]) {
    for io in io {
        if let Io::SetToken(token) = io {
            client.set_token(token.clone());
        }
    }
}

/// The screen as text, one line per row, trailing spaces cut.
pub fn draw(app: &App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| crate::ui::render(app, frame))
        .unwrap();
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let mut line = String::new();
        for x in 0..buffer.area.width {
            line.push_str(buffer[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

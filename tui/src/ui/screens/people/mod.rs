//! People: search as you type (debounced; accents and case ignored by the server), results
//! paged in as the selection nears the end, only the visible rows drawn; and the memberships
//! expiring soon, with one key to renew.

mod keys;
mod view;

use chrono::{DateTime, Duration, Utc};
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

use crate::api::model::{Expiring, PersonRow};
use crate::api::{Payload, Request, Response};
use crate::i18n::Lang;
use crate::keymap::{Binding, Cmd};
use crate::ui::screen::{Ctx, Effect, Inflight, Mode, Screen, Ticket};
use crate::ui::screens::{card::Card, membership_form::MembershipForm, person_form::PersonForm};
use crate::ui::widgets::{TextField, describe};

pub const PAGE: i64 = 50;
/// How long typing must pause before the search goes out.
pub const DEBOUNCE_MS: i64 = 250;
pub const EXPIRING_DAYS: i64 = 30;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Pane {
    #[default]
    Results,
    Expiring,
}

#[derive(Default)]
pub struct People {
    pub search: TextField,
    pub typing: bool,
    typed_at: Option<DateTime<Utc>>,
    pub rows: Vec<PersonRow>,
    pub total: usize,
    has_next: bool,
    end_cursor: Option<String>,
    /// The first page of the current search has come back.
    pub loaded: bool,
    pub selected: usize,
    pub pane: Pane,
    pub expiring: Option<Vec<Expiring>>,
    pub expiring_selected: usize,
    pub error: Option<String>,
    /// The search the rows are for, and the one in flight.
    shown_query: Option<String>,
    asked_query: String,
    inflight: Inflight,
}

impl People {
    pub fn searching(&self) -> bool {
        self.inflight.busy("search") || self.typed_at.is_some()
    }

    fn search_now(&mut self) -> Vec<Effect> {
        self.typed_at = None;
        self.inflight.cancel("more");
        self.asked_query = self.search.trimmed().to_string();
        vec![self.inflight.issue(
            "search",
            Request::People {
                search: self.search.trimmed().to_string(),
                first: PAGE,
                after: None,
            },
        )]
    }

    fn load_expiring(&mut self) -> Vec<Effect> {
        vec![self.inflight.issue(
            "expiring",
            Request::Expiring {
                within_days: EXPIRING_DAYS,
            },
        )]
    }

    /// The next page once the selection is within a screenful of the end.
    fn maybe_more(&mut self) -> Vec<Effect> {
        if self.has_next && !self.inflight.busy("more") && self.selected + 30 >= self.rows.len() {
            return vec![self.inflight.issue(
                "more",
                Request::People {
                    search: self.search.trimmed().to_string(),
                    first: PAGE,
                    after: self.end_cursor.clone(),
                },
            )];
        }
        vec![]
    }

    fn move_by(&mut self, step: isize) -> Vec<Effect> {
        match self.pane {
            Pane::Results => {
                if self.rows.is_empty() {
                    return vec![];
                }
                self.selected =
                    (self.selected as isize + step).clamp(0, self.rows.len() as isize - 1) as usize;
                self.maybe_more()
            }
            Pane::Expiring => {
                let len = self.expiring.as_ref().map_or(0, Vec::len);
                if len > 0 {
                    self.expiring_selected = (self.expiring_selected as isize + step)
                        .clamp(0, len as isize - 1)
                        as usize;
                }
                vec![]
            }
        }
    }

    fn renew_selected(&self) -> Vec<Effect> {
        let Some(m) = self
            .expiring
            .as_ref()
            .and_then(|l| l.get(self.expiring_selected))
        else {
            return vec![];
        };
        vec![Effect::Push(Box::new(MembershipForm::renew(
            &m.id,
            &m.holder,
            m.person_id.as_deref(),
            &m.plan,
            m.ends_on,
        )))]
    }
}

impl Screen for People {
    fn name(&self) -> &'static str {
        "people"
    }

    fn title(&self, lang: Lang) -> String {
        lang.t("Personnes", "People").into()
    }

    fn inflight(&self) -> &Inflight {
        &self.inflight
    }

    fn mode(&self) -> Mode {
        if self.typing { Mode::Text } else { Mode::Nav }
    }

    fn bindings(&self, _ctx: &Ctx) -> Vec<&'static Binding> {
        if self.typing {
            return keys::TYPING.iter().collect();
        }
        let mut list = vec![
            &keys::SEARCH,
            &keys::SELECT,
            &keys::OPEN,
            &keys::NEW,
            &keys::PANE,
        ];
        if self.pane == Pane::Expiring {
            list.push(&keys::RENEW);
        }
        list.push(&keys::REFRESH);
        list
    }

    fn command(&mut self, cmd: Cmd, ctx: &Ctx) -> Vec<Effect> {
        if self.typing {
            match cmd {
                Cmd::Back => self.typing = false,
                Cmd::Submit => {
                    self.typing = false;
                    self.pane = Pane::Results;
                    if self.typed_at.is_some() {
                        return self.search_now();
                    }
                }
                _ => {}
            }
            return vec![];
        }
        match cmd {
            Cmd::Search => {
                self.typing = true;
                self.pane = Pane::Results;
            }
            Cmd::Up => return self.move_by(-1),
            Cmd::Down => return self.move_by(1),
            Cmd::PageUp => return self.move_by(-20),
            Cmd::PageDown => return self.move_by(20),
            Cmd::NextPane | Cmd::PrevPane => {
                self.pane = match self.pane {
                    Pane::Results => Pane::Expiring,
                    Pane::Expiring => Pane::Results,
                }
            }
            Cmd::Open => {
                let id = match self.pane {
                    Pane::Results => self.rows.get(self.selected).map(|p| p.id.clone()),
                    Pane::Expiring => self
                        .expiring
                        .as_ref()
                        .and_then(|l| l.get(self.expiring_selected))
                        .and_then(|m| m.person_id.clone()),
                };
                if let Some(id) = id {
                    return vec![Effect::Push(Box::new(Card::new(&id)))];
                }
            }
            Cmd::New => return vec![Effect::Push(Box::new(PersonForm::create(ctx.lang)))],
            Cmd::Renew if self.pane == Pane::Expiring => return self.renew_selected(),
            Cmd::Refresh => {
                let mut effects = self.search_now();
                effects.extend(self.load_expiring());
                return effects;
            }
            _ => {}
        }
        vec![]
    }

    fn text_key(&mut self, key: KeyEvent, ctx: &Ctx) -> Vec<Effect> {
        let before = self.search.value.clone();
        self.search.key(&key);
        if self.search.value != before {
            self.typed_at = Some(ctx.now);
        }
        vec![]
    }

    fn tick(&mut self, ctx: &Ctx) -> Vec<Effect> {
        if let Some(at) = self.typed_at
            && ctx.now - at >= Duration::milliseconds(DEBOUNCE_MS)
        {
            return self.search_now();
        }
        vec![]
    }

    fn response(&mut self, ticket: Ticket, response: Response, ctx: &Ctx) -> Vec<Effect> {
        if !self.inflight.accept(&ticket) {
            return vec![];
        }
        match (ticket.slot, response) {
            ("search", Ok(Payload::People(page))) => {
                self.rows = page.rows;
                self.total = page.total;
                self.has_next = page.has_next;
                self.end_cursor = page.end_cursor;
                // A refresh of the same search keeps the selection; a new search starts on top.
                if self.shown_query.as_deref() != Some(self.asked_query.as_str()) {
                    self.selected = 0;
                }
                self.selected = self.selected.min(self.rows.len().saturating_sub(1));
                self.shown_query = Some(self.asked_query.clone());
                self.loaded = true;
                self.error = None;
            }
            ("more", Ok(Payload::People(page))) => {
                self.rows.extend(page.rows);
                self.total = page.total;
                self.has_next = page.has_next;
                self.end_cursor = page.end_cursor;
                return self.maybe_more();
            }
            ("expiring", Ok(Payload::Expiring(list))) => {
                self.expiring_selected = self.expiring_selected.min(list.len().saturating_sub(1));
                self.expiring = Some(list);
            }
            (_, Err(err)) => self.error = Some(describe(ctx, &err)),
            _ => {}
        }
        vec![]
    }

    fn show(&mut self, _ctx: &Ctx) -> Vec<Effect> {
        let mut effects = self.search_now();
        effects.extend(self.load_expiring());
        effects
    }

    fn view(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        view::render(self, frame, area, ctx);
    }
}

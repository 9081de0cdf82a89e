//! Events: today's and the coming two weeks' events of the site with their counts (confirmed,
//! waitlisted, checked in, seats left); `Enter` opens the door's check-in for one of them.

mod keys;
pub mod view;

use chrono::Duration;
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::api::model::EventRow;
use crate::api::{Payload, Request, Response};
use crate::format;
use crate::i18n::Lang;
use crate::keymap::{Binding, Cmd};
use crate::live::Activity;
use crate::ui::screen::{Ctx, Effect, Inflight, Screen, Ticket, poll_due};
use crate::ui::screens::check_in::CheckIn;
use crate::ui::widgets::describe;

/// How far ahead the list looks.
pub const DAYS_AHEAD: i64 = 14;

#[derive(Default)]
pub struct Events {
    pub rows: Option<Vec<EventRow>>,
    /// The site the rows are for: another one shows loading.
    loaded_for: Option<String>,
    pub error: Option<String>,
    pub selected: usize,
    asked_at: Option<chrono::DateTime<chrono::Utc>>,
    inflight: Inflight,
}

/// Without live updates, the counts are read again this often.
pub const POLL_SECONDS: i64 = 30;

impl Events {
    fn load(&mut self, ctx: &Ctx) -> Vec<Effect> {
        let site = ctx.site_id();
        if self.loaded_for.as_ref() != Some(&site) {
            self.rows = None;
            self.selected = 0;
        }
        self.loaded_for = Some(site.clone());
        self.asked_at = Some(ctx.now);
        let today = ctx.today();
        let (from, _) = format::day_bounds(ctx.tz(), today);
        let (_, to) = format::day_bounds(ctx.tz(), today + Duration::days(DAYS_AHEAD));
        vec![self.inflight.issue(
            "events",
            Request::Events {
                site_id: site,
                from,
                to,
            },
        )]
    }

    pub fn selection(&self) -> Option<&EventRow> {
        self.rows.as_ref()?.get(self.selected)
    }

    fn move_selection(&mut self, step: isize) {
        let len = self.rows.as_ref().map_or(0, Vec::len);
        if len > 0 {
            self.selected = (self.selected as isize + step).clamp(0, len as isize - 1) as usize;
        }
    }
}

impl Screen for Events {
    fn name(&self) -> &'static str {
        "events"
    }

    fn title(&self, lang: Lang) -> String {
        lang.t("Événements", "Events").into()
    }

    fn inflight(&self) -> &Inflight {
        &self.inflight
    }

    fn bindings(&self, ctx: &Ctx) -> Vec<&'static Binding> {
        let mut list = vec![&keys::SELECT, &keys::OPEN];
        if ctx.several_sites() {
            list.push(&keys::SITE);
        }
        list.push(&keys::REFRESH);
        list
    }

    fn command(&mut self, cmd: Cmd, ctx: &Ctx) -> Vec<Effect> {
        match cmd {
            Cmd::Up => self.move_selection(-1),
            Cmd::Down => self.move_selection(1),
            Cmd::Refresh => return self.load(ctx),
            Cmd::NextSite => return vec![Effect::NextSite],
            Cmd::Open => {
                if let Some(e) = self.selection() {
                    return vec![Effect::Push(Box::new(CheckIn::new(e)))];
                }
            }
            _ => {}
        }
        vec![]
    }

    fn response(&mut self, ticket: Ticket, response: Response, ctx: &Ctx) -> Vec<Effect> {
        if !self.inflight.accept(&ticket) {
            return vec![];
        }
        match response {
            Ok(Payload::Events(mut rows)) => {
                rows.sort_by_key(|e| e.start);
                // The selection stays on the same event when the list refreshes.
                let keep = self.selection().map(|e| e.id.clone());
                self.selected = keep
                    .and_then(|id| rows.iter().position(|e| e.id == id))
                    .unwrap_or(self.selected);
                self.rows = Some(rows);
                self.error = None;
                self.move_selection(0);
            }
            Err(err) => self.error = Some(describe(ctx, &err)),
            _ => {}
        }
        vec![]
    }

    fn activity(&mut self, activity: &Activity, ctx: &Ctx) -> Vec<Effect> {
        if activity.event_id.is_some() {
            return self.load(ctx);
        }
        vec![]
    }

    fn tick(&mut self, ctx: &Ctx) -> Vec<Effect> {
        if !self.inflight.busy("events") && poll_due(ctx, self.asked_at, POLL_SECONDS) {
            return self.load(ctx);
        }
        vec![]
    }

    fn show(&mut self, ctx: &Ctx) -> Vec<Effect> {
        self.load(ctx)
    }

    fn view(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        view::render(self, frame, area, ctx);
    }
}

//! The week grid of one space: free, busy, pending and blocked hours, the current hour marked;
//! a free cell books, a busy one opens its booking; the next week is one key away.

mod grid;
mod keys;
mod view;

use chrono::{Duration, NaiveDate, Timelike};
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::api::model::{SpaceRow, WeekData};
use crate::api::{Payload, Request, Response};
use crate::format;
use crate::i18n::Lang;
use crate::keymap::{Binding, Cmd};
use crate::ui::screen::{Ctx, Effect, Inflight, Screen, Ticket};
use crate::ui::screens::{booking::BookingDetail, booking_form::BookingForm};
use crate::ui::widgets::describe;
pub use grid::Cell;

pub struct Bookings {
    pub spaces: Option<Vec<SpaceRow>>,
    spaces_site: Option<String>,
    pub space: usize,
    /// The Monday of the week shown; None: this week.
    pub week: Option<NaiveDate>,
    pub data: Option<WeekData>,
    loaded_for: Option<(String, NaiveDate)>,
    pub error: Option<String>,
    /// 0 = Monday.
    pub day: usize,
    pub hour: u32,
    inflight: Inflight,
}

impl Default for Bookings {
    fn default() -> Self {
        Self {
            spaces: None,
            spaces_site: None,
            space: 0,
            week: None,
            data: None,
            loaded_for: None,
            error: None,
            day: 0,
            hour: 9,
            inflight: Inflight::default(),
        }
    }
}

impl Bookings {
    pub fn monday(&self, ctx: &Ctx) -> NaiveDate {
        self.week.unwrap_or_else(|| format::monday_of(ctx.today()))
    }

    pub fn current_space(&self) -> Option<&SpaceRow> {
        self.spaces.as_ref()?.get(self.space)
    }

    pub fn cursor_day(&self, ctx: &Ctx) -> NaiveDate {
        self.monday(ctx) + Duration::days(self.day as i64)
    }

    /// What the cell under the cursor holds.
    pub fn cell_at(&self, ctx: &Ctx, day: usize, hour: u32) -> Cell<'_> {
        match &self.data {
            Some(data) => grid::cell(
                data,
                ctx.tz(),
                self.monday(ctx) + Duration::days(day as i64),
                hour,
            ),
            None => Cell::Unknown,
        }
    }

    fn load_spaces(&mut self, ctx: &Ctx) -> Vec<Effect> {
        self.spaces_site = Some(ctx.site_id());
        vec![self.inflight.issue(
            "spaces",
            Request::Spaces {
                site_id: ctx.site_id(),
            },
        )]
    }

    fn load_week(&mut self, ctx: &Ctx) -> Vec<Effect> {
        let Some(space_id) = self.current_space().map(|s| s.id.clone()) else {
            return vec![];
        };
        let monday = self.monday(ctx);
        let key = (space_id.clone(), monday);
        if self.loaded_for.as_ref() != Some(&key) {
            self.data = None;
        }
        self.loaded_for = Some(key);
        let tz = ctx.tz();
        let (from, _) = format::day_bounds(tz, monday);
        let (_, to) = format::day_bounds(tz, monday + Duration::days(6));
        vec![
            self.inflight
                .issue("week", Request::Week { space_id, from, to }),
        ]
    }

    fn reload(&mut self, ctx: &Ctx) -> Vec<Effect> {
        if self.spaces.is_none() || self.spaces_site.as_deref() != Some(&ctx.site_id()) {
            return self.load_spaces(ctx);
        }
        self.load_week(ctx)
    }

    fn open(&self, ctx: &Ctx) -> Vec<Effect> {
        let Some(space) = self.current_space() else {
            return vec![];
        };
        match self.cell_at(ctx, self.day, self.hour) {
            Cell::Booked(b) => vec![Effect::Push(Box::new(BookingDetail::new(&b.id)))],
            _ => vec![Effect::Push(Box::new(BookingForm::new_at(
                ctx,
                Some(space.id.clone()),
                self.cursor_day(ctx),
                Some(self.hour),
            )))],
        }
    }
}

impl Screen for Bookings {
    fn name(&self) -> &'static str {
        "bookings"
    }

    fn title(&self, lang: Lang) -> String {
        lang.t("Réservations", "Bookings").into()
    }

    fn inflight(&self) -> &Inflight {
        &self.inflight
    }

    fn bindings(&self, ctx: &Ctx) -> Vec<&'static Binding> {
        let mut list = vec![
            &keys::OPEN,
            &keys::MOVE,
            &keys::DAY,
            &keys::WEEK,
            &keys::SPACE,
            &keys::NEW,
            &keys::THIS_WEEK,
        ];
        if ctx.several_sites() {
            list.push(&keys::SITE);
        }
        list.push(&keys::REFRESH);
        list
    }

    fn command(&mut self, cmd: Cmd, ctx: &Ctx) -> Vec<Effect> {
        let spaces = self.spaces.as_ref().map_or(0, Vec::len);
        match cmd {
            Cmd::Up => self.hour = self.hour.saturating_sub(1),
            Cmd::Down => self.hour = (self.hour + 1).min(23),
            Cmd::PrevDay | Cmd::NextDay => {
                // Past Sunday (or before Monday) the cursor moves on to the next week.
                let step: i64 = if cmd == Cmd::NextDay { 1 } else { -1 };
                let next = self.day as i64 + step;
                if (0..7).contains(&next) {
                    self.day = next as usize;
                } else {
                    self.day = next.rem_euclid(7) as usize;
                    self.week = Some(self.monday(ctx) + Duration::days(7 * step));
                    return self.load_week(ctx);
                }
            }
            Cmd::Left | Cmd::Right => {
                let step = if cmd == Cmd::Right { 7 } else { -7 };
                self.week = Some(self.monday(ctx) + Duration::days(step));
                return self.load_week(ctx);
            }
            Cmd::Today => {
                self.week = None;
                let now = ctx.now.with_timezone(&ctx.tz());
                self.day = (ctx.today() - self.monday(ctx)).num_days().clamp(0, 6) as usize;
                self.hour = now.hour();
                return self.load_week(ctx);
            }
            Cmd::NextPane | Cmd::PrevPane if spaces > 0 => {
                self.space = if cmd == Cmd::NextPane {
                    (self.space + 1) % spaces
                } else {
                    (self.space + spaces - 1) % spaces
                };
                return self.load_week(ctx);
            }
            Cmd::Open => return self.open(ctx),
            Cmd::New => {
                let space = self.current_space().map(|s| s.id.clone());
                let form = BookingForm::new_at(ctx, space, self.cursor_day(ctx), Some(self.hour));
                return vec![Effect::Push(Box::new(form))];
            }
            Cmd::Refresh => return self.reload(ctx),
            Cmd::NextSite => return vec![Effect::NextSite],
            _ => {}
        }
        vec![]
    }

    fn response(&mut self, ticket: Ticket, response: Response, ctx: &Ctx) -> Vec<Effect> {
        if !self.inflight.accept(&ticket) {
            return vec![];
        }
        match response {
            Ok(Payload::Spaces(spaces)) => {
                self.space = self.space.min(spaces.len().saturating_sub(1));
                self.spaces = Some(spaces);
                self.error = None;
                return self.load_week(ctx);
            }
            Ok(Payload::Week(data)) => {
                self.data = Some(data);
                self.error = None;
            }
            Err(err) => self.error = Some(describe(ctx, &err)),
            _ => {}
        }
        vec![]
    }

    fn activity(&mut self, activity: &crate::live::Activity, ctx: &Ctx) -> Vec<Effect> {
        // Another desk booked, approved or cancelled: this week may have changed.
        if activity.about_bookings() {
            return self.load_week(ctx);
        }
        vec![]
    }

    fn show(&mut self, ctx: &Ctx) -> Vec<Effect> {
        if self.week.is_none() && self.loaded_for.is_none() {
            // First time: the cursor on today, at the current hour (or 9:00 before it).
            self.day = (ctx.today() - self.monday(ctx)).num_days().clamp(0, 6) as usize;
            self.hour = ctx.now.with_timezone(&ctx.tz()).hour().clamp(8, 21);
        }
        self.reload(ctx)
    }

    fn view(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        view::render(self, frame, area, ctx);
    }
}

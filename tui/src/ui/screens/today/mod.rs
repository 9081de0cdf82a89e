//! Today at this site: the day's bookings by hour and space, who is expected, what waits for
//! approval (a MANAGER approves from here), which spaces are free right now.

mod keys;
mod view;

use chrono::{Duration, NaiveDate};
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::api::model::{BookingRow, BookingStatus, DayData};
use crate::api::{Payload, Request, Response};
use crate::format;
use crate::i18n::Lang;
use crate::keymap::{Answer, Binding, Cmd};
use crate::live::Activity;
use crate::ui::screen::{Ctx, Effect, Inflight, Screen, Ticket, poll_due};
use crate::ui::screens::{booking::BookingDetail, booking_form::BookingForm};
use crate::ui::widgets::describe;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Pane {
    #[default]
    Day,
    Pending,
}

#[derive(Default)]
pub struct Today {
    /// None: today (follows the clock past midnight).
    pub day: Option<NaiveDate>,
    pub data: Option<DayData>,
    /// What the data is for (site, day): a reload for another one shows loading.
    loaded_for: Option<(String, NaiveDate)>,
    pub error: Option<String>,
    pub pane: Pane,
    pub selected: usize,
    pub pending_selected: usize,
    /// When the day was last asked for (polling while live updates are down).
    asked_at: Option<chrono::DateTime<chrono::Utc>>,
    inflight: Inflight,
}

/// Without live updates, the day is read again this often.
pub const POLL_SECONDS: i64 = 30;

impl Today {
    pub fn day(&self, ctx: &Ctx) -> NaiveDate {
        self.day.unwrap_or_else(|| ctx.today())
    }

    pub fn loading(&self) -> bool {
        self.inflight.busy("day")
    }

    fn load(&mut self, ctx: &Ctx) -> Vec<Effect> {
        let day = self.day(ctx);
        let key = (ctx.site_id(), day);
        if self.loaded_for.as_ref() != Some(&key) {
            self.data = None;
            self.selected = 0;
        }
        self.loaded_for = Some(key);
        self.asked_at = Some(ctx.now);
        let (from, to) = format::day_bounds(ctx.tz(), day);
        vec![self.inflight.issue(
            "day",
            Request::Day {
                site_id: ctx.site_id(),
                from,
                to,
                now: ctx.now,
            },
        )]
    }

    /// The day's bookings that hold a slot, by start.
    pub fn day_bookings(&self) -> Vec<&BookingRow> {
        let mut list: Vec<&BookingRow> = self
            .data
            .iter()
            .flat_map(|d| d.bookings.iter())
            .filter(|b| b.status != BookingStatus::Cancelled)
            .collect();
        list.sort_by_key(|b| (b.start, b.space_name.clone()));
        list
    }

    fn selection(&self) -> Option<&BookingRow> {
        match self.pane {
            Pane::Day => self.day_bookings().get(self.selected).copied(),
            Pane::Pending => self.data.as_ref()?.pending.get(self.pending_selected),
        }
    }

    fn len(&self) -> usize {
        match self.pane {
            Pane::Day => self.day_bookings().len(),
            Pane::Pending => self.data.as_ref().map_or(0, |d| d.pending.len()),
        }
    }

    fn move_selection(&mut self, step: isize) {
        let len = self.len();
        if len == 0 {
            return;
        }
        let sel = match self.pane {
            Pane::Day => &mut self.selected,
            Pane::Pending => &mut self.pending_selected,
        };
        *sel = (*sel as isize + step).clamp(0, len as isize - 1) as usize;
    }
}

impl Screen for Today {
    fn name(&self) -> &'static str {
        "today"
    }

    fn title(&self, lang: Lang) -> String {
        lang.t("Aujourd'hui", "Today").into()
    }

    fn inflight(&self) -> &Inflight {
        &self.inflight
    }

    fn bindings(&self, ctx: &Ctx) -> Vec<&'static Binding> {
        let mut list = vec![&keys::SELECT, &keys::OPEN];
        if ctx.is_manager()
            && self
                .selection()
                .is_some_and(|b| b.status == BookingStatus::Pending)
        {
            list.push(&keys::APPROVE);
        }
        list.extend([&keys::DAY, &keys::NEW]);
        if ctx.several_sites() {
            list.push(&keys::SITE);
        }
        list.extend([&keys::PANE, &keys::TODAY, &keys::REFRESH, &keys::SIGN_OUT]);
        list
    }

    fn command(&mut self, cmd: Cmd, ctx: &Ctx) -> Vec<Effect> {
        match cmd {
            Cmd::Up => self.move_selection(-1),
            Cmd::Down => self.move_selection(1),
            Cmd::NextPane | Cmd::PrevPane => {
                self.pane = match self.pane {
                    Pane::Day => Pane::Pending,
                    Pane::Pending => Pane::Day,
                }
            }
            Cmd::PrevDay | Cmd::NextDay => {
                let step = if cmd == Cmd::NextDay { 1 } else { -1 };
                self.day = Some(self.day(ctx) + Duration::days(step));
                return self.load(ctx);
            }
            Cmd::Today => {
                self.day = None;
                return self.load(ctx);
            }
            Cmd::Refresh => return self.load(ctx),
            Cmd::Open => {
                if let Some(b) = self.selection() {
                    return vec![Effect::Push(Box::new(BookingDetail::new(&b.id)))];
                }
            }
            Cmd::New => {
                let day = self.day(ctx);
                let space = self
                    .data
                    .as_ref()
                    .and_then(|d| d.spaces.first())
                    .map(|s| s.id.clone());
                return vec![Effect::Push(Box::new(BookingForm::new_at(
                    ctx, space, day, None,
                )))];
            }
            Cmd::ConfirmBooking => {
                if let Some(b) = self.selection()
                    && ctx.is_manager()
                    && b.status == BookingStatus::Pending
                {
                    return vec![Effect::Ask {
                        question: format!(
                            "{} {} ({}, {} {}){}",
                            ctx.t("Valider la réservation", "Approve the booking"),
                            ctx.lang.quoted(&b.title),
                            b.space_name,
                            format::short_day(ctx.lang, format::local_day(ctx.tz(), b.start)),
                            format::range(ctx.tz(), b.start, b.end),
                            ctx.t(" ?", "?")
                        ),
                        answer: Answer::ConfirmBooking,
                    }];
                }
            }
            Cmd::Yes(Answer::ConfirmBooking) => {
                if let Some(b) = self.selection() {
                    let id = b.id.clone();
                    return vec![
                        self.inflight
                            .issue("confirm", Request::ConfirmBooking { id }),
                    ];
                }
            }
            Cmd::NextSite => return vec![Effect::NextSite],
            Cmd::SignOut => return vec![Effect::SignOut],
            _ => {}
        }
        vec![]
    }

    fn response(&mut self, ticket: Ticket, response: Response, ctx: &Ctx) -> Vec<Effect> {
        if !self.inflight.accept(&ticket) {
            return vec![];
        }
        match (ticket.slot, response) {
            ("day", Ok(Payload::Day(data))) => {
                self.data = Some(data);
                self.error = None;
                self.move_selection(0);
            }
            ("confirm", Ok(_)) => {
                let mut effects = vec![Effect::Toast(
                    ctx.t("Réservation validée.", "Booking approved.").into(),
                )];
                effects.extend(self.load(ctx));
                return effects;
            }
            (_, Err(err)) => self.error = Some(describe(ctx, &err)),
            _ => {}
        }
        vec![]
    }

    fn activity(&mut self, activity: &Activity, ctx: &Ctx) -> Vec<Effect> {
        // A booking made, approved or cancelled at another desk (a read in flight may predate
        // it: a new one replaces it).
        if activity.about_bookings() {
            return self.load(ctx);
        }
        vec![]
    }

    fn tick(&mut self, ctx: &Ctx) -> Vec<Effect> {
        if !self.loading() && poll_due(ctx, self.asked_at, POLL_SECONDS) {
            return self.load(ctx);
        }
        // Past midnight "today" is a new day: follow it.
        if self.day.is_none()
            && let Some((_, day)) = &self.loaded_for
            && *day != ctx.today()
            && !self.loading()
        {
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

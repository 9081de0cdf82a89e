//! Hours: "log my hours" in a few keystrokes, my entries and totals this month and this
//! year. Staff see everyone's entries of the month, log for someone else and correct or
//! delete any entry; a volunteer corrects their own.

mod keys;
mod view;

use chrono::{Datelike, NaiveDate};
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::api::model::{HoursData, HoursEntry};
use crate::api::{Payload, Request, Response};
use crate::i18n::Lang;
use crate::keymap::{Answer, Binding, Cmd};
use crate::ui::screen::{Ctx, Effect, Inflight, Screen, Ticket};
use crate::ui::screens::hours_form::HoursForm;
use crate::ui::widgets::describe;

/// The API's activities, in its order, as the screens name them.
pub const ACTIVITIES: [(&str, &str, &str); 8] = [
    ("FRONT_DESK", "Accueil", "Front desk"),
    ("EVENTS", "Événements", "Events"),
    ("MAINTENANCE", "Entretien", "Maintenance"),
    ("GARDEN", "Jardin", "Garden"),
    ("CAFE", "Café", "Café"),
    ("ADMIN", "Administration", "Admin"),
    ("COMMUNICATION", "Communication", "Communication"),
    ("OTHER", "Autre", "Other"),
];

pub fn activity_label(lang: Lang, api: &str) -> &'static str {
    ACTIVITIES
        .iter()
        .find(|(name, _, _)| *name == api)
        .map_or("?", |(_, fr, en)| lang.t(fr, en))
}

#[derive(Default)]
pub struct Hours {
    pub data: Option<HoursData>,
    pub error: Option<String>,
    pub selected: usize,
    /// Staff: their own hours (their account is linked to a person) instead of the team's.
    pub mine: bool,
    /// The entry a delete question is about (the list may reload meanwhile).
    deleting: Option<String>,
    inflight: Inflight,
}

/// (first day of the month, first day of the year) of `day`.
pub fn periods(day: NaiveDate) -> (NaiveDate, NaiveDate) {
    (
        day.with_day(1).expect("the 1st exists"),
        day.with_ordinal(1).expect("the 1st of January exists"),
    )
}

impl Hours {
    fn load(&mut self, ctx: &Ctx) -> Vec<Effect> {
        let today = ctx.today();
        let (month_from, year_from) = periods(today);
        // A volunteer reads their own year; staff the whole team's month, or their own year.
        let volunteer = !ctx.is_manager();
        let me = self
            .data
            .as_ref()
            .and_then(|d| d.me.as_ref())
            .map(|m| m.id.clone());
        let person_id = if self.mine && !volunteer { me } else { None };
        let from = if volunteer || person_id.is_some() {
            year_from
        } else {
            month_from
        };
        vec![self.inflight.issue(
            "hours",
            Request::Hours {
                from,
                to: today,
                month_from,
                year_from,
                volunteer,
                person_id,
            },
        )]
    }

    /// The entries, the latest first.
    pub fn entries(&self) -> Vec<&HoursEntry> {
        let mut list: Vec<&HoursEntry> = self.data.iter().flat_map(|d| &d.entries).collect();
        list.sort_by_key(|e| std::cmp::Reverse(e.date));
        list
    }

    fn selection(&self) -> Option<&HoursEntry> {
        self.entries().get(self.selected).copied()
    }

    /// Whose hours are listed: one person's (a volunteer, or staff on their own).
    pub fn own(&self, ctx: &Ctx) -> bool {
        !ctx.is_manager() || self.mine
    }

    /// A volunteer whose account is linked to no person has no hours of their own.
    pub fn unlinked(&self, ctx: &Ctx) -> bool {
        !ctx.is_manager() && self.data.as_ref().is_some_and(|d| d.me.is_none())
    }

    fn move_selection(&mut self, step: isize) {
        let len = self.entries().len();
        self.selected = if len == 0 {
            0
        } else {
            (self.selected as isize + step).clamp(0, len as isize - 1) as usize
        };
    }
}

impl Screen for Hours {
    fn name(&self) -> &'static str {
        "hours"
    }

    fn title(&self, lang: Lang) -> String {
        lang.t("Heures", "Hours").into()
    }

    fn inflight(&self) -> &Inflight {
        &self.inflight
    }

    fn bindings(&self, ctx: &Ctx) -> Vec<&'static Binding> {
        let mut list = vec![&keys::SELECT];
        if self.data.is_some() && !self.unlinked(ctx) {
            list.push(&keys::LOG);
        }
        if ctx.is_manager() && self.data.as_ref().is_some_and(|d| d.me.is_some()) {
            list.push(&keys::MINE);
        }
        if self.selection().is_some() {
            list.extend([&keys::EDIT, &keys::DELETE]);
        }
        list.push(&keys::REFRESH);
        list
    }

    fn command(&mut self, cmd: Cmd, ctx: &Ctx) -> Vec<Effect> {
        match cmd {
            Cmd::Up => self.move_selection(-1),
            Cmd::Down => self.move_selection(1),
            Cmd::Refresh => return self.load(ctx),
            Cmd::ToggleFilter
                if ctx.is_manager() && self.data.as_ref().is_some_and(|d| d.me.is_some()) =>
            {
                self.mine = !self.mine;
                self.selected = 0;
                return self.load(ctx);
            }
            // Not before the list is read: whose hours they are comes with it.
            Cmd::New if self.data.is_some() && !self.unlinked(ctx) => {
                let me = self.data.as_ref().and_then(|d| d.me.clone());
                return vec![Effect::Push(Box::new(HoursForm::log(ctx, me)))];
            }
            Cmd::Edit => {
                if let Some(entry) = self.selection() {
                    return vec![Effect::Push(Box::new(HoursForm::correct(ctx, entry)))];
                }
            }
            Cmd::Delete => {
                if let Some(e) = self.selection() {
                    let question = format!(
                        "{} {} ({}, {}){}",
                        ctx.t("Supprimer les heures de", "Delete the hours of"),
                        e.person.name,
                        crate::format::hours(ctx.lang, e.hours),
                        crate::format::short_day(ctx.lang, e.date),
                        ctx.t(" ?", "?")
                    );
                    self.deleting = Some(e.id.clone());
                    return vec![Effect::Ask {
                        question,
                        answer: Answer::DeleteEntry,
                    }];
                }
            }
            Cmd::Yes(Answer::DeleteEntry) => {
                if let Some(id) = self.deleting.take() {
                    return vec![self.inflight.issue("delete", Request::DeleteEntry { id })];
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
        match (ticket.slot, response) {
            ("hours", Ok(Payload::Hours(data))) => {
                self.data = Some(data);
                self.error = None;
                self.move_selection(0);
            }
            ("delete", Ok(_)) => {
                let mut effects = vec![Effect::Toast(
                    ctx.t("Heures supprimées.", "Hours deleted.").into(),
                )];
                effects.extend(self.load(ctx));
                return effects;
            }
            (_, Err(err)) => self.error = Some(describe(ctx, &err)),
            _ => {}
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

//! The door of one event: search a registration as you type (name, email, or its code typed
//! or read by a USB scanner that types like a keyboard), check in with one key, undo a
//! mistake, see who has not come yet, a walk-in in a few keystrokes, cancel a registration
//! and see who the waitlist let in. The counts follow the other desks (live, else polled).

mod keys;
mod search;
mod view;

use chrono::{DateTime, Duration, Utc};
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

use crate::api::model::{EventDesk, EventRow, RegistrationRow, RegistrationStatus};
use crate::api::{ApiError, Payload, Request, Response};
use crate::format;
use crate::i18n::Lang;
use crate::keymap::{Answer, Binding, Cmd};
use crate::live::Activity;
use crate::ui::screen::{Ctx, Effect, Inflight, Mode, Screen, Ticket, poll_due};
use crate::ui::screens::door_form::{DoorForm, seats};
use crate::ui::widgets::{TextField, describe};
pub use search::code_of;

/// Without live updates, the counts are read again this often.
pub const POLL_SECONDS: i64 = 10;
/// A registration code: 8 letters and digits (spaces and dashes do not count).
const CODE_LEN: usize = 8;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Done,
    Warning,
    Error,
}

/// What was asked at the door, to word the answer.
struct Asked {
    /// The registration's name and whether it showed as checked in when asked.
    known: Option<(String, bool)>,
    /// What was typed or scanned (the field is cleared for the next one at once).
    typed: String,
    sent_at: DateTime<Utc>,
}

pub struct CheckIn {
    pub event_id: String,
    /// Known from the list before the event loads.
    pub title: String,
    pub desk: Option<EventDesk>,
    pub error: Option<String>,
    pub search: TextField,
    pub typing: bool,
    pub only_absent: bool,
    pub selected: usize,
    /// The door's last answer, in words.
    pub result: Option<(String, Tone)>,
    asked: Option<Asked>,
    /// Scanned while a check-in was in flight: sent, in order, once it lands.
    queued: std::collections::VecDeque<String>,
    /// The registration a cancel question is about (the list may reload meanwhile).
    cancelling: Option<String>,
    /// The statuses before a cancellation: who the waitlist let in is told after it.
    before_cancel: Option<Vec<(String, RegistrationStatus)>>,
    loaded_at: Option<DateTime<Utc>>,
    inflight: Inflight,
}

impl CheckIn {
    pub fn new(event: &EventRow) -> Self {
        Self::for_event(&event.id, &event.title)
    }

    pub fn for_event(id: &str, title: &str) -> Self {
        Self {
            event_id: id.into(),
            title: title.into(),
            desk: None,
            error: None,
            search: TextField::default(),
            // Ready for a scanner as soon as it opens.
            typing: true,
            only_absent: false,
            selected: 0,
            result: None,
            asked: None,
            queued: Default::default(),
            cancelling: None,
            before_cancel: None,
            loaded_at: None,
            inflight: Inflight::default(),
        }
    }

    pub fn event(&self) -> Option<&EventRow> {
        self.desk.as_ref()?.event.as_ref()
    }

    fn load(&mut self, ctx: &Ctx) -> Vec<Effect> {
        self.loaded_at = Some(ctx.now);
        vec![self.inflight.issue(
            "desk",
            Request::EventDesk {
                event_id: self.event_id.clone(),
            },
        )]
    }

    /// Something changed at this event (another desk, the subscription): read it again. A
    /// read in flight may have been served before the change: a new one replaces it.
    pub fn refresh(&mut self, ctx: &Ctx) -> Vec<Effect> {
        self.load(ctx)
    }

    /// `Enter` at the door: the registration whose code was typed or scanned, else the
    /// selected one; a code the list does not know yet is still asked of the server.
    fn door(&mut self, ctx: &Ctx) -> Vec<Effect> {
        if self.inflight.busy("door") {
            // A scanner faster than the network: the next code waits its turn.
            if !self.search.trimmed().is_empty() {
                self.queued.push_back(self.search.trimmed().to_string());
                self.search.set("");
            }
            return vec![];
        }
        let code = code_of(self.search.trimmed());
        let by_code = self
            .find(|r| code_of(&r.code) == code && r.status != RegistrationStatus::Cancelled)
            .cloned();
        // In the search field, Enter on nothing typed checks nobody in (a scanner's stray
        // Enter must not let the first row in); outside it, Enter is the selected row's.
        let target = match by_code {
            Some(r) => Some(r),
            None if self.typing && self.search.trimmed().is_empty() => None,
            None => self.selection().cloned(),
        };
        let request = match &target {
            Some(r) => Request::CheckIn {
                registration_id: r.id.clone(),
            },
            None if code.len() == CODE_LEN && !self.search.trimmed().contains(' ') => {
                Request::CheckInByCode {
                    event_id: self.event_id.clone(),
                    code,
                }
            }
            None => {
                self.result = Some((
                    if self.search.trimmed().is_empty() {
                        ctx.t(
                            "Personne à pointer : tapez un nom ou scannez un code.",
                            "Nobody to check in: type a name or scan a code.",
                        )
                        .to_string()
                    } else {
                        format!(
                            "{} {} {}",
                            ctx.t("Personne ne correspond à", "Nobody matches"),
                            ctx.lang.quoted(self.search.trimmed()),
                            ctx.t(
                                "— Échap puis n : accueil sur place.",
                                "— Esc then n: walk-in."
                            )
                        )
                    },
                    Tone::Warning,
                ));
                return vec![];
            }
        };
        self.asked = Some(Asked {
            known: target.map(|r| (r.name.clone(), r.checked_in_at.is_some())),
            typed: self.search.trimmed().to_string(),
            sent_at: ctx.now,
        });
        // Ready for the next scan while this one is on its way.
        self.search.set("");
        vec![self.inflight.issue("door", request)]
    }

    /// The next scan that waited for the previous check-in, if any.
    fn next_in_queue(&mut self, ctx: &Ctx) -> Vec<Effect> {
        match self.queued.pop_front() {
            Some(typed) => {
                self.search.set(typed);
                self.door(ctx)
            }
            None => vec![],
        }
    }

    fn undo(&mut self, ctx: &Ctx) -> Vec<Effect> {
        let Some(r) = self.selection() else {
            return vec![];
        };
        if r.checked_in_at.is_none() {
            self.result = Some((
                format!(
                    "{} {}",
                    r.name,
                    ctx.t(
                        "n'est pas pointé·e : rien à annuler.",
                        "is not checked in: nothing to undo."
                    )
                ),
                Tone::Warning,
            ));
            return vec![];
        }
        let id = r.id.clone();
        vec![self.inflight.issue(
            "undo",
            Request::UndoCheckIn {
                registration_id: id,
            },
        )]
    }

    fn ask_cancel(&mut self, ctx: &Ctx) -> Vec<Effect> {
        let Some(r) = self.selection() else {
            return vec![];
        };
        let who = format!("{} ({})", r.name, seats(ctx, r.seats));
        let (paid, id) = (r.paid, r.id.clone());
        self.cancelling = Some(id);
        if paid {
            return vec![Effect::Choose {
                question: format!(
                    "{} {who}{}",
                    ctx.t("Annuler l'inscription payée de", "Cancel the paid registration of"),
                    ctx.t(" ? Rembourser ?", "? Refund it?")
                ),
                keys: ctx
                    .t(
                        "o : annuler et rembourser · n : annuler et garder le paiement · Échap : ne rien faire",
                        "y: cancel and refund · n: cancel and keep the payment · Esc: do nothing",
                    )
                    .into(),
                yes: Answer::CancelRegistrationAndRefund,
                no: Answer::CancelRegistrationKeepPayment,
            }];
        }
        vec![Effect::Ask {
            question: format!(
                "{} {who}{}",
                ctx.t("Annuler l'inscription de", "Cancel the registration of"),
                ctx.t(" ?", "?")
            ),
            answer: Answer::CancelRegistration,
        }]
    }

    fn cancel(&mut self, refund: Option<bool>) -> Vec<Effect> {
        // The one the question named, wherever the list has moved since.
        let Some(id) = self.cancelling.take() else {
            return vec![];
        };
        // An earlier read of the list must not be taken for the state after the cancel.
        self.inflight.cancel("desk");
        self.before_cancel = self.desk.as_ref().map(|d| {
            d.registrations
                .iter()
                .map(|r| (r.id.clone(), r.status))
                .collect()
        });
        vec![
            self.inflight
                .issue("cancel", Request::CancelRegistration { id, refund }),
        ]
    }

    fn checked_in(&mut self, r: RegistrationRow, ctx: &Ctx) {
        let tz = ctx.tz();
        let asked = self.asked.take();
        let Some(at) = r.checked_in_at else {
            return;
        };
        // The server answers a repeated check-in with the first time: the list says whether
        // it was already in; for a code the list did not know, that time is clearly before
        // this scan (the terminal's clock against the server's: a margin).
        let already = match &asked {
            Some(Asked {
                known: Some((_, was_in)),
                ..
            }) => *was_in,
            Some(Asked { sent_at, .. }) => at < *sent_at - Duration::seconds(30),
            None => false,
        };
        let seats = if r.seats > 1 {
            format!(" ({})", seats(ctx, r.seats))
        } else {
            String::new()
        };
        self.result = Some(if already {
            (
                format!(
                    "{}{seats}{} {} {}",
                    r.name,
                    ctx.t(" :", ":"),
                    ctx.t("déjà pointé·e à", "already checked in at"),
                    format::time(tz, at)
                ),
                Tone::Warning,
            )
        } else {
            (
                format!(
                    "✓ {}{seats} — {} {}",
                    r.name,
                    ctx.t("arrivé·e à", "checked in at"),
                    format::time(tz, at)
                ),
                Tone::Done,
            )
        });
        let id = r.id.clone();
        self.replace(r);
        // The one just let in stays selected: `u` undoes a mistake at once.
        self.selected = self.visible().iter().position(|x| x.id == id).unwrap_or(0);
    }

    /// A registration as a write left it, in place until the event is read again.
    fn replace(&mut self, r: RegistrationRow) {
        if let Some(desk) = &mut self.desk {
            match desk.registrations.iter_mut().find(|x| x.id == r.id) {
                Some(old) => *old = r,
                None => desk.registrations.push(r),
            }
        }
    }

    /// Who the waitlist let in since `before`.
    fn promoted(&self, before: &[(String, RegistrationStatus)]) -> Vec<String> {
        self.desk
            .iter()
            .flat_map(|d| d.registrations.iter())
            .filter(|r| r.status == RegistrationStatus::Confirmed)
            .filter(|r| {
                before
                    .iter()
                    .any(|(id, s)| *id == r.id && *s == RegistrationStatus::Waitlisted)
            })
            .map(|r| format!("{} ({})", r.name, r.seats))
            .collect()
    }
}

impl Screen for CheckIn {
    fn name(&self) -> &'static str {
        "check_in"
    }

    fn title(&self, lang: Lang) -> String {
        format!("{} — {}", lang.t("Accueil", "Check-in"), self.title)
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
        let mut list = vec![&keys::SEARCH, &keys::SELECT, &keys::CHECK_IN];
        if self.selection().is_some_and(|r| r.checked_in_at.is_some()) {
            list.push(&keys::UNDO);
        }
        list.extend([&keys::WALK_IN, &keys::REGISTER]);
        if self.selection().is_some() {
            list.push(&keys::CANCEL);
        }
        list.extend([&keys::FILTER, &keys::REFRESH, &keys::BACK]);
        list
    }

    fn command(&mut self, cmd: Cmd, ctx: &Ctx) -> Vec<Effect> {
        match cmd {
            Cmd::Back if self.typing => self.typing = false,
            Cmd::Back => return vec![Effect::Pop],
            Cmd::Search => self.typing = true,
            Cmd::Up => self.move_selection(-1),
            Cmd::Down => self.move_selection(1),
            Cmd::CheckIn => return self.door(ctx),
            Cmd::UndoCheckIn => return self.undo(ctx),
            Cmd::ToggleFilter => {
                self.only_absent = !self.only_absent;
                self.move_selection(0);
            }
            Cmd::Refresh => return self.load(ctx),
            Cmd::New | Cmd::Register => {
                let full = self.event().is_some_and(EventRow::full);
                let name = self.search.trimmed().to_string();
                let form = if cmd == Cmd::New {
                    DoorForm::walk_in(&self.event_id, &self.title, full, &name)
                } else {
                    DoorForm::register(&self.event_id, &self.title, full, &name)
                };
                return vec![Effect::Push(Box::new(form))];
            }
            Cmd::CancelRegistration => return self.ask_cancel(ctx),
            Cmd::Yes(Answer::CancelRegistration) => return self.cancel(None),
            Cmd::Yes(Answer::CancelRegistrationAndRefund) => return self.cancel(Some(true)),
            Cmd::Yes(Answer::CancelRegistrationKeepPayment) => return self.cancel(Some(false)),
            _ => {}
        }
        vec![]
    }

    fn text_key(&mut self, key: KeyEvent, _ctx: &Ctx) -> Vec<Effect> {
        let before = self.search.value.clone();
        self.search.key(&key);
        if self.search.value != before {
            self.selected = 0;
        }
        vec![]
    }

    fn response(&mut self, ticket: Ticket, response: Response, ctx: &Ctx) -> Vec<Effect> {
        if !self.inflight.accept(&ticket) {
            return vec![];
        }
        match (ticket.slot, response) {
            ("desk", Ok(Payload::EventDesk(desk))) => {
                if let Some(event) = &desk.event {
                    self.title = event.title.clone();
                }
                let missing = desk.event.is_none();
                self.desk = Some(desk);
                self.error = missing.then(|| {
                    ctx.t(
                        "Cet événement n'existe plus (supprimé ?). Échap : retour à la liste.",
                        "This event no longer exists (deleted?). Esc: back to the list.",
                    )
                    .to_string()
                });
                self.move_selection(0);
                if let Some(before) = self.before_cancel.take() {
                    let promoted = self.promoted(&before);
                    let text = if promoted.is_empty() {
                        ctx.t("Inscription annulée.", "Registration cancelled.")
                            .to_string()
                    } else {
                        format!(
                            "{} {}",
                            ctx.t(
                                "Inscription annulée. Quitte la liste d'attente :",
                                "Registration cancelled. Let in from the waitlist:"
                            ),
                            promoted.join(", ")
                        )
                    };
                    self.result = Some((text, Tone::Done));
                }
            }
            ("door", Ok(Payload::Registration(r))) => {
                self.checked_in(r, ctx);
                let mut effects = self.refresh(ctx);
                effects.extend(self.next_in_queue(ctx));
                return effects;
            }
            ("undo", Ok(Payload::Registration(r))) => {
                self.result = Some((
                    format!(
                        "{} {}",
                        ctx.t("Arrivée annulée :", "Check-in undone:"),
                        r.name
                    ),
                    Tone::Done,
                ));
                self.replace(r);
                return self.refresh(ctx);
            }
            ("cancel", Ok(Payload::Registration(r))) => {
                self.replace(r);
                return self.load(ctx);
            }
            ("door", Err(ApiError::Refused { code, .. })) if code == "NOT_FOUND" => {
                let typed = self.asked.take().map(|a| a.typed).unwrap_or_default();
                self.result = Some((
                    format!(
                        "{} {} {}",
                        ctx.t(
                            "Code inconnu pour cet événement :",
                            "Unknown code for this event:"
                        ),
                        ctx.lang.quoted(&typed),
                        ctx.t("— vérifiez l'événement.", "— check the event.")
                    ),
                    Tone::Error,
                ));
                return self.next_in_queue(ctx);
            }
            ("desk", Err(err)) => self.error = Some(describe(ctx, &err)),
            (slot, Err(err)) => {
                // What was typed comes back to the field (nothing went through).
                if let Some(asked) = self.asked.take()
                    && self.search.trimmed().is_empty()
                {
                    self.search.set(asked.typed);
                }
                self.before_cancel = None;
                self.result = Some((describe(ctx, &err), Tone::Error));
                if slot == "door" {
                    return self.next_in_queue(ctx);
                }
            }
            _ => {}
        }
        vec![]
    }

    fn tick(&mut self, ctx: &Ctx) -> Vec<Effect> {
        // Polling when live updates do not reach this screen (and a slow one when they do).
        if poll_due(ctx, self.loaded_at, POLL_SECONDS) {
            return self.refresh(ctx);
        }
        vec![]
    }

    fn activity(&mut self, activity: &Activity, ctx: &Ctx) -> Vec<Effect> {
        // Another desk checked someone in, or registered, or cancelled: this event's counts.
        if activity.event_id.as_deref() == Some(self.event_id.as_str()) {
            return self.refresh(ctx);
        }
        vec![]
    }

    fn show(&mut self, ctx: &Ctx) -> Vec<Effect> {
        self.load(ctx)
    }

    fn has_input(&self) -> bool {
        false
    }

    fn view(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        view::render(self, frame, area, ctx);
    }
}

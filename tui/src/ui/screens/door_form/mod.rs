//! Someone at the door: a walk-in (checked in at once) or a registration (confirmed, else
//! waitlisted) in a few keystrokes — name, optional email, seats. Typing a name suggests the
//! people already in the records (`↑/↓`, `Enter` picks one: the registration is theirs).
//! A full event offers its waitlist instead. Offline, nothing typed is lost.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::{Color, Stylize};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::api::model::{NewRegistration, RegistrationStatus};
use crate::api::{ApiError, Payload, Request, Response};
use crate::i18n::Lang;
use crate::keymap::{Answer, Binding, Cmd};
use crate::ui::form::{Field, Form};
use crate::ui::picker::PersonPicker;
use crate::ui::screen::{Ctx, Effect, Inflight, Mode, Screen, Ticket};
use crate::ui::widgets::describe;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Checked in at once (`walkIn`).
    WalkIn,
    /// Registered, maybe waitlisted (`register`).
    Register,
}

pub struct DoorForm {
    pub kind: Kind,
    event_id: String,
    event_title: String,
    /// The event showed no seat left when the form opened.
    full: bool,
    pub form: Form,
    /// The person of the records this is for (picked among the suggestions).
    pub picker: PersonPicker,
    pub message: Option<String>,
    inflight: Inflight,
}

impl DoorForm {
    fn new(kind: Kind, event_id: &str, title: &str, full: bool, name: &str) -> Self {
        let fields = vec![
            Field::text("name", "Nom", "Name", name),
            Field::text("email", "E-mail", "Email", ""),
            Field::text("seats", "Places", "Seats", "1"),
        ];
        Self {
            kind,
            event_id: event_id.into(),
            event_title: title.into(),
            full,
            form: Form::new(fields),
            picker: PersonPicker::default(),
            message: None,
            inflight: Inflight::default(),
        }
    }

    /// A walk-in, checked in at once; `name` is what was typed in the door's search.
    pub fn walk_in(event_id: &str, title: &str, full: bool, name: &str) -> Self {
        Self::new(Kind::WalkIn, event_id, title, full, name)
    }

    pub fn register(event_id: &str, title: &str, full: bool, name: &str) -> Self {
        Self::new(Kind::Register, event_id, title, full, name)
    }

    fn picking(&self) -> bool {
        self.form.typing && self.form.focused() == "name" && self.picker.open()
    }

    fn input(&mut self, ctx: &Ctx) -> Option<NewRegistration> {
        self.form.clear_errors();
        self.message = None;
        let seats = match self.form.value("seats").parse::<i64>() {
            Ok(n) if (1..=10).contains(&n) => n,
            _ => {
                self.form
                    .error("seats", ctx.t("De 1 à 10 places.", "From 1 to 10 seats."));
                return None;
            }
        };
        let name = self.form.value("name").to_string();
        if self.picker.chosen.is_none() && name.is_empty() {
            self.form.error(
                "name",
                ctx.t(
                    "Un nom, ou une personne choisie.",
                    "A name, or a person picked.",
                ),
            );
            return None;
        }
        let email = self.form.value("email");
        Some(NewRegistration {
            event_id: self.event_id.clone(),
            person_id: self.picker.chosen.as_ref().map(|p| p.id.clone()),
            name: self.picker.chosen.is_none().then_some(name),
            email: (!email.is_empty()).then(|| email.to_string()),
            seats,
        })
    }

    fn offer_waitlist(&self, ctx: &Ctx) -> Vec<Effect> {
        vec![Effect::Ask {
            question: ctx
                .t(
                    "Complet — ajouter à la liste d'attente ?",
                    "Full — add to the waitlist?",
                )
                .into(),
            answer: Answer::Waitlist,
        }]
    }

    fn submit(&mut self, ctx: &Ctx, kind: Kind) -> Vec<Effect> {
        if self.inflight.busy("save") {
            return vec![];
        }
        let Some(input) = self.input(ctx) else {
            return vec![];
        };
        // Always asked of the server first: a seat may have been freed since the door showed
        // the event full; the waitlist is offered when the server says it is full.
        let request = match kind {
            Kind::WalkIn => Request::WalkIn(input),
            Kind::Register => Request::Register(input),
        };
        vec![self.inflight.issue("save", request)]
    }
}

/// `walkIn`'s refusal of a full event (`'…' is full (8 of 8 seats taken…)`), not of a
/// cancelled or finished one.
fn says_full(message: &str) -> bool {
    message.contains(" is full")
}

/// `1 place` / `3 places` (`1 seat` / `3 seats`).
pub fn seats(ctx: &Ctx, n: i64) -> String {
    match n {
        1 => ctx.t("1 place", "1 seat").to_string(),
        n => format!("{n} {}", ctx.t("places", "seats")),
    }
}

impl Screen for DoorForm {
    fn name(&self) -> &'static str {
        "door_form"
    }

    fn title(&self, lang: Lang) -> String {
        match self.kind {
            Kind::WalkIn => lang.t("Accueil sans inscription", "Walk-in").into(),
            Kind::Register => lang.t("Inscrire", "Register").into(),
        }
    }

    fn inflight(&self) -> &Inflight {
        &self.inflight
    }

    fn mode(&self) -> Mode {
        self.form.mode()
    }

    fn bindings(&self, _ctx: &Ctx) -> Vec<&'static Binding> {
        self.form.bindings()
    }

    fn command(&mut self, cmd: Cmd, ctx: &Ctx) -> Vec<Effect> {
        if self.picking() && self.picker.steer(cmd) {
            return vec![];
        }
        match cmd {
            Cmd::Submit if self.picking() && self.picker.choosing() => {
                if let Some(person) = self.picker.pick() {
                    let field = self.form.field_mut("name");
                    field
                        .text
                        .set(format!("{} {}", person.first_name, person.last_name));
                    field.hint = Some("✓".into());
                    let email = person.email.unwrap_or_default();
                    self.form.field_mut("email").text.set(email);
                    self.form.focus = 2;
                }
                return vec![];
            }
            Cmd::Submit => return self.submit(ctx, self.kind),
            // The event is full: the same person goes on its waitlist.
            Cmd::Yes(Answer::Waitlist) => {
                if let Some(input) = self.input(ctx) {
                    return vec![self.inflight.issue("save", Request::Register(input))];
                }
                return vec![];
            }
            _ => {}
        }
        self.form.command(cmd, ctx).unwrap_or_default()
    }

    fn text_key(&mut self, key: KeyEvent, ctx: &Ctx) -> Vec<Effect> {
        if self.form.key(&key) && self.form.focused() == "name" {
            // Another name: no longer the person picked.
            self.picker.typed(ctx.now);
            self.form.field_mut("name").hint = None;
        }
        vec![]
    }

    fn tick(&mut self, ctx: &Ctx) -> Vec<Effect> {
        match self.picker.due(ctx.now, self.form.value("name")) {
            Some(request) => vec![self.inflight.issue("people", request)],
            None => vec![],
        }
    }

    fn response(&mut self, ticket: Ticket, response: Response, ctx: &Ctx) -> Vec<Effect> {
        if !self.inflight.accept(&ticket) {
            return vec![];
        }
        match (ticket.slot, response) {
            ("people", Ok(Payload::People(page))) => {
                self.picker.answer(page);
                vec![]
            }
            ("people", Err(_)) => vec![],
            ("save", Ok(Payload::Registration(r))) => {
                self.form.dirty = false;
                let text = match (r.status, r.checked_in_at) {
                    (RegistrationStatus::Waitlisted, _) => format!(
                        "{} {}{} {} {}.",
                        ctx.t("Liste d'attente pour", "Waitlisted for"),
                        r.name,
                        ctx.t(" :", ":"),
                        ctx.t("position", "position"),
                        r.position.unwrap_or_default()
                    ),
                    (_, Some(_)) => format!(
                        "✓ {} {} ({}).",
                        r.name,
                        ctx.t("est arrivé·e", "is checked in"),
                        seats(ctx, r.seats)
                    ),
                    _ => format!(
                        "{} {} — {} {}.",
                        r.name,
                        ctx.t("est inscrit·e", "is registered"),
                        ctx.t("code", "code"),
                        r.code
                    ),
                };
                vec![Effect::Toast(text), Effect::Pop]
            }
            ("save", Err(ApiError::Refused { code, message, .. }))
                if code == "INVALID_STATE" && self.kind == Kind::WalkIn && says_full(&message) =>
            {
                // No seat left (maybe taken meanwhile at another desk): the waitlist, if
                // they want it. Another refusal (a cancelled or finished event) is shown.
                self.full = true;
                self.offer_waitlist(ctx)
            }
            (
                "save",
                Err(ApiError::Refused {
                    code,
                    field: Some(field),
                    message,
                    ..
                }),
            ) if code == "VALIDATION" => {
                let key = match field.as_str() {
                    "personId" => "name",
                    other => other,
                };
                if self.form.has(key) {
                    self.form.error(key, message);
                } else {
                    self.message = Some(message);
                }
                vec![]
            }
            ("save", Err(ApiError::Unreachable(_))) => {
                self.message = Some(ctx.t(
                    "Hors ligne : rien n'a été enregistré. Votre saisie est gardée ; Entrée pour réessayer.",
                    "Offline: nothing was saved. What you typed is kept; Enter to try again.",
                ).into());
                vec![]
            }
            ("save", Err(err)) => {
                self.message = Some(describe(ctx, &err));
                vec![]
            }
            _ => vec![],
        }
    }

    fn show(&mut self, ctx: &Ctx) -> Vec<Effect> {
        // A name carried over from the door's search: suggest at once.
        if self.picker.chosen.is_none() && !self.form.dirty && !self.form.value("name").is_empty() {
            self.picker.soon(ctx.now);
        }
        vec![]
    }

    fn has_input(&self) -> bool {
        self.form.dirty
    }

    fn view(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let block =
            Block::bordered().title(format!(" {} — {} ", self.title(ctx.lang), self.event_title));
        let mut lines = Vec::new();
        if self.full {
            lines.push(
                Line::from(ctx.t(
                    "Complet : la personne peut aller sur la liste d'attente.",
                    "Full: the person can go on the waitlist.",
                ))
                .fg(Color::Yellow),
            );
            lines.push(Line::default());
        }
        lines.extend(self.form.lines(ctx.lang, 10));
        if self.form.focused() == "name" {
            lines.extend(self.picker.lines(ctx));
        }
        lines.push(Line::default());
        if self.inflight.busy("save") {
            lines.push(Line::from(ctx.t("Enregistrement…", "Saving…")).italic());
        } else if let Some(message) = &self.message {
            lines.push(Line::from(message.clone()).fg(Color::Red));
        } else {
            lines.push(
                Line::from(match self.kind {
                    Kind::WalkIn => ctx.t(
                        "Entrée : enregistrer l'arrivée (sans e-mail, c'est possible).",
                        "Enter: check them in (an email is optional).",
                    ),
                    Kind::Register => ctx.t(
                        "Entrée : inscrire (liste d'attente si c'est complet).",
                        "Enter: register (waitlisted when full).",
                    ),
                })
                .dim(),
            );
        }
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(block),
            area,
        );
    }
}

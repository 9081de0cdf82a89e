//! Make a booking (from a free cell or from scratch) or change one. The quote comes first:
//! tier, price and the bookings in the way with their times; `Enter` again confirms it.

mod view;

use chrono::{DateTime, Duration, NaiveDate, Timelike, Utc};
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

use crate::api::model::{
    Booker, BookerOption, BookingChanges, BookingRow, Frequency, NewBooking, Quote, Recurrence,
    SpaceRow,
};
use crate::api::{ApiError, Conflict, Payload, Request, Response};
use crate::format;
use crate::i18n::Lang;
use crate::keymap::{Binding, Cmd};
use crate::ui::form::{Field, Form};
use crate::ui::screen::{Ctx, Effect, Inflight, Mode, Screen, Ticket};
use crate::ui::widgets::describe;

pub const TIERS: [&str; 4] = ["PUBLIC", "MEMBER", "SOLIDARITY", "RESIDENT"];

/// What was quoted, to know whether `Enter` confirms it or quotes again.
#[derive(Clone, Debug, PartialEq)]
pub struct Quoted {
    pub input: NewBooking,
    pub recurrence: Option<Recurrence>,
    pub quote: Quote,
}

pub struct BookingForm {
    /// Some when changing an existing booking.
    pub editing: Option<BookingRow>,
    pub spaces: Vec<SpaceRow>,
    wanted_space: Option<String>,
    pub form: Form,
    pub booker: Option<Booker>,
    pub suggestions: Vec<BookerOption>,
    pub suggestion: usize,
    booker_typed_at: Option<DateTime<Utc>>,
    pub quoted: Option<Quoted>,
    quoted_pending: Option<(NewBooking, Option<Recurrence>)>,
    /// From a refused write (`BOOKING_CONFLICT`).
    pub conflicts: Vec<Conflict>,
    pub message: Option<String>,
    inflight: Inflight,
}

fn hhmm(h: u32, m: u32) -> String {
    format!("{h:02}:{m:02}")
}

impl BookingForm {
    /// A new booking on `day`, at `hour` (else the next full hour), for an hour.
    pub fn new_at(ctx: &Ctx, space: Option<String>, day: NaiveDate, hour: Option<u32>) -> Self {
        let hour = hour.unwrap_or_else(|| (ctx.now.with_timezone(&ctx.tz()).hour() + 1).min(23));
        let lang = ctx.lang;
        let fields = vec![
            Field::choice("space", "Espace", "Space", vec![], 0),
            Field::text("date", "Jour", "Day", &format::date_input(lang, day))
                .with_hint(lang.t("jj/mm/aaaa", "yyyy-mm-dd")),
            Field::text("start", "Début", "Start", &hhmm(hour, 0)),
            Field::text("end", "Fin", "End", &hhmm((hour + 1).min(24), 0)),
            Field::text("title", "Titre", "Title", ""),
            Field::text("booker", "Pour", "For", "").with_hint(lang.t(
                "tapez un nom ; vide : le lieu",
                "type a name; empty: the venue",
            )),
            Field::text("attendees", "Personnes", "People", ""),
            Field::choice(
                "tier",
                "Tarif",
                "Rate",
                std::iter::once(lang.t("automatique", "automatic").to_string())
                    .chain(TIERS.iter().map(|t| t.to_string()))
                    .collect(),
                0,
            ),
            Field::choice(
                "repeat",
                "Répéter",
                "Repeat",
                vec![
                    lang.t("non", "no").into(),
                    lang.t("chaque jour", "daily").into(),
                    lang.t("chaque semaine", "weekly").into(),
                ],
                0,
            ),
            Field::text("count", "Nombre de fois", "Occurrences", ""),
            Field::text("until", "Jusqu'au", "Until", "")
                .with_hint(lang.t("ou un nombre de fois", "or a count")),
            Field::text("notes", "Notes", "Notes", ""),
        ];
        let mut form = Form::new(fields);
        // Most bookings start from a chosen space and time: straight to the title.
        form.focus = 4;
        Self {
            editing: None,
            spaces: vec![],
            wanted_space: space,
            form,
            booker: None,
            suggestions: vec![],
            suggestion: 0,
            booker_typed_at: None,
            quoted: None,
            quoted_pending: None,
            conflicts: vec![],
            message: None,
            inflight: Inflight::default(),
        }
    }

    /// A new booking for a person (from their card).
    pub fn for_person(ctx: &Ctx, person_id: &str, name: &str) -> Self {
        let mut form = Self::new_at(ctx, None, ctx.today(), None);
        form.booker = Some(Booker {
            id: person_id.to_string(),
            name: name.to_string(),
            organization: false,
        });
        let field = form.form.field_mut("booker");
        field.text.set(name);
        field.hint = Some("✓".into());
        form
    }

    /// Moving or changing a booking.
    pub fn edit(ctx: &Ctx, b: &BookingRow) -> Self {
        let tz = ctx.tz();
        let lang = ctx.lang;
        let day = format::local_day(tz, b.start);
        let fields = vec![
            Field::text("date", "Jour", "Day", &format::date_input(lang, day))
                .with_hint(lang.t("jj/mm/aaaa", "yyyy-mm-dd")),
            Field::text("start", "Début", "Start", &format::time(tz, b.start)),
            Field::text("end", "Fin", "End", &format::time(tz, b.end)),
            Field::text("title", "Titre", "Title", &b.title),
            Field::text(
                "attendees",
                "Personnes",
                "People",
                &b.attendees.map(|n| n.to_string()).unwrap_or_default(),
            ),
            Field::text(
                "notes",
                "Notes",
                "Notes",
                b.notes.as_deref().unwrap_or_default(),
            ),
        ];
        let mut form = Self::new_at(ctx, Some(b.space_id.clone()), day, None);
        form.form = Form::new(fields);
        form.editing = Some(b.clone());
        form
    }

    pub fn busy(&self) -> bool {
        self.inflight.busy("write") || self.inflight.busy("quote")
    }

    fn space_id(&self) -> Option<String> {
        if let Some(b) = &self.editing {
            return Some(b.space_id.clone());
        }
        self.spaces
            .get(self.form.choice("space"))
            .map(|s| s.id.clone())
    }

    /// The form's values, checked; errors go under their fields.
    fn read(&mut self, ctx: &Ctx) -> Option<(NewBooking, Option<Recurrence>)> {
        self.form.clear_errors();
        let tz = ctx.tz();
        let day = format::parse_date(self.form.value("date"));
        if day.is_none() {
            self.form.error(
                "date",
                ctx.t("Jour invalide : jj/mm/aaaa.", "Invalid day: yyyy-mm-dd."),
            );
        }
        let start = format::parse_time(self.form.value("start"));
        if start.is_none() {
            self.form.error(
                "start",
                ctx.t("Heure invalide : 10:00.", "Invalid time: 10:00."),
            );
        }
        let end = format::parse_time(self.form.value("end"));
        if end.is_none() {
            self.form.error(
                "end",
                ctx.t("Heure invalide : 12:00.", "Invalid time: 12:00."),
            );
        }
        if self.form.value("title").is_empty() {
            self.form
                .error("title", ctx.t("Donnez un titre.", "Give it a title."));
        }
        let attendees = match self.form.value("attendees") {
            "" => None,
            text => match text.parse::<i64>() {
                Ok(n) if n > 0 => Some(n),
                _ => {
                    self.form.error(
                        "attendees",
                        ctx.t("Un nombre, 1 ou plus.", "A number, 1 or more."),
                    );
                    None
                }
            },
        };
        let (Some(day), Some(start), Some(end)) = (day, start, end) else {
            return None;
        };
        let (start, end) = (
            format::at_time(tz, day, start),
            format::at_time(tz, day, end),
        );
        if end <= start {
            self.form.error(
                "end",
                ctx.t(
                    "La fin doit suivre le début.",
                    "The end must come after the start.",
                ),
            );
        }
        let Some(space_id) = self.space_id() else {
            self.message = Some(
                ctx.t(
                    "Aucun espace à réserver sur ce site.",
                    "No space to book at this site.",
                )
                .into(),
            );
            return None;
        };
        let mut recurrence = None;
        if self.form.has("repeat") && self.form.choice("repeat") > 0 {
            let count = self.form.value("count").to_string();
            let until = self.form.value("until").to_string();
            let count = match count.as_str() {
                "" => None,
                text => match text.parse::<i64>() {
                    Ok(n) if (2..=366).contains(&n) => Some(n),
                    _ => {
                        self.form
                            .error("count", ctx.t("De 2 à 366 fois.", "From 2 to 366 times."));
                        None
                    }
                },
            };
            let until = match until.as_str() {
                "" => None,
                text => match format::parse_date(text) {
                    Some(d) if d > day => Some(d),
                    _ => {
                        self.form.error(
                            "until",
                            ctx.t("Un jour après le premier.", "A day after the first one."),
                        );
                        None
                    }
                },
            };
            if count.is_none() && until.is_none() && !self.form.has_errors() {
                self.form.error(
                    "count",
                    ctx.t(
                        "Combien de fois, ou jusqu'à quel jour ?",
                        "How many times, or until which day?",
                    ),
                );
            }
            recurrence = Some(Recurrence {
                frequency: if self.form.choice("repeat") == 1 {
                    Frequency::Daily
                } else {
                    Frequency::Weekly
                },
                count,
                until,
            });
        }
        if self.form.has_errors() {
            return None;
        }
        let (tier, notes) = if self.form.has("tier") {
            let tier = self.form.choice("tier");
            (
                (tier > 0).then(|| TIERS[tier - 1].to_string()),
                Some(self.form.value("notes").to_string()).filter(|n| !n.is_empty()),
            )
        } else {
            (None, Some(self.form.value("notes").to_string()))
        };
        Some((
            NewBooking {
                space_id,
                start,
                end,
                title: self.form.value("title").to_string(),
                person_id: self
                    .booker
                    .as_ref()
                    .filter(|b| !b.organization)
                    .map(|b| b.id.clone()),
                organization_id: self
                    .booker
                    .as_ref()
                    .filter(|b| b.organization)
                    .map(|b| b.id.clone()),
                tier,
                attendees,
                notes,
            },
            recurrence,
        ))
    }

    fn submit(&mut self, ctx: &Ctx) -> Vec<Effect> {
        if self.busy() {
            return vec![];
        }
        self.message = None;
        let Some((input, recurrence)) = self.read(ctx) else {
            return vec![];
        };
        if let Some(b) = &self.editing {
            let changes = BookingChanges {
                start: Some(input.start),
                end: Some(input.end),
                title: Some(input.title),
                attendees: input.attendees,
                clear_attendees: input.attendees.is_none() && b.attendees.is_some(),
                notes: input.notes,
            };
            let id = b.id.clone();
            return vec![
                self.inflight
                    .issue("write", Request::UpdateBooking { id, changes }),
            ];
        }
        // Enter on a fresh quote without conflicts confirms it; anything else quotes (again).
        let confirmed = self.quoted.as_ref().is_some_and(|q| {
            q.input == input && q.recurrence == recurrence && q.quote.conflicts.is_empty()
        });
        if confirmed {
            let request = match recurrence {
                Some(r) => Request::CreateSeries(input, r),
                None => Request::CreateBooking(input),
            };
            return vec![self.inflight.issue("write", request)];
        }
        self.conflicts.clear();
        self.quoted = None;
        let request = Request::Quote(input.clone());
        self.quoted_pending = Some((input, recurrence));
        vec![self.inflight.issue("quote", request)]
    }

    fn apply_error(&mut self, ctx: &Ctx, err: ApiError) {
        match &err {
            ApiError::Refused {
                code,
                field: Some(field),
                message,
                ..
            } if code == "VALIDATION" => {
                let key = match field.as_str() {
                    "start" => "start",
                    "end" => "end",
                    "title" => "title",
                    "attendees" => "attendees",
                    "notes" => "notes",
                    "personId" | "organizationId" => "booker",
                    "count" | "until" | "interval" => "count",
                    _ => "",
                };
                if self.form.has(key) {
                    self.form.error(key, message.clone());
                } else {
                    self.message = Some(message.clone());
                }
            }
            ApiError::Refused {
                code, conflicts, ..
            } if code == "BOOKING_CONFLICT" => {
                self.conflicts = conflicts.clone();
                self.quoted = None;
            }
            ApiError::Unreachable(_) => {
                self.message = Some(
                    ctx.t(
                        "Hors ligne : rien n'a été enregistré. Votre saisie est gardée ; Entrée pour réessayer.",
                        "Offline: nothing was saved. What you typed is kept; Enter to try again.",
                    )
                    .into(),
                );
            }
            other => self.message = Some(describe(ctx, other)),
        }
    }
}

impl Screen for BookingForm {
    fn name(&self) -> &'static str {
        "booking_form"
    }

    fn title(&self, lang: Lang) -> String {
        match self.editing {
            Some(_) => lang
                .t("Modifier la réservation", "Change the booking")
                .into(),
            None => lang.t("Nouvelle réservation", "New booking").into(),
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
        let picking = self.form.typing
            && self.form.focused() == "booker"
            && !self.suggestions.is_empty()
            && self.booker.is_none();
        match cmd {
            Cmd::Up if picking => {
                self.suggestion = self.suggestion.saturating_sub(1);
                return vec![];
            }
            Cmd::Down if picking => {
                self.suggestion = (self.suggestion + 1).min(self.suggestions.len() - 1);
                return vec![];
            }
            Cmd::Submit if picking => {
                let booker = self.suggestions[self.suggestion].booker.clone();
                let name = booker.name.clone();
                self.booker = Some(booker);
                let field = self.form.field_mut("booker");
                field.text.set(name);
                field.hint = Some("✓".into());
                self.suggestions.clear();
                self.form.step(1);
                return vec![];
            }
            Cmd::Submit => return self.submit(ctx),
            _ => {}
        }
        self.form.command(cmd, ctx).unwrap_or_default()
    }

    fn text_key(&mut self, key: KeyEvent, ctx: &Ctx) -> Vec<Effect> {
        if self.form.key(&key) {
            // Any change makes the quote stale: Enter quotes again before booking.
            self.quoted = None;
            if self.form.focused() == "booker" {
                self.booker = None;
                self.form.field_mut("booker").hint = None;
                self.booker_typed_at = Some(ctx.now);
            }
        }
        vec![]
    }

    fn tick(&mut self, ctx: &Ctx) -> Vec<Effect> {
        // Suggestions for the booker, once typing pauses (debounced).
        if let Some(at) = self.booker_typed_at
            && ctx.now - at >= Duration::milliseconds(300)
        {
            self.booker_typed_at = None;
            let search = self.form.value("booker").to_string();
            if search.is_empty() {
                self.suggestions.clear();
                return vec![];
            }
            return vec![self.inflight.issue("booker", Request::Bookers { search })];
        }
        vec![]
    }

    fn response(&mut self, ticket: Ticket, response: Response, ctx: &Ctx) -> Vec<Effect> {
        if !self.inflight.accept(&ticket) {
            return vec![];
        }
        match (ticket.slot, response) {
            ("spaces", Ok(Payload::Spaces(spaces))) => {
                let wanted = self.wanted_space.clone();
                let names = spaces.iter().map(|s| s.name.clone()).collect();
                let choice = wanted
                    .and_then(|id| spaces.iter().position(|s| s.id == id))
                    .unwrap_or(0);
                self.spaces = spaces;
                if self.form.has("space") {
                    let field = self.form.field_mut("space");
                    field.options = Some(names);
                    field.choice = choice;
                }
            }
            ("booker", Ok(Payload::Bookers(options))) => {
                self.suggestions = options;
                self.suggestion = 0;
            }
            ("quote", Ok(Payload::Quote(quote))) => {
                if let Some((input, recurrence)) = self.quoted_pending.take() {
                    self.quoted = Some(Quoted {
                        input,
                        recurrence,
                        quote,
                    });
                }
            }
            ("write", Ok(Payload::Done { count, .. })) => {
                self.form.dirty = false;
                let toast = match (&self.editing, count) {
                    (Some(_), _) => ctx
                        .t("Réservation modifiée.", "Booking changed.")
                        .to_string(),
                    (None, 1) => ctx
                        .t("Réservation enregistrée.", "Booking made.")
                        .to_string(),
                    (None, n) => format!(
                        "{n} {}",
                        ctx.t("réservations enregistrées.", "bookings made.")
                    ),
                };
                return vec![Effect::Toast(toast), Effect::Pop];
            }
            (_, Err(err)) => self.apply_error(ctx, err),
            _ => {}
        }
        vec![]
    }

    fn show(&mut self, ctx: &Ctx) -> Vec<Effect> {
        if self.editing.is_none() && self.spaces.is_empty() {
            return vec![self.inflight.issue(
                "spaces",
                Request::Spaces {
                    site_id: ctx.site_id(),
                },
            )];
        }
        vec![]
    }

    fn has_input(&self) -> bool {
        self.form.dirty
    }

    fn view(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        view::render(self, frame, area, ctx);
    }
}

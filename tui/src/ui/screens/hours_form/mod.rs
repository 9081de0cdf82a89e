//! Log hours (today by default: hours, activity, a note — a few keystrokes) or correct an
//! entry. Staff log for someone else by typing their name (the records are suggested);
//! a volunteer logs their own.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::{Color, Stylize};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::api::model::{EntryInput, HoursEntry, PersonRef, PersonRow};
use crate::api::{ApiError, Payload, Request, Response};
use crate::format;
use crate::i18n::Lang;
use crate::keymap::{Binding, Cmd};
use crate::ui::form::{Field, Form};
use crate::ui::picker::PersonPicker;
use crate::ui::screen::{Ctx, Effect, Inflight, Mode, Screen, Ticket};
use crate::ui::screens::hours::{ACTIVITIES, activity_label};
use crate::ui::widgets::describe;

pub enum Kind {
    Log,
    Correct { id: String, whose: String },
}

pub struct HoursForm {
    pub kind: Kind,
    pub form: Form,
    /// Staff: whose hours (a volunteer's are their own).
    pub picker: PersonPicker,
    pub message: Option<String>,
    inflight: Inflight,
}

fn activity_labels(lang: Lang) -> Vec<String> {
    ACTIVITIES
        .iter()
        .map(|(_, fr, en)| lang.t(fr, en).to_string())
        .collect()
}

fn activity_field(lang: Lang, chosen: &str) -> Field {
    let options = activity_labels(lang);
    let choice = ACTIVITIES
        .iter()
        .position(|(api, _, _)| *api == chosen)
        .unwrap_or(0);
    Field::choice("activity", "Activité", "Activity", options, choice)
}

impl HoursForm {
    /// Today, for `me` (staff may pick someone else).
    pub fn log(ctx: &Ctx, me: Option<PersonRef>) -> Self {
        let mut fields = Vec::new();
        let mut picker = PersonPicker::default();
        if ctx.is_manager() {
            let name = me.as_ref().map(|m| m.name.clone()).unwrap_or_default();
            fields.push(Field::text("person", "Pour", "For", &name));
            picker.chosen = me.map(|m| PersonRow {
                id: m.id,
                first_name: m.name,
                last_name: String::new(),
                email: None,
                phone: None,
                membership: None,
            });
        } else if let Some(me) = me {
            picker.chosen = Some(PersonRow {
                id: me.id,
                first_name: me.name,
                last_name: String::new(),
                email: None,
                phone: None,
                membership: None,
            });
        }
        fields.extend([
            Field::text(
                "date",
                "Jour",
                "Day",
                &format::date_input(ctx.lang, ctx.today()),
            ),
            Field::text("hours", "Heures", "Hours", "")
                .with_hint(ctx.t("2 · 1,5 · 1h30", "2 · 1.5 · 1h30")),
            activity_field(ctx.lang, "FRONT_DESK"),
            Field::text("note", "Note", "Note", ""),
        ]);
        let mut form = Form::new(fields);
        // Straight to the hours: the day is today and the person is known.
        form.focus = form
            .fields
            .iter()
            .position(|f| f.key == "hours")
            .unwrap_or(0);
        if ctx.is_manager() && picker.chosen.is_none() {
            form.focus = 0;
        }
        Self {
            kind: Kind::Log,
            form,
            picker,
            message: None,
            inflight: Inflight::default(),
        }
    }

    pub fn correct(ctx: &Ctx, entry: &HoursEntry) -> Self {
        let hours = entry.hours.normalize().to_string();
        let hours = match ctx.lang {
            Lang::Fr => hours.replace('.', ","),
            Lang::En => hours,
        };
        let form = Form::new(vec![
            Field::text(
                "date",
                "Jour",
                "Day",
                &format::date_input(ctx.lang, entry.date),
            ),
            Field::text("hours", "Heures", "Hours", &hours),
            activity_field(ctx.lang, &entry.activity),
            Field::text("note", "Note", "Note", entry.note.as_deref().unwrap_or("")),
        ]);
        Self {
            kind: Kind::Correct {
                id: entry.id.clone(),
                whose: entry.person.name.clone(),
            },
            form,
            picker: PersonPicker::default(),
            message: None,
            inflight: Inflight::default(),
        }
    }

    fn picking(&self) -> bool {
        self.form.typing
            && self.form.has("person")
            && self.form.focused() == "person"
            && self.picker.open()
    }

    fn submit(&mut self, ctx: &Ctx) -> Vec<Effect> {
        if self.inflight.busy("save") {
            return vec![];
        }
        self.form.clear_errors();
        self.message = None;
        let Some(date) = format::parse_date(self.form.value("date")) else {
            self.form.error(
                "date",
                ctx.t("Jour invalide : jj/mm/aaaa.", "Invalid day: yyyy-mm-dd."),
            );
            return vec![];
        };
        if date > ctx.today() {
            self.form
                .error("date", ctx.t("Pas un jour à venir.", "Not a day to come."));
            return vec![];
        }
        let hours = match format::parse_hours(self.form.value("hours")) {
            Some(h) if h <= rust_decimal::Decimal::from(24) => h,
            _ => {
                self.form.error(
                    "hours",
                    ctx.t(
                        "Des heures de 0 à 24 : 2, 1,5 ou 1h30.",
                        "Hours from 0 to 24: 2, 1.5 or 1h30.",
                    ),
                );
                return vec![];
            }
        };
        let activity = ACTIVITIES[self.form.choice("activity").min(ACTIVITIES.len() - 1)]
            .0
            .to_string();
        let entry = EntryInput {
            date,
            hours,
            activity,
            note: self.form.value("note").to_string(),
        };
        let request = match &self.kind {
            Kind::Correct { id, .. } => Request::UpdateEntry {
                id: id.clone(),
                entry,
            },
            Kind::Log => {
                let Some(person) = &self.picker.chosen else {
                    self.form.error(
                        "person",
                        ctx.t(
                            "Tapez un nom puis choisissez la personne (↑/↓, Entrée).",
                            "Type a name, then pick the person (↑/↓, Enter).",
                        ),
                    );
                    return vec![];
                };
                Request::LogHours {
                    person_id: person.id.clone(),
                    entry,
                }
            }
        };
        vec![self.inflight.issue("save", request)]
    }
}

impl Screen for HoursForm {
    fn name(&self) -> &'static str {
        "hours_form"
    }

    fn title(&self, lang: Lang) -> String {
        match &self.kind {
            Kind::Log => lang.t("Noter des heures", "Log hours").into(),
            Kind::Correct { whose, .. } => {
                format!(
                    "{} — {whose}",
                    lang.t("Corriger des heures", "Correct hours")
                )
            }
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
                if let Some(p) = self.picker.pick() {
                    let field = self.form.field_mut("person");
                    field.text.set(format!("{} {}", p.first_name, p.last_name));
                    field.hint = Some("✓".into());
                    self.form.step(2);
                }
            }
            Cmd::Submit => return self.submit(ctx),
            _ => return self.form.command(cmd, ctx).unwrap_or_default(),
        }
        vec![]
    }

    fn text_key(&mut self, key: KeyEvent, ctx: &Ctx) -> Vec<Effect> {
        if self.form.key(&key) && self.form.has("person") && self.form.focused() == "person" {
            self.picker.typed(ctx.now);
            self.form.field_mut("person").hint = None;
        }
        vec![]
    }

    fn tick(&mut self, ctx: &Ctx) -> Vec<Effect> {
        // The activities in the language on screen (F2 switches it while the form is open).
        self.form.field_mut("activity").options = Some(activity_labels(ctx.lang));
        if !self.form.has("person") {
            return vec![];
        }
        match self.picker.due(ctx.now, self.form.value("person")) {
            Some(request) => vec![self.inflight.issue("people", request)],
            None => vec![],
        }
    }

    fn response(&mut self, ticket: Ticket, response: Response, ctx: &Ctx) -> Vec<Effect> {
        if !self.inflight.accept(&ticket) {
            return vec![];
        }
        match (ticket.slot, response) {
            ("people", Ok(Payload::People(page))) => self.picker.answer(page),
            ("save", Ok(_)) => {
                self.form.dirty = false;
                let text = match self.kind {
                    Kind::Log => format!(
                        "{} {} ({}).",
                        ctx.t("Heures notées :", "Hours logged:"),
                        format::hours(
                            ctx.lang,
                            format::parse_hours(self.form.value("hours")).unwrap_or_default()
                        ),
                        activity_label(ctx.lang, ACTIVITIES[self.form.choice("activity")].0)
                    ),
                    Kind::Correct { .. } => ctx.t("Heures corrigées.", "Hours corrected.").into(),
                };
                return vec![Effect::Toast(text), Effect::Pop];
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
                let key = if field == "personId" {
                    "person"
                } else {
                    field.as_str()
                };
                if self.form.has(key) {
                    self.form.error(key, message);
                } else {
                    self.message = Some(message);
                }
            }
            ("save", Err(ApiError::Unreachable(_))) => {
                self.message = Some(ctx.t(
                    "Hors ligne : rien n'a été enregistré. Votre saisie est gardée ; Entrée pour réessayer.",
                    "Offline: nothing was saved. What you typed is kept; Enter to try again.",
                ).into());
            }
            ("save", Err(err)) => self.message = Some(describe(ctx, &err)),
            _ => {}
        }
        vec![]
    }

    fn show(&mut self, _ctx: &Ctx) -> Vec<Effect> {
        vec![]
    }

    fn has_input(&self) -> bool {
        self.form.dirty
    }

    fn view(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let block = Block::bordered().title(format!(" {} ", self.title(ctx.lang)));
        let mut lines = self.form.lines(ctx.lang, 10);
        if self.form.has("person") && self.form.focused() == "person" {
            // The suggestions under the person's field.
            let at = 1 + usize::from(self.form.field("person").error.is_some());
            for (i, l) in self.picker.lines(ctx).into_iter().enumerate() {
                lines.insert(at + i, l);
            }
        }
        lines.push(Line::default());
        if self.inflight.busy("save") {
            lines.push(Line::from(ctx.t("Enregistrement…", "Saving…")).italic());
        } else if let Some(message) = &self.message {
            lines.push(Line::from(message.clone()).fg(Color::Red));
        } else {
            lines.push(
                Line::from(ctx.t(
                    "Entrée : enregistrer · ←/→ : changer d'activité.",
                    "Enter: save · ←/→: another activity.",
                ))
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

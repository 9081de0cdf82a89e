//! Record a person, or change their details; checked as typed (the server checks again and
//! its `VALIDATION` errors land under the field they name).

use chrono::Datelike;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::{Color, Stylize};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::api::model::{PersonDetails, PersonInput};
use crate::api::{ApiError, Payload, Request, Response};
use crate::i18n::Lang;
use crate::keymap::{Binding, Cmd};
use crate::ui::form::{Field, Form};
use crate::ui::screen::{Ctx, Effect, Inflight, Mode, Screen, Ticket};
use crate::ui::screens::card::Card;
use crate::ui::widgets::describe;

pub struct PersonForm {
    /// Some when editing this person.
    pub id: Option<String>,
    pub form: Form,
    pub message: Option<String>,
    /// The person had a birth year when the form opened (erasing it must clear it).
    had_birth_year: bool,
    inflight: Inflight,
}

impl PersonForm {
    fn with(lang: Lang, id: Option<String>, p: &PersonDetails) -> Self {
        let text = |o: &Option<String>| o.clone().unwrap_or_default();
        let fields = vec![
            Field::text("firstName", "Prénom", "First name", &p.first_name),
            Field::text("lastName", "Nom", "Last name", &p.last_name),
            Field::text("email", "Email", "Email", &text(&p.email)),
            Field::text("phone", "Téléphone", "Phone", &text(&p.phone)),
            Field::text(
                "postalCode",
                "Code postal",
                "Postal code",
                &text(&p.postal_code),
            ),
            Field::text(
                "birthYear",
                "Année de naissance",
                "Birth year",
                &p.birth_year.map(|y| y.to_string()).unwrap_or_default(),
            ),
            Field::choice(
                "consentToContact",
                "Accepte d'être contacté·e",
                "Agrees to be contacted",
                vec![lang.t("non", "no").into(), lang.t("oui", "yes").into()],
                usize::from(p.consent),
            ),
            Field::text("notes", "Notes", "Notes", &text(&p.notes))
                .with_hint(lang.t("jamais de données de santé", "never health data")),
        ];
        Self {
            id,
            form: Form::new(fields),
            message: None,
            had_birth_year: p.birth_year.is_some(),
            inflight: Inflight::default(),
        }
    }

    pub fn create(lang: Lang) -> Self {
        Self::with(lang, None, &PersonDetails::default())
    }

    pub fn edit(lang: Lang, p: &PersonDetails) -> Self {
        Self::with(lang, Some(p.id.clone()), p)
    }

    /// Inline checks, the same the server makes, so most mistakes never leave the desk.
    fn read(&mut self, ctx: &Ctx) -> Option<PersonInput> {
        self.form.clear_errors();
        let required = ctx.t("Obligatoire.", "Required.");
        if self.form.value("firstName").is_empty() {
            self.form.error("firstName", required);
        }
        if self.form.value("lastName").is_empty() {
            self.form.error("lastName", required);
        }
        let email = self.form.value("email").to_string();
        let email_ok = email.is_empty()
            || (email.contains('@') && email.rsplit('@').next().is_some_and(|d| d.contains('.')));
        if !email_ok {
            self.form.error(
                "email",
                ctx.t(
                    "Email invalide (nom@domaine.fr).",
                    "Invalid email (name@domain.org).",
                ),
            );
        }
        let phone = self.form.value("phone").to_string();
        let digits = phone.chars().filter(char::is_ascii_digit).count();
        if !phone.is_empty()
            && (!(6..=15).contains(&digits)
                || !phone
                    .chars()
                    .all(|c| c.is_ascii_digit() || " +.-".contains(c)))
        {
            self.form.error(
                "phone",
                ctx.t(
                    "6 à 15 chiffres (espaces, +, . ou - permis).",
                    "6 to 15 digits (spaces, +, . or - allowed).",
                ),
            );
        }
        let year_text = self.form.value("birthYear").to_string();
        let this_year = ctx.today().year() as i64;
        let birth_year = match year_text.as_str() {
            "" => None,
            text => match text.parse::<i64>() {
                Ok(y) if (1900..=this_year).contains(&y) => Some(y),
                _ => {
                    self.form.error(
                        "birthYear",
                        ctx.t(
                            "Une année entre 1900 et cette année.",
                            "A year between 1900 and this year.",
                        ),
                    );
                    None
                }
            },
        };
        if self.form.has_errors() {
            return None;
        }
        Some(PersonInput {
            first_name: self.form.value("firstName").into(),
            last_name: self.form.value("lastName").into(),
            email,
            phone,
            postal_code: self.form.value("postalCode").into(),
            birth_year,
            clear_birth_year: birth_year.is_none() && self.had_birth_year,
            consent: self.form.choice("consentToContact") == 1,
            notes: self.form.value("notes").into(),
        })
    }
}

impl Screen for PersonForm {
    fn name(&self) -> &'static str {
        "person_form"
    }

    fn title(&self, lang: Lang) -> String {
        match self.id {
            Some(_) => lang.t("Modifier la personne", "Edit person").into(),
            None => lang.t("Nouvelle personne", "New person").into(),
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
        if cmd == Cmd::Submit {
            if self.inflight.busy("save") {
                return vec![];
            }
            self.message = None;
            let Some(input) = self.read(ctx) else {
                return vec![];
            };
            let request = match &self.id {
                Some(id) => Request::UpdatePerson {
                    id: id.clone(),
                    input,
                },
                None => Request::CreatePerson(input),
            };
            return vec![self.inflight.issue("save", request)];
        }
        self.form.command(cmd, ctx).unwrap_or_default()
    }

    fn text_key(&mut self, key: KeyEvent, _ctx: &Ctx) -> Vec<Effect> {
        self.form.key(&key);
        vec![]
    }

    fn response(&mut self, ticket: Ticket, response: Response, ctx: &Ctx) -> Vec<Effect> {
        if !self.inflight.accept(&ticket) {
            return vec![];
        }
        match response {
            Ok(Payload::Done { id, .. }) => {
                self.form.dirty = false;
                let toast = Effect::Toast(ctx.t("Enregistré.", "Saved.").into());
                if self.id.is_some() {
                    vec![toast, Effect::Pop]
                } else {
                    // A new person: straight to their card (to add a membership, a booking).
                    vec![toast, Effect::Pop, Effect::Push(Box::new(Card::new(&id)))]
                }
            }
            Err(ApiError::Refused {
                code,
                field: Some(field),
                message,
                ..
            }) if code == "VALIDATION" && self.form.has(&field) => {
                self.form.error(&field, message);
                vec![]
            }
            Err(ApiError::Unreachable(_)) => {
                self.message = Some(ctx.t(
                    "Hors ligne : rien n'a été enregistré. Votre saisie est gardée ; Entrée pour réessayer.",
                    "Offline: nothing was saved. What you typed is kept; Enter to try again.",
                ).into());
                vec![]
            }
            Err(err) => {
                self.message = Some(describe(ctx, &err));
                vec![]
            }
            _ => vec![],
        }
    }

    fn show(&mut self, _ctx: &Ctx) -> Vec<Effect> {
        vec![]
    }

    fn has_input(&self) -> bool {
        self.form.dirty
    }

    fn view(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let block = Block::bordered().title(format!(" {} ", self.title(ctx.lang)));
        let mut lines = self.form.lines(ctx.lang, 26);
        lines.push(Line::default());
        if self.inflight.busy("save") {
            lines.push(Line::from(ctx.t("Enregistrement…", "Saving…")).italic());
        } else if let Some(message) = &self.message {
            lines.push(Line::from(message.clone()).fg(Color::Red));
        }
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(block),
            area,
        );
    }
}

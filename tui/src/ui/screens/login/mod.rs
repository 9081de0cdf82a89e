//! Sign in: server, email, password. The server and the email are remembered; the password
//! is cleared after every attempt.

mod keys;
mod view;

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

use crate::api::{ApiError, Payload, Request, Response};
use crate::i18n::Lang;
use crate::keymap::{Binding, Cmd};
use crate::ui::screen::{Ctx, Effect, Inflight, Mode, Screen, Ticket};
use crate::ui::widgets::{TextField, describe};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Server,
    Email,
    Password,
}

const FIELDS: [Field; 3] = [Field::Server, Field::Email, Field::Password];

pub struct Login {
    pub server: TextField,
    pub email: TextField,
    pub password: TextField,
    pub focus: Field,
    pub error: Option<String>,
    /// A notice that is not an error (the session expired).
    pub message: Option<String>,
    inflight: Inflight,
}

impl Login {
    pub fn new(server: &str, email: &str) -> Self {
        Self {
            server: TextField::new(server),
            email: TextField::new(email),
            password: TextField::default(),
            // Straight to what is missing: the password when the email is remembered.
            focus: if email.is_empty() {
                Field::Email
            } else {
                Field::Password
            },
            error: None,
            message: None,
            inflight: Inflight::default(),
        }
    }

    pub fn set_error(&mut self, error: String) {
        self.error = Some(error);
    }

    pub fn set_message(&mut self, message: &str) {
        self.message = Some(message.to_string());
    }

    pub fn busy(&self) -> bool {
        self.inflight.busy("login")
    }

    fn field_mut(&mut self) -> &mut TextField {
        match self.focus {
            Field::Server => &mut self.server,
            Field::Email => &mut self.email,
            Field::Password => &mut self.password,
        }
    }

    fn move_focus(&mut self, step: isize) {
        let i = FIELDS.iter().position(|f| *f == self.focus).unwrap_or(0) as isize;
        self.focus = FIELDS[(i + step).rem_euclid(FIELDS.len() as isize) as usize];
    }

    fn submit(&mut self, ctx: &Ctx) -> Vec<Effect> {
        if self.busy() {
            return vec![];
        }
        if self.email.trimmed().is_empty() {
            self.focus = Field::Email;
            self.error = Some(ctx.t("Saisissez votre email.", "Type your email.").into());
            return vec![];
        }
        if self.password.value.is_empty() {
            self.focus = Field::Password;
            self.error = Some(
                ctx.t("Saisissez votre mot de passe.", "Type your password.")
                    .into(),
            );
            return vec![];
        }
        if !self.server.trimmed().starts_with("http") {
            self.focus = Field::Server;
            self.error = Some(
                ctx.t(
                    "Adresse du serveur : http://… ou https://…",
                    "Server address: http://… or https://…",
                )
                .into(),
            );
            return vec![];
        }
        self.error = None;
        let server = self.server.trimmed().trim_end_matches('/').to_string();
        vec![
            Effect::UseServer(server),
            self.inflight.issue(
                "login",
                Request::Login {
                    email: self.email.trimmed().to_string(),
                    password: self.password.value.clone(),
                },
            ),
        ]
    }
}

impl Screen for Login {
    fn name(&self) -> &'static str {
        "login"
    }

    fn title(&self, lang: Lang) -> String {
        lang.t("Connexion", "Sign in").into()
    }

    fn inflight(&self) -> &Inflight {
        &self.inflight
    }

    /// The login form is all text fields: keys always type.
    fn mode(&self) -> Mode {
        Mode::Text
    }

    fn bindings(&self, _ctx: &Ctx) -> Vec<&'static Binding> {
        keys::BINDINGS.iter().collect()
    }

    fn command(&mut self, cmd: Cmd, ctx: &Ctx) -> Vec<Effect> {
        match cmd {
            Cmd::NextPane | Cmd::Down => self.move_focus(1),
            Cmd::PrevPane | Cmd::Up => self.move_focus(-1),
            Cmd::Submit => {
                if self.focus == Field::Email && self.password.value.is_empty() {
                    self.focus = Field::Password;
                    return vec![];
                }
                return self.submit(ctx);
            }
            _ => {}
        }
        vec![]
    }

    fn text_key(&mut self, key: KeyEvent, _ctx: &Ctx) -> Vec<Effect> {
        self.field_mut().key(&key);
        vec![]
    }

    fn response(&mut self, ticket: Ticket, response: Response, ctx: &Ctx) -> Vec<Effect> {
        if !self.inflight.accept(&ticket) {
            return vec![];
        }
        self.password = TextField::default();
        match response {
            Ok(Payload::LoggedIn { token, user }) => {
                self.message = None;
                vec![Effect::SignedIn {
                    server: self.server.trimmed().trim_end_matches('/').to_string(),
                    email: self.email.trimmed().to_string(),
                    token,
                    user,
                }]
            }
            Ok(_) => vec![],
            Err(err) => {
                self.focus = Field::Password;
                self.error = Some(match &err {
                    ApiError::Refused { code, .. } if code == "UNAUTHENTICATED" => ctx
                        .t(
                            "Email ou mot de passe incorrect.",
                            "Wrong email or password.",
                        )
                        .into(),
                    ApiError::Unreachable(_) => format!(
                        "{} {} — {}",
                        ctx.t("Serveur injoignable :", "Cannot reach"),
                        self.server.trimmed(),
                        ctx.t(
                            "vérifiez l'adresse, ou qu'il tourne (lieu-api serve), puis Entrée.",
                            "check the address, or that it runs (lieu-api serve), then Enter."
                        )
                    ),
                    other => describe(ctx, other),
                });
                vec![]
            }
        }
    }

    fn show(&mut self, _ctx: &Ctx) -> Vec<Effect> {
        vec![]
    }

    fn view(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        view::render(self, frame, area, ctx);
    }
}

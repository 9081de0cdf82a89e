//! The app only routes: keys to the active screen (or the global keys), answers to the screen
//! that asked, effects to the runtime as [`Io`]. Navigation (tabs, each with its own stack of
//! screens), the session, questions, toasts and the connection state live here; everything
//! else lives in the screens.

mod effects;

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::api::model::User;
use crate::api::{ApiError, Payload, Request, Response};
use crate::i18n::Lang;
use crate::keymap::{self, Answer, Binding, Cmd};
use crate::live::Live;
use crate::ui::screen::{Ctx, Effect, Inflight, Mode, Screen, Session, Ticket};
use crate::ui::screens::{
    bookings::Bookings, dashboard::Dashboard, events::Events, hours::Hours, login::Login,
    people::People, today::Today,
};

/// Everything that can happen to the app.
// A response is moved once from the runtime to the app, never stored: boxing it buys nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Action {
    Key(KeyEvent),
    /// The clock moved (about four times a second).
    Tick(DateTime<Utc>),
    Resize(u16, u16),
    /// An API answer, for the screen and request that the ticket names.
    Response(Ticket, Response),
    /// Time to try a read again after the server was unreachable.
    Retry(Ticket),
    /// The activity subscription: up, down, or something happened.
    Live(Live),
}

/// What the runtime must do for the app (the only way out to the world).
#[derive(Debug, PartialEq)]
pub enum Io {
    Perform(Ticket, Request),
    RetryAfter(Duration, Ticket),
    SetToken(Option<String>),
    SetServer(String),
    /// Remember the server and the last email (never the password or the token).
    Remember {
        server: String,
        email: String,
    },
    Quit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Connection {
    Unknown,
    Online,
    Offline { retry_at: DateTime<Utc> },
}

pub struct Question {
    pub text: String,
    answer: Answer,
    /// What `n` answers when it is a choice rather than a refusal (`Esc` still backs out).
    no: Option<Answer>,
    /// The keys' meaning under the question, for a choice (else yes/no).
    pub keys: Option<String>,
    screen: u64,
}

struct Flight {
    request: Request,
    attempts: u32,
}

/// The tab of the dashboard (key 6).
pub const DASHBOARD: usize = 5;

pub struct App {
    pub lang: Lang,
    pub now: DateTime<Utc>,
    pub server: String,
    pub session: Option<Session>,
    /// Shown while signed out; the tabs stay as they were underneath (nothing typed is lost
    /// when a session expires).
    login: Option<Box<dyn Screen>>,
    tabs: Vec<Vec<Box<dyn Screen>>>,
    pub tab: usize,
    pub help: bool,
    pub question: Option<Question>,
    pub toast: Option<(String, DateTime<Utc>)>,
    pub connection: Connection,
    pub size: (u16, u16),
    pub running: bool,
    /// The activity subscription is up: screens follow it instead of polling.
    pub live: bool,
    flights: HashMap<Ticket, Flight>,
    own: Inflight,
    signing_in: Option<User>,
}

impl App {
    pub fn new(server: &str, email: &str, lang: Lang, now: DateTime<Utc>) -> Self {
        Self {
            lang,
            now,
            server: server.to_string(),
            session: None,
            login: Some(Box::new(Login::new(server, email))),
            tabs: Vec::new(),
            tab: 0,
            help: false,
            question: None,
            toast: None,
            connection: Connection::Unknown,
            size: (80, 24),
            running: true,
            live: false,
            flights: HashMap::new(),
            own: Inflight::default(),
            signing_in: None,
        }
    }

    pub fn ctx(&self) -> Ctx<'_> {
        Ctx {
            lang: self.lang,
            now: self.now,
            session: self.session.as_ref(),
            live: self.live,
        }
    }

    pub fn signed_in(&self) -> bool {
        self.login.is_none()
    }

    pub fn active(&self) -> &dyn Screen {
        match &self.login {
            Some(login) => login.as_ref(),
            None => self.tabs[self.tab]
                .last()
                .expect("a tab is never empty")
                .as_ref(),
        }
    }

    /// The global keys that apply now (the dashboard is left out for a VOLUNTEER).
    pub fn global_bindings(&self) -> Vec<&'static Binding> {
        let manager = self.ctx().is_manager();
        keymap::GLOBAL
            .iter()
            .filter(|b| match b.cmd() {
                Cmd::Tab(DASHBOARD) => manager && self.signed_in(),
                Cmd::Tab(_) => self.signed_in(),
                // A text field takes `?` and `q` as text.
                Cmd::Quit | Cmd::Help => self.active().mode() == Mode::Nav,
                _ => true,
            })
            .collect()
    }

    /// The keys of the active screen, in its current mode.
    pub fn screen_bindings(&self) -> Vec<&'static Binding> {
        let ctx = self.ctx();
        let mut list = self.active().bindings(&ctx);
        if self.active().mode() == Mode::Text {
            list.extend(keymap::TEXT_EDITING.iter());
        }
        list
    }

    /// Applies one action; returns what the runtime must do. Never blocks.
    pub fn update(&mut self, action: Action) -> Vec<Io> {
        match action {
            Action::Key(key) => self.key(key),
            Action::Tick(now) => {
                self.now = now;
                if self.toast.as_ref().is_some_and(|(_, until)| *until <= now) {
                    self.toast = None;
                }
                self.on_screen(None, |screen, ctx| screen.tick(ctx))
            }
            Action::Resize(w, h) => {
                self.size = (w, h);
                vec![]
            }
            Action::Response(ticket, response) => self.response(ticket, response),
            Action::Live(live) => self.live_update(live),
            Action::Retry(ticket) => {
                let request = self.flights.get(&ticket).map(|f| f.request.clone());
                match request {
                    Some(request) if self.still_wanted(&ticket) => {
                        vec![Io::Perform(ticket, request)]
                    }
                    _ => {
                        self.flights.remove(&ticket);
                        vec![]
                    }
                }
            }
        }
    }

    fn live_update(&mut self, live: Live) -> Vec<Io> {
        // The socket may come up before the session has been read (it starts with the
        // token): its state is kept, its events wait for a screen.
        match live {
            Live::Up => {
                let was_down = !self.live;
                self.live = true;
                // What happened while the socket was down: read the screen again once.
                if was_down && self.signed_in() {
                    return self.show_active();
                }
                vec![]
            }
            Live::Down => {
                self.live = false;
                vec![]
            }
            Live::Event(_) if !self.signed_in() => vec![],
            Live::Event(activity) => {
                self.on_screen(None, |screen, ctx| screen.activity(&activity, ctx))
            }
        }
    }

    fn still_wanted(&mut self, ticket: &Ticket) -> bool {
        if ticket.screen == self.own.screen() {
            return self.own.is_current(ticket);
        }
        find_of(&mut self.login, &mut self.tabs, ticket.screen)
            .is_some_and(|s| s.inflight().is_current(ticket))
    }

    fn key(&mut self, key: KeyEvent) -> Vec<Io> {
        if key.kind == KeyEventKind::Release {
            return vec![];
        }
        // Ctrl+C always quits, whatever has the focus; the runtime restores the terminal.
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
            self.running = false;
            return vec![Io::Quit];
        }
        if let Some(question) = self.question.take() {
            let yes = matches!(
                key.code,
                KeyCode::Char('o' | 'O' | 'y' | 'Y') | KeyCode::Enter
            );
            let no = matches!(key.code, KeyCode::Char('n' | 'N') | KeyCode::Esc);
            if !yes && !no {
                self.question = Some(question);
                return vec![];
            }
            if no {
                return match (question.no, key.code) {
                    (Some(other), KeyCode::Char('n' | 'N')) => {
                        self.command_to(question.screen, Cmd::Yes(other))
                    }
                    _ => vec![],
                };
            }
            if question.answer == Answer::Quit {
                self.running = false;
                return vec![Io::Quit];
            }
            return self.command_to(question.screen, Cmd::Yes(question.answer));
        }
        if self.help {
            if matches!(key.code, KeyCode::Esc | KeyCode::Char('?')) {
                self.help = false;
            }
            return vec![];
        }
        if key.code == KeyCode::F(2) {
            self.lang = self.lang.other();
            return vec![];
        }
        let screen_keys = self.screen_bindings();
        if let Some(cmd) = keymap::lookup(&screen_keys, &key)
            && cmd != Cmd::Typing
        {
            let id = self.active().inflight().screen();
            return self.command_to(id, cmd);
        }
        if self.active().mode() == Mode::Text {
            return self.on_screen(None, |screen, ctx| screen.text_key(key, ctx));
        }
        // Every global key works (the dashboard's says who may use it), even those the
        // footer leaves out.
        let global: Vec<&Binding> = keymap::GLOBAL
            .iter()
            .filter(|b| self.signed_in() || !matches!(b.cmd(), Cmd::Tab(_)))
            .collect();
        match keymap::lookup(&global, &key) {
            Some(Cmd::Help) => {
                self.help = true;
                vec![]
            }
            Some(Cmd::Quit) => self.quit(),
            Some(Cmd::Tab(i)) => self.switch_tab(i),
            _ => vec![],
        }
    }

    fn quit(&mut self) -> Vec<Io> {
        let typed = self
            .login
            .iter()
            .chain(self.tabs.iter().flatten())
            .any(|s| s.has_input());
        if typed {
            self.question = Some(Question {
                text: self
                    .lang
                    .t(
                        "Une saisie est en cours. Quitter quand même ?",
                        "A form holds typed input. Quit anyway?",
                    )
                    .into(),
                answer: Answer::Quit,
                no: None,
                keys: None,
                screen: 0,
            });
            return vec![];
        }
        self.running = false;
        vec![Io::Quit]
    }

    fn switch_tab(&mut self, i: usize) -> Vec<Io> {
        // The dashboard is for MANAGER and ADMIN: its key says so to a VOLUNTEER.
        if i == DASHBOARD && !self.ctx().is_manager() {
            let message = self.lang.t("réservé aux gestionnaires", "managers only");
            self.show_toast(message.to_string());
            return vec![];
        }
        if i >= self.tabs.len() {
            return vec![];
        }
        self.tab = i;
        self.show_active()
    }

    fn show_toast(&mut self, text: String) {
        self.toast = Some((text, self.now + chrono::Duration::seconds(4)));
    }

    fn show_active(&mut self) -> Vec<Io> {
        self.on_screen(None, |screen, ctx| screen.show(ctx))
    }

    /// Runs `f` on one screen (the active one, or the one with this id) with the context it
    /// may read, then carries out its effects. A screen that is gone gets nothing.
    fn on_screen(
        &mut self,
        id: Option<u64>,
        f: impl FnOnce(&mut dyn Screen, &Ctx) -> Vec<Effect>,
    ) -> Vec<Io> {
        // The screens and the session are different fields: both can be borrowed at once.
        let ctx = Ctx {
            lang: self.lang,
            now: self.now,
            session: self.session.as_ref(),
            live: self.live,
        };
        let screen = match id {
            None => Some(active_of(&mut self.login, &mut self.tabs, self.tab)),
            Some(id) => find_of(&mut self.login, &mut self.tabs, id),
        };
        let Some(screen) = screen else {
            return vec![];
        };
        let target = screen.inflight().screen();
        let effects = f(screen.as_mut(), &ctx);
        self.apply(target, effects)
    }

    fn command_to(&mut self, screen: u64, cmd: Cmd) -> Vec<Io> {
        self.on_screen(Some(screen), |target, ctx| target.command(cmd, ctx))
    }

    fn response(&mut self, ticket: Ticket, response: Response) -> Vec<Io> {
        let flight = self.flights.remove(&ticket);
        if let Err(ApiError::Unreachable(_)) = &response {
            // Reads are tried again with backoff (1, 2, 4… 30 s) while the screen still wants
            // them; the screen keeps what it showed. Writes come back to the form, input kept.
            if let Some(mut flight) = flight
                && flight.request.is_read()
                && self.still_wanted(&ticket)
            {
                let delay = Duration::from_secs(2u64.pow(flight.attempts.min(5)).min(30));
                flight.attempts += 1;
                self.connection = Connection::Offline {
                    retry_at: self.now + chrono::Duration::from_std(delay).unwrap_or_default(),
                };
                self.flights.insert(ticket, flight);
                return vec![Io::RetryAfter(delay, ticket)];
            }
            self.connection = Connection::Offline { retry_at: self.now };
        } else {
            self.connection = Connection::Online;
        }
        let expired = matches!(&response, Err(e) if e.code() == Some("UNAUTHENTICATED"));
        if expired && ticket.slot != "login" && self.login.is_none() {
            return self.session_expired();
        }
        if ticket.screen == self.own.screen() {
            return self.own_response(ticket, response);
        }
        // A screen closed since it asked: its answer is dropped (on_screen finds nobody).
        self.on_screen(Some(ticket.screen), |screen, ctx| {
            screen.response(ticket, response, ctx)
        })
    }

    fn session_expired(&mut self) -> Vec<Io> {
        let email = self
            .session
            .as_ref()
            .map(|s| s.user.email.clone())
            .unwrap_or_default();
        let mut login = Login::new(&self.server, &email);
        login.set_message(self.lang.t(
            "Session expirée (le serveur a peut-être redémarré) : reconnectez-vous. Vos saisies sont gardées.",
            "Session expired (the server may have restarted): log in again. What you typed is kept.",
        ));
        self.login = Some(Box::new(login));
        self.live = false;
        vec![Io::SetToken(None)]
    }

    fn own_response(&mut self, ticket: Ticket, response: Response) -> Vec<Io> {
        if !self.own.accept(&ticket) || ticket.slot == "logout" {
            return vec![];
        }
        match response {
            Ok(Payload::Session { user, sites }) if !sites.is_empty() => {
                let user = user.or_else(|| self.signing_in.take());
                let Some(user) = user else {
                    return self.session_expired();
                };
                // The same person signing in again keeps their site and their tabs.
                let same = self.session.as_ref().is_some_and(|s| s.user.id == user.id);
                let site = if same {
                    self.session.as_ref().map_or(0, |s| s.site)
                } else {
                    0
                };
                self.session = Some(Session { user, sites, site });
                self.login = None;
                if !same || self.tabs.is_empty() {
                    self.tabs = vec![
                        vec![Box::new(Today::default())],
                        vec![Box::new(Bookings::default())],
                        vec![Box::new(People::default())],
                        vec![Box::new(Events::default())],
                        vec![Box::new(Hours::default())],
                        // Never shown to a VOLUNTEER (its key says who may use it).
                        vec![Box::new(Dashboard::default())],
                    ];
                    self.tab = 0;
                }
                self.show_active()
            }
            Ok(_) => {
                self.back_to_login(self.lang.t(
                    "Ce serveur n'a aucun site : créez-en un (lieu-api) puis reconnectez-vous.",
                    "This server has no site: create one (lieu-api), then log in again.",
                ));
                self.live = false;
                vec![Io::SetToken(None)]
            }
            Err(err) => {
                let message = crate::ui::widgets::describe(&self.ctx(), &err);
                let mut login = Login::new(&self.server, "");
                login.set_error(message);
                self.login = Some(Box::new(login));
                self.live = false;
                vec![Io::SetToken(None)]
            }
        }
    }

    fn back_to_login(&mut self, message: &'static str) {
        let mut login = Login::new(&self.server, "");
        login.set_error(message.to_string());
        self.login = Some(Box::new(login));
    }
}

type Stack = Vec<Box<dyn Screen>>;

/// The screen keys go to: the login while signed out, else the top of the active tab.
fn active_of<'a>(
    login: &'a mut Option<Box<dyn Screen>>,
    tabs: &'a mut [Stack],
    tab: usize,
) -> &'a mut Box<dyn Screen> {
    match login {
        Some(login) => login,
        None => tabs[tab].last_mut().expect("a tab is never empty"),
    }
}

/// The screen (open in any tab) that owns this id.
fn find_of<'a>(
    login: &'a mut Option<Box<dyn Screen>>,
    tabs: &'a mut [Stack],
    id: u64,
) -> Option<&'a mut Box<dyn Screen>> {
    if let Some(screen) = login.as_mut().filter(|s| s.inflight().screen() == id) {
        return Some(screen);
    }
    tabs.iter_mut()
        .flatten()
        .find(|s| s.inflight().screen() == id)
}

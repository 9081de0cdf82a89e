//! The application state and its event loop. `update` never waits on the network: it spawns
//! the request, and the result comes back as an [`Action`] over the channel.

use std::time::Duration;

use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{self, Event};
use tokio::sync::mpsc;

use crate::action::Action;
use crate::api::{ApiError, Client, Me, SiteRow};
use crate::i18n::Lang;
use crate::{keymap, ui};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Field {
    #[default]
    Email,
    Password,
}

#[derive(Debug, Default)]
pub struct LoginState {
    pub email: String,
    pub password: String,
    pub focus: Field,
    pub busy: bool,
    pub error: Option<String>,
}

#[derive(Debug, Default)]
pub struct HomeState {
    pub me: Option<Me>,
    /// None while loading.
    pub sites: Option<Vec<SiteRow>>,
    pub error: Option<String>,
}

#[derive(Debug)]
pub enum Screen {
    Login(LoginState),
    Home(HomeState),
}

pub struct App {
    pub client: Client,
    pub lang: Lang,
    pub screen: Screen,
    pub running: bool,
    tx: mpsc::UnboundedSender<Action>,
    rx: mpsc::UnboundedReceiver<Action>,
}

impl App {
    pub fn new(client: Client, lang: Lang) -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        Self {
            client,
            lang,
            screen: Screen::Login(LoginState::default()),
            running: true,
            tx,
            rx,
        }
    }

    pub async fn run(mut self, mut terminal: DefaultTerminal) -> anyhow::Result<()> {
        // Terminal events are read on their own thread and join API results on one channel.
        let keys = self.tx.clone();
        std::thread::spawn(move || {
            loop {
                match event::poll(Duration::from_millis(250)) {
                    Ok(true) => match event::read() {
                        Ok(Event::Key(key)) => {
                            if keys.send(Action::Key(key)).is_err() {
                                break;
                            }
                        }
                        Ok(_) => {}
                        Err(_) => break,
                    },
                    Ok(false) => {
                        if keys.is_closed() {
                            break;
                        }
                    }
                    Err(_) => break,
                }
            }
        });
        while self.running {
            terminal.draw(|frame| ui::render(&self, frame))?;
            match self.rx.recv().await {
                Some(action) => self.update(action),
                None => break,
            }
        }
        Ok(())
    }

    fn spawn<F>(&self, future: F)
    where
        F: std::future::Future<Output = Action> + Send + 'static,
    {
        let tx = self.tx.clone();
        tokio::spawn(async move {
            let _ = tx.send(future.await);
        });
    }

    pub fn text(&self) -> &'static crate::i18n::Text {
        self.lang.text()
    }

    /// Applies one action. Never awaits.
    pub fn update(&mut self, action: Action) {
        match action {
            Action::Key(key) => {
                if let Some(action) = keymap::map(&self.screen, key) {
                    self.update(action);
                }
            }
            Action::Quit => self.running = false,
            Action::ToggleLang => {
                self.lang = match self.lang {
                    Lang::Fr => Lang::En,
                    Lang::En => Lang::Fr,
                }
            }
            Action::Input(c) => {
                if let Screen::Login(login) = &mut self.screen {
                    match login.focus {
                        Field::Email => login.email.push(c),
                        Field::Password => login.password.push(c),
                    }
                }
            }
            Action::Backspace => {
                if let Screen::Login(login) = &mut self.screen {
                    match login.focus {
                        Field::Email => login.email.pop(),
                        Field::Password => login.password.pop(),
                    };
                }
            }
            Action::NextField => {
                if let Screen::Login(login) = &mut self.screen {
                    login.focus = match login.focus {
                        Field::Email => Field::Password,
                        Field::Password => Field::Email,
                    };
                }
            }
            Action::Submit => self.submit_login(),
            Action::LoggedIn(result) => self.logged_in(result),
            Action::Refresh => self.load_sites(),
            Action::SitesLoaded(result) => {
                if let Screen::Home(home) = &mut self.screen {
                    match result {
                        Ok(sites) => {
                            home.sites = Some(sites);
                            home.error = None;
                        }
                        Err(err) => {
                            home.error = Some(describe(self.lang, &self.client.server, &err))
                        }
                    }
                }
            }
            Action::Logout => {
                let client = self.client.clone();
                self.spawn(async move {
                    let _ = client.logout().await;
                    Action::LoggedOut
                });
            }
            Action::LoggedOut => {
                self.client.set_token(None);
                self.screen = Screen::Login(LoginState::default());
            }
        }
    }

    fn submit_login(&mut self) {
        let Screen::Login(login) = &mut self.screen else {
            return;
        };
        if login.busy {
            return;
        }
        if login.email.trim().is_empty() || login.password.is_empty() {
            login.error = Some(self.lang.text().empty_fields.to_string());
            return;
        }
        if login.focus == Field::Email {
            login.focus = Field::Password;
            if login.password.is_empty() {
                return;
            }
        }
        login.busy = true;
        login.error = None;
        let (email, password) = (login.email.trim().to_string(), login.password.clone());
        let client = self.client.clone();
        self.spawn(async move { Action::LoggedIn(client.login(&email, &password).await) });
    }

    fn logged_in(&mut self, result: Result<(String, Me), ApiError>) {
        match result {
            Ok((token, me)) => {
                self.client.set_token(Some(token));
                self.screen = Screen::Home(HomeState {
                    me: Some(me),
                    ..HomeState::default()
                });
                self.load_sites();
            }
            Err(err) => {
                let message = describe(self.lang, &self.client.server, &err);
                if let Screen::Login(login) = &mut self.screen {
                    login.busy = false;
                    login.password.clear();
                    login.error = Some(message);
                }
            }
        }
    }

    fn load_sites(&mut self) {
        if let Screen::Home(home) = &mut self.screen {
            home.sites = None;
        }
        let client = self.client.clone();
        self.spawn(async move { Action::SitesLoaded(client.sites().await) });
    }
}

/// A message a person can act on.
pub fn describe(lang: Lang, server: &str, err: &ApiError) -> String {
    let text = lang.text();
    match err {
        ApiError::Unreachable(_) => text.unreachable.replace("{url}", server),
        ApiError::Graphql {
            code,
            retry_after_seconds,
            ..
        } if code == "RATE_LIMITED" => text
            .rate_limited
            .replace("{s}", &retry_after_seconds.unwrap_or(60).to_string()),
        ApiError::Graphql { code, .. } if code == "UNAUTHENTICATED" => {
            text.bad_credentials.to_string()
        }
        ApiError::Graphql { message, .. } => message.clone(),
        ApiError::Protocol(detail) => detail.clone(),
    }
}

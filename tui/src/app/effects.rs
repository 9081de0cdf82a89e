//! What the app does with a screen's effects: requests to the runtime, screens pushed and
//! closed (in the sender's own tab), questions, toasts, the session's changes.

use super::{App, Flight, Io, Question};
use crate::api::Request;
use crate::ui::screen::{Ctx, Effect};
use crate::ui::screens::login::Login;

impl App {
    /// Carries out a screen's effects.
    pub(super) fn apply(&mut self, screen: u64, effects: Vec<Effect>) -> Vec<Io> {
        let mut io = Vec::new();
        for effect in effects {
            match effect {
                Effect::Request(ticket, request) => {
                    self.flights.insert(
                        ticket,
                        Flight {
                            request: request.clone(),
                            attempts: 0,
                        },
                    );
                    io.push(Io::Perform(ticket, request));
                }
                Effect::Push(mut next) => {
                    if self.login.is_some() {
                        continue;
                    }
                    let ctx = Ctx {
                        lang: self.lang,
                        now: self.now,
                        session: self.session.as_ref(),
                        live: self.live,
                    };
                    let effects = next.show(&ctx);
                    let id = next.inflight().screen();
                    self.tabs[self.tab].push(next);
                    io.extend(self.apply(id, effects));
                }
                Effect::Pop => {
                    // The screen that asked closes, in whichever tab it is (a form that
                    // saves after the desk switched tabs must not close another screen).
                    let tab = self.tabs.iter().position(|stack| {
                        stack.len() > 1
                            && stack
                                .last()
                                .is_some_and(|s| s.inflight().screen() == screen)
                    });
                    if let Some(tab) = tab
                        && self.login.is_none()
                    {
                        self.tabs[tab].pop();
                        if tab == self.tab {
                            io.extend(self.show_active());
                        }
                    }
                }
                Effect::Ask { question, answer } => {
                    self.question = Some(Question {
                        text: question,
                        answer,
                        no: None,
                        keys: None,
                        screen,
                    });
                }
                Effect::Choose {
                    question,
                    keys,
                    yes,
                    no,
                } => {
                    self.question = Some(Question {
                        text: question,
                        answer: yes,
                        no: Some(no),
                        keys: Some(keys),
                        screen,
                    });
                }
                Effect::Toast(text) => self.show_toast(text),
                Effect::UseServer(server) => {
                    self.server = server.clone();
                    io.push(Io::SetServer(server));
                }
                Effect::SignedIn {
                    server,
                    email,
                    token,
                    user,
                } => {
                    self.signing_in = Some(user);
                    io.push(Io::SetToken(Some(token)));
                    io.push(Io::Remember { server, email });
                    let Effect::Request(ticket, request) =
                        self.own.issue("session", Request::Session)
                    else {
                        unreachable!("issue makes a request")
                    };
                    self.flights.insert(
                        ticket,
                        Flight {
                            request: request.clone(),
                            attempts: 0,
                        },
                    );
                    io.push(Io::Perform(ticket, request));
                }
                Effect::SignOut => {
                    let Effect::Request(ticket, request) =
                        self.own.issue("logout", Request::Logout)
                    else {
                        unreachable!("issue makes a request")
                    };
                    io.push(Io::Perform(ticket, request));
                    self.session = None;
                    self.live = false;
                    self.tabs.clear();
                    self.login = Some(Box::new(Login::new(&self.server, "")));
                    io.push(Io::SetToken(None));
                }
                Effect::NextSite => {
                    if let Some(session) = &mut self.session {
                        session.site = (session.site + 1) % session.sites.len().max(1);
                        let name = session.site().name.clone();
                        self.show_toast(name);
                    }
                    // Each screen reloads for the new site when it is shown; the active one
                    // at once. Open forms stay (nothing typed is dropped).
                    io.extend(self.show_active());
                }
            }
        }
        io
    }
}

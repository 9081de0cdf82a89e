//! What every screen is to the [`App`](crate::app::App): a state with bindings, an `update`
//! that returns effects (never awaits, never spawns), a pure view.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

use crate::api::model::{Site, User};
use crate::api::{Request, Response};
use crate::i18n::Lang;
use crate::keymap::{Binding, Cmd};

/// Who is signed in, and at which site.
#[derive(Clone, Debug)]
pub struct Session {
    pub user: User,
    pub sites: Vec<Site>,
    pub site: usize,
}

impl Session {
    pub fn site(&self) -> &Site {
        &self.sites[self.site.min(self.sites.len().saturating_sub(1))]
    }
}

/// What a screen may read of the app while it updates or draws.
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    pub lang: Lang,
    pub now: DateTime<Utc>,
    pub session: Option<&'a Session>,
    /// The activity subscription is up (else screens that follow the venue poll).
    pub live: bool,
}

impl Ctx<'_> {
    pub fn tz(&self) -> Tz {
        self.session
            .map(|s| s.site().tz)
            .unwrap_or(chrono_tz::Europe::Paris)
    }

    pub fn site_id(&self) -> String {
        self.session
            .map(|s| s.site().id.clone())
            .unwrap_or_default()
    }

    pub fn is_manager(&self) -> bool {
        self.session.is_some_and(|s| s.user.role.is_manager())
    }

    pub fn several_sites(&self) -> bool {
        self.session.is_some_and(|s| s.sites.len() > 1)
    }

    pub fn today(&self) -> chrono::NaiveDate {
        crate::format::local_day(self.tz(), self.now)
    }

    pub fn t(&self, fr: &'static str, en: &'static str) -> &'static str {
        self.lang.t(fr, en)
    }
}

/// Even with live updates, screens that follow the venue read it again this often: some
/// changes have no activity event (an undone check-in, a moved booking).
pub const LIVE_SAFETY_SECONDS: i64 = 60;

/// Time to read again: `every` seconds since `since` without live updates, a minute with.
pub fn poll_due(ctx: &Ctx, since: Option<DateTime<Utc>>, every: i64) -> bool {
    let every = if ctx.live { LIVE_SAFETY_SECONDS } else { every };
    since.is_some_and(|at| ctx.now - at >= chrono::Duration::seconds(every))
}

/// Identifies one request: which screen asked, for what, and which attempt. A screen accepts
/// only the answer to its latest request of each kind, so a slow stale answer never lands on
/// a newer screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Ticket {
    pub screen: u64,
    pub slot: &'static str,
    pub generation: u64,
}

/// A screen's requests in flight, by slot.
#[derive(Debug)]
pub struct Inflight {
    screen: u64,
    next: u64,
    latest: HashMap<&'static str, u64>,
}

static NEXT_SCREEN: AtomicU64 = AtomicU64::new(1);

impl Default for Inflight {
    fn default() -> Self {
        Self {
            screen: NEXT_SCREEN.fetch_add(1, Ordering::Relaxed),
            next: 0,
            latest: HashMap::new(),
        }
    }
}

impl Inflight {
    pub fn screen(&self) -> u64 {
        self.screen
    }

    /// A new request for `slot`; any earlier one for it becomes stale.
    pub fn issue(&mut self, slot: &'static str, request: Request) -> Effect {
        self.next += 1;
        self.latest.insert(slot, self.next);
        Effect::Request(
            Ticket {
                screen: self.screen,
                slot,
                generation: self.next,
            },
            request,
        )
    }

    pub fn is_current(&self, ticket: &Ticket) -> bool {
        ticket.screen == self.screen && self.latest.get(ticket.slot) == Some(&ticket.generation)
    }

    /// True (once) for the answer to the latest request of its slot.
    pub fn accept(&mut self, ticket: &Ticket) -> bool {
        let current = self.is_current(ticket);
        if current {
            self.latest.remove(ticket.slot);
        }
        current
    }

    /// Forgets a request: its answer will be dropped.
    pub fn cancel(&mut self, slot: &str) {
        self.latest.remove(slot);
    }

    pub fn busy(&self, slot: &str) -> bool {
        self.latest.contains_key(slot)
    }
}

/// What an update asks the app to do.
pub enum Effect {
    Request(Ticket, Request),
    /// Open a screen above this one (in the same tab).
    Push(Box<dyn Screen>),
    /// Close this screen; the one below is shown again (and refreshed).
    Pop,
    /// A yes/no question; yes sends `Cmd::Yes(answer)` back to the screen that asked.
    Ask {
        question: String,
        answer: crate::keymap::Answer,
    },
    /// A question with two ways on (`o`/`y`/`Enter` sends `Cmd::Yes(yes)`, `n` sends
    /// `Cmd::Yes(no)`) and `Esc` to go back without either; `keys` says which is which.
    Choose {
        question: String,
        keys: String,
        yes: crate::keymap::Answer,
        no: crate::keymap::Answer,
    },
    Toast(String),
    /// The login screen has a session token for this user.
    SignedIn {
        server: String,
        email: String,
        token: String,
        user: User,
    },
    /// Talk to this server from now on (typed on the login screen).
    UseServer(String),
    SignOut,
    NextSite,
}

impl std::fmt::Debug for Effect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Effect::Request(t, r) => write!(f, "Request({t:?}, {r:?})"),
            Effect::Push(s) => write!(f, "Push({})", s.name()),
            Effect::Pop => write!(f, "Pop"),
            Effect::Ask { question, .. } | Effect::Choose { question, .. } => {
                write!(f, "Ask({question})")
            }
            Effect::Toast(t) => write!(f, "Toast({t})"),
            Effect::SignedIn { email, .. } => write!(f, "SignedIn({email})"),
            Effect::UseServer(s) => write!(f, "UseServer({s})"),
            Effect::SignOut => write!(f, "SignOut"),
            Effect::NextSite => write!(f, "NextSite"),
        }
    }
}

/// Whether keys go to a text field first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Nav,
    Text,
}

pub trait Screen {
    /// A stable name for logs and tests (`"bookings"`).
    fn name(&self) -> &'static str;
    /// The title of the screen's main block (TUI.md fixes the top-level ones).
    fn title(&self, lang: Lang) -> String;
    fn inflight(&self) -> &Inflight;
    fn mode(&self) -> Mode {
        Mode::Nav
    }
    /// The keys that work now, in the order the footer shows them.
    fn bindings(&self, ctx: &Ctx) -> Vec<&'static Binding>;
    fn command(&mut self, cmd: Cmd, ctx: &Ctx) -> Vec<Effect>;
    /// A key no binding took while a text field has the focus.
    fn text_key(&mut self, _key: KeyEvent, _ctx: &Ctx) -> Vec<Effect> {
        vec![]
    }
    fn response(&mut self, ticket: Ticket, response: Response, ctx: &Ctx) -> Vec<Effect>;
    /// About four times a second: debounce, countdowns, the current hour.
    fn tick(&mut self, _ctx: &Ctx) -> Vec<Effect> {
        vec![]
    }
    /// Something happened at the venue (the activity subscription), while this screen is
    /// the one on screen.
    fn activity(&mut self, _activity: &crate::live::Activity, _ctx: &Ctx) -> Vec<Effect> {
        vec![]
    }
    /// Shown (again): load or refresh what it shows.
    fn show(&mut self, ctx: &Ctx) -> Vec<Effect>;
    /// Typed input that leaving would drop.
    fn has_input(&self) -> bool {
        false
    }
    fn view(&self, frame: &mut Frame, area: Rect, ctx: &Ctx);
}

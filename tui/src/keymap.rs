//! Keys as data. Each screen lists its [`Binding`]s; the same list drives the key handling,
//! the footer and the help overlay (`?`), so what is shown is what works.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::i18n::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Enter,
    Esc,
    Tab,
    BackTab,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Home,
    End,
    Backspace,
    Delete,
    F(u8),
    Ctrl(char),
}

impl Key {
    pub fn matches(self, event: &KeyEvent) -> bool {
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        match (self, event.code) {
            (Key::Ctrl(c), KeyCode::Char(k)) => ctrl && k.eq_ignore_ascii_case(&c),
            (_, _) if ctrl => false,
            (Key::Char(c), KeyCode::Char(k)) => c == k,
            (Key::Enter, KeyCode::Enter) => true,
            (Key::Esc, KeyCode::Esc) => true,
            (Key::Tab, KeyCode::Tab) => !event.modifiers.contains(KeyModifiers::SHIFT),
            (Key::BackTab, KeyCode::BackTab) => true,
            (Key::Up, KeyCode::Up) => true,
            (Key::Down, KeyCode::Down) => true,
            (Key::Left, KeyCode::Left) => true,
            (Key::Right, KeyCode::Right) => true,
            (Key::PageUp, KeyCode::PageUp) => true,
            (Key::PageDown, KeyCode::PageDown) => true,
            (Key::Home, KeyCode::Home) => true,
            (Key::End, KeyCode::End) => true,
            (Key::Backspace, KeyCode::Backspace) => true,
            (Key::Delete, KeyCode::Delete) => true,
            (Key::F(n), KeyCode::F(k)) => n == k,
            _ => false,
        }
    }

    pub fn label(self, lang: Lang) -> String {
        match self {
            Key::Char(' ') => lang.t("Espace", "Space").into(),
            Key::Char(c) => c.to_string(),
            Key::Enter => lang.t("Entrée", "Enter").into(),
            Key::Esc => lang.t("Échap", "Esc").into(),
            Key::Tab => "Tab".into(),
            Key::BackTab => "⇧Tab".into(),
            Key::Up => "↑".into(),
            Key::Down => "↓".into(),
            Key::Left => "←".into(),
            Key::Right => "→".into(),
            Key::PageUp => lang.t("PgPréc", "PgUp").into(),
            Key::PageDown => lang.t("PgSuiv", "PgDn").into(),
            Key::Home => lang.t("Début", "Home").into(),
            Key::End => lang.t("Fin", "End").into(),
            Key::Backspace => "⌫".into(),
            Key::Delete => lang.t("Suppr", "Del").into(),
            Key::F(n) => format!("F{n}"),
            Key::Ctrl(c) => format!("Ctrl+{}", c.to_ascii_uppercase()),
        }
    }
}

/// What a key asks for. One vocabulary for every screen; each screen binds the ones it does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmd {
    // Global
    Tab(usize),
    Help,
    Quit,
    Lang,
    // Moving
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    NextPane,
    PrevPane,
    PrevDay,
    NextDay,
    Today,
    // Doing
    Open,
    Back,
    New,
    Search,
    Refresh,
    Submit,
    NextSite,
    Edit,
    CancelBooking,
    CancelSeries,
    ConfirmBooking,
    MarkPaid,
    StartMembership,
    Renew,
    CancelMembership,
    SignOut,
    CheckIn,
    UndoCheckIn,
    /// Everyone, or only who has not come yet.
    ToggleFilter,
    /// Register a known person or someone by name (may be waitlisted).
    Register,
    CancelRegistration,
    /// Delete an entry (volunteer hours).
    Delete,
    /// Shown in the footer while typing; the text field handles the key itself.
    Typing,
    // Answers to questions (sent back to the screen that asked)
    Yes(Answer),
}

/// What a yes answers; the screen that asked knows what to do with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    DropInput,
    CancelBooking,
    /// Cancel a paid booking and pay it back.
    CancelAndRefund,
    /// Cancel a paid booking and keep the payment.
    CancelKeepPayment,
    CancelSeries,
    /// Cancel the rest of a series whose paid occurrences are paid back.
    CancelSeriesAndRefund,
    /// Cancel the rest of a series and keep what was paid.
    CancelSeriesKeepPayment,
    MarkPaid,
    ConfirmBooking,
    CancelMembership,
    CancelRegistration,
    /// Cancel a paid registration and pay it back.
    CancelRegistrationAndRefund,
    /// Cancel a paid registration and keep the payment.
    CancelRegistrationKeepPayment,
    /// The event is full: put the walk-in on the waitlist instead.
    Waitlist,
    DeleteEntry,
    Quit,
}

/// Keys shown together under one label (`←/→ jour`), each with its own command.
#[derive(Debug)]
pub struct Binding {
    pub keys: &'static [(Key, Cmd)],
    pub fr: &'static str,
    pub en: &'static str,
}

impl Binding {
    pub fn label(&self, lang: Lang) -> &'static str {
        lang.t(self.fr, self.en)
    }

    pub fn keys_label(&self, lang: Lang) -> String {
        self.keys
            .iter()
            .map(|(k, _)| k.label(lang))
            .collect::<Vec<_>>()
            .join("/")
    }

    /// The command of the group's first key (a group of one).
    pub fn cmd(&self) -> Cmd {
        self.keys[0].1
    }
}

pub const fn bind(keys: &'static [(Key, Cmd)], fr: &'static str, en: &'static str) -> Binding {
    Binding { keys, fr, en }
}

/// The command that `event` triggers in `table`, if any.
pub fn lookup(table: &[&Binding], event: &KeyEvent) -> Option<Cmd> {
    if event.kind == KeyEventKind::Release {
        return None;
    }
    table
        .iter()
        .flat_map(|b| b.keys.iter())
        .find(|(k, _)| k.matches(event))
        .map(|(_, cmd)| *cmd)
}

/// Keys that work everywhere outside a text field (TUI.md).
pub static GLOBAL: [Binding; 9] = [
    bind(&[(Key::Char('1'), Cmd::Tab(0))], "Aujourd'hui", "Today"),
    bind(&[(Key::Char('2'), Cmd::Tab(1))], "Réservations", "Bookings"),
    bind(&[(Key::Char('3'), Cmd::Tab(2))], "Personnes", "People"),
    bind(&[(Key::Char('4'), Cmd::Tab(3))], "Événements", "Events"),
    bind(&[(Key::Char('5'), Cmd::Tab(4))], "Heures", "Hours"),
    bind(
        &[(Key::Char('6'), Cmd::Tab(5))],
        "Tableau de bord",
        "Dashboard",
    ),
    bind(&[(Key::Char('?'), Cmd::Help)], "aide", "help"),
    bind(&[(Key::F(2), Cmd::Lang)], "English", "français"),
    bind(&[(Key::Char('q'), Cmd::Quit)], "quitter", "quit"),
];

/// Keys of a text field, shown in the footer and help while one has the focus.
pub static TEXT_EDITING: [Binding; 4] = [
    bind(
        &[(Key::Left, Cmd::Typing), (Key::Right, Cmd::Typing)],
        "curseur",
        "cursor",
    ),
    bind(
        &[(Key::Home, Cmd::Typing), (Key::End, Cmd::Typing)],
        "début/fin",
        "start/end",
    ),
    bind(
        &[(Key::Backspace, Cmd::Typing), (Key::Delete, Cmd::Typing)],
        "effacer",
        "erase",
    ),
    bind(&[(Key::Ctrl('c'), Cmd::Quit)], "quitter", "quit"),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn keys_match_their_events() {
        assert!(Key::Char('q').matches(&ev(KeyCode::Char('q'), KeyModifiers::NONE)));
        assert!(!Key::Char('q').matches(&ev(KeyCode::Char('q'), KeyModifiers::CONTROL)));
        assert!(Key::Ctrl('c').matches(&ev(KeyCode::Char('c'), KeyModifiers::CONTROL)));
        assert!(Key::Char('R').matches(&ev(KeyCode::Char('R'), KeyModifiers::SHIFT)));
        assert!(Key::BackTab.matches(&ev(KeyCode::BackTab, KeyModifiers::SHIFT)));
        assert!(!Key::Tab.matches(&ev(KeyCode::Tab, KeyModifiers::SHIFT)));
        let table: Vec<&Binding> = GLOBAL.iter().collect();
        let hit = lookup(&table, &ev(KeyCode::Char('3'), KeyModifiers::NONE));
        assert_eq!(hit, Some(Cmd::Tab(2)));
        assert_eq!(GLOBAL[2].label(Lang::Fr), "Personnes");
    }
}

//! Everything that can happen to the app: keys turned into intents, and API results coming back.

use ratatui::crossterm::event::KeyEvent;

use crate::api::{ApiError, Me, SiteRow};

#[derive(Debug)]
pub enum Action {
    /// A key press, mapped to an action by `keymap` against the current screen.
    Key(KeyEvent),
    Quit,
    ToggleLang,
    // Login form
    Input(char),
    Backspace,
    NextField,
    Submit,
    LoggedIn(Result<(String, Me), ApiError>),
    // Home
    Refresh,
    SitesLoaded(Result<Vec<SiteRow>, ApiError>),
    Logout,
    LoggedOut,
}

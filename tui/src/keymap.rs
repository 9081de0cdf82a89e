//! (screen, key) -> action. Pure, so it is tested without a terminal.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::action::Action;
use crate::app::Screen;

pub fn map(screen: &Screen, key: KeyEvent) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
        return Some(Action::Quit);
    }
    if key.code == KeyCode::F(2) {
        return Some(Action::ToggleLang);
    }
    match screen {
        Screen::Login(_) => match key.code {
            KeyCode::Esc => Some(Action::Quit),
            KeyCode::Tab | KeyCode::BackTab | KeyCode::Down | KeyCode::Up => {
                Some(Action::NextField)
            }
            KeyCode::Enter => Some(Action::Submit),
            KeyCode::Backspace => Some(Action::Backspace),
            KeyCode::Char(c) => Some(Action::Input(c)),
            _ => None,
        },
        Screen::Home(_) => match key.code {
            KeyCode::Char('q') | KeyCode::Esc => Some(Action::Quit),
            KeyCode::Char('r') => Some(Action::Refresh),
            KeyCode::Char('d') => Some(Action::Logout),
            _ => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::{HomeState, LoginState};

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn typing_on_the_login_screen_is_input_not_commands() {
        let login = Screen::Login(LoginState::default());
        assert!(matches!(
            map(&login, key(KeyCode::Char('q'))),
            Some(Action::Input('q'))
        ));
        assert!(matches!(map(&login, key(KeyCode::Esc)), Some(Action::Quit)));
        assert!(matches!(
            map(&login, key(KeyCode::Enter)),
            Some(Action::Submit)
        ));
        let home = Screen::Home(HomeState::default());
        assert!(matches!(
            map(&home, key(KeyCode::Char('q'))),
            Some(Action::Quit)
        ));
        assert!(matches!(
            map(&home, key(KeyCode::Char('d'))),
            Some(Action::Logout)
        ));
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert!(matches!(map(&login, ctrl_c), Some(Action::Quit)));
    }
}

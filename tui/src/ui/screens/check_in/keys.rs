use crate::keymap::{Binding, Cmd, Key, bind};

pub static SEARCH: Binding = bind(
    &[(Key::Char('/'), Cmd::Search)],
    "chercher, scanner",
    "search, scan",
);
pub static SELECT: Binding = bind(
    &[(Key::Up, Cmd::Up), (Key::Down, Cmd::Down)],
    "choisir",
    "select",
);
pub static CHECK_IN: Binding = bind(
    &[(Key::Enter, Cmd::CheckIn), (Key::Char(' '), Cmd::CheckIn)],
    "pointer",
    "check in",
);
pub static UNDO: Binding = bind(&[(Key::Char('u'), Cmd::UndoCheckIn)], "dépointer", "undo");
pub static WALK_IN: Binding = bind(&[(Key::Char('n'), Cmd::New)], "sur place", "walk-in");
pub static REGISTER: Binding = bind(&[(Key::Char('p'), Cmd::Register)], "inscrire", "register");
pub static CANCEL: Binding = bind(
    &[(Key::Char('x'), Cmd::CancelRegistration)],
    "désinscrire",
    "cancel",
);
pub static FILTER: Binding = bind(&[(Key::Char('a'), Cmd::ToggleFilter)], "absents", "not in");
pub static REFRESH: Binding = bind(&[(Key::Char('r'), Cmd::Refresh)], "actualiser", "refresh");
pub static BACK: Binding = bind(&[(Key::Esc, Cmd::Back)], "retour", "back");

/// While the search field has the focus (a scanner types the code, then Enter).
pub static TYPING: [Binding; 3] = [
    bind(&[(Key::Enter, Cmd::CheckIn)], "pointer", "check in"),
    bind(
        &[(Key::Up, Cmd::Up), (Key::Down, Cmd::Down)],
        "choisir",
        "select",
    ),
    bind(
        &[(Key::Esc, Cmd::Back), (Key::Tab, Cmd::Back)],
        "quitter le champ",
        "leave the field",
    ),
];

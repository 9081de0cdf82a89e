use crate::keymap::{Binding, Cmd, Key, bind};

pub static SELECT: Binding = bind(
    &[(Key::Up, Cmd::Up), (Key::Down, Cmd::Down)],
    "choisir",
    "select",
);
pub static LOG: Binding = bind(
    &[(Key::Char('n'), Cmd::New)],
    "noter des heures",
    "log hours",
);
pub static EDIT: Binding = bind(
    &[(Key::Enter, Cmd::Edit), (Key::Char('e'), Cmd::Edit)],
    "corriger",
    "correct",
);
pub static DELETE: Binding = bind(&[(Key::Char('x'), Cmd::Delete)], "supprimer", "delete");
/// Staff whose account is a person: their own hours, or the team's.
pub static MINE: Binding = bind(
    &[(Key::Char('m'), Cmd::ToggleFilter)],
    "mes heures / l'équipe",
    "mine / the team",
);
pub static REFRESH: Binding = bind(&[(Key::Char('r'), Cmd::Refresh)], "actualiser", "refresh");

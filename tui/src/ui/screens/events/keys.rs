use crate::keymap::{Binding, Cmd, Key, bind};

pub static SELECT: Binding = bind(
    &[(Key::Up, Cmd::Up), (Key::Down, Cmd::Down)],
    "choisir",
    "select",
);
pub static OPEN: Binding = bind(&[(Key::Enter, Cmd::Open)], "accueil", "check-in");
/// Only with several sites.
pub static SITE: Binding = bind(&[(Key::Char('s'), Cmd::NextSite)], "site", "site");
pub static REFRESH: Binding = bind(&[(Key::Char('r'), Cmd::Refresh)], "actualiser", "refresh");

use crate::keymap::{Binding, Cmd, Key, bind};

pub static SELECT: Binding = bind(
    &[(Key::Up, Cmd::Up), (Key::Down, Cmd::Down)],
    "choisir",
    "select",
);
pub static OPEN: Binding = bind(&[(Key::Enter, Cmd::Open)], "ouvrir", "open");
/// MANAGER and ADMIN, on a pending booking.
pub static APPROVE: Binding = bind(
    &[(Key::Char('c'), Cmd::ConfirmBooking)],
    "valider",
    "approve",
);
pub static DAY: Binding = bind(
    &[(Key::Left, Cmd::PrevDay), (Key::Right, Cmd::NextDay)],
    "jour",
    "day",
);
pub static TODAY: Binding = bind(&[(Key::Char('t'), Cmd::Today)], "aujourd'hui", "today");
pub static PANE: Binding = bind(
    &[(Key::Tab, Cmd::NextPane), (Key::BackTab, Cmd::PrevPane)],
    "volet",
    "pane",
);
pub static NEW: Binding = bind(&[(Key::Char('n'), Cmd::New)], "réserver", "book");
/// Only with several sites.
pub static SITE: Binding = bind(&[(Key::Char('s'), Cmd::NextSite)], "site", "site");
pub static REFRESH: Binding = bind(&[(Key::Char('r'), Cmd::Refresh)], "actualiser", "refresh");
pub static SIGN_OUT: Binding = bind(&[(Key::Char('D'), Cmd::SignOut)], "déconnexion", "sign out");

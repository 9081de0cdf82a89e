use crate::keymap::{Binding, Cmd, Key, bind};

pub static MOVE: Binding = bind(
    &[(Key::Up, Cmd::Up), (Key::Down, Cmd::Down)],
    "heure",
    "hour",
);
pub static DAY: Binding = bind(
    &[
        (Key::Char('h'), Cmd::PrevDay),
        (Key::Char('l'), Cmd::NextDay),
    ],
    "jour",
    "day",
);
pub static WEEK: Binding = bind(
    &[(Key::Left, Cmd::Left), (Key::Right, Cmd::Right)],
    "semaine",
    "week",
);
pub static OPEN: Binding = bind(&[(Key::Enter, Cmd::Open)], "ouvrir", "open");
pub static NEW: Binding = bind(&[(Key::Char('n'), Cmd::New)], "nouvelle", "new");
pub static SPACE: Binding = bind(
    &[(Key::Tab, Cmd::NextPane), (Key::BackTab, Cmd::PrevPane)],
    "espace",
    "space",
);
pub static THIS_WEEK: Binding = bind(
    &[(Key::Char('t'), Cmd::Today)],
    "cette semaine",
    "this week",
);
/// Only with several sites.
pub static SITE: Binding = bind(&[(Key::Char('s'), Cmd::NextSite)], "site", "site");
pub static REFRESH: Binding = bind(&[(Key::Char('r'), Cmd::Refresh)], "actualiser", "refresh");

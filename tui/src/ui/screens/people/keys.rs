use crate::keymap::{Binding, Cmd, Key, bind};

pub static SEARCH: Binding = bind(&[(Key::Char('/'), Cmd::Search)], "chercher", "search");
pub static SELECT: Binding = bind(
    &[
        (Key::Up, Cmd::Up),
        (Key::Down, Cmd::Down),
        (Key::PageUp, Cmd::PageUp),
        (Key::PageDown, Cmd::PageDown),
    ],
    "choisir",
    "select",
);
pub static OPEN: Binding = bind(&[(Key::Enter, Cmd::Open)], "fiche", "card");
pub static NEW: Binding = bind(
    &[(Key::Char('n'), Cmd::New)],
    "nouvelle personne",
    "new person",
);
pub static PANE: Binding = bind(
    &[(Key::Tab, Cmd::NextPane), (Key::BackTab, Cmd::PrevPane)],
    "échéances",
    "expiring",
);
pub static RENEW: Binding = bind(&[(Key::Char('R'), Cmd::Renew)], "renouveler", "renew");
pub static REFRESH: Binding = bind(&[(Key::Char('r'), Cmd::Refresh)], "actualiser", "refresh");

/// While the search field has the focus.
pub static TYPING: [Binding; 3] = [
    bind(
        &[(Key::Enter, Cmd::Submit), (Key::Down, Cmd::Submit)],
        "voir les résultats",
        "to the results",
    ),
    bind(
        &[(Key::Esc, Cmd::Back), (Key::Tab, Cmd::Back)],
        "quitter la recherche",
        "leave the search",
    ),
    bind(&[(Key::Up, Cmd::Up)], "", ""),
];

use crate::keymap::{Binding, Cmd, Key, bind};

pub static BACK: Binding = bind(&[(Key::Esc, Cmd::Back)], "retour", "back");
pub static EDIT: Binding = bind(&[(Key::Char('e'), Cmd::Edit)], "modifier", "edit");
pub static SELECT: Binding = bind(
    &[(Key::Up, Cmd::Up), (Key::Down, Cmd::Down)],
    "adhésion",
    "membership",
);
pub static START: Binding = bind(
    &[(Key::Char('m'), Cmd::StartMembership)],
    "adhérer",
    "new membership",
);
pub static RENEW: Binding = bind(&[(Key::Char('R'), Cmd::Renew)], "renouveler", "renew");
pub static CANCEL: Binding = bind(
    &[(Key::Char('x'), Cmd::CancelMembership)],
    "annuler l'adhésion",
    "cancel membership",
);
pub static BOOK: Binding = bind(&[(Key::Char('n'), Cmd::New)], "réserver pour", "book for");
pub static REFRESH: Binding = bind(&[(Key::Char('r'), Cmd::Refresh)], "actualiser", "refresh");

use crate::keymap::{Binding, Cmd, Key, bind};

pub static BINDINGS: [Binding; 3] = [
    bind(&[(Key::Enter, Cmd::Submit)], "se connecter", "sign in"),
    bind(
        &[(Key::Tab, Cmd::NextPane), (Key::Down, Cmd::NextPane)],
        "champ suivant",
        "next field",
    ),
    bind(
        &[(Key::BackTab, Cmd::PrevPane), (Key::Up, Cmd::PrevPane)],
        "champ précédent",
        "previous field",
    ),
];

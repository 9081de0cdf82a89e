use crate::keymap::{Binding, Cmd, Key, bind};

pub static BACK: Binding = bind(&[(Key::Esc, Cmd::Back)], "retour", "back");
pub static EDIT: Binding = bind(
    &[(Key::Char('e'), Cmd::Edit)],
    "modifier/déplacer",
    "edit/move",
);
pub static CANCEL: Binding = bind(&[(Key::Char('x'), Cmd::CancelBooking)], "annuler", "cancel");
pub static CANCEL_SERIES: Binding = bind(
    &[(Key::Char('X'), Cmd::CancelSeries)],
    "annuler la suite",
    "cancel the rest",
);
pub static PAID: Binding = bind(&[(Key::Char('p'), Cmd::MarkPaid)], "payé", "paid");
pub static APPROVE: Binding = bind(
    &[(Key::Char('c'), Cmd::ConfirmBooking)],
    "valider",
    "approve",
);
pub static REFRESH: Binding = bind(&[(Key::Char('r'), Cmd::Refresh)], "actualiser", "refresh");

/// While the cancellation reason is typed.
pub static REASON: [Binding; 2] = [
    bind(
        &[(Key::Enter, Cmd::Submit)],
        "annuler la réservation",
        "cancel the booking",
    ),
    bind(&[(Key::Esc, Cmd::Back)], "ne pas annuler", "keep it"),
];

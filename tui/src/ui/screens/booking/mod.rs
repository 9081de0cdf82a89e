//! One booking: what it is, and what the front desk does with it (move or edit, cancel with a
//! reason, cancel the rest of its series, mark it paid, approve it).

mod keys;
mod view;

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

use crate::api::model::{BookingRow, BookingStatus};
use crate::api::{ApiError, Payload, Request, Response};
use crate::i18n::Lang;
use crate::keymap::{Answer, Binding, Cmd};
use crate::ui::screen::{Ctx, Effect, Inflight, Mode, Screen, Ticket};
use crate::ui::screens::booking_form::BookingForm;
use crate::ui::widgets::{TextField, describe};

/// What the reason is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cancelling {
    One,
    Series,
}

pub struct BookingDetail {
    pub id: String,
    pub booking: Option<BookingRow>,
    /// Loaded once: None means "not found".
    pub loaded: bool,
    pub error: Option<String>,
    pub reason: Option<(Cancelling, TextField)>,
    /// The reason of a series cancellation in flight, kept in case the server asks whether
    /// to pay back its paid occurrences (only it knows which were).
    series_reason: Option<Option<String>>,
    inflight: Inflight,
}

impl BookingDetail {
    pub fn new(id: &str) -> Self {
        Self {
            id: id.to_string(),
            booking: None,
            loaded: false,
            error: None,
            reason: None,
            series_reason: None,
            inflight: Inflight::default(),
        }
    }

    fn load(&mut self) -> Vec<Effect> {
        vec![self.inflight.issue(
            "load",
            Request::Booking {
                id: self.id.clone(),
            },
        )]
    }

    fn active(&self) -> Option<&BookingRow> {
        self.booking
            .as_ref()
            .filter(|b| b.status != BookingStatus::Cancelled)
    }
}

impl Screen for BookingDetail {
    fn name(&self) -> &'static str {
        "booking"
    }

    fn title(&self, lang: Lang) -> String {
        lang.t("Réservation", "Booking").into()
    }

    fn inflight(&self) -> &Inflight {
        &self.inflight
    }

    fn mode(&self) -> Mode {
        if self.reason.is_some() {
            Mode::Text
        } else {
            Mode::Nav
        }
    }

    fn bindings(&self, ctx: &Ctx) -> Vec<&'static Binding> {
        if self.reason.is_some() {
            return keys::REASON.iter().collect();
        }
        let mut list = vec![&keys::BACK];
        if let Some(b) = self.active() {
            list.extend([&keys::EDIT, &keys::CANCEL]);
            if b.series_id.is_some() {
                list.push(&keys::CANCEL_SERIES);
            }
            if !b.paid && !b.price.is_zero() {
                list.push(&keys::PAID);
            }
            if b.status == BookingStatus::Pending && ctx.is_manager() {
                list.push(&keys::APPROVE);
            }
        }
        list.push(&keys::REFRESH);
        list
    }

    fn command(&mut self, cmd: Cmd, ctx: &Ctx) -> Vec<Effect> {
        if let Some((what, _)) = &self.reason
            && matches!(cmd, Cmd::Back | Cmd::Submit)
        {
            return match cmd {
                Cmd::Back => {
                    self.reason = None;
                    vec![]
                }
                Cmd::Submit => {
                    let question = match what {
                        Cancelling::One => ctx.t(
                            "Annuler cette réservation ? Le créneau sera libéré.",
                            "Cancel this booking? Its slot is freed.",
                        ),
                        Cancelling::Series => ctx.t(
                            "Annuler cette occurrence et toutes les suivantes de la série ?",
                            "Cancel this occurrence and every later one of the series?",
                        ),
                    };
                    vec![Effect::Ask {
                        question: question.into(),
                        answer: match what {
                            Cancelling::One => Answer::CancelBooking,
                            Cancelling::Series => Answer::CancelSeries,
                        },
                    }]
                }
                _ => vec![],
            };
        }
        let Some(b) = self.active().cloned() else {
            return match cmd {
                Cmd::Back => vec![Effect::Pop],
                Cmd::Refresh => self.load(),
                _ => vec![],
            };
        };
        let reason = || {
            let text = self
                .reason
                .as_ref()
                .map(|(_, r)| r.trimmed().to_string())
                .unwrap_or_default();
            (!text.is_empty()).then_some(text)
        };
        match cmd {
            Cmd::Back => vec![Effect::Pop],
            Cmd::Refresh => self.load(),
            Cmd::Edit => vec![Effect::Push(Box::new(BookingForm::edit(ctx, &b)))],
            Cmd::CancelBooking => {
                self.reason = Some((Cancelling::One, TextField::default()));
                vec![]
            }
            Cmd::CancelSeries if b.series_id.is_some() => {
                self.reason = Some((Cancelling::Series, TextField::default()));
                vec![]
            }
            Cmd::MarkPaid => vec![Effect::Ask {
                question: format!(
                    "{} {}{}",
                    ctx.t("Enregistrer le paiement de", "Record the payment of"),
                    crate::format::money(ctx.lang, b.price),
                    ctx.t(" ?", "?")
                ),
                answer: Answer::MarkPaid,
            }],
            Cmd::ConfirmBooking if ctx.is_manager() => vec![Effect::Ask {
                question: ctx
                    .t("Valider cette réservation ?", "Approve this booking?")
                    .into(),
                answer: Answer::ConfirmBooking,
            }],
            // A paid booking: the money is paid back or kept, the server wants to be told.
            Cmd::Yes(Answer::CancelBooking) if b.paid => vec![Effect::Choose {
                question: format!(
                    "{} {}{}",
                    ctx.t("Elle a été payée : rembourser", "It was paid: refund"),
                    crate::format::money(ctx.lang, b.price),
                    ctx.t(" ?", "?")
                ),
                keys: refund_keys(ctx),
                yes: Answer::CancelAndRefund,
                no: Answer::CancelKeepPayment,
            }],
            Cmd::Yes(
                answer @ (Answer::CancelBooking
                | Answer::CancelAndRefund
                | Answer::CancelKeepPayment),
            ) => {
                let reason = reason();
                self.reason = None;
                self.series_reason = None;
                let refund = match answer {
                    Answer::CancelAndRefund => Some(true),
                    Answer::CancelKeepPayment => Some(false),
                    _ => None,
                };
                vec![self.inflight.issue(
                    "cancel",
                    Request::CancelBooking {
                        id: b.id,
                        reason,
                        refund,
                    },
                )]
            }
            Cmd::Yes(
                answer @ (Answer::CancelSeries
                | Answer::CancelSeriesAndRefund
                | Answer::CancelSeriesKeepPayment),
            ) => {
                let (reason, refund) = match answer {
                    Answer::CancelSeries => (reason(), None),
                    Answer::CancelSeriesAndRefund => {
                        (self.series_reason.clone().flatten(), Some(true))
                    }
                    _ => (self.series_reason.clone().flatten(), Some(false)),
                };
                self.reason = None;
                self.series_reason = Some(reason.clone());
                let series_id = b.series_id.unwrap_or_default();
                vec![self.inflight.issue(
                    "cancel",
                    Request::CancelSeries {
                        series_id,
                        from: b.start,
                        reason,
                        refund,
                    },
                )]
            }
            Cmd::Yes(Answer::MarkPaid) => {
                vec![self.inflight.issue("paid", Request::MarkPaid { id: b.id })]
            }
            Cmd::Yes(Answer::ConfirmBooking) => {
                vec![
                    self.inflight
                        .issue("confirm", Request::ConfirmBooking { id: b.id }),
                ]
            }
            _ => vec![],
        }
    }

    fn text_key(&mut self, key: KeyEvent, _ctx: &Ctx) -> Vec<Effect> {
        if let Some((_, field)) = &mut self.reason {
            field.key(&key);
        }
        vec![]
    }

    fn response(&mut self, ticket: Ticket, response: Response, ctx: &Ctx) -> Vec<Effect> {
        if !self.inflight.accept(&ticket) {
            return vec![];
        }
        match (ticket.slot, response) {
            ("load", Ok(Payload::Booking(b))) => {
                self.booking = b;
                self.loaded = true;
                self.error = None;
                vec![]
            }
            (slot, Ok(Payload::Done { count, .. })) => {
                self.series_reason = None;
                let toast = match slot {
                    "cancel" if count > 1 => format!(
                        "{count} {}",
                        ctx.t("réservations annulées.", "bookings cancelled.")
                    ),
                    "cancel" => ctx.t("Réservation annulée.", "Booking cancelled.").into(),
                    "paid" => ctx.t("Paiement enregistré.", "Payment recorded.").into(),
                    _ => ctx.t("Réservation validée.", "Booking approved.").into(),
                };
                let mut effects = vec![Effect::Toast(toast)];
                effects.extend(self.load());
                effects
            }
            // Some occurrences of the series were paid: ask, then send the answer.
            (
                "cancel",
                Err(ApiError::Refused {
                    code,
                    field: Some(field),
                    ..
                }),
            ) if self.series_reason.is_some() && code == "VALIDATION" && field == "refund" => {
                vec![Effect::Choose {
                    question: ctx
                        .t(
                            "Des occurrences de la série ont été payées : les rembourser ?",
                            "Some occurrences of the series were paid: refund them?",
                        )
                        .into(),
                    keys: refund_keys(ctx),
                    yes: Answer::CancelSeriesAndRefund,
                    no: Answer::CancelSeriesKeepPayment,
                }]
            }
            (_, Err(err)) => {
                self.series_reason = None;
                self.error = Some(describe(ctx, &err));
                vec![]
            }
            _ => vec![],
        }
    }

    fn show(&mut self, _ctx: &Ctx) -> Vec<Effect> {
        self.load()
    }

    fn has_input(&self) -> bool {
        self.reason
            .as_ref()
            .is_some_and(|(_, r)| !r.value.is_empty())
    }

    fn view(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        view::render(self, frame, area, ctx);
    }
}

/// What the keys of a refund question do.
fn refund_keys(ctx: &Ctx) -> String {
    ctx.t(
        "o/Entrée : rembourser · n : garder le paiement · Échap : ne pas annuler",
        "y/Enter: refund · n: keep the payment · Esc: do not cancel",
    )
    .into()
}

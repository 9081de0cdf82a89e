//! A person's card (Fiche): contact, active membership, history, bookings; from here the
//! front desk edits them, starts, renews or cancels a membership, or books for them.

mod keys;
mod view;

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::api::model::{MembershipRow, PersonCard};
use crate::api::{Payload, Request, Response};
use crate::i18n::Lang;
use crate::keymap::{Answer, Binding, Cmd};
use crate::ui::screen::{Ctx, Effect, Inflight, Screen, Ticket};
use crate::ui::screens::{
    booking_form::BookingForm, membership_form::MembershipForm, person_form::PersonForm,
};
use crate::ui::widgets::describe;

/// How far back the card lists bookings.
pub const BOOKINGS_SINCE_DAYS: i64 = 90;

pub struct Card {
    pub id: String,
    pub card: Option<PersonCard>,
    pub loaded: bool,
    pub error: Option<String>,
    /// The membership the keys act on (in `memberships`, latest first).
    pub selected: usize,
    inflight: Inflight,
}

impl Card {
    pub fn new(id: &str) -> Self {
        Self {
            id: id.to_string(),
            card: None,
            loaded: false,
            error: None,
            selected: 0,
            inflight: Inflight::default(),
        }
    }

    fn load(&mut self, ctx: &Ctx) -> Vec<Effect> {
        let since = ctx.now - chrono::Duration::days(BOOKINGS_SINCE_DAYS);
        let id = self.id.clone();
        vec![self.inflight.issue("load", Request::Person { id, since })]
    }

    pub fn membership(&self) -> Option<&MembershipRow> {
        self.card.as_ref()?.memberships.get(self.selected)
    }

    /// A renewal continues a membership that is not cancelled, not renewed already, and
    /// whose plan is still sold.
    fn renewable(&self) -> Option<&MembershipRow> {
        let card = self.card.as_ref()?;
        let m = self.membership()?;
        let renewed = card
            .memberships
            .iter()
            .any(|o| o.renewal_of.as_deref() == Some(&m.id));
        (m.status != "CANCELLED" && !renewed && !m.plan.archived).then_some(m)
    }

    fn cancellable(&self) -> Option<&MembershipRow> {
        self.membership()
            .filter(|m| m.status == "ACTIVE" || m.status == "UPCOMING")
    }
}

impl Screen for Card {
    fn name(&self) -> &'static str {
        "card"
    }

    fn title(&self, lang: Lang) -> String {
        lang.t("Fiche", "Card").into()
    }

    fn inflight(&self) -> &Inflight {
        &self.inflight
    }

    fn bindings(&self, _ctx: &Ctx) -> Vec<&'static Binding> {
        let mut list = vec![&keys::BACK];
        let erased = self.card.as_ref().is_none_or(|c| c.person.erased);
        if !erased {
            list.extend([&keys::EDIT, &keys::START]);
            if self.card.as_ref().is_some_and(|c| c.memberships.len() > 1) {
                list.push(&keys::SELECT);
            }
            if self.renewable().is_some() {
                list.push(&keys::RENEW);
            }
            if self.cancellable().is_some() {
                list.push(&keys::CANCEL);
            }
            list.push(&keys::BOOK);
        }
        list.push(&keys::REFRESH);
        list
    }

    fn command(&mut self, cmd: Cmd, ctx: &Ctx) -> Vec<Effect> {
        let Some(card) = self.card.clone() else {
            return match cmd {
                Cmd::Back => vec![Effect::Pop],
                Cmd::Refresh => self.load(ctx),
                _ => vec![],
            };
        };
        let name = card.person.full_name();
        match cmd {
            Cmd::Back => vec![Effect::Pop],
            Cmd::Refresh => self.load(ctx),
            Cmd::Up => {
                self.selected = self.selected.saturating_sub(1);
                vec![]
            }
            Cmd::Down => {
                self.selected = (self.selected + 1).min(card.memberships.len().saturating_sub(1));
                vec![]
            }
            _ if card.person.erased => vec![],
            Cmd::Edit => vec![Effect::Push(Box::new(PersonForm::edit(
                ctx.lang,
                &card.person,
            )))],
            Cmd::StartMembership => vec![Effect::Push(Box::new(MembershipForm::start(
                ctx,
                &card.person.id,
                &name,
            )))],
            Cmd::Renew => match self.renewable() {
                Some(m) => vec![Effect::Push(Box::new(MembershipForm::renew(
                    &m.id,
                    &name,
                    Some(&card.person.id),
                    &m.plan,
                    m.ends_on,
                )))],
                None => vec![],
            },
            Cmd::CancelMembership => match self.cancellable() {
                Some(m) => vec![Effect::Ask {
                    question: format!(
                        "{} {} ({} → {}){} {}",
                        ctx.t("Annuler l'adhésion", "Cancel the membership"),
                        ctx.lang.quoted(&m.plan.name),
                        crate::format::date(ctx.lang, m.starts_on),
                        crate::format::date(ctx.lang, m.ends_on),
                        ctx.t(" ?", "?"),
                        ctx.t(
                            "Le paiement reste enregistré.",
                            "The payment stays recorded."
                        )
                    ),
                    answer: Answer::CancelMembership,
                }],
                None => vec![],
            },
            Cmd::Yes(Answer::CancelMembership) => match self.cancellable() {
                Some(m) => {
                    let id = m.id.clone();
                    vec![
                        self.inflight
                            .issue("cancel", Request::CancelMembership { id }),
                    ]
                }
                None => vec![],
            },
            Cmd::New => vec![Effect::Push(Box::new(BookingForm::for_person(
                ctx,
                &card.person.id,
                &name,
            )))],
            _ => vec![],
        }
    }

    fn response(&mut self, ticket: Ticket, response: Response, ctx: &Ctx) -> Vec<Effect> {
        if !self.inflight.accept(&ticket) {
            return vec![];
        }
        match (ticket.slot, response) {
            ("load", Ok(Payload::Person(card))) => {
                self.selected = self.selected.min(
                    card.as_ref()
                        .map_or(0, |c| c.memberships.len().saturating_sub(1)),
                );
                self.card = card;
                self.loaded = true;
                self.error = None;
                vec![]
            }
            ("cancel", Ok(_)) => {
                let mut effects = vec![Effect::Toast(
                    ctx.t("Adhésion annulée.", "Membership cancelled.").into(),
                )];
                effects.extend(self.load(ctx));
                effects
            }
            (_, Err(err)) => {
                self.error = Some(describe(ctx, &err));
                vec![]
            }
            _ => vec![],
        }
    }

    fn show(&mut self, ctx: &Ctx) -> Vec<Effect> {
        self.load(ctx)
    }

    fn view(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        view::render(self, frame, area, ctx);
    }
}

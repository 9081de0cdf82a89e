//! Start a membership (plan, first day, amount) or renew one (amount). Pay-what-you-can plans
//! show their floor; the amount is checked against it before anything is sent.

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::{Color, Stylize};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Wrap};
use rust_decimal::Decimal;

use crate::api::model::{Plan, PlanRef};
use crate::api::{ApiError, Payload, Request, Response};
use crate::format;
use crate::i18n::Lang;
use crate::keymap::{Binding, Cmd};
use crate::ui::form::{Field, Form};
use crate::ui::screen::{Ctx, Effect, Inflight, Mode, Screen, Ticket};
use crate::ui::widgets::describe;

pub enum Kind {
    Start {
        person_id: String,
    },
    Renew {
        membership_id: String,
        plan: PlanRef,
        ends_on: NaiveDate,
    },
}

pub struct MembershipForm {
    pub kind: Kind,
    pub holder: String,
    pub plans: Option<Vec<Plan>>,
    pub form: Form,
    pub message: Option<String>,
    inflight: Inflight,
}

impl MembershipForm {
    pub fn start(ctx: &Ctx, person_id: &str, holder: &str) -> Self {
        let fields = vec![
            Field::choice("plan", "Formule", "Plan", vec![], 0),
            Field::text(
                "startsOn",
                "Premier jour",
                "First day",
                &format::date_input(ctx.lang, ctx.today()),
            ),
            Field::text("amountPaid", "Montant payé", "Amount paid", ""),
        ];
        Self {
            kind: Kind::Start {
                person_id: person_id.into(),
            },
            holder: holder.into(),
            plans: None,
            form: Form::new(fields),
            message: None,
            inflight: Inflight::default(),
        }
    }

    pub fn renew(
        membership_id: &str,
        holder: &str,
        _person_id: Option<&str>,
        plan: &PlanRef,
        ends_on: NaiveDate,
    ) -> Self {
        // The amount is filled in when shown, in the language of the screen.
        let amount = Field::text("amountPaid", "Montant payé", "Amount paid", "");
        Self {
            kind: Kind::Renew {
                membership_id: membership_id.into(),
                plan: plan.clone(),
                ends_on,
            },
            holder: holder.into(),
            plans: None,
            form: Form::new(vec![amount]),
            message: None,
            inflight: Inflight::default(),
        }
    }

    /// (price, floor) of the chosen plan.
    fn prices(&self) -> Option<(Decimal, Option<Decimal>)> {
        match &self.kind {
            Kind::Renew { plan, .. } => Some((plan.price, plan.min_price)),
            Kind::Start { .. } => {
                let plan = self.plans.as_ref()?.get(self.form.choice("plan"))?;
                Some((plan.price, plan.min_price))
            }
        }
    }

    /// The hint under the amount: the price, or the floor of a pay-what-you-can plan.
    fn refresh_hint(&mut self, lang: Lang) {
        let hint = self.prices().map(|(price, floor)| match floor {
            Some(floor) => format!(
                "{} {} · {} {}",
                lang.t("prix libre dès", "pay what you can from"),
                format::money(lang, floor),
                lang.t("suggéré", "suggested"),
                format::money(lang, price)
            ),
            None => format!("{} {}", lang.t("prix", "price"), format::money(lang, price)),
        });
        self.form.field_mut("amountPaid").hint = hint;
    }

    fn submit(&mut self, ctx: &Ctx) -> Vec<Effect> {
        if self.inflight.busy("save") {
            return vec![];
        }
        self.form.clear_errors();
        self.message = None;
        let Some((price, floor)) = self.prices() else {
            return vec![];
        };
        let amount = format::parse_money(self.form.value("amountPaid"));
        let amount = match (amount, floor) {
            (None, _) => {
                self.form.error(
                    "amountPaid",
                    ctx.t("Un montant : 20 ou 20,00.", "An amount: 20 or 20.00."),
                );
                return vec![];
            }
            (Some(a), Some(floor)) if a < floor => {
                self.form.error(
                    "amountPaid",
                    format!(
                        "{} {}.",
                        ctx.t("Au moins", "At least"),
                        format::money(ctx.lang, floor)
                    ),
                );
                return vec![];
            }
            (Some(a), None) if a != price => {
                self.form.error(
                    "amountPaid",
                    format!(
                        "{} {}.",
                        ctx.t("Le prix est de", "The price is"),
                        format::money(ctx.lang, price)
                    ),
                );
                return vec![];
            }
            (Some(a), _) => a,
        };
        let request = match &self.kind {
            Kind::Renew { membership_id, .. } => Request::RenewMembership {
                id: membership_id.clone(),
                amount,
            },
            Kind::Start { person_id } => {
                let Some(starts_on) = format::parse_date(self.form.value("startsOn")) else {
                    self.form.error(
                        "startsOn",
                        ctx.t("Jour invalide : jj/mm/aaaa.", "Invalid day: yyyy-mm-dd."),
                    );
                    return vec![];
                };
                let plan_id = self
                    .plans
                    .as_ref()
                    .and_then(|p| p.get(self.form.choice("plan")))
                    .map(|p| p.id.clone())
                    .unwrap_or_default();
                Request::StartMembership {
                    plan_id,
                    person_id: person_id.clone(),
                    starts_on,
                    amount,
                }
            }
        };
        vec![self.inflight.issue("save", request)]
    }
}

impl Screen for MembershipForm {
    fn name(&self) -> &'static str {
        "membership_form"
    }

    fn title(&self, lang: Lang) -> String {
        match self.kind {
            Kind::Start { .. } => lang.t("Nouvelle adhésion", "New membership").into(),
            Kind::Renew { .. } => lang
                .t("Renouveler l'adhésion", "Renew the membership")
                .into(),
        }
    }

    fn inflight(&self) -> &Inflight {
        &self.inflight
    }

    fn mode(&self) -> Mode {
        self.form.mode()
    }

    fn bindings(&self, _ctx: &Ctx) -> Vec<&'static Binding> {
        self.form.bindings()
    }

    fn command(&mut self, cmd: Cmd, ctx: &Ctx) -> Vec<Effect> {
        if cmd == Cmd::Submit {
            return self.submit(ctx);
        }
        self.form.command(cmd, ctx).unwrap_or_default()
    }

    fn text_key(&mut self, key: KeyEvent, ctx: &Ctx) -> Vec<Effect> {
        if self.form.key(&key) && self.form.focused() == "plan" {
            // A new plan: its price as the amount, unless one was typed.
            self.refresh_hint(ctx.lang);
            if let Some((price, _)) = self.prices() {
                self.form
                    .field_mut("amountPaid")
                    .text
                    .set(format::money_input(ctx.lang, price));
            }
        }
        vec![]
    }

    fn response(&mut self, ticket: Ticket, response: Response, ctx: &Ctx) -> Vec<Effect> {
        if !self.inflight.accept(&ticket) {
            return vec![];
        }
        match response {
            Ok(Payload::Plans(plans)) => {
                let plans: Vec<Plan> = plans.into_iter().filter(|p| !p.for_organizations).collect();
                self.form.field_mut("plan").options =
                    Some(plans.iter().map(|p| p.name.clone()).collect());
                let price = plans.first().map(|p| p.price);
                self.plans = Some(plans);
                if let Some(price) = price {
                    self.form
                        .field_mut("amountPaid")
                        .text
                        .set(format::money_input(ctx.lang, price));
                }
                self.refresh_hint(ctx.lang);
                vec![]
            }
            Ok(Payload::Done { .. }) => {
                self.form.dirty = false;
                let toast = match self.kind {
                    Kind::Start { .. } => ctx.t("Adhésion enregistrée.", "Membership recorded."),
                    Kind::Renew { .. } => ctx.t("Adhésion renouvelée.", "Membership renewed."),
                };
                vec![Effect::Toast(toast.into()), Effect::Pop]
            }
            Err(ApiError::Refused {
                code,
                field: Some(field),
                message,
                ..
            }) if code == "VALIDATION" && self.form.has(&field) => {
                self.form.error(&field, message);
                vec![]
            }
            Err(ApiError::Unreachable(_)) => {
                self.message = Some(ctx.t(
                    "Hors ligne : rien n'a été enregistré. Votre saisie est gardée ; Entrée pour réessayer.",
                    "Offline: nothing was saved. What you typed is kept; Enter to try again.",
                ).into());
                vec![]
            }
            Err(err) => {
                self.message = Some(describe(ctx, &err));
                vec![]
            }
            _ => vec![],
        }
    }

    fn show(&mut self, ctx: &Ctx) -> Vec<Effect> {
        self.refresh_hint(ctx.lang);
        if let Kind::Renew { plan, .. } = &self.kind
            && !self.form.dirty
        {
            let amount = format::money_input(ctx.lang, plan.price);
            self.form.field_mut("amountPaid").text.set(amount);
        }
        match (&self.kind, &self.plans) {
            (Kind::Start { .. }, None) => vec![self.inflight.issue("plans", Request::Plans)],
            _ => vec![],
        }
    }

    fn has_input(&self) -> bool {
        self.form.dirty
    }

    fn view(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let block =
            Block::bordered().title(format!(" {} — {} ", self.title(ctx.lang), self.holder));
        let mut lines = Vec::new();
        if let Kind::Renew { plan, ends_on, .. } = &self.kind {
            lines.push(Line::from(format!(
                "{} {} · {} {}",
                ctx.t("Formule :", "Plan:"),
                plan.name,
                ctx.t("se termine le", "ends on"),
                format::date(ctx.lang, *ends_on)
            )));
            lines.push(Line::from(ctx.t(
                "La nouvelle période commence le lendemain (ou aujourd'hui si elle est passée).",
                "The new period starts the day after (or today if that has passed).",
            )).dim());
            lines.push(Line::default());
        }
        if matches!(self.kind, Kind::Start { .. }) && self.plans.is_none() {
            lines.push(Line::from(ctx.t("Chargement des formules…", "Loading plans…")).italic());
        }
        if self.plans.as_ref().is_some_and(Vec::is_empty) {
            lines.push(
                Line::from(ctx.t(
                    "Aucune formule d'adhésion n'est proposée : une ou un gestionnaire en crée une (createMembershipPlan), puis revenez ici. Échap pour quitter.",
                    "No membership plan is on offer: a manager creates one (createMembershipPlan), then come back here. Esc to leave.",
                ))
                .fg(Color::Yellow),
            );
        }
        lines.extend(self.form.lines(ctx.lang, 16));
        lines.push(Line::default());
        if self.inflight.busy("save") {
            lines.push(Line::from(ctx.t("Enregistrement…", "Saving…")).italic());
        } else if let Some(message) = &self.message {
            lines.push(Line::from(message.clone()).fg(Color::Red));
        }
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(block),
            area,
        );
    }
}

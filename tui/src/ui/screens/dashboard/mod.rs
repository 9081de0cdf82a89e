//! The manager's dashboard: this month's and this year's hybrid model (earned revenue,
//! private and public funding, the self-financing ratio), revenue by stream as a bar chart,
//! volunteer hours and their valuation, the year's objectives as gauges, the grant reports
//! due soon or overdue. Read-only; it refreshes itself every minute.

mod view;

use chrono::{Datelike, Duration, NaiveDate};
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::api::model::DashboardData;
use crate::api::{Payload, Request, Response};
use crate::i18n::Lang;
use crate::keymap::{Binding, Cmd, Key, bind};
use crate::ui::screen::{Ctx, Effect, Inflight, Screen, Ticket};
use crate::ui::widgets::describe;

pub const REFRESH_SECONDS: i64 = 60;

static REFRESH: Binding = bind(&[(Key::Char('r'), Cmd::Refresh)], "actualiser", "refresh");

#[derive(Default)]
pub struct Dashboard {
    pub data: Option<DashboardData>,
    pub error: Option<String>,
    loaded_at: Option<chrono::DateTime<chrono::Utc>>,
    inflight: Inflight,
}

/// The month and the year of `day`, whole: `[first, last]` of each.
pub fn periods(day: NaiveDate) -> ((NaiveDate, NaiveDate), (NaiveDate, NaiveDate)) {
    let month_from = day.with_day(1).expect("the 1st exists");
    let next_month = if month_from.month() == 12 {
        NaiveDate::from_ymd_opt(month_from.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(month_from.year(), month_from.month() + 1, 1)
    }
    .expect("a real month");
    let year_from = day.with_ordinal(1).expect("the 1st of January exists");
    let year_to = NaiveDate::from_ymd_opt(day.year(), 12, 31).expect("the 31st of December");
    (
        (month_from, next_month - Duration::days(1)),
        (year_from, year_to),
    )
}

impl Dashboard {
    fn load(&mut self, ctx: &Ctx) -> Vec<Effect> {
        self.loaded_at = Some(ctx.now);
        let today = ctx.today();
        let ((month_from, month_to), (year_from, year_to)) = periods(today);
        vec![self.inflight.issue(
            "dashboard",
            Request::Dashboard {
                month_from,
                month_to,
                year_from,
                year_to,
                year: i64::from(today.year()),
            },
        )]
    }
}

impl Screen for Dashboard {
    fn name(&self) -> &'static str {
        "dashboard"
    }

    fn title(&self, lang: Lang) -> String {
        lang.t("Tableau de bord", "Dashboard").into()
    }

    fn inflight(&self) -> &Inflight {
        &self.inflight
    }

    fn bindings(&self, _ctx: &Ctx) -> Vec<&'static Binding> {
        vec![&REFRESH]
    }

    fn command(&mut self, cmd: Cmd, ctx: &Ctx) -> Vec<Effect> {
        match cmd {
            Cmd::Refresh => self.load(ctx),
            _ => vec![],
        }
    }

    fn response(&mut self, ticket: Ticket, response: Response, ctx: &Ctx) -> Vec<Effect> {
        if !self.inflight.accept(&ticket) {
            return vec![];
        }
        match response {
            Ok(Payload::Dashboard(data)) => {
                self.data = Some(data);
                self.error = None;
            }
            Err(err) => self.error = Some(describe(ctx, &err)),
            _ => {}
        }
        vec![]
    }

    fn tick(&mut self, ctx: &Ctx) -> Vec<Effect> {
        if !self.inflight.busy("dashboard")
            && self
                .loaded_at
                .is_some_and(|at| ctx.now - at >= Duration::seconds(REFRESH_SECONDS))
        {
            return self.load(ctx);
        }
        vec![]
    }

    fn show(&mut self, ctx: &Ctx) -> Vec<Effect> {
        self.load(ctx)
    }

    fn view(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        view::render(self, frame, area, ctx);
    }
}

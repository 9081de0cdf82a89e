use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::{Pane, People};
use crate::format;
use crate::ui::screen::{Ctx, Screen};
use crate::ui::widgets::{self, fit};

pub fn render(state: &People, frame: &mut Frame, area: Rect, ctx: &Ctx) {
    let block = Block::bordered().title(format!(" {} ", state.title(ctx.lang)));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [search_area, body] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(inner);

    let mut spans = vec![Span::styled(
        ctx.t(" Chercher : ", " Search: "),
        if state.typing {
            Style::new().fg(Color::Yellow).bold()
        } else {
            Style::new().fg(Color::Gray)
        },
    )];
    spans.extend(state.search.spans(state.typing, false));
    if !state.typing && state.search.value.is_empty() {
        spans.push(
            Span::raw(ctx.t(
                "(/ pour chercher un nom ou un email)",
                "(/ to search a name or an email)",
            ))
            .dim(),
        );
    }
    if state.searching() {
        spans.push(Span::raw(ctx.t("  recherche…", "  searching…")).italic());
    } else if state.loaded {
        let noun = if state.total == 1 {
            ctx.t("personne", "person")
        } else {
            ctx.t("personnes", "people")
        };
        spans.push(Span::raw(format!("  {} {noun}", state.total)).dim());
    }
    frame.render_widget(Line::from(spans), search_area);

    let wide = body.width >= 120;
    let (results_area, expiring_area) = if wide {
        let [a, b] = Layout::horizontal([Constraint::Percentage(64), Constraint::Percentage(36)])
            .areas(body);
        (Some(a), Some(b))
    } else if state.pane == Pane::Results {
        (Some(body), None)
    } else {
        (None, Some(body))
    };
    let border = |pane| {
        if state.pane == pane {
            Style::new().fg(Color::Cyan)
        } else {
            Style::new().fg(Color::DarkGray)
        }
    };
    let expiring_count = state.expiring.as_ref().map(Vec::len);
    let exp_title = format!(
        " {} ({}) ",
        ctx.t(
            "Adhésions à renouveler, 30 jours",
            "Memberships ending within 30 days"
        ),
        expiring_count.map_or("…".to_string(), |n| n.to_string())
    );
    if let Some(area) = results_area {
        let title = if wide {
            format!(" {} ", ctx.t("Résultats", "Results"))
        } else {
            format!(
                " {} · Tab : {}",
                ctx.t("Résultats", "Results"),
                exp_title.trim()
            )
        };
        let block = Block::bordered()
            .title(title)
            .border_style(border(Pane::Results));
        results(state, frame, area, block, ctx);
    }
    if let Some(area) = expiring_area {
        let block = Block::bordered()
            .title(exp_title)
            .border_style(border(Pane::Expiring));
        expiring(state, frame, area, block, ctx);
    }
}

fn results(state: &People, frame: &mut Frame, area: Rect, block: Block, ctx: &Ctx) {
    if !state.loaded {
        match &state.error {
            Some(error) => widgets::error(frame, area, block, error),
            None => widgets::loading(frame, area, block, ctx.lang),
        }
        return;
    }
    if state.rows.is_empty() {
        let message = if state.search.value.trim().is_empty() {
            ctx.t(
                "Personne pour l'instant. n : enregistrer une personne.",
                "Nobody yet. n: record a person.",
            )
        } else {
            ctx.t(
                "Personne ne correspond. Vérifiez l'orthographe, ou n : enregistrer cette personne.",
                "Nobody matches. Check the spelling, or n: record this person.",
            )
        };
        widgets::empty(frame, area, block, message);
        return;
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let height = inner.height as usize;
    let width = inner.width as usize;
    // Only the visible rows are built: a 10,000-person result costs one screenful.
    let offset = state.selected.saturating_sub(height.saturating_sub(1));
    let name_w = (width * 2 / 5).max(16);
    let mail_w = width.saturating_sub(name_w + 24).max(8);
    let lines: Vec<Line> = state
        .rows
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(i, p)| {
            let member = match &p.membership {
                Some((plan, ends)) if width >= 100 => {
                    format!("{plan} → {}", format::date(ctx.lang, *ends))
                }
                Some((_, ends)) => format!("✓ → {}", format::date(ctx.lang, *ends)),
                None => String::new(),
            };
            let text = format!(
                "{} {} {}",
                fit(&format!("{} {}", p.last_name, p.first_name), name_w),
                fit(p.email.as_deref().unwrap_or(""), mail_w),
                fit(&member, 22)
            );
            let style = if i == state.selected && state.pane == Pane::Results {
                Style::new().bg(Color::DarkGray).bold()
            } else {
                Style::new()
            };
            Line::styled(text, style)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

fn expiring(state: &People, frame: &mut Frame, area: Rect, block: Block, ctx: &Ctx) {
    let Some(list) = &state.expiring else {
        match &state.error {
            Some(error) => widgets::error(frame, area, block, error),
            None => widgets::loading(frame, area, block, ctx.lang),
        }
        return;
    };
    if list.is_empty() {
        widgets::empty(
            frame,
            area,
            block,
            ctx.t(
                "Aucune adhésion ne se termine dans les 30 jours.",
                "No membership ends within 30 days.",
            ),
        );
        return;
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let height = inner.height as usize;
    let width = inner.width as usize;
    let offset = state
        .expiring_selected
        .saturating_sub(height.saturating_sub(1));
    let lines: Vec<Line> = list
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(i, m)| {
            let text = fit(
                &format!(
                    "{} {} · {}",
                    format::date(ctx.lang, m.ends_on),
                    m.holder,
                    m.plan.name
                ),
                width,
            );
            let style = if i == state.expiring_selected && state.pane == Pane::Expiring {
                Style::new().bg(Color::DarkGray).bold()
            } else {
                Style::new()
            };
            Line::styled(text, style)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

//! Numbers and dates as a reader of each language writes them, and the template engine of the
//! funder report (minijinja: the templates are files a designer can edit, embedded in the
//! binary so that the report works offline and the server needs no file beside it).

use chrono::{Datelike, NaiveDate};
use minijinja::Environment;
use rust_decimal::Decimal;

use crate::domain::{Hours, Lang, Money};
use crate::error::{AppError, AppResult};

/// `12 476,00 €` (narrow no-break spaces between thousands, a no-break space before the
/// sign) or `€12,476.00`.
pub fn money(amount: Money, lang: Lang) -> String {
    let cents = amount.cents();
    let sign = if cents < 0 { "-" } else { "" };
    let units = group((cents.abs() / 100).to_string(), lang.pick("\u{202f}", ","));
    let fraction = format!("{:02}", cents.abs() % 100);
    match lang {
        Lang::Fr => format!("{sign}{units},{fraction}\u{a0}€"),
        Lang::En => format!("{sign}€{units}.{fraction}"),
    }
}

fn group(digits: String, separator: &str) -> String {
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(separator);
        }
        out.push(c);
    }
    out
}

/// A count: `2 000` or `2,000`.
pub fn count(n: i64, lang: Lang) -> String {
    let sign = if n < 0 { "-" } else { "" };
    format!(
        "{sign}{}",
        group(n.abs().to_string(), lang.pick("\u{202f}", ","))
    )
}

/// A decimal with its own decimals (`12,5` / `12.5`), thousands grouped.
pub fn decimal(value: Decimal, lang: Lang) -> String {
    let text = value.normalize().to_string();
    let (units, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let (sign, units) = units.strip_prefix('-').map_or(("", units), |u| ("-", u));
    let units = group(units.to_string(), lang.pick("\u{202f}", ","));
    if fraction.is_empty() {
        format!("{sign}{units}")
    } else {
        format!("{sign}{units}{}{fraction}", lang.pick(",", "."))
    }
}

/// `12,50 h` / `12.50 h`.
pub fn hours(h: Hours, lang: Lang) -> String {
    let text = h.to_decimal().to_string();
    format!("{}\u{a0}h", lang.pick(&text.replace('.', ","), &text))
}

/// A ratio as a percentage to the tenth: `20,6 %` / `20.6%`.
pub fn percent(ratio: Decimal, lang: Lang) -> String {
    let pct = (ratio * Decimal::ONE_HUNDRED).round_dp(1);
    match lang {
        Lang::Fr => format!("{}\u{a0}%", pct.to_string().replace('.', ",")),
        Lang::En => format!("{pct}%"),
    }
}

/// `15/01/2026` / `15 Jan 2026`.
pub fn date(day: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Fr => day.format("%d/%m/%Y").to_string(),
        Lang::En => day.format("%-d %b %Y").to_string(),
    }
}

const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// `mars 2026` / `March 2026`, from `YYYY-MM`.
pub fn month(yyyy_mm: &str, lang: Lang) -> String {
    let Ok(first) = NaiveDate::parse_from_str(&format!("{yyyy_mm}-01"), "%Y-%m-%d") else {
        return yyyy_mm.to_string();
    };
    match lang {
        Lang::Fr => format!("{} {}", MONTHS_FR[first.month0() as usize], first.year()),
        Lang::En => first.format("%B %Y").to_string(),
    }
}

/// Text for a Markdown table cell: the characters Markdown would read as markup are escaped,
/// so that a grant called `*Fête* | quartier` prints as written and keeps the table whole.
fn markdown(text: String) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The templates, named by their extension: minijinja escapes every value of a `.html`
/// template for HTML (whatever comes from the data, a funder's name included) and none of a
/// `.md` one, where the `md` filter escapes instead.
fn environment() -> AppResult<Environment<'static>> {
    let mut env = Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.add_filter("md", markdown);
    for (name, source) in [
        ("funder.html", include_str!("templates/funder.html")),
        ("funder.md", include_str!("templates/funder.md")),
    ] {
        env.add_template(name, source).map_err(AppError::internal)?;
    }
    Ok(env)
}

/// Renders `template` with `context`.
pub fn render(template: &str, context: impl serde::Serialize) -> AppResult<String> {
    let env = environment()?;
    let template = env.get_template(template).map_err(AppError::internal)?;
    template
        .render(minijinja::Value::from_serialize(&context))
        .map_err(AppError::internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_read_as_each_language_writes_them() {
        let m = Money::from_cents(1_247_600);
        assert_eq!(money(m, Lang::Fr), "12\u{202f}476,00\u{a0}€");
        assert_eq!(money(m, Lang::En), "€12,476.00");
        assert_eq!(money(Money::from_cents(-5), Lang::En), "-€0.05");
        assert_eq!(count(2000, Lang::Fr), "2\u{202f}000");
        assert_eq!(percent(Decimal::new(20612, 5), Lang::Fr), "20,6\u{a0}%");
        assert_eq!(percent(Decimal::new(35, 2), Lang::En), "35.0%");
        assert_eq!(decimal(Decimal::new(30000, 1), Lang::En), "3,000");
        assert_eq!(month("2026-03", Lang::Fr), "mars 2026");
        assert_eq!(month("2026-03", Lang::En), "March 2026");
        assert_eq!(markdown("*a* | b".into()), "\\*a\\* \\| b");
    }
}

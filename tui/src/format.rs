//! Money, times and days as people read and type them. The server speaks UTC instants; every
//! time shown or typed here is local to the site.

use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;

use crate::i18n::Lang;

/// `60,00 €` in French, `€60.00` in English (French thin spaces would not survive terminals).
pub fn money(lang: Lang, amount: Decimal) -> String {
    let amount = amount.round_dp(2);
    let negative = amount.is_sign_negative() && !amount.is_zero();
    let text = format!("{:.2}", amount.abs());
    let (units, cents) = text.split_once('.').unwrap_or((&text, "00"));
    let sep = match lang {
        Lang::Fr => ' ',
        Lang::En => ',',
    };
    let mut grouped = String::new();
    for (i, c) in units.chars().enumerate() {
        if i > 0 && (units.len() - i) % 3 == 0 {
            grouped.push(sep);
        }
        grouped.push(c);
    }
    let sign = if negative { "-" } else { "" };
    match lang {
        Lang::Fr => format!("{sign}{grouped},{cents} €"),
        Lang::En => format!("{sign}€{grouped}.{cents}"),
    }
}

/// `10:00`, local to the site.
pub fn time(tz: Tz, at: DateTime<Utc>) -> String {
    at.with_timezone(&tz).format("%H:%M").to_string()
}

/// `10:00–12:00`; the end day is added when it differs (`22:00–01:00 (+1)`).
pub fn range(tz: Tz, start: DateTime<Utc>, end: DateTime<Utc>) -> String {
    let days = (local_day(tz, end - Duration::seconds(1)) - local_day(tz, start)).num_days();
    let suffix = if days > 0 {
        format!(" (+{days})")
    } else {
        String::new()
    };
    format!("{}–{}{suffix}", time(tz, start), time(tz, end))
}

pub fn local_day(tz: Tz, at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&tz).date_naive()
}

/// The instant a local wall-clock time happens. In a DST gap the first valid minute after it;
/// in the repeated hour, the first of the two.
pub fn instant(tz: Tz, day: NaiveDate, at: NaiveTime) -> DateTime<Utc> {
    let naive = day.and_time(at);
    match tz.from_local_datetime(&naive) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.with_timezone(&Utc),
        LocalResult::None => instant(tz, day, at + Duration::minutes(30)),
    }
}

/// `[local midnight, next local midnight)` of a day.
pub fn day_bounds(tz: Tz, day: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    (
        instant(tz, day, NaiveTime::MIN),
        instant(tz, day + Duration::days(1), NaiveTime::MIN),
    )
}

pub fn monday_of(day: NaiveDate) -> NaiveDate {
    day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

const DAYS_FR: [&str; 7] = ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."];
const DAYS_EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

pub fn weekday(lang: Lang, day: NaiveDate) -> &'static str {
    let i = day.weekday().num_days_from_monday() as usize;
    match lang {
        Lang::Fr => DAYS_FR[i],
        Lang::En => DAYS_EN[i],
    }
}

/// `jeu. 12/03` / `Thu 03/12`: a grid column header.
pub fn short_day(lang: Lang, day: NaiveDate) -> String {
    match lang {
        Lang::Fr => format!("{} {}", weekday(lang, day), day.format("%d/%m")),
        Lang::En => format!("{} {}", weekday(lang, day), day.format("%m/%d")),
    }
}

/// `jeu 12` / `Thu 12`: a narrow grid column header.
pub fn tiny_day(lang: Lang, day: NaiveDate) -> String {
    format!(
        "{} {}",
        weekday(lang, day).trim_end_matches('.'),
        day.format("%d")
    )
}

/// The way a day is typed into a form: `12/03/2026` (fr) or `2026-03-12` (en, ISO).
pub fn date_input(lang: Lang, day: NaiveDate) -> String {
    match lang {
        Lang::Fr => day.format("%d/%m/%Y").to_string(),
        Lang::En => day.format("%Y-%m-%d").to_string(),
    }
}

/// A day as shown in lists: `12/03/2026` or `2026-03-12`.
pub fn date(lang: Lang, day: NaiveDate) -> String {
    date_input(lang, day)
}

/// Reads either way of typing a day (`12/03/2026`, `12/3/26`, `2026-03-12`), whatever the
/// language: people mix them.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Some(day);
    }
    let parts: Vec<&str> = text.split(['/', '.']).collect();
    if parts.len() == 3 {
        let d: u32 = parts[0].parse().ok()?;
        let m: u32 = parts[1].parse().ok()?;
        let mut y: i32 = parts[2].parse().ok()?;
        if y < 100 {
            y += 2000;
        }
        return NaiveDate::from_ymd_opt(y, m, d);
    }
    None
}

/// `10:00`, `10h`, `10h30`, `9` or `24:00` (the end of the day, returned as 24h).
pub fn parse_time(text: &str) -> Option<(u32, u32)> {
    let text = text.trim().to_lowercase();
    let (h, m) = match text.split_once([':', 'h']) {
        Some((h, m)) => (h, if m.is_empty() { "0" } else { m }),
        None => (text.as_str(), "0"),
    };
    let h: u32 = h.trim().parse().ok()?;
    let m: u32 = m.trim().parse().ok()?;
    (h < 24 && m < 60 || h == 24 && m == 0).then_some((h, m))
}

/// A local time on a day as an instant; `24:00` is the next midnight.
pub fn at_time(tz: Tz, day: NaiveDate, (h, m): (u32, u32)) -> DateTime<Utc> {
    if h == 24 {
        return instant(tz, day + Duration::days(1), NaiveTime::MIN);
    }
    instant(
        tz,
        day,
        NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN),
    )
}

/// Reads an amount typed with a comma or a point, with or without the euro sign.
pub fn parse_money(text: &str) -> Option<Decimal> {
    let cleaned: String = text
        .trim()
        .trim_matches('€')
        .trim()
        .replace(',', ".")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let value: Decimal = cleaned.parse().ok()?;
    (value.scale() <= 2 && !value.is_sign_negative()).then_some(value)
}

/// An amount as typed into a form (`60,00` / `60.00`).
pub fn money_input(lang: Lang, amount: Decimal) -> String {
    let text = format!("{:.2}", amount.round_dp(2));
    match lang {
        Lang::Fr => text.replace('.', ","),
        Lang::En => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    #[test]
    fn money_in_both_languages() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(money(Lang::Fr, d("60")), "60,00 €");
        assert_eq!(money(Lang::En, d("60")), "€60.00");
        assert_eq!(money(Lang::Fr, d("1234.5")), "1 234,50 €");
        assert_eq!(money(Lang::En, d("1234.5")), "€1,234.50");
        assert_eq!(money(Lang::En, d("0")), "€0.00");
        assert_eq!(parse_money("12,50 €"), Some(d("12.50")));
        assert_eq!(parse_money("12.5"), Some(d("12.5")));
        assert_eq!(parse_money("-3"), None);
        assert_eq!(parse_money("1.234"), None);
    }

    #[test]
    fn times_are_local_to_the_site_across_dst() {
        let tz: Tz = "Europe/Paris".parse().unwrap();
        let summer = NaiveDate::from_ymd_opt(2026, 7, 2).unwrap();
        let winter = NaiveDate::from_ymd_opt(2026, 1, 8).unwrap();
        let s = at_time(tz, summer, (10, 0));
        assert_eq!(s.format("%H:%M").to_string(), "08:00");
        assert_eq!(time(tz, s), "10:00");
        let w = at_time(tz, winter, (10, 0));
        assert_eq!(w.format("%H:%M").to_string(), "09:00");
        assert_eq!(range(tz, w, at_time(tz, winter, (12, 0))), "10:00–12:00");
        assert_eq!(
            range(tz, w, at_time(tz, winter, (24, 0))),
            "10:00–00:00",
            "ending at midnight stays on the day"
        );
        // The spring-forward gap: 02:30 does not exist on 29 March 2026.
        let gap = NaiveDate::from_ymd_opt(2026, 3, 29).unwrap();
        assert_eq!(time(tz, at_time(tz, gap, (2, 30))), "03:00");
        let (from, to) = day_bounds(tz, gap);
        assert_eq!((to - from).num_hours(), 23);
    }

    #[test]
    fn typed_days_and_times() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 12).unwrap();
        assert_eq!(parse_date("12/03/2026"), Some(day));
        assert_eq!(parse_date("12/3/26"), Some(day));
        assert_eq!(parse_date("2026-03-12"), Some(day));
        assert_eq!(parse_date("31/02/2026"), None);
        assert_eq!(parse_time("10:00"), Some((10, 0)));
        assert_eq!(parse_time("9h30"), Some((9, 30)));
        assert_eq!(parse_time("14h"), Some((14, 0)));
        assert_eq!(parse_time("24:00"), Some((24, 0)));
        assert_eq!(parse_time("25:00"), None);
        assert_eq!(monday_of(day).weekday(), chrono::Weekday::Mon);
        assert_eq!(short_day(Lang::Fr, day), "jeu. 12/03");
        assert_eq!(short_day(Lang::En, day), "Thu 03/12");
    }
}

/// Hours as typed: `2`, `1,5`, `1.25`, `1h30`, `1:30`, `45min`. Above 0, at most two decimals.
pub fn parse_hours(text: &str) -> Option<Decimal> {
    let text = text.trim().to_lowercase().replace(' ', "");
    let minutes = |h: &str, m: &str| -> Option<Decimal> {
        let h: i64 = if h.is_empty() { 0 } else { h.parse().ok()? };
        let m: i64 = if m.is_empty() { 0 } else { m.parse().ok()? };
        // More than a day is refused later anyway: no arithmetic on huge numbers.
        if !(0..60).contains(&m) || !(0..=24).contains(&h) {
            return None;
        }
        let total = Decimal::from(h * 60 + m) / Decimal::from(60);
        (total.round_dp(2) == total).then_some(total.normalize())
    };
    let value = if let Some(m) = text.strip_suffix("min") {
        minutes("", m)?
    } else if let Some((h, m)) = text.split_once(['h', ':']) {
        minutes(h, m)?
    } else {
        parse_money(&text)?
    };
    (value > Decimal::ZERO && value.scale() <= 2).then_some(value)
}

/// Whole euros: `13 200 €` / `€13,200` (the chart's labels).
pub fn money_whole(lang: Lang, amount: Decimal) -> String {
    let text = money(lang, amount.round());
    match lang {
        Lang::Fr => text
            .strip_suffix(",00 €")
            .map(|t| format!("{t} €"))
            .unwrap_or(text),
        Lang::En => text.strip_suffix(".00").map(str::to_string).unwrap_or(text),
    }
}

/// `1,5 h` / `1.5 h`.
pub fn hours(lang: Lang, value: Decimal) -> String {
    let text = value.normalize().to_string();
    match lang {
        Lang::Fr => format!("{} h", text.replace('.', ",")),
        Lang::En => format!("{text} h"),
    }
}

#[cfg(test)]
mod hours_tests {
    use super::*;

    #[test]
    fn hours_are_read_as_people_type_them() {
        let h = |t: &str| parse_hours(t).map(|d| d.to_string());
        assert_eq!(h("2").as_deref(), Some("2"));
        assert_eq!(h("1,5").as_deref(), Some("1.5"));
        assert_eq!(h("1h30").as_deref(), Some("1.5"));
        assert_eq!(h("1:15").as_deref(), Some("1.25"));
        assert_eq!(h("45min").as_deref(), Some("0.75"));
        assert_eq!(h("0"), None);
        assert_eq!(h("1h70"), None);
        assert_eq!(h("1:20"), None, "1.333… h is not exact to the hundredth");
        assert_eq!(h("beaucoup"), None);
        assert_eq!(h("999999999999999999h"), None, "no overflow");
        assert_eq!(h("25h"), None);
        assert_eq!(hours(Lang::Fr, "1.50".parse().unwrap()), "1,5 h");
        let d = |t: &str| t.parse::<Decimal>().unwrap();
        assert_eq!(money_whole(Lang::En, d("12005.40")), "€12,005");
        assert_eq!(money_whole(Lang::En, d("1000000")), "€1,000,000");
        assert_eq!(money_whole(Lang::Fr, d("13199.50")), "13 200 €");
    }
}

/// `décembre 2026` / `December 2026`.
pub fn month_name(lang: Lang, day: NaiveDate) -> String {
    const FR: [&str; 12] = [
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
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let i = day.month0() as usize;
    format!("{} {}", lang.t(FR[i], EN[i]), day.year())
}

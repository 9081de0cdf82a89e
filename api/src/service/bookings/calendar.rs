//! iCalendar feeds (RFC 5545) for calendar clients. Events carry local times with a TZID and the
//! feed carries the matching VTIMEZONE, built from chrono-tz's own transitions, so that clients
//! show the right hour on both sides of a DST change whatever their own zone database.

use std::collections::HashSet;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Offset, TimeZone, Utc};
use chrono_tz::{OffsetComponents, OffsetName, Tz};
use icalendar::{Calendar, CalendarDateTime, Component, Event, EventLike, EventStatus};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::space_tree::SpaceTree;
use super::{blocks, spaces};
use crate::domain::{BookingStatus, TimeRange};
use crate::error::AppResult;
use crate::service::sites;

/// What the public sees of a booking: the venue's language, and nothing about it.
pub const BUSY: &str = "Occupé";

/// How far back and ahead a space's feed looks.
const FEED_PAST_DAYS: i64 = 31;
const FEED_AHEAD_DAYS: i64 = 400;

/// The busy times of a space (its own bookings, its parent's, its parts'), from a month ago to
/// a year ahead. The public sees "Occupé" (busy) only; staff (`with_titles`) see titles. `None` when
/// the space does not exist.
pub async fn space_feed(
    conn: &impl ConnectionTrait,
    space_id: Uuid,
    now: DateTime<Utc>,
    with_titles: bool,
) -> AppResult<Option<String>> {
    let Some(space) = spaces::find_space(conn, space_id).await? else {
        return Ok(None);
    };
    let site = sites::get_site(conn, space.site_id).await?;
    let tz = sites::timezone_of(&site)?;
    let occupies = SpaceTree::load(conn, space.site_id)
        .await?
        .subtree(space.id);
    let window = TimeRange {
        start: now - Duration::days(FEED_PAST_DAYS),
        end: now + Duration::days(FEED_AHEAD_DAYS),
    };
    let mut seen = HashSet::new();
    let entries: Vec<FeedEntry> = blocks::blocks_near(conn, &occupies, &[window])
        .await?
        .into_iter()
        .filter(|b| seen.insert(b.booking.id))
        .map(|b| FeedEntry {
            uid: format!("{}@lieu", b.booking.id),
            start: b.booking.starts_at,
            end: b.booking.ends_at,
            summary: if with_titles {
                b.booking.title
            } else {
                BUSY.to_string()
            },
            tentative: b.booking.status == BookingStatus::Pending.as_str(),
        })
        .collect();
    Ok(Some(render(
        &format!("{} — {}", space.name, site.name),
        tz,
        &entries,
        now,
    )))
}

/// One busy (or, for staff, described) interval of a feed.
pub struct FeedEntry {
    pub uid: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub summary: String,
    pub tentative: bool,
}

/// A whole calendar: `name`, its events in `tz`, and the VTIMEZONE they refer to.
pub fn render(name: &str, tz: Tz, entries: &[FeedEntry], now: DateTime<Utc>) -> String {
    let local = |t: DateTime<Utc>| CalendarDateTime::WithTimezone {
        date_time: t.with_timezone(&tz).naive_local(),
        tzid: tz.name().to_string(),
    };
    let mut calendar = Calendar::new();
    calendar.name(name).timezone(tz.name());
    for entry in entries {
        calendar.push(
            Event::new()
                .uid(&entry.uid)
                .timestamp(now)
                .starts(local(entry.start))
                .ends(local(entry.end))
                .summary(&entry.summary)
                .status(if entry.tentative {
                    EventStatus::Tentative
                } else {
                    EventStatus::Confirmed
                })
                .add_property("TRANSP", "OPAQUE")
                .done(),
        );
    }
    let body = calendar.done().to_string();
    let first_year = entries
        .iter()
        .map(|e| e.start.year())
        .min()
        .unwrap_or(now.year());
    let last_year = entries
        .iter()
        .map(|e| e.end.year())
        .max()
        .unwrap_or(now.year());
    let vtimezone = vtimezone(tz, first_year - 1, last_year);
    // The crate has no VTIMEZONE component: place ours before the first component.
    let at = body
        .find("BEGIN:VEVENT")
        .or_else(|| body.rfind("END:VCALENDAR"))
        .unwrap_or(body.len());
    format!("{}{}{}", &body[..at], vtimezone, &body[at..])
}

/// A VTIMEZONE for `tz` listing every offset change from `from_year` to `to_year`; a zone
/// without changes there gets one STANDARD block with its offset.
pub fn vtimezone(tz: Tz, from_year: i32, to_year: i32) -> String {
    let mut out = format!("BEGIN:VTIMEZONE\r\nTZID:{}\r\n", tz.name());
    let start = Utc.from_utc_datetime(
        &NaiveDate::from_ymd_opt(from_year, 1, 1)
            .expect("a valid year")
            .and_hms_opt(0, 0, 0)
            .expect("midnight"),
    );
    let end = Utc.from_utc_datetime(
        &NaiveDate::from_ymd_opt(to_year + 1, 1, 1)
            .expect("a valid year")
            .and_hms_opt(0, 0, 0)
            .expect("midnight"),
    );
    let transitions = transitions(tz, start, end);
    if transitions.is_empty() {
        let offset = tz.offset_from_utc_datetime(&start.naive_utc());
        out.push_str(&block(
            "STANDARD",
            "19700101T000000",
            offset.fix().local_minus_utc(),
            offset.fix().local_minus_utc(),
            offset.abbreviation(),
        ));
    }
    for at in transitions {
        let before = tz.offset_from_utc_datetime(&(at - Duration::seconds(1)).naive_utc());
        let after = tz.offset_from_utc_datetime(&at.naive_utc());
        let from = before.fix().local_minus_utc();
        let onset = (at + Duration::seconds(i64::from(from)))
            .naive_utc()
            .format("%Y%m%dT%H%M%S")
            .to_string();
        let kind = if after.dst_offset().is_zero() {
            "STANDARD"
        } else {
            "DAYLIGHT"
        };
        out.push_str(&block(
            kind,
            &onset,
            from,
            after.fix().local_minus_utc(),
            after.abbreviation(),
        ));
    }
    out.push_str("END:VTIMEZONE\r\n");
    out
}

fn block(kind: &str, onset: &str, from: i32, to: i32, name: Option<&str>) -> String {
    let mut out = format!(
        "BEGIN:{kind}\r\nDTSTART:{onset}\r\nTZOFFSETFROM:{}\r\nTZOFFSETTO:{}\r\n",
        utc_offset(from),
        utc_offset(to)
    );
    // Abbreviations like "+03" are not names; RFC 5545 makes TZNAME optional.
    if let Some(name) = name.filter(|n| n.chars().all(|c| c.is_ascii_alphabetic())) {
        out.push_str(&format!("TZNAME:{name}\r\n"));
    }
    out.push_str(&format!("END:{kind}\r\n"));
    out
}

/// `+0100`, `-0330`.
fn utc_offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.abs() / 60;
    format!("{sign}{:02}{:02}", minutes / 60, minutes % 60)
}

/// The instants in `[start, end)` at which `tz`'s UTC offset changes.
fn transitions(tz: Tz, start: DateTime<Utc>, end: DateTime<Utc>) -> Vec<DateTime<Utc>> {
    let offset_at = |t: DateTime<Utc>| {
        let o = tz.offset_from_utc_datetime(&t.naive_utc());
        (o.fix().local_minus_utc(), o.dst_offset())
    };
    let mut out = Vec::new();
    let mut t = start;
    let step = Duration::hours(12);
    while t < end {
        let next = t + step;
        if offset_at(t) != offset_at(next) {
            // Narrow the change down to the second: offsets change on whole seconds.
            let (mut lo, mut hi) = (t, next);
            while hi - lo > Duration::seconds(1) {
                let mid = lo + (hi - lo) / 2;
                if offset_at(mid) == offset_at(lo) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            out.push(hi);
        }
        t = next;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn paris_changes_twice_a_year() {
        let text = vtimezone(chrono_tz::Europe::Paris, 2027, 2027);
        assert!(text.contains("TZID:Europe/Paris"));
        assert!(text.contains(
            "BEGIN:DAYLIGHT\r\nDTSTART:20270328T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST"
        ));
        assert!(text.contains(
            "BEGIN:STANDARD\r\nDTSTART:20271031T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET"
        ));
        assert_eq!(text.matches("BEGIN:DAYLIGHT").count(), 1);
    }

    #[test]
    fn a_zone_without_dst_has_one_standard_block() {
        let text = vtimezone(chrono_tz::America::Cayenne, 2027, 2028);
        assert_eq!(text.matches("BEGIN:STANDARD").count(), 1);
        assert!(text.contains("TZOFFSETTO:-0300"));
        assert!(!text.contains("DAYLIGHT"));
    }

    #[test]
    fn a_feed_parses_and_keeps_local_times() {
        let entries = [FeedEntry {
            uid: "b1@lieu".into(),
            start: t("2027-03-30T08:00:00Z"),
            end: t("2027-03-30T10:00:00Z"),
            summary: "Atelier; vélo, réparation".into(),
            tentative: false,
        }];
        let text = render(
            "Salle Jaurès",
            chrono_tz::Europe::Paris,
            &entries,
            t("2027-03-01T00:00:00Z"),
        );
        let unfolded = icalendar::parser::unfold(&text);
        let calendar = icalendar::parser::read_calendar(&unfolded).unwrap();
        let names: Vec<String> = calendar
            .components
            .iter()
            .map(|c| c.name.to_string())
            .collect();
        assert_eq!(names, ["VTIMEZONE", "VEVENT"]);
        assert!(text.contains("DTSTART;TZID=Europe/Paris:20270330T100000"));
        assert!(text.contains("SUMMARY:Atelier\\; vélo\\, réparation"));
        assert!(text.contains("\r\n"));
    }
}

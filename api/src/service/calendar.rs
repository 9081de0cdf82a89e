//! iCalendar feeds (RFC 5545) for calendar clients: a space's busy times, the public agenda.
//! Entries carry local times with a TZID and the feed carries the matching VTIMEZONEs, built
//! from chrono-tz's own transitions, so that clients show the right hour on both sides of a DST
//! change whatever their own zone database.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Offset, TimeZone, Utc};
use chrono_tz::{OffsetComponents, OffsetName, Tz};
use icalendar::{Calendar, CalendarDateTime, Component, Event, EventLike, EventStatus};

/// How calendar clients should show an entry.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FeedStatus {
    #[default]
    Confirmed,
    Tentative,
    /// Kept a while so that subscribed calendars drop it.
    Cancelled,
}

/// One entry of a feed, in its site's zone.
#[derive(Clone, Debug)]
pub struct FeedEntry {
    /// Stable across changes, so that clients update instead of duplicating.
    pub uid: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub summary: String,
    pub description: Option<String>,
    pub location: Option<String>,
    pub url: Option<String>,
    /// Bumped on every change (RFC 5545 SEQUENCE).
    pub sequence: i32,
    pub status: FeedStatus,
    pub tz: Tz,
}

impl Default for FeedEntry {
    fn default() -> Self {
        Self {
            uid: String::new(),
            start: DateTime::<Utc>::MIN_UTC,
            end: DateTime::<Utc>::MIN_UTC,
            summary: String::new(),
            description: None,
            location: None,
            url: None,
            sequence: 0,
            status: FeedStatus::Confirmed,
            tz: chrono_tz::UTC,
        }
    }
}

/// A whole calendar: `name` (whose zone is `tz`), its entries in their own zones, and the
/// VTIMEZONE of each zone they refer to.
pub fn render(name: &str, tz: Tz, entries: &[FeedEntry], now: DateTime<Utc>) -> String {
    let local = |t: DateTime<Utc>, tz: Tz| CalendarDateTime::WithTimezone {
        date_time: t.with_timezone(&tz).naive_local(),
        tzid: tz.name().to_string(),
    };
    let mut calendar = Calendar::new();
    calendar.name(name).timezone(tz.name());
    for entry in entries {
        let mut event = Event::new();
        event
            .uid(&entry.uid)
            .timestamp(now)
            .starts(local(entry.start, entry.tz))
            .ends(local(entry.end, entry.tz))
            .summary(&entry.summary)
            .sequence(u32::try_from(entry.sequence).unwrap_or(0))
            .status(match entry.status {
                FeedStatus::Confirmed => EventStatus::Confirmed,
                FeedStatus::Tentative => EventStatus::Tentative,
                FeedStatus::Cancelled => EventStatus::Cancelled,
            })
            .add_property("TRANSP", "OPAQUE");
        if let Some(description) = &entry.description {
            event.description(description);
        }
        if let Some(location) = &entry.location {
            event.location(location);
        }
        if let Some(url) = &entry.url {
            event.url(url);
        }
        calendar.push(event.done());
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
    let mut zones: Vec<Tz> = entries.iter().map(|e| e.tz).collect();
    zones.push(tz);
    zones.sort_by_key(|z| z.name());
    zones.dedup();
    let vtimezone: String = zones
        .iter()
        .map(|z| vtimezone(*z, first_year - 1, last_year))
        .collect();
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
            tz: chrono_tz::Europe::Paris,
            ..FeedEntry::default()
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

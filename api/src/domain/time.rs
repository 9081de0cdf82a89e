use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

/// The local calendar day of an instant in a site's time zone.
pub fn local_date(instant: DateTime<Utc>, tz: Tz) -> NaiveDate {
    instant.with_timezone(&tz).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn late_evening_utc_is_the_next_day_in_paris() {
        let instant = "2026-07-14T22:30:00Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(
            local_date(instant, chrono_tz::Europe::Paris).to_string(),
            "2026-07-15"
        );
        assert_eq!(
            local_date(instant, chrono_tz::UTC).to_string(),
            "2026-07-14"
        );
    }
}

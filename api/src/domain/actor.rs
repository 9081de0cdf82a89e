//! Who makes a change, for the rules that depend on it (a volunteer's past date is a typo; a
//! manager's is an entry after the fact).

use chrono::{Months, NaiveDate};
use uuid::Uuid;

use super::Role;
use crate::error::AppError;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Actor {
    /// A signed-in staff member.
    Staff { user_id: Uuid, role: Role },
    /// A trusted tool, with an API key that has `role`'s rights. What it records names no user.
    Key { key_id: Uuid, role: Role },
    /// Lieu itself: an import, the demo, a command-line tool.
    System,
}

impl Actor {
    pub fn user_id(self) -> Option<Uuid> {
        match self {
            Self::Staff { user_id, .. } => Some(user_id),
            Self::Key { .. } | Self::System => None,
        }
    }

    /// Whether the actor has at least `role` (Lieu itself has every right).
    pub fn is_at_least(self, role: Role) -> bool {
        match self {
            Self::Staff { role: own, .. } | Self::Key { role: own, .. } => own.includes(role),
            Self::System => true,
        }
    }
}

/// How far ahead a booking may start.
const BOOKING_YEARS_AHEAD: u32 = 5;

/// A booking's first local day: before today or more than five years ahead is most often a
/// typo; a MANAGER (entering past bookings, planning far ahead) may, a VOLUNTEER may not.
pub fn check_booking_day(actor: Actor, day: NaiveDate, today: NaiveDate) -> Result<(), AppError> {
    if actor.is_at_least(Role::Manager) {
        return Ok(());
    }
    let far = today + Months::new(12 * BOOKING_YEARS_AHEAD);
    if day < today {
        return Err(AppError::validation(
            "start",
            format!(
                "starts on {day}, before today ({today}): check the date; a manager can enter past bookings"
            ),
        ));
    }
    if day > far {
        return Err(AppError::validation(
            "start",
            format!(
                "starts on {day}, more than {BOOKING_YEARS_AHEAD} years ahead: check the year; a manager can book that far"
            ),
        ));
    }
    Ok(())
}

/// A membership's first day more than a year back is most often a typo; a MANAGER (recording
/// an old membership) may, a VOLUNTEER may not.
pub fn check_membership_start(
    actor: Actor,
    day: NaiveDate,
    today: NaiveDate,
) -> Result<(), AppError> {
    if actor.is_at_least(Role::Manager) || day >= today - Months::new(12) {
        return Ok(());
    }
    Err(AppError::validation(
        "startsOn",
        format!(
            "starts on {day}, more than a year before today ({today}): check the year; a manager can record it"
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn past_and_far_dates_per_role() {
        let today = d("2026-12-01");
        let volunteer = Actor::Staff {
            user_id: Uuid::nil(),
            role: Role::Volunteer,
        };
        let manager = Actor::Staff {
            user_id: Uuid::nil(),
            role: Role::Manager,
        };
        assert!(check_booking_day(volunteer, today, today).is_ok());
        assert!(check_booking_day(volunteer, d("2031-12-01"), today).is_ok());
        let err = check_booking_day(volunteer, d("2026-11-30"), today).unwrap_err();
        assert_eq!(err.code(), "VALIDATION");
        assert!(check_booking_day(volunteer, d("2031-12-02"), today).is_err());
        assert!(check_booking_day(manager, d("2020-01-01"), today).is_ok());
        assert!(check_booking_day(Actor::System, d("2020-01-01"), today).is_ok());
        assert!(check_membership_start(volunteer, d("2025-12-01"), today).is_ok());
        assert!(check_membership_start(volunteer, d("2025-11-30"), today).is_err());
        assert!(check_membership_start(manager, d("2020-01-01"), today).is_ok());
    }
}

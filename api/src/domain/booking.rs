//! The vocabulary of spaces and bookings.

use super::stored_enum::stored_enum;
use crate::error::AppError;

stored_enum! {
    /// What a space is for.
    pub enum SpaceKind {
        MeetingRoom => "MEETING_ROOM",
        Coworking => "COWORKING",
        Workshop => "WORKSHOP",
        EventHall => "EVENT_HALL",
        Kitchen => "KITCHEN",
        Studio => "STUDIO",
        Outdoor => "OUTDOOR",
        Lodging => "LODGING",
        Other => "OTHER",
    }
}

stored_enum! {
    /// Which rate a booker pays.
    pub enum PriceTier {
        Public => "PUBLIC",
        Member => "MEMBER",
        Solidarity => "SOLIDARITY",
        Resident => "RESIDENT",
    }
}

stored_enum! {
    /// PENDING and CONFIRMED bookings hold their slot; CANCELLED ones free it.
    pub enum BookingStatus {
        Pending => "PENDING",
        Confirmed => "CONFIRMED",
        Cancelled => "CANCELLED",
    }
}

/// How many people a space holds: at least 1.
pub fn capacity(field: &str, value: i32) -> Result<i32, AppError> {
    if value < 1 {
        return Err(AppError::validation(field, "must be at least 1"));
    }
    if value > 100_000 {
        return Err(AppError::validation(field, "is implausibly large"));
    }
    Ok(value)
}

/// Set-up and clean-up time around each booking: 0 to 24 hours, in minutes.
pub fn buffer_minutes(field: &str, value: i32) -> Result<i32, AppError> {
    if !(0..=24 * 60).contains(&value) {
        return Err(AppError::validation(
            field,
            "must be between 0 and 1440 minutes",
        ));
    }
    Ok(value)
}

/// The number of people expected at a booking: at least 1 and at most the space's capacity.
pub fn attendees(field: &str, value: i32, capacity: i32) -> Result<i32, AppError> {
    if value < 1 {
        return Err(AppError::validation(field, "must be at least 1"));
    }
    if value > capacity {
        return Err(AppError::validation(
            field,
            format!("{value} people do not fit: the space holds {capacity}"),
        ));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for kind in SpaceKind::ALL {
            assert_eq!(kind.as_str().parse::<SpaceKind>(), Ok(*kind));
        }
        assert_eq!("RESIDENT".parse::<PriceTier>(), Ok(PriceTier::Resident));
        assert!("resident".parse::<PriceTier>().is_err());
    }

    #[test]
    fn bounds() {
        assert!(capacity("c", 0).is_err());
        assert!(buffer_minutes("b", -1).is_err());
        assert!(buffer_minutes("b", 1441).is_err());
        assert_eq!(buffer_minutes("b", 0).unwrap(), 0);
        assert!(attendees("a", 13, 12).is_err());
        assert!(attendees("a", 0, 12).is_err());
        assert_eq!(attendees("a", 12, 12).unwrap(), 12);
    }
}

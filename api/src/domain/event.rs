//! The vocabulary and pure rules of events and registrations: categories and statuses, prices,
//! group sizes, the waitlist's promotion order, registration codes.

use rand::Rng;

use super::Money;
use super::stored_enum::stored_enum;
use crate::error::AppError;

stored_enum! {
    /// What kind of event it is.
    pub enum EventCategory {
        Workshop => "WORKSHOP",
        Talk => "TALK",
        Concert => "CONCERT",
        Screening => "SCREENING",
        Market => "MARKET",
        RepairCafe => "REPAIR_CAFE",
        Meeting => "MEETING",
        Training => "TRAINING",
        Festival => "FESTIVAL",
        Other => "OTHER",
    }
}

stored_enum! {
    pub enum EventStatus {
        Scheduled => "SCHEDULED",
        Cancelled => "CANCELLED",
    }
}

stored_enum! {
    /// CONFIRMED registrations hold seats; WAITLISTED ones wait in line; CANCELLED ones are
    /// kept and counted nowhere.
    pub enum RegistrationStatus {
        Confirmed => "CONFIRMED",
        Waitlisted => "WAITLISTED",
        Cancelled => "CANCELLED",
    }
}

/// The most seats one registration (a group that comes together) may hold.
pub const MAX_SEATS_PER_REGISTRATION: i32 = 10;

/// Seats of one registration: 1 to [`MAX_SEATS_PER_REGISTRATION`].
pub fn seats(field: &str, value: Option<i32>) -> Result<i32, AppError> {
    let n = value.unwrap_or(1);
    if !(1..=MAX_SEATS_PER_REGISTRATION).contains(&n) {
        return Err(AppError::validation(
            field,
            format!(
                "a registration holds 1 to {MAX_SEATS_PER_REGISTRATION} seats; register a bigger group in parts"
            ),
        ));
    }
    Ok(n)
}

/// What an event costs: free without a price; a member price and a pay-what-you-can floor
/// are optional, and neither may exceed the price.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EventPrices {
    pub price: Option<Money>,
    pub member_price: Option<Money>,
    pub min_price: Option<Money>,
}

impl EventPrices {
    pub fn new(
        price: Option<Money>,
        member_price: Option<Money>,
        min_price: Option<Money>,
    ) -> Result<Self, AppError> {
        for (field, value) in [("memberPrice", member_price), ("minPrice", min_price)] {
            match (price, value) {
                (None, Some(_)) => {
                    return Err(AppError::validation(
                        field,
                        "needs a price: a free event has no member price or floor",
                    ));
                }
                (Some(price), Some(value)) if value > price => {
                    return Err(AppError::validation(
                        field,
                        format!(
                            "{} EUR is above the price ({} EUR)",
                            value.to_decimal(),
                            price.to_decimal()
                        ),
                    ));
                }
                _ => {}
            }
        }
        Ok(Self {
            price,
            member_price,
            min_price,
        })
    }

    /// Free: no price, or a price of zero.
    pub fn is_free(self) -> bool {
        self.price.is_none_or(|p| p == Money::ZERO)
    }

    /// What `seats` seats cost, for a member or not.
    pub fn due(self, seats: i32, member: bool) -> Money {
        let unit = match (member, self.member_price) {
            (true, Some(member_price)) => member_price,
            _ => self.price.unwrap_or(Money::ZERO),
        };
        Money::from_cents(unit.cents() * i64::from(seats))
    }

    /// Checks an amount paid for `seats` seats: at least the floor on a pay-what-you-can event,
    /// otherwise exactly what is due.
    pub fn check_paid(self, paid: Money, seats: i32, member: bool) -> Result<(), AppError> {
        let due = self.due(seats, member);
        match self.min_price {
            Some(min) => {
                let floor = Money::from_cents(min.cents() * i64::from(seats));
                if paid < floor {
                    return Err(AppError::validation(
                        "amount",
                        format!(
                            "pay what you can from {} EUR for {seats} seat(s); {} is below that",
                            floor.to_decimal(),
                            paid.to_decimal()
                        ),
                    ));
                }
            }
            None if paid != due => {
                return Err(AppError::validation(
                    "amount",
                    format!(
                        "{seats} seat(s) cost {} EUR; {} was given",
                        due.to_decimal(),
                        paid.to_decimal()
                    ),
                ));
            }
            None => {}
        }
        Ok(())
    }
}

/// Which waitlisted registrations `free` seats let in, in arrival order: the first that fits
/// goes first, and a smaller group behind one too big for the free seats may pass it (the big
/// one keeps its place). `waitlist` is (id, seats) by position.
pub fn promotions<T: Copy>(mut free: i32, waitlist: &[(T, i32)]) -> Vec<T> {
    let mut promoted = Vec::new();
    for &(id, seats) in waitlist {
        if free <= 0 {
            break;
        }
        if seats <= free {
            free -= seats;
            promoted.push(id);
        }
    }
    promoted
}

/// The letters of registration codes: no 0/O, 1/I/L, nor 5/S, 2/Z or 8/B, which people and
/// scanners mix up.
const CODE_ALPHABET: &[u8] = b"ACDEFGHJKMNPQRTUVWXY34679";
pub const CODE_LENGTH: usize = 8;

/// A new registration code: 8 characters of [`CODE_ALPHABET`] (25^8, about 1.5e11).
pub fn new_code() -> String {
    let mut rng = rand::rng();
    (0..CODE_LENGTH)
        .map(|_| char::from(CODE_ALPHABET[rng.random_range(0..CODE_ALPHABET.len())]))
        .collect()
}

/// A code as typed or scanned: case, spaces and dashes do not matter.
pub fn normalize_code(raw: &str) -> String {
    raw.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(euros: i64) -> Money {
        Money::from_cents(euros * 100)
    }

    #[test]
    fn the_first_that_fits_goes_first_and_a_big_group_keeps_its_place() {
        // 2 free seats: the group of 3 waits, the single behind it passes, then another single.
        let line = [('a', 3), ('b', 1), ('c', 1), ('d', 1)];
        assert_eq!(promotions(2, &line), vec!['b', 'c']);
        assert_eq!(promotions(3, &line), vec!['a']);
        assert_eq!(promotions(0, &line), Vec::<char>::new());
        assert_eq!(promotions(10, &line), vec!['a', 'b', 'c', 'd']);
    }

    #[test]
    fn prices_members_and_floors() {
        let p = EventPrices::new(Some(m(10)), Some(m(6)), None).unwrap();
        assert_eq!(p.due(3, false), m(30));
        assert_eq!(p.due(3, true), m(18));
        assert!(p.check_paid(m(18), 3, true).is_ok());
        assert!(p.check_paid(m(20), 3, true).is_err());
        let pwyc = EventPrices::new(Some(m(10)), None, Some(m(2))).unwrap();
        assert!(pwyc.check_paid(m(4), 2, false).is_ok());
        assert!(pwyc.check_paid(m(3), 2, false).is_err());
        assert!(EventPrices::new(None, Some(m(1)), None).is_err());
        assert!(EventPrices::new(Some(m(5)), None, Some(m(6))).is_err());
        assert!(EventPrices::new(None, None, None).unwrap().is_free());
        assert!(
            EventPrices::new(Some(Money::ZERO), None, None)
                .unwrap()
                .is_free()
        );
    }

    #[test]
    fn codes_are_eight_unambiguous_characters() {
        let code = new_code();
        assert_eq!(code.len(), CODE_LENGTH);
        assert!(code.bytes().all(|b| CODE_ALPHABET.contains(&b)));
        assert_eq!(normalize_code(" acde-fg 34 "), "ACDEFG34");
        assert!(seats("seats", Some(0)).is_err());
        assert!(seats("seats", Some(11)).is_err());
        assert_eq!(seats("seats", None).unwrap(), 1);
    }
}

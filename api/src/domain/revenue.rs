use super::stored_enum::stored_enum;

stored_enum! {
    /// Where earned or received money comes from (API.md's `RevenueStream`).
    pub enum RevenueStream {
        SpaceRental => "SPACE_RENTAL",
        Coworking => "COWORKING",
        Membership => "MEMBERSHIP",
        EventTickets => "EVENT_TICKETS",
        CafeBar => "CAFE_BAR",
        Services => "SERVICES",
        Sales => "SALES",
        Donation => "DONATION",
        Sponsorship => "SPONSORSHIP",
        Other => "OTHER",
    }
}

impl RevenueStream {
    /// Gifts, not earnings (API.md): donations and sponsorship are private funding.
    pub fn is_earned(self) -> bool {
        !matches!(self, Self::Donation | Self::Sponsorship)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for stream in RevenueStream::ALL {
            assert_eq!(stream.as_str().parse::<RevenueStream>(), Ok(*stream));
        }
        assert!("RENT".parse::<RevenueStream>().is_err());
    }
}

use std::fmt;
use std::str::FromStr;

/// Where earned or received money comes from (API.md's `RevenueStream`), stored as its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RevenueStream {
    SpaceRental,
    Coworking,
    Membership,
    EventTickets,
    CafeBar,
    Services,
    Sales,
    Donation,
    Sponsorship,
    Other,
}

impl RevenueStream {
    pub const ALL: [RevenueStream; 10] = [
        Self::SpaceRental,
        Self::Coworking,
        Self::Membership,
        Self::EventTickets,
        Self::CafeBar,
        Self::Services,
        Self::Sales,
        Self::Donation,
        Self::Sponsorship,
        Self::Other,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::SpaceRental => "SPACE_RENTAL",
            Self::Coworking => "COWORKING",
            Self::Membership => "MEMBERSHIP",
            Self::EventTickets => "EVENT_TICKETS",
            Self::CafeBar => "CAFE_BAR",
            Self::Services => "SERVICES",
            Self::Sales => "SALES",
            Self::Donation => "DONATION",
            Self::Sponsorship => "SPONSORSHIP",
            Self::Other => "OTHER",
        }
    }
}

impl fmt::Display for RevenueStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for RevenueStream {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|stream| stream.as_str() == s)
            .ok_or_else(|| format!("unknown revenue stream '{s}'"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for stream in RevenueStream::ALL {
            assert_eq!(stream.as_str().parse::<RevenueStream>(), Ok(stream));
        }
        assert!("RENT".parse::<RevenueStream>().is_err());
    }
}

//! Who the public is, as funders ask: age bands from birth years, territories from postal codes.
//! Pure rules; the impact report counts with them.

use super::stored_enum::stored_enum;

stored_enum! {
    /// An age band, from the birth year and the year of the report's end (API.md).
    pub enum AgeBand {
        Under18 => "UNDER_18",
        From18To25 => "FROM_18_TO_25",
        From26To40 => "FROM_26_TO_40",
        From41To60 => "FROM_41_TO_60",
        From61To75 => "FROM_61_TO_75",
        Over75 => "OVER_75",
        Unknown => "UNKNOWN",
    }
}

impl AgeBand {
    /// The band of someone born in `birth_year`, in `year` (the age they reach that year).
    pub fn of(birth_year: Option<i32>, year: i32) -> Self {
        let Some(born) = birth_year else {
            return Self::Unknown;
        };
        match year - born {
            age if age < 18 => Self::Under18,
            18..=25 => Self::From18To25,
            26..=40 => Self::From26To40,
            41..=60 => Self::From41To60,
            61..=75 => Self::From61To75,
            _ => Self::Over75,
        }
    }
}

stored_enum! {
    /// Where a participant lives, against the site's own postal code.
    pub enum Territory {
        Commune => "COMMUNE",
        Departement => "DEPARTEMENT",
        Elsewhere => "ELSEWHERE",
        Unknown => "UNKNOWN",
    }
}

impl Territory {
    /// COMMUNE: the same postal code as the site; DEPARTEMENT: the same département; ELSEWHERE:
    /// any other code (a foreign one included); UNKNOWN: no code, or a site without one (there
    /// is nothing to compare with).
    pub fn of(person: Option<&str>, site: Option<&str>) -> Self {
        let (Some(person), Some(site)) = (person, site) else {
            return Self::Unknown;
        };
        if person.eq_ignore_ascii_case(site) {
            return Self::Commune;
        }
        match (departement(person), departement(site)) {
            (Some(a), Some(b)) if a == b => Self::Departement,
            _ => Self::Elsewhere,
        }
    }
}

/// The French département of a five-digit postal code: its first two digits; 2A or 2B in
/// Corsica (20000-20199 is Corse-du-Sud, 20200 and above Haute-Corse); three digits overseas
/// (971 Guadeloupe … 976 Mayotte, and the 98x collectivities). None for any other code.
pub fn departement(code: &str) -> Option<String> {
    if code.len() != 5 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if let Some(rest) = code.strip_prefix("20") {
        let n: u32 = rest.parse().ok()?;
        return Some(if n < 200 { "2A" } else { "2B" }.to_string());
    }
    if code.starts_with("97") || code.starts_with("98") {
        return Some(code[..3].to_string());
    }
    Some(code[..2].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn age_bands_use_the_year_reached() {
        assert_eq!(
            AgeBand::of(Some(2009), 2026),
            AgeBand::Under18,
            "17 in 2026"
        );
        assert_eq!(AgeBand::of(Some(2008), 2026), AgeBand::From18To25);
        assert_eq!(AgeBand::of(Some(2001), 2026), AgeBand::From18To25, "25");
        assert_eq!(AgeBand::of(Some(2000), 2026), AgeBand::From26To40, "26");
        assert_eq!(AgeBand::of(Some(1986), 2026), AgeBand::From26To40, "40");
        assert_eq!(AgeBand::of(Some(1985), 2026), AgeBand::From41To60);
        assert_eq!(AgeBand::of(Some(1966), 2026), AgeBand::From41To60, "60");
        assert_eq!(AgeBand::of(Some(1951), 2026), AgeBand::From61To75, "75");
        assert_eq!(AgeBand::of(Some(1950), 2026), AgeBand::Over75, "76");
        assert_eq!(AgeBand::of(None, 2026), AgeBand::Unknown);
    }

    #[test]
    fn territories_against_the_sites_code() {
        let nantes = Some("44200");
        assert_eq!(Territory::of(Some("44200"), nantes), Territory::Commune);
        assert_eq!(Territory::of(Some("44000"), nantes), Territory::Departement);
        assert_eq!(Territory::of(Some("44800"), nantes), Territory::Departement);
        assert_eq!(Territory::of(Some("35000"), nantes), Territory::Elsewhere);
        assert_eq!(Territory::of(Some("BE-4000"), nantes), Territory::Elsewhere);
        assert_eq!(Territory::of(None, nantes), Territory::Unknown);
        assert_eq!(Territory::of(Some("44200"), None), Territory::Unknown);
        let ajaccio = Some("20000");
        assert_eq!(
            Territory::of(Some("20167"), ajaccio),
            Territory::Departement,
            "2A"
        );
        assert_eq!(
            Territory::of(Some("20200"), ajaccio),
            Territory::Elsewhere,
            "2B"
        );
        let pointe = Some("97110");
        assert_eq!(
            Territory::of(Some("97100"), pointe),
            Territory::Departement,
            "971"
        );
        assert_eq!(
            Territory::of(Some("97200"), pointe),
            Territory::Elsewhere,
            "972"
        );
    }
}

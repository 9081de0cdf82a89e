use super::stored_enum::stored_enum;

stored_enum! {
    /// A staff role. Each role may do everything the roles below it may do.
    pub enum Role {
        Admin => "ADMIN",
        Manager => "MANAGER",
        Volunteer => "VOLUNTEER",
    }
}

impl Role {
    /// Higher is more powerful.
    pub const fn rank(self) -> u8 {
        match self {
            Role::Volunteer => 1,
            Role::Manager => 2,
            Role::Admin => 3,
        }
    }

    /// True when this role may do what `required` may do.
    pub const fn includes(self, required: Role) -> bool {
        self.rank() >= required.rank()
    }

    /// A role as people type it on the command line: any case.
    pub fn parse_any_case(s: &str) -> Result<Self, String> {
        let upper = s.trim().to_ascii_uppercase();
        Self::ALL
            .iter()
            .copied()
            .find(|r| r.as_str() == upper)
            .ok_or_else(|| format!("unknown role '{s}': expected admin, manager or volunteer"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered_and_round_trip() {
        assert!(Role::Admin.includes(Role::Manager));
        assert!(Role::Manager.includes(Role::Volunteer));
        assert!(!Role::Volunteer.includes(Role::Manager));
        for &role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>().unwrap(), role);
            assert_eq!(
                Role::parse_any_case(&role.as_str().to_lowercase()).unwrap(),
                role
            );
        }
        assert!(Role::parse_any_case("root").is_err());
        assert!("admin".parse::<Role>().is_err(), "stored names are exact");
    }
}

use std::fmt;
use std::str::FromStr;

/// A staff role. Each role may do everything the roles below it may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    Admin,
    Manager,
    Volunteer,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Manager, Role::Volunteer];

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

    /// The stored and API name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "ADMIN",
            Role::Manager => "MANAGER",
            Role::Volunteer => "VOLUNTEER",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;

    /// Accepts any case: the CLI takes `admin`, the database holds `ADMIN`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_uppercase().as_str() {
            "ADMIN" => Ok(Role::Admin),
            "MANAGER" => Ok(Role::Manager),
            "VOLUNTEER" => Ok(Role::Volunteer),
            other => Err(format!(
                "unknown role '{other}': expected admin, manager or volunteer"
            )),
        }
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
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>().unwrap(), role);
            assert_eq!(role.as_str().to_lowercase().parse::<Role>().unwrap(), role);
        }
        assert!("root".parse::<Role>().is_err());
    }
}

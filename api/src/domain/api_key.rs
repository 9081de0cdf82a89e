use super::Role;
use super::stored_enum::stored_enum;

stored_enum! {
    /// What an API key may do: PUBLIC, what an anonymous caller may (with a rate limit of its
    /// own); or a staff role's rights, for a trusted tool.
    pub enum ApiKeyScope {
        Public => "PUBLIC",
        Volunteer => "VOLUNTEER",
        Manager => "MANAGER",
        Admin => "ADMIN",
    }
}

impl ApiKeyScope {
    /// The staff role whose rights the key has; none for a PUBLIC key.
    pub const fn role(self) -> Option<Role> {
        match self {
            Self::Public => None,
            Self::Volunteer => Some(Role::Volunteer),
            Self::Manager => Some(Role::Manager),
            Self::Admin => Some(Role::Admin),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_scope_names_its_role_and_public_none() {
        assert_eq!(ApiKeyScope::Public.role(), None);
        for &role in Role::ALL {
            let scope: ApiKeyScope = role.as_str().parse().unwrap();
            assert_eq!(scope.role(), Some(role));
        }
    }
}

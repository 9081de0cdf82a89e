//! The role guard. One table, [`PERMISSIONS`], says which role each kind of action needs; it
//! mirrors the roles table of API.md row for row. Every guarded field names a [`Permission`].

use async_graphql::{Context, Guard};

use crate::auth::Caller;
use crate::domain::Role;
use crate::error::AppError;
use crate::graphql::context::ContextExt;

/// The kinds of action of API.md's roles table that need a signed-in user. (Public reads and
/// public registration need nothing and have no guard.)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Permission {
    /// Bookings, registrations, people (read).
    ReadOperations,
    /// Create/cancel bookings, check-in, walk-in, people, memberships, volunteer hours.
    FrontDesk,
    /// Confirm bookings needing approval, spaces and rates, events, revenues, grants, reports,
    /// erase a person.
    Manage,
    /// Users, API keys, sites, volunteer valuation rates.
    Administer,
}

/// API.md's roles table: the least role that may do each kind of action.
pub const PERMISSIONS: [(Permission, Role); 4] = [
    (Permission::ReadOperations, Role::Volunteer),
    (Permission::FrontDesk, Role::Volunteer),
    (Permission::Manage, Role::Manager),
    (Permission::Administer, Role::Admin),
];

impl Permission {
    pub fn least_role(self) -> Role {
        PERMISSIONS
            .iter()
            .find(|(p, _)| *p == self)
            .map(|(_, role)| *role)
            .expect("every permission is in the table")
    }

    /// Checks a caller against this permission.
    pub fn check(self, caller: &Caller) -> Result<(), AppError> {
        let role = caller.require_role()?;
        let needed = self.least_role();
        if role.includes(needed) {
            Ok(())
        } else {
            let you = if caller.api_key().is_some() {
                "this API key has"
            } else {
                "you are"
            };
            Err(AppError::Forbidden(format!(
                "this needs the {needed} role or above; {you} {role}"
            )))
        }
    }
}

/// `#[graphql(guard = "Require(Permission::Manage)")]`
pub struct Require(pub Permission);

impl Guard for Require {
    async fn check(&self, ctx: &Context<'_>) -> async_graphql::Result<()> {
        // The request context's caller; anonymous without one (so guards fail closed).
        self.0.check(ctx.caller()).map_err(Into::into)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::{ApiKeyCaller, AuthUser};
    use crate::domain::ApiKeyScope;

    fn as_role(role: Role) -> Caller {
        Caller::User(AuthUser {
            user_id: uuid::Uuid::new_v4(),
            session_id: uuid::Uuid::new_v4(),
            role,
        })
    }

    /// Walks API.md's table: each role x each kind of action.
    #[test]
    fn the_roles_table_of_api_md() {
        use Permission::*;
        let expected = [
            // (permission, volunteer, manager, admin)
            (ReadOperations, true, true, true),
            (FrontDesk, true, true, true),
            (Manage, false, true, true),
            (Administer, false, false, true),
        ];
        for (permission, volunteer, manager, admin) in expected {
            for (role, allowed) in [
                (Role::Volunteer, volunteer),
                (Role::Manager, manager),
                (Role::Admin, admin),
            ] {
                let result = permission.check(&as_role(role));
                assert_eq!(result.is_ok(), allowed, "{permission:?} as {role}");
                if let Err(err) = result {
                    assert_eq!(err.code(), "FORBIDDEN");
                }
            }
            assert_eq!(
                permission.check(&Caller::Anonymous).unwrap_err().code(),
                "UNAUTHENTICATED"
            );
            assert_eq!(
                permission.check(&Caller::RejectedToken).unwrap_err().code(),
                "UNAUTHENTICATED"
            );
            // A role-scoped key has its role's rights; a PUBLIC key none of these.
            for &scope in ApiKeyScope::ALL {
                let key = Caller::Key(ApiKeyCaller {
                    key_id: uuid::Uuid::new_v4(),
                    name: "site web".into(),
                    scope,
                });
                let allowed = scope
                    .role()
                    .is_some_and(|r| r.includes(permission.least_role()));
                let result = permission.check(&key);
                assert_eq!(result.is_ok(), allowed, "{permission:?} as a {scope} key");
                if let Err(err) = result {
                    assert_eq!(err.code(), "FORBIDDEN");
                }
            }
        }
    }
}

//! Lieu's tables as sea-orm entities. Only storage lives here: no GraphQL derives, no rules.
//! Enumerations are stored as their API names (`"ADMIN"`, `"PUBLIC"`…) in string columns and
//! converted in the api crate, so that a new enum value never needs a database type change.

pub mod session;
pub mod site;
pub mod user;

pub mod prelude {
    pub use super::session::Entity as Session;
    pub use super::site::Entity as Site;
    pub use super::user::Entity as User;
}

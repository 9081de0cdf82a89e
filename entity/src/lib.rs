//! Lieu's tables as sea-orm entities. Only storage lives here: no GraphQL derives, no rules.
//! Enumerations are stored as their API names (`"ADMIN"`, `"PUBLIC"`…) in string columns and
//! converted in the api crate, so that a new enum value never needs a database type change.
//! Money is stored as whole cents (`*_cents`, `i64`): exact on SQLite and PostgreSQL alike.

pub mod account_mapping;
pub mod api_key;
pub mod audit_entry;
pub mod booking;
pub mod booking_block;
pub mod closed_date;
pub mod event;
pub mod event_space;
pub mod funder;
pub mod grant;
pub mod grant_payment;
pub mod grant_status_change;
pub mod impact_objective;
pub mod membership;
pub mod membership_plan;
pub mod opening_hours;
pub mod organization;
pub mod organization_contact;
pub mod person;
pub mod registration;
pub mod reporting_deadline;
pub mod revenue;
pub mod session;
pub mod site;
pub mod space;
pub mod space_rate;
pub mod staff_person;
pub mod user;
pub mod volunteer_entry;
pub mod volunteer_rate;
pub mod webhook;
pub mod webhook_delivery;

pub mod prelude {
    pub use super::booking::Entity as Booking;
    pub use super::booking_block::Entity as BookingBlock;
    pub use super::closed_date::Entity as ClosedDate;
    pub use super::event::Entity as Event;
    pub use super::event_space::Entity as EventSpace;
    pub use super::membership::Entity as Membership;
    pub use super::membership_plan::Entity as MembershipPlan;
    pub use super::opening_hours::Entity as OpeningHours;
    pub use super::organization::Entity as Organization;
    pub use super::organization_contact::Entity as OrganizationContact;
    pub use super::person::Entity as Person;
    pub use super::registration::Entity as Registration;
    pub use super::revenue::Entity as Revenue;
    pub use super::session::Entity as Session;
    pub use super::site::Entity as Site;
    pub use super::space::Entity as Space;
    pub use super::space_rate::Entity as SpaceRate;
    pub use super::user::Entity as User;
}

//! Validated input types. GraphQL inputs and CLI arguments become these at the boundary, so a
//! service can never be handed an empty name or a malformed email.

mod booking;
mod email;
mod id;
mod money;
mod password;
mod recurrence;
mod revenue;
mod role;
mod stored_enum;
mod text;
mod time;
mod timezone;

pub use booking::{BookingStatus, PriceTier, SpaceKind, attendees, buffer_minutes, capacity};
pub use email::Email;
pub use id::parse_id;
pub use money::Money;
pub use password::Password;
pub use recurrence::{Frequency, Recurrence, RecurrenceEnd};
pub use revenue::RevenueStream;
pub use role::Role;
pub use stored_enum::parse_stored;
pub use text::{Name, optional_text};
pub use time::{TimeRange, local_date, resolve_local, start_of_day};
pub use timezone::TimeZoneName;

//! Validated input types. GraphQL inputs and CLI arguments become these at the boundary, so a
//! service can never be handed an empty name or a malformed email.

mod email;
mod id;
mod money;
mod password;
mod revenue;
mod role;
mod text;
mod time;
mod timezone;

pub use email::Email;
pub use id::parse_id;
pub use money::Money;
pub use password::Password;
pub use revenue::RevenueStream;
pub use role::Role;
pub use text::{Name, optional_text};
pub use time::local_date;
pub use timezone::TimeZoneName;

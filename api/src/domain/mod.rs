//! Validated input types. GraphQL inputs and CLI arguments become these at the boundary, so a
//! service can never be handed an empty name or a malformed email.

mod actor;
mod api_key;
mod booking;
mod contact;
mod email;
mod event;
mod export;
mod funding;
mod holder;
mod id;
mod impact;
mod membership;
mod money;
mod opening_hours;
mod page;
mod password;
mod recurrence;
mod revenue;
mod role;
mod search;
pub(crate) mod stored_enum;
mod text;
mod time;
mod timezone;

pub use actor::{Actor, check_booking_day, check_membership_start};
pub use api_key::ApiKeyScope;
pub use booking::{BookingStatus, PriceTier, SpaceKind, attendees, buffer_minutes, capacity};
pub use contact::{parse_birth_year, parse_phone, parse_postal_code};
pub use email::Email;
pub use event::{
    CODE_LENGTH, EventCategory, EventPrices, EventStatus, MAX_SEATS_PER_REGISTRATION,
    RegistrationStatus, new_code, normalize_code, promotions, seats,
};
pub use export::{AccountKey, CsvFormat, Lang, account_number};
pub use funding::{
    AMOUNT_CEILING_EUROS, FunderKind, GrantStatus, Hours, ImpactMetric, SourceKind,
    VolunteerActivity, grant_period, objective_target, received_amount,
};
pub use holder::Holder;
pub use id::parse_id;
pub use impact::{AgeBand, Territory, departement};
pub use membership::{MembershipStatus, OrganizationKind, PlanPeriod, PlanPrice, check_start_day};
pub use money::Money;
pub use opening_hours::{
    MINUTES_PER_DAY, Week, WeeklyInterval, format_clock, open_intervals, parse_clock, subtract,
};
pub use page::{DEFAULT_PAGE, Key, MAX_PAGE, Slice, Window};
pub use password::Password;
pub use recurrence::{Frequency, Recurrence, RecurrenceEnd};
pub use revenue::RevenueStream;
pub use role::Role;
pub use search::{SearchTerms, fold};
pub use stored_enum::StoredEnum;
pub use text::{Name, optional_text};
pub use time::{DayRange, TimeRange, local_date, resolve_local, start_of_day};
pub use timezone::TimeZoneName;

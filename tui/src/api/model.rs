//! The client's own types: what the screens show, independent of the generated code (each
//! operation's module has its own copy of every type it touches).

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Admin,
    Manager,
    Volunteer,
}

impl Role {
    pub fn parse(api_name: &str) -> Self {
        match api_name {
            "ADMIN" => Role::Admin,
            "MANAGER" => Role::Manager,
            _ => Role::Volunteer,
        }
    }

    /// MANAGER and ADMIN: approvals, the dashboard.
    pub fn is_manager(self) -> bool {
        matches!(self, Role::Admin | Role::Manager)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: Role,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Site {
    pub id: String,
    pub name: String,
    /// The site's zone: every time on screen is local to it.
    pub tz: Tz,
    pub address: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SpaceRow {
    pub id: String,
    pub name: String,
    pub capacity: i64,
    pub requires_approval: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BookingStatus {
    Pending,
    Confirmed,
    Cancelled,
}

impl BookingStatus {
    pub fn parse(api_name: &str) -> Self {
        match api_name {
            "PENDING" => BookingStatus::Pending,
            "CANCELLED" => BookingStatus::Cancelled,
            _ => BookingStatus::Confirmed,
        }
    }
}

/// Someone a booking can be for, as offered while their name is typed.
#[derive(Clone, Debug, PartialEq)]
pub struct BookerOption {
    pub booker: Booker,
    /// An email, "membre", "résidente": what tells two namesakes apart.
    pub detail: Option<String>,
    pub member: bool,
    pub resident: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Booker {
    pub id: String,
    pub name: String,
    pub organization: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct BookingRow {
    pub id: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub title: String,
    pub status: BookingStatus,
    /// As API.md spells it: PUBLIC, MEMBER, RESIDENT, SOLIDARITY.
    pub tier: String,
    pub price: Decimal,
    pub paid: bool,
    pub series_id: Option<String>,
    pub attendees: Option<i64>,
    pub notes: Option<String>,
    pub cancel_reason: Option<String>,
    pub space_id: String,
    pub space_name: String,
    pub booker: Option<Booker>,
}

impl BookingRow {
    pub fn overlaps(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> bool {
        self.start < end && start < self.end
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slot {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct DayData {
    pub spaces: Vec<SpaceRow>,
    pub bookings: Vec<BookingRow>,
    /// PENDING bookings from now on, waiting for a manager.
    pub pending: Vec<BookingRow>,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct WeekData {
    pub bookings: Vec<BookingRow>,
    /// Free slots within the week (opening hours, buffers and related spaces accounted for).
    pub free: Vec<Slot>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Quote {
    pub tier: String,
    pub price: Decimal,
    pub conflicts: Vec<Slot>,
    /// The space is free (opening hours, buffers) over the whole booking.
    pub within_hours: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PersonRow {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Plan name and last day of the membership active today.
    pub membership: Option<(String, NaiveDate)>,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct PeoplePage {
    pub total: usize,
    pub has_next: bool,
    pub end_cursor: Option<String>,
    pub rows: Vec<PersonRow>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PlanRef {
    pub id: String,
    pub name: String,
    pub price: Decimal,
    pub min_price: Option<Decimal>,
    pub archived: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MembershipRow {
    pub id: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub amount_paid: Decimal,
    /// ACTIVE, UPCOMING, EXPIRED or CANCELLED.
    pub status: String,
    pub renewal_of: Option<String>,
    pub plan: PlanRef,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PersonBooking {
    pub id: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub title: String,
    pub status: BookingStatus,
    pub price: Decimal,
    pub paid: bool,
    pub space_name: String,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct PersonDetails {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub postal_code: Option<String>,
    pub birth_year: Option<i64>,
    pub consent: bool,
    pub notes: Option<String>,
    pub erased: bool,
}

impl PersonDetails {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
            .trim()
            .to_string()
    }
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct PersonCard {
    pub person: PersonDetails,
    pub active_membership: Option<String>,
    /// Latest first.
    pub memberships: Vec<MembershipRow>,
    /// (organization, role there)
    pub organizations: Vec<(String, Option<String>)>,
    pub bookings: Vec<PersonBooking>,
    pub bookings_total: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub id: String,
    pub name: String,
    pub price: Decimal,
    /// Pay what you can from this floor up.
    pub min_price: Option<Decimal>,
    pub for_organizations: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expiring {
    pub id: String,
    pub ends_on: NaiveDate,
    pub amount_paid: Decimal,
    pub plan: PlanRef,
    pub holder: String,
    pub person_id: Option<String>,
}

/// A booking as the form makes it (the input of quote, create and series).
#[derive(Clone, Debug, PartialEq)]
pub struct NewBooking {
    pub space_id: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub title: String,
    pub person_id: Option<String>,
    pub organization_id: Option<String>,
    pub tier: Option<String>,
    pub attendees: Option<i64>,
    pub notes: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Frequency {
    Daily,
    Weekly,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Recurrence {
    pub frequency: Frequency,
    pub count: Option<i64>,
    pub until: Option<NaiveDate>,
}

/// What an edit changes; `None` keeps the current value.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct BookingChanges {
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
    pub title: Option<String>,
    pub attendees: Option<i64>,
    /// The attendees were there and have been erased.
    pub clear_attendees: bool,
    pub notes: Option<String>,
}

/// A person as the form sends it. On an update, an empty string clears an optional text.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct PersonInput {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub postal_code: String,
    pub birth_year: Option<i64>,
    /// On an update: the year was there and has been erased.
    pub clear_birth_year: bool,
    pub consent: bool,
    pub notes: String,
}

/// An event as the Events and check-in screens show it, with its counts of seats.
#[derive(Clone, Debug, PartialEq)]
pub struct EventRow {
    pub id: String,
    pub title: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// None: unlimited.
    pub capacity: Option<i64>,
    pub public: bool,
    pub cancelled: bool,
    pub price: Option<Decimal>,
    pub confirmed: i64,
    pub waitlisted: i64,
    pub checked_in: i64,
    /// None: unlimited.
    pub remaining: Option<i64>,
    pub spaces: Vec<String>,
}

impl EventRow {
    pub fn full(&self) -> bool {
        self.remaining.is_some_and(|r| r <= 0)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RegistrationStatus {
    Confirmed,
    Waitlisted,
    Cancelled,
}

impl RegistrationStatus {
    pub fn parse(api_name: &str) -> Self {
        match api_name {
            "CONFIRMED" => RegistrationStatus::Confirmed,
            "WAITLISTED" => RegistrationStatus::Waitlisted,
            _ => RegistrationStatus::Cancelled,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct RegistrationRow {
    pub id: String,
    pub name: String,
    pub email: Option<String>,
    pub seats: i64,
    pub status: RegistrationStatus,
    pub position: Option<i64>,
    pub code: String,
    pub checked_in_at: Option<DateTime<Utc>>,
    pub paid: bool,
    pub created_at: DateTime<Utc>,
    pub person_id: Option<String>,
}

/// One event at the door: its counts and every registration (cancelled ones too).
#[derive(Clone, Debug, PartialEq)]
pub struct EventDesk {
    pub event: Option<EventRow>,
    pub registrations: Vec<RegistrationRow>,
}

/// A registration as the walk-in and register forms send it.
#[derive(Clone, Debug, PartialEq)]
pub struct NewRegistration {
    pub event_id: String,
    pub person_id: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub seats: i64,
}

/// A person as a pick (whose hours, who registers).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonRef {
    pub id: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct HoursEntry {
    pub id: String,
    pub date: NaiveDate,
    pub hours: Decimal,
    /// The API name (`FRONT_DESK`).
    pub activity: String,
    pub note: Option<String>,
    pub valuation: Decimal,
    pub person: PersonRef,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct HoursTotal {
    pub hours: Decimal,
    pub valuation: Decimal,
}

#[derive(Clone, Debug, PartialEq)]
pub struct HoursData {
    /// The person this account is; None: not linked (a volunteer then has no hours).
    pub me: Option<PersonRef>,
    pub entries: Vec<HoursEntry>,
    pub month: HoursTotal,
    pub year: HoursTotal,
}

/// Hours as the form sends them.
#[derive(Clone, Debug, PartialEq)]
pub struct EntryInput {
    pub date: NaiveDate,
    pub hours: Decimal,
    pub activity: String,
    /// On an update, an empty note clears it.
    pub note: String,
}

/// One period of the hybrid model (`hybridModelReport`).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Figures {
    pub earned: Decimal,
    pub private_funding: Decimal,
    pub public_funding: Decimal,
    pub monetary: Decimal,
    /// Earned over monetary resources; None when those are 0.
    pub self_financing: Option<f64>,
    pub volunteer_hours: Decimal,
    pub volunteer_valuation: Decimal,
    pub total_with_volunteering: Decimal,
    pub in_kind: Decimal,
    /// (stream API name, amount), in the API's order.
    pub by_stream: Vec<(String, Decimal)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Objective {
    pub metric: String,
    pub target: Decimal,
    pub actual: Decimal,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Deadline {
    pub id: String,
    pub label: String,
    pub due_on: NaiveDate,
    pub overdue: bool,
    pub grant: String,
    pub funder: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DashboardData {
    pub month: Figures,
    pub year: Figures,
    pub objectives: Vec<Objective>,
    pub deadlines: Vec<Deadline>,
}

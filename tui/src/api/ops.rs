//! The typed operations. Each `.graphql` file under `operations/` is checked against the
//! committed `api/schema.graphql` when this crate compiles: a renamed field or a wrong argument
//! breaks the TUI's build, not the front desk.

#![allow(clippy::upper_case_acronyms)]

use graphql_client::GraphQLQuery;

// The schema's custom scalars, as the generated code names them.
pub type DateTime = chrono::DateTime<chrono::Utc>;
pub type Date = chrono::NaiveDate;
pub type Decimal = rust_decimal::Decimal;

macro_rules! operation {
    ($name:ident, $file:tt) => {
        #[derive(GraphQLQuery)]
        #[graphql(
                                                            schema_path = "../api/schema.graphql",
                                                            query_path = $file,
                                                            response_derives = "Debug, Clone",
                                                            variables_derives = "Debug, Clone",
                                                            skip_serializing_none
                                                        )]
        pub struct $name;
    };
}

operation!(Login, "src/api/operations/login.graphql");
operation!(Logout, "src/api/operations/logout.graphql");
operation!(Session, "src/api/operations/session.graphql");
operation!(Day, "src/api/operations/day.graphql");
operation!(Spaces, "src/api/operations/spaces.graphql");
operation!(Bookers, "src/api/operations/bookers.graphql");
operation!(Week, "src/api/operations/week.graphql");
operation!(Booking, "src/api/operations/booking.graphql");
operation!(QuoteBooking, "src/api/operations/quote_booking.graphql");
operation!(CreateBooking, "src/api/operations/create_booking.graphql");
operation!(
    CreateBookingSeries,
    "src/api/operations/create_booking_series.graphql"
);
operation!(UpdateBooking, "src/api/operations/update_booking.graphql");
operation!(ClearAttendees, "src/api/operations/clear_attendees.graphql");
operation!(CancelBooking, "src/api/operations/cancel_booking.graphql");
operation!(
    CancelBookingSeries,
    "src/api/operations/cancel_booking_series.graphql"
);
operation!(ConfirmBooking, "src/api/operations/confirm_booking.graphql");
operation!(
    MarkBookingPaid,
    "src/api/operations/mark_booking_paid.graphql"
);
operation!(People, "src/api/operations/people.graphql");
operation!(Person, "src/api/operations/person.graphql");
operation!(CreatePerson, "src/api/operations/create_person.graphql");
operation!(UpdatePerson, "src/api/operations/update_person.graphql");
operation!(
    ClearBirthYear,
    "src/api/operations/clear_birth_year.graphql"
);
operation!(
    MembershipPlans,
    "src/api/operations/membership_plans.graphql"
);
operation!(
    StartMembership,
    "src/api/operations/start_membership.graphql"
);
operation!(
    RenewMembership,
    "src/api/operations/renew_membership.graphql"
);
operation!(
    CancelMembership,
    "src/api/operations/cancel_membership.graphql"
);
operation!(
    ExpiringMemberships,
    "src/api/operations/expiring_memberships.graphql"
);
operation!(Events, "src/api/operations/events.graphql");
operation!(EventDesk, "src/api/operations/event_desk.graphql");
operation!(CheckIn, "src/api/operations/check_in.graphql");
operation!(CheckInByCode, "src/api/operations/check_in_by_code.graphql");
operation!(UndoCheckIn, "src/api/operations/undo_check_in.graphql");
operation!(WalkIn, "src/api/operations/walk_in.graphql");
operation!(Register, "src/api/operations/register.graphql");
operation!(
    CancelRegistration,
    "src/api/operations/cancel_registration.graphql"
);
operation!(MePerson, "src/api/operations/me_person.graphql");
operation!(Hours, "src/api/operations/hours.graphql");
operation!(LogHours, "src/api/operations/log_hours.graphql");
operation!(UpdateEntry, "src/api/operations/update_entry.graphql");
operation!(DeleteEntry, "src/api/operations/delete_entry.graphql");
operation!(Dashboard, "src/api/operations/dashboard.graphql");

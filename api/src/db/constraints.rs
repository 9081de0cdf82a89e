//! The rules the database keeps itself, by the name of the constraint that keeps them, and the
//! client error each one means. One table, so that a violation is recognised the same way on
//! both databases and wherever it happens: PostgreSQL reports the constraint's name; SQLite
//! reports a unique index by its `table.column` and our trigger by the message it raises.
//!
//! A service that can say more (which booking is in the way, which person has the email) asks
//! [`violated`] and builds its own error; everywhere else `From<DbErr> for AppError` uses the
//! table's default, so a forgotten case is still the right code, never `INTERNAL`.

use sea_orm::{DbErr, RuntimeErr};

use crate::error::AppError;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Constraint {
    /// Two blocks of one space overlap: a double booking.
    BookingOverlap,
    /// Two people with one email.
    PersonEmail,
    /// Two staff accounts with one email.
    UserEmail,
    /// Two organizations with one (folded) name.
    OrganizationName,
    /// Two plans on offer with one (folded) name.
    PlanName,
    /// Two revenues for one booking.
    BookingPaidOnce,
    /// Two active registrations of one person to one event.
    RegistrationPerson,
    /// Two active registrations of one email to one event.
    RegistrationEmail,
    /// Two revenues for one registration.
    RegistrationPaidOnce,
    /// Two reversals of one revenue.
    RevenueReversedOnce,
    /// Two funders with one (folded) name.
    FunderName,
    /// Two live (not revoked) API keys with one name.
    ApiKeyName,
}

struct Entry {
    constraint: Constraint,
    /// The constraint's name on PostgreSQL (and the message of SQLite's trigger).
    name: &'static str,
    /// How SQLite names a unique violation: `table.column`.
    sqlite: &'static str,
}

const TABLE: &[Entry] = &[
    Entry {
        constraint: Constraint::BookingOverlap,
        name: "booking_blocks_no_overlap",
        sqlite: "",
    },
    Entry {
        constraint: Constraint::PersonEmail,
        name: "people_email_key_key",
        sqlite: "people.email_key",
    },
    Entry {
        constraint: Constraint::UserEmail,
        name: "users_email_key_key",
        sqlite: "users.email_key",
    },
    Entry {
        constraint: Constraint::OrganizationName,
        name: "idx_organizations_name_unique",
        sqlite: "organizations.search_text",
    },
    Entry {
        constraint: Constraint::PlanName,
        name: "idx_membership_plans_name_on_offer",
        sqlite: "membership_plans.name_key",
    },
    Entry {
        constraint: Constraint::BookingPaidOnce,
        name: "idx_bookings_revenue",
        sqlite: "bookings.revenue_id",
    },
    Entry {
        constraint: Constraint::RegistrationPerson,
        name: "idx_registrations_active_person",
        sqlite: "registrations.event_id, registrations.person_id",
    },
    Entry {
        constraint: Constraint::RegistrationEmail,
        name: "idx_registrations_active_email",
        sqlite: "registrations.event_id, registrations.email_key",
    },
    Entry {
        constraint: Constraint::RegistrationPaidOnce,
        name: "idx_registrations_revenue",
        sqlite: "registrations.revenue_id",
    },
    Entry {
        constraint: Constraint::RevenueReversedOnce,
        name: "idx_revenues_reversal",
        sqlite: "revenues.reversal_of",
    },
    Entry {
        constraint: Constraint::FunderName,
        name: "funders_name_key_key",
        sqlite: "funders.name_key",
    },
    Entry {
        constraint: Constraint::ApiKeyName,
        name: "idx_api_keys_live_name",
        sqlite: "api_keys.name",
    },
];

impl Constraint {
    /// The client error this violation means when the service has nothing more to say.
    pub fn error(self) -> AppError {
        match self {
            Self::BookingOverlap => AppError::BookingConflict(Vec::new()),
            Self::PersonEmail => {
                AppError::validation("email", "another person already has this email")
            }
            Self::UserEmail => AppError::validation("email", "a user with this email exists"),
            Self::OrganizationName => {
                AppError::validation("name", "another organization has this name")
            }
            Self::PlanName => AppError::validation("name", "another plan on offer has this name"),
            Self::BookingPaidOnce => AppError::InvalidState("this booking is already paid".into()),
            Self::RegistrationPerson => {
                AppError::validation("personId", "this person is already registered")
            }
            Self::RegistrationEmail => {
                AppError::validation("email", "this email is already registered")
            }
            Self::RegistrationPaidOnce => {
                AppError::InvalidState("this registration is already paid".into())
            }
            Self::RevenueReversedOnce => {
                AppError::InvalidState("this revenue is already reversed".into())
            }
            Self::FunderName => AppError::validation("funderName", "another funder has this name"),
            Self::ApiKeyName => {
                AppError::validation("name", "another key that is not revoked has this name")
            }
        }
    }
}

/// The constraint of the table that `err` violates, if any.
pub fn violated(err: &DbErr) -> Option<Constraint> {
    let (DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e))) = err
    else {
        return None;
    };
    let sea_orm::sqlx::Error::Database(e) = e.as_ref() else {
        return None;
    };
    let found = |pick: &dyn Fn(&Entry) -> bool| TABLE.iter().find(|entry| pick(entry));
    if let Some(name) = e.constraint() {
        return found(&|entry| entry.name == name).map(|entry| entry.constraint);
    }
    let message = e.message();
    // SQLite: "UNIQUE constraint failed: people.email_key" or our trigger's RAISE message.
    if let Some(columns) = message.strip_prefix("UNIQUE constraint failed: ") {
        return found(&|entry| !entry.sqlite.is_empty() && entry.sqlite == columns)
            .map(|entry| entry.constraint);
    }
    found(&|entry| entry.name == message).map(|entry| entry.constraint)
}

/// Whether `err` is the violation of `constraint`.
pub fn is(err: &DbErr, constraint: Constraint) -> bool {
    violated(err) == Some(constraint)
}

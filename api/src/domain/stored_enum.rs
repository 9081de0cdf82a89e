//! Every enumeration the database stores as text goes through [`stored_enum!`]: it is stored
//! as its API name (`"SPACE_RENTAL"`), and read back with [`StoredEnum::from_stored`], whose
//! one policy for a value this build does not know is an `INTERNAL` error naming the column
//! (the database was written by a newer version, or by hand). Never a silent default: a wrong
//! kind or status shown to a user is worse than an error that someone looks into.
//!
//! The GraphQL enums mirror these with `#[graphql(remote = …)]`, so that services never see
//! GraphQL types.

use crate::error::AppError;

/// An enumeration stored as its API name.
pub trait StoredEnum: Sized + Copy + 'static {
    /// Every value, in declaration order.
    const ALL: &'static [Self];

    /// The stored and API name.
    fn as_str(self) -> &'static str;

    /// Reads the value stored in `column` (`"bookings.status"`).
    fn from_stored(column: &'static str, value: &str) -> Result<Self, AppError> {
        Self::ALL
            .iter()
            .copied()
            .find(|v| v.as_str() == value)
            .ok_or_else(|| {
                AppError::internal(anyhow::anyhow!(
                    "{column} holds '{value}', which this version does not know"
                ))
            })
    }
}

/// Declares a [`StoredEnum`] with `ALL`, `as_str`, `Display` and an exact `FromStr`.
macro_rules! stored_enum {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored and API name.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl $crate::domain::StoredEnum for $name {
            const ALL: &'static [$name] = $name::ALL;

            fn as_str(self) -> &'static str {
                $name::as_str(self)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    other => Err(format!("unknown {} '{other}'", stringify!($name))),
                }
            }
        }
    };
}

pub(crate) use stored_enum;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{BookingStatus, OrganizationKind, PlanPeriod, Role};

    #[test]
    fn an_unknown_stored_value_is_internal_and_names_the_column() {
        assert_eq!(
            BookingStatus::from_stored("bookings.status", "PENDING").unwrap(),
            BookingStatus::Pending
        );
        let err = OrganizationKind::from_stored("organizations.kind", "CLUB").unwrap_err();
        assert_eq!(err.code(), "INTERNAL");
        let AppError::Internal(source) = err else {
            unreachable!()
        };
        assert!(source.to_string().contains("organizations.kind"));
        assert!(PlanPeriod::from_stored("membership_plans.period", "rolling").is_err());
        assert!(Role::from_stored("users.role", "ROOT").is_err());
    }
}

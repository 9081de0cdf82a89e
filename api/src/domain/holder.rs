//! Who holds a membership or a booking: a person or an organization, never both.

use uuid::Uuid;

use crate::error::AppError;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Holder {
    Person(Uuid),
    Organization(Uuid),
}

impl Holder {
    /// From the two columns a row keeps (`person_id`, `organization_id`).
    pub fn from_columns(person: Option<Uuid>, organization: Option<Uuid>) -> Option<Self> {
        match (person, organization) {
            (Some(id), _) => Some(Self::Person(id)),
            (None, Some(id)) => Some(Self::Organization(id)),
            (None, None) => None,
        }
    }

    /// The two columns of a row held by this holder.
    pub fn columns(holder: Option<Self>) -> (Option<Uuid>, Option<Uuid>) {
        match holder {
            Some(Self::Person(id)) => (Some(id), None),
            Some(Self::Organization(id)) => (None, Some(id)),
            None => (None, None),
        }
    }

    /// From an input naming at most one of `personId` and `organizationId`.
    pub fn from_input(
        person: Option<Uuid>,
        organization: Option<Uuid>,
    ) -> Result<Option<Self>, AppError> {
        if person.is_some() && organization.is_some() {
            return Err(AppError::validation(
                "organizationId",
                "give a person or an organization, not both",
            ));
        }
        Ok(Self::from_columns(person, organization))
    }

    /// From an input that must name exactly one of them.
    pub fn required(person: Option<Uuid>, organization: Option<Uuid>) -> Result<Self, AppError> {
        Self::from_input(person, organization)?.ok_or_else(|| {
            AppError::validation(
                "personId",
                "give exactly one of personId and organizationId",
            )
        })
    }

    pub fn person_id(self) -> Option<Uuid> {
        match self {
            Self::Person(id) => Some(id),
            Self::Organization(_) => None,
        }
    }

    pub fn organization_id(self) -> Option<Uuid> {
        match self {
            Self::Organization(id) => Some(id),
            Self::Person(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_holder_at_most() {
        let (p, o) = (Uuid::from_u128(1), Uuid::from_u128(2));
        assert_eq!(
            Holder::from_input(Some(p), None).unwrap(),
            Some(Holder::Person(p))
        );
        assert_eq!(Holder::from_input(None, None).unwrap(), None);
        assert_eq!(
            Holder::from_input(Some(p), Some(o)).unwrap_err().code(),
            "VALIDATION"
        );
        assert!(Holder::required(None, None).is_err());
        assert_eq!(
            Holder::columns(Some(Holder::Organization(o))),
            (None, Some(o))
        );
    }
}

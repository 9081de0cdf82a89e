//! People and organizations as the API shows them.

use async_graphql::{Enum, ID, SimpleObject};
use lieu_entity::{organization, person};

/// What kind of structure an organization is.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum OrganizationKind {
    Association,
    Company,
    PublicBody,
    Collective,
    Other,
}

impl OrganizationKind {
    fn from_stored(value: &str) -> Self {
        match value {
            "ASSOCIATION" => Self::Association,
            "COMPANY" => Self::Company,
            "PUBLIC_BODY" => Self::PublicBody,
            "COLLECTIVE" => Self::Collective,
            _ => Self::Other,
        }
    }
}

/// Someone the venue knows: a member, a visitor, a booker, a volunteer.
#[derive(SimpleObject, Clone)]
pub struct Person {
    pub id: ID,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub postal_code: Option<String>,
    pub birth_year: Option<i32>,
}

impl From<person::Model> for Person {
    fn from(model: person::Model) -> Self {
        Self {
            id: ID(model.id.to_string()),
            first_name: model.first_name,
            last_name: model.last_name,
            email: model.email,
            phone: model.phone,
            postal_code: model.postal_code,
            birth_year: model.birth_year,
        }
    }
}

/// An association, company, public body or collective.
#[derive(SimpleObject, Clone)]
pub struct Organization {
    pub id: ID,
    pub name: String,
    pub kind: OrganizationKind,
    /// Hosted in the venue: gets the RESIDENT rate.
    pub resident: bool,
}

impl From<organization::Model> for Organization {
    fn from(model: organization::Model) -> Self {
        Self {
            id: ID(model.id.to_string()),
            kind: OrganizationKind::from_stored(&model.kind),
            name: model.name,
            resident: model.resident,
        }
    }
}

//! Organizations and their contact people, as the API shows them (VOLUNTEER and above).

use async_graphql::{ComplexObject, Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use lieu_entity::{organization, organization_contact};
use uuid::Uuid;

use super::context::ContextExt;
use super::loaders::{
    ActiveMembershipKey, ContactsOfOrganization, MembershipsKey, OrganizationKey, PersonKey,
    people_loader,
};
use super::memberships::Membership;
use super::pagination::{self, Page};
use super::people::Person;
use crate::auth::guard::{Permission, Require};
use crate::domain::{self, Email, Name, SearchTerms, optional_text, parse_id, parse_phone};
use crate::error::AppError;
use crate::service::memberships::Holder;
use crate::service::organizations::{self, NewOrganization, OrganizationChanges};

/// What kind of structure an organization is.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "crate::domain::OrganizationKind")]
pub enum OrganizationKind {
    /// A non-profit association (loi 1901).
    Association,
    /// A company, a cooperative, a freelancer.
    Company,
    /// A municipality, a school, a public agency.
    PublicBody,
    /// An informal group.
    Collective,
    /// Anything else.
    Other,
}

/// An association, company, public body or collective.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct Organization {
    /// The organization's id (a UUID).
    pub id: ID,
    /// Unique among organizations (ignoring case and accents).
    pub name: String,
    /// Association, company, public body, collective or other.
    pub kind: OrganizationKind,
    /// Hosted in the venue: gets the RESIDENT rate.
    pub resident: bool,
    /// The organization's own address (its contact people have theirs).
    pub email: Option<String>,
    /// The organization's own phone number.
    pub phone: Option<String>,
    #[graphql(skip)]
    pub uuid: Uuid,
}

impl From<organization::Model> for Organization {
    fn from(model: organization::Model) -> Self {
        Self {
            id: ID(model.id.to_string()),
            uuid: model.id,
            kind: domain::OrganizationKind::from_stored(&model.kind).into(),
            name: model.name,
            resident: model.resident,
            email: model.email,
            phone: model.phone,
        }
    }
}

#[ComplexObject]
impl Organization {
    /// The membership that covers today (a local day of the venue), if any.
    async fn active_membership(&self, ctx: &Context<'_>) -> Result<Option<Membership>> {
        let key = ActiveMembershipKey(Holder::Organization(self.uuid));
        Ok(people_loader(ctx)
            .load_one(key)
            .await?
            .map(Membership::from))
    }

    /// Every membership of the organization, the latest first.
    async fn memberships(&self, ctx: &Context<'_>) -> Result<Vec<Membership>> {
        let key = MembershipsKey(Holder::Organization(self.uuid));
        let rows = people_loader(ctx).load_one(key).await?.unwrap_or_default();
        Ok(rows.into_iter().map(Membership::from).collect())
    }

    /// The people to contact about this organization, with their role.
    async fn contacts(&self, ctx: &Context<'_>) -> Result<Vec<OrganizationContact>> {
        let rows = people_loader(ctx)
            .load_one(ContactsOfOrganization(self.uuid))
            .await?
            .unwrap_or_default();
        Ok(rows.into_iter().map(OrganizationContact::from).collect())
    }
}

/// A person to contact about an organization.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct OrganizationContact {
    /// What the person does there ("présidente", "trésorier"…).
    pub role: Option<String>,
    #[graphql(skip)]
    pub organization_id: Uuid,
    #[graphql(skip)]
    pub person_id: Uuid,
}

impl From<organization_contact::Model> for OrganizationContact {
    fn from(model: organization_contact::Model) -> Self {
        Self {
            role: model.role,
            organization_id: model.organization_id,
            person_id: model.person_id,
        }
    }
}

#[ComplexObject]
impl OrganizationContact {
    /// The organization.
    async fn organization(&self, ctx: &Context<'_>) -> Result<Organization> {
        people_loader(ctx)
            .load_one(OrganizationKey(self.organization_id))
            .await?
            .map(Organization::from)
            .ok_or_else(|| AppError::not_found("organization", self.organization_id).into())
    }

    /// The contact person.
    async fn person(&self, ctx: &Context<'_>) -> Result<Person> {
        people_loader(ctx)
            .load_one(PersonKey(self.person_id))
            .await?
            .map(Person::from)
            .ok_or_else(|| AppError::not_found("person", self.person_id).into())
    }
}

#[derive(InputObject)]
pub struct CreateOrganizationInput {
    /// Unique among organizations (ignoring case and accents).
    pub name: String,
    /// What kind of structure it is.
    pub kind: OrganizationKind,
    /// Hosted in the venue (RESIDENT rate); false when absent.
    pub resident: Option<bool>,
    /// The organization's own email.
    pub email: Option<String>,
    /// The organization's own phone number.
    pub phone: Option<String>,
}

/// Changes to an organization; absent fields stay as they are, an empty string clears the
/// email or phone.
#[derive(InputObject)]
pub struct UpdateOrganizationInput {
    /// A new name (unique among organizations).
    pub name: Option<String>,
    /// A new kind.
    pub kind: Option<OrganizationKind>,
    /// Hosted in the venue (RESIDENT rate) or not.
    pub resident: Option<bool>,
    /// A new email; an empty string clears it.
    pub email: Option<String>,
    /// A new phone number; an empty string clears it.
    pub phone: Option<String>,
}

fn optional_email(raw: Option<&str>) -> Result<Option<Email>, AppError> {
    match raw.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(value) => Email::parse("email", value).map(Some),
    }
}

#[derive(Default)]
pub struct OrganizationQuery;

#[Object]
impl OrganizationQuery {
    /// Organizations by name. With `search`, only those whose name contains every word of it,
    /// ignoring case and accents; names starting with the words first.
    #[graphql(guard = "Require(Permission::ReadOperations)")]
    async fn organizations(
        &self,
        ctx: &Context<'_>,
        search: Option<String>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Page<Organization>> {
        let window = pagination::window(first, after.as_deref())?;
        let terms = SearchTerms::parse(search.as_deref());
        let (rows, total) =
            organizations::list_organizations(&ctx.state().db, terms.as_ref(), window).await?;
        Ok(pagination::connection(
            rows.into_iter().map(Organization::from).collect(),
            window,
            total,
        ))
    }

    /// One organization by id, or null.
    #[graphql(guard = "Require(Permission::ReadOperations)")]
    async fn organization(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Organization>> {
        let id = parse_id("id", &id)?;
        Ok(organizations::find_organization(&ctx.state().db, id)
            .await?
            .map(Organization::from))
    }
}

#[derive(Default)]
pub struct OrganizationMutation;

#[Object]
impl OrganizationMutation {
    /// Records an organization. A name another organization has is VALIDATION.
    #[graphql(guard = "Require(Permission::FrontDesk)")]
    async fn create_organization(
        &self,
        ctx: &Context<'_>,
        input: CreateOrganizationInput,
    ) -> Result<Organization> {
        let new = NewOrganization {
            name: Name::parse("name", &input.name)?,
            kind: input.kind.into(),
            resident: input.resident.unwrap_or(false),
            email: optional_email(input.email.as_deref())?,
            phone: parse_phone("phone", input.phone.as_deref().unwrap_or(""))?,
        };
        let state = ctx.state();
        Ok(
            organizations::create_organization(&state.db, state.clock.now(), new)
                .await?
                .into(),
        )
    }

    /// Changes an organization (its name, kind, resident flag, email, phone).
    #[graphql(guard = "Require(Permission::FrontDesk)")]
    async fn update_organization(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: UpdateOrganizationInput,
    ) -> Result<Organization> {
        let id = parse_id("id", &id)?;
        let changes = OrganizationChanges {
            name: input
                .name
                .as_deref()
                .map(|n| Name::parse("name", n))
                .transpose()?,
            kind: input.kind.map(Into::into),
            resident: input.resident,
            email: input
                .email
                .as_deref()
                .map(|e| optional_email(Some(e)))
                .transpose()?,
            phone: input
                .phone
                .as_deref()
                .map(|p| parse_phone("phone", p))
                .transpose()?,
        };
        let state = ctx.state();
        Ok(
            organizations::update_organization(&state.db, state.clock.now(), id, changes)
                .await?
                .into(),
        )
    }

    /// Makes a person a contact of an organization, with an optional role; adding an existing
    /// contact again changes the role.
    #[graphql(guard = "Require(Permission::FrontDesk)")]
    async fn add_organization_contact(
        &self,
        ctx: &Context<'_>,
        organization_id: ID,
        person_id: ID,
        role: Option<String>,
    ) -> Result<OrganizationContact> {
        let organization_id = parse_id("organizationId", &organization_id)?;
        let person_id = parse_id("personId", &person_id)?;
        let role = optional_text("role", role.as_deref(), 100)?;
        Ok(
            organizations::add_contact(&ctx.state().db, organization_id, person_id, role)
                .await?
                .into(),
        )
    }

    /// Removes a person from an organization's contacts (NOT_FOUND when they were not one).
    #[graphql(guard = "Require(Permission::FrontDesk)")]
    async fn remove_organization_contact(
        &self,
        ctx: &Context<'_>,
        organization_id: ID,
        person_id: ID,
    ) -> Result<bool> {
        let organization_id = parse_id("organizationId", &organization_id)?;
        let person_id = parse_id("personId", &person_id)?;
        organizations::remove_contact(&ctx.state().db, organization_id, person_id).await?;
        Ok(true)
    }
}

//! Organizations and their contact people, as the API shows them (VOLUNTEER and above).

use async_graphql::{ComplexObject, Context, Enum, ID, InputObject, Object, SimpleObject};
use lieu_entity::{organization, organization_contact};
use uuid::Uuid;

use super::Person;
use crate::auth::guard::{Permission, Require};
use crate::domain::{
    self, Email, Holder, Name, SearchTerms, StoredEnum, optional_text, parse_id, parse_phone,
};
use crate::error::{AppError, AppResult};
use crate::graphql::context::ContextExt;
use crate::graphql::inputs::change;
use crate::graphql::loaders::{ContactsOfOrganization, OrganizationKey, PersonKey, existing};
use crate::graphql::memberships::{self, Membership};
use crate::graphql::pagination::{self, Page};
use crate::service::people::organizations::{self, NewOrganization, OrganizationChanges};

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

impl TryFrom<organization::Model> for Organization {
    type Error = AppError;

    fn try_from(model: organization::Model) -> AppResult<Self> {
        Ok(Self {
            id: ID(model.id.to_string()),
            uuid: model.id,
            kind: domain::OrganizationKind::from_stored("organizations.kind", &model.kind)?.into(),
            name: model.name,
            resident: model.resident,
            email: model.email,
            phone: model.phone,
        })
    }
}

/// Organizations as the API shows them (an unknown stored kind fails the list).
pub fn organizations_out(
    rows: impl IntoIterator<Item = organization::Model>,
) -> AppResult<Vec<Organization>> {
    rows.into_iter().map(Organization::try_from).collect()
}

#[ComplexObject]
impl Organization {
    /// The membership that covers today (a local day of the venue), if any.
    async fn active_membership(&self, ctx: &Context<'_>) -> AppResult<Option<Membership>> {
        memberships::active_of(ctx, Holder::Organization(self.uuid)).await
    }

    /// Every membership of the organization, the latest first.
    async fn memberships(&self, ctx: &Context<'_>) -> AppResult<Vec<Membership>> {
        memberships::all_of(ctx, Holder::Organization(self.uuid)).await
    }

    /// The people to contact about this organization, with their role.
    async fn contacts(&self, ctx: &Context<'_>) -> AppResult<Vec<OrganizationContact>> {
        let rows = ctx
            .loaders()?
            .people
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
    async fn organization(&self, ctx: &Context<'_>) -> AppResult<Organization> {
        let id = self.organization_id;
        let row = ctx.loaders()?.people.load_one(OrganizationKey(id)).await?;
        existing(row, "organization", id)?.try_into()
    }

    /// The contact person.
    async fn person(&self, ctx: &Context<'_>) -> AppResult<Person> {
        let id = self.person_id;
        let row = ctx.loaders()?.people.load_one(PersonKey(id)).await?;
        Ok(existing(row, "person", id)?.into())
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

impl TryFrom<CreateOrganizationInput> for NewOrganization {
    type Error = AppError;

    fn try_from(input: CreateOrganizationInput) -> AppResult<Self> {
        Ok(Self {
            name: Name::parse("name", &input.name)?,
            kind: input.kind.into(),
            resident: input.resident.unwrap_or(false),
            email: Email::parse_optional("email", input.email.as_deref())?,
            phone: parse_phone("phone", input.phone.as_deref().unwrap_or(""))?,
        })
    }
}

impl TryFrom<UpdateOrganizationInput> for OrganizationChanges {
    type Error = AppError;

    fn try_from(input: UpdateOrganizationInput) -> AppResult<Self> {
        Ok(Self {
            name: change(input.name.as_deref(), |n| Name::parse("name", n))?,
            kind: input.kind.map(Into::into),
            resident: input.resident,
            email: change(input.email.as_deref(), |e| {
                Email::parse_optional("email", Some(e))
            })?,
            phone: change(input.phone.as_deref(), |p| parse_phone("phone", p))?,
        })
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
    ) -> AppResult<Page<Organization>> {
        let window = pagination::window(ctx, first, after.as_deref())?;
        pagination::offsets_only(&window)?;
        let terms = SearchTerms::parse(search.as_deref());
        let (rows, total) =
            organizations::list_organizations(&ctx.state()?.db, terms.as_ref(), window).await?;
        let slice = pagination::Slice::counted(organizations_out(rows)?, window, total);
        Ok(pagination::connection(slice, window))
    }

    /// One organization by id, or null.
    #[graphql(guard = "Require(Permission::ReadOperations)")]
    async fn organization(&self, ctx: &Context<'_>, id: ID) -> AppResult<Option<Organization>> {
        let id = parse_id("id", &id)?;
        organizations::find_organization(&ctx.state()?.db, id)
            .await?
            .map(Organization::try_from)
            .transpose()
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
    ) -> AppResult<Organization> {
        let new = NewOrganization::try_from(input)?;
        let state = ctx.state()?;
        organizations::create_organization(&state.db, state.clock.now(), new)
            .await?
            .try_into()
    }

    /// Changes an organization (its name, kind, resident flag, email, phone).
    #[graphql(guard = "Require(Permission::FrontDesk)")]
    async fn update_organization(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: UpdateOrganizationInput,
    ) -> AppResult<Organization> {
        let changes = OrganizationChanges::try_from(input)?;
        let id = parse_id("id", &id)?;
        let state = ctx.state()?;
        organizations::update_organization(&state.db, state.clock.now(), id, changes)
            .await?
            .try_into()
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
    ) -> AppResult<OrganizationContact> {
        let organization_id = parse_id("organizationId", &organization_id)?;
        let person_id = parse_id("personId", &person_id)?;
        let role = optional_text("role", role.as_deref(), 100)?;
        Ok(
            organizations::add_contact(&ctx.state()?.db, organization_id, person_id, role)
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
    ) -> AppResult<bool> {
        let organization_id = parse_id("organizationId", &organization_id)?;
        let person_id = parse_id("personId", &person_id)?;
        organizations::remove_contact(&ctx.state()?.db, organization_id, person_id).await?;
        Ok(true)
    }
}

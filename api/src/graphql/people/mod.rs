//! People as the API shows them: create, update, list and search (VOLUNTEER and above), and
//! the GDPR operations, export and erasure (MANAGER and above).

pub mod organizations;
pub mod plan;

use async_graphql::{
    ComplexObject, Context, ID, InputObject, Json, MaybeUndefined, Object, SimpleObject,
};
use lieu_entity::person;
use uuid::Uuid;

pub use organizations::{Organization, OrganizationContact, OrganizationKind};

use crate::auth::guard::{Permission, Require};
use crate::domain::{
    Email, Holder, Name, SearchTerms, optional_text, parse_id, parse_phone, parse_postal_code,
};
use crate::error::{AppError, AppResult};
use crate::graphql::context::ContextExt;
use crate::graphql::inputs::{change, maybe};
use crate::graphql::loaders::ContactsOfPerson;
use crate::graphql::memberships::{self, Membership};
use crate::graphql::pagination::{self, Page};
use crate::graphql::scalars::DateTime;
use crate::service::gdpr;
use crate::service::people::{self, NewPerson, PersonChanges};

const NOTES_MAX: usize = 2000;

/// Someone the venue knows: a member, a visitor, a booker, a volunteer. An erased person
/// (GDPR) stays as an anonymous placeholder: `erased` is true and every personal field is
/// empty.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct Person {
    /// The person's id (a UUID).
    pub id: ID,
    /// Empty for an erased person.
    pub first_name: String,
    /// `(erased)` for an erased person.
    pub last_name: String,
    /// Unique among people (whatever its case).
    pub email: Option<String>,
    /// As typed, e.g. `06 12 34 56 78`.
    pub phone: Option<String>,
    /// Where the person lives, for the territory the venue serves.
    pub postal_code: Option<String>,
    /// For age brackets; the full birth date is never stored.
    pub birth_year: Option<i32>,
    /// Whether the person agreed to be contacted (newsletters, reminders).
    pub consent_to_contact: bool,
    /// When that consent was given; null without consent.
    pub consent_given_at: Option<DateTime>,
    /// Free notes of the front desk. Never write health or other sensitive data here.
    pub notes: Option<String>,
    /// True once the person's data has been erased (`erasePerson`).
    pub erased: bool,
    /// When the person was first recorded.
    pub created_at: DateTime,
    #[graphql(skip)]
    pub uuid: Uuid,
}

impl From<person::Model> for Person {
    fn from(model: person::Model) -> Self {
        Self {
            id: ID(model.id.to_string()),
            uuid: model.id,
            first_name: model.first_name,
            last_name: model.last_name,
            email: model.email,
            phone: model.phone,
            postal_code: model.postal_code,
            birth_year: model.birth_year,
            consent_to_contact: model.consent_to_contact,
            consent_given_at: model.consent_given_at.map(DateTime::from),
            notes: model.notes,
            erased: model.erased_at.is_some(),
            created_at: model.created_at.into(),
        }
    }
}

#[ComplexObject]
impl Person {
    /// The membership that covers today (a local day of the venue), if any.
    async fn active_membership(&self, ctx: &Context<'_>) -> AppResult<Option<Membership>> {
        memberships::active_of(ctx, Holder::Person(self.uuid)).await
    }

    /// Every membership of the person, the latest first (cancelled and expired ones too).
    async fn memberships(&self, ctx: &Context<'_>) -> AppResult<Vec<Membership>> {
        memberships::all_of(ctx, Holder::Person(self.uuid)).await
    }

    /// The organizations this person is a contact of, with their role there.
    async fn organizations(&self, ctx: &Context<'_>) -> AppResult<Vec<OrganizationContact>> {
        let rows = ctx
            .loaders()?
            .people
            .load_one(ContactsOfPerson(self.uuid))
            .await?
            .unwrap_or_default();
        Ok(rows.into_iter().map(OrganizationContact::from).collect())
    }
}

#[derive(InputObject)]
pub struct CreatePersonInput {
    /// Required, at most 200 characters.
    pub first_name: String,
    /// Required, at most 200 characters.
    pub last_name: String,
    /// Unique among people: an email another person has is refused with VALIDATION, and the
    /// message names that person.
    pub email: Option<String>,
    /// 6 to 15 digits with spaces, `+`, `.` or `-`.
    pub phone: Option<String>,
    /// For example `44200`.
    pub postal_code: Option<String>,
    /// Between 1900 and this year.
    pub birth_year: Option<i32>,
    /// The person agreed to be contacted; the date is recorded as now.
    pub consent_to_contact: Option<bool>,
    /// Free notes, at most 2,000 characters. Never health or other sensitive data.
    pub notes: Option<String>,
}

/// The birth year is checked against the current year by the service (it owns the clock).
impl TryFrom<CreatePersonInput> for NewPerson {
    type Error = AppError;

    fn try_from(input: CreatePersonInput) -> AppResult<Self> {
        Ok(Self {
            first_name: Name::parse("firstName", &input.first_name)?,
            last_name: Name::parse("lastName", &input.last_name)?,
            email: Email::parse_optional("email", input.email.as_deref())?,
            phone: parse_phone("phone", input.phone.as_deref().unwrap_or(""))?,
            postal_code: parse_postal_code(
                "postalCode",
                input.postal_code.as_deref().unwrap_or(""),
            )?,
            birth_year: input.birth_year,
            consent_to_contact: input.consent_to_contact.unwrap_or(false),
            notes: optional_text("notes", input.notes.as_deref(), NOTES_MAX)?,
        })
    }
}

/// Changes to a person. Absent fields stay as they are; an empty string clears an optional
/// text, and `birthYear: null` clears the birth year.
#[derive(InputObject)]
pub struct UpdatePersonInput {
    /// A new first name (not empty).
    pub first_name: Option<String>,
    /// A new last name (not empty).
    pub last_name: Option<String>,
    /// A new email (unique among people); an empty string clears it.
    pub email: Option<String>,
    /// A new phone number; an empty string clears it.
    pub phone: Option<String>,
    /// A new postal code; an empty string clears it.
    pub postal_code: Option<String>,
    /// A new birth year; null clears it.
    pub birth_year: MaybeUndefined<i32>,
    /// Giving consent records now as its date; withdrawing it clears the date.
    pub consent_to_contact: Option<bool>,
    /// New notes; an empty string clears them.
    pub notes: Option<String>,
}

impl TryFrom<UpdatePersonInput> for PersonChanges {
    type Error = AppError;

    fn try_from(input: UpdatePersonInput) -> AppResult<Self> {
        Ok(Self {
            first_name: change(input.first_name.as_deref(), |n| Name::parse("firstName", n))?,
            last_name: change(input.last_name.as_deref(), |n| Name::parse("lastName", n))?,
            email: change(input.email.as_deref(), |e| {
                Email::parse_optional("email", Some(e))
            })?,
            phone: change(input.phone.as_deref(), |p| parse_phone("phone", p))?,
            postal_code: change(input.postal_code.as_deref(), |p| {
                parse_postal_code("postalCode", p)
            })?,
            birth_year: maybe(input.birth_year),
            consent_to_contact: input.consent_to_contact,
            notes: change(input.notes.as_deref(), |n| {
                optional_text("notes", Some(n), NOTES_MAX)
            })?,
        })
    }
}

#[derive(Default)]
pub struct PeopleQuery;

#[Object]
impl PeopleQuery {
    /// People (erased ones left out). With `search`, only those whose first name, last name or
    /// email contain every word of it, ignoring case and accents ("helene", "DUPRE" and "Hél"
    /// all find "Hélène Dupré"); best matches first (last name starts with the word, then
    /// first name, then any word), then by name. Without it, everyone by last and first name.
    #[graphql(guard = "Require(Permission::ReadOperations)")]
    async fn people(
        &self,
        ctx: &Context<'_>,
        search: Option<String>,
        first: Option<i32>,
        after: Option<String>,
    ) -> AppResult<Page<Person>> {
        // The people lists always count (a search ranks every match anyway).
        let window = pagination::window(ctx, first, after.as_deref())?;
        pagination::offsets_only(&window)?;
        let terms = SearchTerms::parse(search.as_deref());
        let (rows, total) = people::list_people(&ctx.state()?.db, terms.as_ref(), window).await?;
        let slice = pagination::Slice::counted(rows, window, total);
        Ok(pagination::connection(slice.map(Person::from), window))
    }

    /// One person by id (erased ones too, as placeholders), or null.
    #[graphql(guard = "Require(Permission::ReadOperations)")]
    async fn person(&self, ctx: &Context<'_>, id: ID) -> AppResult<Option<Person>> {
        let id = parse_id("id", &id)?;
        Ok(people::find_person(&ctx.state()?.db, id)
            .await?
            .map(Person::from))
    }

    /// GDPR right of access: everything Lieu holds about one person (their details, consent,
    /// notes, organization links, memberships and payments) as one JSON document. MANAGER and
    /// above.
    #[graphql(guard = "Require(Permission::Manage)")]
    async fn personal_data_export(
        &self,
        ctx: &Context<'_>,
        person_id: ID,
    ) -> AppResult<Json<serde_json::Value>> {
        let id = parse_id("personId", &person_id)?;
        let state = ctx.state()?;
        Ok(Json(
            gdpr::export_person(&state.db, state.clock.now(), id).await?,
        ))
    }
}

#[derive(Default)]
pub struct PeopleMutation;

#[Object]
impl PeopleMutation {
    /// Records a person. An email another person already has is refused (VALIDATION on
    /// `email`, naming that person).
    #[graphql(guard = "Require(Permission::FrontDesk)")]
    async fn create_person(
        &self,
        ctx: &Context<'_>,
        input: CreatePersonInput,
    ) -> AppResult<Person> {
        let new_person = NewPerson::try_from(input)?;
        let state = ctx.state()?;
        Ok(
            people::create_person(&state.db, state.clock.now(), new_person)
                .await?
                .into(),
        )
    }

    /// Changes a person's details. INVALID_STATE for an erased person.
    #[graphql(guard = "Require(Permission::FrontDesk)")]
    async fn update_person(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: UpdatePersonInput,
    ) -> AppResult<Person> {
        let changes = PersonChanges::try_from(input)?;
        let id = parse_id("id", &id)?;
        let state = ctx.state()?;
        Ok(
            people::update_person(&state.db, state.clock.now(), id, changes)
                .await?
                .into(),
        )
    }

    /// GDPR erasure: removes the person's names, email, phone, postal code, birth year,
    /// consent, notes and organization links for good. The row stays as an anonymous
    /// placeholder, so memberships, counts and money totals do not change. Erasing an erased
    /// person is INVALID_STATE. MANAGER and above.
    #[graphql(guard = "Require(Permission::Manage)")]
    async fn erase_person(&self, ctx: &Context<'_>, id: ID) -> AppResult<bool> {
        let id = parse_id("id", &id)?;
        let state = ctx.state()?;
        gdpr::erase_person(&state.db, state.clock.now(), id).await?;
        Ok(true)
    }
}

//! People as the API shows them: create, update, list and search (VOLUNTEER and above), and
//! the GDPR operations, export and erasure (MANAGER and above).

use async_graphql::{
    ComplexObject, Context, ID, InputObject, Json, MaybeUndefined, Object, Result, SimpleObject,
};
use chrono::{DateTime, Utc};
use lieu_entity::person;
use uuid::Uuid;

use super::context::ContextExt;
use super::loaders::{ActiveMembershipKey, ContactsOfPerson, MembershipsKey, people_loader};
use super::memberships::Membership;
pub use super::organizations::{Organization, OrganizationContact, OrganizationKind};
use super::pagination::{self, Page};
use crate::auth::guard::{Permission, Require};
use crate::domain::{
    Email, Name, SearchTerms, optional_text, parse_birth_year, parse_id, parse_phone,
    parse_postal_code,
};
use crate::error::AppError;
use crate::service::memberships::Holder;
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
    pub consent_given_at: Option<DateTime<Utc>>,
    /// Free notes of the front desk. Never write health or other sensitive data here.
    pub notes: Option<String>,
    /// True once the person's data has been erased (`erasePerson`).
    pub erased: bool,
    /// When the person was first recorded.
    pub created_at: DateTime<Utc>,
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
            consent_given_at: model.consent_given_at,
            notes: model.notes,
            erased: model.erased_at.is_some(),
            created_at: model.created_at,
        }
    }
}

#[ComplexObject]
impl Person {
    /// The membership that covers today (a local day of the venue), if any.
    async fn active_membership(&self, ctx: &Context<'_>) -> Result<Option<Membership>> {
        let key = ActiveMembershipKey(Holder::Person(self.uuid));
        Ok(people_loader(ctx)
            .load_one(key)
            .await?
            .map(Membership::from))
    }

    /// Every membership of the person, the latest first (cancelled and expired ones too).
    async fn memberships(&self, ctx: &Context<'_>) -> Result<Vec<Membership>> {
        let key = MembershipsKey(Holder::Person(self.uuid));
        let rows = people_loader(ctx).load_one(key).await?.unwrap_or_default();
        Ok(rows.into_iter().map(Membership::from).collect())
    }

    /// The organizations this person is a contact of, with their role there.
    async fn organizations(&self, ctx: &Context<'_>) -> Result<Vec<OrganizationContact>> {
        let rows = people_loader(ctx)
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

impl CreatePersonInput {
    fn validate(self, this_year: i32) -> Result<NewPerson, AppError> {
        Ok(NewPerson {
            first_name: Name::parse("firstName", &self.first_name)?,
            last_name: Name::parse("lastName", &self.last_name)?,
            email: optional_email("email", self.email.as_deref())?,
            phone: parse_phone("phone", self.phone.as_deref().unwrap_or(""))?,
            postal_code: parse_postal_code(
                "postalCode",
                self.postal_code.as_deref().unwrap_or(""),
            )?,
            birth_year: self
                .birth_year
                .map(|y| parse_birth_year("birthYear", y, this_year))
                .transpose()?,
            consent_to_contact: self.consent_to_contact.unwrap_or(false),
            notes: optional_text("notes", self.notes.as_deref(), NOTES_MAX)?,
        })
    }
}

fn optional_email(field: &str, raw: Option<&str>) -> Result<Option<Email>, AppError> {
    match raw.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(value) => Email::parse(field, value).map(Some),
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

impl UpdatePersonInput {
    fn validate(self, this_year: i32) -> Result<PersonChanges, AppError> {
        Ok(PersonChanges {
            first_name: self
                .first_name
                .as_deref()
                .map(|n| Name::parse("firstName", n))
                .transpose()?,
            last_name: self
                .last_name
                .as_deref()
                .map(|n| Name::parse("lastName", n))
                .transpose()?,
            email: self
                .email
                .as_deref()
                .map(|e| optional_email("email", Some(e)))
                .transpose()?,
            phone: self
                .phone
                .as_deref()
                .map(|p| parse_phone("phone", p))
                .transpose()?,
            postal_code: self
                .postal_code
                .as_deref()
                .map(|p| parse_postal_code("postalCode", p))
                .transpose()?,
            birth_year: match self.birth_year {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => Some(None),
                MaybeUndefined::Value(y) => {
                    Some(Some(parse_birth_year("birthYear", y, this_year)?))
                }
            },
            consent_to_contact: self.consent_to_contact,
            notes: self
                .notes
                .as_deref()
                .map(|n| optional_text("notes", Some(n), NOTES_MAX))
                .transpose()?,
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
    ) -> Result<Page<Person>> {
        let window = pagination::window(first, after.as_deref())?;
        let terms = SearchTerms::parse(search.as_deref());
        let (rows, total) = people::list_people(&ctx.state().db, terms.as_ref(), window).await?;
        Ok(pagination::connection(
            rows.into_iter().map(Person::from).collect(),
            window,
            total,
        ))
    }

    /// One person by id (erased ones too, as placeholders), or null.
    #[graphql(guard = "Require(Permission::ReadOperations)")]
    async fn person(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Person>> {
        let id = parse_id("id", &id)?;
        Ok(people::find_person(&ctx.state().db, id)
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
    ) -> Result<Json<serde_json::Value>> {
        let id = parse_id("personId", &person_id)?;
        let state = ctx.state();
        Ok(Json(
            people::export_person(&state.db, state.clock.now(), id).await?,
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
    async fn create_person(&self, ctx: &Context<'_>, input: CreatePersonInput) -> Result<Person> {
        let state = ctx.state();
        let now = state.clock.now();
        let new_person = input.validate(people::this_year(now))?;
        Ok(people::create_person(&state.db, now, new_person)
            .await?
            .into())
    }

    /// Changes a person's details. INVALID_STATE for an erased person.
    #[graphql(guard = "Require(Permission::FrontDesk)")]
    async fn update_person(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: UpdatePersonInput,
    ) -> Result<Person> {
        let id = parse_id("id", &id)?;
        let state = ctx.state();
        let now = state.clock.now();
        let changes = input.validate(people::this_year(now))?;
        Ok(people::update_person(&state.db, now, id, changes)
            .await?
            .into())
    }

    /// GDPR erasure: removes the person's names, email, phone, postal code, birth year,
    /// consent, notes and organization links for good. The row stays as an anonymous
    /// placeholder, so memberships, counts and money totals do not change. Erasing an erased
    /// person is INVALID_STATE. MANAGER and above.
    #[graphql(guard = "Require(Permission::Manage)")]
    async fn erase_person(&self, ctx: &Context<'_>, id: ID) -> Result<bool> {
        let id = parse_id("id", &id)?;
        let state = ctx.state();
        people::erase_person(&state.db, state.clock.now(), id).await?;
        Ok(true)
    }
}

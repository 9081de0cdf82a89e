//! Compiled selections ([`crate::graphql::plan`]) of people and organizations, for lists
//! that show them (a booking's booker). They read the stored rows, as `Person::from` and
//! `Organization::try_from` do.

use async_graphql::parser::types::{Field, SelectionSet};
use async_graphql::{ContextSelectionSet, ID, Positioned};
use lieu_entity::{organization, person};

use crate::domain::{self, StoredEnum};
use crate::graphql::people::OrganizationKind;
use crate::graphql::plan::{self, Getter, Plan, plain, scalar, text};
use crate::graphql::scalars::DateTime;

/// The plan of a selection on `Person` (as the member of `declared`, the selecting field's
/// type), for rows held in any env.
pub fn person<E: 'static>(
    ctx: &ContextSelectionSet<'_>,
    set: &SelectionSet,
    declared: &str,
) -> Option<Plan<person::Model, E>> {
    plan::compile_member(ctx, set, ("Person", declared), &person_field)
}

fn person_field<E: 'static>(field: &Positioned<Field>) -> Option<Getter<person::Model, E>> {
    type P = person::Model;
    Some(match plain(field)? {
        "id" => scalar(|p: &P| Some(ID(p.id.to_string()))),
        "firstName" => text(|p: &P| &p.first_name),
        "lastName" => text(|p: &P| &p.last_name),
        "email" => scalar(|p: &P| Some(p.email.clone())),
        "phone" => scalar(|p: &P| Some(p.phone.clone())),
        "postalCode" => scalar(|p: &P| Some(p.postal_code.clone())),
        "birthYear" => scalar(|p: &P| Some(p.birth_year)),
        "consentToContact" => scalar(|p: &P| Some(p.consent_to_contact)),
        "consentGivenAt" => scalar(|p: &P| Some(p.consent_given_at.map(DateTime::from))),
        "notes" => scalar(|p: &P| Some(p.notes.clone())),
        "erased" => scalar(|p: &P| Some(p.erased_at.is_some())),
        "createdAt" => scalar(|p: &P| Some(DateTime::from(p.created_at))),
        _ => return None,
    })
}

/// The plan of a selection on `Organization` (as the member of `declared`), for rows held in
/// any env.
pub fn organization<E: 'static>(
    ctx: &ContextSelectionSet<'_>,
    set: &SelectionSet,
    declared: &str,
) -> Option<Plan<organization::Model, E>> {
    plan::compile_member(ctx, set, ("Organization", declared), &organization_field)
}

fn organization_field<E: 'static>(
    field: &Positioned<Field>,
) -> Option<Getter<organization::Model, E>> {
    type O = organization::Model;
    Some(match plain(field)? {
        "id" => scalar(|o: &O| Some(ID(o.id.to_string()))),
        "name" => text(|o: &O| &o.name),
        "kind" => scalar(|o: &O| {
            let kind = domain::OrganizationKind::from_stored("organizations.kind", &o.kind);
            kind.ok().map(OrganizationKind::from)
        }),
        "resident" => scalar(|o: &O| Some(o.resident)),
        "email" => scalar(|o: &O| Some(o.email.clone())),
        "phone" => scalar(|o: &O| Some(o.phone.clone())),
        _ => return None,
    })
}

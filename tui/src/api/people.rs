//! The people and memberships half of [`perform`](super::perform).

use super::client::Client;
use super::model::*;
use super::ops;
use super::request::{Payload, Request, Response, api_name, optional};

pub async fn perform(client: &Client, request: Request) -> Response {
    match request {
        Request::People {
            search,
            first,
            after,
        } => {
            let data = client
                .run::<ops::People>(ops::people::Variables {
                    search: optional(&search),
                    first,
                    after,
                })
                .await?;
            let p = data.people;
            Ok(Payload::People(PeoplePage {
                total: usize::try_from(p.total_count).unwrap_or(0),
                has_next: p.page_info.has_next_page,
                end_cursor: p.page_info.end_cursor,
                rows: p
                    .nodes
                    .into_iter()
                    .map(|n| PersonRow {
                        id: n.id,
                        first_name: n.first_name,
                        last_name: n.last_name,
                        email: n.email,
                        phone: n.phone,
                        membership: n.active_membership.map(|m| (m.plan.name, m.ends_on)),
                    })
                    .collect(),
            }))
        }
        Request::Person { id, since } => {
            let data = client
                .run::<ops::Person>(ops::person::Variables { id, since })
                .await?;
            let Some(p) = data.person else {
                return Ok(Payload::Person(None));
            };
            Ok(Payload::Person(Some(PersonCard {
                person: PersonDetails {
                    id: p.id,
                    first_name: p.first_name,
                    last_name: p.last_name,
                    email: p.email,
                    phone: p.phone,
                    postal_code: p.postal_code,
                    birth_year: p.birth_year,
                    consent: p.consent_to_contact,
                    notes: p.notes,
                    erased: p.erased,
                },
                active_membership: p.active_membership.map(|m| m.id),
                memberships: p
                    .memberships
                    .into_iter()
                    .map(|m| MembershipRow {
                        id: m.id,
                        starts_on: m.starts_on,
                        ends_on: m.ends_on,
                        amount_paid: m.amount_paid,
                        status: api_name(&m.status),
                        renewal_of: m.renewal_of,
                        plan: PlanRef {
                            id: m.plan.id,
                            name: m.plan.name,
                            price: m.plan.price,
                            min_price: m.plan.min_price,
                            archived: m.plan.archived,
                        },
                    })
                    .collect(),
                organizations: p
                    .organizations
                    .into_iter()
                    .map(|c| (c.organization.name, c.role))
                    .collect(),
                bookings_total: usize::try_from(data.bookings.total_count).unwrap_or(0),
                bookings: data
                    .bookings
                    .nodes
                    .into_iter()
                    .map(|b| PersonBooking {
                        id: b.id,
                        start: b.start,
                        end: b.end,
                        title: b.title,
                        status: BookingStatus::parse(&api_name(&b.status)),
                        price: b.price,
                        paid: b.paid,
                        space_name: b.space.name,
                    })
                    .collect(),
            })))
        }
        Request::CreatePerson(input) => {
            let input = ops::create_person::CreatePersonInput {
                first_name: input.first_name.trim().to_string(),
                last_name: input.last_name.trim().to_string(),
                email: optional(&input.email),
                phone: optional(&input.phone),
                postal_code: optional(&input.postal_code),
                birth_year: input.birth_year,
                consent_to_contact: Some(input.consent),
                notes: optional(&input.notes),
            };
            let data = client
                .run::<ops::CreatePerson>(ops::create_person::Variables { input })
                .await?;
            Ok(Payload::Done {
                id: data.create_person.id,
                count: 1,
            })
        }
        Request::UpdatePerson { id, input } => {
            let clear_birth_year = input.clear_birth_year;
            // Every field is sent: an empty text clears it, as the form shows.
            let input = ops::update_person::UpdatePersonInput {
                first_name: Some(input.first_name.trim().to_string()),
                last_name: Some(input.last_name.trim().to_string()),
                email: Some(input.email.trim().to_string()),
                phone: Some(input.phone.trim().to_string()),
                postal_code: Some(input.postal_code.trim().to_string()),
                birth_year: input.birth_year,
                consent_to_contact: Some(input.consent),
                notes: Some(input.notes.trim().to_string()),
            };
            let data = client
                .run::<ops::UpdatePerson>(ops::update_person::Variables {
                    id: id.clone(),
                    input,
                })
                .await?;
            if clear_birth_year {
                client
                    .run::<ops::ClearBirthYear>(ops::clear_birth_year::Variables { id })
                    .await?;
            }
            Ok(Payload::Done {
                id: data.update_person.id,
                count: 1,
            })
        }
        Request::Plans => {
            let data = client
                .run::<ops::MembershipPlans>(ops::membership_plans::Variables)
                .await?;
            Ok(Payload::Plans(
                data.membership_plans
                    .into_iter()
                    .map(|p| Plan {
                        id: p.id,
                        name: p.name,
                        price: p.price,
                        min_price: p.min_price,
                        for_organizations: p.for_organizations,
                    })
                    .collect(),
            ))
        }
        Request::StartMembership {
            plan_id,
            person_id,
            starts_on,
            amount,
        } => {
            let input = ops::start_membership::StartMembershipInput {
                plan_id,
                person_id: Some(person_id),
                organization_id: None,
                starts_on,
                amount_paid: amount,
            };
            let data = client
                .run::<ops::StartMembership>(ops::start_membership::Variables { input })
                .await?;
            Ok(Payload::Done {
                id: data.start_membership.id,
                count: 1,
            })
        }
        Request::RenewMembership { id, amount } => {
            let data = client
                .run::<ops::RenewMembership>(ops::renew_membership::Variables {
                    id,
                    amount_paid: amount,
                })
                .await?;
            Ok(Payload::Done {
                id: data.renew_membership.id,
                count: 1,
            })
        }
        Request::CancelMembership { id } => {
            let data = client
                .run::<ops::CancelMembership>(ops::cancel_membership::Variables { id })
                .await?;
            Ok(Payload::Done {
                id: data.cancel_membership.id,
                count: 1,
            })
        }
        Request::Expiring { within_days } => {
            let data = client
                .run::<ops::ExpiringMemberships>(ops::expiring_memberships::Variables {
                    within_days,
                })
                .await?;
            Ok(Payload::Expiring(
                data.expiring_memberships
                    .into_iter()
                    .map(|m| Expiring {
                        id: m.id,
                        ends_on: m.ends_on,
                        amount_paid: m.amount_paid,
                        plan: PlanRef {
                            id: m.plan.id,
                            name: m.plan.name,
                            price: m.plan.price,
                            min_price: m.plan.min_price,
                            archived: m.plan.archived,
                        },
                        holder: match (&m.person, &m.organization) {
                            (Some(p), _) => format!("{} {}", p.first_name, p.last_name),
                            (None, Some(o)) => o.name.clone(),
                            (None, None) => String::new(),
                        },
                        person_id: m.person.map(|p| p.id),
                    })
                    .collect(),
            ))
        }
        other => unreachable!("{other:?} is performed by request::perform"),
    }
}

//! The volunteer hours and dashboard half of [`perform`](super::perform).

use super::client::Client;
use super::model::*;
use super::ops;
use super::request::{Payload, Request, Response, api_name, from_api_name};

fn person(id: String, first: String, last: String) -> PersonRef {
    PersonRef {
        id,
        name: format!("{first} {last}"),
    }
}

impl From<ops::dashboard::Figures> for Figures {
    fn from(f: ops::dashboard::Figures) -> Self {
        Figures {
            earned: f.earned_revenue,
            private_funding: f.private_funding,
            public_funding: f.public_funding,
            monetary: f.monetary_resources,
            self_financing: f.self_financing_ratio,
            volunteer_hours: f.volunteer_hours,
            volunteer_valuation: f.volunteer_valuation,
            total_with_volunteering: f.total_with_volunteering,
            in_kind: f.in_kind_valuation,
            by_stream: f
                .by_stream
                .into_iter()
                .map(|s| (api_name(&s.stream), s.amount))
                .collect(),
        }
    }
}

pub async fn perform(client: &Client, request: Request) -> Response {
    match request {
        Request::Hours {
            from,
            to,
            month_from,
            year_from,
            volunteer,
            person_id,
        } => {
            let me = client
                .run::<ops::MePerson>(ops::me_person::Variables)
                .await?
                .me
                .and_then(|u| u.person)
                .map(|p| person(p.id, p.first_name, p.last_name));
            if volunteer && me.is_none() {
                // Not linked to a person: no hours of their own to read (the screen says so).
                return Ok(Payload::Hours(HoursData {
                    me,
                    entries: vec![],
                    month: HoursTotal::default(),
                    year: HoursTotal::default(),
                }));
            }
            let data = client
                .run::<ops::Hours>(ops::hours::Variables {
                    from,
                    to,
                    month_from,
                    year_from,
                    person_id,
                })
                .await?;
            Ok(Payload::Hours(HoursData {
                me,
                entries: data
                    .entries
                    .into_iter()
                    .map(|e| HoursEntry {
                        id: e.id,
                        date: e.date,
                        hours: e.hours,
                        activity: api_name(&e.activity),
                        note: e.note,
                        valuation: e.valuation,
                        person: person(e.person.id, e.person.first_name, e.person.last_name),
                    })
                    .collect(),
                month: HoursTotal {
                    hours: data.month.hours,
                    valuation: data.month.valuation,
                },
                year: HoursTotal {
                    hours: data.year.hours,
                    valuation: data.year.valuation,
                },
            }))
        }
        Request::LogHours { person_id, entry } => {
            let input = ops::log_hours::LogVolunteerHoursInput {
                person_id,
                date: entry.date,
                hours: entry.hours,
                activity: from_api_name(&entry.activity),
                note: super::request::optional(&entry.note),
                site_id: None,
            };
            let data = client
                .run::<ops::LogHours>(ops::log_hours::Variables { input })
                .await?;
            Ok(Payload::Done {
                id: data.log_volunteer_hours.id,
                count: 1,
            })
        }
        Request::UpdateEntry { id, entry } => {
            let input = ops::update_entry::UpdateVolunteerEntryInput {
                date: Some(entry.date),
                hours: Some(entry.hours),
                activity: Some(from_api_name(&entry.activity)),
                note: Some(entry.note.trim().to_string()),
            };
            let data = client
                .run::<ops::UpdateEntry>(ops::update_entry::Variables { id, input })
                .await?;
            Ok(Payload::Done {
                id: data.update_volunteer_entry.id,
                count: 1,
            })
        }
        Request::DeleteEntry { id } => {
            let data = client
                .run::<ops::DeleteEntry>(ops::delete_entry::Variables { id })
                .await?;
            Ok(Payload::Done {
                id: data.delete_volunteer_entry,
                count: 1,
            })
        }
        Request::Dashboard {
            month_from,
            month_to,
            year_from,
            year_to,
            year,
        } => {
            let data = client
                .run::<ops::Dashboard>(ops::dashboard::Variables {
                    month_from,
                    month_to,
                    year_from,
                    year_to,
                    year,
                })
                .await?;
            Ok(Payload::Dashboard(DashboardData {
                month: data.month.into(),
                year: data.year.into(),
                objectives: data
                    .impact_objectives
                    .into_iter()
                    .map(|o| Objective {
                        metric: api_name(&o.metric),
                        target: o.target,
                        actual: o.actual,
                    })
                    .collect(),
                deadlines: data
                    .upcoming_deadlines
                    .into_iter()
                    .map(|d| Deadline {
                        id: d.id,
                        label: d.label,
                        due_on: d.due_on,
                        overdue: d.overdue,
                        grant: d.grant.title,
                        funder: d.grant.funder.name,
                    })
                    .collect(),
            }))
        }
        other => super::people::perform(client, other).await,
    }
}

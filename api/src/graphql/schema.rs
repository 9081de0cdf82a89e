use async_graphql::{MergedObject, Schema};

use super::activity::ActivitySubscription;
use super::audit::{AuditQuery, AuditTrail};

use super::accounts::api_keys::{ApiKeyMutation, ApiKeyQuery};
use super::accounts::{AccountMutation, AccountQuery};
use super::bookings::spaces::{SpaceMutation, SpaceQuery};
use super::bookings::{BookingMutation, BookingQuery};
use super::events::{EventMutation, EventQuery};
use super::exports::{ExportMutation, ExportQuery};
use super::memberships::{MembershipMutation, MembershipQuery};
use super::money::grants::{GrantMutation, GrantQuery};
use super::money::{MoneyMutation, MoneyQuery};
use super::people::organizations::{OrganizationMutation, OrganizationQuery};
use super::people::{PeopleMutation, PeopleQuery};
use super::reports::{ReportMutation, ReportQuery};
use super::sites::opening_hours::OpeningHoursMutation;
use super::sites::{SiteMutation, SiteQuery};
use super::volunteering::{VolunteerMutation, VolunteerQuery};
use super::webhooks::{WebhookMutation, WebhookQuery};
use crate::config::Config;

#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub struct QueryRoot(
    AccountQuery,
    ApiKeyQuery,
    AuditQuery,
    WebhookQuery,
    SiteQuery,
    SpaceQuery,
    BookingQuery,
    EventQuery,
    PeopleQuery,
    OrganizationQuery,
    MembershipQuery,
    MoneyQuery,
    GrantQuery,
    VolunteerQuery,
    ReportQuery,
    ExportQuery,
);

#[derive(MergedObject, Default)]
#[graphql(name = "Mutation")]
pub struct MutationRoot(
    AccountMutation,
    ApiKeyMutation,
    WebhookMutation,
    SiteMutation,
    OpeningHoursMutation,
    SpaceMutation,
    BookingMutation,
    EventMutation,
    PeopleMutation,
    OrganizationMutation,
    MembershipMutation,
    MoneyMutation,
    GrantMutation,
    VolunteerMutation,
    ReportMutation,
    ExportMutation,
);

/// One executable schema.
pub type ExecutableSchema = Schema<QueryRoot, MutationRoot, ActivitySubscription>;

/// The schema twice: as is, and with the audit trail's extension (`graphql::audit`) for the
/// documents that may hold a mutation. An extension wraps every field it resolves; the read
/// paths do not pay for it. Cheap to clone.
#[derive(Clone)]
pub struct LieuSchema {
    plain: ExecutableSchema,
    audited: ExecutableSchema,
}

impl LieuSchema {
    /// The schema to execute `document` with. Every mutation operation holds the keyword
    /// `mutation`, so a document without it is a query or a subscription; a query that holds
    /// the word (in a string, an alias) only goes through the audited schema, whose
    /// extension opens scopes for root mutation fields only.
    pub fn for_document(&self, document: &str) -> &ExecutableSchema {
        match document.contains("mutation") {
            true => &self.audited,
            false => &self.plain,
        }
    }

    /// The schema without the audit extension: subscriptions, the SDL.
    pub fn plain(&self) -> &ExecutableSchema {
        &self.plain
    }
}

fn builder() -> async_graphql::SchemaBuilder<QueryRoot, MutationRoot, ActivitySubscription> {
    Schema::build(
        QueryRoot::default(),
        MutationRoot::default(),
        ActivitySubscription,
    )
}

/// The executable schema, with the request limits of the configuration. It holds no data:
/// everything a request needs comes with its `RequestContext`.
pub fn build_schema(config: &Config) -> LieuSchema {
    let limited = || {
        let builder = builder()
            .limit_depth(config.query_depth_limit)
            .limit_complexity(config.query_complexity_limit);
        #[cfg(feature = "field-tracing")]
        let builder = builder.extension(async_graphql::extensions::Tracing);
        builder
    };
    LieuSchema {
        plain: limited().finish(),
        audited: limited().extension(AuditTrail).finish(),
    }
}

/// The SDL that `lieu-api schema` prints and `api/schema.graphql` holds.
pub fn sdl() -> String {
    builder().finish().sdl()
}

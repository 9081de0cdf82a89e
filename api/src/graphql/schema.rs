use async_graphql::{EmptySubscription, MergedObject, Schema};

use super::account::{AccountMutation, AccountQuery};
use super::bookings::{BookingMutation, BookingQuery};
use super::memberships::{MembershipMutation, MembershipQuery};
use super::opening_hours::OpeningHoursMutation;
use super::organizations::{OrganizationMutation, OrganizationQuery};
use super::people::{PeopleMutation, PeopleQuery};
use super::site::{SiteMutation, SiteQuery};
use super::spaces::{SpaceMutation, SpaceQuery};
use crate::config::Config;
use crate::state::AppState;

#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub struct QueryRoot(
    AccountQuery,
    SiteQuery,
    SpaceQuery,
    BookingQuery,
    PeopleQuery,
    OrganizationQuery,
    MembershipQuery,
);

#[derive(MergedObject, Default)]
#[graphql(name = "Mutation")]
pub struct MutationRoot(
    AccountMutation,
    SiteMutation,
    OpeningHoursMutation,
    SpaceMutation,
    BookingMutation,
    PeopleMutation,
    OrganizationMutation,
    MembershipMutation,
);

pub type LieuSchema = Schema<QueryRoot, MutationRoot, EmptySubscription>;

fn builder() -> async_graphql::SchemaBuilder<QueryRoot, MutationRoot, EmptySubscription> {
    Schema::build(
        QueryRoot::default(),
        MutationRoot::default(),
        EmptySubscription,
    )
}

/// The executable schema, with the request limits of the configuration.
pub fn build_schema(state: AppState, config: &Config) -> LieuSchema {
    builder()
        .data(state)
        .limit_depth(config.query_depth_limit)
        .limit_complexity(config.query_complexity_limit)
        .finish()
}

/// The SDL that `lieu-api schema` prints and `api/schema.graphql` holds.
pub fn sdl() -> String {
    builder().finish().sdl()
}

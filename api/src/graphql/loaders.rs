//! DataLoaders, built fresh for every request so that nothing is cached across requests.
//! Each area adds its loaders in `attach`; resolvers of relations on lists use them, so a
//! list of N items costs a constant number of SQL statements.

use crate::state::AppState;

/// Adds this request's loaders to a GraphQL request.
pub fn attach(request: async_graphql::Request, _state: &AppState) -> async_graphql::Request {
    request
}

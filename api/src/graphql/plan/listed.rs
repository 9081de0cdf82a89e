//! [`Listed`]: the Relay connection of a [`Planned`] type, the same in the schema as
//! [`Page`] (`pageInfo`, `edges`, `nodes`, `totalCount`, and its `…Edge` type), whose `edges`
//! and `nodes` run a compiled [`Plan`] over the rows when they can.

use std::borrow::Cow;

use async_graphql::connection::{Edge, EmptyFields, PageInfo};
use async_graphql::parser::types::Field;
use async_graphql::registry::Registry;
use async_graphql::resolver_utils::resolve_list;
use async_graphql::{
    ContextSelectionSet, Object, OutputType, Positioned, ServerResult, TypeName, Value,
};

use super::{Getter, Plan, Planned, compile, plain, related};
use crate::graphql::context::RequestContext;
use crate::graphql::pagination::{ConnectionFields, Page};

type EdgeOf<T> = Edge<String, T, EmptyFields>;

/// A page of `T` with the relations its rows were loaded with.
pub struct Listed<T: Planned> {
    page: Page<T>,
    env: T::Env,
}

impl<T: Planned> Listed<T> {
    pub fn new(page: Page<T>, env: T::Env) -> Self {
        Self { page, env }
    }
}

impl<T: Planned> TypeName for Listed<T> {
    fn type_name() -> Cow<'static, str> {
        format!("{}Connection", T::type_name()).into()
    }
}

// The same fields, in the same order and with the same descriptions, as async-graphql's
// `Connection` with `ConnectionFields` (api/schema.graphql is unchanged).
#[Object(name_type)]
impl<T: Planned + Send + Sync> Listed<T>
where
    T::Env: Send + Sync,
{
    /// Information to aid in pagination.
    async fn page_info(&self) -> PageInfo {
        let edges = &self.page.edges;
        PageInfo {
            has_previous_page: self.page.has_previous_page,
            has_next_page: self.page.has_next_page,
            start_cursor: edges.first().map(|e| e.cursor.clone()),
            end_cursor: edges.last().map(|e| e.cursor.clone()),
        }
    }

    /// A list of edges.
    async fn edges(&self) -> Edges<'_, T> {
        Edges(self)
    }

    /// A list of nodes.
    async fn nodes(&self) -> Nodes<'_, T> {
        Nodes(self)
    }

    #[graphql(flatten)]
    async fn additional_fields(&self) -> &ConnectionFields {
        &self.page.additional_fields
    }
}

/// The `edges` of a [`Listed`]: `[TEdge!]!`.
pub struct Edges<'a, T: Planned>(&'a Listed<T>);

/// The `nodes` of a [`Listed`]: `[T!]!`.
pub struct Nodes<'a, T: Planned>(&'a Listed<T>);

impl<T: Planned + Send + Sync> OutputType for Edges<'_, T>
where
    T::Env: Send + Sync,
{
    fn type_name() -> Cow<'static, str> {
        <Vec<EdgeOf<T>> as OutputType>::type_name()
    }

    fn qualified_type_name() -> String {
        <Vec<EdgeOf<T>> as OutputType>::qualified_type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        <Vec<EdgeOf<T>> as OutputType>::create_type_info(registry)
    }

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        let Listed { page, env } = self.0;
        show::<T, _>(ctx, field, env, || edge_plan::<T>(ctx), page.edges.iter()).await
    }
}

impl<T: Planned + Send + Sync> OutputType for Nodes<'_, T>
where
    T::Env: Send + Sync,
{
    fn type_name() -> Cow<'static, str> {
        <Vec<T> as OutputType>::type_name()
    }

    fn qualified_type_name() -> String {
        <Vec<T> as OutputType>::qualified_type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        <Vec<T> as OutputType>::create_type_info(registry)
    }

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        let Listed { page, env } = self.0;
        let nodes = page.edges.iter().map(|e| &e.node);
        show::<T, _>(ctx, field, env, || T::plan(ctx, &ctx.item.node), nodes).await
    }
}

/// Shows `rows` by the plan `compile` gives, or by the executor when there is none or a row
/// needs it (after [`Planned::prime`]).
async fn show<'r, T: Planned, R: OutputType + 'r>(
    ctx: &ContextSelectionSet<'_>,
    field: &Positioned<Field>,
    env: &T::Env,
    compile: impl FnOnce() -> Option<Plan<R, T::Env>>,
    rows: impl ExactSizeIterator<Item = &'r R> + Clone + Send,
) -> ServerResult<Value> {
    let plan = super::ENABLED.then(compile).flatten();
    let planned = plan.and_then(|plan| plan.list(rows.clone(), env));
    match counted(ctx, planned) {
        Some(value) => Ok(value),
        None => {
            T::prime(ctx, env).await;
            let len = rows.len();
            resolve_list(ctx, field, rows, Some(len)).await
        }
    }
}

/// Counts which path showed a list, for `/metrics` and for the app's own [`super::ListPaths`] (the
/// tests check that the plans do apply).
fn counted(ctx: &ContextSelectionSet<'_>, planned: Option<Value>) -> Option<Value> {
    crate::telemetry::metrics::list_resolved(planned.is_some());
    if let Some(request) = ctx.data_opt::<RequestContext>() {
        request.state.lists.record(planned.is_some());
    }
    planned
}

/// The plan of an edge: its `cursor`, and its `node` by the node type's plan.
fn edge_plan<T: Planned>(ctx: &ContextSelectionSet<'_>) -> Option<Plan<EdgeOf<T>, T::Env>> {
    let edge_type = <EdgeOf<T> as OutputType>::type_name();
    let field = |field: &Positioned<_>| -> Option<Getter<EdgeOf<T>, T::Env>> {
        match plain(field)? {
            "cursor" => Some(Box::new(|edge: &EdgeOf<T>, _: &T::Env| {
                Some(Value::String(edge.cursor.clone()))
            })),
            "node" => {
                let node = T::plan(ctx, &field.node.selection_set.node)?;
                Some(related(node, |edge: &EdgeOf<T>, _| Some(&edge.node)))
            }
            _ => None,
        }
    };
    compile(ctx, &ctx.item.node, &edge_type, &field)
}

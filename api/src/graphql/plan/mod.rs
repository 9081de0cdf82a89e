//! Compiled selections for the long lists (the week grid, the agenda).
//!
//! The executor resolves every field of every row as its own boxed future, and every object
//! as a set of them: the week grid's 200 bookings with their spaces and bookers were some
//! 2,400 futures and 800 future sets per request, most of the server's time (see
//! docs/benchmarks.md, "Compiled lists"). A list whose relations were loaded with it up front
//! does not need any of that: its selection set is compiled once per request into a
//! [`Plan`], one getter per response key, and every row runs the plan synchronously.
//!
//! A plan is only an acceleration: whenever a selection holds something a plan does not
//! know (a field with arguments, a guarded or lazily loaded field, a custom directive, the
//! same response key twice, which the executor merges) [`Planned::plan`] returns `None`, and
//! whenever a row lacks what its plan needs (a relation not prefetched, a stored value that
//! does not convert) [`Plan::value`] returns `None`; the list is then resolved by the
//! executor, field by field, exactly as before. Both paths give the same response: the tests
//! compare them (`tests/compiled_lists.rs`).

pub mod listed;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

use async_graphql::indexmap::IndexMap;
use async_graphql::parser::types::{Field, Selection, SelectionSet};
use async_graphql::{ContextSelectionSet, InputType, Name, OutputType, Positioned, Value};
use chrono::Utc;
use chrono_tz::Tz;
use uuid::Uuid;

use crate::error::AppResult;
use crate::graphql::loaders::Loaders;
use crate::graphql::scalars::DateTime;

pub use listed::Listed;

/// Whether lists may be shown by their plans: not in a build with per-field tracing (the
/// `field-tracing` feature), whose point is a span for every field the executor resolves.
pub const ENABLED: bool = !cfg!(feature = "field-tracing");

/// How many lists this process showed by their plan and by the executor.
#[derive(Debug, Default)]
pub struct ListPaths {
    compiled: AtomicU64,
    executor: AtomicU64,
}

impl ListPaths {
    pub fn record(&self, compiled: bool) {
        let counter = if compiled {
            &self.compiled
        } else {
            &self.executor
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// (shown by a plan, shown by the executor).
    pub fn get(&self) -> (u64, u64) {
        (
            self.compiled.load(Ordering::Relaxed),
            self.executor.load(Ordering::Relaxed),
        )
    }
}

/// How one response key of a row becomes its value; `None` when the row lacks what it needs.
pub type Getter<R, E> = Box<dyn Fn(&R, &E) -> Option<Value> + Send + Sync>;

/// Gives the getter of one selected field of a type, or `None` when the executor must resolve it.
pub type FieldPlan<'f, R, E> = dyn Fn(&Positioned<Field>) -> Option<Getter<R, E>> + 'f;

/// A selection set compiled for rows of type `R`, whose relations are in `E`.
pub struct Plan<R, E> {
    fields: Vec<(Name, Getter<R, E>)>,
}

impl<R, E> Plan<R, E> {
    /// The row's response object, or `None` when the row needs the executor.
    pub fn value(&self, row: &R, env: &E) -> Option<Value> {
        // The executor answers null for an object none of whose fields applied (a union
        // member that no fragment selected).
        if self.fields.is_empty() {
            return Some(Value::Null);
        }
        let mut object = IndexMap::with_capacity(self.fields.len());
        for (key, get) in &self.fields {
            object.insert(key.clone(), get(row, env)?);
        }
        Some(Value::Object(object))
    }

    /// The values of all `rows` as a list, or `None` as soon as one needs the executor.
    pub fn list<'r>(&self, rows: impl ExactSizeIterator<Item = &'r R>, env: &E) -> Option<Value>
    where
        R: 'r,
    {
        let mut values = Vec::with_capacity(rows.len());
        for row in rows {
            values.push(self.value(row, env)?);
        }
        Some(Value::List(values))
    }
}

/// A type whose selections can be compiled: the rows of a [`Listed`] connection.
pub trait Planned: OutputType + Sized + 'static {
    /// What its rows' relations were loaded into.
    type Env: Send + Sync;

    /// The plan of `set`, a selection on this type, or `None` when the executor must resolve
    /// it. `ctx` gives the document's fragments.
    fn plan(ctx: &ContextSelectionSet<'_>, set: &SelectionSet) -> Option<Plan<Self, Self::Env>>;

    /// Before the executor shows the list (no plan applied): hands what `env` holds to the
    /// request's loaders, so that its fields find the rows the list was loaded with.
    fn prime(
        ctx: &ContextSelectionSet<'_>,
        env: &Self::Env,
    ) -> impl std::future::Future<Output = ()> + Send {
        let _ = (ctx, env);
        async {}
    }
}

/// Compiles `set`, a selection on the object type `type_name`: `field` gives the getter of one
/// of its fields, or `None` when that field needs the executor. Fragments are followed as the
/// executor does (a fragment applies when its type condition is the type or one of its
/// interfaces); `@skip`/`@include` were already applied to the document.
pub fn compile<R, E>(
    ctx: &ContextSelectionSet<'_>,
    set: &SelectionSet,
    type_name: &str,
    field: &FieldPlan<'_, R, E>,
) -> Option<Plan<R, E>>
where
    R: 'static,
    E: 'static,
{
    compile_member(ctx, set, (type_name, type_name), field)
}

/// [`compile`] for the member `type_name` of the union (or interface) `declared`, the type of
/// the field that selected `set`: a fragment on `declared` itself applies too, as the
/// executor applies one on the type it resolves (`booker { ... on Booker { __typename } }`).
pub fn compile_member<R, E>(
    ctx: &ContextSelectionSet<'_>,
    set: &SelectionSet,
    (type_name, declared): (&str, &str),
    field: &FieldPlan<'_, R, E>,
) -> Option<Plan<R, E>>
where
    R: 'static,
    E: 'static,
{
    let mut plan = Plan { fields: Vec::new() };
    collect(ctx, set, (type_name, declared), field, &mut plan)?;
    Some(plan)
}

fn collect<R: 'static, E: 'static>(
    ctx: &ContextSelectionSet<'_>,
    set: &SelectionSet,
    types: (&str, &str),
    field: &FieldPlan<'_, R, E>,
    plan: &mut Plan<R, E>,
) -> Option<()> {
    let (type_name, _) = types;
    for selection in &set.items {
        let (condition, set) = match &selection.node {
            Selection::Field(selected) => {
                if !selected.node.directives.is_empty() {
                    return None; // a custom directive wraps the field's resolution
                }
                let key = selected.node.response_key().node.clone();
                if plan.fields.iter().any(|(k, _)| *k == key) {
                    return None; // the executor merges repeated keys
                }
                let getter = match selected.node.name.node.as_str() {
                    "__typename" => constant(Value::String(type_name.to_owned())),
                    _ => field(selected)?,
                };
                plan.fields.push((key, getter));
                continue;
            }
            Selection::FragmentSpread(spread) => {
                let fragment = ctx
                    .query_env
                    .fragments
                    .get(&spread.node.fragment_name.node)?;
                (
                    Some(fragment.node.type_condition.node.on.node.as_str()),
                    &fragment.node.selection_set.node,
                )
            }
            Selection::InlineFragment(fragment) => (
                fragment
                    .node
                    .type_condition
                    .as_ref()
                    .map(|c| c.node.on.node.as_str()),
                &fragment.node.selection_set.node,
            ),
        };
        if applies(ctx, types, condition) {
            collect(ctx, set, types, field, plan)?;
        }
    }
    Some(())
}

/// Whether a fragment with `condition` applies to an object of `type_name` selected as a
/// `declared`: as in the executor, when the condition is either type or one of the object's
/// interfaces.
fn applies(
    ctx: &ContextSelectionSet<'_>,
    (type_name, declared): (&str, &str),
    condition: Option<&str>,
) -> bool {
    let Some(condition) = condition else {
        return true;
    };
    condition == type_name
        || condition == declared
        || ctx
            .schema_env
            .registry
            .implements
            .get(type_name)
            .is_some_and(|interfaces| interfaces.contains(condition))
}

/// A field without arguments, for the plain fields a plan knows (a field given arguments
/// goes to the executor, which reads them).
pub fn plain(field: &Positioned<Field>) -> Option<&str> {
    field
        .node
        .arguments
        .is_empty()
        .then_some(field.node.name.node.as_str())
}

/// The same value for every row.
pub fn constant<R, E>(value: Value) -> Getter<R, E> {
    Box::new(move |_, _| Some(value.clone()))
}

/// A scalar or enum of the row, as the executor would show it (an `Option` of one is null
/// for `None`).
pub fn scalar<R, E, T: InputType>(
    get: impl Fn(&R) -> Option<T> + Send + Sync + 'static,
) -> Getter<R, E> {
    Box::new(move |row, _| get(row).map(|v| v.to_value()))
}

/// A string of the row.
pub fn text<R, E>(get: impl Fn(&R) -> &str + Send + Sync + 'static) -> Getter<R, E> {
    Box::new(move |row, _| Some(Value::String(get(row).to_owned())))
}

/// A nullable string of the row.
pub fn nullable_text<R, E>(
    get: impl Fn(&R) -> Option<&str> + Send + Sync + 'static,
) -> Getter<R, E> {
    Box::new(move |row, _| Some(get(row).map_or(Value::Null, |s| Value::String(s.to_owned()))))
}

/// An object related to the row, found in the env (`None`: not loaded) and shown by `plan`.
pub fn related<R, E, S>(
    plan: Plan<S, E>,
    find: impl for<'a> Fn(&'a R, &'a E) -> Option<&'a S> + Send + Sync + 'static,
) -> Getter<R, E>
where
    R: 'static,
    E: 'static,
    S: 'static,
{
    Box::new(move |row, env| plan.value(find(row, env)?, env))
}

/// The related objects of the row (`None`: not loaded), each shown by `plan`.
pub fn related_list<R, E, S>(
    plan: Plan<S, E>,
    find: impl for<'a> Fn(&'a R, &'a E) -> Option<&'a [S]> + Send + Sync + 'static,
) -> Getter<R, E>
where
    R: 'static,
    E: 'static,
    S: 'static,
{
    Box::new(move |row, env| plan.list(find(row, env)?.iter(), env))
}

/// What `read` gives (a list's page), with the sites' zones read meanwhile into the request's
/// loaders: every time a list shows is in its site's offset, and reading them with the page
/// rather than after it saves a round trip before the relations.
pub async fn with_zones<T>(
    ctx: &async_graphql::Context<'_>,
    read: impl std::future::Future<Output = AppResult<T>>,
) -> AppResult<T> {
    use crate::graphql::context::ContextExt;
    let (read, _) = futures::try_join!(read, ctx.loaders()?.zones.all())?;
    Ok(read)
}

/// The sites' time zones, for the times a plan shows in their site's offset.
#[derive(Default)]
pub struct Zones(HashMap<Uuid, Tz>);

impl Zones {
    /// Every site's zone, from the request's loaders.
    pub async fn load(loaders: &Loaders) -> AppResult<Self> {
        Ok(Self(loaders.zones.all().await?.clone()))
    }

    /// `t` in the offset of `site_id`, as `DateTime` shows it.
    pub fn local(&self, site_id: Uuid, t: chrono::DateTime<Utc>) -> Option<Value> {
        let tz = self.0.get(&site_id)?;
        Some(DateTime::local(t, *tz).to_value())
    }

    /// [`Zones::local`] of an optional time: null for `None`.
    pub fn local_opt(&self, site_id: Uuid, t: Option<chrono::DateTime<Utc>>) -> Option<Value> {
        match t {
            Some(t) => self.local(site_id, t),
            None => Some(Value::Null),
        }
    }
}

//! The audit trail: who changed what, when, in which request.
//!
//! The GraphQL layer opens a [`Scope`] around each root mutation field (who calls, the
//! operation's name, its arguments with secrets redacted, the request id). The services say
//! which objects they change ([`created`], [`changed`], [`deleted`], [`touched`]) and commit
//! through [`commit`], which writes the entries *in the transaction of the change*: an entry
//! exists if and only if its change committed, and a refused mutation leaves none.
//!
//! A mutation that names no object still leaves one entry, with the type its field returns
//! and its `id` argument. Code that runs outside a scope (the command line, the demo, the
//! webhook worker) records nothing: the trail is the API's.

mod queries;
mod snapshot;

use std::future::Future;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use lieu_entity::audit_entry;
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait, ModelTrait, QueryFilter,
    Set,
};
use serde_json::{Map, Value};
use uuid::Uuid;

pub use queries::{Filter, list};
pub use snapshot::redacted;

/// Who made a change, as the trail names them (API.md: `user:<email>`, `apikey:<name>`,
/// `anonymous:<address>`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Who {
    pub label: String,
    pub user_id: Option<Uuid>,
    pub api_key_id: Option<Uuid>,
}

/// One root mutation field being resolved.
pub struct Scope {
    pub at: DateTime<Utc>,
    pub who: Who,
    /// The GraphQL field name (`createPerson`).
    pub operation: String,
    pub request_id: Option<String>,
    /// The field's arguments, secrets redacted ([`redacted`]).
    pub input: Value,
    /// What an entry names when the service named no object: the type the field returns
    /// and its `id` argument.
    pub default_type: Option<String>,
    pub default_id: Option<Uuid>,
    pending: Mutex<Pending>,
}

#[derive(Default)]
struct Pending {
    objects: Vec<Touched>,
    /// Whether a commit of this scope already wrote an entry (a mutation may commit twice).
    written: bool,
}

struct Touched {
    object_type: &'static str,
    object_id: Uuid,
    person_id: Option<Uuid>,
    /// `created`, `changed` or `deleted`, with the fields.
    change: Option<(&'static str, Value)>,
}

impl Scope {
    pub fn new(
        at: DateTime<Utc>,
        who: Who,
        operation: impl Into<String>,
        request_id: Option<String>,
        input: Value,
    ) -> Self {
        Self {
            at,
            who,
            operation: operation.into(),
            request_id,
            input,
            default_type: None,
            default_id: None,
            pending: Mutex::default(),
        }
    }

    pub fn naming(mut self, object_type: Option<String>, object_id: Option<Uuid>) -> Self {
        self.default_type = object_type;
        self.default_id = object_id;
        self
    }
}

tokio::task_local! {
    static SCOPE: Arc<Scope>;
}

/// Runs `work` (a mutation's resolver) inside `scope`.
pub async fn within<F: Future>(scope: Scope, work: F) -> F::Output {
    SCOPE.scope(Arc::new(scope), work).await
}

fn push(touched: Touched) {
    let _ = SCOPE.try_with(|scope| {
        scope
            .pending
            .lock()
            .expect("the audit scope is never poisoned")
            .objects
            .push(touched);
    });
}

fn in_scope() -> bool {
    SCOPE.try_with(|_| ()).is_ok()
}

/// `model` (a row of `object_type`, whose id is `id`) was created.
pub fn created<M: ModelTrait>(object_type: &'static str, id: Uuid, model: &M) {
    record(object_type, id, model, "created", || {
        snapshot::fields(model)
    });
}

/// The row `id` of `object_type` went from `before` to `after`: the entry keeps the fields
/// that changed, each as `[before, after]`.
pub fn changed<M: ModelTrait>(object_type: &'static str, id: Uuid, before: &M, after: &M) {
    record(object_type, id, after, "changed", || {
        snapshot::diff(before, after)
    });
}

/// The row `id` of `object_type`, which was `before`, was deleted.
pub fn deleted<M: ModelTrait>(object_type: &'static str, id: Uuid, before: &M) {
    record(object_type, id, before, "deleted", || {
        snapshot::fields(before)
    });
}

/// Pushes a change of `row` under `kind`; outside a scope (the CLI, imports, the demo) the
/// snapshot is not even taken.
fn record<M: ModelTrait>(
    object_type: &'static str,
    id: Uuid,
    row: &M,
    kind: &'static str,
    fields: impl FnOnce() -> Map<String, Value>,
) {
    if !in_scope() {
        return;
    }
    push(Touched {
        object_type,
        object_id: id,
        person_id: snapshot::person(object_type, id, row),
        change: Some((kind, Value::Object(fields()))),
    });
}

/// The object was changed, with nothing of it worth keeping (an erasure, a secret).
pub fn touched(object_type: &'static str, id: Uuid) {
    push(Touched {
        object_type,
        object_id: id,
        person_id: None,
        change: None,
    });
}

/// Writes the entries of the current scope in `txn`, then commits it. What every service
/// calls instead of `txn.commit()`.
pub async fn commit(txn: DatabaseTransaction) -> Result<(), DbErr> {
    write_pending(&txn).await?;
    txn.commit().await
}

/// Writes the entries of the current scope in `conn` (for the few commits that do more, like
/// the activity bus's).
pub async fn write_pending(conn: &impl ConnectionTrait) -> Result<(), DbErr> {
    let Ok(scope) = SCOPE.try_with(Arc::clone) else {
        return Ok(());
    };
    let rows = {
        let mut pending = scope.pending.lock().expect("never poisoned");
        let objects = std::mem::take(&mut pending.objects);
        if objects.is_empty() && pending.written {
            return Ok(());
        }
        pending.written = true;
        entries(&scope, objects)
    };
    // Chunks: a series or an import may change hundreds of rows (SQLite's bound parameters).
    for chunk in rows.chunks(500) {
        audit_entry::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(conn)
            .await?;
    }
    Ok(())
}

fn entries(scope: &Scope, objects: Vec<Touched>) -> Vec<audit_entry::ActiveModel> {
    let row = |object_type: Option<String>,
               object_id: Option<Uuid>,
               person_id: Option<Uuid>,
               change: Option<(&'static str, Value)>| {
        let mut summary = Map::new();
        if scope.input.as_object().is_some_and(|args| !args.is_empty()) {
            summary.insert("input".into(), scope.input.clone());
        }
        if let Some((what, fields)) = change {
            summary.insert(what.into(), fields);
        }
        audit_entry::ActiveModel {
            id: Set(Uuid::new_v4()),
            at: Set(scope.at),
            actor: Set(scope.who.label.clone()),
            user_id: Set(scope.who.user_id),
            api_key_id: Set(scope.who.api_key_id),
            operation: Set(scope.operation.clone()),
            object_type: Set(object_type),
            object_id: Set(object_id),
            person_id: Set(person_id),
            request_id: Set(scope.request_id.clone()),
            summary: Set((!summary.is_empty()).then(|| Value::Object(summary).to_string())),
        }
    };
    if objects.is_empty() {
        return vec![row(
            scope.default_type.clone(),
            scope.default_id,
            None,
            None,
        )];
    }
    objects
        .into_iter()
        .map(|t| {
            row(
                Some(t.object_type.to_string()),
                Some(t.object_id),
                t.person_id,
                t.change,
            )
        })
        .collect()
}

/// What an erased summary reads.
pub const ERASED: &str = r#"{"erased":true}"#;

/// Erasure (`service::gdpr`): the summaries that may hold the person's data — of the person,
/// of objects that are theirs (`person_id`: their bookings, memberships, hours), of `objects`
/// (their registrations, which keep a name of their own), or that hold their email — are
/// replaced with [`ERASED`]. Who did what, and when, stays.
pub async fn erase(
    conn: &impl ConnectionTrait,
    person_id: Uuid,
    email: Option<&str>,
    objects: Vec<Uuid>,
) -> Result<(), DbErr> {
    let mut which = sea_orm::Condition::any()
        .add(audit_entry::Column::PersonId.eq(person_id))
        .add(audit_entry::Column::ObjectId.eq(person_id));
    for chunk in objects.chunks(500) {
        which = which.add(audit_entry::Column::ObjectId.is_in(chunk.to_vec()));
    }
    if let Some(email) = email.filter(|e| !e.is_empty()) {
        // Typed in any case in a mutation's arguments.
        which = which.add(
            Expr::expr(Func::lower(Expr::col(audit_entry::Column::Summary)))
                .like(format!("%{}%", email.to_lowercase())),
        );
    }
    audit_entry::Entity::update_many()
        .col_expr(audit_entry::Column::Summary, Expr::value(ERASED))
        .filter(which)
        .exec(conn)
        .await?;
    Ok(())
}

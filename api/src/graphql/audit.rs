//! The audit trail in the API: the extension that opens an audit scope around each root
//! mutation field (see `service::audit`), and `auditLog` (MANAGER).
//!
//! The extension runs only in the schema that executes documents holding a mutation
//! ([`super::LieuSchema::for_document`]): an extension wraps every field it resolves, and the
//! read paths (the week grid, the agenda) should not pay for it.

use std::sync::{Arc, Mutex};

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextResolve, ResolveInfo,
};
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{
    Context, ID, InputObject, Name, Object, ServerResult, SimpleObject, Value, Variables,
};
use lieu_entity::{audit_entry, user};
use sea_orm::EntityTrait;

use crate::auth::Caller;
use crate::auth::guard::{Permission, Require};
use crate::domain::parse_id;
use crate::error::AppResult;
use crate::graphql::context::{ContextExt, RequestContext};
use crate::graphql::pagination::{self, Key, Page};
use crate::graphql::scalars::DateTime;
use crate::service::audit::{self, Scope, Who};

/// Opens an audit scope around each root mutation field.
pub struct AuditTrail;

impl ExtensionFactory for AuditTrail {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(AuditRequest::default())
    }
}

/// One request: its variables, to read the arguments of its mutation fields.
#[derive(Default)]
struct AuditRequest {
    variables: Mutex<Variables>,
}

#[async_trait::async_trait]
impl Extension for AuditRequest {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        *self.variables.lock().expect("never poisoned") = variables.clone();
        next.run(ctx, query, variables).await
    }

    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        let root_mutation = info.parent_type == "Mutation" && info.path_node.parent.is_none();
        let Some(request) = ctx.data_opt::<RequestContext>().filter(|_| root_mutation) else {
            return next.run(ctx, info).await;
        };
        let input = self.arguments(&info);
        let object_type = named_type(info.return_type);
        let object_id = object_id(&input, object_type.as_deref());
        let scope = Scope::new(
            request.state.clock.now(),
            who(request).await,
            info.name,
            request.request_id.clone(),
            audit::redacted(input),
        )
        .naming(object_type, object_id);
        audit::within(scope, next.run(ctx, info)).await
    }
}

impl AuditRequest {
    /// The field's arguments as JSON, variables replaced by their values.
    fn arguments(&self, info: &ResolveInfo<'_>) -> serde_json::Value {
        let variables = self.variables.lock().expect("never poisoned");
        let lookup = |name: Name| -> Result<_, ()> {
            Ok(variables.get(&name).cloned().unwrap_or(Value::Null))
        };
        let arguments = info
            .field
            .arguments
            .iter()
            .filter_map(|(name, value)| {
                let value = value.node.clone().into_const_with(lookup).ok()?;
                Some((name.node.to_string(), value.into_json().ok()?))
            })
            .collect();
        serde_json::Value::Object(arguments)
    }
}

/// `Person!` -> `Person`; scalars name no object (`Boolean!` -> none).
fn named_type(return_type: &str) -> Option<String> {
    let name = return_type.trim_matches(|c| matches!(c, '[' | ']' | '!'));
    match name {
        "Boolean" | "String" | "ID" | "Int" | "Float" | "Decimal" | "DateTime" | "Date" => None,
        name => Some(name.to_string()),
    }
}

/// The object a mutation names in its arguments: its `id`, or the id of the type it returns
/// (`checkIn(registrationId:)` returns a `Registration`).
fn object_id(input: &serde_json::Value, object_type: Option<&str>) -> Option<uuid::Uuid> {
    let own = object_type.map(|name| {
        let mut chars = name.chars();
        let first = chars.next().map(|c| c.to_ascii_lowercase());
        format!("{}{}Id", first.unwrap_or_default(), chars.as_str())
    });
    ["id"]
        .into_iter()
        .chain(own.as_deref())
        .find_map(|name| input.get(name)?.as_str())
        .and_then(|id| parse_id("id", id).ok())
}

/// The actor as API.md names it. A staff member is named by their email, read here once per
/// mutation (the session names only the account's id).
async fn who(request: &RequestContext) -> Who {
    match &request.caller {
        Caller::User(auth) => {
            let email = user::Entity::find_by_id(auth.user_id)
                .one(&request.state.db)
                .await
                .ok()
                .flatten()
                .map_or_else(|| auth.user_id.to_string(), |u| u.email);
            Who {
                label: format!("user:{email}"),
                user_id: Some(auth.user_id),
                api_key_id: None,
            }
        }
        Caller::Key(key) => Who {
            label: format!("apikey:{}", key.name),
            user_id: None,
            api_key_id: Some(key.key_id),
        },
        Caller::Anonymous | Caller::RejectedToken => Who {
            label: format!("anonymous:{}", request.client_addr),
            user_id: None,
            api_key_id: None,
        },
    }
}

/// One change recorded in the audit trail, in the transaction of the change.
#[derive(SimpleObject)]
pub struct AuditEntry {
    /// The entry's place in the trail, for cursors.
    #[graphql(skip)]
    key: Key,
    pub id: ID,
    pub at: DateTime,
    /// `user:<email>`, `apikey:<name>` or `anonymous:<address>`.
    pub actor: String,
    /// The mutation's field name (`createPerson`).
    pub operation: String,
    /// The type of the object changed (`Person`), when the mutation changed one.
    pub object_type: Option<String>,
    pub object_id: Option<ID>,
    /// The `x-request-id` of the request (also in the server's logs).
    pub request_id: Option<String>,
    /// JSON: `input` (the arguments, secrets redacted) and `created`, `changed` (each field
    /// as `[before, after]`) or `deleted`. `{"erased":true}` once the person it was about
    /// was erased.
    pub summary: Option<String>,
}

impl From<audit_entry::Model> for AuditEntry {
    fn from(model: audit_entry::Model) -> Self {
        Self {
            key: Key {
                at: model.at,
                id: model.id,
            },
            id: ID(model.id.to_string()),
            at: model.at.into(),
            actor: model.actor,
            operation: model.operation,
            object_type: model.object_type,
            object_id: model.object_id.map(|id| ID(id.to_string())),
            request_id: model.request_id,
            summary: model.summary,
        }
    }
}

/// Which entries to list; every part narrows the list.
#[derive(InputObject, Default)]
pub struct AuditFilter {
    /// Changes of this object (a person, a booking, an event…).
    pub object_id: Option<ID>,
    /// Changes made by this staff account.
    pub user_id: Option<ID>,
    /// Entries at or after this instant.
    pub from: Option<DateTime>,
    /// Entries before this instant.
    pub to: Option<DateTime>,
    /// One operation (`cancelBooking`).
    pub operation: Option<String>,
}

impl TryFrom<AuditFilter> for audit::Filter {
    type Error = crate::error::AppError;

    fn try_from(filter: AuditFilter) -> AppResult<Self> {
        Ok(Self {
            object_id: filter
                .object_id
                .map(|id| parse_id("filter.objectId", &id))
                .transpose()?,
            user_id: filter
                .user_id
                .map(|id| parse_id("filter.userId", &id))
                .transpose()?,
            from: filter.from.map(|t| t.instant),
            to: filter.to.map(|t| t.instant),
            operation: filter.operation,
        })
    }
}

#[derive(Default)]
pub struct AuditQuery;

#[Object]
impl AuditQuery {
    /// The audit trail, newest first: who changed what, when, in which request. MANAGER.
    #[graphql(guard = "Require(Permission::Manage)")]
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        filter: Option<AuditFilter>,
        first: Option<i32>,
        after: Option<String>,
    ) -> AppResult<Page<AuditEntry>> {
        let filter = audit::Filter::try_from(filter.unwrap_or_default())?;
        let window = pagination::window(ctx, first, after.as_deref())?;
        let slice = audit::list(&ctx.state()?.db, &filter, window).await?;
        Ok(pagination::keyed_connection(
            slice.map(AuditEntry::from),
            window,
            |entry| entry.key,
        ))
    }
}

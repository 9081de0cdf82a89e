//! API keys, for the venue's website, a regional agenda or a trusted tool. ADMIN only.

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use lieu_entity::api_key;

use crate::auth::guard::{Permission, Require};
use crate::domain::{Name, parse_id};
use crate::error::{AppError, AppResult};
use crate::graphql::context::ContextExt;
use crate::graphql::scalars::DateTime;
use crate::service::api_keys::{self, NewApiKey};

/// What an API key may do.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(name = "ApiKeyScope", remote = "crate::domain::ApiKeyScope")]
pub enum ApiKeyScope {
    /// What an anonymous caller may do (public events, spaces, free/busy, register), with a
    /// registration rate limit of its own: for a website's pages.
    Public,
    /// A VOLUNTEER's rights, for a trusted tool (a key has no hours of its own to log).
    Volunteer,
    /// A MANAGER's rights, for a trusted tool.
    Manager,
    /// An ADMIN's rights, for a trusted tool.
    Admin,
}

/// An API key, without the key itself (shown once, by `createApiKey`).
#[derive(SimpleObject)]
pub struct ApiKey {
    pub id: ID,
    /// Unique among the keys not revoked; the name the logs and metrics show.
    pub name: String,
    pub scope: ApiKeyScope,
    pub created_at: DateTime,
    /// The last request made with it (recorded at most once a minute).
    pub last_used_at: Option<DateTime>,
    /// After this instant the key fails (UNAUTHENTICATED); null: it does not expire.
    pub expires_at: Option<DateTime>,
    /// A revoked key fails on its next request (UNAUTHENTICATED), on every server.
    pub revoked: bool,
}

impl TryFrom<api_key::Model> for ApiKey {
    type Error = AppError;

    fn try_from(model: api_key::Model) -> AppResult<Self> {
        Ok(Self {
            id: ID(model.id.to_string()),
            scope: api_keys::scope_of(&model)?.into(),
            name: model.name,
            created_at: model.created_at.into(),
            last_used_at: model.last_used_at.map(Into::into),
            expires_at: model.expires_at.map(Into::into),
            revoked: model.revoked_at.is_some(),
        })
    }
}

/// A new API key. Send `key` as `Authorization: Bearer <key>`.
#[derive(SimpleObject)]
pub struct CreatedApiKey {
    /// Shown once: the server keeps only its hash. Keys start with `lieu_key_`.
    pub key: String,
    pub api_key: ApiKey,
}

#[derive(Default)]
pub struct ApiKeyQuery;

#[Object]
impl ApiKeyQuery {
    /// Every API key, revoked ones too, newest first. ADMIN.
    #[graphql(guard = "Require(Permission::Administer)")]
    async fn api_keys(&self, ctx: &Context<'_>) -> AppResult<Vec<ApiKey>> {
        let models = api_keys::list(&ctx.state()?.db).await?;
        models.into_iter().map(ApiKey::try_from).collect()
    }
}

#[derive(Default)]
pub struct ApiKeyMutation;

#[Object]
impl ApiKeyMutation {
    /// Creates an API key; the key is in the answer, once. `name` (required, unique among the
    /// keys not revoked) is what the logs and metrics show. `expiresAt`, when given, must be
    /// in the future (VALIDATION). ADMIN.
    #[graphql(guard = "Require(Permission::Administer)")]
    async fn create_api_key(
        &self,
        ctx: &Context<'_>,
        name: String,
        scope: ApiKeyScope,
        expires_at: Option<DateTime>,
    ) -> AppResult<CreatedApiKey> {
        let input = NewApiKey {
            name: Name::parse("name", &name)?,
            scope: scope.into(),
            expires_at: expires_at.map(|at| at.instant),
        };
        let state = ctx.state()?;
        let created_by = ctx.actor()?.user_id();
        let (key, model) =
            api_keys::create(&state.db, state.clock.now(), created_by, input).await?;
        Ok(CreatedApiKey {
            key,
            api_key: model.try_into()?,
        })
    }

    /// Revokes an API key: its next request, on any server process, is UNAUTHENTICATED.
    /// INVALID_STATE when it is already revoked. ADMIN.
    #[graphql(guard = "Require(Permission::Administer)")]
    async fn revoke_api_key(&self, ctx: &Context<'_>, id: ID) -> AppResult<ApiKey> {
        let id = parse_id("id", &id)?;
        let state = ctx.state()?;
        api_keys::revoke(&state.db, state.clock.now(), id)
            .await?
            .try_into()
    }
}

//! Accounts: login, logout, who am I, and user management for ADMIN.

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use lieu_entity::user;

use crate::auth::guard::{Permission, Require};
use crate::domain::{self, Email, Name, Password};
use crate::error::{AppError, AppResult};
use crate::graphql::context::ContextExt;
use crate::graphql::scalars::DateTime;
use crate::service::accounts;

/// A staff role; each role may do everything the roles below it may.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(name = "Role", remote = "crate::domain::Role")]
pub enum Role {
    /// Users, API keys, sites, volunteer valuation rates, and all the rest.
    Admin,
    /// Spaces and rates, events, money, grants, reports, approvals, erasure.
    Manager,
    /// The front desk: bookings, check-in, people, memberships, volunteer hours.
    Volunteer,
}

/// A staff account.
#[derive(SimpleObject, Clone)]
pub struct User {
    pub id: ID,
    pub email: String,
    pub name: String,
    pub role: Role,
}

impl TryFrom<user::Model> for User {
    type Error = AppError;

    fn try_from(model: user::Model) -> Result<Self, AppError> {
        let role = accounts::role_of(&model)?;
        Ok(Self {
            id: ID(model.id.to_string()),
            email: model.email,
            name: model.name,
            role: role.into(),
        })
    }
}

/// A login session. Send `token` as `Authorization: Bearer <token>`.
#[derive(SimpleObject)]
pub struct Session {
    /// Shown once: the server keeps only its hash.
    pub token: String,
    pub user: User,
    pub expires_at: DateTime,
}

#[derive(InputObject)]
pub struct CreateUserInput {
    pub email: String,
    pub name: String,
    pub role: Role,
    /// At least 10 characters.
    pub password: String,
}

impl TryFrom<CreateUserInput> for accounts::NewUser {
    type Error = AppError;

    fn try_from(input: CreateUserInput) -> AppResult<Self> {
        Ok(Self {
            email: Email::parse("email", &input.email)?,
            name: Name::parse("name", &input.name)?,
            role: domain::Role::from(input.role),
            password: Password::parse(&input.password)?,
        })
    }
}

#[derive(Default)]
pub struct AccountQuery;

#[Object]
impl AccountQuery {
    /// The signed-in user, or null without a valid token.
    async fn me(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        let Some(auth) = ctx.caller().user() else {
            return Ok(None);
        };
        let model = accounts::get_user(&ctx.state()?.db, auth.user_id).await?;
        Ok(Some(model.try_into()?))
    }

    /// Every staff account, by name. ADMIN only.
    #[graphql(guard = "Require(Permission::Administer)")]
    async fn users(&self, ctx: &Context<'_>) -> AppResult<Vec<User>> {
        let models = accounts::list_users(&ctx.state()?.db).await?;
        models.into_iter().map(User::try_from).collect()
    }
}

#[derive(Default)]
pub struct AccountMutation;

#[Object]
impl AccountMutation {
    /// Opens a session. Wrong credentials give UNAUTHENTICATED; too many attempts for one email
    /// or from one address give RATE_LIMITED with `retryAfterSeconds`.
    async fn login(
        &self,
        ctx: &Context<'_>,
        email: String,
        password: String,
    ) -> AppResult<Session> {
        let request = ctx.request()?;
        let outcome =
            accounts::login(&request.state, &email, &password, request.client_addr).await?;
        Ok(Session {
            token: outcome.token,
            user: outcome.user.try_into()?,
            expires_at: outcome.expires_at.into(),
        })
    }

    /// Ends the current session; its token stops working at once.
    async fn logout(&self, ctx: &Context<'_>) -> AppResult<bool> {
        let auth = ctx.caller().require_user()?;
        accounts::logout(&ctx.state()?.db, auth.session_id).await?;
        Ok(true)
    }

    /// Creates a staff account. ADMIN only. The email must not be in use (in any case).
    #[graphql(guard = "Require(Permission::Administer)")]
    async fn create_user(&self, ctx: &Context<'_>, input: CreateUserInput) -> AppResult<User> {
        let new_user = accounts::NewUser::try_from(input)?;
        let state = ctx.state()?;
        let model = accounts::create_user(&state.db, state.clock.now(), new_user).await?;
        model.try_into()
    }
}

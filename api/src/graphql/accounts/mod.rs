//! Accounts: login, logout, who am I, and user management for ADMIN; API keys in `api_keys`.

pub mod api_keys;

use async_graphql::{ComplexObject, Context, Enum, ID, InputObject, Object, SimpleObject};
use lieu_entity::user;

use crate::auth::guard::{Permission, Require};
use crate::domain::{self, Email, Name, Password, parse_id};
use crate::error::{AppError, AppResult};
use crate::graphql::context::ContextExt;
use crate::graphql::loaders::PersonKey;
use crate::graphql::people::Person;
use crate::graphql::scalars::DateTime;
use crate::service::{accounts, volunteering};

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
#[graphql(complex)]
pub struct User {
    pub id: ID,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// False once deactivated: the account cannot sign in.
    pub active: bool,
}

#[ComplexObject]
impl User {
    /// The person this account is (see `linkStaffToPerson`): whose volunteer hours are the
    /// account's own. Null until an admin links one.
    async fn person(&self, ctx: &Context<'_>) -> AppResult<Option<Person>> {
        let user_id = parse_id("id", &self.id)?;
        let Some(person_id) = volunteering::person_of(&ctx.state()?.db, user_id).await? else {
            return Ok(None);
        };
        let row = ctx.loaders()?.people.load_one(PersonKey(person_id)).await?;
        Ok(row.map(Into::into))
    }
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
            active: model.active,
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

    /// Gives a user another role; they keep their sessions, with the new role from their next
    /// request. ADMIN only. Demoting the last active ADMIN is INVALID_STATE.
    #[graphql(guard = "Require(Permission::Administer)")]
    async fn set_user_role(&self, ctx: &Context<'_>, id: ID, role: Role) -> AppResult<User> {
        let id = parse_id("id", &id)?;
        accounts::set_role(&ctx.state()?.db, id, role.into())
            .await?
            .try_into()
    }

    /// Deactivates an account (someone who left): it cannot sign in any more and its sessions
    /// end at once. What it recorded stays. ADMIN only. The last active ADMIN stays
    /// (INVALID_STATE), and so does an account already deactivated.
    #[graphql(guard = "Require(Permission::Administer)")]
    async fn deactivate_user(&self, ctx: &Context<'_>, id: ID) -> AppResult<User> {
        let id = parse_id("id", &id)?;
        accounts::deactivate(&ctx.state()?.db, id).await?.try_into()
    }

    /// Lets a deactivated account sign in again. ADMIN only. INVALID_STATE if it is active.
    #[graphql(guard = "Require(Permission::Administer)")]
    async fn reactivate_user(&self, ctx: &Context<'_>, id: ID) -> AppResult<User> {
        let id = parse_id("id", &id)?;
        accounts::reactivate(&ctx.state()?.db, id).await?.try_into()
    }

    /// Changes the caller's own password. `oldPassword` must be the current one (VALIDATION
    /// otherwise; attempts count like logins); the new one needs at least 10 characters. Every
    /// other session of the caller ends; this one goes on.
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        old_password: String,
        new_password: String,
    ) -> AppResult<bool> {
        let auth = ctx.caller().require_user()?;
        let new = Password::parse_field("newPassword", &new_password)?;
        let request = ctx.request()?;
        accounts::change_password(
            &request.state,
            auth,
            &old_password,
            new,
            request.client_addr,
        )
        .await?;
        Ok(true)
    }
}

//! Webhooks (ADMIN): activity POSTed to a URL as it happens, signed, retried from a durable
//! queue (see `service::webhooks`).

use async_graphql::{ComplexObject, Context, ID, Object, SimpleObject};
use lieu_entity::{webhook, webhook_delivery};

use crate::auth::guard::{Permission, Require};
use crate::domain::parse_id;
use crate::error::{AppError, AppResult};
use crate::graphql::activity::ActivityKind;
use crate::graphql::context::ContextExt;
use crate::graphql::scalars::DateTime;
use crate::service::webhooks::{self, DELIVERIES_DEFAULT, DELIVERIES_MAX, NewWebhook, WebhookUrl};

/// A URL that receives the venue's activity as it happens: each event of its kinds is POSTed
/// as the JSON of an `ActivityEvent`, with the headers `Lieu-Delivery` (an id, the same on
/// each retry), `Lieu-Timestamp` (Unix seconds) and `Lieu-Signature: v1=<hex>`, the
/// HMAC-SHA256 of `<timestamp>.<body>` keyed with the webhook's secret. Reject a timestamp
/// more than 5 minutes old. Failed deliveries (no 2xx within 10 s) are retried with an
/// exponential backoff; after 5 failures in a row the webhook is disabled.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct Webhook {
    pub id: ID,
    pub url: String,
    pub kinds: Vec<ActivityKind>,
    /// False once disabled after repeated failures (`lastError` says why): nothing more is
    /// sent to it; create it again once the receiver is fixed.
    pub active: bool,
    /// The last failure, or why the webhook was disabled; null after a success.
    pub last_error: Option<String>,
    pub created_at: DateTime,
}

impl TryFrom<webhook::Model> for Webhook {
    type Error = AppError;

    fn try_from(model: webhook::Model) -> AppResult<Self> {
        Ok(Self {
            id: ID(model.id.to_string()),
            kinds: webhooks::kinds_of(&model)?
                .into_iter()
                .map(Into::into)
                .collect(),
            url: model.url,
            active: model.active,
            last_error: model.last_error,
            created_at: model.created_at.into(),
        })
    }
}

#[ComplexObject]
impl Webhook {
    /// Its latest deliveries, newest first (`first`: default 20, at most 100). One query per
    /// webhook: a venue has a handful of them, and only ADMIN lists them.
    async fn deliveries(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
    ) -> AppResult<Vec<WebhookDelivery>> {
        let first = match first {
            None => DELIVERIES_DEFAULT,
            Some(n) => u64::try_from(n)
                .map_err(|_| AppError::validation("first", "must not be negative"))?
                .min(DELIVERIES_MAX),
        };
        let id = parse_id("id", &self.id)?;
        webhooks::deliveries(&ctx.state()?.db, id, first)
            .await?
            .into_iter()
            .map(WebhookDelivery::try_from)
            .collect()
    }
}

/// One event sent (or to be sent) to a webhook.
#[derive(SimpleObject)]
pub struct WebhookDelivery {
    /// Sent as `Lieu-Delivery`: a receiver that sees an id twice has the event already.
    pub id: ID,
    pub kind: ActivityKind,
    /// Attempts so far (0: not tried yet).
    pub attempts: i32,
    /// The HTTP status of the last attempt; null before any answer (or when none came).
    pub status: Option<i32>,
    pub delivered: bool,
    pub created_at: DateTime,
    pub delivered_at: Option<DateTime>,
    /// When it is tried again; null once delivered, or when its webhook was disabled.
    pub next_attempt_at: Option<DateTime>,
    /// What went wrong the last time, if it did.
    pub last_error: Option<String>,
}

impl TryFrom<webhook_delivery::Model> for WebhookDelivery {
    type Error = AppError;

    fn try_from(model: webhook_delivery::Model) -> AppResult<Self> {
        Ok(Self {
            id: ID(model.id.to_string()),
            kind: webhooks::kind_of(&model)?.into(),
            attempts: model.attempts,
            status: model.status,
            delivered: model.delivered_at.is_some(),
            created_at: model.created_at.into(),
            delivered_at: model.delivered_at.map(Into::into),
            next_attempt_at: model.next_attempt_at.map(Into::into),
            last_error: model.last_error,
        })
    }
}

/// A new webhook, with its signing secret.
#[derive(SimpleObject)]
pub struct CreatedWebhook {
    /// Shown once: keep it with the receiver, which checks each `Lieu-Signature` with it.
    pub secret: String,
    pub webhook: Webhook,
}

#[derive(Default)]
pub struct WebhookQuery;

#[Object]
impl WebhookQuery {
    /// Every webhook, disabled ones too, oldest first. ADMIN.
    #[graphql(guard = "Require(Permission::Administer)")]
    async fn webhooks(&self, ctx: &Context<'_>) -> AppResult<Vec<Webhook>> {
        let models = webhooks::list(&ctx.state()?.db).await?;
        models.into_iter().map(Webhook::try_from).collect()
    }
}

#[derive(Default)]
pub struct WebhookMutation;

#[Object]
impl WebhookMutation {
    /// Subscribes `url` to activity `kinds` (at least one); the signing secret is in the
    /// answer, once. `url` is https, or http to 127.0.0.1, ::1 or localhost (VALIDATION
    /// otherwise). ADMIN.
    #[graphql(guard = "Require(Permission::Administer)")]
    async fn create_webhook(
        &self,
        ctx: &Context<'_>,
        url: String,
        kinds: Vec<ActivityKind>,
    ) -> AppResult<CreatedWebhook> {
        let input = NewWebhook {
            url: WebhookUrl::parse("url", &url)?,
            kinds: kinds.into_iter().map(Into::into).collect(),
        };
        let state = ctx.state()?;
        let (secret, model) = webhooks::create(&state.db, state.clock.now(), input).await?;
        Ok(CreatedWebhook {
            secret,
            webhook: model.try_into()?,
        })
    }

    /// Deletes a webhook and its deliveries; nothing more is sent to it. ADMIN.
    #[graphql(guard = "Require(Permission::Administer)")]
    async fn delete_webhook(&self, ctx: &Context<'_>, id: ID) -> AppResult<bool> {
        let id = parse_id("id", &id)?;
        webhooks::delete(&ctx.state()?.db, id).await?;
        Ok(true)
    }

    /// Queues a test delivery (an `ActivityEvent` of the webhook's first kind, without ids,
    /// whose summary says it is a test), sent within a second or so; follow it in
    /// `Webhook.deliveries`. INVALID_STATE for a disabled webhook. ADMIN.
    #[graphql(guard = "Require(Permission::Administer)")]
    async fn send_test_delivery(
        &self,
        ctx: &Context<'_>,
        webhook_id: ID,
    ) -> AppResult<WebhookDelivery> {
        let id = parse_id("webhookId", &webhook_id)?;
        let state = ctx.state()?;
        webhooks::send_test(&state.db, &state.activity, state.clock.now(), id)
            .await?
            .try_into()
    }
}

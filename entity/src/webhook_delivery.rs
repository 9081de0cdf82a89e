use sea_orm::entity::prelude::*;

/// One activity event to POST to one webhook: queued in the transaction of the change, sent
/// (and retried) by a server's worker.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_deliveries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub webhook_id: Uuid,
    /// The `ActivityKind` name.
    pub kind: String,
    /// The JSON body, exactly as sent and signed.
    #[sea_orm(column_type = "Text")]
    pub payload: String,
    pub attempts: i32,
    /// The HTTP status of the last attempt; `None` before any answer.
    pub status: Option<i32>,
    pub delivered_at: Option<DateTimeUtc>,
    /// When to try next; `None` once delivered or given up.
    pub next_attempt_at: Option<DateTimeUtc>,
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
    /// A worker that claimed it holds it until then.
    pub claimed_until: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::webhook::Entity",
        from = "Column::WebhookId",
        to = "super::webhook::Column::Id",
        on_delete = "Cascade"
    )]
    Webhook,
}

impl Related<super::webhook::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Webhook.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

use sea_orm::entity::prelude::*;

/// A webhook: deliveries of the chosen activity kinds, signed with `secret`. The secret is
/// kept as is (it signs every delivery) and never returned after creation.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhooks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub url: String,
    /// Comma-separated `ActivityKind` names (`BOOKING_CREATED,CHECKED_IN`).
    pub kinds: String,
    pub secret: String,
    /// False once disabled after repeated failures: nothing more is queued or sent.
    pub active: bool,
    pub consecutive_failures: i32,
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::webhook_delivery::Entity")]
    Deliveries,
}

impl Related<super::webhook_delivery::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Deliveries.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

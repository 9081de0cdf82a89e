use sea_orm::entity::prelude::*;

/// An API key. Only the SHA-256 of the key is stored (as for sessions); a key is revoked by
/// setting `revoked_at`, never deleted.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_keys")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Unique among the keys not revoked; shown in logs and metrics.
    pub name: String,
    /// `PUBLIC`, `VOLUNTEER`, `MANAGER` or `ADMIN`.
    pub scope: String,
    #[sea_orm(unique)]
    pub key_hash: String,
    pub created_at: DateTimeUtc,
    /// Updated at most once a minute per key.
    pub last_used_at: Option<DateTimeUtc>,
    pub expires_at: Option<DateTimeUtc>,
    pub revoked_at: Option<DateTimeUtc>,
    /// The ADMIN who created it (null when created by another key, or the user is gone).
    pub created_by: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

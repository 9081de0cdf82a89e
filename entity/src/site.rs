use sea_orm::entity::prelude::*;

/// A venue (or one building of it). Every local day is computed in its IANA `timezone`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sites")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    pub timezone: String,
    pub address: Option<String>,
    /// The venue's public web page (its agenda), linked from calendar feeds.
    pub public_url: Option<String>,
    /// The commune of reference for the impact report's territories (`44200`).
    pub postal_code: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

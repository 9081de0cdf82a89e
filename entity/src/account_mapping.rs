use sea_orm::entity::prelude::*;

/// Which account of the chart of accounts a kind of money is written to in the FEC.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "account_mappings")]
pub struct Model {
    /// `BANK`, `STREAM:<stream>`, `FUNDER:<funder kind>`, `VOLUNTEERING_EXPENSE`,
    /// `VOLUNTEERING_INCOME`, `IN_KIND_EXPENSE` or `IN_KIND_INCOME`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    /// Digits only (`706`, `7541`).
    pub account: String,
    pub label: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

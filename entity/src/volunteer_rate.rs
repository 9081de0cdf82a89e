use sea_orm::entity::prelude::*;

/// What an hour of volunteering is valued at, from a day on (until the next rate).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "volunteer_rates")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub effective_from: Date,
    pub hourly_cents: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

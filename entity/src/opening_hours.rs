use sea_orm::entity::prelude::*;

/// One opening interval of a site's weekly schedule, in local wall-clock time. A day may have
/// several (morning and afternoon).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "opening_hours")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub site_id: Uuid,
    /// ISO weekday: 1 = Monday … 7 = Sunday.
    pub weekday: i16,
    /// Minutes since local midnight.
    pub opens_minute: i32,
    /// Minutes since local midnight; 1440 is the following midnight.
    pub closes_minute: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

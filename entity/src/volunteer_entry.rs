use sea_orm::entity::prelude::*;

/// Hours a person gave on a local day, for an activity.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "volunteer_entries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub person_id: Uuid,
    pub site_id: Option<Uuid>,
    pub date: Date,
    /// Hundredths of an hour: 1.25 h is 125 (exact).
    pub hours_centi: i64,
    /// FRONT_DESK, EVENTS, MAINTENANCE, GARDEN, CAFE, ADMIN, COMMUNICATION or OTHER.
    pub activity: String,
    pub note: Option<String>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

use sea_orm::entity::prelude::*;

/// A bookable place of a site. A space may have a parent (a hall and its two halves): booking
/// one blocks the other.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "spaces")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub site_id: Uuid,
    pub parent_id: Option<Uuid>,
    pub name: String,
    /// MEETING_ROOM, COWORKING, WORKSHOP, EVENT_HALL, KITCHEN, STUDIO, OUTDOOR, LODGING, OTHER.
    pub kind: String,
    pub capacity: i32,
    pub accessible: bool,
    #[sea_orm(column_type = "Text", nullable)]
    pub description: Option<String>,
    pub requires_approval: bool,
    /// Set-up/clean-up time around each booking, in minutes.
    pub buffer_minutes: i32,
    pub archived_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::site::Entity",
        from = "Column::SiteId",
        to = "super::site::Column::Id"
    )]
    Site,
    #[sea_orm(has_many = "super::space_rate::Entity")]
    Rate,
}

impl Related<super::site::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Site.def()
    }
}

impl Related<super::space_rate::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Rate.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

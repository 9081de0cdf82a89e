use sea_orm::entity::prelude::*;

/// A space reserved for `[starts_at, ends_at)`. PENDING and CONFIRMED bookings hold
/// `booking_block` rows; CANCELLED ones hold none.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bookings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The space's site, kept here so that lists by site need no join.
    pub site_id: Uuid,
    pub space_id: Uuid,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub title: String,
    /// PENDING, CONFIRMED or CANCELLED.
    pub status: String,
    pub person_id: Option<Uuid>,
    pub organization_id: Option<Uuid>,
    /// The tier whose rate priced the booking.
    pub tier: String,
    pub price_cents: i64,
    pub attendees: Option<i32>,
    #[sea_orm(column_type = "Text", nullable)]
    pub notes: Option<String>,
    /// Shared by the occurrences of one `createBookingSeries`.
    pub series_id: Option<Uuid>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub confirmed_at: Option<DateTimeUtc>,
    pub cancelled_at: Option<DateTimeUtc>,
    pub cancel_reason: Option<String>,
    pub paid_at: Option<DateTimeUtc>,
    /// The SPACE_RENTAL revenue recorded when the booking was paid (unique).
    pub revenue_id: Option<Uuid>,
    /// The event this booking reserves the space for (an event holds one booking per space).
    pub event_id: Option<Uuid>,
    /// A free loan of the space (priced at nothing by decision): what it is worth at the
    /// space's PUBLIC rate, reported as an in-kind contribution.
    pub in_kind_cents: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::space::Entity",
        from = "Column::SpaceId",
        to = "super::space::Column::Id"
    )]
    Space,
    #[sea_orm(has_many = "super::booking_block::Entity")]
    Block,
}

impl Related<super::space::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Space.def()
    }
}

impl Related<super::booking_block::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Block.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

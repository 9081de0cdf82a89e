use sea_orm::entity::prelude::*;

/// Something that happens at the venue: a workshop, a concert, a repair café. It reserves its
/// spaces through bookings (`booking.event_id`); a session of a programme has a `parent_id`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub site_id: Uuid,
    /// The programme this event is a session of.
    pub parent_id: Option<Uuid>,
    /// Shared by the occurrences of one `createEventSeries`.
    pub series_id: Option<Uuid>,
    pub title: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub description: Option<String>,
    /// WORKSHOP, TALK, CONCERT, SCREENING, MARKET, REPAIR_CAFE, MEETING, TRAINING, FESTIVAL or
    /// OTHER.
    pub category: String,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    /// Seats; `None` is unlimited.
    pub capacity: Option<i32>,
    pub public: bool,
    /// `None` is free.
    pub price_cents: Option<i64>,
    pub member_price_cents: Option<i64>,
    /// Pay what you can from this amount.
    pub min_price_cents: Option<i64>,
    /// SCHEDULED or CANCELLED.
    pub status: String,
    /// Bumped on every change that calendar clients should pick up (RFC 5545 SEQUENCE).
    pub sequence: i32,
    pub cancelled_at: Option<DateTimeUtc>,
    pub cancel_reason: Option<String>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

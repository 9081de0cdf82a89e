use sea_orm::entity::prelude::*;

/// Someone (or a group) coming to an event. CONFIRMED registrations hold seats; WAITLISTED ones
/// wait in `waitlist_position` order; CANCELLED ones are kept, counted nowhere.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "registrations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub event_id: Uuid,
    /// A person of the venue's records, when known.
    pub person_id: Option<Uuid>,
    /// As given at registration (blank after the person's erasure).
    pub name: String,
    pub email: Option<String>,
    /// The email lower-cased, for "one active registration per email".
    pub email_key: Option<String>,
    pub seats: i32,
    /// CONFIRMED, WAITLISTED or CANCELLED.
    pub status: String,
    /// 1..n among the event's WAITLISTED registrations.
    pub waitlist_position: Option<i32>,
    /// 8 characters without ambiguous letters, printed on the confirmation.
    pub code: String,
    pub checked_in_at: Option<DateTimeUtc>,
    pub paid_at: Option<DateTimeUtc>,
    /// The EVENT_TICKETS revenue of its payment (unique).
    pub revenue_id: Option<Uuid>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub cancelled_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::event::Entity",
        from = "Column::EventId",
        to = "super::event::Column::Id"
    )]
    Event,
    #[sea_orm(
        belongs_to = "super::person::Entity",
        from = "Column::PersonId",
        to = "super::person::Column::Id"
    )]
    Person,
}

impl Related<super::event::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Event.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

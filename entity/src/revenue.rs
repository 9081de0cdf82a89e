use sea_orm::entity::prelude::*;

/// Money the venue earned or received (not grants, which have their own payments). Written by
/// memberships, paid bookings and direct entries.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "revenues")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// SPACE_RENTAL, COWORKING, MEMBERSHIP, EVENT_TICKETS, CAFE_BAR, SERVICES, SALES, DONATION,
    /// SPONSORSHIP or OTHER.
    pub stream: String,
    pub amount_cents: i64,
    /// The local day the money came in.
    pub received_on: Date,
    /// Never holds personal data: erasure must not have to rewrite the ledger.
    pub description: String,
    pub site_id: Option<Uuid>,
    /// The membership this payment is for, if any.
    pub membership_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

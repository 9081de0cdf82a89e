use sea_orm::entity::prelude::*;

/// Money the venue earned or received (not grants, which have their own payments). Written by
/// memberships, paid bookings, tickets and direct entries; corrected by reversing entries, never
/// edited.
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
    /// What it pays for: BOOKING, MEMBERSHIP or REGISTRATION, and its id.
    pub source_kind: Option<String>,
    pub source_id: Option<Uuid>,
    /// For a reversing entry: the revenue it reverses (unique: once).
    pub reversal_of: Option<Uuid>,
    /// On a reversed revenue: when, and why (the reversing entry holds the negative amount).
    pub reversed_at: Option<DateTimeUtc>,
    pub reversal_reason: Option<String>,
    pub created_by: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

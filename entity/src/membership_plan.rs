use sea_orm::entity::prelude::*;

/// A kind of membership on offer. Archived plans are no longer sold but stay on past
/// memberships.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "membership_plans")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    /// The name folded (case and accents); unique among plans not archived.
    pub name_key: String,
    /// ROLLING, CALENDAR_YEAR or SCHOOL_YEAR.
    pub period: String,
    pub period_months: i32,
    pub price_cents: i64,
    /// Set on pay-what-you-can plans: the least accepted amount.
    pub min_price_cents: Option<i64>,
    pub for_organizations: bool,
    pub archived_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::membership::Entity")]
    Membership,
}

impl Related<super::membership::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Membership.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

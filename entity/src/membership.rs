use sea_orm::entity::prelude::*;

/// One paid period of a plan, for a person or for an organization (exactly one of the two).
/// A renewal is a new row whose `previous_id` is the period it follows.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "memberships")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub plan_id: Uuid,
    pub person_id: Option<Uuid>,
    pub organization_id: Option<Uuid>,
    /// First and last local day of the period, both included.
    pub starts_on: Date,
    pub ends_on: Date,
    pub amount_paid_cents: i64,
    pub cancelled_at: Option<DateTimeUtc>,
    pub previous_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::membership_plan::Entity",
        from = "Column::PlanId",
        to = "super::membership_plan::Column::Id"
    )]
    Plan,
    #[sea_orm(
        belongs_to = "super::person::Entity",
        from = "Column::PersonId",
        to = "super::person::Column::Id"
    )]
    Person,
    #[sea_orm(
        belongs_to = "super::organization::Entity",
        from = "Column::OrganizationId",
        to = "super::organization::Column::Id"
    )]
    Organization,
}

impl Related<super::membership_plan::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Plan.def()
    }
}

impl Related<super::person::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Person.def()
    }
}

impl Related<super::organization::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organization.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

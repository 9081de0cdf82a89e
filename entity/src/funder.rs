use sea_orm::entity::prelude::*;

/// Who funds the venue: the State, a Région, a foundation… Reused by name.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "funders")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    /// The name folded (case and accents), unique.
    pub name_key: String,
    /// STATE, REGION, DEPARTMENT, INTERCOMMUNALITY, MUNICIPALITY, EU, FOUNDATION, COMPANY or OTHER.
    pub kind: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

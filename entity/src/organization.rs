use sea_orm::entity::prelude::*;

/// An association, company, public body or collective. `resident` ones are hosted in the
/// venue and get the RESIDENT rate.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organizations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    /// ASSOCIATION, COMPANY, PUBLIC_BODY, COLLECTIVE or OTHER.
    pub kind: String,
    pub resident: bool,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// The name folded to lower-case ASCII, for accent-blind search.
    pub search_text: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
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

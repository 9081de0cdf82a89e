use sea_orm::entity::prelude::*;

/// Someone the venue knows: a member, a visitor, a booker, a volunteer. Erased people keep
/// their row (so that counts and totals hold) with every personal field emptied.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "people")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    /// Lower-cased email; unique when present.
    #[sea_orm(unique)]
    pub email_key: Option<String>,
    pub phone: Option<String>,
    pub postal_code: Option<String>,
    pub birth_year: Option<i32>,
    pub consent_to_contact: bool,
    pub consent_given_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub notes: Option<String>,
    /// First name, last name and email folded to lower-case ASCII, for accent-blind search.
    pub search_text: String,
    pub erased_at: Option<DateTimeUtc>,
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

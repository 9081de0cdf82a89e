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
    /// The first name folded to lower-case ASCII words (`"helene"`): sorting and ranking.
    pub first_key: String,
    /// The last name folded the same way (`"dupre"`).
    pub last_key: String,
    /// Last name, first name and email folded to lower-case ASCII words, for accent-blind search.
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

use sea_orm::entity::prelude::*;

/// A staff account: ADMIN, MANAGER or VOLUNTEER (stored as that string).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// As typed by the person, for display.
    pub email: String,
    /// Lower-cased email; unique, so that `Ana@x.org` and `ana@x.org` are one account.
    #[sea_orm(unique)]
    pub email_key: String,
    pub name: String,
    pub role: String,
    /// argon2id PHC string.
    pub password_hash: String,
    pub created_at: DateTimeUtc,
    /// False once deactivated: the account can no longer sign in, its sessions are gone.
    pub active: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::session::Entity")]
    Session,
}

impl Related<super::session::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Session.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

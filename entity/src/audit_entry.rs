use sea_orm::entity::prelude::*;

/// One audited change: who, which operation, on what, when, in which request. See
/// `lieu_api::service::audit`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_entries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub at: DateTimeUtc,
    /// `user:<email>`, `apikey:<name>` or `anonymous:<address>`.
    pub actor: String,
    pub user_id: Option<Uuid>,
    pub api_key_id: Option<Uuid>,
    /// The GraphQL field name of the mutation (`createPerson`).
    pub operation: String,
    /// The GraphQL type of the object changed (`Person`), when there is one.
    pub object_type: Option<String>,
    pub object_id: Option<Uuid>,
    /// The person whose data `summary` may hold: erasing them scrubs it.
    pub person_id: Option<Uuid>,
    pub request_id: Option<String>,
    /// JSON: the arguments (secrets redacted) and what changed.
    #[sea_orm(column_type = "Text", nullable)]
    pub summary: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

use sea_orm::entity::prelude::*;

/// A grant from the venue's side: asked, awarded (or not), paid in tranches, reported on.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "grants")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub funder_id: Uuid,
    /// The site it is for, when it is for one.
    pub site_id: Option<Uuid>,
    /// "Fabrique de territoire", an AMI, FSE+…
    pub program: Option<String>,
    pub title: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub purpose: Option<String>,
    /// DRAFT, SUBMITTED, AWARDED, REJECTED or CLOSED.
    pub status: String,
    pub amount_requested_cents: i64,
    pub amount_awarded_cents: Option<i64>,
    pub period_start: Date,
    pub period_end: Date,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::funder::Entity",
        from = "Column::FunderId",
        to = "super::funder::Column::Id"
    )]
    Funder,
}

impl ActiveModelBehavior for ActiveModel {}

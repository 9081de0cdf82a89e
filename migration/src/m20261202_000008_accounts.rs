//! The chart of accounts the FEC export follows: which account each revenue stream, each kind of
//! funder, the bank and the voluntary contributions (86/87) are written to. Filled with the
//! usual association chart (règlement ANC 2018-06); an ADMIN edits it to match the
//! accountant's own chart.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AccountMappings {
    Table,
    /// `BANK`, `STREAM:<RevenueStream>`, `FUNDER:<FunderKind>`, `VOLUNTEERING_EXPENSE`…
    Key,
    /// Digits only (`706`, `7541`).
    Account,
    Label,
    UpdatedAt,
}

/// The defaults, as the accountant of a French association expects them.
const DEFAULTS: &[(&str, &str, &str)] = &[
    ("BANK", "512", "Banque"),
    (
        "STREAM:SPACE_RENTAL",
        "706",
        "Prestations de services (locations de salles)",
    ),
    (
        "STREAM:COWORKING",
        "706",
        "Prestations de services (coworking)",
    ),
    ("STREAM:MEMBERSHIP", "756", "Cotisations"),
    (
        "STREAM:EVENT_TICKETS",
        "706",
        "Prestations de services (billetterie)",
    ),
    ("STREAM:CAFE_BAR", "707", "Ventes de marchandises (café)"),
    ("STREAM:SERVICES", "706", "Prestations de services"),
    ("STREAM:SALES", "707", "Ventes de marchandises"),
    ("STREAM:DONATION", "7541", "Dons manuels"),
    ("STREAM:SPONSORSHIP", "7542", "Mécénat"),
    ("STREAM:OTHER", "708", "Produits des activités annexes"),
    ("FUNDER:STATE", "741", "Subventions de l'État"),
    ("FUNDER:REGION", "742", "Subventions de la Région"),
    ("FUNDER:DEPARTMENT", "743", "Subventions du Département"),
    (
        "FUNDER:INTERCOMMUNALITY",
        "744",
        "Subventions des communes et intercommunalités",
    ),
    (
        "FUNDER:MUNICIPALITY",
        "744",
        "Subventions des communes et intercommunalités",
    ),
    ("FUNDER:EU", "746", "Subventions de l'Union européenne"),
    (
        "FUNDER:FOUNDATION",
        "748",
        "Autres subventions (fondations)",
    ),
    ("FUNDER:COMPANY", "748", "Autres subventions (entreprises)"),
    ("FUNDER:OTHER", "748", "Autres subventions"),
    ("VOLUNTEERING_EXPENSE", "864", "Personnel bénévole"),
    ("VOLUNTEERING_INCOME", "875", "Bénévolat"),
    (
        "IN_KIND_EXPENSE",
        "861",
        "Mise à disposition gratuite de biens",
    ),
    ("IN_KIND_INCOME", "871", "Prestations en nature"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AccountMappings::Table)
                    .col(string_len(AccountMappings::Key, 48).primary_key())
                    .col(string_len(AccountMappings::Account, 16))
                    .col(string_len(AccountMappings::Label, 120))
                    .col(timestamp_with_time_zone(AccountMappings::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        let mut insert = Query::insert();
        insert.into_table(AccountMappings::Table).columns([
            AccountMappings::Key,
            AccountMappings::Account,
            AccountMappings::Label,
            AccountMappings::UpdatedAt,
        ]);
        let now = chrono::Utc::now();
        for (key, account, label) in DEFAULTS {
            insert.values_panic([
                (*key).into(),
                (*account).into(),
                (*label).into(),
                now.into(),
            ]);
        }
        manager.exec_stmt(insert).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AccountMappings::Table).to_owned())
            .await
    }
}

//! The chart of accounts the FEC export follows (the exports themselves are files, served over
//! HTTP by `http::exports` and written by `lieu-api export`): MANAGER reads it, ADMIN edits it.

use async_graphql::{Context, Object, SimpleObject};

use crate::auth::guard::{Permission, Require};
use crate::domain::{AccountKey, Name, account_number};
use crate::error::{AppError, AppResult};
use crate::graphql::context::ContextExt;
use crate::graphql::scalars::DateTime;
use crate::service::exports::chart::{self, Mapping};

/// The longest label of an account (the column's width).
const LABEL_MAX: usize = 120;

/// The account of the chart that one kind of money is written to in the FEC.
#[derive(SimpleObject)]
pub struct AccountMapping {
    /// `BANK`, `STREAM:<RevenueStream>` (`STREAM:CAFE_BAR`), `FUNDER:<FunderKind>`
    /// (`FUNDER:REGION`), `VOLUNTEERING_EXPENSE` (864), `VOLUNTEERING_INCOME` (875),
    /// `IN_KIND_EXPENSE` (861) or `IN_KIND_INCOME` (871).
    pub key: String,
    /// The account number (digits only): `512`, `706`, `7541`.
    pub account: String,
    /// The account's name as the accountant's chart says it (`CompteLib` in the FEC).
    pub label: String,
    pub updated_at: DateTime,
}

impl From<Mapping> for AccountMapping {
    fn from(m: Mapping) -> Self {
        Self {
            key: m.key.as_key(),
            account: m.account,
            label: m.label,
            updated_at: DateTime::utc(m.updated_at),
        }
    }
}

#[derive(Default)]
pub struct ExportQuery;

#[Object]
impl ExportQuery {
    /// The chart of accounts of the FEC export (`GET /exports/fec.txt`), in the order bank,
    /// revenue streams, funder kinds, contributions. Filled with the usual association chart
    /// (706 services and rentals, 756 membership fees, 7541 donations, 7542 sponsorship, 74x
    /// grants by funder kind…). A key without an account makes the FEC refused. MANAGER.
    #[graphql(guard = "Require(Permission::Manage)")]
    async fn account_mappings(&self, ctx: &Context<'_>) -> AppResult<Vec<AccountMapping>> {
        let chart = chart::load(&ctx.state()?.db).await?;
        Ok(chart.mappings().cloned().map(Into::into).collect())
    }
}

#[derive(Default)]
pub struct ExportMutation;

#[Object]
impl ExportMutation {
    /// Sets the account of one key of the chart (see `AccountMapping.key`): 3 to 12 digits, in
    /// the key's class (5 for BANK, 7 for streams and funders, 86 for the *_EXPENSE keys, 87
    /// for the *_INCOME ones), with its label. ADMIN.
    #[graphql(guard = "Require(Permission::Administer)")]
    async fn set_account_mapping(
        &self,
        ctx: &Context<'_>,
        key: String,
        account: String,
        label: String,
    ) -> AppResult<AccountMapping> {
        let key = AccountKey::parse("key", &key)?;
        let account = account_number(key, &account)?;
        let label = Name::parse("label", &label)?;
        if label.as_str().chars().count() > LABEL_MAX {
            return Err(AppError::validation(
                "label",
                format!("must be at most {LABEL_MAX} characters"),
            ));
        }
        let state = ctx.state()?;
        let mapping = chart::set_mapping(&state.db, state.clock.now(), key, account, label);
        Ok(mapping.await?.into())
    }
}

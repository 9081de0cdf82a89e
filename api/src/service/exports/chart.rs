//! The chart of accounts the FEC follows: one account per kind of money (see
//! [`AccountKey`]), filled by the migration with the usual association chart and edited by an
//! ADMIN to match the accountant's.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use lieu_entity::account_mapping;
use sea_orm::sea_query::OnConflict;
use sea_orm::{DatabaseConnection, EntityTrait, Set};

use crate::db;
use crate::domain::{AccountKey, Name};
use crate::error::{AppError, AppResult};

/// One account of the chart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mapping {
    pub key: AccountKey,
    pub account: String,
    pub label: String,
    pub updated_at: DateTime<Utc>,
}

/// The chart as the database holds it.
pub struct Chart(BTreeMap<AccountKey, Mapping>);

impl Chart {
    /// Every mapping, in the order of [`AccountKey::all`].
    pub fn mappings(&self) -> impl Iterator<Item = &Mapping> {
        self.0.values()
    }

    pub fn get(&self, key: AccountKey) -> Option<&Mapping> {
        self.0.get(&key)
    }

    /// The mappings of `keys`, or INVALID_STATE naming every one that is missing: an entry
    /// without its account would be written to no account (or a wrong one), so the whole
    /// file is refused instead.
    pub fn require(&self, keys: impl IntoIterator<Item = AccountKey>) -> AppResult<()> {
        let mut missing: Vec<String> = keys
            .into_iter()
            .filter(|k| !self.0.contains_key(k))
            .map(AccountKey::as_key)
            .collect();
        missing.sort();
        missing.dedup();
        if missing.is_empty() {
            return Ok(());
        }
        Err(AppError::InvalidState(format!(
            "the chart of accounts has no account for {}: an ADMIN sets it with \
             setAccountMapping; nothing was exported",
            missing.join(", ")
        )))
    }
}

/// The chart (one statement). A key this version does not know is INTERNAL, as for any
/// stored value (the database was written by a newer version).
pub async fn load(conn: &impl sea_orm::ConnectionTrait) -> AppResult<Chart> {
    let rows = account_mapping::Entity::find().all(conn).await?;
    let mut chart = BTreeMap::new();
    for row in rows {
        let key = AccountKey::parse("key", &row.key).map_err(|_| {
            AppError::internal(anyhow::anyhow!(
                "account_mappings.key holds '{}', which this version does not know",
                row.key
            ))
        })?;
        chart.insert(
            key,
            Mapping {
                key,
                account: row.account,
                label: row.label,
                updated_at: row.updated_at,
            },
        );
    }
    Ok(Chart(chart))
}

/// Sets the account of `key` (validated by the caller), creating the mapping when it is
/// missing. ADMIN.
pub async fn set_mapping(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    key: AccountKey,
    account: String,
    label: Name,
) -> AppResult<Mapping> {
    let txn = db::begin_write(conn).await?;
    account_mapping::Entity::insert(account_mapping::ActiveModel {
        key: Set(key.as_key()),
        account: Set(account.clone()),
        label: Set(label.as_str().to_string()),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(account_mapping::Column::Key)
            .update_columns([
                account_mapping::Column::Account,
                account_mapping::Column::Label,
                account_mapping::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    crate::service::audit::commit(txn).await?;
    Ok(Mapping {
        key,
        account,
        label: label.into_inner(),
        updated_at: now,
    })
}

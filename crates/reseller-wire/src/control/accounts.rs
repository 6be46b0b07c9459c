//! The account documents of the control API: an account, an API key with its
//! scopes, and a pair of the transfer allow-list.

use std::collections::BTreeSet;

use reseller_domain::AccountId;
use reseller_domain::auth::Scope;
use reseller_domain::world::Account;
use serde::{Deserialize, Serialize};

use crate::convert::{opt_guid, req_guid, unknown_enum};
use crate::error::{ConversionError, at, index};

/// An account (`POST /_emulator/accounts`, `accounts` of the seed).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct AccountDoc {
    /// `id`: generated when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(extend("format" = "uuid")))]
    pub id: Option<String>,
    /// `parentAccountId`: present for a sub-account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(extend("format" = "uuid")))]
    pub parent_account_id: Option<String>,
    /// `name`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `strategicPartner` (default `false`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategic_partner: Option<bool>,
}

impl AccountDoc {
    /// The document of an account.
    pub fn from_domain(account: &Account) -> Self {
        Self {
            id: Some(account.id.to_string()),
            parent_account_id: account.parent.map(|p| p.to_string()),
            name: Some(account.name.clone()),
            strategic_partner: Some(account.strategic_partner),
        }
    }

    /// The domain account; `new_id` gives the id when the document has none.
    ///
    /// # Errors
    /// A bad GUID in `id` or `parentAccountId`, with `path` as the root.
    pub fn try_into_domain(
        &self,
        path: &str,
        new_id: impl FnOnce() -> AccountId,
    ) -> Result<Account, ConversionError> {
        let id = opt_guid(&at(path, "id"), self.id.as_ref())?.unwrap_or_else(new_id);
        let parent = opt_guid(
            &at(path, "parentAccountId"),
            self.parent_account_id.as_ref(),
        )?;
        Ok(Account {
            id,
            parent,
            name: self.name.clone().unwrap_or_default(),
            strategic_partner: self.strategic_partner.unwrap_or(false),
        })
    }
}

/// An API key (`POST /_emulator/api-keys` and its answer, `apiKeys` of the seed).
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ApiKeyDoc {
    /// `key`: the key text (generated when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// `accountId` (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(extend("format" = "uuid")))]
    pub account_id: Option<String>,
    /// `scopes`: Wix permission ids; absent means all five, `[]` none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Vec<String>>,
}

impl std::fmt::Debug for ApiKeyDoc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiKeyDoc")
            .field("key", &self.key.as_ref().map(|_| "<redacted>"))
            .field("account_id", &self.account_id)
            .field("scopes", &self.scopes)
            .finish()
    }
}

impl ApiKeyDoc {
    /// The account and scopes of the document (absent scopes: all five).
    ///
    /// # Errors
    /// A missing or bad `accountId`, or a scope that is not a Wix permission id.
    pub fn grant(&self, path: &str) -> Result<(AccountId, BTreeSet<Scope>), ConversionError> {
        let account = req_guid(&at(path, "accountId"), self.account_id.as_ref())?;
        let scopes = match &self.scopes {
            None => Scope::ALL.into_iter().collect(),
            Some(list) => list
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    Scope::parse(s).ok_or_else(|| {
                        unknown_enum(
                            &index(&at(path, "scopes"), i),
                            s,
                            Scope::ALL.iter().map(|s| s.as_str()).collect(),
                        )
                    })
                })
                .collect::<Result<_, _>>()?,
        };
        Ok((account, scopes))
    }

    /// The document of a key.
    pub fn new(key: &str, account: AccountId, scopes: &BTreeSet<Scope>) -> Self {
        Self {
            key: Some(key.to_owned()),
            account_id: Some(account.to_string()),
            scopes: Some(scopes.iter().map(|s| s.as_str().to_owned()).collect()),
        }
    }
}

/// A pair of Wix's transfer allow-list (`POST /_emulator/allowed-transfers`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct AllowedTransferDoc {
    /// `sourceAccountId`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(extend("format" = "uuid")))]
    pub source_account_id: Option<String>,
    /// `targetAccountId`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(extend("format" = "uuid")))]
    pub target_account_id: Option<String>,
}

impl AllowedTransferDoc {
    /// The document of a pair.
    pub fn new(source: AccountId, target: AccountId) -> Self {
        Self {
            source_account_id: Some(source.to_string()),
            target_account_id: Some(target.to_string()),
        }
    }

    /// The `(source, target)` pair.
    ///
    /// # Errors
    /// A missing or bad GUID.
    pub fn pair(&self, path: &str) -> Result<(AccountId, AccountId), ConversionError> {
        Ok((
            req_guid(
                &at(path, "sourceAccountId"),
                self.source_account_id.as_ref(),
            )?,
            req_guid(
                &at(path, "targetAccountId"),
                self.target_account_id.as_ref(),
            )?,
        ))
    }
}

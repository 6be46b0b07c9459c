//! Create Account (`POST /accounts/v1/accounts/create`) and List Child Accounts
//! (`GET /accounts/v1/account/child-accounts`): requests, answers and their
//! conversions to and from [`NewSubAccount`]
//! and [`ChildAccounts`].

use reseller_domain::AccountId;
use reseller_domain::ops::{ChildAccounts, NewSubAccount};
use serde::{Deserialize, Serialize};

use crate::convert::{len_u64, req_guid, required};
use crate::error::{ConversionError, Fields, InvalidRequest, at, index};
use crate::json::null_as_default;
use crate::query::PagingMetadata;

/// `user.email`
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Email {
    /// `emailAddress`: unique.
    #[serde(
        default,
        alias = "email_address",
        skip_serializing_if = "Option::is_none"
    )]
    pub email_address: Option<String>,
    /// `isVerified`: the caller vouches that the address is verified.
    #[serde(
        default,
        alias = "is_verified",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_verified: Option<bool>,
}

/// One `user.ssoIdentities[]` entry (OpenID Connect).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct SsoIdentity {
    /// `ssoId`: the SSO setting id in Wix.
    #[serde(default, alias = "sso_id", skip_serializing_if = "Option::is_none")]
    pub sso_id: Option<String>,
    /// `userId`: the user id at the identity provider.
    #[serde(default, alias = "user_id", skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
}

/// `user.userDetails`
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct UserDetails {
    /// `firstName`
    #[serde(default, alias = "first_name", skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// `lastName`
    #[serde(default, alias = "last_name", skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// `profilePictureUrl`
    #[serde(
        default,
        alias = "profile_picture_url",
        skip_serializing_if = "Option::is_none"
    )]
    pub profile_picture_url: Option<String>,
    /// `language`: ISO 639-1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// `clientIp`: the customer's original IP address.
    #[serde(default, alias = "client_ip", skip_serializing_if = "Option::is_none")]
    pub client_ip: Option<String>,
}

/// `user`: the owner created with the new account.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// `email` (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<Email>,
    /// `ssoIdentities`
    #[serde(
        default,
        alias = "sso_identities",
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::null_as_default::<Vec<SsoIdentity>>")
    )]
    pub sso_identities: Vec<SsoIdentity>,
    /// `userDetails`
    #[serde(
        default,
        alias = "user_details",
        skip_serializing_if = "Option::is_none"
    )]
    pub user_details: Option<UserDetails>,
}

/// Body of Create Account.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CreateAccountRequest {
    /// `user` (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<User>,
    /// `roles`: the user's roles in the new account (default `OWNER`).
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::null_as_default::<Vec<String>>")
    )]
    pub roles: Vec<String>,
}

impl CreateAccountRequest {
    /// The domain command. The address itself (empty, too long, malformed) is
    /// checked by the operation.
    ///
    /// # Errors
    /// [`InvalidRequest`] with `REQUIRED_FIELD` on the first of `user`,
    /// `user.email`, `user.email.emailAddress` that is absent.
    pub fn try_into_domain(&self) -> Result<NewSubAccount, InvalidRequest> {
        let mut fields = Fields::default();
        let email = fields.take(
            required("user", self.user.as_ref())
                .and_then(|u| required("user.email", u.email.as_ref()))
                .and_then(|e| required("user.email.emailAddress", e.email_address.as_ref())),
        );
        fields.finish(email.map(|e| NewSubAccount { email: e.clone() }))
    }

    /// The body that sends `command` (no SSO identities, details or roles).
    pub fn from_domain(command: &NewSubAccount) -> Self {
        Self {
            user: Some(User {
                email: Some(Email {
                    email_address: Some(command.email.clone()),
                    is_verified: None,
                }),
                ..User::default()
            }),
            roles: Vec::new(),
        }
    }
}

/// `{"accountId": "..."}`: an account as Create Account and List Child Accounts
/// name it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct AccountRef {
    /// `accountId`
    #[serde(default, alias = "account_id", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(extend("format" = "uuid")))]
    pub account_id: Option<String>,
}

impl From<AccountId> for AccountRef {
    fn from(id: AccountId) -> Self {
        Self {
            account_id: Some(id.to_string()),
        }
    }
}

/// Answer of Create Account: `{"account": {"accountId": "..."}}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CreateAccountResponse {
    /// `account`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<AccountRef>,
}

impl CreateAccountResponse {
    /// The answer for the new account.
    pub fn from_domain(id: AccountId) -> Self {
        Self {
            account: Some(id.into()),
        }
    }

    /// The new account's id.
    ///
    /// # Errors
    /// [`ConversionError`] on `account` or `account.accountId`.
    pub fn try_into_domain(&self) -> Result<AccountId, ConversionError> {
        let account = required("account", self.account.as_ref())?;
        req_guid("account.accountId", account.account_id.as_ref())
    }
}

/// Answer of List Child Accounts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ListChildAccountsResponse {
    /// `childAccounts` (absent or empty when there are none).
    #[serde(
        default,
        alias = "child_accounts",
        deserialize_with = "null_as_default"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::null_as_default::<Vec<AccountRef>>")
    )]
    pub child_accounts: Vec<AccountRef>,
    /// `pagingMetadata`: `count`, `offset`, `total`, `tooManyToCount`.
    #[serde(
        default,
        alias = "paging_metadata",
        skip_serializing_if = "Option::is_none"
    )]
    pub paging_metadata: Option<PagingMetadata>,
}

impl ListChildAccountsResponse {
    /// The answer for one page.
    pub fn from_domain(page: &ChildAccounts) -> Self {
        Self {
            child_accounts: page
                .accounts
                .iter()
                .copied()
                .map(AccountRef::from)
                .collect(),
            paging_metadata: Some(PagingMetadata::offset_page(
                page.accounts.len(),
                Some(u64::from(page.offset)),
                Some(u64::from(page.total)),
            )),
        }
    }

    /// The domain page. Absent `offset` reads as 0 and absent `total` as the
    /// number of accounts in the page; values beyond `u32` saturate.
    ///
    /// # Errors
    /// [`ConversionError`] on `childAccounts[i].accountId`.
    pub fn try_into_domain(&self) -> Result<ChildAccounts, ConversionError> {
        let accounts = self
            .child_accounts
            .iter()
            .enumerate()
            .map(|(i, a)| {
                req_guid(
                    &at(&index("childAccounts", i), "accountId"),
                    a.account_id.as_ref(),
                )
            })
            .collect::<Result<Vec<AccountId>, _>>()?;
        let meta = self.paging_metadata.clone().unwrap_or_default();
        let saturate = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
        let in_page = len_u64(accounts.len());
        Ok(ChildAccounts {
            offset: saturate(meta.offset.unwrap_or(0)),
            total: saturate(meta.total.unwrap_or(in_page)),
            accounts,
        })
    }
}

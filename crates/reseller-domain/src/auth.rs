//! Who may act on which account: API-key scopes, the account a key may name in
//! `wix-account-id`, and which packages a caller sees through Query Packages.

use std::collections::BTreeSet;
use std::fmt;

use crate::error::Violation;
use crate::ids::AccountId;
use crate::world::WorldView;

/// A Wix permission an API key can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    /// `premium.reseller-package.read`: Get and Query Packages.
    PackagesRead,
    /// `premium.reseller-package.manage`: every package and instance call (implies read).
    PackagesManage,
    /// `b2b-site-management.manage`: Transfer Site.
    SiteTransfer,
    /// `accounts.manage`: Create Account, Get Account, List Child Accounts, Query
    /// Sites, Count Sites.
    AccountsManage,
    /// `domains.manage`: Domain Search and Connected Domains.
    DomainsManage,
}

impl Scope {
    /// Every scope (what a key gets when none are named).
    pub const ALL: [Scope; 5] = [
        Self::PackagesRead,
        Self::PackagesManage,
        Self::SiteTransfer,
        Self::AccountsManage,
        Self::DomainsManage,
    ];

    /// The Wix permission id.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PackagesRead => "premium.reseller-package.read",
            Self::PackagesManage => "premium.reseller-package.manage",
            Self::SiteTransfer => "b2b-site-management.manage",
            Self::AccountsManage => "accounts.manage",
            Self::DomainsManage => "domains.manage",
        }
    }

    /// Parses a permission id.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Whether holding `self` grants `needed`.
    pub fn grants(self, needed: Scope) -> bool {
        self == needed || (self == Self::PackagesManage && needed == Self::PackagesRead)
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What an API key is: the account it belongs to and the scopes it holds. The key
/// text itself is never part of this type.
// An adapter internal: public only because the adapters (adapter-memory) build on
// it; no reseller's backend needs it, so it stays out of the documented API.
#[doc(hidden)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// The account the key belongs to.
    pub account: AccountId,
    /// The scopes it holds.
    pub scopes: BTreeSet<Scope>,
}

impl Grant {
    /// A key of `account` with every scope.
    pub fn full(account: AccountId) -> Self {
        Self {
            account,
            scopes: Scope::ALL.into_iter().collect(),
        }
    }

    /// Whether the key holds (or implies) `needed`.
    pub fn has(&self, needed: Scope) -> bool {
        self.scopes.iter().any(|s| s.grants(needed))
    }
}

/// An authorized caller: the key's account and the account named in
/// `wix-account-id` (the account the call acts on).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Caller {
    /// The account the API key belongs to.
    pub key_account: AccountId,
    /// The `wix-account-id` header.
    pub account: AccountId,
}

/// How an unknown header account is reported: `ACCOUNT_NOT_FOUND` (404) everywhere
/// except Transfer Site, which keeps Wix's `TARGET_ACCOUNT_ID_NOT_FOUND` (428).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnknownAccount {
    /// 404 `ACCOUNT_NOT_FOUND`
    AccountNotFound,
    /// 428 `TARGET_ACCOUNT_ID_NOT_FOUND`
    TargetAccountNotFound,
}

/// Checks a key against the header account and the scope a call needs.
///
/// Rules, in order: the header account must exist; the key's account must be the
/// header account or its parent (a key never acts on a sibling or on its parent);
/// the key must hold the scope.
///
/// # Errors
/// `ACCOUNT_NOT_FOUND` / `TARGET_ACCOUNT_ID_NOT_FOUND` for an unknown header account,
/// `PERMISSION_DENIED` otherwise.
pub fn authorize(
    world: &impl WorldView,
    grant: &Grant,
    header_account: AccountId,
    needed: Scope,
    unknown: UnknownAccount,
) -> Result<Caller, Violation> {
    let Some(account) = world.account(header_account) else {
        return Err(match unknown {
            UnknownAccount::AccountNotFound => Violation::AccountNotFound {
                account: header_account,
            },
            UnknownAccount::TargetAccountNotFound => Violation::TargetAccountNotFound {
                target: header_account,
            },
        });
    };
    if grant.account != account.id && Some(grant.account) != account.parent {
        return Err(Violation::PermissionDenied {
            reason: format!(
                "The API key's account `{}` may not act on account `{}`.",
                grant.account, header_account
            ),
        });
    }
    if !grant.has(needed) {
        return Err(Violation::PermissionDenied {
            reason: format!("The API key lacks the permission `{needed}`."),
        });
    }
    Ok(Caller {
        key_account: grant.account,
        account: header_account,
    })
}

/// Which accounts' packages a caller sees through Query Packages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    /// The whole family under this main account (the main account and its subs).
    Family(AccountId),
}

impl Visibility {
    /// R3.1 as Wix words it: Query Packages answers the header account's whole
    /// family (its top-level account and every sub-account), whichever key of the
    /// family may act for the header account ("responses remain consistent across
    /// API keys"); an `accountId` filter narrows it. A sub-account's key therefore
    /// sees its siblings' packages, as on Wix: a customer-facing read must filter by
    /// `accountId` itself. [`authorize`] still refuses a key acting for a sibling.
    pub fn of(world: &impl WorldView, caller: &Caller) -> Self {
        Self::Family(world.top_of(caller.account))
    }

    /// Whether packages of `account` are visible.
    pub fn includes(&self, world: &impl WorldView, account: AccountId) -> bool {
        match self {
            Self::Family(top) => world.top_of(account) == *top,
        }
    }
}

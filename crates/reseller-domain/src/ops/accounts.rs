//! Create Account (a sub-account under the header account) and List Child Accounts.

use super::{Changes, DomainEvent, Done, NewId};
use crate::auth::Caller;
use crate::error::{Refusal, RuleType, Violation};
use crate::ids::AccountId;
use crate::world::{Account, WorldView};

/// The longest e-mail address accepted (RFC 5321 path limit).
pub const MAX_EMAIL_CHARS: usize = 254;

/// Create Account's `user`: the owner of the new sub-account.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NewSubAccount {
    /// `user.email.emailAddress`
    pub email: String,
}

/// Create Account: a new sub-account whose parent is the header account. Accounts
/// are one level deep, so only a main account may create one. A new account is made
/// even when the e-mail is already known (as on Wix).
///
/// # Errors
/// A 400 field violation on `user.email.emailAddress` (empty, over 254 characters,
/// not of the form `local@domain`); `PERMISSION_DENIED` when the header account is
/// itself a sub-account; `ACCOUNT_NOT_FOUND` when it does not exist.
pub fn create_sub_account(
    world: &impl WorldView,
    caller: &Caller,
    cmd: &NewSubAccount,
    new_id: NewId<'_>,
) -> Result<Done<AccountId>, Refusal> {
    const FIELD: &str = "user.email.emailAddress";
    let email = cmd.email.trim();
    let len = email.chars().count();
    if len == 0 {
        return Err(Violation::field(
            FIELD,
            RuleType::RequiredField,
            "an e-mail address is required",
        )
        .into());
    }
    if len > MAX_EMAIL_CHARS {
        return Err(Violation::field(
            FIELD,
            RuleType::MaxLength,
            format!("at most {MAX_EMAIL_CHARS} characters, got {len}"),
        )
        .into());
    }
    let well_formed = email.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && !domain.is_empty()
            && !domain.contains('@')
            && !email.chars().any(|c| c.is_whitespace() || c.is_control())
    });
    if !well_formed {
        return Err(Violation::field(FIELD, RuleType::Format, "not an e-mail address").into());
    }
    let Some(parent) = world.account(caller.account) else {
        return Err(Violation::AccountNotFound {
            account: caller.account,
        }
        .into());
    };
    if parent.parent.is_some() {
        return Err(Violation::PermissionDenied {
            reason: "Sub-accounts are one level deep: only a main account can create one."
                .to_owned(),
        }
        .into());
    }
    let id = AccountId::from_uuid(new_id());
    let account = Account {
        id,
        parent: Some(parent.id),
        name: email.to_owned(),
        strategic_partner: false,
    };
    Ok(Done {
        answer: id,
        changes: Changes {
            accounts: vec![account],
            events: vec![DomainEvent::AccountCreated {
                account: id,
                parent: parent.id,
            }],
            ..Changes::default()
        },
    })
}

/// One page of List Child Accounts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildAccounts {
    /// `childAccounts[].accountId`, in id order.
    pub accounts: Vec<AccountId>,
    /// `pagingMetadata.offset`
    pub offset: u32,
    /// `pagingMetadata.total`
    pub total: u32,
}

/// Default `paging.limit` of List Child Accounts.
pub const CHILD_ACCOUNTS_DEFAULT_LIMIT: u32 = 20;
/// Maximum `paging.limit` of List Child Accounts.
pub const CHILD_ACCOUNTS_MAX_LIMIT: u32 = 50;

/// List Child Accounts: the header account's direct sub-accounts, offset paging
/// (`limit` default 20, max 50; 0 means the default).
///
/// # Errors
/// A 400 field violation (`MAX`) on `paging.limit` above 50; `ACCOUNT_NOT_FOUND`.
pub fn list_child_accounts(
    world: &impl WorldView,
    caller: &Caller,
    offset: Option<u32>,
    limit: Option<u32>,
) -> Result<ChildAccounts, Refusal> {
    let limit = match limit {
        None | Some(0) => CHILD_ACCOUNTS_DEFAULT_LIMIT,
        Some(n) if n > CHILD_ACCOUNTS_MAX_LIMIT => {
            return Err(Violation::field(
                "paging.limit",
                RuleType::Max,
                format!("at most {CHILD_ACCOUNTS_MAX_LIMIT}, got {n}"),
            )
            .into());
        }
        Some(n) => n,
    };
    if world.account(caller.account).is_none() {
        return Err(Violation::AccountNotFound {
            account: caller.account,
        }
        .into());
    }
    let mut children: Vec<AccountId> = world
        .child_accounts(caller.account)
        .into_iter()
        .map(|a| a.id)
        .collect();
    children.sort();
    let total = u32::try_from(children.len()).unwrap_or(u32::MAX);
    let offset = offset.unwrap_or(0);
    let accounts = children
        .into_iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .collect();
    Ok(ChildAccounts {
        accounts,
        offset,
        total,
    })
}

/// Get Account's answer: `{"account": {"accountId", "slug", "accountName"}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountInfo {
    /// `accountId`
    pub id: AccountId,
    /// `slug`: the prefix of a free site's URL ([`account_slug`]).
    pub slug: String,
    /// `accountName`
    pub name: String,
}

/// The slug of an account: the words of its name (runs of letters and digits),
/// lower case, joined by hyphens; `user-` and the id's first eight characters when
/// the name has no word.
pub fn account_slug(account: &Account) -> String {
    let lower = account.name.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        let id = account.id.to_string();
        format!("user-{}", id.get(..8).unwrap_or(&id))
    } else {
        words.join("-")
    }
}

/// Get Account: readable with a key of the account itself or of its parent.
///
/// # Errors
/// `ACCOUNT_NOT_FOUND` (404) for an unknown account and for any account the
/// caller's key is neither of nor the parent of (nothing tells the two apart).
pub fn get_account(
    world: &impl WorldView,
    caller: &Caller,
    id: AccountId,
) -> Result<AccountInfo, Refusal> {
    let readable = world
        .account(id)
        .filter(|a| a.id == caller.key_account || a.parent == Some(caller.key_account));
    let Some(account) = readable else {
        return Err(Violation::AccountNotFound { account: id }.into());
    };
    Ok(AccountInfo {
        id: account.id,
        slug: account_slug(account),
        name: account.name.clone(),
    })
}

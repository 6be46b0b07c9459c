//! Create Account and List Child Accounts (spec `wix-accounts-and-sites.md`
//! sections 2, 3 and 6, and the decisions on e-mails, depth and order).

use reseller_domain::ops::NewSubAccount;
use reseller_domain::{AccountId, ErrorCode, RuleType};
use reseller_ports::{Accounts, ChildAccountsPaging, ResellerPackages, Seed};

use crate::expect::{invalid_fields, ok, refused};
use crate::fixture::*;

fn email(address: &str) -> NewSubAccount {
    NewSubAccount {
        email: address.to_owned(),
    }
}

fn paging(offset: Option<u32>, limit: Option<u32>) -> ChildAccountsPaging {
    ChildAccountsPaging { offset, limit }
}

/// Create Account makes the header account the parent of a new account, which the
/// main key may then act on; a known e-mail still makes a new account.
pub async fn create_account_makes_a_sub_account_of_the_header_account(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let new = ok(
        "Create Account",
        fx.main
            .create_sub_account(&on(MAIN), &email("owner@customer.example"))
            .await,
    );
    assert!(
        ![MAIN, SUB1, SUB2, OTHER].contains(&new),
        "a new account id"
    );
    let children = ok(
        "List Child Accounts",
        fx.main
            .list_child_accounts(&on(MAIN), paging(None, None))
            .await,
    );
    assert!(children.accounts.contains(&new), "{children:?}");
    assert_eq!(children.total, 3);
    let grandchildren = ok(
        "List Child Accounts of the new account",
        fx.main
            .list_child_accounts(&on(new), paging(None, None))
            .await,
    );
    assert!(grandchildren.accounts.is_empty());
    let p = ok(
        "Create Package on the new account",
        fx.main
            .create_package(&on(new), &create(vec![item(ASCEND, None)]))
            .await,
    );
    assert_eq!(p.account_id(), new);
    let again = ok(
        "Create Account with a known e-mail",
        fx.main
            .create_sub_account(&on(MAIN), &email("owner@customer.example"))
            .await,
    );
    assert_ne!(again, new, "a known e-mail still makes a new account");
}

/// Decision: accounts are one level deep; Create Account acting on a sub-account
/// is 403 `PERMISSION_DENIED` and creates nothing.
pub async fn create_account_from_a_sub_account_is_permission_denied(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let before = fx.snapshot().await;
    refused(
        "the main key creating under SUB1",
        fx.main
            .create_sub_account(&on(SUB1), &email("grandchild@customer.example"))
            .await,
        ErrorCode::PermissionDenied,
    );
    refused(
        "SUB1's key creating under itself",
        fx.sub1
            .create_sub_account(&on(SUB1), &email("grandchild@customer.example"))
            .await,
        ErrorCode::PermissionDenied,
    );
    fx.assert_unchanged(&before, "Create Account under a sub-account")
        .await;
}

/// Decision: the e-mail is required, at most 254 characters, `local@domain`
/// without spaces: 400 field violations on `user.email.emailAddress`.
pub async fn create_account_checks_the_email(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let before = fx.snapshot().await;
    let long = format!("{}@x.example", "a".repeat(260));
    for (address, rule) in [
        ("", RuleType::RequiredField),
        (long.as_str(), RuleType::MaxLength),
        ("no-at-sign", RuleType::Format),
        ("a@", RuleType::Format),
        ("@b", RuleType::Format),
        ("a b@c.example", RuleType::Format),
    ] {
        invalid_fields(
            &format!("Create Account with e-mail {address:?}"),
            fx.main.create_sub_account(&on(MAIN), &email(address)).await,
            &[("user.email.emailAddress", rule)],
        );
    }
    fx.assert_unchanged(&before, "Create Account with a bad e-mail")
        .await;
}

/// List Child Accounts: the direct sub-accounts, by id (decision), with offset
/// paging and `total`; a limit over 50 is a 400 field violation (`MAX`) on
/// `paging.limit`.
pub async fn list_child_accounts_pages_direct_children(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let page = ok(
        "List Child Accounts",
        fx.main
            .list_child_accounts(&on(MAIN), paging(None, None))
            .await,
    );
    assert_eq!(page.accounts, [SUB1, SUB2], "the children, by id");
    assert_eq!((page.offset, page.total), (0, 2));
    let page = ok(
        "offset 1 limit 1",
        fx.main
            .list_child_accounts(&on(MAIN), paging(Some(1), Some(1)))
            .await,
    );
    assert_eq!(page.accounts, [SUB2]);
    assert_eq!((page.offset, page.total), (1, 2));
    for (account, client) in [(SUB1, &fx.main), (OTHER, &fx.other)] {
        let page = ok(
            "List Child Accounts of an account without children",
            client
                .list_child_accounts(&on(account), paging(None, None))
                .await,
        );
        assert!(page.accounts.is_empty(), "{account} has no children");
        assert_eq!(page.total, 0);
    }
    invalid_fields(
        "limit 51",
        fx.main
            .list_child_accounts(&on(MAIN), paging(None, Some(51)))
            .await,
        &[("paging.limit", RuleType::Max)],
    );
    ok(
        "limit 50",
        fx.main
            .list_child_accounts(&on(MAIN), paging(None, Some(50)))
            .await,
    );
}

/// Spec section 3: List Child Accounts pages 20 accounts by default.
pub async fn list_child_accounts_default_limit_is_20(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let mut all: Vec<AccountId> = vec![SUB1, SUB2];
    for n in 0..19 {
        all.push(ok(
            "Create Account",
            fx.main
                .create_sub_account(&on(MAIN), &email(&format!("customer{n}@example.com")))
                .await,
        ));
    }
    all.sort();
    let first = ok(
        "List Child Accounts",
        fx.main
            .list_child_accounts(&on(MAIN), paging(None, None))
            .await,
    );
    assert_eq!(first.total, 21);
    assert_eq!(first.accounts.as_slice(), &all[..20]);
    let rest = ok(
        "List Child Accounts from 20",
        fx.main
            .list_child_accounts(&on(MAIN), paging(Some(20), None))
            .await,
    );
    assert_eq!(rest.accounts.as_slice(), &all[20..]);
}

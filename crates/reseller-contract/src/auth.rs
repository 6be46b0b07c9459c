//! Authentication and authorization on every port (emulator's choices): 401
//! `UNAUTHENTICATED` for an unknown key, 404 `ACCOUNT_NOT_FOUND` (Transfer Site:
//! 428 `TARGET_ACCOUNT_ID_NOT_FOUND`) for an unknown `wix-account-id`, and 403
//! `PERMISSION_DENIED` when the key's account is neither the header account nor
//! its parent, or the key lacks the scope. A refused call changes nothing.

use reseller_domain::ops::{Adjust, NewSubAccount};
use reseller_domain::query::PackageQuery;
use reseller_domain::{AccountId, ErrorCode, ExternalId, InstanceId, PackageId};
use reseller_ports::{ChildAccountsPaging, PortError, ResellerPackages, Seed, SitesQuery, Wix};

use crate::expect::{first, ok, refused};
use crate::fixture::*;
use crate::transfer::transfer;

/// Calls that need `premium.reseller-package.read`.
const READ: [&str; 2] = ["Get Package", "Query Packages"];
/// Calls that need `premium.reseller-package.manage`.
const MANAGE: [&str; 7] = [
    "Create Package",
    "Cancel Package",
    "Assign Product Instance",
    "Unassign Product Instance",
    "Cancel Product Instance",
    "Adjust Product Instance",
    "Update Package External Id",
];
/// Calls that need `b2b-site-management.manage`.
const TRANSFER: [&str; 1] = ["Transfer Site"];
/// Calls that need `accounts.manage`.
const ACCOUNTS: [&str; 3] = ["Create Account", "List Child Accounts", "Query Sites"];

fn every_call() -> impl Iterator<Item = &'static str> {
    READ.into_iter()
        .chain(MANAGE)
        .chain(TRANSFER)
        .chain(ACCOUNTS)
}

/// What a call acts on: a package and one of its instances.
#[derive(Clone, Copy)]
struct Target {
    package: PackageId,
    instance: InstanceId,
}

/// Makes the call named `name` with `client`, acting on `account`.
async fn call(
    client: &dyn Wix,
    account: AccountId,
    name: &str,
    target: Target,
) -> Result<(), PortError> {
    let c = on(account);
    match name {
        "Get Package" => client.get_package(&c, target.package).await.map(drop),
        "Query Packages" => {
            let query = PackageQuery::new(None, Vec::new(), Vec::new()).expect("a query");
            client.query_packages(&c, &query).await.map(drop)
        }
        "Create Package" => client
            .create_package(&c, &create(vec![item(ASCEND, None)]))
            .await
            .map(drop),
        "Cancel Package" => client.cancel_package(&c, target.package).await.map(drop),
        "Assign Product Instance" => client
            .assign_instance(&c, target.instance, MAIN_SPARE)
            .await
            .map(drop),
        "Unassign Product Instance" => client
            .unassign_instance(&c, target.instance)
            .await
            .map(drop),
        "Cancel Product Instance" => client.cancel_instance(&c, target.instance).await.map(drop),
        "Adjust Product Instance" => {
            let adjust = Adjust {
                catalog_product_id: Some(PLAN_VIP),
                billing: None,
                discount_code: None,
            };
            client
                .adjust_instance(&c, target.instance, &adjust)
                .await
                .map(drop)
        }
        "Update Package External Id" => {
            let external = ExternalId::new("renamed").expect("an external id");
            client
                .update_external_id(&c, target.package, &external)
                .await
                .map(drop)
        }
        "Transfer Site" => client
            .transfer_site(&c, &transfer(MAIN_SPARE, MAIN))
            .await
            .map(drop),
        "Create Account" => {
            let request = NewSubAccount {
                email: "owner@customer.example".to_owned(),
            };
            client.create_sub_account(&c, &request).await.map(drop)
        }
        "List Child Accounts" => client
            .list_child_accounts(&c, ChildAccountsPaging::default())
            .await
            .map(drop),
        "Query Sites" => client
            .query_sites(&c, &SitesQuery::default())
            .await
            .map(drop),
        other => panic!("no call named {other}"),
    }
}

async fn main_target(fx: &Fixture<'_>) -> Target {
    let (p, plan) = fx.plan(MAIN, Some(MAIN_SITE)).await;
    Target {
        package: p.id(),
        instance: plan,
    }
}

/// Emulator's choices: a key that was never issued is 401 `UNAUTHENTICATED` on
/// every port.
pub async fn an_unknown_key_is_unauthenticated_401(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let target = main_target(&fx).await;
    let before = fx.snapshot().await;
    for name in every_call() {
        refused(
            &format!("{name} with an unknown key"),
            call(&*fx.bogus, MAIN, name, target).await,
            ErrorCode::Unauthenticated,
        );
    }
    fx.assert_unchanged(&before, "calls with an unknown key")
        .await;
}

/// Emulator's choices: a `wix-account-id` that names no account is 404
/// `ACCOUNT_NOT_FOUND`; Transfer Site keeps Wix's 428 `TARGET_ACCOUNT_ID_NOT_FOUND`.
pub async fn an_unknown_header_account_is_account_not_found_404(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let target = main_target(&fx).await;
    let before = fx.snapshot().await;
    for name in every_call() {
        let code = if name == "Transfer Site" {
            ErrorCode::TargetAccountIdNotFound
        } else {
            ErrorCode::AccountNotFound
        };
        refused(
            &format!("{name} acting on an unknown account"),
            call(&*fx.main, UNKNOWN_ACCOUNT, name, target).await,
            code,
        );
    }
    fx.assert_unchanged(&before, "calls on an unknown account")
        .await;
}

/// Spec 1.1 and 6, emulator's choices: a key acts on its own account or, for a
/// main account's key, on a sub-account; a sibling, the parent or another family
/// is 403 `PERMISSION_DENIED` on every port.
pub async fn a_key_acts_only_on_its_own_account_or_a_sub_account(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let target = main_target(&fx).await;
    let before = fx.snapshot().await;
    let pairs: [(&str, &dyn Wix, AccountId); 5] = [
        ("the main key on OTHER", &*fx.main, OTHER),
        ("SUB1's key on its sibling", &*fx.sub1, SUB2),
        ("SUB1's key on its parent", &*fx.sub1, MAIN),
        ("OTHER's key on MAIN", &*fx.other, MAIN),
        ("OTHER's key on SUB1", &*fx.other, SUB1),
    ];
    for (who, client, account) in pairs {
        for name in every_call() {
            refused(
                &format!("{name}: {who}"),
                call(client, account, name, target).await,
                ErrorCode::PermissionDenied,
            );
        }
    }
    fx.assert_unchanged(&before, "calls on a foreign account")
        .await;
    let (p, _) = fx.plan(SUB1, None).await;
    ok(
        "the main key on a sub-account",
        fx.main.get_package(&on(SUB1), p.id()).await,
    );
    ok(
        "SUB1's key on itself",
        fx.sub1.get_package(&on(SUB1), p.id()).await,
    );
}

/// Emulator's choices: each call needs its scope (403 `PERMISSION_DENIED`
/// without); `premium.reseller-package.manage` implies read; a key without scopes
/// can do nothing.
pub async fn scopes_are_checked_and_manage_implies_read(seed: &dyn Seed) {
    let fx = Fixture::new(seed).await;
    let target = main_target(&fx).await;
    let before = fx.snapshot().await;
    let refusals: [(&str, &dyn Wix, Vec<&str>); 3] = [
        (
            "a read-only key",
            &*fx.main_read,
            MANAGE.into_iter().chain(TRANSFER).chain(ACCOUNTS).collect(),
        ),
        (
            "a manage-only key",
            &*fx.main_manage,
            TRANSFER.into_iter().chain(ACCOUNTS).collect(),
        ),
        (
            "a key without scopes",
            &*fx.main_none,
            every_call().collect(),
        ),
    ];
    for (who, client, names) in refusals {
        for name in names {
            refused(
                &format!("{name} with {who}"),
                call(client, MAIN, name, target).await,
                ErrorCode::PermissionDenied,
            );
        }
    }
    fx.assert_unchanged(&before, "calls without the scope")
        .await;
    for (who, client) in [
        ("a read-only key", &*fx.main_read),
        ("a manage-only key", &*fx.main_manage),
    ] {
        for name in READ {
            ok(
                &format!("{name} with {who}"),
                call(client, MAIN, name, target).await,
            );
        }
    }
    let p = ok(
        "Create Package with a manage-only key",
        fx.main_manage
            .create_package(&on(SUB1), &create(vec![item(ASCEND, None)]))
            .await,
    );
    ok(
        "Cancel Product Instance with a manage-only key",
        fx.main_manage.cancel_instance(&on(SUB1), first(&p)).await,
    );
}

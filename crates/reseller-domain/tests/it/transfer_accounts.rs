//! Site transfer (T1-T9), authorization, Query visibility, idempotency, and the
//! sub-account operations.

use reseller_domain::auth::*;
use reseller_domain::idempotency::{self, Decision, KeyScope, Record};
use reseller_domain::ops::*;
use reseller_domain::*;

use crate::fixture::*;

fn transfer(site: SiteId, source: AccountId) -> SiteTransfer {
    SiteTransfer {
        site,
        source_account: source,
        enable_notifications: false,
    }
}

fn partner(target: AccountId) -> Caller {
    Caller {
        key_account: MAIN,
        account: target,
    }
}

#[test]
fn t8_an_allowed_transfer_moves_the_site_to_the_header_account() {
    let mut w = world();
    let t = transfer(MAIN_SITE, MAIN);
    let done = transfer_site(&w, &partner(SUB1), &t, later(1)).unwrap();
    assert_eq!(done.answer, t, "the request's siteTransfer is echoed");
    assert_eq!(
        done.changes.events,
        [DomainEvent::SiteTransferred {
            site: MAIN_SITE,
            from: MAIN,
            to: SUB1
        }]
    );
    w.apply(&done.changes);
    assert_eq!(w.sites[&MAIN_SITE].owner, SUB1);
    // From now on the Resellers API sees the new owner.
    let mut ids = Ids::new();
    buy(
        &mut w,
        &mut ids,
        SUB1,
        vec![item(PLAN_UNLIMITED, Some(MAIN_SITE))],
    );
}

#[test]
fn t4_unknown_target_is_target_account_id_not_found_428() {
    let r = transfer_site(
        &world(),
        &partner(UNKNOWN_ACCOUNT),
        &transfer(MAIN_SITE, MAIN),
        later(1),
    )
    .unwrap_err();
    assert_eq!(codes(&r)[0], "TARGET_ACCOUNT_ID_NOT_FOUND");
    assert_eq!(r.primary().http_status(), 428);
    assert_eq!(r.primary().to_string(), "Target account wasn't found.");
}

#[test]
fn t1_only_strategic_partners_transfer() {
    let mut w = world();
    w.allowed_transfers.insert((OTHER, OTHER));
    let c = Caller {
        key_account: OTHER,
        account: OTHER,
    };
    let r = transfer_site(&w, &c, &transfer(OTHER_SITE, OTHER), later(1)).unwrap_err();
    assert_eq!(codes(&r), ["PERMISSION_DENIED"]);
    assert_eq!(r.primary().http_status(), 403);
}

#[test]
fn t1a_a_sub_accounts_key_never_transfers_and_nothing_moves() {
    let mut w = world();
    // SUB1 -> SUB2 is allowed, the site is SUB1's, the key acts for SUB2 (its own
    // account) or for SUB1 (its sibling, refused by authorize anyway): still 403.
    w.allowed_transfers.insert((SUB1, SUB1));
    for target in [SUB2, SUB1] {
        let c = Caller {
            key_account: SUB1,
            account: target,
        };
        let r = transfer_site(&w, &c, &transfer(SUB1_SITE, SUB1), later(1)).unwrap_err();
        assert_eq!(codes(&r), ["PERMISSION_DENIED"], "target {target}");
        assert_eq!(r.primary().http_status(), 403);
        assert!(r.primary().to_string().contains("main account"));
    }
    assert_eq!(w.site(SUB1_SITE).map(|s| s.owner), Some(SUB1));
    // The main account's key moves the same site.
    let c = Caller {
        key_account: MAIN,
        account: SUB2,
    };
    assert!(transfer_site(&w, &c, &transfer(SUB1_SITE, SUB1), later(1)).is_ok());
}

#[test]
fn t3_a_pair_off_the_allow_list_is_site_transfer_not_allowed_403() {
    // SUB2 -> SUB1 is not on the standard allow-list (SUB1 -> SUB2 is).
    let r = transfer_site(
        &world(),
        &partner(SUB1),
        &transfer(SUB2_SITE, SUB2),
        later(1),
    )
    .unwrap_err();
    assert_eq!(codes(&r), ["SITE_TRANSFER_NOT_ALLOWED"]);
    assert_eq!(r.primary().http_status(), 403);
    assert_eq!(
        r.primary().to_string(),
        format!("Site transfer isn't allowed for `{SUB2}` and `{SUB1}`.")
    );
}

#[test]
fn t5_a_site_not_in_the_source_account_is_site_not_found_400() {
    let r = transfer_site(
        &world(),
        &partner(SUB1),
        &transfer(SUB2_SITE, MAIN),
        later(1),
    )
    .unwrap_err();
    assert_eq!(codes(&r), ["SITE_NOT_FOUND"]);
    assert_eq!(r.primary().http_status(), 400);
    assert_eq!(r.primary().code(), ErrorCode::TransferSiteNotFound);
    let r = transfer_site(
        &world(),
        &partner(SUB1),
        &transfer(UNKNOWN_SITE, MAIN),
        later(1),
    )
    .unwrap_err();
    assert_eq!(codes(&r), ["SITE_NOT_FOUND"]);
}

#[test]
fn t6_a_site_with_a_live_reseller_instance_is_not_transferable_until_canceled() {
    let mut w = world();
    let mut ids = Ids::new();
    let p = buy(
        &mut w,
        &mut ids,
        MAIN,
        vec![item(PLAN_UNLIMITED, Some(MAIN_SITE))],
    );
    let r = transfer_site(&w, &partner(SUB1), &transfer(MAIN_SITE, MAIN), later(1)).unwrap_err();
    assert_eq!(codes(&r), ["SITE_TRANSFER_NOT_SUPPORTED"]);
    assert_eq!(r.primary().http_status(), 428);
    assert_eq!(
        r.primary().to_string(),
        "Site transfer isn't supported for sites with paid Wix services."
    );
    // Wix's remedy (F5): cancel, transfer, create again in the target.
    let done = cancel_package(&w, &caller(MAIN), p.id(), later(2));
    apply(&mut w, done);
    let done = transfer_site(&w, &partner(SUB1), &transfer(MAIN_SITE, MAIN), later(3));
    apply(&mut w, done);
    buy(
        &mut w,
        &mut ids,
        SUB1,
        vec![item(PLAN_UNLIMITED, Some(MAIN_SITE))],
    );
}

#[test]
fn t6_external_paid_services_block_a_transfer_and_floating_instances_do_not() {
    let mut w = world();
    w.allowed_transfers.insert((MAIN, SUB2));
    let r = transfer_site(&w, &partner(SUB1), &transfer(MAIN_PAID, MAIN), later(1)).unwrap_err();
    let Violation::SiteTransferNotSupported {
        external_services,
        instances,
        ..
    } = r.primary()
    else {
        panic!("{r}")
    };
    assert_eq!(external_services.len(), 1);
    assert!(instances.is_empty());
    buy(
        &mut w,
        &mut Ids::new(),
        MAIN,
        vec![item(PLAN_UNLIMITED, None)],
    );
    let done = transfer_site(&w, &partner(SUB2), &transfer(MAIN_SPARE, MAIN), later(1));
    apply(&mut w, done);
}

#[test]
fn transfer_eligibility_returns_every_reason() {
    let mut w = world();
    let mut ids = Ids::new();
    buy(
        &mut w,
        &mut ids,
        SUB2,
        vec![item(PLAN_UNLIMITED, Some(SUB2_SITE))],
    );
    let c = Caller {
        key_account: OTHER,
        account: SUB1,
    };
    let reasons: Vec<_> = transfer_eligibility(&w, &c, &transfer(SUB2_SITE, SUB2))
        .iter()
        .map(|v| v.code())
        .collect();
    assert_eq!(
        reasons,
        [
            ErrorCode::PermissionDenied,
            ErrorCode::SiteTransferNotAllowed,
            ErrorCode::SiteTransferNotSupported
        ]
    );
    assert!(transfer_eligibility(&w, &partner(SUB1), &transfer(MAIN_SITE, MAIN)).is_empty());
}

#[test]
fn t9_a_transfer_within_one_account_changes_nothing_when_allowed() {
    let mut w = world();
    w.allowed_transfers.insert((SUB1, SUB1));
    let done = transfer_site(&w, &partner(SUB1), &transfer(SUB1_SITE, SUB1), later(1)).unwrap();
    assert!(done.changes.is_empty());
    w.allowed_transfers.clear();
    let r = transfer_site(&w, &partner(SUB1), &transfer(SUB1_SITE, SUB1), later(1)).unwrap_err();
    assert_eq!(codes(&r), ["SITE_TRANSFER_NOT_ALLOWED"]);
}

#[test]
fn a_key_acts_on_its_own_account_or_a_sub_account_with_its_scopes() {
    let w = world();
    let main_key = Grant::full(MAIN);
    let unknown = UnknownAccount::AccountNotFound;
    for target in [MAIN, SUB1, SUB2] {
        let c = authorize(&w, &main_key, target, Scope::PackagesManage, unknown).unwrap();
        assert_eq!(
            c,
            Caller {
                key_account: MAIN,
                account: target
            }
        );
    }
    let r = authorize(&w, &main_key, OTHER, Scope::PackagesRead, unknown).unwrap_err();
    assert_eq!(r.code(), ErrorCode::PermissionDenied);
    let sub_key = Grant::full(SUB1);
    assert!(authorize(&w, &sub_key, SUB1, Scope::PackagesRead, unknown).is_ok());
    for target in [SUB2, MAIN] {
        let r = authorize(&w, &sub_key, target, Scope::PackagesRead, unknown).unwrap_err();
        assert_eq!(r.http_status(), 403);
    }
    let r = authorize(&w, &main_key, UNKNOWN_ACCOUNT, Scope::PackagesRead, unknown).unwrap_err();
    assert_eq!(r.code(), ErrorCode::AccountNotFound);
    let r = authorize(
        &w,
        &main_key,
        UNKNOWN_ACCOUNT,
        Scope::SiteTransfer,
        UnknownAccount::TargetAccountNotFound,
    )
    .unwrap_err();
    assert_eq!(r.code(), ErrorCode::TargetAccountIdNotFound);
}

#[test]
fn scopes_are_checked_and_manage_implies_read() {
    let w = world();
    let unknown = UnknownAccount::AccountNotFound;
    let manage = Grant {
        account: MAIN,
        scopes: [Scope::PackagesManage].into(),
    };
    assert!(authorize(&w, &manage, MAIN, Scope::PackagesRead, unknown).is_ok());
    assert_eq!(
        authorize(&w, &manage, MAIN, Scope::SiteTransfer, unknown)
            .unwrap_err()
            .code(),
        ErrorCode::PermissionDenied
    );
    let read = Grant {
        account: MAIN,
        scopes: [Scope::PackagesRead].into(),
    };
    assert!(authorize(&w, &read, MAIN, Scope::PackagesManage, unknown).is_err());
    let none = Grant {
        account: MAIN,
        scopes: Default::default(),
    };
    assert!(authorize(&w, &none, MAIN, Scope::PackagesRead, unknown).is_err());
    for s in Scope::ALL {
        assert_eq!(Scope::parse(s.as_str()), Some(s));
    }
}

#[test]
fn r3_1_visibility_is_the_header_accounts_family_whichever_key() {
    let w = world();
    let main_on_sub = Visibility::of(
        &w,
        &Caller {
            key_account: MAIN,
            account: SUB1,
        },
    );
    assert_eq!(main_on_sub, Visibility::Family(MAIN));
    for a in [MAIN, SUB1, SUB2] {
        assert!(main_on_sub.includes(&w, a));
    }
    assert!(!main_on_sub.includes(&w, OTHER));
    let sub = Visibility::of(
        &w,
        &Caller {
            key_account: SUB1,
            account: SUB1,
        },
    );
    assert_eq!(
        sub, main_on_sub,
        "responses remain consistent across API keys"
    );
    for a in [MAIN, SUB1, SUB2] {
        assert!(sub.includes(&w, a), "Wix answers the whole family");
    }
    assert!(!sub.includes(&w, OTHER));
}

#[test]
fn idempotency_replays_the_same_request_and_refuses_another_for_24_hours() {
    let scope = KeyScope {
        account: SUB1,
        operation: "cancel-package",
        key: IdempotencyKey::new("k-1").unwrap(),
    };
    let rec = Record {
        request: "req-a",
        answer: 42,
        at: now(),
    };
    assert_eq!(
        idempotency::decide::<&str, i32>(&scope, None, &"req-a", now()).unwrap(),
        Decision::Apply
    );
    assert_eq!(
        idempotency::decide(&scope, Some(&rec), &"req-a", later(1)).unwrap(),
        Decision::Replay(42)
    );
    let r = idempotency::decide(&scope, Some(&rec), &"req-b", later(1)).unwrap_err();
    assert_eq!(r.code(), ErrorCode::IdempotencyKeyReused);
    assert_eq!(r.http_status(), 409);
    let day = idempotency::KEY_TTL_MILLIS;
    assert_eq!(
        idempotency::decide(&scope, Some(&rec), &"req-a", later(day - 1)).unwrap(),
        Decision::Replay(42)
    );
    assert_eq!(
        idempotency::decide(&scope, Some(&rec), &"req-b", later(day)).unwrap(),
        Decision::Apply
    );
}

#[test]
fn create_account_makes_a_sub_account_of_a_main_account_only() {
    let mut w = world();
    let mut ids = Ids::new();
    let cmd = NewSubAccount {
        email: "owner@customer.example".into(),
    };
    let done = create_sub_account(&w, &caller(MAIN), &cmd, &mut || ids.next()).unwrap();
    w.apply(&done.changes);
    assert_eq!(w.accounts[&done.answer].parent, Some(MAIN));
    // The same e-mail again: a new account all the same (as on Wix).
    let again = create_sub_account(&w, &caller(MAIN), &cmd, &mut || ids.next()).unwrap();
    assert_ne!(again.answer, done.answer);
    let r = create_sub_account(&w, &caller(SUB1), &cmd, &mut || ids.next()).unwrap_err();
    assert_eq!(r.code(), ErrorCode::PermissionDenied);
    for bad in [
        "",
        "no-at-sign",
        "a@",
        "@b",
        "a b@c",
        &format!("{}@x.example", "a".repeat(260)),
    ] {
        let r = create_sub_account(
            &w,
            &caller(MAIN),
            &NewSubAccount { email: bad.into() },
            &mut || ids.next(),
        )
        .unwrap_err();
        let Violation::InvalidFields(f) = r.primary() else {
            panic!("{bad}: {r}")
        };
        assert_eq!(f[0].field, "user.email.emailAddress");
    }
}

#[test]
fn list_child_accounts_pages_direct_children() {
    let w = world();
    let page = list_child_accounts(&w, &caller(MAIN), None, None).unwrap();
    let mut expected = vec![SUB1, SUB2];
    expected.sort();
    assert_eq!(page.accounts, expected);
    assert_eq!((page.offset, page.total), (0, 2));
    let page = list_child_accounts(&w, &caller(MAIN), Some(1), Some(1)).unwrap();
    assert_eq!(page.accounts.len(), 1);
    assert_eq!(page.total, 2);
    assert!(
        list_child_accounts(&w, &caller(SUB1), None, None)
            .unwrap()
            .accounts
            .is_empty()
    );
    let r = list_child_accounts(&w, &caller(MAIN), None, Some(51)).unwrap_err();
    let Violation::InvalidFields(f) = r.primary() else {
        panic!()
    };
    assert_eq!(
        (f[0].field.as_str(), f[0].rule),
        ("paging.limit", RuleType::Max)
    );
    assert_eq!(
        list_child_accounts(&w, &caller(MAIN), None, Some(50))
            .unwrap()
            .accounts
            .len(),
        2
    );
}

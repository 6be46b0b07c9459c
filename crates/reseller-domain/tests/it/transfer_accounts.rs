//! Site transfer (T1-T9), authorization, Query visibility, idempotency, and the
//! sub-account operations.

use reseller_domain::auth::*;
use reseller_domain::idempotency::{self, Decision, KeyScope, Record};
use reseller_domain::ops::*;
use reseller_domain::*;

use crate::fixture::*;

fn transfer(s: u128, source: u128) -> SiteTransfer {
    SiteTransfer {
        site: site(s),
        source_account: acc(source),
        enable_notifications: false,
    }
}

fn partner(target: u128) -> Caller {
    Caller {
        key_account: acc(MAIN),
        account: acc(target),
    }
}

#[test]
fn t8_an_allowed_transfer_moves_the_site_to_the_header_account() {
    let mut w = world();
    let t = transfer(1, MAIN);
    let done = transfer_site(&w, &partner(SUB1), &t, later(1)).unwrap();
    assert_eq!(done.answer, t, "the request's siteTransfer is echoed");
    assert_eq!(
        done.changes.events,
        [DomainEvent::SiteTransferred {
            site: site(1),
            from: acc(MAIN),
            to: acc(SUB1)
        }]
    );
    w.apply(&done.changes);
    assert_eq!(w.sites[&site(1)].owner, acc(SUB1));
    // From now on the Resellers API sees the new owner.
    let mut ids = Ids::new();
    buy(
        &mut w,
        &mut ids,
        SUB1,
        vec![product_on(PLAN_UNLIMITED, Some(1))],
    );
}

#[test]
fn t4_unknown_target_is_target_account_id_not_found_428() {
    let r = transfer_site(&world(), &partner(77), &transfer(1, MAIN), later(1)).unwrap_err();
    assert_eq!(codes(&r)[0], "TARGET_ACCOUNT_ID_NOT_FOUND");
    assert_eq!(r.primary().http_status(), 428);
    assert_eq!(r.primary().to_string(), "Target account wasn't found.");
}

#[test]
fn t1_only_strategic_partners_transfer() {
    let mut w = world();
    w.allowed_transfers.insert((acc(OTHER), acc(OTHER)));
    let c = Caller {
        key_account: acc(OTHER),
        account: acc(OTHER),
    };
    let r = transfer_site(&w, &c, &transfer(31, OTHER), later(1)).unwrap_err();
    assert_eq!(codes(&r), ["PERMISSION_DENIED"]);
    assert_eq!(r.primary().http_status(), 403);
}

#[test]
fn t1a_a_sub_accounts_key_never_transfers_and_nothing_moves() {
    let mut w = world();
    // SUB1 -> SUB2 is allowed, the site is SUB1's, the key acts for SUB2 (its own
    // account) or for SUB1 (its sibling, refused by authorize anyway): still 403.
    w.allowed_transfers.insert((acc(SUB1), acc(SUB1)));
    for target in [SUB2, SUB1] {
        let c = Caller {
            key_account: acc(SUB1),
            account: acc(target),
        };
        let r = transfer_site(&w, &c, &transfer(11, SUB1), later(1)).unwrap_err();
        assert_eq!(codes(&r), ["PERMISSION_DENIED"], "target {target}");
        assert_eq!(r.primary().http_status(), 403);
        assert!(r.primary().to_string().contains("main account"));
    }
    assert_eq!(w.site(site(11)).map(|s| s.owner), Some(acc(SUB1)));
    // The main account's key moves the same site.
    let c = Caller {
        key_account: acc(MAIN),
        account: acc(SUB2),
    };
    assert!(transfer_site(&w, &c, &transfer(11, SUB1), later(1)).is_ok());
}

#[test]
fn t3_a_pair_off_the_allow_list_is_site_transfer_not_allowed_403() {
    let r = transfer_site(&world(), &partner(SUB2), &transfer(1, MAIN), later(1)).unwrap_err();
    assert_eq!(codes(&r), ["SITE_TRANSFER_NOT_ALLOWED"]);
    assert_eq!(r.primary().http_status(), 403);
    assert_eq!(
        r.primary().to_string(),
        format!(
            "Site transfer isn't allowed for `{}` and `{}`.",
            acc(MAIN),
            acc(SUB2)
        )
    );
}

#[test]
fn t5_a_site_not_in_the_source_account_is_site_not_found_400() {
    let r = transfer_site(&world(), &partner(SUB1), &transfer(21, MAIN), later(1)).unwrap_err();
    assert_eq!(codes(&r), ["SITE_NOT_FOUND"]);
    assert_eq!(r.primary().http_status(), 400);
    assert_eq!(r.primary().code(), ErrorCode::TransferSiteNotFound);
    let r = transfer_site(&world(), &partner(SUB1), &transfer(99, MAIN), later(1)).unwrap_err();
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
        vec![product_on(PLAN_UNLIMITED, Some(1))],
    );
    let r = transfer_site(&w, &partner(SUB1), &transfer(1, MAIN), later(1)).unwrap_err();
    assert_eq!(codes(&r), ["SITE_TRANSFER_NOT_SUPPORTED"]);
    assert_eq!(r.primary().http_status(), 428);
    assert_eq!(
        r.primary().to_string(),
        "Site transfer isn't supported for sites with paid Wix services."
    );
    // Wix's remedy (F5): cancel, transfer, create again in the target.
    let done = cancel_package(&w, &caller(MAIN), p.id(), later(2));
    apply(&mut w, done);
    let done = transfer_site(&w, &partner(SUB1), &transfer(1, MAIN), later(3));
    apply(&mut w, done);
    buy(
        &mut w,
        &mut ids,
        SUB1,
        vec![product_on(PLAN_UNLIMITED, Some(1))],
    );
}

#[test]
fn t6_external_paid_services_block_a_transfer_and_floating_instances_do_not() {
    let mut w = world();
    w.allowed_transfers.insert((acc(MAIN), acc(SUB2)));
    let r = transfer_site(&w, &partner(SUB1), &transfer(3, MAIN), later(1)).unwrap_err();
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
        vec![product_on(PLAN_UNLIMITED, None)],
    );
    let done = transfer_site(&w, &partner(SUB2), &transfer(2, MAIN), later(1));
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
        vec![product_on(PLAN_UNLIMITED, Some(21))],
    );
    let c = Caller {
        key_account: acc(OTHER),
        account: acc(SUB1),
    };
    let reasons: Vec<_> = transfer_eligibility(&w, &c, &transfer(21, SUB2))
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
    assert!(transfer_eligibility(&w, &partner(SUB1), &transfer(1, MAIN)).is_empty());
}

#[test]
fn t9_a_transfer_within_one_account_changes_nothing_when_allowed() {
    let mut w = world();
    w.allowed_transfers.insert((acc(SUB1), acc(SUB1)));
    let done = transfer_site(&w, &partner(SUB1), &transfer(11, SUB1), later(1)).unwrap();
    assert!(done.changes.is_empty());
    w.allowed_transfers.clear();
    let r = transfer_site(&w, &partner(SUB1), &transfer(11, SUB1), later(1)).unwrap_err();
    assert_eq!(codes(&r), ["SITE_TRANSFER_NOT_ALLOWED"]);
}

#[test]
fn a_key_acts_on_its_own_account_or_a_sub_account_with_its_scopes() {
    let w = world();
    let main_key = Grant::full(acc(MAIN));
    let unknown = UnknownAccount::AccountNotFound;
    for target in [MAIN, SUB1, SUB2] {
        let c = authorize(&w, &main_key, acc(target), Scope::PackagesManage, unknown).unwrap();
        assert_eq!(
            c,
            Caller {
                key_account: acc(MAIN),
                account: acc(target)
            }
        );
    }
    let r = authorize(&w, &main_key, acc(OTHER), Scope::PackagesRead, unknown).unwrap_err();
    assert_eq!(r.code(), ErrorCode::PermissionDenied);
    let sub_key = Grant::full(acc(SUB1));
    assert!(authorize(&w, &sub_key, acc(SUB1), Scope::PackagesRead, unknown).is_ok());
    for target in [SUB2, MAIN] {
        let r = authorize(&w, &sub_key, acc(target), Scope::PackagesRead, unknown).unwrap_err();
        assert_eq!(r.http_status(), 403);
    }
    let r = authorize(&w, &main_key, acc(77), Scope::PackagesRead, unknown).unwrap_err();
    assert_eq!(r.code(), ErrorCode::AccountNotFound);
    let r = authorize(
        &w,
        &main_key,
        acc(77),
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
        account: acc(MAIN),
        scopes: [Scope::PackagesManage].into(),
    };
    assert!(authorize(&w, &manage, acc(MAIN), Scope::PackagesRead, unknown).is_ok());
    assert_eq!(
        authorize(&w, &manage, acc(MAIN), Scope::SiteTransfer, unknown)
            .unwrap_err()
            .code(),
        ErrorCode::PermissionDenied
    );
    let read = Grant {
        account: acc(MAIN),
        scopes: [Scope::PackagesRead].into(),
    };
    assert!(authorize(&w, &read, acc(MAIN), Scope::PackagesManage, unknown).is_err());
    let none = Grant {
        account: acc(MAIN),
        scopes: Default::default(),
    };
    assert!(authorize(&w, &none, acc(MAIN), Scope::PackagesRead, unknown).is_err());
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
            key_account: acc(MAIN),
            account: acc(SUB1),
        },
    );
    assert_eq!(main_on_sub, Visibility::Family(acc(MAIN)));
    for a in [MAIN, SUB1, SUB2] {
        assert!(main_on_sub.includes(&w, acc(a)));
    }
    assert!(!main_on_sub.includes(&w, acc(OTHER)));
    let sub = Visibility::of(
        &w,
        &Caller {
            key_account: acc(SUB1),
            account: acc(SUB1),
        },
    );
    assert_eq!(
        sub, main_on_sub,
        "responses remain consistent across API keys"
    );
    for a in [MAIN, SUB1, SUB2] {
        assert!(sub.includes(&w, acc(a)), "Wix answers the whole family");
    }
    assert!(!sub.includes(&w, acc(OTHER)));
}

#[test]
fn idempotency_replays_the_same_request_and_refuses_another_for_24_hours() {
    let scope = KeyScope {
        account: acc(SUB1),
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
    assert_eq!(w.accounts[&done.answer].parent, Some(acc(MAIN)));
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
    let mut expected = vec![acc(SUB1), acc(SUB2)];
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

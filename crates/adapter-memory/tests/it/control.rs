//! The in-memory Wix's own choices: automatic and manual provisioning, seeding
//! refusals, Query Sites paging and `premium`, the clock, keys.

use crate::common::*;
use adapter_memory::{Credentials, MemoryWix, SITES_MAX_LIMIT};
use reseller_domain::query::{Paging, QueryError, Value};
use reseller_domain::world::Account;
use reseller_domain::{ErrorCode, InstanceStatus, SiteId, StatusName};
use reseller_ports::{ErrorKind, NewSite, Provisioning, SitesQuery};

#[tokio::test]
async fn auto_provisioning_enables_at_the_first_call_after_the_delay_and_dates_it_then() {
    let s = seeded(
        id(1),
        Provisioning::Auto {
            delay_millis: 1_000,
        },
    )
    .await;
    let cred = Credentials {
        key: &s.keys[0],
        account: MAIN,
    };
    let p = s
        .wix
        .create_package(cred, None, &create(vec![item(PLAN_VIP, Some(MAIN_SITE))]))
        .await
        .unwrap();
    assert_eq!(p.instances()[0].status(), &InstanceStatus::Pending);
    s.clock.advance_millis(999);
    let still = s.wix.get_package(cred, p.id()).await.unwrap();
    assert_eq!(still.instances()[0].status(), &InstanceStatus::Pending);
    s.clock.advance_millis(500);
    let on = s.wix.get_package(cred, p.id()).await.unwrap();
    assert_eq!(on.instances()[0].status(), &InstanceStatus::Enabled);
    // Dated when the change was made visible, so a poller's watermark never skips it.
    assert_eq!(on.updated(), start().plus_millis(1_499));
    assert!(s.wix.site_info(MAIN_SITE).await.unwrap().premium);
}

#[tokio::test]
async fn with_no_delay_the_create_answer_is_pending_and_the_next_call_sees_enabled() {
    let s = seeded(id(1), Provisioning::Auto { delay_millis: 0 }).await;
    let cred = Credentials {
        key: &s.keys[0],
        account: MAIN,
    };
    let p = s
        .wix
        .create_package(cred, None, &create(vec![item(PLAN_VIP, None)]))
        .await
        .unwrap();
    assert_eq!(p.instances()[0].status().name(), StatusName::Pending);
    let next = s.wix.get_package(cred, p.id()).await.unwrap();
    assert_eq!(next.instances()[0].status().name(), StatusName::Enabled);
}

#[tokio::test]
async fn manual_provisioning_waits_for_an_explicit_move_and_switching_back_schedules() {
    let s = seeded(id(1), Provisioning::Manual).await;
    let cred = Credentials {
        key: &s.keys[0],
        account: MAIN,
    };
    let p = s
        .wix
        .create_package(
            cred,
            None,
            &create(vec![item(PLAN_VIP, None), item(MAILBOX, None)]),
        )
        .await
        .unwrap();
    s.clock.advance_millis(60_000);
    let same = s.wix.get_package(cred, p.id()).await.unwrap();
    assert!(
        same.instances()
            .iter()
            .all(|i| i.status().name() == StatusName::Pending)
    );
    let moved = s
        .wix
        .set_instance_status(p.instances()[0].id(), InstanceStatus::AwaitingAction)
        .await
        .unwrap();
    assert_eq!(
        moved.instances()[0].status().name(),
        StatusName::AwaitingAction
    );
    let illegal = s
        .wix
        .set_instance_status(p.instances()[0].id(), InstanceStatus::Pending)
        .await
        .unwrap_err();
    assert_eq!(illegal.status(), Some(409));
    assert_eq!(illegal.code(), &ErrorCode::IllegalStatusTransition);
    // Back to automatic: the PENDING instance (not the AWAITING_ACTION one) is enabled.
    s.wix
        .set_provisioning(Provisioning::Auto { delay_millis: 0 })
        .await
        .unwrap();
    let after = s.wix.get_package(cred, p.id()).await.unwrap();
    assert_eq!(
        after.instances()[0].status().name(),
        StatusName::AwaitingAction
    );
    assert_eq!(after.instances()[1].status().name(), StatusName::Enabled);
}

#[tokio::test]
async fn seeding_refuses_duplicates_unknown_owners_and_grandchildren() {
    let s = seeded(id(1), Provisioning::Manual).await;
    let dup = s.wix.add_account(accounts()[0].clone()).await.unwrap_err();
    assert_eq!((dup.status(), dup.kind()), (Some(409), ErrorKind::Conflict));
    let grandchild = Account {
        id: account(77),
        parent: Some(SUB1),
        name: "too deep".into(),
        strategic_partner: false,
    };
    let deep = s.wix.add_account(grandchild).await.unwrap_err();
    assert_eq!(deep.kind(), ErrorKind::InvalidInput);
    assert_eq!(deep.field_violations()[0].field, "parentAccountId");
    let orphan = s
        .wix
        .add_site(&NewSite::new(site(99), account(88), "nowhere"))
        .await
        .unwrap_err();
    assert_eq!(orphan.code(), &ErrorCode::AccountNotFound);
    let twice = s
        .wix
        .add_site(&NewSite::new(MAIN_SITE, MAIN, "again"))
        .await
        .unwrap_err();
    assert_eq!(twice.status(), Some(409));
    let nokey = s
        .wix
        .add_api_key(account(88), None, None)
        .await
        .unwrap_err();
    assert_eq!(nokey.code(), &ErrorCode::AccountNotFound);
    assert!(s.wix.invariant_violations().is_empty());
    assert_eq!(s.wix.accounts().len(), 4);
}

#[tokio::test]
async fn an_unknown_key_is_unauthenticated_and_keys_never_show() {
    let s = seeded(id(1), Provisioning::Manual).await;
    let wrong = reseller_ports::ApiKey::new("not-a-key");
    let cred = Credentials {
        key: &wrong,
        account: MAIN,
    };
    let e = s
        .wix
        .get_package(cred, reseller_domain::PackageId::from_uuid(id(5)))
        .await
        .unwrap_err();
    assert_eq!(
        (e.status(), e.code()),
        (Some(401), &ErrorCode::Unauthenticated)
    );
    let client = s.wix.client(s.keys[0].clone(), MAIN);
    let shown = format!("{client:?} {:?}", s.wix);
    assert!(!shown.contains(s.keys[0].expose()), "{shown}");
}

#[tokio::test]
async fn query_sites_pages_with_sealed_cursors() {
    let s = seeded(id(1), Provisioning::Manual).await;
    for n in 0..7u128 {
        s.wix
            .add_site(&NewSite::new(site(500 + n), SUB2, format!("shop-{n}")))
            .await
            .unwrap();
    }
    let cred = Credentials {
        key: &s.keys[0],
        account: SUB2,
    };
    let mut seen: Vec<SiteId> = Vec::new();
    let mut q = SitesQuery::new(None, vec![], vec![cursor_paging(Some(3), None)]).unwrap();
    loop {
        let page = s.wix.query_sites(cred, &q).await.unwrap();
        assert!(page.sites.len() <= 3);
        seen.extend(page.sites.iter().map(|x| x.id));
        match page.next_cursor {
            Some(c) => {
                q = SitesQuery::next_page(c, Some(3));
            }
            None => break,
        }
    }
    let mut want: Vec<SiteId> = s.wix.sites(Some(SUB2)).iter().map(|x| x.id).collect();
    want.sort();
    seen.sort();
    assert_eq!(seen, want);
    assert_eq!(seen.len(), 8);

    // An id filter travels inside the cursor.
    let ids = vec![site(500), site(502), site(504), SUB2_SITE];
    let first = s
        .wix
        .query_sites(
            cred,
            &SitesQuery::new(
                Some(Value::object([(
                    "id",
                    Value::object([(
                        "$in",
                        Value::array(ids.iter().map(|i| Value::from(i.to_string()))),
                    )]),
                )])),
                vec![],
                vec![cursor_paging(Some(2), None)],
            )
            .unwrap(),
        )
        .await
        .unwrap();
    let second = s
        .wix
        .query_sites(
            cred,
            &SitesQuery::next_page(first.next_cursor.clone().unwrap(), Some(2)),
        )
        .await
        .unwrap();
    let mut got: Vec<SiteId> = first
        .sites
        .iter()
        .chain(&second.sites)
        .map(|x| x.id)
        .collect();
    got.sort();
    let mut ids_sorted = ids.clone();
    ids_sorted.sort();
    assert_eq!(got, ids_sorted);
    assert!(second.next_cursor.is_none());

    // Tampered, foreign, or with a filter: INVALID_CURSOR.
    let cursor = first.next_cursor.unwrap();
    let mut tampered = cursor.clone().into_bytes();
    let last = tampered.len() - 1;
    tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
    let bad = SitesQuery::next_page(String::from_utf8(tampered).unwrap(), None);
    let e = s.wix.query_sites(cred, &bad).await.unwrap_err();
    assert_eq!(e.code(), &ErrorCode::InvalidCursor);
    let with_filter = SitesQuery::new(
        Some(Value::object([("name", Value::from("x"))])),
        vec![],
        vec![cursor_paging(None, Some(cursor.clone()))],
    );
    assert!(matches!(with_filter, Err(QueryError::InvalidCursor(_))));
    let main_cred = Credentials {
        key: &s.keys[0],
        account: MAIN,
    };
    let foreign = s
        .wix
        .query_sites(main_cred, &SitesQuery::next_page(cursor, None))
        .await
        .unwrap_err();
    assert_eq!(foreign.code(), &ErrorCode::InvalidCursor);
    match SitesQuery::new(
        None,
        vec![],
        vec![cursor_paging(Some(SITES_MAX_LIMIT + 1), None)],
    ) {
        Err(QueryError::Field(f)) => assert_eq!(f.field, "query.cursorPaging.limit"),
        other => panic!("{other:?}"),
    }
}

fn cursor_paging(limit: Option<u32>, cursor: Option<String>) -> Paging {
    Paging::Cursor { limit, cursor }
}

#[tokio::test]
async fn the_clock_only_moves_forward_and_idempotency_keys_expire_after_24_hours() {
    let s = seeded(id(1), Provisioning::Manual).await;
    let before = s.wix.now();
    let later = s.wix.advance_clock(10).await.unwrap();
    assert_eq!(later, before.plus_millis(10));
    let back = s.wix.set_clock(before).await.unwrap();
    assert_eq!(back, later);
    let cred = Credentials {
        key: &s.keys[0],
        account: MAIN,
    };
    let key = reseller_domain::IdempotencyKey::new("k").unwrap();
    let first = s
        .wix
        .create_package(cred, Some(&key), &create(vec![item(PLAN_VIP, None)]))
        .await
        .unwrap();
    s.wix.advance_clock(24 * 60 * 60 * 1000 - 1).await.unwrap();
    let replay = s
        .wix
        .create_package(cred, Some(&key), &create(vec![item(PLAN_VIP, None)]))
        .await
        .unwrap();
    assert_eq!(replay, first);
    s.wix.advance_clock(1).await.unwrap();
    let fresh = s
        .wix
        .create_package(cred, Some(&key), &create(vec![item(PLAN_VIP, None)]))
        .await
        .unwrap();
    assert_ne!(fresh.id(), first.id());
    assert_eq!(s.wix.package_count(), 2);
    let _ = MemoryWix::default();
}

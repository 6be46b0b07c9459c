//! Query Packages over the indexes gives exactly the pages, cursors and totals of
//! the domain's reference execution (filter everything, sort, slice), for random
//! worlds full of equal dates, every sort, several filters, and cursor walks
//! forward to the end and back to the start; and the emulator's inspection,
//! `MemoryWix::query_every_package`, gives the reference's pages over every
//! account of every family.

use crate::common::*;
use adapter_memory::Credentials;
use proptest::prelude::*;
use reseller_contract::picks::product_of;
use reseller_domain::auth::{Caller, Visibility};
use reseller_domain::query::{CursorKey, PackageQuery, Paging, QueryPage, Value, run_query};
use reseller_domain::world::World;
use reseller_domain::{ExternalId, Package};
use reseller_ports::{PackagesPage, Provisioning};

fn filter_of(n: u8) -> Option<Value> {
    let s = |t: String| Value::String(t);
    match n {
        0 => None,
        1 => Some(Value::object([("accountId", s(SUB1.to_string()))])),
        2 => Some(Value::object([(
            "accountId",
            Value::object([(
                "$in",
                Value::array([s(MAIN.to_string()), s(SUB2.to_string())]),
            )]),
        )])),
        3 => Some(Value::object([(
            "externalId",
            Value::object([("$in", Value::array([s("e-1".into()), s("e-2".into())]))]),
        )])),
        4 => Some(Value::object([(
            "productInstances.catalogProductId",
            Value::object([("$hasSome", Value::array([s(PLAN_VIP.to_string())]))]),
        )])),
        _ => Some(Value::object([(
            "$or",
            Value::array([
                Value::object([("accountId", s(SUB2.to_string()))]),
                Value::object([(
                    "externalId",
                    Value::object([("$exists", Value::Bool(false))]),
                )]),
            ]),
        )])),
    }
}

fn sort_of(n: u8) -> Vec<(String, Option<String>)> {
    let e = |f: &str, o: &str| (f.to_owned(), Some(o.to_owned()));
    match n {
        0 => vec![],
        1 => vec![e("createdDate", "ASC")],
        2 => vec![e("updatedDate", "DESC")],
        3 => vec![e("updatedDate", "ASC")],
        _ => vec![e("createdDate", "ASC"), e("updatedDate", "DESC")],
    }
}

fn cursor_query(cursor: String, limit: u32) -> PackageQuery {
    PackageQuery::new(
        None,
        vec![],
        vec![Paging::Cursor {
            limit: Some(limit),
            cursor: Some(cursor),
        }],
    )
    .unwrap()
}

fn same(actual: &PackagesPage, expected: &QueryPage<'_>) -> Result<(), TestCaseError> {
    let want: Vec<_> = expected.packages.iter().map(|p| p.id()).collect();
    let got: Vec<_> = actual.packages.iter().map(Package::id).collect();
    prop_assert_eq!(got, want);
    prop_assert_eq!(&actual.next_cursor, &expected.next_cursor);
    prop_assert_eq!(&actual.prev_cursor, &expected.prev_cursor);
    prop_assert_eq!(actual.total, expected.total);
    prop_assert_eq!(actual.offset, expected.offset);
    Ok(())
}

async fn check(
    world: Vec<(u8, u8, u8, bool, Option<u8>)>,
    queries: Vec<(u8, u8, u8, u8, bool)>,
) -> Result<(), TestCaseError> {
    let secret = crate::common::id(0xFACE);
    let s = seeded(secret, Provisioning::Manual).await;
    let key = CursorKey::new(*secret.as_bytes());
    for (account, product, gap, tweak, external) in world {
        s.clock.advance_millis(i64::from(gap % 3 / 2));
        // Mostly the main family, sometimes the unrelated main account.
        let index = usize::from(account % 4);
        let account = ACCOUNTS[index];
        let cred = Credentials {
            key: &s.keys[if index == 3 { 3 } else { 0 }],
            account,
        };
        let mut c = create(vec![item(product_of(product % 3), None)]);
        c.external_id = external.map(|e| ExternalId::new(format!("e-{}", e % 4)).unwrap());
        let p = s.wix.create_package(cred, None, &c).await.unwrap();
        if tweak {
            s.clock.advance_millis(i64::from(gap % 2));
            let e = ExternalId::new(format!("e-{}", gap % 3)).unwrap();
            s.wix
                .update_external_id(cred, None, p.id(), &e)
                .await
                .unwrap();
        }
    }
    let mut reference = World::new();
    for p in s.wix.export().packages {
        reference.put_package(p.try_into_domain().unwrap());
    }
    for a in accounts() {
        reference.accounts.insert(a.id, a);
    }
    for (filter, sort, limit, who, offset) in queries {
        let limit = u32::from(limit % 7) + 1;
        let (key_idx, account) = match who % 3 {
            0 => (0, MAIN),
            1 => (0, SUB1),
            _ => (2, SUB2),
        };
        let caller = Caller {
            key_account: ACCOUNTS[key_idx],
            account,
        };
        let visibility = Visibility::of(&reference, &caller);
        let visible: Vec<&Package> = reference
            .packages
            .values()
            .filter(|p| visibility.includes(&reference, p.account_id()))
            .collect();
        let cred = Credentials {
            key: &s.keys[key_idx],
            account,
        };
        let paging = if offset {
            Paging::Offset {
                limit: Some(limit),
                offset: Some(u32::from(who) % 5),
            }
        } else {
            Paging::Cursor {
                limit: Some(limit),
                cursor: None,
            }
        };
        let q = PackageQuery::new(filter_of(filter % 6), sort_of(sort % 5), vec![paging]).unwrap();
        // The inspection over every account, walked forward to the end.
        let every: Vec<&Package> = reference.packages.values().collect();
        let mut page = s.wix.query_every_package(&q).await.unwrap();
        same(&page, &run_query(&q, &key, every.iter().copied()).unwrap())?;
        let mut hops = 0;
        while let Some(next) = page.next_cursor.clone() {
            let q = cursor_query(next, limit);
            page = s.wix.query_every_package(&q).await.unwrap();
            same(&page, &run_query(&q, &key, every.iter().copied()).unwrap())?;
            hops += 1;
            prop_assert!(hops < 500);
        }
        let expected = run_query(&q, &key, visible.iter().copied()).unwrap();
        let actual = s.wix.query_packages(cred, &q).await.unwrap();
        same(&actual, &expected)?;
        // Forward to the end, then back to the start.
        let mut page = actual;
        let mut hops = 0;
        while let Some(next) = page.next_cursor.clone() {
            let q = cursor_query(next, limit);
            let expected = run_query(&q, &key, visible.iter().copied()).unwrap();
            page = s.wix.query_packages(cred, &q).await.unwrap();
            same(&page, &expected)?;
            hops += 1;
            prop_assert!(hops < 500);
        }
        while let Some(prev) = page.prev_cursor.clone() {
            let q = cursor_query(prev, limit);
            let expected = run_query(&q, &key, visible.iter().copied()).unwrap();
            page = s.wix.query_packages(cred, &q).await.unwrap();
            same(&page, &expected)?;
            hops += 1;
            prop_assert!(hops < 1000);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn indexed_pages_equal_the_reference(
        world in proptest::collection::vec((any::<u8>(), any::<u8>(), any::<u8>(), any::<bool>(), proptest::option::of(any::<u8>())), 0..60),
        queries in proptest::collection::vec((any::<u8>(), any::<u8>(), any::<u8>(), any::<u8>(), any::<bool>()), 1..6),
    ) {
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        rt.block_on(check(world, queries))?;
    }
}

#[tokio::test]
async fn holdings_count_each_accounts_packages_and_instances_by_status() {
    use reseller_domain::StatusName;
    let s = seeded(crate::common::id(0xBEEF), Provisioning::Manual).await;
    let cred = |i: usize| Credentials {
        key: &s.keys[if i == 3 { 3 } else { 0 }],
        account: ACCOUNTS[i],
    };
    let two = create(vec![item(PLAN_UNLIMITED, None), item(ASCEND, None)]);
    let p = s.wix.create_package(cred(1), None, &two).await.unwrap();
    s.wix
        .create_package(cred(3), None, &create(vec![item(PLAN_VIP, None)]))
        .await
        .unwrap();
    s.wix
        .set_instance_status(
            p.instances()[0].id(),
            reseller_domain::InstanceStatus::Enabled,
        )
        .await
        .unwrap();
    let held = s.wix.holdings(&[SUB1, OTHER, MAIN]);
    assert_eq!(held[0].0, SUB1);
    assert_eq!(held[0].1.packages, 1);
    assert_eq!(
        held[0].1.instances.clone().into_iter().collect::<Vec<_>>(),
        [(StatusName::Pending, 1), (StatusName::Enabled, 1)]
    );
    assert_eq!(held[1].1.packages, 1);
    assert_eq!(held[2].1.packages, 0);
    assert!(held[2].1.instances.is_empty());
}

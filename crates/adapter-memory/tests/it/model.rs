//! Model-based test: the domain's pure operations over a plain `World` are the
//! reference model, the in-memory Wix is the system under test. Random operation
//! sequences run on both with the same ids and clock; after every step the answers
//! (or error codes), the stored packages and every invariant must agree.

use std::collections::BTreeMap;

use crate::common::*;
use adapter_memory::Credentials;
use proptest::prelude::*;
use reseller_contract::picks::{
    TransferPick, account_index, account_of, instance_ids, pick_instance, pick_package, product_of,
    site_of, status_of,
};
use reseller_domain::auth::{Caller, Visibility};
use reseller_domain::billing::Billing;
use reseller_domain::ops::{self, Adjust, BillingRequest, CreatePackage, SiteTransfer};
use reseller_domain::query::{CursorKey, PackageQuery, Paging, Value, run_query};
use reseller_domain::world::{World, WorldView};
use reseller_domain::{
    ErrorCode, ExternalId, IdempotencyKey, InstanceId, Package, PackageId, Refusal, SiteId,
    StatusName,
};
use reseller_ports::{PortError, Provisioning};
use uuid::Uuid;

#[derive(Debug, Clone)]
enum Op {
    Create {
        key: u8,
        account: u8,
        products: Vec<(u8, Option<u8>, Option<u8>)>,
        external: Option<u8>,
    },
    CancelPackage {
        key: u8,
        account: u8,
        pick: usize,
    },
    Assign {
        key: u8,
        account: u8,
        pick: usize,
        site: u8,
    },
    Unassign {
        key: u8,
        account: u8,
        pick: usize,
    },
    CancelInstance {
        key: u8,
        account: u8,
        pick: usize,
    },
    Adjust {
        key: u8,
        account: u8,
        pick: usize,
        product: u8,
        monthly: bool,
    },
    ExternalId {
        key: u8,
        account: u8,
        pick: usize,
        text: u8,
    },
    Status {
        pick: usize,
        status: u8,
    },
    Transfer(TransferPick),
    Get {
        key: u8,
        account: u8,
        pick: usize,
    },
    Query {
        key: u8,
        account: u8,
        filter: u8,
        sort: u8,
        limit: u8,
        pages: u8,
    },
    Replay {
        back: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    // Keys are mostly the account's own key or its main account's key.
    let who = (0u8..4, 0u8..4).prop_map(|(k, a)| (if k == 3 && a != 3 { 0 } else { k }, a));
    prop_oneof![
        4 => (who.clone(), proptest::collection::vec((any::<u8>(), proptest::option::of(any::<u8>()), proptest::option::of(0u8..40)), 1..4), proptest::option::of(0u8..4))
            .prop_map(|((key, account), products, external)| Op::Create { key, account, products, external }),
        1 => (who.clone(), any::<usize>()).prop_map(|((key, account), pick)| Op::CancelPackage { key, account, pick }),
        2 => (who.clone(), any::<usize>(), any::<u8>()).prop_map(|((key, account), pick, site)| Op::Assign { key, account, pick, site }),
        1 => (who.clone(), any::<usize>()).prop_map(|((key, account), pick)| Op::Unassign { key, account, pick }),
        1 => (who.clone(), any::<usize>()).prop_map(|((key, account), pick)| Op::CancelInstance { key, account, pick }),
        1 => (who.clone(), any::<usize>(), any::<u8>(), any::<bool>()).prop_map(|((key, account), pick, product, monthly)| Op::Adjust { key, account, pick, product, monthly }),
        1 => (who.clone(), any::<usize>(), 0u8..4).prop_map(|((key, account), pick, text)| Op::ExternalId { key, account, pick, text }),
        2 => (any::<usize>(), any::<u8>()).prop_map(|(pick, status)| Op::Status { pick, status }),
        1 => (any::<u8>(), 0u8..4, 0u8..4).prop_map(|(site, source, target)| Op::Transfer(TransferPick { site, source, target })),
        1 => (who.clone(), any::<usize>()).prop_map(|((key, account), pick)| Op::Get { key, account, pick }),
        2 => (who, 0u8..6, 0u8..4, 1u8..5, 1u8..4).prop_map(|((key, account), filter, sort, limit, pages)| Op::Query { key, account, filter, sort, limit, pages }),
        1 => (0usize..8).prop_map(|back| Op::Replay { back }),
    ]
}

/// A mutation resolved against the reference world: exactly what both sides run.
#[derive(Debug, Clone)]
enum Req {
    Create(CreatePackage),
    CancelPackage(PackageId),
    Assign(InstanceId, SiteId),
    Unassign(InstanceId),
    CancelInstance(InstanceId),
    Adjust(InstanceId, Adjust),
    ExternalId(PackageId, ExternalId),
    Transfer(SiteTransfer),
}

#[derive(Debug, Clone, PartialEq)]
enum Out {
    Package(Package),
    Transfer(SiteTransfer),
}

fn reference(
    w: &World,
    caller: &Caller,
    req: &Req,
    now: reseller_domain::Timestamp,
    ids: &[Uuid],
) -> Result<(Out, ops::Changes), Refusal> {
    let mut next = ids.iter().copied();
    let mut new_id = || next.next().unwrap();
    let pkg =
        |d: Result<ops::Done<Package>, Refusal>| d.map(|d| (Out::Package(d.answer), d.changes));
    match req {
        Req::Create(c) => pkg(ops::create_package(w, caller, c, now, &mut new_id)),
        Req::CancelPackage(p) => pkg(ops::cancel_package(w, caller, *p, now)),
        Req::Assign(i, s) => pkg(ops::assign_instance(w, caller, *i, *s, now)),
        Req::Unassign(i) => pkg(ops::unassign_instance(w, caller, *i, now)),
        Req::CancelInstance(i) => pkg(ops::cancel_instance(w, caller, *i, now)),
        Req::Adjust(i, a) => pkg(ops::adjust_instance(w, caller, *i, a, now)),
        Req::ExternalId(p, e) => pkg(ops::update_external_id(w, caller, *p, e.clone(), now)),
        Req::Transfer(t) => {
            ops::transfer_site(w, caller, t, now).map(|d| (Out::Transfer(d.answer), d.changes))
        }
    }
}

async fn system(
    s: &Seeded,
    cred: Credentials<'_>,
    key: &IdempotencyKey,
    req: &Req,
) -> Result<Out, PortError> {
    let w = &s.wix;
    let k = Some(key);
    Ok(match req {
        Req::Create(c) => Out::Package(w.create_package(cred, k, c).await?),
        Req::CancelPackage(p) => Out::Package(w.cancel_package(cred, k, *p).await?),
        Req::Assign(i, site) => Out::Package(w.assign_instance(cred, k, *i, *site).await?),
        Req::Unassign(i) => Out::Package(w.unassign_instance(cred, k, *i).await?),
        Req::CancelInstance(i) => Out::Package(w.cancel_instance(cred, k, *i).await?),
        Req::Adjust(i, a) => Out::Package(w.adjust_instance(cred, k, *i, a).await?),
        Req::ExternalId(p, e) => Out::Package(w.update_external_id(cred, k, *p, e).await?),
        Req::Transfer(t) => Out::Transfer(w.transfer_site(cred, k, t).await?),
    })
}

fn authorize(w: &World, key_account: u8, account: u8, transfer: bool) -> Result<Caller, ErrorCode> {
    let grant = reseller_domain::auth::Grant::full(account_of(key_account));
    let scope = if transfer {
        reseller_domain::auth::Scope::SiteTransfer
    } else {
        reseller_domain::auth::Scope::PackagesManage
    };
    let unknown = if transfer {
        reseller_domain::auth::UnknownAccount::TargetAccountNotFound
    } else {
        reseller_domain::auth::UnknownAccount::AccountNotFound
    };
    reseller_domain::auth::authorize(w, &grant, account_of(account), scope, unknown)
        .map_err(|v| Refusal::one(v).code())
}

fn query_of(filter: u8, sort: u8, limit: u8, account: u8) -> PackageQuery {
    let account_text = account_of(account).to_string();
    let filter = match filter {
        0 => None,
        1 => Some(Value::object([("accountId", Value::String(account_text))])),
        2 => Some(Value::object([(
            "productInstances.status",
            Value::object([("$hasSome", Value::array([Value::String("PENDING".into())]))]),
        )])),
        3 => Some(Value::object([(
            "externalId",
            Value::object([("$exists", Value::Bool(true))]),
        )])),
        4 => Some(Value::object([(
            "accountId",
            Value::object([(
                "$in",
                Value::array([
                    Value::String(SUB1.to_string()),
                    Value::String(SUB2.to_string()),
                ]),
            )]),
        )])),
        _ => Some(Value::object([(
            "accountId",
            Value::object([("$ne", Value::String(account_text))]),
        )])),
    };
    let sort = match sort {
        0 => vec![],
        1 => vec![("createdDate".to_owned(), Some("ASC".to_owned()))],
        2 => vec![("updatedDate".to_owned(), Some("DESC".to_owned()))],
        _ => vec![
            ("updatedDate".to_owned(), Some("ASC".to_owned())),
            ("createdDate".to_owned(), Some("DESC".to_owned())),
        ],
    };
    PackageQuery::new(
        filter,
        sort,
        vec![Paging::Cursor {
            limit: Some(u32::from(limit)),
            cursor: None,
        }],
    )
    .unwrap()
}

fn after_cursor(cursor: String, limit: u8) -> PackageQuery {
    PackageQuery::new(
        None,
        vec![],
        vec![Paging::Cursor {
            limit: Some(u32::from(limit)),
            cursor: Some(cursor),
        }],
    )
    .unwrap()
}

type Statuses = BTreeMap<InstanceId, StatusName>;

fn statuses(w: &World) -> Statuses {
    w.packages
        .values()
        .flat_map(|p| p.instances().iter().map(|i| (i.id(), i.status().name())))
        .collect()
}

async fn run_model(ops_list: Vec<Op>) -> Result<(), TestCaseError> {
    let secret = id(0xC0FFEE);
    let s = seeded(secret, Provisioning::Manual).await;
    let cursor_key = CursorKey::new(*secret.as_bytes());
    let mut w = reference_world();
    let mut history: Vec<(Caller, IdempotencyKey, Req, Result<Out, ErrorCode>)> = Vec::new();
    let mut before = statuses(&w);
    for (step, op) in ops_list.into_iter().enumerate() {
        let now = s.clock.advance_millis(if step % 3 == 0 { 0 } else { 1 });
        let script: Vec<Uuid> = (0..8u128)
            .map(|n| id(0x10_0000 * (step as u128 + 1) + n))
            .collect();
        let key = IdempotencyKey::new(format!("step-{step}")).unwrap();
        let mutation: Option<(u8, u8, Req)> = match op.clone() {
            Op::Create {
                key,
                account,
                products,
                external,
            } => {
                let all = instance_ids(&w);
                let list = products
                    .into_iter()
                    .map(|(p, site, r)| {
                        let mut n = item(product_of(p), site.map(site_of));
                        n.reference = r.and_then(|r| all.get(usize::from(r)).copied());
                        n
                    })
                    .collect();
                let mut c = create(list);
                c.external_id = external.map(|e| ExternalId::new(format!("order-{e}")).unwrap());
                Some((key, account, Req::Create(c)))
            }
            Op::CancelPackage { key, account, pick } => {
                Some((key, account, Req::CancelPackage(pick_package(&w, pick))))
            }
            Op::Assign {
                key,
                account,
                pick,
                site: st,
            } => Some((
                key,
                account,
                Req::Assign(pick_instance(&w, pick), site_of(st)),
            )),
            Op::Unassign { key, account, pick } => {
                Some((key, account, Req::Unassign(pick_instance(&w, pick))))
            }
            Op::CancelInstance { key, account, pick } => {
                Some((key, account, Req::CancelInstance(pick_instance(&w, pick))))
            }
            Op::Adjust {
                key,
                account,
                pick,
                product,
                monthly,
            } => Some((
                key,
                account,
                Req::Adjust(
                    pick_instance(&w, pick),
                    Adjust {
                        catalog_product_id: Some(product_of(product)),
                        billing: monthly.then(|| BillingRequest::of(Billing::monthly())),
                        discount_code: None,
                    },
                ),
            )),
            Op::ExternalId {
                key,
                account,
                pick,
                text,
            } => Some((
                key,
                account,
                Req::ExternalId(
                    pick_package(&w, pick),
                    ExternalId::new(format!("order-{text}")).unwrap(),
                ),
            )),
            Op::Transfer(t) => Some((0, t.target, Req::Transfer(t.transfer()))),
            _ => None,
        };
        if let Some((key_idx, account, req)) = mutation {
            let transfer = matches!(req, Req::Transfer(_));
            let expected = match authorize(&w, key_idx, account, transfer) {
                Err(code) => Err(code),
                Ok(caller) => match reference(&w, &caller, &req, now, &script) {
                    Ok((out, changes)) => {
                        w.apply(&changes);
                        Ok(out)
                    }
                    Err(r) => Err(r.code()),
                },
            };
            s.ids.script(&script);
            let cred = Credentials {
                key: &s.keys[usize::from(key_idx)],
                account: account_of(account),
            };
            let actual = system(&s, cred, &key, &req)
                .await
                .map_err(|e| e.code().clone());
            prop_assert_eq!(&actual, &expected, "step {} {:?}", step, op);
            let caller = Caller {
                key_account: account_of(key_idx),
                account: account_of(account),
            };
            history.push((caller, key, req, expected));
        }
        match op {
            Op::Status { pick, status } => {
                let inst = pick_instance(&w, pick);
                let expected = match ops::set_instance_status(&w, inst, status_of(status), now) {
                    Ok(d) => {
                        w.apply(&d.changes);
                        Ok(d.answer)
                    }
                    Err(r) => Err(r.code()),
                };
                let actual = s
                    .wix
                    .set_instance_status(inst, status_of(status))
                    .await
                    .map_err(|e| e.code().clone());
                prop_assert_eq!(actual, expected, "step {} status", step);
            }
            Op::Get { key, account, pick } => {
                let p = pick_package(&w, pick);
                let caller = Caller {
                    key_account: account_of(key),
                    account: account_of(account),
                };
                let grant = reseller_domain::auth::Grant::full(caller.key_account);
                let expected = reseller_domain::auth::authorize(
                    &w,
                    &grant,
                    caller.account,
                    reseller_domain::auth::Scope::PackagesRead,
                    reseller_domain::auth::UnknownAccount::AccountNotFound,
                )
                .map_err(|v| Refusal::one(v).code())
                .and_then(|c| ops::get_package(&w, &c, p).cloned().map_err(|r| r.code()));
                let cred = Credentials {
                    key: &s.keys[usize::from(key)],
                    account: caller.account,
                };
                let actual = s
                    .wix
                    .get_package(cred, p)
                    .await
                    .map_err(|e| e.code().clone());
                prop_assert_eq!(actual, expected, "step {} get", step);
            }
            Op::Query {
                key,
                account,
                filter,
                sort,
                limit,
                pages,
            } => {
                let caller = Caller {
                    key_account: account_of(key),
                    account: account_of(account),
                };
                let cred = Credentials {
                    key: &s.keys[usize::from(key)],
                    account: caller.account,
                };
                let grant = reseller_domain::auth::Grant::full(caller.key_account);
                let allowed = reseller_domain::auth::authorize(
                    &w,
                    &grant,
                    caller.account,
                    reseller_domain::auth::Scope::PackagesRead,
                    reseller_domain::auth::UnknownAccount::AccountNotFound,
                );
                let mut q = query_of(filter, sort, limit, account);
                for _ in 0..pages {
                    let actual = s.wix.query_packages(cred, &q).await;
                    let Ok(c) = &allowed else {
                        prop_assert!(actual.is_err(), "step {} query should be refused", step);
                        break;
                    };
                    let visibility = Visibility::of(&w, c);
                    let visible = w
                        .packages
                        .values()
                        .filter(|p| visibility.includes(&w, p.account_id()));
                    let expected = run_query(&q, &cursor_key, visible).unwrap();
                    let actual = actual.unwrap();
                    let want: Vec<PackageId> = expected.packages.iter().map(|p| p.id()).collect();
                    let got: Vec<PackageId> = actual.packages.iter().map(|p| p.id()).collect();
                    prop_assert_eq!(got, want, "step {} query page", step);
                    prop_assert_eq!(&actual.next_cursor, &expected.next_cursor);
                    prop_assert_eq!(&actual.prev_cursor, &expected.prev_cursor);
                    match actual.next_cursor {
                        Some(c) => q = after_cursor(c, limit),
                        None => break,
                    }
                }
            }
            Op::Replay { back } => {
                if let Some((caller, key, req, first)) = history.iter().rev().nth(back).cloned() {
                    let key_i = account_index(caller.key_account).unwrap();
                    let key_idx = usize::from(key_i);
                    let cred = Credentials {
                        key: &s.keys[key_idx],
                        account: caller.account,
                    };
                    let count = s.wix.package_count();
                    let snapshot = s.wix.export();
                    s.ids.script(&script);
                    let again = system(&s, cred, &key, &req).await;
                    // A remembered success answers the same again and changes nothing;
                    // a refusal was not remembered, so the request runs again and the
                    // reference decides.
                    if let Ok(first) = first {
                        let again = again.map_err(|e| e.code().clone());
                        prop_assert_eq!(again, Ok(first), "step {} replay", step);
                        prop_assert_eq!(s.wix.package_count(), count);
                        prop_assert_eq!(s.wix.export().packages, snapshot.packages);
                    } else {
                        let account_i = account_index(caller.account).unwrap();
                        let expected = match authorize(
                            &w,
                            key_i,
                            account_i,
                            matches!(req, Req::Transfer(_)),
                        ) {
                            Err(code) => Err(code),
                            Ok(caller) => match reference(&w, &caller, &req, now, &script) {
                                Ok((out, changes)) => {
                                    w.apply(&changes);
                                    Ok(out)
                                }
                                Err(r) => Err(r.code()),
                            },
                        };
                        let again = again.map_err(|e| e.code().clone());
                        prop_assert_eq!(again, expected, "step {} replay of a refusal", step);
                    }
                }
            }
            _ => {}
        }
        // The stored world equals the reference, package by package.
        prop_assert_eq!(s.wix.package_count(), w.packages.len(), "step {}", step);
        for p in w.packages.values() {
            let stored = s.wix.package(p.id());
            prop_assert_eq!(stored.as_ref(), Some(p), "step {} package {}", step, p.id());
        }
        for site_id in w.sites.keys() {
            let owner = w.site(*site_id).map(|x| x.owner);
            let stored = s
                .wix
                .sites(None)
                .into_iter()
                .find(|x| x.id == *site_id)
                .map(|x| x.owner);
            prop_assert_eq!(stored, owner);
        }
        let broken = s.wix.invariant_violations();
        prop_assert!(broken.is_empty(), "step {}: {:?}", step, broken);
        let after = statuses(&w);
        for (i, to) in &after {
            if let Some(from) = before.get(i) {
                prop_assert!(
                    from == to || from.can_move_to(*to),
                    "{} moved {:?} -> {:?}",
                    i,
                    from,
                    to
                );
            }
        }
        before = after;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn memory_wix_behaves_like_the_domain_model(ops_list in proptest::collection::vec(op(), 1..50)) {
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        rt.block_on(run_model(ops_list))?;
    }
}

//! F6 (sell a domain with a plan) against the in-memory Wix seeded with the
//! contract suite's standard world: buying with the plan's voucher or paid,
//! connecting an owned domain and waiting for DNS, the refusals, and reruns.

use std::sync::Arc;
use std::time::Duration;

use adapter_memory::MemoryWix;
use reseller_app::flows::{
    ConnectionLeft, DomainDone, DomainSale, DomainStep, DomainWanted, PackageLeft, Product,
    SellDomain, sell_domain,
};
use reseller_app::{Attempts, Origin};
use reseller_contract::fixture::*;
use reseller_domain::domains::{ConnectionType, DnsStatus, DomainCode, Propagation, SetupRecords};
use reseller_domain::{Billing, ErrorCode, ExternalId, Timestamp};
use reseller_ports::{ManualClock, ResellerPackages, SequentialIds};

fn memory() -> MemoryWix {
    let start = Timestamp::parse_rfc3339("2026-01-01T00:00:00.000Z").unwrap();
    MemoryWix::builder()
        .clock(Arc::new(ManualClock::new(start)))
        .ids(Arc::new(SequentialIds::new(0xf6)))
        .build()
}

fn ext(text: &str) -> ExternalId {
    ExternalId::new(text).unwrap()
}

fn input(sale: DomainSale) -> SellDomain {
    SellDomain {
        account: SUB1,
        site: SUB1_SITE,
        plan: Product::new(PLAN_UNLIMITED, brazil()).billed(Billing::yearly()),
        plan_external_id: ext("f6-plan"),
        sale,
        polls: 3,
        poll_pause: Duration::ZERO,
    }
}

fn buy(
    wanted: DomainWanted,
    product: reseller_domain::CatalogProductId,
    external: &str,
) -> DomainSale {
    DomainSale::Buy {
        wanted,
        product: Product::new(product, brazil()),
        external_id: ext(external),
    }
}

#[tokio::test]
async fn f6_buys_the_first_suggestion_as_the_plans_voucher_and_a_rerun_finds_it() {
    let wix = memory();
    let fx = Fixture::new(&wix).await;
    wix.mark_taken(&["fresh-bakery.com".to_owned(), "freshbakery.com".to_owned()])
        .await
        .unwrap();
    let wanted = DomainWanted::FirstSuggestion {
        query: "fresh bakery".into(),
        tlds: vec!["com".into()],
    };
    let sale = input(buy(wanted, DOMAIN_VOUCHER, "f6-domain"));
    let sold = sell_domain(&*fx.main, &sale, Attempts::immediate(3))
        .await
        .unwrap();
    let DomainDone::Bought {
        domain,
        package,
        voucher,
    } = &sold.done
    else {
        panic!("{sold:?}")
    };
    assert_eq!(domain, "myfreshbakery.com", "the taken names are skipped");
    assert!(voucher);
    let instance = &package.package.instances()[0];
    assert_eq!(instance.reference(), Some(sold.plan_instance));
    assert_eq!(instance.site(), Some(SUB1_SITE));

    let before = fx.snapshot().await;
    let again = sell_domain(&*fx.main, &sale, Attempts::immediate(3))
        .await
        .unwrap();
    assert_eq!(again.plan.origin, Origin::Found);
    let DomainDone::Bought { package, .. } = &again.done else {
        panic!()
    };
    assert_eq!(package.origin, Origin::Found);
    fx.assert_unchanged(&before, "F6 rerun").await;
}

#[tokio::test]
async fn f6_sells_the_domain_paid_when_the_plan_cannot_serve_as_its_voucher() {
    let wix = memory();
    let fx = Fixture::new(&wix).await;
    let first = input(buy(
        DomainWanted::Name("first-bakery.com".into()),
        DOMAIN,
        "f6-domain-1",
    ));
    let sold = sell_domain(&*fx.main, &first, Attempts::immediate(3))
        .await
        .unwrap();
    let DomainDone::Bought {
        package, voucher, ..
    } = &sold.done
    else {
        panic!()
    };
    assert!(voucher, "the first domain uses the voucher");
    fx.main
        .cancel_package(&on(SUB1), package.package.id())
        .await
        .unwrap();
    let second = input(buy(
        DomainWanted::Name("second-bakery.com".into()),
        DOMAIN,
        "f6-domain-2",
    ));
    let sold = sell_domain(&*fx.main, &second, Attempts::immediate(3))
        .await
        .unwrap();
    let DomainDone::Bought {
        package, voucher, ..
    } = &sold.done
    else {
        panic!()
    };
    assert!(!voucher, "the voucher served already: sold paid");
    assert_eq!(package.package.instances()[0].reference(), None);
}

#[tokio::test]
async fn f6_a_taken_name_stops_before_anything_is_created() {
    let wix = memory();
    let fx = Fixture::new(&wix).await;
    wix.mark_taken(&["bakery.com".to_owned()]).await.unwrap();
    let before = fx.snapshot().await;
    let stopped = sell_domain(
        &*fx.main,
        &input(buy(
            DomainWanted::Name("bakery.com".into()),
            DOMAIN,
            "f6-domain",
        )),
        Attempts::immediate(3),
    )
    .await
    .unwrap_err();
    assert_eq!(stopped.step, DomainStep::Choose);
    assert_eq!(stopped.left.plan, PackageLeft::NotCreated);
    fx.assert_unchanged(&before, "a taken name").await;
    let stopped = sell_domain(
        &*fx.main,
        &input(buy(
            DomainWanted::Name("bakery".into()),
            DOMAIN,
            "f6-domain",
        )),
        Attempts::immediate(3),
    )
    .await
    .unwrap_err();
    assert_eq!(
        stopped.cause.port_error().unwrap().code(),
        &ErrorCode::Domain(DomainCode::InvalidDomain)
    );
}

#[tokio::test]
async fn f6_connects_an_owned_domain_and_waits_for_dns() {
    let wix = memory();
    let fx = Fixture::new(&wix).await;
    wix.mark_taken(&["bakery.com".to_owned(), "florist.com".to_owned()])
        .await
        .unwrap();
    let sale = input(DomainSale::Connect {
        domain: "bakery.com".into(),
        connection: Some(ConnectionType::Nameservers),
    });
    let sold = sell_domain(&*fx.main, &sale, Attempts::immediate(3))
        .await
        .unwrap();
    let DomainDone::Connected { connection, setup } = &sold.done else {
        panic!()
    };
    assert_eq!(
        connection.dns,
        DnsStatus::Completed,
        "auto propagation without delay"
    );
    assert!(matches!(setup.records, SetupRecords::Nameservers { .. }));
    let again = sell_domain(&*fx.main, &sale, Attempts::immediate(3))
        .await
        .unwrap();
    assert_eq!(again.plan.origin, Origin::Found);

    // Manual DNS: the polls run out with the domain still propagating (not an error).
    wix.set_dns(Propagation::Manual).await.unwrap();
    let florist = SellDomain {
        sale: DomainSale::Connect {
            domain: "florist.com".into(),
            connection: Some(ConnectionType::Pointing),
        },
        ..input(DomainSale::Connect {
            domain: String::new(),
            connection: None,
        })
    };
    let florist = SellDomain {
        site: SUB1_SPARE,
        plan_external_id: ext("f6-plan-2"),
        ..florist
    };
    let sold = sell_domain(&*fx.main, &florist, Attempts::immediate(3))
        .await
        .unwrap();
    let DomainDone::Connected { connection, .. } = &sold.done else {
        panic!()
    };
    assert_eq!(connection.dns, DnsStatus::InProgress);
}

#[tokio::test]
async fn f6_a_domain_for_sale_cannot_be_connected_and_the_plan_stays() {
    let wix = memory();
    let fx = Fixture::new(&wix).await;
    let sale = input(DomainSale::Connect {
        domain: "free-name.com".into(),
        connection: Some(ConnectionType::Pointing),
    });
    let stopped = sell_domain(&*fx.main, &sale, Attempts::immediate(3))
        .await
        .unwrap_err();
    assert_eq!(stopped.step, DomainStep::Connect);
    assert!(matches!(stopped.left.plan, PackageLeft::Exists(_)));
    assert_eq!(stopped.left.connection, ConnectionLeft::NotConnected);
    assert_eq!(
        stopped.cause.port_error().unwrap().code(),
        &ErrorCode::Domain(DomainCode::InvalidDomainToConnect)
    );
}

#[tokio::test]
async fn expiring_domains_lists_the_window_soonest_first() {
    use reseller_app::expiring::expiring_domains;
    let wix = memory();
    let fx = Fixture::new(&wix).await;
    let sold = sell_domain(
        &*fx.main,
        &input(buy(
            DomainWanted::Name("first-bakery.com".into()),
            DOMAIN,
            "f6-domain-1",
        )),
        Attempts::immediate(3),
    )
    .await
    .unwrap();
    let DomainDone::Bought { package, .. } = &sold.done else {
        panic!()
    };
    let domain_instance = package.package.instances()[0].id();
    let now = Timestamp::parse_rfc3339("2026-01-01T00:00:00.000Z").unwrap();
    let day = 86_400_000;
    // Wix sets expirationDate; here the state document carries it, as an import would.
    let mut doc = wix.export();
    for p in &mut doc.packages {
        for i in &mut p.product_instances {
            if i.instance_id.as_deref() == Some(domain_instance.to_string().as_str()) {
                i.expiration_date = Some(now.plus_millis(10 * day).to_rfc3339());
            }
        }
    }
    wix.import(&doc).await.unwrap();
    let none = expiring_domains(&*fx.main, &on(MAIN), now, 5 * day, Attempts::immediate(3))
        .await
        .unwrap();
    assert!(none.is_empty(), "{none:?}");
    let some = expiring_domains(&*fx.main, &on(MAIN), now, 30 * day, Attempts::immediate(3))
        .await
        .unwrap();
    assert_eq!(some.len(), 1);
    assert_eq!(some[0].instance, domain_instance);
    assert_eq!(some[0].account, SUB1);
    assert_eq!(some[0].days_left(now), 10);
}

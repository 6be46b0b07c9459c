//! A state document (`PUT /_emulator/state`, `--seed`) that describes a world the
//! live store can never reach is refused whole, naming the member that breaks the
//! invariant, and the world stays as it was: a dependent instance on a site
//! without an active instance of the type it requires, a connected domain on a
//! site that is not premium, two `PRIMARY` domains on one site. And the other way
//! round: no catalog replacement makes a world that the import refuses.

use crate::common::*;
use adapter_memory::{Credentials, MemoryWix};
use reseller_domain::domains::{ConnectRequest, ConnectionType};
use reseller_ports::Provisioning;
use reseller_wire::control::StateDocument;
use reseller_wire::enums::WireStatus;

/// A seeded Wix where [`MAIN_SITE`] holds a chain of dependent services (a Premium
/// plan, a domain that requires it, an SSL certificate that requires the domain)
/// and serves two connected domains (`bakery.com` `PRIMARY`, `florist.com`
/// `REDIRECT`); its export. The plan, the domain and the certificate are the
/// only instances of packages 0, 1 and 2 (each bought once the site holds the
/// type it requires).
async fn chain() -> (Seeded, StateDocument) {
    let s = seeded(id(1), Provisioning::default()).await;
    let cred = Credentials {
        key: &s.keys[0],
        account: MAIN,
    };
    for product in [PLAN_WEBSITE, DOMAIN, SSL] {
        s.wix
            .create_package(cred, None, &create(vec![item(product, Some(MAIN_SITE))]))
            .await
            .unwrap();
        s.clock.advance_millis(1);
    }
    s.wix
        .mark_taken(&["bakery.com".to_owned(), "florist.com".to_owned()])
        .await
        .unwrap();
    for (name, assignment) in [("bakery.com", "PRIMARY"), ("florist.com", "REDIRECT")] {
        let request = ConnectRequest {
            assignment_type: Some(assignment.to_owned()),
            ..ConnectRequest::new(name, Some(ConnectionType::Nameservers))
        };
        s.wix
            .create_connected_domain(cred, Some(MAIN_SITE), &request)
            .await
            .unwrap();
    }
    // A read first: the propagation of the new connections moves on it, so no
    // later call (a refused import included) moves anything.
    s.wix.tlds().await.unwrap();
    assert!(s.wix.invariant_violations().is_empty());
    let doc = s.wix.export();
    (s, doc)
}

/// Imports `doc` into `wix`, expects the refusal at `field` whose words hold each
/// of `named`, and checks that the world did not change.
async fn refused(wix: &MemoryWix, doc: &StateDocument, field: &str, named: &[&str]) {
    let before = wix.export();
    let e = wix.import(doc).await.unwrap_err();
    assert_eq!(e.status(), Some(400), "{e}");
    let violations = e.field_violations();
    assert_eq!(violations.len(), 1, "{e}");
    assert_eq!(violations[0].field, field, "{e}");
    for word in named {
        assert!(
            violations[0].description.contains(word),
            "`{word}` is not named: {}",
            violations[0].description
        );
    }
    assert_eq!(wix.export(), before, "the refused import changed the world");
    assert!(wix.invariant_violations().is_empty());
}

/// Sets the status of the only instance of package `package`.
fn set_status(doc: &mut StateDocument, package: usize, status: &str) {
    doc.packages[package].product_instances[0].status = Some(WireStatus::parse(status));
}

#[tokio::test]
async fn an_import_that_leaves_a_dependent_without_its_required_type_is_refused() {
    let (s, doc) = chain().await;
    // Its own export is taken back whole.
    s.wix.import(&doc).await.unwrap();
    let plan = doc.packages[0].product_instances[0].instance_id.clone();
    let domain = doc.packages[1].product_instances[0].instance_id.clone();
    let ssl = doc.packages[2].product_instances[0].instance_id.clone();
    let site = MAIN_SITE.to_string();
    // Without the connected domains, so only the rule of dependent services speaks.
    let mut bare = doc.clone();
    bare.connected_domains.clear();

    // The plan canceled: the domain is live on a site without a Premium plan.
    let mut no_plan = bare.clone();
    set_status(&mut no_plan, 0, "CANCELED");
    let domain_id = domain.clone().unwrap();
    refused(
        &s.wix,
        &no_plan,
        "packages[1].productInstances[0].siteId",
        &[&domain_id, &site, PREMIUM_PLAN],
    )
    .await;

    // A plan that is live but not active (AWAITING_ACTION) holds no type either.
    let mut awaiting = bare.clone();
    set_status(&mut awaiting, 0, "AWAITING_ACTION");
    refused(
        &s.wix,
        &awaiting,
        "packages[1].productInstances[0].siteId",
        &[&domain_id, &site, PREMIUM_PLAN],
    )
    .await;

    // The domain failed: the certificate is live on a site without a domain.
    let mut no_domain = bare.clone();
    set_status(&mut no_domain, 1, "FAILED");
    let ssl_id = ssl.clone().unwrap();
    refused(
        &s.wix,
        &no_domain,
        "packages[2].productInstances[0].siteId",
        &[&ssl_id, &site, DOMAIN_TYPE],
    )
    .await;

    // The plan moved to another site of the account: the same, named the same.
    let mut moved = bare.clone();
    moved.packages[0].product_instances[0].site_id = Some(MAIN_SPARE.to_string());
    refused(
        &s.wix,
        &moved,
        "packages[1].productInstances[0].siteId",
        &[&domain_id, &site, PREMIUM_PLAN],
    )
    .await;

    // What the live store does instead (the dependents floating) is taken.
    let mut floated = no_plan;
    for p in [1, 2] {
        floated.packages[p].product_instances[0].site_id = None;
    }
    s.wix.import(&floated).await.unwrap();
    let after = s.wix.export();
    assert_eq!(after.packages[0].product_instances[0].instance_id, plan);
    assert_eq!(after.packages[1].product_instances[0].site_id, None);
}

#[tokio::test]
async fn an_import_with_a_domain_connected_to_a_site_that_is_not_premium_is_refused() {
    let (s, doc) = chain().await;
    let site = MAIN_SITE.to_string();
    // Every instance of the chain canceled: no dependent is left live, but the
    // site is no longer premium while both domains still serve it.
    let mut canceled = doc.clone();
    for i in 0..3 {
        set_status(&mut canceled, i, "CANCELED");
    }
    refused(
        &s.wix,
        &canceled,
        "connectedDomains[0].siteInfo.id",
        &[&site, PREMIUM_PLAN, "bakery.com"],
    )
    .await;
    // What the live store does instead (D23: the domains lose their site) is taken.
    for d in &mut canceled.connected_domains {
        d.domain.site_info = None;
    }
    s.wix.import(&canceled).await.unwrap();
}

#[tokio::test]
async fn an_import_with_two_primary_domains_on_one_site_is_refused() {
    let (s, doc) = chain().await;
    let mut two = doc.clone();
    let second = two.connected_domains[1].domain.site_info.as_mut().unwrap();
    second.assignment_type = Some("PRIMARY".to_owned());
    refused(
        &s.wix,
        &two,
        "connectedDomains[1].siteInfo.assignmentType",
        &[&MAIN_SITE.to_string(), "connectedDomains[0]", "PRIMARY"],
    )
    .await;
}

/// The other way round: no catalog replacement makes a world the import refuses.
/// The types of a product with live instances stay; anything else may change.
#[tokio::test]
async fn a_catalog_replacement_keeps_the_types_of_a_product_with_live_instances() {
    let (s, _) = chain().await;
    let product = |id| catalog().into_iter().find(|p| p.id == id).unwrap();
    let ty = |t: &str| reseller_domain::ProductType::new(t).unwrap();
    let before = s.wix.export();
    for (changed, field) in [
        (
            reseller_domain::CatalogProduct {
                requires_product_type: Some(ty(SSL_TYPE)),
                ..product(DOMAIN)
            },
            "requiresProductType",
        ),
        (
            reseller_domain::CatalogProduct {
                product_type: ty(MAILBOX_TYPE),
                ..product(PLAN_WEBSITE)
            },
            "productType",
        ),
    ] {
        let e = s.wix.add_product(changed).await.unwrap_err();
        assert_eq!(e.status(), Some(400), "{e}");
        assert_eq!(e.field_violations()[0].field, field, "{e}");
        assert!(e.message().contains("live instances"), "{e}");
        assert_eq!(
            s.wix.export(),
            before,
            "the refused replacement changed the world"
        );
    }
    // Another member, or the types of a product without live instances, may change.
    s.wix
        .add_product(reseller_domain::CatalogProduct {
            name: "Domain (renamed)".into(),
            ..product(DOMAIN)
        })
        .await
        .unwrap();
    s.wix
        .add_product(reseller_domain::CatalogProduct {
            requires_product_type: Some(ty(SSL_TYPE)),
            ..product(DOMAIN_VOUCHER)
        })
        .await
        .unwrap();
    assert!(s.wix.invariant_violations().is_empty());
    s.wix.import(&s.wix.export()).await.unwrap();
}

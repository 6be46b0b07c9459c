//! Domain Search and Connected Domains (`wix-domains.md` 2, 3 and 6): every rule
//! D1-D23 the ports can observe, with its status and code, and that a refused call
//! changes nothing.

use reseller_domain::domains::{
    AssignmentType, ConnectRequest, ConnectionType, DnsStatus, DomainCode, Propagation,
    SetupRecords, SuggestRequest,
};
use reseller_domain::{ErrorCode, RuleType};
use reseller_ports::{Call, ConnectedDomainsPaging, ErrorKind, Seed, Wix};

use crate::expect::{invalid_fields, ok, refused};
use crate::fixture::*;

const TAKEN: [&str; 4] = ["bakery.com", "bakery.net", "cakes.org", "sub1-own.com"];

async fn domain_world(seed: &dyn Seed) -> Fixture<'_> {
    let fx = Fixture::new(seed).await;
    let names: Vec<String> = TAKEN.iter().map(|n| (*n).to_owned()).collect();
    seed.mark_taken(&names)
        .await
        .unwrap_or_else(|e| panic!("seeding: mark taken: {e}"));
    fx
}

fn code(c: DomainCode) -> ErrorCode {
    ErrorCode::Domain(c)
}

fn ns(domain: &str) -> ConnectRequest {
    ConnectRequest::new(domain, Some(ConnectionType::Nameservers))
}

async fn names(client: &dyn Wix, account: reseller_domain::AccountId) -> Vec<String> {
    let page = ok(
        "List Connected Domains",
        client
            .list_connected_domains(&on(account), &ConnectedDomainsPaging::default())
            .await,
    );
    page.connections
        .iter()
        .map(|c| c.domain.to_string())
        .collect()
}

/// D1-D3: a taken name answers `available: false`, any other well-formed name on a
/// sold TLD `true`; a missing TLD, an unsold TLD, a bad character or a length
/// outside 3..63 is 400 `INVALID_DOMAIN`.
pub async fn d1_d3_check_availability_answers_taken_and_free_names(seed: &dyn Seed) {
    let fx = domain_world(seed).await;
    let call = Call::new();
    let taken = ok(
        "Check taken",
        fx.main.check_availability(&call, "bakery.com").await,
    );
    assert_eq!(
        (taken.domain.as_str(), taken.available),
        ("bakery.com", false)
    );
    let free = ok(
        "Check free",
        fx.main.check_availability(&call, "Fresh-Bakery.shop").await,
    );
    assert_eq!(
        (free.domain.as_str(), free.available),
        ("fresh-bakery.shop", true)
    );
    let long = format!("{}.com", "a".repeat(60));
    for bad in [
        "",
        "bakery",
        "bakery.love",
        "my_bakery.com",
        "ab",
        long.as_str(),
        "bakery..com",
    ] {
        let e = refused(
            &format!("Check `{bad}`"),
            fx.main.check_availability(&call, bad).await,
            code(DomainCode::InvalidDomain),
        );
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
    }
    refused(
        "Check with a key without domains.manage",
        fx.main_manage.check_availability(&call, "bakery.com").await,
        ErrorCode::PermissionDenied,
    );
}

/// D4, D5: the query needs 3..100 letters, digits, spaces, dots and hyphens
/// (`INVALID_QUERY`); at most 10 TLDs (`MAX_SIZE`), without a dot
/// (`INVALID_TLD_FORMAT`), each sold (`TLD_NOT_SUPPORTED`).
pub async fn d4_d5_suggest_checks_the_query_and_the_tlds(seed: &dyn Seed) {
    let fx = domain_world(seed).await;
    let call = Call::new();
    for q in ["ab", "my_bakery", ""] {
        refused(
            &format!("Suggest `{q}`"),
            fx.main
                .suggest_domains(&call, &SuggestRequest::new(q))
                .await,
            ErrorCode::InvalidQuery,
        );
    }
    let with = |tlds: &[&str]| SuggestRequest {
        tlds: tlds.iter().map(|t| (*t).to_owned()).collect(),
        ..SuggestRequest::new("bakery")
    };
    invalid_fields(
        "Suggest with 11 TLDs",
        fx.main.suggest_domains(&call, &with(&["com"; 11])).await,
        &[("tlds", RuleType::MaxSize)],
    );
    refused(
        "Suggest `.com`",
        fx.main.suggest_domains(&call, &with(&[".com"])).await,
        code(DomainCode::InvalidTldFormat),
    );
    refused(
        "Suggest `love`",
        fx.main
            .suggest_domains(&call, &with(&["com", "love"]))
            .await,
        code(DomainCode::TldNotSupported),
    );
    let limits = SuggestRequest {
        paging_limit: Some(21),
        ..SuggestRequest::new("bakery")
    };
    invalid_fields(
        "Suggest with paging.limit 21",
        fx.main.suggest_domains(&call, &limits).await,
        &[("paging.limit", RuleType::Max)],
    );
    let short = SuggestRequest {
        max_length: Some(2),
        ..SuggestRequest::new("bakery")
    };
    invalid_fields(
        "Suggest with maxLength 2",
        fx.main.suggest_domains(&call, &short).await,
        &[("maxLength", RuleType::Min)],
    );
}

/// D6, D7: pages of at most `paging.limit` (default 10) suggestions on the asked
/// TLDs, never a taken name, each name part within `maxLength`; the cursor walks
/// them once, in a fixed order.
pub async fn d6_d7_suggestions_page_and_skip_taken_names(seed: &dyn Seed) {
    let fx = domain_world(seed).await;
    let call = Call::new();
    let first = ok(
        "Suggest",
        fx.main
            .suggest_domains(&call, &SuggestRequest::new("bakery"))
            .await,
    );
    assert_eq!(first.suggestions.len(), 10, "the default page is 10");
    let request = SuggestRequest {
        tlds: vec!["com".into(), "net".into()],
        paging_limit: Some(3),
        max_length: Some(12),
        ..SuggestRequest::new("bakery")
    };
    let mut all = Vec::new();
    let mut next = request.clone();
    loop {
        let page = ok(
            "Suggest, a page",
            fx.main.suggest_domains(&call, &next).await,
        );
        assert!(page.suggestions.len() <= 3);
        all.extend(page.suggestions);
        match page.next_cursor {
            Some(c) => {
                next = SuggestRequest {
                    cursor: Some(c),
                    ..request.clone()
                }
            }
            None => break,
        }
    }
    assert!(!all.is_empty());
    assert_eq!(
        all[0].as_str(),
        "mybakery.com",
        "bakery.com and bakery.net are taken"
    );
    for d in &all {
        assert!(!TAKEN.contains(&d.as_str()), "{d} is taken");
        assert!(["com", "net"].contains(&d.tld().as_str()), "{d}");
        assert!(d.without_tld().len() <= 12, "{d}");
    }
    let again = ok(
        "Suggest again",
        fx.main
            .suggest_domains(
                &call,
                &SuggestRequest {
                    paging_limit: Some(3),
                    ..request
                },
            )
            .await,
    );
    assert_eq!(
        again.suggestions,
        all[..3],
        "the same input, the same order"
    );
}

/// D8, D16, D18, D19: a taken name connects to a premium site of the header
/// account: `id` = domain, the site from `wix-site-id`, `PRIMARY` by default,
/// `suppressNotifications` false, `UNKNOWN_DNS_PROPAGATION_STATUS`, then
/// `IN_PROGRESS` until the emulated DNS completes it.
pub async fn d8_d16_connect_a_taken_domain_and_watch_it_propagate(seed: &dyn Seed) {
    let fx = domain_world(seed).await;
    seed.set_dns(Propagation::Manual).await.unwrap();
    fx.plan(SUB1, Some(SUB1_SITE)).await;
    let c = ok(
        "Create Connected Domain",
        fx.main
            .create_connected_domain(&on(SUB1), Some(SUB1_SITE), &ns("bakery.com"))
            .await,
    );
    assert_eq!(c.domain.as_str(), "bakery.com");
    assert_eq!(c.connection_type, ConnectionType::Nameservers);
    assert_eq!(
        c.site.map(|s| (s.site, s.assignment)),
        Some((SUB1_SITE, AssignmentType::Primary))
    );
    assert!(!c.suppress_notifications);
    assert_eq!(c.dns, DnsStatus::Unknown);
    let read = ok(
        "Get",
        fx.main.get_connected_domain(&on(SUB1), "bakery.com").await,
    );
    assert_eq!(read.dns, DnsStatus::InProgress);
    let done = ok(
        "DNS completes",
        seed.set_dns_status("bakery.com", DnsStatus::Completed)
            .await,
    );
    assert_eq!(done.dns, DnsStatus::Completed);
    let read = ok(
        "Get",
        fx.main.get_connected_domain(&on(SUB1), "bakery.com").await,
    );
    assert_eq!(read.dns, DnsStatus::Completed);
    refused(
        "COMPLETED back to IN_PROGRESS",
        seed.set_dns_status("bakery.com", DnsStatus::InProgress)
            .await,
        ErrorCode::IllegalStatusTransition,
    );
    seed.set_dns(Propagation::Auto {
        delay_millis: 60_000,
    })
    .await
    .unwrap();
    ok(
        "Create",
        fx.main
            .create_connected_domain(
                &on(SUB1),
                Some(SUB1_SITE),
                &ConnectRequest::new("shop.bakery.com", None),
            )
            .await,
    );
    let read = ok(
        "Get",
        fx.main
            .get_connected_domain(&on(SUB1), "shop.bakery.com")
            .await,
    );
    assert_eq!(read.dns, DnsStatus::InProgress);
    fx.advance(60_000).await;
    let read = ok(
        "Get",
        fx.main
            .get_connected_domain(&on(SUB1), "shop.bakery.com")
            .await,
    );
    assert_eq!(read.dns, DnsStatus::Completed);
    assert_eq!(
        read.connection_type,
        ConnectionType::Unknown,
        "a subdomain has no type"
    );
}

/// D9-D12, D14: a name for sale, a restricted TLD, a wrong connection type, a free
/// site, a missing or foreign site each refuse with Wix's code, changing nothing.
pub async fn d9_d14_refusals_of_create_change_nothing(seed: &dyn Seed) {
    let fx = domain_world(seed).await;
    fx.plan(SUB1, Some(SUB1_SITE)).await;
    let create = |site, r: ConnectRequest| {
        let client = fx.main.clone();
        async move { client.create_connected_domain(&on(SUB1), site, &r).await }
    };
    refused(
        "for sale",
        create(Some(SUB1_SITE), ns("free-name.com")).await,
        code(DomainCode::InvalidDomainToConnect),
    );
    refused(
        "restricted",
        create(Some(SUB1_SITE), ns("bakery.love")).await,
        code(DomainCode::InvalidDomainToConnect),
    );
    for ct in [None, Some("HIDDEN"), Some("SOMETHING")] {
        let r = ConnectRequest {
            connection_type: ct.map(Into::into),
            ..ns("bakery.com")
        };
        refused(
            &format!("type {ct:?}"),
            create(Some(SUB1_SITE), r).await,
            code(DomainCode::InvalidConnectionType),
        );
    }
    refused(
        "a subdomain with a type",
        create(
            Some(SUB1_SITE),
            ConnectRequest::new("www.bakery.com", Some(ConnectionType::Pointing)),
        )
        .await,
        code(DomainCode::InvalidConnectionType),
    );
    let e = refused(
        "a free site",
        create(Some(SUB1_SPARE), ns("bakery.com")).await,
        code(DomainCode::NonPremiumSite),
    );
    assert_eq!(e.kind(), ErrorKind::PermissionDenied);
    for site in [None, Some(UNKNOWN_SITE), Some(SUB2_SITE)] {
        refused(
            &format!("site {site:?}"),
            create(site, ns("bakery.com")).await,
            code(DomainCode::GuidNotValid),
        );
    }
    invalid_fields(
        "no domain",
        create(Some(SUB1_SITE), ConnectRequest::default()).await,
        &[("connectedDomain.domain", RuleType::RequiredField)],
    );
    refused(
        "an unknown header account",
        fx.main
            .create_connected_domain(&on(UNKNOWN_ACCOUNT), Some(SUB1_SITE), &ns("bakery.com"))
            .await,
        code(DomainCode::GuidNotFound),
    );
    refused(
        "a sibling's account",
        fx.sub2
            .create_connected_domain(&on(SUB1), Some(SUB1_SITE), &ns("bakery.com"))
            .await,
        code(DomainCode::PermissionDenied),
    );
    refused(
        "a key without domains.manage",
        fx.main_manage
            .create_connected_domain(&on(SUB1), Some(SUB1_SITE), &ns("bakery.com"))
            .await,
        ErrorCode::PermissionDenied,
    );
    assert!(
        names(&*fx.main, SUB1).await.is_empty(),
        "nothing was connected"
    );
}

/// D13, D17: the same request again answers the existing domain; other settings are
/// 409 `DOMAINS_ALREADY_EXISTS`; another family is 403 `DOMAINS_DOMAIN_NOT_PERMITTED`;
/// a new `PRIMARY` unassigns the site's previous primary.
pub async fn d13_d17_identity_and_the_primary_domain(seed: &dyn Seed) {
    let fx = domain_world(seed).await;
    fx.plan(SUB1, Some(SUB1_SITE)).await;
    fx.plan(SUB1, Some(SUB1_SPARE)).await;
    ok(
        "A plan for OTHER",
        fx.other
            .create_package(
                &on(OTHER),
                &create(vec![item(PLAN_UNLIMITED, Some(OTHER_SITE))]),
            )
            .await,
    );
    let first = ok(
        "Create",
        fx.main
            .create_connected_domain(&on(SUB1), Some(SUB1_SITE), &ns("bakery.com"))
            .await,
    );
    let again = ok(
        "Create again",
        fx.main
            .create_connected_domain(&on(SUB1), Some(SUB1_SITE), &ns("bakery.com"))
            .await,
    );
    assert_eq!(
        (again.domain.clone(), again.created),
        (first.domain.clone(), first.created)
    );
    refused(
        "another type",
        fx.main
            .create_connected_domain(
                &on(SUB1),
                Some(SUB1_SITE),
                &ConnectRequest::new("bakery.com", Some(ConnectionType::Pointing)),
            )
            .await,
        code(DomainCode::AlreadyExists),
    );
    refused(
        "another site",
        fx.main
            .create_connected_domain(&on(SUB1), Some(SUB1_SPARE), &ns("bakery.com"))
            .await,
        code(DomainCode::AlreadyExists),
    );
    refused(
        "another family",
        fx.other
            .create_connected_domain(&on(OTHER), Some(OTHER_SITE), &ns("bakery.com"))
            .await,
        code(DomainCode::DomainNotPermitted),
    );
    ok(
        "A second primary",
        fx.main
            .create_connected_domain(&on(SUB1), Some(SUB1_SITE), &ns("cakes.org"))
            .await,
    );
    let old = ok(
        "Get the first",
        fx.main.get_connected_domain(&on(SUB1), "bakery.com").await,
    );
    assert_eq!(old.site, None, "the previous primary is unassigned");
    let redirect = ConnectRequest {
        assignment_type: Some("REDIRECT".into()),
        ..ns("bakery.net")
    };
    ok(
        "A redirect",
        fx.main
            .create_connected_domain(&on(SUB1), Some(SUB1_SITE), &redirect)
            .await,
    );
    let primary = ok(
        "Get the primary",
        fx.main.get_connected_domain(&on(SUB1), "cakes.org").await,
    );
    assert!(primary.site.is_some(), "a redirect leaves the primary");
}

/// D15, D20, D21: Get, List and Setup Info answer only the header account's
/// domains (others: 404 `NOT_FOUND`); List is newest first with cursor paging;
/// Setup Info carries the records of the connection type.
pub async fn d15_d20_d21_reads_are_per_account(seed: &dyn Seed) {
    let fx = domain_world(seed).await;
    fx.plan(SUB1, Some(SUB1_SITE)).await;
    fx.plan(SUB1, Some(SUB1_SPARE)).await;
    ok(
        "Create",
        fx.main
            .create_connected_domain(&on(SUB1), Some(SUB1_SITE), &ns("bakery.com"))
            .await,
    );
    fx.advance(1_000).await;
    let pointing = ConnectRequest {
        assignment_type: Some("REDIRECT".into()),
        ..ConnectRequest::new("bakery.net", Some(ConnectionType::Pointing))
    };
    ok(
        "Create",
        fx.main
            .create_connected_domain(&on(SUB1), Some(SUB1_SITE), &pointing)
            .await,
    );
    fx.advance(1_000).await;
    ok(
        "Create",
        fx.main
            .create_connected_domain(
                &on(SUB1),
                Some(SUB1_SPARE),
                &ConnectRequest::new("shop.cakes.org", None),
            )
            .await,
    );
    assert_eq!(
        names(&*fx.main, SUB1).await,
        ["shop.cakes.org", "bakery.net", "bakery.com"]
    );
    assert!(names(&*fx.main, SUB2).await.is_empty());
    let page = ok(
        "List, limit 2",
        fx.main
            .list_connected_domains(
                &on(SUB1),
                &ConnectedDomainsPaging {
                    limit: Some(2),
                    cursor: None,
                },
            )
            .await,
    );
    assert_eq!(page.connections.len(), 2);
    let rest = ok(
        "List, next",
        fx.main
            .list_connected_domains(
                &on(SUB1),
                &ConnectedDomainsPaging {
                    limit: Some(2),
                    cursor: page.next_cursor,
                },
            )
            .await,
    );
    assert_eq!(rest.connections.len(), 1);
    assert_eq!(rest.next_cursor, None);
    invalid_fields(
        "List with limit 101",
        fx.main
            .list_connected_domains(
                &on(SUB1),
                &ConnectedDomainsPaging {
                    limit: Some(101),
                    cursor: None,
                },
            )
            .await,
        &[("paging.limit", RuleType::Max)],
    );
    for (domain, kind) in [
        ("bakery.com", "ns"),
        ("bakery.net", "pointing"),
        ("shop.cakes.org", "sub"),
    ] {
        let info = ok(
            "Setup Info",
            fx.main.connected_domain_setup_info(&on(SUB1), domain).await,
        );
        let got = match info.records {
            SetupRecords::Nameservers { .. } => "ns",
            SetupRecords::Pointing { .. } => "pointing",
            SetupRecords::Subdomain { .. } => "sub",
        };
        assert_eq!(got, kind, "{domain}");
    }
    for account in [SUB2, MAIN] {
        refused(
            "Get of another account's",
            fx.main
                .get_connected_domain(&on(account), "bakery.com")
                .await,
            code(DomainCode::NotFound),
        );
        refused(
            "Setup of another account's",
            fx.main
                .connected_domain_setup_info(&on(account), "bakery.com")
                .await,
            code(DomainCode::NotFound),
        );
    }
}

/// D22, D23: a domain product needs a premium site; canceling the site's Premium
/// plan disconnects its domains in the same change, and a new plan reconnects
/// nothing.
pub async fn d22_d23_the_plan_leaving_the_site_disconnects_its_domain(seed: &dyn Seed) {
    let fx = domain_world(seed).await;
    refused(
        "a domain on a free site",
        fx.main
            .create_package(&on(SUB1), &create(vec![item(DOMAIN, Some(SUB1_SITE))]))
            .await,
        ErrorCode::ProductNotSupportedOnSite,
    );
    let (plan, _) = fx.plan(SUB1, Some(SUB1_SITE)).await;
    ok(
        "Create",
        fx.main
            .create_connected_domain(&on(SUB1), Some(SUB1_SITE), &ns("bakery.com"))
            .await,
    );
    ok(
        "Cancel the plan",
        fx.main.cancel_package(&on(SUB1), plan.id()).await,
    );
    let read = ok(
        "Get",
        fx.main.get_connected_domain(&on(SUB1), "bakery.com").await,
    );
    assert_eq!(read.site, None, "the domain left the site with the plan");
    fx.plan(SUB1, Some(SUB1_SITE)).await;
    let read = ok(
        "Get",
        fx.main.get_connected_domain(&on(SUB1), "bakery.com").await,
    );
    assert_eq!(read.site, None, "a new plan reconnects nothing");
    let back = ok(
        "Connect again",
        fx.main
            .create_connected_domain(&on(SUB1), Some(SUB1_SITE), &ns("bakery.com"))
            .await,
    );
    assert_eq!(back.site.map(|s| s.site), Some(SUB1_SITE));
}

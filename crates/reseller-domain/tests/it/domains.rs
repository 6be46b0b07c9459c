//! Connected Domains through the public API: every rule D8-D23 with the code it
//! answers with, on the fixture world with a plain [`DomainsView`].

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use reseller_domain::auth::{Grant, Scope};
use reseller_domain::domains::ops::disconnections;
use reseller_domain::domains::*;
use reseller_domain::query::CursorKey;
use reseller_domain::*;

use crate::fixture::*;

/// A plain domains view: TLDs, taken names, connected domains by name.
#[derive(Default, Clone)]
struct Domains {
    tlds: TldSet,
    taken: BTreeSet<DomainName>,
    connected: BTreeMap<DomainName, ConnectedDomain>,
}

impl DomainsView for Domains {
    fn tlds(&self) -> &TldSet {
        &self.tlds
    }
    fn is_taken(&self, name: &DomainName) -> bool {
        self.taken.contains(name)
    }
    fn connected(&self, name: &DomainName) -> Option<&ConnectedDomain> {
        self.connected.get(name)
    }
    fn connected_of_account(&self, account: AccountId) -> Vec<&ConnectedDomain> {
        self.connected
            .values()
            .filter(|d| d.account == account)
            .collect()
    }
    fn connected_of_site(&self, site: SiteId) -> Vec<&ConnectedDomain> {
        self.connected
            .values()
            .filter(|d| d.site.is_some_and(|s| s.site == site))
            .collect()
    }
}

impl Domains {
    fn with_taken(names: &[&str]) -> Self {
        Self {
            taken: names
                .iter()
                .map(|n| DomainName::parse(n).unwrap())
                .collect(),
            ..Self::default()
        }
    }
    fn store(&mut self, c: &Connected) {
        for d in &c.changes {
            self.connected.insert(d.domain.clone(), d.clone());
        }
    }
}

/// The standard world with a Premium plan on `SUB1_SITE`, `SUB1_SPARE` and
/// `OTHER_SITE`; `SUB1_THIRD` holds none.
fn premium_world() -> (World, Ids) {
    let mut w = world();
    let mut ids = Ids::new();
    buy(
        &mut w,
        &mut ids,
        SUB1,
        vec![item(PLAN_UNLIMITED, Some(SUB1_SITE))],
    );
    buy(
        &mut w,
        &mut ids,
        SUB1,
        vec![item(PLAN_VIP, Some(SUB1_SPARE))],
    );
    buy(
        &mut w,
        &mut ids,
        OTHER,
        vec![item(PLAN_UNLIMITED, Some(OTHER_SITE))],
    );
    (w, ids)
}

fn connect(
    w: &World,
    d: &Domains,
    account: AccountId,
    on: Option<SiteId>,
    request: &ConnectRequest,
) -> Result<Connected, Refusal> {
    create_connected_domain(
        w,
        d,
        &caller(account),
        on,
        request,
        Propagation::default(),
        now(),
    )
}

fn ns(domain: &str) -> ConnectRequest {
    ConnectRequest::new(domain, Some(ConnectionType::Nameservers))
}

#[test]
fn d8_d16_d18_d19_a_new_connection() {
    let (w, _) = premium_world();
    let d = Domains::with_taken(&["bakery.com"]);
    let c = connect(&w, &d, SUB1, Some(SUB1_SITE), &ns("Bakery.com")).unwrap();
    let got = &c.answer;
    assert_eq!(got.domain.as_str(), "bakery.com");
    assert_eq!(got.dns, DnsStatus::Unknown);
    assert_eq!(
        got.site,
        Some(SiteAssignment {
            site: SUB1_SITE,
            assignment: AssignmentType::Primary
        })
    );
    assert!(!got.suppress_notifications);
    assert_eq!(got.account, SUB1);
    let missing = ConnectRequest::default();
    assert_eq!(
        codes(&connect(&w, &d, SUB1, Some(SUB1_SITE), &missing).unwrap_err()),
        ["INVALID_ARGUMENT"]
    );
}

#[test]
fn d9_d10_names_for_sale_and_restricted_tlds_are_invalid_domains() {
    let (w, _) = premium_world();
    let d = Domains::with_taken(&["bakery.com"]);
    let e = connect(&w, &d, SUB1, Some(SUB1_SITE), &ns("free-name.com")).unwrap_err();
    assert_eq!(codes(&e), ["Invalid domain"]);
    assert_eq!(
        e.primary().to_string(),
        "Unable to connect domain `free-name.com`, it's available for purchase."
    );
    let e = connect(&w, &d, SUB1, Some(SUB1_SITE), &ns("bakery.love")).unwrap_err();
    assert_eq!(
        e.primary().to_string(),
        "Domain `bakery.love` is Wix restricted."
    );
    assert_eq!(e.code().http_status(), 400);
    // A subdomain of a taken root can be connected (no connection type).
    let sub = ConnectRequest::new("shop.bakery.com", None);
    let c = connect(&w, &d, SUB1, Some(SUB1_SITE), &sub).unwrap();
    assert_eq!(c.answer.connection_type, ConnectionType::Unknown);
}

#[test]
fn d11_connection_types_of_roots_and_subdomains() {
    let (w, _) = premium_world();
    let d = Domains::with_taken(&["bakery.com"]);
    for (domain, ct) in [
        ("bakery.com", None),
        ("bakery.com", Some("HIDDEN")),
        ("bakery.com", Some("UNKNOWN_CONNECTION_TYPE")),
        ("bakery.com", Some("pointing")),
        ("shop.bakery.com", Some("POINTING")),
    ] {
        let r = ConnectRequest {
            domain: Some(domain.into()),
            connection_type: ct.map(Into::into),
            ..ConnectRequest::default()
        };
        let e = connect(&w, &d, SUB1, Some(SUB1_SITE), &r).unwrap_err();
        assert_eq!(codes(&e), ["Invalid connection type"], "{domain} {ct:?}");
        let shown = ct.unwrap_or("UNKNOWN_CONNECTION_TYPE");
        assert_eq!(
            e.primary().to_string(),
            format!("Invalid connection type `{shown}`.")
        );
    }
}

#[test]
fn d12_the_site_must_be_premium() {
    let (w, _) = premium_world();
    let d = Domains::with_taken(&["bakery.com"]);
    let e = connect(&w, &d, SUB1, Some(SUB1_THIRD), &ns("bakery.com")).unwrap_err();
    assert_eq!(codes(&e), ["NON_PREMIUM_SITE"]);
    assert_eq!(e.code().http_status(), 403);
}

#[test]
fn d13_d17_identity_and_the_primary_domain() {
    let (w, _) = premium_world();
    let mut d = Domains::with_taken(&["bakery.com", "cakes.net"]);
    let first = connect(&w, &d, SUB1, Some(SUB1_SITE), &ns("bakery.com")).unwrap();
    d.store(&first);
    // The same request again: the existing object, nothing to store.
    let again = connect(&w, &d, SUB1, Some(SUB1_SITE), &ns("bakery.com")).unwrap();
    assert_eq!(again.answer, first.answer);
    assert!(again.changes.is_empty());
    // Other settings: 409 with the right message.
    let pointing = ConnectRequest::new("bakery.com", Some(ConnectionType::Pointing));
    let e = connect(&w, &d, SUB1, Some(SUB1_SITE), &pointing).unwrap_err();
    assert_eq!(codes(&e), ["DOMAINS_ALREADY_EXISTS"]);
    assert!(
        e.primary()
            .to_string()
            .contains("different connection type")
    );
    let e = connect(&w, &d, SUB1, Some(SUB1_SPARE), &ns("bakery.com")).unwrap_err();
    assert!(e.primary().to_string().contains("different settings"));
    // Another family: not permitted, revealing nothing more.
    let e = connect(&w, &d, OTHER, Some(OTHER_SITE), &ns("bakery.com")).unwrap_err();
    assert_eq!(codes(&e), ["DOMAINS_DOMAIN_NOT_PERMITTED"]);
    // A new PRIMARY unassigns the previous one.
    let second = connect(&w, &d, SUB1, Some(SUB1_SITE), &ns("cakes.net")).unwrap();
    assert_eq!(second.changes.len(), 2);
    assert_eq!(second.changes[1].domain.as_str(), "bakery.com");
    assert_eq!(second.changes[1].site, None);
    // A REDIRECT leaves it.
    let mut d2 = Domains::with_taken(&["bakery.com", "cakes.net"]);
    d2.store(&first);
    let redirect = ConnectRequest {
        assignment_type: Some("REDIRECT".into()),
        ..ns("cakes.net")
    };
    assert_eq!(
        connect(&w, &d2, SUB1, Some(SUB1_SITE), &redirect)
            .unwrap()
            .changes
            .len(),
        1
    );
}

#[test]
fn d14_site_header_and_authorization() {
    let (w, _) = premium_world();
    let d = Domains::with_taken(&["bakery.com"]);
    for on in [None, Some(UNKNOWN_SITE), Some(MAIN_SITE)] {
        let e = connect(&w, &d, SUB1, on, &ns("bakery.com")).unwrap_err();
        assert_eq!(codes(&e), ["DOMAINS_GUID_NOT_VALID"], "{on:?}");
    }
    let full = Grant::full(MAIN);
    assert!(authorize_connected(&w, &full, SUB1).is_ok());
    let e = authorize_connected(&w, &full, UNKNOWN_ACCOUNT).unwrap_err();
    assert_eq!(e.code().as_str(), "DOMAINS_GUID_NOT_FOUND");
    let e = authorize_connected(&w, &Grant::full(SUB2), SUB1).unwrap_err();
    assert_eq!(e.code().as_str(), "DOMAINS_PERMISSION_DENIED");
    let no_scope = Grant {
        account: MAIN,
        scopes: [Scope::PackagesManage].into_iter().collect(),
    };
    let e = authorize_connected(&w, &no_scope, SUB1).unwrap_err();
    assert_eq!(e.code().as_str(), "PERMISSION_DENIED");
}

#[test]
fn d15_d21_get_and_setup_info_only_for_the_owner() {
    let (w, _) = premium_world();
    let mut d = Domains::with_taken(&["bakery.com"]);
    d.store(&connect(&w, &d, SUB1, Some(SUB1_SITE), &ns("bakery.com")).unwrap());
    assert!(get_connected_domain(&d, &caller(SUB1), "bakery.com").is_ok());
    for (account, name) in [
        (SUB2, "bakery.com"),
        (SUB1, "nothing.com"),
        (SUB1, "not a name"),
    ] {
        let e = get_connected_domain(&d, &caller(account), name).unwrap_err();
        assert_eq!(codes(&e), ["NOT_FOUND"]);
        assert_eq!(e.code().http_status(), 404);
    }
    let info = setup_info(&d, &caller(SUB1), "bakery.com").unwrap();
    assert!(matches!(info.records, SetupRecords::Nameservers { .. }));
}

#[test]
fn d23_a_site_that_stops_being_premium_loses_its_domains() {
    let (w, mut ids) = premium_world();
    let mut d = Domains::with_taken(&["bakery.com"]);
    d.store(&connect(&w, &d, SUB1, Some(SUB1_SITE), &ns("bakery.com")).unwrap());
    let plan = w.instances_on_site(SUB1_SITE)[0].id();
    let mut after = w.clone();
    let done = reseller_domain::ops::cancel_instance(&w, &caller(SUB1), plan, later(5)).unwrap();
    after.apply(&done.changes);
    let gone = disconnections(&w, &after, &d, [SUB1_SITE, SUB1_SPARE], later(5));
    assert_eq!(gone.len(), 1);
    assert_eq!(gone[0].site, None);
    assert_eq!(gone[0].updated, later(5));
    // Buying a new plan reconnects nothing: the domain stays without a site.
    buy(
        &mut after,
        &mut ids,
        SUB1,
        vec![item(PLAN_UNLIMITED, Some(SUB1_SITE))],
    );
    assert!(is_premium(&after, SUB1_SITE));
    assert!(disconnections(&w, &after, &d, [SUB1_SITE], later(6)).is_empty());
}

proptest! {
    /// D20: walking List Connected Domains' cursor gives every domain of the
    /// account once, createdDate descending, pages within the limit; another
    /// account's cursor is refused.
    #[test]
    fn d20_list_pages_are_sorted_and_complete(
        created in proptest::collection::vec(0i64..20, 0..30),
        limit in 1i64..=7,
    ) {
        let mut d = Domains::default();
        for (i, at) in created.iter().enumerate() {
            let name = DomainName::parse(&format!("d{i}.com")).unwrap();
            let owner = if i % 4 == 3 { SUB2 } else { SUB1 };
            let c = ConnectedDomain::new(name.clone(), owner, ConnectionType::Pointing, None, false, Propagation::Manual, later(*at));
            d.connected.insert(name, c);
        }
        let key = CursorKey::new([3; 16]);
        let mut walked = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let page = list_connected_domains(&d, &caller(SUB1), Some(limit), cursor.as_deref(), &key).unwrap();
            prop_assert!(page.domains.len() <= usize::try_from(limit).unwrap());
            walked.extend(page.domains);
            match page.next_cursor {
                Some(c) => {
                    let e = list_connected_domains(&d, &caller(SUB2), None, Some(&c), &key).unwrap_err();
                    prop_assert_eq!(e.code(), ErrorCode::InvalidCursor);
                    cursor = Some(c);
                }
                None => break,
            }
        }
        let mine = created.iter().enumerate().filter(|(i, _)| i % 4 != 3).count();
        prop_assert_eq!(walked.len(), mine);
        for pair in walked.windows(2) {
            prop_assert!(pair[0].created > pair[1].created
                || (pair[0].created == pair[1].created && pair[0].domain < pair[1].domain));
        }
    }

    /// A refused Create changes nothing and never panics, whatever is sent.
    #[test]
    fn any_create_request_is_answered(
        domain in proptest::option::of("[a-zA-Z0-9.\\- ]{0,20}"),
        ct in proptest::option::of(prop::sample::select(vec!["POINTING", "NAMESERVERS", "HIDDEN", "x"])),
        at in proptest::option::of(prop::sample::select(vec!["PRIMARY", "REDIRECT", "y"])),
        on in prop::sample::select(vec![None, Some(SUB1_SITE), Some(SUB1_THIRD), Some(OTHER_SITE)]),
    ) {
        let (w, _) = premium_world();
        let d = Domains::with_taken(&["bakery.com", "a.co"]);
        let r = ConnectRequest {
            domain: domain.clone(),
            connection_type: ct.map(Into::into),
            assignment_type: at.map(Into::into),
            suppress_notifications: None,
        };
        if let Ok(c) = connect(&w, &d, SUB1, on, &r) {
            prop_assert!(!is_available(&d, &c.answer.domain));
            prop_assert_eq!(c.answer.site.map(|s| s.site), on);
        }
    }
}

#[test]
fn d22_a_domain_product_needs_a_premium_site() {
    let (w, _) = premium_world();
    let r = reseller_domain::ops::create_package(
        &w,
        &caller(SUB1),
        &create(vec![item(DOMAIN, Some(SUB1_THIRD))]),
        now(),
        &mut || uuid::Uuid::from_u128(77),
    )
    .unwrap_err();
    assert_eq!(codes(&r), ["PRODUCT_NOT_SUPPORTED_ON_SITE"]);
    assert!(!is_premium(&w, SUB1_THIRD));
    assert!(is_premium(&w, SUB1_SITE));
}

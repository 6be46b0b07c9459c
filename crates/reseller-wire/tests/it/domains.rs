//! Domain Search and Connected Domains on the wire: Wix's examples read and written
//! back exactly, the literal codes with spaces, the repeated `tlds` key.

use proptest::prelude::*;
use reseller_domain::domains::*;
use reseller_domain::{Refusal, SiteId, Timestamp};
use reseller_wire::ErrorBody;
use reseller_wire::domains::*;
use serde_json::json;

const SITE: &str = "c10cf845-bf18-4c10-8428-c4e5c7a39744";

#[test]
fn availability_example_reads_and_writes_back() {
    let docs = json!({"availability": {"domain": "mydomain.com", "available": false}});
    let read: CheckDomainAvailabilityResponse = serde_json::from_value(docs.clone()).unwrap();
    let a = read.try_into_domain().unwrap();
    assert_eq!(a.domain.as_str(), "mydomain.com");
    assert!(!a.available);
    assert_eq!(
        serde_json::to_value(CheckDomainAvailabilityResponse::from_domain(&a)).unwrap(),
        docs
    );
}

#[test]
fn suggest_example_reads_and_tlds_are_a_repeated_key() {
    let docs = json!({"suggestions": [{"domain": "find-my-domain.com"}, {"domain": "mydomain.com"},
                                      {"domain": "mydomain.love"}, {"domain": "my-domain.love"}]});
    let read: SuggestDomainsResponse = serde_json::from_value(docs).unwrap();
    let page = read.try_into_domain().unwrap();
    assert_eq!(page.suggestions.len(), 4);
    assert_eq!(page.next_cursor, None);
    let written = serde_json::to_value(SuggestDomainsResponse::from_domain(&page)).unwrap();
    assert_eq!(
        written["pagingMetadata"],
        json!({"count": 4, "cursors": {}, "hasNext": false})
    );

    let request = SuggestRequest {
        query: Some("my stunning domain".into()),
        tlds: vec!["com".into(), "love".into()],
        limit: Some(4),
        ..SuggestRequest::default()
    };
    let pairs = suggest_query_pairs(&request);
    assert_eq!(
        pairs,
        [
            ("query", "my stunning domain".to_owned()),
            ("tlds", "com".to_owned()),
            ("tlds", "love".to_owned()),
            ("limit", "4".to_owned())
        ]
    );
    let owned: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect();
    assert_eq!(suggest_request_from_pairs(&owned).unwrap(), request);
    let bad = vec![("paging.limit".to_owned(), "ten".to_owned())];
    let e = suggest_request_from_pairs(&bad).unwrap_err();
    assert_eq!(e.violations()[0].field, "paging.limit");
}

#[test]
fn connected_domain_examples_read_and_write_back() {
    let created = json!({"connectedDomain": {"id": "mysite.com", "domain": "mysite.com",
        "connectionType": "NAMESERVERS", "siteInfo": {"id": SITE, "assignmentType": "PRIMARY"},
        "suppressNotifications": false, "dnsPropagationStatus": "UNKNOWN_DNS_PROPAGATION_STATUS"}});
    let read: ConnectedDomainResponse = serde_json::from_value(created.clone()).unwrap();
    let c = read.try_into_domain().unwrap();
    assert_eq!(c.connection_type, ConnectionType::Nameservers);
    assert_eq!(
        c.site,
        Some(SiteAssignment {
            site: SiteId::parse(SITE).unwrap(),
            assignment: AssignmentType::Primary
        })
    );
    assert_eq!(
        serde_json::to_value(ConnectedDomainResponse::from_domain(&c)).unwrap(),
        created
    );

    let body =
        json!({"connectedDomain": {"domain": "sub.mysite.com", "suppressNotifications": true}});
    let request: CreateConnectedDomainRequest = serde_json::from_value(body.clone()).unwrap();
    let domain = request.to_domain().unwrap();
    assert_eq!(domain.domain.as_deref(), Some("sub.mysite.com"));
    assert_eq!(domain.suppress_notifications, Some(true));
    assert_eq!(
        serde_json::to_value(CreateConnectedDomainRequest::from_domain(&domain)).unwrap(),
        body
    );
    let snake: CreateConnectedDomainRequest = serde_json::from_value(
        json!({"connected_domain": {"domain": "a.com", "connection_type": "POINTING", "site_info": {"assignment_type": "REDIRECT"}}})).unwrap();
    let snake = snake.to_domain().unwrap();
    assert_eq!(snake.connection_type.as_deref(), Some("POINTING"));
    assert_eq!(snake.assignment_type.as_deref(), Some("REDIRECT"));
    let empty: CreateConnectedDomainRequest = serde_json::from_value(json!({})).unwrap();
    assert_eq!(
        empty.to_domain().unwrap_err().violations()[0].field,
        "connectedDomain"
    );

    let unknown: ConnectedDomainResponse = serde_json::from_value(
        json!({"connectedDomain": {"domain": "a.com", "dnsPropagationStatus": "SOMETHING"}}),
    )
    .unwrap();
    assert_eq!(
        unknown.try_into_domain().unwrap_err().path(),
        "connectedDomain.dnsPropagationStatus"
    );
}

#[test]
fn list_example_with_explicit_null_cursors_reads() {
    let docs = json!({"pagingMetadata": {"count": 1, "cursors": {"next": null, "prev": null}, "hasNext": false},
                      "connectedDomains": [{"id": "mysite.com", "domain": "mysite.com", "connectionType": "POINTING",
                                            "dnsPropagationStatus": "COMPLETED", "createdDate": "2024-01-25T10:00:00.000Z"}]});
    let page: ListConnectedDomainsResponse = serde_json::from_value(docs).unwrap();
    let page = page.try_into_domain().unwrap();
    assert_eq!(page.next_cursor, None);
    assert_eq!(page.connections[0].dns, DnsStatus::Completed);
    assert_eq!(
        page.connections[0].created,
        Some(Timestamp::parse_rfc3339("2024-01-25T10:00:00.000Z").unwrap())
    );
}

#[test]
fn setup_info_example_reads_registrar_name_and_writes_one_record_set() {
    let docs = json!({"connectedDomainSetupInfo": {"connectedDomainId": "mysite.com",
        "registrarName": "GO_DADDY", "nameserverRecord": {"nsRecord": {"hostName": "mysite.com",
        "ttl": 86400, "values": ["ns13.wixdns.net", "ns12.wixdns.net"]}}}});
    let read: SetupInfoResponse = serde_json::from_value(docs).unwrap();
    let info = read.try_into_domain().unwrap();
    assert_eq!(info.registrar.name, "GO_DADDY");
    assert!(matches!(&info.records, SetupRecords::Nameservers { ns } if ns.ttl == 86_400));
    let written = serde_json::to_value(SetupInfoResponse::from_domain(&info)).unwrap();
    let s = &written["connectedDomainSetupInfo"];
    assert_eq!(s["registrar"]["name"], "GO_DADDY");
    assert!(s.get("registrarName").is_none());
    assert!(s.get("pointingRecords").is_none() && s.get("subdomainRecords").is_none());
}

#[test]
fn codes_with_spaces_are_sent_literally() {
    let cases: [(DomainViolation, &str, u16); 3] = [
        (
            DomainViolation::AvailableForPurchase {
                domain: "a.com".into(),
            },
            "Invalid domain",
            400,
        ),
        (
            DomainViolation::InvalidConnectionType {
                connection_type: "HIDDEN".into(),
            },
            "Invalid connection type",
            400,
        ),
        (
            DomainViolation::NonPremiumSite {
                domain: "a.com".into(),
                site: SiteId::parse(SITE).unwrap(),
            },
            "NON_PREMIUM_SITE",
            403,
        ),
    ];
    for (v, code, status) in cases {
        let body = ErrorBody::from_refusal(&Refusal::from(v));
        assert_eq!(body.code(), Some(code));
        let json = serde_json::to_value(&body).unwrap();
        assert_eq!(json["details"]["applicationError"]["code"], code);
        let back: ErrorBody = serde_json::from_value(json).unwrap();
        assert_eq!(back.error_code(status).as_str(), code);
        assert_eq!(back.error_code(status).http_status(), status);
    }
}

proptest! {
    /// Any query string is read without panicking; what is read writes back to
    /// the same pairs.
    #[test]
    fn suggest_pairs_round_trip(
        query in proptest::option::of("[ -~]{0,20}"),
        tlds in proptest::collection::vec("[ -~]{0,6}", 0..12),
        limit in proptest::option::of(-5i64..30),
        max_length in proptest::option::of(-5i64..90),
    ) {
        let r = SuggestRequest { query, tlds, limit, paging_limit: None, cursor: None, max_length };
        let pairs: Vec<(String, String)> = suggest_query_pairs(&r).into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        prop_assert_eq!(suggest_request_from_pairs(&pairs).unwrap(), r);
    }
}

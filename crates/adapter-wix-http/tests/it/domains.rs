//! Domain Search and Connected Domains on the wire: methods, paths, query strings
//! (`tlds` repeated), `wix-site-id`, the docs' answers read back, the literal codes
//! kept, and the same retries as every other call.

use reseller_domain::SiteId;
use reseller_domain::domains::{
    ConnectRequest, ConnectionType, DnsStatus, SetupRecords, SuggestRequest,
};
use reseller_domain::{ErrorCode, domains::DomainCode};
use reseller_ports::{Call, ConnectedDomains, ConnectedDomainsPaging, DomainSearch, ErrorKind};
use serde_json::json;

use crate::support::{ACCOUNT, OTHER_ACCOUNT, Reply, Stub, other_account};

const SITE: &str = "c10cf845-bf18-4c10-8428-c4e5c7a39744";

fn connected_answer() -> serde_json::Value {
    json!({"connectedDomain": {"id": "mysite.com", "domain": "mysite.com",
        "connectionType": "NAMESERVERS", "siteInfo": {"id": SITE, "assignmentType": "PRIMARY"},
        "suppressNotifications": false, "dnsPropagationStatus": "UNKNOWN_DNS_PROPAGATION_STATUS"}})
}

#[tokio::test]
async fn check_availability_gets_the_domain_query() {
    let stub = Stub::start().await;
    stub.then(Reply::ok(
        &json!({"availability": {"domain": "mydomain.com", "available": false}}),
    ));
    let client = stub.client().build().unwrap();
    let a = client
        .check_availability(&Call::new(), "mydomain.com")
        .await
        .unwrap();
    assert!(!a.available);
    let sent = stub.only_request();
    assert_eq!(sent.method, "GET");
    assert_eq!(sent.path, "/domain-search/v2/check-domain-availability");
    assert_eq!(sent.query.as_deref(), Some("domain=mydomain.com"));
    assert_eq!(sent.header("wix-account-id"), Some(ACCOUNT));
    assert!(sent.body.is_empty());
}

#[tokio::test]
async fn suggest_repeats_the_tlds_key_and_reads_the_cursor() {
    let stub = Stub::start().await;
    stub.then(Reply::ok(
        &json!({"suggestions": [{"domain": "mybakery.com"}],
        "pagingMetadata": {"count": 1, "cursors": {"next": "abc"}, "hasNext": true}}),
    ));
    let client = stub.client().build().unwrap();
    let request = SuggestRequest {
        tlds: vec!["com".into(), "net".into()],
        paging_limit: Some(1),
        ..SuggestRequest::new("my bakery")
    };
    let page = client
        .suggest_domains(&Call::new().account(other_account()), &request)
        .await
        .unwrap();
    assert_eq!(page.next_cursor.as_deref(), Some("abc"));
    let sent = stub.only_request();
    assert_eq!(sent.path, "/domain-search/v2/suggest-domains");
    assert_eq!(
        sent.query.as_deref(),
        Some("query=my+bakery&tlds=com&tlds=net&paging.limit=1")
    );
    assert_eq!(sent.header("wix-account-id"), Some(OTHER_ACCOUNT));
}

#[tokio::test]
async fn create_sends_the_site_header_and_the_docs_body() {
    let stub = Stub::start().await;
    stub.then(Reply::ok(&connected_answer()));
    let client = stub.client().build().unwrap();
    let request = ConnectRequest {
        assignment_type: Some("PRIMARY".into()),
        ..ConnectRequest::new("mysite.com", Some(ConnectionType::Nameservers))
    };
    let site = SiteId::parse(SITE).unwrap();
    let c = client
        .create_connected_domain(&Call::new(), Some(site), &request)
        .await
        .unwrap();
    assert_eq!(c.dns, DnsStatus::Unknown);
    let sent = stub.only_request();
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.path, "/domains/v1/connected-domains");
    assert_eq!(sent.header("authorization"), Some(crate::support::KEY));
    assert_eq!(sent.header("wix-account-id"), Some(ACCOUNT));
    assert_eq!(sent.header("wix-site-id"), Some(SITE));
    assert_eq!(
        sent.json(),
        json!({"connectedDomain": {"domain": "mysite.com",
        "connectionType": "NAMESERVERS", "siteInfo": {"assignmentType": "PRIMARY"}}})
    );
}

#[tokio::test]
async fn get_list_and_setup_info_paths() {
    let stub = Stub::start().await;
    stub.then(Reply::ok(&connected_answer()))
        .then(Reply::ok(&json!({"pagingMetadata": {"count": 1, "cursors": {"next": null, "prev": null}, "hasNext": false},
            "connectedDomains": [connected_answer()["connectedDomain"].clone()]})))
        .then(Reply::ok(&json!({"connectedDomainSetupInfo": {"connectedDomainId": "mysite.com",
            "registrarName": "GO_DADDY", "nameserverRecord": {"nsRecord": {"hostName": "mysite.com",
            "ttl": 86400, "values": ["ns13.wixdns.net", "ns12.wixdns.net"]}}}})));
    let client = stub.client().build().unwrap();
    let call = Call::new();
    client
        .get_connected_domain(&call, "mysite.com")
        .await
        .unwrap();
    let paging = ConnectedDomainsPaging {
        limit: Some(100),
        cursor: Some("c1".into()),
    };
    let page = client.list_connected_domains(&call, &paging).await.unwrap();
    assert_eq!(page.connections.len(), 1);
    assert_eq!(page.next_cursor, None);
    let info = client
        .connected_domain_setup_info(&call, "mysite.com")
        .await
        .unwrap();
    assert!(matches!(info.records, SetupRecords::Nameservers { .. }));
    let sent = stub.requests();
    let paths: Vec<(&str, Option<&str>)> = sent
        .iter()
        .map(|r| (r.path.as_str(), r.query.as_deref()))
        .collect();
    assert_eq!(
        paths,
        [
            ("/domains/v1/connected-domains/mysite.com", None),
            (
                "/domains/v1/connected-domains",
                Some("paging.limit=100&paging.cursor=c1")
            ),
            ("/domains/v1/connected-domain-setup-info/mysite.com", None),
        ]
    );
    for r in &sent {
        assert_eq!(r.method, "GET");
        assert!(r.header("wix-site-id").is_none());
    }
}

#[tokio::test]
async fn literal_codes_with_spaces_are_kept() {
    let stub = Stub::start().await;
    stub.then(Reply::wix_error(
        400,
        "Invalid domain",
        "Unable to connect domain `free.com`, it's available for purchase.",
    ))
    .then(Reply::wix_error(
        400,
        "Invalid connection type",
        "Invalid connection type `HIDDEN`.",
    ))
    .then(Reply::wix_error(
        403,
        "NON_PREMIUM_SITE",
        "Domain `a.com` can't be assigned to free Wix site `x`.",
    ));
    let client = stub.client().build().unwrap();
    let r = ConnectRequest::new("free.com", Some(ConnectionType::Pointing));
    let expected = [
        DomainCode::InvalidDomainToConnect,
        DomainCode::InvalidConnectionType,
        DomainCode::NonPremiumSite,
    ];
    for code in expected {
        let e = client
            .create_connected_domain(&Call::new(), None, &r)
            .await
            .unwrap_err();
        assert_eq!(e.code(), &ErrorCode::Domain(code));
        assert!(matches!(
            e.kind(),
            ErrorKind::InvalidInput | ErrorKind::PermissionDenied
        ));
    }
    assert_eq!(stub.requests().len(), 3, "a refusal is never retried");
}

#[tokio::test]
async fn reads_are_retried_and_create_only_when_never_sent() {
    let stub = Stub::start().await;
    stub.then(Reply::system(503))
        .then(Reply::ok(
            &json!({"availability": {"domain": "a.com", "available": true}}),
        ))
        .then(Reply::system(503));
    let client = stub.client().build().unwrap();
    assert!(
        client
            .check_availability(&Call::new(), "a.com")
            .await
            .unwrap()
            .available
    );
    let r = ConnectRequest::new("mysite.com", Some(ConnectionType::Pointing));
    let e = client
        .create_connected_domain(&Call::new(), None, &r)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unavailable);
    assert_eq!(stub.requests().len(), 3, "the sent Create is not repeated");
}

#[tokio::test]
async fn an_answer_that_is_not_a_domain_is_unreadable() {
    let stub = Stub::start().await;
    stub.then(Reply::ok(
        &json!({"availability": {"domain": "no tld", "available": true}}),
    ));
    let client = stub.client().build().unwrap();
    let e = client
        .check_availability(&Call::new(), "a.com")
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::UnreadableAnswer);
}

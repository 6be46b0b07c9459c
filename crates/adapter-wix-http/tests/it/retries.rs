//! Retries: what is repeated (reads and keyed mutations; mutations Wix gives no key
//! only when they were never sent), on which failures, how long the client waits,
//! and where it stops (attempts, time budget, a business refusal).

use std::time::Duration;

use adapter_wix_http::RetryPolicy;
use reseller_domain::ops::{CreatePackage, NewSubAccount, SiteTransfer};
use reseller_domain::{ErrorCode, ExternalId, PackageId};
use reseller_ports::{Accounts, Call, ErrorKind, ResellerPackages, SiteTransfers};
use reseller_wire::{CreatePackageRequest, TransferSiteRequest};

use crate::support::{
    Reply, Stub, client_of, closed_port, docs_answer, docs_request, hang_up_server,
};

const FIRST_KEY: &str = "00000000-0000-0007-0000-000000000001";

fn package_id() -> PackageId {
    PackageId::parse("828b98fb-7114-4b3c-90fd-8d0db76aa72b").unwrap()
}

fn create_command() -> CreatePackage {
    let docs: CreatePackageRequest =
        serde_json::from_value(docs_request("resellers/create-package-v2.json")).unwrap();
    docs.try_into_domain().unwrap()
}

fn transfer() -> SiteTransfer {
    let docs: TransferSiteRequest =
        serde_json::from_value(docs_request("b2b/transfer-site.json")).unwrap();
    docs.try_into_domain().unwrap()
}

fn get_answer() -> Reply {
    Reply::ok(&docs_answer("resellers/get-package.json"))
}

fn create_answer() -> Reply {
    Reply::ok(&docs_answer("resellers/create-package-v2.json"))
}

/// An HTTP date `offset_secs` from now.
fn http_date(offset_secs: i64) -> String {
    (chrono::Utc::now() + chrono::TimeDelta::seconds(offset_secs))
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string()
}

#[tokio::test]
async fn a_429_with_retry_after_zero_is_retried() {
    let stub = Stub::start().await;
    stub.then(Reply::wix_error(429, "RESOURCE_EXHAUSTED", "slow down").header("retry-after", "0"))
        .then(get_answer());
    let client = stub.client().build().unwrap();

    client
        .get_package(&Call::new(), package_id())
        .await
        .unwrap();

    assert_eq!(stub.requests().len(), 2);
}

#[tokio::test]
async fn retry_after_in_fractions_of_seconds_and_as_http_date_is_honoured() {
    let stub = Stub::start().await;
    stub.then(Reply::wix_error(429, "RESOURCE_EXHAUSTED", "").header("retry-after", "0.01"))
        .then(Reply::system(503).header("retry-after", &http_date(-10)))
        .then(get_answer());
    let client = stub.client().build().unwrap();

    client
        .get_package(&Call::new(), package_id())
        .await
        .unwrap();

    assert_eq!(stub.requests().len(), 3);
}

#[tokio::test]
async fn a_503_then_success_repeats_the_mutation_with_the_same_key_and_body() {
    let stub = Stub::start().await;
    stub.then(Reply::system(503)).then(create_answer());
    let client = stub.client().build().unwrap();

    client
        .create_package(&Call::new(), &create_command())
        .await
        .unwrap();

    let sent = stub.requests();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].idempotency_key(), FIRST_KEY);
    assert_eq!(sent[0].body, sent[1].body, "the very same request");
}

#[tokio::test]
async fn every_retryable_status_is_retried_for_a_read() {
    for status in [429, 500, 502, 503, 504] {
        let stub = Stub::start().await;
        stub.then(Reply::system(status)).then(get_answer());
        let client = stub.client().build().unwrap();

        client
            .get_package(&Call::new(), package_id())
            .await
            .unwrap_or_else(|e| panic!("{status}: {e}"));

        assert_eq!(stub.requests().len(), 2, "{status}");
    }
}

#[tokio::test]
async fn a_timeout_then_success_repeats_with_the_same_idempotency_key() {
    let stub = Stub::start().await;
    stub.then(create_answer().after(Duration::from_secs(10)))
        .otherwise(create_answer());
    let client = stub
        .client()
        .request_timeout(Duration::from_millis(500))
        .build()
        .unwrap();

    client
        .create_package(&Call::new(), &create_command())
        .await
        .unwrap();

    let sent = stub.requests();
    assert!(sent.len() >= 2, "{sent:#?}");
    assert!(sent.iter().all(|r| r.idempotency_key() == FIRST_KEY));
    assert_eq!(sent[0].body, sent[1].body);
}

#[tokio::test]
async fn a_428_returns_at_once_with_the_key_to_retry_with() {
    let stub = Stub::start().await;
    stub.then(Reply::wix_error(
        428,
        "INVALID_PRODUCTS",
        "Invalid products: `00ba7923-2655-402a-852d-2b2100568bcf`.",
    ))
    .otherwise(create_answer());
    let client = stub.client().build().unwrap();

    let e = client
        .create_package(&Call::new(), &create_command())
        .await
        .unwrap_err();

    assert_eq!(stub.requests().len(), 1);
    assert_eq!(e.kind(), ErrorKind::FailedPrecondition);
    assert_eq!(e.code(), &ErrorCode::InvalidProducts);
    assert_eq!(e.idempotency_key().map(|k| k.as_str()), Some(FIRST_KEY));
    assert!(!e.may_have_been_applied());
}

#[tokio::test]
async fn other_refusals_and_501_are_not_retried() {
    for status in [400, 401, 403, 404, 409, 501] {
        let stub = Stub::start().await;
        stub.then(Reply::wix_error(status, "WHATEVER", "no"))
            .otherwise(get_answer());
        let client = stub.client().build().unwrap();

        let e = client
            .get_package(&Call::new(), package_id())
            .await
            .unwrap_err();

        assert_eq!(e.status(), Some(status));
        assert_eq!(stub.requests().len(), 1, "{status}");
    }
}

#[tokio::test]
async fn attempts_are_bounded_and_the_last_error_is_returned() {
    let stub = Stub::start().await;
    stub.otherwise(Reply::system(503).header("x-wix-request-id", "last"));
    let client = stub
        .client()
        .retry(crate::support::quick_retries().with_max_attempts(3))
        .build()
        .unwrap();

    let e = client
        .create_package(&Call::new(), &create_command())
        .await
        .unwrap_err();

    let sent = stub.requests();
    assert_eq!(sent.len(), 3);
    assert!(sent.iter().all(|r| r.idempotency_key() == FIRST_KEY));
    assert_eq!(e.kind(), ErrorKind::Unavailable);
    assert!(e.may_have_been_applied());
    assert_eq!(e.request_id(), Some("last"));
    assert_eq!(e.idempotency_key().map(|k| k.as_str()), Some(FIRST_KEY));
}

#[tokio::test]
async fn a_retry_after_beyond_the_budget_returns_at_once() {
    let stub = Stub::start().await;
    stub.then(Reply::wix_error(429, "RESOURCE_EXHAUSTED", "quota").header("retry-after", "1"))
        .then(Reply::system(503).header("retry-after", &http_date(3_600)))
        .otherwise(get_answer());
    let client = stub
        .client()
        .retry(crate::support::quick_retries().with_budget(Duration::from_millis(500)))
        .build()
        .unwrap();

    let seconds = client
        .get_package(&Call::new(), package_id())
        .await
        .unwrap_err();
    let date = client
        .get_package(&Call::new(), package_id())
        .await
        .unwrap_err();

    assert_eq!(stub.requests().len(), 2, "neither was retried");
    assert_eq!(seconds.kind(), ErrorKind::RateLimited);
    assert_eq!(seconds.retry_after(), Some(Duration::from_secs(1)));
    assert_eq!(date.kind(), ErrorKind::Unavailable);
    assert!(date.retry_after().unwrap() > Duration::from_secs(3_000));
}

#[tokio::test]
async fn a_slow_server_hits_the_time_budget() {
    let stub = Stub::start().await;
    stub.otherwise(get_answer().after(Duration::from_secs(30)));
    let client = stub
        .client()
        .request_timeout(Duration::from_secs(20))
        .retry(crate::support::quick_retries().with_budget(Duration::from_millis(300)))
        .build()
        .unwrap();

    let e = client
        .get_package(&Call::new(), package_id())
        .await
        .unwrap_err();

    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown);
    assert!(e.message().contains("time budget"), "{e}");
    assert_eq!(
        stub.requests().len(),
        1,
        "no time was left for a second attempt"
    );
}

#[tokio::test]
async fn mutations_without_a_key_are_not_repeated_once_sent() {
    let stub = Stub::start().await;
    stub.then(Reply::system(503))
        .then(Reply::wix_error(429, "RESOURCE_EXHAUSTED", "").header("retry-after", "0"))
        .then(Reply::system(502).after(Duration::from_secs(10)))
        .otherwise(Reply::text(599, "text/plain", "should not be asked"));
    let client = stub
        .client()
        .request_timeout(Duration::from_millis(1_000))
        .build()
        .unwrap();

    let transfer = client
        .transfer_site(&Call::new(), &transfer())
        .await
        .unwrap_err();
    let external = ExternalId::new("order-4711").unwrap();
    let update = client
        .update_external_id(&Call::new(), package_id(), &external)
        .await
        .unwrap_err();
    let account = NewSubAccount {
        email: "owner@customer.example".to_owned(),
    };
    let create = client
        .create_sub_account(&Call::new(), &account)
        .await
        .unwrap_err();

    assert_eq!(stub.requests().len(), 3, "one attempt each");
    assert_eq!(transfer.kind(), ErrorKind::Unavailable);
    assert_eq!(update.kind(), ErrorKind::RateLimited);
    assert_eq!(create.kind(), ErrorKind::OutcomeUnknown);
    assert!(create.may_have_been_applied());
    assert_eq!(create.idempotency_key(), None, "Create Account has no key");
}

#[tokio::test]
async fn a_refused_connection_is_not_sent_and_is_retried_even_without_a_key() {
    let client = client_of(&closed_port().await).build().unwrap();

    let e = client
        .transfer_site(&Call::new(), &transfer())
        .await
        .unwrap_err();

    assert_eq!(e.kind(), ErrorKind::NotSent);
    assert!(!e.may_have_been_applied());
    assert!(e.message().contains("attempt 4"), "{e}");
}

#[tokio::test]
async fn a_hang_up_after_sending_is_outcome_unknown() {
    let client = client_of(&hang_up_server().await)
        .retry(RetryPolicy::never())
        .build()
        .unwrap();

    let e = client
        .create_package(&Call::new(), &create_command())
        .await
        .unwrap_err();

    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown);
    assert!(e.may_have_been_applied());
    assert!(e.message().contains("attempt 1"), "{e}");
    assert_eq!(e.idempotency_key().map(|k| k.as_str()), Some(FIRST_KEY));
}

#[tokio::test]
async fn a_read_is_retried_after_a_hang_up() {
    let client = client_of(&hang_up_server().await).build().unwrap();

    let e = client
        .get_package(&Call::new(), package_id())
        .await
        .unwrap_err();

    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown);
    assert!(e.message().contains("attempt 4"), "{e}");
}

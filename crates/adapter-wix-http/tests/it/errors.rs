//! Errors as the client reports them: every row of Wix's error tables and every
//! answer of the emulator's choices table decoded to the right code and kind, with
//! message and request id kept (also in `Display`); bodies that are not Wix's JSON
//! kept as text; answers that cannot be read reported as such.

use adapter_wix_http::RetryPolicy;
use reseller_contract::wix_errors::error_rows;
use reseller_domain::ops::{Adjust, CreatePackage, SiteTransfer};
use reseller_domain::{ErrorCode, InstanceId, PackageId, RuleType};
use reseller_ports::{Call, ErrorKind, PortError, ResellerPackages, SiteTransfers};
use reseller_wire::{AdjustRequest, CreatePackageRequest, TransferSiteRequest};
use serde_json::json;

use crate::support::{Reply, Stub, docs_answer, docs_request, fixture};

fn package_id() -> PackageId {
    PackageId::parse("828b98fb-7114-4b3c-90fd-8d0db76aa72b").unwrap()
}

fn instance_id() -> InstanceId {
    InstanceId::parse("d3b88a39-f62e-4164-8b29-08369b9ea71c").unwrap()
}

fn create_command() -> CreatePackage {
    let docs: CreatePackageRequest =
        serde_json::from_value(docs_request("resellers/create-package-v2.json")).unwrap();
    docs.try_into_domain().unwrap()
}

fn adjust_command() -> Adjust {
    let docs: AdjustRequest = serde_json::from_value(docs_request(
        "resellers/adjust-product-instance-specifications.json",
    ))
    .unwrap();
    docs.try_into_domain().unwrap()
}

fn transfer() -> SiteTransfer {
    let docs: TransferSiteRequest =
        serde_json::from_value(docs_request("b2b/transfer-site.json")).unwrap();
    docs.try_into_domain().unwrap()
}

/// Asserts what every decoded Wix error keeps.
fn assert_kept(e: &PortError, status: u16, code: &str, message: &str, request_id: &str) {
    assert_eq!(e.status(), Some(status), "{code}");
    assert_eq!(e.kind(), ErrorKind::from_status(status), "{code}");
    assert_eq!(e.code().as_str(), code);
    assert_eq!(e.message(), message, "{code}");
    assert_eq!(e.request_id(), Some(request_id), "{code}");
    let shown = e.to_string();
    for part in [code, message, request_id, &status.to_string()] {
        assert!(shown.contains(part), "{shown:?} lacks {part:?}");
    }
}

#[tokio::test]
async fn every_row_of_the_wix_error_tables_decodes_to_its_code() {
    let rows = error_rows();
    assert_eq!(
        rows.len(),
        33,
        "12 Create Package, 17 Adjust, 4 Transfer Site rows"
    );
    let stub = Stub::start().await;
    for (i, row) in rows.iter().enumerate() {
        stub.then(
            Reply::wix_error(row.http_status, &row.error_code, &row.message_template)
                .header("x-wix-request-id", &format!("req-{i}")),
        );
    }
    let client = stub.client().build().unwrap();

    for (i, row) in rows.iter().enumerate() {
        let (endpoint, status, code, message) = (
            &row.endpoint,
            row.http_status,
            &row.error_code,
            &row.message_template,
        );
        let e = match endpoint.as_str() {
            "Create Package (V2; also v1)" => client
                .create_package(&Call::new(), &create_command())
                .await
                .unwrap_err(),
            "Adjust Product Instance Specifications" => client
                .adjust_instance(&Call::new(), instance_id(), &adjust_command())
                .await
                .unwrap_err(),
            "Transfer Site" => client
                .transfer_site(&Call::new(), &transfer())
                .await
                .unwrap_err(),
            other => panic!("unexpected endpoint {other}"),
        };
        assert_kept(&e, status, code, message, &format!("req-{i}"));
        assert_eq!(e.code(), &ErrorCode::from_wire(code, status));
        assert!(
            ErrorCode::KNOWN.contains(e.code()),
            "{code} ({status}) read as a known code"
        );
    }
    assert_eq!(stub.requests().len(), rows.len(), "no refusal was retried");
}

#[tokio::test]
async fn the_emulator_choices_decode_to_known_codes() {
    let rows = [
        (401, "UNAUTHENTICATED"),
        (404, "ACCOUNT_NOT_FOUND"),
        (403, "PERMISSION_DENIED"),
        (404, "PACKAGE_NOT_FOUND"),
        (428, "PRODUCT_INSTANCE_NOT_FOUND"),
        (428, "INCOMPATIBLE_PRODUCT_INSTANCE_STATUS"),
        (404, "INVALID_REFERENCE_PRODUCT_INSTANCE_ID"),
        (428, "OPERATION_NOT_SUPPORTED_FOR_PRODUCT"),
        (400, "INVALID_CURSOR"),
        (400, "INVALID_QUERY"),
        (409, "IDEMPOTENCY_KEY_REUSED"),
    ];
    let stub = Stub::start().await;
    for (i, (status, code)) in rows.iter().enumerate() {
        stub.then(
            Reply::wix_error(*status, code, &format!("message {i}"))
                .header("x-wix-request-id", &format!("emu-{i}")),
        );
    }
    let client = stub.client().build().unwrap();

    for (i, (status, code)) in rows.iter().enumerate() {
        let e = client
            .get_package(&Call::new(), package_id())
            .await
            .unwrap_err();
        assert_kept(
            &e,
            *status,
            code,
            &format!("message {i}"),
            &format!("emu-{i}"),
        );
        assert!(ErrorCode::KNOWN.contains(e.code()), "{code}");
    }
    assert_eq!(stub.requests().len(), rows.len());
}

#[tokio::test]
async fn injected_faults_decode_by_status() {
    let stub = Stub::start().await;
    stub.then(Reply::wix_error(429, "RESOURCE_EXHAUSTED", "").header("retry-after", "7"))
        .then(Reply::system(500))
        .then(Reply::system(503))
        .then(Reply::system(504));
    let client = stub.client().retry(RetryPolicy::never()).build().unwrap();

    let mut seen = Vec::new();
    for _ in 0..4 {
        let e = client
            .get_package(&Call::new(), package_id())
            .await
            .unwrap_err();
        seen.push((e.status().unwrap(), e.kind(), e.code().as_str().to_owned()));
        if e.status() == Some(429) {
            assert_eq!(e.retry_after(), Some(std::time::Duration::from_secs(7)));
        }
    }

    let expected = [
        (429, ErrorKind::RateLimited, "RESOURCE_EXHAUSTED"),
        (500, ErrorKind::Unavailable, "INTERNAL"),
        (503, ErrorKind::Unavailable, "UNAVAILABLE"),
        (504, ErrorKind::Unavailable, "DEADLINE_EXCEEDED"),
    ];
    let expected: Vec<_> = expected
        .iter()
        .map(|(s, k, c)| (*s, *k, (*c).to_owned()))
        .collect();
    assert_eq!(seen, expected);
}

#[tokio::test]
async fn a_validation_error_keeps_its_field_violations() {
    let stub = Stub::start().await;
    stub.then(Reply::json(
        400,
        &json!({"message": "invalid request", "details": {"validationError": {"fieldViolations": [
            {"field": "products[0].countryCode", "description": "countryCode is required",
             "violatedRule": "REQUIRED_FIELD"}]}}}),
    ))
    .then(Reply::json(
        400,
        &fixture("generic-errors/validation-error-field-violations.json")["response"]["body"],
    ));
    let client = stub.client().build().unwrap();

    let ours = client
        .create_package(&Call::new(), &create_command())
        .await
        .unwrap_err();
    let generic = client
        .create_package(&Call::new(), &create_command())
        .await
        .unwrap_err();

    assert_eq!(ours.code(), &ErrorCode::InvalidArgument);
    assert_eq!(ours.field_violations()[0].field, "products[0].countryCode");
    assert_eq!(ours.field_violations()[0].rule, RuleType::RequiredField);
    assert!(
        ours.to_string()
            .contains("products[0].countryCode REQUIRED_FIELD: countryCode is required")
    );
    let fields: Vec<_> = generic
        .field_violations()
        .iter()
        .map(|v| v.field.as_str())
        .collect();
    assert_eq!(fields, ["fieldA", "fieldB", "fieldC"]);
}

#[tokio::test]
async fn an_unknown_code_is_kept_as_sent() {
    let stub = Stub::start().await;
    let body =
        fixture("generic-errors/application-error-duplicate-contact.json")["response"]["body"]
            .clone();
    stub.then(Reply::json(409, &body));
    let client = stub.client().build().unwrap();

    let e = client
        .cancel_package(&Call::new(), package_id())
        .await
        .unwrap_err();

    assert_eq!(e.kind(), ErrorKind::Conflict);
    assert_eq!(
        e.code(),
        &ErrorCode::Other {
            code: "DUPLICATE_CONTACT_EXIST".to_owned(),
            status: 409
        }
    );
    assert_eq!(e.message(), "Duplicate contact exists");
}

#[tokio::test]
async fn an_html_error_page_is_kept_as_text() {
    let page = "<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n\
                <body><center><h1>504 Gateway Time-out</h1></center></body>\r\n</html>\r\n";
    let stub = Stub::start().await;
    stub.then(Reply::text(504, "text/html", page).header("x-wix-request-id", "gw-1"));
    let client = stub.client().retry(RetryPolicy::never()).build().unwrap();

    let e = client
        .get_package(&Call::new(), package_id())
        .await
        .unwrap_err();

    assert_eq!(e.kind(), ErrorKind::Unavailable);
    assert_eq!(e.code().as_str(), "DEADLINE_EXCEEDED");
    assert_eq!(e.message(), page.trim());
    assert_eq!(e.request_id(), Some("gw-1"));
    assert!(e.to_string().contains("<h1>504 Gateway Time-out</h1>"));
}

#[tokio::test]
async fn an_answer_that_cannot_be_read_says_so() {
    let stub = Stub::start().await;
    let mut bad_id = docs_answer("resellers/get-package.json");
    bad_id["package"]["productInstances"][1]["instanceId"] = json!("not-a-guid");
    stub.then(
        Reply::text(200, "text/html", "<html>maintenance</html>").header("x-wix-request-id", "r-1"),
    )
    .then(Reply::ok(&bad_id))
    .then(Reply::ok(&json!({"idempotencyKey": "x"})));
    let client = stub.client().build().unwrap();

    let html = client
        .get_package(&Call::new(), package_id())
        .await
        .unwrap_err();
    let field = client
        .get_package(&Call::new(), package_id())
        .await
        .unwrap_err();
    let empty = client
        .cancel_package(&Call::new(), package_id())
        .await
        .unwrap_err();

    assert_eq!(html.kind(), ErrorKind::UnreadableAnswer);
    assert_eq!(html.status(), Some(200));
    assert_eq!(html.request_id(), Some("r-1"));
    assert!(
        html.message().contains("<html>maintenance</html>"),
        "{html}"
    );
    assert_eq!(field.kind(), ErrorKind::UnreadableAnswer);
    assert!(
        field
            .message()
            .contains("package.productInstances[1].instanceId"),
        "{field}"
    );
    assert_eq!(empty.kind(), ErrorKind::UnreadableAnswer);
    assert!(empty.message().contains("package"), "{empty}");
    assert!(
        empty.idempotency_key().is_some(),
        "retry with the same key to read it"
    );
    assert_eq!(
        stub.requests().len(),
        3,
        "an unreadable answer is not retried"
    );
}

#[tokio::test]
async fn a_redirect_is_not_followed() {
    let stub = Stub::start().await;
    stub.then(
        Reply::text(302, "text/plain", "moved").header("location", "http://127.0.0.1:9/elsewhere"),
    )
    .otherwise(Reply::ok(&docs_answer("resellers/get-package.json")));
    let client = stub.client().build().unwrap();

    let e = client
        .get_package(&Call::new(), package_id())
        .await
        .unwrap_err();

    assert_eq!(e.kind(), ErrorKind::Unexpected);
    assert_eq!(e.status(), Some(302));
    assert_eq!(stub.requests().len(), 1);
}

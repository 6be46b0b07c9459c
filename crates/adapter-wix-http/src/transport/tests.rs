//! Unit tests of answer decoding: Wix's error JSON, bodies that are not JSON, the
//! request-id headers.

use reseller_domain::RuleType;
use serde_json::json;

use super::*;

fn status(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap()
}

#[test]
fn an_application_error_keeps_code_message_request_id_and_retry_after() {
    let body = json!({"message": "Product id not found in catalog.",
        "details": {"applicationError": {"code": "PRODUCT_NOT_FOUND"}}});
    let e = answer_error(
        status(404),
        Some("req-7".to_owned()),
        Some(Duration::from_secs(2)),
        body.to_string().as_bytes(),
    );
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(e.code(), &ErrorCode::ProductNotFound);
    assert_eq!(e.status(), Some(404));
    assert_eq!(e.message(), "Product id not found in catalog.");
    assert_eq!(e.request_id(), Some("req-7"));
    assert_eq!(e.retry_after(), Some(Duration::from_secs(2)));
    assert_eq!(
        e.to_string(),
        "PRODUCT_NOT_FOUND (404): Product id not found in catalog. [request id req-7]"
    );
}

#[test]
fn a_validation_error_keeps_every_field_violation() {
    let body = json!({"message": "invalid request", "details": {"validationError": {
        "fieldViolations": [
            {"field": "products[0].countryCode", "description": "required",
             "violatedRule": "REQUIRED_FIELD"},
            {"field": "externalId", "description": "too long", "violatedRule": "MAX_LENGTH"}]}}});
    let e = answer_error(status(400), None, None, body.to_string().as_bytes());
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert_eq!(e.code(), &ErrorCode::InvalidArgument);
    let rules: Vec<_> = e.field_violations().iter().map(|v| v.rule).collect();
    assert_eq!(rules, [RuleType::RequiredField, RuleType::MaxLength]);
    assert!(
        e.to_string()
            .contains("products[0].countryCode REQUIRED_FIELD")
    );
}

#[test]
fn an_empty_message_falls_back_to_the_description() {
    let body = json!({"message": "", "details": {"applicationError": {
        "code": "SITE_TRANSFER_NOT_SUPPORTED",
        "description": "Site transfer isn't supported for sites with paid Wix services."}}});
    let e = answer_error(status(428), None, None, body.to_string().as_bytes());
    assert_eq!(e.code(), &ErrorCode::SiteTransferNotSupported);
    assert_eq!(
        e.message(),
        "Site transfer isn't supported for sites with paid Wix services."
    );
}

#[test]
fn a_system_error_is_named_by_its_status() {
    let e = answer_error(
        status(503),
        None,
        None,
        br#"{"message": "", "details": {}}"#,
    );
    assert_eq!(e.kind(), ErrorKind::Unavailable);
    assert_eq!(e.code().as_str(), "UNAVAILABLE");
    assert_eq!(e.message(), "");
    assert_eq!(e.to_string(), "UNAVAILABLE (503)");
}

#[test]
fn a_body_that_is_not_wix_json_is_kept_as_text() {
    let html = "<html><body><h1>504 Gateway Time-out</h1></body></html>\n";
    let e = answer_error(status(504), None, None, html.as_bytes());
    assert_eq!(e.kind(), ErrorKind::Unavailable);
    assert_eq!(e.code().as_str(), "DEADLINE_EXCEEDED");
    assert_eq!(e.message(), html.trim());
    for body in [
        &b""[..],
        b"   ",
        b"\"just a string\"",
        b"[1, 2]",
        &[0xff, 0xfe, b'x'],
    ] {
        let e = answer_error(status(502), None, None, body);
        assert_eq!(e.kind(), ErrorKind::Unavailable, "{body:?}");
        assert_eq!(e.status(), Some(502), "{body:?}");
    }
}

#[test]
fn long_text_is_cut_on_a_character_boundary() {
    let text = "é".repeat(MAX_TEXT_CHARS + 10);
    let kept = excerpt(text.as_bytes(), MAX_TEXT_CHARS);
    assert_eq!(kept.chars().count(), MAX_TEXT_CHARS + 1);
    assert!(kept.ends_with('…'));
    assert_eq!(excerpt(b"  short  ", 10), "short");
}

#[test]
fn the_wix_request_id_header_wins_over_the_generic_one() {
    let mut headers = HeaderMap::new();
    headers.insert("x-request-id", HeaderValue::from_static("generic"));
    assert_eq!(request_id(&headers).as_deref(), Some("generic"));
    headers.insert(
        "x-wix-request-id",
        HeaderValue::from_static("1700000000.123"),
    );
    assert_eq!(request_id(&headers).as_deref(), Some("1700000000.123"));
    headers.insert("x-wix-request-id", HeaderValue::from_static(" "));
    assert_eq!(request_id(&headers).as_deref(), Some("generic"));
    assert_eq!(request_id(&HeaderMap::new()), None);
}

#[test]
fn only_throttling_and_server_failures_are_worth_repeating() {
    let retried: Vec<u16> = (100..600)
        .filter(|c| is_retryable_status(status(*c)))
        .collect();
    assert_eq!(retried, [429, 500, 502, 503, 504]);
}
